"""Logic of the flow-mapping exercise: who passes what to whom in a case.

The learner builds arrows (sender, receiver, what passes) between the
participants of a case. :meth:`FlowMap.check` compares them with the
case's flows in the data and says, for each arrow, whether it is right,
reversed, between the wrong pair, or not part of this case at all, and
how many arrows are still missing, without giving them away.
:meth:`FlowMap.hint` reveals a missing arrow a little at a time.

No widgets here: :mod:`kyodo.widgets.flowmap` puts a face on this class.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..data import Course
from ..models import Case, Flow
from ..text import msg

MAX_ARROWS = 40
"""More arrows than this is no longer a map; the learner is asked to tidy up."""


class Verdict(str, Enum):
    CORRECT = "correct"
    REVERSED = "reversed"
    WRONG_PAIR = "wrong_pair"
    NOT_IN_CASE = "not_in_case"


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
    feedback: tuple[ArrowFeedback, ...]
    found: int
    total: int
    wrong: int

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
            return msg("flow.summary_complete", total=self.total)
        if self.missing == 0:
            return msg("flow.summary_all_found_but_wrong", wrong=self.wrong)
        return msg("flow.summary_progress", found=self.found, total=self.total,
                   missing=self.missing, wrong=self.wrong)


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

    def describe(self, arrow: Arrow) -> str:
        return msg("flow.arrow", source=self.course.org_short(arrow.source),
                   target=self.course.org_short(arrow.target), item=arrow.item)

    # --- checking ----------------------------------------------------------------
    def _flow_for(self, arrow: Arrow) -> Flow | None:
        for flow in self.case.flows:
            if (flow.source, flow.target, flow.item) == (arrow.source, arrow.target, arrow.item):
                return flow
        return None

    def judge(self, arrow: Arrow) -> ArrowFeedback:
        """Feedback on one arrow."""
        flow = self._flow_for(arrow)
        if flow is not None:
            return ArrowFeedback(arrow, Verdict.CORRECT, msg("flow.correct", why=flow.explanation), flow.id)
        backwards = self._flow_for(Arrow(arrow.target, arrow.source, arrow.item))
        if backwards is not None:
            return ArrowFeedback(
                arrow, Verdict.REVERSED,
                msg("flow.reversed", source=self.course.org_short(backwards.source),
                    target=self.course.org_short(backwards.target)),
                backwards.id,
            )
        same_item = [f for f in self.case.flows if f.item == arrow.item]
        if same_item:
            return ArrowFeedback(arrow, Verdict.WRONG_PAIR, self._wrong_pair_message(arrow, same_item))
        other = self._foreign.get(arrow.item)
        where = msg("flow.case_label", number=other.number, combination=other.combination) if other else ""
        return ArrowFeedback(arrow, Verdict.NOT_IN_CASE, msg("flow.not_in_case", where=where))

    def _wrong_pair_message(self, arrow: Arrow, candidates: list[Flow]) -> str:
        hint = next((f.hint for f in candidates if f.hint), None)
        if any(f.source == arrow.source for f in candidates):
            base = msg("flow.wrong_target")
        elif any(f.target == arrow.target for f in candidates):
            base = msg("flow.wrong_source")
        else:
            base = msg("flow.wrong_both")
        return f"{base} {hint}" if hint else base

    def check(self) -> FlowCheck:
        feedback = tuple(self.judge(a) for a in self.arrows)
        found = len({fb.flow_id for fb in feedback if fb.verdict is Verdict.CORRECT})
        wrong = sum(fb.verdict is not Verdict.CORRECT for fb in feedback)
        return FlowCheck(feedback, found, len(self.case.flows), wrong)

    def missing_flows(self) -> list[Flow]:
        have = {(a.source, a.target, a.item) for a in self.arrows}
        return [f for f in self.case.flows if (f.source, f.target, f.item) not in have]

    def hint(self) -> str:
        """Reveal one missing arrow step by step: its sender, then its receiver, then what."""
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
