"""Logic of sorting exercises: put each item in the category it belongs to.

One class serves every "who does what" or "which kind is this" exercise:
:func:`roles_of_case` builds one from a case's participants and their
activities. The check says, item by item, what is right, what is wrong
and why; a hint points at one item to look at again without naming the
answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..data import Course
from ..text import msg
from .scoring import MarkedCheck


class Mark(str, Enum):
    CORRECT = "correct"
    WRONG = "wrong"
    UNANSWERED = "unanswered"


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    clue: str
    """Said in a hint instead of the label, so the hint does not give the answer away."""


@dataclass(frozen=True)
class SortItem:
    id: str
    text: str
    answer: str
    why: str


@dataclass(frozen=True)
class ItemResult:
    item: SortItem
    mark: Mark
    message: str


@dataclass(frozen=True)
class SortCheck(MarkedCheck):
    results: tuple[ItemResult, ...]
    summary_prefix = "sort"


def stable_order(key: str) -> str:
    """A fixed but unguessable sort key, so items are not grouped by answer."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class SortingTask:
    """A learner's answers to one sorting exercise."""

    def __init__(self, items: Sequence[SortItem], categories: Sequence[Category]):
        if not items or len(categories) < 2:
            raise ValueError(msg("sort.bad_task"))
        cat_ids = {c.id for c in categories}
        for item in items:
            if item.answer not in cat_ids:
                raise ValueError(msg("sort.bad_answer", item=item.text, answer=item.answer))
        self.items = sorted(items, key=lambda i: stable_order(i.id))
        self.categories = list(categories)
        self.answers: dict[str, str | None] = {i.id: None for i in self.items}
        self._hinted: set[str] = set()

    def category(self, cat_id: str) -> Category:
        return next(c for c in self.categories if c.id == cat_id)

    def assign(self, item_id: str, cat_id: str | None) -> bool:
        """Record an answer (``None`` clears it). Unknown ids are refused."""
        if item_id not in self.answers:
            return False
        if cat_id is not None and cat_id not in {c.id for c in self.categories}:
            return False
        self.answers[item_id] = cat_id
        return True

    def check(self) -> SortCheck:
        results = []
        for item in self.items:
            given = self.answers.get(item.id)
            if given is None:
                results.append(ItemResult(item, Mark.UNANSWERED, msg("sort.unanswered")))
            elif given == item.answer:
                results.append(ItemResult(item, Mark.CORRECT, msg("sort.correct", why=item.why)))
            else:
                results.append(ItemResult(
                    item, Mark.WRONG,
                    msg("sort.wrong", given=self.category(given).label, clue=self.category(item.answer).clue),
                ))
        return SortCheck(tuple(results))

    def hint(self) -> str:
        """Point at the first wrong (or else unanswered) item, with a clue about its category."""
        results = self.check().results
        wrong = [r for r in results if r.mark is Mark.WRONG]
        open_ = [r for r in results if r.mark is Mark.UNANSWERED]
        target = (wrong or open_ or [None])[0]
        if target is None:
            return msg("sort.hint_none")
        self._hinted.add(target.item.id)
        clue = self.category(target.item.answer).clue
        return msg("sort.hint", item=target.item.text, clue=clue)

    def reset(self) -> None:
        self.answers = {i.id: None for i in self.items}
        self._hinted.clear()

    def to_state(self) -> dict[str, Any]:
        return {"answers": {k: v for k, v in self.answers.items() if v is not None}}

    def load_state(self, state: Any) -> int:
        """Restore saved answers; entries that no longer fit are dropped. Returns how many."""
        self.reset()
        answers = state.get("answers", {}) if isinstance(state, dict) else {}
        if not isinstance(answers, dict):
            return 0
        restored = 0
        for item_id, cat_id in answers.items():
            if isinstance(item_id, str) and isinstance(cat_id, str) and self.assign(item_id, cat_id):
                restored += 1
        return restored


def roles_of_case(course: Course, case_id: str) -> SortingTask:
    """Sort every activity of a case to the participant who carries it out."""
    case = course.case(case_id)
    categories = [
        Category(p.org, course.org_name(p.org), msg("sort.role_clue", role=p.role))
        for p in case.participants if p.activities
    ]
    items = [
        SortItem(a.id, a.text, p.org, msg("sort.role_why", org=course.org_name(p.org), role=p.role))
        for p in case.participants for a in p.activities
    ]
    return SortingTask(items, categories)


def resources_of_case(course: Course, case_id: str) -> SortingTask:
    """Sort what the partner of a case brings (and what was missing) by kind of resource.

    Uses the case's outcome-orientation reading and the strengths of its
    partner organisation that carry a resource kind.
    """
    case = course.case(case_id)
    reading = case.outcome_orientation
    if reading is None:
        raise ValueError(msg("sort.no_reading", case=case_id))
    kinds = course.policy.resource_kinds
    categories = [Category(k.id, k.name, k.clue) for k in kinds]
    partner = course.org(reading.partner)
    items = [
        SortItem(f"missing_{n}", m.text, m.resource,
                 msg("sort.resource_why_missing", kind=course.resource_kind_name(m.resource)))
        for n, m in enumerate(reading.missing, start=1)
    ] + [
        SortItem(s.id, s.text, s.resource,
                 msg("sort.resource_why_strength", org=partner.name, kind=course.resource_kind_name(s.resource)))
        for s in partner.strengths if s.resource is not None
    ]
    return SortingTask(items, categories)
