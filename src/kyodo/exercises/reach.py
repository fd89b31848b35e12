"""Logic of the "alone or together" exercise: whom does each party reach?

Two (or more) parties work together. For each audience, the learner ticks
who reaches it: one party alone, another party alone, or only the parties
together. :meth:`ReachTask.check` compares the ticks with what the source
says and explains, row by row, what was right, what was wrong and why;
ticking "only together" beside "... alone" is a contradiction and is
said so. :meth:`ReachTask.hint` points at one row with a clue.

:func:`reach_table` turns the reference answers into a table of who
reaches whom, alone and together, for the chart shown after the check.

No widgets here: :mod:`kyodo.widgets.reach` puts a face on this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..text import msg
from .scoring import MarkedCheck
from .sorting import stable_order

TOGETHER = "together"
"""The option "only when the parties work together"."""


class ReachMark(str, Enum):
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    CONTRADICTORY = "contradictory"
    UNANSWERED = "unanswered"


@dataclass(frozen=True)
class Party:
    id: str
    name: str


@dataclass(frozen=True)
class Audience:
    """Someone a party may reach, and who reaches it according to the source.

    ``reached_by`` is a set of party ids (reached by each of them alone) or
    ``{TOGETHER}`` (reached only when the parties work together).
    """

    id: str
    name: str
    reached_by: frozenset[str]
    why: str
    clue: str
    short: str = ""
    """A shorter name for charts (``name`` when empty)."""

    @property
    def label(self) -> str:
        return self.short or self.name

    @property
    def only_together(self) -> bool:
        return self.reached_by == frozenset({TOGETHER})


@dataclass(frozen=True)
class ReachResult:
    audience: Audience
    given: frozenset[str]
    mark: ReachMark
    message: str


@dataclass(frozen=True)
class ReachCheck(MarkedCheck):
    results: tuple[ReachResult, ...]

    @property
    def contradictory(self) -> int:
        return sum(r.mark is ReachMark.CONTRADICTORY for r in self.results)

    @property
    def all_answered(self) -> bool:
        return self.unanswered == 0

    summary_prefix = "reach"

    @property
    def summary(self) -> str:
        text = MarkedCheck.summary.fget(self)  # type: ignore[attr-defined]
        if self.contradictory and not self.complete and self.unanswered != self.total:
            text += msg("reach.summary_contradictory", n=self.contradictory)
        return text


class ReachTask:
    """The parties, the audiences and one learner's ticks."""

    def __init__(self, parties: Sequence[Party], audiences: Sequence[Audience]):
        if len(parties) < 2 or not audiences:
            raise ValueError(msg("reach.bad_task"))
        party_ids = {p.id for p in parties}
        if TOGETHER in party_ids or len(party_ids) != len(parties):
            raise ValueError(msg("reach.bad_task"))
        for a in audiences:
            if not a.reached_by or (not a.only_together and not a.reached_by <= party_ids):
                raise ValueError(msg("reach.bad_answer", audience=a.name))
        self.parties = list(parties)
        self.audiences = list(audiences)
        self.shown = sorted(self.audiences, key=lambda a: stable_order(a.id))
        """The order the rows are presented in (not grouped by answer)."""
        self.options = [p.id for p in self.parties] + [TOGETHER]
        self.ticks: dict[str, set[str]] = {a.id: set() for a in self.audiences}

    def option_label(self, option: str) -> str:
        if option == TOGETHER:
            return msg("reach.option_together")
        return msg("reach.option_alone", party=self.party_name(option))

    def party_name(self, party_id: str) -> str:
        return next(p.name for p in self.parties if p.id == party_id)

    # --- answering -----------------------------------------------------------
    def tick(self, audience_id: str, option: str, on: bool) -> bool:
        """Tick or untick one option of one audience. Unknown ids are refused."""
        if audience_id not in self.ticks or option not in self.options or not isinstance(on, bool):
            return False
        if on:
            self.ticks[audience_id].add(option)
        else:
            self.ticks[audience_id].discard(option)
        return True

    # --- checking ------------------------------------------------------------
    def judge(self, audience: Audience) -> ReachResult:
        given = frozenset(self.ticks[audience.id])
        right = audience.reached_by
        if not given:
            return ReachResult(audience, given, ReachMark.UNANSWERED, msg("reach.unanswered"))
        if TOGETHER in given and len(given) > 1:
            return ReachResult(audience, given, ReachMark.CONTRADICTORY, msg("reach.contradictory"))
        if given == right:
            return ReachResult(audience, given, ReachMark.CORRECT, msg("reach.correct", why=audience.why))
        if audience.only_together:
            # The learner ticked one or more parties alone.
            names = "・".join(self.party_name(p) for p in self.options if p in given)
            return ReachResult(audience, given, ReachMark.WRONG, msg("reach.wrong_not_alone", parties=names))
        if given == {TOGETHER}:
            return ReachResult(audience, given, ReachMark.WRONG, msg("reach.wrong_not_only_together"))
        extra = [p for p in self.options if p in given - right]
        if given & right:
            # Some right, some parties ticked that the source does not credit with this audience.
            good = "・".join(self.option_label(p) for p in self.options if p in given & right)
            bad = "・".join(self.party_name(p) for p in extra)
            missing = right - given
            text = msg("reach.partial_extra", right=good, parties=bad) if extra else ""
            if missing:
                text = (text or msg("reach.partial_right", right=good)) + msg("reach.partial_missing")
            return ReachResult(audience, given, ReachMark.PARTIAL, text)
        names = "・".join(self.party_name(p) for p in extra)
        return ReachResult(audience, given, ReachMark.WRONG, msg("reach.wrong_party", parties=names))

    def check(self) -> ReachCheck:
        return ReachCheck(tuple(self.judge(a) for a in self.shown))

    def hint(self) -> str:
        """Point at the first row (as shown) that is wrong, contradictory or open, with its clue."""
        results = self.check().results
        order = (ReachMark.CONTRADICTORY, ReachMark.WRONG, ReachMark.PARTIAL, ReachMark.UNANSWERED)
        for mark in order:
            target = next((r for r in results if r.mark is mark), None)
            if target is not None:
                return msg("reach.hint", audience=target.audience.name, clue=target.audience.clue)
        return msg("reach.hint_none")

    # --- reset, saving and restoring --------------------------------------
    def reset(self) -> None:
        self.ticks = {a.id: set() for a in self.audiences}

    @property
    def answered(self) -> int:
        """How many ticks are set."""
        return sum(len(t) for t in self.ticks.values())

    def to_state(self) -> dict[str, Any]:
        return {"ticks": {k: sorted(v, key=self.options.index) for k, v in self.ticks.items() if v}}

    def load_state(self, state: Any) -> int:
        """Restore saved ticks; entries that no longer fit are dropped. Returns how many ticks."""
        self.reset()
        saved = state.get("ticks", {}) if isinstance(state, dict) else {}
        if not isinstance(saved, dict):
            return 0
        restored = 0
        for audience_id, options in saved.items():
            if not isinstance(audience_id, str) or not isinstance(options, list):
                continue
            for option in options:
                if isinstance(option, str) and self.tick(audience_id, option, True):
                    restored += 1
        return restored


@dataclass(frozen=True)
class ReachTable:
    """Who reaches whom: one row per audience; one column per party alone, and a last one for together.

    ``new`` marks the rows reached only together: what working together adds.
    """

    rows: tuple[str, ...]
    """Short row labels for the chart."""
    names: tuple[str, ...]
    """Full names of the audiences, for the alternative text."""
    parties: tuple[str, ...]
    reached: tuple[tuple[bool, ...], ...]
    new: tuple[bool, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Plain column names (for the alternative text)."""
        return tuple(msg("reach.option_alone", party=p) for p in self.parties) + (msg("reach.column_together"),)

    def count(self, column: int) -> int:
        """How many audiences a column reaches (a count of audiences, not of people)."""
        return sum(row[column] for row in self.reached)


def reach_table(task: ReachTask) -> ReachTable:
    """The reference answers as a table. Working together reaches everyone each party
    reaches alone, plus those reached only together."""
    rows = tuple(a.label for a in task.audiences)
    names = tuple(a.name for a in task.audiences)
    reached = tuple(
        tuple(p.id in a.reached_by for p in task.parties) + (True,)
        for a in task.audiences
    )
    return ReachTable(rows, names, tuple(p.name for p in task.parties), reached,
                      tuple(a.only_together for a in task.audiences))
