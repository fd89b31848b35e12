"""``python -m kyodo.kit [--out book/_kit]``: print the facilitator kit (see :mod:`kyodo.kit.build`)."""

import sys

from .build import main

sys.exit(main())
