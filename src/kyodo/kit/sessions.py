"""Run sheets, answer cards and the technology fallback, from ``data/kit.yml``.

* :func:`run_sheet` — one session minute by minute: what the facilitator
  says, what learners do, which board view or sheet to use, and the
  question that opens the debrief (two A4 pages at most).
* :func:`answer_card` — one page with only the keys the session uses,
  from :func:`kyodo.solutions.answer_table`.
* :func:`fallback_sheet` — per lesson, what to do when the computers or
  the network fail, and where to get the pamphlet, as the pamphlet
  identifies itself (``data/sources.yml``, ``data/contacts.yml``).
* :func:`sessions_markdown` — the same run sheets as a book page.
"""

from __future__ import annotations

from ..data import Course, load_course
from ..registry import Registry, load_registry
from ..solutions import _md, answer_table
from ..text import esc, msg
from .model import KitFile, Session, load_kit
from .sheets import Sheet, lesson_title

RUN_CSS = """\
.run table { font-size: 8.5pt; }
.run td, .run th { padding: 2pt 3pt; }
.run .debrief { display: block; margin-top: 2pt; font-size: 8pt; }
.run .t { width: 9mm; white-space: nowrap; }
.run .m { width: 7mm; }
.card-keys { font-size: 8pt; }
.card-keys table { font-size: 7.5pt; margin: 0 0 4pt; }
.card-keys td, .card-keys th { padding: 1pt 3pt; }
.card-keys h2 { font-size: 9.5pt; margin: 4pt 0 2pt; }
"""


def clock(minute: int) -> str:
    """``65`` -> ``1:05``."""
    return f"{minute // 60}:{minute % 60:02d}"


def run_sheet(session: Session) -> Sheet:
    parts = [f"<p>{esc(msg('kit.run_lessons'))} {esc('、'.join(lesson_title(x) for x in session.lessons))}</p>",
             f"<p>{esc(msg('kit.run_prepare'))} {esc(session.prepare)}</p>"]
    headers = [msg("kit.run_col_time"), msg("kit.run_col_min"), msg("kit.run_col_activity"), msg("kit.run_col_say"),
               msg("kit.run_col_do"), msg("kit.run_col_use")]
    items: list[str] = []
    for part in session.parts:
        if len(session.parts) > 1:
            parts.append(f"<h2>{esc(part.title)}</h2>")
        head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
        body = []
        for start, row in zip(part.start_times(), part.rows):
            debrief = (f'<span class="debrief">{esc(msg("kit.run_debrief"))} {esc(row.debrief)}</span>'
                       if row.debrief else "")
            body.append(f'<tr><td class="t">{esc(clock(start))}</td><td class="m">{row.minutes}</td>'
                        f"<td>{esc(row.activity)}</td><td>{esc(row.say)}{debrief}</td><td>{esc(row.do)}</td>"
                        f"<td>{esc(row.use)}</td></tr>")
            items += [row.activity, row.say] + ([row.debrief] if row.debrief else [])
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        parts.append(f"<p>{esc(msg('kit.run_total', n=part.minutes))}</p>")
    heading = msg("kit.run_title", session=session.title)
    html = f'<section class="sheet run"><h1>{esc(heading)}</h1>{"".join(parts)}</section>'
    return Sheet("session", session.id, heading, html, tuple(items))


def card_rows(exercise_id: str, registry: Registry, course: Course) -> list[tuple[str, str, bool]]:
    """(item, the course's answer, whether other answers are accepted) of one exercise."""
    table = answer_table(exercise_id, registry, course)
    if table is None:
        return []
    none = msg("solution.none")
    return [(row[0], row[1], len(row) > 2 and row[2] != none) for row in table.rows]


def answer_card(session: Session, registry: Registry | None = None, course: Course | None = None) -> Sheet:
    """One page with the keys of the exercises the session uses (no comments: the answer sheets have them)."""
    registry = registry or load_registry()
    course = course or load_course()
    parts = [f'<p class="note">{esc(msg("kit.card_note"))}</p>']
    items: list[str] = []
    for exercise_id in session.answer_card:
        spec = registry.get(exercise_id)
        parts.append(f"<h2>{esc(lesson_title(spec.lesson))} {esc(spec.label)} {esc(spec.title)}</h2>")
        rows = card_rows(exercise_id, registry, course)
        body = "".join(
            f"<tr><td>{esc(item)}</td><td>{esc(answer)}"
            + (f" <small>({esc(msg('kit.card_also'))})</small>" if also else "") + "</td></tr>"
            for item, answer, also in rows)
        parts.append(f'<table><thead><tr><th scope="col">{esc(msg("kit.col_item"))}</th>'
                     f'<th scope="col">{esc(msg("kit.card_col_answer"))}</th></tr></thead><tbody>{body}</tbody></table>')
        items += [r[1] for r in rows]
    heading = msg("kit.card_title", session=session.title)
    html = f'<section class="sheet card-keys"><h1>{esc(heading)}</h1>{"".join(parts)}</section>'
    return Sheet("session", f"{session.id}/card", heading, html, tuple(items))


def pamphlet_lines(course: Course | None = None) -> list[str]:
    """Where to get the pamphlet: its title, issuer and contact, exactly as the course data (the pamphlet) gives them."""
    course = course or load_course()
    source = next(s for s in course.sources if s.id == "pamphlet")
    desk = course.contacts.consultation_desk
    return [msg("kit.pamphlet_what", title=source.title, pages=source.pages),
            msg("kit.pamphlet_issuer", publisher=source.publisher),
            msg("kit.pamphlet_contact", desk=desk.name, postcode=desk.postcode, address=desk.address, tel=desk.tel,
                fax=desk.fax, email=desk.email)]


def fallback_sheet(kit: KitFile | None = None, course: Course | None = None) -> Sheet:
    kit = kit or load_kit()
    headers = [msg("kit.fallback_col_lesson"), msg("kit.fallback_col_sheet"), msg("kit.fallback_col_print"),
               msg("kit.fallback_col_drop")]
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join(f"<tr><td>{esc(lesson_title(f.lesson))}</td><td>{esc(f.sheet)}</td><td>{esc(f.print)}</td>"
                   f"<td>{esc(f.drop)}</td></tr>" for f in kit.fallback)
    lines = pamphlet_lines(course)
    parts = [f"<h2>{esc(msg('kit.pamphlet_heading'))}</h2>", *(f"<p>{esc(line)}</p>" for line in lines),
             f"<p>{esc(kit.pamphlet.if_missing)}</p>",
             f"<h2>{esc(msg('kit.fallback_heading'))}</h2>",
             f'<table class="run"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>']
    heading = msg("kit.fallback_title")
    html = f'<section class="sheet run"><h1>{esc(heading)}</h1>{"".join(parts)}</section>'
    return Sheet("session", "fallback", heading, html, tuple(lines))


# --- the book page -------------------------------------------------------------------------------------------------

def sessions_markdown(kit: KitFile | None = None, course: Course | None = None) -> str:
    """The run sheets, the fallback table and the pamphlet's source as one MyST page (level-2 headings)."""
    kit = kit or load_kit()
    out: list[str] = []
    cols = [msg("kit.run_col_time"), msg("kit.run_col_min"), msg("kit.run_col_activity"), msg("kit.run_col_say"),
            msg("kit.run_col_do"), msg("kit.run_col_use")]
    for session in kit.sessions:
        out.append(f"({_anchor(session.id)})=")
        out.append(f"## {_md(msg('kit.run_title', session=session.title))}\n")
        out.append(f"{_md(msg('kit.run_prepare'))} {_md(session.prepare)}\n")
        for part in session.parts:
            if len(session.parts) > 1:
                out.append(f"### {_md(part.title)}\n")
            out.append("| " + " | ".join(cols) + " |")
            out.append("|" + "---|" * len(cols))
            for start, row in zip(part.start_times(), part.rows):
                say = _md(row.say) + (f" **{_md(msg('kit.run_debrief'))}** {_md(row.debrief)}" if row.debrief else "")
                out.append(f"| {clock(start)} | {row.minutes} | {_md(row.activity)} | {say} | {_md(row.do)} "
                           f"| {_md(row.use)} |")
            out.append("")
            out.append(_md(msg("kit.run_total", n=part.minutes)) + "\n")
    out.append("(kit-fallback)=")
    out.append(f"## {_md(msg('kit.fallback_title'))}\n")
    out.append(f"### {_md(msg('kit.pamphlet_heading'))}\n")
    out += [f"- {_md(line)}" for line in pamphlet_lines(course)]
    out.append("")
    out.append(_md(kit.pamphlet.if_missing) + "\n")
    out.append(f"### {_md(msg('kit.fallback_heading'))}\n")
    fcols = [msg("kit.fallback_col_lesson"), msg("kit.fallback_col_sheet"), msg("kit.fallback_col_print"),
             msg("kit.fallback_col_drop")]
    out.append("| " + " | ".join(fcols) + " |")
    out.append("|" + "---|" * len(fcols))
    out += [f"| {_md(lesson_title(f.lesson))} | {_md(f.sheet)} | {_md(f.print)} | {_md(f.drop)} |"
            for f in kit.fallback]
    return "\n".join(out) + "\n"


def _anchor(session_id: str) -> str:
    return "kit-run-" + session_id.replace("_", "-")
