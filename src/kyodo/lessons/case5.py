"""CASE5 (企業と町内会・自治会など): the lesson's own exercises.

In the notebook::

    from kyodo.lessons import case5
    case5.network_before_after()   # the hypothetical network, before and after the shared events
    case5.network()                # exercise: strengthen the network, see what happens when someone leaves
    case5.contact_plan()           # exercise: a year of recurring contact

The material lives in ``data/lessons/case5.yml`` and is checked by
:class:`Case5Material` and :func:`check_material` (every reference to a
person, an occasion or an actor type must exist; every tie made at an
occasion must join two people who attend it).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Literal

from IPython.display import HTML, display
from pydantic import BaseModel, ConfigDict, Field

from ..data import Course, DataError, Problem, check_refs, default_data_dir, duplicates, load_lesson_data
from ..exercises.contact_plan import ContactKind, ContactPlan
from ..exercises.network import NetworkExercise, Occasion, Origin, Person, Tie
from ..lesson import _friendly, course
from ..models import Id, Text
from ..figures import show_figure
from ..network_diagram import NetworkPanel
from ..text import esc, msg
from ..widgets.contact_plan import ContactPlanWidget
from ..widgets.network import NetworkWidget, figure_with_alt

LESSON_ID = "case5"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonModel(_Strict):
    id: Id
    name: Text
    name_en: Text
    short: Text
    type: Id


class OccasionModel(_Strict):
    id: Id
    name: Text
    name_en: Text
    attendees: list[Id] = Field(min_length=2)


class TieModel(_Strict):
    a: Id
    b: Id
    occasion: Id | None = None


class NetworkMaterial(_Strict):
    hypothetical: Literal[True]
    """The people and ties are the course's invention: the pamphlet names no one."""
    people: list[PersonModel] = Field(min_length=2)
    occasions: list[OccasionModel] = Field(min_length=1)
    before: list[TieModel] = []
    after_events: list[TieModel] = Field(min_length=1)
    max_added: int = Field(ge=1, le=20)


class ContactKindModel(_Strict):
    id: Id
    name: Text
    name_en: Text
    face_to_face: bool
    role: Literal["meeting", "event", "report", "review", "other"]
    clue: Text


class ContactPlanMaterial(_Strict):
    interpretation: Literal[True]
    kinds: list[ContactKindModel] = Field(min_length=2)
    max_gap: int = Field(ge=1, le=6)


class Case5Material(_Strict):
    network: NetworkMaterial
    contact_plan: ContactPlanMaterial


def check_material(material: Case5Material, course_data: Course, file: str) -> list[Problem]:
    """Cross-checks the model cannot do: references, duplicates, attendance."""
    net = material.network
    problems: list[Problem] = []
    people = [p.id for p in net.people]
    occasions = {o.id: o for o in net.occasions}
    for dup in duplicates(people):
        problems.append(Problem(file, "network.people", msg("data.dup_id", id=dup)))
    for dup in duplicates(o.id for o in net.occasions):
        problems.append(Problem(file, "network.occasions", msg("data.dup_id", id=dup)))
    for dup in duplicates(k.id for k in material.contact_plan.kinds):
        problems.append(Problem(file, "contact_plan.kinds", msg("data.dup_id", id=dup)))
    problems += check_refs(file, "network.people.type", [p.type for p in net.people],
                           [t.id for t in course_data.actor_types])
    for o in net.occasions:
        problems += check_refs(file, f"network.occasions (id: {o.id}).attendees", o.attendees, people)
    pairs: Counter[frozenset[str]] = Counter()
    for section, ties in (("before", net.before), ("after_events", net.after_events)):
        for n, t in enumerate(ties, start=1):
            where = f"network.{section}[{n}]"
            problems += check_refs(file, where, [t.a, t.b], people)
            if t.a == t.b:
                problems.append(Problem(file, where, msg("case5_lesson.self_tie", id=t.a)))
            pairs[frozenset((t.a, t.b))] += 1
            if section == "after_events" and t.occasion is None:
                problems.append(Problem(file, where, msg("case5_lesson.no_occasion")))
            if t.occasion is not None:
                if t.occasion not in occasions:
                    problems += check_refs(file, f"{where}.occasion", [t.occasion], occasions)
                else:
                    absent = [p for p in (t.a, t.b) if p not in occasions[t.occasion].attendees]
                    if absent:
                        problems.append(Problem(file, where, msg("case5_lesson.absent", occasion=t.occasion,
                                                                 ids=", ".join(absent))))
    for pair, n in pairs.items():
        if n > 1 and len(pair) == 2:
            problems.append(Problem(file, "network", msg("case5_lesson.dup_tie", pair=" — ".join(sorted(pair)))))
    return problems


def load_material(data_dir: str | Path | None = None, course_data: Course | None = None) -> Case5Material:
    """Load and cross-check ``data/lessons/case5.yml`` (raises :class:`DataError`)."""
    material = load_lesson_data(LESSON_ID, Case5Material, data_dir)
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    problems = check_material(material, course_data or course(), f"{folder.name}/lessons/{LESSON_ID}.yml")
    if problems:
        raise DataError(problems)
    return material


def build_network(material: Case5Material) -> NetworkExercise:
    net = material.network
    return NetworkExercise(
        people=[Person(p.id, p.name, p.short, p.type) for p in net.people],
        occasions=[Occasion(o.id, o.name, frozenset(o.attendees)) for o in net.occasions],
        before_ties=[Tie(t.a, t.b, Origin.BEFORE, t.occasion) for t in net.before],
        event_ties=[Tie(t.a, t.b, Origin.EVENT, t.occasion) for t in net.after_events],
        max_added=net.max_added,
    )


def build_plan(material: Case5Material) -> ContactPlan:
    plan = material.contact_plan
    kinds = [ContactKind(k.id, k.name, k.face_to_face, k.role, k.clue) for k in plan.kinds]
    return ContactPlan(kinds, max_gap=plan.max_gap)


# --- what the notebook calls -------------------------------------------------------

@_friendly
def network_before_after() -> None:
    """Show the hypothetical network before and after the festival and the factory tour, with its alt text."""
    exercise = build_network(load_material())
    panels = [NetworkPanel(msg("network.title_before"), tuple(exercise.before().ties)),
              NetworkPanel(msg("network.title_after"), tuple(exercise.after_events().ties))]
    figure, alt = figure_with_alt(exercise, panels)
    before, after = exercise.before().robustness(), exercise.after_events().robustness()
    show_figure(figure, alt)
    display(HTML(f"<p>{esc(msg('case5_lesson.groups', before=len(before.groups), after=len(after.groups)))}</p>"))


@_friendly
def network(exercise_id: str = "演習2") -> NetworkWidget:
    """Exercise: add acquaintance ties so that no one's leaving cuts anyone off."""
    return NetworkWidget(build_network(load_material()), f"{LESSON_ID}/network", exercise_id)


@_friendly
def contact_plan(exercise_id: str = "演習3") -> ContactPlanWidget:
    """Exercise: plan a year of recurring contact for a collaboration of the learner's choice."""
    return ContactPlanWidget(build_plan(load_material()), f"{LESSON_ID}/contact_plan", exercise_id)
