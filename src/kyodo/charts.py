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

from .style import PALETTE, use_course_style
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
    if hypothetical:
        _mark_hypothetical(fig)
    fig.tight_layout()
    plt.close(fig)
    lines = [title] + [f"{label}: {value:,.0f}{unit}" for label, value in zip(labels, values)]
    if hypothetical:
        lines.append(msg("chart.hypothetical"))
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
    fig.tight_layout()
    plt.close(fig)
    lines = [title]
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                lines.append(msg("chart.cell", row=row_labels[i], col=col_labels[j], value=value))
    return Chart(fig, "\n".join(lines))
