"""What the browser tests share: a server for the built site, Debian's Chromium, page visits.

Every request to another host is blocked and counted; page errors and failed
requests are collected. See ``tests/test_browser_pages.py`` and
``tests/test_browser_exercises.py``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

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


def serve_site() -> Iterator[str]:
    build: Build = build_book_once()
    assert build.returncode == 0, f"the book build failed:\n{build.tail()}"
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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


def open_page(browser, site: str, path: str, visit: Visit, width: int = 1280):
    """Open a page with every request to another host blocked and recorded."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
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

