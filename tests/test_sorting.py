"""Sorting exercises: who does what (roles) and which kind of resource."""

from __future__ import annotations

import pytest

from kyodo.exercises.sorting import Category, Mark, SortingTask, SortItem, resources_of_case, roles_of_case


@pytest.fixture
def roles(course) -> SortingTask:
    return roles_of_case(course, "case3")


def answer_all(task: SortingTask) -> None:
    for item in task.items:
        task.assign(item.id, item.answer)


def test_roles_come_from_the_case_data(roles):
    assert {c.id for c in roles.categories} == {"meiji_kurokawa", "city_waste_reduction", "citizen_monitors"}
    answers = {i.text: i.answer for i in roles.items}
    assert answers["投入した生ごみの報告"] == "citizen_monitors"
    assert answers["堆肥の成分分析"] == "meiji_kurokawa"
    assert answers["黒川農場への生ごみ堆肥の運搬"] == "city_waste_reduction"
    assert len(roles.items) == 8


def test_items_are_not_grouped_by_answer(roles):
    sequence = [i.answer for i in roles.items]
    runs = sum(1 for a, b in zip(sequence, sequence[1:]) if a != b) + 1
    assert runs > 3


def test_all_right(roles):
    answer_all(roles)
    check = roles.check()
    assert check.complete and check.correct == 8
    assert "全問正解" in check.summary
    assert all("の役割です" in r.message for r in check.results)


def test_wrong_answer_says_what_is_wrong_and_gives_a_clue_not_the_answer(roles):
    item = next(i for i in roles.items if i.text == "堆肥の成分分析")
    roles.assign(item.id, "citizen_monitors")
    result = next(r for r in roles.check().results if r.item.id == item.id)
    assert result.mark is Mark.WRONG
    assert "「市民モニター」ではありません" in result.message
    assert "明治大学黒川農場" not in result.message


def test_partial_answers_are_counted(roles):
    first, second = roles.items[:2]
    roles.assign(first.id, first.answer)
    roles.assign(second.id, next(c.id for c in roles.categories if c.id != second.answer))
    check = roles.check()
    assert (check.correct, check.unanswered) == (1, 6)
    assert "8 項目のうち 1 項目が正解" in check.summary


def test_nothing_answered(roles):
    check = roles.check()
    assert check.unanswered == 8 and not check.complete
    assert "まだ答えが選ばれていません" in check.summary


def test_unknown_ids_are_refused(roles):
    assert not roles.assign("no_such_item", "citizen_monitors")
    assert not roles.assign(roles.items[0].id, "<script>")
    assert roles.assign(roles.items[0].id, None)


def test_hint_points_at_a_wrong_item_first_then_open_ones(roles):
    wrong = roles.items[3]
    roles.assign(wrong.id, next(c.id for c in roles.categories if c.id != wrong.answer))
    assert wrong.text in roles.hint()
    roles.assign(wrong.id, wrong.answer)
    assert roles.items[0].text in roles.hint()
    answer_all(roles)
    assert "ヒントは要りません" in roles.hint()


def test_state_round_trip_drops_what_does_not_fit(roles, course):
    answer_all(roles)
    again = roles_of_case(course, "case3")
    assert again.load_state(roles.to_state()) == 8
    assert again.check().complete
    assert again.load_state({"answers": {"x": "y", roles.items[0].id: 5}}) == 0
    assert again.load_state("garbage") == 0


def test_resource_kinds_of_case3(course):
    task = resources_of_case(course, "case3")
    assert [c.name if hasattr(c, "name") else c.label for c in task.categories] == [
        "知識や能力", "人的ネットワーク", "施設や設備"]
    answers = {i.text: i.answer for i in task.items}
    assert answers["堆肥の成分を分析する専門知識"] == "knowledge_skills"
    assert answers["堆肥を使って農作物を育て、見せる農場"] == "facilities"
    item = next(i for i in task.items if i.answer == "facilities")
    task.assign(item.id, "human_network")
    wrong = next(r for r in task.check().results if r.item.id == item.id)
    assert "場所や物" in wrong.message and "施設や設備" not in wrong.message


def test_case_without_reading_is_refused(course):
    with pytest.raises(ValueError, match="outcome_orientation"):
        resources_of_case(course, "case1")


def test_malformed_tasks_are_refused():
    cats = [Category("a", "A", "clue a"), Category("b", "B", "clue b")]
    with pytest.raises(ValueError):
        SortingTask([], cats)
    with pytest.raises(ValueError):
        SortingTask([SortItem("x", "X", "a", "")], cats[:1])
    with pytest.raises(ValueError, match="'c'"):
        SortingTask([SortItem("x", "X", "c", "")], cats)
