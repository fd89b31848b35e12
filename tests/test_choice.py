"""The choice engine (kyodo.exercises.choice) on fixture specs: every mode, graded acceptance, rules, old saves."""

from __future__ import annotations

import pytest

from kyodo.exercises.choice import Accepted, ChoiceTask, Item, Mark, Option, Reading

OPTS = [Option("a", "甲", "甲の手がかり"), Option("b", "乙", "乙の手がかり"), Option("c", "丙", "丙の手がかり")]


def one_task(**kw) -> ChoiceTask:
    items = [
        Item("x", "項目X", (Accepted("a"), Accepted("b", "also", "乙とも読める")), why="甲だから"),
        Item("y", "項目Y", (Accepted("b"),), why="乙だから", clue="自分の手がかり"),
        Item("z", "項目Z", readings=(Reading("a", "甲と読む理由"), Reading("c", "丙と読む理由")), prompt="考えよ"),
    ]
    return ChoiceTask(items, OPTS, **kw)


def result(task: ChoiceTask, item_id: str):
    return next(r for r in task.check().results if r.item.id == item_id)


def test_right_also_wrong_and_unanswered_are_told_apart():
    task = one_task()
    assert result(task, "x").mark is Mark.UNANSWERED
    task.choose("x", "a")
    assert result(task, "x").mark is Mark.RIGHT and "甲だから" in result(task, "x").message
    task.choose("x", "b")
    r = result(task, "x")
    assert r.mark is Mark.ALSO and "この読み方もできます" in r.message and "乙とも読める" in r.message
    task.choose("x", "c")
    r = result(task, "x")
    assert r.mark is Mark.WRONG and "丙" in r.message and "甲の手がかり" in r.message
    task.choose("y", "a")
    assert "自分の手がかり" in result(task, "y").message  # the item's own clue beats the option's


def test_completion_counts_right_and_also_and_ignores_discussion_items():
    task = one_task()
    task.choose("x", "b")
    task.choose("y", "b")
    check = task.check()
    assert check.total == 2 and check.done == 2 and check.complete and check.kind == "success"
    task.choose("z", "c")
    r = result(task, "z")
    assert r.mark is Mark.DISCUSSION and "丙と読む理由" in r.message and "甲と読む理由" in r.message
    assert task.check().complete


def test_discussion_answer_is_never_marked_wrong():
    task = one_task()
    task.choose("z", "b")  # a reading nobody listed
    assert result(task, "z").mark is Mark.DISCUSSION


def test_unknown_ids_are_refused():
    task = one_task()
    assert not task.choose("nope", "a")
    assert not task.choose("x", "nope")
    assert not task.tick("x", "a", True)  # not a many task
    assert task.answers["x"] is None


def test_summary_progress_and_empty():
    task = one_task()
    assert "3 項目" in task.check().summary
    task.choose("y", "c")
    summary = task.check().summary
    assert "2 項目のうち 0 項目" in summary
    assert task.check().kind == "warning"


def test_hint_gives_the_clue_then_an_answer_and_nothing_when_done():
    task = one_task()
    task.choose("y", "a")
    first, second = task.hint(), task.hint()
    assert "項目Y" in first and "自分の手がかり" in first
    assert "乙" in second and "答えの一つ" in second
    task.choose("y", "b")
    task.choose("x", "a")
    assert "ヒントは要りません" in task.hint()


def test_bad_specs_are_refused_with_a_message():
    with pytest.raises(ValueError, match="選択肢"):
        ChoiceTask([Item("x", "X", (Accepted("q"),))], OPTS)
    with pytest.raises(ValueError):
        ChoiceTask([], OPTS)
    with pytest.raises(ValueError):
        ChoiceTask([Item("x", "X", (Accepted("a"),))], OPTS, rules=[("no_such_rule", {})])
    with pytest.raises(ValueError):
        ChoiceTask([Item("x", "X", (Accepted(frozenset({"a"})),))], OPTS, mode="exactly", pick=2)


# --- many ----------------------------------------------------------------------------------


def many_task() -> ChoiceTask:
    options = [Option("p", "P"), Option("q", "Q"), Option("t", "組むと", "二者がそろうと")]
    items = [
        Item("i1", "相手1", (Accepted(frozenset({"p"})), Accepted(frozenset({"p", "q"}), "also", "どちらも届く"))),
        Item("i2", "相手2", (Accepted(frozenset({"t"})),)),
    ]
    return ChoiceTask(items, options, mode="many", exclusive=["t"],
                      rules=[("table_after_check", {"figure": "reach", "title": "T", "note": "N"})])


def test_many_right_partial_exclusive_and_also():
    task = many_task()
    task.tick("i1", "q", True)
    assert result(task, "i1").mark is Mark.WRONG
    task.tick("i1", "p", True)
    assert result(task, "i1").mark is Mark.ALSO
    task.tick("i1", "q", False)
    assert result(task, "i1").mark is Mark.RIGHT
    task.tick("i2", "t", True)
    task.tick("i2", "p", True)
    r = result(task, "i2")
    assert r.mark is Mark.INVALID and "組むと" in r.message


def test_many_partial_when_sets_overlap():
    options = [Option("p", "P"), Option("q", "Q"), Option("r", "R")]
    task = ChoiceTask([Item("i", "I", (Accepted(frozenset({"p", "q"})),))], options, mode="many")
    task.tick("i", "p", True)
    r = result(task, "i")
    assert r.mark is Mark.PARTIAL and "ほかにも" in r.message
    task.tick("i", "r", True)
    assert "「R」は当てはまりません" in result(task, "i").message


def test_figure_rule_waits_for_every_answer():
    task = many_task()
    assert task.check().outcomes == ()
    task.tick("i1", "p", True)
    task.tick("i2", "t", True)
    (outcome,) = task.check().outcomes
    assert outcome.figure == ("reach", "T", "N")


# --- exactly (pairs, in no order) ---------------------------------------------------------


def pair_task() -> ChoiceTask:
    options = [Option(k, k.upper(), f"{k}の手がかり") for k in "abcd"]
    return ChoiceTask([Item("c1", "事例1", (Accepted(frozenset({"a", "b"})),))], options, mode="exactly", pick=2)


def test_pairs_have_no_order_and_doubles_and_gaps_are_said():
    task = pair_task()
    task.choose_slot("c1", 0, "b")
    r = result(task, "c1")
    assert r.mark is Mark.INVALID and "2 つ選んで" in r.message
    task.choose_slot("c1", 1, "b")
    assert "二度" in result(task, "c1").message
    task.choose_slot("c1", 1, "a")
    assert result(task, "c1").mark is Mark.RIGHT
    task.choose_slot("c1", 1, "c")
    r = result(task, "c1")
    assert r.mark is Mark.PARTIAL and "「B」は合っています" in r.message


def test_pairs_save_the_dropdowns_as_set():
    task = pair_task()
    task.choose_slot("c1", 1, "d")
    state = task.to_state()
    assert state == {"answers": {"c1": [None, "d"]}}
    other = pair_task()
    assert other.load_state(state) == 1 and other.slots["c1"] == [None, "d"]


# --- order ---------------------------------------------------------------------------------


def order_task() -> ChoiceTask:
    items = [Item(s, f"手順{s}", (Accepted(str(n)),)) for n, s in enumerate("abc", start=1)]
    return ChoiceTask(items, [Option(str(n), str(n)) for n in (1, 2, 3)], mode="order")


def test_order_says_too_early_or_too_late():
    task = order_task()
    task.choose("a", "3")
    task.choose("c", "1")
    assert "遅すぎ" in result(task, "a").message
    assert "早すぎ" in result(task, "c").message


def test_order_reads_old_positions():
    task = order_task()
    assert task.load_state({"positions": {"a": 1, "b": 2, "zzz": 3, "c": True}}) == 2
    assert task.answers["a"] == "1" and task.answers["c"] is None


# --- rules -----------------------------------------------------------------------------------


def ledger_task() -> ChoiceTask:
    options = [Option("co", "企業"), Option("city", "市"), Option("shared", "共通"), Option("nobody", "だれも")]
    items = [
        Item("s1", "普及", (Accepted("co"),)),
        Item("s2", "費用なし", (Accepted("city"),)),
        Item("s3", "文化", (Accepted("shared"), Accepted("city", "also", "市の利益とも読める"))),
        Item("d1", "値引き", (Accepted("nobody"),)),
    ]
    return ChoiceTask(items, options, rules=[("each_option_gains", {"options": ["co", "city"]}),
                                             ("distractor_claimed", {"option": "nobody"})])


def test_ledger_flags_a_party_without_gain_and_a_claimed_distractor():
    task = ledger_task()
    assert task.check().flags == ()  # nothing answered: nothing to flag
    task.choose("s1", "co")
    task.choose("d1", "city")
    flags = task.check().flags
    assert any("市" in f and "まだありません" in f for f in flags)
    assert any("値引き" in f for f in flags)
    task.choose("s3", "city")  # an also answer counts as the city's own gain
    task.choose("d1", "nobody")
    task.choose("s2", "city")
    check = task.check()
    assert check.flags == () and check.complete


def test_a_flag_keeps_the_task_from_being_complete():
    task = ledger_task()
    for item, value in (("s1", "co"), ("s2", "city"), ("s3", "shared"), ("d1", "nobody")):
        task.choose(item, value)
    assert task.check().complete
    rules = [("one_item_per_option", {})]
    dup = ChoiceTask([Item("x", "X", (Accepted("a"),)), Item("y", "Y", (Accepted("a"), Accepted("b", "also", "")))],
                     OPTS, rules=rules)
    dup.choose("x", "a")
    dup.choose("y", "a")
    check = dup.check()
    assert check.done == 2 and check.flags and not check.complete


# --- reflective ----------------------------------------------------------------------------------


def test_a_task_of_discussion_items_compares_instead_of_marking():
    options = [Option("k1", "自分を知る"), Option("k2", "社会を知る"), Option("k3", "自立する")]
    items = [Item("g", "ゲーム", readings=(Reading(frozenset({"k2", "k3"}), "名前から"),), prompt="何を支える?")]
    task = ChoiceTask(items, options, mode="many")
    assert task.reflective
    assert "何を支える" in task.hint()
    task.tick("g", "k2", True)
    check = task.check()
    assert check.complete and "一部が重なります" in check.results[0].message
    assert check.summary.startswith("あなたの答えと")


def test_old_shapes_and_garbage_load_without_error():
    task = many_task()
    assert task.load_state({"ticks": {"i1": ["p", 5, "nope"], "zz": ["p"]}}) == 1
    for garbage in (None, [], "x", {"answers": []}, {"answers": {"i1": {"a": 1}}}):
        assert task.load_state(garbage) == 0
