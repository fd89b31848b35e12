"""nbgitpuller links: the course on a JupyterHub that already exists.

A university's JupyterHub, The Littlest JupyterHub or a city's
zero-to-jupyterhub on Kubernetes already has what the course needs once
this package is installed in its users' environment (``classroom/README.md``).
What it lacks is the course itself in each learner's home. An nbgitpuller
link brings it: a learner clicks it, signs in, and the hub clones this
repository into their home (or, on a later click, merges the new version
without overwriting anything the learner changed), then opens the page
the link names.

:func:`nbgitpuller_link` builds such a link::

    <hub>/hub/user-redirect/git-pull?repo=<repo>&urlpath=<page>&branch=<branch>

* ``repo``: the git address the learners' servers clone from (``https://``,
  ``http://``, ``git://`` or ``file://``).
* ``branch``: always given. nbgitpuller's documented default is
  ``master``, which this repository may not have.
* ``urlpath``: the page that opens after the pull, relative to the learner's
  server. The clone lands in a folder named like the last part of the
  repository address (nbgitpuller's rule, ``.git`` included:
  :func:`repo_folder`), or in ``folder`` when one is given (nbgitpuller's
  ``targetpath``; the zero-to-jupyterhub configuration in ``classroom/z2jh/``
  pulls into ``kyodo-course``). In that folder the lessons are
  ``notebooks/<notebook>.ipynb`` and the lesson list is
  :data:`LANDING_NOTEBOOK`: the repository's own layout, not the
  ``~/kyodo/`` copy that ``make classroom`` gives each learner. Two modes,
  as in the classroom (``KYODO_CLASSROOM_MODE``; there the start pages are
  ``/voila/render/kyodo/index.ipynb`` and ``/lab/tree/kyodo/index.ipynb``):

  - ``workshop``: Voilà, ``voila/render/<folder>/notebooks/03_case3_compost.ipynb``
    (text and widgets, no code);
  - ``lab``: JupyterLab, ``lab/tree/<folder>/notebooks/03_case3_compost.ipynb``.

A lesson is named by its id in ``data/course.yml`` (``case3``); no lesson
(or ``index``) is the lesson list. Every value is URL-encoded
(``quote``, nothing kept safe), the folder also inside the page path, so a
repository or branch with ``&``, ``#`` or Japanese letters survives.

Refused, each with a Japanese message (``ValueError``): a hub or repository
address without ``https://`` (or with a scheme the hub cannot use, such as
``git@host:...``), with spaces or control characters inside, a hub address
with ``?`` or ``#``, a repository page address (``.../tree/main``), a blank
or malformed branch, an unknown lesson (the message lists the lessons of
``data/course.yml``), an unknown mode, a page path that leaves the server
(``..``, ``//``, ``://``). Spaces around a value (a copy and paste) are dropped.

The command prints one link, or with ``--all`` the lesson list and every
lesson, titles first (for a learning platform's course page)::

    python -m kyodo.classroom.links --hub https://hub.example.jp --repo https://github.com/org/kyodo-course \\
        --branch main --lesson case3 --mode workshop
    make classroom-link HUB=https://hub.example.jp REPO=https://github.com/org/kyodo-course BRANCH=main LESSON=case3

Messages: ``classroom.links.*`` in ``locales/ja/classroom.yml``.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import quote, urlsplit, urlunsplit

from ..data import DataError, default_data_dir
from ..outline import Outline, load_outline
from ..text import msg
from .landing import notebook_title

Mode = Literal["workshop", "lab"]
"""How a lesson opens: Voilà (text and widgets, no code) or JupyterLab."""

MODES: tuple[Mode, ...] = get_args(Mode)

MODE_PREFIX: dict[Mode, str] = {"workshop": "voila/render", "lab": "lab/tree"}
"""The start of the page path, by mode (relative to the learner's server)."""

NOTEBOOKS = "notebooks"
"""Where the lesson notebooks are in the repository."""

LANDING_NOTEBOOK = "classroom/landing.ipynb"
"""The lesson list (the classroom's landing page) in the repository."""

LANDING_NAMES = ("", "index", "landing")
"""What names the lesson list instead of a lesson."""

HUB_SCHEMES = ("https", "http")
REPO_SCHEMES = ("https", "http", "git", "file")

GIT_PAGE = re.compile(r"/-/(?:tree|blob|commits?)(?:/|$)|^/[^/]+/[^/]+/(?:tree|blob|commits?|src)(?:/|$)")
"""A web page of a repository, not its git address: GitHub ``/org/repo/tree/main``, GitLab
``/group/sub/repo/-/tree/main``, Gitea ``/org/repo/src/branch/main``."""

BRANCH_FORBIDDEN = re.compile(r"\.\.|@\{|[~^:?*\[\\]|//|/\.|\.lock(?:/|$)")
"""What ``git check-ref-format`` refuses inside a branch name."""


def _clean(value: str | None, what: str) -> str:
    """``value`` without spaces around it; refuses spaces and control characters inside."""
    text = (value or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise ValueError(msg("classroom.links.control", what=msg(f"classroom.links.what_{what}")))
    if any(ch.isspace() for ch in text):
        raise ValueError(msg("classroom.links.spaces", what=msg(f"classroom.links.what_{what}"), value=text))
    return text


def hub_base(hub_url: str) -> str:
    """The hub's address without a trailing ``/``: ``https://hub.example.jp`` or ``https://u.ac.jp/jupyter``.

    An address copied from the browser while on the hub (``.../hub/home``,
    ``.../user/tanaka/lab``) is cut before its ``hub`` or ``user`` part.
    """
    text = _clean(hub_url, "hub")
    if not text:
        raise ValueError(msg("classroom.links.hub_blank"))
    if "://" not in text:
        raise ValueError(msg("classroom.links.no_scheme", value=text))
    parts = urlsplit(text)
    if parts.scheme.lower() not in HUB_SCHEMES:
        raise ValueError(msg("classroom.links.hub_scheme", value=text))
    if not parts.hostname:
        raise ValueError(msg("classroom.links.no_host", value=text))
    segments = parts.path.split("/")
    cut = next((n for n, segment in enumerate(segments) if segment in ("hub", "user")), None)
    if cut is not None:
        path = "/".join(segments[:cut])
    elif parts.query or parts.fragment:
        raise ValueError(msg("classroom.links.hub_query", value=text))
    else:
        path = parts.path
    return urlunsplit((parts.scheme.lower(), parts.netloc, path.rstrip("/"), "", ""))


def check_repo(repo: str) -> str:
    """The repository's git address, checked (see the module's list of refusals)."""
    text = _clean(repo, "repo")
    if not text:
        raise ValueError(msg("classroom.links.repo_blank"))
    if "://" not in text:
        raise ValueError(msg("classroom.links.repo_no_scheme", value=text))
    parts = urlsplit(text)
    if parts.scheme.lower() not in REPO_SCHEMES:
        raise ValueError(msg("classroom.links.repo_scheme", value=text, schemes=", ".join(REPO_SCHEMES)))
    if parts.scheme.lower() != "file" and not parts.hostname:
        raise ValueError(msg("classroom.links.no_host", value=text))
    if parts.query or parts.fragment or GIT_PAGE.search(parts.path):
        raise ValueError(msg("classroom.links.repo_page", value=text))
    if not parts.path.strip("/"):
        raise ValueError(msg("classroom.links.repo_no_path", value=text))
    return text


def repo_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into: the last part of the address, as nbgitpuller takes it."""
    return check_repo(repo).rstrip("/").split("/")[-1]


def check_branch(branch: str) -> str:
    """A branch (or tag) name git accepts; blank is refused (nbgitpuller would take ``master``)."""
    text = _clean(branch, "branch")
    if not text:
        raise ValueError(msg("classroom.links.branch_blank"))
    if (BRANCH_FORBIDDEN.search(text) or text.startswith(("-", "/", ".")) or text.endswith(("/", "."))
            or text == "@"):
        raise ValueError(msg("classroom.links.branch_bad", value=text))
    return text


def check_folder(folder: str) -> str:
    """A folder name in the learner's home: one path segment, not ``.`` or ``..``."""
    text = _clean(folder, "folder")
    if not text or "/" in text or "\\" in text or text in (".", ".."):
        raise ValueError(msg("classroom.links.folder_bad", value=text))
    return text


def check_mode(mode: str) -> Mode:
    text = (mode or "").strip()
    for known in MODES:
        if text == known:
            return known
    raise ValueError(msg("classroom.links.mode", value=text, modes=", ".join(MODES)))


def check_urlpath(urlpath: str) -> str:
    """A page path on the learner's server, without a leading ``/``; nothing that leaves the server."""
    given = _clean(urlpath, "urlpath")
    text = given.removeprefix("/")
    if not text or "://" in given or "//" in given or "\\" in given or ".." in text.split("/"):
        raise ValueError(msg("classroom.links.urlpath_bad", value=urlpath))
    return text


def lesson_file(lesson: str | None, outline: Outline | None = None) -> str:
    """The lesson's notebook in the repository (``notebooks/03_case3_compost.ipynb``), or the lesson list."""
    name = (lesson or "").strip()
    if name in LANDING_NAMES:
        return LANDING_NOTEBOOK
    outline = outline or load_outline()
    if name not in outline.by_id:
        known = ", ".join(item.id for item in outline.lessons)
        raise ValueError(msg("classroom.links.unknown_lesson", lesson=name, known=known))
    return f"{NOTEBOOKS}/{outline.by_id[name].notebook}.ipynb"


def page_path(folder: str, file: str, mode: Mode = "workshop") -> str:
    """The page that shows ``file`` of the clone in ``folder``, in ``mode`` (URL path, segments quoted)."""
    quoted = "/".join(quote(segment, safe="") for segment in (folder, *file.split("/")))
    return f"{MODE_PREFIX[check_mode(mode)]}/{quoted}"


def nbgitpuller_link(hub_url: str, repo: str, branch: str, lesson: str | None = None,
                     mode: str = "workshop", *, urlpath: str | None = None, folder: str | None = None,
                     outline: Outline | None = None) -> str:
    """The nbgitpuller link that clones (or updates) ``repo`` at ``branch`` and opens a page.

    The page is ``urlpath`` when given (a path on the learner's server, such as
    ``voila/tree``), else ``lesson`` (an id of ``data/course.yml``; ``None``
    or ``"index"``: the lesson list) in ``mode`` (``workshop``: Voilà;
    ``lab``: JupyterLab). ``folder`` names the clone's folder in the home
    (nbgitpuller's ``targetpath``); by default nbgitpuller's own choice
    (:func:`repo_folder`). Raises ``ValueError`` with a Japanese message.
    """
    base = hub_base(hub_url)
    repo = check_repo(repo)
    branch = check_branch(branch)
    target = check_folder(folder) if folder is not None else None
    if urlpath is not None:
        if lesson is not None:
            raise ValueError(msg("classroom.links.both"))
        page = check_urlpath(urlpath)
        check_mode(mode)
    else:
        page = page_path(target or repo_folder(repo), lesson_file(lesson, outline), check_mode(mode))
    query = [("repo", repo), ("urlpath", page), ("branch", branch)]
    if target is not None:
        query.append(("targetpath", target))
    encoded = "&".join(f"{key}={quote(value, safe='')}" for key, value in query)
    return f"{base}/hub/user-redirect/git-pull?{encoded}"


# --- every lesson at once -------------------------------------------------------------------


@dataclass(frozen=True)
class LessonLink:
    """One line of ``--all``: the lesson id (``index`` for the lesson list), its title and its link."""

    id: str
    title: str
    url: str


def course_links(hub_url: str, repo: str, branch: str, mode: str = "workshop", *, folder: str | None = None,
                 data_dir: str | Path | None = None) -> list[LessonLink]:
    """The lesson list's link, then every lesson's in course order, with the Japanese titles."""
    data = Path(data_dir) if data_dir is not None else default_data_dir()
    outline = load_outline(data)
    checkout = data.resolve().parent
    links = [LessonLink("index", msg("classroom.links.landing_title"),
                        nbgitpuller_link(hub_url, repo, branch, None, mode, folder=folder, outline=outline))]
    for lesson in outline.lessons:
        title = notebook_title(checkout / NOTEBOOKS / f"{lesson.notebook}.ipynb") or lesson.notebook
        links.append(LessonLink(lesson.id, title, nbgitpuller_link(hub_url, repo, branch, lesson.id, mode,
                                                                   folder=folder, outline=outline)))
    return links


# --- command line ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kyodo.classroom.links",
        description=msg("classroom.links.cli_description"),
    )
    parser.add_argument("--hub", default="", help=msg("classroom.links.cli_hub"))
    parser.add_argument("--repo", default="", help=msg("classroom.links.cli_repo"))
    parser.add_argument("--branch", default="", help=msg("classroom.links.cli_branch"))
    parser.add_argument("--lesson", default="", help=msg("classroom.links.cli_lesson"))
    parser.add_argument("--mode", default="workshop", help=msg("classroom.links.cli_mode"))
    parser.add_argument("--folder", default=None, help=msg("classroom.links.cli_folder"))
    parser.add_argument("--urlpath", default=None, help=msg("classroom.links.cli_urlpath"))
    parser.add_argument("--all", action="store_true", help=msg("classroom.links.cli_all"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Print the link (or, with ``--all``, every link); a refused input prints its message and returns 2."""
    args = _parser().parse_args(argv)
    folder = args.folder if args.folder not in (None, "") else None
    try:
        if args.all:
            for item in course_links(args.hub, args.repo, args.branch, args.mode or "workshop", folder=folder):
                print(f"# {item.id}: {item.title}")
                print(item.url)
        else:
            print(nbgitpuller_link(args.hub, args.repo, args.branch, args.lesson or None,
                                   args.mode or "workshop", urlpath=args.urlpath or None, folder=folder))
    except (ValueError, DataError) as err:
        print(msg("classroom.links.refused", reason=err), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
