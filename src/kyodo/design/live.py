"""Open views of the learner's design, kept in step with the store.

Every step of the design sheet is a widget that holds its step in memory
and saves it whole on each change. When the step changes under it — the
summary imports a design, another view of the same step (the same cell run
twice) saves or resets it — an unaware view would write its old state back
on the learner's next keystroke. So every view of a step is a
:class:`LiveView`:

* it registers itself (weakly) when it is created;
* :func:`changed` and :func:`reload_all` make the open views of a store
  read their step again from the store, quietly, and say why;
* before it writes, a view checks that the store still holds what it last
  read or wrote there; if not, it reloads instead of writing, and says that
  the last input was not saved. No view ever writes stale state.

Views are matched by their :class:`~kyodo.storage.Store` object: in a
notebook every widget shares the kernel's store (:func:`~kyodo.storage.shared_store`).
"""

from __future__ import annotations

import json
import weakref
from typing import Any

from ..storage import Store
from ..text import msg
from ..widgets.common import ExerciseWidget

_views: weakref.WeakSet[LiveView] = weakref.WeakSet()


def _snapshot(state: Any) -> str:
    """A comparable copy of a saved state, as the progress file holds it (JSON)."""
    return json.dumps(state, ensure_ascii=False, sort_keys=True, default=repr)


class LiveView(ExerciseWidget):
    """A widget of one step of the design that never writes a state older than the store's.

    Put it first among the bases (``class DesignForm(LiveView, TextFormWidget)``)
    and call :meth:`go_live` as the last line of ``__init__``. A widget with a
    task reloads through it; other widgets override :meth:`reload`.
    """

    watches: tuple[str, ...] = ()
    """Keys of other steps this view shows something of; their changes call :meth:`on_watched_change`."""
    _seen: str = "null"
    _unsaved: bool = False
    """A debounced save is waiting (the learner typed in the last moment)."""
    save_refused: bool = False
    """The last save was refused because the view was stale (a subclass's ``after_save`` must not say 保存しました)."""

    def go_live(self) -> None:
        """Start following the store (after the saved work has been restored)."""
        self._seen = _snapshot(self.store.get(self.key))
        _views.add(self)

    # --- what a view shows when the store changed ----------------------------------------
    def reload(self) -> None:
        """Show the step as the store holds it now (called quietly: nothing is saved)."""
        self._cancel_reset()
        self.restore(self.store.get(self.key))
        self.after_reset()

    def on_watched_change(self) -> None:
        """A step in :attr:`watches` changed (the view's own step did not)."""

    def refresh(self, notice: str | None = None) -> None:
        """Reload from the store and, if given, tell the learner why the view changed."""
        with self.quietly():
            self.reload()
        self._seen = _snapshot(self.store.get(self.key))
        if notice:
            self.feedback.show("info", notice)

    @property
    def stale(self) -> bool:
        """The store's state of this step is not the one this view last read or wrote."""
        return _snapshot(self.store.get(self.key)) != self._seen

    # --- writing -----------------------------------------------------------------------
    def schedule_save(self) -> None:
        self._unsaved = True
        super().schedule_save()

    def flush(self) -> None:
        self._unsaved = False
        super().flush()

    def save(self) -> bool:
        """Save, unless the view is stale: then reload, say so, and return ``False`` (nothing written)."""
        if self.stale:
            self.save_refused = True
            self.refresh()
            self.feedback.show("warning", msg("design.reloaded_stale"))
            return False
        self.save_refused = False
        before = self._seen
        result = super().save()
        self._seen = _snapshot(self.store.get(self.key))
        if self._seen != before:
            changed(self.store, self.key, source=self)
        return result is not False

    def after_save(self) -> None:
        if not self.save_refused:
            super().after_save()

    def forget(self) -> None:
        super().forget()
        self._seen = _snapshot(self.store.get(self.key))
        changed(self.store, self.key, source=self)


def open_views(store: Store) -> list[LiveView]:
    """The live views of ``store`` (every open step widget of the learner's design)."""
    return [view for view in list(_views) if view.store is store]


def changed(store: Store, key: str, source: LiveView | None = None) -> None:
    """``key`` changed in ``store`` (by ``source``): the other views of that step reload, watchers update."""
    for view in open_views(store):
        if view is source:
            continue
        if view.key == key:
            view.refresh(msg("design.reloaded_elsewhere"))
        elif key in view.watches:
            view.on_watched_change()


def flush_pending(store: Store) -> None:
    """Save now what the learner typed in any view of ``store`` and is still waiting to be saved."""
    for view in open_views(store):
        if view._unsaved:
            view.flush()


def reload_all(store: Store, notice: str) -> None:
    """Every view of ``store`` reloads its step (after the whole design was replaced) and shows ``notice``."""
    for view in open_views(store):
        view.refresh(notice)
