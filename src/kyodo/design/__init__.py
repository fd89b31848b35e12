"""The capstone: design a collaboration of your own, step by step (協働・連携デザインシート).

The notebook calls one function per step; each returns the step's widget::

    from kyodo import design
    design.step_issue()      # 1 地域の課題
    design.step_gaps()       # 2 目的・必要なもの・足りないもの
    design.step_partners()   # 3 相手と相互理解
    design.step_logic()      # 4 活動と成果
    design.step_contact()    # 5 関係を続ける
    design.step_first_step() # 6 最初の一歩 (相談先は川崎市の窓口が既定。ほかの自治体、同僚、中間支援組織も)
    design.step_form()       # 7 協働の形
    design.step_roles()      # 8 役割・経費・責任
    design.step_risks()      # 9 リスクと個人情報
    design.step_measures()   # 10 成果の測り方
    design.step_calendar()   # 11 年度の予定
    design.agreement_draft() # 協定書・覚書の案 (シートから作る)
    design.summary()         # 点検・図・書き出し・読み込み・PDF に印刷
    design.step_review()     # 12 振り返りと相互評価 (事業のあとに)

and :func:`class_overview` shows a folder of exported designs for a debrief.
The step widgets are live views (:mod:`kyodo.design.live`): an import or a
reset reloads every open step, and none writes a stale state.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from IPython.display import HTML, display

from ..data import default_data_dir
from ..exercises.gap_finder import GapFinder
from ..exercises.logic_model import LogicModel
from ..cells import _friendly, course
from ..text import esc, msg
from ..views import _table
from .sheet import LOGIC_KINDS, first_step_fields, issue_fields, key, new_contact_plan

if TYPE_CHECKING:  # the widgets import this package's modules: imported when a step is shown
    from ..widgets.agreement import AgreementWidget
    from ..widgets.design_summary import DesignSummaryWidget
    from ..widgets.first_contact import FirstStepWidget
    from ..widgets.partners import PartnersWidget
    from ..widgets.plan_calendar import CalendarStepWidget
    from ..widgets.plan_form import FormStepWidget
    from ..widgets.plan_measures import MeasuresStepWidget
    from ..widgets.plan_risks import RisksStepWidget
    from ..widgets.plan_roles import RolesStepWidget
    from ..widgets.review import ReviewStepWidget
    from .steps import DesignContactPlan, DesignForm, DesignGapFinder, DesignLogicModel

SAMPLE_FOLDER = default_data_dir() / "samples" / "designs"


@_friendly
def step_issue() -> DesignForm:
    from .steps import DesignForm

    return DesignForm(key("issue"), msg("design.step", n=1), msg("design.title_issue"), msg("design.issue_instructions"),
                      issue_fields())


@_friendly
def step_gaps() -> DesignGapFinder:
    from .steps import DesignGapFinder

    return DesignGapFinder(GapFinder(course()), key("gaps"), msg("design.step", n=2))


@_friendly
def step_partners() -> PartnersWidget:
    from ..widgets.partners import PartnersWidget

    return PartnersWidget(course(), msg("design.step", n=3))


@_friendly
def step_logic() -> DesignLogicModel:
    from .steps import DesignLogicModel

    return DesignLogicModel(LogicModel(kinds=LOGIC_KINDS), key("logic"), msg("design.step", n=4),
                            msg("design.title_logic"), msg("design.logic_instructions"))


@_friendly
def step_contact() -> DesignContactPlan:
    from .steps import DesignContactPlan

    return DesignContactPlan(new_contact_plan(), key("contact"), msg("design.step", n=5))


@_friendly
def step_first_step() -> FirstStepWidget:
    from ..widgets.first_contact import FirstStepWidget

    return FirstStepWidget(course(), key("first_step"), msg("design.step", n=6), msg("design.title_first_step"),
                           msg("design.first_step_instructions"), first_step_fields())


@_friendly
def step_form() -> FormStepWidget:
    from ..widgets.plan_form import FormStepWidget

    return FormStepWidget(course())


@_friendly
def step_roles() -> RolesStepWidget:
    from ..widgets.plan_roles import RolesStepWidget

    return RolesStepWidget(course())


@_friendly
def step_risks() -> RisksStepWidget:
    from ..widgets.plan_risks import RisksStepWidget

    return RisksStepWidget(course())


@_friendly
def step_measures() -> MeasuresStepWidget:
    from ..widgets.plan_measures import MeasuresStepWidget

    return MeasuresStepWidget(course())


@_friendly
def step_calendar() -> CalendarStepWidget:
    from ..widgets.plan_calendar import CalendarStepWidget

    return CalendarStepWidget(course())


@_friendly
def agreement_draft() -> AgreementWidget:
    from ..widgets.agreement import AgreementWidget

    return AgreementWidget(course(), msg("agreement.label"))


@_friendly
def step_review() -> ReviewStepWidget:
    from ..widgets.review import ReviewStepWidget

    return ReviewStepWidget(course())


@_friendly
def summary() -> DesignSummaryWidget:
    from ..widgets.design_summary import DesignSummaryWidget

    return DesignSummaryWidget(course())


def class_folder() -> Path:
    """``$KYODO_CLASS_FOLDER`` (where a facilitator collects exports), else the course's sample designs."""
    env = os.environ.get("KYODO_CLASS_FOLDER")
    return Path(env).expanduser() if env else SAMPLE_FOLDER


@_friendly
def class_overview(folder: str | Path | None = None) -> None:
    """Show the room's designs: a table, what was skipped and why, and charts for the debrief."""
    from ..figures import show_figure  # matplotlib: only the debrief draws charts
    from .overview import charts, read_folder, table_rows

    path = Path(folder) if folder is not None else class_folder()
    data = course()
    overview = read_folder(path, data)
    if overview.entries:
        rows = table_rows(overview, data)
        headers = [msg(f"overview.col_{c}") for c in ("title", "purpose", "partners", "gaps", "steps", "problems")]
        display(HTML(_table(headers, rows, msg("overview.caption", n=len(rows)))))
    else:
        display(HTML(f"<p>{esc(msg('overview.none'))}</p>"))
    if overview.skipped:
        items = "".join(f"<li>{esc(msg('overview.skipped_line', file=s.file, reason=s.reason))}</li>"
                        for s in overview.skipped)
        display(HTML(f"<p><strong>{esc(msg('overview.skipped_title', n=len(overview.skipped)))}</strong></p>"
                     f"<ul>{items}</ul>"))
    for chart in charts(overview, data):
        show_figure(chart.figure, chart.alt_text)
