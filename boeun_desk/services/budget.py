"""사업비 집행: a program year's money by source and stage, by support type, and each firm against
the call's per-firm limits. What counts is `funding.Stages` (cancelled nowhere, 집행 = completed
work) over the cases `queries.COUNTED` selects, the same as the annual report's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boeun_desk.funding import STAGES, FirmLimits, Funding, Stages
from boeun_desk.models import Firm, Program, ProgramYear, SupportCase, SupportType
from boeun_desk.services.queries import COUNTED


@dataclass(frozen=True)
class TypeExecution:
    name: str
    counts: tuple[tuple[str, int], ...]  # (status, cases) in funding.STAGES order
    stages: Stages

    def count(self, status: str) -> int:
        return dict(self.counts)[status]


@dataclass(frozen=True)
class FirmLimitLine:
    name: str
    cases: int  # counted cases of the year, any stage
    stages: Stages  # their money by stage
    exceeded: tuple[str, ...]  # FirmLimits.exceeded() of the cases and their 정부지원금 (협약)

    @property
    def grant(self) -> int:
        return self.stages.total.grant


@dataclass(frozen=True)
class BudgetExecution:
    year: int
    budget: Funding  # the year's grant budget by source
    stages: Stages
    by_type: tuple[TypeExecution, ...]
    firms: tuple[FirmLimitLine, ...]
    limits: FirmLimits


def budget_execution(s: Session, program_year: ProgramYear) -> BudgetExecution:
    in_year = (SupportCase.program_year_id == program_year.id) & COUNTED
    sums = s.execute(select(SupportCase.support_type_id, SupportCase.status, func.count(), *SupportCase.funding_sums())
                     .join(Firm, SupportCase.firm_id == Firm.id).where(in_year)
                     .group_by(SupportCase.support_type_id, SupportCase.status)).all()
    counts: dict[tuple[str, str], int] = {}
    money_of: dict[str, Stages] = {}
    for type_id, status, count, *money in sums:
        counts[type_id, status] = count
        money_of[type_id] = money_of.get(type_id, Stages()) + Stages.of(status, Funding.from_sums(money))
    types = s.scalars(select(SupportType).where(SupportType.deleted_at.is_(None))
                      .order_by(SupportType.sort_order, SupportType.code)).all()
    lines = tuple(TypeExecution(st.name, tuple((stage, counts.get((st.id, stage), 0)) for stage in STAGES),
                                money_of.get(st.id, Stages()))
                  for st in types if st.active or st.id in money_of)
    program = s.get(Program, program_year.program_id)
    assert program is not None
    limits = FirmLimits(program.firm_limit_amount, program.firm_limit_cases)
    firm_rows = s.execute(select(Firm.id, Firm.name, SupportCase.status, func.count(), *SupportCase.funding_sums())
                          .join(Firm, SupportCase.firm_id == Firm.id).where(in_year)
                          .group_by(Firm.id, Firm.name, SupportCase.status)).all()
    per_firm: dict[str, tuple[str, int, Stages]] = {}
    for firm_id, name, status, count, *money in firm_rows:
        _name, cases, stages = per_firm.get(firm_id, (name, 0, Stages()))
        per_firm[firm_id] = (name, cases + count, stages + Stages.of(status, Funding.from_sums(money)))
    firms = tuple(FirmLimitLine(name, cases, stages, limits.exceeded(cases, stages.total.grant))
                  for name, cases, stages in sorted(per_firm.values(), key=lambda line: line[0]))
    return BudgetExecution(
        year=program_year.year,
        budget=Funding(program_year.budget_national, program_year.budget_provincial, program_year.budget_county),
        stages=Stages.add_up(t.stages for t in lines), by_type=lines, firms=firms, limits=limits)
