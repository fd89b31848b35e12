"""The base of the exercises built edge by edge: the flow map and the relationship network.

Both ask for two endpoints and a label (three dropdowns), add or remove
the edge with two buttons, list the edges built so far and draw a figure.
:class:`EdgeBuilderWidget` owns what they share: the buttons and the list,
the messages when an add or a remove is refused, keeping the list in step
with the task, and the figure area. Each subclass makes its own dropdowns,
draws its own figure and shows its own check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import ipywidgets as W

from .common import Choice, ExerciseWidget, Task, button, guarded


class Outcome(Protocol):
    """What an add or a remove returns: whether it happened, and the message that says so or why not."""

    ok: bool
    message: str


class EdgeTask(Task, Protocol):
    """A :class:`~kyodo.widgets.common.Task` whose answers are edges, added one by one."""

    @property
    def edges(self) -> Sequence[Any]:
        """The learner's edges, in the order they were added."""
        ...

    def add(self, a: str | None, b: str | None, label: str | None) -> Outcome:
        ...

    def remove(self, index: int) -> Outcome:
        ...

    def describe(self, edge: Any) -> str:
        """One edge as a line of the list."""
        ...


class EdgeBuilderWidget(ExerciseWidget):
    """Choose two endpoints and a label, add or remove the edge, see the list; check, hint and reset."""

    task: EdgeTask
    figure: Any = None
    alt_text: str = ""

    def edge_controls(self, head: W.Widget, ends: tuple[Choice, Choice, Choice], *, list_label: str,
                      list_rows: int, list_width: str, style: dict[str, str], add_label: str,
                      remove_label: str, extra: Sequence[W.Widget] = ()) -> W.VBox:
        """Make the buttons, the list (``edge_list``) and the figure area; returns the whole ``ui``.

        ``ends`` are the two endpoints' and the label's dropdowns; ``extra`` rows go under the list.
        """
        self.ends = ends
        self.edge_list = W.Select(options=[], rows=list_rows, description=list_label, style=style,
                                  layout=W.Layout(width=list_width))
        self.add_button = button(add_label, "primary", "plus")
        self.remove_button = button(remove_label, "", "minus")
        self.add_button.on_click(self._on_add)
        self.remove_button.on_click(self._on_remove)
        self.add_check_buttons()
        self.diagram = W.Output()
        return W.VBox([head, W.VBox(list(ends)), W.HBox([self.add_button, self.remove_button]), self.edge_list,
                       *extra, self.check_buttons_row(), self.feedback.widget, self.diagram])

    # --- the task on screen -------------------------------------------------------
    def show_task(self) -> None:
        self.edge_list.options = [(self.task.describe(e), i) for i, e in enumerate(self.task.edges)]

    def edges_changed(self) -> None:
        """Called after an edge was added or removed (and saved), e.g. to redraw."""

    def after_reset(self) -> None:
        self.figure = None
        self.alt_text = ""
        self.diagram.clear_output()

    def show_drawing(self, figure: Any, alt_text: str) -> None:
        """Show ``figure`` (with its description in words) in the figure area, replacing the last one."""
        from ..figures import show_figure  # matplotlib, only once there is something to draw

        self.figure, self.alt_text = figure, alt_text
        self.diagram.clear_output()
        with self.diagram:
            show_figure(self.figure, self.alt_text)

    # --- callbacks --------------------------------------------------------------------
    @guarded
    def _on_add(self, _: Any = None) -> None:
        self._cancel_reset()
        a, b, label = (end.value for end in self.ends)
        self._changed(self.task.add(a, b, label))

    @guarded
    def _on_remove(self, _: Any = None) -> None:
        self._cancel_reset()
        index = self.edge_list.value
        self._changed(self.task.remove(index if isinstance(index, int) else -1))

    def _changed(self, result: Outcome) -> None:
        """Say what happened; if the edges changed, list, save and tell the subclass."""
        self.feedback.show("info" if result.ok else "warning", result.message)
        if result.ok:
            self.show_task()
            self.save()
            self.edges_changed()
