"""CASE5 lesson on the registry: who does what, the relationship network (what if someone leaves),
and the year's contact plan."""

from __future__ import annotations

import copy

import pytest

import kyodo
from kyodo.data import DataError
from kyodo.exercises.choice import Mark
from kyodo.exercises.contact_plan import FISCAL_MONTHS, ContactKind, ContactPlan, ContactPlanParams, plan_of
from kyodo.exercises.network import (
    Network,
    NetworkExercise,
    NetworkParams,
    Occasion,
    Origin,
    Person,
    Tie,
    exercise_of,
)
from kyodo.network_diagram import NetworkPanel, describe_network, network_figure
from kyodo.registry import BuiltSpec, ChoiceSpec, choice_task, load_registry
from kyodo.solutions import answer_key_markdown, answer_table, solution_html
from kyodo.storage import Store
from kyodo.widgets.choice import ChoiceWidget
from kyodo.widgets.contact_plan import ContactPlanWidget
from kyodo.widgets.network import NetworkWidget

LESSON = "case5"


def spec(exercise_id: str):
    return load_registry().get(exercise_id)


def model_answer() -> list[tuple[str, str, str]]:
    return [(t.a, t.b, t.occasion) for t in spec("case5-ex2").parsed(NetworkParams).model_answer]


SOLUTION = model_answer()


@pytest.fixture
def net(course) -> NetworkExercise:
    return exercise_of(spec("case5-ex2"), course)


@pytest.fixture
def plan() -> ContactPlan:
    return plan_of(spec("case5-ex3"))


# --- the registry entries ------------------------------------------------------------------


def test_every_exercise_of_the_lesson_is_registered_with_its_old_key():
    entries = load_registry().of_lesson(LESSON)
    assert [(e.id, e.kind) for e in entries] == [("case5-ex1", "choice"), ("case5-ex2", "network"),
                                                  ("case5-ex3", "contact_plan")]
    assert {k for e in entries for k in e.legacy_keys} == {"case5/roles", "case5/network", "case5/contact_plan"}
    for e in entries:
        assert e.facilitator.checking and e.facilitator.mistakes and e.facilitator.prompts
        assert e.solution_note


# --- 演習1: who does what (the case's participants and activities) ---------------------------


def test_who_does_what_is_the_case_data(course):
    entry = spec("case5-ex1")
    assert isinstance(entry, ChoiceSpec)
    task = choice_task(entry, course)
    case = course.case(LESSON)
    doers = [p for p in case.participants if p.activities]
    assert [o.id for o in task.options] == [p.org for p in doers]
    assert [o.label for o in task.options] == [course.org_name(p.org) for p in doers]
    carried_by = {a.text: p.org for p in doers for a in p.activities}
    assert {task.item(i.id).text: i.answer for i in entry.items} == carried_by


def test_every_right_answer_is_right_and_every_also_answer_accepted(course):
    entry = spec("case5-ex1")
    for item in entry.items:
        task = choice_task(entry, course)
        task.choose(item.id, item.answer)
        assert task.judge(task.item(item.id)).mark is Mark.RIGHT
        for also in item.also:
            task.choose(item.id, also.answer)
            result = task.judge(task.item(item.id))
            assert result.mark is Mark.ALSO and also.comment in result.message
        accepted = {item.answer, *(a.answer for a in item.also)}
        for other in (o.id for o in entry.options if o.id not in accepted):
            task.choose(item.id, other)
            assert task.judge(task.item(item.id)).mark is Mark.WRONG
    task = choice_task(entry, course)
    for item in entry.items:
        task.choose(item.id, item.answer)
    assert task.check().complete


def test_decision_6_the_city_is_also_accepted_as_holding_the_festival(course):
    """P6: the steelworks holds the festival together with the city (決定 6)."""
    case = course.case(LESSON)
    assert "city_of_kawasaki" in [p.org for p in case.participants]  # a participant of the case data already
    task = choice_task(spec("case5-ex1"), course)
    task.choose("host_festival", "city_of_kawasaki")
    result = task.judge(task.item("host_festival"))
    assert result.mark is Mark.ALSO and "共に" in result.message and "講座の答え" in result.message
    item = next(i for i in spec("case5-ex1").items if i.id == "host_festival")
    assert item.basis.startswith("P6")
    task.choose("factory_tour", "city_of_kawasaki")  # the tour stays the steelworks' own
    assert task.judge(task.item("factory_tour")).mark is Mark.WRONG


def test_decision_6_the_steelworks_is_also_accepted_as_co_holding_the_festival(course):
    """The same sentence of P6 read from the other side: both hold the festival together."""
    task = choice_task(spec("case5-ex1"), course)
    task.choose("cohost_festival", "jfe_keihin")
    result = task.judge(task.item("cohost_festival"))
    assert result.mark is Mark.ALSO and "一緒に" in result.message
    task.choose("cohost_festival", "local_associations")
    assert task.judge(task.item("cohost_festival")).mark is Mark.WRONG


def test_who_does_what_widget_and_an_old_save(private_workspace, course):
    Store.open(private_workspace, "tester").save("case5/roles", {"answers": {"mikoshi": "jfe_keihin",
                                                                             "stalls": "local_associations"}})
    w = kyodo.exercise("case5-ex1", store=Store.open(private_workspace, "tester"))
    assert isinstance(w, ChoiceWidget)
    assert w.dropdowns["mikoshi"][0].value == "jfe_keihin" and w.dropdowns["stalls"][0].value == "local_associations"
    w.check_button.click()
    assert "❌" in w.marks["mikoshi"].value and course.org_name("local_associations") not in w.marks["mikoshi"].value
    assert "✅" in w.marks["stalls"].value
    w.dropdowns["mikoshi"][0].value = "local_associations"
    saved = Store.open(private_workspace, "tester")
    assert saved.get("case5/roles") is None and saved.get("case5-ex1")["answers"]["mikoshi"] == "local_associations"


# --- 演習2: the network's params in the registry ---------------------------------------------


def test_the_network_is_hypothetical_and_its_model_answer_completes_it(net):
    params = spec("case5-ex2").parsed(NetworkParams)
    assert params.hypothetical is True
    assert len(net.people) == len(params.people) and {p.type for p in net.people} <= {
        "neighbourhood_association", "residents", "company", "government"}
    assert len(SOLUTION) <= params.max_added
    for tie in SOLUTION:
        assert net.add(*tie).ok
    assert net.check().complete


def _broken(change) -> BuiltSpec:
    entry = spec("case5-ex2")
    params = copy.deepcopy(entry.params)
    change(params)
    return entry.model_copy(update={"params": params})


def _set(path, value):
    def change(params):
        node = params
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


@pytest.mark.parametrize("change,expected", [
    (_set(["hypothetical"], False), ["params: 項目 'hypothetical'", "次のどれかにしてください"]),
    (_set(["people", 9, "type"], "city"), ["params.people.type", "'city' はありません"]),
    (_set(["before", 6, "b"], "kid"), ["params.before[7]", "'kid' はありません"]),
    (_set(["after_events", 3, "occasion"], None), ["params.after_events[4]", "知り合った場 (occasion) を書いてください"]),
    (_set(["after_events", 0, "occasion"], "factory_tour"),
     ["params.after_events[1]", "'factory_tour' の参加者 (attendees) に chair がいません"]),
    (_set(["after_events", 0], {"a": "chair", "b": "festival_officer", "occasion": "festival_prep"}),
     ["chair — festival_officer", "二度書かれています"]),
    (_set(["before", 1, "b"], "chair"), ["'chair' が自分自身と結ばれています"]),
    (_set(["max_added"], 0), ["max_added"]),
    (_set(["model_answer"], [{"a": "parent", "b": "chair", "occasion": "factory_tour"}]),
     ["params.model_answer[1]", "参加しません"]),
    (_set(["model_answer"], SOLUTION and [{"a": SOLUTION[0][0], "b": SOLUTION[0][1], "occasion": SOLUTION[0][2]}]),
     ["params.model_answer", "弱いところが残ります"]),
])
def test_broken_network_params_are_reported_precisely(course, change, expected):
    with pytest.raises(DataError) as info:
        exercise_of(_broken(change), course)
    message = str(info.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message}"
    assert "data/exercises/case5.yml" in message and "case5-ex2" in message


def test_network_answer_table_lists_the_model_answer_and_what_each_tie_mends(net):
    table = answer_table("case5-ex2")
    assert [r[:3] for r in table.rows] == [(net.name(a), net.name(b), net.occasion_name(o)) for a, b, o in SOLUTION]
    assert all(r[3].startswith("効いています") for r in table.rows)


# --- the network: analysis ------------------------------------------------------------------

def test_shared_events_join_four_groups_into_one(net):
    before, after = net.before().robustness(), net.after_events().robustness()
    assert len(before.groups) == 4 and before.isolated == ("newcomer",)
    assert len(after.groups) == 1 and not after.isolated
    assert after.single_link == (("mikoshi_bearer", "festival_officer"), ("newcomer", "stall_resident"))
    assert set(after.key_people) == {"chair", "festival_officer", "stall_resident", "tour_guide", "liaison"}
    assert not after.robust


def test_leaving_measures_who_is_cut_off(net):
    impact = net.after_events().without("liaison")
    assert impact.splits and impact.ties_lost == 3 and impact.lost_only_link == ()
    assert impact.parts[1] == ("parent", "child", "tour_guide")
    assert impact.separated_pairs == 6 * 3
    alone = net.after_events().without("stall_resident")
    assert alone.lost_only_link == ("newcomer",)
    holds = net.after_events().without("newcomer")
    assert not holds.splits and holds.separated_pairs == 0


def test_network_on_a_small_graph():
    people = [Person(x, x.upper(), x, "residents") for x in "abcd"]
    line = Network(people, [Tie("a", "b", Origin.BEFORE), Tie("b", "c", Origin.BEFORE)])
    state = line.robustness()
    assert state.groups == (("a", "b", "c"), ("d",)) and state.isolated == ("d",)
    assert state.key_people == ("b",)
    assert line.without("b").lost_only_link == ("a", "c")
    with pytest.raises(KeyError):
        line.without("zz")


def test_malformed_network_is_refused():
    people = [Person("a", "A", "A", "residents"), Person("b", "B", "B", "residents")]
    with pytest.raises(ValueError, match="二人以上"):
        NetworkExercise(people[:1], [], [], [])
    with pytest.raises(ValueError, match="a — x"):
        NetworkExercise(people, [], [], [Tie("a", "x", Origin.EVENT)])
    with pytest.raises(ValueError, match="'party'"):
        NetworkExercise(people, [Occasion("o", "O", frozenset("ab"))], [], [Tie("a", "b", Origin.EVENT, "party")])


# --- the network: the learner's additions -------------------------------------------------

def test_adding_explains_every_refusal(net):
    assert "二人目・知り合う場 がまだ選ばれていません" in net.add("chair", None, None).message
    assert "一覧にない人" in net.add("chair", "<script>", "festival_day").message
    assert "知り合う場は一覧から" in net.add("chair", "child", "picnic").message
    assert "二度選ばれています" in net.add("chair", "chair", "festival_day").message
    known = net.add("festival_officer", "chair", "festival_day")
    assert not known.ok and "祭りや見学会の前から" in known.message
    met = net.add("child", "tour_guide", "festival_day")
    assert "「工場見学会」で" in met.message
    absent = net.add("city_staff", "child", "factory_tour")
    assert not absent.ok and "市の担当職員 は「工場見学会」に参加しません" in absent.message
    assert "製鉄所の見学会案内係" in absent.message  # who does attend
    assert net.added == []


def test_adding_reports_the_effect_and_the_limit(net):
    first = net.add(*SOLUTION[0])
    assert first.ok and "あと 3 本" in first.message and "分かれる人は 2 人" in first.message
    assert "あなたが加えたつながり (「ふれあい祭りの当日 (神輿渡御・模擬店)」) で" in net.add(
        "stall_resident", "parent", "festival_day").message
    for a, b in [("chair", "child"), ("city_staff", "newcomer"), ("liaison", "mikoshi_bearer")]:
        net.add(a, b, "festival_day")
    assert len(net.added) == 4
    refused = net.add("tour_guide", "newcomer", "festival_day")
    assert not refused.ok and "4 本まで" in refused.message


def test_check_right_wrong_and_partial(net):
    empty = net.check()
    assert not empty.complete and empty.added == 0 and "弱いところが 5 か所" in empty.summary
    assert any("神輿の担ぎ手 の知り合いは 町内会の祭り係 だけ" in p for p in empty.problems)
    assert any("製鉄所の地域担当者 が抜けると" in p for p in empty.problems)
    assert not any("町内会の祭り係 が抜けると、(" in p for p in empty.problems)  # said as "only link" instead
    net.add("chair", "festival_officer", "festival_day")  # refused: already acquainted
    net.add(*SOLUTION[0])
    partial = net.check()
    assert partial.added == 1 and not partial.complete and "まだ弱いところが 2 か所" in partial.summary
    assert partial.ties[0].useful
    assert "町内会長、製鉄所の見学会案内係、製鉄所の地域担当者 が抜けても" in partial.ties[0].message
    assert net.add(*SOLUTION[1]).ok
    done = net.check()
    assert done.complete and done.problems == () and "2 本のつながり" in done.summary
    assert all(t.useful for t in done.ties)
    assert "神輿の担ぎ手 の知り合いが二人以上" in done.ties[1].message
    assert net.add("city_staff", "festival_officer", "festival_review").ok  # the network is robust already
    extra = net.check()
    assert extra.complete and not extra.ties[2].useful and "重なっています" in extra.ties[2].message


def test_hint_points_at_a_weak_spot_and_its_occasions(net):
    first = net.hint()
    assert "神輿の担ぎ手 に注目" in first and "「町内会のふだんの集まり」" in first
    assert "最近引っ越してきた住民 に注目" in net.hint()  # the next weak spot on the next press
    net.add("mikoshi_bearer", "newcomer", "festival_day")
    key = net.hint()
    assert "が抜けると" in key and "候補" in key
    net.add(*SOLUTION[0])
    assert "ヒントは要りません" in net.hint()


def test_leave_in_words(net):
    assert net.leave(None)[1] == "抜ける人を選んでから「この人が抜けたら」を押してください。"
    assert net.leave("nobody")[0] is None
    impact, text = net.leave("liaison")
    assert impact is not None and "3 本のつながりがなくなります" in text
    assert "2 個に分かれ" in text and "18 組" in text
    _, alone = net.leave("festival_officer")
    assert "神輿の担ぎ手 は、知り合いが 町内会の祭り係 だけだったので、孤立します" in alone
    _, holds = net.leave("newcomer")
    assert "別の道でつながったまま" in holds


def test_remove_and_state_round_trip(net, course):
    assert not net.remove(0).ok and not net.remove("0").ok  # type: ignore[arg-type]
    for tie in SOLUTION:
        net.add(*tie)
    again = exercise_of(spec("case5-ex2"), course)
    assert again.load_state(net.to_state()) == 2 and again.check().complete
    assert again.load_state({"ties": [["chair", "chair", "festival_day"], ["x"], "junk", SOLUTION[0]]}) == 0
    assert again.load_state({"ties": [list(SOLUTION[0])]}) == 1
    assert again.load_state("garbage") == 0 and again.load_state({"ties": "x"}) == 0


# --- the network: figures ---------------------------------------------------------------------

def test_figure_has_japanese_labels_a_legend_and_the_hypothetical_mark(net):
    panels = [NetworkPanel("前", tuple(net.before().ties)), NetworkPanel("抜けたら", tuple(net.after_events().ties),
                                                                       left="liaison")]
    fig = network_figure(net.people, panels)
    assert [ax.get_title() for ax in fig.axes] == ["前", "抜けたら"]
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert "転入した住民\n【孤立】" in texts and "製鉄所の\n地域担当\n(抜けた)" in texts
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "あなたが加えたつながり" in legend and "抜けた人 (点線の丸)" in legend
    assert any("架空の例" in t.get_text() for t in fig.texts)


def test_alt_text_describes_ties_groups_and_who_left(net):
    names = {o.id: o.name for o in net.occasions}
    before = describe_network(net.people, NetworkPanel("前", tuple(net.before().ties)), names)
    assert before.startswith("【前】") and "まとまりは 4 個" in before and "孤立した人: 最近引っ越してきた住民" in before
    left = describe_network(net.people, NetworkPanel("後", tuple(net.after_events().ties), left="liaison"), names)
    assert "抜けた人: 製鉄所の地域担当者" in left and "製鉄所の地域担当者 —" not in left
    assert "「工場見学会」で知り合った" in left and "架空の例" in left


# --- the network widget, driven as a learner would ------------------------------------------

@pytest.fixture
def widget(store) -> NetworkWidget:
    return kyodo.exercise("case5-ex2", store=store)


def pick(w: NetworkWidget, a, b, occasion) -> None:
    w.person_a.value, w.person_b.value, w.occasion.value = a, b, occasion
    w.add_button.click()


def test_widget_add_saves_lists_and_draws(widget, private_workspace):
    entry = spec("case5-ex2")
    assert f"{entry.label} {entry.title}" in widget.ui.children[0].value
    assert widget.person_a.index == 0 and widget.person_a.label == "(選んでください)"  # shown on the website too
    widget.add_button.click()
    assert widget.feedback.kind == "warning" and "まだ選ばれていません" in widget.feedback.text
    pick(widget, *SOLUTION[0])
    assert widget.feedback.kind == "info" and "加えました" in widget.feedback.text
    assert len(widget.edge_list.options) == 1
    assert Store.open(private_workspace, "tester").get("case5-ex2") == {"ties": [list(SOLUTION[0])]}
    assert [ax.get_title() for ax in widget.figure.axes] == ["祭りと見学会のあと", "あなたが加えたあと"]
    assert "あなたが加えた (「ふれあい祭りの当日 (神輿渡御・模擬店)」)" in widget.alt_text


def test_widget_check_leave_and_complete(widget):
    widget.check_button.click()
    assert widget.feedback.kind == "warning" and "まだつながりを加えていません" in widget.feedback.text
    widget.leave_button.click()
    assert "抜ける人を選んでから" in widget.feedback.text
    widget.leaver.value = "liaison"
    widget.leave_button.click()
    assert widget.feedback.kind == "warning" and "切り離されます" in widget.feedback.text
    assert widget.figure.axes[1].get_title() == "製鉄所の地域担当者 が抜けたら"
    for tie in SOLUTION:
        pick(widget, *tie)
    widget.check_button.click()
    assert widget.feedback.kind == "success" and "完成です" in widget.feedback.widget.value
    widget.leave_button.click()
    assert widget.feedback.kind == "success" and "別の道でつながったまま" in widget.feedback.text


def test_widget_remove_reset_and_restore(private_workspace):
    w = kyodo.exercise("case5-ex2", store=Store.open(private_workspace, "tester"))
    w.remove_button.click()
    assert "一覧から選んでください" in w.feedback.text
    pick(w, *SOLUTION[0])
    pick(w, *SOLUTION[1])
    w.edge_list.value = 0
    w.remove_button.click()
    assert len(w.edge_list.options) == 1 and "消しました" in w.feedback.text
    again = kyodo.exercise("case5-ex2", store=Store.open(private_workspace, "tester"))
    assert len(again.edge_list.options) == 1 and "前回の続きから再開します" in again.feedback.text
    again.reset_button.click()
    assert "加えたつながり 1 本" in again.feedback.text and len(again.task.added) == 1
    again.hint_button.click()  # any other action cancels the pending reset
    again.reset_button.click()
    again.reset_button.click()
    assert again.task.added == [] and again.edge_list.options == ()
    assert Store.open(private_workspace, "tester").get("case5-ex2") is None


def test_an_old_network_save_is_restored_and_moved(private_workspace):
    Store.open(private_workspace, "tester").save("case5/network", {"ties": [list(t) for t in SOLUTION]})
    w = kyodo.exercise("case5-ex2", store=Store.open(private_workspace, "tester"))
    assert len(w.edge_list.options) == len(SOLUTION) and w.task.check().complete
    w.edge_list.value = 0
    w.remove_button.click()
    saved = Store.open(private_workspace, "tester")
    assert saved.get("case5/network") is None and len(saved.get("case5-ex2")["ties"]) == len(SOLUTION) - 1


def test_widget_unexpected_error_is_a_message(widget, monkeypatch):
    monkeypatch.setattr(widget.task, "check", lambda: 1 / 0)
    widget.check_button.click()
    assert widget.feedback.kind == "error" and "ZeroDivisionError" in widget.feedback.text


# --- the contact plan: logic ------------------------------------------------------------------

def mark(plan: ContactPlan, kind: str, *months: int) -> None:
    for m in months:
        assert plan.set_mark(kind, m, True)


def codes(check) -> dict[str, str]:
    return {f.code: f.level for f in check.findings}


def test_empty_plan(plan):
    check = plan.check()
    assert check.marks == 0 and not check.complete and check.summary == "まだ計画に印がありません。"
    assert "主な行事 (祭りや見学会など) の月" in plan.hint()


def test_a_complete_plan(plan):
    mark(plan, "meeting", 4, 7, 9)
    mark(plan, "event", 10)
    mark(plan, "review", 11)
    mark(plan, "report", 1, 3)
    plan.set_main_event(10)
    plan.set_title("ふれあい祭りを軸にした交流")
    check = plan.check()
    assert check.complete and check.problems == ()
    assert codes(check) == {"no_gap": "good", "face_to_face": "good", "prep": "good", "follow": "good"}
    assert "7月・9月 の打合せ" in check.goods[2].message and "11月 に報告や振り返り" in check.goods[3].message
    assert "ヒントは要りません" in plan.hint()


def test_gaps_count_the_year_as_recurring(plan):
    mark(plan, "event", 10)
    mark(plan, "meeting", 7, 9)
    mark(plan, "report", 11, 3)
    gap = [f.message for f in plan.check().problems if f.code == "gap"]
    assert gap == ["4月から6月まで、3 か月続けて接点がありません。間があくと、顔の見える関係は薄れがちです。",
                   "12月から2月まで、3 か月続けて接点がありません。間があくと、顔の見える関係は薄れがちです。"]
    plan.reset()
    mark(plan, "meeting", 5, 6, 7, 8, 9, 10, 11, 12, 1)
    gap = [f for f in plan.check().problems if f.code == "gap"]
    assert [f.message for f in gap] == [
        "2月から4月まで (年度をまたぎます)、3 か月続けて接点がありません。間があくと、顔の見える関係は薄れがちです。"]
    assert gap[0].hint.startswith("2月から4月まで (年度をまたぎます)の間に")
    mark(plan, "report", 3)
    assert codes(plan.check())["no_gap"] == "good"  # one- and two-month stretches are fine


def test_face_to_face_event_and_main_event_checks(plan):
    mark(plan, "report", *FISCAL_MONTHS)
    check = plan.check()
    assert {"no_face_to_face", "no_event"} <= {f.code for f in check.problems}
    mark(plan, "event", 8)
    assert codes(plan.check())["face_to_face_once"] == "note"
    assert codes(plan.check())["main_guessed"] == "note"
    mark(plan, "event", 2)
    assert codes(plan.check())["no_main"] == "problem"
    plan.set_main_event(6)
    impossible = next(f for f in plan.check().problems if f.code == "main_not_marked")
    assert "6月 に「行事 (祭り・見学会)」の印がありません" in impossible.message
    plan.set_main_event(8)
    check = plan.check()
    assert codes(check)["no_prep"] == "problem" and codes(check)["follow"] == "good"
    assert "5月から7月まで" in next(f.message for f in check.problems if f.code == "no_prep")


def test_nothing_after_the_main_event(plan):
    mark(plan, "meeting", *FISCAL_MONTHS)
    mark(plan, "event", 10)
    plan.set_main_event(10)
    problem = next(f for f in plan.check().problems if f.code == "no_follow")
    assert "(10月から12月まで)" in problem.message and "「報告・お知らせ」や「振り返りの集まり」" in problem.message
    assert plan.hint() == problem.hint and "10月から12月まで" in plan.hint()
    assert "busy" not in codes(plan.check())  # 13 marks are not too many


def test_busy_and_untitled_plans_get_notes(plan):
    for kind in ("meeting", "report", "visit"):
        mark(plan, kind, *FISCAL_MONTHS)
    check = plan.check()
    assert codes(check)["busy"] == "note" and "印が 36 個" in next(f.message for f in check.notes if f.code == "busy")
    assert codes(check)["no_title"] == "note"


def test_plan_refuses_what_does_not_fit(plan):
    assert not plan.set_mark("meeting", 13, True)
    assert not plan.set_mark("meeting", True, True)  # a bool is not a month
    assert not plan.set_mark("party", 4, True)
    assert not plan.set_main_event(0) and not plan.set_main_event(True)
    assert plan.mark_count == 0 and plan.main_event is None
    assert plan.set_title("祭り\x00の<script>計画\n") == "表示できない文字や改行を取り除きました。"
    assert plan.title == "祭りの<script>計画"
    assert "80 文字まで" in plan.set_title("あ" * 500) and len(plan.title) == 80
    assert plan.set_title(None) is not None and plan.title == ""


def test_plan_state_round_trip_and_malformed(plan):
    mark(plan, "meeting", 9)
    mark(plan, "event", 10)
    plan.set_main_event(10)
    plan.set_title("交流")
    again = plan_of(spec("case5-ex3"))
    assert again.load_state(plan.to_state()) == 2
    assert again.marks["event"] == {10} and again.main_event == 10 and again.title == "交流"
    assert again.load_state({"marks": {"event": [10, "x", True, 99], "nope": [1]}, "main_event": "10"}) == 1
    assert again.main_event is None
    assert again.load_state([1, 2]) == 0 and again.load_state({"marks": "x"}) == 0


def test_plan_matrix_and_description(plan):
    mark(plan, "event", 10)
    rows, labels, cols, text = plan.matrix()
    assert len(rows) == 5 and len(cols) == 12 and cols[0] == "4月" and cols[6] == "10月★"
    assert text[1][6] == "●" and text[0][0] == ""
    assert "行事 (祭り・見学会): 10月" in plan.describe() and "主な行事の月: 10月" in plan.describe()
    assert "あいさつ・訪問: なし" in plan.describe()


def test_malformed_plans_are_refused():
    kind = ContactKind("a", "A", True, "event", "")
    with pytest.raises(ValueError, match="二種類以上"):
        ContactPlan([kind])
    with pytest.raises(ValueError, match="二種類以上"):
        ContactPlan([kind, kind])
    with pytest.raises(ValueError, match="12月まで"):
        ContactPlan([kind, ContactKind("b", "B", False, "report", "")], months=[4, 5, 6])


# --- the contact plan's params, widget and model answer ----------------------------------------


def test_contact_kinds_are_the_course_reading():
    params = spec("case5-ex3").parsed(ContactPlanParams)
    assert params.interpretation is True
    assert [k.id for k in plan_of(spec("case5-ex3")).kinds] == [k.id for k in params.kinds]
    assert {k.role for k in params.kinds} >= {"meeting", "event", "report", "review"}


def test_broken_contact_params_are_reported():
    entry = spec("case5-ex3")
    kinds = entry.params["kinds"]
    doubled = entry.model_copy(update={"params": {**entry.params, "kinds": [*kinds, kinds[0]]}})
    with pytest.raises(DataError, match=r"case5-ex3.*'meeting'"):
        plan_of(doubled)
    wrong = entry.model_copy(update={"params": {**entry.params, "interpretation": False, "min_gap": 1}})
    with pytest.raises(DataError) as info:
        plan_of(wrong)
    assert "interpretation" in str(info.value) and "min_gap" in str(info.value)


def test_the_design_sheet_plans_with_the_same_kinds():
    from kyodo.design.sheet import new_contact_plan

    assert [k.id for k in new_contact_plan().kinds] == [k.id for k in plan_of(spec("case5-ex3")).kinds]


@pytest.fixture
def plan_widget(store) -> ContactPlanWidget:
    return kyodo.exercise("case5-ex3", store=store)


def test_plan_widget_toggles_save_and_check(plan_widget, private_workspace):
    w = plan_widget
    entry = spec("case5-ex3")
    assert f"{entry.label} {entry.title}" in w.ui.children[0].value
    assert len(w.toggles) == 12 * len(w.task.kinds) and w.toggles[("event", 10)].description == "10月"
    assert w.toggles[("event", 10)].tooltip == "行事 (祭り・見学会): 10月"
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ計画に印がありません" in w.feedback.widget.value
    w.toggles[("event", 10)].value = True
    assert w.toggles[("event", 10)].button_style == "info"
    assert Store.open(private_workspace, "tester").get("case5-ex3")["marks"] == {"event": [10]}
    w.check_button.click()
    assert w.feedback.kind == "warning" and "⚠️" in w.feedback.text and "11 か月続けて" in w.feedback.text
    assert w.figure is not None and w.figure.axes[0].get_title().startswith("一年の接点の計画")
    w.hint_button.click()
    assert "11月から9月まで" in w.feedback.text


def test_the_example_plan_of_the_solution_is_a_good_plan(plan_widget):
    """The plan solution_note describes (ふれあい祭りを10月と仮定) passes every check."""
    w = plan_widget
    example = {"visit": [4], "meeting": [6, 8, 2], "event": [8, 10], "review": [11], "report": [12]}
    for kind, months in example.items():
        for month in months:
            w.toggles[(kind, month)].value = True
    w.main.value = 10
    w.name.value = "ふれあい祭り"
    w.check_button.click()
    assert w.feedback.kind == "success" and "よい計画です" in w.feedback.widget.value
    assert w.alt_text.startswith("「ふれあい祭り」の計画")
    note = spec("case5-ex3").solution_note
    assert "10月: 行事 (ふれあい祭り) ★主な行事" in note and "11月: 振り返りの集まり" in note


def test_plan_widget_cleans_hostile_names(plan_widget):
    w = plan_widget
    w.name.value = "<img src=x onerror=alert(1)>\x07"
    assert w.name.value == "<img src=x onerror=alert(1)>" and w.feedback.kind == "warning"
    w.toggles[("event", 10)].value = True
    w.check_button.click()
    assert "<img" not in w.feedback.widget.value


def test_an_old_plan_save_is_restored_then_reset(private_workspace):
    Store.open(private_workspace, "tester").save("case5/contact_plan",
                                                 {"title": "交流", "marks": {"meeting": [5]}, "main_event": 5})
    again = kyodo.exercise("case5-ex3", store=Store.open(private_workspace, "tester"))
    assert again.toggles[("meeting", 5)].value is True and again.main.value == 5 and again.name.value == "交流"
    assert again.toggles[("meeting", 5)].button_style == "info"
    assert "前回の続きから再開します" in again.feedback.text
    again.reset_button.click()
    assert "3 個をすべて消します" in again.feedback.text
    again.reset_button.click()
    assert again.toggles[("meeting", 5)].value is False and again.main.value is None
    assert again.main.label == "(まだ決めていない)"
    saved = Store.open(private_workspace, "tester")
    assert saved.get("case5/contact_plan") is None and saved.get("case5-ex3") is None


def test_the_contact_plan_has_no_answer_table_only_guidance():
    assert answer_table("case5-ex3") is None
    html = solution_html("case5-ex3")
    assert html.startswith("<details>") and "<table" not in html and "正解は一つではありません" in html


# --- the lesson's figure, the model answers and the facilitator's page --------------------------


def test_network_before_after_still_draws_the_hypothetical_network(monkeypatch):
    from kyodo.lessons import case5
    import kyodo.figures

    shown = []
    monkeypatch.setattr(case5, "display", shown.append)
    monkeypatch.setattr(kyodo.figures, "display", shown.append)
    case5.network_before_after()
    figure, groups = shown
    assert "<img src='data:image/png;base64," in figure.data
    assert "<details>" in figure.data and "【祭りと見学会の前】" in figure.data
    assert "前には 4 個" in groups.data and "あとでは 1 個" in groups.data and "架空の例" in groups.data


def test_answer_page_has_the_hand_written_material():
    page = answer_key_markdown(LESSON)
    for heading in ("答え合わせの仕組み", "よくある誤り", "話し合いの問い"):
        assert page.count(heading) == 3
    assert "この読み方もできます" in page


def test_facade_shows_broken_params_as_a_message(monkeypatch):
    from kyodo import cells
    from kyodo.registry import Registry

    registry = load_registry()
    entry = registry.get("case5-ex2")
    params = copy.deepcopy(entry.params)
    params["people"][0]["type"] = "mayor"
    broken = entry.model_copy(update={"params": params})
    shown = []
    monkeypatch.setattr(cells, "load_registry", lambda: Registry({**registry.exercises, entry.id: broken},
                                                                  registry.files))
    monkeypatch.setattr(cells, "display", shown.append)
    assert kyodo.exercise("case5-ex2") is None
    [html] = shown
    assert "data/exercises/case5.yml" in html.data and "params.people.type" in html.data
    assert "&#x27;mayor&#x27; はありません" in html.data and "Traceback" not in html.data
