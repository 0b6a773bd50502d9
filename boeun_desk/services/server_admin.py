"""The office server's administration: create or upgrade it (seeded from a laptop), let officers'
roles in, and read its history of who changed what from which laptop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, text

from boeun_desk.i18n import t
from boeun_desk.models import AuditEntry
from boeun_desk.progress import IsCancelled, Progress, never, quiet
from boeun_desk.services.base import unit_of_work
from boeun_desk.services.server_files import SERVER_CHANGE
from boeun_desk.services.server_sync import ServerSyncResult, server_identity, sync_with_server
from boeun_desk.services.sync import check_clone_source
from boeun_desk.storage.engine import open_database
from boeun_desk.storage.server import shown
from boeun_desk.storage.target import to_url
from boeun_desk.validation import InvalidValue

# Officers add, change and soft-delete records; the history (audit entries, the change log) they
# can only add to and read, the schema only read. Conflicts kept on the server are deleted when settled.
_WRITABLE_HISTORY = ("audit_entry",)
_READ_ONLY = ("alembic_version", "server_change")


@dataclass(frozen=True)
class ServerReady:
    server: str
    server_id: str
    granted: tuple[str, ...]
    seeded: ServerSyncResult | None


def init_server(url: str, seed: Path | None = None, grant: tuple[str, ...] = (), *, progress: Progress = quiet,
                cancelled: IsCancelled = never) -> ServerReady:
    """Create the schema on an empty PostgreSQL database (or bring an older one up to this version)
    with the same Alembic migrations as a laptop's file; let `grant` roles in; with `seed`, push
    that laptop's database into it (its first sync with the server)."""
    full = to_url(url)
    if not full.startswith("postgresql"):
        raise InvalidValue(t("서버 주소는 postgresql://사용자@서버/데이터베이스 형식입니다: {url}", url=shown(full)))
    if seed is not None:
        check_clone_source(seed)
    progress(0, 0, stage=t("서버에 스키마를 만드는 중"))
    server = open_database(full)  # migrates to head: the same scripts as every laptop
    try:
        server_id = server_identity(server)
        with unit_of_work(server.sessions, "") as session:
            quote = session.get_bind().dialect.identifier_preparer.quote
            for role in grant:
                _grant(session, quote(role))
    finally:
        server.close()
    seeded = None
    if seed is not None:
        laptop = open_database(seed)
        try:
            seeded = sync_with_server(laptop, full, progress=progress, cancelled=cancelled)
        finally:
            laptop.close()
    return ServerReady(shown(full), server_id, tuple(grant), seeded)


def _grant(session: object, role: str) -> None:
    run = session.execute  # type: ignore[attr-defined]
    run(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    run(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    for table in (*_WRITABLE_HISTORY, *_READ_ONLY):
        run(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}"))
    for table in _READ_ONLY:
        run(text(f"REVOKE INSERT ON {table} FROM {role}"))
    run(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))


@dataclass(frozen=True)
class ServerChange:
    received_at: datetime  # when it reached the server
    at: datetime  # when the officer made it
    officer: str  # the name the officer works under (설정, --officer)
    db_user: str  # the role that brought it to the server
    laptop: str  # the laptop it came from ("" when made on the server directly)
    entity: str
    entity_id: str
    action: str
    field: str
    old: str | None
    new: str | None


def server_history(url: str, record_id: str | None = None, limit: int = 50) -> list[ServerChange]:
    """The newest changes on the server, with who made them and from which laptop."""
    from boeun_desk.services.server_sync import open_server

    server = open_server(url)
    audit = AuditEntry.__table__
    query = (select(SERVER_CHANGE.c.received_at, audit.c.at, audit.c.officer, SERVER_CHANGE.c.db_user,
                    SERVER_CHANGE.c.laptop, audit.c.entity, audit.c.entity_id, audit.c.action, audit.c.field,
                    audit.c.old_value, audit.c.new_value)
             .join(audit, audit.c.id == SERVER_CHANGE.c.entry_id).order_by(SERVER_CHANGE.c.seq.desc()).limit(limit))
    if record_id:
        query = query.where(SERVER_CHANGE.c.entity_id == record_id)
    try:
        with server.sessions() as session:
            return [ServerChange(*row) for row in session.execute(query)]
    finally:
        server.close()
