"""Workshop mode (Voilà): lesson text without MyST markup, links between lessons that open in Voilà."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from kyodo.workshop import MystForVoila, Target, convert, labels

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TARGETS = {
    "case3": Target("03_case3_compost.ipynb", "CASE3 大学と行政"),
    "case3-ex1": Target("03_case3_compost.ipynb", "演習1 物と情報の流れを描く"),
    "facilitator-rubric": Target(None, "デザインシートの評価基準"),
}


def test_a_label_becomes_an_anchor():
    assert convert("(case3-ex1)=\n## 演習1", "x.ipynb", TARGETS) == '<a id="case3-ex1"></a>\n## 演習1'


def test_refs_link_to_the_lesson_in_voila_or_to_the_place_in_this_one():
    text = convert("{ref}`case3` と {ref}`この演習 <case3-ex1>`", "01_case1_greenbird.ipynb", TARGETS)
    assert text == ("[CASE3 大学と行政](03_case3_compost.ipynb#case3) と "
                    "[この演習](03_case3_compost.ipynb#case3-ex1)")
    assert convert("{ref}`case3-ex1`", "03_case3_compost.ipynb", TARGETS) == "[演習1 物と情報の流れを描く](#case3-ex1)"


def test_a_website_only_label_is_its_title_and_an_unknown_one_its_words():
    assert convert("{ref}`facilitator-rubric`", "x.ipynb", TARGETS) == "デザインシートの評価基準"
    assert convert("{ref}`ここ <nowhere>`", "x.ipynb", TARGETS) == "ここ"


def test_admonitions_become_boxes_with_their_title_and_body():
    source = "前\n\n```{admonition} 考えてみよう\n:class: tip\n本文の**強調**\n```\n\n後"
    text = convert(source, "x.ipynb", TARGETS)
    assert "```" not in text and ":class:" not in text
    assert '<div role="note"' in text and "**考えてみよう**" in text and "本文の**強調**" in text
    assert text.startswith("前") and text.endswith("後")
    note = convert("```{note}\nメモの本文\n```", "x.ipynb", TARGETS)
    assert "**メモ**" in note and "メモの本文" in note


def test_titles_are_escaped():
    text = convert("```{admonition} <script>x</script>\n本文\n```", "x.ipynb", TARGETS)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_every_label_the_lessons_refer_to_is_known():
    targets = labels(NOTEBOOKS, ROOT / "book")
    refs = set()
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                refs |= {(m.group(2) or m.group(1)).strip() for m in re.finditer(r"\{ref\}`([^`<]*?)\s*(?:<([^`>]+)>)?`",
                                                                                cell.source)}
    assert refs and refs <= set(targets), refs - set(targets)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_myst_markup_reaches_the_rendered_lesson(path: Path):
    exporter = HTMLExporter(exclude_input=True, exclude_output=True)
    exporter.register_preprocessor(MystForVoila, enabled=True)
    nb = nbformat.read(path, as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(NOTEBOOKS), "name": path.stem}})
    text = re.sub(r"<[^>]+>", " ", body)
    for raw in ("{ref}", "{note}", "{admonition}", "{important}", ":class:"):
        assert raw not in text, raw
    assert not re.search(r"^\s*\([a-z0-9_-]+\)=\s*$", text, re.M)
    assert not re.search(r"<code>\{", body)
