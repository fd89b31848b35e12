"""How the course cites a case: the pamphlet and its page, another publication, or 架空の例.

A case file without ``source`` is one of the pamphlet's cases (on its ``page``);
a case from another publication or one the course made up says so in its
``source`` (:class:`kyodo.models.Case`). Every view, exercise and export names a
case through these functions, so a case that is not the pamphlet's is never
shown as a fact of the pamphlet:

- :func:`case_heading`: ``CASE3 (パンフレット P4)``, for a case card or a table of cases;
- :func:`case_ref`: ``CASE3 (P4)``, where the pamphlet is the understood source
  (evidence, lists); another source is always spelt out;
- :func:`source_note`: ``""`` for a pamphlet case, else `` (架空の例)``, to follow a
  case's name (``CASE6 市民活動団体と行政 (架空の例)``);
- :func:`source_line`: the sentence under a case card;
- :func:`cases_phrase`: ``パンフレットの5つの事例``, counted, for captions.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Case, HypotheticalSource, PamphletSource, PublicationSource
from .text import msg


def source_text(case: Case) -> str:
    """The case's source in a few words: ``パンフレット P4``, ``<issuer>「<title>」P12`` or ``架空の例``."""
    cited = case.cited
    if isinstance(cited, PamphletSource):
        return msg("citation.pamphlet", page=cited.page)
    if isinstance(cited, PublicationSource):
        where = msg("citation.page", page=cited.page) if cited.page is not None else ""
        return msg("citation.publication", issuer=cited.issuer, title=cited.title, where=where)
    return msg("citation.hypothetical")


def case_heading(case: Case) -> str:
    """``CASE3 (パンフレット P4)``: the case's number and its source."""
    return msg("citation.heading", number=case.number, source=source_text(case))


def case_ref(case: Case) -> str:
    """``CASE3 (P4)`` for a pamphlet case; any other source in full (``CASE6 (架空の例)``)."""
    cited = case.cited
    source = msg("citation.page_only", page=cited.page) if isinstance(cited, PamphletSource) else source_text(case)
    return msg("citation.heading", number=case.number, source=source)


def source_note(case: Case) -> str:
    """Nothing for a pamphlet case; `` (<source>)`` for any other, to follow the case's name."""
    return "" if case.from_pamphlet else msg("citation.note", source=source_text(case))


def source_line(case: Case) -> str:
    """The sentence under a case card: where the facts come from (and, if not the pamphlet, that they do not)."""
    cited = case.cited
    if isinstance(cited, PamphletSource):
        return msg("citation.line_pamphlet", page=cited.page)
    if isinstance(cited, PublicationSource):
        where = "".join([msg("citation.page", page=cited.page) if cited.page is not None else "",
                         msg("citation.url", url=cited.url) if cited.url else ""])
        return msg("citation.line_publication", issuer=cited.issuer, title=cited.title, year=cited.year,
                   where=where)
    assert isinstance(cited, HypotheticalSource)
    return msg("citation.line_hypothetical") + (f" {cited.note}" if cited.note else "")


def _count(n: int) -> str:
    return msg("citation.count", n=n) if n < 10 else str(n)


def cases_phrase(cases: Iterable[Case]) -> str:
    """``パンフレットの5つの事例`` when every case is the pamphlet's, else the count by source:
    ``6つの事例 (パンフレットの5つ、ほかの出版物の1つ)``."""
    cases = list(cases)
    kinds = [c.cited.kind for c in cases]
    if all(kind == "pamphlet" for kind in kinds):
        return msg("citation.cases_pamphlet", n=_count(len(cases)))
    parts = [msg(f"citation.part_{kind}", n=_count(kinds.count(kind)))
             for kind in ("pamphlet", "publication", "hypothetical") if kind in kinds]
    return msg("citation.cases_mixed", n=_count(len(cases)), parts="、".join(parts))


def cases_count(cases: Iterable[Case]) -> str:
    """``5つの事例``: the number of cases, whatever their sources."""
    return msg("citation.cases", n=_count(len(list(cases))))
