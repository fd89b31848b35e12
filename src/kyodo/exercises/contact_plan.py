"""Logic of the contact-plan exercise: a year of recurring contact between partners.

Trust between partners grows from contact that keeps coming back, not
from one event a year. The learner marks, for each month of a year,
which kinds of contact take place (meetings, events, reports ...) and
which month holds the main event. :meth:`ContactPlan.check` looks for
the gaps the course warns about:

* a stretch of ``max_gap + 1`` months or more with no contact at all
  (the year is counted as recurring: March runs on into April);
* no contact where the partners meet face to face;
* no main event, or a main event month with no event marked in it;
* no meeting in the months before the main event (preparation);
* no report or review in the main event's month or just after it (follow-up);

and says what is already good. It knows nothing about any one case:
the kinds of contact come from the caller (a lesson's data), so other
lessons can reuse it. No widgets here: see :mod:`kyodo.widgets.contact_plan`.

The registry entry of the exercise (``kind: contact_plan``, e.g.
``case5-ex3`` in ``data/exercises/case5.yml``) carries the kinds of contact
as ``params`` (:class:`ContactPlanParams`); :func:`plan_of` builds a plan
from them, and :func:`plan_of_exercise` does so by the entry's id (the
design sheet's year plan uses the kinds of ``case5-ex3``). A plan has no
single right answer: :func:`answer_table` gives none, and the entry's
``solution_note`` carries an example. :func:`board_tallier` counts the
room's plans for the room board.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..data import Course, DataError, Problem, duplicates
from ..models import Id, Strict, Text
from ..text import clean_text, msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tallier, Verdict
    from ..registry import BuiltSpec
    from ..solutions import Table

FISCAL_MONTHS: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
"""A Japanese fiscal year, April to March: the order in which months are shown."""

Role = Literal["meeting", "event", "report", "review", "other"]
Level = Literal["good", "problem", "note"]


@dataclass(frozen=True)
class ContactKind:
    id: str
    name: str
    face_to_face: bool
    role: Role
    """What the checks look for: ``meeting`` before the main event, ``report``/``review`` after it."""
    clue: str


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class PlanCheck:
    findings: tuple[Finding, ...]
    marks: int

    def _of(self, level: Level) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == level)

    @property
    def problems(self) -> tuple[Finding, ...]:
        return self._of("problem")

    @property
    def goods(self) -> tuple[Finding, ...]:
        return self._of("good")

    @property
    def notes(self) -> tuple[Finding, ...]:
        return self._of("note")

    @property
    def complete(self) -> bool:
        return self.marks > 0 and not self.problems

    @property
    def summary(self) -> str:
        if not self.marks:
            return msg("contact_plan.summary_empty")
        if self.complete:
            return msg("contact_plan.summary_complete", marks=self.marks)
        return msg("contact_plan.summary_progress", marks=self.marks, problems=len(self.problems))


def _is_month(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _listed(names: Iterable[str]) -> str:
    """Names of kinds as 「a」や「b」 (kind names may themselves contain ・)."""
    return "や".join(f"「{n}」" for n in names)


def month_label(month: int) -> str:
    return msg("contact_plan.month", m=month)


class ContactPlan:
    """One learner's plan: which kinds of contact happen in which month."""

    def __init__(self, kinds: Sequence[ContactKind], months: Sequence[int] = FISCAL_MONTHS, max_gap: int = 2,
                 prep_window: int = 3, follow_window: int = 2, busy_limit: int = 30, title_limit: int = 80):
        ids = [k.id for k in kinds]
        if len(kinds) < 2 or len(set(ids)) != len(ids):
            raise ValueError(msg("contact_plan.bad_kinds"))
        if sorted(months) != list(range(1, 13)):
            raise ValueError(msg("contact_plan.bad_months"))
        self.kinds = list(kinds)
        self.months = list(months)
        self.max_gap = max_gap
        self.prep_window = prep_window
        self.follow_window = follow_window
        self.busy_limit = busy_limit
        self.title_limit = title_limit
        self.title = ""
        self.marks: dict[str, set[int]] = {k.id: set() for k in self.kinds}
        self.main_event: int | None = None

    # --- editing -------------------------------------------------------------
    def kind(self, kind_id: str) -> ContactKind:
        return next(k for k in self.kinds if k.id == kind_id)

    def set_mark(self, kind_id: str, month: int, on: bool) -> bool:
        """Mark or unmark one kind of contact in one month. Unknown kinds or months are refused."""
        if kind_id not in self.marks or not _is_month(month) or month not in self.months:
            return False
        (self.marks[kind_id].add if on else self.marks[kind_id].discard)(month)
        return True

    def set_main_event(self, month: int | None) -> bool:
        if month is not None and (not _is_month(month) or month not in self.months):
            return False
        self.main_event = month
        return True

    def set_title(self, text: Any) -> str | None:
        """Keep the name of the collaboration (cleaned and cut); returns a notice if it had to change."""
        if not isinstance(text, str):
            self.title = ""
            return msg("contact_plan.title_cleaned")
        cleaned, cut = clean_text(text.replace("\n", " ").replace("\t", " "), self.title_limit)
        self.title = cleaned.strip()
        if cut:
            return msg("contact_plan.title_too_long", n=self.title_limit)
        if cleaned != text.replace("\n", " ").replace("\t", " "):
            return msg("contact_plan.title_cleaned")
        return None

    def reset(self) -> None:
        self.title = ""
        self.marks = {k.id: set() for k in self.kinds}
        self.main_event = None

    @property
    def mark_count(self) -> int:
        return sum(len(m) for m in self.marks.values())

    @property
    def answered(self) -> int:
        """The marks, the name and the main event: what a reset would undo."""
        return self.mark_count + bool(self.title) + (self.main_event is not None)

    # --- reading the plan ---------------------------------------------------------
    def months_with(self, role: Role | None = None, face_to_face: bool | None = None) -> list[int]:
        """Months (in the plan's order) with at least one mark of the given role / face-to-face kind."""
        chosen = [k for k in self.kinds
                  if (role is None or k.role == role) and (face_to_face is None or k.face_to_face == face_to_face)]
        found = set().union(*(self.marks[k.id] for k in chosen)) if chosen else set()
        return [m for m in self.months if m in found]

    def gaps(self) -> list[list[int]]:
        """Runs of months with no contact longer than ``max_gap``, counting the year as recurring."""
        busy = set(self.months_with())
        if not busy:
            return [list(self.months)]
        n = len(self.months)
        start = next(i for i, m in enumerate(self.months) if m in busy)
        runs: list[list[int]] = []
        run: list[int] = []
        for step in range(1, n + 1):
            month = self.months[(start + step) % n]
            if month in busy:
                if len(run) > self.max_gap:
                    runs.append(run)
                run = []
            else:
                run.append(month)
        return sorted(runs, key=lambda r: self.months.index(r[0]))

    def _around(self, month: int, offsets: range) -> list[int]:
        i = self.months.index(month)
        n = len(self.months)
        return [self.months[(i + k) % n] for k in offsets]

    def effective_main_event(self) -> int | None:
        """The chosen main event month, or the only event month when there is just one."""
        if self.main_event is not None:
            return self.main_event
        events = self.months_with(role="event")
        return events[0] if len(events) == 1 else None

    # --- checking --------------------------------------------------------------------
    def check(self) -> PlanCheck:
        if not self.mark_count:
            return PlanCheck((Finding("problem", "empty", msg("contact_plan.empty"), msg("contact_plan.hint_empty")),),
                             0)
        found: list[Finding] = []
        self._check_gaps(found)
        self._check_face_to_face(found)
        self._check_main_event(found)
        if self.mark_count > self.busy_limit:
            found.append(Finding("note", "busy", msg("contact_plan.busy", n=self.mark_count)))
        if not self.title:
            found.append(Finding("note", "no_title", msg("contact_plan.no_title")))
        order = {"problem": 0, "good": 1, "note": 2}
        return PlanCheck(tuple(sorted(found, key=lambda f: order[f.level])), self.mark_count)

    def _span(self, months: Sequence[int]) -> str:
        first, last = month_label(months[0]), month_label(months[-1])
        wraps = self.months.index(months[-1]) < self.months.index(months[0])
        text = msg("contact_plan.span", first=first, last=last)
        return text + (msg("contact_plan.span_wraps") if wraps else "")

    def _check_gaps(self, found: list[Finding]) -> None:
        gaps = self.gaps()
        for run in gaps:
            found.append(Finding("problem", "gap", msg("contact_plan.gap", span=self._span(run), n=len(run)),
                                 msg("contact_plan.hint_gap", span=self._span(run))))
        if not gaps:
            found.append(Finding("good", "no_gap", msg("contact_plan.no_gap", n=self.max_gap + 1)))

    def _check_face_to_face(self, found: list[Finding]) -> None:
        f2f = self.months_with(face_to_face=True)
        names = _listed(k.name for k in self.kinds if k.face_to_face)
        if not f2f:
            found.append(Finding("problem", "no_face_to_face", msg("contact_plan.no_face_to_face"),
                                 msg("contact_plan.hint_face_to_face", kinds=names)))
        elif len(f2f) == 1:
            found.append(Finding("note", "face_to_face_once",
                                 msg("contact_plan.face_to_face_once", month=month_label(f2f[0]))))
        else:
            found.append(Finding("good", "face_to_face",
                                 msg("contact_plan.face_to_face", n=len(f2f),
                                     months="・".join(month_label(m) for m in f2f))))

    def _names(self, role: Role) -> str:
        return _listed(k.name for k in self.kinds if k.role == role)

    def _check_main_event(self, found: list[Finding]) -> None:
        events = self.months_with(role="event")
        if not events:
            found.append(Finding("problem", "no_event", msg("contact_plan.no_event", kinds=self._names("event")),
                                 msg("contact_plan.hint_event")))
            return
        if self.main_event is not None and self.main_event not in events:
            found.append(Finding("problem", "main_not_marked",
                                 msg("contact_plan.main_not_marked", month=month_label(self.main_event),
                                     kinds=self._names("event")),
                                 msg("contact_plan.hint_main_not_marked")))
            return
        main = self.effective_main_event()
        if main is None:
            found.append(Finding("problem", "no_main", msg("contact_plan.no_main", n=len(events)),
                                 msg("contact_plan.hint_main")))
            return
        if self.main_event is None:
            found.append(Finding("note", "main_guessed", msg("contact_plan.main_guessed", month=month_label(main))))
        before = self._around(main, range(-self.prep_window, 0))
        prep = [m for m in before if m in self.months_with(role="meeting")]
        if prep:
            found.append(Finding("good", "prep", msg("contact_plan.prep", months="・".join(month_label(m) for m in prep),
                                                     main=month_label(main))))
        else:
            found.append(Finding("problem", "no_prep",
                                 msg("contact_plan.no_prep", main=month_label(main), span=self._span(before),
                                     kinds=self._names("meeting")),
                                 msg("contact_plan.hint_prep", span=self._span(before))))
        after = self._around(main, range(0, self.follow_window + 1))
        follow_months = set(self.months_with(role="report")) | set(self.months_with(role="review"))
        follow = [m for m in after if m in follow_months]
        kinds = _listed(k.name for k in self.kinds if k.role in ("report", "review"))
        if follow:
            found.append(Finding("good", "follow", msg("contact_plan.follow", months="・".join(month_label(m) for m in follow),
                                                       main=month_label(main))))
        else:
            found.append(Finding("problem", "no_follow",
                                 msg("contact_plan.no_follow", main=month_label(main), span=self._span(after),
                                     kinds=kinds),
                                 msg("contact_plan.hint_follow", span=self._span(after), kinds=kinds)))

    def hint(self) -> str:
        problems = self.check().problems
        if not problems:
            return msg("contact_plan.hint_none")
        first = problems[0]
        return first.hint or first.message

    # --- for a chart ----------------------------------------------------------------------
    def matrix(self) -> tuple[list[list[int]], list[str], list[str], list[list[str]]]:
        """Rows (kinds) × columns (months) of 0/1, with labels and cell text for :func:`kyodo.charts.heatmap`."""
        rows = [[1 if m in self.marks[k.id] else 0 for m in self.months] for k in self.kinds]
        main = self.effective_main_event()
        cols = [month_label(m) + ("★" if m == main else "") for m in self.months]
        text = [["●" if v else "" for v in row] for row in rows]
        return rows, [k.name for k in self.kinds], cols, text

    def describe(self) -> str:
        """The plan in words, kind by kind (alternative text of its chart)."""
        lines = [msg("contact_plan.describe_row", kind=k.name,
                     months="・".join(month_label(m) for m in self.months if m in self.marks[k.id])
                     or msg("contact_plan.describe_none"))
                 for k in self.kinds]
        main = self.effective_main_event()
        if main is not None:
            lines.append(msg("contact_plan.describe_main", month=month_label(main)))
        return "\n".join(lines)

    # --- saving and restoring -----------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "marks": {k: sorted(v, key=self.months.index) for k, v in self.marks.items() if v},
            "main_event": self.main_event,
        }

    def load_state(self, state: Any) -> int:
        """Restore a saved plan; what no longer fits is dropped. Returns how many marks came back."""
        self.reset()
        if not isinstance(state, dict):
            return 0
        title = state.get("title")
        if isinstance(title, str):
            self.set_title(title)
        marks = state.get("marks")
        restored = 0
        if isinstance(marks, dict):
            for kind_id, months in marks.items():
                if isinstance(kind_id, str) and isinstance(months, list):
                    restored += sum(1 for m in months if _is_month(m) and self.set_mark(kind_id, m, True))
        main = state.get("main_event")
        if _is_month(main):
            self.set_main_event(main)
        return restored


# --- the exercise's parameters in the registry ------------------------------------------------


class ContactKindParams(Strict):
    id: Id
    name: Text
    name_en: Text
    face_to_face: bool
    role: Role
    clue: Text


class ContactPlanParams(Strict):
    """``params`` of a ``kind: contact_plan`` entry: the kinds of contact (the course's way of sorting them)."""

    interpretation: Literal[True]
    """The kinds and what the check looks for are the course's reading: must be true."""
    kinds: list[ContactKindParams] = Field(min_length=2)
    max_gap: int = Field(ge=1, le=6)


def plan_of(spec: BuiltSpec) -> ContactPlan:
    """An empty plan with the kinds of contact a registry entry gives (raises :class:`DataError`)."""
    params = spec.parsed(ContactPlanParams)
    dups = duplicates(k.id for k in params.kinds)
    if dups:
        raise DataError([Problem(f"data/exercises/{spec.lesson}.yml", f"exercises (id: {spec.id}).params.kinds",
                                 msg("data.dup_id", id=dup)) for dup in dups])
    kinds = [ContactKind(k.id, k.name, k.face_to_face, k.role, k.clue) for k in params.kinds]
    return ContactPlan(kinds, max_gap=params.max_gap)


def plan_of_exercise(exercise_id: str) -> ContactPlan:
    """An empty plan with the kinds of contact of the registry entry ``exercise_id`` (e.g. ``case5-ex3``)."""
    from ..registry import BuiltSpec, load_registry

    spec = load_registry().get(exercise_id)
    if not isinstance(spec, BuiltSpec) or spec.kind != "contact_plan":
        raise DataError([Problem("data/exercises", exercise_id, msg("registry.wrong_kind", id=exercise_id,
                                                                     kind=spec.kind))])
    return plan_of(spec)


def answer_table(spec: BuiltSpec, course: Course) -> Table | None:
    """None: a year plan has no single answer (the entry's ``solution_note`` gives an example and what to look for)."""
    return None


# --- the room board ------------------------------------------------------------------------

FINDING_CODES = ("empty", "gap", "no_gap", "no_face_to_face", "face_to_face_once", "face_to_face", "no_event",
                 "main_not_marked", "no_main", "main_guessed", "prep", "no_prep", "follow", "no_follow", "busy",
                 "no_title")
"""Every :attr:`Finding.code` :meth:`ContactPlan.check` gives."""

GOOD_FINDINGS = ("no_gap", "face_to_face", "prep", "follow")
"""The findings that say what is already good."""

BOARD_MARKS = ("free_text", "chosen", *FINDING_CODES)
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""

_LEVEL_VERDICT: dict[Level, Verdict] = {"good": "accepted", "problem": "wrong", "note": "open"}


def board_tallier(spec: BuiltSpec, course: Course) -> Tallier:
    """The board's tallier of a contact-plan entry: the months chosen for each kind of contact, and the check.

    * ``title``: the name of the collaboration, in the learner's words (``free_text``, open);
    * ``kind:<id>``, one item per kind of contact (in the entry's order): every month marked is an answer
      (its number, labelled 「4月」 ..., ``chosen``, open);
    * ``main_event``: the month chosen for the main event (``chosen``, open);
    * ``findings``: every finding of :meth:`ContactPlan.check`, once per learner, by its code: what is
      good is accepted (``no_gap``, ``face_to_face``, ``prep``, ``follow``), a problem wrong (``gap``,
      ``no_prep`` ...), a note open (``main_guessed``, ``busy`` ...).

    A plan has no single answer: ``expected`` lists the four good findings, so the board shows how many
    plans reach each of them (also none). ``finished`` is :attr:`PlanCheck.complete`.
    """
    from ..board.tally import Given, TaskTallier, short_text, text_key

    task = plan_of(spec)
    labels = {"title": msg("contact_plan.name_label"), **{f"kind:{k.id}": k.name for k in task.kinds},
              "main_event": msg("contact_plan.main_label"), "findings": msg("board_mark.item_findings")}

    def month(item: str, m: int) -> Given:
        return Given(item, labels[item], str(m), month_label(m), "chosen", "open")

    def finding(code: str, verdict: Verdict) -> Given:
        return Given("findings", labels["findings"], code, msg(f"board_mark.{code}"), code, verdict)

    def read(loaded: ContactPlan) -> tuple[tuple[Given, ...], bool]:
        check = loaded.check()
        found: list[Given] = []
        if loaded.title:
            found.append(Given("title", labels["title"], text_key(loaded.title), short_text(loaded.title), "free_text",
                               "open"))
        for kind in loaded.kinds:
            found += [month(f"kind:{kind.id}", m) for m in loaded.months if m in loaded.marks[kind.id]]
        if loaded.main_event is not None:
            found.append(month("main_event", loaded.main_event))
        found += [finding(f.code, _LEVEL_VERDICT[f.level]) for f in check.findings]
        return tuple(dict.fromkeys(found)), check.complete

    return TaskTallier(task, read, tuple(labels.items()), tuple(finding(c, "accepted") for c in GOOD_FINDINGS))
