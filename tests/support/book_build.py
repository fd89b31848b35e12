"""Build the book once per test run, whichever test module (or xdist worker) asks first.

``tests/test_book.py`` inspects the HTML and ``tests/test_browser.py`` opens it
in Chromium; both need the same fresh build. The first to ask runs
``make book`` under a file lock and records the result in a stamp named after
the test run (pytest-xdist gives all workers of one run the same id); the
other waits for the lock and reads the stamp instead of building again.

Set ``KYODO_BOOK_BUILT=1`` to inspect a build made beforehand with ``make book``.
``book_extension`` imports one of the book's own Sphinx extensions (``book/_ext/``)
for the tests of its functions.
"""

from __future__ import annotations

import fcntl
import importlib
import json
import os
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
BUILD = BOOK / "_build"
HTML = BUILD / "html"
EXTENSIONS = BOOK / "_ext"

_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@dataclass
class Build:
    returncode: int
    log: str

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


def build_book_once() -> Build:
    if os.environ.get("KYODO_BOOK_BUILT") == "1":
        assert (HTML / "index.html").is_file(), (
            "KYODO_BOOK_BUILT=1, but book/_build/html has no index.html: run `make book` first"
        )
        return Build(0, "(built before the tests with `make book`)")
    BUILD.mkdir(parents=True, exist_ok=True)
    stamp = BUILD / f".pytest-build-{_RUN_ID}.json"
    with open(BUILD / ".pytest-build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if stamp.is_file():
                return Build(**json.loads(stamp.read_text(encoding="utf-8")))
            for old in BUILD.glob(".pytest-build-*.json"):
                old.unlink()
            result = _make_book()
            stamp.write_text(json.dumps(asdict(result)), encoding="utf-8")
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _make_book() -> Build:
    # Called from `make test`: do not hand the outer make's job server to this one.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    proc = subprocess.run(
        ["make", "--no-print-directory", "book"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
    )
    return Build(proc.returncode, proc.stdout)


def toc_files(toc_path: Path = BOOK / "_toc.yml") -> list[str]:
    """Every `file:` in the table of contents, the root first."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk([toc])
    return files


def book_extension(name: str) -> ModuleType:
    """One of the book's own Sphinx extensions (``book/_ext/<name>.py``), imported as Sphinx does."""
    if str(EXTENSIONS) not in sys.path:
        sys.path.insert(0, str(EXTENSIONS))
    return importlib.import_module(name)
