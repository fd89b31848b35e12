"""requirements.txt (pip) and environment.yml (conda, Binder) must list the same
packages at the same versions, so every reader of the course gets the
environment that was tested.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]

# conda-forge packages whose PyPI name differs.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
# conda entries that are not Python packages from requirements.txt.
CONDA_ONLY = {"python", "pip"}


def normalise(name: str) -> str:
    """One spelling per package: lower case, runs of - _ . become one - (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pin(spec: str, separator: str) -> tuple[str, str]:
    """'Name==1.2' -> ('name', '1.2'); fails if the line is not pinned exactly."""
    name, sep, version = spec.partition(separator)
    assert sep and version.strip(), f"not pinned with {separator!r}: {spec!r}"
    return normalise(name.strip()), version.strip()


def pip_pins(path: Path = ROOT / "requirements.txt") -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = parse_pin(line, "==")
            assert name not in pins, f"{name} is listed twice in {path.name}"
            pins[name] = version
    return pins


def conda_pins(path: Path = ROOT / "environment.yml") -> dict[str, str]:
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    pins = {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):  # the pip: section
            specs = [s for s in entry["pip"] if not s.startswith("-")]  # skip `-e .`
        else:
            if normalise(re.split(r"[=<>]", entry)[0]) in CONDA_ONLY:
                continue
            specs = [entry]
        for spec in specs:
            name, version = parse_pin(spec, "==")
            name = CONDA_TO_PYPI.get(name, name)
            assert name not in pins, f"{name} is listed twice in {path.name}"
            pins[name] = version
    return pins


def test_names_are_normalised() -> None:
    assert normalise("JupyterLab_Language-Pack.ja-JP") == "jupyterlab-language-pack-ja-jp"
    assert normalise("PyYAML") == normalise("pyyaml")


def test_parsers_read_both_files() -> None:
    pip, conda = pip_pins(), conda_pins()
    assert pip["jupyter-book"] == "1.0.4.post1"
    assert conda["matplotlib"] == pip["matplotlib"]  # matplotlib-base in environment.yml
    assert "python" not in conda and "pip" not in conda


def test_same_packages_in_both_files() -> None:
    pip, conda = pip_pins(), conda_pins()
    only_pip = sorted(set(pip) - set(conda))
    only_conda = sorted(set(conda) - set(pip))
    assert only_pip == [], f"in requirements.txt but not in environment.yml: {only_pip}"
    assert only_conda == [], f"in environment.yml but not in requirements.txt: {only_conda}"


def test_same_versions_in_both_files() -> None:
    pip, conda = pip_pins(), conda_pins()
    different = {
        name: f"requirements.txt {pip[name]}, environment.yml {conda[name]}"
        for name in sorted(set(pip) & set(conda))
        if pip[name] != conda[name]
    }
    assert different == {}, f"versions differ: {different}"


def test_python_version_is_one_the_package_accepts() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pythons = [e for e in env["dependencies"] if isinstance(e, str) and e.startswith("python=")]
    assert len(pythons) == 1, f"environment.yml should pin Python once: {pythons}"
    version = pythons[0].removeprefix("python=")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert SpecifierSet(project["requires-python"]).contains(version)
