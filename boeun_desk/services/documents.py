"""Plain data for the printed documents, built from the same queries the screens use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from boeun_desk.funding import Funding
from boeun_desk.i18n import t
from boeun_desk.models import (
    Attachment,
    Firm,
    FollowUp,
    Officer,
    Program,
    ProgramYear,
    SupportCase,
    SupportType,
    TestAnalysis,
    Visit,
)
from boeun_desk.services.achievement import (
    Achievement,
    YearAchievements,
    first_support_years,
    shown_metrics,
    year_achievements,
)
from boeun_desk.services.base import NotFound, to_view
from boeun_desk.services.budget import BudgetExecution, budget_execution
from boeun_desk.services.queries import COUNTED, AnnualStats, CertificationRow, FirmDetail

PROGRAM_FALLBACK = "시군구연고산업육성사업(보은)"


@dataclass(frozen=True)
class DocumentSettings:
    """Who issues a document and how it is signed: the program's settings and the officer."""

    organisation: str = ""  # 작성기관 (the lead agency)
    department: str = ""  # 작성부서
    author: str = ""  # 작성자
    approval: tuple[str, ...] = ()  # 결재란 box titles
    masked: bool = False  # a handout: personal data masked


@dataclass(frozen=True)
class FirmSummaryData:
    program_name: str
    today: date
    detail: FirmDetail
    settings: DocumentSettings = DocumentSettings()


@dataclass(frozen=True)
class Photo:
    path: Path | None  # None: the file is not in the files folder
    caption: str


@dataclass(frozen=True)
class VisitRecordData:
    program_name: str
    year: int
    today: date
    visit: Any  # VisitView
    firm: Any  # FirmView
    type_name: str
    case_title: str
    officer: str
    follow_ups: tuple[Any, ...]
    photos: tuple[Photo, ...]
    other_files: tuple[str, ...]
    record_no: str = ""
    written_on: date | None = None
    settings: DocumentSettings = DocumentSettings()


@dataclass(frozen=True)
class TestRow:
    firm_name: str
    kind: str
    item: str
    product: str
    lab: str
    requested_on: date | None
    result_on: date | None
    passed: bool | None
    report_no: str
    result: str


@dataclass(frozen=True)
class CertificationsData:
    program_name: str
    today: date
    scope: str  # the firm's name, or the whole program
    firm: Any | None
    certifications: tuple[CertificationRow, ...]
    tests: tuple[TestRow, ...]
    settings: DocumentSettings = DocumentSettings()


@dataclass(frozen=True)
class FirmLine:
    name: str
    brn: str
    cases: int
    funding: Funding


@dataclass(frozen=True)
class AnnualReportData:
    program_name: str
    program_title: str
    lead_agency: str
    today: date
    stats: AnnualStats
    firms: tuple[FirmLine, ...]
    participants: str = ""
    start_year: int | None = None
    end_year: int | None = None
    total_budget: Funding = Funding()  # every program year's budget
    settings: DocumentSettings = DocumentSettings()


@dataclass(frozen=True)
class IndicatorReportData:
    """성과지표 달성 현황 of `year`: every year of the program, those after `year` with their targets only."""

    program_name: str
    program_title: str
    today: date
    year: int
    years: tuple[YearAchievements, ...]  # every program year, in order
    start_year: int | None = None
    end_year: int | None = None
    settings: DocumentSettings = DocumentSettings()

    @property
    def current(self) -> YearAchievements:
        return next(y for y in self.years if y.year == self.year)


@dataclass(frozen=True)
class BudgetReportData:
    program_name: str
    program_title: str
    today: date
    execution: BudgetExecution
    settings: DocumentSettings = DocumentSettings()


class Documents:
    """Builds the data object of each printed document."""

    def __init__(self, services: Any, *, masked: bool = False):
        self.services = services
        self.sessions = services.database.sessions
        self.masked = masked

    def program_name(self) -> str:
        program = self.services.programs.current()
        return program.name if program else PROGRAM_FALLBACK

    def settings(self, author: str = "") -> DocumentSettings:
        """The current program's 결재란, 작성기관 and 작성부서 (the ones 설정 edits); 작성자 is
        `author` or the officer at work."""
        program = self.services.programs.current()
        titles = tuple(x for x in (program.approval_titles if program else "").split(",") if x)
        return DocumentSettings(organisation=program.lead_agency if program else "",
                                department=program.department if program else "",
                                author=author or self.services.officer, approval=titles, masked=self.masked)

    def firm_summary(self, firm_id: str, *, today: date | None = None) -> FirmSummaryData:
        today = today or date.today()
        return FirmSummaryData(self.program_name(), today, self.services.queries.firm_detail(firm_id, today=today),
                               self.settings())

    def firm_summaries(self, firm_ids: Sequence[str], *, today: date | None = None) -> dict[str, FirmSummaryData]:
        """Several firms' summaries by id, gathered at once (`Queries.firm_details`); a deleted or
        unknown firm is left out."""
        today = today or date.today()
        program_name, settings = self.program_name(), self.settings()
        return {firm_id: FirmSummaryData(program_name, today, detail, settings)
                for firm_id, detail in self.services.queries.firm_details(firm_ids, today=today).items()}

    def visit_record(self, visit_id: str, *, today: date | None = None) -> VisitRecordData:
        with self.sessions() as s:
            visit = s.get(Visit, visit_id)
            firm = s.get(Firm, visit.firm_id) if visit is not None else None
            if visit is None or visit.is_deleted or firm is None or firm.is_deleted:
                raise NotFound(t("방문 기록을 찾을 수 없습니다: {id}", id=visit_id))
            case = s.get(SupportCase, visit.case_id) if visit.case_id else None
            type_id = visit.support_type_id or (case.support_type_id if case else None)
            support_type = s.get(SupportType, type_id) if type_id else None
            officer = s.get(Officer, visit.officer_id) if visit.officer_id else None
            year = s.get(ProgramYear, case.program_year_id).year if case else visit.starts_at.year
            follow_ups = s.scalars(select(FollowUp).where(FollowUp.visit_id == visit_id, FollowUp.deleted_at.is_(None))
                                   .order_by(FollowUp.due_date.is_(None), FollowUp.due_date)).all()
            files = s.scalars(select(Attachment).where(Attachment.owner_id == visit_id,
                                                       Attachment.deleted_at.is_(None))
                              .order_by(Attachment.created_at)).all()
            photos = tuple(Photo(self.services.attachments.find(f.content_hash), f.caption or f.filename)
                           for f in files if f.media_type.startswith("image/"))
            author = officer.name if officer else visit.updated_by
            return VisitRecordData(
                program_name=self.program_name(), year=year, today=today or date.today(), visit=to_view(visit),
                firm=to_view(firm), type_name=support_type.name if support_type else "",
                case_title=case.title if case else "", officer=author,
                follow_ups=tuple(to_view(f) for f in follow_ups), photos=photos,
                other_files=tuple(f.filename for f in files if not f.media_type.startswith("image/")),
                record_no=visit_record_no(visit.starts_at, visit.id), written_on=visit.created_at.date(),
                settings=self.settings(author))

    def certifications(self, firm_id: str | None = None, *, today: date | None = None) -> CertificationsData:
        today = today or date.today()
        firm = self.services.firms.get(firm_id) if firm_id else None
        with self.sessions() as s:
            query = (select(TestAnalysis, Firm.name).join(Firm, TestAnalysis.firm_id == Firm.id)
                     .where(TestAnalysis.deleted_at.is_(None), Firm.deleted_at.is_(None)))
            if firm_id:
                query = query.where(TestAnalysis.firm_id == firm_id)
            tests = tuple(TestRow(name, x.kind, x.item, x.product, x.lab, x.requested_on, x.result_on, x.passed,
                                  x.report_no, x.result)
                          for x, name in s.execute(query.order_by(Firm.name, TestAnalysis.requested_on)))
        return CertificationsData(self.program_name(), today, firm.name if firm else t("사업 전체"), firm,
                                  tuple(self.services.queries.certifications(firm_id, today=today)), tests,
                                  self.settings())

    def annual_report(self, year: int, *, today: date | None = None) -> AnnualReportData:
        stats = self.services.queries.annual_stats(year)
        with self.sessions() as s:
            program = s.scalars(select(Program).join(ProgramYear).where(ProgramYear.year == year)).first()
            budgets = s.execute(select(ProgramYear.budget_national, ProgramYear.budget_provincial,
                                       ProgramYear.budget_county)
                                .where(ProgramYear.program_id == (program.id if program else None),
                                       ProgramYear.deleted_at.is_(None))).all()
            facts = dict(participants=program.participants, start_year=program.start_year,
                         end_year=program.end_year) if program else {}
            rows = s.execute(select(Firm.name, Firm.brn, func.count(), *SupportCase.funding_sums())
                             .join(SupportCase, SupportCase.firm_id == Firm.id)
                             .join(ProgramYear, SupportCase.program_year_id == ProgramYear.id)
                             .where(ProgramYear.year == year, COUNTED)
                             .group_by(Firm.id, Firm.name, Firm.brn).order_by(Firm.name)).all()
        firms = tuple(FirmLine(name, brn, count, Funding.from_sums(money))
                      for name, brn, count, *money in rows)
        total_budget = Funding.add_up(Funding(national, provincial, county) for national, provincial, county in budgets)
        return AnnualReportData(stats.program_name, program.title if program else "",
                                program.lead_agency if program else "", today or date.today(), stats, firms,
                                total_budget=total_budget, settings=self.settings(), **facts)


    def _program_years(self, s: Any, year: int) -> tuple[Program, ProgramYear, list[ProgramYear]]:
        """The program year `year`, its program and all the program's years in order; NotFound without it."""
        program_year = s.scalars(select(ProgramYear).where(ProgramYear.year == year,
                                                           ProgramYear.deleted_at.is_(None))).first()
        if program_year is None:
            raise NotFound(t("{year}년 사업연도가 없습니다", year=year))
        years = s.scalars(select(ProgramYear).where(ProgramYear.program_id == program_year.program_id,
                                                    ProgramYear.deleted_at.is_(None))
                          .order_by(ProgramYear.year)).all()
        return program_year.program, program_year, list(years)

    def indicator_report(self, year: int, *, today: date | None = None) -> IndicatorReportData:
        with self.sessions() as s:
            program, _program_year, years = self._program_years(s, year)
            metrics = shown_metrics(s, years)  # the same rows in every year's document
            first_years = first_support_years(s, program.id)
            achieved = []
            for program_year in years:
                if program_year.year <= year:
                    achieved.append(year_achievements(s, program_year, metrics, first_years))
                else:  # a later year: its targets only, nothing achieved yet in this document
                    later = year_achievements(s, program_year, metrics, first_years)
                    achieved.append(YearAchievements(program_year.year, tuple(
                        Achievement(a.metric, a.target) for a in later.lines), (), (), 0, 0, future=True))
            return IndicatorReportData(program.name, program.title, today or date.today(), year, tuple(achieved),
                                       program.start_year, program.end_year, self.settings())

    def budget_report(self, year: int, *, today: date | None = None) -> BudgetReportData:
        with self.sessions() as s:
            program, program_year, _years = self._program_years(s, year)
            return BudgetReportData(program.name, program.title, today or date.today(),
                                    budget_execution(s, program_year), self.settings())


def visit_record_no(starts_at: Any, visit_id: str) -> str:
    """A visit record's number: its day and the start of its id (the same on every laptop, and
    never renumbered when an earlier visit is added later): 20240507-3F2A."""
    return f"{starts_at:%Y%m%d}-{visit_id[:4].upper()}"
