"""One engine for every "choose per item" exercise.

A :class:`ChoiceTask` is a list of items and a list of options; the
learner answers each item by choosing option(s). Every variant the course
uses is a parameter, not a class:

* ``mode="one"``: one option per item (sorting, ledgers, matching);
* ``mode="many"``: any number of options per item (who reaches whom),
  with ``exclusive`` options that cannot be combined with others;
* ``mode="exactly"`` with ``pick=n``: n different options per item, in no
  order (the two kinds of actor a case pairs);
* ``mode="order"``: the options are positions 1..n and each item gets
  one (putting steps in order); a wrong position is said to be too early
  or too late.

Grading is data. An item lists what it accepts (:class:`Accepted`):
``right`` answers, and ``also`` answers that are accepted with a comment
(「この読み方もできます: …」). Anything else is wrong and gets the item's
clue. An item with ``readings`` instead is a discussion item: it is never
scored, and after the check the learner sees the possible readings beside
their own answer. A task whose items are all discussion items is
reflective: the check compares instead of marking.

Named post-check rules (:data:`RULES`) add what concerns the whole
answer rather than one item: a party left with nothing of its own, a
distractor put in someone's column, one option given to two items, or
the data for a chart drawn after the check. Rules are pure: they return
words and data; the widget draws.

No widgets here (see :mod:`kyodo.widgets.choice`): the room board and the
worksheets read the same results.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from ..text import msg

Mode = Literal["one", "many", "exactly", "order"]
Grade = Literal["right", "also"]
Answer = str | frozenset[str]
"""An item's answer: one option id, or a set of option ids (``many`` and ``exactly``)."""
LIST_SEP = "、"
"""Between the labels of a set of options in a message or a table (labels may hold 「・」, e.g. 町内会・自治会)."""


def stable_order(key: str) -> str:
    """A fixed but unguessable sort key, so items are not grouped by their answer."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Mark(str, Enum):
    RIGHT = "right"
    ALSO = "also"
    PARTIAL = "partial"
    WRONG = "wrong"
    INVALID = "invalid"
    """Not a possible answer as given: the same option twice, too few, or an exclusive option combined."""
    UNANSWERED = "unanswered"
    DISCUSSION = "discussion"
    """A discussion item that has been answered: compared with the readings, not scored."""

    @property
    def done(self) -> bool:
        """Counts towards completion."""
        return self in (Mark.RIGHT, Mark.ALSO)


ICONS: Mapping[Mark, str] = {
    Mark.RIGHT: "✅", Mark.ALSO: "✅", Mark.PARTIAL: "🔶", Mark.WRONG: "❌",
    Mark.INVALID: "⚠️", Mark.UNANSWERED: "…", Mark.DISCUSSION: "💬",
}


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    clue: str = ""
    """Said in a hint or after a wrong answer instead of the label, so it does not give the answer away."""
    facets: Mapping[str, str] = field(default_factory=dict)
    """Parts of a composite option, e.g. ``{"bringer": ..., "kind": ...}``: a wrong answer that
    shares a facet with the right one is told which part is right."""
    legacy: tuple[str, ...] = ()
    """Values earlier versions of the course saved for this option: :meth:`ChoiceTask.load_state` reads them as it."""


@dataclass(frozen=True)
class Accepted:
    value: Answer
    grade: Grade = "right"
    comment: str = ""


@dataclass(frozen=True)
class Reading:
    """One possible reading of a discussion item, with what speaks for it."""

    value: Answer
    comment: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    accepted: tuple[Accepted, ...] = ()
    why: str = ""
    """Shown when the answer is right."""
    clue: str = ""
    """Shown after a wrong answer and in hints (else the right option's clue)."""
    readings: tuple[Reading, ...] = ()
    """For a discussion item: the readings shown after the check (then ``accepted`` is empty)."""
    prompt: str = ""
    """A question to think about, for the hints of a discussion item."""
    short: str = ""
    """A shorter name for figures (``text`` when empty)."""

    @property
    def scored(self) -> bool:
        return bool(self.accepted)

    @property
    def right(self) -> tuple[Accepted, ...]:
        return tuple(a for a in self.accepted if a.grade == "right")


@dataclass(frozen=True)
class ItemResult:
    item: Item
    given: Answer | None
    mark: Mark
    message: str

    @property
    def icon(self) -> str:
        return ICONS[self.mark]


@dataclass(frozen=True)
class RuleOutcome:
    """What a post-check rule found: lines for the learner, and optional data for a figure."""

    rule: str
    lines: tuple[str, ...] = ()
    figure: tuple[str, str, str] | None = None
    """A figure to draw after the check: its name (see :mod:`kyodo.widgets.choice_figures`), title and note."""


@dataclass(frozen=True)
class ChoiceCheck:
    results: tuple[ItemResult, ...]
    outcomes: tuple[RuleOutcome, ...] = ()
    reflective: bool = False

    def count(self, *marks: Mark) -> int:
        return sum(r.mark in marks for r in self.results)

    @property
    def scored(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.results if r.item.scored)

    @property
    def total(self) -> int:
        return len(self.scored)

    @property
    def done(self) -> int:
        """Right and also-accepted answers among the scored items."""
        return sum(r.mark.done for r in self.scored)

    @property
    def unanswered(self) -> int:
        return self.count(Mark.UNANSWERED)

    @property
    def wrong(self) -> int:
        return self.count(Mark.WRONG, Mark.PARTIAL, Mark.INVALID)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(line for o in self.outcomes for line in o.lines)

    @property
    def complete(self) -> bool:
        """Every scored item right or also accepted, and no rule raising a flag (reflective: all answered)."""
        if self.reflective:
            return self.unanswered == 0
        return self.done == self.total and not self.flags

    @property
    def kind(self) -> str:
        """How the feedback box looks: ``success``, ``warning`` or ``info``."""
        if self.complete:
            return "success"
        return "warning" if self.wrong or self.flags else "info"

    @property
    def summary(self) -> str:
        if self.unanswered == len(self.results):
            return msg("choice.summary_empty", total=len(self.results))
        if self.reflective:
            return msg("choice.summary_reflective")
        if self.complete:
            return msg("choice.summary_complete", total=self.total)
        return msg("choice.summary_progress", done=self.done, total=self.total,
                   unanswered=sum(r.mark is Mark.UNANSWERED for r in self.scored))


Rule = Callable[["ChoiceTask", tuple[ItemResult, ...], Mapping[str, Any]], RuleOutcome]


class ChoiceTask:
    """Items, options, what each item accepts, and one learner's answers."""

    def __init__(self, items: Sequence[Item], options: Sequence[Option], mode: Mode = "one", pick: int = 1,
                 exclusive: Sequence[str] = (), rules: Sequence[tuple[str, Mapping[str, Any]]] = (),
                 shuffle: bool = True, key: str = ""):
        option_ids = [o.id for o in options]
        if not items or len(options) < 2 or len(set(option_ids)) != len(option_ids):
            raise ValueError(msg("choice.bad_task"))
        if len({i.id for i in items}) != len(items):
            raise ValueError(msg("choice.bad_task"))
        if mode == "exactly" and not 2 <= pick <= len(options):
            raise ValueError(msg("choice.bad_pick", pick=pick))
        self.mode: Mode = mode
        self.pick = pick if mode == "exactly" else 1
        self.options = list(options)
        self._option = {o.id: o for o in options}
        self._legacy = {old: o.id for o in options for old in o.legacy}
        self.exclusive = frozenset(exclusive)
        for item in items:
            for value in [a.value for a in item.accepted] + [r.value for r in item.readings]:
                if not self._valid(value):
                    raise ValueError(msg("choice.bad_answer", item=item.text, answer=self._show(value)))
        self.items = sorted(items, key=lambda i: stable_order(f"{key}:{i.id}")) if shuffle else list(items)
        for name, _ in rules:
            if name not in RULES:
                raise ValueError(msg("choice.unknown_rule", rule=name, known=", ".join(sorted(RULES))))
        self.rules = [(name, dict(params)) for name, params in rules]
        self.answers: dict[str, Answer | None] = {i.id: None for i in self.items}
        self.slots: dict[str, list[str | None]] = {i.id: [None] * self.pick for i in self.items}
        """For ``exactly``: the learner's n dropdowns as they are (a set loses a doubled choice)."""
        self._hint_level: dict[str, int] = {}

    # --- what the learner can choose -------------------------------------------------
    @property
    def reflective(self) -> bool:
        return not any(i.scored for i in self.items)

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def option(self, option_id: str) -> Option:
        return self._option[option_id]

    def label(self, option_id: str) -> str:
        return self._option[option_id].label

    def _valid(self, value: Answer) -> bool:
        if self.mode in ("one", "order"):
            return isinstance(value, str) and value in self._option
        if not isinstance(value, frozenset) or not value or not value <= set(self._option):
            return False
        return len(value) == self.pick if self.mode == "exactly" else True

    def _show(self, value: Answer | None) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return self.label(value) if value in self._option else value
        return LIST_SEP.join(o.label for o in self.options if o.id in value)

    # --- answering ---------------------------------------------------------------------
    def choose(self, item_id: str, value: str | None) -> bool:
        """``one`` / ``order``: record an option (``None`` clears it). Unknown ids are refused."""
        if self.mode not in ("one", "order") or item_id not in self.answers:
            return False
        if value is not None and value not in self._option:
            return False
        self.answers[item_id] = value
        return True

    def tick(self, item_id: str, option_id: str, on: bool) -> bool:
        """``many``: tick or untick one option of one item."""
        if self.mode != "many" or item_id not in self.answers or option_id not in self._option \
                or not isinstance(on, bool):
            return False
        current = set(self.answers[item_id] or ())
        (current.add if on else current.discard)(option_id)
        self.answers[item_id] = frozenset(current) or None
        return True

    def choose_slot(self, item_id: str, slot: int, option_id: str | None) -> bool:
        """``exactly``: fill one of an item's n dropdowns (``None`` clears it)."""
        if self.mode != "exactly" or item_id not in self.slots or not isinstance(slot, int) \
                or not 0 <= slot < self.pick:
            return False
        if option_id is not None and option_id not in self._option:
            return False
        self.slots[item_id][slot] = option_id
        chosen = [s for s in self.slots[item_id] if s is not None]
        self.answers[item_id] = frozenset(chosen) or None
        return True

    def is_ticked(self, item_id: str, option_id: str) -> bool:
        value = self.answers.get(item_id)
        return isinstance(value, frozenset) and option_id in value

    @property
    def answered(self) -> int:
        """How many choices are made (ticks and dropdowns count one each)."""
        if self.mode == "exactly":
            return sum(s is not None for slots in self.slots.values() for s in slots)
        return sum(len(v) if isinstance(v, frozenset) else 1 for v in self.answers.values() if v is not None)

    # --- checking ------------------------------------------------------------------------
    def judge(self, item: Item) -> ItemResult:
        given = self.answers[item.id]
        if given is None:
            return ItemResult(item, None, Mark.UNANSWERED, msg("choice.unanswered"))
        invalid = self._invalid(item)
        if invalid:
            return ItemResult(item, given, Mark.INVALID, invalid)
        if not item.scored:
            return ItemResult(item, given, Mark.DISCUSSION, self._discussion(item, given))
        match = next((a for a in item.accepted if a.value == given), None)
        if match is not None and match.grade == "right":
            return ItemResult(item, given, Mark.RIGHT, msg("choice.right", why=item.why).strip())
        if match is not None:
            comment = msg("choice.also", comment=match.comment)
            return ItemResult(item, given, Mark.ALSO, f"{comment} {item.why}".strip())
        if isinstance(given, frozenset) and any(given & a.value for a in item.right if isinstance(a.value, frozenset)):
            return ItemResult(item, given, Mark.PARTIAL, self._partial(item, given))
        return ItemResult(item, given, Mark.WRONG, self._wrong(item, given))

    def _invalid(self, item: Item) -> str:
        given = self.answers[item.id]
        if self.mode == "exactly":
            chosen = [s for s in self.slots[item.id] if s is not None]
            if len(set(chosen)) < len(chosen):
                return msg("choice.same_twice", option=self._show(chosen[0]
                                                               if chosen.count(chosen[0]) > 1 else chosen[-1]))
            if len(chosen) < self.pick:
                return msg("choice.too_few", pick=self.pick, n=len(chosen))
        if isinstance(given, frozenset) and len(given) > 1 and given & self.exclusive:
            names = LIST_SEP.join(o.label for o in self.options if o.id in given & self.exclusive)
            return msg("choice.exclusive", option=names)
        return ""

    def clue(self, item: Item) -> str:
        """The item's clue, or the clue of (one of) its right option(s)."""
        if item.clue:
            return item.clue
        for accepted in item.right:
            ids = [accepted.value] if isinstance(accepted.value, str) else sorted(accepted.value)
            clues = [self._option[i].clue for i in ids if self._option[i].clue]
            if clues:
                return "／".join(clues)
        return item.prompt

    def _wrong(self, item: Item, given: Answer) -> str:
        right = item.right[0].value if item.right else item.accepted[0].value
        if self.mode == "order" and isinstance(given, str) and isinstance(right, str):
            positions = [int(a.value) for a in item.accepted if isinstance(a.value, str)]
            key = "choice.too_late" if int(given) > max(positions) else "choice.too_early"
            return msg(key)
        if isinstance(given, str) and isinstance(right, str):
            facets_right = self._option[right].facets
            facets_given = self._option[given].facets
            same = [name for name, value in facets_given.items() if facets_right.get(name) == value]
            if same and facets_right:
                part = "・".join(facets_given[name] for name in same)
                return msg("choice.wrong_facet", given=self.label(given), part=part, clue=self.clue(item))
        clue = self.clue(item)
        return msg("choice.wrong", given=self._show(given), clue=clue) if clue else msg("choice.wrong_bare",
                                                                                          given=self._show(given))

    def _partial(self, item: Item, given: frozenset[str]) -> str:
        right = next(a.value for a in item.right if isinstance(a.value, frozenset) and given & a.value)
        good, extra = given & right, given - right
        text = msg("choice.partial_right", right=self._show(good))
        if extra:
            text += msg("choice.partial_extra", extra=self._show(extra))
        if right - given:
            # exactly n: the learner cannot add one, only swap the one that does not fit
            text += msg("choice.partial_swap" if self.mode == "exactly" else "choice.partial_missing")
        clue = self.clue(item)
        return f"{text} {msg('choice.clue', clue=clue)}" if clue else text

    def _discussion(self, item: Item, given: Answer) -> str:
        lines = [msg("choice.discussion_given", given=self._show(given))]
        for reading in item.readings:
            if reading.value == given:
                agree = "same"
            elif isinstance(given, frozenset) and isinstance(reading.value, frozenset) and given & reading.value:
                agree = "overlap"
            else:
                agree = "other"
            lines.append(msg(f"choice.reading_{agree}", reading=self._show(reading.value), comment=reading.comment))
        return " ".join(lines)

    def check(self) -> ChoiceCheck:
        results = tuple(self.judge(i) for i in self.items)
        outcomes = tuple(RULES[name](self, results, params) for name, params in self.rules)
        return ChoiceCheck(results, tuple(o for o in outcomes if o.lines or o.figure is not None), self.reflective)

    # --- hints ------------------------------------------------------------------------------
    def hint(self) -> str:
        """Help with one item at a time: first its clue, then (asked again) one accepted answer.

        The item is the first (as shown) that is invalid, wrong or partial, else the first
        unanswered one. A reflective task cycles through its items' thinking prompts.
        """
        check = self.check()
        if self.reflective:
            n = self._hint_level.get("", 0)
            self._hint_level[""] = n + 1
            item = self.items[n % len(self.items)]
            return msg("choice.hint", item=item.text, clue=item.prompt or self.clue(item))
        order = (Mark.INVALID, Mark.WRONG, Mark.PARTIAL, Mark.UNANSWERED)
        target = next((r for mark in order for r in check.scored if r.mark is mark), None)
        if target is None:
            return msg("choice.hint_flag", flag=check.flags[0]) if check.flags else msg("choice.hint_none")
        item = target.item
        level = self._hint_level.get(item.id, 0) + 1
        self._hint_level[item.id] = min(level, 2)
        if level == 1:
            return msg("choice.hint", item=item.text, clue=self.clue(item))
        answer = self._show(item.right[0].value if item.right else item.accepted[0].value)
        return msg("choice.hint_position" if self.mode == "order" else "choice.hint_answer", item=item.text,
                   answer=answer)

    # --- reset, saving and restoring ---------------------------------------------------------
    def reset(self) -> None:
        self.answers = {i.id: None for i in self.items}
        self.slots = {i.id: [None] * self.pick for i in self.items}
        self._hint_level.clear()

    def to_state(self) -> dict[str, Any]:
        """The answers as JSON: an option id, or a list of ids (``exactly``: the n dropdowns as set)."""
        if self.mode == "exactly":
            return {"answers": {k: list(v) for k, v in self.slots.items() if any(s is not None for s in v)}}
        return {"answers": {k: (sorted(v, key=[o.id for o in self.options].index) if isinstance(v, frozenset)
                                else v) for k, v in self.answers.items() if v is not None}}

    def load_state(self, state: Any) -> int:
        """Restore saved answers; anything that no longer fits is dropped. Returns how many choices.

        Also reads the shapes saved by the course's earlier exercise classes (``positions``,
        ``ticks``, ``choices``, ``chosen``), so no learner's work is lost by an update.
        """
        self.reset()
        answers = _legacy_answers(state, self.mode)
        restored = 0
        for item_id, value in answers.items():
            if not isinstance(item_id, str) or item_id not in self.answers:
                continue
            if isinstance(value, str):
                value = self._legacy.get(value, value)
            elif isinstance(value, list):
                value = [self._legacy.get(o, o) if isinstance(o, str) else o for o in value]
            if self.mode in ("one", "order") and isinstance(value, str):
                restored += self.choose(item_id, value)
            elif self.mode == "many" and isinstance(value, list):
                restored += sum(self.tick(item_id, o, True) for o in value if isinstance(o, str))
            elif self.mode == "exactly" and isinstance(value, list) and len(value) <= self.pick:
                restored += sum(self.choose_slot(item_id, n, o) for n, o in enumerate(value) if isinstance(o, str))
        return restored


def _legacy_answers(state: Any, mode: Mode) -> Mapping[Any, Any]:
    """The ``answers`` mapping of a saved state, converting the shapes of earlier versions."""
    if not isinstance(state, Mapping):
        return {}
    for key in ("answers", "ticks", "choices", "chosen"):
        found = state.get(key)
        if isinstance(found, Mapping):
            return found
    positions = state.get("positions")
    if isinstance(positions, Mapping):
        return {k: str(v) for k, v in positions.items() if isinstance(v, int) and not isinstance(v, bool)}
    return {}


# --- post-check rules --------------------------------------------------------------------------


def _each_option_gains(task: ChoiceTask, results: tuple[ItemResult, ...], params: Mapping[str, Any]) -> RuleOutcome:
    """Flag each of ``options`` that no rightly placed item belongs to (a party that gains nothing of its own)."""
    if all(r.mark is Mark.UNANSWERED for r in results):
        return RuleOutcome("each_option_gains")
    gained = {r.given for r in results if r.mark.done and isinstance(r.given, str)}
    lines = tuple(msg("choice.rule_gap", option=task.label(o)) for o in params["options"] if o not in gained)
    return RuleOutcome("each_option_gains", lines)


def _distractor_claimed(task: ChoiceTask, results: tuple[ItemResult, ...],
                        params: Mapping[str, Any]) -> RuleOutcome:
    """Flag every item whose only right answer is ``option`` (e.g. nobody gains this) put elsewhere."""
    option = params["option"]
    lines = tuple(msg("choice.rule_claimed", item=r.item.text, given=task._show(r.given))
                  for r in results if r.given not in (None, option) and r.mark is Mark.WRONG
                  and [a.value for a in r.item.accepted] == [option])
    return RuleOutcome("distractor_claimed", lines)


def _one_item_per_option(task: ChoiceTask, results: tuple[ItemResult, ...],
                         params: Mapping[str, Any]) -> RuleOutcome:
    """Flag an option given to two or more items when each item has its own."""
    counts = Counter(r.given for r in results if isinstance(r.given, str))
    lines = tuple(msg("choice.rule_twice", option=task.label(o)) for o, n in counts.items() if n > 1)
    return RuleOutcome("one_item_per_option", lines)


def _table_after_check(task: ChoiceTask, results: tuple[ItemResult, ...], params: Mapping[str, Any]) -> RuleOutcome:
    """Once every item is answered, give the model answer as a table (items × options) for a chart."""
    if any(r.mark is Mark.UNANSWERED for r in results):
        return RuleOutcome("table_after_check", (msg("choice.rule_table_later"),) if params.get("say_later") else ())
    return RuleOutcome("table_after_check", figure=(params.get("figure") or "reach", params.get("title") or "",
                                                    params.get("note") or ""))


RULES: dict[str, Rule] = {
    "each_option_gains": _each_option_gains,
    "distractor_claimed": _distractor_claimed,
    "one_item_per_option": _one_item_per_option,
    "table_after_check": _table_after_check,
}
"""Post-check rules by name, as the exercise registry names them."""
