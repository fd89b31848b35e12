"""Pydantic models of the course data (``data/*.yml``).

Every model forbids unknown fields, so a misspelt key in a YAML file is
reported instead of silently ignored. Cross-references between files
(an organisation's type, a flow's endpoints, ...) are checked in
:mod:`kyodo.data`, which knows the whole course.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from .text import msg

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""Identifiers: lower-case ASCII letters, digits and ``_``, starting with a letter."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text (Japanese unless the field name ends in ``_en``)."""

Basis = Literal["diagram", "diagram_roles", "text"]
"""Where a fact comes from in the pamphlet: an arrow of its diagram, the tasks the
diagram lists under each actor (read into a flow by the course), or its running text."""


class Strict(BaseModel):
    """The base of every model of the course's data: unknown fields are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ActorType(Strict):
    """A kind of actor, e.g. 大学. ``policy`` marks the six of the basic policy."""

    id: Id
    name: Text
    name_en: Text
    policy: bool


class Strength(Strict):
    """A feature or strength of an organisation that the pamphlet states."""

    id: Id
    text: Text
    text_en: Text | None = None
    resource: Id | None = None


class Organisation(Strict):
    id: Id
    name: Text
    short: Text | None = None
    """A shorter name for diagrams and menus (the full name is used when absent)."""
    name_en: Text
    type: Id
    description: Text
    strengths: list[Strength] = []


class Activity(Strict):
    id: Id
    text: Text


class Participant(Strict):
    """An organisation taking part in a case, with its role there."""

    org: Id
    role: Text
    activities: list[Activity] = []


class AltReading(Strict):
    """Another way of drawing a flow: other endpoints for the same item, accepted with a comment."""

    source: Id
    target: Id
    comment: Text


UNSCORED_BASES: frozenset[str] = frozenset({"diagram_roles"})
"""Bases whose flows are not scored unless ``scored: true`` says otherwise: the course's
reading of the pamphlet, not something the pamphlet draws or states."""


class Flow(Strict):
    """Something (a thing or information) passing from one participant to another.

    How the flow-mapping exercise accepts an arrow for it:

    - ``scored``: whether the arrow is scored (counted, and required for a
      complete map). When absent it follows ``basis``: flows read by the
      course (``diagram_roles``) are not scored, the others are.
    - ``either_direction``: both directions are right (the pamphlet draws the
      link without a clear one-way meaning).
    - ``also``: other endpoints that are accepted too, each with a comment
      saying how that reading sees the flow.
    - ``discussion``: for a flow that is not scored (and only then, where it is
      required), what to talk about once the map is checked.
    """

    id: Id
    source: Id
    target: Id
    item: Text
    label: Text
    basis: Basis
    explanation: Text
    hint: Text | None = None
    scored: bool | None = None
    either_direction: bool = False
    also: list[AltReading] = []
    discussion: Text | None = Field(default=None, validate_default=True)

    @property
    def is_scored(self) -> bool:
        """Whether the flow is scored: ``scored`` if given, else derived from ``basis``."""
        if self.scored is not None:
            return self.scored
        return self.basis not in UNSCORED_BASES

    @field_validator("also")
    @classmethod
    def _readings_differ(cls, also: list[AltReading], info: ValidationInfo) -> list[AltReading]:
        source, target = info.data.get("source"), info.data.get("target")
        if source is None or target is None:
            return also  # already reported as a problem of its own
        seen = {(source, target)}
        if info.data.get("either_direction"):
            seen.add((target, source))
        for n, alt in enumerate(also, start=1):
            if alt.source == alt.target:
                raise ValueError(msg("flow.data_also_self", n=n, value=alt.source))
            if (alt.source, alt.target) in seen:
                raise ValueError(msg("flow.data_also_same", n=n, source=alt.source, target=alt.target))
            seen.add((alt.source, alt.target))
        return also

    @field_validator("discussion")
    @classmethod
    def _discussion_only_when_unscored(cls, text: str | None, info: ValidationInfo) -> str | None:
        if "basis" not in info.data or "scored" not in info.data:
            return text  # already reported as a problem of its own
        scored = info.data["scored"]
        if scored is None:
            scored = info.data["basis"] not in UNSCORED_BASES
        if scored and text is not None:
            raise ValueError(msg("flow.data_discussion_scored"))
        if not scored and text is None:
            raise ValueError(msg("flow.data_discussion_missing"))
        return text


class Outcome(Strict):
    text: Text
    basis: Basis


class Step(Strict):
    id: Id
    text: Text


class Scheme(Strict):
    name: Text
    steps: list[Step] = Field(min_length=2)


class NamedItem(Strict):
    id: Id
    name: Text
    name_en: Text | None = None


class MissingResource(Strict):
    text: Text
    resource: Id


class OutcomeOrientation(Strict):
    """A case read through the three steps of outcome orientation.

    ``interpretation`` must be true: this is the course's reading of the
    pamphlet, not a statement the pamphlet makes in these words.
    """

    interpretation: Literal[True]
    purpose: Text
    needs: list[Text] = Field(min_length=1)
    missing: list[MissingResource] = Field(min_length=1)
    partner: Id


class PamphletSource(Strict):
    """The case is one of the pamphlet's (「多様な 川崎の協働・連携事例」), on this page."""

    kind: Literal["pamphlet"] = "pamphlet"
    page: int = Field(ge=1)


class PublicationSource(Strict):
    """The case comes from another publication: its title, issuer and year, and a page or a URL, as given there."""

    kind: Literal["publication"]
    title: Text
    issuer: Text
    year: int | Text
    """As the publication gives it, e.g. ``2023`` or ``令和5年3月``."""
    page: int | Text | None = None
    """A page (``12``) or pages (``12–13``) of the publication."""
    url: Text | None = None

    @model_validator(mode="after")
    def _page_or_url(self) -> PublicationSource:
        if self.page is None and self.url is None:
            raise ValueError(msg("data.source_page_or_url"))
        return self


class HypotheticalSource(Strict):
    """A case the course made up (架空の例): no real organisation, no published source."""

    kind: Literal["hypothetical"]
    note: Text | None = None
    """What it was made for, shown under the case card (optional)."""


CaseSource = Annotated[PamphletSource | PublicationSource | HypotheticalSource, Field(discriminator="kind")]
"""Where a case comes from. A case file without ``source`` is the pamphlet's, on its ``page``."""


class Case(Strict):
    id: Id
    number: int = Field(ge=1)
    page: int | None = Field(default=None, ge=1)
    """The pamphlet's page of a pamphlet case (the default source). Other sources give theirs in ``source``."""
    source: CaseSource | None = Field(default=None, validate_default=True)
    """Where the case comes from, when it is not the pamphlet (``kind: publication`` or ``kind: hypothetical``)."""
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

    @field_validator("source")
    @classmethod
    def _one_source(cls, source: CaseSource | None, info: ValidationInfo) -> CaseSource | None:
        """A pamphlet case gives its ``page``; any other source is given in ``source``, with no ``page``."""
        if "page" not in info.data:
            return source  # already reported as a problem of its own
        page = info.data["page"]
        if source is None and page is None:
            raise ValueError(msg("data.source_missing"))
        if isinstance(source, PamphletSource) and page is not None:
            raise ValueError(msg("data.source_page_twice"))
        if source is not None and not isinstance(source, PamphletSource) and page is not None:
            raise ValueError(msg("data.source_page_not_pamphlet"))
        return source

    @property
    def cited(self) -> PamphletSource | PublicationSource | HypotheticalSource:
        """The case's source, with the pamphlet (on ``page``) when the file names none."""
        if self.source is not None:
            return self.source
        assert self.page is not None  # checked when the case is read
        return PamphletSource(page=self.page)

    @property
    def from_pamphlet(self) -> bool:
        return isinstance(self.cited, PamphletSource)

    @field_validator("flows")
    @classmethod
    def _flows_fit_the_case(cls, flows: list[Flow], info: ValidationInfo) -> list[Flow]:
        """Checks of the flows' accepted readings that need the whole case.

        The flows' own endpoints are checked against the participants in
        :mod:`kyodo.data`, with the other cross-references. The ``also``
        endpoints are checked here only when those are all right: otherwise
        a misspelt participant would be reported here instead of where it is.
        """
        problems: list[str] = []
        participants = info.data.get("participants")
        members = [p.org for p in participants] if participants is not None else []
        if members and all(f.source in members and f.target in members for f in flows):
            names = ", ".join(members)
            for i, flow in enumerate(flows, start=1):
                for j, alt in enumerate(flow.also, start=1):
                    for end in ("source", "target"):
                        value = getattr(alt, end)
                        if value not in members:
                            where = msg("data.where_entry_id", entry=f"flows[{i}]", id=flow.id,
                                        field=f"also[{j}].{end}")
                            problems.append(f"{where}: " + msg("data.flow_not_participant", value=value, known=names))
        if flows and not any(f.is_scored for f in flows):
            problems.append(msg("flow.data_none_scored"))
        owners: dict[tuple[str, str, str], list[tuple[str, bool]]] = {}
        for flow in flows:
            ends = [((flow.source, flow.target), True)]
            if flow.either_direction:
                ends.append(((flow.target, flow.source), False))
            ends += [((alt.source, alt.target), False) for alt in flow.also]
            for (source, target), main in ends:
                owners.setdefault((source, target, flow.item), []).append((flow.id, main))
        for (source, target, item), who in owners.items():
            # Two main readings that coincide are reported by kyodo.data as a duplicate flow.
            if len(who) > 1 and not all(main for _, main in who):
                problems.append(msg("flow.data_reading_twice", source=source, target=target, item=item,
                                    ids=", ".join(sorted({fid for fid, _ in who}))))
        if problems:
            raise ValueError("; ".join(problems))
        return flows


class VisionPart(Strict):
    id: Id
    question: Text
    answer: Text


class Vision(Strict):
    quote: Text
    parts: list[VisionPart] = Field(min_length=1)


class Viewpoint(Strict):
    id: Id
    name: Text
    name_en: Text
    summary: Text
    cases: list[Id] = []


class OutcomeStep(Strict):
    id: Id
    number: int
    text: Text
    text_en: Text


class ResourceKind(Strict):
    id: Id
    name: Text
    name_en: Text
    clue: Text
    """A description that does not use the name, for hints."""


class Policy(Strict):
    name: Text
    name_en: Text
    adopted: Text
    adopted_ja: Text
    vision: Vision
    viewpoints: list[Viewpoint] = Field(min_length=1)
    outcome_steps: list[OutcomeStep] = Field(min_length=1)
    resource_kinds: list[ResourceKind] = Field(min_length=1)
    background: list[Text] = []


class ConsultationDesk(Strict):
    name: Text
    name_en: Text
    purpose: Text
    postcode: Text
    address: Text
    tel: Text
    fax: Text
    email: Text


class InformationSite(Strict):
    id: Id
    name: Text
    operator: Text
    url: Text
    about: Text


class Contacts(Strict):
    consultation_desk: ConsultationDesk
    information_sites: list[InformationSite] = []


class Source(Strict):
    id: Id
    title: Text
    title_en: Text
    publisher: Text
    pages: Text | None = None
    date: Text | None = None
    note: Text | None = None


class Answer(Strict):
    answer: Text
    correct: bool
    feedback: Text


class Question(Strict):
    """A self-check question that works without a kernel (rendered by jupyterquiz)."""

    question: Text
    type: Literal["multiple_choice", "many_choice"]
    answers: list[Answer] = Field(min_length=2)


class SelfCheckFile(Strict):
    lesson: Id
    questions: list[Question] = Field(min_length=1)


class ActorTypesFile(Strict):
    actor_types: list[ActorType] = Field(min_length=1)


class OrganisationsFile(Strict):
    organisations: list[Organisation] = Field(min_length=1)


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)
