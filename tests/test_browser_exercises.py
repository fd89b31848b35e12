"""The exercise pages of the course website in a real browser.

On every page that shows widgets, they render from the state saved when the
book was built, and a keyboard user reaches their buttons with Tab alone. The
CASE3 exercise shows its choices, the Japanese search finds the CASE3 lesson
from 堆肥, and screenshots of the key pages are saved to
``artifacts/screenshots/`` for review.
"""

from __future__ import annotations

import pytest
from support.browser import SHOTS, Visit, open_page, widget_pages

KEY_PAGES = {
    "index": "landing",
    "notebooks/00_introduction": "introduction",
    "notebooks/03_case3_compost": "case3",
    "notebooks/09_design_sheet": "design_sheet",
    "notebooks/11_class_overview": "class_overview",
    "facilitator/sessions": "facilitator_sessions",
}


def test_widget_pages_are_known_before_the_build():
    found = widget_pages()
    assert "notebooks/03_case3_compost.html" in found and "notebooks/09_design_sheet.html" in found
    assert "notebooks/11_class_overview.html" not in found  # tables and charts, no widgets


@pytest.mark.parametrize("path", widget_pages())
def test_widgets_render_from_saved_state_and_take_the_keyboard(browser, site, path):
    visit = Visit()
    context, page = open_page(browser, site, path, visit)
    try:
        page.wait_for_selector(".widget-button", timeout=15000)
        buttons = page.locator(".widget-button")
        assert buttons.count() >= 3
        assert page.locator("text=答え合わせ").first.is_visible() or page.locator(".widget-button").first.is_visible()
        # A keyboard user reaches a widget button with Tab alone.
        reached = False
        for _ in range(400):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.closest('.widget-button') !== null"
                             " || (document.activeElement && document.activeElement.classList.contains('widget-button'))"):
                reached = True
                break
        assert reached, "no widget button could be reached with the Tab key"
    finally:
        context.close()
    assert visit.outside == [] and visit.page_errors == []


def test_case3_exercise_shows_its_choices(browser, site):
    visit = Visit()
    context, page = open_page(browser, site, "notebooks/03_case3_compost.html", visit)
    try:
        page.wait_for_selector(".widget-dropdown select", timeout=15000)
        first = page.locator(".widget-dropdown select").first
        assert first.input_value() is not None
        options = first.locator("option").all_text_contents()
        assert options[0] == "(選んでください)"
        assert "市民モニター" in options and "川崎市環境局" in options
    finally:
        context.close()


def test_japanese_search_finds_the_compost_lesson(browser, site):
    visit = Visit()
    context, page = open_page(browser, site, "search.html?q=%E5%A0%86%E8%82%A5", visit)
    try:
        page.wait_for_selector("#search-results li a", timeout=15000)
        hrefs = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any("03_case3_compost" in h for h in hrefs), hrefs
    finally:
        context.close()
    assert visit.outside == []


@pytest.mark.parametrize(("path", "name"), list(KEY_PAGES.items()))
def test_screenshots_of_key_pages(browser, site, path, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit()
    context, page = open_page(browser, site, f"{path}.html", visit)
    try:
        if f"{path}.html" in widget_pages():
            page.wait_for_selector(".widget-button", timeout=15000)
        target = SHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()
    assert target.stat().st_size > 20_000
