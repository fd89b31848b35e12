"""The learner's single-user server in the classroom: what a learner sees, by ``KYODO_CLASSROOM_MODE``.

The hub starts every learner's server as
``jupyterhub-singleuser --config=<checkout>/classroom/jupyter_server_config.py``
with the environment of the contract (``KYODO_WORKSPACE``, ``KYODO_LEARNER``,
``KYODO_CLASSROOM_MODE``, ``KYODO_DATA``, ``KYODO_READING``). The course is in
``~/kyodo/`` (the lessons, and the landing page as ``~/kyodo/index.ipynb``).

``workshop`` (the default; for staff training)
    Lessons open in Voilà (``/voila/render/kyodo/<lesson>.ipynb``): text and
    live widgets, never code (``strip_sources``) and never a traceback. The
    lessons' MyST (labels, ``{note}`` boxes, ``{ref}`` links) is turned into
    Markdown by :class:`kyodo.workshop.MystForVoila`, an nbconvert
    preprocessor that Voilà's exporter runs on every notebook
    (``c.VoilaExporter.preprocessors``; Voilà 0.5.13 runs the exporter's
    preprocessors in ``VoilaExporter.generate_from_notebook_node`` through
    ``Exporter.from_notebook_node``, and passes the server's configuration to
    the exporter on ``/voila/render``). The pages say ``<html lang="ja">``
    and load nothing from another host (MathJax is the one Voilà bundles).
    JupyterLab, the language server, the terminals and Voilà's file list are
    off; ``/lab``, ``/tree``, ``/voila/tree`` … lead back to the lesson list
    (:mod:`kyodo.classroom.workshop_server`). The labels that ``{ref}`` links
    point to are read from the checkout's ``notebooks/`` (and ``book/``, for
    the titles of website-only pages); the links themselves are relative, so
    they open the learner's own copy in ``~/kyodo``. Styles and fonts come
    from the server only (a Content-Security-Policy), so a page contacts no
    CDN. Kernels of closed pages that are idle are shut down after
    ``KYODO_KERNEL_IDLE_MINUTES`` (default 30); the work is saved as it is
    made, so nothing is lost.
    Start page: ``/voila/render/kyodo/index.ipynb``.

``lab`` (for university courses)
    JupyterLab in Japanese, as ``make lab`` gives it: the course's settings
    (``.jupyter/lab/settings/overrides.json``: language ``ja_JP``, no news,
    no update checks) are JupyterLab's application settings, which
    ``make venv`` copies into ``<venv>/share/jupyter/lab/settings/``; the
    server also never fetches news or checks for updates on its own.
    Start page: ``/lab/tree/kyodo/index.ipynb``.

``jupyterhub-singleuser`` runs the server as a Jupyter Server extension (the
default with Jupyter Server 2), which honours the extensions switched off
here; do not set ``JUPYTERHUB_SINGLEUSER_APP`` to JupyterLab's
``SingleUserLabApp``, which switches JupyterLab on whatever the configuration.

Any other value of ``KYODO_CLASSROOM_MODE`` is read as ``workshop`` (the mode
that shows learners the least): a configuration file that raised an error
would be skipped by the server with all its settings.
"""

import os
import sys
from importlib.util import find_spec
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when the server loads this file

CHECKOUT = Path(__file__).resolve().parents[1]
MODES = ("workshop", "lab")
MODE = os.environ.get("KYODO_CLASSROOM_MODE", "").strip().lower()
if MODE not in MODES:
    MODE = "workshop"

START = {
    "workshop": "/voila/render/kyodo/index.ipynb",
    "lab": "/lab/tree/kyodo/index.ipynb",
}
c.ServerApp.default_url = START[MODE]

# --- Voilà (both modes: workshop shows only Voilà; lab keeps its preview) ------------------

c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.template = "lab"
c.VoilaExporter.preprocessors = ["kyodo.workshop.MystForVoila"]
c.VoilaExporter.language_code = "ja"
# Where MystForVoila finds the labels its {ref} links point to: the checkout's lessons (the ones
# copied into ~/kyodo) and, beside them, the book's pages (titles of website-only labels).
# Voilà merges this into the resources of every notebook it renders.
c.VoilaConfiguration.resources = {"metadata": {"path": str(CHECKOUT / "notebooks")}}
# JupyterLab's MyST extension cannot load in Voilà's page (the Markdown is rendered on the server).
c.VoilaConfiguration.extension_denylist = ["jupyterlab-myst"]


def local_mathjax(page_config, **_context):
    """Voilà's page uses the MathJax bundled with it, not MathJax 2 from a CDN ("null": none configured)."""
    page_config["fullMathjaxUrl"] = "null"
    page_config["mathjaxConfig"] = "null"
    return page_config


c.VoilaConfiguration.page_config_hook = local_mathjax

# --- what a learner can reach ---------------------------------------------------------------

EDITORS = ("jupyterlab", "notebook", "nbclassic", "jupyter_lsp", "jupyter_server_terminals",
           "jupyterlab_myst", "notebook_shim")
"""Server extensions that give an editor, a terminal or a file browser (switched off in workshop mode)."""


def installed(name: str) -> bool:
    """Whether the server extension ``name`` can be imported (naming a missing one only logs a warning)."""
    try:
        return find_spec(name) is not None
    except (ImportError, ValueError):
        return False


CSP = "frame-ancestors 'none'; style-src 'self' 'unsafe-inline'; font-src 'self' data:"
"""The Content-Security-Policy of every page in workshop mode."""

extensions = {"voila.server_extension": True, "nbgitpuller": True}
if MODE == "workshop":
    extensions.update({name: False for name in EDITORS if installed(name)})
    extensions["kyodo.classroom.workshop_server"] = True
    c.ServerApp.terminals_enabled = False
    # Voilà's "lab" template links Font Awesome's CSS from a CDN, though its own bundle already
    # carries the icons: the browser is told to load styles and fonts from this server only, so a
    # room's PCs contact nothing outside (and a room without internet does not wait for the CDN).
    # frame-ancestors: as JupyterHub's single-user server sets it (no framing by other sites).
    c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": CSP}}
# .update: merged with the extensions the hub's singleuser launcher enables, not replacing them
c.ServerApp.jpserver_extensions.update(extensions)

# --- idle kernels ---------------------------------------------------------------------------

if MODE == "workshop":
    # A Voilà page has its own kernel; closing the page normally shuts it down. A kernel whose page
    # is gone (a closed laptop, a lost network) is shut down after this many idle minutes.
    # A page still open keeps its kernel (cull_connected off). Work is saved as it is made.
    try:
        idle_minutes = max(0, int(os.environ.get("KYODO_KERNEL_IDLE_MINUTES", "30")))
    except ValueError:
        idle_minutes = 30
    if idle_minutes:
        c.MappingKernelManager.cull_idle_timeout = idle_minutes * 60
        c.MappingKernelManager.cull_interval = 60
        c.MappingKernelManager.cull_connected = False
        c.MappingKernelManager.cull_busy = False

# --- JupyterLab in lab mode -----------------------------------------------------------------

LAB_SETTINGS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
"""JupyterLab's application settings folder (its default): ``make venv`` puts the course's overrides.json here."""

if MODE == "lab":
    c.LabApp.app_settings_dir = str(LAB_SETTINGS)
    c.LabApp.news_url = None
    c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
