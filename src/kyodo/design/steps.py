"""The widgets of the design sheet's steps: the course's exercise widgets, as live views.

Each is the exercise widget the lessons use, made a :class:`~kyodo.design.live.LiveView`
so that it reloads when the design changes under it and never writes stale
state. Step 3 (partners) is a live view of its own: :class:`~kyodo.widgets.partners.PartnersWidget`;
so are the steps of the plan (7 to 12, :mod:`kyodo.widgets.plan_common` and the modules beside it).
"""

from __future__ import annotations

from typing import Any

from ..widgets.contact_plan import ContactPlanWidget
from ..widgets.form import TextFormWidget
from ..widgets.gap_finder import GapFinderWidget
from ..widgets.logic_model import LogicModelWidget
from .live import LiveView


class DesignForm(LiveView, TextFormWidget):
    """Step 1: labelled text fields (step 6 adds the contact: :class:`~kyodo.widgets.first_contact.FirstStepWidget`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.go_live()

    def reload(self) -> None:
        for box in self.inputs.values():
            box.value = ""
        self.restore(self.store.get(self.key))
        self.status.value = ""


class DesignGapFinder(LiveView, GapFinderWidget):
    """Step 2: purpose, needs, what is missing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.go_live()


class DesignLogicModel(LiveView, LogicModelWidget):
    """Step 4: activities and outcomes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.go_live()


class DesignContactPlan(LiveView, ContactPlanWidget):
    """Step 5: a year of contact."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.go_live()
