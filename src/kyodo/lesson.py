"""What a lesson cell calls: one line per exercise or view.

    import kyodo
    kyodo.show_case("case3")
    kyodo.flow_map("case3")

Each function loads the (cached) course data, builds the widget and
returns it, so the notebook displays it. A problem in the data is shown
as a short message, not a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from IPython.display import HTML, display

from .data import Course, DataError, load_course
from .exercises.health_check import load_material as load_health_check
from .exercises.sorting import resources_of_case, roles_of_case
from .style import QUIZ_COLOURS
from .text import esc, msg
from .views import case_overview
from .widgets.flowmap import FlowMapWidget
from .widgets.health_check import HealthCheckWidget
from .widgets.notes import NoteWidget
from .widgets.sorting import SortingWidget

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataError as err:
            display(HTML(f"<pre role='alert' style='white-space:pre-wrap;color:#7a1f00'>{esc(err)}</pre>"))
            return None
    return wrapper  # type: ignore[return-value]


def course() -> Course:
    """The course data (loaded once, then cached)."""
    return load_course()


@_friendly
def show_case(case_id: str) -> None:
    """Show the facts of a case as a card."""
    display(HTML(case_overview(course(), case_id)))


@_friendly
def flow_map(case_id: str, exercise_id: str = "演習1") -> FlowMapWidget:
    """Exercise: map who passes what to whom in a case."""
    return FlowMapWidget(course(), case_id, exercise_id)


@_friendly
def who_does_what(case_id: str, exercise_id: str = "演習2") -> SortingWidget:
    """Exercise: sort each activity of a case to the participant who carries it out."""
    task = roles_of_case(course(), case_id)
    return SortingWidget(task, f"{case_id}/roles", exercise_id, msg("sort.roles_title"),
                         msg("sort.roles_instructions"))


@_friendly
def resource_kinds(case_id: str, exercise_id: str = "演習3") -> SortingWidget:
    """Exercise: sort what the partner brings by the policy's kinds of resources."""
    task = resources_of_case(course(), case_id)
    return SortingWidget(task, f"{case_id}/resources", exercise_id, msg("sort.resources_title"),
                         msg("sort.resources_instructions"))


@_friendly
def health_check() -> HealthCheckWidget:
    """The collaboration health check, for one or two raters."""
    return HealthCheckWidget(load_health_check())


def note(key: str, prompt: str) -> NoteWidget:
    """A free-text answer that is saved as the learner types."""
    return NoteWidget(f"notes/{key}", prompt)


@_friendly
def self_check(lesson_id: str) -> None:
    """A quiz that also works on the published website, with no kernel."""
    from jupyterquiz import display_quiz

    questions = course().self_checks.get(lesson_id)
    if not questions:
        display(HTML(esc(msg("quiz.none", lesson=lesson_id))))
        return
    display_quiz([q.model_dump() for q in questions], shuffle_answers=False, max_width=760, colors=dict(QUIZ_COLOURS))
