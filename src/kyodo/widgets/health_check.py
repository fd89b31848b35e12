"""The collaboration health check as ipywidgets (logic in :mod:`kyodo.exercises.health_check`).

Two tabs, one per rater. Each rater picks 1-5 per item; "結果を見る" shows
the category averages as a chart with a plain-language reading,
"二人の答えを比べる" lists the items to talk about.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..exercises.health_check import (
    HealthCheckMaterial,
    compare_lines,
    interpretation,
    score,
    validate_answers,
)
from ..storage import Store
from ..text import clean_text, esc, msg
from .common import ExerciseWidget, button, guarded, heading

RATERS = ("a", "b")
NAME_LIMIT = 40



def rating_rows(material: Any, on_change: Any) -> tuple[list[W.Widget], dict[str, W.ToggleButtons]]:
    """One rater's rows: each category's heading, then each item with a 1-5 toggle (``value=None``: not answered).

    ``material`` has ``scale``, ``categories`` and ``items`` (the health check's, or the design review's);
    ``on_change`` observes every toggle's value. Returns the rows and the toggles by item id.
    """
    tooltips = [p.label for p in sorted(material.scale, key=lambda p: p.value)]
    rows: list[W.Widget] = []
    toggles: dict[str, W.ToggleButtons] = {}
    for cat in material.categories:
        rows.append(W.HTML(f"<strong>{esc(cat.name)}</strong> <small>({esc(cat.grounded_in)})</small>"))
        for item in (i for i in material.items if i.category == cat.id):
            toggle = W.ToggleButtons(options=[(str(v), v) for v in range(1, 6)], value=None,
                                     tooltips=tooltips, style={"button_width": "3em"})
            toggle.observe(on_change, names="value")
            toggles[item.id] = toggle
            rows.append(W.VBox([W.Label(item.text), toggle]))
    return rows, toggles


class HealthCheckWidget(ExerciseWidget):
    def __init__(self, material: HealthCheckMaterial, key: str = "health_check", exercise_id: str = "診断",
                 store: Store | None = None):
        super().__init__(key, store)
        self.material = material
        self.chart = None
        self.alt_text = ""
        self.buttons: dict[str, dict[str, W.ToggleButtons]] = {r: {} for r in RATERS}
        self.names: dict[str, W.Text] = {}
        pages = []
        for rater in RATERS:
            name = W.Text(value="", placeholder=msg(f"health.rater_{rater}"), description=msg("health.name_label"),
                          style={"description_width": "8em"})
            name.observe(self._on_name, names="value")
            self.names[rater] = name
            rows, self.buttons[rater] = rating_rows(material, self._on_answer)
            pages.append(W.VBox([name, *rows]))
        # A switch and a stack rather than W.Tab: the tab labels of JupyterLab's tab bar fail
        # WCAG AA contrast; toggle buttons pass, and the link also works on the static page.
        self.rater_switch = W.ToggleButtons(options=[(msg(f"health.rater_{r}"), i) for i, r in enumerate(RATERS)],
                                            value=0, description=msg("health.switch_label"),
                                            style={"description_width": "initial"})
        self.pages = W.Stack(children=pages, selected_index=0)
        self.switch_link = W.jslink((self.rater_switch, "index"), (self.pages, "selected_index"))
        self.result_button = button(msg("health.btn_result"), "success", "bar-chart")
        self.compare_button = button(msg("health.btn_compare"), "info", "exchange")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.result_button.on_click(self._on_result)
        self.compare_button.on_click(self._on_compare)
        self.reset_button.on_click(self._on_reset)
        self.output = W.Output()
        scale = " / ".join(f"{p.value} {p.label}" for p in sorted(material.scale, key=lambda p: p.value))
        self.ui = W.VBox([
            heading(exercise_id, msg("health.title"), msg("health.instructions")),
            W.HTML(f"<small>{esc(scale)}</small>"),
            self.rater_switch,
            self.pages,
            W.HBox([self.result_button, self.compare_button, self.reset_button]),
            self.feedback.widget,
            self.output,
        ])
        self.restore_quietly()

    # --- state ------------------------------------------------------------------
    def answers(self, rater: str) -> dict[str, int]:
        return {item_id: t.value for item_id, t in self.buttons[rater].items() if t.value is not None}

    def rater_name(self, rater: str) -> str:
        return self.names[rater].value.strip() or msg(f"health.rater_{rater}")

    def state(self) -> dict[str, Any]:
        return {r: {"name": self.names[r].value, "answers": self.answers(r)} for r in RATERS}

    def restore(self, state: Any) -> int:
        if not isinstance(state, dict):
            return 0
        restored = 0
        for rater in RATERS:
            part = state.get(rater)
            if not isinstance(part, dict):
                continue
            name = part.get("name")
            if isinstance(name, str):
                self.names[rater].value = clean_text(name, NAME_LIMIT)[0]
            for item_id, value in validate_answers(self.material, part.get("answers")).items():
                self.buttons[rater][item_id].value = value
                restored += 1
        return restored

    # --- callbacks --------------------------------------------------------------
    @guarded
    def _on_answer(self, _: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        self.save()

    @guarded
    def _on_name(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        cleaned, cut = clean_text(change["new"], NAME_LIMIT)
        cleaned = cleaned.replace("\n", " ")
        if cleaned != change["new"]:
            self._restoring = True
            change["owner"].value = cleaned
            self._restoring = False
            self.feedback.show("warning", msg("note.too_long", n=NAME_LIMIT) if cut else msg("note.cleaned"))
        self.save()

    @guarded
    def _on_result(self, _: Any = None) -> None:
        self._cancel_reset()
        answered = {r: self.answers(r) for r in RATERS}
        raters = [r for r in RATERS if answered[r]]
        if not raters:
            self.feedback.show("warning", msg("health.not_enough"))
            return
        lines = []
        for r in raters:
            lines += [f"{self.rater_name(r)}: {line}" for line in interpretation(self.material, answered[r])]
        self.feedback.show("info", lines, title=msg("health.result_title"))
        from ..charts import grouped_bar_chart  # matplotlib, only once there is something to draw
        from ..figures import show_figure

        labels = [c.name for c in self.material.categories]
        series = [(self.rater_name(r), [s.mean for s in score(self.material, answered[r])]) for r in raters]
        self.chart = grouped_bar_chart(labels, series, msg("health.chart_title"), msg("health.chart_value"),
                                       limit=(0, 5.5))
        self.alt_text = self.chart.alt_text
        self.output.clear_output()
        with self.output:
            show_figure(self.chart.figure, self.alt_text)

    @guarded
    def _on_compare(self, _: Any = None) -> None:
        self._cancel_reset()
        lines = compare_lines(self.material, self.answers("a"), self.answers("b"),
                              self.rater_name("a"), self.rater_name("b"))
        head, rest = (lines[0], lines[1:]) if len(lines) > 1 else (None, lines)
        kind = "warning" if len(lines) > 1 else "info"
        self.feedback.show(kind, rest, title=head or msg("health.compare_title"))

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = sum(len(self.answers(r)) for r in RATERS)
        self._two_step_reset(msg("widget.reset_ask_answers", n=n), self._clear, n)

    def _clear(self) -> None:
        self._restoring = True
        for r in RATERS:
            self.names[r].value = ""
            for toggle in self.buttons[r].values():
                toggle.value = None
        self._restoring = False
        self.chart = None
        self.output.clear_output()
