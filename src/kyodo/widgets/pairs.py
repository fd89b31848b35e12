"""The pair-placement exercise as ipywidgets (logic in :mod:`kyodo.exercises.pairs`).

Each case gets a row with two dropdowns (its two kinds of actor). Once
every case is placed right, the 6×6 table of kinds is drawn as a heatmap
with the case numbers in the covered cells (:func:`coverage_chart`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
from matplotlib.patches import Rectangle

from ..charts import Chart, heatmap
from ..exercises.pairs import Coverage, PairMark, PairPlacement
from ..storage import Store
from ..style import PALETTE
from ..text import esc, msg
from .common import Choice, ExerciseWidget, guarded, heading
from .figure import show_chart

ICONS = {
    PairMark.CORRECT: "✅",
    PairMark.ONE_RIGHT: "🔶",
    PairMark.WRONG: "❌",
    PairMark.INCOMPLETE: "…",
    PairMark.SAME_TYPE: "❌",
    PairMark.UNANSWERED: "…",
}


def coverage_chart(cov: Coverage) -> Chart:
    """The 6×6 table of kinds: covered pairs show their case numbers, uncovered ones a dash.

    Each pair is drawn once, below the diagonal; the diagonal and the upper
    half are shaded, so no pair is counted twice. The alternative text
    lists the covered and the uncovered pairs.
    """
    kinds = cov.kinds
    n = len(kinds)
    matrix = [[0] * n for _ in range(n)]
    text = [[""] * n for _ in range(n)]
    for i in range(n):
        for j in range(i):
            cases = cov.cases_of.get(frozenset((kinds[i].id, kinds[j].id)), ())
            matrix[i][j] = len(cases)
            text[i][j] = "\n".join(f"CASE{c.number}" for c in cases) if cases else msg("pairs.chart_none")
    names = [k.name for k in kinds]
    chart = heatmap(matrix, names, names, msg("pairs.chart_title"), cell_text=text)
    ax = chart.figure.axes[0]
    for i in range(n):
        for j in range(i, n):
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=PALETTE["grey"], alpha=0.3,
                                   edgecolor=PALETTE["grey"], linewidth=0, hatch="//"))
    chart.figure.set_size_inches(8.4, 6.6)
    chart.figure.text(0.01, 0.01, msg("pairs.chart_note"), ha="left", va="bottom", fontsize=9, wrap=True)
    chart.figure.tight_layout(rect=(0, 0.05, 1, 1))
    return Chart(chart.figure, coverage_alt_text(cov))


def coverage_alt_text(cov: Coverage) -> str:
    covered = cov.covered
    lines = [msg("pairs.chart_title"),
             msg("pairs.alt_counts", total=len(cov.pairs), covered=len(covered), uncovered=len(cov.uncovered))]
    for pair in covered:
        numbers = "・".join(f"CASE{c.number}" for c in cov.cases_of[pair])
        lines.append(msg("pairs.alt_covered", pair=cov.pair_name(pair), cases=numbers))
    lines.append(msg("pairs.alt_uncovered", pairs="、".join(cov.pair_name(p) for p in cov.uncovered)))
    missing = cov.kinds_without_case()
    if missing:
        lines.append(msg("pairs.alt_no_case", kinds="、".join(k.name for k in missing)))
    return "\n".join(lines)


class PairPlacementWidget(ExerciseWidget):
    """Choose two kinds of actor for each case, check, and see the table of covered pairs."""

    def __init__(self, task: PairPlacement, cov: Coverage, key: str, exercise_id: str, title: str,
                 instructions: str, store: Store | None = None):
        super().__init__(key, store)
        self.task = task
        self.coverage = cov
        self.chart: Chart | None = None
        options = [(msg("widget.choose"), None)] + [(k.name, k.id) for k in task.kinds]
        self.choices: dict[str, tuple[Choice, Choice]] = {}
        self.marks: dict[str, W.HTML] = {}
        rows = []
        for case in task.cases:
            first = Choice(options=options, value=None, description=msg("pairs.slot_first"),
                               style={"description_width": "4em"}, layout=W.Layout(width="18em"))
            second = Choice(options=options, value=None, description=msg("pairs.slot_second"),
                                style={"description_width": "4em"}, layout=W.Layout(width="18em"))
            first.observe(self._on_choice, names="value")
            second.observe(self._on_choice, names="value")
            self.choices[case.id] = (first, second)
            self.marks[case.id] = W.HTML(value="")
            rows.append(W.VBox([W.HTML(f"<strong>{esc(case.label)}</strong>"),
                                W.HBox([first, second]), self.marks[case.id]],
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
        self._restoring = True
        for case_id, (first, second) in self.choices.items():
            first.value, second.value = self.task.given(case_id)
        self._restoring = False
        return n

    # --- callbacks ------------------------------------------------------------
    @guarded
    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        for case_id, pair in self.choices.items():
            for slot, dropdown in enumerate(pair):
                if dropdown is change["owner"]:
                    self.task.choose(case_id, slot, change["new"])
                    self.marks[case_id].value = ""
        self.save()

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        check = self.task.check()
        for r in check.results:
            self.marks[r.case.id].value = f"<span>{ICONS[r.mark]} {esc(r.message)}</span>"
        if check.unanswered == check.total:
            self.feedback.show("info", check.summary)
            return
        kind = "success" if check.complete else "warning"
        lines = [f"{ICONS[r.mark]} CASE{r.case.number}: {r.message}" for r in check.results
                 if r.mark is not PairMark.UNANSWERED]
        self.feedback.show(kind, lines, title=check.summary)
        if check.complete:
            self.draw()

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.task.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = self.task.answered
        self._two_step_reset(msg("widget.reset_ask_answers", n=n), self._clear, n)

    def _clear(self) -> None:
        self.task.reset()
        self._restoring = True
        for first, second in self.choices.values():
            first.value = second.value = None
        self._restoring = False
        for mark in self.marks.values():
            mark.value = ""
        self.chart = None
        self.figure_area.clear_output()

    def draw(self) -> None:
        self.chart = coverage_chart(self.coverage)
        self.figure_area.clear_output()
        with self.figure_area:
            show_chart(self.chart)
