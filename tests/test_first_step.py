"""Lesson first_step: the consultation checklist, the first-contact sorting, views and data checks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from kyodo.data import DataError
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
from kyodo.exercises.sorting import Mark
from kyodo.lessons import first_step
from kyodo.storage import Store
from kyodo.widgets.first_questions import FirstQuestionsWidget, checklist_html
from kyodo.widgets.stacked import StackedSortingWidget

FULL = {
    "what": "駅前の公園で、子育て中の親子が気軽に集まれる場を月に一度ひらきたい",
    "for_whom": "近所に知り合いの少ない、乳幼児を育てている親",
    "have": "活動したい仲間、保育の経験",
    "lack": "雨の日に使える屋内の場所",
    "lack_kinds": ["facilities"],
    "partner": "neighbourhood_association",
}


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


# --- exercise 2: the first contact ------------------------------------------------------------

@pytest.fixture
def contact(loaded):
    return first_step.first_contact_task(loaded[1])


def test_first_contact_categories_and_items(contact):
    assert [c.label for c in contact.categories] == [
        "まず自分たちで目的を整理する", "協働・連携推進課に相談する", "団体の情報サイトで探す", "提案を募る仕組みを使う (CASE1 の例)"]
    assert len(contact.items) == 9
    answers = {i.id: i.answer for i in contact.items}
    assert answers["which_section"] == "desk" and answers["ward_proposal"] == "scheme"
    assert answers["just_collaborate"] == "purpose_first" and answers["find_elderly_group"] == "search"
    assert {c.id for c in contact.categories} == set(answers.values())


def test_first_contact_right_partial_wrong(contact):
    for item in contact.items:
        contact.assign(item.id, item.answer)
    assert contact.check().complete
    contact.reset()
    item = next(i for i in contact.items if i.id == "find_elderly_group")
    contact.assign(item.id, "desk")
    contact.assign("which_section", "desk")
    check = contact.check()
    assert (check.correct, check.unanswered) == (1, 7)
    wrong = next(r for r in check.results if r.item.id == item.id)
    assert wrong.mark is Mark.WRONG and "「協働・連携推進課に相談する」ではありません" in wrong.message
    assert "団体の情報サイトで探す" not in wrong.message
    assert item.text in contact.hint()
    assert not contact.assign("which_section", "nowhere")


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
    assert material.first_contact.hypothetical is True and material.example.hypothetical is True


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
        d["first_contact"]["items"][0]["answer"] = "elsewhere"
        d["example"]["partner"] = "nobody"

    rewrite(data_copy, change)
    text = broken(data_copy)
    for value in ("'money'", "'aliens'", "'case9'", "'elsewhere'", "'nobody'"):
        assert f"{value} はありません" in text, value
    assert "5 件の問題" in text


def test_unknown_field_and_duplicate_ids(data_copy):
    def change(d):
        d["checklist"]["questions"][0]["note"] = "x"

    rewrite(data_copy, change)
    assert "checklist.questions[1] (id: which_section) の項目 'note': この項目は使えません" in broken(data_copy)

    def dup(d):
        del d["checklist"]["questions"][0]["note"]
        d["first_contact"]["items"][1]["id"] = d["first_contact"]["items"][0]["id"]

    rewrite(data_copy, dup)
    assert "id 'which_section' が重複しています" in broken(data_copy)


def test_interpretation_flag_is_required(data_copy):
    rewrite(data_copy, lambda d: d["checklist"].update(interpretation=False))
    assert "checklist" in broken(data_copy) and "interpretation" in broken(data_copy)


# --- the widgets, driven as a learner would ----------------------------------------------------

@pytest.fixture
def widget(guide, store) -> FirstQuestionsWidget:
    return FirstQuestionsWidget(guide, guide.desk_name, "first_step/first_questions", "演習1", store=store)


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
    widget.make_button.click()
    assert widget.feedback.kind == "info" and "まず「やりたいこと (目的)」" in widget.feedback.text
    assert widget.result.value == ""


def test_widget_complete_idea_shows_the_checklist(widget):
    fill(widget)
    widget.make_button.click()
    assert widget.feedback.kind == "success"
    assert "質問リストができました" in widget.feedback.widget.value
    html = widget.result.value
    assert "相談窓口 (川崎市市民文化局コミュニティ推進部協働・連携推進課) で尋ねること" in html
    assert "いきいきかわさき区提案事業" in html and "パンフレット P2、CASE1" in html
    assert widget.last is not None and widget.last.ready


def test_widget_vague_idea_lists_what_is_vague(widget):
    fill(widget, what="連携したい", for_whom="みんな", partner=None)
    widget.make_button.click()
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
    widget.make_button.click()
    assert "<img" not in widget.result.value and "&lt;img" in widget.result.value


def test_widget_says_when_the_list_is_out_of_date(widget):
    fill(widget)
    widget.make_button.click()
    widget.partner.value = "university"
    assert "もう一度「質問リストをつくる」" in widget.feedback.text


def test_widget_work_survives_a_restart(guide, private_workspace):
    first = FirstQuestionsWidget(guide, guide.desk_name, "first_step/first_questions", "演習1",
                                 store=Store.open(private_workspace, "tester"))
    fill(first)
    again = FirstQuestionsWidget(guide, guide.desk_name, "first_step/first_questions", "演習1",
                                 store=Store.open(private_workspace, "tester"))
    assert again.texts["what"].value == FULL["what"]
    assert again.kinds["facilities"].value and not again.kinds["human_network"].value
    assert again.partner.value == "neighbourhood_association"
    assert "前回の続きから再開します (保存されていた 6 件" in again.feedback.text


def test_widget_restore_drops_what_does_not_fit(guide, private_workspace):
    store = Store.open(private_workspace, "tester")
    store.save("first_step/first_questions", {"what": 5, "have": "x\x00y", "lack_kinds": ["money", "facilities"],
                                              "partner": "aliens"})
    w = FirstQuestionsWidget(guide, guide.desk_name, "first_step/first_questions", "演習1",
                             store=Store.open(private_workspace, "tester"))
    assert w.texts["what"].value == "" and w.texts["have"].value == "xy"
    assert w.kinds["facilities"].value and w.partner.value is None
    w2 = FirstQuestionsWidget(guide, guide.desk_name, "other", "演習1", store=Store.open(private_workspace, "tester"))
    assert w2.restore("garbage") == 0


def test_widget_two_step_reset(widget, private_workspace):
    widget.reset_button.click()
    assert "消すものはありません" in widget.feedback.text
    fill(widget)
    widget.make_button.click()
    widget.reset_button.click()
    assert "6 か所" in widget.feedback.text and widget.texts["what"].value
    widget.hint_button.click()  # another action cancels the pending reset
    widget.reset_button.click()
    assert widget.texts["what"].value
    widget.reset_button.click()
    assert all(box.value == "" for box in widget.texts.values()) and widget.partner.value is None
    assert widget.result.value == "" and "はじめからやり直せる" in widget.feedback.text
    assert Store.open(private_workspace, "tester").get("first_step/first_questions") is None


def test_widget_unexpected_error_becomes_a_message(widget, monkeypatch):
    import kyodo.widgets.first_questions as module

    def boom(*_a, **_k):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(module, "build_checklist", boom)
    widget.make_button.click()
    assert widget.feedback.kind == "error" and "RuntimeError" in widget.feedback.text
    assert "secret detail" not in widget.feedback.text


def test_first_contact_widget_shows_full_sentences(loaded, store):
    w = StackedSortingWidget(first_step.first_contact_task(loaded[1]), "first_step/first_contact", "演習2", "t", "i",
                             store=store)
    first_row = w.ui.children[1]
    item = w.task.items[0]
    assert item.text in first_row.children[0].value
    assert w.choices[item.id].description == "1."
    assert "…" not in first_row.children[0].value
    w.choices[item.id].value = item.answer
    w.check_button.click()
    assert "✅" in w.marks[item.id].value and "正解です" in w.marks[item.id].value
    assert "9 項目のうち 1 項目が正解" in w.feedback.widget.value


def test_facade_functions(monkeypatch, data_copy):
    import kyodo.lesson

    shown: list[str] = []
    monkeypatch.setattr(first_step, "display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(kyodo.lesson, "display", lambda obj: shown.append(obj.data))
    w = first_step.first_questions("演習1")
    assert isinstance(w, FirstQuestionsWidget) and w.key == "first_step/first_questions"
    assert isinstance(first_step.first_contact("演習2"), StackedSortingWidget)
    first_step.contacts()
    first_step.worked_example()
    assert "044-200-3708" in shown[0] and "架空の例" in shown[1]
    rewrite(data_copy, lambda d: d["example"].update(partner="nobody"))
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    assert first_step.first_questions("演習1") is None
    assert "role='alert'" in shown[-1] and "&#x27;nobody&#x27; はありません" in shown[-1]
