"""What a firm holds and achieves: certifications, tests, IP rights, performance indicators, and the
program's indicator targets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from boeun_desk.models.base import Base, Tracked


class Certification(Tracked, Base):
    __tablename__ = "certification"

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("support_case.id"), default=None)
    kind: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(100), default="")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date, default=None)
    expires_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class TestAnalysis(Tracked, Base):
    """시험분석: shelf-life, nutrition, residues, heavy metals, microbes, self-quality tests."""

    __tablename__ = "test_analysis"
    __test__ = False  # not a pytest test class despite the name

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("support_case.id"), default=None)
    kind: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(300), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    lab: Mapped[str] = mapped_column(String(200), default="")
    requested_on: Mapped[date | None] = mapped_column(Date, default=None)
    result_on: Mapped[date | None] = mapped_column(Date, default=None)
    passed: Mapped[bool | None] = mapped_column(Boolean, default=None)
    report_no: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[str] = mapped_column(Text, default="")


class IPRight(Tracked, Base):
    """지식재산권: patent, utility model, design, trademark, software copyright."""

    __tablename__ = "ip_right"

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("support_case.id"), default=None)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    application_no: Mapped[str] = mapped_column(String(50), default="")
    application_date: Mapped[date | None] = mapped_column(Date, default=None)
    registration_no: Mapped[str] = mapped_column(String(50), default="")
    registration_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="filed")
    notes: Mapped[str] = mapped_column(Text, default="")


class Indicator(Tracked, Base):
    """성과지표 of a firm in a year: baseline (기준) against result (실적)."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("firm_id", "year", "metric"),)

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    metric: Mapped[str] = mapped_column(String(30))
    baseline: Mapped[int] = mapped_column(BigInteger, default=0)
    result: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")


class IndicatorTarget(Tracked, Base):
    """성과지표 목표 of a program year: for the whole program (no firm) or for one firm.

    `metric` is a code of `choices.TARGET_METRICS`; money in KRW, counts as plain numbers. One target
    per year, metric and firm; the program's own (firm NULL) is kept unique by a partial index,
    since NULLs never clash in a unique constraint."""

    __tablename__ = "indicator_target"
    __table_args__ = (
        UniqueConstraint("program_year_id", "firm_id", "metric"),
        Index("uq_indicator_target_program", "program_year_id", "metric", unique=True,
              sqlite_where=text("firm_id IS NULL"), postgresql_where=text("firm_id IS NULL")),
    )

    program_year_id: Mapped[str] = mapped_column(ForeignKey("program_year.id"), index=True)
    firm_id: Mapped[str | None] = mapped_column(ForeignKey("firm.id"), default=None, index=True)
    metric: Mapped[str] = mapped_column(String(30))
    target: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
