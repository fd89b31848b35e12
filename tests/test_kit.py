"""The facilitator kit (:mod:`kyodo.kit`): worksheets, answer sheets, run sheets, answer cards, exit ticket.

Most checks read the generated HTML and data. A few documents are printed
once per module with Debian's Chromium (CASE3's worksheets and answer sheets,
the 90-minute run sheets and answer card, the exit ticket, and a worksheet of
hostile text) and read back: A4, fonts embedded, every item in the text
(after NFKC), no word outside the printable area, page counts. Their first
pages are rendered with ``pdftoppm -png -r 60`` into ``artifacts/kit/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pydantic import ValidationError

from kyodo.data import load_course
from kyodo.kit import build, sessions
from kyodo.kit.build import Job, jobs, print_jobs, write_pages
from kyodo.kit.model import SessionPart, load_kit
from kyodo.kit.sheets import (answer_sheet, exit_ticket_card, kit_lessons, lesson_title, lesson_worksheets,
                              worksheet)
from kyodo.printing import check_fonts, pdf_report
from kyodo.registry import ChoiceSpec, load_registry
from kyodo.solutions import answer_table
from kyodo.text import esc, msg

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "kit"
CHROMIUM = os.environ.get("KYODO_CHROMIUM") or "/usr/bin/chromium"
HOSTILE = "<script>alert('x')</script> & \"引用\" <img src=x onerror=alert(1)>"
A4_W, A4_H = 595.3, 841.9
MARGIN_PT = 15 * 72 / 25.4  # the side margins of PRINT_CSS (15 mm)

can_print = pytest.mark.skipif(not Path(CHROMIUM).exists() or check_fonts() is not None
                               or shutil.which("pdftotext") is None, reason="no Chromium, IPAexGothic or poppler")


def _flat(text: str) -> str:
    """Text as compared with a PDF's: NFKC, no white space (lines wrap anywhere in Japanese)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- what the kit holds --------------------------------------------------------------------------------------------

def test_every_lesson_with_exercises_has_a_worksheet_and_an_answer_sheet() -> None:
    registry = load_registry()
    paths = {job.path: job for job in jobs()}
    for lesson in registry.lessons:
        sheets = paths[f"worksheets/{lesson}.pdf"].sheets
        answers = paths[f"answers/{lesson}.pdf"].sheets
        expected = [spec.id for spec in registry.of_lesson(lesson)]
        assert [s.key for s in sheets if s.key in expected] == expected
        assert [s.key for s in answers] == expected
    # lessons without exercises still get their paper forms
    assert "design_sheet/steps" in [s.key for s in paths["worksheets/design_sheet.pdf"].sheets]
    blank = next(s for s in paths["worksheets/design_sheet.pdf"].sheets if s.key == "design_sheet/steps")
    for title in ("1 地域の課題", "7 協働の形", "11 年度の予定", "12 振り返りと相互評価"):  # the design, the plan, the review
        assert any(title in t for t in blank.items), (title, blank.items)
    assert "health_check/reflection" in [s.key for s in paths["worksheets/health_check.pdf"].sheets]
    course = paths["course_worksheets.pdf"].sheets
    assert course[-1].key == "exit"
    assert len(course) == sum(len(paths[f"worksheets/{lesson}.pdf"].sheets) for lesson in kit_lessons()) + 1


@pytest.mark.parametrize("exercise_id", list(load_registry().exercises))
def test_each_worksheet_shows_its_items_and_no_answers(exercise_id: str) -> None:
    registry = load_registry()
    spec = registry.get(exercise_id)
    sheet = worksheet(spec)
    assert sheet.items, "a worksheet lists what it must show"
    for item in sheet.items:
        assert esc(item) in sheet.html
    if isinstance(spec, ChoiceSpec):
        for row in answer_table(exercise_id, registry).rows:
            assert esc(row[0]) in sheet.html  # the item
        for item in spec.items:  # the course's reasons are on the answer sheet only
            if item.why:
                assert esc(item.why) not in sheet.html


@pytest.mark.parametrize("exercise_id", list(load_registry().exercises))
def test_answer_sheets_agree_with_the_widgets_keys(exercise_id: str) -> None:
    registry = load_registry()
    sheet = answer_sheet(registry.get(exercise_id), registry)
    table = answer_table(exercise_id, registry)
    if table is None:
        assert esc(msg("kit.no_table")) in sheet.html
        return
    for row in table.rows:
        for cell in row:  # the item, every accepted answer, every comment, why
            assert esc(cell) in sheet.html


def test_answer_sheet_shows_every_accepted_answer_with_its_comment() -> None:
    registry = load_registry()
    spec = registry.get("case3-ex2")
    assert isinstance(spec, ChoiceSpec)
    item = next(i for i in spec.items if i.also)
    html = answer_sheet(spec, registry).html
    for also in item.also:
        assert esc(also.comment) in html


def test_reflection_questions_come_from_the_notebooks() -> None:
    sheets = {s.key: s for s in lesson_worksheets("case3")}
    reflection = sheets["case3/reflection"]
    assert len(reflection.items) == 3
    assert all("**" not in q and q for q in reflection.items)
    notebook = (ROOT / "notebooks" / "03_case3_compost.ipynb").read_text(encoding="utf-8")
    assert all(q[:20] in notebook for q in reflection.items)


# --- run sheets, answer cards, fallback ---------------------------------------------------------------------------

EXPECTED_MINUTES = {"staff90": [90], "staff90_jigsaw": [90], "workshop": [180], "university": [90, 90]}


def test_run_sheets_add_up_to_each_sessions_length() -> None:
    kit = load_kit()
    assert {s.id: [p.minutes for p in s.parts] for s in kit.sessions} == EXPECTED_MINUTES
    for session in kit.sessions:
        for part in session.parts:
            assert sum(r.minutes for r in part.rows) == part.minutes
            starts = part.start_times()
            assert starts[0] == 0 and starts[-1] + part.rows[-1].minutes == part.minutes
        assert any(r.debrief for p in session.parts for r in p.rows), "each session opens a debrief"


def test_a_part_whose_minutes_do_not_add_up_is_refused() -> None:
    row = {"minutes": 30, "activity": "a", "say": "b", "do": "c", "use": "d"}
    with pytest.raises(ValidationError, match="60"):
        SessionPart.model_validate({"title": "x", "minutes": 60, "rows": [row]})


def test_jigsaw_option_shows_three_viewpoints_through_three_cases() -> None:
    kit = load_kit()
    jigsaw = next(s for s in kit.sessions if s.id == "staff90_jigsaw")
    assert jigsaw.variant_of == "staff90"
    assert {"case1", "case2", "case4"} <= set(jigsaw.lessons)
    course = load_course()
    viewpoints = {course.case(c).viewpoint for c in ("case1", "case2", "case4")}
    assert len(viewpoints) == 3  # 相乗効果, 相互理解, 成果志向: one case each


def test_answer_card_holds_only_the_sessions_keys() -> None:
    registry = load_registry()
    kit = load_kit()
    for session in kit.sessions:
        card = sessions.answer_card(session, registry)
        for exercise_id in session.answer_card:
            for row in answer_table(exercise_id, registry).rows:
                assert esc(row[0]) in card.html and esc(row[1]) in card.html
        others = [e for e in registry.exercises if e not in session.answer_card]
        for exercise_id in others:
            spec = registry.get(exercise_id)
            heading = f"<h2>{esc(lesson_title(spec.lesson))} {esc(spec.label)} {esc(spec.title)}</h2>"
            assert heading not in card.html


def test_pamphlet_is_named_as_it_names_itself_and_no_url_is_invented() -> None:
    seed = next((ROOT.parent / "shared" / "seed").glob("000_*.txt"), None)
    lines = sessions.pamphlet_lines()
    text = "\n".join(lines)
    assert "川崎市市民文化局コミュニティ推進部協働・連携推進課" in text
    for fact in ("044-200-3708", "044-200-3800", "25kyodo@city.kawasaki.jp", "210-0007"):
        assert fact in text
        if seed is not None:
            assert fact in seed.read_text(encoding="utf-8")
    assert "http" not in text
    fallback = sessions.fallback_sheet()
    assert all(esc(line) in fallback.html for line in lines)
    kit = load_kit()
    assert {f.lesson for f in kit.fallback} == set(kit_lessons())


# --- hostile text --------------------------------------------------------------------------------------------------

def _hostile_spec() -> ChoiceSpec:
    spec = load_registry().get("case3-ex3")
    assert isinstance(spec, ChoiceSpec)
    items = [i.model_copy(update={"text": HOSTILE}) if n == 0 else i for n, i in enumerate(spec.items)]
    options = [o.model_copy(update={"label": HOSTILE, "clue": HOSTILE}) if n == 0 else o
               for n, o in enumerate(spec.options)]
    return spec.model_copy(update={"title": HOSTILE, "instructions": HOSTILE, "items": items, "options": options})


def test_hostile_text_is_escaped_everywhere() -> None:
    spec = _hostile_spec()
    session = load_kit().sessions[0]
    part = session.parts[0]
    rows = [part.rows[0].model_copy(update={"say": HOSTILE, "debrief": HOSTILE, "use": HOSTILE}), *part.rows[1:]]
    hostile_session = session.model_copy(update={"title": HOSTILE, "prepare": HOSTILE,
                                                  "parts": [part.model_copy(update={"rows": rows})]})
    for html in (worksheet(spec).html, sessions.run_sheet(hostile_session).html):
        assert "<script" not in html and "<img" not in html
        assert esc(HOSTILE) in html


# --- the book pages ------------------------------------------------------------------------------------------------

def test_generated_book_pages_are_up_to_date(tmp_path: Path) -> None:
    written = write_pages(tmp_path)
    assert written
    for path in written:
        committed = ROOT / "book" / path.relative_to(tmp_path)
        assert committed.exists(), f"run `make kit`: {committed} is missing"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), f"run `make kit`: {committed}"
    toc = (ROOT / "book" / "_toc.yml").read_text(encoding="utf-8")
    for path in written:
        assert f"file: {path.relative_to(tmp_path).with_suffix('').as_posix()}" in toc


def test_projector_page_shows_case_prompts_and_questions() -> None:
    page = (ROOT / "book" / "facilitator" / "projector" / "case3.md").read_text(encoding="utf-8")
    course = load_course()
    assert course.case("case3").summary.split("。")[0] in page
    for spec in load_registry().of_lesson("case3"):
        assert spec.instructions in page
    assert "<style>" in page and "bd-sidebar-primary" in page and "http" not in page.split("</style>")[0]


# --- exit ticket ---------------------------------------------------------------------------------------------------

def test_exit_ticket_saves_like_notes_and_the_board_collects_shared_answers(tmp_path: Path) -> None:
    from kyodo.board.aggregate import shared_notes
    from kyodo.board.collect import LearnerWork
    from kyodo.storage import Store
    from kyodo.widgets.exit_ticket import ExitTicket

    store = Store.open(tmp_path, learner="田中")
    ticket = ExitTicket(store, debounce=0.0)
    ticket.notes["first"].text.value = "相談窓口に電話する"
    ticket.notes["partner"].text.value = "近くの大学"
    ticket.notes["first"].share.value = True  # shared; the partner stays private
    ticket.flush()
    saved = Store.open(tmp_path, learner="田中")
    assert saved.get("notes/exit/first")["text"] == "相談窓口に電話する"
    assert saved.get("notes/exit/partner")["share"] is False
    work = LearnerWork("田中", "田中", {k: saved.get(k) for k in ("notes/exit/first", "notes/exit/partner")})
    notes = shared_notes([work])
    assert [(n.key, n.lesson, n.text) for n in notes] == [("exit/first", "exit", "相談窓口に電話する")]
    assert notes[0].prompt == msg("kit.exit_first")


def test_exit_ticket_questions_match_the_paper_card() -> None:
    from kyodo.widgets.exit_ticket import QUESTIONS

    card = exit_ticket_card()
    assert card.items == tuple(msg(f"kit.exit_{q}") for q in QUESTIONS)


# --- make kit without Chromium --------------------------------------------------------------------------------------

def test_make_kit_stops_with_a_japanese_message_without_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KYODO_CHROMIUM", str(tmp_path / "no-chromium"))
    code = build.main(["--out", str(tmp_path / "kit"), "--book", str(tmp_path / "book")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Chromium" in err and "PDF に印刷できません" in err
    assert not list((tmp_path / "kit").rglob("*.pdf")) if (tmp_path / "kit").exists() else True


# --- printed PDFs --------------------------------------------------------------------------------------------------

PRINTED = ("worksheets/case3.pdf", "answers/case3.pdf", "sessions/staff90.pdf", "sessions/staff90_jigsaw.pdf",
           "sessions/staff90_card.pdf", "exit_ticket.pdf")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Job]]:
    if not Path(CHROMIUM).exists() or check_fonts() is not None:
        pytest.skip("no Chromium or IPAexGothic")
    folder = tmp_path_factory.mktemp("kit")
    selected = {j.path: j for j in jobs(lambda p: p in PRINTED)}
    hostile = worksheet(_hostile_spec())
    selected["hostile.pdf"] = Job("hostile.pdf", HOSTILE, (hostile,))
    print_jobs(list(selected.values()), folder)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path in ("worksheets/case3.pdf", "answers/case3.pdf", "sessions/staff90.pdf", "sessions/staff90_card.pdf",
                 "exit_ticket.pdf"):
        stem = path.replace("/", "_").removesuffix(".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(folder / path),
                        str(ARTIFACTS / stem)], check=False, timeout=60)
    return folder, selected


@can_print
@pytest.mark.parametrize("path", [*PRINTED, "hostile.pdf"])
def test_printed_pdf_is_a4_with_fonts_embedded_and_every_item(printed: tuple[Path, dict[str, Job]],
                                                               path: str) -> None:
    folder, selected = printed
    report = pdf_report(folder / path)
    assert report.a4
    assert report.fonts_embedded
    text = _flat(report.text)
    for sheet in selected[path].sheets:
        for item in sheet.items:
            assert _flat(item) in text, f"{path}: {item!r} is not in the PDF"


@can_print
def test_hostile_text_prints_as_text(printed: tuple[Path, dict[str, Job]]) -> None:
    folder, _ = printed
    text = _flat(pdf_report(folder / "hostile.pdf").text)
    assert _flat("<script>alert('x')</script>") in text


@can_print
def test_page_counts(printed: tuple[Path, dict[str, Job]]) -> None:
    folder, _ = printed
    pages = {p: len(pdf_report(folder / p).pages) for p in PRINTED}
    assert pages["sessions/staff90.pdf"] <= 2 and pages["sessions/staff90_jigsaw.pdf"] <= 2
    assert pages["sessions/staff90_card.pdf"] == 1
    assert pages["exit_ticket.pdf"] == 1


@can_print
@pytest.mark.parametrize("path", PRINTED)
def test_no_page_overflows(printed: tuple[Path, dict[str, Job]], path: str) -> None:
    """Every word lies inside the side margins and on the page (``pdftotext -bbox``)."""
    folder, _ = printed
    out = subprocess.run(["pdftotext", "-bbox", str(folder / path), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    words = re.findall(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)"', out)
    assert words
    for x0, y0, x1, y1 in ((float(a), float(b), float(c), float(d)) for a, b, c, d in words):
        assert MARGIN_PT - 2 <= x0 and x1 <= A4_W - MARGIN_PT + 2, f"{path}: a word at x {x0}-{x1}"
        assert 0 <= y0 and y1 <= A4_H, f"{path}: a word at y {y0}-{y1}"
