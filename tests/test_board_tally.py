"""The room board's talliers: every kind of exercise, on the real registry and states saved as the widgets save them.

Each tallier is built from its registry entry the way the board builds it
(:func:`kyodo.board.tally.tallier`) and fed states made with the exercise's
own API (``task.to_state()`` after answering; the donation calculator's own
``state()``). The tests check the exact rows (item, answer, label, mark,
verdict), ``answered``, ``finished`` and ``expected``; that damaged and
hostile states give a tally without raising; that every mark has a label;
and that a room of 300 learners is tallied quickly.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from kyodo.board.aggregate import Counting, count_exercise
from kyodo.board.collect import LearnerWork
from kyodo.board.tally import EMPTY, TALLIERS, TEXT_CHARS, Given, Tally, short_text, tallier, text_key
from kyodo.data import Course
from kyodo.exercises import contact_plan, donation, first_questions, flowmap, gap_finder, logic_model, network
from kyodo.exercises.choice import LIST_SEP, ChoiceTask, Item, Mark
from kyodo.exercises.flowmap import Arrow, Verdict
from kyodo.registry import BuiltSpec, ChoiceSpec, Registry, choice_task, load_registry
from kyodo.text import msg

MARKS_OF_KIND: dict[str, tuple[str, ...]] = {
    "choice": tuple(m.value for m in Mark),
    "flow_map": flowmap.BOARD_MARKS,
    "network": network.BOARD_MARKS,
    "logic_model": logic_model.BOARD_MARKS,
    "gap_finder": gap_finder.BOARD_MARKS,
    "first_questions": first_questions.BOARD_MARKS,
    "contact_plan": contact_plan.BOARD_MARKS,
    "donation": donation.BOARD_MARKS,
}
"""Every mark each kind's tallier can give (a kind's own list, or the choice task's marks)."""


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def built(registry: Registry, kind: str) -> BuiltSpec:
    spec = next(s for s in registry.exercises.values() if s.kind == kind)
    assert isinstance(spec, BuiltSpec)
    return spec


def choice(registry: Registry, wanted: Callable[[ChoiceSpec], bool]) -> ChoiceSpec:
    return next(s for s in registry.exercises.values() if isinstance(s, ChoiceSpec) and wanted(s))


def rows(tally: Tally, item: str | None = None) -> set[Given]:
    return {g for g in tally.given if item is None or g.item == item}


def code_row(item: str, item_label: str, code: str, verdict: str) -> Given:
    """A finding of a check, as the talliers show it: its code is the answer and the mark."""
    return Given(item, item_label, code, msg(f"board_mark.{code}"), code, verdict)  # type: ignore[arg-type]


# --- every entry of the registry --------------------------------------------------------------


def test_every_registry_entry_gets_a_tallier_and_a_new_entry_needs_no_board_code(registry, course):
    kinds = set()
    for spec in registry.exercises.values():
        t = tallier(spec, course)
        kinds.add(spec.kind)
        assert t.items and all(item and label for item, label in t.items), spec.id
        assert len({item for item, _ in t.items}) == len(t.items), spec.id
        assert t(None) == EMPTY and t({}) == EMPTY, spec.id
        assert all(g.verdict == "accepted" for g in t.expected), spec.id
    assert kinds - {"choice"} == set(TALLIERS)  # every kind with logic of its own is in the registry
    # a new entry of a known kind is tallied with no board code: here, copies under new ids
    flow = built(registry, "flow_map").model_copy(update={"id": "case3-ex9"})
    state = flowmap.task_of(flow, course)
    source, target = state.actors[0][1], state.actors[1][1]
    assert state.add(source, target, state.items[0]).ok
    assert tallier(flow, course)(state.to_state()).answered
    one = choice(registry, lambda s: s.mode == "one").model_copy(update={"id": "intro-ex9"})
    task = choice_task(one, course)
    assert task.choose(task.items[0].id, task.options[0].id)
    assert tallier(one, course)(task.to_state()).given[0].item == task.items[0].id


# --- kind: choice ----------------------------------------------------------------------------


def _label(item: Item) -> str:
    return item.short or item.text


def _shown(task: ChoiceTask, value: str | frozenset[str]) -> str:
    if isinstance(value, str):
        return task.label(value)
    return LIST_SEP.join(o.label for o in task.options if o.id in value)


def test_choice_one_with_an_item_that_accepts_another_answer(registry, course):
    spec = choice(registry, lambda s: s.mode == "one" and any(i.also for i in s.items))
    task = choice_task(spec, course)
    also_item = next(i for i in task.items if any(a.grade == "also" for a in i.accepted))
    right = next(a.value for a in also_item.accepted if a.grade == "right")
    also = next(a.value for a in also_item.accepted if a.grade == "also")
    other = next(i for i in task.items if i.scored and i is not also_item)
    wrong = next(o.id for o in task.options if o.id not in {a.value for a in other.accepted})
    assert task.choose(also_item.id, also) and task.choose(other.id, wrong)
    t = tallier(spec, course)

    tally = t(task.to_state())

    assert rows(tally) == {
        Given(also_item.id, _label(also_item), also, task.label(also), "also", "accepted"),
        Given(other.id, _label(other), wrong, task.label(wrong), "wrong", "wrong"),
    }
    assert tally.answered and not tally.finished
    assert Given(also_item.id, _label(also_item), right, task.label(right), "right", "accepted") in t.expected
    assert Given(also_item.id, _label(also_item), also, task.label(also), "also", "accepted") in t.expected
    assert [i for i, _ in t.items] == [i.id for i in spec.items]  # the registry's order, not the shuffle

    for item in task.items:
        assert task.choose(item.id, next(a.value for a in item.accepted if a.grade == "right"))
    tally = t(task.to_state())
    assert tally.finished and {g.mark for g in tally.given} == {"right"} and set(tally.given) <= set(t.expected)


def test_choice_many_counts_the_set_ticked_as_one_answer(registry, course):
    spec = choice(registry, lambda s: s.mode == "many" and bool(s.exclusive))
    task = choice_task(spec, course)
    item = next(i for i in task.items if i.scored)
    right = next(a.value for a in item.accepted if a.grade == "right")
    assert isinstance(right, frozenset)
    for option in right:
        assert task.tick(item.id, option, True)
    t = tallier(spec, course)
    key = "+".join(sorted(right))
    assert rows(t(task.to_state())) == {Given(item.id, _label(item), key, _shown(task, right), "right", "accepted")}

    exclusive = spec.exclusive[0]
    other = next(o.id for o in task.options if o.id != exclusive)
    task.reset()
    assert task.tick(item.id, exclusive, True) and task.tick(item.id, other, True)
    both = frozenset({exclusive, other})
    assert rows(t(task.to_state())) == {
        Given(item.id, _label(item), "+".join(sorted(both)), _shown(task, both), "invalid", "wrong")}


def test_choice_exactly_and_order(registry, course):
    spec = choice(registry, lambda s: s.mode == "exactly")
    task = choice_task(spec, course)
    item = task.items[0]
    right = sorted(next(a.value for a in item.accepted if a.grade == "right"))
    for slot, option in enumerate(right):
        assert task.choose_slot(item.id, slot, option)
    t = tallier(spec, course)
    assert rows(t(task.to_state())) == {
        Given(item.id, _label(item), "+".join(right), _shown(task, frozenset(right)), "right", "accepted")}
    for slot in range(spec.pick):
        assert task.choose_slot(item.id, slot, right[0])  # the same option in every dropdown
    assert rows(t(task.to_state())) == {
        Given(item.id, _label(item), right[0], task.label(right[0]), "invalid", "wrong")}

    spec = choice(registry, lambda s: s.mode == "order")
    task = choice_task(spec, course)
    for item in task.items:
        assert task.choose(item.id, next(a.value for a in item.accepted if a.grade == "right"))
    tally = tallier(spec, course)(task.to_state())
    assert tally.finished and len(tally.given) == len(spec.items)
    assert {(g.item, g.answer) for g in tally.given} == {(i.id, str(i.answer)) for i in spec.items}


def test_choice_discussion_item_is_open_and_never_expected(registry, course):
    spec = choice(registry, lambda s: any(i.readings for i in s.items))
    task = choice_task(spec, course)
    item = next(i for i in task.items if not i.scored)
    option = task.options[0].id
    if spec.mode == "many":
        assert task.tick(item.id, option, True)
    else:
        assert task.choose(item.id, option)
    t = tallier(spec, course)
    [given] = t(task.to_state()).given
    assert (given.item, given.answer, given.mark, given.verdict) == (item.id, option, "discussion", "open")
    assert not [g for g in t.expected if g.item == item.id]


# --- kind: flow_map --------------------------------------------------------------------------


def _arrow_row(course: Course, source: str, target: str, thing: str, mark: str, verdict: str) -> Given:
    label = msg("flow.arrow", source=course.org_short(source), target=course.org_short(target), item=thing)
    return Given("arrows", msg("board_mark.item_arrows"), f"{source}>{target}:{thing}", label, mark,
                 verdict)  # type: ignore[arg-type]


def _find_arrow(fm: flowmap.FlowMap, verdict: Verdict) -> Arrow:
    """An arrow between the case's participants that the map judges ``verdict``."""
    actors = [a for _, a in fm.actors]
    for thing in fm.items:
        for source in actors:
            for target in actors:
                arrow = Arrow(source, target, thing)
                if source != target and fm.judge(arrow).verdict is verdict:
                    return arrow
    raise AssertionError(f"no arrow is {verdict}")


def test_flow_map_every_arrow_is_an_answer_with_its_verdict(registry, course):
    spec = built(registry, "flow_map")
    fm = flowmap.task_of(spec, course)
    t = tallier(spec, course)
    first = fm.scored_flows[0]
    drawn = {
        Verdict.CORRECT: Arrow(first.source, first.target, first.item),
        Verdict.REVERSED: _find_arrow(fm, Verdict.REVERSED),
        Verdict.WRONG_PAIR: _find_arrow(fm, Verdict.WRONG_PAIR),
        Verdict.NOT_IN_CASE: _find_arrow(fm, Verdict.NOT_IN_CASE),
        Verdict.DISCUSSION: _find_arrow(fm, Verdict.DISCUSSION),
    }
    for arrow in drawn.values():
        assert fm.add(arrow.source, arrow.target, arrow.item).ok

    tally = t(fm.to_state())

    verdicts = {Verdict.CORRECT: "accepted", Verdict.REVERSED: "wrong", Verdict.WRONG_PAIR: "wrong",
                Verdict.NOT_IN_CASE: "wrong", Verdict.DISCUSSION: "open"}
    assert rows(tally) == {_arrow_row(course, a.source, a.target, a.item, v.value, verdicts[v])
                           for v, a in drawn.items()}
    assert tally.answered and not tally.finished
    assert t.items == (("arrows", "描いた矢印"),)


def test_flow_map_expected_holds_every_accepted_reading_and_a_full_map_finishes(registry, course):
    spec = built(registry, "flow_map")
    fm = flowmap.task_of(spec, course)
    t = tallier(spec, course)
    for flow in fm.scored_flows:
        for r in flowmap.readings(flow):
            mark = "also" if r.kind == "also" else "correct"
            assert _arrow_row(course, r.source, r.target, flow.item, mark, "accepted") in t.expected
    assert len(t.expected) == sum(len(flowmap.readings(f)) for f in fm.scored_flows)
    either = [f for f in fm.scored_flows if f.either_direction]
    for flow in either:  # drawn the other way round: right, and listed as such
        assert _arrow_row(course, flow.target, flow.source, flow.item, "correct", "accepted") in t.expected

    for flow in fm.scored_flows:
        assert fm.add(flow.source, flow.target, flow.item).ok
    tally = t(fm.to_state())
    assert tally.finished and {g.verdict for g in tally.given} == {"accepted"}


def test_the_board_reads_the_debrief_question_straight_off(registry, course):
    """「12人が市民モニターから農場へ直接の矢印を描きました。なぜでしょう」: the wrong arrow heads the list."""
    spec = built(registry, "flow_map")
    fm = flowmap.task_of(spec, course)
    wrong = _find_arrow(fm, Verdict.WRONG_PAIR)
    monitors, farm = "citizen_monitors", "meiji_kurokawa"
    if fm.judge(Arrow(monitors, farm, wrong.item)).verdict is Verdict.WRONG_PAIR:
        wrong = Arrow(monitors, farm, wrong.item)
    right = fm.scored_flows[0]
    works = []
    for n in range(15):
        fm.reset()
        if n < 12:
            assert fm.add(wrong.source, wrong.target, wrong.item).ok
        assert fm.add(right.source, right.target, right.item).ok
        works.append(LearnerWork(f"learner{n}.json", f"learner{n}", {spec.id: fm.to_state()}))

    counted = count_exercise(Counting(registry, course), spec.id, works)

    assert counted is not None and counted.answered == 15 and counted.finished == 0
    [arrows] = counted.items
    top = arrows.answers[0]
    assert (top.count, top.mark, top.verdict) == (12, "wrong_pair", "wrong")
    assert top.label == msg("flow.arrow", source=course.org_short(wrong.source), target=course.org_short(wrong.target),
                            item=wrong.item)
    found = {a.answer: a.count for a in arrows.answers}
    drawn = f"{right.source}>{right.target}:{right.item}"
    assert found[drawn] == 15
    assert all(found[g.answer] == 0 for g in tallier(spec, course).expected if g.answer != drawn)  # listed, with 0


# --- kind: network ---------------------------------------------------------------------------


def _weak_rows(ex: network.NetworkExercise) -> set[Given]:
    state = ex.current().robustness()
    item, label = "weak_spots", msg("board_mark.item_weak_spots")

    def person(mark: str, who: str) -> Given:
        return Given(item, label, f"{mark}:{who}",
                     msg("board_mark.weak_spot", name=ex.name(who), what=msg(f"board_mark.{mark}")), mark, "wrong")

    found = {person("isolated", p) for p in state.isolated} | {person("single_link", p) for p, _ in state.single_link}
    found |= {person("key_person", p) for p in state.key_people}
    if len(state.groups) > 1:
        found.add(code_row(item, label, "groups", "wrong"))
    return found


def test_network_ties_are_counted_whichever_way_round_with_their_judgement(registry, course):
    spec = built(registry, "network")
    ex = network.exercise_of(spec, course)
    model = spec.parsed(network.NetworkParams).model_answer
    order = [p.id for p in ex.people]
    t = tallier(spec, course)
    ties_label = msg("board_mark.item_ties")

    def tie_row(a: str, b: str, occasion: str, useful: bool = True) -> Given:
        a, b = sorted((a, b), key=order.index)
        label = msg("network.tie", a=ex.name(a), b=ex.name(b), occasion=ex.occasion_name(occasion))
        if useful:
            return Given("ties", ties_label, f"{a}+{b}@{occasion}", label, "useful", "accepted")
        return Given("ties", ties_label, f"{a}+{b}@{occasion}/overlap", label, "overlap", "open")

    first = model[0]
    assert ex.add(first.b, first.a, first.occasion).ok  # drawn the other way round
    tally = t(ex.to_state())
    assert rows(tally, "ties") == {tie_row(first.a, first.b, str(first.occasion))}
    assert rows(tally, "weak_spots") == _weak_rows(ex) != set()
    assert tally.answered and not tally.finished

    for tie in model[1:]:
        assert ex.add(tie.a, tie.b, tie.occasion).ok
    tally = t(ex.to_state())
    assert tally.finished and rows(tally, "weak_spots") == set()
    assert rows(tally) == {tie_row(m.a, m.b, str(m.occasion)) for m in model} == set(t.expected)

    # one more tie in a network that already holds together adds nothing: counted apart, open
    extra = next((a.id, b.id, o.id) for o in ex.occasions for a in ex.people for b in ex.people
                 if a.id in o.attendees and b.id in o.attendees and a.id != b.id and ex.known_tie(a.id, b.id) is None)
    assert ex.add(*extra).ok
    tally = t(ex.to_state())
    assert tie_row(*extra, useful=False) in tally.given and tally.finished


# --- kind: logic_model -----------------------------------------------------------------------


def _candidate(model: logic_model.LogicModel, fits: str, for_purpose: bool = False) -> logic_model.Candidate:
    return next(c for c in model.candidates.values() if c.fits == fits and c.for_purpose == for_purpose)


def test_logic_model_columns_hold_suggestions_free_text_and_the_check(registry, course):
    spec = built(registry, "logic_model")
    model = logic_model.task_of(spec, course)
    t = tallier(spec, course)
    label = {c: msg(f"logic_model.kind_{c}") for c in ("purpose", *model.kinds)}
    means = _candidate(model, "none", for_purpose=True)
    output = _candidate(model, "output")
    own = "地域のボランティア　のみなさん"
    model.set_purpose(means.text, means.id)
    assert model.add("outcome", output.text, None, output.id).ok  # a count written as a change
    assert model.add("resource", own).ok

    tally = t(model.to_state())

    assert rows(tally) == {
        Given("purpose", label["purpose"], means.id, short_text(means.text), "misplaced", "wrong"),
        Given("outcome", label["outcome"], output.id, short_text(output.text), "misplaced", "wrong"),
        Given("resource", label["resource"], text_key(own), short_text(own), "free_text", "open"),
        code_row("activity", label["activity"], "no_activity", "wrong"),
        code_row("output", label["output"], "no_output", "open"),
        code_row("outcome", label["outcome"], "no_outcome", "wrong"),
        code_row("resource", label["resource"], "resource_unused", "open"),
    }
    assert tally.answered and not tally.finished
    assert text_key("地域のボランティア のみなさん") == text_key(own)  # widths and spaces fold into one answer
    assert t.items == tuple(label.items())


def test_logic_model_a_working_model_finishes_and_expected_holds_every_fitting_suggestion(registry, course):
    spec = built(registry, "logic_model")
    model = logic_model.task_of(spec, course)
    t = tallier(spec, course)
    purpose = _candidate(model, "purpose", for_purpose=True)
    model.set_purpose(purpose.text, purpose.id)
    chosen = {kind: _candidate(model, kind) for kind in model.kinds}
    ids = {}
    for kind, cand in chosen.items():
        target = logic_model.Target("将来を考え始めた子どもの割合", "8割", "2年後") if kind == "outcome" else None
        ids[kind] = model.add(kind, cand.text, target, cand.id).entry_id
    for a, b in (("resource", "activity"), ("activity", "output"), ("output", "outcome")):
        assert model.link(ids[a], ids[b]).ok

    tally = t(model.to_state())

    assert tally.finished and model.check().complete
    assert rows(tally) == {Given(kind, msg(f"logic_model.kind_{kind}"), c.id, short_text(c.text), "fits", "accepted")
                           for kind, c in [("purpose", purpose), *chosen.items()]}
    assert rows(tally) <= set(t.expected)
    fitting = {c.id for c in model.candidates.values() if c.fits in ("purpose", *model.kinds)}
    assert {g.answer for g in t.expected} == fitting
    assert _candidate(model, "none", for_purpose=True).id not in fitting


# --- kind: gap_finder ------------------------------------------------------------------------


def test_gap_finder_counts_needs_kinds_and_the_partners_suggested(registry, course):
    spec = built(registry, "gap_finder")
    finder = gap_finder.task_of(spec, course)
    t = tallier(spec, course)
    label = dict(t.items)
    purpose = "家庭の生ごみのリサイクルを連携で広げる"
    finder.set_purpose(purpose)
    assert finder.set_own_type("government")
    needs = [("市民モニターを募るつながり", "have", "human_network"), ("堆肥の成分を分析する知識", "missing", "knowledge_skills"),
             ("展示栽培の畑", "missing", None), ("市民モニターを募るつながり", "have", None), ("", "have", None)]
    for n, (text, status, kind) in enumerate(needs):
        finder.set_text(n, text)
        finder.set_status(n, status)
        finder.set_kind(n, kind)

    tally = t(finder.to_state())

    def own(item: str, text: str) -> Given:
        return Given(item, label[item], text_key(text), short_text(text), "free_text", "open")

    partners = {Given("partner_type", label["partner_type"], s.type_id, s.type_name, "suggested", "open")
                for s in gap_finder.suggest(course, "knowledge_skills", "government")}
    assert partners
    assert rows(tally) == {
        own("purpose", purpose), code_row("purpose", label["purpose"], "purpose_means", "open"),
        Given("own_type", label["own_type"], "government", course.actor_type("government").name, "chosen", "open"),
        own("need", needs[0][0]), own("need", needs[1][0]), own("need", needs[2][0]),
        code_row("need", label["need"], "need_duplicate", "wrong"),
        code_row("need", label["need"], "row_no_text", "wrong"),
        Given("have_kind", label["have_kind"], "human_network", course.resource_kind_name("human_network"), "chosen",
              "open"),
        Given("missing_kind", label["missing_kind"], "knowledge_skills", course.resource_kind_name("knowledge_skills"),
              "chosen", "open"),
        code_row("missing_kind", label["missing_kind"], "row_no_kind", "wrong"),
        *partners,
    }
    assert tally.answered and not tally.finished and t.expected == ()

    finder.reset()
    finder.set_purpose("家庭の生ごみのリサイクルを広げる")
    finder.set_text(0, "堆肥の成分を分析する知識")
    finder.set_status(0, "missing")
    finder.set_kind(0, "knowledge_skills")
    tally = t(finder.to_state())
    assert tally.finished
    assert code_row("need", label["need"], "nothing_had", "open") in tally.given  # a note: it does not stop finishing


# --- kind: first_questions -------------------------------------------------------------------


def test_first_questions_fields_are_free_text_and_the_advice_is_marked_where_it_belongs(registry, course):
    spec = built(registry, "first_questions")
    form = first_questions.task_of(spec, course)
    t = tallier(spec, course)
    label = dict(t.items)
    form.fill({"what": "協働したい", "for_whom": "みんな", "have": "", "lack": "活動の場所", "lack_kinds": [],
               "partner": None})

    tally = t(form.to_state())

    def own(item: str, text: str) -> Given:
        return Given(item, label[item], text_key(text), short_text(text), "free_text", "open")

    assert rows(tally) == {
        own("what", "協働したい"), own("for_whom", "みんな"), own("lack", "活動の場所"),
        code_row("what", label["what"], "means_only", "wrong"),
        code_row("for_whom", label["for_whom"], "for_whom_broad", "wrong"),
        code_row("have", label["have"], "have_empty", "wrong"),
        code_row("lack_kinds", label["lack_kinds"], "lack_no_kind", "wrong"),
        code_row("partner", label["partner"], "partner_none", "wrong"),
    }
    assert tally.answered and not tally.finished and t.expected == ()

    ready = {"what": "駅前の清掃活動に若い人が参加し続けるようにしたい", "for_whom": "駅前に通う高校生や大学生",
             "have": "毎月の清掃の仲間と道具", "lack": "若い人に届く発信の方法", "lack_kinds": ["human_network"],
             "partner": "citizen_group"}
    form.fill(ready)
    tally = t(form.to_state())
    assert tally.finished
    guide = form.guide
    assert rows(tally) == {*(own(f, ready[f]) for f in first_questions.FIELDS),
                           Given("lack_kinds", label["lack_kinds"], "human_network", guide.kinds["human_network"],
                                 "chosen", "open"),
                           Given("partner", label["partner"], "citizen_group", guide.partners["citizen_group"],
                                 "chosen", "open")}


# --- kind: contact_plan ----------------------------------------------------------------------


def test_contact_plan_months_by_kind_and_the_findings_of_the_check(registry, course):
    spec = built(registry, "contact_plan")
    plan = contact_plan.plan_of(spec)
    t = tallier(spec, course)
    label = dict(t.items)
    plan.set_title("ふれあい祭りを軸にした交流")
    for kind, month in (("meeting", 5), ("meeting", 6), ("event", 7)):
        assert plan.set_mark(kind, month, True)
    assert plan.set_main_event(7)

    tally = t(plan.to_state())

    def month(item: str, m: int) -> Given:
        return Given(item, label[item], str(m), contact_plan.month_label(m), "chosen", "open")

    findings = label["findings"]
    assert rows(tally) == {
        Given("title", label["title"], text_key("ふれあい祭りを軸にした交流"), "ふれあい祭りを軸にした交流", "free_text", "open"),
        month("kind:meeting", 5), month("kind:meeting", 6), month("kind:event", 7), month("main_event", 7),
        code_row("findings", findings, "gap", "wrong"), code_row("findings", findings, "face_to_face", "accepted"),
        code_row("findings", findings, "prep", "accepted"), code_row("findings", findings, "no_follow", "wrong"),
    }
    assert tally.answered and not tally.finished
    assert label["kind:meeting"] == plan.kind("meeting").name

    plan.reset()
    for m in plan.months:
        plan.set_mark("visit", m, True)
    for kind, m in (("meeting", 6), ("event", 7), ("report", 8)):
        plan.set_mark(kind, m, True)
    plan.set_main_event(7)
    tally = t(plan.to_state())
    assert tally.finished
    assert rows(tally, "findings") == set(t.expected) | {code_row("findings", findings, "no_title", "open")}
    assert {g.answer for g in t.expected} == set(contact_plan.GOOD_FINDINGS)


# --- kind: donation --------------------------------------------------------------------------


def test_donation_guess_judged_and_numbers_bucketed(registry, course, store):
    from kyodo.widgets.donation import build

    spec = built(registry, "donation")
    rate, params = donation.settings_of(spec, course)
    t = tallier(spec, course)
    label = dict(t.items)
    widget = build(spec, store)

    def saved(spending: str, users: str, guess: str) -> Any:
        widget.spending.value, widget.users.value, widget.guess.value = spending, users, guess
        return widget.state()

    start = donation.estimate(params.default_spending, params.default_users, rate)
    tally = t(saved(str(params.default_spending), str(params.default_users), f"{start.all_month:,}"))
    assert rows(tally) == {
        Given("guess", label["guess"], "right", "正解", "right", "accepted"),
        Given("spending", label["spending"], "default",
              msg("board_mark.default_spending", value=f"{params.default_spending:,}"), "default", "open"),
        Given("users", label["users"], "default", msg("board_mark.default_users", value=f"{params.default_users:,}"),
              "default", "open"),
    }
    assert tally.answered and tally.finished and set(t.expected) == {rows(tally, "guess").pop()}

    tried = donation.estimate(30_000, 500, rate)
    tally = t(saved("3万", "500人", str(tried.all_month * 10)))  # 0.1% taken for 1%
    assert rows(tally) == {
        code_row("guess", label["guess"], "rate_1_percent", "wrong"),
        Given("spending", label["spending"], "10000", "10,000 円から 100,000 円未満", "tried", "open"),
        Given("users", label["users"], "100", "100 人から 1,000 人未満", "tried", "open"),
    }
    assert not tally.finished

    tally = t(saved("0", "1", ""))
    assert rows(tally) == {code_row("guess", label["guess"], "no_guess", "open"),
                           Given("spending", label["spending"], "0", "0 円", "tried", "open"),
                           Given("users", label["users"], "1", "1 人から 10 人未満", "tried", "open")}
    assert tally.answered and not tally.finished


# --- damaged and hostile states ----------------------------------------------------------------


def _deep(depth: int) -> Any:
    value: Any = "x"
    for n in range(depth):
        value = [value] if n % 2 else {"k": value}
    return value


HOSTILE: list[Any] = [
    None, [], [1, 2], "x" * 1_000_000, 0, -1, 10**100, 1.5, float("nan"), True, b"bytes", {"a", "b"},
    {}, {"arrows": None}, {"arrows": "junk"}, {"arrows": [["<b>a</b>", "b", "c"]] * 10_000},
    {"arrows": [[1, 2, 3], [None], [["x"]], {"a": 1}]}, {"ties": [[[[]]]] * 1000}, {"ties": {"a": "b"}},
    {"entries": "junk", "links": 5, "purpose": ["list"]}, {"entries": [{"kind": [], "id": {}}, {"id": "r1" * 1000}]},
    {"purpose": "<script>alert(1)</script>" * 10_000, "rows": [{"text": None, "status": [], "kind": {}}] * 100},
    {"rows": "x", "own_type": ["government"]}, {"marks": {"meeting": ["4", None, 4.0, True, 13, -1] * 1000}},
    {"marks": [["meeting", 4]], "main_event": "7", "title": 7}, {"what": 5, "lack_kinds": "facilities", "partner": []},
    {"what": "<img src=x onerror=alert(1)>", "lack_kinds": [None, ["x"], "facilities"] * 1000, "partner": "x" * 10**5},
    {"spending": 20000, "users": None, "guess": ["1"]}, {"spending": "1e999", "users": "-5", "guess": "９" * 10**6},
    {"answers": {"x": {"y": []}, "z": None}}, {"answers": [["a", "b"]]}, {"positions": "?", "ticks": 1},
    {"arrows": _deep(200), "ties": _deep(200), "entries": _deep(200), "rows": _deep(200), "answers": _deep(200)},
]


@pytest.mark.parametrize("n", range(len(HOSTILE)))
def test_hostile_states_give_a_tally_never_an_error(registry, course, n):
    for spec in registry.exercises.values():
        tally = tallier(spec, course)(HOSTILE[n])
        assert isinstance(tally, Tally), spec.id
        assert all(isinstance(g, Given) and len(g.answer_label) <= max(TEXT_CHARS, 200) for g in tally.given), spec.id


def test_what_can_be_read_is_kept_among_junk(registry, course):
    spec = built(registry, "flow_map")
    fm = flowmap.task_of(spec, course)
    flow = fm.scored_flows[0]
    junk: list[Any] = [["<b>", "x", "y"], None, 5, {"a": 1}, ["a", "b"], [1, 2, 3]]
    state = {"arrows": [[flow.source, flow.target, flow.item], *junk * 2000]}
    tally = tallier(spec, course)(state)
    assert rows(tally) == {_arrow_row(course, flow.source, flow.target, flow.item, "correct", "accepted")}

    spec = built(registry, "first_questions")
    text = "<script>alert('x')</script> " + "あ" * 500
    tally = tallier(spec, course)({"what": text, "lack_kinds": ["facilities", "nonsense", 5]})
    [what] = [g for g in tally.given if g.item == "what" and g.mark == "free_text"]
    assert what.answer_label == short_text(text) and what.answer_label.startswith("<script>")  # views escape it
    assert len(what.answer_label) == TEXT_CHARS and what.answer_label.endswith("…")
    assert [g.answer for g in tally.given if g.item == "lack_kinds"] == ["facilities"]


# --- labels ------------------------------------------------------------------------------------


def test_every_mark_a_tallier_can_give_has_a_label():
    marks = {m for kind in MARKS_OF_KIND.values() for m in kind} - {Mark.UNANSWERED.value}
    for mark in sorted(marks):
        assert msg(f"board_mark.{mark}").strip(), mark
    for key in ("arrows", "ties", "weak_spots", "need", "have_kind", "missing_kind", "partner_type", "findings"):
        assert msg(f"board_mark.item_{key}").strip()
    # every code of the checks is a mark (a suggestion put in the wrong place is marked on the suggestion)
    assert set(logic_model.ISSUE_CODES) - {"misplaced_purpose"} <= set(logic_model.BOARD_MARKS)
    assert set(first_questions.ADVICE_CODES) <= set(first_questions.BOARD_MARKS)
    assert set(contact_plan.FINDING_CODES) <= set(contact_plan.BOARD_MARKS)


def _random_states(spec: ChoiceSpec | BuiltSpec, course: Course, rng: random.Random, n: int) -> list[Any]:
    """``n`` saved states of one exercise, made with its own API, answered at random (as a room would)."""
    states = []
    for i in range(n):
        if isinstance(spec, ChoiceSpec):
            task = choice_task(spec, course)
            options = [o.id for o in task.options]
            for item in task.items:
                if task.mode == "many":
                    for option in rng.sample(options, rng.randint(1, len(options))):
                        task.tick(item.id, option, True)
                elif task.mode == "exactly":
                    for slot in range(task.pick):
                        task.choose_slot(item.id, slot, rng.choice(options))
                elif rng.random() < 0.9:
                    task.choose(item.id, rng.choice(options))
            states.append(task.to_state())
        elif spec.kind == "flow_map":
            fm = flowmap.task_of(spec, course)
            actors = [a for _, a in fm.actors]
            for _ in range(rng.randint(1, 12)):
                fm.add(rng.choice(actors), rng.choice(actors), rng.choice(fm.items))
            states.append(fm.to_state())
        elif spec.kind == "network":
            ex = network.exercise_of(spec, course)
            people, places = [p.id for p in ex.people], [o.id for o in ex.occasions]
            for _ in range(30):
                ex.add(rng.choice(people), rng.choice(people), rng.choice(places))
            states.append(ex.to_state())
        elif spec.kind == "logic_model":
            model = logic_model.task_of(spec, course)
            cands = list(model.candidates.values())
            purpose = rng.choice(cands)
            model.set_purpose(purpose.text if rng.random() < 0.7 else f"目的 {i}", purpose.id)
            for cand in rng.sample(cands, 6):
                model.add(rng.choice(model.kinds), cand.text, logic_model.Target("何か", rng.choice(["", "3割", "多く"]),
                                                                                 "来年"), cand.id)
            model.add("activity", f"自分で考えた活動 {i % 7}")
            ids = [e.id for e in model.entries]
            for _ in range(8):
                model.link(rng.choice(ids), rng.choice(ids))
            states.append(model.to_state())
        elif spec.kind == "gap_finder":
            finder = gap_finder.task_of(spec, course)
            finder.set_purpose(rng.choice(["", "連携を広げる", f"目的 {i % 5}"]))
            finder.set_own_type(rng.choice([None, *finder.type_ids]))
            for row in range(finder.n_rows):
                finder.set_text(row, rng.choice(["", "場所", "知識", f"必要 {i % 9}"]))
                finder.set_status(row, rng.choice([None, "have", "missing"]))
                finder.set_kind(row, rng.choice([None, *finder.kind_ids]))
            states.append(finder.to_state())
        elif spec.kind == "first_questions":
            form = first_questions.task_of(spec, course)
            form.fill({"what": rng.choice(["", "協働したい", "!!!", f"地域の子どもの居場所を増やしたい {i % 4}"]),
                       "for_whom": rng.choice(["", "みんな", "近所の小学生"]), "have": rng.choice(["", "なし", "仲間"]),
                       "lack": rng.choice(["", "場所", "仲間"]),
                       "lack_kinds": rng.sample(list(form.guide.kinds), rng.randint(0, 2)),
                       "partner": rng.choice([None, *form.guide.partners])})
            states.append(form.to_state())
        elif spec.kind == "contact_plan":
            plan = contact_plan.plan_of(spec)
            for kind in plan.kinds:
                for month in rng.sample(plan.months, rng.randint(0, 5)):
                    plan.set_mark(kind.id, month, True)
            plan.set_main_event(rng.choice([None, *plan.months]))
            plan.set_title(rng.choice(["", "祭り"]))
            states.append(plan.to_state())
        else:
            states.append({"spending": str(rng.randint(0, 99_999)), "users": rng.choice(["10000", "2万", "3"]),
                           "guess": rng.choice(["", str(rng.randint(0, 10**7)), "20万"])})
    return states


def test_the_marks_given_in_a_room_are_the_declared_ones_and_all_have_labels(registry, course):
    rng = random.Random(7)
    seen: Counter[str] = Counter()
    for spec in registry.exercises.values():
        t = tallier(spec, course)
        items = dict(t.items)
        for state in _random_states(spec, course, rng, 40):
            tally = t(state)
            for g in tally.given:
                assert g.mark in MARKS_OF_KIND[spec.kind], (spec.id, g)
                assert g.item in items and g.item_label == items[g.item], (spec.id, g)
                assert g.answer and g.answer_label and g.verdict in ("accepted", "wrong", "open"), (spec.id, g)
                seen[g.mark] += 1
    for mark in seen:
        assert msg(f"board_mark.{mark}")
    assert {"wrong_pair", "useful", "misplaced", "free_text", "suggested", "means_only", "gap", "tried"} <= set(seen)


# --- one task for the widget and the board, and speed --------------------------------------------


def test_the_widgets_run_the_task_the_board_tallies(registry, course, store):
    from kyodo.widgets import first_questions as fq_widget
    from kyodo.widgets import flowmap as flow_widget
    from kyodo.widgets import gap_finder as gap_widget
    from kyodo.widgets import logic_model as lm_widget

    spec = built(registry, "flow_map")
    assert flow_widget.build(spec, store).task.case.id == flowmap.task_of(spec, course).case.id
    spec = built(registry, "logic_model")
    widget = lm_widget.build(spec, store)
    board = logic_model.task_of(spec, course)
    assert (widget.task.kinds, widget.task.candidates) == (board.kinds, board.candidates)
    spec = built(registry, "gap_finder")
    finder, board_finder = gap_widget.build(spec, store).task, gap_finder.task_of(spec, course)
    assert (finder.n_rows, finder.kind_ids, finder.type_ids) == (board_finder.n_rows, board_finder.kind_ids,
                                                                 board_finder.type_ids)
    spec = built(registry, "first_questions")
    assert fq_widget.build(spec, store).task.guide == first_questions.task_of(spec, course).guide


def test_a_room_of_300_learners_is_tallied_quickly(registry, course):
    rng = random.Random(300)
    talliers = {spec.id: tallier(spec, course) for spec in registry.exercises.values()}
    states = {spec.id: _random_states(spec, course, rng, 300) for spec in registry.exercises.values()}
    start = time.process_time()
    for exercise_id, room in states.items():
        for state in room:  # every state different from the others: no learner's tally is reused
            talliers[exercise_id](state)
    assert time.process_time() - start < 2.0
