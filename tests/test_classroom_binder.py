"""Binder / repo2docker files at the repository root: apt.txt and postBuild (run here in a scratch prefix)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
POST_BUILD = ROOT / "postBuild"
APT = ROOT / "apt.txt"
OVERRIDES = ROOT / ".jupyter" / "lab" / "settings" / "overrides.json"
MYST = "kyodo.workshop.MystForVoila"
EXPECTED = {  # what postBuild writes, relative to the prefix
    "share/jupyter/lab/settings/overrides.json",
    "etc/jupyter/jupyter_server_config.d/voila.json",
    "etc/jupyter/jupyter_server_config.json",
}
APT_NAME = re.compile(r"^[a-z0-9.+-]+$")
"""What repo2docker accepts as a line of apt.txt (it refuses anything else)."""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="postBuild is a bash script")


def apt_packages() -> list[str]:
    names = []
    for line in APT.read_text(encoding="utf-8").splitlines():
        name = line.partition("#")[0].strip()
        if name:
            names.append(name)
    return names


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file() or path.is_symlink()}


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A scratch folder with an empty prefix, a home and a temp folder.

    Made with mkdtemp and opened to other users, so the run as ``nobody`` can reach it. With no
    ``prefix/bin/python``, postBuild merges its JSON with python3 and skips its import check.
    """
    folder = Path(tempfile.mkdtemp(prefix="kyodo-postbuild-"))
    try:
        for name in ("prefix", "home", "tmp"):
            (folder / name).mkdir(parents=True)
        for path in (folder, *folder.rglob("*")):
            path.chmod(0o777 if path.is_dir() else path.stat().st_mode | 0o444)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def server_python(prefix: Path, *options: str) -> None:
    """``prefix/bin/python``: this environment's Python (with voila and kyodo), as in the image."""
    python = prefix / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" {" ".join(options)} "$@"\n', encoding="utf-8")
    python.chmod(0o755)


def run_post_build(scratch: Path, *, prefix_var: str = "NB_PYTHON_PREFIX", prefix: Path | None = None,
                   **kwargs) -> subprocess.CompletedProcess[str]:
    """Run postBuild with bash, in an environment that names only the scratch folder (and PATH)."""
    env = {
        "PATH": os.defpath,
        "HOME": str(scratch / "home"),
        "TMPDIR": str(scratch / "tmp"),
        "MPLCONFIGDIR": str(scratch / "home" / ".config" / "matplotlib"),
        "KYODO_WORKSPACE": str(scratch / "home" / "kyodo-workspace"),
        "LANG": "C.UTF-8",
    }
    if prefix_var:
        env[prefix_var] = str(prefix if prefix is not None else scratch / "prefix")
    return subprocess.run(["bash", str(POST_BUILD)], cwd=scratch / "home", env=env, capture_output=True,
                          text=True, timeout=120, **kwargs)


# --- the files ----------------------------------------------------------------------------------


def test_repo2docker_reads_the_root_no_binder_folder_hides_it():
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), f"{folder}/ would make repo2docker ignore the files at the root"
    for name in ("environment.yml", "apt.txt", "postBuild"):
        assert (ROOT / name).is_file()


def test_environment_yml_brings_voila_and_the_course_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(entry["pip"] for entry in env["dependencies"] if isinstance(entry, dict))
    names = {re.split(r"[=<>]", spec)[0] for spec in pip}
    assert {"voila", "jupyterlab-language-pack-ja-jp", "nbgitpuller", "-e ."} <= names


def test_post_build_is_an_executable_bash_script_that_stops_at_the_first_error():
    lines = POST_BUILD.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    commands = [line for line in lines[1:] if line.strip() and not line.lstrip().startswith("#")]
    assert commands[0] == "set -euo pipefail"
    assert POST_BUILD.stat().st_mode & stat.S_IXUSR
    subprocess.run(["bash", "-n", str(POST_BUILD)], check=True)


def test_post_build_needs_no_root():
    text = POST_BUILD.read_text(encoding="utf-8")
    assert not re.search(r"\b(sudo|apt-get|apt|chown|useradd)\b", text)


# --- postBuild in a scratch prefix --------------------------------------------------------------


def test_post_build_puts_the_settings_in_the_prefix_and_writes_nothing_else(scratch):
    server_python(scratch / "prefix")
    before_home = files_under(scratch / "home")
    done = run_post_build(scratch)
    assert done.returncode == 0, done.stderr
    prefix = scratch / "prefix"
    assert files_under(prefix) == EXPECTED | {"bin/python"}
    settings = prefix / "share/jupyter/lab/settings/overrides.json"
    assert settings.read_bytes() == OVERRIDES.read_bytes()
    assert json.loads(settings.read_text(encoding="utf-8"))["@jupyterlab/translation-extension:plugin"] == {
        "locale": "ja_JP"}
    extension = json.loads((prefix / "etc/jupyter/jupyter_server_config.d/voila.json").read_text(encoding="utf-8"))
    assert extension == {"ServerApp": {"jpserver_extensions": {"voila.server_extension": True}}}
    config = json.loads((prefix / "etc/jupyter/jupyter_server_config.json").read_text(encoding="utf-8"))
    assert config == {"VoilaExporter": {"preprocessors": [MYST], "language_code": "ja"}}
    # the home only gets what importing the course writes (matplotlib's font cache), no settings
    assert not {name for name in files_under(scratch / "home") - before_home
                if not name.startswith(".config/matplotlib/")}
    assert files_under(scratch / "tmp") == set()
    assert "Voilà" in done.stdout


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="running as another user needs root")
def test_post_build_as_an_ordinary_user_who_can_write_only_the_scratch_folder(scratch):
    # repo2docker runs postBuild without root; here as 'nobody', who can write nowhere outside the
    # scratch folder (and the system's temp folders), so any other write fails the script.
    # This environment's Python may sit where 'nobody' cannot go: the prefix has none, and the
    # script merges its JSON with the system's python3.
    system_python = shutil.which("python3", path=os.defpath)
    if system_python is None or subprocess.run([system_python, "-c", ""], user=65534, group=65534,
                                               extra_groups=[], capture_output=True).returncode != 0:
        pytest.skip("no python3 on the default PATH that the user 'nobody' can run")
    for path in (scratch, *scratch.rglob("*")):
        os.chown(path, 65534, 65534, follow_symlinks=False)
    done = run_post_build(scratch, user=65534, group=65534, extra_groups=[])
    assert done.returncode == 0, done.stderr
    assert files_under(scratch / "prefix") == EXPECTED


def test_the_voila_setting_loads_as_the_server_loads_it_and_names_the_preprocessor(scratch):
    from nbconvert.preprocessors import Preprocessor
    from traitlets.config.loader import JSONFileConfigLoader
    from traitlets.utils.importstring import import_item

    assert run_post_build(scratch).returncode == 0
    config = JSONFileConfigLoader("jupyter_server_config.json", str(scratch / "prefix/etc/jupyter")).load_config()
    names = config.VoilaExporter.preprocessors
    assert names == [MYST]
    assert config.VoilaExporter.language_code == "ja"
    assert issubclass(import_item(names[0]), Preprocessor)


def test_post_build_keeps_other_settings_and_can_run_twice(scratch):
    config_dir = scratch / "prefix/etc/jupyter"
    (config_dir / "jupyter_server_config.d").mkdir(parents=True)
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"terminals_enabled": False},
                    "VoilaExporter": {"preprocessors": ["x.Y"], "language_code": "ja-JP"}}),
        encoding="utf-8")
    own_voila = '{"ServerApp": {"jpserver_extensions": {"voila.server_extension": true}}, "note": "pip"}\n'
    (config_dir / "jupyter_server_config.d/voila.json").write_text(own_voila, encoding="utf-8")
    for _ in range(2):
        done = run_post_build(scratch)
        assert done.returncode == 0, done.stderr
    config = json.loads((config_dir / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"terminals_enabled": False},
                      "VoilaExporter": {"preprocessors": ["x.Y", MYST], "language_code": "ja-JP"}}
    assert (config_dir / "jupyter_server_config.d/voila.json").read_text(encoding="utf-8") == own_voila


def test_post_build_takes_conda_dir_when_the_prefix_is_not_named(scratch):
    notebook_env = scratch / "conda" / "envs" / "notebook"
    notebook_env.mkdir(parents=True)
    done = run_post_build(scratch, prefix_var="CONDA_DIR", prefix=scratch / "conda")
    assert done.returncode == 0, done.stderr
    assert files_under(notebook_env) == EXPECTED


def test_post_build_without_a_prefix_stops_with_a_message_and_writes_nothing(scratch):
    done = run_post_build(scratch, prefix_var="")
    assert done.returncode != 0
    assert "NB_PYTHON_PREFIX" in done.stderr and "設定されていません" in done.stderr
    assert files_under(scratch / "prefix") == set()


def test_post_build_with_a_missing_prefix_folder_stops(scratch):
    done = run_post_build(scratch, prefix=scratch / "nowhere")
    assert done.returncode != 0 and "ありません" in done.stderr
    assert not (scratch / "nowhere").exists()


def test_post_build_stops_when_the_servers_python_lacks_voila(scratch):
    server_python(scratch / "prefix", "-I", "-S")  # no site-packages: no voila, no kyodo
    done = run_post_build(scratch)
    assert done.returncode != 0
    assert "voila" in done.stderr and "environment.yml" in done.stderr


# --- apt.txt ------------------------------------------------------------------------------------


def test_apt_txt_lists_the_japanese_fonts_in_names_repo2docker_accepts():
    names = apt_packages()
    assert {"fonts-ipaexfont-gothic", "fonts-noto-cjk"} <= set(names)
    assert len(names) == len(set(names))
    for name in names:
        assert APT_NAME.match(name), name


def test_apt_txt_names_packages_that_exist_in_debian():
    if shutil.which("apt-cache") is None:
        pytest.skip("apt-cache is not on this machine: the package names cannot be looked up")
    known = subprocess.run(["apt-cache", "show", "bash"], capture_output=True, text=True)
    if known.returncode != 0:
        pytest.skip("apt-cache has no package lists here (apt-get update was not run): nothing to look up in")
    found = subprocess.run(["apt-cache", "show", "--no-all-versions", *apt_packages()], capture_output=True,
                           text=True)
    for name in apt_packages():
        assert re.search(rf"^Package: {re.escape(name)}$", found.stdout, re.M), f"{name} is not a Debian package"
