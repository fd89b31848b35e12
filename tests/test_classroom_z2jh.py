"""The zero-to-jupyterhub config.yaml: YAML that parses, keys the chart documents, values that fit the course."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kyodo.classroom import links

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "classroom" / "z2jh" / "config.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "z2jh"
SHARED = ROOT.parent / "shared" / "z2jh"
"""Where the team keeps the chart's schema beside the project (absent in a fresh clone)."""
FOLDER = "kyodo-course"
"""The clone's folder in the learner's home (the postStart command's last argument)."""


def load_config() -> dict[str, Any]:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return yaml.safe_load((FIXTURE / "values.schema.yaml").read_text(encoding="utf-8"))


def _ignore(validator, value, instance, schema) -> Iterator[jsonschema.ValidationError]:
    return iter(())


ChartValues = jsonschema.validators.extend(jsonschema.Draft7Validator, {"required": _ignore})
"""The chart's schema as it applies to a values file: helm merges the file over the chart's own defaults,
so the keys the schema requires (``hub``, ``proxy`` …) come from those defaults; every other rule holds."""


def errors(config: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in ChartValues(schema).iter_errors(config)]


# --- YAML and the chart's schema ----------------------------------------------------------------


def test_config_yaml_parses_to_a_mapping():
    config = load_config()
    assert isinstance(config, dict)
    assert set(config) == {"hub", "singleuser", "cull"}


def test_the_vendored_schema_is_a_valid_schema_with_its_licence(schema):
    jsonschema.Draft7Validator.check_schema(schema)
    licence = (FIXTURE / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("BSD 3-Clause License")
    assert "Copyright (c) 2017, Project Jupyter Contributors" in licence
    assert "values.schema.yaml" in (FIXTURE / "README.md").read_text(encoding="utf-8")


def test_the_vendored_schema_is_the_teams_copy():
    if not (SHARED / "values.schema.yaml").is_file():
        pytest.skip("../shared/z2jh is not beside this checkout (only on the team's machines and in CI)")
    for name in ("values.schema.yaml", "LICENSE"):
        assert (FIXTURE / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_every_key_is_one_the_chart_documents(schema):
    assert errors(load_config(), schema) == []


@pytest.mark.parametrize("path, wrong", [
    (("singleuser", "defaultUrl"), "defaultURL"),
    (("singleuser", "storage", "homeMountPath"), "homeMountpath"),
    (("singleuser", "lifecycleHooks"), "lifecycleHook"),
    (("singleuser", "extraEnv"), "extraENV"),
    (("cull", "timeout"), "timout"),
    (("hub", "config"), "configs"),
    (("singleuser",), "singleUser"),
])
def test_a_misspelt_key_fails_validation(schema, path, wrong):
    config = copy.deepcopy(load_config())
    parent = config
    for key in path[:-1]:
        parent = parent[key]
    parent[wrong] = parent.pop(path[-1])
    found = errors(config, schema)
    assert found and any(repr(wrong) in error and "not allowed" in error for error in found), found


@pytest.mark.parametrize("path, value", [
    (("cull", "timeout"), "1h"),
    (("singleuser", "storage", "type"), "per-user"),
    (("singleuser", "image", "tag"), 1),
    (("hub", "config", "authenticator"), {"x": 1}),  # hub.config takes class names only
])
def test_a_wrong_value_fails_validation(schema, path, value):
    config = copy.deepcopy(load_config())
    parent = config
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    assert errors(config, schema)


def test_the_schema_itself_still_requires_what_the_chart_defaults_give(schema):
    # the strict validator (with 'required') refuses a values file alone: why ChartValues ignores it
    assert list(jsonschema.Draft7Validator(schema).iter_errors(load_config()))


# --- the course in the configuration ------------------------------------------------------------


def test_the_image_is_built_by_repo2docker_as_documented():
    text = CONFIG.read_text(encoding="utf-8")
    command = " ".join(line.strip("# \\").strip() for line in text.splitlines() if "repo2docker" in line
                       or line.lstrip("# ").startswith("--"))
    for part in ("jupyter-repo2docker --no-run", "--image-name <registry>/kyodo-course:<タグ>",
                 "--target-repo-dir /srv/kyodo", "--user-id 1000"):
        assert part in command, part
    image = load_config()["singleuser"]["image"]
    assert image["name"].endswith("/kyodo-course")
    assert isinstance(image["tag"], str) and image["tag"] and image["tag"] != "latest"


def test_workshop_opens_the_lesson_list_in_voila_and_lab_is_the_commented_alternative():
    single = load_config()["singleuser"]
    assert single["defaultUrl"] == "/" + links.page_path(FOLDER, links.LANDING_NOTEBOOK, "workshop")
    assert single["defaultUrl"] == "/voila/render/kyodo-course/classroom/landing.ipynb"
    assert (ROOT / links.LANDING_NOTEBOOK).is_file()
    commented = re.findall(r"^\s*#\s*defaultUrl:\s*(\S+)\s*$", CONFIG.read_text(encoding="utf-8"), re.M)
    assert commented == ["/" + links.page_path(FOLDER, links.LANDING_NOTEBOOK, "lab")]
    env = single["extraEnv"]
    assert (env["KYODO_CLASSROOM_MODE"], env["KYODO_READING"]) == ("workshop", "voila")


def test_content_is_pulled_by_gitpuller_into_the_folder_the_pages_open():
    single = load_config()["singleuser"]
    command = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert isinstance(command, list) and len(command) == 4 and command[0] == "gitpuller"
    _, repo, branch, target = command
    links.check_repo(repo)
    links.check_branch(branch)
    home = single["storage"]["homeMountPath"]
    # absolute: the hook runs in the image's working folder (/srv/kyodo), not in the home
    assert target == f"{home}/{FOLDER}"
    assert single["defaultUrl"].split("/")[3] == FOLDER


def test_each_learner_has_a_volume_with_the_workspace_inside_it():
    single = load_config()["singleuser"]
    storage = single["storage"]
    assert storage["type"] == "dynamic"
    assert storage["homeMountPath"] == "/home/jovyan"
    assert "ReadWriteOnce" in storage["dynamic"]["storageAccessModes"]
    env = single["extraEnv"]
    assert env["KYODO_WORKSPACE"].startswith(storage["homeMountPath"] + "/")
    assert env["KYODO_DATA"] == "/srv/kyodo/data"  # the image's copy: --target-repo-dir /srv/kyodo
    assert env["KYODO_LEARNER"] == "$(JUPYTERHUB_USER)"
    assert load_config()["hub"]["config"]["Spawner"]["notebook_dir"] == storage["homeMountPath"]


def test_idle_servers_are_culled_and_users_kept():
    cull = load_config()["cull"]
    assert cull["enabled"] is True
    assert 600 <= cull["timeout"] <= 4 * 3600
    assert 0 < cull["every"] < cull["timeout"]
    assert cull["users"] is False


def test_nobody_gets_in_until_the_city_chooses_an_authenticator():
    hub_config = load_config()["hub"]["config"]
    # the chart's default test authenticator lets any password in when allow_all is left to it
    assert hub_config["Authenticator"]["allow_all"] is False
    assert hub_config["Authenticator"]["admin_users"] == []
    assert "authenticator_class" not in (hub_config.get("JupyterHub") or {})  # left to the city
    assert re.search(r"^\s*#\s*authenticator_class: azuread$", CONFIG.read_text(encoding="utf-8"), re.M)


def test_hub_config_names_settings_that_jupyterhub_has():
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import Spawner

    classes = {"JupyterHub": JupyterHub, "Authenticator": Authenticator, "Spawner": Spawner}
    for name, settings in load_config()["hub"]["config"].items():
        assert name in classes, f"{name}: not a class this test can check"
        traits = classes[name].class_traits(config=True)
        for key in settings or {}:
            assert key in traits, f"{name}.{key} is not a JupyterHub setting"


def test_no_secret_is_written_in_the_file():
    def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}")
        else:
            yield path, node

    for path, value in walk(load_config()):
        if re.search(r"password|secret|token|cookie", path, re.I):
            assert not value, path


def test_the_image_has_what_the_configuration_runs():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(entry["pip"] for entry in env["dependencies"] if isinstance(entry, dict))
    names = {re.split(r"[=<>]", spec)[0] for spec in pip}
    assert {"jupyterhub", "nbgitpuller", "voila", "-e ."} <= names  # jupyterhub-singleuser, gitpuller, Voilà, kyodo
    assert "git" in (ROOT / "apt.txt").read_text(encoding="utf-8").split()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not on this machine")
def test_the_post_start_command_clones_then_updates_without_overwriting_the_learners_change(tmp_path):
    gitpuller = shutil.which("gitpuller") or str(Path(sys.executable).parent / "gitpuller")
    if not Path(gitpuller).exists():
        pytest.skip("nbgitpuller's gitpuller command is not installed")
    upstream = tmp_path / "upstream"
    (upstream / "notebooks").mkdir(parents=True)
    (upstream / "notebooks" / "01.ipynb").write_text("v1\n", encoding="utf-8")

    def git(*args: str, cwd: Path = upstream) -> None:
        subprocess.run(["git", "-c", "user.email=t@example.jp", "-c", "user.name=t", *args], cwd=cwd, check=True,
                       capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-qm", "v1")
    _, _, branch, target = load_config()["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    home = tmp_path / "home"
    clone = home / Path(target).name
    command = [gitpuller, upstream.as_uri(), branch, str(clone)]  # the configured command, local paths
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    home.mkdir()
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=60)
    assert (clone / "notebooks" / "01.ipynb").read_text(encoding="utf-8") == "v1\n"
    (clone / "notebooks" / "01.ipynb").write_text("learner's work\n", encoding="utf-8")
    (upstream / "notebooks" / "01.ipynb").write_text("v2\n", encoding="utf-8")
    (upstream / "notebooks" / "02.ipynb").write_text("new lesson\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "v2")
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=60)
    assert (clone / "notebooks" / "01.ipynb").read_text(encoding="utf-8") == "learner's work\n"
    assert (clone / "notebooks" / "02.ipynb").read_text(encoding="utf-8") == "new lesson\n"
