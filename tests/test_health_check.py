"""Collaboration health check: scoring, levels, two-rater flags, widget, material checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyodo.data import DataError, load_lesson_data
from kyodo.exercises import health_check as hc
from kyodo.storage import Store
from kyodo.widgets.health_check import HealthCheckWidget


@pytest.fixture(scope="module")
def material() -> hc.HealthCheckMaterial:
    return hc.load_material()


def all_answers(material, value):
    return {i.id: value for i in material.items}


def test_material_has_our_items_in_every_category(material):
    assert len(material.items) >= 12
    assert {c.id for c in material.categories} == {i.category for i in material.items}
    assert material.flag_difference == 2


def test_scores_are_category_means(material):
    answers = all_answers(material, 4)
    purpose = [i.id for i in material.items if i.category == "purpose"]
    answers[purpose[0]] = 1
    answers[purpose[1]] = 2
    scores = {s.category.id: s for s in hc.score(material, answers)}
    assert scores["purpose"].mean == 1.5 and scores["purpose"].level.label == "優先して話し合いたい"
    assert scores["synergy"].mean == 4.0 and scores["synergy"].level.label == "よく育っている"


def test_level_boundaries(material):
    assert hc.level_for(material, 4.0).label == "よく育っている"
    assert hc.level_for(material, 3.99).label.startswith("おおむね")
    assert hc.level_for(material, 3.0).label.startswith("おおむね")
    assert hc.level_for(material, 2.99).label == "優先して話し合いたい"


def test_unanswered_items_are_left_out_and_said(material):
    first = material.items[0]
    lines = hc.interpretation(material, {first.id: 5})
    assert f"{len(material.items)} 項目のうち 1 項目に答えました" in lines[0]
    assert hc.interpretation(material, {})[0].startswith("まだ一つも答えていません")


def test_interpretation_lists_lowest_first_with_advice(material):
    answers = all_answers(material, 5)
    for i in material.items:
        if i.category == "openness":
            answers[i.id] = 2
    lines = hc.interpretation(material, answers)
    assert lines[0].startswith("情報の共有と公開: 平均 2.0")
    assert "ヒント:" in lines[0] and "ヒント:" not in lines[-1]


@pytest.mark.parametrize("bad", [{"same_words": 0}, {"same_words": 6}, {"same_words": "5"}, {"same_words": True},
                                 {"nope": 3}, ["same_words", 3], None])
def test_malformed_answers_are_ignored(material, bad):
    assert hc.validate_answers(material, bad) == {}


def test_two_raters_flag_differences_of_two_or_more(material):
    a = all_answers(material, 3)
    b = all_answers(material, 3)
    ids = [i.id for i in material.items]
    a[ids[0]], b[ids[0]] = 1, 5
    a[ids[1]], b[ids[1]] = 2, 4
    a[ids[2]], b[ids[2]] = 3, 4  # a difference of one is not flagged
    flags = hc.compare(material, a, b)
    assert [(f.item.id, f.difference) for f in flags] == [(ids[0], 4), (ids[1], 2)]
    lines = hc.compare_lines(material, a, b, "市", "団体")
    assert "2 個あります" in lines[0] and "市: 1 / 団体: 5" in lines[1]


def test_two_raters_agree_or_have_nothing_in_common(material):
    a = all_answers(material, 4)
    assert "見方がそろっています" in hc.compare_lines(material, a, dict(a), "A", "B")[0]
    assert "共通して答えた項目がまだありません" in hc.compare_lines(material, a, {}, "A", "B")[0]


def test_broken_material_is_reported(data_copy: Path):
    path = data_copy / "lessons/health_check.yml"
    text = path.read_text(encoding="utf-8")
    assert "  - id: review\n    category: continuity" in text
    path.write_text(text.replace("  - id: review\n    category: continuity", "  - id: review\n    category: nowhere"),
                    encoding="utf-8")
    with pytest.raises(DataError, match="項目 'review' のカテゴリ 'nowhere' がありません"):
        load_lesson_data("health_check", hc.HealthCheckMaterial, data_copy)


def test_widget_result_chart_and_comparison(material, store):
    w = HealthCheckWidget(material, store=store)
    w.result_button.click()
    assert w.feedback.kind == "warning" and "少なくとも一つ" in w.feedback.text
    for toggle in w.buttons["a"].values():
        toggle.value = 2
    for toggle in w.buttons["b"].values():
        toggle.value = 4
    w.names["a"].value = "<script>x</script>"
    w.result_button.click()
    assert w.chart is not None and len(w.chart.figure.axes[0].patches) == 2 * len(material.categories)
    assert "目的と成果: <script>x</script> 2.0 / 記入者B 4.0" in w.alt_text
    assert "<script>" not in w.feedback.widget.value
    w.compare_button.click()
    assert w.feedback.kind == "warning" and f"{len(material.items)} 個あります" in w.feedback.widget.value


def test_widget_restores_after_restart_and_resets(material, private_workspace):
    w = HealthCheckWidget(material, store=Store.open(private_workspace, "tester"))
    first = material.items[0].id
    w.buttons["b"][first].value = 5
    w.names["b"].value = "団体"
    again = HealthCheckWidget(material, store=Store.open(private_workspace, "tester"))
    assert again.buttons["b"][first].value == 5 and again.names["b"].value == "団体"
    again.reset_button.click()
    again.reset_button.click()
    assert again.answers("b") == {} and again.names["b"].value == ""


def test_widget_cleans_names(material, store):
    w = HealthCheckWidget(material, store=store)
    w.names["a"].value = "a\x00b" + "x" * 100
    assert len(w.names["a"].value) == 40 and "\x00" not in w.names["a"].value


def test_switching_rater_shows_the_other_form(material, store):
    w = HealthCheckWidget(material, store=store)
    assert w.pages.selected_index == 0 and len(w.pages.children) == 2
    # The switch drives the stack in the browser (also on the static page, where no kernel runs).
    assert w.switch_link.source == (w.rater_switch, "index")
    assert w.switch_link.target == (w.pages, "selected_index")
    assert [label for label, _ in w.rater_switch.options] == ["記入者A", "記入者B"]
