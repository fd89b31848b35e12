"""The facilitator kit as data (``data/kit.yml``): run sheets, answer cards, technology fallbacks.

Validated with pydantic like the rest of the course data; a problem names the
file and the entry. Each part of a run sheet must add up to its minutes, each
exercise an answer card names must exist in the registry, and each lesson a
session or fallback names must be a lesson of ``data/course.yml``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from ..data import DataError, Problem, _explain, _read_yaml, default_data_dir
from ..models import Id, Strict, Text
from ..text import msg


class Row(Strict):
    minutes: int = Field(ge=1, le=180)
    activity: Text
    say: Text
    """What the facilitator says: the key message in one or two sentences."""
    do: Text
    """What learners do."""
    use: Text
    """Which board view, projector page or worksheet to use."""
    debrief: Text | None = None
    """The question that opens the debrief."""


class SessionPart(Strict):
    title: Text
    minutes: int = Field(ge=1)
    rows: list[Row] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> SessionPart:
        total = sum(r.minutes for r in self.rows)
        if total != self.minutes:
            raise ValueError(msg("kit_data.minutes", title=self.title, total=total, minutes=self.minutes))
        return self

    def start_times(self) -> list[int]:
        """The minute each row starts at (0 for the first)."""
        starts, now = [], 0
        for row in self.rows:
            starts.append(now)
            now += row.minutes
        return starts


class Session(Strict):
    id: Id
    title: Text
    label: str
    """The MyST label of the guide's section on this session."""
    variant_of: Id | None = None
    lessons: list[Id] = Field(min_length=1)
    prepare: Text
    answer_card: list[str] = Field(min_length=1)
    """The exercises whose keys the session's answer card shows."""
    parts: list[SessionPart] = Field(min_length=1)

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.parts)


class Fallback(Strict):
    lesson: Id
    sheet: Text
    print: Text
    drop: Text


class Pamphlet(Strict):
    if_missing: Text


class KitFile(Strict):
    sessions: list[Session] = Field(min_length=1)
    fallback: list[Fallback] = Field(min_length=1)
    pamphlet: Pamphlet


def load_kit(data_dir: str | Path | None = None) -> KitFile:
    """Read and check ``data/kit.yml`` (cached per folder); raises :class:`DataError`."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return _load_cached(folder.resolve())


@lru_cache(maxsize=4)
def _load_cached(folder: Path) -> KitFile:
    from ..outline import load_outline
    from ..registry import load_registry

    name = f"{folder.name}/kit.yml"
    problems: list[Problem] = []
    raw = _read_yaml(folder / "kit.yml", name, problems)
    if raw is None:
        raise DataError(problems or [Problem(name, "", msg("kit_data.missing"))])
    try:
        kit = KitFile.model_validate(raw)
    except ValidationError as err:
        raise DataError(_explain(err, raw, name)) from None
    lessons = {lesson.id for lesson in load_outline(folder).lessons}
    registry = load_registry(folder)
    ids = [s.id for s in kit.sessions]
    for n, session in enumerate(kit.sessions, start=1):
        where = f"sessions[{n}] (id: {session.id})"
        for lesson in session.lessons:
            if lesson not in lessons:
                problems.append(Problem(name, where, msg("kit_data.unknown_lesson", lesson=lesson)))
        for exercise in session.answer_card:
            if exercise not in registry.exercises:
                problems.append(Problem(name, where, msg("kit_data.unknown_exercise", id=exercise)))
        if session.variant_of is not None and session.variant_of not in ids:
            problems.append(Problem(name, where, msg("kit_data.unknown_session", id=session.variant_of)))
    for n, fallback in enumerate(kit.fallback, start=1):
        if fallback.lesson not in lessons:
            problems.append(Problem(name, f"fallback[{n}]", msg("kit_data.unknown_lesson", lesson=fallback.lesson)))
    if len(set(ids)) != len(ids):
        problems.append(Problem(name, "sessions", msg("kit_data.duplicate")))
    if problems:
        raise DataError(problems)
    return kit
