"""Counting the results of a check, shared by every exercise that marks items one by one.

A check's ``results`` each carry a ``mark``: an Enum whose values include
``"correct"`` and ``"unanswered"``. :class:`MarkedCheck` counts them and
words the usual summary from the exercise's own messages
(``<prefix>.summary_empty``, ``.summary_complete``, ``.summary_progress``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..text import msg


class MarkedCheck:
    results: tuple[Any, ...]
    summary_prefix: ClassVar[str]

    @property
    def correct(self) -> int:
        return sum(r.mark.value == "correct" for r in self.results)

    @property
    def unanswered(self) -> int:
        return sum(r.mark.value == "unanswered" for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def complete(self) -> bool:
        return self.correct == self.total

    def summary_extra(self) -> dict[str, Any]:
        """Further values for the progress message of an exercise."""
        return {}

    @property
    def summary(self) -> str:
        p = self.summary_prefix
        if self.unanswered == self.total:
            return msg(f"{p}.summary_empty", total=self.total)
        if self.complete:
            return msg(f"{p}.summary_complete", total=self.total)
        return msg(f"{p}.summary_progress", correct=self.correct, total=self.total, unanswered=self.unanswered,
                   **self.summary_extra())
