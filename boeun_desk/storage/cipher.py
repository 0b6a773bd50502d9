"""Encrypted database files: SQLCipher 4 through the `sqlcipher3` driver (no SQLAlchemy, no Qt).

A file is encrypted when its first 16 bytes are not SQLite's header (SQLCipher keeps a random salt
there). The passphrase turns into the key through SQLCipher's own KDF (PBKDF2-HMAC-SHA512, 256,000
rounds, 32 bytes, with the file's salt) computed here once per salt with `hashlib` and handed to
SQLCipher as a raw key, so that each connection (the engine's pool, backups, checks) costs no
further half second. Files written from an encrypted database (backups, clones, converted copies)
get the same salt and key, so every one of them opens with the passphrase alone, in this program or
any SQLCipher 4 tool.

`remember()` keeps the key of a database for this process (the program asked once): backups,
restores and checks of that file find it by the database's path. A forgotten passphrase cannot be
recovered: nothing here stores it or anything it could be rebuilt from.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.storage.errors import PassphraseNeeded, WrongPassphrase

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_SIZE = 16
KDF_ROUNDS = 256_000  # SQLCipher 4's default (kdf_iter), PBKDF2-HMAC-SHA512
KEY_SIZE = 32
PAGE_MIN = 512
MIN_PASSPHRASE = 8  # characters: shorter ones are refused when a passphrase is set


def normalized(passphrase: str) -> str:
    """The passphrase as keys are made from it: Unicode NFC, so that Hangul typed as composed
    syllables (Windows, most keyboards) or as separate jamo (text copied from a macOS file name)
    opens the same file. Nothing else is changed (spaces, case: exactly as typed)."""
    return unicodedata.normalize("NFC", passphrase)


class Key:
    """A database passphrase with the raw keys derived from it, one per salt (thread-safe).
    Its repr never shows the passphrase."""

    def __init__(self, passphrase: str, salt: bytes | None = None):
        if not passphrase:
            raise ValueError("empty passphrase")
        self._passphrase = normalized(passphrase)
        self._raw: dict[bytes, bytes] = {}
        self._lock = threading.Lock()
        self.salt = salt or secrets.token_bytes(SALT_SIZE)  # the salt of new files made with this key

    def __repr__(self) -> str:
        return "Key(***)"

    def matches(self, passphrase: str) -> bool:
        return secrets.compare_digest(self._passphrase.encode(), normalized(passphrase).encode())

    @property
    def passphrase(self) -> str:
        return self._passphrase

    def raw(self, salt: bytes) -> bytes:
        with self._lock:
            if salt not in self._raw:
                self._raw[salt] = hashlib.pbkdf2_hmac("sha512", self._passphrase.encode("utf-8"), salt,
                                                      KDF_ROUNDS, KEY_SIZE)
            return self._raw[salt]

    def pragma_value(self, salt: bytes) -> str:
        """SQLCipher's raw key with salt, `x'<key><salt>'` (for a new file: it takes this salt)."""
        return f"x'{self.raw(salt).hex()}{salt.hex()}'"

    def for_file(self, path: Path) -> str:
        """The raw key for an existing encrypted file (its salt), or for a new one (ours)."""
        salt = file_salt(path)
        if salt is None:
            return self.pragma_value(self.salt)
        return self.pragma_value(salt)


def check_passphrase(passphrase: str) -> str | None:
    """A Korean reason a new passphrase is refused; None when it may be used."""
    if len(normalized(passphrase)) < MIN_PASSPHRASE:
        return t("암호는 {n}자 이상이어야 합니다", n=MIN_PASSPHRASE)
    if passphrase != passphrase.strip():
        return t("암호의 앞뒤에 공백을 둘 수 없습니다")
    if "\x00" in passphrase:
        return t("암호에 쓸 수 없는 문자가 있습니다")
    return None


def file_salt(path: Path) -> bytes | None:
    """The salt of an encrypted file; None for a plain, empty or missing one."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(SALT_SIZE)
    except OSError:
        return None
    if size < PAGE_MIN or size % PAGE_MIN or head == SQLITE_HEADER:
        return None  # SQLCipher writes whole pages (512 bytes at the least): not one of its files
    return head


def is_encrypted(path: Path) -> bool:
    """True for a file of whole pages that is not plain SQLite (encrypted, or damaged: only the key
    tells)."""
    return file_salt(path) is not None


# --- the keys this process was given -----------------------------------------------------------

_KEYS: dict[Path, Key] = {}


def _normal(path: Path) -> Path:
    return Path(os.path.abspath(path))


def remember(database_path: Path, key: Key | None) -> None:
    if key is None:
        _KEYS.pop(_normal(database_path), None)
    else:
        _KEYS[_normal(database_path)] = key


def key_for(database_path: Path) -> Key | None:
    """The key given for this database in this process (its backups are encrypted with it)."""
    return _KEYS.get(_normal(database_path))


# --- connections ---------------------------------------------------------------------------------

def driver() -> Any:
    """The sqlcipher3 DB-API module (imported when an encrypted file is first used)."""
    import sqlcipher3

    return sqlcipher3


def _translated(error: Exception) -> sqlite3.Error:
    """sqlcipher3's exception as the standard library's, so callers catch one family."""
    kind = getattr(sqlite3, type(error).__name__, sqlite3.DatabaseError)
    if not (isinstance(kind, type) and issubclass(kind, sqlite3.Error)):
        kind = sqlite3.DatabaseError
    return kind(*error.args)


def keyed_connect(path: Path | str, key_value: str | None, **options: Any) -> Any:
    """A sqlcipher3 connection with SQLCipher's log quiet and the key set (None: a plain file)."""
    connection = driver().connect(str(path), **options)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key_value is not None:
            connection.execute(f'PRAGMA key = "{key_value}"')
    except BaseException:
        connection.close()
        raise
    return connection


@contextlib.contextmanager
def connect(path: Path, key: Key | None = None, *, readonly: bool = False, timeout: float = 5.0,
            create: bool = False) -> Iterator[sqlite3.Connection]:
    """A DB-API connection to a database file, plain or encrypted, closed after the block.

    An existing file is read as it is (a plain file plainly, whatever `key`); a file made here is
    encrypted with `key` when given. An encrypted file without a key raises PassphraseNeeded, one
    the key does not open WrongPassphrase (a sqlite3.DatabaseError each); the driver's errors come
    out as the standard library's."""
    path = Path(path)
    encrypted = is_encrypted(path)
    if not encrypted and (key is None or (path.exists() and path.stat().st_size > 0) or not create):
        from boeun_desk.storage.lock import sqlite_uri

        if create:
            connection = sqlite3.connect(path, timeout=timeout)
        else:
            connection = sqlite3.connect(sqlite_uri(path.resolve()) + ("?mode=ro" if readonly else "?mode=rw"),
                                         uri=True, timeout=timeout)
        try:
            yield connection
        finally:
            connection.close()
        return
    if key is None:
        raise PassphraseNeeded(t("암호화된 데이터베이스입니다. 암호가 필요합니다: {path}", path=path), path)
    sqlcipher = driver()
    try:
        connection = keyed_connect(path, key.for_file(path), timeout=timeout)
        try:
            if encrypted:
                try:
                    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlcipher.DatabaseError as error:
                    if "not a database" in str(error):
                        raise WrongPassphrase(wrong_passphrase_message(path), path) from None
                    raise
            if readonly:
                connection.execute("PRAGMA query_only = ON")
            yield connection
        finally:
            connection.close()
    except sqlcipher.Error as error:
        raise _translated(error) from error


def wrong_passphrase_message(path: Path) -> str:
    return t("암호가 맞지 않습니다(또는 파일이 손상되었습니다). 아무것도 바꾸지 않았습니다: {path}", path=path)


def check_key(path: Path, key: Key) -> None:
    """WrongPassphrase unless `key` opens the encrypted file at `path`."""
    with connect(path, key, readonly=True):
        pass
