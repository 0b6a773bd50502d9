"""The decisions of a record form, without a window: initial texts, what changed, saving.

Kept free of Qt so tests can drive it directly; `RecordForm` only maps widgets to these values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
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
    """Create or edit one record of `spec` through the context's undoable service calls.

    An edit remembers the record's version from when the form opened; a save after someone else
    (another window, a merged laptop copy) changed the record is refused with StaleEdit.
    """

    def __init__(self, context: Any, spec: ListSpec, record_id: str | None = None,
                 preset: dict[str, Any] | None = None):
        self.context, self.spec, self.record_id = context, spec, record_id
        self.service = getattr(context.services, spec.service)
        self.initial: dict[str, Any] = {f.name: edit_text(f, None) for f in spec.schema}
        self.version: int | None = None
        if record_id:
            # Read before the record: a change in between makes the save stale (refused), never lost.
            self.version = self.service.edit_version(record_id)
            record = self.service.get(record_id)
            self.initial.update({f.name: edit_text(f, getattr(record, f.name)) for f in spec.schema})
        for name, value in (preset or {}).items():
            self.initial[name] = value
        for child in self.children:
            self.initial[child.key] = self._rows(child)

    @property
    def children(self) -> Sequence[Any]:
        """The lists edited with the record (a visit's follow-ups, a meeting's attendees and actions)."""
        return getattr(self.service, "children", ())

    @property
    def child_keys(self) -> set[str]:
        return {child.key for child in self.children}

    def _rows(self, child: Any) -> list[dict[str, Any]]:
        """A list's saved rows as its editor shows them (the texts an officer would type)."""
        if not self.record_id:
            return []
        return [{"id": row.id, **{f.name: edit_text(f, getattr(row, f.name)) for f in child.fields}}
                for row in self.service.rows_of(self.record_id, child.key)]

    def resume(self, base: dict[str, Any] | None, version: int | None) -> None:
        """Continue a draft from the record as it was when the typing began (a form left open by a
        crash), so a change made since then is caught on save like any other."""
        if base is not None:
            self.initial = {**self.initial, **base}
        if version is not None:
            self.version = version

    @property
    def is_new(self) -> bool:
        return self.record_id is None

    def changed(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if self.initial.get(k) != v}

    def dirty(self, values: dict[str, Any]) -> bool:
        return bool(self.changed(values))

    def submit(self, values: dict[str, Any], files: Sequence[Path] = ()) -> Changes:
        """Save, with the files added in the form (in the same transaction, one undoable step);
        raises ValidationFailed or StaleEdit (nothing saved) so the form can say why."""
        if self.is_new:
            changes = self.context.create(self.spec.service, values, files)
            self.record_id = changes.id
        else:
            changes = self.context.update(self.spec.service, self.record_id, self.changed(values),
                                          expected_version=self.version, files=files)
        self.version = self.service.edit_version(changes.id)
        self.initial = dict(values)
        for child in self.children:
            if child.key in values:
                self.initial[child.key] = self._rows(child)
        return changes

    def catch_up(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """After a refused save (StaleEdit): the record as it is now becomes the base.

        Returns the values to show, where a field the officer left alone takes the other change and
        a typed one stays, and the other side's value of each field changed on both sides. The next
        save writes only what the officer typed.
        """
        assert self.record_id is not None
        now = FormLogic(self.context, self.spec, self.record_id)
        shown, both = {}, {}
        for name, typed in values.items():
            before, theirs = self.initial.get(name), now.initial.get(name)
            shown[name] = theirs if typed == before else typed
            if typed != before and theirs not in (before, typed):
                both[name] = theirs
        self.initial, self.version = now.initial, now.version
        return shown, both
