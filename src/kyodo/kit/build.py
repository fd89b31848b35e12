"""``make kit``: every PDF of the facilitator kit, and the kit's book pages.

PDFs (one Chromium start each, two at a time):

* ``worksheets/<lesson>.pdf`` and ``answers/<lesson>.pdf`` for every lesson;
* ``course_worksheets.pdf`` (every worksheet and the exit ticket) and
  ``course_answers.pdf``;
* ``sessions/<session>.pdf`` (the run sheet) and
  ``sessions/<session>_card.pdf`` (the answer card) for every session plan;
* ``fallback.pdf`` (technology fallback, where to get the pamphlet) and
  ``exit_ticket.pdf``.

Book pages (generated, kept in the repository; ``tests/test_kit.py``
checks they are up to date): ``book/facilitator/runsheets.md`` and
``book/facilitator/projector/<lesson>.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..data import DataError, default_data_dir
from ..printing import PrintError, check_fonts, print_pdf
from ..registry import load_registry
from ..text import msg
from .model import load_kit
from .sessions import RUN_CSS, answer_card, fallback_sheet, run_sheet, sessions_markdown
from .sheets import Sheet, exit_ticket_card, kit_lessons, lesson_answers, lesson_title, lesson_worksheets, sheets_html

WORKERS = 2


@dataclass(frozen=True)
class Job:
    path: str
    """Relative to the kit folder, e.g. ``worksheets/case3.pdf``."""
    title: str
    sheets: tuple[Sheet, ...]

    def html(self) -> str:
        return sheets_html(self.title, list(self.sheets), RUN_CSS)


def jobs(only: Callable[[str], bool] | None = None) -> list[Job]:
    """Every PDF of the kit (or those whose path ``only`` accepts)."""
    registry = load_registry()
    kit = load_kit()
    found: list[Job] = []
    all_worksheets: list[Sheet] = []
    all_answers: list[Sheet] = []
    for lesson in kit_lessons():
        title = lesson_title(lesson)
        sheets = lesson_worksheets(lesson, registry)
        all_worksheets += sheets
        found.append(Job(f"worksheets/{lesson}.pdf", msg("kit.worksheet_of", lesson=title), tuple(sheets)))
        answers = lesson_answers(lesson, registry)
        if answers:
            all_answers += answers
            found.append(Job(f"answers/{lesson}.pdf", msg("kit.answers_of", lesson=title), tuple(answers)))
    exit_card = exit_ticket_card()
    found.append(Job("course_worksheets.pdf", msg("kit.course_worksheets"), (*all_worksheets, exit_card)))
    found.append(Job("course_answers.pdf", msg("kit.course_answers"), tuple(all_answers)))
    for session in kit.sessions:
        sheet = run_sheet(session)
        found.append(Job(f"sessions/{session.id}.pdf", sheet.title, (sheet,)))
        card = answer_card(session, registry)
        found.append(Job(f"sessions/{session.id}_card.pdf", card.title, (card,)))
    fallback = fallback_sheet(kit)
    found.append(Job("fallback.pdf", fallback.title, (fallback,)))
    found.append(Job("exit_ticket.pdf", exit_card.title, (exit_card,)))
    return [j for j in found if only is None or only(j.path)]


def print_jobs(selected: list[Job], folder: Path, workers: int = WORKERS) -> list[Path]:
    """Print ``selected`` into ``folder`` (``workers`` Chromium processes at a time); raises :class:`PrintError`."""
    problem = check_fonts()
    if problem:
        raise PrintError(problem)

    def one(job: Job) -> Path:
        return print_pdf(job.html(), folder / job.path, title=job.title)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, selected))


def write_pages(book: Path) -> list[Path]:
    """Write the kit's generated book pages (unchanged files keep their time)."""
    from .projector import projector_pages

    pages = {book / "facilitator" / "runsheets.md": runsheets_page()}
    pages.update({book / "facilitator" / "projector" / f"{name}.md": text for name, text in projector_pages().items()})
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(pages)


def runsheets_page() -> str:
    return msg("kit_page.runsheets_head") + "\n" + sessions_markdown()


def _size(total: int) -> str:
    if total >= 1024 * 1024:
        return msg("kit.size_mb", n=f"{total / 1024 / 1024:.1f}")
    return msg("kit.size_kb", n=f"{total / 1024:.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyodo.kit")
    parser.add_argument("--out", default="book/_kit")
    parser.add_argument("--book", default=str(default_data_dir().resolve().parent / "book"))
    parser.add_argument("--pages-only", action="store_true")
    args = parser.parse_args(argv)
    try:
        pages = write_pages(Path(args.book))
        print(msg("kit.built_pages", n=len(pages), folder=args.book))
        if args.pages_only:
            return 0
        start = time.monotonic()
        written = print_jobs(jobs(), Path(args.out))
    except (PrintError, DataError) as err:
        print(msg("kit.failed", reason=err), file=sys.stderr)
        return 1
    seconds = time.monotonic() - start
    total = sum(p.stat().st_size for p in written)
    print(msg("kit.built", n=len(written), folder=args.out, seconds=f"{seconds:.1f}", size=_size(total)))
    for path in written:
        print(f"  {path}  {_size(path.stat().st_size)}")
    return 0
