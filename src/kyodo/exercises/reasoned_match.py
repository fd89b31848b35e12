"""Logic of a reasoned match: link items to options where no single answer is right.

Some questions have no answer in the source, only readings. The learner
links each item to one or more options; :meth:`ReasonedMatch.compare`
does not mark the choice right or wrong but sets it beside the course's
reading (clearly labelled as such), says where the two agree and differ,
and asks the learner to write down their reason. It also notes options
that no item has been linked to, as a question to think about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..text import msg


@dataclass(frozen=True)
class Option:
    id: str
    name: str


@dataclass(frozen=True)
class Reading:
    """The course's reading of one item: the options it links it to, and why."""

    item_id: str
    item_name: str
    options: frozenset[str]
    reason: str
    prompt: str
    """A question that helps the learner think about the item (for the hint)."""


class Agreement(str, Enum):
    NONE_CHOSEN = "none_chosen"
    SAME = "same"
    OVERLAP = "overlap"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Comparison:
    reading: Reading
    chosen: frozenset[str]
    agreement: Agreement
    message: str


@dataclass(frozen=True)
class MatchReport:
    comparisons: tuple[Comparison, ...]
    unlinked: tuple[Option, ...]
    """Options that no item has been linked to (only when something has been chosen)."""

    @property
    def chosen_any(self) -> bool:
        return any(c.chosen for c in self.comparisons)

    @property
    def summary(self) -> str:
        if not self.chosen_any:
            return msg("reasoned.summary_empty")
        return msg("reasoned.summary")


class ReasonedMatch:
    """Items, options, the course's readings and the learner's links."""

    def __init__(self, options: Sequence[Option], readings: Sequence[Reading]):
        if len(options) < 2 or not readings:
            raise ValueError(msg("reasoned.bad_task"))
        option_ids = {o.id for o in options}
        for r in readings:
            if not r.options <= option_ids:
                raise ValueError(msg("reasoned.bad_reading", item=r.item_name))
        self.options = list(options)
        self.readings = list(readings)
        self.chosen: dict[str, set[str]] = {r.item_id: set() for r in readings}
        self._hint_at = 0

    def names(self, ids: frozenset[str] | set[str]) -> str:
        return "・".join(o.name for o in self.options if o.id in ids) or msg("reasoned.nothing")

    def set_choice(self, item_id: str, option_id: str, on: bool) -> bool:
        """Link (``on=True``) or unlink an item and an option. Unknown ids are refused."""
        if item_id not in self.chosen or option_id not in {o.id for o in self.options}:
            return False
        if on:
            self.chosen[item_id].add(option_id)
        else:
            self.chosen[item_id].discard(option_id)
        return True

    def _compare(self, r: Reading) -> Comparison:
        chosen = frozenset(self.chosen[r.item_id])
        if not chosen:
            return Comparison(r, chosen, Agreement.NONE_CHOSEN,
                              msg("reasoned.none_chosen", item=r.item_name, reading=self.names(r.options),
                                  reason=r.reason))
        if chosen == r.options:
            agreement = Agreement.SAME
        elif chosen & r.options:
            agreement = Agreement.OVERLAP
        else:
            agreement = Agreement.DIFFERENT
        text = msg(f"reasoned.{agreement.value}", item=r.item_name, chosen=self.names(chosen),
                   reading=self.names(r.options), reason=r.reason)
        return Comparison(r, chosen, agreement, text)

    def compare(self) -> MatchReport:
        comparisons = tuple(self._compare(r) for r in self.readings)
        used = set().union(*(c.chosen for c in comparisons))
        unlinked = tuple(o for o in self.options if o.id not in used) if used else ()
        return MatchReport(comparisons, unlinked)

    def hint(self) -> str:
        """The thinking prompt of each item in turn."""
        r = self.readings[self._hint_at % len(self.readings)]
        self._hint_at += 1
        return msg("reasoned.hint", item=r.item_name, prompt=r.prompt)

    @property
    def answered(self) -> int:
        return sum(len(v) for v in self.chosen.values())

    def reset(self) -> None:
        self.chosen = {r.item_id: set() for r in self.readings}
        self._hint_at = 0

    def to_state(self) -> dict[str, Any]:
        return {"chosen": {k: sorted(v) for k, v in self.chosen.items() if v}}

    def load_state(self, state: Any) -> int:
        """Restore saved links; anything that does not fit is dropped. Returns how many links."""
        self.reset()
        saved = state.get("chosen", {}) if isinstance(state, Mapping) else {}
        if not isinstance(saved, Mapping):
            return 0
        n = 0
        for item_id, options in saved.items():
            if isinstance(item_id, str) and isinstance(options, list):
                n += sum(1 for o in options if isinstance(o, str) and self.set_choice(item_id, o, True))
        return n
