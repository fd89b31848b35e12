"""The exercise registry: every exercise of the course, as data.

Each lesson's exercises live in ``data/exercises/<lesson>.yml``. Every
entry has one ``id`` (e.g. ``case3-ex2``): it is the MyST label of the
exercise in the notebook, the key its state is saved under, and the
argument of ``kyodo.exercise("case3-ex2")`` and ``kyodo.solution(...)``.

One pydantic discriminated union (:data:`Exercise`, on ``kind``) validates
the whole registry; :func:`load_registry` then resolves every reference to
the course data (an organisation's name, a strength, an activity, a case's
key point ...) through one resolver, :func:`resolve`, and reports every
problem with its file, entry and field, like the rest of the data.

* ``kind: choice``: a "choose per item" exercise, run by
  :class:`kyodo.exercises.choice.ChoiceTask` (see :func:`choice_task`).
* The other kinds (``flow_map``, ``network``, ...) have logic of their
  own; their entries carry the title, instructions, facilitator material
  and the parameters their builder needs.

An exercise that uses a case left out for problems in its file
(:class:`kyodo.data.CaseUnavailable`) is kept aside in
:attr:`Registry.unavailable`: asking for it shows the case's problems, and
the other exercises work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from .citation import source_note
from .data import (CaseUnavailable, Course, DataError, Problem, _explain, _read_yaml, default_data_dir, duplicates,
                   load_course)
from .exercises.choice import Accepted, ChoiceTask, Item, Option, Reading
from .models import Id, Strict, Text
from .text import msg

ExerciseId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*-(ex[0-9]+|[a-z0-9_]+)$")]
"""``<lesson>-ex<n>``, e.g. ``case3-ex2``."""

REF_KINDS = ("org", "org_short", "actor_type", "actor_type_of", "strength", "activity", "case_label",
             "case_point", "case_project", "case_parties", "resource_kind", "scheme_step", "missing",
             "viewpoint", "stakeholder", "vision_question", "vision_phrase", "ability", "programme")
"""What a text may refer to, e.g. ``{org: meiji_kurokawa}`` or ``{strength: aeon.existing_card_business}``."""


P = TypeVar("P", bound=BaseModel)


class Ref(Strict):
    """A text taken from the course data: exactly one of the fields is given."""

    org: str | None = None
    org_short: str | None = None
    actor_type: str | None = None
    actor_type_of: str | None = None
    strength: str | None = None
    """``<organisation>.<strength>``"""
    activity: str | None = None
    """``<case>.<activity>``"""
    case_label: str | None = None
    case_point: str | None = None
    case_project: str | None = None
    case_parties: str | None = None
    """A case's number, project and the two parties its heading pairs, e.g. ``CASE1 <project>: A × B``."""
    resource_kind: str | None = None
    scheme_step: str | None = None
    """``<case>.<step>``"""
    missing: str | None = None
    """``<case>.<n>``: the n-th thing missing in the case's outcome-orientation reading."""
    viewpoint: str | None = None
    """A viewpoint of the basic policy (``policy.yml``), e.g. ``outcome``."""
    stakeholder: str | None = None
    """``<case>.<stakeholder>``: a stakeholder named in a case, e.g. ``case2.customers``."""
    vision_question: str | None = None
    """A part of the policy's vision (``policy.yml``): the question it answers, e.g. ``who`` -> 誰が."""
    vision_phrase: str | None = None
    """A part of the policy's vision: its words, quoted from the policy."""
    ability: str | None = None
    """``<case>.<ability>``: an ability a case's programme aims at, e.g. ``case4.know_self``."""
    programme: str | None = None
    """``<case>.<programme>``: a programme a case names, e.g. ``case4.bingo_map``."""

    @model_validator(mode="after")
    def _one(self) -> Ref:
        given = [k for k in REF_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(msg("registry.ref_one", kinds=", ".join(REF_KINDS)))
        return self

    @property
    def kind(self) -> str:
        return next(k for k in REF_KINDS if getattr(self, k) is not None)

    @property
    def target(self) -> str:
        return str(getattr(self, self.kind))


TextOrRef = Text | Ref
AnswerValue = Id | int | list[Id]
"""An option id; a position (``order``); or a list of option ids (``many``, ``exactly``)."""


class AlsoSpec(Strict):
    answer: AnswerValue
    comment: Text


class ReadingSpec(Strict):
    answer: AnswerValue
    comment: Text


class OptionSpec(Strict):
    id: Id
    label: TextOrRef | None = None
    """Without a label, the option is named by its ``facets`` (joined by 「・」)."""
    label_en: Text | None = None
    clue: Text | None = None
    facets: dict[Id, TextOrRef] = {}
    legacy_ids: list[str] = []
    """Values earlier versions of the course saved for this option (e.g. ``keyperson21:knowledge_skills``)."""

    @model_validator(mode="after")
    def _label_or_facets(self) -> OptionSpec:
        if self.label is None and not self.facets:
            raise ValueError(msg("registry.label_or_facets"))
        return self


class ItemSpec(Strict):
    id: Id
    text: TextOrRef
    text_en: Text | None = None
    answer: AnswerValue | None = None
    """The right answer (shorthand for one ``right`` answer)."""
    also: list[AlsoSpec] = []
    """Further answers that are accepted, each with its comment."""
    readings: list[ReadingSpec] = []
    """A discussion item (no ``answer``): the readings shown after the check; never scored."""
    why: Text | None = None
    clue: Text | None = None
    prompt: Text | None = None
    basis: Text | None = None
    """Where the answer comes from (a page and quote, or 講座の読み取り)."""
    short: Text | None = None
    """A shorter name for figures."""

    @model_validator(mode="after")
    def _answer_or_readings(self) -> ItemSpec:
        if (self.answer is None) == (not self.readings):
            raise ValueError(msg("registry.answer_or_readings"))
        if self.also and self.answer is None:
            raise ValueError(msg("registry.also_needs_answer"))
        return self


class RuleSpec(Strict):
    rule: Id
    options: list[Id] = []
    option: Id | None = None
    figure: Id | None = None
    say_later: bool = False
    title: Text | None = None
    note: Text | None = None


class Facilitator(Strict):
    """Hand-written material for the answer page: how the check works, mistakes, discussion prompts."""

    checking: list[Text] = []
    mistakes: list[Text] = []
    prompts: list[Text] = []


class _Entry(Strict):
    id: ExerciseId
    title: Text
    title_en: Text | None = None
    instructions: Text
    legacy_keys: list[str] = []
    """Keys this exercise's state was saved under by earlier versions of the course."""
    solution_note: Text | None = None
    """Shown under the model answer (why it matters, what to notice)."""
    facilitator: Facilitator = Facilitator()

    @property
    def lesson(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def label(self) -> str:
        """How the lesson names it, e.g. 演習2."""
        number = re.search(r"-ex([0-9]+)$", self.id)
        return msg("registry.label", n=number.group(1)) if number else self.title


class ChoiceSpec(_Entry):
    kind: Literal["choice"]
    mode: Literal["one", "many", "exactly", "order"] = "one"
    pick: int = Field(default=1, ge=1, le=10)
    layout: Literal["dropdown", "wide", "stacked", "checkboxes"] = "dropdown"
    grouped: bool = False
    """Show the learner's answers grouped by option under the rows (e.g. a ledger)."""
    shuffle: bool = True
    exclusive: list[Id] = []
    options: list[OptionSpec] = []
    """Not needed for ``order``: the options are the positions 1..n."""
    items: list[ItemSpec] = Field(min_length=1)
    rules: list[RuleSpec] = []


class BuiltSpec(_Entry):
    """An exercise with logic of its own; ``params`` go to its builder."""

    kind: Literal["flow_map", "network", "logic_model", "gap_finder", "first_questions", "contact_plan",
                  "donation"]
    params: dict[str, Any] = {}

    def parsed(self, model: type[P]) -> P:
        """``params`` validated with ``model`` (a builder's own pydantic model); a problem names the file and entry."""
        file = f"data/exercises/{self.lesson}.yml"
        try:
            return model.model_validate(self.params)
        except ValidationError as err:
            raise DataError([Problem(file, f"exercises (id: {self.id}).params: {p.where}", p.message)
                             for p in _explain(err, self.params, file)]) from None


Exercise = Annotated[ChoiceSpec | BuiltSpec, Field(discriminator="kind")]


class ExerciseFile(Strict):
    lesson: Id
    exercises: list[Exercise] = Field(min_length=1)


@dataclass(frozen=True)
class Registry:
    exercises: Mapping[str, ChoiceSpec | BuiltSpec]
    files: Mapping[str, str]
    """Exercise id -> the file it is defined in (for messages)."""
    unavailable: Mapping[str, CaseUnavailable] = field(default_factory=dict)
    """Exercises that use a case left out for problems in its file: id -> the error that says so."""

    def get(self, exercise_id: str) -> ChoiceSpec | BuiltSpec:
        if exercise_id in self.unavailable:
            raise self.unavailable[exercise_id]
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise DataError([Problem("data/exercises", "", msg("registry.unknown_id", id=exercise_id,
                                                                   known=", ".join(self.exercises)))]) from None

    def of_lesson(self, lesson: str) -> list[ChoiceSpec | BuiltSpec]:
        return [e for e in self.exercises.values() if e.lesson == lesson]

    @property
    def lessons(self) -> list[str]:
        return list(dict.fromkeys(e.lesson for e in self.exercises.values()))


# --- references to the course data ---------------------------------------------------------


def resolve(course: Course, value: TextOrRef) -> str:
    """The text a :class:`Ref` stands for (a plain text is returned as it is). Raises KeyError."""
    if isinstance(value, str):
        return value
    kind, target = value.kind, value.target
    if kind == "org":
        return course.org_name(target)
    if kind == "org_short":
        return course.org_short(target)
    if kind == "actor_type":
        return course.actor_type(target).name
    if kind == "actor_type_of":
        return course.type_of(target).name
    if kind in ("case_label", "case_point", "case_project", "case_parties"):
        case = course.case(target)
        if kind == "case_parties":
            first, second = (_parties_of_kind(course, case, k) for k in case.combination_types)
            return msg("registry.case_parties", number=case.number, project=case.project, first=first,
                       second=second) + source_note(case)
        if kind == "case_point":
            return case.point
        if kind == "case_project":
            return case.project
        return msg("registry.case_label", number=case.number, combination=case.combination) + source_note(case)
    if kind == "resource_kind":
        return course.resource_kind_name(target)
    if kind == "viewpoint":
        return _find(course.policy.viewpoints, target).name
    if kind in ("vision_question", "vision_phrase"):
        part = _find(course.policy.vision.parts, target)
        return part.question if kind == "vision_question" else part.answer
    head, _, tail = target.partition(".")
    if kind == "strength":
        return _find(course.org(head).strengths, tail).text
    if kind in ("ability", "programme"):
        case = course.case(head)
        return _find(case.abilities if kind == "ability" else case.programmes, tail).name
    if kind == "activity":
        return _find([a for p in course.case(head).participants for a in p.activities], tail).text
    if kind == "scheme_step":
        scheme = course.case(head).scheme
        return _find(scheme.steps if scheme else [], tail).text
    if kind == "stakeholder":
        return _find(course.case(head).stakeholders, tail).name
    reading = course.case(head).outcome_orientation
    if reading is None or not tail.isdigit() or not 1 <= int(tail) <= len(reading.missing):
        raise KeyError(target)
    return reading.missing[int(tail) - 1].text


def _parties_of_kind(course: Course, case: Any, kind: str) -> str:
    """The names of a case's participants of one kind of actor (the kind's name if there are none)."""
    names = [course.org_name(p.org) for p in case.participants if course.org(p.org).type == kind]
    return "・".join(names) if names else course.actor_type(kind).name


def _find(entries: Any, entry_id: str) -> Any:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise KeyError(entry_id)


# --- loading --------------------------------------------------------------------------------


def load_registry(data_dir: str | Path | None = None) -> Registry:
    """Read, validate and resolve every ``data/exercises/*.yml`` (cached per folder)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return _load_cached(folder.resolve())


@lru_cache(maxsize=4)
def _load_cached(folder: Path) -> Registry:
    course = load_course(folder)
    problems: list[Problem] = []
    found: dict[str, ChoiceSpec | BuiltSpec] = {}
    files: dict[str, str] = {}
    unavailable: dict[str, CaseUnavailable] = {}
    paths = sorted((folder / "exercises").glob("*.yml"))
    if not paths:
        raise DataError([Problem(f"{folder.name}/exercises", "", msg("registry.no_files"))])
    for path in paths:
        name = f"{folder.name}/exercises/{path.name}"
        raw = _read_yaml(path, name, problems)
        if raw is None:
            continue
        try:
            parsed = ExerciseFile.model_validate(raw)
        except ValidationError as err:
            problems.extend(_explain(err, raw, name))
            continue
        if parsed.lesson != path.stem:
            problems.append(Problem(name, msg("data.where_field", field="lesson"),
                                    msg("data.lesson_name", value=parsed.lesson, stem=path.stem)))
        for n, entry in enumerate(parsed.exercises, start=1):
            where = f"exercises[{n}] (id: {entry.id})"
            if entry.lesson != parsed.lesson:
                problems.append(Problem(name, where, msg("registry.id_lesson", id=entry.id, lesson=parsed.lesson)))
            if entry.id in found or entry.id in unavailable:
                problems.append(Problem(name, where, msg("data.dup_id", id=entry.id)))
                continue
            if isinstance(entry, ChoiceSpec):
                try:
                    problems += _check_choice(course, entry, name, where)
                except CaseUnavailable as err:  # the case's lesson and this exercise say so; the rest work
                    unavailable[entry.id] = err
                    files[entry.id] = name
                    continue
            found[entry.id] = entry
            files[entry.id] = name
    keys = [k for e in found.values() for k in e.legacy_keys]
    for dup in duplicates(keys):
        problems.append(Problem(f"{folder.name}/exercises", "legacy_keys", msg("registry.dup_legacy", key=dup)))
    if problems:
        raise DataError(problems)
    return Registry(found, files, unavailable)


def _check_choice(course: Course, spec: ChoiceSpec, file: str, where: str) -> list[Problem]:
    problems: list[Problem] = []

    def at(entry: str, field: str) -> str:
        return f"{where}.{entry} の項目 '{field}'" if entry else f"{where} の項目 '{field}'"

    def check_text(value: TextOrRef | None, entry: str, field: str) -> None:
        if isinstance(value, Ref):
            try:
                resolve(course, value)
            except (KeyError, StopIteration):
                problems.append(Problem(file, at(entry, field), msg("registry.bad_ref", kind=value.kind,
                                                                       target=value.target)))

    for n, o in enumerate(spec.options, start=1):
        check_text(o.label, f"options[{n}] (id: {o.id})", "label")
        for facet, value in o.facets.items():
            check_text(value, f"options[{n}] (id: {o.id})", f"facets.{facet}")
    for n, i in enumerate(spec.items, start=1):
        check_text(i.text, f"items[{n}] (id: {i.id})", "text")
    for dup in duplicates([o.id for o in spec.options]):
        problems.append(Problem(file, at("options", "id"), msg("data.dup_id", id=dup)))
    for dup in duplicates([i.id for i in spec.items]):
        problems.append(Problem(file, at("items", "id"), msg("data.dup_id", id=dup)))
    if spec.mode == "order" and spec.options:
        problems.append(Problem(file, at("", "options"), msg("registry.order_no_options")))
    if spec.mode != "order" and len(spec.options) < 2:
        problems.append(Problem(file, at("", "options"), msg("registry.too_few_options")))
    if spec.mode == "exactly" and spec.pick < 2:
        problems.append(Problem(file, at("", "pick"), msg("registry.pick_exactly")))
    if problems:
        return problems
    try:
        choice_task(spec, course)
    except ValueError as err:
        problems.append(Problem(file, where, str(err)))
    except (KeyError, StopIteration) as err:
        problems.append(Problem(file, where, msg("registry.bad_ref", kind="", target=str(err))))
    return problems


# --- building the task ------------------------------------------------------------------------


def _value(spec: ChoiceSpec, answer: AnswerValue) -> str | frozenset[str]:
    if isinstance(answer, list):
        return frozenset(answer)
    return str(answer)


def _option(course: Course, o: OptionSpec) -> Option:
    facets = {k: resolve(course, v) for k, v in o.facets.items()}
    label = resolve(course, o.label) if o.label is not None else "・".join(facets.values())
    return Option(o.id, label, o.clue or "", facets, tuple(o.legacy_ids))


def choice_task(spec: ChoiceSpec, course: Course | None = None) -> ChoiceTask:
    """The :class:`ChoiceTask` an entry describes, with every reference resolved."""
    course = course or load_course()
    if spec.mode == "order":
        options = [Option(str(n), str(n)) for n in range(1, len(spec.items) + 1)]
    else:
        options = [_option(course, o) for o in spec.options]
    items = []
    for i in spec.items:
        accepted: list[Accepted] = []
        if i.answer is not None:
            accepted.append(Accepted(_value(spec, i.answer), "right"))
            accepted += [Accepted(_value(spec, a.answer), "also", a.comment) for a in i.also]
        readings = tuple(Reading(_value(spec, r.answer), r.comment) for r in i.readings)
        items.append(Item(i.id, resolve(course, i.text), tuple(accepted), i.why or "", i.clue or "", readings,
                          i.prompt or "", i.short or ""))
    rules = [(r.rule, {k: v for k, v in r.model_dump().items() if k != "rule"}) for r in spec.rules]
    return ChoiceTask(items, options, mode=spec.mode, pick=spec.pick, exclusive=spec.exclusive, rules=rules,
                      shuffle=spec.shuffle, key=spec.id)
