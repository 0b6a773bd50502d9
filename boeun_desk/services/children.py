"""Records edited as a list inside their parent's form and saved in the parent's transaction: a
visit's follow-ups, a meeting's attendees and actions.

A parent service names its lists in `children`. Saving the parent with a list's key (e.g.
`follow_ups`) makes that list exactly what is given: rows without an id are added, listed ids
updated, missing ones moved to the 휴지통. Every row passes its own kind's schema (the same rules a
sync bundle's row meets in services/gate.py), and a bad row refuses the whole save with the row's
number in the message. The rows go to the 휴지통 with their parent and come back with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boeun_desk.i18n import t
from boeun_desk.kinds import Kind, kind_of
from boeun_desk.models import Tracked, utcnow
from boeun_desk.services.base import Changes, EntityService, to_view
from boeun_desk.validation import Cleaned, Field, FieldError, ValidationFailed, clean


@dataclass(frozen=True)
class ChildList:
    key: str  # the parent's input key, e.g. "follow_ups"
    model: type[Tracked]
    parent: str  # the child's column naming its parent, e.g. "visit_id"
    columns: tuple[str, ...]  # the fields a form edits, in the order of its columns
    order_by: tuple[str, ...]  # the order rows are listed and printed in
    form_label: str = ""  # what the form calls the list where it differs from the kind's label

    @property
    def title(self) -> str:
        """The list's Korean name on a form (through t())."""
        return self.form_label or self.label

    @property
    def kind(self) -> Kind:
        return kind_of(self.model)

    @property
    def label(self) -> str:
        """The list's Korean label (through t())."""
        return self.kind.label

    @property
    def fields(self) -> tuple[Field, ...]:
        """The schema fields of the form's columns, in order."""
        return tuple(self.kind.field(name) for name in self.columns)

    @property
    def ordered(self) -> bool:
        """The rows keep the order they were given in (a `seq` column), e.g. an attendance list."""
        return "seq" in self.model.__table__.columns  # type: ignore[attr-defined]


class WithChildren(EntityService):
    """An entity saved with lists of dependent rows (`children`)."""

    children: ClassVar[Sequence[ChildList]] = ()

    def _own_fields(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        keys = {child.key for child in self.children}
        return {k: v for k, v in super()._own_fields(data).items() if k not in keys}

    def create(self, data: Mapping[str, Any]) -> Changes:
        with self._every_error(data):
            return super().create(data)

    def create_in(self, session: Session, data: Mapping[str, Any], *, cleaned: Cleaned | None = None) -> Changes:
        with self._every_error(data):
            return super().create_in(session, data, cleaned=cleaned)

    def update(self, record_id: str, data: Mapping[str, Any], *, expected_version: int | None = None) -> Changes:
        with self._every_error(data):
            return super().update(record_id, data, expected_version=expected_version)

    def update_in(self, session: Session, record_id: str, data: Mapping[str, Any], *,
                  expected_version: int | None = None, cleaned: Cleaned | None = None) -> Changes:
        with self._every_error(data):
            return super().update_in(session, record_id, data, expected_version=expected_version, cleaned=cleaned)

    def preview(self, data: Mapping[str, Any], record_id: str | None = None) -> list[FieldError]:
        """The save's warnings, or ValidationFailed naming the record's faults and its rows' at once."""
        with self._every_error(data):
            warnings = super().preview(data, record_id)
        faults = [e for child in self.children if child.key in data
                  for e in self._clean_rows(child, data[child.key], None)[1]]
        if faults:
            raise ValidationFailed(faults)
        return warnings

    @contextmanager
    def _every_error(self, data: Mapping[str, Any]) -> Iterator[None]:
        """A refused save names every fault at once: the record's fields and rules and its rows'
        (the rows are otherwise checked only once the record itself passed)."""
        try:
            yield
        except ValidationFailed as failed:
            found = list(failed.errors)
            for child in self.children:
                if child.key in data:
                    found += [e for e in self._clean_rows(child, data[child.key], None)[1] if e not in found]
            raise ValidationFailed(found) from None

    def _after_save(self, session: Session, obj: Tracked, data: Mapping[str, Any]) -> None:
        super()._after_save(session, obj, data)
        for child in self.children:
            if child.key in data:
                self._save_rows(session, obj, child, data[child.key])

    def _clean_rows(self, child: ChildList, items: Any,
                    parent_id: str | None) -> tuple[list[tuple[Any, dict[str, Any]]], list[FieldError]]:
        """(row id or None, cleaned values) of each given row, and the faults of the bad ones
        (without `parent_id`: checked apart from the parent, which is not saved yet)."""
        if not isinstance(items, list | tuple):
            return [], [FieldError(child.key, t(child.title), t("목록 형식이 올바르지 않습니다"))]
        schema = [f for f in child.kind.schema if parent_id is not None or f.name != child.parent]
        rows, errors = [], []
        for index, item in enumerate(items, start=1):
            where = t("{label} {n}", label=t(child.title), n=index)
            if not isinstance(item, Mapping):
                errors.append(FieldError(child.key, where, t("목록 형식이 올바르지 않습니다")))
                continue
            fields = {k: v for k, v in item.items() if k not in ("id", "seq")}
            if child.ordered:
                fields["seq"] = index
            if parent_id is not None:
                fields[child.parent] = parent_id
            try:
                rows.append((item.get("id"), clean(schema, fields).values))
            except ValidationFailed as failed:
                errors += [FieldError(child.key, where, str(e)) for e in failed.errors]
            except ValueError:  # a key that is no field of the row
                errors.append(FieldError(child.key, where, t("알 수 없는 항목이 있습니다")))
        return rows, errors

    def _save_rows(self, session: Session, obj: Tracked, child: ChildList, items: Any) -> None:
        rows, errors = self._clean_rows(child, items, obj.id)
        if errors:
            raise ValidationFailed(errors)
        model = child.model
        # Every row of this record, those in the 휴지통 too: a listed one removed earlier comes back
        # (an undo puts the list back as it was, the same rows).
        own = {row.id: row for row in session.scalars(select(model).where(getattr(model, child.parent) == obj.id))}
        live = {row_id for row_id, row in own.items() if row.deleted_at is None}
        for row_id, values in rows:
            for spec in child.kind.schema:
                if spec.kind == "bool" and values.get(spec.name) is None:
                    values[spec.name] = False  # an unticked box
            target = own.get(row_id) if row_id else None
            self._prepare_row(child, values, target)
            if target is None:
                session.add(model(**values))
                continue
            for key, value in values.items():
                setattr(target, key, value)
            target.deleted_at = None
            live.discard(target.id)
        for leftover in live:
            own[leftover].deleted_at = utcnow()

    def state_in(self, session: Session, record_id: str, keys: Iterable[str]) -> dict[str, Any]:
        """The record's fields under `keys` and, for a list's key, its live rows as `update` takes
        them (ids and fields; the order is their order)."""
        keys = set(keys)
        state = super().state_in(session, record_id, keys)
        for child in self.children:
            if child.key in keys:
                model = child.model
                fields = [f.name for f in child.kind.schema if f.name not in (child.parent, "seq")]
                order = [model.seq] if child.ordered else []  # type: ignore[attr-defined]
                query = select(model).where(getattr(model, child.parent) == record_id, model.deleted_at.is_(None))
                state[child.key] = [{"id": row.id, **{name: getattr(row, name) for name in fields}}
                                    for row in session.scalars(query.order_by(*order, model.created_at, model.id))]
        return state

    def _prepare_row(self, child: ChildList, values: dict[str, Any], row: Tracked | None) -> None:
        """A row's cleaned values before they are written over `row` (None: a new row), e.g. the day
        a follow-up was done."""

    def _edit_version(self, session: Session, obj: Tracked) -> int:
        # The form edits the record with its rows, and a row also changes on its own (ticked done,
        # merged from a laptop). Versions only grow, so the sum grows whenever any row changes.
        total = obj.version
        for child in self.children:
            model = child.model
            total += session.scalar(select(func.sum(model.version)).where(getattr(model, child.parent) == obj.id)) or 0
        return total

    def _dependents(self, session: Session, obj: Tracked) -> dict[str, list[Tracked]]:
        """The rows share their parent's state: they go to the 휴지통 with it and come back with it."""
        found = dict(super()._dependents(session, obj))
        for child in self.children:
            model = child.model
            same = model.deleted_at.is_(None) if obj.deleted_at is None else model.deleted_at == obj.deleted_at
            found[child.label] = list(session.scalars(select(model).where(getattr(model, child.parent) == obj.id,
                                                                          same)))
        return found

    def rows_of(self, record_id: str, key: str) -> list[Any]:
        """The live rows of one of the record's lists, in their order."""
        child = next(c for c in self.children if c.key == key)
        model = child.model
        with self.sessions() as session:
            query = select(model).where(getattr(model, child.parent) == record_id, model.deleted_at.is_(None))
            order = [getattr(model, name) for name in child.order_by]
            return [to_view(row) for row in session.scalars(query.order_by(*order, model.created_at, model.id))]
