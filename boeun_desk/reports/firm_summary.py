"""기업별 지원현황: one firm's header, support history with funding, certificates, tests, IP,
indicators, visits with open follow-ups and supply-company matches."""

from __future__ import annotations

from boeun_desk.funding import Funding, Stages, counts
from boeun_desk.i18n import t
from boeun_desk.models.choices import CASE_STATUS, IP_KIND, IP_STATUS, MATCH_STATUS
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.certifications import certification_rows, test_rows
from boeun_desk.reports.format import indicator_cells, money, row_text, text, thousands
from boeun_desk.services.documents import FirmSummaryData
from boeun_desk.validation import format_brn, format_crn


class FirmSummary(Renderer):
    title = "기업별 지원현황"

    def personal_names(self, data: FirmSummaryData) -> list[str]:
        return [data.detail.firm.representative]

    def blocks(self, data: FirmSummaryData) -> list[b.Block]:
        d = data.detail
        firm = d.firm
        return [
            b.title_block(t("기업별 지원현황"), firm.name, data.settings, data.today),
            b.Heading(t("1. 기업 개요")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("업체명"), firm.name), (t("사업자등록번호"), format_brn(firm.brn)),
                (t("대표자"), firm.representative), (t("법인등록번호"), format_crn(firm.crn)),
                (t("전화번호"), firm.phone), (t("이메일"), firm.email),
                (t("설립일"), firm.founded), (t("종업원 수"), firm.employees),
                (t("주소"), firm.address), (t("활용 연고자원"), firm.local_resource),
                (t("주요 제품"), firm.main_products),
                (t("수혜 연도"), ", ".join(str(y) for y in d.selected_years))))),
            b.Heading(t("2. 지원 이력 (단위: 천원)")),
            *self._cases(data),
            b.Heading(t("3. 인증 현황")),
            b.Grid((t("인증"), t("인증번호"), t("인증기관"), t("인증일"), t("만료일"), t("남은 기간")),
                   tuple(map(row_text, certification_rows(d.certifications))), (0.22, 0.17, 0.2, 0.13, 0.13, 0.15),
                   "llcccc", empty=t("등록된 인증이 없습니다.")),
            b.Heading(t("4. 시험분석")),
            b.Grid((t("시험 종류"), t("시험기관"), t("의뢰일"), t("결과일"), t("판정"), t("성적서 번호")),
                   tuple(map(row_text, test_rows(d.tests))), (0.26, 0.22, 0.12, 0.12, 0.1, 0.18), "llcccl",
                   empty=t("시험분석 기록이 없습니다.")),
            b.Heading(t("5. 지식재산권")),
            b.Grid((t("권리 종류"), t("명칭"), t("출원번호"), t("출원일"), t("등록번호"), t("상태")),
                   tuple(row_text((t(IP_KIND.get(x.kind, x.kind)), x.title, x.application_no, x.application_date,
                                   x.registration_no, t(IP_STATUS.get(x.status, x.status)))) for x in d.ip_rights),
                   (0.11, 0.29, 0.18, 0.12, 0.18, 0.12), "llcccc", empty=t("지식재산권 기록이 없습니다.")),
            b.Heading(t("6. 성과지표 (기준 대비 실적, 금액 단위: 천원)")),
            b.Grid((t("연도"), t("지표"), t("기준"), t("실적"), t("증감"), t("단위")),
                   tuple(row_text((i.year, t(i.label), *indicator_cells(i.baseline, i.result, i.unit)))
                         for i in d.indicators),
                   (0.09, 0.25, 0.2, 0.2, 0.18, 0.08), "clrrrc", empty=t("성과지표가 없습니다.")),
            b.Heading(t("7. 방문·상담 이력")),
            b.Grid((t("일시"), t("장소"), t("방문 목적"), t("담당자")),
                   tuple(row_text((v.starts_at, v.place, v.purpose, v.officer)) for v in d.visits),
                   (0.2, 0.26, 0.42, 0.12), "clll", empty=t("방문 기록이 없습니다.")),
            b.Heading(t("8. 미완료 후속조치")),
            b.Grid((t("후속조치"), t("기한"), t("상태")),
                   tuple(row_text((f.action, f.due_date, t("기한 경과") if f.overdue(data.today) else t("진행 중")))
                         for f in sorted(d.open_follow_ups, key=lambda f: (f.due_date is None, f.due_date))),
                   (0.62, 0.18, 0.2), "lcc", empty=t("미완료 후속조치가 없습니다.")),
            b.Heading(t("9. 공급기업 매칭")),
            b.Grid((t("연도"), t("공급기업"), t("분야"), t("매칭일"), t("계기"), t("상태")),
                   tuple(row_text((m.year, m.supply_company, m.supply_fields, m.matched_on, m.occasion,
                                   t(MATCH_STATUS.get(m.status, m.status)))) for m in d.matches),
                   (0.08, 0.22, 0.22, 0.13, 0.25, 0.1), "cllclc", empty=t("매칭 기록이 없습니다.")),
        ]

    def _cases(self, data: FirmSummaryData) -> list[b.Block]:
        """Every case listed; a cancelled one (취소) without amounts, since it counts in no sum."""
        cases = data.detail.cases
        counted = [c for c in cases if counts(c.status)]
        # In 천원, each case rounded before anything is added: the total row re-adds from the rows.
        stages = Stages.add_up(Stages.of(c.status, thousands(c.funding)) for c in counted)

        def amounts(f: Funding | None) -> tuple[str, ...]:
            if f is None:
                return ("-",) * 6
            return tuple(money(v) for v in (f.national, f.provincial, f.county, f.firm_cash, f.firm_in_kind, f.total))

        rows = tuple((text(c.year), t(c.type_name), text(c.title), t(CASE_STATUS.get(c.status, c.status)),
                      *amounts(thousands(c.funding) if counts(c.status) else None)) for c in cases)
        out: list[b.Block] = [b.Grid(
            (t("연도"), t("지원유형"), t("과제명"), t("상태"), t("국비"), t("도비"), t("군비"),
             t("현금"), t("현물"), t("합계")), rows,
            (0.06, 0.14, 0.24, 0.06, 0.09, 0.08, 0.08, 0.08, 0.08, 0.09), "cllcrrrrrr",
            total=(t("합계"), t("{n}건", n=len(counted)), "", "", *amounts(stages.total)) if cases else None,
            empty=t("지원 이력이 없습니다."))]
        if cases:
            out.append(b.Text(t("※ 합계 중 집행(완료) {spent}천원 · 진행 중 {in_progress}천원 · 계획 {planned}천원."
                                " 취소된 과제는 합계에 넣지 않습니다.",
                                **{name: money(getattr(stages, name).total)
                                   for name in ("spent", "in_progress", "planned")}), "note"))
        return out
