"""Opening databases: migrations from an empty file, pragmas, stable seeds, clear errors."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from boeun_desk.models import Base
from boeun_desk.storage.engine import current_revision, head_revision, open_database
from boeun_desk.storage.errors import DatabaseError
from boeun_desk.storage.target import to_url


def test_new_file_is_migrated_to_head_and_matches_the_models(tmp_path):
    path = tmp_path / "new.sqlite3"
    database = open_database(path)
    try:
        assert path.exists()
        assert current_revision(database.engine) == head_revision()
        with database.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        database.close()


def test_head_constant_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    from boeun_desk.migrations import HEAD
    from boeun_desk.storage.engine import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_pragmas_on_every_connection(database):
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(database):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), database.engine.begin() as conn:
        conn.execute(text("INSERT INTO selection (id, firm_id, program_year_id, notes, created_at, updated_at,"
                          " updated_by, version) VALUES ('x', 'nope', 'nope', '', '2024-01-01', '2024-01-01',"
                          " '', 1)"))


def test_seeded_rows_have_the_same_ids_in_every_copy(tmp_path):
    ids = []
    for name in ("a.sqlite3", "b.sqlite3"):
        database = open_database(tmp_path / name)
        with database.engine.connect() as conn:
            ids.append(conn.execute(text("SELECT id, code FROM support_type ORDER BY code")).all())
        database.close()
    assert ids[0] == ids[1] and len(ids[0]) == 8


def test_reopening_keeps_data(db_path):
    from boeun_desk.services import Services

    database = open_database(db_path)
    Services(database).firms.create({"name": "가", "brn": "124-81-00998"})
    database.close()
    database = open_database(db_path)
    assert [f.name for f in Services(database).firms.list()] == ["가"]
    database.close()


def test_not_a_database_gets_a_korean_message(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"this is a word processor file, not a database" * 100)
    with pytest.raises(DatabaseError, match="열 수 없습니다"):
        open_database(bogus)
    assert bogus.read_bytes().startswith(b"this is a word")  # left untouched


def test_damaged_database_gets_a_korean_message(db_path):
    data = bytearray(db_path.read_bytes())
    data[4096:8192] = b"\x00garbage!" * 455 + b"\x00"  # overwrite the second page
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="손상|열 수 없습니다"):
        open_database(db_path)


@pytest.mark.parametrize("make", ["folder", "missing_parent"])
def test_bad_paths(tmp_path, make):
    target = tmp_path / "a_folder" if make == "folder" else tmp_path / "missing" / "x.sqlite3"
    if make == "folder":
        target.mkdir()
    with pytest.raises(DatabaseError, match="폴더"):
        open_database(target)


def test_urls_and_paths(tmp_path):
    assert to_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"  # the driver the program ships
    assert to_url(tmp_path / "x.sqlite3") == f"sqlite:///{tmp_path / 'x.sqlite3'}"
    memory = open_database("sqlite://")
    assert memory.path is None
    memory.close()
