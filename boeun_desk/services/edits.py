"""One saved form as one step an officer can take back (undo) and do again (redo).

A form saves the record's fields (a visit with its follow-ups) and the files added to it in one
transaction. Taking the save back puts those fields back as they were (a visit's follow-ups too)
and moves the files to the 휴지통, or, for a new record, moves the record there with them; doing it
again writes what the save wrote. Each step is one transaction.

A step is refused (StaleEdit, nothing written) when a field it would write no longer holds what
the previous step left there, i.e. it was changed since by something else (a sync, an import, a
follow-up ticked on the dashboard): an undo never overwrites a newer change. The check compares the
values, not the record's version, so the officer's own later steps on the record (an edit undone
first, a delete undone) and changes to other fields do not block it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boeun_desk.i18n import t
from boeun_desk.services.base import Changes, StaleEdit

if TYPE_CHECKING:
    from boeun_desk.services import Services
    from boeun_desk.services.visits import StoredFile


@dataclass(frozen=True)
class SavedForm:
    """What one form save did, and what the latest step (save, undo or redo) changed."""

    service: str  # the Services attribute, e.g. "visits"
    record_id: str
    before: Mapping[str, Any] | None  # the saved fields as they were; None: the save created the record
    after: Mapping[str, Any]  # as the save left them (a visit's follow-ups with their ids)
    files: tuple[str, ...]  # attachments added with the save
    changes: tuple[Changes, ...] = ()


class FormSaves:
    def __init__(self, services: Services):
        self.services = services

    def save(self, service_name: str, record_id: str | None, data: Mapping[str, Any],
             files: Sequence[StoredFile] = (), *, expected_version: int | None = None) -> SavedForm:
        """Create (no `record_id`) or update the record, with the files, in one transaction.
        ValidationFailed, StaleEdit (`expected_version` is not the record's any more) or NotFound
        save nothing."""
        service = getattr(self.services, service_name)
        with service.session() as session:
            if record_id is None:
                before, changes = None, service.create_in(session, data)
            else:
                before = service.state_in(session, record_id, data)
                changes = service.update_in(session, record_id, data, expected_version=expected_version)
            attached = tuple(self.services.attachments.link_in(session, service.entity, changes.id, stored)
                             for stored in files)
            after = service.state_in(session, changes.id, data)
        return SavedForm(service_name, changes.id, before, after, attached,
                         self._changes(changes, attached, "create"))

    def undo(self, saved: SavedForm) -> SavedForm:
        return self._step(saved, back=True)

    def redo(self, saved: SavedForm) -> SavedForm:
        return self._step(saved, back=False)

    def _step(self, saved: SavedForm, *, back: bool) -> SavedForm:
        service = getattr(self.services, saved.service)
        left, target = (saved.after, saved.before) if back else (saved.before, saved.after)
        with service.session() as session:
            if left is not None and service.state_in(session, saved.record_id, left) != left:
                raise StaleEdit(t("그 뒤에 다른 곳(동기화, 가져오기 등)에서 바뀐 기록이라 되돌리지 않았습니다. "
                                  "기록을 열어 확인하세요"))
            if saved.before is None:  # the save created the record: to the 휴지통 and back
                changes = (service.delete_in if back else service.restore_in)(session, saved.record_id)
            else:
                changes = service.update_in(session, saved.record_id, target)
            self.services.attachments.set_live_in(session, saved.files, live=not back)
        action = "delete" if back else "restore"
        return dataclasses.replace(saved, changes=self._changes(changes, saved.files, action))

    @staticmethod
    def _changes(record: Changes, files: tuple[str, ...], action: str) -> tuple[Changes, ...]:
        return (record, Changes("attachment", files, action)) if files else (record,)
