"""Sorting exercises as ipywidgets (logic in :mod:`kyodo.exercises.sorting`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..exercises.sorting import Mark, SortingTask
from ..storage import Store
from ..text import esc, msg
from .common import ExerciseWidget, button, guarded, heading

_MARK = {Mark.CORRECT: "✅", Mark.WRONG: "❌", Mark.UNANSWERED: "…"}


class SortingWidget(ExerciseWidget):
    """One dropdown per item; check, hint and reset below."""

    def __init__(self, task: SortingTask, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        super().__init__(key, store)
        self.task = task
        self._confirm_reset = False
        options = [(msg("widget.choose"), None)] + [(c.label, c.id) for c in task.categories]
        self.choices: dict[str, W.Dropdown] = {}
        self.marks: dict[str, W.HTML] = {}
        rows = []
        for item in task.items:
            dropdown = W.Dropdown(options=options, value=None, layout=W.Layout(width="20em"),
                                  description=item.text, style={"description_width": "22em"})
            dropdown.observe(self._on_choice, names="value")
            mark = W.HTML(value="")
            self.choices[item.id] = dropdown
            self.marks[item.id] = mark
            rows.append(W.HBox([dropdown, mark]))
        self.check_button = button(msg("widget.btn_check"), "success", "check")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.ui = W.VBox([
            heading(exercise_id, title, instructions),
            *rows,
            W.HBox([self.check_button, self.hint_button, self.reset_button]),
            self.feedback.widget,
        ])
        self._restoring = True
        self._restore_saved()
        self._restoring = False

    def state(self) -> dict[str, Any]:
        return self.task.to_state()

    def restore(self, state: Any) -> int:
        n = self.task.load_state(state)
        for item_id, dropdown in self.choices.items():
            dropdown.value = self.task.answers[item_id]
        return n

    def _item_of(self, dropdown: W.Dropdown) -> str:
        return next(i for i, d in self.choices.items() if d is dropdown)

    @guarded
    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._confirm_reset = False
        self.reset_button.description = msg("widget.btn_reset")
        item_id = self._item_of(change["owner"])
        self.task.assign(item_id, change["new"])
        self.marks[item_id].value = ""
        self.save()

    @guarded
    def _on_check(self, _: Any = None) -> None:
        check = self.task.check()
        for result in check.results:
            self.marks[result.item.id].value = f"<span>{_MARK[result.mark]} {esc(result.message)}</span>"
        kind = "success" if check.complete else "warning" if check.correct < check.total - check.unanswered else "info"
        details = [f"{_MARK[r.mark]} {r.item.text}: {r.message}" for r in check.results if r.mark is not Mark.UNANSWERED]
        self.feedback.show(kind, details or [msg("sort.nothing_yet")], title=check.summary)

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self.feedback.show("info", self.task.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        if all(v is None for v in self.task.answers.values()):
            self.feedback.show("info", msg("widget.reset_nothing"))
            return
        if not self._confirm_reset:
            self._confirm_reset = True
            self.reset_button.description = msg("widget.btn_reset_confirm")
            answered = sum(v is not None for v in self.task.answers.values())
            self.feedback.show("warning", msg("widget.reset_ask_answers", n=answered))
            return
        self._confirm_reset = False
        self.reset_button.description = msg("widget.btn_reset")
        self._restoring = True
        self.task.reset()
        for dropdown in self.choices.values():
            dropdown.value = None
        for mark in self.marks.values():
            mark.value = ""
        self._restoring = False
        self.forget()
        self.feedback.show("info", msg("widget.reset_done"))
