"""The room board as a small web server (tornado): over a folder, or as a JupyterHub service.

* **Over a folder** (``make board KYODO_CLASS_FOLDER=…``): listens on
  127.0.0.1 only, for the facilitator's own machine (a projector shows its
  screen); no sign-in.
* **In the classroom hub** (``python -m kyodo.board --hub``, started by the
  hub as the service ``board``): every page needs the hub's OAuth and the
  scope ``access:services!service=board``, which only facilitators hold; a
  learner gets 403. It reads each learner's ``~/kyodo-workspace/`` file
  read-only (:func:`kyodo.board.collect.hub_files`).

Pages (under the service's prefix): ``/`` the facilitator view (``?names=1``
shows who wrote each shared note), ``/projector`` the projector view (never a
name), ``/fragment`` what both fetch every few seconds, ``/board.csv``,
``/charts/<id>.png`` and ``/record.zip`` for the session record.

Reading and counting run in a worker thread and at most once every
:data:`MIN_INTERVAL` seconds however many screens are open; files that did not
change since the last reading are not read again.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tornado import web

from ..data import default_data_dir, load_course
from ..registry import load_registry
from ..text import esc, msg
from .aggregate import Board, Counting, aggregate
from .collect import Gathered, LearnerWork, folder_files

MIN_INTERVAL = 2.0
"""Seconds between two readings of the room's files."""
REFRESH = 5
"""Seconds between two refreshes of an open view."""


def lesson_titles(data_dir: Path | None = None) -> list[tuple[str, str]]:
    """``(lesson id, title)`` in reading order: the titles of the checkout's notebooks (else the lesson's label)."""
    from ..classroom.landing import notebook_title
    from ..outline import load_outline

    folder = (data_dir or default_data_dir()).resolve().parent / "notebooks"
    return [(lesson.id, notebook_title(folder / f"{lesson.notebook}.ipynb") or lesson.label)
            for lesson in load_outline(data_dir).lessons]


@dataclass
class Source:
    """Where the room's work is read from, and the last board made of it."""

    read: Callable[[], Gathered]
    counting: Counting
    lessons: list[tuple[str, str]]
    exported: Callable[[Gathered], Any] = lambda gathered: None
    """The class overview of exported design sheets found beside the files (folder mode)."""
    _board: Board | None = None
    _at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def board(self) -> Board:
        """The board, read again if the last reading is older than :data:`MIN_INTERVAL`."""
        with self._lock:
            if self._board is None or time.monotonic() - self._at >= MIN_INTERVAL:
                gathered = self.read()
                self._board = aggregate(self.counting, gathered.works, self.lessons, gathered.skipped,
                                        self.exported(gathered), time.strftime("%H:%M:%S"))
                self._at = time.monotonic()
            return self._board


def folder_source(folder: Path, counting: Counting, lessons: list[tuple[str, str]]) -> Source:
    from ..design.overview import read_folder

    def exported(gathered: Gathered) -> Any:
        return read_folder(folder, counting.course) if gathered.exports else None

    return Source(lambda: folder_files(folder), counting, lessons, exported)


def hub_users(api_url: str, token: str, exclude: set[str]) -> list[str]:
    """The hub's users (but the facilitators), through the hub's REST API with the service's token."""
    request = urllib.request.Request(f"{api_url.rstrip('/')}/users?limit=2000",
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the hub's own URL on 127.0.0.1
        users = json.load(response)
    if isinstance(users, dict):  # a paginated answer
        users = users.get("items", [])
    return sorted(u["name"] for u in users if isinstance(u, dict) and u.get("name") not in exclude)


def hub_source(counting: Counting, lessons: list[tuple[str, str]]) -> Source:
    """The room of the hub this service runs under (its environment says where)."""
    from ..classroom.content import WORKSPACE_FOLDER, learner_environment
    from ..classroom.names import display_name
    from ..storage import file_stem
    from .collect import hub_files

    api_url = os.environ["JUPYTERHUB_API_URL"]
    token = os.environ["JUPYTERHUB_API_TOKEN"]
    exclude = {n for n in os.environ.get("KYODO_BOARD_EXCLUDE", "").split(",") if n}

    def read() -> Gathered:
        users = hub_users(api_url, token, exclude)

        def progress_file(user: str) -> str:
            return f"{file_stem(learner_environment(user, Path('/'))['KYODO_LEARNER'])}.json"

        found = hub_files(users, WORKSPACE_FOLDER, progress_file)
        return Gathered(tuple(LearnerWork(display_name(w.file), w.learner, w.exercises, w.activity, w.saved_at)
                              for w in found.works), found.skipped)

    return Source(read, counting, lessons)


# --- the web application ------------------------------------------------------------------------


class BoardHandler(web.RequestHandler):
    """Base of every page: the board source, the prefix, and friendly errors."""

    source: Source
    base: str

    def initialize(self, source: Source, base: str) -> None:
        self.source = source
        self.base = base

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Security-Policy",
                        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                        "script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'self'")

    @staticmethod
    def view(asked: str) -> Literal["facilitator", "projector"]:
        return "projector" if asked == "projector" else "facilitator"

    def names(self) -> bool:
        """``?names=1``: the views show names in the facilitator view only (never on the projector)."""
        return self.get_argument("names", "0") == "1"

    async def current_board(self) -> Board:
        return await asyncio.to_thread(self.source.board)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        key = "board.forbidden" if status_code == 403 else "board.error"
        try:
            text = msg(key, status=status_code)
        except KeyError:
            text = str(status_code)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(f"<!doctype html><html lang='ja'><meta charset='utf-8'><title>{esc(text)}</title>"
                    f"<body style='font-family:sans-serif;margin:2em'><p>{esc(text)}</p></body></html>")


class PageHandler(BoardHandler):
    async def get(self, view: str = "") -> None:
        from .views import page

        board = await self.current_board()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        xsrf = self.xsrf_token.decode("ascii") if isinstance(self.xsrf_token, bytes) else str(self.xsrf_token)
        self.finish(page(board, self.view(view), base=self.base, names=self.names(), refresh=REFRESH,
                         course=self.source.counting.course, xsrf=xsrf))


class FragmentHandler(BoardHandler):
    async def get(self) -> None:
        from .views import fragment

        board = await self.current_board()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(fragment(board, self.view(self.get_argument("view", "")), base=self.base, names=self.names(),
                             course=self.source.counting.course))


class CsvHandler(BoardHandler):
    async def get(self) -> None:
        from .export import csv_text

        board = await self.current_board()
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f"attachment; filename=board-{time.strftime('%Y%m%d-%H%M')}.csv")
        self.finish(csv_text(board).encode("utf-8"))


class ChartHandler(BoardHandler):
    async def get(self, name: str) -> None:
        from .export import chart_png

        board = await self.current_board()
        png = await asyncio.to_thread(lambda: chart_png(board, name, course=self.source.counting.course))
        if png is None:
            raise web.HTTPError(404)
        self.set_header("Content-Type", "image/png")
        self.finish(png)


class RecordHandler(BoardHandler):
    async def get(self) -> None:
        from .export import record_zip

        board = await self.current_board()
        data = await asyncio.to_thread(lambda: record_zip(board, course=self.source.counting.course))
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f"attachment; filename=board-{time.strftime('%Y%m%d-%H%M')}.zip")
        self.finish(data)


ROUTES: list[tuple[str, type[BoardHandler]]] = [
    (r"(projector)?", PageHandler),
    (r"fragment", FragmentHandler),
    (r"board\.csv", CsvHandler),
    (r"charts/([A-Za-z0-9_.-]+)\.png", ChartHandler),
    (r"record\.zip", RecordHandler),
]


def _guarded(handler: type[BoardHandler]) -> type[BoardHandler]:
    """``handler`` behind the hub's OAuth: only users with the service's access scope (others: 403).

    Not signed in: to the hub's sign-in, then back. Signed in without the scope: the hub
    refuses the OAuth request, and a token without it is refused here (403).
    """
    from jupyterhub.services.auth import HubOAuthenticated

    return type(f"Hub{handler.__name__}", (HubOAuthenticated, handler), {"get": web.authenticated(handler.get)})


def make_app(source: Source, base: str = "/", hub: bool = False) -> web.Application:
    """The board's application under ``base``; with ``hub``, every page behind the hub's OAuth."""
    routes: list[Any] = []
    for pattern, handler in ROUTES:
        routes.append((base + pattern, _guarded(handler) if hub else handler, {"source": source, "base": base}))
    settings: dict[str, Any] = {"xsrf_cookies": False}
    if hub:
        from jupyterhub.services.auth import HubOAuthCallbackHandler

        routes.append((base + "oauth_callback", HubOAuthCallbackHandler))
        settings["cookie_secret"] = os.urandom(32)
    return web.Application(routes, **settings)


def counting_for(data_dir: Path | None = None) -> Counting:
    return Counting(load_registry(data_dir), load_course(data_dir))
