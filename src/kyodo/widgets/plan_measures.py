"""Step 10 of the design sheet: how each outcome of step 4 is measured (成果の測り方).

For every outcome of the logic model (step 4): an indicator, a baseline, a
target, who measures, when, and how the result is shared with the partners.
A button copies step 4's target (何を → indicator, どのくらい・いつまでに →
target) into the boxes still empty. Measures of an outcome that is no longer
in step 4 are kept (and the check says so). Data: :mod:`kyodo.design.plan`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..design.plan import MEASURE_FIELDS, SHORT_LIMIT, TEXT_LIMIT, Measures, measures_from_state
from ..design.sheet import key
from ..text import esc, msg
from .common import button, guarded
from .plan_common import PlanStepWidget

PLACEHOLDERS = {"indicator": "plan.ph_indicator", "baseline": "plan.ph_baseline", "target": "plan.ph_target",
                "who": "plan.ph_measure_who", "when": "plan.ph_measure_when", "shared": "plan.ph_shared"}


class MeasuresStepWidget(PlanStepWidget):
    part = "measures"
    number = 10
    title_key = "plan.title_measures"
    instructions_key = "plan.measures_instructions"
    watches = (key("logic"),)

    def build(self) -> list[W.Widget]:
        outcomes = self.design().logic.of_kind("outcome")
        self.outcomes = {o.id: o for o in outcomes}
        self.boxes: dict[str, dict[str, W.Text | W.Textarea]] = {}
        widgets: list[W.Widget] = []
        if not outcomes:
            widgets.append(W.HTML(f"<p>{esc(msg('plan.measures_none'))}</p>"))
        for n, outcome in enumerate(outcomes):
            fields = {f: self.text(msg(f"plan.measure_{f}"), TEXT_LIMIT if f == "shared" else SHORT_LIMIT * 2,
                                   msg(PLACEHOLDERS[f]) if n == 0 else "", multiline=f == "shared")
                      for f in MEASURE_FIELDS}
            self.boxes[outcome.id] = fields
            widgets.append(W.VBox([W.HTML(f"<strong>{esc(msg('plan.measure_head', text=outcome.text))}</strong>"),
                                   *fields.values()],
                                  layout=W.Layout(border="1px solid #999", padding="0.4em", margin="0.3em 0")))
        self.copy_button = button(msg("plan.btn_from_target"), "info", "copy")
        self.copy_button.on_click(self._on_copy)
        self.copy_button.disabled = not outcomes
        return [*widgets, W.HBox([self.copy_button])]

    def state(self) -> dict[str, Any]:
        kept = getattr(self, "_hidden", Measures()).to_state()["measures"]  # outcomes no longer in step 4
        shown = {o: {f: box.value for f, box in fields.items()} for o, fields in self.boxes.items()}
        return {"measures": {**kept, **{o: v for o, v in shown.items() if any(v.values())}}}

    def restore(self, state: Any) -> int:
        measures = measures_from_state(state)
        self._hidden = Measures({o: m for o, m in measures.by_outcome.items() if o not in self.boxes})
        for outcome, fields in self.boxes.items():
            measure = measures.of(outcome)
            for f, box in fields.items():
                box.value = getattr(measure, f)
        return sum(1 for o in self.boxes if not measures.of(o).empty)

    @guarded
    def _on_copy(self, _: Any = None) -> None:
        copied = False
        with self.quietly():
            for outcome_id, fields in self.boxes.items():
                target = self.outcomes[outcome_id].target
                if not fields["indicator"].value and target.what:
                    fields["indicator"].value = target.what[: SHORT_LIMIT * 2]
                    copied = True
                goal = msg("plan.target_from_step4", how_much=target.how_much, by_when=target.by_when).strip()
                if not fields["target"].value and (target.how_much or target.by_when):
                    fields["target"].value = goal[: SHORT_LIMIT * 2]
                    copied = True
        if copied:
            self.flush()
            self.feedback.show("info", msg("plan.copied_target"))
        else:
            self.feedback.show("info", msg("plan.copied_nothing"))
