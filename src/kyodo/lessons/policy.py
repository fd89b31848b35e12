"""The basic policy (川崎市協働・連携の基本方針): the lesson's views.

In the notebook::

    import kyodo
    from kyodo.lessons import policy
    policy.show_policy()             # the policy at a glance (vision quoted, viewpoints, steps)
    kyodo.exercise("policy-ex1")     # take the vision apart
    policy.viewpoints()              # the three viewpoints and the cases that illustrate them
    kyodo.exercise("policy-ex2")     # purpose → needs → gaps → who holds them
    policy.proposal()                # the hypothetical proposal used by exercises 3 and 4
    kyodo.exercise("policy-ex3")     # how actor types differ
    kyodo.exercise("policy-ex4")     # asks that fit the partner, and asks that push
    policy.actor_profiles()          # what the pamphlet says per actor type, and the course's general explanation
    policy.consultation()            # the city's consultation desk

The exercises live in the registry (``data/exercises/policy.yml``). The
material of the views (the proposal and the actor profiles) lives in
``data/lessons/policy.yml``; every fact is tied to a case of the pamphlet
(or a named place in it), and everything else is marked as the course's
general explanation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from IPython.display import HTML, display
from pydantic import Field, model_validator

from ..citation import case_ref
from ..data import Course, DataError, Problem, check_refs, default_data_dir, duplicates, load_lesson_data
from ..cells import _friendly, course
from ..models import Id, Strict, Text
from ..text import esc, msg

LESSON_ID = "policy"
LESSON_TYPES = ("company", "university", "neighbourhood_association", "citizen_group", "government")


class Proposal(Strict):
    hypothetical: Literal[True]
    title: Text
    text: Text


class PamphletFact(Strict):
    text: Text
    case: Id | None = None
    where: Text | None = None

    @model_validator(mode="after")
    def _one_source(self) -> PamphletFact:
        if (self.case is None) == (self.where is None):
            raise ValueError(msg("policy.one_source"))
        return self


class Profile(Strict):
    type: Id
    pamphlet: list[PamphletFact] = Field(min_length=1)
    general: list[Text] = []
    avoid: Text


class PolicyMaterial(Strict):
    proposal: Proposal
    profiles: list[Profile] = Field(min_length=2)


def check_material(material: PolicyMaterial, course_data: Course, file: str) -> list[Problem]:
    """Cross-checks: the actor types and cases exist; no actor type is described twice."""
    problems: list[Problem] = []
    case_ids = [c.id for c in course_data.cases]
    type_ids = [t.id for t in course_data.actor_types]
    profile_types = [p.type for p in material.profiles]
    problems += check_refs(file, "profiles.type", profile_types, type_ids)
    for p in material.profiles:
        problems += check_refs(file, f"profiles (type: {p.type}).pamphlet.case",
                               [f.case for f in p.pamphlet if f.case], case_ids)
    for dup in duplicates(profile_types):
        problems.append(Problem(file, "profiles", msg("data.dup_id", id=dup)))
    return problems


def load_material(data_dir: str | Path | None = None, course_data: Course | None = None) -> PolicyMaterial:
    """Load and cross-check ``data/lessons/policy.yml`` (raises :class:`DataError`)."""
    material = load_lesson_data(LESSON_ID, PolicyMaterial, data_dir)
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    problems = check_material(material, course_data or course(), f"{folder.name}/lessons/{LESSON_ID}.yml")
    if problems:
        raise DataError(problems)
    return material


def case_label(course_data: Course, case_id: str) -> str:
    return case_ref(course_data.case(case_id))


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
        f"<p style='margin:0.4em 0 0.1em 0'><strong>{esc(msg('policy.vision'))}</strong></p>"
        f"<blockquote style='margin:0.2em 0 0.4em 1em;border-left:4px solid #999;padding-left:0.8em'>"
        f"{esc(pol.vision.quote)}</blockquote>"
        f"<p style='margin:0.4em 0 0.1em 0'><strong>{esc(msg('policy.viewpoints'))}</strong></p><ul>{views}</ul>"
        f"<p style='margin:0.4em 0 0.1em 0'><strong>{esc(msg('policy.steps'))}</strong></p><ol>{steps}</ol>"
        f"<p style='margin:0'>{esc(msg('policy.kinds', kinds=kinds))}</p>"
        f"<p style='margin:0.4em 0 0 0;font-size:0.9em'>{esc(msg('policy.card_source'))}</p></div>"
    )


def viewpoints_table(course_data: Course) -> str:
    rows = []
    for v in course_data.policy.viewpoints:
        cases = "<br>".join(esc(msg("policy.case_line", case=case_label(course_data, c),
                                    combination=course_data.case(c).combination, point=course_data.case(c).point))
                            for c in v.cases)
        rows.append(f"<tr><th scope='row' style='{_CELL}'>{esc(v.name)}</th><td style='{_CELL}'>{esc(v.summary)}</td>"
                    f"<td style='{_CELL}'>{cases}</td></tr>")
    head = "".join(f"<th scope='col' style='{_CELL}'>{esc(msg(k))}</th>"
                   for k in ("policy.col_viewpoint", "policy.col_summary", "policy.col_cases"))
    return (f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;font-weight:bold'>"
            f"{esc(msg('policy.viewpoints_caption'))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def proposal_card(material: PolicyMaterial) -> str:
    p = material.proposal
    return (f"<div style='{_BOX};background:#fff4dc'><p style='margin:0'><strong>"
            f"{esc(msg('policy.proposal_label'))}</strong> {esc(p.title)}</p>"
            f"<p style='margin:0.3em 0 0 0'>{esc(p.text)}</p></div>")


def profiles_table(material: PolicyMaterial, course_data: Course) -> str:
    rows = []
    for p in material.profiles:
        facts = "".join(
            f"<li>{esc(f.text)} <small>({esc(case_label(course_data, f.case) if f.case else f.where)})</small></li>"
            for f in p.pamphlet)
        general = "".join(f"<li>{esc(g)}</li>" for g in p.general) or esc(msg("policy.none"))
        rows.append(
            f"<tr><th scope='row' style='{_CELL}'>{esc(course_data.actor_type(p.type).name)}</th>"
            f"<td style='{_CELL}'><ul style='margin:0;padding-left:1.2em'>{facts}</ul></td>"
            f"<td style='{_CELL}'><ul style='margin:0;padding-left:1.2em'>{general}</ul></td>"
            f"<td style='{_CELL}'>{esc(p.avoid)}</td></tr>")
    head = "".join(f"<th scope='col' style='{_CELL}'>{esc(msg(k))}</th>"
                   for k in ("policy.col_type", "policy.col_pamphlet", "policy.col_general",
                             "policy.col_avoid"))
    return (f"<details><summary>{esc(msg('policy.profiles_summary'))}</summary>"
            f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;font-weight:bold'>"
            f"{esc(msg('policy.profiles_caption'))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p style='font-size:0.9em'>{esc(msg('policy.profiles_note'))}</p></details>")


def consultation_card(course_data: Course) -> str:
    desk = course_data.contacts.consultation_desk
    sites = "".join(f"<li>{esc(s.name)} ({esc(s.operator)}): {esc(s.about)} <code>{esc(s.url)}</code></li>"
                    for s in course_data.contacts.information_sites)
    return (f"<div style='{_BOX}'><p style='margin:0'><strong>{esc(desk.name)}</strong></p>"
            f"<p style='margin:0.3em 0'>{esc(desk.purpose)}</p>"
            f"<p style='margin:0.3em 0'>{esc(msg('policy.desk_contact', postcode=desk.postcode, address=desk.address, tel=desk.tel, fax=desk.fax, email=desk.email))}</p>"
            f"<p style='margin:0.3em 0 0 0'>{esc(msg('policy.sites'))}</p><ul>{sites}</ul></div>")


# --- what the notebook calls ----------------------------------------------------------

@_friendly
def show_policy() -> None:
    display(HTML(policy_card(course())))


@_friendly
def viewpoints() -> None:
    display(HTML(viewpoints_table(course())))


@_friendly
def proposal() -> None:
    display(HTML(proposal_card(load_material())))


@_friendly
def actor_profiles() -> None:
    display(HTML(profiles_table(load_material(), course())))


@_friendly
def consultation() -> None:
    display(HTML(consultation_card(course())))
