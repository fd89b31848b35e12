"""The course's user-facing text, in one place.

Every message a learner or course editor sees comes from the catalogue
of its language: the YAML files in ``locales/<lang>/`` (Japanese now; an
English edition adds ``locales/en/``), one file per topic, each holding
one top-level key (``flow.yml`` holds ``flow:``).
Messages are ``str.format`` templates: ``msg("flow.add_too_many", n=40)``.

The language is taken from the ``KYODO_LANG`` environment variable
(default ``ja``). A key missing from the chosen catalogue falls back to
Japanese, so a partial translation never breaks a lesson.
"""

from __future__ import annotations

import html
import re
import os
from functools import lru_cache
from importlib import resources

import yaml

DEFAULT_LANG = "ja"


@lru_cache(maxsize=None)
def catalogue(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Return the flat ``key -> template`` catalogue of one language."""
    folder = resources.files("kyodo") / "locales" / lang
    flat: dict[str, str] = {}
    if not folder.is_dir():
        return flat

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            clash = set(data) & {key.split(".")[0] for key in flat}
            if clash:
                raise ValueError(f"{lang}/{path.name}: top-level keys also defined elsewhere: {sorted(clash)}")
            walk("", data)
    return flat


def current_lang() -> str:
    return os.environ.get("KYODO_LANG", DEFAULT_LANG)


def msg(key: str, /, **values: object) -> str:
    """Return the message ``key`` filled with ``values`` (plain text, not escaped)."""
    template = catalogue(current_lang()).get(key) or catalogue(DEFAULT_LANG).get(key)
    if template is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return template.format(**values)


def esc(value: object) -> str:
    """Escape any value for safe inclusion in HTML (learner text included)."""
    return html.escape(str(value), quote=True)


_CJK = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60"
_FOLD_SPACE = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def unfold(text: str) -> str:
    """``text`` without the blanks a folded YAML block (``>-``) puts between two lines of Japanese.

    YAML folds a line break into a space, which Japanese text does not have:
    「運び、 農場は」 becomes 「運び、農場は」. Blanks beside Latin letters or digits stay.
    """
    return _FOLD_SPACE.sub("", text)


def clean_text(value: str, limit: int) -> tuple[str, bool]:
    """Strip control characters (keeping newlines and tabs) and cut to ``limit``.

    Returns the cleaned text and whether it had to be shortened.
    """
    kept = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    if len(kept) > limit:
        return kept[:limit], True
    return kept, False
