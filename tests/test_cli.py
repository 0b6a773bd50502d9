"""The command line: same services, Korean errors on stderr, exit 2 for invalid input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from boeun_desk.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_stats_json(capsys, tmp_path):
    path = tmp_path / "demo.sqlite3"
    assert run(capsys, "demo", str(path))[0] == 0
    code, out, _ = run(capsys, "--db", str(path), "stats", "--year", "2024", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["year"] == 2024 and data["firms_supported"] == 13 and data["cases_total"] == 37
    assert data["cases_by_type"] == {"PROTO": 3, "SMART": 1, "TEST": 8, "PKG": 1, "GUIDE": 5, "IP": 5,
                                     "IMPROVE": 7, "CONSULT": 7}
    assert data["supply_companies_matched"] == 10
    assert set(data["funding"]) >= {"national", "provincial", "county", "firm_cash", "firm_in_kind"}
    code, out, _ = run(capsys, "--db", str(path), "stats", "--year", "2024")
    assert "지원과제: 37건" in out


def test_demo_refuses_overwrite(capsys, tmp_path):
    path = tmp_path / "demo.sqlite3"
    path.write_text("keep me")
    code, _, err = run(capsys, "demo", str(path))
    assert code == 2 and "--force" in err and path.read_text() == "keep me"


def test_firm_add_update_list_show(capsys, db_path):
    db = ["--db", str(db_path), "--officer", "이서연"]
    code, out, _ = run(capsys, *db, "firm", "add", "--name", "보은대추농원", "--brn", "1248100998",
                       "--representative", "홍길동", "--founded", "2015.03.02", "--json")
    assert code == 0 and json.loads(out)["brn"] == "1248100998"
    code, out, _ = run(capsys, *db, "firm", "update", "124-81-00998", "--phone", "043-123-4567")
    assert code == 0 and "124-81-00998" in out
    code, out, _ = run(capsys, *db, "firm", "list", "--json")
    firms = json.loads(out)
    assert [(f["name"], f["brn"], f["phone"]) for f in firms] == [("보은대추농원", "1248100998", "043-123-4567")]
    assert len(firms[0]["uuid"]) == 36 and firms[0]["updated_by"] == "이서연"
    code, out, _ = run(capsys, *db, "firm", "list", "--search", "없는이름", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, *db, "firm", "show", "124 81 00998", "--json")
    assert code == 0 and json.loads(out)["firm"]["founded"] == "2015-03-02"
    code, out, _ = run(capsys, *db, "firm", "show", "124-81-00998")
    assert "홍길동" in out


@pytest.mark.parametrize("argv, message", [
    (["firm", "add", "--name", "x", "--brn", "124-81-00999"], "검증번호"),
    (["firm", "add", "--name", "x", "--brn", "1248100998", "--founded", "어제"], "날짜 형식"),
    (["firm", "add", "--name", "x"], "필요한 인자가 빠졌습니다: --brn"),
    (["firm", "show", "301-34-82841"], "없습니다"),
    (["firm", "update", "124-81-00998"], "바꿀 항목"),
    (["stats", "--year", "1999"], "사업연도가 없습니다"),
    (["stats", "--year", "이천"], "--year: 숫자를 입력하세요"),
    (["stats", "--year", "99999999999999999999"], "--year: 2,100 이하"),
    (["expiring", "--days", "9999999"], "--days: 3,650 이하"),
    (["firm", "restore", "0"], "숫자 10자리"),
    (["no-such-command"], "'no-such-command'은(는) 쓸 수 없습니다"),
    (["stats", "--year"], "--year 다음에 값이 하나 필요합니다"),
])
def test_invalid_input_exits_2_with_korean_message(capsys, db_path, argv, message):
    run(capsys, "--db", str(db_path), "firm", "add", "--name", "기존", "--brn", "124-81-00998")
    code, _, err = run(capsys, "--db", str(db_path), *argv)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not any(word in err for word in ("required", "invalid", "usage:", "expected"))  # argparse's English


def test_unusable_database_exits_1(capsys, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"x" * 5000)
    code, _, err = run(capsys, "--db", str(bogus), "firm", "list")
    assert code == 1 and "데이터베이스" in err


def test_delete_restore_and_lists(capsys, demo_path):
    db = ["--db", str(demo_path)]
    _, out, _ = run(capsys, *db, "firm", "list", "--json")
    brn = json.loads(out)[0]["brn"]
    assert run(capsys, *db, "firm", "delete", brn)[0] == 0
    _, out, _ = run(capsys, *db, "firm", "list", "--deleted", "--json")
    assert [f["brn"] for f in json.loads(out)] == [brn]
    assert run(capsys, *db, "firm", "restore", brn)[0] == 0
    code, out, _ = run(capsys, *db, "expiring", "--days", "3650", "--json")
    assert code == 0 and len(json.loads(out)) >= 3
    code, out, _ = run(capsys, *db, "overdue")
    assert code == 0 and "후속조치" in out


def test_english_switch(capsys, db_path):
    code, _, err = run(capsys, "--lang", "en", "--db", str(db_path), "firm", "add", "--name", "x", "--brn", "1")
    from boeun_desk.i18n import set_language

    set_language("ko")
    assert code == 2 and "10 digits" in err


def test_module_and_console_entry_points(tmp_path):
    result = subprocess.run([sys.executable, "-m", "boeun_desk", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("boeun-desk ")
    path = tmp_path / "x.sqlite3"
    add = [sys.executable, "-m", "boeun_desk", "--db", str(path), "firm", "add", "--name", "가", "--brn", "12"]
    # A mistyped --db is not quietly made into a new, empty database.
    result = subprocess.run(add, capture_output=True, text=True)
    assert result.returncode == 2 and "데이터베이스 파일이 없습니다" in result.stderr and not path.exists()
    subprocess.run([sys.executable, "-m", "boeun_desk", "demo", str(path)], capture_output=True, check=True)
    result = subprocess.run(add, capture_output=True, text=True)
    assert result.returncode == 2 and "사업자등록번호" in result.stderr and "Traceback" not in result.stderr


def test_delete_and_restore_take_an_exact_brn_or_uuid_never_a_substring(capsys, demo_path):
    db = ["--db", str(demo_path)]
    code, out, _ = run(capsys, *db, "firm", "list", "--json")
    firms = json.loads(out)
    first, second = firms[0], firms[1]
    for partial in ("0", first["brn"][:5], first["uuid"][:8]):
        code, _, err = run(capsys, *db, "firm", "delete", partial)
        assert code == 2 and "Traceback" not in err
    assert len(json.loads(run(capsys, *db, "firm", "list", "--json")[1])) == len(firms)
    assert run(capsys, *db, "firm", "delete", first["uuid"])[0] == 0
    assert run(capsys, *db, "firm", "delete", second["brn_formatted"])[0] == 0
    code, _, err = run(capsys, *db, "firm", "restore", "0")
    assert code == 2
    code, _, err = run(capsys, *db, "firm", "restore", third_brn := firms[2]["brn"])  # live, not in 휴지통
    assert code == 2 and "휴지통" in err, third_brn
    assert run(capsys, *db, "firm", "restore", second["brn"])[0] == 0
    assert run(capsys, *db, "firm", "restore", first["uuid"].upper())[0] == 0
    assert len(json.loads(run(capsys, *db, "firm", "list", "--json")[1])) == len(firms)


def test_control_characters_from_an_older_file_never_reach_the_terminal(capsys, db_path):
    import sqlite3

    run(capsys, "--db", str(db_path), "firm", "add", "--name", "보은식품", "--brn", "124-81-00998")
    with sqlite3.connect(db_path) as conn:  # as an older version may have stored it
        conn.execute("UPDATE firm SET name = ?, representative = ?", ("\x1b[31m빨강\x1b]0;title\x07", "\u202e대표"))
    code, out, _ = run(capsys, "--db", str(db_path), "firm", "list")
    assert code == 0 and "빨강" in out
    assert not any(c in out for c in "\x1b\x07\u202e")


@pytest.mark.parametrize(("argv", "window"), [
    ([], True), (["--db", "x.sqlite3"], True), (["--db=demo"], True), (["--demo", "--officer", "김담당"], True),
    (["--db", "demo"], True), (["--lang", "en", "--self-test"], True),
    (["demo", "x.sqlite3"], False), (["--db", "x.sqlite3", "stats"], False), (["-h"], False),
    (["--version"], False), (["--db"], False), (["--dbx", "y"], False),
])
def test_window_start_skips_the_commands_parsers(argv, window):
    from boeun_desk.cli import build_parser, starts_window

    assert starts_window(argv) is window
    if window:  # the small parser reads the window's options as the whole parser does
        small, whole = build_parser(commands=False).parse_args(argv), build_parser().parse_args(argv)
        assert vars(small) == vars(whole)
