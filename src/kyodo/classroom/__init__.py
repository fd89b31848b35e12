"""The classroom: a JupyterHub for one room, and what a learner sees in it (see ``classroom/``).

The hub (``make classroom``, ``classroom/jupyterhub_config.py``):

* :mod:`kyodo.classroom.names`: a typed learner name ↔ the safe hub and system user name
  (``田中`` ↔ ``k_fiqx46g``, ``tanaka`` ↔ ``k-tanaka``).
* :mod:`kyodo.classroom.auth`: signing in with the workshop password and each learner's own
  合言葉; facilitators with their own password.
* :mod:`kyodo.classroom.content`: the course copied into each learner's home (missing files only).
* :mod:`kyodo.classroom.preflight`: the settings (``KYODO_CLASSROOM_*``), the checks before
  starting, and ``make classroom-stop``.

What a learner sees (``classroom/jupyter_server_config.py``): :mod:`kyodo.classroom.landing`
(the lesson list) and :mod:`kyodo.classroom.workshop_server`; for hubs that already exist,
:mod:`kyodo.classroom.links` (nbgitpuller links).

The contract between the parts: a learner's home holds ``~/kyodo/`` (the lessons, and the
landing page as ``index.ipynb``) and ``~/kyodo-workspace/`` (``KYODO_WORKSPACE``); every
learner server gets ``KYODO_WORKSPACE``, ``KYODO_LEARNER`` (the name as typed, canonical
form), ``KYODO_CLASSROOM_MODE`` (``workshop`` or ``lab``), ``KYODO_DATA`` (the checkout's
``data/``) and ``KYODO_READING`` (``voila`` or ``lab``).
"""
