"""Logic of the logic-model builder: purpose → resources → activities → outputs → outcomes.

A logic model (after the W.K. Kellogg Foundation's *Logic Model
Development Guide*, as lesson 08 teaches it) writes down how a programme
is meant to work: what it is for, what goes in (resources), what is done
(activities), what the activities produce directly (outputs: how many
times a programme was held, who took part) and what should change
(outcomes). Each outcome carries a target in three parts: 何を (what is
measured), どのくらい (how much) and いつまでに (by when). Outputs are
counts of what was done, not changes, so they carry no target.

Which kinds a model has is a parameter: ``LogicModel(kinds=KINDS)`` (the
default) has all four; ``LogicModel(kinds=BASIC_KINDS)`` is the first
version's resource → activity → outcome, which the design sheet keeps.

Links (:data:`ALLOWED_LINKS`, limited to the model's kinds) run
left to right, one step or the activity's shortcut:

* resource → activity (the activity uses the resource);
* activity → output (what the activity produces directly);
* output → outcome (the change the output contributes to);
* activity → outcome (an outcome the activity leads to; an output in
  between is welcome but not required, so a three-kind model and a
  model saved before outputs existed read the same).

Nothing else: no resource → output/outcome (a resource works only through an
activity), nothing backwards, nothing within one column.

:meth:`LogicModel.check` finds what keeps the model from working:

* no purpose, or no resource / activity / outcome at all;
* an activity that reaches no outcome, neither directly nor through one
  of its outputs (collaboration, or counting, as an end in itself);
* an output that no activity produces;
* an outcome without a full target (one of the three parts missing);
* an outcome that no activity (or output) leads to;
* an entry taken from the suggestions and put in the wrong place
  (e.g. how many times a programme was held, written as an outcome
  rather than as an output);

and gives advice (not counted as problems): no output at all, an output
that leads to no outcome (a record worth keeping, but which change does
it serve?), a resource no activity uses, an activity with no resource,
a "how much" with no number in it.

The class is general: any purpose, any entries, any links. Lessons pass
suggestions (:class:`Candidate`) for their own case; a learner's own
design needs none. All learner text is cleaned of control characters and
limited in length here; widgets escape it when they show it.

A registry entry (``kind: logic_model``, e.g. ``case4-ex2``) carries its
suggestions as ``params`` (:class:`LogicModelParams`): :func:`candidates_of`
validates them, :func:`task_of` builds the entry's model, and
:func:`board_tallier` counts the room's models for the room board.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..data import DataError, Problem, duplicates
from ..models import Id, Strict, Text
from ..text import clean_text, msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tallier
    from ..data import Course
    from ..registry import BuiltSpec

KINDS = ("resource", "activity", "output", "outcome")
"""All kinds of entry, in the order the model reads (left to right): the default."""

BASIC_KINDS = ("resource", "activity", "outcome")
"""The kinds without outputs (the first version; the design sheet keeps them). Every model has these."""

PREFIX = {"resource": "r", "activity": "a", "output": "u", "outcome": "o"}
"""The letter that starts an entry's id (ids are saved, so these never change)."""

ALLOWED_LINKS = (("resource", "activity"), ("activity", "output"), ("output", "outcome"), ("activity", "outcome"))
"""(from, to) kinds an arrow may join, in the order the messages list them."""

MAX_PURPOSE = 120
MAX_TEXT = 80
MAX_TARGET = 60
MAX_PER_KIND = 8
MAX_LINKS = 40

FLAG_CODES = ("misplaced", "activity_no_outcome", "output_unreached", "outcome_no_target",
              "outcome_partial_target", "outcome_unreached")
"""Problems that belong to one entry: the figure marks those entries 要確認."""

_ID = re.compile(rf"^[{''.join(PREFIX.values())}][0-9]{{1,3}}$")
_NUMBER = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万半全割%％]")


class Severity(str, Enum):
    PROBLEM = "problem"
    ADVICE = "advice"


@dataclass(frozen=True)
class Target:
    """何を・どのくらい・いつまでに: a target needs all three."""

    what: str = ""
    how_much: str = ""
    by_when: str = ""

    PARTS = ("what", "how_much", "by_when")

    def missing(self) -> list[str]:
        """The names of the parts that are empty (``what``, ``how_much``, ``by_when``)."""
        return [p for p in self.PARTS if not getattr(self, p).strip()]

    @property
    def complete(self) -> bool:
        return not self.missing()

    @property
    def empty(self) -> bool:
        return len(self.missing()) == len(self.PARTS)

    def describe(self) -> str:
        return msg("logic_model.target_text", what=self.what or "—", how_much=self.how_much or "—",
                   by_when=self.by_when or "—")


@dataclass(frozen=True)
class Candidate:
    """A suggestion a lesson offers: its text, where it belongs, and why, for when it is put elsewhere."""

    id: str
    text: str
    fits: str
    """``purpose``, one of :data:`KINDS`, or ``none`` (it belongs nowhere in the model).

    In a model without its kind (e.g. ``output`` in a :data:`BASIC_KINDS` model) it fits nowhere."""
    why: str
    example_target: Target | None = None
    """For outcomes: an example target for the hint (lessons label it 架空の例 when the source gives none)."""
    for_purpose: bool = False
    """Offered for the purpose box rather than as an entry."""


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    text: str
    target: Target = field(default_factory=Target)
    candidate: str | None = None
    """The id of the suggestion it came from, while its text is unchanged."""


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str
    entry_id: str | None = None


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message: str
    hint: str
    entry_id: str | None = None


@dataclass(frozen=True)
class LogicCheck:
    issues: tuple[Issue, ...]
    counts: dict[str, int]
    links: int

    @property
    def problems(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.PROBLEM)

    @property
    def advice(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ADVICE)

    @property
    def complete(self) -> bool:
        return not self.problems

    def flagged(self, code: str) -> set[str]:
        """Ids of the entries that have an issue with this code."""
        return {i.entry_id for i in self.issues if i.code == code and i.entry_id}

    @property
    def flagged_entries(self) -> set[str]:
        """Ids of the entries with a problem of their own (see :data:`FLAG_CODES`)."""
        return {i.entry_id for i in self.issues if i.code in FLAG_CODES and i.entry_id}

    @property
    def summary(self) -> str:
        if self.complete:
            return msg("logic_model.summary_complete", advice=len(self.advice))
        counts = "・".join(msg("logic_model.count_kind", kind=msg(f"logic_model.kind_{k}"), n=n)
                          for k, n in self.counts.items())
        return msg("logic_model.summary_progress", counts=counts, links=self.links,
                   problems=len(self.problems), advice=len(self.advice))


def _clean(value: object, limit: int) -> tuple[str, bool]:
    """Learner text: control characters removed, spaces tidied, cut to ``limit``. Returns (text, was_cut)."""
    if not isinstance(value, str):
        return "", False
    text, cut = clean_text(value, 10 * limit)
    text = " ".join(text.split())
    if len(text) > limit:
        return text[:limit].rstrip(), True  # cleaning the result again changes nothing (an import reads it back)
    return text, cut


def _same(a: str, b: str) -> bool:
    """Texts that differ only in width or spacing count as the same."""
    def norm(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split()).casefold()
    return norm(a) == norm(b)


class LogicModel:
    """One learner's logic model, with the rules for building and checking it."""

    def __init__(self, candidates: Sequence[Candidate] = (), kinds: Sequence[str] = KINDS):
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not set(BASIC_KINDS) <= set(kinds):
            raise ValueError(f"kinds must be {KINDS} or {BASIC_KINDS}, not {tuple(kinds)}")
        self.kinds = tuple(k for k in KINDS if k in kinds)  # in reading order, whatever order was passed
        self.allowed_links = tuple((a, b) for a, b in ALLOWED_LINKS if a in self.kinds and b in self.kinds)
        self.candidates = {c.id: c for c in candidates}
        self.purpose = ""
        self.purpose_candidate: str | None = None
        self.entries: list[Entry] = []
        self.links: list[tuple[str, str]] = []
        self._next = {k: 1 for k in self.kinds}
        self._hints = 0

    # --- looking things up -------------------------------------------------------------
    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def kind_name(self, kind: str) -> str:
        return msg(f"logic_model.kind_{kind}")

    def kind_long_name(self, kind: str) -> str:
        """The name with a short explanation, for menus and column heads (アウトプット (活動の直接の結果))."""
        return msg(f"logic_model.kind_long_{kind}")

    def kinds_text(self) -> str:
        """The model's kinds for messages: 資源・活動・アウトプット・成果."""
        return "・".join(self.kind_name(k) for k in self.kinds)

    def chain_text(self) -> str:
        """The reading order for messages: 資源 → 活動 → アウトプット → 成果."""
        return " → ".join(self.kind_name(k) for k in self.kinds)

    def links_text(self) -> str:
        """The arrows the model allows, for messages: 資源 → 活動、活動 → 成果."""
        return "、".join(f"{self.kind_name(a)} → {self.kind_name(b)}" for a, b in self.allowed_links)

    def sources_of(self, kind: str) -> list[str]:
        """The kinds an arrow into ``kind`` may come from, in reading order."""
        return [k for k in self.kinds if (k, kind) in self.allowed_links]

    def label(self, e: Entry) -> str:
        return msg("logic_model.entry_label", kind=self.kind_name(e.kind), text=e.text)

    def candidates_for(self, purpose: bool) -> list[Candidate]:
        """Suggestions for the purpose box (``purpose=True``) or for entries, in a fixed order."""
        return sorted((c for c in self.candidates.values() if c.for_purpose == purpose), key=lambda c: c.text)

    def _candidate_matching(self, text: str, candidate_id: str | None) -> str | None:
        cand = self.candidates.get(candidate_id or "")
        return cand.id if cand is not None and _same(cand.text, text) else None

    # --- building ----------------------------------------------------------------------
    def set_purpose(self, text: object, candidate_id: str | None = None) -> Result:
        cleaned, cut = _clean(text, MAX_PURPOSE)
        self.purpose = cleaned
        self.purpose_candidate = self._candidate_matching(cleaned, candidate_id)
        if not cleaned:
            return Result(True, msg("logic_model.purpose_cleared"))
        if cut:
            return Result(True, msg("logic_model.cut", n=MAX_PURPOSE))
        return Result(True, msg("logic_model.purpose_set"))

    def add(self, kind: object, text: object, target: Target | None = None,
            candidate_id: str | None = None) -> Result:
        """Add an entry of one of the model's kinds (with its target, for outcomes)."""
        if kind not in self.kinds:
            return Result(False, msg("logic_model.add_no_kind", kinds=self.kinds_text()))
        assert isinstance(kind, str)
        cleaned, cut = _clean(text, MAX_TEXT)
        if not cleaned:
            return Result(False, msg("logic_model.add_no_text"))
        if any(_same(e.text, cleaned) for e in self.of_kind(kind)):
            return Result(False, msg("logic_model.add_duplicate", kind=self.kind_name(kind), text=cleaned))
        if len(self.of_kind(kind)) >= MAX_PER_KIND:
            return Result(False, msg("logic_model.add_too_many", kind=self.kind_name(kind), n=MAX_PER_KIND))
        entry_id = f"{PREFIX[kind]}{self._next[kind]}"
        self._next[kind] += 1
        clean_target = self._clean_target(target) if kind == "outcome" and target is not None else Target()
        entry = Entry(entry_id, kind, cleaned, clean_target, self._candidate_matching(cleaned, candidate_id))
        self.entries.append(entry)
        text_ok = msg("logic_model.add_ok", entry=self.label(entry))
        if cut:
            text_ok += " " + msg("logic_model.cut", n=MAX_TEXT)
        if kind != "outcome" and target is not None and not target.empty:
            text_ok += " " + msg("logic_model.target_ignored")
        return Result(True, text_ok, entry_id)

    @staticmethod
    def _clean_target(target: Target) -> Target:
        return Target(*(_clean(getattr(target, p), MAX_TARGET)[0] for p in Target.PARTS))

    def set_target(self, entry_id: object, target: Target) -> Result:
        """Write (or rewrite) the target of an outcome."""
        e = self.entry(entry_id) if isinstance(entry_id, str) else None
        if e is None:
            return Result(False, msg("logic_model.target_pick"))
        if e.kind != "outcome":
            return Result(False, msg("logic_model.target_not_outcome", entry=self.label(e)))
        clean = self._clean_target(target)
        if clean.empty:
            return Result(False, msg("logic_model.target_empty"))
        self.entries[self.entries.index(e)] = replace(e, target=clean)
        return Result(True, msg("logic_model.target_ok", entry=self.label(e), target=clean.describe()), e.id)

    def remove(self, entry_id: object) -> Result:
        e = self.entry(entry_id) if isinstance(entry_id, str) else None
        if e is None:
            return Result(False, msg("logic_model.remove_none"))
        self.entries.remove(e)
        dropped = [link for link in self.links if e.id in link]
        self.links = [link for link in self.links if e.id not in link]
        text = msg("logic_model.remove_ok", entry=self.label(e))
        if dropped:
            text += " " + msg("logic_model.remove_links", n=len(dropped))
        return Result(True, text)

    def link(self, source: object, target: object) -> Result:
        """Draw an arrow between two entries, if the model allows it (see :data:`ALLOWED_LINKS`)."""
        if not source or not target:
            return Result(False, msg("logic_model.link_incomplete"))
        a = self.entry(source) if isinstance(source, str) else None
        b = self.entry(target) if isinstance(target, str) else None
        if a is None or b is None:
            return Result(False, msg("logic_model.link_unknown"))
        if a.id == b.id:
            return Result(False, msg("logic_model.link_self"))
        if (a.kind, b.kind) not in self.allowed_links:
            if (b.kind, a.kind) in self.allowed_links:
                return Result(False, msg("logic_model.link_reversed", source=self.label(a), target=self.label(b),
                                         chain=self.chain_text()))
            if a.kind == "resource" and b.kind in ("output", "outcome"):
                return Result(False, msg("logic_model.link_skip", target=self.kind_name(b.kind)))
            return Result(False, msg("logic_model.link_kinds", source=self.kind_name(a.kind),
                                     target=self.kind_name(b.kind), links=self.links_text()))
        if (a.id, b.id) in self.links:
            return Result(False, msg("logic_model.link_duplicate"))
        if len(self.links) >= MAX_LINKS:
            return Result(False, msg("logic_model.link_too_many", n=MAX_LINKS))
        self.links.append((a.id, b.id))
        return Result(True, msg("logic_model.link_ok", source=a.text, target=b.text))

    def unlink(self, source: object, target: object) -> Result:
        pair = (source, target)
        if pair not in self.links:
            return Result(False, msg("logic_model.unlink_none"))
        self.links.remove(pair)  # type: ignore[arg-type]
        return Result(True, msg("logic_model.unlink_ok"))

    def describe_link(self, link: tuple[str, str]) -> str:
        a, b = self.entry(link[0]), self.entry(link[1])
        return msg("logic_model.link_text", source=a.text if a else "?", target=b.text if b else "?")

    def reset(self) -> None:
        self.purpose = ""
        self.purpose_candidate = None
        self.entries.clear()
        self.links.clear()
        self._next = {k: 1 for k in self.kinds}

    @property
    def size(self) -> int:
        """How much the learner has built (what a reset would undo)."""
        return len(self.entries) + len(self.links) + (1 if self.purpose else 0)

    @property
    def answered(self) -> int:
        """The :class:`~kyodo.widgets.common.Task` name of :attr:`size`."""
        return self.size

    # --- checking ----------------------------------------------------------------------
    def check(self) -> LogicCheck:
        issues: list[Issue] = []
        out_of = {e.id: [b for a, b in self.links if a == e.id] for e in self.entries}
        into = {e.id: [a for a, b in self.links if b == e.id] for e in self.entries}
        kind_of = {e.id: e.kind for e in self.entries}
        text_of = {e.id: e.text for e in self.entries}

        if not self.purpose:
            issues.append(Issue("no_purpose", Severity.PROBLEM, msg("logic_model.no_purpose"),
                                msg("logic_model.hint_no_purpose")))
        elif self.purpose_candidate and self.candidates[self.purpose_candidate].fits != "purpose":
            why = self.candidates[self.purpose_candidate].why
            issues.append(Issue("misplaced_purpose", Severity.PROBLEM, msg("logic_model.misplaced_purpose", why=why),
                                msg("logic_model.hint_misplaced_purpose")))
        wrong_place = [(e, self.candidates[e.candidate]) for e in self.entries
                       if e.candidate in self.candidates and self.candidates[e.candidate].fits != e.kind]
        misplaced = {e.id for e, _ in wrong_place}
        # an entry in the wrong place is to be moved, not completed: say nothing more about it
        placed = [e for e in self.entries if e.id not in misplaced]

        def of_kind(kind: str) -> list[Entry]:
            return [e for e in placed if e.kind == kind]

        for kind in self.kinds:
            if not of_kind(kind):
                # outputs are welcome but not required: an activity may lead straight to an outcome
                severity = Severity.ADVICE if kind == "output" else Severity.PROBLEM
                issues.append(Issue(f"no_{kind}", severity, msg(f"logic_model.no_{kind}"),
                                    msg(f"logic_model.hint_no_{kind}")))
        for e, cand in wrong_place:
            issues.append(Issue("misplaced", Severity.PROBLEM,
                                msg("logic_model.misplaced", entry=self.label(e), why=cand.why),
                                msg("logic_model.hint_misplaced", entry=self.label(e)), e.id))
        with_outputs = "output" in self.kinds
        for e in of_kind("activity"):
            outputs = [b for b in out_of[e.id] if kind_of[b] == "output"]
            reaches = any(kind_of[b] == "outcome" for b in out_of[e.id]) or any(
                kind_of[c] == "outcome" for b in outputs for c in out_of[b])
            if reaches:
                continue
            if outputs:  # it produces outputs, but none of them leads on to a change
                names = "」「".join(text_of[b] for b in outputs)
                issues.append(Issue("activity_no_outcome", Severity.PROBLEM,
                                    msg("logic_model.activity_output_dead_end", text=e.text, outputs=names),
                                    msg("logic_model.hint_activity_output_dead_end", text=e.text, outputs=names),
                                    e.id))
            else:
                hint = "hint_activity_no_outcome_or_output" if with_outputs else "hint_activity_no_outcome"
                issues.append(Issue("activity_no_outcome", Severity.PROBLEM,
                                    msg("logic_model.activity_no_outcome", text=e.text),
                                    msg(f"logic_model.{hint}", text=e.text), e.id))
        for e in of_kind("output"):
            if not into[e.id]:
                issues.append(Issue("output_unreached", Severity.PROBLEM,
                                    msg("logic_model.output_unreached", text=e.text),
                                    msg("logic_model.hint_output_unreached", text=e.text), e.id))
        sources = "・".join(self.kind_name(k) for k in self.sources_of("outcome"))
        for e in of_kind("outcome"):
            missing = e.target.missing()
            if missing:
                parts = "・".join(msg(f"logic_model.part_{p}") for p in missing)
                code = "outcome_no_target" if len(missing) == len(Target.PARTS) else "outcome_partial_target"
                example = self._example_hint(e)
                issues.append(Issue(code, Severity.PROBLEM,
                                    msg(f"logic_model.{code}", text=e.text, parts=parts),
                                    msg("logic_model.hint_target", text=e.text) + example, e.id))
            if not into[e.id]:
                issues.append(Issue("outcome_unreached", Severity.PROBLEM,
                                    msg("logic_model.outcome_unreached", text=e.text, sources=sources),
                                    msg("logic_model.hint_outcome_unreached", text=e.text, sources=sources), e.id))
            if e.target.how_much and not _NUMBER.search(e.target.how_much):
                issues.append(Issue("how_much_vague", Severity.ADVICE,
                                    msg("logic_model.how_much_vague", text=e.text, how_much=e.target.how_much),
                                    msg("logic_model.hint_how_much"), e.id))
        for e in of_kind("output"):
            if into[e.id] and not out_of[e.id]:
                issues.append(Issue("output_no_outcome", Severity.ADVICE,
                                    msg("logic_model.output_no_outcome", text=e.text),
                                    msg("logic_model.hint_output_no_outcome", text=e.text), e.id))
        for e in of_kind("resource"):
            if not out_of[e.id]:
                issues.append(Issue("resource_unused", Severity.ADVICE, msg("logic_model.resource_unused", text=e.text),
                                    msg("logic_model.hint_resource_unused", text=e.text), e.id))
        for e in of_kind("activity"):
            if not into[e.id]:
                issues.append(Issue("activity_no_resource", Severity.ADVICE,
                                    msg("logic_model.activity_no_resource", text=e.text),
                                    msg("logic_model.hint_activity_no_resource", text=e.text), e.id))
        counts = {k: len(self.of_kind(k)) for k in self.kinds}
        return LogicCheck(tuple(issues), counts, len(self.links))

    def _example_hint(self, e: Entry) -> str:
        cand = self.candidates.get(e.candidate or "")
        if cand is None or cand.example_target is None:
            return ""
        return " " + msg("logic_model.hint_example", target=cand.example_target.describe())

    def hint(self) -> str:
        """The hint for the first problem (or, when there is none, the first piece of advice)."""
        check = self.check()
        first = (check.problems or check.advice or (None,))[0]
        return first.hint if first is not None else msg("logic_model.hint_none")

    # --- text for screen readers ----------------------------------------------------------
    def describe(self) -> str:
        """The whole model in words: the alternative text of its figure."""
        lines = [msg("logic_model.alt_purpose", purpose=self.purpose or msg("logic_model.alt_none"))]
        for kind in self.kinds:
            entries = self.of_kind(kind)
            names = "、".join(e.text for e in entries) or msg("logic_model.alt_none")
            lines.append(msg("logic_model.alt_kind", kind=self.kind_name(kind), entries=names))
        for e in self.of_kind("outcome"):
            if not e.target.empty:
                lines.append(msg("logic_model.alt_target", text=e.text, target=e.target.describe()))
        if self.links:
            lines += [self.describe_link(link) for link in self.links]
        else:
            lines.append(msg("logic_model.alt_no_links"))
        flagged = self.check().flagged_entries
        if flagged:
            names = "、".join(e.text for e in self.entries if e.id in flagged)
            lines.append(msg("logic_model.alt_flagged", entries=names))
        return "\n".join(lines)

    # --- saving and restoring ----------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "purpose_candidate": self.purpose_candidate,
            "entries": [{"id": e.id, "kind": e.kind, "text": e.text, "candidate": e.candidate,
                         "target": [e.target.what, e.target.how_much, e.target.by_when]} for e in self.entries],
            "links": [list(link) for link in self.links],
        }

    def load_state(self, state: Any) -> int:
        """Restore a model saved by :meth:`to_state`; anything that does not fit is dropped.

        Returns how many things (purpose, entries, links) were restored.
        """
        self.reset()
        if not isinstance(state, dict):
            return 0
        n = 0
        purpose = state.get("purpose")
        if isinstance(purpose, str) and purpose:
            cand = state.get("purpose_candidate")
            self.set_purpose(purpose, cand if isinstance(cand, str) else None)
            n += 1
        entries = state.get("entries")
        for raw in entries[: MAX_PER_KIND * len(self.kinds)] if isinstance(entries, list) else []:
            if not isinstance(raw, dict):
                continue
            kind, entry_id = raw.get("kind"), raw.get("id")
            if kind not in self.kinds or not isinstance(entry_id, str) or not _ID.match(entry_id):
                continue
            if entry_id[0] != PREFIX[kind] or self.entry(entry_id) is not None:
                continue
            target_raw = raw.get("target")
            target = (Target(*(v if isinstance(v, str) else "" for v in target_raw))
                      if isinstance(target_raw, list) and len(target_raw) == 3 else None)
            cand = raw.get("candidate")
            result = self.add(kind, raw.get("text"), target, cand if isinstance(cand, str) else None)
            if not result.ok or result.entry_id is None:
                continue
            # keep the saved id, so the saved links still point at it
            e = self.entry(result.entry_id)
            assert e is not None
            self.entries[self.entries.index(e)] = replace(e, id=entry_id)
            number = int(entry_id[1:])
            self._next[kind] = max(self._next[kind], number + 1)
            n += 1
        links = state.get("links")
        for raw in links[:MAX_LINKS] if isinstance(links, list) else []:
            if isinstance(raw, list) and len(raw) == 2 and self.link(raw[0], raw[1]).ok:
                n += 1
        return n


# --- a registry entry of ``kind: logic_model`` --------------------------------------------------------


class ExampleTargetParams(Strict):
    what: Text
    how_much: Text
    by_when: Text


class CandidateParams(Strict):
    """A suggestion: its text, where it belongs (``fits``) and why, for when it is put elsewhere."""

    id: Id
    fits: Literal["purpose", "resource", "activity", "output", "outcome", "none"]
    text: Text
    text_en: Text | None = None
    why: Text
    example_target: ExampleTargetParams | None = None


class LogicModelParams(Strict):
    """``params`` of a ``kind: logic_model`` entry: the suggestions for the purpose box and for the entries."""

    hypothetical_targets: Literal[True]
    """Must be true: the example targets are the course's invention (the source gives no numbers)."""
    purpose_candidates: list[CandidateParams] = Field(min_length=1)
    candidates: list[CandidateParams] = Field(min_length=3)


def check_params(params: LogicModelParams, file: str, where: str) -> list[Problem]:
    """Cross-checks the model cannot do: duplicate ids, where each suggestion may go, every kind offered."""
    problems: list[Problem] = []
    for dup in duplicates(c.id for c in params.purpose_candidates + params.candidates):
        problems.append(Problem(file, f"{where} (id: {dup})", msg("data.dup_id", id=dup)))
    for c in params.purpose_candidates:
        if c.fits not in ("purpose", "none"):
            problems.append(Problem(file, f"{where}.purpose_candidates (id: {c.id})",
                                    msg("logic_model.param_purpose_fits", id=c.id)))
    for c in params.candidates:
        if c.fits == "purpose":
            problems.append(Problem(file, f"{where}.candidates (id: {c.id})",
                                    msg("logic_model.param_entry_fits", id=c.id)))
        if c.example_target is not None and c.fits != "outcome":
            problems.append(Problem(file, f"{where}.candidates (id: {c.id})",
                                    msg("logic_model.param_target_not_outcome", id=c.id)))
    for kind in KINDS:
        if not any(c.fits == kind for c in params.candidates):
            problems.append(Problem(file, f"{where}.candidates", msg("logic_model.param_kind_missing", kind=kind)))
    return problems


def candidates_of(spec: BuiltSpec) -> list[Candidate]:
    """The suggestions a registry entry offers, validated and cross-checked (raises :class:`DataError`)."""
    params = spec.parsed(LogicModelParams)
    problems = check_params(params, f"data/exercises/{spec.lesson}.yml", f"exercises (id: {spec.id}).params")
    if problems:
        raise DataError(problems)

    def make(c: CandidateParams, for_purpose: bool) -> Candidate:
        ex = c.example_target
        target = Target(ex.what, ex.how_much, ex.by_when) if ex is not None else None
        return Candidate(c.id, c.text, c.fits, c.why, target, for_purpose)

    return [make(c, True) for c in params.purpose_candidates] + [make(c, False) for c in params.candidates]


def task_of(spec: BuiltSpec, course: Course | None = None) -> LogicModel:
    """The (empty) model of a registry entry: every kind, and the entry's suggestions (the data is all in ``spec``)."""
    return LogicModel(candidates_of(spec))


# --- the room board ------------------------------------------------------------------------

ISSUE_CODES = ("no_purpose", "misplaced_purpose", *(f"no_{k}" for k in KINDS), "misplaced", "activity_no_outcome",
               "output_unreached", "outcome_no_target", "outcome_partial_target", "outcome_unreached",
               "how_much_vague", "output_no_outcome", "resource_unused", "activity_no_resource")
"""Every :attr:`Issue.code` :meth:`LogicModel.check` gives."""

BOARD_MARKS = ("fits", "misplaced", "free_text", *(c for c in ISSUE_CODES if not c.startswith("misplaced")))
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""


def board_tallier(spec: BuiltSpec, course: Course) -> Tallier:
    """The board's tallier of a logic-model entry: one item per column (the purpose, then each kind).

    In each column, every entry is an answer:

    * an entry taken from the suggestions: its candidate id, marked ``fits`` (accepted) or, where the
      check finds it in the wrong place, ``misplaced`` (wrong): the purpose box likewise;
    * an entry in the learner's own words: :func:`~kyodo.board.tally.text_key` of the text, marked
      ``free_text`` (open);
    * what the check finds in that column, once per learner, marked with the issue's code
      (``outcome_no_target``, ``activity_no_outcome``, ``no_output`` ...): a problem is wrong, advice open.
      (A suggestion in the wrong place is shown on the suggestion itself.)

    ``expected`` is every suggestion in the column it fits; ``finished`` is :attr:`LogicCheck.complete`.
    """
    from ..board.tally import Given, TaskTallier, short_text, text_key

    task = task_of(spec, course)
    columns = ("purpose", *task.kinds)
    labels = {c: task.kind_name(c) for c in columns}

    def candidate(column: str, cand: Candidate, misplaced: bool) -> Given:
        if misplaced:
            return Given(column, labels[column], cand.id, short_text(cand.text), "misplaced", "wrong")
        return Given(column, labels[column], cand.id, short_text(cand.text), "fits", "accepted")

    def own(column: str, text: str) -> Given:
        return Given(column, labels[column], text_key(text), short_text(text), "free_text", "open")

    def read(loaded: LogicModel) -> tuple[tuple[Given, ...], bool]:
        check = loaded.check()
        found: list[Given] = []
        if loaded.purpose:
            cand = loaded.candidates.get(loaded.purpose_candidate or "")
            misplaced = any(i.code == "misplaced_purpose" for i in check.issues)
            found.append(candidate("purpose", cand, misplaced) if cand else own("purpose", loaded.purpose))
        wrong_place = check.flagged("misplaced")
        kind_of = {}
        for e in loaded.entries:
            kind_of[e.id] = e.kind
            cand = loaded.candidates.get(e.candidate or "")
            found.append(candidate(e.kind, cand, e.id in wrong_place) if cand else own(e.kind, e.text))
        for issue in check.issues:
            if issue.code.startswith("misplaced"):
                continue
            column = kind_of.get(issue.entry_id or "") or issue.code.removeprefix("no_")
            found.append(Given(column, labels.get(column, column), issue.code, msg(f"board_mark.{issue.code}"),
                               issue.code, "wrong" if issue.severity is Severity.PROBLEM else "open"))
        return tuple(dict.fromkeys(found)), check.complete

    expected = tuple(candidate(c.fits, c, False) for c in task.candidates.values()
                     if c.fits in columns and (c.fits == "purpose") == c.for_purpose)
    return TaskTallier(task, read, tuple(labels.items()), expected)
