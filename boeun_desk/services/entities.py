"""Services for each kind of record an officer keeps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from boeun_desk.funding import STAGES, FirmLimits, Funding, counts
from boeun_desk.i18n import t
from boeun_desk.models import (
    Certification,
    Firm,
    Indicator,
    IndicatorTarget,
    IPRight,
    Match,
    Officer,
    Program,
    ProgramYear,
    Selection,
    SupplyCompany,
    SupportCase,
    SupportType,
    TestAnalysis,
    Tracked,
)
from boeun_desk.models.choices import TARGET_METRICS
from boeun_desk.services.base import EntityService, NotFound, field_error, to_view
from boeun_desk.services.firm_records import FirmRecordService, firm_dependents
from boeun_desk.validation import FieldError, ValidationFailed, grant_share_warning, out_of_order, parse_brn

_BRN_LIKE = re.compile(r"^[\d\-]+$")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class _UniqueBrn(EntityService):
    """Shared rule of firms and supply companies: one record per 사업자등록번호."""

    unique_handled = ("brn",)

    def _search_term(self, column: str, term: str) -> str:
        return term.replace("-", "") if column == "brn" and _BRN_LIKE.match(term) else term

    def _check(self, session: Session, values: dict[str, Any], obj: Tracked | None) -> list[FieldError]:
        warnings = super()._check(session, values, obj)
        brn = values.get("brn")
        if brn:
            self._ensure_brn_free(session, brn, obj.id if obj else None)
        return warnings

    def _check_restore(self, session: Session, obj: Tracked) -> None:
        super()._check_restore(session, obj)
        if getattr(obj, "brn", None):
            self._ensure_brn_free(session, obj.brn, obj.id)  # type: ignore[attr-defined]

    def _ensure_brn_free(self, session: Session, brn: str, own_id: str | None) -> None:
        table = self.model.__table__  # type: ignore[attr-defined]
        # A plain row on the transaction's connection: the rule runs for every row of an import.
        other = session.connection().execute(select(table.c.id, table.c.name, table.c.deleted_at)
                                             .where(table.c.brn == brn)).first()
        if other is None or other.id == own_id:
            return
        message = (t("휴지통에 같은 사업자등록번호의 기록이 있습니다: {name}. 복원해서 사용하세요", name=other.name)
                   if other.deleted_at is not None else
                   t("이미 등록된 사업자등록번호입니다: {name}", name=other.name))
        raise ValidationFailed([field_error(self.schema, "brn", message)])

    def by_brn(self, brn: str, *, in_trash: bool = False) -> Any:
        """The live record (or the one in the 휴지통) with exactly this 사업자등록번호, in any form
        or a UUID; NotFound when there is none. Never a partial match."""
        text = str(brn).strip()
        with self.sessions() as session:
            if _UUID.fullmatch(text):
                where = self.model.id == text.lower()
            else:
                where = self.model.brn == parse_brn(text)  # type: ignore[attr-defined]
            trash = self.model.deleted_at.is_not(None) if in_trash else self.model.deleted_at.is_(None)
            obj = session.scalars(select(self.model).where(where, trash)).first()
            if obj is None:
                message = ("휴지통에 사업자등록번호 {brn}인 {label}이(가) 없습니다" if in_trash else
                           "사업자등록번호 {brn}인 {label}이(가) 없습니다")
                raise NotFound(t(message, brn=brn, label=t(self.label)))
            return to_view(obj)


class FirmService(_UniqueBrn):
    model = Firm
    search_columns = ("name", "brn", "representative", "main_products", "address", "local_resource")
    order_by = ("name",)

    def _dependents(self, session: Session, obj: Tracked) -> dict[str, list[Tracked]]:
        return firm_dependents(session, obj.id, obj.deleted_at)


class SupplyCompanyService(_UniqueBrn):
    model = SupplyCompany
    kept_while_used = True
    search_columns = ("name", "brn", "fields", "contact_name")
    order_by = ("name",)


class SupportTypeService(EntityService):
    model = SupportType
    kept_while_used = True
    search_columns = ("code", "name", "name_en")
    order_by = ("sort_order", "code")


    def by_code(self, code: str) -> Any:
        with self.sessions() as session:
            obj = session.scalars(select(SupportType).where(
                func.upper(SupportType.code) == code.strip().upper(), SupportType.deleted_at.is_(None))).first()
            if obj is None:
                raise NotFound(t("지원유형 코드 {code}이(가) 없습니다", code=code))
            return to_view(obj)


class ProgramService(EntityService):
    model = Program
    kept_while_used = True
    order_by = ("start_year",)

    def current(self) -> Any | None:
        """The program an officer works in now: the latest to start (documents and 설정 use this one)."""
        with self.sessions() as session:
            program = session.scalars(select(Program).where(Program.deleted_at.is_(None))
                                      .order_by(Program.start_year.desc(), Program.created_at.desc())).first()
            return to_view(program) if program is not None else None

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        if out_of_order(values.get("start_year"), values.get("end_year")):
            return [field_error(self.schema, "end_year", t("종료 연도가 시작 연도보다 빠릅니다"))]
        return []


class ProgramYearService(EntityService):
    model = ProgramYear
    kept_while_used = True
    order_by = ("year",)

    def by_year(self, year: int) -> Any:
        with self.sessions() as session:
            obj = session.scalars(select(ProgramYear).where(ProgramYear.year == year,
                                                            ProgramYear.deleted_at.is_(None))).first()
            if obj is None:
                raise NotFound(t("{year}년 사업연도가 없습니다", year=year))
            return to_view(obj)


class OfficerService(EntityService):
    model = Officer
    kept_while_used = True
    search_columns = ("name", "team")
    order_by = ("name",)


class SelectionService(FirmRecordService):
    model = Selection
    search_refs = ("firm_id",)


class CaseService(FirmRecordService):
    model = SupportCase
    search_columns = ("title", "description", "result")
    order_by = ("start_date", "title")
    search_refs = ("firm_id", "supply_company_id")

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        if out_of_order(values.get("start_date"), values.get("end_date")):
            return [field_error(self.schema, "end_date", t("종료일이 시작일보다 빠릅니다"))]
        return []

    def _check(self, session: Session, values: dict[str, Any], obj: Tracked | None) -> list[FieldError]:
        super()._check(session, values, obj)
        merged = {f.name: getattr(obj, f.name) for f in self.schema} if obj else {}
        merged.update(values)
        support_type = session.get(SupportType, merged["support_type_id"])
        assert support_type is not None
        funding = Funding.of(merged)
        warning = grant_share_warning(funding.grant, funding.firm, support_type.grant_share_percent,
                                      support_type.name)
        # About the grant as a whole (국비, 도비 and 군비), not one of its fields.
        warnings = [FieldError("", t("정부지원금 비율"), warning, warning=True)] if warning else []
        limit = self._limit_warning(session, merged, funding, obj)
        return warnings + ([field_error(self.schema, "firm_id", limit, warning=True)] if limit else [])

    def _limit_warning(self, session: Session, merged: Mapping[str, Any], funding: Funding,
                       obj: Tracked | None) -> str | None:
        """The firm's counted cases of the year, this one included, against the call's per-firm limits."""
        if not counts(merged.get("status") or "planned"):
            return None
        program_year = session.get(ProgramYear, merged["program_year_id"])
        program = session.get(Program, program_year.program_id) if program_year else None
        if program is None:
            return None
        others = session.execute(select(func.count(), *SupportCase.funding_sums()).where(
            SupportCase.firm_id == merged["firm_id"], SupportCase.program_year_id == program_year.id,
            SupportCase.status.in_(STAGES), SupportCase.deleted_at.is_(None),
            SupportCase.id != (obj.id if obj is not None else ""))).one()
        cases, grant = others[0] + 1, (Funding.from_sums(others[1:]) + funding).grant
        limits = FirmLimits(program.firm_limit_amount, program.firm_limit_cases)
        if not limits.exceeded(cases, grant):
            return None
        return t("이 기업의 {year}년 과제가 {n}건, 정부지원금 {amount}원으로 기업당 한도({limit_n}건, {limit_amount}원)를 "
                 "넘습니다", year=program_year.year, n=cases, amount=f"{grant:,}", limit_n=limits.cases,
                 limit_amount=f"{limits.amount:,}")


class CertificationService(FirmRecordService):
    model = Certification
    search_columns = ("kind", "number", "issuer", "product")
    order_by = ("expires_on",)
    search_refs = ("firm_id",)

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        if out_of_order(values.get("issued_on"), values.get("expires_on")):
            return [field_error(self.schema, "expires_on", t("만료일이 인증일보다 빠릅니다"))]
        return []


class TestAnalysisService(FirmRecordService):
    model = TestAnalysis
    search_columns = ("kind", "item", "product", "lab", "report_no")
    order_by = ("requested_on",)
    search_refs = ("firm_id",)


class IPRightService(FirmRecordService):
    model = IPRight
    search_columns = ("title", "application_no", "registration_no")
    order_by = ("application_date",)
    search_refs = ("firm_id",)


class IndicatorService(FirmRecordService):
    model = Indicator
    order_by = ("year", "metric")
    search_refs = ("firm_id",)



class IndicatorTargetService(FirmRecordService):
    """성과지표 목표: the program's own (no firm) or one firm's, one per year and metric."""

    model = IndicatorTarget
    search_columns = ("notes",)
    search_refs = ("firm_id",)

    def query(self, **kwargs: Any) -> Select[Any]:
        """By year, the metrics in the documents' order, the program's own target before the firms'."""
        year = select(ProgramYear.year).where(ProgramYear.id == IndicatorTarget.program_year_id).scalar_subquery()
        metric = case({code: n for n, code in enumerate(TARGET_METRICS)}, value=IndicatorTarget.metric,
                      else_=len(TARGET_METRICS))
        return super().query(**kwargs).order_by(None).order_by(year, metric, IndicatorTarget.firm_id.is_not(None),
                                                               IndicatorTarget.created_at)

    def _in_trash(self) -> Any:
        # A program target names no firm: `firm_id IN (...)` would be NULL for it, and so would its negation.
        deleted_firms = select(Firm.id).where(Firm.deleted_at.is_not(None))
        return IndicatorTarget.deleted_at.is_not(None) | (
            IndicatorTarget.firm_id.is_not(None) & IndicatorTarget.firm_id.in_(deleted_firms))

    def _check_restore(self, session: Session, obj: Tracked) -> None:
        if obj.firm_id is not None:  # type: ignore[attr-defined]
            super()._check_restore(session, obj)

    def _unique_clashes(self, session: Session, values: Mapping[str, Any], merged: Mapping[str, Any],
                        obj: Tracked | None) -> list[FieldError]:
        clashes = super()._unique_clashes(session, values, merged, obj)
        if clashes or merged.get("firm_id") is not None or not {"program_year_id", "metric", "firm_id"} & set(values):
            return clashes
        # The program's own target: NULL firms never clash in the unique key, so the rule is here.
        other = session.connection().execute(select(IndicatorTarget.id, IndicatorTarget.deleted_at).where(
            IndicatorTarget.program_year_id == merged.get("program_year_id"),
            IndicatorTarget.metric == merged.get("metric"), IndicatorTarget.firm_id.is_(None))).first()
        if other is None or (obj is not None and other.id == obj.id):
            return []
        message = (t("휴지통에 같은 연도·지표의 사업 목표가 있습니다. 복원해서 사용하세요") if other.deleted_at is not None
                   else t("같은 연도·지표의 사업 목표가 이미 있습니다"))
        return [field_error(self.schema, "metric", message)]


class MatchService(FirmRecordService):
    model = Match
    search_columns = ("occasion", "note")
    order_by = ("matched_on",)
    search_refs = ("supply_company_id", "firm_id")


