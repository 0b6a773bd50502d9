"""Clones, backups and restore carry the attachment files: a clone's visit shows its photo, a
restore after the files folder was lost brings the photo back into the visit PDF, backups share
one stored copy of a file, thinning removes only files no remaining backup names, and a kill at
any moment of a backup with files or of `demo --force` leaves a sound database at the path."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from boeun_desk import cli
from boeun_desk.services import sync
from boeun_desk.storage import backup, filestore, restore
from tests.test_attachment_sync import CANNOT_OPEN, photo, run_json
from tests.test_reports import pdf_text
from tests.test_storage import _killed_at, mode, needs_fork, passes_check

POSIX = os.name == "posix"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_visit(db: Path, skip: int = 0) -> str:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT id FROM visit WHERE deleted_at IS NULL ORDER BY id LIMIT 1 OFFSET ?",
                                  (skip,)).fetchone()[0]
    finally:
        connection.close()


def attach(capsys, db: Path, visit: str, image: Path, caption: str = "") -> dict:
    return run_json(capsys, "--db", str(db), "visit", "attach", visit, str(image), "--caption", caption, "--json")


def stored(store: Path) -> set[str]:
    return {p.name for p in store.glob("??/*") if filestore.is_content_hash(p.name)}


def drop_row(db: Path, content_hash: str) -> None:
    """The attachment row gone from the database (as if purged), so later backups stop naming it."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("DELETE FROM attachment WHERE content_hash = ?", (content_hash,))
        connection.commit()
    finally:
        connection.close()


def visit_pdf_shows_photo(db: Path, visit: str, caption: str, out: Path) -> bool:
    assert cli.main(["--db", str(db), "report", "visit", "--id", visit, "-o", str(out)]) == 0
    images = [x for page in PdfReader(out).pages for x in page["/Resources"].get("/XObject", {}).values()
              if x.get_object()["/Subtype"] == "/Image"]
    text = pdf_text(out)
    return bool(images) and caption in text and CANNOT_OPEN not in text


# --- clone ---------------------------------------------------------------------------------------

def test_a_clone_carries_every_named_file_checked_and_reports_missing_ones(demo_path, tmp_path, capsys):
    visit = first_visit(demo_path)
    image = photo(tmp_path / "현장.png")
    attach(capsys, demo_path, visit, image, "살균 설비")
    trashed = attach(capsys, demo_path, visit, photo(tmp_path / "old.png", (200, 10, 10)))
    assert cli.main(["--db", str(demo_path), "visit", "attachments", visit, "--json"]) == 0
    capsys.readouterr()
    connection = sqlite3.connect(demo_path)  # a trashed attachment's file travels too
    connection.execute("UPDATE attachment SET deleted_at = '2026-01-01 00:00:00' WHERE id = ?", (trashed["id"],))
    connection.commit()
    connection.close()
    lost = attach(capsys, demo_path, first_visit(demo_path, 1), photo(tmp_path / "lost.png", (0, 0, 0)))
    filestore.content_path(filestore.files_dir_for(demo_path), lost["content_hash"]).unlink()

    target = tmp_path / "laptop" / "copy.sqlite3"
    target.parent.mkdir()
    assert cli.main(["--db", str(demo_path), "clone", str(target)]) == 0
    captured = capsys.readouterr()
    assert "첨부파일 2개" in captured.out and "첨부파일 1개는 옮기지 못했습니다" in captured.err

    listed = run_json(capsys, "--db", str(target), "visit", "attachments", visit, "--json")
    mine = [x for x in listed if x["filename"] == "현장.png"]
    assert [(x["content_hash"], x["present"]) for x in mine] == [(sha(image), True)]
    files = filestore.files_dir_for(target)
    assert stored(files) == {sha(image), trashed["content_hash"]}
    assert all(sha(p) == p.name for p in files.glob("??/*"))
    assert not list(files.glob(f"{filestore.TEMP_PREFIX}*"))
    assert visit_pdf_shows_photo(target, visit, "살균 설비", tmp_path / "clone.pdf")


# --- backup and restore -----------------------------------------------------------------------

def test_restore_brings_the_files_back_into_the_visit_pdf(demo_path, tmp_path, capsys):
    visit = first_visit(demo_path)
    image = photo(tmp_path / "현장.png")
    attach(capsys, demo_path, visit, image, "살균 설비")
    assert cli.main(["--db", str(demo_path), "backup"]) == 0
    capsys.readouterr()
    assert stored(backup.files_store(demo_path)) == {sha(image)}
    shutil.rmtree(filestore.files_dir_for(demo_path))  # the files folder is lost
    assert cli.main(["--db", str(demo_path), "restore", "--latest"]) == 0
    assert "첨부파일 1개를 백업에서 되살렸습니다" in capsys.readouterr().out
    back = filestore.content_path(filestore.files_dir_for(demo_path), sha(image))
    assert sha(back) == sha(image)
    listed = run_json(capsys, "--db", str(demo_path), "visit", "attachments", visit, "--json")
    assert [x["present"] for x in listed if x["content_hash"] == sha(image)] == [True]
    assert visit_pdf_shows_photo(demo_path, visit, "살균 설비", tmp_path / "restored.pdf")


def test_restore_reports_a_file_the_store_lacks_or_holds_damaged(demo_path, tmp_path, capsys):
    visit = first_visit(demo_path)
    image = attach(capsys, demo_path, visit, photo(tmp_path / "a.png"))["content_hash"]
    backup.create_backup(demo_path)
    in_store = filestore.content_path(backup.files_store(demo_path), image)
    in_store.write_bytes(in_store.read_bytes()[:-10] + b"0123456789")  # damaged in the store
    shutil.rmtree(filestore.files_dir_for(demo_path))
    result = restore.restore(demo_path)
    assert (result.files.copied, result.files.missing) == (0, (image,))
    assert not filestore.content_path(filestore.files_dir_for(demo_path), image).exists()  # never stored wrong


def test_two_backups_share_one_stored_file(demo_path, tmp_path, capsys):
    visit = first_visit(demo_path)
    image = attach(capsys, demo_path, visit, photo(tmp_path / "a.png"))["content_hash"]
    first = backup.make_backup(demo_path)
    second = backup.make_backup(demo_path)
    assert (first.files.copied, second.files.copied, second.files.present) == (1, 0, 1)
    assert first.path != second.path and stored(backup.files_store(demo_path)) == {image}
    assert filestore.named_hashes(first.path) == filestore.named_hashes(second.path) == {image}
    if POSIX:
        assert mode(filestore.content_path(backup.files_store(demo_path), image)) == 0o600
        assert mode(backup.files_store(demo_path)) == 0o700


def test_thinning_keeps_files_other_backups_name_and_removes_orphans(demo_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(backup, "STORE_GRACE", 0.0)
    visit = first_visit(demo_path)
    shared = attach(capsys, demo_path, visit, photo(tmp_path / "shared.png"))["content_hash"]
    only_old = attach(capsys, demo_path, visit, photo(tmp_path / "old.png", (9, 9, 9)))["content_hash"]
    later = attach(capsys, demo_path, visit, photo(tmp_path / "new.png", (1, 200, 1)))["content_hash"]
    shutil.rmtree(backup.backups_dir(demo_path))  # the commands' own automatic backups
    start = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0)
    oldest = backup.make_backup(demo_path, now=start)
    drop_row(demo_path, only_old)
    store = backup.files_store(demo_path)
    results = [backup.make_backup(demo_path, now=start + timedelta(minutes=m)) for m in range(1, backup.PER_RECENT_DAY)]
    assert stored(store) == {shared, only_old, later} and all(r.swept == 0 for r in results)
    last = backup.make_backup(demo_path, now=start + timedelta(minutes=30))  # the oldest of today is thinned
    assert not oldest.path.exists() and last.swept == 1
    assert stored(store) == {shared, later}  # what the remaining backups name stays
    assert all(sha(p) == p.name for p in store.glob("??/*"))


def test_a_stored_file_younger_than_the_grace_survives_a_sweep(tmp_path):
    store = tmp_path / "files"
    staged = filestore.stage(store, [b"fresh"])
    filestore.place(store, staged)
    assert backup.sweep_store(store, keep=set()) == 0 and stored(store) == {staged.content_hash}


def test_the_size_limit_counts_each_stored_file_once():
    now = datetime(2026, 11, 25, 12, 0)
    old, new = (backup.BackupInfo(Path(f"{n}.sqlite3"), now - timedelta(hours=h), 10) for n, h in (("old", 2), ("new", 1)))
    both = {old.path: {"a" * 64}, new.path: {"a" * 64}}
    assert backup.over_size([old, new], 125, both, {"a" * 64: 100}) == []  # 10 + 100 + 10
    assert backup.over_size([old, new], 115, both, {"a" * 64: 100}) == [old]
    own = {old.path: {"b" * 64}, new.path: {"a" * 64}}
    assert backup.over_size([old, new], 125, own, {"a" * 64: 100, "b" * 64: 100}) == [old]


# --- bundle mode, temporary files ---------------------------------------------------------------

@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_a_bundle_is_private_and_leaves_no_temporary_file(services, tmp_path):
    bundle = tmp_path / "out.sync"
    sync.export_bundle(services.database, bundle)
    assert mode(bundle) == 0o600
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_stale_incoming_copies_are_swept_when_a_file_is_stored(tmp_path):
    files = tmp_path / "db.sqlite3.files"
    files.mkdir()
    stale, fresh = files / f"{filestore.TEMP_PREFIX}dead.part", files / f"{filestore.TEMP_PREFIX}busy.part"
    for path in (stale, fresh):
        path.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    filestore.place(files, filestore.stage(files, [b"new file"]))
    assert not stale.exists() and fresh.exists()


# --- kill -9 ----------------------------------------------------------------------------------

def _photos(capsys, db: Path, tmp_path: Path, n: int, size: int) -> None:
    visit = first_visit(db)
    for i in range(n):
        source = tmp_path / f"scan-{i}.bin"
        source.write_bytes(os.urandom(size))
        attach(capsys, db, visit, source)


@needs_fork
def test_a_backup_with_files_killed_at_any_moment_leaves_only_whole_backups_with_their_files(
        demo_path, tmp_path, capsys):
    _photos(capsys, demo_path, tmp_path, 12, 2 << 20)
    store = backup.files_store(demo_path)
    started = time.monotonic()
    backup.create_backup(demo_path)
    took = time.monotonic() - started
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95):
        shutil.rmtree(store, ignore_errors=True)  # each run copies the files again
        for item in backup.list_backups(demo_path):
            item.path.unlink()
        _killed_at(took * fraction, lambda: backup.create_backup(demo_path, reason="manual"))
        assert passes_check(demo_path), fraction
        for item in backup.list_backups(demo_path):  # a backup is named only once its files are stored
            assert restore.integrity_errors(item.path) == []
            assert filestore.named_hashes(item.path) <= stored(store)
        assert all(sha(p) == p.name for p in store.glob("??/*"))  # no half file under a hash's name


@needs_fork
def test_demo_force_killed_at_any_moment_leaves_a_database_that_passes_check(tmp_path, capsys):
    path = tmp_path / "demo.sqlite3"
    assert cli.main(["demo", str(path)]) == 0
    started = time.monotonic()
    assert cli.main(["demo", str(path), "--force"]) == 0
    took = time.monotonic() - started
    capsys.readouterr()
    for fraction in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.1):
        _killed_at(took * fraction, lambda: cli.main(["demo", str(path), "--force"]))
        assert passes_check(path), fraction
        assert cli.main(["--db", str(path), "check"]) == 0, capsys.readouterr().err
