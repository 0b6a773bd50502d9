"""A record's change history (from the audit trail) and the 휴지통 (soft-deleted records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from boeun_desk.exchange.bundle import tracked_tables
from boeun_desk.exchange.sheets import SHEETS
from boeun_desk.i18n import t
from boeun_desk.models import AuditEntry
from boeun_desk.services import Changes, Services
from boeun_desk.services.base import EntityService, NotFound
from boeun_desk.storage.engine import Database

_LABELS = {sheet.model.__tablename__: {f.name: f.label for f in sheet.schema}  # type: ignore[attr-defined]
           for sheet in SHEETS}
_TITLES = {sheet.model.__tablename__: sheet.title for sheet in SHEETS}  # type: ignore[attr-defined]
_NAME_COLUMNS = ("name", "title", "kind", "action", "code", "id")
ACTIONS = {"create": "등록", "update": "수정", "delete": "삭제", "restore": "복원"}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    officer: str
    action: str  # Korean: 등록 / 수정 / 삭제 / 복원
    field: str  # Korean label of the changed field ("" for create/delete/restore)
    old: str | None
    new: str | None
    version: int


@dataclass(frozen=True)
class TrashItem:
    entity: str
    kind: str  # Korean name of the kind of record
    id: str
    name: str
    deleted_at: datetime
    deleted_by: str


def record_history(database: Database, entity_id: str) -> list[HistoryEntry]:
    """Every change to one record, newest first (the GUI's 변경 이력)."""
    with database.sessions() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id)
                                  .order_by(AuditEntry.at.desc(), AuditEntry.version.desc()))
        return [HistoryEntry(e.at, e.officer, t(ACTIONS.get(e.action, e.action)),
                             t(_LABELS.get(e.entity, {}).get(e.field, e.field)) if e.field else "",
                             e.old_value, e.new_value, e.version) for e in entries]


def trash(database: Database) -> list[TrashItem]:
    """Soft-deleted records of every kind, most recently deleted first."""
    items = []
    with database.sessions() as session:
        for table in tracked_tables():
            name_column = next(table.c[c] for c in _NAME_COLUMNS if c in table.c)
            query = select(table.c.id, name_column, table.c.deleted_at, table.c.updated_by).where(
                table.c.deleted_at.is_not(None))
            for record_id, name, deleted_at, by in session.execute(query):
                items.append(TrashItem(table.name, t(_TITLES.get(table.name, table.name)), record_id, str(name),
                                       deleted_at, by))
    return sorted(items, key=lambda i: i.deleted_at, reverse=True)


def restore_from_trash(services: Services, entity: str, record_id: str) -> Changes:
    """Restore through the entity's own service, so its rules (e.g. no duplicate BRN) apply."""
    for service in vars(services).values():
        if isinstance(service, EntityService) and service.entity == entity:
            return service.restore(record_id)
    raise NotFound(t("휴지통에서 복원할 수 없는 종류입니다: {entity}", entity=entity))
