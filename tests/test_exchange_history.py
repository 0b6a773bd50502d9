"""Draft journal, a record's history and the 휴지통."""

from __future__ import annotations

from datetime import date

import pytest

from boeun_desk.exchange.drafts import DraftJournal
from boeun_desk.exchange.history import record_history, restore_from_trash, trash
from boeun_desk.services import NotFound


def test_drafts_are_journaled_offered_back_and_discarded(database, tmp_path):
    journal = DraftJournal.for_database(database)
    journal.save("visit:new:1", "visit", {"place": "보은 공장", "advice": "반쯤 쓴 상담 내용", "day": date(2026, 11, 25)})
    journal.save("firm:abc", "firm", {"phone": "043-"}, record_id="abc")
    journal.save("visit:new:1", "visit", {"place": "보은 공장", "advice": "조금 더 쓴 상담 내용"})
    # a new journal object stands for the program started again after a crash
    again = DraftJournal.for_database(database)
    drafts = {d.key: d for d in again.pending()}
    assert set(drafts) == {"visit:new:1", "firm:abc"}
    assert drafts["visit:new:1"].data["advice"] == "조금 더 쓴 상담 내용"
    assert drafts["firm:abc"].record_id == "abc"
    assert not list(journal.folder.glob("*.part"))
    again.discard("visit:new:1")
    (journal.folder / "broken.json").write_text("{half a dra", encoding="utf-8")
    assert [d.key for d in again.pending()] == ["firm:abc"]


def test_history_shows_each_changed_field_with_officer_old_and_new(services):
    firm = services.firms.create({"name": "가", "brn": "124-81-00998", "phone": "043-111-1111"}).id
    services.firms.update(firm, {"phone": "043-222-2222", "employees": 5})
    services.firms.delete(firm)
    history = record_history(services.database, firm)
    assert [(h.action, h.field) for h in history][:1] == [("삭제", "")]
    changes = {h.field: (h.old, h.new, h.officer) for h in history if h.action == "수정"}
    assert changes == {"전화번호": ("043-111-1111", "043-222-2222", "테스트담당"),
                       "종업원 수": (None, "5", "테스트담당")}
    assert history[-1].action == "등록"


def test_trash_lists_deleted_records_of_every_kind_and_restores_them(services):
    firm = services.firms.create({"name": "가", "brn": "124-81-00998"}).id
    cert = services.certifications.create({"firm_id": firm, "kind": "GAP"}).id
    services.certifications.delete(cert)
    services.firms.delete(firm)
    items = trash(services.database)
    assert [(i.kind, i.name) for i in items] == [("수혜기업", "가"), ("인증", "GAP")]
    restore_from_trash(services, "firm", firm)
    assert services.firms.get(firm).name == "가"
    assert [i.entity for i in trash(services.database)] == ["certification"]
    with pytest.raises(NotFound):
        restore_from_trash(services, "no_such_kind", cert)
