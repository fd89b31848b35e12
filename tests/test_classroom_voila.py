"""What a learner sees in the classroom: the landing page, the notes that fit where a lesson is read,
and the single-user server's configuration in workshop (Voilà) and lab mode.

No server starts here (see tests/test_classroom_live_voila.py for that).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config.loader import PyFileConfigLoader

import kyodo
from kyodo import cells
from kyodo.classroom import workshop_server
from kyodo.classroom.landing import lesson_entries, lesson_list_html, notebook_title
from kyodo.outline import load_outline
from kyodo.reading import lesson_list_link, place, reading_note_html
from kyodo.workshop import MystForVoila

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LANDING = ROOT / "classroom" / "landing.ipynb"
CONFIG = ROOT / "classroom" / "jupyter_server_config.py"
OUTLINE = load_outline()
LEARNERS = [lesson for lesson in OUTLINE.lessons if lesson.for_learners]
"""The lessons the classroom lists (the facilitators' tools are left out)."""

KINDS = {"09_design_sheet": "sheet", "10_health_check": "diagnosis"}
"""Notebooks whose note is not the exercises' one; every other lesson with exercises uses ``lesson``."""


def html_output(cell: dict) -> str:
    return "".join("".join(o.get("data", {}).get("text/html", [])) for o in cell.get("outputs", []))


def first_heading(stem: str) -> str:
    nb = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    text = "".join(nb["cells"][0]["source"])
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


def shown(cell_call, monkeypatch, *args) -> str:
    seen = []
    monkeypatch.setattr(cells, "display", seen.append)
    assert cell_call(*args) is None
    assert len(seen) == 1
    return seen[0].data


# --- the landing page ---------------------------------------------------------------------------

def test_the_lesson_list_has_every_lesson_in_course_order_with_its_title_minutes_and_link():
    entries = lesson_entries(NOTEBOOKS)
    assert [e.link for e in entries] == [f"{lesson.notebook}.ipynb" for lesson in LEARNERS]
    assert [e.title for e in entries] == [first_heading(lesson.notebook) for lesson in LEARNERS]
    assert [e.part for e in entries] == [lesson.part for lesson in LEARNERS]
    assert [e.minutes for e in entries] == [str(lesson.total) if lesson.total else None for lesson in LEARNERS]
    case3 = entries[[lesson.id for lesson in LEARNERS].index("case3")]
    assert (case3.title, case3.minutes, case3.link) == ("CASE3 大学と行政: 生ごみリサイクル連携事業", "60分",
                                                       "03_case3_compost.ipynb")


def test_the_page_groups_the_lessons_by_part_in_order_and_links_relative_to_itself():
    page = lesson_list_html(NOTEBOOKS, "voila")
    parts = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert parts == list(dict.fromkeys(lesson.part for lesson in LEARNERS))
    links = re.findall(r"<a href='([^']+)'>([^<]+)</a>", page)
    assert [href for href, _ in links] == [f"{lesson.notebook}.ipynb" for lesson in LEARNERS]
    for href, _ in links:  # relative: Voilà serves it beside the page, JupyterLab opens it as a file
        assert "/" not in href and ":" not in href and (NOTEBOOKS / href).is_file()
    sections = re.findall(r"<section aria-label='([^']+)'>(.*?)</section>", page)
    for part, body in sections:
        assert re.findall(r"href='([^']+)'", body) == [f"{lesson.notebook}.ipynb" for lesson in LEARNERS
                                                        if lesson.part == part]
    assert "(めやす 65〜80分)" in page and "(めやす 60分)" in page
    assert "11_class_overview" not in page  # a facilitator's tool


def test_the_greeting_says_how_to_use_the_room_where_it_is_read():
    workshop, lab = lesson_list_html(NOTEBOOKS, "voila"), lesson_list_html(NOTEBOOKS, "lab")
    for page in (workshop, lab):
        assert page.startswith("<div class='kyodo-landing' lang='ja'><h1")
        assert "協働・連携のデザイン講座" in page and "自動で保存" in page and "いつでもこのページに戻って" in page
    assert "下の一覧から回を選んでください。回は新しいタブで開きます。" in workshop and "セルを実行" not in workshop
    assert "すべてのセルを実行" in lab and "JupyterLab" in lab


def test_titles_come_from_the_checkout_when_the_lessons_are_not_beside_the_page(tmp_path):
    assert lesson_entries(tmp_path) == lesson_entries(NOTEBOOKS)


def test_in_a_checkout_of_the_repository_the_page_links_to_the_notebooks_folder(tmp_path):
    """nbgitpuller onto another hub: ``classroom/landing.ipynb`` and the lessons in ``notebooks/``."""
    (tmp_path / "classroom").mkdir()
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    entries = lesson_entries(tmp_path / "classroom")
    assert [e.link for e in entries] == [f"../notebooks/{lesson.notebook}.ipynb" for lesson in LEARNERS]
    assert [e.title for e in entries] == [e.title for e in lesson_entries(NOTEBOOKS)]
    assert [e.link for e in lesson_entries(ROOT / "classroom")][0] == "../notebooks/00_introduction.ipynb"
    # and a lesson's way back to the list
    shutil.copy2(LANDING, tmp_path / "classroom" / "landing.ipynb")
    assert lesson_list_link(tmp_path / "notebooks") == "../classroom/landing.ipynb"
    assert "<a href='../classroom/landing.ipynb'>講座の目次</a>" in reading_note_html("lesson", "voila",
                                                                                  tmp_path / "notebooks")
    room = tmp_path / "kyodo"  # the classroom: the list beside the lessons, even with a checkout nearby
    room.mkdir()
    shutil.copy2(LANDING, room / "index.ipynb")
    assert lesson_list_link(room) == "index.ipynb" and lesson_list_link(tmp_path / "a" / "b") == "index.ipynb"


def test_a_lesson_copied_beside_the_page_gives_its_own_title_and_every_text_is_escaped(tmp_path, data_copy,
                                                                                       monkeypatch):
    evil = "<script>alert('x')</script> & 部"
    course = data_copy / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("part: 事例で学ぶ", f'part: "{evil}"'),
                      encoding="utf-8")
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"(case3)=\n# {evil}\n\n本文")])
    nbformat.write(nb, tmp_path / "03_case3_compost.ipynb")
    page = lesson_list_html(tmp_path, "voila", load_outline(data_copy))
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; 部" in page
    assert page.count("&lt;script&gt;") == 3  # the part's section label and heading, and the CASE3 title
    assert f"<a href='03_case3_compost.ipynb'>{'&lt;script&gt;'}" in page


def test_a_notebook_without_a_title_or_unreadable_gives_none(tmp_path):
    (tmp_path / "a.ipynb").write_text("{not json", encoding="utf-8")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 小見出しだけ")]),
                   tmp_path / "b.ipynb")
    assert notebook_title(tmp_path / "a.ipynb") is None
    assert notebook_title(tmp_path / "b.ipynb") is None
    assert notebook_title(tmp_path / "missing.ipynb") is None


def test_kyodo_lesson_list_shows_the_page_and_a_short_message_for_bad_data(monkeypatch, data_copy):
    monkeypatch.setenv("KYODO_READING", "voila")
    page = shown(kyodo.lesson_list, monkeypatch, str(NOTEBOOKS))
    assert page == lesson_list_html(NOTEBOOKS, "voila")
    (data_copy / "course.yml").write_text("lessons: [", encoding="utf-8")
    monkeypatch.setenv("KYODO_DATA", str(data_copy))
    message = shown(kyodo.lesson_list, monkeypatch, str(NOTEBOOKS))
    assert "role='alert'" in message and "course.yml" in message and "Traceback" not in message


def test_the_landing_notebook_is_one_output_only_cell_and_its_saved_output_is_current():
    nb = json.loads(LANDING.read_text(encoding="utf-8"))
    assert len(nb["cells"]) == 1
    cell = nb["cells"][0]
    assert cell["cell_type"] == "code" and cell["metadata"]["tags"] == ["remove-input"]
    assert "".join(cell["source"]) == "import kyodo\nkyodo.lesson_list()"
    assert nb["metadata"]["title"] == "協働・連携のデザイン講座"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    # lab mode opens ~/kyodo/index.ipynb as saved: JupyterLab's words, the lessons beside the page
    assert html_output(cell) == lesson_list_html(NOTEBOOKS, "lab"), "python -m kyodo.classroom.landing saves it"


# --- the note that fits where a lesson is read ----------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [("website", "website"), ("voila", "voila"), ("lab", "lab"),
                                                 (None, "lab"), ("", "lab"), (" Voila ", "voila"),
                                                 ("binder", "lab")])
def test_the_place_comes_from_kyodo_reading_and_defaults_to_jupyterlab(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("KYODO_READING", raising=False)
    else:
        monkeypatch.setenv("KYODO_READING", value)
    assert place() == expected


def test_the_website_note_keeps_what_the_website_said():
    note = reading_note_html("lesson", "website")
    for words in ("この講座のウェブサイトでは、演習は<strong>はじめの状態</strong>で表示されるだけで、"
                  "ボタンを押しても答えは返りません。",
                  "ノートブックを JupyterLab で開いてセルを実行してください",
                  "各演習の下にある「解答例」を開いて自分の答えと比べ"):
        assert words in note
    assert "書き込みも点検もできません" in reading_note_html("sheet", "website")
    assert "「点検の観点」で自分で確かめましょう" in reading_note_html("sheet", "website")
    assert "答えても結果は出ません" in reading_note_html("diagnosis", "website")
    assert "「結果の読み方」に沿って自分で平均を出してください" in reading_note_html("diagnosis", "website")


@pytest.mark.parametrize("kind", ["lesson", "sheet", "diagnosis"])
def test_each_place_has_its_own_words(kind, tmp_path):
    website, lab, voila = (reading_note_html(kind, where, tmp_path) for where in ("website", "lab", "voila"))
    assert len({website, lab, voila}) == 3
    for note in (website, lab, voila):
        assert note.startswith("<div role='note' class='kyodo-reading-note'") and "<strong>メモ</strong>" in note
    assert "data-place='lab'" in lab and "data-place='voila'" in voila
    # JupyterLab: run the cells (the Japanese menu's words), the work is saved
    assert "「実行」→「すべてのセルを実行」" in lab and "自動で保存" in lab and "ウェブサイト" not in lab
    # the workshop room: nothing to run, the work is saved, the way back to the lesson list
    assert "セル" not in voila and "JupyterLab" not in voila and "自動で保存" in voila
    assert "ほかの回は、<a href='index.ipynb'>講座の目次</a>から開けます。" in voila
    assert "index.ipynb" not in website + lab


def test_kyodo_reading_note_follows_the_environment_and_answers_a_wrong_kind_briefly(monkeypatch):
    monkeypatch.setenv("KYODO_READING", "voila")
    assert shown(kyodo.reading_note, monkeypatch) == reading_note_html("lesson", "voila")
    monkeypatch.setenv("KYODO_READING", "website")
    assert shown(kyodo.reading_note, monkeypatch, "sheet") == reading_note_html("sheet", "website")
    message = shown(kyodo.reading_note, monkeypatch, "<quiz>")
    assert "role='alert'" in message and "&lt;quiz&gt;" in message and "diagnosis" in message


def lesson_notebooks() -> list[Path]:
    return [NOTEBOOKS / f"{lesson.notebook}.ipynb" for lesson in OUTLINE.lessons]


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_every_lesson_says_what_fits_where_it_is_read_in_one_cell(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            assert "この講座のウェブサイトでは" not in "".join(cell["source"]), "a website-only note is left"
    notes = [c for c in nb["cells"] if c["cell_type"] == "code" and "reading_note" in "".join(c["source"])]
    widgets = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
               and re.search(r"kyodo\.(exercise|health_check)\(|design\.step_", "".join(c["source"]))]
    if not widgets:  # the class overview: a facilitator's tool, read in JupyterLab only
        assert not notes
        return
    assert len(notes) == 1
    note = notes[0]
    kind = KINDS.get(path.stem, "lesson")
    assert "".join(note["source"]) == (f'kyodo.reading_note("{kind}")' if kind != "lesson" else "kyodo.reading_note()")
    assert note["metadata"]["tags"] == ["remove-input"]
    assert nb["cells"].index(note) < widgets[0], "the note comes before the first exercise"
    # `make notebooks` runs without KYODO_READING: the saved output (which nbval compares) is JupyterLab's note
    assert html_output(note) == reading_note_html(kind, "lab")


def test_the_book_build_says_it_is_the_website():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    book = makefile.split("\nbook:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"KYODO_READING=website .*\n\t\$\(VENV\)/bin/jupyter-book build", book)
    notebooks = makefile.split("\nnotebooks:", 1)[1].split("\n\n", 1)[0]
    assert "KYODO_READING" not in notebooks  # the saved outputs are JupyterLab's


# --- the single-user server's configuration -------------------------------------------------------

def load_config(monkeypatch, mode: str | None, **env: str):
    if mode is None:
        monkeypatch.delenv("KYODO_CLASSROOM_MODE", raising=False)
    else:
        monkeypatch.setenv("KYODO_CLASSROOM_MODE", mode)
    monkeypatch.delenv("KYODO_KERNEL_IDLE_MINUTES", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


def extensions(config) -> dict[str, bool]:
    """The server extensions the file switches on or off (it updates the list, never replaces it)."""
    value = config.ServerApp.jpserver_extensions
    return value.to_dict()["update"]


@pytest.mark.parametrize("mode", [None, "workshop", "WORKSHOP", "nonsense"])
def test_workshop_mode_is_the_default_and_shows_only_voila(monkeypatch, mode):
    config = load_config(monkeypatch, mode)
    assert config.ServerApp.default_url == "/voila/render/kyodo/index.ipynb"
    enabled = extensions(config)
    assert enabled["voila.server_extension"] and enabled["nbgitpuller"]
    assert enabled["kyodo.classroom.workshop_server"] is True
    for editor in ("jupyterlab", "jupyter_server_terminals", "jupyter_lsp", "notebook_shim"):
        assert enabled[editor] is False, editor
    assert "notebook" not in enabled  # not installed: naming it would only log a warning
    assert config.ServerApp.terminals_enabled is False
    csp = config.ServerApp.tornado_settings["headers"]["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "style-src 'self' 'unsafe-inline'" in csp and "font-src 'self'" in csp
    assert config.MappingKernelManager.cull_idle_timeout == 1800
    assert config.MappingKernelManager.cull_connected is False


def test_voila_renders_the_lessons_with_myst_turned_into_markdown_and_no_code(monkeypatch):
    config = load_config(monkeypatch, "workshop")
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.VoilaExporter.language_code == "ja"
    assert config.VoilaExporter.preprocessors == ["kyodo.workshop.MystForVoila"]
    path = Path(config.VoilaConfiguration.resources["metadata"]["path"])
    assert path == NOTEBOOKS and (path / "03_case3_compost.ipynb").is_file()


def test_the_voila_exporter_built_from_this_configuration_runs_the_preprocessor(monkeypatch):
    from voila.exporter import VoilaExporter

    config = load_config(monkeypatch, "workshop")
    exporter = VoilaExporter(config=config)
    assert any(isinstance(p, MystForVoila) for p in exporter._preprocessors)
    nb = nbformat.read(NOTEBOOKS / "04_case4_career.ipynb", as_version=4)
    # what Voilà 0.5.13 does on /voila/render: its resources (name) merged with the configured ones (path),
    # then Exporter.from_notebook_node, which runs the preprocessors
    resources = {"metadata": {"name": "04_case4_career", **config.VoilaConfiguration.resources["metadata"]}}
    converted, _ = super(TemplateExporter, exporter).from_notebook_node(nb, resources)
    text = "\n".join(c.source for c in converted.cells if c.cell_type == "markdown")
    assert "{ref}" not in text and "(case4)=" not in text and "```{" not in text
    assert '<a id="case4"></a>' in text
    assert "](03_case3_compost.ipynb#case3)" in text  # a link to another lesson, opened in Voilà too


def test_lab_mode_is_jupyterlab_in_japanese(monkeypatch):
    config = load_config(monkeypatch, "lab")
    assert config.ServerApp.default_url == "/lab/tree/kyodo/index.ipynb"
    enabled = extensions(config)
    assert "jupyterlab" not in enabled and "jupyter_server_terminals" not in enabled  # as installed: on
    assert "kyodo.classroom.workshop_server" not in enabled
    assert "terminals_enabled" not in config.ServerApp and "tornado_settings" not in config.ServerApp
    assert "cull_idle_timeout" not in config.MappingKernelManager
    assert config.LabApp.news_url is None
    assert config.LabApp.check_for_updates_class.endswith("NeverCheckForUpdate")
    settings = Path(config.LabApp.app_settings_dir)
    assert settings == Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    course = json.loads((ROOT / ".jupyter" / "lab" / "settings" / "overrides.json").read_text(encoding="utf-8"))
    assert course["@jupyterlab/translation-extension:plugin"]["locale"] == "ja_JP"
    installed = settings / "overrides.json"
    assert installed.is_file(), "make venv copies .jupyter/lab/settings/overrides.json there"
    assert json.loads(installed.read_text(encoding="utf-8")) == course


def test_the_configured_classes_exist(monkeypatch):
    from jupyterlab.handlers.announcements import NeverCheckForUpdate  # noqa: F401
    from traitlets.utils.importstring import import_item

    config = load_config(monkeypatch, "workshop")
    assert issubclass(import_item(config.VoilaExporter.preprocessors[0]), Preprocessor)
    for name in extensions(config):
        assert __import__("importlib").util.find_spec(name) is not None, name


@pytest.mark.parametrize(("value", "timeout"), [("0", None), ("5", 300), ("abc", 1800), ("-3", None)])
def test_idle_kernels_are_shut_down_after_the_minutes_the_facilitator_sets(monkeypatch, value, timeout):
    config = load_config(monkeypatch, "workshop", KYODO_KERNEL_IDLE_MINUTES=value)
    assert config.MappingKernelManager.get("cull_idle_timeout") == timeout


@pytest.mark.parametrize(("path", "redirected"), [
    ("/lab", True), ("/lab/tree/kyodo/03_case3_compost.ipynb", True), ("/tree", True), ("/tree/kyodo", True),
    ("/notebooks/kyodo/index.ipynb", True), ("/edit/kyodo/x.py", True), ("/terminals/1", True),
    ("/voila", True), ("/voila/", True), ("/voila/tree", True), ("/voila/tree/kyodo-workspace", True),
    ("/voila/render/kyodo/index.ipynb", False), ("/voila/static/voila.js", False), ("/api/kernels", False),
    ("/labs", False), ("/voila/api/shutdown/x", False),
])
def test_workshop_mode_sends_editor_addresses_to_the_lesson_list(path, redirected):
    assert bool(re.fullmatch(workshop_server.EDITOR_PATHS, path)) is redirected


def test_the_facilitators_tools_are_not_in_the_learners_list():
    entries = lesson_entries(NOTEBOOKS)
    assert "11_class_overview.ipynb" not in {e.link for e in entries}
    assert any(not lesson.for_learners for lesson in OUTLINE.lessons)
