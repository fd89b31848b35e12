"""The classroom hub, live: ``make classroom`` as root on 127.0.0.1, one learner, then ``make classroom-stop``.

The hub starts through the Makefile's own recipe (``make classroom``, with
``venv`` and ``vendor`` taken as done) on free ports, with random passwords
and a random API token (a service for this test), in a temporary state
folder; the course is this checkout. A learner signs in through the hub's
Japanese login form over HTTP (name, workshop password, 合言葉); the test
waits for the server through the hub's API and checks that it runs as the
learner's own system user, in a home folder only they can read, with the
contract's environment and no password in it; that bad sign-ins are refused
with Japanese messages and create nobody; that a second learner can neither
take the name nor reach the first learner's server. ``make classroom-stop``
then ends every process, and the test deletes the system users it made
(``userdel -r``) and checks that none is left.

Chromium (Playwright) signs in through the form too, and leaves screenshots
in ``artifacts/screenshots/classroom_hub_*.png``. A second hub is started in
a terminal (a pty) and stopped with Ctrl-C, with a learner's server running.

Marked ``classroom``: ``pytest -m classroom`` runs the classroom's live tests alone.
Needs root (system users), Node.js and ``npm ci`` (the proxy).
"""

from __future__ import annotations

import contextlib
import os
import pty
import pwd
import re
import secrets
import select
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from kyodo.classroom.names import system_name, typed_name
from kyodo.classroom.preflight import free_port  # a port this process has not handed out before
from support.browser import block_outside

ROOT = Path(__file__).resolve().parents[1]
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
SHOTS = ROOT / "artifacts" / "screenshots"
START_TIMEOUT = 40.0
SPAWN_TIMEOUT = 40.0

pytestmark = [
    pytest.mark.classroom,
    pytest.mark.skipif(os.geteuid() != 0, reason="the classroom makes system users: root only"),
    pytest.mark.skipif(not PROXY.exists() or not shutil.which("node"), reason="no configurable-http-proxy (npm ci)"),
]




@dataclass
class Hub:
    url: str
    env: dict[str, str]
    state: Path
    log: Path
    process: subprocess.Popen
    facilitator: str
    users: set[str] = field(default_factory=set)
    """System users this test may have made (deleted at the end)."""

    @property
    def password(self) -> str:
        return self.env["KYODO_CLASSROOM_PASSWORD"]

    def api(self, path: str, method: str = "GET") -> requests.Response:
        token = self.env["KYODO_CLASSROOM_API_TOKEN"]
        return requests.request(method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {token}"},
                                timeout=30)

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-60:])

    def session(self) -> tuple[requests.Session, str]:
        """A browser-like session that has loaded the login page: (session, its _xsrf token)."""
        session = requests.Session()
        page = session.get(f"{self.url}/hub/login", timeout=30)
        assert page.status_code == 200, page.status_code
        return session, session.cookies.get("_xsrf") or ""

    def sign_in(self, username: str, password: str, passphrase: str = "") -> tuple[requests.Session, requests.Response]:
        session, xsrf = self.session()
        try:
            self.users.add(system_name(username))
        except ValueError:
            pass
        answer = session.post(f"{self.url}/hub/login", allow_redirects=False, timeout=30,
                              data={"_xsrf": xsrf, "username": username, "password": password,
                                    "passphrase": passphrase})
        return session, answer


def login_error(response: requests.Response) -> str:
    found = re.search(r'class="login_error[^"]*"[^>]*>(.*?)</p>', response.content.decode("utf-8"), re.S)
    return found.group(1).strip() if found else ""


def processes_of(uid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        real_uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
        if real_uid == uid and "State:\tZ" not in status:
            found.append((int(entry.name), cmdline))
    return found


def gone(uid: int, timeout: float = 20.0) -> bool:
    """Whether every process of ``uid`` has ended within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while processes_of(uid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def delete_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    subprocess.run(["userdel", "--remove", "--force", name], capture_output=True, check=False)


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    state = Path(tempfile.mkdtemp(prefix="kyodo-classroom-test-"))
    tag = secrets.token_hex(3)
    facilitator = f"fac{tag}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("KYODO_CLASSROOM_")}
    port = free_port()
    env.update({
        "KYODO_CLASSROOM_PASSWORD": "ws-" + secrets.token_urlsafe(9),
        "KYODO_CLASSROOM_FACILITATOR_PASSWORD": "fac-" + secrets.token_urlsafe(15),
        "KYODO_CLASSROOM_API_TOKEN": secrets.token_hex(24),
        "KYODO_CLASSROOM_FACILITATORS": facilitator,
        "KYODO_CLASSROOM_IP": "127.0.0.1",
        "KYODO_CLASSROOM_PORT": str(port),
        "KYODO_CLASSROOM_HUB_PORT": str(free_port()),
        "KYODO_CLASSROOM_PROXY_API_PORT": str(free_port()),
        "KYODO_CLASSROOM_BOARD_PORT": str(free_port()),
        "KYODO_CLASSROOM_STATE": str(state / "state"),
        "KYODO_CLASSROOM_IDLE_MINUTES": "60",
    })
    log = state / "hub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["make", "--no-print-directory", "-o", "venv", "-o", "vendor", "classroom"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}", env, state / "state", log, process, system_name(facilitator),
              users={system_name(facilitator)})
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the classroom did not start (exit {process.returncode}):\n{hub.log_tail()}")
            try:
                if requests.get(f"{hub.url}/hub/api", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the classroom did not answer within {START_TIMEOUT} s:\n{hub.log_tail()}")
            time.sleep(0.3)
        yield hub
    finally:
        if process.poll() is None:
            subprocess.run(["make", "--no-print-directory", "classroom-stop"], cwd=ROOT, env=env,
                           capture_output=True, timeout=120, check=False)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
        for name in hub.users:
            delete_user(name)
        shutil.rmtree(state, ignore_errors=True)


LEARNER = "テスト" + secrets.token_hex(2)
PASSPHRASE = "合言葉-" + secrets.token_hex(3)


def test_login_page_is_japanese(hub: Hub) -> None:
    session, xsrf = hub.session()
    page = session.get(f"{hub.url}/hub/login", timeout=30).content.decode("utf-8")
    assert xsrf
    for text in ["講座にログイン", "名前", "パスワード", "合言葉", 'name="passphrase"']:
        assert text in page
    assert "Sign in" not in page


@pytest.mark.parametrize(
    ("username", "password", "passphrase", "says"),
    [
        ("田中", "wrong-password", "abcd1234", "パスワードが違います"),
        ("", None, "abcd1234", "名前を入力"),
        ("田中 太郎", None, "abcd1234", "空白"),
        ("../etc", None, "abcd1234", "「..」"),
        # Tornado turns control characters in form fields into spaces before the hub sees them
        ("ta\x01naka", None, "abcd1234", "空白"),
        ("あ" * 200, None, "abcd1234", "長すぎます"),
        ("佐藤", None, "", "合言葉"),
    ],
)
def test_bad_sign_ins_are_refused_in_japanese(hub: Hub, username: str, password: str | None, passphrase: str,
                                               says: str) -> None:
    _, answer = hub.sign_in(username, hub.password if password is None else password, passphrase)
    assert answer.status_code == 403, answer.status_code
    assert says in login_error(answer), login_error(answer)
    names = {user["name"] for user in hub.api("/users").json()}
    assert names <= {hub.facilitator}, f"a refused sign-in made a user: {names}"


def test_a_learner_gets_a_private_server_as_their_own_user(hub: Hub) -> None:
    started = time.monotonic()
    session, answer = hub.sign_in(LEARNER, hub.password, PASSPHRASE)
    assert answer.status_code == 302, login_error(answer)
    name = system_name(LEARNER)
    assert typed_name(name) == LEARNER
    spawn = session.get(f"{hub.url}/hub/spawn", allow_redirects=False, timeout=60)
    assert spawn.status_code in (200, 302), spawn.status_code
    deadline = time.monotonic() + SPAWN_TIMEOUT
    while True:
        model = hub.api(f"/users/{name}").json()
        server = (model.get("servers") or {}).get("")
        if server and server.get("ready"):
            break
        if time.monotonic() > deadline:
            pytest.fail(f"the learner's server was not ready in {SPAWN_TIMEOUT} s: {model}\n{hub.log_tail()}")
        time.sleep(0.3)
    print(f"signed in and server ready in {time.monotonic() - started:.1f} s")
    assert model["admin"] is False

    entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    assert home.stat().st_uid == entry.pw_uid
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    workspace = home / "kyodo-workspace"
    assert workspace.stat().st_uid == entry.pw_uid and stat.S_IMODE(workspace.stat().st_mode) == 0o700
    lessons = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert lessons | {"index.ipynb"} <= {p.name for p in (home / "kyodo").iterdir()}
    assert (home / "kyodo" / "index.ipynb").stat().st_uid == entry.pw_uid

    servers = [(pid, cmd) for pid, cmd in processes_of(entry.pw_uid) if "jupyterhub.singleuser" in cmd]
    assert servers, f"no server runs as {name}: {processes_of(entry.pw_uid)}"
    environ = _environ(servers[0][0])
    assert environ["KYODO_LEARNER"] == LEARNER
    assert environ["KYODO_WORKSPACE"] == str(workspace)
    assert environ["KYODO_CLASSROOM_MODE"] == "workshop" and environ["KYODO_READING"] == "voila"
    assert environ["KYODO_DATA"] == str(ROOT / "data")
    assert environ["HOME"] == str(home) and environ["USER"] == name
    secrets_in_env = [hub.env[key] for key in ("KYODO_CLASSROOM_PASSWORD", "KYODO_CLASSROOM_FACILITATOR_PASSWORD",
                                               "KYODO_CLASSROOM_API_TOKEN")]
    assert not any(secret in value for secret in secrets_in_env for value in environ.values())

    # the hub's pages show the learner's own name, in Japanese
    home = session.get(f"{hub.url}/hub/home", timeout=30)
    assert home.status_code == 200 and LEARNER in home.content.decode() and "ログアウト" in home.content.decode()

    # a kernel, as a lesson page has one: stopping the classroom must end it cleanly (it saves on exit)
    token = hub.env["KYODO_CLASSROOM_API_TOKEN"]
    kernel = requests.post(f"{hub.url}/user/{name}/api/kernels", headers={"Authorization": f"token {token}"},
                           json={"name": "python3"}, timeout=60)
    assert kernel.status_code == 201, kernel.status_code

    # the lesson list answers through the proxy
    landing = session.get(f"{hub.url}/user/{name}/voila/render/kyodo/index.ipynb", timeout=60)
    assert landing.status_code == 200, landing.status_code


def test_another_learner_can_neither_take_the_name_nor_reach_the_server(hub: Hub) -> None:
    name = system_name(LEARNER)
    _, answer = hub.sign_in(LEARNER, hub.password, "not-" + PASSPHRASE)
    assert answer.status_code == 403 and "合言葉が違います" in login_error(answer)
    _, answer = hub.sign_in(LEARNER, hub.password, "")
    assert answer.status_code == 403 and "合言葉を入力" in login_error(answer)
    other, answer = hub.sign_in("ほか" + secrets.token_hex(2), hub.password, "other-phrase")
    assert answer.status_code == 302
    for path in [f"/user/{name}/api/contents/kyodo-workspace", f"/user/{name}/voila/render/kyodo/index.ipynb",
                 f"/hub/api/users/{name}"]:
        reply = other.get(f"{hub.url}{path}", timeout=30, allow_redirects=True)
        assert reply.status_code in (403, 404), (path, reply.status_code, reply.url)
        assert "kyodo-workspace" not in reply.text or reply.status_code == 404


def test_signing_in_in_a_browser(hub: Hub, browser) -> None:  # noqa: ANN001 - Playwright's Browser
    """Chromium: the Japanese form, a refusal shown on it, then a new learner reaches the lesson list (Voilà).

    Screenshots for the facilitator's page: ``artifacts/screenshots/classroom_hub_*.png``.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="ja-JP", viewport={"width": 1100, "height": 800})
    errors: list[str] = []
    outside = block_outside(context, hub.url, [])
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{hub.url}/hub/login")
        assert page.locator("h1").inner_text().strip() == "講座にログイン"
        page.screenshot(path=str(SHOTS / "classroom_hub_login.png"))

        newcomer = "ブラウザ" + secrets.token_hex(2)
        hub.users.add(system_name(newcomer))
        page.fill("#username_input", newcomer)
        page.fill("#password_input", hub.password)
        page.fill("#passphrase_input", "abc")
        page.click("#login_submit")
        error = page.locator(".login_error")
        error.wait_for()
        assert "合言葉が短すぎます" in error.inner_text()
        assert page.locator("#username_input").input_value() == newcomer
        page.screenshot(path=str(SHOTS / "classroom_hub_login_refused.png"))

        page.fill("#password_input", hub.password)
        page.fill("#passphrase_input", "ぶらうざの合言葉")
        page.click("#login_submit")
        with contextlib.suppress(Exception):  # the wait page may pass too quickly to be seen
            page.wait_for_url("**/spawn-pending/**", timeout=5_000)
            page.locator("#progress-message").wait_for(timeout=5_000)
            page.screenshot(path=str(SHOTS / "classroom_hub_spawn_pending.png"))
        landing = f"/user/{system_name(newcomer)}/voila/render/kyodo/index.ipynb"
        try:
            page.wait_for_url(f"**{landing}*", timeout=90_000)
        except Exception:
            pytest.fail(f"the lesson list did not open: at {page.url}\n{hub.log_tail()}")
        assert errors == [], errors
        assert outside == [], outside
    finally:
        context.close()


def test_stopping_the_classroom_ends_every_process_and_the_test_users_go(hub: Hub) -> None:
    uids = {name: pwd.getpwnam(name).pw_uid for name in hub.users if _exists(name)}
    assert system_name(LEARNER) in uids and hub.facilitator in uids
    proxy_pid = int((hub.state / "proxy.pid").read_text())
    cullers = [pid for pid, cmd in processes_of(0) if "jupyterhub_idle_culler" in cmd
               and f":{hub.env['KYODO_CLASSROOM_HUB_PORT']}/" in _environ(pid).get("JUPYTERHUB_API_URL", "")]
    assert cullers, "the idle culler runs as a hub service"
    started = time.monotonic()
    stop = subprocess.run(["make", "--no-print-directory", "classroom-stop"], cwd=ROOT, env=hub.env,
                          capture_output=True, text=True, timeout=120)
    assert stop.returncode == 0, stop.stdout + stop.stderr
    assert "止めました" in stop.stdout
    hub.process.wait(timeout=30)
    print(f"stopped in {time.monotonic() - started:.1f} s")
    assert not (hub.state / "jupyterhub.pid").exists()
    assert not Path(f"/proc/{proxy_pid}").exists() or "State:\tZ" in Path(f"/proc/{proxy_pid}/status").read_text()
    for name, uid in uids.items():
        # a kernel whose server has stopped notices it and ends by itself (saving on exit) within seconds
        assert gone(uid), f"{name} still runs {processes_of(uid)}"
    assert not [pid for pid in cullers if Path(f"/proc/{pid}").exists()], "the idle culler is stopped"
    log = hub.log.read_text(encoding="utf-8", errors="replace")
    assert "received signal 15, stopping" in log, "servers are stopped with SIGTERM"
    assert re.search(r"Shutting down [1-9]\d* kernel", log), "the server shut its kernels down"
    assert "Parent appears to have exited" not in log, "no kernel was left to die without saving"
    for name in uids:
        delete_user(name)
        assert not _exists(name)
        assert not Path(f"/home/{name}").exists()


def test_ctrl_c_stops_the_hub_and_every_process_it_started() -> None:
    """``make classroom`` in a terminal, a learner's server running, then Ctrl-C (written to the terminal)."""
    state = Path(tempfile.mkdtemp(prefix="kyodo-classroom-ctrlc-"))
    tag = secrets.token_hex(3)
    learner, facilitator = f"ctrlc{tag}", f"fac{tag}"
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KYODO_CLASSROOM_")}
    env.update({
        "KYODO_CLASSROOM_PASSWORD": "ws-" + secrets.token_urlsafe(9),
        "KYODO_CLASSROOM_FACILITATOR_PASSWORD": "fac-" + secrets.token_urlsafe(15),
        "KYODO_CLASSROOM_API_TOKEN": secrets.token_hex(24),
        "KYODO_CLASSROOM_FACILITATORS": facilitator,
        "KYODO_CLASSROOM_PORT": str(port),
        "KYODO_CLASSROOM_HUB_PORT": str(free_port()),
        "KYODO_CLASSROOM_PROXY_API_PORT": str(free_port()),
        "KYODO_CLASSROOM_BOARD_PORT": str(free_port()),
        "KYODO_CLASSROOM_STATE": str(state / "state"),
    })
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make in the foreground of its own terminal, as a facilitator types it
        os.chdir(ROOT)
        os.execvpe("make", ["make", "--no-print-directory", "-o", "venv", "-o", "vendor", "classroom"], env)
    output = bytearray()

    def read(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([terminal], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(terminal, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                output.extend(chunk)

    hub = Hub(f"http://127.0.0.1:{port}", env, state / "state", state / "unused.log", None,  # type: ignore[arg-type]
              system_name(facilitator), users={system_name(facilitator), system_name(learner)})
    exit_code = None
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while b"is now running" not in output:
            assert time.monotonic() < deadline, output.decode(errors="replace")[-3000:]
            read(0.3)
        session, answer = hub.sign_in(learner, hub.password, "ctrl-c phrase")
        assert answer.status_code == 302, login_error(answer)
        session.get(f"{hub.url}/hub/spawn", allow_redirects=False, timeout=60)
        deadline = time.monotonic() + SPAWN_TIMEOUT
        while not ((hub.api(f"/users/{system_name(learner)}").json().get("servers") or {}).get("") or {}).get("ready"):
            assert time.monotonic() < deadline, output.decode(errors="replace")[-3000:]
            read(0.3)
        uid = pwd.getpwnam(system_name(learner)).pw_uid
        assert processes_of(uid), "the learner's server runs"
        proxy_pid = int((hub.state / "proxy.pid").read_text())

        os.write(terminal, b"\x03")  # Ctrl-C
        deadline = time.monotonic() + 60
        while exit_code is None and time.monotonic() < deadline:
            read(0.2)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                exit_code = os.waitstatus_to_exitcode(status)
        assert exit_code is not None, "make classroom did not end after Ctrl-C"
        assert b"Received signal SIGINT" in output and b"...done" in output
        assert gone(uid), f"the learner's server was stopped: {processes_of(uid)}"
        assert not Path(f"/proc/{proxy_pid}").exists() or "State:\tZ" in Path(f"/proc/{proxy_pid}/status").read_text()
        assert not (hub.state / "jupyterhub.pid").exists()
    finally:
        if exit_code is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)
            subprocess.run(["make", "--no-print-directory", "classroom-stop"], cwd=ROOT, env=env,
                           capture_output=True, timeout=120, check=False)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        os.close(terminal)
        for name in hub.users:
            delete_user(name)
            assert not _exists(name)
        shutil.rmtree(state, ignore_errors=True)


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes().decode("utf-8", "replace")
    except OSError:
        return {}
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)
