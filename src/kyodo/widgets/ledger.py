"""The mutual-benefit ledger as ipywidgets (logic in :mod:`kyodo.exercises.ledger`).

One dropdown per statement chooses its column; under them, the learner's
ledger is shown as a table (one column per party, shared, nobody) and is
kept up to date as they choose. The check marks each row and lists the
ledger-level flags first: a party with no benefit of its own, a
distractor that someone "gains".
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..exercises.ledger import BenefitLedger
from ..exercises.sorting import Mark
from ..storage import Store
from ..text import esc, msg
from .choices import ChoiceRowsWidget, RowMark, Verdict

ICONS = {Mark.CORRECT: "✅", Mark.WRONG: "❌", Mark.UNANSWERED: "…"}


class LedgerWidget(ChoiceRowsWidget):
    """Put each benefit statement in a column of the ledger, then check the ledger."""

    label_width = "27em"
    choice_width = "15em"

    def __init__(self, ledger: BenefitLedger, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        self.task = self.ledger = ledger
        self.table = W.HTML(value="")
        super().__init__(key, exercise_id, title, instructions,
                         rows=[(s.id, s.text) for s in ledger.statements],
                         options=ledger.columns, store=store)
        self.ui.children = (*self.ui.children, self.table)
        self.refresh_table()

    # --- ChoiceRowsWidget ------------------------------------------------------------
    def record(self, row_id: str, value: Any) -> None:
        self.ledger.assign(row_id, value)
        self.refresh_table()

    def current(self, row_id: str) -> Any:
        return self.ledger.answers[row_id]

    def clear_task(self) -> None:
        super().clear_task()
        self.refresh_table()

    def verdict(self) -> Verdict:
        check = self.ledger.check()
        wrong = check.total - check.correct - check.unanswered
        flags = self.ledger.flags(check)
        kind = "success" if check.complete else ("warning" if wrong or flags else "info")
        lines = [f"⚠️ {line}" for line in flags]
        lines += [f"{ICONS[r.mark]} {r.statement.text}: {r.message}"
                  for r in check.results if r.mark is not Mark.UNANSWERED]
        marks = tuple(RowMark(r.statement.id, ICONS[r.mark], r.message) for r in check.results)
        self.refresh_table()
        return Verdict(kind, check.summary, marks, tuple(lines) or (msg("ledger.nothing_yet"),))

    # --- the ledger table ------------------------------------------------------------
    def table_html(self) -> str:
        """The learner's ledger as an HTML table, every statement escaped."""
        table = self.ledger.ledger()
        head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em;border-bottom:1px solid #999'>"
                       f"{esc(label)}</th>" for label, _ in self.ledger.columns)
        cells = []
        for _, column in self.ledger.columns:
            entries = table[column]
            body = ("<ul style='margin:0;padding-left:1.2em'>" + "".join(f"<li>{esc(s.text)}</li>" for s in entries)
                    + "</ul>") if entries else f"<span style='color:#555'>{esc(msg('ledger.table_empty'))}</span>"
            cells.append(f"<td style='vertical-align:top;padding:0.3em 0.6em'>{body}</td>")
        return (f"<table style='border-collapse:collapse;margin:0.5em 0;font-size:0.95em'>"
                f"<caption style='text-align:left;font-weight:bold'>{esc(msg('ledger.table_caption'))}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody><tr>{''.join(cells)}</tr></tbody></table>")

    def refresh_table(self) -> None:
        self.table.value = self.table_html()
