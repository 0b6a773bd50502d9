"""Rendering entry points for the GUI, the CLI and the self-test. Every file (PDF, or HWPX for an
.hwpx name) is written atomically."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from boeun_desk.progress import Cancelled as Cancelled  # a batch stopped by 취소
from boeun_desk.reports.annual_report import AnnualReport
from boeun_desk.reports.batch import BatchResult as BatchResult
from boeun_desk.reports.batch import SkippedFirm as SkippedFirm
from boeun_desk.reports.batch import combined_firm_summaries as combined_firm_summaries
from boeun_desk.reports.batch import firm_file_name as firm_file_name
from boeun_desk.reports.batch import render_firm_batch as render_firm_batch
from boeun_desk.reports.budget import BudgetExecutionReport
from boeun_desk.reports.certifications import CertificationSummary
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.reports.indicators import IndicatorAchievementReport
from boeun_desk.reports.matches import MatchReport
from boeun_desk.reports.meeting_minutes import MeetingMinutes
from boeun_desk.reports.visit_record import VisitRecord
from boeun_desk.services.documents import Documents
from boeun_desk.services.meeting_documents import MeetingDocuments

# `today` (default: the real today) dates the print and counts days to expiry and due dates.

# `masked` makes the handout variant (personal data masked); an `.hwpx` name writes the editable copy.
# `work`: `progress` and `cancelled` of long work (progress.py), for the HWPX copy (Renderer.render).

def render_firm_summary(services: Any, firm_id: str, out: Path, *, today: date | None = None,
                        masked: bool = False, **work: Any) -> Path:
    return FirmSummary().render(Documents(services, masked=masked).firm_summary(firm_id, today=today), out, **work)


def render_visit_record(services: Any, visit_id: str, out: Path, *, today: date | None = None,
                        masked: bool = False, **work: Any) -> Path:
    return VisitRecord().render(Documents(services, masked=masked).visit_record(visit_id, today=today), out, **work)


def render_certifications(services: Any, out: Path, firm_id: str | None = None, *,
                          today: date | None = None, masked: bool = False, **work: Any) -> Path:
    return CertificationSummary().render(Documents(services, masked=masked).certifications(firm_id, today=today),
                                         out, **work)


def render_annual_report(services: Any, year: int, out: Path, *, today: date | None = None,
                         masked: bool = False, **work: Any) -> Path:
    return AnnualReport().render(Documents(services, masked=masked).annual_report(year, today=today), out, **work)


def render_indicator_report(services: Any, year: int, out: Path, *, today: date | None = None,
                            masked: bool = False, **work: Any) -> Path:
    return IndicatorAchievementReport().render(Documents(services, masked=masked).indicator_report(year, today=today),
                                               out, **work)


def render_budget_report(services: Any, year: int, out: Path, *, today: date | None = None,
                         masked: bool = False, **work: Any) -> Path:
    return BudgetExecutionReport().render(Documents(services, masked=masked).budget_report(year, today=today), out, **work)


def render_meeting_minutes(services: Any, meeting_id: str, out: Path, *, today: date | None = None,
                           masked: bool = False, **work: Any) -> Path:
    return MeetingMinutes().render(MeetingDocuments(services, masked=masked).minutes(meeting_id, today=today), out, **work)


def render_matches(services: Any, year: int, out: Path, *, today: date | None = None,
                   masked: bool = False, **work: Any) -> Path:
    return MatchReport().render(MeetingDocuments(services, masked=masked).matches(year, today=today), out, **work)
