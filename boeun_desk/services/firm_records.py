"""Records of a firm go to the 휴지통 with it and come back with it.

Deleting a firm stamps its live records (selections, cases, visits with their follow-ups,
certifications, tests, IP rights, indicators and their targets, matches, and the files attached to any of them or to
the firm) with the firm's own `deleted_at`, in the firm's transaction. Restoring the firm brings
back exactly the rows carrying that stamp: a record the officer deleted before keeps its own,
earlier stamp and stays in the 휴지통. The stamp is an ordinary column changed through the ORM, so
every row gets its usual history entry (models/audit.py), and a sync bundle carries the same stamp
to the other copies, where restoring the firm finds the same rows. No extra column, no migration.

A record whose firm is in the 휴지통 counts as being there too, even when it is not stamped itself
(an older database, or a bundle that deleted the firm while this copy added a case to it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boeun_desk.i18n import t
from boeun_desk.models import (
    Attachment,
    Certification,
    Firm,
    FollowUp,
    Indicator,
    IndicatorTarget,
    IPRight,
    Match,
    Selection,
    SupportCase,
    TestAnalysis,
    Tracked,
    Visit,
)
from boeun_desk.services.base import EntityService, field_error
from boeun_desk.validation import ValidationFailed

# The kinds that name the firm, with their labels (through t()), in the order a confirmation lists
# them; follow-ups come with their visits and files with whatever they are attached to.
FIRM_RECORDS: tuple[tuple[type[Tracked], str], ...] = (
    (Selection, "수혜기업 선정"), (SupportCase, "지원과제"), (Visit, "방문·상담"), (Certification, "인증"),
    (TestAnalysis, "시험분석"), (IPRight, "지식재산권"), (Indicator, "성과지표"), (IndicatorTarget, "성과지표 목표"),
    (Match, "매칭"),
)
FOLLOW_UPS, ATTACHMENTS = "후속조치", "첨부파일"
_ORDER = ("수혜기업 선정", "지원과제", "방문·상담", FOLLOW_UPS, "인증", "시험분석", "지식재산권", "성과지표", "성과지표 목표",
          "매칭",
          ATTACHMENTS)


def firm_dependents(session: Session, firm_id: str, state: datetime | None) -> dict[str, list[Tracked]]:
    """The firm's records whose `deleted_at` is `state`, by label (kinds with none left out).

    With the firm's own state: for a live firm its live records (what a delete takes along); for
    a deleted firm, those stamped with its `deleted_at` (what a restore brings back)."""
    def same_state(model: Any) -> Any:
        return model.deleted_at.is_(None) if state is None else model.deleted_at == state

    found: dict[str, list[Tracked]] = {
        label: list(session.scalars(select(model).where(model.firm_id == firm_id, same_state(model))))  # type: ignore[attr-defined]
        for model, label in FIRM_RECORDS}
    visit_ids = [visit.id for visit in found["방문·상담"]]
    found[FOLLOW_UPS] = list(session.scalars(select(FollowUp).where(
        FollowUp.visit_id.in_(visit_ids), same_state(FollowUp)))) if visit_ids else []
    owners = [firm_id, *(row.id for rows in found.values() for row in rows)]
    found[ATTACHMENTS] = list(session.scalars(select(Attachment).where(
        Attachment.owner_id.in_(owners), same_state(Attachment))))
    return {label: found[label] for label in _ORDER if found[label]}


def describe(counts: Mapping[str, int]) -> str:
    """'지원과제 3건, 방문·상담 2건' for a confirmation or the command line."""
    return ", ".join(t("{label} {n}건", label=t(label), n=f"{n:,}") for label, n in counts.items())


class FirmRecordService(EntityService):
    """A kind of record that belongs to a firm (has `firm_id`): in the 휴지통 while its firm is."""

    def _in_trash(self) -> Any:
        deleted_firms = select(Firm.id).where(Firm.deleted_at.is_not(None))
        return super()._in_trash() | self.model.firm_id.in_(deleted_firms)  # type: ignore[attr-defined]

    def _check_restore(self, session: Session, obj: Tracked) -> None:
        super()._check_restore(session, obj)
        firm = session.get(Firm, obj.firm_id)  # type: ignore[attr-defined]
        if firm is not None and firm.is_deleted:
            raise ValidationFailed([field_error(self.schema, "firm_id", t(
                "{name}이(가) 휴지통에 있습니다. 기업을 먼저 복원하세요", name=firm.name))])
