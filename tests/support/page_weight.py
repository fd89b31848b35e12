"""What a reader's browser transfers to show a page of the built site.

One fresh browser context per page (an empty cache), every request to another
host blocked; the page is opened, its widgets are left to render, and the body
sizes of all responses (as sent: gzip-encoded when the server sent a ``.gz``
copy) are added up. ``tests/test_browser_pages.py`` checks the figures against
the goals of the page-weight issue; to print them as a table:

    make book
    cd tests && ../.venv/bin/python -m support.page_weight [--markdown]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass, field

from .browser import Visit, open_page, pages, widget_pages

MB = 1_000_000

# Goals (bytes transferred per page): a text page and an exercise page without
# compression; any page when the server sends the .gz copies.
TEXT_PAGE_GOAL = 1.0 * MB
EXERCISE_PAGE_GOAL = 3.5 * MB
COMPRESSED_PAGE_GOAL = 1.2 * MB


@dataclass
class Weight:
    path: str
    total: int = 0
    files: dict[str, int] = field(default_factory=dict)  # URL -> bytes of its response body
    visit: Visit = field(default_factory=Visit)

    def largest(self, n: int = 5) -> list[tuple[str, int]]:
        return sorted(self.files.items(), key=lambda item: -item[1])[:n]


def measure(browser, site: str, path: str) -> Weight:  # noqa: ANN001 - a Playwright browser
    """Open ``path`` on ``site`` and add up the response bodies the browser received."""
    weight = Weight(path)
    requests = []
    context, page = None, None
    try:
        context, page = open_page(browser, site, path, weight.visit, finished=requests)
        if path in widget_pages():
            page.wait_for_selector(".widget-button", timeout=15000)
            page.wait_for_load_state("networkidle")
        for request in requests:
            response = request.response()
            if response is None:
                continue
            size = request.sizes()["responseBodySize"]
            weight.files[request.url] = weight.files.get(request.url, 0) + size
            weight.total += size
    finally:
        if context is not None:
            context.close()
    return weight


def kind_of(path: str) -> str:
    return "exercise" if path in widget_pages() else "text"


def _sites(gzip_static: bool) -> Iterator[str]:
    from .browser import serve_site

    return serve_site(gzip_static=gzip_static)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--all", action="store_true", help="every page, not one text page and the exercise pages")
    args = parser.parse_args()

    from .browser import launch_chromium

    listed = pages()
    chosen = listed if args.all else [p for p in listed if p == "intro.html"] + widget_pages()
    rows = []
    browsers = launch_chromium()
    browser = next(browsers)
    plain_server, gzip_server = _sites(False), _sites(True)
    plain, gz = next(plain_server), next(gzip_server)
    try:
        for path in chosen:
            a, b = measure(browser, plain, path), measure(browser, gz, path)
            rows.append((path, kind_of(path), a, b))
    finally:
        for generator in (plain_server, gzip_server, browsers):
            generator.close()
    if args.markdown:
        print("| page | kind | transferred | with .gz |")
        print("|---|---|---:|---:|")
        for path, kind, a, b in rows:
            print(f"| {path} | {kind} | {a.total / MB:.2f} MB | {b.total / MB:.2f} MB |")
    else:
        for path, kind, a, b in rows:
            print(f"{path:48} {kind:9} {a.total / MB:6.2f} MB  {b.total / MB:6.2f} MB (.gz)")
            for url, size in a.largest(4):
                print(f"    {size / MB:6.3f} MB  {url.split('/', 3)[-1]}")


if __name__ == "__main__":
    main()
