"""Read-only HTML views of the course data (case overviews, tables).

Every value is escaped: the data is trusted, but a view must stay safe
when a future case file holds ``<`` or ``&``.
"""

from __future__ import annotations

from .citation import case_heading, source_line
from .data import Course
from .text import esc, msg


def _table(headers: list[str], rows: list[list[str]], caption: str) -> str:
    head = "".join(f"<th scope='col' style='text-align:left;padding:0.3em 0.6em'>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:0.3em 0.6em;vertical-align:top'>{esc(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return (f"<table style='border-collapse:collapse;margin:0.5em 0'><caption style='text-align:left;"
            f"font-weight:bold'>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def case_overview(course: Course, case_id: str) -> str:
    """The facts of one case: combination, project, key point, participants and roles, and its source."""
    case = course.case(case_id)
    rows = [[course.org_name(p.org), course.type_of(p.org).name, p.role] for p in case.participants]
    outcomes = "".join(f"<li>{esc(o.text)}</li>" for o in case.outcomes)
    return (
        "<div style='border:1px solid #999;border-radius:6px;padding:0.6em 1em;margin:0.5em 0'>"
        f"<p style='margin:0'><strong>{esc(case_heading(case))}</strong>"
        f" {esc(case.combination)}</p>"
        f"<p style='margin:0.2em 0;font-size:1.15em'><strong>{esc(case.project)}</strong></p>"
        f"<p style='margin:0.2em 0'>{esc(msg('view.point'))}: {esc(case.point)}</p>"
        + _table([msg("view.col_participant"), msg("view.col_type"), msg("view.col_role")], rows,
                 msg("view.participants"))
        + f"<p style='margin:0.4em 0 0 0'><strong>{esc(msg('view.outcomes'))}</strong></p><ul>{outcomes}</ul>"
        + f"<p style='margin:0;font-size:0.9em'>{esc(source_line(case))}</p></div>"
    )
