"""The room board as files: a CSV for Excel, a chart per exercise, and the session record (ZIP).

* :func:`csv_text`: one row per answer of every item of every exercise, and
  one row per exercise with its four counts (opened, answered, checked,
  finished). It starts with a UTF-8 BOM, so Excel on an office PC opens it
  in Japanese, and no cell can run as a formula.
* :func:`exercise_chart`: the four counts and, item by item, how many gave
  each answer, coloured *and* hatched by verdict, with a legend in words and
  an alternative text that says every number.
* :func:`chart_png`: an exercise's chart or one of the class overview's
  charts (``designs-1``, ``designs-2`` ...) as PNG bytes, for the web views.
* :func:`record_zip`: all of it in one file, with ``alt.md`` and
  ``README.md`` describing every image in words.

Figures are drawn one at a time (the board's web server may ask from
several threads) and closed once drawn.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..charts import Chart
from ..data import Course, load_course
from ..design.overview import ClassOverview, charts, ranked
from ..figures import png_bytes
from ..style import PALETTE, make_drawable, use_course_style
from ..text import msg
from .aggregate import AnswerCount, Board, ExerciseCount
from .tally import Verdict, short_text

CSV_CHARS = 1000
"""A CSV cell holds at most this many characters (Excel's own limit is 32 767)."""
CHART_ANSWERS = 8
"""An item with more answers than this draws only the first :data:`CHART_PER_VERDICT` of each verdict."""
CHART_PER_VERDICT = 4
CHART_LABEL_CHARS = 24
DESIGN_CHART = re.compile(r"designs-([1-9][0-9]{0,3})")
"""The name of the class overview's n-th chart (from 1)."""

VERDICT_COLOURS: dict[Verdict, tuple[str, str]] = {
    "wrong": (PALETTE["vermillion"], "//"),
    "open": ("#767676", ".."),
    "accepted": (PALETTE["blue"], ""),
}
"""Bar colour and hatching by verdict: the chart reads without colour too."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_DRAWING = threading.RLock()
_DESIGN_CACHE: OrderedDict[tuple[object, ...], list[Chart]] = OrderedDict()
"""The class overview's charts by what they show, oldest first (a few kept)."""


def mark_label(mark: str) -> str:
    """How the board names a mark (``board_mark.<mark>``); the mark's own name when the catalogue has none."""
    try:
        return msg(f"board_mark.{mark}")
    except (KeyError, IndexError, ValueError):
        return mark


def verdict_label(verdict: str) -> str:
    try:
        return msg(f"board_view.verdict_{verdict}")
    except KeyError:
        return verdict


def counts(exercise: ExerciseCount) -> list[tuple[str, int]]:
    """The four counts of an exercise, named: opened, answered, checked, finished."""
    return [(msg(f"board_view.count_{k}"), getattr(exercise, k)) for k in ("opened", "answered", "checked",
                                                                        "finished")]


def top_answers(answers: Sequence[AnswerCount], over: int, per_verdict: int) \
        -> tuple[list[AnswerCount], list[AnswerCount]]:
    """The answers to show and the rest: a list longer than ``over`` keeps the first ``per_verdict`` of each verdict.

    The order stays (wrong answers first); the accepted answers are never all pushed out by many wrong ones.
    """
    if len(answers) <= over:
        return list(answers), []
    shown: list[AnswerCount] = []
    rest: list[AnswerCount] = []
    seen: dict[str, int] = {}
    for a in answers:
        seen[a.verdict] = seen.get(a.verdict, 0) + 1
        (shown if seen[a.verdict] <= per_verdict else rest).append(a)
    return shown, rest


# --- CSV -----------------------------------------------------------------------------------------

def _cell(value: object) -> object:
    """A CSV cell: text cut to :data:`CSV_CHARS` and never read as a formula; numbers as they are."""
    if not isinstance(value, str):
        return value
    text = short_text(value, CSV_CHARS)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(board: Board) -> str:
    """The board as CSV text (with a BOM): answer rows, then a row per exercise with its four counts."""
    columns = ["row", "lesson", "lesson_title", "exercise", "label", "title", "item", "answer", "mark", "verdict",
               "count", "count_opened", "count_answered", "count_checked", "count_finished", "learners"]
    head = [msg(f"board_view.csv_{c}") if not c.startswith("count_") else msg(f"board_view.{c}") for c in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in head])
    for lesson in board.lessons:
        for e in lesson.exercises:
            where = [lesson.id, lesson.title, e.id, e.label, e.title]
            writer.writerow([_cell(v) for v in [msg("board_view.csv_row_progress"), *where, "", "", "", "", "",
                                                e.opened, e.answered, e.checked, e.finished, board.learners]])
            for item in e.items:
                for a in item.answers:
                    writer.writerow([_cell(v) for v in [msg("board_view.csv_row_answer"), *where, item.label,
                                                        a.label, mark_label(a.mark), verdict_label(a.verdict),
                                                        a.count, "", "", "", "", board.learners]])
    return "\ufeff" + out.getvalue()


# --- charts --------------------------------------------------------------------------------------

def _answer_line(a: AnswerCount) -> str:
    return msg("board_view.alt_answer", answer=short_text(a.label), mark=mark_label(a.mark),
               verdict=verdict_label(a.verdict), n=a.count)


def _alt_text(exercise: ExerciseCount, learners: int) -> str:
    lines = [msg("board_view.chart_of", label=exercise.label, title=short_text(exercise.title), n=learners),
             msg("board_view.alt_counts", n=learners, opened=exercise.opened, answered=exercise.answered,
                 checked=exercise.checked, finished=exercise.finished)]
    for item in exercise.items:
        said = "、".join(_answer_line(a) for a in item.answers) or msg("board_view.alt_item_none")
        lines.append(msg("board_view.alt_item", item=short_text(item.label)) + " " + said)
    return "\n".join(lines)


def _bars(ax: Axes, labels: Sequence[str], values: Sequence[int], colours: Sequence[str],
          hatches: Sequence[str], top: int) -> None:
    """Horizontal bars, first label on top, each with its count in words; the axis at least ``top`` long."""
    positions = list(range(len(labels)))[::-1]
    bars = ax.barh(positions, values, color=list(colours), hatch=list(hatches), edgecolor="white", linewidth=0)
    ax.set_yticks(positions, labels=[short_text(label, CHART_LABEL_CHARS) for label in labels])
    ax.bar_label(bars, labels=[msg("board_view.people", n=v) for v in values], padding=3)
    ax.set_xlim(0, max(top, max(values, default=0), 1) * 1.18)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)


def exercise_chart(exercise: ExerciseCount, learners: int) -> Chart:
    """The four counts, then per item the answers' counts by verdict; alternative text with every number.

    The figure is made without pyplot (nothing to close in pyplot's list of figures) and is drawable
    with the course fonts: no missing-glyph warning, no mathtext.
    """
    use_course_style()
    sections: list[tuple[str, int]] = [(msg("board_view.chart_counts"), 4)]
    drawn = [top_answers(item.answers, CHART_ANSWERS, CHART_PER_VERDICT) for item in exercise.items]
    sections += [(item.label, max(1, len(shown))) for item, (shown, _) in zip(exercise.items, drawn)]
    heights = [rows + 1.6 for _, rows in sections]
    fig = Figure(figsize=(8.0, 0.42 * sum(heights) + 1.4))
    grid = fig.add_gridspec(len(sections), 1, height_ratios=heights)
    named = counts(exercise)
    ax = fig.add_subplot(grid[0])
    _bars(ax, [n for n, _ in named], [v for _, v in named], [PALETTE["blue"]] * 4, [""] * 4, learners)
    ax.set_title(msg("board_view.chart_counts"), loc="left")
    ax.set_xlabel(msg("board_view.chart_people"))
    shown: set[str] = set()
    for k, (item, (answers, rest)) in enumerate(zip(exercise.items, drawn), start=1):
        ax = fig.add_subplot(grid[k])
        ax.set_title(short_text(item.label, 60), loc="left")
        if not answers:
            ax.set_axis_off()
            ax.text(0, 0.5, msg("board_view.item_nobody"), transform=ax.transAxes, va="center")
            continue
        shown.update(a.verdict for a in answers)
        _bars(ax, [a.label for a in answers], [a.count for a in answers],
              [VERDICT_COLOURS[a.verdict][0] for a in answers], [VERDICT_COLOURS[a.verdict][1] for a in answers],
              learners)
        if rest:
            ax.set_xlabel(msg("board_view.chart_others", n=len(rest)), loc="right", fontsize=9)
    title = msg("board_view.chart_of", label=exercise.label, title=short_text(exercise.title, 60), n=learners)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    if shown:
        handles = [Patch(facecolor=VERDICT_COLOURS[v][0], hatch=VERDICT_COLOURS[v][1], edgecolor="white",
                         label=verdict_label(v)) for v in ("wrong", "open", "accepted") if v in shown]
        fig.legend(handles=handles, loc="upper right", ncol=len(handles), frameon=False, fontsize=10)
    make_drawable(fig)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return Chart(fig, _alt_text(exercise, learners))


def _close(figure: Figure) -> None:
    plt.close(figure)
    figure.clear()


def _design_key(overview: ClassOverview, course: Course) -> tuple[object, ...]:
    """What the class overview's charts are drawn from (not the overview itself: a new one every refresh)."""
    return (id(course), tuple(ranked(overview.partner_types())), tuple(ranked(overview.gap_kinds())),
            tuple(ranked(overview.failing_checks())[:8]))


def design_charts(overview: ClassOverview, course: Course | None = None) -> list[Chart]:
    """The class overview's charts (:func:`kyodo.design.overview.charts`), kept while the counts stay the same."""
    course = course or load_course()
    if not overview.entries:
        return []
    key = _design_key(overview, course)
    found = _DESIGN_CACHE.get(key)
    if found is not None:  # no lock: a page never waits for a chart being drawn elsewhere
        return found
    with _DRAWING:
        found = _DESIGN_CACHE.get(key)
        if found is None:
            found = charts(overview, course)
            _DESIGN_CACHE[key] = found
            while len(_DESIGN_CACHE) > 4:
                _, old = _DESIGN_CACHE.popitem(last=False)
                for chart in old:
                    _close(chart.figure)
        return found


def design_chart_version(chart: Chart) -> str:
    """A short tag that changes when the chart's numbers change (for image addresses a browser may keep)."""
    return hashlib.sha256(chart.alt_text.encode("utf-8", "replace")).hexdigest()[:10]


def chart_png(board: Board, name: str, *, course: Course | None = None) -> bytes | None:
    """The chart ``name`` as PNG: an exercise's id, or ``designs-<n>`` (the class overview's n-th chart, from 1).

    ``None`` when there is no such chart.
    """
    exercise = next((e for e in board.exercises if e.id == name), None)
    with _DRAWING:
        if exercise is not None:
            chart = exercise_chart(exercise, board.learners)
            try:
                return png_bytes(chart.figure)
            finally:
                _close(chart.figure)
        match = DESIGN_CHART.fullmatch(name)
        if match is None:
            return None
        found = design_charts(board.designs, course)
        n = int(match.group(1))
        return png_bytes(found[n - 1].figure) if n <= len(found) else None


# --- the session record --------------------------------------------------------------------------

def _file_name(text: str, taken: set[str]) -> str:
    """A safe, unique file name (without extension) for an id."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._") or "chart"
    name, n = stem[:80], 2
    while name in taken:
        name, n = f"{stem[:80]}-{n}", n + 1
    taken.add(name)
    return name


def _fenced(text: str) -> str:
    """``text`` as a Markdown block that no viewer reads as HTML or markup."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def record_zip(board: Board, *, course: Course | None = None) -> bytes:
    """The session record: ``board.csv``, ``charts/*.png``, ``alt.md`` (each image in words) and ``README.md``."""
    images: list[tuple[str, str, str]] = []  # (file, heading, alt text)
    buffer = io.BytesIO()
    stamp = time.localtime()[:6]

    def add(name: str, data: bytes | str) -> None:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)

    with zipfile.ZipFile(buffer, "w") as archive:
        add("board.csv", csv_text(board))
        taken: set[str] = set()
        with _DRAWING:
            for e in board.exercises:
                chart = exercise_chart(e, board.learners)
                try:
                    data = png_bytes(chart.figure)
                finally:
                    _close(chart.figure)
                file = f"charts/{_file_name(e.id, taken)}.png"
                add(file, data)
                images.append((file, f"{e.label} {short_text(e.title)}", chart.alt_text))
            for n, chart in enumerate(design_charts(board.designs, course), start=1):
                file = f"charts/{_file_name(f'designs-{n}', taken)}.png"
                add(file, png_bytes(chart.figure))
                images.append((file, msg("board_view.record_design_chart", n=n), chart.alt_text))
        alt = [f"# {msg('board_view.record_images')}", ""]
        for file, heading, text in images:
            alt += [f"## {file}", "", short_text(heading), "", _fenced(text), ""]
        add("alt.md", "\n".join(alt))
        readme = [f"# {msg('board_view.record_title')}", ""]
        if board.read_at:
            readme.append(f"- {msg('board_view.record_read_at', time=short_text(board.read_at))}")
        readme += [f"- {msg('board_view.record_learners', n=board.learners)}", "",
                   f"## {msg('board_view.record_files')}", "", f"- {msg('board_view.record_csv')}",
                   f"- {msg('board_view.record_alt')}", "", f"## {msg('board_view.record_images')}", ""]
        for file, _, text in images:
            readme += [f"### {file}", "", _fenced(text), ""]
        add("README.md", "\n".join(readme))
    return buffer.getvalue()
