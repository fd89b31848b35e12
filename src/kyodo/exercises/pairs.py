"""Logic of the pair-placement exercise: which two kinds of actor does each case pair?

The basic policy names six kinds of actor (市民活動団体, 町内会・自治会, ...).
Every case of the pamphlet pairs two of them. The learner picks, for each
case, two kinds; :meth:`PairPlacement.check` says for each case whether
the pair is right (in either order: a pair has no order), whether one of
the two kinds is right, whether both are wrong, whether only one was
chosen or the same kind twice. :meth:`PairPlacement.hint` helps with one
case at a time: first a clue about the kind of one of its parties, then
that party's kind.

:func:`coverage` says which of the possible pairs the pamphlet covers,
for the 6×6 table the learner sees once every case is placed.

No widgets here: :mod:`kyodo.widgets.pairs` puts a face on this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from typing import Any

from ..text import msg
from .scoring import MarkedCheck

SLOTS = 2
"""A case pairs two kinds of actor."""


class PairMark(str, Enum):
    CORRECT = "correct"
    ONE_RIGHT = "one_right"
    WRONG = "wrong"
    INCOMPLETE = "incomplete"
    SAME_TYPE = "same_type"
    UNANSWERED = "unanswered"


@dataclass(frozen=True)
class ActorKind:
    """One of the kinds a learner can choose, with a clue that does not name it."""

    id: str
    name: str
    clue: str


@dataclass(frozen=True)
class PairCase:
    """A case to place: its two kinds, in the data's order, and who stands for each."""

    id: str
    number: int
    label: str
    answer: tuple[str, str]
    parties: Mapping[str, str]
    """Kind id -> the names of the case's parties of that kind (for feedback and hints)."""


@dataclass(frozen=True)
class PairResult:
    case: PairCase
    given: tuple[str | None, str | None]
    mark: PairMark
    message: str


@dataclass(frozen=True)
class PairCheck(MarkedCheck):
    results: tuple[PairResult, ...]
    summary_prefix = "pairs"


class PairPlacement:
    """One learner's placement of the cases on the table of actor kinds."""

    def __init__(self, cases: Sequence[PairCase], kinds: Sequence[ActorKind]):
        if not cases or len(kinds) < 2:
            raise ValueError(msg("pairs.bad_task"))
        kind_ids = [k.id for k in kinds]
        for case in cases:
            if len(case.answer) != SLOTS or case.answer[0] == case.answer[1] or \
                    any(a not in kind_ids for a in case.answer):
                raise ValueError(msg("pairs.bad_answer", case=case.label))
            if any(a not in case.parties for a in case.answer):
                raise ValueError(msg("pairs.bad_answer", case=case.label))
        self.cases = list(cases)
        self.kinds = list(kinds)
        self._kind = {k.id: k for k in kinds}
        self.choices: dict[str, list[str | None]] = {c.id: [None, None] for c in self.cases}
        self._hint_level: dict[str, int] = {}

    def kind_name(self, kind_id: str) -> str:
        return self._kind[kind_id].name

    # --- answering -----------------------------------------------------------
    def choose(self, case_id: str, slot: int, kind_id: str | None) -> bool:
        """Record one of a case's two kinds (``None`` clears it). Unknown ids are refused."""
        if case_id not in self.choices or not isinstance(slot, int) or not 0 <= slot < SLOTS:
            return False
        if kind_id is not None and kind_id not in self._kind:
            return False
        self.choices[case_id][slot] = kind_id
        return True

    def given(self, case_id: str) -> tuple[str | None, str | None]:
        first, second = self.choices[case_id]
        return first, second

    # --- checking ------------------------------------------------------------
    def judge(self, case: PairCase) -> PairResult:
        given = self.given(case.id)
        chosen = [g for g in given if g is not None]
        right = set(case.answer)
        if not chosen:
            return PairResult(case, given, PairMark.UNANSWERED, msg("pairs.unanswered"))
        if len(chosen) == 1:
            (only,) = chosen
            text = (msg("pairs.incomplete_right", kind=self.kind_name(only)) if only in right
                    else msg("pairs.incomplete_wrong", kind=self.kind_name(only)))
            return PairResult(case, given, PairMark.INCOMPLETE, text)
        first, second = chosen
        if first == second:
            text = msg("pairs.same_type", kind=self.kind_name(first))
            if first in right:
                text += msg("pairs.same_type_right", kind=self.kind_name(first))
            return PairResult(case, given, PairMark.SAME_TYPE, text)
        if {first, second} == right:
            parts = "、".join(msg("pairs.party_is", party=case.parties[k], kind=self.kind_name(k))
                             for k in case.answer)
            text = msg("pairs.correct", parts=parts)
            if (first, second) != case.answer:
                text += msg("pairs.order_free")
            return PairResult(case, given, PairMark.CORRECT, text)
        hits = [k for k in (first, second) if k in right]
        if hits:
            (hit,) = hits
            miss = next(k for k in (first, second) if k not in right)
            missing = next(k for k in case.answer if k != hit)
            text = msg("pairs.one_right", right=self.kind_name(hit), wrong=self.kind_name(miss),
                       party=case.parties[missing])
            return PairResult(case, given, PairMark.ONE_RIGHT, text)
        parties = "」と「".join(case.parties[k] for k in case.answer)
        text = msg("pairs.wrong", first=self.kind_name(first), second=self.kind_name(second), parties=parties)
        return PairResult(case, given, PairMark.WRONG, text)

    def check(self) -> PairCheck:
        return PairCheck(tuple(self.judge(c) for c in self.cases))

    # --- hints -------------------------------------------------------------------
    def hint(self) -> str:
        """Help with the first case that is not right: a clue first, then the answer for one party."""
        results = self.check().results
        target = next((r for r in results if r.mark is not PairMark.CORRECT), None)
        if target is None:
            return msg("pairs.hint_none")
        case = target.case
        chosen = {g for g in target.given if g is not None}
        # Help with a kind the learner does not have yet (never empty: the case is not right).
        kind = next(k for k in case.answer if k not in chosen)
        level = self._hint_level.get(f"{case.id}/{kind}", 0) + 1
        self._hint_level[f"{case.id}/{kind}"] = min(level, 2)
        party = case.parties[kind]
        if level == 1:
            return msg("pairs.hint_clue", number=case.number, party=party, clue=self._kind[kind].clue)
        return msg("pairs.hint_answer", number=case.number, party=party, kind=self.kind_name(kind))

    # --- reset, saving and restoring --------------------------------------
    def reset(self) -> None:
        self.choices = {c.id: [None, None] for c in self.cases}
        self._hint_level.clear()

    @property
    def answered(self) -> int:
        """How many choices (not cases) are filled in."""
        return sum(g is not None for pair in self.choices.values() for g in pair)

    def to_state(self) -> dict[str, Any]:
        return {"choices": {k: list(v) for k, v in self.choices.items() if any(x is not None for x in v)}}

    def load_state(self, state: Any) -> int:
        """Restore saved choices; entries that no longer fit are dropped. Returns how many choices."""
        self.reset()
        saved = state.get("choices", {}) if isinstance(state, dict) else {}
        if not isinstance(saved, dict):
            return 0
        restored = 0
        for case_id, pair in saved.items():
            if not isinstance(case_id, str) or not isinstance(pair, list) or len(pair) != SLOTS:
                continue
            for slot, kind in enumerate(pair):
                if isinstance(kind, str) and self.choose(case_id, slot, kind):
                    restored += 1
        return restored


# --- which pairs the pamphlet covers ------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Every unordered pair of kinds, and the cases that pair them."""

    kinds: tuple[ActorKind, ...]
    cases_of: Mapping[frozenset[str], tuple[PairCase, ...]]

    @property
    def pairs(self) -> list[frozenset[str]]:
        """All unordered pairs of two different kinds, in the kinds' order."""
        return [frozenset((a.id, b.id)) for a, b in combinations(self.kinds, 2)]

    @property
    def covered(self) -> list[frozenset[str]]:
        return [p for p in self.pairs if self.cases_of.get(p)]

    @property
    def uncovered(self) -> list[frozenset[str]]:
        return [p for p in self.pairs if not self.cases_of.get(p)]

    def pair_name(self, pair: frozenset[str]) -> str:
        """The pair's two kinds, in the kinds' order, e.g. 市民活動団体 × 行政."""
        names = [k.name for k in self.kinds if k.id in pair]
        return " × ".join(names)

    def kinds_without_case(self) -> list[ActorKind]:
        """Kinds that no case involves at all."""
        used = {k for p in self.covered for k in p}
        return [k for k in self.kinds if k.id not in used]


def coverage(cases: Sequence[PairCase], kinds: Sequence[ActorKind]) -> Coverage:
    """Which pairs of the given kinds the cases cover (symmetric pairs counted once)."""
    kind_ids = {k.id for k in kinds}
    found: dict[frozenset[str], list[PairCase]] = {}
    for case in cases:
        pair = frozenset(case.answer)
        if len(pair) == SLOTS and pair <= kind_ids:
            found.setdefault(pair, []).append(case)
    return Coverage(tuple(kinds), {p: tuple(sorted(cs, key=lambda c: c.number)) for p, cs in found.items()})
