"""A reasoned match as ipywidgets (logic in :mod:`kyodo.exercises.reasoned_match`).

One row per item, one checkbox per option (an item may link to several).
「講座の読み方と比べる」 sets the learner's choice beside the course's
reading, with 💬 rather than ✅/❌: there is no single right answer.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..exercises.reasoned_match import Agreement, ReasonedMatch
from ..storage import Store
from ..text import esc, msg
from .common import ExerciseWidget, button, guarded, heading

ICONS = {Agreement.NONE_CHOSEN: "…", Agreement.SAME: "💬", Agreement.OVERLAP: "💬", Agreement.DIFFERENT: "💬"}


class ReasonedMatchWidget(ExerciseWidget):
    def __init__(self, match: ReasonedMatch, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        super().__init__(key, store)
        self.match = match
        self.boxes: dict[tuple[str, str], W.Checkbox] = {}
        rows = []
        for r in match.readings:
            checks = []
            for o in match.options:
                box = W.Checkbox(value=False, description=o.name, indent=False, layout=W.Layout(width="10em"))
                box.observe(self._on_tick, names="value")
                self.boxes[(r.item_id, o.id)] = box
                checks.append(box)
            label = W.HTML(f"<div style='width:20em;padding-top:0.3em'><strong>{esc(r.item_name)}</strong></div>")
            rows.append(W.HBox([label, *checks]))
        self.compare_button = button(msg("reasoned.btn_compare"), "success", "comments")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.compare_button.on_click(self._on_compare)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.ui = W.VBox([heading(exercise_id, title, instructions), *rows,
                          W.HBox([self.compare_button, self.hint_button, self.reset_button]), self.feedback.widget])
        self._quiet = True
        self._restore_saved()
        self._quiet = False

    def state(self) -> dict[str, Any]:
        return self.match.to_state()

    def restore(self, state: Any) -> int:
        n = self.match.load_state(state)
        self._sync_boxes()
        return n

    def _sync_boxes(self) -> None:
        quiet, self._quiet = self._quiet, True
        for (item_id, option_id), box in self.boxes.items():
            box.value = option_id in self.match.chosen[item_id]
        self._quiet = quiet

    @guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._cancel_reset()
        item_id, option_id = next(k for k, b in self.boxes.items() if b is change["owner"])
        self.match.set_choice(item_id, option_id, bool(change["new"]))
        self.save()

    @guarded
    def _on_compare(self, _: Any = None) -> None:
        self._cancel_reset()
        report = self.match.compare()
        if not report.chosen_any:
            self.feedback.show("info", report.summary)
            return
        lines = [f"{ICONS[c.agreement]} {c.message}" for c in report.comparisons]
        lines += [f"❓ {msg('reasoned.unlinked', option=o.name)}" for o in report.unlinked]
        self.feedback.show("info", lines, title=report.summary)

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.match.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = self.match.answered
        self._two_step_reset(msg("reasoned.reset_ask", n=n), self._clear, n)

    def _clear(self) -> None:
        self.match.reset()
        self._sync_boxes()
