"""The classroom's settings and the checks before it starts; stopping it; loading the hub's configuration."""

from __future__ import annotations

import os
import secrets
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from kyodo.classroom import preflight
from kyodo.classroom.names import system_name
from kyodo.classroom.preflight import Settings, SettingsError, check_machine, read_settings

ROOT = Path(__file__).resolve().parents[1]


def started(process: subprocess.Popen, word: bytes) -> subprocess.Popen:
    """Wait until ``process`` runs its own program (before exec, /proc shows the parent's command line)."""
    for _ in range(200):
        try:
            if word in Path(f"/proc/{process.pid}/cmdline").read_bytes():
                return process
        except OSError:
            pass
        time.sleep(0.01)
    raise AssertionError(f"{word!r} never started")


free_port = preflight.free_port  # a port this process has not handed out before


def environment(**extra: str) -> dict[str, str]:
    env = {
        preflight.PASSWORD: "ws-" + secrets.token_hex(6),
        preflight.FACILITATOR_PASSWORD: "fac-" + secrets.token_hex(10),
    }
    env.update(extra)
    return env


def problems_of(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        read_settings(env, ROOT)
    return raised.value.problems


def test_defaults() -> None:
    settings = read_settings(environment(), ROOT)
    assert (settings.ip, settings.port, settings.hub_port, settings.proxy_api_port) == ("127.0.0.1", 8000, 8081, 8001)
    assert settings.mode == "workshop" and settings.reading == "voila"
    assert settings.default_url == "/voila/render/kyodo/index.ipynb"
    assert settings.facilitators == ("進行役",)
    assert settings.idle_minutes == 60
    assert settings.state == ROOT / "classroom" / "state"
    assert settings.content == "" and settings.content_branch == "main"
    assert settings.proxy == ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
    assert settings.public_url == "http://127.0.0.1:8000"


def test_lab_mode_and_other_values() -> None:
    settings = read_settings(environment(
        KYODO_CLASSROOM_MODE="Lab", KYODO_CLASSROOM_IP="0.0.0.0", KYODO_CLASSROOM_PORT="9000",
        KYODO_CLASSROOM_FACILITATORS="田中、Sensei, sensei ,", KYODO_CLASSROOM_IDLE_MINUTES="0",
        KYODO_CLASSROOM_STATE="/tmp/kyodo-state", KYODO_CLASSROOM_CONTENT="https://example.org/kyodo.git",
    ), ROOT)
    assert settings.mode == "lab" and settings.reading == "lab"
    assert settings.default_url == "/lab/tree/kyodo/index.ipynb"
    assert settings.public_url == "http://0.0.0.0:9000"
    assert settings.facilitators == ("田中", "sensei")
    assert settings.facilitator_system_names == {"k_fiqx46g", "k-sensei"}
    assert settings.idle_minutes == 0
    assert settings.state == Path("/tmp/kyodo-state")


def test_passwords_are_required() -> None:
    problems = problems_of({})
    assert any("KYODO_CLASSROOM_PASSWORD" in p and "ワークショップのパスワードがありません" in p for p in problems)
    assert any("KYODO_CLASSROOM_FACILITATOR_PASSWORD" in p and "進行役のパスワードがありません" in p for p in problems)


def test_passwords_must_be_long_enough_and_differ() -> None:
    problems = problems_of(environment(KYODO_CLASSROOM_PASSWORD="short"))
    assert any("短すぎます" in p and "8 文字以上" in p for p in problems)
    problems = problems_of(environment(KYODO_CLASSROOM_FACILITATOR_PASSWORD="elevenchars"))
    assert any("12 文字以上" in p for p in problems)
    same = "the-same-password-1"
    assert any("同じです" in p for p in problems_of(environment(
        KYODO_CLASSROOM_PASSWORD=same, KYODO_CLASSROOM_FACILITATOR_PASSWORD=same)))
    assert any("見えない文字" in p for p in problems_of(environment(KYODO_CLASSROOM_PASSWORD="password\x00x")))


def test_settings_never_show_passwords() -> None:
    env = environment(KYODO_CLASSROOM_API_TOKEN=secrets.token_hex(16))
    text = repr(read_settings(env, ROOT))
    for variable in preflight.SECRET_VARIABLES:
        assert env[variable] not in text


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"KYODO_CLASSROOM_MODE": "voila"}, "workshop か lab"),
        ({"KYODO_CLASSROOM_PORT": "eighty"}, "KYODO_CLASSROOM_PORT は 1 から 65535"),
        ({"KYODO_CLASSROOM_PORT": "70000"}, "1 から 65535"),
        ({"KYODO_CLASSROOM_HUB_PORT": "8000"}, "同じ番号 (8000)"),
        ({"KYODO_CLASSROOM_IP": "localhost"}, "IP アドレスではありません"),
        ({"KYODO_CLASSROOM_IDLE_MINUTES": "-5"}, "0 以上の整数"),
        ({"KYODO_CLASSROOM_IDLE_MINUTES": "1h"}, "0 以上の整数"),
        ({"KYODO_CLASSROOM_FACILITATORS": "田中 太郎"}, "「田中 太郎」は使えません: 名前に空白"),
        ({"KYODO_CLASSROOM_FACILITATORS": " , "}, "進行役の名前がありません"),
    ],
)
def test_bad_settings_are_explained(extra: dict[str, str], says: str) -> None:
    assert any(says in p for p in problems_of(environment(**extra)))


# --- the machine ---------------------------------------------------------------------------


def ready_settings(checkout: Path = ROOT, **extra: str) -> Settings:
    env = environment(KYODO_CLASSROOM_PORT=str(free_port()), KYODO_CLASSROOM_HUB_PORT=str(free_port()),
                      KYODO_CLASSROOM_PROXY_API_PORT=str(free_port()), KYODO_CLASSROOM_BOARD_PORT=str(free_port()),
                      **extra)
    return read_settings(env, checkout)


def fine_machine(settings: Settings, **overrides) -> list[str]:
    kwargs = {"euid": lambda: 0, "which": lambda name: f"/usr/bin/{name}", "node": lambda: (20, 1, 0),
              "probe": lambda python, readable: None}
    kwargs.update(overrides)
    return check_machine(settings, **kwargs)


def test_this_checkout_is_ready(tmp_path: Path) -> None:
    settings = ready_settings(KYODO_CLASSROOM_STATE=str(tmp_path / "state"))
    assert fine_machine(settings) == []


def test_port_in_use_is_refused() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        busy = server.getsockname()[1]
        for variable in ["KYODO_CLASSROOM_PORT", "KYODO_CLASSROOM_HUB_PORT", "KYODO_CLASSROOM_PROXY_API_PORT",
                         "KYODO_CLASSROOM_BOARD_PORT"]:
            settings = ready_settings()
            settings = read_settings(environment(**{
                "KYODO_CLASSROOM_PORT": str(settings.port), "KYODO_CLASSROOM_HUB_PORT": str(settings.hub_port),
                "KYODO_CLASSROOM_PROXY_API_PORT": str(settings.proxy_api_port),
                "KYODO_CLASSROOM_BOARD_PORT": str(settings.board_port), variable: str(busy)}), ROOT)
            problems = fine_machine(settings)
            assert len(problems) == 1, problems
            assert f"127.0.0.1:{busy}" in problems[0] and "ほかのプログラムが使っています" in problems[0]
            assert variable in problems[0]
    assert preflight.port_free("127.0.0.1", busy)


def test_free_ports_are_never_handed_out_twice() -> None:
    ports = [preflight.free_port() for _ in range(50)]
    assert len(set(ports)) == 50 and all(preflight.port_free("127.0.0.1", p) for p in ports[-3:])


def test_port_in_use_on_every_address_is_refused() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        busy = server.getsockname()[1]
        assert not preflight.port_free("0.0.0.0", busy)


def test_missing_node_and_proxy(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "notebooks").mkdir(parents=True)
    settings = ready_settings(checkout)
    problems = fine_machine(settings, node=lambda: None)
    assert any("Node.js (node コマンド) が見つかりません" in p for p in problems)
    assert any("configurable-http-proxy" in p and "npm ci" in p for p in problems)
    old = fine_machine(ready_settings(), node=lambda: (8, 17, 0))
    assert any("Node.js 8.17.0 は古すぎます" in p for p in old)


def test_node_version_reads_the_real_node() -> None:
    version = preflight.node_version()
    if version is None:
        pytest.skip("no node here")
    assert version[0] >= 1
    assert preflight.node_version("/nonexistent/node") is None


def test_not_root_is_refused() -> None:
    problems = fine_machine(ready_settings(), euid=lambda: 1000)
    assert problems and "root" in problems[0] and "システムのユーザー" in problems[0]


def test_missing_tools_are_named() -> None:
    problems = fine_machine(ready_settings(KYODO_CLASSROOM_CONTENT="file:///srv/kyodo.git"), which=lambda name: None)
    assert any("useradd" in p for p in problems)
    assert any("git が見つかりません" in p for p in problems)


def test_checkout_the_learners_cannot_read(tmp_path: Path) -> None:
    private = tmp_path / "private"
    checkout = private / "kyodo"
    for folder in ["notebooks", "src", "data", "classroom"]:
        (checkout / folder).mkdir(parents=True)
    private.chmod(0o700)
    problems = fine_machine(ready_settings(checkout))
    assert any("読めません" in p and str(private) in p and "700" in p for p in problems)
    assert preflight.unreadable_for_others(ROOT / "src") is None


# --- the learners' Python --------------------------------------------------------------------


def test_learner_python_is_the_venvs_when_learners_can_run_it(tmp_path: Path) -> None:
    settings = ready_settings(tmp_path / "checkout")
    python, problem = preflight.learner_python(settings, probe=lambda python, readable: None)
    assert (python, problem) == (settings.venv_python, None)
    assert not settings.runtime.exists()


def test_learner_python_shares_the_venv_on_the_system_python(tmp_path: Path) -> None:
    if preflight.system_python() is None:
        pytest.skip("no system Python of this version")
    settings = ready_settings(tmp_path / "checkout")
    tried: list[Path] = []

    def probe(python: Path, readable: list[Path]) -> str | None:
        tried.append(python)
        return "Permission denied: '/root/.pyenv'" if python == settings.venv_python else None

    python, problem = preflight.learner_python(settings, probe=probe)
    assert problem is None and python == settings.runtime / "bin" / "python" and tried == [settings.venv_python, python]
    assert python.resolve() == preflight.system_python().resolve()
    site = settings.runtime / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    assert site.resolve() == (settings.venv / "lib" / site.parent.name / "site-packages").resolve()
    assert (settings.runtime / "share").resolve() == (settings.venv / "share").resolve()
    assert "include-system-site-packages = false" in (settings.runtime / "pyvenv.cfg").read_text()
    # built once: a second call leaves it as it is
    inode = settings.runtime.stat().st_ino
    preflight.learner_python(settings, probe=probe)
    assert settings.runtime.stat().st_ino == inode


def test_learner_python_that_nobody_can_run_is_explained(tmp_path: Path) -> None:
    settings = ready_settings(tmp_path / "checkout")
    python, problem = preflight.learner_python(settings, probe=lambda python, readable: "Permission denied")
    assert problem and "使えません" in problem and "Permission denied" in problem
    assert "KYODO_CLASSROOM_PYTHON" in problem and "make venv PYTHON=" in problem
    problems = fine_machine(settings, probe=lambda python, readable: "Permission denied")
    assert any("Python" in p and "使えません" in p for p in problems)


def test_probe_runs_python_as_nobody() -> None:
    """The real check: a learner-like user (nobody) starts the runtime's Python and finds every package."""
    if os.geteuid() != 0:
        pytest.skip("running a program as another user needs root")
    system = preflight.system_python()
    assert preflight.probe_python(Path("/nonexistent/python"), [])
    if system is None:
        pytest.skip("no system Python of this version")
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kyodo-runtime-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        python = preflight.build_runtime(folder / "runtime", system, Path(sys.prefix))
        if preflight.unreadable_for_others(Path(sys.prefix) / "lib") is None:
            assert preflight.probe_python(python, [ROOT / "data", ROOT / "notebooks"]) is None
        private = folder / "private"
        private.mkdir(mode=0o700)
        assert "Permission denied" in (preflight.probe_python(python, [private]) or "")
    finally:
        import shutil

        shutil.rmtree(folder)


# --- a classroom that is running -------------------------------------------------------------


@pytest.fixture
def fake_hub(tmp_path: Path):
    """A process whose command line says jupyterhub, with its pid file, as a running classroom leaves it."""
    state = tmp_path / "state"
    state.mkdir()
    process = started(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "jupyterhub"]),
                      b"jupyterhub")
    (state / preflight.HUB_PID_FILE).write_text(str(process.pid))
    yield state, process
    process.kill()
    process.wait()


def test_a_running_classroom_is_not_started_twice(fake_hub) -> None:
    state, process = fake_hub
    problems = fine_machine(ready_settings(KYODO_CLASSROOM_STATE=str(state)))
    assert any("もう動いています" in p and str(process.pid) in p for p in problems)


def test_stop_ends_the_hub(fake_hub) -> None:
    state, process = fake_hub
    said: list[str] = []
    started = time.monotonic()
    assert preflight.stop(state, timeout=10, say=said.append) == 0
    process.wait(timeout=5)
    assert time.monotonic() - started < 10
    assert process.returncode == -15
    assert "止めました" in said[-1] and "kyodo-workspace" in said[-1]


def test_stop_when_nothing_runs(tmp_path: Path) -> None:
    said: list[str] = []
    assert preflight.stop(tmp_path, say=said.append) == 0
    assert "動いていません" in said[0]
    stale = tmp_path / preflight.HUB_PID_FILE
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale.write_text(str(dead.pid))
    assert preflight.stop(tmp_path, say=said.append) == 0
    assert "古い記録" in said[-1] and not stale.exists()


def test_stop_never_signals_another_program(tmp_path: Path) -> None:
    other = started(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]), b"time.sleep")
    try:
        (tmp_path / preflight.HUB_PID_FILE).write_text(str(other.pid))
        said: list[str] = []
        assert preflight.stop(tmp_path, say=said.append) == 1
        assert other.poll() is None and "止めません" in said[-1]
    finally:
        other.kill()
        other.wait()


def test_stop_ends_a_proxy_left_behind(tmp_path: Path) -> None:
    proxy = started(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "configurable-http-proxy"]),
                    b"configurable-http-proxy")
    try:
        (tmp_path / preflight.PROXY_PID_FILE).write_text(str(proxy.pid))
        said: list[str] = []
        assert preflight.stop(tmp_path, say=said.append) == 0
        assert proxy.wait(timeout=5) == -15
        assert "プロキシ" in said[0] and not (tmp_path / preflight.PROXY_PID_FILE).exists()
    finally:
        proxy.kill()
        proxy.wait()


def test_command_line_check_lists_problems_and_fails(monkeypatch, capsys) -> None:
    for variable in list(os.environ):
        if variable.startswith("KYODO_CLASSROOM_"):
            monkeypatch.delenv(variable)
    assert preflight.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "教室を始められません" in err and "KYODO_CLASSROOM_PASSWORD" in err


def test_command_line_check_says_where_learners_connect(monkeypatch, capsys, tmp_path: Path) -> None:
    for variable in list(os.environ):
        if variable.startswith("KYODO_CLASSROOM_"):
            monkeypatch.delenv(variable)
    for key, value in environment(KYODO_CLASSROOM_IP="0.0.0.0", KYODO_CLASSROOM_PORT="8765",
                                  KYODO_CLASSROOM_STATE=str(tmp_path / "state")).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(preflight, "check_machine", lambda settings: [])
    monkeypatch.setattr(preflight, "room_address", lambda: "192.0.2.7")
    assert preflight.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "教室を始めます" in out and "make classroom-stop" in out
    assert "http://192.0.2.7:8765/" in out


# --- the hub's configuration file -------------------------------------------------------------


def load_hub_config(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]):
    from traitlets.config.loader import PyFileConfigLoader

    for variable in list(os.environ):
        if variable.startswith("KYODO_CLASSROOM_"):
            monkeypatch.delenv(variable)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # which Python the learners run is tested above; here: no probe, no runtime built
    monkeypatch.setattr(preflight, "learner_python", lambda settings: (settings.venv_python, None))
    return PyFileConfigLoader("jupyterhub_config.py", path=str(ROOT / "classroom")).load_config()


def test_hub_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = environment(KYODO_CLASSROOM_STATE=str(state), KYODO_CLASSROOM_PORT="8123",
                      KYODO_CLASSROOM_FACILITATORS="進行役,sensei", KYODO_CLASSROOM_IDLE_MINUTES="30")
    config = load_hub_config(monkeypatch, env)
    for variable in preflight.SECRET_VARIABLES:
        assert variable not in os.environ, "no child process inherits a password"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8123"
    assert config.JupyterHub.cleanup_servers is True and config.JupyterHub.cleanup_proxy is True
    assert config.JupyterHub.pid_file == str(state / "jupyterhub.pid")
    assert config.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"
    assert config.JupyterHub.authenticator_class.__name__ == "ClassroomAuthenticator"
    assert config.ClassroomAuthenticator.workshop_password == env["KYODO_CLASSROOM_PASSWORD"]
    assert config.Authenticator.admin_users == {system_name("進行役"), "k-sensei"}
    assert config.LocalAuthenticator.create_system_users is True
    command = " ".join(config.LocalAuthenticator.add_user_cmd)
    assert "useradd" in command and "HOME_MODE=0700" in command and "UMASK=077" in command
    assert config.ConfigurableHTTPProxy.command == [str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy")]
    assert config.Spawner.args == [f"--config={ROOT / 'classroom' / 'jupyter_server_config.py'}"]
    assert config.Spawner.cmd[0].endswith("/bin/python") and config.Spawner.cmd[1:] == ["-m", "jupyterhub.singleuser"]
    assert config.Spawner.default_url == "/voila/render/kyodo/index.ipynb"
    assert config.Spawner.environment == {"KYODO_CLASSROOM_MODE": "workshop", "KYODO_DATA": str(ROOT / "data"),
                                          "KYODO_READING": "voila"}
    assert callable(config.Spawner.pre_spawn_hook)
    culler = [s for s in config.JupyterHub.services if s["name"] == "idle-culler"]
    assert culler and "--timeout=1800" in culler[0]["command"]
    roles = {r["name"]: r for r in config.JupyterHub.load_roles}
    assert set(roles) == {"idle-culler", "board", "board-viewers"}
    board = next(s for s in config.JupyterHub.services if s["name"] == "board")
    assert board["command"][1:] == ["-m", "kyodo.board", "--hub"] and board["url"].startswith("http://127.0.0.1:")
    assert board["environment"]["KYODO_BOARD_EXCLUDE"] == ",".join(sorted({system_name("進行役"), "k-sensei"}))
    # only the facilitators may open the board; the board itself may only list the users' names
    assert roles["board-viewers"] == {"name": "board-viewers", "scopes": ["access:services!service=board"],
                                      "users": sorted({system_name("進行役"), "k-sensei"})}
    assert roles["board"]["scopes"] == ["list:users", "read:users:name"] and roles["board"]["services"] == ["board"]
    assert config.JupyterHub.template_vars["kyodo"]["passphrase_label"] == "合言葉"
    shown = config.JupyterHub.template_vars["kyodo_learner"]
    assert shown(SimpleNamespace(name="k_fiqx46g")) == "田中" and shown(None) == ""


def test_hub_config_with_api_token_and_no_culler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    token = secrets.token_hex(16)
    config = load_hub_config(monkeypatch, environment(
        KYODO_CLASSROOM_STATE=str(tmp_path / "s"), KYODO_CLASSROOM_IDLE_MINUTES="0", KYODO_CLASSROOM_API_TOKEN=token,
        KYODO_CLASSROOM_MODE="lab"))
    assert [s["name"] for s in config.JupyterHub.services] == ["kyodo-scripts", "board"]
    assert config.JupyterHub.services[0]["api_token"] == token
    assert config.Spawner.default_url == "/lab/tree/kyodo/index.ipynb"
    assert config.Spawner.environment["KYODO_READING"] == "lab"


def test_hub_config_refuses_to_start_without_passwords(monkeypatch, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        load_hub_config(monkeypatch, {"KYODO_CLASSROOM_STATE": str(tmp_path / "state")})
    assert raised.value.code == 1
    assert "KYODO_CLASSROOM_PASSWORD" in capsys.readouterr().err
    assert not (tmp_path / "state").exists(), "nothing made before the settings are right"


def test_hub_config_refuses_a_git_source_it_cannot_fetch(monkeypatch, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        load_hub_config(monkeypatch, environment(KYODO_CLASSROOM_STATE=str(tmp_path / "state"),
                                                 KYODO_CLASSROOM_CONTENT=f"file://{tmp_path}/no-such-repo"))
    assert raised.value.code == 1
    assert "取り込めませんでした" in capsys.readouterr().err
