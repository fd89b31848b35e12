"""The resource-gap finder as ipywidgets (logic in :mod:`kyodo.exercises.gap_finder`).

Free text (the purpose and each need) is cleaned by the logic and shown
only through :func:`kyodo.text.esc`; text boxes update when the learner
leaves them (``continuous_update=False``), and every change is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..data import load_course
from ..exercises.gap_finder import GapCheck, GapFinder, evidence_note, task_of, without_note
from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec


def build(spec: BuiltSpec, store: Store | None = None) -> GapFinderWidget:
    """The exercise ``spec`` of the registry (``kind: gap_finder``), saved under its id."""
    return GapFinderWidget(task_of(spec, load_course()), spec.id, spec.label, store, title=spec.title,
                           instructions=spec.instructions, legacy_keys=spec.legacy_keys)


class GapFinderWidget(ExerciseWidget):
    """The gap finder; ``title`` and ``instructions`` default to the design sheet's wording."""

    def __init__(self, task: GapFinder, key: str, exercise_id: str, store: Store | None = None, *,
                 title: str | None = None, instructions: str | None = None, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.task = task
        course = task.course
        label = {"description_width": "8em"}
        self.purpose = W.Text(value="", placeholder=msg("gap.purpose_placeholder"), description=msg("gap.purpose_label"),
                              continuous_update=False, style=label, layout=W.Layout(width="40em"))
        self.purpose.observe(self._on_purpose, names="value")
        self.own = Choice(options=[(msg("gap.own_none"), None)] + [(t.name, t.id) for t in course.policy_types],
                              value=None, description=msg("gap.own_label"), style=label, layout=W.Layout(width="24em"))
        self.own.observe(self._on_own, names="value")
        self.texts: list[W.Text] = []
        self.statuses: list[W.Dropdown] = []
        self.kinds: list[W.Dropdown] = []
        rows = []
        status_options = [(msg("gap.status_label"), None), (msg("gap.status_have"), "have"),
                          (msg("gap.status_missing"), "missing")]
        kind_options = [(msg("gap.kind_label"), None)] + [(k.name, k.id) for k in course.policy.resource_kinds]
        for i in range(task.n_rows):
            text = W.Text(value="", placeholder=msg("gap.need_placeholder") if i == 0 else "",
                          description=msg("gap.need_label", n=i + 1), continuous_update=False, style=label,
                          layout=W.Layout(width="27em"))
            status = Choice(options=status_options, value=None, layout=W.Layout(width="9em"),
                                tooltip=f"{msg('gap.need_label', n=i + 1)}: {msg('gap.status_label')}")
            kind = Choice(options=kind_options, value=None, layout=W.Layout(width="11em"),
                              tooltip=f"{msg('gap.need_label', n=i + 1)}: {msg('gap.kind_label')}")
            text.observe(self._on_text, names="value")
            status.observe(self._on_status, names="value")
            kind.observe(self._on_kind, names="value")
            self.texts.append(text)
            self.statuses.append(status)
            self.kinds.append(kind)
            rows.append(W.HBox([text, status, kind]))
        self.add_check_buttons(msg("gap.btn_check"), "search")
        self.results = W.HTML(value="")
        self.ui = W.VBox([
            heading(exercise_id, title or msg("gap.title"), instructions or msg("gap.instructions")),
            self.purpose, self.own, *rows,
            self.check_buttons_row(),
            self.feedback.widget, self.results,
        ])
        self.restore_quietly()

    # --- the task on screen ---------------------------------------------------------
    def show_task(self) -> None:
        self.purpose.value = self.task.purpose
        self.own.value = self.task.own_type
        for i, row in enumerate(self.task.rows):
            self.texts[i].value = row.text
            self.statuses[i].value = row.status
            self.kinds[i].value = row.kind

    def _index(self, owner: Any, widgets: list[Any]) -> int:
        return next(i for i, w in enumerate(widgets) if w is owner)

    def _changed(self, notice: str | None) -> None:
        self._cancel_reset()
        self.resync()  # shows the cleaned text
        if notice:
            self.feedback.show("warning", notice)
        self.save()

    # --- callbacks --------------------------------------------------------------
    @guarded
    def _on_purpose(self, change: dict[str, Any]) -> None:
        if not self._restoring:
            self._changed(self.task.set_purpose(change["new"]))

    @guarded
    def _on_own(self, change: dict[str, Any]) -> None:
        if not self._restoring:
            self.task.set_own_type(change["new"])
            self._changed(None)

    @guarded
    def _on_text(self, change: dict[str, Any]) -> None:
        if not self._restoring:
            self._changed(self.task.set_text(self._index(change["owner"], self.texts), change["new"]))

    @guarded
    def _on_status(self, change: dict[str, Any]) -> None:
        if not self._restoring:
            self.task.set_status(self._index(change["owner"], self.statuses), change["new"])
            self._changed(None)

    @guarded
    def _on_kind(self, change: dict[str, Any]) -> None:
        if not self._restoring:
            self.task.set_kind(self._index(change["owner"], self.kinds), change["new"])
            self._changed(None)

    def show_check(self, check: GapCheck) -> None:
        lines = [f"⚠️ {p}" for p in check.problems]
        lines += [f"{'✅' if r.ok else '⚠️'} {r.message}" for r in check.rows if r.ok]
        lines += [f"ℹ️ {n}" for n in check.notes]
        kind = "success" if check.complete else "warning"
        self.feedback.show(kind, lines, title=check.summary)
        self.results.value = self.table(check)

    def after_reset(self) -> None:
        self.results.value = ""

    # --- the table of suggestions ------------------------------------------------
    def table(self, check: GapCheck) -> str:
        """Every missing need, the actor types that hold its kind and the evidence, as an escaped HTML table."""
        rows = [r for r in check.rows if r.ok and r.row.status == "missing"]
        if not rows:
            return ""
        cell = "padding:0.3em 0.6em;vertical-align:top;border-top:1px solid #ccc"
        body = []
        for r in rows:
            kind = self.task.kind_name(r.row.kind or "")
            need = f"{esc(r.row.text)}<br><small>({esc(kind)})</small>"
            span = max(len(r.suggestions), 1)
            first = True
            for s in r.suggestions or ():
                evidence = "<br>".join(esc(msg("gap.evidence", source=e.source, org=e.org_name, strength=e.strength))
                                       for e in s.evidence)
                name = esc(s.type_name) + (esc(msg("gap.own_mark")) if s.own else "")
                lead = f"<td rowspan='{span}' style='{cell}'>{need}</td>" if first else ""
                body.append(f"<tr>{lead}<td style='{cell}'>{name}</td><td style='{cell}'>{evidence}</td></tr>")
                first = False
            if not r.suggestions:
                body.append(f"<tr><td style='{cell}'>{need}</td><td style='{cell}' colspan='2'>"
                            f"{esc(msg('gap.no_types'))}</td></tr>")
            if r.without:
                body.append(f"<tr><td colspan='3' style='padding:0.1em 0.6em 0.5em 0.6em'><small>"
                            f"{esc(without_note(self.task.course, r.without))}</small></td></tr>")
        head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em'>{esc(msg(k))}</th>"
                       for k in ("gap.col_need", "gap.col_type", "gap.col_evidence"))
        return (f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;"
                f"font-weight:bold'>{esc(msg('gap.table_caption'))}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>"
                f"<p style='font-size:0.9em'>{esc(evidence_note(self.task.course))}</p>")
