"""The course's house style: one written form for each word that comes back often.

:data:`TERMS` is the one table of preferred → refused forms, and
:func:`findings` lists every refused form in a text (with its line and the
form to write instead). ``tests/test_house_style.py`` runs it over all the
course's text: the notebooks (Markdown cells and the strings in code cells),
``data/**/*.yml``, the message catalogue ``src/kyodo/locales/ja/*.yml`` and the
book's Markdown. Anything else that writes Japanese text can use it too.

The choices, decided by what the course uses most and what reads best:

- 活かす, the pamphlet's own spelling (「互いの強みを活かした」), in every form:
  not 生かす, 生かし, 生かせ ...
- 打合せ, the course's usual form: not 打ち合わせ, 打ち合せ or 打合わせ.
- 学習者 for the people who take the course, the form the facilitator's pages,
  the classroom and the data already use: not 学ぶ人 or 受講生.
- 円滑に, the pamphlet's word (CASE2, P3): not 滑らかに.
- 書き換わる (a table that changes as you choose): not 書き変わる.
- 学内・庁内 (the networks of universities and city offices): not 院内・庁内.
- 成果 is the course's word for outcomes, as in the pamphlet's 成果志向. The
  logic model's term appears only as a gloss, 「成果 (アウトカム)」.
- The frameworks of the lesson ``frameworks``, as ``data/lessons/frameworks.yml``
  names them: The Partnering Initiative (TPI), its book *The Partnering
  Toolbook* and its パートナリング・サイクル; Collective Impact's five
  conditions (共通のアジェンダ、共通の測定、相互に補強し合う活動、継続的な
  コミュニケーション、支える中核組織); Wilder's six categories (環境、メンバーの
  特性、進め方と仕組み、コミュニケーション、目的、資源).
- One name for each exercise: the ``title`` of its entry in ``data/exercises/``
  (the names used before for two of them are refused here; the test also checks
  the notebooks' headings and ``book/intro.md`` against the titles).
- アルテリッカしんゆり, the festival's own name. The pamphlet prints
  「アルテリックカしんゆり」; that spelling may appear only where the data
  records it, right after 「パンフレットの表記は」.

「ここがポイント」 is the heading of the pamphlet's point sections. It is not a
refused word, but only the lessons of the pamphlet's cases may use it as a
label; elsewhere it appears in quotes (「ここがポイント」), as the pamphlet's
heading. :func:`unquoted_point_labels` finds the other uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One house term: the form to write, and a pattern of the forms it replaces."""

    preferred: str
    refused: str
    """A regular expression matching every refused form (and nothing else)."""

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.refused)


TERMS: tuple[Term, ...] = (
    Term("活かす (活かし、活かせ …)", r"生か[さしすせそ]"),
    Term("打合せ", r"打ち合わせ|打ち合せ|打合わせ"),
    Term("学習者", r"学ぶ人|受講生"),
    Term("円滑に", r"滑らか"),
    Term("書き換わる", r"書き変わ"),
    Term("学内・庁内", r"院内・庁内"),
    Term("成果 (ロジックモデルの用語は「成果 (アウトカム)」と添える)", r"(?<!成果 \()アウトカム"),
    Term("The Partnering Initiative (TPI)", r"パートナリング・イニシアティブ"),
    Term("The Partnering Toolbook", r"パートナリング・ツールブック"),
    Term("パートナリング・サイクル", r"パートナーシップの循環"),
    Term("共通の測定 (コレクティブ・インパクトの条件)", r"共通の評価"),
    Term("相互に補強し合う活動 (コレクティブ・インパクトの条件)", r"相互に補い合う活動"),
    Term("メンバーの特性 (Wilder の分類)", r"参加者の特徴"),
    Term("進め方と仕組み (Wilder の分類)", r"過程と構造"),
    Term("相互利益の帳簿をつける (case2-ex2 の名前)", r"メリットの台帳"),
    Term("足りないものと、それを持つ相手を探す (policy-ex2 の名前)", r"資源ギャップ・ファインダー"),
    Term("アルテリッカしんゆり", r"(?<!パンフレットの表記は「)アルテリックカ"),
)
"""The house terms, in one place. Add a line here to add a term everywhere."""

POINT_LABEL = "ここがポイント"
"""The pamphlet's heading of a case's point section."""


@dataclass(frozen=True)
class Finding:
    """A refused form found in a text."""

    found: str
    preferred: str
    line: int
    """1-based line of the text where the form starts."""
    context: str
    """The line, shortened around the form."""

    def __str__(self) -> str:
        return f"{self.line}: 「{self.found}」→「{self.preferred}」 ({self.context})"


def _line_and_context(text: str, start: int, end: int) -> tuple[int, str]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    offset = start - line_start
    lo = max(0, offset - 20)
    return text.count("\n", 0, start) + 1, line[lo:offset + (end - start) + 20].strip()


def findings(text: str, terms: tuple[Term, ...] = TERMS) -> list[Finding]:
    """Every refused form of ``terms`` in ``text``, in the order of the text."""
    found: list[tuple[int, Finding]] = []
    for term in terms:
        for match in term.pattern.finditer(text):
            line, context = _line_and_context(text, match.start(), match.end())
            found.append((match.start(), Finding(match.group(0), term.preferred, line, context)))
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]


def unquoted_point_labels(text: str) -> list[Finding]:
    """Uses of 「ここがポイント」 that are not quoted as the pamphlet's heading.

    For the text of a lesson that is not one of the pamphlet's cases: there the
    heading may only be named, in quotes, never used as the lesson's own label.
    """
    result = []
    for match in re.finditer(re.escape(POINT_LABEL), text):
        before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        if before == "「" and after == "」":
            continue
        line, context = _line_and_context(text, match.start(), match.end())
        result.append(Finding(POINT_LABEL, f"「{POINT_LABEL}」", line, context))
    return result
