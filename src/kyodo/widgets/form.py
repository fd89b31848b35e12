"""A form of labelled text fields that saves as the learner types.

Used for the steps of the design sheet that are plain writing (the local
issue, the first step). Every field is cleaned of control characters and
cut at its limit, with a message; nothing is interpreted as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from ..storage import Store
from ..text import clean_text, esc, msg
from .common import ExerciseWidget, guarded, heading


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    placeholder: str = ""
    multiline: bool = True
    limit: int = 600


def clean_fields(fields: Sequence[Field], state: Any) -> dict[str, str]:
    """The saved values that fit the fields (strings, cleaned, within their limits)."""
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return {}
    result = {}
    for f in fields:
        value = values.get(f.key)
        if isinstance(value, str) and value:
            result[f.key] = clean_text(value if f.multiline else value.replace("\n", " "), f.limit)[0]
    return result


class TextFormWidget(ExerciseWidget):
    def __init__(self, key: str, exercise_id: str, title: str, instructions: str, fields: Sequence[Field],
                 store: Store | None = None, debounce: float = 1.0):
        super().__init__(key, store)
        self.debounce = debounce
        self.fields = list(fields)
        self.inputs: dict[str, W.Text | W.Textarea] = {}
        rows: list[W.Widget] = [heading(exercise_id, title, instructions)]
        for f in self.fields:
            box = (W.Textarea(value="", placeholder=f.placeholder, layout=W.Layout(width="95%", height="5em"))
                   if f.multiline else W.Text(value="", placeholder=f.placeholder, layout=W.Layout(width="95%")))
            box.description = f.label
            box.style.description_width = "12em"
            box.observe(self._on_change, names="value")
            self.inputs[f.key] = box
            rows.append(box)
        self.status = W.HTML(value="")
        self.ui = W.VBox([*rows, self.status, self.feedback.widget])
        self.restore_quietly()

    def values(self) -> dict[str, str]:
        return {k: box.value for k, box in self.inputs.items() if box.value.strip()}

    def state(self) -> dict[str, Any]:
        return {"values": self.values()}

    def restore(self, state: Any) -> int:
        restored = clean_fields(self.fields, state)
        for key, value in restored.items():
            self.inputs[key].value = value
        return len(restored)

    @guarded
    def _on_change(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        f = next(f for f in self.fields if self.inputs[f.key] is change["owner"])
        raw = change["new"] if f.multiline else change["new"].replace("\n", " ")
        cleaned, cut = clean_text(raw, f.limit)
        if cleaned != change["new"]:
            self._restoring = True
            change["owner"].value = cleaned
            self._restoring = False
            self.feedback.show("warning", msg("note.too_long", n=f.limit) if cut else msg("note.cleaned"))
        self.schedule_save()

    def after_save(self) -> None:
        self.status.value = f"<small>{esc(msg('form.saved', n=len(self.values())))}</small>"
