"""The review after the project (振り返りと相互評価): each side rates the same items; gaps; what next.

Every side (``us`` and the partners ``p1`` … of step 3) answers the review's
items on the 1–5 scale from its own side. The items have the health check's
shape, so the health check's logic scores them and compares two raters
(:func:`kyodo.exercises.health_check.compare`); with more than two sides,
every pair is compared and each item keeps the largest gap. Then the
partners decide to continue, change or close, and each decision leads to
its next steps (``decisions`` in ``data/partnering.yml``) and to a first
step the learner writes (what, who, by when).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ..exercises.health_check import Item, compare, interpretation, validate_answers
from ..text import msg
from .partnering import Partnering
from .plan import PARTIES, SHORT_LIMIT, TEXT_LIMIT, text_of

NEXT_FIELDS = ("next_what", "next_who", "next_when")


@dataclass(frozen=True)
class Review:
    answers: dict[str, dict[str, int]] = field(default_factory=dict)
    """Side → item id → 1 … 5."""
    decision: str | None = None
    """``continue``, ``change``, ``close`` or ``None``."""
    next_what: str = ""
    next_who: str = ""
    next_when: str = ""
    notes: str = ""

    @property
    def empty(self) -> bool:
        return not (any(self.answers.values()) or self.decision or self.next_what or self.next_who
                    or self.next_when or self.notes)

    def rated_sides(self) -> list[str]:
        return [s for s in PARTIES if self.answers.get(s)]

    def to_state(self) -> dict[str, Any]:
        return {"answers": {s: dict(a) for s, a in self.answers.items()}, "decision": self.decision,
                "next_what": self.next_what, "next_who": self.next_who, "next_when": self.next_when,
                "notes": self.notes}


def review_from_state(raw: Any, material: Partnering) -> Review:
    state = raw if isinstance(raw, dict) else {}
    answers_raw = state.get("answers") if isinstance(state.get("answers"), dict) else {}
    answers = {}
    for side in PARTIES:
        clean = validate_answers(material.review, answers_raw.get(side))
        if clean:
            answers[side] = {i.id: clean[i.id] for i in material.review.items if i.id in clean}
    decision = state.get("decision") if material.decision(state.get("decision")) is not None else None
    return Review(answers, decision, text_of(state.get("next_what")),
                  text_of(state.get("next_who"), SHORT_LIMIT, True), text_of(state.get("next_when"), SHORT_LIMIT, True),
                  text_of(state.get("notes"), TEXT_LIMIT * 2))


@dataclass(frozen=True)
class Gap:
    """An item on which two sides' answers differ by the flag difference or more."""

    item: Item
    values: tuple[tuple[str, int], ...]
    """(side, answer) of every side that answered the item, in the order of the sides."""
    difference: int


def review_gaps(material: Partnering, review: Review) -> list[Gap]:
    """Items where some two sides differ by ``flag_difference`` or more (the health check's comparison), largest first."""
    largest: dict[str, int] = {}
    for a, b in combinations(review.rated_sides(), 2):
        for flag in compare(material.review, review.answers[a], review.answers[b]):
            largest[flag.item.id] = max(largest.get(flag.item.id, 0), flag.difference)
    gaps = []
    for item in material.review.items:
        if item.id in largest:
            values = tuple((s, review.answers[s][item.id]) for s in review.rated_sides() if item.id in review.answers[s])
            gaps.append(Gap(item, values, largest[item.id]))
    return sorted(gaps, key=lambda g: -g.difference)


def gap_line(gap: Gap, names: Mapping[str, str]) -> str:
    values = " / ".join(msg("review.side_value", side=names.get(s, s), value=v) for s, v in gap.values)
    return msg("review.gap_line", text=gap.item.text, values=values)


def reading(material: Partnering, review: Review, names: Mapping[str, str]) -> list[str]:
    """Each side's reading of its own answers (the health check's interpretation), side by side."""
    lines = []
    for side in review.rated_sides():
        lines += [f"{names.get(side, side)}: {line}" for line in interpretation(material.review, review.answers[side])]
    return lines


def next_steps(material: Partnering, review: Review) -> list[str]:
    """What the decision leads to: its next steps from the data (empty when nothing is decided)."""
    decision = material.decision(review.decision)
    return list(decision.next_steps) if decision is not None else []
