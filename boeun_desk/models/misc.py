"""Meetings, attachments, the audit trail and per-database metadata."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boeun_desk.models.base import Base, Tracked, new_uuid, utcnow


class Meeting(Tracked, Base):
    """성과보고회 (report meeting) or 지역산업전문가 자문회의 (expert advisory meeting)."""

    __tablename__ = "meeting"

    program_year_id: Mapped[str] = mapped_column(ForeignKey("program_year.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    # One recommendation per line.
    recommendations: Mapped[str] = mapped_column(Text, default="")


class Attachment(Tracked, Base):
    """A file (photo, scan, report) linked to any record; bytes live in the data folder by hash."""

    __tablename__ = "attachment"

    owner_kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100), default="")
    caption: Mapped[str] = mapped_column(String(300), default="")


class AuditEntry(Base):
    """One changed field of one record: the history shown to officers and used when merging."""

    __tablename__ = "audit_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    officer: Mapped[str] = mapped_column(String(100), default="")
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(10))  # create / update / delete / restore
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str | None] = mapped_column(Text, default=None)
    new_value: Mapped[str | None] = mapped_column(Text, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Meta(Base):
    """Key/value facts about this database file (replica id, demo flag...)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
