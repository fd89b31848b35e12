"""Figures that show learner (or editor) text: never parsed as math, never failing on a missing glyph.

Learner text reaches matplotlib in the logic model, the design sheet's partner
diagram, the network figure (people's names in a new case's data), the charts
and the figures of choice exercises. Whatever it holds (``$``, ``\\frac``, emoji,
characters outside IPAexGothic such as 𠮷 U+20BB7, tabs, lone surrogates):

* the figure renders, with no ``Glyph ... missing`` warning (an error here);
* ``$`` is shown as it was typed, never as mathtext;
* every character is either drawn or named under the figure.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from kyodo import style
from kyodo.charts import bar_chart, grouped_bar_chart, heatmap
from kyodo.design.sheet import design_from_states
from kyodo.diagrams import Edge, Node, Panel, describe_network, network_figure
from kyodo.exercises.choice import Accepted, ChoiceTask, Item, Option
from kyodo.exercises.logic_model import LogicModel, Target
from kyodo.exercises.network import Origin, Person, Tie
from kyodo.figures import figure_html
from kyodo.logic_diagram import logic_model_figure
from kyodo.network_diagram import NetworkPanel
from kyodo.network_diagram import network_figure as people_figure
from kyodo.registry import load_registry
from kyodo.widgets.choice_figures import coverage_figure, reach_figure
from kyodo.widgets.design_summary import DesignSummaryWidget, design_diagram
from kyodo.widgets.logic_model import build as build_logic_model

HOSTILE = ["$x^$", "$100から$200", r"\frac{1}{2}", "絵文字😀🎉👍🏽", "𠮷野家", "タブ\tあり", "壊れた\ud800文字"]
"""Learner text that broke figures: mathtext, emoji, a character outside IPAexGothic, a tab, a lone surrogate."""


def texts_of(fig: Figure) -> Iterator[Text]:
    return (t for t in fig.findobj(Text) if t.get_text())


def render(fig: Figure, alt: str) -> str:
    """``figure_html`` as a learner sees it, with every warning an error (a missing glyph warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return figure_html(fig, alt)


def assert_shown_or_named(fig: Figure, html: str, typed: str) -> None:
    """Each visible character the learner typed is in the figure, or named (U+XXXX) under it."""
    drawn = "".join(t.get_text() for t in texts_of(fig))
    for ch in typed:
        if ch.isspace():
            continue
        assert ch in drawn or f"U+{ord(ch):04X}" in html, (typed, ch)
    assert all(not t.get_parse_math() for t in texts_of(fig))


def assert_dollars_kept(fig: Figure) -> None:
    drawn = "".join(t.get_text() for t in texts_of(fig)).replace("\n", "")  # long labels are wrapped
    assert "$x^$" in drawn and "$100から" in drawn and r"\frac{1}{2}" in drawn


# --- the logic model ------------------------------------------------------------------------------


def hostile_model(text: str) -> LogicModel:
    """A model with ``text`` in every field a learner types: purpose, each kind's entries, the target."""
    m = LogicModel()
    m.set_purpose(text)
    for kind in m.kinds:
        m.add(kind, text + kind[:1], Target(text, text, text) if kind == "outcome" else None)
    ids = [e.id for e in m.entries]
    for a, b in zip(ids, ids[1:]):
        m.link(a, b)
    return m


@pytest.mark.parametrize("typed", HOSTILE)
def test_logic_model_figure_draws_any_learner_text(typed):
    m = hostile_model(typed)
    fig = logic_model_figure(m)
    html = render(fig, m.describe())
    assert_shown_or_named(fig, html, typed)


def test_logic_model_shows_dollars_as_typed():
    m = LogicModel()
    m.set_purpose("$x^$ と $100から$200")
    m.add("resource", r"\frac{1}{2}")
    fig = logic_model_figure(m)
    render(fig, m.describe())
    assert_dollars_kept(fig)


def test_logic_model_check_never_fails_on_learner_text(store):
    w = build_logic_model(load_registry().get("case4-ex2"), store)
    w.purpose.value = "$x^$"
    for kind, typed in zip(("resource", "activity", "output", "outcome"), HOSTILE):
        w.kind.value, w.text.value = kind, typed
        if kind == "outcome":
            w.what.value, w.how_much.value, w.by_when.value = "$100から$200", "𠮷", "😀"
        w.add_button.click()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.check_button.click()
    assert "予期しない" not in w.feedback.text and "<img src='data:image/png;base64," in w.figure_box.value


# --- the design sheet's partner diagram -----------------------------------------------------------


def hostile_design(course, text: str):
    return design_from_states(course, {
        "issue": {"values": {"team": text, "issue": text}},
        "gaps": {"purpose": text, "own_type": "government", "rows": [
            {"text": text + "1", "status": "missing", "kind": "knowledge_skills"},
            {"text": text + "2", "status": "missing", "kind": "human_network"}]},
        "partners": {"partners": [
            {"name": text, "type": "university", "fills": [1], "gains": text},
            {"name": text + "B", "type": "citizen_group", "fills": [2], "gains": text}]},
    })


@pytest.mark.parametrize("typed", HOSTILE)
def test_design_diagram_draws_any_learner_text(course, typed):
    fig, alt = design_diagram(hostile_design(course, typed))
    html = render(fig, alt)
    assert_shown_or_named(fig, html, typed)


def test_design_summary_check_draws_dollars_as_typed(course, store):
    for step, state in {
        "issue": {"values": {"team": "$x^$", "issue": "課題"}},
        "gaps": {"purpose": "目的", "own_type": "government",
                 "rows": [{"text": "$100から$200", "status": "missing", "kind": "knowledge_skills"}]},
        "partners": {"partners": [{"name": r"\frac{1}{2}", "type": "university", "fills": [1], "gains": "😀"}]},
    }.items():
        store.save(f"design/{step}", state)
    w = DesignSummaryWidget(course, store=store)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.check_button.click()
    assert w.figure is not None and "<img src='data:image/png;base64," in w.diagram.value
    assert_dollars_kept(w.figure)


# --- the network figure (people come from a case's data) --------------------------------------------


@pytest.mark.parametrize("typed", HOSTILE)
def test_network_figure_draws_any_text(typed):
    people = [Person("a", typed, typed, "citizen_group"), Person("b", "$x^$", "$x^$", "company"),
              Person("c", "$100から$200", "$100から$200", "government"),
              Person("d", r"\frac{1}{2}", r"\frac{1}{2}", "residents")]
    panel = NetworkPanel(typed, (Tie("a", "b", Origin.BEFORE), Tie("b", "c", Origin.LEARNER)), left="d")
    fig = people_figure(people, [panel])
    html = render(fig, typed)
    assert_shown_or_named(fig, html, typed)
    assert_dollars_kept(fig)


@pytest.mark.parametrize("typed", HOSTILE)
def test_flow_diagram_draws_any_text(typed):
    nodes = [Node("a", typed, "university"), Node("b", "$x^$", "company"), Node("c", r"\frac{1}{2}", "residents")]
    edges = (Edge("a", "b", typed, "plan"), Edge("b", "c", "$100から$200", "plan"))
    fig = network_figure(nodes, [Panel(typed, edges)])
    html = render(fig, describe_network({n.id: n.label for n in nodes}, edges))
    assert_shown_or_named(fig, html, typed)
    assert_dollars_kept(fig)


# --- charts and the figures of choice exercises ---------------------------------------------------


@pytest.mark.parametrize("typed", HOSTILE)
def test_charts_draw_any_text(typed):
    for chart in (bar_chart([typed, "$x^$"], [1, 2], typed, typed),
                  grouped_bar_chart([typed, "b"], [(typed, [1.0, 2.0]), ("$100から$200", [2.0, None])], typed, typed),
                  heatmap([[1, 0], [0, 2]], [typed, r"\frac{1}{2}"], [typed, "$x^$"], typed,
                          cell_text=[[typed, ""], ["", "$100から$200"]])):
        html = render(chart.figure, chart.alt_text)
        assert_shown_or_named(chart.figure, html, typed)


@pytest.mark.parametrize("typed", HOSTILE)
def test_choice_figures_draw_any_text(typed):
    options = [Option("p", typed, facets={"party": typed}), Option("q", "$x^$"), Option("both", "一緒")]
    items = [Item("i1", typed, (Accepted("p", "right"),), short=typed),
             Item("i2", "$100から$200", (Accepted("both", "right"),))]
    task = ChoiceTask(items, options, exclusive=["both"])
    chart = reach_figure(task, typed, typed)
    assert_shown_or_named(chart.figure, render(chart.figure, chart.alt_text), typed)
    pairs = ChoiceTask([Item("i1", typed, (Accepted(frozenset({"p", "q"}), "right"),), short=typed)],
                       options, mode="exactly", pick=2)
    chart = coverage_figure(pairs, typed, typed)
    assert_shown_or_named(chart.figure, render(chart.figure, chart.alt_text), typed)


# --- what cannot be drawn is said --------------------------------------------------------------------


def test_a_character_no_font_has_is_replaced_and_named_under_the_figure(monkeypatch):
    monkeypatch.setattr(style, "OPTIONAL_FONTS", ())  # as on a machine with IPAexGothic only
    m = LogicModel()
    m.set_purpose("𠮷野家の🎉")
    fig = logic_model_figure(m)
    html = render(fig, m.describe())
    drawn = "".join(t.get_text() for t in texts_of(fig))
    assert "𠮷" not in drawn and "🎉" not in drawn and style.MISSING_MARK + "野家の" + style.MISSING_MARK in drawn
    note = re.search(r"<p class='kyodo-undrawn'[^>]*>(.*?)</p>", html, re.S)
    assert note and "𠮷 (U+20BB7)" in note.group(1) and "🎉 (U+1F389)" in note.group(1)
    assert "描けない" in note.group(1) and style.MISSING_MARK in note.group(1)
    assert "𠮷野家の🎉" in html  # the text reading keeps the learner's own characters


def test_a_figure_everything_can_draw_has_no_note(course):
    m = LogicModel()
    m.set_purpose("地域の子どもを育てる")
    assert "kyodo-undrawn" not in render(logic_model_figure(m), m.describe())


def test_drawable_keeps_what_the_fonts_have():
    assert style.drawable("協働・連携 ABC 123 ％") == ("協働・連携 ABC 123 ％", ())
    text, missing = style.drawable("a\tb\u200dc\ufe0f\ud800")  # a tab, invisible joiners, a lone surrogate
    assert text.replace("\u200d", "").replace("\ufe0f", "") == f"a bc{style.MISSING_MARK}"
    assert missing == ("\ud800",)


def test_the_style_turns_mathtext_off_and_keeps_ipaexgothic_first():
    matplotlib.rcdefaults()
    style.use_course_style()
    assert matplotlib.rcParams["text.parse_math"] is False
    assert matplotlib.rcParams["font.family"][0] == "IPAexGothic"
    assert "DejaVu Sans" in matplotlib.rcParams["font.family"]
