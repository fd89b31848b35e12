"""The room board: what the learners' files record for it, reading a room's files, counting, and the server.

The talliers of each kind of exercise are tested in ``test_board_tally.py``,
the HTML views, CSV and charts in ``test_board_views.py``; here the parts
that join them: marks in the progress file, the note's consent box, the
read-only reading of a folder, the counts of a room and the web server
(a real tornado server on 127.0.0.1, over a real folder of learner files).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kyodo.board.aggregate import Counting, aggregate
from kyodo.board.collect import LearnerWork, Skipped, folder_files, read_learner
from kyodo.board.server import counting_for, folder_source, lesson_titles, make_app
from kyodo.cells import exercise
from kyodo.data import Course
from kyodo.registry import choice_task, load_registry
from kyodo.storage import Store
from kyodo.widgets.notes import NoteWidget


@pytest.fixture(scope="module")
def counting() -> Counting:
    return counting_for()


def _answers(exercise_id: str, picks: dict[str, str], course: Course) -> dict:
    task = choice_task(load_registry().get(exercise_id), course)  # type: ignore[arg-type]
    for item, option in picks.items():
        assert task.choose(item, option)
    return task.to_state()


def _learner(folder: Path, name: str, states: dict, marks: tuple[tuple[str, str], ...] = ()) -> Path:
    store = Store.open(folder, name)
    for key, value in states.items():
        store.save(key, value)
    for key, event in marks:
        assert store.mark(key, event)
    return store.path


# --- what the progress file records for the board -------------------------------------------------


def test_opened_is_recorded_once_and_checks_are_counted(store: Store) -> None:
    assert store.mark("case2-ex1", "opened")
    first = json.loads(store.path.read_text(encoding="utf-8"))["activity"]["case2-ex1"]["opened"]
    before = store.path.stat().st_mtime_ns
    time.sleep(0.01)
    assert store.mark("case2-ex1", "opened")
    assert store.path.stat().st_mtime_ns == before, "opening again wrote the file"
    store.mark("case2-ex1", "checked")
    store.mark("case2-ex1", "checked")
    store.save("case2-ex1", {"answers": {}})  # a save keeps the record
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    assert doc["activity"]["case2-ex1"] == {"opened": first, "checked": doc["activity"]["case2-ex1"]["checked"],
                                            "checks": 2}
    again = Store.open(store.path.parent, "tester")
    again.save("other", 1)
    assert json.loads(again.path.read_text(encoding="utf-8"))["activity"]["case2-ex1"]["checks"] == 2


def test_a_mark_never_touches_a_file_that_must_be_left_alone(private_workspace: Path) -> None:
    private_workspace.mkdir(parents=True)
    path = private_workspace / "tester.json"
    newer = '{"format": "kyodo-progress", "version": 99, "exercises": {"x": 1}}'
    path.write_text(newer, encoding="utf-8")
    store = Store.open(private_workspace, "tester")
    assert store.refused and store.notice
    assert store.mark("case2-ex1", "opened") is False
    assert path.read_text(encoding="utf-8") == newer
    assert store.refused and store.notice, "the learner must still be told"


def test_a_widget_records_that_it_was_opened_and_checked(store: Store, course: Course) -> None:
    widget = exercise("case2-ex1", store=store)
    assert "opened" in store._activity["case2-ex1"]
    widget.check_button.click()
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    assert doc["activity"]["case2-ex1"]["checks"] == 1


# --- the note's consent box -----------------------------------------------------------------------


def test_a_note_is_shared_only_when_the_learner_ticks_the_box(store: Store) -> None:
    note = NoteWidget("notes/case3/reflection", "振り返りメモ", store=store, debounce=10)
    assert note.share.value is False and note.share.description == "クラスで共有する"
    note.text.value = "市民モニターの役割が大きい"
    note.flush()
    assert store.get("notes/case3/reflection")["share"] is False
    note.share.value = True  # saved at once, and said so
    assert Store.open(store.path.parent, "tester").get("notes/case3/reflection") == {
        "text": "市民モニターの役割が大きい", "share": True, "prompt": "振り返りメモ"}
    assert "共有しました" in note.status.value
    again = NoteWidget("notes/case3/reflection", "振り返りメモ", store=Store.open(store.path.parent, "tester"))
    assert again.share.value is True
    again.share.value = False
    assert Store.open(store.path.parent, "tester").get("notes/case3/reflection")["share"] is False


def test_consent_that_cannot_be_saved_is_not_shown_as_given(private_workspace: Path) -> None:
    private_workspace.mkdir(parents=True)
    path = private_workspace / "tester.json"
    path.write_text('{"format": "kyodo-progress", "version": 99, "exercises": {}}', encoding="utf-8")
    note = NoteWidget("notes/x", "メモ", store=Store.open(private_workspace, "tester"), debounce=10)
    note.text.value = "書いた"
    note.share.value = True
    assert note.share.value is False, "the box says shared, but nothing was saved"
    assert "共有しました" not in note.status.value and note.feedback.kind == "warning"


# --- reading a room's folder, read-only -----------------------------------------------------------


def _room(folder: Path, course: Course) -> None:
    """Three learners of case2-ex1 (right / an also-accepted answer / wrong), and every kind of bad file."""
    folder.mkdir(parents=True, exist_ok=True)
    _learner(folder, "田中", {"case2-ex1": _answers("case2-ex1", {"value_for_money": "customers"}, course),
                              "notes/case2/reflection": {"text": "<script>alert(1)</script>顧客の目", "share": True,
                                                          "prompt": "振り返りメモ"}},
             (("case2-ex1", "opened"), ("case2-ex1", "checked")))
    _learner(folder, "<img src=x onerror=alert(1)>", {
        "case2-ex1": _answers("case2-ex1", {"value_for_money": "business_partners"}, course),
        "notes/case2/reflection": {"text": "書いたが共有しない", "share": False}}, (("case2-ex1", "opened"),))
    _learner(folder, "sato", {"case2-ex1": _answers("case2-ex1", {"value_for_money": "shareholders",
                                                                  "return_on_investment": "customers"}, course)})
    _learner(folder, "yamada", {}, (("case2-ex1", "opened"),))  # opened, answered nothing
    (folder / "cut.json").write_text('{"format": "kyodo-progress", "version": 1, "exerc', encoding="utf-8")
    (folder / "foreign.json").write_text('{"name": "something else"}', encoding="utf-8")
    (folder / "empty.json").write_bytes(b"")
    (folder / "future.json").write_text('{"format": "kyodo-progress", "version": 7, "exercises": {}}',
                                        encoding="utf-8")
    (folder / "huge.json").write_bytes(b" " * 5_000_001)
    (folder / "notes.txt").write_text("memo", encoding="utf-8")
    (folder / "tanaka.unreadable-20261201-101010.json").write_text("{}", encoding="utf-8")
    (folder / ".sato.json.abcdefgh.tmp").write_text("{", encoding="utf-8")  # a save in progress: not a file to list
    (folder / "sub").mkdir()
    (folder / "link.json").symlink_to(folder / "sato.json")


def test_a_folder_is_read_with_every_bad_file_named_and_nothing_changed(tmp_path: Path, course: Course) -> None:
    folder = tmp_path / "room"
    _room(folder, course)
    before = {p.name: (p.lstat().st_mtime_ns, p.lstat().st_size) for p in folder.iterdir()}
    found = folder_files(folder)
    assert sorted(w.learner for w in found.works) == sorted(["田中", "<img src=x onerror=alert(1)>", "sato", "yamada"])
    reasons = {s.file: s.reason for s in found.skipped}
    assert reasons["cut.json"] == "JSON として読めません"
    assert reasons["foreign.json"] == "この講座の保存ファイルではありません"
    assert reasons["empty.json"] == "中身が空です"
    assert "新しい版" in reasons["future.json"] and "7" in reasons["future.json"]
    assert reasons["huge.json"] == "大きすぎるため読みません"
    assert "保存ファイルでも" in reasons["notes.txt"]
    assert "取り分けた控え" in reasons["tanaka.unreadable-20261201-101010.json"]
    assert "ふつうのファイルではありません" in reasons["link.json"] or "読めませんでした" in reasons["link.json"]
    assert not any(".tmp" in name or name == "sub" for name in reasons)
    after = {p.name: (p.lstat().st_mtime_ns, p.lstat().st_size) for p in folder.iterdir()}
    assert after == before, "reading the room changed a file"


def test_a_missing_folder_is_one_skipped_line(tmp_path: Path) -> None:
    found = folder_files(tmp_path / "nowhere")
    assert found.works == () and len(found.skipped) == 1 and "フォルダを読めませんでした" in found.skipped[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_a_file_the_board_may_not_read_is_named(tmp_path: Path) -> None:
    path = _learner(tmp_path, "kato", {"x": 1})
    path.chmod(0)
    found = read_learner(path)
    assert isinstance(found, Skipped) and "読めませんでした" in found.reason


def test_two_files_of_one_learner_count_once(tmp_path: Path) -> None:
    path = _learner(tmp_path, "kato", {"x": 1})
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["saved_at"] = "2000-01-01T00:00:00"
    (tmp_path / "kato (copy).json").write_text(json.dumps(doc), encoding="utf-8")
    found = folder_files(tmp_path)
    assert [w.file for w in found.works] == ["kato.json"]
    assert [s.file for s in found.skipped] == ["kato (copy).json"]


# --- counting the room --------------------------------------------------------------------------


def test_counts_of_a_choice_exercise_with_more_than_one_accepted_answer(tmp_path: Path, course: Course,
                                                                        counting: Counting) -> None:
    _room(tmp_path / "room", course)
    found = folder_files(tmp_path / "room")
    board = aggregate(counting, found.works, lesson_titles(), found.skipped)
    ex = board.exercise("case2-ex1")
    assert (board.learners, ex.opened, ex.answered, ex.checked, ex.finished) == (4, 4, 3, 1, 0)
    item = next(i for i in ex.items if i.item == "value_for_money")
    rows = [(a.answer, a.mark, a.verdict, a.count) for a in item.answers]
    assert rows == [("shareholders", "wrong", "wrong", 1),
                    ("customers", "right", "accepted", 1), ("business_partners", "also", "accepted", 1)]
    roi = next(i for i in ex.items if i.item == "return_on_investment")
    assert [(a.answer, a.mark, a.count) for a in roi.answers] == [("customers", "wrong", 1), ("shareholders", "right", 0)]
    untouched = next(i for i in ex.items if i.item == "accountable_spending")
    assert [(a.answer, a.count) for a in untouched.answers] == [("shareholders", 0)], "the accepted answer is listed"
    assert [i.item for i in ex.items][:3] == ["value_for_money", "trustworthy_service", "return_on_investment"]
    assert [(n.key, n.text, n.learner) for n in board.notes] == [
        ("case2/reflection", "<script>alert(1)</script>顧客の目", "田中")]


def test_a_finished_exercise_is_counted_finished(tmp_path: Path, course: Course, counting: Counting) -> None:
    spec = load_registry().get("case2-ex1")
    task = choice_task(spec, course)  # type: ignore[arg-type]
    for item in task.items:
        task.choose(item.id, item.right[0].value)  # type: ignore[arg-type]
    work = LearnerWork("a.json", "a", {"case2-ex1": task.to_state()})
    ex = aggregate(counting, [work], lesson_titles()).exercise("case2-ex1")
    assert (ex.answered, ex.finished) == (1, 1)
    assert all(a.verdict == "accepted" for i in ex.items for a in i.answers if a.count)


def test_saved_under_an_earlier_key_still_counts(course: Course, counting: Counting) -> None:
    state = _answers("case2-ex1", {"value_for_money": "customers"}, course)
    ex = aggregate(counting, [LearnerWork("a.json", "a", {"case2/stakeholders": state})],
                   lesson_titles()).exercise("case2-ex1")
    assert ex.answered == 1


def test_hostile_states_never_stop_the_board(counting: Counting) -> None:
    junk = [None, 1, "x" * 100_000, [1, 2], {"answers": {"value_for_money": ["<b>", {"a": 1}]}},
            {"arrows": [["a", "b", "c"]] * 10_000}, {"answers": "nope"}]
    works = [LearnerWork(f"{n}.json", f"l{n}", {e: j for e in counting.registry.exercises}) for n, j in
             enumerate(junk)]
    board = aggregate(counting, works, lesson_titles())
    assert board.learners == len(junk)
    assert {e.id for e in board.exercises} == set(counting.memo.talliers)


def test_every_lesson_with_exercises_is_on_the_board_in_reading_order(counting: Counting) -> None:
    board = aggregate(counting, [], lesson_titles())
    assert [lesson.id for lesson in board.lessons] == [
        lesson_id for lesson_id, _ in lesson_titles() if counting.registry.of_lesson(lesson_id)]
    assert board.lessons[1].title.startswith("CASE1")


def test_design_sheets_saved_in_the_files_make_the_class_overview(course: Course, counting: Counting) -> None:
    from kyodo.design.export import read_export

    folder = Path(__file__).resolve().parents[1] / "data" / "samples" / "designs"
    samples = sorted(folder.glob("group*.html"))
    assert len(samples) == 3
    works = [LearnerWork(f"{n}.json", f"l{n}", {f"design/{step}": state
                                                 for step, state in read_export(p, course).to_states().items()})
             for n, p in enumerate(samples)]
    works.append(LearnerWork("blank.json", "blank", {"case2-ex1": {"answers": {}}}))
    board = aggregate(counting, works, lesson_titles())
    assert len(board.designs.entries) == len(samples)
    assert sorted(e.design.title for e in board.designs.entries) == sorted(
        read_export(p, course).title for p in samples)


# --- the server over a folder: a real tornado server on 127.0.0.1 ---------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, course: Course, counting: Counting) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "room"
    _room(folder, course)
    port = _free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        app = make_app(folder_source(folder, counting, lesson_titles()), "/")
        server = app.listen(port, address="127.0.0.1")
        started.set()
        loop.run_forever()
        server.stop()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    try:
        yield f"http://127.0.0.1:{port}/", folder
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def test_the_facilitator_view_shows_the_room_and_escapes_it(served: tuple[str, Path]) -> None:
    url, _ = served
    page = requests.get(url, timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "no-store" in page.headers["Cache-Control"]
    text = page.text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x onerror" not in text
    assert "cut.json" in text and "JSON として読めません" in text
    assert "ステークホルダーは何を期待しているか" in text
    assert "fragment" in text, "the page does not refresh itself"
    assert "田中" not in text, "a name without asking"
    assert "田中" in requests.get(url + "?names=1", timeout=30).text


def test_the_projector_view_never_shows_a_name(served: tuple[str, Path]) -> None:
    url, _ = served
    for address in (url + "projector", url + "projector?names=1", url + "fragment?view=projector&names=1"):
        text = requests.get(address, timeout=30).text
        for name in ("田中", "onerror", "sato", "yamada", "cut.json", "tanaka"):
            assert name not in text, (address, name)
        assert "顧客の目" in text, "the shared note (without its name) is missing"


def test_a_shared_note_reaches_the_board_only_after_consent(served: tuple[str, Path]) -> None:
    url, folder = served
    note = NoteWidget("notes/case3/reflection", "振り返りメモ", store=Store.open(folder, "yamada"), debounce=10)
    note.text.value = "堆肥の行き先が意外だった"
    note.flush()
    time.sleep(2.1)  # the board reads the room at most every two seconds
    assert "堆肥の行き先が意外だった" not in requests.get(url + "fragment?view=projector", timeout=30).text
    note.share.value = True
    time.sleep(2.1)
    assert "堆肥の行き先が意外だった" in requests.get(url + "fragment?view=projector", timeout=30).text
    note.share.value = False
    time.sleep(2.1)
    assert "堆肥の行き先が意外だった" not in requests.get(url + "fragment?view=projector", timeout=30).text


def test_the_record_of_the_session_downloads(served: tuple[str, Path]) -> None:
    url, _ = served
    answer = requests.get(url + "board.csv", timeout=30)
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert any("case2-ex1" in row and "1" in row for row in rows)
    chart = requests.get(url + "charts/case2-ex1.png", timeout=60)
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert requests.get(url + "charts/nothing-here.png", timeout=30).status_code == 404
    record = requests.get(url + "record.zip", timeout=120)
    names = zipfile.ZipFile(io.BytesIO(record.content)).namelist()
    assert any(n.endswith(".csv") for n in names) and any(n.endswith("case2-ex1.png") for n in names)
