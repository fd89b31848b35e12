"""The flow-mapping exercise as ipywidgets (logic in :mod:`kyodo.exercises.flowmap`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..data import Course, load_course
from ..registry import BuiltSpec
from ..diagrams import Edge, Panel, describe_edges, flow_figure
from ..exercises.flowmap import FlowMap, Verdict, solution_rows
from ..figures import show_figure
from ..storage import Store
from ..text import msg
from .common import Choice, ExerciseWidget, button, guarded, heading

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


class FlowMapWidget(ExerciseWidget):
    """Build the map of a case's flows arrow by arrow, then check it."""

    def __init__(self, course: Course, case_id: str, key: str, label: str, title: str, instructions: str,
                 legacy_keys: tuple[str, ...] = (), store: Store | None = None):
        super().__init__(key, store, legacy_keys)
        self.course = course
        self.logic = FlowMap(course, case_id)
        self.figure = None
        self.alt_text = ""
        placeholder = [(msg("widget.choose"), None)]
        wide = {"description_width": "5em"}
        self.source = Choice(options=placeholder + self.logic.actors, description=msg("flow.part_source"),
                                 style=wide, layout=W.Layout(width="22em"))
        self.target = Choice(options=placeholder + self.logic.actors, description=msg("flow.part_target"),
                                 style=wide, layout=W.Layout(width="22em"))
        self.item = Choice(options=placeholder + [(i, i) for i in self.logic.items],
                               description=msg("flow.part_item"), style=wide, layout=W.Layout(width="30em"))
        self.arrow_list = W.Select(options=[], rows=6, description=msg("flow.list"),
                                   style=wide, layout=W.Layout(width="95%"))
        self.add_button = button(msg("flow.btn_add"), "primary", "plus")
        self.remove_button = button(msg("flow.btn_remove"), "", "minus")
        self.check_button = button(msg("widget.btn_check"), "success", "check")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.diagram = W.Output()
        self.add_button.on_click(self._on_add)
        self.remove_button.on_click(self._on_remove)
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.ui = W.VBox([
            heading(label, title, instructions),
            W.VBox([self.source, self.target, self.item]),
            W.HBox([self.add_button, self.remove_button]),
            self.arrow_list,
            self.check_buttons_row(),
            self.feedback.widget,
            self.diagram,
        ])
        self._restore_saved()
        self._refresh_list()

    # --- state -------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.logic.to_state()

    def restore(self, state: Any) -> int:
        return self.logic.load_state(state)

    def _refresh_list(self) -> None:
        self.arrow_list.options = [(self.logic.describe(a), i) for i, a in enumerate(self.logic.arrows)]

    # --- callbacks ------------------------------------------------------------
    @guarded
    def _on_add(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.logic.add(self.source.value, self.target.value, self.item.value)
        if result.ok:
            self._refresh_list()
            self.feedback.show("info", result.message)
            self.save()
        else:
            self.feedback.show("warning", result.message)

    @guarded
    def _on_remove(self, _: Any = None) -> None:
        self._cancel_reset()
        index = self.arrow_list.value
        result = self.logic.remove(index if isinstance(index, int) else -1)
        self.feedback.show("info" if result.ok else "warning", result.message)
        if result.ok:
            self._refresh_list()
            self.save()

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        check = self.logic.check()
        lines = [f"{_MARK[fb.verdict]} {self.logic.describe(fb.arrow)}: {fb.message}" for fb in check.feedback]
        if check.notes:
            lines.append(msg("flow.discussion_heading"))
            lines += [f"{_MARK[Verdict.DISCUSSION]} {note}" for note in check.notes]
        kind = "success" if check.complete else ("info" if not check.feedback else "warning")
        self.feedback.show(kind, lines or [msg("flow.nothing_yet")], title=check.summary)
        if check.complete:
            self.draw(with_reference=True)

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.logic.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = len(self.logic.arrows)
        self._two_step_reset(msg("widget.reset_ask", n=n), self._clear, n)

    def _clear(self) -> None:
        self.logic.reset()
        self._refresh_list()
        self.figure = None
        self.diagram.clear_output()

    # --- drawing -----------------------------------------------------------
    def learner_edges(self) -> list[Edge]:
        check = self.logic.check()
        return [Edge(fb.arrow.source, fb.arrow.target, fb.arrow.item, _EDGE_KIND[fb.verdict]) for fb in check.feedback]

    def reference_edges(self) -> list[Edge]:
        """The model answer's scored flows, as written (discussion flows are listed in the feedback)."""
        return [Edge(r.readings[0].source, r.readings[0].target, r.label)
                for r in solution_rows(self.logic.case) if r.scored]

    def draw(self, with_reference: bool) -> None:
        nodes = [org for _, org in self.logic.actors]
        panels = [Panel(msg("diagram.title_learner"), tuple(self.learner_edges()))]
        if with_reference:
            panels.append(Panel(msg("diagram.title_reference"), tuple(self.reference_edges())))
        self.figure = flow_figure(self.course, nodes, panels)
        self.alt_text = describe_edges(self.course, self.reference_edges() if with_reference else self.learner_edges())
        self.diagram.clear_output()
        with self.diagram:
            show_figure(self.figure, self.alt_text)


def build(spec: BuiltSpec, store: Store | None = None) -> FlowMapWidget:
    """The flow map of the registry entry ``spec`` (``params: {case: <case id>}``)."""
    course = load_course()
    case_id = str(spec.params.get("case", ""))
    course.case(case_id)  # an unknown case is a DataError with the known ids
    return FlowMapWidget(course, case_id, spec.id, spec.label, spec.title, spec.instructions,
                         tuple(spec.legacy_keys), store)
