"""Join lines of Japanese prose without a space.

In Markdown, a line break inside a paragraph becomes a space in HTML. Between
two Japanese characters that space shows as a gap (「…のか。 この回では…」),
because Japanese does not separate words with spaces. This transform removes
such line breaks when the characters on both sides are Japanese (kana, kanji,
full-width punctuation), in every page and notebook Markdown cell. Line breaks
next to Latin text, and everything inside code, are left alone.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

# Hiragana, katakana, CJK punctuation, kanji, full-width forms.
_CJK = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_BREAK = re.compile(rf"(?<={_CJK})[ \t]*\n[ \t]*(?={_CJK})")
_SKIP = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.comment, nodes.math)


def join_lines(before: str, text: str, after: str) -> str:
    """`text` with its Japanese line breaks removed; `before`/`after` are its neighbours."""
    joined = _BREAK.sub("", before[-1:] + text + after[:1])
    return joined[len(before[-1:]) : len(joined) - len(after[:1])]


class JoinJapaneseLines(SphinxTransform):
    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        for paragraph in list(self.document.findall(nodes.TextElement)):
            if isinstance(paragraph, _SKIP) or not isinstance(paragraph, (nodes.paragraph, nodes.title, nodes.term)):
                continue
            texts = [t for t in paragraph.findall(nodes.Text) if not isinstance(t.parent, _SKIP)]
            # Work on the strings first: a soft line break is often a Text node of its own ("\n"),
            # and docutils finds a child to replace by equality, not identity.
            values = [t.astext() for t in texts]
            for i, value in enumerate(values):
                if "\n" in value:
                    before = values[i - 1] if i > 0 else ""
                    after = values[i + 1] if i + 1 < len(values) else ""
                    values[i] = join_lines(before, value, after)
            for text, value in zip(texts, values):
                if value != text.astext():
                    parent = text.parent
                    index = next(n for n, child in enumerate(parent.children) if child is text)
                    replacement = nodes.Text(value)
                    replacement.parent = parent
                    parent.children[index] = replacement


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(JoinJapaneseLines)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
