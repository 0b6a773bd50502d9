"""Support cases (지원과제) and visits (방문상담·기술지도) with their follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, ColumnElement, Date, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from boeun_desk.funding import FUNDING_COLUMNS, Funding
from boeun_desk.models.base import Base, Tracked


class SupportCase(Tracked, Base):
    """One support given to a firm in a program year, with its funding split in KRW."""

    __tablename__ = "support_case"

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    program_year_id: Mapped[str] = mapped_column(ForeignKey("program_year.id"), index=True)
    support_type_id: Mapped[str] = mapped_column(ForeignKey("support_type.id"), index=True)
    supply_company_id: Mapped[str | None] = mapped_column(ForeignKey("supply_company.id"), default=None)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    grant_national: Mapped[int] = mapped_column(BigInteger, default=0)
    grant_provincial: Mapped[int] = mapped_column(BigInteger, default=0)
    grant_county: Mapped[int] = mapped_column(BigInteger, default=0)
    firm_cash: Mapped[int] = mapped_column(BigInteger, default=0)
    firm_in_kind: Mapped[int] = mapped_column(BigInteger, default=0)
    result: Mapped[str] = mapped_column(Text, default="")

    @property
    def funding(self) -> Funding:
        return Funding.of(self)

    @classmethod
    def funding_sums(cls) -> tuple[ColumnElement[int], ...]:
        """SUM of each money column (0 over no rows), in the order of Funding's fields."""
        return tuple(func.coalesce(func.sum(getattr(cls, name)), 0) for name in FUNDING_COLUMNS)


class Visit(Tracked, Base):
    """A visit, consultation or technical guidance session at a firm."""

    __tablename__ = "visit"

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("support_case.id"), default=None, index=True)
    support_type_id: Mapped[str | None] = mapped_column(ForeignKey("support_type.id"), default=None)
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("officer.id"), default=None)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    place: Mapped[str] = mapped_column(String(300), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    situation: Mapped[str] = mapped_column(Text, default="")  # 현황 및 애로사항
    advice: Mapped[str] = mapped_column(Text, default="")  # 상담·지도 내용
    notes: Mapped[str] = mapped_column(Text, default="")
    expert_name: Mapped[str] = mapped_column(String(100), default="")  # 지도위원 who took part
    expert_org: Mapped[str] = mapped_column(String(200), default="")  # and their organisation


class FollowUp(Tracked, Base):
    """A follow-up action agreed during a visit (후속조치)."""

    __tablename__ = "follow_up"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    action: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
