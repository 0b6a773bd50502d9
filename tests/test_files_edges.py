"""Edges an adversarial test found in the files on disk: backups of look-alike names, a store
shared by several databases, a killed clone, a missing clone source, files no record names."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from boeun_desk import cli
from boeun_desk.services import sync
from boeun_desk.storage import backup, filestore, restore
from tests.test_attachment_sync import photo, rewrite, split
from tests.test_files_travel import attach, first_visit, stored


def _with_identity(path: Path, folder: Path) -> None:
    """The copy's replica identity made, as its first bundle makes it."""
    from boeun_desk.storage.engine import open_database

    database = open_database(path)
    try:
        sync.export_bundle(database, folder / "first.sync")
    finally:
        database.close()


def firms(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM firm").fetchone()[0]


def replica(db: Path) -> str | None:
    with sqlite3.connect(db) as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
    return row[0] if row else None


def test_databases_of_one_stem_keep_their_own_backups(template_db, demo_template, tmp_path):
    office, other = tmp_path / "office.sqlite3", tmp_path / "office.db"
    shutil.copyfile(template_db, office)
    shutil.copyfile(demo_template, other)
    backup.create_backup(other)
    assert backup.list_backups(office) == []
    backup.create_backup(office)
    for _ in range(8):  # thinning one never touches the other's
        backup.create_backup(office)
    assert len(backup.list_backups(other)) == 1
    restore.restore(office)
    assert firms(office) == 0 and firms(other) > 0


def test_one_databases_backup_never_sweeps_the_files_another_databases_backups_name(demo_template, tmp_path, capsys):
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    shutil.copyfile(demo_template, a)
    shutil.copyfile(demo_template, b)
    b_hash = attach(capsys, b, first_visit(b), photo(tmp_path / "b.png", (10, 200, 10)))["content_hash"]
    attach(capsys, a, first_visit(a), photo(tmp_path / "a.png"))
    backup.create_backup(b)
    store = backup.files_store(b)
    old = time.time() - 3 * 86400
    for path in store.glob("??/*"):
        os.utime(path, (old, old))
    backup.create_backup(a)
    assert b_hash in stored(store)


def test_a_clone_has_its_new_identity_before_it_has_its_name(demo_path, tmp_path, monkeypatch):
    _with_identity(demo_path, tmp_path)
    target = tmp_path / "clone.sqlite3"
    seen = []
    real = os.replace

    def watch(source, destination):  # the moment the clone appears under its name
        if Path(destination) == target:
            seen.append(replica(Path(source)))
        return real(source, destination)

    monkeypatch.setattr(os, "replace", watch)
    new_id = sync.clone(demo_path, target).replica
    assert seen == [new_id] and new_id != replica(demo_path)


def test_a_clone_of_a_missing_or_foreign_file_is_refused_and_leaves_nothing(tmp_path, capsys):
    missing, foreign = tmp_path / "missing.sqlite3", tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    for source in (missing, foreign):
        assert cli.main(["--db", str(source), "clone", str(tmp_path / "c.sqlite3")]) in (1, 2)
        assert "Traceback" not in capsys.readouterr().err
    assert not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]


def test_a_bundle_stores_only_files_its_records_name(demo_template, tmp_path, capsys):
    from tests.test_sync import Pair

    pair = Pair(tmp_path, demo_template)
    try:
        attach(capsys, pair.b_path, first_visit(pair.b_path), photo(tmp_path / "p.png"))
        path = tmp_path / "b.sync"
        sync.export_bundle(pair.b.database, path)
        records, files = split(path)
        stray = b"stray bytes no record names"
        import hashlib

        digest = hashlib.sha256(stray).hexdigest()
        rewrite(path, records, files + b"FILE %s %d\n" % (digest.encode(), len(stray)) + stray)
        sync.import_bundle(pair.a.database, path)
        folder = filestore.files_dir_of(pair.a.database)
        assert digest not in stored(folder) and len(stored(folder)) == 1
    finally:
        pair.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_clone_killed_at_any_moment_never_leaves_a_copy_that_syncs_as_this_one(demo_path, tmp_path):
    _with_identity(demo_path, tmp_path)
    source_id = replica(demo_path)
    assert source_id
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1, 0.2):
        target = tmp_path / f"c{delay}.sqlite3"
        pid = os.fork()
        if pid == 0:
            try:
                sync.clone(demo_path, target)
            finally:
                os._exit(0)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if target.exists():
            assert replica(target) != source_id
