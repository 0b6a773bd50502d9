"""Visits with their follow-up list (saved together), and attachments stored by content hash."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from boeun_desk.i18n import t
from boeun_desk.kinds import BY_KEY
from boeun_desk.models import (
    Attachment,
    FollowUp,
    Tracked,
    Visit,
    utcnow,
)
from boeun_desk.services.base import Changes, EntityService, field_error
from boeun_desk.services.children import ChildList, WithChildren
from boeun_desk.services.firm_records import FirmRecordService
from boeun_desk.storage import filestore
from boeun_desk.validation import FieldError, ValidationFailed, clean, file_name, out_of_order


class VisitService(WithChildren, FirmRecordService):
    """A visit and, under the key `follow_ups`, its list of follow-up actions (services/children.py):
    dicts of `action`, `due_date`, `done` (`done_on`), and `id` for an existing one. A done
    follow-up keeps the day it was done unless `done_on` says otherwise."""

    model = Visit
    search_columns = ("place", "attendees", "purpose", "situation", "advice")
    order_by = ("starts_at",)
    search_refs = ("firm_id", "officer_id")
    children = (ChildList("follow_ups", FollowUp, "visit_id", ("action", "due_date", "done"),
                          ("due_date",)),)

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        if out_of_order(values.get("starts_at"), values.get("ends_at")):
            return [field_error(self.schema, "ends_at", t("종료 일시가 시작 일시보다 빠릅니다"))]
        return []

    def _prepare_row(self, child: ChildList, values: dict[str, Any], row: Tracked | None) -> None:
        if values["done"] and values["done_on"] is None:  # ticked on the form: done today, or when it was
            values["done_on"] = (row.done_on if isinstance(row, FollowUp) and row.done else None) or utcnow().date()

    def follow_ups(self, visit_id: str) -> list[Any]:
        return self.rows_of(visit_id, "follow_ups")

    def set_follow_up_done(self, follow_up_id: str, done: bool = True) -> Changes:
        with self.session() as session:
            row = session.get(FollowUp, follow_up_id)
            if row is None or row.is_deleted:
                raise ValidationFailed([FieldError("follow_ups", t("후속조치"), t("후속조치를 찾을 수 없습니다"))])
            row.done = done
            row.done_on = utcnow().date() if done else None
            return Changes("follow_up", (row.id,), "update")


class FollowUpService(EntityService):
    """Follow-ups are saved with their visit (VisitService); this names their rules and list."""

    model = FollowUp
    order_by = ("due_date", "created_at")


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the files folder, not yet linked to any record."""

    filename: str
    media_type: str
    content_hash: str
    size: int


class AttachmentService(EntityService):
    """Files linked to any record. Bytes go to `files_dir/ab/abcdef...` named by their SHA-256."""

    model = Attachment
    order_by = ("created_at",)

    def __init__(self, sessions: sessionmaker[Session], officer: str = "", *, files_dir: Path):
        super().__init__(sessions, officer)
        self.files_dir = files_dir

    def attach(self, owner_kind: str, owner_id: str, source: Path, caption: str = "") -> Changes:
        """Store a copy of `source` under the hash of the bytes copied (a file changing meanwhile is
        stored as it was read) and link it to the record."""
        clean(self.schema, {"owner_kind": owner_kind, "owner_id": owner_id, "caption": caption},
              partial=True)  # a bad caption or owner: refused before the file is copied
        return self.create(self._link_values(owner_kind, owner_id, self.store(source), caption))

    def store(self, source: Path) -> StoredFile:
        """Copy `source` into the files folder (no record yet): a form stores its files before the
        transaction that saves the record with them. ValidationFailed when it cannot be read."""
        problem = t("파일을 찾을 수 없습니다: {path}", path=source) if not source.is_file() else ""
        if not problem:
            try:
                with source.open("rb") as handle:
                    staged = filestore.stage(self.files_dir, filestore.chunks_of(handle))
                try:
                    filestore.place(self.files_dir, staged)
                finally:
                    staged.discard()
            except OSError as error:  # gone, locked, unreadable (a USB stick pulled out), no space
                problem = t("파일을 첨부할 수 없습니다: {path} ({error})", path=source, error=error.strerror or error)
        if problem:
            raise ValidationFailed([FieldError("file", t("파일"), problem)])
        name = file_name(source.name)
        return StoredFile(name, mimetypes.guess_type(name)[0] or "", staged.content_hash, staged.size)

    def link_in(self, session: Session, owner_kind: str, owner_id: str, stored: StoredFile,
                caption: str = "") -> str:
        """A stored file linked to a record, in the caller's transaction; the attachment's id."""
        return self.create_in(session, self._link_values(owner_kind, owner_id, stored, caption)).id

    def set_live_in(self, session: Session, attachment_ids: Sequence[str], live: bool) -> None:
        """Move attachments to the 휴지통 (`live` False) or bring them back, in the caller's transaction."""
        stamp = utcnow()
        for row in session.scalars(select(Attachment).where(Attachment.id.in_(attachment_ids))):
            row.deleted_at = None if live else row.deleted_at or stamp

    @staticmethod
    def _link_values(owner_kind: str, owner_id: str, stored: StoredFile, caption: str) -> dict[str, Any]:
        return {"owner_kind": owner_kind, "owner_id": owner_id, "filename": stored.filename,
                "media_type": stored.media_type, "caption": caption, "content_hash": stored.content_hash,
                "size": stored.size}

    def _check(self, session: Session, values: dict[str, Any], obj: Tracked | None) -> list[FieldError]:
        warnings = super()._check(session, values, obj)
        kind = BY_KEY.get(values.get("owner_kind", getattr(obj, "owner_kind", "")))
        table = kind.model.__table__ if kind is not None else None  # type: ignore[attr-defined]
        owner = values.get("owner_id", getattr(obj, "owner_id", None))
        if table is not None and session.connection().execute(select(table.c.id).where(table.c.id == owner)).first() is None:
            raise ValidationFailed([field_error(self.schema, "owner_id", t("선택한 항목을 찾을 수 없습니다"))])
        return warnings

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        errors = []
        if values.get("owner_kind") not in BY_KEY:  # a kind of officer record, not e.g. the history
            errors.append(field_error(self.schema, "owner_kind", t("알 수 없는 기록 종류입니다")))
        name = values.get("filename") or ""
        if "/" in name or "\\" in name or name in (".", ".."):
            errors.append(field_error(self.schema, "filename", t("파일 이름에 경로를 쓸 수 없습니다")))
        return errors

    def path_of(self, content_hash: str) -> Path:
        """The stored file's path; InvalidValue unless the hash is 64 lower-case hex digits."""
        return filestore.content_path(self.files_dir, content_hash)

    def find(self, content_hash: str) -> Path | None:
        """The stored file, or None if the hash is malformed or the file is not in the folder."""
        if not filestore.is_content_hash(content_hash):
            return None
        path = self.path_of(content_hash)
        return path if path.is_file() else None

    def for_owner(self, owner_id: str) -> list[Any]:
        return self.list(owner_id=owner_id)
