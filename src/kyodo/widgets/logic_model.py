"""The logic-model builder as ipywidgets (logic in :mod:`kyodo.exercises.logic_model`).

The learner works in three steps, each a row of controls:

1. the purpose (typed, or taken from the suggestions);
2. entries: a kind (資源・活動・アウトプット (活動の直接の結果)・成果, or
   without アウトプット when the widget is given ``kinds=BASIC_KINDS``), a
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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as W
from pydantic import BaseModel, ConfigDict, Field

from ..data import DataError, Problem, duplicates
from ..exercises.logic_model import KINDS, Candidate, LogicModel, Target
from ..models import Id, Text
from ..logic_diagram import logic_model_figure
from ..figures import figure_html
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

    def __init__(self, key: str, exercise_id: str, title: str, instructions: str,
                 candidates: Sequence[Candidate] = (), store: Store | None = None,
                 kinds: Sequence[str] = KINDS):
        super().__init__(key, store)
        self.model = LogicModel(candidates, kinds)
        self.figure = None
        self.alt_text = ""
        choose = [(msg("widget.choose"), None)]
        # 1. purpose
        self.purpose_choice = Choice(options=choose + [(c.text, c.id) for c in self.model.candidates_for(True)],
                                         value=None, description=msg("logic_model.field_purpose_choice"),
                                         style=_NARROW, layout=W.Layout(width="98%", max_width="46em"))
        self.purpose = _text(msg("logic_model.field_purpose"), msg("logic_model.placeholder_purpose"), "46em")
        # 2. entries
        self.kind = Choice(options=choose + [(self.model.kind_long_name(k), k) for k in self.model.kinds],
                           value=None, description=msg("logic_model.field_kind"), style=_NARROW,
                           layout=W.Layout(width="98%", max_width="28em"))
        self.candidate = Choice(options=choose + [(c.text, c.id) for c in self.model.candidates_for(False)],
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
        self.check_button = button(msg("widget.btn_check"), "success", "check")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.figure_box = W.HTML(value="")

        self.purpose_choice.observe(self._on_purpose_choice, names="value")
        self.purpose.observe(self._on_purpose, names="value")
        self.candidate.observe(self._on_candidate, names="value")
        for b, handler in ((self.add_button, self._on_add), (self.target_button, self._on_target),
                           (self.link_button, self._on_link), (self.remove_button, self._on_remove),
                           (self.unlink_button, self._on_unlink), (self.check_button, self._on_check),
                           (self.hint_button, self._on_hint), (self.reset_button, self._on_reset)):
            b.on_click(handler)

        def section(key: str) -> W.HTML:
            text = msg(key, kinds=self.model.kinds_text(), chain=self.model.chain_text())
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
        self._quiet = True
        self._restore_saved()
        self._quiet = False
        self._refresh()

    # --- state -----------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.model.to_state()

    def restore(self, state: Any) -> int:
        n = self.model.load_state(state)
        self._quiet = True
        self.purpose.value = self.model.purpose
        self.purpose_choice.value = self.model.purpose_candidate
        self._quiet = False
        return n

    def _refresh(self) -> None:
        """Bring the lists and the arrow menus in line with the model."""
        self.entry_list.options = [(self.model.label(e), e.id) for e in self.model.entries]
        self.link_list.options = [(self.model.describe_link(link), i) for i, link in enumerate(self.model.links)]
        choose = [(msg("widget.choose"), None)]
        starts = {a for a, _ in self.model.allowed_links}
        ends = {b for _, b in self.model.allowed_links}
        sources = [(self.model.label(e), e.id) for e in self.model.entries if e.kind in starts]
        targets = [(self.model.label(e), e.id) for e in self.model.entries if e.kind in ends]
        self.link_from.options = choose + sources
        self.link_to.options = choose + targets

    def _changed(self) -> None:
        self._refresh()
        self.save()

    def _target(self) -> Target:
        return Target(self.what.value, self.how_much.value, self.by_when.value)

    def _clear_inputs(self) -> None:
        self._quiet = True
        self.candidate.value = None
        for box in (self.text, self.what, self.how_much, self.by_when):
            box.value = ""
        self._quiet = False

    # --- callbacks ---------------------------------------------------------------------
    @guarded
    def _on_purpose_choice(self, change: dict[str, Any]) -> None:
        if self._quiet or change["new"] is None:
            return
        self._cancel_reset()
        cand = self.model.candidates.get(change["new"])
        if cand is not None:
            self.purpose.value = cand.text  # fires _on_purpose

    @guarded
    def _on_purpose(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._cancel_reset()
        result = self.model.set_purpose(change["new"], self.purpose_choice.value)
        self._quiet = True
        if self.purpose.value != self.model.purpose:
            self.purpose.value = self.model.purpose
        if self.model.purpose_candidate is None:
            self.purpose_choice.value = None  # the text is the learner's own now
        self._quiet = False
        self.feedback.show("info", result.message)
        self.save()

    @guarded
    def _on_candidate(self, change: dict[str, Any]) -> None:
        if self._quiet or change["new"] is None:
            return
        self._cancel_reset()
        cand = self.model.candidates.get(change["new"])
        if cand is not None:
            self.text.value = cand.text

    @guarded
    def _on_add(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.model.add(self.kind.value, self.text.value, self._target(), self.candidate.value)
        if result.ok:
            self._clear_inputs()
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_target(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.model.set_target(self.entry_list.value, self._target())
        if result.ok:
            self._clear_inputs()
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_remove(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.model.remove(self.entry_list.value)
        if result.ok:
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_link(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.model.link(self.link_from.value, self.link_to.value)
        if result.ok:
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_unlink(self, _: Any = None) -> None:
        self._cancel_reset()
        index = self.link_list.value
        links = self.model.links
        if isinstance(index, int) and 0 <= index < len(links):
            result = self.model.unlink(*links[index])
        else:
            result = self.model.unlink(None, None)
        if result.ok:
            self._changed()
        self.feedback.show("info" if result.ok else "warning", result.message)

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        check = self.model.check()
        lines = [f"❌ {i.message}" for i in check.problems] + [f"💡 {i.message}" for i in check.advice]
        kind = "success" if check.complete else "warning"
        if lines:
            self.feedback.show(kind, lines, title=check.summary)
        else:
            self.feedback.show(kind, check.summary)
        self.draw()

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.model.hint())

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        self._two_step_reset(msg("logic_model.reset_ask", n=self.model.size), self._clear, self.model.size)

    def _clear(self) -> None:
        self.model.reset()
        self._quiet = True
        self.purpose_choice.value = None
        self.purpose.value = ""
        self.kind.value = None
        self._quiet = False
        self._clear_inputs()
        self._refresh()
        self.figure = None
        self.figure_box.value = ""

    # --- drawing ----------------------------------------------------------------------
    def draw(self) -> None:
        self.figure = logic_model_figure(self.model)
        self.alt_text = self.model.describe()
        self.figure_box.value = figure_html(self.figure, self.alt_text)


# --- a registry entry of ``kind: logic_model`` --------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExampleTargetParams(_Strict):
    what: Text
    how_much: Text
    by_when: Text


class CandidateParams(_Strict):
    """A suggestion: its text, where it belongs (``fits``) and why, for when it is put elsewhere."""

    id: Id
    fits: Literal["purpose", "resource", "activity", "output", "outcome", "none"]
    text: Text
    text_en: Text | None = None
    why: Text
    example_target: ExampleTargetParams | None = None


class LogicModelParams(_Strict):
    """``params`` of a ``kind: logic_model`` entry: the suggestions for the purpose box and for the entries."""

    hypothetical_targets: Literal[True]
    """Must be true: the example targets are the course's invention (the source gives no numbers)."""
    purpose_candidates: list[CandidateParams] = Field(min_length=1)
    candidates: list[CandidateParams] = Field(min_length=3)


def check_params(params: LogicModelParams, file: str, where: str) -> list[Problem]:
    """Cross-checks the model cannot do: duplicate ids, where each suggestion may go, every kind offered."""
    problems: list[Problem] = []
    for dup in duplicates(c.id for c in params.purpose_candidates + params.candidates):
        problems.append(Problem(file, f"{where} (id: {dup})", msg("data.dup_id", id=dup)))
    for c in params.purpose_candidates:
        if c.fits not in ("purpose", "none"):
            problems.append(Problem(file, f"{where}.purpose_candidates (id: {c.id})",
                                    msg("logic_model.param_purpose_fits", id=c.id)))
    for c in params.candidates:
        if c.fits == "purpose":
            problems.append(Problem(file, f"{where}.candidates (id: {c.id})",
                                    msg("logic_model.param_entry_fits", id=c.id)))
        if c.example_target is not None and c.fits != "outcome":
            problems.append(Problem(file, f"{where}.candidates (id: {c.id})",
                                    msg("logic_model.param_target_not_outcome", id=c.id)))
    for kind in KINDS:
        if not any(c.fits == kind for c in params.candidates):
            problems.append(Problem(file, f"{where}.candidates", msg("logic_model.param_kind_missing", kind=kind)))
    return problems


def candidates_of(spec: BuiltSpec) -> list[Candidate]:
    """The suggestions a registry entry offers, validated and cross-checked (raises :class:`DataError`)."""
    params = spec.parsed(LogicModelParams)
    problems = check_params(params, f"data/exercises/{spec.lesson}.yml", f"exercises (id: {spec.id}).params")
    if problems:
        raise DataError(problems)

    def make(c: CandidateParams, for_purpose: bool) -> Candidate:
        ex = c.example_target
        target = Target(ex.what, ex.how_much, ex.by_when) if ex is not None else None
        return Candidate(c.id, c.text, c.fits, c.why, target, for_purpose)

    return [make(c, True) for c in params.purpose_candidates] + [make(c, False) for c in params.candidates]


def build(spec: BuiltSpec, store: Store | None = None) -> LogicModelWidget:
    """The builder of a registry entry of ``kind: logic_model`` (its ``params``: :class:`LogicModelParams`).

    Work saved under one of the entry's ``legacy_keys`` is brought back when nothing is saved
    under its id yet; the next save moves it to the id.
    """
    widget = LogicModelWidget(spec.id, spec.label, spec.title, spec.instructions, candidates_of(spec), store=store)
    widget.legacy_keys = tuple(spec.legacy_keys)
    if widget.legacy_keys and widget.store.get(spec.id) is None and not widget.store.notice:
        widget._quiet = True
        widget._restore_saved()
        widget._quiet = False
        widget._refresh()
    return widget
