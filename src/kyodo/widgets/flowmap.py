"""The flow-mapping exercise as ipywidgets (logic in :mod:`kyodo.exercises.flowmap`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from ..data import load_course
from ..registry import BuiltSpec
from ..exercises.flowmap import FlowCheck, FlowMap, Verdict, solution_rows, task_of
from ..storage import Store
from ..text import msg
from .common import Choice, heading
from .edges import EdgeBuilderWidget

if TYPE_CHECKING:
    from ..diagrams import Edge

_MARK = {
    Verdict.CORRECT: "✅",
    Verdict.ALSO: "✅",
    Verdict.DISCUSSION: "💬",
    Verdict.REVERSED: "🔁",
    Verdict.WRONG_PAIR: "❌",
    Verdict.NOT_IN_CASE: "❌",
}

_EDGE_KIND = {
    Verdict.CORRECT: "correct",
    Verdict.ALSO: "correct",
    Verdict.DISCUSSION: "reference",
    Verdict.REVERSED: "reversed",
    Verdict.WRONG_PAIR: "wrong_pair",
    Verdict.NOT_IN_CASE: "not_in_case",
}
"""How each verdict is drawn (a key of :data:`kyodo.style.VERDICT_STYLES`): an accepted
other reading looks right; a discussion arrow is drawn like the course's reading of the diagram."""


class FlowMapWidget(EdgeBuilderWidget):
    """Build the map of a case's flows arrow by arrow, then check it."""

    task: FlowMap
    reset_ask = "widget.reset_ask"

    def __init__(self, task: FlowMap, key: str, label: str, title: str, instructions: str,
                 legacy_keys: tuple[str, ...] = (), store: Store | None = None):
        super().__init__(key, store, legacy_keys)
        self.task = task
        placeholder = [(msg("widget.choose"), None)]
        wide = {"description_width": "5em"}
        self.source = Choice(options=placeholder + task.actors, description=msg("flow.part_source"),
                             style=wide, layout=W.Layout(width="22em"))
        self.target = Choice(options=placeholder + task.actors, description=msg("flow.part_target"),
                             style=wide, layout=W.Layout(width="22em"))
        self.item = Choice(options=placeholder + [(i, i) for i in task.items],
                           description=msg("flow.part_item"), style=wide, layout=W.Layout(width="30em"))
        self.ui = self.edge_controls(heading(label, title, instructions), (self.source, self.target, self.item),
                                     list_label=msg("flow.list"), list_rows=6, list_width="95%", style=wide,
                                     add_label=msg("flow.btn_add"), remove_label=msg("flow.btn_remove"))
        self.restore_quietly()

    def show_check(self, check: FlowCheck) -> None:
        lines = [f"{_MARK[fb.verdict]} {self.task.describe(fb.arrow)}: {fb.message}" for fb in check.feedback]
        if check.notes:
            lines.append(msg("flow.discussion_heading"))
            lines += [f"{_MARK[Verdict.DISCUSSION]} {note}" for note in check.notes]
        kind = "success" if check.complete else ("info" if not check.feedback else "warning")
        self.feedback.show(kind, lines or [msg("flow.nothing_yet")], title=check.summary)
        if check.complete:
            self.draw(with_reference=True)

    # --- drawing -----------------------------------------------------------
    def learner_edges(self) -> list[Edge]:
        from ..diagrams import Edge  # networkx and matplotlib, only once there is something to draw

        check = self.task.check()
        return [Edge(fb.arrow.source, fb.arrow.target, fb.arrow.item, _EDGE_KIND[fb.verdict]) for fb in check.feedback]

    def reference_edges(self) -> list[Edge]:
        """The model answer's scored flows, as written (discussion flows are listed in the feedback)."""
        from ..diagrams import Edge

        return [Edge(r.readings[0].source, r.readings[0].target, r.label)
                for r in solution_rows(self.task.case) if r.scored]

    def draw(self, with_reference: bool) -> None:
        from ..diagrams import Panel, describe_edges, flow_figure

        nodes = [org for _, org in self.task.actors]
        panels = [Panel(msg("diagram.title_learner"), tuple(self.learner_edges()))]
        if with_reference:
            panels.append(Panel(msg("diagram.title_reference"), tuple(self.reference_edges())))
        alt = describe_edges(self.task.course, self.reference_edges() if with_reference else self.learner_edges())
        self.show_drawing(flow_figure(self.task.course, nodes, panels), alt)


def build(spec: BuiltSpec, store: Store | None = None) -> FlowMapWidget:
    """The flow map of the registry entry ``spec`` (``params: {case: <case id>}``)."""
    return FlowMapWidget(task_of(spec, load_course()), spec.id, spec.label, spec.title, spec.instructions,
                         tuple(spec.legacy_keys), store)
