"""Lesson first_step: the consultation checklist (演習1), the first contact (演習2, registry), views and data checks."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

import kyodo
from kyodo.data import DataError
from kyodo.exercises.choice import Mark
from kyodo.exercises.first_questions import (
    MAX_FIELD_CHARS,
    Checklist,
    IdeaForm,
    build_checklist,
    clean_form,
    next_hint,
    quote,
    template_fields,
)
from kyodo.lessons import first_step
from kyodo.registry import ChoiceSpec, choice_task, load_registry
from kyodo.solutions import answer_key_markdown, solution_html
from kyodo.storage import Store
from kyodo.widgets.choice import ChoiceWidget
from kyodo.widgets.first_questions import FirstQuestionsWidget, checklist_html

FULL = {
    "what": "駅前の公園で、子育て中の親子が気軽に集まれる場を月に一度ひらきたい",
    "for_whom": "近所に知り合いの少ない、乳幼児を育てている親",
    "have": "活動したい仲間、保育の経験",
    "lack": "雨の日に使える屋内の場所",
    "lack_kinds": ["facilities"],
    "partner": "neighbourhood_association",
}


REGISTRY = load_registry()
OLD_KEYS = {"first_step-ex1": "first_step/first_questions", "first_step-ex2": "first_step/first_contact"}
"""The keys the lesson's old exercise functions saved under (``f"{LESSON_ID}/..."``)."""


@pytest.fixture(scope="module")
def loaded():
    return first_step.load()


@pytest.fixture(scope="module")
def guide(loaded):
    course, material = loaded
    return first_step.build_guide(course, material)


def make(guide, **changes) -> Checklist:
    return build_checklist({**FULL, **changes}, guide)


def codes(checklist: Checklist) -> list[str]:
    return [a.code for a in checklist.advice]


# --- the checklist: right, partial, wrong, malformed --------------------------------------

def test_a_complete_idea_is_ready_and_gives_concrete_questions(guide):
    cl = make(guide)
    assert cl.ready and not cl.empty and cl.advice == ()
    ids = [q.id for q in cl.questions]
    assert ids[:4] == ["which_section", "what_we_bring", "same_target", "proposal_scheme"]
    assert "kind_facilities" in ids and "partner_neighbourhood_association" in ids
    which = cl.questions[0]
    assert which.text.startswith("「駅前の公園で、子育て中の親子が気軽に集まれる場を") and "…" in which.text
    assert "どの課が担当" in which.text
    scheme = next(q for q in cl.questions if q.id == "proposal_scheme")
    assert "いきいきかわさき区提案事業" in scheme.text and scheme.source == "パンフレット P2、CASE1"
    prep = {p.id: p for p in cl.prepare}
    assert "応援ナビかわさき" in prep["search_sites"].text and "ふくみみ" in prep["search_sites"].text
    assert "044-200-3708" in prep["contact"].text and "25kyodo@city.kawasaki.jp" in prep["contact"].text
    assert "顔の見える関係" in prep["prepare_neighbourhood_association"].text
    assert "はっきりしない点は見当たりません" in cl.summary


def test_each_kind_and_partner_adds_its_own_question(guide):
    for kind in ("knowledge_skills", "human_network", "facilities"):
        assert f"kind_{kind}" in [q.id for q in make(guide, lack_kinds=[kind]).questions]
    company = make(guide, partner="company")
    assert any("包括連携協定" in q.why for q in company.questions)
    assert any("メリット" in p.text for p in company.prepare)
    university = make(guide, partner="university")
    assert any("教育や研究" in p.text for p in university.prepare)
    unknown = make(guide, partner="unknown")
    assert any(q.id == "partner_unknown" and "「雨の日に使える屋内の場所」" in q.text for q in unknown.questions)


def test_every_actor_type_and_unknown_has_tips(loaded, guide):
    course, _ = loaded
    for t in course.policy_types:
        assert t.id in guide.partner_questions and t.id in guide.partner_prepare, t.id
    assert "unknown" in guide.partner_questions


def test_an_empty_form_asks_to_start_with_the_purpose(guide):
    cl = build_checklist({}, guide)
    assert cl.empty and not cl.ready and cl.questions == () and cl.prepare == ()
    assert "まず「やりたいこと (目的)」" in cl.summary
    assert "やりたいこと (目的)" in next_hint(cl)
    assert checklist_html(cl, guide.desk_name) == ""


def test_missing_purpose_comes_first_and_its_question_is_left_out(guide):
    cl = make(guide, what="   ")
    assert codes(cl)[0] == "what_empty"
    assert "which_section" not in [q.id for q in cl.questions]
    assert "目的" in next_hint(cl) and "P7" in next_hint(cl)


def test_collaboration_as_the_purpose_is_called_a_means(guide):
    assert codes(make(guide, what="企業と連携したい")) == ["means_only"]
    assert "手段" in make(guide, what="企業と連携したい").advice[0].text
    long_purpose = "地域の企業と連携して、ひとり暮らしの高齢者の見守りの輪を商店街に広げたい"
    assert codes(make(guide, what=long_purpose)) == []
    assert codes(make(guide, what="公園清掃")) == ["what_short"]


def test_target_group_missing_or_too_broad(guide):
    assert codes(make(guide, for_whom="")) == ["for_whom_empty"]
    assert codes(make(guide, for_whom="みんな")) == ["for_whom_broad"]
    assert "CASE1" in make(guide, for_whom="市民全体").advice[0].hint
    assert codes(make(guide, for_whom="地域のみんなのうち、夜に一人で過ごす中学生")) == []


def test_nothing_words_count_as_empty_and_are_not_quoted(guide):
    cl = make(guide, have="特になし")
    assert codes(cl) == ["have_empty"]
    assert "what_we_bring" not in [q.id for q in cl.questions]
    assert codes(make(guide, lack="わからない", lack_kinds=[])) == ["lack_empty"]


def test_kinds_and_lack_must_agree(guide):
    cl = make(guide, lack="", lack_kinds=["human_network", "facilities"])
    assert codes(cl) == ["kinds_without_text"]
    assert "人的ネットワーク・施設や設備" in cl.advice[0].text
    assert codes(make(guide, lack_kinds=[])) == ["lack_no_kind"]


def test_no_partner_chosen(guide):
    cl = make(guide, partner=None)
    assert codes(cl) == ["partner_none"]
    assert "まだわからない" in cl.advice[0].hint


def test_the_same_text_twice_is_pointed_out(guide):
    cl = make(guide, lack="活動したい仲間、保育の経験")
    assert codes(cl) == ["duplicate"]
    assert "「すでにあるもの (仲間・経験・場所など)」と「足りないもの」" in cl.advice[0].text


def test_symbols_only_and_several_problems_at_once(guide):
    cl = make(guide, what="!!!???", for_whom="", partner=None)
    assert codes(cl) == ["symbols", "for_whom_empty", "partner_none"]
    assert "記号だけ" in cl.advice[0].text
    assert "3 つあります" in cl.summary
    assert next_hint(cl) == cl.advice[0].hint


def test_malformed_input_never_fails(guide):
    for raw in (None, "garbage", 42, [1, 2], {"what": None}):
        cl = build_checklist(raw, guide)
        assert cl.empty
    cl = build_checklist({"what": 123, "lack_kinds": "facilities", "partner": ["x"]}, guide)
    assert cl.empty
    assert any("文字として読めなかった" in n for n in cl.notices)
    assert any("足りないものの種類" in n for n in cl.notices)
    assert any("相手の種類" in n for n in cl.notices)
    form, notices = clean_form({"lack_kinds": ["facilities", "facilities", "<b>", 3], "partner": "aliens"}, guide)
    assert form.lack_kinds == ("facilities",) and form.partner is None
    assert len(notices) == 3


def test_huge_text_and_control_characters_are_cleaned_with_a_notice(guide):
    cl = make(guide, what="あ" * 10_000, have="仲間\x00と\x1b経験\x7f")
    assert len(cl.form.what) == MAX_FIELD_CHARS
    assert cl.form.have == "仲間と経験"
    assert any("300 文字までにしました" in n for n in cl.notices)
    assert any("制御文字を取り除きました" in n for n in cl.notices)
    assert len(cl.questions[0].text) < 80


def test_html_stays_text_in_the_logic_and_is_escaped_on_screen(guide):
    cl = make(guide, what="<script>alert('x')</script>を防ぐ見守り活動をはじめたい")
    assert "<script>" in cl.questions[0].text
    html = checklist_html(cl, guide.desk_name)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_form_object_is_used_as_it_is(guide):
    form = IdeaForm(what=FULL["what"], for_whom=FULL["for_whom"], have=FULL["have"], lack=FULL["lack"],
                    lack_kinds=("facilities",), partner="company")
    assert build_checklist(form, guide).ready


def test_quote_and_template_helpers():
    assert quote("一行目\n\n  二行目") == "一行目 二行目"
    assert quote("あ" * 40, 10) == "あ" * 10 + "…"
    assert template_fields("「{what}」を{desk}へ") == {"what", "desk"}
    with pytest.raises(ValueError):
        template_fields("{what")


def test_checklist_as_text_numbers_the_questions(guide):
    text = make(guide).as_text(guide.desk_name)
    assert text.splitlines()[0] == "相談窓口 (川崎市市民文化局コミュニティ推進部協働・連携推進課) で尋ねること"
    assert "\n1. 「駅前の公園で" in text and "\n- 目的・対象" in text


# --- the registry entries --------------------------------------------------------------------------

def write_old_save(folder: Path, key: str, state: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"format": "kyodo-progress", "version": 1, "exercises": {key: state}}
    (folder / "tester.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def contact_spec() -> ChoiceSpec:
    spec = REGISTRY.get("first_step-ex2")
    assert isinstance(spec, ChoiceSpec)
    return spec


def test_every_exercise_of_the_lesson_is_registered_with_its_old_key():
    specs = REGISTRY.of_lesson("first_step")
    assert [s.id for s in specs] == list(OLD_KEYS)
    for s in specs:
        assert s.legacy_keys == [OLD_KEYS[s.id]], s.id
        assert s.facilitator.checking and s.facilitator.mistakes and s.facilitator.prompts, s.id
        assert s.solution_note, s.id
    assert REGISTRY.get("first_step-ex1").kind == "first_questions"


def test_first_contact_answers_also_answers_and_clues(course):
    spec = contact_spec()
    assert spec.layout == "stacked" and spec.mode == "one"
    task = choice_task(spec, course)
    for item in spec.items:
        accepted = {item.answer: Mark.RIGHT, **{a.answer: Mark.ALSO for a in item.also}}
        for option in spec.options:
            task.reset()
            task.choose(item.id, option.id)
            result = task.judge(task.item(item.id))
            assert result.mark is accepted.get(option.id, Mark.WRONG), (item.id, option.id)
            if result.mark is Mark.WRONG:
                assert task.option(item.answer).clue in result.message
                assert task.label(item.answer) not in result.message
    assert {o.id for o in spec.options} == {i.answer for i in spec.items}
    for item in spec.items:
        assert "(P" in item.why or "P7" in item.why, item.id


# --- decision 7: for the ward proposal, asking the consultation desk is another way ---------------------

def test_decision_ward_proposal_also_accepts_asking_the_desk(course):
    item = next(i for i in contact_spec().items if i.id == "ward_proposal")
    assert item.answer == "scheme" and [a.answer for a in item.also] == ["desk"]
    assert "一つの道" in item.why and "一つの道" in item.also[0].comment
    task = choice_task(contact_spec(), course)
    task.choose("ward_proposal", "desk")
    result = task.judge(task.item("ward_proposal"))
    assert result.mark is Mark.ALSO and "この読み方もできます" in result.message
    task.choose("ward_staff", "desk")
    assert task.judge(task.item("ward_staff")).mark is Mark.WRONG
    for item_id in ("ward_proposal", "ward_staff"):
        task.choose(item_id, "scheme")
        assert task.judge(task.item(item_id)).mark is Mark.RIGHT
    assert "窓口で尋ねるのも一つの道" in solution_html("first_step-ex2")


def test_first_contact_widget_shows_full_sentences_and_checks(store):
    w = kyodo.exercise("first_step-ex2", store=store)
    assert isinstance(w, ChoiceWidget) and w.layout == "stacked" and w.key == "first_step-ex2"
    first_row = w.ui.children[1]
    item = w.task.items[0]
    assert item.text in first_row.children[0].value and "…" not in first_row.children[0].value
    w.dropdowns[item.id][0].value = str(item.right[0].value)
    w.check_button.click()
    assert "✅" in w.marks[item.id].value and "正解です" in w.marks[item.id].value
    assert "9 項目のうち 1 項目ができています" in w.feedback.widget.value
    w.dropdowns["ward_proposal"][0].value = "desk"
    w.check_button.click()
    assert "✅" in w.marks["ward_proposal"].value and "この読み方もできます" in w.marks["ward_proposal"].value
    w.dropdowns["find_elderly_group"][0].value = "desk"
    w.hint_button.click()
    assert "高齢者の見守り" in w.feedback.text and "ヒント" in w.feedback.text
    w.hint_button.click()
    assert "団体の情報サイトで探す" in w.feedback.text


def test_first_contact_old_save_is_restored(private_workspace):
    write_old_save(private_workspace, "first_step/first_contact",
                   {"answers": {"just_collaborate": "purpose_first", "which_section": "nowhere"}})
    w = kyodo.exercise("first_step-ex2", store=Store.open(private_workspace, "tester"))
    assert w.dropdowns["just_collaborate"][0].value == "purpose_first"
    assert w.dropdowns["which_section"][0].value is None
    assert "1 件" in w.feedback.text


def test_solutions_and_answer_key_come_from_the_registry():
    page = solution_html("first_step-ex1")
    assert page.startswith("<details>") and "応援ナビかわさき" in page and "<table" not in page
    contact = solution_html("first_step-ex2")
    assert contact.count("<tr>") == 1 + len(contact_spec().items)
    key = answer_key_markdown("first_step")
    assert "{ref}`first_step-ex1`" in key and "{ref}`first_step-ex2`" in key
    assert "この読み方もできます" in key


# --- views ----------------------------------------------------------------------------------------

def test_contacts_view_shows_the_desk_and_sites_as_plain_links(loaded):
    course, _ = loaded
    html = first_step.contacts_html(course)
    for text in ("協働・連携推進課", "044-200-3708", "044-200-3800", "25kyodo@city.kawasaki.jp",
                 "〒210-0007", "応援ナビかわさき", "かわさき市民活動センター", "ふくみみ", "川崎市社会福祉協議会"):
        assert text in html, text
    assert "<a href='http://kawasaki.genki365.net/' rel='noopener noreferrer'>" in html
    assert "<img" not in html and "<script" not in html and "<iframe" not in html


def test_contacts_view_escapes_and_never_links_other_schemes(loaded):
    course, _ = loaded
    site = course.contacts.information_sites[0].model_copy(update={"name": "<b>x</b>", "url": "javascript:alert(1)"})
    contacts = course.contacts.model_copy(update={"information_sites": [site]})
    html = first_step.contacts_html(dataclasses.replace(course, contacts=contacts))
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "href='javascript" not in html and "javascript:alert(1)" in html


def test_worked_example_is_hypothetical_and_computed(loaded):
    course, material = loaded
    html = first_step.worked_example_html(course, material)
    assert html.startswith("<details><summary>解答例")
    assert "架空の例" in html and "町内会・自治会" in html
    assert "はっきりしない点は見当たりません" in html
    assert "いきいきかわさき区提案事業" in html


# --- the data ---------------------------------------------------------------------------------------

def rewrite(folder: Path, change) -> None:
    path = folder / "lessons" / "first_step.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def broken(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        first_step.load(folder)
    return str(info.value)


def test_material_loads(loaded):
    _, material = loaded
    assert material.checklist.interpretation is True
    assert material.example.hypothetical is True


def test_unknown_placeholder_is_reported_with_its_place(data_copy):
    rewrite(data_copy, lambda d: d["checklist"]["questions"][0].update(text="「{whatt}」について"))
    text = broken(data_copy)
    assert "first_step.yml: checklist.questions[1] の項目 'text'" in text
    assert "使えない差し込み whatt" in text


def test_malformed_template_is_reported(data_copy):
    rewrite(data_copy, lambda d: d["checklist"]["prepare"][1].update(why="{sites の説明"))
    assert "差し込み ({...}) の書き方に誤り" in broken(data_copy)


def test_page_must_match_the_case(data_copy):
    rewrite(data_copy, lambda d: d["checklist"]["questions"][3].update(page=5))
    assert "page 5 が事例 case1 のページ (P2) と違います" in broken(data_copy)


def test_unknown_references_are_reported(data_copy):
    def change(d):
        d["checklist"]["by_kind"][0]["kind"] = "money"
        d["checklist"]["by_partner"][0]["partner"] = "aliens"
        d["checklist"]["by_partner"][1]["case"] = "case9"
        d["example"]["partner"] = "nobody"

    rewrite(data_copy, change)
    text = broken(data_copy)
    for value in ("'money'", "'aliens'", "'case9'", "'nobody'"):
        assert f"{value} はありません" in text, value
    assert "4 件の問題" in text


def test_unknown_field_and_duplicate_ids(data_copy):
    def change(d):
        d["checklist"]["questions"][0]["note"] = "x"

    rewrite(data_copy, change)
    assert "checklist.questions[1] (id: which_section) の項目 'note': この項目は使えません" in broken(data_copy)

    def dup(d):
        del d["checklist"]["questions"][0]["note"]
        d["checklist"]["prepare"][1]["id"] = d["checklist"]["prepare"][0]["id"]

    rewrite(data_copy, dup)
    assert "id 'memo' が重複しています" in broken(data_copy)


def test_interpretation_flag_is_required(data_copy):
    rewrite(data_copy, lambda d: d["checklist"].update(interpretation=False))
    assert "checklist" in broken(data_copy) and "interpretation" in broken(data_copy)


# --- the widgets, driven as a learner would ----------------------------------------------------

@pytest.fixture
def widget(store) -> FirstQuestionsWidget:
    return kyodo.exercise("first_step-ex1", store=store)


def test_widget_is_the_registered_exercise(widget):
    assert isinstance(widget, FirstQuestionsWidget) and widget.key == "first_step-ex1"
    heading = widget.ui.children[0].value
    assert "演習1" in heading and REGISTRY.get("first_step-ex1").title in heading


def fill(w: FirstQuestionsWidget, **values) -> None:
    data = {**FULL, **values}
    for name in ("what", "for_whom", "have", "lack"):
        w.texts[name].value = data[name]
    for kind, check in w.kinds.items():
        check.value = kind in data["lack_kinds"]
    w.partner.value = data["partner"]


def test_widget_starts_empty_with_the_policy_kinds_and_partners(widget):
    assert [c.description for c in widget.kinds.values()] == ["知識や能力", "人的ネットワーク", "施設や設備"]
    labels = [label for label, _ in widget.partner.options]
    assert labels[0] == "(選んでください)" and labels[-1] == "まだわからない" and "大学" in labels
    assert all(box.value == "" for box in widget.texts.values()) and widget.result.value == ""


def test_widget_empty_click_says_where_to_start(widget):
    widget.check_button.click()
    assert widget.feedback.kind == "info" and "まず「やりたいこと (目的)」" in widget.feedback.text
    assert widget.result.value == ""


def test_widget_complete_idea_shows_the_checklist(widget):
    fill(widget)
    widget.check_button.click()
    assert widget.feedback.kind == "success"
    assert "質問リストができました" in widget.feedback.widget.value
    html = widget.result.value
    assert "相談窓口 (川崎市市民文化局コミュニティ推進部協働・連携推進課) で尋ねること" in html
    assert "いきいきかわさき区提案事業" in html and "パンフレット P2、CASE1" in html
    assert widget.last is not None and widget.last.ready


def test_widget_vague_idea_lists_what_is_vague(widget):
    fill(widget, what="連携したい", for_whom="みんな", partner=None)
    widget.check_button.click()
    assert widget.feedback.kind == "warning"
    text = widget.feedback.text
    assert "手段" in text and "広すぎ" in text and "相手の種類が選ばれていません" in text
    widget.hint_button.click()
    assert "成果で考える" in widget.feedback.text


def test_widget_cleans_what_is_typed(widget):
    widget.texts["have"].value = "仲間\x00\x07と経験"
    assert widget.texts["have"].value == "仲間と経験"
    assert widget.feedback.kind == "warning" and "制御文字" in widget.feedback.text
    widget.texts["what"].value = "い" * 5000
    assert len(widget.texts["what"].value) == MAX_FIELD_CHARS
    assert "300 文字まで" in widget.feedback.text


def test_widget_escapes_html_in_the_checklist(widget):
    fill(widget, what="<img src=x onerror=alert(1)>の見守り活動を商店街で広げたい")
    widget.check_button.click()
    assert "<img" not in widget.result.value and "&lt;img" in widget.result.value


def test_widget_says_when_the_list_is_out_of_date(widget):
    fill(widget)
    widget.check_button.click()
    widget.partner.value = "university"
    assert "もう一度「質問リストをつくる」" in widget.feedback.text


def test_widget_work_survives_a_restart(private_workspace):
    first = kyodo.exercise("first_step-ex1", store=Store.open(private_workspace, "tester"))
    fill(first)
    assert Store.open(private_workspace, "tester").get("first_step-ex1")["partner"] == "neighbourhood_association"
    again = kyodo.exercise("first_step-ex1", store=Store.open(private_workspace, "tester"))
    assert again.texts["what"].value == FULL["what"]
    assert again.kinds["facilities"].value and not again.kinds["human_network"].value
    assert again.partner.value == "neighbourhood_association"
    assert "前回の続きから再開します (保存されていた 6 件" in again.feedback.text


def test_an_old_save_is_restored_and_what_does_not_fit_is_dropped(private_workspace):
    write_old_save(private_workspace, "first_step/first_questions",
                   {"what": 5, "have": "x\x00y", "lack_kinds": ["money", "facilities"], "partner": "aliens"})
    w = kyodo.exercise("first_step-ex1", store=Store.open(private_workspace, "tester"))
    assert w.texts["what"].value == "" and w.texts["have"].value == "xy"
    assert w.kinds["facilities"].value and w.partner.value is None
    assert w.restore("garbage") == 0


def test_widget_two_step_reset(widget, private_workspace):
    widget.reset_button.click()
    assert "消すものはありません" in widget.feedback.text
    fill(widget)
    widget.check_button.click()
    widget.reset_button.click()
    assert "6 か所" in widget.feedback.text and widget.texts["what"].value
    widget.hint_button.click()  # another action cancels the pending reset
    widget.reset_button.click()
    assert widget.texts["what"].value
    widget.reset_button.click()
    assert all(box.value == "" for box in widget.texts.values()) and widget.partner.value is None
    assert widget.result.value == "" and "はじめからやり直せる" in widget.feedback.text
    assert Store.open(private_workspace, "tester").get("first_step-ex1") is None


def test_widget_unexpected_error_becomes_a_message(widget, monkeypatch):
    import kyodo.exercises.first_questions as module

    def boom(*_a, **_k):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(module, "build_checklist", boom)
    widget.check_button.click()
    assert widget.feedback.kind == "error" and "RuntimeError" in widget.feedback.text
    assert "secret detail" not in widget.feedback.text


def test_views_and_exercises_of_the_notebook(monkeypatch, data_copy):
    import kyodo.cells

    shown: list[str] = []
    monkeypatch.setattr(first_step, "display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(kyodo.cells, "display", lambda obj: shown.append(obj.data))
    first_step.contacts()
    first_step.worked_example()
    assert "044-200-3708" in shown[0] and "架空の例" in shown[1]
    rewrite(data_copy, lambda d: d["example"].update(partner="nobody"))
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    assert first_step.worked_example() is None
    assert "role='alert'" in shown[-1] and "&#x27;nobody&#x27; はありません" in shown[-1]
    assert kyodo.exercise("first_step-ex1") is None
    assert "role='alert'" in shown[-1] and "first_step.yml" in shown[-1]
