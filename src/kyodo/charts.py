"""Charts (bar charts, heatmaps) in the course's style, each with alternative text.

Every function returns a :class:`Chart`: the matplotlib figure and a
plain-text description of what it shows, for screen readers and for the
page's alternative text. Figures built from numbers the pamphlet does
not give carry a visible "架空の例" (hypothetical) note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .style import PALETTE, make_drawable, use_course_style
from .text import msg


@dataclass(frozen=True)
class Chart:
    figure: Figure
    alt_text: str


def _mark_hypothetical(fig: Figure) -> None:
    fig.text(0.99, 0.01, msg("chart.hypothetical"), ha="right", va="bottom", fontsize=9, color=PALETTE["black"],
             bbox={"boxstyle": "round,pad=0.3", "fc": "#fff4dc", "ec": PALETTE["orange"]})


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, value_label: str,
              unit: str = "", hypothetical: bool = False) -> Chart:
    """Horizontal bars, largest first as given; values written at the bar ends."""
    if len(labels) != len(values) or not labels:
        raise ValueError(msg("chart.bad_data"))
    use_course_style()
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(labels) + 1.6))
    positions = list(range(len(labels)))[::-1]
    bars = ax.barh(positions, values, color=PALETTE["blue"])
    ax.set_yticks(positions, labels=list(labels))
    ax.set_xlabel(value_label)
    ax.set_title(title)
    ax.bar_label(bars, labels=[f"{v:,.0f}{unit}" for v in values], padding=3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max(max(values), 1) * 1.25)
    if max(values) <= 50 and all(float(v).is_integer() for v in values):  # counts: no 0.5 ticks
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if hypothetical:
        _mark_hypothetical(fig)
    make_drawable(fig)
    fig.tight_layout()
    plt.close(fig)
    lines = [title] + [f"{label}: {value:,.0f}{unit}" for label, value in zip(labels, values)]
    if hypothetical:
        lines.append(msg("chart.hypothetical"))
    return Chart(fig, "\n".join(lines))


def grouped_bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                      title: str, value_label: str, limit: tuple[float, float] = (0, 5)) -> Chart:
    """Horizontal bars, one group per label and one bar per series.

    Series differ by colour *and* hatching, and every bar carries its value,
    so the chart reads without colour. ``None`` values are left out and
    noted in the alternative text.
    """
    if not labels or not series or any(len(values) != len(labels) for _, values in series):
        raise ValueError(msg("chart.bad_data"))
    use_course_style()
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
    hatches = ["", "//", "..", "xx"]
    n = len(series)
    height = 0.8 / n
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(labels) * n + 1.8))
    base = list(range(len(labels)))[::-1]
    for k, (name, values) in enumerate(series):
        ys = [b + (n - 1 - 2 * k) * height / 2 for b in base]
        shown = [(y, v) for y, v in zip(ys, values) if v is not None]
        if not shown:
            continue
        bars = ax.barh([y for y, _ in shown], [v for _, v in shown], height=height * 0.95,
                       color=colours[k % 4], hatch=hatches[k % 4], edgecolor="white", label=name)
        ax.bar_label(bars, labels=[f"{v:.1f}" for _, v in shown], padding=3, fontsize=9)
    ax.set_yticks(base, labels=list(labels))
    ax.set_xlim(*limit)
    ax.set_xlabel(value_label)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    if n > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=n, fontsize=9, frameon=False)
    make_drawable(fig)
    fig.tight_layout()
    plt.close(fig)
    lines = [title]
    for i, label in enumerate(labels):
        parts = [f"{name} {values[i]:.1f}" if values[i] is not None else f"{name} {msg('chart.no_value')}"
                 for name, values in series]
        lines.append(f"{label}: " + " / ".join(parts))
    return Chart(fig, "\n".join(lines))


def heatmap(matrix: Sequence[Sequence[int]], row_labels: Sequence[str], col_labels: Sequence[str],
            title: str, cell_text: Sequence[Sequence[str]] | None = None) -> Chart:
    """A grid of counts; each cell shows its number (or ``cell_text``), so colour is never the only cue."""
    if len(matrix) != len(row_labels) or any(len(row) != len(col_labels) for row in matrix):
        raise ValueError(msg("chart.bad_data"))
    use_course_style()
    fig, ax = plt.subplots(figsize=(1.2 * len(col_labels) + 3, 0.7 * len(row_labels) + 2))
    top = max((max(row) for row in matrix), default=0) or 1
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=top * 1.4)
    ax.set_xticks(range(len(col_labels)), labels=list(col_labels), rotation=35, ha="right")
    ax.set_yticks(range(len(row_labels)), labels=list(row_labels))
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            text = cell_text[i][j] if cell_text else (str(value) if value else "")
            ax.text(j, i, text, ha="center", va="center", fontsize=10, color="black")
    ax.set_title(title)
    make_drawable(fig)
    fig.tight_layout()
    plt.close(fig)
    lines = [title]
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                lines.append(msg("chart.cell", row=row_labels[i], col=col_labels[j], value=value))
    return Chart(fig, "\n".join(lines))
