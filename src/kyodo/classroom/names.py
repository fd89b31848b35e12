"""Learner names as typed, and the safe names the hub and the system use.

In the classroom a learner types any name (``田中``, ``tanaka``,
``ジョン・スミス``). The hub and Linux need a safe one: the hub user and
the system user that runs the learner's server share it, so it must be a
valid Linux user name (at most 32 characters of ``[a-z_][a-z0-9_-]*``)
and may appear in URLs (``/user/<name>/``).

The mapping, both ways (:func:`system_name`, :func:`typed_name`):

* The typed name is first put into one canonical form (:func:`canonical`):
  Unicode NFKC, so full-width ``ｔａｎａｋａ`` and half-width katakana read
  as ``tanaka`` and ordinary katakana, then lower case. ``Tanaka``,
  ``tanaka`` and ``ｔａｎａｋａ`` are therefore one learner: a learner who
  types their name a little differently the next day still finds their
  work. Leading and trailing spaces are dropped (the hub's login form does
  this too).
* A canonical name of ASCII letters, digits, ``-`` and ``_`` becomes
  ``k-`` + the name: ``tanaka`` → ``k-tanaka``.
* Any other canonical name becomes ``k_`` + its Punycode (RFC 3492, the
  encoding of international domain names): ``田中`` → ``k_fiqx46g``.
  The two prefixes differ, so an ASCII name never meets an encoded one,
  and the prefix keeps every learner apart from the machine's own users
  (a learner called ``root`` is ``k-root``).
* :func:`typed_name` decodes, and accepts only names that
  :func:`system_name` itself produces, so the two are inverse:
  ``typed_name(system_name(t)) == canonical(t)`` and
  ``system_name(typed_name(s)) == s``.

Refused, each with a Japanese message (``ValueError``): a blank name;
spaces inside the name (``田中 太郎``: type it without the space); control
and other invisible characters (zero-width, direction marks); ``/`` and
``..``; any ASCII symbol except ``-`` and ``_`` (``.``, ``@``, ``~`` …);
other symbols and emoji (``・`` is kept: ``ジョン・スミス``); a name
made of ``-`` and ``_`` only; more than :data:`MAX_LENGTH` characters;
and a name whose safe form would pass 32 characters (long kanji names:
about ten kanji fit).

Run ``python -m kyodo.classroom.names 田中 k-tanaka`` to see both directions
(facilitators use it to find a learner on the hub's admin page).
"""

from __future__ import annotations

import re
import sys
import unicodedata

from ..text import msg

MAX_LENGTH = 20
"""The longest name (in characters, after :func:`canonical`) a learner may type."""

MAX_SYSTEM_LENGTH = 32
"""Linux user names are at most 32 characters."""

ASCII_PREFIX = "k-"
ENCODED_PREFIX = "k_"

SYSTEM_NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
"""What a Linux user name may look like (and what every name made here matches)."""

_ASCII_NAME = re.compile(r"[a-z0-9_-]+")
_ALLOWED_SYMBOLS = frozenset("-_・")
"""Symbols a name may hold: ASCII ``-`` and ``_``, and the katakana middle dot."""


def canonical(typed: str) -> str:
    """The canonical form of a typed name: NFKC, lower case, outer spaces dropped.

    No check is made here; see :func:`check`.
    """
    text = unicodedata.normalize("NFKC", typed)
    text = unicodedata.normalize("NFKC", text.lower())
    return text.strip()


def check(typed: str) -> str:
    """Return the canonical form of ``typed``, or raise ``ValueError`` (Japanese) saying what is wrong."""
    if not isinstance(typed, str):
        raise ValueError(msg("classroom.names.blank"))
    name = canonical(typed)
    if not name:
        raise ValueError(msg("classroom.names.blank"))
    # Control and invisible characters first: they must never be echoed back.
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValueError(msg("classroom.names.control"))
    if len(name) > MAX_LENGTH:
        raise ValueError(msg("classroom.names.too_long", length=len(name), limit=MAX_LENGTH))
    if any(ch.isspace() or unicodedata.category(ch).startswith("Z") for ch in name):
        raise ValueError(msg("classroom.names.space"))
    if ".." in name:
        raise ValueError(msg("classroom.names.dots"))
    if "/" in name or "\\" in name:
        raise ValueError(msg("classroom.names.slash"))
    for ch in name:
        if ch in _ALLOWED_SYMBOLS:
            continue
        category = unicodedata.category(ch)
        if ch.isascii() and not ch.isalnum():
            raise ValueError(msg("classroom.names.symbol", char=ch))
        if not category.startswith(("L", "M", "N")):
            raise ValueError(msg("classroom.names.symbol", char=ch))
    if all(ch in _ALLOWED_SYMBOLS for ch in name):
        raise ValueError(msg("classroom.names.only_symbols"))
    return name


def _encode(name: str) -> str:
    if _ASCII_NAME.fullmatch(name):
        return ASCII_PREFIX + name
    return ENCODED_PREFIX + name.encode("punycode").decode("ascii")


def system_name(typed: str) -> str:
    """The hub and system user name for a typed learner name (``ValueError`` in Japanese if refused)."""
    name = check(typed)
    system = _encode(name)
    if len(system) > MAX_SYSTEM_LENGTH:
        raise ValueError(msg("classroom.names.too_long_encoded"))
    if not SYSTEM_NAME_PATTERN.fullmatch(system):  # pragma: no cover - guarded by check()
        raise ValueError(msg("classroom.names.symbol", char=system))
    return system


def typed_name(system: str) -> str:
    """The learner's name (canonical form) for a hub/system name made by :func:`system_name`.

    Raises ``ValueError`` for any name :func:`system_name` would not produce
    (the machine's own users, hand-made names, broken encodings).
    """
    refused = ValueError(msg("classroom.names.not_learner", name=system))
    if not isinstance(system, str) or not SYSTEM_NAME_PATTERN.fullmatch(system):
        raise refused
    if system.startswith(ASCII_PREFIX):
        name = system[len(ASCII_PREFIX):]
    elif system.startswith(ENCODED_PREFIX):
        try:
            name = system[len(ENCODED_PREFIX):].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError, IndexError, OverflowError):
            raise refused from None
    else:
        raise refused
    try:
        again = system_name(name)
    except ValueError:
        raise refused from None
    if again != system:
        raise refused
    return name


def is_learner_name(system: str) -> bool:
    """Whether ``system`` is a name :func:`system_name` makes."""
    try:
        typed_name(system)
    except ValueError:
        return False
    return True


def display_name(system: str) -> str:
    """The name to show for hub user ``system``: the learner's name, or ``system`` itself for any other user."""
    try:
        return typed_name(system)
    except ValueError:
        return system


def main(argv: list[str] | None = None) -> int:
    """Print the other form of each name given: typed → system name, system name → typed."""
    args = sys.argv[1:] if argv is None else argv
    status = 0
    for arg in args:
        try:
            if is_learner_name(arg):
                print(f"{arg}\t{typed_name(arg)}")
            else:
                print(f"{arg}\t{system_name(arg)}")
        except ValueError as error:
            print(f"{arg}\t{error}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
