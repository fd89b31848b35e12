"""The classroom's settings (environment variables), the checks before it starts, and stopping it.

``make classroom`` runs ``python -m kyodo.classroom.preflight check`` before
it starts the hub: every problem is listed in Japanese and the exit status is
1, so nothing is started half-way. ``classroom/jupyterhub_config.py`` reads
the same settings with :func:`read_settings` (and refuses to start on a
settings problem even when run by hand). ``make classroom-stop`` runs
``python -m kyodo.classroom.preflight stop``.

Environment variables (``KYODO_CLASSROOM_*``):

==========================================  ============================================================
``KYODO_CLASSROOM_PASSWORD``                **Required.** The workshop password learners type
                                            (at least 8 characters). Never in a file in the repository.
``KYODO_CLASSROOM_FACILITATOR_PASSWORD``    **Required.** The facilitators' own password (at least 12
                                            characters, different from the workshop password).
``KYODO_CLASSROOM_FACILITATORS``            Facilitator names, separated by ``,`` or ``、``
                                            (default ``進行役``). They are the hub's admins.
``KYODO_CLASSROOM_IP``                      Address the classroom listens on (default ``127.0.0.1``;
                                            ``0.0.0.0`` opens it to the room's network).
``KYODO_CLASSROOM_PORT``                    Its port (default ``8000``).
``KYODO_CLASSROOM_HUB_PORT``                The hub's internal port on 127.0.0.1 (default ``8081``).
``KYODO_CLASSROOM_PROXY_API_PORT``          The proxy's internal API port on 127.0.0.1 (default ``8001``).
``KYODO_CLASSROOM_BOARD_PORT``              The room board's internal port on 127.0.0.1 (default ``8002``).
``KYODO_CLASSROOM_MODE``                    ``workshop`` (default: lessons in Voilà) or ``lab``
                                            (JupyterLab in Japanese).
``KYODO_CLASSROOM_CONTENT``                 Where the course comes from: empty (default) for this
                                            checkout, or a git URL (``https://…``, ``file://…``),
                                            fetched with nbgitpuller when the classroom starts.
``KYODO_CLASSROOM_CONTENT_BRANCH``          The branch of that git URL (default ``main``).
``KYODO_CLASSROOM_IDLE_MINUTES``            Stop a learner's server after this many idle minutes
                                            (default ``60``; ``0``: never). No work is lost.
``KYODO_CLASSROOM_STATE``                   The hub's state folder (default ``classroom/state/``,
                                            git-ignored, mode 0700): database, cookie secret,
                                            合言葉 hashes, pid files, the fetched course.
``KYODO_CLASSROOM_API_TOKEN``               Optional: an API token for scripts (tests, benchmark)
                                            with rights over users and servers.
``KYODO_CLASSROOM_PYTHON``                  Optional: the Python the learners' servers run with
                                            (default: the venv's; see :func:`learner_python`).
==========================================  ============================================================

The learners' servers run as the learners, so they must be able to run the
venv's Python and read the checkout. A venv made from a Python that only
root can reach (pyenv under ``/root``, mode 0700) cannot serve them: then
:func:`learner_python` builds ``classroom/runtime/``, a venv of the same
packages on the system's Python of the same version (``/usr/bin/python3.11``;
the packages are shared through symbolic links, nothing is installed), and
checks it by running it as the user ``nobody``.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..text import msg
from . import names

ENV = "KYODO_CLASSROOM_"
PASSWORD = ENV + "PASSWORD"
FACILITATOR_PASSWORD = ENV + "FACILITATOR_PASSWORD"
FACILITATORS = ENV + "FACILITATORS"
IP = ENV + "IP"
PORT = ENV + "PORT"
HUB_PORT = ENV + "HUB_PORT"
PROXY_API_PORT = ENV + "PROXY_API_PORT"
BOARD_PORT = ENV + "BOARD_PORT"
MODE = ENV + "MODE"
CONTENT = ENV + "CONTENT"
CONTENT_BRANCH = ENV + "CONTENT_BRANCH"
IDLE_MINUTES = ENV + "IDLE_MINUTES"
STATE = ENV + "STATE"
API_TOKEN = ENV + "API_TOKEN"
PYTHON = ENV + "PYTHON"

SECRET_VARIABLES = (PASSWORD, FACILITATOR_PASSWORD, API_TOKEN)
"""Removed from the hub's environment once read, so no child process inherits them."""

MIN_WORKSHOP_PASSWORD = 8
MIN_FACILITATOR_PASSWORD = 12
DEFAULT_FACILITATOR = "進行役"
MODES = ("workshop", "lab")
MIN_NODE = 10
"""configurable-http-proxy 4.6 runs on Node.js 10 and newer."""

CHECKOUT = Path(__file__).resolve().parents[3]
"""The checkout this package is installed from (editable install: ``src/kyodo/classroom`` → root)."""

HUB_PID_FILE = "jupyterhub.pid"
PROXY_PID_FILE = "proxy.pid"
STOP_TIMEOUT = 90.0

DEFAULT_URLS = {
    "workshop": "/voila/render/kyodo/index.ipynb",
    "lab": "/lab/tree/kyodo/index.ipynb",
}
READING = {"workshop": "voila", "lab": "lab"}


class SettingsError(Exception):
    """Problems with the settings; ``problems`` holds one Japanese message each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """One classroom's settings, read from the environment by :func:`read_settings`."""

    checkout: Path
    ip: str
    port: int
    hub_port: int
    proxy_api_port: int
    mode: str
    facilitators: tuple[str, ...]
    """Facilitator names as typed (canonical form)."""
    content: str
    """A git URL, or ``""`` for this checkout."""
    content_branch: str
    idle_minutes: int
    state: Path
    venv: Path = field(default_factory=lambda: Path(sys.prefix))
    workshop_password: str = field(default="", repr=False)
    facilitator_password: str = field(default="", repr=False)
    api_token: str = field(default="", repr=False)
    python: str = ""
    """``KYODO_CLASSROOM_PYTHON``, or ``""``: choose with :func:`learner_python`."""
    board_port: int = 8002
    """The room board's port on 127.0.0.1 (a hub service that only facilitators can open)."""

    @property
    def facilitator_system_names(self) -> set[str]:
        return {names.system_name(name) for name in self.facilitators}

    @property
    def public_url(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"http://{host}:{self.port}"

    @property
    def proxy(self) -> Path:
        return self.checkout / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def server_config(self) -> Path:
        """The single-user server's configuration (the Voilà / JupyterLab part)."""
        return self.checkout / "classroom" / "jupyter_server_config.py"

    @property
    def templates(self) -> Path:
        return self.checkout / "classroom" / "templates"

    @property
    def data(self) -> Path:
        return self.checkout / "data"

    @property
    def venv_python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def runtime(self) -> Path:
        """Where :func:`learner_python` builds a venv for the learners when theirs is out of reach."""
        return self.checkout / "classroom" / "runtime"

    @property
    def default_url(self) -> str:
        return DEFAULT_URLS[self.mode]

    @property
    def reading(self) -> str:
        return READING[self.mode]

    @property
    def hub_pid_file(self) -> Path:
        return self.state / HUB_PID_FILE

    @property
    def content_cache(self) -> Path:
        return self.state / "content"

    @property
    def add_user_cmd(self) -> list[str]:
        """``useradd`` with a private home folder (0700) and a shell for lab-mode terminals."""
        return ["useradd", "--create-home", "--shell", "/bin/bash", "--key", "UMASK=077",
                "--key", "HOME_MODE=0700", "--comment", "kyodo classroom"]


def _secret(text: str) -> str:
    """A password as the sign-in compares it (NFKC, outer spaces dropped; see :mod:`kyodo.classroom.auth`)."""
    return unicodedata.normalize("NFKC", text).strip()


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def _port(env: Mapping[str, str], variable: str, default: int, problems: list[str]) -> int:
    raw = (env.get(variable) or "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 1 <= value <= 65535:
        problems.append(msg("classroom.preflight.bad_port", variable=variable, value=raw))
        return default
    return value


def read_settings(env: Mapping[str, str] | None = None, checkout: Path | None = None) -> Settings:
    """Read the settings from ``env`` (default ``os.environ``); :class:`SettingsError` lists every problem."""
    env = os.environ if env is None else env
    checkout = (checkout or CHECKOUT).resolve()
    problems: list[str] = []

    workshop = env.get(PASSWORD) or ""
    facilitator = env.get(FACILITATOR_PASSWORD) or ""
    for variable, value, minimum, missing in [
        (PASSWORD, workshop, MIN_WORKSHOP_PASSWORD, "no_password"),
        (FACILITATOR_PASSWORD, facilitator, MIN_FACILITATOR_PASSWORD, "no_facilitator_password"),
    ]:
        if not value:
            problems.append(msg(f"classroom.preflight.{missing}", min=minimum))
        elif _has_control(value):
            problems.append(msg("classroom.preflight.password_control", variable=variable))
        elif len(_secret(value)) < minimum:
            problems.append(msg("classroom.preflight.password_short", variable=variable,
                                length=len(value), min=minimum))
    if workshop and _secret(workshop) == _secret(facilitator):
        problems.append(msg("classroom.preflight.same_passwords"))

    raw_facilitators = env.get(FACILITATORS)
    if raw_facilitators is None:
        raw_facilitators = DEFAULT_FACILITATOR
    facilitators: list[str] = []
    bad_facilitator = False
    for typed in re.split(r"[,、，]", raw_facilitators):
        if not typed.strip():
            continue
        try:
            names.system_name(typed)
        except ValueError as error:
            problems.append(msg("classroom.preflight.bad_facilitator", name=typed.strip(), reason=error))
            bad_facilitator = True
            continue
        if names.canonical(typed) not in facilitators:
            facilitators.append(names.canonical(typed))
    if not facilitators and not bad_facilitator:
        problems.append(msg("classroom.preflight.no_facilitators"))

    ip = (env.get(IP) or "").strip() or "127.0.0.1"
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        problems.append(msg("classroom.preflight.bad_address", value=ip))
    port = _port(env, PORT, 8000, problems)
    hub_port = _port(env, HUB_PORT, 8081, problems)
    proxy_api_port = _port(env, PROXY_API_PORT, 8001, problems)
    board_port = _port(env, BOARD_PORT, 8002, problems)
    ports = [(PORT, port), (HUB_PORT, hub_port), (PROXY_API_PORT, proxy_api_port), (BOARD_PORT, board_port)]
    for i, (first, a) in enumerate(ports):
        for second, b in ports[i + 1:]:
            if a == b:
                problems.append(msg("classroom.preflight.same_ports", first=first, second=second, port=a))

    mode = (env.get(MODE) or "").strip().lower() or "workshop"
    if mode not in MODES:
        problems.append(msg("classroom.preflight.bad_mode", value=mode))
        mode = "workshop"

    raw_minutes = (env.get(IDLE_MINUTES) or "").strip() or "60"
    try:
        idle_minutes = int(raw_minutes)
        if idle_minutes < 0:
            raise ValueError
    except ValueError:
        problems.append(msg("classroom.preflight.bad_minutes", value=raw_minutes))
        idle_minutes = 60

    content = (env.get(CONTENT) or "").strip()
    branch = (env.get(CONTENT_BRANCH) or "").strip() or "main"
    state = Path(env.get(STATE) or checkout / "classroom" / "state")
    if not state.is_absolute():
        state = checkout / state

    if problems:
        raise SettingsError(problems)
    return Settings(
        checkout=checkout, ip=ip, port=port, hub_port=hub_port, proxy_api_port=proxy_api_port, mode=mode,
        facilitators=tuple(facilitators), content=content, content_branch=branch, idle_minutes=idle_minutes,
        state=state, workshop_password=workshop, facilitator_password=facilitator,
        api_token=env.get(API_TOKEN) or "", python=(env.get(PYTHON) or "").strip(), board_port=board_port,
    )


# --- checks of the machine ------------------------------------------------------------------


_given_ports: set[int] = set()


def free_port() -> int:
    """A port on 127.0.0.1 that is free now and that this process has not handed out before.

    For tests and the benchmark, which start a classroom on ports of their own: the system may give the
    same free port to two probes in a row, and a classroom refuses two settings with one port.
    """
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port not in _given_ports:
            _given_ports.add(port)
            return port


def port_free(ip: str, port: int) -> bool:
    """Whether a server could listen on ``ip:port`` now (a listening socket there says no)."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((ip, port))
        except OSError:
            return False
    return True


def node_version(node: str | None = None) -> tuple[int, ...] | None:
    """The version of ``node`` on the PATH, or ``None`` when there is none (or it does not run)."""
    node = node or shutil.which("node")
    if not node:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"v?(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(part) for part in found.groups()) if found else None


def unreadable_for_others(path: Path) -> tuple[Path, int] | None:
    """The first of ``path`` and its parents that another user cannot pass (or read), with its mode."""
    path = path.resolve()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(mode):
        needed = stat.S_IROTH | stat.S_IXOTH
    else:
        needed = stat.S_IROTH
    if mode & needed != needed:
        return path, stat.S_IMODE(mode)
    for parent in path.parents:
        parent_mode = parent.stat().st_mode
        if not parent_mode & stat.S_IXOTH:
            return parent, stat.S_IMODE(parent_mode)
    return None


def running_hub(pid_file: Path) -> int | None:
    """The pid of the classroom hub named in ``pid_file``, if that process is alive and is a JupyterHub."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return pid if b"jupyterhub" in cmdline else None


def check_machine(
    settings: Settings,
    *,
    euid: Callable[[], int] = os.geteuid,
    which: Callable[[str], str | None] = shutil.which,
    node: Callable[[], tuple[int, ...] | None] = node_version,
    probe: Callable[[Path, list[Path]], str | None] | None = None,
) -> list[str]:
    """Every reason the classroom cannot start on this machine now (Japanese messages); empty: ready."""
    problems: list[str] = []
    probe = probe or probe_python
    if euid() != 0:
        problems.append(msg("classroom.preflight.not_root"))

    pid = running_hub(settings.hub_pid_file)
    if pid:
        problems.append(msg("classroom.preflight.already_running", pid=pid))
    else:
        for ip, port, variable, what in [
            (settings.ip, settings.port, PORT, "what_public"),
            ("127.0.0.1", settings.hub_port, HUB_PORT, "what_hub"),
            ("127.0.0.1", settings.proxy_api_port, PROXY_API_PORT, "what_proxy_api"),
            ("127.0.0.1", settings.board_port, BOARD_PORT, "what_board"),
        ]:
            if not port_free(ip, port):
                problems.append(msg("classroom.preflight.port_in_use", address=ip, port=port, variable=variable,
                                    what=msg(f"classroom.preflight.{what}")))

    version = node()
    if version is None:
        problems.append(msg("classroom.preflight.no_node"))
    elif version[0] < MIN_NODE:
        problems.append(msg("classroom.preflight.old_node", version=".".join(map(str, version))))
    if not os.access(settings.proxy, os.X_OK):
        problems.append(msg("classroom.preflight.no_proxy", path=settings.proxy))

    for needed in [settings.server_config, settings.venv_python, settings.data, settings.templates / "login.html"]:
        if not needed.exists():
            problems.append(msg("classroom.preflight.missing_file", path=needed))
    if not settings.content and not list((settings.checkout / "notebooks").glob("*.ipynb")):
        problems.append(msg("classroom.content.no_notebooks", path=settings.checkout))

    # Learners' servers run as the learners: they must read the checkout and the venv.
    for shared in [settings.checkout / "src", settings.data, settings.server_config, settings.venv / "bin",
                   settings.venv / "lib", settings.checkout / "notebooks"]:
        blocked = unreadable_for_others(shared)
        if blocked:
            where, mode = blocked
            problems.append(msg("classroom.preflight.not_readable", path=where, mode=f"{mode:o}"))
            break
    else:
        if euid() == 0:
            _, problem = learner_python(settings, probe)
            if problem:
                problems.append(problem)

    if euid() == 0 and settings.state.exists() and settings.state.stat().st_uid != 0:
        problems.append(msg("classroom.preflight.state_not_private", path=settings.state))
    if not which("useradd"):
        problems.append(msg("classroom.preflight.no_useradd"))
    if settings.content and not which("git"):
        problems.append(msg("classroom.preflight.no_git"))
    return problems


# --- the learners' Python -----------------------------------------------------------------------

PROBE = """
import importlib.util, os, sys
for name in ("jupyterhub", "jupyter_server", "voila", "ipykernel", "ipywidgets", "kyodo"):
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"{name}: not found")
    open(spec.origin, "rb").close()
for path in sys.argv[1:]:
    os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
"""
"""Run as ``nobody``: can a learner start the server (the packages, the checkout's files)?"""


def probe_python(python: Path, readable: list[Path]) -> str | None:
    """Run ``python`` as the user ``nobody`` (as a learner would); the error, or ``None`` if it works.

    Without root, or without a ``nobody`` user, nothing is run (``None``).
    """
    if os.geteuid() != 0:
        return None
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return None
    try:
        done = subprocess.run(
            [str(python), "-c", PROBE, *map(str, readable)], capture_output=True, text=True, timeout=60, cwd="/",
            env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"},
            user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[],
        )
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    if done.returncode == 0:
        return None
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {done.returncode}"


def system_python(version: tuple[int, int] = sys.version_info[:2]) -> Path | None:
    """A Python of ``version`` that every user can run (``/usr/bin/python3.11`` …), if there is one."""
    for folder in ["/usr/bin", "/usr/local/bin"]:
        candidate = Path(folder) / f"python{version[0]}.{version[1]}"
        if candidate.exists() and unreadable_for_others(candidate) is None:
            return candidate
    return None


def _runtime_plan(python: Path, venv: Path) -> tuple[dict[str, Path], str]:
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    links = {"bin/python": python, f"lib/{version}/site-packages": venv / "lib" / version / "site-packages"}
    for shared in ["share", "etc"]:
        if (venv / shared).exists():
            links[shared] = venv / shared
    config = (f"home = {python.parent}\ninclude-system-site-packages = false\n"
              f"version = {sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}\n")
    return links, config


def build_runtime(folder: Path, python: Path, venv: Path) -> Path:
    """A venv in ``folder`` on ``python`` that shares ``venv``'s packages (symbolic links); its ``bin/python``.

    Same Python version (``major.minor``), so compiled packages fit. It holds
    only links and ``pyvenv.cfg``: left as it is when it already matches, else
    built beside it and swapped in, so a server starting meanwhile never finds
    it half made.
    """
    links, config = _runtime_plan(python, venv)

    def matches(root: Path) -> bool:
        try:
            return (root / "pyvenv.cfg").read_text(encoding="utf-8") == config and all(
                os.readlink(root / name) == str(target) for name, target in links.items())
        except OSError:
            return False

    if matches(folder):
        return folder / "bin" / "python"
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    for name, target in links.items():
        (fresh / name).parent.mkdir(parents=True, exist_ok=True)
        (fresh / name).symlink_to(target)
    (fresh / "pyvenv.cfg").write_text(config, encoding="utf-8")
    for path in [fresh, *(p for p in fresh.rglob("*") if p.is_dir() and not p.is_symlink())]:
        path.chmod(0o755)
    (fresh / "pyvenv.cfg").chmod(0o644)
    old = None
    if folder.exists() or folder.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
        os.rename(folder, old / "runtime")
    os.rename(fresh, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return folder / "bin" / "python"


def learner_python(
    settings: Settings, probe: Callable[[Path, list[Path]], str | None] = probe_python
) -> tuple[Path, str | None]:
    """The Python the learners' servers run with, and a Japanese problem if there is none they can run.

    ``KYODO_CLASSROOM_PYTHON`` if set; else the venv's Python if a learner
    can run it; else a runtime built by :func:`build_runtime` on the
    system's Python of the same version.
    """
    readable = [settings.server_config, settings.data, settings.checkout / "notebooks"]
    first = Path(settings.python) if settings.python else settings.venv_python
    error = probe(first, readable)
    if not error:
        return first, None
    if not settings.python:
        system = system_python()
        if system is not None:
            runtime = build_runtime(settings.runtime, system, settings.venv)
            if not probe(runtime, readable):
                return runtime, None
    return first, msg("classroom.preflight.not_runnable", python=first, error=error)


def check(env: Mapping[str, str] | None = None, checkout: Path | None = None, **machine: object) -> list[str]:
    """All problems: settings first (the machine checks need valid settings)."""
    try:
        settings = read_settings(env, checkout)
    except SettingsError as error:
        return error.problems
    return check_machine(settings, **machine)  # type: ignore[arg-type]


# --- stopping ----------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has finished
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def _process_named(pid_file: Path, word: bytes) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if word in cmdline and _alive(pid) else None


def stop_leftover_proxy(state: Path, say: Callable[[str], None] = print, timeout: float = 10.0) -> bool:
    """Stop a proxy an earlier classroom left running (its hub was killed while starting); ``True`` if one was."""
    pid_file = state / PROXY_PID_FILE
    pid = _process_named(pid_file, b"configurable-http-proxy")
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    say(msg("classroom.preflight.leftover_proxy", pid=pid))
    return True


def stop(state: Path, timeout: float = STOP_TIMEOUT, say: Callable[[str], None] = print) -> int:
    """Stop the classroom whose hub wrote ``state/jupyterhub.pid`` (as Ctrl-C does); 0 when it is stopped.

    The hub, on SIGTERM, stops the idle culler, every learner's server
    (each saves on exit) and the proxy, then removes its pid file.
    """
    pid_file = state / HUB_PID_FILE
    if not pid_file.exists():
        if not stop_leftover_proxy(state, say):
            say(msg("classroom.preflight.stop_not_running"))
        return 0
    pid = running_hub(pid_file)
    if pid is None:
        try:
            raw = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            raw = 0
        if raw and _alive(raw):
            say(msg("classroom.preflight.stop_not_hub", path=pid_file, pid=raw))
            return 1
        pid_file.unlink(missing_ok=True)
        say(msg("classroom.preflight.stop_stale", path=pid_file))
        stop_leftover_proxy(state, say)
        return 0
    say(msg("classroom.preflight.stop_sent", pid=pid))
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            stop_leftover_proxy(state, say)
            say(msg("classroom.preflight.stop_done"))
            return 0
        time.sleep(0.2)
    say(msg("classroom.preflight.stop_timeout", pid=pid, seconds=int(timeout)))
    return 1


def room_address() -> str | None:
    """This machine's address on its main network (what learners type when the hub listens on 0.0.0.0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # UDP: chooses a route, sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyodo.classroom.preflight")
    parser.add_argument("command", nargs="?", default="check", choices=["check", "stop"])
    args = parser.parse_args(argv)
    if args.command == "stop":
        state = Path(os.environ.get(STATE) or CHECKOUT / "classroom" / "state")
        return stop(state if state.is_absolute() else CHECKOUT / state)
    try:
        state = read_settings().state
    except SettingsError:
        pass
    else:
        if running_hub(state / HUB_PID_FILE) is None:
            stop_leftover_proxy(state)
    problems = check()
    if problems:
        print(msg("classroom.preflight.header"), file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    settings = read_settings()
    print(msg("classroom.preflight.starting", address=settings.ip, port=settings.port, mode=settings.mode,
              facilitators="、".join(settings.facilitators)))
    if settings.ip in ("0.0.0.0", "::"):
        address = room_address()
        if address:
            print(msg("classroom.preflight.starting_room", address=address, port=settings.port))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
