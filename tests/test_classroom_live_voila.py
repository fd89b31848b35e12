"""A learner's server in the classroom, live: Voilà in workshop mode, JupyterLab's settings in lab mode.

A single-user-like Jupyter server (``jupyter server``, not the hub) runs as the
current user with ``classroom/jupyter_server_config.py`` on 127.0.0.1, a free
port and a random token, in a temporary home laid out as the classroom's
contract says (the lessons and the landing page in ``~/kyodo``, the work in
``~/kyodo-workspace``). Debian's Chromium (Playwright) opens the lesson list and
the lessons in Voilà, follows a cross-reference, draws an arrow in the CASE3 flow
map and checks it. Every request to another host is refused and counted.
Screenshots: ``artifacts/screenshots/classroom_voila_*.png``.

Marked ``classroom``: ``pytest -m classroom`` runs the classroom's live tests alone.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kyodo.outline import load_outline
from support.browser import block_outside

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "classroom" / "jupyter_server_config.py"
SHOTS = ROOT / "artifacts" / "screenshots"
LANDING = "/voila/render/kyodo/index.ipynb"
PAGE_TIMEOUT = 60_000  # ms: a Voilà page runs its lesson before the widgets answer

pytestmark = pytest.mark.classroom


@dataclass
class Server:
    url: str
    token: str
    home: Path
    log: Path

    def get(self, path: str, follow: bool = True) -> tuple[int, str, str]:
        """(status, final URL, body) of an authenticated GET."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location", ""), ""

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - the base class's signature
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, mode: str) -> Iterator[Server]:
    """A learner's server in ``mode``, as the hub would start it; stopped (with its kernels) afterwards."""
    home = tmp / f"home-{mode}"
    course = home / "kyodo"
    course.mkdir(parents=True)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy2(notebook, course / notebook.name)
    shutil.copy2(ROOT / "classroom" / "landing.ipynb", course / "index.ipynb")
    token = secrets.token_hex(24)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "KYODO_"))}
    env.update({
        "HOME": str(home), "KYODO_WORKSPACE": str(home / "kyodo-workspace"), "KYODO_LEARNER": "たなか",
        "KYODO_CLASSROOM_MODE": mode, "KYODO_DATA": str(ROOT / "data"),
        "KYODO_READING": "voila" if mode == "workshop" else "lab",
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(tmp / f"runtime-{mode}"),
        "PYTHONWARNINGS": "ignore",
    })
    log = tmp / f"server-{mode}.log"
    command = [str(Path(sys.executable).with_name("jupyter-server")), f"--config={CONFIG}",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
               f"--ServerApp.root_dir={home}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root; a learner's real server runs as the learner
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=home, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", token, home, log)
    try:
        deadline = time.monotonic() + 40
        while True:
            assert process.poll() is None, f"the server stopped:\n{server.log_tail()}"
            try:
                if server.get("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"the server did not answer:\n{server.log_tail()}"
            time.sleep(0.2)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server we started, then anything left in its process group (its kernels), by that group's id."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the session started for this server only
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def workshop(tmp_path_factory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("classroom-voila"), "workshop")


def titles() -> list[str]:
    from kyodo.classroom.landing import lesson_entries

    return [entry.title for entry in lesson_entries(ROOT / "notebooks")]


RAW_MYST = ("(case3)=", "(case4)=", "```{note}", "```{admonition}", "{note}", "{ref}", ":class:")
CODE = ("import kyodo", "kyodo.", "reading_note(", "lesson_list(")


def assert_reads_like_the_book(text: str) -> None:
    for raw in RAW_MYST:
        assert raw not in text, f"raw MyST on the page: {raw}"
    for code in CODE:
        assert code not in text, f"code on the page: {code}"


def test_a_learner_reads_the_lessons_in_voila_and_the_flow_map_answers(workshop: Server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    errors: list[str] = []
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})

    block_outside(context, workshop.url, outside)
    page = context.new_page()
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        # --- the lesson list ------------------------------------------------------------------
        started = time.monotonic()
        page.goto(f"{workshop.url}{LANDING}?token={workshop.token}")
        page.wait_for_selector(".kyodo-landing", timeout=PAGE_TIMEOUT)
        landing_seconds = time.monotonic() - started
        assert page.evaluate("document.documentElement.lang") == "ja"
        links = page.locator(".kyodo-landing nav a")
        assert links.all_inner_texts() == titles()
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
            f"{lesson.notebook}.ipynb" for lesson in load_outline().lessons if lesson.for_learners]
        body = page.inner_text("body")
        assert "下の一覧から回を選んでください。回は新しいタブで開きます。" in body and "自動で保存" in body
        assert_reads_like_the_book(body)
        assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .CodeMirror").count() == 0
        page.screenshot(path=str(SHOTS / "classroom_voila_landing.png"), full_page=True)

        # --- CASE4 from the list (a new tab: the list stays open), its cross-reference to CASE3 -
        with context.expect_page() as opened:
            links.filter(has_text="CASE4").click()
        page = opened.value
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.wait_for_url("**/voila/render/kyodo/04_case4_career.ipynb", timeout=PAGE_TIMEOUT)
        page.wait_for_selector(".kyodo-reading-note", timeout=PAGE_TIMEOUT)
        assert_reads_like_the_book(page.inner_text("body"))
        ref = page.locator("a[href='03_case3_compost.ipynb#case3']").first
        assert ref.inner_text().startswith("CASE3 大学と行政")
        started = time.monotonic()
        ref.click()

        # --- CASE3: text and widgets, no code, no MyST ----------------------------------------
        page.wait_for_url("**/voila/render/kyodo/03_case3_compost.ipynb#case3", timeout=PAGE_TIMEOUT)
        source = page.get_by_label("送り手", exact=True)
        source.wait_for(timeout=PAGE_TIMEOUT)
        case3_seconds = time.monotonic() - started
        assert page.locator("h1").first.inner_text().startswith("CASE3 大学と行政")
        body = page.inner_text("body")
        assert_reads_like_the_book(body)
        assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .CodeMirror").count() == 0
        note = page.locator(".kyodo-reading-note")
        assert note.count() == 1 and "この教室では" in note.inner_text() and "JupyterLab" not in note.inner_text()
        assert note.locator("a[href='index.ipynb']").inner_text() == "講座の目次"
        boxes = page.locator("div[role=note]")
        assert boxes.count() >= 2  # the reading note and the lesson's 考えてみよう box
        think = boxes.filter(has_text="考えてみよう").first
        assert think.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
        assert think.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
        page.screenshot(path=str(SHOTS / "classroom_voila_case3_top.png"))

        # --- the flow map: choose, add an arrow, check -----------------------------------------
        exercise = page.locator(".jp-OutputArea-output").filter(has=page.get_by_label("送り手", exact=True))
        source.select_option(label="市民モニター")
        page.get_by_label("受け手", exact=True).select_option(label="川崎市環境局")
        page.get_by_label("渡すもの", exact=True).select_option(label="生ごみ堆肥")
        exercise.get_by_role("button", name="矢印を追加").click()
        page.wait_for_function("() => document.body.innerText.includes('を追加しました')", timeout=15_000)
        pressed = time.monotonic()
        exercise.get_by_role("button", name="答え合わせ").click()
        feedback = exercise.get_by_text("正しい矢印です", exact=False).first
        feedback.wait_for(timeout=15_000)
        check_ms = (time.monotonic() - pressed) * 1000
        assert "市民モニター → 川崎市環境局: 生ごみ堆肥" in exercise.inner_text()
        exercise.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "classroom_voila_case3_flowmap.png"))
        saved = "".join(p.read_text(encoding="utf-8") for p in (workshop.home / "kyodo-workspace").rglob("*.json"))
        assert "case3-ex1" in saved and ("生ごみ堆肥" in saved or json.dumps("生ごみ堆肥") in saved)

        # --- no way into an editor -----------------------------------------------------------------
        page.goto(f"{workshop.url}/lab")
        page.wait_for_selector(".kyodo-landing", timeout=PAGE_TIMEOUT)
        assert page.url.endswith(LANDING)
        assert page.locator(".jp-FileBrowser, .jp-DirListing, .jp-Launcher, .jp-Terminal").count() == 0
    finally:
        context.close()
    assert outside == [], f"requests to other hosts: {outside}"
    assert errors == [], errors
    print(f"\nlesson list {landing_seconds:.1f} s, CASE3 interactive {case3_seconds:.1f} s, check {check_ms:.0f} ms")


@pytest.mark.parametrize("path", ["/lab", "/lab/tree/kyodo/index.ipynb", "/tree", "/tree/kyodo", "/voila/tree",
                                  "/notebooks/kyodo/index.ipynb", "/edit/kyodo/index.ipynb"])
def test_workshop_mode_offers_no_editor_and_no_file_list(workshop: Server, path):
    status, location, _ = workshop.get(path, follow=False)
    assert status == 302 and location.endswith(LANDING), (status, location)


def test_workshop_mode_has_no_terminal_and_keeps_styles_at_home(workshop: Server):
    assert workshop.get("/api/terminals")[0] == 404
    request = urllib.request.Request(workshop.url + "/api/status", headers={"Authorization": f"token {workshop.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    log = workshop.log.read_text(encoding="utf-8")
    assert "kyodo.classroom.workshop_server | extension was successfully loaded" in log
    assert "jupyterlab | extension was successfully loaded" not in log
    status, location, _ = workshop.get("/", follow=False)
    assert status == 302 and location.split("?")[0].endswith(LANDING)


def test_lab_mode_gives_jupyterlab_in_japanese_without_news(tmp_path):
    for lab in start_server(tmp_path, "lab"):
        status, url, page = lab.get("/lab/tree/kyodo/index.ipynb")
        assert status == 200 and "jupyter-config-data" in page, lab.log_tail()
        schema = json.loads(lab.get("/lab/api/settings/@jupyterlab/translation-extension:plugin")[2])["schema"]
        assert schema["properties"]["locale"]["default"] == "ja_JP"
        notification = json.loads(lab.get("/lab/api/settings/@jupyterlab/apputils-extension:notification")[2])
        properties = notification["schema"]["properties"]
        assert properties["fetchNews"]["default"] == "false" and properties["checkForUpdates"]["default"] is False
        assert lab.get("/api/terminals")[0] == 200  # lab mode keeps JupyterLab's terminal
        status, location, _ = lab.get("/", follow=False)
        assert status == 302 and location.split("?")[0].endswith("/lab/tree/kyodo/index.ipynb")
