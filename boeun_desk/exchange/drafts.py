"""Draft recovery: the contents of open forms, journaled while the officer types.

Each open form writes its fields to one small 0600 JSON file (storage.files.atomic_write: a crash
leaves either the previous or the new draft, never half a file). Saving or
cancelling the form discards the draft; drafts still there at the next start are offered back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boeun_desk.storage.files import atomic_write

if TYPE_CHECKING:
    from boeun_desk.storage.engine import Database


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
    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def for_database(cls, database: Database) -> DraftJournal:
        """Drafts live beside the database file (`name.drafts/`), else in the user data folder."""
        if database.path is not None:
            return cls(database.path.with_name(database.path.name + ".drafts"))
        from boeun_desk.paths import data_dir

        return cls(data_dir() / "drafts")

    def _file(self, key: str) -> Path:
        return self.folder / (hashlib.sha1(key.encode()).hexdigest()[:20] + ".json")

    def save(self, key: str, form: str, data: Mapping[str, Any], *, record_id: str | None = None,
             base: Mapping[str, Any] | None = None, version: int | None = None) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self._file(key)
        content = {"key": key, "form": form, "record_id": record_id, "saved_at": datetime.now().isoformat(),
                   "data": dict(data), "base": None if base is None else dict(base), "version": version}
        with atomic_write(target, "w") as handle:
            json.dump(content, handle, ensure_ascii=False, default=str)
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
                content = json.loads(path.read_text(encoding="utf-8"))
                drafts.append(Draft(content["key"], content["form"], content["record_id"],
                                    datetime.fromisoformat(content["saved_at"]), content["data"],
                                    content.get("base"), content.get("version")))
            except (OSError, ValueError, KeyError):
                continue  # an unreadable draft is skipped, never a reason to fail the start
        return sorted(drafts, key=lambda d: d.saved_at, reverse=True)
