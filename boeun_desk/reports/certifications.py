"""인증·시험분석 현황: certificates with expiry and days left, tests with results; one firm or all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.format import row_text, text
from boeun_desk.services.documents import CertificationsData
from boeun_desk.services.queries import CertificationRow

SOON_DAYS = 60


def days_left(days: int | None) -> str:
    if days is None:
        return "-"
    if days < 0:
        return t("만료 ({days}일 경과)", days=-days)
    return t("D-{days} (임박)", days=days) if days <= SOON_DAYS else t("D-{days}", days=days)


def certification_rows(rows: Sequence[CertificationRow]) -> list[tuple[Any, ...]]:
    return [(r.kind, r.number, r.issuer, r.issued_on, r.expires_on, days_left(r.days_left)) for r in rows]


def verdict(passed: bool | None) -> str:
    return "-" if passed is None else t("적합") if passed else t("부적합")


def test_rows(tests: Sequence[Any]) -> list[tuple[Any, ...]]:
    """(kind with item, lab, requested, result date, verdict, report no.) for test views or TestRows."""
    return [(f"{x.kind}\n{x.item}" if x.item else x.kind, x.lab, x.requested_on, x.result_on, verdict(x.passed),
             x.report_no) for x in tests]


class CertificationSummary(Renderer):
    title = "인증·시험분석 현황"

    def blocks(self, data: CertificationsData) -> list[b.Block]:
        certs = data.certifications
        expired = sum(1 for c in certs if c.days_left is not None and c.days_left < 0)
        soon = sum(1 for c in certs if c.days_left is not None and 0 <= c.days_left <= SOON_DAYS)
        whole = data.firm is None
        summary = t("인증 {n}건 (만료 {expired}건, {soon_days}일 이내 만료 {soon}건), 시험분석 {tests}건",
                    n=len(certs), expired=expired, soon_days=SOON_DAYS, soon=soon, tests=len(data.tests))
        cert_rows = tuple(row_text(((c.firm_name,) if whole else ()) + row)
                          for c, row in zip(certs, certification_rows(certs), strict=True))
        test_lines = tuple(row_text(((x.firm_name,) if whole else ()) + row)
                           for x, row in zip(data.tests, test_rows(data.tests), strict=True))
        firm_col = (t("기업"),) if whole else ()
        cert_widths = (0.17, 0.16, 0.13, 0.15, 0.12, 0.12, 0.15) if whole else (0.22, 0.17, 0.2, 0.13, 0.13, 0.15)
        test_widths = (0.15, 0.2, 0.15, 0.12, 0.12, 0.08, 0.18) if whole else (0.26, 0.22, 0.12, 0.12, 0.1, 0.18)
        return [
            b.title_block(t("인증·시험분석 현황"), t("{scope} — 기준일 {date}", scope=data.scope, date=text(data.today)),
                          data.settings, data.today, approval=False),
            b.Text(summary),
            b.Heading(t("1. 인증 현황")),
            b.Grid(firm_col + (t("인증"), t("인증번호"), t("인증기관"), t("인증일"), t("만료일"), t("남은 기간")),
                   cert_rows, cert_widths, ("l" if whole else "") + "llcccc", empty=t("등록된 인증이 없습니다.")),
            b.Text(t("※ (임박)은 {days}일 이내 만료 예정입니다.", days=SOON_DAYS), "note"),
            b.Heading(t("2. 시험분석 현황")),
            b.Grid(firm_col + (t("시험 종류"), t("시험기관"), t("의뢰일"), t("결과일"), t("판정"), t("성적서 번호")),
                   test_lines, test_widths, ("l" if whole else "") + "llcccl", empty=t("시험분석 기록이 없습니다.")),
        ]
