"""The decisions of a record form, without a window: initial texts, what changed, saving.

Kept free of Qt so tests can drive it directly; `RecordForm` only maps widgets to these values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from boeun_desk.entry import now_rounded
from boeun_desk.services import Changes
from boeun_desk.ui.specs import ListSpec
from boeun_desk.validation import (
    Field,
    FieldError,
    InvalidValue,
    clean_value,
    format_brn,
    format_crn,
)


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
        elif spec.service == "visits":  # a new visit starts now (to 10 minutes), changed if need be
            self.initial["starts_at"] = edit_text(spec.kind.field("starts_at"), now_rounded())
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

    def settle(self, shown: dict[str, Any]) -> None:
        """A new record's starting values as its editors show them (a choice left at its first
        item, a default filled in) count as untouched: closing such a form asks nothing."""
        if self.is_new:
            self.initial = {**self.initial, **shown}

    def changed(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if self.initial.get(k) != v}

    def dirty(self, values: dict[str, Any]) -> bool:
        return bool(self.changed(values))

    def warnings(self, values: dict[str, Any]) -> list[FieldError]:
        """What saving `values` would warn about, asked before the save; ValidationFailed (nothing
        saved) when the values break a rule. Decided by the service's rules, as the save is."""
        return self.service.preview(values if self.is_new else self.changed(values), self.record_id)

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        """Field -> what is wrong with it by the rules that need no database (a required field left
        empty, a malformed date, an end before its start), for hiding an error once it is put right."""
        found, good = {}, {}
        for field in self.spec.schema:
            if field.name in values:
                try:
                    good[field.name] = clean_value(field, values[field.name])[0]
                except InvalidValue as error:
                    found[field.name] = str(error)
        for error in self.service.record_errors(good):
            found.setdefault(error.field, error.message)
        return found

    def case_support_type(self, case_id: str | None) -> str | None:
        """The support type of a visit's chosen case (the form fills it in); None without one."""
        return self.context.services.cases.get(case_id).support_type_id if case_id else None

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
