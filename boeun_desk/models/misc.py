"""Meetings with their attendees and follow-up actions, attachments, the audit trail and
per-database metadata."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boeun_desk.models.base import Base, Tracked, new_uuid, utcnow


class Meeting(Tracked, Base):
    """성과보고회 (report meeting) or 지역산업전문가 자문회의 (expert advisory meeting)."""

    __tablename__ = "meeting"

    program_year_id: Mapped[str] = mapped_column(ForeignKey("program_year.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    held_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5), default="")  # "14:00" ("" when not recorded)
    end_time: Mapped[str] = mapped_column(String(5), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")  # 안건, one item per line
    attendees: Mapped[str] = mapped_column(Text, default="")  # 참석 현황 in a sentence; the names are rows
    findings: Mapped[str] = mapped_column(Text, default="")  # 주요 논의
    # 결정·권고 사항, one per line.
    recommendations: Mapped[str] = mapped_column(Text, default="")
    recorder: Mapped[str] = mapped_column(String(100), default="")  # 작성자 of the minutes


class MeetingAttendee(Tracked, Base):
    """One person on a meeting's attendance list (참석자: 구분, 소속, 직위, 성명), in `seq` order."""

    __tablename__ = "meeting_attendee"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str] = mapped_column(String(50), default="")  # 구분: 외부위원, 주관기관, 수혜기업...
    organisation: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(100))


class MeetingAction(Tracked, Base):
    """A follow-up action a meeting decided (후속 조치), with who does it and by when."""

    __tablename__ = "meeting_action"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100), default="")
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


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
