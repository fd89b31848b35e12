"""Widgets driven as a learner would: set values, click, read what they show."""

from __future__ import annotations


import ipywidgets as W
import pytest

import kyodo
from kyodo.registry import load_registry
from kyodo.storage import Store
from kyodo.text import msg
from kyodo.widgets.common import ExerciseWidget, Task
from kyodo.widgets.donation import DonationWidget
from kyodo.widgets.edges import EdgeBuilderWidget
from kyodo.widgets.flowmap import FlowMapWidget
from kyodo.widgets.network import NetworkWidget
from kyodo.widgets.notes import MAX_CHARS, NoteWidget
from kyodo.widgets.choice import ChoiceWidget

MONITORS, CITY, FARM = "citizen_monitors", "city_waste_reduction", "meiji_kurokawa"


def choose(w: FlowMapWidget, source, target, item) -> None:
    w.source.value, w.target.value, w.item.value = source, target, item
    w.add_button.click()


@pytest.fixture
def flow(course, store) -> FlowMapWidget:
    return kyodo.exercise("case3-ex1", store=store)


def test_flow_widget_starts_empty_with_choices(flow):
    assert flow.source.value is None and flow.item.value is None
    assert [label for label, _ in flow.source.options][1:] == ["明治大学黒川農場", "川崎市環境局", "市民モニター"]
    assert flow.edge_list.options == ()
    assert flow.feedback.text == ""


def test_adding_shows_the_arrow_in_the_list_and_saves(flow, store, private_workspace):
    choose(flow, CITY, FARM, "生ごみ堆肥")
    assert flow.edge_list.options == (("川崎市環境局 → 明治大学黒川農場: 生ごみ堆肥", 0),)
    assert "追加しました" in flow.feedback.text and flow.feedback.kind == "info"
    assert Store.open(private_workspace, "tester").get("case3-ex1") == {
        "arrows": [[CITY, FARM, "生ごみ堆肥"]]}


def test_nothing_selected_gives_a_warning_not_an_error(flow):
    flow.add_button.click()
    assert flow.feedback.kind == "warning"
    assert "まだ選ばれていません" in flow.feedback.text


def test_self_arrow_and_duplicate_are_explained(flow):
    choose(flow, CITY, CITY, "生ごみ堆肥")
    assert "別の主体を選んでください" in flow.feedback.text
    choose(flow, CITY, FARM, "生ごみ堆肥")
    choose(flow, CITY, FARM, "生ごみ堆肥")
    assert "もう作ってあります" in flow.feedback.text
    assert len(flow.edge_list.options) == 1


def test_check_shows_feedback_per_arrow(flow):
    choose(flow, FARM, CITY, "生ごみ堆肥")
    choose(flow, CITY, FARM, "カード利用金額の0.1%の寄付")
    flow.check_button.click()
    text = flow.feedback.text
    assert "🔁" in text and "向きが逆" in text
    assert "CASE2" in text
    assert "まだ 4 本足りません" in flow.feedback.widget.value
    assert flow.figure is None


def test_complete_map_draws_both_maps_with_japanese_labels(flow):
    for f in flow.task.case.flows:
        choose(flow, f.source, f.target, f.item)
    flow.check_button.click()
    assert flow.feedback.kind == "success"
    assert flow.figure is not None and len(flow.figure.axes) == 2
    titles = [ax.get_title() for ax in flow.figure.axes]
    assert titles == ["あなたの図", "パンフレットの連携図 (講座による整理)"]
    texts = {t.get_text() for ax in flow.figure.axes for t in ax.texts}
    assert "運搬" in texts and "市民モニター" in texts
    assert "市民モニター から 川崎市環境局 へ: 回収" in flow.alt_text


def test_hint_button(flow):
    flow.hint_button.click()
    assert "川崎市環境局" in flow.feedback.text and "足りません" in flow.feedback.text


def test_remove_needs_a_selection(flow):
    flow.remove_button.click()
    assert "一覧から選んでください" in flow.feedback.text
    choose(flow, CITY, FARM, "生ごみ堆肥")
    flow.edge_list.value = 0
    flow.remove_button.click()
    assert flow.edge_list.options == () and "消しました" in flow.feedback.text


def test_reset_asks_first_then_clears_and_forgets(flow, private_workspace):
    flow.reset_button.click()
    assert "消すものはありません" in flow.feedback.text
    choose(flow, CITY, FARM, "生ごみ堆肥")
    flow.reset_button.click()
    assert "もう一度" in flow.feedback.text and len(flow.task.arrows) == 1
    flow.reset_button.click()
    assert flow.task.arrows == [] and flow.edge_list.options == ()
    assert Store.open(private_workspace, "tester").get("case3-ex1") is None


def test_another_action_cancels_a_pending_reset(flow):
    choose(flow, CITY, FARM, "生ごみ堆肥")
    flow.reset_button.click()
    flow.hint_button.click()
    flow.reset_button.click()
    assert len(flow.task.arrows) == 1


def test_work_survives_a_restart(course, private_workspace):
    first = kyodo.exercise("case3-ex1", store=Store.open(private_workspace, "tester"))
    choose(first, CITY, FARM, "生ごみ堆肥")
    choose(first, MONITORS, CITY, "投入した生ごみの報告")
    restarted = kyodo.exercise("case3-ex1", store=Store.open(private_workspace, "tester"))
    assert len(restarted.edge_list.options) == 2
    assert "前回の続きから再開します" in restarted.feedback.text


def test_corrupted_progress_is_reported_in_the_widget(course, private_workspace):
    private_workspace.mkdir(parents=True)
    (private_workspace / "tester.json").write_text("{broken", encoding="utf-8")
    w = kyodo.exercise("case3-ex1", store=Store.open(private_workspace, "tester"))
    assert w.feedback.kind == "warning" and "壊れていた" in w.feedback.text


def test_unexpected_error_in_a_callback_becomes_a_message(flow, monkeypatch):
    def boom(*_):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(flow.task, "check", boom)
    flow.check_button.click()
    assert flow.feedback.kind == "error"
    assert "RuntimeError" in flow.feedback.text and "internal detail" not in flow.feedback.text


def test_save_failure_is_reported(flow, monkeypatch):
    def full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(flow.store, "save", full)
    choose(flow, CITY, FARM, "生ごみ堆肥")
    assert flow.feedback.kind == "warning" and "保存できませんでした" in flow.feedback.text


# --- a choice exercise (CASE3 演習2) --------------------------------------------------

def right(widget: ChoiceWidget, item) -> str:
    return str(item.right[0].value)


@pytest.fixture
def sorting(store) -> ChoiceWidget:
    return kyodo.exercise("case3-ex2", store=store)


def test_choice_widget_check_marks_each_row(sorting):
    items = sorting.task.items
    sorting.dropdowns[items[0].id][0].value = right(sorting, items[0])
    wrong = next(o.id for o in sorting.task.options if all(a.value != o.id for a in items[1].accepted))
    sorting.dropdowns[items[1].id][0].value = wrong
    sorting.check_button.click()
    assert "✅" in sorting.marks[items[0].id].value
    assert "❌" in sorting.marks[items[1].id].value
    assert "…" in sorting.marks[items[2].id].value
    assert sorting.feedback.kind == "warning"
    assert "8 項目のうち 1 項目ができています" in sorting.feedback.widget.value


def test_choice_all_right_is_success(sorting):
    for item in sorting.task.items:
        sorting.dropdowns[item.id][0].value = right(sorting, item)
    sorting.check_button.click()
    assert sorting.feedback.kind == "success" and "すべてできています" in sorting.feedback.widget.value


def test_choice_nothing_chosen(sorting):
    sorting.check_button.click()
    assert sorting.feedback.kind == "info" and "まだ一つも選ばれていません" in sorting.feedback.text


def test_choice_restores_and_resets(private_workspace):
    w = kyodo.exercise("case3-ex2", store=Store.open(private_workspace, "tester"))
    item = w.task.items[0]
    w.dropdowns[item.id][0].value = right(w, item)
    again = kyodo.exercise("case3-ex2", store=Store.open(private_workspace, "tester"))
    assert again.dropdowns[item.id][0].value == right(w, item)
    again.reset_button.click()
    again.reset_button.click()
    assert again.dropdowns[item.id][0].value is None
    assert Store.open(private_workspace, "tester").get("case3-ex2") is None


def test_choice_hint(sorting):
    sorting.hint_button.click()
    assert "見直しましょう" in sorting.feedback.text


# --- notes ------------------------------------------------------------------------

def test_note_saves_after_typing_pauses(store, private_workspace):
    note = NoteWidget("notes/x", "メモ", store=store, debounce=0.05)
    note.text.value = "市と大学の役割"
    assert note._timer is not None
    note._timer.join(1)
    assert Store.open(private_workspace, "tester").get("notes/x") == {"text": "市と大学の役割", "share": False, "prompt": "メモ"}
    assert "保存しました (7 文字)" in note.status.value


def test_note_cuts_huge_and_cleans_control_characters(store):
    note = NoteWidget("notes/x", "メモ", store=store, debounce=10)
    note.text.value = "a\x00b\x1b[31m"
    assert note.text.value == "ab[31m" and "制御文字" in note.feedback.text
    note.text.value = "あ" * (MAX_CHARS + 50)
    assert len(note.text.value) == MAX_CHARS and "切りました" in note.feedback.text
    note.flush()


def test_note_escapes_html_everywhere(store, private_workspace):
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    note = NoteWidget("notes/x", "<b>問い</b>", store=store, debounce=10)
    note.text.value = hostile
    note.flush()
    assert "<b>問い</b>" not in note.ui.children[0].value and "&lt;b&gt;" in note.ui.children[0].value
    again = NoteWidget("notes/x", "メモ", store=Store.open(private_workspace, "tester"))
    assert again.text.value == hostile  # kept exactly as typed; Textarea shows text, not HTML
    again.feedback.show("info", hostile)
    assert "<script>" not in again.feedback.widget.value and "&lt;script&gt;" in again.feedback.widget.value


# --- issue 9, defect 3: 「保存しました」 only when the save worked --------------------------

SAVE_ERRORS = {
    "disk full": OSError(28, "No space left on device"),
    "lone surrogate": UnicodeEncodeError("utf-8", "\udce9", 0, 1, "surrogates not allowed"),
    "anything": RuntimeError("internal detail"),
}


def _note(store):
    w = NoteWidget("notes/x", "メモ", store=store, debounce=10)
    return w, lambda text: setattr(w.text, "value", text), lambda: w.text.value


def _form(store):
    from kyodo.design.sheet import issue_fields, key
    from kyodo.widgets.form import TextFormWidget

    w = TextFormWidget(key("issue"), "1", "t", "i", issue_fields(), store=store, debounce=10)
    return w, lambda text: setattr(w.inputs["issue"], "value", text), lambda: w.inputs["issue"].value


def _partners(store):
    from kyodo.widgets.partners import PartnersWidget

    w = PartnersWidget(kyodo.cells.course(), store=store, debounce=10)
    return w, lambda text: setattr(w.cards[0].name, "value", text), lambda: w.cards[0].name.value


TYPING_WIDGETS = {"note": _note, "form": _form, "partners": _partners}


@pytest.mark.parametrize("error", list(SAVE_ERRORS))
@pytest.mark.parametrize("make", list(TYPING_WIDGETS))
def test_a_failed_save_never_says_saved(make, error, store, monkeypatch):
    w, type_text, shown = TYPING_WIDGETS[make](store)
    type_text("最初の文")
    w.flush()
    assert "保存しました" in w.status.value

    def fail(*_args, **_kw):
        raise SAVE_ERRORS[error]

    monkeypatch.setattr(w.store, "save", fail)
    type_text("保存できない文")
    w.flush()
    assert "保存しました" not in w.status.value  # not even the last save's line
    assert w.feedback.kind == "warning" and "保存できませんでした" in w.feedback.text
    assert "internal detail" not in w.feedback.text
    assert shown() == "保存できない文"  # the text stays on screen


@pytest.mark.parametrize("error", list(SAVE_ERRORS))
def test_save_errors_in_the_background_become_messages_not_tracebacks(error, store, monkeypatch):
    import threading

    hooked: list = []
    monkeypatch.setattr(threading, "excepthook", hooked.append)

    def fail(*_args, **_kw):
        raise SAVE_ERRORS[error]

    note = NoteWidget("notes/x", "メモ", store=store, debounce=0.01)
    monkeypatch.setattr(note.store, "save", fail)
    note.text.value = "背景で保存"
    timer = note._timer
    assert timer is not None
    timer.join(2)
    assert hooked == []  # no thread traceback
    assert note.feedback.kind == "warning" and "保存できませんでした" in note.feedback.text
    assert "保存しました" not in note.status.value and note.text.value == "背景で保存"


def test_a_lone_surrogate_in_a_note_is_saved_not_lost(store, private_workspace):
    note = NoteWidget("notes/x", "メモ", store=store, debounce=10)
    note.text.value = "ab\udce9"
    note.flush()
    assert "保存しました" in note.status.value and note.feedback.kind is None
    assert Store.open(private_workspace, "tester").get("notes/x") == {"text": "ab\udce9", "share": False, "prompt": "メモ"}


def test_a_file_from_a_newer_version_is_reported_and_saves_are_refused(private_workspace):
    import json

    from kyodo import storage

    private_workspace.mkdir(parents=True)
    path = private_workspace / "tester.json"
    content = json.dumps({"format": storage.FORMAT, "version": storage.VERSION + 1, "exercises": {}})
    path.write_text(content, encoding="utf-8")
    note = NoteWidget("notes/x", "メモ", store=Store.open(private_workspace, "tester"), debounce=10)
    assert note.feedback.kind == "warning" and "新しい版" in note.feedback.text
    note.text.value = "書いた文"
    note.flush()
    assert "保存しました" not in note.status.value
    assert "新しい版" in note.feedback.text and note.text.value == "書いた文"
    assert path.read_text(encoding="utf-8") == content


# --- issue 9, defect 8: nothing typed is lost at exit; notices say what happened -----------

TYPE_AND_EXIT = """
import pathlib, sys
from kyodo.storage import Store
from kyodo.widgets.notes import NoteWidget
note = NoteWidget("notes/x", "メモ", store=Store.open(pathlib.Path(sys.argv[1]), "tester"), debounce=60)
note.text.value = "最後の一秒に書いた文"
"""


def test_text_typed_just_before_exit_is_saved(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", TYPE_AND_EXIT, str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert Store.open(tmp_path, "tester").get("notes/x") == {"text": "最後の一秒に書いた文", "share": False, "prompt": "メモ"}


def test_text_typed_just_before_the_kernel_shuts_down_is_saved(tmp_path):
    """Closing the notebook or restarting the kernel: Jupyter asks the kernel to shut down."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        code = TYPE_AND_EXIT.replace("sys.argv[1]", repr(str(tmp_path)))
        reply = kc.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a polite shutdown request, as JupyterLab sends
    assert Store.open(tmp_path, "tester").get("notes/x") == {"text": "最後の一秒に書いた文", "share": False, "prompt": "メモ"}


def test_after_a_broken_file_is_set_aside_the_first_save_says_its_own_message(course, private_workspace):
    private_workspace.mkdir(parents=True)
    (private_workspace / "tester.json").write_text("{broken", encoding="utf-8")
    store = Store.open(private_workspace, "tester")
    flow = kyodo.exercise("case3-ex1", store=store)
    note = NoteWidget("notes/x", "メモ", store=store, debounce=10)
    assert "壊れていた" in flow.feedback.text and "壊れていた" in note.feedback.text  # told when it opens
    choose(flow, CITY, FARM, "生ごみ堆肥")
    assert "追加しました" in flow.feedback.text and "壊れていた" not in flow.feedback.text
    note.text.value = "新しいメモ"
    note.flush()
    assert "保存しました" in note.status.value
    later = NoteWidget("notes/y", "メモ", store=store, debounce=10)
    assert "壊れていた" not in later.feedback.text  # said once, not again and again


UNREADABLE = {"notes/x": 42, "case3-ex1": "garbage", "design/issue": {"values": ["not", "a", "dict"]}}


def test_an_unreadable_state_in_a_valid_file_is_named_and_kept(course, private_workspace):
    import json

    from kyodo import storage
    from kyodo.design.sheet import issue_fields, key
    from kyodo.widgets.form import TextFormWidget

    private_workspace.mkdir(parents=True)
    path = private_workspace / "tester.json"
    path.write_text(json.dumps({"format": storage.FORMAT, "version": 1, "exercises": UNREADABLE}), encoding="utf-8")
    store = Store.open(private_workspace, "tester")
    widgets = {
        "notes/x": NoteWidget("notes/x", "メモ", store=store, debounce=10),
        "case3-ex1": kyodo.exercise("case3-ex1", store=store),
        "design/issue": TextFormWidget(key("issue"), "1", "t", "i", issue_fields(), store=store, debounce=10),
    }
    for name, w in widgets.items():
        assert w.feedback.kind == "warning" and name in w.feedback.text and "読めない" in w.feedback.text, name
    assert json.loads(path.read_text(encoding="utf-8"))["exercises"] == UNREADABLE  # kept until new work
    widgets["notes/x"].text.value = "新しい答え"
    widgets["notes/x"].flush()
    kept = json.loads(path.read_text(encoding="utf-8"))["exercises"]
    assert kept["notes/x"] == {"text": "新しい答え", "share": False, "prompt": "メモ"} and kept["case3-ex1"] == "garbage"


def test_states_saved_by_the_widgets_themselves_are_never_called_unreadable(store, private_workspace, monkeypatch):
    from kyodo import design, storage

    for spec in load_registry().exercises.values():
        w = kyodo.exercise(spec.id, store=store)
        w.save()
        again = kyodo.exercise(spec.id, store=Store.open(private_workspace, "tester"))
        assert "読めない" not in again.feedback.text, spec.id
    steps = [design.step_issue, design.step_gaps, design.step_partners, design.step_logic, design.step_contact,
             design.step_first_step, design.summary]
    for step in steps:
        w = step()
        if hasattr(w, "more_button"):
            w.more_button.click()
        w.save()
        monkeypatch.setattr(storage, "_open_stores", {})  # the next session
        assert "読めない" not in step().feedback.text, step.__name__
    NoteWidget("notes/empty", "メモ", store=store).save()
    assert "読めない" not in NoteWidget("notes/empty", "メモ", store=Store.open(private_workspace, "tester")).feedback.text


# --- the facade ---------------------------------------------------------------------

def test_facade_builds_every_case3_exercise():
    assert isinstance(kyodo.exercise("case3-ex1"), FlowMapWidget)
    assert isinstance(kyodo.exercise("case3-ex2"), ChoiceWidget)
    assert isinstance(kyodo.exercise("case3-ex3"), ChoiceWidget)
    assert isinstance(kyodo.note("case3/reflection", "振り返り"), NoteWidget)


def test_facade_shows_data_problems_as_a_message(monkeypatch):
    from kyodo import cells
    from kyodo.data import DataError, Problem

    def broken():
        raise DataError([Problem("data/cases/case3.yml", "項目 'page'", "<整数>で書いてください")])

    shown = []
    monkeypatch.setattr(cells, "course", broken)
    monkeypatch.setattr(cells, "display", shown.append)
    assert kyodo.exercise("case3-ex2") is None
    [html] = shown
    assert "data/cases/case3.yml" in html.data and "&lt;整数&gt;で書いてください" in html.data
    assert "Traceback" not in html.data


def test_dropdowns_show_the_prompt_when_nothing_is_chosen(sorting, flow):
    item = sorting.task.items[0]
    dropdown = sorting.dropdowns[item.id][0]
    assert dropdown.label == "(選んでください)" and dropdown.value is None
    dropdown.value = right(sorting, item)
    sorting.reset_button.click()
    sorting.reset_button.click()
    assert dropdown.label == "(選んでください)" and dropdown.value is None
    assert flow.source.label == flow.target.label == flow.item.label == "(選んでください)"


# --- the base loop (check / hint / reset / restore / save) on a tiny fake task ----------------

class FakeTask:
    """The smallest :class:`Task`: a list of typed words."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.resets = 0
        self.hints = 0

    @property
    def answered(self) -> int:
        return len(self.words)

    def to_state(self) -> dict:
        return {"words": list(self.words)}

    def load_state(self, state) -> int:
        words = state.get("words") if isinstance(state, dict) else None
        self.words = [w for w in words or () if isinstance(w, str)]
        return len(self.words)

    def reset(self) -> None:
        self.words = []
        self.resets += 1

    def hint(self) -> str:
        self.hints += 1
        return f"ヒント{self.hints}"

    def check(self) -> tuple[str, int]:
        return ("verdict", len(self.words))


class FakeWidget(ExerciseWidget):
    """One text box: each value typed is a word; the box shows the words joined."""

    def __init__(self, store: Store, legacy_keys: tuple[str, ...] = ()):
        super().__init__("fake-ex1", store, legacy_keys)
        self.task = FakeTask()
        self.checks: list = []
        self.after_resets = 0
        self.box = W.Text(value="")
        self.box.observe(self._on_type, names="value")
        self.add_check_buttons()
        self.ui = W.VBox([self.box, self.check_buttons_row(), self.feedback.widget])
        self.restore_quietly()

    def _on_type(self, change) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        self.task.words.append(change["new"])
        self.save()

    def show_task(self) -> None:
        self.box.value = ",".join(self.task.words)

    def show_check(self, result) -> None:
        self.checks.append(result)
        self.feedback.show("success", f"{result[0]} {result[1]}")

    def after_reset(self) -> None:
        self.after_resets += 1


def test_fake_task_meets_the_protocol():
    assert isinstance(FakeTask(), Task) and not isinstance(object(), Task)


def test_base_check_hands_the_tasks_verdict_to_the_hook(store):
    w = FakeWidget(store)
    w.box.value = "a"
    w.box.value = "b"
    w.check_button.click()
    assert w.checks == [("verdict", 2)] and w.feedback.kind == "success" and w.feedback.text == "verdict 2"


def test_base_check_error_becomes_a_message(store, monkeypatch):
    w = FakeWidget(store)
    monkeypatch.setattr(w.task, "check", lambda: 1 / 0)
    w.check_button.click()
    assert w.checks == [] and w.feedback.kind == "error" and "ZeroDivisionError" in w.feedback.text


def test_base_hint_shows_the_tasks_next_hint(store):
    w = FakeWidget(store)
    w.hint_button.click()
    w.hint_button.click()
    assert w.feedback.kind == "info" and w.feedback.text == "ヒント2"


def test_base_reset_asks_with_the_count_then_clears_resyncs_and_forgets(store, private_workspace):
    w = FakeWidget(store)
    w.reset_button.click()
    assert w.feedback.text == msg("widget.reset_nothing") and w.reset_button.description == msg("widget.btn_reset")
    w.box.value = "a"
    w.box.value = "b"
    w.reset_button.click()
    assert w.feedback.kind == "warning" and w.feedback.text == msg("widget.reset_ask_answers", n=2)
    assert w.reset_button.description == msg("widget.btn_reset_confirm") and w.task.resets == 0
    w.reset_button.click()
    assert w.task.resets == 1 and w.task.words == [] and w.after_resets == 1
    assert w.box.value == ""  # re-synced from the task, quietly: the observer did not take "" for a word
    assert w.feedback.text == msg("widget.reset_done") and w.reset_button.description == msg("widget.btn_reset")
    assert Store.open(private_workspace, "tester").get("fake-ex1") is None


def test_base_reset_question_is_the_subclass_message(store):
    class Arrows(FakeWidget):
        reset_ask = "widget.reset_ask"

    w = Arrows(store)
    w.box.value = "a"
    w.reset_button.click()
    assert w.feedback.text == msg("widget.reset_ask", n=1)


def test_base_another_action_cancels_a_pending_reset(store):
    w = FakeWidget(store)
    w.box.value = "a"
    w.reset_button.click()
    w.check_button.click()
    assert w.reset_button.description == msg("widget.btn_reset")
    w.reset_button.click()
    assert w.task.resets == 0 and w.task.words == ["a"] and w.feedback.kind == "warning"


def test_base_restore_loads_the_task_then_resyncs_quietly(private_workspace):
    Store.open(private_workspace, "tester").save("fake/old", {"words": ["x", "y"]})
    w = FakeWidget(Store.open(private_workspace, "tester"), legacy_keys=("fake/old",))
    assert w.task.words == ["x", "y"] and w.box.value == "x,y"  # the observer ignored the resync
    assert w.feedback.kind == "info" and w.feedback.text == msg("widget.restored", n=2)
    assert w.state() == {"words": ["x", "y"]}
    assert w.restore("garbage") == 0 and w.box.value == ""
    w.box.value = "z"
    saved = Store.open(private_workspace, "tester")
    assert saved.get("fake-ex1") == {"words": ["z"]} and saved.get("fake/old") is None


def test_base_save_failure_is_reported(store, monkeypatch):
    w = FakeWidget(store)

    def full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(w.store, "save", full)
    w.box.value = "a"
    assert w.feedback.kind == "warning" and w.feedback.text == msg("widget.save_failed", error="No space left on device")


def test_every_exercise_with_logic_uses_the_task_protocol(store):
    own_shape = (DonationWidget,)
    kinds = set()
    for spec in load_registry().exercises.values():
        w = kyodo.exercise(spec.id, store=store)
        assert isinstance(w, ExerciseWidget), spec.id
        if isinstance(w, own_shape):
            assert not hasattr(w, "task"), spec.id
            continue
        assert isinstance(w.task, Task), spec.id
        kinds.add(spec.kind)
    assert kinds == {"choice", "flow_map", "network", "contact_plan", "gap_finder", "logic_model", "first_questions"}


def _first_tie() -> tuple[str, str, str | None]:
    from kyodo.exercises.network import NetworkParams

    tie = load_registry().get("case5-ex2").parsed(NetworkParams).model_answer[0]
    return tie.a, tie.b, tie.occasion


@pytest.mark.parametrize("exercise_id, edge", [("case3-ex1", lambda: (CITY, FARM, "生ごみ堆肥")),
                                               ("case5-ex2", _first_tie)])
def test_edge_builders_refuse_and_report_save_failures_alike(exercise_id, edge, store, monkeypatch):
    w = kyodo.exercise(exercise_id, store=store)
    assert isinstance(w, EdgeBuilderWidget) and isinstance(w, (FlowMapWidget, NetworkWidget))
    w.add_button.click()
    assert w.feedback.kind == "warning" and w.task.answered == 0 and w.edge_list.options == ()

    def full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(w.store, "save", full)
    for end, value in zip(w.ends, edge()):
        end.value = value
    w.add_button.click()
    assert len(w.edge_list.options) == 1 and w.task.answered == 1
    assert w.feedback.kind == "warning" and "保存できませんでした" in w.feedback.text
