"""A learner in JupyterLab: open the CASE3 lesson, run it, use an exercise, restart the kernel.

This is the one place the exercises are driven through the real front end:
JupyterLab (in Japanese) on 127.0.0.1, Debian's Chromium, a live kernel. The
notebooks are copied to a temporary folder first, so nothing in the repository
is changed, and the learner's work goes to a temporary workspace.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from support.book_build import ROOT

TOKEN = "kyodo-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    workspace = root / "workspace"
    port = _free_port()
    env = {**os.environ, "KYODO_WORKSPACE": str(workspace), "KYODO_LEARNER": "learner"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={root / 'notebooks'}", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _menu(page, menu: str, command: str | re.Pattern[str]) -> None:
    """Choose a command from JupyterLab's (Japanese) menu bar, as a learner does."""
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=command).first.click()


def test_learner_runs_case3_uses_the_flow_map_and_keeps_it_after_a_restart(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{lab}/lab/tree/03_case3_compost.ipynb?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook", timeout=60_000)
        assert page.locator("text=ファイル").first.is_visible()  # the Japanese interface
        # the kernel has started when the status bar says アイドル (idle)
        page.wait_for_selector(".jp-StatusBar-Widget >> text=アイドル", timeout=90_000)
        _menu(page, "実行", "すべてのセルを実行")
        page.wait_for_selector(".widget-dropdown select", timeout=90_000)
        selects = page.locator(".widget-dropdown select")
        selects.nth(0).select_option(label="市民モニター")
        selects.nth(1).select_option(label="明治大学黒川農場")
        selects.nth(2).select_option(label="生ごみ堆肥")
        page.locator("button", has_text="矢印を追加").first.click()
        page.locator("button", has_text="答え合わせ").first.click()
        feedback = page.locator("[role=status]").first
        feedback.wait_for(timeout=15_000)
        page.wait_for_function("() => document.querySelector('[role=status]').innerText.includes('受け手が違います')",
                               timeout=15_000)
        assert "直接は行きません" in feedback.inner_text()

        # the label reads "カーネルを再起動 と すべてのセルを実行…" with a notebook open
        _menu(page, "カーネル", re.compile("カーネルを再起動.*すべてのセルを実行"))
        page.locator(".jp-Dialog-button.jp-mod-accept").click()
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('[role=status]')).some(e => e.innerText.includes('前回の続き'))",
            timeout=90_000)
        # In the output that says so, the restored arrow is listed again.
        listed = page.wait_for_function(
            """() => {
                const status = Array.from(document.querySelectorAll('[role=status]'))
                    .find(e => e.innerText.includes('前回の続き'));
                const select = status && status.closest('.jp-OutputArea-output').querySelector('.widget-select select');
                const texts = select ? Array.from(select.options).map(o => o.textContent.replace(/\\u00a0/g, ' ')) : [];
                return texts.length && texts.every(t => t) ? texts : null;
            }""", timeout=60_000).json_value()
        assert listed == ["市民モニター → 明治大学黒川農場: 生ごみ堆肥"]
    finally:
        context.close()
