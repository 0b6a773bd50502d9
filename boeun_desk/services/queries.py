"""Read-only views across records: firm detail, annual statistics, expiring certificates, follow-ups.

These plain objects feed the screens, the printed documents and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from boeun_desk.funding import STAGES, Funding, Stages
from boeun_desk.i18n import t
from boeun_desk.models import (
    Attachment,
    Certification,
    Firm,
    FollowUp,
    Indicator,
    IPRight,
    Match,
    Meeting,
    Officer,
    ProgramYear,
    Selection,
    SupplyCompany,
    SupportCase,
    SupportType,
    TestAnalysis,
    Visit,
)
from boeun_desk.models.choices import INDICATOR_METRICS
from boeun_desk.overview import (
    EXPIRED_DAYS,
    EXPIRY_DAYS,
    OVERDUE_SHOWN,
    ExpiringItem,
    OverdueItem,
    Overview,
    TypeTotal,
    choose_year,
)
from boeun_desk.services.base import NotFound, to_view

DETAILS_AT_ONCE = 200  # firms a query of `firm_details` asks for (well under SQLite's 999 parameters)

# What a figure counts (funding.STAGES): a case not cancelled nor deleted, of a firm not deleted (join Firm).
COUNTED = (SupportCase.status.in_(STAGES) & SupportCase.deleted_at.is_(None)
           & Firm.deleted_at.is_(None))


@dataclass(frozen=True)
class CaseRow:
    id: str
    year: int
    type_code: str
    type_name: str
    title: str
    status: str
    start_date: date | None
    end_date: date | None
    supply_company: str
    funding: Funding
    result: str


@dataclass(frozen=True)
class FollowUpRow:
    id: str
    visit_id: str
    firm_id: str
    firm_name: str
    action: str
    due_date: date | None
    done: bool
    done_on: date | None

    def overdue(self, today: date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class VisitRow:
    id: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    purpose: str
    officer: str
    type_name: str
    follow_ups: tuple[FollowUpRow, ...]


@dataclass(frozen=True)
class CertificationRow:
    id: str
    firm_id: str
    firm_name: str
    kind: str
    number: str
    issuer: str
    product: str
    issued_on: date | None
    expires_on: date | None
    days_left: int | None  # negative once expired


@dataclass(frozen=True)
class IndicatorRow:
    year: int
    metric: str
    label: str
    unit: str
    baseline: int
    result: int
    firms: int = 0  # in a program's totals: how many firms reported


@dataclass(frozen=True)
class MatchRow:
    id: str
    year: int
    supply_company: str
    supply_fields: str
    firm_name: str
    matched_on: date | None
    occasion: str
    status: str


@dataclass(frozen=True)
class FirmDetail:
    firm: Any  # FirmView
    selected_years: tuple[int, ...]
    cases: tuple[CaseRow, ...]
    visits: tuple[VisitRow, ...]
    certifications: tuple[CertificationRow, ...]
    tests: tuple[Any, ...]
    ip_rights: tuple[Any, ...]
    indicators: tuple[IndicatorRow, ...]
    matches: tuple[MatchRow, ...]
    attachments: tuple[Any, ...]

    @property
    def open_follow_ups(self) -> tuple[FollowUpRow, ...]:
        return tuple(f for v in self.visits for f in v.follow_ups if not f.done)


@dataclass(frozen=True)
class TypeCount:
    code: str
    name: str
    count: int
    funding: Funding  # all counted cases' money (협약), not 집행


@dataclass(frozen=True)
class AnnualStats:
    year: int
    program_name: str
    budget: Funding
    firms_supported: int
    cases_total: int
    cases_by_type: tuple[TypeCount, ...]
    stages: Stages  # 집행 (completed) apart from in-progress and planned
    cases_by_stage: tuple[tuple[str, int], ...]  # (status, count) in funding.STAGES order
    supply_companies_matched: int
    matches: tuple[MatchRow, ...]
    indicators: tuple[IndicatorRow, ...]
    meetings: tuple[Any, ...]
    firms_reporting: int = 0  # firms with indicators for the year

    @property
    def funding(self) -> Funding:
        """All counted money (집행, in progress and planned together)."""
        return self.stages.total

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "program": self.program_name,
            "firms_supported": self.firms_supported,
            "cases_total": self.cases_total,
            "cases_by_type": {tc.code: tc.count for tc in self.cases_by_type},
            "supply_companies_matched": self.supply_companies_matched,
            "funding": _funding_json(self.funding),
            "spent": _funding_json(self.stages.spent),
            "in_progress": _funding_json(self.stages.in_progress),
            "planned": _funding_json(self.stages.planned),
            "cases_by_stage": dict(self.cases_by_stage),
            "firms_reporting": self.firms_reporting,
            "budget": _funding_json(self.budget),
            "indicators": {i.metric: {"baseline": i.baseline, "result": i.result} for i in self.indicators},
        }


def _funding_json(funding: Funding) -> dict[str, int]:
    return {"national": funding.national, "provincial": funding.provincial, "county": funding.county,
            "firm_cash": funding.firm_cash, "firm_in_kind": funding.firm_in_kind, "grant": funding.grant,
            "total": funding.total}


def _days_left(expires: date | None, today: date) -> int | None:
    return None if expires is None else (expires - today).days


class Queries:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    # --- firm detail ---------------------------------------------------------------------------

    def firm_detail(self, firm_id: str, *, today: date | None = None) -> FirmDetail:
        detail = self.firm_details([firm_id], today=today).get(firm_id)
        if detail is None:
            raise firm_not_found(firm_id)
        return detail

    def firm_details(self, firm_ids: Sequence[str], *, today: date | None = None) -> dict[str, FirmDetail]:
        """Firms' details by id (a deleted or unknown firm is left out), each query made once for up
        to DETAILS_AT_ONCE firms: a batch of a thousand firm summaries spent most of its gathering
        building and reading eleven small queries a firm."""
        today = today or date.today()
        ids = list(dict.fromkeys(firm_ids))
        out: dict[str, FirmDetail] = {}
        with self.sessions() as s:
            for start in range(0, len(ids), DETAILS_AT_ONCE):
                out.update(self._firm_details(s, ids[start:start + DETAILS_AT_ONCE], today))
        return out

    def _firm_details(self, s: Session, ids: list[str], today: date) -> dict[str, FirmDetail]:
        firms = {f.id: f for f in s.scalars(select(Firm).where(Firm.id.in_(ids))) if not f.is_deleted}
        ids = [x for x in ids if x in firms]
        if not ids:
            return {}
        # Each firm's rows keep the order the query gives them (grouping keeps it).
        cases, visits, follow_ups, certs, tests, ip_rights, indicators, matches, attachments = \
            ({x: [] for x in ids} for _ in range(9))
        # Years of support: the firm's selections and the years of its counted cases.
        years: dict[str, set[int]] = {x: set() for x in ids}
        for firm_id, year in s.execute(select(Selection.firm_id, ProgramYear.year).select_from(ProgramYear)
                                       .join(Selection).where(Selection.firm_id.in_(ids), _alive(Selection),
                                                              _alive(ProgramYear))):
            years[firm_id].add(year)
        for firm_id, year in s.execute(select(SupportCase.firm_id, ProgramYear.year).select_from(ProgramYear)
                                       .join(SupportCase).join(Firm, SupportCase.firm_id == Firm.id)
                                       .where(SupportCase.firm_id.in_(ids), COUNTED, _alive(ProgramYear))):
            years[firm_id].add(year)
        for c, year, st, supplier in s.execute(
                select(SupportCase, ProgramYear.year, SupportType, SupplyCompany.name)
                .join(ProgramYear).join(SupportType)
                .outerjoin(SupplyCompany, SupportCase.supply_company_id == SupplyCompany.id)
                .where(SupportCase.firm_id.in_(ids), _alive(SupportCase))
                .order_by(ProgramYear.year, SupportType.sort_order, SupportCase.start_date)):
            cases[c.firm_id].append(CaseRow(c.id, year, st.code, st.name, c.title, c.status, c.start_date,
                                            c.end_date, supplier or "", c.funding, c.result))
        for f in self._follow_ups(s, Visit.firm_id.in_(ids)):
            follow_ups.setdefault(f.visit_id, []).append(f)
        for v, officer, type_name in s.execute(
                select(Visit, Officer.name, SupportType.name)
                .outerjoin(Officer, Visit.officer_id == Officer.id)
                .outerjoin(SupportType, Visit.support_type_id == SupportType.id)
                .where(Visit.firm_id.in_(ids), _alive(Visit)).order_by(Visit.starts_at)):
            visits[v.firm_id].append(VisitRow(v.id, v.starts_at, v.ends_at, v.place, v.purpose, officer or "",
                                              type_name or "", tuple(follow_ups.get(v.id, ()))))
        for c in self._certifications(s, Certification.firm_id.in_(ids), today=today):
            certs[c.firm_id].append(c)
        for model, order, found in ((TestAnalysis, TestAnalysis.requested_on, tests),
                                    (IPRight, IPRight.application_date, ip_rights)):
            for x in s.scalars(select(model).where(model.firm_id.in_(ids), _alive(model)).order_by(order)):
                found[x.firm_id].append(to_view(x))
        for i in s.scalars(select(Indicator).where(Indicator.firm_id.in_(ids), _alive(Indicator))):
            indicators[i.firm_id].append(i)
        for firm_id, m in self._firm_matches(s, Match.firm_id.in_(ids)):
            matches[firm_id].append(m)
        for a in s.scalars(select(Attachment).where(Attachment.owner_id.in_(ids), _alive(Attachment))):
            attachments[a.owner_id].append(to_view(a))
        return {x: FirmDetail(
            firm=to_view(firms[x]), selected_years=tuple(sorted(years[x])), cases=tuple(cases[x]),
            visits=tuple(visits[x]), certifications=tuple(certs[x]), tests=tuple(tests[x]),
            ip_rights=tuple(ip_rights[x]), indicators=tuple(_indicator_rows(indicators[x])),
            matches=tuple(matches[x]), attachments=tuple(attachments[x])) for x in ids}

    # --- program-wide lists --------------------------------------------------------------------

    def expiring_certifications(self, within_days: int, *, today: date | None = None,
                                include_expired: bool = False) -> list[CertificationRow]:
        """Certificates whose expiry falls within `within_days` from today, soonest first."""
        today = today or date.today()
        horizon = date.fromordinal(today.toordinal() + within_days)
        condition = Certification.expires_on <= horizon
        if not include_expired:
            condition = condition & (Certification.expires_on >= today)
        with self.sessions() as s:
            return self._certifications(s, condition, today=today)

    def expired_certifications(self, *, today: date | None = None) -> list[CertificationRow]:
        """Certificates whose expiry day has passed (a certificate is valid on its expiry day)."""
        return self.expiring_certifications(-1, today=today, include_expired=True)

    def certifications(self, firm_id: str | None = None, *, today: date | None = None) -> list[CertificationRow]:
        with self.sessions() as s:
            condition = Certification.firm_id == firm_id if firm_id else Certification.id.is_not(None)
            return self._certifications(s, condition, today=today or date.today())

    def overdue_follow_ups(self, *, today: date | None = None, limit: int | None = None,
                           newest_first: bool = False) -> list[FollowUpRow]:
        """Open follow-ups past their due date, oldest (or newest) first; the first `limit` of them."""
        today = today or date.today()
        with self.sessions() as s:
            return self._follow_ups(s, (FollowUp.done.is_(False)) & (FollowUp.due_date < today), limit=limit,
                                    newest_first=newest_first)

    def overdue_count(self, *, today: date | None = None) -> int:
        today = today or date.today()
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(FollowUp).join(Visit, FollowUp.visit_id == Visit.id)
                            .join(Firm, Visit.firm_id == Firm.id)
                            .where(FollowUp.done.is_(False), FollowUp.due_date < today, _alive(FollowUp),
                                   _alive(Visit), _alive(Firm))) or 0

    # --- annual statistics ---------------------------------------------------------------------

    def annual_stats(self, year: int, *, details: bool = True) -> AnnualStats:
        """The year's figures; without `details` (the dashboard), no indicators or meetings."""
        with self.sessions() as s:
            program_year = s.scalars(select(ProgramYear).where(ProgramYear.year == year,
                                                               _alive(ProgramYear))).first()
            if program_year is None:
                raise NotFound(t("{year}년 사업연도가 없습니다", year=year))
            in_year = (SupportCase.program_year_id == program_year.id) & COUNTED
            sums = s.execute(select(SupportCase.support_type_id, SupportCase.status, func.count(),
                                    *SupportCase.funding_sums())
                             .join(Firm, SupportCase.firm_id == Firm.id).where(in_year)
                             .group_by(SupportCase.support_type_id, SupportCase.status)).all()
            by_type: dict[str, tuple[int, Funding]] = {}
            for type_id, _status, count, *money in sums:
                n, funding = by_type.get(type_id, (0, Funding()))
                by_type[type_id] = (n + count, funding + Funding.from_sums(money))
            types = s.scalars(select(SupportType).where(_alive(SupportType))
                              .order_by(SupportType.sort_order, SupportType.code)).all()
            type_counts = tuple(TypeCount(st.code, st.name, *by_type.get(st.id, (0, Funding())))
                                for st in types if st.active or st.id in by_type)
            firms = s.scalar(select(func.count(func.distinct(SupportCase.firm_id))).join(Firm).where(in_year))
            matches = self._matches(s, (Match.program_year_id == program_year.id) & (Match.status != "cancelled"))
            meetings = s.scalars(select(Meeting).where(Meeting.program_year_id == program_year.id,
                                                       _alive(Meeting)).order_by(Meeting.held_on)).all() if details else []
            return AnnualStats(
                year=year,
                program_name=program_year.program.name,
                budget=Funding(program_year.budget_national, program_year.budget_provincial,
                               program_year.budget_county),
                firms_supported=firms or 0,
                cases_total=sum(tc.count for tc in type_counts),
                cases_by_type=type_counts,
                stages=Stages.add_up(Stages.of(status, Funding.from_sums(money)) for _t, status, _n, *money in sums),
                cases_by_stage=tuple((stage, sum(n for _t, status, n, *_m in sums if status == stage))
                                     for stage in STAGES),
                supply_companies_matched=len({m.supply_company for m in matches}),
                matches=tuple(matches),
                indicators=tuple(self._indicator_totals(s, year)) if details else (),
                firms_reporting=s.scalar(select(func.count(func.distinct(Indicator.firm_id))).join(Firm).where(
                    Indicator.year == year, _alive(Indicator), _alive(Firm))) or 0 if details else 0,
                meetings=tuple(to_view(m) for m in meetings),
            )

    def year_matches(self, year: int) -> list[MatchRow]:
        """Every live match of a program year, cancelled ones too (they count nowhere, but the
        matching document says how many were called off)."""
        with self.sessions() as s:
            return self._matches(s, ProgramYear.year == year)

    def overview(self, year: int | None = None, *, default_year: int = 0,
                 today: date | None = None) -> Overview | None:
        """The dashboard's figures for `year` (None: the year it opens on, see choose_year());
        None while the program has no year."""
        today = today or date.today()
        with self.sessions() as s:
            years = tuple(s.scalars(select(ProgramYear.year).where(_alive(ProgramYear))
                                    .order_by(ProgramYear.year)).all())
        year = year if year in years else choose_year(years, default_year)
        if year is None:
            return None
        stats = self.annual_stats(year, details=False)
        overdue = self.overdue_follow_ups(today=today, limit=OVERDUE_SHOWN)
        return Overview(
            taken_on=today, years=years, year=year, firms_supported=stats.firms_supported,
            cases_total=stats.cases_total, supply_companies_matched=stats.supply_companies_matched,
            cases_by_type=tuple(TypeTotal(tc.code, tc.name, tc.count) for tc in stats.cases_by_type),
            stages=stats.stages, budget=stats.budget,
            expiring=self.certifications_needing_attention(today=today),
            overdue=tuple(OverdueItem(f.visit_id, f.firm_name, f.action, f.due_date)
                          for f in overdue if f.due_date),
            overdue_total=len(overdue) if len(overdue) < OVERDUE_SHOWN else self.overdue_count(today=today),
        )

    def certifications_needing_attention(self, *, today: date | None = None) -> tuple[ExpiringItem, ...]:
        """overview.needs_attention in the database: the certificates expiring within EXPIRY_DAYS,
        and those that expired within EXPIRED_DAYS with no later one of the same kind for the firm
        (not renewed), in expiry order. Only those rows are read: the dashboard of a file with
        15,000 certificates read every one of them as a record (1.2 s of its first figures)."""
        today = today or date.today()
        later = aliased(Certification)
        renewed = exists().where(later.firm_id == Certification.firm_id, later.kind == Certification.kind,
                                 later.expires_on > Certification.expires_on, _alive(later))
        with self.sessions() as s:
            rows = s.execute(
                select(Certification.id, Firm.name, Certification.kind, Certification.expires_on).join(Firm)
                .where(_alive(Certification), _alive(Firm),
                       Certification.expires_on >= today - timedelta(days=EXPIRED_DAYS),
                       Certification.expires_on <= today + timedelta(days=EXPIRY_DAYS),
                       or_(Certification.expires_on >= today, ~renewed))
                .order_by(Certification.expires_on, Certification.id)).all()
        return tuple(ExpiringItem(*row) for row in rows)

    # --- helpers -------------------------------------------------------------------------------

    def _certifications(self, s: Session, condition: Any, *, today: date) -> list[CertificationRow]:
        rows = s.execute(select(Certification, Firm.name).join(Firm)
                         .where(condition, _alive(Certification), _alive(Firm))
                         .order_by(Certification.expires_on.is_(None), Certification.expires_on)).all()
        return [CertificationRow(c.id, c.firm_id, name, c.kind, c.number, c.issuer, c.product, c.issued_on,
                                 c.expires_on, _days_left(c.expires_on, today)) for c, name in rows]

    def _follow_ups(self, s: Session, condition: Any, *, limit: int | None = None,
                    newest_first: bool = False) -> list[FollowUpRow]:
        due = FollowUp.due_date.desc() if newest_first else FollowUp.due_date
        rows = s.execute(select(FollowUp, Visit.firm_id, Firm.name).select_from(FollowUp)
                         .join(Visit, FollowUp.visit_id == Visit.id).join(Firm, Visit.firm_id == Firm.id)
                         .where(condition, _alive(FollowUp), _alive(Visit), _alive(Firm))
                         .order_by(due, FollowUp.created_at).limit(limit)).all()
        return [FollowUpRow(f.id, f.visit_id, firm_id, name, f.action, f.due_date, f.done, f.done_on)
                for f, firm_id, name in rows]

    def _indicator_totals(self, s: Session, year: int) -> list[IndicatorRow]:
        sums = {m: rest for m, *rest in s.execute(
            select(Indicator.metric, func.sum(Indicator.baseline), func.sum(Indicator.result),
                   func.count(func.distinct(Indicator.firm_id)))
            .join(Firm).where(Indicator.year == year, _alive(Indicator), _alive(Firm))
            .group_by(Indicator.metric))}
        return [_indicator_row(year, metric, *sums[metric]) for metric in INDICATOR_METRICS if metric in sums]

    def _matches(self, s: Session, condition: Any) -> list[MatchRow]:
        return [row for _firm_id, row in self._firm_matches(s, condition)]

    def _firm_matches(self, s: Session, condition: Any) -> list[tuple[str, MatchRow]]:
        rows = s.execute(select(Match, ProgramYear.year, SupplyCompany, Firm.name)
                         .join(ProgramYear).join(SupplyCompany).join(Firm, Match.firm_id == Firm.id)
                         .where(condition, _alive(Match), _alive(SupplyCompany), _alive(Firm))
                         .order_by(Match.matched_on, SupplyCompany.name)).all()
        return [(m.firm_id, MatchRow(m.id, year, sc.name, sc.fields, firm, m.matched_on, m.occasion, m.status))
                for m, year, sc, firm in rows]


def firm_not_found(firm_id: str) -> NotFound:
    return NotFound(t("기업을 찾을 수 없습니다: {id}", id=firm_id))


def _alive(model: Any) -> Any:
    return model.deleted_at.is_(None)


def _indicator_rows(rows: Sequence[Any]) -> list[IndicatorRow]:
    """Indicators in the order of INDICATOR_METRICS within each year."""
    order = {metric: n for n, metric in enumerate(INDICATOR_METRICS)}
    rows = sorted(rows, key=lambda i: (i.year, order.get(i.metric, len(order)), i.metric))
    return [_indicator_row(i.year, i.metric, i.baseline, i.result) for i in rows]


def _indicator_row(year: int, metric: str, baseline: int, result: int, firms: int = 0) -> IndicatorRow:
    label, unit = INDICATOR_METRICS.get(metric, (metric, ""))
    return IndicatorRow(year, metric, label, unit, int(baseline or 0), int(result or 0), int(firms or 0))
