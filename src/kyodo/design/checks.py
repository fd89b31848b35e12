"""Checks of a whole design: is it complete, and does it hold together?

Completeness: every step has something in it. Consistency, across steps:

* a gap (a need marked missing) that no partner fills;
* a partner who gains nothing (mutual benefit: every partner needs a gain of its own);
* a partner whose own purpose and motives are not written (mutual understanding);
* a partner with no role;
* an outcome without a full target (何を・どのくらい・いつまでに) and an activity that
  serves no outcome — from the logic model's own check;
* gaps in the year of contact — from the contact plan's own check;
* notes: a purpose that names the means (協働・連携) rather than the change sought,
  and a logic model whose purpose differs from the one of step 2.

Each finding says which step to go back to.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from ..exercises.gap_finder import MEANS_WORDS
from ..text import msg
from .sheet import STEPS, Design

Level = Literal["problem", "note", "good"]

LOGIC_CODES = {"no_purpose", "no_activity", "no_outcome", "activity_no_outcome", "outcome_no_target",
               "outcome_partial_target", "outcome_unreached"}
"""The logic model's problems that the design sheet reports (the rest is advice for the lesson)."""


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    step: str
    message: str


@dataclass(frozen=True)
class DesignCheck:
    findings: tuple[Finding, ...]
    steps_done: tuple[str, ...]

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "problem")

    @property
    def notes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "note")

    @property
    def complete(self) -> bool:
        return len(self.steps_done) == len(STEPS) and not self.problems

    def codes(self) -> set[str]:
        return {f.code for f in self.problems}

    @property
    def summary(self) -> str:
        if not self.steps_done:
            return msg("design.summary_empty")
        if self.complete:
            return msg("design.summary_complete")
        return msg("design.summary_progress", done=len(self.steps_done), total=len(STEPS),
                   problems=len(self.problems))


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _step_done(design: Design, step: str) -> bool:
    if step == "issue":
        return bool(design.issue.get("issue"))
    if step == "gaps":
        return bool(design.finder.purpose and design.needs())
    if step == "partners":
        return bool(design.partners)
    if step == "logic":
        return bool(design.logic.of_kind("activity") or design.logic.of_kind("outcome"))
    if step == "contact":
        return design.contact.mark_count > 0
    return bool(design.first_step.get("question"))


def check_design(design: Design) -> DesignCheck:
    found: list[Finding] = []
    done = tuple(s for s in STEPS if _step_done(design, s))
    for step in STEPS:
        if step not in done:
            found.append(Finding("problem", f"empty_{step}", step, msg(f"design.empty_{step}")))

    purpose = design.finder.purpose
    if purpose and any(word in purpose for word in MEANS_WORDS):
        found.append(Finding("note", "purpose_is_means", "gaps", msg("design.purpose_is_means")))
    if purpose and design.logic.purpose and _plain(purpose) != _plain(design.logic.purpose):
        found.append(Finding("note", "purpose_differs", "logic", msg("design.purpose_differs")))

    missing = design.missing_rows()
    if "gaps" in done and not missing:
        found.append(Finding("problem", "no_missing", "gaps", msg("design.no_missing")))
    for number, text, kind in missing:
        if kind is None:
            found.append(Finding("note", "gap_no_kind", "gaps", msg("design.gap_no_kind", text=text)))
        if not any(number in p.fills for p in design.partners):
            found.append(Finding("problem", "unfilled_gap", "partners", msg("design.unfilled_gap", text=text)))

    known = {n for n, _, _ in missing}
    for p in design.partners:
        if not p.gains:
            found.append(Finding("problem", "partner_no_gain", "partners", msg("design.partner_no_gain", name=p.name)))
        if not (p.purpose or p.motives):
            found.append(Finding("problem", "partner_not_understood", "partners",
                                 msg("design.partner_not_understood", name=p.name)))
        if not p.role:
            found.append(Finding("problem", "partner_no_role", "partners", msg("design.partner_no_role", name=p.name)))
        if not set(p.fills) & known:
            found.append(Finding("note", "partner_fills_nothing", "partners",
                                 msg("design.partner_fills_nothing", name=p.name)))
        if p.type_id is None:
            found.append(Finding("note", "partner_no_type", "partners", msg("design.partner_no_type", name=p.name)))

    if "logic" in done:
        for issue in design.logic.check().problems:
            if issue.code in LOGIC_CODES and issue.code != "no_purpose":
                found.append(Finding("problem", issue.code, "logic", issue.message))
    if "contact" in done:
        for f in design.contact.check().problems:
            found.append(Finding("problem", f"contact_{f.code}", "contact", f.message))

    if "first_step" in done and not design.first_step.get("who"):
        found.append(Finding("note", "first_step_no_owner", "first_step", msg("design.first_step_no_owner")))
    return DesignCheck(tuple(found), done)
