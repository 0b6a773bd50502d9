"""SQLAlchemy 2.0 models of Boeun Desk. No Qt, no I/O beyond the ORM."""

from boeun_desk.models import audit as _audit  # noqa: F401  (registers the flush hook)
from boeun_desk.models.base import Base, Tracked, new_uuid, utcnow
from boeun_desk.models.case import FollowUp, SupportCase, Visit
from boeun_desk.models.firm import Firm, Match, Selection, SupplyCompany
from boeun_desk.models.misc import Attachment, AuditEntry, Meeting, MeetingAction, MeetingAttendee, Meta
from boeun_desk.models.program import Officer, Program, ProgramYear, SupportType
from boeun_desk.models.records import Certification, Indicator, IndicatorTarget, IPRight, TestAnalysis

__all__ = [
    "Attachment", "AuditEntry", "Base", "Certification", "Firm", "FollowUp", "Indicator", "IndicatorTarget",
    "IPRight", "Match", "Meeting", "MeetingAction", "MeetingAttendee", "Meta", "Officer", "Program",
    "ProgramYear", "Selection", "SupplyCompany", "SupportCase", "SupportType", "TestAnalysis", "Tracked", "Visit",
    "new_uuid", "utcnow",
]
