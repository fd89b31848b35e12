"""One voice: the house terms of :mod:`kyodo.house_style` hold over all the course's text.

The text is everything a learner or a facilitator reads that is kept as text:
the notebooks (Markdown cells, and the strings in code cells), the data
(``data/**/*.yml``), the message catalogue (``src/kyodo/locales/ja/*.yml``) and
the book's Markdown (``book/*.md``, ``book/facilitator/*.md``). The notebooks'
outputs are not read: they are made from these sources.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from kyodo.house_style import POINT_LABEL, TERMS, findings, unquoted_point_labels
from kyodo.outline import load_outline
from kyodo.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TEXT_FILES = sorted(
    [*(ROOT / "data").rglob("*.yml"), *(ROOT / "src" / "kyodo" / "locales" / "ja").glob("*.yml"),
     *(ROOT / "book").glob("*.md"), *(ROOT / "book" / "facilitator").glob("*.md")])


def notebook_texts(path: Path, code: bool = True) -> list[tuple[str, str]]:
    """(where, text) for each Markdown cell and, with ``code``, each string in a code cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for n, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            texts.append((f"cell {n}", source))
        elif cell["cell_type"] == "code" and code:
            texts += [(f"cell {n} (code)", node.value) for node in ast.walk(ast.parse(source))
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return texts


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- the table and the finder ------------------------------------------------------------------

# One refused form of each term, as it would appear in a sentence.
REFUSED_EXAMPLES = {
    "強みを生かして組む": "活かす",
    "次の打ち合わせで": "打合せ",
    "学ぶ人の記録": "学習者",
    "受講生が書き出した": "学習者",
    "取組を滑らかに進める": "円滑に",
    "表が書き変わります": "書き換わる",
    "院内・庁内のネットワーク": "学内・庁内",
    "活動とアウトカムを分ける": "成果",
    "パートナリング・イニシアティブの手引き": "The Partnering Initiative",
    "『パートナリング・ツールブック』": "The Partnering Toolbook",
    "パートナーシップの循環": "パートナリング・サイクル",
    "共通の評価": "共通の測定",
    "相互に補い合う活動": "相互に補強し合う活動",
    "参加者の特徴": "メンバーの特性",
    "過程と構造": "進め方と仕組み",
    "メリットの台帳": "相互利益の帳簿をつける",
    "資源ギャップ・ファインダー": "足りないものと、それを持つ相手を探す",
    "アルテリックカしんゆり": "アルテリッカしんゆり",
}


@pytest.mark.parametrize("text", list(REFUSED_EXAMPLES))
def test_each_refused_form_is_found_with_the_form_to_write(text):
    [found] = findings(f"一行目\nこれは{text}の例です。")
    assert found.preferred.startswith(REFUSED_EXAMPLES[text]) and found.found in text
    assert found.line == 2 and found.found in found.context and found.found in str(found)


def test_every_term_has_an_example_and_no_preferred_form_is_refused():
    for term in TERMS:
        assert any(term.pattern.search(example) for example in REFUSED_EXAMPLES), term.preferred
        assert findings(term.preferred) == [], term.preferred


@pytest.mark.parametrize("text", [
    "互いの強みを活かした相乗効果", "生きる力を引き出す", "次の打合せで", "学習者の記録",
    "成果 (アウトカム) は人や地域に起きる変化", "成果 (アウトカム: 人や地域に起きる変化)",
    "パンフレットの表記は「アルテリックカしんゆり」だが、講座はアルテリッカしんゆりと書く",
    "取組を円滑に進める", "表が書き換わります", "学内・庁内", "The Partnering Initiative (TPI)"])
def test_the_house_forms_and_the_allowed_contexts_are_not_findings(text):
    assert findings(text) == []


def test_findings_come_in_the_order_of_the_text():
    found = findings("打ち合わせのあと、強みを生かし、\n学ぶ人に返す")
    assert [f.found for f in found] == ["打ち合わせ", "生かし", "学ぶ人"]
    assert [f.line for f in found] == [1, 1, 2]


def test_the_point_heading_is_found_unless_quoted():
    assert unquoted_point_labels("演習2 事例と「ここがポイント」を結ぶ") == []
    [label] = unquoted_point_labels("(policy)=\n# 基本方針\n\n**ここがポイント: 3つの視点**")
    assert label.line == 4 and label.found == POINT_LABEL


# --- all the course's text --------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_notebook_text_keeps_the_house_terms(path):
    problems = [f"{where}: {f}" for where, text in notebook_texts(path) for f in findings(text)]
    assert not problems, f"{rel(path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", TEXT_FILES, ids=rel)
def test_data_locale_and_book_text_keeps_the_house_terms(path):
    problems = [str(f) for f in findings(path.read_text(encoding="utf-8"))]
    assert not problems, f"{rel(path)}:\n" + "\n".join(problems)


def test_every_kind_of_text_is_read():
    assert len(NOTEBOOKS) >= 12
    kinds = {rel(p).split("/")[0] for p in TEXT_FILES} | {"/".join(rel(p).split("/")[:3]) for p in TEXT_FILES}
    assert {"data", "book", "src/kyodo/locales"} <= kinds
    assert any(p.name == "preparation.md" for p in TEXT_FILES) and any(p.name == "course.yml" for p in TEXT_FILES)


def test_the_fixed_words_are_in_place():
    case2 = " ".join(text for _, text in notebook_texts(ROOT / "notebooks" / "02_case2_waon.ipynb", code=False))
    assert "書き換わります" in case2
    assert "学内・庁内" in (ROOT / "book" / "facilitator" / "preparation.md").read_text(encoding="utf-8")


# --- 「ここがポイント」 belongs to the pamphlet's cases -------------------------------------------------

def lesson_notebooks() -> dict[str, Path]:
    return {lesson.id: ROOT / "notebooks" / f"{lesson.notebook}.ipynb" for lesson in load_outline().lessons}


def test_only_the_case_lessons_use_the_point_heading(course):
    cases = {c.id for c in course.cases if c.from_pamphlet}
    notebooks = lesson_notebooks()
    assert cases < set(notebooks)
    for lesson_id, path in notebooks.items():
        labels = [f"{where}: {f}" for where, text in notebook_texts(path, code=False)
                  for f in unquoted_point_labels(text)]
        if lesson_id in cases:
            assert labels, f"{rel(path)} no longer shows its case's point"
        else:
            assert not labels, f"{rel(path)} uses the pamphlet's heading for its own lesson:\n" + "\n".join(labels)


# --- one name for each exercise ------------------------------------------------------------------

def test_each_exercise_is_headed_by_its_registry_title():
    registry = load_registry()
    notebooks = lesson_notebooks()
    for lesson_id, path in notebooks.items():
        markdown = "\n".join(text for _, text in notebook_texts(path, code=False))
        for spec in registry.of_lesson(lesson_id):
            found = re.search(rf"^\({re.escape(spec.id)}\)=\n## 演習\d+ (.+)$", markdown, flags=re.M)
            assert found, f"{rel(path)}: no heading under the label ({spec.id})="
            assert found.group(1) == spec.title, f"{rel(path)}: {spec.id} is named {found.group(1)!r}, not {spec.title!r}"


def intro_exercise_names() -> dict[str, list[str]]:
    """The names in the column 主な演習 of book/intro.md's table of lessons, by lesson label."""
    text = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    table = text.split("## 各回の内容", 1)[1]
    rows = re.findall(r"^\* - \{ref\}`([^`]+)`\n  - .*\n  - (.*)$", table, flags=re.M)
    assert rows, "the table of lessons in book/intro.md was not found"
    return {label: [name.strip() for name in cell.split(" / ")] for label, cell in rows}


def test_the_landing_page_names_each_exercise_as_its_lesson_does():
    registry = load_registry()
    outline = load_outline()
    named = intro_exercise_names()
    with_exercises = [lesson for lesson in outline.lessons if registry.of_lesson(lesson.id)]
    assert {lesson.label for lesson in with_exercises} <= set(named)
    for lesson in with_exercises:
        titles = [spec.title for spec in registry.of_lesson(lesson.id)]
        unknown = [name for name in named[lesson.label] if name not in titles]
        assert not unknown, f"book/intro.md names {unknown} for {lesson.label}; the lesson's exercises are {titles}"


def test_the_landing_page_table_is_read_whole():
    named = intro_exercise_names()
    assert named["case2"] == [spec.title for spec in load_registry().of_lesson("case2")]
    assert "相互利益の帳簿をつける" in named["case2"]


# --- the design samples speak with the current labels ----------------------------------------------

SAMPLES = ROOT / "data" / "samples" / "designs"


@pytest.mark.parametrize("stem", ["group1", "group2", "group3"])
def test_the_sample_designs_show_what_the_export_writes_now(course, stem):
    from kyodo.design import export

    design = export.read_export(SAMPLES / f"{stem}.html", course)
    markdown = (SAMPLES / f"{stem}.md").read_text(encoding="utf-8")
    page = (SAMPLES / f"{stem}.html").read_text(encoding="utf-8")
    # the payload carries the time of export: compare everything a person reads, not the payload
    assert markdown.split("<!-- kyodo-design:")[0] == export.to_markdown(design).split("<!-- kyodo-design:")[0]
    assert page.split('<script type="application/json"')[0] == export.to_html(design).split(
        '<script type="application/json"')[0]


def test_the_export_numbers_the_missing_rows_from_one(course):
    from kyodo.design import export

    design = export.read_export(SAMPLES / "group1.html", course)
    statuses = [row.status for row in design.finder.rows]
    assert statuses[0] == "have" and statuses.count("missing") == 3  # the first need is not missing
    lines = [line for line in export.to_markdown(design).splitlines() if line.startswith("- 足りないもの")]
    assert [re.match(r"- 足りないもの(\d+)", line).group(1) for line in lines] == ["1", "2", "3"]
