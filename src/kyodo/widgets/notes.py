"""A free-text answer box that saves as the learner types.

Saving is debounced: a save happens once typing pauses for
:data:`DEBOUNCE_SECONDS`, and :meth:`NoteWidget.flush` saves at once.
Control characters are removed and the text is cut at :data:`MAX_CHARS`,
with a message; the text is stored as typed and escaped wherever shown.

The box 「クラスで共有する」 (off until the learner ticks it) lets the note
reach the room board (:mod:`kyodo.board`): without a name on the projector,
with it only in the facilitator's own view when they ask. Unticking takes it
off the board at the next refresh. The prompt is saved with the note, so the
board can say what it answers.
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
        self.prompt = prompt
        self.share = W.Checkbox(value=False, description=msg("note.share"), indent=False,
                                layout=W.Layout(width="auto"))
        self.share.observe(self._on_share, names="value")
        self.share_help = W.HTML(f"<small>{esc(msg('note.share_help'))}</small>")
        self.status = W.HTML(value="")
        self.ui = W.VBox([W.HTML(f"<strong>{esc(prompt)}</strong>"), self.text,
                          W.HBox([self.share, self.share_help], layout=W.Layout(align_items="center")),
                          self.status, self.feedback.widget])
        self.restore_quietly()

    def state(self) -> dict[str, Any]:
        return {"text": self.text.value, "share": self.share.value, "prompt": self.prompt}

    def restore(self, state: Any) -> int:
        saved = state.get("text") if isinstance(state, dict) else None
        if not isinstance(saved, str) or not saved:
            return 0
        self.text.value, _ = clean_text(saved, MAX_CHARS)
        self.share.value = state.get("share") is True
        return 1

    @guarded
    def _on_share(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._take_timer()
        if self.save():  # at once: the learner must see whether the board may show it
            key = "note.shared" if change["new"] else "note.not_shared"
            self.status.value = f"<small>{esc(msg(key))}</small>"
        else:
            with self.quietly():  # not saved: the box shows what the file says
                self.share.value = bool(change["old"])

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
