"""Showing a figure to a learner: one way, everywhere, always with its text equivalent.

:func:`figure_html` embeds the figure as a PNG data URL in an ``<img>`` with
alternative text, followed by a ``<details>`` that reads the whole figure
out as text (linked with ``aria-describedby``). The same HTML works in
JupyterLab, in a widget (``W.HTML``) and on the static website, where
it needs no kernel and loads nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io

from IPython.display import HTML, display
from matplotlib.figure import Figure

from .text import esc, msg


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, without a timestamp or software tag (so the bytes are reproducible)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def figure_html(figure: Figure, alt_text: str, max_width: str = "880px") -> str:
    """``<figure>`` with the image, short alternative text and the full description under it."""
    lines = [line for line in alt_text.splitlines() if line.strip()] or [msg("figure.untitled")]
    described = "fig-" + hashlib.sha256(alt_text.encode("utf-8")).hexdigest()[:12]
    data = base64.b64encode(png_bytes(figure)).decode("ascii")
    return (
        "<figure style='margin:0.5em 0'>"
        f"<img src='data:image/png;base64,{data}' alt='{esc(lines[0])}' aria-describedby='{described}' "
        f"style='max-width:min(100%,{max_width});height:auto'>"
        f"<figcaption><details><summary>{esc(msg('diagram.alt_summary'))}</summary>"
        f"<pre id='{described}' style='white-space:pre-wrap'>{esc(alt_text)}</pre></details></figcaption>"
        "</figure>"
    )


def show_figure(figure: Figure, alt_text: str) -> None:
    """Display a figure with its text equivalent (in a cell or inside an Output widget)."""
    display(HTML(figure_html(figure, alt_text)))
