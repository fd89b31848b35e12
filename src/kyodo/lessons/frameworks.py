"""Lesson ``frameworks`` (notebooks/07_frameworks): Kawasaki's viewpoints beside other frameworks.

    from kyodo.lessons import frameworks
    frameworks.comparison_table()            # the frameworks side by side (a view)
    frameworks.further_reading()             # full citations

The frameworks live in ``data/lessons/frameworks.yml`` and are checked by
:class:`FrameworksMaterial` plus :func:`check_material`. The lesson's two
exercises (``frameworks-ex1``: other principles to the three viewpoints;
``frameworks-ex2``: CASE4 in logic-model order) are in the exercise
registry, ``data/exercises/frameworks.yml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from IPython.display import HTML, display
from pydantic import Field

from ..data import Course, DataError, Problem, duplicates, load_course, load_lesson_data
from ..cells import _friendly
from ..models import Id, Strict, Text
from ..text import esc, msg

LESSON_ID = "frameworks"


class Element(Strict):
    id: Id
    name: Text
    name_en: Text | None = None
    note: Text | None = None
    group: Text | None = None
    """E.g. 段階 or 原則, when a framework has elements of more than one kind."""


class Framework(Strict):
    id: Id
    name: Text
    short: Text
    name_en: Text
    origin: Text
    year: Text | None = None
    kind: Text
    purpose: Text
    elements: list[Element] = Field(min_length=1)
    relation: Text
    """How it relates to Kawasaki's three viewpoints (the course's reading)."""
    source: Text
    """The full citation."""
    read_for: Text
    caution: Text | None = None
    """Set when the wording must be checked against the original before use."""


class Home(Strict):
    kind: Text
    purpose: Text
    relation: Text


class FrameworksMaterial(Strict):
    interpretation: Literal[True]
    home: Home
    frameworks: list[Framework] = Field(min_length=1)


# --- loading and cross-checks -------------------------------------------------------------

def check_material(material: FrameworksMaterial, course: Course, file: str) -> list[Problem]:
    """Problems that need the rest of the course to see."""
    problems: list[Problem] = []
    fw_ids = [f.id for f in material.frameworks]

    def where(entry: str, fieldname: str) -> str:
        return msg("data.where_entry", entry=entry, field=fieldname)

    for dup in duplicates(fw_ids):
        problems.append(Problem(file, "frameworks", msg("data.dup_id", id=dup)))
    for n, fw in enumerate(material.frameworks, start=1):
        for dup in duplicates(e.id for e in fw.elements):
            problems.append(Problem(file, where(f"frameworks[{n}]", "elements"), msg("data.dup_id", id=dup)))
    return problems


def load(data_dir: str | Path | None = None) -> tuple[Course, FrameworksMaterial]:
    """The course and this lesson's material, both checked (raises :class:`DataError`)."""
    course = load_course(data_dir)
    material = load_lesson_data(LESSON_ID, FrameworksMaterial, data_dir)
    folder = Path(data_dir).name if data_dir is not None else "data"
    problems = check_material(material, course, f"{folder}/lessons/{LESSON_ID}.yml")
    if problems:
        raise DataError(problems)
    return course, material


# --- views (HTML, every value escaped) ---------------------------------------------------------

_CELL = "padding:0.35em 0.6em;vertical-align:top;border-top:1px solid #ccc"


def _elements(elements: list[Element]) -> str:
    groups: dict[str | None, list[str]] = {}
    for e in elements:
        groups.setdefault(e.group, []).append(esc(e.name))
    parts = []
    for group, names in groups.items():
        joined = "、".join(names)
        parts.append(f"{esc(group)}: {joined}" if group else joined)
    return "<br>".join(parts)


def comparison_html(course: Course, material: FrameworksMaterial) -> str:
    """The frameworks side by side, Kawasaki's basic policy first."""
    policy = course.policy

    def first_cell(name: str, origin: str, kind: str, caution: str | None = None) -> str:
        note = (f"<br><small role='note'>{esc(msg('frameworks.caution_mark'))} {esc(caution)}</small>"
                if caution else "")
        return (f"<strong>{esc(name)}</strong><br><small>{esc(origin)}</small>"
                f"<br><small>{esc(msg('frameworks.kind_label'))}: {esc(kind)}</small>{note}")

    rows: list[tuple[str, str, str, str]] = [(
        first_cell(policy.name, f"{msg('frameworks.kawasaki')}、{policy.adopted_ja}", material.home.kind),
        esc(material.home.purpose), "、".join(esc(v.name) for v in policy.viewpoints), esc(material.home.relation),
    )]
    for fw in material.frameworks:
        origin = fw.origin + (f"、{fw.year}" if fw.year else "")
        rows.append((first_cell(fw.name, origin, fw.kind, fw.caution), esc(fw.purpose), _elements(fw.elements),
                     esc(fw.relation)))
    headers = [msg("frameworks.col_name"), msg("frameworks.col_purpose"), msg("frameworks.col_elements"),
               msg("frameworks.col_relation")]
    widths = ("24%", "27%", "20%", "29%")
    cols = "".join(f"<col style='width:{w}'>" for w in widths)
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.35em 0.6em'>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='{_CELL}'>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        "<div style='overflow-x:auto'><table style='border-collapse:collapse;margin:0.5em 0;font-size:0.92em;"
        "width:100%;min-width:42em'>"
        f"<caption style='text-align:left;font-weight:bold'>{esc(msg('frameworks.table_caption'))}</caption>"
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        f"<p style='margin:0;font-size:0.9em'>{esc(msg('frameworks.table_note'))}</p>"
    )


def reading_html(course: Course, material: FrameworksMaterial) -> str:
    """Further reading: the course's own sources, then every framework, each with a full citation."""
    items = []
    for source in course.sources:
        extra = "、".join(esc(x) for x in (source.date, source.pages) if x)
        items.append(f"<li>{esc(source.publisher)}「{esc(source.title)}」{extra}。"
                     + (f"<br><small>{esc(source.note)}</small>" if source.note else "") + "</li>")
    for fw in material.frameworks:
        caution = f" <small>{esc(msg('frameworks.caution_mark'))} {esc(fw.caution)}</small>" if fw.caution else ""
        items.append(f"<li>{esc(fw.source)}{caution}<br><small>{esc(msg('frameworks.read_for'))}: "
                     f"{esc(fw.read_for)}</small></li>")
    return (f"<ol style='line-height:1.6'>{''.join(items)}</ol>"
            f"<p style='margin:0;font-size:0.9em'>{esc(msg('frameworks.reading_note'))}</p>")


# --- what the notebook calls ----------------------------------------------------------------------

@_friendly
def comparison_table() -> None:
    """Show the frameworks side by side."""
    course, material = load()
    display(HTML(comparison_html(course, material)))


@_friendly
def further_reading() -> None:
    """Show the full citations, with what each is worth reading for."""
    course, material = load()
    display(HTML(reading_html(course, material)))
