"""A meeting's minutes through the one gate: attendees and actions saved with the meeting, every row
checked by its kind's rules (form, sync bundle, spreadsheet alike), Korean messages, nothing half
saved; the rows travel to another laptop and go to the 휴지통 with their meeting."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from openpyxl import load_workbook
from sqlalchemy import create_engine

from boeun_desk.exchange.bundle import BundleError
from boeun_desk.exchange.excel_export import export_workbook
from boeun_desk.i18n import t
from boeun_desk.services import Services, sync
from boeun_desk.storage.engine import alembic_config, open_database
from boeun_desk.validation import ValidationFailed
from tests.test_sync import Pair
from tests.test_sync_gate import read_lines, write_lines

PEOPLE = [{"category": "외부위원", "organisation": "충북대학교", "position": "교수(위원장)", "name": "남기훈"},
          {"category": "주관기관", "organisation": "충북테크노파크", "position": "책임연구원", "name": "이서연"},
          {"category": "관계기관", "organisation": "보은군", "position": "주무관", "name": "안소희"}]
ACTIONS = [{"action": "자문 결과 보고", "owner": "이서연", "due_date": "2025-01-10", "done": True},
           {"action": "갱신 지원 대상 조사", "owner": "안소희", "due_date": "2025. 2. 14.", "done": False}]


def _meeting(services, **extra):
    return services.meetings.create({
        "program_year_id": services.program_years.by_year(2024).id, "kind": "advisory", "title": "자문회의",
        "held_on": "2024-12-12", "start_time": "14:00", "end_time": "16:30", "agenda": "실적 검토\n방향 자문",
        "recorder": "이서연", "attendee_rows": PEOPLE, "action_rows": ACTIONS, **extra})


def test_attendees_and_actions_are_saved_with_the_meeting_in_their_order(services):
    meeting = _meeting(services)
    rows = services.meetings.attendee_rows(meeting.id)
    assert [(r.seq, r.name, r.organisation) for r in rows] == [(1, "남기훈", "충북대학교"), (2, "이서연", "충북테크노파크"),
                                                              (3, "안소희", "보은군")]
    actions = services.meetings.action_rows(meeting.id)
    assert [(a.action, a.owner, a.due_date, a.done) for a in actions] == [
        ("자문 결과 보고", "이서연", date(2025, 1, 10), True), ("갱신 지원 대상 조사", "안소희", date(2025, 2, 14), False)]
    # The list becomes exactly what is given: reordered, one edited, one new, one gone.
    keep, edit, _gone = rows
    services.meetings.update(meeting.id, {"attendee_rows": [
        {"id": edit.id, "category": "주관기관", "organisation": "충북테크노파크 바이오센터", "position": "책임연구원",
         "name": "이서연"},
        {"id": keep.id, **PEOPLE[0]}, {"category": "외부위원", "organisation": "한국식품연구원", "name": "장수빈"}]})
    after = services.meetings.attendee_rows(meeting.id)
    assert [(r.id, r.name, r.organisation) for r in after[:2]] == [(edit.id, "이서연", "충북테크노파크 바이오센터"),
                                                                   (keep.id, "남기훈", "충북대학교")]
    assert [r.name for r in after] == ["이서연", "남기훈", "장수빈"]
    assert services.meetings.get(meeting.id).start_time == "14:00"


BAD_INPUT = [
    ({"action_rows": [ACTIONS[0], {"action": "보고", "due_date": "다음 주"}]}, "후속 조치 2: 기한: 날짜 형식이 올바르지 않습니다"),
    ({"action_rows": [{"action": "보고", "due_date": "2025-02-30"}]}, "후속 조치 1: 기한: 날짜 형식"),
    ({"action_rows": [{"owner": "이서연"}]}, "후속 조치 1: 후속 조치: 필수 입력 항목입니다"),
    ({"attendee_rows": [{"name": "남기\x1b[31m훈"}]}, "참석자 1: 성명: 입력할 수 없는 제어 문자가 있습니다"),
    ({"attendee_rows": [{"organisation": "충북대학교\u202e"}]}, "참석자 1: 소속: 입력할 수 없는 제어 문자"),
    ({"attendee_rows": [{"organisation": "충북대학교"}]}, "참석자 1: 성명: 필수 입력 항목입니다"),
    ({"attendee_rows": "남기훈, 이서연"}, "참석자: 목록 형식이 올바르지 않습니다"),
    ({"attendee_rows": [{"name": "남기훈", "phone": "010-1234-5678"}]}, "참석자 1: 알 수 없는 항목이 있습니다"),
    ({"start_time": "25:00"}, "시작 시각: 시각 형식이 올바르지 않습니다"),
    ({"start_time": "16:00", "end_time": "14:00"}, "종료 시각: 종료 시각이 시작 시각보다 빠릅니다"),
    ({"agenda": "안건\x00"}, "안건: 입력할 수 없는 제어 문자"),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
def test_bad_input_is_refused_whole_with_a_korean_message(services, change, message):
    meeting = _meeting(services)
    before = (services.meetings.get(meeting.id), services.meetings.attendee_rows(meeting.id),
              services.meetings.action_rows(meeting.id))
    with pytest.raises(ValidationFailed) as refused:
        services.meetings.update(meeting.id, change)
    assert message in str(refused.value), str(refused.value)
    assert (services.meetings.get(meeting.id), services.meetings.attendee_rows(meeting.id),
            services.meetings.action_rows(meeting.id)) == before
    with pytest.raises(ValidationFailed):  # a new meeting with it is not saved either
        _meeting(services, **change)
    assert len(services.meetings.list()) == 1


def test_rows_go_to_the_trash_with_their_meeting_and_come_back_with_it(services):
    meeting = _meeting(services)
    assert services.meetings.dependents(meeting.id) == {"회의 참석자": 3, "회의 후속 조치": 2}
    services.meetings.delete(meeting.id)
    assert services.meetings.attendee_rows(meeting.id) == [] and services.meetings.action_rows(meeting.id) == []
    services.meetings.restore(meeting.id)
    assert len(services.meetings.attendee_rows(meeting.id)) == 3 and len(services.meetings.action_rows(meeting.id)) == 2


def test_an_edit_of_one_row_elsewhere_makes_the_open_form_stale(services):
    meeting = _meeting(services)
    opened = services.meetings.edit_version(meeting.id)
    action = services.meetings.action_rows(meeting.id)[1]
    services.meetings.update(meeting.id, {"action_rows": [*ACTIONS[:1], {"id": action.id, **ACTIONS[1], "done": True}]})
    assert services.meetings.edit_version(meeting.id) > opened


@pytest.fixture
def pair(demo_template, tmp_path):
    made = Pair(tmp_path, demo_template)
    yield made
    made.close()


def test_a_meeting_with_its_rows_travels_to_the_other_laptop(pair):
    meeting = _meeting(pair.b)
    result = pair.send(pair.b, pair.a)
    assert result.added == 1 + len(PEOPLE) + len(ACTIONS) and result.conflicts == 0
    assert [r.name for r in pair.a.meetings.attendee_rows(meeting.id)] == ["남기훈", "이서연", "안소희"]
    assert [a.due_date for a in pair.a.meetings.action_rows(meeting.id)] == [date(2025, 1, 10), date(2025, 2, 14)]
    # An attendee corrected on one laptop, an action ticked on the other: both arrive, no conflict.
    rows = pair.a.meetings.attendee_rows(meeting.id)
    pair.a.meetings.update(meeting.id, {"attendee_rows": [{"id": rows[0].id, **PEOPLE[0], "position": "교수"},
                                                          *({"id": r.id, **p} for r, p in zip(rows[1:], PEOPLE[1:], strict=True))]})
    actions = pair.b.meetings.action_rows(meeting.id)
    pair.b.meetings.update(meeting.id, {"action_rows": [{"id": actions[0].id, **ACTIONS[0]},
                                                        {"id": actions[1].id, **ACTIONS[1], "done": True}]})
    assert pair.send(pair.b, pair.a).conflicts == 0 and pair.send(pair.a, pair.b).conflicts == 0
    for side in (pair.a, pair.b):
        assert side.meetings.attendee_rows(meeting.id)[0].position == "교수"
        assert [a.done for a in side.meetings.action_rows(meeting.id)] == [True, True]


@pytest.mark.parametrize(("table", "column", "value", "message"), [
    ("meeting_action", "due_date", "다음 주", "회의 후속 조치 기록"),
    ("meeting_action", "due_date", "2025-02-30", "날짜 형식"),
    ("meeting_attendee", "name", "남기\x1b[31m훈", "제어 문자"),
    ("meeting_attendee", "name", "", "필수 입력 항목"),
    ("meeting", "start_time", "9시", "시각 형식"),
])
def test_a_bad_row_in_a_bundle_is_refused_whole(pair, tmp_path, table, column, value, message):
    meeting = _meeting(pair.b)
    path = tmp_path / "b.sync"
    sync.export_bundle(pair.b.database, path)
    lines = read_lines(path)
    names = lines[0]["tables"][table]
    owner = names.index("id" if table == "meeting" else "meeting_id")
    line = next(item for item in lines[1:] if item[0] == table and item[1][owner] == meeting.id)
    line[1][names.index(column)] = value
    write_lines(path, lines)
    with pytest.raises(BundleError, match=message) as refused:
        sync.import_bundle(pair.a.database, path)
    assert "아무것도 가져오지 않았습니다" in str(refused.value)
    assert not any(m.title == "자문회의" for m in pair.a.meetings.list())


def test_the_spreadsheet_lists_each_attendee_and_action_under_its_meeting(services, tmp_path):
    meeting = _meeting(services)
    path = tmp_path / "meetings.xlsx"
    assert export_workbook(services.database, ["meeting_attendees", "meeting_actions"], path) == {
        t("회의 참석자"): 3, t("회의 후속 조치"): 2}
    book = load_workbook(path)
    people = [[c.value for c in row] for row in book[t("회의 참석자")].iter_rows()]
    assert people[0] == ["회의", "순번", "구분", "소속", "직위", "성명", "ID"]
    assert [row[:6] for row in people[1:]] == [["자문회의", i + 1, *p.values()] for i, p in enumerate(PEOPLE)]
    actions = [[c.value for c in row] for row in book[t("회의 후속 조치")].iter_rows()]
    assert actions[0] == ["회의", "순번", "후속 조치", "담당자", "기한", "완료", "ID"]
    assert actions[2][:4] == ["자문회의", 2, "갱신 지원 대상 조사", "안소희"] and actions[2][5] == "아니오"
    assert actions[2][4].date() == date(2025, 2, 14)
    assert actions[2][6] == services.meetings.action_rows(meeting.id)[1].id


def test_a_database_of_the_previous_version_gains_the_minutes_fields(tmp_path):
    """0003 -> 0004: meetings keep what they had, with empty times, agenda and recorder, and no rows."""
    path = tmp_path / "old.sqlite3"
    cfg = alembic_config()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        year = conn.exec_driver_sql("SELECT id FROM program_year WHERE year = 2024").scalar_one()
        conn.exec_driver_sql(
            "INSERT INTO meeting (id, program_year_id, kind, title, held_on, place, attendees, findings, "
            "recommendations, created_at, updated_at, updated_by, version) VALUES ('6f1c0d1e-8a43-4a55-9a1f-"
            "0b0e5e0d2099', ?, 'report', '성과보고회', '2024-11-28', '호텔', '48명', '공유', '검토', "
            "'2024-11-28 09:00:00', '2024-11-28 09:00:00', '', 1)", (year,))
    engine.dispose()
    database = open_database(path)
    try:
        services = Services(database, "테스트")
        [meeting] = services.meetings.list()
        assert (meeting.title, meeting.attendees, meeting.start_time, meeting.agenda, meeting.recorder) == (
            "성과보고회", "48명", "", "", "")
        assert services.meetings.attendee_rows(meeting.id) == []
        services.meetings.update(meeting.id, {"attendee_rows": PEOPLE[:1], "start_time": "14:00"})
        assert services.meetings.attendee_rows(meeting.id)[0].name == "남기훈"
    finally:
        database.close()


def test_a_refused_save_names_the_meeting_s_faults_and_its_rows_at_once(services):
    with pytest.raises(ValidationFailed) as refused:
        _meeting(services, end_time="13:00", action_rows=[{"action": "보고", "due_date": "다음 주"}],
                 attendee_rows=[{"name": ""}, PEOPLE[0]])
    assert [(e.field, e.label) for e in refused.value.errors] == [
        ("end_time", "종료 시각"), ("attendee_rows", "참석자 1"), ("action_rows", "후속 조치 1")]
    assert services.meetings.list() == []


def test_undo_of_a_meeting_form_puts_back_its_attendees_and_actions_and_redo_repeats_it(services):
    """The form's save is one step (services/edits.py): the same rows come back, in their order."""
    meeting = _meeting(services)
    rows = services.meetings.attendee_rows(meeting.id)

    def shown() -> tuple[list, list]:
        return ([(r.id, r.seq, r.name, r.position) for r in services.meetings.attendee_rows(meeting.id)],
                [(a.id, a.action, a.due_date, a.done) for a in services.meetings.action_rows(meeting.id)])

    before = shown()
    saved = services.form_saves.save("meetings", meeting.id, {
        "title": "자문회의 (수정)",
        "attendee_rows": [{"id": rows[2].id, **PEOPLE[2]}, {"id": rows[0].id, **PEOPLE[0], "position": "교수"},
                          {"category": "외부위원", "organisation": "한국식품연구원", "name": "장수빈"}],
        "action_rows": [{**ACTIONS[0], "done": False}]})
    after = shown()
    assert [r[2] for r in after[0]] == ["안소희", "남기훈", "장수빈"] and len(after[1]) == 1
    undone = services.form_saves.undo(saved)
    assert shown() == before and services.meetings.get(meeting.id).title == "자문회의"
    services.form_saves.redo(undone)
    assert shown() == after  # the attendee added comes back as itself, not a copy
    # A new meeting's save undone: the meeting and its rows to the 휴지통; redone: all back.
    created = services.form_saves.save("meetings", None, {
        "program_year_id": services.program_years.by_year(2025).id, "kind": "report", "held_on": "2025-11-27",
        "attendee_rows": PEOPLE[:2], "action_rows": ACTIONS[:1]})
    gone = services.form_saves.undo(created)
    assert services.meetings.attendee_rows(created.record_id) == [] and len(services.meetings.list()) == 1
    services.form_saves.redo(gone)
    assert [r.name for r in services.meetings.attendee_rows(created.record_id)] == ["남기훈", "이서연"]
