"""Meetings (성과보고회, 자문회의) with their attendance list and follow-up actions, saved together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.models import Meeting, MeetingAction, MeetingAttendee
from boeun_desk.services.base import EntityService, field_error
from boeun_desk.services.children import ChildList, WithChildren
from boeun_desk.validation import FieldError

ATTENDEES = ChildList("attendee_rows", MeetingAttendee, "meeting_id", ("category", "organisation", "position", "name"),
                      ("seq",), form_label="참석자")
ACTIONS = ChildList("action_rows", MeetingAction, "meeting_id", ("action", "owner", "due_date", "done"), ("seq",),
                    form_label="후속 조치")


class MeetingService(WithChildren):
    """A meeting and, under `attendee_rows` and `action_rows`, its attendees (구분, 소속, 직위, 성명)
    and follow-up actions (조치, 담당, 기한, 완료), each a list of dicts in the order given."""

    model = Meeting
    search_columns = ("title", "place", "agenda", "findings", "recommendations")
    order_by = ("held_on",)
    children = (ATTENDEES, ACTIONS)

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        start, end = values.get("start_time") or "", values.get("end_time") or ""
        if start and end and end < start:  # both "HH:MM": compared as text
            return [field_error(self.schema, "end_time", t("종료 시각이 시작 시각보다 빠릅니다"))]
        return []

    def attendee_rows(self, meeting_id: str) -> list[Any]:
        return self.rows_of(meeting_id, ATTENDEES.key)

    def action_rows(self, meeting_id: str) -> list[Any]:
        return self.rows_of(meeting_id, ACTIONS.key)


class MeetingAttendeeService(EntityService):
    """Attendees are saved with their meeting (MeetingService); this names their rules and list."""

    model = MeetingAttendee
    order_by = ("meeting_id", "seq")


class MeetingActionService(EntityService):
    """Actions are saved with their meeting (MeetingService); this names their rules and list."""

    model = MeetingAction
    order_by = ("meeting_id", "seq")
