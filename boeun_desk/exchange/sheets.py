"""Which records go to which spreadsheet sheet, with the schema that names and types the columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boeun_desk import schemas
from boeun_desk.models import (
    Certification,
    Firm,
    FollowUp,
    Indicator,
    IPRight,
    Match,
    Meeting,
    Officer,
    Program,
    ProgramYear,
    Selection,
    SupplyCompany,
    SupportCase,
    SupportType,
    TestAnalysis,
    Tracked,
    Visit,
)
from boeun_desk.validation import Field


@dataclass(frozen=True)
class Sheet:
    key: str  # CLI name
    model: type[Tracked]
    schema: Sequence[Field]
    title: str  # Korean sheet title (through t())


SHEETS = (
    Sheet("firms", Firm, schemas.FIRM, "수혜기업"),
    Sheet("supply", SupplyCompany, schemas.SUPPLY_COMPANY, "공급기업"),
    Sheet("selections", Selection, schemas.SELECTION, "수혜기업 선정"),
    Sheet("cases", SupportCase, schemas.CASE, "지원과제"),
    Sheet("visits", Visit, schemas.VISIT, "방문상담"),
    Sheet("followups", FollowUp, schemas.FOLLOW_UP, "후속조치"),
    Sheet("certifications", Certification, schemas.CERTIFICATION, "인증"),
    Sheet("tests", TestAnalysis, schemas.TEST_ANALYSIS, "시험분석"),
    Sheet("ip", IPRight, schemas.IP_RIGHT, "지식재산권"),
    Sheet("indicators", Indicator, schemas.INDICATOR, "성과지표"),
    Sheet("matches", Match, schemas.MATCH, "공급기업 매칭"),
    Sheet("meetings", Meeting, schemas.MEETING, "회의"),
    Sheet("officers", Officer, schemas.OFFICER, "담당자"),
    Sheet("support_types", SupportType, schemas.SUPPORT_TYPE, "지원유형"),
    Sheet("program_years", ProgramYear, schemas.PROGRAM_YEAR, "사업연도"),
)
BY_KEY = {sheet.key: sheet for sheet in SHEETS}

# A reference column shows the referenced record's readable column instead of its UUID.
REF_DISPLAY: dict[str, tuple[type[Tracked], str]] = {
    "firm_id": (Firm, "name"), "program_year_id": (ProgramYear, "year"),
    "support_type_id": (SupportType, "name"), "supply_company_id": (SupplyCompany, "name"),
    "case_id": (SupportCase, "title"), "officer_id": (Officer, "name"), "visit_id": (Visit, "starts_at"),
    "program_id": (Program, "name"),
}
