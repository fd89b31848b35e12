"""Keeping a learner's work safe between sessions.

Each learner has one JSON file in the workspace folder: ``$KYODO_WORKSPACE``
if set (on a shared JupyterHub, point it into each user's home), else the
project's git-ignored ``workspace/`` folder. Inside, every exercise keeps
its state under its own key, e.g. ``"case3/flowmap"``.

Safety rules:

* A save never leaves a half-written file: the new content goes to a
  temporary file in the same folder, is flushed to disk, then renamed
  over the old one (``os.replace`` is atomic).
* A save re-reads the file under a lock and changes only its own key, so
  two notebooks open at once do not overwrite each other's work.
* A file that cannot be read (corrupted, hand-edited, foreign) is copied
  to a backup next to it, the learner is told where, and it is never
  overwritten silently.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import msg

FORMAT = "kyodo-progress"
VERSION = 1
MAX_BYTES = 5_000_000
"""A progress file larger than this is not ours (or is broken); it is set aside."""


def default_workspace() -> Path:
    env = os.environ.get("KYODO_WORKSPACE")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "workspace"


def learner_id() -> str:
    """``$KYODO_LEARNER`` or the login name, reduced to a safe file name."""
    raw = os.environ.get("KYODO_LEARNER") or getpass.getuser() or "learner"
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", raw).strip("._") or "learner"
    return safe[:64]


@dataclass
class Store:
    """One learner's progress file."""

    path: Path
    notice: str | None = None
    """Set when opening found a problem the learner should know about."""
    _data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, workspace: Path | None = None, learner: str | None = None) -> Store:
        folder = workspace or default_workspace()
        store = cls(folder / f"{learner or learner_id()}.json")
        store._data, store.notice = store._read()
        return store

    # --- reading ---------------------------------------------------------------
    def _read(self) -> tuple[dict[str, Any], str | None]:
        """Read the file; on any problem set it aside and start empty, saying so."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}, None
        except OSError as err:
            return {}, msg("store.unreadable", path=self.path, error=err.strerror or err)
        problem = self._problem_with(raw)
        if problem is None:
            return json.loads(raw.decode("utf-8"))["exercises"], None
        backup = self._set_aside()
        return {}, msg("store.corrupt", problem=problem, backup=backup)

    @staticmethod
    def _problem_with(raw: bytes) -> str | None:
        if not raw.strip():
            return msg("store.problem_empty")
        if len(raw) > MAX_BYTES:
            return msg("store.problem_too_big")
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return msg("store.problem_not_json")
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            return msg("store.problem_foreign")
        if doc.get("version") != VERSION or not isinstance(doc.get("exercises"), dict):
            return msg("store.problem_version")
        return None

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}{self.path.suffix}")
        n = 1
        while backup.exists():
            n += 1
            backup = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}-{n}{self.path.suffix}")
        os.replace(self.path, backup)
        return backup

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    # --- writing ---------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def save(self, key: str, value: Any, replaces: tuple[str, ...] = ()) -> None:
        """Save one exercise's state, keeping every other key as it is on disk.

        ``replaces``: keys an earlier version saved the same exercise under; they are
        removed in the same write, so the old and the new key never disagree.
        """
        self._update(lambda data: {**{k: v for k, v in data.items() if k not in replaces}, key: value})

    def forget(self, key: str) -> None:
        """Remove one exercise's state (after "reset")."""
        self._update(lambda data: {k: v for k, v in data.items() if k != key})

    def _update(self, change: Any) -> None:
        with self._locked():
            on_disk, problem = self._read()
            if problem is not None:
                # The file went bad since we opened it: it has been set aside;
                # what this kernel knows is the best we have.
                self.notice = problem
                on_disk = self._data
            self._data = change(on_disk)
            doc = {"format": FORMAT, "version": VERSION,
                   "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "exercises": self._data}
            atomic_write_text(self.path, json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_open_stores: dict[Path, Store] = {}


def shared_store() -> Store:
    """The store of the current learner, shared by all widgets of a kernel."""
    path = default_workspace() / f"{learner_id()}.json"
    store = _open_stores.get(path)
    if store is None:
        store = Store.open(path.parent, path.stem)
        _open_stores[path] = store
    return store
