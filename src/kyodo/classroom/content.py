"""Putting the course into each learner's home folder, and never overwriting their work.

Layout of a learner's home (the contract between the classroom's parts):

* ``~/kyodo/``: the course, one copy per learner: every ``notebooks/*.ipynb``
  of the source, and the landing notebook (:data:`LANDING_NOTEBOOK`) as
  ``~/kyodo/index.ipynb``.
* ``~/kyodo-workspace/``: the learner's saved work (``KYODO_WORKSPACE``), mode 0700.
* The home folder itself: mode 0700, so no other learner can read anything in it.

:func:`provision` runs in the hub (as root) before each of the learner's
servers starts (the spawner's ``pre_spawn_hook``, :func:`pre_spawn_hook`).
It copies only the files the learner does not have: a course update
(a newer checkout, or a new commit at the git URL) adds new notebooks
and never replaces one that is there, changed or not. It works through
file descriptors opened with ``O_NOFOLLOW`` and creates files with
``O_EXCL``, so a symbolic link a learner leaves in their home can never
make root write or change ownership outside it; every file and folder
it creates is given to the learner.

The course comes from this checkout, or from a git URL that
:func:`fetch_git` pulls with nbgitpuller into the hub's state folder when
the classroom starts (:func:`content_source`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pwd
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text import msg
from . import names

COURSE_FOLDER = "kyodo"
WORKSPACE_FOLDER = "kyodo-workspace"
LANDING_NOTEBOOK = Path("classroom") / "landing.ipynb"
"""The landing page of the classroom (the lesson list), relative to the source; copied as ``index.ipynb``."""
LANDING_NAME = "index.ipynb"

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW

log = logging.getLogger(__name__)


class ContentError(Exception):
    """The course cannot be put into a home folder; ``str(error)`` says why, in Japanese."""


@dataclass
class Report:
    """What :func:`provision` did."""

    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    skipped: str = ""
    """Why the course was not copied at all (e.g. ``~/kyodo`` is not a folder), or ``""``."""


def course_files(source: Path) -> list[tuple[Path, str]]:
    """The files of the course in ``source``: ``(path, name in ~/kyodo)``, lessons in order, then the landing page."""
    notebooks = sorted((source / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise ContentError(msg("classroom.content.no_notebooks", path=source))
    files = [(path, path.name) for path in notebooks if path.name != LANDING_NAME]
    landing = source / LANDING_NOTEBOOK
    if landing.is_file():
        files.append((landing, LANDING_NAME))
    return files


@contextlib.contextmanager
def _open_dir(name: str | os.PathLike[str], dir_fd: int | None = None) -> Iterator[int]:
    fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    try:
        yield fd
    finally:
        os.close(fd)


def _give(fd: int, uid: int | None, gid: int | None) -> None:
    if uid is not None and (uid != os.geteuid() or gid not in (None, os.getegid())):
        os.fchown(fd, uid, -1 if gid is None else gid)


def _ensure_dir(parent_fd: int, name: str, mode: int, uid: int | None, gid: int | None, report: Report) -> bool:
    """Make ``name`` (a real folder, not a link) in ``parent_fd``; ``False`` if something else is there."""
    try:
        os.mkdir(name, mode, dir_fd=parent_fd)
    except FileExistsError:
        created = False
    else:
        created = True
        report.created.append(name)
    try:
        with _open_dir(name, parent_fd) as fd:
            if created:
                _give(fd, uid, gid)
                os.fchmod(fd, mode)
            elif uid is None or os.fstat(fd).st_uid == uid:
                os.fchmod(fd, mode)
    except OSError:  # a symbolic link, or a file, where the folder belongs
        return False
    return True


def _copy_missing(dir_fd: int, name: str, source: Path, uid: int | None, gid: int | None) -> bool:
    """Create ``name`` with ``source``'s bytes, only if nothing of that name is there; ``True`` if copied."""
    data = source.read_bytes()
    try:
        fd = os.open(name, _NEW_FILE_FLAGS, 0o644, dir_fd=dir_fd)
    except FileExistsError:  # a file, a folder or a link (even a dangling one): the learner's
        return False
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(fd)
        _give(fd, uid, gid)
        os.fchmod(fd, 0o644)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dir_fd)
        raise
    os.close(fd)
    return True


def provision(home: Path, source: Path, uid: int | None = None, gid: int | None = None) -> Report:
    """Put the course from ``source`` into ``home`` (see the module docstring); never overwrite a file.

    ``uid``/``gid``: the learner, who gets every file and folder made here
    (``None``: the current user, as in the tests). The home folder is set to
    0700 when it belongs to the learner, and refused when it does not.
    """
    files = course_files(source)
    report = Report()
    try:
        home_fd = os.open(home, _DIR_FLAGS)
    except OSError:
        raise ContentError(msg("classroom.content.home_missing", path=home)) from None
    try:
        if uid is not None and os.fstat(home_fd).st_uid != uid:
            raise ContentError(msg("classroom.content.home_not_owned", path=home, user=uid))
        os.fchmod(home_fd, 0o700)
        _ensure_dir(home_fd, WORKSPACE_FOLDER, 0o700, uid, gid, report)
        if not _ensure_dir(home_fd, COURSE_FOLDER, 0o700, uid, gid, report):
            report.skipped = f"{home / COURSE_FOLDER} is not a folder"
            return report
        with _open_dir(COURSE_FOLDER, home_fd) as course_fd:
            for path, name in files:
                if _copy_missing(course_fd, name, path, uid, gid):
                    report.copied.append(name)
                else:
                    report.kept.append(name)
    finally:
        os.close(home_fd)
    return report


# --- where the course comes from -----------------------------------------------------------------


def fetch_git(url: str, branch: str, target: Path) -> Path:
    """Clone or update ``url`` at ``branch`` into ``target`` with nbgitpuller; returns ``target``.

    nbgitpuller merges and never discards local changes (there are none in
    this hub-side copy); each learner then gets only missing files from it.
    """
    from nbgitpuller.pull import GitPuller

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        puller = GitPuller(url, str(target), branch=branch, depth=1)
        for line in puller.pull():
            log.debug("nbgitpuller: %s", str(line).rstrip())
    except Exception as error:  # nbgitpuller raises plain exceptions and CalledProcessError
        raise ContentError(msg("classroom.content.git_failed", url=url, branch=branch, error=error)) from error
    return target


def content_source(checkout: Path, url: str = "", branch: str = "main", cache: Path | None = None) -> Path:
    """The folder to copy the course from: ``checkout``, or the nbgitpuller copy of ``url`` in ``cache``."""
    if not url:
        course_files(checkout)
        return checkout
    folder = fetch_git(url, branch, cache or checkout / "classroom" / "state" / "content")
    course_files(folder)
    return folder


# --- the spawner's side ----------------------------------------------------------------------------


def learner_home(system: str) -> Path:
    return Path(pwd.getpwnam(system).pw_dir)


def learner_environment(system: str, home: Path | None = None) -> dict[str, str]:
    """``KYODO_WORKSPACE`` and ``KYODO_LEARNER`` for the server of hub user ``system``."""
    home = home if home is not None else learner_home(system)
    try:
        learner = names.typed_name(system)
    except ValueError:  # a user the facilitator made on the admin page: keep the hub's name
        learner = system
    return {"KYODO_WORKSPACE": str(home / WORKSPACE_FOLDER), "KYODO_LEARNER": learner}


def pre_spawn_hook(source: Path) -> Any:
    """A ``Spawner.pre_spawn_hook`` that provisions the learner's home from ``source`` before each start."""

    async def hook(spawner: Any) -> None:
        entry = pwd.getpwnam(spawner.user.name)
        report = await asyncio.to_thread(provision, Path(entry.pw_dir), source, entry.pw_uid, entry.pw_gid)
        spawner.environment = {**spawner.environment, **learner_environment(spawner.user.name, Path(entry.pw_dir))}
        if report.skipped:
            spawner.log.warning("Course not copied for %s: %s", spawner.user.name, report.skipped)
        else:
            spawner.log.info("Course for %s: %d copied, %d already there", spawner.user.name,
                             len(report.copied), len(report.kept))

    return hook


try:  # JupyterHub is installed where the hub runs; the rest of this module works without it.
    from jupyterhub.spawner import LocalProcessSpawner
except ImportError:  # pragma: no cover
    LocalProcessSpawner = None  # type: ignore[assignment,misc]

if LocalProcessSpawner is not None:

    class ClassroomSpawner(LocalProcessSpawner):  # type: ignore[misc,valid-type]
        """``LocalProcessSpawner`` that stops a learner's server with SIGTERM first, never SIGINT.

        Jupyter Server (the single-user server) stops cleanly on SIGTERM: it
        shuts each kernel down, and a kernel that ends normally runs its exit
        handlers (kyodo saves text still being typed). On SIGINT without a
        terminal, as the hub starts it, the server quits at once; its kernels
        then notice their parent is gone and end with ``os._exit``, skipping
        that last save. Used for every stop: Ctrl-C, ``make classroom-stop``,
        the idle culler and the facilitator's admin page.
        """

        async def stop(self, now: bool = False) -> None:
            # now=True: LocalProcessSpawner skips its SIGINT step and starts at SIGTERM (then SIGKILL).
            await super().stop(now=True)
