"""A widget with one dropdown per row: the shared face of sorting and ordering exercises.

Subclasses say what the rows and options are and how a row's answer is
recorded and checked; this class builds the rows, the check / hint /
reset buttons, saving, restoring and the two-step reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, guarded, heading


@dataclass(frozen=True)
class RowMark:
    row_id: str
    icon: str
    message: str


@dataclass(frozen=True)
class Verdict:
    kind: str
    """``success``, ``warning`` or ``info`` (see :class:`kyodo.widgets.common.Feedback`)."""
    summary: str
    marks: tuple[RowMark, ...]
    details: tuple[str, ...] = ()


class ChoiceRowsWidget(ExerciseWidget):
    label_width = "22em"
    choice_width = "20em"

    def __init__(self, key: str, exercise_id: str, title: str, instructions: str,
                 rows: Sequence[tuple[str, str]], options: Sequence[tuple[str, Any]], store: Store | None = None):
        super().__init__(key, store)
        self.choices: dict[str, Choice] = {}
        self.marks: dict[str, W.HTML] = {}
        boxes = []
        all_options = [(msg("widget.choose"), None), *options]
        for row_id, label in rows:
            dropdown = Choice(options=all_options, value=None, description=label,
                                  style={"description_width": self.label_width},
                                  layout=W.Layout(width=f"calc({self.label_width} + {self.choice_width})"))
            dropdown.observe(self._on_choice, names="value")
            self.choices[row_id] = dropdown
            self.marks[row_id] = W.HTML(value="")
            boxes.append(W.HBox([dropdown, self.marks[row_id]]))
        self.add_check_buttons()
        self.ui = W.VBox([heading(exercise_id, title, instructions), *boxes,
                          self.check_buttons_row(), self.feedback.widget])
        self.restore_quietly()

    task: Any
    """The exercise's logic: ``to_state()``, ``load_state()``, ``reset()`` and ``hint()``."""

    # --- what subclasses provide -------------------------------------------
    def record(self, row_id: str, value: Any) -> None:
        raise NotImplementedError

    def current(self, row_id: str) -> Any:
        raise NotImplementedError

    def verdict(self) -> Verdict:
        raise NotImplementedError

    # --- delegated to the task -------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.task.to_state()

    def load_task_state(self, state: Any) -> int:
        return self.task.load_state(state)

    def hint_text(self) -> str:
        return self.task.hint()

    def clear_task(self) -> None:
        self.task.reset()

    # --- shared behaviour ---------------------------------------------------------
    def restore(self, state: Any) -> int:
        n = self.load_task_state(state)
        self._restoring = True
        for row_id, dropdown in self.choices.items():
            dropdown.value = self.current(row_id)
        self._restoring = False
        return n

    @property
    def answered(self) -> int:
        return sum(self.current(r) is not None for r in self.choices)

    @guarded
    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        row_id = next(k for k, d in self.choices.items() if d is change["owner"])
        self.record(row_id, change["new"])
        self.marks[row_id].value = ""
        self.save()

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        verdict = self.verdict()
        for mark in verdict.marks:
            self.marks[mark.row_id].value = f"<span>{mark.icon} {esc(mark.message)}</span>"
        if verdict.details:
            self.feedback.show(verdict.kind, verdict.details, title=verdict.summary)
        else:
            self.feedback.show(verdict.kind, verdict.summary)

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.hint_text())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        self._two_step_reset(msg("widget.reset_ask_answers", n=self.answered), self._clear_rows, self.answered)

    def _clear_rows(self) -> None:
        self.clear_task()
        self._restoring = True
        for dropdown in self.choices.values():
            dropdown.value = None
        self._restoring = False
        for mark in self.marks.values():
            mark.value = ""
