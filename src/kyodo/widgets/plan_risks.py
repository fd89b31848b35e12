"""Step 9 of the design sheet: risks and personal information (リスクと個人情報).

Rows of risks (what, how likely, who responds, the response) and whether
personal information is handled: whose, which party keeps it, how it is
protected. Data and checks: :mod:`kyodo.design.plan`, :mod:`kyodo.design.checks`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..design.plan import MAX_ROWS, SHORT_LIMIT, TEXT_LIMIT, risks_from_state
from ..design.sheet import key
from ..text import esc, msg
from .common import button, guarded
from .plan_common import PlanStepWidget

FIRST_ROWS = 3


class RisksStepWidget(PlanStepWidget):
    part = "risks"
    number = 9
    title_key = "plan.title_risks"
    instructions_key = "plan.risks_instructions"
    watches = (key("partners"), key("issue"))

    shown: int = FIRST_ROWS

    def build(self) -> list[W.Widget]:
        design = self.design()
        owners = self.party_options(design)
        levels = [(x.name, x.id) for x in self.material.likelihoods]
        self.rows = []
        boxes = []
        for n in range(1, self.shown + 1):
            row = {"text": self.text(msg("plan.risk_label", n=n), SHORT_LIMIT * 2, msg("plan.ph_risk") if n == 1 else ""),
                   "likelihood": self.choice(msg("plan.risk_likelihood"), levels),
                   "owner": self.choice(msg("plan.risk_owner"), owners),
                   "response": self.text(msg("plan.risk_response"), TEXT_LIMIT,
                                         msg("plan.ph_response") if n == 1 else "", multiline=True)}
            self.rows.append(row)
            boxes.append(W.VBox(list(row.values()), layout=W.Layout(border="1px solid #ccc", padding="0.3em",
                                                                      margin="0.2em 0")))
        self.row_boxes = boxes
        self.more = button(msg("plan.more_rows"), "primary", "plus")
        self.more.on_click(self._on_more)
        examples = W.HTML(f"<p><small>{esc(msg('plan.risk_examples', items='、'.join(self.material.risk_examples)))}"
                          "</small></p>")
        self.handled = self.choice(msg("plan.personal_handled"), [(msg("plan.personal_yes"), "yes"),
                                                                  (msg("plan.personal_no"), "no")])
        self.whose = self.text(msg("plan.personal_whose"), TEXT_LIMIT, msg("plan.ph_whose"))
        self.keeper = self.choice(msg("plan.personal_keeper"), self.party_options(design, with_all=False))
        self.protection = self.text(msg("plan.personal_protection"), TEXT_LIMIT, msg("plan.ph_protection"),
                                    multiline=True)
        self.personal_box = W.VBox([self.whose, self.keeper, self.protection])
        return [examples, *boxes, W.HBox([self.more]), W.HTML(f"<strong>{esc(msg('plan.personal_head'))}</strong>"),
                self.handled, self.personal_box]

    def state(self) -> dict[str, Any]:
        risks = [{"text": r["text"].value, "likelihood": r["likelihood"].value, "owner": r["owner"].value,
                  "response": r["response"].value} for r in self.rows]
        return {"risks": [r for r in risks if any(r.values())],
                "personal": {"handled": self.handled.value, "whose": self.whose.value, "keeper": self.keeper.value,
                             "protection": self.protection.value}}

    def restore(self, state: Any) -> int:
        risks = risks_from_state(state, self.material)
        need = max(self.shown, min(len(risks.risks) + 1, MAX_ROWS))
        if need != self.shown:  # rows are built as they are needed
            self.shown = need
            self.rebuild()
        for row, risk in zip(self.rows, (*risks.risks, *[None] * len(self.rows))):
            row["text"].value = risk.text if risk else ""
            row["likelihood"].value = risk.likelihood if risk else None
            self.set_choice(row["owner"], risk.owner if risk else None)
            row["response"].value = risk.response if risk else ""
        p = risks.personal
        self.handled.value = p.handled
        self.whose.value = p.whose
        self.set_choice(self.keeper, p.keeper)
        self.protection.value = p.protection
        return len(risks.risks) + (not p.empty)

    def after_restore(self) -> None:
        self.show_rows()

    def on_input(self, widget: Any) -> None:
        if widget is self.handled:
            self.show_rows()

    def show_rows(self) -> None:
        self.more.disabled = self.shown >= MAX_ROWS
        # whose, who keeps it and how: asked only when personal information is handled (kept when it is not)
        self.personal_box.layout.display = None if self.handled.value == "yes" else "none"

    @guarded
    def _on_more(self, _: Any = None) -> None:
        if self.shown >= MAX_ROWS:
            self.feedback.show("info", msg("plan.rows_limit", n=MAX_ROWS))
            return
        kept = self.state()
        self.shown += 1
        with self.quietly():
            self.rebuild()
            self.restore(kept)
            self.after_restore()
