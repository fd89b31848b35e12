"""The basic policy: the vision taken apart, the resource-gap finder, differences between actors, fair requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyodo.data import DataError
from kyodo.exercises.gap_finder import GapFinder, evidence_index, suggest, types_without_evidence
from kyodo.exercises.sorting import Mark
from kyodo.lessons import policy
from kyodo.storage import Store
from kyodo.widgets.gap_finder import GapFinderWidget
from kyodo.widgets.stacked import StackedSortingWidget


@pytest.fixture
def material(course):
    return policy.load_material(course_data=course)


# --- lesson material ------------------------------------------------------------------------

def test_material_ties_every_fact_to_a_case_or_marks_it_general(material, course):
    assert material.proposal.hypothetical is True and material.vision.interpretation is True
    assert [p.type for p in material.profiles] == list(policy.LESSON_TYPES)
    for item in [*material.differences, *material.requests]:
        assert (item.case is None) == item.general
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
    ("    - part: goal\n", "    - part: aim\n", ["vision.parts.part", "'aim' はありません", "'goal' の手がかり"]),
    ("      case: case5\n      text: 製鉄所", "      case: case9\n      text: 製鉄所", ["vision.examples.case", "'case9'"]),
    ("  hypothetical: true\n", "  hypothetical: false\n", ["proposal", "次のどれかにしてください"]),
    ("  - type: government\n", "  - type: city_hall\n", ["profiles.type", "'city_hall' はありません"]),
    ("    type: company\n    aspect: motive\n", "    type: bank\n    aspect: motive\n",
     ["differences.type", "'bank' はありません"]),
    ("    general: true\n", "    general: true\n    case: case1\n", ["どちらか一つだけ"]),
    ("        where: パンフレットの導入文\n", "", ["どちらか一つだけ"]),
    ("  - id: r_ward_advert\n", "  - id: r_ward_ties\n", ["requests", "'r_ward_ties' が重複"]),
    ("    answer: pushes\n", "    answer: maybe\n", ["answer", "次のどれかにしてください"]),
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


# --- 演習1: the vision taken apart -------------------------------------------------------------

def test_vision_task_has_every_phrase_and_example(material, course):
    task = policy.vision_task(material, course)
    assert [c.label for c in task.categories] == ["誰が", "どう越えて", "何を持ち寄って", "何に向けて", "何を目指して"]
    answers = {i.id: i.answer for i in task.items}
    assert answers["phrase_bringing"] == "bringing" and answers["ex_beyond"] == "beyond"
    assert len(task.items) == 10
    phrase = next(i for i in task.items if i.id == "phrase_goal")
    assert phrase.text == "理念の言葉「暮らしやすい地域社会の実現」"
    example = next(i for i in task.items if i.id == "ex_towards")
    assert example.text.startswith("CASE3 (P4) の例: ") and "講座の整理" in example.why


@pytest.fixture
def vision(material, course, store) -> StackedSortingWidget:
    return StackedSortingWidget(policy.vision_task(material, course), "policy/vision", "演習1", "t", "i", store=store)


def test_vision_widget_shows_long_phrases_in_full(vision):
    labels = [box.children[0].value for box in vision.ui.children[1:-2]]
    assert any("市民活動団体、町内会・自治会、ソーシャルビジネス事業者、企業、大学、行政などの多様な主体が" in v for v in labels)
    first = vision.task.items[0]
    assert vision.choices[first.id].description == "1."
    assert len(vision.ui.children) == 1 + 10 + 2


def test_vision_widget_right_wrong_and_partial(vision):
    items = {i.id: i for i in vision.task.items}
    vision.choices["phrase_who"].value = "who"
    vision.choices["ex_goal"].value = "towards"
    vision.check_button.click()
    assert "✅" in vision.marks["phrase_who"].value and "基本理念は、取組に加わる主体" in vision.marks["phrase_who"].value
    assert "❌" in vision.marks["ex_goal"].value and "「何に向けて」ではありません" in vision.marks["ex_goal"].value
    assert "最後にたどり着きたい社会の姿" in vision.marks["ex_goal"].value
    assert "10 項目のうち 1 項目が正解" in vision.feedback.widget.value and vision.feedback.kind == "warning"
    for item_id, item in items.items():
        vision.choices[item_id].value = item.answer
    vision.check_button.click()
    assert vision.feedback.kind == "success" and "全問正解" in vision.feedback.widget.value


def test_vision_widget_restores_and_resets(material, course, private_workspace):
    task = policy.vision_task(material, course)
    w = StackedSortingWidget(task, "policy/vision", "演習1", "t", "i", store=Store.open(private_workspace, "tester"))
    w.choices["phrase_who"].value = "who"
    again = StackedSortingWidget(policy.vision_task(material, course), "policy/vision", "演習1", "t", "i",
                                 store=Store.open(private_workspace, "tester"))
    assert again.choices["phrase_who"].value == "who"
    again.reset_button.click()
    again.reset_button.click()
    assert again.choices["phrase_who"].value is None


# --- 演習3・4: differences and requests -----------------------------------------------------------

def test_difference_task_labels_aspect_and_basis(material, course):
    task = policy.difference_task(material, course)
    assert [c.label for c in task.categories] == ["企業", "大学", "町内会・自治会", "市民活動団体", "行政"]
    budget = next(i for i in task.items if i.id == "d_budget")
    assert budget.text.startswith("【進め方・決め方】") and budget.answer == "government"
    assert "講座の一般的な説明" in budget.why and "パンフレットには書かれていません" in budget.why
    merit = next(i for i in task.items if i.id == "d_merit")
    assert merit.text.startswith("【動機】") and "パンフレット CASE2 (P3)" in merit.why
    task.assign("d_merit", "university")
    wrong = next(r for r in task.check().results if r.item.id == "d_merit")
    assert wrong.mark is Mark.WRONG and "関係者に説明しながら" in wrong.message and "企業" not in wrong.message


def test_request_task_and_hint(material, course):
    task = policy.request_task(material, course)
    assert [c.id for c in task.categories] == ["fits", "pushes"]
    answers = {i.id: i.answer for i in task.items}
    assert sum(a == "pushes" for a in answers.values()) == 5 and answers["r_ward_advert"] == "pushes"
    advert = next(i for i in task.items if i.id == "r_ward_advert")
    assert "公平さ" in advert.why and "講座の一般的な説明" in advert.why
    business = next(i for i in task.items if i.id == "r_company_business")
    assert "パンフレット CASE2 (P3)" in business.why
    task.assign(advert.id, "fits")
    assert advert.text in task.hint()


def test_requests_widget_driven_by_a_learner(store):
    w = policy.requests()
    assert isinstance(w, StackedSortingWidget)
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ一つも選ばれていません" in w.feedback.text
    w.choices["r_university_labour"].value = "fits"
    w.check_button.click()
    assert "❌" in w.marks["r_university_labour"].value and "役割を無視して" in w.marks["r_university_labour"].value


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
def gap_widget(course, store) -> GapFinderWidget:
    return GapFinderWidget(GapFinder(course), "policy/gap_finder", "演習2", store=store)


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
    saved = Store.open(private_workspace, "tester").get("policy/gap_finder")
    assert saved["purpose"] == "<b>商店街</b>に若い人を呼ぶ" and saved["rows"][0]["kind"] == "human_network"
    w.texts[1].value = "会場\x07"
    assert w.texts[1].value == "会場" and "取り除きました" in w.feedback.text
    w.hint_button.click()
    assert "項目2 は" in w.feedback.text


def test_gap_widget_restores_and_resets(course, private_workspace):
    w = GapFinderWidget(GapFinder(course), "policy/gap_finder", "演習2", store=Store.open(private_workspace, "tester"))
    w.purpose.value = "目的"
    w.texts[0].value = "知識"
    again = GapFinderWidget(GapFinder(course), "policy/gap_finder", "演習2",
                            store=Store.open(private_workspace, "tester"))
    assert again.purpose.value == "目的" and again.texts[0].value == "知識"
    assert "前回の続きから再開します" in again.feedback.text
    again.reset_button.click()
    assert "2 個をすべて消します" in again.feedback.text
    again.reset_button.click()
    assert again.purpose.value == "" and again.texts[0].value == ""
    assert again.statuses[0].label == "ある/足りない"
    assert Store.open(private_workspace, "tester").get("policy/gap_finder") is None


def test_gap_widget_unexpected_error_is_a_message(gap_widget, monkeypatch):
    monkeypatch.setattr(gap_widget.finder, "check", lambda: [][1])
    gap_widget.check_button.click()
    assert gap_widget.feedback.kind == "error" and "IndexError" in gap_widget.feedback.text


# --- views and the facade --------------------------------------------------------------------------

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


def test_facade(monkeypatch):
    assert isinstance(policy.vision_parts(), StackedSortingWidget)
    assert isinstance(policy.differences(), StackedSortingWidget)
    assert isinstance(policy.gap_finder(), GapFinderWidget)
    shown = []
    monkeypatch.setattr(policy, "display", shown.append)
    for view in (policy.show_policy, policy.viewpoints, policy.proposal, policy.actor_profiles, policy.consultation):
        view()
    assert len(shown) == 5 and all("<" in s.data for s in shown)


def test_facade_reports_broken_material(monkeypatch):
    from kyodo import lesson as shared

    def broken(*_a, **_k):
        raise DataError([])

    shown = []
    monkeypatch.setattr(policy, "load_material", broken)
    monkeypatch.setattr(shared, "display", shown.append)
    assert policy.vision_parts() is None and policy.requests() is None
    assert len(shown) == 2 and "Traceback" not in shown[0].data
