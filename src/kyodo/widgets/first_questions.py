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

from ..exercises.first_questions import FIELDS, Checklist, FirstQuestions, field_label, task_of
from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec


def build(spec: BuiltSpec, store: Store | None = None) -> FirstQuestionsWidget:
    """The exercise ``spec`` of the registry (``kind: first_questions``), saved under its id.

    The question templates are the course's material for this lesson (``data/lessons/first_step.yml``).
    """
    task = task_of(spec)
    return FirstQuestionsWidget(task, task.guide.desk_name, spec.id, spec.label, store, title=spec.title,
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

    reset_ask = "first_questions.reset_ask"

    def __init__(self, task: FirstQuestions, desk_name: str, key: str, exercise_id: str, store: Store | None = None,
                 *, title: str, instructions: str, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.task = task
        self.desk_name = desk_name
        self.last: Checklist | None = None
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
            box.observe(self._on_input, names="value")
            self.texts[name] = box
            rows += [self._label(field_label(name)), box]
        self.kinds: dict[str, W.Checkbox] = {}
        for kind_id, name in task.guide.kinds.items():
            check = W.Checkbox(value=False, description=name, indent=False, layout=W.Layout(width="auto"))
            check.observe(self._on_input, names="value")
            self.kinds[kind_id] = check
        rows += [self._label(msg("first_questions.field_lack_kinds")), W.HBox(list(self.kinds.values()))]
        self.partner = Choice(
            options=[(msg("widget.choose"), None)] + [(n, i) for i, n in task.guide.partners.items()],
            value=None, description=msg("first_questions.field_partner"), style={"description_width": "initial"},
            layout=W.Layout(width="auto"))
        self.partner.observe(self._on_input, names="value")
        rows += [self.partner]
        self.add_check_buttons(msg("first_questions.btn_make"), "list")
        self.result = W.HTML(value="")
        self.ui = W.VBox(rows + [self.check_buttons_row(), self.feedback.widget, self.result])
        self.restore_quietly()

    @staticmethod
    def _label(text: str) -> W.HTML:
        return W.HTML(f"<div style='margin:0.5em 0 0 0'><strong>{esc(text)}</strong></div>")

    # --- the task on screen ---------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """What the form holds now, as the logic expects it."""
        return {
            **{name: box.value for name, box in self.texts.items()},
            "lack_kinds": [k for k, check in self.kinds.items() if check.value],
            "partner": self.partner.value,
        }

    def show_task(self) -> None:
        form = self.task.form
        for name, box in self.texts.items():
            box.value = form.text(name)
        for kind_id, check in self.kinds.items():
            check.value = kind_id in form.lack_kinds
        self.partner.value = form.partner

    # --- callbacks -------------------------------------------------------------------
    @guarded
    def _on_input(self, _: dict[str, Any]) -> None:
        """Any box, tick or choice: clean the form, and say if the checklist shown no longer matches it."""
        if self._restoring:
            return
        self._cancel_reset()
        notices = self.task.fill(self.raw())
        if notices:
            self.resync()  # shows the cleaned text
            self.feedback.show("warning", list(notices))
        elif self.result.value:
            self.feedback.show("info", msg("first_questions.stale"))
        self.save()

    def show_check(self, checklist: Checklist) -> None:
        self.last = checklist
        self.result.value = checklist_html(checklist, self.desk_name)
        lines = list(checklist.notices) + [a.text for a in checklist.advice]
        if checklist.empty:
            self.feedback.show("info", checklist.summary)
        elif checklist.ready:
            self.feedback.show("success", lines or [msg("first_questions.hint_ready")], title=checklist.summary)
        else:
            self.feedback.show("warning", lines, title=checklist.summary)

    def after_reset(self) -> None:
        self.last = None
        self.result.value = ""
