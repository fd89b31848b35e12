"""The partnering plan of the design sheet (steps 7 to 12, the first step's contact, the agreement draft).

Every check and every generator, the data file and its validation, the
export round trip (every character, hostile text included), files exported
before the plan existed, the step widgets (autosave, cleaning, hostile
input, rebuilding when another step changes), and the printed PDFs.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from test_design import COMPLETE, HOSTILE, HOSTILE_MD

from kyodo.data import DataError
from kyodo.design import SAMPLE_FOLDER
from kyodo.design.agreement import agreement_draft
from kyodo.design.checks import check_design
from kyodo.design.export import ImportProblem, parse_export, read_export, to_html, to_markdown
from kyodo.design.partnering import fiscal_index, load_partnering, load_partnering_from
from kyodo.design.plan import (
    CONTACT_LIMITS,
    Contact,
    best_forms,
    calendar_from_state,
    choose_forms,
    contact_card,
    contact_format_problems,
    contact_from_state,
    form_from_state,
    month_label,
    order_problems,
    place_of,
    roles_from_state,
    steps_needed,
)
from kyodo.design.printable import agreement_body, plan_body, review_body
from kyodo.design.review import next_steps, reading, review_from_state, review_gaps
from kyodo.design.sheet import PARTS, PLAN_STEPS, STEPS, design_from_states, key
from kyodo.storage import Store

ROOT = Path(__file__).resolve().parents[1]
V1 = ROOT / "tests" / "fixtures" / "design_v1"

PLAN = {
    "form": {"answers": {"decides": "together", "budget": "both", "responsible": "both", "duration": "once"},
             "chosen": "kyosai", "reason": "一緒に主催したいから"},
    "roles": {"parties": {"us": {"does": "全体の調整", "brings": ["information"], "brings_note": "",
                                 "answers_for": "全体の進み具合"},
                          "p1": {"does": "調査の設計", "brings": ["people"], "brings_note": "学生",
                                 "answers_for": "調査の方法"},
                          "p2": {"does": "呼びかけの企画", "brings": ["networks"], "brings_note": "",
                                 "answers_for": "当日の運営"}},
              "activities": {"a1": "p1"},
              "tasks": [{"text": "広報", "owner": "us"}],
              "costs": [{"item": "印刷費", "amount": "3万円 (架空の例)", "bearer": "us"}]},
    "risks": {"risks": [{"text": "当日のけが", "likelihood": "medium", "owner": "us", "response": "保険に入る"}],
              "personal": {"handled": "yes", "whose": "参加者の連絡先", "keeper": "us", "protection": "鍵のかかる棚"}},
    "measures": {"measures": {"o1": {"indicator": "台数", "baseline": "120台", "target": "60台", "who": "大学",
                                     "when": "2月", "shared": "打合せで見せ合う"}}},
    "calendar": {"months": {"budget_request": 6, "decision": 12, "agreement": 13, "start": 14, "mid_review": 18,
                            "end_review": 22}},
}
REVIEW = {"answers": {"us": {"targets_met": 4, "voice_heard": 5}, "p1": {"targets_met": 4, "voice_heard": 2},
                      "p2": {"targets_met": 1, "voice_heard": 4}},
          "decision": "change", "next_what": "計画を書き直す", "next_who": "担当者", "next_when": "9月末"}


@pytest.fixture(scope="module")
def material():
    return load_partnering()


def full(**changes):
    raw = copy.deepcopy({**COMPLETE, **PLAN})
    raw.update(copy.deepcopy(changes))
    return raw


def check(course, raw):
    return check_design(design_from_states(course, raw))


def problem_codes(course, raw) -> set[str]:
    return check(course, raw).codes()


def note_codes(course, raw) -> set[str]:
    return {f.code for f in check(course, raw).notes}


# --- the data -----------------------------------------------------------------------------------

def test_the_forms_of_the_issue_with_fits_cautions_and_sources(material):
    assert [f.name for f in material.forms] == ["委託", "補助・助成", "負担金", "共催", "後援", "協定", "実行委員会",
                                                "情報交換・意見交換"]
    general = [s for s in material.sources if s.kind == "general"]
    assert [s.label for s in general] == ["一般的な説明"]
    reading_ids = {s.id for s in material.sources if s.kind == "further_reading"}
    assert {"yokohama_contract", "kawasaki_rules", "tpi"} <= reading_ids
    for f in material.forms:
        assert f.fits and f.cautions and f.document
        assert set(f.further_reading) <= reading_ids
        # the course's general explanation is never presented as the pamphlet's
        assert "パンフレット" not in f.summary + f.fits + "".join(f.cautions)
    examples = {f.id: f.pamphlet_example.case for f in material.forms if f.pamphlet_example}
    assert examples == {"kyotei": "case2", "kyosai": "case5"}
    assert "「共催」という言葉は使っていません" in material.form("kyosai").pamphlet_example.note


def test_the_questions_ask_who_decides_whose_budget_who_answers_and_how_long(material):
    assert [q.id for q in material.questions] == ["decides", "budget", "responsible", "duration"]
    pointed = {form for q in material.questions for o in q.options for form in o.points}
    assert pointed == {f.id for f in material.forms}  # every form can come out of the questions


def test_brings_calendar_contacts_and_review_material(material):
    assert [b.id for b in material.brings] == ["people", "money", "goods", "places", "information", "networks"]
    steps = [s.id for s in material.calendar.steps]
    assert steps == ["budget_request", "decision", "agreement", "start", "mid_review", "end_review"]
    usual = [s.usual for s in material.calendar.steps]
    assert usual == sorted(usual)  # the usual months run in the order of the steps
    assert material.step("budget_request").year == "prev" and material.step("budget_request").city_budget
    assert material.first_contact(None).course_desk and material.first_contact("colleague").needs == ["desk"]
    assert [d.id for d in material.decisions] == ["continue", "change", "close"]
    assert all(d.next_steps for d in material.decisions)
    assert material.review.flag_difference == 2 and len(material.review.items) >= 6
    text = (ROOT / "data" / "partnering.yml").read_text(encoding="utf-8")
    assert "架空の例" in text and "一般的な説明" in text


@pytest.mark.parametrize(("path", "value", "message"), [
    (("questions", 0, "options", 0, "points"), ["dragon"], "dragon"),
    (("forms", 0, "further_reading"), ["nowhere"], "nowhere"),
    (("forms", 3, "pamphlet_example", "case"), "case99", "case99"),
    (("calendar", "steps", 1, "needs"), ["end_review"], "end_review"),  # a later step: a cycle
    (("calendar", "steps", 0, "window"), [11, 9], "window"),
    (("calendar", "steps", 0, "month"), 4, "month が window の中にありません"),
    (("first_contacts", 0, "course_desk"), False, "既定の相談先"),
    (("forms", 1, "id"), "itaku", "itaku"),
    (("forms", 0, "colour"), "red", "colour"),
])
def test_mistakes_in_the_data_are_reported_in_japanese(data_copy, path, value, message):
    file = data_copy / "partnering.yml"
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    node = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_partnering_from(data_copy)
    assert message in str(err.value) and "partnering.yml" in str(err.value)


def test_a_missing_file_is_reported(data_copy):
    (data_copy / "partnering.yml").unlink()
    with pytest.raises(DataError, match="partnering.yml"):
        load_partnering_from(data_copy)


# --- 7 the form chooser ---------------------------------------------------------------------------

def test_the_answers_rank_the_forms(material):
    assert choose_forms(material, {}) == [] and best_forms(material, {}) == []
    answers = {"decides": "city", "budget": "city", "responsible": "city", "duration": "years"}
    ranked = choose_forms(material, answers)
    assert ranked[0].name == "委託" and ranked[0].score == 4
    assert ranked[0].reasons[0] == "「事業の中身 (何を、どのように行うか) を最後に決めるのはだれですか。」→ 市 (自分たち)"
    assert [m.form_id for m in best_forms(material, answers)] == ["itaku"]
    early = {"decides": "undecided", "budget": "none", "responsible": "undecided", "duration": "unsure"}
    assert best_forms(material, early)[0].name == "情報交換・意見交換"
    tie = choose_forms(material, {"decides": "together"})
    assert [m.form_id for m in tie] == ["kyosai", "kyotei", "jikko"]  # ties keep the data's order


def test_a_saved_form_keeps_only_what_fits(material):
    plan = form_from_state({"answers": {"decides": "city", "budget": "gold", "nope": "x"}, "chosen": "dragon",
                            "reason": "理由\x00" + "あ" * 500}, material)
    assert plan.answers == {"decides": "city"} and plan.chosen is None
    assert plan.reason == ("理由" + "あ" * 500)[:400]
    assert form_from_state("nonsense", material).empty


def test_form_checks(course):
    assert not {"empty_form", "form_no_reason", "form_unlike_answers"} & (
        problem_codes(course, full()) | note_codes(course, full()))
    raw = full()
    raw["form"]["reason"] = ""
    raw["form"]["chosen"] = "itaku"  # the answers point to 共催
    notes = note_codes(course, raw)
    assert {"form_no_reason", "form_unlike_answers"} <= notes
    raw = full()
    raw["form"] = {"answers": {}, "chosen": "koen", "reason": "名義だけ"}
    assert "form_city_pays" in note_codes(course, raw)  # 後援, yet the city bears the printing
    raw["form"]["chosen"] = None
    assert "empty_form" in problem_codes(course, raw)


# --- 8 roles, costs and responsibilities --------------------------------------------------------------

def test_a_whole_plan_has_no_problem(course):
    result = check(course, full())
    assert result.complete and result.plan_complete, [f.message for f in result.problems]
    assert result.plan_done == PLAN_STEPS
    assert "計画 (ステップ7〜11) は 5 段階のうち 5 段階" in result.summary


def test_work_nobody_owns_and_costs_nobody_bears(course):
    raw = full()
    raw["roles"]["activities"] = {}
    raw["roles"]["tasks"].append({"text": "会計", "owner": None})
    raw["roles"]["costs"].append({"item": "会場費", "amount": "", "bearer": None})
    raw["roles"]["costs"].append({"item": "", "amount": "2万円", "bearer": "us"})
    found = check(course, raw)
    messages = [f.message for f in found.problems]
    assert "8: 仕事「実態調査」を受け持つ主体が決まっていません。" in messages
    assert "8: 仕事「会計」を受け持つ主体が決まっていません。" in messages
    assert "8: 費用「会場費」を負担する主体が決まっていません。" in messages
    assert "8: 金額「2万円」が何の費用かが書かれていません。" in messages


def test_a_partner_that_only_receives(course):
    raw = full()
    raw["roles"]["parties"]["p2"] = {"does": "", "brings": [], "brings_note": "", "answers_for": ""}
    found = check(course, raw)
    assert [f.message for f in found.problems if f.code == "partner_only_receives"] == [
        "8: 「市民団体 (架空)」は受け取るだけになっています。行うこと、持ち寄るもの、受け持つ仕事、負担する費用のどれかを決めましょう。"]
    raw["roles"]["costs"].append({"item": "会場費", "amount": "", "bearer": "p2"})  # bearing a cost is giving
    assert "partner_only_receives" not in problem_codes(course, raw)
    raw = full()
    raw["roles"]["parties"]["p2"] = {"does": "", "brings": [], "brings_note": "", "answers_for": ""}
    raw["roles"]["tasks"].append({"text": "片付け", "owner": "all"})  # everyone together counts for each
    assert "partner_only_receives" not in problem_codes(course, raw)


def test_an_owner_no_longer_among_the_partners_is_kept_and_reported(course, material):
    raw = full()
    raw["roles"]["costs"].append({"item": "謝礼", "amount": "", "bearer": "p5"})
    raw["risks"]["risks"][0]["owner"] = "p4"
    design = design_from_states(course, raw)
    assert design.roles.costs[-1].bearer == "p5"  # nothing typed is lost
    messages = [f.message for f in check_design(design).problems if f.code == "owner_gone"]
    assert any("謝礼" in m and "ステップ3 にいない相手 (p5)" in m for m in messages)
    assert any("当日のけが" in m for m in messages)
    roles = roles_from_state({"parties": {"p9": {"does": "x"}, "us": "no"}, "activities": {"o1": "us", "a1": "x"},
                              "tasks": [{"text": 5}, "x"], "costs": "many"}, material)
    assert roles.empty


def test_no_cost_and_no_responsibility_are_notes(course):
    raw = full()
    raw["roles"]["costs"] = []
    raw["roles"]["parties"]["us"]["answers_for"] = ""
    notes = note_codes(course, raw)
    assert {"no_costs", "party_no_responsibility"} <= notes and not problem_codes(course, raw)


# --- 9 risks and personal information ---------------------------------------------------------------

def test_risk_checks(course):
    raw = full()
    raw["risks"]["risks"].append({"text": "雨", "likelihood": None, "owner": None, "response": ""})
    raw["risks"]["risks"].append({"text": "", "likelihood": "low", "owner": "us", "response": "延期"})
    messages = [f.message for f in check(course, raw).problems]
    assert "9: リスク「雨」の 起こりやすさ、対応する主体、対応 が決まっていません。" in messages
    assert "9: 何のリスクかが書かれていない行があります。" in messages
    raw["risks"]["risks"] = []
    assert "no_risks" in problem_codes(course, raw)


def test_personal_information_checks(course):
    raw = full()
    raw["risks"]["personal"] = {"handled": None, "whose": "", "keeper": None, "protection": ""}
    assert "personal_unanswered" in problem_codes(course, raw)
    raw["risks"]["personal"] = {"handled": "yes", "whose": "参加者", "keeper": None, "protection": ""}
    [found] = [f for f in check(course, raw).problems if f.code == "personal_incomplete"]
    assert found.message == "9: 個人情報を扱うなら、管理する主体、守り方 を決めましょう。"
    raw["risks"]["personal"] = {"handled": "no", "whose": "", "keeper": None, "protection": ""}
    assert not {"personal_unanswered", "personal_incomplete"} & problem_codes(course, raw)


# --- 10 the measurement plan ---------------------------------------------------------------------

def test_every_outcome_of_step_4_has_a_measurement(course):
    raw = full()
    raw["logic"]["entries"].append({"id": "o2", "kind": "outcome", "text": "歩く人が安心する",
                                    "target": ["声", "8割", "3月"]})
    raw["logic"]["links"].append(["a1", "o2"])
    assert "8: 仕事「実態調査」" not in " ".join(f.message for f in check(course, raw).problems)
    messages = [f.message for f in check(course, raw).problems]
    assert "10: 成果「歩く人が安心する」の測り方が書かれていません。" in messages
    raw["measures"]["measures"]["o2"] = {"indicator": "アンケート", "baseline": "", "target": "8割", "who": "",
                                         "when": "2月", "shared": ""}
    messages = [f.message for f in check(course, raw).problems]
    assert "10: 成果「歩く人が安心する」の 今の値、だれが測るか、相手との共有のしかた が書かれていません。" in messages


def test_a_measure_of_a_removed_outcome_is_kept_with_a_note(course):
    raw = full()
    raw["measures"]["measures"]["o7"] = {"indicator": "消えた成果の指標"}
    design = design_from_states(course, raw)
    assert design.measures.of("o7").indicator == "消えた成果の指標"
    assert "measure_orphan" in {f.code for f in check_design(design).notes}
    raw = full()
    raw["logic"]["entries"] = [e for e in raw["logic"]["entries"] if e["kind"] != "outcome"]
    assert "measures_no_outcomes" in note_codes(course, raw)


# --- 11 the calendar ---------------------------------------------------------------------------------

def test_month_places_and_labels():
    assert [fiscal_index(m) for m in (4, 3, 1)] == [0, 11, 9]
    assert month_label(0) == "前年度 4月" and month_label(6) == "前年度 10月" and month_label(23) == "実施年度 3月"
    assert place_of("this", 6) == 14 and place_of("prev", 10) == 6


def test_a_start_before_the_approvals_it_needs(course, material):
    raw = full()
    raw["calendar"]["months"].update({"start": 12, "decision": 13})  # start in April, 決裁 in May
    found = [f.message for f in check(course, raw).problems if f.code == "calendar_order"]
    assert "11: 「事業の開始」が、その前に済ませる「決裁」より前に予定されています。" in found
    plan = calendar_from_state(raw["calendar"], material)
    assert {(p.step, p.needs) for p in order_problems(material, plan, "kyosai")} >= {("start", "decision")}
    same = calendar_from_state({"months": {"agreement": 13, "start": 13, "decision": 12, "budget_request": 6}}, material)
    assert order_problems(material, same, "kyosai") == []  # the same month is not before


def test_missing_months_and_steps_a_form_does_not_need(course, material):
    raw = full()
    del raw["calendar"]["months"]["mid_review"]
    assert "11: 「中間の振り返り」の月が決まっていません。" in [f.message for f in check(course, raw).problems]
    assert "budget_request" not in steps_needed(material, "koen")  # 後援: no budget of the city
    assert "budget_request" in steps_needed(material, None) and "budget_request" in steps_needed(material, "itaku")
    raw = full()
    raw["form"]["chosen"] = "kyotei"
    del raw["calendar"]["months"]["budget_request"]
    raw["roles"]["costs"] = []
    assert not {f.code for f in check(course, raw).problems} & {"calendar_missing", "calendar_order"}


def test_a_month_outside_the_usual_window_is_a_note(course):
    raw = full()
    raw["calendar"]["months"]["budget_request"] = 0  # April of the year before
    assert "calendar_outside" in note_codes(course, raw)
    assert "calendar_outside" not in problem_codes(course, raw)


def test_saved_months_keep_only_places_on_the_line(material):
    plan = calendar_from_state({"months": {"start": 24, "decision": -1, "agreement": True, "mid_review": 5,
                                           "dragon": 3}}, material)
    assert plan.months == {"mid_review": 5}


# --- 6 the first step's contact -------------------------------------------------------------------------

def test_kawasaki_is_the_default_contact(course, material):
    design = design_from_states(course, COMPLETE)
    assert design.first_contact.empty and "contact" not in design.to_states()["first_step"]
    card = contact_card(design.first_contact, material, course.contacts.consultation_desk)
    assert card.kind_name.startswith("川崎市") and ("電話", "044-200-3708") in card.lines
    assert not any(f.step == "first_step" and f.code.startswith("desk") for f in check_design(design).findings)


@pytest.mark.parametrize(("contact", "codes"), [
    ({"kind": "other_city", "desk": "協働推進課"}, {"desk_incomplete"}),
    ({"kind": "other_city", "municipality": "○○市", "desk": "協働推進課", "email": "kyodo@example.jp"}, set()),
    ({"kind": "colleague", "desk": "企画係の先輩"}, set()),
    ({"kind": "intermediary"}, {"desk_incomplete"}),
    ({"kind": "intermediary", "desk": "市民活動センター", "email": "not-an-address"}, {"desk_bad_email"}),
    ({"kind": "intermediary", "desk": "センター", "phone": "お電話ください"}, {"desk_bad_phone"}),
    ({"kind": "intermediary", "desk": "センター", "site": "javascript:alert(1)"}, {"desk_bad_site"}),
])
def test_contact_checks(course, contact, codes):
    raw = copy.deepcopy(COMPLETE)
    raw["first_step"]["contact"] = contact
    result = check(course, raw)
    assert {f.code for f in result.problems if f.step == "first_step"} == codes
    assert all(f.message.startswith("6: ") for f in result.findings if f.code.startswith("desk_"))
    no_way = contact["kind"] != "colleague" and not any(contact.get(f) for f in ("phone", "email", "site"))
    assert ("desk_no_way" in {f.code for f in result.notes}) == no_way


def test_contact_fields_are_cleaned_and_checked(material):
    contact = contact_from_state({"kind": "intermediary", "desk": "セン\nター\x07" + "x" * 100,
                                  "phone": "044-200-3708", "email": "a@b.jp", "site": "https://example.jp/a?b=1"},
                                 material)
    assert contact.desk == ("セン ター" + "x" * 100)[:CONTACT_LIMITS["desk"]] and "\x07" not in contact.desk
    assert contact_format_problems(contact) == []
    assert contact_from_state({"kind": "dragon", "desk": "x"}, material).kind is None
    assert contact_format_problems(Contact("other_city", site="http://x.jp/<script>")) == ["site"]


# --- 12 the review ---------------------------------------------------------------------------------------

def test_each_side_rates_and_gaps_between_any_two_sides_are_flagged(course, material):
    review = review_from_state(REVIEW, material)
    assert review.rated_sides() == ["us", "p1", "p2"]
    gaps = review_gaps(material, review)
    assert [(g.item.id, g.difference) for g in gaps] == [("voice_heard", 3), ("targets_met", 3)] or \
        [(g.item.id, g.difference) for g in gaps] == [("targets_met", 3), ("voice_heard", 3)]
    [voice] = [g for g in gaps if g.item.id == "voice_heard"]
    assert voice.values == (("us", 5), ("p1", 2), ("p2", 4))
    lines = reading(material, review, {"us": "市", "p1": "大学", "p2": "団体"})
    assert lines[0].startswith("市: ") and any(line.startswith("団体: ") for line in lines)
    assert next_steps(material, review)[0].startswith("何を変えるか")


def test_review_checks(course):
    raw = full(review={"answers": {"us": {"targets_met": 4}}})
    found = check(course, raw)
    assert {"review_one_side", "review_no_decision"} <= found.codes()
    raw = full(review={**REVIEW, "next_who": ""})
    found = check(course, raw)
    assert "review_no_next" in found.codes() and "review_one_side" not in found.codes()
    raw = full(review=REVIEW)
    found = check(course, raw)
    assert not {c for c in found.codes() if c.startswith("review")}
    gaps = [f.message for f in found.notes if f.code == "review_gap"]
    assert any("自分たちの意見や事情が、相手に伝わっていた。" in g and "大学 (架空) 2" in g for g in gaps)
    assert not {f.code for f in check(course, COMPLETE).findings if f.step == "review"}  # not started: nothing said


def test_a_saved_review_keeps_only_what_fits(material):
    review = review_from_state({"answers": {"us": {"targets_met": 9, "again": 3, "x": 2}, "p7": {"again": 2},
                                            "p1": "all"}, "decision": "maybe", "next_what": 3}, material)
    assert review.answers == {"us": {"again": 3}} and review.decision is None and review.next_what == ""


# --- the plan as a whole ---------------------------------------------------------------------------------

def test_the_plan_is_checked_once_started_and_named_as_next_before(course):
    assert "plan_not_started" in note_codes(course, COMPLETE)
    assert not check(course, COMPLETE).problems
    started = copy.deepcopy(COMPLETE)
    started["form"] = PLAN["form"]
    result = check(course, started)
    assert {"empty_roles", "empty_risks", "empty_measures", "empty_calendar"} <= result.codes()
    assert result.plan_done == ("form",) and not result.plan_complete and not result.complete


def test_every_finding_names_a_step_of_the_sheet(course):
    raw = full(review={"answers": {"us": {"again": 1}}})
    raw["roles"]["costs"].append({"item": "x", "bearer": None})
    raw["first_step"]["contact"] = {"kind": "other_city"}
    for finding in check(course, raw).findings:
        assert finding.step in PARTS, finding
        assert re.match(r"^(1[0-2]|[1-9])(:| )|^7〜11", finding.message), finding.message


# --- the agreement draft -----------------------------------------------------------------------------------

def test_the_agreement_draft_from_a_whole_plan(course):
    draft = agreement_draft(design_from_states(course, full()))
    text = "\n".join(draft.lines())
    assert draft.title == "協定書・覚書 (案): 駅前を安心して歩ける道にする"
    assert draft.notice[0].startswith("これは講座のデザインシートから自動で作った下書き (案)")
    assert "法務" in draft.notice[1]
    assert [a.heading for a in draft.articles] == ["目的", "当事者", "協働の形", "役割分担", "経費の負担", "責任", "期間",
                                                   "情報の取扱い", "振り返り", "終了と更新", "協議"]
    for expected in ("架空の例 テスト班 (以下「甲」という。)", "大学 (架空) (以下「乙」という。)", "市民団体 (架空) (以下「丙」という。)",
                     "この取組は、共催 の形で行う。", "乙は、次のことを行う。調査の設計。受け持つ仕事: 実態調査。",
                     "印刷費 (金額: 3万円 (架空の例)) は、甲が負担する。", "甲は、全体の進み具合について責任を持つ。",
                     "「当日のけが」が起きたときは、甲が対応する (対応: 保険に入る)。", "実施年度 6月から、その年度の末日まで",
                     "個人情報 (参加者の連絡先) は、甲が管理し", "実施年度 10月、実施年度 2月に振り返り",
                     "成果「放置自転車が減る」: 指標 台数、今の値 120台、目標 60台", "続ける・変えて続ける・終える",
                     "本書を 3 通作り", "丙  市民団体 (架空)  〔代表者の職・氏名〕  印"):
        assert expected in text, expected
    assert "〔" not in "\n".join(p for a in draft.articles[:9] for p in a.paragraphs)  # nothing left blank


def test_the_agreement_draft_names_where_to_write_what_is_missing(course):
    draft = agreement_draft(design_from_states(course, {}))
    text = "\n".join(draft.lines())
    for blank in ("〔目的: ステップ2 で書きましょう〕", "〔相手: ステップ3 で書きましょう〕", "〔協働の形: ステップ7 で書きましょう〕",
                  "〔費用とその負担: ステップ8 で書きましょう〕", "〔始める月: ステップ11 で書きましょう〕",
                  "〔個人情報を扱うかどうか: ステップ9 で書きましょう〕"):
        assert blank in text, blank
    none = full()
    none["risks"]["personal"]["handled"] = "no"
    assert "この取組では個人情報を扱わない。" in "\n".join(agreement_draft(design_from_states(course, none)).lines())
    itaku = full()
    itaku["form"]["chosen"] = "itaku"
    assert any("委託契約書" in n for n in agreement_draft(design_from_states(course, itaku)).notice)


def test_the_draft_keeps_hostile_text_as_text_and_its_page_escapes_it(course):
    raw = full()
    raw["gaps"]["purpose"] = HOSTILE
    raw["roles"]["parties"]["us"]["does"] = "<b>太字</b>"
    design = design_from_states(course, raw)
    assert HOSTILE in "\n".join(agreement_draft(design).lines())
    for body in (agreement_body(design), plan_body(design), review_body(design)):
        assert "<script>alert" not in body and "<img src=x" not in body and "<b>太字" not in body
    assert "&lt;script&gt;alert" in agreement_body(design) and "&lt;b&gt;太字&lt;/b&gt;" in plan_body(design)


def test_the_printable_pages(course):
    design = design_from_states(course, full(review=REVIEW))
    plan = plan_body(design)
    for heading in ("7 協働の形", "8 役割・経費・責任", "9 リスクと個人情報", "10 成果の測り方", "11 年度の予定", "点検の結果"):
        assert f"<h2>{heading}</h2>" in plan
    assert "<td>調査の設計</td>" in plan and "<td>前年度 10月</td>" in plan and "一般的な説明" in plan
    assert "CASE5 (P6)" in plan  # the pamphlet's example of 共催, with its page
    review = review_body(design)
    assert "<h3>■ 変えて続ける</h3>" in review and "<h3>□ 続ける</h3>" in review
    assert "<td class='kyodo-num'>5</td>" in review
    for body in (plan_body(design, screen=True), agreement_body(design, screen=True), review_body(design, screen=True)):
        assert not re.search(r"<h[1-6]", body)  # on a page of the course, the document keeps the page's outline


# --- export and import ----------------------------------------------------------------------------------------

def _hostile_plan(course):
    one_line = HOSTILE_MD.replace("\n", " ")
    raw = full(review={**REVIEW, "next_what": HOSTILE_MD, "notes": HOSTILE_MD, "next_who": one_line[:60]})
    raw["form"]["reason"] = HOSTILE_MD
    for party in raw["roles"]["parties"].values():
        party.update({"does": HOSTILE_MD, "brings_note": HOSTILE_MD, "answers_for": HOSTILE_MD})
    raw["roles"]["tasks"][0]["text"] = one_line[:60]
    raw["roles"]["costs"][0].update({"item": one_line[:60], "amount": "<b>1</b>"})
    raw["risks"]["risks"][0].update({"text": one_line[:120], "response": HOSTILE_MD})
    raw["risks"]["personal"].update({"whose": HOSTILE_MD, "protection": HOSTILE_MD})
    raw["measures"]["measures"]["o1"] = {f: HOSTILE_MD[:120] for f in ("indicator", "baseline", "target", "who", "when")}
    raw["measures"]["measures"]["o1"]["shared"] = HOSTILE_MD
    raw["first_step"]["contact"] = {"kind": "intermediary", "desk": one_line[:60], "email": HOSTILE[:100]}
    return design_from_states(course, raw)


def test_export_then_import_keeps_every_character_of_the_plan(course):
    design = _hostile_plan(course)
    assert design.form.reason == HOSTILE_MD and design.review.notes == HOSTILE_MD
    assert design.roles.role("p1").does == HOSTILE_MD and design.measures.of("o1").shared == HOSTILE_MD
    for text in (to_markdown(design), to_html(design)):
        assert "<script>alert" not in text.split("kyodo-design")[0]
        again = parse_export(text, course)
        assert again.to_states() == design.to_states()
        assert again.first_contact == design.first_contact and again.review == design.review


def test_an_export_of_the_version_before_the_plan_still_imports(course):
    for name in ("group1.html", "group1.md", "group2.html"):
        old = read_export(V1 / name, course)
        assert not old.plan_started and old.review.empty and old.first_contact.empty
        states = old.to_states()
        assert states["form"] == design_from_states(course, {}).to_states()["form"]
        assert states["issue"]["values"]["team"].startswith("架空の例")
    payload = re.search(r'id="kyodo-design">([^<]+)<', (V1 / "group1.html").read_text(encoding="utf-8")).group(1)
    import base64

    doc = json.loads(base64.b64decode(payload))
    assert doc["version"] == 1 and set(doc["steps"]) == set(STEPS)
    new = read_export(SAMPLE_FOLDER / "group1.html", course)
    assert {s: new.to_states()[s] for s in STEPS if s != "first_step"} == \
        {s: read_export(V1 / "group1.html", course).to_states()[s] for s in STEPS if s != "first_step"}


@pytest.mark.parametrize("version", [3, True, "2", None])
def test_other_versions_are_refused(course, version):
    import base64

    raw = json.dumps({"format": "kyodo-design", "version": version, "steps": {}}).encode()
    with pytest.raises(ImportProblem, match="のデザインシートは読めません"):
        parse_export(f"<!-- kyodo-design:{base64.b64encode(raw).decode()} -->", course)


def test_an_import_of_only_a_plan_is_a_design_and_a_wrong_typed_plan_is_refused(course):
    import base64

    def doc(steps):
        raw = json.dumps({"format": "kyodo-design", "version": 2, "steps": steps}).encode()
        return f"<!-- kyodo-design:{base64.b64encode(raw).decode()} -->"

    assert parse_export(doc({"form": PLAN["form"]}), course).form.chosen == "kyosai"
    with pytest.raises(ImportProblem, match="壊れていて読めません"):
        parse_export(doc({"form": [1], "roles": "x", "risks": 3, "measures": {"measures": 5}, "calendar": [],
                          "review": {"answers": 7}}), course)


def test_the_sample_plan(course):
    design = read_export(SAMPLE_FOLDER / "group1.html", course)
    result = check_design(design)
    assert result.plan_complete and result.codes() == {"unfilled_gap"}
    assert design.review.decision == "change" and len(design.review.rated_sides()) == 3
    assert design.form.chosen == "kyosai"
    other = read_export(SAMPLE_FOLDER / "group3.html", course)
    assert other.first_contact.kind == "other_city" and "(架空)" in other.first_contact.municipality


# --- the widgets ----------------------------------------------------------------------------------------

def _shared(raw):
    from kyodo.storage import shared_store

    store = shared_store()
    for step, state in raw.items():
        store.save(key(step), state)
    return store


def _new_session(monkeypatch):
    from kyodo import storage

    monkeypatch.setattr(storage, "_open_stores", {})


def test_every_new_step_saves_under_its_own_key_and_comes_back(course, private_workspace, monkeypatch):
    from kyodo import design

    _shared(full(review=REVIEW))
    makers = {"form": design.step_form, "roles": design.step_roles, "risks": design.step_risks,
              "measures": design.step_measures, "calendar": design.step_calendar, "review": design.step_review}
    saved = {}
    for part, make in makers.items():
        w = make()
        assert w.key == key(part) and "前回の続き" in w.feedback.text, part
        w.save()
        saved[part] = Store.open(private_workspace, "tester").get(key(part))
    expected = design_from_states(course, full(review=REVIEW)).to_states()
    for part in makers:
        assert design_from_states(course, {part: saved[part], **{s: full()[s] for s in STEPS}}).to_states()[part] \
            == expected[part], part
    _new_session(monkeypatch)
    for part, make in makers.items():
        assert "読めない" not in make().feedback.text, part


def test_the_form_step_ranks_shows_and_saves(course, private_workspace):
    from kyodo import design

    w = design.step_form()
    assert "問いに答えると" in w.candidates.value
    w.questions["decides"].value = "city"
    w.questions["budget"].value = "city"
    assert "委託 (答え 2 つが指しています)" in w.candidates.value
    w.chosen.value = "kyotei"
    assert "協定書" in w.details.value and "CASE2 (P3)" in w.details.value and "一般的な説明" in w.details.value
    w.reason.value = HOSTILE
    assert "HTML としては動きません" in w.feedback.text
    assert "<script>" not in w.details.value + w.candidates.value
    w.flush()
    assert Store.open(private_workspace, "tester").get(key("form")) == {
        "answers": {"decides": "city", "budget": "city"}, "chosen": "kyotei", "reason": HOSTILE}


def test_text_is_cleaned_and_cut_with_a_message(course, private_workspace):
    from kyodo import design

    w = design.step_risks()
    w.rows[0]["text"].value = "雨\x00\x1b" + "あ" * 10
    assert w.rows[0]["text"].value == "雨" + "あ" * 10 and "制御文字" in w.feedback.text
    w.rows[0]["response"].value = "い" * 450
    assert len(w.rows[0]["response"].value) == 400 and "400 文字まで" in w.feedback.text
    w.rows[0]["text"].value = "一行目\n二行目"
    assert w.rows[0]["text"].value == "一行目 二行目"
    w.check_button.click()
    assert "リスク「一行目 二行目」の 起こりやすさ、対応する主体 が決まっていません" in w.feedback.text
    assert "個人情報を扱うかどうかを選びましょう" in w.feedback.text


def test_an_empty_step_says_so_kindly(course, private_workspace):
    from kyodo import design

    w = design.step_measures()
    w.check_button.click()
    assert w.feedback.text == "まだ何も書かれていません。上の欄から書き始めましょう。"
    assert "ステップ4 に成果がまだありません" in w.body.children[0].value


def test_the_roles_step_follows_the_partners_and_the_activities(course, private_workspace):
    from kyodo import design

    store = _shared(full())
    w = design.step_roles()
    assert list(w.cards) == ["us", "p1", "p2"] and list(w.activity_owners) == ["a1"]
    assert w.activity_owners["a1"].value == "p1" and w.cards["p1"]["brings"]["people"].value
    # the partners of step 3 change in another cell: the cards follow, what was written stays
    partners = design.step_partners()
    partners.cards[1].name.value = "新しい名前の団体"
    partners.flush()
    assert "新しい名前の団体" in w.body.children[2].children[0].value
    assert w.cards["p2"]["does"].value == "呼びかけの企画"
    # a partner removed: its role is kept in the saved state
    partners.cards[1].name.value = ""
    partners.flush()
    assert list(w.cards) == ["us", "p1"]
    w.cards["us"]["does"].value = "全体の調整と広報"
    w.flush()
    saved = store.get(key("roles"))
    assert saved["parties"]["p2"]["does"] == "呼びかけの企画" and saved["parties"]["us"]["does"] == "全体の調整と広報"
    # a cost borne by the removed partner keeps its bearer, shown as gone
    w.costs[1][0].value = "謝礼"
    w.costs[1][2].value = "us"
    w.flush()
    assert store.get(key("roles"))["costs"][1] == {"item": "謝礼", "amount": "", "bearer": "us"}


def test_a_bearer_who_left_step_3_stays_selected(course, private_workspace):
    from kyodo import design

    raw = full()
    raw["roles"]["costs"] = [{"item": "謝礼", "amount": "", "bearer": "p4"}]
    _shared(raw)
    w = design.step_roles()
    assert w.costs[0][2].value == "p4" and w.costs[0][2].label == "(ステップ3 にいない相手)"
    w.check_button.click()
    assert "ステップ3 にいない相手 (p4)" in w.feedback.text


def test_more_rows_up_to_the_limit(course, private_workspace):
    from kyodo import design

    w = design.step_roles()
    assert len(w.task_rows) == 3 and len(w.cost_rows) == 3  # rows are built as they are needed
    w.tasks[0][0].value = "会計"
    w.more_tasks.click()
    assert len(w.task_rows) == 4 and w.tasks[0][0].value == "会計"  # what was typed stays
    for _ in range(20):
        w.more_tasks.click()
    assert w.more_tasks.disabled and len(w.task_rows) == 12 and "12 まで" in w.feedback.text
    risks = design.step_risks()
    risks.rows[0]["text"].value = "雨"
    risks.more.click()
    assert len(risks.rows) == 4 and risks.rows[0]["text"].value == "雨"


def test_the_measures_follow_the_outcomes_and_copy_the_targets(course, private_workspace):
    from kyodo import design

    store = _shared(COMPLETE)
    w = design.step_measures()
    assert list(w.boxes) == ["o1"]
    w.copy_button.click()
    assert w.boxes["o1"]["indicator"].value == "台数" and w.boxes["o1"]["target"].value == "3月まで 半分"
    assert store.get(key("measures"))["measures"]["o1"]["indicator"] == "台数"
    logic = design.step_logic()
    logic.task.add("outcome", "駐輪場が知られる")
    logic.save()
    assert list(w.boxes) == ["o1", "o2"] and w.boxes["o1"]["indicator"].value == "台数"


def test_the_calendar_warns_at_once_and_fills_the_usual_months(course, private_workspace):
    from kyodo import design

    store = _shared({**COMPLETE, "form": PLAN["form"]})
    w = design.step_calendar()
    w.months["start"].value = 12
    w.months["decision"].value = 14
    assert "「事業の開始」が、その前に済ませる「決裁」より前に予定されています" in w.order.value
    w.months["decision"].value = None
    w.usual_button.click()
    months = store.get(key("calendar"))["months"]
    assert months == {"budget_request": 6, "decision": 12, "agreement": 13, "start": 12, "mid_review": 18,
                      "end_review": 22}
    assert "目安の月" in w.feedback.text
    assert "「事業の開始」が、その前に済ませる「協定・契約の締結」より前" in w.order.value  # start stayed in April
    w.months["start"].value = 14
    assert w.order.value == ""
    form = design.step_form()
    form.chosen.value = "koen"
    form.flush()
    assert "選んだ形 (後援) では、ふつうは要りません。" in w.body.children[0].children[1].value


def test_the_first_step_takes_any_municipality(course, private_workspace):
    from kyodo import design

    store = _shared(COMPLETE)
    w = design.step_first_step()
    assert "川崎市市民文化局コミュニティ推進部協働・連携推進課" in w.card.value and "044-200-3708" in w.card.value
    assert all(box.layout.display == "none" for box in w.contact_inputs.values())
    w.kind.value = "other_city"
    assert w.contact_inputs["municipality"].layout.display is None
    w.contact_inputs["municipality"].value = "○○市"
    w.contact_inputs["desk"].value = "協働推進課"
    w.contact_inputs["email"].value = "not an address"
    assert "メールアドレスの形になっていません" in w.feedback.text
    w.contact_inputs["email"].value = "kyodo@example.jp"
    w.contact_inputs["site"].value = "<script>x</script>"
    assert "<script>" not in w.card.value and "&lt;script&gt;" in w.card.value
    w.flush()
    saved = store.get(key("first_step"))
    assert saved["values"] == COMPLETE["first_step"]["values"]
    assert saved["contact"]["kind"] == "other_city" and saved["contact"]["desk"] == "協働推進課"
    w.kind.value = "kawasaki"
    w.flush()
    assert "協働・連携推進課" in w.card.value
    assert store.get(key("first_step"))["contact"]["kind"] is None  # the default again; what was typed is kept
    from kyodo.design.sheet import first_step_fields
    from kyodo.widgets.first_contact import FirstStepWidget

    fresh = Store.open(private_workspace, "other")
    plain = FirstStepWidget(course, key("first_step"), "6", "t", "i", first_step_fields(), store=fresh)
    plain.inputs["question"].value = "担当の課はどこか"
    plain.flush()
    assert fresh.get(key("first_step")) == {"values": {"question": "担当の課はどこか"}}  # saved as before


def test_the_review_step_rates_compares_and_leads_on(course, private_workspace):
    from kyodo import design

    store = _shared(COMPLETE)
    w = design.step_review()
    assert [label for label, _ in w.side_switch.options] == ["架空の例 テスト班", "大学 (架空)", "市民団体 (架空)"]
    w.compare_button.click()
    assert "二つ以上の主体が答えると" in w.feedback.text
    w.toggles["us"]["voice_heard"].value = 5
    w.toggles["p1"]["voice_heard"].value = 2
    w.compare_button.click()
    assert w.feedback.kind == "warning" and "自分たちの意見や事情が、相手に伝わっていた。" in w.feedback.text
    assert "架空の例 テスト班 5 / 大学 (架空) 2" in w.feedback.text
    w.decision.value = "close"
    assert "預かった個人情報を、取り決めどおりに返すか消す。" in w.leads_to.value
    w.next_what.value = "報告をまとめる"
    w.flush()
    saved = store.get(key("review"))
    assert saved["answers"] == {"us": {"voice_heard": 5}, "p1": {"voice_heard": 2}} and saved["decision"] == "close"


def test_the_agreement_follows_the_sheet(course, private_workspace):
    from kyodo import design

    _shared(full())
    draft = design.agreement_draft()
    assert "共催 の形で行う" in draft.page.value and "<h" not in draft.page.value
    form = design.step_form()
    form.chosen.value = "kyotei"
    form.flush()
    assert "協定 の形で行う" in draft.page.value
    draft.renew_button.click()
    assert "作り直しました" in draft.feedback.text


def test_an_import_shows_the_plan_in_every_open_step_and_an_old_file_empties_it(course, private_workspace):
    from kyodo import design

    store = _shared(COMPLETE)
    views = [design.step_form(), design.step_roles(), design.step_calendar(), design.step_review()]
    design.summary().import_design(read_export(SAMPLE_FOLDER / "group1.html", course))
    assert views[0].chosen.value == "kyosai" and views[1].cards["p1"]["does"].value.startswith("駐輪の実態調査")
    assert views[2].months["start"].value == 14 and views[3].decision.value == "change"
    design.summary().import_design(read_export(V1 / "group1.html", course))
    assert views[0].chosen.value is None and views[2].months["start"].value is None
    assert store.get(key("form")) == design_from_states(course, {}).to_states()["form"]
    backups = sorted((private_workspace / "backups").glob("tester-design-*.json"))
    assert backups and any(json.loads(b.read_text(encoding="utf-8"))["form"]["chosen"] == "kyosai" for b in backups)


def test_the_plan_survives_a_new_process(private_workspace):
    """Two Python processes stand for a kernel before and after a restart; the last typing is saved at exit."""
    import os

    write = textwrap.dedent("""
        from kyodo import design
        form = design.step_form()
        form.reason.value = "一緒に主催したい"
        roles = design.step_roles()
        roles.cards["us"]["does"].value = "調整"
        review = design.step_review()
        review.notes.value = "話し合ったこと"
        # no flush: the debounced saves are still waiting when the process ends
    """)
    read = textwrap.dedent("""
        from kyodo import design
        d = design.summary().design()
        print(d.form.reason, d.roles.role("us").does, d.review.notes, sep="|")
    """)
    env = dict(os.environ)
    subprocess.run([sys.executable, "-c", write], check=True, env=env, capture_output=True)
    out = subprocess.run([sys.executable, "-c", read], check=True, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "一緒に主催したい|調整|話し合ったこと"


def test_the_summary_says_when_printing_is_not_possible(course, private_workspace, monkeypatch):
    from kyodo.design import printable
    from kyodo.widgets.design_summary import DesignSummaryWidget

    pytest.importorskip("kyodo.printing")
    from kyodo.printing import PrintError

    def fail(*args, **kwargs):
        raise PrintError("PDF に印刷できません: テストの理由")

    monkeypatch.setattr(printable, "print_documents", fail)
    w = DesignSummaryWidget(course, store=Store.open(private_workspace, "tester"), export_folder=private_workspace)
    w.print_button.click()
    assert w.feedback.kind == "warning" and "印刷できませんでした。PDF に印刷できません: テストの理由" in w.feedback.text


# --- printing ---------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
needs_printing = pytest.mark.skipif(not CHROMIUM.exists() or shutil.which("fc-list") is None,
                                    reason="printing needs Chromium (/usr/bin/chromium) and fontconfig")
ARTIFACTS = ROOT / "artifacts" / "plan_pdf"
PAGE_BOUNDS = {"plan": (2, 8), "agreement": (1, 5), "review": (1, 4)}


@needs_printing
@pytest.mark.parametrize("stem", ["group1", "group3"])
def test_the_sample_plans_print_as_a4_pdfs(course, stem, tmp_path):
    printing = pytest.importorskip("kyodo.printing")
    if printing.check_fonts():
        pytest.skip(printing.check_fonts())
    from kyodo.design.printable import print_documents

    design = read_export(SAMPLE_FOLDER / f"{stem}.html", course)
    paths = print_documents(design, tmp_path, stem)
    assert [p.name for p in paths] == [f"{stem}-plan.pdf", f"{stem}-agreement.pdf", f"{stem}-review.pdf"]
    learner = [design.title, design.finder.purpose, design.partners[0].name]
    if stem == "group1":
        learner += [design.roles.role("p1").does, design.risks.risks[0].response, design.measures.of("o1").indicator]
    for path, kind in zip(paths, ("plan", "agreement", "review")):
        report = printing.pdf_report(path)
        assert report.a4 and report.fonts_embedded, (kind, report.fonts)
        lo, hi = PAGE_BOUNDS[kind]
        assert lo <= len(report.pages) <= hi, (kind, len(report.pages))
        text = "".join(report.text.split())
        assert f"1/{len(report.pages)}" in text  # the page number in the footer
        if kind == "plan":
            for part in learner:
                assert "".join(part.split()) in text, part
        if kind == "agreement":
            assert "法務" in text and "下書き(案)" in text
        if stem == "group1":
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / path.stem)], check=True)
    if stem == "group1":
        assert "見方の差" in "".join(printing.pdf_report(paths[2]).text.split())


@needs_printing
def test_hostile_text_prints_as_text(course, tmp_path):
    printing = pytest.importorskip("kyodo.printing")
    if printing.check_fonts():
        pytest.skip(printing.check_fonts())
    from kyodo.design.printable import print_documents

    raw = full()
    raw["issue"]["values"]["team"] = "<script>document.body.innerHTML='x'</script>班"
    raw["roles"]["parties"]["us"]["does"] = "手を見て<b>長く</b>高く"
    [path] = print_documents(design_from_states(course, raw), tmp_path, "hostile", kinds=("plan",))
    text = "".join(printing.pdf_report(path).text.split())
    assert "<script>document.body.innerHTML='x'</script>班" in text and "手を見て<b>長く</b>高く" in text
    assert len(printing.pdf_report(path).pages) >= 2  # the script did not replace the page


def test_the_house_words_hold_in_the_new_text():
    from kyodo.house_style import findings

    for path in [ROOT / "data" / "partnering.yml",
                 *(ROOT / "src" / "kyodo" / "locales" / "ja" / f"{n}.yml" for n in ("plan", "review", "agreement",
                                                                                       "print"))]:
        assert findings(path.read_text(encoding="utf-8")) == [], path.name


def test_every_problem_of_the_plan_has_a_name_in_the_class_overview(course):
    from kyodo.design.overview import check_label

    raw = full(review={"answers": {"us": {"again": 1}}})
    raw["roles"]["activities"] = {}
    raw["roles"]["costs"] = [{"item": "", "amount": "1円", "bearer": None}, {"item": "謝礼", "bearer": "p5"}]
    raw["risks"] = {"risks": [{"text": "", "response": "延期"}], "personal": {"handled": "yes"}}
    raw["measures"] = {"measures": {"o1": {"indicator": "台数"}}}
    raw["calendar"]["months"] = {"start": 12, "decision": 13}
    raw["roles"]["parties"]["p2"] = {}
    raw["first_step"]["contact"] = {"kind": "other_city", "email": "x", "phone": "x", "site": "x"}
    codes = check(course, raw).codes()
    assert {"work_no_owner", "cost_no_item", "owner_gone", "partner_only_receives", "risk_no_text", "risk_incomplete",
            "personal_incomplete", "measure_incomplete", "calendar_missing", "calendar_order", "desk_incomplete",
            "desk_bad_email", "desk_bad_phone", "desk_bad_site", "review_one_side", "review_no_decision"} <= codes
    for code in codes | {f"empty_{s}" for s in PLAN_STEPS} | {"cost_no_bearer", "no_risks", "personal_unanswered",
                                                             "outcome_no_measure", "review_no_next"}:
        assert check_label(code) != code, code


def test_the_summary_says_when_there_is_no_printing_module(course, private_workspace, monkeypatch):
    from kyodo.widgets.design_summary import DesignSummaryWidget

    monkeypatch.setitem(sys.modules, "kyodo.printing", None)  # importing it fails
    w = DesignSummaryWidget(course, store=Store.open(private_workspace, "tester"), export_folder=private_workspace)
    w.print_button.click()
    assert w.feedback.kind == "warning" and "HTML のファイルをブラウザーで開いて印刷" in w.feedback.text


@needs_printing
def test_the_print_button_prints_the_three_documents_into_the_export_folder(course, private_workspace, tmp_path):
    printing = pytest.importorskip("kyodo.printing")
    if printing.check_fonts():
        pytest.skip(printing.check_fonts())
    from kyodo import design

    _shared({})
    summary = design.summary()
    summary.export_folder = tmp_path / "exports"
    summary.import_design(read_export(SAMPLE_FOLDER / "group1.html", course))
    form = design.step_form()
    form.debounce = 30
    form.reason.value = "印刷の直前に書いた理由"  # not saved yet: the print saves it first
    summary.print_button.click()
    assert summary.feedback.kind == "success", summary.feedback.text
    files = sorted(p.name for p in (tmp_path / "exports").glob("*.pdf"))
    assert files == ["tester-design-agreement.pdf", "tester-design-plan.pdf", "tester-design-review.pdf"]
    plan = printing.pdf_report(tmp_path / "exports" / "tester-design-plan.pdf")
    assert "印刷の直前に書いた理由" in "".join(plan.text.split())
