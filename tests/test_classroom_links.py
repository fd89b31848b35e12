"""nbgitpuller links for hubs that already exist (kyodo.classroom.links, make classroom-link)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from kyodo.classroom import links
from kyodo.classroom.links import course_links, main, nbgitpuller_link, repo_folder
from kyodo.outline import load_outline

ROOT = Path(__file__).resolve().parents[1]
HUB = "https://hub.example.jp"
REPO = "https://github.com/org/kyodo-course"
PULL = "https://hub.example.jp/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Forg%2Fkyodo-course"


def query(link: str) -> dict[str, str]:
    """The decoded query of a link (what nbgitpuller's handler reads with get_argument)."""
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True, strict_parsing=True))


# --- exact links ------------------------------------------------------------------------------


def test_a_lesson_in_workshop_mode_opens_in_voila():
    assert nbgitpuller_link(HUB, REPO, "main", "case3", "workshop") == (
        f"{PULL}&urlpath=voila%2Frender%2Fkyodo-course%2Fnotebooks%2F03_case3_compost.ipynb&branch=main")


def test_a_lesson_in_lab_mode_opens_in_jupyterlab():
    assert nbgitpuller_link(HUB, REPO, "main", "case3", "lab") == (
        f"{PULL}&urlpath=lab%2Ftree%2Fkyodo-course%2Fnotebooks%2F03_case3_compost.ipynb&branch=main")


@pytest.mark.parametrize("lesson", [None, "", "index"])
def test_no_lesson_is_the_lesson_list(lesson):
    assert nbgitpuller_link(HUB, REPO, "main", lesson) == (
        f"{PULL}&urlpath=voila%2Frender%2Fkyodo-course%2Fclassroom%2Flanding.ipynb&branch=main")


def test_the_lesson_list_the_links_open_is_in_the_repository():
    assert (ROOT / links.LANDING_NOTEBOOK).is_file()


def test_every_lesson_of_the_course_has_a_link_to_its_notebook():
    outline = load_outline()
    for lesson in outline.lessons:
        page = query(nbgitpuller_link(HUB, REPO, "main", lesson.id))["urlpath"]
        assert page == f"voila/render/kyodo-course/notebooks/{lesson.notebook}.ipynb"
        assert (ROOT / "notebooks" / f"{lesson.notebook}.ipynb").is_file()


def test_branch_is_always_in_the_link():
    # nbgitpuller would otherwise pull 'master'
    for mode in ("workshop", "lab"):
        assert query(nbgitpuller_link(HUB, REPO, "2026-spring", "case1", mode))["branch"] == "2026-spring"


def test_the_folder_is_nbgitpullers_own_choice_git_suffix_included():
    assert repo_folder("https://github.com/org/kyodo-course.git") == "kyodo-course.git"
    assert repo_folder("https://gitlab.city.example.jp/group/sub/kyodo/") == "kyodo"
    assert repo_folder("file:///srv/kyodo-course") == "kyodo-course"
    link = nbgitpuller_link(HUB, "https://github.com/org/kyodo-course.git", "main", "case1")
    assert query(link)["urlpath"] == "voila/render/kyodo-course.git/notebooks/01_case1_greenbird.ipynb"
    assert "targetpath" not in query(link)


def test_a_folder_given_becomes_targetpath_and_the_page_is_inside_it():
    link = nbgitpuller_link(HUB, REPO + ".git", "main", "case2", folder="kyodo-course")
    assert link == (f"{PULL}.git&urlpath=voila%2Frender%2Fkyodo-course%2Fnotebooks%2F02_case2_waon.ipynb"
                    "&branch=main&targetpath=kyodo-course")


@pytest.mark.parametrize("hub, base", [
    ("https://hub.example.jp/", "https://hub.example.jp"),
    ("  https://hub.example.jp  ", "https://hub.example.jp"),
    ("HTTPS://hub.example.jp", "https://hub.example.jp"),
    ("https://hub.example.jp/hub/home", "https://hub.example.jp"),
    ("https://hub.example.jp/hub/login?next=%2Fhub%2F", "https://hub.example.jp"),
    ("https://hub.example.jp/user/k-tanaka/lab/tree/x.ipynb", "https://hub.example.jp"),
    ("https://u.example.ac.jp/jupyter/", "https://u.example.ac.jp/jupyter"),
    ("https://u.example.ac.jp/jupyter/hub/spawn", "https://u.example.ac.jp/jupyter"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
])
def test_the_hub_address_as_copied_from_the_browser(hub, base):
    assert nbgitpuller_link(hub, REPO, "main", "case3").startswith(f"{base}/hub/user-redirect/git-pull?repo=")


@pytest.mark.parametrize("repo", ["https://github.com/org/tree", "https://git.example.jp/src/kyodo-course.git",
                                  "git://git.example.jp/kyodo-course", "file:///srv/git/kyodo-course"])
def test_repositories_named_like_web_pages_or_on_other_schemes_are_accepted(repo):
    assert query(nbgitpuller_link(HUB, repo, "main", "case1"))["repo"] == repo


def test_an_explicit_urlpath_is_used_as_given_without_its_leading_slash():
    assert nbgitpuller_link(HUB, REPO, "main", urlpath="/voila/tree") == f"{PULL}&urlpath=voila%2Ftree&branch=main"


# --- URL encoding -----------------------------------------------------------------------------


def test_every_value_is_encoded_and_reads_back_unchanged():
    repo = "https://git.example.jp/研修/協働講座.git"
    branch = "2026年度&春#1"
    link = nbgitpuller_link(HUB, repo, branch, "case3")
    raw = urlsplit(link).query
    assert re.fullmatch(r"[A-Za-z0-9%=&._~-]+", raw), raw  # nothing unencoded but the separators
    assert raw.count("&") == 2 and raw.count("=") == 3  # the branch's & and # do not split the query
    values = query(link)
    assert values["repo"] == repo
    assert values["branch"] == branch
    # the folder is a path segment of the page: percent-encoded there, then once more in the query
    assert values["urlpath"] == "voila/render/%E5%8D%94%E5%83%8D%E8%AC%9B%E5%BA%A7.git/notebooks/03_case3_compost.ipynb"
    assert unquote(values["urlpath"]) == "voila/render/協働講座.git/notebooks/03_case3_compost.ipynb"


def test_the_exact_encoding_of_a_japanese_repository():
    link = nbgitpuller_link(HUB, "https://git.example.jp/講座.git", "main", "intro", "lab")
    assert link == ("https://hub.example.jp/hub/user-redirect/git-pull"
                    "?repo=https%3A%2F%2Fgit.example.jp%2F%E8%AC%9B%E5%BA%A7.git"
                    "&urlpath=lab%2Ftree%2F%25E8%25AC%259B%25E5%25BA%25A7.git%2Fnotebooks%2F00_introduction.ipynb"
                    "&branch=main")


# --- refusals ---------------------------------------------------------------------------------

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def refused(*args, **kwargs) -> str:
    with pytest.raises(ValueError) as err:
        nbgitpuller_link(*args, **kwargs)
    message = str(err.value)
    assert JAPANESE.search(message), message
    return message


@pytest.mark.parametrize("hub, words", [
    ("hub.example.jp", "https://"),
    ("hub.example.jp:8000", "https://"),
    ("", "ハブのアドレスを"),
    ("   ", "ハブのアドレスを"),
    ("ftp://hub.example.jp", "https://"),
    ("javascript://alert(1)", "https://"),
    ("https://", "サーバーの名前"),
    ("https://hub.example.jp/my hub", "空白"),
    ("https://hub.example.jp/研修\u3000室", "空白"),
    ("https://hub.example.jp/\nhub", "制御文字"),
    ("https://hub.example.jp/\u200bx", "制御文字"),
    ("https://hub.example.jp/?next=x", "?"),
    ("https://hub.example.jp/#top", "#"),
])
def test_a_bad_hub_address_is_refused(hub, words):
    assert words in refused(hub, REPO, "main", "case3")


@pytest.mark.parametrize("repo, words", [
    ("github.com/org/kyodo-course", "https://"),
    ("git@github.com:org/kyodo-course.git", "SSH"),
    ("ssh://git@github.com/org/kyodo-course.git", "https"),
    ("https://github.com/org/kyodo course", "空白"),
    ("https://github.com/org/kyodo-course/tree/main", "ブランチは別に"),
    ("https://gitlab.example.jp/group/sub/kyodo-course/-/tree/main", "ブランチは別に"),
    ("https://git.example.jp/org/kyodo-course/src/branch/main", "ブランチは別に"),
    ("https://github.com/org/kyodo-course/blob/main/README.md", "ブランチは別に"),
    ("https://github.com/org/kyodo-course?tab=readme", "ブランチは別に"),
    ("https://github.com/", "リポジトリの名前"),
    ("", "リポジトリのアドレスを"),
])
def test_a_bad_repository_address_is_refused(repo, words):
    assert words in refused(HUB, repo, "main", "case3")


@pytest.mark.parametrize("branch, words", [
    ("", "master"),
    ("  ", "master"),
    ("main branch", "空白"),
    ("main..x", "ブランチ名"),
    ("-main", "ブランチ名"),
    ("feature/", "ブランチ名"),
    ("main.lock", "ブランチ名"),
    ("a:b", "ブランチ名"),
    ("a@{1}", "ブランチ名"),
])
def test_a_blank_or_bad_branch_is_refused(branch, words):
    assert words in refused(HUB, REPO, branch, "case3")


def test_an_unknown_lesson_is_refused_with_the_lessons_of_the_course():
    message = refused(HUB, REPO, "main", "case9")
    assert "'case9'" in message
    for lesson in load_outline().lessons:
        assert lesson.id in message
    assert "index" in message


def test_an_unknown_mode_is_refused():
    message = refused(HUB, REPO, "main", "case3", "voila")
    assert "workshop" in message and "lab" in message


@pytest.mark.parametrize("urlpath", ["../etc/passwd", "voila/render/../../x", "//evil.example/x",
                                     "https://evil.example/", "voila tree", ""])
def test_a_page_path_that_leaves_the_server_is_refused(urlpath):
    refused(HUB, REPO, "main", urlpath=urlpath)


@pytest.mark.parametrize("folder", ["a/b", "..", ".", "my course", ""])
def test_a_bad_folder_is_refused(folder):
    refused(HUB, REPO, "main", "case3", folder=folder)


def test_a_lesson_and_a_page_together_are_refused():
    assert "どちらか一つ" in refused(HUB, REPO, "main", "case3", urlpath="voila/tree")


# --- every lesson at once ---------------------------------------------------------------------


def test_all_links_list_the_landing_page_then_the_lessons_in_course_order_with_titles():
    items = course_links(HUB, REPO, "main", "lab")
    outline = load_outline()
    assert [item.id for item in items] == ["index", *(lesson.id for lesson in outline.lessons)]
    titles = {item.id: item.title for item in items}
    assert titles["case3"] == "CASE3 大学と行政: 生ごみリサイクル連携事業"
    assert all(query(item.url)["urlpath"].startswith("lab/tree/kyodo-course/") for item in items)


# --- the command ------------------------------------------------------------------------------


def test_the_command_prints_the_link(capsys):
    assert main(["--hub", HUB, "--repo", REPO, "--branch", "main", "--lesson", "case3"]) == 0
    out = capsys.readouterr().out
    assert out == nbgitpuller_link(HUB, REPO, "main", "case3") + "\n"


def test_the_command_refuses_with_the_message_and_exit_status_2(capsys):
    assert main(["--hub", HUB, "--repo", REPO, "--lesson", "case3"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "リンクを作れませんでした" in captured.err and "master" in captured.err


def test_the_command_with_all_prints_a_title_line_and_a_link_per_lesson(capsys):
    assert main(["--hub", HUB, "--repo", REPO, "--branch", "main", "--all", "--folder", "kyodo-course"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 * (len(load_outline().lessons) + 1)
    assert lines[0].startswith("# index: ")
    assert all(line.startswith(HUB + "/hub/user-redirect/git-pull?") for line in lines[1::2])


def run_make(**values: str) -> subprocess.CompletedProcess[str]:
    # -o venv: use the environment as it is (no install from a test)
    args = ["make", "-s", "-o", "venv", "classroom-link", *(f"{key}={value}" for key, value in values.items())]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONWARNINGS": ""})


@pytest.mark.skipif(sys.platform == "win32", reason="make and bash")
def test_make_classroom_link_prints_the_link():
    done = run_make(HUB=HUB, REPO=REPO, BRANCH="main", LESSON="case3", MODE="lab")
    assert done.returncode == 0, done.stderr
    assert done.stdout == nbgitpuller_link(HUB, REPO, "main", "case3", "lab") + "\n"


@pytest.mark.skipif(sys.platform == "win32", reason="make and bash")
def test_make_classroom_link_refuses_and_runs_nothing_from_the_values(tmp_path):
    marker = tmp_path / "ran"
    done = run_make(HUB=f'https://hub.example.jp"; touch {marker}; echo "', REPO=REPO, BRANCH="main")
    assert done.returncode != 0
    assert "空白" in done.stderr
    assert not marker.exists()
    done = run_make(HUB=HUB, REPO=REPO)
    assert done.returncode != 0 and "master" in done.stderr


def test_the_link_shown_in_classroom_readme_is_the_one_the_command_makes():
    readme = (ROOT / "classroom" / "README.md").read_text(encoding="utf-8")
    assert "--branch main --lesson case3 --mode workshop" in readme
    shown = nbgitpuller_link("https://hub.example.ac.jp", "https://github.com/example-city/kyodo-course", "main",
                             "case3", "workshop")
    assert f"\n{shown}\n" in readme
