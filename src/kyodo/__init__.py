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
* :mod:`kyodo.reading` — where a lesson is read (website, JupyterLab, workshop) and the note that fits
* :mod:`kyodo.classroom` — the classroom (JupyterHub): the landing page, names, sign-in
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    **dict.fromkeys(("Course", "DataError", "load_course"), ".data"),
    **dict.fromkeys(("course", "exercise", "exit_ticket", "health_check", "key_points", "lesson_list", "note",
                     "objectives", "reading_note", "self_check", "show_case", "solution"), ".cells"),
}
"""What a lesson cell calls, and where it lives. Imported on first use (PEP 562), so that a
process that needs one small module (the classroom's server extension, the book's
preprocessor) does not load widgets, matplotlib and the data models with it."""

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kyodo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
