"""The office server's own tables (its change log and its files, migration 0005), and attachment
files between a laptop's files folder and the server, where they are kept as bytes by SHA-256 so
that any laptop can pull them. Each file is checked against its hash before it is stored, at
either end."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, LargeBinary, MetaData, String, Table, select
from sqlalchemy.orm import Session

from boeun_desk.models import Attachment
from boeun_desk.progress import IsCancelled, stop_if
from boeun_desk.storage import filestore
from boeun_desk.validation import InvalidValue

_CHUNK = 500

# The server's own tables (migration 0005); not in the models: a laptop's file has neither.
_SERVER = MetaData()
SERVER_CHANGE = Table("server_change", _SERVER, Column("seq", BigInteger, primary_key=True),
                      Column("xid", BigInteger), Column("entry_id", String(36)), Column("entity", String(40)),
                      Column("entity_id", String(36)), Column("db_user", String(100)), Column("laptop", String(200)),
                      Column("received_at", DateTime))
SERVER_FILE = Table("server_file", _SERVER, Column("content_hash", String(64), primary_key=True),
                    Column("size", BigInteger), Column("data", LargeBinary))


def live_hashes(session: Session, ids: dict[str, list[str]] | None) -> set[str]:
    """The files the live attachments among these records name (all of them for None)."""
    table = Attachment.__table__
    query = select(table.c.content_hash).where(table.c.deleted_at.is_(None))
    if ids is None:
        return {h for h in session.scalars(query) if filestore.is_content_hash(h)}
    wanted = ids.get(table.name, [])
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(h for h in session.scalars(query.where(table.c.id.in_(wanted[start:start + _CHUNK])))
                     if filestore.is_content_hash(h))
    return found


def send_files(session: Session, hashes: set[str], files_dir: Any, cancelled: IsCancelled) -> tuple[int, int]:
    """Store on the server the files it lacks, each checked against its hash; (sent, missing here)."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert  # not loaded with the window
    have: set[str] = set()
    ordered = sorted(hashes)
    for start in range(0, len(ordered), _CHUNK):
        have.update(session.scalars(select(SERVER_FILE.c.content_hash).where(
            SERVER_FILE.c.content_hash.in_(ordered[start:start + _CHUNK]))))
    sent = missing = 0
    for content_hash in ordered:
        if content_hash in have:
            continue
        stop_if(cancelled)
        try:
            data = filestore.content_path(files_dir, content_hash).read_bytes()
        except OSError:
            missing += 1
            continue
        if hashlib.sha256(data).hexdigest() != content_hash:  # damaged here: never spread
            missing += 1
            continue
        session.execute(pg_insert(SERVER_FILE).values(content_hash=content_hash, size=len(data), data=data)
                        .on_conflict_do_nothing())
        sent += 1
    return sent, missing


def receive_files(source: Session, hashes: set[str], files_dir: Any,
                  cancelled: IsCancelled) -> tuple[list[filestore.Staged], int]:
    """Copy the files this laptop lacks from the server into temporary files, each hash-checked;
    (the staged copies, how many the server lacks or holds damaged)."""
    staged: list[filestore.Staged] = []
    missing = 0
    try:
        for content_hash in sorted(hashes):
            if filestore.content_path(files_dir, content_hash).is_file():
                continue
            stop_if(cancelled)
            data = source.scalar(select(SERVER_FILE.c.data).where(SERVER_FILE.c.content_hash == content_hash))
            if data is None:  # the laptop that added it could not send it (missing there)
                missing += 1
                continue
            try:
                staged.append(filestore.stage(files_dir, [bytes(data)], expected=content_hash))
            except InvalidValue:
                missing += 1
    except BaseException:
        for copy in staged:
            copy.discard()
        raise
    return staged, missing
