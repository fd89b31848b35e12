"""Lesson frameworks: the comparison table, the two exercises, further reading and data checks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from kyodo.data import DataError
from kyodo.exercises.sorting import Mark
from kyodo.lessons import frameworks
from kyodo.storage import Store
from kyodo.widgets.stacked import StackedOrderingWidget, StackedSortingWidget


@pytest.fixture(scope="module")
def loaded():
    return frameworks.load()


@pytest.fixture
def mapping(loaded):
    return frameworks.mapping_task(*loaded)


@pytest.fixture
def logic(loaded):
    return frameworks.logic_model_task(loaded[1])


# --- the material ---------------------------------------------------------------------------------

def test_every_framework_is_cited_and_only_the_unchecked_one_carries_a_caution(loaded):
    _, material = loaded
    ids = [f.id for f in material.frameworks]
    assert ids == ["kawasaki_rules", "yokohama_code", "tpi", "wilder", "collective_impact", "iap2", "logic_model"]
    assert all(f.source and f.read_for for f in material.frameworks)
    assert [f.id for f in material.frameworks if f.caution] == ["kawasaki_rules"]
    by_id = {f.id: f for f in material.frameworks}
    assert [e.name_en for e in by_id["wilder"].elements] == [
        "Environment", "Membership characteristics", "Process and structure", "Communication", "Purpose", "Resources"]
    assert len(by_id["collective_impact"].elements) == 5 and len(by_id["iap2"].elements) == 5
    assert "Stanford Social Innovation Review" in by_id["collective_impact"].source
    assert "1999" in by_id["yokohama_code"].year


def test_the_unchecked_rules_are_not_used_in_the_exercise(loaded):
    _, material = loaded
    assert all(i.framework != "kawasaki_rules" for i in material.mapping.items)


# --- exercise 1: principles to viewpoints ---------------------------------------------------------

def test_mapping_offers_the_three_viewpoints_and_none(mapping):
    assert [c.label for c in mapping.categories] == [
        "多様性を活かした相乗効果", "成果志向", "相互理解の促進", "直接対応する視点はない"]
    assert len(mapping.items) == 12
    counts = {c.id: sum(i.answer == c.id for i in mapping.items) for c in mapping.categories}
    assert all(n >= 3 for n in counts.values()), counts


def test_mapping_all_right_explains_how_close_each_is(mapping):
    for item in mapping.items:
        mapping.assign(item.id, item.answer)
    check = mapping.check()
    assert check.complete and "全問正解です (12 項目)" in check.summary
    messages = {r.item.id: r.message for r in check.results}
    assert "対応: はっきり重なる。" in messages["yokohama_mutual"]
    assert "対応: 部分的。" in messages["tpi_mutual_benefit"] and "CASE2" in messages["tpi_mutual_benefit"]
    assert "対応: 直接の対応はない。" in messages["ci_backbone"]
    partial = [i for i in mapping.items if "部分的" in i.why]
    assert len(partial) >= 4 and all("ただし" in i.why for i in partial)


def test_mapping_wrong_gives_the_clue_not_the_answer(mapping):
    item = next(i for i in mapping.items if i.id == "yokohama_openness")
    mapping.assign(item.id, "mutual_understanding")
    result = next(r for r in mapping.check().results if r.item.id == item.id)
    assert result.mark is Mark.WRONG
    assert "「相互理解の促進」ではありません" in result.message
    assert "直接対応する視点はない" not in result.message and "直接は扱っていません" in result.message


def test_mapping_partial_nothing_and_malformed(mapping):
    assert "まだ答えが選ばれていません" in mapping.check().summary
    first, second = mapping.items[:2]
    mapping.assign(first.id, first.answer)
    mapping.assign(second.id, next(c.id for c in mapping.categories if c.id != second.answer))
    check = mapping.check()
    assert (check.correct, check.unanswered) == (1, 10)
    assert second.text in mapping.hint()
    assert not mapping.assign(first.id, "<script>")
    assert not mapping.assign("no_item", "outcome")
    assert mapping.load_state({"answers": {"x": "outcome", first.id: 3}}) == 0
    assert mapping.load_state(None) == 0


# --- exercise 2: CASE4 through a logic model ---------------------------------------------------

def test_logic_model_steps_are_case4_in_order(loaded, logic):
    _, material = loaded
    assert material.logic_model.case == "case4"
    assert [s.id for s in logic.steps] == ["inputs", "activities", "outputs", "outcomes", "impact"]
    assert "キーパーソン21" in logic.steps[0].text and "生きる力" in logic.steps[-1].text
    assert [s.id for s in logic.shown] != [s.id for s in logic.steps]


def test_logic_model_right_wrong_partial_and_duplicates(logic):
    for n, step in enumerate(logic.steps, start=1):
        logic.place(step.id, n)
    assert logic.check().complete
    logic.reset()
    logic.place("outputs", 4)
    logic.place("outcomes", 4)
    logic.place("inputs", 1)
    check = logic.check()
    assert check.correct == 2 and check.duplicates == (4,)
    messages = {r.step.id: r.message for r in check.results}
    assert messages["outputs"] == "もう少し前の手順です。" and messages["inputs"] == "正しい位置です。"
    assert "同じ番号 (4)" in check.summary
    assert "2 番目" in logic.hint()
    assert not logic.place("outputs", 9) and not logic.place("nothing", 1)


# --- views -------------------------------------------------------------------------------------------

def test_comparison_table_puts_kawasaki_first_and_every_framework_in(loaded):
    course, material = loaded
    html = frameworks.comparison_html(course, material)
    assert html.index("川崎市協働・連携の基本方針") < html.index("横浜コード")
    assert html.count("<tr>") == 1 + 1 + len(material.frameworks)
    for fw in material.frameworks:
        assert fw.name.split(" (")[0] in html
    assert "多様性を活かした相乗効果、成果志向、相互理解の促進" in html
    assert html.count("※ 要確認:") == 1
    assert "段階: 探る・築く" in html and "原則: 公平、透明性、相互の利益" in html


def test_comparison_table_escapes_the_data(loaded):
    course, material = loaded
    bad = material.frameworks[0].model_copy(update={"name": "<script>x</script>"})
    html = frameworks.comparison_html(course, material.model_copy(update={"frameworks": [bad]}))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_further_reading_gives_full_citations(loaded):
    course, material = loaded
    html = frameworks.reading_html(course, material)
    assert "川崎市市民文化局コミュニティ推進部協働・連携推進課「多様な 川崎の協働・連携事例" in html
    assert "Kania, J., &amp; Kramer, M. (2011). Collective Impact." in html
    assert "W.K. Kellogg Foundation (2004). Logic Model Development Guide." in html
    assert html.count("<li>") == len(course.sources) + len(material.frameworks)
    assert "http" not in html


# --- broken data ------------------------------------------------------------------------------------

def rewrite(folder: Path, change) -> None:
    path = folder / "lessons" / "frameworks.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def broken(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        frameworks.load(folder)
    return str(info.value)


def test_unknown_answer_and_framework_are_reported(data_copy):
    def change(d):
        d["mapping"]["items"][0]["answer"] = "harmony"
        d["mapping"]["items"][1]["framework"] = "nowhere"

    rewrite(data_copy, change)
    text = broken(data_copy)
    assert "mapping.items[1] の項目 'answer': 'harmony' はありません" in text
    assert "mapping.items[2] の項目 'framework': 'nowhere' はありません" in text


def test_fit_must_agree_with_answer(data_copy):
    rewrite(data_copy, lambda d: d["mapping"]["items"][0].update(fit="none"))
    assert "fit 'none' と answer 'mutual_understanding' が合いません" in broken(data_copy)


def test_missing_clue_wrong_case_and_duplicates(data_copy):
    def change(d):
        del d["mapping"]["clues"]["none"]
        d["logic_model"]["case"] = "case9"
        d["logic_model"]["steps"][1]["id"] = "inputs"

    rewrite(data_copy, change)
    text = broken(data_copy)
    assert "分類先 none のヒント (clues) がありません" in text
    assert "'case9' はありません" in text
    assert "id 'inputs' が重複しています" in text


def test_schema_errors_are_plain_japanese(data_copy):
    def change(d):
        d["frameworks"][0]["url"] = "http://example.com"
        del d["frameworks"][1]["source"]
        d["mapping"]["items"][0]["fit"] = "maybe"

    rewrite(data_copy, change)
    text = broken(data_copy)
    assert "frameworks[1] (id: kawasaki_rules) の項目 'url': この項目は使えません" in text
    assert "frameworks[2] (id: yokohama_code) の項目 'source': 必須の項目がありません" in text
    assert "次のどれかにしてください" in text


# --- widgets, driven as a learner would --------------------------------------------------------------

def test_mapping_widget_check_restore_and_reset(loaded, private_workspace):
    def open_widget():
        return StackedSortingWidget(frameworks.mapping_task(*loaded), "frameworks/mapping", "演習1", "t", "i",
                                    store=Store.open(private_workspace, "tester"))

    w = open_widget()
    item = w.task.items[0]
    assert item.text in w.ui.children[1].children[0].value
    w.choices[item.id].value = item.answer
    other = w.task.items[1]
    w.choices[other.id].value = next(c.id for c in w.task.categories if c.id != other.answer)
    w.check_button.click()
    assert "✅" in w.marks[item.id].value and "対応:" in w.marks[item.id].value
    assert "❌" in w.marks[other.id].value and w.feedback.kind == "warning"
    again = open_widget()
    assert again.choices[item.id].value == item.answer
    assert "前回の続きから再開します" in again.feedback.text
    again.reset_button.click()
    again.reset_button.click()
    assert again.choices[item.id].value is None


def test_logic_widget_success(loaded, store):
    w = StackedOrderingWidget(frameworks.logic_model_task(loaded[1]), "frameworks/logic_model", "演習2", "t", "i",
                              store=store)
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ番号が選ばれていません" in w.feedback.text
    for n, step in enumerate(w.task.steps, start=1):
        w.choices[step.id].value = n
    w.check_button.click()
    assert w.feedback.kind == "success" and "正しい順番です (5 個の手順)" in w.feedback.text


def test_facade_functions(monkeypatch, data_copy):
    import kyodo.lesson

    shown: list[str] = []
    monkeypatch.setattr(frameworks, "display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(kyodo.lesson, "display", lambda obj: shown.append(obj.data))
    w = frameworks.principles_to_viewpoints("演習1")
    assert isinstance(w, StackedSortingWidget) and w.key == "frameworks/mapping"
    lm = frameworks.logic_model("演習2")
    assert isinstance(lm, StackedOrderingWidget)
    assert "CASE4 をロジックモデルで読む" in lm.ui.children[0].value
    frameworks.comparison_table()
    frameworks.further_reading()
    assert "<table" in shown[0] and "<ol" in shown[1]
    rewrite(data_copy, lambda d: d["mapping"]["items"][0].update(answer="harmony"))
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    assert frameworks.principles_to_viewpoints() is None
    assert "role='alert'" in shown[-1] and "harmony" in shown[-1]


def test_views_do_not_depend_on_a_cached_course_object(loaded):
    course, material = loaded
    copy = dataclasses.replace(course)
    assert frameworks.comparison_html(copy, material) == frameworks.comparison_html(course, material)
