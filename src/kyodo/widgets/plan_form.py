"""Step 7 of the design sheet: the form of collaboration (協働の形).

Four plain questions (who decides, whose budget, who answers to the
public, one-off or continuing) rank the forms (:func:`kyodo.design.plan.choose_forms`);
the learner reads what each fits, its cautions and where the description
comes from, picks one and says why. The logic is in :mod:`kyodo.design.plan`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..citation import case_ref
from ..design.plan import TEXT_LIMIT, FormPlan, choose_forms, form_from_state, form_sources
from ..text import esc, msg
from .plan_common import PlanStepWidget


class FormStepWidget(PlanStepWidget):
    part = "form"
    number = 7
    title_key = "plan.title_form"
    instructions_key = "plan.form_instructions"

    def build(self) -> list[W.Widget]:
        m = self.material
        self.questions = {q.id: self.choice("", [(o.label, o.id) for o in q.options], width="32em")
                          for q in m.questions}
        asked: list[W.Widget] = []
        for n, q in enumerate(m.questions, start=1):
            self.questions[q.id].description = msg("plan.form_question_short", n=n)
            self.questions[q.id].style.description_width = "4em"
            asked += [W.HTML(f"<div style='margin-top:0.4em'>{esc(msg('plan.form_question', n=n, text=q.text))}</div>"),
                      self.questions[q.id]]
        self.candidates = W.HTML(value="")
        self.chosen = self.choice(msg("plan.form_choose"), [(f.name, f.id) for f in m.forms])
        self.details = W.HTML(value="")
        self.reason = self.text(msg("plan.form_reason_label"), TEXT_LIMIT, msg("plan.form_reason_placeholder"),
                                multiline=True)
        return [*asked, self.candidates, self.chosen, self.details, self.reason]

    def plan(self) -> FormPlan:
        return form_from_state(self.state(), self.material)

    def state(self) -> dict[str, Any]:
        return {"answers": {q: box.value for q, box in self.questions.items() if box.value is not None},
                "chosen": self.chosen.value, "reason": self.reason.value}

    def restore(self, state: Any) -> int:
        plan = form_from_state(state, self.material)
        for q, box in self.questions.items():
            box.value = plan.answers.get(q)
        self.chosen.value = plan.chosen
        self.reason.value = plan.reason
        return len(plan.answers) + (plan.chosen is not None) + bool(plan.reason)

    def after_restore(self) -> None:
        self.show_candidates()

    def on_input(self, widget: Any) -> None:
        self.show_candidates()

    # --- what the answers point to, and what the chosen form is ---------------------------------
    def show_candidates(self) -> None:
        plan = self.plan()
        matches = choose_forms(self.material, plan.answers)
        if not matches:
            self.candidates.value = f"<p>{esc(msg('plan.form_candidates_none'))}</p>"
        else:
            items = "".join(
                f"<li>{esc(msg('plan.form_score', name=m.name, n=m.score))}<br><small>"
                + "<br>".join(esc(r) for r in m.reasons) + "</small></li>" for m in matches[:4])
            self.candidates.value = f"<p><strong>{esc(msg('plan.form_candidates'))}</strong></p><ol>{items}</ol>"
        self.details.value = self.form_html(plan.chosen)

    def form_html(self, form_id: str | None) -> str:
        """What a form fits, its cautions, its usual document, and its sources (all escaped)."""
        form = self.material.form(form_id)
        if form is None:
            return ""
        sources = form_sources(self.material, form.id)
        if form.pamphlet_example is not None:
            case = self.course.case(form.pamphlet_example.case)
            sources.append(msg("plan.form_pamphlet", case=case_ref(case), note=form.pamphlet_example.note))
        cautions = "".join(f"<li>{esc(c)}</li>" for c in form.cautions)
        reading = "".join(f"<li>{esc(s)}</li>" for s in sources)
        return (f"<div style='border-left:4px solid #0072B2;padding:0.3em 0.8em;margin:0.4em 0'>"
                f"<p><strong>{esc(form.name)}</strong>: {esc(form.summary)}</p>"
                f"<p>{esc(msg('plan.form_fits', text=form.fits))}</p>"
                f"<p>{esc(msg('plan.form_cautions'))}</p><ul>{cautions}</ul>"
                f"<p>{esc(msg('plan.form_document', text=form.document))}</p>"
                f"<p><small>{esc(msg('plan.form_sources'))}</small></p><ul style='font-size:0.9em'>{reading}</ul></div>")
