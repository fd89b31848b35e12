"""What a notebook cell calls, given a wrong id or missing material: a clear Japanese message, never a traceback.

Every public call of ``kyodo`` and of ``kyodo.lessons.*`` is tried with an id
that does not exist (or, for the lesson views that take none, with the id
they rely on pointing nowhere or at the wrong kind of exercise). Each must
show one alert that names the wrong id and lists what exists, and return
``None``. Exercises whose builder needs material a case lacks say which case
and which material.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import kyodo
import kyodo.lessons
from kyodo import cells
from kyodo.exercises.choice import Accepted, ChoiceTask, Item, Option
from kyodo.widgets import choice_figures
from kyodo.widgets.choice import ChoiceWidget

LESSON_MODULES = sorted(m.name for m in pkgutil.iter_modules(kyodo.lessons.__path__))


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """Everything the calls display, as HTML text (from kyodo.cells and every lesson module)."""
    out: list[str] = []

    def show(obj: Any) -> None:
        out.append(getattr(obj, "data", str(obj)))

    monkeypatch.setattr(cells, "display", show)
    for name in LESSON_MODULES:
        module = importlib.import_module(f"kyodo.lessons.{name}")
        if hasattr(module, "display"):
            monkeypatch.setattr(module, "display", show)
    return out


def the_alert(shown: list[str]) -> str:
    alerts = [s for s in shown if "role='alert'" in s]
    assert len(alerts) == 1, shown
    assert "Traceback" not in alerts[0]
    return alerts[0]


# --- every call of kyodo that takes an id -------------------------------------------------------------

WRONG_IDS: dict[str, tuple[tuple[Any, ...], dict[str, Any], str, str]] = {
    # name: (args, kwargs, the wrong id as shown, something that exists and must be listed)
    "exercise": (("case7-ex1",), {}, "case7-ex1", "case3-ex1"),
    "solution": (("case7-ex1",), {}, "case7-ex1", "case3-ex1"),
    "show_case": (("case7",), {}, "case7", "case3"),
    "objectives": (("x",), {}, "x", "case3"),
    "key_points": (("x",), {}, "x", "case3"),
    "self_check": (("x",), {}, "x", "case3"),
}


def test_every_public_call_with_an_id_is_tried():
    """A new call of kyodo that takes an id must be added to WRONG_IDS."""
    with_ids = {name for name in kyodo.__all__
                if inspect.isfunction(getattr(kyodo, name)) and getattr(kyodo, name).__module__ == "kyodo.cells"
                and any(p.endswith("_id") for p in inspect.signature(getattr(kyodo, name)).parameters)}
    assert with_ids == set(WRONG_IDS)


@pytest.mark.parametrize("name", sorted(WRONG_IDS))
def test_a_wrong_id_is_named_with_what_exists(shown, name):
    args, kwargs, wrong, existing = WRONG_IDS[name]
    assert getattr(kyodo, name)(*args, **kwargs) is None
    alert = the_alert(shown)
    assert f"&#x27;{wrong}&#x27;" in alert or f"「{wrong}」" in alert
    assert existing in alert


@pytest.mark.parametrize("call", [
    lambda: kyodo.show_case(None), lambda: kyodo.exercise(""), lambda: kyodo.solution(3),
    lambda: kyodo.objectives("case3", only="everything"), lambda: kyodo.self_check(None),
])
def test_odd_arguments_get_a_message_too(shown, call):
    assert call() is None
    the_alert(shown)


def test_show_case_names_the_unknown_case_in_japanese(shown):
    kyodo.show_case("case7")
    alert = the_alert(shown)
    assert "事例 &#x27;case7&#x27; はありません" in alert and "case1" in alert and "case5" in alert


def test_a_lesson_without_self_checks_is_told_apart_from_an_unknown_lesson(shown):
    kyodo.self_check("class_overview")  # a lesson of the course that has no self-check
    assert "role='alert'" not in shown[-1] and "確認問題はまだ用意されていません" in shown[-1]


# --- every view of kyodo.lessons ---------------------------------------------------------------------


def lesson_views() -> list[tuple[str, str]]:
    """(module, function) of every call a notebook makes on a lesson module (the ones wrapped by _friendly)."""
    found = []
    for name in LESSON_MODULES:
        module = importlib.import_module(f"kyodo.lessons.{name}")
        for fname, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not fname.startswith("_") and hasattr(func, "__wrapped__"):
                found.append((name, fname))
    return found


WRONG_LESSON_IDS: dict[tuple[str, str], tuple[str, str, str]] = {
    # (module, function): (the module constant holding the id it relies on, a wrong id, what must be named)
    ("case5", "network_before_after"): ("NETWORK_EXERCISE", "case7-ex2", "case5-ex2"),  # and the known exercises
    ("intro", "coverage_map"): ("PLACEMENT", "intro-ex9", "intro-ex1"),
    ("first_step", "contacts"): ("LESSON_ID", "nowhere", "data/lessons/nowhere.yml"),  # the missing file
    ("first_step", "worked_example"): ("LESSON_ID", "nowhere", "data/lessons/nowhere.yml"),
    ("frameworks", "comparison_table"): ("LESSON_ID", "nowhere", "data/lessons/nowhere.yml"),
    ("frameworks", "further_reading"): ("LESSON_ID", "nowhere", "data/lessons/nowhere.yml"),
    ("policy", "proposal"): ("LESSON_ID", "nowhere", "data/lessons/nowhere.yml"),
    ("policy", "actor_profiles"): ("LESSON_ID", "nowhere", "data/lessons/nowhere.yml"),
}
"""Lesson views that rely on an id; the others (show_policy, viewpoints ...) read only the course data."""


def test_every_lesson_view_is_tried():
    views = set(lesson_views())
    assert set(WRONG_LESSON_IDS) <= views
    assert len(views) >= 12


@pytest.mark.parametrize("module, function", sorted(WRONG_LESSON_IDS))
def test_a_lesson_view_whose_id_points_nowhere_says_so(shown, monkeypatch, module, function):
    constant, wrong, existing = WRONG_LESSON_IDS[(module, function)]
    lesson = importlib.import_module(f"kyodo.lessons.{module}")
    monkeypatch.setattr(lesson, constant, wrong)
    assert getattr(lesson, function)() is None
    alert = the_alert(shown)
    assert wrong in alert and existing in alert


@pytest.mark.parametrize("module, constant, other", [
    ("case5", "NETWORK_EXERCISE", "case3-ex2"),  # a choice exercise, not a network
    ("intro", "PLACEMENT", "case3-ex1"),         # a flow map, not a choice
    ("intro", "PLACEMENT", "case3-ex2"),         # a choice without the coverage figure
])
def test_a_lesson_view_pointed_at_the_wrong_kind_of_exercise_says_so(shown, monkeypatch, module, constant, other):
    lesson = importlib.import_module(f"kyodo.lessons.{module}")
    monkeypatch.setattr(lesson, constant, other)
    view = {"case5": "network_before_after", "intro": "coverage_map"}[module]
    assert getattr(lesson, view)() is None
    assert other in the_alert(shown)


@pytest.mark.parametrize("module, function", lesson_views())
def test_every_lesson_view_without_its_data_says_so(shown, monkeypatch, tmp_path, module, function):
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("KYODO_DATA", str(tmp_path / "data"))
    lesson = importlib.import_module(f"kyodo.lessons.{module}")
    assert getattr(lesson, function)() is None
    assert "data" in the_alert(shown)


# --- exercises whose material a case does not have ----------------------------------------------------


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def entry(data: Any, exercise_id: str) -> dict[str, Any]:
    return next(e for e in data["exercises"] if e["id"] == exercise_id)


MISSING_MATERIAL = {
    "flow map of an unknown case": (
        "exercises/case3.yml", lambda d: entry(d, "case3-ex1")["params"].update(case="case7"),
        "case3-ex1", ["case7", "case1", "data/exercises/case3.yml"]),
    "flow map without a case": (
        "exercises/case3.yml", lambda d: entry(d, "case3-ex1").update(params={}),
        "case3-ex1", ["case", "data/exercises/case3.yml"]),
    "flow map of a case without flows": (
        "cases/case3.yml", lambda d: d.pop("flows"),
        "case3-ex1", ["case3", "flows"]),
    "donation of a case without a rate": (
        "cases/case2.yml", lambda d: d.pop("donation_rate"),
        "case2-ex3", ["case2", "donation_rate"]),
    "donation of an unknown case": (
        "exercises/case2.yml", lambda d: entry(d, "case2-ex3")["params"].update(case="case7"),
        "case2-ex3", ["case7", "case1"]),
    "outcome orientation a case does not have": (
        "cases/case3.yml", lambda d: d.pop("outcome_orientation"),
        "case3-ex3", ["case3.1", "missing"]),
    "scheme a case does not have": (
        "lessons/first_step.yml", lambda d: d["checklist"].update(scheme_case="case2"),
        "first_step-ex1", ["case2", "scheme"]),
}


@pytest.mark.parametrize("what", sorted(MISSING_MATERIAL))
def test_an_exercise_without_its_material_names_the_case_and_the_material(shown, monkeypatch, data_copy, what):
    file, change, exercise_id, expected = MISSING_MATERIAL[what]
    edit_yaml(data_copy / file, change)
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    assert kyodo.exercise(exercise_id) is None
    alert = the_alert(shown)
    for word in expected:
        assert word in alert, (word, alert)


def test_an_unknown_figure_of_a_choice_rule_is_named_with_the_known_ones(monkeypatch):
    drawn: list[str] = []
    monkeypatch.setattr(choice_figures, "display", lambda obj: drawn.append(obj.data))
    options = [Option("a", "甲"), Option("b", "乙")]
    task = ChoiceTask([Item("i", "項目", (Accepted("a"),))], options,
                      rules=[("table_after_check", {"figure": "nosuch"})])
    w = ChoiceWidget(task, "demo-ex1", "演習1", "t", "i")
    w.dropdowns["i"][0].value = "a"
    w.check_button.click()
    assert "うまく処理できませんでした" not in w.feedback.text and w.feedback.kind == "success"
    [alert] = drawn
    assert "role='alert'" in alert and "nosuch" in alert and "reach" in alert and "coverage" in alert


# --- anything else: a short message, never a traceback ----------------------------------------------------


def test_an_unexpected_error_becomes_a_short_japanese_message(shown):
    @cells._friendly
    def broken(case_id: str) -> None:
        raise RuntimeError("boom")

    assert broken("case3") is None
    alert = the_alert(shown)
    assert "RuntimeError" in alert and "boom" in alert and "表示できませんでした" in alert
