"""Views of the introduction (notebooks/00_introduction.ipynb) that are not exercises.

    import kyodo
    from kyodo.lessons import intro
    kyodo.exercise("intro-ex1")  # the five cases on the table of actor kinds (data/exercises/intro.yml)
    intro.coverage_map()         # the 6×6 table: which pairs the pamphlet covers
    kyodo.exercise("intro-ex2")  # each case and its "ここがポイント"
    intro.cases_at_a_glance()    # the five cases and the lessons, after the exercises

The exercises live in the registry; :func:`coverage_map` draws the same
table the first exercise draws after its check, from the same entry.
"""

from __future__ import annotations

from IPython.display import HTML, display

from ..charts import Chart
from ..citation import case_heading, cases_phrase
from ..data import Course, DataError, Problem
from ..figures import show_figure
from ..cells import _friendly, choice_spec, course
from ..registry import choice_task, load_registry
from ..text import esc, msg
from ..widgets.choice_figures import coverage_figure as draw_coverage

PLACEMENT = "intro-ex1"
"""The exercise whose model answers the table of pairs shows."""


# --- the table of pairs -------------------------------------------------------------------


def coverage_figure(data: Course | None = None) -> Chart:
    """The 6×6 table of kinds with the cases in their cells, with the title and note of the exercise's rule."""
    spec = choice_spec(PLACEMENT)
    rule = next((r for r in spec.rules if r.figure == "coverage"), None)
    if rule is None:
        raise DataError([Problem(load_registry().files[spec.id], f"exercises (id: {spec.id}).rules",
                                 msg("registry.no_figure_rule", id=spec.id, figure="coverage"))])
    return draw_coverage(choice_task(spec, data or course()), rule.title or "", rule.note or "")


@_friendly
def coverage_map() -> None:
    """Show the table of pairs (the same one the exercise shows after its check), with its alt text."""
    chart = coverage_figure()
    show_figure(chart.figure, chart.alt_text)


# --- the course at a glance -------------------------------------------------------------


def cases_table_html(data: Course | None = None) -> str:
    """The cases: number and source, combination, project, key point and the viewpoint they illustrate."""
    data = data or course()
    viewpoint = {v.id: v.name for v in data.policy.viewpoints}
    headers = [msg("intro.col_case"), msg("intro.col_combination"), msg("intro.col_project"),
               msg("intro.col_point"), msg("intro.col_viewpoint")]
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em'>{esc(h)}</th>" for h in headers)
    rows = []
    for c in data.cases:
        cells = [case_heading(c), c.combination, c.project, c.point,
                 viewpoint.get(c.viewpoint, c.viewpoint)]
        rows.append("<tr>" + "".join(f"<td style='padding:0.3em 0.6em;vertical-align:top'>{esc(x)}</td>"
                                     for x in cells) + "</tr>")
    caption = msg("intro.cases_caption", cases=cases_phrase(data.cases))
    return (f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;"
            f"font-weight:bold'>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


@_friendly
def cases_at_a_glance() -> None:
    """Show the five cases in one table (after the exercises: it holds their answers)."""
    display(HTML(cases_table_html()))
