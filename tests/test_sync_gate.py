"""Hand-made bundles (checksum recomputed) pass the record gate or change nothing; merges are
all or nothing, also when the process is killed in the middle."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boeun_desk import cli
from boeun_desk.exchange.bundle import _HEADER_WIDTH, MAGIC, BundleError
from boeun_desk.services import Services, sync
from boeun_desk.storage.engine import open_database
from boeun_desk.validation import InvalidValue
from tests.test_sync import Pair, fingerprint

Lines = list  # [head, record, record, ...] as JSON values


def read_lines(path: Path) -> Lines:
    data = path.read_bytes()
    body = data[data.index(b"\n", len(MAGIC)) + 1:]
    return [json.loads(line) for line in gzip.decompress(body).splitlines()]


def write_raw(path: Path, body_lines: list[bytes], replica: str = "hand-made",
              created: str = "2026-11-30T00:00:00") -> None:
    """A bundle whose checksum and size are right for whatever body it is given."""
    body = gzip.compress(b"".join(line + b"\n" for line in body_lines), mtime=0)
    header = json.dumps({"sha256": hashlib.sha256(body).hexdigest(), "size": len(body),
                         "replica": replica, "created": created}).encode()
    path.write_bytes(MAGIC + header.ljust(_HEADER_WIDTH) + b"\n" + body)


def write_lines(path: Path, lines: Lines) -> None:
    """A hand-made bundle as carefully made as it can be: the header says what the head says."""
    head = lines[0] if isinstance(lines[0], dict) else {}
    write_raw(path, [json.dumps(line, ensure_ascii=False).encode() for line in lines],
              head.get("replica", "hand-made"), head.get("created", ""))


@pytest.fixture
def pair(demo_template, tmp_path):
    made = Pair(tmp_path, demo_template)
    yield made
    made.close()


def _new_firms_bundle(pair: Pair, tmp_path: Path, count: int = 2) -> Path:
    """A bundle of laptop b with `count` new firms, the last with a new case."""
    for n in range(count):
        firm = pair.b.firms.create({"name": f"새기업{n}", "brn": _brn(n)})
    pair.b.cases.create({"firm_id": firm.id, "program_year_id": pair.b.program_years.by_year(2025).id,
                         "support_type_id": pair.b.support_types.by_code("TEST").id, "title": "새과제",
                         "start_date": "2025-03-01", "end_date": "2025-06-30", "grant_national": 1_000_000})
    path = tmp_path / "b.sync"
    sync.export_bundle(pair.b.database, path)
    return path


def _brn(n: int) -> str:
    from boeun_desk.validation import brn_check_digit

    first9 = f"{700000000 + n:09d}"
    return first9 + str(brn_check_digit(first9))


def _firm_line(lines: Lines, name: str) -> list:
    names = lines[0]["tables"]["firm"]
    return next(line for line in lines[1:] if line[0] == "firm" and line[1][names.index("name")] == name)


def _set(lines: Lines, line: list, column: str, value) -> None:
    line[1][lines[0]["tables"][line[0]].index(column)] = value


def _edit_firm(column: str, value) -> Callable[[Lines], None]:
    def edit(lines: Lines) -> None:
        _set(lines, _firm_line(lines, "새기업1"), column, value)
    return edit


def _edit_case(column: str, value) -> Callable[[Lines], None]:
    def edit(lines: Lines) -> None:
        titles = lines[0]["tables"]["support_case"].index("title")
        line = next(item for item in lines[1:] if item[0] == "support_case" and item[1][titles] == "새과제")
        _set(lines, line, column, value)
    return edit


def _unknown_table(lines: Lines) -> None:
    lines.append(["secret_table", ["x"], []])


def _extra_column(lines: Lines) -> None:
    lines[0]["tables"]["firm"].append("password")
    for line in lines[1:]:
        if line[0] == "firm":
            line[1].append("x")


def _short_row(lines: Lines) -> None:
    _firm_line(lines, "새기업1")[1].pop()


def _foreign_history(lines: Lines) -> None:
    mine, other = _firm_line(lines, "새기업1"), _firm_line(lines, "새기업0")
    mine[2] = other[2]


def _oversized_history(lines: Lines) -> None:
    line = _firm_line(lines, "새기업1")
    line[2][0][lines[0]["audit"].index("version")] = 10 ** 30


BAD_RECORDS = {
    "letters as a BRN": _edit_firm("brn", "ABCDEFGHIJ"),
    "text in an integer column": _edit_firm("employees", "many"),
    "a negative amount": _edit_case("grant_national", -5_000_000_000),
    "an amount past 64 bits": _edit_case("grant_national", 10 ** 30),
    "NUL in a name": _edit_firm("name", "보은\x00식품"),
    "ESC in a name": _edit_firm("name", "\x1b[31m빨강"),
    "a bad date": _edit_firm("founded", "2024-13-45"),
    "a date as a number": _edit_firm("founded", 20241128),
    "a year far away": _edit_firm("created_at", "9999-01-01T00:00:00"),
    "a bad id": _edit_firm("id", "../../etc"),
    "an empty required name": _edit_firm("name", "\u200b "),
    "a case ending before it starts": _edit_case("end_date", "2001-01-01"),
    "a founding date in the future": _edit_firm("founded", "2099-01-01"),
    "an unknown table": _unknown_table,
    "an extra column": _extra_column,
    "a short row": _short_row,
    "history of another record": _foreign_history,
    "a history version past 64 bits": _oversized_history,
}


@pytest.mark.parametrize("damage", list(BAD_RECORDS))
def test_a_hand_made_bundle_with_a_bad_record_is_refused_whole(pair, tmp_path, damage, capsys):
    path = _new_firms_bundle(pair, tmp_path)
    lines = read_lines(path)
    BAD_RECORDS[damage](lines)
    write_lines(path, lines)
    before = fingerprint(pair.a)
    with pytest.raises(BundleError, match="아무것도 가져오지 않았습니다"):
        sync.import_bundle(pair.a.database, path)
    assert fingerprint(pair.a) == before
    assert cli.main(["--db", str(pair.a_path), "sync", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "아무것도 가져오지 않았습니다" in err and "Traceback" not in err
    assert fingerprint(pair.a) == before


@pytest.mark.parametrize("body", [[b"{not json"], [b"[]"], [b'"just a string"'],
                                  [b'{"schema": null}'], None])
def test_a_bundle_whose_lines_are_not_records_is_refused(pair, tmp_path, body, capsys):
    path = _new_firms_bundle(pair, tmp_path)
    lines = read_lines(path)
    if body is None:  # a valid head, then a line that is not JSON
        body = [json.dumps(lines[0]).encode(), json.dumps(lines[1]).encode(), b"\xff\xfe garbage"]
    write_raw(path, body)
    before = fingerprint(pair.a)
    assert cli.main(["--db", str(pair.a_path), "sync", "import", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert fingerprint(pair.a) == before


def test_full_width_digits_in_a_bundle_are_stored_as_ascii(pair, tmp_path):
    path = _new_firms_bundle(pair, tmp_path)
    lines = read_lines(path)
    wide = _brn(1).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    _set(lines, _firm_line(lines, "새기업1"), "brn", wide)
    write_lines(path, lines)
    assert sync.import_bundle(pair.a.database, path).added >= 2
    assert pair.a.firms.by_brn(_brn(1)).brn == _brn(1)


def test_a_bundle_with_a_new_firm_of_an_existing_brn_in_other_digits_is_a_conflict(pair, tmp_path):
    pair.a.firms.create({"name": "보은식품", "brn": "124-81-00998"})
    pair.b.firms.create({"name": "보은식품(B)", "brn": "１２４-８１-００９９８"})
    path = tmp_path / "b.sync"
    sync.export_bundle(pair.b.database, path)
    assert sync.import_bundle(pair.a.database, path).conflicts == 1
    assert [f.name for f in pair.a.firms.list(search="보은식품")] == ["보은식품"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1), value=st.integers(0, 255), cut=st.booleans())
def test_any_byte_damage_is_a_korean_error_and_changes_nothing(pair, tmp_path, position, value, cut):
    path = tmp_path / "fuzz.sync"
    if not path.exists():
        _new_firms_bundle(pair, tmp_path).rename(path)
    data = bytearray(path.read_bytes())
    index = min(int(position * len(data)), len(data) - 1)
    damaged = tmp_path / "damaged.sync"
    if cut:
        damaged.write_bytes(bytes(data[:index]))
    else:
        if data[index] == value:
            value ^= 0xFF
        data[index] = value
        damaged.write_bytes(bytes(data))
    before = fingerprint(pair.a)
    with pytest.raises(BundleError) as raised:
        sync.import_bundle(pair.a.database, damaged)
    assert any("\uac00" <= c <= "\ud7a3" for c in str(raised.value))
    assert fingerprint(pair.a) == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                       st.lists(st.integers(), max_size=2)),
       column=st.sampled_from(["name", "brn", "employees", "founded", "email", "phone", "created_at", "version",
                               "deleted_at", "notes"]))
def test_any_value_in_any_column_is_stored_clean_or_refused_whole(pair, tmp_path, value, column):
    path = tmp_path / "value.sync"
    if not path.exists():
        _new_firms_bundle(pair, tmp_path).rename(path)
    lines = read_lines(path)
    _set(lines, _firm_line(lines, "새기업1"), column, value)
    edited = tmp_path / "edited.sync"
    write_lines(edited, lines)
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(pair.a_path.read_bytes()) if not copy.exists() else None
    database = open_database(copy)
    try:
        before = fingerprint(Services(database))
        try:
            result = sync.import_bundle(database, edited)
        except BundleError as error:
            assert "아무것도 가져오지 않았습니다" in str(error)
            assert fingerprint(Services(database)) == before
            return
        assert result.added + result.conflicts >= 1
        firm_list = Services(database).firms.list()
        for firm in firm_list:  # whatever got in passes the same rules as a form
            assert "\x00" not in firm.name and firm.brn.isascii() and firm.brn.isdigit()
        for table in ("firm",):
            with sqlite3.connect(copy) as conn:
                assert conn.execute(f"SELECT count(*) FROM {table} WHERE typeof(employees) = 'text'"
                                    ).fetchone()[0] == 0
    finally:
        database.close()
        copy.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)


def test_a_kill_at_any_moment_of_a_merge_leaves_nothing_or_everything(demo_template, tmp_path):
    """A large bundle (new firms, each with cases and history) is merged in a child process that
    is killed at increasing moments; the copy then holds none of the bundle or all of it."""
    made = Pair(tmp_path, demo_template)
    try:
        types = made.b.support_types.list()
        year = made.b.program_years.by_year(2025)
        from boeun_desk.models import Firm, SupportCase
        from boeun_desk.services.base import unit_of_work
        from boeun_desk.services.bulk import insert_rows, tracked_row

        firms = [tracked_row({"name": f"대량{n}", "brn": _brn(n)}, officer="대량") for n in range(1000)]
        cases = [tracked_row({"firm_id": f["id"], "program_year_id": year.id, "support_type_id": types[0].id,
                              "title": f"과제{n}", "status": "done", "grant_national": 1000}, officer="대량")
                 for n, f in enumerate(firms)]
        with unit_of_work(made.b.database.sessions, "대량") as session:
            insert_rows(session, Firm, firms)
            insert_rows(session, SupportCase, cases)
        bundle = tmp_path / "big.sync"
        sync.export_bundle(made.b.database, bundle)
    finally:
        made.close()
    target = tmp_path / "target.sqlite3"
    seen = []
    for delay in (0.2, 0.6, 1.0, 1.4, 1.8, 2.4, None):  # None: let it finish
        target.write_bytes(made.a_path.read_bytes())
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        pid = os.fork()
        if pid == 0:  # child: merge, then say so
            try:
                database = open_database(target)
                sync.import_bundle(database, bundle)
                database.close()
            finally:
                os._exit(0)
        if delay is not None:
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with sqlite3.connect(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            firms_in = conn.execute("SELECT count(*) FROM firm WHERE name LIKE '대량%'").fetchone()[0]
            cases_in = conn.execute("SELECT count(*) FROM support_case WHERE title LIKE '과제%'").fetchone()[0]
            history = conn.execute("SELECT count(*) FROM audit_entry WHERE officer = '대량'").fetchone()[0]
        assert (firms_in, cases_in, history) in ((0, 0, 0), (1000, 1000, 2000)), delay
        seen.append(firms_in)
    assert seen[0] == 0 and seen[-1] == 1000, seen  # the first kill lands in the merge; unkilled, it ends


def test_every_kind_of_record_a_bundle_carries_has_its_rules():
    from boeun_desk.exchange.bundle import tracked_tables
    from boeun_desk.services.gate import rules_for

    assert [t.name for t in tracked_tables() if rules_for(t.name) is None] == []


def test_a_number_given_to_another_firm_meanwhile_is_a_conflict_not_a_failed_import(pair):
    firm = pair.b.firms.list()[0]
    pair.b.firms.update(firm.id, {"brn": "124-81-00998"})  # there: firm X gets the number N
    pair.a.firms.create({"name": "새로 온 기업", "brn": "124-81-00998"})  # here: a new firm with N
    result = pair.send(pair.b, pair.a)
    assert result.conflicts == 1
    [conflict] = sync.list_conflicts(pair.a.database)
    assert (conflict.entity_id, conflict.field) == (firm.id, "brn") and "겹칩니다" in conflict.reason
    assert pair.a.firms.get(firm.id).brn == firm.brn  # nothing overwritten
    with pytest.raises(InvalidValue, match="정할 수 없습니다"):
        sync.resolve_conflict(pair.a.database, conflict.id, "remote")
    sync.resolve_conflict(pair.a.database, conflict.id, "local")
    assert sync.list_conflicts(pair.a.database) == []


def test_fields_merged_one_by_one_into_a_record_no_form_would_save_are_a_conflict(pair):
    case = next(c for c in pair.a.cases.list() if c.start_date and c.end_date)
    pair.a.cases.update(case.id, {"end_date": case.start_date})  # here: ends earlier
    later = case.end_date
    pair.b.cases.update(case.id, {"start_date": later})  # there: starts later
    result = pair.send(pair.b, pair.a)
    assert result.conflicts == 1
    stored = pair.a.cases.get(case.id)
    assert stored.start_date <= stored.end_date
    pair.a.cases.update(case.id, {"title": stored.title + " (수정)"})  # still editable


def test_a_version_past_any_real_count_is_refused(pair, tmp_path):
    path = _new_firms_bundle(pair, tmp_path)
    lines = read_lines(path)
    _set(lines, _firm_line(lines, "새기업1"), "version", 2 ** 63 - 1)
    write_lines(path, lines)
    with pytest.raises(BundleError, match="버전"):
        sync.import_bundle(pair.a.database, path)


def test_one_history_entry_given_to_two_records_is_a_korean_error(pair, tmp_path):
    path = _new_firms_bundle(pair, tmp_path)
    lines = read_lines(path)
    one, two = _firm_line(lines, "새기업0"), _firm_line(lines, "새기업1")
    audit = lines[0]["audit"]
    two[2][0][audit.index("id")] = one[2][0][audit.index("id")]
    write_lines(path, lines)
    before = fingerprint(pair.a)
    with pytest.raises(BundleError, match="아무것도 가져오지 않았습니다"):
        sync.import_bundle(pair.a.database, path)
    assert fingerprint(pair.a) == before


def test_a_value_an_older_version_took_in_a_record_both_copies_hold_does_not_stop_the_sync(pair, tmp_path):
    firm = pair.a.firms.list()[0]
    for services in (pair.a, pair.b):  # as the older version stored it, on both laptops
        with services.database.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE firm SET address = '보은군\t보은읍', notes = ? WHERE id = ?",
                                 ("긴 메모 " * 5000, firm.id))
    pair.b.firms.update(pair.b.firms.list()[1].id, {"phone": "043-540-0000"})
    assert pair.send(pair.b, pair.a).updated == 1


def test_a_refused_record_is_named_by_its_name(pair, tmp_path):
    path = _new_firms_bundle(pair, tmp_path)
    lines = read_lines(path)
    _set(lines, _firm_line(lines, "새기업1"), "email", "not an address")
    write_lines(path, lines)
    with pytest.raises(BundleError, match="기업 기록 '새기업1'.*이메일"):
        sync.import_bundle(pair.a.database, path)


def test_a_support_type_deleted_there_but_used_by_a_case_here_is_a_conflict(pair):
    unused = pair.a.support_types.create({"code": "MKT", "name": "마케팅", "grant_share_percent": 70})
    pair.send(pair.a, pair.b)
    firm, year = pair.a.firms.list()[0], pair.a.program_years.by_year(2025)
    pair.a.cases.create({"firm_id": firm.id, "program_year_id": year.id, "support_type_id": unused.id,
                         "title": "여기서 쓰는 유형"})
    pair.b.support_types.delete(unused.id)  # there nothing uses it yet
    assert pair.send(pair.b, pair.a).conflicts == 1
    assert pair.a.support_types.get(unused.id).deleted_at is None
    [conflict] = sync.list_conflicts(pair.a.database)
    assert conflict.field == "deleted_at" and "지원과제 1건" in conflict.reason
