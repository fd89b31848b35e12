"""Messages, HTML views, figures and the kernel-free self-check."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

import kyodo
from kyodo import text
from kyodo.diagrams import Edge, Panel, describe_edges, flow_figure
from kyodo.style import ACTOR_TYPE_COLOURS, use_course_style
from kyodo.views import case_overview

SRC = Path(kyodo.__file__).parent


def test_every_message_key_used_in_the_code_exists():
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"""msg\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    catalogue = text.catalogue("ja")
    missing = sorted(k for k in used if k not in catalogue)
    assert not missing, missing
    assert len(used) > 80


def test_messages_fill_in_values_and_unknown_keys_fail():
    assert text.msg("flow.add_too_many", n=40).startswith("矢印が 40 本")
    with pytest.raises(KeyError):
        text.msg("no.such.key")


def test_other_language_falls_back_to_japanese(monkeypatch):
    monkeypatch.setenv("KYODO_LANG", "en")
    assert text.msg("widget.btn_check") == "答え合わせ"


def test_clean_text():
    assert text.clean_text("a\x00b\nc\td\x7f", 100) == ("ab\nc\td", False)
    assert text.clean_text("あいうえお", 3) == ("あいう", True)


def test_case_overview_shows_the_facts_escaped(course):
    html = case_overview(course, "case3")
    assert "CASE3 (パンフレット P4)" in html
    assert "大学の専門的資源を活用" in html
    assert html.count("<tr>") == 4  # header + three participants
    assert "明治大学黒川農場" in html and "大学" in html


def test_views_escape_data(course, monkeypatch):
    case = course.case("case3").model_copy(update={"project": "<script>alert(1)</script>"})
    monkeypatch.setitem(course._index["case"], "case3", case)
    html = case_overview(course, "case3")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_figure_draws_every_japanese_glyph(course):
    edges = tuple(Edge(f.source, f.target, f.label) for f in course.case("case3").flows)
    nodes = [p.org for p in course.case("case3").participants]
    fig = flow_figure(course, nodes, [Panel("連携図", edges)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    families = {t.get_fontfamily()[0] for t in fig.axes[0].texts}
    assert families == {"IPAexGothic"}


def test_style_comes_back_after_a_reset(course):
    import matplotlib

    matplotlib.rcdefaults()
    fig = flow_figure(course, ["citizen_monitors", "city_waste_reduction"],
                      [Panel("図", (Edge("citizen_monitors", "city_waste_reduction", "報告"),))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    use_course_style()


def test_every_actor_type_has_a_colour(course):
    assert {t.id for t in course.actor_types} <= set(ACTOR_TYPE_COLOURS)


def test_alt_text_describes_every_edge(course):
    edges = [Edge("citizen_monitors", "city_waste_reduction", "回収", "correct"),
             Edge("meiji_kurokawa", "city_waste_reduction", "生ごみ堆肥", "reversed")]
    alt = describe_edges(course, edges)
    assert alt.splitlines() == ["市民モニター から 川崎市環境局 へ: 回収 (正しい)",
                                "明治大学黒川農場 から 川崎市環境局 へ: 生ごみ堆肥 (向きが逆)"]
    assert describe_edges(course, []) == "矢印はまだありません。"


def test_self_check_renders_a_kernel_free_quiz(monkeypatch):
    from jupyterquiz.dynamic import display as jq_display

    shown = []
    monkeypatch.setattr(jq_display, "display", shown.append)
    kyodo.self_check("case3")
    html, script = shown

    def encoded(s: str) -> str:
        return json.dumps(s)[1:-1]

    assert encoded("川崎市環境局が回収し、農場まで運ぶ") in script.data
    assert encoded("正解です。") in script.data


def test_self_check_for_a_lesson_without_one_says_so(monkeypatch):
    from kyodo import cells

    shown = []
    monkeypatch.setattr(cells, "display", shown.append)
    kyodo.self_check("health_check")  # a lesson with no self-check (an unknown id: tests/test_cells.py)
    assert "確認問題はまだ用意されていません" in shown[0].data


def test_bar_chart_marks_hypothetical_numbers():
    from kyodo.charts import bar_chart

    chart = bar_chart(["月1万円", "月3万円"], [10, 30], "寄付額", "円", unit="円", hypothetical=True)
    texts = [t.get_text() for t in chart.figure.texts]
    assert any("架空の例" in t for t in texts)
    assert "月3万円: 30円" in chart.alt_text and "架空の例" in chart.alt_text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.figure.canvas.draw()


def test_heatmap_writes_values_in_cells_and_alt_text():
    from kyodo.charts import heatmap

    chart = heatmap([[0, 2], [1, 0]], ["大学", "企業"], ["行政", "町内会・自治会"], "組み合わせ")
    cell_texts = sorted(t.get_text() for t in chart.figure.axes[0].texts if t.get_text())
    assert cell_texts == ["1", "2"]
    assert "大学 × 町内会・自治会: 2" in chart.alt_text
    with pytest.raises(ValueError):
        heatmap([[1]], ["a", "b"], ["c"], "x")


def test_figure_html_carries_alt_text_and_escapes_it():
    from kyodo.charts import bar_chart
    from kyodo.figures import figure_html, png_bytes

    chart = bar_chart(["<b>甲</b>", "乙"], [1, 2], "題 <script>", "値")
    html = figure_html(chart.figure, chart.alt_text)
    assert "alt='題 &lt;script&gt;'" in html and "<script>" not in html
    assert "data:image/png;base64," in html and "aria-describedby='fig-" in html
    assert "&lt;b&gt;甲&lt;/b&gt;: 1" in html
    assert png_bytes(chart.figure) == png_bytes(chart.figure)  # reproducible bytes


def test_unfold_takes_out_the_blanks_yaml_folding_puts_into_japanese() -> None:
    from kyodo.text import unfold

    assert unfold("運び、 農場は堆肥を分析します。 生ごみ") == "運び、農場は堆肥を分析します。生ごみ"
    assert unfold("CASE3 大学と行政") == "CASE3 大学と行政" and unfold("WAON カード") == "WAON カード"
    assert unfold("a  b") == "a  b"
