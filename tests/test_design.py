"""The design sheet (capstone): steps, checks, export/import, widgets and the class overview."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kyodo.design import SAMPLE_FOLDER
from kyodo.design.checks import check_design
from kyodo.design.export import ImportProblem, parse_export, read_export, to_html, to_markdown
from kyodo.design.overview import check_label, read_folder, table_rows
from kyodo.design.sheet import STEPS, design_from_states, key
from kyodo.storage import Store
from kyodo.widgets.design_summary import DesignSummaryWidget
from kyodo.widgets.form import TextFormWidget
from kyodo.widgets.partners import PartnersWidget

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"

COMPLETE = {
    "issue": {"values": {"team": "架空の例 テスト班", "issue": "駅前の放置自転車", "affected": "高齢者"}},
    "gaps": {"purpose": "駅前を安心して歩ける道にする", "own_type": "government", "rows": [
        {"text": "呼びかけ", "status": "have", "kind": None},
        {"text": "調査の方法", "status": "missing", "kind": "knowledge_skills"},
        {"text": "若い参加者", "status": "missing", "kind": "human_network"}]},
    "partners": {"partners": [
        {"name": "大学 (架空)", "type": "university", "fills": [2], "reason": "調査を知っている", "purpose": "研究と教育",
         "motives": "学期がある", "gains": "実習の場", "role": "調査を設計する"},
        {"name": "市民団体 (架空)", "type": "citizen_group", "fills": [3], "reason": "若い人が多い", "purpose": "美化",
         "motives": "楽しさ", "gains": "活動の場", "role": "呼びかけを企画する"}]},
    "logic": {"purpose": "駅前を安心して歩ける道にする", "entries": [
        {"id": "r1", "kind": "resource", "text": "調査の知識", "target": ["", "", ""]},
        {"id": "a1", "kind": "activity", "text": "実態調査", "target": ["", "", ""]},
        {"id": "o1", "kind": "outcome", "text": "放置自転車が減る", "target": ["台数", "半分", "3月まで"]}],
        "links": [["r1", "a1"], ["a1", "o1"]]},
    "contact": {"title": "", "marks": {"meeting": [4, 6, 9, 12, 2], "event": [10], "report": [11, 3]},
                "main_event": 10},
    "first_step": {"values": {"question": "担当の課はどこか", "who": "担当者", "when": "来月"}},
}


def states(**changes):
    result = copy.deepcopy(COMPLETE)
    result.update(changes)
    return result


def codes(course, raw) -> set[str]:
    return check_design(design_from_states(course, raw)).codes()


def test_a_complete_design_passes(course):
    check = check_design(design_from_states(course, COMPLETE))
    assert check.complete, [f.message for f in check.problems]
    assert check.steps_done == STEPS
    assert "問題はありません" in check.summary


def test_empty_design_lists_every_step(course):
    check = check_design(design_from_states(course, {}))
    assert check.steps_done == ()
    assert {f"empty_{s}" for s in STEPS} <= check.codes()


def test_gap_that_no_partner_fills(course):
    raw = states()
    raw["partners"]["partners"][1]["fills"] = []
    design = design_from_states(course, raw)
    check = check_design(design)
    assert "unfilled_gap" in check.codes()
    assert any("「若い参加者」を埋める相手がいません" in f.message for f in check.problems)
    assert any(f.code == "partner_fills_nothing" and "市民団体" in f.message for f in check.notes)


def test_partner_who_gains_nothing_and_is_not_understood(course):
    raw = states()
    raw["partners"]["partners"][0].update({"gains": "", "purpose": "", "motives": "", "role": ""})
    found = codes(course, raw)
    assert {"partner_no_gain", "partner_not_understood", "partner_no_role"} <= found


def test_outcome_without_target_and_activity_serving_nothing(course):
    raw = states()
    raw["logic"]["entries"][2]["target"] = ["", "", ""]
    raw["logic"]["entries"].append({"id": "a2", "kind": "activity", "text": "チラシ配り", "target": ["", "", ""]})
    found = codes(course, raw)
    assert {"outcome_no_target", "activity_no_outcome"} <= found


def test_contact_gaps_come_from_the_plan(course):
    raw = states(contact={"title": "", "marks": {"event": [7]}, "main_event": 7})
    found = codes(course, raw)
    assert "contact_gap" in found and check_label("contact_gap") == "一年の接点の計画に課題"
    overview_codes = {"contact" if c.startswith("contact_") else c for c in found}
    assert "contact" in overview_codes


def test_hostile_and_malformed_states_are_dropped(course):
    raw = states(partners={"partners": [{"name": HOSTILE, "type": "dragon", "fills": [2, "x", True, 99],
                                         "gains": 5}, "not a card", {"name": ""}]},
                 issue="nonsense", logic=[1, 2], contact={"marks": "all"})
    design = design_from_states(course, raw)
    [partner] = design.partners
    assert partner.type_id is None and partner.fills == (2,) and partner.gains == ""  # 99 is no row number
    assert design.issue == {} and design.logic.size == 0 and design.contact.mark_count == 0


def test_export_escapes_learner_text_and_imports_back(course):
    raw = states()
    raw["issue"]["values"]["team"] = HOSTILE
    raw["partners"]["partners"][0]["gains"] = "```\n-->\n</script>"
    design = design_from_states(course, raw)
    html = to_html(design)
    md = to_markdown(design)
    for text in (html, md):
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert" in html
    assert "\\<script\\>alert" in md  # Markdown escapes, not HTML entities (see the rendering tests below)
    assert html.count("<script") == 1 and 'type="application/json"' in html
    assert "https://" not in html and "http://" not in html  # a standalone page: nothing loaded
    for text in (html, md):
        again = parse_export(text, course)
        assert again.to_states() == design.to_states()


@pytest.mark.parametrize(("text", "message"), [
    ("", "この講座から書き出したデザインシートではありません"),
    ("# ただのメモ", "この講座から書き出したデザインシートではありません"),
    ("<!-- kyodo-design:!!!! -->", "途中で切れていて \\(壊れていて\\) 読めません"),  # the mark, but no payload
    ("<!-- kyodo-design:e30= -->", "この講座から書き出したデザインシートではありません"),  # {}
    ("<!-- kyodo-design:bm90IGpzb24= -->", "壊れていて読めません"),  # "not json"
    ('<!-- kyodo-design:eyJmb3JtYXQiOiAia3lvZG8tZGVzaWduIiwgInZlcnNpb24iOiA5fQ== -->', "版 9 のデザインシートは読めません"),
])
def test_import_refuses_what_is_not_a_design(course, text, message):
    with pytest.raises(ImportProblem, match=message):
        parse_export(text, course)


def test_import_refuses_huge_and_binary_files(course, tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"a" * 2_100_000)
    with pytest.raises(ImportProblem, match="大きすぎます"):
        read_export(big, course)
    binary = tmp_path / "x.md"
    binary.write_bytes(b"\xff\xfe\x00\x01")  # not UTF-8: damaged, or saved again as UTF-16
    with pytest.raises(ImportProblem, match="壊れているか、UTF-8 以外の文字コード"):
        read_export(binary, course)
    with pytest.raises(ImportProblem, match="読めませんでした"):
        read_export(tmp_path / "missing.md", course)


def test_overview_reads_the_samples_and_skips_bad_files_by_name(course):
    overview = read_folder(SAMPLE_FOLDER, course)
    assert [e.file for e in overview.entries] == ["group1.html", "group2.html", "group3.html"]
    assert sorted(s.file for s in overview.skipped) == ["broken.html", "notes.txt", "other.md"]
    assert overview.gap_kinds() == {"facilities": 3, "human_network": 3, "knowledge_skills": 1}
    assert overview.failing_checks()["unfilled_gap"] == 2 and overview.failing_checks()["contact"] == 2
    rows = table_rows(overview, course)
    assert rows[0][0] == "架空の例 1班 (区役所の職員)" and rows[1][4] == "5/6"


def test_overview_of_a_missing_or_empty_folder(course, tmp_path):
    assert read_folder(tmp_path / "nope", course).skipped[0].reason == "フォルダがありません。"
    empty = read_folder(tmp_path, course)
    assert empty.entries == () and empty.skipped == ()


# --- widgets ---------------------------------------------------------------------------

def test_text_form_saves_cleans_and_restores(private_workspace):
    from kyodo.design.sheet import issue_fields

    store = Store.open(private_workspace, "tester")
    form = TextFormWidget(key("issue"), "1", "t", "i", issue_fields(), store=store, debounce=0.01)
    form.inputs["team"].value = "3班\x00" + "x" * 100
    assert len(form.inputs["team"].value) == 60 and "\x00" not in form.inputs["team"].value
    form.inputs["issue"].value = HOSTILE
    form.flush()
    assert "保存しました" in form.status.value
    again = TextFormWidget(key("issue"), "1", "t", "i", issue_fields(), store=Store.open(private_workspace, "tester"))
    assert again.inputs["issue"].value == HOSTILE and "前回の続き" in again.feedback.text


def test_partners_take_the_gaps_of_step_2_and_suggest_partner_types(course, private_workspace):
    store = Store.open(private_workspace, "tester")
    w = PartnersWidget(course, store=store, debounce=0.01)
    assert "まだ足りないものがありません" in w.suggestions.value
    store.save(key("gaps"), COMPLETE["gaps"])
    w.refresh_button.click()
    assert [label for label, _ in w.cards[0].fills.options] == ["1. 調査の方法", "2. 若い参加者"]
    assert "大学" in w.suggestions.value and "明治大学黒川農場" in w.suggestions.value
    card = w.cards[0]
    card.name.value = "大学 (架空)"
    card.type.value = "university"
    card.fills.value = (2,)
    card.texts["gains"].value = HOSTILE
    w.flush()
    again = PartnersWidget(course, store=Store.open(private_workspace, "tester"))
    assert again.cards[0].name.value == "大学 (架空)" and again.cards[0].fills.value == (2,)
    assert again.cards[0].texts["gains"].value == HOSTILE
    assert "<script>" not in again.suggestions.value


def test_more_partners_up_to_the_limit(course, store):
    w = PartnersWidget(course, store=store)
    assert [c.box.layout.display for c in w.cards][:3] == [None, None, "none"]
    for _ in range(5):
        w.more_button.click()
    assert w.visible == 5 and w.more_button.disabled


def _store_with(private_workspace, raw) -> Store:
    store = Store.open(private_workspace, "tester")
    for step, state in raw.items():
        store.save(key(step), state)
    return store


def test_summary_checks_draws_and_exports(course, private_workspace, tmp_path):
    store = _store_with(private_workspace, COMPLETE)
    w = DesignSummaryWidget(course, store=store, export_folder=tmp_path / "exports")
    w.check_button.click()
    assert w.feedback.kind == "success"
    assert w.figure is not None and "<img src='data:image/png;base64," in w.diagram.value
    assert "大学 (架空) から 架空の例 テスト班 へ: 調査の方法 (デザインの流れ)" in w.alt_text
    assert "架空の例 テスト班 から 市民団体 (架空) へ: 活動の場 (デザインの流れ)" in w.alt_text
    w.export_button.click()
    assert "書き出しました" in w.feedback.text
    html = tmp_path / "exports" / "tester-design.html"
    assert read_export(html, course).to_states() == design_from_states(course, COMPLETE).to_states()


def test_summary_of_an_empty_design(course, store):
    w = DesignSummaryWidget(course, store=store)
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ書かれていません" in w.feedback.text
    assert "図は描けません" in w.diagram.value


def test_import_replaces_the_design_and_keeps_a_backup(course, private_workspace):
    store = _store_with(private_workspace, {"issue": {"values": {"issue": "前の課題"}}})
    w = DesignSummaryWidget(course, store=store)
    exported = to_html(design_from_states(course, COMPLETE)).encode("utf-8")
    w.upload.value = ({"name": "d.html", "type": "text/html", "size": len(exported), "content": memoryview(exported),
                       "last_modified": datetime.now(timezone.utc)},)
    w.import_button.click()
    assert w.feedback.kind == "success" and "読み込みました" in w.feedback.text
    assert Store.open(private_workspace, "tester").get(key("issue")) == COMPLETE["issue"]
    [backup] = (private_workspace / "backups").glob("tester-design-*.json")
    assert json.loads(backup.read_text(encoding="utf-8"))["issue"] == {"values": {"issue": "前の課題"}}


def test_import_of_a_foreign_file_changes_nothing(course, private_workspace):
    store = _store_with(private_workspace, {"issue": {"values": {"issue": "前の課題"}}})
    w = DesignSummaryWidget(course, store=store)
    w.import_button.click()
    assert "ファイルを選んで" in w.feedback.text
    w.upload.value = ({"name": "x.md", "type": "", "size": 3, "content": memoryview(b"abc"), "last_modified": datetime.now(timezone.utc)},)
    w.import_button.click()
    assert w.feedback.kind == "warning" and "ではありません" in w.feedback.text
    assert Store.open(private_workspace, "tester").get(key("issue")) == {"values": {"issue": "前の課題"}}
    assert not (private_workspace / "backups").exists()


def test_sample_exports_are_readable_markdown_too(course):
    md = read_export(SAMPLE_FOLDER / "group3.md", course)
    html = read_export(SAMPLE_FOLDER / "group3.html", course)
    assert md.to_states() == html.to_states()
    assert Path(SAMPLE_FOLDER / "group3.md").read_text(encoding="utf-8").startswith("# 協働・連携デザインシート")


def test_every_step_of_the_notebook_saves_under_its_own_key(private_workspace):
    from kyodo import design

    widgets = [design.step_issue(), design.step_gaps(), design.step_partners(), design.step_logic(),
               design.step_contact(), design.step_first_step()]
    assert [w.key for w in widgets] == [key(s) for s in STEPS]
    assert isinstance(design.summary(), DesignSummaryWidget)


def test_work_survives_a_new_process(private_workspace):
    """Two separate Python processes stand for a kernel before and after a restart."""
    import subprocess
    import sys
    import textwrap

    write = textwrap.dedent("""
        from kyodo import design
        form = design.step_issue()
        form.inputs["issue"].value = "駅前の放置自転車"
        form.flush()
        partners = design.step_partners()
        partners.cards[0].name.value = "大学 (架空)"
        partners.cards[0].texts["gains"].value = "実習の場"
        partners.flush()
    """)
    read = textwrap.dedent("""
        from kyodo import design
        d = design.summary().design()
        print(d.issue["issue"], d.partners[0].name, d.partners[0].gains, sep="|")
    """)
    env = {**__import__("os").environ}
    subprocess.run([sys.executable, "-c", write], check=True, env=env, capture_output=True)
    out = subprocess.run([sys.executable, "-c", read], check=True, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "駅前の放置自転車|大学 (架空)|実習の場"


def test_purpose_notes_means_and_mismatch(course):
    raw = states()
    raw["gaps"]["purpose"] = "大学と連携すること"
    check = check_design(design_from_states(course, raw))
    notes = {f.code for f in check.notes}
    assert {"purpose_is_means", "purpose_differs"} <= notes
    assert "purpose_is_means" not in {f.code for f in check_design(design_from_states(course, COMPLETE)).notes}


def test_the_design_sheet_keeps_three_kinds_of_logic_entry(course, private_workspace):
    """The CASE4 lesson's logic model has outputs; the design sheet's keeps resources → activities → outcomes."""
    from kyodo import design
    from kyodo.exercises.logic_model import BASIC_KINDS

    d = design_from_states(course, COMPLETE)
    assert d.logic.kinds == BASIC_KINDS and design_from_states(course, {}).logic.kinds == BASIC_KINDS
    assert d.logic.to_state() == COMPLETE["logic"] | {"purpose_candidate": None} | {
        "entries": [e | {"candidate": None} for e in COMPLETE["logic"]["entries"]]}
    raw = states()
    raw["logic"]["entries"].append({"id": "u1", "kind": "output", "text": "調査の回数", "target": ["", "", ""]})
    raw["logic"]["links"] += [["a1", "u1"], ["u1", "o1"]]
    foreign = design_from_states(course, raw)
    assert foreign.to_states() == d.to_states()  # the output and its arrows are dropped
    assert check_design(foreign).complete
    widget = design.step_logic()
    assert "output" not in [value for _, value in widget.kind.options]
    assert widget.task.kinds == BASIC_KINDS


# --- issue 9, defect 2: open views of the design never write stale state ---------------------------

BEFORE = {  # a design already on screen before the import: different in every step
    "issue": {"values": {"team": "前の班", "issue": "前の課題", "affected": "前の人たち"}},
    "gaps": {"purpose": "前の目的", "own_type": "citizen_group", "rows": [
        {"text": "前の必要なもの1", "status": "missing", "kind": "facilities"},
        {"text": "前の必要なもの2", "status": "missing", "kind": "facilities"},
        {"text": "前の必要なもの3", "status": "missing", "kind": "facilities"},
        {"text": "前の必要なもの4", "status": "have", "kind": None}]},
    "partners": {"partners": [{"name": f"前の相手{n}", "type": "company", "fills": [1], "reason": "前",
                               "purpose": "前", "motives": "前", "gains": "前", "role": "前"} for n in (1, 2, 3)],
                 "visible": 3},
    "logic": {"purpose": "前の目的", "entries": [
        {"id": "a1", "kind": "activity", "text": "前の活動", "target": ["", "", ""]},
        {"id": "a2", "kind": "activity", "text": "前の活動2", "target": ["", "", ""]}], "links": []},
    "contact": {"title": "前の計画", "marks": {"meeting": [4, 5, 6, 7, 8]}, "main_event": 5},
    "first_step": {"values": {"question": "前の質問", "who": "前の人", "when": "前の日"}},
}


def _shared_store_with(raw) -> Store:
    """The store the notebook's widgets share, holding ``raw``."""
    from kyodo.storage import shared_store

    store = shared_store()
    for step, state in raw.items():
        store.save(key(step), state)
    return store


def _open_step(step: str):
    from kyodo import design

    return {"issue": design.step_issue, "gaps": design.step_gaps, "partners": design.step_partners,
            "logic": design.step_logic, "contact": design.step_contact,
            "first_step": design.step_first_step}[step]()


def _edit(step: str, w) -> None:
    """One keystroke-sized change by the learner in the step's widget, saved as the widget saves it."""
    if step == "issue":
        w.inputs["affected"].value = "新しく書いた人たち"
        w.flush()
    elif step == "first_step":
        w.inputs["when"].value = "再来月"
        w.flush()
    elif step == "gaps":
        w.texts[5].value = "新しく書いた必要なもの"
    elif step == "partners":
        w.cards[0].texts["role"].value = "新しく書いた役割"
        w.flush()
    elif step == "logic":
        w.kind.value = "activity"
        w.text.value = "新しく書いた活動"
        w.add_button.click()
    elif step == "contact":
        w.toggles[("review", 3)].value = True


def _expected_after_edit(step: str, course) -> dict:
    """The imported step (as its logic reads it) with the learner's one change."""
    raw = states()
    if step == "issue":
        raw["issue"]["values"]["affected"] = "新しく書いた人たち"
    elif step == "first_step":
        raw["first_step"]["values"]["when"] = "再来月"
    elif step == "gaps":
        raw["gaps"]["rows"] += [{"text": "", "status": None, "kind": None},
                                {"text": "", "status": None, "kind": None},
                                {"text": "新しく書いた必要なもの", "status": None, "kind": None}]
    elif step == "partners":
        raw["partners"]["partners"][0]["role"] = "新しく書いた役割"
    elif step == "logic":
        raw["logic"]["entries"].append({"id": "a2", "kind": "activity", "text": "新しく書いた活動",
                                        "target": ["", "", ""]})
    elif step == "contact":
        raw["contact"]["marks"]["review"] = [3]
    return design_from_states(course, raw).to_states()[step]


@pytest.mark.parametrize("step", STEPS)
def test_an_import_reloads_the_open_step_and_its_next_edit_keeps_the_import(course, private_workspace, step):
    from kyodo import design

    store = _shared_store_with(BEFORE)
    widget = _open_step(step)
    assert design_from_states(course, {step: store.get(key(step))}).to_states()[step] == \
        design_from_states(course, BEFORE).to_states()[step]
    design.summary().import_design(design_from_states(course, COMPLETE))
    assert "読み込" in widget.feedback.text  # the view says why it changed
    _edit(step, widget)
    saved = design_from_states(course, {step: store.get(key(step))}).to_states()[step]
    assert saved == _expected_after_edit(step, course)
    on_disk = Store.open(private_workspace, "tester")
    assert design_from_states(course, {step: on_disk.get(key(step))}).to_states()[step] == saved
    # the other steps are still the imported ones
    others = design_from_states(course, {s: on_disk.get(key(s)) for s in STEPS if s != step}).to_states()
    assert all(others[s] == design_from_states(course, COMPLETE).to_states()[s] for s in STEPS if s != step)


def test_an_import_shows_the_imported_design_in_every_open_step(course, private_workspace):
    from kyodo import design

    _shared_store_with(BEFORE)
    views = {step: _open_step(step) for step in STEPS}
    design.summary().import_design(design_from_states(course, COMPLETE))
    assert views["issue"].inputs["team"].value == "架空の例 テスト班"
    assert views["gaps"].purpose.value == COMPLETE["gaps"]["purpose"] and views["gaps"].texts[3].value == ""
    partners = views["partners"]
    assert [c.name.value for c in partners.cards] == ["大学 (架空)", "市民団体 (架空)", "", "", ""]
    assert partners.cards[0].fills.value == (2,)
    assert [label for label, _ in partners.cards[0].fills.options] == ["1. 調査の方法", "2. 若い参加者"]
    assert [label for label, _ in views["logic"].entry_list.options] == [
        "[資源] 調査の知識", "[活動] 実態調査", "[成果] 放置自転車が減る"]
    assert views["contact"].toggles[("meeting", 4)].value and not views["contact"].toggles[("meeting", 5)].value
    assert views["first_step"].inputs["question"].value == "担当の課はどこか"


def test_typing_not_yet_saved_before_an_import_goes_to_the_backup_not_over_the_import(course, private_workspace):
    import time as clock

    from kyodo import design

    _shared_store_with({"issue": {"values": {"issue": "前の課題"}}})
    form = design.step_issue()
    form.debounce = 0.2
    form.inputs["issue"].value = "まだ保存されていない課題"  # the save is pending
    design.summary().import_design(design_from_states(course, COMPLETE))
    clock.sleep(0.5)  # the pending save, had it not been flushed, would fire now
    assert Store.open(private_workspace, "tester").get(key("issue")) == COMPLETE["issue"]
    assert form.inputs["issue"].value == "駅前の放置自転車"
    [backup] = (private_workspace / "backups").glob("tester-design-*.json")
    assert json.loads(backup.read_text(encoding="utf-8"))["issue"]["values"]["issue"] == "まだ保存されていない課題"


def test_a_reset_in_one_view_reloads_the_other_views_of_the_step_and_the_partners(course, private_workspace):
    from kyodo import design

    store = _shared_store_with(COMPLETE)
    first, second = design.step_gaps(), design.step_gaps()
    partners = design.step_partners()
    assert [label for label, _ in partners.cards[0].fills.options] == ["1. 調査の方法", "2. 若い参加者"]
    first.reset_button.click()
    first.reset_button.click()  # the second press clears
    assert store.get(key("gaps")) is None
    assert second.purpose.value == "" and second.texts[0].value == ""
    assert partners.cards[0].fills.options == ()
    second.texts[0].value = "新しい必要なもの"
    assert [r["text"] for r in store.get(key("gaps"))["rows"] if r["text"]] == ["新しい必要なもの"]
    assert store.get(key("gaps"))["purpose"] == ""


def test_a_save_in_one_view_reloads_the_other_view_of_the_same_step(course, private_workspace):
    from kyodo import design

    store = _shared_store_with(COMPLETE)
    first, second = design.step_first_step(), design.step_first_step()
    first.inputs["who"].value = "新しい担当"
    first.flush()
    assert second.inputs["who"].value == "新しい担当"
    second.inputs["when"].value = "再来週"
    second.flush()
    assert store.get(key("first_step"))["values"] == {"question": "担当の課はどこか", "who": "新しい担当", "when": "再来週"}


def test_a_view_that_missed_a_change_reloads_instead_of_writing(course, private_workspace):
    from kyodo import design

    store = _shared_store_with(COMPLETE)
    partners = design.step_partners()
    store.save(key("partners"), {"partners": [{"name": "別の画面の相手"}]})  # written behind the view's back
    partners.cards[1].texts["role"].value = "古い画面での入力"
    partners.flush()
    assert store.get(key("partners")) == {"partners": [{"name": "別の画面の相手"}]}
    assert partners.cards[0].name.value == "別の画面の相手" and partners.cards[1].name.value == ""
    assert "保存しませんでした" in partners.feedback.text
    assert "保存しました" not in partners.status.value


# --- issue 9, defect 4: one file never stops the class overview ----------------------------------

def _payload_file(path: Path, raw_json: bytes, html: bool = False) -> None:
    import base64

    payload = base64.b64encode(raw_json).decode("ascii")
    text = (f'<script type="application/json" id="kyodo-design">{payload}</script>' if html
            else f"<!-- kyodo-design:{payload} -->")
    path.write_text(text, encoding="utf-8")


def _hostile_folder(course, folder: Path) -> dict[str, str]:
    """A class folder with one good export and every kind of bad file; returns file -> what it is."""
    import shutil

    from kyodo.design.export import FORMAT, VERSION

    folder.mkdir()
    shutil.copy(SAMPLE_FOLDER / "group1.html", folder / "good.html")
    deep = b"[" * 200_000
    _payload_file(folder / "deep.md", deep)
    inside = b'{"format": "kyodo-design", "version": 1, "steps": {"issue": ' + deep + b"}}"
    _payload_file(folder / "deep-inside.html", inside, html=True)
    doc = states()
    doc["issue"]["values"]["team"] = "班\ud800名"
    doc["partners"]["partners"][0]["name"] = "相手\udfff"
    _payload_file(folder / "surrogate.md", json.dumps({"format": FORMAT, "version": VERSION, "steps": doc}).encode())
    shutil.copy(SAMPLE_FOLDER / "group2.html", folder / "名前\udcff.html")  # a file name that is not UTF-8
    full_html = to_html(design_from_states(course, COMPLETE))
    full_md = to_markdown(design_from_states(course, COMPLETE))
    (folder / "cut-early.html").write_text(full_html[: len(full_html) // 2], encoding="utf-8")
    (folder / "cut-in-payload.html").write_text(full_html[:-60], encoding="utf-8")
    (folder / "cut-in-payload.md").write_text(full_md[:-40], encoding="utf-8")
    (folder / "cut-mid-character.md").write_bytes(full_md.encode("utf-8")[:7])  # 「# 協働」 cut inside a character
    (folder / "utf16.md").write_text(full_md, encoding="utf-16")
    (folder / "utf16le.html").write_text(full_html, encoding="utf-16-le")
    return {"good.html": "design", "surrogate.md": "design", "名前\ufffd.html": "design",
            "deep.md": "damaged", "deep-inside.html": "damaged", "cut-early.html": "damaged",
            "cut-in-payload.html": "damaged", "cut-in-payload.md": "damaged", "cut-mid-character.md": "damaged",
            "utf16.md": "damaged", "utf16le.html": "damaged"}


def test_read_export_answers_every_hostile_file_with_an_import_problem(course, tmp_path):
    expected = _hostile_folder(course, tmp_path / "class")
    for path in sorted((tmp_path / "class").iterdir()):
        try:
            design = read_export(path, course)
        except ImportProblem as problem:
            assert "ではありません" not in str(problem), path.name
            assert "壊れ" in str(problem) and "読めません" in str(problem), (path.name, str(problem))
            assert expected[path.name] == "damaged", path.name
        else:
            assert expected[path.name.replace("\udcff", "\ufffd")] == "design", path.name
            json.dumps(design.to_states(), ensure_ascii=False).encode("utf-8")  # no lone surrogate inside


def test_the_overview_lists_every_bad_file_and_shows_the_rest(course, tmp_path, monkeypatch):
    import kyodo.design as design_module
    import kyodo.figures as figures

    expected = _hostile_folder(course, tmp_path / "class")
    overview = read_folder(tmp_path / "class", course)
    assert sorted(e.file for e in overview.entries) == sorted(f for f, kind in expected.items() if kind == "design")
    assert sorted(s.file for s in overview.skipped) == sorted(f for f, kind in expected.items() if kind == "damaged")
    assert {e.design.title for e in overview.entries} >= {"班\ufffd名"}
    shown = []
    monkeypatch.setattr(design_module, "display", shown.append)
    monkeypatch.setattr(figures, "display", shown.append)
    design_module.class_overview(tmp_path / "class")
    html = [obj.data for obj in shown]
    for part in html:
        part.encode("utf-8")  # what the notebook sends to the browser must be UTF-8
    assert "読み込んだデザイン: 3 件" in html[0]
    assert "読み込まなかったファイル: 8 件" in html[1] and "cut-early.html" in html[1]


def test_an_unexpected_failure_on_one_file_is_listed_and_the_rest_shown(course, tmp_path, monkeypatch):
    import shutil

    from kyodo.design import overview as overview_module

    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("group1.html", "group2.html"):
        shutil.copy(SAMPLE_FOLDER / name, folder / name)
    real = overview_module.read_export

    def fragile(path, data):
        if path.name == "group1.html":
            raise MemoryError
        return real(path, data)

    monkeypatch.setattr(overview_module, "read_export", fragile)
    result = read_folder(folder, course)
    assert [e.file for e in result.entries] == ["group2.html"]
    [skipped] = result.skipped
    assert skipped.file == "group1.html" and "MemoryError" in skipped.reason and "読めません" in skipped.reason


# --- issue 9, defect 5: the Markdown export shows learner text as text ------------------------------

HOSTILE_MD = ("# 見出し\n```\nコード\n```\n~~~\n| a | b |\n|---|---|\n- 項目\n1. 番号\n> 引用\n<img src=x onerror=alert(1)>\n"
              "![画像](https://example.com/x.png)\n[リンク](https://example.com) <https://example.com>\n"
              "https://example.com www.example.com a@example.com\n$x^$ と $$y$$ \\(z\\)\n\\ 末尾\\\n\n    インデント\n===\n"
              "***\n:::{note}\n:::\n(label)=\n% コメント\n[^1]: 脚注\n&amp; &#60; *強調* _下線_ `コード` 😀 絵文字")


def _hostile_design(course):
    one_line = HOSTILE_MD.replace("\n", " ")
    raw = states()
    raw["issue"]["values"] = {"team": one_line[:60], "issue": HOSTILE_MD, "affected": HOSTILE_MD}
    raw["gaps"]["purpose"] = HOSTILE_MD
    raw["gaps"]["rows"][1]["text"] = HOSTILE_MD
    for p in raw["partners"]["partners"]:
        p.update({"name": one_line[:60], **{f: HOSTILE_MD for f in ("reason", "purpose", "motives", "gains", "role")}})
    raw["logic"]["purpose"] = HOSTILE_MD
    for e in raw["logic"]["entries"]:
        e["text"] = HOSTILE_MD
    raw["logic"]["entries"][2]["target"] = [HOSTILE_MD, "半分", "3月まで"]
    raw["contact"]["title"] = one_line
    raw["first_step"]["values"] = {"question": HOSTILE_MD, "who": one_line[:60], "when": one_line[:60]}
    return design_from_states(course, raw)


def _renderers():
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    myst = create_md_parser(MdParserConfig(enable_extensions={
        "dollarmath", "amsmath", "colon_fence", "linkify", "deflist", "tasklist", "strikethrough", "html_image",
        "fieldlist", "attrs_inline", "substitution"}), RendererHTML)
    return {"commonmark": MarkdownIt("commonmark"),
            "gfm-like": MarkdownIt("gfm-like").enable(["table", "strikethrough", "linkify"]),
            "myst": myst}


@pytest.mark.parametrize("renderer", ["commonmark", "gfm-like", "myst"])
def test_the_markdown_export_renders_learner_text_as_text(course, renderer):
    import html as html_lib
    import re

    design = _hostile_design(course)
    rendered = _renderers()[renderer].render(to_markdown(design))
    headings = re.findall(r"<h([1-6])>(.*?)</h\1>", rendered, flags=re.S)
    steps = ["1 地域の課題", "2 目的・必要なもの・足りないもの", "3 相手と相互理解", "4 活動と成果", "5 関係を続ける",
             "6 最初の一歩", "7 協働の形", "8 役割・経費・責任", "9 リスクと個人情報", "10 成果の測り方", "11 年度の予定",
             "12 振り返りと相互評価", "点検の結果"]
    assert [(level, html_lib.unescape(text)) for level, text in headings] == \
        [("1", f"協働・連携デザインシート: {design.title}")] + [("2", s) for s in steps]
    for tag in ("<img", "<a ", "<pre", "<code", "<table", "<blockquote", "<ol", "<hr", "<script", "<div", "<span",
                "<em>", "<strong>", "<sup", "<dl", "<input", "<del", "<s>", "math"):
        assert tag not in rendered, tag
    assert rendered.count("<ul>") == len(steps) and rendered.count("<li>") == len(_sections_lines(design))
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", rendered))
    for line in HOSTILE_MD.splitlines():
        assert line.strip() in text, line
    assert "実態調査" not in text  # the logic entries are the hostile text now, and shown
    assert text.count("# 見出し") >= 10  # every multi-line field, in steps 1 to 6


def _sections_lines(design) -> list[str]:
    from kyodo.design.export import _sections

    return [line for _, lines in _sections(design) for line in lines]


def test_the_markdown_and_html_exports_import_back_every_character(course):
    design = _hostile_design(course)
    assert design.issue["issue"] == HOSTILE_MD and design.partners[0].gains == HOSTILE_MD
    for text in (to_markdown(design), to_html(design)):
        again = parse_export(text, course)
        assert again.to_states() == design.to_states()
        assert again.issue["issue"] == HOSTILE_MD and again.partners[1].role == HOSTILE_MD


# --- issue 9, defect 8: an import whose every field has the wrong type is refused ---------------------

def _document(steps) -> str:
    import base64

    from kyodo.design.export import FORMAT, VERSION

    raw = json.dumps({"format": FORMAT, "version": VERSION, "steps": steps}).encode()
    return f"<!-- kyodo-design:{base64.b64encode(raw).decode()} -->"


@pytest.mark.parametrize("steps", [
    {"issue": 5, "gaps": "目的", "partners": ["相手"], "logic": 3.5, "contact": True, "first_step": [1]},
    {"issue": {"values": [1]}, "gaps": {"purpose": 7, "rows": "x"}, "partners": {"partners": [{"name": 1}]},
     "logic": {"entries": [1]}, "contact": {"marks": []}, "first_step": {"values": {"question": 9}}},
])
def test_an_import_of_wrong_types_only_is_refused_and_changes_nothing(course, private_workspace, steps):
    with pytest.raises(ImportProblem, match="壊れていて読めません"):
        parse_export(_document(steps), course)
    store = _store_with(private_workspace, COMPLETE)
    w = DesignSummaryWidget(course, store=store)
    content = _document(steps).encode("utf-8")
    w.upload.value = ({"name": "x.md", "type": "", "size": len(content), "content": memoryview(content),
                       "last_modified": datetime.now(timezone.utc)},)
    w.import_button.click()
    assert w.feedback.kind == "warning" and "壊れていて読めません" in w.feedback.text
    assert Store.open(private_workspace, "tester").get(key("issue")) == COMPLETE["issue"]
    assert not (private_workspace / "backups").exists()


def test_an_empty_design_is_not_imported_over_the_current_one(course, private_workspace):
    store = _store_with(private_workspace, COMPLETE)
    w = DesignSummaryWidget(course, store=store)
    empty = design_from_states(course, {})
    assert parse_export(to_markdown(empty), course).empty  # an empty export is still a design (the overview lists it)
    w.import_design(empty)
    assert w.feedback.kind == "warning" and "何も書かれていない" in w.feedback.text
    assert Store.open(private_workspace, "tester").get(key("partners")) == COMPLETE["partners"]
