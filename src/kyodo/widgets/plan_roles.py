"""Step 8 of the design sheet: roles, costs and responsibilities (役割・経費・責任).

A card per party (自分たち and each partner of step 3): what it does, what it
brings (people, money, goods, places, information, networks), what it
answers for. Then who owns each activity of step 4 and each other task, and
who bears each cost. The checks (work nobody owns, costs nobody bears, a
partner that only receives) are in :mod:`kyodo.design.checks`; the data in
:mod:`kyodo.design.plan`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..design.plan import MAX_ROWS, SHORT_LIMIT, TEXT_LIMIT, Roles, roles_from_state
from ..design.sheet import key
from ..text import esc, msg
from .common import Choice, button, guarded
from .plan_common import PlanStepWidget

FIRST_ROWS = 3


class RolesStepWidget(PlanStepWidget):
    part = "roles"
    number = 8
    title_key = "plan.title_roles"
    instructions_key = "plan.roles_instructions"
    watches = (key("partners"), key("logic"), key("issue"))

    rows_shown: dict[str, int]

    def build(self) -> list[W.Widget]:
        design = self.design()
        if not hasattr(self, "rows_shown"):
            self.rows_shown = {"tasks": FIRST_ROWS, "costs": FIRST_ROWS}
        owners = self.party_options(design)
        self.cards: dict[str, dict[str, Any]] = {}
        widgets: list[W.Widget] = []
        for party, name in design.party_names().items():
            card = {
                "does": self.text(msg("plan.party_does"), TEXT_LIMIT, msg("plan.ph_does"), multiline=True),
                "brings": {b.id: W.Checkbox(value=False, description=b.name, indent=False,
                                            layout=W.Layout(width="auto", margin="0 1em 0 0"))
                           for b in self.material.brings},
                "brings_note": self.text(msg("plan.party_brings_note"), TEXT_LIMIT, msg("plan.ph_brings_note")),
                "answers_for": self.text(msg("plan.party_answers_for"), TEXT_LIMIT, msg("plan.ph_answers_for"),
                                         multiline=True),
            }
            for box in card["brings"].values():
                box.observe(self._on_change, names="value")
            self.cards[party] = card
            widgets.append(W.VBox([
                W.HTML(f"<strong>{esc(msg('plan.party_head', name=name))}</strong>"), card["does"],
                W.HBox([W.Label(msg("plan.party_brings"), layout=W.Layout(width="12em")),
                        W.Box(list(card["brings"].values()), layout=W.Layout(flex_flow="row wrap"))]),
                card["brings_note"], card["answers_for"]],
                layout=W.Layout(border="1px solid #999", padding="0.4em", margin="0.3em 0")))

        widgets.append(W.HTML(f"<strong>{esc(msg('plan.work_head'))}</strong>"))
        self.activity_owners: dict[str, Choice] = {}
        activities = design.logic.of_kind("activity")
        if not activities:
            widgets.append(W.HTML(f"<p>{esc(msg('plan.work_no_activities'))}</p>"))
        else:
            widgets.append(W.HTML(f"<p>{esc(msg('plan.work_activities'))}</p>"))
        for activity in activities:
            box = self.choice(activity.text, owners, width="95%")
            self.activity_owners[activity.id] = box
            widgets.append(box)

        widgets.append(W.HTML(f"<p>{esc(msg('plan.work_tasks'))} <small>"
                              f"{esc(msg('plan.work_examples', items='、'.join(self.material.common_work)))}</small></p>"))
        self.tasks = [(self.text(msg("plan.task_label", n=n), SHORT_LIMIT, width="28em"),
                       self.choice(msg("plan.owner_label"), owners)) for n in range(1, self.rows_shown["tasks"] + 1)]
        self.task_rows = [W.HBox([t, o]) for t, o in self.tasks]
        self.more_tasks = button(msg("plan.more_rows"), "primary", "plus")
        self.more_tasks.on_click(self._on_more_tasks)
        widgets += [*self.task_rows, W.HBox([self.more_tasks])]

        widgets.append(W.HTML(f"<strong>{esc(msg('plan.cost_head'))}</strong> <small>"
                              f"{esc(msg('plan.cost_examples', items='、'.join(self.material.common_costs)))}</small>"))
        self.costs = [(self.text(msg("plan.cost_label", n=n), SHORT_LIMIT, width="24em"),
                       self.text(msg("plan.cost_amount"), SHORT_LIMIT, msg("plan.ph_amount") if n == 1 else "",
                                 width="22em"),
                       self.choice(msg("plan.bearer_label"), owners)) for n in range(1, self.rows_shown["costs"] + 1)]
        for item, amount, bearer in self.costs:
            item.style.description_width = amount.style.description_width = "6em"
        self.cost_rows = [W.HBox([i, a, b]) for i, a, b in self.costs]
        self.more_costs = button(msg("plan.more_rows"), "primary", "plus")
        self.more_costs.on_click(self._on_more_costs)
        widgets += [*self.cost_rows, W.HBox([self.more_costs])]
        return widgets

    # --- state ----------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        parties = {}
        for party, card in self.cards.items():
            value = {"does": card["does"].value, "brings": [k for k, box in card["brings"].items() if box.value],
                     "brings_note": card["brings_note"].value, "answers_for": card["answers_for"].value}
            if any(value.values()):
                parties[party] = value
        kept = dict(getattr(self, "_hidden", Roles()).to_state()["parties"])  # parties no longer shown are kept
        kept.update(parties)
        activities = dict(getattr(self, "_hidden", Roles()).activities)
        activities.update({a: box.value for a, box in self.activity_owners.items() if box.value is not None})
        for a, box in self.activity_owners.items():
            if box.value is None:
                activities.pop(a, None)
        return {"parties": kept, "activities": activities,
                "tasks": [{"text": t.value, "owner": o.value} for t, o in self.tasks if t.value or o.value],
                "costs": [{"item": i.value, "amount": a.value, "bearer": b.value} for i, a, b in self.costs
                          if i.value or a.value or b.value]}

    def restore(self, state: Any) -> int:
        roles = roles_from_state(state, self.material)
        need = {"tasks": max(self.rows_shown["tasks"], min(len(roles.tasks) + 1, MAX_ROWS)),
                "costs": max(self.rows_shown["costs"], min(len(roles.costs) + 1, MAX_ROWS))}
        if need != self.rows_shown:  # rows are built as they are needed
            self.rows_shown = need
            self.rebuild()
        shown = set(self.cards)
        self._hidden = Roles({p: r for p, r in roles.parties.items() if p not in shown},
                             {a: o for a, o in roles.activities.items() if a not in self.activity_owners})
        n = 0
        for party, card in self.cards.items():
            role = roles.role(party)
            card["does"].value = role.does
            card["brings_note"].value = role.brings_note
            card["answers_for"].value = role.answers_for
            for kind, box in card["brings"].items():
                box.value = kind in role.brings
            n += not role.empty
        for a, box in self.activity_owners.items():
            self.set_choice(box, roles.activities.get(a))
            n += a in roles.activities
        for (text, owner), task in zip(self.tasks, (*roles.tasks, *[None] * len(self.tasks))):
            text.value = task.text if task else ""
            self.set_choice(owner, task.owner if task else None)
        for (item, amount, bearer), cost in zip(self.costs, (*roles.costs, *[None] * len(self.costs))):
            item.value = cost.item if cost else ""
            amount.value = cost.amount if cost else ""
            self.set_choice(bearer, cost.bearer if cost else None)
        self.show_rows()
        return n + len(roles.tasks) + len(roles.costs)

    def after_restore(self) -> None:
        self.show_rows()

    def show_rows(self) -> None:
        self.more_tasks.disabled = self.rows_shown["tasks"] >= MAX_ROWS
        self.more_costs.disabled = self.rows_shown["costs"] >= MAX_ROWS

    @guarded
    def _on_more_tasks(self, _: Any = None) -> None:
        self._more("tasks")

    @guarded
    def _on_more_costs(self, _: Any = None) -> None:
        self._more("costs")

    def _more(self, name: str) -> None:
        if self.rows_shown[name] >= MAX_ROWS:
            self.feedback.show("info", msg("plan.rows_limit", n=MAX_ROWS))
            return
        kept = self.state()
        self.rows_shown[name] += 1
        with self.quietly():
            self.rebuild()
            self.restore(kept)
            self.after_restore()
