"""JupyterHub configuration of the classroom: one room, one machine (``make classroom``).

Run as root (learners get their own system users), from the checkout::

    export KYODO_CLASSROOM_PASSWORD=...              # the workshop password learners type (8+ characters)
    export KYODO_CLASSROOM_FACILITATOR_PASSWORD=...  # the facilitators' own password (12+ characters)
    make classroom                                   # Ctrl-C, or `make classroom-stop`, stops it

Everything is set by environment variables, never by a file in the
repository (no password is ever committed). ``make classroom`` checks them
first (``python -m kyodo.classroom.preflight``); this file reads them again
with :func:`kyodo.classroom.preflight.read_settings` and refuses to start on
any problem, with the same Japanese messages and exit status 1:

* ``KYODO_CLASSROOM_PASSWORD`` (required): the workshop password.
* ``KYODO_CLASSROOM_FACILITATOR_PASSWORD`` (required): the facilitators' password,
  different from the workshop password.
* ``KYODO_CLASSROOM_FACILITATORS``: facilitator names, ``,``-separated (default ``進行役``);
  the hub's admins.
* ``KYODO_CLASSROOM_IP`` / ``KYODO_CLASSROOM_PORT``: where learners connect
  (default ``127.0.0.1:8000``; ``0.0.0.0`` opens it to the room's network: put HTTPS in
  front of it, see the README).
* ``KYODO_CLASSROOM_HUB_PORT`` (default 8081), ``KYODO_CLASSROOM_PROXY_API_PORT``
  (default 8001): internal ports on 127.0.0.1.
* ``KYODO_CLASSROOM_MODE``: ``workshop`` (default; lessons in Voilà, no code, no
  JupyterLab, terminals or file browser) or ``lab`` (JupyterLab in Japanese).
* ``KYODO_CLASSROOM_CONTENT``: empty for this checkout, or a git URL that nbgitpuller
  fetches into the state folder at start; ``KYODO_CLASSROOM_CONTENT_BRANCH`` (default
  ``main``).
* ``KYODO_CLASSROOM_IDLE_MINUTES``: stop a learner's server after this many idle minutes
  (default 60, ``0`` never; jupyterhub-idle-culler as a hub service). Stopping a server
  loses no work: every save is atomic and already on disk, and the exit flush saves
  text still being typed. The learner's next visit starts it again, with their work.
* ``KYODO_CLASSROOM_STATE``: the hub's state folder (default ``classroom/state/``,
  git-ignored, mode 0700): database, cookie secret, 合言葉 hashes, pid files, and the
  course fetched from a git URL. The proxy's token is made anew at each start.
* ``KYODO_CLASSROOM_API_TOKEN`` (optional): a token for scripts (tests, the benchmark),
  as the service ``kyodo-scripts`` with rights over users and servers.
* ``KYODO_CLASSROOM_PYTHON`` (optional): the Python the learners' servers run with. By
  default the venv's; when learners cannot run it (a pyenv under ``/root``), a venv sharing
  its packages on the system's Python of the same version, in ``classroom/runtime/``.

Sign-in: :class:`kyodo.classroom.auth.ClassroomAuthenticator` (workshop password plus
each learner's own 合言葉; facilitators' own password). Each learner's server runs as
their own system user (:class:`kyodo.classroom.content.ClassroomSpawner`, a
``LocalProcessSpawner`` that stops servers with SIGTERM so kernels end cleanly and save;
users made with ``useradd``, private
home 0700), started as ``python -m jupyterhub.singleuser --config=classroom/jupyter_server_config.py``
(the same as ``jupyterhub-singleuser``)
with ``KYODO_WORKSPACE``, ``KYODO_LEARNER``, ``KYODO_CLASSROOM_MODE``, ``KYODO_DATA`` and
``KYODO_READING`` set; before each start the course is copied into ``~/kyodo/`` (missing
files only: :mod:`kyodo.classroom.content`). Ctrl-C or SIGTERM (``make classroom-stop``)
stops the culler, every learner's server and the proxy.
"""

import os
import signal
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]

try:
    from kyodo.classroom import auth, content, names, preflight
    from kyodo.text import msg
except ImportError as error:  # pragma: no cover - the venv is missing
    sys.exit(f"kyodo が読み込めません ({error})。講座のフォルダで make venv を実行してください。")

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

# A hub started in the background of a script inherits SIGINT ignored, and so would the services it
# starts before it installs its own handlers: the idle culler would then wait out every stop's timeout.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

try:
    settings = preflight.read_settings(os.environ, CHECKOUT)
except preflight.SettingsError as error:
    print(msg("classroom.preflight.header"), file=sys.stderr)
    for problem in error.problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)

# No process the hub starts (proxy, culler, learners' servers) inherits a password.
for variable in preflight.SECRET_VARIABLES:
    os.environ.pop(variable, None)

state = settings.state
state.mkdir(parents=True, exist_ok=True)
os.chmod(state, 0o700)

try:
    course = content.content_source(CHECKOUT, settings.content, settings.content_branch, settings.content_cache)
except content.ContentError as error:
    print(msg("classroom.preflight.header"), file=sys.stderr)
    print(f"  - {error}", file=sys.stderr)
    sys.exit(1)

# The Python the learners' servers run with: one every learner can run (see preflight.learner_python).
learner_python, problem = preflight.learner_python(settings)
if problem:
    print(msg("classroom.preflight.header"), file=sys.stderr)
    print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)

# --- the hub and the proxy ------------------------------------------------------------------
c.JupyterHub.bind_url = settings.public_url
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(settings.hub_pid_file)
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.template_paths = [str(settings.templates)]
# Callables in template_vars are called with the page's user (JupyterHub 4+): the learner's own name.
c.JupyterHub.template_vars = {
    "kyodo": auth.login_texts(),
    "kyodo_learner": lambda user: names.display_name(user.name) if user is not None else "",
}
c.JupyterHub.implicit_spawn_seconds = 3
c.JupyterHub.allow_named_servers = False

c.ConfigurableHTTPProxy.command = [str(settings.proxy)]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(state / preflight.PROXY_PID_FILE)
c.ConfigurableHTTPProxy.should_start = True

# --- signing in -------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = auth.ClassroomAuthenticator
c.ClassroomAuthenticator.workshop_password = settings.workshop_password
c.ClassroomAuthenticator.facilitator_password = settings.facilitator_password
c.ClassroomAuthenticator.passphrase_file = str(state / auth.PASSPHRASE_FILE)
c.Authenticator.admin_users = settings.facilitator_system_names
c.Authenticator.allow_all = True
c.Authenticator.username_pattern = r"^k[-_][a-z0-9_-]{1,30}$"
c.LocalAuthenticator.create_system_users = True
c.LocalAuthenticator.add_user_cmd = settings.add_user_cmd

# --- each learner's server --------------------------------------------------------------------
c.JupyterHub.spawner_class = content.ClassroomSpawner  # LocalProcessSpawner, stopping with SIGTERM
c.LocalProcessSpawner.term_timeout = 20  # time for the server to shut its kernels down (each saves)
c.Spawner.cmd = [str(learner_python), "-m", "jupyterhub.singleuser"]
c.Spawner.args = [f"--config={settings.server_config}"]
c.Spawner.default_url = settings.default_url
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    "KYODO_CLASSROOM_MODE": settings.mode,
    "KYODO_DATA": str(settings.data),
    "KYODO_READING": settings.reading,
    # KYODO_WORKSPACE and KYODO_LEARNER: per learner, set by the pre-spawn hook
}
c.Spawner.pre_spawn_hook = content.pre_spawn_hook(course)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- services: the idle culler, and a token for scripts ---------------------------------------
services = []
roles = []
if settings.idle_minutes:
    timeout = settings.idle_minutes * 60
    services.append({
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={timeout}",
                    f"--cull-every={max(30, min(300, timeout // 4))}"],
    })
    roles.append({
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    })
if settings.api_token:
    services.append({"name": "kyodo-scripts", "api_token": settings.api_token})
    roles.append({
        "name": "kyodo-scripts",
        "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
        "services": ["kyodo-scripts"],
    })
# The room board (進行役の画面): a service only the facilitators can open (hub OAuth; a learner
# gets 403). It lists the hub's users through the API and reads their saved work read-only.
services.append({
    "name": "board",
    "url": f"http://127.0.0.1:{settings.board_port}",
    "command": [sys.executable, "-m", "kyodo.board", "--hub"],
    "environment": {
        "KYODO_DATA": str(settings.data),
        "KYODO_BOARD_EXCLUDE": ",".join(sorted(settings.facilitator_system_names)),
    },
    "oauth_no_confirm": True,
    "display": True,
})
roles.append({"name": "board", "scopes": ["list:users", "read:users:name"], "services": ["board"]})
roles.append({"name": "board-viewers", "scopes": ["access:services!service=board"],
              "users": sorted(settings.facilitator_system_names)})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
