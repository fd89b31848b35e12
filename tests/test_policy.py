"""The basic policy: its four exercises (registry), the resource-gap finder's logic, and the lesson's views."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import kyodo
from kyodo.data import DataError
from kyodo.exercises.choice import Mark
from kyodo.exercises.gap_finder import GapFinder, evidence_index, suggest, types_without_evidence
from kyodo.exercises.gap_finder import answer_table as gap_answer_table
from kyodo.lessons import policy
from kyodo.registry import ChoiceSpec, choice_task, load_registry
from kyodo.solutions import answer_table, solution_html
from kyodo.storage import Store
from kyodo.widgets.choice import ChoiceWidget
from kyodo.widgets.gap_finder import GapFinderWidget

REGISTRY = load_registry()
OLD_KEYS = {"policy-ex1": "policy/vision", "policy-ex2": "policy/gap_finder", "policy-ex3": "policy/differences",
            "policy-ex4": "policy/requests"}
"""The keys the lesson's old exercise functions saved under (``f"{LESSON_ID}/..."``)."""
CHOICE_IDS = ["policy-ex1", "policy-ex3", "policy-ex4"]


def spec(exercise_id: str) -> ChoiceSpec:
    found = REGISTRY.get(exercise_id)
    assert isinstance(found, ChoiceSpec)
    return found


def write_old_save(folder: Path, key: str, state: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"format": "kyodo-progress", "version": 1, "exercises": {key: state}}
    (folder / "tester.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


# --- the registry entries ---------------------------------------------------------------------

def test_every_exercise_of_the_lesson_is_registered_with_its_old_key():
    specs = REGISTRY.of_lesson("policy")
    assert [s.id for s in specs] == list(OLD_KEYS)
    for s in specs:
        assert s.legacy_keys == [OLD_KEYS[s.id]], s.id
        assert s.facilitator.checking and s.facilitator.mistakes and s.facilitator.prompts, s.id
        assert s.solution_note, s.id
    assert REGISTRY.get("policy-ex2").kind == "gap_finder"


@pytest.mark.parametrize("exercise_id", CHOICE_IDS)
def test_every_answer_is_right_every_also_is_accepted_and_every_option_is_used(exercise_id, course):
    s = spec(exercise_id)
    assert s.layout == "stacked" and s.mode == "one"
    task = choice_task(s, course)
    for item in s.items:
        task.reset()
        task.choose(item.id, item.answer)
        assert task.judge(task.item(item.id)).mark is Mark.RIGHT, item.id
        for also in item.also:
            task.reset()
            task.choose(item.id, also.answer)
            assert task.judge(task.item(item.id)).mark is Mark.ALSO, item.id
        wrong = [o.id for o in s.options if o.id != item.answer and o.id not in {a.answer for a in item.also}]
        for option in wrong:
            task.reset()
            task.choose(item.id, option)
            result = task.judge(task.item(item.id))
            assert result.mark is Mark.WRONG and task.option(item.answer).clue in result.message, item.id
    assert {o.id for o in s.options} == {i.answer for i in s.items}


def test_vision_items_quote_every_part_of_the_vision_and_the_options_are_its_questions(course):
    task = choice_task(spec("policy-ex1"), course)
    parts = course.policy.vision.parts
    assert [o.label for o in task.options] == [p.question for p in parts]
    texts = {i.id: i.text for i in task.items}
    for part in parts:
        assert texts[f"phrase_{part.id}"] == part.answer
    examples = [i for i in spec("policy-ex1").items if not i.id.startswith("phrase_")]
    assert sorted(i.answer for i in examples) == sorted(p.id for p in parts)
    for item in examples:
        assert "講座の整理" in item.why and item.basis.startswith("講座の読み取り")


@pytest.mark.parametrize("exercise_id", ["policy-ex3", "policy-ex4"])
def test_every_why_names_its_basis_and_a_cited_case_has_its_own_page(exercise_id, course):
    pages = {c.number: c.page for c in course.cases}
    for item in spec(exercise_id).items:
        cited = re.findall(r"根拠: パンフレット CASE(\d) \(P(\d)\)", item.why)
        general = "根拠: 講座の一般的な説明 (パンフレットには書かれていません)" in item.why
        assert bool(cited) != general, item.id
        for number, page in cited:
            assert pages[int(number)] == int(page), item.id
            assert item.basis.startswith(f"P{page} CASE{number}"), item.id
        if general:
            assert item.basis.startswith("講座の一般的な説明"), item.id


def test_differences_options_are_the_lessons_actor_types(course):
    task = choice_task(spec("policy-ex3"), course)
    assert [o.id for o in task.options] == list(policy.LESSON_TYPES)
    assert [o.label for o in task.options] == [course.actor_type(t).name for t in policy.LESSON_TYPES]


# --- decision 9: 「役員会や総会で決める」 also fits citizen groups (NPO corporations hold a 総会 too) ---------

def test_decision_officers_and_general_meetings_also_accept_citizen_groups(course):
    item = next(i for i in spec("policy-ex3").items if i.id == "d_officers")
    assert item.answer == "neighbourhood_association"
    assert [a.answer for a in item.also] == ["citizen_group"] and "総会" in item.also[0].comment
    task = choice_task(spec("policy-ex3"), course)
    task.choose("d_officers", "citizen_group")
    result = task.judge(task.item("d_officers"))
    assert result.mark is Mark.ALSO and "この読み方もできます" in result.message and "NPO法人" in result.message
    task.choose("d_officers", "company")
    assert task.judge(task.item("d_officers")).mark is Mark.WRONG
    assert "NPO法人" in solution_html("policy-ex3")


# --- the choice widgets, driven as a learner would --------------------------------------------------

@pytest.mark.parametrize("exercise_id", CHOICE_IDS)
def test_widget_shows_every_item_in_full_and_the_registry_heading(exercise_id, store):
    w = kyodo.exercise(exercise_id, store=store)
    assert isinstance(w, ChoiceWidget) and w.layout == "stacked" and w.key == exercise_id
    shown = w.ui.children[0].value + "".join(
        row.children[0].value for row in w.ui.children[1:1 + len(w.task.items)])
    assert spec(exercise_id).title in shown
    for item in w.task.items:
        assert item.text in shown


@pytest.mark.parametrize("exercise_id", CHOICE_IDS)
def test_an_old_save_under_the_old_key_is_restored(exercise_id, private_workspace):
    first = spec(exercise_id).items[0]
    write_old_save(private_workspace, OLD_KEYS[exercise_id], {"answers": {first.id: first.answer, "gone": "x"}})
    w = kyodo.exercise(exercise_id, store=Store.open(private_workspace, "tester"))
    assert w.dropdowns[first.id][0].value == first.answer
    assert "1 件" in w.feedback.text
    w.check_button.click()
    assert "✅" in w.marks[first.id].value


def test_requests_widget_right_wrong_and_two_level_hint(store):
    w = kyodo.exercise("policy-ex4", store=store)
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ一つも選ばれていません" in w.feedback.text
    w.dropdowns["r_university_labour"][0].value = "fits"
    w.dropdowns["r_ward_advert"][0].value = "pushes"
    w.check_button.click()
    assert "❌" in w.marks["r_university_labour"].value and "役割を無視して" in w.marks["r_university_labour"].value
    assert "✅" in w.marks["r_ward_advert"].value and "公平さ" in w.marks["r_ward_advert"].value
    w.hint_button.click()
    assert "大学に、学生を" in w.feedback.text and "ヒント" in w.feedback.text
    w.hint_button.click()
    assert "押し付け・できないことの強要" in w.feedback.text
    saved = Store.open(w.store.path.parent, "tester").get("policy-ex4")
    assert saved == {"answers": {"r_university_labour": "fits", "r_ward_advert": "pushes"}}


# --- 演習2: the gap finder as a registered exercise ---------------------------------------------------

def test_gap_widget_heading_comes_from_the_registry(store):
    w = kyodo.exercise("policy-ex2", store=store)
    assert isinstance(w, GapFinderWidget) and w.key == "policy-ex2" and w.legacy_keys == ("policy/gap_finder",)
    heading = w.ui.children[0].value
    assert "演習2" in heading and REGISTRY.get("policy-ex2").title in heading


def test_gap_answer_table_lists_the_suggestions_of_every_kind(course):
    table = answer_table("policy-ex2")
    assert table == gap_answer_table(REGISTRY.get("policy-ex2"), course)
    assert [r[0] for r in table.rows] == [k.name for k in course.policy.resource_kinds]
    for row, kind in zip(table.rows, course.policy.resource_kinds):
        for s in suggest(course, kind.id):
            assert s.type_name in row[1]
            assert all(e.org_name in row[2] and e.source in row[2] for e in s.evidence)
        assert row[3] == "、".join(types_without_evidence(course, kind.id))
    page = solution_html("policy-ex2")
    assert "明治大学黒川農場" in page and "CASE3" in page


def test_design_sheet_keeps_its_own_gap_finder_wording(course, store):
    w = GapFinderWidget(GapFinder(course), "design/gaps", "ステップ2", store=store)
    assert "足りない資源と、それを持つ相手を探す" in w.ui.children[0].value and w.legacy_keys == ()


# --- 演習2: the resource-gap finder -----------------------------------------------------------------

def test_evidence_comes_from_the_cases(course):
    index = evidence_index(course)
    knowledge = {(e.type_name, e.org_name, e.case_id) for e in index["knowledge_skills"]}
    assert ("大学", "明治大学黒川農場", "case3") in knowledge
    assert ("市民活動団体", "認定NPO法人キーパーソン21", "case4") in knowledge
    ward = next(e for e in index["human_network"] if e.org_id == "kawasaki_ward_planning")
    assert ward.case_id == "case1" and ward.source == "CASE1 (P2)" and "町内会・自治会" in ward.strength
    held = [s.type_id for s in suggest(course, "human_network", own_type="government")]
    assert held == ["citizen_group", "neighbourhood_association", "company", "government"]
    assert [s.own for s in suggest(course, "human_network", own_type="government")] == [False, False, False, True]
    assert "ソーシャルビジネス事業者" in types_without_evidence(course, "facilities")
    assert "町内会・自治会" in types_without_evidence(course, "knowledge_skills")


@pytest.fixture
def finder(course) -> GapFinder:
    return GapFinder(course)


def fill(f: GapFinder, rows) -> None:
    for i, (text, status, kind) in enumerate(rows):
        f.set_text(i, text)
        f.set_status(i, status)
        f.set_kind(i, kind)


def test_finder_empty_and_partial(finder):
    check = finder.check()
    assert not check.complete and check.problems == (
        "目的が書かれていません。成果志向の第一歩は、何のために取り組むのかをはっきりさせることです。",
        "必要なものが一つも書かれていません。目的を達するために要るものを、一行に一つずつ書きましょう。")
    assert check.summary == "まだ何も書かれていません。目的から書き始めましょう。"
    finder.set_purpose("家庭の生ごみのリサイクルを広げる")
    fill(finder, [("成分を分析する知識", "missing", None), ("", "have", None), ("市民モニターとのつながり", None, None)])
    problems = finder.check().problems
    assert "項目1「成分を分析する知識」: 足りないものの種類を選んでください。" in problems[0]
    assert "項目2: 必要なものが書かれていません" in problems[1]
    assert "項目3「市民モニターとのつながり」: 自分たちに「ある」か「足りない」かを選んでください。" == problems[2]


def test_finder_complete_with_evidence(finder):
    finder.set_purpose("家庭の生ごみのリサイクルを広げる")
    finder.set_own_type("government")
    fill(finder, [("市民モニターとのつながり", "have", "human_network"),
                  ("堆肥の成分を分析する専門知識", "missing", "knowledge_skills"),
                  ("堆肥で作物を育てて見せる農場", "missing", "facilities")])
    check = finder.check()
    assert check.complete and check.missing == 2 and "2 件" in check.summary
    have, knowledge, farm = check.rows
    assert have.ok and "自分たちにある強みです (人的ネットワーク)" in have.message
    assert [s.type_name for s in knowledge.suggestions] == ["市民活動団体", "大学"]
    assert "事例では、市民活動団体、大学 がこの種類の資源を持っていました" in knowledge.message
    assert "ソーシャルビジネス事業者" in knowledge.without
    assert any(s.own for s in farm.suggestions)  # 行政 holds facilities too: perhaps another department


def test_finder_notes_and_duplicates(finder):
    finder.set_purpose("企業と連携すること")
    fill(finder, [("会場", "have", None), ("会場 ", "have", "facilities")])
    check = finder.check()
    assert any("協働・連携は手段であって目的ではありません" in n for n in check.notes)
    assert any("足りないものがありません" in n for n in check.notes)
    assert "項目2 は項目1 と同じ内容です。一つにまとめましょう。" in check.problems
    fill(finder, [("会場", "missing", "facilities"), ("人手", "missing", "human_network")])
    assert any("自分たちにあるものが一つも書かれていません" in n for n in finder.check().notes)


def test_finder_cleans_text_and_refuses_bad_values(finder):
    assert finder.set_purpose("目的\x00\x1b<script>") == "表示できない文字や改行を取り除きました。"
    assert finder.purpose == "目的<script>"
    assert "200 文字まで" in finder.set_purpose("あ" * 1000) and len(finder.purpose) == 200
    assert "100 文字まで" in finder.set_text(0, "い" * 300) and len(finder.rows[0].text) == 100
    assert finder.set_text(99, "x") == "その行はありません。"
    assert finder.set_text(0, 42) is not None and finder.rows[0].text == ""
    assert not finder.set_status(0, "maybe") and not finder.set_kind(0, "money") and not finder.set_kind(-1, None)
    assert not finder.set_own_type("residents")  # not one of the policy's six
    assert finder.set_own_type(None)


def test_finder_hint_walks_the_steps(finder, course):
    assert "まず目的を書きましょう" in finder.hint()
    finder.set_purpose("駅前の清掃を定着させる")
    assert "一行に一つずつ" in finder.hint()
    finder.set_text(0, "参加者を集めるつながり")
    assert finder.hint() == "項目1 は、いま自分たちにあるものですか、足りないものですか。"
    finder.set_status(0, "missing")
    hint = finder.hint()
    assert "項目1 の種類を考えましょう" in hint and all(k.clue in hint for k in course.policy.resource_kinds)
    finder.set_status(0, "have")
    assert "自分たちだけでは難しいこと" in finder.hint()
    fill(finder, [("参加者を集めるつながり", "missing", "human_network")])
    assert "ヒント" not in finder.hint() and "見直したいところはありません" in finder.hint()


def test_finder_state_round_trip(finder, course):
    finder.set_purpose("目的")
    finder.set_own_type("university")
    fill(finder, [("知識", "missing", "knowledge_skills")])
    again = GapFinder(course)
    assert again.load_state(finder.to_state()) == 3
    assert again.rows[0].kind == "knowledge_skills" and again.own_type == "university"
    assert again.load_state({"purpose": 5, "own_type": "x", "rows": [{"text": "a", "status": "no", "kind": "k"},
                                                                     "junk"]}) == 1
    assert again.rows[0].status is None and again.load_state(None) == 0
    with pytest.raises(ValueError):
        GapFinder(course, n_rows=0)


@pytest.fixture
def gap_widget(store) -> GapFinderWidget:
    return kyodo.exercise("policy-ex2", store=store)


def test_gap_widget_driven_by_a_learner(gap_widget, private_workspace):
    w = gap_widget
    assert [w.own.label, w.statuses[0].label, w.kinds[0].label] == ["(選ばない)", "ある/足りない", "種類"]
    w.check_button.click()
    assert w.feedback.kind == "warning" and "目的が書かれていません" in w.feedback.text and w.results.value == ""
    w.purpose.value = "<b>商店街</b>に若い人を呼ぶ"
    w.own.value = "government"
    w.texts[0].value = "若い人への<script>呼びかけ</script>"
    w.statuses[0].value = "missing"
    w.kinds[0].value = "human_network"
    w.check_button.click()
    assert w.feedback.kind == "success"
    table = w.results.value
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "グリーンバード川崎駅チーム" in table and "CASE1 (P2)" in table and "若者層の参加者が多い" in table
    assert "あなたと同じ種類" in table and "ソーシャルビジネス事業者" in table
    saved = Store.open(private_workspace, "tester").get("policy-ex2")
    assert saved["purpose"] == "<b>商店街</b>に若い人を呼ぶ" and saved["rows"][0]["kind"] == "human_network"
    w.texts[1].value = "会場\x07"
    assert w.texts[1].value == "会場" and "取り除きました" in w.feedback.text
    w.hint_button.click()
    assert "項目2 は" in w.feedback.text


def test_gap_widget_restores_an_old_save_and_resets(course, private_workspace):
    old = GapFinder(course)
    old.set_purpose("目的")
    old.set_text(0, "知識")
    write_old_save(private_workspace, "policy/gap_finder", old.to_state())
    again = kyodo.exercise("policy-ex2", store=Store.open(private_workspace, "tester"))
    assert again.purpose.value == "目的" and again.texts[0].value == "知識"
    assert "前回の続きから再開します" in again.feedback.text
    again.reset_button.click()
    assert "2 個をすべて消します" in again.feedback.text
    again.reset_button.click()
    assert again.purpose.value == "" and again.texts[0].value == ""
    assert again.statuses[0].label == "ある/足りない"
    reopened = Store.open(private_workspace, "tester")
    assert reopened.get("policy-ex2") is None and reopened.get("policy/gap_finder") is None


def test_gap_widget_unexpected_error_is_a_message(gap_widget, monkeypatch):
    monkeypatch.setattr(gap_widget.task, "check", lambda: [][1])
    gap_widget.check_button.click()
    assert gap_widget.feedback.kind == "error" and "IndexError" in gap_widget.feedback.text


# --- the material of the views -----------------------------------------------------------------------

@pytest.fixture
def material(course):
    return policy.load_material(course_data=course)


def test_material_ties_every_fact_to_a_case_or_a_place(material):
    assert material.proposal.hypothetical is True
    assert [p.type for p in material.profiles] == list(policy.LESSON_TYPES)
    company = next(p for p in material.profiles if p.type == "company")
    assert {f.case for f in company.pamphlet} == {"case2", "case4", "case5"}
    university = next(p for p in material.profiles if p.type == "university")
    assert {f.case for f in university.pamphlet} == {"case3"}


def _break(data_copy: Path, old: str, new: str) -> None:
    path = data_copy / "lessons/policy.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old,new,expected", [
    ("  hypothetical: true\n", "  hypothetical: false\n", ["proposal", "次のどれかにしてください"]),
    ("  - type: government\n", "  - type: city_hall\n", ["profiles.type", "'city_hall' はありません"]),
    ("  - type: government\n", "  - type: company\n", ["profiles", "'company' が重複"]),
    ("        case: case5\n", "        case: case9\n", ["pamphlet.case", "'case9'"]),
    ("        where: パンフレットの導入文\n", "", ["どちらか一つだけ"]),
    ("    avoid: 特定の企業", "    avoids: 特定の企業", ["'avoids'", "この項目は使えません"]),
])
def test_broken_material_is_reported_precisely(course, data_copy, old, new, expected):
    _break(data_copy, old, new)
    with pytest.raises(DataError) as info:
        policy.load_material(data_copy, course)
    message = str(info.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message}"
    assert "data/lessons/policy.yml" in message


def test_views_carry_sources_and_labels(material, course):
    card = policy.policy_card(course)
    assert "平成28年3月" in card and "暮らしやすい地域社会の実現を図ること" in card and "成果志向" in card
    table = policy.viewpoints_table(course)
    assert table.count("<tr>") == 4 and "CASE5 (P6) 企業と町内会・自治会など" in table
    profiles = policy.profiles_table(material, course)
    assert profiles.startswith("<details>") and "講座の一般的な説明 (パンフレットにはない)" in profiles
    assert "CASE4 (P5)" in profiles and "パンフレットの導入文" in profiles
    assert "架空の提案:" in policy.proposal_card(material)
    desk = policy.consultation_card(course)
    assert "044-200-3708" in desk and "応援ナビかわさき" in desk


def test_views_of_the_notebook(monkeypatch):
    shown = []
    monkeypatch.setattr(policy, "display", shown.append)
    for view in (policy.show_policy, policy.viewpoints, policy.proposal, policy.actor_profiles, policy.consultation):
        view()
    assert len(shown) == 5 and all("<" in s.data for s in shown)


def test_views_report_broken_material(monkeypatch):
    from kyodo import cells as shared

    def broken(*_a, **_k):
        raise DataError([])

    shown = []
    monkeypatch.setattr(policy, "load_material", broken)
    monkeypatch.setattr(shared, "display", shown.append)
    assert policy.proposal() is None and policy.actor_profiles() is None
    assert len(shown) == 2 and "Traceback" not in shown[0].data
