"""Fonts and colours of every figure, set in one place.

The course style makes matplotlib draw Japanese with IPAexGothic
(bundled by matplotlib-fontja, so nothing is downloaded) and fixes the
colour palette. It is applied when this module is imported after matplotlib,
or else on the first use of a function here that needs matplotlib (the
colours alone, which widgets use, load no matplotlib: a lesson starts
faster). Every figure builder calls :func:`use_course_style`; call it
again after anything that resets matplotlib's settings (``plt.style.use``,
``rcdefaults``), or Japanese labels turn into empty boxes.

Figures show text a learner typed, so no text is ever read as mathtext
(``$100から$200`` stays as typed), and a character no course font can draw
(an emoji, a rare kanji such as 𠮷) never warns or fails: :func:`make_drawable`
puts :data:`MISSING_MARK` in its place and remembers it, and
:func:`kyodo.figures.figure_html` names it under the figure.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT_FAMILY = "IPAexGothic"
OPTIONAL_FONTS: tuple[str, ...] = ("Noto Sans CJK JP",)
"""Used after IPAexGothic when matplotlib finds them installed (never downloaded): rare kanji such as 𠮷."""
FALLBACK_FONT = "DejaVu Sans"
"""matplotlib's own font, always there: Latin letters, symbols and the commonest emoji."""
MISSING_MARK = "〓"
"""Drawn in place of a character no font of :func:`font_families` has (the printers' mark for a missing glyph)."""

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

ACTOR_TYPE_COLOURS = {
    "citizen_group": "#B3E3D5",  # light green
    "neighbourhood_association": "#F9F3B0",  # light yellow
    "social_business": "#EBC7DC",  # light purple
    "company": "#F5D99A",  # light orange
    "university": "#BBE1F7",  # light sky blue
    "government": "#A9CDE6",  # light blue
    "residents": "#E6E6E6",  # light grey
}
"""Fill colour of a node, by actor type: light tints of the palette, so black text stays readable."""

VERDICT_STYLES = {
    "correct": {"color": PALETTE["blue"], "style": "solid"},
    "reversed": {"color": PALETTE["vermillion"], "style": "dashed"},
    "wrong_pair": {"color": PALETTE["vermillion"], "style": "dashed"},
    "not_in_case": {"color": PALETTE["vermillion"], "style": "dotted"},
    "reference": {"color": PALETTE["black"], "style": "solid"},
    "plan": {"color": PALETTE["blue"], "style": "solid"},
}
"""Edge colour and line style by feedback: style differs too, not colour alone."""


BUTTON_COLOURS = {
    "primary": "#0072B2",  # blue: 5.0:1 with white text
    "success": "#00704F",  # dark green: 6.0:1
    "info": "#005A8C",  # dark blue: 7.3:1
    "warning": "#8F3F00",  # dark vermillion: 7.6:1
}
"""Widget button colours: ipywidgets' own button styles fail WCAG AA contrast with white text."""


QUIZ_COLOURS = {
    "--jq-multiple-choice-bg": "#392061",  # dark purple behind white text
    "--jq-many-choice-bg": "#8F3F00",  # jupyterquiz's orange fails AA contrast; dark vermillion passes
    "--jq-correct-color": "#9BE8B8",  # light green on the dark card: 9:1
    "--jq-incorrect-color": "#FFC2B0",  # light vermillion on the dark card: 9:1
}
"""Colours of the kernel-free self-checks (jupyterquiz CSS variables)."""


def actor_colour(type_id: str) -> str:
    return ACTOR_TYPE_COLOURS.get(type_id, PALETTE["grey"])


_styled = False


def _matplotlib() -> ModuleType:
    """matplotlib, with the bundled IPAexGothic registered and the course style applied once."""
    global _styled
    import matplotlib
    import matplotlib_fontja  # noqa: F401  (registers the bundled IPAexGothic font)

    if not _styled:
        _styled = True
        use_course_style()
    return matplotlib


def font_families() -> list[str]:
    """The fonts figures draw with, in order: IPAexGothic, then installed optional fonts, then DejaVu Sans.

    matplotlib takes each character from the first of them that has it.
    """
    _matplotlib()
    from matplotlib import font_manager

    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return [FONT_FAMILY, *(name for name in OPTIONAL_FONTS if name in known), FALLBACK_FONT]


@lru_cache(maxsize=8)
def _codepoints(families: tuple[str, ...]) -> frozenset[int]:
    """Every character some font of ``families`` has a glyph for."""
    _matplotlib()
    from matplotlib import font_manager

    found: set[int] = set()
    for family in families:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        found.update(font_manager.get_font(path).get_charmap())
    return frozenset(found)


def _invisible(ch: str) -> bool:
    """A character that shows nothing by itself (zero-width joiner, variation selector ...)."""
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def drawable(text: str, have: frozenset[int] | None = None) -> tuple[str, tuple[str, ...]]:
    """``text`` as the course fonts can draw it, and the characters they could not draw (in order, once each).

    Line breaks stay; other white space and control characters become a space;
    invisible characters are dropped; any other character no font has becomes
    :data:`MISSING_MARK` and is reported. ``have``: the characters the fonts have
    (by default, those of :func:`font_families`).
    """
    have = have if have is not None else _codepoints(tuple(font_families()))
    kept: list[str] = []
    missing: dict[str, None] = {}
    for ch in text:
        if ch == "\n" or ord(ch) in have:
            kept.append(ch)
        elif ch.isspace() or unicodedata.category(ch) == "Cc":
            kept.append(" ")
        elif not _invisible(ch):
            kept.append(MISSING_MARK)
            missing[ch] = None
    return "".join(kept), tuple(missing)


_UNDRAWN: WeakKeyDictionary[Figure, dict[str, None]] = WeakKeyDictionary()
"""Per figure, the characters :func:`make_drawable` replaced (for the note under the figure)."""


@lru_cache(maxsize=1)
def _drawable_labels() -> type:
    """The class of tick labels passed through :func:`drawable` (a matplotlib ``Formatter``, made on first use)."""
    from matplotlib.ticker import Formatter

    class _DrawableLabels(Formatter):
        """Tick labels of another formatter, passed through :func:`drawable` (tick labels are made while drawing)."""

        def __init__(self, inner: Formatter, clean: Callable[[object], str]):
            self.inner = inner
            self.clean = clean

        def __call__(self, x: Any, pos: Any = None) -> str:
            return self.clean(self.inner(x, pos))

        def format_ticks(self, values: Sequence[Any]) -> list[str]:
            return [self.clean(label) for label in self.inner.format_ticks(values)]

        def get_offset(self) -> str:
            return self.clean(self.inner.get_offset())

        def set_locs(self, locs: Any) -> None:
            self.inner.set_locs(locs)

        def format_data(self, value: Any) -> str:
            return self.inner.format_data(value)

        def format_data_short(self, value: Any) -> str:
            return self.inner.format_data_short(value)

        def set_axis(self, axis: Any) -> None:
            self.axis = axis
            self.inner.set_axis(axis)

    return _DrawableLabels


def make_drawable(figure: Figure) -> tuple[str, ...]:
    """Make every text of ``figure`` safe to draw; return every character replaced so far.

    No text is read as mathtext, and characters no course font has are
    replaced (see :func:`drawable`), in texts and in tick labels.
    Each figure builder calls it before laying the figure out
    (``tight_layout`` draws the texts); :func:`kyodo.figures.figure_html`
    calls it again, so text added later is covered too.
    """
    from matplotlib.text import Text

    drawable_labels = _drawable_labels()
    found = _UNDRAWN.setdefault(figure, {})
    have = _codepoints(tuple(font_families()))

    def clean(value: object) -> str:
        text, missing = drawable(str(value), have)
        found.update(dict.fromkeys(missing))
        return text

    for text in figure.findobj(Text):
        text.set_parse_math(False)
        value = text.get_text()
        cleaned = clean(value)
        if cleaned != value:
            text.set_text(cleaned)
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_formatter(), drawable_labels):
                axis.set_major_formatter(drawable_labels(axis.get_major_formatter(), clean))
            if not isinstance(axis.get_minor_formatter(), drawable_labels):
                axis.set_minor_formatter(drawable_labels(axis.get_minor_formatter(), clean))
    return tuple(found)


def use_course_style() -> None:
    """Apply the course's fonts and figure defaults (no mathtext: figures show learners' text as typed)."""
    global _styled
    _styled = True
    import matplotlib
    import matplotlib_fontja  # noqa: F401  (registers the bundled IPAexGothic font)
    from matplotlib import rcParams

    rcParams["font.family"] = font_families()
    rcParams["text.parse_math"] = False
    rcParams["axes.unicode_minus"] = False
    rcParams["figure.dpi"] = 100
    rcParams["savefig.dpi"] = 100
    rcParams["axes.prop_cycle"] = matplotlib.cycler(color=[PALETTE[c] for c in
                                                           ("blue", "orange", "green", "vermillion", "sky", "purple")])


if "matplotlib" in sys.modules:  # matplotlib is in use already: draw Japanese from now on, as before
    _matplotlib()
