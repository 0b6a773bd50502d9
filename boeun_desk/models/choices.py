"""Fixed vocabularies: stored codes and their Korean labels (shown through `i18n.t`).

Support types are data (table `support_type`), not listed here. Certification and test kinds are
open lists: the names below are suggestions, any text is stored.
"""

from __future__ import annotations

CASE_STATUS = {"planned": "계획", "in_progress": "진행", "done": "완료", "cancelled": "취소"}
MATCH_STATUS = {"proposed": "제안", "negotiating": "협의", "contracted": "계약", "done": "완료",
                "cancelled": "취소"}
IP_KIND = {"patent": "특허", "utility": "실용신안", "design": "디자인", "trademark": "상표",
           "software": "SW 저작권"}
IP_STATUS = {"filed": "출원", "registered": "등록", "rejected": "거절", "abandoned": "포기"}
MEETING_KIND = {"report": "성과보고회", "advisory": "지역산업전문가 자문회의"}

CERTIFICATION_KINDS = (
    "HACCP(식품안전관리인증)", "전통식품 품질인증", "가공식품 KS", "유기가공식품 인증", "GAP",
    "ISO 22000", "FSSC 22000", "할랄(Halal)", "이노비즈", "메인비즈", "벤처기업확인",
)
TEST_KINDS = ("소비기한 설정실험", "영양성분 분석", "잔류농약", "중금속", "미생물", "자가품질검사")

# 성과지표: code -> (Korean label, unit). Money in KRW, people and counts as plain numbers.
INDICATOR_METRICS = {
    "sales": ("매출액", "원"),
    "exports": ("수출액", "원"),
    "hires_regular": ("신규고용(정규직)", "명"),
    "hires_youth": ("신규고용(청년)", "명"),
    "hires_women": ("신규고용(여성)", "명"),
    "investment": ("투자유치", "원"),
    "ip_count": ("지식재산권", "건"),
    "cert_count": ("인증", "건"),
    "prototype_count": ("시제품", "건"),
}

# 성과지표 목표 (targets per program year): code -> (Korean label, unit). How each is achieved:
# sales and exports by their increase over the baseline (INCREASE_METRICS), the other reported
# metrics by the year's result, and COUNTED_METRICS from the records (certificates issued, rights
# filed or registered in the year by the firms supported that year).
TARGET_METRICS = {
    "sales": ("매출액 증가", "원"),
    "exports": ("수출액 증가", "원"),
    "hires_regular": ("신규고용(정규직)", "명"),
    "hires_youth": ("신규고용(청년)", "명"),
    "hires_women": ("신규고용(여성)", "명"),
    "investment": ("투자유치", "원"),
    "prototype_count": ("시제품", "건"),
    "cert_acquired": ("인증 취득", "건"),
    "ip_filed": ("지식재산권 출원", "건"),
    "ip_registered": ("지식재산권 등록", "건"),
}
INCREASE_METRICS = ("sales", "exports")
COUNTED_METRICS = ("cert_acquired", "ip_filed", "ip_registered")
