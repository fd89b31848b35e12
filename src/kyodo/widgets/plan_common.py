"""What the widgets of the partnering plan (the design sheet's steps 7 to 12) share.

:class:`PlanStepWidget` is a live view (:mod:`kyodo.design.live`) of one part
of the plan. A subclass builds its inputs in :meth:`PlanStepWidget.build`
with :meth:`~PlanStepWidget.text` and :meth:`~PlanStepWidget.choice`, and
says what it saves (:meth:`state`) and how it shows a saved state
(:meth:`restore`, through the part's ``*_from_state`` function, so what is
shown is exactly what the design reads).

Every text box is cleaned as the learner types, with a message: control
characters removed, cut at the limit the plan's logic keeps (so a saved text
reads back unchanged), ``<`` and ``>`` kept as text and said to be so. Every
change is saved once typing pauses. 「この段階を点検する」 shows the checks of
the step (:func:`kyodo.design.checks.check_design`), or a friendly word when
the step is still empty. A step that shows something of another step
(partners, activities, outcomes, the form) lists it in ``watches`` and
rebuilds when it changes, keeping what the learner wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from ..data import Course
from ..design.checks import check_design
from ..design.live import LiveView
from ..design.partnering import load_partnering
from ..design.plan import ALL, PARTIES
from ..design.sheet import Design, design_from_states, key, states_from_store
from ..storage import Store
from ..text import clean_text, esc, msg
from .common import Choice, button, guarded, heading

_TAG = re.compile(r"<\s*/?\s*[A-Za-z!]")
LABEL = {"description_width": "12em"}


class PlanStepWidget(LiveView):
    """One step of the plan: inputs, cleaning, autosave, the step's own check, rebuilding on watched changes."""

    part: str = ""
    number: int = 0
    title_key: str = ""
    instructions_key: str = ""

    def __init__(self, course: Course, exercise_id: str | None = None, store: Store | None = None,
                 debounce: float = 1.0):
        super().__init__(key(self.part), store)
        self.course = course
        self.material = load_partnering()
        self.debounce = debounce
        self._restoring = True
        self.limits: dict[int, tuple[int, bool]] = {}
        """id(text box) → (limit, one line)."""
        self.status = W.HTML(value="")
        self.check_button = button(msg("plan.btn_check_step"), "success", "check")
        self.check_button.on_click(self._on_check)
        self.body = W.VBox()
        self.head = heading(exercise_id or msg("design.step", n=self.number), msg(self.title_key),
                            msg(self.instructions_key))
        self.ui = W.VBox([self.head, self.body, W.HBox([self.check_button]), self.status, self.feedback.widget])
        self.rebuild()
        self._restore_saved()
        self.after_restore()
        self._restoring = False
        self.go_live()
        self.store.mark(self.key, "opened")

    # --- to be written by each step ------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        """The step's inputs (called again when a watched step changes)."""
        raise NotImplementedError

    def after_restore(self) -> None:
        """Bring what is derived from the inputs (candidates, hints) in line with them."""

    # --- inputs -----------------------------------------------------------------------------------
    def text(self, label: str, limit: int, placeholder: str = "", *, multiline: bool = False,
             width: str = "95%") -> W.Text | W.Textarea:
        box: W.Text | W.Textarea
        if multiline:
            box = W.Textarea(value="", placeholder=placeholder, description=label, style=LABEL,
                             layout=W.Layout(width=width, height="4em"))
        else:
            box = W.Text(value="", placeholder=placeholder, description=label, style=LABEL,
                         layout=W.Layout(width=width))
        self.limits[id(box)] = (limit, not multiline)
        box.observe(self._on_change, names="value")
        return box

    def choice(self, label: str, options: Sequence[tuple[str, Any]], width: str = "28em") -> Choice:
        box = Choice(options=[(msg("widget.choose"), None), *options], value=None, description=label, style=LABEL,
                     layout=W.Layout(width=width))
        box.observe(self._on_change, names="value")
        return box

    def design(self) -> Design:
        """The learner's whole design as the store holds it now (for what this step shows of the others)."""
        return design_from_states(self.course, states_from_store(self.store))

    def party_options(self, design: Design, with_all: bool = True) -> list[tuple[str, str]]:
        options = [(name, party) for party, name in design.party_names().items()]
        return options + ([(msg("plan.owner_all"), ALL)] if with_all else [])

    @staticmethod
    def set_choice(box: Choice, value: Any) -> None:
        """Show ``value``; a saved party that is no longer in step 3 gets an option of its own (it is kept)."""
        known = [v for _, v in box.options]
        if value is not None and value not in known and value in (*PARTIES, ALL):
            box.options = [*box.options, (msg("plan.party_gone_choice"), value)]
        box.value = value if value in [v for _, v in box.options] else None

    # --- restoring and rebuilding --------------------------------------------------------------
    def rebuild(self) -> None:
        with self.quietly():
            self.limits.clear()
            self.body.children = tuple(self.build())

    def reload(self) -> None:
        """Show the step as the store holds it now (after an import, a reset, another view's save)."""
        with self.quietly():
            self.rebuild()
            self.restore(self.store.get(self.key))
            self.after_restore()
        self.status.value = ""

    def on_watched_change(self) -> None:
        """A watched step changed: rebuild, and show again what this step holds (nothing is saved)."""
        kept = self.state()
        with self.quietly():
            self.rebuild()
            self.restore(kept)
            self.after_restore()

    # --- callbacks ----------------------------------------------------------------------------------
    @guarded
    def _on_change(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        widget = change["owner"]
        limit = self.limits.get(id(widget))
        if limit is not None and isinstance(change["new"], str):
            n, one_line = limit
            raw = change["new"].replace("\n", " ") if one_line else change["new"]
            cleaned, cut = clean_text(raw, n)
            if cleaned != change["new"]:
                with self.quietly():
                    widget.value = cleaned
                self.feedback.show("warning", msg("note.too_long", n=n) if cut else msg("note.cleaned"))
            elif _TAG.search(cleaned):
                self.feedback.show("info", msg("plan.html_as_text"))
        self.on_input(widget)
        self.schedule_save()

    def on_input(self, widget: Any) -> None:
        """The learner changed ``widget`` (after cleaning): update what depends on it."""

    def after_save(self) -> None:
        if not self.save_refused:
            self.status.value = f"<small>{esc(msg('plan.saved'))}</small>"

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self.flush_now()
        findings = check_design(self.design()).of_step(self.part)
        problems = [f.message for f in findings if f.level == "problem"]
        notes = [msg("design.note_prefix") + f.message for f in findings if f.level == "note"]
        if problems or notes:
            self.feedback.show("warning" if problems else "info", problems + notes)
        elif self._is_empty():
            self.feedback.show("info", msg("plan.step_empty"))
        else:
            self.feedback.show("success", msg("plan.step_ok"))

    def flush_now(self) -> None:
        """Save what is waiting (typed in the last moment) before the check reads the store."""
        if self._unsaved:
            self.flush()

    def _is_empty(self) -> bool:
        return getattr(self.design(), self.part).empty
