"""The record gate: a whole record that comes from outside the forms (a sync bundle, a server)
passes the same rules as one typed by an officer before it is written.

A form or an import gives field values and the services fill in the rest; an incoming record is
complete, with its id, timestamps, version and history. So it is checked in three layers, each
failure a Korean `RecordRejected` that names the record:

1. every column has a value of the column's type and size (no text in a number, no number past
   64 bits, real dates, required values present), ids are UUIDs;
2. the officer fields pass the kind's schema (`validation.clean`: normalisation, control
   characters, bounds, identifiers) and its whole-record rules (`EntityService.record_errors`);
3. each history entry is about this record, of a known action and field, with typed values.

Uniqueness (the same 사업자등록번호 on two laptops) and references are the merge's business:
they become conflicts for the officer, never an overwrite.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Table

from boeun_desk.i18n import t
from boeun_desk.kinds import BY_KEY
from boeun_desk.models import AuditEntry
from boeun_desk.services import entities, meetings, visits  # noqa: F401  (defining them registers the services)
from boeun_desk.services.base import SERVICE_OF_TABLE, EntityService
from boeun_desk.validation import (
    MAX_YEAR,
    MIN_YEAR,
    InvalidValue,
    ValidationFailed,
    clean,
    clean_text,
)

AUDIT_ACTIONS = ("create", "update", "delete", "restore")
_INT64 = (-(1 << 63), (1 << 63) - 1)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # as str(uuid4()) writes it
_TEXT_LIMIT = 1 << 20
MAX_VERSION = 1 << 31  # a record edited two billion times is a made-up one (and must stay editable)  # any text column (history values included); officer fields have their own limits


class RecordRejected(InvalidValue):
    """An incoming record that breaks a rule; str() is Korean and names the record."""


@cache
def rules_for(table_name: str) -> EntityService | None:
    """The service whose schema and rules a table's records follow (no database needed)."""
    cls = SERVICE_OF_TABLE.get(table_name)
    return cls.__new__(cls) if cls is not None else None  # only its class-level schema and rules are used


def record_label(table_name: str) -> str:
    service = rules_for(table_name)
    return t(service.label) if service is not None else table_name


def _reject(table: str, record_id: Any, message: str, row: Mapping[str, Any] | None = None) -> RecordRejected:
    """The error naming the record: its kind, its name or title where it has one, and its id."""
    kind = BY_KEY.get(table)
    name = row.get(kind.shown_by) if row is not None and kind is not None and kind.shown_by else None
    shown = f"'{str(name)[:60]}' ({str(record_id)[:40]})" if name else str(record_id)[:40]
    return RecordRejected(t("{label} 기록 {id}: {message}", label=record_label(table), id=shown, message=message))


@dataclass(frozen=True)
class _Slot:
    """What a column takes, worked out once per table (the gate runs for every record)."""

    kind: type
    nullable: bool
    length: int | None
    characters_checked: bool  # an officer field: the schema checks its characters


@cache
def _slots(table: Table) -> dict[str, _Slot]:
    service = rules_for(table.name)
    own = {f.name for f in service.schema} if service is not None else set()
    return {c.name: _Slot(c.type.python_type, bool(c.nullable), getattr(c.type, "length", None), c.name in own)
            for c in table.columns}


def _typed(column: _Slot, value: Any) -> Any:
    """The value as the column's Python type; raise InvalidValue when it cannot be that."""
    if value is None:
        if not column.nullable:
            raise InvalidValue(t("필수 입력 항목입니다"))
        return None
    kind = column.kind
    if kind is bool:
        if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
            return bool(value)
        raise InvalidValue(t("예/아니오 중 하나를 입력하세요"))
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(t("숫자를 입력하세요"))
        if not _INT64[0] <= value <= _INT64[1]:
            raise InvalidValue(t("{maximum} 이하의 숫자를 입력하세요", maximum=f"{_INT64[1]:,}"))
        return value
    if kind in (date, datetime):
        if not isinstance(value, str):
            raise InvalidValue(t("날짜 형식이 올바르지 않습니다 (예: 2024-11-28)"))
        try:
            parsed = (datetime if kind is datetime else date).fromisoformat(value)
        except ValueError:
            raise InvalidValue(t("날짜 형식이 올바르지 않습니다 (예: 2024-11-28)")) from None
        if isinstance(parsed, datetime) and parsed.tzinfo is not None:
            raise InvalidValue(t("날짜 형식이 올바르지 않습니다 (예: 2024-11-28)"))
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise InvalidValue(t("{low}년부터 {high}년 사이의 날짜를 입력하세요", low=MIN_YEAR, high=MAX_YEAR))
        return parsed
    if not isinstance(value, str):
        raise InvalidValue(t("글자로 입력하세요"))
    length = column.length
    if len(value) > (length or _TEXT_LIMIT):
        raise InvalidValue(t("{limit}자 이내로 입력하세요", limit=f"{length or _TEXT_LIMIT:,}"))
    if not column.characters_checked:  # characters only: the value is kept as sent
        clean_text(value, multiline=length is None, max_length=_TEXT_LIMIT)
    return value


def _uuid(value: Any) -> str:
    if isinstance(value, str) and _UUID.fullmatch(value):
        return value
    raise InvalidValue(t("식별자(UUID) 형식이 아닙니다"))


def check_record(table: Table, names: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """A complete incoming row (values in the order of `names`), each value of its column's type."""
    record_id = values[0] if values else "?"
    if len(values) != len(names):
        raise _reject(table.name, record_id, t("열 {n}개가 있어야 하는데 {m}개입니다", n=len(names), m=len(values)))
    row: dict[str, Any] = {}
    slots = _slots(table)
    for name, value in zip(names, values, strict=True):
        column = slots[name]
        try:
            row[name] = _uuid(value) if name == "id" else _typed(column, value)
        except InvalidValue as error:
            raise _reject(table.name, record_id, f"{name}: {error}") from None
    if row.get("version") is not None and not 1 <= row["version"] <= MAX_VERSION:
        raise _reject(table.name, record_id, t("버전 번호가 올바르지 않습니다"))
    return row


def check_fields(table: Table, row: Mapping[str, Any], fields: Collection[str] | None = None) -> dict[str, Any]:
    """The officer fields of an incoming record that are to be written (`fields`, or the whole
    record: then its whole-record rules too) through the kind's schema: their cleaned values.

    Only what is written is checked: a record both copies hold unchanged may carry a value an
    older version took (a tab in an address), and must not stop every later sync."""
    service = rules_for(table.name)
    if service is None:
        return {}
    specs = [f for f in service.schema if fields is None or f.name in fields]
    try:
        own = clean(specs, {f.name: row[f.name] for f in specs})
        errors = service.record_errors({**row, **own.values}) if fields is None else []
        if errors:
            raise ValidationFailed(errors)
        for spec in specs:  # references are ids too
            if spec.kind == "ref" and own.values[spec.name] is not None:
                _uuid(own.values[spec.name])
    except (ValidationFailed, InvalidValue) as failed:
        message = "; ".join(str(e) for e in failed.errors) if isinstance(failed, ValidationFailed) else str(failed)
        raise _reject(table.name, row.get("id"), message, row) from None
    return own.values


def check_history(table: Table, record_id: str, audit_names: Sequence[str],
                  entries: Sequence[Any]) -> list[dict[str, Any]]:
    """A record's incoming history entries as column -> value (as sent: they are stored and
    compared in that form); each must be typed right and be about this record."""
    slots = _slots(AuditEntry.__table__)
    fields = {c.name for c in table.columns} | {""}
    checked = []
    for entry in entries:
        if not isinstance(entry, list) or len(entry) != len(audit_names):
            raise _reject(table.name, record_id, t("변경 이력의 형식이 올바르지 않습니다"))
        try:
            item = {name: _uuid(value) if name in ("id", "entity_id") else _typed(slots[name], value)
                    for name, value in zip(audit_names, entry, strict=True)}
        except InvalidValue as error:
            raise _reject(table.name, record_id, t("변경 이력: {message}", message=error)) from None
        if (item["entity"] != table.name or item["entity_id"] != record_id or item["action"] not in AUDIT_ACTIONS
                or item["field"] not in fields or not 1 <= item["version"] <= MAX_VERSION):
            raise _reject(table.name, record_id, t("다른 기록에 대한 변경 이력이 섞여 있습니다"))
        checked.append(dict(zip(audit_names, entry, strict=True)))
    return checked


def check_layout(tables: Mapping[str, Sequence[str]], audit_names: Sequence[str],
                 known: Mapping[str, Table]) -> None:
    """The bundle's tables and columns are exactly ours (same program version): no unknown table,
    no extra or missing column. Raise RecordRejected naming the first difference."""
    if not isinstance(tables, Mapping) or not isinstance(audit_names, list):
        raise RecordRejected(t("동기화 파일의 머리글이 올바르지 않습니다"))
    for name, columns in tables.items():
        if name not in known:
            raise RecordRejected(t("알 수 없는 종류의 기록이 있습니다: {name}", name=str(name)[:60]))
        _same_columns(record_label(name), columns, [c.name for c in known[name].columns])
    _same_columns(t("변경 이력"), audit_names, [c.name for c in AuditEntry.__table__.columns])


def _same_columns(label: str, given: Any, ours: list[str]) -> None:
    if not isinstance(given, list) or not all(isinstance(c, str) for c in given) or len(set(given)) != len(given):
        raise RecordRejected(t("{label}: 열 목록이 올바르지 않습니다", label=label))
    extra, missing = sorted(set(given) - set(ours)), sorted(set(ours) - set(given))
    if extra:
        raise RecordRejected(t("{label}: 알 수 없는 열이 있습니다: {names}", label=label,
                               names=", ".join(c[:40] for c in extra[:5])))
    if missing:
        raise RecordRejected(t("{label}: 빠진 열이 있습니다: {names}", label=label, names=", ".join(missing)))
    if given[0] != "id":
        raise RecordRejected(t("{label}: 열 목록이 올바르지 않습니다", label=label))
