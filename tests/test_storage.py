"""Learners' work: atomic saves, restore, corrupted and foreign files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kyodo import storage
from kyodo.storage import FORMAT, Store, atomic_write_text, learner_id


def test_save_then_reopen_restores(store: Store, private_workspace: Path):
    store.save("case3/flowmap", {"arrows": [["a", "b", "生ごみ堆肥"]]})
    again = Store.open(private_workspace, "tester")
    assert again.get("case3/flowmap") == {"arrows": [["a", "b", "生ごみ堆肥"]]}
    assert again.notice is None
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    assert doc["format"] == FORMAT and "生ごみ堆肥" in store.path.read_text(encoding="utf-8")


def test_two_notebooks_do_not_overwrite_each_other(private_workspace: Path):
    a = Store.open(private_workspace, "tester")
    b = Store.open(private_workspace, "tester")
    a.save("case3/flowmap", {"arrows": []})
    b.save("case1/roles", {"answers": {"x": "y"}})
    a.save("case3/roles", {"answers": {}})
    final = Store.open(private_workspace, "tester")
    assert set(final._data) == {"case3/flowmap", "case1/roles", "case3/roles"}


def test_forget_removes_only_its_key(store: Store, private_workspace: Path):
    store.save("one", 1)
    store.save("two", 2)
    store.forget("one")
    assert Store.open(private_workspace, "tester")._data == {"two": 2}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "中身が空です"),
        (b"{\"format\": \"kyodo-progress\", \"vers", "JSON として読めません"),
        (b"\xff\xfe\x00garbage", "JSON として読めません"),
        (b"[1, 2, 3]", "この講座の保存ファイルではありません"),
        (b"{\"format\": \"something-else\"}", "この講座の保存ファイルではありません"),
        (b"{\"format\": \"kyodo-progress\", \"version\": 99, \"exercises\": {}}", "版が違います"),
    ],
)
def test_bad_file_is_set_aside_with_a_message_and_never_lost(private_workspace: Path, content: bytes, problem: str):
    private_workspace.mkdir(parents=True)
    path = private_workspace / "tester.json"
    path.write_bytes(content)
    store = Store.open(private_workspace, "tester")
    assert store.notice is not None and problem in store.notice
    backups = list(private_workspace.glob("tester.unreadable-*.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == content
    assert str(backups[0]) in store.notice
    store.save("k", 1)
    assert backups[0].read_bytes() == content  # the backup is never overwritten
    assert Store.open(private_workspace, "tester").get("k") == 1


def test_file_that_goes_bad_while_open_is_kept(store: Store, private_workspace: Path):
    store.save("k", 1)
    store.path.write_text("hand-edited nonsense", encoding="utf-8")
    store.save("k", 2)
    assert store.notice is not None
    assert [p.read_text(encoding="utf-8") for p in private_workspace.glob("*.unreadable-*")] == ["hand-edited nonsense"]
    assert Store.open(private_workspace, "tester").get("k") == 2


def test_failed_write_leaves_the_last_good_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "p.json"
    atomic_write_text(path, "good")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    assert path.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temporary file left behind


KILL_POINTS = {
    # before anything is written to the temporary file
    "open": "os.fdopen = lambda *a, **k: os._exit(9)",
    # after writing, before the data is on disk
    "fsync": "os.fsync = lambda fd: os._exit(9)",
    # with the temporary file complete, just before it replaces the old one
    "rename": "os.replace = lambda a, b: os._exit(9)",
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_save_killed_at_any_point_leaves_the_last_good_file(tmp_path: Path, point: str):
    """A process killed in the middle of saving never damages the saved file."""
    Store.open(tmp_path, "p").save("case3/flowmap", {"arrows": [["a", "b", "生ごみ堆肥"]]})
    script = "\n".join([
        "import os, pathlib, kyodo.storage as s",
        KILL_POINTS[point],
        f"s.Store.open(pathlib.Path({str(tmp_path)!r}), 'p').save('case3/flowmap', {{'arrows': []}})",
    ])
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == 9, proc.stderr
    store = Store.open(tmp_path, "p")  # the next session
    assert store.notice is None
    assert store.get("case3/flowmap") == {"arrows": [["a", "b", "生ごみ堆肥"]]}


def test_learner_id_is_a_safe_file_name(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KYODO_LEARNER", "../../etc/passwd")
    assert "/" not in learner_id() and not learner_id().startswith(".")
    monkeypatch.setenv("KYODO_LEARNER", "山田 <b>")
    assert learner_id() == "____b" or set(learner_id()) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def test_shared_store_is_one_per_learner(private_workspace: Path):
    assert storage.shared_store() is storage.shared_store()
    assert storage.shared_store().path == private_workspace / "tester.json"
