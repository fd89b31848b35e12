"""Ordering exercises: logic and widget."""

from __future__ import annotations

import pytest

from kyodo.exercises.ordering import OrderingTask, Step
from kyodo.storage import Store
from kyodo.widgets.ordering import OrderingWidget

STEPS = [Step("purpose", "目的を明確にする"), Step("needs", "必要なものを考える"),
         Step("missing", "不足を把握する"), Step("partner", "相手を探す")]


@pytest.fixture
def task() -> OrderingTask:
    return OrderingTask(STEPS)


def test_steps_are_shown_out_of_order(task):
    assert [s.id for s in task.shown] != [s.id for s in STEPS]
    assert sorted(s.id for s in task.shown) == sorted(s.id for s in STEPS)


def test_right_order_is_complete(task):
    for n, step in enumerate(STEPS, start=1):
        assert task.place(step.id, n)
    check = task.check()
    assert check.complete and "正しい順番です" in check.summary


def test_early_late_and_duplicates_are_told(task):
    task.place("purpose", 2)
    task.place("needs", 2)
    task.place("partner", 1)
    results = {r.step.id: r for r in task.check().results}
    assert results["purpose"].message == "もう少し前の手順です。"
    assert results["needs"].correct
    assert results["partner"].message == "もう少し後の手順です。"
    assert "まだ番号" in results["missing"].message
    check = task.check()
    assert check.duplicates == (2,) and "同じ番号 (2)" in check.summary


def test_bad_positions_are_refused(task):
    assert not task.place("purpose", 0)
    assert not task.place("purpose", 5)
    assert not task.place("nope", 1)
    assert not task.place("purpose", "1")  # type: ignore[arg-type]
    assert task.place("purpose", None)


def test_hint_names_the_first_misplaced_step(task):
    assert task.hint() == "「目的を明確にする」は 1 番目です。"
    for n, step in enumerate(STEPS, start=1):
        task.place(step.id, n)
    assert "ヒントは要りません" in task.hint()


def test_state_round_trip(task):
    task.place("needs", 2)
    again = OrderingTask(STEPS)
    assert again.load_state(task.to_state()) == 1 and again.positions["needs"] == 2
    assert again.load_state({"positions": {"needs": 99, "x": 1, "partner": "4"}}) == 0


def test_too_few_steps():
    with pytest.raises(ValueError):
        OrderingTask(STEPS[:1])


def test_widget_check_restore_and_reset(private_workspace):
    w = OrderingWidget(OrderingTask(STEPS), "t/order", "演習", "順番", "並べる",
                       store=Store.open(private_workspace, "tester"))
    w.choices["purpose"].value = 1
    w.choices["needs"].value = 3
    w.check_button.click()
    assert "✅" in w.marks["purpose"].value and "❌" in w.marks["needs"].value
    assert w.feedback.kind == "warning" and "4 個のうち 1 個" in w.feedback.text
    again = OrderingWidget(OrderingTask(STEPS), "t/order", "演習", "順番", "並べる",
                           store=Store.open(private_workspace, "tester"))
    assert again.choices["needs"].value == 3 and "前回の続き" in again.feedback.text
    again.reset_button.click()
    again.reset_button.click()
    assert all(d.value is None for d in again.choices.values())
    assert Store.open(private_workspace, "tester").get("t/order") is None
