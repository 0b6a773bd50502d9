"""Sync conflicts as an officer reads them: which kind of record, which record (by its name), which
field (its Korean label) and both values as a form shows them (a firm by its name, a status by its
label), instead of table and column names and raw ids. Used by the sync dialog and the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boeun_desk.i18n import t
from boeun_desk.kinds import BY_KEY, REFERENCES, Kind, shown_names
from boeun_desk.models import Base
from boeun_desk.services.sync import Conflict, list_conflicts_in
from boeun_desk.storage.engine import Database

_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)", re.IGNORECASE)


@dataclass(frozen=True)
class ConflictView:
    id: str
    kind: str  # 기업
    record: str  # 보은대추농원
    field: str  # 전화번호
    local: str
    remote: str
    officer: str  # who changed it on the other copy ("-" when not recorded)


def describe_conflicts(database: Database) -> list[ConflictView]:
    with database.sessions() as session:
        return [describe(session, conflict) for conflict in list_conflicts_in(session)]


def describe(session: Session, conflict: Conflict) -> ConflictView:
    kind = BY_KEY.get(conflict.entity)
    row = _row(session, conflict)
    kind_label = t(kind.label) if kind else conflict.entity
    if conflict.field == "*":  # the other copy's record could not be added (the same number here, say)
        remote = conflict.remote if isinstance(conflict.remote, dict) else {}
        return ConflictView(conflict.id, kind_label, _record_name(session, kind, remote, conflict.entity_id),
                            t("새 기록 (추가하지 못함)"), _clash(kind, conflict.reason), t("추가하지 않음"),
                            conflict.remote_officer or "-")
    if conflict.field == "deleted_at":
        field_label = t("휴지통")
        local, remote = (t("휴지통에 있음") if value else t("사용 중") for value in (conflict.local, conflict.remote))
    else:
        field_label = _field_label(kind, conflict.field)
        local, remote = (_shown(session, kind, conflict.field, value) for value in (conflict.local, conflict.remote))
    return ConflictView(conflict.id, kind_label, _record_name(session, kind, row, conflict.entity_id), field_label,
                        local, remote, conflict.remote_officer or "-")


def _row(session: Session, conflict: Conflict) -> dict[str, Any]:
    table = Base.metadata.tables.get(conflict.entity)
    if table is None:
        return {}
    found = session.execute(select(table).where(table.c.id == conflict.entity_id)).mappings().first()
    return dict(found) if found else {}


def _record_name(session: Session, kind: Kind | None, row: dict[str, Any], record_id: str) -> str:
    """The record's own name (a firm's 업체명, a case's 과제명); else the firm it belongs to."""
    if kind is not None and kind.shown_by and row.get(kind.shown_by) not in (None, ""):
        return str(kind.show(row[kind.shown_by]))
    firm_id = row.get("firm_id")
    if firm_id:
        name = shown_names(session, REFERENCES["firm_id"]).get(firm_id)
        if name:
            return str(name)
    return record_id[:8]


def _field_label(kind: Kind | None, name: str) -> str:
    if kind is not None:
        spec = next((f for f in kind.schema if f.name == name), None)
        if spec is not None:
            return t(spec.label)
    return name


def _shown(session: Session, kind: Kind | None, name: str, value: Any) -> str:
    """A value as the form shows it: a referenced record by its name, a choice by its label."""
    if value is None or value == "":
        return t("(비어 있음)")
    spec = next((f for f in kind.schema if f.name == name), None) if kind else None
    if spec is not None and spec.kind == "ref" and name in REFERENCES:
        return str(shown_names(session, REFERENCES[name]).get(value, value))
    if spec is not None and spec.choices and value in spec.choices:
        return t(spec.choices[value])
    if spec is not None and spec.kind == "bool":
        return t("예") if value else t("아니오")
    if spec is not None and spec.kind == "amount" and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _clash(kind: Kind | None, reason: str) -> str:
    """Why a record could not be added, in words: the fields that must differ from every other record."""
    found = _UNIQUE.search(reason or "")
    if not found:
        return t("이쪽 기록과 겹칩니다")
    names = [part.strip().split(".")[-1] for part in found.group(1).split(",")]
    return t("같은 {fields}의 기록이 이미 있습니다", fields=", ".join(_field_label(kind, n) for n in names))
