"""Figures that a choice exercise's rule asks for after the check (``rules: [{rule: table_after_check, figure: ...}]``).

Each figure is drawn from the task's model answers, never from the
learner's, so it shows what the source says:

* ``reach``: who reaches whom (items × options; the exclusive option is "only together").
  A column is named by its option's ``party`` facet when it has one (「グリーンバード」 for
  the option 「グリーンバードだけで届く」), else by the option's label.
* ``coverage``: which unordered pairs of options the items pair (``mode: exactly``, ``pick: 2``):
  a table of options × options whose covered cells list the items' ``short`` names as they are.

The title and the note under the figure come from the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

from IPython.display import HTML, display
from matplotlib.patches import Rectangle

from ..charts import Chart, heatmap
from ..diagrams import wrap_label
from ..exercises.choice import ChoiceTask, Item, Option
from ..style import PALETTE, make_drawable
from ..text import esc, msg
from .figure import show_chart


def _right(task: ChoiceTask, item: Item) -> frozenset[str]:
    value = item.right[0].value if item.right else frozenset()
    return value if isinstance(value, frozenset) else frozenset({value})


def _short(item: Item) -> str:
    return item.short or item.text


# --- reach: who reaches whom, alone and together ----------------------------------------


def _party(option: Option) -> str:
    return option.facets.get("party") or option.label


def reach_figure(task: ChoiceTask, title: str, note: str) -> Chart:
    """Who reaches each item alone (one column per non-exclusive option) and together (last column).

    Working together reaches everyone each party reaches alone, plus the items reached
    only together (drawn darker: 新たに届く). The counts under the column names count
    items (kinds of audience), not people; ``note`` says so under the chart.
    """
    parties = [o for o in task.options if o.id not in task.exclusive]
    ids = [o.id for o in parties]

    def group(item: Item) -> int:
        alone = _right(task, item) - task.exclusive
        return min(ids.index(p) for p in alone) if alone else len(ids)

    items = sorted(task.items, key=group)  # stable: within a group, as the rows were shown
    reached = [[o.id in _right(task, i) for o in parties] + [True] for i in items]
    new = [bool(_right(task, i) & task.exclusive) for i in items]
    last = len(parties)

    def count(column: int) -> int:
        return sum(row[column] for row in reached)

    matrix = [[(2 if (j == last and is_new) else 1) if v else 0 for j, v in enumerate(row)]
              for row, is_new in zip(reached, new)]
    cells = [[(msg("choice_figures.reach_cell_new") if value == 2 else msg("choice_figures.reach_cell"))
              if value else "" for value in row] for row in matrix]
    columns = [msg("choice_figures.reach_column_alone", party=_party(o), n=count(j)) for j, o in enumerate(parties)]
    columns.append(msg("choice_figures.reach_column_together", n=count(last)))
    rows = [wrap_label(_short(i), 13) for i in items]
    chart = heatmap(matrix, rows, columns, title, cell_text=cells)
    fig = chart.figure
    fig.set_size_inches(8.4, 0.8 * len(rows) + 2.4)
    ax = fig.axes[0]
    ax.set_aspect("auto")
    ax.set_xticks(range(len(columns)), labels=columns, rotation=0, ha="center")
    ax.xaxis.tick_top()
    fig.text(0.01, 0.01, note, ha="left", va="bottom", fontsize=9)
    make_drawable(fig)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    names = [o.label for o in parties] + [msg("choice_figures.reach_together")]
    lines = [title]
    for j, column in enumerate(names):
        reached_here = "".join(f"「{i.text}」" for i, row in zip(items, reached) if row[j])
        lines.append(msg("choice_figures.reach_alt_column", column=column, n=count(j), names=reached_here or "—"))
    added = "".join(f"「{i.text}」" for i, is_new in zip(items, new) if is_new)
    if added:
        lines.append(msg("choice_figures.reach_alt_new", names=added))
    if note:
        lines.append(note)
    return Chart(fig, "\n".join(lines))


# --- coverage: which pairs of options the items pair -------------------------------------


def coverage_pairs(task: ChoiceTask) -> dict[frozenset[str], list[Item]]:
    """Every unordered pair of two different options (in the options' order) and the items that pair them."""
    found: dict[frozenset[str], list[Item]] = {frozenset((a.id, b.id)): []
                                               for a, b in combinations(task.options, 2)}
    for item in task.items:
        pair = _right(task, item)
        if pair in found:
            found[pair].append(item)
    for items in found.values():
        items.sort(key=_short)
    return found


def _pair_name(options: Sequence[Option], pair: frozenset[str]) -> str:
    return " × ".join(o.label for o in options if o.id in pair)


def coverage_figure(task: ChoiceTask, title: str = "", note: str = "") -> Chart:
    """The options × options table: a covered pair shows its items' short names, an uncovered one 「なし」.

    Each pair is drawn once, below the diagonal; the diagonal and the upper half are
    shaded, so no pair is counted twice. The alternative text lists the covered and
    the uncovered pairs, and the options no item involves.
    """
    options = task.options
    pairs = coverage_pairs(task)
    n = len(options)
    matrix = [[0] * n for _ in range(n)]
    text = [[""] * n for _ in range(n)]
    for i in range(n):
        for j in range(i):
            items = pairs[frozenset((options[i].id, options[j].id))]
            matrix[i][j] = len(items)
            text[i][j] = "\n".join(_short(it) for it in items) if items else msg("choice_figures.coverage_none")
    names = [o.label for o in options]
    chart = heatmap(matrix, names, names, title, cell_text=text)
    ax = chart.figure.axes[0]
    for i in range(n):
        for j in range(i, n):
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=PALETTE["grey"], alpha=0.3,
                                   edgecolor=PALETTE["grey"], linewidth=0, hatch="//"))
    chart.figure.set_size_inches(8.4, 6.6)
    if note:
        chart.figure.text(0.01, 0.01, note, ha="left", va="bottom", fontsize=9, wrap=True)
    make_drawable(chart.figure)
    chart.figure.tight_layout(rect=(0, 0.05, 1, 1))
    covered = [p for p, items in pairs.items() if items]
    uncovered = [p for p, items in pairs.items() if not items]
    lines = [title] if title else []
    lines.append(msg("choice_figures.coverage_alt_counts", kinds=n, total=len(pairs), covered=len(covered),
                     uncovered=len(uncovered)))
    for pair in covered:
        lines.append(msg("choice_figures.coverage_alt_covered", pair=_pair_name(options, pair),
                         items="・".join(_short(it) for it in pairs[pair])))
    if uncovered:
        lines.append(msg("choice_figures.coverage_alt_uncovered",
                         pairs="、".join(_pair_name(options, p) for p in uncovered)))
    used = {o for p in covered for o in p}
    unused = [o.label for o in options if o.id not in used]
    if unused:
        lines.append(msg("choice_figures.coverage_alt_unused", options="、".join(unused)))
    if note:
        lines.append(note)
    return Chart(chart.figure, "\n".join(lines))


FIGURES: dict[str, Callable[[ChoiceTask, str, str], Chart]] = {"reach": reach_figure, "coverage": coverage_figure}


def draw(name: str, task: ChoiceTask, title: str = "", note: str = "") -> Chart | None:
    """Draw the named figure in the current output (with its alternative text) and return it.

    A name that is not in :data:`FIGURES` (a slip in the registry's ``rules``) is said in
    the output, with the figures there are; nothing is drawn.
    """
    if name not in FIGURES:
        text = msg("registry.unknown_figure", figure=name, known=", ".join(FIGURES))
        display(HTML(f"<p role='alert' style='color:#7a1f00'>{esc(text)}</p>"))
        return None
    chart = FIGURES[name](task, title, note)
    show_chart(chart)
    return chart
