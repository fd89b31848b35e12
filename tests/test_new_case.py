"""A sixth case, added the way README.md 「事例を追加するには」 says, from a source other than the pamphlet.

The case is the clearly labelled test example of ``tests/fixtures/new_case/``: a
made-up publication (「(テスト用の例) 架空市 協働事例集」) with made-up organisations.
It is added to a temporary copy of the repository's data, notebooks, book pages and
tests (``KYODO_DATA`` points the package at the copy); the real data stays untouched.

- The fast tests check, in this process, that the case is cited by its own source
  everywhere a case is named, that captions count the cases, and that a broken case
  file leaves out that case only, with a notice where it is used.
- The end-to-end test runs the copy's notebook like ``make notebooks``, then nbval on
  it, then the registry, outline and data tests over the copy, each in a subprocess.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kyodo
from kyodo import cells, citation
from kyodo.data import CaseUnavailable, load_course_uncached
from kyodo.exercises.gap_finder import evidence_index
from kyodo.registry import Ref, load_registry, resolve
from kyodo.views import case_overview

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "new_case"
NOTEBOOK = "05a_case6_example"
TITLE = "(テスト用の例) 架空市 協働事例集"


# --- following the README on a copy of the repository ----------------------------------------


def copy_repository(target: Path) -> Path:
    """The parts of the repository the lessons and their tests read: data, notebooks, book pages, tests."""
    for folder in ("data", "notebooks"):
        shutil.copytree(ROOT / folder, target / folder)
    (target / "book").mkdir()
    for page in ("_toc.yml", "intro.md"):
        shutil.copy2(ROOT / "book" / page, target / "book" / page)
    shutil.copytree(ROOT / "tests", target / "tests", ignore=shutil.ignore_patterns("__pycache__", "fixtures"))
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def insert_after(path: Path, anchor: str, text: str) -> None:
    """Put ``text`` right after ``anchor`` (a whole line) in the file."""
    content = path.read_text(encoding="utf-8")
    assert anchor in content, f"{anchor!r} not in {path}"
    head, tail = content.split(anchor, 1)
    path.write_text(head + anchor + text + tail, encoding="utf-8")


def add_case(root: Path) -> None:
    """README.md 「事例を追加するには」 and data/README.md, step by step, with the fixture's files."""
    data, fixture = root / "data", FIXTURE / "data"
    # 1. the case file, with its source; new organisations go into organisations.yml
    shutil.copy2(fixture / "cases" / "case6.yml", data / "cases" / "case6.yml")
    added = (fixture / "organisations.yml").read_text(encoding="utf-8").split("organisations:\n", 1)[1]
    with (data / "organisations.yml").open("a", encoding="utf-8") as out:
        out.write("\n" + added)
    # 2. the exercises and the self-check
    shutil.copy2(fixture / "exercises" / "case6.yml", data / "exercises" / "case6.yml")
    shutil.copy2(fixture / "self_checks" / "case6.yml", data / "self_checks" / "case6.yml")
    # 3. the lesson in course.yml, after case5 (its notebook 05a_...: no later notebook is renumbered)
    entry = (FIXTURE / "data" / "course.yml").read_text(encoding="utf-8").split("lessons:\n", 1)[1]
    course = (data / "course.yml").read_text(encoding="utf-8")
    course = course.replace("  - id: policy\n", entry + "  - id: policy\n", 1)
    (data / "course.yml").write_text(course, encoding="utf-8")
    # 4. the notebook (step 5, make notebooks, is run by the end-to-end test)
    shutil.copy2(FIXTURE / "notebooks" / f"{NOTEBOOK}.ipynb", root / "notebooks" / f"{NOTEBOOK}.ipynb")
    # 6. the table of contents, in the same place as in course.yml, and a row of the landing page's table
    insert_after(root / "book" / "_toc.yml", "      - file: notebooks/05_case5_community\n",
                 f"      - file: notebooks/{NOTEBOOK}\n")
    intro = (root / "book" / "intro.md").read_text(encoding="utf-8")
    case5_row = re.search(r"\* - \{ref\}`case5`\n  - .*\n  - .*\n", intro)
    assert case5_row is not None
    row = "* - {ref}`case6`\n  - 市民活動団体と行政 (テスト用の例)\n  - だれが何をしているか\n"
    (root / "book" / "intro.md").write_text(intro[:case5_row.end()] + row + intro[case5_row.end():], encoding="utf-8")


@pytest.fixture
def repo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the repository with the sixth case added; the package reads its data."""
    root = copy_repository(tmp_path / "repo")
    add_case(root)
    monkeypatch.setenv("KYODO_DATA", str(root / "data"))
    yield root


def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the lesson cells display, as HTML strings."""
    out: list[str] = []
    monkeypatch.setattr(cells, "display", lambda obj: out.append(getattr(obj, "data", str(obj))))
    return out


def set_source(root: Path, source: str) -> None:
    path = root / "data" / "cases" / "case6.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^source:\n(  .*\n)+", source, text, flags=re.M)
    path.write_text(text, encoding="utf-8")


# --- the case is cited by its own source, everywhere -------------------------------------------


def test_the_added_case_loads_with_its_publication_as_source(repo_copy: Path):
    course = load_course_uncached(repo_copy / "data")
    assert not course.problems
    case = course.case("case6")
    assert not case.from_pamphlet and case.cited.kind == "publication" and case.page is None
    assert [c.id for c in course.cases if c.from_pamphlet] == ["case1", "case2", "case3", "case4", "case5"]


def test_the_case_card_cites_the_publication_and_never_the_pamphlet(repo_copy: Path):
    course = load_course_uncached(repo_copy / "data")
    card = case_overview(course, "case6")
    assert f"CASE6 (架空市 市民協働推進課 (テスト用の例)「{TITLE}」 P12)" in card
    assert "(2024) P12" in card and "パンフレット「多様な 川崎の協働・連携事例」の事例ではありません" in card
    assert "パンフレット P" not in card and "P12 をもとに" in card
    pamphlet_card = case_overview(course, "case3")
    assert "CASE3 (パンフレット P4)" in pamphlet_card and "「多様な 川崎の協働・連携事例」P4" in pamphlet_card


def test_a_hypothetical_case_is_labelled_as_such(repo_copy: Path):
    set_source(repo_copy, "source:\n  kind: hypothetical\n")
    course = load_course_uncached(repo_copy / "data")
    card = case_overview(course, "case6")
    assert "CASE6 (架空の例)" in card and "架空の例: 講座が学ぶために作った事例です" in card
    assert "パンフレット P" not in card
    assert citation.case_ref(course.case("case6")) == "CASE6 (架空の例)"


def test_a_publication_given_by_url_is_cited_by_it(repo_copy: Path):
    set_source(repo_copy, f"source:\n  kind: publication\n  title: {TITLE}\n  issuer: 架空市\n  year: 令和6年\n"
                          "  url: https://example.org/test-example\n")
    course = load_course_uncached(repo_copy / "data")
    assert "架空市「(テスト用の例) 架空市 協働事例集」(令和6年) https://example.org/test-example" in \
        citation.source_line(course.case("case6"))


def test_the_registry_references_name_the_source(repo_copy: Path):
    course = load_course_uncached(repo_copy / "data")
    label = resolve(course, Ref(case_label="case6"))
    assert label == f"CASE6 市民活動団体と行政 (架空市 市民協働推進課 (テスト用の例)「{TITLE}」 P12)"
    assert resolve(course, Ref(case_label="case3")) == "CASE3 大学と行政"
    assert resolve(course, Ref(case_parties="case6")).endswith(f"「{TITLE}」 P12)")


def test_the_gap_finder_cites_the_case_of_its_evidence_by_its_source(repo_copy: Path):
    course = load_course_uncached(repo_copy / "data")
    evidence = [e for items in evidence_index(course).values() for e in items]
    ours = [e for e in evidence if e.case_id == "case6"]
    assert {e.org_id for e in ours} == {"example_flower_club", "example_city_parks"}
    assert all(e.source == f"CASE6 (架空市 市民協働推進課 (テスト用の例)「{TITLE}」 P12)" for e in ours)
    assert {e.source for e in evidence if e.case_id == "case3"} == {"CASE3 (P4)"}


def test_captions_count_the_cases_by_source(repo_copy: Path):
    from kyodo.exercises.gap_finder import evidence_note, without_note
    from kyodo.lessons import intro

    course = load_course_uncached(repo_copy / "data")
    table = intro.cases_table_html(course)
    assert "6つの事例 (パンフレットの5つ、ほかの出版物の1つ)" in table and "パンフレットの5つの事例" not in table
    assert table.count("<tr>") == len(course.cases) + 1
    assert "6つの事例 (パンフレットの5つ、ほかの出版物の1つ)" in evidence_note(course)
    assert "6つの事例の中に" in without_note(course, ["大学"])


def test_a_self_check_or_exercise_of_the_case_that_speaks_of_the_pamphlet_is_reported(repo_copy: Path):
    """A quiz copied from a pamphlet case would present the new case's facts as the pamphlet's."""
    quiz = repo_copy / "data" / "self_checks" / "case6.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(
        "(テスト用の例) この事例で", "パンフレットによると、この事例で"), encoding="utf-8")
    course = load_course_uncached(repo_copy / "data")
    [problem] = course.problems
    assert problem.file.endswith("data/self_checks/case6.yml") and problem.where == "3 行目"
    assert "パンフレットの事例ではありません" in problem.message and TITLE in problem.message
    assert load_course_uncached(ROOT / "data").problems == ()  # the pamphlet's own lessons may cite it


def test_the_introductions_exercises_keep_to_the_pamphlets_cases(repo_copy: Path, monkeypatch):
    """Decision: intro-ex1 and intro-ex2 are about the pamphlet's cases; a new case needs no item there."""
    registry = load_registry(repo_copy / "data")
    for exercise_id in ("intro-ex1", "intro-ex2"):
        assert {i.id for i in registry.get(exercise_id).items} == {"case1", "case2", "case3", "case4", "case5"}
    out = shown(monkeypatch)
    assert kyodo.exercise("intro-ex1") is not None and not out


# --- one broken case file leaves out that case only ------------------------------------------


def test_a_broken_new_case_is_left_out_and_its_lesson_says_why(repo_copy: Path, monkeypatch):
    path = repo_copy / "data" / "cases" / "case6.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  year: 2024\n", "  year: 2024\n  colour: red\n"),
                    encoding="utf-8")
    course = load_course_uncached(repo_copy / "data")
    assert [c.id for c in course.cases] == ["case1", "case2", "case3", "case4", "case5"]
    assert [d.id for d in course.disabled_cases] == ["case6"] and "'colour'" in str(course.problems[0])
    with pytest.raises(CaseUnavailable):
        course.case("case6")
    out = shown(monkeypatch)
    kyodo.show_case("case6")
    kyodo.exercise("case6-ex1")
    assert len(out) == 2
    for notice in out:
        assert "role='alert'" in notice and "case6" in notice and "colour" in notice and "使えません" in notice
    out.clear()
    for other in ("case1-ex1", "case3-ex2", "intro-ex1", "policy-ex1"):
        assert kyodo.exercise(other) is not None, other
    kyodo.show_case("case3")
    assert len(out) == 1 and "role='alert'" not in out[0]


def test_a_broken_pamphlet_case_leaves_the_other_lessons_working(repo_copy: Path, monkeypatch):
    path = repo_copy / "data" / "cases" / "case5.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("project: ", 'project: "', 1), encoding="utf-8")
    course = load_course_uncached(repo_copy / "data")
    [disabled] = course.disabled_cases
    assert disabled.id == "case5" and "data/cases/case5.yml" in str(disabled.problems[0])
    assert "引用符" in str(disabled.problems[0])
    out = shown(monkeypatch)
    kyodo.exercise("intro-ex1")  # one of its items is case5: it says so instead of showing a wrong table
    kyodo.show_case("case5")
    assert len(out) == 2 and all("case5" in o and "使えません" in o for o in out)
    out.clear()
    for other in ("case1-ex1", "case3-ex2", "case6-ex1", "policy-ex1"):
        assert kyodo.exercise(other) is not None, other
    assert not out


# --- end to end: the notebook under nbval, and the tests over the copy ----------------------------


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_following_the_readme_end_to_end(tmp_path: Path):
    root = copy_repository(tmp_path / "repo")
    add_case(root)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "KYODO_DATA": str(root / "data"), "KYODO_WORKSPACE": str(tmp_path / "workspace"),
           "PYTHONWARNINGS": "error:Glyph:UserWarning"}
    env.pop("PYTEST_XDIST_WORKER", None)
    notebook = root / "notebooks" / f"{NOTEBOOK}.ipynb"
    # 5. make notebooks NB=notebooks/<notebook>.ipynb
    done = run([str(bin_dir / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace",
                "--ExecutePreprocessor.timeout=120", str(notebook)], root, env)
    assert done.returncode == 0, done.stderr[-3000:]
    saved = notebook.read_text(encoding="utf-8")
    assert "Traceback" not in saved and "role='alert'" not in saved
    assert f"「{TITLE}」 P12" in saved and "パンフレット P" not in saved
    # 7. make test: the notebook under nbval, and the tests of the registry, the outline and the data
    nbval = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                 "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(notebook)], root, env)
    assert nbval.returncode == 0, nbval.stdout[-3000:]
    tests = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_registry.py",
                 "tests/test_outline.py", "tests/test_data.py"], root, env)
    assert tests.returncode == 0, tests.stdout[-5000:]
    assert " passed" in tests.stdout.splitlines()[-1]
    assert not (ROOT / "data" / "cases" / "case6.yml").exists()  # the real data is untouched
