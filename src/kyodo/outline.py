"""The course outline: every lesson in reading order, as data (``data/course.yml``).

One entry per notebook gives the lesson's ``id`` (the one ``data/exercises/``,
``data/self_checks/`` and ``kyodo.self_check`` use), the MyST ``label`` of its
title, its ``notebook``, the ``part`` of the book it belongs to, its audience,
its minutes per phase (講義・演習・振り返り, or the phases of its own), what one
needs to know first, its objectives and its key points.

The lesson pages show them with ``kyodo.objectives("case3")`` and
``kyodo.key_points("case3")`` (see :mod:`kyodo.cells`), like the ``objectives``
and ``keypoints`` blocks of a Carpentries lesson: the words live in one place,
and the total time is computed, never typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from .data import DataError, Problem, _at, _explain, _read_yaml, default_data_dir, duplicates
from .models import Id, Strict, Text
from .text import esc, msg
from .views import _table

Label = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
"""A MyST label, e.g. ``intro-why`` or ``first-step``."""

NotebookStem = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}[a-z]?_[a-z0-9_]+$")]
"""A notebook's file name without ``.ipynb``, e.g. ``03_case3_compost``. A lesson put between two
others takes the earlier one's number and a letter (``05a_case6_...`` after ``05_case5_...``), so
that no later notebook has to be renamed."""


def notebook_number(stem: str) -> str:
    """The reading-order part of a notebook's name: ``05`` of ``05_case5_community``, ``05a`` of ``05a_case6_x``."""
    return stem.split("_", 1)[0]

Part = Literal["objectives", "time"]
"""What ``kyodo.objectives(..., only=...)`` shows: the objectives, or the audience and time table."""


class Minutes(Strict):
    """A length of time in minutes: ``15`` in the file, or a range ``{min: 45, max: 60}``."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="before")
    @classmethod
    def _number_or_range(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"min": value, "max": value}
        if not isinstance(value, dict):
            raise ValueError(msg("outline.minutes_form"))
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Minutes:
        if self.max < self.min:
            raise ValueError(msg("outline.range_order", min=self.min, max=self.max))
        return self

    def __add__(self, other: Minutes) -> Minutes:
        return Minutes(min=self.min + other.min, max=self.max + other.max)

    @property
    def ranged(self) -> bool:
        return self.min != self.max

    def __str__(self) -> str:
        if self.ranged:
            return msg("outline.minutes_range", min=self.min, max=self.max)
        return msg("outline.minutes", n=self.min)


class Lesson(Strict):
    id: Id
    label: Label
    """The MyST label of the notebook's title: ``(label)=``."""
    notebook: NotebookStem
    part: Text
    """The caption of the book part (``book/_toc.yml``) the notebook is listed under."""
    audience: Text
    minutes: dict[Text, Minutes] = {}
    """Phase -> minutes, in the order the table shows them (e.g. 講義, 演習, 振り返り)."""
    prerequisites: Text | None = None
    """What one needs to know first, in plain text (sentences with cross-references stay in the notebook)."""
    objectives: list[Text] = []
    key_points: list[Text] = []
    for_learners: bool = True
    """False for a facilitator's tool (the class overview): the classroom's lesson list leaves it out."""

    @property
    def total(self) -> Minutes | None:
        """The sum of the phases (``None`` when the lesson has no times)."""
        phases = list(self.minutes.values())
        if not phases:
            return None
        total = phases[0]
        for phase in phases[1:]:
            total = total + phase
        return total


class OutlineFile(Strict):
    lessons: list[Lesson] = Field(min_length=1)


@dataclass(frozen=True)
class Outline:
    lessons: tuple[Lesson, ...]
    file: str = "data/course.yml"

    @property
    def by_id(self) -> Mapping[str, Lesson]:
        return {lesson.id: lesson for lesson in self.lessons}

    def get(self, lesson_id: str) -> Lesson:
        try:
            return self.by_id[lesson_id]
        except KeyError:
            known = ", ".join(lesson.id for lesson in self.lessons)
            raise DataError([Problem(self.file, "", msg("outline.unknown_lesson", id=lesson_id,
                                                          known=known))]) from None

    def by_label(self, label: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.label == label:
                return lesson
        known = ", ".join(lesson.label for lesson in self.lessons)
        raise DataError([Problem(self.file, "", msg("outline.unknown_label", label=label, known=known))])


# --- loading --------------------------------------------------------------------------------


def load_outline(data_dir: str | Path | None = None) -> Outline:
    """Read and check ``data/course.yml`` (cached per folder)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return _load_cached(folder.resolve())


@lru_cache(maxsize=4)
def _load_cached(folder: Path) -> Outline:
    name = f"{folder.name}/course.yml"
    problems: list[Problem] = []
    raw = _read_yaml(folder / "course.yml", name, problems)
    if raw is None:
        raise DataError(problems)
    try:
        parsed = OutlineFile.model_validate(raw)
    except ValidationError as err:
        raise DataError(_explain(err, raw, name)) from None
    lessons = parsed.lessons
    for field in ("id", "label", "notebook"):
        for dup in duplicates(getattr(lesson, field) for lesson in lessons):
            problems.append(Problem(name, msg("data.where_entry", entry="lessons", field=field),
                                    msg("outline.dup", field=field, value=dup)))
    for n, (before, lesson) in enumerate(zip(lessons, lessons[1:]), start=2):
        if notebook_number(lesson.notebook) <= notebook_number(before.notebook):
            problems.append(Problem(name, _at(f"lessons[{n}]", "notebook", lesson.id),
                                    msg("outline.notebook_order", notebook=lesson.notebook,
                                        before=before.notebook)))
    ids = {lesson.id for lesson in lessons}
    for kind in ("exercises", "self_checks", "lessons"):
        for path in sorted((folder / kind).glob("*.yml")):
            if path.stem not in ids:
                problems.append(Problem(name, msg("data.where_field", field="lessons"),
                                        msg("outline.lesson_missing", file=f"{folder.name}/{kind}/{path.name}",
                                            lesson=path.stem)))
    if problems:
        raise DataError(problems)
    return Outline(tuple(lessons), name)


# --- rendering ------------------------------------------------------------------------------


def _list(tag: str, items: list[str], label: str) -> str:
    rows = "".join(f"<li>{esc(item)}</li>" for item in items)
    return f"<{tag} aria-label='{esc(label)}' style='margin:0.3em 0 0.6em 0'>{rows}</{tag}>"


def _note(text: str) -> str:
    return f"<p style='margin:0.3em 0'>{esc(text)}</p>"


def time_table_html(lesson: Lesson) -> str:
    """The audience and the minutes per phase, with the computed total (and what to know first)."""
    total = lesson.total
    if total is None:
        return _note(msg("outline.no_minutes"))
    headers = [msg("outline.col_audience"), *lesson.minutes, msg("outline.col_total")]
    row = [lesson.audience, *(str(m) for m in lesson.minutes.values()), str(total)]
    html = _table(headers, [row], msg("outline.time_caption"))
    if lesson.prerequisites:
        html += _note(lesson.prerequisites)
    return html


def objectives_html(lesson: Lesson, only: Part | None = None) -> str:
    """The objectives (numbered) and the audience and time table; ``only`` picks one of the two."""
    if only not in (None, "objectives", "time"):
        raise KeyError(msg("outline.unknown_part", value=only))
    parts = []
    if only in (None, "objectives"):
        parts.append(_list("ol", lesson.objectives, msg("outline.objectives_label")) if lesson.objectives
                     else _note(msg("outline.no_objectives")))
    if only in (None, "time"):
        parts.append(time_table_html(lesson))
    return f"<div class='kyodo-outline'>{''.join(parts)}</div>"


def key_points_html(lesson: Lesson) -> str:
    """The key points of the lesson, as a list."""
    if not lesson.key_points:
        return f"<div class='kyodo-outline'>{_note(msg('outline.no_key_points'))}</div>"
    return f"<div class='kyodo-outline'>{_list('ul', lesson.key_points, msg('outline.key_points_label'))}</div>"
