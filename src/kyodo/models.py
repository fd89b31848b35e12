"""Pydantic models of the course data (``data/*.yml``).

Every model forbids unknown fields, so a misspelt key in a YAML file is
reported instead of silently ignored. Cross-references between files
(an organisation's type, a flow's endpoints, ...) are checked in
:mod:`kyodo.data`, which knows the whole course.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""Identifiers: lower-case ASCII letters, digits and ``_``, starting with a letter."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text (Japanese unless the field name ends in ``_en``)."""

Basis = Literal["diagram", "diagram_roles", "text"]
"""Where a fact comes from in the pamphlet: an arrow of its diagram, the tasks the
diagram lists under each actor (read into a flow by the course), or its running text."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActorType(_Strict):
    """A kind of actor, e.g. 大学. ``policy`` marks the six of the basic policy."""

    id: Id
    name: Text
    name_en: Text
    policy: bool


class Strength(_Strict):
    """A feature or strength of an organisation that the pamphlet states."""

    id: Id
    text: Text
    text_en: Text | None = None
    resource: Id | None = None


class Organisation(_Strict):
    id: Id
    name: Text
    short: Text | None = None
    """A shorter name for diagrams and menus (the full name is used when absent)."""
    name_en: Text
    type: Id
    description: Text
    strengths: list[Strength] = []


class Activity(_Strict):
    id: Id
    text: Text


class Participant(_Strict):
    """An organisation taking part in a case, with its role there."""

    org: Id
    role: Text
    activities: list[Activity] = []


class Flow(_Strict):
    """Something (a thing or information) passing from one participant to another."""

    id: Id
    source: Id
    target: Id
    item: Text
    label: Text
    basis: Basis
    explanation: Text
    hint: Text | None = None


class Outcome(_Strict):
    text: Text
    basis: Basis


class Step(_Strict):
    id: Id
    text: Text


class Scheme(_Strict):
    name: Text
    steps: list[Step] = Field(min_length=2)


class NamedItem(_Strict):
    id: Id
    name: Text
    name_en: Text | None = None


class MissingResource(_Strict):
    text: Text
    resource: Id


class OutcomeOrientation(_Strict):
    """A case read through the three steps of outcome orientation.

    ``interpretation`` must be true: this is the course's reading of the
    pamphlet, not a statement the pamphlet makes in these words.
    """

    interpretation: Literal[True]
    purpose: Text
    needs: list[Text] = Field(min_length=1)
    missing: list[MissingResource] = Field(min_length=1)
    partner: Id


class Case(_Strict):
    id: Id
    number: int = Field(ge=1)
    page: int = Field(ge=1)
    combination: Text
    combination_en: Text
    combination_types: list[Id] = Field(min_length=2, max_length=2)
    """The two actor types the pamphlet pairs in this case (e.g. 大学 and 行政)."""
    project: Text
    project_en: Text
    point: Text
    point_en: Text
    viewpoint: Id
    summary: Text
    participants: list[Participant] = Field(min_length=2)
    flows: list[Flow] = []
    outcomes: list[Outcome] = Field(min_length=1)
    key_points: list[Text] = Field(min_length=1)
    outcome_orientation: OutcomeOrientation | None = None
    # Optional sections that a case's exercises use.
    scheme: Scheme | None = None
    stakeholders: list[NamedItem] = []
    abilities: list[NamedItem] = []
    programmes: list[NamedItem] = []
    donation_rate: float | None = Field(default=None, gt=0, lt=1)


class VisionPart(_Strict):
    id: Id
    question: Text
    answer: Text


class Vision(_Strict):
    quote: Text
    parts: list[VisionPart] = Field(min_length=1)


class Viewpoint(_Strict):
    id: Id
    name: Text
    name_en: Text
    summary: Text
    cases: list[Id] = []


class OutcomeStep(_Strict):
    id: Id
    number: int
    text: Text
    text_en: Text


class ResourceKind(_Strict):
    id: Id
    name: Text
    name_en: Text
    clue: Text
    """A description that does not use the name, for hints."""


class Policy(_Strict):
    name: Text
    name_en: Text
    adopted: Text
    adopted_ja: Text
    vision: Vision
    viewpoints: list[Viewpoint] = Field(min_length=1)
    outcome_steps: list[OutcomeStep] = Field(min_length=1)
    resource_kinds: list[ResourceKind] = Field(min_length=1)
    background: list[Text] = []


class ConsultationDesk(_Strict):
    name: Text
    name_en: Text
    purpose: Text
    postcode: Text
    address: Text
    tel: Text
    fax: Text
    email: Text


class InformationSite(_Strict):
    id: Id
    name: Text
    operator: Text
    url: Text
    about: Text


class Contacts(_Strict):
    consultation_desk: ConsultationDesk
    information_sites: list[InformationSite] = []


class Source(_Strict):
    id: Id
    title: Text
    title_en: Text
    publisher: Text
    pages: Text | None = None
    date: Text | None = None
    note: Text | None = None


class Answer(_Strict):
    answer: Text
    correct: bool
    feedback: Text


class Question(_Strict):
    """A self-check question that works without a kernel (rendered by jupyterquiz)."""

    question: Text
    type: Literal["multiple_choice", "many_choice"]
    answers: list[Answer] = Field(min_length=2)


class SelfCheckFile(_Strict):
    lesson: Id
    questions: list[Question] = Field(min_length=1)


class ActorTypesFile(_Strict):
    actor_types: list[ActorType] = Field(min_length=1)


class OrganisationsFile(_Strict):
    organisations: list[Organisation] = Field(min_length=1)


class SourcesFile(_Strict):
    sources: list[Source] = Field(min_length=1)
