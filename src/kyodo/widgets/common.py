"""Building blocks shared by every exercise widget.

* :class:`Feedback` shows messages in a box whose colour *and* icon say
  what kind of message it is; all text is HTML-escaped.
* :class:`ExerciseWidget` is the base of every exercise: it owns the
  learner's saved state (see :mod:`kyodo.storage`), restores it when the
  widget is created and tells the learner when it did, and displays as
  its ``ui`` box.
* :func:`guarded` turns any unexpected error in a callback into a short
  Japanese message instead of a traceback.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import ipywidgets as W

from ..storage import Store, shared_store
from ..style import BUTTON_COLOURS
from ..text import esc, msg

F = TypeVar("F", bound=Callable[..., Any])
_timer_lock = threading.Lock()

_KIND_ICON = {"info": "ℹ️", "success": "✅", "warning": "⚠️", "error": "❌"}
_KIND_COLOURS = {  # text colour, background: all pass WCAG AA contrast
    "info": ("#0b3d66", "#e8f1fa"),
    "success": ("#0b4d2e", "#e6f4ec"),
    "warning": ("#5c3a00", "#fff4dc"),
    "error": ("#7a1f00", "#fdece6"),
}


class Choice(W.Dropdown):
    """A dropdown whose "(選んでください)" entry (value ``None``) shows when nothing is chosen.

    A plain ipywidgets Dropdown shows an empty box for ``value=None``, even
    when one of its options has the value ``None``; this one selects that
    option, so learners (and readers of the static page) see the prompt.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.value is None:
            self._select_placeholder()

    def _select_placeholder(self) -> None:
        if None in self._options_values and self.index != self._options_values.index(None):
            self.index = self._options_values.index(None)

    @W.widget_selection.observe("value")  # type: ignore[misc]
    def _propagate_value(self, change: Any) -> None:
        if change.new is None and None in self._options_values:
            self._select_placeholder()
            return
        super()._propagate_value(change)


class Feedback:
    """A message area. ``show("success", "...")`` replaces what it shows."""

    def __init__(self) -> None:
        self.widget = W.HTML(value="")
        self.kind: str | None = None
        self.lines: list[str] = []

    def show(self, kind: str, lines: str | Iterable[str], title: str | None = None) -> None:
        self.kind = kind
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        fg, bg = _KIND_COLOURS[kind]
        head = f"<strong>{_KIND_ICON[kind]} {esc(title)}</strong>" if title else ""
        if len(self.lines) == 1 and not title:
            body = f"{_KIND_ICON[kind]} {esc(self.lines[0])}"
        else:
            body = head + "<ul style='margin:0.3em 0 0 0;padding-left:1.4em'>" + "".join(
                f"<li>{esc(line)}</li>" for line in self.lines) + "</ul>"
        self.widget.value = (
            f"<div role='status' aria-live='polite' style='color:{fg};background:{bg};"
            f"border-left:4px solid {fg};padding:0.5em 0.8em;margin:0.4em 0;line-height:1.6'>{body}</div>"
        )

    def clear(self) -> None:
        self.kind = None
        self.lines = []
        self.widget.value = ""

    @property
    def text(self) -> str:
        """Everything shown, as plain text (for tests and screen readers)."""
        return "\n".join(self.lines)


def guarded(method: F) -> F:
    """Run a widget callback; show a friendly message if it fails unexpectedly."""

    @functools.wraps(method)
    def wrapper(self: ExerciseWidget, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - a learner must never see a traceback
            self.feedback.show("error", msg("widget.unexpected", error=type(err).__name__))
            return None

    return wrapper  # type: ignore[return-value]


def button(label: str, style: str = "", icon: str = "") -> W.Button:
    """A button; ``style`` is primary, success, info or warning (colours from :mod:`kyodo.style`)."""
    colours = {"button_color": BUTTON_COLOURS[style], "text_color": "white"} if style else {}
    return W.Button(description=label, icon=icon, tooltip=label, style=colours, layout=W.Layout(width="auto"))


def heading(exercise_id: str, title: str, instructions: str) -> W.HTML:
    return W.HTML(
        f"<div style='margin:0.2em 0 0.4em 0'><strong>{esc(exercise_id)} {esc(title)}</strong><br>"
        f"<span>{esc(instructions)}</span></div>"
    )


class ExerciseWidget:
    """Base of every exercise widget: saved state, restore notice, display."""

    key: str

    def __init__(self, key: str, store: Store | None = None, legacy_keys: Iterable[str] = ()):
        self.key = key
        self.legacy_keys = tuple(legacy_keys)
        """Keys earlier versions of the course saved this exercise under: read if ``key`` is absent."""
        self.store = store if store is not None else shared_store()
        self.feedback = Feedback()
        self.ui: W.Box = W.VBox()

    # subclasses implement these two
    def state(self) -> dict[str, Any]:
        raise NotImplementedError

    def restore(self, state: Any) -> int:
        raise NotImplementedError

    def restore_quietly(self) -> None:
        """Restore the saved work without treating it as the learner's new input (no save, no feedback)."""
        self._restoring = True
        try:
            self._restore_saved()
        finally:
            self._restoring = False

    # --- the usual check / hint / reset buttons -------------------------------
    def add_check_buttons(self) -> None:
        """Create ``check_button``, ``hint_button`` and ``reset_button``, wired to ``_on_check`` etc."""
        self.check_button = button(msg("widget.btn_check"), "success", "check")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.check_button.on_click(self._on_check)  # type: ignore[attr-defined]
        self.hint_button.on_click(self._on_hint)  # type: ignore[attr-defined]
        self.reset_button.on_click(self._on_reset)  # type: ignore[attr-defined]

    def check_buttons_row(self) -> W.HBox:
        return W.HBox([self.check_button, self.hint_button, self.reset_button])

    _restoring: bool = False

    def _restore_saved(self) -> None:
        """Bring back the learner's saved work, and say so."""
        if self.store.notice:
            self.feedback.show("warning", self.store.notice)
            return
        saved = self.store.get(self.key)
        for old in self.legacy_keys:
            if saved is not None:
                break
            saved = self.store.get(old)
        if saved is None:
            return
        n = self.restore(saved)
        if n:
            self.feedback.show("info", msg("widget.restored", n=n))

    def save(self) -> None:
        try:
            self.store.save(self.key, self.state(), replaces=self.legacy_keys)
        except OSError as err:
            self.feedback.show("warning", msg("widget.save_failed", error=err.strerror or err))
            return
        if self.store.notice:
            self.feedback.show("warning", self.store.notice)
            self.store.notice = None

    # --- two-step reset: the first press asks, the second clears -------------
    reset_button: W.Button
    _confirm_reset: bool = False

    def _cancel_reset(self) -> None:
        """Any other action cancels a pending reset."""
        self._confirm_reset = False
        if hasattr(self, "reset_button"):
            self.reset_button.description = msg("widget.btn_reset")

    def _two_step_reset(self, ask: str, clear: Callable[[], None], answered: int) -> None:
        if not answered:
            self.feedback.show("info", msg("widget.reset_nothing"))
            return
        if not self._confirm_reset:
            self._confirm_reset = True
            self.reset_button.description = msg("widget.btn_reset_confirm")
            self.feedback.show("warning", ask)
            return
        self._cancel_reset()
        clear()
        self.forget()
        self.feedback.show("info", msg("widget.reset_done"))

    # --- saving while the learner types: once typing pauses -------------------
    debounce: float = 1.0
    _timer: threading.Timer | None = None

    def schedule_save(self) -> None:
        """Save once no change has come for :attr:`debounce` seconds."""
        with _timer_lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Save now (and cancel a pending debounced save)."""
        with _timer_lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self.save()
        self.after_save()

    def after_save(self) -> None:
        """Called after a debounced save; e.g. to show 保存しました."""

    def forget(self) -> None:
        try:
            for key in (self.key, *self.legacy_keys):
                self.store.forget(key)
        except OSError as err:
            self.feedback.show("warning", msg("widget.save_failed", error=err.strerror or err))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)
