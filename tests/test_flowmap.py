"""The flow-mapping exercise: every kind of feedback, hints, limits and saved state."""

from __future__ import annotations

import pytest

from kyodo.exercises.flowmap import MAX_ARROWS, FlowMap, Verdict

MONITORS, CITY, FARM = "citizen_monitors", "city_waste_reduction", "meiji_kurokawa"


@pytest.fixture
def fm(course) -> FlowMap:
    return FlowMap(course, "case3")


def add_all(fm: FlowMap) -> None:
    for f in fm.case.flows:
        assert fm.add(f.source, f.target, f.item).ok


def test_choices_are_the_participants_and_items_with_distractors(fm):
    assert [org for _, org in fm.actors] == [FARM, CITY, MONITORS]
    own = {f.item for f in fm.case.flows}
    assert own < set(fm.items)
    assert "カード利用金額の0.1%の寄付" in fm.items  # from CASE2
    assert fm.items == sorted(fm.items)


def test_complete_map_is_complete(fm):
    add_all(fm)
    check = fm.check()
    assert (check.found, check.total, check.wrong) == (8, 8, 0)
    assert check.complete
    assert all(fb.verdict is Verdict.CORRECT for fb in check.feedback)
    assert "完成です" in check.summary


def test_correct_arrow_explains_why(fm):
    fm.add(CITY, FARM, "生ごみ堆肥")
    [fb] = fm.check().feedback
    assert fb.verdict is Verdict.CORRECT and fb.flow_id == "transport"
    assert "農場まで運びます" in fb.message


def test_reversed_arrow_names_the_right_direction(fm):
    fm.add(FARM, CITY, "生ごみ堆肥")
    [fb] = fm.check().feedback
    assert fb.verdict is Verdict.REVERSED
    assert "向きが逆" in fb.message and "川崎市環境局 から 明治大学黒川農場 へ" in fb.message


def test_wrong_receiver_gets_the_flow_specific_hint(fm):
    fm.add(MONITORS, FARM, "生ごみ堆肥")
    [fb] = fm.check().feedback
    assert fb.verdict is Verdict.WRONG_PAIR
    assert "受け手が違います" in fb.message
    assert "直接は行きません" in fb.message


def test_wrong_sender_is_told_apart_from_wrong_receiver(fm):
    fm.add(FARM, MONITORS, "生ごみ堆肥化の指導")
    [fb] = fm.check().feedback
    assert fb.verdict is Verdict.WRONG_PAIR and "送り手が違います" in fb.message


def test_item_of_another_case_says_which_case(fm):
    fm.add(CITY, FARM, "カード利用金額の0.1%の寄付")
    [fb] = fm.check().feedback
    assert fb.verdict is Verdict.NOT_IN_CASE
    assert "CASE2" in fb.message and "企業と行政" in fb.message


def test_progress_counts_missing_without_naming_them(fm):
    fm.add(CITY, FARM, "生ごみ堆肥")
    fm.add(FARM, CITY, "生ごみ堆肥")
    check = fm.check()
    assert (check.found, check.missing, check.wrong) == (1, 7, 1)
    assert "まだ 7 本足りません" in check.summary
    assert "指導" not in check.summary


def test_all_found_but_extra_wrong_arrow_is_not_complete(fm):
    add_all(fm)
    fm.add(MONITORS, FARM, "生ごみ堆肥")
    check = fm.check()
    assert not check.complete and check.missing == 0
    assert "違う矢印が 1 本" in check.summary


@pytest.mark.parametrize(
    ("source", "target", "item", "expected"),
    [
        (None, CITY, "生ごみ堆肥", "送り手 がまだ選ばれていません"),
        (None, None, None, "送り手・受け手・渡すもの がまだ選ばれていません"),
        (CITY, CITY, "生ごみ堆肥", "「川崎市環境局」から「川崎市環境局」への矢印"),
        (CITY, "aeon", "生ごみ堆肥", "この事例の参加者ではありません"),
        (CITY, FARM, "<script>alert(1)</script>", "一覧から選んでください"),
        (CITY, FARM, "", "渡すもの がまだ選ばれていません"),
    ],
)
def test_bad_arrows_are_refused_with_a_reason(fm, source, target, item, expected):
    result = fm.add(source, target, item)
    assert not result.ok
    assert expected in result.message
    assert fm.arrows == []


def test_same_arrow_twice_is_refused(fm):
    assert fm.add(CITY, FARM, "生ごみ堆肥").ok
    again = fm.add(CITY, FARM, "生ごみ堆肥")
    assert not again.ok and "もう作ってあります" in again.message
    assert len(fm.arrows) == 1


def test_too_many_arrows_are_refused(fm):
    pairs = [(a, b) for _, a in fm.actors for _, b in fm.actors if a != b]
    for source, target in pairs:
        for item in fm.items:
            fm.add(source, target, item)
    assert len(fm.arrows) == MAX_ARROWS
    last = fm.add(MONITORS, CITY, fm.items[-1])
    assert not last.ok and "超えました" in last.message
    assert len(fm.arrows) == MAX_ARROWS


def test_hint_reveals_one_missing_arrow_step_by_step(fm):
    first = fm.missing_flows()[0]
    h1, h2, h3 = fm.hint(), fm.hint(), fm.hint()
    assert "川崎市環境局" in h1 and "市民モニター" not in h1
    assert "市民モニター" in h2 and first.item not in h2
    assert first.item in h3
    fm.add(first.source, first.target, first.item)
    assert fm.missing_flows()[0].id != first.id


def test_hint_when_done_and_when_only_wrong_arrows_are_left(fm):
    add_all(fm)
    assert "ヒントは要りません" in fm.hint()
    fm.add(MONITORS, FARM, "生ごみ堆肥")
    assert "違う矢印が 1 本" in fm.hint()


def test_remove_and_reset(fm):
    fm.add(CITY, FARM, "生ごみ堆肥")
    assert not fm.remove(5).ok
    assert fm.remove(0).ok and fm.arrows == []
    fm.add(CITY, FARM, "生ごみ堆肥")
    fm.hint()
    fm.reset()
    assert fm.arrows == [] and fm.check().found == 0


def test_state_round_trip_and_hostile_state(fm, course):
    fm.add(CITY, FARM, "生ごみ堆肥")
    fm.add(FARM, CITY, "展示栽培と発表会")
    again = FlowMap(course, "case3")
    assert again.load_state(fm.to_state()) == 2
    assert again.arrows == fm.arrows
    hostile = {"arrows": [[CITY, FARM], "x", [1, 2, 3], [CITY, CITY, "生ごみ堆肥"], [CITY, FARM, "<b>"]]}
    assert again.load_state(hostile) == 0
    assert again.load_state(["not", "a", "dict"]) == 0
    assert again.load_state({"arrows": "nope"}) == 0


def test_case_without_flows_is_refused(course, monkeypatch):
    case = course.case("case1").model_copy(update={"flows": []})
    monkeypatch.setitem(course._index["case"], "case1", case)
    with pytest.raises(ValueError, match="流れのデータがない"):
        FlowMap(course, "case1")
