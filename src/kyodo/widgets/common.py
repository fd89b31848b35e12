"""Building blocks shared by every exercise widget.

* :class:`Feedback` shows messages in a box whose colour *and* icon say
  what kind of message it is; all text is HTML-escaped.
* :class:`ExerciseWidget` is the base of every exercise: it owns the
  learner's saved state (see :mod:`kyodo.storage`), restores it when the
  widget is created and tells the learner when it did, and displays as
  its ``ui`` box. For an exercise whose logic is a :class:`Task` it also
  owns the check / hint / reset / save loop.
* :func:`guarded` turns any unexpected error in a callback into a short
  Japanese message instead of a traceback.

Saving never misleads and never loses what was typed: a widget says
「保存しました」 only after a save that worked; any failed save (the disk,
a file the course must not overwrite, anything else, also in the
background thread of a debounced save) becomes a Japanese message while
the inputs keep the text. Debounced saves still waiting when the kernel
stops or restarts are done at exit (:func:`flush_pending`). A saved state
that the widget cannot read is named, and left in the file until the
learner saves new work for that exercise.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar, runtime_checkable

import ipywidgets as W

from ..storage import Store, shared_store
from ..style import BUTTON_COLOURS
from ..text import esc, msg

F = TypeVar("F", bound=Callable[..., Any])
_timer_lock = threading.Lock()
_pending: set[ExerciseWidget] = set()
"""Widgets with a debounced save not done yet (guarded by ``_timer_lock``)."""

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


@runtime_checkable
class Task(Protocol):
    """What the logic object of a check / hint / reset exercise offers its widget (as ``self.task``).

    The logic lives in :mod:`kyodo.exercises` and knows nothing of widgets;
    :class:`ExerciseWidget` drives it through these members only.
    """

    @property
    def answered(self) -> int:
        """How many answers the learner has given: what a reset would undo (0: nothing to reset)."""
        ...

    def to_state(self) -> dict[str, Any]:
        """What is saved (plain JSON data); its format never changes without a migration."""
        ...

    def load_state(self, state: Any) -> int:
        """Take back a saved state (anything: it may be old or damaged); returns how many answers it brought back."""
        ...

    def reset(self) -> None:
        """Forget every answer (and the hint turn)."""
        ...

    def hint(self) -> str:
        """The next hint, as one line."""
        ...

    def check(self) -> Any:
        """The verdict on the answers so far; the widget's :meth:`ExerciseWidget.show_check` displays it."""
        ...


class ExerciseWidget:
    """Base of every exercise widget: saved state, restore notice, display, and the check / hint / reset loop.

    **Exercises with a task** (the choice, flow-map, network, contact-plan,
    gap-finder, logic-model and first-questions widgets) set ``self.task``
    to their logic object (a :class:`Task`) and call
    :meth:`add_check_buttons`. The base then saves ``task.to_state()``,
    restores through ``task.load_state``, and answers the buttons:
    「答え合わせ」 shows ``task.check()`` through :meth:`show_check`, 「ヒント」
    shows ``task.hint()``, and 「はじめからやり直す」 asks first (naming
    ``task.answered`` in the message :attr:`reset_ask`), then calls
    ``task.reset()``, forgets the saved work and calls :meth:`show_task` and
    :meth:`after_reset`. A subclass builds its inputs, keeps the task in step
    with them, and implements those hooks.

    **Widgets of their own shape** have no task: they override
    :meth:`state` and :meth:`restore` and wire their own buttons. They are
    the free-text widgets (notes, forms, the design sheet's partners), the
    design summary, the health check (two raters, result and compare) and
    the donation calculator (its boxes are its state, its hint a fixed text).
    """

    key: str
    task: Task
    reset_ask: str = "widget.reset_ask_answers"
    """The message key of the reset question; it is given ``n=task.answered``."""

    def __init__(self, key: str, store: Store | None = None, legacy_keys: Iterable[str] = ()):
        self.key = key
        self.legacy_keys = tuple(legacy_keys)
        """Keys earlier versions of the course saved this exercise under: read if ``key`` is absent."""
        self.store = store if store is not None else shared_store()
        self.feedback = Feedback()
        self.ui: W.Box = W.VBox()

    # --- state: the task's, unless a widget of its own shape overrides these two --------
    def state(self) -> dict[str, Any]:
        return self.task.to_state()

    def restore(self, state: Any) -> int:
        n = self.task.load_state(state)
        self.resync()
        return n

    def restore_quietly(self) -> None:
        """Restore the saved work without treating it as the learner's new input (no save, no feedback).

        The last step of a widget's ``__init__``; it also shows the task when nothing was saved.
        """
        with self.quietly():
            self._restore_saved()
            self.show_task()
        self.store.mark(self.key, "opened")

    _restoring: bool = False

    @contextlib.contextmanager
    def quietly(self) -> Iterator[None]:
        """Inside, observers that check ``_restoring`` ignore changes: they are the widget's, not the learner's."""
        was, self._restoring = self._restoring, True
        try:
            yield
        finally:
            self._restoring = was

    # --- hooks of an exercise with a task -----------------------------------------------
    def show_task(self) -> None:
        """Bring the inputs and lists in line with the task (after a restore, a reset or a cleaned input)."""

    def resync(self) -> None:
        """:meth:`show_task`, without the inputs' observers taking it for the learner's input."""
        with self.quietly():
            self.show_task()

    def show_check(self, result: Any) -> None:
        """Put ``task.check()``'s verdict on screen (the feedback, marks, a figure)."""
        raise NotImplementedError

    def after_reset(self) -> None:
        """Clear what the task does not hold: what the last check showed, inputs not yet added."""

    # --- the usual check / hint / reset buttons -------------------------------
    def add_check_buttons(self, check_label: str | None = None, check_icon: str = "check") -> None:
        """Create ``check_button``, ``hint_button`` and ``reset_button``, wired to ``_on_check`` etc."""
        self.check_button = button(check_label or msg("widget.btn_check"), "success", check_icon)
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.check_button.on_click(self._on_check)  # type: ignore[attr-defined]
        self.hint_button.on_click(self._on_hint)  # type: ignore[attr-defined]
        self.reset_button.on_click(self._on_reset)  # type: ignore[attr-defined]

    def check_buttons_row(self) -> W.HBox:
        return W.HBox([self.check_button, self.hint_button, self.reset_button])

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        self.show_check(self.task.check())
        self.store.mark(self.key, "checked")

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.task.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = self.task.answered
        self._two_step_reset(msg(self.reset_ask, n=n), self._clear_task, n)

    def _clear_task(self) -> None:
        self.task.reset()
        self.resync()
        self.after_reset()

    def _restore_saved(self) -> None:
        """Bring back the learner's saved work, and say so; say too when it could not be read."""
        if self.store.notice:
            self.feedback.show("warning", self.store.notice)
            return
        found, saved = self.key, self.store.get(self.key)
        for old in self.legacy_keys:
            if saved is not None:
                break
            found, saved = old, self.store.get(old)
        if saved is None:
            return
        try:
            n = self.restore(saved)
            unreadable = not n and _has_content(saved) and _as_saved(self.state()) != saved
        except Exception:  # noqa: BLE001 - a damaged state must not stop the widget
            n, unreadable = 0, True
        if unreadable:  # the raw value stays in the file: only new work replaces it
            self.feedback.show("warning", msg("widget.state_unreadable", key=found))
        elif n:
            self.feedback.show("info", msg("widget.restored", n=n))

    status: W.HTML | None = None
    """The line that says 「保存しました」 (widgets that save as the learner types); emptied when a save fails."""

    def save(self) -> bool:
        """Save the widget's state now; return whether it worked.

        A failure of any kind is shown as a Japanese message (never raised): the
        inputs keep what the learner typed, and :attr:`status` no longer says the
        work is saved. A problem the store met on the way (the file had gone bad
        and was set aside) is shown too; what opening the store found is not shown
        again (the widgets said it when they opened).
        """
        try:
            problem = self.store.save(self.key, self.state(), replaces=self.legacy_keys)
        except OSError as err:  # the disk, or a file that must not be overwritten (SaveRefused)
            self._save_failed(str(err.strerror or err))
            return False
        except Exception as err:  # noqa: BLE001 - e.g. text that cannot be written; never a traceback
            self._save_failed(type(err).__name__)
            return False
        if problem:
            self.feedback.show("warning", problem)
        return True

    def _save_failed(self, error: str) -> None:
        self.feedback.show("warning", msg("widget.save_failed", error=error))
        if self.status is not None:
            self.status.value = ""

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
        """Save once no change has come for :attr:`debounce` seconds (or at exit, if that comes first)."""
        with _timer_lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce, self._flush_in_background)
            self._timer.daemon = True
            self._timer.start()
            _pending.add(self)

    def _flush_in_background(self) -> None:
        """The timer's target: :meth:`flush`, with nothing ever escaping into the thread."""
        try:
            self.flush()
        except Exception as err:  # noqa: BLE001 - a thread traceback reaches no learner; a message does
            with contextlib.suppress(Exception):
                self.feedback.show("error", msg("widget.unexpected", error=type(err).__name__))

    def _take_timer(self) -> None:
        """Cancel a pending debounced save."""
        with _timer_lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            _pending.discard(self)

    @guarded
    def flush(self) -> None:
        """Save now (and cancel a pending debounced save); :meth:`after_save` only if the save worked."""
        self._take_timer()
        if self.save():
            self.after_save()

    def after_save(self) -> None:
        """Called after a debounced save that worked; e.g. to show 保存しました."""

    def forget(self) -> None:
        try:
            for key in (self.key, *self.legacy_keys):
                self.store.forget(key)
        except OSError as err:
            self._save_failed(str(err.strerror or err))
        except Exception as err:  # noqa: BLE001
            self._save_failed(type(err).__name__)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


def _has_content(value: Any) -> bool:
    """Whether a saved value holds anything a learner could have entered (empty shapes hold nothing)."""
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_content(v) for v in value)
    return value not in (None, "", 0, False)


def _as_saved(state: Any) -> Any:
    """``state`` as the progress file would hold it (JSON types)."""
    return json.loads(json.dumps(state, default=repr))


def flush_pending() -> None:
    """Do every debounced save that is still waiting: typing in the last second is not lost.

    Registered with :mod:`atexit`, so it runs when the kernel shuts down or
    restarts (JupyterLab asks the kernel to stop, and Python exits) and when
    a script ends. Each widget saves through its own :meth:`ExerciseWidget.flush`,
    so a subclass's rules for saving hold at exit too.
    """
    with _timer_lock:
        waiting = list(_pending)
    for widget in waiting:
        with contextlib.suppress(Exception):  # at exit there is no one left to tell
            widget.flush()


atexit.register(flush_pending)
