"""Which files are Boeun Desk databases: SQLite's `application_id` in the file header marks ours.

Checked before SQLAlchemy opens a file, so that another program's SQLite file never gets our
tables added and an empty (zero-byte) file is called damaged rather than quietly becoming a new
database. Files made before the mark existed are recognised by their tables and marked on open.
"""

from __future__ import annotations

import sqlite3
from enum import Enum
from pathlib import Path

from boeun_desk import migrations
from boeun_desk.i18n import t
from boeun_desk.storage import cipher
from boeun_desk.storage.errors import (
    DamagedDatabase,
    ForeignDatabase,
    NewerDatabase,
    PassphraseNeeded,
    WrongPassphrase,
)

APPLICATION_ID = int.from_bytes(b"BOEU", "big")  # 0x424F4555, in bytes 68-71 of the file header
# Tables every version of the program has: an unmarked file with them is ours, from before the mark.
OUR_TABLES = frozenset({"alembic_version", "firm", "audit_entry", "meta"})


class Kind(Enum):
    MISSING = "missing"    # no file: a new database is created
    EMPTY = "empty"        # a SQLite file with no tables (made by a tool): ours to fill
    OURS = "ours"          # marked
    UNMARKED = "unmarked"  # ours, from a version before the mark: gets the mark on open


def known_revisions() -> frozenset[str]:
    """Schema revisions this version knows (a file at another one was made by a newer version)."""
    folder = Path(migrations.__file__).resolve().parent / "versions"
    return frozenset(p.name.split("_", 1)[0] for p in folder.glob("*.py") if not p.name.startswith("_"))


def inspect_file(path: Path, key: cipher.Key | None = None) -> Kind | None:
    """What the file at `path` is; DamagedDatabase or ForeignDatabase (Korean messages) for one the
    program must not open. None when SQLite could not read it now (locked, no permission): the
    open that follows reports that in its own words. An encrypted file is read with `key` (or the
    key this process was given for it): PassphraseNeeded or WrongPassphrase without the right one."""
    from boeun_desk.storage.backup import damaged_message

    try:
        if path.stat().st_size == 0:
            raise DamagedDatabase(t("데이터베이스 파일이 비어 있습니다(0바이트): {path}", path=path) + "\n"
                                  + damaged_message(path, headline=False), path)
    except FileNotFoundError:
        return Kind.MISSING
    try:
        with cipher.connect(path, key or cipher.key_for(path), readonly=True) as connection:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = (connection.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
                        if "alembic_version" in tables else None)
    except PassphraseNeeded as error:
        if key is None and cipher.key_for(path) is None and _plain_backups(path):
            raise DamagedDatabase(damaged_message(path), path) from error  # never encrypted: damaged
        if isinstance(error, WrongPassphrase) and key is not None and _opens_a_twin(path, key):
            raise DamagedDatabase(damaged_message(path), path) from error  # the right key: damaged
        raise
    except sqlite3.OperationalError:
        return None
    except sqlite3.DatabaseError as error:  # not a database, malformed
        raise DamagedDatabase(damaged_message(path), path) from error
    if application_id not in (0, APPLICATION_ID) or (application_id == 0 and tables and not tables >= OUR_TABLES):
        raise ForeignDatabase(t("보은 데스크의 데이터베이스 파일이 아닙니다(다른 프로그램의 파일). 열지 않았습니다: {path}",
                                path=path))
    if revision is not None and revision not in known_revisions():
        raise NewerDatabase(t("이 파일은 더 새 버전의 보은 데스크로 만들어졌습니다(스키마 {revision}). "
                                "프로그램을 업데이트한 뒤 여세요: {path}", revision=revision, path=path))
    if application_id == APPLICATION_ID:
        return Kind.OURS
    return Kind.UNMARKED if tables else Kind.EMPTY


def passphrase_needed(path: Path) -> bool:
    """Whether opening the database at `path` needs its passphrase: it is encrypted, or (missing,
    empty or damaged past telling) its newest backup is, so restoring it will need one."""
    from boeun_desk.storage.backup import list_backups

    if cipher.is_encrypted(path):
        return True
    if path.is_file() and path.stat().st_size > 0 and not _damaged_plain(path):
        return False
    newest = list_backups(path)[:1]
    return bool(newest) and cipher.is_encrypted(newest[0].path)


def _damaged_plain(path: Path) -> bool:
    """A file that is neither plain SQLite (its header) nor whole encrypted pages."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(cipher.SQLITE_HEADER)) != cipher.SQLITE_HEADER
    except OSError:
        return False


def check_key(path: Path, key: cipher.Key) -> None:
    """WrongPassphrase unless `key` is the encrypted file's: it opens the file, or (the file's first
    page damaged) a backup with the same salt, so that the file can be restored."""
    try:
        cipher.check_key(path, key)
    except WrongPassphrase:
        if not _opens_a_twin(path, key):
            raise


def _opens_a_twin(path: Path, key: cipher.Key) -> bool:
    """`key` opens a backup with the same salt as the file at `path`: the same raw key, so the file
    did open with it and is damaged (its first page), not opened with a wrong passphrase."""
    from boeun_desk.storage.backup import list_backups

    salt = cipher.file_salt(path)
    for found in list_backups(path):
        if salt is not None and cipher.file_salt(found.path) == salt:
            try:
                cipher.check_key(found.path, key)
            except sqlite3.Error:
                return False
            return True
    return False


def _plain_backups(path: Path) -> bool:
    """The newest backup of the file is plain SQLite: a file that now looks encrypted is damaged."""
    from boeun_desk.storage.backup import list_backups

    newest = list_backups(path)[:1]
    return bool(newest) and not cipher.is_encrypted(newest[0].path)


def mark(connection: sqlite3.Connection) -> None:
    """Write the mark (a DB-API connection outside a transaction)."""
    connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
