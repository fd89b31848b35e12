"""Lessons read in workshop mode (Voilà): the MyST of the lesson text, turned into plain Markdown.

Voilà renders Markdown cells with nbconvert, which knows nothing of MyST: a
label ``(case3-ex1)=`` would show as text, a ``{note}`` block as a code
block, a ``{ref}`` role as raw backticks. :class:`MystForVoila` is an
nbconvert preprocessor that Voilà runs on every lesson before rendering
(``c.VoilaExporter.preprocessors``, see ``classroom/``); it rewrites, cell by
cell:

* a label line ``(name)=`` -> an HTML anchor ``<a id="name"></a>``;
* ``{note}``, ``{important}`` and ``{admonition} Title`` (with ``:class:``)
  fences -> a box (an HTML ``<div role="note">`` around the Markdown body);
* ``{ref}`label``` and ``{ref}`text <label>``` -> a link to the lesson (or
  the place in it) that defines the label, relative to the lesson shown, so
  it opens in Voilà too; a label that only the website has (a facilitator
  page) becomes its title, without a link.

Labels are found in the notebooks beside the one rendered; the title of a
label is the heading that follows it (as Sphinx does), or for a website
page its first heading. The same functions serve the tests.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor

LABEL_LINE = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=[ \t]*$", re.M)
REF = re.compile(r"\{ref\}`([^`<]*?)\s*(?:<([^`>]+)>)?`")
FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<kind>note|important|tip|warning|admonition|attention|caution|hint|seealso)\}"
    r"[ \t]*(?P<title>[^\n]*)\n(?P<options>(?::[a-z-]+:[^\n]*\n)*)(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)

BOX_COLOURS = {  # text colour, background, border: all pass WCAG AA contrast on white
    "note": ("#0b3d66", "#e8f1fa", "#2f6db3"),
    "important": ("#5c3a00", "#fff4dc", "#b36b00"),
    "warning": ("#5c3a00", "#fff4dc", "#b36b00"),
    "tip": ("#0b4d2e", "#e6f4ec", "#2e7d4f"),
}
BOX_TITLES = {"note": "メモ", "important": "大切なこと", "warning": "注意", "tip": "ヒント", "attention": "注意",
              "caution": "注意", "hint": "ヒント", "seealso": "参考"}


@dataclass(frozen=True)
class Target:
    """Where a label points: the notebook (``None`` for a website-only page) and the title to show."""

    notebook: str | None
    title: str


def _title_after(text: str, start: int) -> str:
    heading = HEADING.search(text, start)
    return heading.group(1).strip() if heading else ""


@lru_cache(maxsize=8)
def _labels_cached(files: tuple[tuple[str, float], ...]) -> Mapping[str, Target]:
    found: dict[str, Target] = {}
    for name, _ in files:
        path = Path(name)
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if path.suffix == ".ipynb":
            try:
                cells = json.loads(raw).get("cells", [])
            except ValueError:
                continue
            for cell in cells:
                if cell.get("cell_type") == "markdown":
                    source = "".join(cell.get("source", []))
                    for m in LABEL_LINE.finditer(source):
                        found.setdefault(m.group(1), Target(path.name, _title_after(source, m.end())))
        else:  # a website page (book/*.md): its title only; workshop mode has no link to it
            for m in LABEL_LINE.finditer(raw):
                found.setdefault(m.group(1), Target(None, _title_after(raw, m.end())))
    return found


def labels(folder: str | Path, book: str | Path | None = None) -> Mapping[str, Target]:
    """Every label of the notebooks in ``folder`` (and of the website pages under ``book``), with its target.

    Read again only when a file changed (the files' modification times are the cache key).
    """
    files = sorted(Path(folder).glob("*.ipynb"))
    if book is not None and Path(book).is_dir():
        files += sorted(p for p in Path(book).rglob("*.md") if not {"_build", "_generated"} & set(p.parts))
    stamp = []
    for path in files:
        try:
            stamp.append((str(path.resolve()), path.stat().st_mtime))
        except OSError:
            continue
    return _labels_cached(tuple(stamp))


def _box(kind: str, title: str, options: str, body: str) -> str:
    classes = re.search(r"^:class:[ \t]*(.+)$", options, re.M)
    style_kind = (classes.group(1).split()[0] if classes else kind)
    fg, bg, border = BOX_COLOURS.get(style_kind, BOX_COLOURS.get(kind, BOX_COLOURS["note"]))
    heading = title.strip() or BOX_TITLES.get(kind, "")
    return (f"<div role=\"note\" style=\"color:{fg};background:{bg};border-left:4px solid {border};"
            f"padding:0.4em 0.9em;margin:0.8em 0\">\n\n**{html.escape(heading)}**\n\n{body.strip()}\n\n</div>")


def convert(source: str, here: str, targets: Mapping[str, Target]) -> str:
    """The Markdown of one cell with its MyST turned into Markdown and HTML that nbconvert renders."""
    text = FENCE.sub(lambda m: _box(m.group("kind"), m.group("title"), m.group("options"), m.group("body")), source)
    text = LABEL_LINE.sub(lambda m: f'<a id="{html.escape(m.group(1))}"></a>', text)

    def ref(m: re.Match[str]) -> str:
        label = (m.group(2) or m.group(1)).strip()
        shown = m.group(1).strip() if m.group(2) else ""
        target = targets.get(label)
        if target is None:
            return shown or label
        words = shown or target.title or label
        if target.notebook is None:
            return words
        link = f"#{label}" if target.notebook == here else f"{target.notebook}#{label}"
        return f"[{words}]({link})"

    return REF.sub(ref, text)


class MystForVoila(Preprocessor):
    """nbconvert preprocessor: every Markdown cell's MyST becomes Markdown that Voilà renders as the book does."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        folder = Path((resources.get("metadata") or {}).get("path") or ".")
        here = (resources.get("metadata") or {}).get("name", "")
        here = f"{here}.ipynb" if here and not here.endswith(".ipynb") else here
        book = next((p / "book" for p in (folder, *folder.parents) if (p / "book" / "_toc.yml").is_file()), None)
        targets = labels(folder, book)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = convert(cell.source, here, targets)
        return nb, resources
