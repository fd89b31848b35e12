"""Step 12 of the design sheet: the review after the project and moving on (振り返りと相互評価).

Each side (自分たち and every partner of step 3) answers the same items on
the 1–5 scale from its own side, like the health check's two raters (a
switch and a stack, not tabs: the toggle buttons pass WCAG AA contrast).
「答えを比べる」 lists the items where the sides' views differ (the health
check's comparison, over every pair) and each side's reading. Then the
partners decide to continue, change or close; the decision shows the next
steps it leads to, and the learner writes the first of them (what, who, by
when). Logic: :mod:`kyodo.design.review`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..design.plan import SHORT_LIMIT, TEXT_LIMIT
from ..design.review import gap_line, next_steps, reading, review_from_state, review_gaps
from ..design.sheet import key
from ..text import esc, msg
from .common import Choice, button, guarded
from .health_check import rating_rows
from .plan_common import PlanStepWidget


class ReviewStepWidget(PlanStepWidget):
    part = "review"
    number = 12
    title_key = "review.title"
    instructions_key = "review.instructions"
    watches = (key("partners"), key("issue"))

    def build(self) -> list[W.Widget]:
        design = self.design()
        material = self.material.review
        self.names = design.party_names()
        self.sides = list(self.names)
        self.toggles: dict[str, dict[str, W.ToggleButtons]] = {}
        pages = []
        for side in self.sides:
            rows, self.toggles[side] = rating_rows(material, self._on_change)
            pages.append(W.VBox(rows))
        self.side_switch = W.ToggleButtons(options=[(self.names[s], i) for i, s in enumerate(self.sides)], value=0,
                                           description=msg("review.side_label"),
                                           style={"description_width": "initial"})
        self.pages = W.Stack(children=pages, selected_index=0)
        self.switch_link = W.jslink((self.side_switch, "index"), (self.pages, "selected_index"))
        scale = " / ".join(f"{p.value} {p.label}" for p in sorted(material.scale, key=lambda p: p.value))
        self.compare_button = button(msg("review.btn_compare"), "info", "exchange")
        self.compare_button.on_click(self._on_compare)
        self.compared = W.HTML(value="")
        self.decision: Choice = self.choice(msg("review.decision_label"),
                                            [(d.name, d.id) for d in self.material.decisions])
        self.leads_to = W.HTML(value="")
        self.next_what = self.text(msg("review.next_what"), TEXT_LIMIT, msg("review.ph_next_what"), multiline=True)
        self.next_who = self.text(msg("review.next_who"), SHORT_LIMIT, msg("review.ph_next_who"))
        self.next_when = self.text(msg("review.next_when"), SHORT_LIMIT, msg("review.ph_next_when"))
        self.notes = self.text(msg("review.notes"), TEXT_LIMIT * 2, multiline=True)
        return [W.HTML(f"<small>{esc(scale)}</small>"), self.side_switch, self.pages, W.HBox([self.compare_button]),
                self.compared, self.decision, self.leads_to, W.HTML(f"<strong>{esc(msg('review.next_head'))}</strong>"),
                self.next_what, self.next_who, self.next_when, self.notes]

    def state(self) -> dict[str, Any]:
        kept = dict(getattr(self, "_hidden", {}))  # answers of a side no longer in step 3 are kept
        kept.update({s: {i: t.value for i, t in toggles.items() if t.value is not None}
                     for s, toggles in self.toggles.items()})
        return {"answers": {s: a for s, a in kept.items() if a}, "decision": self.decision.value,
                "next_what": self.next_what.value, "next_who": self.next_who.value,
                "next_when": self.next_when.value, "notes": self.notes.value}

    def restore(self, state: Any) -> int:
        review = review_from_state(state, self.material)
        self._hidden = {s: a for s, a in review.answers.items() if s not in self.toggles}
        n = 0
        for side, toggles in self.toggles.items():
            for item_id, toggle in toggles.items():
                toggle.value = review.answers.get(side, {}).get(item_id)
                n += toggle.value is not None
        self.decision.value = review.decision
        self.next_what.value = review.next_what
        self.next_who.value = review.next_who
        self.next_when.value = review.next_when
        self.notes.value = review.notes
        return n + (review.decision is not None)

    def after_restore(self) -> None:
        self.show_decision()
        self.compared.value = ""

    def on_input(self, widget: Any) -> None:
        if widget is self.decision:
            self.show_decision()

    def show_decision(self) -> None:
        decision = self.material.decision(self.decision.value)
        if decision is None:
            self.leads_to.value = "".join(
                f"<p><small>{esc(d.name)}: {esc(msg('review.when_line', text=d.when))}</small></p>"
                for d in self.material.decisions)
            return
        steps = "".join(f"<li>{esc(s)}</li>" for s in next_steps(self.material, review_from_state(self.state(),
                                                                                                  self.material)))
        self.leads_to.value = (f"<p>{esc(msg('review.leads_to', decision=decision.name))}</p><ol>{steps}</ol>")

    @guarded
    def _on_compare(self, _: Any = None) -> None:
        review = review_from_state(self.state(), self.material)
        if len(review.rated_sides()) < 2:
            self.feedback.show("info", msg("review.gaps_wait"))
            self.compared.value = ""
            return
        gaps = review_gaps(self.material, review)
        names = self.design().party_names()
        if gaps:
            self.feedback.show("warning", [gap_line(g, names) for g in gaps],
                               title=msg("review.gaps_head", d=self.material.review.flag_difference))
        else:
            self.feedback.show("success", msg("review.gaps_none"))
        lines = reading(self.material, review, names)
        self.compared.value = "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
