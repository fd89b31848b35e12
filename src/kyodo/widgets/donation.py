"""The donation calculator as ipywidgets (logic in :mod:`kyodo.exercises.donation`).

Three text boxes (monthly spending of one user, number of users, an
optional guess), a button that calculates, a hint and the two-step reset,
which brings back the course's hypothetical example. The result is shown
in words, as a table and as a bar chart marked 架空の例, with the chart's
alternative text in a ``<details>`` under it. The chart for the starting
example is drawn at once, so the published page shows it too.

:func:`build` makes the widget of a registry entry (``kind: donation``), as
``kyodo.exercise("case2-ex3")`` shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import ipywidgets as W
from matplotlib.ticker import FuncFormatter

from ..charts import Chart, bar_chart
from ..data import load_course
from ..exercises.donation import (MAX_INPUT_CHARS, Estimate, Quantity, estimate, judge_guess, parse_amount,
                                  rate_text, settings_of)
from ..figures import figure_html
from ..storage import Store
from ..text import clean_text, esc, msg
from .common import ExerciseWidget, Feedback, button, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec

_STYLE = {"description_width": "17em"}
_LAYOUT = {"width": "98%", "max_width": "32em"}


def plain_ticks(chart: Chart) -> None:
    """Write the value axis in whole yen with thousands separators (no ``1e6`` offset)."""
    for ax in chart.figure.axes:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        for label in ax.get_xticklabels():
            label.set_rotation(20)
    chart.figure.tight_layout()


class DonationWidget(ExerciseWidget):
    """Work out the donation that hypothetical card spending would bring."""

    def __init__(self, rate: float | Decimal, default_spending: int, default_users: int, key: str,
                 label: str, title: str, instructions: str, store: Store | None = None,
                 legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.rate = rate
        self.defaults = {"spending": f"{default_spending}", "users": f"{default_users}", "guess": ""}
        self.chart: Chart | None = None
        self.estimate: Estimate | None = None
        self.spending = W.Text(value=self.defaults["spending"], description=msg("donation.field_spending"),
                               style=_STYLE, layout=W.Layout(**_LAYOUT), continuous_update=False)
        self.users = W.Text(value=self.defaults["users"], description=msg("donation.field_users"),
                            style=_STYLE, layout=W.Layout(**_LAYOUT), continuous_update=False)
        self.guess = W.Text(value="", description=msg("donation.field_guess"), placeholder=msg("donation.placeholder_guess"),
                            style=_STYLE, layout=W.Layout(**_LAYOUT), continuous_update=False)
        self.calculate_button = button(msg("donation.btn_calculate"), "success", "calculator")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.calculate_button.on_click(self._on_calculate)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.table = W.HTML(value="")
        self.figure_box = W.HTML(value="")
        banner = Feedback()
        banner.show("warning", msg("donation.hypothetical_banner"))
        self.ui = W.VBox([
            heading(label, title, instructions),
            banner.widget,
            W.VBox([self.spending, self.users, self.guess]),
            W.HBox([self.calculate_button, self.hint_button, self.reset_button]),
            self.feedback.widget,
            self.table,
            self.figure_box,
        ])
        self._restore_saved()
        self._calculate(show_feedback=not self.feedback.text)

    # --- state ---------------------------------------------------------------------
    def _fields(self) -> dict[str, W.Text]:
        return {"spending": self.spending, "users": self.users, "guess": self.guess}

    def state(self) -> dict[str, Any]:
        return {name: field.value for name, field in self._fields().items()}

    def restore(self, state: Any) -> int:
        if not isinstance(state, dict):
            return 0
        n = 0
        for name, field in self._fields().items():
            value = state.get(name)
            if isinstance(value, str):
                field.value, _ = clean_text(value, MAX_INPUT_CHARS)
                n += 1
        return n

    @property
    def changed(self) -> int:
        """How many boxes differ from the starting example (what a reset would undo)."""
        return sum(field.value != self.defaults[name] for name, field in self._fields().items())

    # --- callbacks --------------------------------------------------------------------
    @guarded
    def _on_calculate(self, _: Any = None) -> None:
        self._cancel_reset()
        if self._calculate(show_feedback=True):
            self.save()

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", msg("donation.hint", rate=rate_text(Decimal(str(self.rate)))))

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        self._two_step_reset(msg("donation.reset_ask"), self._clear, self.changed)

    def _clear(self) -> None:
        for name, field in self._fields().items():
            field.value = self.defaults[name]
        self._calculate(show_feedback=False)

    # --- calculating ------------------------------------------------------------------
    def _calculate(self, show_feedback: bool) -> bool:
        """Parse the boxes and show the result; on bad input explain, keep the last result. Returns success."""
        spending = parse_amount(self.spending.value, Quantity.SPENDING)
        users = parse_amount(self.users.value, Quantity.USERS)
        guess_text = self.guess.value.strip() if isinstance(self.guess.value, str) else ""
        guess = parse_amount(guess_text, Quantity.GUESS) if guess_text else None
        problems = [p.message for p in (spending, users, guess) if p is not None and not p.ok]
        if problems:
            self.feedback.show("warning", [*problems, msg("donation.fix_first")])
            return False
        assert spending.value is not None and users.value is not None
        est = estimate(spending.value, users.value, self.rate)
        self.estimate = est
        self._draw(est)
        if not show_feedback:
            return True
        summary = (msg("donation.summary_zero") if est.all_year == 0 and est.total_spending == 0
                   else msg("donation.summary", month=f"{est.all_month:,}", year=f"{est.all_year:,}"))
        lines = est.explanation()
        kind = "info"
        if guess is not None and guess.value is not None:
            result = judge_guess(guess.value, est)
            lines.insert(0, ("✅ " if result.right else "❌ ") + result.message)
            kind = "success" if result.right else "warning"
        self.feedback.show(kind, lines, title=summary)
        return True

    def _draw(self, est: Estimate) -> None:
        rows = est.rows()
        self.chart = bar_chart([label for label, _ in rows], [value for _, value in rows],
                               msg("donation.chart_title"), msg("donation.chart_axis"), unit="円", hypothetical=True)
        plain_ticks(self.chart)
        head = "".join(f"<th scope='col' style='text-align:left;padding:0.2em 0.6em'>{esc(h)}</th>"
                       for h in ("", msg("donation.chart_axis")))
        body = "".join(f"<tr><td style='padding:0.2em 0.6em'>{esc(label)}</td>"
                       f"<td style='padding:0.2em 0.6em;text-align:right'>{value:,}</td></tr>" for label, value in rows)
        self.table.value = (f"<table style='border-collapse:collapse;margin:0.4em 0'><caption style='text-align:left;"
                            f"font-weight:bold'>{esc(msg('donation.table_caption'))}</caption><thead><tr>{head}</tr>"
                            f"</thead><tbody>{body}</tbody></table>")
        self.figure_box.value = figure_html(self.chart.figure, self.chart.alt_text, max_width="720px")


def build(spec: BuiltSpec, store: Store | None = None) -> DonationWidget:
    """The widget of a registry entry of ``kind: donation``: the case's rate, the entry's hypothetical numbers."""
    rate, params = settings_of(spec, load_course())
    return DonationWidget(rate, params.default_spending, params.default_users, spec.id, spec.label, spec.title,
                          spec.instructions, store=store, legacy_keys=spec.legacy_keys)
