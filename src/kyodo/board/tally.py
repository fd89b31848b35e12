"""What one learner's saved work on one exercise says, as the room board counts it.

The board never knows an exercise by name. For every entry of the exercise
registry it asks for a :class:`Tallier`, built once from the entry (the
same task the widget runs), and hands it each learner's saved state; the
tallier answers with a :class:`Tally`: the answers given, item by item, each
with the task's own mark and one of three verdicts, and whether the
learner has answered anything and finished the exercise.

* ``kind: choice`` is tallied here (:func:`choice_tallier`): every item is
  an item of the board, every option (or set of options) an answer.
* The kinds with logic of their own name their tallier in
  :data:`TALLIERS` (kind -> ``module:function``), next to their logic in
  :mod:`kyodo.exercises`; a new exercise of a known kind needs no board code.

Pure: no files, no widgets, no HTML. Labels are plain text (escaped where
they are shown); free text is cut to :data:`TEXT_CHARS`.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..exercises.choice import ChoiceTask, Mark

if TYPE_CHECKING:
    from ..data import Course
    from ..registry import BuiltSpec, ChoiceSpec

Verdict = Literal["accepted", "wrong", "open"]
"""How the board shows an answer: accepted (right, or accepted as another reading), wrong (stands in
the way of finishing), or open (a discussion item, free text: neither right nor wrong)."""

TEXT_CHARS = 120
"""Free text is counted and shown by its first characters: a board row is not an essay."""


@dataclass(frozen=True)
class Given:
    """One answer to one item of an exercise."""

    item: str
    """A stable id of the item (e.g. a choice item's id, ``arrows`` for a flow map)."""
    item_label: str
    answer: str
    """A stable key of the answer: two learners who gave the same answer give the same key."""
    answer_label: str
    mark: str
    """The task's own mark (``right``, ``also``, ``reversed``, ``not_in_case`` ...), named by ``board_mark.<mark>``."""
    verdict: Verdict


@dataclass(frozen=True)
class Tally:
    """One learner's work on one exercise."""

    given: tuple[Given, ...] = ()
    answered: bool = False
    """Anything given at all."""
    finished: bool = False
    """What the exercise's own check calls complete (a reflective exercise: every item answered)."""


EMPTY = Tally()


class Tallier(Protocol):
    """Built once per exercise; called once per learner."""

    @property
    def items(self) -> tuple[tuple[str, str], ...]:
        """Every item of the exercise, ``(id, label)``, in the order the board lists them."""
        ...

    @property
    def expected(self) -> tuple[Given, ...]:
        """The accepted answers: listed on the board even when nobody gave them."""
        ...

    def __call__(self, state: Any) -> Tally:
        """The tally of one saved state (anything: old, damaged or hostile data gives what can be read)."""
        ...


@dataclass
class TaskTallier:
    """A :class:`Tallier` over a task that offers ``load_state`` and ``answered`` (see :class:`kyodo.widgets.common.Task`).

    ``read(task)`` turns the loaded task into ``(given, finished)``; the task
    is loaded afresh for every state, so nothing carries over between learners.
    """

    task: Any
    read: Callable[[Any], tuple[tuple[Given, ...], bool]]
    items: tuple[tuple[str, str], ...]
    expected: tuple[Given, ...] = ()

    def __call__(self, state: Any) -> Tally:
        if state is None:
            return EMPTY
        self.task.load_state(state)
        if not self.task.answered:
            return EMPTY
        given, finished = self.read(self.task)
        return Tally(given, True, finished)


def short_text(text: str, limit: int = TEXT_CHARS) -> str:
    """Free text as the board shows it: one line, blanks folded, cut at ``limit`` characters with 「…」."""
    one_line = " ".join(unicodedata.normalize("NFKC", text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def text_key(text: str) -> str:
    """The counting key of a free text: the same words in another width or case count as one answer."""
    return short_text(text).casefold()


# --- kind: choice -------------------------------------------------------------------------------

_CHOICE_VERDICT: dict[Mark, Verdict] = {
    Mark.RIGHT: "accepted", Mark.ALSO: "accepted", Mark.PARTIAL: "wrong", Mark.WRONG: "wrong",
    Mark.INVALID: "wrong", Mark.DISCUSSION: "open",
}


def _choice_key(value: Any) -> str:
    return value if isinstance(value, str) else "+".join(sorted(value))


def _choice_label(task: ChoiceTask, value: Any) -> str:
    return task._show(value)


def _choice_read(task: ChoiceTask) -> tuple[tuple[Given, ...], bool]:
    check = task.check()
    given = tuple(Given(r.item.id, r.item.short or r.item.text, _choice_key(r.given), _choice_label(task, r.given),
                        r.mark.value, _CHOICE_VERDICT[r.mark])
                  for r in check.results if r.given is not None)
    return given, check.complete


def choice_tallier(spec: ChoiceSpec, course: Course) -> TaskTallier:
    """The tallier of a ``kind: choice`` entry: the items in the order of the registry (not the learner's shuffle)."""
    from ..registry import choice_task

    task = choice_task(spec, course)
    order = {i.id: n for n, i in enumerate(spec.items)}
    items = sorted(task.items, key=lambda i: order[i.id])
    expected = tuple(Given(i.id, i.short or i.text, _choice_key(a.value), _choice_label(task, a.value), a.grade,
                           "accepted") for i in items for a in i.accepted)
    return TaskTallier(task, _choice_read, tuple((i.id, i.short or i.text) for i in items), expected)


# --- every kind ----------------------------------------------------------------------------------

TALLIERS: dict[str, str] = {
    "flow_map": "kyodo.exercises.flowmap:board_tallier",
    "network": "kyodo.exercises.network:board_tallier",
    "logic_model": "kyodo.exercises.logic_model:board_tallier",
    "gap_finder": "kyodo.exercises.gap_finder:board_tallier",
    "first_questions": "kyodo.exercises.first_questions:board_tallier",
    "contact_plan": "kyodo.exercises.contact_plan:board_tallier",
    "donation": "kyodo.exercises.donation:board_tallier",
}
"""Kind -> ``module:function`` (``function(spec: BuiltSpec, course: Course) -> Tallier``)."""


def tallier(spec: ChoiceSpec | BuiltSpec, course: Course) -> Tallier:
    """The tallier of any registry entry."""
    from ..registry import ChoiceSpec

    if isinstance(spec, ChoiceSpec):
        return choice_tallier(spec, course)
    module, _, name = TALLIERS[spec.kind].partition(":")
    made: Tallier = getattr(importlib.import_module(module), name)(spec, course)
    return made


@dataclass
class Memo:
    """Tallies by exercise and saved state: learners who saved the same work are tallied once."""

    talliers: dict[str, Tallier]
    _seen: dict[tuple[str, str], Tally] = field(default_factory=dict)

    def __call__(self, exercise_id: str, state: Any, state_key: str) -> Tally:
        key = (exercise_id, state_key)
        found = self._seen.get(key)
        if found is None:
            try:
                found = self.talliers[exercise_id](state)
            except Exception:  # noqa: BLE001 - one learner's strange state never stops the board
                found = EMPTY
            self._seen[key] = found
        return found
