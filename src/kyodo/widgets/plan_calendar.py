"""Step 11 of the design sheet: the fiscal year (年度の予定).

One month for each step of the fiscal calendar (budget request, 決裁,
agreement, start, mid-year and end-of-year review), chosen on the line of
the year before the project and the project's own year. Each step shows its
usual month (a hypothetical illustration from ``data/partnering.yml``); steps
the chosen form does not need (a budget request where the city pays nothing)
say so. Whenever a month changes, the widget says at once if a step now
comes before an approval it needs. Logic: :mod:`kyodo.design.plan`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..design.plan import PLACES, calendar_from_state, month_label, order_problems, steps_needed
from ..design.sheet import key
from ..text import esc, msg
from .common import Choice, button, guarded
from .plan_common import PlanStepWidget


class CalendarStepWidget(PlanStepWidget):
    part = "calendar"
    number = 11
    title_key = "plan.title_calendar"
    instructions_key = "plan.calendar_instructions"
    watches = (key("form"),)

    def build(self) -> list[W.Widget]:
        chosen = self.design().form.chosen
        self.needed = steps_needed(self.material, chosen)
        form = self.material.form(chosen)
        months = [(month_label(place), place) for place in range(PLACES)]
        self.months: dict[str, Choice] = {}
        widgets: list[W.Widget] = []
        for step in self.material.calendar.steps:
            box = self.choice(step.name, months, width="24em")
            box.options = [(msg("plan.month_none"), None), *months]
            self.months[step.id] = box
            note = (msg("plan.usual_month", month=month_label(step.usual)) if step.id in self.needed
                    else msg("plan.not_needed", form=form.name if form else ""))
            widgets.append(W.HBox([box, W.HTML(f"<small>{esc(step.what)}<br>{esc(note)}</small>",
                                               layout=W.Layout(margin="0 0 0 1em"))]))
        self.order = W.HTML(value="")
        self.usual_button = button(msg("plan.btn_usual"), "info", "calendar")
        self.usual_button.on_click(self._on_usual)
        return [*widgets, W.HBox([self.usual_button]), self.order]

    def state(self) -> dict[str, Any]:
        return {"months": {s: box.value for s, box in self.months.items() if box.value is not None}}

    def restore(self, state: Any) -> int:
        plan = calendar_from_state(state, self.material)
        for s, box in self.months.items():
            box.value = plan.months.get(s)
        return len(plan.months)

    def after_restore(self) -> None:
        self.show_order()

    def on_input(self, widget: Any) -> None:
        self.show_order()

    def show_order(self) -> None:
        """Say at once when a step is planned before an approval it needs."""
        plan = calendar_from_state(self.state(), self.material)
        problems = order_problems(self.material, plan, self.design().form.chosen)
        lines = [msg("plan.calendar_order", step=self.material.step(p.step).name,
                     needs=self.material.step(p.needs).name) for p in problems]
        self.order.value = ("<ul style='color:#7a1f00'>" + "".join(f"<li>⚠️ {esc(line)}</li>" for line in lines)
                            + "</ul>") if lines else ""

    @guarded
    def _on_usual(self, _: Any = None) -> None:
        with self.quietly():
            for step in self.material.calendar.steps:
                if step.id in self.needed and self.months[step.id].value is None:
                    self.months[step.id].value = step.usual
        self.show_order()
        self.flush()
        self.feedback.show("info", msg("plan.usual_filled"))
