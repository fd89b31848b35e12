"""The exit ticket: three short questions at the end of a session, saved like reflection notes.

Each answer is a :class:`~kyodo.widgets.notes.NoteWidget` saved under
``notes/exit/<question>`` (``first``, ``unsure``, ``partner``), with its own
「クラスで共有する」 box: a learner may share one answer and keep another.
The room board shows shared notes, so it collects the tickets with no code
of its own. The questions are the same as on the paper card (``kit.exit_*``).
"""

from __future__ import annotations

import ipywidgets as W

from ..storage import Store
from ..text import esc, msg
from .notes import NoteWidget

QUESTIONS = ("first", "unsure", "partner")
"""The ticket's questions, in order; each is saved under ``notes/exit/<question>``."""
PREFIX = "notes/exit/"


class ExitTicket:
    """Three notes on one card; displays as its ``ui`` box."""

    def __init__(self, store: Store | None = None, debounce: float | None = None):
        extra = {} if debounce is None else {"debounce": debounce}
        self.notes = {q: NoteWidget(PREFIX + q, msg(f"kit.exit_{q}"), store, **extra) for q in QUESTIONS}
        for note in self.notes.values():
            note.text.layout.height = "4em"
        intro = W.HTML(f"<p><strong>{esc(msg('kit.exit_title'))}</strong></p><p>{esc(msg('kit.exit_intro'))}</p>")
        self.ui = W.VBox([intro, *(note.ui for note in self.notes.values())])

    def flush(self) -> None:
        """Save every answer now (each note otherwise saves when typing pauses)."""
        for note in self.notes.values():
            note.flush()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)
