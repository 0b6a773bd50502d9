"""성과지표 달성: the targets of each program year (the program's own and each firm's) against what
was achieved, defined once for the document, the tests and any screen.

What counts as achieved (models/choices.py TARGET_METRICS):
- 매출액·수출액: the increase over the baseline the firms reported (the annual report's 증감);
- the other reported metrics (신규고용, 투자유치, 시제품): the year's reported result;
- 인증 취득, 지식재산권 출원·등록: counted from the records, dated in the year, of the firms the program
  had supported by then (a counted case in that year or an earlier one of the program).
Firms in the 휴지통 count nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boeun_desk.models import (
    Certification,
    Firm,
    Indicator,
    IndicatorTarget,
    IPRight,
    ProgramYear,
    SupportCase,
)
from boeun_desk.models.choices import COUNTED_METRICS, INCREASE_METRICS, TARGET_METRICS
from boeun_desk.services.queries import COUNTED


@dataclass(frozen=True)
class Achievement:
    """One metric in one year (or one firm's): its target and what was achieved.

    `baseline` and `result` are the reported sums (for a counted metric: 0 and the count);
    `firms` how many firms reported it or hold a counted record."""

    metric: str
    target: int | None  # None: no target set
    baseline: int = 0
    result: int = 0
    firms: int = 0

    @property
    def label(self) -> str:
        return TARGET_METRICS[self.metric][0]

    @property
    def unit(self) -> str:
        return TARGET_METRICS[self.metric][1]

    @property
    def by_increase(self) -> bool:
        return self.metric in INCREASE_METRICS

    @property
    def achieved(self) -> int:
        return self.result - self.baseline if self.by_increase else self.result


@dataclass(frozen=True)
class CountedRecord:
    """A record behind a counted metric: what it is, whose, its number and date."""

    metric: str
    firm_name: str
    title: str
    number: str
    on: date | None


@dataclass(frozen=True)
class YearAchievements:
    year: int
    lines: tuple[Achievement, ...]  # the program's, in TARGET_METRICS order
    firm_lines: tuple[tuple[str, Achievement], ...]  # (firm name, its target and result), by firm
    records: tuple[CountedRecord, ...]  # behind the counted metrics
    firms_supported: int  # firms with a counted case in the year
    firms_reporting: int  # firms that reported indicators for the year
    future: bool = False  # after the document's year: targets only


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def _reported(s: Session, year: int, firm_id: str | None = None) -> dict[str, tuple[int, int, int]]:
    """metric -> (baseline sum, result sum, firms) of the firms' reported indicators."""
    query = (select(Indicator.metric, func.sum(Indicator.baseline), func.sum(Indicator.result),
                    func.count(func.distinct(Indicator.firm_id)))
             .join(Firm, Indicator.firm_id == Firm.id)
             .where(Indicator.year == year, Indicator.deleted_at.is_(None), Firm.deleted_at.is_(None))
             .group_by(Indicator.metric))
    if firm_id:
        query = query.where(Indicator.firm_id == firm_id)
    return {metric: (int(b or 0), int(r or 0), int(n or 0)) for metric, b, r, n in s.execute(query)}


def first_support_years(s: Session, program_id: str) -> dict[str, int]:
    """firm id -> the first year of the program in which the firm had a counted case (one query for
    a whole document: who the program had supported by a year)."""
    rows = s.execute(select(SupportCase.firm_id, func.min(ProgramYear.year))
                     .join(Firm, SupportCase.firm_id == Firm.id)
                     .join(ProgramYear, SupportCase.program_year_id == ProgramYear.id)
                     .where(COUNTED, ProgramYear.program_id == program_id, ProgramYear.deleted_at.is_(None))
                     .group_by(SupportCase.firm_id))
    return {firm_id: int(year) for firm_id, year in rows}


def _records(s: Session, year: int, supported: Callable[[str], bool], firm_id: str | None = None) -> list[CountedRecord]:
    """The certificates issued and the rights filed or registered in the year by the firms `supported`
    admits (or by `firm_id` alone)."""
    start, end = _year_bounds(year)
    mine = (lambda model: model.firm_id == firm_id) if firm_id else (lambda model: model.firm_id.is_not(None))
    found: list[CountedRecord] = []
    for cert, name in s.execute(select(Certification, Firm.name).join(Firm, Certification.firm_id == Firm.id).where(
            Certification.deleted_at.is_(None), Firm.deleted_at.is_(None), mine(Certification),
            Certification.issued_on >= start, Certification.issued_on < end)):
        if firm_id or supported(cert.firm_id):
            found.append(CountedRecord("cert_acquired", name, cert.kind, cert.number, cert.issued_on))
    in_year = ((IPRight.application_date >= start) & (IPRight.application_date < end)) | (
        (IPRight.registration_date >= start) & (IPRight.registration_date < end))
    for right, name in s.execute(select(IPRight, Firm.name).join(Firm, IPRight.firm_id == Firm.id).where(
            IPRight.deleted_at.is_(None), Firm.deleted_at.is_(None), mine(IPRight), in_year)):
        if not (firm_id or supported(right.firm_id)):
            continue
        if right.application_date and start <= right.application_date < end:
            found.append(CountedRecord("ip_filed", name, right.title, right.application_no, right.application_date))
        if right.status == "registered" and right.registration_date and start <= right.registration_date < end:
            found.append(CountedRecord("ip_registered", name, right.title, right.registration_no,
                                       right.registration_date))
    order = {metric: n for n, metric in enumerate(COUNTED_METRICS)}
    return sorted(found, key=lambda r: (order[r.metric], r.on or start, r.firm_name))


def _achievement(metric: str, target: int | None, reported: dict[str, tuple[int, int, int]],
                 records: list[CountedRecord]) -> Achievement:
    if metric in COUNTED_METRICS:
        mine = [r for r in records if r.metric == metric]
        return Achievement(metric, target, 0, len(mine), len({r.firm_name for r in mine}))
    baseline, result, firms = reported.get(metric, (0, 0, 0))
    return Achievement(metric, target, baseline, result, firms)


def year_achievements(s: Session, program_year: ProgramYear, metrics: tuple[str, ...],
                      first_years: dict[str, int]) -> YearAchievements:
    """The year's achievements of `metrics` (program lines in this order) and of each firm target;
    `first_years` is `first_support_years()` of the program."""
    year = program_year.year
    targets = s.execute(select(IndicatorTarget, Firm.name).outerjoin(Firm, IndicatorTarget.firm_id == Firm.id).where(
        IndicatorTarget.program_year_id == program_year.id, IndicatorTarget.deleted_at.is_(None),
        (IndicatorTarget.firm_id.is_(None)) | Firm.deleted_at.is_(None))).all()
    reported = _reported(s, year)
    records = _records(s, year, lambda firm: first_years.get(firm, year + 1) <= year)
    own = {target.metric: target.target for target, _name in targets if target.firm_id is None}
    lines = tuple(_achievement(m, own.get(m), reported, records) for m in metrics)
    firm_targets: dict[str, list[IndicatorTarget]] = defaultdict(list)
    names = {}
    for target, name in targets:
        if target.firm_id is not None and target.metric in TARGET_METRICS:
            firm_targets[target.firm_id].append(target)
            names[target.firm_id] = name
    order = {metric: n for n, metric in enumerate(TARGET_METRICS)}
    firm_lines = []
    for firm_id in sorted(firm_targets, key=lambda f: names[f]):
        mine_reported, mine_records = _reported(s, year, firm_id), _records(s, year, lambda _f: True, firm_id)
        for target in sorted(firm_targets[firm_id], key=lambda x: order[x.metric]):
            firm_lines.append((names[firm_id], _achievement(target.metric, target.target, mine_reported,
                                                            mine_records)))
    supported = s.scalar(select(func.count(func.distinct(SupportCase.firm_id)))
                         .join(Firm, SupportCase.firm_id == Firm.id)
                         .where(SupportCase.program_year_id == program_year.id, COUNTED)) or 0
    reporting = s.scalar(select(func.count(func.distinct(Indicator.firm_id))).join(Firm).where(
        Indicator.year == year, Indicator.deleted_at.is_(None), Firm.deleted_at.is_(None))) or 0
    return YearAchievements(year, lines, tuple(firm_lines), tuple(records), supported, reporting)


def shown_metrics(s: Session, program_years: list[ProgramYear]) -> tuple[str, ...]:
    """The metrics a program's document lists: those with a target of the program in any of its years,
    or with something achieved (reported or recorded) in one, in TARGET_METRICS order."""
    ids = [py.id for py in program_years]
    years = [py.year for py in program_years]
    wanted = set(s.scalars(select(IndicatorTarget.metric).where(
        IndicatorTarget.program_year_id.in_(ids), IndicatorTarget.firm_id.is_(None),
        IndicatorTarget.deleted_at.is_(None))))
    wanted |= set(s.scalars(select(Indicator.metric).join(Firm).where(
        Indicator.year.in_(years), Indicator.deleted_at.is_(None), Firm.deleted_at.is_(None))))
    wanted |= set(COUNTED_METRICS)  # always shown: the records answer them, "0" is an answer
    return tuple(m for m in TARGET_METRICS if m in wanted)
