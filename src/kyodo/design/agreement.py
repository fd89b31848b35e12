"""The agreement draft (協定書・覚書の案), generated from the design sheet.

:func:`agreement_draft` turns a design into a draft with numbered articles:
purpose, parties, the form of collaboration, roles, costs, responsibilities
(with the risks' owners), duration, information handling, review, ending or
renewing, and consultation, then the lines to sign. Whatever the sheet does
not say yet is a bracketed blank (〔…〕) that names the step to write it in.

The draft says, first and in every rendering, that it is a draft the city's
legal section must review before anything is signed; it is the course's
template, not a legal form of any city. The parties are named 甲, 乙, … as
Japanese agreements do (``agreement.marks`` in the catalogue). No HTML here:
:mod:`kyodo.design.printable` escapes it for the page and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text import msg
from .partnering import Partnering, load_partnering
from .plan import ALL, PARTIES, month_label, owner_name, steps_needed
from .sheet import STEP_NUMBERS, Design


_ENDS = ("。", ".", "!", "?", "！", "？")
"""A sentence that ends in one of these needs no full stop of its own."""


@dataclass(frozen=True)
class Article:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class AgreementDraft:
    title: str
    notice: tuple[str, ...]
    """Why this is only a draft, and who must review it (shown before everything else)."""
    preamble: str
    articles: tuple[Article, ...]
    closing: tuple[str, ...]
    """The closing sentence, the date line and one signature line per party."""

    def lines(self) -> list[str]:
        """The whole draft as plain lines (for the Markdown export and tests)."""
        out = [self.title, *self.notice, self.preamble]
        for n, article in enumerate(self.articles, start=1):
            out.append(msg("agreement.article", n=n, heading=article.heading))
            out += list(article.paragraphs)
        return out + list(self.closing)


def blank(what: str, part: str) -> str:
    """A bracketed blank: what is missing, and the step of the sheet where to write it."""
    return msg("agreement.blank", what=what, n=STEP_NUMBERS[part])


def party_marks(design: Design) -> dict[str, str]:
    """``us`` → 甲, ``p1`` → 乙, … for the parties that exist."""
    marks = msg("agreement.marks").split("|")
    return {party: marks[n] for n, party in enumerate(PARTIES) if party in design.party_names()}


def _who(owner: str | None, marks: dict[str, str], names: dict[str, str]) -> str:
    if owner == ALL:
        return msg("agreement.all_parties")
    if owner in marks:
        return marks[owner]
    return owner_name(owner, names)


def agreement_draft(design: Design, material: Partnering | None = None) -> AgreementDraft:
    """The draft of an agreement (or memorandum) for ``design``; blanks where the sheet is not written yet."""
    material = material or load_partnering()
    names = design.party_names()
    marks = party_marks(design)
    form = material.form(design.form.chosen)
    doc = msg("agreement.doc")
    purpose = design.finder.purpose or design.logic.purpose
    title = msg("agreement.title", project=purpose or design.title)
    notice = (msg("agreement.notice_draft"), msg("agreement.notice_legal"), msg("agreement.notice_blanks"))
    if form is not None:
        notice += (msg("agreement.notice_document", form=form.name, document=form.document),)
    partners = "、".join(msg("agreement.party_ref", name=names[p], mark=m) for p, m in marks.items() if p != "us")
    preamble = msg("agreement.preamble", us=names["us"], us_mark=marks["us"],
                   partners=partners or blank(msg("agreement.what_partners"), "partners"),
                   purpose=purpose or blank(msg("agreement.what_purpose"), "gaps"), doc=doc)

    articles = []
    # purpose
    paras = [msg("agreement.purpose", doc=doc, purpose=purpose or blank(msg("agreement.what_purpose"), "gaps"))]
    if design.issue.get("issue"):
        paras.append(msg("agreement.purpose_issue", issue=design.issue["issue"]))
    articles.append(Article(msg("agreement.h_purpose"), tuple(paras)))
    # parties
    types = {t.id: t.name for t in design.course.actor_types}
    paras = [msg("agreement.party_line", mark=marks["us"], name=names["us"], type=msg("agreement.us_type"))
             if design.issue.get("team") else msg("agreement.party_line_us", mark=marks["us"], name=names["us"])]
    paras += [msg("agreement.party_line", mark=marks[f"p{n}"], name=p.name,
                  type=types.get(p.type_id or "", msg("agreement.type_unknown")))
              for n, p in enumerate(design.partners, start=1)]
    if not design.partners:
        paras.append(blank(msg("agreement.what_partners"), "partners"))
    articles.append(Article(msg("agreement.h_parties"), tuple(paras)))
    # form
    paras = [msg("agreement.form", form=form.name) if form else blank(msg("agreement.what_form"), "form")]
    if form is not None and design.form.reason:
        paras.append(msg("agreement.form_reason", reason=design.form.reason))
    articles.append(Article(msg("agreement.h_form"), tuple(paras)))
    # roles
    roles = design.roles
    activities = {a.id: a.text for a in design.logic.of_kind("activity")}
    brings = {b.id: b.name for b in material.brings}
    paras = []
    for party, mark in marks.items():
        role = roles.role(party)
        work = [text for a, text in activities.items() if roles.activities.get(a) in (party, ALL)]
        work += [t.text for t in roles.tasks if t.text and t.owner in (party, ALL)]
        parts = []
        if role.does:
            parts.append(role.does if role.does.endswith(_ENDS) else role.does + msg("agreement.full_stop"))
        if work:
            parts.append(msg("agreement.role_work", work="、".join(work)))
        if role.brings or role.brings_note:
            kinds = "、".join(brings[b] for b in role.brings)
            parts.append(msg("agreement.role_brings", brings="、".join(x for x in (kinds, role.brings_note) if x)))
        paras.append(msg("agreement.role", mark=mark, text="".join(parts) if parts
                         else blank(msg("agreement.what_role"), "roles")))
    articles.append(Article(msg("agreement.h_roles"), tuple(paras)))
    # costs
    costs = [c for c in roles.costs if c.item]
    paras = [msg("agreement.cost", item=c.item, amount=c.amount or msg("agreement.amount_blank"),
                 who=_who(c.bearer, marks, names) if c.bearer else blank(msg("agreement.what_bearer"), "roles"))
             for c in costs] or [blank(msg("agreement.what_costs"), "roles")]
    paras.append(msg("agreement.cost_other"))
    articles.append(Article(msg("agreement.h_costs"), tuple(paras)))
    # responsibilities and risks
    paras = [msg("agreement.answers_for", mark=mark, text=roles.role(party).answers_for)
             for party, mark in marks.items() if roles.role(party).answers_for]
    if not paras:
        paras.append(blank(msg("agreement.what_answers_for"), "roles"))
    paras += [msg("agreement.risk", text=r.text, who=_who(r.owner, marks, names) if r.owner
                  else blank(msg("agreement.what_owner"), "risks"),
                  response=r.response or blank(msg("agreement.what_response"), "risks"))
              for r in design.risks.risks if r.text]
    paras.append(msg("agreement.accident"))
    articles.append(Article(msg("agreement.h_responsibility"), tuple(paras)))
    # duration
    months = design.calendar.months
    start = months.get("start", months.get("agreement"))
    paras = [msg("agreement.duration", doc=doc,
                 start=month_label(start) if start is not None else blank(msg("agreement.what_start"), "calendar"))]
    articles.append(Article(msg("agreement.h_duration"), tuple(paras)))
    # information
    personal = design.risks.personal
    if personal.handled == "yes":
        paras = [msg("agreement.personal", whose=personal.whose or blank(msg("agreement.what_whose"), "risks"),
                     keeper=_who(personal.keeper, marks, names) if personal.keeper
                     else blank(msg("agreement.what_keeper"), "risks"),
                     protection=personal.protection or blank(msg("agreement.what_protection"), "risks")),
                 msg("agreement.personal_limits")]
    elif personal.handled == "no":
        paras = [msg("agreement.personal_none")]
    else:
        paras = [blank(msg("agreement.what_personal"), "risks")]
    shared = sorted({m.shared for m in design.measures.by_outcome.values() if m.shared})
    if shared:
        paras.append(msg("agreement.sharing", how="、".join(shared)))
    paras.append(msg("agreement.publicity"))
    articles.append(Article(msg("agreement.h_information"), tuple(paras)))
    # review
    needed = steps_needed(material, design.form.chosen)
    reviews = [month_label(months[s]) for s in ("mid_review", "end_review") if s in needed and s in months]
    paras = [msg("agreement.review", when="、".join(reviews) if reviews
                 else blank(msg("agreement.what_review"), "calendar"))]
    for outcome in design.logic.of_kind("outcome"):
        m = design.measures.of(outcome.id)
        if m.empty:
            paras.append(msg("agreement.measure_blank", outcome=outcome.text,
                             blank=blank(msg("agreement.what_measure"), "measures")))
        else:
            paras.append(msg("agreement.measure", outcome=outcome.text, indicator=m.indicator or "〔 〕",
                             baseline=m.baseline or "〔 〕", target=m.target or "〔 〕", who=m.who or "〔 〕",
                             when=m.when or "〔 〕"))
    paras.append(msg("agreement.review_sides"))
    articles.append(Article(msg("agreement.h_review"), tuple(paras)))
    # ending or renewing
    paras = [msg("agreement.renew", doc=doc, decisions="・".join(d.name for d in material.decisions)),
             msg("agreement.end_early"), msg("agreement.end_after", doc=doc)]
    articles.append(Article(msg("agreement.h_end"), tuple(paras)))
    # consultation
    articles.append(Article(msg("agreement.h_consult"), (msg("agreement.consult", doc=doc),)))

    closing = (msg("agreement.closing", doc=doc, n=len(marks)), msg("agreement.date"),
               *(msg("agreement.signature", mark=mark, name=names[party]) for party, mark in marks.items()))
    return AgreementDraft(title, notice, preamble, tuple(articles), closing)
