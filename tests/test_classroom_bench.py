"""classroom/bench.py without a hub: its arguments, its statistics and its table (fast, no servers)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("classroom_bench", ROOT / "classroom" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_arguments(bench) -> None:
    args = bench.parse_args([])
    assert (args.learners, args.checks, args.timeout) == (10, 3, 300)
    args = bench.parse_args(["--learners", "30", "--checks", "1", "--out", "x"])
    assert (args.learners, args.checks, args.out) == (30, 1, Path("x"))
    assert bench.parse_args(["-n", "20"]).learners == 20


@pytest.mark.parametrize("argv", [["--learners", "0"], ["--learners", "ten"], ["--checks", "9"], ["--timeout", "-1"]])
def test_bad_arguments_stop_with_a_message(bench, argv, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        bench.parse_args(argv)
    assert stopped.value.code == 2
    assert "error" in capsys.readouterr().err


def test_percentiles_interpolate_like_numpy(bench) -> None:
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert bench.percentile(values, 50) == 55
    assert bench.percentile(values, 95) == pytest.approx(95.5)
    assert bench.percentile(values, 0) == 10 and bench.percentile(values, 100) == 100
    assert bench.percentile([7], 95) == 7
    assert bench.percentile([3, 1, 2], 50) == 2  # order does not matter
    with pytest.raises(ValueError):
        bench.percentile([], 50)
    with pytest.raises(ValueError):
        bench.percentile([1], 101)


def test_summary_counts_only_learners_who_got_in_and_judges_the_goals(bench) -> None:
    R = bench.LearnerResult
    results = [R(landing_s=5, case3_s=20, checks_ms=[100, 120], rss_mb=200, pss_mb=150),
               R(landing_s=8, case3_s=40, checks_ms=[200, 400], rss_mb=240, pss_mb=170),
               R(landing_s=9, error="bench03: TimeoutError: ...", rss_mb=90)]
    summary = bench.summarise(3, results, 45.0)
    assert summary["in_exercise"] == 2 and summary["failed"] == ["bench03: TimeoutError: ..."]
    assert summary["last_in_exercise_s"] == 40 and summary["last_landing_s"] == 8
    assert summary["checks"] == 4 and summary["check_p50_ms"] == 160
    assert summary["check_p95_ms"] == pytest.approx(370)
    assert summary["rss_mb_max"] == 240
    assert summary["goals_met"] == {"all_in_60s": False, "check_p95_300ms": False, "memory_250mb": True}
    good = bench.summarise(2, results[:2], 45.0)
    assert good["goals_met"]["all_in_60s"] is True


def test_the_table_has_a_row_per_n_in_order(bench) -> None:
    R = bench.LearnerResult
    runs = {str(n): bench.summarise(n, [R(landing_s=1, case3_s=n, checks_ms=[50.0], rss_mb=100, pss_mb=80)] * n, n)
            for n in (20, 10)}
    table = bench.markdown(runs, "2 コア")
    rows = [line for line in table.splitlines() if line.startswith("| 1") or line.startswith("| 2")]
    assert [row.split("|")[1].strip() for row in rows] == ["10", "20"]
    assert "| 10 | 10 | 1.0 | 10.0 | 50 | 50 | 50 | 100 / 100 | 80 |" in table
    assert "–" in bench.markdown({"5": bench.summarise(5, [R(error="x")], 1.0)}, "2 コア")
