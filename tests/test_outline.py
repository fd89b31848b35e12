"""The course outline (data/course.yml): validation, the lesson pages' objectives, times and key points,
the notebooks and the book's table of contents, and the reading paths of book/intro.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

import kyodo
from kyodo import cells
from kyodo.data import DataError
from kyodo.outline import Lesson, Minutes, key_points_html, load_outline, notebook_number, objectives_html

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUTLINE = load_outline()


def notebook(lesson: Lesson) -> list[dict]:
    return json.loads((NOTEBOOKS / f"{lesson.notebook}.ipynb").read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def html_output(cell: dict) -> str:
    return "".join("".join(o.get("data", {}).get("text/html", [])) for o in cell.get("outputs", []))


# --- the data ---------------------------------------------------------------------------------

LESSONS = ["intro", "case1", "case2", "case3", "case4", "case5", "policy", "frameworks", "first_step",
           "design_sheet", "health_check", "class_overview"]
"""The course's lessons, in reading order (a case added as README.md says comes in between)."""


def test_the_outline_lists_every_lesson_in_reading_order(course):
    ids = [lesson.id for lesson in OUTLINE.lessons]
    assert [i for i in ids if i in LESSONS] == LESSONS
    added = [lesson for lesson in OUTLINE.lessons if lesson.id not in LESSONS]  # cases added as README says
    assert all(lesson.id in {c.id for c in course.cases} and lesson.part == "事例で学ぶ" for lesson in added)
    numbers = [notebook_number(lesson.notebook) for lesson in OUTLINE.lessons]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    whole = [int(n) for n in numbers if n.isdigit()]  # a lesson put in between has a letter: 05a
    assert whole == list(range(len(whole)))


def test_every_lesson_for_learners_has_objectives_times_and_key_points():
    for lesson in OUTLINE.lessons:
        if lesson.part == "進行役・講師のために":
            continue
        assert 3 <= len(lesson.objectives) <= 5, lesson.id
        assert lesson.minutes and lesson.key_points, lesson.id
        assert all(o.endswith("。") for o in lesson.objectives), lesson.id
    for lesson in OUTLINE.lessons:  # plain text: the page escapes it, so Markdown would show as it is
        for text in [*lesson.objectives, *lesson.key_points, lesson.audience, lesson.prerequisites or ""]:
            assert not re.search(r"\*\*|`|\{ref\}", text), (lesson.id, text)


def test_totals_are_computed_from_the_phases():
    assert OUTLINE.get("case3").total == Minutes(min=60, max=60)
    assert str(OUTLINE.get("case3").total) == "60分"
    sheet = OUTLINE.get("design_sheet")
    assert list(sheet.minutes) == ["説明", "記入", "点検と共有"]
    assert str(sheet.minutes["記入"]) == "45〜60分"
    assert (sheet.total.min, sheet.total.max) == (65, 80) and str(sheet.total) == "65〜80分"
    assert OUTLINE.get("class_overview").total is None
    assert Minutes.model_validate(15) == Minutes(min=15, max=15)


def test_an_unknown_lesson_names_the_known_ones():
    with pytest.raises(DataError) as err:
        OUTLINE.get("case9")
    text = str(err.value)
    assert "'case9'" in text and "case3" in text and "design_sheet" in text and "course.yml" in text


# --- broken copies of the data ----------------------------------------------------------------

def broken(data_copy: Path, change) -> str:
    path = data_copy / "course.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_outline(data_copy)
    return str(err.value)


def lesson_of(doc: dict, lesson_id: str) -> dict:
    return next(entry for entry in doc["lessons"] if entry["id"] == lesson_id)


def test_minutes_that_are_not_a_number_name_file_entry_and_field(data_copy):
    text = broken(data_copy, lambda doc: lesson_of(doc, "case3")["minutes"].update({"演習": "30分"}))
    assert "data/course.yml" in text and "lessons[4]" in text and "case3" in text and "'演習'" in text
    assert "整数" in text and "{min: 45, max: 60}" in text


def test_a_range_must_not_run_backwards(data_copy):
    text = broken(data_copy, lambda doc: lesson_of(doc, "design_sheet")["minutes"].update(
        {"記入": {"min": 60, "max": 45}}))
    assert "design_sheet" in text and "'記入'" in text and "max (45)" in text and "min (60)" in text


def test_a_range_with_an_unknown_key_or_no_max_is_reported(data_copy):
    text = broken(data_copy, lambda doc: lesson_of(doc, "design_sheet")["minutes"].update(
        {"記入": {"min": 45, "upto": 60}}))
    assert "'upto'" in text and "使えません" in text and "'max'" in text and "必須" in text


def test_an_unknown_field_and_a_missing_one_are_reported_in_japanese(data_copy):
    def change(doc):
        lesson_of(doc, "case1")["goals"] = lesson_of(doc, "case1").pop("objectives")
        del lesson_of(doc, "case2")["audience"]

    text = broken(data_copy, change)
    assert "(id: case1) の項目 'goals'" in text and "使えません" in text
    assert "(id: case2) の項目 'audience'" in text and "必須の項目がありません" in text


def test_objectives_must_be_a_list(data_copy):
    text = broken(data_copy, lambda doc: lesson_of(doc, "case4").update({"objectives": "一つの文"}))
    assert "'objectives'" in text and "リスト" in text


def test_two_lessons_with_one_id_are_reported(data_copy):
    text = broken(data_copy, lambda doc: lesson_of(doc, "case5").update({"id": "case4"}))
    assert "id 'case4'" in text and "二つ以上" in text


def test_lessons_out_of_reading_order_are_reported(data_copy):
    def change(doc):
        doc["lessons"][1], doc["lessons"][2] = doc["lessons"][2], doc["lessons"][1]

    text = broken(data_copy, change)
    assert "'01_case1_greenbird'" in text and "'02_case2_waon'" in text and "読む順" in text


def test_a_lesson_with_exercises_but_no_entry_is_reported(data_copy):
    text = broken(data_copy, lambda doc: doc["lessons"].remove(lesson_of(doc, "case3")))
    assert "data/exercises/case3.yml" in text and "data/self_checks/case3.yml" in text and "'case3'" in text


def test_a_missing_file_is_reported(data_copy):
    (data_copy / "course.yml").unlink()
    with pytest.raises(DataError) as err:
        load_outline(data_copy)
    assert "data/course.yml" in str(err.value) and "ファイルがありません" in str(err.value)


# --- rendering --------------------------------------------------------------------------------

def test_objectives_show_the_list_and_the_table_with_the_total():
    page = objectives_html(OUTLINE.get("case4"))
    assert page.count("<li>") == 3 and "<ol" in page and "<table" in page
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert headers == ["対象", "講義", "演習", "振り返り", "合計"]
    cells_ = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert cells_ == ["自治体職員研修・大学の授業・独習", "15分", "35分", "15分", "65分"]
    assert "前提知識は要りません。" in page


def test_only_one_part_under_each_heading():
    goals = objectives_html(OUTLINE.get("design_sheet"), "objectives")
    time = objectives_html(OUTLINE.get("design_sheet"), "time")
    assert "<ol" in goals and "<table" not in goals
    assert "<table" in time and "<ol" not in time and "65〜80分" in time and "45〜60分" in time
    with pytest.raises(KeyError):
        objectives_html(OUTLINE.get("case3"), "everything")  # type: ignore[arg-type]


def test_key_points_are_a_list_and_a_lesson_without_them_says_so():
    page = key_points_html(OUTLINE.get("case3"))
    assert page.count("<li>") == len(OUTLINE.get("case3").key_points) and "<ul" in page
    assert "まとめがありません" in key_points_html(OUTLINE.get("class_overview"))
    assert "学習目標がありません" in objectives_html(OUTLINE.get("class_overview"))


def test_rendering_escapes_every_text():
    evil = "<script>alert('x')</script> & co"
    lesson = Lesson.model_validate({
        "id": "evil", "label": "evil", "notebook": "99_evil", "part": "<b>部</b>", "audience": evil,
        "minutes": {evil: 5, "演習": {"min": 10, "max": 20}}, "prerequisites": evil,
        "objectives": [evil], "key_points": [evil]})
    for page in (objectives_html(lesson), key_points_html(lesson)):
        assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; co" in page
    assert "15〜25分" in objectives_html(lesson, "time")


def test_the_lesson_cells_display_the_views_and_a_friendly_message(monkeypatch):
    shown = []
    monkeypatch.setattr(cells, "display", shown.append)
    assert kyodo.objectives("case3", only="time") is None
    assert kyodo.key_points("case3") is None
    assert "60分" in shown[0].data and OUTLINE.get("case3").key_points[0] in shown[1].data
    kyodo.objectives("case9")
    kyodo.key_points("lesson_nine")
    for message in (shown[2].data, shown[3].data):
        assert "role='alert'" in message and "case3" in message and "health_check" in message
    assert "&#x27;case9&#x27;" in shown[2].data and "&#x27;lesson_nine&#x27;" in shown[3].data


# --- notebooks and the book -------------------------------------------------------------------

def test_every_notebook_has_an_entry_and_every_entry_a_notebook():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(lesson.notebook for lesson in OUTLINE.lessons)


def test_the_label_and_the_ids_a_notebook_uses_are_its_lesson_id():
    for lesson in OUTLINE.lessons:
        text = "\n".join(source(c) for c in notebook(lesson))
        assert source(notebook(lesson)[0]).startswith(f"({lesson.label})=\n# "), lesson.id
        for called in re.findall(r'kyodo\.(?:objectives|key_points|self_check)\("([^"]+)"', text):
            assert called == lesson.id, (lesson.notebook, called)
        for exercise in re.findall(r'kyodo\.(?:exercise|solution)\("([^"]+)"', text):
            assert exercise.startswith(f"{lesson.id}-"), (lesson.notebook, exercise)


HEADINGS = {
    "## 学習目標": 'kyodo.objectives("{id}", only="objectives")',
    "## 対象と所要時間": 'kyodo.objectives("{id}", only="time")',
    "## まとめ": 'kyodo.key_points("{id}")',
}


@pytest.mark.parametrize("lesson", OUTLINE.lessons, ids=lambda lesson: lesson.id)
def test_each_heading_is_followed_by_its_call_and_nothing_typed_by_hand(lesson):
    cells_ = notebook(lesson)
    for heading, call in HEADINGS.items():
        found = [i for i, c in enumerate(cells_)
                 if c["cell_type"] == "markdown" and re.search(f"^{heading}$", source(c), re.M)]
        if not lesson.objectives:
            assert not found, (lesson.id, heading)
            continue
        assert len(found) == 1, (lesson.id, heading)
        head, after = cells_[found[0]], cells_[found[0] + 1]
        below = source(head).split(heading, 1)[1]
        assert not re.search(r"^(\d+\.|-|\|) ", below, re.M), (lesson.id, heading, below)
        assert after["cell_type"] == "code" and source(after) == call.format(id=lesson.id), (lesson.id, heading)
        assert after["metadata"].get("tags") == ["remove-input"], (lesson.id, heading)
    if lesson.objectives:  # the saved outputs come from the data (make notebooks after changing it)
        calls = {source(c): html_output(c) for c in cells_ if c["cell_type"] == "code"}
        assert calls[HEADINGS["## 学習目標"].format(id=lesson.id)] == objectives_html(lesson, "objectives")
        assert calls[HEADINGS["## 対象と所要時間"].format(id=lesson.id)] == objectives_html(lesson, "time")
        assert calls[HEADINGS["## まとめ"].format(id=lesson.id)] == key_points_html(lesson)


def test_the_table_of_contents_lists_the_notebooks_in_the_same_order_and_parts():
    toc = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    listed = [(chapter["file"].removeprefix("notebooks/"), part["caption"])
              for part in toc["parts"] for chapter in part["chapters"] if chapter["file"].startswith("notebooks/")]
    assert listed == [(lesson.notebook, lesson.part) for lesson in OUTLINE.lessons]


# --- the reading paths of book/intro.md --------------------------------------------------------

CHOICES = {"関心のある事例": [lesson.id for lesson in OUTLINE.lessons if lesson.part == "事例で学ぶ"]}
"""Words a path uses for "one lesson of these" (the total then runs from the shortest to the longest)."""

REF = r"\{ref\}`([a-z0-9-]+)`"


def reading_paths() -> list[tuple[str, str, str]]:
    """(who, path, time) of each row of the list-table under 「あなたに合った進み方」."""
    text = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    section = text.split("## あなたに合った進み方", 1)[1].split("\n## ", 1)[0]
    table = section.split("```{list-table}", 1)[1].split("```", 1)[0]
    rows = re.split(r"^\* - ", table, flags=re.M)[1:]
    parsed = []
    for row in rows:
        columns = [c.strip() for c in re.split(r"^  - ", row, flags=re.M)]
        assert len(columns) == 3, row
        parsed.append((columns[0], columns[1], columns[2]))
    assert parsed[0] == ("だれが", "読む順番", "時間のめやす")
    return parsed[1:]


def path_minutes(path: str) -> tuple[int, int]:
    """The shortest and longest total of the lessons a path lists, from data/course.yml."""
    order = [lesson.label for lesson in OUTLINE.lessons]
    low = high = 0
    for step in (s.strip() for s in path.split("→")):
        if step in CHOICES:
            totals = [OUTLINE.get(i).total for i in CHOICES[step]]
            low += min(t.min for t in totals)
            high += max(t.max for t in totals)
            continue
        span = re.fullmatch(f"{REF}〜{REF}", step)
        one = re.fullmatch(REF, step)
        assert span or one, f"a step of a reading path that the test cannot read: {step!r}"
        first, last = span.groups() if span else (one.group(1), one.group(1))
        for label in order[order.index(first):order.index(last) + 1]:
            total = OUTLINE.by_label(label).total
            assert total is not None, label
            low, high = low + total.min, high + total.max
    return low, high


def test_intro_offers_three_reading_paths_through_known_lessons():
    paths = reading_paths()
    assert [who for who, _, _ in paths] == ["自治体職員の研修", "大学の授業", "独習"]
    labels = {lesson.label for lesson in OUTLINE.lessons}
    for _, path, _ in paths:
        assert set(re.findall(REF, path)) <= labels


@pytest.mark.parametrize("who,path,time", reading_paths(), ids=lambda value: value[:8])
def test_the_stated_total_of_a_reading_path_is_the_sum_of_its_lessons(who, path, time):
    stated = re.findall(r"合わせて\s*(\d+)(?:〜(\d+))?分", time)
    assert len(stated) == 1, f"{who}: state the path's total once, as 「合わせて N分」 or 「合わせて N〜M分」"
    low, high = path_minutes(path)
    first, second = stated[0]
    if second:
        assert (int(first), int(second)) == (low, high), f"{who}: {low}〜{high}分 by data/course.yml"
    else:
        assert low <= int(first) <= high, f"{who}: {low}〜{high}分 by data/course.yml"


def test_the_helpers_read_a_path_as_the_learner_would():
    assert path_minutes("{ref}`case1`〜{ref}`case3`") == (180, 180)
    assert path_minutes("{ref}`design-sheet` → {ref}`health-check`") == (95, 110)
    assert path_minutes("関心のある事例") == (60, 70)
