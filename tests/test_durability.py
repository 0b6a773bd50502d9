"""Crashes, damaged and locked files, a full disk: Korean messages, nothing reported saved is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event, exc

from boeun_desk import cli
from boeun_desk.services import Services
from boeun_desk.storage import backup, restore
from boeun_desk.storage import engine as db
from boeun_desk.storage.engine import describe_error, open_database
from boeun_desk.storage.errors import DamagedDatabase, DatabaseError


def _saves_until_killed(path, write_fd: int) -> None:
    """Child process: save officers one by one, reporting each committed save on the pipe."""
    database = open_database(path)
    services = Services(database, "kill")
    for i in range(100_000):
        services.officers.create({"name": f"저장-{os.getpid()}-{i}"})
        os.write(write_fd, f"저장-{os.getpid()}-{i}\n".encode())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_in_the_middle_of_saves_loses_nothing_reported(db_path):
    rng = random.Random(6)
    reported: set[str] = set()
    rounds = 12
    for _ in range(rounds):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_fd)
                _saves_until_killed(db_path, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        wanted, seen, buffer = rng.randint(3, 40), 0, b""
        while seen < wanted:
            chunk = os.read(read_fd, 4096)
            assert chunk, "the saving process ended early"
            buffer += chunk
            seen = buffer.count(b"\n")
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 4096):  # saves reported just before the kill
            buffer += chunk
        os.close(read_fd)
        reported.update(line for line in buffer.decode().splitlines() if line)
        assert restore.integrity_errors(db_path) == []
    database = open_database(db_path)
    try:
        stored = {o.name for o in Services(database).officers.list()}
    finally:
        database.close()
    assert reported <= stored
    assert len(reported) >= rounds * 3
    assert restore.integrity_errors(db_path) == []


def _close_and_damage(db_path, how: str, exclusive: bool = False) -> bytes:
    database = open_database(db_path, exclusive=exclusive)
    services = Services(database)
    for i in range(200):
        services.officers.create({"name": f"담당{i}", "team": "기업지원팀" * 20})
    database.close()
    data = bytearray(db_path.read_bytes())
    if how == "overwritten":
        data[4096:4096 * 6] = b"\x13\x37garbage" * (4096 * 5 // 9) + b"\x00" * (4096 * 5 % 9)
    else:
        data = data[: len(data) // 2]
    db_path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("exclusive", [False, True], ids=["cli", "desktop"])
@pytest.mark.parametrize("how", ["overwritten", "truncated"])
def test_damaged_file_gets_a_korean_message_and_is_left_untouched(db_path, how, exclusive, capsys):
    # The desktop program's clean close leaves a stamp; writing to the file afterwards voids it.
    damaged = _close_and_damage(db_path, how, exclusive)
    with pytest.raises(DamagedDatabase) as raised:
        open_database(db_path, exclusive=exclusive)
    message = str(raised.value)
    # No backup of this file yet: the advice is not "restore", which could not work.
    assert ("손상" in message or "열 수 없습니다" in message) and "백업이 없습니다" in message
    assert "restore --latest" not in message and raised.value.path == db_path
    assert db_path.read_bytes() == damaged
    assert cli.main(["--db", str(db_path), "check"]) == 1
    err = capsys.readouterr().err
    assert "손상" in err and "Traceback" not in err
    assert restore.integrity_errors(db_path) != []


def test_only_a_file_closed_cleanly_and_untouched_skips_the_integrity_check(db_path):
    checks: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "quick_check" in statement:
            checks.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        open_database(db_path, exclusive=True).close()
        assert len(checks) == 1
        database = open_database(db_path, exclusive=True)  # closed cleanly, untouched since
        assert database.lock is not None and database.lock.closed_cleanly
        Services(database).officers.create({"name": "김담당"})
        database.lock.release()  # as after a crash: the lock goes, no stamp is left
        database.engine.dispose()
        assert len(checks) == 1
        open_database(db_path, exclusive=True).close()
        assert len(checks) == 2
        other = open_database(db_path)  # another program (the CLI) writes to the file
        Services(other).officers.create({"name": "이담당"})
        other.close()
        assert len(checks) == 3
        open_database(db_path, exclusive=True).close()
        assert len(checks) == 4
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def test_damaged_file_restored_from_the_newest_good_backup(db_path, monkeypatch):
    monkeypatch.setattr(backup, "INTERVAL", timedelta(0))  # the backup on close is due
    database = open_database(db_path, auto_backup=True)
    Services(database).officers.create({"name": "김담당"})
    database.close()  # backup on close holds 김담당
    damaged = _close_and_damage(db_path, "overwritten")
    result = restore.restore(db_path)
    assert result.kept_aside[0].read_bytes() == damaged
    database = open_database(db_path)
    try:
        assert [o.name for o in Services(database).officers.list()][:1] == ["김담당"]
    finally:
        database.close()


def test_a_file_locked_by_another_program_gets_a_korean_message(db_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_path)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE scratch (x)")
    try:
        with pytest.raises(DatabaseError, match="사용 중"):
            open_database(db_path)
    finally:
        holder.rollback()
        holder.close()
    open_database(db_path).close()


def test_a_full_disk_fails_one_save_cleanly(db_path):
    database = open_database(db_path)
    services = Services(database)
    services.officers.create({"name": "저장됨"})
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def _tiny_disk(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    with pytest.raises(exc.OperationalError) as raised:
        services.firms.create({"name": "너무 큼", "brn": "124-81-00998", "main_products": "가" * 19_000})
    assert "디스크 공간이 부족" in describe_error(raised.value, database)
    database.close()
    assert restore.integrity_errors(db_path) == []
    database = open_database(db_path)
    try:
        assert [o.name for o in Services(database).officers.list()] == ["저장됨"]
    finally:
        database.close()


def test_a_clean_close_leaves_a_start_page_that_holds_only_for_the_untouched_file(db_path):
    from boeun_desk.storage.lock import start_page

    page = {"year": 2025, "firms_supported": 13}
    open_database(db_path, exclusive=True).close(page)
    assert start_page(db_path) == page  # read without the lock, for the window's frame
    database = open_database(db_path, exclusive=True)
    assert database.start_page == page  # read again under the lock
    assert start_page(db_path) is None  # held by a program: no stamp, no page
    database.close()  # a close without one leaves the stamp alone
    assert start_page(db_path) is None
    open_database(db_path, exclusive=True).close(page)
    other = open_database(db_path)  # another program (the CLI) writes to the file
    Services(other).officers.create({"name": "이담당"})
    other.close()
    assert start_page(db_path) is None and open_database(db_path, exclusive=True).start_page is None


def test_a_damaged_start_page_costs_only_the_quick_start(db_path):
    from boeun_desk.storage.lock import lock_path, start_page

    open_database(db_path, exclusive=True).close({"year": 2025})
    lock = lock_path(db_path)
    lock.write_text(lock.read_text(encoding="utf-8").replace('"year"', '"ye'), encoding="utf-8")
    assert start_page(db_path) is None
    database = open_database(db_path, exclusive=True)
    assert database.lock is not None and database.lock.closed_cleanly and database.start_page is None
    database.close()


@pytest.mark.parametrize("how", ["overwritten", "truncated"])
def test_the_check_run_while_the_program_imports_finds_damage(db_path, how):
    from boeun_desk.storage.lock import IntegrityCheck

    checks: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "quick_check" in statement:
            checks.append(statement)

    damaged = _close_and_damage(db_path, how, exclusive=True)
    check = IntegrityCheck.start(db_path)
    assert check is not None  # the damage voided the clean-close stamp
    event.listen(Engine, "before_cursor_execute", count)
    try:
        with pytest.raises(DamagedDatabase) as raised:
            open_database(db_path, exclusive=True, checked=check)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert check.outcome() not in (None, "ok") and checks == []  # the open used the check's finding
    assert "열 수 없습니다" in str(raised.value) and db_path.read_bytes() == damaged


def test_the_check_run_while_the_program_imports_spares_the_open_its_own(db_path):
    from boeun_desk.storage.lock import IntegrityCheck, lock_path

    checks: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "quick_check" in statement:
            checks.append(statement)

    open_database(db_path, exclusive=True).close()
    assert IntegrityCheck.start(db_path) is None  # closed cleanly: nothing to check
    lock_path(db_path).unlink()  # as after a crash, or a file copied from elsewhere
    check = IntegrityCheck.start(db_path)
    assert check is not None
    event.listen(Engine, "before_cursor_execute", count)
    try:
        database = open_database(db_path, exclusive=True, checked=check)
        assert check.outcome() == "ok" and checks == []
        database.close()
        garbage = db_path.with_name("garbage.sqlite3")
        garbage.write_bytes(b"not a database at all" * 500)
        check = IntegrityCheck.start(garbage)
        assert check is not None and "not a database" in check.outcome()
        with pytest.raises(DamagedDatabase):
            open_database(garbage, exclusive=True, checked=check)
        assert checks == []
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def test_a_torn_lock_file_or_a_full_disk_at_close_never_stops_the_program(db_path, monkeypatch):
    from boeun_desk.storage.lock import InstanceLock, lock_path, start_page

    open_database(db_path, exclusive=True).close({"year": 2025, "name": "보은"})
    lock = lock_path(db_path)
    lock.write_bytes(lock.read_bytes()[:-4])  # a power cut in the middle of a Korean character
    assert start_page(db_path) is None
    database = open_database(db_path, exclusive=True)
    assert database.start_page is None

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def write(self, _text):
            raise OSError(28, "No space left on device")

    database.lock._handle = FullDisk(database.lock._handle)
    database.close({"year": 2025})  # no exception, no stamp, and the lock is released
    assert start_page(db_path) is None
    InstanceLock.acquire(db_path).release()


def test_figures_from_before_a_migration_or_a_damaged_session_are_not_kept(db_path, monkeypatch):
    from boeun_desk.storage.lock import IntegrityCheck, start_page

    open_database(db_path, exclusive=True).close({"year": 2025})
    monkeypatch.setattr(db, "head_revision", lambda: "a newer schema")  # a program upgrade
    database = open_database(db_path, exclusive=True)
    assert database.start_page is None
    database.close({"year": 2025})
    monkeypatch.undo()
    database = open_database(db_path, exclusive=True)
    assert database.start_page == {"year": 2025}
    database.close({"year": 2025}, clean=False)  # damage found while in use: no stamp, no figures
    assert start_page(db_path) is None and IntegrityCheck.start(db_path) is not None


def test_the_background_check_reads_files_whose_names_need_quoting(tmp_path):
    from boeun_desk.storage.lock import IntegrityCheck

    folder = tmp_path / "보은 #폴더 %20"
    folder.mkdir()
    path = folder / "기업 #1 (사본).sqlite3"
    open_database(path).close()
    check = IntegrityCheck.start(path)
    assert check is not None and check.outcome() == "ok"


def test_a_question_mark_in_the_file_name_is_refused_not_cut_off(tmp_path, capsys):
    # In a URL, "?" would end the file name: "보은?.sqlite3" would silently open "보은".
    path = tmp_path / "보은?.sqlite3"
    with pytest.raises(DatabaseError) as raised:
        open_database(path)
    assert "'?'" in str(raised.value) and list(tmp_path.iterdir()) == []
    assert cli.main(["demo", str(path)]) == 2  # bad input, told before anything is built
    assert "'?'" in capsys.readouterr().err and list(tmp_path.iterdir()) == []


def test_a_sqlite_url_with_a_question_mark_is_refused_too(tmp_path):
    with pytest.raises(DatabaseError) as raised:
        open_database(f"sqlite:///{tmp_path}/copy?.sqlite3")
    assert "'?'" in str(raised.value) and list(tmp_path.iterdir()) == []
