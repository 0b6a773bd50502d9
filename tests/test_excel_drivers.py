"""Excel export reads through the database driver's own cursor: an encrypted file (sqlcipher3) and the
office server (PostgreSQL, psycopg) must give the very cells the plain file (sqlite3) gives."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from boeun_desk.exchange.excel_export import export_workbook
from boeun_desk.services.server_admin import init_server
from boeun_desk.storage import cipher, convert
from boeun_desk.storage.engine import open_database
from tests.pg_cluster import cluster

PASS = "correct horse battery"


def _export(path: Path | str, target: Path, key: cipher.Key | None = None) -> dict[str, int]:
    db = open_database(path, key=key)
    try:
        return export_workbook(db, ["all"], target)
    finally:
        db.close()


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple((c.value, c.number_format) for c in row) for row in ws.iter_rows()]
                for ws in workbook.worksheets}
    finally:
        workbook.close()


def test_an_encrypted_database_exports_the_same_cells_as_the_plain_one(demo_path, tmp_path):
    plain_counts = _export(demo_path, tmp_path / "plain.xlsx", None)
    assert convert.convert(demo_path, None, cipher.Key(PASS)).encrypted and cipher.is_encrypted(demo_path)
    sealed_counts = _export(demo_path, tmp_path / "sealed.xlsx", cipher.Key(PASS))

    assert sealed_counts == plain_counts and plain_counts["지원과제"] > 0
    plain, sealed = _cells(tmp_path / "plain.xlsx"), _cells(tmp_path / "sealed.xlsx")
    assert sealed == plain
    cases = plain["지원과제"]
    dates = [cell for row in cases[1:] for cell in row if cell[1] == "yyyy-mm-dd" and cell[0] is not None]
    assert dates and all(hasattr(value, "year") for value, _ in dates)  # real dates came through the cursor


def test_the_office_server_exports_the_same_cells_as_the_laptop_it_was_seeded_from(demo_path, tmp_path):
    laptop_counts = _export(demo_path, tmp_path / "laptop.xlsx")
    with cluster(55441) as office:
        url = office.url(office.new_database())
        init_server(url, seed=demo_path)
        server_counts = _export(url, tmp_path / "server.xlsx")

    assert server_counts == laptop_counts and laptop_counts["방문상담"] > 0
    assert _cells(tmp_path / "server.xlsx") == _cells(tmp_path / "laptop.xlsx")
