"""Logic of the relationship-network exercise: who knows whom, and what if one person leaves.

A :class:`Network` is a set of people and the acquaintance ties between
them. It answers the questions the exercise asks: how many separate
groups there are, who has no acquaintance at all, who knows only one
person (and so is cut off if that person leaves), and whose leaving
splits the network (an articulation point, :func:`networkx.articulation_points`).

:class:`NetworkExercise` holds a network in three stages, before the
shared events, after them, and after the learner's own additions, and
checks the learner's additions: each new tie must join two people who
both take part in the occasion chosen for it, and the goal is a network
in which no single person's leaving cuts anyone off.

The registry entry of the exercise (``kind: network``, e.g. ``case5-ex2``
in ``data/exercises/case5.yml``) carries the hypothetical neighbourhood as
``params``: :class:`NetworkParams` validates them, :func:`exercise_of`
builds the exercise from them (checking every reference and that every
tie made at an occasion joins two people who attend it),
:func:`answer_table` gives the course's model answer (``model_answer``), and
:func:`board_tallier` counts the room's ties for the room board.

No widgets here: :mod:`kyodo.widgets.network` puts a face on this class.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
from pydantic import Field

from ..data import Course, DataError, Problem, check_refs, duplicates, load_course
from ..models import Id, Strict, Text
from ..text import msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tallier
    from ..registry import BuiltSpec
    from ..solutions import Table


class Origin(str, Enum):
    """Where a tie comes from; also the key of its line style in a figure."""

    BEFORE = "before"
    EVENT = "event"
    LEARNER = "learner"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    short: str
    """A short name for figures and menus."""
    type: str
    """An actor type id (colours the node)."""


@dataclass(frozen=True)
class Occasion:
    """A place where people meet face to face, and who takes part in it."""

    id: str
    name: str
    attendees: frozenset[str]


@dataclass(frozen=True)
class Tie:
    a: str
    b: str
    origin: Origin
    occasion: str | None = None

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))


@dataclass(frozen=True)
class Robustness:
    """How well a network holds together."""

    groups: tuple[tuple[str, ...], ...]
    """Connected groups of people (largest first), each in the people's order."""
    isolated: tuple[str, ...]
    single_link: tuple[tuple[str, str], ...]
    """(person, their only acquaintance)."""
    key_people: tuple[str, ...]
    """People whose leaving splits the rest of the network."""

    @property
    def robust(self) -> bool:
        return len(self.groups) == 1 and not self.isolated and not self.single_link and not self.key_people


@dataclass(frozen=True)
class LeaveImpact:
    """What happens to a network when one person leaves."""

    person: str
    ties_lost: int
    lost_only_link: tuple[str, ...]
    """People whose only acquaintance was the one who left: now alone."""
    groups_before: int
    groups_after: tuple[tuple[str, ...], ...]
    separated_pairs: int
    """Pairs of the remaining people who could reach each other before, and no longer can."""
    parts: tuple[tuple[str, ...], ...] = ()
    """What the leaver's own group breaks into (largest first); one part means it holds together."""

    @property
    def splits(self) -> bool:
        return len(self.parts) > 1


class Network:
    """People and the ties between them (an undirected graph)."""

    def __init__(self, people: Sequence[Person], ties: Iterable[Tie]):
        self.people = list(people)
        self.order = {p.id: i for i, p in enumerate(self.people)}
        self.ties = list(ties)
        self.graph = nx.Graph()
        self.graph.add_nodes_from(self.order)
        for tie in self.ties:
            self.graph.add_edge(tie.a, tie.b)

    def person(self, person_id: str) -> Person:
        return self.people[self.order[person_id]]

    def name(self, person_id: str) -> str:
        return self.person(person_id).name

    def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=self.order.__getitem__))

    def neighbours(self, person_id: str) -> tuple[str, ...]:
        return self._sorted(self.graph.neighbors(person_id))

    def groups(self, graph: nx.Graph | None = None) -> tuple[tuple[str, ...], ...]:
        g = self.graph if graph is None else graph
        parts = [self._sorted(c) for c in nx.connected_components(g)]
        return tuple(sorted(parts, key=lambda c: (-len(c), self.order[c[0]])))

    def robustness(self) -> Robustness:
        isolated = self._sorted(n for n in self.graph if self.graph.degree(n) == 0)
        single = tuple((n, next(iter(self.graph.neighbors(n))))
                       for n in self._sorted(self.graph) if self.graph.degree(n) == 1)
        key = self._sorted(nx.articulation_points(self.graph))
        return Robustness(self.groups(), isolated, single, key)

    def without(self, person_id: str) -> LeaveImpact:
        """The network if ``person_id`` leaves."""
        if person_id not in self.order:
            raise KeyError(person_id)
        rest = self.graph.copy()
        rest.remove_node(person_id)
        alone = self._sorted(n for n in self.graph.neighbors(person_id) if self.graph.degree(n) == 1)
        before = {n: i for i, c in enumerate(self.groups()) for n in c}
        after = self.groups(rest)
        after_of = {n: i for i, c in enumerate(after) for n in c}
        remaining = [n for n in self.order if n != person_id]
        separated = sum(
            1 for i, a in enumerate(remaining) for b in remaining[i + 1:]
            if before[a] == before[b] and after_of[a] != after_of[b]
        )
        # The groups the remaining people formed while the person was still there.
        groups_with = len({before[n] for n in remaining})
        parts = tuple(g for g in after if before[g[0]] == before[person_id])
        return LeaveImpact(person_id, self.graph.degree(person_id), alone, groups_with, after, separated, parts)


def _quoted(names: Iterable[str]) -> str:
    return "、".join(f"「{n}」" for n in names)


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str


@dataclass(frozen=True)
class TieFeedback:
    tie: Tie
    useful: bool
    message: str


@dataclass(frozen=True)
class NetworkCheck:
    robustness: Robustness
    problems: tuple[str, ...]
    ties: tuple[TieFeedback, ...]
    added: int

    @property
    def complete(self) -> bool:
        return self.robustness.robust

    @property
    def summary(self) -> str:
        if self.complete:
            return msg("network.summary_complete", n=self.added)
        if not self.added:
            return msg("network.summary_empty", problems=len(self.problems))
        return msg("network.summary_progress", n=self.added, problems=len(self.problems))


@dataclass
class NetworkExercise:
    """A hypothetical neighbourhood's acquaintances before and after shared events, plus the learner's ties."""

    people: Sequence[Person]
    occasions: Sequence[Occasion]
    before_ties: Sequence[Tie]
    event_ties: Sequence[Tie]
    max_added: int = 4
    added: list[Tie] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.people = list(self.people)
        self.occasions = list(self.occasions)
        self._people = {p.id: p for p in self.people}
        self._occasions = {o.id: o for o in self.occasions}
        if len(self._people) < 2 or len(self._people) != len(self.people):
            raise ValueError(msg("network.bad_people"))
        for tie in [*self.before_ties, *self.event_ties]:
            if tie.a not in self._people or tie.b not in self._people or tie.a == tie.b:
                raise ValueError(msg("network.bad_tie", a=tie.a, b=tie.b))
            if tie.occasion is not None and tie.occasion not in self._occasions:
                raise ValueError(msg("network.bad_occasion", occasion=tie.occasion))
        self._hint_turn = 0

    # --- the three stages --------------------------------------------------
    def before(self) -> Network:
        return Network(self.people, self.before_ties)

    def after_events(self) -> Network:
        return Network(self.people, [*self.before_ties, *self.event_ties])

    def current(self) -> Network:
        return Network(self.people, [*self.before_ties, *self.event_ties, *self.added])

    # --- names -------------------------------------------------------------------
    def name(self, person_id: str) -> str:
        return self._people[person_id].name

    def names(self, ids: Iterable[str]) -> str:
        return "、".join(self.name(i) for i in ids)

    def occasion_name(self, occasion_id: str | None) -> str:
        return self._occasions[occasion_id].name if occasion_id in self._occasions else msg("network.no_occasion")

    def describe(self, tie: Tie) -> str:
        return msg("network.tie", a=self.name(tie.a), b=self.name(tie.b), occasion=self.occasion_name(tie.occasion))

    def known_tie(self, a: str, b: str) -> Tie | None:
        pair = frozenset((a, b))
        return next((t for t in [*self.before_ties, *self.event_ties, *self.added] if t.pair == pair), None)

    # --- the learner's additions -------------------------------------------------
    def add(self, a: str | None, b: str | None, occasion: str | None) -> Result:
        """Add an acquaintance tie, or explain why it cannot be added."""
        refused = self._refusal(a, b, occasion)
        if refused is not None:
            return refused
        assert a is not None and b is not None and occasion is not None
        tie = Tie(a, b, Origin.LEARNER, occasion)
        self.added.append(tie)
        state = self.current().robustness()
        return Result(True, msg("network.add_ok", text=self.describe(tie), n=len(self.added),
                                left=self.max_added - len(self.added), groups=len(state.groups),
                                single=len(state.single_link) + len(state.isolated), key=len(state.key_people)))

    def _refusal(self, a: str | None, b: str | None, occasion: str | None) -> Result | None:
        """Why a tie cannot be added (``None``: it can)."""
        missing = [msg(f"network.part_{part}") for part, v in (("a", a), ("b", b), ("occasion", occasion)) if not v]
        if missing:
            return Result(False, msg("network.add_incomplete", parts="・".join(missing)))
        assert a is not None and b is not None and occasion is not None
        if a not in self._people or b not in self._people:
            return Result(False, msg("network.add_unknown_person"))
        if occasion not in self._occasions:
            return Result(False, msg("network.add_unknown_occasion"))
        if a == b:
            return Result(False, msg("network.add_self", name=self.name(a)))
        existing = self.known_tie(a, b)
        if existing is not None:
            when = msg(f"network.known_{existing.origin.value}", occasion=self.occasion_name(existing.occasion))
            return Result(False, msg("network.add_known", a=self.name(a), b=self.name(b), when=when))
        place = self._occasions[occasion]
        absent = [p for p in (a, b) if p not in place.attendees]
        if absent:
            return Result(False, msg("network.add_absent", occasion=place.name, names=self.names(absent),
                                     attendees=self.names(self._ordered(place.attendees))))
        if len(self.added) >= self.max_added:
            return Result(False, msg("network.add_too_many", n=self.max_added))
        return None

    def remove(self, index: int) -> Result:
        if not isinstance(index, int) or not 0 <= index < len(self.added):
            return Result(False, msg("network.remove_none"))
        tie = self.added.pop(index)
        return Result(True, msg("network.remove_ok", text=self.describe(tie)))

    def reset(self) -> None:
        self.added.clear()
        self._hint_turn = 0

    @property
    def edges(self) -> list[Tie]:
        """The learner's ties, by the name the edge-building widget uses."""
        return self.added

    @property
    def answered(self) -> int:
        """How many ties the learner added: what a reset would undo."""
        return len(self.added)

    def _ordered(self, ids: Iterable[str]) -> list[str]:
        order = {p.id: i for i, p in enumerate(self.people)}
        return sorted((i for i in ids if i in order), key=order.__getitem__)

    def occasions_of(self, person_id: str) -> list[Occasion]:
        return [o for o in self.occasions if person_id in o.attendees]

    # --- checking ------------------------------------------------------------------
    def problems(self, state: Robustness) -> list[str]:
        """Every weakness of a network, each as a sentence that says why it matters."""
        lines: list[str] = []
        if len(state.groups) > 1:
            parts = " / ".join(self.names(g) for g in state.groups)
            lines.append(msg("network.problem_groups", n=len(state.groups), parts=parts))
        for person in state.isolated:
            lines.append(msg("network.problem_isolated", name=self.name(person)))
        for person, only in state.single_link:
            lines.append(msg("network.problem_single", name=self.name(person), only=self.name(only)))
        net = self.current()
        for person in state.key_people:
            impact = net.without(person)
            if not self._cut_groups(impact):
                continue  # it only leaves alone people already named above
            lines.append(msg("network.problem_key", name=self.name(person), cut=self._cut(impact)))
        return lines

    def judge_tie(self, tie: Tie, with_it: Robustness | None = None) -> TieFeedback:
        """Does this added tie strengthen the network? Compare with the network without it.

        ``with_it``: the robustness of the current network, when the caller has it already.
        """
        with_it = with_it if with_it is not None else self.current().robustness()
        others = [t for t in self.added if t != tie]
        without = Network(self.people, [*self.before_ties, *self.event_ties, *others]).robustness()
        gains = []
        rescued = {p for p, _ in without.single_link} | set(without.isolated)
        still = {p for p, _ in with_it.single_link} | set(with_it.isolated)
        for person in self._ordered((rescued - still) & {tie.a, tie.b}):
            gains.append(msg("network.gain_single", name=self.name(person)))
        freed = self._ordered(set(without.key_people) - set(with_it.key_people))
        if freed:
            gains.append(msg("network.gain_key", names=self.names(freed)))
        if len(with_it.groups) < len(without.groups):
            gains.append(msg("network.gain_groups"))
        if gains:
            return TieFeedback(tie, True, msg("network.tie_useful", gains="".join(gains)))
        return TieFeedback(tie, False, msg("network.tie_overlap"))

    def check(self) -> NetworkCheck:
        state = self.current().robustness()
        return NetworkCheck(state, tuple(self.problems(state)),
                            tuple(self.judge_tie(t, state) for t in self.added), len(self.added))

    def hint(self) -> str:
        """Point at one weak spot and the occasions where the person concerned meets others."""
        state = self.current().robustness()
        targets: list[str] = [*state.isolated, *(p for p, _ in state.single_link)]
        if not targets and state.key_people:
            net = self.current()
            person = state.key_people[0]
            small = min(net.without(person).groups_after, key=len)
            self._hint_turn += 1
            return msg("network.hint_key", name=self.name(person), group=self.names(small),
                       occasions=_quoted(o.name for o in self._shared_occasions(small)))
        if not targets:
            if len(state.groups) > 1:
                return msg("network.hint_groups")
            return msg("network.hint_none")
        person = targets[self._hint_turn % len(targets)]
        self._hint_turn += 1
        places = _quoted(o.name for o in self.occasions_of(person)) or msg("network.no_occasion")
        return msg("network.hint_single", name=self.name(person), occasions=places)

    @staticmethod
    def _cut_groups(impact: LeaveImpact) -> list[tuple[str, ...]]:
        """Groups cut off from the largest one, leaving out people simply left alone (said separately)."""
        return [g for g in impact.parts[1:] if not (len(g) == 1 and g[0] in impact.lost_only_link)]

    def _cut(self, impact: LeaveImpact) -> str:
        """The cut-off groups in words, e.g. "(A、B) と (C)"."""
        return "と".join(f"({self.names(g)})" for g in self._cut_groups(impact))

    def _shared_occasions(self, group: Sequence[str]) -> list[Occasion]:
        return [o for o in self.occasions if any(p in o.attendees for p in group)]

    def leave(self, person_id: str | None) -> tuple[LeaveImpact | None, str]:
        """What happens to the current network if one person leaves, in words."""
        if not person_id:
            return None, msg("network.leave_none")
        if person_id not in self._people:
            return None, msg("network.add_unknown_person")
        impact = self.current().without(person_id)
        name = self.name(person_id)
        lines = [msg("network.leave_ties", name=name, n=impact.ties_lost)]
        if impact.lost_only_link:
            lines.append(msg("network.leave_alone", names=self.names(impact.lost_only_link), name=name))
        else:
            lines.append(msg("network.leave_nobody_alone"))
        if impact.splits and self._cut_groups(impact):
            lines.append(msg("network.leave_split", n=len(impact.parts), cut=self._cut(impact),
                             pairs=impact.separated_pairs))
        elif not impact.lost_only_link:
            lines.append(msg("network.leave_holds"))
        return impact, "\n".join(lines)

    # --- saving and restoring ------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {"ties": [[t.a, t.b, t.occasion] for t in self.added]}

    def load_state(self, state: Any) -> int:
        """Restore saved ties; entries that no longer fit (changed data, hand edits) are dropped."""
        self.reset()
        ties = state.get("ties", []) if isinstance(state, dict) else []
        if not isinstance(ties, list):
            return 0
        for entry in ties[: self.max_added]:
            if isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry):
                if self._refusal(*entry) is None:  # as :meth:`add`, without working out its message
                    self.added.append(Tie(entry[0], entry[1], Origin.LEARNER, entry[2]))
        return len(self.added)


# --- the exercise's parameters in the registry ------------------------------------------------


class PersonParams(Strict):
    id: Id
    name: Text
    name_en: Text
    short: Text
    type: Id
    """An actor type id (colours the node)."""


class OccasionParams(Strict):
    id: Id
    name: Text
    name_en: Text
    attendees: list[Id] = Field(min_length=2)


class TieParams(Strict):
    a: Id
    b: Id
    occasion: Id | None = None


class NetworkParams(Strict):
    """``params`` of a ``kind: network`` entry: a hypothetical neighbourhood, and the course's model answer."""

    hypothetical: Literal[True]
    """The people and ties are the course's invention (the pamphlet names no one): must be true."""
    people: list[PersonParams] = Field(min_length=2)
    occasions: list[OccasionParams] = Field(min_length=1)
    before: list[TieParams] = []
    after_events: list[TieParams] = Field(min_length=1)
    max_added: int = Field(ge=1, le=20)
    model_answer: list[TieParams] = []
    """Ties the course gives as one model answer: each must be addable, and together they must complete it."""


def _build(params: NetworkParams) -> NetworkExercise:
    return NetworkExercise(
        people=[Person(p.id, p.name, p.short, p.type) for p in params.people],
        occasions=[Occasion(o.id, o.name, frozenset(o.attendees)) for o in params.occasions],
        before_ties=[Tie(t.a, t.b, Origin.BEFORE, t.occasion) for t in params.before],
        event_ties=[Tie(t.a, t.b, Origin.EVENT, t.occasion) for t in params.after_events],
        max_added=params.max_added,
    )


def check_params(params: NetworkParams, course: Course, file: str, where: str) -> list[Problem]:
    """Cross-checks the model cannot do: references, duplicates, attendance, and the model answer."""
    problems: list[Problem] = []
    people = [p.id for p in params.people]
    occasions = {o.id: o for o in params.occasions}
    for dup in duplicates(people):
        problems.append(Problem(file, f"{where}.people", msg("data.dup_id", id=dup)))
    for dup in duplicates(o.id for o in params.occasions):
        problems.append(Problem(file, f"{where}.occasions", msg("data.dup_id", id=dup)))
    problems += check_refs(file, f"{where}.people.type", [p.type for p in params.people],
                           [t.id for t in course.actor_types])
    for o in params.occasions:
        problems += check_refs(file, f"{where}.occasions (id: {o.id}).attendees", o.attendees, people)
    pairs: Counter[frozenset[str]] = Counter()
    for section, ties in (("before", params.before), ("after_events", params.after_events)):
        for n, t in enumerate(ties, start=1):
            at = f"{where}.{section}[{n}]"
            problems += check_refs(file, at, [t.a, t.b], people)
            if t.a == t.b:
                problems.append(Problem(file, at, msg("network.param_self_tie", id=t.a)))
            pairs[frozenset((t.a, t.b))] += 1
            if section == "after_events" and t.occasion is None:
                problems.append(Problem(file, at, msg("network.param_no_occasion")))
            if t.occasion is not None:
                if t.occasion not in occasions:
                    problems += check_refs(file, f"{at}.occasion", [t.occasion], occasions)
                else:
                    absent = [p for p in (t.a, t.b) if p not in occasions[t.occasion].attendees]
                    if absent:
                        problems.append(Problem(file, at, msg("network.param_absent", occasion=t.occasion,
                                                              ids=", ".join(absent))))
    for pair, n in pairs.items():
        if n > 1 and len(pair) == 2:
            problems.append(Problem(file, where, msg("network.param_dup_tie", pair=" — ".join(sorted(pair)))))
    if problems or not params.model_answer:
        return problems
    exercise = _build(params)
    for n, t in enumerate(params.model_answer, start=1):
        result = exercise.add(t.a, t.b, t.occasion)
        if not result.ok:
            problems.append(Problem(file, f"{where}.model_answer[{n}]", result.message))
    if not problems and not exercise.check().complete:
        problems.append(Problem(file, f"{where}.model_answer", msg("network.param_answer_incomplete")))
    return problems


def exercise_of(spec: BuiltSpec, course: Course | None = None) -> NetworkExercise:
    """The exercise a registry entry describes, validated and cross-checked (raises :class:`DataError`)."""
    params = spec.parsed(NetworkParams)
    problems = check_params(params, course or load_course(), f"data/exercises/{spec.lesson}.yml",
                            f"exercises (id: {spec.id}).params")
    if problems:
        raise DataError(problems)
    return _build(params)


def answer_table(spec: BuiltSpec, course: Course) -> Table:
    """The course's model answer: the ties to add, where the two meet, and what each one mends."""
    from ..solutions import Table

    exercise = exercise_of(spec, course)
    params = spec.parsed(NetworkParams)
    for t in params.model_answer:
        exercise.add(t.a, t.b, t.occasion)
    rows = tuple((exercise.name(f.tie.a), exercise.name(f.tie.b), exercise.occasion_name(f.tie.occasion), f.message)
                 for f in exercise.check().ties)
    headers = (msg("network.part_a"), msg("network.part_b"), msg("network.part_occasion"), msg("network.col_effect"))
    return Table(headers, rows)


# --- the room board ------------------------------------------------------------------------

WEAK_SPOTS = ("groups", "isolated", "single_link", "key_person")
"""The marks of what still keeps a network from holding together (see :class:`Robustness`)."""

BOARD_MARKS = ("useful", "overlap", *WEAK_SPOTS)
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""


def board_tallier(spec: BuiltSpec, course: Course) -> Tallier:
    """The board's tallier of a network entry: the ties the learner added, and what is still weak.

    * ``ties``: every tie added is an answer, keyed ``a+b@occasion`` (the two people in the order of
      the entry, so A–B and B–A are one answer), labelled as the exercise describes it. Its mark is the
      exercise's own judgement (:meth:`NetworkExercise.judge_tie`): ``useful`` (accepted) or ``overlap``
      (open: it adds nothing the network lacks, which is not wrong). Whether a tie helps depends on the
      learner's other ties, so the same tie judged ``overlap`` is counted apart (key ``.../overlap``)
      rather than mixed into the learners it helped.
    * ``weak_spots``: what keeps the learner's network from holding together: ``groups`` (it falls
      apart), and per person ``isolated``, ``single_link`` and ``key_person`` (wrong).

    ``expected`` is the ties of the entry's ``model_answer``, as judged in the model answer;
    ``finished`` is :attr:`NetworkCheck.complete`.
    """
    from ..board.tally import Given, TaskTallier

    task = exercise_of(spec, course)
    order = {p.id: n for n, p in enumerate(task.people)}
    ties, ties_label = "ties", msg("board_mark.item_ties")
    weak, weak_label = "weak_spots", msg("board_mark.item_weak_spots")

    def tie_given(tie: Tie, useful: bool) -> Given:
        a, b = sorted((tie.a, tie.b), key=order.__getitem__)
        key = f"{a}+{b}@{tie.occasion}"
        label = task.describe(Tie(a, b, tie.origin, tie.occasion))
        if useful:
            return Given(ties, ties_label, key, label, "useful", "accepted")
        return Given(ties, ties_label, f"{key}/overlap", label, "overlap", "open")

    def weak_given(mark: str, person: str | None = None) -> Given:
        what = msg(f"board_mark.{mark}")
        if person is None:
            return Given(weak, weak_label, mark, what, mark, "wrong")
        return Given(weak, weak_label, f"{mark}:{person}", msg("board_mark.weak_spot", name=task.name(person),
                                                                what=what), mark, "wrong")

    def read(loaded: NetworkExercise) -> tuple[tuple[Given, ...], bool]:
        check = loaded.check()
        state = check.robustness
        found = [tie_given(f.tie, f.useful) for f in check.ties]
        if len(state.groups) > 1:
            found.append(weak_given("groups"))
        found += [weak_given("isolated", p) for p in state.isolated]
        found += [weak_given("single_link", p) for p, _ in state.single_link]
        found += [weak_given("key_person", p) for p in state.key_people]
        return tuple(dict.fromkeys(found)), check.complete

    model = exercise_of(spec, course)
    for t in spec.parsed(NetworkParams).model_answer:
        model.add(t.a, t.b, t.occasion)
    expected = tuple(tie_given(f.tie, True) for f in model.check().ties if f.useful)
    return TaskTallier(task, read, ((ties, ties_label), (weak, weak_label)), expected)
