"""Import firms and supply companies from spreadsheets: validate every row, then all or nothing.

`plan_import` reads and checks the file and compares it with the database (the GUI's preview:
new / changed / errors); `apply_import` writes the plan in one transaction after a backup. A file
with any invalid row is rejected whole. A record with the same 사업자등록번호 is updated, never
duplicated; empty cells never erase what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boeun_desk.exchange.excel_export import ID_HEADER
from boeun_desk.exchange.excel_read import SheetError, header_map, plain, read_sheet
from boeun_desk.i18n import t
from boeun_desk.kinds import BY_KEY, Kind
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.services.base import SERVICE_OF_TABLE, unit_of_work
from boeun_desk.services.entities import _UniqueBrn
from boeun_desk.storage import backup
from boeun_desk.storage.engine import Database
from boeun_desk.validation import ValidationFailed, clean, is_blank

_COMMON = {
    "brn": ("사업자등록번호", "사업자번호", "사업자등록", "사업자no", "등록번호", "brn"),
    "phone": ("연락처", "전화번호", "전화", "대표전화", "대표번호", "tel", "phone"),
    "email": ("이메일", "전자우편", "메일", "email", "e-mail"),
    "address": ("주소", "소재지", "사업장주소", "사업장소재지", "본사주소", "주소지"),
    "notes": ("비고", "메모", "참고"),
}
ALIASES: dict[str, dict[str, Sequence[str]]] = {
    "firms": {
        **_COMMON,
        "name": ("업체명", "기업명", "회사명", "상호", "상호명", "업체", "기업", "수혜기업", "수혜기업명"),
        "crn": ("법인등록번호", "법인번호"),
        "representative": ("대표자", "대표자명", "대표", "대표이사", "대표자성명"),
        "founded": ("설립일", "설립일자", "설립연월일", "창업일", "개업일"),
        "employees": ("종업원수", "종업원", "직원수", "상시근로자수", "근로자수", "고용인원"),
        "main_products": ("주요제품", "주생산품", "주요품목", "생산품목", "제품", "주력제품"),
        "local_resource": ("활용연고자원", "연고자원"),
    },
    "supply": {
        **_COMMON,
        "name": ("공급기업명", "공급기업", "업체명", "기업명", "회사명", "상호", "상호명"),
        "fields": ("분야", "지원분야", "서비스분야", "전문분야", "업종", "주요분야"),
        "contact_name": ("담당자", "담당자명", "담당"),
    },
}
# The kinds a spreadsheet brings in, by their sheet key, with the columns a row must have.
KINDS: dict[str, tuple[Kind, tuple[str, ...]]] = {
    kind.sheet: (kind, required) for kind, required in ((BY_KEY["firm"], ("name", "brn")),
                                                        (BY_KEY["supply_company"], ("name",)))}


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number; 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return t("{row}행: {message}", row=self.row, message=self.message)
        return t("{row}행 [{column}]: {message}", row=self.row, column=self.column, message=self.message)


@dataclass(frozen=True)
class PlannedRecord:
    row: int
    record_id: str | None  # None for a new record
    name: str
    values: dict[str, Any]  # for a change: only the fields that differ
    old: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    kind: str
    path: Path
    new: list[PlannedRecord] = field(default_factory=list)
    changed: list[PlannedRecord] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    applied: bool = False
    _rows: list[tuple[int, dict[str, Any], set[str]]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        labels = {f.name: t(f.label) for f in KINDS[self.kind][0].schema}

        def record(item: PlannedRecord) -> dict[str, Any]:
            return {"row": item.row, "id": item.record_id, "name": item.name,
                    "fields": {labels[k]: [_json(item.old.get(k)), _json(v)] for k, v in item.values.items()
                               if v not in (None, "") or k in item.old}}

        return {"kind": self.kind, "file": str(self.path), "applied": self.applied,
                "new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged,
                "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
                "warnings": [{"row": w.row, "column": w.column, "message": w.message} for w in self.warnings],
                "new_records": [record(i) for i in self.new], "changed_records": [record(i) for i in self.changed]}


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def plan_import(database: Database, kind: str, path: Path, *, progress: Progress = quiet,
                cancelled: IsCancelled = never) -> ImportPlan:
    """Read, validate and compare with the database; nothing is written (so it stops anywhere)."""
    described, required = KINDS[kind]
    schema = described.schema
    plan = ImportPlan(kind, path)
    labels = {f.name: t(f.label) for f in schema}
    progress(0, 0, stage=t("파일을 읽는 중"))
    try:
        sheet = read_sheet(path, header_map(schema, ALIASES[kind]), required, [labels[n] for n in required])
    except SheetError as error:
        plan.errors.append(RowError(0, "", str(error)))
        return plan
    plan.errors.extend(RowError(row, sheet.headers[name], t("수식의 계산 결과가 파일에 없습니다. 엑셀에서 열어 "
                                                           "저장한 뒤 다시 가져오세요"))
                       for row, name in sheet.formula_gaps)
    if sheet.merged:
        plan.warnings.append(RowError(0, "", t("병합된 셀 {n}곳은 병합된 모든 행에 같은 값으로 읽었습니다",
                                               n=sheet.merged)))
    if sheet.hidden_sheets:
        plan.warnings.append(RowError(0, "", t("숨겨진 시트 {names}의 데이터는 가져오지 않았습니다. 가져오려면 엑셀에서 "
                                               "숨기기를 취소하세요", names=", ".join(sheet.hidden_sheets))))
    if sheet.hidden_columns:
        plan.warnings.append(RowError(sheet.header_row, "", t("숨겨진 열 {names}의 데이터는 가져오지 않았습니다",
                                                              names=", ".join(sheet.hidden_columns))))
    if sheet.hidden_rows:
        plan.warnings.append(RowError(0, "", t("숨겨진 행 {rows}의 데이터는 가져오지 않았습니다",
                                               rows=_numbers(sheet.hidden_rows))))
    ignored = [name for name in sheet.ignored if name != ID_HEADER]  # the export's own record ids: not news
    if ignored:
        plan.warnings.append(RowError(sheet.header_row, "", t("알 수 없는 열은 가져오지 않습니다: {names}",
                                                              names=", ".join(ignored))))
    seen: dict[str, int] = {}
    for done, (row, raw) in enumerate(sheet.rows):
        if done % 200 == 0:
            stop_if(cancelled)
            progress(done, len(sheet.rows), stage=t("행을 검사하는 중"))
        values = {name: plain(value) for name, value in raw.items()}
        if "phone" in values and isinstance(values["phone"], int):
            values["phone"] = f"0{values['phone']}"  # a number typed as 0431234567 lost its leading 0
        given = {name for name, value in values.items() if not is_blank(value)}  # blank cells never erase
        if not given:
            continue
        try:
            cleaned = clean(schema, values)
        except ValidationFailed as failed:
            plan.errors.extend(RowError(row, sheet.headers[e.field], e.message) for e in failed.errors)
            continue
        plan.warnings.extend(RowError(row, sheet.headers[w.field], w.message) for w in cleaned.warnings)
        key = _key(cleaned.values)
        if key in seen:
            plan.errors.append(RowError(row, sheet.headers.get("brn", labels["name"]),
                                        t("{other}행과 같은 기업입니다", other=seen[key])))
            continue
        seen[key] = row
        plan._rows.append((row, cleaned.values, given))
    stop_if(cancelled)
    if not plan.errors:
        progress(0, 0, stage=t("데이터베이스와 비교하는 중"))
        with database.sessions() as session:
            _compare(session, _service(database, kind), plan)
    if not plan._rows and not plan.errors:
        plan.errors.append(RowError(0, "", t("가져올 행이 없습니다 (머리글 아래가 비어 있습니다)")))
    return plan


def _numbers(rows: list[int], shown: int = 20) -> str:
    text = ", ".join(map(str, rows[:shown]))
    return text if len(rows) <= shown else t("{rows} 외 {n}개", rows=text, n=len(rows) - shown)


def _key(values: dict[str, Any]) -> str:
    return f"brn:{values['brn']}" if values.get("brn") else f"name:{values['name']}"


def _compare(session: Session, service: _UniqueBrn, plan: ImportPlan, *, check: bool = True) -> None:
    """Sort the rows into new, changed and unchanged, and (`check`) try each on the service's rules
    (the preview; when the plan is applied, the service's create and update apply them)."""
    plan.new.clear()
    plan.changed.clear()
    plan.unchanged = 0
    model = service.model
    existing = {_key({"brn": obj.brn, "name": obj.name}): obj  # type: ignore[attr-defined]
                for obj in session.scalars(select(model))}
    labels = {f.name: t(f.label) for f in KINDS[plan.kind][0].schema}
    for row, values, given in plan._rows:
        obj = existing.get(_key(values))
        if obj is not None and obj.is_deleted:
            plan.errors.append(RowError(row, labels["brn" if values.get("brn") else "name"], t(
                "휴지통에 같은 사업자등록번호의 기록이 있습니다: {name}. 복원해서 사용하세요",
                name=obj.name)))  # type: ignore[attr-defined]
            continue
        diff = values if obj is None else {k: values[k] for k in given if getattr(obj, k) != values[k]}
        if obj is not None and not diff:
            plan.unchanged += 1
            continue
        if check:
            try:  # the same rules as the form's save (e.g. a number another record holds)
                warnings = service.check(session, diff, obj.id if obj is not None else None)
            except ValidationFailed as failed:
                plan.errors.extend(RowError(row, labels.get(e.field, e.label), e.message) for e in failed.errors)
                continue
            plan.warnings.extend(RowError(row, labels.get(w.field, w.label), w.message) for w in warnings
                                 if w.field not in given or obj is None)
        if obj is None:
            plan.new.append(PlannedRecord(row, None, values["name"], values))
        else:
            plan.changed.append(PlannedRecord(row, obj.id, obj.name, diff,  # type: ignore[attr-defined]
                                              {k: getattr(obj, k) for k in diff}))


def _service(database: Database, kind: str, officer: str = "") -> _UniqueBrn:
    """The service whose rules and writes the kind's rows go through (only that one is made)."""
    return SERVICE_OF_TABLE[KINDS[kind][0].key](database.sessions, officer)  # type: ignore[return-value]


def _outline(plan: ImportPlan) -> tuple[Any, ...]:
    """What the preview promised: which rows are new, which change which record and how."""
    return tuple((item.row, item.record_id, item.values, item.old) for item in plan.new + plan.changed)


def apply_import(database: Database, plan: ImportPlan, officer: str = "", *, progress: Progress = quiet,
                 cancelled: IsCancelled = never) -> ImportPlan:
    """Write the plan through the service in one transaction (after a backup): every row or none.

    The rows are compared again inside the transaction: when the database changed since the
    preview in a way that changes the plan, nothing is written and the officer looks again.
    Stopped (`cancelled`) before the commit, the transaction is rolled back: nothing is written."""
    if plan.errors:
        raise ValueError("a rejected import plan cannot be applied")
    service = _service(database, plan.kind, officer)
    if database.path is not None:
        progress(0, 0, stage=t("가져오기 전에 백업하는 중"))
        backup.create_backup(database.path, reason="import", cancelled=cancelled)
    previewed = _outline(plan)
    items = plan.new + plan.changed
    with unit_of_work(database.sessions, officer) as session:
        _compare(session, service, plan, check=False)
        if not plan.errors and _outline(plan) != previewed:
            plan.errors.append(RowError(0, "", t("미리보기 뒤에 데이터가 바뀌었습니다. 다시 미리보기를 확인한 뒤 "
                                                 "가져오세요. 아무것도 가져오지 않았습니다")))
        if plan.errors:
            session.rollback()
            return plan
        try:
            for done, item in enumerate(items):
                stop_if(cancelled)  # raised inside the transaction: it is rolled back
                progress(done, len(items), stage=t("기록을 저장하는 중"))
                if item.record_id is None:
                    service.create_in(session, item.values)
                else:
                    service.update_in(session, item.record_id, item.values)
        except ValidationFailed as failed:  # changed since the preview: the whole file waits
            plan.errors.extend(RowError(item.row, e.label, e.message) for e in failed.errors)
            session.rollback()
            return plan
        stop_if(cancelled)
        progress(0, 0, stage=t("저장을 마무리하는 중"), stoppable=False)  # the commit
    plan.applied = True
    return plan
