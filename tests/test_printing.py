"""Printing course documents as A4 PDFs (:mod:`kyodo.printing`).

One document is printed once per module with Debian's Chromium and read back:
Japanese text with kanji whose look-alike radicals break copied text (手 見 長
高, and 民 戸 黒 青 that NFKC alone does not repair), a table long enough for
several pages, and hostile learner text escaped by the caller. The checks: A4
on every page, every font embedded and none Type3, the text as typed, 「n / N」
and the title in the footer of every page, the table header on every page, no
script run and no request sent. Failures (no Chromium, no font, no Playwright,
a broken browser, a hang) give a Japanese PrintError and leave no partial file.

Page 1 is rendered with ``pdftoppm -png -r 60`` into ``artifacts/printing/``
(Git ignores it) for a person to look at.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import re
import shutil
import stat
import subprocess
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from kyodo import printing
from kyodo.printing import PRINT_CSS, PdfReport, PrintError, check_fonts, document_html, pdf_report, print_pdf
from kyodo.text import esc, msg

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "printing"
CHROMIUM = os.environ.get("KYODO_CHROMIUM") or "/usr/bin/chromium"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
needs_font = pytest.mark.skipif(
    check_fonts() is not None, reason="IPAexGothic is not installed (.ci/run installs fonts-ipaexfont-gothic)")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="pdftoppm/pdftotext missing (.ci/run installs poppler-utils)")

TITLE = '連携プラン <案> & "下書き"'
WORDS = ("手", "見", "長", "高", "市民", "戸", "黒", "青", "西")
SENTENCE = "手を動かし、先を見通し、長い目で、高い目標を市民と分かち合う。戸口の黒板に青い字で西の予定を書く。"
HOSTILE = '<script>document.body.textContent = "乗っ取り"</script><img src=x onerror="alert(1)">'
"""Learner text that would take over the page if it were not escaped."""
RAW_SCRIPT = '<script>document.body.insertAdjacentText("beforeend", "SCRIPT-RAN")</script>'
"""Put into the document unescaped on purpose: printing runs no script at all."""
ROWS = 150
HEADER = ("番号", "取組の内容")


def row_text(i: int) -> str:
    return f"第{i:03d}行 長い話を見る手"


def sample_body() -> str:
    rows = "".join(f"<tr><td>{i:03d}</td><td>{esc(row_text(i))}</td></tr>" for i in range(1, ROWS + 1))
    return (
        f"<h1>{esc(TITLE)}</h1>"
        f"<p>{esc(SENTENCE)}</p>"
        f"<h2>{esc('学習者の書いたこと')}</h2><p>{esc(HOSTILE)}</p>{RAW_SCRIPT}"
        f"<p><strong>{esc('大事なこと')}</strong></p>"
        f"<table><thead><tr><th>{HEADER[0]}</th><th>{HEADER[1]}</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p>おわり</p>"
    )


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def page_texts(path: Path) -> list[str]:
    return [nfkc(page.extract_text() or "") for page in PdfReader(str(path)).pages]


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfReport]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    target = tmp_path_factory.mktemp("printed") / "plan.pdf"
    assert print_pdf(document_html(TITLE, sample_body()), target, title=TITLE) == target
    return target, pdf_report(target)


# --- the document -------------------------------------------------------------------------------------------------

def test_document_html_has_title_css_lang_and_the_body_as_given() -> None:
    body = "<p>手 &lt;b&gt;</p>"
    html = document_html("計画 <案> & 下書き", body)
    assert "<title>計画 &lt;案&gt; &amp; 下書き</title>" in html
    assert '<html lang="ja">' in html and PRINT_CSS in html
    assert f"<body>\n{body}\n</body>" in html  # not escaped again: the caller escaped it
    assert "default-src 'none'" in html  # no script, nothing from outside
    assert '<html lang="en">' in document_html("t", "", lang="en")
    assert 'lang="&quot;&gt;"' in document_html("t", "", lang='">')


def test_print_css_sets_a4_ipaexgothic_first_and_tables_that_break_cleanly() -> None:
    family = re.search(r"body\s*{[^}]*font-family:\s*([^;]+);", PRINT_CSS)
    assert family, PRINT_CSS
    fonts = [f.strip().strip('"') for f in family.group(1).split(",")]
    assert fonts[0] == "IPAexGothic" and fonts.index("Noto Sans CJK JP") > 0
    assert re.search(r"@page\s*{[^}]*size:\s*A4", PRINT_CSS)
    assert re.search(r"thead\s*{\s*display:\s*table-header-group", PRINT_CSS)
    assert re.search(r"tr,[^{]*{[^}]*break-inside:\s*avoid", PRINT_CSS)
    assert "font-synthesis: none" in PRINT_CSS  # a synthesised bold would be Type3 glyphs
    sizes = re.findall(r"font-size:\s*([0-9.]+)(\w+)", PRINT_CSS)
    assert sizes and {unit for _, unit in sizes} == {"pt"}


# --- the printed PDF (Chromium) -----------------------------------------------------------------------------------

@needs_chromium
def test_every_page_is_a4_and_the_long_table_runs_over_several_pages(printed) -> None:
    _, report = printed
    assert report.a4, report.pages
    assert 3 <= len(report.pages) <= 8, len(report.pages)


@needs_chromium
def test_every_font_is_an_embedded_ipaexgothic_subset_not_type3(printed) -> None:
    path, report = printed
    assert report.fonts_embedded, report.fonts
    assert report.fonts and all(subtype != "/Type3" and embedded for _, subtype, embedded in report.fonts)
    assert all(name.endswith("+IPAexGothic") for name, _, _ in report.fonts), report.fonts


@needs_chromium
def test_the_text_reads_as_typed(printed) -> None:
    path, report = printed
    flat = re.sub(r"\s+", "", report.text)
    for text in (*WORDS, SENTENCE, TITLE, "大事なこと", "おわり", *HEADER):
        assert re.sub(r"\s+", "", text) in flat, text
    for i in range(1, ROWS + 1):
        assert re.sub(r"\s+", "", row_text(i)) in flat, i
    # The PDF itself says 長 and 民, not the look-alike radicals ⻑ ⺠ (copying text from it works).
    raw = "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    assert not re.search("[\u2e80-\u2fdf]", raw), sorted(set(re.findall("[\u2e80-\u2fdf]", raw)))
    assert all(word in raw for word in WORDS)


@needs_chromium
def test_every_page_has_the_title_and_n_of_n_in_the_footer_and_the_table_header(printed) -> None:
    path, report = printed
    texts = page_texts(path)
    total = len(texts)
    assert total == len(report.pages)
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {total}" in text, (number, text[-80:])
        assert TITLE in text, number
        assert all(cell in text for cell in HEADER), number  # the header row repeats on every page
    assert f"{total + 1} / {total}" not in report.text


@needs_chromium
def test_escaped_learner_script_prints_as_text_and_no_script_runs(printed) -> None:
    _, report = printed
    assert HOSTILE in report.text  # the escaped tags print as typed
    assert "SCRIPT-RAN" not in report.text  # the unescaped script did not run either
    assert SENTENCE in re.sub(r"\s+", "", report.text) and "おわり" in report.text  # the page was not replaced


@needs_chromium
def test_page_count_follows_the_length_of_the_document(tmp_path: Path) -> None:
    target = print_pdf(document_html("一枚", "<p>一枚だけ</p>"), tmp_path / "one.pdf", title="一枚")
    report = pdf_report(target)
    assert len(report.pages) == 1 and report.a4 and "1 / 1" in report.text and "一枚だけ" in report.text


@needs_chromium
def test_a_lone_surrogate_in_learner_text_prints_as_a_question_mark(tmp_path: Path) -> None:
    broken = "壊れた\ud800文字"  # pasted text can hold one; it cannot be written as UTF-8
    target = print_pdf(document_html(broken, f"<p>{esc(broken)}</p>"), tmp_path / "s.pdf", title=broken)
    assert pdf_report(target).text.count("壊れた?文字") == 2  # the body and the footer


@needs_chromium
def test_a_row_taller_than_a_page_is_split_not_cut(tmp_path: Path) -> None:
    cell = "長い記録の文。" * 900 + "最後の一文"
    body = f"<table><thead><tr><th>欄</th></tr></thead><tbody><tr><td>{cell}</td></tr></tbody></table>"
    target = print_pdf(document_html("長い欄", body), tmp_path / "tall.pdf", title="長い欄")
    report = pdf_report(target)
    assert len(report.pages) >= 2 and report.a4
    # The cell's text, without the header row and the footer that each page puts around it.
    cell_text = "".join(line for text in page_texts(target) for line in text.splitlines()
                        if line.strip() != "欄" and not re.fullmatch(r"長い欄 \d+ / \d+", line.strip()))
    assert re.sub(r"\s+", "", cell_text) == cell


@needs_chromium
@needs_poppler
def test_long_urls_and_words_wrap_inside_the_page(tmp_path: Path) -> None:
    url = "https://example.org/" + "kyodo" * 60
    body = (f"<p>{url}</p><table><thead><tr><th>項目</th><th>アドレス</th></tr></thead>"
            f"<tbody><tr><td>参考</td><td>{url}</td></tr><tr><td>{'X' * 300}</td><td>短い</td></tr></tbody></table>")
    target = print_pdf(document_html("幅", body), tmp_path / "wide.pdf", title="幅")
    boxes = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True,
                           check=True).stdout
    width = float(re.search(r'<page width="([0-9.]+)"', boxes).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes)]
    assert right_edges and max(right_edges) <= width - 30, (max(right_edges), width)  # inside the right margin
    assert url in re.sub(r"\s+", "", pdf_report(target).text)


@needs_chromium
def test_the_page_reaches_no_host_and_runs_no_script(tmp_path: Path) -> None:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        # A whole document of the caller's own, without document_html's Content-Security-Policy.
        html = (f'<!DOCTYPE html><html lang="ja"><head><link rel="stylesheet" href="{site}/style.css">'
                f'<style>@import url("{site}/import.css"); body {{ background: url("{site}/bg.png") }}</style>'
                f'</head><body><p>外へは出ない</p><img src="{site}/image.png" alt="">'
                f'<iframe src="{site}/frame.html"></iframe>{RAW_SCRIPT}</body></html>')
        target = print_pdf(html, tmp_path / "offline.pdf", title="外へは出ない")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
    text = pdf_report(target).text
    assert "外へは出ない" in text and "SCRIPT-RAN" not in text  # and no script ran, even without the policy


@needs_chromium
def test_an_older_file_is_replaced_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")
    print_pdf(document_html("差し替え", "<p>新しい版</p>"), target, title="差し替え")
    assert target.read_bytes().startswith(b"%PDF-") and "新しい版" in pdf_report(target).text
    assert leftovers(tmp_path, keep=target.name) == []
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


@needs_chromium
def test_printing_works_from_inside_a_running_event_loop(tmp_path: Path) -> None:
    """A Jupyter kernel runs an asyncio loop, where Playwright's sync API refuses to start."""

    async def in_a_kernel() -> Path:
        return print_pdf(document_html("ノートブック", "<p>セルから印刷</p>"), tmp_path / "cell.pdf", title="ノート")

    assert "セルから印刷" in pdf_report(asyncio.run(in_a_kernel())).text


@needs_chromium
@needs_poppler
def test_page_one_renders_for_a_person_to_look_at(printed) -> None:
    path, _ = printed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "plan-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(prefix)],
                   check=True, capture_output=True)
    image = pytest.importorskip("PIL.Image").open(prefix.with_suffix(".png")).convert("L")
    assert abs(image.width - 496) <= 2 and abs(image.height - 702) <= 2  # A4 at 60 dpi
    dark = sum(1 for value in image.getdata() if value < 128)
    assert 0.005 < dark / (image.width * image.height) < 0.5  # text on a white page


# --- when printing is not possible --------------------------------------------------------------------------------

def test_missing_chromium_gives_the_install_command_and_writes_nothing(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    missing = str(tmp_path / "no" / "chromium")
    monkeypatch.setenv("KYODO_CHROMIUM", missing)
    with pytest.raises(PrintError) as caught:
        print_pdf(document_html("t", "<p>x</p>"), tmp_path / "out" / "a.pdf", title="t")
    assert str(caught.value) == msg("printing.no_chromium", path=missing)
    assert "apt install chromium" in str(caught.value) and "KYODO_CHROMIUM" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_without_the_variable_debians_chromium_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYODO_CHROMIUM", raising=False)
    monkeypatch.setattr(printing, "_DEFAULT_CHROMIUM", str(tmp_path / "chromium"))
    with pytest.raises(PrintError, match=re.escape(str(tmp_path / "chromium"))):
        print_pdf(document_html("t", ""), tmp_path / "a.pdf", title="t")


def test_missing_font_is_reported_before_printing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'fonts'}</dir>"
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))  # fc-list (and Chromium) see no font at all
    monkeypatch.setenv("KYODO_CHROMIUM", "/bin/true")
    problem = check_fonts()
    assert problem == msg("printing.no_fonts") and "apt install fonts-ipaexfont-gothic" in problem
    with pytest.raises(PrintError) as caught:
        print_pdf(document_html("t", ""), tmp_path / "a.pdf", title="t")
    assert str(caught.value) == problem
    assert not (tmp_path / "a.pdf").exists()


@needs_font
def test_a_browser_that_fails_leaves_the_older_file_and_no_partial_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "bin" / "chromium"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\necho 'not a browser' >&2\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("KYODO_CHROMIUM", str(broken))
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "plan.pdf"
    target.write_bytes(b"the version printed last week")
    with pytest.raises(PrintError) as caught:
        print_pdf(document_html("t", "<p>x</p>"), target, title="t")
    assert str(caught.value).startswith(msg("printing.failed", reason="\x00").split("\x00")[0])
    assert "BrowserType.launch" in str(caught.value) and "\n" not in str(caught.value)
    assert target.read_bytes() == b"the version printed last week"
    assert leftovers(folder, keep=target.name) == []


@needs_font
def test_a_browser_that_hangs_is_stopped_after_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    hanging = tmp_path / "chromium"
    hanging.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 300\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setenv("KYODO_CHROMIUM", str(hanging))
    monkeypatch.setattr(printing, "_TIMEOUT_S", 3.0)
    folder = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(PrintError) as caught:
        print_pdf(document_html("t", "<p>x</p>"), folder / "a.pdf", title="t")
    assert str(caught.value) == msg("printing.timeout", seconds="3")
    assert time.monotonic() - started < 3.0 + printing._GRACE_S + 5
    assert leftovers(folder, keep="") == []
    pid = int(pid_file.read_text())
    for _ in range(50):  # Playwright kills the browser's process group as the child closes it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the hanging browser was left running")


@needs_font
def test_without_playwright_the_message_says_how_to_install_it(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    hidden = tmp_path / "hide"
    (hidden / "playwright").mkdir(parents=True)
    (hidden / "playwright" / "__init__.py").write_text("raise ImportError('hidden for the test')\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(hidden))
    monkeypatch.setenv("KYODO_CHROMIUM", "/bin/true")
    with pytest.raises(PrintError) as caught:
        print_pdf(document_html("t", ""), tmp_path / "a.pdf", title="t")
    assert str(caught.value) == msg("printing.no_playwright")
    assert leftovers(tmp_path, keep="hide") == []


@needs_font
def test_a_target_that_cannot_be_written_gives_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYODO_CHROMIUM", "/bin/true")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PrintError) as caught:
        print_pdf(document_html("t", ""), blocker / "a.pdf", title="t")
    assert str(blocker / "a.pdf") in str(caught.value) and "保存できません" in str(caught.value)


# --- reading PDFs back (pypdf, no browser) --------------------------------------------------------------------------

def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def to_unicode(code: str, text: str) -> bytes:
    hex_text = text.encode("utf-16-be").hex().upper()
    return stream(("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def /CMapType 2 def\n"
                   "1 begincodespacerange <00> <FF> endcodespacerange\n"
                   f"1 beginbfchar <{code}> <{hex_text}> endbfchar\n"
                   "endcmap CMapName currentdict /CMap defineresource pop end end").encode("ascii"))


def write_pdf(path: Path, font: bytes, extra: list[bytes], *, size: tuple[float, float] = (595.28, 841.89),
              content: bytes = b"") -> Path:
    """A one-page PDF: objects 1-4 are the catalogue, page tree, page and content, 5 the font, 6... ``extra``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>" % size,
        stream(content),
        font,
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


TYPE3 = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
         b"/CharProcs << /a 7 0 R >> /Encoding << /Type /Encoding /Differences [65 /a] >> "
         b"/FirstChar 65 /LastChar 65 /Widths [1000] /Resources << >> /ToUnicode 6 0 R >>")
GLYPH = stream(b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f")
SHOW_A = b"BT /F1 12 Tf 72 720 Td (A) Tj ET"


def test_report_reads_type3_japanese_as_not_embedded_properly_and_normalises_the_text(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "t3.pdf", TYPE3, [to_unicode("41", "\u2f3f"), GLYPH], content=SHOW_A)
    report = pdf_report(path)
    assert report.a4 and len(report.pages) == 1
    assert report.fonts == (("", "/Type3", True),)
    assert not report.fonts_embedded  # a Japanese character drawn as Type3 glyphs
    assert "手" in report.text and "\u2f3f" not in report.text  # ⼿ (KANGXI RADICAL HAND) read as 手


def test_report_accepts_type3_glyphs_for_latin_text_only(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "t3.pdf", TYPE3, [to_unicode("41", "A"), GLYPH], content=SHOW_A)
    report = pdf_report(path)
    assert report.fonts_embedded and report.text.strip() == "A"


def test_report_finds_a_font_that_is_not_embedded(tmp_path: Path) -> None:
    descriptor = (b"<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
                  b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 %s>>")
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 32 /Widths [250] " \
           b"/FontDescriptor 6 0 R >>"
    outside = pdf_report(write_pdf(tmp_path / "out.pdf", font, [descriptor % b""]))
    assert outside.fonts == (("/Arial", "/TrueType", False),) and not outside.fonts_embedded
    inside = pdf_report(write_pdf(tmp_path / "in.pdf", font, [descriptor % b"/FontFile2 7 0 R ", stream(b"\0")]))
    assert inside.fonts == (("/Arial", "/TrueType", True),) and inside.fonts_embedded


def test_report_tells_a4_from_letter(tmp_path: Path) -> None:
    letter = pdf_report(write_pdf(tmp_path / "letter.pdf", TYPE3, [to_unicode("41", "A"), GLYPH],
                                  size=(612, 792)))
    assert letter.pages == ((612.0, 792.0),) and not letter.a4


# --- the look-alike radicals ----------------------------------------------------------------------------------------

def test_radicals_in_a_to_unicode_range_are_written_back_as_kanji() -> None:
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            "1 beginbfchar <0003> <2F3F> endbfchar\n"  # ⼿ -> 手 (NFKC)
            "2 beginbfrange <0010> <0012> <2ED0> <0020> <0021> [<2EA0> <0041>] endbfrange\n"  # ⻐⻑⻒, ⺠ A
            "endcmap CMapName currentdict /CMap defineresource pop end end")
    repaired = printing._repaired_cmap(cmap)
    assert repaired is not None and "<0000> <FFFF>" in repaired and repaired.endswith(cmap[cmap.rfind("endcmap"):])
    pairs = dict(printing._to_unicode_pairs(repaired))
    assert pairs == {"0003": "手", "0010": "\u2ed0", "0011": "長", "0012": "镸", "0020": "民", "0021": "A"}
    again = printing._repaired_cmap(repaired) or repaired  # ⻐ has no kanji of its own: it stays
    assert dict(printing._to_unicode_pairs(again)) == pairs


def test_every_radical_that_ipaexgothic_draws_as_a_kanji_reads_as_that_kanji() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    found = subprocess.run(["fc-match", "-f", "%{file}", "IPAexGothic"], capture_output=True, text=True,
                           check=False).stdout if shutil.which("fc-match") else ""
    if "ipaex" not in found.lower() and "japanese-gothic" not in found.lower():
        pytest.skip("IPAexGothic is not installed (.ci/run installs fonts-ipaexfont-gothic)")
    cmap = ttlib.TTFont(found).getBestCmap()
    by_glyph: dict[str, list[int]] = {}
    for code, glyph in cmap.items():
        by_glyph.setdefault(glyph, []).append(code)
    checked = 0
    for codes in by_glyph.values():
        kanji = sorted(c for c in codes if not 0x2E80 <= c <= 0x2FDF)
        for radical in (c for c in codes if 0x2E80 <= c <= 0x2FDF):
            if kanji:
                # NFKC: the font may give a compatibility ideograph (U+FA49) for the unified one (U+722B)
                assert nfkc(printing._unradical(chr(radical))) in {nfkc(chr(c)) for c in kanji}, hex(radical)
                checked += 1
    assert checked > 200  # the Kangxi radicals and the radicals supplement
