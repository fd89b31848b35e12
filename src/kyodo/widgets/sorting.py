"""Sorting exercises as ipywidgets (logic in :mod:`kyodo.exercises.sorting`)."""

from __future__ import annotations

from typing import Any

from ..exercises.sorting import Mark, SortingTask
from ..storage import Store
from ..text import msg
from .choices import ChoiceRowsWidget, RowMark, Verdict

ICONS = {Mark.CORRECT: "✅", Mark.WRONG: "❌", Mark.UNANSWERED: "…"}


class SortingWidget(ChoiceRowsWidget):
    """One dropdown per item, offering every category."""

    def __init__(self, task: SortingTask, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        self.task = task
        super().__init__(key, exercise_id, title, instructions,
                         rows=[(i.id, i.text) for i in task.items],
                         options=[(c.label, c.id) for c in task.categories], store=store)

    def record(self, row_id: str, value: Any) -> None:
        self.task.assign(row_id, value)

    def current(self, row_id: str) -> Any:
        return self.task.answers[row_id]

    def verdict(self) -> Verdict:
        check = self.task.check()
        wrong = check.total - check.correct - check.unanswered
        kind = "success" if check.complete else ("warning" if wrong else "info")
        details = tuple(f"{ICONS[r.mark]} {r.item.text}: {r.message}"
                        for r in check.results if r.mark is not Mark.UNANSWERED)
        return Verdict(kind, check.summary,
                       tuple(RowMark(r.item.id, ICONS[r.mark], r.message) for r in check.results),
                       details or (msg("sort.nothing_yet"),))
