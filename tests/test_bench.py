"""``make bench`` (src/kyodo/bench.py): every measurement runs, quickly, on a tiny input.

The timings themselves are not asserted (CI prints them and does not fail on them); what
is asserted is that each step measures what it says and reports it against its baseline.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from kyodo import bench

THEME_PAGE = """<!DOCTYPE html><html><head><title>t</title><link rel="stylesheet" href="_static/s.css"></head>
<body><nav>目次</nav><article class="bd-article" role="main"><h1>協働</h1><p>{body}</p></article></body></html>"""


def test_percentile_interpolates_between_ranks():
    assert bench.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert bench.percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    assert bench.percentile([4.0], 95) == 4.0
    with pytest.raises(ValueError):
        bench.percentile([], 50)


def test_the_table_gives_goal_ratio_and_whether_it_is_met():
    rows = [bench.Row("check", "choice", "p95 1 ms", "p95 ≤ 50 ms", "2.00×", True),
            bench.Row("check", "network", "p95 90 ms", "p95 ≤ 50 ms", "9.00×", False),
            bench.Row("pages", "skipped", "—")]
    lines = bench.table(rows).splitlines()
    assert lines[0].startswith("| | figure | value | goal | ratio")
    assert lines[2].endswith("| 2.00× | yes |") and lines[3].endswith("| 9.00× | no |") and lines[4].endswith("|  |")


def test_the_empty_page_keeps_the_theme_and_drops_the_article():
    empty = bench.empty_page(THEME_PAGE.format(body="本文"))
    assert "_static/s.css" in empty and "<nav>目次</nav>" in empty
    assert "本文" not in empty and "協働" not in empty
    with pytest.raises(ValueError):
        bench.empty_page("<html><body>no article</body></html>")


def test_check_latency_times_every_kind_against_a_no_op(tmp_path, monkeypatch):
    monkeypatch.setenv("KYODO_WORKSPACE", str(tmp_path))
    rows = bench.check_latency(repeats=3, exercise_ids=["case3-ex2", "case3-ex1", "case4-ex2"])
    assert rows[0].what.startswith("button with a no-op callback")
    kinds = {r.what.split(" (")[0]: r for r in rows[1:]}
    assert set(kinds) == {"choice", "flow_map", "logic_model"}
    assert all("(3 presses)" in r.what and r.goal == "p95 ≤ 50 ms" and r.ratio.endswith("×")
               and r.met is not None for r in kinds.values())
    assert not any(tmp_path.iterdir()), "the widgets saved to the learner's workspace, not a private store"


def test_lesson_start_compares_a_notebook_with_a_bare_kernel(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import kyodo")]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook, path)
    rows = bench.lesson_start([path], rounds=1)
    assert [r.what for r in rows] == ["kernel running `1` (baseline)", "kernel running `import kyodo`", "lesson.ipynb"]
    assert all(r.value.endswith(" s") and float(r.value[:-2]) > 0 for r in rows)
    assert rows[2].goal == "≤ 1.5×" and rows[2].met is not None


def test_the_board_counts_a_small_room():
    rows = bench.board(learners=3)
    assert rows[0].what == "3 learners: read + count" and rows[0].value.endswith(" ms")


def test_pages_are_skipped_with_a_note_when_the_book_is_not_built(tmp_path):
    rows = bench.pages(tmp_path)
    assert len(rows) == 1 and "not built" in rows[0].what


def test_pages_weigh_a_tiny_site_in_the_browser(tmp_path):
    if not Path(bench.CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "s.css").write_text("body{color:#222}" + " " * 200_000, encoding="utf-8")
    (tmp_path / "index.html").write_text(THEME_PAGE.format(body="本文"), encoding="utf-8")
    (tmp_path / "case.html").write_text(THEME_PAGE.format(
        body="x" * 300_000 + "<script type='application/vnd.jupyter.widget-state+json'>{}</script>"), encoding="utf-8")
    rows = {r.what.split(":")[0].split(" (")[0]: r for r in bench.pages(tmp_path)}
    assert set(rows) == {"empty page of the theme", "text pages", "exercise pages", "first paint"}
    assert rows["text pages"].what.endswith("index.html") and rows["exercise pages"].what.endswith("case.html")
    assert float(rows["exercise pages"].value.split()[0]) > float(rows["text pages"].value.split()[0]) >= 0.19
    assert rows["text pages"].met is True and rows["first paint"].ratio.endswith("×")


def test_the_baseline_follows_a_landing_page_that_moves_on(tmp_path):
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=intro.html" />', encoding="utf-8")
    assert bench._landing(tmp_path) == tmp_path / "intro.html"
    (tmp_path / "index.html").write_text(THEME_PAGE.format(body="本文"), encoding="utf-8")
    assert bench._landing(tmp_path) == tmp_path / "index.html"
