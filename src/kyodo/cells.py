"""What a lesson cell calls: one line per exercise or view.

    import kyodo
    kyodo.show_case("case3")
    kyodo.exercise("case3-ex1")     # any exercise of the registry (data/exercises/)
    kyodo.solution("case3-ex1")     # its model answer, folded away
    kyodo.objectives("case3")       # the lesson's objectives, audience and time (data/course.yml)
    kyodo.key_points("case3")       # the lesson's key points
    kyodo.reading_note()            # what fits where the lesson is read (website, JupyterLab, workshop)
    kyodo.lesson_list()             # the classroom's landing page: every lesson, one link each
    kyodo.exit_ticket()             # three questions at the end of a session, saved like notes

Each function loads the (cached) course data, builds the widget and
returns it, so the notebook displays it. A problem in the data is shown
as a short message, not a traceback.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from IPython.display import HTML, display

from .data import Course, DataError, Problem, load_course
from .registry import BuiltSpec, ChoiceSpec, choice_task, load_registry
from .outline import key_points_html, load_outline, objectives_html
from .reading import reading_note_html
from .text import esc, msg

# What only some cells need is imported by the call that needs it (widgets, figures,
# matplotlib), so that a lesson starts without loading what it does not show.
if TYPE_CHECKING:
    from .models import Case
    from .outline import Part
    from .reading import Kind
    from .storage import Store
    from .widgets.health_check import HealthCheckWidget
    from .widgets.notes import NoteWidget

F = TypeVar("F", bound=Callable[..., Any])

ALERT = "<pre role='alert' style='white-space:pre-wrap;color:#7a1f00'>{}</pre>"
"""How a cell shows a problem instead of its output (the text is escaped)."""


def _call_text(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """The call as a notebook wrote it, e.g. ``kyodo.show_case('case7')`` (long arguments shortened)."""
    module = "kyodo" if func.__module__ == __name__ else func.__module__
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    text = ", ".join(a if len(a) <= 40 else a[:39] + "…" for a in shown)
    return f"{module}.{func.__name__}({text})"


def _friendly(func: F) -> F:
    """Run what a cell calls; show any problem as a short Japanese message, never a traceback.

    A :class:`DataError` (a wrong id, a problem in the data) is shown under the call as the
    notebook wrote it: it names the file, the entry and what exists. Anything else is shown
    with the call, the kind of error and its message.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataError as err:
            text = f"{_call_text(func, args, kwargs)}:\n{err}"
        except Exception as err:  # noqa: BLE001 - a notebook must never show a traceback
            detail = err.args[0] if isinstance(err, KeyError) and err.args else err  # KeyError quotes its message
            text = msg("registry.call_failed", call=_call_text(func, args, kwargs), error=type(err).__name__,
                       detail=detail)
        display(HTML(ALERT.format(esc(text))))
        return None
    return wrapper  # type: ignore[return-value]


def choice_spec(exercise_id: str) -> ChoiceSpec:
    """The registry entry ``exercise_id``, which must be a choice exercise (raises :class:`DataError`)."""
    spec = load_registry().get(exercise_id)
    if not isinstance(spec, ChoiceSpec):
        raise _wrong_kind(spec, "choice")
    return spec


def built_spec(exercise_id: str, kind: str) -> BuiltSpec:
    """The registry entry ``exercise_id``, which must be of ``kind`` (e.g. ``network``; raises :class:`DataError`)."""
    spec = load_registry().get(exercise_id)
    if not isinstance(spec, BuiltSpec) or spec.kind != kind:
        raise _wrong_kind(spec, kind)
    return spec


def _wrong_kind(spec: ChoiceSpec | BuiltSpec, expected: str) -> DataError:
    file = load_registry().files.get(spec.id, "data/exercises")
    return DataError([Problem(file, f"exercises (id: {spec.id})",
                              msg("registry.needs_kind", id=spec.id, kind=spec.kind, expected=expected))])


def case_of(data: Course, case_id: str) -> Case:
    """The case ``case_id`` of ``data``; a :class:`DataError` naming it and the cases there are if there is none.

    A case left out because its file has problems raises the data's own error, which lists them.
    """
    try:
        return data.case(case_id)
    except KeyError:
        known = ", ".join(c.id for c in data.cases)
        raise DataError([Problem("data/cases", "", msg("data.unknown_case", value=case_id, known=known))]) from None


def course() -> Course:
    """The course data (loaded once, then cached)."""
    return load_course()


BUILDERS: dict[str, str] = {
    "flow_map": "kyodo.widgets.flowmap:build",
    "network": "kyodo.widgets.network:build",
    "logic_model": "kyodo.widgets.logic_model:build",
    "gap_finder": "kyodo.widgets.gap_finder:build",
    "first_questions": "kyodo.widgets.first_questions:build",
    "contact_plan": "kyodo.widgets.contact_plan:build",
    "donation": "kyodo.widgets.donation:build",
}
"""Kind -> ``module:function`` that builds the widget of an exercise with logic of its own
(``function(spec: BuiltSpec, store: Store | None) -> widget``)."""


@_friendly
def exercise(exercise_id: str, store: Store | None = None) -> Any:
    """Show the exercise ``exercise_id`` of the registry (``data/exercises/``), e.g. ``"case3-ex2"``."""
    spec = load_registry().get(exercise_id)
    if isinstance(spec, ChoiceSpec):
        from .widgets.choice import ChoiceWidget

        return ChoiceWidget(choice_task(spec, course()), spec.id, spec.label, spec.title, spec.instructions,
                            layout=spec.layout, grouped=spec.grouped, legacy_keys=tuple(spec.legacy_keys),
                            store=store)
    target = BUILDERS.get(spec.kind)
    if target is None:
        raise DataError([Problem("data/exercises", spec.id, msg("registry.wrong_kind", id=spec.id,
                                                                 kind=spec.kind))])
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)(spec, store)


@_friendly
def solution(exercise_id: str) -> None:
    """The model answer of an exercise, folded away, generated from the registry."""
    from .solutions import solution_html

    display(HTML(solution_html(exercise_id)))


@_friendly
def show_case(case_id: str) -> None:
    """Show the facts of a case as a card."""
    from .views import case_overview

    data = course()
    case_of(data, case_id)
    display(HTML(case_overview(data, case_id)))


@_friendly
def health_check() -> HealthCheckWidget:
    """The collaboration health check, for one or two raters."""
    from .exercises.health_check import load_material as load_health_check
    from .widgets.health_check import HealthCheckWidget

    return HealthCheckWidget(load_health_check())


def note(key: str, prompt: str) -> NoteWidget:
    """A free-text answer that is saved as the learner types."""
    from .widgets.notes import NoteWidget

    return NoteWidget(f"notes/{key}", prompt)


def exit_ticket() -> Any:
    """The exit ticket: three short answers, each saved like a note under ``notes/exit/`` (the board collects them)."""
    from .widgets.exit_ticket import ExitTicket

    return ExitTicket()


@_friendly
def self_check(lesson_id: str) -> None:
    """A quiz that also works on the published website, with no kernel."""
    from jupyterquiz import display_quiz

    from .style import QUIZ_COLOURS

    questions = course().self_checks.get(lesson_id)
    if not questions:
        load_outline().get(lesson_id)  # an unknown lesson: a DataError naming it and the lessons there are
        display(HTML(esc(msg("quiz.none", lesson=lesson_id))))
        return
    display_quiz([q.model_dump() for q in questions], shuffle_answers=False, max_width=760, colors=dict(QUIZ_COLOURS))


@_friendly
def objectives(lesson_id: str, *, only: Part | None = None) -> None:
    """The lesson's objectives and its audience and time table (``data/course.yml``).

    Under the two headings of a lesson page: ``only="objectives"`` (学習目標) and
    ``only="time"`` (対象と所要時間, with the total computed).
    """
    display(HTML(objectives_html(load_outline().get(lesson_id), only)))


@_friendly
def key_points(lesson_id: str) -> None:
    """The lesson's key points (まとめ, ``data/course.yml``)."""
    display(HTML(key_points_html(load_outline().get(lesson_id))))


@_friendly
def reading_note(kind: Kind = "lesson") -> None:
    """The note near the top of a lesson that says what fits where it is read (``$KYODO_READING``).

    On the website: the exercises only show their initial state; in JupyterLab (the default):
    run the cells and the exercises answer, work is saved; in the classroom's workshop room
    (Voilà): press the buttons, work is saved, the lesson list is one link away. ``kind`` is
    ``"lesson"``, ``"sheet"`` (the design sheet) or ``"diagnosis"`` (the health check).
    See :mod:`kyodo.reading`.
    """
    display(HTML(reading_note_html(kind)))


@_friendly
def lesson_list(folder: str | None = None) -> None:
    """The classroom's landing page: the lessons in course order with their titles, minutes and links.

    The links are relative to the landing page (``~/kyodo/index.ipynb``, beside the lessons);
    ``folder`` is where the lessons are (default: the current folder, the landing page's own).
    See :mod:`kyodo.classroom.landing`.
    """
    from .classroom.landing import lesson_list_html

    display(HTML(lesson_list_html(folder)))
