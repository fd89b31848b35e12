"""Signing in to the classroom hub: a workshop password, and each learner's own 合言葉.

JupyterHub's ``SharedPasswordAuthenticator`` lets anyone who knows the
shared password sign in as *any* user, so learner A could open learner
B's work by typing B's name. :class:`ClassroomAuthenticator` closes that:

* A learner signs in with a name (:mod:`kyodo.classroom.names` turns it
  into the hub and system user name), the **workshop password** the
  facilitator set when starting the classroom, and a personal **合言葉**
  (passphrase).
* At a name's first sign-in the learner chooses the 合言葉 (at least
  :attr:`ClassroomAuthenticator.min_passphrase_length` characters). Only
  a salted ``hashlib.scrypt`` hash of it is kept, in
  :class:`PassphraseBook`'s file in the hub's state folder (mode 0600,
  written atomically under a lock). Later sign-ins with that name need
  the same 合言葉: the workshop password alone never opens an existing
  learner. After :data:`MAX_FAILURES` wrong 合言葉 for one name within
  :data:`FAILURE_WINDOW` seconds, that name is refused for
  :data:`LOCKOUT_SECONDS` seconds (a guessing brake).
* Facilitators (the hub's admins, their names given at start as
  ``admin_users``) sign in with their own **facilitator password**, which
  must differ from the workshop password; it makes them admins. No other
  name is ever an admin, and the facilitator password opens no learner.
* Passwords and 合言葉 are compared after Unicode NFKC and without outer
  spaces, so full-width ``１２３４`` typed with a Japanese input method
  matches ``1234``, and a space copied along with a password does no harm.
* Every refusal raises ``tornado.web.HTTPError(403, <Japanese message>)``:
  JupyterHub 6.1's ``LoginHandler`` renders the login page again with that
  message as ``login_error`` (see ``classroom/templates/login.html``), and
  no server starts.
* As a ``LocalAuthenticator`` it creates the system user of each new
  name (``create_system_users``, ``add_user_cmd``: ``useradd`` with a
  private home folder, mode 0700).

A learner who forgot their 合言葉: the facilitator runs
``python -m kyodo.classroom.auth forget <name>`` (or
``make classroom-forget NAME=<name>``); the next sign-in with that name
sets a new 合言葉, and the learner's saved work stays where it is.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..text import msg
from . import names

PASSPHRASE_FILE = "passphrases.json"
"""The file, in the hub's state folder, holding the 合言葉 hashes."""

FORMAT = "kyodo-classroom-passphrases"
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""scrypt cost: about 16 MiB and a few tens of milliseconds per check."""
HASH_BYTES = 32
SALT_BYTES = 16

MIN_PASSPHRASE_LENGTH = 4
MAX_PASSPHRASE_LENGTH = 64
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0
LOCKOUT_SECONDS = 60


class SignInRefused(Exception):
    """A sign-in refused; ``str(error)`` is the Japanese message for the login page."""


def _normal(secret: str) -> str:
    """NFKC, outer spaces dropped: how every password and 合言葉 is compared."""
    return unicodedata.normalize("NFKC", secret or "").strip()


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two passwords after NFKC (never true for an empty ``expected``)."""
    if not expected:
        return False
    return hmac.compare_digest(_normal(given).encode("utf-8"), _normal(expected).encode("utf-8"))


def hash_passphrase(passphrase: str, salt: bytes | None = None, **cost: int) -> dict[str, Any]:
    """A salted scrypt record of ``passphrase`` (NFKC), as stored in the book."""
    params = {**SCRYPT, **cost}
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(
        _normal(passphrase).encode("utf-8"), salt=salt, dklen=HASH_BYTES, maxmem=64 * 1024 * 1024, **params
    )
    return {"scheme": "scrypt", **params, "salt": salt.hex(), "hash": digest.hex()}


def passphrase_matches(passphrase: str, record: dict[str, Any]) -> bool:
    """Whether ``passphrase`` is the one ``record`` (from :func:`hash_passphrase`) was made from."""
    try:
        if record.get("scheme") != "scrypt":
            return False
        cost = {key: int(record[key]) for key in ("n", "r", "p")}
        again = hash_passphrase(passphrase, bytes.fromhex(record["salt"]), **cost)
        return hmac.compare_digest(again["hash"], str(record["hash"]))
    except (KeyError, TypeError, ValueError):
        return False


class PassphraseBook:
    """The 合言葉 hashes of one classroom: a JSON file, mode 0600, one record per system user name.

    Reads need no lock (every write replaces the file atomically); writes
    take an exclusive ``flock`` on a lock file next to it, so the hub and
    the ``forget`` command never lose each other's changes.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("learners"), dict):
            raise ValueError(f"{self.path}: not a {FORMAT} file")
        return data["learners"]

    def _write(self, learners: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"format": FORMAT, "version": 1, "learners": learners}, indent=1, sort_keys=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def __contains__(self, system: str) -> bool:
        return system in self._read()

    def names(self) -> list[str]:
        """The system user names that have a 合言葉."""
        return sorted(self._read())

    def verify(self, system: str, passphrase: str) -> bool:
        record = self._read().get(system)
        return record is not None and passphrase_matches(passphrase, record)

    def enrol(self, system: str, passphrase: str) -> bool:
        """Store the first 合言葉 of ``system``; ``False`` (nothing changed) if it already has one."""
        record = hash_passphrase(passphrase)
        record["created"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        with self._locked():
            learners = self._read()
            if system in learners:
                return False
            learners[system] = record
            self._write(learners)
        return True

    def forget(self, system: str) -> bool:
        """Remove the 合言葉 of ``system`` (the next sign-in sets a new one); ``False`` if it had none."""
        with self._locked():
            learners = self._read()
            if learners.pop(system, None) is None:
                return False
            self._write(learners)
        return True


class FailureBrake:
    """Counts wrong 合言葉 per name; too many within a window refuses that name for a while."""

    def __init__(
        self,
        limit: int = MAX_FAILURES,
        window: float = FAILURE_WINDOW,
        lockout: float = LOCKOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.lockout, self.clock = limit, window, lockout, clock
        self._failures: dict[str, list[float]] = {}

    def wait_seconds(self, system: str) -> int:
        """Seconds until ``system`` may try again (0: now)."""
        now = self.clock()
        recent = [t for t in self._failures.get(system, []) if now - t < self.window]
        self._failures[system] = recent
        if len(recent) < self.limit:
            return 0
        return max(0, int(recent[-1] + self.lockout - now + 0.999))

    def failed(self, system: str) -> None:
        self._failures.setdefault(system, []).append(self.clock())

    def succeeded(self, system: str) -> None:
        self._failures.pop(system, None)


def check_passphrase_shape(passphrase: str, minimum: int = MIN_PASSPHRASE_LENGTH) -> str:
    """The NFKC form of a new 合言葉, or :class:`SignInRefused` saying what is wrong with it."""
    text = _normal(passphrase)
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise SignInRefused(msg("classroom.auth.passphrase_control"))
    if not text.strip():
        raise SignInRefused(msg("classroom.auth.passphrase_first", min=minimum))
    if len(text) < minimum:
        raise SignInRefused(msg("classroom.auth.passphrase_short", min=minimum))
    if len(text) > MAX_PASSPHRASE_LENGTH:
        raise SignInRefused(msg("classroom.auth.passphrase_long", limit=MAX_PASSPHRASE_LENGTH))
    return text


class SignIn:
    """The sign-in rules, without JupyterHub: :meth:`check` returns the auth model or raises :class:`SignInRefused`.

    ``facilitators`` are system user names (see :func:`names.system_name`).
    """

    def __init__(
        self,
        workshop_password: str,
        facilitator_password: str,
        facilitators: set[str] | frozenset[str],
        book: PassphraseBook,
        min_passphrase_length: int = MIN_PASSPHRASE_LENGTH,
        brake: FailureBrake | None = None,
    ) -> None:
        if not workshop_password or not facilitator_password:
            raise ValueError("both the workshop password and the facilitator password are required")
        if _normal(workshop_password) == _normal(facilitator_password):
            raise ValueError("the workshop password and the facilitator password must differ")
        self.workshop_password = workshop_password
        self.facilitator_password = facilitator_password
        self.facilitators = frozenset(facilitators)
        self.book = book
        self.min_passphrase_length = min_passphrase_length
        self.brake = brake or FailureBrake()

    def check(self, data: dict[str, Any]) -> dict[str, Any]:
        typed = str(data.get("username") or "")
        password = str(data.get("password") or "")
        passphrase = str(data.get("passphrase") or "")
        try:
            system = names.system_name(typed)
        except ValueError as error:
            raise SignInRefused(str(error)) from None

        wait = self.brake.wait_seconds(system)
        if wait:
            raise SignInRefused(msg("classroom.auth.too_many_tries", seconds=wait))

        if system in self.facilitators:
            if not same_secret(password, self.facilitator_password):
                self.brake.failed(system)
                raise SignInRefused(msg("classroom.auth.wrong_facilitator_password", name=names.typed_name(system)))
            self.brake.succeeded(system)
            return {"name": system, "admin": True}

        if not same_secret(password, self.workshop_password):
            raise SignInRefused(msg("classroom.auth.wrong_password"))

        if system in self.book:
            if not _normal(passphrase).strip():
                raise SignInRefused(msg("classroom.auth.passphrase_missing"))
            if not self.book.verify(system, passphrase):
                self.brake.failed(system)
                raise SignInRefused(msg("classroom.auth.passphrase_wrong"))
        else:
            chosen = check_passphrase_shape(passphrase, self.min_passphrase_length)
            if not self.book.enrol(system, chosen) and not self.book.verify(system, chosen):
                # someone else took this name a moment ago, with another 合言葉
                self.brake.failed(system)
                raise SignInRefused(msg("classroom.auth.passphrase_wrong"))
        self.brake.succeeded(system)
        return {"name": system, "admin": False}


def login_texts(min_passphrase_length: int = MIN_PASSPHRASE_LENGTH) -> dict[str, str]:
    """The Japanese texts of the login page, for ``JupyterHub.template_vars["kyodo"]``."""
    keys = [
        "page_title", "heading", "intro", "name_label", "password_label", "password_hint",
        "passphrase_label", "submit", "spawn_pending", "start_server", "not_running_heading",
        "not_running_message", "failed_heading", "failed_message", "relaunch", "nav_home", "nav_admin", "logout",
        "progress_log", "stop_server",
    ]
    texts = {key: msg(f"classroom.auth.{key}") for key in keys}
    texts["name_hint"] = msg("classroom.auth.name_hint", limit=names.MAX_LENGTH)
    texts["passphrase_hint"] = msg("classroom.auth.passphrase_hint", min=min_passphrase_length)
    return texts


try:  # JupyterHub is installed where the hub runs; the rules above work without it.
    from jupyterhub.auth import LocalAuthenticator
    from tornado import web
    from traitlets import Integer, Unicode
except ImportError:  # pragma: no cover
    LocalAuthenticator = None  # type: ignore[assignment,misc]

if LocalAuthenticator is not None:

    class ClassroomAuthenticator(LocalAuthenticator):  # type: ignore[misc,valid-type]
        """JupyterHub authenticator of the classroom (see the module docstring)."""

        workshop_password = Unicode("", help="The learners' shared workshop password.").tag(config=True)
        facilitator_password = Unicode("", help="The facilitators' password (admins).").tag(config=True)
        passphrase_file = Unicode("", help="The file of 合言葉 hashes (in the hub's state folder).").tag(config=True)
        min_passphrase_length = Integer(MIN_PASSPHRASE_LENGTH, help="Shortest 合言葉 accepted.").tag(config=True)

        _rules: SignIn | None = None

        @property
        def rules(self) -> SignIn:
            if self._rules is None:
                if not self.passphrase_file:
                    raise RuntimeError("ClassroomAuthenticator.passphrase_file is not set")
                self._rules = SignIn(
                    self.workshop_password,
                    self.facilitator_password,
                    set(self.admin_users),
                    PassphraseBook(self.passphrase_file),
                    self.min_passphrase_length,
                )
            return self._rules

        async def authenticate(self, handler: Any, data: dict[str, Any]) -> dict[str, Any]:
            try:
                # scrypt and file locks: off the hub's event loop
                return await asyncio.to_thread(self.rules.check, dict(data or {}))
            except SignInRefused as refused:
                # "%s": the message is shown as it is, and may hold "%"
                raise web.HTTPError(403, "%s", str(refused)) from None

        def normalize_username(self, username: str) -> str:
            # authenticate() already returns the safe system name; never map it again.
            return username

        def is_admin(self, handler: Any, authentication: dict[str, Any]) -> bool:
            return authentication["name"] in self.admin_users


def main(argv: list[str] | None = None) -> int:
    """``python -m kyodo.classroom.auth forget NAME... [--state DIR]``: let a learner choose a new 合言葉."""
    parser = argparse.ArgumentParser(prog="python -m kyodo.classroom.auth")
    parser.add_argument("command", choices=["forget", "list"])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--state", default=os.environ.get("KYODO_CLASSROOM_STATE") or "classroom/state")
    args = parser.parse_args(argv)
    book = PassphraseBook(Path(args.state) / PASSPHRASE_FILE)
    if args.command == "list":
        for system in book.names():
            try:
                print(f"{system}\t{names.typed_name(system)}")
            except ValueError:
                print(system)
        return 0
    status = 0
    for typed in args.names:
        try:
            system = typed if names.is_learner_name(typed) else names.system_name(typed)
        except ValueError as error:
            print(f"{typed}: {error}", file=sys.stderr)
            status = 1
            continue
        name = names.typed_name(system)
        if book.forget(system):
            print(msg("classroom.auth.forgotten", name=name, system=system))
        else:
            print(msg("classroom.auth.not_found", name=name, system=system), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
