"""Beneficiary firms, their selection into a program year, supply companies and matches."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from boeun_desk.models.base import Base, Tracked


class Firm(Tracked, Base):
    """수혜기업 (or candidate). `brn` holds the 10 digits of the 사업자등록번호."""

    __tablename__ = "firm"

    name: Mapped[str] = mapped_column(String(200), index=True)
    brn: Mapped[str] = mapped_column(String(10), unique=True)
    crn: Mapped[str] = mapped_column(String(13), default="")
    representative: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    founded: Mapped[date | None] = mapped_column(Date, default=None)
    employees: Mapped[int | None] = mapped_column(Integer, default=None)
    main_products: Mapped[str] = mapped_column(Text, default="")
    local_resource: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Selection(Tracked, Base):
    """A firm chosen as beneficiary (수혜기업 선정) in a program year."""

    __tablename__ = "selection"
    __table_args__ = (UniqueConstraint("firm_id", "program_year_id"),)

    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    program_year_id: Mapped[str] = mapped_column(ForeignKey("program_year.id"), index=True)
    selected_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class SupplyCompany(Tracked, Base):
    """공급기업: delivers a service (marketing, video, design...) to beneficiaries."""

    __tablename__ = "supply_company"

    name: Mapped[str] = mapped_column(String(200), index=True)
    brn: Mapped[str | None] = mapped_column(String(10), unique=True, default=None)
    fields: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Match(Tracked, Base):
    """A supply company matched with a beneficiary firm (e.g. at the 성과보고회)."""

    __tablename__ = "match"

    supply_company_id: Mapped[str] = mapped_column(ForeignKey("supply_company.id"), index=True)
    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id"), index=True)
    program_year_id: Mapped[str] = mapped_column(ForeignKey("program_year.id"), index=True)
    matched_on: Mapped[date | None] = mapped_column(Date, default=None)
    occasion: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    note: Mapped[str] = mapped_column(Text, default="")
