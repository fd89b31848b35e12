"""Every page of the course website in a real browser, as a reader meets it.

Debian's Chromium (``/usr/bin/chromium``, never a downloaded browser), driven by
Playwright for Python, opens every page of the table of contents from a server on
127.0.0.1, with every request to another host blocked and counted: the site must
work with no internet. In one visit per page: it loads; no uncaught script error;
no request leaves the site and none fails; every image loads and has alternative
text; headings do not skip a level; axe-core (from npm) finds no serious or
critical WCAG 2 A/AA violation.

The site is served as a static server with ``gzip_static`` would serve it (the
``.gz`` copies to browsers that accept gzip), so every page is also checked
through its compressed copies. One text page and every exercise page are also
weighed (support/page_weight.py): none loads the heavy widget manager
(``embed-amd.js``), ``require.js``, a source map or a non-empty ``fontawesome.js``,
and each stays within the goals of the page-weight issue.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from support.browser import AXE, Visit, open_page, pages, run_axe, widget_pages
from support.page_weight import COMPRESSED_PAGE_GOAL, EXERCISE_PAGE_GOAL, MB, TEXT_PAGE_GOAL, Weight, measure

# axe rules allowed to fire, each with the third-party markup that triggers it.
# Empty: our pages, the theme and the widgets as we use them pass every serious
# and critical rule (the jupyterquiz numeric input and the ipywidgets slider,
# known to fail, are not used).
AXE_ALLOWED: dict[str, str] = {}

# Page errors that come from upstream code, each with its reason. Empty: none are
# expected since sphinx-thebe (which threw "THEBE_JS_URL already declared") is off.
ALLOWED_PAGE_ERRORS: dict[str, str] = {}


@pytest.mark.parametrize("path", pages())
def test_page_loads_offline_clean_and_accessible(browser, site, path):
    assert AXE.is_file(), "axe-core is missing: `make vendor` installs it from npm"
    visit = Visit()
    context, page = open_page(browser, site, path, visit)
    try:
        assert page.locator("main h1 >> visible=true").count() >= 1
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        assert broken == [], f"images that did not load: {broken}"
        missing_alt = page.evaluate(
            "() => Array.from(document.querySelectorAll('main img')).filter(i => !i.hasAttribute('alt'))"
            ".map(i => i.src)")
        assert missing_alt == [], f"images without alternative text: {missing_alt}"
        levels = page.evaluate(
            "() => Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6'))"
            ".map(h => Number(h.tagName[1]))")
        jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert jumps == [], f"headings skip a level: {jumps}"
        result = run_axe(page)
    finally:
        context.close()
    unexpected = [e for e in visit.page_errors if not any(k in e for k in ALLOWED_PAGE_ERRORS)]
    assert unexpected == [], f"uncaught errors on {path}: {unexpected}"
    assert visit.outside == [], f"{path} tried to reach other hosts: {visit.outside}"
    assert visit.failed == [], f"{path}: requests that failed: {visit.failed}"
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"} and v["id"] not in AXE_ALLOWED
    ]
    assert serious == [], f"accessibility problems on {path}:\n" + "\n".join(serious)


def test_every_lesson_page_is_checked():
    """The list of pages comes from the table of contents, lessons included."""
    listed = pages()
    assert "intro.html" in listed and "notebooks/03_case3_compost.html" in listed
    assert sum(p.startswith("notebooks/") for p in listed) >= 12


# --- page weight (book/_ext/lighter_pages.py; goals from the page-weight issue) -------------------

# One text page and every exercise page, each measured as served plainly and as served with its .gz copies.
WEIGHED = ["intro.html", *widget_pages()]

# Exercise pages over the uncompressed goal, and why: their own HTML carries the saved widget state
# (hundreds of models, each with every attribute written out). With the .gz copies they are within
# the goal. Remove a page from this list when it gets lighter (an XPASS in the test report).
OVER_UNCOMPRESSED_GOAL = {
    "notebooks/06_basic_policy.html": "0.67 MB of HTML, mostly widget state (614 models)",
    "notebooks/09_design_sheet.html": "1.14 MB of HTML, mostly widget state (1266 models)",
}


@pytest.fixture(scope="module")
def plain_site():
    """The built site served without its .gz copies (a server without gzip_static)."""
    from support.browser import serve_site

    yield from serve_site(gzip_static=False)


@pytest.fixture(scope="module")
def weights(browser, site, plain_site):
    """(uncompressed, with .gz) weight of a page, measured once per module."""
    measured: dict[str, tuple[Weight, Weight]] = {}

    def weigh(path: str) -> tuple[Weight, Weight]:
        if path not in measured:
            measured[path] = (measure(browser, plain_site, path), measure(browser, site, path))
        return measured[path]

    return weigh


def _file_name(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1]


@pytest.mark.parametrize("path", WEIGHED)
def test_page_loads_no_heavy_file_and_is_light_with_gzip(weights, path):
    plain, packed = weights(path)
    for weight in (plain, packed):
        assert weight.visit.page_errors == [] and weight.visit.outside == [] and weight.visit.failed == []
        heavy = [url for url in weight.files if _file_name(url) in {"embed-amd.js", "require.js"}
                 or _file_name(url).endswith(".map")]
        assert heavy == [], f"{path} loads {heavy}"
        fontawesome = {url: size for url, size in weight.files.items() if _file_name(url) == "fontawesome.js"}
        assert list(fontawesome.values()) in ([], [0]), f"{path}: fontawesome.js is not empty: {fontawesome}"
    if path in widget_pages():
        assert any(_file_name(url) == "embed.js" for url in plain.files), f"{path} does not load embed.js"
    assert packed.total <= COMPRESSED_PAGE_GOAL, (
        f"{path}: {packed.total / MB:.2f} MB with .gz copies (goal {COMPRESSED_PAGE_GOAL / MB} MB); "
        f"largest: {packed.largest()}")
    assert packed.total < plain.total / 2, f"{path}: the .gz copies were not served ({packed.total} of {plain.total})"


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=False, reason=OVER_UNCOMPRESSED_GOAL[p]))
    if p in OVER_UNCOMPRESSED_GOAL else p
    for p in WEIGHED
])
def test_page_is_within_the_uncompressed_goal(weights, path):
    plain, _ = weights(path)
    goal = EXERCISE_PAGE_GOAL if path in widget_pages() else TEXT_PAGE_GOAL
    assert plain.total <= goal, f"{path}: {plain.total / MB:.2f} MB (goal {goal / MB} MB); largest: {plain.largest()}"
