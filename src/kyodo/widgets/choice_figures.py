"""Figures that a choice exercise's rule asks for after the check (``rules: [{rule: table_after_check, figure: ...}]``).

Each figure is drawn from the task's model answers, never from the
learner's, so it shows what the source says:

* ``reach``: who reaches whom (items × options; the exclusive option is "only together");
* ``coverage``: which pairs of options the items pair (a table of kinds × kinds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..charts import Chart
from ..exercises.choice import ChoiceTask
from ..exercises.pairs import ActorKind, Coverage
from ..exercises.reach import ReachTable
from .figure import show_chart
from .pairs import coverage_chart
from .reach import reach_chart


def _right(task: ChoiceTask, item_id: str) -> frozenset[str]:
    item = task.item(item_id)
    value = item.right[0].value if item.right else frozenset()
    return value if isinstance(value, frozenset) else frozenset({value})


def reach_figure(task: ChoiceTask, title: str, note: str) -> Chart:
    """Who reaches each item alone (one column per non-exclusive option) and together (last column)."""
    parties = [o for o in task.options if o.id not in task.exclusive]
    items = sorted(task.items, key=lambda i: [o.id for o in parties].index(min(_right(task, i.id),
                   key=lambda v: [o.id for o in parties].index(v))) if _right(task, i.id) - task.exclusive else 99)
    reached = tuple(tuple(o.id in _right(task, i.id) for o in parties) + (True,) for i in items)
    new = tuple(bool(_right(task, i.id) & task.exclusive) for i in items)
    table = ReachTable(tuple(i.short or i.text for i in items), tuple(i.text for i in items),
                       tuple(o.label for o in parties), reached, new)
    return reach_chart(table, title, note)


@dataclass(frozen=True)
class _Paired:
    number: str


def coverage_figure(task: ChoiceTask, title: str = "", note: str = "") -> Chart:
    """Which unordered pairs of options the items pair, with the items' short names in the cells."""
    kinds = tuple(ActorKind(o.id, o.label, o.clue) for o in task.options)
    found: dict[frozenset[str], list[_Paired]] = {}
    for item in task.items:
        found.setdefault(_right(task, item.id), []).append(_Paired(item.short or item.text))
    return coverage_chart(Coverage(kinds, {k: tuple(v) for k, v in found.items()}))  # type: ignore[arg-type]


FIGURES: dict[str, Callable[[ChoiceTask, str, str], Chart]] = {"reach": reach_figure, "coverage": coverage_figure}


def draw(name: str, task: ChoiceTask, title: str = "", note: str = "") -> Chart:
    """Draw the named figure in the current output (with its alternative text) and return it."""
    chart = FIGURES[name](task, title, note)
    show_chart(chart)
    return chart
