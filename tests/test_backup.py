"""Backups: online copies, Anki-style thinning, restore keeping the old file aside, CLI, instance lock."""

from __future__ import annotations

import os
import signal
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boeun_desk import cli
from boeun_desk.services import Services
from boeun_desk.storage import backup, restore
from boeun_desk.storage import engine as db
from boeun_desk.storage.backup import BackupInfo
from boeun_desk.storage.engine import open_database
from boeun_desk.storage.errors import DatabaseError


def add_firm(path: Path, name: str, brn: str) -> None:
    database = open_database(path)
    Services(database).firms.create({"name": name, "brn": brn})
    database.close()


def firm_names(path: Path) -> list[str]:
    database = open_database(path)
    try:
        return [f.name for f in Services(database).firms.list()]
    finally:
        database.close()


def test_backup_then_restore_brings_back_the_data_and_keeps_the_old_file(db_path):
    add_firm(db_path, "가", "124-81-00998")
    taken = backup.create_backup(db_path)
    assert taken.parent == db_path.parent / "backups" and restore.integrity_errors(taken) == []
    add_firm(db_path, "나", "220-81-62517")
    before = db_path.read_bytes()
    result = restore.restore(db_path)
    assert result.restored_from == taken
    assert firm_names(db_path) == ["가"]
    main_aside = result.kept_aside[0]
    assert main_aside.read_bytes() == before  # moved aside, not touched


def test_list_is_newest_first_and_ignores_other_files(db_path):
    first = backup.create_backup(db_path, now=datetime(2026, 11, 20, 9, 0))
    second = backup.create_backup(db_path, now=datetime(2026, 11, 24, 9, 0))
    (db_path.parent / "backups" / "other-20261124-090000.sqlite3").write_bytes(b"x")
    assert [b.path for b in backup.list_backups(db_path)] == [second, first]


def test_backup_if_due_only_when_the_newest_is_older_than_a_day(db_path):
    backup.create_backup(db_path, now=datetime.now() - timedelta(days=2))
    made = backup.backup_if_due(db_path)
    assert made is not None
    assert backup.backup_if_due(db_path) is None
    assert len(backup.list_backups(db_path)) == 2


def test_auto_backup_on_open_and_on_close_only_when_changed(db_path, monkeypatch):
    database = open_database(db_path, auto_backup=True)
    assert len(backup.list_backups(db_path)) == 1  # none existed: one on open
    database.close()
    assert len(backup.list_backups(db_path)) == 1  # nothing changed
    monkeypatch.setattr(backup, "INTERVAL", timedelta(0))  # as if the last one were half an hour old
    database = open_database(db_path, auto_backup=True)
    Services(database).firms.create({"name": "가", "brn": "124-81-00998"})
    database.close()
    newest = backup.list_backups(db_path)
    assert len(newest) == 2
    assert firm_names(newest[0].path) == ["가"]


def test_automatic_backups_come_at_most_every_half_hour(db_path):
    # Eight commands in a row made nine backups of a 58 MB file before (issue 12).
    for n in range(8):
        assert run_cli("--db", str(db_path), "firm", "add", "--name", f"기업{n}", "--brn",
                       ["124-81-00998", "220-81-62517", "101-81-15245", "120-81-47521", "211-87-00001",
                        "214-86-12345", "135-81-00006", "104-81-00002"][n]) in (0, 2)
    assert len(backup.list_backups(db_path)) == 1


def test_a_backup_is_written_before_a_migration(db_path, monkeypatch):
    monkeypatch.setattr(db, "head_revision", lambda: "future")
    monkeypatch.setattr(db, "migrate", lambda engine: None)
    open_database(db_path).close()
    assert [b.path.name.endswith("-migration.sqlite3") for b in backup.list_backups(db_path)] == [True]


def test_restore_refuses_a_damaged_backup_and_latest_skips_it(db_path):
    add_firm(db_path, "가", "124-81-00998")
    good = backup.create_backup(db_path, now=datetime.now() - timedelta(hours=1))
    bad = backup.create_backup(db_path)
    data = bytearray(bad.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    bad.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="손상"):
        restore.restore(db_path, bad)
    assert restore.restore(db_path).restored_from == good


def test_no_backup_to_restore(db_path):
    with pytest.raises(DatabaseError, match="복원할 수 있는 백업이 없습니다"):
        restore.restore(db_path)


def test_restore_refused_while_the_program_has_the_file_open(db_path):
    backup.create_backup(db_path)
    database = open_database(db_path, exclusive=True)
    try:
        with pytest.raises(DatabaseError, match="사용 중"):
            restore.restore(db_path)
    finally:
        database.close()
    restore.restore(db_path)


def test_a_second_program_on_the_same_file_gets_a_clear_message(db_path):
    first = open_database(db_path, exclusive=True)
    with pytest.raises(DatabaseError, match="다른 보은 데스크 프로그램이 사용 중"):
        open_database(db_path, exclusive=True)
    first.close()
    open_database(db_path, exclusive=True).close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_the_lock_dies_with_a_killed_program(db_path):
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: hold the lock, then wait to be killed
        try:
            lock = db.InstanceLock.acquire(db_path)
            os.write(ready_w, b"1")
            signal.pause()
            lock.release()
        finally:
            os._exit(1)
    try:
        assert os.read(ready_r, 1) == b"1"
        with pytest.raises(DatabaseError, match="사용 중"):
            open_database(db_path, exclusive=True)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    open_database(db_path, exclusive=True).close()


def _info(taken: datetime) -> BackupInfo:
    return BackupInfo(Path(f"x-{taken:%Y%m%d-%H%M%S}.sqlite3"), taken, 0)


def test_thinning_keeps_today_yesterday_then_daily_weekly_monthly():
    now = datetime(2026, 11, 25, 18, 0)
    backups = [_info(now - timedelta(hours=h)) for h in range(0, 24 * 400, 6)]  # every 6 h for 400 days
    kept = set(backups) - set(backup.to_thin(backups, now))
    recent = [b for b in kept if b.taken_at.date() >= (now - timedelta(days=1)).date()]
    assert len(recent) == 4 + 4  # every backup of today (0-18 h) and yesterday
    older = sorted((b for b in kept if b not in recent), key=lambda b: b.taken_at, reverse=True)
    assert len(older) == backup.DAILY + backup.WEEKLY + backup.MONTHLY
    assert len({b.taken_at.date() for b in older}) == len(older)  # one per period


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=600 * 24), min_size=1, max_size=80, unique=True))
def test_thinning_properties(hours_ago):
    now = datetime(2026, 11, 25, 23, 0)
    backups = [_info(now - timedelta(hours=h)) for h in hours_ago]
    removed = backup.to_thin(backups, now)
    kept = [b for b in backups if b not in removed]
    assert max(backups, key=lambda b: b.taken_at) in kept  # the newest always survives
    recent = (now - timedelta(days=1)).date()
    for b in removed:  # older than yesterday, or beyond the newest few of its (recent) day
        assert b.taken_at.date() < recent or sum(
            1 for o in backups if o.taken_at.date() == b.taken_at.date() and o.taken_at > b.taken_at
        ) >= backup.PER_RECENT_DAY
    assert backup.to_thin(kept, now) == []  # thinning again removes nothing
    assert len(kept) <= len([b for b in backups if b not in removed]) <= len(backups)
    assert len([b for b in kept if b.taken_at.date() < (now - timedelta(days=1)).date()]) <= 31


def run_cli(*args: str) -> int:
    return cli.main(list(args))


def test_cli_backup_list_check_restore(db_path, capsys):
    add_firm(db_path, "가", "124-81-00998")
    assert run_cli("--db", str(db_path), "backup") == 0
    written = Path(capsys.readouterr().out.strip())
    assert written.is_file()
    assert run_cli("--db", str(db_path), "backup", "list") == 0
    assert str(written) in capsys.readouterr().out
    assert run_cli("--db", str(db_path), "check") == 0
    assert "이상 없음" in capsys.readouterr().out
    data = bytearray(db_path.read_bytes())
    data[4096:12288] = b"\x00damaged" * 1024
    db_path.write_bytes(bytes(data))
    assert run_cli("--db", str(db_path), "check") == 1
    assert "손상" in capsys.readouterr().err
    assert run_cli("--db", str(db_path), "firm", "list") == 1
    err = capsys.readouterr().err
    assert "손상" in err and "restore --latest" in err and "Traceback" not in err
    assert run_cli("--db", str(db_path), "restore", "--latest") == 0
    assert "보관" in capsys.readouterr().out
    assert firm_names(db_path) == ["가"]
    assert run_cli("--db", str(db_path), "restore") == 2  # --latest or a file is required


def test_cli_backup_needs_a_file_database(capsys):
    assert run_cli("--db", "postgresql://u@localhost/x", "backup") == 2
    assert "SQLite" in capsys.readouterr().err
