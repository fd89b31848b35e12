"""Logic of the flow-mapping exercise: who passes what to whom in a case.

The learner builds arrows (sender, receiver, what passes) between the
participants of a case. :meth:`FlowMap.check` compares them with the
case's flows in the data and says, for each arrow, whether it is right,
reversed, between the wrong pair, or not part of this case at all, and
how many arrows are still missing, without giving them away.
:meth:`FlowMap.hint` reveals a missing arrow a little at a time.

The data says how each flow is accepted (see :class:`kyodo.models.Flow`):
only *scored* flows are counted and needed for a complete map; a flow may
be right in either direction; ``also`` lists other readings that are
accepted with a comment (:attr:`Verdict.ALSO`). An arrow that matches a
flow that is not scored is a discussion point (:attr:`Verdict.DISCUSSION`):
never wrong, never counted. :func:`solution_rows` gives the model answer
as data, for an answer page.

The registry entry of the exercise (``kind: flow_map``, e.g. ``case3-ex1``)
names its case (:class:`FlowMapParams`); :func:`task_of` builds the map
of an entry, for the widget and for the room board (:func:`board_tallier`).

No widgets here: :mod:`kyodo.widgets.flowmap` puts a face on this class.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from ..data import Course, DataError, Problem, check_refs
from ..models import Case, Flow, Id, Strict
from ..text import msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tallier, Verdict as BoardVerdict
    from ..registry import BuiltSpec

MAX_ARROWS = 40
"""More arrows than this is no longer a map; the learner is asked to tidy up."""


class Verdict(str, Enum):
    CORRECT = "correct"
    ALSO = "also"
    """An accepted other reading of a scored flow: counted as found, shown with its comment."""
    DISCUSSION = "discussion"
    """A reading of a flow that is not scored: neither right nor wrong, not counted."""
    REVERSED = "reversed"
    WRONG_PAIR = "wrong_pair"
    NOT_IN_CASE = "not_in_case"

    @property
    def found(self) -> bool:
        """The arrow stands for a scored flow (counts towards completion)."""
        return self in (Verdict.CORRECT, Verdict.ALSO)

    @property
    def wrong(self) -> bool:
        """The arrow is marked wrong (stands in the way of completion)."""
        return self in (Verdict.REVERSED, Verdict.WRONG_PAIR, Verdict.NOT_IN_CASE)


ReadingKind = Literal["main", "reverse", "also"]


@dataclass(frozen=True)
class Reading:
    """One accepted way of drawing a flow: its endpoints (org ids) and why it is accepted.

    ``kind`` is ``"main"`` for the flow as written, ``"reverse"`` for the
    other direction of an ``either_direction`` flow, ``"also"`` for one of
    the flow's ``also`` readings (whose ``comment`` is then set).
    """

    source: str
    target: str
    kind: ReadingKind = "main"
    comment: str | None = None


@dataclass(frozen=True)
class SolutionRow:
    """One flow of the model answer, as data (no HTML): for answer pages."""

    flow_id: str
    item: str
    label: str
    scored: bool
    either_direction: bool
    readings: tuple[Reading, ...]
    """Every accepted way of drawing it, the flow as written first."""
    explanation: str
    discussion: str | None = None
    basis: str = ""


def readings(flow: Flow) -> tuple[Reading, ...]:
    """Every accepted way of drawing ``flow``: as written, reversed if either way, then ``also``."""
    found = [Reading(flow.source, flow.target)]
    if flow.either_direction:
        found.append(Reading(flow.target, flow.source, "reverse"))
    found += [Reading(alt.source, alt.target, "also", alt.comment) for alt in flow.also]
    return tuple(found)


def solution_rows(case: Case) -> list[SolutionRow]:
    """The model answer of ``case`` as data: its scored flows, then the discussion flows.

    Each row carries every accepted reading (with the comments of the
    alternative ones), so an answer page can show what counts, what is also
    accepted, and what is left for discussion. Organisations are ids; the
    caller turns them into names (``Course.org_short``).
    """
    rows = [
        SolutionRow(flow_id=f.id, item=f.item, label=f.label, scored=f.is_scored,
                    either_direction=f.either_direction, readings=readings(f),
                    explanation=f.explanation, discussion=f.discussion, basis=f.basis)
        for f in case.flows
    ]
    return [r for r in rows if r.scored] + [r for r in rows if not r.scored]


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    item: str


@dataclass(frozen=True)
class ArrowFeedback:
    arrow: Arrow
    verdict: Verdict
    message: str
    flow_id: str | None = None


@dataclass(frozen=True)
class FlowCheck:
    """The result of a check. ``found``, ``total`` and ``missing`` count scored flows only."""

    feedback: tuple[ArrowFeedback, ...]
    found: int
    total: int
    wrong: int
    discussed: int = 0
    """Arrows that are discussion points (not counted either way)."""
    notes: tuple[str, ...] = ()
    """Discussion points to show after the check (given once the map is complete)."""

    @property
    def missing(self) -> int:
        return self.total - self.found

    @property
    def complete(self) -> bool:
        return self.missing == 0 and self.wrong == 0

    @property
    def summary(self) -> str:
        if not self.feedback:
            return msg("flow.summary_empty", total=self.total)
        if self.complete:
            text = msg("flow.summary_complete", total=self.total)
        elif self.missing == 0:
            text = msg("flow.summary_all_found_but_wrong", wrong=self.wrong)
        else:
            text = msg("flow.summary_progress", found=self.found, total=self.total,
                       missing=self.missing, wrong=self.wrong)
        if self.discussed:
            text += msg("flow.summary_discussion", n=self.discussed)
        return text


@dataclass(frozen=True)
class AddResult:
    ok: bool
    message: str


class FlowMap:
    """The state and rules of one learner's flow map for one case."""

    def __init__(self, course: Course, case_id: str):
        self.course = course
        self.case: Case = course.case(case_id)
        if not self.case.flows:
            raise ValueError(msg("flow.no_flows", case=case_id))
        self.arrows: list[Arrow] = []
        self._hint_level: dict[str, int] = {}
        self._foreign = self._items_of_other_cases()

    # --- what the learner can choose from -------------------------------
    @property
    def actors(self) -> list[tuple[str, str]]:
        """(label, org id) of every participant, in the case's order."""
        return [(self.course.org_short(p.org), p.org) for p in self.case.participants]

    @property
    def items(self) -> list[str]:
        """What can pass: this case's items, plus items of other cases as distractors.

        The order is fixed (sorted by reading), so it does not give away
        which items belong to this case.
        """
        own = {f.item for f in self.case.flows}
        return sorted(own | set(self._foreign))

    def _items_of_other_cases(self) -> dict[str, Case]:
        own = {f.item for f in self.case.flows}
        foreign: dict[str, Case] = {}
        for other in self.course.cases:
            if other.id == self.case.id:
                continue
            for flow in other.flows:
                if flow.item not in own:
                    foreign.setdefault(flow.item, other)
        return foreign

    # --- building the map ----------------------------------------------------
    def add(self, source: str | None, target: str | None, item: str | None) -> AddResult:
        """Add an arrow, or explain why it cannot be added."""
        if not source or not target or not item:
            missing = [msg(f"flow.part_{part}") for part, v in
                       (("source", source), ("target", target), ("item", item)) if not v]
            return AddResult(False, msg("flow.add_incomplete", parts="・".join(missing)))
        actor_ids = {a for _, a in self.actors}
        if source not in actor_ids or target not in actor_ids:
            return AddResult(False, msg("flow.add_unknown_actor"))
        if item not in self.items:
            return AddResult(False, msg("flow.add_unknown_item"))
        if source == target:
            return AddResult(False, msg("flow.add_self", actor=self.course.org_short(source)))
        arrow = Arrow(source, target, item)
        if arrow in self.arrows:
            return AddResult(False, msg("flow.add_duplicate", text=self.describe(arrow)))
        if len(self.arrows) >= MAX_ARROWS:
            return AddResult(False, msg("flow.add_too_many", n=MAX_ARROWS))
        self.arrows.append(arrow)
        return AddResult(True, msg("flow.add_ok", text=self.describe(arrow), n=len(self.arrows)))

    def remove(self, index: int) -> AddResult:
        if not 0 <= index < len(self.arrows):
            return AddResult(False, msg("flow.remove_none"))
        arrow = self.arrows.pop(index)
        return AddResult(True, msg("flow.remove_ok", text=self.describe(arrow)))

    def reset(self) -> None:
        self.arrows.clear()
        self._hint_level.clear()

    @property
    def edges(self) -> list[Arrow]:
        """The arrows, by the name the edge-building widget uses."""
        return self.arrows

    @property
    def answered(self) -> int:
        """How many arrows there are: what a reset would undo."""
        return len(self.arrows)

    def describe(self, arrow: Arrow) -> str:
        return msg("flow.arrow", source=self.course.org_short(arrow.source),
                   target=self.course.org_short(arrow.target), item=arrow.item)

    def describe_readings(self, flow: Flow) -> str:
        """Every accepted way of drawing ``flow``, with names, e.g. 「農場 → 市 / 農場 → モニター」."""
        return msg("flow.reading_sep").join(
            msg("flow.arrow", source=self.course.org_short(r.source),
                target=self.course.org_short(r.target), item=flow.item)
            for r in readings(flow)
        )

    # --- checking ----------------------------------------------------------------
    @property
    def scored_flows(self) -> list[Flow]:
        """The flows that are counted and needed for a complete map."""
        return [f for f in self.case.flows if f.is_scored]

    def _match(self, source: str, target: str, item: str) -> tuple[Flow, Reading] | None:
        """The flow and the accepted reading that an arrow stands for, if any."""
        for flow in self.case.flows:
            if flow.item != item:
                continue
            for reading in readings(flow):
                if (reading.source, reading.target) == (source, target):
                    return flow, reading
        return None

    def judge(self, arrow: Arrow) -> ArrowFeedback:
        """Feedback on one arrow."""
        hit = self._match(arrow.source, arrow.target, arrow.item)
        if hit is not None:
            flow, reading = hit
            return self._accepted(arrow, flow, reading)
        back = self._match(arrow.target, arrow.source, arrow.item)
        if back is not None:
            flow, reading = back
            if flow.is_scored:
                text = msg("flow.reversed", source=self.course.org_short(reading.source),
                           target=self.course.org_short(reading.target))
            else:
                text = msg("flow.reversed_open", readings=self.describe_readings(flow))
            return ArrowFeedback(arrow, Verdict.REVERSED, text, flow.id)
        same_item = [f for f in self.case.flows if f.item == arrow.item]
        if same_item:
            return ArrowFeedback(arrow, Verdict.WRONG_PAIR, self._wrong_pair_message(arrow, same_item))
        other = self._foreign.get(arrow.item)
        where = msg("flow.case_label", number=other.number, combination=other.combination) if other else ""
        return ArrowFeedback(arrow, Verdict.NOT_IN_CASE, msg("flow.not_in_case", where=where))

    def _accepted(self, arrow: Arrow, flow: Flow, reading: Reading) -> ArrowFeedback:
        why = reading.comment if reading.comment else flow.explanation
        if not flow.is_scored:
            text = msg("flow.discussion", why=why, discussion=flow.discussion or "",
                       readings=self.describe_readings(flow))
            return ArrowFeedback(arrow, Verdict.DISCUSSION, text, flow.id)
        if reading.kind == "also":
            return ArrowFeedback(arrow, Verdict.ALSO, msg("flow.also", comment=why, why=flow.explanation), flow.id)
        key = "flow.correct_either" if flow.either_direction else "flow.correct"
        return ArrowFeedback(arrow, Verdict.CORRECT, msg(key, why=flow.explanation), flow.id)

    def _wrong_pair_message(self, arrow: Arrow, candidates: list[Flow]) -> str:
        hint = next((f.hint for f in candidates if f.hint), None)
        ends = [r for f in candidates for r in readings(f)]
        if any(r.source == arrow.source for r in ends):
            base = msg("flow.wrong_target")
        elif any(r.target == arrow.target for r in ends):
            base = msg("flow.wrong_source")
        else:
            base = msg("flow.wrong_both")
        return f"{base} {hint}" if hint else base

    def check(self) -> FlowCheck:
        """Judge every arrow; count the scored flows found and the wrong arrows."""
        feedback = tuple(self.judge(a) for a in self.arrows)
        found = len({fb.flow_id for fb in feedback if fb.verdict.found})
        wrong = sum(fb.verdict.wrong for fb in feedback)
        discussed = sum(fb.verdict is Verdict.DISCUSSION for fb in feedback)
        total = len(self.scored_flows)
        notes: tuple[str, ...] = ()
        if found == total and wrong == 0:
            notes = tuple(self.discussion_notes())
        return FlowCheck(feedback, found, total, wrong, discussed, notes)

    def discussion_notes(self) -> list[str]:
        """One discussion point per flow that is not scored, with its possible readings."""
        return [msg("flow.discussion_note", label=f.label, discussion=f.discussion or "",
                    readings=self.describe_readings(f))
                for f in self.case.flows if not f.is_scored]

    def missing_flows(self) -> list[Flow]:
        """Scored flows that no arrow stands for yet (in any accepted reading)."""
        have = set()
        for a in self.arrows:
            hit = self._match(a.source, a.target, a.item)
            if hit is not None:
                have.add(hit[0].id)
        return [f for f in self.scored_flows if f.id not in have]

    def hint(self) -> str:
        """Reveal one missing scored arrow step by step: its sender, then its receiver, then what.

        Flows that are not scored are never revealed: they are for discussion.
        """
        missing = self.missing_flows()
        if not missing:
            check = self.check()
            return msg("flow.hint_wrong_left", n=check.wrong) if check.wrong else msg("flow.hint_none")
        flow = missing[0]
        level = self._hint_level.get(flow.id, 0) + 1
        self._hint_level[flow.id] = min(level, 3)
        source = self.course.org_short(flow.source)
        target = self.course.org_short(flow.target)
        if level == 1:
            return msg("flow.hint_1", source=source)
        if level == 2:
            return msg("flow.hint_2", source=source, target=target)
        return msg("flow.hint_3", source=source, target=target, item=flow.item)

    # --- saving and restoring --------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {"arrows": [[a.source, a.target, a.item] for a in self.arrows]}

    def load_state(self, state: Any) -> int:
        """Restore arrows saved by :meth:`to_state`; returns how many were restored.

        Arrows that no longer make sense (data changed, hand-edited file)
        are dropped rather than trusted.
        """
        self.reset()
        arrows = state.get("arrows", []) if isinstance(state, dict) else []
        if not isinstance(arrows, list):
            return 0
        for entry in arrows[:MAX_ARROWS]:
            if isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry):
                self.add(*entry)
        return len(self.arrows)


def answer_table(spec: Any, course: Course) -> Any:
    """The model answer of a flow-map exercise (registry ``params: {case: ...}``) as a plain table.

    One row per flow: scored flows first, with every accepted way of drawing
    them; then the discussion flows, with their possible readings.
    """
    from ..solutions import Table

    case = course.case(str(spec.params.get("case", "")))
    rows = []
    for row in solution_rows(case):
        ways = [msg("flow.answer_way", source=course.org_short(r.source), target=course.org_short(r.target))
                + (f" ({r.comment})" if r.comment else "") for r in row.readings]
        status = msg("flow.answer_scored") if row.scored else msg("flow.answer_discussion")
        rows.append((row.item, ways[0], " / ".join(ways[1:]) or msg("solution.none"), status,
                     row.discussion or row.explanation))
    headers = (msg("flow.answer_col_item"), msg("flow.answer_col_way"), msg("flow.answer_col_also"),
               msg("flow.answer_col_status"), msg("flow.answer_col_why"))
    return Table(headers, tuple(rows))


# --- the registry entry ---------------------------------------------------------------------


class FlowMapParams(Strict):
    """``params`` of a ``kind: flow_map`` entry."""

    case: Id
    """The case whose flows (``flows`` of ``data/cases/<case>.yml``) the learner maps."""


def case_of(spec: BuiltSpec, course: Course) -> str:
    """The case of a flow-map entry: known, and with flows to map (else a :class:`DataError` naming what exists)."""
    case_id = spec.parsed(FlowMapParams).case
    try:
        case = course.case(case_id)  # a case left out for problems in its file raises the data's own error
    except KeyError:
        raise DataError(check_refs(f"data/exercises/{spec.lesson}.yml", f"exercises (id: {spec.id}).params.case",
                                   [case_id], [c.id for c in course.cases])) from None
    if not case.flows:
        with_flows = ", ".join(c.id for c in course.cases if c.flows) or "-"
        raise DataError([Problem(f"data/cases/{case_id}.yml", "flows", msg("flow.no_flows", case=case_id) + " "
                                 + msg("registry.has_material", material="flows", known=with_flows))])
    return case_id


def task_of(spec: BuiltSpec, course: Course) -> FlowMap:
    """The (empty) flow map of a registry entry: what the widget shows and the board tallies."""
    return FlowMap(course, case_of(spec, course))


# --- the room board ------------------------------------------------------------------------

BOARD_VERDICT: dict[Verdict, BoardVerdict] = {
    Verdict.CORRECT: "accepted", Verdict.ALSO: "accepted", Verdict.DISCUSSION: "open",
    Verdict.REVERSED: "wrong", Verdict.WRONG_PAIR: "wrong", Verdict.NOT_IN_CASE: "wrong",
}
"""How the board shows each verdict: an accepted other reading counts as found, a discussion arrow is open."""

BOARD_MARKS = tuple(v.value for v in Verdict)
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""


def board_tallier(spec: BuiltSpec, course: Course) -> Tallier:
    """The board's tallier of a flow-map entry: one item, the arrows drawn; every arrow is an answer.

    An arrow's key is ``source>target:item`` (organisation ids and the item as the data writes it),
    its label 「送り手 → 受け手: 渡すもの」 with the short names, its mark the verdict of
    :meth:`FlowMap.judge` (``correct``, ``also``, ``discussion``, ``reversed``, ``wrong_pair``,
    ``not_in_case``). So the board can say that twelve learners drew an arrow from the citizen monitors
    straight to the farm, and that it is ``wrong_pair``. ``expected`` is every accepted reading of every
    scored flow (as written, the other way round for ``either_direction``, and the ``also`` readings);
    ``finished`` is :attr:`FlowCheck.complete`.
    """
    from ..board.tally import Given, TaskTallier

    task = task_of(spec, course)
    item, item_label = "arrows", msg("board_mark.item_arrows")

    def given(source: str, target: str, thing: str, mark: str, verdict: BoardVerdict) -> Given:
        label = msg("flow.arrow", source=course.org_short(source), target=course.org_short(target), item=thing)
        return Given(item, item_label, f"{source}>{target}:{thing}", label, mark, verdict)

    def read(loaded: FlowMap) -> tuple[tuple[Given, ...], bool]:
        check = loaded.check()
        found = (given(fb.arrow.source, fb.arrow.target, fb.arrow.item, fb.verdict.value, BOARD_VERDICT[fb.verdict])
                 for fb in check.feedback)
        return tuple(dict.fromkeys(found)), check.complete

    expected = tuple(given(r.source, r.target, f.item, (Verdict.ALSO if r.kind == "also" else Verdict.CORRECT).value,
                           "accepted") for f in task.scored_flows for r in readings(f))
    return TaskTallier(task, read, ((item, item_label),), expected)
