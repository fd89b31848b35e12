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
  overwritten silently. A file written with a UTF-8 byte-order mark (as
  Windows Notepad does) is read as it is.
* A file written by a newer version of the course, or stamped with another
  learner's name, is left exactly as it is: the learner is told, and
  :class:`SaveRefused` stops every save over it.
* Temporary files that a killed save left behind are removed when the
  store is opened: only files of this store's own pattern, only ones older
  than :data:`ORPHAN_AGE`, and only under the lock that every save holds.

File names: :func:`file_stem` turns the learner's name (``$KYODO_LEARNER``
or the login name) into the file's name. A plain ASCII name keeps the name
it always had (``tanaka`` → ``tanaka.json``); any other name keeps its
safe characters (Japanese included) and gains a stable hash of the name as
typed (``佐藤`` → ``佐藤~<hash>.json``), so two names never share a file.
The name as typed is written inside the file (``"learner"``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import getpass
import hashlib
import json
import os
import re
import stat
import tempfile
import time
import unicodedata
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


# --- learners' names and file names ---------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9-])?")
"""Names that earlier versions already used unchanged as file names: they keep their file."""
_WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                               *(f"LPT{n}" for n in range(10))})
READABLE_BYTES = 80
"""How much of a name (UTF-8 bytes) is kept readable in front of the hash."""
HASH_CHARS = 12
"""Characters of the name's hash (base32, 60 bits): two names in a class never meet."""


def learner_name() -> str:
    """The learner's name as typed: ``$KYODO_LEARNER``, else the login name."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        login = ""
    return os.environ.get("KYODO_LEARNER") or login or "learner"


def _is_plain(name: str) -> bool:
    return (_PLAIN.fullmatch(name) is not None and name.split(".")[0].upper() not in _WINDOWS_RESERVED
            and ".unreadable-" not in name)


def _readable(name: str) -> str:
    """The letters, digits and marks of ``name`` (any script) and ``-``, other runs as one ``_``: safe everywhere."""
    marked = "".join(ch if ch == "-" or unicodedata.category(ch)[0] in "LNM" else "_" for ch in name)
    kept = re.sub(r"_+", "_", marked).strip("_").lstrip("-_")
    out = ""
    for ch in kept:
        if len((out + ch).encode("utf-8")) > READABLE_BYTES:
            break
        out += ch
    return out or "learner"


def file_stem(name: str) -> str:
    """The file name (without ``.json``) of the learner called ``name``: safe, and one of its own.

    A plain ASCII name (letters, digits, ``.``, ``_``, ``-``; up to 64; what earlier
    versions kept unchanged) is its own file name, so existing learners keep their
    file. Any other name keeps its safe characters and gains ``~`` and a hash of the
    name as typed; plain names never contain ``~``, so the two kinds never meet, and
    the hash tells apart names that differ anywhere (spaces, case, dots, slashes,
    Unicode normalisation). The result has no path separator or leading dot, is
    not a reserved Windows device name and leaves room for every suffix the store
    adds within the 255-byte limit of file names.
    """
    if _is_plain(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
    return f"{_readable(name)}~{base64.b32encode(digest).decode('ascii').lower()[:HASH_CHARS]}"


def _legacy_stem(name: str) -> str:
    """The file name earlier versions gave ``name`` (it could be shared by many names)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name).strip("._") or "learner"
    return safe[:64]


def learner_id() -> str:
    """The current learner's file name (see :func:`file_stem`); also the start of their exports' names."""
    return file_stem(learner_name())


class SaveRefused(OSError):
    """A save over a file the course must leave as it is; the message (Japanese) says why."""


@dataclass(frozen=True)
class _Reading:
    """What reading the progress file found."""

    exercises: dict[str, Any]
    problem: str | None = None
    """What the learner should be told (Japanese), if anything."""
    keep: bool = False
    """The file must be left exactly as it is: never set aside, never saved over."""
    activity: dict[str, Any] = field(default_factory=dict)
    """When the learner first opened each exercise and last checked it (see :meth:`Store.mark`)."""


def parse_progress(raw: bytes) -> tuple[dict[str, Any], str | None]:
    """The progress document in ``raw`` or, when it cannot be one, why (Japanese).

    A file of a newer version passes: its ``exercises`` are not looked at.
    """
    if not raw.strip():
        return {}, msg("store.problem_empty")
    if len(raw) > MAX_BYTES:
        return {}, msg("store.problem_too_big")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))  # a byte-order mark (Windows Notepad) is no problem
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, msg("store.problem_not_json")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return {}, msg("store.problem_foreign")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return {}, msg("store.problem_version")
    if version <= VERSION and not isinstance(doc.get("exercises"), dict):
        return {}, msg("store.problem_shape")
    return doc, None


def _dumps(doc: dict[str, Any]) -> str:
    """``doc`` as JSON text that can always be written as UTF-8."""
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a browser can send one): kept as a \uXXXX escape
        text = json.dumps(doc, ensure_ascii=True, indent=1, sort_keys=True)
    return text


ORPHAN_AGE = 600.0
"""Seconds after which a temporary file of a save is surely not being written any more."""


@dataclass
class Store:
    """One learner's progress file."""

    path: Path
    learner: str | None = None
    """The learner's name as typed (written into the file; ``None``: the file has no owner)."""
    notice: str | None = None
    """Set when opening found a problem the learner should know about; cleared by the next good save."""
    refused: str | None = None
    """Set when the file must be left as it is (why, in Japanese): every save raises :class:`SaveRefused`."""
    _data: dict[str, Any] = field(default_factory=dict)
    _activity: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, workspace: Path | None = None, learner: str | None = None) -> Store:
        """The store of ``learner`` (a name as typed; default :func:`learner_name`) in ``workspace``."""
        folder = workspace or default_workspace()
        name = learner_name() if learner is None else learner
        store = cls(folder / f"{file_stem(name)}.json", learner=name)
        store._remove_orphans()
        reading = store._read()
        store._data, store._activity, store.notice = reading.exercises, reading.activity, reading.problem
        store.refused = reading.problem if reading.keep else None
        if store.notice is None and not store.path.exists():
            store.notice = store._legacy_notice()
        return store

    # --- reading ---------------------------------------------------------------
    def _read(self) -> _Reading:
        """Read the file; when it is damaged, set it aside and start empty, saying so."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Reading({})
        except OSError as err:
            return _Reading({}, msg("store.unreadable", path=self.path, error=err.strerror or err), keep=True)
        doc, problem = parse_progress(raw)
        if problem is not None:
            backup = self._set_aside()
            return _Reading({}, msg("store.corrupt", problem=problem, backup=backup))
        if doc["version"] > VERSION:
            return _Reading({}, msg("store.newer", path=self.path, version=doc["version"]), keep=True)
        owner = doc.get("learner")
        if isinstance(owner, str) and self.learner is not None and owner != self.learner:
            return _Reading({}, msg("store.other_learner", path=self.path, other=owner), keep=True)
        activity = doc.get("activity")
        return _Reading(doc["exercises"], activity=activity if isinstance(activity, dict) else {})

    def _legacy_notice(self) -> str | None:
        """Where an earlier version kept this learner's answers, if that is another file (it is kept, not read).

        Earlier versions gave many names one file (every Japanese name became
        ``learner.json``), so it may hold other learners' answers: the learner is
        told where it is and how to take it over, and nothing is read from it.
        """
        if self.learner is None:
            return None
        old = self.path.with_name(f"{_legacy_stem(self.learner)}.json")
        if old == self.path or not old.is_file():
            return None
        with contextlib.suppress(OSError, ValueError, RecursionError):
            doc = json.loads(old.read_bytes().decode("utf-8-sig"))
            if isinstance(doc, dict) and isinstance(doc.get("learner"), str):
                return None  # written by this version: it is another learner's own file
        return msg("store.legacy_file", learner=self.learner, old=old.name, new=self.path.name)

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}{self.path.suffix}")
        n = 1
        while backup.exists():
            n += 1
            backup = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}-{n}{self.path.suffix}")
        os.replace(self.path, backup)
        return backup

    def _remove_orphans(self) -> None:
        """Remove the temporary files that killed saves of this store left behind.

        Only names of the pattern :func:`atomic_write_text` gives this file's
        temporary files, only plain files older than :data:`ORPHAN_AGE`, and only
        while holding the lock that every save of this file holds, so no save in
        progress loses its file. Any problem leaves things as they are.
        """
        pattern = re.compile(rf"\.{re.escape(self.path.name)}\.[a-z0-9_]{{8}}\.tmp")
        try:
            candidates = [p for p in self.path.parent.iterdir() if pattern.fullmatch(p.name)]
            if not candidates:
                return
            with self._locked():
                now = time.time()
                for p in candidates:
                    with contextlib.suppress(OSError):
                        info = p.lstat()
                        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > ORPHAN_AGE:
                            p.unlink()
        except OSError:
            return

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

    def save(self, key: str, value: Any, replaces: tuple[str, ...] = ()) -> str | None:
        """Save one exercise's state, keeping every other key as it is on disk.

        ``replaces``: keys an earlier version saved the same exercise under; they are
        removed in the same write, so the old and the new key never disagree.
        Returns what the learner should be told about this save (the file had gone
        bad and was set aside), else ``None``. Raises :class:`SaveRefused` (an
        ``OSError``) over a file that must be left as it is, and ``OSError`` when
        the disk refuses.
        """
        return self._update(lambda data: {**{k: v for k, v in data.items() if k not in replaces}, key: value})

    def forget(self, key: str) -> str | None:
        """Remove one exercise's state (after "reset"); returns and raises as :meth:`save`."""
        return self._update(lambda data: {k: v for k, v in data.items() if k != key})

    def mark(self, key: str, event: str) -> bool:
        """Note that the learner ``opened`` or ``checked`` exercise ``key``, for the room board.

        ``opened`` is written once (the first time); ``checked`` each time, with the
        number of checks. Never raises and never says anything: this is not the
        learner's work, and a file that must be left alone stays as it is.
        Returns whether the file now records it.
        """
        if event == "opened" and "opened" in self._activity.get(key, {}):
            return True
        now = time.strftime("%Y-%m-%dT%H:%M:%S")

        def note(activity: dict[str, Any]) -> dict[str, Any]:
            entry = dict(activity.get(key) or {}) if isinstance(activity.get(key), dict) else {}
            if event == "opened":
                entry.setdefault("opened", now)
            else:
                entry["checked"] = now
                checks = entry.get("checks")
                entry["checks"] = (checks if isinstance(checks, int) and not isinstance(checks, bool) else 0) + 1
            return {**activity, key: entry}

        notice, refused = self.notice, self.refused
        try:
            self._update(lambda data: data, note)
        except Exception:  # noqa: BLE001 - the board's record never troubles the learner
            return False
        finally:  # what opening the file found is still to be said by the widgets (only a save answers it)
            self.notice, self.refused = notice, self.refused or refused
        return True

    def _update(self, change: Any, change_activity: Any = None) -> str | None:
        with self._locked():
            reading = self._read()
            if reading.keep:
                self.refused = reading.problem
                raise SaveRefused(reading.problem)
            # The file went bad since we opened it: it has been set aside;
            # what this kernel knows is the best we have.
            bad = reading.problem is not None
            data = change(self._data if bad else reading.exercises)
            activity = self._activity if bad else reading.activity
            if change_activity is not None:
                activity = change_activity(activity)
            doc = {"format": FORMAT, "version": VERSION,
                   "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "exercises": data}
            if activity:
                doc["activity"] = activity
            if self.learner is not None:
                doc["learner"] = self.learner
            atomic_write_text(self.path, _dumps(doc))
            self._data, self._activity = data, activity
        self.notice = self.refused = None
        return reading.problem


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
    name = learner_name()
    path = default_workspace() / f"{file_stem(name)}.json"
    store = _open_stores.get(path)
    if store is None:
        store = Store.open(path.parent, name)
        _open_stores[path] = store
    return store
