"""Use cases of Boeun Desk. Each service owns its transaction and returns plain values."""

from __future__ import annotations

from pathlib import Path

from boeun_desk.services.base import Changes, EntityService, NotFound, StaleEdit, as_dict
from boeun_desk.services.edits import FormSaves, SavedForm
from boeun_desk.services.entities import (
    CaseService,
    CertificationService,
    FirmService,
    IndicatorService,
    IndicatorTargetService,
    IPRightService,
    MatchService,
    OfficerService,
    ProgramService,
    ProgramYearService,
    SelectionService,
    SupplyCompanyService,
    SupportTypeService,
    TestAnalysisService,
)
from boeun_desk.services.meetings import MeetingService
from boeun_desk.services.queries import Queries
from boeun_desk.services.visits import AttachmentService, VisitService
from boeun_desk.storage.engine import Database
from boeun_desk.storage.filestore import files_dir_of

__all__ = ["Changes", "FormSaves", "NotFound", "SavedForm", "Services", "StaleEdit", "as_dict"]


class Services:
    """Every service over one database, acting as one officer."""

    def __init__(self, database: Database, officer: str = "", *, files_dir: Path | None = None):
        self.database = database
        self.officer = officer
        sessions = database.sessions
        self.firms = FirmService(sessions, officer)
        self.supply_companies = SupplyCompanyService(sessions, officer)
        self.support_types = SupportTypeService(sessions, officer)
        self.programs = ProgramService(sessions, officer)
        self.program_years = ProgramYearService(sessions, officer)
        self.officers = OfficerService(sessions, officer)
        self.selections = SelectionService(sessions, officer)
        self.cases = CaseService(sessions, officer)
        self.visits = VisitService(sessions, officer)
        self.certifications = CertificationService(sessions, officer)
        self.tests = TestAnalysisService(sessions, officer)
        self.ip_rights = IPRightService(sessions, officer)
        self.indicators = IndicatorService(sessions, officer)
        self.indicator_targets = IndicatorTargetService(sessions, officer)
        self.matches = MatchService(sessions, officer)
        self.meetings = MeetingService(sessions, officer)
        self.attachments = AttachmentService(sessions, officer, files_dir=files_dir or files_dir_of(database))
        self.queries = Queries(sessions)
        self.form_saves = FormSaves(self)  # a form's save with its files, and its undo

    def set_officer(self, officer: str) -> None:
        """Stamp later changes with this officer's name (the GUI's settings may change it)."""
        self.officer = officer
        for service in vars(self).values():
            if isinstance(service, EntityService):
                service.officer = officer
