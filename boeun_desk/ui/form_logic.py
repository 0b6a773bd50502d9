"""The decisions of a record form, without a window: initial texts, what changed, saving.

Kept free of Qt so tests can drive it directly; `RecordForm` only maps widgets to these values.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from boeun_desk.services import Changes
from boeun_desk.ui.specs import ListSpec
from boeun_desk.validation import Field, format_brn, format_crn


def edit_text(field: Field, value: Any) -> Any:
    """How a stored value appears in its editor (the same text the officer would type)."""
    if value is None:
        return None if field.kind in {"bool", "ref"} else ""
    if field.kind in {"choice", "ref", "bool"}:
        return value
    if field.kind == "amount":
        return f"{value:,}"
    if field.kind == "brn":
        return format_brn(value)
    if field.kind == "crn":
        return format_crn(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class FormLogic:
    """Create or edit one record of `spec` through the context's undoable service calls."""

    def __init__(self, context: Any, spec: ListSpec, record_id: str | None = None,
                 preset: dict[str, Any] | None = None):
        self.context, self.spec, self.record_id = context, spec, record_id
        self.service = getattr(context.services, spec.service)
        self.initial: dict[str, Any] = {f.name: edit_text(f, None) for f in spec.schema}
        if record_id:
            record = self.service.get(record_id)
            self.initial.update({f.name: edit_text(f, getattr(record, f.name)) for f in spec.schema})
        for name, value in (preset or {}).items():
            self.initial[name] = value
        if spec.service == "visits":
            self.initial["follow_ups"] = self._follow_ups()

    def _follow_ups(self) -> list[dict[str, Any]]:
        if not self.record_id:
            return []
        return [{"id": f.id, "action": f.action, "due_date": f.due_date.isoformat() if f.due_date else "",
                 "done": f.done} for f in self.service.follow_ups(self.record_id)]

    @property
    def is_new(self) -> bool:
        return self.record_id is None

    def changed(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if self.initial.get(k) != v}

    def dirty(self, values: dict[str, Any]) -> bool:
        return bool(self.changed(values))

    def submit(self, values: dict[str, Any]) -> Changes:
        """Save; raises ValidationFailed (nothing saved) so the form can mark each field."""
        if self.is_new:
            changes = self.context.create(self.spec.service, values)
            self.record_id = changes.id
        else:
            changes = self.context.update(self.spec.service, self.record_id, self.changed(values))
        self.initial = dict(values)
        if "follow_ups" in values:
            self.initial["follow_ups"] = self._follow_ups()
        return changes
