"""Where a lesson is read, and the note that fits there.

The same notebook is read in three places, and its exercises behave
differently in each:

* ``website``: the book (``make book`` sets ``KYODO_READING=website``). The
  exercises show their initial state and do not answer.
* ``lab``: JupyterLab (``make lab``, the classroom's lab mode, or no
  ``KYODO_READING`` at all: ``make notebooks`` saves this note, and nbval
  compares against it). The exercises answer once the cells are run.
* ``voila``: the classroom's workshop mode (``KYODO_READING=voila``, set by
  the classroom's spawner): the lesson opens in Voilà, the cells have already
  run, and the lesson list is one link away (``index.ipynb`` beside the lesson;
  ``../classroom/landing.ipynb`` in a checkout of the repository).

Each lesson calls ``kyodo.reading_note()`` near its top (the design sheet
``kyodo.reading_note("sheet")``, the health check
``kyodo.reading_note("diagnosis")``); the words are in
``locales/<lang>/reading.yml``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal, get_args

from .text import esc, msg

Place = Literal["website", "lab", "voila"]
"""Where a notebook is read."""

Kind = Literal["lesson", "sheet", "diagnosis"]
"""What the notebook holds: exercises (a lesson), the design sheet, or the health check."""

DEFAULT_PLACE: Place = "lab"

LESSON_LIST = "index.ipynb"
"""The classroom's lesson list, beside every lesson (``~/kyodo/index.ipynb``)."""

STYLE = ("color:#0b3d66;background:#e8f1fa;border-left:4px solid #2f6db3;"
         "padding:0.4em 0.9em;margin:0.8em 0")
"""The colours of a ``{note}`` box (as :mod:`kyodo.workshop` draws them; WCAG AA on white)."""


def place() -> Place:
    """Where this notebook is read: ``$KYODO_READING`` if it names a place, else ``lab``."""
    value = os.environ.get("KYODO_READING", "").strip().lower()
    return value if value in get_args(Place) else DEFAULT_PLACE  # type: ignore[return-value]


def lesson_list_link(folder: str | Path | None = None) -> str:
    """The link from a lesson in ``folder`` (default: the current folder) to the lesson list.

    ``index.ipynb`` beside it in the classroom (``~/kyodo``); ``../classroom/landing.ipynb`` in a
    checkout of the repository (pulled by nbgitpuller onto another hub), where the lessons are in
    ``notebooks/``.
    """
    here = Path(folder) if folder is not None else Path.cwd()
    if not (here / LESSON_LIST).is_file() and (here.parent / "classroom" / "landing.ipynb").is_file():
        return "../classroom/landing.ipynb"
    return LESSON_LIST


def _inline(text: str, folder: str | Path | None = None) -> str:
    """Escape ``text``; then ``**words**`` becomes bold and ``[words](index.ipynb)`` a link to the lesson list."""
    html = esc(text)
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    if "](index.ipynb)" not in html:
        return html
    link = esc(lesson_list_link(folder))
    return re.sub(r"\[([^\]]+)\]\(index\.ipynb\)", lambda m: f"<a href='{link}'>{m.group(1)}</a>", html)


def reading_note_html(kind: Kind = "lesson", where: Place | None = None, folder: str | Path | None = None) -> str:
    """The note for a ``kind`` of notebook read at ``where`` (default: :func:`place`), as a note box.

    ``folder`` is where the lesson is (default: the current folder), for the link to the lesson list.

    An unknown kind raises :class:`KeyError` with the kinds there are.
    """
    if kind not in get_args(Kind):
        raise KeyError(msg("reading.unknown_kind", value=kind, known=", ".join(get_args(Kind))))
    where = where or place()
    text = msg(f"reading.{kind}.{where}").strip()
    paragraphs = ["".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    body = "".join(f"<p style='margin:0.3em 0'>{_inline(p, folder)}</p>" for p in paragraphs if p)
    return (f"<div role='note' class='kyodo-reading-note' data-place='{esc(where)}' style='{STYLE}'>"
            f"<p style='margin:0.2em 0'><strong>{esc(msg('reading.title'))}</strong></p>{body}</div>")
