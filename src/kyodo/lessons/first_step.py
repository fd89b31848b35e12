"""Lesson ``first_step`` (notebooks/08_first_step): how to take the first step.

    import kyodo
    from kyodo.lessons import first_step
    first_step.contacts()                # the consultation desk and the information sites (P7)
    kyodo.exercise("first_step-ex1")     # turn an idea into first questions for the desk
    first_step.worked_example()          # a model answer, computed from a hypothetical idea
    kyodo.exercise("first_step-ex2")     # sort situations to the right first contact

The exercises live in the registry (``data/exercises/first_step.yml``).
The material of exercise 1 (the question templates, read by
:func:`load_guide`) and the hypothetical idea of the worked example live
in ``data/lessons/first_step.yml`` and are checked by
:class:`FirstStepMaterial` plus :func:`check_material` (references to
cases, kinds, actor types; placeholders; pages).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from IPython.display import HTML, display
from pydantic import Field

from ..data import Course, DataError, Problem, check_refs, duplicates, load_course, load_lesson_data
from ..exercises.first_questions import (
    FIELDS,
    UNKNOWN_PARTNER,
    Guide,
    Template,
    build_checklist,
    field_label,
    template_fields,
)
from ..cells import _friendly
from ..models import Id, Strict, Text
from ..text import esc, msg
from ..views import _table
from ..widgets.first_questions import checklist_html

LESSON_ID = "first_step"
FIXED_PLACEHOLDERS = frozenset({"desk", "sites", "scheme", "tel", "email"})
"""Template fill-ins taken from the course data (see :func:`build_guide`)."""


# --- the material's model ---------------------------------------------------------------


class QuestionTemplate(Strict):
    id: Id
    text: Text
    why: Text
    page: int = Field(ge=1)
    case: Id | None = None


class KindTemplate(Strict):
    kind: Id
    text: Text
    why: Text
    page: int = Field(ge=1)
    case: Id | None = None


class PartnerTips(Strict):
    partner: Id
    """An actor type id, or ``unknown`` (not decided yet)."""
    question: Text | None = None
    prepare: Text | None = None
    why: Text
    page: int = Field(ge=1)
    case: Id | None = None


class VagueWords(Strict):
    broad_targets: list[Text] = Field(min_length=1)
    means_words: list[Text] = Field(min_length=1)
    nothing_words: list[Text] = Field(min_length=1)


class ChecklistMaterial(Strict):
    interpretation: Literal[True]
    scheme_case: Id = "case1"
    """The case whose scheme is quoted as ``{scheme}``."""
    questions: list[QuestionTemplate] = Field(min_length=1)
    by_kind: list[KindTemplate] = []
    prepare: list[QuestionTemplate] = Field(min_length=1)
    by_partner: list[PartnerTips] = []
    vague_words: VagueWords


class ExampleIdea(Strict):
    hypothetical: Literal[True]
    what: Text
    for_whom: Text
    have: Text
    lack: Text
    lack_kinds: list[Id] = []
    partner: Id


class FirstStepMaterial(Strict):
    checklist: ChecklistMaterial
    example: ExampleIdea


# --- loading and cross-checks -------------------------------------------------------------

def check_material(material: FirstStepMaterial, course: Course, file: str) -> list[Problem]:
    """Problems that need the rest of the course to see (references, pages, placeholders)."""
    problems: list[Problem] = []
    cl = material.checklist
    case_ids = [c.id for c in course.cases]
    kind_ids = [k.id for k in course.policy.resource_kinds]
    partner_ids = [t.id for t in course.policy_types] + [UNKNOWN_PARTNER]
    allowed = FIXED_PLACEHOLDERS | set(FIELDS)

    def where(section: str, n: int, fieldname: str) -> str:
        return msg("data.where_entry", entry=f"{section}[{n}]", field=fieldname)

    def check_template(section: str, n: int, texts: dict[str, str | None], page: int, case: str | None) -> None:
        for fieldname, text in texts.items():
            if text is None:
                continue
            try:
                names = template_fields(text)
            except ValueError:
                problems.append(Problem(file, where(section, n, fieldname), msg("first_step.bad_template")))
                continue
            unknown = sorted(names - allowed)
            if unknown:
                problems.append(Problem(file, where(section, n, fieldname),
                                        msg("first_step.unknown_placeholder", names=", ".join(unknown),
                                            known=", ".join(sorted(allowed)))))
        if case is not None:
            if case not in case_ids:
                problems.extend(check_refs(file, where(section, n, "case"), [case], case_ids))
            elif course.case(case).page != page:
                problems.append(Problem(file, where(section, n, "page"),
                                        msg("first_step.page_mismatch", page=page, case=case,
                                            right=course.case(case).page)))

    for section, templates in (("checklist.questions", cl.questions), ("checklist.prepare", cl.prepare)):
        for n, t in enumerate(templates, start=1):
            check_template(section, n, {"text": t.text, "why": t.why}, t.page, t.case)
        for dup in duplicates(t.id for t in templates):
            problems.append(Problem(file, section, msg("data.dup_id", id=dup)))
    for n, k in enumerate(cl.by_kind, start=1):
        check_template("checklist.by_kind", n, {"text": k.text, "why": k.why}, k.page, k.case)
        problems += check_refs(file, where("checklist.by_kind", n, "kind"), [k.kind], kind_ids)
    for dup in duplicates(k.kind for k in cl.by_kind):
        problems.append(Problem(file, "checklist.by_kind", msg("data.dup_id", id=dup)))
    for n, p in enumerate(cl.by_partner, start=1):
        check_template("checklist.by_partner", n, {"question": p.question, "prepare": p.prepare, "why": p.why},
                       p.page, p.case)
        problems += check_refs(file, where("checklist.by_partner", n, "partner"), [p.partner], partner_ids)
        if p.question is None and p.prepare is None:
            problems.append(Problem(file, where("checklist.by_partner", n, "question"),
                                    msg("first_step.partner_empty")))
    for dup in duplicates(p.partner for p in cl.by_partner):
        problems.append(Problem(file, "checklist.by_partner", msg("data.dup_id", id=dup)))
    if cl.scheme_case not in case_ids:
        problems += check_refs(file, msg("data.where_entry", entry="checklist", field="scheme_case"),
                               [cl.scheme_case], case_ids)
    elif course.case(cl.scheme_case).scheme is None:
        problems.append(Problem(file, msg("data.where_entry", entry="checklist", field="scheme_case"),
                                msg("first_step.no_scheme", case=cl.scheme_case)))

    ex = material.example
    problems += check_refs(file, msg("data.where_entry", entry="example", field="lack_kinds"), ex.lack_kinds, kind_ids)
    problems += check_refs(file, msg("data.where_entry", entry="example", field="partner"), [ex.partner], partner_ids)
    return problems


def load(data_dir: str | Path | None = None) -> tuple[Course, FirstStepMaterial]:
    """The course and this lesson's material, both checked (raises :class:`DataError`)."""
    course = load_course(data_dir)
    material = load_lesson_data(LESSON_ID, FirstStepMaterial, data_dir)
    folder = Path(data_dir) if data_dir is not None else None
    file = f"{folder.name if folder else 'data'}/lessons/{LESSON_ID}.yml"
    problems = check_material(material, course, file)
    if problems:
        raise DataError(problems)
    return course, material


# --- from data to the exercise's guide --------------------------------------------------------

def source_label(course: Course, page: int, case: str | None) -> str:
    if case is not None:
        return msg("first_step.source_case", page=page, number=course.case(case).number)
    return msg("first_step.source_page", page=page)


def build_guide(course: Course, material: FirstStepMaterial) -> Guide:
    """Everything :func:`kyodo.exercises.first_questions.build_checklist` needs, from the data."""
    cl = material.checklist
    desk = course.contacts.consultation_desk
    sites = msg("first_step.sites_joiner").join(
        msg("first_step.site_ref", name=s.name, operator=s.operator) for s in course.contacts.information_sites)
    scheme = course.case(cl.scheme_case).scheme
    values = {"desk": desk.name, "sites": sites, "scheme": scheme.name if scheme else "",
              "tel": desk.tel, "email": desk.email}

    def tpl(id_: str, text: str, why: str, page: int, case: str | None) -> Template:
        return Template(id_, text, why, source_label(course, page, case))

    partners = {t.id: t.name for t in course.policy_types}
    partners[UNKNOWN_PARTNER] = msg("first_questions.partner_unknown")
    return Guide(
        desk_name=desk.name,
        questions=tuple(tpl(q.id, q.text, q.why, q.page, q.case) for q in cl.questions),
        prepare=tuple(tpl(p.id, p.text, p.why, p.page, p.case) for p in cl.prepare),
        by_kind={k.kind: tpl(f"kind_{k.kind}", k.text, k.why, k.page, k.case) for k in cl.by_kind},
        partner_questions={p.partner: (tpl(f"partner_{p.partner}", p.question, p.why, p.page, p.case),)
                           for p in cl.by_partner if p.question},
        partner_prepare={p.partner: (tpl(f"prepare_{p.partner}", p.prepare, p.why, p.page, p.case),)
                         for p in cl.by_partner if p.prepare},
        kinds={k.id: k.name for k in course.policy.resource_kinds},
        partners=partners,
        values=values,
        broad_targets=tuple(cl.vague_words.broad_targets),
        means_words=tuple(cl.vague_words.means_words),
        nothing_words=tuple(cl.vague_words.nothing_words),
    )


def load_guide(data_dir: str | Path | None = None) -> Guide:
    """The guide of exercise 1 (``kind: first_questions``), from the checked data."""
    return build_guide(*load(data_dir))


# --- views (HTML, every value escaped) --------------------------------------------------------

def _link(url: str) -> str:
    """A plain link for http(s) addresses; anything else is shown as text only. Nothing is loaded."""
    if url.startswith(("http://", "https://")):
        return f"<a href='{esc(url)}' rel='noopener noreferrer'>{esc(url)}</a>"
    return esc(url)


def contacts_html(course: Course) -> str:
    """The consultation desk and the information sites on citizen groups (pamphlet P7)."""
    desk = course.contacts.consultation_desk
    rows = [
        (msg("first_step.col_desk"), desk.name),
        (msg("first_step.col_helps"), desk.purpose),
        (msg("first_step.col_address"), f"〒{desk.postcode} {desk.address}"),
        (msg("first_step.col_tel"), desk.tel),
        (msg("first_step.col_fax"), desk.fax),
        (msg("first_step.col_email"), desk.email),
    ]
    desk_rows = "".join(
        f"<tr><th scope='row' style='text-align:left;padding:0.25em 0.6em;vertical-align:top;white-space:nowrap'>"
        f"{esc(k)}</th><td style='padding:0.25em 0.6em'>{esc(v)}</td></tr>" for k, v in rows)
    site_rows = "".join(
        f"<tr><td style='padding:0.3em 0.6em;vertical-align:top'><strong>{esc(s.name)}</strong></td>"
        f"<td style='padding:0.3em 0.6em;vertical-align:top'>{esc(s.operator)}</td>"
        f"<td style='padding:0.3em 0.6em;vertical-align:top'>{esc(s.about)}</td>"
        f"<td style='padding:0.3em 0.6em;vertical-align:top'>{_link(s.url)}</td></tr>"
        for s in course.contacts.information_sites)
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em'>{esc(h)}</th>" for h in (
        msg("first_step.col_site"), msg("first_step.col_operator"), msg("first_step.col_about"),
        msg("first_step.col_url")))
    return (
        "<div style='border:1px solid #999;border-radius:6px;padding:0.6em 1em;margin:0.5em 0'>"
        f"<p style='margin:0 0 0.3em 0'><strong>{esc(msg('first_step.desk_title'))}</strong></p>"
        f"<table style='border-collapse:collapse;margin:0.2em 0 0.8em 0'><tbody>{desk_rows}</tbody></table>"
        f"<p style='margin:0 0 0.3em 0'><strong>{esc(msg('first_step.sites_title'))}</strong></p>"
        f"<table style='border-collapse:collapse;margin:0.2em 0'><thead><tr>{head}</tr></thead>"
        f"<tbody>{site_rows}</tbody></table>"
        f"<p style='margin:0.4em 0 0 0;font-size:0.9em'>{esc(msg('first_step.contacts_note'))}</p>"
        f"<p style='margin:0;font-size:0.9em'>{esc(msg('view.source', page=7))}</p></div>"
    )


def worked_example_html(course: Course, material: FirstStepMaterial) -> str:
    """The model answer of exercise 1: a hypothetical idea and the checklist the exercise makes from it."""
    ex = material.example
    guide = build_guide(course, material)
    checklist = build_checklist(ex.model_dump(exclude={"hypothetical"}), guide)
    kinds = "・".join(guide.kinds[k] for k in ex.lack_kinds) or "-"
    rows = [[field_label(name), str(getattr(ex, name))] for name in FIELDS]
    rows += [[msg("first_questions.field_lack_kinds"), kinds],
             [msg("first_questions.field_partner"), guide.partners[ex.partner]]]
    table = _table([msg("first_step.col_field"), msg("first_step.col_entry")], rows,
                   msg("first_step.example_caption"))
    verdict = checklist.summary if not checklist.advice else (
        checklist.summary + " " + " ".join(a.text for a in checklist.advice))
    return (
        f"<details><summary>{esc(msg('first_step.example_summary'))}</summary>"
        f"<p>{esc(msg('first_step.example_intro'))}</p>{table}"
        f"<p><strong>{esc(msg('first_step.example_result'))}</strong> {esc(verdict)}</p>"
        + checklist_html(checklist, guide.desk_name)
        + "</details>"
    )


# --- what the notebook calls --------------------------------------------------------------------

@_friendly
def contacts() -> None:
    """Show the consultation desk and the information sites."""
    course, _ = load()
    display(HTML(contacts_html(course)))


@_friendly
def worked_example() -> None:
    """Show the model answer of exercise 1 (``first_step-ex1``), computed from the hypothetical example."""
    course, material = load()
    display(HTML(worked_example_html(course, material)))

