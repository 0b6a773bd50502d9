"""The sync bundle file: every tracked record with its version and deletion marker, each with its
per-field history (the audit entries that tell which side changed what), and the attachment files
those records name. One file, checksummed:

    BOEUN-DESK-SYNC 3\\n
    {"sha256": ..., "size": ..., "replica": ..., "created": ...}   (padded to a fixed width)\\n
    <gzip stream of JSON lines>
        {"schema": ..., "replica": ..., "created": ..., "tables": {name: [columns]}, "audit": [columns]}
        [table name, [row values], [[audit entry values], ...]]     (one line per record)
    then, for each file a live attachment record names (none: the file ends with the gzip stream):
        FILE <sha256 of the bytes, 64 lower-case hex digits> <size>\\n<the file's bytes, as stored>

The checksum and size in the header cover everything after the header line, file bytes included.
Records come table by table, parents before children, so a reader can insert them in file order.
Both ends stream: the writer walks each table and its history in step (ordered by id), never holds
more than one record, and copies each file a chunk at a time; the reader checks the size and SHA-256
of the whole file first (finding where the gzip stream ends on the way), then reads the records
and the files each a second time, in chunks. A truncated or altered file is rejected whole; a file's
bytes are checked against its hash where they are stored (services/sync.py).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

from boeun_desk.i18n import t
from boeun_desk.models import Attachment, AuditEntry, Base, Tracked, utcnow
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.services.gate import RecordRejected, check_layout
from boeun_desk.storage import seal
from boeun_desk.storage.files import atomic_write
from boeun_desk.storage.filestore import chunks_of, content_path, is_content_hash

MAGIC = b"BOEUN-DESK-SYNC 3\n"
OLD_MAGICS = (b"BOEUN-DESK-SYNC 1\n", b"BOEUN-DESK-SYNC 2\n")  # made by older versions: refused
_HEADER_WIDTH = 400  # the header line is rewritten in place once the body's checksum is known
_CHUNK = 1 << 20
_BATCH = 1000  # rows fetched at a time while writing
_FRAME = re.compile(rb"FILE ([0-9a-f]{64}) ([0-9]{1,15})\n")
_FRAME_MAX = 100  # a frame line is shorter than this


class BundleError(Exception):
    """A bundle that cannot be used; str() is Korean."""


class BundlePassphraseNeeded(BundleError):
    """A sealed bundle opened without a passphrase: ask for one (CLI, sync dialog) and open again."""


def _opened(path: Path, passphrase: str | None) -> Any:
    """The bundle's bytes as a file: the file itself, or the plaintext of a sealed one (seal.py)."""
    handle = open(path, "rb")  # noqa: SIM115  (returned; the caller closes it)
    try:
        if not seal.is_sealed(handle):
            if passphrase:  # a sealed bundle was expected: a plain one in its place may be a forgery
                raise BundleError(t("암호를 주었지만 봉인되지 않은 동기화 파일입니다. 누군가 바꿔 놓았을 수 있어 "
                                    "아무것도 가져오지 않았습니다: {path}", path=path.name))
            return handle
        if not passphrase:
            raise BundlePassphraseNeeded(t("암호로 봉인된 동기화 파일입니다. 암호를 입력하세요: {path}", path=path.name))
        return seal.SealedReader(handle, passphrase, path.name)
    except seal.SealError as error:
        handle.close()
        raise BundleError(str(error)) from error
    except BaseException:
        handle.close()
        raise


def is_sealed_bundle(path: Path) -> bool:
    """Whether the file is a sealed bundle (its passphrase is needed to open it)."""
    with open(path, "rb") as handle:
        return seal.is_sealed(handle)


@dataclass(frozen=True)
class BundleRecord:
    table: str
    row: list[Any]  # values in the order of the header's columns for this table
    entries: list[list[Any]]  # this record's audit entries, in the order of the header's audit columns


def tracked_tables() -> list[Table]:
    """Tables of officer-created records, parents before children (inserts need that order)."""
    tracked = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Tracked)}
    return [table for table in Base.metadata.sorted_tables if table.name in tracked]


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


class _HashingWriter(io.RawIOBase):
    """Counts and hashes the body's bytes on their way to the file; can take back what it wrote
    since a mark (a file found damaged while it was being copied)."""

    def __init__(self, handle: Any):
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.handle.write(data)

    def mark(self) -> tuple[int, Any, int]:
        return self.handle.tell(), self.sha256.copy(), self.size

    def rewind(self, mark: tuple[int, Any, int]) -> None:
        position, self.sha256, self.size = mark
        self.handle.seek(position)
        self.handle.truncate()


class _Slice(io.RawIOBase):
    """The bytes of an open file from `start` to `stop`: the gzip stream without the files after it."""

    def __init__(self, handle: Any, start: int, stop: int):
        self.handle, self.stop = handle, stop
        handle.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.handle.read(max(0, min(len(buffer), self.stop - self.handle.tell())))
        buffer[:len(data)] = data
        return len(data)


def head_tables() -> dict[str, list[str]]:
    """The columns of each tracked table in the order a bundle's rows give them (its head's "tables")."""
    return {table.name: [c.name for c in _columns(table)] for table in tracked_tables()}


def _columns(table: Table) -> list[Column[Any]]:
    """The id first (the walk in _records reads it as row[0]), then the other columns."""
    return [table.c.id, *(c for c in table.columns if c.name != "id")]


def _bytewise(column: Any, session: Session) -> Any:
    """Order ids byte by byte, as Python compares them (PostgreSQL's default collation may not)."""
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


def table_records(session: Session, table: Table,
                  ids: Sequence[str] | None = None) -> Iterator[tuple[list[Any], list[list[Any]]]]:
    """The table's rows (all, or those of `ids`) with their audit entries, as a bundle carries them."""
    if ids is None:
        yield from _records(session, table)
        return
    for start in range(0, len(ids), _BATCH):
        yield from _records(session, table, ids[start:start + _BATCH])


def _records(session: Session, table: Table,
             ids: Sequence[str] | None = None) -> Iterator[tuple[list[Any], list[list[Any]]]]:
    """The table's rows by id, each with its audit entries, by walking both in the same order."""
    audit = AuditEntry.__table__
    rows_query = select(*_columns(table)).order_by(_bytewise(table.c.id, session))
    entries_query = (select(*audit.columns).where(audit.c.entity == table.name)
                     .order_by(_bytewise(audit.c.entity_id, session), audit.c.at, audit.c.id))
    if ids is not None:
        rows_query = rows_query.where(table.c.id.in_(ids))
        entries_query = entries_query.where(audit.c.entity_id.in_(ids))
    rows = session.connection().execution_options(yield_per=_BATCH).execute(rows_query)
    entries = session.connection().execution_options(yield_per=_BATCH).execute(entries_query)
    entry = next(entries, None)
    for row in rows:
        record_id, found = row[0], []
        while entry is not None and entry.entity_id < record_id:  # history of a record not here
            entry = next(entries, None)
        while entry is not None and entry.entity_id == record_id:
            found.append([dump_value(v) for v in entry])
            entry = next(entries, None)
        yield [dump_value(v) for v in row], found


def write_bundle(session: Session, path: Path, schema: str, replica: str, files_dir: Path,
                 passphrase: str | None = None, *, progress: Progress = quiet,
                 cancelled: IsCancelled = never) -> dict[str, int]:
    """Stream every tracked record with its history, then the files of the live attachments, into
    `path` (atomically); the counts. `replica`: the identity of the copy it comes from. With
    `passphrase` the file is sealed (storage/seal.py: AES-256-GCM, scrypt). Stopped (`cancelled`),
    the temporary file is removed and nothing is left at `path`."""
    tables = tracked_tables()
    audit_columns = [c.name for c in AuditEntry.__table__.columns]
    created = utcnow().isoformat()
    counts = {"records": 0, "history": 0, "files": 0, "file_bytes": 0, "files_missing": 0}
    with atomic_write(path) as raw:  # 0600, a unique temporary name, fsynced, renamed
        handle = seal.SealedWriter(raw, passphrase) if passphrase else raw
        _write_body(handle, session, tables, audit_columns, created, schema, replica, files_dir, counts,
                    progress, cancelled)
        if handle is not raw:
            handle.close()  # the last chunk sealed before the file is renamed into place
    return counts


def _write_body(handle: Any, session: Session, tables: list[Table], audit_columns: list[str], created: str,
                schema: str, replica: str, files_dir: Path, counts: dict[str, int], progress: Progress,
                cancelled: IsCancelled) -> None:
    hashes: set[str] = set()
    handle.write(MAGIC + b" " * _HEADER_WIDTH + b"\n")
    body = _HashingWriter(handle)
    with gzip.GzipFile(fileobj=body, mode="wb", mtime=0) as packed:
        head = {"schema": schema, "replica": replica, "created": created,
                "tables": head_tables(),
                "audit": audit_columns}
        packed.write(json.dumps(head, ensure_ascii=False).encode() + b"\n")
        for done, table in enumerate(tables):
            progress(done, len(tables), stage=t("기록을 담는 중"))
            named = _live_file(table)
            for row, entries in _records(session, table):
                if counts["records"] % 1000 == 0:
                    stop_if(cancelled)
                packed.write(json.dumps([table.name, row, entries], ensure_ascii=False,
                                        separators=(",", ":")).encode() + b"\n")
                counts["records"] += 1
                counts["history"] += len(entries)
                if named is not None and (content_hash := named(row)):
                    hashes.add(content_hash)
    for done, content_hash in enumerate(sorted(hashes)):
        stop_if(cancelled)
        progress(done, len(hashes), stage=t("첨부파일을 담는 중"))
        size = _carry(body, files_dir, content_hash)
        counts["files" if size is not None else "files_missing"] += 1
        counts["file_bytes"] += size or 0
    header = json.dumps({"sha256": body.sha256.hexdigest(), "size": body.size, "replica": replica,
                         "created": created}).encode()
    handle.seek(len(MAGIC))
    handle.write(header.ljust(_HEADER_WIDTH))


def _live_file(table: Table) -> Any:
    """For the attachment table: a function giving a row's file hash if the row is live, else None."""
    if table is not Attachment.__table__:
        return None
    names = [c.name for c in _columns(table)]
    at_hash, at_deleted = names.index("content_hash"), names.index("deleted_at")
    return lambda row: row[at_hash] if row[at_deleted] is None and is_content_hash(row[at_hash]) else None


def _carry(body: _HashingWriter, files_dir: Path, content_hash: str) -> int | None:
    """Append one file (frame line, then its bytes a chunk at a time); its size, or None with
    nothing written if the file is missing or its bytes are no longer those its name says."""
    try:
        source = open(content_path(files_dir, content_hash), "rb")  # noqa: SIM115 (closed below)
    except OSError:
        return None
    with source:
        size = os.fstat(source.fileno()).st_size
        mark = body.mark()
        body.write(b"FILE %s %d\n" % (content_hash.encode(), size))
        digest, copied = hashlib.sha256(), 0
        for chunk in chunks_of(source, size):
            digest.update(chunk)
            copied += len(chunk)
            body.write(chunk)
        if copied != size or digest.hexdigest() != content_hash:
            body.rewind(mark)
            return None
    return size


@dataclass(frozen=True)
class CarriedFile:
    content_hash: str
    size: int
    offset: int  # where its bytes start in the bundle


@dataclass(frozen=True)
class Bundle:
    """A verified bundle: its head, where the records' gzip stream lies and the files carried after
    it; `records()` and `files()` stream them."""

    path: Path
    offset: int
    records_end: int
    head: dict[str, Any]
    carried: tuple[CarriedFile, ...] = ()
    passphrase: str | None = field(default=None, repr=False)  # of a sealed bundle

    @property
    def replica(self) -> str:
        return self.head["replica"]

    def records(self) -> Iterator[BundleRecord]:
        with _opened(self.path, self.passphrase) as handle, \
                gzip.GzipFile(fileobj=_Slice(handle, self.offset, self.records_end), mode="rb") as packed:
            packed.readline()  # the head, read by open_bundle
            number = 0
            try:
                for number, line in enumerate(packed, start=1):  # noqa: B007 (named in the error)
                    table, row, entries = json.loads(line)
                    if not (isinstance(table, str) and isinstance(row, list) and isinstance(entries, list)):
                        raise ValueError(table)
                    yield BundleRecord(table, row, entries)
            except (ValueError, TypeError, RecursionError, OSError, EOFError, zlib.error) as error:
                raise BundleError(t("동기화 파일의 {n}번째 기록을 읽을 수 없습니다. 아무것도 가져오지 않았습니다: "
                                    "{path}", n=number + 1, path=self.path.name)) from error

    def files(self) -> Iterator[tuple[CarriedFile, Iterator[bytes]]]:
        """Each carried file with its bytes in chunks (read them before taking the next file)."""
        with _opened(self.path, self.passphrase) as handle:
            for carried in self.carried:
                handle.seek(carried.offset)
                yield carried, chunks_of(handle, carried.size)


def open_bundle(path: Path, schema: str, passphrase: str | None = None) -> Bundle:
    """Check the whole file (size, SHA-256, schema, the files' frames) before anything is read from
    it; a sealed one is opened with `passphrase` (BundlePassphraseNeeded without one) and each of
    its chunks is authenticated on the way."""
    damaged = BundleError(t("동기화 파일이 잘렸거나 바뀌었습니다. 아무것도 가져오지 않았습니다: {path}", path=path.name))
    with _opened(path, passphrase) as handle:
        try:
            magic = handle.read(len(MAGIC))
        except seal.SealError as error:  # the first chunk of a sealed file is not as it was sealed
            raise BundleError(str(error)) from error
        if magic in OLD_MAGICS:
            raise BundleError(t("이전 버전의 보은 데스크에서 만든 동기화 파일입니다. "
                                "그 컴퓨터의 프로그램을 새 버전으로 바꾼 뒤 다시 만드세요: {path}", path=path.name))
        if magic != MAGIC:
            raise BundleError(t("보은 데스크 동기화 파일이 아닙니다: {path}", path=path.name))
        try:
            header = json.loads(handle.readline())
            offset = handle.tell()
            digest, size, records_end = _scan(handle, offset)
            if size != header["size"] or digest != header["sha256"] or records_end is None:
                raise damaged
            with gzip.GzipFile(fileobj=_Slice(handle, offset, records_end), mode="rb") as packed:
                head = json.loads(packed.readline())
            # The header line is outside the checksum: what it says must be what the body says.
            if not isinstance(head, dict) or any(header.get(k) != head.get(k) for k in ("replica", "created")):
                raise ValueError(head)
            carried = _frames(handle, records_end, offset + size)
        except (ValueError, KeyError, TypeError, OSError, EOFError, zlib.error) as error:
            raise damaged from error
    if head.get("schema") != schema:
        raise BundleError(t("다른 버전의 보은 데스크에서 만든 동기화 파일입니다 (파일 {theirs}, 이 프로그램 {ours}). "
                            "두 컴퓨터의 프로그램을 같은 버전으로 맞추세요", theirs=head.get("schema"), ours=schema))
    try:
        check_layout(head.get("tables"), head.get("audit"), {table.name: table for table in tracked_tables()})
    except RecordRejected as error:
        raise BundleError(t("{message}. 아무것도 가져오지 않았습니다: {path}", message=error, path=path.name)) from error
    return Bundle(path, offset, records_end, head, carried, passphrase)


def _scan(handle: Any, offset: int) -> tuple[str, int, int | None]:
    """One pass over the body: its SHA-256, its size, and where the gzip stream of records ends
    (None: it never does). Decompressed output is thrown away a bounded piece at a time."""
    digest, size, records_end = hashlib.sha256(), 0, None
    unpack = zlib.decompressobj(wbits=31)  # gzip
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        data = chunk
        while records_end is None and data:
            unpack.decompress(data, _CHUNK)
            data = unpack.unconsumed_tail
            if unpack.eof:  # what follows the stream within this chunk is unused_data
                records_end = offset + size + len(chunk) - len(unpack.unused_data)
        size += len(chunk)
    return digest.hexdigest(), size, records_end


def _frames(handle: Any, start: int, stop: int) -> tuple[CarriedFile, ...]:
    """The files after the records: each frame line read, its bytes skipped; they must end the file."""
    found, position = [], start
    while position < stop:
        handle.seek(position)
        line = handle.readline(_FRAME_MAX)
        frame = _FRAME.fullmatch(line)
        if frame is None or position + len(line) + int(frame[2]) > stop:
            raise ValueError(line[:_FRAME_MAX])
        found.append(CarriedFile(frame[1].decode(), int(frame[2]), position + len(line)))
        position += len(line) + int(frame[2])
    return tuple(found)
