"""The flow-mapping exercise: every kind of feedback, hints, limits and saved state.

The graded acceptance (scored flows, either direction, ``also`` readings,
discussion flows) is tested on flows built here, so that the engine is
tested for any case; the real CASE3 is checked for the decisions taken with
the pamphlet open.
"""

from __future__ import annotations

import pytest

from kyodo.exercises.flowmap import MAX_ARROWS, FlowMap, Reading, Verdict, readings, solution_rows
from kyodo.models import Flow

MONITORS, CITY, FARM = "citizen_monitors", "city_waste_reduction", "meiji_kurokawa"


@pytest.fixture
def fm(course) -> FlowMap:
    return FlowMap(course, "case3")


def add_all(fm: FlowMap) -> None:
    for f in fm.case.flows:
        assert fm.add(f.source, f.target, f.item).ok


def add_scored(fm: FlowMap) -> None:
    for f in fm.case.flows:
        if f.is_scored:
            assert fm.add(f.source, f.target, f.item).ok


# --- flows built for the tests (the participants of CASE3, made-up items) ---------------

def _flow(**fields) -> Flow:
    base = {"label": fields["id"], "basis": "text", "explanation": f"説明{fields['id']}"}
    return Flow.model_validate(base | fields)


FIXTURE_FLOWS = [
    _flow(id="plain", source=CITY, target=MONITORS, item="品物A"),
    _flow(id="both_ways", source=FARM, target=CITY, item="品物B", basis="diagram", either_direction=True),
    _flow(id="with_also", source=CITY, target=FARM, item="品物C",
          also=[{"source": MONITORS, "target": FARM, "comment": "コメントC"}]),
    _flow(id="open", source=FARM, target=CITY, item="品物D", basis="diagram", scored=False,
          also=[{"source": FARM, "target": MONITORS, "comment": "コメントD"}], discussion="話題D"),
    _flow(id="roles", source=MONITORS, target=CITY, item="品物E", basis="diagram_roles", discussion="話題E"),
    _flow(id="forced", source=MONITORS, target=FARM, item="品物F", basis="diagram_roles", scored=True),
]
SCORED = {"plain", "both_ways", "with_also", "forced"}
UNSCORED_ITEMS = {"品物D", "品物E"}


@pytest.fixture
def gm(course, monkeypatch) -> FlowMap:
    """A flow map over the fixture flows (CASE3's participants)."""
    case = course.case("case3").model_copy(update={"flows": FIXTURE_FLOWS})
    monkeypatch.setitem(course._index["case"], "case3", case)
    return FlowMap(course, "case3")


def only(fm: FlowMap, source: str, target: str, item: str):
    fm.reset()
    assert fm.add(source, target, item).ok
    check = fm.check()
    [fb] = check.feedback
    return fb, check


def test_choices_are_the_participants_and_items_with_distractors(fm):
    assert [org for _, org in fm.actors] == [FARM, CITY, MONITORS]
    own = {f.item for f in fm.case.flows}
    assert own < set(fm.items)
    assert "カード利用金額の0.1%の寄付" in fm.items  # from CASE2
    assert fm.items == sorted(fm.items)


def test_complete_map_is_complete(fm):
    add_all(fm)
    check = fm.check()
    assert (check.found, check.total, check.wrong, check.discussed) == (4, 4, 0, 4)
    assert check.complete
    assert {fb.verdict for fb in check.feedback} == {Verdict.CORRECT, Verdict.DISCUSSION}
    assert "完成です" in check.summary and "話し合いの材料になる矢印が 4 本" in check.summary


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
    assert (check.found, check.missing, check.wrong) == (1, 3, 1)
    assert "4 本のうち 1 本" in check.summary and "まだ 3 本足りません" in check.summary
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


# --- graded acceptance, on the fixture flows -----------------------------------------

def test_scored_follows_basis_unless_given(gm):
    assert {f.id for f in gm.case.flows if f.is_scored} == SCORED
    assert {f.id for f in gm.scored_flows} == SCORED
    assert gm.check().total == 4


def test_either_direction_accepts_both_directions_and_counts_once(gm):
    for source, target in ((FARM, CITY), (CITY, FARM)):
        fb, check = only(gm, source, target, "品物B")
        assert fb.verdict is Verdict.CORRECT and fb.flow_id == "both_ways"
        assert "どちら向き" in fb.message and "説明both_ways" in fb.message
        assert (check.found, check.wrong) == (1, 0)
    gm.add(FARM, CITY, "品物B")
    check = gm.check()
    assert (check.found, check.wrong) == (1, 0)
    assert "both_ways" not in {f.id for f in gm.missing_flows()}


def test_a_one_way_flow_still_has_a_wrong_direction(gm):
    fb, check = only(gm, MONITORS, CITY, "品物A")
    assert fb.verdict is Verdict.REVERSED and check.wrong == 1 and check.found == 0


def test_also_reading_of_a_scored_flow_is_accepted_with_its_comment(gm):
    fb, check = only(gm, MONITORS, FARM, "品物C")
    assert fb.verdict is Verdict.ALSO and fb.flow_id == "with_also"
    assert fb.message.startswith("この読み方もできます: コメントC")
    assert (check.found, check.wrong) == (1, 0)
    assert "with_also" not in {f.id for f in gm.missing_flows()}


@pytest.mark.parametrize(("source", "target", "item", "comment"), [
    (FARM, CITY, "品物D", "説明open"),       # the flow as written
    (FARM, MONITORS, "品物D", "コメントD"),  # its other reading
    (MONITORS, CITY, "品物E", "説明roles"),  # not scored because of its basis
])
def test_discussion_arrow_is_never_wrong_and_never_counted(gm, source, target, item, comment):
    fb, check = only(gm, source, target, item)
    assert fb.verdict is Verdict.DISCUSSION
    assert not fb.verdict.wrong and not fb.verdict.found
    assert (check.found, check.wrong, check.discussed, check.missing) == (0, 0, 1, 4)
    assert fb.message.startswith(f"この読み方もできます: {comment}")
    assert "話し合いの材料" in fb.message and "正誤は付けず" in fb.message
    flow = next(f for f in gm.case.flows if f.item == item)
    assert flow.discussion in fb.message
    assert "考えられる読み方" in fb.message and gm.describe_readings(flow) in fb.message
    assert "話し合いの材料になる矢印が 1 本" in check.summary and "まだ 4 本足りません" in check.summary


def test_discussion_reading_lists_every_accepted_reading(gm):
    flow = next(f for f in gm.case.flows if f.id == "open")
    assert gm.describe_readings(flow) == ("明治大学黒川農場 → 川崎市環境局: 品物D / "
                                          "明治大学黒川農場 → 市民モニター: 品物D")


def test_arrow_outside_the_readings_of_a_discussion_flow_keeps_the_old_verdicts(gm):
    fb, check = only(gm, CITY, FARM, "品物D")
    assert fb.verdict is Verdict.REVERSED and check.wrong == 1
    assert "向きが逆" in fb.message and "明治大学黒川農場 → 市民モニター: 品物D" in fb.message
    fb, check = only(gm, CITY, MONITORS, "品物D")
    assert fb.verdict is Verdict.WRONG_PAIR and check.wrong == 1


def test_complete_needs_only_the_scored_flows(gm):
    add_scored(gm)
    check = gm.check()
    assert check.complete and (check.found, check.total, check.wrong, check.discussed) == (4, 4, 0, 0)
    assert "完成です" in check.summary and "話し合い" not in check.summary
    assert len(check.notes) == 2
    assert "話題D" in check.notes[0] and "品物D" in check.notes[0]
    assert "話題E" in check.notes[1]


def test_one_scored_flow_missing_is_not_complete_and_hides_the_discussion(gm):
    for f in gm.case.flows:
        if f.id != "forced":
            gm.add(f.source, f.target, f.item)
    check = gm.check()
    assert not check.complete and check.missing == 1 and check.notes == ()
    assert [f.id for f in gm.missing_flows()] == ["forced"]


def test_complete_with_accepted_readings_and_discussion_arrows(gm):
    gm.add(CITY, MONITORS, "品物A")
    gm.add(CITY, FARM, "品物B")          # other direction
    gm.add(MONITORS, FARM, "品物C")      # also reading
    gm.add(MONITORS, FARM, "品物F")
    gm.add(FARM, MONITORS, "品物D")      # discussion
    check = gm.check()
    assert check.complete and (check.found, check.wrong, check.discussed) == (4, 0, 1)
    assert "話し合いの材料になる矢印が 1 本" in check.summary


def test_a_wrong_arrow_still_blocks_completion(gm):
    add_scored(gm)
    gm.add(CITY, FARM, "品物D")
    check = gm.check()
    assert not check.complete and check.missing == 0 and check.wrong == 1 and check.notes == ()


def test_hint_never_reveals_a_flow_that_is_not_scored(gm):
    hints = []
    for _ in range(20):
        hint = gm.hint()
        hints.append(hint)
        if "ヒントは要りません" in hint:
            break
        flow = gm.missing_flows()[0]
        if flow.item in hint:
            gm.add(flow.source, flow.target, flow.item)
    assert "ヒントは要りません" in hints[-1]
    text = "\n".join(hints)
    assert not any(item in text for item in UNSCORED_ITEMS)
    assert all(item in text for item in ("品物A", "品物B", "品物C", "品物F"))  # every scored flow, in the end
    assert all(f.is_scored for f in gm.case.flows if f.item in text)


def test_hint_counts_an_accepted_reading_as_present(gm):
    add_scored(gm)
    gm.remove(gm.arrows.index(next(a for a in gm.arrows if a.item == "品物B")))
    gm.add(CITY, FARM, "品物B")
    assert "ヒントは要りません" in gm.hint()


def test_readings_and_solution_rows_are_plain_data(gm):
    flow = next(f for f in gm.case.flows if f.id == "both_ways")
    assert readings(flow) == (Reading(FARM, CITY), Reading(CITY, FARM, "reverse"))
    rows = solution_rows(gm.case)
    assert [r.flow_id for r in rows] == ["plain", "both_ways", "with_also", "forced", "open", "roles"]
    assert [r.scored for r in rows] == [True] * 4 + [False] * 2
    with_also = rows[2]
    assert with_also.readings == (Reading(CITY, FARM), Reading(MONITORS, FARM, "also", "コメントC"))
    assert rows[1].either_direction and not rows[0].either_direction
    assert rows[4].discussion == "話題D" and rows[4].readings[1].comment == "コメントD"
    assert rows[0].discussion is None and rows[0].explanation == "説明plain"
    for row in rows:
        for value in (row.item, row.label, row.explanation, row.discussion or ""):
            assert "<" not in value


# --- the real CASE3: the decision taken with the pamphlet's diagram -------------------

def test_case3_scores_exactly_the_arrows_the_diagram_draws(fm):
    scored = [f for f in fm.case.flows if f.is_scored]
    assert {f.label for f in scored} == {"指導", "回収", "運搬", "知的資源・地域資源の活用"}
    assert all(f.basis == "diagram" for f in scored)
    assert all(f.basis == "diagram_roles" and f.discussion for f in fm.case.flows if not f.is_scored)
    rows = solution_rows(fm.case)
    assert [r.scored for r in rows] == [True] * 4 + [False] * 4


def test_case3_university_resources_run_either_way(fm):
    for source, target in ((FARM, CITY), (CITY, FARM)):
        fb, check = only(fm, source, target, "知的資源・地域資源")
        assert fb.verdict is Verdict.CORRECT and fb.flow_id == "university_resources"
        assert check.found == 1 and check.wrong == 0


def test_case3_complete_with_the_diagram_arrows_only(fm):
    for f in fm.case.flows:
        if f.is_scored:
            source, target = (f.target, f.source) if f.either_direction else (f.source, f.target)
            fm.add(source, target, f.item)
    check = fm.check()
    assert check.complete and check.total == 4 and check.discussed == 0
    assert len(check.notes) == 4 and any("成分分析" in n for n in check.notes)


@pytest.mark.parametrize(("item", "flow_id"), [("堆肥の成分分析の結果", "analysis"),
                                               ("展示栽培と発表会", "exhibition")])
@pytest.mark.parametrize("receiver", [CITY, MONITORS])
def test_case3_analysis_and_exhibition_receivers_are_a_discussion(fm, item, flow_id, receiver):
    fb, check = only(fm, FARM, receiver, item)
    assert fb.verdict is Verdict.DISCUSSION and fb.flow_id == flow_id
    assert fb.message.startswith("この読み方もできます: ")
    if receiver == MONITORS:
        comment = next(f for f in fm.case.flows if f.id == flow_id).also[0].comment
        assert comment in fb.message and "モニター" in comment
    assert "市民モニター" in fb.message and "川崎市環境局" in fb.message  # both readings are listed
    assert check.wrong == 0 and check.found == 0 and check.missing == 4


def test_case3_hint_never_reveals_a_discussion_flow(fm):
    unscored = [f for f in fm.case.flows if not f.is_scored]
    for _ in range(20):
        hint = fm.hint()
        assert not any(f.item in hint for f in unscored)
        if "ヒントは要りません" in hint:
            break
        flow = fm.missing_flows()[0]
        assert flow.is_scored
        if flow.item in hint:
            fm.add(flow.source, flow.target, flow.item)
    assert fm.check().complete


def test_saved_state_format_is_unchanged_and_loads_discussion_arrows(fm, course):
    fm.add(FARM, MONITORS, "堆肥の成分分析の結果")
    fm.add(CITY, FARM, "知的資源・地域資源")
    state = fm.to_state()
    assert state == {"arrows": [[FARM, MONITORS, "堆肥の成分分析の結果"], [CITY, FARM, "知的資源・地域資源"]]}
    again = FlowMap(course, "case3")
    assert again.load_state(state) == 2
    assert [fb.verdict for fb in again.check().feedback] == [Verdict.DISCUSSION, Verdict.CORRECT]
