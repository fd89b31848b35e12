"""Step 3 of the design sheet: partners, the gaps each fills, and what each is and gains.

The gaps come from step 2 (the gap finder's state in the same store); for
each kind of gap the widget suggests actor types that held that kind of
resource in the pamphlet's cases, with the evidence. Every text field is
cleaned and limited, and saved as the learner types.

The widget is a live view (:mod:`kyodo.design.live`): an import or a change
of the partners in another view reloads its cards, and a change of step 2
renews the gaps the cards can fill.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..data import Course
from ..design.live import LiveView
from ..design.sheet import (
    MAX_PARTNERS,
    NAME_LIMIT,
    PARTNER_TEXTS,
    TEXT_LIMIT,
    Design,
    design_from_states,
    key,
    partners_from_state,
)
from ..exercises.gap_finder import suggest
from ..storage import Store
from ..text import clean_text, esc, msg
from .common import Choice, button, guarded, heading


FIRST_CARDS = 2
"""How many partner cards show before the learner asks for more."""


class PartnerCard:
    """The inputs of one partner."""

    def __init__(self, number: int, course: Course, on_change: Any):
        self.name = W.Text(value="", description=msg("design.p_name"), style={"description_width": "12em"},
                           layout=W.Layout(width="95%"))
        self.type = Choice(options=[(msg("widget.choose"), None)] + [(t.name, t.id) for t in course.actor_types],
                           value=None, description=msg("design.p_type"), style={"description_width": "12em"})
        self.fills = W.SelectMultiple(options=[], rows=4, description=msg("design.p_fills"),
                                      style={"description_width": "12em"}, layout=W.Layout(width="95%"))
        self.texts = {
            f: W.Textarea(value="", description=msg(f"design.p_{f}"), style={"description_width": "12em"},
                          layout=W.Layout(width="95%", height="4em"))
            for f in PARTNER_TEXTS
        }
        for w in (self.name, self.type, self.fills, *self.texts.values()):
            w.observe(on_change, names="value")
        self.box = W.VBox([W.HTML(f"<strong>{esc(msg('design.partner_card', n=number))}</strong>"),
                           self.name, self.type, self.fills, *self.texts.values()],
                          layout=W.Layout(border="1px solid #999", padding="0.4em", margin="0.3em 0"))

    def state(self) -> dict[str, Any]:
        return {"name": self.name.value, "type": self.type.value, "fills": list(self.fills.value),
                **{f: box.value for f, box in self.texts.items()}}

    def clear(self) -> None:
        """Empty every input (the caller keeps the observers quiet)."""
        self.name.value = ""
        self.type.value = None
        self.fills.value = ()
        for box in self.texts.values():
            box.value = ""

    def set_fill_options(self, rows: list[tuple[int, str, str | None]]) -> None:
        chosen = set(self.fills.value)
        # numbered 1, 2, 3 … among the missing rows, as the export numbers them; the value stays the row's number
        self.fills.options = [(f"{i}. {text}", n) for i, (n, text, _) in enumerate(rows, start=1)]
        self.fills.value = tuple(n for n, _, _ in rows if n in chosen)


class PartnersWidget(LiveView):
    watches = (key("gaps"),)

    def __init__(self, course: Course, exercise_id: str | None = None, store: Store | None = None,
                 debounce: float = 1.0):
        super().__init__(key("partners"), store)
        self.course = course
        self.debounce = debounce
        self._restoring = True
        self.cards = [PartnerCard(n, course, self._on_change) for n in range(1, MAX_PARTNERS + 1)]
        self.visible = FIRST_CARDS
        self.suggestions = W.HTML(value="")
        self.more_button = button(msg("design.btn_more"), "primary", "plus")
        self.refresh_button = button(msg("design.btn_refresh"), "info", "refresh")
        self.more_button.on_click(self._on_more)
        self.refresh_button.on_click(self._on_refresh)
        self.status = W.HTML(value="")
        self.ui = W.VBox([heading(exercise_id or msg("design.step", n=3), msg("design.partners_title"), msg("design.partners_instructions")),
                          self.refresh_button, self.suggestions, *[c.box for c in self.cards], self.more_button,
                          self.status, self.feedback.widget])
        self.refresh_gaps()
        self._restore_saved()
        self._show_cards()
        self._restoring = False
        self.go_live()

    # --- gaps from step 2 ------------------------------------------------------
    def design(self) -> Design:
        return design_from_states(self.course, {"gaps": self.store.get(key("gaps"))})

    def refresh_gaps(self) -> None:
        rows = self.design().missing_rows()
        self._restoring, was = True, self._restoring
        for card in self.cards:
            card.set_fill_options(rows)
        self._restoring = was
        self.suggestions.value = self._suggestion_html(rows)

    def _suggestion_html(self, rows: list[tuple[int, str, str | None]]) -> str:
        if not rows:
            return f"<p>{esc(msg('design.suggest_none'))}</p>"
        kinds = {k.id: k.name for k in self.course.policy.resource_kinds}
        items = []
        for _, text, kind in rows:
            if kind is None:
                items.append(msg("design.suggest_no_kind", text=text))
                continue
            types = "、".join(
                msg("design.suggest_type", type=s.type_name,
                    evidence=f"{s.evidence[0].org_name} {s.evidence[0].source}" if s.evidence else "")
                for s in suggest(self.course, kind)
            )
            items.append(msg("design.suggest_line", text=text, kind=kinds[kind], types=types or msg("design.none")))
        return (f"<p><strong>{esc(msg('design.suggest_head'))}</strong></p><ul>"
                + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")

    # --- state ------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {"partners": [c.state() for c in self.cards[: self.visible]], "visible": self.visible}

    def restore(self, state: Any) -> int:
        cards = state.get("partners") if isinstance(state, dict) else None
        if not isinstance(cards, list):
            return 0
        partners = partners_from_state(state, self.course)
        visible = state.get("visible")
        self.visible = visible if isinstance(visible, int) and 1 <= visible <= MAX_PARTNERS else self.visible
        self.visible = max(self.visible, len(partners))
        for card, partner in zip(self.cards, partners):
            card.name.value = partner.name
            card.type.value = partner.type_id
            valid = {value for _, value in card.fills.options}
            card.fills.value = tuple(n for n in partner.fills if n in valid)
            for f in PARTNER_TEXTS:
                card.texts[f].value = getattr(partner, f)
        return len(partners)

    def reload(self) -> None:
        """Show the gaps of step 2 and the partners as the store holds them now."""
        self.refresh_gaps()
        for card in self.cards:
            card.clear()
        self.visible = FIRST_CARDS
        self.restore(self.store.get(self.key))
        self._show_cards()
        self.status.value = ""

    def on_watched_change(self) -> None:
        self.refresh_gaps()

    def _show_cards(self) -> None:
        for n, card in enumerate(self.cards):
            card.box.layout.display = None if n < self.visible else "none"
        self.more_button.disabled = self.visible >= MAX_PARTNERS

    # --- callbacks -----------------------------------------------------------------
    @guarded
    def _on_change(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        widget = change["owner"]
        if isinstance(widget, (W.Text, W.Textarea)):
            limit = NAME_LIMIT if isinstance(widget, W.Text) else TEXT_LIMIT
            raw = change["new"].replace("\n", " ") if isinstance(widget, W.Text) else change["new"]
            cleaned, cut = clean_text(raw, limit)
            if cleaned != change["new"]:
                self._restoring = True
                widget.value = cleaned
                self._restoring = False
                self.feedback.show("warning", msg("note.too_long", n=limit) if cut else msg("note.cleaned"))
        self.schedule_save()

    @guarded
    def _on_more(self, _: Any = None) -> None:
        if self.visible >= MAX_PARTNERS:
            self.feedback.show("info", msg("design.more_limit", n=MAX_PARTNERS))
            return
        self.visible += 1
        self._show_cards()
        self.save()

    @guarded
    def _on_refresh(self, _: Any = None) -> None:
        self.refresh_gaps()
        self.save()

    def after_save(self) -> None:
        if self.save_refused:
            return
        self.status.value = f"<small>{esc(msg('form.saved', n=len(partners_from_state(self.state(), self.course))))}</small>"
