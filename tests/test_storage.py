"""The storage layer: whole files, marked databases, restore that never leaves the path empty,
locks before replacing, `new`, file modes, clear errors at the edges, backups within bounds."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from boeun_desk import cli
from boeun_desk.storage import backup, engine, files, identity, restore
from boeun_desk.storage.errors import DamagedDatabase, DatabaseError, ForeignDatabase
from boeun_desk.storage.lock import InstanceLock

POSIX = os.name == "posix"
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def run_cli(*args: str) -> int:
    return cli.main(list(args))


def application_id(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA application_id").fetchone()[0]
    finally:
        connection.close()


def passes_check(path: Path) -> bool:
    return (path.is_file() and restore.integrity_errors(path) == []
            and identity.inspect_file(path) in (identity.Kind.OURS, identity.Kind.UNMARKED))


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# --- atomic_write ----------------------------------------------------------------------------

def test_atomic_write_replaces_whole_files_private_and_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), files.atomic_write(target, "w") as handle:
        handle.write("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.json"]
    with files.atomic_write(target, "w") as handle:
        handle.write("new")
    assert target.read_text() == "new"
    if POSIX:
        assert mode(target) == 0o600


def test_parallel_writers_never_share_a_temporary_file(tmp_path):
    target = tmp_path / "export.xlsx"
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for _ in range(20):
                with files.atomic_write(target) as handle:
                    handle.write(bytes([n]) * 50_000)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    content = target.read_bytes()
    assert len(content) == 50_000 and len(set(content)) == 1  # one writer's whole file
    assert [p.name for p in tmp_path.iterdir()] == ["export.xlsx"]


def test_leftovers_of_killed_runs_are_swept_once_an_hour_old(tmp_path):
    old = time.time() - 2 * 3600
    stale_part, young_part = tmp_path / ".a.xlsx.x1.part", tmp_path / ".b.xlsx.x2.part"
    stale_batch, other = tmp_path / ".batch-abc", tmp_path / "notes.part"
    for path in (stale_part, young_part, other):
        path.write_bytes(b"x")
    stale_batch.mkdir()
    (stale_batch / "00001.pdf").write_bytes(b"x")
    for path in (stale_part, stale_batch, other):
        os.utime(path, (old, old))
    with files.atomic_write(tmp_path / "c.xlsx") as handle:
        handle.write(b"c")
    assert not stale_part.exists() and not stale_batch.exists()
    assert young_part.exists()  # may be a parallel run's
    assert other.exists()  # not one of our names


# --- the mark ---------------------------------------------------------------------------------

def test_new_databases_are_marked_and_backups_and_clones_keep_the_mark(db_path, tmp_path):
    assert application_id(db_path) == identity.APPLICATION_ID == int.from_bytes(b"BOEU", "big")
    taken = backup.create_backup(db_path)
    assert application_id(taken) == identity.APPLICATION_ID
    assert run_cli("--db", str(db_path), "clone", str(tmp_path / "copy.sqlite3")) == 0
    assert application_id(tmp_path / "copy.sqlite3") == identity.APPLICATION_ID


def test_a_zero_byte_file_is_damaged_not_new(tmp_path, capsys):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(DamagedDatabase, match="0바이트"):
        engine.open_database(empty)
    assert empty.stat().st_size == 0 and not (tmp_path / "backups").exists()
    assert run_cli("--db", str(empty), "firm", "list") == 1
    assert "0바이트" in capsys.readouterr().err


@pytest.mark.parametrize("how", ["other-id", "tables-without-alembic", "alembic-of-another-program"])
def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(tmp_path, how, capsys):
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    if how == "other-id":
        connection.execute("PRAGMA application_id=1234")
    if how == "alembic-of-another-program":
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    before = other.read_bytes()
    with pytest.raises(ForeignDatabase, match="보은 데스크의 데이터베이스 파일이 아닙니다"):
        engine.open_database(other)
    assert run_cli("--db", str(other), "firm", "list") == 2
    assert "다른 프로그램의 파일" in capsys.readouterr().err
    assert other.read_bytes() == before


def test_a_file_from_before_the_mark_gets_it_on_open(db_path):
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA application_id=0")
    connection.close()
    assert identity.inspect_file(db_path) is identity.Kind.UNMARKED
    engine.open_database(db_path).close()
    assert application_id(db_path) == identity.APPLICATION_ID


def _newer(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num='9999'")
    connection.commit()
    connection.close()


# --- restore ----------------------------------------------------------------------------------

def test_restore_refuses_the_database_itself_empty_foreign_and_newer_files(db_path, tmp_path, capsys):
    empty, foreign, newer = tmp_path / "empty.sqlite3", tmp_path / "other.db", tmp_path / "newer.sqlite3"
    empty.touch()
    sqlite3.connect(foreign).execute("CREATE TABLE notes (body TEXT)").connection.close()
    newer.write_bytes(db_path.read_bytes())
    _newer(newer)
    before = db_path.read_bytes()
    for source, said in ((db_path, "자신으로는 복원할 수 없습니다"), (empty, "빈 파일"),
                         (foreign, "보은 데스크의 데이터베이스 파일이 아니어서"), (newer, "더 새 버전")):
        assert run_cli("--db", str(db_path), "restore", str(source)) == 2, source
        assert said in capsys.readouterr().err
    assert db_path.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def _large_database(path: Path, megabytes: int) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE filler (body BLOB)")
    connection.executemany("INSERT INTO filler VALUES (randomblob(65536))", [()] * (megabytes * 16))
    connection.commit()
    connection.close()


def _killed_at(delay: float, work) -> None:
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


@needs_fork
def test_a_restore_killed_at_any_moment_leaves_a_sound_database_at_the_path(db_path, tmp_path):
    source = tmp_path / "keep" / "big.sqlite3"
    source.parent.mkdir()
    source.write_bytes(db_path.read_bytes())
    _large_database(source, 40)
    started = time.monotonic()
    restore.restore(db_path, source)  # how long a whole restore takes here
    took = time.monotonic() - started
    restored_size = db_path.stat().st_size
    small = tmp_path / "small.sqlite3"
    engine.create_database(small)
    small_bytes = small.read_bytes()
    for fraction in (0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97, 1.2):
        db_path.write_bytes(small_bytes)
        _killed_at(took * fraction, lambda: restore.restore(db_path, source))
        assert passes_check(db_path), fraction  # the old database or the restored one, never none
        assert db_path.stat().st_size in (restored_size, len(small_bytes))


@needs_fork
def test_a_backup_killed_at_any_moment_leaves_the_database_and_only_whole_backups(db_path):
    _large_database(db_path, 30)
    started = time.monotonic()
    backup.create_backup(db_path)
    took = time.monotonic() - started
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        _killed_at(took * fraction, lambda: backup.create_backup(db_path, reason="manual"))
        assert passes_check(db_path)
        for item in backup.list_backups(db_path):
            assert restore.integrity_errors(item.path) == []
    leftovers = [p for p in backup.backups_dir(db_path).iterdir()
                 if not backup._pattern(db_path).match(p.name) and p != backup.files_store(db_path)]
    assert all(p.name.startswith(".") and ".part" in p.name for p in leftovers)  # swept an hour later


# --- the instance lock before replacing --------------------------------------------------------

def test_demo_force_and_restore_refuse_a_file_another_copy_holds(db_path, tmp_path, capsys):
    backup.create_backup(db_path)
    before = db_path.read_bytes()
    held = InstanceLock.acquire(db_path)
    try:
        assert run_cli("demo", str(db_path), "--force") == 1
        assert "사용 중" in capsys.readouterr().err
        assert run_cli("--db", str(db_path), "restore", "--latest") == 1
        assert "사용 중" in capsys.readouterr().err
    finally:
        held.release()
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "test.sqlite3", "test.sqlite3.lock"]


# --- new, file modes ----------------------------------------------------------------------------

def test_new_makes_an_empty_marked_private_database_and_refuses_an_existing_file(tmp_path, capsys):
    target = tmp_path / "fresh.sqlite3"
    assert run_cli("new", str(target)) == 0
    assert application_id(target) == identity.APPLICATION_ID
    assert engine.current_revision(engine.make_engine(f"sqlite:///{target}")) == engine.head_revision()
    assert run_cli("--db", str(target), "firm", "list") == 0
    capsys.readouterr()
    assert run_cli("new", str(target)) == 2
    assert "이미 있습니다" in capsys.readouterr().err
    if POSIX:
        assert mode(target) == 0o600


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_database_backups_drafts_exports_and_lock_are_private(services, tmp_path):
    from boeun_desk.exchange.drafts import DraftJournal
    from boeun_desk.exchange.excel_export import export_workbook

    database = services.database
    os.umask(0o022)
    path = tmp_path / "made.sqlite3"
    engine.open_database(path, exclusive=True).close()
    written = [path, Path(f"{path}.lock"), backup.create_backup(database.path),
               DraftJournal.for_database(database).save("firm:new", "firm", {"name": "가"})]
    export = tmp_path / "firms.xlsx"
    export_workbook(database, ["firms"], export)
    written.append(export)
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}


# --- clear errors at the edges -------------------------------------------------------------------

@pytest.mark.parametrize("url", ["mysql://x", "foo://x", "postgresql+nodriver://h/db"])
def test_unsupported_database_urls_are_korean_errors(url, capsys):
    assert run_cli("--db", url, "firm", "list") == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ("지원하지 않는" in err or "드라이버" in err)


def test_postgresql_without_its_driver_is_a_korean_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    assert run_cli("--db", "postgresql://u@h/db", "firm", "list") == 2
    assert "psycopg" in capsys.readouterr().err


def test_a_closed_pipe_ends_the_command_quietly(demo_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    process = subprocess.Popen([sys.executable, "-m", "boeun_desk", "--db", str(demo_path), "firm", "list"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # like `| head -1` once it has its line
    err = process.stderr.read().decode()
    assert process.wait() == 0
    assert "Traceback" not in err and "Exception ignored" not in err and "BrokenPipe" not in err


# --- backups within bounds ----------------------------------------------------------------------

def test_backups_beyond_the_size_limit_go_oldest_first(db_path, monkeypatch):
    monkeypatch.setattr(backup, "SIZE_FACTOR", 3)
    made = [backup.create_backup(db_path, now=datetime.now() - timedelta(hours=h)) for h in (5, 4, 3, 2, 1)]
    kept = [b.path for b in backup.list_backups(db_path)]
    assert kept == made[::-1][:3]  # three database sizes: the newest three


def test_no_automatic_backup_when_the_disk_is_nearly_full_and_a_warning(db_path, monkeypatch, capsys):
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9 - 10**6, 10**6))
    assert backup.backup_if_due(db_path) is None
    assert backup.list_backups(db_path) == []
    assert run_cli("--db", str(db_path), "firm", "list") == 0
    assert "디스크 여유 공간이 부족합니다" in capsys.readouterr().err
    assert backup.list_backups(db_path) == []


def test_only_a_few_backups_of_today_are_kept():
    now = datetime(2026, 11, 25, 23, 0)
    today = [backup.BackupInfo(Path(f"x-{m}.sqlite3"), now - timedelta(minutes=m), 0) for m in range(0, 600, 31)]
    removed = backup.to_thin(today, now)
    assert len(today) - len(removed) == backup.PER_RECENT_DAY
    assert max(today, key=lambda b: b.taken_at) not in removed


def test_storage_loads_without_sqlalchemy_except_the_engine():
    code = ("import sys\n"
            "import boeun_desk.storage, boeun_desk.storage.lock, boeun_desk.storage.target\n"
            "import boeun_desk.storage.identity, boeun_desk.storage.backup, boeun_desk.storage.restore\n"
            "import boeun_desk.storage.files\n"
            "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_damaged_file_still_refuses_before_any_write(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DatabaseError):
        engine.open_database(junk)
    assert junk.read_bytes() == b"not a database at all" * 100
