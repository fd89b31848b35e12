"""Reading the room's saved work for the board, read-only.

Two places hold a room's work:

* a folder (``make board KYODO_CLASS_FOLDER=…``): the learners' progress
  files (``*.json``, as :mod:`kyodo.storage` writes them), gathered on a
  shared drive or by hand, and any exported design sheets (``*.html``,
  ``*.md``) beside them;
* the classroom hub: each learner's ``~/kyodo-workspace/`` (:func:`hub_files`).

Nothing here writes, renames or locks a file: a learner's file is opened
read-only, never through a symbolic link, and only if it is a regular file
of a sane size. A file that is not a learner's progress (unreadable,
foreign, cut short, from a newer version of the course) is listed with the
reason and skipped; nothing stops the board.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..storage import MAX_BYTES, VERSION, parse_progress
from ..text import msg

MAX_FILES = 2000
"""A room is never this big; past it, files are listed as skipped."""
_TEMPORARY = re.compile(r"^\..*\.tmp$|\.lock$")
_SET_ASIDE = re.compile(r"\.unreadable-[0-9-]+\.json$")


@dataclass(frozen=True)
class LearnerWork:
    """One learner's saved work."""

    file: str
    """The file's name as shown (in the hub: the learner's name)."""
    learner: str
    """The learner's name as typed (from the file; else the file's name)."""
    exercises: Mapping[str, Any]
    activity: Mapping[str, Any] = field(default_factory=dict)
    saved_at: str = ""


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


def shown_name(text: str) -> str:
    """A file name as the board shows it: anything that is not valid text becomes 「?」."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\ufffd", "?")


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, opened read-only and never through a link; ``OSError`` or ``ValueError`` if not."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(msg("board.skip_not_file"))
        if info.st_size > limit:
            raise ValueError(msg("board.skip_too_big"))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def read_learner(path: Path, shown: str | None = None) -> LearnerWork | Skipped:
    """The saved work in ``path``, or why it is not a learner's progress file."""
    name = shown or shown_name(path.name)
    try:
        raw = read_bytes(path)
    except ValueError as err:
        return Skipped(name, str(err))
    except OSError as err:
        return Skipped(name, msg("board.skip_unreadable", error=shown_name(str(err.strerror or err))))
    doc, problem = parse_progress(raw)
    if problem is not None:
        return Skipped(name, problem)
    if doc["version"] > VERSION:
        return Skipped(name, msg("board.skip_newer", version=doc["version"]))
    learner = doc.get("learner")
    activity = doc.get("activity")
    saved_at = doc.get("saved_at")
    return LearnerWork(name, learner if isinstance(learner, str) and learner.strip() else path.stem,
                       doc["exercises"], activity if isinstance(activity, Mapping) else {},
                       saved_at if isinstance(saved_at, str) else "")


@dataclass(frozen=True)
class Gathered:
    works: tuple[LearnerWork, ...]
    skipped: tuple[Skipped, ...]
    exports: tuple[Path, ...] = ()
    """Exported design sheets found beside the progress files (read by :mod:`kyodo.design.overview`)."""


def gather(files: Iterable[tuple[Path, str | None]]) -> Gathered:
    """Read every ``(path, shown name)``; two files of one learner (a copy) are both listed, the newer one counted."""
    works: dict[str, LearnerWork] = {}
    skipped: list[Skipped] = []
    for n, (path, shown) in enumerate(files):
        if n >= MAX_FILES:
            skipped.append(Skipped(shown or shown_name(path.name), msg("board.skip_too_many", n=MAX_FILES)))
            continue
        found = read_learner(path, shown)
        if isinstance(found, Skipped):
            skipped.append(found)
            continue
        other = works.get(found.learner)
        if other is not None:
            newer, older = (found, other) if found.saved_at >= other.saved_at else (other, found)
            works[found.learner] = newer
            skipped.append(Skipped(older.file, msg("board.skip_same_learner", other=newer.file)))
            continue
        works[found.learner] = found
    return Gathered(tuple(works.values()), tuple(skipped))


def folder_files(folder: Path) -> Gathered:
    """The progress files of a folder (not its subfolders), and the exported design sheets beside them."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as err:
        return Gathered((), (Skipped(shown_name(str(folder)), msg("board.skip_folder", error=shown_name(
            str(err.strerror or err)))),))
    progress: list[tuple[Path, str | None]] = []
    exports: list[Path] = []
    skipped: list[Skipped] = []
    for path in entries:
        name = path.name
        if _TEMPORARY.search(name) or (name.startswith(".") and not name.endswith(".json")):
            continue  # a save in progress, a lock, a hidden file of the system
        with contextlib.suppress(OSError):
            if path.is_dir():
                continue
        suffix = path.suffix.lower()
        if _SET_ASIDE.search(name):
            skipped.append(Skipped(shown_name(name), msg("board.skip_set_aside")))
        elif suffix == ".json":
            progress.append((path, None))
        elif suffix in (".html", ".md"):
            exports.append(path)
        else:
            skipped.append(Skipped(shown_name(name), msg("board.skip_not_progress")))
    found = gather(progress)
    return Gathered(found.works, (*skipped, *found.skipped), tuple(exports))


def hub_files(users: Iterable[str], folder: str, progress_file: Any) -> Gathered:
    """The progress file of each hub user: ``~<user>/<folder>/<progress_file(user)>`` (a missing one is no problem).

    ``progress_file(user)`` names the file (the learner's file name, see
    :func:`kyodo.storage.file_stem`); the board shows the user's name.
    """
    files: list[tuple[Path, str | None]] = []
    for user in users:
        try:
            home = Path(pwd.getpwnam(user).pw_dir)
        except KeyError:
            continue
        path = home / folder / progress_file(user)
        if not os.path.lexists(path):
            continue  # has not saved anything yet (any other problem: read_learner says why)
        files.append((path, user))
    return gather(files)
