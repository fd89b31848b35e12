"""Views that belong to one lesson only, one module per lesson.

Exercises are not here: every exercise is an entry of the registry
(``data/exercises/<lesson>.yml``) and a notebook shows it with
``kyodo.exercise("case3-ex2")`` (see :mod:`kyodo.cells`). What stays here
are a lesson's own cards, tables and figures, e.g.
``from kyodo.lessons import policy`` and then ``policy.show_policy()``.
"""
