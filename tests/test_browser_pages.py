"""Every page of the course website in a real browser, as a reader meets it.

Debian's Chromium (``/usr/bin/chromium``, never a downloaded browser), driven by
Playwright for Python, opens every page of the table of contents from a server on
127.0.0.1, with every request to another host blocked and counted: the site must
work with no internet. In one visit per page: it loads; no uncaught script error;
no request leaves the site and none fails; every image loads and has alternative
text; headings do not skip a level; axe-core (from npm) finds no serious or
critical WCAG 2 A/AA violation.
"""

from __future__ import annotations

import pytest
from support.browser import AXE, Visit, open_page, pages, run_axe

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
