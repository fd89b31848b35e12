"""A whole room, live: three learners in the hub's workshop mode, each with their own arrows, and no way into another's work.

The hub starts as ``tests/test_classroom_live_hub.py`` starts it (its ``hub``
fixture: ``make classroom`` as root on 127.0.0.1, free ports, random
passwords and a service token, a temporary state folder), in workshop mode.
Three learners (one with a Japanese name) sign in through Debian's Chromium
(Playwright), each in their own browser context, open CASE3 from the lesson
list in Voilà, see no code cell and no raw MyST, draw a different set of
arrows in the flow map (演習1), press 答え合わせ and get feedback.

Then one learner's server is stopped through the hub's API (the service
token) and started again by the learner visiting again; their arrows come
back in the flow map. Learner A's attempts on B's work are refused: B's
server with A's cookies, A's contents API with ``../`` and ``%2e%2e`` paths
to B's home, and the file system as A's system user. ``/user/<A>/lab`` and
``/user/<A>/terminals/...`` lead back to A's lesson list.

Screenshots: ``artifacts/screenshots/classroom_room_*.png``. Every system
user the test makes is deleted at the end (the ``hub`` fixture).

Marked ``classroom``: ``pytest -m classroom`` runs the classroom's live tests alone.
Needs root (system users), Node.js and ``npm ci`` (the proxy).
"""

from __future__ import annotations

import http.client
import pwd
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import test_classroom_live_hub as live_hub
from test_classroom_live_hub import PROXY, SHOTS, Hub

from kyodo.classroom.names import system_name, typed_name
from kyodo.data import load_course
from kyodo.exercises.flowmap import Arrow, FlowMap
from support.browser import block_outside

hub = live_hub.hub  # the hub test's module fixture: a hub of our own for this module

pytestmark = [
    pytest.mark.classroom,
    pytest.mark.skipif(__import__("os").geteuid() != 0, reason="the classroom makes system users: root only"),
    pytest.mark.skipif(not PROXY.exists() or not shutil.which("node"), reason="no configurable-http-proxy (npm ci)"),
]

PAGE_TIMEOUT = 90_000  # ms: a first visit starts the learner's server, then Voilà runs the lesson
LANDING = "voila/render/kyodo/index.ipynb"
CASE3 = "voila/render/kyodo/03_case3_compost.ipynb"
RAW_MYST = ("(case3)=", "(case3-ex1)=", "```{note}", "```{admonition}", "{note}", "{ref}", ":class:")
CODE = ("import kyodo", "kyodo.exercise", "kyodo.solution", "reading_note(")
CODE_CELLS = ".jp-CodeCell .jp-InputArea, .cm-editor, .CodeMirror"

TAG = secrets.token_hex(2)
# the summary under the arrows after 答え合わせ (flow.summary_progress / summary_complete / ...)
FEEDBACK = "() => /本のうち \\d+ 本が正しく描けています|完成です|すべて見つかりました/.test(document.body.innerText)"


@dataclass
class Learner:
    typed: str
    passphrase: str
    arrows: list[tuple[str, str, str]]
    """(送り手, 受け手, 渡すもの) as the lists show them."""
    correct: int
    """How many of them 答え合わせ calls right."""
    context: object = None
    page: object = None
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return system_name(self.typed)

    @property
    def texts(self) -> list[str]:
        return [f"{s} → {t}: {i}" for s, t, i in self.arrows]


LEARNERS = [
    Learner("やまだ" + TAG, "やまだの合言葉" + TAG, [("市民モニター", "川崎市環境局", "生ごみ堆肥")], 1),
    Learner("suzuki" + TAG, "suzuki-phrase-" + TAG, [("川崎市環境局", "市民モニター", "生ごみ堆肥化の指導"),
                                                     ("川崎市環境局", "明治大学黒川農場", "生ごみ堆肥")], 2),
    Learner("sato" + TAG, "sato-phrase-" + TAG, [("明治大学黒川農場", "市民モニター", "生ごみ堆肥"),
                                                 ("市民モニター", "川崎市環境局", "生ごみ堆肥")], 1),
]


@pytest.fixture(scope="module")
def room(hub: Hub, browser):  # noqa: ANN001, ANN201 - Playwright's Browser
    """The three learners, each in their own browser context (closed at the end)."""
    outside: list[str] = []
    for learner in LEARNERS:
        hub.users.add(learner.name)
        learner.context = browser.new_context(locale="ja-JP", viewport={"width": 1200, "height": 900})
        block_outside(learner.context, hub.url, outside)
    try:
        yield LEARNERS
    finally:
        for learner in LEARNERS:
            if learner.context is not None:
                learner.context.close()
    assert outside == [], f"requests to other hosts: {outside}"


def _watch(learner: Learner, page) -> None:  # noqa: ANN001
    page.on("pageerror", lambda error: learner.errors.append(str(error)))


def _assert_reads_like_the_book(page) -> None:  # noqa: ANN001
    text = page.inner_text("body")
    for raw in RAW_MYST:
        assert raw not in text, f"raw MyST on the page: {raw}"
    for code in CODE:
        assert code not in text, f"code on the page: {code}"
    assert page.locator(CODE_CELLS).count() == 0, "a code cell is shown"


def _flow_map(page):  # noqa: ANN001, ANN202
    return page.locator(".jp-OutputArea-output").filter(has=page.get_by_label("送り手", exact=True))


def _arrow_texts(page) -> str:  # noqa: ANN001
    """Everything the flow map shows, with the options of its lists (the arrows made so far; no-break spaces as spaces)."""
    return _flow_map(page).evaluate(
        "e => e.innerText + '\\n' + [...e.querySelectorAll('option')].map(o => o.textContent).join('\\n')").replace("\xa0", " ")


def test_three_learners_open_case3_and_check_their_own_arrows(hub: Hub, room: list[Learner]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    timings = []
    for number, learner in enumerate(room):
        started = time.monotonic()
        page = learner.context.new_page()
        _watch(learner, page)
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", learner.typed)
        page.fill("#password_input", hub.password)
        page.fill("#passphrase_input", learner.passphrase)
        page.click("#login_submit")
        try:
            page.wait_for_url(f"**/user/{learner.name}/{LANDING}*", timeout=PAGE_TIMEOUT)
            page.wait_for_selector(".kyodo-landing", timeout=PAGE_TIMEOUT)
        except Exception:
            pytest.fail(f"{learner.typed}: the lesson list did not open: at {page.url}\n{hub.log_tail()}")
        _assert_reads_like_the_book(page)
        if number == 0:
            page.screenshot(path=str(SHOTS / "classroom_room_landing.png"))

        links = page.locator(".kyodo-landing nav a")
        with learner.context.expect_page() as opened:
            links.filter(has_text="CASE3").click()
        page = opened.value
        _watch(learner, page)
        page.wait_for_url(f"**/user/{learner.name}/{CASE3}", timeout=PAGE_TIMEOUT)
        source = page.get_by_label("送り手", exact=True)
        source.wait_for(timeout=PAGE_TIMEOUT)
        assert page.locator("h1").first.inner_text().startswith("CASE3 大学と行政")
        _assert_reads_like_the_book(page)

        flow = _flow_map(page)
        for count, (sender, receiver, item) in enumerate(learner.arrows, start=1):
            source.select_option(label=sender)
            page.get_by_label("受け手", exact=True).select_option(label=receiver)
            page.get_by_label("渡すもの", exact=True).select_option(label=item)
            flow.get_by_role("button", name="矢印を追加").click()
            page.wait_for_function(
                f"() => document.body.innerText.includes('を追加しました (いま {count} 本)')", timeout=15_000)
        pressed = time.monotonic()
        flow.get_by_role("button", name="答え合わせ").click()
        page.wait_for_function(FEEDBACK, timeout=15_000)
        check_ms = (time.monotonic() - pressed) * 1000
        shown = _arrow_texts(page)
        for text in learner.texts:
            assert text in shown, (learner.typed, text)
        correct = shown.count("正しい矢印です")
        assert correct == learner.correct, (learner.typed, correct, shown)
        for other in room:
            for text in set(other.texts) - set(learner.texts):
                assert text not in shown, f"{learner.typed} sees {other.typed}'s arrow {text}"
        if number == 0:
            flow.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "classroom_room_case3_checked.png"))
        learner.page = page
        timings.append(f"{learner.typed}: CASE3 checked {time.monotonic() - started:.1f} s (check {check_ms:.0f} ms)")

        home = Path(pwd.getpwnam(learner.name).pw_dir)
        saved = "".join(p.read_text(encoding="utf-8") for p in (home / "kyodo-workspace").rglob("*.json"))
        assert "case3-ex1" in saved, f"{learner.typed}'s arrows were not saved"
    print("\n" + "\n".join(timings))
    for learner in room:
        assert learner.errors == [], (learner.typed, learner.errors)


BOARD = "services/board/"
BOARD_EXERCISE = "case3-ex1"


def _board_counts(page) -> dict:  # noqa: ANN001
    """What the board shows for CASE3 演習1: the four counts, and each arrow's label with its count and mark."""
    return page.evaluate("""id => {
        const card = document.querySelector(`[data-exercise="${id}"]`);
        if (!card) return null;
        const rows = {};
        for (const row of card.querySelectorAll('[data-answer]')) {
            rows[row.dataset.label] = [Number(row.dataset.count), row.dataset.mark];
        }
        const counts = {};
        for (const name of ['opened', 'answered', 'checked', 'finished']) counts[name] = Number(card.dataset[name]);
        return {counts, rows};
    }""", BOARD_EXERCISE)


def _expected_arrows(room: list[Learner]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for learner in room:
        for text in set(learner.texts):
            counts[text] = counts.get(text, 0) + 1
    return counts


def test_the_facilitator_sees_the_rooms_arrows_on_the_board_and_a_learner_gets_403(hub: Hub, room: list[Learner],
                                                                                   browser) -> None:  # noqa: ANN001
    outside: list[str] = []
    context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 1000})
    block_outside(context, hub.url, outside)
    try:
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", typed_name(hub.facilitator))
        page.fill("#password_input", hub.env["KYODO_CLASSROOM_FACILITATOR_PASSWORD"])
        page.click("#login_submit")
        page.wait_for_url("**/hub/**", timeout=PAGE_TIMEOUT)
        answer = page.goto(f"{hub.url}/{BOARD}")
        assert answer is not None and answer.status == 200, f"the board did not open\n{hub.log_tail()}"
        page.wait_for_selector(f"[data-exercise={BOARD_EXERCISE}]", state="attached", timeout=30_000)
        page.locator("[data-tab]").filter(has_text="CASE3").first.click()
        page.wait_for_selector(f"[data-exercise={BOARD_EXERCISE}]", timeout=10_000)
        shown = _board_counts(page)
        expected = _expected_arrows(room)
        assert shown["counts"] == {"opened": 3, "answered": 3, "checked": 3, "finished": 0}, shown
        for label, count in expected.items():
            assert shown["rows"].get(label, [None])[0] == count, (label, count, shown["rows"])
        # each arrow carries the flow map's own verdict on it (sato's farm → monitor arrow is not a flow of the case)
        case3 = FlowMap(load_course(), "case3")
        names = {label: org for label, org in case3.actors}
        for learner in room:
            for sender, receiver, item in learner.arrows:
                verdict = case3.judge(Arrow(names[sender], names[receiver], item)).verdict.value
                assert shown["rows"][f"{sender} → {receiver}: {item}"][1] == verdict
        for learner in room:  # no learner's name on the board of answers
            assert learner.typed not in page.inner_text("body")

        # one more arrow by the first learner: the open board shows it within one refresh, without a reload
        first = room[0]
        flow = _flow_map(first.page)
        first.page.get_by_label("送り手", exact=True).select_option(label="明治大学黒川農場")
        first.page.get_by_label("受け手", exact=True).select_option(label="市民モニター")
        first.page.get_by_label("渡すもの", exact=True).select_option(label="生ごみ堆肥")
        flow.get_by_role("button", name="矢印を追加").click()
        first.page.wait_for_function("() => document.body.innerText.includes('を追加しました (いま 2 本)')",
                                     timeout=15_000)
        first.arrows.append(("明治大学黒川農場", "市民モニター", "生ごみ堆肥"))
        started = time.monotonic()
        page.wait_for_function("""([id, label]) => {
            const row = [...(document.querySelector(`[data-exercise="${id}"]`)?.querySelectorAll('[data-answer]') || [])]
                .find(r => r.dataset.label === label);
            return row && row.dataset.count === '2';
        }""", arg=[BOARD_EXERCISE, "明治大学黒川農場 → 市民モニター: 生ごみ堆肥"], timeout=15_000)
        print(f"\nthe board showed the new arrow {time.monotonic() - started:.1f} s after it was saved")
        page.locator(f"[data-exercise={BOARD_EXERCISE}]").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "classroom_board_facilitator.png"), full_page=False)

        projector = context.new_page()
        projector.goto(f"{hub.url}/{BOARD}projector?names=1")
        projector.wait_for_selector(f"[data-exercise={BOARD_EXERCISE}]", state="attached", timeout=30_000)
        projector.locator("[data-tab]").filter(has_text="CASE3").first.click()
        projector.wait_for_selector(f"[data-exercise={BOARD_EXERCISE}]", timeout=10_000)
        text = projector.inner_text("body")
        for learner in room:
            assert learner.typed not in text and learner.name not in text
        projector.locator(f"[data-exercise={BOARD_EXERCISE}]").scroll_into_view_if_needed()
        projector.screenshot(path=str(SHOTS / "classroom_board_projector.png"))
    finally:
        context.close()
    assert outside == [], f"requests to other hosts: {outside}"

    # a learner who opens the board's address is refused
    learner_page = room[2].context.new_page()
    answer = learner_page.goto(f"{hub.url}/{BOARD}")
    assert answer is not None and answer.status == 403, (answer and answer.status, learner_page.url)
    assert f"data-exercise='{BOARD_EXERCISE}'" not in learner_page.content()
    learner_page.close()
    session, _ = hub.sign_in(room[1].typed, hub.password, room[1].passphrase)
    refused = session.get(f"{hub.url}/{BOARD}board.csv", timeout=30)
    assert refused.status_code == 403 and "case3-ex1" not in refused.text


def _server(hub: Hub, name: str) -> dict:
    return (hub.api(f"/users/{name}").json().get("servers") or {}).get("") or {}


def test_a_stopped_server_starts_again_with_the_learners_arrows(hub: Hub, room: list[Learner]) -> None:
    learner = room[1]
    uid = pwd.getpwnam(learner.name).pw_uid
    assert learner.page is not None, "the learners opened CASE3 first"
    learner.page.close()
    stop = hub.api(f"/users/{learner.name}/server", method="DELETE")
    assert stop.status_code in (202, 204), stop.status_code
    deadline = time.monotonic() + 60
    while _server(hub, learner.name):
        assert time.monotonic() < deadline, f"the server did not stop\n{hub.log_tail()}"
        time.sleep(0.3)
    assert live_hub.gone(uid, 30), "the learner's server and kernels ended"

    started = time.monotonic()
    page = learner.context.new_page()
    _watch(learner, page)
    page.goto(f"{hub.url}/user/{learner.name}/{CASE3}")  # the hub starts the server again, then sends them on
    try:
        page.wait_for_url(f"**/user/{learner.name}/{CASE3}", timeout=PAGE_TIMEOUT)
        page.get_by_label("送り手", exact=True).wait_for(timeout=PAGE_TIMEOUT)
    except Exception:
        pytest.fail(f"CASE3 did not open again: at {page.url}\n{hub.log_tail()}")
    assert _server(hub, learner.name).get("ready")
    shown = _arrow_texts(page)
    for text in learner.texts:
        assert text in shown, f"{text} did not come back: {shown}"
    print(f"\nback in CASE3 with the arrows in {time.monotonic() - started:.1f} s")
    learner.page = page
    assert learner.errors == [], learner.errors


def _raw_get(hub: Hub, path: str, cookies: dict[str, str]) -> tuple[int, str, str]:
    """(status, Location, body) of a GET sent with ``path`` exactly as written (no dot-segment clean-up).

    Sent as the learner's browser sends it: their cookies, and the server's XSRF token as a header.
    """
    parts = urlsplit(hub.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if "_xsrf" in cookies:
        headers["X-XSRFToken"] = cookies["_xsrf"]
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_learner_a_cannot_reach_learner_bs_work(hub: Hub, room: list[Learner]) -> None:
    a, b = room[0], room[1]
    b_home = Path(pwd.getpwnam(b.name).pw_dir)
    b_files = sorted((b_home / "kyodo-workspace").rglob("*.json"))
    assert b_files, "B has saved work to protect"

    # --- B's server with A's cookies: refused, or sent to A's own server ------------------------
    page = a.context.new_page()
    for path in [f"/user/{b.name}/{CASE3}", f"/user/{b.name}/api/contents/kyodo-workspace",
                 f"/user/{b.name}/files/kyodo-workspace/{b_files[0].name}"]:
        response = page.goto(f"{hub.url}{path}")
        status = response.status if response else 0
        assert status == 403 or f"/user/{a.name}/" in page.url, (path, status, page.url)
        assert f"/user/{b.name}/" not in page.url or status == 403, (path, status, page.url)
        body = page.content()
        assert "case3-ex1" not in body and "生ごみ堆肥化の指導" not in body, path
    page.close()

    # --- A's contents API, climbing out of A's home ----------------------------------------------
    cookies = {c["name"]: c["value"] for c in a.context.cookies(f"{hub.url}/user/{a.name}/api/contents")}
    assert f"jupyterhub-user-{a.name}" in cookies, sorted(cookies)
    own = _raw_get(hub, f"/user/{a.name}/api/contents/kyodo-workspace", cookies)
    assert own[0] == 200 and "content" in own[2], f"A reads their own workspace: {own[:2]}"
    for path in [f"/user/{a.name}/api/contents/../{b.name}/kyodo-workspace",
                 f"/user/{a.name}/api/contents/../../{b.name}/kyodo-workspace",
                 f"/user/{a.name}/api/contents/%2e%2e/{b.name}/kyodo-workspace",
                 f"/user/{a.name}/api/contents/%2E%2E%2F{b.name}%2Fkyodo-workspace",
                 f"/user/{a.name}/api/contents/..%2f{b.name}%2fkyodo-workspace",
                 f"/user/{a.name}/api/contents/kyodo/%2e%2e/%2e%2e/{b.name}/kyodo-workspace/{b_files[0].name}",
                 f"/user/{a.name}/api/contents/%2e%2e/%2e%2e/home/{b.name}/kyodo-workspace",
                 f"/user/{a.name}/files/%2e%2e/{b.name}/kyodo-workspace/{b_files[0].name}"]:
        status, location, body = _raw_get(hub, path, cookies)
        assert status in (400, 403, 404) or (300 <= status < 400 and f"/user/{b.name}" not in location), \
            (path, status, location)
        # a refusal may name the path it refused ("... is outside root contents directory"), never B's content
        assert "case3-ex1" not in body and '"content":' not in body and '"created":' not in body, (path, body)

    # --- the file system, as A's system user -----------------------------------------------------
    runner = ["sudo", "-u", a.name] if shutil.which("sudo") else ["runuser", "-u", a.name, "--"]
    for command in (["cat", str(b_files[0])], ["ls", str(b_home / "kyodo-workspace")],
                    ["touch", str(b_home / "kyodo-workspace" / "from-a.json")],
                    ["sh", "-c", f"cat {b_home}/kyodo-workspace/*.json"]):
        done = subprocess.run(runner + command, capture_output=True, text=True, timeout=30)
        assert done.returncode != 0, (command, done.stdout)
        assert "Permission denied" in done.stderr, (command, done.stderr)
        assert "case3-ex1" not in done.stdout
    assert not (b_home / "kyodo-workspace" / "from-a.json").exists()


@pytest.mark.parametrize("path", ["lab", "lab/tree/kyodo/index.ipynb", "terminals/1", "terminals/websocket/1",
                                  "tree", "voila/tree"])
def test_editor_addresses_lead_back_to_the_lesson_list_under_the_hub(hub: Hub, room: list[Learner],
                                                                     path: str) -> None:
    a = room[0]
    page = a.context.new_page()
    try:
        page.goto(f"{hub.url}/user/{a.name}/{path}")
        page.wait_for_selector(".kyodo-landing", timeout=PAGE_TIMEOUT)
        assert urlsplit(page.url).path == f"/user/{a.name}/{LANDING}", page.url
        assert page.locator(".jp-FileBrowser, .jp-DirListing, .jp-Launcher, .jp-Terminal").count() == 0
    finally:
        page.close()
