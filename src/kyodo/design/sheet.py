"""The collaboration design sheet (協働・連携デザインシート): its steps and how they fit together.

A design is built step by step in the capstone notebook. Each step is an
exercise widget of its own that saves its state in the learner's store
under ``design/<step>``:

============  ====================================================  =============================
step          what the learner writes                               logic
============  ====================================================  =============================
issue         who they are, the local issue, who is affected         :class:`~kyodo.widgets.form.Field`
gaps          purpose, needs, what they have, what is missing (kind) :class:`~kyodo.exercises.gap_finder.GapFinder`
partners      partners, the gaps each fills, their purpose, motives,  :class:`Partner` (this module)
              constraints, gains, roles
logic         activities and outcomes with targets                  :class:`~kyodo.exercises.logic_model.LogicModel`
contact       a year of recurring contact                            :class:`~kyodo.exercises.contact_plan.ContactPlan`
first_step    whom to contact first (Kawasaki's desk by default, or   :class:`~kyodo.widgets.form.Field`,
              another city's desk, a colleague, an intermediary),   :class:`~kyodo.design.plan.Contact`
              what to ask, who, when
============  ====================================================  =============================

Then the partnering plan (:mod:`kyodo.design.plan`) and, after the project,
the review (:mod:`kyodo.design.review`), saved the same way:

============  ====================================================  =============================
form          the form of collaboration (委託, 協定 …) and why          :class:`~kyodo.design.plan.FormPlan`
roles         roles, what each party brings, costs, responsibilities :class:`~kyodo.design.plan.Roles`
risks         risks and personal information                        :class:`~kyodo.design.plan.Risks`
measures      how each outcome of step 4 is measured and shared      :class:`~kyodo.design.plan.Measures`
calendar      the months of the fiscal year's steps                  :class:`~kyodo.design.plan.CalendarPlan`
review        each side's ratings, the decision, the next step       :class:`~kyodo.design.review.Review`
============  ====================================================  =============================

:func:`design_from_states` reads all of them back (from a store, or from an
exported file) through the same logic classes, which drop whatever does not
fit, so a hand-edited or foreign state can never break the summary. A state
saved or exported before the plan existed has no plan parts: they read as
empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..data import Course
from ..exercises.contact_plan import ContactPlan
from ..exercises.gap_finder import GapFinder
from ..exercises.logic_model import BASIC_KINDS, LogicModel
from ..storage import Store
from ..text import clean_text, msg
from ..widgets.form import Field, clean_fields
from .partnering import load_partnering
from .plan import (
    CalendarPlan,
    Contact,
    FormPlan,
    Measures,
    Risks,
    Roles,
    calendar_from_state,
    contact_from_state,
    form_from_state,
    measures_from_state,
    party_names,
    risks_from_state,
    roles_from_state,
)
from .review import Review, review_from_state

STEPS = ("issue", "gaps", "partners", "logic", "contact", "first_step")
"""The steps of the design itself (the class overview counts these)."""
PLAN_STEPS = ("form", "roles", "risks", "measures", "calendar")
"""The steps of the partnering plan (7 to 11)."""
REVIEW = "review"
"""The review after the project (step 12)."""
PARTS = (*STEPS, *PLAN_STEPS, REVIEW)
"""Every part the sheet saves, exports and imports, in the order of the sheet."""
STEP_NUMBERS = {part: n for n, part in enumerate(PARTS, start=1)}
LOGIC_KINDS = BASIC_KINDS
"""The design sheet's logic model keeps resources → activities → outcomes (no outputs), so exported
designs and the class overview read the same as before the CASE4 lesson gained outputs."""
MAX_PARTNERS = 5
NAME_LIMIT = 60
TEXT_LIMIT = 400


def key(step: str) -> str:
    """Where a step is saved in the learner's store."""
    return f"design/{step}"


def issue_fields() -> list[Field]:
    return [
        Field("team", msg("design.f_team"), msg("design.ph_team"), multiline=False, limit=NAME_LIMIT),
        Field("issue", msg("design.f_issue"), msg("design.ph_issue")),
        Field("affected", msg("design.f_affected"), msg("design.ph_affected")),
    ]


def first_step_fields() -> list[Field]:
    return [
        Field("question", msg("design.f_question"), msg("design.ph_question")),
        Field("who", msg("design.f_who"), msg("design.ph_who"), multiline=False, limit=NAME_LIMIT),
        Field("when", msg("design.f_when"), msg("design.ph_when"), multiline=False, limit=NAME_LIMIT),
    ]


PARTNER_TEXTS = ("reason", "purpose", "motives", "gains", "role")
"""The free-text fields of a partner, in the order the sheet asks for them."""


@dataclass(frozen=True)
class Partner:
    name: str
    type_id: str | None = None
    fills: tuple[int, ...] = ()
    """Numbers (1-based) of the gap finder's rows marked missing that this partner fills."""
    reason: str = ""
    purpose: str = ""
    motives: str = ""
    gains: str = ""
    role: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type_id, "fills": list(self.fills),
                **{f: getattr(self, f) for f in PARTNER_TEXTS}}


def partner_from_state(raw: Any, course: Course) -> Partner | None:
    """A partner from saved data, or ``None`` when it has no name (an empty card)."""
    if not isinstance(raw, dict):
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    type_ids = {t.id for t in course.actor_types}
    type_id = raw.get("type") if raw.get("type") in type_ids else None
    fills = raw.get("fills")
    numbers = tuple(sorted({n for n in fills if isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 50}))\
        if isinstance(fills, list) else ()
    texts = {f: clean_text(raw[f], TEXT_LIMIT)[0] if isinstance(raw.get(f), str) else "" for f in PARTNER_TEXTS}
    return Partner(clean_text(name.replace("\n", " "), NAME_LIMIT)[0].strip(), type_id, numbers, **texts)


def partners_from_state(state: Any, course: Course) -> list[Partner]:
    cards = state.get("partners") if isinstance(state, dict) else None
    if not isinstance(cards, list):
        return []
    found = (partner_from_state(card, course) for card in cards[:MAX_PARTNERS])
    return [p for p in found if p is not None]


def new_logic_model() -> LogicModel:
    """The logic model of the design sheet (kinds :data:`LOGIC_KINDS`)."""
    return LogicModel(kinds=LOGIC_KINDS)


def new_contact_plan() -> ContactPlan:
    """The year plan of the design sheet, with the kinds of contact the CASE5 lesson uses (``case5-ex3``)."""
    from ..exercises.contact_plan import plan_of_exercise

    return plan_of_exercise("case5-ex3")


@dataclass
class Design:
    """A whole design, read back through the logic of every step."""

    course: Course
    issue: dict[str, str] = field(default_factory=dict)
    gaps: GapFinder | None = None
    partners: list[Partner] = field(default_factory=list)
    logic: LogicModel = field(default_factory=new_logic_model)
    contact: ContactPlan = field(default_factory=new_contact_plan)
    first_step: dict[str, str] = field(default_factory=dict)
    first_contact: Contact = field(default_factory=Contact)
    form: FormPlan = field(default_factory=FormPlan)
    roles: Roles = field(default_factory=Roles)
    risks: Risks = field(default_factory=Risks)
    measures: Measures = field(default_factory=Measures)
    calendar: CalendarPlan = field(default_factory=CalendarPlan)
    review: Review = field(default_factory=Review)

    def __post_init__(self) -> None:
        if self.gaps is None:
            self.gaps = GapFinder(self.course)

    @property
    def finder(self) -> GapFinder:
        assert self.gaps is not None
        return self.gaps

    @property
    def title(self) -> str:
        return self.issue.get("team") or msg("design.untitled")

    def missing_rows(self) -> list[tuple[int, str, str | None]]:
        """(number, text, kind) of every need marked missing, numbered as in the gap finder."""
        return [(n, row.text, row.kind) for n, row in enumerate(self.finder.rows, start=1)
                if row.status == "missing" and row.text]

    def have_rows(self) -> list[str]:
        return [row.text for row in self.finder.rows if row.status == "have" and row.text]

    def needs(self) -> list[str]:
        return [row.text for row in self.finder.rows if row.text]

    def party_names(self) -> dict[str, str]:
        """``us`` and ``p1`` … (the partners of step 3, in order) → their names."""
        return party_names(self.issue.get("team", ""), [p.name for p in self.partners])

    @property
    def plan_started(self) -> bool:
        """Something is written in one of the plan's steps (7 to 11)."""
        return not (self.form.empty and self.roles.empty and self.risks.empty and self.measures.empty
                    and self.calendar.empty)

    @property
    def empty(self) -> bool:
        return not (self.issue or self.finder.answered or self.finder.purpose or self.partners
                    or self.logic.size or self.contact.mark_count or self.first_step or not self.first_contact.empty
                    or self.plan_started or not self.review.empty)

    def to_states(self) -> dict[str, Any]:
        """The design as the states the step widgets save (for export)."""
        first_step: dict[str, Any] = {"values": dict(self.first_step)}
        if not self.first_contact.empty:  # absent, as before the contact could be chosen
            first_step["contact"] = self.first_contact.to_state()
        return {
            "issue": {"values": dict(self.issue)},
            "gaps": self.finder.to_state(),
            "partners": {"partners": [p.to_state() for p in self.partners]},
            "logic": self.logic.to_state(),
            "contact": self.contact.to_state(),
            "first_step": first_step,
            "form": self.form.to_state(),
            "roles": self.roles.to_state(),
            "risks": self.risks.to_state(),
            "measures": self.measures.to_state(),
            "calendar": self.calendar.to_state(),
            "review": self.review.to_state(),
        }


def design_from_states(course: Course, states: Mapping[str, Any]) -> Design:
    """Rebuild a design from step states (anything that does not fit is dropped)."""
    design = Design(course)
    design.issue = clean_fields(issue_fields(), states.get("issue"))
    design.finder.load_state(states.get("gaps"))
    design.partners = partners_from_state(states.get("partners"), course)
    design.logic.load_state(states.get("logic"))
    design.contact.load_state(states.get("contact"))
    design.first_step = clean_fields(first_step_fields(), states.get("first_step"))
    material = load_partnering()
    first_step = states.get("first_step")
    design.first_contact = contact_from_state(first_step.get("contact") if isinstance(first_step, dict) else None,
                                              material)
    design.form = form_from_state(states.get("form"), material)
    design.roles = roles_from_state(states.get("roles"), material)
    design.risks = risks_from_state(states.get("risks"), material)
    design.measures = measures_from_state(states.get("measures"), material)
    design.calendar = calendar_from_state(states.get("calendar"), material)
    design.review = review_from_state(states.get(REVIEW), material)
    return design


def states_from_store(store: Store) -> dict[str, Any]:
    return {step: store.get(key(step)) for step in PARTS}
