"""Undo covers what the officer does: a form's save (a visit with its follow-ups, the files added in
the form) as one step taken back and done again; restoring from the 휴지통; an undo that would
overwrite a newer change is refused and told, never done silently."""

from __future__ import annotations

import pytest

from boeun_desk.services import StaleEdit
from boeun_desk.validation import ValidationFailed
from tests.conftest import Answers


def follow_ups(services, visit_id):
    return [(f.id, f.action, f.due_date, f.done, f.done_on) for f in services.visits.follow_ups(visit_id)]


def visit_with_follow_ups(services, *, done=None):
    """A visit with at least two follow-ups (one of them done, when `done` is True)."""
    return next(v for v in services.visits.list() if len(services.visits.follow_ups(v.id)) >= 2
                and (done is None or any(f.done for f in services.visits.follow_ups(v.id))))


# --- the services: FormSaves ---------------------------------------------------------------------

def test_undoing_a_visit_edit_brings_back_its_follow_ups_and_redo_repeats_it(demo):
    saves = demo.form_saves
    visit = visit_with_follow_ups(demo)
    before = follow_ups(demo, visit.id)
    kept, removed = before[0], before[1:]
    edited = [{"id": kept[0], "action": "견적서 다시 받기", "due_date": "2026-12-01", "done": False},
              {"action": "새 후속조치", "due_date": "2026-12-10", "done": False}]
    saved = saves.save("visits", visit.id, {"purpose": "현장 재점검", "follow_ups": edited})
    after = follow_ups(demo, visit.id)
    assert [f[1] for f in after] == ["견적서 다시 받기", "새 후속조치"]
    assert demo.visits.get(visit.id).purpose == "현장 재점검"

    undone = saves.undo(saved)
    assert follow_ups(demo, visit.id) == before  # the same rows (ids), with their texts, dates and done days
    assert demo.visits.get(visit.id).purpose == visit.purpose
    assert {c.entity for c in undone.changes} == {"visit"}
    assert all(f[0] not in {r[0] for r in removed} for f in after)

    saves.redo(undone)
    assert follow_ups(demo, visit.id) == after  # the follow-up added comes back as itself, not a copy


def test_a_visit_saved_again_keeps_the_day_a_follow_up_was_done(demo):
    visit = visit_with_follow_ups(demo, done=True)
    done = next(f for f in demo.visits.follow_ups(visit.id) if f.done)
    items = [{"id": f.id, "action": f.action, "due_date": f.due_date, "done": f.done}
             for f in demo.visits.follow_ups(visit.id)]
    demo.form_saves.save("visits", visit.id, {"follow_ups": items, "purpose": "목적 고침"})
    assert next(f for f in demo.visits.follow_ups(visit.id) if f.id == done.id).done_on == done.done_on


def test_an_undo_never_overwrites_a_newer_change(demo):
    saves = demo.form_saves
    visit = visit_with_follow_ups(demo)
    items = [{"id": f.id, "action": f.action, "due_date": f.due_date, "done": False}
             for f in demo.visits.follow_ups(visit.id)]
    saved = saves.save("visits", visit.id, {"purpose": "첫 수정", "follow_ups": items})
    # Another change to the same fields comes in (a sync, the dashboard's tick): the undo is refused.
    demo.visits.set_follow_up_done(items[0]["id"])
    with pytest.raises(StaleEdit):
        saves.undo(saved)
    assert demo.visits.get(visit.id).purpose == "첫 수정"
    assert next(f for f in demo.visits.follow_ups(visit.id) if f.id == items[0]["id"]).done

    firm = demo.firms.list()[0]
    saved = saves.save("firms", firm.id, {"phone": "043-111-2222"})
    demo.firms.update(firm.id, {"phone": "043-333-4444"})
    with pytest.raises(StaleEdit):
        saves.undo(saved)
    assert demo.firms.get(firm.id).phone == "043-333-4444"


def test_an_undo_after_other_steps_on_the_same_record_is_not_refused(demo):
    """The check compares values, not versions: the officer's own later steps (another edit undone
    first, a delete undone) and a change to another field do not block it."""
    saves = demo.form_saves
    firm = demo.firms.list()[0]
    first = saves.save("firms", firm.id, {"phone": "043-111-2222"})
    second = saves.save("firms", firm.id, {"phone": "043-555-6666", "notes": "둘째"})
    saves.undo(second)
    demo.firms.delete(firm.id)
    demo.firms.restore(firm.id)
    demo.firms.update(firm.id, {"representative": "다른 곳에서 바꾼 대표"})
    saves.undo(first)
    now = demo.firms.get(firm.id)
    assert (now.phone, now.notes, now.representative) == (firm.phone, firm.notes, "다른 곳에서 바꾼 대표")


def test_files_are_saved_with_the_form_and_go_with_its_undo(demo, tmp_path):
    saves, attachments = demo.form_saves, demo.attachments
    photo = tmp_path / "현장.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    visit = demo.visits.list()[0]
    stored = attachments.store(photo)
    # A refused save writes no attachment either: one transaction.
    with pytest.raises(ValidationFailed):
        saves.save("visits", visit.id, {"ends_at": "2000-01-01 09:00"}, [stored])
    assert attachments.for_owner(visit.id) == []

    saved = saves.save("visits", visit.id, {"purpose": "사진 추가"}, [stored])
    assert [a.filename for a in attachments.for_owner(visit.id)] == ["현장.jpg"]
    assert {c.entity: c.ids for c in saved.changes}["attachment"] == saved.files
    undone = saves.undo(saved)
    assert attachments.for_owner(visit.id) == [] and demo.visits.get(visit.id).purpose == visit.purpose
    saves.redo(undone)
    assert [a.id for a in attachments.for_owner(visit.id)] == list(saved.files)

    # A new record with a file: undo moves both to the 휴지통, redo brings both back.
    created = saves.save("visits", None, {"firm_id": visit.firm_id, "starts_at": "2026-11-20 10:00",
                                          "purpose": "새 방문"}, [stored])
    undone = saves.undo(created)
    assert demo.visits.list(search="새 방문") == [] and attachments.for_owner(created.record_id) == []
    saves.redo(undone)
    assert demo.visits.get(created.record_id).purpose == "새 방문"
    assert len(attachments.for_owner(created.record_id)) == 1


def test_a_file_that_cannot_be_read_is_named_and_nothing_is_copied(demo, tmp_path):
    with pytest.raises(ValidationFailed) as refused:
        demo.attachments.store(tmp_path / "없는파일.jpg")
    assert "없는파일.jpg" in str(refused.value)


# --- the window ------------------------------------------------------------------------------------

def test_restoring_from_the_trash_is_undoable(context, window):
    screen = window.screen("firms")
    firm_id = screen.model.id_at(0)
    context.delete("firms", firm_id)
    screen.trash.setChecked(True)
    assert screen.select(firm_id)
    screen.delete_or_restore()  # in the 휴지통 view the button restores
    assert context.services.firms.get(firm_id) and screen.model.row_of(firm_id) == -1
    assert context.undo_stack.undoText() == "기업 복원"
    context.undo_stack.undo()
    assert screen.model.row_of(firm_id) >= 0  # back in the 휴지통
    assert firm_id in {f.id for f in context.services.firms.list(deleted_only=True)}
    context.undo_stack.redo()
    assert context.services.firms.get(firm_id).id == firm_id
    assert "다시 실행: 기업 복원" in window.statusBar().currentMessage()


def test_undoing_a_visit_form_edit_brings_back_the_follow_ups(context, window, qtbot):
    services = context.services
    visit = visit_with_follow_ups(services)
    before = follow_ups(services, visit.id)
    form = window.screen("visits").form(visit.id)
    qtbot.addWidget(form)
    editor = form.editors["follow_ups"]
    editor.table.setCurrentCell(0, 0)
    editor.table.removeRow(0)  # what 선택 삭제 does
    editor.add_row({"action": "새 후속조치", "due_date": "2026-12-10"})
    assert form.save()
    assert [f[1] for f in follow_ups(services, visit.id)] != [f[1] for f in before]
    assert context.undo_stack.undoText() == "방문·상담 수정"
    context.undo_stack.undo()
    assert follow_ups(services, visit.id) == before
    reopened = window.screen("visits").form(visit.id)
    qtbot.addWidget(reopened)
    assert [i["id"] for i in reopened.editors["follow_ups"].items()] == [f[0] for f in before]


def test_files_added_in_a_form_are_saved_with_it_announced_and_undone_with_it(context, window, qtbot, tmp_path):
    photo = tmp_path / "현장사진.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    screen = window.screen("visits")
    visit_id = screen.model.id_at(0)
    form = screen.form(visit_id)
    qtbot.addWidget(form)
    form._add_files([photo])
    photo.unlink()  # gone before the save (a USB stick pulled out): told in the form, nothing saved
    form.editors["purpose"].setText("사진과 함께 저장")
    assert form.save() is False
    assert "현장사진.jpg" in form.message.text() and form.editors["purpose"].text() == "사진과 함께 저장"
    assert context.services.visits.get(visit_id).purpose != "사진과 함께 저장"

    photo.write_bytes(b"\xff\xd8 photo")
    assert form.save()
    assert [a.filename for a in context.services.attachments.for_owner(visit_id)] == ["현장사진.jpg"]
    message = window.statusBar().currentMessage()
    assert "첨부파일 1개" in message and "현장사진.jpg" in message
    reopened = screen.form(visit_id)
    qtbot.addWidget(reopened)
    assert "현장사진.jpg" in reopened.attach_label.text()  # the form names the record's files
    context.undo_stack.undo()  # one step: the edit and its file
    assert context.services.attachments.for_owner(visit_id) == []
    assert context.services.visits.get(visit_id).purpose != "사진과 함께 저장"


def test_a_refused_undo_is_told_and_leaves_the_stack(context, window):
    services = context.services
    firm = services.firms.list()[0]
    context.update("firms", firm.id, {"phone": "043-111-2222"})
    services.firms.update(firm.id, {"phone": "043-333-4444"})  # e.g. a sync brought a newer number
    context.ask = Answers()
    count = context.undo_stack.count()
    context.undo_stack.undo()
    assert services.firms.get(firm.id).phone == "043-333-4444"
    assert context.ask.asked and "실행 취소하지 못했습니다" in context.ask.asked[0]
    assert "기업 수정" in context.ask.asked[0] and "다른 곳" in context.ask.asked[0]
    assert context.undo_stack.count() == count - 1 and not context.undo_stack.canRedo()
