"""성과지표 달성 현황: each indicator's 목표, 실적 and 달성률 per program year, the program period's
total, the firms' own targets, and the certificates and rights the counts come from.

Money is printed in 천원; a rate is computed from the printed figures, so every row re-adds
(services/achievement.py says what counts as achieved)."""

from __future__ import annotations

from boeun_desk.i18n import t
from boeun_desk.models.choices import TARGET_METRICS
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from boeun_desk.reports.format import rate, row_text, text, to_thousand
from boeun_desk.services.achievement import Achievement, YearAchievements
from boeun_desk.services.documents import IndicatorReportData

_thousand = to_thousand


def printed(a: Achievement) -> tuple[int | None, int]:
    """The target and the achievement as printed: money in 천원 (an increase taken from the rounded
    figures, as the annual report prints its 증감), counts as they are."""
    if a.unit != "원":
        return a.target, a.achieved
    achieved = _thousand(a.result) - _thousand(a.baseline) if a.by_increase else _thousand(a.result)
    return (None if a.target is None else _thousand(a.target)), achieved


def unit_text(a: Achievement) -> str:
    return t("천원") if a.unit == "원" else t(a.unit)


def _n(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _rate(target: int | None, achieved: int) -> str:
    return rate(achieved, target) if target else "-"


class IndicatorAchievementReport(Renderer):
    title = "성과지표 달성 현황"

    def document_title(self, data: IndicatorReportData) -> str:
        return t("{year}년 성과지표 달성 현황", year=data.year)

    def public_words(self, data: IndicatorReportData) -> list[str]:
        """The firms and the titles of their certificates and rights."""
        return [value for y in data.years for value in (*(name for name, _a in y.firm_lines),
                                                         *(x for r in y.records for x in (r.firm_name, r.title)))]

    def blocks(self, data: IndicatorReportData) -> list[b.Block]:
        current = data.current
        period = (t("{start}년 ~ {end}년", start=data.start_year, end=data.end_year)
                  if data.start_year and data.end_year else "")
        return [
            b.title_block(self.document_title(data), data.program_title or data.program_name, data.settings,
                          data.today),
            b.Heading(t("1. 개요")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("사업명"), data.program_name), (t("사업기간"), period),
                (t("보고 연도"), t("{year}년", year=data.year)),
                (t("지원기업"), t("{n}개사 (성과지표 보고 {m}개사)", n=current.firms_supported,
                                 m=current.firms_reporting)),
                (t("실적 기준"), t("매출액·수출액은 보고 기업의 기준 대비 증가액, 신규고용·투자유치·시제품은 보고 실적, "
                                 "인증·지식재산권은 그해까지 지원한 기업의 그해 기록(인증일·출원일·등록일)으로 셉니다.")))),
                     columns=1),
            b.Heading(t("2. 연도별 달성 현황 (금액 단위: 천원)")),
            *(self._year(y) for y in data.years if not y.future),
            b.Heading(t("3. 사업기간 총괄 (금액 단위: 천원)")),
            self._period(data),
            b.Text(t("목표 합계는 사업기간 전체의 목표, 실적 합계는 {year}년까지의 누계입니다.", year=data.year) + " "
                   + t("목표가 일부 연도에만 있는 지표는 달성률을 적지 않습니다."), "note"),
            b.Heading(t("4. 기업별 목표 달성 ({year}년, 금액 단위: 천원)", year=data.year)),
            b.Grid((t("업체명"), t("지표"), t("목표"), t("실적"), t("달성률"), t("단위")),
                   tuple(row_text((name, t(a.label), _n(printed(a)[0]), _n(printed(a)[1]), _rate(*printed(a)),
                                   unit_text(a))) for name, a in current.firm_lines),
                   (0.3, 0.22, 0.14, 0.14, 0.11, 0.09), "llrrrc", empty=t("기업별 목표가 없습니다.")),
            b.Heading(t("5. 인증·지식재산권 실적 ({year}년)", year=data.year)),
            b.Grid((t("구분"), t("업체명"), t("명칭"), t("번호"), t("일자")),
                   tuple(row_text((t(TARGET_METRICS[r.metric][0]), r.firm_name, r.title, r.number, r.on))
                         for r in current.records),
                   (0.13, 0.24, 0.33, 0.17, 0.13), "cllcc", empty=t("해당 연도의 인증·지식재산권 기록이 없습니다.")),
        ]

    def _year(self, year: YearAchievements) -> b.Group:
        rows = []
        for a in year.lines:
            target, achieved = printed(a)
            rows.append(row_text((t(a.label), _n(target), _n(achieved), _rate(target, achieved), unit_text(a),
                                  t("{n}개사", n=a.firms))))
        return b.Group((
            b.Text(t("{year}년", year=year.year), "strong"),
            b.Grid((t("지표"), t("목표"), t("실적"), t("달성률"), t("단위"), t("보고·보유 기업")), tuple(rows),
                   (0.28, 0.16, 0.16, 0.12, 0.1, 0.18), "lrrrcc", empty=t("성과지표가 없습니다.")),
        ))

    def _period(self, data: IndicatorReportData) -> b.Grid:
        """One row per indicator: the period's target and achievement so far, then each year's."""
        years = data.years
        rows = []
        for index, first in enumerate(years[0].lines if years else ()):
            per_year = [printed(y.lines[index]) for y in years]
            targets = [target for target, _ in per_year if target is not None]
            target = sum(targets) if targets else None
            achieved = sum(value for (_, value), y in zip(per_year, years, strict=True) if not y.future)
            # A target for some years only: the sum is no period target, so no rate against it
            # (2024's target against two years' results once printed 429.6 %).
            whole = len(targets) == len(per_year)
            cells = [_n(target), _n(achieved), _rate(target, achieved) if whole else "-"]
            for (year_target, year_achieved), y in zip(per_year, years, strict=True):
                cells += [_n(year_target), "-" if y.future else _n(year_achieved)]
            rows.append((t(first.label), unit_text(first), *cells))
        heads = [t("목표 합계"), t("실적 합계"), t("달성률")]
        for y in years:
            heads += [t("{year}년 목표", year=y.year), t("{year}년 실적", year=y.year)]
        rest = (1 - 0.19 - 0.06 - 0.1) / (len(heads) - 1)
        widths = (0.19, 0.06, rest, rest, 0.1, *(rest,) * (len(heads) - 3))
        return b.Grid((t("지표"), t("단위"), *heads), tuple(rows), widths, "lc" + "r" * len(heads),
                      empty=t("성과지표가 없습니다."))
