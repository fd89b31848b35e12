"""Logic of the resource-gap finder: purpose → needs → what we have → what is missing → who holds it.

The basic policy's outcome orientation asks, in order: what is the
purpose, what is needed to reach it, which of those needs are missing,
and which actor holds what is missing (knowledge and skills, human
networks, facilities and equipment). The learner writes a purpose and
needs in their own words, marks each need as something they have or
something missing (with its kind), and :meth:`GapFinder.check` suggests,
for every missing kind, the actor types that hold that kind of resource,
each with its evidence from the cases: the organisation, the case (and
its source: the pamphlet's page, or the other publication, or 架空の例) and
the strength the case states.

Evidence comes only from the course data: organisations' strengths that
carry a ``resource`` kind, and the cases those organisations take part
in. The module knows nothing about one lesson, so other lessons (e.g. a
capstone) can reuse it. :func:`task_of` builds the finder of a registry entry
(``kind: gap_finder``) and :func:`board_tallier` counts the room's answers for
the room board. No widgets here: see :mod:`kyodo.widgets.gap_finder`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..citation import case_ref, cases_count, cases_phrase
from ..data import Course
from ..text import clean_text, msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tallier
    from ..registry import BuiltSpec
    from ..solutions import Table

Status = Literal["have", "missing"]
STATUSES: tuple[Status, ...] = ("have", "missing")
MEANS_WORDS = ("協働", "連携")
"""Words that, in a purpose, suggest the means has been taken for the end."""


@dataclass(frozen=True)
class Evidence:
    """One fact from a case: this organisation, in this case, holds this resource."""

    type_id: str
    type_name: str
    org_id: str
    org_name: str
    case_id: str
    case_number: int
    source: str
    """The case and where it comes from: ``CASE3 (P4)`` for the pamphlet, any other source in full
    (see :func:`kyodo.citation.case_ref`)."""
    strength: str


@dataclass(frozen=True)
class TypeSuggestion:
    type_id: str
    type_name: str
    evidence: tuple[Evidence, ...]
    own: bool = False
    """The learner's own type: perhaps another department or group of the same kind."""


def evidence_index(course: Course) -> dict[str, list[Evidence]]:
    """Every resource kind → the evidence for it, in case order, then the organisation's order in the case."""
    index: dict[str, list[Evidence]] = {k.id: [] for k in course.policy.resource_kinds}
    for case in course.cases:
        for participant in case.participants:
            org = course.org(participant.org)
            kind_type = course.actor_type(org.type)
            for strength in org.strengths:
                if strength.resource is None:
                    continue
                index[strength.resource].append(Evidence(kind_type.id, kind_type.name, org.id, org.name, case.id,
                                                         case.number, case_ref(case), strength.text))
    return index


def evidence_note(course: Course) -> str:
    """The note under the table of evidence: where the evidence comes from, with the cases counted by source."""
    return msg("gap.table_note", cases=cases_phrase(course.cases))


def without_note(course: Course, types: list[str] | tuple[str, ...]) -> str:
    """The note for actor types the cases give no evidence for (which is not evidence that they lack it)."""
    return msg("gap.no_evidence_types", types="、".join(types), cases=cases_count(course.cases))


def suggest(course: Course, kind_id: str, own_type: str | None = None,
            index: dict[str, list[Evidence]] | None = None) -> list[TypeSuggestion]:
    """Actor types that hold resources of ``kind_id`` in the cases, in the order of the actor types.

    ``index``: :func:`evidence_index` of ``course``, when the caller has it already.
    """
    evidence = (index if index is not None else evidence_index(course)).get(kind_id, [])
    found = []
    for actor_type in course.actor_types:
        mine = tuple(e for e in evidence if e.type_id == actor_type.id)
        if mine:
            found.append(TypeSuggestion(actor_type.id, actor_type.name, mine, own=actor_type.id == own_type))
    return found


def types_without_evidence(course: Course, kind_id: str, index: dict[str, list[Evidence]] | None = None) -> list[str]:
    """Names of the policy's actor types for which the cases give no evidence of this kind."""
    held = {s.type_id for s in suggest(course, kind_id, index=index)}
    return [t.name for t in course.policy_types if t.id not in held]


@dataclass
class NeedRow:
    text: str = ""
    status: Status | None = None
    kind: str | None = None

    @property
    def filled(self) -> bool:
        return bool(self.text or self.status or self.kind)


@dataclass(frozen=True)
class RowResult:
    number: int
    row: NeedRow
    ok: bool
    message: str
    suggestions: tuple[TypeSuggestion, ...] = ()
    without: tuple[str, ...] = ()
    """Actor types for which the cases hold no evidence of this kind."""
    code: str = ""
    """What the row is: ``have`` or ``missing`` (ok), or its problem: ``row_no_text``, ``row_no_status``,
    ``row_no_kind``, ``need_duplicate``."""


@dataclass(frozen=True)
class GapCheck:
    rows: tuple[RowResult, ...]
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    missing: int
    codes: tuple[str, ...] = ()
    """The problems and notes that belong to no row, by code: ``no_purpose``, ``no_needs`` (problems),
    ``purpose_means``, ``nothing_missing``, ``nothing_had`` (notes)."""

    @property
    def complete(self) -> bool:
        return not self.problems and self.missing > 0

    @property
    def summary(self) -> str:
        if self.complete:
            return msg("gap.summary_complete", n=self.missing)
        if not self.rows and self.problems:
            return msg("gap.summary_empty")
        return msg("gap.summary_progress", problems=len(self.problems))


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass
class GapFinder:
    """One learner's purpose, needs and gaps, checked against the policy's kinds of resources."""

    course: Course
    n_rows: int = 6
    text_limit: int = 100
    purpose_limit: int = 200
    purpose: str = ""
    own_type: str | None = None
    rows: list[NeedRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.n_rows < 1:
            raise ValueError(msg("gap.bad_rows"))
        self.rows = [NeedRow() for _ in range(self.n_rows)]
        self.kind_ids = [k.id for k in self.course.policy.resource_kinds]
        self.type_ids = [t.id for t in self.course.policy_types]
        self._evidence: dict[str, list[Evidence]] | None = None

    @property
    def evidence(self) -> dict[str, list[Evidence]]:
        """:func:`evidence_index` of the course, worked out once (the course data does not change)."""
        if self._evidence is None:
            self._evidence = evidence_index(self.course)
        return self._evidence

    # --- editing (every setter refuses what does not fit) --------------------
    def _clean(self, text: Any, limit: int) -> tuple[str, str | None]:
        if not isinstance(text, str):
            return "", msg("gap.cleaned")
        flat = text.replace("\n", " ").replace("\t", " ")
        cleaned, cut = clean_text(flat, limit)
        if cut:
            return cleaned.strip(), msg("gap.too_long", n=limit)
        if cleaned != flat:
            return cleaned.strip(), msg("gap.cleaned")
        return cleaned.strip(), None

    def set_purpose(self, text: Any) -> str | None:
        self.purpose, notice = self._clean(text, self.purpose_limit)
        return notice

    def set_own_type(self, type_id: str | None) -> bool:
        if type_id is not None and type_id not in self.type_ids:
            return False
        self.own_type = type_id
        return True

    def _row(self, index: int) -> NeedRow | None:
        return self.rows[index] if isinstance(index, int) and 0 <= index < len(self.rows) else None

    def set_text(self, index: int, text: Any) -> str | None:
        row = self._row(index)
        if row is None:
            return msg("gap.bad_row")
        row.text, notice = self._clean(text, self.text_limit)
        return notice

    def set_status(self, index: int, status: str | None) -> bool:
        row = self._row(index)
        if row is None or (status is not None and status not in STATUSES):
            return False
        row.status = status  # type: ignore[assignment]
        return True

    def set_kind(self, index: int, kind: str | None) -> bool:
        row = self._row(index)
        if row is None or (kind is not None and kind not in self.kind_ids):
            return False
        row.kind = kind
        return True

    def reset(self) -> None:
        self.purpose = ""
        self.own_type = None
        self.rows = [NeedRow() for _ in range(self.n_rows)]

    @property
    def answered(self) -> int:
        return sum(r.filled for r in self.rows) + bool(self.purpose) + (self.own_type is not None)

    # --- checking -------------------------------------------------------------------
    def kind_name(self, kind_id: str) -> str:
        return self.course.resource_kind_name(kind_id)

    def check(self) -> GapCheck:
        problems: list[str] = []
        notes: list[str] = []
        codes: list[str] = []
        if not self.purpose:
            problems.append(msg("gap.no_purpose"))
            codes.append("no_purpose")
        elif any(w in self.purpose for w in MEANS_WORDS):
            notes.append(msg("gap.purpose_means"))
            codes.append("purpose_means")
        results: list[RowResult] = []
        seen: dict[str, int] = {}
        for number, row in enumerate(self.rows, start=1):
            if not row.filled:
                continue
            result = self._judge_row(number, row)
            if row.text:
                key = _normal(row.text)
                if key in seen:
                    result = RowResult(number, row, False, msg("gap.duplicate", n=number, first=seen[key]),
                                       code="need_duplicate")
                else:
                    seen[key] = number
            if not result.ok:
                problems.append(result.message)
            results.append(result)
        filled = [r for r in results if r.row.text]
        if not filled:
            problems.append(msg("gap.no_needs"))
            codes.append("no_needs")
        else:
            if not any(r.row.status == "missing" for r in filled):
                notes.append(msg("gap.nothing_missing"))
                codes.append("nothing_missing")
            if not any(r.row.status == "have" for r in filled):
                notes.append(msg("gap.nothing_had"))
                codes.append("nothing_had")
        missing = sum(1 for r in results if r.ok and r.row.status == "missing")
        return GapCheck(tuple(results), tuple(problems), tuple(notes), missing, tuple(codes))

    def _judge_row(self, number: int, row: NeedRow) -> RowResult:
        if not row.text:
            return RowResult(number, row, False, msg("gap.row_no_text", n=number), code="row_no_text")
        if row.status is None:
            return RowResult(number, row, False, msg("gap.row_no_status", n=number, text=row.text),
                             code="row_no_status")
        if row.status == "have":
            kind = msg("gap.row_kind", kind=self.kind_name(row.kind)) if row.kind else ""
            return RowResult(number, row, True, msg("gap.row_have", n=number, text=row.text, kind=kind), code="have")
        if row.kind is None:
            return RowResult(number, row, False, msg("gap.row_no_kind", n=number, text=row.text), code="row_no_kind")
        found = tuple(suggest(self.course, row.kind, self.own_type, self.evidence))
        types = "、".join(s.type_name for s in found) or msg("gap.no_types")
        return RowResult(number, row, True,
                         msg("gap.row_missing", n=number, text=row.text, kind=self.kind_name(row.kind), types=types),
                         found, tuple(types_without_evidence(self.course, row.kind, self.evidence)), "missing")

    def hint(self) -> str:
        """The next step of outcome orientation that is still open."""
        if not self.purpose:
            return msg("gap.hint_purpose")
        rows = [r for r in self.rows if r.filled]
        if not any(r.text for r in rows):
            return msg("gap.hint_needs")
        for number, row in enumerate(self.rows, start=1):
            if row.filled and row.text and row.status is None:
                return msg("gap.hint_status", n=number)
            if row.filled and row.status == "missing" and row.kind is None:
                clues = " / ".join(f"{k.name}: {k.clue}" for k in self.course.policy.resource_kinds)
                return msg("gap.hint_kind", n=number, clues=clues)
        if not any(r.status == "missing" for r in rows):
            return msg("gap.hint_missing")
        check = self.check()
        if check.problems:
            return check.problems[0]
        return msg("gap.hint_none")

    # --- saving and restoring ------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "own_type": self.own_type,
            "rows": [{"text": r.text, "status": r.status, "kind": r.kind} for r in self.rows],
        }

    def load_state(self, state: Any) -> int:
        """Restore a saved answer; what no longer fits is dropped. Returns how many entries came back."""
        self.reset()
        if not isinstance(state, dict):
            return 0
        if isinstance(state.get("purpose"), str):
            self.set_purpose(state["purpose"])
        own = state.get("own_type")
        if isinstance(own, str):
            self.set_own_type(own)
        rows = state.get("rows")
        if isinstance(rows, list):
            for i, saved in enumerate(rows[: self.n_rows]):
                if not isinstance(saved, dict):
                    continue
                if isinstance(saved.get("text"), str):
                    self.set_text(i, saved["text"])
                status, kind = saved.get("status"), saved.get("kind")
                if isinstance(status, str):
                    self.set_status(i, status)
                if isinstance(kind, str):
                    self.set_kind(i, kind)
        return self.answered


def answer_table(spec: Any, course: Course) -> Table:
    """The model answer of a ``gap_finder`` exercise: for every kind of resource, the actor types the check
    suggests, with their evidence from the cases, and the policy's types the cases give no evidence for."""
    from ..solutions import Table

    rows = []
    for kind in course.policy.resource_kinds:
        found = suggest(course, kind.id)
        types = "、".join(s.type_name for s in found) or msg("gap.no_types")
        evidence = " / ".join(msg("gap.evidence", source=e.source, org=e.org_name, strength=e.strength)
                              for s in found for e in s.evidence)
        rows.append((kind.name, types, evidence, "、".join(types_without_evidence(course, kind.id))))
    headers = (msg("gap.answer_col_kind"), msg("gap.col_type"), msg("gap.col_evidence"), msg("gap.answer_col_without"))
    return Table(headers, tuple(rows))


def task_of(spec: BuiltSpec, course: Course) -> GapFinder:
    """The (empty) finder of a registry entry (``kind: gap_finder``: the course data is all it needs)."""
    return GapFinder(course)


# --- the room board ------------------------------------------------------------------------

_CHECK_CODES: dict[str, tuple[str, Literal["wrong", "open"]]] = {
    "no_purpose": ("purpose", "wrong"), "purpose_means": ("purpose", "open"), "no_needs": ("need", "wrong"),
    "nothing_missing": ("need", "open"), "nothing_had": ("need", "open"),
}
"""The check's codes that belong to no row: the item they are shown under, and their verdict (notes are open)."""

ROW_PROBLEMS = ("row_no_text", "row_no_status", "row_no_kind", "need_duplicate")

BOARD_MARKS = ("free_text", "chosen", "suggested", *ROW_PROBLEMS, *_CHECK_CODES)
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""


def board_tallier(spec: BuiltSpec, course: Course) -> Tallier:
    """The board's tallier of a gap-finder entry: what the learners need, lack, and who could bring it.

    Items, in the order of the steps of outcome orientation:

    * ``purpose`` and ``need``: the learner's own words (:func:`~kyodo.board.tally.text_key`, ``free_text``,
      open), with what the check says about them by code (``no_purpose``, ``row_no_status``,
      ``need_duplicate`` ... wrong; ``purpose_means``, ``nothing_missing`` ... notes, open);
    * ``own_type``: the learner's own kind of actor (``chosen``, open);
    * ``have_kind`` and ``missing_kind``: the kind of resource of each need the learner has or lacks
      (``chosen``, open; a missing need with no kind is ``row_no_kind``, wrong);
    * ``partner_type``: the kinds of actor the check suggests for what is missing (``suggested``, open).

    There is no model answer (every learner writes about their own work), so ``expected`` is empty and
    nothing is marked accepted; ``finished`` is :attr:`GapCheck.complete`.
    """
    from ..board.tally import Given, TaskTallier, short_text, text_key

    task = task_of(spec, course)
    labels = {"purpose": msg("gap.purpose_label"), "own_type": msg("gap.own_label"),
              **{i: msg(f"board_mark.item_{i}") for i in ("need", "have_kind", "missing_kind", "partner_type")}}
    types = {t.id: t.name for t in course.policy_types}

    def own(item: str, text: str) -> Given:
        return Given(item, labels[item], text_key(text), short_text(text), "free_text", "open")

    def chosen(item: str, answer: str, label: str, mark: str = "chosen") -> Given:
        return Given(item, labels[item], answer, label, mark, "open")

    def code(item: str, mark: str, verdict: Literal["wrong", "open"]) -> Given:
        return Given(item, labels[item], mark, msg(f"board_mark.{mark}"), mark, verdict)

    def read(loaded: GapFinder) -> tuple[tuple[Given, ...], bool]:
        check = loaded.check()
        found: list[Given] = []
        if loaded.purpose:
            found.append(own("purpose", loaded.purpose))
        if loaded.own_type is not None:
            found.append(chosen("own_type", loaded.own_type, types.get(loaded.own_type, loaded.own_type)))
        for r in check.rows:
            if r.row.text:
                found.append(own("need", r.row.text))
            if r.code == "have" and r.row.kind:
                found.append(chosen("have_kind", r.row.kind, loaded.kind_name(r.row.kind)))
            elif r.code == "missing" and r.row.kind:
                found.append(chosen("missing_kind", r.row.kind, loaded.kind_name(r.row.kind)))
                found += [chosen("partner_type", s.type_id, s.type_name, "suggested") for s in r.suggestions]
            elif not r.ok:
                found.append(code("missing_kind" if r.code == "row_no_kind" else "need", r.code, "wrong"))
        found += [code(_CHECK_CODES[c][0], c, _CHECK_CODES[c][1]) for c in check.codes]
        return tuple(dict.fromkeys(found)), check.complete

    return TaskTallier(task, read, tuple(labels.items()))
