"""The introduction: placing the cases on the table of actor kinds, and matching the key points."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import kyodo.lesson
from kyodo.data import Course, DataError
from kyodo.exercises.pairs import ActorKind, PairCase, PairMark, PairPlacement, coverage
from kyodo.exercises.sorting import Mark
from kyodo.lessons import intro
from kyodo.storage import Store
from kyodo.widgets.pairs import PairPlacementWidget, coverage_chart

ANSWERS = {
    "case1": {"citizen_group", "government"},
    "case2": {"company", "government"},
    "case3": {"university", "government"},
    "case4": {"citizen_group", "company"},
    "case5": {"company", "neighbourhood_association"},
}


@pytest.fixture
def task(course) -> PairPlacement:
    return intro.placement_task(course)


def place(task: PairPlacement, case_id: str, first: str | None, second: str | None) -> None:
    assert task.choose(case_id, 0, first) and task.choose(case_id, 1, second)


def result(task: PairPlacement, case_id: str):
    return next(r for r in task.check().results if r.case.id == case_id)


# --- lesson material -------------------------------------------------------------------

def test_material_has_a_clue_for_every_kind_and_case(course):
    mat = intro.material(course)
    assert set(mat.type_clues) == {t.id for t in course.policy_types}
    assert set(mat.point_clues) == {c.id for c in course.cases}
    for clue, name in ((mat.type_clues[t.id], t.name) for t in course.policy_types):
        assert name not in clue, "a clue must not name its kind"
    for case in course.cases:
        assert case.point not in mat.point_clues[case.id]


@pytest.mark.parametrize("old,new,expected", [
    ("  social_business: ", "  social_busines: ",
     ["data/lessons/intro.yml", "'social_busines' はありません", "'social_business' のヒントがありません"]),
    ("  case5: ", "  case9: ", ["'case9' はありません", "'case5' のヒントがありません"]),
    ("\ninterpretation: true\n", "\ninterpretation: false\n", ["項目 'interpretation'", "次のどれかにしてください"]),
    ("point_clues:", "hints: 1\npoint_clues:", ["項目 'hints'", "この項目は使えません"]),
])
def test_broken_material_is_reported_precisely(course, data_copy: Path, old, new, expected):
    path = data_copy / "lessons/intro.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        intro.material(course, data_copy)
    message = str(info.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message}"
    assert "Traceback" not in message


def test_broken_material_reaches_the_notebook_as_a_message(data_copy, monkeypatch):
    (data_copy / "lessons/intro.yml").write_text("interpretation: true\n", encoding="utf-8")
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    shown = []
    monkeypatch.setattr(kyodo.lesson, "display", shown.append)
    assert intro.place_cases() is None
    assert len(shown) == 1 and "type_clues" in shown[0].data and "必須の項目がありません" in shown[0].data


# --- the pair logic ------------------------------------------------------------------

def test_rows_name_the_parties_of_each_case(task):
    labels = {c.id: c.label for c in task.cases}
    assert labels["case4"].startswith("CASE4 ")
    assert "認定NPO法人キーパーソン21 × 教育CSRに取り組む企業など" in labels["case4"]
    assert "イオン株式会社・イオンリテール株式会社" in labels["case2"]
    # the card users (individual residents) are not one of the paired kinds
    assert "利用者" not in labels["case2"]
    assert [k.name for k in task.kinds] == ["市民活動団体", "町内会・自治会", "ソーシャルビジネス事業者", "企業", "大学", "行政"]


def test_answers_come_from_the_cases_combination_types(task):
    assert {c.id: set(c.answer) for c in task.cases} == ANSWERS


def test_right_pair_in_either_order(task):
    place(task, "case3", "university", "government")
    r = result(task, "case3")
    assert r.mark is PairMark.CORRECT
    assert "明治大学黒川農場は「大学」" in r.message and "順番" not in r.message
    place(task, "case3", "government", "university")
    r = result(task, "case3")
    assert r.mark is PairMark.CORRECT and "順番はない" in r.message


def test_one_right_names_the_party_to_reconsider_without_its_kind(task):
    place(task, "case4", "company", "university")
    r = result(task, "case4")
    assert r.mark is PairMark.ONE_RIGHT
    assert "「企業」は合っています" in r.message and "「大学」ではありません" in r.message
    assert "認定NPO法人キーパーソン21" in r.message and "市民活動団体" not in r.message


def test_both_wrong(task):
    place(task, "case1", "university", "social_business")
    r = result(task, "case1")
    assert r.mark is PairMark.WRONG
    assert "「大学」と「ソーシャルビジネス事業者」は、どちらも" in r.message
    assert "グリーンバード川崎駅チーム" in r.message and "行政" not in r.message


def test_only_one_chosen_says_whether_it_is_right(task):
    place(task, "case5", "company", None)
    r = result(task, "case5")
    assert r.mark is PairMark.INCOMPLETE and "「企業」は合っています" in r.message
    place(task, "case5", None, "university")
    r = result(task, "case5")
    assert r.mark is PairMark.INCOMPLETE and "「大学」は、この事例の主体の種類ではありません" in r.message


def test_same_kind_twice_is_explained(task):
    place(task, "case2", "company", "company")
    r = result(task, "case2")
    assert r.mark is PairMark.SAME_TYPE and "二つとも「企業」" in r.message and "もう一方を選び直しましょう" in r.message
    place(task, "case2", "university", "university")
    r = result(task, "case2")
    assert r.mark is PairMark.SAME_TYPE and "選び直しましょう" not in r.message


def test_summary_counts_right_and_open_cases(task):
    assert "まだ答えが選ばれていません" in task.check().summary
    place(task, "case1", "government", "citizen_group")
    place(task, "case2", "company", "university")
    check = task.check()
    assert (check.correct, check.unanswered, check.complete) == (1, 3, False)
    assert "5 つの事例のうち 1 つが正しく置けています (未回答 3 つ)" in check.summary
    for c in task.cases:
        place(task, c.id, *c.answer)
    assert task.check().complete and "全問正解" in task.check().summary


def test_unknown_ids_and_slots_are_refused(task):
    assert not task.choose("case9", 0, "company")
    assert not task.choose("case1", 2, "company")
    assert not task.choose("case1", -1, "company")
    assert not task.choose("case1", 0, "<script>")
    assert not task.choose("case1", 0, "residents")  # not one of the six kinds of the policy
    assert task.choose("case1", 0, None)


def test_hint_gives_a_clue_first_then_the_kind(task):
    for c in task.cases:
        place(task, c.id, *c.answer)
    assert "ヒントは要りません" in task.hint()
    place(task, "case4", "company", None)
    first = task.hint()
    assert "CASE4" in first and "キーパーソン21" in first and "手がかり" in first
    assert "市民活動団体" not in first and "NPO法人もここに入ります" in first
    second = task.hint()
    assert second == "CASE4 の「認定NPO法人キーパーソン21」は「市民活動団体」です。"


def test_state_round_trip_and_hostile_state(task, course):
    place(task, "case1", "citizen_group", "government")
    place(task, "case2", "company", None)
    again = intro.placement_task(course)
    assert again.load_state(task.to_state()) == 3
    assert again.given("case2") == ("company", None)
    assert again.load_state({"choices": {"case1": ["<script>", "government"], "case9": ["company", "company"],
                                         "case2": "company", "case3": ["university"]}}) == 1
    assert again.given("case1") == (None, "government")
    assert again.load_state(["not", "a", "dict"]) == 0
    assert again.load_state({"choices": "garbage"}) == 0


def test_malformed_tasks_are_refused():
    kinds = [ActorKind("a", "A", "clue"), ActorKind("b", "B", "clue")]
    ok = PairCase("x", 1, "X", ("a", "b"), {"a": "P", "b": "Q"})
    PairPlacement([ok], kinds)
    with pytest.raises(ValueError):
        PairPlacement([], kinds)
    with pytest.raises(ValueError):
        PairPlacement([ok], kinds[:1])
    with pytest.raises(ValueError, match="「X」"):
        PairPlacement([PairCase("x", 1, "X", ("a", "a"), {"a": "P"})], kinds)
    with pytest.raises(ValueError):
        PairPlacement([PairCase("x", 1, "X", ("a", "c"), {"a": "P", "c": "Q"})], kinds)
    with pytest.raises(ValueError):
        PairPlacement([PairCase("x", 1, "X", ("a", "b"), {"a": "P"})], kinds)


# --- which pairs the pamphlet covers -------------------------------------------------

def test_coverage_counts_each_unordered_pair_once(course):
    cov = intro.case_coverage(course)
    assert len(cov.pairs) == 15 and len(set(cov.pairs)) == 15
    assert len(cov.covered) == 5 and len(cov.uncovered) == 10
    assert {cov.pair_name(p): [c.number for c in cov.cases_of[p]] for p in cov.covered} == {
        "市民活動団体 × 行政": [1], "企業 × 行政": [2], "大学 × 行政": [3],
        "市民活動団体 × 企業": [4], "町内会・自治会 × 企業": [5]}
    assert [k.name for k in cov.kinds_without_case()] == ["ソーシャルビジネス事業者"]


def test_a_reversed_pair_is_the_same_pair():
    kinds = [ActorKind("a", "A", ""), ActorKind("b", "B", ""), ActorKind("c", "C", "")]
    cases = [PairCase("x", 1, "X", ("a", "b"), {}), PairCase("y", 2, "Y", ("b", "a"), {})]
    cov = coverage(cases, kinds)
    assert len(cov.covered) == 1 and [c.number for c in cov.cases_of[frozenset("ab")]] == [1, 2]
    assert cov.pair_name(frozenset("ba")) == "A × B"


def test_heatmap_marks_cases_below_the_diagonal_only(course):
    chart = intro.coverage_figure(course)
    ax = chart.figure.axes[0]
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    names = [k.name for k in intro.case_coverage(course).kinds]
    row, col = names.index("行政"), names.index("市民活動団体")
    assert texts[(row, col)] == "CASE1"
    assert texts[(col, row)] == ""  # the mirror cell is not used
    assert texts[(names.index("ソーシャルビジネス事業者"), names.index("町内会・自治会"))] == "なし"
    assert sum(t == "なし" for t in texts.values()) == 10
    assert sorted(t for t in texts.values() if t.startswith("CASE")) == [f"CASE{n}" for n in range(1, 6)]
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.figure.canvas.draw()


def test_heatmap_alt_text_lists_covered_and_uncovered_pairs(course):
    alt = intro.coverage_figure(course).alt_text
    assert "15 通り" in alt and "事例があるのは 5 通り" in alt
    assert "大学 × 行政: CASE3" in alt
    assert "企業 × 大学" in alt.split("事例のない組み合わせ:")[1]
    assert "一度も事例に登場しない主体の種類: ソーシャルビジネス事業者" in alt


# --- the widget, driven as a learner would ------------------------------------------

@pytest.fixture
def widget(course, store) -> PairPlacementWidget:
    return intro.place_cases(store=store)


def pick(w: PairPlacementWidget, case_id: str, first, second) -> None:
    a, b = w.choices[case_id]
    a.value, b.value = first, second


def test_widget_starts_empty_with_the_six_kinds(widget):
    first, second = widget.choices["case1"]
    assert first.value is None and second.value is None
    assert first.label == second.label == "(選んでください)"  # also on the static page
    assert [label for label, _ in first.options][1:] == [k.name for k in widget.task.kinds]
    assert widget.feedback.text == "" and widget.chart is None


def test_widget_nothing_chosen(widget):
    widget.check_button.click()
    assert widget.feedback.kind == "info" and "まだ答えが選ばれていません" in widget.feedback.text
    assert widget.chart is None


def test_widget_marks_each_case_and_draws_no_table_until_all_right(widget):
    pick(widget, "case1", "government", "citizen_group")
    pick(widget, "case4", "company", "university")
    widget.check_button.click()
    assert "✅" in widget.marks["case1"].value and "順番はない" in widget.marks["case1"].value
    assert "🔶" in widget.marks["case4"].value
    assert "…" in widget.marks["case2"].value
    assert widget.feedback.kind == "warning" and "5 つの事例のうち 1 つ" in widget.feedback.widget.value
    assert widget.chart is None


def test_widget_all_right_shows_the_table(widget):
    for c in widget.task.cases:
        pick(widget, c.id, *c.answer)
    widget.check_button.click()
    assert widget.feedback.kind == "success" and "全問正解" in widget.feedback.widget.value
    assert widget.chart is not None
    assert widget.chart.figure.axes[0].get_title() == "6種類の主体の組み合わせと、パンフレットの事例"
    assert "ソーシャルビジネス事業者" in widget.chart.alt_text


def test_widget_hint_and_two_step_reset(widget, private_workspace):
    widget.hint_button.click()
    assert "CASE1" in widget.feedback.text and "手がかり" in widget.feedback.text
    widget.reset_button.click()
    assert "消すものはありません" in widget.feedback.text
    pick(widget, "case1", "citizen_group", None)
    widget.reset_button.click()
    assert "1 個" in widget.feedback.text and widget.task.given("case1")[0] == "citizen_group"
    widget.reset_button.click()
    assert widget.choices["case1"][0].value is None and widget.task.answered == 0
    assert widget.choices["case1"][0].label == "(選んでください)"
    assert Store.open(private_workspace, "tester").get("intro/pairs") is None


def test_widget_work_survives_a_restart(private_workspace):
    first = intro.place_cases(store=Store.open(private_workspace, "tester"))
    pick(first, "case3", "government", "university")
    pick(first, "case5", "company", None)
    again = intro.place_cases(store=Store.open(private_workspace, "tester"))
    assert (again.choices["case3"][0].value, again.choices["case3"][1].value) == ("government", "university")
    assert again.choices["case5"][0].value == "company" and again.choices["case5"][1].value is None
    assert "前回の続きから再開します (保存されていた 3 件" in again.feedback.text


def test_widget_unexpected_error_becomes_a_message(widget, monkeypatch):
    def boom():
        raise RuntimeError("secret detail")

    monkeypatch.setattr(widget.task, "check", boom)
    widget.check_button.click()
    assert widget.feedback.kind == "error" and "secret detail" not in widget.feedback.text


def test_coverage_chart_from_an_empty_coverage():
    cov = coverage([], [ActorKind("a", "A", ""), ActorKind("b", "B", "")])
    chart = coverage_chart(cov)
    assert "事例があるのは 0 通り" in chart.alt_text
    assert "事例のない組み合わせ: A × B" in chart.alt_text
    assert "一度も事例に登場しない主体の種類: A、B" in chart.alt_text


# --- 演習2: key points --------------------------------------------------------------------

def test_points_are_offered_in_a_shuffled_order(course):
    task = intro.points_task(course)
    items = [i.id for i in task.items]
    cats = [c.id for c in task.categories]
    assert sorted(items) == sorted(cats) == [c.id for c in course.cases]
    assert all(i != c for i, c in zip(items, cats)), "option n must not be the answer of row n"
    assert cats != [c.id for c in course.cases]


def test_points_check_right_wrong_and_clue(course):
    task = intro.points_task(course)
    task.assign("case4", "case4")
    task.assign("case2", "case5")
    results = {r.item.id: r for r in task.check().results}
    assert results["case4"].mark is Mark.CORRECT and "手段であって" in results["case4"].message
    wrong = results["case2"]
    assert wrong.mark is Mark.WRONG and "「持続可能な地域づくりに向けて」ではありません" in wrong.message
    assert "相互理解" not in wrong.message and "分かり合う" in wrong.message
    assert results["case1"].mark is Mark.UNANSWERED


def test_points_widget_flags_a_point_given_twice(course, store):
    w = intro.match_points(store=store)
    w.choices["case1"].value = "case1"
    w.choices["case3"].value = "case1"
    w.check_button.click()
    assert w.feedback.kind == "warning"
    assert "「互いの強みを活かした相乗効果」が二つ以上の事例に選ばれています" in w.feedback.text
    for item in w.task.items:
        w.choices[item.id].value = item.answer
    w.check_button.click()
    assert w.feedback.kind == "success" and "二つ以上" not in w.feedback.text


def test_cases_table_lists_every_case_escaped(course):
    html = intro.cases_table_html(course)
    assert html.count("<tr>") == 6 and "CASE4 (パンフレット P5)" in html and "成果志向" in html
    case = course.case("case1").model_copy(update={"project": "<b>x</b>"})
    hostile = Course(actor_types=course.actor_types, organisations=course.organisations, cases=(case,),
                     policy=course.policy, contacts=course.contacts, sources=course.sources)
    html = intro.cases_table_html(hostile)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_facade_builds_the_intro_exercises(store):
    assert isinstance(intro.place_cases(store=store), PairPlacementWidget)
    assert isinstance(intro.match_points(store=store), intro.PointMatchWidget)
