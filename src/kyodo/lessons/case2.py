"""CASE2 (企業と行政, 「川崎きらり☆WAON」): the lesson's exercises.

    from kyodo.lessons import case2
    case2.stakeholder_expectations()   # 演習1: who expects what of a company
    case2.benefit_ledger()             # 演習2: what each party gains
    case2.donation_calculator()        # 演習3: 0.1% of card spending as a donation

The material lives in ``data/lessons/case2.yml`` and is checked by
:class:`Case2Material` (unknown fields are refused) and by
:func:`material`, which checks its references against the course data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..data import Course, DataError, Problem, check_refs, load_course, load_lesson_data
from ..exercises.ledger import NOBODY, SHARED, BenefitLedger, Party, Statement
from ..exercises.sorting import Category, SortingTask, SortItem
from ..lesson import _friendly, course
from ..models import Id, Text
from ..text import msg
from ..widgets.donation import DonationWidget
from ..widgets.ledger import LedgerWidget
from ..widgets.sorting import SortingWidget

LESSON = "case2"
FILE = "data/lessons/case2.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectation(_Strict):
    id: Id
    stakeholder: Id
    text: Text
    text_en: Text | None = None
    why: Text
    """Why this expectation shapes how a company decides (the course's general explanation)."""


class StakeholderExpectations(_Strict):
    general_explanation: Literal[True]
    """Must be true: these are the course's words about companies in general, not facts about the case."""
    clues: dict[Id, Text]
    items: list[Expectation] = Field(min_length=2)


class LedgerParty(_Strict):
    id: Id
    name: Text
    name_en: Text
    orgs: list[Id] = Field(min_length=1)
    clue: Text


class LedgerStatement(_Strict):
    id: Id
    owner: Id
    basis: Literal["text", "distractor"]
    text: Text
    text_en: Text | None = None
    why: Text


class LedgerMaterial(_Strict):
    interpretation: Literal[True]
    parties: list[LedgerParty] = Field(min_length=2)
    shared_label: Text
    nobody_label: Text
    statements: list[LedgerStatement] = Field(min_length=2)


class Calculator(_Strict):
    hypothetical: Literal[True]
    """Must be true: the pamphlet gives no spending or user numbers."""
    default_spending: int = Field(ge=0, le=1_000_000)
    default_users: int = Field(ge=0, le=10_000_000)


class Case2Material(_Strict):
    lesson: Literal["case2"]
    stakeholder_expectations: StakeholderExpectations
    benefit_ledger: LedgerMaterial
    calculator: Calculator


def check_material(mat: Case2Material, crs: Course, file: str = FILE) -> list[Problem]:
    """Cross-checks against the course data: stakeholders, organisations, owners."""
    case = crs.case(LESSON)
    stakeholder_ids = [s.id for s in case.stakeholders]
    exp = mat.stakeholder_expectations
    problems = check_refs(file, "stakeholder_expectations.items.stakeholder",
                          [i.stakeholder for i in exp.items], stakeholder_ids)
    problems += check_refs(file, "stakeholder_expectations.clues", list(exp.clues), stakeholder_ids)
    for sid in stakeholder_ids:
        if sid not in exp.clues:
            problems.append(Problem(file, "stakeholder_expectations.clues", msg("waon_lesson.missing_clue", id=sid)))
    participants = [p.org for p in case.participants]
    for party in mat.benefit_ledger.parties:
        problems += check_refs(file, f"benefit_ledger.parties (id: {party.id}).orgs", party.orgs, participants)
    owners = [p.id for p in mat.benefit_ledger.parties] + [SHARED, NOBODY]
    problems += check_refs(file, "benefit_ledger.statements.owner",
                           [s.owner for s in mat.benefit_ledger.statements], owners)
    for s in mat.benefit_ledger.statements:
        if (s.basis == "distractor") != (s.owner == NOBODY):
            problems.append(Problem(file, f"benefit_ledger.statements (id: {s.id})",
                                    msg("waon_lesson.basis_owner", id=s.id)))
    ids = [i.id for i in exp.items] + [s.id for s in mat.benefit_ledger.statements]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(file, f"id: {dup}", msg("data.dup_id", id=dup)))
    if case.donation_rate is None:
        problems.append(Problem("data/cases/case2.yml", "donation_rate", msg("waon_lesson.no_rate")))
    return problems


def material(data_dir: str | Path | None = None) -> Case2Material:
    """The lesson's material, validated and cross-checked (raises :class:`DataError`)."""
    mat = load_lesson_data(LESSON, Case2Material, data_dir)
    problems = check_material(mat, load_course(data_dir))
    if problems:
        raise DataError(problems)
    return mat


class StakeholderWidget(SortingWidget):
    """The sorting widget with room for longer statements and short stakeholder names."""

    label_width = "28em"
    choice_width = "12em"


# --- building the exercises (pure: usable in tests without widgets) -----------------

def stakeholder_task(mat: Case2Material, crs: Course) -> SortingTask:
    """Match what is typically expected of a company to the stakeholder who expects it."""
    case = crs.case(LESSON)
    clues = mat.stakeholder_expectations.clues
    categories = [Category(s.id, s.name, clues[s.id]) for s in case.stakeholders]
    names = {s.id: s.name for s in case.stakeholders}
    items = [SortItem(i.id, i.text, i.stakeholder, msg("waon_lesson.expectation_why", who=names[i.stakeholder],
                                                       why=i.why))
             for i in mat.stakeholder_expectations.items]
    return SortingTask(items, categories)


def ledger_task(mat: Case2Material) -> BenefitLedger:
    led = mat.benefit_ledger
    parties = [Party(p.id, p.name, p.clue) for p in led.parties]
    statements = [Statement(s.id, s.text, s.owner, s.why) for s in led.statements]
    return BenefitLedger(parties, statements, led.shared_label, led.nobody_label)


# --- what the notebook calls ----------------------------------------------------------------

@_friendly
def stakeholder_expectations(exercise_id: str = "演習1") -> StakeholderWidget:
    """Exercise: which stakeholder typically expects what of a company (the course's general explanation)."""
    task = stakeholder_task(material(), course())
    return StakeholderWidget(task, f"{LESSON}/stakeholders", exercise_id, msg("waon_lesson.stakeholders_title"),
                         msg("waon_lesson.stakeholders_instructions"))


@_friendly
def benefit_ledger(exercise_id: str = "演習2") -> LedgerWidget:
    """Exercise: put each benefit in the column of the party that gains it; check every party gains."""
    return LedgerWidget(ledger_task(material()), f"{LESSON}/ledger", exercise_id, msg("ledger.title"),
                        msg("ledger.instructions"))


@_friendly
def donation_calculator(exercise_id: str = "演習3") -> DonationWidget:
    """Exercise: how the case's share of card spending becomes a donation (hypothetical numbers)."""
    mat = material()
    rate = course().case(LESSON).donation_rate
    assert rate is not None  # checked by material()
    return DonationWidget(rate, mat.calculator.default_spending, mat.calculator.default_users,
                          f"{LESSON}/donation", exercise_id)
