"""The facilitator kit: everything to run a session on paper or on a projector, generated from the data.

* :mod:`kyodo.kit.sheets` — worksheets and answer sheets for every exercise, blank
  reflection and design-sheet forms, the exit ticket card
* :mod:`kyodo.kit.model` — ``data/kit.yml``: run sheets, answer cards, technology fallbacks
* :mod:`kyodo.kit.sessions` — run sheets, answer cards, the fallback sheet, the run sheets' book page
* :mod:`kyodo.kit.projector` — a book page per lesson for the projector
* :mod:`kyodo.kit.build` — ``make kit``: every PDF (through :mod:`kyodo.printing`) and the book pages
"""
