"""Logic of "who brings what": each resource, its bringer and its kind.

The learner sorts the resources that partners bring into a case into
(partner × kind of resource) pairs, the kinds being the basic policy's
知識や能力・人的ネットワーク・施設や設備. Resources of other cases'
organisations are mixed in and belong in "not brought in this case".

:class:`ContributionTask` is a :class:`~kyodo.exercises.sorting.SortingTask`
(so :class:`~kyodo.widgets.sorting.SortingWidget` shows it) whose feedback
tells apart the two halves of an answer: the right partner with the wrong
kind, the right kind from the wrong partner, or both wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..data import Course
from ..text import msg
from .sorting import Category, ItemResult, Mark, SortCheck, SortingTask, SortItem

ELSEWHERE = "elsewhere"
"""Category of resources that no partner of this case brings (distractors)."""

SEP = ":"


def pair_id(org_id: str, kind_id: str) -> str:
    return f"{org_id}{SEP}{kind_id}"


def split_pair(category_id: str) -> tuple[str, str] | None:
    if category_id == ELSEWHERE or SEP not in category_id:
        return None
    org, kind = category_id.split(SEP, 1)
    return org, kind


class ContributionTask(SortingTask):
    """A sorting task over (partner, kind) pairs whose feedback explains each half."""

    def __init__(self, course: Course, items: Sequence[SortItem], categories: Sequence[Category]):
        super().__init__(items, categories)
        self.course = course

    def _kind_clue(self, kind_id: str) -> str:
        return next(k.clue for k in self.course.policy.resource_kinds if k.id == kind_id)

    def _explain_wrong(self, item: SortItem, given: str) -> str:
        right, chosen = split_pair(item.answer), split_pair(given)
        if right is None:
            return msg("contribution.wrong_not_here")
        if chosen is None:
            return msg("contribution.wrong_is_here", bringer=self.course.type_of(right[0]).name)
        (r_org, r_kind), (g_org, g_kind) = right, chosen
        if r_org == g_org:
            return msg("contribution.wrong_kind", clue=self._kind_clue(r_kind))
        if r_kind == g_kind:
            return msg("contribution.wrong_bringer", org=self.course.org_short(g_org))
        return msg("contribution.wrong_both", clue=self._kind_clue(r_kind))

    def check(self) -> SortCheck:
        results = []
        for r in super().check().results:
            given = self.answers.get(r.item.id)
            if r.mark is Mark.WRONG and given is not None:
                results.append(ItemResult(r.item, Mark.WRONG, self._explain_wrong(r.item, given)))
            else:
                results.append(r)
        return SortCheck(tuple(results))

    def hint(self) -> str:
        results = self.check().results
        target = next((r for r in results if r.mark is Mark.WRONG),
                      next((r for r in results if r.mark is Mark.UNANSWERED), None))
        if target is None:
            return msg("sort.hint_none")
        pair = split_pair(target.item.answer)
        if pair is None:
            return msg("contribution.hint_elsewhere", item=target.item.text)
        org, kind = pair
        return msg("contribution.hint", item=target.item.text, bringer=self.course.type_of(org).name,
                   clue=self._kind_clue(kind))


def contributions_task(course: Course, case_id: str,
                       distractors: Sequence[tuple[str, str]] = ()) -> ContributionTask:
    """Sort the resources that the partners of a case bring, by partner and kind.

    The items are the strengths (with a resource kind) of every participant
    that has such strengths, plus ``distractors``: (organisation id,
    strength id) pairs of organisations that do not take part in the case.
    """
    case = course.case(case_id)
    members = [p.org for p in case.participants]
    bringers = [org for org in members if any(s.resource for s in course.org(org).strengths)]
    if not bringers:
        raise ValueError(msg("contribution.no_resources", case=case_id))
    kinds = course.policy.resource_kinds
    categories = [
        Category(pair_id(org, k.id), msg("contribution.pair", org=course.org_short(org), kind=k.name),
                 msg("contribution.pair_clue", bringer=course.type_of(org).name, clue=k.clue))
        for org in bringers for k in kinds
    ]
    categories.append(Category(ELSEWHERE, msg("contribution.elsewhere"), msg("contribution.elsewhere_clue")))
    items = [
        SortItem(s.id, s.text, pair_id(org, s.resource),
                 msg("contribution.why", org=course.org_short(org), kind=course.resource_kind_name(s.resource)))
        for org in bringers for s in course.org(org).strengths if s.resource is not None
    ]
    for org_id, strength_id in distractors:
        if org_id in members:
            raise ValueError(msg("contribution.distractor_in_case", org=org_id))
        org = course.org(org_id)
        strength = next((s for s in org.strengths if s.id == strength_id), None)
        if strength is None:
            raise ValueError(msg("contribution.unknown_strength", org=org_id, strength=strength_id))
        other = next((c for c in course.cases if org_id in {p.org for p in c.participants}), None)
        where = msg("contribution.case_label", number=other.number, combination=other.combination) if other else ""
        items.append(SortItem(f"{org_id}__{strength.id}", strength.text, ELSEWHERE,
                              msg("contribution.why_elsewhere", org=course.org_short(org_id), where=where)))
    return ContributionTask(course, items, categories)
