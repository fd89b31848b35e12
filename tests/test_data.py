"""The course data: the real files load, and broken files fail with precise messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kyodo.data import DataError, default_data_dir, load_course_uncached

DATA_DIR = default_data_dir()


def test_real_data_loads_with_every_case_and_the_policy(course):
    assert not course.problems and not course.disabled_cases  # every case file is usable
    pamphlet = [c for c in course.cases if c.from_pamphlet]  # cases from other sources may be added
    assert [c.id for c in pamphlet] == ["case1", "case2", "case3", "case4", "case5"]
    assert [c.page for c in pamphlet] == [2, 3, 4, 5, 6]
    assert [t.name for t in course.policy_types] == [
        "市民活動団体", "町内会・自治会", "ソーシャルビジネス事業者", "企業", "大学", "行政"]
    assert [s.number for s in course.policy.outcome_steps] == [1, 2, 3, 4]
    assert {k.name for k in course.policy.resource_kinds} == {"知識や能力", "人的ネットワーク", "施設や設備"}


def test_case3_diagram_has_every_flow_of_the_pamphlet(course):
    labels = {f.label for f in course.case("case3").flows}
    assert labels == {"指導", "資料の用意", "回収", "報告", "運搬", "成分分析", "展示栽培・発表会",
                      "知的資源・地域資源の活用"}
    drawn = {f.label for f in course.case("case3").flows if f.basis == "diagram"}
    assert drawn == {"指導", "回収", "運搬", "知的資源・地域資源の活用"}
    assert {f.basis for f in course.case("case3").flows} == {"diagram", "diagram_roles"}
    assert {f.label for f in course.case("case3").flows if f.is_scored} == drawn


def test_every_case_with_flows_has_a_scored_flow_and_discussions_where_needed(course):
    for case in course.cases:
        if case.flows:
            assert any(f.is_scored for f in case.flows), case.id
        for f in case.flows:
            assert (f.discussion is None) == f.is_scored, f.id


def test_every_org_of_a_case_has_an_existing_type(course):
    type_ids = {t.id for t in course.actor_types}
    for case in course.cases:
        for p in case.participants:
            assert course.org(p.org).type in type_ids


def test_contacts_carry_the_consultation_desk(course):
    desk = course.contacts.consultation_desk
    assert desk.tel == "044-200-3708"
    assert [s.name for s in course.contacts.information_sites] == ["応援ナビかわさき", "かわさき福祉情報サイトふくみみ"]


def test_unknown_lookup_names_what_exists(course):
    with pytest.raises(KeyError, match="case3"):
        course.case("case9")


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _report(data_dir: Path) -> str:
    """Every problem the data has, whether the whole course stops or only one case is left out."""
    try:
        course = load_course_uncached(data_dir)
    except DataError as err:
        return str(err)
    return "\n".join(str(p) for p in course.problems)


Breakage = Callable[[Path], None]

BROKEN: dict[str, tuple[Breakage, list[str]]] = {
    "unknown field": (
        lambda d: _edit(d / "cases/case3.yml", "page: 4\n", "page: 4\npages: 5\n"),
        ["data/cases/case3.yml", "項目 'pages'", "この項目は使えません"],
    ),
    "missing field": (
        lambda d: _edit(d / "cases/case3.yml", "point: 大学の専門的資源を活用\n", ""),
        ["data/cases/case3.yml", "項目 'point'", "必須の項目がありません"],
    ),
    "wrong type": (
        lambda d: _edit(d / "cases/case3.yml", "page: 4\n", "page: よん\n"),
        ["data/cases/case3.yml", "項目 'page'", "整数で書いてください"],
    ),
    "duplicate organisation id": (
        lambda d: _edit(d / "organisations.yml", "  - id: aeon_retail\n", "  - id: aeon\n"),
        ["data/organisations.yml", "id: aeon", "重複しています"],
    ),
    "duplicate flow id": (
        lambda d: _edit(d / "cases/case3.yml", "  - id: report\n", "  - id: collection\n"),
        ["data/cases/case3.yml", "flows", "id 'collection' が重複しています"],
    ),
    "flow endpoint not a participant": (
        lambda d: _edit(d / "cases/case3.yml", "    target: meiji_kurokawa\n", "    target: aeon\n"),
        ["data/cases/case3.yml", "flows[5] (id: transport) の項目 'target'", "'aeon' はこの事例の参加者ではありません"],
    ),
    "also endpoint not a participant": (
        lambda d: _edit(d / "cases/case3.yml", "        target: citizen_monitors\n        comment: 分析",
                        "        target: aeon\n        comment: 分析"),
        ["data/cases/case3.yml", "flows[6] (id: analysis) の項目 'also[1].target'",
         "'aeon' はこの事例の参加者ではありません"],
    ),
    "also repeats the flow as written": (
        lambda d: _edit(d / "cases/case3.yml", "        target: citizen_monitors\n        comment: 分析",
                        "        target: city_waste_reduction\n        comment: 分析"),
        ["data/cases/case3.yml", "flows[6] (id: analysis) の項目 'also'", "also の 1 番目",
         "すでに受け入れられています"],
    ),
    "also repeats the other direction of an either-way flow": (
        lambda d: _edit(d / "cases/case3.yml", "    either_direction: true\n",
                        "    either_direction: true\n    also:\n      - source: city_waste_reduction\n"
                        "        target: meiji_kurokawa\n        comment: 逆向き\n"),
        ["data/cases/case3.yml", "flows[8] (id: university_resources) の項目 'also'", "すでに受け入れられています"],
    ),
    "a reading shared by two flows": (
        lambda d: _edit(d / "cases/case3.yml", "    hint: 堆肥はモニターから農場へ直接は行きません",
                        "    also:\n      - source: city_waste_reduction\n        target: meiji_kurokawa\n"
                        "        comment: 運ぶところまで\n    hint: 堆肥はモニターから農場へ直接は行きません"),
        ["data/cases/case3.yml", "項目 'flows'", "city_waste_reduction → meiji_kurokawa: 生ごみ堆肥",
         "(collection, transport)"],
    ),
    "discussion on a scored flow": (
        lambda d: _edit(d / "cases/case3.yml", "    explanation: 回収した堆肥を、市が黒川農場まで運びます。\n",
                        "    explanation: 回収した堆肥を、市が黒川農場まで運びます。\n    discussion: 話題\n"),
        ["data/cases/case3.yml", "flows[5] (id: transport) の項目 'discussion'", "数えない流れ", "にだけ書けます"],
    ),
    "unscored flow without a discussion": (
        lambda d: _edit(d / "cases/case3.yml", "    discussion: 図は「資料の用意」", "    hint: 図は「資料の用意」"),
        ["data/cases/case3.yml", "flows[2] (id: materials) の項目 'discussion'", "discussion を書いてください"],
    ),
    "scored set to something else than true or false": (
        lambda d: _edit(d / "cases/case3.yml", "    either_direction: true\n", "    scored: たぶん\n"),
        ["data/cases/case3.yml", "flows[8] (id: university_resources) の項目 'scored'", "true か false"],
    ),
    "no flow is scored": (
        lambda d: _edit(d / "cases/case1.yml", "    basis: text\n",
                        "    basis: text\n    scored: false\n    discussion: 話題\n", count=-1),
        ["data/cases/case1.yml", "項目 'flows'", "答え合わせで数える流れが一つもありません"],
    ),
    "unknown actor type": (
        lambda d: _edit(d / "organisations.yml", "    type: university\n", "    type: college\n"),
        ["data/organisations.yml", "(id: meiji_kurokawa) の項目 'type'", "主体の種類 'college' は actor_types.yml にありません"],
    ),
    "combination of an unknown type": (
        lambda d: _edit(d / "cases/case4.yml", "combination_types: [citizen_group, company]",
                        "combination_types: [citizen_group, firm]"),
        ["data/cases/case4.yml", "項目 'combination_types'", "主体の種類 'firm' は actor_types.yml にありません"],
    ),
    "participant not an organisation": (
        lambda d: _edit(d / "cases/case3.yml", "  - org: citizen_monitors\n", "  - org: monitors\n"),
        ["data/cases/case3.yml", "participants[3] の項目 'org'", "団体 'monitors' は organisations.yml にありません"],
    ),
    "bad id spelling": (
        lambda d: _edit(d / "actor_types.yml", "  - id: university\n", "  - id: University\n"),
        ["data/actor_types.yml", "actor_types[5] (id: University) の項目 'id'", "英小文字"],
    ),
    "yaml syntax": (
        lambda d: _edit(d / "policy.yml", "name_en: Kawasaki City Basic Policy on Collaboration\n",
                        "name_en: [Kawasaki\n"),
        ["data/policy.yml: 2 行目", "YAML の書き方に誤りがあります", "括弧 ["],
    ),
    "empty file": (
        lambda d: (d / "contacts.yml").write_text("", encoding="utf-8"),
        ["data/contacts.yml", "ファイルが空です"],
    ),
    "self loop flow": (
        lambda d: _edit(d / "cases/case1.yml", "    target: greenbird_kawasaki\n",
                        "    target: kawasaki_ward_planning\n"),
        ["data/cases/case1.yml", "flows[2] (id: decision)", "送り手と受け手が同じ"],
    ),
    "quiz with two right answers": (
        lambda d: _edit(d / "self_checks/case3.yml", "        correct: false\n", "        correct: true\n"),
        ["data/self_checks/case3.yml", "questions[1]", "正解の数が 2 個です"],
    ),
    "missing file": (
        lambda d: (d / "sources.yml").unlink(),
        ["data/sources.yml", "ファイルがありません"],
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_data_is_reported_precisely(name: str, data_copy: Path):
    breakage, expected = BROKEN[name]
    breakage(data_copy)
    text = _report(data_copy)
    for part in expected:
        assert part in text, f"{part!r} not in:\n{text}"
    assert "Traceback" not in text and "pydantic" not in text.lower()


def test_several_problems_are_all_listed(data_copy: Path):
    _edit(data_copy / "cases/case3.yml", "page: 4\n", "page: よん\n")
    _edit(data_copy / "cases/case1.yml", "page: 2\n", "page: 2\ncolour: red\n")
    _edit(data_copy / "contacts.yml", "  tel: 044-200-3708", "  tel: 442003708")
    with pytest.raises(DataError) as info:
        load_course_uncached(data_copy)
    assert len(info.value.problems) == 3  # the course stops for contacts.yml, and lists the cases' problems too
    assert re.search(r"3 件の問題", str(info.value))
    (data_copy / "contacts.yml").write_text((DATA_DIR / "contacts.yml").read_text(encoding="utf-8"), encoding="utf-8")
    course = load_course_uncached(data_copy)
    assert len(course.problems) == 2 and {d.id for d in course.disabled_cases} == {"case1", "case3"}


def test_lesson_data_is_validated_and_reported(data_copy: Path):
    from pydantic import BaseModel, ConfigDict

    from kyodo.data import check_refs, load_lesson_data

    class Material(BaseModel):
        model_config = ConfigDict(extra="forbid")
        cases: list[str]

    (data_copy / "lessons").mkdir(exist_ok=True)
    (data_copy / "lessons/demo.yml").write_text("cases: [case1, case3]\n", encoding="utf-8")
    assert load_lesson_data("demo", Material, data_copy).cases == ["case1", "case3"]
    (data_copy / "lessons/demo.yml").write_text("cases: [case1]\nextra: 1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"data/lessons/demo.yml: 項目 'extra': この項目は使えません"):
        load_lesson_data("demo", Material, data_copy)
    with pytest.raises(DataError, match="ファイルがありません"):
        load_lesson_data("nothing", Material, data_copy)
    [problem] = check_refs("f.yml", "cases", ["case1", "case9"], ["case1", "case2"])
    assert "'case9' はありません" in str(problem) and "case2" in str(problem)


# --- YAML mistakes: the right line and file, in words an editor knows ---------------------------


def test_an_unclosed_quote_is_reported_on_the_line_where_it_opened(data_copy: Path):
    from kyodo.data import load_lesson_data

    from pydantic import BaseModel

    class Anything(BaseModel):
        pass

    lines = [f"key{n}: 値{n}" for n in range(1, 62)]
    lines[36] = 'key37: "閉じていない引用符'  # line 37; the parser only notices at the end of the file
    (data_copy / "lessons").mkdir(exist_ok=True)
    (data_copy / "lessons/quote.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_lesson_data("quote", Anything, data_copy)
    text = str(info.value)
    assert "data/lessons/quote.yml: 37 行目" in text and "引用符" in text, text
    assert "62" not in text


def test_a_quote_closed_lines_later_by_another_quote_points_at_the_opening_line(data_copy: Path):
    _edit(data_copy / "cases/case3.yml", "point: 大学の専門的資源を活用\n", 'point: "大学の専門的資源を活用\n')
    text = _report(data_copy)
    assert "data/cases/case3.yml: 9 行目" in text and "引用符" in text, text


def test_a_duplicate_case_number_names_both_files(data_copy: Path):
    text = (data_copy / "cases/case1.yml").read_text(encoding="utf-8").replace("id: case1\n", "id: case6\n", 1)
    (data_copy / "cases/case6.yml").write_text(text, encoding="utf-8")
    report = _report(data_copy)
    line = next(x for x in report.splitlines() if "番号 1" in x)
    assert "data/cases/case1.yml" in line and "data/cases/case6.yml" in line, report


@pytest.mark.parametrize("old, new, line", [
    ("  - org: citizen_monitors\n", "\t- org: citizen_monitors\n", 34),
    ("    role: 堆肥の成分分析", "\trole: 堆肥の成分分析", 19),
])
def test_a_tab_is_named_with_its_line(data_copy: Path, old: str, new: str, line: int):
    _edit(data_copy / "cases/case3.yml", old, new)
    text = _report(data_copy)
    assert f"data/cases/case3.yml: {line} 行目" in text and "タブ" in text and "tab" in text, text
