"""The demo program equals the published 2024 figures and is deterministic."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import MetaData, select

from boeun_desk.services import demo as demo_module
from boeun_desk.services.demo import DemoExists, write_demo
from boeun_desk.storage.engine import open_database
from boeun_desk.validation import brn_is_valid, crn_is_valid
from tests.conftest import DEMO_TODAY

PUBLISHED_2024 = {"PROTO": 3, "SMART": 1, "TEST": 8, "PKG": 1, "GUIDE": 5, "IP": 5, "IMPROVE": 7, "CONSULT": 7}


def test_2024_statistics_equal_the_published_first_year(demo):
    stats = demo.queries.annual_stats(2024)
    assert stats.firms_supported == 13
    assert {tc.code: tc.count for tc in stats.cases_by_type} == PUBLISHED_2024
    assert stats.cases_total == 37
    assert stats.supply_companies_matched == 10
    assert all(m.matched_on == date(2024, 11, 28) for m in stats.matches)
    report = [m for m in stats.meetings if m.kind == "report"]
    assert report[0].held_on == date(2024, 11, 28) and "나인밸리파크" in report[0].place
    assert stats.funding.grant > 0 and stats.funding.firm > 0


def test_partial_2025_and_the_rest_of_the_program(demo):
    stats = demo.queries.annual_stats(2025)
    assert stats.cases_total > 0 and stats.firms_supported > 9
    statuses = {c.status for c in demo.cases.list()}
    assert {"done", "in_progress", "cancelled"} <= statuses
    assert len(demo.firms.list()) == 22
    assert 1 <= len(demo.queries.expiring_certifications(60, today=DEMO_TODAY)) <= 5
    assert any(c.days_left < 0 for c in demo.queries.certifications(today=DEMO_TODAY))
    assert len(demo.queries.overdue_follow_ups(today=DEMO_TODAY)) >= 3
    advisory = [m for m in stats.meetings + demo.queries.annual_stats(2024).meetings if m.kind == "advisory"]
    assert advisory and all(m.recommendations for m in advisory)
    assert demo.tests.list() and demo.ip_rights.list() and demo.indicators.list() and demo.officers.list()


def test_every_demo_number_passes_its_checksum(demo):
    firms = demo.firms.list() + demo.supply_companies.list()
    assert all(brn_is_valid(f.brn) for f in firms)
    assert all(crn_is_valid(f.crn) for f in demo.firms.list() if f.crn)


def _content_digest(path) -> str:
    database = open_database(path)
    digest = hashlib.sha256()
    meta = MetaData()
    meta.reflect(database.engine)
    with database.engine.connect() as conn:
        for table in sorted(meta.sorted_tables, key=lambda t: t.name):
            if table.name == "audit_entry":
                continue  # audit ids are random; the records themselves must repeat
            digest.update(repr(conn.execute(select(table).order_by(*table.primary_key)).all()).encode())
    database.close()
    return digest.hexdigest()


def test_demo_is_deterministic(demo_template, tmp_path):
    again = write_demo(tmp_path / "again.sqlite3", today=DEMO_TODAY)
    assert _content_digest(again) == _content_digest(demo_template)


def test_demo_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "d.sqlite3"
    target.write_bytes(b"my precious data")
    with pytest.raises(DemoExists):
        write_demo(target, today=DEMO_TODAY)
    assert target.read_bytes() == b"my precious data"
    write_demo(target, force=True, today=DEMO_TODAY)
    assert target.read_bytes()[:15] == b"SQLite format 3"


def test_failed_demo_leaves_no_file(tmp_path, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(demo_module, "build_demo", explode)
    with pytest.raises(RuntimeError):
        write_demo(tmp_path / "d.sqlite3", today=DEMO_TODAY)
    # Only the (empty) instance lock file the demo held while it built: no database, no temporary file.
    assert [p.name for p in tmp_path.iterdir()] == ["d.sqlite3.lock"]
    assert (tmp_path / "d.sqlite3.lock").stat().st_size == 0
