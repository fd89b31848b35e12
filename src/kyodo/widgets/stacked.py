"""Sorting and ordering widgets for long items: each item's full text above its dropdown.

:class:`kyodo.widgets.sorting.SortingWidget` and
:class:`kyodo.widgets.ordering.OrderingWidget` put the item in the
dropdown's one-line label, which cuts long sentences off. These variants
show the whole sentence (numbered) on its own line and label the dropdown
with the same number, so nothing is hidden and each dropdown still has a
label for screen readers. Behaviour (checking, hints, saving, the
two-step reset) is exactly that of the widget they extend.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W

from ..exercises.ordering import OrderingTask
from ..exercises.sorting import SortingTask
from ..storage import Store
from ..text import esc, msg
from .choices import ChoiceRowsWidget
from .ordering import OrderingWidget
from .sorting import SortingWidget


def restack(widget: ChoiceRowsWidget, rows: Sequence[tuple[str, str]], choice_width: str = "26em") -> None:
    """Rebuild ``widget.ui`` with each row's text above its (numbered) dropdown."""
    boxes = []
    for n, (row_id, text) in enumerate(rows, start=1):
        dropdown = widget.choices[row_id]
        label = msg("stacked.item_number", n=n)
        dropdown.description = label
        dropdown.style.description_width = "3em"
        dropdown.layout.width = choice_width
        boxes.append(W.VBox([
            W.HTML(f"<div style='margin-top:0.5em'><strong>{esc(label)}</strong> {esc(text)}</div>"),
            W.HBox([dropdown, widget.marks[row_id]]),
        ]))
    head, *_, buttons, feedback = widget.ui.children
    widget.ui = W.VBox([head, *boxes, buttons, feedback])


class StackedSortingWidget(SortingWidget):
    """:class:`SortingWidget` with long items shown in full."""

    def __init__(self, task: SortingTask, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        super().__init__(task, key, exercise_id, title, instructions, store=store)
        restack(self, [(i.id, i.text) for i in task.items])


class StackedOrderingWidget(OrderingWidget):
    """:class:`OrderingWidget` with long steps shown in full."""

    def __init__(self, task: OrderingTask, key: str, exercise_id: str, title: str, instructions: str,
                 store: Store | None = None):
        super().__init__(task, key, exercise_id, title, instructions, store=store)
        restack(self, [(s.id, s.text) for s in task.shown], choice_width="14em")
