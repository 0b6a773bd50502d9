"""The sync bundle file: every tracked record with its version and deletion marker, plus the
per-field history (audit entries) that tells which side changed what. One file, checksummed:

    BOEUN-DESK-SYNC 1\\n{"sha256": ..., "size": ..., "replica": ..., "created": ...}\\n<gzip JSON>

A truncated or altered file fails the size or SHA-256 check and is rejected whole.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import uuid
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

from boeun_desk.i18n import t
from boeun_desk.models import AuditEntry, Base, Meta, Tracked, utcnow

MAGIC = b"BOEUN-DESK-SYNC 1\n"
REPLICA_KEY = "replica_id"


class BundleError(Exception):
    """A bundle that cannot be used; str() is Korean."""


def tracked_tables() -> list[Table]:
    """Tables of officer-created records, parents before children (inserts need that order)."""
    tracked = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Tracked)}
    return [table for table in Base.metadata.sorted_tables if table.name in tracked]


def replica_id(session: Session) -> str:
    """This copy's identity, created on first use."""
    meta = session.get(Meta, REPLICA_KEY)
    if meta is None:
        meta = Meta(key=REPLICA_KEY, value=str(uuid.uuid4()))
        session.add(meta)
        session.flush()
    return meta.value


def dump_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def load_value(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type.python_type
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is bool:
        return bool(value)
    return value


def build_payload(session: Session, schema: str) -> dict[str, Any]:
    tables = {}
    for table in tracked_tables():
        columns = [c.name for c in table.columns]
        rows = session.execute(select(*table.columns).order_by(table.c.id)).all()
        tables[table.name] = {"columns": columns, "rows": [[dump_value(v) for v in row] for row in rows]}
    audit = AuditEntry.__table__
    entries = session.execute(select(*audit.columns).order_by(audit.c.at, audit.c.id)).all()
    return {"replica": replica_id(session), "created": utcnow().isoformat(), "schema": schema,
            "tables": tables, "audit": {"columns": [c.name for c in audit.columns],
                                        "rows": [[dump_value(v) for v in row] for row in entries]}}


def write_bundle(payload: dict[str, Any], path: Path) -> None:
    body = gzip.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)
    header = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "replica": payload["replica"],
              "created": payload["created"]}
    partial = path.with_name(path.name + ".part")
    with open(partial, "wb") as handle:
        handle.write(MAGIC + json.dumps(header).encode() + b"\n" + body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def read_bundle(path: Path, schema: str) -> dict[str, Any]:
    """The verified payload of a bundle; BundleError when anything about the file is off."""
    damaged = BundleError(t("동기화 파일이 잘렸거나 바뀌었습니다. 아무것도 가져오지 않았습니다: {path}", path=path.name))
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise BundleError(t("보은 데스크 동기화 파일이 아닙니다: {path}", path=path.name))
    head, _, body = data[len(MAGIC):].partition(b"\n")
    try:
        header = json.loads(head)
        if len(body) != header["size"] or hashlib.sha256(body).hexdigest() != header["sha256"]:
            raise damaged
        payload = json.loads(gzip.decompress(body))
    except (ValueError, KeyError, TypeError, OSError, EOFError, zlib.error) as error:
        raise damaged from error
    if payload.get("schema") != schema:
        raise BundleError(t("다른 버전의 보은 데스크에서 만든 동기화 파일입니다 (파일 {theirs}, 이 프로그램 {ours}). "
                            "두 컴퓨터의 프로그램을 같은 버전으로 맞추세요", theirs=payload.get("schema"), ours=schema))
    return payload
