"""The one widget of every "choose per item" exercise (logic in :mod:`kyodo.exercises.choice`).

Its layout is data (the registry's ``layout``):

* ``dropdown``: the item's text as the label of its dropdown(s), on one line;
* ``wide``: the same with more room for long items;
* ``stacked``: the item's full text on its own line, numbered, the dropdown(s) under it;
* ``checkboxes``: the item's text, then one tick box per option (``mode: many``).

``mode: exactly`` shows n dropdowns per item. The widget only shows what the
task decided: marks, messages, the rules' flags, and a figure a rule asks
for (see :mod:`kyodo.widgets.choice_figures`). With ``grouped`` set, a table
under the rows shows the learner's answers grouped by option, kept current.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..exercises.choice import ChoiceCheck, ChoiceTask, Mark
from ..storage import Store
from ..text import esc, msg
from .common import Choice, ExerciseWidget, guarded, heading

WIDTHS = {"dropdown": ("22em", "20em"), "wide": ("29em", "17em"), "stacked": ("3em", "26em")}
STACKED_PICK_WIDTH = "6em"
"""The label of each of an item's n dropdowns in the stacked layout, e.g. 「項目 1 (2)」 (3em cuts it short)."""


class ChoiceWidget(ExerciseWidget):
    """Rows of dropdowns or tick boxes, the check / hint / reset buttons, feedback and a figure area."""

    def __init__(self, task: ChoiceTask, key: str, label: str, title: str, instructions: str,
                 layout: str = "dropdown", grouped: bool = False, legacy_keys: tuple[str, ...] = (),
                 store: Store | None = None):
        super().__init__(key, store, legacy_keys)
        self.task = task
        self.layout = "checkboxes" if task.mode == "many" else layout
        self.dropdowns: dict[str, list[Choice]] = {}
        self.boxes: dict[str, dict[str, W.Checkbox]] = {}
        self.marks: dict[str, W.HTML] = {}
        rows = [self._row(n, item.id, item.text) for n, item in enumerate(task.items, start=1)]
        self.add_check_buttons()
        self.figure_area = W.Output()
        self.table = W.HTML(value="")
        self.grouped = grouped
        self.ui = W.VBox([heading(label, title, instructions), *rows, self.check_buttons_row(),
                          self.feedback.widget, self.table, self.figure_area])
        self.restore_quietly()

    # --- building the rows -------------------------------------------------------------
    def _row(self, n: int, item_id: str, text: str) -> W.Widget:
        self.marks[item_id] = W.HTML(value="")
        if self.layout == "checkboxes":
            boxes = {}
            for option in self.task.options:
                box = W.Checkbox(value=False, description=option.label, indent=False,
                                 layout=W.Layout(width="auto", margin="0 1.5em 0 0"))
                box.observe(self._on_tick, names="value")
                boxes[option.id] = box
            self.boxes[item_id] = boxes
            return W.VBox([W.HTML(f"<strong>{esc(text)}</strong>"), W.HBox(list(boxes.values())),
                           self.marks[item_id]], layout=W.Layout(margin="0 0 0.6em 0"))
        label_width, choice_width = WIDTHS.get(self.layout, WIDTHS["dropdown"])
        options = [(msg("widget.choose"), None), *((o.label, o.id) for o in self.task.options)]
        stacked = self.layout == "stacked"
        if stacked and self.task.pick > 1:
            label_width = STACKED_PICK_WIDTH
        number = msg("choice.item_number", n=n)
        dropdowns = []
        for slot in range(self.task.pick):
            label = number if stacked else (text if slot == 0 else "")
            if self.task.pick > 1:
                label = f"{label} ({slot + 1})" if label else f"({slot + 1})"
            dropdown = Choice(options=options, value=None, description=label,
                              style={"description_width": label_width if slot == 0 or stacked else "3em"},
                              layout=W.Layout(width=f"calc({label_width} + {choice_width})" if slot == 0
                                              or stacked else f"calc(3em + {choice_width})"))
            dropdown.observe(self._on_choice, names="value")
            dropdowns.append(dropdown)
        self.dropdowns[item_id] = dropdowns
        line = W.HBox([*dropdowns, self.marks[item_id]], layout=W.Layout(flex_flow="row wrap"))
        if not stacked:
            return line
        return W.VBox([W.HTML(f"<div style='margin-top:0.5em'><strong>{esc(number)}</strong> {esc(text)}</div>"),
                       line])

    # --- the task on screen -------------------------------------------------------------
    def show_task(self) -> None:
        for item_id, dropdowns in self.dropdowns.items():
            if self.task.mode == "exactly":
                for dropdown, value in zip(dropdowns, self.task.slots[item_id]):
                    dropdown.value = value
            else:
                value = self.task.answers[item_id]
                dropdowns[0].value = value if isinstance(value, str) else None
        for item_id, boxes in self.boxes.items():
            for option_id, box in boxes.items():
                box.value = self.task.is_ticked(item_id, option_id)
        self.refresh_table()

    # --- callbacks -----------------------------------------------------------------------
    @guarded
    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        for item_id, dropdowns in self.dropdowns.items():
            if change["owner"] in dropdowns:
                slot = dropdowns.index(change["owner"])
                if self.task.mode == "exactly":
                    self.task.choose_slot(item_id, slot, change["new"])
                else:
                    self.task.choose(item_id, change["new"])
                self.marks[item_id].value = ""
        self.refresh_table()
        self.save()

    @guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self._cancel_reset()
        for item_id, boxes in self.boxes.items():
            for option_id, box in boxes.items():
                if box is change["owner"]:
                    self.task.tick(item_id, option_id, bool(change["new"]))
                    self.marks[item_id].value = ""
        self.refresh_table()
        self.save()

    def show_check(self, check: ChoiceCheck) -> None:
        """Put the task's verdict on screen: row marks, the summary, the flags and any figure."""
        for r in check.results:
            self.marks[r.item.id].value = f"<span>{r.icon} {esc(r.message)}</span>"
        lines = [f"⚠️ {line}" for line in check.flags]
        lines += [f"{r.icon} {r.item.text}: {r.message}" for r in check.results if r.mark is not Mark.UNANSWERED]
        self.feedback.show(check.kind, lines or [msg("choice.nothing_yet")], title=check.summary)
        self.figure_area.clear_output()
        figures = [o.figure for o in check.outcomes if o.figure is not None]
        if figures:
            from .choice_figures import draw

            with self.figure_area:
                for name, title, note in figures:
                    draw(name, self.task, title, note)

    def after_reset(self) -> None:
        for mark in self.marks.values():
            mark.value = ""
        self.figure_area.clear_output()

    # --- the answers grouped by option ---------------------------------------------------
    def table_html(self) -> str:
        """The learner's answers grouped by option, as an HTML table (every text escaped)."""
        groups: dict[str, list[str]] = {o.id: [] for o in self.task.options}
        for item in self.task.items:
            value = self.task.answers[item.id]
            for option_id in ([value] if isinstance(value, str) else sorted(value or ())):
                groups[option_id].append(item.text)
        head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em;border-bottom:1px solid #999'>"
                       f"{esc(o.label)}</th>" for o in self.task.options)
        cells = []
        for o in self.task.options:
            entries = groups[o.id]
            body = ("<ul style='margin:0;padding-left:1.2em'>" + "".join(f"<li>{esc(t)}</li>" for t in entries)
                    + "</ul>") if entries else f"<span style='color:#555'>{esc(msg('choice.table_empty'))}</span>"
            cells.append(f"<td style='vertical-align:top;padding:0.3em 0.6em'>{body}</td>")
        return (f"<table style='border-collapse:collapse;margin:0.5em 0;font-size:0.95em'>"
                f"<caption style='text-align:left;font-weight:bold'>{esc(msg('choice.table_caption'))}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody><tr>{''.join(cells)}</tr></tbody></table>")

    def refresh_table(self) -> None:
        if self.grouped:
            self.table.value = self.table_html()
