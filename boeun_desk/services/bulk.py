"""Fast bulk writes (demo data, imports, benchmarks) through Core executemany.

About six times faster than ORM `add_all`; the tracked columns and the audit "create" entries the
flush hook would have written are filled in here instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from boeun_desk.models import AuditEntry, Tracked, new_uuid, utcnow


def tracked_row(values: dict[str, Any], *, officer: str = "", at: datetime | None = None) -> dict[str, Any]:
    """`values` completed with id, timestamps, officer, live marker and version 1."""
    stamp = at or utcnow()
    return {"id": values.get("id") or new_uuid(), "created_at": stamp, "updated_at": stamp,
            "updated_by": officer, "deleted_at": None, "version": 1, **values}


def insert_rows(session: Session, model: type[Tracked], rows: Sequence[dict[str, Any]], *,
                audit: bool = True, chunk: int = 5000) -> None:
    """Insert complete rows (see `tracked_row`) of one model, with their audit entries."""
    table = model.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        session.execute(insert(table), list(part))
        if audit:
            session.execute(insert(AuditEntry.__table__), list(_audit_rows(table.name, part)))


def _audit_rows(entity: str, rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for row in rows:
        yield {"id": new_uuid(), "at": row["created_at"], "officer": row["updated_by"], "entity": entity,
               "entity_id": row["id"], "action": "create", "field": "", "old_value": None,
               "new_value": None, "version": 1}
