"""Network diagrams of who passes what to whom (networkx + matplotlib).

:func:`flow_figure` draws one or more maps side by side, e.g. the
learner's map beside the reference map of a case. Every figure comes
with :func:`describe_edges`, a plain-text account of the same arrows,
used as the figure's alternative text.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.figure import Figure

from .data import Course
from .style import VERDICT_STYLES, actor_colour, font_families, make_drawable, use_course_style
from .text import msg


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    kind: str = "reference"
    """A key of :data:`kyodo.style.VERDICT_STYLES`."""


@dataclass(frozen=True)
class Node:
    """A box in a diagram: its id (used by edges), its label and its actor type (for the colour)."""

    id: str
    label: str
    type_id: str


@dataclass(frozen=True)
class Panel:
    title: str
    edges: tuple[Edge, ...]


def wrap_label(text: str, width: int = 8) -> str:
    """Wrap Japanese text (no spaces) every ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) or text


def _layout(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Nodes on a circle, first at the top, so the same case always looks the same."""
    n = len(nodes)
    return {
        node: (math.cos(math.pi / 2 - 2 * math.pi * i / n), math.sin(math.pi / 2 - 2 * math.pi * i / n))
        for i, node in enumerate(nodes)
    }


def org_nodes(course: Course, org_ids: Sequence[str]) -> list[Node]:
    """Nodes for organisations of the course data (short names, coloured by type)."""
    return [Node(o, course.org_short(o), course.org(o).type) for o in org_ids]


def flow_figure(course: Course, nodes: Sequence[str], panels: Sequence[Panel]) -> Figure:
    """Draw each panel's arrows between the same organisations (ids of the course data)."""
    return network_figure(org_nodes(course, nodes), panels)


def network_figure(nodes: Sequence[Node], panels: Sequence[Panel]) -> Figure:
    """Draw each panel's arrows between the same nodes, side by side."""
    use_course_style()
    fig, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 4.8), squeeze=False)
    pos = _layout([n.id for n in nodes])
    for ax, panel in zip(axes[0], panels):
        _draw_panel(ax, nodes, pos, panel)
    make_drawable(fig)
    fig.tight_layout()
    plt.close(fig)  # the caller decides where the figure is shown
    return fig


def _draw_panel(ax, nodes: Sequence[Node], pos, panel: Panel) -> None:  # type: ignore[no-untyped-def]
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in nodes)
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for e in panel.edges:
        grouped[(e.source, e.target, e.kind)].append(e.label)
    colours = [actor_colour(n.type_id) for n in nodes]
    nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=[n.id for n in nodes], node_color=colours, node_size=5200,
                           edgecolors="black", linewidths=1.2)
    nx.draw_networkx_labels(graph, pos, ax=ax, labels={n.id: wrap_label(n.label, 8) for n in nodes},
                            font_size=9, font_family=font_families())
    for (source, target, kind), labels in grouped.items():
        style = VERDICT_STYLES[kind]
        edge = [(source, target)]
        graph.add_edge(source, target)
        connection = f"arc3,rad={0.16 if kind in ('correct', 'reference', 'plan') else 0.38}"
        nx.draw_networkx_edges(graph, pos, edgelist=edge, ax=ax, edge_color=style["color"], style=style["style"],
                               width=2.0, arrows=True, arrowsize=20, node_size=5200, connectionstyle=connection)
        nx.draw_networkx_edge_labels(
            graph, pos, edge_labels={(source, target): "\n".join(wrap_label(lbl, 12) for lbl in labels)},
            ax=ax, font_size=8, font_family=font_families(), font_color=style["color"],
            connectionstyle=connection, node_size=5200, rotate=False,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": style["color"], "lw": 0.6},
        )
    ax.set_title(panel.title, fontsize=12)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.55, max(xs) + 0.55)
    ax.set_ylim(min(ys) - 0.45, max(ys) + 0.45)
    ax.set_aspect("equal")
    ax.axis("off")


def describe_edges(course: Course, edges: Sequence[Edge]) -> str:
    """The arrows between organisations as sentences, for alternative text and screen readers."""
    names = {e.source: course.org_short(e.source) for e in edges} | {e.target: course.org_short(e.target) for e in edges}
    return describe_network(names, edges)


def describe_network(labels: dict[str, str], edges: Sequence[Edge]) -> str:
    """The arrows of a diagram as sentences (``labels`` maps node ids to names)."""
    if not edges:
        return msg("diagram.no_edges")
    lines = [
        msg("diagram.edge", source=labels[e.source], target=labels[e.target],
            label=e.label, kind=msg(f"diagram.kind_{e.kind}"))
        for e in edges
    ]
    return "\n".join(lines)
