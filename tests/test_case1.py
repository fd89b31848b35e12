"""CASE1: whose strength is it, whom each party reaches alone and together, and the proposal scheme."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from kyodo.data import DataError
from kyodo.exercises.reach import TOGETHER, Audience, Party, ReachMark, ReachTask, reach_table
from kyodo.exercises.sorting import Mark
from kyodo.lessons import case1
from kyodo.storage import Store
from kyodo.widgets.ordering import OrderingWidget
from kyodo.widgets.reach import ReachWidget, reach_chart
from kyodo.widgets.sorting import SortingWidget

GB, WARD = "greenbird_kawasaki", "kawasaki_ward_planning"
EXPECTED_REACH = {
    "young_people": {GB},
    "neighbourhood_associations": {WARD},
    "shopping_streets": {WARD},
    "residents_at_large": {WARD},
    "wide_range": {TOGETHER},
    "new_contacts": {TOGETHER},
}


# --- lesson material -------------------------------------------------------------------

def test_material_loads_and_follows_the_pamphlet(course):
    mat = case1.material(course)
    assert [p.org for p in mat.strengths.parties] == [GB, WARD]
    assert mat.reach.interpretation is True and mat.reach.page == course.case("case1").page == 2
    assert "人数ではなく" in mat.reach.basis
    assert all(a.basis for a in mat.reach.audiences)


def _break(data_copy: Path, old: str, new: str) -> None:
    path = data_copy / "lessons/case1.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old,new,expected", [
    ("    public_media: ", "    public_medium: ",
     ["data/lessons/case1.yml", "'public_medium' はありません", "強み 'public_media' の説明 (why) がありません"]),
    ("    - org: meiji_kurokawa\n", "    - org: greenbird_kawasaki\n", ["'greenbird_kawasaki' は CASE1 の参加者です"]),
    ("      strength: expert_staff", "      strength: farm", ["strengths.distractors[1] の項目 'strength'",
                                                             "'farm' はありません", "expert_staff"]),
    ("    - org: aeon\n", "    - org: aeon_holdings\n", ["'aeon_holdings' はありません"]),
    ("      reached_by: [greenbird_kawasaki]", "      reached_by: [city_of_kawasaki]",
     ["reach.audiences[1] (id: young_people) の項目 'reached_by'", "'city_of_kawasaki' はありません"]),
    ("      reached_by: together", "      reached_by: both", ["reached_by"]),
    ("  page: 2\n", "  page: 2\n  pages: 3\n", ["項目 'pages'", "この項目は使えません"]),
    ("  interpretation: true\n", "", ["項目 'interpretation'", "必須の項目がありません"]),
])
def test_broken_material_is_reported_precisely(course, data_copy, old, new, expected):
    _break(data_copy, old, new)
    with pytest.raises(DataError) as info:
        case1.material(course, data_copy)
    message = str(info.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message}"
    assert "Traceback" not in message


# --- 演習1: strengths --------------------------------------------------------------------

@pytest.fixture
def strengths(course):
    return case1.strengths_task(course)


def test_strengths_come_from_organisations(strengths, course):
    answers = {i.text: i.answer for i in strengths.items}
    for org in (GB, WARD):
        for s in course.org(org).strengths:
            assert answers[s.text] == org
    assert answers["専門性の高い人的資源 (研究者など)"] == case1.NEITHER
    assert answers["既存事業として営む電子マネーカード事業"] == case1.NEITHER
    assert len(strengths.items) == 7
    assert [c.label for c in strengths.categories] == [
        "グリーンバード川崎駅チーム", "川崎区役所まちづくり推進部企画課", "この二者のどちらでもない"]


def test_strengths_right_wrong_partial_and_open(strengths):
    by_text = {i.text: i for i in strengths.items}
    media = by_text["市政だよりや市ホームページなど、広く市民に届く広報媒体"]
    sns = by_text["ソーシャルメディアによる情報発信"]
    card = by_text["既存事業として営む電子マネーカード事業"]
    strengths.assign(media.id, GB)
    strengths.assign(sns.id, GB)
    strengths.assign(card.id, case1.NEITHER)
    results = {r.item.id: r for r in strengths.check().results}
    assert results[media.id].mark is Mark.WRONG
    assert "「グリーンバード川崎駅チーム」ではありません" in results[media.id].message
    assert "行政の側" in results[media.id].message and "川崎区役所まちづくり" not in results[media.id].message
    assert results[sns.id].mark is Mark.CORRECT and "ソーシャルメディアで発信" in results[sns.id].message
    assert results[card.id].mark is Mark.CORRECT and "CASE2 のイオン株式会社の強みです" in results[card.id].message
    check = strengths.check()
    assert (check.correct, check.unanswered) == (2, 4)


def test_strengths_distractor_from_case3_says_so(strengths):
    expert = next(i for i in strengths.items if i.text.startswith("専門性の高い人的資源"))
    strengths.assign(expert.id, WARD)
    result = next(r for r in strengths.check().results if r.item.id == expert.id)
    assert result.mark is Mark.WRONG and "ほかの事例に出てくるもの" in result.message
    strengths.assign(expert.id, case1.NEITHER)
    result = next(r for r in strengths.check().results if r.item.id == expert.id)
    assert "CASE3 の明治大学黒川農場の強みです" in result.message


def test_strengths_widget_driven(course, store):
    w = case1.strengths(store=store)
    assert isinstance(w, SortingWidget)
    longest = max(w.task.items, key=lambda i: len(i.text))
    assert len(longest.text) <= 29 and w.choices[longest.id].style.description_width == "29em"
    w.check_button.click()
    assert "まだ一つも選ばれていません" in w.feedback.text
    for item in w.task.items:
        w.choices[item.id].value = item.answer
    w.check_button.click()
    assert w.feedback.kind == "success" and "全問正解です (7 項目)" in w.feedback.widget.value
    assert store.get("case1/strengths")["answers"][w.task.items[0].id] == w.task.items[0].answer


# --- 演習2: alone or together ----------------------------------------------------------

@pytest.fixture
def reach(course) -> ReachTask:
    return case1.reach_task(course)


def answer_all(task: ReachTask) -> None:
    for a in task.audiences:
        for option in a.reached_by:
            task.tick(a.id, option, True)


def result_of(task: ReachTask, audience_id: str):
    return next(r for r in task.check().results if r.audience.id == audience_id)


def test_reach_answers_follow_the_pamphlet(reach):
    assert {a.id: set(a.reached_by) for a in reach.audiences} == EXPECTED_REACH
    assert reach.options == [GB, WARD, TOGETHER]
    assert [reach.option_label(o) for o in reach.options] == ["グリーンバードだけで届く", "川崎区役所だけで届く",
                                                            "組んで初めて届く"]


def test_reach_rows_are_not_grouped_by_answer(reach):
    answers = [frozenset(a.reached_by) for a in reach.shown]
    runs = sum(1 for a, b in zip(answers, answers[1:]) if a != b) + 1
    assert runs >= 4 and sorted(a.id for a in reach.shown) == sorted(EXPECTED_REACH)


def test_reach_all_right(reach):
    answer_all(reach)
    check = reach.check()
    assert check.complete and "全問正解です (6 つの相手)" in check.summary
    assert "若者層が多く集まって" in result_of(reach, "young_people").message


def test_reach_wrong_party_explains_what_the_pamphlet_credits(reach):
    reach.tick("young_people", WARD, True)
    r = result_of(reach, "young_people")
    assert r.mark is ReachMark.WRONG and "川崎区役所の特徴・強みとして、この相手とのつながりを挙げていません" in r.message


def test_reach_alone_for_a_together_audience(reach):
    reach.tick("new_contacts", GB, True)
    reach.tick("new_contacts", WARD, True)
    r = result_of(reach, "new_contacts")
    assert r.mark is ReachMark.WRONG and "グリーンバード・川崎区役所だけの特徴" in r.message
    assert "組んだことで生まれる" in r.message


def test_reach_together_for_an_audience_one_party_reaches(reach):
    reach.tick("shopping_streets", TOGETHER, True)
    r = result_of(reach, "shopping_streets")
    assert r.mark is ReachMark.WRONG and "組まなくても" in r.message


def test_reach_partial_names_what_is_right_and_what_is_extra(reach):
    reach.tick("neighbourhood_associations", WARD, True)
    reach.tick("neighbourhood_associations", GB, True)
    r = result_of(reach, "neighbourhood_associations")
    assert r.mark is ReachMark.PARTIAL
    assert "「川崎区役所だけで届く」は合っています" in r.message and "グリーンバードの特徴・強みとして" in r.message


def test_reach_partial_when_two_parties_reach_alone():
    task = ReachTask([Party("a", "A"), Party("b", "B")],
                     [Audience("x", "X", frozenset({"a", "b"}), "why", "clue")])
    task.tick("x", "a", True)
    r = task.check().results[0]
    assert r.mark is ReachMark.PARTIAL and "「Aだけで届く」は合っています" in r.message and "ほかにも" in r.message


def test_reach_contradiction_is_refused_kindly(reach):
    reach.tick("young_people", GB, True)
    reach.tick("young_people", TOGETHER, True)
    r = result_of(reach, "young_people")
    assert r.mark is ReachMark.CONTRADICTORY and "同時に選んでいます" in r.message
    check = reach.check()
    assert "1 つの行で、同時には選べないもの" in check.summary
    assert reach.hint().startswith("「若者層」を見直しましょう")


def test_reach_unanswered_and_summary(reach):
    check = reach.check()
    assert check.unanswered == 6 and "まだ何も選ばれていません" in check.summary
    reach.tick("shopping_streets", WARD, True)
    check = reach.check()
    assert (check.correct, check.unanswered, check.all_answered) == (1, 5, False)


def test_reach_hint_goes_to_wrong_rows_before_open_ones(reach):
    first_shown = reach.shown[0]
    assert first_shown.name in reach.hint() and first_shown.clue in reach.hint()
    reach.tick("wide_range", GB, True)
    assert "「若者に限らない、幅広い層の参加者」" in reach.hint()
    reach.reset()
    answer_all(reach)
    assert "ヒントは要りません" in reach.hint()


def test_reach_refuses_unknown_input(reach):
    assert not reach.tick("nobody", GB, True)
    assert not reach.tick("young_people", "<img src=x>", True)
    assert not reach.tick("young_people", GB, "yes")  # type: ignore[arg-type]
    assert reach.tick("young_people", GB, False)


def test_reach_state_round_trip_and_hostile_state(reach, course):
    reach.tick("young_people", GB, True)
    reach.tick("wide_range", TOGETHER, True)
    again = case1.reach_task(course)
    assert again.load_state(reach.to_state()) == 2
    assert again.ticks["wide_range"] == {TOGETHER}
    assert again.load_state({"ticks": {"young_people": [GB, "<script>"], "nobody": [GB], "wide_range": "x"}}) == 1
    assert again.load_state(None) == 0 and again.load_state({"ticks": []}) == 0


def test_reach_malformed_tasks_are_refused():
    a = Audience("x", "X", frozenset({"a"}), "", "")
    with pytest.raises(ValueError):
        ReachTask([Party("a", "A")], [a])
    with pytest.raises(ValueError):
        ReachTask([Party("a", "A"), Party("b", "B")], [])
    with pytest.raises(ValueError):
        ReachTask([Party("a", "A"), Party(TOGETHER, "B")], [a])
    with pytest.raises(ValueError, match="「Y」"):
        ReachTask([Party("a", "A"), Party("b", "B")], [Audience("y", "Y", frozenset({"c"}), "", "")])
    with pytest.raises(ValueError):
        ReachTask([Party("a", "A"), Party("b", "B")], [Audience("y", "Y", frozenset(), "", "")])


def test_reach_table_counts_audiences_not_people(reach):
    table = reach_table(reach)
    assert [table.count(i) for i in range(3)] == [1, 3, 6]
    assert table.columns == ("グリーンバードだけで届く", "川崎区役所だけで届く", "二者が組むと")
    assert [r for r, new in zip(table.names, table.new) if new] == [
        "若者に限らない、幅広い層の参加者", "これまであまり接点のなかった人たちどうし"]


def test_reach_chart_cells_labels_and_alt_text(reach):
    chart = reach_chart(reach_table(reach), "だれに届くか", "人数ではなく種類の数")
    ax = chart.figure.axes[0]
    cells = [t.get_text() for t in ax.texts]
    assert cells.count("届く") == 1 + 3 + 4 and cells.count("新たに届く") == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "グリーンバード\nだけで\n(1 種類)", "川崎区役所\nだけで\n(3 種類)", "二者が\n組むと\n(6 種類)"]
    assert "接点のなかった人たちどうし" in [t.get_text() for t in ax.get_yticklabels()]
    assert "川崎区役所だけで届く: 3 種類 (「町内会・自治会」「商店街」" in chart.alt_text
    assert "組んで初めて届く相手: 「若者に限らない、幅広い層の参加者」" in chart.alt_text
    assert chart.alt_text.endswith("人数ではなく種類の数")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.figure.canvas.draw()


# --- the reach widget, driven as a learner would ----------------------------------------

@pytest.fixture
def widget(store) -> ReachWidget:
    return case1.alone_or_together(store=store)


def tick_all_right(w: ReachWidget) -> None:
    for a in w.task.audiences:
        for option in a.reached_by:
            w.boxes[a.id][option].value = True


def test_widget_starts_unticked(widget):
    assert all(not box.value for boxes in widget.boxes.values() for box in boxes.values())
    assert [b.description for b in widget.boxes["young_people"].values()] == [
        "グリーンバードだけで届く", "川崎区役所だけで届く", "組んで初めて届く"]
    assert widget.chart is None


def test_widget_nothing_ticked(widget):
    widget.check_button.click()
    assert widget.feedback.kind == "info" and "まだ何も選ばれていません" in widget.feedback.text
    assert widget.chart is None


def test_widget_partial_prediction_shows_no_chart_yet(widget, store):
    widget.boxes["young_people"][GB].value = True
    widget.boxes["shopping_streets"][GB].value = True
    assert store.get("case1/reach") == {"ticks": {"young_people": [GB], "shopping_streets": [GB]}}
    widget.check_button.click()
    assert "✅" in widget.marks["young_people"].value and "❌" in widget.marks["shopping_streets"].value
    assert "…" in widget.marks["wide_range"].value
    assert "すべての行に答えると" in widget.feedback.text and widget.chart is None


def test_widget_complete_but_wrong_prediction_shows_the_chart(widget):
    for a in widget.task.audiences:
        widget.boxes[a.id][TOGETHER].value = True
    widget.check_button.click()
    assert widget.feedback.kind == "warning" and "6 つの相手のうち 2 つが正解" in widget.feedback.widget.value
    assert widget.chart is not None and "新たに届く" in [t.get_text() for t in widget.chart.figure.axes[0].texts]


def test_widget_all_right_is_success(widget):
    tick_all_right(widget)
    widget.check_button.click()
    assert widget.feedback.kind == "success" and widget.chart is not None


def test_widget_contradiction_mark(widget):
    widget.boxes["shopping_streets"][WARD].value = True
    widget.boxes["shopping_streets"][TOGETHER].value = True
    widget.check_button.click()
    assert "⚠️" in widget.marks["shopping_streets"].value and "同時に" in widget.marks["shopping_streets"].value


def test_widget_restore_reset_and_hint(private_workspace):
    first = case1.alone_or_together(store=Store.open(private_workspace, "tester"))
    first.boxes["wide_range"][TOGETHER].value = True
    again = case1.alone_or_together(store=Store.open(private_workspace, "tester"))
    assert again.boxes["wide_range"][TOGETHER].value is True
    assert "保存されていた 1 件" in again.feedback.text
    again.hint_button.click()
    assert "見直しましょう" in again.feedback.text
    again.reset_button.click()
    assert "1 個をすべて外します" in again.feedback.text and again.boxes["wide_range"][TOGETHER].value
    again.reset_button.click()
    assert not again.boxes["wide_range"][TOGETHER].value and again.task.answered == 0
    assert Store.open(private_workspace, "tester").get("case1/reach") is None


def test_widget_unexpected_error_becomes_a_message(widget, monkeypatch):
    def boom():
        raise KeyError("internal")

    monkeypatch.setattr(widget.task, "check", boom)
    widget.check_button.click()
    assert widget.feedback.kind == "error" and "internal" not in widget.feedback.text


# --- 演習3: the proposal scheme ---------------------------------------------------------

def test_scheme_steps_come_from_the_case(course):
    task = case1.scheme_task(course)
    assert [s.id for s in task.steps] == [s.id for s in course.case("case1").scheme.steps]
    assert [s.id for s in task.shown] != [s.id for s in task.steps]
    assert task.steps[0].text.startswith("区が市民団体から") and task.steps[-1].text.startswith("提案団体と区が協働で")


def test_scheme_widget_driven(store):
    w = case1.scheme_order(store=store)
    assert isinstance(w, OrderingWidget)
    right = w.task.right
    for step_id, dropdown in w.choices.items():
        dropdown.value = right[step_id]
    w.check_button.click()
    assert w.feedback.kind == "success" and "正しい順番です (5 個の手順)" in w.feedback.text
    first, second = list(w.choices)[:2]
    w.choices[first].value = right[second]
    w.check_button.click()
    assert w.feedback.kind == "warning" and "同じ番号" in w.feedback.text


def test_case_without_scheme_is_reported(course, monkeypatch):
    case = course.case("case1").model_copy(update={"scheme": None})
    monkeypatch.setitem(course._index["case"], "case1", case)
    with pytest.raises(DataError, match="scheme"):
        case1.scheme_task(course)


def test_facade_builds_every_case1_exercise(store):
    assert isinstance(case1.strengths(store=store), SortingWidget)
    assert isinstance(case1.alone_or_together(store=store), ReachWidget)
    assert isinstance(case1.scheme_order(store=store), OrderingWidget)
