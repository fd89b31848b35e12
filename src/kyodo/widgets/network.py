"""The relationship-network exercise as ipywidgets (logic in :mod:`kyodo.exercises.network`).

:func:`build` makes the widget of a registry entry (``kind: network``), as
``kyodo.exercise("case5-ex2")`` shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..data import load_course
from ..exercises.network import NetworkCheck, NetworkExercise, exercise_of
from ..network_diagram import NetworkPanel, describe_network, network_figure
from ..storage import Store
from ..text import msg
from .common import Choice, button, guarded, heading
from .edges import EdgeBuilderWidget

if TYPE_CHECKING:
    from ..registry import BuiltSpec


def figure_with_alt(exercise: NetworkExercise, panels: list[NetworkPanel]) -> tuple[Any, str]:
    """A figure of the panels and its alternative text."""
    occasions = {o.id: o.name for o in exercise.occasions}
    figure = network_figure(exercise.people, panels)
    alt = "\n\n".join(describe_network(exercise.people, p, occasions) for p in panels)
    return figure, alt


class NetworkWidget(EdgeBuilderWidget):
    """Add acquaintance ties, check how robust the network is, and see what happens when someone leaves."""

    task: NetworkExercise
    reset_ask = "network.reset_ask"

    def __init__(self, task: NetworkExercise, key: str, label: str, title: str, instructions: str,
                 store: Store | None = None, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.task = task
        people = [(msg("widget.choose"), None)] + [(p.name, p.id) for p in task.people]
        places = [(msg("widget.choose"), None)] + [(o.name, o.id) for o in task.occasions]
        wide = {"description_width": "8em"}
        self.person_a = Choice(options=people, description=msg("network.part_a"), style=wide,
                               layout=W.Layout(width="28em"))
        self.person_b = Choice(options=people, description=msg("network.part_b"), style=wide,
                               layout=W.Layout(width="28em"))
        self.occasion = Choice(options=places, description=msg("network.part_occasion"), style=wide,
                               layout=W.Layout(width="36em"))
        self.leaver = Choice(options=people, description=msg("network.leave_label"), style=wide,
                             layout=W.Layout(width="28em"))
        self.leave_button = button(msg("network.btn_leave"), "", "user-times")
        self.leave_button.on_click(self._on_leave)
        self.ui = self.edge_controls(heading(label, title, instructions), (self.person_a, self.person_b, self.occasion),
                                     list_label=msg("network.list"), list_rows=4, list_width="40em", style=wide,
                                     add_label=msg("network.btn_add"), remove_label=msg("network.btn_remove"),
                                     extra=[W.HBox([self.leaver, self.leave_button])])
        self.restore_quietly()

    def edges_changed(self) -> None:
        self.draw()

    def show_check(self, check: NetworkCheck) -> None:
        lines = [f"⚠️ {p}" for p in check.problems]
        lines += [f"{'✅' if t.useful else '➖'} {self.task.describe(t.tie)}: {t.message}" for t in check.ties]
        if not check.ties:
            lines.append(msg("network.nothing_yet"))
        kind = "success" if check.complete else "warning"
        self.feedback.show(kind, lines, title=check.summary)
        self.draw()

    @guarded
    def _on_leave(self, _: Any = None) -> None:
        self._cancel_reset()
        impact, text = self.task.leave(self.leaver.value)
        if impact is None:
            self.feedback.show("warning", text)
            return
        kind = "warning" if impact.splits or impact.lost_only_link else "success"
        self.feedback.show(kind, text.split("\n"), title=msg("network.leave_title", name=self.task.name(impact.person)))
        self.draw(leaving=impact.person)

    # --- drawing ------------------------------------------------------------------
    def panels(self, leaving: str | None = None) -> list[NetworkPanel]:
        after = tuple(self.task.after_events().ties)
        current = tuple(self.task.current().ties)
        if leaving:
            name = self.task.name(leaving)
            return [NetworkPanel(msg("network.title_current"), current),
                    NetworkPanel(msg("network.leave_title", name=name), current, left=leaving)]
        return [NetworkPanel(msg("network.title_after"), after), NetworkPanel(msg("network.title_current"), current)]

    def draw(self, leaving: str | None = None) -> None:
        self.show_drawing(*figure_with_alt(self.task, self.panels(leaving)))


def build(spec: BuiltSpec, store: Store | None = None) -> NetworkWidget:
    """The widget of a registry entry of ``kind: network`` (its ``params``: :class:`~kyodo.exercises.network.NetworkParams`)."""
    return NetworkWidget(exercise_of(spec, load_course()), spec.id, spec.label, spec.title, spec.instructions,
                         store=store, legacy_keys=spec.legacy_keys)
