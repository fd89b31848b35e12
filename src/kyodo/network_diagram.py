"""Drawings of who knows whom (networkx + matplotlib), in the course's style.

Follows the conventions of :mod:`kyodo.diagrams`: nodes on a circle with
the first person at the top (the same people always sit in the same
place), fill colours by actor type from :mod:`kyodo.style`, Japanese
labels wrapped with :func:`kyodo.diagrams.wrap_label`, and every figure
paired with a plain-text description (:func:`describe_network`) used as
its alternative text. Line colour *and* style say where a tie comes
from, so colour is never the only cue; people drawn here are
hypothetical, and the figure says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .diagrams import _layout, wrap_label
from .exercises.network import Network, Origin, Person, Tie
from .style import PALETTE, actor_colour, font_families, make_drawable, use_course_style
from .text import msg

TIE_STYLES = {
    Origin.BEFORE: {"color": PALETTE["black"], "style": "solid", "width": 1.4},
    Origin.EVENT: {"color": PALETTE["blue"], "style": "solid", "width": 2.8},
    Origin.LEARNER: {"color": PALETTE["orange"], "style": "dashed", "width": 2.8},
}
"""Line colour, style and width of a tie by where it comes from."""

NODE_SIZE = 3400


@dataclass(frozen=True)
class NetworkPanel:
    title: str
    ties: tuple[Tie, ...]
    left: str | None = None
    """The person who left (drawn as an empty dotted circle, without ties)."""


def _alone(people: Sequence[Person], panel: NetworkPanel) -> tuple[str, ...]:
    """People with no tie in this panel (the one who left does not count)."""
    net = Network(people, [t for t in panel.ties if panel.left not in (t.a, t.b)])
    return tuple(p for p in net.robustness().isolated if p != panel.left)


def network_figure(people: Sequence[Person], panels: Sequence[NetworkPanel], hypothetical: bool = True) -> Figure:
    """Draw each panel's ties between the same people, side by side."""
    use_course_style()
    fig, axes = plt.subplots(1, len(panels), figsize=(6.0 * len(panels), 6.0), squeeze=False)
    ids = [p.id for p in people]
    pos = _layout(ids)
    for ax, panel in zip(axes[0], panels):
        _draw_panel(ax, people, pos, panel)
    handles = [Line2D([0], [0], color=s["color"], linestyle=s["style"], linewidth=s["width"],
                      label=msg(f"network.legend_{origin.value}")) for origin, s in TIE_STYLES.items()]
    if any(p.left for p in panels):
        handles.append(Line2D([0], [0], marker="o", linestyle="none", markersize=12, markerfacecolor="white",
                              markeredgecolor=PALETTE["grey"], label=msg("network.legend_left")))
    handles.append(Line2D([0], [0], marker="o", linestyle="none", markersize=12, markerfacecolor="white",
                          markeredgecolor=PALETTE["vermillion"], markeredgewidth=3, label=msg("network.legend_alone")))
    fig.legend(handles=handles, loc="lower left", ncol=min(len(handles), 3), fontsize=9, frameon=False,
               prop={"family": font_families(), "size": 9})
    if hypothetical:
        fig.text(0.99, 0.01, msg("network.hypothetical"), ha="right", va="bottom", fontsize=9,
                 color=PALETTE["black"], bbox={"boxstyle": "round,pad=0.3", "fc": "#fff4dc", "ec": PALETTE["orange"]})
    make_drawable(fig)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.92, bottom=0.12, wspace=0.05)
    plt.close(fig)  # the caller decides where the figure is shown
    return fig


def _draw_panel(ax, people: Sequence[Person], pos, panel: NetworkPanel) -> None:  # type: ignore[no-untyped-def]
    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in people)
    alone = set(_alone(people, panel))
    present = [p for p in people if p.id != panel.left]
    for origin, style in TIE_STYLES.items():
        edges = [(t.a, t.b) for t in panel.ties if t.origin is origin and panel.left not in (t.a, t.b)]
        if edges:
            nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, edge_color=style["color"],
                                   style=style["style"], width=style["width"], node_size=NODE_SIZE)
    nx.draw_networkx_nodes(graph, pos, nodelist=[p.id for p in present], ax=ax, node_size=NODE_SIZE,
                           node_color=[actor_colour(p.type) for p in present],
                           edgecolors=[PALETTE["vermillion"] if p.id in alone else PALETTE["black"] for p in present],
                           linewidths=[3.5 if p.id in alone else 1.0 for p in present])
    if panel.left:
        nx.draw_networkx_nodes(graph, pos, nodelist=[panel.left], ax=ax, node_size=NODE_SIZE, node_color="white",
                               edgecolors=PALETTE["grey"], linewidths=1.5).set_linestyle("dotted")
    labels = {}
    for p in people:
        text = wrap_label(p.short, 6)
        if p.id == panel.left:
            text += "\n" + msg("network.mark_left")
        elif p.id in alone:
            text += "\n" + msg("network.mark_alone")
        labels[p.id] = text
    nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=8, font_family=font_families())
    ax.set_title(panel.title, fontsize=12, pad=10)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.38, max(xs) + 0.38)
    ax.set_ylim(min(ys) - 0.32, max(ys) + 0.32)
    ax.set_aspect("equal")
    ax.axis("off")


def describe_network(people: Sequence[Person], panel: NetworkPanel, occasion_names: dict[str, str]) -> str:
    """A panel as sentences, for alternative text and screen readers."""
    names = {p.id: p.name for p in people}
    lines = [msg("network.alt_panel", title=panel.title)]
    shown = [t for t in panel.ties if panel.left not in (t.a, t.b)]
    for t in shown:
        occasion = occasion_names.get(t.occasion or "", msg("network.no_occasion"))
        origin = msg(f"network.origin_{t.origin.value}", occasion=occasion)
        lines.append(msg("network.alt_tie", a=names[t.a], b=names[t.b], origin=origin))
    if not shown:
        lines.append(msg("network.alt_no_ties"))
    present = [p for p in people if p.id != panel.left]
    groups = Network(present, shown).groups()
    lines.append(msg("network.alt_groups", n=len(groups),
                     parts=" / ".join("、".join(names[i] for i in g) for g in groups)))
    if panel.left:
        lines.append(msg("network.alt_left", name=names[panel.left]))
    alone = _alone(people, panel)
    if alone:
        lines.append(msg("network.alt_alone", names="、".join(names[i] for i in alone)))
    lines.append(msg("network.hypothetical"))
    return "\n".join(lines)
