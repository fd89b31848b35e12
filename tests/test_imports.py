"""A lesson starts without loading what it does not show (issue 15).

Each check runs in a fresh interpreter, so that what other tests imported does not hide a
regression: ``import kyodo`` loads none of pandas, matplotlib or networkx, and a lesson whose
cells show no figure (objectives, a case card, choice exercises, a flow map before it is
checked, a note, the self-check) does not load matplotlib or networkx either. The first figure
loads matplotlib, with the course style applied.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "matplotlib", "networkx")
ROOT = Path(__file__).resolve().parents[1]


def loaded_after(code: str, tmp_path: Path) -> dict[str, bool]:
    """Which of :data:`HEAVY` (and pydantic, ipywidgets) are in ``sys.modules`` after ``code``, in a fresh interpreter."""
    probe = code + "\nimport json, sys\nprint(json.dumps({m: m in sys.modules for m in "
    probe += repr((*HEAVY, "pydantic", "ipywidgets")) + "}))"
    env = {**os.environ, "KYODO_WORKSPACE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env,
                         cwd=ROOT / "notebooks", timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_kyodo_loads_no_heavy_library(tmp_path):
    loaded = loaded_after("import kyodo", tmp_path)
    assert not any(loaded[m] for m in HEAVY), loaded
    assert not loaded["pydantic"] and not loaded["ipywidgets"], loaded


def test_a_lesson_without_figures_loads_neither_matplotlib_nor_networkx(tmp_path):
    cells = """
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    import kyodo
    from kyodo import design
    kyodo.objectives("case3", only="objectives")
    kyodo.reading_note()
    kyodo.show_case("case3")
    kyodo.exercise("case3-ex1")
    kyodo.solution("case3-ex1")
    kyodo.exercise("case3-ex2")
    kyodo.exercise("case4-ex2")
    kyodo.exercise("case5-ex3")
    kyodo.health_check()
    kyodo.note("case3/reflection", "メモ")
    kyodo.self_check("case3")
    kyodo.key_points("case3")
    design.summary()
"""
    loaded = loaded_after(cells, tmp_path)
    assert loaded["ipywidgets"] and loaded["pydantic"], loaded  # the probe really built the widgets
    assert not any(loaded[m] for m in HEAVY), loaded


def test_the_first_figure_loads_matplotlib_with_the_course_style(tmp_path):
    code = """
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    import kyodo.style
    assert "matplotlib" not in __import__("sys").modules
    from kyodo.charts import bar_chart
    bar_chart(["あ", "い"], [1, 2], "題", "数")
    import matplotlib
    assert matplotlib.rcParams["font.family"][0] == "IPAexGothic", matplotlib.rcParams["font.family"]
    assert matplotlib.rcParams["text.parse_math"] is False
"""
    assert loaded_after(code, tmp_path)["matplotlib"]


def test_importing_the_style_after_matplotlib_applies_it_at_once(tmp_path):
    code = """
import matplotlib
import kyodo.style
assert matplotlib.rcParams["font.family"][0] == "IPAexGothic", matplotlib.rcParams["font.family"]
"""
    assert loaded_after(code, tmp_path)["matplotlib"]
