"""Export a design to Markdown or to a standalone, printable HTML page, and import it back.

Both exports carry the design's step states as JSON, base64-encoded so that
no learner text can break out of its container (a Markdown comment, a
``<script type="application/json">``). Everything a person reads in the
export is learner text shown as text: escaped for HTML in the page, and for
Markdown in the Markdown file (:func:`md_text`: every ASCII punctuation
character escaped, line breaks as hard breaks), so no learner text becomes a
heading, a list, a table, a code block, a link, an image or math.

:func:`parse_export` reads either format back (the states only: what the
export shows is never read) and refuses, with a plain Japanese message
(:class:`ImportProblem`), anything that is not a whole design: a foreign
file, a damaged or truncated one, one in another encoding, one nested too
deep, one whose every field has the wrong type. It raises nothing else.

Version 2 adds the partnering plan (steps 7 to 11), the first step's contact
and the review (step 12). A file of version 1 (exported before them) still
imports: its plan, contact and review are empty.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from pathlib import Path
from typing import Any

from ..data import Course
from ..storage import atomic_write_text
from ..text import esc, msg
from .checks import check_design
from .partnering import load_partnering
from .plan import MEASURE_FIELDS, contact_card, month_label, owner_name, steps_needed
from .review import gap_line, review_gaps
from .sheet import PARTS, Design, design_from_states

FORMAT = "kyodo-design"
VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 has the six steps of the design only; version 2 adds the plan, the contact and the review."""
MAX_IMPORT_BYTES = 2_000_000
_MD_MARK = re.compile(r"<!--\s*kyodo-design:([A-Za-z0-9+/=\s]+?)\s*-->")
_HTML_MARK = re.compile(r'<script type="application/json" id="kyodo-design">([A-Za-z0-9+/=\s]+?)</script>')
_MARK_START = "kyodo-design"
"""In a file that has it but no whole payload, the payload was cut or damaged."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
"""Every ASCII punctuation character: CommonMark lets each be escaped, and only these start Markdown syntax."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class ImportProblem(ValueError):
    """The file is not a design exported by this course (the message says why, in Japanese)."""


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (which cannot be written as UTF-8) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def md_text(text: str) -> list[str]:
    """Lines of Markdown that render as ``text`` itself, line breaks included.

    Every ASCII punctuation character is backslash-escaped, so nothing in the
    text is Markdown (or MyST, HTML, math) syntax; each line but the last ends
    in a hard break (``\\``), so no line is blank and none can start a block.
    Continue a list item with these lines indented.
    """
    lines = [_MD_SPECIAL.sub(r"\\\1", line.strip()) for line in _LINE_BREAK.split(text.rstrip())]
    return [line + "\\" for line in lines[:-1]] + lines[-1:]


def _md_item(text: str) -> str:
    """A list item showing ``text`` (several lines: hard breaks inside the item)."""
    return "- " + "\n  ".join(md_text(text))


def _md_heading(level: int, text: str) -> str:
    """A heading showing ``text`` on one line."""
    return "#" * level + " " + md_text(" ".join(_LINE_BREAK.split(text)))[0]


def document(design: Design) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "steps": design.to_states()}


def _payload(design: Design) -> str:
    raw = json.dumps(document(design), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return base64.b64encode(raw).decode("ascii")


def _sections(design: Design) -> list[tuple[str, list[str]]]:
    """The design as (heading, lines) pairs of plain text, shared by both formats."""
    course = design.course
    none = msg("design.none")
    kinds = {k.id: k.name for k in course.policy.resource_kinds}
    types = {t.id: t.name for t in course.actor_types}
    missing = design.missing_rows()
    sections = [
        (msg("design.step_issue"), [
            msg("design.line", label=msg("design.f_team"), value=design.issue.get("team", none)),
            msg("design.line", label=msg("design.f_issue"), value=design.issue.get("issue", none)),
            msg("design.line", label=msg("design.f_affected"), value=design.issue.get("affected", none)),
        ]),
        (msg("design.step_gaps"), [
            msg("design.line", label=msg("design.purpose"), value=design.finder.purpose or none),
            msg("design.line", label=msg("design.needs"), value="、".join(design.needs()) or none),
            msg("design.line", label=msg("design.have"), value="、".join(design.have_rows()) or none),
            # numbered 1, 2, 3 … among the missing rows (not by their place among all the needs)
            *[msg("design.missing_line", n=i, text=text, kind=kinds.get(kind or "", none))
              for i, (_, text, kind) in enumerate(missing, start=1)],
        ]),
        (msg("design.step_partners"), [
            line
            for p in design.partners
            for line in (
                msg("design.partner_head", name=p.name, type=types.get(p.type_id or "", none)),
                msg("design.line", label=msg("design.p_fills"),
                    value="、".join(t for n, t, _ in missing if n in p.fills) or none),
                *[msg("design.line", label=msg(f"design.p_{f}"), value=getattr(p, f) or none)
                  for f in ("reason", "purpose", "motives", "gains", "role")],
            )
        ] or [none]),
        (msg("design.step_logic"), design.logic.describe().splitlines()),
        (msg("design.step_contact"), design.contact.describe().splitlines()),
        (msg("design.step_first_step"), [
            *contact_lines(design),
            msg("design.line", label=msg("design.f_question"), value=design.first_step.get("question", none)),
            msg("design.line", label=msg("design.f_who"), value=design.first_step.get("who", none)),
            msg("design.line", label=msg("design.f_when"), value=design.first_step.get("when", none)),
        ]),
        *plan_sections(design),
    ]
    check = check_design(design)
    review = [check.summary] + [f.message for f in check.problems] + [f.message for f in check.notes]
    sections.append((msg("design.step_check"), review))
    return sections


def contact_lines(design: Design) -> list[str]:
    """Whom the first step contacts (the course's desk unless the learner chose another)."""
    card = contact_card(design.first_contact, load_partnering(), design.course.contacts.consultation_desk)
    return [msg("plan.contact_line", kind=card.kind_name)] + [
        msg("plan.contact_detail", label=label, value=value) for label, value in card.lines]


def plan_sections(design: Design) -> list[tuple[str, list[str]]]:
    """Steps 7 to 12 as (heading, lines) of plain text."""
    material = load_partnering()
    none = msg("design.none")
    names = design.party_names()
    form = material.form(design.form.chosen)
    form_lines = [msg("plan.chosen_line", form=form.name if form else none),
                  msg("design.line", label=msg("plan.form_reason_label"), value=design.form.reason or none)]
    for q in material.questions:
        option = next((o for o in q.options if o.id == design.form.answers.get(q.id)), None)
        if option is not None:
            form_lines.append(msg("plan.answer_line", question=q.text, answer=option.label))

    roles = design.roles
    brings = {b.id: b.name for b in material.brings}
    role_lines = []
    for party, name in names.items():
        role = roles.role(party)
        role_lines.append(msg("plan.party_line", name=name, does=role.does or none,
                              brings="、".join([brings[b] for b in role.brings] + ([role.brings_note] if role.brings_note
                                                                                  else [])) or none,
                              answers_for=role.answers_for or none))
    for activity in design.logic.of_kind("activity"):
        role_lines.append(msg("plan.work_line", text=activity.text,
                              owner=owner_name(roles.activities.get(activity.id), names)))
    role_lines += [msg("plan.work_line", text=t.text or none, owner=owner_name(t.owner, names)) for t in roles.tasks]
    role_lines += [msg("plan.cost_line", item=c.item or none, amount=c.amount or none,
                       bearer=owner_name(c.bearer, names)) for c in roles.costs]

    levels = {x.id: x.name for x in material.likelihoods}
    risk_lines = [msg("plan.risk_line", text=r.text or none, likelihood=levels.get(r.likelihood or "", none),
                      owner=owner_name(r.owner, names), response=r.response or none) for r in design.risks.risks]
    personal = design.risks.personal
    if personal.handled == "yes":
        risk_lines.append(msg("plan.personal_line_yes", whose=personal.whose or none,
                              keeper=owner_name(personal.keeper, names) if personal.keeper else none,
                              protection=personal.protection or none))
    else:
        risk_lines.append(msg("plan.personal_line_no" if personal.handled == "no" else "plan.personal_line_none"))

    measure_lines = [msg("plan.measure_line", text=o.text,
                         **{f: getattr(design.measures.of(o.id), f) or none for f in MEASURE_FIELDS})
                     for o in design.logic.of_kind("outcome")] or [msg("plan.measures_none")]

    needed = steps_needed(material, design.form.chosen)
    calendar_lines = [
        msg("plan.calendar_line", step=step.name,
            month=month_label(design.calendar.months[step.id]) if step.id in design.calendar.months else none)
        if step.id in needed else msg("plan.calendar_line_skip", step=step.name)
        for step in material.calendar.steps]

    return [(msg("plan.step_form"), form_lines), (msg("plan.step_roles"), role_lines),
            (msg("plan.step_risks"), risk_lines), (msg("plan.step_measures"), measure_lines),
            (msg("plan.step_calendar"), calendar_lines), (msg("review.step"), review_lines(design))]


def review_lines(design: Design) -> list[str]:
    """Step 12 as lines: each side's answers, the gaps, the decision and the next step."""
    review = design.review
    if review.empty:
        return [msg("review.not_started")]
    material = load_partnering()
    none = msg("design.none")
    names = design.party_names()
    items = {i.id: i.text for i in material.review.items}
    lines = [msg("review.side_line", side=names.get(side, side),
                 answers="、".join(msg("review.side_item", text=items[i], value=v) for i, v in answers.items()))
             for side, answers in review.answers.items()]
    lines += [gap_line(g, names) for g in review_gaps(material, review)]
    decision = material.decision(review.decision)
    lines.append(msg("review.decision_line", decision=decision.name if decision else none))
    lines.append(msg("review.next_line", what=review.next_what or none, who=review.next_who or none,
                     when=review.next_when or none))
    if review.notes:
        lines.append(msg("review.notes_line", notes=review.notes))
    return lines


def to_markdown(design: Design) -> str:
    """Markdown for reading and printing; every text, learner's or not, is shown as text (:func:`md_text`)."""
    out = [_md_heading(1, msg("design.export_title", title=design.title)), "",
           *md_text(msg("design.export_note")), ""]
    for heading, lines in _sections(design):
        out += [_md_heading(2, heading), ""] + [_md_item(line) for line in lines] + [""]
    out += [f"<!-- kyodo-design:{_payload(design)} -->", ""]
    return "\n".join(out)


_CSS = """
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif; line-height: 1.7;
       max-width: 46em; margin: 2em auto; padding: 0 1em; color: #1a1a1a; }
h1 { font-size: 1.5em; border-bottom: 2px solid #0072B2; padding-bottom: 0.3em; }
h2 { font-size: 1.15em; margin-top: 1.6em; color: #004f7c; }
ul { padding-left: 1.4em; }
li { white-space: pre-line; }
.note { color: #444; font-size: 0.9em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def to_html(design: Design) -> str:
    """A standalone page (no outside files) that prints well; learner text is escaped."""
    body = []
    for heading, lines in _sections(design):
        body.append(f"<h2>{esc(heading)}</h2><ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>")
    title = esc(msg("design.export_title", title=design.title))
    return (
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        f"<h1>{title}</h1><p class=\"note\">{esc(msg('design.export_note'))}</p>"
        + "".join(body)
        + f'<script type="application/json" id="kyodo-design">{_payload(design)}</script>'
        "</body></html>\n"
    )


def export(design: Design, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write both exports (atomically) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    md, html = folder / f"{stem}.md", folder / f"{stem}.html"
    atomic_write_text(md, to_markdown(design))
    atomic_write_text(html, to_html(design))
    return md, html


def _looks_like_export(text: str) -> bool:
    """The file starts as an export of this course (its title) or has the payload's mark: a cut or damaged one."""
    title = msg("design.export_title", title="\0").split("\0")[0].rstrip(": ")
    return _MARK_START in text or title in text[:2000]


def _load_payload(encoded: str) -> Any:
    """The JSON of a payload; lone surrogates (from ``\\ud800`` escapes) become U+FFFD."""
    try:
        doc = json.loads(base64.b64decode("".join(encoded.split()), validate=True).decode("utf-8"))
        flat = json.dumps(doc, ensure_ascii=False)
        return json.loads(without_surrogates(flat)) if _SURROGATE.search(flat) else doc
    except (binascii.Error, UnicodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        raise ImportProblem(msg("design.import_damaged")) from None


def _has_content(steps: dict[str, Any], course: Course) -> bool:
    """The steps hold something other than what an empty design exports."""
    blank = Design(course).to_states()
    return any(steps.get(s) is not None and steps.get(s) != blank[s] for s in PARTS)


def parse_export(text: str, course: Course) -> Design:
    """Read a design from an exported Markdown or HTML text (raises only :class:`ImportProblem`)."""
    if len(text.encode("utf-8", errors="replace")) > MAX_IMPORT_BYTES:
        raise ImportProblem(msg("design.import_too_big"))
    if "\0" in text:
        raise ImportProblem(msg("design.import_encoding"))
    found = _HTML_MARK.search(text) or _MD_MARK.search(text)
    if found is None:
        raise ImportProblem(msg("design.import_truncated" if _looks_like_export(text) else "design.import_not_design"))
    doc = _load_payload(found.group(1))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportProblem(msg("design.import_not_design"))
    version = doc.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise ImportProblem(msg("design.import_version", version=without_surrogates(str(version))[:20]))
    steps = doc.get("steps")
    if not isinstance(steps, dict):
        raise ImportProblem(msg("design.import_damaged"))
    states = {s: steps.get(s) for s in PARTS}
    design = design_from_states(course, states)
    if design.empty and _has_content(states, course):
        raise ImportProblem(msg("design.import_wrong_types"))
    return design


def parse_export_bytes(raw: bytes, course: Course) -> Design:
    """:func:`parse_export` on the bytes of a file (UTF-8, with or without a BOM)."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportProblem(msg("design.import_too_big"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(msg("design.import_encoding")) from None
    return parse_export(text, course)


def read_export(path: Path, course: Course) -> Design:
    """:func:`parse_export_bytes` on a file, with unreadable files reported the same way."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as err:
        raise ImportProblem(msg("design.import_unreadable", error=without_surrogates(str(err.strerror or err)))) from None
    return parse_export_bytes(raw, course)
