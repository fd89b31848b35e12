"""Exercises and views of the introduction (notebooks/00_introduction.ipynb).

    from kyodo.lessons import intro
    intro.place_cases()      # 演習1: the five cases on the table of actor kinds
    intro.coverage_map()     # the 6×6 table: which pairs the pamphlet covers
    intro.match_points()     # 演習2: each case and its "ここがポイント"
    intro.cases_at_a_glance()  # the five cases and the lessons, after the exercises

The hints' wording lives in ``data/lessons/intro.yml`` (checked by
:class:`IntroMaterial`); the facts come from the course data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from IPython.display import HTML, display
from pydantic import BaseModel, ConfigDict

from ..charts import Chart
from ..data import Course, DataError, Problem, check_refs, load_lesson_data
from ..exercises.pairs import ActorKind, Coverage, PairCase, PairPlacement, coverage
from ..exercises.sorting import Category, SortingTask, SortItem, stable_order
from ..figures import show_figure
from ..lesson import _friendly, course
from ..models import Id, Text
from ..storage import Store
from ..text import esc, msg
from ..widgets.choices import Verdict
from ..widgets.pairs import PairPlacementWidget, coverage_chart
from ..widgets.sorting import SortingWidget

LESSON = "intro"
FILE = "data/lessons/intro.yml"


class IntroMaterial(BaseModel):
    """``data/lessons/intro.yml``: the course's clues for the introduction's exercises."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    interpretation: Literal[True]
    type_clues: dict[Id, Text]
    """A clue for each of the six kinds of the basic policy, without its name."""
    point_clues: dict[Id, Text]
    """A clue for each case's key point, without the point's words."""


def material(data: Course | None = None, data_dir: Any = None) -> IntroMaterial:
    """Load and cross-check the lesson material (every kind and every case has its clue)."""
    data = data or course()
    found = load_lesson_data(LESSON, IntroMaterial, data_dir)
    problems: list[Problem] = []
    kinds = [t.id for t in data.policy_types]
    cases = [c.id for c in data.cases]
    problems += check_refs(FILE, msg("data.where_field", field="type_clues"), found.type_clues, kinds)
    problems += check_refs(FILE, msg("data.where_field", field="point_clues"), found.point_clues, cases)
    for field, have, need in (("type_clues", found.type_clues, kinds), ("point_clues", found.point_clues, cases)):
        for missing in need:
            if missing not in have:
                problems.append(Problem(FILE, msg("data.where_field", field=field),
                                        msg("intro.missing_clue", key=missing)))
    if problems:
        raise DataError(problems)
    return found


# --- 演習1: the cases on the table of kinds ------------------------------------------


def kinds(data: Course, mat: IntroMaterial) -> list[ActorKind]:
    """The six kinds of the basic policy, in its order, with the course's clues."""
    return [ActorKind(t.id, t.name, mat.type_clues[t.id]) for t in data.policy_types]


def pair_cases(data: Course) -> list[PairCase]:
    """Every case with its two kinds and, for each kind, the names of its parties of that kind."""
    result = []
    for case in data.cases:
        parties = {}
        for kind in case.combination_types:
            names = [data.org_name(p.org) for p in case.participants if data.org(p.org).type == kind]
            parties[kind] = "・".join(names) if names else data.actor_type(kind).name
        label = msg("intro.case_row", number=case.number, project=case.project,
                    first=parties[case.combination_types[0]], second=parties[case.combination_types[1]])
        first, second = case.combination_types
        result.append(PairCase(case.id, case.number, label, (first, second), parties))
    return result


def placement_task(data: Course | None = None) -> PairPlacement:
    data = data or course()
    return PairPlacement(pair_cases(data), kinds(data, material(data)))


def case_coverage(data: Course | None = None) -> Coverage:
    data = data or course()
    return coverage(pair_cases(data), kinds(data, material(data)))


def coverage_figure(data: Course | None = None) -> Chart:
    """The 6×6 table of kinds with the cases in their cells (a :class:`~kyodo.charts.Chart`)."""
    return coverage_chart(case_coverage(data))


@_friendly
def place_cases(exercise_id: str = "演習1", store: Store | None = None) -> PairPlacementWidget:
    """Exercise: choose the two kinds of actor each case pairs; then see the table of pairs."""
    data = course()
    return PairPlacementWidget(placement_task(data), case_coverage(data), f"{LESSON}/pairs", exercise_id,
                               msg("intro.pairs_title"), msg("intro.pairs_instructions"), store=store)


@_friendly
def coverage_map() -> None:
    """Show the table of pairs (the same one the exercise shows when it is complete), with its alt text."""
    chart = coverage_figure()
    show_figure(chart.figure, chart.alt_text)


# --- 演習2: each case and its key point ----------------------------------------------


def points_task(data: Course | None = None) -> SortingTask:
    """Sort each case to its "ここがポイント"; the points are offered in a shuffled order."""
    data = data or course()
    mat = material(data)
    categories = sorted(
        (Category(c.id, c.point, mat.point_clues[c.id]) for c in data.cases),
        key=lambda cat: stable_order(f"points:{cat.id}"),
    )
    items = [SortItem(c.id, msg("intro.points_row", number=c.number, combination=c.combination),
                      c.id, c.key_points[0])
             for c in data.cases]
    return SortingTask(items, categories)


class PointMatchWidget(SortingWidget):
    """A sorting widget that also says when one point was given to two cases (each case has its own)."""

    def verdict(self) -> Verdict:
        base = super().verdict()
        counts = Counter(v for v in self.task.answers.values() if v is not None)
        doubles = [self.task.category(cat_id).label for cat_id, n in counts.items() if n > 1]
        if not doubles:
            return base
        extra = tuple(msg("intro.points_duplicate", point=label) for label in doubles)
        return Verdict("warning", base.summary, base.marks, base.details + extra)


@_friendly
def match_points(exercise_id: str = "演習2", store: Store | None = None) -> PointMatchWidget:
    """Exercise: match each case with its key point."""
    return PointMatchWidget(points_task(), f"{LESSON}/points", exercise_id, msg("intro.points_title"),
                            msg("intro.points_instructions"), store=store)


# --- the course at a glance -------------------------------------------------------------


def cases_table_html(data: Course | None = None) -> str:
    """The five cases: page, combination, project, key point and the viewpoint they illustrate."""
    data = data or course()
    viewpoint = {v.id: v.name for v in data.policy.viewpoints}
    headers = [msg("intro.col_case"), msg("intro.col_combination"), msg("intro.col_project"),
               msg("intro.col_point"), msg("intro.col_viewpoint")]
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em'>{esc(h)}</th>" for h in headers)
    rows = []
    for c in data.cases:
        cells = [msg("view.case_label", number=c.number, page=c.page), c.combination, c.project, c.point,
                 viewpoint.get(c.viewpoint, c.viewpoint)]
        rows.append("<tr>" + "".join(f"<td style='padding:0.3em 0.6em;vertical-align:top'>{esc(x)}</td>"
                                     for x in cells) + "</tr>")
    return (f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;"
            f"font-weight:bold'>{esc(msg('intro.cases_caption'))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


@_friendly
def cases_at_a_glance() -> None:
    """Show the five cases in one table (after the exercises: it holds their answers)."""
    display(HTML(cases_table_html()))
