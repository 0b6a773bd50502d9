"""What each list screen shows: its service, schema, columns and filters (declarative)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from boeun_desk import schemas
from boeun_desk.models.choices import (
    CASE_STATUS,
    INDICATOR_METRICS,
    IP_KIND,
    IP_STATUS,
    MATCH_STATUS,
    MEETING_KIND,
)
from boeun_desk.validation import Field

METRIC_LABELS = {code: label for code, (label, _unit) in INDICATOR_METRICS.items()}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, date, datetime, money, choice, lookup, bool, brn, int
    lookup: str = ""  # for kind "lookup": firms, types, years, suppliers, officers
    choices: Mapping[str, str] | None = None
    width: int = 0


@dataclass(frozen=True)
class ListSpec:
    key: str
    title: str
    service: str
    schema: tuple[Field, ...]
    columns: tuple[Column, ...]
    year_field: str = ""  # "program_year_id" or "year": enables the year filter
    type_field: str = ""  # enables the support-type filter
    status_choices: Mapping[str, str] | None = None
    expiring: bool = False  # certifications: "expiring within N days" filter
    firm_field: str = "firm_id"
    print_kind: str = ""  # a document printable from the context menu: firm, visit, certs


FIRM = Column("firm_id", "기업", "lookup", "firms", width=200)

SPECS: dict[str, ListSpec] = {s.key: s for s in (
    ListSpec("firms", "기업", "firms", schemas.FIRM, (
        Column("name", "업체명", width=220), Column("brn", "사업자등록번호", "brn", width=120),
        Column("representative", "대표자", width=90), Column("phone", "전화번호", width=120),
        Column("main_products", "주요 제품", width=220), Column("local_resource", "활용 연고자원", width=110),
        Column("address", "주소", width=260)), firm_field="", print_kind="firm"),
    ListSpec("cases", "지원과제", "cases", schemas.CASE, (
        Column("program_year_id", "연도", "lookup", "years", width=60),
        Column("support_type_id", "지원유형", "lookup", "types", width=150),
        Column("firm_id", "기업", "lookup", "firms", width=180), Column("title", "과제명", width=240), Column("status", "상태", "choice", choices=CASE_STATUS, width=60),
        Column("start_date", "시작일", "date", width=95), Column("end_date", "종료일", "date", width=95),
        Column("grant_national", "국비", "money", width=95), Column("grant_provincial", "도비", "money", width=90),
        Column("grant_county", "군비", "money", width=90)),
        year_field="program_year_id", type_field="support_type_id", status_choices=CASE_STATUS),
    ListSpec("visits", "방문·상담", "visits", schemas.VISIT, (
        Column("starts_at", "일시", "datetime", width=130), FIRM,
        Column("support_type_id", "지원유형", "lookup", "types", width=160),
        Column("officer_id", "담당자", "lookup", "officers", width=80), Column("place", "장소", width=200),
        Column("purpose", "방문 목적", width=330)), type_field="support_type_id", print_kind="visit"),
    ListSpec("certifications", "인증", "certifications", schemas.CERTIFICATION, (
        FIRM, Column("kind", "인증 종류", width=190), Column("number", "인증번호", width=130),
        Column("issuer", "인증기관", width=170), Column("issued_on", "인증일", "date", width=95),
        Column("expires_on", "만료일", "date", width=95), Column("product", "대상 제품", width=150)),
        expiring=True, print_kind="certs"),
    ListSpec("tests", "시험분석", "tests", schemas.TEST_ANALYSIS, (
        FIRM, Column("kind", "시험 종류", width=170), Column("item", "시험 항목", width=200),
        Column("lab", "시험기관", width=170), Column("requested_on", "의뢰일", "date", width=95),
        Column("result_on", "결과일", "date", width=95), Column("passed", "적합 여부", "bool", width=70),
        Column("report_no", "성적서 번호", width=120))),
    ListSpec("ip_rights", "지식재산권", "ip_rights", schemas.IP_RIGHT, (
        FIRM, Column("kind", "권리 종류", "choice", choices=IP_KIND, width=90), Column("title", "명칭", width=220),
        Column("application_no", "출원번호", width=140), Column("application_date", "출원일", "date", width=95),
        Column("registration_no", "등록번호", width=120), Column("status", "상태", "choice", choices=IP_STATUS,
                                                               width=60)),
        status_choices=IP_STATUS),
    ListSpec("indicators", "성과지표", "indicators", schemas.INDICATOR, (
        Column("year", "연도", "int", width=60), FIRM,
        Column("metric", "지표", "choice", choices=METRIC_LABELS, width=150),
        Column("baseline", "기준값", "money", width=140), Column("result", "실적값", "money", width=140),
        Column("notes", "비고", width=200)), year_field="year"),
    ListSpec("supply_companies", "공급기업", "supply_companies", schemas.SUPPLY_COMPANY, (
        Column("name", "공급기업명", width=220), Column("brn", "사업자등록번호", "brn", width=120),
        Column("fields", "분야", width=240), Column("contact_name", "담당자", width=90),
        Column("phone", "전화번호", width=120), Column("email", "이메일", width=180)), firm_field=""),
    ListSpec("matches", "매칭", "matches", schemas.MATCH, (
        Column("program_year_id", "연도", "lookup", "years", width=60),
        Column("supply_company_id", "공급기업", "lookup", "suppliers", width=200), FIRM,
        Column("matched_on", "매칭일", "date", width=95), Column("occasion", "계기", width=200),
        Column("status", "상태", "choice", choices=MATCH_STATUS, width=60)),
        year_field="program_year_id", status_choices=MATCH_STATUS),
    ListSpec("meetings", "회의", "meetings", schemas.MEETING, (
        Column("program_year_id", "연도", "lookup", "years", width=60),
        Column("kind", "회의 종류", "choice", choices=MEETING_KIND, width=170), Column("held_on", "개최일", "date",
                                                                                  width=95),
        Column("title", "회의명", width=220), Column("place", "장소", width=200),
        Column("recommendations", "개선 권고사항", width=300)), year_field="program_year_id", firm_field=""),
)}
