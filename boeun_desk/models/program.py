"""Program, its years and budgets, support types (data, not code), officers."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boeun_desk.models.base import Base, Tracked


class Program(Tracked, Base):
    __tablename__ = "program"

    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    lead_agency: Mapped[str] = mapped_column(String(200), default="")
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    # How its documents are signed and who wrote them (the office's settings, shared by every laptop).
    participants: Mapped[str] = mapped_column(Text, default="")  # 참여기관
    department: Mapped[str] = mapped_column(String(100), default="")  # 작성부서, e.g. 바이오센터
    approval_titles: Mapped[str] = mapped_column(String(200), default="담당,팀장,센터장")  # 결재란 boxes
    # The call's limits per firm and year (checked and flagged in the budget document).
    firm_limit_amount: Mapped[int] = mapped_column(BigInteger, default=50_000_000)
    firm_limit_cases: Mapped[int] = mapped_column(Integer, default=5)

    years: Mapped[list[ProgramYear]] = relationship(back_populates="program", order_by="ProgramYear.year")


class ProgramYear(Tracked, Base):
    """One year of a program with its budget by funding source, in KRW."""

    __tablename__ = "program_year"
    __table_args__ = (UniqueConstraint("program_id", "year"),)

    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    budget_national: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_provincial: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_county: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program] = relationship(back_populates="years")


class SupportType(Tracked, Base):
    """지원유형: seeded with the eight types; officers may add more."""

    __tablename__ = "support_type"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    # Expected maximum share of the government grant in the case total, in percent.
    grant_share_percent: Mapped[int] = mapped_column(Integer, default=80)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Officer(Tracked, Base):
    """담당자 of the lead agency."""

    __tablename__ = "officer"

    name: Mapped[str] = mapped_column(String(100))
    team: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
