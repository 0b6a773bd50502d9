"""The same migrations, services and queries on PostgreSQL (an office server database).

Starts a throwaway PostgreSQL cluster on a Unix socket when the server binaries are installed;
skipped (with the reason shown) where they are not.
"""

from __future__ import annotations

from datetime import date

import pytest

from boeun_desk.services import Services
from boeun_desk.services.demo import build_demo
from boeun_desk.storage.engine import open_database
from tests.conftest import DEMO_TODAY
from tests.pg_cluster import cluster

PORT = 55433


@pytest.fixture(scope="module")
def pg_url():
    with cluster(PORT) as made:
        yield f"postgresql+psycopg://boeun@/boeun?host={made.base}&port={PORT}"


def test_demo_statistics_and_services_on_postgresql(pg_url):
    database = open_database(pg_url)
    try:
        assert database.path is None
        build_demo(database, today=DEMO_TODAY)
        services = Services(database, "서버담당")
        stats = services.queries.annual_stats(2024)
        assert (stats.firms_supported, stats.cases_total, stats.supply_companies_matched) == (13, 37, 10)
        assert {tc.code: tc.count for tc in stats.cases_by_type}["TEST"] == 8
        firm = services.firms.list(search="대추")[0]
        services.firms.update(firm.id, {"phone": "043-000-1111"})
        assert services.firms.get(firm.id).version == 2
        assert services.queries.firm_detail(firm.id).cases
        assert services.queries.overdue_follow_ups(today=DEMO_TODAY)
        assert services.queries.expiring_certifications(60, today=date(2026, 11, 25))
        assert services.support_types.by_code("test").code == "TEST"
        assert [f.name for f in services.firms.list(search="SUPPLY")] == []
    finally:
        database.close()
