"""회의록 and 공급기업 매칭 현황 as an officer gets them: from the command line, the handout with every
person's name masked, Korean errors for a meeting or year that is not there."""

from __future__ import annotations

from boeun_desk.cli import main
from boeun_desk.reports.masking import mask_name
from boeun_desk.reports.meeting_minutes import meeting_when, numbered
from tests.test_totals import layout_text


def _report_meeting(demo):
    return next(m for m in demo.meetings.list() if m.kind == "report")


def test_the_minutes_and_their_handout_from_the_command_line(demo, demo_path, tmp_path, capsys):
    meeting = _report_meeting(demo)
    people = [a.name for a in demo.meetings.attendee_rows(meeting.id)]
    owners = [a.owner for a in demo.meetings.action_rows(meeting.id)]
    db = ["--db", str(demo_path)]
    full, handout = tmp_path / "회의록.pdf", tmp_path / "회의록_배포용.pdf"
    assert main([*db, "report", "meeting", "--id", meeting.id, "-o", str(full)]) == 0
    assert main([*db, "report", "meeting", "--id", meeting.id, "-o", str(handout), "--masked"]) == 0
    assert "저장했습니다" in capsys.readouterr().out
    text, masked = layout_text(full), layout_text(handout)
    assert len(people) == 13 and all(name in text for name in people + owners)
    for name in {*people, *owners, meeting.recorder}:
        assert name not in masked, name  # in the table, the actions, the byline and the signature line
    assert all(mask_name(name) in masked for name in people)
    assert "황**태" in masked and "김*숙" in masked  # 황보경태, 김정숙
    for kept in ("보은 나인밸리파크 호텔", "속리산대추명가 농업회사법인(주)", "2024. 11. 28.(목) 14:00~17:30", "후속 조치 4건"):
        assert " ".join(kept.split()) in " ".join(masked.split()), kept  # the rest reads as it was
    assert "(배포용)" in masked and "(배포용)" not in text


def test_every_handout_masks_the_actions_owners_and_the_recorder_too(demo, tmp_path):
    """In the advisory meeting an action's 담당자 (이서연) did not attend: masked all the same."""
    from boeun_desk.reports import api

    for meeting in demo.meetings.list():
        people = {a.name for a in demo.meetings.attendee_rows(meeting.id)}
        owners = {a.owner for a in demo.meetings.action_rows(meeting.id)}
        masked = layout_text(api.render_meeting_minutes(demo, meeting.id, tmp_path / "m.pdf", masked=True))
        assert not [name for name in people | owners | {meeting.recorder} if name in masked], meeting.title
    advisory = next(m for m in demo.meetings.list() if m.title == "2024년 지역산업전문가 자문회의")
    assert "이서연" not in {a.name for a in demo.meetings.attendee_rows(advisory.id)}
    assert "이서연" in {a.owner for a in demo.meetings.action_rows(advisory.id)}


def test_the_matches_from_the_command_line_and_errors_in_korean(demo_path, tmp_path, capsys):
    db = ["--db", str(demo_path)]
    out = tmp_path / "매칭.pdf"
    assert main([*db, "report", "matches", "--year", "2024", "-o", str(out)]) == 0
    assert "2024년 공급기업 매칭 현황" in layout_text(out)
    capsys.readouterr()
    for argv, message in (
            (["report", "matches", "--year", "2019", "-o", str(out)], "2019년 사업연도가 없습니다"),
            (["report", "matches", "--year", "올해", "-o", str(out)], "숫자를 입력하세요"),
            (["report", "meeting", "--id", "00000000-0000-4000-8000-000000000000", "-o", str(out)],
             "회의을(를) 찾을 수 없습니다")):
        assert main([*db, *argv]) == 2, argv
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, err


def test_a_meeting_with_no_times_rows_or_title_still_makes_its_minutes(services, tmp_path):
    from boeun_desk.reports import api

    meeting = services.meetings.create({"program_year_id": services.program_years.by_year(2025).id,
                                        "kind": "advisory", "held_on": "2025-06-19"})
    text = layout_text(api.render_meeting_minutes(services, meeting.id, tmp_path / "m.pdf"))
    assert "2025년 지역산업전문가 자문회의 회의록" in text  # named after its kind and year
    assert "2025. 6. 19.(목)" in text and "참석자 명단 (0명)" in text
    assert "참석자 명단이 없습니다." in text and "후속 조치가 없습니다." in text
    assert "작성자: 테스트담당" in text  # the officer who recorded it
    empty = layout_text(api.render_matches(services, 2025, tmp_path / "x.pdf"))
    assert "매칭 기록이 없습니다." in empty and "매칭 건수 0건" in " ".join(empty.split())


def test_times_and_numbered_lines_read_as_documents_write_them():
    from datetime import date

    assert meeting_when(date(2024, 11, 28), "14:00", "17:30") == "2024. 11. 28.(목) 14:00~17:30"
    assert meeting_when(date(2024, 11, 28), "09:30", "") == "2024. 11. 28.(목) 09:30"
    assert meeting_when(date(2024, 6, 22), "", "") == "2024. 6. 22.(토)"
    assert numbered("실적 보고\n\n방향 자문") == "1. 실적 보고\n2. 방향 자문"
    assert numbered("1. 이미 번호\n2. 있음") == "1. 이미 번호\n2. 있음"
    assert numbered("한 줄") == "한 줄" and numbered("") == "-"
