"""The classroom's landing page: every lesson of the course, in course order, one link each.

The landing notebook (``classroom/landing.ipynb``, copied into a learner's
home as ``~/kyodo/index.ipynb`` beside the lessons) has one code cell,
``kyodo.lesson_list()``, which shows :func:`lesson_list_html`:

* a short greeting that says how to use the room (open a lesson; the work is
  saved automatically; come back any time), in the words that fit where it
  is read (:func:`kyodo.reading.place`: Voilà in workshop mode, JupyterLab in
  lab mode);
* the lessons of ``data/course.yml`` in course order, grouped by the part of
  the book they belong to, each with its Japanese title (the first heading
  of its notebook), its minutes and a link relative to the landing page
  (``03_case3_compost.ipynb``: Voilà serves it at
  ``/voila/render/kyodo/03_case3_compost.ipynb``, JupyterLab opens it as a file;
  in a checkout of the repository, ``../notebooks/03_case3_compost.ipynb``).

The title is read from the notebook beside the landing page; a lesson not
copied there (yet) takes its title from the checkout's ``notebooks/``
(beside ``$KYODO_DATA``). Every text is escaped. Messages:
``classroom.voila.*`` in ``locales/ja/classroom.yml``.

The notebook's saved output is what lab mode shows before the cell is run, so it
is the classroom's (the lessons beside the page). ``python -m kyodo.classroom.landing``
runs the notebook in a temporary folder laid out like ``~/kyodo`` and saves it
(:func:`save_landing`); ``make notebooks`` would run it in ``classroom/`` instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..data import default_data_dir
from ..outline import Outline, load_outline
from ..reading import Place, place
from ..text import esc, msg

HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
"""A level-1 Markdown heading: the title of a lesson notebook."""


@dataclass(frozen=True)
class Entry:
    """One line of the lesson list."""

    part: str
    title: str
    minutes: str | None
    """The lesson's total time (``60分``, ``45〜60分``), or ``None`` when it has none."""
    link: str
    """The notebook's file name, relative to the landing page (URL-quoted)."""


def notebook_title(path: Path) -> str | None:
    """The first level-1 heading of the notebook at ``path``; ``None`` if it has none or cannot be read."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            found = HEADING.search("".join(source) if isinstance(source, list) else str(source))
            if found:
                return found.group(1).strip()
    return None


def checkout_notebooks() -> Path:
    """The lesson notebooks of the checkout the course data comes from (``$KYODO_DATA/../notebooks``)."""
    return default_data_dir().resolve().parent / "notebooks"


def lesson_link(here: Path, name: str) -> str:
    """The link from a landing page in ``here`` to the lesson notebook ``name``.

    In the classroom the lessons are beside the page (``~/kyodo/index.ipynb``): ``03_case3_compost.ipynb``.
    In a checkout of the repository (pulled by nbgitpuller onto another hub) the page is
    ``classroom/landing.ipynb`` and the lessons are in ``notebooks/``: ``../notebooks/03_case3_compost.ipynb``.
    """
    if not (here / name).is_file() and (here.parent / "notebooks" / name).is_file():
        return quote(f"../notebooks/{name}")
    return quote(name)


def lesson_entries(folder: str | Path | None = None, outline: Outline | None = None) -> list[Entry]:
    """The learners' lessons in course order (not the facilitators' tools), titles read from ``folder``."""
    here = Path(folder) if folder is not None else Path.cwd()
    outline = outline or load_outline()
    entries = []
    for lesson in (lesson for lesson in outline.lessons if lesson.for_learners):
        name = f"{lesson.notebook}.ipynb"
        title = (notebook_title(here / name) or notebook_title(here.parent / "notebooks" / name)
                 or notebook_title(checkout_notebooks() / name) or lesson.notebook)
        total = lesson.total
        entries.append(Entry(lesson.part, title, str(total) if total else None, lesson_link(here, name)))
    return entries


def lesson_list_html(folder: str | Path | None = None, where: Place | None = None,
                     outline: Outline | None = None) -> str:
    """The landing page: the greeting for ``where`` (default: where it is read) and the lessons by part."""
    where = where or place()
    greeting = "".join(f"<p style='margin:0.4em 0'>{esc(line)}</p>"
                       for line in msg(f"classroom.voila.greeting_{'lab' if where == 'lab' else 'voila'}")
                       .strip().split("\n") if line.strip())
    parts: list[tuple[str, list[Entry]]] = []
    for entry in lesson_entries(folder, outline):
        if not parts or parts[-1][0] != entry.part:
            parts.append((entry.part, []))
        parts[-1][1].append(entry)
    sections = []
    for part, entries in parts:
        rows = []
        for entry in entries:
            minutes = (f" <span style='color:#555'>{esc(msg('classroom.voila.minutes', minutes=entry.minutes))}</span>"
                       if entry.minutes else "")
            rows.append(f"<li style='margin:0.35em 0'><a href='{esc(entry.link)}'>{esc(entry.title)}</a>{minutes}</li>")
        sections.append(f"<section aria-label='{esc(part)}'><h2 style='font-size:1.2em;margin:1em 0 0.3em 0'>"
                        f"{esc(part)}</h2><ul style='margin:0;padding-left:1.4em'>{''.join(rows)}</ul></section>")
    return (f"<div class='kyodo-landing' lang='ja'><h1 style='font-size:1.6em;margin:0.2em 0 0.5em 0'>"
            f"{esc(msg('classroom.voila.title'))}</h1>{greeting}"
            f"<nav aria-label='{esc(msg('classroom.voila.list_label'))}'>{''.join(sections)}</nav></div>")


def save_landing(landing: Path, lessons: Path, timeout: int = 120) -> None:
    """Run the landing notebook as the classroom has it (``index.ipynb`` beside the lessons) and save its output.

    Without ``$KYODO_READING`` (JupyterLab's words, as lab mode shows the saved page) and with an empty
    workspace, as ``make notebooks`` runs the lessons.
    """
    import os
    import shutil
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        room = Path(tmp) / "kyodo"
        room.mkdir()
        for notebook in sorted(lessons.glob("*.ipynb")):
            shutil.copy2(notebook, room / notebook.name)
        nb = nbformat.read(landing, as_version=4)
        saved = {key: os.environ.pop(key) for key in ("KYODO_READING",) if key in os.environ}
        workspace = os.environ.get("KYODO_WORKSPACE")
        os.environ["KYODO_WORKSPACE"] = str(Path(tmp) / "workspace")
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(room)}}).execute()
        finally:
            os.environ.update(saved)
            if workspace is None:
                os.environ.pop("KYODO_WORKSPACE", None)
            else:
                os.environ["KYODO_WORKSPACE"] = workspace
        nbformat.write(nb, landing)


if __name__ == "__main__":
    _root = Path(__file__).resolve().parents[3]
    save_landing(_root / "classroom" / "landing.ipynb", _root / "notebooks")
