"""Learners' work: atomic saves, restore, corrupted and foreign files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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
        (b"{\"format\": \"kyodo-progress\", \"version\": 0, \"exercises\": {}}", "版が違います"),
        (b"{\"format\": \"kyodo-progress\", \"version\": \"2\", \"exercises\": {}}", "版が違います"),
        (b"{\"format\": \"kyodo-progress\", \"version\": 1, \"exercises\": []}", "中身の形が違います"),
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
    assert store.save("k", 2) is not None  # the save says it set the file aside
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
    assert_safe_file_stem(learner_id())
    assert "山田" in learner_id() and learner_id() == storage.file_stem("山田 <b>")


def test_shared_store_is_one_per_learner(private_workspace: Path):
    assert storage.shared_store() is storage.shared_store()
    assert storage.shared_store().path == private_workspace / "tester.json"


# --- issue 9, defect 1: every learner name gets a safe file of its own -------------------

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
UNSAFE_CHARS = set('<>:"/\\|?*')


def hundred_names() -> list[str]:
    """Japanese, Latin, mixed and hostile learner names (at least 100, all different)."""
    families = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
    givens = ["花子", "太郎", "ゆい", "ケン"]
    japanese = families + [f + g for f in families for g in givens] + ["さとう", "サトウ", "ｻﾄｳ", "髙橋", "𠮷田"]
    latin = ["tanaka", "Tanaka", "TANAKA", "sato", "j.doe", "user-01", "user_01", "José", "Jose\u0301", "Müller",
             "Zoë", "O'Brien", "anne marie", "anne_marie", "anne-marie", "anne.marie", "a" * 64, "a" * 65, "a" * 66,
             "Øyvind", "Łukasz", "Дмитрий", "محمد", "张伟", "김민준"]
    mixed = ["佐藤 taro", "taro佐藤", "ｓａｔｏ", "佐藤①", "佐藤\u3000花子", "佐藤 花子", "が", "か\u3099",
             "佐藤/田中", "3班", "3班 (佐藤)"]
    hostile = ["", " ", "   ", ".", "..", "...", "../x", "..\\x", "/etc/passwd", "a/b", "a\\b", "CON", "con", "Con",
               "con.txt", "NUL", "nul.json", "COM1", "LPT9", "AUX", "PRN", "x" * 255, "あ" * 255, "😀", "👩‍👩‍👧",
               "a\x00b", "\x00", "<b>山田</b>", ".hidden", "-rf", "~", "a~b", "tanaka.unreadable-20240101-000000",
               "\udce9", "\u202eevil", "a:b", "a*b?", "trailing.", "trailing ", "tab\there", "line\nbreak", "learner"]
    names = japanese + latin + mixed + hostile
    assert len(names) >= 100 and len(set(names)) == len(names)
    return names


def assert_safe_file_stem(stem: str) -> None:
    name = f"{stem}.json"
    assert name.encode("utf-8")  # no lone surrogates: every file system can store it
    assert not UNSAFE_CHARS & set(name), stem
    assert all(ord(ch) >= 32 and ord(ch) != 127 for ch in name), repr(stem)
    assert stem and not stem.startswith((".", "-", " ")) and not stem.endswith((".", " ")), repr(stem)
    assert stem.split(".")[0].upper() not in WINDOWS_RESERVED, stem
    # room for the longest name the store builds from it: a set-aside copy or an export's backup
    assert len(f"{stem}.unreadable-20240101-120000-99.json".encode()) <= 255, stem
    assert len(f"{stem}-design-20240101-120000.json".encode()) <= 255, stem
    assert Path("/w", name).parent == Path("/w") and Path(name).name == name


def test_every_learner_name_gets_a_safe_distinct_stable_file_name():
    import unicodedata

    names = hundred_names()
    stems = [storage.file_stem(n) for n in names]
    for stem in stems:
        assert_safe_file_stem(stem)
    assert len(set(stems)) == len(names)  # two names never share a file
    # ... nor on file systems that fold case or Unicode normalisation, except names kept from before
    kept = {n for n in names if storage.file_stem(n) == n}
    folded = [unicodedata.normalize("NFD", s).casefold() for n, s in zip(names, stems) if n not in kept]
    assert len(set(folded)) == len(folded)
    assert [storage.file_stem(n) for n in names] == stems  # stable across calls


def test_names_are_stable_across_processes():
    names = ["佐藤", "../x", "😀", "CON"]
    script = f"import kyodo.storage as s; print([s.file_stem(n) for n in {names!r}])"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str([storage.file_stem(n) for n in names])


def test_japanese_learners_no_longer_share_a_file(monkeypatch: pytest.MonkeyPatch, private_workspace: Path):
    monkeypatch.setenv("KYODO_LEARNER", "佐藤")
    sato = learner_id()
    Store.open(private_workspace, "佐藤").save("notes/x", {"text": "佐藤のメモ"})
    monkeypatch.setenv("KYODO_LEARNER", "田中")
    assert learner_id() != sato
    assert Store.open(private_workspace, "田中").get("notes/x") is None  # 田中 does not read 佐藤's notes
    assert "佐藤" in sato  # Unicode is kept where it is safe


@pytest.mark.parametrize("name", ["tanaka", "Tanaka", "j.doe", "user-01", "user_01", "a" * 64])
def test_existing_ascii_learners_keep_their_file(name: str, private_workspace: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KYODO_LEARNER", name)
    assert learner_id() == name
    private_workspace.mkdir(parents=True)
    (private_workspace / f"{name}.json").write_text(
        json.dumps({"format": FORMAT, "version": 1, "exercises": {"notes/x": {"text": "前の答え"}}}), encoding="utf-8")
    assert storage.shared_store().path == private_workspace / f"{name}.json"
    assert storage.shared_store().get("notes/x") == {"text": "前の答え"}


def test_the_typed_name_is_kept_inside_the_file(private_workspace: Path):
    store = Store.open(private_workspace, "佐藤 花子")
    store.save("k", 1)
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    assert doc["learner"] == "佐藤 花子" and store.learner == "佐藤 花子"


def test_a_file_stamped_with_another_name_is_neither_read_nor_overwritten(private_workspace: Path):
    path = private_workspace / f"{storage.file_stem('佐藤')}.json"
    private_workspace.mkdir(parents=True)
    content = json.dumps({"format": FORMAT, "version": 1, "learner": "田中", "exercises": {"notes/x": {"text": "田中"}}})
    path.write_text(content, encoding="utf-8")
    store = Store.open(private_workspace, "佐藤")
    assert store.get("notes/x") is None and store.notice is not None and "田中" in store.notice
    with pytest.raises(OSError):
        store.save("k", 1)
    assert path.read_text(encoding="utf-8") == content


def test_a_learner_whose_old_file_had_another_name_is_told_where_it_is(private_workspace: Path):
    private_workspace.mkdir(parents=True)
    old = private_workspace / "learner.json"  # where every Japanese name was saved before
    old.write_text(json.dumps({"format": FORMAT, "version": 1, "exercises": {"k": 1}}), encoding="utf-8")
    store = Store.open(private_workspace, "佐藤")
    assert store.get("k") is None  # it may hold other learners' answers: not read
    assert store.notice is not None and "learner.json" in store.notice and store.path.name in store.notice
    store.save("k", 2)
    assert old.exists() and json.loads(old.read_text(encoding="utf-8"))["exercises"] == {"k": 1}


def test_design_exports_of_two_learners_do_not_overwrite_each_other(
        course, private_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from kyodo.widgets.design_summary import DesignSummaryWidget

    folder = tmp_path / "class"
    paths = set()
    for name in ("佐藤", "田中", "../x", ""):
        monkeypatch.setenv("KYODO_LEARNER", name)
        w = DesignSummaryWidget(course, store=Store.open(private_workspace, name), export_folder=folder)
        w.export_button.click()
        assert w.feedback.kind == "success", w.feedback.text
        paths |= set(folder.iterdir())
    assert len(paths) == 8 and all(p.parent == folder for p in paths)


# --- issue 9, defect 8: progress-file edge cases ------------------------------------------

def _progress(exercises: dict, **extra) -> bytes:
    return json.dumps({"format": FORMAT, "version": 1, "exercises": exercises, **extra}, ensure_ascii=False).encode()


def test_a_file_saved_with_a_utf8_bom_is_read(private_workspace: Path):
    private_workspace.mkdir(parents=True)
    (private_workspace / "tester.json").write_bytes(b"\xef\xbb\xbf" + _progress({"notes/x": {"text": "メモ帳で保存"}}))
    store = Store.open(private_workspace, "tester")
    assert store.notice is None and store.get("notes/x") == {"text": "メモ帳で保存"}
    assert not list(private_workspace.glob("*.unreadable-*"))
    store.save("k", 1)
    assert Store.open(private_workspace, "tester").get("notes/x") == {"text": "メモ帳で保存"}


def test_a_file_from_a_newer_version_is_kept_and_never_overwritten(private_workspace: Path):
    private_workspace.mkdir(parents=True)
    path = private_workspace / "tester.json"
    content = json.dumps({"format": FORMAT, "version": storage.VERSION + 1, "exercises": {"k": {"new": 1}}}).encode()
    path.write_bytes(content)
    store = Store.open(private_workspace, "tester")
    assert store.notice is not None and "新しい版" in store.notice and "壊れていた" not in store.notice
    assert not list(private_workspace.glob("*.unreadable-*"))  # not set aside as damaged
    with pytest.raises(OSError) as refused:
        store.save("k", 1)
    assert "新しい版" in str(refused.value)
    assert path.read_bytes() == content


def test_a_file_that_becomes_newer_while_open_is_not_overwritten(store: Store):
    store.save("k", 1)
    newer = json.dumps({"format": FORMAT, "version": storage.VERSION + 1, "exercises": {}}).encode()
    store.path.write_bytes(newer)
    with pytest.raises(OSError):
        store.save("k", 2)
    assert store.path.read_bytes() == newer


def _old(path: Path, seconds: float = 3600) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_orphaned_temporary_files_are_cleaned_up_safely(private_workspace: Path):
    private_workspace.mkdir(parents=True)
    Store.open(private_workspace, "tester").save("k", 1)
    ours_old = [private_workspace / f".tester.json.{c * 8}.tmp" for c in "abc"]
    ours_new = private_workspace / ".tester.json.zzzzzzzz.tmp"  # perhaps a save in flight right now
    others = [private_workspace / ".other.json.aaaaaaaa.tmp", private_workspace / ".tester.json.tmp",
              private_workspace / "tester.json.aaaaaaaa.tmp", private_workspace / ".tester.json.aaaaaaaa.tmp.keep"]
    for p in [*ours_old, ours_new, *others]:
        p.write_text("partial", encoding="utf-8")
    for p in [*ours_old, *others]:
        _old(p)
    store = Store.open(private_workspace, "tester")
    assert store.get("k") == 1
    assert not any(p.exists() for p in ours_old)
    assert ours_new.exists() and all(p.exists() for p in others)


@pytest.mark.parametrize("point", ["fsync", "rename"])
def test_temporary_files_left_by_killed_saves_do_not_pile_up(tmp_path: Path, point: str):
    for _ in range(3):
        script = "\n".join([
            "import os, pathlib, kyodo.storage as s",
            KILL_POINTS[point],
            f"s.Store.open(pathlib.Path({str(tmp_path)!r}), 'p').save('k', 1)",
        ])
        assert subprocess.run([sys.executable, "-c", script], capture_output=True).returncode == 9
    left = list(tmp_path.glob(".p.json.*.tmp"))
    assert len(left) == 3
    for p in left:
        _old(p)
    Store.open(tmp_path, "p")
    assert list(tmp_path.glob(".p.json.*.tmp")) == []


def test_a_lone_surrogate_is_saved_and_read_back(store: Store, private_workspace: Path):
    store.save("notes/x", {"text": "a\udce9b"})
    assert Store.open(private_workspace, "tester").get("notes/x") == {"text": "a\udce9b"}


def test_a_save_into_a_set_aside_file_says_so_once(store: Store, private_workspace: Path):
    store.save("k", 1)
    store.path.write_text("hand-edited nonsense", encoding="utf-8")
    problem = store.save("k", 2)
    assert problem is not None and "壊れていた" in problem
    assert store.save("k", 3) is None and store.notice is None


def test_the_readme_shows_how_a_name_becomes_a_file_name():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"`佐藤` → `{storage.file_stem('佐藤')}.json`" in readme and "`tanaka` → `tanaka.json`" in readme


def test_a_file_that_cannot_be_read_is_never_saved_over(private_workspace: Path):
    (private_workspace / "tester.json").mkdir(parents=True)  # reading it fails (IsADirectoryError)
    store = Store.open(private_workspace, "tester")
    assert store.notice is not None and "読めませんでした" in store.notice
    with pytest.raises(OSError):
        store.save("k", 1)
    assert (private_workspace / "tester.json").is_dir()
