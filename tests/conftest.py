"""Shared fixtures: the real course data, and a private workspace per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kyodo import storage
from kyodo.data import Course, default_data_dir, load_course
from kyodo.storage import Store

DATA_DIR = default_data_dir()


@pytest.fixture(scope="session")
def course() -> Course:
    return load_course(DATA_DIR)


@pytest.fixture(autouse=True)
def private_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test saves into its own empty workspace, never a learner's."""
    folder = tmp_path / "workspace"
    monkeypatch.setenv("KYODO_WORKSPACE", str(folder))
    monkeypatch.setenv("KYODO_LEARNER", "tester")
    monkeypatch.setattr(storage, "_open_stores", {})
    return folder


@pytest.fixture
def store(private_workspace: Path) -> Store:
    return Store.open(private_workspace, "tester")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


# --- the built site in a browser (tests/test_browser_*.py) ---------------------------

@pytest.fixture(scope="module")
def site():
    from support.browser import serve_site

    yield from serve_site()


@pytest.fixture(scope="module")
def browser():
    from support.browser import launch_chromium

    yield from launch_chromium()
