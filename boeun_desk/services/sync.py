"""Bringing copies together: clone, export a bundle, merge one in, keep conflicts for the officer.

Which side changed what is read from the audit history (models/audit.py): entries both copies
hold are the common past; entries only in the bundle are the other copy's changes, entries only
here are ours. A field changed on one side takes that side's value; a field changed on both sides
to different values becomes a stored conflict (never overwritten); a record deleted on one side
and edited on the other is a conflict on its deletion. Remote history entries are stored as they
are (same ids), so importing a bundle twice changes nothing. Only SQLAlchemy Core, portable SQL.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boeun_desk.exchange.bundle import (
    Bundle,
    BundleError,
    BundleRecord,
    dump_value,
    load_value,
    open_bundle,
    write_bundle,
)
from boeun_desk.i18n import t
from boeun_desk.models import AuditEntry, Base, Meta, utcnow
from boeun_desk.models.audit import _text as audit_text
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.services.base import NotFound, in_use, unit_of_work
from boeun_desk.services.firm_records import firm_dependents
from boeun_desk.services.gate import RecordRejected, check_fields, check_history, check_record, rules_for
from boeun_desk.storage import backup, cipher, filestore, identity
from boeun_desk.storage.engine import Database, head_revision
from boeun_desk.storage.errors import DatabaseError
from boeun_desk.validation import InvalidValue

REPLICA_KEY = "replica_id"
CONFLICT_PREFIX = "sync.conflict."
# Records the officer decided not to add (a clash kept on this copy's side): later bundles skip them.
DECLINED_PREFIX = "sync.declined."
_OWN_COLUMNS = ("id", "created_at", "updated_at", "updated_by", "version")  # bookkeeping, not merged
_CHUNK = 500


@dataclass
class SyncResult:
    added: int = 0
    updated: int = 0
    conflicts: int = 0
    unchanged: int = 0
    replica: str = ""
    files: int = 0  # attachment files new to this copy's files folder

    def as_json(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "conflicts": self.conflicts,
                "unchanged": self.unchanged, "files": self.files, "from_replica": self.replica}


@dataclass(frozen=True)
class Conflict:
    id: str
    entity: str
    entity_id: str
    field: str  # a column, "deleted_at" for delete-versus-edit, "*" for a record that could not be added
    local: Any
    remote: Any
    remote_officer: str
    remote_at: str
    reason: str = ""
    entries: tuple[dict[str, Any], ...] = field(default=(), repr=False)


def replica_id(session: Session) -> str:
    """This copy's identity, created on first use."""
    meta = session.get(Meta, REPLICA_KEY)
    if meta is None:
        meta = Meta(key=REPLICA_KEY, value=str(uuid.uuid4()))
        session.add(meta)
        session.flush()
    return meta.value


def export_bundle(database: Database, path: Path, files_dir: Path | None = None, *, passphrase: str | None = None,
                  progress: Progress = quiet, cancelled: IsCancelled = never) -> dict[str, int]:
    """Write this copy's records and history, and the files its attachments name, to a bundle file:
    {"records", "history", "files", "file_bytes", "files_missing"} (a file not in the folder is left out).
    With `passphrase` the bundle is sealed (AES-256-GCM, scrypt: exchange/bundle.py, storage/seal.py).
    Stopped (`cancelled`), no file is written."""
    with database.sessions() as session:  # a read: other copies keep writing while it streams
        meta = session.get(Meta, REPLICA_KEY)
        if meta is None:  # the first bundle of this copy: its identity is made in a short write
            with unit_of_work(database.sessions, "") as writing:
                replica = replica_id(writing)
        else:
            replica = meta.value
        return write_bundle(session, path, head_revision(), replica, files_dir or filestore.files_dir_of(database),
                            passphrase, progress=progress, cancelled=cancelled)


@dataclass(frozen=True)
class Cloned:
    replica: str
    files: filestore.Copied


def check_clone_source(database_path: Path) -> None:
    """A Boeun Desk database to clone: not a missing file (a mistyped --db), not another program's."""
    if identity.inspect_file(database_path) in (identity.Kind.MISSING, identity.Kind.EMPTY):
        raise DatabaseError(t("데이터베이스 파일이 없습니다: {path}", path=database_path))


def clone(database_path: Path, target: Path) -> Cloned:
    """A copy for another laptop with its own replica identity (and none of our open conflicts),
    with every attachment file it names (trashed ones too) copied into its files folder, each
    checked against its hash; a file missing or damaged here is reported, not fatal."""
    check_clone_source(database_path)
    new_id, copied = str(uuid.uuid4()), []

    def prepare(copy: Path) -> None:
        """The copy gets its identity before it gets its name: a kill never leaves a clone that
        syncs as this laptop."""
        with cipher.connect(copy, cipher.key_for(database_path)) as connection, connection:
            connection.execute("DELETE FROM meta WHERE key LIKE ?", (f"{CONFLICT_PREFIX}%",))
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (REPLICA_KEY, new_id))
        copied.append(filestore.copy_named(filestore.named_hashes(copy, cipher.key_for(database_path)),
                                           filestore.files_dir_for(database_path),
                                           filestore.files_dir_for(target)))

    backup.copy_database(database_path, target, then=prepare)
    return Cloned(new_id, copied[0])


def import_bundle(database: Database, path: Path, files_dir: Path | None = None, *, passphrase: str | None = None,
                  progress: Progress = quiet, cancelled: IsCancelled = never) -> SyncResult:
    """Merge a bundle in one transaction (after a backup); the whole file is verified first, and
    every file it carries is checked against its hash before any is stored.

    Records are read from the file and merged a batch at a time, so memory does not grow with
    the size of the bundle; files are copied a chunk at a time. Stopped (`cancelled`) before the
    commit, nothing of the file is kept: the transaction is rolled back, its files removed."""
    progress(0, 0, stage=t("동기화 파일을 검사하는 중"))
    bundle = open_bundle(path, head_revision(), passphrase)
    files_dir = files_dir or filestore.files_dir_of(database)
    try:
        with filestore.placed(files_dir, _receive_files(bundle, files_dir, progress, cancelled)) as new_files:
            if database.path is not None:
                progress(0, 0, stage=t("합치기 전에 백업하는 중"))
                backup.create_backup(database.path, reason="merge", cancelled=cancelled)
            result = _merge_bundle(database, bundle, progress, cancelled)
        result.files = len(new_files)
        return result
    except RecordRejected as error:  # rolled back: nothing of the file was kept
        raise BundleError(t("{message}. 아무것도 가져오지 않았습니다: {path}", message=error, path=path.name)) from error
    except IntegrityError as error:  # e.g. one history entry given to two records in a hand-made file
        raise BundleError(t("동기화 파일의 기록들이 서로 맞지 않습니다({detail}). 아무것도 가져오지 않았습니다: {path}",
                            detail=error.orig, path=path.name)) from error


def _receive_files(bundle: Bundle, files_dir: Path, progress: Progress = quiet,
                   cancelled: IsCancelled = never) -> list[filestore.Staged]:
    """Copy the carried files into temporary files in the files folder, hashing the bytes as they
    are written; one file whose bytes are not its hash refuses the whole bundle."""
    staged: list[filestore.Staged] = []
    named = _named_files(bundle)
    try:
        for done, (carried, chunks) in enumerate(bundle.files()):
            stop_if(cancelled)
            progress(done, len(bundle.carried), stage=t("첨부파일을 받는 중"))
            if carried.content_hash in named:  # a file no record names is not stored (a hand-made bundle)
                staged.append(filestore.stage(files_dir, chunks, expected=carried.content_hash))
    except BaseException as error:
        for copy in staged:
            copy.discard()
        if isinstance(error, InvalidValue):
            raise BundleError(t("동기화 파일의 첨부파일이 손상되었습니다({detail}). 아무것도 가져오지 않았습니다: {path}",
                                detail=error, path=bundle.path.name)) from error
        raise
    return staged


def _named_files(bundle: Bundle) -> set[str]:
    """The hashes the bundle's live attachment records name (attachments come first in a bundle)."""
    names = bundle.head["tables"].get("attachment", [])
    if "content_hash" not in names or "deleted_at" not in names:
        return set()
    at, deleted = names.index("content_hash"), names.index("deleted_at")
    found: set[str] = set()
    with contextlib.closing(bundle.records()) as records:
        for record in records:
            if record.table != "attachment":
                break
            if len(record.row) == len(names) and record.row[deleted] is None and isinstance(record.row[at], str):
                found.add(record.row[at])
    return found


def _merge_bundle(database: Database, bundle: Any, progress: Progress = quiet, cancelled: IsCancelled = never, *,
                  prepare: Callable[[Session], Any] | None = None,
                  finish: Callable[[Session, SyncResult], Any] | None = None) -> SyncResult:
    """Merge a bundle's records (anything with its `head`, `replica` and `records()`: a file, or
    another database's changed records, services/server_sync.py) in one transaction; `prepare`
    runs first in it (a server's lock), `finish` last before the commit (watermarks)."""
    result = SyncResult(replica=bundle.replica)
    columns: dict[str, list[str]] = bundle.head["tables"]
    audit_columns: list[str] = bundle.head["audit"]
    with unit_of_work(database.sessions, "") as session:
        if prepare is not None:
            prepare(session)
        pending = {(c.entity_id, c.field): c for c in list_conflicts_in(session)}
        declined = {key[len(DECLINED_PREFIX):] for key in session.scalars(
            select(Meta.key).where(Meta.key.like(f"{DECLINED_PREFIX}%")))}
        batch: list[BundleRecord] = []
        merged = 0
        for record in bundle.records():
            if record.table not in columns:
                raise RecordRejected(t("동기화 파일의 머리글에 없는 종류의 기록이 있습니다: {name}",
                                       name=record.table[:60]))
            if batch and (record.table != batch[0].table or len(batch) >= _CHUNK):
                stop_if(cancelled)  # raised inside the transaction: it is rolled back
                _merge_batch(session, batch, columns, audit_columns, pending, declined, result)
                merged += len(batch)
                progress(merged, 0, stage=t("기록을 합치는 중"))
                batch = []
            batch.append(record)
        if batch:
            _merge_batch(session, batch, columns, audit_columns, pending, declined, result)
        if finish is not None:
            finish(session, result)
        stop_if(cancelled)
        progress(merged + len(batch), 0, stage=t("저장을 마무리하는 중"), stoppable=False)  # the commit
    return result


def _known_ids(session: Session, ids: Sequence[str]) -> set[str]:
    table = AuditEntry.__table__
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(ids[start:start + _CHUNK]))))
    return found


def _touched(entry: dict[str, Any]) -> str | None:
    if entry["action"] == "update":
        return entry["field"]
    return "deleted_at" if entry["action"] in ("delete", "restore") else None


def _merge_batch(session: Session, batch: list[BundleRecord], columns: dict[str, list[str]],
                 audit_columns: list[str], pending: dict[tuple[str, str], Conflict], declined: set[str],
                 result: SyncResult) -> None:
    """Merge records of one table: their local rows and known history are looked up together."""
    table = Base.metadata.tables[batch[0].table]
    names = columns[table.name]
    rows, remote_entries = {}, {}
    for record in batch:  # the record gate: the same rules as a form, or the whole import stops
        row = check_record(table, names, record.row)
        rows[row["id"]] = row
        remote_entries[row["id"]] = check_history(table, row["id"], audit_columns, record.entries)
    known = _known_ids(session, [e["id"] for entries in remote_entries.values() for e in entries])
    ids = list(rows)
    # Locked until the commit on a server (SQLite has no FOR UPDATE: its writer is alone anyway):
    # an officer working on the server directly cannot change them between this read and the merge.
    local_rows = {found["id"]: dict(found) for found in
                  session.execute(select(table).where(table.c.id.in_(ids)).with_for_update()).mappings()}
    adds: list[tuple[dict[str, Any], list[dict]]] = []
    for record_id, remote in rows.items():
        entries = remote_entries[record_id]
        new_entries = [e for e in entries if e["id"] not in known]
        local = local_rows.get(record_id)
        if local is None and record_id in declined:
            result.unchanged += 1
        elif local is None:
            remote.update(check_fields(table, remote))  # a new record: every rule a form applies
            adds.append((remote, new_entries))
        elif not new_entries:
            result.unchanged += 1
        else:
            _merge_record(session, table, local, remote, entries, new_entries, pending, result)
    _add_all(session, table, adds, pending, result)


def _add_all(session: Session, table: Table, adds: list[tuple[dict[str, Any], list[dict]]],
             pending: dict[tuple[str, str], Conflict], result: SyncResult) -> None:
    """The batch's new records in one statement (a new laptop's first sync adds every record); if
    one of them clashes with a record here, each is added on its own and the clash kept."""
    if not adds:
        return
    try:
        with session.begin_nested():
            session.execute(insert(table), [remote for remote, _entries in adds])
    except IntegrityError:
        for remote, entries in adds:
            _add(session, table, remote, entries, pending, result)
        return
    _store_entries(session, [entry for _remote, entries in adds for entry in entries])
    result.added += len(adds)


def _add(session: Session, table: Table, remote: dict[str, Any], entries: list[dict],
         pending: dict[tuple[str, str], Conflict], result: SyncResult) -> None:
    try:
        with session.begin_nested():
            session.execute(insert(table).values(**remote))
    except IntegrityError as error:  # e.g. the same 사업자등록번호 entered on both laptops
        if (remote["id"], "*") not in pending:
            _store_conflict(session, table.name, remote["id"], "*", None, remote, entries,
                            reason=str(error.orig))
            result.conflicts += 1
        return
    _store_entries(session, entries)
    result.added += 1


def _merge_record(session: Session, table: Table, local: dict[str, Any], remote: dict[str, Any],
                  entries: list[dict], new_entries: list[dict], pending: dict[tuple[str, str], Conflict],
                  result: SyncResult) -> None:
    remote_ids = {e["id"] for e in entries}
    audit = AuditEntry.__table__
    local_only = [dict(e) for e in session.execute(
        select(audit).where(audit.c.entity_id == local["id"])).mappings() if e["id"] not in remote_ids]
    theirs = {_touched(e) for e in new_entries} - {None}
    ours = {_touched(e) for e in local_only} - {None}
    changes: dict[str, Any] = {}
    held: set[str] = set()
    for name in [c.name for c in table.columns if c.name not in _OWN_COLUMNS]:
        if name not in theirs or local[name] == remote[name]:
            continue
        if name in ours:
            held.add(name)
        else:
            changes[name] = remote[name]
    deleted_here, deleted_there = local["deleted_at"] is not None, remote["deleted_at"] is not None
    if deleted_here != deleted_there and (ours - {"deleted_at"} if deleted_there else theirs - {"deleted_at"}):
        changes.pop("deleted_at", None)
        held.add("deleted_at")  # deleted on one side, edited on the other: the officer decides
    reason = ""
    if changes:
        changes.update(check_fields(table, remote, changes))  # what is written passes the form's rules
        changes.update(version=max(local["version"], remote["version"]) + (1 if local_only else 0),
                       updated_at=max(local["updated_at"], remote["updated_at"]), updated_by=remote["updated_by"])
        reason = _apply_changes(session, table, local, changes)
        if reason:  # the fields merged one by one make a record no form would save: the officer decides
            held.update(name for name in changes if name not in _OWN_COLUMNS)
            changes = {}
    kept_back: set[str] = set()
    for name in held:
        # Delete versus edit: the other side's edits belong to the conflict, so our next bundle
        # still shows them as unseen and the other copy raises the same question.
        field_entries = [e for e in new_entries if _touched(e) == name or (
            name == "deleted_at" and not deleted_there and _touched(e))]
        kept_back.update(e["id"] for e in field_entries)
        existing = pending.get((local["id"], name))
        if existing is None or {e["id"] for e in existing.entries} != {e["id"] for e in field_entries}:
            if existing is not None:
                _drop_conflict(session, existing.id)
            last = field_entries[-1] if field_entries else {"officer": remote["updated_by"], "at": None}
            _store_conflict(session, table.name, local["id"], name, local[name], remote[name], field_entries,
                            officer=last["officer"], at=last["at"], reason=reason)
            result.conflicts += 1
    for name in theirs - held:
        if (local["id"], name) in pending:  # the other copy settled it after seeing ours
            _drop_conflict(session, pending[(local["id"], name)].id)
    _store_entries(session, [e for e in new_entries if e["id"] not in kept_back])
    if changes:
        result.updated += 1
    elif not held:
        result.unchanged += 1


def _apply_changes(session: Session, table: Table, local: dict[str, Any], changes: dict[str, Any]) -> str:
    """Write the merged fields if the record they make passes the kind's whole-record rules and the
    database's unique keys (e.g. a 사업자등록번호 the other copy gave to another firm meanwhile);
    else write nothing and say why."""
    service = rules_for(table.name)
    errors = service.record_errors({**local, **changes}) if service is not None else []
    if errors:
        return "; ".join(str(e) for e in errors)
    if service is not None and service.kept_while_used and changes.get("deleted_at") is not None:
        used = in_use(session, table, local["id"])  # deleted there, still named by records here
        if used:
            return used
    try:
        with session.begin_nested():
            session.execute(update(table).where(table.c.id == local["id"]).values(**changes))
    except IntegrityError as error:
        return t("다른 기록과 겹칩니다: {detail}", detail=error.orig)
    return ""


def _store_entries(session: Session, entries: list[dict]) -> None:
    if entries:
        audit = AuditEntry.__table__
        session.execute(insert(audit), [{k: load_value(audit.c[k], v) for k, v in e.items()} for e in entries])


def _store_conflict(session: Session, entity: str, entity_id: str, field_name: str, local: Any, remote: Any,
                    entries: list[dict], *, officer: str = "", at: Any = None, reason: str = "") -> None:
    conflict_id = str(uuid.uuid4())
    value = {"id": conflict_id, "entity": entity, "entity_id": entity_id, "field": field_name,
             "local": _jsonable(local), "remote": _jsonable(remote), "remote_officer": officer,
             "remote_at": dump_value(at) or "", "reason": reason, "entries": entries}
    session.add(Meta(key=CONFLICT_PREFIX + conflict_id, value=json.dumps(value, ensure_ascii=False)))
    session.flush()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: dump_value(v) for k, v in value.items()}
    return dump_value(value)


def _drop_conflict(session: Session, conflict_id: str) -> None:
    session.execute(delete(Meta.__table__).where(Meta.key == CONFLICT_PREFIX + conflict_id))


def list_conflicts_in(session: Session) -> list[Conflict]:
    metas = session.scalars(select(Meta).where(Meta.key.like(f"{CONFLICT_PREFIX}%")))
    found = []
    for meta in metas:
        data = json.loads(meta.value)
        data["entries"] = tuple(data["entries"])
        found.append(Conflict(**data))
    return sorted(found, key=lambda c: (c.entity, c.entity_id, c.field))


def list_conflicts(database: Database) -> list[Conflict]:
    with database.sessions() as session:
        return list_conflicts_in(session)


def resolve_conflict(database: Database, conflict_id: str, take: str, officer: str = "") -> Conflict:
    """Settle a conflict with this copy's value ("local") or the other's ("remote").

    Either way a new history entry records the decision, later than both sides' changes, so the
    other copy takes it on its next import instead of raising the same conflict again.
    """
    with unit_of_work(database.sessions, officer) as session:
        meta = session.get(Meta, CONFLICT_PREFIX + conflict_id)
        if meta is None:
            raise NotFound(t("동기화 충돌을 찾을 수 없습니다: {id}", id=conflict_id))
        data = json.loads(meta.value)
        conflict = Conflict(**{**data, "entries": tuple(data["entries"])})
        _drop_conflict(session, conflict.id)
        if conflict.field == "*":
            if take == "remote":
                raise InvalidValue(t("추가하지 못한 기록은 이쪽 기록을 유지하는 것만 고를 수 있습니다"))
            session.merge(Meta(key=DECLINED_PREFIX + conflict.entity_id, value=conflict.entity))
            return conflict
        table = Base.metadata.tables[conflict.entity]
        _store_entries(session, list(conflict.entries))
        row = session.execute(select(table).where(table.c.id == conflict.entity_id)).mappings().one()
        chosen = load_value(table.c[conflict.field], conflict.remote if take == "remote" else conflict.local)
        other = load_value(table.c[conflict.field], conflict.local if take == "remote" else conflict.remote)
        now, version = utcnow(), row["version"] + 1
        reason = _apply_changes(session, table, dict(row), {conflict.field: chosen, "version": version,
                                                            "updated_at": now, "updated_by": officer})
        if reason:
            raise InvalidValue(t("이 값으로는 정할 수 없습니다: {reason}", reason=reason))
        action = ("update" if conflict.field != "deleted_at" else "delete" if chosen is not None else "restore")
        session.add(AuditEntry(officer=officer, entity=conflict.entity, entity_id=conflict.entity_id,
                               action=action, field=conflict.field if action == "update" else "",
                               old_value=audit_text(other), new_value=audit_text(chosen), at=now, version=version))
        if conflict.entity == "firm" and conflict.field == "deleted_at":
            # The firm's records follow the decision, as they follow a delete or restore in a form.
            for rows in firm_dependents(session, conflict.entity_id, other).values():
                for record in rows:
                    record.deleted_at = chosen
    return conflict
