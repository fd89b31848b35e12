"""Fonts and colours of every figure, set in one place.

Importing this module makes matplotlib draw Japanese with IPAexGothic
(bundled by matplotlib-fontja, so nothing is downloaded) and fixes the
colour palette. Call :func:`use_course_style` again after anything that
resets matplotlib's settings (``plt.style.use``, ``rcdefaults``), or
Japanese labels turn into empty boxes.
"""

from __future__ import annotations

import matplotlib
import matplotlib_fontja  # noqa: F401  (registers the bundled IPAexGothic font)
from matplotlib import rcParams

FONT_FAMILY = "IPAexGothic"

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


def use_course_style() -> None:
    """Apply the course's fonts and figure defaults."""
    rcParams["font.family"] = FONT_FAMILY
    rcParams["axes.unicode_minus"] = False
    rcParams["figure.dpi"] = 100
    rcParams["savefig.dpi"] = 100
    rcParams["axes.prop_cycle"] = matplotlib.cycler(color=[PALETTE[c] for c in
                                                           ("blue", "orange", "green", "vermillion", "sky", "purple")])


use_course_style()
