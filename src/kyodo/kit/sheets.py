"""Worksheets and answer sheets for paper group work, generated from the exercise registry.

:func:`worksheet` gives the paper form of one exercise: its instructions, its
items and room to answer (a table with one answer column per option, cut-out
cards for ordering, boxes for the flow map's actors, the forms the other
kinds need). :func:`answer_sheet` gives the facilitator's sheet of the same
exercise, made from :func:`kyodo.solutions.answer_table` (every accepted
answer with its comment) and the registry's facilitator material.

Every text goes through :func:`kyodo.text.esc`. Each :class:`Sheet` also
lists the texts it must show (:attr:`Sheet.items`), so a test can look for
them in the printed PDF.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from ..data import Course, default_data_dir, load_course
from ..registry import BuiltSpec, ChoiceSpec, Registry, choice_task, load_registry
from ..solutions import Table, answer_table
from ..text import esc, msg

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

KIT_CSS = """\
.sheet + .sheet { break-before: page; page-break-before: always; }
.sheet h1 { font-size: 14pt; }
.name-line { text-align: right; margin: 0 0 6pt; }
.name-line span { display: inline-block; width: 60mm; border-bottom: 0.5pt solid #000; }
.instructions { border: 0.8pt solid #000; padding: 4pt 6pt; margin: 0 0 6pt; }
.legend { margin: 0 0 6pt 0; padding: 0; list-style: none; }
.legend li { margin: 0 0 2pt; }
.legend small { color: #333; }
td.mark { width: 9mm; }
td.blank { height: 12mm; }
td.wide-blank { height: 18mm; }
td.row-blank { height: 8mm; }
th.letter { width: 9mm; text-align: center; }
.cards { display: flex; flex-wrap: wrap; gap: 3mm; margin: 4pt 0; }
.card { border: 1pt dashed #000; width: 56mm; min-height: 20mm; padding: 3mm; box-sizing: border-box;
        break-inside: avoid; page-break-inside: avoid; }
.actors { position: relative; height: 72mm; margin: 6pt 0; }
.actor { position: absolute; width: 50mm; height: 24mm; border: 1.5pt solid #000; display: flex;
         align-items: center; justify-content: center; text-align: center; padding: 2mm; box-sizing: border-box; }
.actor.a0 { left: 0; top: 0; }
.actor.a1 { right: 0; top: 0; }
.actor.a2 { left: 50%; margin-left: -25mm; bottom: 0; }
.actor.a3 { left: 0; bottom: 0; }
.things { columns: 3; font-size: 9pt; margin: 0 0 6pt; }
.lines div { border-bottom: 0.5pt solid #000; height: 9mm; }
.box { border: 0.8pt solid #000; min-height: 28mm; margin: 2pt 0 8pt; }
.note { font-size: 9pt; }
.also { font-size: 9pt; }
"""
"""What the kit adds to :data:`kyodo.printing.PRINT_CSS`: one sheet a page, answer columns, cards, boxes."""


@dataclass(frozen=True)
class Sheet:
    """One printed sheet (it may run over more than one page)."""

    lesson: str
    key: str
    """The exercise id, or ``<lesson>/reflection``, ``design_sheet/steps``, ``exit``."""
    title: str
    html: str
    """The sheet's HTML (a ``<section class="sheet">``), every text escaped."""
    items: tuple[str, ...] = ()
    """The texts the printed sheet must show (the exercise's items, options, actors ...)."""


# --- small pieces ---------------------------------------------------------------------------------------------------

def _class(cls: str) -> str:
    return f' class="{cls}"' if cls else ""


def _p(text: str, cls: str = "") -> str:
    return f"<p{_class(cls)}>{esc(text)}</p>"


def _table(headers: list[str], rows: list[list[str]], *, classes: list[str] | None = None,
           header_classes: list[str] | None = None) -> str:
    """A table; the cells are escaped here (pass plain text)."""
    hc = header_classes or [""] * len(headers)
    head = "".join(f'<th scope="col"{_class(c)}>{esc(h)}</th>' for h, c in zip(headers, hc))
    cc = classes or [""] * len(headers)
    body = "".join("<tr>" + "".join(f"<td{_class(c)}>{esc(v)}</td>" for v, c in zip(row, cc)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(lesson: str, key: str, title: str, heading: str, parts: list[str], items: list[str],
             *, name_line: bool = True) -> Sheet:
    top = f'<p class="name-line">{esc(msg("kit.name_line"))} <span></span></p>' if name_line else ""
    html = f'<section class="sheet"><h1>{esc(heading)}</h1>{top}{"".join(parts)}</section>'
    return Sheet(lesson, key, title, html, tuple(i for i in items if i))


@lru_cache(maxsize=1)
def lesson_titles() -> dict[str, str]:
    """Lesson id -> the title of its notebook (else its label), as the room board names it."""
    from ..board.server import lesson_titles as titles

    return dict(titles())


def lesson_title(lesson: str) -> str:
    return lesson_titles().get(lesson, lesson)


# --- worksheets -----------------------------------------------------------------------------------------------------

def _choice_worksheet(spec: ChoiceSpec, course: Course) -> tuple[list[str], list[str]]:
    task = choice_task(spec, course)
    items = [task.item(i.id) for i in spec.items]  # the data's order: the sheet does not shuffle
    parts: list[str] = []
    shown: list[str] = []
    if spec.mode == "order":
        parts.append(_p(msg("kit.mode_order")))
        parts.append(f"<h2>{esc(msg('kit.cards_heading'))}</h2>")
        parts.append('<div class="cards">' + "".join(f'<div class="card">{esc(i.text)}</div>' for i in items)
                     + "</div>")
        rows = [[str(n), ""] for n in range(1, len(items) + 1)]
        parts.append(_table([msg("kit.col_order"), msg("kit.col_item")], rows, classes=["mark", "blank"]))
        return parts, [i.text for i in items]
    mode = {"one": msg("kit.mode_one"), "many": msg("kit.mode_many"),
            "exactly": msg("kit.mode_exactly", pick=spec.pick)}[spec.mode]
    parts.append(_p(mode))
    letters = {o.id: LETTERS[n] for n, o in enumerate(task.options)}
    legend = "".join(
        f"<li>{esc(msg('kit.option_line', letter=letters[o.id], label=o.label))}"
        + (f"<br><small>{esc(o.clue)}</small>" if o.clue else "") + "</li>" for o in task.options)
    parts.append(f"<h2>{esc(msg('kit.options_heading'))}</h2><ul class=\"legend\">{legend}</ul>")
    headers = [msg("kit.col_no"), msg("kit.col_item")] + [letters[o.id] for o in task.options]
    rows = []
    for n, item in enumerate(items, start=1):
        text = item.text if item.scored else f"{item.text} {msg('kit.discussion_item')}"
        rows.append([str(n), text] + [""] * len(task.options))
    parts.append(_table(headers, rows, classes=["mark", ""] + ["mark"] * len(task.options),
                        header_classes=["", ""] + ["letter"] * len(task.options)))
    shown = [i.text for i in items] + [o.label for o in task.options]
    return parts, shown


def _flow_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    from ..exercises.flowmap import FlowMap, case_of

    flow = FlowMap(course, case_of(spec, course))
    actors = [label for label, _ in flow.actors]
    boxes = "".join(f'<div class="actor a{n % 4}">{esc(a)}</div>' for n, a in enumerate(actors))
    things = "".join(f"<li>{esc(t)}</li>" for t in flow.items)
    parts = [_p(msg("kit.flow_actors")), f'<div class="actors">{boxes}</div>',
             _p(msg("kit.flow_things")), f'<ul class="things">{things}</ul>', _p(msg("kit.flow_table")),
             _table([msg("kit.flow_col_from"), msg("kit.flow_col_to"), msg("kit.flow_col_what")],
                    [["", "", ""] for _ in range(len(flow.case.flows))], classes=["row-blank", "", ""])]
    return parts, actors + list(flow.items)


def _network_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    from ..exercises.network import NetworkParams

    params = spec.parsed(NetworkParams)
    people = [p.name for p in params.people]
    occasions = [o.name for o in params.occasions]
    parts = [f"<h2>{esc(msg('kit.network_people'))}</h2>",
             '<ul class="things">' + "".join(f"<li>{esc(p)}</li>" for p in people) + "</ul>",
             f"<h2>{esc(msg('kit.network_occasions'))}</h2>",
             "<ul>" + "".join(f"<li>{esc(o)}</li>" for o in occasions) + "</ul>",
             _p(msg("kit.network_add", n=params.max_added)),
             _table([msg("kit.col_no"), msg("kit.network_col_a"), msg("kit.network_col_b"),
                     msg("kit.network_col_where")],
                    [[str(n), "", "", ""] for n in range(1, params.max_added + 1)],
                    classes=["mark", "blank", "", ""])]
    return parts, people + occasions


def _logic_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    from ..exercises.logic_model import task_of

    model = task_of(spec, course)
    kinds = ["purpose", *model.kinds]
    candidates = sorted(model.candidates.values(), key=lambda c: c.text)  # as the widget offers them
    headers = [msg("kit.col_no"), msg("kit.col_item"), msg("kit.logic_kind_purpose")] + [
        model.kind_name(k) for k in model.kinds] + [
        msg("kit.logic_col_none")]
    rows = [[str(n), c.text] + [""] * (len(kinds) + 1) for n, c in enumerate(candidates, start=1)]
    parts = [_p(msg("kit.logic_sort")),
             _table(headers, rows, classes=["mark", ""] + ["mark"] * (len(kinds) + 1)),
             _p(msg("kit.logic_targets")),
             _table([msg("kit.logic_col_what"), msg("kit.logic_col_how_much"), msg("kit.logic_col_by_when")],
                    [["", "", ""], ["", "", ""]], classes=["wide-blank", "", ""])]
    return parts, [c.text for c in candidates]


def _gap_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    kinds = [k.name for k in course.policy.resource_kinds]
    parts = [f'<p>{esc(msg("kit.gap_purpose"))}</p><div class="box"></div>',
             _table([msg("kit.col_no"), msg("kit.gap_col_need"), msg("kit.gap_col_have")] + kinds
                    + [msg("kit.gap_col_partner")],
                    [[str(n), "", ""] + [""] * len(kinds) + [""] for n in range(1, 7)],
                    classes=["mark", "blank", "", *["mark"] * len(kinds), ""])]
    return parts, kinds


def _first_questions_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    from ..exercises.first_questions import FIELDS, field_label

    labels = [field_label(f) for f in FIELDS]
    kinds = [k.name for k in course.policy.resource_kinds]
    parts = [f"<p>{esc(label)}</p><div class=\"box\"></div>" for label in labels]
    parts.append(_p(msg("kit.fq_kinds") + " " + " ・ ".join(kinds)))
    parts.append(f"<h2>{esc(msg('kit.fq_questions'))}</h2>")
    parts.append('<div class="lines">' + "<div></div>" * 6 + "</div>")
    return parts, labels + kinds


def _contact_plan_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    from ..exercises.contact_plan import month_label, plan_of

    plan = plan_of(spec)
    months = [month_label(m) for m in plan.months]
    kinds = [k.name for k in plan.kinds]
    parts = [f'<p>{esc(msg("kit.plan_title"))}</p><div class="lines"><div></div></div>', _p(msg("kit.plan_note")),
             '<ul class="legend">' + "".join(f"<li>{esc(k.name)}<br><small>{esc(k.clue)}</small></li>"
                                             for k in plan.kinds) + "</ul>",
             _table([""] + months, [[k] + [""] * len(months) for k in kinds],
                    classes=["blank"] + [""] * len(months))]
    return parts, kinds + months


def _donation_worksheet(spec: BuiltSpec, course: Course) -> tuple[list[str], list[str]]:
    from ..exercises.donation import rate_text, settings_of

    rate, params = settings_of(spec, course)
    table = answer_table(spec.id, course=course)
    who = [row[0] for row in table.rows] if table else []
    parts = [_p(msg("kit.donation_given", spending=f"{params.default_spending:,}", users=f"{params.default_users:,}")),
             _p(msg("kit.donation_rate", rate=rate_text(rate))),
             _table([msg("kit.donation_col_who"), msg("kit.donation_col_calc"), msg("kit.donation_col_amount")],
                    [[w, "", ""] for w in who], classes=["", "wide-blank", ""])]
    return parts, who


_BUILT_FORMS = {
    "flow_map": _flow_worksheet, "network": _network_worksheet, "logic_model": _logic_worksheet,
    "gap_finder": _gap_worksheet, "first_questions": _first_questions_worksheet,
    "contact_plan": _contact_plan_worksheet, "donation": _donation_worksheet,
}


def worksheet(spec: ChoiceSpec | BuiltSpec, course: Course | None = None) -> Sheet:
    """The paper form of one exercise."""
    course = course or load_course()
    if isinstance(spec, ChoiceSpec):
        parts, items = _choice_worksheet(spec, course)
    else:
        parts, items = _BUILT_FORMS[spec.kind](spec, course)
    heading = msg("kit.exercise_heading", label=spec.label, title=spec.title)
    top = [f'<p class="instructions">{esc(lesson_title(spec.lesson))}<br>{esc(spec.instructions)}</p>']
    return _section(spec.lesson, spec.id, heading, heading, top + parts, [spec.title, *items])


# --- answer sheets --------------------------------------------------------------------------------------------------

def _lines(heading: str, lines: list[str]) -> str:
    if not lines:
        return ""
    flat = [" ".join(line.split("\n")) for line in lines]
    return f"<h2>{esc(heading)}</h2><ul>" + "".join(f"<li>{esc(_plain(t))}</li>" for t in flat) + "</ul>"


_ROLE = re.compile(r"\{[a-z]+\}`([^`<]*)(?:<[^>]*>)?`")


def _plain(text: str) -> str:
    """Hand-written MyST as plain text: ``{ref}`case3``` -> ``case3``, ``**x**`` -> ``x``."""
    return _ROLE.sub(lambda m: m.group(1).strip(), text).replace("**", "")


def answer_sheet(spec: ChoiceSpec | BuiltSpec, registry: Registry | None = None,
                 course: Course | None = None) -> Sheet:
    """The facilitator's sheet of one exercise: the model answer with every accepted answer and its comment."""
    registry = registry or load_registry()
    course = course or load_course()
    table: Table | None = answer_table(spec.id, registry, course)
    parts = [f'<p class="instructions">{esc(lesson_title(spec.lesson))}<br>{esc(spec.instructions)}</p>']
    items: list[str] = []
    if table is not None:
        parts.append(_table(list(table.headers), [list(r) for r in table.rows]))
        items = [c for row in table.rows for c in row[:2]]
    else:
        parts.append(_p(msg("kit.no_table")))
    if spec.solution_note:
        parts.append(f"<h2>{esc(msg('kit.heading_note'))}</h2>")
        parts += [_p(line) for line in spec.solution_note.split("\n") if line.strip()]
    parts.append(_lines(msg("kit.heading_mistakes"), spec.facilitator.mistakes))
    parts.append(_lines(msg("kit.heading_prompts"), spec.facilitator.prompts))
    heading = msg("kit.exercise_heading", label=spec.label, title=spec.title)
    return _section(spec.lesson, spec.id, heading, heading, parts, items, name_line=False)


# --- forms: reflection, design sheet, exit ticket -------------------------------------------------------------------

_NUMBERED = re.compile(r"^\s*[0-9]+\.\s+(.*\S)\s*$")


def reflection_questions(lesson: str, notebooks: Path | None = None) -> list[str]:
    """The numbered questions under the lesson notebook's 「## 振り返り」 heading (no markup), or ``[]``."""
    from ..outline import load_outline

    folder = notebooks or default_data_dir().resolve().parent / "notebooks"
    path = folder / f"{load_outline().get(lesson).notebook}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return []
    heading = "## " + msg("kit.reflection_heading")
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown" and source.lstrip().startswith(heading):
            return [_plain(m.group(1)) for line in source.splitlines() if (m := _NUMBERED.match(line))]
    return []


def reflection_form(lesson: str) -> Sheet | None:
    """A blank form for the lesson's reflection questions (``None`` when it has none)."""
    questions = reflection_questions(lesson)
    if not questions:
        return None
    parts = [_p(msg("kit.reflection_note"))]
    for n, q in enumerate(questions, start=1):
        parts.append(f"<p>{n}. {esc(q)}</p><div class=\"box\"></div>")
    heading = f"{msg('kit.reflection_heading')}: {lesson_title(lesson)}"
    return _section(lesson, f"{lesson}/reflection", heading, heading, parts, questions)


def design_form() -> Sheet:
    """A blank design sheet: each step of the design with its instructions and room to write."""
    from ..design.sheet import PLAN_STEPS, STEPS

    parts = [_p(msg("kit.design_note"))]
    titles = []
    # the design (steps 1-6), then the partnering plan (7-11): each under its own catalogue
    for catalogue, step in [*(("design", s) for s in STEPS), *(("plan", s) for s in PLAN_STEPS)]:
        title = msg(f"{catalogue}.step_{step}")
        titles.append(title)
        try:
            parts.append(f"<h2>{esc(title)}</h2>" + _p(msg(f"{catalogue}.{step}_instructions"), "note"))
        except KeyError:
            parts.append(f"<h2>{esc(title)}</h2>")
        parts.append('<div class="box"></div>')
    titles.append(msg("review.step"))  # after the project: the mutual review (step 12)
    parts.append(f"<h2>{esc(msg('review.step'))}</h2>" + _p(msg("review.instructions"), "note") + '<div class="box"></div>')
    heading = msg("kit.design_heading")
    return _section("design_sheet", "design_sheet/steps", heading, heading, parts, titles)


def exit_ticket_card() -> Sheet:
    """The exit ticket on paper: three questions on one card (two cards a page, to cut apart)."""
    questions = [msg("kit.exit_first"), msg("kit.exit_unsure"), msg("kit.exit_partner")]
    card = ('<div class="card" style="width:100%;min-height:0;margin:0 0 8mm">'
            f"<h2>{esc(msg('kit.exit_title'))}</h2>{_p(msg('kit.exit_intro'), 'note')}"
            + "".join(f'<p>{n}. {esc(q)}</p><div class="lines"><div></div><div></div></div>'
                      for n, q in enumerate(questions, start=1))
            + f'<p class="note">{esc(msg("kit.exit_cut"))}</p></div>')
    html = f'<section class="sheet">{card}{card}</section>'
    return Sheet("exit", "exit", msg("kit.exit_title"), html, tuple(questions))


# --- per lesson ----------------------------------------------------------------------------------------------------

def kit_lessons() -> list[str]:
    """The lessons that have a worksheet: every learner lesson with exercises, a reflection or the design sheet."""
    from ..outline import load_outline

    registry = load_registry()
    return [lesson.id for lesson in load_outline().lessons
            if lesson.for_learners and (registry.of_lesson(lesson.id) or reflection_questions(lesson.id)
                                        or lesson.id == "design_sheet")]


def lesson_worksheets(lesson: str, registry: Registry | None = None, course: Course | None = None) -> list[Sheet]:
    """Every exercise of the lesson, then its reflection form (the design sheet's lesson: the blank sheet first)."""
    registry = registry or load_registry()
    course = course or load_course()
    sheets = [worksheet(spec, course) for spec in registry.of_lesson(lesson)]
    if lesson == "design_sheet":
        sheets.insert(0, design_form())
    reflection = reflection_form(lesson)
    if reflection is not None:
        sheets.append(reflection)
    return sheets


def lesson_answers(lesson: str, registry: Registry | None = None, course: Course | None = None) -> list[Sheet]:
    registry = registry or load_registry()
    course = course or load_course()
    return [answer_sheet(spec, registry, course) for spec in registry.of_lesson(lesson)]


def sheets_html(title: str, sheets: list[Sheet], extra_css: str = "") -> str:
    """A whole printable document of ``sheets`` (one sheet a page)."""
    from ..printing import document_html

    body = f"<style>\n{KIT_CSS}{extra_css}</style>\n" + "\n".join(s.html for s in sheets)
    return document_html(title, body)
