"""The agreement draft on screen (協定書・覚書の案), kept in step with the design sheet.

The draft is generated from the sheet (:func:`kyodo.design.agreement.agreement_draft`)
and shown as the printed page will be (:func:`kyodo.design.printable.agreement_body`,
every text escaped). It saves nothing of its own: it is a live view that
watches every step, so any change in an open step (or an import) renews the
draft; 「案を作り直す」 renews it by hand (after a change made elsewhere).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..data import Course
from ..design.live import LiveView
from ..design.printable import agreement_body
from ..design.sheet import PARTS, design_from_states, key, states_from_store
from ..storage import Store
from ..text import msg
from .common import button, guarded, heading


class AgreementWidget(LiveView):
    watches = tuple(key(p) for p in PARTS)

    def __init__(self, course: Course, exercise_id: str, store: Store | None = None):
        super().__init__(key("agreement"), store)
        self.course = course
        self.page = W.HTML(value="")
        self.renew_button = button(msg("agreement.btn_renew"), "info", "refresh")
        self.renew_button.on_click(self._on_renew)
        self.ui = W.VBox([heading(exercise_id, msg("agreement.heading"), msg("agreement.instructions")),
                          W.HBox([self.renew_button]), self.feedback.widget, self.page])
        self.show()
        self.go_live()

    def state(self) -> dict[str, Any]:
        return {}

    def restore(self, state: Any) -> int:
        return 0

    def show(self) -> None:
        design = design_from_states(self.course, states_from_store(self.store))
        self.page.value = (f"<div style='border:1px solid #999;padding:0.6em 1em;max-width:46em'>"
                           f"{agreement_body(design, screen=True)}</div>")

    def reload(self) -> None:
        self.show()

    def on_watched_change(self) -> None:
        self.show()

    @guarded
    def _on_renew(self, _: Any = None) -> None:
        self.show()
        self.feedback.show("info", msg("agreement.renewed"))
