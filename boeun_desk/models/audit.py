"""Flush hook: stamps updated_at/updated_by/version and writes one AuditEntry per changed field.

Living on the session, it covers every service, the CLI and imports alike. The acting officer is
taken from `session.info["officer"]`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from boeun_desk.models.base import TRACKED_COLUMNS, Tracked, new_uuid, utcnow
from boeun_desk.models.misc import AuditEntry


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _entity(obj: Tracked) -> str:
    return obj.__tablename__  # type: ignore[attr-defined]


def _changed_fields(obj: Tracked) -> list[tuple[str, Any, Any]]:
    state = inspect(obj)
    changes = []
    for attr in state.mapper.column_attrs:
        if attr.key in TRACKED_COLUMNS:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if _text(old) != _text(new):
            changes.append((attr.key, old, new))
    return changes


def _deleted_flag_change(obj: Tracked) -> str | None:
    hist = inspect(obj).attrs["deleted_at"].history
    if not hist.has_changes():
        return None
    was = hist.deleted[0] if hist.deleted else None
    now = hist.added[0] if hist.added else None
    if was is None and now is not None:
        return "delete"
    if was is not None and now is None:
        return "restore"
    return None


@event.listens_for(Session, "before_flush")
def _stamp_and_audit(session: Session, _context: Any, _instances: Any) -> None:
    officer = session.info.get("officer", "")
    now = utcnow()
    for obj in session.new:
        if not isinstance(obj, Tracked):
            continue
        obj.updated_by = obj.updated_by or officer
        obj.id = obj.id or new_uuid()
        obj.version = obj.version or 1
        session.add(AuditEntry(officer=officer, entity=_entity(obj), entity_id=obj.id, action="create",
                               at=now, version=obj.version))
    for obj in session.dirty:
        if not isinstance(obj, Tracked) or not session.is_modified(obj, include_collections=False):
            continue
        action = _deleted_flag_change(obj)
        fields = _changed_fields(obj)
        if action is None and not fields:
            continue
        obj.version = (obj.version or 1) + 1
        obj.updated_at = now
        obj.updated_by = officer
        entity = _entity(obj)
        if action:
            session.add(AuditEntry(officer=officer, entity=entity, entity_id=obj.id, action=action,
                                   at=now, version=obj.version))
        for field, old, new in fields:
            session.add(AuditEntry(officer=officer, entity=entity, entity_id=obj.id, action="update",
                                   field=field, old_value=_text(old), new_value=_text(new), at=now,
                                   version=obj.version))
