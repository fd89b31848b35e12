"""協働・連携のデザイン講座 — the course package.

Lesson notebooks call the functions re-exported here (see
:mod:`kyodo.lesson`); the rest of the package is organised by concern:

* :mod:`kyodo.models`, :mod:`kyodo.data` — the facts, validated
* :mod:`kyodo.exercises` — the logic of every exercise, no widgets
* :mod:`kyodo.widgets` — ipywidgets faces of the exercises
* :mod:`kyodo.storage` — learners' work, saved atomically
* :mod:`kyodo.style`, :mod:`kyodo.diagrams` — fonts, colours, figures
* :mod:`kyodo.text` — every message a learner sees
"""

from .data import Course, DataError, load_course
from .lesson import (
    course,
    exercise,
    health_check,
    note,
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
    "load_course",
    "note",
    "self_check",
    "show_case",
    "solution",
]
