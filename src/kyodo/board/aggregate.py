"""The room's answers, counted: pure functions from learners' saved work to a :class:`Board`.

:func:`aggregate` takes what :mod:`kyodo.board.collect` read (one
:class:`~kyodo.board.collect.LearnerWork` per learner) and the exercise
registry, and counts, exercise by exercise:

* how many learners opened it, answered it, checked it and finished it;
* for each item, every answer given and by how many, with its mark: the
  wrong answers first (most common first), then open answers (discussion
  items, free text), then the accepted ones, each accepted answer listed
  even when nobody gave it.

Shared reflection notes (the learner ticked 「クラスで共有する」) are
collected with their learner's name; the views decide whether to show it
(the projector view never does). Design sheets saved in the learners'
files become the class overview of :mod:`kyodo.design.overview`.

No files, no HTML: the same board feeds the web views, the CSV and the charts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..data import Course
from ..design.checks import check_design
from ..design.overview import ClassOverview, Entry
from ..design.overview import Skipped as DesignSkipped
from ..design.sheet import PARTS, Design, design_from_states, key
from ..registry import Registry
from .collect import LearnerWork, Skipped
from .tally import Given, Memo, Verdict, tallier

NOTE_PREFIX = "notes/"
"""Reflection notes are saved under ``notes/<lesson>/<name>``."""
_ORDER: Mapping[Verdict, int] = {"wrong": 0, "open": 1, "accepted": 2}


@dataclass(frozen=True)
class AnswerCount:
    answer: str
    label: str
    mark: str
    verdict: Verdict
    count: int


@dataclass(frozen=True)
class ItemCount:
    item: str
    label: str
    answers: tuple[AnswerCount, ...]
    """Wrong answers first (most common first), then open ones, then accepted ones (also with 0; on a tie the
    course's answer before the other accepted readings)."""

    @property
    def given(self) -> int:
        """Answers given to this item (a learner who ticked two options counts once per set)."""
        return sum(a.count for a in self.answers)


@dataclass(frozen=True)
class ExerciseCount:
    id: str
    lesson: str
    label: str
    """How the lesson names it, e.g. 演習2."""
    title: str
    kind: str
    opened: int
    answered: int
    checked: int
    finished: int
    items: tuple[ItemCount, ...]


@dataclass(frozen=True)
class LessonCount:
    id: str
    title: str
    exercises: tuple[ExerciseCount, ...]


@dataclass(frozen=True)
class SharedNote:
    key: str
    """The note's key without ``notes/``, e.g. ``case3/reflection``."""
    lesson: str
    prompt: str
    text: str
    learner: str
    """The learner's name as typed; only a facilitator who asks sees it."""


@dataclass(frozen=True)
class Board:
    learners: int
    lessons: tuple[LessonCount, ...]
    notes: tuple[SharedNote, ...]
    designs: ClassOverview
    skipped: tuple[Skipped, ...] = ()
    read_at: str = ""

    @property
    def exercises(self) -> tuple[ExerciseCount, ...]:
        return tuple(e for lesson in self.lessons for e in lesson.exercises)

    def exercise(self, exercise_id: str) -> ExerciseCount:
        return next(e for e in self.exercises if e.id == exercise_id)


@dataclass
class Counting:
    """What stays between refreshes: the talliers (built once) and the tallies of states already seen."""

    registry: Registry
    course: Course
    memo: Memo = field(init=False)

    def __post_init__(self) -> None:
        talliers = {}
        for spec in self.registry.exercises.values():
            try:
                talliers[spec.id] = tallier(spec, self.course)
            except Exception:  # noqa: BLE001 - an exercise whose data fails is left off the board, not the board off
                continue
        self.memo = Memo(talliers)


def _state_key(state: Any) -> str:
    try:
        return json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return repr(state)


def _saved(work: LearnerWork, exercise_id: str, legacy: Sequence[str]) -> Any:
    for k in (exercise_id, *legacy):
        if work.exercises.get(k) is not None:
            return work.exercises[k]
    return None


def _items(tallier_items: Sequence[tuple[str, str]], given: Counter[Given], expected: Sequence[Given]) \
        -> tuple[ItemCount, ...]:
    by_answer: dict[tuple[str, str], tuple[Given, int]] = {}
    for g, n in given.items():
        k = (g.item, g.answer)
        seen = by_answer.get(k)
        by_answer[k] = (seen[0] if seen else g, n + (seen[1] if seen else 0))
    for g in expected:
        by_answer.setdefault((g.item, g.answer), (g, 0))
    labels = dict(tallier_items)
    for g, _ in by_answer.values():
        labels.setdefault(g.item, g.item_label)
    items = []
    for item_id, label in labels.items():
        rows = [AnswerCount(g.answer, g.answer_label, g.mark, g.verdict, n)
                for (i, _), (g, n) in by_answer.items() if i == item_id]
        rows.sort(key=lambda a: (_ORDER[a.verdict], -a.count, a.mark != "right", a.label))
        items.append(ItemCount(item_id, label, tuple(rows)))
    return tuple(items)


def count_exercise(counting: Counting, exercise_id: str, works: Sequence[LearnerWork]) -> ExerciseCount | None:
    """One exercise over every learner (``None``: the exercise cannot be tallied from this data)."""
    spec = counting.registry.exercises[exercise_id]
    t = counting.memo.talliers.get(exercise_id)
    if t is None:
        return None
    opened = answered = checked = finished = 0
    given: Counter[Given] = Counter()
    for work in works:
        state = _saved(work, exercise_id, spec.legacy_keys)
        activity = work.activity.get(exercise_id)
        activity = activity if isinstance(activity, Mapping) else {}
        tally = counting.memo(exercise_id, state, _state_key(state))
        opened += state is not None or "opened" in activity
        answered += tally.answered
        checked += "checked" in activity
        finished += tally.finished
        given.update(set(tally.given))  # a learner counts once per answer
    return ExerciseCount(spec.id, spec.lesson, spec.label, spec.title, spec.kind, opened, answered, checked,
                         finished, _items(t.items, given, t.expected))


def shared_notes(works: Sequence[LearnerWork]) -> tuple[SharedNote, ...]:
    """The notes whose learner ticked 「クラスで共有する」, by note, then in the order the files were read."""
    found = []
    for work in works:
        for k, state in work.exercises.items():
            if not k.startswith(NOTE_PREFIX) or not isinstance(state, Mapping) or state.get("share") is not True:
                continue
            text, prompt = state.get("text"), state.get("prompt")
            if not isinstance(text, str) or not text.strip():
                continue
            name = k[len(NOTE_PREFIX):]
            found.append(SharedNote(name, name.split("/", 1)[0], prompt if isinstance(prompt, str) else "", text,
                                    work.learner))
    return tuple(sorted(found, key=lambda n: n.key))


def designs(works: Sequence[LearnerWork], course: Course,
            exported: ClassOverview | None = None) -> ClassOverview:
    """The class overview of the design sheets in the learners' files (and of exported sheets, if given)."""
    blank = Design(course).to_states()
    entries: list[Entry] = list(exported.entries) if exported else []
    skipped: list[DesignSkipped] = list(exported.skipped) if exported else []
    for work in works:
        states = {part: work.exercises.get(key(part)) for part in PARTS}
        if not any(states[s] is not None and states[s] != blank.get(s) for s in PARTS):
            continue
        try:
            design = design_from_states(course, states)
            entries.append(Entry(work.file, design, check_design(design)))
        except Exception as err:  # noqa: BLE001 - one learner's sheet never stops the board
            skipped.append(DesignSkipped(work.file, type(err).__name__))
    return ClassOverview(tuple(entries), tuple(skipped))


def aggregate(counting: Counting, works: Sequence[LearnerWork], lessons: Sequence[tuple[str, str]],
              skipped: Sequence[Skipped] = (), exported: ClassOverview | None = None, read_at: str = "") -> Board:
    """The board of ``works``: ``lessons`` are ``(id, title)`` in reading order (others follow in registry order)."""
    order = [lesson_id for lesson_id, _ in lessons]
    titles = dict(lessons)
    order += [lesson_id for lesson_id in counting.registry.lessons if lesson_id not in titles]
    counted = []
    for lesson_id in order:
        exercises = []
        for spec in counting.registry.of_lesson(lesson_id):
            found = count_exercise(counting, spec.id, works)
            if found is not None:
                exercises.append(found)
        if exercises:
            counted.append(LessonCount(lesson_id, titles.get(lesson_id, lesson_id), tuple(exercises)))
    return Board(len(works), tuple(counted), shared_notes(works), designs(works, counting.course, exported),
                 tuple(skipped), read_at)
