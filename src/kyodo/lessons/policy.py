"""The basic policy (川崎市協働・連携の基本方針): the lesson's own exercises and views.

In the notebook::

    from kyodo.lessons import policy
    policy.show_policy()        # the policy at a glance (vision quoted, viewpoints, steps)
    policy.vision_parts()       # exercise: take the vision apart
    policy.viewpoints()         # the three viewpoints and the cases that illustrate them
    policy.gap_finder()         # exercise: purpose → needs → gaps → who holds them
    policy.proposal()           # the hypothetical proposal used by the next two exercises
    policy.differences()        # exercise: how actor types differ
    policy.actor_profiles()     # what the pamphlet says per actor type, and the course's general explanation
    policy.requests()           # exercise: asks that fit the partner, and asks that push
    policy.consultation()       # the city's consultation desk

The material lives in ``data/lessons/policy.yml``; every fact is tied to
a case of the pamphlet (or a named place in it), and everything else is
marked as the course's general explanation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from IPython.display import HTML, display
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..data import Course, DataError, Problem, check_refs, default_data_dir, duplicates, load_lesson_data
from ..exercises.gap_finder import GapFinder
from ..exercises.sorting import Category, SortingTask, SortItem
from ..lesson import _friendly, course
from ..models import Id, Text
from ..text import esc, msg
from ..widgets.gap_finder import GapFinderWidget
from ..widgets.stacked import StackedSortingWidget

LESSON_ID = "policy"
LESSON_TYPES = ("company", "university", "neighbourhood_association", "citizen_group", "government")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VisionClue(_Strict):
    part: Id
    clue: Text
    why: Text


class VisionExample(_Strict):
    id: Id
    part: Id
    case: Id
    text: Text


class VisionMaterial(_Strict):
    interpretation: Literal[True]
    parts: list[VisionClue] = Field(min_length=2)
    examples: list[VisionExample] = []


class Proposal(_Strict):
    hypothetical: Literal[True]
    title: Text
    text: Text


class PamphletFact(_Strict):
    text: Text
    case: Id | None = None
    where: Text | None = None

    @model_validator(mode="after")
    def _one_source(self) -> PamphletFact:
        if (self.case is None) == (self.where is None):
            raise ValueError(msg("policy_lesson.one_source"))
        return self


class Profile(_Strict):
    type: Id
    clue: Text
    pamphlet: list[PamphletFact] = Field(min_length=1)
    general: list[Text] = []
    avoid: Text


class _Based(_Strict):
    """An item that rests either on a case of the pamphlet or on the course's general explanation."""

    case: Id | None = None
    general: bool = False

    @model_validator(mode="after")
    def _one_basis(self) -> _Based:
        if (self.case is None) == (not self.general):
            raise ValueError(msg("policy_lesson.one_basis"))
        return self


class Difference(_Based):
    id: Id
    type: Id
    aspect: Literal["purpose", "motive", "procedure", "strength"]
    text: Text


class Request(_Based):
    id: Id
    type: Id
    answer: Literal["fits", "pushes"]
    text: Text
    why: Text


class PolicyMaterial(_Strict):
    vision: VisionMaterial
    proposal: Proposal
    profiles: list[Profile] = Field(min_length=2)
    differences: list[Difference] = Field(min_length=2)
    requests: list[Request] = Field(min_length=2)


def check_material(material: PolicyMaterial, course_data: Course, file: str) -> list[Problem]:
    """Cross-checks: vision parts, cases and actor types exist; ids are unique; every part and type is used."""
    problems: list[Problem] = []
    part_ids = [p.id for p in course_data.policy.vision.parts]
    case_ids = [c.id for c in course_data.cases]
    type_ids = [t.id for t in course_data.actor_types]
    given = [p.part for p in material.vision.parts]
    problems += check_refs(file, "vision.parts.part", given, part_ids)
    for missing in [p for p in part_ids if p not in given]:
        problems.append(Problem(file, "vision.parts", msg("policy_lesson.part_missing", part=missing)))
    problems += check_refs(file, "vision.examples.part", [e.part for e in material.vision.examples], part_ids)
    problems += check_refs(file, "vision.examples.case", [e.case for e in material.vision.examples], case_ids)
    profile_types = [p.type for p in material.profiles]
    problems += check_refs(file, "profiles.type", profile_types, type_ids)
    for p in material.profiles:
        problems += check_refs(file, f"profiles (type: {p.type}).pamphlet.case",
                               [f.case for f in p.pamphlet if f.case], case_ids)
    for section, items in (("differences", material.differences), ("requests", material.requests)):
        problems += check_refs(file, f"{section}.type", [i.type for i in items], profile_types)
        problems += check_refs(file, f"{section}.case", [i.case for i in items if i.case], case_ids)
    for section, ids in (("vision.parts", given), ("vision.examples", [e.id for e in material.vision.examples]),
                         ("profiles", profile_types), ("differences", [d.id for d in material.differences]),
                         ("requests", [r.id for r in material.requests])):
        for dup in duplicates(ids):
            problems.append(Problem(file, section, msg("data.dup_id", id=dup)))
    return problems


def load_material(data_dir: str | Path | None = None, course_data: Course | None = None) -> PolicyMaterial:
    """Load and cross-check ``data/lessons/policy.yml`` (raises :class:`DataError`)."""
    material = load_lesson_data(LESSON_ID, PolicyMaterial, data_dir)
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    problems = check_material(material, course_data or course(), f"{folder.name}/lessons/{LESSON_ID}.yml")
    if problems:
        raise DataError(problems)
    return material


# --- tasks built from the material -------------------------------------------------

def case_label(course_data: Course, case_id: str) -> str:
    case = course_data.case(case_id)
    return msg("policy_lesson.case_ref", number=case.number, page=case.page)


def basis_label(course_data: Course, item: _Based) -> str:
    if item.case:
        return msg("policy_lesson.basis_case", case=case_label(course_data, item.case))
    return msg("policy_lesson.basis_general")


def vision_task(material: PolicyMaterial, course_data: Course) -> SortingTask:
    """Match each phrase of the vision (and each case example of it) to the question it answers."""
    parts = {p.id: p for p in course_data.policy.vision.parts}
    clues = {c.part: c for c in material.vision.parts}
    categories = [Category(p.id, p.question, clues[p.id].clue) for p in course_data.policy.vision.parts]
    items = [SortItem(f"phrase_{p.id}", msg("policy_lesson.phrase", text=p.answer), p.id,
                      msg("policy_lesson.phrase_why", question=p.question, why=clues[p.id].why))
             for p in course_data.policy.vision.parts]
    items += [SortItem(e.id, msg("policy_lesson.example", case=case_label(course_data, e.case), text=e.text), e.part,
                       msg("policy_lesson.example_why", question=parts[e.part].question, phrase=parts[e.part].answer))
              for e in material.vision.examples]
    return SortingTask(items, categories)


def difference_task(material: PolicyMaterial, course_data: Course) -> SortingTask:
    """Sort statements about purpose, motive, procedure and strengths to the actor type they describe."""
    categories = [Category(p.type, course_data.actor_type(p.type).name, p.clue) for p in material.profiles]
    items = [
        SortItem(d.id, msg("policy_lesson.aspect_text", aspect=msg(f"policy_lesson.aspect_{d.aspect}"), text=d.text),
                 d.type, msg("policy_lesson.difference_why", type=course_data.actor_type(d.type).name,
                             aspect=msg(f"policy_lesson.aspect_{d.aspect}"), basis=basis_label(course_data, d)))
        for d in material.differences
    ]
    return SortingTask(items, categories)


def request_task(material: PolicyMaterial, course_data: Course) -> SortingTask:
    """Judge each request: does it use what the partner can do, or push what it cannot?"""
    categories = [Category("fits", msg("policy_lesson.fits"), msg("policy_lesson.fits_clue")),
                  Category("pushes", msg("policy_lesson.pushes"), msg("policy_lesson.pushes_clue"))]
    items = [SortItem(r.id, r.text, r.answer, msg("policy_lesson.request_why", why=r.why,
                                                  basis=basis_label(course_data, r)))
             for r in material.requests]
    return SortingTask(items, categories)


# --- views ---------------------------------------------------------------------------

_BOX = "border:1px solid #999;border-radius:6px;padding:0.6em 1em;margin:0.5em 0"
_CELL = "padding:0.3em 0.6em;vertical-align:top;border-top:1px solid #ccc;text-align:left"


def policy_card(course_data: Course) -> str:
    pol = course_data.policy
    steps = "".join(f"<li>{esc(s.text)}</li>" for s in pol.outcome_steps)
    kinds = "、".join(k.name for k in pol.resource_kinds)
    views = "".join(f"<li><strong>{esc(v.name)}</strong>: {esc(v.summary)}</li>" for v in pol.viewpoints)
    return (
        f"<div style='{_BOX}'>"
        f"<p style='margin:0;font-size:1.15em'><strong>{esc(pol.name)}</strong> ({esc(pol.adopted_ja)})</p>"
        f"<p style='margin:0.4em 0 0.1em 0'><strong>{esc(msg('policy_lesson.vision'))}</strong></p>"
        f"<blockquote style='margin:0.2em 0 0.4em 1em;border-left:4px solid #999;padding-left:0.8em'>"
        f"{esc(pol.vision.quote)}</blockquote>"
        f"<p style='margin:0.4em 0 0.1em 0'><strong>{esc(msg('policy_lesson.viewpoints'))}</strong></p><ul>{views}</ul>"
        f"<p style='margin:0.4em 0 0.1em 0'><strong>{esc(msg('policy_lesson.steps'))}</strong></p><ol>{steps}</ol>"
        f"<p style='margin:0'>{esc(msg('policy_lesson.kinds', kinds=kinds))}</p>"
        f"<p style='margin:0.4em 0 0 0;font-size:0.9em'>{esc(msg('policy_lesson.card_source'))}</p></div>"
    )


def viewpoints_table(course_data: Course) -> str:
    rows = []
    for v in course_data.policy.viewpoints:
        cases = "<br>".join(esc(msg("policy_lesson.case_line", case=case_label(course_data, c),
                                    combination=course_data.case(c).combination, point=course_data.case(c).point))
                            for c in v.cases)
        rows.append(f"<tr><th scope='row' style='{_CELL}'>{esc(v.name)}</th><td style='{_CELL}'>{esc(v.summary)}</td>"
                    f"<td style='{_CELL}'>{cases}</td></tr>")
    head = "".join(f"<th scope='col' style='{_CELL}'>{esc(msg(k))}</th>"
                   for k in ("policy_lesson.col_viewpoint", "policy_lesson.col_summary", "policy_lesson.col_cases"))
    return (f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;font-weight:bold'>"
            f"{esc(msg('policy_lesson.viewpoints_caption'))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def proposal_card(material: PolicyMaterial) -> str:
    p = material.proposal
    return (f"<div style='{_BOX};background:#fff4dc'><p style='margin:0'><strong>"
            f"{esc(msg('policy_lesson.proposal_label'))}</strong> {esc(p.title)}</p>"
            f"<p style='margin:0.3em 0 0 0'>{esc(p.text)}</p></div>")


def profiles_table(material: PolicyMaterial, course_data: Course) -> str:
    rows = []
    for p in material.profiles:
        facts = "".join(
            f"<li>{esc(f.text)} <small>({esc(case_label(course_data, f.case) if f.case else f.where)})</small></li>"
            for f in p.pamphlet)
        general = "".join(f"<li>{esc(g)}</li>" for g in p.general) or esc(msg("policy_lesson.none"))
        rows.append(
            f"<tr><th scope='row' style='{_CELL}'>{esc(course_data.actor_type(p.type).name)}</th>"
            f"<td style='{_CELL}'><ul style='margin:0;padding-left:1.2em'>{facts}</ul></td>"
            f"<td style='{_CELL}'><ul style='margin:0;padding-left:1.2em'>{general}</ul></td>"
            f"<td style='{_CELL}'>{esc(p.avoid)}</td></tr>")
    head = "".join(f"<th scope='col' style='{_CELL}'>{esc(msg(k))}</th>"
                   for k in ("policy_lesson.col_type", "policy_lesson.col_pamphlet", "policy_lesson.col_general",
                             "policy_lesson.col_avoid"))
    return (f"<details><summary>{esc(msg('policy_lesson.profiles_summary'))}</summary>"
            f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;font-weight:bold'>"
            f"{esc(msg('policy_lesson.profiles_caption'))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p style='font-size:0.9em'>{esc(msg('policy_lesson.profiles_note'))}</p></details>")


def consultation_card(course_data: Course) -> str:
    desk = course_data.contacts.consultation_desk
    sites = "".join(f"<li>{esc(s.name)} ({esc(s.operator)}): {esc(s.about)} <code>{esc(s.url)}</code></li>"
                    for s in course_data.contacts.information_sites)
    return (f"<div style='{_BOX}'><p style='margin:0'><strong>{esc(desk.name)}</strong></p>"
            f"<p style='margin:0.3em 0'>{esc(desk.purpose)}</p>"
            f"<p style='margin:0.3em 0'>{esc(msg('policy_lesson.desk_contact', postcode=desk.postcode, address=desk.address, tel=desk.tel, fax=desk.fax, email=desk.email))}</p>"
            f"<p style='margin:0.3em 0 0 0'>{esc(msg('policy_lesson.sites'))}</p><ul>{sites}</ul></div>")


# --- what the notebook calls ----------------------------------------------------------

@_friendly
def show_policy() -> None:
    display(HTML(policy_card(course())))


@_friendly
def vision_parts(exercise_id: str = "演習1") -> StackedSortingWidget:
    task = vision_task(load_material(), course())
    return StackedSortingWidget(task, f"{LESSON_ID}/vision", exercise_id, msg("policy_lesson.vision_title"),
                         msg("policy_lesson.vision_instructions"))


@_friendly
def viewpoints() -> None:
    display(HTML(viewpoints_table(course())))


@_friendly
def gap_finder(exercise_id: str = "演習2") -> GapFinderWidget:
    return GapFinderWidget(GapFinder(course()), f"{LESSON_ID}/gap_finder", exercise_id)


@_friendly
def proposal() -> None:
    display(HTML(proposal_card(load_material())))


@_friendly
def differences(exercise_id: str = "演習3") -> StackedSortingWidget:
    task = difference_task(load_material(), course())
    return StackedSortingWidget(task, f"{LESSON_ID}/differences", exercise_id, msg("policy_lesson.differences_title"),
                         msg("policy_lesson.differences_instructions"))


@_friendly
def actor_profiles() -> None:
    display(HTML(profiles_table(load_material(), course())))


@_friendly
def requests(exercise_id: str = "演習4") -> StackedSortingWidget:
    task = request_task(load_material(), course())
    return StackedSortingWidget(task, f"{LESSON_ID}/requests", exercise_id, msg("policy_lesson.requests_title"),
                         msg("policy_lesson.requests_instructions"))


@_friendly
def consultation() -> None:
    display(HTML(consultation_card(course())))
