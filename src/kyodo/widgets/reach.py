"""The "alone or together" exercise as ipywidgets (logic in :mod:`kyodo.exercises.reach`).

One row per audience with a tick box per option (each party alone, and
"only together"). Once every row has an answer, "答え合わせ" also draws
the table of who reaches whom, alone and together (:func:`reach_chart`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..charts import Chart, heatmap
from ..diagrams import wrap_label
from ..exercises.reach import ReachMark, ReachTable, ReachTask, reach_table
from ..storage import Store
from ..text import esc, msg
from .common import ExerciseWidget, guarded, heading
from .figure import show_chart

ICONS = {
    ReachMark.CORRECT: "✅",
    ReachMark.PARTIAL: "🔶",
    ReachMark.WRONG: "❌",
    ReachMark.CONTRADICTORY: "⚠️",
    ReachMark.UNANSWERED: "…",
}


def reach_chart(table: ReachTable, title: str, note: str) -> Chart:
    """Who reaches whom, as a grid: 届く where a column reaches a row, darker where only together does.

    The counts under the column names are counts of audiences, not of
    people; ``note`` says so under the chart.
    """
    last = len(table.parties)
    matrix = [[(2 if (j == last and new) else 1) if v else 0 for j, v in enumerate(row)]
              for row, new in zip(table.reached, table.new)]
    cells = [[(msg("reach.chart_cell_new") if value == 2 else msg("reach.chart_cell")) if value else ""
              for value in row] for row in matrix]
    columns = [msg("reach.chart_column_alone", party=p, n=table.count(i)) for i, p in enumerate(table.parties)]
    columns.append(msg("reach.chart_column_together", n=table.count(last)))
    rows = [wrap_label(r, 13) for r in table.rows]
    chart = heatmap(matrix, rows, columns, title, cell_text=cells)
    fig = chart.figure
    fig.set_size_inches(8.4, 0.8 * len(rows) + 2.4)
    ax = fig.axes[0]
    ax.set_aspect("auto")
    ax.set_xticks(range(len(columns)), labels=columns, rotation=0, ha="center")
    ax.xaxis.tick_top()
    fig.text(0.01, 0.01, note, ha="left", va="bottom", fontsize=9)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    lines = [title]
    for i, column in enumerate(table.columns):
        names = "".join(f"「{r}」" for r, row in zip(table.names, table.reached) if row[i])
        lines.append(msg("reach.alt_column", column=column, n=table.count(i), names=names or "—"))
    added = "".join(f"「{r}」" for r, new in zip(table.names, table.new) if new)
    if added:
        lines.append(msg("reach.alt_new", names=added))
    lines.append(note)
    return Chart(fig, "\n".join(lines))


class ReachWidget(ExerciseWidget):
    """Tick who reaches each audience; check; then see the table of who reaches whom."""

    def __init__(self, task: ReachTask, key: str, exercise_id: str, title: str, instructions: str,
                 chart_title: str, chart_note: str, store: Store | None = None):
        super().__init__(key, store)
        self.task = task
        self.chart_title = chart_title
        self.chart_note = chart_note
        self.chart: Chart | None = None
        self.boxes: dict[str, dict[str, W.Checkbox]] = {}
        self.marks: dict[str, W.HTML] = {}
        rows = []
        for audience in task.shown:
            boxes = {}
            for option in task.options:
                box = W.Checkbox(value=False, description=task.option_label(option), indent=False,
                                 layout=W.Layout(width="auto", margin="0 1.5em 0 0"))
                box.observe(self._on_tick, names="value")
                boxes[option] = box
            self.boxes[audience.id] = boxes
            self.marks[audience.id] = W.HTML(value="")
            rows.append(W.VBox([W.HTML(f"<strong>{esc(audience.name)}</strong>"),
                                W.HBox(list(boxes.values())), self.marks[audience.id]],
                               layout=W.Layout(margin="0 0 0.6em 0")))
        self.add_check_buttons()
        self.figure_area = W.Output()
        self.ui = W.VBox([heading(exercise_id, title, instructions), *rows,
                          self.check_buttons_row(),
                          self.feedback.widget, self.figure_area])
        self.restore_quietly()

    # --- state -------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.task.to_state()

    def restore(self, state: Any) -> int:
        n = self.task.load_state(state)
        self._sync_boxes()
        return n

    def _sync_boxes(self) -> None:
        self._restoring = True
        for audience_id, boxes in self.boxes.items():
            for option, box in boxes.items():
                box.value = option in self.task.ticks[audience_id]
        self._restoring = False

    # --- callbacks ------------------------------------------------------------
    @guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        for audience_id, boxes in self.boxes.items():
            for option, box in boxes.items():
                if box is change["owner"]:
                    self.task.tick(audience_id, option, bool(change["new"]))
                    self.marks[audience_id].value = ""
        self.save()

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        check = self.task.check()
        for r in check.results:
            self.marks[r.audience.id].value = f"<span>{ICONS[r.mark]} {esc(r.message)}</span>"
        if check.unanswered == check.total:
            self.feedback.show("info", check.summary)
            return
        lines = [f"{ICONS[r.mark]} {r.audience.name}: {r.message}" for r in check.results
                 if r.mark is not ReachMark.UNANSWERED]
        if not check.all_answered:
            lines.append(msg("reach.chart_after_all"))
        self.feedback.show("success" if check.complete else "warning", lines, title=check.summary)
        if check.all_answered:
            self.draw()

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.task.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = self.task.answered
        self._two_step_reset(msg("reach.reset_ask", n=n), self._clear, n)

    def _clear(self) -> None:
        self.task.reset()
        self._sync_boxes()
        for mark in self.marks.values():
            mark.value = ""
        self.chart = None
        self.figure_area.clear_output()

    def draw(self) -> None:
        self.chart = reach_chart(reach_table(self.task), self.chart_title, self.chart_note)
        self.figure_area.clear_output()
        with self.figure_area:
            show_chart(self.chart)
