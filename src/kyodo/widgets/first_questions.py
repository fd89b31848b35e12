"""The "first questions" exercise as ipywidgets (logic in :mod:`kyodo.exercises.first_questions`).

A short form (four text boxes, three check boxes, one drop-down) and a
button that turns it into a checklist for the city's consultation desk.
Every change is cleaned (control characters, length) and saved; the
learner's words are escaped wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..exercises.first_questions import (
    FIELDS,
    Checklist,
    Guide,
    IdeaForm,
    build_checklist,
    clean_form,
    field_label,
    next_hint,
)
from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, button, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec


def build(spec: BuiltSpec, store: Store | None = None) -> FirstQuestionsWidget:
    """The exercise ``spec`` of the registry (``kind: first_questions``), saved under its id.

    The question templates are the course's material for this lesson (``data/lessons/first_step.yml``).
    """
    from ..lessons.first_step import load_guide

    guide = load_guide()
    return FirstQuestionsWidget(guide, guide.desk_name, spec.id, spec.label, store, title=spec.title,
                                instructions=spec.instructions, legacy_keys=spec.legacy_keys)


def checklist_html(checklist: Checklist, desk_name: str) -> str:
    """The checklist as HTML: numbered questions, preparation items, each with its reason. All escaped."""
    if checklist.empty:
        return ""

    def items(lines: Any, tag: str) -> str:
        body = "".join(
            f"<li style='margin:0.25em 0'>{esc(line.text)}<br><small style='color:#333'>"
            f"{esc(msg('first_questions.why'))}: {esc(line.why)} ({esc(line.source)})</small></li>"
            for line in lines
        )
        return f"<{tag} style='margin:0.2em 0 0.6em 0;padding-left:1.6em'>{body}</{tag}>"

    return (
        "<div style='border:1px solid #999;border-radius:6px;padding:0.6em 1em;margin:0.4em 0'>"
        f"<p style='margin:0'><strong>{esc(msg('first_questions.heading_questions', desk=desk_name))}</strong></p>"
        + items(checklist.questions, "ol")
        + f"<p style='margin:0'><strong>{esc(msg('first_questions.heading_prepare'))}</strong></p>"
        + items(checklist.prepare, "ul")
        + f"<details><summary>{esc(msg('first_questions.copy_summary'))}</summary>"
        f"<pre style='white-space:pre-wrap'>{esc(checklist.as_text(desk_name))}</pre></details>"
        f"<p style='margin:0.4em 0 0 0;font-size:0.9em'>{esc(msg('first_questions.made_by_course'))}</p></div>"
    )


class FirstQuestionsWidget(ExerciseWidget):
    """Fill in the idea, press the button, read the checklist and what is still vague."""

    def __init__(self, guide: Guide, desk_name: str, key: str, exercise_id: str, store: Store | None = None, *,
                 title: str, instructions: str, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.guide = guide
        self.desk_name = desk_name
        self.last: Checklist | None = None
        self._restoring = True
        wide = W.Layout(width="calc(100% - 8px)")
        self.texts: dict[str, W.Textarea | W.Text] = {}
        rows: list[W.Widget] = [heading(exercise_id, title, instructions)]
        for name in FIELDS:
            placeholder = msg(f"first_questions.placeholder_{name}")
            if name == "for_whom":
                box: W.Textarea | W.Text = W.Text(value="", placeholder=placeholder, continuous_update=False,
                                                   layout=wide)
            else:
                box = W.Textarea(value="", placeholder=placeholder, continuous_update=False,
                                 layout=W.Layout(width="calc(100% - 8px)", height="4.5em"))
            box.observe(self._on_text, names="value")
            self.texts[name] = box
            rows += [self._label(field_label(name)), box]
        self.kinds: dict[str, W.Checkbox] = {}
        for kind_id, name in guide.kinds.items():
            check = W.Checkbox(value=False, description=name, indent=False, layout=W.Layout(width="auto"))
            check.observe(self._on_choice, names="value")
            self.kinds[kind_id] = check
        rows += [self._label(msg("first_questions.field_lack_kinds")), W.HBox(list(self.kinds.values()))]
        self.partner = Choice(
            options=[(msg("widget.choose"), None)] + [(n, i) for i, n in guide.partners.items()],
            value=None, description=msg("first_questions.field_partner"), style={"description_width": "initial"},
            layout=W.Layout(width="auto"))
        self.partner.observe(self._on_choice, names="value")
        rows += [self.partner]
        self.make_button = button(msg("first_questions.btn_make"), "success", "list")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.make_button.on_click(self._on_make)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.result = W.HTML(value="")
        self.ui = W.VBox(rows + [W.HBox([self.make_button, self.hint_button, self.reset_button]),
                                 self.feedback.widget, self.result])
        self._restore_saved()
        self._restoring = False

    @staticmethod
    def _label(text: str) -> W.HTML:
        return W.HTML(f"<div style='margin:0.5em 0 0 0'><strong>{esc(text)}</strong></div>")

    # --- state -------------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """What the form holds now, as the logic expects it."""
        return {
            **{name: box.value for name, box in self.texts.items()},
            "lack_kinds": [k for k, check in self.kinds.items() if check.value],
            "partner": self.partner.value,
        }

    def form(self) -> IdeaForm:
        return clean_form(self.raw(), self.guide)[0]

    def state(self) -> dict[str, Any]:
        form = self.form()
        return {**{name: form.text(name) for name in FIELDS}, "lack_kinds": list(form.lack_kinds),
                "partner": form.partner}

    def restore(self, state: Any) -> int:
        form, _ = clean_form(state, self.guide)
        self._restoring = True
        try:
            for name, box in self.texts.items():
                box.value = form.text(name)
            for kind_id, check in self.kinds.items():
                check.value = kind_id in form.lack_kinds
            self.partner.value = form.partner
        finally:
            self._restoring = False
        return form.filled

    # --- callbacks -------------------------------------------------------------------
    @guarded
    def _on_text(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        name = next(k for k, box in self.texts.items() if box is change["owner"])
        form, notices = clean_form({name: change["new"]}, self.guide)
        cleaned = form.text(name)
        if cleaned != change["new"]:
            self._restoring = True
            try:
                change["owner"].value = cleaned
            finally:
                self._restoring = False
            self.feedback.show("warning", list(notices))
            self.save()
            return
        self._changed()

    @guarded
    def _on_choice(self, _: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        self._changed()

    def _changed(self) -> None:
        """Save, and say that the checklist shown no longer matches the form."""
        if self.result.value:
            self.feedback.show("info", msg("first_questions.stale"))
        self.save()

    @guarded
    def _on_make(self, _: Any = None) -> None:
        self._cancel_reset()
        checklist = build_checklist(self.raw(), self.guide)
        self.last = checklist
        self.result.value = checklist_html(checklist, self.desk_name)
        lines = list(checklist.notices) + [a.text for a in checklist.advice]
        if checklist.empty:
            self.feedback.show("info", checklist.summary)
        elif checklist.ready:
            self.feedback.show("success", lines or [msg("first_questions.hint_ready")], title=checklist.summary)
        else:
            self.feedback.show("warning", lines, title=checklist.summary)

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", next_hint(build_checklist(self.raw(), self.guide)))

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = self.form().filled
        self._two_step_reset(msg("first_questions.reset_ask", n=n), self._clear, n)

    def _clear(self) -> None:
        self._restoring = True
        try:
            for box in self.texts.values():
                box.value = ""
            for check in self.kinds.values():
                check.value = False
            self.partner.value = None
        finally:
            self._restoring = False
        self.last = None
        self.result.value = ""

