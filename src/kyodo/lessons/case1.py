"""Exercises of the CASE1 lesson (notebooks/01_case1_greenbird.ipynb).

    from kyodo.lessons import case1
    case1.strengths()          # 演習1: whose strength is it?
    case1.alone_or_together()  # 演習2: whom does each reach, alone and together?
    case1.scheme_order()       # 演習3: the steps of the ward's proposal scheme

The strengths come from ``data/organisations.yml``, the scheme from
``data/cases/case1.yml``; ``data/lessons/case1.yml`` (checked by
:class:`Case1Material`) adds the explanations, clues and the audiences
read from the pamphlet's P2.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..data import Course, DataError, Problem, check_refs, load_lesson_data
from ..exercises.ordering import OrderingTask, Step
from ..exercises.reach import TOGETHER, Audience, Party, ReachTask
from ..exercises.sorting import Category, SortingTask, SortItem
from ..lesson import _friendly, course
from ..models import Id, Text
from ..storage import Store
from ..text import msg
from ..widgets.ordering import OrderingWidget
from ..widgets.reach import ReachWidget
from ..widgets.sorting import SortingWidget

LESSON = "case1"
CASE = "case1"
FILE = "data/lessons/case1.yml"
NEITHER = "neither"
"""The category id for strengths that belong to neither party."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartyClue(_Strict):
    org: Id
    clue: Text


class Distractor(_Strict):
    """A strength of another case's organisation, mixed in as "neither of the two"."""

    org: Id
    strength: Id


class NeitherCategory(_Strict):
    label: Text
    label_en: Text
    clue: Text


class StrengthsMaterial(_Strict):
    parties: list[PartyClue] = Field(min_length=2)
    why: dict[Id, Text]
    distractors: list[Distractor] = []
    neither: NeitherCategory


class AudienceEntry(_Strict):
    id: Id
    name: Text
    name_en: Text
    short: Text | None = None
    """A shorter name for the chart."""
    reached_by: list[Id] | Literal["together"]
    """The parties that reach this audience alone, or ``together`` (only when they work together)."""
    basis: Text
    """What the pamphlet says, in the course's words."""
    why: Text
    clue: Text


class ReachMaterial(_Strict):
    interpretation: Literal[True]
    page: int = Field(ge=1)
    basis: Text
    parties: list[Id] = Field(min_length=2)
    audiences: list[AudienceEntry] = Field(min_length=1)


class Case1Material(_Strict):
    """``data/lessons/case1.yml``."""

    strengths: StrengthsMaterial
    reach: ReachMaterial


def material(data: Course | None = None, data_dir: Any = None) -> Case1Material:
    """Load the lesson material and check every reference against the course data."""
    data = data or course()
    found = load_lesson_data(LESSON, Case1Material, data_dir)
    problems: list[Problem] = []
    members = [p.org for p in data.case(CASE).participants]
    where = msg("data.where_entry", entry="strengths.parties", field="org")
    problems += check_refs(FILE, where, [p.org for p in found.strengths.parties], members)
    own = {s.id for p in found.strengths.parties if p.org in members for s in data.org(p.org).strengths}
    problems += check_refs(FILE, msg("data.where_entry", entry="strengths", field="why"), found.strengths.why, own)
    for missing in sorted(own - set(found.strengths.why)):
        problems.append(Problem(FILE, msg("data.where_entry", entry="strengths", field="why"),
                                msg("greenbird.missing_why", id=missing)))
    org_ids = {o.id for o in data.organisations}
    for i, d in enumerate(found.strengths.distractors, start=1):
        entry = f"strengths.distractors[{i}]"
        if d.org not in org_ids:
            problems += check_refs(FILE, msg("data.where_entry", entry=entry, field="org"), [d.org], org_ids)
        elif d.org in members:
            problems.append(Problem(FILE, msg("data.where_entry", entry=entry, field="org"),
                                    msg("greenbird.distractor_is_member", org=d.org)))
        else:
            problems += check_refs(FILE, msg("data.where_entry", entry=entry, field="strength"), [d.strength],
                                   [s.id for s in data.org(d.org).strengths])
    problems += check_refs(FILE, msg("data.where_entry", entry="reach", field="parties"), found.reach.parties,
                           members)
    for i, a in enumerate(found.reach.audiences, start=1):
        if a.reached_by != TOGETHER:
            problems += check_refs(FILE, msg("data.where_entry_id", entry=f"reach.audiences[{i}]", id=a.id,
                                             field="reached_by"), a.reached_by, found.reach.parties)
    if problems:
        raise DataError(problems)
    return found


# --- wider rows: this lesson's items are long sentences ---------------------------------


class StrengthsWidget(SortingWidget):
    """The sorting widget with room for the pamphlet's long descriptions of strengths."""

    label_width = "29em"
    choice_width = "17em"


class SchemeWidget(OrderingWidget):
    """The ordering widget with room for the scheme's long steps."""

    label_width = "31em"
    choice_width = "8em"


# --- 演習1: whose strength is it? -------------------------------------------------------


def _case_of(data: Course, org_id: str) -> int | None:
    return next((c.number for c in data.cases if any(p.org == org_id for p in c.participants)), None)


def strengths_task(data: Course | None = None) -> SortingTask:
    """Sort each strength to the party that holds it (or to "neither", for another case's strength)."""
    data = data or course()
    mat = material(data).strengths
    categories = [Category(p.org, data.org_name(p.org), p.clue) for p in mat.parties]
    categories.append(Category(NEITHER, mat.neither.label, mat.neither.clue))
    items = [SortItem(s.id, s.text, p.org, mat.why[s.id])
             for p in mat.parties for s in data.org(p.org).strengths]
    for d in mat.distractors:
        strength = next(s for s in data.org(d.org).strengths if s.id == d.strength)
        why = msg("greenbird.distractor_why", number=_case_of(data, d.org), org=data.org_name(d.org))
        items.append(SortItem(f"{d.org}__{d.strength}", strength.text, NEITHER, why))
    return SortingTask(items, categories)


@_friendly
def strengths(exercise_id: str = "演習1", store: Store | None = None) -> StrengthsWidget:
    """Exercise: sort each feature or strength to the party that holds it."""
    return StrengthsWidget(strengths_task(), f"{LESSON}/strengths", exercise_id, msg("greenbird.strengths_title"),
                         msg("greenbird.strengths_instructions"), store=store)


# --- 演習2: alone or together ------------------------------------------------------------


def reach_task(data: Course | None = None) -> ReachTask:
    """The audiences of the pamphlet's P2 and who reaches them, alone or together."""
    data = data or course()
    mat = material(data).reach
    parties = [Party(org, data.org_short(org)) for org in mat.parties]
    audiences = [
        Audience(a.id, a.name,
                 frozenset({TOGETHER}) if a.reached_by == TOGETHER else frozenset(a.reached_by),
                 a.why, a.clue, a.short or "")
        for a in mat.audiences
    ]
    return ReachTask(parties, audiences)


@_friendly
def alone_or_together(exercise_id: str = "演習2", store: Store | None = None) -> ReachWidget:
    """Exercise: predict whom each party reaches alone and whom only both together; then see the table."""
    page = material().reach.page
    return ReachWidget(reach_task(), f"{LESSON}/reach", exercise_id, msg("greenbird.reach_title"),
                       msg("greenbird.reach_instructions"), msg("greenbird.reach_chart_title"),
                       msg("greenbird.reach_chart_note", page=page), store=store)


# --- 演習3: the proposal scheme, in order ----------------------------------------------


def scheme_task(data: Course | None = None) -> OrderingTask:
    data = data or course()
    scheme = data.case(CASE).scheme
    if scheme is None:
        raise DataError([Problem(f"data/cases/{CASE}.yml", msg("data.where_field", field="scheme"),
                                 msg("greenbird.no_scheme"))])
    return OrderingTask([Step(s.id, s.text) for s in scheme.steps])


@_friendly
def scheme_order(exercise_id: str = "演習3", store: Store | None = None) -> SchemeWidget:
    """Exercise: put the steps of the ward's proposal scheme in order."""
    task = scheme_task()
    name = course().case(CASE).scheme.name  # type: ignore[union-attr]  (scheme_task checked it)
    return SchemeWidget(task, f"{LESSON}/scheme", exercise_id, msg("greenbird.scheme_title", name=name),
                          msg("greenbird.scheme_instructions"), store=store)
