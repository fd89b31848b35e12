"""The class overview (集計): the room's designs, read from a folder of exports.

:func:`read_folder` reads every ``*.html`` and ``*.md`` file of a folder.
A file that is not an exported design (broken, cut, foreign, in another
encoding, nested too deep, too big) is reported by name with the reason and
skipped; so is a file on which reading fails in any unexpected way. One file
never stops the overview. Names are shown even when they are not valid
UTF-8. Both exports of the same design (``x.md`` and ``x.html``) count once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..charts import Chart, bar_chart
from ..data import Course
from ..text import msg
from .checks import DesignCheck, check_design
from .export import ImportProblem, read_export, without_surrogates
from .sheet import Design

MAX_FILES = 500


@dataclass(frozen=True)
class Entry:
    file: str
    design: Design
    check: DesignCheck


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


@dataclass(frozen=True)
class ClassOverview:
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...]

    def partner_types(self) -> Counter[str]:
        """How many designs chose each kind of partner (a design counts once per kind)."""
        counts: Counter[str] = Counter()
        for e in self.entries:
            counts.update({p.type_id or "unknown" for p in e.design.partners})
        return counts

    def gap_kinds(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for e in self.entries:
            counts.update({kind or "unknown" for _, _, kind in e.design.missing_rows()})
        return counts

    def failing_checks(self) -> Counter[str]:
        """How many designs still fail each check."""
        counts: Counter[str] = Counter()
        for e in self.entries:
            counts.update({"contact" if c.startswith("contact_") else c for c in e.check.codes()})
        return counts


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def read_folder(folder: Path, course: Course) -> ClassOverview:
    """Every export in ``folder``, checked; every other file listed with the reason it was skipped."""
    shown = without_surrogates(str(folder))
    try:
        if not folder.is_dir():
            return ClassOverview((), (Skipped(shown, msg("overview.no_folder")),))
        files = _files(folder)
    except OSError as err:
        reason = msg("overview.folder_unreadable", error=without_surrogates(str(err.strerror or err)))
        return ClassOverview((), (Skipped(shown, reason),))
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in files[:MAX_FILES]:
        name = without_surrogates(path.name)
        if path.suffix.lower() not in {".html", ".md"}:
            skipped.append(Skipped(name, msg("overview.not_export")))
            continue
        try:
            design = read_export(path, course)
            check = check_design(design)
        except ImportProblem as problem:
            skipped.append(Skipped(name, str(problem)))
            continue
        except Exception as err:  # noqa: BLE001 - one file never stops the overview
            skipped.append(Skipped(name, msg("overview.failed", error=type(err).__name__)))
            continue
        if path.stem in seen:
            continue  # the other format of a design already read
        seen.add(path.stem)
        entries.append(Entry(name, design, check))
    for path in files[MAX_FILES:]:
        skipped.append(Skipped(without_surrogates(path.name), msg("overview.too_many", n=MAX_FILES)))
    return ClassOverview(tuple(entries), tuple(skipped))


def table_rows(overview: ClassOverview, course: Course) -> list[list[str]]:
    types = {t.id: t.name for t in course.actor_types}
    rows = []
    for e in overview.entries:
        d = e.design
        rows.append([
            d.title,
            d.finder.purpose or msg("design.none"),
            "、".join(sorted({types.get(p.type_id or "", msg("overview.unknown")) for p in d.partners}))
            or msg("design.none"),
            str(len(d.missing_rows())),
            f"{len(e.check.steps_done)}/6",
            str(len(e.check.problems)),
        ])
    return rows


def charts(overview: ClassOverview, course: Course) -> list[Chart]:
    """Charts for the debrief: partner types, kinds of gap, checks that still fail."""
    if not overview.entries:
        return []
    result = []
    types = {t.id: t.name for t in course.actor_types} | {"unknown": msg("overview.unknown")}
    partner = ranked(overview.partner_types())
    if partner:
        result.append(bar_chart([types.get(k, k) for k, _ in partner], [v for _, v in partner],
                                msg("overview.chart_partners"), msg("overview.chart_designs"), unit=""))
    kinds = {k.id: k.name for k in course.policy.resource_kinds} | {"unknown": msg("overview.unknown")}
    gaps = ranked(overview.gap_kinds())
    if gaps:
        result.append(bar_chart([kinds.get(k, k) for k, _ in gaps], [v for _, v in gaps],
                                msg("overview.chart_gaps"), msg("overview.chart_designs"), unit=""))
    failing = ranked(overview.failing_checks())[:8]
    if failing:
        result.append(bar_chart([check_label(k) for k, _ in failing],
                                [v for _, v in failing], msg("overview.chart_checks"), msg("overview.chart_designs"),
                                unit=""))
    return result


def ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Largest first; ties in a fixed order (not the order of a set, which changes between runs)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def check_label(code: str) -> str:
    """A short name for a check, for tables and charts."""
    if code.startswith("contact"):
        return msg("overview.code_contact")
    try:
        return msg(f"overview.code_{code}")
    except KeyError:
        return code
