"""Ordering exercises as ipywidgets (logic in :mod:`kyodo.exercises.ordering`)."""

from __future__ import annotations

from typing import Any

from ..exercises.ordering import OrderingTask
from ..storage import Store
from ..text import msg
from .choices import ChoiceRowsWidget, RowMark, Verdict


class OrderingWidget(ChoiceRowsWidget):
    """One position dropdown per step."""

    label_width = "26em"
    choice_width = "10em"

    def __init__(self, task: OrderingTask, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        self.task = task
        n = len(task.steps)
        super().__init__(key, exercise_id, title, instructions,
                         rows=[(s.id, s.text) for s in task.shown],
                         options=[(f"{i} {msg('order.position')}", i) for i in range(1, n + 1)], store=store)

    def record(self, row_id: str, value: Any) -> None:
        self.task.place(row_id, value)

    def current(self, row_id: str) -> Any:
        return self.task.positions[row_id]

    def verdict(self) -> Verdict:
        check = self.task.check()
        kind = "success" if check.complete else ("info" if check.unanswered == check.total else "warning")
        marks = tuple(RowMark(r.step.id, "✅" if r.correct else ("…" if r.given is None else "❌"), r.message)
                      for r in check.results)
        return Verdict(kind, check.summary, marks)
