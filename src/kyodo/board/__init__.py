"""The room board (進行役の画面): what the whole room answered, live, for the debrief.

* :mod:`kyodo.board.tally`: what one learner's saved work on one exercise
  says, for every kind of exercise in the registry (pure).
* :mod:`kyodo.board.collect`: reading the room's progress files, read-only
  (a folder, or each learner's workspace in the classroom hub).
* :mod:`kyodo.board.aggregate`: the counts of the room (pure).
* :mod:`kyodo.board.views`: the facilitator view and the projector view (HTML).
* :mod:`kyodo.board.export`: the session record (CSV, charts as PNG with
  alternative text, all in one ZIP).
* :mod:`kyodo.board.server`: the web server, over a folder
  (``make board KYODO_CLASS_FOLDER=…``) or as the hub's service.
"""
