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
        assert "&lt;script&gt;alert" in text
    assert html.count("<script") == 1 and 'type="application/json"' in html
    assert "https://" not in html and "http://" not in html  # a standalone page: nothing loaded
    for text in (html, md):
        again = parse_export(text, course)
        assert again.to_states() == design.to_states()


@pytest.mark.parametrize(("text", "message"), [
    ("", "この講座から書き出したデザインシートではありません"),
    ("# ただのメモ", "この講座から書き出したデザインシートではありません"),
    ("<!-- kyodo-design:!!!! -->", "この講座から書き出したデザインシートではありません"),
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
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ImportProblem, match="ではありません"):
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
    assert [label for label, _ in w.cards[0].fills.options] == ["2. 調査の方法", "3. 若い参加者"]
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
