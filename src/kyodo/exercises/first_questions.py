"""Logic of the "first questions" exercise: from an idea to a consultation checklist.

The learner describes an idea in a short form (what they want to do, for
whom, what they already have, what they lack and which kinds of things,
which kind of partner they imagine). :func:`build_checklist` turns it into

* concrete **questions** to bring to the city's consultation desk,
* the **information to prepare** before going,
* **advice** on what is still vague (no purpose, no target group ...),
  each with a hint on how to make it concrete,
* **notices** about what had to be cleaned (control characters, text cut).

The wording of questions and reasons lives in the lesson's data (a
:class:`Guide`, built by :mod:`kyodo.lessons.first_step`); the feedback
messages live in the ``first_questions`` locale. :class:`FirstQuestions`
holds one learner's form for the widget; :func:`task_of` makes it for a
registry entry (``kind: first_questions``) and :func:`board_tallier` counts
the room's forms for the room board. No widgets here.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..text import clean_text, msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tallier
    from ..data import Course
    from ..registry import BuiltSpec

FIELDS: tuple[str, ...] = ("what", "for_whom", "have", "lack")
"""The free-text fields of the form, in the order they are shown."""

UNKNOWN_PARTNER = "unknown"
"""The partner choice meaning "not decided yet"."""

MAX_FIELD_CHARS = 300
"""Longer entries are cut (with a notice): a first consultation needs a few lines, not an essay."""

QUOTE_CHARS = 30
"""How much of a learner's entry is quoted inside a question."""

SHORT_WHAT = 8
"""A purpose shorter than this (in characters) is probably too vague."""

MEANS_ONLY_MAX = 20
"""A short purpose that only speaks of collaborating is probably a means, not a purpose."""

BROAD_TARGET_MAX = 12
"""A short target that only says "everyone" is probably too broad."""

LEARNER_PLACEHOLDERS = frozenset(FIELDS)
"""Placeholders in a template that are filled with the learner's own (quoted) words."""


@dataclass(frozen=True)
class Template:
    """One question or preparation item, written in the lesson data."""

    id: str
    text: str
    """May contain ``{what}``, ``{for_whom}``, ``{have}``, ``{lack}`` and the guide's fixed values."""
    why: str
    source: str
    """Where the reason comes from, e.g. ``パンフレット P2 (CASE1)``."""

    @property
    def placeholders(self) -> frozenset[str]:
        return template_fields(self.text) | template_fields(self.why)


@dataclass(frozen=True)
class Guide:
    """Everything the checklist is built from (taken from the course and lesson data)."""

    desk_name: str
    questions: tuple[Template, ...]
    prepare: tuple[Template, ...]
    by_kind: Mapping[str, Template]
    """Resource kind id -> the question to ask when that kind is lacking."""
    partner_questions: Mapping[str, tuple[Template, ...]]
    partner_prepare: Mapping[str, tuple[Template, ...]]
    kinds: Mapping[str, str]
    """Resource kind id -> name (知識や能力 ...), in the policy's order."""
    partners: Mapping[str, str]
    """Partner choice id -> name (actor types, and :data:`UNKNOWN_PARTNER`)."""
    values: Mapping[str, str] = field(default_factory=dict)
    """Fixed fill-ins for templates, e.g. ``{sites}`` -> the two information sites."""
    broad_targets: tuple[str, ...] = ()
    means_words: tuple[str, ...] = ()
    nothing_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdeaForm:
    """A learner's idea, already cleaned (see :func:`clean_form`)."""

    what: str = ""
    for_whom: str = ""
    have: str = ""
    lack: str = ""
    lack_kinds: tuple[str, ...] = ()
    partner: str | None = None

    def text(self, name: str) -> str:
        return str(getattr(self, name))

    @property
    def filled(self) -> int:
        """How many parts of the form hold something (for restore and reset messages)."""
        return (sum(bool(self.text(f).strip()) for f in FIELDS) + bool(self.lack_kinds)
                + (self.partner is not None))


@dataclass(frozen=True)
class Advice:
    """Something still vague in the form, with a hint on how to make it concrete."""

    code: str
    field: str
    text: str
    hint: str


@dataclass(frozen=True)
class Line:
    """One line of the checklist."""

    id: str
    text: str
    why: str
    source: str


@dataclass(frozen=True)
class Checklist:
    form: IdeaForm
    questions: tuple[Line, ...]
    prepare: tuple[Line, ...]
    advice: tuple[Advice, ...]
    notices: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing at all was written or chosen."""
        return self.form.filled == 0

    @property
    def ready(self) -> bool:
        """Nothing is vague any more."""
        return not self.empty and not self.advice

    @property
    def summary(self) -> str:
        if self.empty:
            return msg("first_questions.summary_empty")
        if self.ready:
            return msg("first_questions.summary_ready", q=len(self.questions), p=len(self.prepare))
        return msg("first_questions.summary_vague", q=len(self.questions), p=len(self.prepare),
                   n=len(self.advice))

    def as_text(self, desk_name: str) -> str:
        """The checklist as plain text, to copy into an e-mail or print."""
        lines = [msg("first_questions.heading_questions", desk=desk_name)]
        lines += [f"{n}. {q.text}" for n, q in enumerate(self.questions, start=1)]
        lines += ["", msg("first_questions.heading_prepare")]
        lines += [f"- {p.text}" for p in self.prepare]
        return "\n".join(lines)


# --- helpers ---------------------------------------------------------------------------

def template_fields(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of a template (raises ValueError on a malformed template)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A learner's entry shortened for quoting: one line, spaces collapsed, cut with "…"."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def _has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _normalise(text: str) -> str:
    return re.sub(r"[\s。、.,!！?？・「」『』()（）]+", "", text)


def _is_nothing(text: str, guide: Guide) -> bool:
    return _normalise(text) in {_normalise(w) for w in guide.nothing_words}


# --- cleaning -----------------------------------------------------------------------------

def clean_form(raw: Mapping[str, Any] | Any, guide: Guide) -> tuple[IdeaForm, tuple[str, ...]]:
    """Turn whatever the widget (or a saved file) holds into a safe :class:`IdeaForm`.

    Texts lose control characters and are cut at :data:`MAX_FIELD_CHARS`;
    unknown kinds and partners are dropped. Every change is reported as a
    notice, so the learner knows why the text looks different.
    """
    data = raw if isinstance(raw, Mapping) else {}
    notices: list[str] = []
    texts: dict[str, str] = {}
    for name in FIELDS:
        value = data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            notices.append(msg("first_questions.notice_not_text", field=field_label(name)))
            value = ""
        cleaned, cut = clean_text(value, MAX_FIELD_CHARS)
        if cut:
            notices.append(msg("first_questions.notice_cut", field=field_label(name), n=MAX_FIELD_CHARS))
        elif cleaned != value:
            notices.append(msg("first_questions.notice_cleaned", field=field_label(name)))
        texts[name] = cleaned

    kinds_raw = data.get("lack_kinds", ())
    if kinds_raw is None:
        kinds_raw = ()
    if not isinstance(kinds_raw, (list, tuple)):
        notices.append(msg("first_questions.notice_unknown_kind"))
        kinds_raw = ()
    kinds: list[str] = []
    for kind in kinds_raw:
        if isinstance(kind, str) and kind in guide.kinds:
            if kind not in kinds:
                kinds.append(kind)
        else:
            notices.append(msg("first_questions.notice_unknown_kind"))
    ordered = tuple(k for k in guide.kinds if k in kinds)

    partner = data.get("partner")
    if partner is not None and not (isinstance(partner, str) and partner in guide.partners):
        notices.append(msg("first_questions.notice_unknown_partner"))
        partner = None
    return IdeaForm(lack_kinds=ordered, partner=partner, **texts), tuple(notices)


def field_label(name: str) -> str:
    return msg(f"first_questions.field_{name}")


# --- what is still vague --------------------------------------------------------------

def find_vague(form: IdeaForm, guide: Guide) -> tuple[Advice, ...]:
    """Everything that would make a first consultation hard, in the order of the form."""
    advice: list[Advice] = []

    def add(code: str, fieldname: str, **values: Any) -> None:
        advice.append(Advice(code, fieldname, msg(f"first_questions.vague_{code}", **values),
                             msg(f"first_questions.hint_{code}", **values)))

    def blank(name: str) -> bool:
        text = form.text(name).strip()
        return not text or _is_nothing(text, guide)

    def symbols_only(name: str) -> bool:
        text = form.text(name).strip()
        return bool(text) and not _has_letters(text)

    # What: the purpose comes first (outcome orientation, step 1).
    what = form.what.strip()
    if symbols_only("what"):
        add("symbols", "what", field=field_label("what"))
    elif blank("what"):
        add("what_empty", "what")
    elif len(what) <= MEANS_ONLY_MAX and any(w in what for w in guide.means_words):
        add("means_only", "what")
    elif len(what) < SHORT_WHAT:
        add("what_short", "what")

    # For whom: the target group.
    target = form.for_whom.strip()
    if symbols_only("for_whom"):
        add("symbols", "for_whom", field=field_label("for_whom"))
    elif blank("for_whom"):
        add("for_whom_empty", "for_whom")
    elif len(target) <= BROAD_TARGET_MAX and any(w in target for w in guide.broad_targets):
        add("for_whom_broad", "for_whom")

    # What we have: every actor brings some strength.
    if symbols_only("have"):
        add("symbols", "have", field=field_label("have"))
    elif blank("have"):
        add("have_empty", "have")

    # What we lack, and which kinds.
    if symbols_only("lack"):
        add("symbols", "lack", field=field_label("lack"))
    elif blank("lack"):
        if form.lack_kinds:
            add("kinds_without_text", "lack",
                kinds="・".join(guide.kinds[k] for k in form.lack_kinds))
        else:
            add("lack_empty", "lack")
    elif not form.lack_kinds:
        add("lack_no_kind", "lack_kinds")

    if form.partner is None:
        add("partner_none", "partner")

    # The same words in two places usually means one of them is not thought through yet.
    seen: dict[str, str] = {}
    for name in FIELDS:
        key = _normalise(form.text(name))
        if not key or blank(name):
            continue
        if key in seen:
            add("duplicate", name, first=field_label(seen[key]), second=field_label(name))
        else:
            seen[key] = name
    return tuple(advice)


# --- the checklist ------------------------------------------------------------------------

def _usable(form: IdeaForm, guide: Guide) -> dict[str, str]:
    """The learner's entries that can be quoted in a question (vague ones are left out)."""
    out: dict[str, str] = {}
    for name in FIELDS:
        text = form.text(name).strip()
        if text and _has_letters(text) and not _is_nothing(text, guide):
            out[name] = quote(text)
    return out


def _fill(template: Template, usable: Mapping[str, str], guide: Guide) -> Line | None:
    """The template with its placeholders filled, or None when a learner's entry it needs is missing."""
    needed = template.placeholders
    if any(name in LEARNER_PLACEHOLDERS and name not in usable for name in needed):
        return None
    values = {**guide.values, **usable}
    if not needed <= values.keys():
        return None
    return Line(template.id, template.text.format(**values), template.why.format(**values), template.source)


def build_checklist(raw: Mapping[str, Any] | IdeaForm | Any, guide: Guide) -> Checklist:
    """Clean the form, find what is vague and build the questions and preparation list."""
    if isinstance(raw, IdeaForm):
        form, notices = raw, ()
    else:
        form, notices = clean_form(raw, guide)
    advice = find_vague(form, guide)
    if form.filled == 0:
        return Checklist(form, (), (), advice, notices)
    usable = _usable(form, guide)

    def fill_all(templates: Sequence[Template]) -> list[Line]:
        return [line for t in templates if (line := _fill(t, usable, guide)) is not None]

    questions = fill_all(guide.questions)
    questions += fill_all([guide.by_kind[k] for k in form.lack_kinds if k in guide.by_kind])
    prepare = fill_all(guide.prepare)
    if form.partner is not None:
        questions += fill_all(guide.partner_questions.get(form.partner, ()))
        prepare += fill_all(guide.partner_prepare.get(form.partner, ()))
    return Checklist(form, tuple(_unique(questions)), tuple(_unique(prepare)), advice, notices)


def _unique(lines: Sequence[Line]) -> list[Line]:
    seen: set[str] = set()
    out = []
    for line in lines:
        if line.text not in seen:
            seen.add(line.text)
            out.append(line)
    return out


def next_hint(checklist: Checklist) -> str:
    """What to work on next: the first vague point's hint, or what to do with a ready list."""
    if checklist.empty:
        return msg("first_questions.hint_start")
    if checklist.advice:
        return checklist.advice[0].hint
    return msg("first_questions.hint_ready")


class FirstQuestions:
    """One learner's form, with what the widget's buttons do with it (a :class:`~kyodo.widgets.common.Task`)."""

    def __init__(self, guide: Guide):
        self.guide = guide
        self.form = IdeaForm()

    def fill(self, raw: Mapping[str, Any] | Any) -> tuple[str, ...]:
        """Take what the form's inputs hold now (cleaned); returns the notices of what had to be cleaned."""
        self.form, notices = clean_form(raw, self.guide)
        return notices

    @property
    def answered(self) -> int:
        return self.form.filled

    def check(self) -> Checklist:
        return build_checklist(self.form, self.guide)

    def hint(self) -> str:
        return next_hint(self.check())

    def reset(self) -> None:
        self.form = IdeaForm()

    def to_state(self) -> dict[str, Any]:
        form = self.form
        return {**{name: form.text(name) for name in FIELDS}, "lack_kinds": list(form.lack_kinds),
                "partner": form.partner}

    def load_state(self, state: Any) -> int:
        self.fill(state)
        return self.form.filled


def task_of(spec: BuiltSpec, course: Course | None = None) -> FirstQuestions:
    """The (empty) form of a registry entry; its questions are the lesson's (``data/lessons/first_step.yml``)."""
    from ..lessons.first_step import load_guide

    return FirstQuestions(load_guide())


# --- the room board ------------------------------------------------------------------------

ADVICE_CODES = ("symbols", "what_empty", "what_short", "means_only", "for_whom_empty", "for_whom_broad",
                "have_empty", "lack_empty", "kinds_without_text", "lack_no_kind", "partner_none", "duplicate")
"""Every :attr:`Advice.code` :func:`find_vague` gives."""

BOARD_MARKS = ("free_text", "chosen", *ADVICE_CODES)
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""


def board_tallier(spec: BuiltSpec, course: Course) -> Tallier:
    """The board's tallier of a first-questions entry: one item per part of the idea form.

    * the four text fields (``what``, ``for_whom``, ``have``, ``lack``): the learner's words
      (:func:`~kyodo.board.tally.text_key`, ``free_text``, open);
    * ``lack_kinds`` and ``partner``: the kinds and the partner chosen (``chosen``, open);
    * under the part it concerns, every piece of advice :func:`find_vague` gives, by its code
      (``what_short``, ``means_only``, ``for_whom_broad``, ``partner_none`` ...): wrong, since the
      checklist is not ready while anything is vague.

    An idea has no model answer: ``expected`` is empty. ``finished`` is :attr:`Checklist.ready`
    (something written, nothing vague).
    """
    from ..board.tally import Given, TaskTallier, short_text, text_key

    task = task_of(spec, course)
    guide = task.guide
    labels = {**{name: field_label(name) for name in FIELDS},
              "lack_kinds": msg("first_questions.field_lack_kinds"), "partner": msg("first_questions.field_partner")}

    def read(loaded: FirstQuestions) -> tuple[tuple[Given, ...], bool]:
        checklist = loaded.check()
        form = checklist.form
        found: list[Given] = []
        for name in FIELDS:
            text = form.text(name).strip()
            if text:
                found.append(Given(name, labels[name], text_key(text), short_text(text), "free_text", "open"))
        found += [Given("lack_kinds", labels["lack_kinds"], k, guide.kinds[k], "chosen", "open")
                  for k in form.lack_kinds]
        if form.partner is not None:
            found.append(Given("partner", labels["partner"], form.partner, guide.partners[form.partner], "chosen",
                               "open"))
        found += [Given(a.field, labels.get(a.field, a.field), a.code, msg(f"board_mark.{a.code}"), a.code, "wrong")
                  for a in checklist.advice]
        return tuple(dict.fromkeys(found)), checklist.ready

    return TaskTallier(task, read, tuple(labels.items()))
