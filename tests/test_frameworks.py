"""Lesson frameworks: the comparison table, further reading, and the two registry exercises.

The exercises (frameworks-ex1, frameworks-ex2) are data in data/exercises/frameworks.yml;
these tests check their content by invariants, not by copying it.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

import kyodo
from kyodo.data import DataError, default_data_dir
from kyodo.exercises.choice import Mark
from kyodo.lessons import frameworks
from kyodo.registry import ChoiceSpec, choice_task, load_registry
from kyodo.solutions import answer_key_markdown, answer_table, solution_html
from kyodo.storage import Store
from kyodo.widgets.choice import ChoiceWidget

FIT = {"direct": "対応: はっきり重なる。", "partial": "対応: 部分的。", "none": "対応: 直接の対応はない。"}
NONE = "none"


@pytest.fixture(scope="module")
def loaded():
    return frameworks.load()


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def ex1(registry) -> ChoiceSpec:
    spec = registry.get("frameworks-ex1")
    assert isinstance(spec, ChoiceSpec)
    return spec


@pytest.fixture(scope="module")
def ex2(registry) -> ChoiceSpec:
    spec = registry.get("frameworks-ex2")
    assert isinstance(spec, ChoiceSpec)
    return spec


def fit_of(why: str) -> str:
    found = [fit for fit, prefix in FIT.items() if why.startswith(prefix)]
    assert len(found) == 1, why
    return found[0]


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


def test_the_lesson_data_no_longer_holds_the_exercises():
    raw = yaml.safe_load((default_data_dir() / "lessons" / "frameworks.yml").read_text(encoding="utf-8"))
    assert set(raw) == {"interpretation", "home", "frameworks"}


def test_the_lesson_has_exactly_its_two_exercises(registry):
    assert [e.id for e in registry.of_lesson("frameworks")] == ["frameworks-ex1", "frameworks-ex2"]


# --- exercise 1: principles to viewpoints ---------------------------------------------------------

def test_ex1_offers_the_policy_viewpoints_and_none(ex1, course):
    task = choice_task(ex1, course)
    assert [o.label for o in task.options[:3]] == [v.name for v in course.policy.viewpoints]
    assert [o.id for o in task.options] == [v.id for v in course.policy.viewpoints] + [NONE]
    assert all(o.clue for o in task.options)
    assert ex1.layout == "stacked" and ex1.mode == "one"


def test_ex1_items_name_a_compared_framework_but_never_the_unchecked_rules(ex1, loaded):
    _, material = loaded
    names = {f.id: f.short.split(" ")[0] for f in material.frameworks}
    for item in ex1.items:
        assert isinstance(item.text, str)
        assert names["kawasaki_rules"] not in item.text and "協働型事業のルール" not in item.text
        assert any(name in item.text for fid, name in names.items() if fid != "kawasaki_rules"), item.text


def test_ex1_every_option_is_the_right_answer_of_several_items(ex1):
    counts = {o.id: sum(i.answer == o.id for i in ex1.items) for o in ex1.options}
    assert all(n >= 3 for n in counts.values()), counts


def test_ex1_right_answers_are_right_and_say_how_close_the_match_is(ex1, course):
    task = choice_task(ex1, course)
    for item in ex1.items:
        task.choose(item.id, item.answer)
    check = task.check()
    assert check.complete and check.kind == "success"
    for result, item in ((r, next(i for i in ex1.items if i.id == r.item.id)) for r in check.results):
        assert result.mark is Mark.RIGHT
        fit = fit_of(result.item.why)
        assert (fit == "none") == (item.answer == NONE), item.id
        assert FIT[fit] in result.message


def test_ex1_every_also_answer_is_accepted_with_its_comment(ex1, course):
    for item in ex1.items:
        for also in item.also:
            task = choice_task(ex1, course)
            task.choose(item.id, also.answer)
            result = next(r for r in task.check().results if r.item.id == item.id)
            assert result.mark is Mark.ALSO and result.mark.done
            assert "この読み方もできます" in result.message and also.comment in result.message
            assert "講座は" in also.comment  # and says what the course chose, and why


def test_decision_8_partially_matching_items_accept_another_viewpoint(ex1, course):
    """DECISION 8: an item described as matching only partially also accepts another reading, with its reason."""
    partial = [i for i in ex1.items if fit_of(i.why) == "partial"]
    assert len(partial) >= 4 and all("ただし" in i.why for i in partial)
    for item in ex1.items:
        if item in partial:
            assert item.also, item.id
            assert all(a.answer != item.answer and len(a.comment) > 40 for a in item.also)
        else:
            assert not item.also, item.id
    # the reading the lesson text and the facilitator page name: TPI's mutual benefit as synergy
    task = choice_task(ex1, course)
    task.choose("tpi_mutual_benefit", "synergy")
    task.choose("yokohama_mutual", "synergy")
    results = {r.item.id: r for r in task.check().results}
    assert results["tpi_mutual_benefit"].mark is Mark.ALSO  # was wrong before
    assert results["yokohama_mutual"].mark is Mark.WRONG  # a full match accepts nothing else


def test_ex1_wrong_gives_the_clue_not_the_answer(ex1, course):
    task = choice_task(ex1, course)
    task.choose("yokohama_openness", "mutual_understanding")
    task.choose("ci_communication", "synergy")  # a mistake the facilitator page names: still wrong
    results = {r.item.id: r for r in task.check().results}
    message = results["yokohama_openness"].message
    assert results["yokohama_openness"].mark is Mark.WRONG
    assert "「相互理解の促進」ではありません" in message
    assert task.option(NONE).label not in message and task.option(NONE).clue in message
    assert results["ci_communication"].mark is Mark.WRONG
    first = task.hint()
    assert task.option(NONE).label not in first
    assert task.option(NONE).label in task.hint()  # second level: the answer


# --- exercise 2: CASE4 through a logic model ---------------------------------------------------

def test_ex2_is_case4_in_logic_model_order(ex2, course):
    assert ex2.mode == "order" and ex2.layout == "stacked"
    assert [i.answer for i in ex2.items] == list(range(1, len(ex2.items) + 1))
    assert [i.id for i in ex2.items] == [e.id for e in frameworks.load()[1].frameworks[-1].elements]
    assert course.org_short(course.case("case4").participants[0].org) in str(ex2.items[0].text)
    task = choice_task(ex2, course)
    assert [i.id for i in task.items] != [i.id for i in ex2.items]  # not shown in the right order
    assert all(i.clue and i.short and i.short in i.why for i in ex2.items)


def test_ex2_right_early_late_and_the_same_number_twice(ex2, course):
    task = choice_task(ex2, course)
    for item in ex2.items:
        task.choose(item.id, str(item.answer))
    assert task.check().complete
    task.reset()
    task.choose("outputs", "4")
    task.choose("outcomes", "4")
    task.choose("inputs", "1")
    check = task.check()
    results = {r.item.id: r for r in check.results}
    assert results["inputs"].mark is Mark.RIGHT and results["outcomes"].mark is Mark.RIGHT
    assert results["outputs"].mark is Mark.WRONG and "もっと前" in results["outputs"].message
    assert check.flags and "「4」" in check.flags[0] and not check.complete


# --- saved work under the old keys ---------------------------------------------------------------

def test_every_old_key_is_listed(ex1, ex2):
    assert ex1.legacy_keys == ["frameworks/mapping"]
    assert ex2.legacy_keys == ["frameworks/logic_model"]


def test_old_saved_answers_restore_into_the_new_widgets(private_workspace, ex1, ex2):
    partial = next(i for i in ex1.items if i.also)
    old = Store.open(private_workspace, "tester")  # as the old widgets saved: old keys, old shapes
    old.save("frameworks/mapping", {"answers": {"yokohama_mutual": "mutual_understanding",
                                                partial.id: partial.also[0].answer, "gone": "outcome"}})
    old.save("frameworks/logic_model", {"positions": {"inputs": 1, "impact": 4}})
    w1 = kyodo.exercise("frameworks-ex1", store=Store.open(private_workspace, "tester"))
    w2 = kyodo.exercise("frameworks-ex2", store=Store.open(private_workspace, "tester"))
    assert isinstance(w1, ChoiceWidget) and isinstance(w2, ChoiceWidget)
    assert w1.dropdowns["yokohama_mutual"][0].value == "mutual_understanding"
    assert w1.dropdowns[partial.id][0].value == partial.also[0].answer
    assert "前回の続きから再開します" in w1.feedback.text and "2 件" in w1.feedback.text
    assert w2.dropdowns["inputs"][0].value == "1" and w2.dropdowns["impact"][0].value == "4"
    w1.check_button.click()
    assert "✅" in w1.marks[partial.id].value and "この読み方もできます" in w1.marks[partial.id].value
    # a new answer is saved under the new key, and the old key goes
    w2.dropdowns["outputs"][0].value = "3"
    saved = Store.open(private_workspace, "tester")
    assert saved.get("frameworks/logic_model") is None and saved.get("frameworks/mapping") is not None
    assert saved.get("frameworks-ex2") == {"answers": {"inputs": "1", "impact": "4", "outputs": "3"}}


def test_widgets_driven_as_a_learner_would(store, ex2):
    w = kyodo.exercise("frameworks-ex2", store=store)
    assert "演習2" in w.ui.children[0].value and ex2.title in w.ui.children[0].value
    w.check_button.click()
    assert w.feedback.kind == "info" and "まだ一つも選ばれていません" in w.feedback.text
    for item in ex2.items:
        w.dropdowns[item.id][0].value = str(item.answer)
    w.check_button.click()
    assert w.feedback.kind == "success"
    w.reset_button.click()
    w.reset_button.click()
    assert all(d[0].value is None for d in w.dropdowns.values())


# --- model answers -------------------------------------------------------------------------------

def test_model_answers_list_the_other_readings(registry, course):
    table = answer_table("frameworks-ex1", registry, course)
    assert table is not None and len(table.rows) == 12
    with_also = [row for row in table.rows if row[2] != "—"]
    assert len(with_also) == sum(bool(i.also) for i in registry.get("frameworks-ex1").items)
    order = answer_table("frameworks-ex2", registry, course)
    assert [row[1] for row in order.rows] == ["1", "2", "3", "4", "5"]
    assert "<details>" in solution_html("frameworks-ex2")
    page = answer_key_markdown("frameworks", registry, course)
    assert "答え合わせの仕組み" in page and "よくある誤り" in page and "話し合いの問い" in page


def test_the_notebook_shows_every_exercise_and_its_solution(registry):
    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "07_frameworks.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    for spec in registry.of_lesson("frameworks"):
        assert f'kyodo.exercise("{spec.id}")' in code
        assert f'kyodo.solution("{spec.id}")' in code
    assert not any("<summary>解答例" in "".join(c["source"]) for c in nb["cells"])


# --- views -------------------------------------------------------------------------------------------

def test_comparison_table_puts_kawasaki_first_and_every_framework_in(loaded):
    course, material = loaded
    html = frameworks.comparison_html(course, material)
    assert html.index("川崎市協働・連携の基本方針") < html.index("横浜コード")
    assert html.count("<tr>") == 1 + 1 + len(material.frameworks)
    for fw in material.frameworks:
        assert fw.name.split(" (")[0] in html
    assert "、".join(v.name for v in course.policy.viewpoints) in html
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


def test_views_do_not_depend_on_a_cached_course_object(loaded):
    course, material = loaded
    copy = dataclasses.replace(course)
    assert frameworks.comparison_html(copy, material) == frameworks.comparison_html(course, material)


def test_facade_functions(monkeypatch, data_copy):
    import kyodo.cells

    shown: list[str] = []
    monkeypatch.setattr(frameworks, "display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(kyodo.cells, "display", lambda obj: shown.append(obj.data))
    frameworks.comparison_table()
    frameworks.further_reading()
    assert "<table" in shown[0] and "<ol" in shown[1]
    rewrite(data_copy, lambda d: d["frameworks"][0].update(url="http://example.com"))
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    assert frameworks.comparison_table() is None
    assert "role='alert'" in shown[-1] and "url" in shown[-1]


# --- broken data ------------------------------------------------------------------------------------

def rewrite(folder: Path, change, name: str = "lessons/frameworks.yml") -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def broken(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        frameworks.load(folder)
    return str(info.value)


def test_duplicate_ids_are_reported(data_copy):
    def change(d):
        d["frameworks"][2]["id"] = "yokohama_code"
        d["frameworks"][3]["elements"][1]["id"] = "environment"

    rewrite(data_copy, change)
    text = broken(data_copy)
    assert "id 'yokohama_code' が重複しています" in text
    assert "frameworks[4]" in text and "id 'environment' が重複しています" in text


def test_schema_errors_are_plain_japanese(data_copy):
    def change(d):
        d["frameworks"][0]["url"] = "http://example.com"
        del d["frameworks"][1]["source"]
        d["interpretation"] = "maybe"

    rewrite(data_copy, change)
    text = broken(data_copy)
    assert "frameworks[1] (id: kawasaki_rules) の項目 'url': この項目は使えません" in text
    assert "frameworks[2] (id: yokohama_code) の項目 'source': 必須の項目がありません" in text


def test_an_unknown_viewpoint_in_the_registry_is_reported(data_copy):
    rewrite(data_copy, lambda d: d["exercises"][0]["options"][0].update(label={"viewpoint": "harmony"}),
            "exercises/frameworks.yml")
    with pytest.raises(DataError) as info:
        load_registry(data_copy)
    assert "frameworks.yml" in str(info.value) and "harmony" in str(info.value)
