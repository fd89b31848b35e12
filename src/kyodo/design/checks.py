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

The partnering plan (steps 7 to 11) is checked once any of it is written
(before that, one note says it is the next thing to do):

* 7: no form chosen; a form unlike the answers' (note); costs the city bears
  in a form in which the city usually pays nothing (note);
* 8: work nobody owns (an activity of step 4 or another task), costs nobody
  bears, a partner that only receives (does, brings, owns and bears nothing),
  an owner who is no longer among the partners;
* 9: no risk, a risk without its likelihood, owner or response, personal
  information not answered, or handled without whose, who keeps it and how
  it is protected;
* 10: an outcome of step 4 without a full measurement (indicator, baseline,
  target, who, when, how it is shared);
* 11: a step of the fiscal year without a month, a step planned before the
  approvals it needs, a month outside the usual window (note);
* 6: a contact other than the course's default without what it needs, or
  with a phone number, e-mail or web address that cannot be one.

The review (step 12) is checked once it is started: fewer than two sides
rated, gaps between the sides (notes: topics to talk about), no decision,
no next step.

Each finding says which step to go back to.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from ..exercises.gap_finder import MEANS_WORDS
from ..text import msg
from .partnering import Partnering, load_partnering
from .plan import (
    PARTIES,
    best_forms,
    contact_format_problems,
    order_problems,
    steps_needed,
)
from .review import gap_line, review_gaps
from .sheet import PLAN_STEPS, REVIEW, STEPS, Design

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
    plan_done: tuple[str, ...] = ()
    """The plan's steps (7 to 11) that have something in them (step 7: a form is chosen)."""
    plan_started: bool = False

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

    def of_step(self, step: str) -> tuple[Finding, ...]:
        """The findings that send the learner back to ``step``."""
        return tuple(f for f in self.findings if f.step == step)

    @property
    def plan_complete(self) -> bool:
        """Every step of the plan is written and none of them has a problem."""
        return len(self.plan_done) == len(PLAN_STEPS) and not any(f.step in PLAN_STEPS for f in self.problems)

    @property
    def summary(self) -> str:
        if not self.steps_done and not self.plan_started:
            return msg("design.summary_empty")
        if self.complete:
            text = msg("design.summary_complete")
        else:
            text = msg("design.summary_progress", done=len(self.steps_done), total=len(STEPS),
                       problems=len(self.problems))
        if self.plan_started:
            text += msg("plan.summary_plan", done=len(self.plan_done), total=len(PLAN_STEPS))
        return text


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

    material = load_partnering()
    found += contact_findings(design, material)
    plan_done = tuple(s for s in PLAN_STEPS if (design.form.chosen is not None if s == "form"
                                                 else not getattr(design, s).empty))
    if design.plan_started:
        found += plan_findings(design, material, plan_done)
    elif len(done) == len(STEPS):
        found.append(Finding("note", "plan_not_started", "form", msg("plan.not_started")))
    if not design.review.empty:
        found += review_findings(design, material)
    return DesignCheck(tuple(found), done, plan_done, design.plan_started)


def contact_findings(design: Design, material: Partnering) -> list[Finding]:
    """Step 6: the chosen contact has what its kind needs, in a form that can reach someone."""
    contact = design.first_contact
    kind = material.first_contact(contact.kind)
    found = []
    missing = [f for f in kind.needs if not getattr(contact, f)]
    if missing:
        fields = "、".join(msg(f"plan.contact_{f}" if f != "desk" else f"plan.contact_desk_{kind.id}") for f in missing)
        found.append(Finding("problem", "desk_incomplete", "first_step",
                             msg("plan.contact_incomplete", kind=kind.name, fields=fields)))
    for f in contact_format_problems(contact):
        found.append(Finding("problem", f"desk_bad_{f}", "first_step",
                             msg("plan.contact_bad", text=msg(f"plan.bad_{f}", value=getattr(contact, f)))))
    if not kind.course_desk and not (contact.phone or contact.email or contact.site) and kind.id != "colleague":
        found.append(Finding("note", "desk_no_way", "first_step", msg("plan.contact_no_way")))
    return found


def plan_findings(design: Design, material: Partnering, plan_done: tuple[str, ...]) -> list[Finding]:
    """Steps 7 to 11, once the plan is started."""
    found = [Finding("problem", f"empty_{s}", s, msg(f"plan.empty_{s}")) for s in PLAN_STEPS if s not in plan_done]
    names = design.party_names()
    present = set(names)

    # 7 the form
    form = material.form(design.form.chosen)
    if form is not None:
        if not design.form.reason:
            found.append(Finding("note", "form_no_reason", "form", msg("plan.form_no_reason", form=form.name)))
        best = best_forms(material, design.form.answers)
        if best and form.id not in {m.form_id for m in best}:
            found.append(Finding("note", "form_unlike_answers", "form",
                                 msg("plan.form_unlike_answers", form=form.name,
                                     best="、".join(m.name for m in best))))
        if not form.city_budget and design.roles.bears("us"):
            found.append(Finding("note", "form_city_pays", "form", msg("plan.form_city_pays", form=form.name)))

    # 8 roles, costs and responsibilities
    roles = design.roles
    if "roles" in plan_done:
        for activity in design.logic.of_kind("activity"):
            owner = roles.activities.get(activity.id)
            if owner is None:
                found.append(Finding("problem", "work_no_owner", "roles", msg("plan.work_no_owner", text=activity.text)))
            elif owner in PARTIES and owner not in present:
                found.append(Finding("problem", "owner_gone", "roles",
                                     msg("plan.owner_gone_work", text=activity.text, party=owner)))
        for task in roles.tasks:
            if task.text and task.owner is None:
                found.append(Finding("problem", "work_no_owner", "roles", msg("plan.work_no_owner", text=task.text)))
            elif task.text and task.owner in PARTIES and task.owner not in present:
                found.append(Finding("problem", "owner_gone", "roles",
                                     msg("plan.owner_gone_work", text=task.text, party=task.owner)))
        for cost in roles.costs:
            label = cost.item or cost.amount
            if cost.bearer is None:
                found.append(Finding("problem", "cost_no_bearer", "roles", msg("plan.cost_no_bearer", item=label)))
            elif cost.bearer in PARTIES and cost.bearer not in present:
                found.append(Finding("problem", "owner_gone", "roles",
                                     msg("plan.owner_gone_cost", item=label, party=cost.bearer)))
            if not cost.item:
                found.append(Finding("problem", "cost_no_item", "roles", msg("plan.cost_no_item", amount=cost.amount)))
        if not roles.costs:
            found.append(Finding("note", "no_costs", "roles", msg("plan.no_costs")))
        for n, partner in enumerate(design.partners, start=1):
            party = f"p{n}"
            role = roles.role(party)
            if not (role.does or role.brings or role.brings_note or roles.owns(party)):
                found.append(Finding("problem", "partner_only_receives", "roles",
                                     msg("plan.partner_only_receives", name=partner.name)))
            elif not role.answers_for:
                found.append(Finding("note", "party_no_responsibility", "roles",
                                     msg("plan.party_no_responsibility", name=partner.name)))
        if not roles.role("us").answers_for:
            found.append(Finding("note", "party_no_responsibility", "roles",
                                 msg("plan.party_no_responsibility", name=names["us"])))

    # 9 risks and personal information
    risks = design.risks
    if "risks" in plan_done:
        if not risks.risks:
            found.append(Finding("problem", "no_risks", "risks", msg("plan.no_risks")))
        for risk in risks.risks:
            label = risk.text or msg("plan.risk_unnamed")
            missing = risk.missing()
            if not risk.text:
                found.append(Finding("problem", "risk_no_text", "risks", msg("plan.risk_no_text")))
            if missing:
                found.append(Finding("problem", "risk_incomplete", "risks", msg(
                    "plan.risk_incomplete", text=label, parts="、".join(msg(f"plan.risk_{p}") for p in missing))))
            elif risk.owner in PARTIES and risk.owner not in present:
                found.append(Finding("problem", "owner_gone", "risks",
                                     msg("plan.owner_gone_risk", text=label, party=risk.owner)))
        personal = risks.personal
        if personal.handled is None:
            found.append(Finding("problem", "personal_unanswered", "risks", msg("plan.personal_unanswered")))
        elif personal.handled == "yes":
            missing = personal.missing()
            if missing:
                found.append(Finding("problem", "personal_incomplete", "risks", msg(
                    "plan.personal_incomplete", parts="、".join(msg(f"plan.personal_{p}") for p in missing))))
            elif personal.keeper not in present:
                found.append(Finding("problem", "owner_gone", "risks", msg(
                    "plan.owner_gone_personal", party=personal.keeper)))

    # 10 the measurement plan
    outcomes = design.logic.of_kind("outcome")
    if "measures" in plan_done:
        if not outcomes:
            found.append(Finding("note", "measures_no_outcomes", "measures", msg("plan.measures_no_outcomes")))
        for outcome in outcomes:
            measure = design.measures.of(outcome.id)
            if measure.empty:
                found.append(Finding("problem", "outcome_no_measure", "measures",
                                     msg("plan.outcome_no_measure", text=outcome.text)))
            elif measure.missing():
                found.append(Finding("problem", "measure_incomplete", "measures", msg(
                    "plan.measure_incomplete", text=outcome.text,
                    parts="、".join(msg(f"plan.measure_{f}") for f in measure.missing()))))
        known = {o.id for o in outcomes}
        orphans = [o for o in design.measures.by_outcome if o not in known]
        if orphans:
            found.append(Finding("note", "measure_orphan", "measures", msg("plan.measure_orphan", n=len(orphans))))

    # 11 the calendar
    needed = steps_needed(material, design.form.chosen)
    plan = design.calendar
    if "calendar" in plan_done:
        for step in material.calendar.steps:
            if step.id not in needed:
                continue
            if step.id not in plan.months:
                found.append(Finding("problem", "calendar_missing", "calendar",
                                     msg("plan.calendar_missing", step=step.name)))
            elif not step.in_window(plan.months[step.id]):
                found.append(Finding("note", "calendar_outside", "calendar",
                                     msg("plan.calendar_outside", step=step.name)))
        for problem in order_problems(material, plan, design.form.chosen):
            found.append(Finding("problem", "calendar_order", "calendar", msg(
                "plan.calendar_order", step=material.step(problem.step).name, needs=material.step(problem.needs).name)))
    return found


def review_findings(design: Design, material: Partnering) -> list[Finding]:
    """Step 12, once the review is started."""
    review = design.review
    names = design.party_names()
    found = []
    sides = review.rated_sides()
    if len(sides) < 2:
        found.append(Finding("problem", "review_one_side", REVIEW, msg("review.one_side")))
    total = len(material.review.items)
    for side in sides:
        if len(review.answers[side]) < total:
            found.append(Finding("note", "review_partly", REVIEW, msg(
                "review.partly", side=names.get(side, side), answered=len(review.answers[side]), total=total)))
    for gap in review_gaps(material, review):
        found.append(Finding("note", "review_gap", REVIEW, gap_line(gap, names)))
    decision = material.decision(review.decision)
    if decision is None:
        found.append(Finding("problem", "review_no_decision", REVIEW, msg("review.no_decision")))
    elif not (review.next_what and review.next_who and review.next_when):
        found.append(Finding("problem", "review_no_next", REVIEW, msg("review.no_next", decision=decision.name)))
    return found
