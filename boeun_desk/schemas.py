"""Input schemas per entity: field names match the model columns, labels are Korean (via i18n)."""

from __future__ import annotations

from boeun_desk.models.choices import (
    CASE_STATUS,
    INDICATOR_METRICS,
    IP_KIND,
    IP_STATUS,
    MATCH_STATUS,
    MEETING_KIND,
    TARGET_METRICS,
)
from boeun_desk.validation import MAX_YEAR, MIN_YEAR, Field

FIRM = (
    Field("name", "업체명", required=True, max_length=200),
    Field("brn", "사업자등록번호", "brn", required=True),
    Field("crn", "법인등록번호", "crn"),
    Field("representative", "대표자", max_length=100),
    Field("address", "주소", max_length=300),
    Field("phone", "전화번호", "phone"),
    Field("email", "이메일", "email"),
    Field("founded", "설립일", "date", not_future=True),
    Field("employees", "종업원 수", "int", maximum=1_000_000),
    Field("main_products", "주요 제품", "note"),
    Field("local_resource", "활용 연고자원", max_length=200),
    Field("notes", "비고", "note"),
)

SELECTION = (
    Field("firm_id", "기업", "ref", required=True),
    Field("program_year_id", "사업연도", "ref", required=True),
    Field("selected_on", "선정일", "date"),
    Field("notes", "비고", "note"),
)

SUPPORT_TYPE = (
    Field("code", "코드", "code", required=True, max_length=20),
    Field("name", "지원유형명", required=True, max_length=100),
    Field("name_en", "영문명", max_length=100),
    Field("grant_share_percent", "정부지원금 비율(%)", "int", required=True, maximum=100),
    Field("sort_order", "표시 순서", "int", maximum=10_000),
    Field("active", "사용", "bool"),
)

PROGRAM = (
    Field("name", "사업명", required=True, max_length=200),
    Field("title", "과제명", "note"),
    Field("lead_agency", "주관기관", max_length=200),
    Field("participants", "참여기관", max_length=300),
    Field("department", "작성부서", max_length=100),
    Field("approval_titles", "결재란", "approval"),
    Field("firm_limit_amount", "기업당 지원 한도(원)", "amount"),
    Field("firm_limit_cases", "기업당 과제 수 한도", "int", minimum=1, maximum=100),
    Field("start_year", "시작 연도", "int", required=True, minimum=MIN_YEAR, maximum=MAX_YEAR),
    Field("end_year", "종료 연도", "int", required=True, minimum=MIN_YEAR, maximum=MAX_YEAR),
    Field("notes", "비고", "note"),
)

PROGRAM_YEAR = (
    Field("program_id", "사업", "ref", required=True),
    Field("year", "연도", "int", required=True, minimum=MIN_YEAR, maximum=MAX_YEAR),
    Field("budget_national", "국비 예산", "amount"),
    Field("budget_provincial", "도비 예산", "amount"),
    Field("budget_county", "군비 예산", "amount"),
    Field("notes", "비고", "note"),
)

OFFICER = (
    Field("name", "성명", required=True, max_length=100),
    Field("team", "부서", max_length=100),
    Field("position", "직위", max_length=100),
    Field("phone", "전화번호", "phone"),
    Field("email", "이메일", "email"),
    Field("active", "재직", "bool"),
)

CASE = (
    Field("firm_id", "기업", "ref", required=True),
    Field("program_year_id", "사업연도", "ref", required=True),
    Field("support_type_id", "지원유형", "ref", required=True),
    Field("supply_company_id", "공급기업", "ref"),
    Field("title", "과제명", required=True, max_length=300),
    Field("description", "내용", "note"),
    Field("status", "진행상태", "choice", choices=CASE_STATUS),
    Field("start_date", "시작일", "date"),
    Field("end_date", "종료일", "date"),
    Field("grant_national", "국비", "amount"),
    Field("grant_provincial", "도비", "amount"),
    Field("grant_county", "군비", "amount"),
    Field("firm_cash", "기업부담금(현금)", "amount"),
    Field("firm_in_kind", "기업부담금(현물)", "amount"),
    Field("result", "결과", "note"),
)

VISIT = (
    Field("firm_id", "기업", "ref", required=True),
    Field("case_id", "지원과제", "ref"),
    Field("support_type_id", "지원유형", "ref"),
    Field("officer_id", "담당자", "ref"),
    Field("starts_at", "시작 일시", "datetime", required=True),
    Field("ends_at", "종료 일시", "datetime"),
    Field("place", "장소", max_length=300),
    Field("attendees", "참석자", "note"),
    Field("purpose", "방문 목적", "note"),
    Field("situation", "현황 및 애로사항", "note"),
    Field("advice", "상담·지도 내용", "note"),
    Field("expert_name", "지도위원", max_length=100),
    Field("expert_org", "지도위원 소속", max_length=200),
    Field("notes", "비고", "note"),
)

FOLLOW_UP = (
    Field("visit_id", "방문", "ref", required=True),
    Field("action", "후속조치", "note", required=True),
    Field("due_date", "기한", "date"),
    Field("done", "완료", "bool"),
    Field("done_on", "완료일", "date"),
)

CERTIFICATION = (
    Field("firm_id", "기업", "ref", required=True),
    Field("case_id", "지원과제", "ref"),
    Field("kind", "인증 종류", required=True, max_length=100),
    Field("number", "인증번호", max_length=100),
    Field("issuer", "인증기관", max_length=200),
    Field("product", "대상 제품", max_length=200),
    Field("issued_on", "인증일", "date"),
    Field("expires_on", "만료일", "date"),
    Field("notes", "비고", "note"),
)

TEST_ANALYSIS = (
    Field("firm_id", "기업", "ref", required=True),
    Field("case_id", "지원과제", "ref"),
    Field("kind", "시험 종류", required=True, max_length=100),
    Field("item", "시험 항목", max_length=300),
    Field("product", "대상 제품", max_length=200),
    Field("lab", "시험기관", max_length=200),
    Field("requested_on", "의뢰일", "date"),
    Field("result_on", "결과일", "date"),
    Field("passed", "적합 여부", "bool"),
    Field("report_no", "성적서 번호", max_length=100),
    Field("result", "결과 내용", "note"),
)

IP_RIGHT = (
    Field("firm_id", "기업", "ref", required=True),
    Field("case_id", "지원과제", "ref"),
    Field("kind", "권리 종류", "choice", required=True, choices=IP_KIND),
    Field("title", "명칭", required=True, max_length=300),
    Field("application_no", "출원번호", max_length=50),
    Field("application_date", "출원일", "date"),
    Field("registration_no", "등록번호", max_length=50),
    Field("registration_date", "등록일", "date"),
    Field("status", "상태", "choice", choices=IP_STATUS),
    Field("notes", "비고", "note"),
)

INDICATOR = (
    Field("firm_id", "기업", "ref", required=True),
    Field("year", "연도", "int", required=True, minimum=MIN_YEAR, maximum=MAX_YEAR),
    Field("metric", "지표", "choice", required=True,
          choices={code: label for code, (label, _unit) in INDICATOR_METRICS.items()}),
    Field("baseline", "기준값", "amount"),
    Field("result", "실적값", "amount"),
    Field("notes", "비고", "note"),
)

INDICATOR_TARGET = (
    Field("program_year_id", "사업연도", "ref", required=True),
    Field("metric", "지표", "choice", required=True,
          choices={code: label for code, (label, _unit) in TARGET_METRICS.items()}),
    Field("firm_id", "대상 기업", "ref"),  # empty: the program's own target
    Field("target", "목표값", "amount", required=True),
    Field("notes", "비고", "note"),
)

SUPPLY_COMPANY = (
    Field("name", "공급기업명", required=True, max_length=200),
    Field("brn", "사업자등록번호", "brn"),
    Field("fields", "분야", max_length=300),
    Field("contact_name", "담당자", max_length=100),
    Field("phone", "전화번호", "phone"),
    Field("email", "이메일", "email"),
    Field("address", "주소", max_length=300),
    Field("notes", "비고", "note"),
)

MATCH = (
    Field("supply_company_id", "공급기업", "ref", required=True),
    Field("firm_id", "수혜기업", "ref", required=True),
    Field("program_year_id", "사업연도", "ref", required=True),
    Field("matched_on", "매칭일", "date"),
    Field("occasion", "계기", max_length=200),
    Field("status", "상태", "choice", choices=MATCH_STATUS),
    Field("note", "비고", "note"),
)

MEETING = (
    Field("program_year_id", "사업연도", "ref", required=True),
    Field("kind", "회의 종류", "choice", required=True, choices=MEETING_KIND),
    Field("title", "회의명", max_length=300),
    Field("held_on", "개최일", "date", required=True),
    Field("start_time", "시작 시각", "time"),
    Field("end_time", "종료 시각", "time"),
    Field("place", "장소", max_length=300),
    Field("agenda", "안건", "note"),
    Field("attendees", "참석 현황", "note"),
    Field("findings", "주요 논의", "note"),
    Field("recommendations", "결정·권고 사항", "note"),
    Field("recorder", "작성자", max_length=100),
)

# A meeting's rows, saved with it (services/meetings.py); `seq` is their order on the form.
MEETING_ATTENDEE = (
    Field("meeting_id", "회의", "ref", required=True),
    Field("seq", "순번", "int", maximum=10_000),
    Field("category", "구분", max_length=50),
    Field("organisation", "소속", max_length=200),
    Field("position", "직위", max_length=100),
    Field("name", "성명", required=True, max_length=100),
)

MEETING_ACTION = (
    Field("meeting_id", "회의", "ref", required=True),
    Field("seq", "순번", "int", maximum=10_000),
    Field("action", "후속 조치", "note", required=True),
    Field("owner", "담당자", max_length=100),
    Field("due_date", "기한", "date"),
    Field("done", "완료", "bool"),
)

ATTACHMENT = (
    Field("owner_kind", "대상 종류", required=True, max_length=40),
    Field("owner_id", "대상", "ref", required=True),
    Field("filename", "파일 이름", required=True, max_length=300),
    Field("content_hash", "파일 해시", "sha256", required=True),
    Field("size", "크기", "int", maximum=1 << 40),
    Field("media_type", "형식", max_length=100),
    Field("caption", "설명", max_length=300),
)
