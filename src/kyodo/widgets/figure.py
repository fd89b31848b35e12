"""Showing a chart in a widget's output area, always with its alternative text."""

from __future__ import annotations

from ..charts import Chart
from ..figures import show_figure


def show_chart(chart: Chart) -> None:
    """Display a chart with its alternative text (see :func:`kyodo.figures.figure_html`)."""
    show_figure(chart.figure, chart.alt_text)
