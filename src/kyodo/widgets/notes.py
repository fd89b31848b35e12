"""A free-text answer box that saves as the learner types.

Saving is debounced: a save happens once typing pauses for
:data:`DEBOUNCE_SECONDS`, and :meth:`NoteWidget.flush` saves at once.
Control characters are removed and the text is cut at :data:`MAX_CHARS`,
with a message; the text is stored as typed and escaped wherever shown.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..storage import Store
from ..text import clean_text, esc, msg
from .common import ExerciseWidget, guarded

MAX_CHARS = 4000
DEBOUNCE_SECONDS = 1.0


class NoteWidget(ExerciseWidget):
    def __init__(self, key: str, prompt: str, store: Store | None = None, debounce: float = DEBOUNCE_SECONDS):
        super().__init__(key, store)
        self.debounce = debounce
        self.text = W.Textarea(value="", placeholder=msg("note.placeholder"), continuous_update=True,
                               layout=W.Layout(width="95%", height="8em"))
        self.text.observe(self._on_change, names="value")
        self.status = W.HTML(value="")
        self.ui = W.VBox([W.HTML(f"<strong>{esc(prompt)}</strong>"), self.text, self.status, self.feedback.widget])
        self.restore_quietly()

    def state(self) -> dict[str, Any]:
        return {"text": self.text.value}

    def restore(self, state: Any) -> int:
        saved = state.get("text") if isinstance(state, dict) else None
        if not isinstance(saved, str) or not saved:
            return 0
        self.text.value, _ = clean_text(saved, MAX_CHARS)
        return 1

    @guarded
    def _on_change(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        cleaned, cut = clean_text(change["new"], MAX_CHARS)
        if cleaned != change["new"]:
            self._restoring = True
            self.text.value = cleaned
            self._restoring = False
            self.feedback.show("warning", msg("note.too_long", n=MAX_CHARS) if cut else msg("note.cleaned"))
        self.schedule_save()

    def after_save(self) -> None:
        self.status.value = f"<small>{esc(msg('note.saved', n=len(self.text.value)))}</small>"
