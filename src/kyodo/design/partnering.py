"""The course material of the partnering plan (``data/partnering.yml``), validated.

The design sheet's later steps (7 to 12: the form of collaboration, roles and
costs, risks, the measurement plan, the fiscal calendar, the review) read
their material here: the forms and the plain questions that point to them,
what partners can bring, common work, costs and risks, the calendar's steps
with their months, the kinds of first contact, and the review's items and
decisions.

The descriptions are the course's general explanation (shown as 一般的な説明),
never the pamphlet's: only ``pamphlet_example`` states a fact of the
pamphlet, and it names the case (checked against the course's cases). The
months of the calendar are a hypothetical illustration. The review's items
have the health check's shape, so :mod:`kyodo.exercises.health_check`
scores and compares them (:class:`~kyodo.exercises.health_check.HealthCheckMaterial`).

:func:`load_partnering` reads and checks the file (problems are reported as
:class:`~kyodo.data.DataError`, in Japanese, naming the file and the entry).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from ..data import DataError, Problem, _explain, _read_yaml, check_refs, default_data_dir, duplicates, load_course
from ..exercises.health_check import HealthCheckMaterial
from ..models import Id, Strict, Text
from ..text import msg

FILE = "partnering.yml"
PREV, THIS = "prev", "this"


def fiscal_index(month: int) -> int:
    """The place of a month in the fiscal year (April 0 … March 11)."""
    return (month - 4) % 12


class SourceRef(Strict):
    id: Id
    kind: Literal["general", "further_reading"]
    label: Text
    note: Text


class PamphletExample(Strict):
    """A fact of the pamphlet that shows the form (the case is checked against the course)."""

    case: Id
    note: Text


class Form(Strict):
    id: Id
    name: Text
    summary: Text
    fits: Text
    cautions: list[Text] = Field(min_length=1)
    document: Text
    """The document such a form usually uses (general explanation)."""
    city_budget: bool
    """The city's budget usually pays part of it (the calendar then needs a budget request)."""
    further_reading: list[Id] = []
    pamphlet_example: PamphletExample | None = None


class Option(Strict):
    id: Id
    label: Text
    points: list[Id] = Field(min_length=1)


class Question(Strict):
    id: Id
    text: Text
    options: list[Option] = Field(min_length=2)


class Named(Strict):
    id: Id
    name: Text


class CalendarStep(Strict):
    id: Id
    name: Text
    what: Text
    year: Literal["prev", "this"]
    month: int = Field(ge=1, le=12)
    window: tuple[int, int]
    needs: list[Id] = []
    city_budget: bool = False

    @model_validator(mode="after")
    def _window(self) -> CalendarStep:
        lo, hi = self.window
        if not (1 <= lo <= 12 and 1 <= hi <= 12) or fiscal_index(lo) > fiscal_index(hi):
            raise ValueError(msg("plan.data_bad_window", id=self.id))
        if not fiscal_index(lo) <= fiscal_index(self.month) <= fiscal_index(hi):
            raise ValueError(msg("plan.data_month_outside", id=self.id))
        return self

    @property
    def usual(self) -> int:
        """The usual month as a place on the two-year line (see :func:`kyodo.design.plan.month_label`)."""
        return (0 if self.year == PREV else 12) + fiscal_index(self.month)

    def in_window(self, place: int) -> bool:
        start = (0 if self.year == PREV else 12)
        lo, hi = self.window
        return start + fiscal_index(lo) <= place <= start + fiscal_index(hi)


class Calendar(Strict):
    steps: list[CalendarStep] = Field(min_length=1)


class FirstContact(Strict):
    id: Id
    name: Text
    course_desk: bool
    needs: list[Literal["municipality", "desk", "phone", "email", "site"]] = []


class Decision(Strict):
    id: Literal["continue", "change", "close"]
    name: Text
    when: Text
    next_steps: list[Text] = Field(min_length=1)


class Partnering(Strict):
    sources: list[SourceRef] = Field(min_length=1)
    forms: list[Form] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    brings: list[Named] = Field(min_length=1)
    common_work: list[Text] = []
    common_costs: list[Text] = []
    likelihoods: list[Named] = Field(min_length=2)
    risk_examples: list[Text] = []
    calendar: Calendar
    first_contacts: list[FirstContact] = Field(min_length=1)
    review: HealthCheckMaterial
    decisions: list[Decision] = Field(min_length=3, max_length=3)

    def form(self, form_id: str | None) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def source(self, source_id: str) -> SourceRef:
        return next(s for s in self.sources if s.id == source_id)

    def decision(self, decision_id: str | None) -> Decision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)

    def first_contact(self, contact_id: str | None) -> FirstContact:
        """The kind of first contact, or the course's default (the first, Kawasaki's desk)."""
        return next((c for c in self.first_contacts if c.id == contact_id), self.first_contacts[0])

    def step(self, step_id: str) -> CalendarStep:
        return next(s for s in self.calendar.steps if s.id == step_id)


def _problems(data: Partnering, name: str, case_ids: set[str]) -> list[Problem]:
    """References between the parts of the file, and to the course's cases."""
    found: list[Problem] = []
    form_ids = [f.id for f in data.forms]
    reading = {s.id for s in data.sources if s.kind == "further_reading"}
    for label, ids in (("sources", [s.id for s in data.sources]), ("forms", form_ids),
                       ("questions", [q.id for q in data.questions]), ("brings", [b.id for b in data.brings]),
                       ("likelihoods", [x.id for x in data.likelihoods]),
                       ("calendar", [s.id for s in data.calendar.steps]),
                       ("first_contacts", [c.id for c in data.first_contacts]),
                       ("decisions", [d.id for d in data.decisions])):
        found += [Problem(name, label, msg("data.dup_id", id=d)) for d in duplicates(ids)]
    if not any(s.kind == "general" for s in data.sources):
        found.append(Problem(name, "sources", msg("plan.data_no_general")))
    for f in data.forms:
        found += check_refs(name, f"forms: {f.id}: further_reading", f.further_reading, reading)
        if f.pamphlet_example is not None:
            found += check_refs(name, f"forms: {f.id}: pamphlet_example", [f.pamphlet_example.case], case_ids)
    for q in data.questions:
        found += [Problem(name, f"questions: {q.id}", msg("data.dup_id", id=d)) for d in duplicates(o.id for o in q.options)]
        for o in q.options:
            found += check_refs(name, f"questions: {q.id}: {o.id}", o.points, form_ids)
    steps = [s.id for s in data.calendar.steps]
    for n, s in enumerate(data.calendar.steps):
        found += check_refs(name, f"calendar: {s.id}: needs", s.needs, steps[:n])  # only earlier steps: no cycles
    if data.first_contacts[0].course_desk is not True:
        found.append(Problem(name, "first_contacts", msg("plan.data_default_contact")))
    return found


def load_partnering_from(data_dir: Path) -> Partnering:
    """Read and check ``data_dir/partnering.yml`` (raises :class:`DataError` with every problem)."""
    name = f"{data_dir.name}/{FILE}"
    problems: list[Problem] = []
    raw = _read_yaml(data_dir / FILE, name, problems)
    if raw is None:
        raise DataError(problems)
    try:
        data = Partnering.model_validate(raw)
    except ValidationError as err:
        raise DataError(_explain(err, raw, name)) from None
    problems = _problems(data, name, {c.id for c in load_course(data_dir).cases})
    if problems:
        raise DataError(problems)
    return data


@lru_cache(maxsize=4)
def _cached(data_dir: Path) -> Partnering:
    return load_partnering_from(data_dir)


def load_partnering(data_dir: str | Path | None = None) -> Partnering:
    """The partnering material of the course (``$KYODO_DATA`` or ``data/``), cached per folder."""
    path = Path(data_dir) if data_dir is not None else default_data_dir()
    return _cached(path.resolve())
