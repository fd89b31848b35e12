"""The room board's web views: the facilitator's screen and the projector's, as HTML text.

:func:`page` is a whole, self-contained document (its CSS and a small script
inline; nothing is loaded from elsewhere) whose ``<main id="board">`` holds
:func:`fragment`. Every few seconds the script fetches
``{base}fragment?view=…&names=…`` and puts the new content in place, keeping
the selected tab, the folds that are open and the scroll position; when a
fetch fails it says so in one line and keeps the last content. Without
JavaScript the page reloads itself (``<noscript>`` refresh) and the tabs are
plain links to the sections (CSS ``:target``).

The two views:

* ``facilitator``: every count, links to each exercise's chart, to the CSV
  and to the session record, the files that could not be read (by name, with
  the reason), and the learners' names beside their shared notes when asked
  (``names=True``).
* ``projector``: large type and high contrast, one tab at a time, and never a
  learner's name or a file's name (in the classroom hub a file's name is a
  learner's name), whatever ``names`` says.

All learner text is escaped and cut (:func:`kyodo.board.tally.short_text`), so
HTML, Markdown and ``$math$`` show as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal
from urllib.parse import quote

from ..data import Course, load_course
from ..design.overview import table_rows
from ..text import esc, msg
from .aggregate import AnswerCount, Board, ExerciseCount, ItemCount, LessonCount, SharedNote
from .export import counts, design_chart_version, design_charts, mark_label, top_answers, verdict_label
from .tally import TEXT_CHARS, short_text

View = Literal["facilitator", "projector"]

FOLD_OVER = 10
"""An item with more answers than this shows the first :data:`TOP_ANSWERS` of each verdict; the rest is folded."""
TOP_ANSWERS = 5
NOTE_CHARS = 600
"""A shared note is shown up to this many characters, in at most :data:`NOTE_LINES` lines."""
NOTE_LINES = 12
CELL_CHARS = 80
"""A cell of the design sheets' table, a file name or a reason is shown up to this many characters."""
PROJECTOR_CHARS = 60
"""An answer on the projector is cut shorter: it is read from the back of the room."""
ICONS = {"accepted": "✅", "wrong": "❌", "open": "💬"}


def _t(key: str, **values: object) -> str:
    """A message of ``board_view``, escaped for HTML."""
    return esc(msg(f"board_view.{key}", **values))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:60] or "x"


def _percent(n: int, total: int) -> int:
    return max(0, min(100, round(100 * n / total))) if total > 0 else 0


def _bar(n: int, total: int, verdict: str = "count") -> str:
    return (f"<span class='bar' aria-hidden='true'><span class='fill v-{esc(verdict)}' "
            f"style='width:{_percent(n, total)}%'></span></span>")


# --- an exercise -------------------------------------------------------------------------------------

def _counts(exercise: ExerciseCount, learners: int) -> str:
    cells = "".join(
        f"<div class='count'><dt>{esc(name)}</dt><dd><span class='num'>"
        f"{_t('count_value', n=value, total=learners)}</span>{_bar(value, learners)}</dd></div>"
        for name, value in counts(exercise))
    return f"<dl class='counts' aria-label='{_t('counts_label')}'>{cells}</dl>"


def _rows(answers: Sequence[AnswerCount], learners: int, limit: int) -> str:
    return "".join(
        f"<tr class='v-{esc(a.verdict)}' data-answer='{esc(short_text(a.answer))}' data-label='{esc(short_text(a.label))}' "
        f"data-mark='{esc(a.mark)}' data-count='{a.count}'><td class='answer'>{esc(short_text(a.label, limit))}</td>"
        f"<td class='mark'><span class='icon' aria-hidden='true'>{ICONS.get(a.verdict, '')}</span> "
        f"{esc(short_text(mark_label(a.mark)))}<span class='sr'> ({esc(verdict_label(a.verdict))})</span></td>"
        f"<td class='n'><span class='num'>{_t('people', n=a.count)}</span>{_bar(a.count, learners, a.verdict)}</td>"
        "</tr>"
        for a in answers)


def _head() -> str:
    return (f"<thead><tr><th scope='col'>{_t('col_answer')}</th><th scope='col'>{_t('col_mark')}</th>"
            f"<th scope='col'>{_t('col_count')}</th></tr></thead>")


def _item(item: ItemCount, learners: int, fold_id: str, limit: int) -> str:
    caption = f"<h4 class='item'>{esc(short_text(item.label))}</h4>"
    if not item.answers:
        return f"<div class='item-block'>{caption}<p class='quiet'>{_t('item_nobody')}</p></div>"
    shown, folded = top_answers(item.answers, FOLD_OVER, TOP_ANSWERS)
    table = f"<table class='answers'>{_head()}<tbody>{_rows(shown, learners, limit)}</tbody></table>"
    more = ""
    if folded:
        more = (f"<details class='more' id='{esc(fold_id)}'><summary>{_t('more_answers', n=len(folded))}</summary>"
                f"<table class='answers'>{_head()}<tbody>{_rows(folded, learners, limit)}</tbody></table></details>")
    return f"<div class='item-block'>{caption}{table}{more}</div>"


def _card(exercise: ExerciseCount, learners: int, view: View, base: str, card_id: str) -> str:
    limit = PROJECTOR_CHARS if view == "projector" else TEXT_CHARS
    items = "".join(_item(item, learners, f"{card_id}-more-{k}", limit) for k, item in enumerate(exercise.items))
    links = ""
    if view == "facilitator":
        chart = f"{base}charts/{quote(exercise.id, safe='')}.png"
        links = (f"<p class='links'><a href='{esc(chart)}'>{_t('link_chart')}</a>"
                 f"<a href='{esc(base)}board.csv'>{_t('link_csv')}</a>"
                 f"<a href='{esc(base)}record.zip'>{_t('link_zip')}</a></p>")
    data = "".join(f" data-{name}='{getattr(exercise, name)}'" for name in ("opened", "answered", "checked", "finished"))
    return (f"<article class='card' id='{esc(card_id)}' aria-labelledby='{esc(card_id)}-h' "
            f"data-exercise='{esc(exercise.id)}'{data}>"
            f"<h3 id='{esc(card_id)}-h'><span class='label'>{esc(short_text(exercise.label))}</span> "
            f"{esc(short_text(exercise.title))}</h3>{_counts(exercise, learners)}{items}{links}</article>")


def _lesson(lesson: LessonCount, learners: int, view: View, base: str, panel_id: str) -> str:
    cards = "".join(_card(e, learners, view, base, f"{panel_id}-ex-{_slug(e.id)}-{k}")
                    for k, e in enumerate(lesson.exercises))
    return cards or f"<p class='quiet'>{_t('no_exercises')}</p>"


# --- notes, designs, skipped files ------------------------------------------------------------------

def note_text(text: str) -> str:
    """A shared note as shown: its lines kept (blank ones dropped), each folded, the whole cut to :data:`NOTE_CHARS`."""
    lines = [short_text(line, NOTE_CHARS) for line in text.splitlines() if line.strip()][:NOTE_LINES]
    joined = "\n".join(lines)
    return joined if len(joined) <= NOTE_CHARS else joined[: NOTE_CHARS - 1] + "…"


def _notes(notes: Sequence[SharedNote], lessons: Sequence[LessonCount], show_names: bool) -> str:
    if not notes:
        return f"<p class='quiet'>{_t('notes_none')}</p>"
    titles = {lesson.id: lesson.title for lesson in lessons}
    groups: dict[str, list[SharedNote]] = {}
    for note in notes:
        groups.setdefault(note.key, []).append(note)
    parts = []
    for key, found in groups.items():
        prompt = next((n.prompt for n in found if n.prompt.strip()), "") or key
        where = titles.get(found[0].lesson, "")
        meta = (f"{esc(short_text(where))} ・ " if where else "") + _t("notes_count", n=len(found))
        items = "".join(
            f"<li><p class='note-text'>{esc(note_text(n.text))}</p>"
            + (f"<p class='by'>{_t('note_by', name=short_text(n.learner, CELL_CHARS))}</p>" if show_names else "")
            + "</li>"
            for n in found)
        parts.append(f"<section class='note-group'><h3>{esc(short_text(prompt))}</h3>"
                     f"<p class='meta'>{meta}</p><ul class='notes'>{items}</ul></section>")
    return "".join(parts)


def _designs(board: Board, base: str, show_names: bool, course: Course | None) -> str:
    overview = board.designs
    if not overview.entries:
        return f"<p class='quiet'>{_t('designs_none')}</p>"
    course = course or load_course()
    headers = [msg(f"overview.col_{c}") for c in ("title", "purpose", "partners", "gaps", "steps", "problems")]
    rows = table_rows(overview, course)
    if show_names:
        headers.append(msg("board_view.col_file"))
        rows = [[*row, entry.file] for row, entry in zip(rows, overview.entries)]
    else:  # the first column is 「名前・グループ」
        headers, rows = headers[1:], [row[1:] for row in rows]
    head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(short_text(c, CELL_CHARS))}</td>" for c in row) + "</tr>"
                   for row in rows)
    table = (f"<div class='scroll'><table class='designs'><caption>{_t('designs_caption', n=len(rows))}</caption>"
             f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
    figures = []
    for n, chart in enumerate(design_charts(overview, course), start=1):
        lines = [line for line in chart.alt_text.splitlines() if line.strip()] or [""]
        src = f"{base}charts/designs-{n}.png?v={design_chart_version(chart)}"
        figures.append(
            f"<figure class='chart'><img src='{esc(src)}' alt='{esc(lines[0])}' "
            f"aria-describedby='designs-alt-{n}'><figcaption><details id='designs-alt-fold-{n}'>"
            f"<summary>{_t('alt_summary')}</summary><pre id='designs-alt-{n}'>{esc(chart.alt_text)}</pre>"
            "</details></figcaption></figure>")
    return table + "".join(figures)


def _skipped(board: Board) -> str:
    rows = [(msg("board_view.skipped_kind_progress"), s.file, s.reason) for s in board.skipped]
    rows += [(msg("board_view.skipped_kind_design"), s.file, s.reason) for s in board.designs.skipped]
    if not rows:
        return f"<p class='quiet'>{_t('skipped_none')}</p>"
    body = "".join(f"<tr><td>{esc(kind)}</td><td>{esc(short_text(file, CELL_CHARS))}</td>"
                   f"<td>{esc(short_text(reason))}</td></tr>" for kind, file, reason in rows)
    return (f"<div class='scroll'><table class='skipped'><caption>{_t('skipped_caption', n=len(rows))}</caption>"
            f"<thead><tr><th scope='col'>{_t('col_kind')}</th><th scope='col'>{_t('col_file')}</th>"
            f"<th scope='col'>{_t('col_reason')}</th></tr></thead><tbody>{body}</tbody></table></div>")


# --- the fragment and the page -------------------------------------------------------------------

def _panels(board: Board, view: View, base: str, show_names: bool,
            course: Course | None) -> list[tuple[str, str, str]]:
    """Every tab: ``(id, tab label as HTML, content as HTML)``."""
    panels: list[tuple[str, str, str]] = []
    taken: set[str] = set()

    def panel_id(stem: str) -> str:
        found, n = stem, 2
        while found in taken:
            found, n = f"{stem}-{n}", n + 1
        taken.add(found)
        return found

    for lesson in board.lessons:
        if not lesson.exercises:
            continue
        pid = panel_id(f"lesson-{_slug(lesson.id)}")
        panels.append((pid, esc(short_text(lesson.title)), _lesson(lesson, board.learners, view, base, pid)))
    panels.append((panel_id("notes"), _t("tab_count", title=msg("board_view.tab_notes"), n=len(board.notes)),
                   _notes(board.notes, board.lessons, show_names)))
    panels.append((panel_id("designs"), _t("tab_count", title=msg("board_view.tab_designs"),
                                           n=len(board.designs.entries)),
                   _designs(board, base, show_names, course)))
    if view == "facilitator":
        n = len(board.skipped) + len(board.designs.skipped)
        panels.append((panel_id("skipped"), _t("tab_count", title=msg("board_view.tab_skipped"), n=n),
                       _skipped(board)))
    return panels


def _status(board: Board) -> str:
    read_at = short_text(board.read_at, 40)
    line = (_t("status", n=board.learners, time=read_at) if read_at else _t("status_no_time", n=board.learners))
    return f"<p class='status'>{line}</p>"


def fragment(board: Board, view: View, *, base: str, names: bool = False, course: Course | None = None) -> str:
    """The content of ``<main id="board">``: status line, tab bar and one section per tab.

    ``names`` shows learners' names beside shared notes (and the design sheets' names and files), in the
    facilitator view only. ``course`` (default: the course data) names the design sheets' partners.
    """
    if view not in ("facilitator", "projector"):
        raise ValueError(view)
    show_names = names and view == "facilitator"
    parts = [_status(board)]
    if board.learners == 0:
        parts.append(f"<p class='empty'>{_t('empty_room')}</p>")
    if view == "facilitator":
        parts.append(f"<p class='tools'><span>{_t('downloads')}</span> <a href='{esc(base)}board.csv'>"
                     f"{_t('link_csv')}</a><a href='{esc(base)}record.zip'>{_t('link_zip')}</a></p>")
    panels = _panels(board, view, base, show_names, course)
    tabs = "".join(f"<a class='tab' href='#{esc(pid)}' id='tab-{esc(pid)}' data-tab>{label}</a>"
                   for pid, label, _ in panels)
    parts.append(f"<nav class='tabs' aria-label='{_t('tabs_label')}'>{tabs}</nav>")
    for k, (pid, label, content) in enumerate(panels):
        first = " default" if k == 0 else ""
        parts.append(f"<section class='panel{first}' id='{esc(pid)}' data-panel aria-labelledby='{esc(pid)}-h'>"
                     f"<h2 id='{esc(pid)}-h'>{label}</h2>{content}</section>")
    return "".join(parts)


_CSS = """
:root{--ink:#111;--paper:#fff;--line:#767676;--soft:#f3f3f3;--blue:#0072B2;--link:#005A8C;--wrong:#D55E00;
--wrong-ink:#8F3F00;--open:#767676;--accepted:#0072B2}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,"Hiragino Sans","Yu Gothic UI","Meiryo","Noto Sans CJK JP","IPAexGothic",sans-serif;
color:var(--ink);background:var(--paper);line-height:1.55;font-size:16px}
header{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:baseline;padding:.6em 1rem;border-bottom:2px solid var(--ink)}
h1{font-size:1.35em;margin:0}
a{color:var(--link)}
a:focus-visible,summary:focus-visible,main:focus-visible{outline:3px solid var(--blue);outline-offset:2px}
.header-links a{margin-right:1em}
.lost{position:sticky;top:0;z-index:1;margin:0;padding:.4em 1rem;background:#fff4dc;border-bottom:2px solid var(--wrong-ink);color:var(--wrong-ink);
font-weight:bold}
main{display:block;padding:.6em 1rem 2em}
.status{margin:.2em 0 .5em;font-weight:bold}
.empty{padding:.8em 1em;border:2px dashed var(--line);border-radius:8px;background:var(--soft)}
.tools a,.links a{margin-right:1em}
.tabs{display:flex;flex-wrap:wrap;gap:.3em;margin:.6em 0;border-bottom:2px solid var(--ink)}
.tab{display:inline-block;padding:.35em .8em;border:2px solid var(--ink);border-bottom:none;border-radius:8px 8px 0 0;
text-decoration:none;color:var(--ink);background:var(--soft)}
.tab[aria-current]{background:var(--ink);color:var(--paper)}
.panel>h2{font-size:1.25em;margin:.4em 0}
html:not(.js) .panel{display:none}
html:not(.js) .panel:target,html:not(.js) .panel.default{display:block}
html:not(.js) #board:has(.panel:target) .panel.default:not(:target){display:none}
.card{border:2px solid var(--line);border-radius:10px;padding:.6em 1em;margin:0 0 1em}
.card h3{margin:.1em 0 .4em;font-size:1.15em}
.card .label{display:inline-block;padding:0 .45em;border-radius:4px;background:var(--ink);color:var(--paper)}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(10em,1fr));gap:.3em 1em;margin:.3em 0 .6em}
.count dt{font-weight:bold}
.count dd{margin:0}
.num{display:inline-block;min-width:4.5em}
.bar{display:inline-block;vertical-align:middle;width:8em;height:.8em;margin-left:.4em;border:1px solid var(--line);
background:var(--paper)}
.fill{display:block;height:100%;background:var(--blue)}
.fill.v-wrong{background:repeating-linear-gradient(135deg,var(--wrong) 0 6px,#a94400 6px 9px)}
.fill.v-open{background:var(--open)}
.fill.v-accepted{background:var(--accepted)}
h4.item{margin:.6em 0 .2em;font-size:1em}
table{border-collapse:collapse;margin:.2em 0 .4em}
table.answers{width:100%;max-width:60em}
th,td{text-align:left;vertical-align:top;padding:.25em .6em;border-bottom:1px solid #ccc}
caption{text-align:left;font-weight:bold;padding:.2em 0}
td.answer{max-width:32em;overflow-wrap:anywhere}
td.n,td.mark{white-space:nowrap}
tr.v-wrong td.mark{color:var(--wrong-ink);font-weight:bold}
.scroll{overflow-x:auto}
.quiet{color:#444}
.more summary{cursor:pointer;color:var(--link)}
.note-group{border-left:6px solid var(--blue);padding:.1em 0 .1em .8em;margin:0 0 1.2em}
.note-group h3{margin:.2em 0;font-size:1.1em}
.meta{margin:0;color:#444}
.notes{padding-left:1.2em}
.note-text{margin:.2em 0;white-space:pre-wrap;overflow-wrap:anywhere}
.by{margin:0;color:#444;font-size:.9em}
.chart{margin:1em 0}
.chart img{max-width:min(100%,880px);height:auto;border:1px solid #ccc}
.chart pre{white-space:pre-wrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
body.view-projector{font-size:clamp(20px,2.3vw,34px);line-height:1.45}
.view-projector header{border-bottom-width:4px}
.view-projector .card{border:3px solid var(--ink)}
.view-projector .bar{width:5em;height:.9em;border:2px solid var(--ink)}
.view-projector .counts{grid-template-columns:repeat(auto-fit,minmax(8.5em,1fr))}
.view-projector .count .num{font-size:1.25em;font-weight:bold}
.view-projector th,.view-projector td{border-bottom:2px solid var(--ink)}
.view-projector .quiet,.view-projector .meta{color:var(--ink)}
@media print{.tabs,.lost,.tools,.links{display:none}html:not(.js) .panel,.panel[hidden]{display:block!important}}
"""

_SCRIPT = """
(function () {
  "use strict";
  var main = document.getElementById("board"), lost = document.getElementById("board-lost");
  var url = main.getAttribute("data-fragment"), every = parseInt(main.getAttribute("data-refresh"), 10) || 5000;
  document.documentElement.className += " js";
  function wanted() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
  }
  function show(id) {
    var panels = main.querySelectorAll("[data-panel]"), chosen = null, i;
    for (i = 0; i < panels.length; i++) { if (panels[i].id === id) { chosen = panels[i]; } }
    if (!chosen) { chosen = panels[0] || null; }
    for (i = 0; i < panels.length; i++) { panels[i].hidden = panels[i] !== chosen; }
    var tabs = main.querySelectorAll("[data-tab]");
    for (i = 0; i < tabs.length; i++) {
      if (chosen && tabs[i].getAttribute("href") === "#" + chosen.id) { tabs[i].setAttribute("aria-current", "page"); }
      else { tabs[i].removeAttribute("aria-current"); }
    }
    var keep = document.querySelectorAll("[data-keep-tab]");
    for (i = 0; i < keep.length; i++) { keep[i].setAttribute("href", keep[i].getAttribute("data-keep-tab") + location.hash); }
  }
  main.addEventListener("click", function (event) {
    var tab = event.target.closest ? event.target.closest("[data-tab]") : null;
    if (!tab) { return; }
    event.preventDefault();
    var id = tab.getAttribute("href").slice(1);
    if (history.replaceState) { history.replaceState(null, "", "#" + encodeURIComponent(id)); } else { location.hash = id; }
    show(id);
  });
  window.addEventListener("hashchange", function () { show(wanted()); });
  function put(html) {
    var x = window.scrollX, y = window.scrollY, open = [], i;
    var folds = main.querySelectorAll("details[open][id]");
    for (i = 0; i < folds.length; i++) { open.push(folds[i].id); }
    var active = document.activeElement, focused = active && main.contains(active) ? active.id : "";
    main.style.minHeight = main.offsetHeight + "px";
    main.innerHTML = html;
    for (i = 0; i < open.length; i++) { var fold = document.getElementById(open[i]); if (fold) { fold.open = true; } }
    show(wanted());
    if (focused) { var again = document.getElementById(focused); if (again) { again.focus({preventScroll: true}); } }
    window.scrollTo(x, y);
    release();
  }
  function release() {
    var images = main.querySelectorAll("img"), waiting = 0, i;
    function done() { waiting -= 1; if (waiting <= 0) { main.style.minHeight = ""; } }
    for (i = 0; i < images.length; i++) {
      if (!images[i].complete) {
        waiting += 1;
        images[i].addEventListener("load", done);
        images[i].addEventListener("error", done);
      }
    }
    if (!waiting) { main.style.minHeight = ""; }
  }
  function tick() {
    var control = window.AbortController ? new AbortController() : null;
    var timer = control ? setTimeout(function () { control.abort(); }, Math.max(2 * every, 10000)) : null;
    var token = main.getAttribute("data-xsrf"), headers = token ? {"X-XSRFToken": token} : {};
    fetch(url, {cache: "no-store", credentials: "same-origin", headers: headers,
                signal: control ? control.signal : undefined})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { put(html); lost.hidden = true; })
      .catch(function () { lost.hidden = false; })
      .then(function () { if (timer) { clearTimeout(timer); } setTimeout(tick, every); });
  }
  show(wanted());
  setTimeout(tick, every);
})();
"""


def page(board: Board, view: View, *, base: str, names: bool = False, refresh: int = 5,
         course: Course | None = None, xsrf: str = "") -> str:
    """A whole HTML document: the board's content, refreshed every ``refresh`` seconds from ``{base}fragment``.

    ``base`` is the address the board is served under, ending in ``/`` (``""`` for the current folder).
    ``xsrf``: the token the refresh sends as ``X-XSRFToken`` (behind the hub's OAuth, a request the
    page's script makes is refused without it).
    """
    if view not in ("facilitator", "projector"):
        raise ValueError(view)
    show_names = names and view == "facilitator"
    seconds = max(1, int(refresh))
    source = f"{base}fragment?view={view}&names={int(show_names)}"
    links = ""
    if view == "facilitator":
        toggle = f"{base}?names={0 if show_names else 1}"
        links = (f"<p class='header-links'><a href='{esc(toggle)}' data-keep-tab='{esc(toggle)}'>"
                 f"{_t('names_hide' if show_names else 'names_show')}</a>"
                 f"<a href='{esc(base)}projector'>{_t('link_projector')}</a></p>")
    return (
        f"<!DOCTYPE html><html lang='{_t('lang')}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{_t('title_' + view)}</title>"
        f"<noscript><meta http-equiv='refresh' content='{seconds}'></noscript>"
        f"<style>{_CSS}</style></head>"
        f"<body class='view-{view}'><header><h1>{_t('heading_' + view)}</h1>{links}</header>"
        f"<p id='board-lost' class='lost' role='status' hidden>{_t('lost')}</p>"
        f"<main id='board' tabindex='-1' data-fragment='{esc(source)}' data-refresh='{seconds * 1000}' "
        f"data-xsrf='{esc(xsrf)}'>"
        f"{fragment(board, view, base=base, names=show_names, course=course)}</main>"
        f"<script>{_SCRIPT}</script></body></html>"
    )
