"""연차 성과보고: a program year's firms, cases per support type, funding by source, indicators,
supply-company matches and meeting recommendations."""

from __future__ import annotations

from boeun_desk.funding import Funding
from boeun_desk.i18n import t
from boeun_desk.models.choices import MATCH_STATUS, MEETING_KIND
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.format import indicator_cells, money, rate, row_text, text, thousands
from boeun_desk.services.documents import AnnualReportData
from boeun_desk.validation import format_brn


def _thousand(amount: int) -> str:
    """An amount already in 천원, with its unit."""
    return t("{amount}천원", amount=money(amount))


def budget_text(budget: Funding) -> str:
    """470,000천원 (국비 320,000 · 도비 95,000 · 군비 55,000): the sum of the rounded parts."""
    k = thousands(budget)
    return t("{total}천원 (국비 {national} · 도비 {provincial} · 군비 {county})", total=money(k.grant),
             national=money(k.national), provincial=money(k.provincial), county=money(k.county))


class AnnualReport(Renderer):
    title = "연차 성과보고"

    def document_title(self, data: AnnualReportData) -> str:
        return t("{year}년 연차 성과보고", year=data.stats.year)

    def public_words(self, data: AnnualReportData) -> list[str]:
        from boeun_desk.reports.matches import match_words

        return [f.name for f in data.firms] + match_words(data.stats.matches)

    def blocks(self, data: AnnualReportData) -> list[b.Block]:
        s = data.stats
        stages = thousands(s.stages)  # every amount in 천원, rounded before it is added up
        firm_rows = [(f, thousands(f.funding)) for f in data.firms]
        firms_total = Funding.add_up(k for _f, k in firm_rows)
        period = (t("{start}년 ~ {end}년 ({n}년)", start=data.start_year, end=data.end_year,
                    n=data.end_year - data.start_year + 1) if data.start_year and data.end_year else "")
        agency = " ".join(x for x in (data.lead_agency, data.settings.department) if x)
        return [
            b.title_block(t("{year}년 연차 성과보고", year=s.year), data.program_title or data.program_name,
                          data.settings, data.today),
            b.Heading(t("1. 사업 개요")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("사업명"), data.program_name), (t("과제명"), data.program_title), (t("사업기간"), period),
                (t("총사업비"), budget_text(data.total_budget) if data.total_budget.grant else ""),
                (t("{year}년 예산", year=s.year), budget_text(s.budget) if s.budget.grant else ""),
                (t("재원"), t("국비 중소벤처기업부 · 도비 충청북도 · 군비 보은군")),
                (t("주관기관"), agency), (t("참여기관"), data.participants))), columns=1),
            b.Heading(t("2. 실적 요약")),
            b.Fields((
                (t("지원기업"), t("{n}개사", n=s.firms_supported)),
                (t("지원과제"), t("{n}건 (완료 {done} · 진행 중 {in_progress} · 계획 {planned})",
                                n=s.cases_total, **dict(s.cases_by_stage))),
                (t("정부지원금 집행"), _thousand(stages.spent.grant)),
                (t("매칭 공급기업"), t("{n}개사", n=s.supply_companies_matched)),
                (t("진행 중 (미집행)"), _thousand(stages.in_progress.grant)),
                (t("계획 (미집행)"), _thousand(stages.planned.grant)))),
            b.Heading(t("3. 지원유형별 실적 (협약액 기준, 단위: 천원)")),
            self._types(data),
            b.Heading(t("4. 재원별 예산 및 집행 (단위: 천원)")),
            *self._funding(data),
            b.Heading(t("5. 지원기업 (협약액 기준, 단위: 천원)")),
            b.Grid((t("번호"), t("업체명"), t("사업자등록번호"), t("과제 수"), t("정부지원금"), t("기업부담금")),
                   tuple(row_text((i, f.name, format_brn(f.brn), f.cases, money(k.grant), money(k.firm)))
                         for i, (f, k) in enumerate(firm_rows, start=1)),
                   (0.07, 0.35, 0.18, 0.1, 0.15, 0.15), "clccrr",
                   total=("", t("합계 {n}개사", n=len(data.firms)), "", text(sum(f.cases for f in data.firms)),
                          money(firms_total.grant), money(firms_total.firm)),
                   empty=t("지원기업이 없습니다.")),
            b.Heading(t("6. 성과지표 (보고 기업 합계, 금액 단위: 천원)")),
            b.Text(t("성과지표 보고 {n}개사 / 지원기업 {total}개사", n=s.firms_reporting, total=s.firms_supported),
                   "note"),
            b.Grid((t("지표"), t("보고 기업"), t("기준"), t("실적"), t("증감"), t("단위")),
                   tuple(row_text((t(i.label), t("{n}개사", n=i.firms), *indicator_cells(i.baseline, i.result, i.unit)))
                         for i in s.indicators),
                   (0.24, 0.12, 0.19, 0.19, 0.18, 0.08), "lcrrrc", empty=t("성과지표가 없습니다.")),
            b.Heading(t("7. 공급기업 매칭")),
            b.Grid((t("공급기업"), t("분야"), t("수혜기업"), t("매칭일"), t("상태")),
                   tuple(row_text((m.supply_company, m.supply_fields, m.firm_name, m.matched_on,
                                   t(MATCH_STATUS.get(m.status, m.status)))) for m in s.matches),
                   (0.24, 0.24, 0.28, 0.13, 0.11), "lllcc", empty=t("매칭 기록이 없습니다.")),
            b.Heading(t("8. 회의 결과 및 권고사항")),
            *self._meetings(data),
        ]

    def _types(self, data: AnnualReportData) -> b.Grid:
        s = data.stats
        # No internal codes (PROTO, SMART...) in a document: the support type's name says it.
        amounts = [thousands(tc.funding) for tc in s.cases_by_type]
        total = Funding.add_up(amounts)
        rows = tuple(row_text((t(tc.name), tc.count, money(k.grant), money(k.firm), money(k.total)))
                     for tc, k in zip(s.cases_by_type, amounts, strict=True))
        return b.Grid((t("지원유형"), t("건수"), t("정부지원금"), t("기업부담금"), t("총사업비")), rows,
                      (0.40, 0.12, 0.16, 0.16, 0.16), "lrrrr",
                      total=(t("합계"), text(s.cases_total), money(total.grant), money(total.firm), money(total.total)))

    def _funding(self, data: AnnualReportData) -> list[b.Block]:
        """집행 is completed work only; in-progress and planned money in their own columns. Grants and the
        firms' share are two tables, each closed by the sum of its own rows (rates only against a budget)."""
        budget, stages = thousands(data.stats.budget), thousands(data.stats.stages)
        parts = (stages.spent, stages.in_progress, stages.planned)
        heads = (t("예산(A)"), t("집행(B)"), t("진행 중"), t("계획"), t("집행률(B/A)"))
        widths = (0.24, 0.16, 0.16, 0.14, 0.14, 0.16)

        def row(label: str, planned: int | None, column: str) -> tuple[str, ...]:
            amounts = [getattr(f, column) for f in parts]
            return (label, "-" if planned is None else money(planned),
                    *(money(x) for x in amounts), "-" if planned is None else rate(amounts[0], planned))

        grants = (row(t("국비"), budget.national, "national"), row(t("도비"), budget.provincial, "provincial"),
                  row(t("군비"), budget.county, "county"))
        # The firms' 예산(A) is what the counted cases agreed, as in 사업비 집행 현황.
        agreed = stages.total
        firm = (row(t("현금"), agreed.firm_cash, "firm_cash"), row(t("현물"), agreed.firm_in_kind, "firm_in_kind"))
        return [
            b.Grid((t("정부지원금"), *heads), grants, widths, "lrrrrr", total=row(t("합계"), budget.grant, "grant")),
            b.Grid((t("기업부담금"), *heads), firm, widths, "lrrrrr", total=row(t("합계"), agreed.firm, "firm")),
            b.Text(t("※ 기업부담금의 예산(A)은 취소되지 않은 과제의 협약액입니다."), "note"),
        ]

    def _meetings(self, data: AnnualReportData) -> list[b.Block]:
        if not data.stats.meetings:
            return [b.Text(t("회의 기록이 없습니다."), "note")]
        out: list[b.Block] = []
        for m in data.stats.meetings:
            recommendations = [line.strip() for line in m.recommendations.splitlines() if line.strip()]
            out.append(b.Group((
                b.Text(f"{m.title or t(MEETING_KIND.get(m.kind, m.kind))} — {text(m.held_on)}, {text(m.place)}",
                       "strong"),
                b.Fields(((t("참석자"), text(m.attendees)), (t("주요 결과"), text(m.findings)),
                          (t("개선 권고사항"), "\n".join(f"{i}. {r}" for i, r in enumerate(recommendations, 1))
                           or "-")), columns=1),
            )))
        return out
