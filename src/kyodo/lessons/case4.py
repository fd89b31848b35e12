"""CASE4 (市民活動団体と企業, キャリア教育プログラム): the lesson's exercises.

    from kyodo.lessons import case4
    case4.who_brings_what()       # 演習1: who brings which resource, of which kind
    case4.logic_model()           # 演習2: purpose → resources → activities → outputs → outcomes
    case4.programme_abilities()   # 演習3: which programme builds which ability (reasoned, no single answer)

The material lives in ``data/lessons/case4.yml`` and is checked by
:class:`Case4Material` (unknown fields are refused) and by
:func:`material`, which checks its references against the course data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..data import Course, DataError, Problem, check_refs, load_course, load_lesson_data
from ..exercises.contributions import ContributionTask, contributions_task
from ..exercises.logic_model import KINDS, Candidate, Target
from ..exercises.reasoned_match import Option, ReasonedMatch, Reading
from ..lesson import _friendly
from ..models import Id, Text
from ..text import msg
from ..widgets.logic_model import LogicModelWidget
from ..widgets.reasoned_match import ReasonedMatchWidget
from ..widgets.sorting import SortingWidget

LESSON = "case4"
FILE = "data/lessons/case4.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Distractor(_Strict):
    org: Id
    strength: Id


class Contributions(_Strict):
    distractors: list[Distractor] = []


class ExampleTarget(_Strict):
    what: Text
    how_much: Text
    by_when: Text


class LogicCandidate(_Strict):
    id: Id
    fits: Literal["purpose", "resource", "activity", "output", "outcome", "none"]
    text: Text
    text_en: Text | None = None
    why: Text
    example_target: ExampleTarget | None = None


class LogicMaterial(_Strict):
    hypothetical_targets: Literal[True]
    """Must be true: the pamphlet gives no targets, so every example target is hypothetical."""
    purpose_candidates: list[LogicCandidate] = Field(min_length=1)
    candidates: list[LogicCandidate] = Field(min_length=3)


class ProgrammeReading(_Strict):
    programme: Id
    abilities: list[Id] = Field(min_length=1)
    reason: Text
    prompt: Text


class ProgrammeReadings(_Strict):
    interpretation: Literal[True]
    """Must be true: the pamphlet does not say which programme builds which ability."""
    readings: list[ProgrammeReading] = Field(min_length=1)


class Case4Material(_Strict):
    lesson: Literal["case4"]
    contributions: Contributions
    logic_model: LogicMaterial
    programme_readings: ProgrammeReadings


def check_material(mat: Case4Material, crs: Course, file: str = FILE) -> list[Problem]:
    """Cross-checks against the course data: organisations, strengths, programmes, abilities."""
    case = crs.case(LESSON)
    members = {p.org for p in case.participants}
    problems: list[Problem] = []
    known_orgs = [o.id for o in crs.organisations]
    for i, d in enumerate(mat.contributions.distractors, start=1):
        where = f"contributions.distractors[{i}]"
        bad = check_refs(file, where, [d.org], known_orgs)
        problems += bad
        if bad:
            continue
        if d.org in members:
            problems.append(Problem(file, where, msg("career_lesson.distractor_in_case", org=d.org)))
        problems += check_refs(file, where, [d.strength], [s.id for s in crs.org(d.org).strengths])
    lm = mat.logic_model
    ids = [c.id for c in lm.purpose_candidates + lm.candidates]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(file, f"logic_model (id: {dup})", msg("data.dup_id", id=dup)))
    for c in lm.purpose_candidates:
        if c.fits not in ("purpose", "none"):
            problems.append(Problem(file, f"logic_model.purpose_candidates (id: {c.id})",
                                    msg("career_lesson.purpose_fits", id=c.id)))
    for c in lm.candidates:
        if c.fits == "purpose":
            problems.append(Problem(file, f"logic_model.candidates (id: {c.id})",
                                    msg("career_lesson.entry_fits", id=c.id)))
        if c.example_target is not None and c.fits != "outcome":
            problems.append(Problem(file, f"logic_model.candidates (id: {c.id})",
                                    msg("career_lesson.target_not_outcome", id=c.id)))
    for kind in KINDS:
        if not any(c.fits == kind for c in lm.candidates):
            problems.append(Problem(file, "logic_model.candidates", msg("career_lesson.kind_missing", kind=kind)))
    readings = mat.programme_readings.readings
    problems += check_refs(file, "programme_readings.readings.programme", [r.programme for r in readings],
                           [p.id for p in case.programmes])
    for r in readings:
        problems += check_refs(file, f"programme_readings (programme: {r.programme}).abilities", r.abilities,
                               [a.id for a in case.abilities])
    return problems


def material(data_dir: str | Path | None = None) -> Case4Material:
    """The lesson's material, validated and cross-checked (raises :class:`DataError`)."""
    mat = load_lesson_data(LESSON, Case4Material, data_dir)
    problems = check_material(mat, load_course(data_dir))
    if problems:
        raise DataError(problems)
    return mat


class ContributionWidget(SortingWidget):
    """The sorting widget with room for the longer (partner・kind) choices."""

    label_width = "24em"
    choice_width = "24em"


# --- building the exercises (pure: usable in tests without widgets) -----------------

def contribution_task(mat: Case4Material, crs: Course) -> ContributionTask:
    return contributions_task(crs, LESSON, [(d.org, d.strength) for d in mat.contributions.distractors])


def logic_candidates(mat: Case4Material) -> list[Candidate]:
    def make(c: LogicCandidate, for_purpose: bool) -> Candidate:
        ex = c.example_target
        target = Target(ex.what, ex.how_much, ex.by_when) if ex is not None else None
        return Candidate(c.id, c.text, c.fits, c.why, target, for_purpose)

    lm = mat.logic_model
    return [make(c, True) for c in lm.purpose_candidates] + [make(c, False) for c in lm.candidates]


def programme_match(mat: Case4Material, crs: Course) -> ReasonedMatch:
    case = crs.case(LESSON)
    names = {p.id: p.name for p in case.programmes}
    options = [Option(a.id, a.name) for a in case.abilities]
    readings = [Reading(r.programme, names[r.programme], frozenset(r.abilities), r.reason, r.prompt)
                for r in mat.programme_readings.readings]
    return ReasonedMatch(options, readings)


# --- what the notebook calls ----------------------------------------------------------------

@_friendly
def who_brings_what(exercise_id: str = "演習1") -> ContributionWidget:
    """Exercise: which partner brings which resource, and of which kind (with other cases' strengths mixed in)."""
    task = contribution_task(material(), load_course())
    return ContributionWidget(task, f"{LESSON}/contributions", exercise_id, msg("contribution.title"),
                         msg("contribution.instructions"))


@_friendly
def logic_model(exercise_id: str = "演習2") -> LogicModelWidget:
    """Exercise: build a small logic model of the programme and check that it holds together."""
    return LogicModelWidget(f"{LESSON}/logic_model", exercise_id, msg("career_lesson.logic_title"),
                            msg("career_lesson.logic_instructions"), logic_candidates(material()))


@_friendly
def programme_abilities(exercise_id: str = "演習3") -> ReasonedMatchWidget:
    """Exercise: link each programme to the abilities it may build, then compare with the course's reading."""
    return ReasonedMatchWidget(programme_match(material(), load_course()), f"{LESSON}/programmes", exercise_id,
                               msg("career_lesson.programmes_title"), msg("career_lesson.programmes_instructions"))
