"""協働・連携のデザイン講座 — the course package.

Lesson notebooks call the functions re-exported here (see
:mod:`kyodo.cells`); the rest of the package is organised by concern:

* :mod:`kyodo.models`, :mod:`kyodo.data` — the facts, validated
* :mod:`kyodo.registry` — every exercise, as data (``data/exercises/``)
* :mod:`kyodo.outline` — the lessons in reading order: objectives, audience,
  minutes and key points, as data (``data/course.yml``)
* :mod:`kyodo.exercises` — the logic of every exercise, no widgets
  (:mod:`kyodo.exercises.choice`: the one engine of "choose per item")
* :mod:`kyodo.widgets` — ipywidgets faces of the exercises
* :mod:`kyodo.storage` — learners' work, saved atomically
* :mod:`kyodo.style`, :mod:`kyodo.diagrams` — fonts, colours, figures
* :mod:`kyodo.solutions` — model answers, generated from the registry
* :mod:`kyodo.text` — every message a learner sees
"""

from .data import Course, DataError, load_course
from .cells import (
    course,
    exercise,
    health_check,
    key_points,
    note,
    objectives,
    self_check,
    show_case,
    solution,
)

__all__ = [
    "Course",
    "DataError",
    "course",
    "exercise",
    "health_check",
    "key_points",
    "load_course",
    "note",
    "objectives",
    "self_check",
    "show_case",
    "solution",
]
