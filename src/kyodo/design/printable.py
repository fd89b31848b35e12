"""The three printable documents of the design sheet: the plan, the agreement draft and the review sheet.

Each ``*_body`` function returns the body of an HTML document in which every
text (the learner's and the course's) is escaped with :func:`kyodo.text.esc`.
:func:`print_documents` wraps each body with :func:`kyodo.printing.document_html`
and prints it as an A4 PDF (:func:`kyodo.printing.print_pdf`, Chromium in a
child process). The same bodies are what the notebook shows on screen.

The printed text avoids what the printing module cannot set as real,
searchable glyphs: no bold (IPAexGothic has no bold face: emphasis is a
border or an underline) and only characters of the Japanese standard sets
(□ and ■ for the boxes of the review's decision).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..citation import case_ref
from ..text import esc, msg
from .agreement import agreement_draft
from .checks import check_design
from .partnering import Partnering, load_partnering
from .plan import ALL, MEASURE_FIELDS, form_sources, month_label, owner_name, steps_needed
from .review import gap_line, review_gaps
from .sheet import STEPS, Design

DOCUMENTS = ("plan", "agreement", "review")
"""The printable documents, in the order the summary prints them."""

_STYLE = """<style>
.kyodo-notice { border: 1.5pt solid #000; padding: 6pt 8pt; margin: 0 0 10pt; }
.kyodo-notice p { margin: 0 0 3pt; }
.kyodo-note { font-size: 9pt; color: #333; }
.kyodo-article p { margin: 0 0 3pt 1em; }
.kyodo-sign p { margin: 14pt 0 0; }
.kyodo-blank { min-width: 3em; }
td.kyodo-num { text-align: center; width: 3.2em; }
</style>"""


_SCREEN_SIZES = {1: "1.3em", 2: "1.12em", 3: "1em"}


def _h(level: int, text: str, screen: bool) -> str:
    """A heading on paper; on screen a heading-like paragraph (a page of the course keeps its own outline)."""
    if screen:
        return (f"<p style='font-weight:bold;font-size:{_SCREEN_SIZES[level]};margin:0.8em 0 0.3em'>"
                f"{esc(text)}</p>")
    return f"<h{level}>{esc(text)}</h{level}>"


def _p(text: str, cls: str = "") -> str:
    return f"<p{f' class={chr(39)}{cls}{chr(39)}' if cls else ''}>{esc(text)}</p>"


def _ul(lines: Iterable[str]) -> str:
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f"<ul>{items}</ul>" if items else ""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "",
           numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=' + chr(39) + 'kyodo-num' + chr(39) if i in numeric else ''}>{esc(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def document_title(design: Design, kind: str) -> str:
    """The title of a printed document (its first heading and the PDF's footer)."""
    if kind == "plan":
        return msg("print.plan_title", title=design.title)
    if kind == "agreement":
        return agreement_draft(design).title
    return msg("review.sheet_title", title=design.title)


# --- the plan ----------------------------------------------------------------------------------

def _design_sections(design: Design, screen: bool) -> str:
    from .export import _sections  # the export's text of steps 1 to 6: the same words on screen, on file, on paper

    parts = []
    for heading, lines in _sections(design)[: len(STEPS)]:
        parts.append(_h(2, heading, screen) + _ul(lines))
    return "".join(parts)


def _form_section(design: Design, material: Partnering, screen: bool) -> str:
    none = msg("design.none")
    form = material.form(design.form.chosen)
    out = [_h(2, msg('plan.step_form'), screen), _p(msg("plan.chosen_line", form=form.name if form else none)),
           _p(msg("design.line", label=msg("plan.form_reason_label"), value=design.form.reason or none))]
    if form is not None:
        out.append(_p(form.summary))
        out.append(_p(msg("plan.form_fits", text=form.fits)))
        out.append(_p(msg("plan.form_cautions")) + _ul(form.cautions))
        out.append(_p(msg("plan.form_document", text=form.document)))
        sources = form_sources(material, form.id)
        if form.pamphlet_example is not None:
            case = design.course.case(form.pamphlet_example.case)
            sources.append(msg("plan.form_pamphlet", case=case_ref(case), note=form.pamphlet_example.note))
        out.append(_p(msg("plan.form_sources"), "kyodo-note") + f"<div class='kyodo-note'>{_ul(sources)}</div>")
    return "".join(out)


def _roles_section(design: Design, material: Partnering, screen: bool) -> str:
    none = msg("design.none")
    names = design.party_names()
    roles = design.roles
    brings = {b.id: b.name for b in material.brings}
    activities = design.logic.of_kind("activity")
    rows = []
    for party, name in names.items():
        role = roles.role(party)
        work = [a.text for a in activities if roles.activities.get(a.id) in (party, ALL)]
        work += [t.text for t in roles.tasks if t.text and t.owner in (party, ALL)]
        costs = [c.item for c in roles.bears(party)]
        kinds = [brings[b] for b in role.brings] + ([role.brings_note] if role.brings_note else [])
        rows.append([name, role.does or none, "、".join(kinds) or none, "、".join(work) or none,
                     "、".join(costs) or none, role.answers_for or none])
    out = [_h(2, msg('plan.step_roles'), screen),
           _table([msg("print.col_party"), msg("plan.party_does"), msg("plan.party_brings"), msg("print.col_work"),
                   msg("print.col_costs"), msg("plan.party_answers_for")], rows)]
    work_rows = [[a.text, owner_name(roles.activities.get(a.id), names)] for a in activities]
    work_rows += [[t.text or none, owner_name(t.owner, names)] for t in roles.tasks]
    if work_rows:
        out.append(_table([msg("print.col_work_item"), msg("plan.owner_label")], work_rows, msg("plan.work_head")))
    cost_rows = [[c.item or none, c.amount or none, owner_name(c.bearer, names)] for c in roles.costs]
    if cost_rows:
        out.append(_table([msg("print.col_cost_item"), msg("plan.cost_amount"), msg("plan.bearer_label")], cost_rows,
                          msg("plan.cost_head")))
    return "".join(out)


def _risks_section(design: Design, material: Partnering, screen: bool) -> str:
    none = msg("design.none")
    names = design.party_names()
    levels = {x.id: x.name for x in material.likelihoods}
    rows = [[r.text or none, levels.get(r.likelihood or "", none), owner_name(r.owner, names), r.response or none]
            for r in design.risks.risks]
    out = [_h(2, msg('plan.step_risks'), screen)]
    if rows:
        out.append(_table([msg("print.col_risk"), msg("plan.risk_likelihood"), msg("plan.risk_owner"),
                           msg("plan.risk_response")], rows))
    else:
        out.append(_p(msg("print.no_risks")))
    p = design.risks.personal
    if p.handled == "yes":
        out.append(_p(msg("plan.personal_line_yes", whose=p.whose or none,
                          keeper=owner_name(p.keeper, names) if p.keeper else none, protection=p.protection or none)))
    else:
        out.append(_p(msg("plan.personal_line_no" if p.handled == "no" else "plan.personal_line_none")))
    return "".join(out)


def _measures_section(design: Design, screen: bool) -> str:
    none = msg("design.none")
    outcomes = design.logic.of_kind("outcome")
    out = [_h(2, msg('plan.step_measures'), screen)]
    if not outcomes:
        return out[0] + _p(msg("plan.measures_none"))
    rows = [[o.text, *(getattr(design.measures.of(o.id), f) or none for f in MEASURE_FIELDS)] for o in outcomes]
    out.append(_table([msg("print.col_outcome"), *(msg(f"plan.measure_{f}") for f in MEASURE_FIELDS)], rows))
    return "".join(out)


def _calendar_section(design: Design, material: Partnering, screen: bool) -> str:
    none = msg("design.none")
    needed = steps_needed(material, design.form.chosen)
    names = {s.id: s.name for s in material.calendar.steps}
    rows = []
    for step in material.calendar.steps:
        planned = design.calendar.months.get(step.id)
        month = (month_label(planned) if planned is not None else none) if step.id in needed else msg("print.skip")
        rows.append([step.name, month, month_label(step.usual), "、".join(names[n] for n in step.needs) or "—"])
    return (_h(2, msg('plan.step_calendar'), screen)
            + _table([msg("print.col_step"), msg("print.col_month"), msg("print.col_usual"), msg("print.col_needs")],
                     rows) + _p(msg("print.calendar_note"), "kyodo-note"))


def _check_section(design: Design, screen: bool) -> str:
    check = check_design(design)
    lines = [f.message for f in check.problems] + [msg("design.note_prefix") + f.message for f in check.notes]
    return _h(2, msg('design.step_check'), screen) + _p(check.summary) + _ul(lines)


def plan_body(design: Design, screen: bool = False) -> str:
    """The partnering plan: the design (1 to 6), the plan (7 to 11) in tables, and the check."""
    material = load_partnering()
    return "".join([
        _STYLE, _h(1, document_title(design, 'plan'), screen), _p(msg("design.export_note"), "kyodo-note"),
        _design_sections(design, screen), _form_section(design, material, screen),
        _roles_section(design, material, screen), _risks_section(design, material, screen),
        _measures_section(design, screen), _calendar_section(design, material, screen), _check_section(design, screen),
    ])


# --- the agreement draft ---------------------------------------------------------------------------

def agreement_body(design: Design, screen: bool = False) -> str:
    """The agreement draft, with the notice that it is a draft for the legal section first."""
    draft = agreement_draft(design)
    notice = "".join(_p(line) for line in draft.notice)
    articles = "".join(
        "<div class='kyodo-article'>" + _h(3, msg("agreement.article", n=n, heading=a.heading), screen)
        + "".join(_p(text) for text in a.paragraphs) + "</div>"
        for n, a in enumerate(draft.articles, start=1))
    closing = _p(draft.closing[0]) + "<div class='kyodo-sign'>" + "".join(_p(line) for line in draft.closing[1:]) \
        + "</div>"
    return (_STYLE + _h(1, draft.title, screen) + f"<div class='kyodo-notice' role='note'>{notice}</div>"
            f"{_p(draft.preamble)}{articles}{closing}")


# --- the review sheet ---------------------------------------------------------------------------

def review_body(design: Design, screen: bool = False) -> str:
    """The review sheet: the items with a column per side (blank where not answered, for paper), gaps, decision."""
    material = load_partnering()
    review = design.review
    names = design.party_names()
    sides = list(names)
    gaps = {g.item.id: g.difference for g in review_gaps(material, review)}
    rows = [[item.text, *(str(review.answers.get(s, {}).get(item.id, "")) for s in sides),
             str(gaps[item.id]) if item.id in gaps else ""] for item in material.review.items]
    out = [_STYLE, _h(1, document_title(design, 'review'), screen), _p(msg("review.sheet_note"), "kyodo-note"),
           _table([msg("review.col_item"), *(names[s] for s in sides), msg("review.col_gap")], rows,
                  numeric=range(1, len(sides) + 2))]
    flagged = review_gaps(material, review)
    if flagged:
        out.append(_h(2, msg('review.gaps_head', d=material.review.flag_difference), screen))
        out.append(_ul(gap_line(g, names) for g in flagged))
    out.append(_h(2, msg('review.decision_label'), screen))
    for d in material.decisions:
        box = "■" if review.decision == d.id else "□"
        out.append(_h(3, f"{box} {d.name}", screen) + _p(msg("review.when_line", text=d.when), "kyodo-note")
                   + _ul(d.next_steps))
    none = "　" * 8  # room to write by hand
    out.append(_h(2, msg('review.next_head'), screen))
    out.append(_table([msg("review.next_what"), msg("review.next_who"), msg("review.next_when")],
                      [[review.next_what or none, review.next_who or none, review.next_when or none]]))
    out.append(_h(2, msg('review.notes'), screen) + _p(review.notes or none))
    return "".join(out)


BODIES = {"plan": plan_body, "agreement": agreement_body, "review": review_body}


def body(design: Design, kind: str, screen: bool = False) -> str:
    return BODIES[kind](design, screen)


def print_documents(design: Design, folder: Path, stem: str, kinds: Sequence[str] = DOCUMENTS) -> list[Path]:
    """Print each document to ``folder/<stem>-<kind>.pdf``; raises :class:`kyodo.printing.PrintError`."""
    from ..printing import document_html, print_pdf

    done = []
    for kind in kinds:
        title = document_title(design, kind)
        done.append(print_pdf(document_html(title, body(design, kind)), folder / f"{stem}-{kind}.pdf", title=title))
    return done
