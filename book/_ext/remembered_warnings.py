"""Report the warnings of unchanged pages again, so an incremental build stays strict.

Sphinx reads and writes only the pages that changed since the last build. A
warning on a page that did not change is then not printed, and with ``-W`` the
build "succeeds" although that page is still wrong. Removing the Sphinx
environment before every build avoids that, but reads every page again
(about 20 s here, instead of 5 s for a build with nothing changed).

This extension keeps the warnings instead. Every warning that Sphinx reports
while it reads a page, or while it resolves and writes it, is stored with that
page (in ``remembered_warnings.json`` in the doctree folder, beside the
environment). In the next build:

- a page that is read again starts with no read warnings, and gets those of
  this reading; a page that is written again, likewise for its write warnings;
- the stored warnings of a page that is not read (or not written) again are
  reported again, unchanged (same location, same message, same type), after
  reading (or at the end of the build). With ``-W --keep-going`` each one
  counts, so the build fails until the page is fixed, exactly as in a build
  from scratch.

Warnings outside reading and writing one page (configuration, consistency
checks, copying files at the end) are produced by every build anyway and are
not stored. When a build raises, Sphinx removes its environment, so the next
build reads everything (the stored warnings are cleared with it); when the
stored warnings are missing but the environment is there, every page is read
again too. ``tests/test_book.py`` checks that a warning on an unchanged page
still fails the build.
"""

from __future__ import annotations

import copy
import json
import logging as std_logging
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.logging import is_suppressed_warning

logger = logging.getLogger(__name__)

STORE = "remembered_warnings.json"
MARK = "remembered_warning"  # set on a log record once it has been stored (or when it is replayed)
READ, WRITE = "read", "write"


class _Memory(std_logging.Handler):
    """Collects the warnings of the current build, by page and by phase."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(level=std_logging.WARNING)
        self.app = app
        # docname -> {"read": [warning, ...], "write": [...]}; a warning is a dict (see _entry)
        self.stored: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.read_now: set[str] = set()
        self.written_now: set[str] = set()
        self.writing: str | None = None  # the page whose output is being written (builder.write_doc)
        self.path = Path(app.doctreedir) / STORE
        self.load()
        # how many write warnings each page had from earlier builds (the first ones in its list)
        self.marks = {doc: len(phases.get(WRITE, [])) for doc, phases in self.stored.items()}

    # --- storage -------------------------------------------------------------

    def load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.stored = data if isinstance(data, dict) else {}

    def save(self, known: set[str]) -> None:
        stored = {doc: phases for doc, phases in self.stored.items() if doc in known and any(phases.values())}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(stored, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")

    def reset(self, docname: str, phase: str) -> None:
        self.stored.setdefault(docname, {}).setdefault(phase, [])
        self.stored[docname][phase] = []

    # --- collecting ------------------------------------------------------------

    def emit(self, record: std_logging.LogRecord) -> None:
        # Sphinx holds warnings back while it reads and writes, and hands them to the logger
        # again at the end (pending_warnings): each record is seen twice. Replayed ones carry
        # the mark from the start.
        if record.levelno < std_logging.WARNING or getattr(record, MARK, False):
            return
        setattr(record, MARK, True)
        phase = {BuildPhase.READING: READ, BuildPhase.RESOLVING: WRITE, BuildPhase.WRITING: WRITE}.get(self.app.phase)
        if phase is None:
            return
        entry = _entry(self.app, record)
        if entry is None:  # suppressed by suppress_warnings
            return
        docname = self.app.env.temp_data.get("docname") if self.app.env else None
        if phase == WRITE and docname is None:
            docname = self.writing
        if docname is None and self.app.phase == BuildPhase.RESOLVING and entry["location"]:
            docname = self.app.env.path2doc(entry["location"].rsplit(":", 1)[0])
        if docname is None:
            return  # not about one page (e.g. copying files at the end): every build reports it anyway
        self.stored.setdefault(docname, {}).setdefault(phase, []).append(entry)

    # --- reporting again ---------------------------------------------------------

    def replay(self, phase: str, fresh: set[str]) -> int:
        """Report the stored ``phase`` warnings of every page not in ``fresh``; return how many."""
        count = 0
        for docname in sorted(self.stored):
            if docname in fresh:
                continue
            for warning in self.stored[docname].get(phase, []):
                logger.log(
                    warning.get("level", std_logging.WARNING), "%s", warning["message"], location=warning["location"] or (docname, None),
                    type=warning["type"], subtype=warning["subtype"], extra={MARK: True},
                )
                count += 1
        return count


def _entry(app: Sphinx, record: std_logging.LogRecord) -> dict[str, Any] | None:
    """The warning as stored: level, message, location ("path:line"), type and subtype; None when suppressed."""
    if is_suppressed_warning(getattr(record, "type", ""), getattr(record, "subtype", ""),
                             app.config.suppress_warnings):
        return None
    record = copy.copy(record)
    logging.WarningLogRecordTranslator(app).filter(record)
    location = getattr(record, "location", None)
    location = location if isinstance(location, str) and ":" in location else None
    return {
        "level": record.levelno,
        "message": std_logging.LogRecord.getMessage(record),  # without the location Sphinx puts in front
        "location": location,
        "type": getattr(record, "type", None),
        "subtype": getattr(record, "subtype", None),
    }


def _memory(app: Sphinx) -> _Memory | None:
    return getattr(app, "_remembered_warnings", None)


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    memory = _Memory(app)
    app._remembered_warnings = memory  # type: ignore[attr-defined]
    std_logging.getLogger(logging.NAMESPACE).addHandler(memory)
    # Know which page is being written: Sphinx has no event around the writing of one page.
    write_doc = app.builder.write_doc

    def write_doc_noting_the_page(docname: str, doctree: Any) -> None:
        memory.writing = docname
        try:
            write_doc(docname, doctree)
        finally:
            memory.writing = None

    app.builder.write_doc = write_doc_noting_the_page  # type: ignore[method-assign]


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Without stored warnings (removed by hand, or a build before this extension) read every page again."""
    memory = _memory(app)
    if memory is not None and env.all_docs and not memory.path.is_file():
        return sorted(env.all_docs)
    return []


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    memory = _memory(app)
    if memory is None:
        return
    memory.read_now = set(docnames)
    if not env.all_docs or not memory.path.is_file():
        memory.stored, memory.marks = {}, {}  # a fresh environment: every page is read and written
    for docname in docnames:
        memory.reset(docname, READ)


def _env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    memory = _memory(app)
    if memory is not None:
        memory.replay(READ, memory.read_now)
    return []


def _doctree_resolved(app: Sphinx, doctree: Any, docname: str) -> None:
    memory = _memory(app)
    if memory is not None:
        if docname not in memory.written_now:
            # Resolving this page has started (and reported its warnings, with temp_data's
            # docname); keep those of this build, drop the ones stored by earlier builds.
            memory.written_now.add(docname)
            phases = memory.stored.setdefault(docname, {})
            phases[WRITE] = phases.get(WRITE, [])[memory.marks.get(docname, 0):]


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    memory = _memory(app)
    if memory is None:
        return
    std_logging.getLogger(logging.NAMESPACE).removeHandler(memory)
    if exception is not None:
        memory.path.unlink(missing_ok=True)  # Sphinx removes its environment too: all is read again
        return
    memory.replay(WRITE, memory.written_now)
    memory.save(set(app.env.all_docs))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-updated", _env_updated)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": False, "parallel_write_safe": False}
