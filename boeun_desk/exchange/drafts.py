"""Draft recovery: the contents of open forms, journaled while the officer types.

Each open form writes its fields to one small 0600 JSON file (storage.files.atomic_write: a crash
leaves either the previous or the new draft, never half a file). Saving or
cancelling the form discards the draft; drafts still there at the next start are offered back.
Beside an encrypted database the file is sealed (AES-256-GCM, storage/seal.py) with a key drawn
from the database's passphrase (its SQLCipher key for a salt kept in the file, through HKDF), so a
draft is never written in the clear and costs no second key derivation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boeun_desk.storage import cipher, seal
from boeun_desk.storage.files import atomic_write

if TYPE_CHECKING:
    from boeun_desk.storage.engine import Database

SEALED = b"BOEUN-DESK-DRAFT-SEALED 1\n"


def _draft_key(key: cipher.Key, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"boeun-desk drafts v1").derive(key.raw(salt))


@dataclass(frozen=True)
class Draft:
    key: str  # the form's identity, e.g. "firm:<uuid>" or "visit:new:<uuid>"
    form: str
    record_id: str | None
    saved_at: datetime
    data: dict[str, Any]
    # An edit's starting point: the values the form opened with and the record's version then, so
    # a draft offered back after a crash still notices a change made to the record meanwhile.
    base: dict[str, Any] | None = None
    version: int | None = None


class DraftJournal:
    def __init__(self, folder: Path, key: cipher.Key | None = None, salt: bytes | None = None):
        """With `key` (an encrypted database's) drafts are sealed, under `salt` (its file's)."""
        self.folder = folder
        self.key, self.salt = key, salt  # no salt: this journal reads sealed drafts, never writes one

    @classmethod
    def for_database(cls, database: Database) -> DraftJournal:
        """Drafts live beside the database file (`name.drafts/`), else in the user data folder."""
        if database.path is not None:
            return cls.beside(database.path, database.key)
        from boeun_desk.paths import data_dir

        return cls(data_dir() / "drafts")

    @classmethod
    def beside(cls, database_path: Path, key: cipher.Key | None) -> DraftJournal:
        folder = database_path.with_name(database_path.name + ".drafts")
        return cls(folder, key, cipher.file_salt(database_path) if key is not None else None)

    def _encode(self, content: dict[str, Any]) -> bytes:
        data = json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")
        if self.key is None:
            return data
        if self.salt is None:
            raise ValueError("a sealed draft needs the salt of its database file")
        return SEALED + self.salt + seal.seal_bytes(_draft_key(self.key, self.salt), data, SEALED + self.salt)

    def _decode(self, data: bytes) -> dict[str, Any]:
        """ValueError for a draft this journal cannot read (sealed under another key, damaged)."""
        if data.startswith(SEALED):
            if self.key is None:
                raise ValueError("sealed draft")
            salt = data[len(SEALED):len(SEALED) + cipher.SALT_SIZE]
            data = seal.open_bytes(_draft_key(self.key, salt), data[len(SEALED) + cipher.SALT_SIZE:], SEALED + salt)
        return json.loads(data.decode("utf-8"))

    def _file(self, key: str) -> Path:
        return self.folder / (hashlib.sha1(key.encode()).hexdigest()[:20] + ".json")

    def save(self, key: str, form: str, data: Mapping[str, Any], *, record_id: str | None = None,
             base: Mapping[str, Any] | None = None, version: int | None = None) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self._file(key)
        content = {"key": key, "form": form, "record_id": record_id, "saved_at": datetime.now().isoformat(),
                   "data": dict(data), "base": None if base is None else dict(base), "version": version}
        with atomic_write(target) as handle:
            handle.write(self._encode(content))
        return target

    def discard(self, key: str) -> None:
        self._file(key).unlink(missing_ok=True)

    def pending(self) -> list[Draft]:
        """Drafts left by forms that were never saved or cancelled, newest first."""
        if not self.folder.is_dir():
            return []
        drafts = []
        for path in self.folder.glob("*.json"):
            try:
                content = self._decode(path.read_bytes())
                drafts.append(Draft(content["key"], content["form"], content["record_id"],
                                    datetime.fromisoformat(content["saved_at"]), content["data"],
                                    content.get("base"), content.get("version")))
            except (OSError, ValueError, KeyError):
                continue  # an unreadable draft is skipped, never a reason to fail the start
        return sorted(drafts, key=lambda d: d.saved_at, reverse=True)

    def move_to(self, other: DraftJournal) -> int:
        """Write every draft this journal reads into `other` (the same folder under a new key: the
        database was encrypted, decrypted or given a new passphrase); how many."""
        drafts = self.pending()
        for draft in drafts:
            other.save(draft.key, draft.form, draft.data, record_id=draft.record_id, base=draft.base,
                       version=draft.version)
        return len(drafts)
