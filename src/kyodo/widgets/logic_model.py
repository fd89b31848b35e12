"""The logic-model builder as ipywidgets (logic in :mod:`kyodo.exercises.logic_model`).

The learner works in three steps, each a row of controls:

1. the purpose (typed, or taken from the suggestions);
2. entries: a kind (資源・活動・アウトプット (活動の直接の結果)・成果, or
   without アウトプット when its task is ``LogicModel(kinds=BASIC_KINDS)``), a
   text (typed, or taken from the suggestions), and for outcomes the
   target's three parts;
3. arrows between entries (資源 → 活動 → アウトプット → 成果; the arrow
   menus offer only entries an allowed arrow can start from or end at).

Lists show what has been built; entries and arrows can be removed, and
the target of a chosen outcome can be rewritten. 「答え合わせ」 lists the
problems and advice and draws the model (flagged boxes dashed and marked
要確認), with its description in words under the figure.

Nothing is specific to one case: a lesson passes its suggestions; a
learner's own design (a later capstone) passes none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..exercises.logic_model import LogicCheck, LogicModel, Target, candidates_of
from ..exercises.logic_model import LogicModelParams as LogicModelParams  # the entry's params, also read from here
from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, button, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec

_NARROW = {"description_width": "7em"}


def _text(description: str, placeholder: str, width: str) -> W.Text:
    return W.Text(value="", description=description, placeholder=placeholder, style=_NARROW,
                  layout=W.Layout(width="98%", max_width=width), continuous_update=False)


class LogicModelWidget(ExerciseWidget):
    """Build a logic model step by step, check it and see it drawn."""

    reset_ask = "logic_model.reset_ask"

    def __init__(self, task: LogicModel, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.task = task
        self.figure = None
        self.alt_text = ""
        choose = [(msg("widget.choose"), None)]
        # 1. purpose
        self.purpose_choice = Choice(options=choose + [(c.text, c.id) for c in self.task.candidates_for(True)],
                                         value=None, description=msg("logic_model.field_purpose_choice"),
                                         style=_NARROW, layout=W.Layout(width="98%", max_width="46em"))
        self.purpose = _text(msg("logic_model.field_purpose"), msg("logic_model.placeholder_purpose"), "46em")
        # 2. entries
        self.kind = Choice(options=choose + [(self.task.kind_long_name(k), k) for k in self.task.kinds],
                           value=None, description=msg("logic_model.field_kind"), style=_NARROW,
                           layout=W.Layout(width="98%", max_width="28em"))
        self.candidate = Choice(options=choose + [(c.text, c.id) for c in self.task.candidates_for(False)],
                                    value=None, description=msg("logic_model.field_candidate"), style=_NARROW,
                                    layout=W.Layout(width="98%", max_width="46em"))
        self.text = _text(msg("logic_model.field_text"), msg("logic_model.placeholder_text"), "46em")
        self.what = _text(msg("logic_model.field_what"), msg("logic_model.placeholder_what"), "46em")
        self.how_much = _text(msg("logic_model.field_how_much"), msg("logic_model.placeholder_how_much"), "22.5em")
        self.by_when = _text(msg("logic_model.field_by_when"), msg("logic_model.placeholder_by_when"), "22.5em")
        self.add_button = button(msg("logic_model.btn_add"), "primary", "plus")
        self.target_button = button(msg("logic_model.btn_target"), "", "pencil")
        # 3. links
        self.link_from = Choice(options=choose, value=None, description=msg("logic_model.field_from"),
                                    style=_NARROW, layout=W.Layout(width="98%", max_width="30em"))
        self.link_to = Choice(options=choose, value=None, description=msg("logic_model.field_to"),
                                  style=_NARROW, layout=W.Layout(width="98%", max_width="30em"))
        self.link_button = button(msg("logic_model.btn_link"), "primary", "arrow-right")
        # what has been built
        self.entry_list = W.Select(options=[], rows=7, description=msg("logic_model.list_entries"), style=_NARROW,
                                   layout=W.Layout(width="98%", max_width="46em"))
        self.link_list = W.Select(options=[], rows=5, description=msg("logic_model.list_links"), style=_NARROW,
                                  layout=W.Layout(width="98%", max_width="46em"))
        self.remove_button = button(msg("logic_model.btn_remove"), "", "minus")
        self.unlink_button = button(msg("logic_model.btn_unlink"), "", "minus")
        self.add_check_buttons()
        self.figure_box = W.HTML(value="")

        self.purpose_choice.observe(self._on_purpose_choice, names="value")
        self.purpose.observe(self._on_purpose, names="value")
        self.candidate.observe(self._on_candidate, names="value")
        for b, handler in ((self.add_button, self._on_add), (self.target_button, self._on_target),
                           (self.link_button, self._on_link), (self.remove_button, self._on_remove),
                           (self.unlink_button, self._on_unlink)):
            b.on_click(handler)

        def section(key: str) -> W.HTML:
            text = msg(key, kinds=self.task.kinds_text(), chain=self.task.chain_text())
            return W.HTML(f"<div style='margin:0.6em 0 0.2em 0'><strong>{esc(text)}</strong></div>")

        self.ui = W.VBox([
            heading(exercise_id, title, instructions),
            section("logic_model.section_purpose"), self.purpose_choice, self.purpose,
            section("logic_model.section_add"), self.kind, self.candidate, self.text, self.what,
            W.HBox([self.how_much, self.by_when]), W.HBox([self.add_button, self.target_button]),
            section("logic_model.section_link"), self.link_from, self.link_to, W.HBox([self.link_button]),
            section("logic_model.section_lists"), self.entry_list, W.HBox([self.remove_button]), self.link_list,
            W.HBox([self.unlink_button]),
            self.check_buttons_row(),
            self.feedback.widget, self.figure_box,
        ])
        self.restore_quietly()

    # --- the task on screen -----------------------------------------------------------
    def show_task(self) -> None:
        self.purpose.value = self.task.purpose
        self.purpose_choice.value = self.task.purpose_candidate
        self._refresh()

    def _refresh(self) -> None:
        """Bring the lists and the arrow menus in line with the model."""
        self.entry_list.options = [(self.task.label(e), e.id) for e in self.task.entries]
        self.link_list.options = [(self.task.describe_link(link), i) for i, link in enumerate(self.task.links)]
        choose = [(msg("widget.choose"), None)]
        starts = {a for a, _ in self.task.allowed_links}
        ends = {b for _, b in self.task.allowed_links}
        sources = [(self.task.label(e), e.id) for e in self.task.entries if e.kind in starts]
        targets = [(self.task.label(e), e.id) for e in self.task.entries if e.kind in ends]
        self.link_from.options = choose + sources
        self.link_to.options = choose + targets

    def _changed(self) -> None:
        self._refresh()
        self.save()

    def _target(self) -> Target:
        return Target(self.what.value, self.how_much.value, self.by_when.value)

    def _clear_inputs(self) -> None:
        with self.quietly():
            self.candidate.value = None
            for box in (self.text, self.what, self.how_much, self.by_when):
                box.value = ""

    # --- callbacks ---------------------------------------------------------------------
    @guarded
    def _on_purpose_choice(self, change: dict[str, Any]) -> None:
        if self._restoring or change["new"] is None:
            return
        self._cancel_reset()
        cand = self.task.candidates.get(change["new"])
        if cand is not None:
            self.purpose.value = cand.text  # fires _on_purpose

    @guarded
    def _on_purpose(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        result = self.task.set_purpose(change["new"], self.purpose_choice.value)
        with self.quietly():
            if self.purpose.value != self.task.purpose:
                self.purpose.value = self.task.purpose
            if self.task.purpose_candidate is None:
                self.purpose_choice.value = None  # the text is the learner's own now
        self.feedback.show("info", result.message)
        self.save()

    @guarded
    def _on_candidate(self, change: dict[str, Any]) -> None:
        if self._restoring or change["new"] is None:
            return
        self._cancel_reset()
        cand = self.task.candidates.get(change["new"])
        if cand is not None:
            self.text.value = cand.text

    @guarded
    def _on_add(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.task.add(self.kind.value, self.text.value, self._target(), self.candidate.value)
        if result.ok:
            self._clear_inputs()
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_target(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.task.set_target(self.entry_list.value, self._target())
        if result.ok:
            self._clear_inputs()
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_remove(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.task.remove(self.entry_list.value)
        if result.ok:
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_link(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.task.link(self.link_from.value, self.link_to.value)
        if result.ok:
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_unlink(self, _: Any = None) -> None:
        self._cancel_reset()
        index = self.link_list.value
        links = self.task.links
        if isinstance(index, int) and 0 <= index < len(links):
            result = self.task.unlink(*links[index])
        else:
            result = self.task.unlink(None, None)
        if result.ok:
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    def show_check(self, check: LogicCheck) -> None:
        lines = [f"❌ {i.message}" for i in check.problems] + [f"💡 {i.message}" for i in check.advice]
        kind = "success" if check.complete else "warning"
        if lines:
            self.feedback.show(kind, lines, title=check.summary)
        else:
            self.feedback.show(kind, check.summary)
        self.draw()

    def after_reset(self) -> None:
        with self.quietly():
            self.kind.value = None
        self._clear_inputs()
        self.figure = None
        self.figure_box.value = ""

    # --- drawing ----------------------------------------------------------------------
    def draw(self) -> None:
        from ..figures import figure_html  # matplotlib, only once there is something to draw
        from ..logic_diagram import logic_model_figure

        self.figure = logic_model_figure(self.task)
        self.alt_text = self.task.describe()
        self.figure_box.value = figure_html(self.figure, self.alt_text)


def build(spec: BuiltSpec, store: Store | None = None) -> LogicModelWidget:
    """The builder of a registry entry of ``kind: logic_model`` (its ``params``: :class:`LogicModelParams`).

    The task is the one :func:`kyodo.exercises.logic_model.task_of` makes for the room board: a model
    of every kind with the entry's suggestions (:func:`candidates_of`).
    Work saved under one of the entry's ``legacy_keys`` is brought back when nothing is saved
    under its id yet; the next save moves it to the id.
    """
    return LogicModelWidget(LogicModel(candidates_of(spec)), spec.id, spec.label, spec.title, spec.instructions,
                            store=store, legacy_keys=spec.legacy_keys)
