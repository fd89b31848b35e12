"""What the browser tests share: a server for the built site, Debian's Chromium, page visits.

Every request to another host is blocked and counted; page errors and failed
requests are collected. See ``tests/test_browser_pages.py`` and
``tests/test_browser_exercises.py``.
"""

from __future__ import annotations

import http.server
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kyodo.bench import serving

from .book_build import BOOK, HTML, ROOT, Build, build_book_once, toc_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@dataclass
class Visit:
    page_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def pages() -> list[str]:
    """The HTML page of every entry of the table of contents."""
    return [f"{f}.html" for f in toc_files()]


def widget_pages() -> list[str]:
    """Pages whose notebook shows widgets (known from the notebooks, so before any build)."""
    result = []
    for f in toc_files():
        notebook = BOOK / f"{f}.ipynb"
        if notebook.is_file() and WIDGET_VIEW in notebook.read_text(encoding="utf-8"):
            result.append(f"{f}.html")
    return result


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


class _GzipStaticHandler(_QuietHandler):
    """Like nginx's ``gzip_static on``: send ``x.gz`` (``Content-Encoding: gzip``) for ``x`` when the
    browser accepts gzip and the build wrote that copy (book/_ext/lighter_pages.py)."""

    def send_head(self):  # noqa: ANN201 - signature of the base class
        path = Path(self.translate_path(self.path))
        compressed = path.with_name(path.name + ".gz")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or not compressed.is_file():
            return super().send_head()
        body = open(compressed, "rb")  # noqa: SIM115 - the base class closes it after copying
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(compressed.stat().st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return body


def serve_site(gzip_static: bool = True) -> Iterator[str]:
    """Serve the built site on 127.0.0.1; with ``gzip_static``, the .gz copies as a static server would."""
    build: Build = build_book_once()
    assert build.returncode == 0, f"the book build failed:\n{build.tail()}"
    with serving(HTML, _GzipStaticHandler if gzip_static else _QuietHandler) as url:
        yield url.rstrip("/")


def launch_chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def block_outside(context, allowed: str, blocked: list[str]) -> list[str]:  # noqa: ANN001 - a Playwright context
    """Let the context reach only URLs under ``allowed``; abort every other request and record it in ``blocked``."""

    def route(r) -> None:  # noqa: ANN001
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


def open_page(browser, site: str, path: str, visit: Visit, width: int = 1280, finished: list | None = None):
    """Open a page with every request to another host blocked and recorded.

    ``finished``, when given, receives every request of the context that completed (support/page_weight.py)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    if finished is not None:
        context.on("requestfinished", lambda request: finished.append(request))
    block_outside(context, site, visit.outside)
    page = context.new_page()
    page.on("pageerror", lambda err: visit.page_errors.append(str(err)))
    page.on("requestfailed", lambda req: visit.failed.append(req.url) if req.url.startswith(site) else None)
    response = page.goto(f"{site}/{path}", wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
    page.wait_for_load_state("networkidle")
    return context, page


def run_axe(page) -> dict:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")

