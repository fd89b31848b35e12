"""Model answers, generated from the exercise registry: one source for every view.

* :func:`answer_table` gives an exercise's model answer as a plain table
  (headers and rows of text): the one place answers are turned into words.
* :func:`solution_html` shows it under the exercise in the lesson
  (``kyodo.solution("case3-ex2")`` in a hidden-input cell), folded away.
* :func:`answer_key_markdown` writes a lesson's section of the
  facilitator's answer page (``make answers``, run by ``make book``),
  with the hand-written material of the registry: how the check works,
  common mistakes and discussion prompts.

Exercises with logic of their own give their table through
:data:`TABLE_BUILDERS` (by kind).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .data import Course, load_course
from .exercises.choice import LIST_SEP, Answer, ChoiceTask
from .registry import BuiltSpec, ChoiceSpec, Registry, choice_task, load_registry
from .text import esc, msg


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _show(task: ChoiceTask, value: Answer) -> str:
    if isinstance(value, str):
        return task.label(value)
    return LIST_SEP.join(o.label for o in task.options if o.id in value)


def choice_table(spec: ChoiceSpec, course: Course) -> Table:
    """Item, its answer, what else is accepted (with the comment), and why; discussion items give readings."""
    task = choice_task(spec, course)
    items = [task.item(i.id) for i in spec.items]  # the data's order, not the shuffled one
    if spec.mode == "order":  # in the right order, not as shown
        items = sorted(items, key=lambda i: int(str(i.right[0].value)))
    rows = []
    for item in items:
        if item.scored:
            right = " / ".join(_show(task, a.value) for a in item.right)
            also = " ".join(msg("solution.also_entry", answer=_show(task, a.value), comment=a.comment)
                            for a in item.accepted if a.grade == "also")
            rows.append((item.text, right, also or msg("solution.none"), item.why))
        else:  # a discussion item: the readings as answers, marked as such, with what speaks for each
            readings = " / ".join(msg("solution.reading", answer=_show(task, r.value)) for r in item.readings)
            reasons = " ".join([r.comment for r in item.readings] + ([item.why] if item.why else []))
            rows.append((item.text, readings, msg("solution.discussion"), reasons))
    headers = (msg("solution.col_item"), msg("solution.col_answer"), msg("solution.col_also"), msg("solution.col_why"))
    return Table(headers, tuple(rows))


TABLE_BUILDERS: dict[str, str] = {
    "flow_map": "kyodo.exercises.flowmap:answer_table",
    "network": "kyodo.exercises.network:answer_table",
    "logic_model": "kyodo.exercises.logic_model:answer_table",
    "gap_finder": "kyodo.exercises.gap_finder:answer_table",
    "first_questions": "kyodo.exercises.first_questions:answer_table",
    "contact_plan": "kyodo.exercises.contact_plan:answer_table",
    "donation": "kyodo.exercises.donation:answer_table",
}
"""Kind -> ``module:function`` giving the model answer of exercises with logic of their own
(``function(spec: BuiltSpec, course: Course) -> Table | None``; a module without the
function has no table, only the registry's ``solution_note``)."""


def answer_table(exercise_id: str, registry: Registry | None = None, course: Course | None = None) -> Table | None:
    """The model answer of an exercise as a table (``None`` when it has no single answer to tabulate)."""
    registry = registry or load_registry()
    course = course or load_course()
    spec = registry.get(exercise_id)
    if isinstance(spec, ChoiceSpec):
        return choice_table(spec, course)
    target = TABLE_BUILDERS.get(spec.kind)
    if target is None:
        return None
    module, _, name = target.partition(":")
    builder: Callable[[BuiltSpec, Course], Table | None] | None = getattr(importlib.import_module(module), name, None)
    return builder(spec, course) if builder is not None else None


def table_html(table: Table) -> str:
    """The table as HTML, every cell escaped; short columns keep a readable width."""
    cell = "padding:0.3em 0.6em;vertical-align:top;border-bottom:1px solid #ddd;min-width:7em"
    head = "".join(f"<th scope='col' style='text-align:left;{cell}'>{esc(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(f"<td style='{cell}'>{esc(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    return (f"<table style='border-collapse:collapse;margin:0.5em 0;width:100%'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def solution_html(exercise_id: str) -> str:
    """The model answer under an exercise, folded away (HTML ``<details>``: it works on the website too)."""
    registry = load_registry()
    spec = registry.get(exercise_id)
    table = answer_table(exercise_id, registry)
    parts = [table_html(table)] if table else []
    if spec.solution_note:
        parts += [f"<p>{esc(line)}</p>" for line in spec.solution_note.split("\n") if line.strip()]
    summary = esc(msg("solution.summary", label=spec.label))
    return f"<details><summary>{summary}</summary>{''.join(parts)}</details>"


# --- the facilitator's answer page ---------------------------------------------------------------


def _md(text: str) -> str:
    """Text for a Markdown table cell or line: no markup, no line breaks."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]<>#{}$":
        out = out.replace(ch, "\\" + ch)
    return out


def answer_key_markdown(lesson: str, registry: Registry | None = None, course: Course | None = None) -> str:
    """The lesson's section of the facilitator's answer page, as MyST Markdown (level-3 headings)."""
    registry = registry or load_registry()
    course = course or load_course()
    out: list[str] = []
    for spec in registry.of_lesson(lesson):
        out.append(f"### {_md(spec.label)} {_md(spec.title)}\n")
        out.append(msg("solution.where", label=spec.id) + "\n")
        table = answer_table(spec.id, registry, course)
        if table is not None:
            out.append(f"**{msg('solution.heading_answer')}**\n")
            out.append("| " + " | ".join(_md(h) for h in table.headers) + " |")
            out.append("|" + "---|" * len(table.headers))
            out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table.rows]
            out.append("")
        if spec.solution_note:
            out += [line for line in spec.solution_note.split("\n") if line.strip()]
            out.append("")
        for lines, heading in ((spec.facilitator.checking, msg("solution.heading_checking")),
                               (spec.facilitator.mistakes, msg("solution.heading_mistakes")),
                               (spec.facilitator.prompts, msg("solution.heading_prompts"))):
            if lines:
                out.append(f"**{heading}**\n")
                out += [f"- {' '.join(line.split(chr(10)))}" for line in lines]  # hand-written MyST
                out.append("")
    return "\n".join(out)


def _form(spec: ChoiceSpec | BuiltSpec) -> str:
    if isinstance(spec, ChoiceSpec):
        forms = {"one": msg("solution.form_one"), "many": msg("solution.form_many"),
                 "exactly": msg("solution.form_exactly", pick=spec.pick), "order": msg("solution.form_order")}
        return forms[spec.mode]
    forms = {"flow_map": "solution.form_flow_map", "network": "solution.form_network",
             "logic_model": "solution.form_logic_model", "gap_finder": "solution.form_gap_finder",
             "first_questions": "solution.form_first_questions", "contact_plan": "solution.form_contact_plan",
             "donation": "solution.form_donation"}
    return msg(forms[spec.kind])


def _nature(spec: ChoiceSpec | BuiltSpec, course: Course) -> str:
    if not isinstance(spec, ChoiceSpec):
        return msg("solution.nature_own")
    task = choice_task(spec, course)
    if task.reflective:
        return msg("solution.nature_reflective")
    also = sum(a.grade == "also" for i in task.items for a in i.accepted)
    discussion = sum(not i.scored for i in task.items)
    text = msg("solution.nature_scored")
    if also:
        text += msg("solution.nature_also", n=also)
    if discussion:
        text += msg("solution.nature_discussion", n=discussion)
    return text


def overview_markdown(registry: Registry | None = None, course: Course | None = None) -> str:
    """One table of every exercise: where it is, its form, and whether its answers are fixed."""
    from .outline import load_outline

    registry = registry or load_registry()
    course = course or load_course()
    out = [f"| {msg('solution.col_lesson')} | {msg('solution.col_exercise')} | {msg('solution.col_form')} "
           f"| {msg('solution.col_nature')} |", "|---|---|---|---|"]
    for lesson in load_outline().lessons:  # in reading order
        for spec in registry.of_lesson(lesson.id):
            out.append(f"| {{ref}}`{lesson.label}` | {{ref}}`{spec.id}` | {_md(_form(spec))} "
                       f"| {_md(_nature(spec, course))} |")
    return "\n".join(out) + "\n"


def write_answer_pages(folder: str | Path) -> list[Path]:
    """Write one Markdown file per lesson (``<lesson>.md``) for the facilitator's answer page to include."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    registry = load_registry()
    course = load_course()
    written = []
    for lesson in registry.lessons:
        path = target / f"{lesson}.md"
        text = answer_key_markdown(lesson, registry, course)
        if not path.exists() or path.read_text(encoding="utf-8") != text:  # unchanged files keep their time
            path.write_text(text, encoding="utf-8")
        written.append(path)
    overview = target / "overview.md"
    text = overview_markdown(registry, course)
    if not overview.exists() or overview.read_text(encoding="utf-8") != text:
        overview.write_text(text, encoding="utf-8")
    written.append(overview)
    for stale in set(target.glob("*.md")) - set(written):
        stale.unlink()
    return written

