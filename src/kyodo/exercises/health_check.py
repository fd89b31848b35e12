"""Collaboration health check (自己診断): scoring, interpretation and two-rater comparison.

Items are answered on a 1-5 scale. Scores are averaged per category; each
category gets a plain-language level. In the two-rater mode two partners
answer the same items separately, and every item where their answers
differ by ``flag_difference`` or more is flagged as a topic to talk about.

The items are the course's own (``data/lessons/health_check.yml``),
grounded in Kawasaki's basic policy; see that file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from ..data import duplicates, load_lesson_data
from ..text import msg
from ..models import Strict

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ScalePoint(Strict):
    value: int = Field(ge=1, le=5)
    label: Text


class Category(Strict):
    id: Id
    name: Text
    name_en: Text
    grounded_in: Text
    advice: Text


class Item(Strict):
    id: Id
    category: Id
    text: Text


class Level(Strict):
    min: float = Field(ge=1, le=5)
    label: Text
    text: Text


class HealthCheckMaterial(Strict):
    scale: list[ScalePoint] = Field(min_length=5, max_length=5)
    flag_difference: int = Field(ge=1, le=4)
    categories: list[Category] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> HealthCheckMaterial:
        cat_ids = {c.id for c in self.categories}
        problems = [msg("health.bad_item_category", id=i.id, category=i.category)
                    for i in self.items if i.category not in cat_ids]
        ids = [i.id for i in self.items]
        problems += [msg("data.dup_id", id=d) for d in duplicates(ids)]
        problems += [msg("health.empty_category", category=c) for c in sorted(cat_ids - {i.category for i in self.items})]
        if sorted(p.value for p in self.scale) != [1, 2, 3, 4, 5]:
            problems.append(msg("health.bad_scale"))
        if min(level.min for level in self.levels) > 1:
            problems.append(msg("health.bad_levels"))
        if problems:
            raise ValueError(" / ".join(problems))
        return self


def load_material() -> HealthCheckMaterial:
    return load_lesson_data("health_check", HealthCheckMaterial)


@dataclass(frozen=True)
class CategoryScore:
    category: Category
    mean: float | None
    answered: int
    total: int
    level: Level | None


@dataclass(frozen=True)
class Flag:
    item: Item
    a: int
    b: int

    @property
    def difference(self) -> int:
        return abs(self.a - self.b)


Answers = Mapping[str, int | None]


def validate_answers(material: HealthCheckMaterial, answers: Any) -> dict[str, int]:
    """Keep only answers to known items with a value 1-5 (saved or hand-edited data may hold anything)."""
    if not isinstance(answers, Mapping):
        return {}
    known = {i.id for i in material.items}
    return {k: v for k, v in answers.items()
            if k in known and isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5}


def level_for(material: HealthCheckMaterial, mean: float) -> Level:
    return max((lv for lv in material.levels if mean >= lv.min), key=lambda lv: lv.min)


def score(material: HealthCheckMaterial, answers: Answers) -> list[CategoryScore]:
    """Average per category (unanswered items left out)."""
    clean = validate_answers(material, answers)
    result = []
    for cat in material.categories:
        items = [i for i in material.items if i.category == cat.id]
        values = [clean[i.id] for i in items if i.id in clean]
        mean = round(sum(values) / len(values), 2) if values else None
        result.append(CategoryScore(cat, mean, len(values), len(items),
                                    level_for(material, mean) if mean is not None else None))
    return result


def interpretation(material: HealthCheckMaterial, answers: Answers) -> list[str]:
    """Plain-language reading of the scores, lowest categories first."""
    scores = score(material, answers)
    answered = sum(s.answered for s in scores)
    total = sum(s.total for s in scores)
    if answered == 0:
        return [msg("health.none_answered", total=total)]
    lines = []
    if answered < total:
        lines.append(msg("health.partly_answered", answered=answered, total=total))
    rated = sorted((s for s in scores if s.mean is not None), key=lambda s: s.mean)  # type: ignore[arg-type, return-value]
    for s in rated:
        assert s.level is not None and s.mean is not None
        line = msg("health.category_line", name=s.category.name, mean=f"{s.mean:.1f}", level=s.level.label,
                   text=s.level.text)
        if s.level is not max(material.levels, key=lambda lv: lv.min):
            line += " " + msg("health.advice", advice=s.category.advice)
        lines.append(line)
    return lines


def compare(material: HealthCheckMaterial, a: Answers, b: Answers) -> list[Flag]:
    """Items both raters answered whose answers differ by ``flag_difference`` or more, largest first."""
    ca, cb = validate_answers(material, a), validate_answers(material, b)
    flags = [Flag(i, ca[i.id], cb[i.id]) for i in material.items
             if i.id in ca and i.id in cb and abs(ca[i.id] - cb[i.id]) >= material.flag_difference]
    return sorted(flags, key=lambda f: -f.difference)


def compare_lines(material: HealthCheckMaterial, a: Answers, b: Answers, name_a: str, name_b: str) -> list[str]:
    ca, cb = validate_answers(material, a), validate_answers(material, b)
    both = sum(1 for i in material.items if i.id in ca and i.id in cb)
    if both == 0:
        return [msg("health.compare_none")]
    flags = compare(material, a, b)
    if not flags:
        return [msg("health.compare_agree", n=both, d=material.flag_difference)]
    lines = [msg("health.compare_head", n=len(flags), d=material.flag_difference)]
    lines += [msg("health.compare_item", text=f.item.text, a=name_a, va=f.a, b=name_b, vb=f.b) for f in flags]
    return lines
