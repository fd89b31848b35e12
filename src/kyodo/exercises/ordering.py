"""Logic of ordering exercises: put steps in the right order.

The learner gives each step a position (1, 2, ...). The check says which
steps stand in the right place and, for the others, whether they come
too early or too late; a hint names the first step that is out of place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text import msg
from .sorting import stable_order


@dataclass(frozen=True)
class Step:
    id: str
    text: str


@dataclass(frozen=True)
class StepResult:
    step: Step
    given: int | None
    right: int
    message: str

    @property
    def correct(self) -> bool:
        return self.given == self.right


@dataclass(frozen=True)
class OrderCheck:
    results: tuple[StepResult, ...]
    duplicates: tuple[int, ...]

    @property
    def correct(self) -> int:
        return sum(r.correct for r in self.results)

    @property
    def unanswered(self) -> int:
        return sum(r.given is None for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def complete(self) -> bool:
        return self.correct == self.total

    @property
    def summary(self) -> str:
        if self.unanswered == self.total:
            return msg("order.summary_empty", total=self.total)
        if self.complete:
            return msg("order.summary_complete", total=self.total)
        text = msg("order.summary_progress", correct=self.correct, total=self.total)
        if self.duplicates:
            text += " " + msg("order.duplicates", positions="・".join(str(p) for p in self.duplicates))
        return text


class OrderingTask:
    """Steps in their right order; the learner's positions; checks and hints."""

    def __init__(self, steps: Sequence[Step]):
        if len(steps) < 2:
            raise ValueError(msg("order.bad_task"))
        self.steps = list(steps)
        self.right = {s.id: n for n, s in enumerate(self.steps, start=1)}
        self.shown = sorted(self.steps, key=lambda s: stable_order(s.id))
        """The order in which the steps are presented (not the answer)."""
        self.positions: dict[str, int | None] = {s.id: None for s in self.steps}

    def place(self, step_id: str, position: int | None) -> bool:
        if step_id not in self.positions:
            return False
        if position is not None and not (isinstance(position, int) and 1 <= position <= len(self.steps)):
            return False
        self.positions[step_id] = position
        return True

    def check(self) -> OrderCheck:
        counts: dict[int, int] = {}
        for pos in self.positions.values():
            if pos is not None:
                counts[pos] = counts.get(pos, 0) + 1
        results = []
        for step in self.shown:
            given, right = self.positions[step.id], self.right[step.id]
            if given is None:
                text = msg("order.unanswered")
            elif given == right:
                text = msg("order.correct")
            elif given > right:
                text = msg("order.too_late")
            else:
                text = msg("order.too_early")
            results.append(StepResult(step, given, right, text))
        return OrderCheck(tuple(results), tuple(sorted(p for p, n in counts.items() if n > 1)))

    def hint(self) -> str:
        for step in self.steps:
            if self.positions[step.id] != self.right[step.id]:
                return msg("order.hint", text=step.text, position=self.right[step.id])
        return msg("order.hint_none")

    def reset(self) -> None:
        self.positions = {s.id: None for s in self.steps}

    def to_state(self) -> dict[str, Any]:
        return {"positions": {k: v for k, v in self.positions.items() if v is not None}}

    def load_state(self, state: Any) -> int:
        self.reset()
        saved = state.get("positions", {}) if isinstance(state, dict) else {}
        if not isinstance(saved, dict):
            return 0
        return sum(1 for k, v in saved.items() if isinstance(k, str) and self.place(k, v if isinstance(v, int) else -1))
