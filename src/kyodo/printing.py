"""Printing course documents (partnering plans, agreement drafts, review sheets, worksheets) as A4 PDFs.

A document is plain HTML: :func:`document_html` wraps a body (escaped by the
caller with :func:`kyodo.text.esc`) with :data:`PRINT_CSS`, and
:func:`print_pdf` prints it with Debian's Chromium through Playwright, with
the title and the page number (「1 / 3」) in the footer of every page.

Chromium runs in a child process (``python -m kyodo.printing``): Playwright's
sync API cannot run inside the event loop of a Jupyter kernel. The child
loads the page with ``set_content``, with JavaScript off and every request to
anything but ``data:`` and ``about:`` aborted, so a printed document runs no
script and reaches no host. The PDF is written to a temporary file beside the
target and moved into place only when it is complete.

Japanese text is set in IPAexGothic (Debian ``fonts-ipaexfont-gothic``):
Chromium embeds it as a subset whose text can be copied and searched. Noto
Sans CJK JP, the next font, would go into the PDF as Type3 glyphs. After
printing, the PDF's ToUnicode maps are corrected so that text copied from it
reads 長い and 市民, not the look-alike radicals ⻑い and 市⺠ that Chromium
writes for glyphs IPAexGothic shares between a kanji and its radical.
:func:`pdf_report` reads a PDF back (page sizes, fonts, text) so tests and
callers can check what was printed.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import current_lang, esc, msg

PRINT_CSS = """\
@page {
  size: A4;
  margin: 15mm 15mm 20mm 15mm;
}
html {
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
  font-synthesis: none;
}
body {
  margin: 0;
  font-family: "IPAexGothic", "IPAexゴシック", "Noto Sans CJK JP", sans-serif;
  font-size: 10.5pt;
  line-height: 1.6;
  color: #000;
  background: #fff;
  overflow-wrap: anywhere;
  line-break: strict;
}
h1, h2, h3, h4, h5, h6 {
  line-height: 1.35;
  margin: 0.9em 0 0.35em;
  break-after: avoid;
  page-break-after: avoid;
  break-inside: avoid;
  page-break-inside: avoid;
}
h1 { font-size: 16pt; margin-top: 0; padding-bottom: 2pt; border-bottom: 1.2pt solid #000; }
h2 { font-size: 13pt; padding-left: 5pt; border-left: 3pt solid #000; }
h3 { font-size: 11.5pt; border-bottom: 0.5pt solid #666; }
h4, h5, h6 { font-size: 10.5pt; text-decoration: underline; }
strong, b { text-decoration: underline; text-decoration-thickness: 1pt; text-underline-offset: 2pt; }
p, li, dd { orphans: 2; widows: 2; }
p { margin: 0 0 0.5em; }
table {
  width: 100%;
  border-collapse: collapse;
  margin: 0.4em 0 0.8em;
  font-size: 9.5pt;
}
caption {
  caption-side: top;
  text-align: left;
  font-size: 10.5pt;
  padding-bottom: 2pt;
}
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr, img, svg, figure, pre, blockquote {
  break-inside: avoid;
  page-break-inside: avoid;
}
th, td {
  border: 0.5pt solid #444;
  padding: 2.5pt 4pt;
  vertical-align: top;
  text-align: left;
  overflow-wrap: anywhere;
  word-break: normal;
}
th {
  background: #e8e8e8;
  /* a short header such as 「番号」 is not split over lines to make room for a long column */
  word-break: keep-all;
  overflow-wrap: break-word;
}
pre, code, kbd, samp {
  font-family: inherit;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
a { color: inherit; text-decoration: underline dotted; overflow-wrap: anywhere; }
img, svg { max-width: 100%; height: auto; }
"""
"""Base CSS for printed documents: A4 with room for the footer, IPAexGothic first, sizes in pt.

IPAexGothic has no bold face, and Chromium draws a synthesised bold as Type3
glyphs (outlines without text): ``font-synthesis: none`` keeps every character a
real, searchable glyph. Headings stand out by size and rules, ``<strong>`` by an
underline.

Tables may run over several pages: the header row repeats on each page and a
row is not split (a row taller than a page still breaks rather than being cut).
Long words and URLs wrap; a heading stays with what follows it.
"""

_DEFAULT_CHROMIUM = "/usr/bin/chromium"
_CHROMIUM_ENV = "KYODO_CHROMIUM"
"""Environment variable naming another Chromium executable."""
_FONT_FAMILY = "IPAexGothic"

_TIMEOUT_S = 60.0
"""How long one print may take, browser start included."""
_GRACE_S = 5.0
"""After the time is up: how long the child gets to close Chromium before it is killed."""
_CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
)
_EXIT_NO_PLAYWRIGHT = 3
_FOOTER_FONT_PT = 8
_FOOTER_SIDE_MM = 15
"""The footer's left and right padding: the side margins of :data:`PRINT_CSS`."""
_REASON_LIMIT = 300

_A4_PT = (595.3, 841.9)
_A4_TOLERANCE_PT = 1.0


class PrintError(Exception):
    """Printing is not possible here; ``str(err)`` says why, in Japanese, and what to install."""


# --- the document ---------------------------------------------------------------------------------------------------

def document_html(title: str, body_html: str, *, lang: str = "ja") -> str:
    """A whole HTML document for printing: ``<title>``, :data:`PRINT_CSS` and ``body_html``.

    ``body_html`` is used as it is: the caller has escaped every learner text in
    it. A Content-Security-Policy allows no script and nothing from outside
    (images and fonts only as ``data:`` URLs).
    """
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f"<title>{esc(title)}</title>\n<style>\n{PRINT_CSS}</style>\n</head>\n"
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )


def _footer_html(title: str) -> str:
    """Chromium's footer template: the title on the left, 「n / N」 on the right (Chromium fills the spans)."""
    page_mark, pages_mark = "\x00page\x00", "\x00pages\x00"
    number = esc(msg("printing.page_number", page=page_mark, pages=pages_mark))
    number = number.replace(page_mark, '<span class="pageNumber"></span>')
    number = number.replace(pages_mark, '<span class="totalPages"></span>')
    font = f"font-family:'{_FONT_FAMILY}','Noto Sans CJK JP',sans-serif;font-size:{_FOOTER_FONT_PT}pt;color:#333"
    return (
        f'<div lang="{esc(current_lang())}" style="{font};width:100%;box-sizing:border-box;padding:0 {_FOOTER_SIDE_MM}mm;'
        'display:flex;justify-content:space-between;gap:6mm;-webkit-print-color-adjust:exact">'
        '<span style="overflow:hidden;white-space:nowrap;text-overflow:ellipsis">'
        f"{esc(title)}</span>"
        f'<span style="white-space:nowrap">{number}</span></div>'
    )


# --- what the machine needs -----------------------------------------------------------------------------------------

def _chromium() -> str:
    """The Chromium executable to use: ``$KYODO_CHROMIUM``, else Debian's."""
    return os.environ.get(_CHROMIUM_ENV) or _DEFAULT_CHROMIUM


def check_fonts() -> str | None:
    """``None`` when IPAexGothic is installed (``fc-list``), else the Japanese message :class:`PrintError` would give."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return msg("printing.no_fonts")
    try:
        found = subprocess.run([fc_list, f":family={_FONT_FAMILY}", "family"], capture_output=True, text=True,
                               timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return msg("printing.no_fonts")
    return None if _FONT_FAMILY.lower() in found.lower() else msg("printing.no_fonts")


def _check_chromium(executable: str) -> str | None:
    path = Path(executable)
    if path.is_file() and os.access(path, os.X_OK):
        return None
    return msg("printing.no_chromium", path=executable)


# --- printing -------------------------------------------------------------------------------------------------------

def _child_result(stdout: str) -> dict[str, Any]:
    """The JSON object the child prints as its last line of output (empty when there is none)."""
    lines = stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        return {}
    return result if isinstance(result, dict) else {}


def _reason(error: str, stderr: str) -> str:
    """Why the child failed, in one short line: its own report, else the last line of its error output.

    Playwright's errors run to pages (a call log follows the first line): only that first line is kept.
    """
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    if not lines:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()][-1:]
    if not lines:
        return msg("printing.no_reason")
    text = lines[0].rstrip("。.")
    return text if len(text) <= _REASON_LIMIT else text[:_REASON_LIMIT] + "…"


def _without_surrogates(text: str) -> str:
    """``text`` with any lone surrogate (pasted text can hold one; UTF-8 cannot) replaced by ``?``."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _umask() -> int:
    """The process's umask, read without changing it (Linux), else the usual 022."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _child_env() -> dict[str, str]:
    """The environment of the child: this ``kyodo`` importable, whatever put it on ``sys.path``."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    return env


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop the child and what it started: SIGTERM (it closes Chromium), then SIGKILL to its process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.communicate(timeout=_GRACE_S)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()


def print_pdf(html: str, target: Path, *, title: str) -> Path:
    """Print a whole HTML document (see :func:`document_html`) to an A4 PDF at ``target`` and return ``target``.

    Every page has ``title`` and the page number 「n / N」 in its footer. Chromium
    (``$KYODO_CHROMIUM`` or ``/usr/bin/chromium``) runs in a child process with
    JavaScript off and no network; after 60 s it is stopped. The PDF is written
    to a temporary file and moved onto ``target`` only when complete: when
    printing fails, an older ``target`` stays as it was and no partial file is
    left. Text copied from the PDF reads as typed (see :func:`_repair_text`).
    Raises :class:`PrintError` (a Japanese message) when Chromium,
    Playwright or IPAexGothic is missing, or when printing fails or times out.
    """
    target = Path(target)
    html, title = _without_surrogates(html), _without_surrogates(title)
    executable = _chromium()
    problem = _check_chromium(executable) or check_fonts()
    if problem:
        raise PrintError(problem)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(handle)
    except OSError as err:
        raise PrintError(msg("printing.cannot_write", path=target, reason=err.strerror or err)) from err
    temp = Path(temp_name)
    try:
        _run_child(html, temp, executable, _footer_html(title))
        if temp.read_bytes()[:5] != b"%PDF-":
            raise PrintError(msg("printing.failed", reason=msg("printing.no_reason")))
        try:
            _repair_text(temp)
        except ImportError as err:
            raise PrintError(msg("printing.no_pypdf")) from err
        except Exception as err:  # noqa: BLE001 - pypdf's errors, as a Japanese message
            raise PrintError(msg("printing.failed", reason=f"{type(err).__name__}: {err}")) from err
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; a PDF is as readable as any file
        os.replace(temp, target)
    except OSError as err:
        raise PrintError(msg("printing.cannot_write", path=target, reason=err.strerror or err)) from err
    finally:
        temp.unlink(missing_ok=True)
    return target


def _run_child(html: str, output: Path, executable: str, footer: str) -> None:
    """Run ``python -m kyodo.printing`` on one job; raise :class:`PrintError` unless it wrote the PDF."""
    timeout = _TIMEOUT_S
    job = json.dumps({"html": html, "output": str(output), "executable": executable, "footer": footer,
                      "timeout_ms": int(timeout * 1000) + 10_000})  # the child's own limits come after ours
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "kyodo.printing"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace", env=_child_env(),
            start_new_session=True)
    except OSError as err:
        raise PrintError(msg("printing.failed", reason=err.strerror or err)) from err
    try:
        stdout, stderr = process.communicate(job, timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise PrintError(msg("printing.timeout", seconds=f"{timeout:g}")) from None
    except BaseException:
        _stop(process)
        raise
    if process.returncode == _EXIT_NO_PLAYWRIGHT:
        raise PrintError(msg("printing.no_playwright"))
    if process.returncode != 0:
        raise PrintError(msg("printing.failed", reason=_reason(str(_child_result(stdout).get("error", "")), stderr)))


# --- the child process ----------------------------------------------------------------------------------------------

def _allowed(url: str) -> bool:
    return url.startswith(("data:", "about:"))


def _child_print(job: dict[str, Any]) -> list[str]:
    """Print one job (in the child process); return the URLs that were blocked."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def route(r: Any) -> None:
        if _allowed(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    limit = job["timeout_ms"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=job["executable"], args=list(_CHROMIUM_ARGS), headless=True,
                                    timeout=limit)
        try:
            context = browser.new_context(java_script_enabled=False, locale="ja-JP", offline=True,
                                          service_workers="block")
            context.route("**/*", route)
            page = context.new_page()
            page.set_default_timeout(limit)
            page.set_content(job["html"], wait_until="load", timeout=limit)
            data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                            display_header_footer=True, header_template="<span></span>",
                            footer_template=job["footer"])
        finally:
            browser.close()
    with open(job["output"], "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return blocked


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through sync_playwright(), which closes Chromium


def _main() -> int:
    signal.signal(signal.SIGTERM, _terminated)
    job = json.loads(sys.stdin.read())
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return _EXIT_NO_PLAYWRIGHT
    try:
        blocked = _child_print(job)
    except Exception as err:  # noqa: BLE001 - any failure is reported to the parent as text
        print(json.dumps({"error": f"{type(err).__name__}: {err}"}))
        return 1
    print(json.dumps({"blocked": blocked}))
    return 0


# --- the text of the PDF: ToUnicode maps ----------------------------------------------------------------------------

# A font often draws a kanji and its look-alike radical with one glyph (IPAexGothic: 長 and ⻑ and ⾧), and
# Chromium can write the radical's code point into the PDF's ToUnicode map for that glyph, so copied or
# extracted text reads ⻑い for 長い, 市⺠ for 市民. NFKC repairs most Kangxi radicals (⼿ -> 手) but none of the radicals
# supplement (⻑, ⺠, ⻘, ⻄ ...), and two Kangxi radicals the wrong way for Japanese (⼾ -> 戶, not 戸).
# The table: every radical that shares its glyph with a kanji in IPAexGothic, and that kanji.
_RADICAL_TO_KANJI = str.maketrans(
    "⺃⺅⺇⺉⺎⺏⺐⺒⺓⺔⺖⺗⺘⺙⺛⺞⺠⺡⺣⺤⺦⺨⺪⺫⺭⺲⺹⺽⺾⺿⻀⻁⻂⻃⻄⻊⻌⻍⻏⻑⻒⻖⻘⻞⻟⻤⻨⻩⻫⻭⻯⻲⼾⿊",
    "乚亻𠘨刂兀尣尢巳幺彑忄㣺扌攵旡歺民氵灬爫丬犭𤴔罒礻罒耂𦥑艹艹艹虎衤覀西𧾷辶辶阝長镸阝青𩙿飠鬼麦黄斉歯竜亀戸黒",
)
_RADICAL = re.compile("[\u2e80-\u2fdf]")
_JAPANESE = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3190-\u319f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0003134f]")
"""Kanji (with the radicals), kana, Japanese punctuation and full-width forms."""
_HEX = re.compile(r"<([0-9A-Fa-f\s]*)>")
_BFRANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")
_BFRANGE_LIMIT = 0x10000


def _unradical(text: str) -> str:
    """``text`` with each look-alike radical replaced by the kanji the course's font draws for it."""
    if not _RADICAL.search(text):
        return text
    return "".join(ch if not _RADICAL.match(ch) else unicodedata.normalize("NFKC", ch)
                   for ch in text.translate(_RADICAL_TO_KANJI))


def _from_utf16(hex_text: str) -> str:
    raw = bytes.fromhex(re.sub(r"\s", "", hex_text))
    return raw.decode("utf-16-be", errors="replace")


def _to_utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_pairs(cmap: str) -> list[tuple[str, str]]:
    """The (character code in hex, text) pairs of a ToUnicode CMap (its bfchar and bfrange sections)."""
    pairs: list[tuple[str, str]] = []
    for section in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        hexes = _HEX.findall(section)
        pairs += [(re.sub(r"\s", "", src), _from_utf16(dst)) for src, dst in zip(hexes[::2], hexes[1::2])]
    for section in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in _BFRANGE.findall(section):
            start, count = int(lo, 16), min(int(hi, 16) - int(lo, 16) + 1, _BFRANGE_LIMIT)
            codes = [format(start + k, f"0{len(lo)}X") for k in range(max(count, 0))]
            if dst.startswith("["):
                pairs += list(zip(codes, (_from_utf16(d) for d in _HEX.findall(dst))))
            else:
                first = _from_utf16(dst[1:-1])
                if first:
                    base = ord(first[-1])
                    pairs += [(code, first[:-1] + chr(min(base + k, 0x10FFFF))) for k, code in enumerate(codes)]
    return pairs


def _repaired_cmap(cmap: str) -> str | None:
    """The CMap with every radical replaced by its kanji (see :func:`_unradical`), or None when it has none.

    The mappings are written out again one by one (``bfchar``), so a radical inside a
    ``bfrange`` is repaired too; the header and the code space range stay as they were.
    """
    pairs = _to_unicode_pairs(cmap)
    if not any(_RADICAL.search(text) for _, text in pairs):
        return None
    start, end = cmap.find("endcodespacerange"), cmap.rfind("endcmap")
    if start < 0 or end < start:
        return None
    start += len("endcodespacerange")
    blocks = []
    for i in range(0, len(pairs), 100):  # at most 100 mappings a block (PDF reference, 9.10.3)
        chunk = pairs[i:i + 100]
        lines = "\n".join(f"<{code}> <{_to_utf16(_unradical(text))}>" for code, text in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    return cmap[:start] + "\n" + "\n".join(blocks) + "\n" + cmap[end:]


def _repair_text(path: Path) -> None:
    """Rewrite the ToUnicode maps of the PDF at ``path`` so its text copies as the kanji that were printed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(path.read_bytes())))
    found: dict[Any, Any] = {}
    seen: set[int] = set()
    for page in writer.pages:
        _fonts_of(page.get("/Resources"), found, seen)
    changed = False
    for font in found.values():
        ref = font.get("/ToUnicode")
        if ref is None:
            continue
        stream = ref.get_object()
        repaired = _repaired_cmap(stream.get_data().decode("latin-1"))
        if repaired is not None:
            try:
                stream.set_data(repaired.encode("latin-1"))
            except PdfReadError:  # a filter pypdf cannot write: leave that map as it is
                continue
            changed = True
    if changed:
        with open(path, "wb") as out:
            writer.write(out)
            out.flush()
            os.fsync(out.fileno())


# --- reading a PDF back ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PdfReport:
    """What a PDF holds: page sizes, fonts and text."""

    pages: tuple[tuple[float, float], ...]
    """Each page's (width, height) in pt."""
    fonts: tuple[tuple[str, str, bool], ...]
    """Each font once: (base font name, subtype such as ``/Type0``, ``/Type3``, ``/TrueType``, embedded?)."""
    text: str
    """All the text, NFKC-normalised (the look-alike radical ⼿ reads as 手)."""
    _type3_japanese: tuple[str, ...] = field(default=(), repr=False)
    """Type3 fonts that draw Japanese text, or whose text cannot be told (no ToUnicode map)."""

    @property
    def a4(self) -> bool:
        """Every page is A4 (595.3 x 841.9 pt, give or take 1 pt)."""
        return bool(self.pages) and all(
            abs(w - _A4_PT[0]) <= _A4_TOLERANCE_PT and abs(h - _A4_PT[1]) <= _A4_TOLERANCE_PT for w, h in self.pages)

    @property
    def fonts_embedded(self) -> bool:
        """Every font is embedded, and no Japanese text is drawn with Type3 glyphs."""
        return all(embedded for _, _, embedded in self.fonts) and not self._type3_japanese


def _embedded(font: Any) -> bool:
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        return True  # its glyphs are drawn by content streams inside the PDF
    descriptor = font.get("/FontDescriptor")
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        descriptor = descendants.get_object()[0].get_object().get("/FontDescriptor") if descendants else None
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _type3_draws_japanese(font: Any) -> bool:
    ref = font.get("/ToUnicode")
    if ref is None:
        return True  # its text cannot be told: count it against the PDF
    pairs = _to_unicode_pairs(ref.get_object().get_data().decode("latin-1"))
    return any(_JAPANESE.search(text) for _, text in pairs)


def _fonts_of(resources: Any, found: dict[Any, Any], seen: set[int]) -> None:
    """Collect into ``found`` the fonts of ``resources`` and of the forms and Type3 glyphs it uses, each once."""
    if resources is None:
        return
    resources = resources.get_object()
    if id(resources) in seen:
        return
    seen.add(id(resources))
    nested = []
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            font = ref.get_object()
            key = (ref.idnum, ref.generation) if hasattr(ref, "idnum") else id(font)
            if key not in found:
                found[key] = font
                if font.get("/Subtype") == "/Type3":
                    nested.append(font.get("/Resources"))
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                nested.append(xobject.get("/Resources"))
    for inner in nested:
        _fonts_of(inner, found, seen)


def pdf_report(path: Path) -> PdfReport:
    """Read a PDF with pypdf: page sizes, fonts (each once) and the text (NFKC-normalised)."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = tuple((float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages)
    found: dict[Any, Any] = {}
    seen: set[int] = set()
    for page in reader.pages:
        _fonts_of(page.get("/Resources"), found, seen)
    fonts = []
    japanese_type3 = []
    for font in found.values():
        subtype = str(font.get("/Subtype", ""))
        name = str(font.get("/BaseFont", font.get("/Name", "")))
        fonts.append((name, subtype, _embedded(font)))
        if subtype == "/Type3" and _type3_draws_japanese(font):
            japanese_type3.append(name)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return PdfReport(pages=pages, fonts=tuple(fonts), text=unicodedata.normalize("NFKC", text),
                     _type3_japanese=tuple(japanese_type3))


if __name__ == "__main__":
    sys.exit(_main())
