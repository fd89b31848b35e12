"""The figure of a logic model: purpose on top, then resources → activities → outcomes.

:func:`logic_model_figure` draws a :class:`~kyodo.exercises.logic_model.LogicModel`
as three columns of boxes joined by its arrows. Entries that the check
flags (an activity leading nowhere, an outcome without a full target, ...)
get a dashed vermillion border *and* the word 要確認, so colour is never the
only cue. The alternative text is :meth:`LogicModel.describe`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .diagrams import wrap_label
from .exercises.logic_model import KINDS, Entry, LogicModel
from .style import PALETTE, use_course_style
from .text import msg

COLUMN_X = {"resource": 0.0, "activity": 3.7, "outcome": 7.4}
BOX_W, BOX_H, ROW_H = 3.0, 1.05, 1.35
KIND_COLOUR = {"resource": PALETTE["blue"], "activity": PALETTE["green"], "outcome": PALETTE["orange"]}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _box_text(e: Entry) -> str:
    text = wrap_label(_short(e.text, 40), 20)
    if e.kind == "outcome":
        t = e.target
        if t.empty:
            return text + "\n" + msg("logic_model.figure_no_target")
        what = _short(t.what or "—", 20)
        rest = f"{_short(t.how_much or '—', 10)} / {_short(t.by_when or '—', 10)}"
        return text + "\n" + msg("logic_model.figure_target", what=what, rest=rest)
    return text


def logic_model_figure(model: LogicModel) -> Figure:
    """Draw the model; flagged entries are dashed and marked 要確認."""
    use_course_style()
    check = model.check()
    flagged = check.flagged_entries
    rows = max([1] + [len(model.of_kind(k)) for k in KINDS])
    fig, ax = plt.subplots(figsize=(11, 1.9 + ROW_H * rows))
    top = 0.0
    purpose = model.purpose or msg("logic_model.alt_none")
    ax.text(COLUMN_X["activity"] + BOX_W / 2, top + 1.25,
            f"{msg('logic_model.kind_purpose')}: {wrap_label(_short(purpose, 60), 40)}",
            ha="center", va="center", fontsize=10,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": PALETTE["black"],
                  "ls": "solid" if model.purpose and "misplaced_purpose" not in {i.code for i in check.issues}
                  else "dashed"})
    centres: dict[str, tuple[float, float]] = {}
    for kind in KINDS:
        x = COLUMN_X[kind]
        ax.text(x + BOX_W / 2, top + 0.45, model.kind_name(kind), ha="center", va="center", fontsize=11,
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
    for a, b in model.links:
        if a in centres and b in centres:
            (xa, ya), (xb, yb) = centres[a], centres[b]
            ax.annotate("", xy=(xb, yb), xytext=(xa + BOX_W, ya),
                        arrowprops={"arrowstyle": "-|>", "color": PALETTE["black"], "lw": 1.3,
                                    "shrinkA": 2, "shrinkB": 2})
    ax.set_xlim(-0.2, COLUMN_X["outcome"] + BOX_W + 0.2)
    ax.set_ylim(top - ROW_H * rows - 0.1, top + 1.8)
    ax.set_title(msg("logic_model.figure_title"), fontsize=12)
    ax.axis("off")
    fig.tight_layout()
    plt.close(fig)
    return fig
