"""Logic of the mutual-benefit ledger: does every partner gain something of its own?

A partnership lasts when each partner gets specific benefits of its own,
beyond the benefits they share (the partnering principle of *mutual
benefit*, see The Partnering Initiative's Partnering Toolbook). The
learner puts benefit statements into the columns of a ledger: one column
per party, one for what the parties share, and one for "nobody gains
this" (statements the case does not support). :meth:`BenefitLedger.check`

* marks every statement right or wrong and says why;
* flags every party whose column holds no benefit of its own;
* flags every distractor (something nobody gains) put in someone's column.

Nothing here is specific to one case: a lesson passes its parties and
statements (see :mod:`kyodo.lessons.case2`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text import msg
from .scoring import MarkedCheck
from .sorting import Mark, stable_order

SHARED = "shared"
"""Column id of benefits the parties share."""

NOBODY = "nobody"
"""Column id of statements nobody gains (distractors)."""


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    clue: str
    """Said in a hint instead of the name, so the hint does not give the answer away."""


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    owner: str
    """A party id, :data:`SHARED` or :data:`NOBODY`."""
    why: str
    """Why the statement belongs where it does (shown once it is placed right, or as the reason a distractor is wrong)."""


@dataclass(frozen=True)
class StatementResult:
    statement: Statement
    given: str | None
    mark: Mark
    message: str


@dataclass(frozen=True)
class LedgerCheck(MarkedCheck):
    results: tuple[StatementResult, ...]
    party_gaps: tuple[Party, ...]
    """Parties whose column holds no benefit that is really theirs."""
    claimed_distractors: tuple[StatementResult, ...]
    """Statements nobody gains that were put in a party's (or the shared) column."""

    summary_prefix = "ledger"

    def summary_extra(self) -> dict[str, int]:
        return {"gaps": len(self.party_gaps), "distractors": len(self.claimed_distractors)}


class BenefitLedger:
    """The statements, the learner's columns for them, checks and hints."""

    def __init__(self, parties: Sequence[Party], statements: Sequence[Statement],
                 shared_label: str | None = None, nobody_label: str | None = None):
        if len(parties) < 2 or not statements:
            raise ValueError(msg("ledger.bad_task"))
        party_ids = [p.id for p in parties]
        if len(set(party_ids)) != len(party_ids) or {SHARED, NOBODY} & set(party_ids):
            raise ValueError(msg("ledger.bad_party_ids"))
        known = set(party_ids) | {SHARED, NOBODY}
        for s in statements:
            if s.owner not in known:
                raise ValueError(msg("ledger.bad_owner", text=s.text, owner=s.owner))
        if len({s.id for s in statements}) != len(statements):
            raise ValueError(msg("ledger.bad_statement_ids"))
        self.parties = list(parties)
        self.statements = sorted(statements, key=lambda s: stable_order(s.id))
        """In a fixed order that does not group them by column."""
        self.column_labels: dict[str, str] = {p.id: p.name for p in parties}
        self.column_labels[SHARED] = shared_label or msg("ledger.shared")
        self.column_labels[NOBODY] = nobody_label or msg("ledger.nobody")
        self.answers: dict[str, str | None] = {s.id: None for s in self.statements}

    # --- what the learner can choose ------------------------------------------
    @property
    def columns(self) -> list[tuple[str, str]]:
        """(label, id) of every column: the parties, then shared, then nobody."""
        return [(self.column_labels[c], c) for c in [*(p.id for p in self.parties), SHARED, NOBODY]]

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def assign(self, statement_id: str, column: str | None) -> bool:
        """Put a statement in a column (``None`` takes it out). Unknown ids are refused."""
        if statement_id not in self.answers:
            return False
        if column is not None and column not in self.column_labels:
            return False
        self.answers[statement_id] = column
        return True

    def ledger(self) -> dict[str, list[Statement]]:
        """The learner's ledger: column id → the statements put there (every column present)."""
        table: dict[str, list[Statement]] = {c: [] for _, c in self.columns}
        for s in self.statements:
            given = self.answers[s.id]
            if given is not None:
                table[given].append(s)
        return table

    # --- checking -------------------------------------------------------------
    def _judge(self, s: Statement) -> StatementResult:
        given = self.answers[s.id]
        if given is None:
            return StatementResult(s, None, Mark.UNANSWERED, msg("ledger.unanswered"))
        if given == s.owner:
            return StatementResult(s, given, Mark.CORRECT, msg("ledger.correct", why=s.why))
        label = self.column_labels[given]
        if s.owner == NOBODY:
            text = msg("ledger.wrong_distractor", column=label, why=s.why)
        elif given == NOBODY:
            text = msg("ledger.wrong_real", clue=self._clue(s.owner))
        elif s.owner == SHARED:
            text = msg("ledger.wrong_shared_to_party", column=label)
        elif given == SHARED:
            text = msg("ledger.wrong_own_to_shared", clue=self._clue(s.owner))
        else:
            text = msg("ledger.wrong_party", column=label, clue=self._clue(s.owner))
        return StatementResult(s, given, Mark.WRONG, text)

    def _clue(self, owner: str) -> str:
        if owner == SHARED:
            return msg("ledger.clue_shared")
        if owner == NOBODY:
            return msg("ledger.clue_nobody")
        return self.party(owner).clue

    def check(self) -> LedgerCheck:
        results = tuple(self._judge(s) for s in self.statements)
        own = {p.id: 0 for p in self.parties}
        for r in results:
            if r.mark is Mark.CORRECT and r.statement.owner in own:
                own[r.statement.owner] += 1
        gaps = tuple(p for p in self.parties if own[p.id] == 0)
        claimed = tuple(r for r in results if r.statement.owner == NOBODY and r.given not in (None, NOBODY))
        return LedgerCheck(results, gaps, claimed)

    def flags(self, check: LedgerCheck | None = None) -> list[str]:
        """The ledger-level problems in words: parties with no benefit of their own, claimed distractors."""
        check = check or self.check()
        if check.unanswered == check.total:
            return []
        lines = [msg("ledger.gap", party=p.name) for p in check.party_gaps]
        lines += [msg("ledger.distractor_claimed", text=r.statement.text,
                      column=self.column_labels[r.given or NOBODY]) for r in check.claimed_distractors]
        return lines

    def hint(self) -> str:
        """First a party still without a benefit of its own, then a wrong statement, then an open one."""
        check = self.check()
        if check.complete:
            return msg("ledger.hint_none")
        if check.party_gaps:
            party = check.party_gaps[0]
            return msg("ledger.hint_gap", party=party.name, clue=party.clue)
        wrong = [r for r in check.results if r.mark is Mark.WRONG]
        target = (wrong or [r for r in check.results if r.mark is Mark.UNANSWERED])[0]
        return msg("ledger.hint_statement", text=target.statement.text, clue=self._clue(target.statement.owner))

    # --- state -------------------------------------------------------------------
    def reset(self) -> None:
        self.answers = {s.id: None for s in self.statements}

    def to_state(self) -> dict[str, Any]:
        return {"answers": {k: v for k, v in self.answers.items() if v is not None}}

    def load_state(self, state: Any) -> int:
        """Restore saved answers; entries that no longer fit are dropped. Returns how many."""
        self.reset()
        answers = state.get("answers", {}) if isinstance(state, dict) else {}
        if not isinstance(answers, dict):
            return 0
        return sum(1 for k, v in answers.items()
                   if isinstance(k, str) and isinstance(v, str) and self.assign(k, v))
