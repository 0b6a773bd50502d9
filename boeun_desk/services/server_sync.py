"""A laptop and the office server: push what changed here, then pull what changed there.

Both directions use the bundle files' merge (services/sync.py: field by field, conflicts kept, the
record gate on every record, one transaction), fed with one database's changed records instead of
a file. What changed is never judged by clocks:

- on the laptop (SQLite, one writer at a time) audit entries get increasing rowids in commit
  order; the push sends the records with entries after the last pushed rowid. The pull's own
  entries come from the server: when nothing was written here between the push and the pull,
  the mark moves past them, so they are not sent back;
- on the server every stored audit entry is logged with its transaction id (migration 0005). A
  pull reads in one REPEATABLE READ snapshot, asks for entries of transactions from its last mark
  on, and keeps the oldest transaction still running at that snapshot as the next mark: a
  transaction that commits late is still ahead of the mark (some records may come twice; the
  merge knows entries it has and leaves them).

Each direction commits whole or not at all and its mark moves only with that commit, so an
interrupted sync resumes where it stopped. Pushes take one advisory lock on the server (bounded
by lock_timeout: no hang), and a serialization failure or deadlock against an officer working on
the server directly is retried. Attachment files go with their records: the server keeps them as
bytes by SHA-256 (`server_file`), and each file is checked against its hash where it is stored.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    exc,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from boeun_desk.exchange.bundle import BundleRecord, head_tables, table_records, tracked_tables
from boeun_desk.i18n import t
from boeun_desk.models import AuditEntry, Meta, utcnow
from boeun_desk.progress import IsCancelled, Progress, never, quiet
from boeun_desk.services.base import unit_of_work
from boeun_desk.services.gate import RecordRejected
from boeun_desk.services.server_files import SERVER_CHANGE, live_hashes, receive_files, send_files
from boeun_desk.services.sync import REPLICA_KEY, SyncResult, _merge_bundle, replica_id
from boeun_desk.storage import backup, filestore
from boeun_desk.storage.engine import Database, current_revision, head_revision, open_database
from boeun_desk.storage.errors import DatabaseError
from boeun_desk.storage.identity import known_revisions
from boeun_desk.storage.server import describe_server_error, shown, without_password
from boeun_desk.storage.target import to_url
from boeun_desk.validation import InvalidValue

URL_KEY = "server.url"  # the server this laptop syncs with (no password)
LAST_KEY = "server.last_sync"
CURRENT_KEY = "server.id"  # the replica id of the server last synced with: whose marks count
ADVISORY_KEY = int.from_bytes(b"BOEUSYNC", "big") >> 1  # one lock for every push (a positive bigint)
LOCK_WAIT_S = 60
RETRIES = 3
_CHUNK = 500

class SyncRefused(DatabaseError):
    """The server or the laptop refused the sync (str() is Korean); nothing of that direction was kept."""


@dataclass
class ServerSyncResult:
    server: str
    pushed: int = 0  # records sent to the server
    pulled: int = 0  # records received from it
    push: SyncResult = field(default_factory=SyncResult)
    pull: SyncResult = field(default_factory=SyncResult)
    files_sent: int = 0
    files_received: int = 0
    files_missing: int = 0  # named by a record but missing or damaged where it should come from
    at: datetime | None = None

    @property
    def conflicts(self) -> int:
        """New conflicts for this laptop's officer (the server keeps its copy of each until settled)."""
        return self.pull.conflicts

    def as_json(self) -> dict[str, Any]:
        return {"server": self.server, "pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts,
                "server_conflicts": self.push.conflicts, "push": self.push.as_json(), "pull": self.pull.as_json(),
                "files_sent": self.files_sent, "files_received": self.files_received,
                "files_missing": self.files_missing, "at": self.at.isoformat() if self.at else None}


@dataclass(frozen=True)
class SyncStatus:
    server: str  # the URL without password; "" when this laptop has none
    last_sync: datetime | None
    pending: int  # records changed here and not yet pushed


class _Changed:
    """One database's changed records, shaped as a bundle is read (head, replica, records())."""

    def __init__(self, session: Session, replica: str, ids: dict[str, list[str]] | None):
        self.session, self.replica, self.ids = session, replica, ids
        self.head = {"tables": head_tables(), "audit": [c.name for c in AuditEntry.__table__.columns]}
        self.count = 0

    def records(self) -> Iterator[BundleRecord]:
        self.count = 0
        for table in tracked_tables():
            ids = None if self.ids is None else sorted(self.ids.get(table.name, ()))
            if ids == []:
                continue
            for row, entries in table_records(self.session, table, ids):
                self.count += 1
                yield BundleRecord(table.name, row, entries)


def _meta(session: Session, key: str) -> str | None:
    found = session.get(Meta, key)
    return found.value if found is not None else None


def _marks(server_id: str) -> tuple[str, str]:
    return f"server.{server_id}.pushed", f"server.{server_id}.pulled"


def _top(session: Session) -> int:
    """The newest audit entry's rowid on a laptop (SQLite gives rowids in commit order)."""
    return int(session.execute(text("SELECT coalesce(max(rowid), 0) FROM audit_entry")).scalar() or 0)


def _push_mark(session: Session) -> str:
    """The mark to keep after a push: the newest rowid and its entry's id, which says whether the
    rowids still are what they were (a tool that copies the rows may number them anew)."""
    top = _top(session)
    entry = session.execute(text("SELECT id FROM audit_entry WHERE rowid = :top"), {"top": top}).scalar()
    return f"{top}:{entry or ''}"


def _pushed_up_to(session: Session, key: str) -> int | None:
    """The rowid pushed up to, or None: never pushed to this server, or rowids no longer the same
    (then everything is pushed again: the merge keeps what the server has)."""
    stored = _meta(session, key)
    top, _, entry = (stored or "").partition(":")
    if stored is None or not top.isdigit():
        return None
    found = session.execute(text("SELECT id FROM audit_entry WHERE rowid = :top"), {"top": int(top)}).scalar()
    return int(top) if (found or "") == entry else None


def _group(rows: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entity, entity_id in rows:
        found.setdefault(entity, []).append(entity_id)
    return found


def open_server(url: str) -> Database:
    """The server's database at this program's schema; Korean errors for anything else."""
    full = to_url(url)
    if not full.startswith("postgresql"):
        raise InvalidValue(t("서버 주소는 postgresql://사용자@서버/데이터베이스 형식입니다: {url}", url=shown(full)))
    server = open_database(full, migrate_to_head=False)
    try:
        revision = current_revision(server.engine)
        if revision is None:
            raise SyncRefused(t("서버에 보은 데스크 데이터베이스가 아직 없습니다. 관리자가 먼저 "
                                "boeun-desk server init 으로 만드세요: {url}", url=shown(full)))
        if revision not in known_revisions():
            raise SyncRefused(t("서버가 더 새 버전의 보은 데스크를 씁니다(스키마 {revision}). 이 프로그램을 업데이트하세요",
                                revision=revision))
        if revision != head_revision():
            raise SyncRefused(t("서버의 데이터베이스가 이전 버전입니다(스키마 {revision}). 관리자가 "
                                "boeun-desk server init 으로 올려야 합니다", revision=revision))
    except BaseException:
        server.close()
        raise
    return server


def server_identity(server: Database) -> str:
    with server.sessions() as session:
        found = _meta(session, REPLICA_KEY)
    if found is None:
        with unit_of_work(server.sessions, "") as session:
            found = replica_id(session)
    return found


def laptop_name(laptop: Database, replica: str) -> str:
    """How the server's history names this laptop: computer, file and copy."""
    name = laptop.path.name if laptop.path is not None else "-"
    return f"{socket.gethostname()} {name} ({replica[:8]})"[:200]


def sync_with_server(laptop: Database, url: str | None = None, *, progress: Progress = quiet,
                     cancelled: IsCancelled = never) -> ServerSyncResult:
    """Push this laptop's changes, then pull the server's; the URL (without its password) is kept."""
    if laptop.path is None:
        raise InvalidValue(t("서버와 동기화하는 것은 노트북의 데이터베이스 파일입니다(--db 파일)"))
    with laptop.sessions() as session:
        url = url or _meta(session, URL_KEY)
        mine = _meta(session, REPLICA_KEY)
    if not url:
        raise InvalidValue(t("서버 주소가 없습니다. 설정에서 서버를 정하거나 boeun-desk sync server 주소 로 하세요"))
    if mine is None:
        with unit_of_work(laptop.sessions, "") as session:
            mine = replica_id(session)
    progress(0, 0, stage=t("서버에 연결하는 중"))
    server = open_server(url)
    try:
        result = ServerSyncResult(server=shown(server.url))
        server_id = server_identity(server)
        own_xid = _push(laptop, server, server_id, laptop_name(laptop, mine), result, progress, cancelled)
        _pull(laptop, server, server_id, own_xid, without_password(server.url), result, progress, cancelled)
    except exc.DBAPIError as error:  # the network went away, the server stopped, a right is missing
        raise _server_error(error, url) from error
    except RecordRejected as error:
        raise SyncRefused(t("{message}. 이 방향의 동기화는 아무것도 반영하지 않았습니다", message=error)) from error
    finally:
        server.close()
    return result


def _server_error(error: exc.DBAPIError, url: str) -> DatabaseError:
    if getattr(error.orig, "sqlstate", None) == "55P03":  # lock_timeout
        return SyncRefused(t("다른 노트북이 서버와 오래 동기화하고 있습니다. 잠시 뒤 다시 하세요"))
    return describe_server_error(error, url)


def _retryable(error: exc.DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) in ("40001", "40P01")  # serialization failure, deadlock


def _push(laptop: Database, server: Database, server_id: str, name: str, result: ServerSyncResult,
          progress: Progress, cancelled: IsCancelled) -> int | None:
    """Merge this laptop's changed records into the server; the server transaction's id (None:
    nothing to send)."""
    pushed_key, _pulled_key = _marks(server_id)
    with laptop.sessions() as source:  # one read snapshot: the records and the mark agree
        mark, top, kept = _pushed_up_to(source, pushed_key), _top(source), _push_mark(source)
        if mark is not None and top <= mark:
            return None
        # The first push to this server sends every record: some have no history at all (seeded or
        # bulk-written ones); later pushes send those with entries after the mark.
        ids = None if mark is None else _group(source.execute(text(
            "SELECT DISTINCT entity, entity_id FROM audit_entry WHERE rowid > :mark AND rowid <= :top"),
            {"mark": mark, "top": top}))
        changed = _Changed(source, _meta(source, REPLICA_KEY) or "", ids)
        hashes = live_hashes(source, ids)
        files_dir = filestore.files_dir_of(laptop)
        xid: list[int] = []

        def prepare(session: Session) -> None:
            session.execute(select(func.set_config("boeun.laptop", name, True)))
            session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_S}s'"))
            session.execute(text("SET LOCAL idle_in_transaction_session_timeout = '300s'"))
            progress(0, 0, stage=t("서버 차례를 기다리는 중(다른 노트북이 동기화 중일 수 있습니다)"))
            session.execute(select(func.pg_advisory_xact_lock(ADVISORY_KEY)))
            xid.append(int(session.execute(text("SELECT pg_current_xact_id()::text")).scalar_one()))
            progress(0, 0, stage=t("첨부파일을 서버로 보내는 중"))
            sent, missing = send_files(session, hashes, files_dir, cancelled)
            result.files_sent, result.files_missing = sent, result.files_missing + missing

        for attempt in range(RETRIES):
            xid.clear()
            try:
                result.push = _merge_bundle(server, changed, _staged(progress, t("서버로 보내는 중")), cancelled,
                                            prepare=prepare)
                break
            except exc.DBAPIError as error:
                if not _retryable(error) or attempt == RETRIES - 1:
                    raise
        result.pushed = changed.count
    with unit_of_work(laptop.sessions, "") as session:  # after the server's commit (a repeat is harmless)
        session.merge(Meta(key=pushed_key, value=kept))
    return xid[0]


def _staged(progress: Progress, direction: str) -> Progress:
    """The merge's progress under this direction's name."""
    def report(done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None:
        progress(done, total, stage=f"{direction} — {stage}" if stage else direction, stoppable=stoppable)

    return report


def _pull(laptop: Database, server: Database, server_id: str, own_xid: int | None, url: str,
          result: ServerSyncResult, progress: Progress, cancelled: IsCancelled) -> None:
    """Merge the server's records changed since this laptop's last pull into the laptop."""
    pushed_key, pulled_key = _marks(server_id)
    with laptop.sessions() as session:
        mark = _meta(session, pulled_key)
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with server.engine.connect().execution_options(**options) as conn, conn.begin(), Session(bind=conn) as source:
        horizon = int(source.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")).scalar_one())
        ids = None
        if mark is not None:
            progress(0, 0, stage=t("서버의 변경을 찾는 중"))
            query = select(SERVER_CHANGE.c.entity, SERVER_CHANGE.c.entity_id).distinct().where(
                SERVER_CHANGE.c.xid >= int(mark))
            if own_xid is not None:
                query = query.where(SERVER_CHANGE.c.xid != own_xid)
            ids = _group(source.execute(query))
        changed = _Changed(source, server_id, ids)
        staged, missing = receive_files(source, live_hashes(source, ids), filestore.files_dir_of(laptop), cancelled)
        result.files_missing += missing
        untouched: list[bool] = []

        def prepare(session: Session) -> None:  # the laptop's transaction: nothing else writes now
            untouched.append(_top(session) == _pushed_up_to(session, pushed_key))

        def finish(session: Session, _merged: SyncResult) -> None:
            result.at = utcnow()
            marks = {pulled_key: str(horizon), LAST_KEY: result.at.isoformat(), CURRENT_KEY: server_id, URL_KEY: url}
            if untouched[0]:  # what this pull wrote came from the server: not to be pushed back
                marks[pushed_key] = _push_mark(session)
            for key, value in marks.items():
                session.merge(Meta(key=key, value=value))

        with filestore.placed(filestore.files_dir_of(laptop), staged) as new_files:
            if ids != {} and laptop.path is not None:
                progress(0, 0, stage=t("합치기 전에 백업하는 중"))
                backup.create_backup(laptop.path, reason="merge", cancelled=cancelled)
            result.pull = _merge_bundle(laptop, changed if ids != {} else _Nothing(server_id),
                                        _staged(progress, t("서버에서 받는 중")), cancelled,
                                        prepare=prepare, finish=finish)
        result.pulled, result.files_received = changed.count, len(new_files)


class _Nothing:
    """No records: the pull still commits its marks."""

    def __init__(self, replica: str):
        self.replica, self.head = replica, {"tables": {}, "audit": []}

    def records(self) -> Iterator[BundleRecord]:
        return iter(())


def sync_status(laptop: Database) -> SyncStatus:
    """What the status bar says: the server, the last sync, the changes not yet pushed."""
    if laptop.path is None:
        return SyncStatus("", None, 0)
    with laptop.sessions() as session:
        url, last, server_id = _meta(session, URL_KEY), _meta(session, LAST_KEY), _meta(session, CURRENT_KEY)
        if not url:
            return SyncStatus("", None, 0)
        mark = (_pushed_up_to(session, _marks(server_id)[0]) if server_id else None) or 0
        pending = session.execute(text("SELECT count(*) FROM (SELECT DISTINCT entity_id FROM audit_entry "
                                       "WHERE rowid > :mark)"), {"mark": mark}).scalar_one()
    return SyncStatus(url, datetime.fromisoformat(last) if last else None, int(pending))


def set_server(laptop: Database, url: str) -> str:
    """Keep the server this laptop syncs with (the URL without its password); the URL kept."""
    kept = without_password(to_url(url)) if url.strip() else ""
    if kept and not kept.startswith("postgresql"):
        raise InvalidValue(t("서버 주소는 postgresql://사용자@서버/데이터베이스 형식입니다: {url}", url=shown(kept)))
    with unit_of_work(laptop.sessions, "") as session:
        session.merge(Meta(key=URL_KEY, value=kept))
    return kept


def saved_server(laptop: Database) -> str:
    with laptop.sessions() as session:
        return _meta(session, URL_KEY) or ""
