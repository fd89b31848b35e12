"""Make the published pages lighter, at the end of every HTML build.

What a reader's browser downloads is the page and what it loads. At build end
(``build-finished``, after the other extensions' handlers, only when the build
raised nothing) this extension:

1. **Empties the theme's ``fontawesome.js``.** pydata-sphinx-theme (under
   sphinx-book-theme) loads ``_static/scripts/fontawesome.js`` (1.5 MB) on
   every page, with no option to leave it out. It only turns the ``<i>``/``<span>``
   icons into inline SVG; the theme's stylesheet already draws the same icons
   from the Font Awesome web font (``vendor/fontawesome/webfonts/``). The file
   stays (pages still name it), but with nothing in it.
2. **Removes source maps** (``*.map``): only a browser's developer tools read
   them, and the theme's are 3.4 MB.
3. **Leaves the search index to the search page.** pydata-sphinx-theme puts
   ``searchindex.js`` (130 kB here) in every page for its "search as you type"
   option; with that option off (as here) only ``search.html`` uses it. The
   ``<script>`` that loads it is removed from the other pages.
4. **Writes a ``.gz`` copy beside every large text file** (HTML, JavaScript,
   CSS, SVG, JSON of at least ``MIN_SIZE`` bytes), for static servers that send
   them to browsers that accept gzip (nginx ``gzip_static on``). The copies are
   deterministic (no file name, time 0 in the gzip header), a copy whose
   bytes have not changed is not rewritten, and a file that has not changed
   since the last build (same size and modification time, remembered in the
   Sphinx build folder, not in the site) is not compressed again. Copies of
   files that are gone or have been emptied are removed.

The widget manager is chosen in ``book/_config.yml`` (``nb_ipywidgets_js``:
``@jupyter-widgets/html-manager``'s ``embed.js``, vendored by ``make vendor``),
not here. ``tests/test_book.py`` and ``tests/test_browser_pages.py`` check the
result.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Theme scripts that are replaced by an empty file (paths under _static/).
EMPTIED_SCRIPTS = ("scripts/fontawesome.js",)
# Files that get a .gz copy: text formats that compress well, from this size on.
GZIP_SUFFIXES = frozenset({".html", ".js", ".css", ".svg", ".json"})
MIN_SIZE = 1024
# What was compressed, by the source file's size and modification time (in the doctree folder).
MANIFEST = "lighter_pages.json"


def empty_scripts(outdir: Path) -> list[Path]:
    """Replace each of ``EMPTIED_SCRIPTS`` that exists by an empty file; return the files emptied now."""
    emptied = []
    for name in EMPTIED_SCRIPTS:
        script = outdir / "_static" / name
        if script.is_file() and script.stat().st_size > 0:
            script.write_bytes(b"")
            emptied.append(script)
    return emptied


def remove_source_maps(outdir: Path) -> list[Path]:
    """Delete every ``*.map`` file under ``outdir``; return them."""
    maps = sorted(p for p in outdir.rglob("*.map") if p.is_file())
    for path in maps:
        path.unlink()
    return maps


_SEARCH_INDEX = re.compile(r'[ \t]*<script src="(?:\.\./)*searchindex\.js"></script>\n?')


def drop_search_index(outdir: Path) -> list[Path]:
    """Remove the ``<script>`` of ``searchindex.js`` from every page but ``search.html``; return the pages changed."""
    changed = []
    for page in sorted(outdir.rglob("*.html")):
        if page == outdir / "search.html" or "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        lighter = _SEARCH_INDEX.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
            changed.append(page)
    return changed


def wants_gzip(path: Path) -> bool:
    return path.suffix in GZIP_SUFFIXES and path.is_file() and path.stat().st_size >= MIN_SIZE


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no file name, modification time 0, best compression."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _gzip_one(source: Path) -> bool:
    """Write ``source.gz`` unless an identical copy is there; True when written. Only when it is smaller."""
    target = source.with_name(source.name + ".gz")
    data = source.read_bytes()
    packed = gzip_bytes(data)
    if len(packed) >= len(data):
        target.unlink(missing_ok=True)
        return False
    if target.is_file() and target.read_bytes() == packed:
        return False
    target.write_bytes(packed)
    return True


def write_gzip_copies(outdir: Path, manifest: dict[str, list[int]] | None = None) -> tuple[int, int]:
    """Write ``.gz`` copies beside the large text files of ``outdir`` and remove stale ones.

    ``manifest`` (relative path -> [size, mtime_ns] of the source when its copy was made) is
    read and updated: a file listed with its current size and time, whose copy exists, is skipped.
    Returns (files checked, copies written).
    """
    manifest = {} if manifest is None else manifest
    sources = sorted(p for p in outdir.rglob("*") if wants_gzip(p))
    todo = []
    for source in sources:
        stat = source.stat()
        key = source.relative_to(outdir).as_posix()
        if manifest.get(key) == [stat.st_size, stat.st_mtime_ns] and source.with_name(source.name + ".gz").is_file():
            continue
        todo.append(source)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # zlib releases the GIL
        written = sum(pool.map(_gzip_one, todo))
    for source in todo:
        stat = source.stat()
        manifest[source.relative_to(outdir).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    wanted = {p.relative_to(outdir).as_posix() for p in sources}
    for copy in outdir.rglob("*.gz"):
        source = copy.with_name(copy.name[: -len(".gz")])
        if source.suffix in GZIP_SUFFIXES and source.relative_to(outdir).as_posix() not in wanted:
            copy.unlink()  # its file is gone or has become too small (an emptied script)
    for key in set(manifest) - wanted:
        del manifest[key]
    return len(sources), written


def lighten(outdir: Path, manifest_path: Path | None = None, search_as_you_type: bool = False) -> None:
    """All four steps on a built HTML folder (the search index stays in every page with ``search_as_you_type``)."""
    manifest: dict[str, list[int]] = {}
    if manifest_path is not None and manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            manifest = {}
    emptied = empty_scripts(outdir)
    maps = remove_source_maps(outdir)
    pages = [] if search_as_you_type else drop_search_index(outdir)
    checked, written = write_gzip_copies(outdir, manifest)
    if manifest_path is not None:
        manifest_path.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    logger.info(
        "lighter pages: %d script(s) emptied, %d source map(s) removed, search index left out of %d page(s), "
        "%d of %d .gz copies written",
        len(emptied), len(maps), len(pages), written, checked,
    )


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        options = app.builder.theme_options if hasattr(app.builder, "theme_options") else {}
        search_as_you_type = str(options.get("search_as_you_type", "")).lower() in {"true", "1"}
        lighten(Path(app.outdir), Path(app.doctreedir) / MANIFEST, search_as_you_type=search_as_you_type)


def setup(app: Sphinx) -> dict[str, Any]:
    # After every other build-finished handler: pydata-sphinx-theme rewrites pygments.css and
    # myst-nb copies its stylesheet there, and a .gz copy made before would not match its file.
    app.connect("build-finished", _build_finished, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
