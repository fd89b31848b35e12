"""Putting the course into a learner's home: copy what is missing, never overwrite, never follow links."""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from kyodo.classroom import content
from kyodo.classroom.content import COURSE_FOLDER, WORKSPACE_FOLDER, ContentError, course_files, provision

ROOT = Path(__file__).resolve().parents[1]


def make_source(folder: Path, lessons: dict[str, str], landing: str | None = "landing") -> Path:
    (folder / "notebooks").mkdir(parents=True)
    for name, text in lessons.items():
        (folder / "notebooks" / name).write_text(text, encoding="utf-8")
    if landing is not None:
        (folder / "classroom").mkdir()
        (folder / content.LANDING_NOTEBOOK).write_text(landing, encoding="utf-8")
    return folder


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_source(tmp_path / "source", {"01_a.ipynb": "lesson a", "02_b.ipynb": "lesson b"})


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home" / "k-tanaka"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    return folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_first_provision_copies_the_course_and_makes_private_folders(source: Path, home: Path) -> None:
    report = provision(home, source)
    assert sorted(report.copied) == ["01_a.ipynb", "02_b.ipynb", "index.ipynb"]
    assert (home / COURSE_FOLDER / "01_a.ipynb").read_text() == "lesson a"
    assert (home / COURSE_FOLDER / "index.ipynb").read_text() == "landing"
    assert mode(home) == 0o700
    assert mode(home / WORKSPACE_FOLDER) == 0o700
    assert mode(home / COURSE_FOLDER) == 0o700
    assert set(report.created) == {COURSE_FOLDER, WORKSPACE_FOLDER}


def test_an_update_adds_new_files_and_never_overwrites(source: Path, home: Path) -> None:
    provision(home, source)
    lesson = home / COURSE_FOLDER / "01_a.ipynb"
    lesson.write_text("the learner's own version", encoding="utf-8")
    (home / COURSE_FOLDER / "02_b.ipynb").unlink()  # deleted by the learner: comes back
    work = home / WORKSPACE_FOLDER / "tanaka.json"
    work.write_text('{"saved": true}', encoding="utf-8")
    # the course is updated: a lesson changed, a new one added
    (source / "notebooks" / "01_a.ipynb").write_text("lesson a, second edition", encoding="utf-8")
    (source / "notebooks" / "03_c.ipynb").write_text("lesson c", encoding="utf-8")
    report = provision(home, source)
    assert sorted(report.copied) == ["02_b.ipynb", "03_c.ipynb"]
    assert "01_a.ipynb" in report.kept and "index.ipynb" in report.kept
    assert lesson.read_text(encoding="utf-8") == "the learner's own version"
    assert work.read_text(encoding="utf-8") == '{"saved": true}'
    assert (home / COURSE_FOLDER / "03_c.ipynb").read_text() == "lesson c"


def test_provision_twice_changes_nothing(source: Path, home: Path) -> None:
    provision(home, source)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (home / COURSE_FOLDER).iterdir()}
    report = provision(home, source)
    assert report.copied == [] and report.created == []
    assert before == {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (home / COURSE_FOLDER).iterdir()}


def test_links_left_by_a_learner_are_never_followed(source: Path, home: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (home / COURSE_FOLDER).mkdir()
    # a dangling link where a lesson would go, and a link to a file elsewhere
    os.symlink(outside / "planted.ipynb", home / COURSE_FOLDER / "01_a.ipynb")
    (outside / "victim.txt").write_text("keep me")
    os.symlink(outside / "victim.txt", home / COURSE_FOLDER / "02_b.ipynb")
    report = provision(home, source)
    assert not (outside / "planted.ipynb").exists()
    assert (outside / "victim.txt").read_text() == "keep me"
    assert {"01_a.ipynb", "02_b.ipynb"} <= set(report.kept)


def test_course_folder_that_is_a_link_is_left_alone(source: Path, home: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, home / COURSE_FOLDER)
    report = provision(home, source)
    assert report.skipped and report.copied == []
    assert list(outside.iterdir()) == []
    assert mode(home / WORKSPACE_FOLDER) == 0o700


def test_home_that_belongs_to_someone_else_is_refused(source: Path, home: Path) -> None:
    with pytest.raises(ContentError, match="学習者"):
        provision(home, source, uid=home.stat().st_uid + 4242, gid=0)
    assert not (home / COURSE_FOLDER).exists()


def test_missing_home_and_empty_source_say_so(source: Path, tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="ホームフォルダ"):
        provision(tmp_path / "nobody", source)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ContentError, match="ノートブック"):
        course_files(empty)


def test_the_real_checkout_gives_every_lesson_notebook() -> None:
    files = course_files(ROOT)
    names = [name for _, name in files]
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert [n for n in names if n != "index.ipynb"] == lessons
    assert names[-1] == "index.ipynb" and files[-1][0] == ROOT / "classroom" / "landing.ipynb"


def test_copied_files_belong_to_the_learner_when_run_as_root(source: Path, home: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving files to another user needs root")
    uid, gid = 4242, 4243
    os.chown(home, uid, gid)
    provision(home, source, uid=uid, gid=gid)
    for path in [home / COURSE_FOLDER, home / WORKSPACE_FOLDER, home / COURSE_FOLDER / "01_a.ipynb"]:
        assert (path.stat().st_uid, path.stat().st_gid) == (uid, gid), path


def test_learner_environment() -> None:
    env = content.learner_environment("k_fiqx46g", Path("/home/k_fiqx46g"))
    assert env == {"KYODO_WORKSPACE": "/home/k_fiqx46g/kyodo-workspace", "KYODO_LEARNER": "田中"}
    assert content.learner_environment("someone", Path("/h"))["KYODO_LEARNER"] == "someone"


def test_pre_spawn_hook_provisions_and_sets_the_environment(source: Path, home: Path, monkeypatch) -> None:
    entry = SimpleNamespace(pw_dir=str(home), pw_uid=os.geteuid(), pw_gid=os.getegid())
    monkeypatch.setattr(content.pwd, "getpwnam", lambda name: entry)
    messages: list[str] = []
    log = SimpleNamespace(info=lambda *a: messages.append(a[0] % a[1:]), warning=lambda *a: messages.append(a[0]))
    spawner = SimpleNamespace(user=SimpleNamespace(name="k-tanaka"), environment={"KYODO_CLASSROOM_MODE": "workshop"},
                              log=log)
    asyncio.run(content.pre_spawn_hook(source)(spawner))
    assert (home / COURSE_FOLDER / "index.ipynb").exists()
    assert spawner.environment["KYODO_LEARNER"] == "tanaka"
    assert spawner.environment["KYODO_WORKSPACE"] == str(home / WORKSPACE_FOLDER)
    assert spawner.environment["KYODO_CLASSROOM_MODE"] == "workshop"
    assert "3 copied" in messages[0]


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_git_source_is_fetched_with_nbgitpuller_and_updates_add_files(tmp_path: Path, home: Path) -> None:
    repo = make_source(tmp_path / "repo", {"01_a.ipynb": "lesson a"})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=repo, check=True)
    cache = tmp_path / "state" / "content"
    folder = content.content_source(ROOT, f"file://{repo}", "main", cache)
    assert folder == cache and (cache / "notebooks" / "01_a.ipynb").exists()
    provision(home, folder)
    (home / COURSE_FOLDER / "01_a.ipynb").write_text("mine")
    (repo / "notebooks" / "02_b.ipynb").write_text("lesson b")
    (repo / "notebooks" / "01_a.ipynb").write_text("lesson a v2")
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "two"], cwd=repo, check=True)
    content.content_source(ROOT, f"file://{repo}", "main", cache)
    report = provision(home, folder)
    assert report.copied == ["02_b.ipynb"]
    assert (home / COURSE_FOLDER / "01_a.ipynb").read_text() == "mine"


def test_git_source_that_does_not_exist_says_so(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="取り込めませんでした"):
        content.content_source(ROOT, f"file://{tmp_path}/missing", "main", tmp_path / "cache")


def test_servers_are_stopped_with_sigterm_first(tmp_path: Path) -> None:
    """SIGTERM lets Jupyter Server shut its kernels down, so each saves on exit; SIGINT would not."""
    import signal
    import sys
    import time

    record = tmp_path / "first-signal"
    child = subprocess.Popen([sys.executable, "-c", f"""
import signal, sys, time
def got(number, frame):
    open({str(record)!r}, "w").write(str(number))
    sys.exit(0)
signal.signal(signal.SIGINT, got)
signal.signal(signal.SIGTERM, got)
open({str(record)!r} + ".ready", "w").close()
time.sleep(60)
"""])
    for _ in range(500):
        if Path(str(record) + ".ready").exists():
            break
        time.sleep(0.01)
    spawner = content.ClassroomSpawner()
    spawner.proc, spawner.pid = child, child.pid
    asyncio.run(spawner.stop())
    assert child.wait(timeout=10) == 0
    assert record.read_text() == str(int(signal.SIGTERM))
