"""The partnering plan: the design sheet's steps 7 to 11 and the first step's contact, as plain data.

No widgets here. Each part is a small frozen dataclass with ``to_state`` (what
the step's widget saves and the export carries) and a ``*_from_state``
function that reads any saved value back, dropping what does not fit:

=========  ===========================================================  ======================
part       what the learner writes                                      class
=========  ===========================================================  ======================
form       answers to the plain questions, the chosen form, why          :class:`FormPlan`
roles      per party: what it does, brings, answers for; who owns each   :class:`Roles`
           activity of step 4 and each other task; who bears each cost
risks      risks (likelihood, owner, response); personal information     :class:`Risks`
measures   per outcome of step 4: indicator, baseline, target, who,      :class:`Measures`
           when, how it is shared
calendar   the month of each step of the fiscal year                     :class:`CalendarPlan`
(step 6)   whom to contact first: Kawasaki's desk (the default), another  :class:`Contact`
           municipality's desk, a colleague or an intermediary
=========  ===========================================================  ======================

Parties are ``us`` (the learner's side) and ``p1`` … ``p5``, the partners of
step 3 by their place in the list. An owner that names a partner no longer
in step 3 is kept as written (nothing typed is lost) and reported by the
checks. :func:`choose_forms` ranks the forms of collaboration by the
learner's answers. Months of the calendar are places on a two-year line:
0 … 11 are April … March of the year before the project, 12 … 23 those of
the project's own fiscal year (:func:`month_label`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..text import clean_text, msg
from .partnering import PREV, Partnering, fiscal_index

MAX_PARTNER_PARTIES = 5
PARTIES: tuple[str, ...] = ("us", *(f"p{n}" for n in range(1, MAX_PARTNER_PARTIES + 1)))
ALL = "all"
"""An owner or bearer meaning every party together."""
OWNERS: tuple[str, ...] = (*PARTIES, ALL)
SHORT_LIMIT = 60
TEXT_LIMIT = 400
MAX_ROWS = 12
PLACES = 24
_ACTIVITY_ID = re.compile(r"^a[0-9]{1,3}$")
_OUTCOME_ID = re.compile(r"^o[0-9]{1,3}$")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"'.]+$")
_PHONE = re.compile(r"^[0-9０-９+＋()（）\-－‐ー\s]{6,24}$")
_SITE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def text_of(raw: Any, limit: int = TEXT_LIMIT, one_line: bool = False) -> str:
    """Learner text from saved data: a string, control characters removed, cut at ``limit``; else ``""``."""
    if not isinstance(raw, str):
        return ""
    return clean_text(raw.replace("\n", " ") if one_line else raw, limit)[0]


def _dict(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _list(raw: Any, limit: int = MAX_ROWS) -> list[Any]:
    return raw[:limit] if isinstance(raw, list) else []


def _owner(raw: Any) -> str | None:
    return raw if raw in OWNERS else None


def _party(raw: Any) -> str | None:
    return raw if raw in PARTIES else None


# --- parties -------------------------------------------------------------------------------

def party_names(team: str, partner_names: list[str]) -> dict[str, str]:
    """Every party that exists now → its name (``us`` is the team's name, or 自分たち)."""
    names = {"us": team or msg("design.diagram_us")}
    names.update({f"p{n}": name for n, name in enumerate(partner_names[:MAX_PARTNER_PARTIES], start=1)})
    return names


def owner_name(owner: str | None, names: Mapping[str, str]) -> str:
    """The name of an owner or bearer (every party, a party, or 未定 / a partner no longer in step 3)."""
    if owner == ALL:
        return msg("plan.owner_all")
    if owner is None:
        return msg("plan.owner_none")
    return names.get(owner, msg("plan.owner_gone", party=owner))


# --- 7 the form of collaboration -----------------------------------------------------------

@dataclass(frozen=True)
class FormPlan:
    answers: dict[str, str] = field(default_factory=dict)
    """Question id → option id."""
    chosen: str | None = None
    reason: str = ""

    @property
    def empty(self) -> bool:
        return not (self.answers or self.chosen or self.reason)

    def to_state(self) -> dict[str, Any]:
        return {"answers": dict(self.answers), "chosen": self.chosen, "reason": self.reason}


def form_from_state(raw: Any, material: Partnering) -> FormPlan:
    state = _dict(raw)
    options = {q.id: {o.id for o in q.options} for q in material.questions}
    given = _dict(state.get("answers"))
    answers = {q.id: given[q.id] for q in material.questions if given.get(q.id) in options[q.id]}
    chosen = state.get("chosen") if material.form(state.get("chosen")) is not None else None
    return FormPlan(answers, chosen, text_of(state.get("reason")))


@dataclass(frozen=True)
class FormMatch:
    form_id: str
    name: str
    score: int
    reasons: tuple[str, ...]
    """Each answer that points to the form, as 「question」→ answer."""


def choose_forms(material: Partnering, answers: Mapping[str, str]) -> list[FormMatch]:
    """Forms the answers point to, most pointed-to first (ties in the data's order); forms with no point left out."""
    scores: dict[str, list[str]] = {f.id: [] for f in material.forms}
    for q in material.questions:
        option = next((o for o in q.options if o.id == answers.get(q.id)), None)
        for form_id in option.points if option else ():
            scores[form_id].append(msg("plan.form_reason", question=q.text, answer=option.label))
    order = {f.id: n for n, f in enumerate(material.forms)}
    matches = [FormMatch(f.id, f.name, len(scores[f.id]), tuple(scores[f.id])) for f in material.forms if scores[f.id]]
    return sorted(matches, key=lambda m: (-m.score, order[m.form_id]))


def best_forms(material: Partnering, answers: Mapping[str, str]) -> list[FormMatch]:
    """The forms with the highest score (empty when nothing is answered)."""
    matches = choose_forms(material, answers)
    return [m for m in matches if m.score == matches[0].score] if matches else []


def form_sources(material: Partnering, form_id: str) -> list[str]:
    """Where a form's description comes from: the general explanation, then the further reading."""
    form = material.form(form_id)
    if form is None:
        return []
    general = next(s for s in material.sources if s.kind == "general")
    lines = [msg("plan.source_general", label=general.label, note=general.note)]
    lines += [msg("plan.source_reading", label=material.source(s).label, note=material.source(s).note)
              for s in form.further_reading]
    return lines


# --- 8 roles, costs and responsibilities ----------------------------------------------------

@dataclass(frozen=True)
class PartyRole:
    does: str = ""
    brings: tuple[str, ...] = ()
    brings_note: str = ""
    answers_for: str = ""

    @property
    def empty(self) -> bool:
        return not (self.does or self.brings or self.brings_note or self.answers_for)

    def to_state(self) -> dict[str, Any]:
        return {"does": self.does, "brings": list(self.brings), "brings_note": self.brings_note,
                "answers_for": self.answers_for}


@dataclass(frozen=True)
class Task:
    text: str = ""
    owner: str | None = None

    def to_state(self) -> dict[str, Any]:
        return {"text": self.text, "owner": self.owner}


@dataclass(frozen=True)
class Cost:
    item: str = ""
    amount: str = ""
    bearer: str | None = None

    def to_state(self) -> dict[str, Any]:
        return {"item": self.item, "amount": self.amount, "bearer": self.bearer}


@dataclass(frozen=True)
class Roles:
    parties: dict[str, PartyRole] = field(default_factory=dict)
    activities: dict[str, str] = field(default_factory=dict)
    """Activity id of step 4 → owner."""
    tasks: tuple[Task, ...] = ()
    costs: tuple[Cost, ...] = ()

    @property
    def empty(self) -> bool:
        return not (any(not r.empty for r in self.parties.values()) or self.activities
                    or any(t.text or t.owner for t in self.tasks) or any(c.item or c.amount or c.bearer for c in self.costs))

    def role(self, party: str) -> PartyRole:
        return self.parties.get(party, PartyRole())

    def to_state(self) -> dict[str, Any]:
        return {"parties": {p: r.to_state() for p, r in self.parties.items()}, "activities": dict(self.activities),
                "tasks": [t.to_state() for t in self.tasks], "costs": [c.to_state() for c in self.costs]}

    def owns(self, party: str) -> bool:
        """The party owns some work or bears some cost (alone or with everyone)."""
        owners = [*self.activities.values(), *(t.owner for t in self.tasks if t.text),
                  *(c.bearer for c in self.costs if c.item)]
        return party in owners or ALL in owners

    def bears(self, party: str) -> list[Cost]:
        return [c for c in self.costs if c.item and c.bearer in (party, ALL)]


def roles_from_state(raw: Any, material: Partnering) -> Roles:
    state = _dict(raw)
    kinds = {b.id for b in material.brings}
    parties = {}
    for party, value in _dict(state.get("parties")).items():
        if party not in PARTIES or not isinstance(value, dict):
            continue
        brings = value.get("brings")
        chosen = tuple(k for k in (b.id for b in material.brings) if isinstance(brings, list) and k in brings)
        role = PartyRole(text_of(value.get("does")), tuple(k for k in chosen if k in kinds),
                         text_of(value.get("brings_note")), text_of(value.get("answers_for")))
        if not role.empty:
            parties[party] = role
    activities = {a: o for a, o in _dict(state.get("activities")).items()
                  if isinstance(a, str) and _ACTIVITY_ID.match(a) and _owner(o)}
    tasks = tuple(Task(text_of(t.get("text"), SHORT_LIMIT, True), _owner(t.get("owner")))
                  for t in _list(state.get("tasks")) if isinstance(t, dict))
    costs = tuple(Cost(text_of(c.get("item"), SHORT_LIMIT, True), text_of(c.get("amount"), SHORT_LIMIT, True),
                       _owner(c.get("bearer")))
                  for c in _list(state.get("costs")) if isinstance(c, dict))
    return Roles(parties, activities, tuple(t for t in tasks if t.text or t.owner),
                 tuple(c for c in costs if c.item or c.amount or c.bearer))


# --- 9 risks and personal information --------------------------------------------------------

@dataclass(frozen=True)
class Risk:
    text: str = ""
    likelihood: str | None = None
    owner: str | None = None
    response: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"text": self.text, "likelihood": self.likelihood, "owner": self.owner, "response": self.response}

    def missing(self) -> list[str]:
        """The parts not written yet: ``likelihood``, ``owner``, ``response``."""
        return [p for p in ("likelihood", "owner", "response") if not getattr(self, p)]


PERSONAL_FIELDS = ("whose", "keeper", "protection")


@dataclass(frozen=True)
class PersonalInfo:
    handled: str | None = None
    """``yes``, ``no`` or ``None`` (not answered yet)."""
    whose: str = ""
    keeper: str | None = None
    protection: str = ""

    @property
    def empty(self) -> bool:
        return not (self.handled or self.whose or self.keeper or self.protection)

    def to_state(self) -> dict[str, Any]:
        return {"handled": self.handled, "whose": self.whose, "keeper": self.keeper, "protection": self.protection}

    def missing(self) -> list[str]:
        return [p for p in PERSONAL_FIELDS if not getattr(self, p)]


@dataclass(frozen=True)
class Risks:
    risks: tuple[Risk, ...] = ()
    personal: PersonalInfo = field(default_factory=PersonalInfo)

    @property
    def empty(self) -> bool:
        return not self.risks and self.personal.empty

    def to_state(self) -> dict[str, Any]:
        return {"risks": [r.to_state() for r in self.risks], "personal": self.personal.to_state()}


def risks_from_state(raw: Any, material: Partnering) -> Risks:
    state = _dict(raw)
    levels = {x.id for x in material.likelihoods}
    risks = []
    for r in _list(state.get("risks")):
        if not isinstance(r, dict):
            continue
        risk = Risk(text_of(r.get("text"), SHORT_LIMIT * 2, True),
                    r.get("likelihood") if r.get("likelihood") in levels else None,
                    _owner(r.get("owner")), text_of(r.get("response")))
        if risk.text or risk.likelihood or risk.owner or risk.response:
            risks.append(risk)
    p = _dict(state.get("personal"))
    personal = PersonalInfo(p.get("handled") if p.get("handled") in ("yes", "no") else None,
                            text_of(p.get("whose")), _party(p.get("keeper")), text_of(p.get("protection")))
    return Risks(tuple(risks), personal)


# --- 10 the measurement plan -----------------------------------------------------------------

MEASURE_FIELDS = ("indicator", "baseline", "target", "who", "when", "shared")


@dataclass(frozen=True)
class Measure:
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    who: str = ""
    when: str = ""
    shared: str = ""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in MEASURE_FIELDS)

    def missing(self) -> list[str]:
        return [f for f in MEASURE_FIELDS if not getattr(self, f)]

    def to_state(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in MEASURE_FIELDS}


@dataclass(frozen=True)
class Measures:
    by_outcome: dict[str, Measure] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return all(m.empty for m in self.by_outcome.values())

    def of(self, outcome_id: str) -> Measure:
        return self.by_outcome.get(outcome_id, Measure())

    def to_state(self) -> dict[str, Any]:
        return {"measures": {o: m.to_state() for o, m in self.by_outcome.items()}}


def measures_from_state(raw: Any, material: Partnering | None = None) -> Measures:
    found = {}
    for outcome, value in _dict(_dict(raw).get("measures")).items():
        if not (isinstance(outcome, str) and _OUTCOME_ID.match(outcome) and isinstance(value, dict)):
            continue
        measure = Measure(**{f: text_of(value.get(f), TEXT_LIMIT if f == "shared" else SHORT_LIMIT * 2)
                             for f in MEASURE_FIELDS})
        if not measure.empty:
            found[outcome] = measure
    return Measures(found)


# --- 11 the fiscal calendar --------------------------------------------------------------------

def month_label(place: int) -> str:
    """A place on the two-year line as 「前年度 10月」 or 「実施年度 6月」."""
    year, index = divmod(place, 12)
    month = (index + 3) % 12 + 1
    return msg("plan.month_prev" if year == 0 else "plan.month_this", month=month)


def place_of(year: str, month: int) -> int:
    return (0 if year == PREV else 12) + fiscal_index(month)


@dataclass(frozen=True)
class CalendarPlan:
    months: dict[str, int] = field(default_factory=dict)
    """Calendar step id → place (0 … 23)."""

    @property
    def empty(self) -> bool:
        return not self.months

    def to_state(self) -> dict[str, Any]:
        return {"months": dict(self.months)}


def calendar_from_state(raw: Any, material: Partnering) -> CalendarPlan:
    steps = {s.id for s in material.calendar.steps}
    months = {s: v for s, v in _dict(_dict(raw).get("months")).items()
              if s in steps and isinstance(v, int) and not isinstance(v, bool) and 0 <= v < PLACES}
    return CalendarPlan(months)


def steps_needed(material: Partnering, form_id: str | None) -> list[str]:
    """The calendar steps a plan with this form needs (a budget request only where the city's budget pays)."""
    form = material.form(form_id)
    city_pays = form.city_budget if form is not None else True
    return [s.id for s in material.calendar.steps if city_pays or not s.city_budget]


@dataclass(frozen=True)
class OrderProblem:
    step: str
    needs: str


def order_problems(material: Partnering, plan: CalendarPlan, form_id: str | None) -> list[OrderProblem]:
    """Steps planned before a step they need (both planned; the needed step applies to the form)."""
    needed = set(steps_needed(material, form_id))
    found = []
    for step in material.calendar.steps:
        if step.id not in needed or step.id not in plan.months:
            continue
        for before in step.needs:
            if before in needed and before in plan.months and plan.months[before] > plan.months[step.id]:
                found.append(OrderProblem(step.id, before))
    return found


# --- 6 the first step's contact ----------------------------------------------------------------

CONTACT_FIELDS = ("municipality", "desk", "phone", "email", "site")


@dataclass(frozen=True)
class Contact:
    kind: str | None = None
    """A kind of ``first_contacts``; ``None`` is the course's default (Kawasaki's desk)."""
    municipality: str = ""
    desk: str = ""
    phone: str = ""
    email: str = ""
    site: str = ""

    @property
    def empty(self) -> bool:
        return self.kind is None and not any(getattr(self, f) for f in CONTACT_FIELDS)

    def to_state(self) -> dict[str, Any]:
        return {"kind": self.kind, **{f: getattr(self, f) for f in CONTACT_FIELDS}}


CONTACT_LIMITS = {"municipality": 40, "desk": SHORT_LIMIT, "phone": 24, "email": 120, "site": 200}


def contact_from_state(raw: Any, material: Partnering) -> Contact:
    state = _dict(raw)
    kinds = {c.id for c in material.first_contacts}
    kind = state.get("kind") if state.get("kind") in kinds else None
    return Contact(kind, **{f: text_of(state.get(f), CONTACT_LIMITS[f], True).strip() for f in CONTACT_FIELDS})


def contact_format_problems(contact: Contact) -> list[str]:
    """The fields written in a form that cannot be a phone number, an e-mail address or a web address."""
    bad = []
    if contact.phone and not _PHONE.match(contact.phone):
        bad.append("phone")
    if contact.email and not _EMAIL.match(contact.email):
        bad.append("email")
    if contact.site and not _SITE.match(contact.site):
        bad.append("site")
    return bad


@dataclass(frozen=True)
class ContactCard:
    """Whom to contact, as shown: the kind's name and (label, value) lines."""

    kind_name: str
    lines: tuple[tuple[str, str], ...]


def contact_card(contact: Contact, material: Partnering, desk: Any) -> ContactCard:
    """The contact to show; ``desk`` is the course's consultation desk (``Course.contacts.consultation_desk``)."""
    kind = material.first_contact(contact.kind)
    if kind.course_desk:
        lines = [(msg("plan.contact_desk"), desk.name), (msg("plan.contact_phone"), desk.tel),
                 (msg("plan.contact_email"), desk.email), (msg("plan.contact_address"), desk.address)]
    else:
        lines = [(msg(f"plan.contact_{f}" if f != "desk" else f"plan.contact_desk_{kind.id}"), getattr(contact, f))
                 for f in CONTACT_FIELDS if getattr(contact, f)]
    return ContactCard(kind.name, tuple(lines))
