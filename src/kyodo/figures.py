"""Showing a figure to a learner: one way, everywhere, always with its text equivalent.

:func:`figure_html` embeds the figure as a PNG data URL in an ``<img>`` with
alternative text, followed by a ``<details>`` that reads the whole figure
out as text (linked with ``aria-describedby``). The same HTML works in
JupyterLab, in a widget (``W.HTML``) and on the static website, where
it needs no kernel and loads nothing.

Characters of the figure's text that no course font can draw are
replaced in the image (see :func:`kyodo.style.make_drawable`) and named
in a visible note under it; the text reading keeps them as typed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import unicodedata

from IPython.display import HTML, display
from matplotlib import rc_context
from matplotlib.figure import Figure

from .style import MISSING_MARK, make_drawable
from .text import esc, msg


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, without a timestamp or software tag (so the bytes are reproducible).

    Its texts are made drawable first, and no text (tick labels made while drawing
    included) is read as mathtext.
    """
    make_drawable(figure)
    buffer = io.BytesIO()
    with rc_context({"text.parse_math": False}):
        figure.savefig(buffer, format="png", metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def _name_char(ch: str) -> str:
    """A character and its code point, e.g. ``𠮷 (U+20BB7)``; a lone surrogate by its code point only."""
    code = f"U+{ord(ch):04X}"
    return code if unicodedata.category(ch) == "Cs" else f"{ch} ({code})"


def undrawn_note(chars: tuple[str, ...]) -> str:
    """The visible note under a figure that could not draw ``chars`` (empty when there are none)."""
    if not chars:
        return ""
    text = msg("figure.undrawn", mark=MISSING_MARK, chars="、".join(_name_char(ch) for ch in chars))
    return f"<p class='kyodo-undrawn' style='margin:0.2em 0;font-size:0.9em'>{esc(text)}</p>"


def _without_surrogates(text: str) -> str:
    """``text`` with any lone surrogate (which cannot be written as UTF-8) replaced by U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if any(
        unicodedata.category(ch) == "Cs" for ch in text) else text


def figure_html(figure: Figure, alt_text: str, max_width: str = "880px") -> str:
    """``<figure>`` with the image, short alternative text and the full description under it.

    A note under the image names any character the figure could not draw.
    """
    alt_text = _without_surrogates(alt_text)
    lines = [line for line in alt_text.splitlines() if line.strip()] or [msg("figure.untitled")]
    described = "fig-" + hashlib.sha256(alt_text.encode("utf-8")).hexdigest()[:12]
    data = base64.b64encode(png_bytes(figure)).decode("ascii")
    return (
        "<figure style='margin:0.5em 0'>"
        f"<img src='data:image/png;base64,{data}' alt='{esc(lines[0])}' aria-describedby='{described}' "
        f"style='max-width:min(100%,{max_width});height:auto'>"
        f"<figcaption>{undrawn_note(make_drawable(figure))}"
        f"<details><summary>{esc(msg('diagram.alt_summary'))}</summary>"
        f"<pre id='{described}' style='white-space:pre-wrap'>{esc(alt_text)}</pre></details></figcaption>"
        "</figure>"
    )


def show_figure(figure: Figure, alt_text: str) -> None:
    """Display a figure with its text equivalent (in a cell or inside an Output widget)."""
    display(HTML(figure_html(figure, alt_text)))
