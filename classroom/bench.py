"""Benchmark of one room: N learners sign in and open CASE3 at the same moment (``make classroom-bench N=10``).

What it does, as root on 127.0.0.1 only:

1. starts the classroom as ``make classroom`` does (workshop mode, free ports, random
   passwords and a service token, a temporary state folder; nothing is printed of them);
2. at one moment ``t0``, N learners each in their own context of one headless Chromium
   (Debian's, through Playwright) sign in on the hub's form (name, workshop password,
   合言葉), wait for their server and the lesson list, then open CASE3 in Voilà, as when a
   facilitator says 「CASE3 を開いてください」;
3. each learner, once the exercise (演習1, the flow map) answers, adds an arrow and presses
   答え合わせ: the time from the press to the feedback on the page is measured
   (``--checks`` presses per learner, each after a new arrow), while the others are still
   loading or checking;
4. memory per learner: the resident set (RSS) and the proportional set (PSS, shared pages
   split between the processes that share them) of every process of the learner's system
   user (their server and kernels), read from ``/proc``;
5. stops the classroom (``make classroom-stop``) and deletes the system users it made.

The browsers run on the same machine as the hub, so their CPU use weighs on the figures
(an upper bound for a room where each learner has their own PC).

Figures: printed, and kept in ``artifacts/bench_classroom.json`` (one entry per N) from which
``artifacts/bench_classroom.md`` is written again after each run.

    sudo --preserve-env .venv/bin/python classroom/bench.py --learners 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import pwd
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kyodo.classroom.preflight import free_port  # a port this process has not handed out before

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync", "--disable-default-apps"]
LANDING = "voila/render/kyodo/index.ipynb"
CASE3 = "voila/render/kyodo/03_case3_compost.ipynb"
# Arrows a learner adds, one before each press of 答え合わせ (every one is a flow of CASE3).
ARROWS = [("市民モニター", "川崎市環境局", "生ごみ堆肥"), ("川崎市環境局", "市民モニター", "生ごみ堆肥化の指導"),
          ("川崎市環境局", "明治大学黒川農場", "生ごみ堆肥")]
GOALS = {"all_in_s": 60.0, "check_p95_ms": 300.0, "memory_mb": 250.0}


# --- arguments and statistics (tests/test_classroom_bench.py) ---------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="N learners sign in and open CASE3 at the same moment.")
    parser.add_argument("--learners", "-n", type=_positive, default=10, help="how many learners (default 10)")
    parser.add_argument("--checks", type=_positive, default=3, help="答え合わせ presses per learner (default 3)")
    parser.add_argument("--timeout", type=_positive, default=300,
                        help="seconds a learner may take to reach the exercise (default 300)")
    parser.add_argument("--out", type=Path, default=ARTIFACTS, help="folder for the figures (default artifacts/)")
    args = parser.parse_args(argv)
    if args.checks > len(ARROWS):
        parser.error(f"--checks: at most {len(ARROWS)}")
    return args


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) with linear interpolation between closest ranks (as numpy's default)."""
    if not values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile out of range: {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class LearnerResult:
    landing_s: float | None = None
    """From t0 to the lesson list shown (sign-in, server start, Voilà)."""
    case3_s: float | None = None
    """From t0 to CASE3's flow map answering."""
    checks_ms: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    pss_mb: float = 0.0
    error: str = ""


def summarise(n: int, results: Sequence[LearnerResult], wall_s: float) -> dict:
    """The figures of one run (``None`` where no learner got that far)."""
    ok = [r for r in results if r.case3_s is not None and not r.error]
    checks = [ms for r in ok for ms in r.checks_ms]
    rss = [r.rss_mb for r in results if r.rss_mb]
    pss = [r.pss_mb for r in results if r.pss_mb]
    summary = {
        "learners": n,
        "in_exercise": len(ok),
        "failed": [r.error for r in results if r.error],
        "last_landing_s": max((r.landing_s for r in ok if r.landing_s is not None), default=None),
        "last_in_exercise_s": max((r.case3_s for r in ok), default=None),
        "median_in_exercise_s": statistics.median([r.case3_s for r in ok]) if ok else None,
        "checks": len(checks),
        "check_p50_ms": percentile(checks, 50) if checks else None,
        "check_p95_ms": percentile(checks, 95) if checks else None,
        "check_max_ms": max(checks) if checks else None,
        "rss_mb_mean": statistics.fmean(rss) if rss else None,
        "rss_mb_max": max(rss) if rss else None,
        "pss_mb_mean": statistics.fmean(pss) if pss else None,
        "wall_s": wall_s,
    }
    summary["goals_met"] = {
        "all_in_60s": summary["in_exercise"] == n and (summary["last_in_exercise_s"] or math.inf) <= GOALS["all_in_s"],
        "check_p95_300ms": (summary["check_p95_ms"] or math.inf) <= GOALS["check_p95_ms"],
        "memory_250mb": (summary["rss_mb_max"] or math.inf) <= GOALS["memory_mb"],
    }
    return summary


def markdown(runs: dict[str, dict], machine: str) -> str:
    """The table of ``artifacts/bench_classroom.md``."""
    def f(value: float | None, digits: int = 1) -> str:
        return "–" if value is None else f"{value:.{digits}f}"

    lines = [
        "# 教室のベンチマーク (classroom/bench.py)",
        "",
        f"マシン: {machine}。学習者 N 人が同時にサインインして CASE3 を開き、演習1 で矢印を加えて「答え合わせ」を押す。",
        "ブラウザ (Chromium、学習者ごとに別のコンテキスト) も同じマシンで動く。",
        "",
        "| N | 演習に入れた人数 | 最後の人が一覧を見るまで (s) | 最後の人が演習に入るまで (s) | 答え合わせ p50 (ms) | "
        "p95 (ms) | 最大 (ms) | 1 人あたりメモリ RSS 平均 / 最大 (MB) | PSS 平均 (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(runs, key=int):
        r = runs[key]
        lines.append(
            f"| {r['learners']} | {r['in_exercise']} | {f(r['last_landing_s'])} | {f(r['last_in_exercise_s'])} | "
            f"{f(r['check_p50_ms'], 0)} | {f(r['check_p95_ms'], 0)} | {f(r['check_max_ms'], 0)} | "
            f"{f(r['rss_mb_mean'], 0)} / {f(r['rss_mb_max'], 0)} | {f(r['pss_mb_mean'], 0)} |")
    lines += ["", "目標: 30 人が 60 秒以内に演習に入る、答え合わせ p95 ≤ 300 ms、1 人あたり ≤ 250 MB。", ""]
    return "\n".join(lines)


# --- memory from /proc ----------------------------------------------------------------------------------


def memory_of(uid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB summed over every live process whose real uid is ``uid``."""
    rss = pss = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            if int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1)) != uid:
                continue
            found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            rss += int(found.group(1)) if found else 0
            rollup = (entry / "smaps_rollup").read_text()
            found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
            pss += int(found.group(1)) if found else 0
        except (OSError, AttributeError):
            continue
    return rss / 1024, pss / 1024


# --- the classroom ---------------------------------------------------------------------------------------




class Classroom:
    """``make classroom`` on free ports of 127.0.0.1, stopped with ``make classroom-stop``."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kyodo-classroom-bench-"))
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("KYODO_CLASSROOM_")}
        self.env.update({
            "KYODO_CLASSROOM_PASSWORD": "ws-" + secrets.token_urlsafe(9),
            "KYODO_CLASSROOM_FACILITATOR_PASSWORD": "fac-" + secrets.token_urlsafe(15),
            "KYODO_CLASSROOM_API_TOKEN": secrets.token_hex(24),
            "KYODO_CLASSROOM_FACILITATORS": "fac" + secrets.token_hex(3),
            "KYODO_CLASSROOM_IP": "127.0.0.1",
            "KYODO_CLASSROOM_PORT": str(port),
            "KYODO_CLASSROOM_HUB_PORT": str(free_port()),
            "KYODO_CLASSROOM_PROXY_API_PORT": str(free_port()),
            "KYODO_CLASSROOM_BOARD_PORT": str(free_port()),
            "KYODO_CLASSROOM_STATE": str(self.folder / "state"),
            "KYODO_CLASSROOM_IDLE_MINUTES": "0",
        })
        self.log = self.folder / "hub.log"
        self.process: subprocess.Popen | None = None
        self.users: set[str] = set()

    @property
    def password(self) -> str:
        return self.env["KYODO_CLASSROOM_PASSWORD"]

    def start(self, timeout: float = 60) -> None:
        import urllib.request

        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(["make", "--no-print-directory", "-o", "venv", "-o", "vendor", "classroom"],
                                            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the classroom did not start (exit {self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the classroom did not answer within {timeout} s:\n{self.tail()}")
            time.sleep(0.3)

    def tail(self) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            subprocess.run(["make", "--no-print-directory", "classroom-stop"], cwd=ROOT, env=self.env,
                           capture_output=True, timeout=180, check=False)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        from kyodo.classroom.names import system_name

        for name in self.users | {system_name(self.env["KYODO_CLASSROOM_FACILITATORS"])}:
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            subprocess.run(["userdel", "--remove", "--force", name], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


# --- one learner ------------------------------------------------------------------------------------------


async def learner(browser, room: Classroom, typed: str, start: asyncio.Event, t0: list[float],  # noqa: ANN001
                  args: argparse.Namespace) -> LearnerResult:
    from kyodo.classroom.names import system_name

    result = LearnerResult()
    name = system_name(typed)
    context = await browser.new_context(locale="ja-JP", viewport={"width": 1100, "height": 800})

    async def only_here(route) -> None:  # noqa: ANN001
        if route.request.url.startswith(room.url):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", only_here)
    timeout = args.timeout * 1000
    context.set_default_timeout(timeout)  # under load even the sign-in form's answer takes a while
    context.set_default_navigation_timeout(timeout)
    page = await context.new_page()
    try:
        await start.wait()
        await page.goto(f"{room.url}/hub/login", timeout=timeout)
        await page.fill("#username_input", typed)
        await page.fill("#password_input", room.password)
        await page.fill("#passphrase_input", "bench-" + typed)
        await page.click("#login_submit")
        await page.wait_for_url(f"**/user/{name}/{LANDING}*", timeout=timeout)
        await page.wait_for_selector(".kyodo-landing", timeout=timeout)
        result.landing_s = time.monotonic() - t0[0]
        await page.goto(f"{room.url}/user/{name}/{CASE3}", timeout=timeout)
        source = page.get_by_label("送り手", exact=True)
        await source.wait_for(timeout=timeout)
        result.case3_s = time.monotonic() - t0[0]
        flow = page.locator(".jp-OutputArea-output").filter(has=source)
        for number, (sender, receiver, item) in enumerate(ARROWS[:args.checks], start=1):
            await source.select_option(label=sender)
            await page.get_by_label("受け手", exact=True).select_option(label=receiver)
            await page.get_by_label("渡すもの", exact=True).select_option(label=item)
            await flow.get_by_role("button", name="矢印を追加").click()
            await page.wait_for_function(
                f"() => document.body.innerText.includes('を追加しました (いま {number} 本)')", timeout=60_000)
            pressed = time.monotonic()
            await flow.get_by_role("button", name="答え合わせ").click()
            # the feedback lists one 「正しい矢印です」 per arrow checked: wait for the new one
            await page.wait_for_function(
                f"() => (document.body.innerText.match(/正しい矢印です/g) || []).length >= {number}",
                timeout=60_000)
            result.checks_ms.append((time.monotonic() - pressed) * 1000)
        # memory while the learner is in the lesson (their server and every kernel it runs)
        result.rss_mb, result.pss_mb = memory_of(pwd.getpwnam(name).pw_uid)
    except Exception as error:  # noqa: BLE001 - one learner's failure is a figure, not the end of the run
        result.error = f"{typed}: {type(error).__name__}: {str(error).splitlines()[0][:160]}"
    finally:
        await context.close()
    return result


async def run(args: argparse.Namespace, room: Classroom) -> tuple[list[LearnerResult], float, list[str]]:
    from playwright.async_api import async_playwright

    from kyodo.classroom.names import system_name

    tag = secrets.token_hex(2)
    typed = [f"bench{tag}{i:02d}" for i in range(args.learners)]
    room.users |= {system_name(t) for t in typed}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        start = asyncio.Event()
        t0 = [0.0]
        tasks = [asyncio.create_task(learner(browser, room, t, start, t0, args)) for t in typed]
        await asyncio.sleep(2)  # every context is ready: now they all go at once
        t0[0] = time.monotonic()
        start.set()
        results = await asyncio.gather(*tasks)
        wall = time.monotonic() - t0[0]
        await browser.close()
    return list(results), wall, typed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if os.geteuid() != 0:
        print("root で実行してください (学習者ごとにシステムユーザーを作ります): sudo --preserve-env make classroom-bench",
              file=sys.stderr)
        return 1
    room = Classroom()
    try:
        room.start()
        results, wall, _ = asyncio.run(run(args, room))
    finally:
        room.stop()
    summary = summarise(args.learners, results, wall)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    store = args.out / "bench_classroom.json"
    runs = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    runs[str(args.learners)] = summary | {"per_learner": [asdict(r) for r in results]}
    store.write_text(json.dumps(runs, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    machine = f"{os.cpu_count()} コア, {platform.machine()}, Python {platform.python_version()}"
    (args.out / "bench_classroom.md").write_text(markdown(runs, machine), encoding="utf-8")
    return 0 if summary["in_exercise"] == args.learners else 1


if __name__ == "__main__":
    sys.exit(main())
