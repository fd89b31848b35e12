"""The room board's web views, CSV, charts and session record, from hand-made boards.

The boards hold hostile learner text (HTML, Markdown, ``$math$``, a 50 000-character
answer, a learner named like an HTML tag): it must show as plain text, the
projector must never show a learner's or a file's name, and every number must
be the one counted.
"""

from __future__ import annotations

import csv
import functools
import html
import http.server
import io
import re
import struct
import threading
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import matplotlib.pyplot as plt
import pytest

from kyodo.board.aggregate import AnswerCount, Board, ExerciseCount, ItemCount, LessonCount, SharedNote
from kyodo.board.collect import Skipped
from kyodo.board.export import CSV_CHARS, chart_png, csv_text, exercise_chart, mark_label, record_zip
from kyodo.board.views import fragment, note_text, page
from kyodo.design import SAMPLE_FOLDER
from kyodo.design.overview import ClassOverview, read_folder
from kyodo.text import esc, msg

PNG = b"\x89PNG\r\n\x1a\n"
SCRIPT = "<script>alert(1)</script>"
EVIL_NAME = "<img src=x onerror=alert(1)>"
PLAIN_NAME = "山田花子"
LONG = "あ" * 50_000
SKIPPED_FILE = "yamada-taro.json"
DESIGN_FILES = ["group1.html", "group2.html", "group3.html", "broken.html", "notes.txt", "other.md"]


def a(label: str, verdict: str, count: int, mark: str | None = None) -> AnswerCount:
    mark = mark or {"wrong": "wrong", "open": "discussion", "accepted": "right"}[verdict]
    return AnswerCount(label.casefold(), label, mark, verdict, count)  # type: ignore[arg-type]


FLOW = ExerciseCount(
    "case3_flow", "case3", "演習2", "お金とものの流れ", "flow_map", 25, 20, 15, 9,
    (ItemCount("arrows", "矢印 <b>太字</b>", (
        a(SCRIPT, "wrong", 12, "reversed"),
        a("=HYPERLINK(A1)", "wrong", 2, "not_in_case"),
        a("$x^2$", "open", 3),
        a("市民モニター → 農場", "accepted", 9),
        a(LONG, "accepted", 0, "also"),
    )),
     ItemCount("many", "答えの多い設問",
               tuple(a(f"まちがい{i:02d}", "wrong", 20 - i) for i in range(14)) + (a("正しい答え", "accepted", 4),))))
CHOICE = ExerciseCount(
    "case3_choice", "case3", "演習3", "役割を選ぶ", "choice", 18, 11, 7, 5,
    (ItemCount("q1", "**bold** の設問", (
        a("+1", "wrong", 1), a("-2", "wrong", 1), a("@SUM(A1)", "wrong", 1),
        a("なぞの印の答え", "wrong", 2, "mark_nobody_named"), a("正しい", "accepted", 5))),))


@pytest.fixture(scope="module")
def designs() -> ClassOverview:
    from kyodo.data import load_course

    return read_folder(SAMPLE_FOLDER, load_course())


@pytest.fixture
def board(designs: ClassOverview) -> Board:
    notes = (
        SharedNote("case3/reflection", "case3", "<b>何に</b>気づきましたか", "**bold** です\n\n二行目", EVIL_NAME),
        SharedNote("case3/reflection", "case3", "<b>何に</b>気づきましたか", "$x^2$ と " + SCRIPT, PLAIN_NAME),
    )
    lessons = (LessonCount("case3", "CASE3 地域の農業", (FLOW, CHOICE)), LessonCount("case9", "演習のない回", ()))
    return Board(30, lessons, notes, designs, (Skipped(SKIPPED_FILE, "壊れています"),), "10:15:30")


@pytest.fixture
def empty() -> Board:
    return Board(0, (), (), ClassOverview((), ()))


class Parsed(HTMLParser):
    """Table rows (cell texts), ``dt``/``dd`` pairs, links and element ids of an HTML text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.pairs: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.sections: list[str] = []
        self.tabs: list[str] = []
        self._cell: list[str] | None = None
        self._dt: list[str] | None = None
        self._dd: list[str] | None = None
        self._last_dt = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if tag == "a" and found.get("href") is not None:
            self.hrefs.append(found["href"] or "")
            if "data-tab" in found:
                self.tabs.append(found["href"] or "")
        if tag == "section" and "data-panel" in found:
            self.sections.append(found.get("id") or "")
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "dt":
            self._dt = []
        elif tag == "dd":
            self._dd = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "dt" and self._dt is not None:
            self._last_dt, self._dt = "".join(self._dt).strip(), None
        elif tag == "dd" and self._dd is not None:
            self.pairs.append((self._last_dt, "".join(self._dd).strip()))
            self._dd = None

    def handle_data(self, data: str) -> None:
        for sink in (self._cell, self._dt, self._dd):
            if sink is not None:
                sink.append(data)

    def row(self, first: str) -> list[str]:
        return next(r for r in self.rows if r and r[0] == first)


def views(board: Board) -> dict[tuple[str, bool], str]:
    return {(view, names): page(board, view, base="/room/", names=names)  # type: ignore[arg-type]
            for view in ("facilitator", "projector") for names in (False, True)}


# --- escaping and cutting -------------------------------------------------------------------------

def test_learner_text_shows_as_plain_text_in_every_view(board: Board) -> None:
    for (view, names), text in views(board).items():
        where = f"{view}, names={names}"
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text, where
        assert esc(SCRIPT) in text and "**bold**" in text and "$x^2$" in text, where
        assert text.count("<script") == 1, where  # the page's own script, nothing else
        assert esc("矢印 <b>太字</b>") in text and esc("<b>何に</b>気づきましたか") in text, where
        assert "あ" * 200 not in text and "あ" * 40 in text and len(text) < 120_000, where


def test_a_long_note_keeps_its_lines_and_is_cut() -> None:
    assert note_text("一行目\n\n  二行目  です ") == "一行目\n二行目 です"
    cut = note_text("い" * 5000)
    assert len(cut) == 600 and cut.endswith("…")


# --- names and files ----------------------------------------------------------------------------

def secrets(board: Board) -> list[str]:
    titles = [e.design.title for e in board.designs.entries]
    assert titles and all(titles)
    return [EVIL_NAME, PLAIN_NAME, SKIPPED_FILE, *DESIGN_FILES, *titles]


def test_the_projector_never_shows_a_name_or_a_file_name(board: Board) -> None:
    for names in (False, True):
        shown = [page(board, "projector", base="/room/", names=names),
                 fragment(board, "projector", base="/room/", names=names)]
        for text in shown:
            for secret in secrets(board):
                assert secret not in text and esc(secret) not in text, (names, secret)
            assert "id='skipped'" not in text
        assert "fragment?view=projector&amp;names=0" in shown[0]


def test_the_facilitator_sees_names_only_when_asked(board: Board) -> None:
    hidden = page(board, "facilitator", base="/room/")
    shown = page(board, "facilitator", base="/room/", names=True)
    for name in (PLAIN_NAME, EVIL_NAME, *(e.design.title for e in board.designs.entries)):
        assert esc(name) not in hidden
        assert esc(name) in shown
    assert esc(msg("board_view.note_by", name=PLAIN_NAME)) in shown
    assert "fragment?view=facilitator&amp;names=1" in shown and "fragment?view=facilitator&amp;names=0" in hidden
    for text in (hidden, shown):  # the files that could not be read: by name, with the reason
        rows = Parsed(text)
        assert rows.row(msg("board_view.skipped_kind_progress"))[1:] == [SKIPPED_FILE, "壊れています"]
        assert {r[1] for r in rows.rows if r and r[0] == msg("board_view.skipped_kind_design")} == {
            "broken.html", "notes.txt", "other.md"}


# --- counts and order ---------------------------------------------------------------------------------

def test_the_counts_are_the_counted_ones_wrong_answers_first(board: Board) -> None:
    for view in ("facilitator", "projector"):
        parsed = Parsed(fragment(board, view, base="/room/"))  # type: ignore[arg-type]
        counts = [(k, v) for k, v in parsed.pairs]
        assert counts[:4] == [(msg("board_view.count_opened"), "25 / 30人"), (msg("board_view.count_answered"),
                              "20 / 30人"), (msg("board_view.count_checked"), "15 / 30人"),
                              (msg("board_view.count_finished"), "9 / 30人")]
        assert counts[4:8] == [(k, f"{n} / 30人") for (k, _), n in zip(counts[:4], (18, 11, 7, 5))]
        script = parsed.row(SCRIPT)
        assert script[2] == "12人" and msg("board_view.verdict_wrong") in script[1]
        assert parsed.row("市民モニター → 農場")[2] == "9人"
        assert parsed.row("正しい")[2] == "5人"
        firsts = [r[0] for r in parsed.rows if r]
        assert firsts.index(SCRIPT) < firsts.index("=HYPERLINK(A1)") < firsts.index("$x^2$") \
            < firsts.index("市民モニター → 農場")
        assert firsts.index("+1") < firsts.index("正しい")
        assert parsed.row("なぞの印の答え")[1].startswith("❌ mark_nobody_named")  # no catalogue entry: its name


def test_a_long_list_folds_after_the_first_answers_of_each_verdict(board: Board) -> None:
    text = fragment(board, "facilitator", base="/room/")
    shown, folded = text.split(esc(msg("board_view.more_answers", n=9)), 1)
    for i in range(5):
        assert f"まちがい{i:02d}" in shown
    assert "正しい答え" in shown and "まちがい05" not in shown
    assert all(f"まちがい{i:02d}" in folded.split("</details>")[0] for i in range(5, 14))
    assert Parsed(text).row("まちがい13")[2] == "7人"


def test_mark_labels_come_from_the_catalogue_or_fall_back_to_the_name() -> None:
    assert mark_label("mark_nobody_named") == "mark_nobody_named"
    assert mark_label("right")  # the catalogue's word, or the name while it has none


# --- tabs, links, refresh ---------------------------------------------------------------------------

def test_tabs_are_links_to_sections(board: Board) -> None:
    facilitator = Parsed(fragment(board, "facilitator", base="/room/"))
    projector = Parsed(fragment(board, "projector", base="/room/"))
    assert facilitator.tabs == ["#lesson-case3", "#notes", "#designs", "#skipped"]
    assert projector.tabs == ["#lesson-case3", "#notes", "#designs"]  # no tab for a lesson without exercises
    for parsed in (facilitator, projector):
        assert [t[1:] for t in parsed.tabs] == parsed.sections
        assert len(parsed.ids) == len(set(parsed.ids))
    assert {"/room/charts/case3_flow.png", "/room/charts/case3_choice.png", "/room/board.csv",
            "/room/record.zip"} <= set(facilitator.hrefs)
    assert not [h for h in projector.hrefs if not h.startswith("#")]


def test_the_page_refreshes_itself_and_loads_nothing_from_elsewhere(board: Board) -> None:
    text = page(board, "projector", base="/room/", refresh=7)
    assert text.startswith("<!DOCTYPE html><html lang='ja'>")
    assert "<noscript><meta http-equiv='refresh' content='7'></noscript>" in text
    main = re.search(r"<main id='board' tabindex='-1' data-fragment='([^']*)' data-refresh='(\d+)' "
                     r"data-xsrf='([^']*)'>", text)
    assert main and html.unescape(main.group(1)) == "/room/fragment?view=projector&names=0" and main.group(2) == "7000"
    assert main.group(3) == "", "no token unless the server gives one"
    assert fragment(board, "projector", base="/room/") in text
    assert "fetch(url" in text and "setTimeout(tick, every)" in text
    assert f"<p id='board-lost' class='lost' role='status' hidden>{esc(msg('board_view.lost'))}</p>" in text
    assert esc(msg("board_view.status", n=30, time="10:15:30")) in text
    sources = re.findall(r"(?:src|href)='([^']*)'", text)
    assert sources and all(s.startswith(("/room/", "#")) for s in sources)
    assert "http:" not in text and "https:" not in text and "@import" not in text


def test_the_refresh_sends_the_servers_xsrf_token(board: Board) -> None:
    """Behind the hub's OAuth a script's request is refused without the token (JupyterHub 4.1 and newer)."""
    text = page(board, "facilitator", base="/room/", xsrf="2|ab'<>|cd")
    token = "2|ab'<>|cd"
    assert "data-xsrf='" + esc(token) + "'" in text
    assert '"X-XSRFToken": token' in text and "headers: headers" in text


def test_the_design_sheets_tab_shows_the_class_overview(board: Board) -> None:
    text = fragment(board, "projector", base="/room/")
    images = re.findall(r"<img src='([^']*)' alt='([^']*)'", text)
    assert [urlsplit(html.unescape(src)).path for src, _ in images] == [
        f"/room/charts/designs-{n}.png" for n in (1, 2, 3)]
    assert [html.unescape(alt) for _, alt in images] == [
        msg("overview.chart_partners"), msg("overview.chart_gaps"), msg("overview.chart_checks")]
    rows = Parsed(text).rows
    assert esc(msg("overview.col_purpose")) in text and esc(msg("overview.col_title")) not in text
    assert ["駅前を安心して歩ける道にする", "大学、市民活動団体", "3", "6/6", "1"] in rows


def test_an_empty_room_says_so(empty: Board) -> None:
    for (view, names), text in views(empty).items():
        assert esc(msg("board_view.empty_room")) in text, view
        assert esc(msg("board_view.notes_none")) in text and esc(msg("board_view.designs_none")) in text
        assert esc(msg("board_view.status_no_time", n=0)) in text
    rows = list(csv.reader(io.StringIO(csv_text(empty)[1:])))
    assert len(rows) == 1 and rows[0][0] == msg("board_view.csv_row")
    assert chart_png(empty, "designs-1") is None
    with zipfile.ZipFile(io.BytesIO(record_zip(empty))) as archive:
        assert sorted(archive.namelist()) == ["README.md", "alt.md", "board.csv"]


# --- CSV ------------------------------------------------------------------------------------------

def test_the_csv_reads_back_with_the_counts_a_bom_and_no_formulas(board: Board) -> None:
    text = csv_text(board)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    head = rows[0]
    assert head[:3] == [msg("board_view.csv_row"), msg("board_view.csv_lesson"), msg("board_view.csv_lesson_title")]
    col = {name: head.index(msg(key)) for name, key in (
        ("row", "board_view.csv_row"), ("exercise", "board_view.csv_exercise"), ("answer", "board_view.csv_answer"),
        ("count", "board_view.csv_count"), ("verdict", "board_view.csv_verdict"),
        ("learners", "board_view.csv_learners"), ("opened", "board_view.count_opened"),
        ("finished", "board_view.count_finished"))}
    progress = [r for r in rows[1:] if r[col["row"]] == msg("board_view.csv_row_progress")]
    assert [(r[col["exercise"]], r[col["opened"]], r[col["finished"]], r[col["learners"]]) for r in progress] == [
        ("case3_flow", "25", "9", "30"), ("case3_choice", "18", "5", "30")]
    answers = {r[col["answer"]]: r for r in rows[1:] if r[col["row"]] == msg("board_view.csv_row_answer")}
    assert answers[SCRIPT][col["count"]] == "12" and answers[SCRIPT][col["verdict"]] == msg("board_view.verdict_wrong")
    assert answers["市民モニター → 農場"][col["count"]] == "9" and answers["まちがい13"][col["count"]] == "7"
    assert {"'=HYPERLINK(A1)", "'+1", "'-2", "'@SUM(A1)"} <= set(answers)
    assert not [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@")]
    assert max(len(c) for r in rows for c in r) <= CSV_CHARS
    order = [r[col["answer"]] for r in rows if r[col["row"]] == msg("board_view.csv_row_answer")]
    assert order.index(SCRIPT) < order.index("市民モニター → 農場")
    assert len(answers) == sum(len(i.answers) for e in board.exercises for i in e.items)


# --- charts and the record -------------------------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_an_exercise_chart_is_a_png_that_says_its_numbers(board: Board) -> None:
    before = plt.get_fignums()
    chart = exercise_chart(FLOW, 30)
    assert msg("board_view.alt_counts", n=30, opened=25, answered=20, checked=15, finished=9) in chart.alt_text
    assert f"「{SCRIPT}」(reversed・{msg('board_view.verdict_wrong')}) 12人" in chart.alt_text.replace(
        mark_label("reversed"), "reversed")
    assert "「市民モニター → 農場」" in chart.alt_text and "9人" in chart.alt_text
    assert "あ" * 200 not in chart.alt_text
    data = chart_png(board, "case3_flow")
    assert data is not None
    width, height = png_size(data)
    assert 500 <= width <= 2000 and 600 <= height <= 4000 and len(data) > 10_000
    assert plt.get_fignums() == before  # nothing left open in pyplot


def test_the_class_overview_charts_are_served_by_number(board: Board) -> None:
    sizes = [png_size(chart_png(board, f"designs-{n}") or b"") for n in (1, 2, 3)]
    assert all(w > 300 and h > 100 for w, h in sizes)
    assert chart_png(board, "designs-4") is None and chart_png(board, "designs-0") is None
    assert chart_png(board, "nothing") is None and chart_png(board, "../board") is None


def test_the_record_holds_the_csv_every_chart_and_their_texts(board: Board) -> None:
    with zipfile.ZipFile(io.BytesIO(record_zip(board))) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(["README.md", "alt.md", "board.csv", "charts/case3_flow.png",
                                "charts/case3_choice.png", "charts/designs-1.png", "charts/designs-2.png",
                                "charts/designs-3.png"])
        assert archive.read("board.csv").decode("utf-8") == csv_text(board)
        for name in names:
            if name.endswith(".png"):
                png_size(archive.read(name))
        alt = archive.read("alt.md").decode("utf-8")
        readme = archive.read("README.md").decode("utf-8")
    for name in names:
        if name.endswith(".png"):
            assert f"## {name}" in alt and f"### {name}" in readme
    assert exercise_chart(CHOICE, 30).alt_text in alt
    assert msg("board_view.record_learners", n=30) in readme and "10:15:30" in readme


def test_odd_exercise_ids_make_safe_links_and_file_names(board: Board) -> None:
    odd = replace(CHOICE, id="case3/odd id")
    board = replace(board, lessons=(LessonCount("case3", "CASE3", (odd,)),))
    assert "/room/charts/case3%2Fodd%20id.png" in Parsed(fragment(board, "facilitator", base="/room/")).hrefs
    assert png_size(chart_png(board, "case3/odd id") or b"")
    with zipfile.ZipFile(io.BytesIO(record_zip(board))) as archive:
        assert "charts/case3_odd_id.png" in archive.namelist()


# --- in a browser: the refresh keeps the tab, says when the connection is lost -----------------------

CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "connect-src 'self'")
"""As strict as the board's server: the page must work with nothing but itself."""


class _Room(http.server.BaseHTTPRequestHandler):
    def __init__(self, *args: object, state: dict, **kwargs: object) -> None:
        self.state = state
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass

    def do_GET(self) -> None:  # noqa: N802 - name of the base class
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        board = self.state["board"]
        body: bytes | None = None
        kind = "text/html; charset=utf-8"
        if self.state["fail"]:
            body = None
        elif url.path == "/":
            body = page(board, "facilitator", base="/", refresh=1).encode("utf-8")
        elif url.path == "/fragment":
            body = fragment(board, query["view"][0], base="/", names=query["names"][0] == "1").encode("utf-8")
            self.state["fetched"] += 1
        elif url.path.startswith("/charts/") and url.path.endswith(".png"):
            body, kind = chart_png(board, unquote(url.path[len("/charts/"):-4])), "image/png"
        self.send_response(200 if body is not None else 503)
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write(body or b"")


def test_in_a_browser_the_board_refreshes_keeps_the_tab_and_survives_a_lost_connection(board: Board,
                                                                                       browser) -> None:  # noqa: ANN001
    from support.browser import block_outside

    state = {"board": board, "fail": False, "fetched": 0}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Room, state=state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context(viewport={"width": 1000, "height": 500}, locale="ja-JP")
    outside = block_outside(context, site, [])
    errors: list[str] = []
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda err: errors.append(str(err)))
        tab.goto(site + "/", wait_until="load")
        visible = "() => [...document.querySelectorAll('[data-panel]')].filter(p => !p.hidden).map(p => p.id)"
        assert tab.evaluate(visible) == ["lesson-case3"]
        tab.click("#tab-designs")
        assert tab.evaluate(visible) == ["designs"] and tab.evaluate("location.hash") == "#designs"
        tab.wait_for_function("() => [...document.querySelectorAll('#designs img')].every(i => i.naturalWidth > 0)")
        tab.evaluate("window.scrollTo(0, 300)")
        state["board"] = replace(board, learners=31, read_at="10:15:35")
        tab.wait_for_function("() => document.getElementById('board').textContent.includes('10:15:35')", timeout=8000)
        assert tab.evaluate(visible) == ["designs"]
        assert tab.evaluate("document.querySelector('#tab-designs').getAttribute('aria-current')") == "page"
        assert tab.evaluate("window.scrollY") == 300
        state["fail"] = True
        tab.wait_for_selector("#board-lost", state="visible", timeout=8000)
        assert "31人" in tab.inner_text("#board") and tab.evaluate(visible) == ["designs"]
        state["fail"] = False
        tab.wait_for_selector("#board-lost", state="hidden", timeout=8000)
        tab.focus("#tab-notes")
        tab.keyboard.press("Enter")
        assert tab.evaluate(visible) == ["notes"]
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert not errors and not outside and state["fetched"] >= 2
