"""The contact-plan exercise as ipywidgets (logic in :mod:`kyodo.exercises.contact_plan`).

One row of toggle buttons per kind of contact, one button per month
(April to March). Each button names its month, and its tooltip names the
kind too, so the grid can be read without colour.

:func:`build` makes the widget of a registry entry (``kind: contact_plan``),
as ``kyodo.exercise("case5-ex3")`` shows it; the design sheet uses the
widget with its own key and the locale's title.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as W
from IPython.display import display

from ..exercises.contact_plan import ContactPlan, PlanCheck, month_label, plan_of
from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec

_ICON = {"problem": "⚠️", "good": "✅", "note": "ℹ️"}


class ContactPlanWidget(ExerciseWidget):
    def __init__(self, task: ContactPlan, key: str, exercise_id: str, store: Store | None = None,
                 title: str | None = None, instructions: str | None = None, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.task = task
        self.figure = None
        self.alt_text = ""
        self.name = W.Text(value="", placeholder=msg("contact_plan.name_placeholder"),
                           description=msg("contact_plan.name_label"), continuous_update=False,
                           style={"description_width": "9em"}, layout=W.Layout(width="40em"))
        self.name.observe(self._on_name, names="value")
        self.toggles: dict[tuple[str, int], W.ToggleButton] = {}
        rows = []
        for kind in task.kinds:
            label = W.HTML(f"<span title='{esc(kind.clue)}'>{esc(kind.name)}</span>",
                           layout=W.Layout(width="10em"))
            cells = []
            for month in task.months:
                toggle = W.ToggleButton(value=False, description=month_label(month),
                                        tooltip=f"{kind.name}: {month_label(month)}",
                                        layout=W.Layout(width="3.2em", padding="0"))
                toggle.observe(self._on_toggle, names="value")
                self.toggles[(kind.id, month)] = toggle
                cells.append(toggle)
            rows.append(W.HBox([label, *cells]))
        self.main = Choice(options=[(msg("contact_plan.main_none"), None)]
                               + [(month_label(m), m) for m in task.months],
                               value=None, description=msg("contact_plan.main_label"),
                               style={"description_width": "9em"}, layout=W.Layout(width="20em"))
        self.main.observe(self._on_main, names="value")
        self.add_check_buttons()
        self.chart = W.Output()
        self.ui = W.VBox([
            heading(exercise_id, title or msg("contact_plan.title"), instructions or msg("contact_plan.instructions")),
            self.name, *rows, self.main,
            self.check_buttons_row(),
            self.feedback.widget, self.chart,
        ])
        self.restore_quietly()

    # --- the task on screen ---------------------------------------------------------
    def show_task(self) -> None:
        self.name.value = self.task.title
        for (kind_id, month), toggle in self.toggles.items():
            toggle.value = month in self.task.marks[kind_id]
            toggle.button_style = "info" if toggle.value else ""
        self.main.value = self.task.main_event

    # --- callbacks --------------------------------------------------------------
    @guarded
    def _on_toggle(self, change: dict[str, Any]) -> None:
        toggle = change["owner"]
        toggle.button_style = "info" if change["new"] else ""
        if self._restoring:
            return
        self._cancel_reset()
        kind_id, month = next(k for k, t in self.toggles.items() if t is toggle)
        self.task.set_mark(kind_id, month, bool(change["new"]))
        self.save()

    @guarded
    def _on_name(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        notice = self.task.set_title(change["new"])
        if self.task.title != change["new"]:
            with self.quietly():
                self.name.value = self.task.title
        if notice:
            self.feedback.show("warning", notice)
        self.save()

    @guarded
    def _on_main(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        self.task.set_main_event(change["new"])
        self.save()

    def show_check(self, check: PlanCheck) -> None:
        lines = [f"{_ICON[f.level]} {f.message}" for f in check.findings]
        kind = "success" if check.complete else ("info" if not check.marks else "warning")
        self.feedback.show(kind, lines, title=check.summary)
        self.draw()

    def after_reset(self) -> None:
        self.figure = None
        self.alt_text = ""
        self.chart.clear_output()

    # --- chart --------------------------------------------------------------------
    def draw(self) -> None:
        if not self.task.mark_count:
            self.chart.clear_output()
            self.figure = None
            return
        from ..charts import heatmap  # matplotlib, only once there is something to draw
        from ..figures import show_figure

        matrix, rows, cols, text = self.task.matrix()
        chart = heatmap(matrix, rows, cols, msg("contact_plan.chart_title"), cell_text=text)
        self.figure = chart.figure
        head = msg("contact_plan.plan_of", title=self.task.title) if self.task.title else ""
        self.alt_text = "\n".join(x for x in (head, msg("contact_plan.chart_title"), self.task.describe()) if x)
        self.chart.clear_output()
        with self.chart:
            if head:
                display(W.HTML(f"<strong>{esc(head)}</strong>"))
            show_figure(self.figure, self.alt_text)


def build(spec: BuiltSpec, store: Store | None = None) -> ContactPlanWidget:
    """The widget of a registry entry of ``kind: contact_plan`` (its ``params``: the kinds of contact)."""
    return ContactPlanWidget(plan_of(spec), spec.id, spec.label, store=store, title=spec.title,
                             instructions=spec.instructions, legacy_keys=spec.legacy_keys)
