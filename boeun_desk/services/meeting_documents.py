"""Plain data for the documents of the program's meetings: a meeting's minutes (회의록) and the
year's supply-company matches (공급기업 매칭 현황, made mostly at the report meeting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from boeun_desk.services.documents import Documents, DocumentSettings
from boeun_desk.services.queries import MatchRow

# A cancelled match counts nowhere: not in the matching document's figures, not in the annual
# report's (queries.annual_stats leaves it out the same way).
CANCELLED = "cancelled"


@dataclass(frozen=True)
class MinutesData:
    program_name: str
    year: int
    today: date
    meeting: Any  # MeetingView
    attendees: tuple[Any, ...]  # MeetingAttendeeView, in the list's order
    actions: tuple[Any, ...]  # MeetingActionView, in the list's order
    written_on: date
    settings: DocumentSettings = DocumentSettings()


@dataclass(frozen=True)
class MatchesData:
    program_name: str
    year: int
    today: date
    matches: tuple[MatchRow, ...]  # the counted ones
    cancelled: tuple[MatchRow, ...]
    settings: DocumentSettings = DocumentSettings()


class MeetingDocuments(Documents):
    """Builds the data of the meeting documents (with the program's settings, like every document)."""

    def minutes(self, meeting_id: str, *, today: date | None = None) -> MinutesData:
        services = self.services
        meeting = services.meetings.get(meeting_id)  # NotFound (Korean) for a deleted or unknown meeting
        year = services.program_years.get(meeting.program_year_id, include_deleted=True).year
        # Minutes are written on the day or after it, never before (a record made ahead of the meeting).
        written_on = max(meeting.held_on, meeting.created_at.date())
        return MinutesData(self.program_name(), year, today or date.today(), meeting,
                           tuple(services.meetings.attendee_rows(meeting_id)),
                           tuple(services.meetings.action_rows(meeting_id)), written_on,
                           self.settings(meeting.recorder or meeting.updated_by))

    def matches(self, year: int, *, today: date | None = None) -> MatchesData:
        services = self.services
        services.program_years.by_year(year)  # NotFound (Korean) for a year the program does not have
        rows = services.queries.year_matches(year)
        return MatchesData(self.program_name(), year, today or date.today(),
                           tuple(r for r in rows if r.status != CANCELLED),
                           tuple(r for r in rows if r.status == CANCELLED), self.settings())
