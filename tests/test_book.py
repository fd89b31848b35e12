"""The course website, as Jupyter Book builds it.

The module builds the book once, with ``make book`` (the command a person
uses: warnings are errors, a failing cell fails the build), and then inspects
``book/_build/html``:

- the strict build exits 0 and every page in ``book/_toc.yml`` exists;
- the CASE3 page carries its widgets (state and views) for the static page;
- no page, stylesheet or script loads anything from another host, and every
  local file a page loads is really there (the site must work offline);
- the pages are light (book/_ext/lighter_pages.py): no page loads the
  RequireJS widget manager ``embed-amd.js``, ``require.js``, a source map or a
  non-empty ``fontawesome.js``; only the search page loads the search index;
  every large text file has a deterministic ``.gz`` copy that is that file;
- the pages say they are Japanese, the Japanese search index works, and no
  Japanese sentence is split by a line break (which would show as a space).

``make book`` reads and writes only the pages that changed; the warnings of
the other pages are remembered and reported again
(book/_ext/remembered_warnings.py, tested here on a small project), so a
warning on any page still fails the build. The notebooks run as ``make``
decides: from the cache locally, afresh when ``CI`` is set.

To inspect a build you have just made with ``make book`` without building
again, set ``KYODO_BOOK_BUILT=1``.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from support.book_build import EXTENSIONS, HTML, Build, book_extension, build_book_once, toc_files

CASE3_PAGE = "notebooks/03_case3_compost"

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The widget libraries built into @jupyter-widgets/html-manager's embed.js.
# A model from any other library could not be drawn (or would be fetched from a CDN).
BUNDLED_WIDGET_MODULES = {
    "@jupyter-widgets/base",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/output",
}


# --- building: see tests/support/book_build.py (one build per test run, shared) -----


@pytest.fixture(scope="module")
def build() -> Build:
    return build_book_once()


@pytest.fixture(scope="module")
def html(build: Build) -> Path:
    """The output folder, once the build has succeeded."""
    assert build.returncode == 0, f"the book build failed:\n{build.tail()}"
    return HTML


# --- reading the output --------------------------------------------------------


class _Page(HTMLParser):
    """What a page loads (script, stylesheet, image, ...) and its inline scripts."""

    # (tag, attribute) pairs whose URL the browser fetches by itself.
    FETCHED = {
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("iframe", "src"),
        ("source", "src"),
        ("video", "src"),
        ("video", "poster"),
        ("audio", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("input", "src"),
    }

    NOT_PROSE = {"script", "style", "pre", "code", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.loads: list[tuple[str, str]] = []  # (tag, url)
        self.scripts: list[tuple[str, str]] = []  # (type, text) of inline scripts
        self._script_type: str | None = None
        self._script_text: list[str] = []
        self.prose: list[str] = []  # text outside code, scripts and styles
        self._code_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = attributes.get("lang")
        for name, value in attributes.items():
            if (tag, name) in self.FETCHED and value:
                self.loads.append((tag, value))
            if name == "srcset" and value:
                self.loads.extend((tag, part.split()[0]) for part in value.split(",") if part.strip())
        if tag == "script" and "src" not in attributes:
            self._script_type = attributes.get("type", "text/javascript")
            self._script_text = []
        if tag in self.NOT_PROSE:
            self._code_depth += 1

    def handle_data(self, data: str) -> None:
        if self._script_type is not None:
            self._script_text.append(data)
        elif self._code_depth == 0:
            self.prose.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_type is not None:
            self.scripts.append((self._script_type, "".join(self._script_text)))
            self._script_type = None
        if tag in self.NOT_PROSE and self._code_depth > 0:
            self._code_depth -= 1


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def is_outside(url: str) -> bool:
    """True for a URL that names a host (http://, https://, //host/...)."""
    return "://" in url or url.startswith("//")


def built_pages(html: Path) -> list[Path]:
    pages = sorted(p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts)
    assert pages, "no HTML pages were built"
    return pages


def widget_scripts(page: _Page, kind: str) -> list[dict]:
    return [json.loads(text) for type_, text in page.scripts if type_ == kind]


# --- the build -----------------------------------------------------------------


def test_build_succeeds_with_warnings_as_errors(build: Build) -> None:
    assert build.returncode == 0, f"`make book` (jupyter-book build -W -n) failed:\n{build.tail()}"


def test_every_page_in_the_toc_is_built(html: Path) -> None:
    files = toc_files()
    assert CASE3_PAGE in files
    missing = [f for f in files if not (html / f"{f}.html").is_file()]
    assert missing == [], f"pages in book/_toc.yml without HTML: {missing}"


def test_index_leads_to_the_landing_page(html: Path) -> None:
    root = toc_files()[0]
    assert f"{root}.html" in (html / "index.html").read_text(encoding="utf-8")


# --- widgets -------------------------------------------------------------------


def test_case3_page_carries_widget_state_and_views(html: Path) -> None:
    page = read_page(html / f"{CASE3_PAGE}.html")
    states = widget_scripts(page, WIDGET_STATE)
    assert len(states) == 1, f"expected one widget state script, found {len(states)}"
    models = states[0]["state"]
    assert models, "the widget state has no models"
    views = widget_scripts(page, WIDGET_VIEW)
    assert views, "the CASE3 page shows no widget"
    unknown = [v["model_id"] for v in views if v["model_id"] not in models]
    assert unknown == [], f"widget views without a stored model: {unknown}"


def test_widgets_use_only_libraries_bundled_with_the_page(html: Path) -> None:
    for path in built_pages(html):
        for state in widget_scripts(read_page(path), WIDGET_STATE):
            modules = {m["model_module"] for m in state["state"].values()}
            outside = modules - BUNDLED_WIDGET_MODULES
            assert not outside, f"{path.relative_to(html)} uses widgets from {outside} (loaded from a CDN)"


def test_widget_javascript_is_loaded_once_and_only_where_needed(html: Path) -> None:
    for path in built_pages(html):
        page = read_page(path)
        has_widgets = bool(widget_scripts(page, WIDGET_VIEW))
        managers = [url for tag, url in page.loads if tag == "script" and urlsplit(url).path.endswith("/embed.js")]
        expected = 1 if has_widgets else 0
        assert len(managers) == expected, (
            f"{path.relative_to(html)} loads embed.js {len(managers)} times, expected {expected}"
        )


def test_widget_manager_font_files_are_served(html: Path) -> None:
    manager = html / "_static" / "html-manager" / "embed.js"
    assert manager.is_file(), "the vendored widget manager is missing (make vendor)"
    assets = set(re.findall(r"[0-9a-f]{20}\.(?:woff2|woff|ttf|eot|svg)", manager.read_text(encoding="utf-8")))
    assert assets, "embed.js names no font files: check how `make vendor` finds them"
    missing = sorted(a for a in assets if not (manager.parent / a).is_file())
    assert missing == []


# --- light pages (book/_ext/lighter_pages.py, nb_ipywidgets_js in book/_config.yml) ------------

# Files no page may load again: the RequireJS widget manager (ipywidgets 7 and 8, 3.6 MB) and RequireJS.
HEAVY_SCRIPTS = ("embed-amd.js", "require.js")
EMPTIED = "_static/scripts/fontawesome.js"


def heavy_loads(html: Path, page_path: Path) -> list[str]:
    """What ``page_path`` loads that it should not: the heavy scripts, a source map, a non-empty fontawesome.js."""
    found = []
    for tag, url in read_page(page_path).loads:
        if is_outside(url) or url.startswith(("data:", "#")):
            continue
        name = urlsplit(url).path
        target = (page_path.parent / unquote(name)).resolve()
        if name.rsplit("/", 1)[-1] in HEAVY_SCRIPTS or name.endswith(".map"):
            found.append(url)
        elif target == (html / EMPTIED).resolve() and target.is_file() and target.stat().st_size > 0:
            found.append(f"{url} ({target.stat().st_size} bytes)")
    return found


def test_no_page_loads_the_heavy_widget_manager_require_js_fontawesome_js_or_a_source_map(html: Path) -> None:
    found = {str(p.relative_to(html)): heavy_loads(html, p) for p in built_pages(html)}
    found = {page: loads for page, loads in found.items() if loads}
    assert found == {}, f"pages load files they do not need: {found}"
    assert (html / EMPTIED).is_file() and (html / EMPTIED).stat().st_size == 0
    published = sorted(str(p.relative_to(html)) for p in html.rglob("*") if p.name.endswith(HEAVY_SCRIPTS + (".map",)))
    assert published == [], f"published although no page needs them: {published}"


def test_heavy_load_check_finds_what_it_should(tmp_path: Path) -> None:
    (tmp_path / "_static" / "scripts").mkdir(parents=True)
    (tmp_path / EMPTIED).write_text("window.x = 1;", encoding="utf-8")
    page = tmp_path / "a.html"
    page.write_text('<script src="_static/requirejs/require.js"></script><script src="_static/embed.js"></script>'
                    '<link href="x.css.map" rel="x"><script src="_static/scripts/fontawesome.js?digest=1"></script>',
                    encoding="utf-8")
    assert heavy_loads(tmp_path, page) == [
        "_static/requirejs/require.js", "x.css.map", "_static/scripts/fontawesome.js?digest=1 (13 bytes)"]
    (tmp_path / EMPTIED).write_text("", encoding="utf-8")
    assert heavy_loads(tmp_path, page) == ["_static/requirejs/require.js", "x.css.map"]


def test_only_the_search_page_loads_the_search_index(html: Path) -> None:
    loading = sorted(str(p.relative_to(html)) for p in built_pages(html)
                     if any(urlsplit(url).path.endswith("searchindex.js") for _, url in read_page(p).loads))
    assert loading == ["search.html"]


def test_gzip_copies_sit_beside_large_text_files_and_decompress_to_them(html: Path) -> None:
    import gzip

    pages = book_extension("lighter_pages")
    large = [p for p in html.rglob("*")
             if p.suffix in pages.GZIP_SUFFIXES and p.is_file() and p.stat().st_size >= pages.MIN_SIZE]
    assert len(large) > 20 and html / "intro.html" in large
    assert html / "_static" / "html-manager" / "embed.js" in large
    missing, wrong = [], []
    for path in large:
        copy = path.with_name(path.name + ".gz")
        if not copy.is_file():
            missing.append(str(path.relative_to(html)))
            continue
        packed = copy.read_bytes()
        if gzip.decompress(packed) != path.read_bytes():
            wrong.append(str(copy.relative_to(html)))
        assert packed[4:8] == b"\0\0\0\0", f"{copy}: the gzip header carries a time (rebuilds would differ)"
    assert missing == [], f"large text files without a .gz copy: {missing}"
    assert wrong == [], f".gz copies that are not their file: {wrong}"
    orphans = [str(c.relative_to(html)) for c in html.rglob("*.gz")
               if not c.with_name(c.name[:-3]).is_file() or c.with_name(c.name[:-3]) not in large]
    assert orphans == [], f".gz copies without their file (or of small ones): {orphans}"


# --- nothing from outside --------------------------------------------------------


def test_no_page_loads_anything_from_another_host(html: Path) -> None:
    found = []
    for path in built_pages(html):
        for tag, url in read_page(path).loads:
            if is_outside(url):
                found.append(f"{path.relative_to(html)}: <{tag}> {url}")
    assert found == [], "pages load files from outside:\n" + "\n".join(found)


def test_every_local_file_a_page_loads_exists(html: Path) -> None:
    missing = []
    for path in built_pages(html):
        for tag, url in read_page(path).loads:
            if is_outside(url) or url.startswith(("data:", "#")):
                continue
            target = (path.parent / unquote(urlsplit(url).path)).resolve()
            if not target.is_file():
                missing.append(f"{path.relative_to(html)}: <{tag}> {url}")
    assert missing == [], "pages load files that were not built:\n" + "\n".join(missing)


# Code that makes a browser fetch a URL: CSS url() and @import, and in scripts
# src/href assignments, import() / import ... from and importScripts().
# Comments are removed first: licence headers and notes are full of URLs.
_OUTSIDE = r"""["'`]?(?:https?:)?//"""
FETCHING_PATTERNS = [
    re.compile(r"url\(\s*" + _OUTSIDE),
    re.compile(r"@import\s+(?:url\(\s*)?" + _OUTSIDE),
    re.compile(r"\b(?:src|href)\s*[=:]\s*" + _OUTSIDE),
    re.compile(r"\bimport\s*\(\s*" + _OUTSIDE),
    re.compile(r"\bfrom\s*" + _OUTSIDE),
    re.compile(r"\bimportScripts\(\s*" + _OUTSIDE),
]
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def outside_fetches(code: str) -> list[str]:
    code = _COMMENT.sub("", code)
    return [code[m.start() : m.start() + 100] for p in FETCHING_PATTERNS for m in p.finditer(code)]


def test_fetch_pattern_check_finds_what_it_should() -> None:
    assert outside_fetches("a{background:url('https://example.org/x.png')}")
    assert outside_fetches("@import url(//fonts.example.org/css);")
    assert outside_fetches('s.src = "https://cdn.example.org/lib.js"')
    assert outside_fetches('import("https://cdn.example.org/m.js")')
    assert not outside_fetches("/* see https://example.org/licence */ a{color:red}")
    assert not outside_fetches('s.src = "_static/lib.js"; a{background:url(data:image/png;base64,AA)}')


# jupyterquiz's inline script (self-check cells) loads MathJax from a CDN only
# when the page already defines MathJax without MathJax.typeset(). The pages
# here never load MathJax (mathjax_path in book/_config.yml names a missing
# local file, which test_every_local_file_a_page_loads_exists forbids), so that
# branch never runs; this test checks that the page indeed loads no MathJax.
JUPYTERQUIZ_MATHJAX_FALLBACK = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js"


def test_stylesheets_and_scripts_fetch_nothing_from_another_host(html: Path) -> None:
    found = []
    for path in sorted(html.rglob("*")):
        if path.suffix in {".css", ".js"} and path.is_file():
            for hit in outside_fetches(path.read_text(encoding="utf-8", errors="replace")):
                found.append(f"{path.relative_to(html)}: {hit}")
    for path in built_pages(html):
        page = read_page(path)
        loads_mathjax = any("mathjax" in url.lower() for _, url in page.loads)
        for type_, text in page.scripts:
            if "javascript" not in type_ and type_ != "module":
                continue
            for hit in outside_fetches(text):
                if JUPYTERQUIZ_MATHJAX_FALLBACK in hit and not loads_mathjax:
                    continue
                found.append(f"{path.relative_to(html)} (inline): {hit}")
    assert found == [], "code that fetches from outside:\n" + "\n".join(found)


def test_lighten_is_deterministic_skips_unchanged_files_and_removes_stale_copies(tmp_path: Path) -> None:
    import gzip

    pages = book_extension("lighter_pages")
    site, manifest = tmp_path / "html", tmp_path / "doctrees" / pages.MANIFEST
    (site / "_static" / "scripts").mkdir(parents=True)
    manifest.parent.mkdir()
    (site / "_static" / "scripts" / "fontawesome.js").write_text("x" * 5000, encoding="utf-8")
    (site / "_static" / "scripts" / "theme.js.map").write_text("{}", encoding="utf-8")
    page = site / "a.html"
    page.write_text('<head>\n    <script src="searchindex.js"></script>\n</head>' + "<p>協働</p>" * 500, encoding="utf-8")
    (site / "search.html").write_text('<script src="searchindex.js"></script>' + " " * 2000, encoding="utf-8")
    (site / "small.css").write_text("a{}", encoding="utf-8")
    (site / "gone.js.gz").write_bytes(gzip.compress(b"old"))
    (site / "download.tar.gz").write_bytes(b"not ours")

    pages.lighten(site, manifest)
    assert (site / "_static" / "scripts" / "fontawesome.js").stat().st_size == 0
    assert not (site / "_static" / "scripts" / "theme.js.map").exists()
    assert "searchindex" not in page.read_text(encoding="utf-8")
    assert "searchindex" in (site / "search.html").read_text(encoding="utf-8")
    copy = site / "a.html.gz"
    assert gzip.decompress(copy.read_bytes()) == page.read_bytes()
    assert copy.read_bytes() == pages.gzip_bytes(page.read_bytes())
    assert (site / "search.html.gz").is_file()
    assert not (site / "small.css.gz").exists() and not (site / "_static" / "scripts" / "fontawesome.js.gz").exists()
    assert not (site / "gone.js.gz").exists(), "a copy whose file is gone is removed"
    assert (site / "download.tar.gz").read_bytes() == b"not ours", "other .gz files are left alone"

    # A second run with nothing changed rewrites no copy; a changed file gets a fresh one.
    os.utime(copy, ns=(1, 1))
    pages.lighten(site, manifest)
    assert copy.stat().st_mtime_ns == 1
    page.write_text("<p>変わった</p>" * 500, encoding="utf-8")
    pages.lighten(site, manifest)
    assert gzip.decompress(copy.read_bytes()) == page.read_bytes()
    # Without the manifest every file is compressed again, but identical copies are not rewritten.
    os.utime(copy, ns=(1, 1))
    manifest.unlink()
    pages.lighten(site, manifest)
    assert copy.stat().st_mtime_ns == 1


# --- strict incremental builds (book/_ext/remembered_warnings.py) ----------------------------


def _sphinx(source: Path, out: Path) -> tuple[int, str]:
    """A strict HTML build of a small project (as `make book` runs Sphinx: -W -n --keep-going, no -E)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "--keep-going", "-q",
         "-d", str(out / "doctrees"), str(source), str(out / "html")],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(EXTENSIONS)},
    )
    return proc.returncode, proc.stderr


def test_warnings_of_unchanged_pages_fail_every_incremental_build(tmp_path: Path) -> None:
    import time

    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["remembered_warnings"]\nproject = "t"\n', encoding="utf-8")
    (source / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   broken\n   other\n", encoding="utf-8")
    broken = source / "broken.rst"
    # a reading warning (unknown role) and a writing warning (a reference that -n finds missing)
    broken.write_text("Broken\n======\n\n:nosuchrole:`x`\n\nSee :ref:`nowhere`.\n", encoding="utf-8")
    (source / "other.rst").write_text("Other\n=====\n\nText.\n", encoding="utf-8")

    first, log = _sphinx(source, out)
    assert first != 0 and "nosuchrole" in log and "nowhere" in log, log
    # Nothing changed: Sphinx reads and writes no page, and still reports both warnings and fails.
    second, again = _sphinx(source, out)
    assert second != 0, again
    assert again.splitlines() == log.splitlines(), "the same warnings, said the same way, each once"
    # Without the stored warnings (deleted by hand) every page is read again.
    (out / "doctrees" / "remembered_warnings.json").unlink()
    assert _sphinx(source, out) == (second, again)
    # Another page changes: the warnings of the unchanged broken page are still reported.
    time.sleep(0.01)
    (source / "other.rst").write_text("Other\n=====\n\nNew text.\n", encoding="utf-8")
    third, later = _sphinx(source, out)
    assert third != 0 and later.splitlines() == log.splitlines(), later
    # Fixed: the build passes, and stays passing when nothing changes.
    broken.write_text("Broken\n======\n\nFixed.\n", encoding="utf-8")
    fixed, log = _sphinx(source, out)
    assert fixed == 0, log
    assert _sphinx(source, out) == (0, "")


# --- Japanese ----------------------------------------------------------------------


def test_every_page_is_marked_japanese(html: Path) -> None:
    redirect = html / "index.html"  # a one-line redirect to the landing page, no <html>
    wrong = []
    for path in built_pages(html):
        lang = read_page(path).html_lang
        if path != redirect and lang != "ja":
            wrong.append(f"{path.relative_to(html)}: lang={lang!r}")
    assert wrong == [], 'pages without <html lang="ja">:\n' + "\n".join(wrong)


def test_japanese_search_index_finds_compost_on_the_case3_page(html: Path) -> None:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    assert text.startswith(prefix) and text.rstrip().endswith(suffix)
    index = json.loads(text.strip()[len(prefix) : -len(suffix)])
    assert index["docnames"], "the search index lists no pages"
    assert "堆肥" in index["terms"], "堆肥 is not a search term: is the Japanese splitter working?"
    hits = index["terms"]["堆肥"]
    hits = hits if isinstance(hits, list) else [hits]
    assert index["docnames"].index(CASE3_PAGE) in hits


# Kana, kanji, Japanese punctuation and full-width forms.
_JAPANESE = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_GAP = re.compile(rf"{_JAPANESE}\s*\n\s*{_JAPANESE}")


def test_japanese_sentences_are_not_split_by_line_breaks(html: Path) -> None:
    """A line break in the Markdown source between two Japanese characters would
    show as a space; book/_ext/cjk_linebreaks.py removes it."""
    found = []
    for path in built_pages(html):
        for text in read_page(path).prose:
            found.extend(f"{path.relative_to(html)}: {m.group(0)!r}" for m in _GAP.finditer(text))
    assert found == [], "Japanese text broken by a line break (shows as a space):\n" + "\n".join(found)


class _Links(HTMLParser):
    """Every link (<a href>) of a page and every id it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.ids.add(attributes["name"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def _links_of(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def broken_internal_links(html: Path) -> list[str]:
    """Links inside the site whose page or anchor does not exist."""
    pages = {p: _links_of(p) for p in built_pages(html)}
    broken = []
    for page, parsed in pages.items():
        for href in parsed.links:
            if is_outside(href) or href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            parts = urlsplit(href)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(html)} → {href}"
            if not target.is_file():
                broken.append(f"{where}: no such file")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _links_of(target).ids
                if fragment not in ids:
                    broken.append(f"{where}: no element with id {fragment!r}")
    return broken


def test_every_internal_link_and_anchor_exists(html: Path) -> None:
    broken = broken_internal_links(html)
    assert broken == [], "broken links inside the site:\n" + "\n".join(broken)


def test_link_check_finds_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<a href="b.html#here">ok</a><a href="b.html#gone">x</a>'
                                     '<a href="c.html">y</a><a href="https://example.org/">out</a>', encoding="utf-8")
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1>', encoding="utf-8")
    broken = broken_internal_links(tmp_path)
    assert broken == ["a.html → b.html#gone: no element with id 'gone'", "a.html → c.html: no such file"]


# --- model answers: generated from the exercise registry --------------------------------


def _page_text(path: Path) -> str:
    """A page's visible text: tags dropped, entities decoded, white space folded."""
    import html as html_lib

    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def test_every_model_answer_on_the_site_is_the_registry_table(html: Path):
    """The lesson page (under the exercise) and the facilitator's answer page show the same table, row by row."""
    from kyodo.registry import load_registry
    from kyodo.solutions import answer_table

    registry = load_registry()
    lesson_pages = {p: p.read_text(encoding="utf-8") for p in (html / "notebooks").glob("*.html")}
    answers = _page_text(html / "facilitator" / "answer_keys.html")
    checked = 0
    from docutils.nodes import make_id

    for exercise_id in registry.exercises:
        anchor = f'id="{make_id(exercise_id)}"'  # docutils writes first_step-ex1 as first-step-ex1
        page = next((p for p, text in lesson_pages.items() if anchor in text), None)
        assert page is not None, f"no page has the exercise {exercise_id}"
        table = answer_table(exercise_id, registry)
        if table is None:
            continue
        text = _page_text(page)
        for row in table.rows:
            for cell in row:
                cell = " ".join(cell.split())
                assert cell in text, (exercise_id, page.name, cell)
                assert cell in answers, (exercise_id, "answer_keys", cell)
        checked += 1
    assert checked >= len(registry.exercises) // 2
