"""The summary of the design sheet: check the whole design, draw it, export and import it, print it.

「PDF に印刷する」 prints the partnering plan, the agreement draft and the
review sheet as A4 PDFs into the learner's export folder
(:func:`kyodo.design.printable.print_documents`); where printing is not
possible, a Japanese message says why and what to do instead.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import ipywidgets as W

from ..data import Course
from ..design import live
from ..design.checks import DesignCheck, check_design
from ..design.export import ImportProblem, export, parse_export_bytes
from ..design.sheet import PARTS, Design, design_from_states, key, states_from_store
from ..storage import Store, atomic_write_text, default_workspace, learner_id
from ..text import esc, msg
from .common import ExerciseWidget, button, guarded, heading

US = "us"
LABEL_LIMIT = 24


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def design_diagram(design: Design) -> tuple[Any, str] | None:
    """Partners around "us": what each fills (partner → us) and what each gains (us → partner)."""
    if not design.partners:
        return None
    from ..diagrams import Edge, Node, Panel, describe_network, network_figure  # networkx and matplotlib

    us_label = design.issue.get("team") or msg("design.diagram_us")
    nodes = [Node(US, us_label, design.finder.own_type or "residents")]
    edges = []
    missing = {n: text for n, text, _ in design.missing_rows()}
    for i, p in enumerate(design.partners):
        node_id = f"p{i}"
        nodes.append(Node(node_id, p.name, p.type_id or "residents"))
        for n in p.fills:
            if n in missing:
                edges.append(Edge(node_id, US, _short(missing[n]), "plan"))
        if p.gains:
            edges.append(Edge(US, node_id, _short(p.gains), "plan"))
    panel = Panel(msg("design.diagram_title"), tuple(edges))
    labels = {n.id: n.label for n in nodes}
    return network_figure(nodes, [panel]), describe_network(labels, edges)


class DesignSummaryWidget(ExerciseWidget):
    def __init__(self, course: Course, exercise_id: str = "まとめ", store: Store | None = None,
                 export_folder: Path | None = None):
        super().__init__(key("summary"), store)
        self.course = course
        self.export_folder = export_folder
        self.last_check: DesignCheck | None = None
        self.figure = None
        self.alt_text = ""
        self.check_button = button(msg("design.btn_check"), "success", "check")
        self.export_button = button(msg("design.btn_export"), "primary", "download")
        self.upload = W.FileUpload(accept=".html,.md", multiple=False, description=msg("design.upload_label"),
                                   layout=W.Layout(width="auto"))
        self.import_button = button(msg("design.btn_import"), "info", "upload")
        self.print_button = button(msg("print.btn_print"), "primary", "print")
        self.print_button.on_click(self._on_print)
        self.check_button.on_click(self._on_check)
        self.export_button.on_click(self._on_export)
        self.import_button.on_click(self._on_import)
        self.diagram = W.HTML(value="")
        self.ui = W.VBox([
            heading(exercise_id, msg("design.summary_title"), msg("design.summary_instructions")),
            W.HBox([self.check_button, self.export_button]),
            W.HBox([self.print_button]),
            W.HBox([self.upload, self.import_button]),
            self.feedback.widget,
            self.diagram,
        ])

    # the summary keeps no state of its own: the steps do
    def state(self) -> dict[str, Any]:
        return {}

    def restore(self, state: Any) -> int:
        return 0

    def design(self) -> Design:
        """The design as saved, after saving what was typed in the last moment in any open step."""
        live.flush_pending(self.store)
        return design_from_states(self.course, states_from_store(self.store))

    @guarded
    def _on_check(self, _: Any = None) -> None:
        design = self.design()
        check = check_design(design)
        self.last_check = check
        lines = [f.message for f in check.problems] + [f"{msg('design.note_prefix')}{f.message}" for f in check.notes]
        kind = "success" if check.complete else ("info" if not check.steps_done else "warning")
        self.feedback.show(kind, lines or [check.summary], title=check.summary if lines else None)
        drawn = design_diagram(design)
        if drawn is None:
            self.figure, self.alt_text = None, ""
            self.diagram.value = f"<p>{esc(msg('design.diagram_empty'))}</p>"
        else:
            from ..figures import figure_html

            self.figure, self.alt_text = drawn
            self.diagram.value = figure_html(self.figure, self.alt_text)

    def _folder(self) -> Path:
        return self.export_folder or default_workspace() / "exports"

    @guarded
    def _on_export(self, _: Any = None) -> None:
        design = self.design()
        try:
            md, html = export(design, self._folder(), f"{learner_id()}-design")
        except OSError as err:
            self.feedback.show("warning", msg("design.export_failed", error=err.strerror or err))
            return
        self.feedback.show("success", msg("design.exported", md=md, html=html))

    @guarded
    def _on_print(self, _: Any = None) -> None:
        """Print the plan, the agreement draft and the review sheet as A4 PDFs into the export folder."""
        from ..design.printable import print_documents

        try:
            from ..printing import PrintError
        except ImportError:
            self.feedback.show("warning", msg("print.unavailable"))
            return
        design = self.design()
        self.feedback.show("info", msg("print.printing"))
        try:
            paths = print_documents(design, self._folder(), f"{learner_id()}-design")
        except PrintError as err:
            self.feedback.show("warning", msg("print.print_failed", reason=str(err)))
            return
        self.feedback.show("success", msg("print.printed", files="、".join(str(p) for p in paths)))

    @guarded
    def _on_import(self, _: Any = None) -> None:
        files = self.upload.value
        if not files:
            self.feedback.show("warning", msg("design.import_none"))
            return
        try:
            design = parse_export_bytes(bytes(files[0]["content"]), self.course)
        except ImportProblem as problem:
            self.feedback.show("warning", str(problem))
            return
        self.import_design(design)

    def import_design(self, design: Design) -> None:
        """Replace the learner's design with ``design``, keeping the current one as a backup file.

        What the learner typed and is not saved yet goes into the backup first; afterwards every
        open step widget shows the imported design (none writes its old state back). An empty
        design is refused: importing it would only wipe the current one.
        """
        if design.empty:
            self.feedback.show("warning", msg("design.import_empty"))
            return
        lines = []
        current = self.design()  # what was typed and not saved yet is saved first, and goes into the backup
        if not current.empty:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = default_workspace() / "backups" / f"{learner_id()}-design-{stamp}.json"
            atomic_write_text(backup, json.dumps(current.to_states(), ensure_ascii=False, indent=1))
            lines.append(msg("design.import_backup", path=backup))
        for step, state in design.to_states().items():
            if step in PARTS:
                self.store.save(key(step), state)
        live.reload_all(self.store, msg("design.reloaded_import"))
        self.last_check, self.figure, self.alt_text = None, None, ""
        self.diagram.value = ""
        lines.insert(0, msg("design.import_done", title=design.title))
        self.feedback.show("success", lines)
