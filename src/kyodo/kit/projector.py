"""A book page per lesson for the projector: large type, the case in a few lines, the prompts, the questions.

Generated from the data (``make kit`` writes ``book/facilitator/projector/<lesson>.md``):
the case's summary (``data/cases/``; other lessons: their key points), each
exercise's title and instructions (``data/exercises/``), and the discussion
questions (the lesson's reflection questions and the registry's prompts).

The page carries its own stylesheet (:data:`PROJECTOR_CSS`, an inline
``<style>``), scoped to pages that hold a ``kyodo-projector`` block: it hides
the sidebars, sets large type and prints one block a page. It is inline
rather than in ``book/_static/``: Jupyter Book 1 adds every script under
``html_static_path`` to every page once ``book/_static`` exists (see
``book/_config.yml``), and the widget manager would then load twice.
"""

from __future__ import annotations

from ..data import load_course
from ..outline import load_outline
from ..registry import load_registry
from ..solutions import _md
from ..text import msg, unfold
from .sheets import _plain, kit_lessons, lesson_title, reflection_questions

PROJECTOR_CSS = (
    "body:has(.kyodo-projector) .bd-sidebar-primary,"
    "body:has(.kyodo-projector) .bd-sidebar-secondary,"
    "body:has(.kyodo-projector) .prev-next-area,"
    "body:has(.kyodo-projector) .bd-footer-content{display:none!important}"
    "body:has(.kyodo-projector) .bd-main .bd-content .bd-article-container{max-width:100%}"
    ".kyodo-projector{font-size:1.55rem;line-height:1.65}"
    ".kyodo-projector h2{font-size:2rem;margin-top:1.2em}"
    ".kyodo-projector li{margin-bottom:.4em}"
    "@media print{"
    "body:has(.kyodo-projector) .bd-header,body:has(.kyodo-projector) .bd-header-article{display:none!important}"
    ".kyodo-projector{font-size:16pt}"
    ".kyodo-projector section{break-before:page}"
    "}"
)
"""The projector's stylesheet (no script, nothing from outside)."""


def projector_page(lesson: str) -> str:
    """The MyST page of one lesson for the projector."""
    course = load_course()
    registry = load_registry()
    outline = load_outline().get(lesson)
    out = [msg("kit_page.projector_head").rstrip("\n"), f"(projector-{outline.label})=",
           f"# {_md(lesson_title(lesson))}", "", f"<style>{PROJECTOR_CSS}</style>", "",
           "::::{container} kyodo-projector", ""]
    out.append(f"## {_md(msg('kit_page.projector_case'))}\n")
    try:
        case = course.case(lesson)
    except KeyError:
        out += [f"- {_md(point)}" for point in outline.key_points[:3]]
    else:
        out += [_md(unfold(line.strip())) for line in case.summary.split("\n") if line.strip()]
    out.append("")
    specs = registry.of_lesson(lesson)
    if specs:
        out.append(f"## {_md(msg('kit_page.projector_exercises'))}\n")
        out += [f"- **{_md(spec.label)} {_md(spec.title)}**: {_md(spec.instructions)}" for spec in specs]
        out.append("")
    questions = reflection_questions(lesson) + [_plain(" ".join(p.split("\n"))) for spec in specs
                                                for p in spec.facilitator.prompts[:1]]
    if questions:
        out.append(f"## {_md(msg('kit_page.projector_questions'))}\n")
        out += [f"{n}. {_md(q)}" for n, q in enumerate(questions, start=1)]
        out.append("")
    out += ["::::", "", f"{{ref}}`{_md(msg('kit_page.projector_back'))} <facilitator-kit>`", ""]
    return "\n".join(out)


def projector_pages() -> dict[str, str]:
    """Lesson id -> its projector page (every lesson that has a worksheet)."""
    return {lesson: projector_page(lesson) for lesson in kit_lessons()}
