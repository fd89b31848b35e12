"""Lesson-specific exercises, one module per lesson.

Exercises that several lessons share live in :mod:`kyodo.lesson` (and are
re-exported as ``kyodo.flow_map``, ``kyodo.who_does_what`` ...). What only
one lesson needs lives here, e.g. ``from kyodo.lessons import case1`` and
then ``case1.alone_or_together()`` in the notebook.
"""
