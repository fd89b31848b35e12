"""Loading and checking the course data in ``data/``.

:func:`load_course` reads every YAML file, validates it with the models of
:mod:`kyodo.models`, checks the references between files and returns a
:class:`Course`. A problem raises :class:`DataError`, whose message lists
every problem found, each naming the file, the entry and the field in
plain Japanese: a course editor never sees a bare traceback. A problem in
one case file only leaves that case out (:attr:`Course.disabled_cases`):
asking for it raises :class:`CaseUnavailable`, which lists its problems,
and the other cases and lessons work. A YAML mistake is reported on the
line to fix (where an unclosed quote or bracket opened; a tab is named).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .citation import case_heading
from .models import (
    ActorType,
    ActorTypesFile,
    Case,
    Contacts,
    Organisation,
    OrganisationsFile,
    Policy,
    Question,
    SelfCheckFile,
    Source,
    SourcesFile,
)
from .text import msg

M = TypeVar("M", bound=BaseModel)
H = TypeVar("H", bound=Hashable)


@dataclass(frozen=True)
class Problem:
    """One problem in the data: where it is and what is wrong."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}"


class DataError(Exception):
    """The course data has one or more problems (see :attr:`problems`)."""

    def __init__(self, problems: Sequence[Problem], header: str | None = None):
        self.problems = list(problems)
        lines = [header or msg("data.header", n=len(self.problems))]
        lines += [f"- {p}" for p in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class DisabledCase:
    """A case file with problems: the case is left out, and the rest of the course works without it."""

    id: str
    """The case's id (from the file, or its file name when the file cannot be read)."""
    file: str
    problems: tuple[Problem, ...]


class CaseUnavailable(DataError):
    """A lesson asked for a case that was left out because its file has problems (listed in the message)."""

    def __init__(self, case: DisabledCase):
        self.case = case
        super().__init__(case.problems, msg("data.case_disabled", id=case.id, file=case.file,
                                            n=len(case.problems)))


@dataclass(frozen=True)
class Course:
    """All the facts of the course, checked and cross-referenced."""

    actor_types: tuple[ActorType, ...]
    organisations: tuple[Organisation, ...]
    cases: tuple[Case, ...]
    policy: Policy
    contacts: Contacts
    sources: tuple[Source, ...]
    self_checks: dict[str, tuple[Question, ...]] = field(default_factory=dict)
    disabled_cases: tuple[DisabledCase, ...] = ()
    """Cases whose files have problems: left out of :attr:`cases`; asking for one raises
    :class:`CaseUnavailable`, whose message lists the problems (see :attr:`problems`)."""
    _index: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index["actor_type"] = {t.id: t for t in self.actor_types}
        self._index["org"] = {o.id: o for o in self.organisations}
        self._index["case"] = {c.id: c for c in self.cases}

    def actor_type(self, type_id: str) -> ActorType:
        return self._lookup("actor_type", type_id)

    def org(self, org_id: str) -> Organisation:
        return self._lookup("org", org_id)

    def case(self, case_id: str) -> Case:
        """The case ``case_id``; :class:`CaseUnavailable` if its file has problems, KeyError if there is none."""
        if case_id not in self._index["case"]:
            for disabled in self.disabled_cases:
                if disabled.id == case_id:
                    raise CaseUnavailable(disabled)
        return self._lookup("case", case_id)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The problems of the case files that were left out (empty when every case is usable)."""
        return tuple(p for d in self.disabled_cases for p in d.problems)

    def _lookup(self, kind: str, key: str) -> Any:
        try:
            return self._index[kind][key]
        except KeyError:
            known = ", ".join(self._index[kind])
            raise KeyError(msg("data.unknown_key", kind=kind, key=key, known=known)) from None

    def org_name(self, org_id: str) -> str:
        return self.org(org_id).name

    def org_short(self, org_id: str) -> str:
        org = self.org(org_id)
        return org.short or org.name

    def type_of(self, org_id: str) -> ActorType:
        return self.actor_type(self.org(org_id).type)

    @property
    def policy_types(self) -> tuple[ActorType, ...]:
        """The six actor types named by the basic policy, in its order."""
        return tuple(t for t in self.actor_types if t.policy)

    def resource_kind_name(self, kind_id: str) -> str:
        for kind in self.policy.resource_kinds:
            if kind.id == kind_id:
                return kind.name
        raise KeyError(kind_id)


def default_data_dir() -> Path:
    """``$KYODO_DATA`` if set, else the ``data/`` folder of the project."""
    env = os.environ.get("KYODO_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


@lru_cache(maxsize=4)
def _load_cached(data_dir: Path) -> Course:
    return load_course_uncached(data_dir)


def load_course(data_dir: str | Path | None = None) -> Course:
    """Load, validate and cross-check the course data (cached per folder)."""
    path = Path(data_dir) if data_dir is not None else default_data_dir()
    return _load_cached(path.resolve())


def load_course_uncached(data_dir: Path) -> Course:
    """Load and check ``data_dir``. Problems outside the case files raise :class:`DataError`;
    a case file with problems only leaves that case out (:attr:`Course.disabled_cases`)."""
    problems: list[Problem] = []
    root = data_dir.parent

    def rel(path: Path) -> str:
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)

    def read(path: Path, model: type[M], found: list[Problem] = problems) -> M | None:
        raw = _read_yaml(path, rel(path), found)
        if raw is None:
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as err:
            found.extend(_explain(err, raw, rel(path)))
            return None

    actor_file = read(data_dir / "actor_types.yml", ActorTypesFile)
    org_file = read(data_dir / "organisations.yml", OrganisationsFile)
    sources_file = read(data_dir / "sources.yml", SourcesFile)
    policy = read(data_dir / "policy.yml", Policy)
    contacts = read(data_dir / "contacts.yml", Contacts)

    case_paths = sorted((data_dir / "cases").glob("*.yml"), key=_natural)
    if not case_paths:
        problems.append(Problem(rel(data_dir / "cases"), "", msg("data.no_cases")))
    case_files: list[_CaseFile] = []
    for path in case_paths:
        own: list[Problem] = []
        case = read(path, Case, own)
        case_files.append(_CaseFile(rel(path), case.id if case else _id_in(path), case, own))

    self_checks: dict[str, tuple[Question, ...]] = {}
    for path in sorted((data_dir / "self_checks").glob("*.yml")):
        quiz = read(path, SelfCheckFile)
        if quiz is None:
            continue
        if quiz.lesson != path.stem:
            problems.append(Problem(rel(path), msg("data.where_field", field="lesson"),
                                    msg("data.lesson_name", value=quiz.lesson, stem=path.stem)))
        for i, q in enumerate(quiz.questions, start=1):
            right = sum(a.correct for a in q.answers)
            if right == 0 or (q.type == "multiple_choice" and right != 1):
                problems.append(Problem(rel(path), _at(f"questions[{i}]", "answers"),
                                        msg("data.quiz_correct", type=q.type, n=right)))
        self_checks[quiz.lesson] = tuple(quiz.questions)

    if problems:
        raise DataError(problems + [p for c in case_files for p in c.problems])
    assert actor_file and org_file and sources_file and policy and contacts

    problems += _check_references(actor_file.actor_types, org_file.organisations, policy,
                                  {c.id for c in case_files}, rel(data_dir))
    if problems:
        raise DataError(problems + [p for c in case_files for p in c.problems])
    _check_cases(case_files, actor_file.actor_types, org_file.organisations, policy)
    for entry in case_files:
        if entry.case is not None and not entry.case.from_pamphlet:
            for kind in ("exercises", "self_checks"):
                path = data_dir / kind / f"{entry.id}.yml"
                entry.problems += _pamphlet_claims(path, rel(path), entry.case)
    usable = [c.case for c in case_files if c.case is not None and not c.problems]
    return Course(
        actor_types=tuple(actor_file.actor_types),
        organisations=tuple(org_file.organisations),
        cases=tuple(sorted(usable, key=lambda c: c.number)),
        policy=policy,
        contacts=contacts,
        sources=tuple(sources_file.sources),
        self_checks=self_checks,
        disabled_cases=tuple(DisabledCase(c.id, c.file, tuple(c.problems)) for c in case_files if c.problems),
    )


def _pamphlet_claims(path: Path, name: str, case: Case) -> list[Problem]:
    """Lines of a lesson file of a case that is not the pamphlet's that still speak of the pamphlet.

    The exercises and self-checks of such a case would otherwise present its facts as the
    pamphlet's (a file copied from a pamphlet case keeps 「パンフレットによると」). Comments are skipped.
    """
    if not path.is_file():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return []  # reported where the file is read
    return [Problem(name, msg("data.line_exact", line=n), msg("data.pamphlet_claim", id=case.id,
                                                              source=case_heading(case)))
            for n, line in enumerate(lines, start=1)
            if "パンフレット" in line and not line.lstrip().startswith("#")]


@dataclass
class _CaseFile:
    """One file of ``data/cases/`` while it is checked: its case (if it could be read) and its problems."""

    file: str
    id: str
    case: Case | None
    problems: list[Problem]


def _natural(path: Path) -> tuple[Any, ...]:
    """Sort key that puts ``case2.yml`` before ``case10.yml``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"([0-9]+)", path.name))


def _id_in(path: Path) -> str:
    """The ``id`` a case file that cannot be used gives, else its file name (``case6`` for ``case6.yml``)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError, OSError):
        return path.stem
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and value else path.stem


def load_lesson_data(lesson_id: str, model: type[M], data_dir: str | Path | None = None) -> M:
    """Load ``data/lessons/<lesson_id>.yml``: the material of one lesson's exercises.

    Validated with ``model`` (a :class:`pydantic.BaseModel` that forbids
    unknown fields) and reported like the rest of the data. References to
    cases and organisations are checked by the lesson module, which knows
    what its fields mean (see :func:`check_refs`).
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    path = folder / "lessons" / f"{lesson_id}.yml"
    name = f"{folder.name}/lessons/{path.name}"
    problems: list[Problem] = []
    raw = _read_yaml(path, name, problems)
    if raw is not None:
        try:
            return model.model_validate(raw)
        except ValidationError as err:
            problems.extend(_explain(err, raw, name))
    raise DataError(problems)


def check_refs(file: str, where: str, values: Iterable[str], known: Iterable[str]) -> list[Problem]:
    """Problems for every value that is not among ``known`` (for lesson data cross-checks)."""
    known_set = set(known)
    listed = ", ".join(sorted(known_set))
    return [Problem(file, where, msg("data.unknown_ref", value=v, known=listed)) for v in values if v not in known_set]


def _read_yaml(path: Path, name: str, problems: list[Problem]) -> Any:
    if not path.is_file():
        problems.append(Problem(name, "", msg("data.missing_file")))
        return None
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except UnicodeDecodeError:
        problems.append(Problem(name, "", msg("data.not_utf8")))
        return None
    except yaml.YAMLError as err:
        problems.append(_yaml_problem(err, text, name))
        return None
    if raw is None:
        problems.append(Problem(name, "", msg("data.empty_file")))
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(name, "", msg("data.not_mapping")))
        return None
    return raw


def _yaml_problem(err: yaml.YAMLError, text: str, name: str) -> Problem:
    """A YAML syntax error as a problem on the line an editor has to fix.

    PyYAML reports where it gave up (``problem_mark``), which for an unclosed
    quote or bracket is the end of the file or a later line. The opening line is
    its ``context_mark`` (or, for a quote closed by the next quote some lines
    later, the start of the quoted text that runs over several lines). A tab
    character, which YAML does not allow for indentation, is named as such.
    """
    problem_mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    context = str(getattr(err, "context", "") or "")
    if problem_mark is not None and text[problem_mark.index:problem_mark.index + 1] == "\t":
        return Problem(name, msg("data.line_column", line=problem_mark.line + 1, column=problem_mark.column + 1),
                       msg("data.yaml_tab"))
    if context_mark is not None and "quoted scalar" in context:
        quote = text[context_mark.index:context_mark.index + 1]
        return Problem(name, msg("data.line_exact", line=context_mark.line + 1), msg("data.yaml_quote", quote=quote))
    if context_mark is not None and "flow" in context:  # an unclosed [ or {
        bracket = text[context_mark.index:context_mark.index + 1]
        return Problem(name, msg("data.line_exact", line=context_mark.line + 1),
                       msg("data.yaml_bracket", bracket=bracket))
    if problem_mark is not None:
        opened = _quote_running_into(text, problem_mark.line)
        if opened is not None:
            line, quote = opened
            return Problem(name, msg("data.line_exact", line=line + 1), msg("data.yaml_quote", quote=quote))
        tab = next((n for n, row in enumerate(text.splitlines()) if "\t" in row[: len(row) - len(row.lstrip())]),
                   None)
        if tab is not None:  # a tab in an indentation may be what misled the parser
            return Problem(name, msg("data.line_exact", line=tab + 1), msg("data.yaml_tab"))
        return Problem(name, msg("data.line", line=problem_mark.line + 1), msg("data.yaml_syntax"))
    return Problem(name, "", msg("data.yaml_syntax"))


def _quote_running_into(text: str, line: int) -> tuple[int, str] | None:
    """``(line, quote)`` of a quoted text that opens on an earlier line and ends on ``line`` (0-based).

    The course's texts are one line each, so such a text is almost always a
    quote left open, closed by accident by the first quote of a later line.
    """
    found = None
    try:
        for token in yaml.scan(text):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                if token.start_mark.line < token.end_mark.line == line:
                    found = (token.start_mark.line, str(token.style))
            if token.start_mark.line > line:
                break
    except yaml.YAMLError:
        pass
    return found


_ERROR_KEYS = {
    "missing": "data.err.missing",
    "extra_forbidden": "data.err.extra",
    "string_type": "data.err.string",
    "string_too_short": "data.err.empty",
    "string_pattern_mismatch": "data.err.id_pattern",
    "int_type": "data.err.int",
    "int_parsing": "data.err.int",
    "int_from_float": "data.err.int",
    "float_type": "data.err.number",
    "float_parsing": "data.err.number",
    "bool_type": "data.err.bool",
    "bool_parsing": "data.err.bool",
    "list_type": "data.err.list",
    "model_type": "data.err.mapping",
    "dict_type": "data.err.mapping",
    "too_short": "data.err.too_short",
    "greater_than_equal": "data.err.ge",
    "greater_than": "data.err.gt",
    "less_than": "data.err.lt",
    "literal_error": "data.err.literal",
    "union_tag_invalid": "data.err.kind",
    "union_tag_not_found": "data.err.kind_missing",
}


def _explain(err: ValidationError, raw: Any, file: str) -> list[Problem]:
    """Turn pydantic's errors into plain-Japanese problems."""
    problems = []
    for e in err.errors():
        loc = tuple(e["loc"])
        ctx = {k: str(v) for k, v in (e.get("ctx") or {}).items()}
        key = _ERROR_KEYS.get(e["type"])
        if e["type"] == "value_error":  # a model's own check, already worded for people
            text = str(e["ctx"]["error"]) if "error" in (e.get("ctx") or {}) else e["msg"]
        else:
            text = msg(key, **ctx) if key else e["msg"]
        problems.append(Problem(file, _where(loc, raw), text))
    return problems


def _where(loc: tuple[Any, ...], raw: Any) -> str:
    """Describe a location like ``flows[2] (id: report) の項目 'target'``."""
    if len(loc) > 1 and isinstance(loc[-1], str):  # a check of a whole tagged entry ends with its tag: drop it
        node: Any = raw
        for part in loc[:-1]:
            if isinstance(node, dict) and isinstance(part, str) and part not in node and node.get("kind") == part:
                continue
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if isinstance(node, dict) and loc[-1] not in node and node.get("kind") == loc[-1]:
            loc = loc[:-1]
    entry_parts: list[str] = []
    node = raw
    entry_id = None
    for part in loc[:-1]:
        if isinstance(node, dict) and isinstance(part, str) and part not in node and node.get("kind") == part:
            continue  # the tag pydantic adds for a discriminated union, not a key of the file
        if isinstance(part, int):
            entry_parts[-1] = f"{entry_parts[-1]}[{part + 1}]" if entry_parts else f"[{part + 1}]"
        else:
            entry_parts.append(str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            entry_id = node["id"]
    entry = ".".join(entry_parts)
    fieldname = str(loc[-1]) if loc else ""
    if isinstance(loc[-1] if loc else None, int):
        return msg("data.where_item", entry=entry, n=loc[-1] + 1)
    if entry and entry_id:
        return msg("data.where_entry_id", entry=entry, id=entry_id, field=fieldname)
    if entry:
        return msg("data.where_entry", entry=entry, field=fieldname)
    return msg("data.where_field", field=fieldname)


def duplicates(ids: Iterable[H]) -> list[H]:
    """Values that occur more than once, sorted (for "id ... is used twice" problems)."""
    return sorted(i for i, n in Counter(ids).items() if n > 1)  # type: ignore[type-var]


def _at(entry: str, field: str | None = None, entry_id: str | None = None) -> str:
    """A location inside a file, worded like the ones :func:`_where` gives."""
    if field is None:
        return f"{entry} (id: {entry_id})" if entry_id else entry
    if entry_id:
        return msg("data.where_entry_id", entry=entry, id=entry_id, field=field)
    return msg("data.where_entry", entry=entry, field=field)


def _check_references(
    actor_types: Sequence[ActorType],
    organisations: Sequence[Organisation],
    policy: Policy,
    case_ids: set[str],
    data_name: str,
) -> list[Problem]:
    """Checks that need more than one file, outside the case files: unique ids and valid references.

    ``case_ids`` holds every case file's id, usable or not: the policy may name a
    case that is left out for problems of its own (those are the case's problems).
    """
    problems: list[Problem] = []
    at_file = f"{data_name}/actor_types.yml"
    org_file = f"{data_name}/organisations.yml"
    pol_file = f"{data_name}/policy.yml"

    for dup in duplicates(t.id for t in actor_types):
        problems.append(Problem(at_file, f"id: {dup}", msg("data.dup_id", id=dup)))
    for dup in duplicates(o.id for o in organisations):
        problems.append(Problem(org_file, f"id: {dup}", msg("data.dup_id", id=dup)))

    type_ids = {t.id for t in actor_types}
    kind_ids = {k.id for k in policy.resource_kinds}

    for i, org in enumerate(organisations, start=1):
        entry = f"organisations[{i}]"
        if org.type not in type_ids:
            problems.append(
                Problem(org_file, _at(entry, "type", org.id),
                        msg("data.unknown_type", value=org.type, known=", ".join(sorted(type_ids))))
            )
        for dup in duplicates(s.id for s in org.strengths):
            problems.append(Problem(org_file, _at(entry, "strengths", org.id), msg("data.dup_id", id=dup)))
        for s in org.strengths:
            if s.resource is not None and s.resource not in kind_ids:
                problems.append(
                    Problem(org_file, _at(f"{entry}.strengths", "resource", s.id),
                            msg("data.unknown_resource", value=s.resource, known=", ".join(sorted(kind_ids))))
                )

    for i, vp in enumerate(policy.viewpoints, start=1):
        for cid in vp.cases:
            if cid not in case_ids:
                problems.append(
                    Problem(pol_file, _at(f"viewpoints[{i}]", "cases", vp.id),
                            msg("data.unknown_case", value=cid, known=", ".join(sorted(case_ids))))
                )
    return problems


def _check_cases(
    case_files: Sequence[_CaseFile],
    actor_types: Sequence[ActorType],
    organisations: Sequence[Organisation],
    policy: Policy,
) -> None:
    """Add to each case file the problems of its references and of ids or numbers another file also uses.

    Of two files with the same id or number, the first (in the order of the
    file names: ``case2`` before ``case10``) keeps it; the problem, naming both
    files, goes to the later one, which is left out.
    """
    type_ids = {t.id for t in actor_types}
    kind_ids = {k.id for k in policy.resource_kinds}
    viewpoint_ids = {v.id for v in policy.viewpoints}
    org_ids = {o.id for o in organisations}
    for entry in case_files:
        case = entry.case
        if case is None:
            continue
        entry.problems += _check_case(entry.file, case, org_ids, kind_ids, viewpoint_ids)
        for value in case.combination_types:
            if value not in type_ids:
                entry.problems.append(Problem(entry.file, msg("data.where_field", field="combination_types"),
                                              msg("data.unknown_type", value=value, known=", ".join(sorted(type_ids)))))
    readable = [e for e in case_files if e.case is not None]
    for field_name, key in (("id", "data.dup_case"), ("number", "data.dup_number")):
        first: dict[str, _CaseFile] = {}
        for entry in readable:
            value = str(getattr(entry.case, field_name))
            if value not in first:
                first[value] = entry
                continue
            files = msg("data.files_and", first=first[value].file, second=entry.file)
            entry.problems.append(Problem(entry.file, f"{field_name}: {value}",
                                          msg(key, id=value, n=value, files=files)))


def _check_case(
    file: str, case: Case, org_ids: set[str], kind_ids: set[str], viewpoint_ids: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    if case.viewpoint not in viewpoint_ids:
        problems.append(
            Problem(file, msg("data.where_field", field="viewpoint"),
                    msg("data.unknown_viewpoint", value=case.viewpoint, known=", ".join(sorted(viewpoint_ids))))
        )
    members = [p.org for p in case.participants]
    for dup in duplicates(members):
        problems.append(Problem(file, "participants", msg("data.dup_participant", id=dup)))
    for i, p in enumerate(case.participants, start=1):
        if p.org not in org_ids:
            problems.append(
                Problem(file, _at(f"participants[{i}]", "org"), msg("data.unknown_org", value=p.org))
            )
    for dup in duplicates(a.id for p in case.participants for a in p.activities):
        problems.append(Problem(file, "participants.activities", msg("data.dup_id", id=dup)))
    for dup in duplicates(f.id for f in case.flows):
        problems.append(Problem(file, "flows", msg("data.dup_id", id=dup)))
    member_set = set(members)
    names = ", ".join(members)
    for i, flow in enumerate(case.flows, start=1):
        entry = f"flows[{i}]"
        for end in ("source", "target"):
            value = getattr(flow, end)
            if value not in member_set:
                problems.append(
                    Problem(file, _at(entry, end, flow.id),
                            msg("data.flow_not_participant", value=value, known=names))
                )
        if flow.source == flow.target:
            problems.append(Problem(file, _at(entry, None, flow.id), msg("data.flow_self", value=flow.source)))
    for dup in duplicates((f.source, f.target, f.item) for f in case.flows):
        problems.append(Problem(file, "flows", msg("data.dup_flow", item=dup[2])))
    oo = case.outcome_orientation
    if oo is not None:
        if oo.partner not in member_set:
            problems.append(
                Problem(file, _at("outcome_orientation", "partner"),
                        msg("data.flow_not_participant", value=oo.partner, known=names))
            )
        for j, miss in enumerate(oo.missing, start=1):
            if miss.resource not in kind_ids:
                problems.append(
                    Problem(file, _at(f"outcome_orientation.missing[{j}]", "resource"),
                            msg("data.unknown_resource", value=miss.resource, known=", ".join(sorted(kind_ids))))
                )
    return problems
