"""The figure of a logic model: purpose on top, then resources → activities → outputs → outcomes.

:func:`logic_model_figure` draws a :class:`~kyodo.exercises.logic_model.LogicModel`
as one column of boxes per kind of the model (four, or three for a model
without outputs) joined by its arrows. Each column is headed by the kind's
name with its short explanation (アウトプット (活動の直接の結果)). Entries that
the check flags (an activity leading nowhere, an outcome without a full
target, ...) get a dashed vermillion border *and* the word 要確認, so colour
is never the only cue. The alternative text is :meth:`LogicModel.describe`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .diagrams import wrap_label
from .exercises.logic_model import Entry, LogicModel
from .style import PALETTE, make_drawable, use_course_style
from .text import msg

BOX_W, BOX_H, ROW_H = 2.8, 1.05, 1.35
COLUMN_STEP = 3.5
"""Distance between the left edges of two columns (room for the arrows between them)."""
KIND_COLOUR = {"resource": PALETTE["blue"], "activity": PALETTE["green"], "output": PALETTE["purple"],
               "outcome": PALETTE["orange"]}


def column_x(model: LogicModel) -> dict[str, float]:
    """The left edge of each of the model's columns, in reading order."""
    return {kind: i * COLUMN_STEP for i, kind in enumerate(model.kinds)}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _box_text(e: Entry) -> str:
    text = wrap_label(_short(e.text, 40), 18)
    if e.kind == "outcome":
        t = e.target
        if t.empty:
            return text + "\n" + msg("logic_model.figure_no_target")
        what = _short(t.what or "—", 18)
        rest = f"{_short(t.how_much or '—', 9)} / {_short(t.by_when or '—', 9)}"
        return text + "\n" + msg("logic_model.figure_target", what=what, rest=rest)
    return text


def _gap(boxes: int, near: float, top: float) -> float:
    """The height of the free space above, between or below a column's boxes that is nearest ``near``."""
    free = ROW_H - BOX_H
    gaps = [top + free / 2] + [top - k * ROW_H + free / 2 for k in range(1, boxes + 1)]
    return min(gaps, key=lambda y: abs(y - near))


def logic_model_figure(model: LogicModel) -> Figure:
    """Draw the model; flagged entries are dashed and marked 要確認."""
    use_course_style()
    check = model.check()
    flagged = check.flagged_entries
    columns = column_x(model)
    right = max(columns.values()) + BOX_W
    rows = max([1] + [len(model.of_kind(k)) for k in model.kinds])
    fig, ax = plt.subplots(figsize=(right + 0.6, 1.9 + ROW_H * rows))
    top = 0.0
    purpose = model.purpose or msg("logic_model.alt_none")
    ax.text(right / 2, top + 1.25,
            f"{msg('logic_model.kind_purpose')}: {wrap_label(_short(purpose, 60), 40)}",
            ha="center", va="center", fontsize=10,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": PALETTE["black"],
                  "ls": "solid" if model.purpose and "misplaced_purpose" not in {i.code for i in check.issues}
                  else "dashed"})
    centres: dict[str, tuple[float, float]] = {}
    for kind, x in columns.items():
        ax.text(x + BOX_W / 2, top + 0.45, model.kind_long_name(kind), ha="center", va="center", fontsize=10,
                color=PALETTE["black"])
        for i, e in enumerate(model.of_kind(kind)):
            y = top - i * ROW_H
            bad = e.id in flagged
            ax.add_patch(FancyBboxPatch((x, y - BOX_H), BOX_W, BOX_H, boxstyle="round,pad=0.02",
                                        fc="white", ec=PALETTE["vermillion"] if bad else KIND_COLOUR[kind],
                                        lw=2.0, ls="dashed" if bad else "solid"))
            ax.text(x + BOX_W / 2, y - BOX_H / 2, _box_text(e), ha="center", va="center", fontsize=8.5)
            if bad:
                ax.text(x + BOX_W - 0.05, y - 0.05, msg("logic_model.figure_flag"), ha="right", va="top",
                        fontsize=7.5, color=PALETTE["vermillion"])
            centres[e.id] = (x, y - BOX_H / 2)
    arrow = {"arrowstyle": "-|>", "color": PALETTE["black"], "lw": 1.3, "shrinkA": 2, "shrinkB": 2}
    for a, b in model.links:
        if a in centres and b in centres:
            (xa, ya), (xb, yb) = centres[a], centres[b]
            start = (xa + BOX_W, ya)
            passed = [k for k, x in columns.items() if xa < x < xb and model.of_kind(k)]
            if passed:  # activity → outcome past the outputs: run through a gap between their boxes
                x = columns[passed[0]]
                y = _gap(len(model.of_kind(passed[0])), (ya + yb) / 2, top)
                ax.plot([start[0], x - 0.15, x + BOX_W + 0.15], [ya, y, y], color=PALETTE["black"], lw=1.3)
                start = (x + BOX_W + 0.15, y)
            ax.annotate("", xy=(xb, yb), xytext=start, arrowprops=arrow)
    ax.set_xlim(-0.2, right + 0.2)
    ax.set_ylim(top - ROW_H * rows - 0.1, top + 1.8)
    ax.set_title(msg("logic_model.figure_title"), fontsize=12)
    ax.axis("off")
    make_drawable(fig)
    fig.tight_layout()
    plt.close(fig)
    return fig
