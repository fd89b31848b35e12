"""Step 6 of the design sheet: the first step, with a contact for any municipality (最初の一歩).

Whom to contact first is chosen: the course's default is Kawasaki's
consultation desk (``data/contacts.yml``, shown as the pamphlet gives it);
it can be the desk of the learner's own municipality, a colleague, or an
intermediary organisation (中間支援組織), each with the fields it needs
(municipality, desk, phone, e-mail, site). Then, as before, what to ask,
who contacts them and by when. The contact is saved with the step
(``contact`` beside ``values``) and only when it is not the default, so a
step saved before it existed reads the same. Logic: :mod:`kyodo.design.plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from ..data import Course
from ..design.partnering import load_partnering
from ..design.plan import CONTACT_FIELDS, CONTACT_LIMITS, Contact, contact_card, contact_format_problems, contact_from_state
from ..design.steps import DesignForm
from ..storage import Store
from ..text import clean_text, esc, msg
from .common import Choice, guarded
from .form import Field

LABEL = {"description_width": "12em"}


class FirstStepWidget(DesignForm):
    """The first step: the contact (configurable, Kawasaki's desk by default), then what to ask, who, when."""

    def __init__(self, course: Course, key: str, exercise_id: str, title: str, instructions: str,
                 fields: Sequence[Field], store: Store | None = None, debounce: float = 1.0):
        self.course = course
        self.material = load_partnering()
        self.kind = Choice(options=[(c.name, c.id) for c in self.material.first_contacts], value=None,
                           description=msg("plan.contact_kind"), style=LABEL, layout=W.Layout(width="95%"))
        self.kind.value = self.material.first_contacts[0].id
        self.kind.observe(self._on_contact, names="value")
        self.contact_inputs: dict[str, W.Text] = {}
        for f in CONTACT_FIELDS:
            box = W.Text(value="", placeholder=msg(f"plan.ph_{f}"), description=msg(f"plan.contact_{f}"), style=LABEL,
                         layout=W.Layout(width="95%"))
            box.observe(self._on_contact, names="value")
            self.contact_inputs[f] = box
        self.card = W.HTML(value="")
        super().__init__(key, exercise_id, title, instructions, fields, store=store, debounce=debounce)
        head, *rest = self.ui.children
        self.ui = W.VBox([head, self.kind, *self.contact_inputs.values(), self.card, *rest])
        self.show_contact()

    # --- the contact --------------------------------------------------------------------------
    def contact(self) -> Contact:
        kind = None if self.kind.value == self.material.first_contacts[0].id else self.kind.value
        return contact_from_state({"kind": kind, **{f: box.value for f, box in self.contact_inputs.items()}},
                                  self.material)

    def show_contact(self) -> None:
        """The fields the chosen kind uses, and the contact as it will be printed."""
        kind = self.material.first_contact(self.kind.value)
        for f, box in self.contact_inputs.items():
            box.layout.display = "none" if kind.course_desk or (f == "municipality" and kind.id != "other_city") else None
            box.description = msg(f"plan.contact_desk_{kind.id}") if f == "desk" and not kind.course_desk \
                else msg(f"plan.contact_{f}")
        card = contact_card(self.contact(), self.material, self.course.contacts.consultation_desk)
        lines = "".join(f"<li>{esc(label)}: {esc(value)}</li>" for label, value in card.lines)
        self.card.value = f"<p><strong>{esc(card.kind_name)}</strong></p><ul>{lines}</ul>" if lines else ""

    @guarded
    def _on_contact(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        widget = change["owner"]
        field = next((f for f, box in self.contact_inputs.items() if box is widget), None)
        if field is not None:
            cleaned, cut = clean_text(change["new"].replace("\n", " "), CONTACT_LIMITS[field])
            if cleaned != change["new"]:
                with self.quietly():
                    widget.value = cleaned
                self.feedback.show("warning", msg("note.too_long", n=CONTACT_LIMITS[field]) if cut
                                   else msg("note.cleaned"))
            else:
                bad = contact_format_problems(self.contact())
                if field in bad:
                    self.feedback.show("warning", msg(f"plan.bad_{field}", value=widget.value.strip()))
                else:
                    self.feedback.clear()
        self.show_contact()
        self.schedule_save()

    # --- state --------------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        state = super().state()
        contact = self.contact()
        if not contact.empty:
            state["contact"] = contact.to_state()
        return state

    def restore(self, state: Any) -> int:
        n = super().restore(state)
        raw = state.get("contact") if isinstance(state, dict) else None
        contact = contact_from_state(raw, self.material)
        self.kind.value = contact.kind or self.material.first_contacts[0].id
        for f, box in self.contact_inputs.items():
            box.value = getattr(contact, f)
        if hasattr(self, "card"):
            self.show_contact()
        return n + (not contact.empty)

    def reload(self) -> None:
        with self.quietly():
            self.kind.value = self.material.first_contacts[0].id
            for box in self.contact_inputs.values():
                box.value = ""
        super().reload()
        self.show_contact()
