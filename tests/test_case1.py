"""CASE1: whose strength is it (case1-ex1), whom each party reaches alone and together (case1-ex2),
and the steps of the ward's proposal scheme (case1-ex3).

The three exercises live in data/exercises/case1.yml and run on the choice engine; these tests
check their content against the course data by invariants, drive the widgets, restore the old
saves, and pin the decisions of the migration.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import kyodo
from kyodo.exercises.choice import ChoiceTask, Mark
from kyodo.registry import choice_task, load_registry
from kyodo.storage import Store
from kyodo.widgets import choice_figures
from kyodo.widgets.choice import ChoiceWidget

REGISTRY = load_registry()
STRENGTHS, REACH, SCHEME = (REGISTRY.get(f"case1-ex{n}") for n in (1, 2, 3))
GB, WARD, TOGETHER, NEITHER = "greenbird_kawasaki", "kawasaki_ward_planning", "together", "neither"
EXPECTED_REACH = {
    "young_people": {GB},
    "neighbourhood_associations": {WARD},
    "shopping_streets": {WARD},
    "residents_at_large": {WARD},
    "wide_range": {TOGETHER},
    "new_contacts": {TOGETHER},
}


def result(task: ChoiceTask, item_id: str):
    return next(r for r in task.check().results if r.item.id == item_id)


def answer(task: ChoiceTask, item_id: str):
    return task.item(item_id).right[0].value


def write_old_save(workspace: Path, key: str, state: dict) -> Store:
    workspace.mkdir(parents=True, exist_ok=True)
    old = {"format": "kyodo-progress", "version": 1, "exercises": {key: state}}
    (workspace / "tester.json").write_text(json.dumps(old), encoding="utf-8")
    return Store.open(workspace, "tester")


def saved(workspace: Path) -> dict:
    return json.loads((workspace / "tester.json").read_text(encoding="utf-8"))["exercises"]


def test_the_three_exercises_are_registered_with_their_old_keys():
    assert [e.id for e in REGISTRY.of_lesson("case1")] == ["case1-ex1", "case1-ex2", "case1-ex3"]
    assert [s.legacy_keys for s in (STRENGTHS, REACH, SCHEME)] == [["case1/strengths"], ["case1/reach"],
                                                                  ["case1/scheme"]]
    for spec in (STRENGTHS, REACH, SCHEME):
        assert spec.facilitator.checking and spec.facilitator.mistakes and spec.facilitator.prompts
        assert spec.solution_note and all(item.basis for item in spec.items)
        assert all(not item.also for item in spec.items)  # P2 supports one reading of each


# --- case1-ex1: strengths ----------------------------------------------------------------

@pytest.fixture
def strengths(course) -> ChoiceTask:
    return choice_task(STRENGTHS, course)


def test_strengths_are_the_two_parties_own_and_distractors_of_other_cases(strengths, course):
    members = [p.org for p in course.case("case1").participants]
    assert [o.id for o in strengths.options] == [*members, NEITHER]
    assert [o.label for o in strengths.options][:2] == [course.org_name(m) for m in members]
    own = {s.text: org for org in members for s in course.org(org).strengths}
    items = {i.text: answer(strengths, i.id) for i in strengths.items}
    assert {t: a for t, a in items.items() if a != NEITHER} == own
    distractors = [i for i in strengths.items if answer(strengths, i.id) == NEITHER]
    assert len(distractors) == 2
    for item in distractors:  # another case's organisation's strength, saved under <org>__<strength>
        org, _, strength = item.id.partition("__")
        assert org not in members and any(s.id == strength and s.text == item.text for s in course.org(org).strengths)
        case = next(c for c in course.cases if any(p.org == org for p in c.participants))
        assert item.why.startswith(f"CASE{case.number} の{course.org_name(org)}の強みです")


def test_strengths_wrong_answers_get_a_clue_that_does_not_name_the_owner(strengths, course):
    for item in strengths.items:
        right = answer(strengths, item.id)
        wrong = next(o.id for o in strengths.options if o.id != right)
        strengths.choose(item.id, wrong)
        r = result(strengths, item.id)
        assert r.mark is Mark.WRONG and f"「{strengths.label(wrong)}」ではありません" in r.message
        assert strengths.option(right).clue in r.message
        if right != NEITHER:
            assert course.org_name(right) not in r.message and course.org_short(right) not in r.message
        strengths.choose(item.id, right)
        assert result(strengths, item.id).mark is Mark.RIGHT
    assert strengths.check().complete


def test_strengths_widget_is_wide_and_restores_the_old_save(private_workspace):
    store = write_old_save(private_workspace, "case1/strengths",
                           {"answers": {"public_media": GB, "aeon__existing_card_business": NEITHER}})
    w = kyodo.exercise("case1-ex1", store=store)
    longest = max(w.task.items, key=lambda i: len(i.text))
    assert len(longest.text) <= 29 and w.dropdowns[longest.id][0].style.description_width == "29em"
    assert w.dropdowns["public_media"][0].value == GB
    assert w.dropdowns["aeon__existing_card_business"][0].value == NEITHER
    w.check_button.click()
    assert "❌" in w.marks["public_media"].value and "行政の側" in w.marks["public_media"].value
    assert "CASE2 のイオン株式会社" in w.marks["aeon__existing_card_business"].value
    for item in w.task.items:
        w.dropdowns[item.id][0].value = answer(w.task, item.id)
    w.check_button.click()
    assert w.feedback.kind == "success" and "すべてできています (7 項目)" in w.feedback.widget.value
    assert "case1/strengths" not in saved(private_workspace)


# --- case1-ex2: alone or together ------------------------------------------------------------

@pytest.fixture
def reach(course) -> ChoiceTask:
    return choice_task(REACH, course)


def tick_right(task: ChoiceTask, item_id: str) -> None:
    for option in answer(task, item_id):
        task.tick(item_id, option, True)


def test_reach_answers_follow_the_pamphlet(reach, course):
    assert {i.id: set(answer(reach, i.id)) for i in reach.items} == EXPECTED_REACH
    members = [p.org for p in course.case("case1").participants]
    assert [o.id for o in reach.options] == [*members, TOGETHER] and reach.exclusive == {TOGETHER}
    for org in members:  # 「〇〇だけで届く」, 〇〇 being the party facet the figure uses
        option = reach.option(org)
        assert option.facets["party"] == course.org_short(org) and option.label == f"{course.org_short(org)}だけで届く"
    assert all(i.clue and i.why for i in reach.items)


def test_reach_rows_are_not_grouped_by_answer(reach):
    answers = [answer(reach, i.id) for i in reach.items]
    runs = sum(1 for a, b in zip(answers, answers[1:]) if a != b) + 1
    assert runs >= 4


def test_reach_every_row_right_wrong_and_partial(reach):
    for item in reach.items:
        tick_right(reach, item.id)
        assert result(reach, item.id).mark is Mark.RIGHT
    reach.reset()
    reach.tick("young_people", WARD, True)
    r = result(reach, "young_people")
    assert r.mark is Mark.WRONG and "「川崎区役所だけで届く」ではありません" in r.message and "若者層が多く参加" in r.message
    reach.tick("new_contacts", GB, True)
    reach.tick("new_contacts", WARD, True)
    r = result(reach, "new_contacts")
    assert r.mark is Mark.WRONG and "「グリーンバードだけで届く、川崎区役所だけで届く」ではありません" in r.message
    reach.tick("neighbourhood_associations", WARD, True)
    reach.tick("neighbourhood_associations", GB, True)
    r = result(reach, "neighbourhood_associations")
    assert r.mark is Mark.PARTIAL and "「川崎区役所だけで届く」は合っています" in r.message
    assert "「グリーンバードだけで届く」は当てはまりません" in r.message


def test_reach_together_cannot_be_ticked_beside_alone(reach):
    reach.tick("shopping_streets", WARD, True)
    reach.tick("shopping_streets", TOGETHER, True)
    r = result(reach, "shopping_streets")
    assert r.mark is Mark.INVALID and "「組んで初めて届く」は、ほかの選択肢と一緒には選べません" in r.message
    assert reach.hint().startswith("「商店街」を見直しましょう")


def test_reach_figure_names_the_columns_by_party_and_counts_kinds(reach, course):
    """Decision: a column is named by the option's party (「グリーンバード\\nだけで」, not 「…だけで届く\\nだけで」)."""
    rule = REACH.rules[0]
    chart = choice_figures.reach_figure(reach, rule.title, rule.note)
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "グリーンバード\nだけで\n(1 種類)", "川崎区役所\nだけで\n(3 種類)", "二者が\n組むと\n(6 種類)"]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("届く") == 1 + 3 + 4 and texts.count("新たに届く") == 2
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0] == "若者層" and set(rows[-2:]) == {"幅広い層の参加者", "接点のなかった人たちどうし"}
    assert "川崎区役所だけで届く: 3 種類 (" in chart.alt_text and "「商店街」" in chart.alt_text
    assert "組んで初めて届く相手: " in chart.alt_text and "「若者に限らない、幅広い層の参加者」" in chart.alt_text
    assert chart.alt_text.startswith(rule.title) and chart.alt_text.endswith(rule.note)
    assert "P2" in rule.note and "人数ではなく" in rule.note
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.figure.canvas.draw()


@pytest.fixture
def reach_widget(store) -> ChoiceWidget:
    return kyodo.exercise("case1-ex2", store=store)


def test_reach_widget_has_a_tick_box_per_option(reach_widget):
    assert all(not box.value for boxes in reach_widget.boxes.values() for box in boxes.values())
    assert [b.description for b in reach_widget.boxes["young_people"].values()] == [
        "グリーンバードだけで届く", "川崎区役所だけで届く", "組んで初めて届く"]


def test_reach_widget_draws_the_table_once_every_row_is_answered(reach_widget, monkeypatch):
    drawn = []
    monkeypatch.setattr(choice_figures, "show_chart", drawn.append)
    reach_widget.boxes["young_people"][GB].value = True
    reach_widget.boxes["shopping_streets"][GB].value = True
    reach_widget.check_button.click()
    assert "✅" in reach_widget.marks["young_people"].value and "❌" in reach_widget.marks["shopping_streets"].value
    assert "すべての項目に答えると" in reach_widget.feedback.text and drawn == []
    for item in reach_widget.task.items:
        reach_widget.boxes[item.id][TOGETHER].value = True
    reach_widget.check_button.click()  # complete but partly wrong: the table comes anyway
    assert reach_widget.feedback.kind == "warning" and len(drawn) == 1
    assert "新たに届く" in [t.get_text() for t in drawn[0].figure.axes[0].texts]


def test_reach_widget_restores_the_old_ticks(private_workspace):
    store = write_old_save(private_workspace, "case1/reach",
                           {"ticks": {"wide_range": [TOGETHER], "young_people": [GB, "<script>"]}})
    w = kyodo.exercise("case1-ex2", store=store)
    assert w.boxes["wide_range"][TOGETHER].value is True and w.boxes["young_people"][GB].value is True
    assert "保存されていた 2 件" in w.feedback.text
    w.boxes["residents_at_large"][WARD].value = True
    assert saved(private_workspace)["case1-ex2"]["answers"]["young_people"] == [GB]
    w.reset_button.click()
    w.reset_button.click()
    assert not w.boxes["wide_range"][TOGETHER].value and w.task.answered == 0


# --- case1-ex3: the proposal scheme ----------------------------------------------------------

@pytest.fixture
def scheme(course) -> ChoiceTask:
    return choice_task(SCHEME, course)


def test_scheme_steps_are_the_cases_in_their_order(scheme, course):
    steps = course.case("case1").scheme.steps
    assert {i.id: int(answer(scheme, i.id)) for i in scheme.items} == {s.id: n for n, s in enumerate(steps, 1)}
    assert {i.id: i.text for i in scheme.items} == {s.id: s.text for s in steps}
    assert [i.id for i in scheme.items] != [s.id for s in steps]
    assert all(i.clue for i in scheme.items)


def test_scheme_too_early_too_late_and_a_number_used_twice(scheme):
    scheme.choose("propose", "1")
    scheme.choose("call", "2")
    scheme.choose("collaborate", "5")
    assert "早すぎます" in result(scheme, "propose").message and result(scheme, "collaborate").mark is Mark.RIGHT
    assert "遅すぎます" in result(scheme, "call").message and result(scheme, "call").mark is Mark.WRONG
    scheme.choose("review", "2")
    assert "早すぎます" in result(scheme, "review").message
    assert scheme.check().flags == ("「2」が二つ以上の項目に選ばれています。項目ごとに一つずつあります。",)


def test_scheme_hint_gives_a_clue_then_the_position(scheme):
    """Decision: the second hint of an ordering names the position (「… は 1 番目です」)."""
    scheme.choose("call", "3")
    first, second = scheme.hint(), scheme.hint()
    assert scheme.item("call").clue in first
    assert second == f"「{scheme.item('call').text}」は 1 番目です。"


def test_scheme_widget_is_stacked_and_restores_the_old_positions(private_workspace):
    store = write_old_save(private_workspace, "case1/scheme", {"positions": {"call": 1, "review": 4}})
    w = kyodo.exercise("case1-ex3", store=store)
    assert w.layout == "stacked" and w.dropdowns["call"][0].value == "1" and w.dropdowns["review"][0].value == "4"
    for item in w.task.items:
        w.dropdowns[item.id][0].value = answer(w.task, item.id)
    w.check_button.click()
    assert w.feedback.kind == "success" and "すべてできています (5 項目)" in w.feedback.widget.value
    assert saved(private_workspace)["case1-ex3"]["answers"]["call"] == "1"
