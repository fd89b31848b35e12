"""``make bench``: the course's figures of speed and weight, measured in one run on this machine.

Each figure is printed with its goal and its ratio to a baseline measured in the same run,
so that a busy or a slow machine shifts both alike:

* **lesson start**: executing each lesson notebook with a fresh kernel (nbclient), against a
  kernel that runs ``1`` (the baseline) and one that runs ``import kyodo``; goal ≤ 1.5× the baseline;
* **check latency**: p50 and p95 of pressing 「答え合わせ」 (``check_button.click()``) on every
  exercise of the registry, per kind, each widget with a private store and filled with a partial
  answer through its task; the baseline is a button whose callback does nothing; goal p95 ≤ 50 ms;
* **room board**: reading and counting the progress files of 300 learners (:mod:`kyodo.board.bench`);
* **pages**: bytes transferred (uncompressed) and first paint of every page of the built book
  (``book/_build/html``, skipped with a note when it is not built), in Debian's Chromium over a
  static server on 127.0.0.1, against an empty page of the same theme.

The table is printed and written to ``artifacts/bench.md``. Timings never fail the run (CI
prints them); a broken measurement does.

    python -m kyodo.bench [--rounds 3] [--repeats 20] [--learners 300] [--out artifacts/bench.md]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
HTML = ROOT / "book" / "_build" / "html"
OUT = ROOT / "artifacts" / "bench.md"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MB = 1024 * 1024

LESSON_GOAL = 1.5
"""A lesson notebook executes in at most this many times a bare kernel's run of ``1``."""
CHECK_GOAL_MS = 50.0
"""p95 of a check, in milliseconds."""
TEXT_PAGE_GOAL = 1.0 * MB
EXERCISE_PAGE_GOAL = 3.5 * MB
FIRST_PAINT_GOAL_S = 0.5


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, its goal, its baseline and whether the goal is met (``None``: no goal)."""

    section: str
    what: str
    value: str
    goal: str = ""
    ratio: str = ""
    met: bool | None = None


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×" if baseline > 0 else "—"


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, interpolated between the nearest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# --- lesson start ----------------------------------------------------------------------------------

def execute_seconds(notebook: Any, cwd: Path, timeout: int = 180) -> float:
    """Seconds to execute ``notebook`` (an nbformat notebook) in a fresh kernel, start and stop included."""
    from nbclient import NotebookClient

    started = time.perf_counter()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - started


def one_cell(source: str) -> Any:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    return notebook


def lesson_start(notebooks: Sequence[Path], rounds: int = 3) -> list[Row]:
    """The lessons' execution times against a bare kernel (medians of ``rounds`` for the two baselines)."""
    import nbformat

    cwd = notebooks[0].parent if notebooks else NOTEBOOKS
    bare = statistics.median(execute_seconds(one_cell("1"), cwd) for _ in range(rounds))
    imported = statistics.median(execute_seconds(one_cell("import kyodo"), cwd) for _ in range(rounds))
    rows = [Row("lesson start", "kernel running `1` (baseline)", f"{bare:.2f} s", "", "1.00×"),
            Row("lesson start", "kernel running `import kyodo`", f"{imported:.2f} s", f"≤ {LESSON_GOAL}×",
                _ratio(imported, bare), imported <= LESSON_GOAL * bare)]
    for path in notebooks:
        seconds = execute_seconds(nbformat.read(path, as_version=4), path.parent)
        rows.append(Row("lesson start", path.name, f"{seconds:.2f} s", f"≤ {LESSON_GOAL}×", _ratio(seconds, bare),
                        seconds <= LESSON_GOAL * bare))
    return rows


# --- check latency ---------------------------------------------------------------------------------

def _fill(widget: Any) -> None:
    """Give the widget a partial answer through its task, as a learner would (an answer per kind)."""
    import random

    from .board.bench import _choice_state, _edges_state
    from .exercises.choice import ChoiceTask

    rng = random.Random(7)
    task = getattr(widget, "task", None)
    if isinstance(task, ChoiceTask):
        state = _choice_state(task, rng)
        task.load_state(state)
    elif task is not None and (hasattr(task, "actors") or hasattr(task, "people")):
        _edges_state(task, rng)
    elif task is not None and hasattr(task, "set_mark") and hasattr(task, "kinds"):
        for kind in list(task.kinds)[:2]:
            for month in (0, 3, 6):
                task.set_mark(kind.id, month, True)
    if task is not None and hasattr(widget, "resync"):
        widget.resync()


def timed_clicks(button: Any, repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` presses of ``button`` (its callbacks run synchronously)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        button.click()
        times.append(time.perf_counter() - started)
    return times


def check_latency(repeats: int = 20, exercise_ids: Sequence[str] | None = None) -> list[Row]:
    """p50 / p95 of a check per exercise kind (every exercise of the registry, or ``exercise_ids``)."""
    import ipywidgets as W

    from .cells import exercise
    from .registry import load_registry
    from .storage import Store

    noop = W.Button()
    noop.on_click(lambda _button: None)
    base = timed_clicks(noop, repeats)
    base_p95 = percentile(base, 95)
    rows = [Row("check", "button with a no-op callback (baseline)",
                f"p50 {percentile(base, 50) * 1e6:.0f} µs, p95 {base_p95 * 1e6:.0f} µs", "", "1.00×")]
    registry = load_registry()
    ids = list(exercise_ids) if exercise_ids is not None else list(registry.exercises)
    by_kind: dict[str, list[float]] = {}
    # Outside a kernel, what a check displays (its feedback, its figure) is printed: keep it off the table.
    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        for n, exercise_id in enumerate(ids):
            store = Store.open(Path(tmp) / f"w{n}", learner=f"bench{n}")
            widget = exercise(exercise_id, store=store)
            button = getattr(widget, "check_button", None) or getattr(widget, "calculate_button", None)
            if button is None:
                raise RuntimeError(f"{exercise_id}: no check button")
            _fill(widget)
            kind = registry.get(exercise_id).kind
            by_kind.setdefault(kind, []).extend(timed_clicks(button, repeats))
    for kind, times in sorted(by_kind.items()):
        p50, p95 = percentile(times, 50), percentile(times, 95)
        rows.append(Row("check", f"{kind} ({len(times)} presses)", f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
                        f"p95 ≤ {CHECK_GOAL_MS:.0f} ms", _ratio(p95, base_p95), p95 * 1000 <= CHECK_GOAL_MS))
    return rows


# --- the room board --------------------------------------------------------------------------------

def board(learners: int = 300) -> list[Row]:
    """Reading and counting ``learners`` progress files (:mod:`kyodo.board.bench`)."""
    from .board.bench import make_room, measure
    from .board.server import counting_for

    with tempfile.TemporaryDirectory() as tmp:
        make_room(Path(tmp), learners, counting_for())
        figures = measure(Path(tmp))
    together = (figures["read"] + figures["count"]) * 1000
    return [Row("room board", f"{learners} learners: read + count", f"{together:.0f} ms"),
            Row("room board", f"{learners} learners: a refresh with nothing changed",
                f"{figures['recount'] * 1000:.0f} ms", "", _ratio(figures["recount"] * 1000, together))]


# --- pages of the built book -----------------------------------------------------------------------

def empty_page(page: str) -> str:
    """``page`` (HTML of the book) with its article emptied: the theme alone, the baseline of page figures."""
    emptied, n = re.subn(r"(<article\b[^>]*>).*?(</article>)", r"\1\2", page, count=1, flags=re.S)
    if not n:
        raise ValueError("no <article> in the page")
    return emptied


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serving(folder: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1 (a free port), for the length of the block (``http://127.0.0.1:<port>/``)."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _visit(browser: Any, url: str) -> tuple[int, float]:
    """Bytes of every response body the page loaded, and its first paint in seconds."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []

    def on_response(response: Any) -> None:
        with contextlib.suppress(Exception):
            sizes.append(len(response.body()))

    page.on("response", on_response)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    paint = page.evaluate("""() => {
        const e = performance.getEntriesByName('first-contentful-paint')[0]
            || performance.getEntriesByType('paint')[0];
        return e ? e.startTime / 1000 : -1; }""")
    context.close()
    return sum(sizes), float(paint)


def _landing(html: Path) -> Path:
    """The first page: ``index.html``, or the page it sends the browser on to (``<meta http-equiv="Refresh">``)."""
    index = html / "index.html"
    moved = re.search(r"http-equiv=\"Refresh\"[^>]*url=([^\"'>\s]+)", index.read_text(encoding="utf-8"), re.I)
    return html / moved.group(1) if moved else index


def pages(html: Path = HTML, limit: int | None = None) -> list[Row]:
    """Weight and first paint of every page of the built book (text pages and exercise pages apart)."""
    if not (html / "index.html").is_file():
        return [Row("pages", "the book is not built (make book): skipped", "—")]
    from playwright.sync_api import sync_playwright

    files = sorted(p for p in html.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts
                   and p.name not in ("genindex.html", "search.html"))[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        for entry in html.iterdir():
            (site / entry.name).symlink_to(entry)
        (site / "_bench_empty.html").write_text(empty_page(_landing(html).read_text(encoding="utf-8")),
                                                encoding="utf-8")
        with serving(site) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                _visit(browser, base + "_bench_empty.html")  # warm the server and the browser's disk cache
                empty_bytes, empty_paint = _visit(browser, base + "_bench_empty.html")
                seen = {f: _visit(browser, base + f.relative_to(html).as_posix()) for f in files}
            finally:
                browser.close()
    rows = [Row("pages", "empty page of the theme (baseline)", f"{empty_bytes / MB:.2f} MB, first paint "
                f"{empty_paint:.2f} s", "", "1.00×")]
    exercise = {f for f in files if WIDGET_STATE in f.read_text(encoding="utf-8", errors="replace")}
    for label, group, goal in (("text pages", [f for f in files if f not in exercise], TEXT_PAGE_GOAL),
                               ("exercise pages", sorted(exercise), EXERCISE_PAGE_GOAL)):
        if not group:
            continue
        heaviest = max(group, key=lambda f: seen[f][0])
        weight = seen[heaviest][0]
        rows.append(Row("pages", f"{label} ({len(group)}): heaviest, {heaviest.relative_to(html).as_posix()}",
                        f"{weight / MB:.2f} MB", f"≤ {goal / MB:.1f} MB", _ratio(weight, empty_bytes), weight <= goal))
    slowest = max(files, key=lambda f: seen[f][1])
    paint = seen[slowest][1]
    rows.append(Row("pages", f"first paint: slowest, {slowest.relative_to(html).as_posix()}", f"{paint:.2f} s",
                    f"≤ {FIRST_PAINT_GOAL_S} s", _ratio(paint, empty_paint), 0 <= paint <= FIRST_PAINT_GOAL_S))
    return rows


# --- the table -------------------------------------------------------------------------------------

def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| | figure | value | goal | ratio to baseline | met |", "|---|---|---|---|---|---|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "no")
        lines.append(f"| {r.section} | {r.what} | {r.value} | {r.goal} | {r.ratio} | {met} |")
    return "\n".join(lines)


def report(rows: Sequence[Row], seconds: float) -> str:
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return (f"# make bench\n\n{time.strftime('%Y-%m-%d %H:%M')} on {machine}; the whole run took "
            f"{seconds:.0f} s.\n\n{table(rows)}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyodo.bench")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each baseline kernel (median)")
    parser.add_argument("--repeats", type=int, default=20, help="presses of each check button")
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kyodo-bench-") as workspace:
        os.environ["KYODO_WORKSPACE"] = workspace  # a fresh workspace: no learner's work is read or touched
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    steps: list[Callable[[], list[Row]]] = [
        lambda: lesson_start(sorted(NOTEBOOKS.glob("*.ipynb")), args.rounds),
        lambda: check_latency(args.repeats),
        lambda: board(args.learners),
        lambda: pages(),
    ]
    rows: list[Row] = []
    for step in steps:
        rows += step()
    text = report(rows, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
