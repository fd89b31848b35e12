"""The introduction: the cases on the table of actor kinds (intro-ex1), their key points (intro-ex2), and the views.

Both exercises live in data/exercises/intro.yml and run on the choice engine; these tests
check their content against the course data by invariants, drive the widgets, restore the
old saves, and pin the decisions of the migration.
"""

from __future__ import annotations

import json
import warnings
from itertools import combinations
from pathlib import Path

import pytest

import kyodo
import kyodo.cells
from kyodo.data import Course
from kyodo.exercises.choice import LIST_SEP, Accepted, ChoiceTask, Item, Mark, Option
from kyodo.lessons import intro
from kyodo.registry import choice_task, load_registry
from kyodo.storage import Store
from kyodo.widgets import choice_figures
from kyodo.widgets.choice import ChoiceWidget

REGISTRY = load_registry()
PAIRS, POINTS = REGISTRY.get("intro-ex1"), REGISTRY.get("intro-ex2")


@pytest.fixture
def pairs(course) -> ChoiceTask:
    return choice_task(PAIRS, course)


@pytest.fixture
def points(course) -> ChoiceTask:
    return choice_task(POINTS, course)


def result(task: ChoiceTask, item_id: str):
    return next(r for r in task.check().results if r.item.id == item_id)


def place(task: ChoiceTask, item_id: str, first: str | None, second: str | None) -> None:
    assert task.choose_slot(item_id, 0, first) and task.choose_slot(item_id, 1, second)


def right_pair(task: ChoiceTask, item_id: str) -> list[str]:
    return sorted(task.item(item_id).right[0].value)


def write_old_save(workspace: Path, key: str, state: dict) -> Store:
    workspace.mkdir(parents=True, exist_ok=True)
    old = {"format": "kyodo-progress", "version": 1, "exercises": {key: state}}
    (workspace / "tester.json").write_text(json.dumps(old), encoding="utf-8")
    return Store.open(workspace, "tester")


# --- the registry entries -------------------------------------------------------------------

def test_both_exercises_are_registered_with_their_old_keys():
    assert [e.id for e in REGISTRY.of_lesson("intro")] == ["intro-ex1", "intro-ex2"]
    assert PAIRS.legacy_keys == ["intro/pairs"] and POINTS.legacy_keys == ["intro/points"]
    assert (PAIRS.mode, PAIRS.pick) == ("exactly", 2)
    for spec in (PAIRS, POINTS):
        assert spec.facilitator.checking and spec.facilitator.mistakes and spec.facilitator.prompts
        assert all(item.basis for item in spec.items)


def test_pairs_offer_the_six_kinds_of_the_policy_with_clues_that_do_not_name_them(pairs, course):
    assert [o.id for o in pairs.options] == [t.id for t in course.policy_types]
    assert [o.label for o in pairs.options] == [t.name for t in course.policy_types]
    for option in pairs.options:
        assert option.clue and all(t.name not in option.clue for t in course.policy_types)


def pamphlet_cases(course):
    """The pamphlet's cases: the ones the introduction's exercises are about (an added case needs no item)."""
    return [c for c in course.cases if c.from_pamphlet]


def test_every_case_is_an_item_whose_answer_is_its_combination(pairs, course):
    assert sorted(i.id for i in pairs.items) == [c.id for c in pamphlet_cases(course)]
    for case in pamphlet_cases(course):
        item = pairs.item(case.id)
        assert item.right[0].value == frozenset(case.combination_types)
        assert item.short == f"CASE{case.number}"  # the figure shows it as it is
        assert item.text.startswith(f"CASE{case.number} {case.project}: ")
        for p in case.participants:  # the heading's two parties, by name; nobody else
            named = course.org_name(p.org) in item.text
            assert named == (course.org(p.org).type in case.combination_types), (case.id, p.org)
        # the item's clue explains each party without naming the kind (party names may hold it)
        rest = item.clue
        for p in case.participants:
            rest = rest.replace(course.org_name(p.org), "")
        assert all(t.name not in rest for t in course.policy_types), case.id


def test_every_right_pair_is_right_in_either_order(pairs):
    for item in pairs.items:
        first, second = right_pair(pairs, item.id)
        place(pairs, item.id, second, first)
        r = result(pairs, item.id)
        assert r.mark is Mark.RIGHT and r.message.startswith("正解です。") and item.why in r.message


def test_one_right_kind_is_partial_and_asks_to_swap_the_other(pairs):
    """Decision: with two to pick, the learner is told to swap the wrong one, not that more fit."""
    place(pairs, "case4", "company", "university")
    r = result(pairs, "case4")
    assert r.mark is Mark.PARTIAL
    assert "「企業」は合っています" in r.message and "「大学」は当てはまりません" in r.message
    assert "当てはまらない方を選び直しましょう" in r.message and "ほかにも当てはまるもの" not in r.message
    assert "NPO法人" in r.message  # the clue of the case


def test_both_wrong_one_chosen_and_the_same_kind_twice(pairs):
    place(pairs, "case1", "university", "social_business")
    r = result(pairs, "case1")
    assert r.mark is Mark.WRONG and "グリーンバード川崎駅チームは、" in r.message
    place(pairs, "case5", "company", None)
    assert result(pairs, "case5").mark is Mark.INVALID and "2 つ選んでください" in result(pairs, "case5").message
    place(pairs, "case2", "company", "company")
    r = result(pairs, "case2")
    assert r.mark is Mark.INVALID and "「企業」が二度選ばれています" in r.message


def test_a_pair_is_shown_with_a_separator_no_kind_name_holds(pairs, course):
    """Decision: 「町内会・自治会」 holds 「・」, so a pair of labels is joined with 「、」."""
    assert all(LIST_SEP not in t.name for t in course.policy_types)
    place(pairs, "case5", "university", "government")
    assert "「大学、行政」ではありません" in result(pairs, "case5").message
    pairs.hint()
    assert "「町内会・自治会、企業」" in pairs.hint()


def test_hint_gives_the_clue_first_then_the_pair(pairs):
    for item in pairs.items:
        place(pairs, item.id, *right_pair(pairs, item.id))
    assert "ヒントは要りません" in pairs.hint()
    place(pairs, "case4", "company", None)
    first = pairs.hint()
    assert "CASE4" in first and pairs.item("case4").clue in first
    assert "「市民活動団体」" not in first
    second = pairs.hint()
    assert "CASE4" in second and "「市民活動団体、企業」" in second


def test_the_coverage_figure_waits_for_every_case(pairs):
    place(pairs, "case1", "citizen_group", "government")
    check = pairs.check()
    assert "すべての項目に答えると" in " ".join(check.flags) and not check.complete
    for item in pairs.items:
        place(pairs, item.id, *right_pair(pairs, item.id))
    check = pairs.check()
    assert check.complete and [o.figure for o in check.outcomes] == [("coverage", PAIRS.rules[0].title,
                                                                       PAIRS.rules[0].note)]


# --- the table of pairs ------------------------------------------------------------------

def cells(chart) -> dict[tuple[int, int], str]:
    ax = chart.figure.axes[0]
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}


def test_the_table_puts_each_case_below_the_diagonal_by_its_short_name(course):
    """Decision: the cell shows the item's short label as it is (CASE1, never CASECASE1)."""
    chart = intro.coverage_figure(course)
    texts = cells(chart)
    names = [t.name for t in course.policy_types]
    for case in pamphlet_cases(course):
        i, j = sorted((names.index(course.actor_type(k).name) for k in case.combination_types), reverse=True)
        assert texts[(i, j)] == f"CASE{case.number}"
        assert texts[(j, i)] == ""  # the mirror cell is not used
    assert sum(t == "なし" for t in texts.values()) == len(list(combinations(names, 2))) - len(pamphlet_cases(course))
    assert not any("CASECASE" in t for t in texts.values())
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    assert ax.get_title() == PAIRS.rules[0].title
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.figure.canvas.draw()


def test_the_table_alt_text_lists_covered_and_uncovered_pairs(course):
    alt = intro.coverage_figure(course).alt_text
    assert "15 通り" in alt and "あるのは 5 通り" in alt and "ないのは 10 通り" in alt
    assert "大学 × 行政: CASE3" in alt
    assert "企業 × 大学" in alt.split("「なし」の組み合わせ:")[1]
    assert "どの組み合わせにも出てこないもの: ソーシャルビジネス事業者" in alt
    assert alt.endswith(PAIRS.rules[0].note)


def test_the_solution_note_lists_exactly_the_uncovered_pairs(pairs, course):
    uncovered = [p for p, items in choice_figures.coverage_pairs(pairs).items() if not items]
    line = next(x for x in PAIRS.solution_note.split("\n") if x.startswith("事例のない"))
    names = {o.id: o.label for o in pairs.options}
    listed = line.split("は、", 1)[1].removesuffix("です。").split("、")
    assert sorted(listed) == sorted(" × ".join(names[o.id] for o in pairs.options if o.id in p) for p in uncovered)


def test_coverage_figure_takes_any_short_label_as_it_is():
    options = [Option("a", "甲"), Option("b", "乙"), Option("c", "丙")]
    items = [Item("x", "項目X", (Accepted(frozenset("ab")),), short="事例イ"),
             Item("y", "項目Y", (Accepted(frozenset("ba")),)),
             Item("z", "項目Z", (Accepted(frozenset("bc")),), short="Z")]
    task = ChoiceTask(items, options, mode="exactly", pick=2)
    chart = choice_figures.coverage_figure(task, "表", "")
    texts = cells(chart)
    assert texts[(1, 0)] == "事例イ\n項目Y" and texts[(2, 1)] == "Z" and texts[(2, 0)] == "なし"
    assert "甲 × 乙: 事例イ・項目Y" in chart.alt_text and "「なし」の組み合わせ: 甲 × 丙" in chart.alt_text
    assert "どの組み合わせにも" not in chart.alt_text


def test_coverage_map_shows_the_table_with_its_alt_text(monkeypatch):
    shown = []
    monkeypatch.setattr(intro, "show_figure", lambda fig, alt: shown.append(alt))
    intro.coverage_map()
    assert len(shown) == 1 and "事例" in shown[0] and "CASE1" in shown[0]


def test_broken_registry_reaches_the_notebook_as_a_message(data_copy, monkeypatch):
    path = data_copy / "exercises/intro.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("{case_parties: case5}", "{case_parties: case9}"),
                    encoding="utf-8")
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    shown = []
    monkeypatch.setattr(kyodo.cells, "display", shown.append)
    assert intro.coverage_map() is None
    assert len(shown) == 1 and "case9" in shown[0].data and "intro.yml" in shown[0].data


# --- the pairs widget, driven as a learner would ----------------------------------------

@pytest.fixture
def widget(store) -> ChoiceWidget:
    return kyodo.exercise("intro-ex1", store=store)


def pick(w: ChoiceWidget, item_id: str, first, second) -> None:
    a, b = w.dropdowns[item_id]
    a.value, b.value = first, second


def test_widget_shows_two_dropdowns_per_case_with_room_for_their_labels(widget, course):
    assert all(len(d) == 2 for d in widget.dropdowns.values())
    first, second = widget.dropdowns["case1"]
    assert first.value is None and first.label == "(選んでください)"
    assert [label for label, _ in first.options][1:] == [t.name for t in course.policy_types]
    assert first.description.endswith("(1)") and second.description.endswith("(2)")
    assert first.style.description_width == second.style.description_width == "6em"


def test_widget_marks_each_case_and_draws_the_table_only_when_all_are_answered(widget, monkeypatch):
    drawn = []
    monkeypatch.setattr(choice_figures, "show_chart", drawn.append)
    pick(widget, "case1", "government", "citizen_group")
    pick(widget, "case4", "company", "university")
    widget.check_button.click()
    assert "✅" in widget.marks["case1"].value and "🔶" in widget.marks["case4"].value
    assert "…" in widget.marks["case2"].value
    assert widget.feedback.kind == "warning" and "すべての項目に答えると" in widget.feedback.text
    assert drawn == []
    for item in widget.task.items:
        pick(widget, item.id, *right_pair(widget.task, item.id))
    widget.check_button.click()
    assert widget.feedback.kind == "success" and len(drawn) == 1
    assert "ソーシャルビジネス事業者" in drawn[0].alt_text


def test_widget_restores_the_old_save_of_the_pairs(private_workspace):
    store = write_old_save(private_workspace, "intro/pairs",
                           {"choices": {"case3": ["government", "university"], "case5": ["company", None]}})
    w = kyodo.exercise("intro-ex1", store=store)
    assert [d.value for d in w.dropdowns["case3"]] == ["government", "university"]
    assert [d.value for d in w.dropdowns["case5"]] == ["company", None]
    assert "保存されていた 3 件" in w.feedback.text
    pick(w, "case1", "citizen_group", None)
    saved = json.loads((private_workspace / "tester.json").read_text(encoding="utf-8"))["exercises"]
    assert "intro/pairs" not in saved and saved["intro-ex1"]["answers"]["case3"] == ["government", "university"]


# --- intro-ex2: key points ------------------------------------------------------------------

def test_points_are_the_cases_own_with_clues_that_do_not_say_them(points, course):
    ids = [c.id for c in pamphlet_cases(course)]
    assert sorted(o.id for o in points.options) == sorted(i.id for i in points.items) == ids
    for case in pamphlet_cases(course):
        option, item = points.option(case.id), points.item(case.id)
        assert option.label == case.point and item.right[0].value == case.id
        assert item.text == f"CASE{case.number} {case.combination}"
        assert case.point not in option.clue and item.why in case.key_points


def test_points_are_not_offered_in_the_order_of_the_rows(points):
    rows = [i.id for i in points.items]
    offered = [o.id for o in points.options]
    assert all(r != o for r, o in zip(rows, offered)), "option n must not be the answer of row n"


def test_points_right_wrong_and_clue(points, course):
    points.choose("case4", "case4")
    points.choose("case2", "case5")
    assert result(points, "case4").mark is Mark.RIGHT and "手段であって" in result(points, "case4").message
    wrong = result(points, "case2")
    assert wrong.mark is Mark.WRONG and "「持続可能な地域づくりに向けて」ではありません" in wrong.message
    assert course.case("case2").point not in wrong.message and "分かり合う" in wrong.message
    assert result(points, "case1").mark is Mark.UNANSWERED


def test_a_point_given_to_two_cases_is_flagged(points):
    """Decision: the check for a point given twice is a rule of the task, not of the widget."""
    for item in points.items:
        points.choose(item.id, item.id)
    assert points.check().complete
    points.choose("case3", "case1")
    check = points.check()
    assert not check.complete and check.kind == "warning"
    assert check.flags == ("「互いの強みを活かした相乗効果」が二つ以上の項目に選ばれています。項目ごとに一つずつあります。",)


def test_points_widget_flags_a_point_given_twice_and_restores_the_old_save(private_workspace):
    store = write_old_save(private_workspace, "intro/points", {"answers": {"case1": "case1", "case3": "case1"}})
    w = kyodo.exercise("intro-ex2", store=store)
    assert w.dropdowns["case3"][0].value == "case1"
    w.check_button.click()
    assert w.feedback.kind == "warning" and "二つ以上の項目に選ばれています" in w.feedback.text
    for item in w.task.items:
        w.dropdowns[item.id][0].value = item.id
    w.check_button.click()
    assert w.feedback.kind == "success" and "二つ以上" not in w.feedback.text


# --- the course at a glance -------------------------------------------------------------

def test_cases_table_lists_every_case_escaped(course):
    html = intro.cases_table_html(course)
    assert html.count("<tr>") == len(course.cases) + 1 and "CASE4 (パンフレット P5)" in html and "成果志向" in html
    case = course.case("case1").model_copy(update={"project": "<b>x</b>"})
    hostile = Course(actor_types=course.actor_types, organisations=course.organisations, cases=(case,),
                     policy=course.policy, contacts=course.contacts, sources=course.sources)
    html = intro.cases_table_html(hostile)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
