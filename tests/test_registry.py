"""The exercise registry: validation, references, old saves, and one source for every answer."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import yaml

import kyodo
from kyodo.data import DataError
from kyodo.exercises.choice import LIST_SEP, Mark
from kyodo.registry import ChoiceSpec, choice_task, load_registry
from kyodo.solutions import _md, answer_key_markdown, answer_table, solution_html
from kyodo.storage import Store

REGISTRY = load_registry()
CHOICES = [e for e in REGISTRY.exercises.values() if isinstance(e, ChoiceSpec)]
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_every_exercise_id_is_a_label_in_its_lesson_notebook():
    text = "\n".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS.glob("*.ipynb"))
    for exercise_id in REGISTRY.exercises:
        assert f"({exercise_id})=" in text, exercise_id
        assert f'kyodo.exercise(\\"{exercise_id}\\")' in text, exercise_id


@pytest.mark.parametrize("spec", CHOICES, ids=lambda s: s.id)
def test_every_listed_answer_is_accepted_as_listed(spec: ChoiceSpec, course):
    task = choice_task(spec, course)
    for item in task.items:
        for accepted in item.accepted:
            task.reset()
            _give(task, item.id, accepted.value)
            mark = task.judge(item).mark
            assert mark is (Mark.RIGHT if accepted.grade == "right" else Mark.ALSO), (item.id, accepted)
        for reading in item.readings:
            task.reset()
            _give(task, item.id, reading.value)
            assert task.judge(item).mark is Mark.DISCUSSION


def _give(task, item_id, value):
    if task.mode == "exactly":
        for slot, option in enumerate(sorted(value)):
            task.choose_slot(item_id, slot, option)
    elif task.mode == "many":
        for option in value:
            task.tick(item_id, option, True)
    else:
        task.choose(item_id, value)


@pytest.mark.parametrize("spec", CHOICES, ids=lambda s: s.id)
def test_the_answer_table_the_page_and_the_widget_agree(spec: ChoiceSpec, course):
    """Fill the widget's task from the generated table alone: it must come out complete."""
    table = answer_table(spec.id)
    task = choice_task(spec, course)
    by_text = {i.text: i for i in task.items}
    by_label = {o.label: o.id for o in task.options}
    assert len(table.rows) == len(task.items)
    for text, answer, *_ in table.rows:
        item = by_text[text]
        if not item.scored:
            continue
        first = answer.split(" / ")[0]
        value = frozenset(by_label[p] for p in first.split(LIST_SEP)) if task.mode in ("many", "exactly") \
            else by_label[first]
        _give(task, item.id, value)
    check = task.check()
    assert check.done == check.total
    page = solution_html(spec.id)
    facilitator = answer_key_markdown(spec.lesson)
    for row in table.rows:
        for cell in row:
            assert html.escape(cell, quote=True) in page
            assert _md(cell) in facilitator


def test_an_unknown_id_is_a_friendly_message_naming_what_exists(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()
    assert kyodo.exercise("case7-ex1") is None
    assert kyodo.solution("case7-ex1") is None


def test_unknown_id_message_lists_the_registered_ids():
    with pytest.raises(DataError) as err:
        REGISTRY.get("case7-ex1")
    assert "case7-ex1" in str(err.value) and "case3-ex2" in str(err.value)


def _copy_with(data_copy: Path, change) -> Path:
    path = data_copy / "exercises" / "case3.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data_copy


def test_a_reference_that_does_not_exist_names_file_entry_and_field(data_copy):
    def change(doc):
        doc["exercises"][1]["items"][0]["text"] = {"activity": "case3.no_such_activity"}

    with pytest.raises(DataError) as err:
        load_registry(_copy_with(data_copy, change))
    text = str(err.value)
    assert "exercises/case3.yml" in text and "case3-ex2" in text and "'text'" in text
    assert "case3.no_such_activity" in text


def test_an_answer_that_is_not_an_option_is_reported(data_copy):
    def change(doc):
        doc["exercises"][1]["items"][0]["answer"] = "nobody_here"

    with pytest.raises(DataError) as err:
        load_registry(_copy_with(data_copy, change))
    assert "nobody_here" in str(err.value)


def test_an_item_with_neither_answer_nor_readings_is_reported(data_copy):
    def change(doc):
        del doc["exercises"][1]["items"][0]["answer"]

    with pytest.raises(DataError) as err:
        load_registry(_copy_with(data_copy, change))
    assert "readings" in str(err.value)


def test_an_id_of_another_lesson_is_reported(data_copy):
    def change(doc):
        doc["exercises"][1]["id"] = "case9-ex2"

    with pytest.raises(DataError) as err:
        load_registry(_copy_with(data_copy, change))
    assert "case9-ex2" in str(err.value) and "case3-ex1" in str(err.value)


def test_an_unknown_kind_is_reported_in_japanese(data_copy):
    def change(doc):
        doc["exercises"][2]["kind"] = "quiz_show"

    with pytest.raises(DataError) as err:
        load_registry(_copy_with(data_copy, change))
    text = str(err.value)
    assert "'quiz_show'" in text and "使えません" in text and "choice" in text and "exercises の 3 番目" in text


def test_an_old_save_under_the_legacy_key_is_restored_and_moved(private_workspace: Path):
    spec = REGISTRY.get("case3-ex2")
    assert "case3/roles" in spec.legacy_keys
    private_workspace.mkdir(parents=True, exist_ok=True)
    path = private_workspace / "tester.json"
    old = {"format": "kyodo-progress", "version": 1,
           "exercises": {"case3/roles": {"answers": {"component_analysis": "meiji_kurokawa"}}, "other": 1}}
    path.write_text(json.dumps(old), encoding="utf-8")
    widget = kyodo.exercise("case3-ex2", store=Store.open(private_workspace, "tester"))
    assert widget.dropdowns["component_analysis"][0].value == "meiji_kurokawa"
    assert "1 件" in widget.feedback.text
    widget.dropdowns["report_input"][0].value = "citizen_monitors"
    saved = json.loads(path.read_text(encoding="utf-8"))["exercises"]
    assert "case3/roles" not in saved and saved["other"] == 1
    assert saved["case3-ex2"]["answers"] == {"component_analysis": "meiji_kurokawa",
                                             "report_input": "citizen_monitors"}


def test_the_overview_lists_every_exercise_once_in_reading_order():
    from kyodo.outline import load_outline
    from kyodo.solutions import overview_markdown

    text = overview_markdown()
    positions = [text.index(f"{{ref}}`{exercise_id}`") for exercise_id in REGISTRY.exercises]
    assert all(text.count(f"{{ref}}`{e}`") == 1 for e in REGISTRY.exercises)
    order = [lesson.id for lesson in load_outline().lessons]
    by_position = [e.lesson for _, e in sorted(zip(positions, REGISTRY.exercises.values()), key=lambda p: p[0])]
    assert by_position == sorted(by_position, key=order.index)
