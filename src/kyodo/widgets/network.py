"""The relationship-network exercise as ipywidgets (logic in :mod:`kyodo.exercises.network`).

:func:`build` makes the widget of a registry entry (``kind: network``), as
``kyodo.exercise("case5-ex2")`` shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..data import load_course
from ..exercises.network import NetworkExercise, exercise_of
from ..network_diagram import NetworkPanel, describe_network, network_figure
from ..figures import show_figure
from ..storage import Store
from ..text import msg
from .common import Choice, ExerciseWidget, button, guarded, heading

if TYPE_CHECKING:
    from ..registry import BuiltSpec


def figure_with_alt(exercise: NetworkExercise, panels: list[NetworkPanel]) -> tuple[Any, str]:
    """A figure of the panels and its alternative text."""
    occasions = {o.id: o.name for o in exercise.occasions}
    figure = network_figure(exercise.people, panels)
    alt = "\n\n".join(describe_network(exercise.people, p, occasions) for p in panels)
    return figure, alt


class NetworkWidget(ExerciseWidget):
    """Add acquaintance ties, check how robust the network is, and see what happens when someone leaves."""

    def __init__(self, exercise: NetworkExercise, key: str, label: str, title: str, instructions: str,
                 store: Store | None = None, legacy_keys: Iterable[str] = ()):
        super().__init__(key, store, legacy_keys)
        self.exercise = exercise
        self.figure = None
        self.alt_text = ""
        people = [(msg("widget.choose"), None)] + [(p.name, p.id) for p in exercise.people]
        places = [(msg("widget.choose"), None)] + [(o.name, o.id) for o in exercise.occasions]
        wide = {"description_width": "8em"}
        self.person_a = Choice(options=people, description=msg("network.part_a"), style=wide,
                                   layout=W.Layout(width="28em"))
        self.person_b = Choice(options=people, description=msg("network.part_b"), style=wide,
                                   layout=W.Layout(width="28em"))
        self.occasion = Choice(options=places, description=msg("network.part_occasion"), style=wide,
                                   layout=W.Layout(width="36em"))
        self.tie_list = W.Select(options=[], rows=4, description=msg("network.list"), style=wide,
                                 layout=W.Layout(width="40em"))
        self.leaver = Choice(options=people, description=msg("network.leave_label"), style=wide,
                                 layout=W.Layout(width="28em"))
        for dropdown in (self.person_a, self.person_b, self.occasion, self.leaver):
            dropdown.index = 0  # show the "(選んでください)" placeholder, also on the website
        self.add_button = button(msg("network.btn_add"), "primary", "plus")
        self.remove_button = button(msg("network.btn_remove"), "", "minus")
        self.leave_button = button(msg("network.btn_leave"), "", "user-times")
        self.check_button = button(msg("widget.btn_check"), "success", "check")
        self.hint_button = button(msg("widget.btn_hint"), "info", "lightbulb-o")
        self.reset_button = button(msg("widget.btn_reset"), "warning", "refresh")
        self.diagram = W.Output()
        self.add_button.on_click(self._on_add)
        self.remove_button.on_click(self._on_remove)
        self.leave_button.on_click(self._on_leave)
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.reset_button.on_click(self._on_reset)
        self.ui = W.VBox([
            heading(label, title, instructions),
            W.VBox([self.person_a, self.person_b, self.occasion]),
            W.HBox([self.add_button, self.remove_button]),
            self.tie_list,
            W.HBox([self.leaver, self.leave_button]),
            self.check_buttons_row(),
            self.feedback.widget,
            self.diagram,
        ])
        self._restore_saved()
        self._refresh_list()

    # --- state ---------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.exercise.to_state()

    def restore(self, state: Any) -> int:
        return self.exercise.load_state(state)

    def _refresh_list(self) -> None:
        self.tie_list.options = [(self.exercise.describe(t), i) for i, t in enumerate(self.exercise.added)]

    # --- callbacks --------------------------------------------------------------
    @guarded
    def _on_add(self, _: Any = None) -> None:
        self._cancel_reset()
        result = self.exercise.add(self.person_a.value, self.person_b.value, self.occasion.value)
        if result.ok:
            self._refresh_list()
            self.save()
            self.feedback.show("info", result.message)
            self.draw()
        else:
            self.feedback.show("warning", result.message)

    @guarded
    def _on_remove(self, _: Any = None) -> None:
        self._cancel_reset()
        index = self.tie_list.value
        result = self.exercise.remove(index if isinstance(index, int) else -1)
        self.feedback.show("info" if result.ok else "warning", result.message)
        if result.ok:
            self._refresh_list()
            self.save()
            self.draw()

    @guarded
    def _on_check(self, _: Any = None) -> None:
        self._cancel_reset()
        check = self.exercise.check()
        lines = [f"⚠️ {p}" for p in check.problems]
        lines += [f"{'✅' if t.useful else '➖'} {self.exercise.describe(t.tie)}: {t.message}" for t in check.ties]
        if not check.ties:
            lines.append(msg("network.nothing_yet"))
        kind = "success" if check.complete else "warning"
        self.feedback.show(kind, lines, title=check.summary)
        self.draw()

    @guarded
    def _on_hint(self, _: Any = None) -> None:
        self._cancel_reset()
        self.feedback.show("info", self.exercise.hint())

    @guarded
    def _on_leave(self, _: Any = None) -> None:
        self._cancel_reset()
        impact, text = self.exercise.leave(self.leaver.value)
        if impact is None:
            self.feedback.show("warning", text)
            return
        kind = "warning" if impact.splits or impact.lost_only_link else "success"
        self.feedback.show(kind, text.split("\n"), title=msg("network.leave_title", name=self.exercise.name(impact.person)))
        self.draw(leaving=impact.person)

    @guarded
    def _on_reset(self, _: Any = None) -> None:
        n = len(self.exercise.added)
        self._two_step_reset(msg("network.reset_ask", n=n), self._clear, n)

    def _clear(self) -> None:
        self.exercise.reset()
        self._refresh_list()
        self.figure = None
        self.alt_text = ""
        self.diagram.clear_output()

    # --- drawing ------------------------------------------------------------------
    def panels(self, leaving: str | None = None) -> list[NetworkPanel]:
        after = tuple(self.exercise.after_events().ties)
        current = tuple(self.exercise.current().ties)
        if leaving:
            name = self.exercise.name(leaving)
            return [NetworkPanel(msg("network.title_current"), current),
                    NetworkPanel(msg("network.leave_title", name=name), current, left=leaving)]
        return [NetworkPanel(msg("network.title_after"), after), NetworkPanel(msg("network.title_current"), current)]

    def draw(self, leaving: str | None = None) -> None:
        self.figure, self.alt_text = figure_with_alt(self.exercise, self.panels(leaving))
        self.diagram.clear_output()
        with self.diagram:
            show_figure(self.figure, self.alt_text)


def build(spec: BuiltSpec, store: Store | None = None) -> NetworkWidget:
    """The widget of a registry entry of ``kind: network`` (its ``params``: :class:`~kyodo.exercises.network.NetworkParams`)."""
    return NetworkWidget(exercise_of(spec, load_course()), spec.id, spec.label, spec.title, spec.instructions,
                         store=store, legacy_keys=spec.legacy_keys)
