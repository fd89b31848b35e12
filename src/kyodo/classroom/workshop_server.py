"""A Jupyter server extension for the classroom's workshop mode: no way into an editor.

In workshop mode (``classroom/jupyter_server_config.py``) JupyterLab, the
terminals and the language server are switched off, so ``/lab`` and ``/tree``
have nothing behind them. Instead of an English "404 : Not Found", this
extension sends a learner who types such an address (``/lab``, ``/tree``,
``/notebooks``, ``/edit``, ``/terminals``, and Voilà's own file list ``/voila``
and ``/voila/tree``) to the server's ``default_url``, the lesson list
(``/voila/render/kyodo/index.ipynb``). The redirect is temporary (302), so a
browser that later meets the same server in lab mode does not remember it.

Enabled by the configuration file only in workshop mode
(``c.ServerApp.jpserver_extensions["kyodo.classroom.workshop_server"] = True``).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler

EDITOR_PATHS = r"/(?:(?:lab|tree|notebooks|edit|terminals|voila/tree)(?:/.*)?|voila/?)"
"""Addresses that would open an editor, a terminal or a file list (``voila/render`` is not among them)."""


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "kyodo.classroom.workshop_server"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Add the redirects to the lesson list (the server's ``default_url``)."""
    base = serverapp.web_app.settings["base_url"]
    default = serverapp.default_url
    # Under JupyterHub the default URL already carries the user's prefix (/user/<name>/...).
    target = default if default.startswith(base) else url_path_join(base, default)
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, EDITOR_PATHS), RedirectHandler, {"url": target, "permanent": False}),
    ])
    serverapp.log.info("kyodo workshop mode: editors, terminals and file lists redirect to %s", target)
