"""사업비 집행 현황: a program year's 국비·도비·군비 and 민간부담 (현금·현물) with 예산(A), 집행(B),
잔액(A-B) and 집행률; the same by support type; each firm against the call's per-firm limits.

집행 is the money of completed work only; in-progress and planned cases are shown apart; a
cancelled case counts nowhere (funding.Stages). Money in 천원; every total is the sum of its rows."""

from __future__ import annotations

from boeun_desk.funding import Funding, Stages
from boeun_desk.i18n import t
from boeun_desk.reports import blocks as b
from boeun_desk.reports.annual_report import budget_text
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.format import rate, row_text, text, thousands
from boeun_desk.services.budget import FirmLimitLine
from boeun_desk.services.documents import BudgetReportData


def _k(value: int) -> str:
    return f"{value:,}"


def limit_text(line: FirmLimitLine) -> str:
    """한도 이내, or which limit the firm's year passes: 초과(과제 수·금액)."""
    if not line.exceeded:
        return t("한도 이내")
    names = {"cases": t("과제 수"), "amount": t("금액")}
    return t("초과({limits})", limits="·".join(names[name] for name in line.exceeded))


class BudgetExecutionReport(Renderer):
    title = "사업비 집행 현황"

    def document_title(self, data: BudgetReportData) -> str:
        return t("{year}년 사업비 집행 현황", year=data.execution.year)

    def public_words(self, data: BudgetReportData) -> list[str]:
        return [f.name for f in data.execution.firms]

    def blocks(self, data: BudgetReportData) -> list[b.Block]:
        e = data.execution
        over = [f for f in e.firms if f.exceeded]
        limits = t("정부지원금 {amount}천원 · {n}건 (기업당, 사업 설정)", amount=_k(round(e.limits.amount / 1000)),
                   n=e.limits.cases)
        spent_by_type = [thousands(x.stages.spent) for x in e.by_type]
        firms = [thousands(f.stages) for f in e.firms]
        firms_total = Stages.add_up(firms)
        return [
            b.title_block(self.document_title(data), data.program_title or data.program_name, data.settings,
                          data.today),
            b.Heading(t("1. 개요")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("사업명"), data.program_name), (t("사업연도"), t("{year}년", year=e.year)),
                (t("정부지원금 예산"), budget_text(e.budget) if e.budget.grant else ""),
                (t("집행 기준"), t("집행(B)은 완료된 과제의 사업비입니다. 진행 중·계획 과제는 따로 적고 집행에 넣지 "
                                 "않으며, 취소된 과제는 어디에도 넣지 않습니다.")),
                (t("민간부담 예산"), t("협약액 기준: 취소되지 않은 과제의 기업부담금 합계")),
                (t("기업당 한도"), limits))), columns=1),
            b.Heading(t("2. 재원별 집행 현황 (단위: 천원)")),
            *([b.Text(t("{year}년 정부지원금 예산이 입력되지 않아 집행률을 셀 수 없습니다 (사업 설정의 연도별 예산).",
                        year=e.year), "strong")] if not e.budget.grant else []),
            *self._sources(thousands(e.budget), thousands(e.stages)),
            b.Text(t("잔액(A-B)에는 진행 중·계획 과제의 금액이 들어 있습니다."), "note"),
            b.Heading(t("3. 지원유형별 집행 (완료 과제, 단위: 천원)")),
            b.Grid((t("지원유형"), t("건수"), t("국비"), t("도비"), t("군비"), t("민간 현금"), t("민간 현물"), t("계")),
                   tuple(row_text((t(x.name), x.count("done"), *self._spent(spent)))
                         for x, spent in zip(e.by_type, spent_by_type, strict=True)),
                   (0.26, 0.07, 0.11, 0.11, 0.11, 0.11, 0.11, 0.12), "lrrrrrrr",
                   total=(t("합계"), text(sum(x.count("done") for x in e.by_type)),
                          *self._spent(Funding.add_up(spent_by_type)))),
            b.Heading(t("4. 지원유형별 미집행 (진행 중·계획, 단위: 천원)")),
            self._unspent(data),
            b.Heading(t("5. 기업별 지원 한도 점검 (정부지원금 협약액 기준, 단위: 천원)")),
            b.Text(t("기업당 한도: {limits}. 한도를 넘은 기업 {n}개사", limits=limits, n=len(over)),
                   "strong" if over else "note"),
            b.Grid((t("번호"), t("업체명"), t("과제 수"), t("정부지원금"), t("그중 집행"), t("한도 점검")),
                   tuple(row_text((i, f.name, f.cases, _k(money.total.grant), _k(money.spent.grant), limit_text(f)))
                         for i, (f, money) in enumerate(zip(e.firms, firms, strict=True), start=1)),
                   (0.07, 0.35, 0.1, 0.15, 0.15, 0.18), "clrrrc",
                   total=("", t("합계 {n}개사", n=len(firms)), text(sum(f.cases for f in e.firms)),
                          _k(firms_total.total.grant), _k(firms_total.spent.grant), "") if firms else None,
                   empty=t("지원기업이 없습니다.")),
        ]

    @staticmethod
    def _spent(funding: Funding) -> tuple[str, ...]:
        return tuple(_k(x) for x in (funding.national, funding.provincial, funding.county, funding.firm_cash,
                                     funding.firm_in_kind, funding.total))

    def _sources(self, budget: Funding, stages: Stages) -> list[b.Block]:
        """Grants against the program's budget, the firms' share against what the cases agreed, and
        both together; each table closed by the sum of its rows (amounts already in 천원)."""
        heads = (t("예산(A)"), t("집행(B)"), t("잔액(A-B)"), t("집행률(B/A)"), t("진행 중"), t("계획"))
        widths = (0.2, 0.14, 0.14, 0.14, 0.12, 0.13, 0.13)
        agreed = stages.total  # the firms' share: what the counted cases agreed

        def row(label: str, planned: int, column: str, *, rated: bool = True) -> tuple[str, ...]:
            spent, in_progress, later = (getattr(getattr(stages, part), column)
                                         for part in ("spent", "in_progress", "planned"))
            return (label, _k(planned), _k(spent), _k(planned - spent), rate(spent, planned) if rated else "-",
                    _k(in_progress), _k(later))

        def grid(first: str, rows: tuple[tuple[str, ...], ...], total: tuple[str, ...]) -> b.Grid:
            return b.Grid((first, *heads), rows, widths, "lrrrrrr", total=total)

        # 예산(A) by source: the program's budget for the grants, the agreed share for the firms'.
        planned = Funding(budget.national, budget.provincial, budget.county, agreed.firm_cash, agreed.firm_in_kind)
        return [
            grid(t("정부지원금"), tuple(row(label, getattr(planned, column), column) for label, column in (
                (t("국비"), "national"), (t("도비"), "provincial"), (t("군비"), "county"))),
                 row(t("합계"), planned.grant, "grant")),
            grid(t("민간부담금"), (row(t("현금"), planned.firm_cash, "firm_cash"),
                                row(t("현물"), planned.firm_in_kind, "firm_in_kind")),
                 row(t("합계"), planned.firm, "firm")),
            grid(t("총괄"), (row(t("정부지원금"), planned.grant, "grant"), row(t("민간부담금"), planned.firm, "firm")),
                 # no rate over a grant with no budget: the firms' share alone would make it 800%
                 row(t("합계"), planned.total, "total", rated=bool(planned.grant) or not stages.total.grant)),
        ]

    def _unspent(self, data: BudgetReportData) -> b.Grid:
        lines = [(x, thousands(x.stages)) for x in data.execution.by_type
                 if x.count("in_progress") or x.count("planned")]
        total = Stages.add_up(stages for _x, stages in lines)
        return b.Grid((t("지원유형"), t("진행 중 건수"), t("진행 중 정부지원금"), t("진행 중 민간부담"), t("계획 건수"),
                       t("계획 정부지원금"), t("계획 민간부담")),
                      tuple(row_text((t(x.name), x.count("in_progress"), _k(s.in_progress.grant), _k(s.in_progress.firm),
                                      x.count("planned"), _k(s.planned.grant), _k(s.planned.firm)))
                            for x, s in lines),
                      (0.25, 0.11, 0.13, 0.13, 0.1, 0.14, 0.14), "lrrrrrr",
                      total=(t("합계"), text(sum(x.count("in_progress") for x, _s in lines)),
                             _k(total.in_progress.grant), _k(total.in_progress.firm),
                             text(sum(x.count("planned") for x, _s in lines)), _k(total.planned.grant),
                             _k(total.planned.firm)) if lines else None,  # no table, no total row
                      empty=t("진행 중이거나 계획된 과제가 없습니다."))
