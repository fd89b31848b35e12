"""CASE5 (企業と町内会・自治会など): what the lesson shows besides its exercises.

In the notebook::

    from kyodo.lessons import case5
    case5.network_before_after()   # the hypothetical network, before and after the shared events

The exercises themselves are in the registry (``data/exercises/case5.yml``):
``kyodo.exercise("case5-ex1")`` (who does what), ``"case5-ex2"`` (the
network, whose hypothetical neighbourhood this figure draws) and
``"case5-ex3"`` (a year of recurring contact).
"""

from __future__ import annotations

from IPython.display import HTML, display

from ..exercises.network import exercise_of
from ..figures import show_figure
from ..cells import _friendly, built_spec, course
from ..network_diagram import NetworkPanel
from ..text import esc, msg
from ..widgets.network import figure_with_alt

NETWORK_EXERCISE = "case5-ex2"
"""The registry entry whose hypothetical neighbourhood the figure shows."""


@_friendly
def network_before_after() -> None:
    """Show the hypothetical network before and after the festival and the factory tour, with its alt text."""
    exercise = exercise_of(built_spec(NETWORK_EXERCISE, "network"), course())
    panels = [NetworkPanel(msg("network.title_before"), tuple(exercise.before().ties)),
              NetworkPanel(msg("network.title_after"), tuple(exercise.after_events().ties))]
    figure, alt = figure_with_alt(exercise, panels)
    before, after = exercise.before().robustness(), exercise.after_events().robustness()
    show_figure(figure, alt)
    display(HTML(f"<p>{esc(msg('case5.groups', before=len(before.groups), after=len(after.groups)))}</p>"))
