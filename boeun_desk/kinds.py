"""One description per kind of record: its model, schema, service, Korean label, spreadsheet sheet and
how a reference to it reads.

Services take their schema, label and references from here, the list screens their titles (and
their columns' labels and choices from the schema), the spreadsheet export its sheets, and every
place that shows a referenced record by name (lists, form choices, exports) reads it through
`REFERENCES`. A new field is one schema line; a new kind one entry here besides its model,
schema and service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from boeun_desk import schemas
from boeun_desk.models import (
    Attachment,
    Certification,
    Firm,
    FollowUp,
    Indicator,
    IndicatorTarget,
    IPRight,
    Match,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    Officer,
    Program,
    ProgramYear,
    Selection,
    SupplyCompany,
    SupportCase,
    SupportType,
    TestAnalysis,
    Tracked,
    Visit,
)
from boeun_desk.validation import Field


@dataclass(frozen=True, eq=False)  # one object per kind: compared and hashed by identity
class Kind:
    model: type[Tracked]
    schema: Sequence[Field]
    service: str  # attribute of `Services`; "" when the records are saved through another kind's
    label: str  # Korean (through t()): list and form titles, messages
    shown_by: str = ""  # the column that names a record where another refers to it ("": none does)
    sheet: str = ""  # spreadsheet key, the command line's name for it; "" when not exported
    sheet_title: str = ""  # the sheet's Korean title where it is not `label`

    @property
    def key(self) -> str:
        """The entity name, as in `Changes.entity` and the audit trail: the model's table."""
        return self.model.__tablename__  # type: ignore[attr-defined,no-any-return]

    @property
    def title(self) -> str:
        """The spreadsheet sheet's title."""
        return self.sheet_title or self.label

    @property
    def shown_column(self) -> InstrumentedAttribute[Any]:
        return getattr(self.model, self.shown_by)  # type: ignore[no-any-return]

    def show(self, value: Any) -> Any:
        """How a `shown_by` value reads: a date and time to the minute, anything else as it is
        (a program year stays a number, so a spreadsheet gets a number)."""
        return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value

    def field(self, name: str) -> Field:
        return next(f for f in self.schema if f.name == name)

    @property
    def refs(self) -> dict[str, type[Tracked]]:
        """The schema's reference fields with the model each refers to (existence is checked on save)."""
        return {f.name: REFERENCES[f.name].model for f in self.schema if f.kind == "ref" and f.name in REFERENCES}


# In the order of the spreadsheet's sheets.
KINDS: tuple[Kind, ...] = (
    Kind(Firm, schemas.FIRM, "firms", "기업", "name", sheet="firms", sheet_title="수혜기업"),
    Kind(SupplyCompany, schemas.SUPPLY_COMPANY, "supply_companies", "공급기업", "name", sheet="supply"),
    Kind(Selection, schemas.SELECTION, "selections", "수혜기업 선정", sheet="selections"),
    Kind(SupportCase, schemas.CASE, "cases", "지원과제", "title", sheet="cases"),
    Kind(Visit, schemas.VISIT, "visits", "방문·상담", "starts_at", sheet="visits", sheet_title="방문상담"),
    Kind(FollowUp, schemas.FOLLOW_UP, "", "후속조치", sheet="followups"),
    Kind(Certification, schemas.CERTIFICATION, "certifications", "인증", sheet="certifications"),
    Kind(TestAnalysis, schemas.TEST_ANALYSIS, "tests", "시험분석", sheet="tests"),
    Kind(IPRight, schemas.IP_RIGHT, "ip_rights", "지식재산권", sheet="ip"),
    Kind(Indicator, schemas.INDICATOR, "indicators", "성과지표", sheet="indicators"),
    Kind(IndicatorTarget, schemas.INDICATOR_TARGET, "indicator_targets", "성과지표 목표", sheet="targets"),
    Kind(Match, schemas.MATCH, "matches", "매칭", sheet="matches", sheet_title="공급기업 매칭"),
    Kind(Meeting, schemas.MEETING, "meetings", "회의", "title", sheet="meetings"),
    Kind(MeetingAttendee, schemas.MEETING_ATTENDEE, "", "회의 참석자", sheet="meeting_attendees"),
    Kind(MeetingAction, schemas.MEETING_ACTION, "", "회의 후속 조치", sheet="meeting_actions"),
    Kind(Officer, schemas.OFFICER, "officers", "담당자", "name", sheet="officers"),
    Kind(SupportType, schemas.SUPPORT_TYPE, "support_types", "지원유형", "name", sheet="support_types"),
    Kind(ProgramYear, schemas.PROGRAM_YEAR, "program_years", "사업연도", "year", sheet="program_years"),
    Kind(Program, schemas.PROGRAM, "programs", "사업", "name"),
    Kind(Attachment, schemas.ATTACHMENT, "attachments", "첨부파일"),
)
BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}


def kind_of(model: type[Tracked]) -> Kind:
    return BY_KEY[model.__tablename__]  # type: ignore[attr-defined]


def _references() -> dict[str, Kind]:
    """Reference field -> the kind it refers to, read from the models' foreign keys; a field name
    means one kind everywhere (`firm_id` is a firm in every table)."""
    found: dict[str, Kind] = {}
    for kind in KINDS:
        for column in kind.model.__table__.columns:  # type: ignore[attr-defined]
            for key in column.foreign_keys:
                target = BY_KEY[key.target_fullname.split(".")[0]]
                if not target.shown_by:
                    raise TypeError(f"{kind.key}.{column.name}: say how a {target.key} is shown (shown_by)")
                if found.setdefault(column.name, target) is not target:
                    raise TypeError(f"{column.name} refers to two kinds: {found[column.name].key}, {target.key}")
    return found


# The one map from a reference field to what it shows: UI lookups and form choices, the
# spreadsheet export, a service's reference checks and its search by a referenced name.
REFERENCES: Mapping[str, Kind] = _references()


def shown_names(session: Session, kind: Kind, *, live_only: bool = False) -> dict[str, Any]:
    """id -> how each record of `kind` reads where another refers to it (`live_only`: not deleted)."""
    query = select(kind.model.id, kind.shown_column)
    if live_only:
        query = query.where(kind.model.deleted_at.is_(None))
    return {record_id: kind.show(value) for record_id, value in session.execute(query).tuples()}
