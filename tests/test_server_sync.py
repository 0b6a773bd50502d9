"""The office server on a real PostgreSQL: laptops push and pull, conflicts are kept, two laptops
sync at the same moment, a new laptop joins and holds exactly what the server holds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from boeun_desk import cli
from boeun_desk.exchange.bundle import tracked_tables
from boeun_desk.models import AuditEntry
from boeun_desk.progress import Cancelled
from boeun_desk.services import Services, sync
from boeun_desk.services.server_admin import init_server, server_history
from boeun_desk.services.server_sync import open_server, sync_status, sync_with_server
from boeun_desk.storage.engine import create_database, open_database
from tests.pg_cluster import cluster

PORT = 55434
BOOKKEEPING = {"version", "updated_at", "updated_by"}  # each copy keeps its own (sync.py _OWN_COLUMNS)


@pytest.fixture(scope="module")
def office():
    with cluster(PORT) as made:
        made.psql("CREATE ROLE boeun_officers NOLOGIN; CREATE ROLE kim LOGIN IN ROLE boeun_officers; "
                  "CREATE ROLE lee LOGIN IN ROLE boeun_officers; CREATE ROLE park LOGIN IN ROLE boeun_officers")
        yield made


@pytest.fixture
def server_db(office):
    """A fresh server database, created with the schema and open to the officers' roles."""
    name = office.new_database()
    init_server(office.url(name), grant=("boeun_officers",))
    return name


class Laptop:
    def __init__(self, path: Path, url: str, officer: str):
        self.path, self.url = path, url
        self.services = Services(open_database(path), officer)

    @property
    def database(self):
        return self.services.database

    def sync(self, **kwargs):
        return sync_with_server(self.database, self.url, **kwargs)

    def close(self) -> None:
        self.database.close()


@pytest.fixture
def laptops(office, server_db, demo_path, tmp_path):
    """A: the office's existing laptop (the demo) pushed to the server; B joined from the server."""
    made = []

    def laptop(name: str, user: str, officer: str, source: Path | None = None) -> Laptop:
        path = tmp_path / f"{name}.sqlite3"
        if source is not None:
            shutil.copyfile(source, path)
        else:
            create_database(path)
        made.append(Laptop(path, office.url(server_db, user), officer))
        return made[-1]

    a = laptop("a", "kim", "김담당", demo_path)
    a.sync()
    b = laptop("b", "lee", "이담당")
    b.sync()
    yield a, b, laptop
    for one in made:
        one.close()


def records(database, *, everything: bool = False) -> dict[str, dict[str, tuple]]:
    """Every tracked record's values (without each copy's bookkeeping unless `everything`)."""
    found = {}
    with database.engine.connect() as conn:
        for table in tracked_tables():
            columns = [c for c in table.columns if everything or c.name not in BOOKKEEPING]
            found[table.name] = {row[0]: tuple(row[1:]) for row in conn.execute(
                select(table.c.id, *columns).order_by(table.c.id))}
    return found


def history(database) -> set[tuple]:
    audit = AuditEntry.__table__
    with database.engine.connect() as conn:
        return {tuple(row) for row in conn.execute(select(audit))}


def server(url: str):
    return open_server(url)


def test_a_new_laptop_joins_with_one_sync_and_holds_exactly_the_server(laptops, tmp_path, capsys):
    a, b, _laptop = laptops
    srv = server(a.url)
    try:
        assert records(b.database, everything=True) == records(srv, everything=True)
        assert history(b.database) == history(srv)
        assert records(a.database) == records(srv)
    finally:
        srv.close()
    # The command line: `new` and one `sync server`, which pulls everything.
    c = tmp_path / "c.sqlite3"
    assert cli.main(["new", str(c)]) == 0
    assert cli.main(["--db", str(c), "sync", "server", a.url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    # Its first push offers the rows every new file has (support types, the program): nothing new.
    assert (out["push"]["added"], out["push"]["updated"], out["push"]["conflicts"]) == (0, 0, 0)
    assert out["pulled"] == sum(len(r) for r in records(a.database).values())
    assert out["conflicts"] == 0
    assert cli.main(["--db", str(c), "sync", "server", "--json"]) == 0  # the address was kept
    again = json.loads(capsys.readouterr().out)
    assert (again["pushed"], again["pulled"]) == (0, 0)
    joined = open_database(c)
    try:
        assert records(joined, everything=True) == records(b.database, everything=True)
        assert sync_status(joined).pending == 0 and sync_status(joined).last_sync is not None
    finally:
        joined.close()


def test_the_office_scenario_edits_in_the_field_meet_on_the_server(laptops):
    a, b, laptop = laptops
    firms = a.services.firms.list()
    one, two, three = firms[0], firms[1], firms[2]
    # Different fields of one firm, the same field of another, a deletion against an edit,
    # the same new 사업자등록번호 on both laptops.
    a.services.firms.update(one.id, {"phone": "043-111-1111"})
    b.services.firms.update(one.id, {"address": "충북 보은군 보은읍 새주소 1"})
    a.services.firms.update(two.id, {"notes": "A의 메모"})
    b.services.firms.update(two.id, {"notes": "B의 메모"})
    a.services.firms.delete(three.id)
    b.services.firms.update(three.id, {"phone": "043-333-3333"})
    a.services.firms.create({"name": "새기업(A)", "brn": "124-81-00998"})
    b.services.firms.create({"name": "새기업(B)", "brn": "124-81-00998"})
    assert sync_status(a.database).pending > 0

    first = a.sync()
    assert first.pushed > 0 and first.push.conflicts == 0 and first.conflicts == 0
    second = b.sync()
    assert second.push.conflicts == 3  # the same field, delete versus edit, the same BRN: kept, not overwritten
    assert second.conflicts == 3  # and the officer of b decides them on b
    assert b.services.firms.get(one.id).phone == "043-111-1111"  # a's field arrived
    assert b.services.firms.get(two.id).notes == "B의 메모"
    a.sync()
    assert a.services.firms.get(one.id).address == "충북 보은군 보은읍 새주소 1"
    assert a.services.firms.get(two.id).notes == "A의 메모"

    srv = server(a.url)
    try:
        assert len(Services(srv).firms.list(search="새기업")) == 1  # no duplicate BRN on the server
        assert Services(srv).firms.get(two.id).notes == "A의 메모"  # the first to arrive, until decided
    finally:
        srv.close()

    by_field = {c.field: c for c in sync.list_conflicts(b.database)}
    assert set(by_field) == {"notes", "deleted_at", "*"}
    sync.resolve_conflict(b.database, by_field["notes"].id, "local", "이담당")  # b's note wins
    sync.resolve_conflict(b.database, by_field["deleted_at"].id, "remote", "이담당")  # the firm stays deleted
    sync.resolve_conflict(b.database, by_field["*"].id, "local", "이담당")  # b keeps its own firm
    b.sync()
    a.sync()
    assert a.services.firms.get(two.id).notes == b.services.firms.get(two.id).notes == "B의 메모"
    assert a.services.firms.get(three.id, include_deleted=True).deleted_at is not None
    assert b.services.firms.get(three.id, include_deleted=True).deleted_at is not None
    assert sync.list_conflicts(a.database) == []

    srv = server(a.url)
    try:
        assert records(a.database) == records(srv)  # a holds what the server holds
        mine = records(b.database)
        b_firm = next(f for f in b.services.firms.list(search="새기업"))
        del mine["firm"][b_firm.id]  # b's own 새기업(B), declined by the server's unique BRN
        theirs = records(srv)
        a_firm = next(f for f in Services(srv).firms.list(search="새기업"))
        del theirs["firm"][a_firm.id]
        assert mine == theirs
        c = laptop("c", "park", "박담당")  # a third laptop joins from the server
        c.sync()
        assert records(c.database, everything=True) == records(srv, everything=True)
        assert history(c.database) == history(srv)
    finally:
        srv.close()


def test_who_changed_what_from_which_laptop(laptops):
    a, b, _laptop = laptops
    firm = a.services.firms.list()[0]
    a.services.firms.update(firm.id, {"phone": "043-222-0001"})
    a.sync()
    b.sync()
    b.services.firms.update(firm.id, {"phone": "043-222-0002"})
    b.sync()
    changes = [c for c in server_history(a.url, firm.id) if c.field == "phone"]
    assert [(c.new, c.officer, c.db_user) for c in changes[:2]] == [
        ("043-222-0002", "이담당", "lee"), ("043-222-0001", "김담당", "kim")]
    assert "b.sqlite3" in changes[0].laptop and "a.sqlite3" in changes[1].laptop


def test_an_officer_role_cannot_rewrite_the_history(laptops, office):
    a, _b, _laptop = laptops
    srv = open_database(a.url)  # as kim, directly on the server
    try:
        with pytest.raises(Exception, match="permission denied"), srv.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entry SET officer = 'someone else'"))
        services = Services(srv, "김담당")  # the program works on the server directly
        firm = services.firms.list()[0]
        services.firms.update(firm.id, {"phone": "043-555-0000"})
    finally:
        srv.close()
    [change] = [c for c in server_history(a.url, firm.id) if c.new == "043-555-0000"]
    assert (change.db_user, change.laptop) == ("kim", "")


def test_attachments_travel_through_the_server(laptops, tmp_path):
    a, b, _laptop = laptops
    visit = a.services.visits.list()[0]
    photo = tmp_path / "현장.jpg"
    photo.write_bytes(b"\xff\xd8photo bytes" * 1000)
    attached = a.services.attachments.attach("visit", visit.id, photo, caption="작업장")
    sent = a.sync()
    assert sent.files_sent == 1
    got = b.sync()
    assert got.files_received == 1
    view = b.services.attachments.get(attached.id)
    assert b.services.attachments.find(view.content_hash).read_bytes() == photo.read_bytes()


def test_an_interrupted_sync_leaves_nothing_and_resumes(laptops):
    a, b, _laptop = laptops
    firms = a.services.firms.list()
    for firm in firms:
        a.services.firms.update(firm.id, {"notes": f"중단 시험 {firm.name}"})
    for n in range(5):
        a.services.supply_companies.create({"name": f"중단공급{n}"})
    seen: list[str] = []

    def progress(_done: int, _total: int, *, stage: str = "", stoppable: bool = True) -> None:
        seen.append(stage)

    def cancel_mid() -> bool:  # once the first table's records are merged, before the commit
        return any("기록을 합치는 중" in stage for stage in seen)

    before = records(b.database)
    with pytest.raises(Cancelled):
        a.sync(progress=progress, cancelled=cancel_mid)
    assert any(stage.startswith("서버로 보내는 중") for stage in seen)
    assert b.sync().pulled == 0 and records(b.database) == before  # nothing of it reached the server
    pushed = a.sync()
    assert pushed.pushed == len(firms) + 5 and (pushed.push.updated, pushed.push.added) == (len(firms), 5)
    seen.clear()
    with pytest.raises(Cancelled):
        b.sync(progress=progress, cancelled=cancel_mid)  # the pull stops before its commit
    assert any(stage.startswith("서버에서 받는 중") for stage in seen)
    assert records(b.database) == before
    assert sync_status(b.database).pending == 0
    resumed = b.sync()  # and resumes whole
    assert (resumed.pull.updated, resumed.pull.added) == (len(firms), 5)
    assert records(b.database) == records(a.database)


def _sync_process(path: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "boeun_desk", "--db", str(path), "sync", "server", url, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)


def test_two_laptops_syncing_at_the_same_moment(laptops):
    a, b, _laptop = laptops
    firms = a.services.firms.list()
    for n, firm in enumerate(firms):
        a.services.firms.update(firm.id, {"phone": f"043-100-{n:04d}"})
        b.services.firms.update(firm.id, {"address": f"보은군 {n}번지"})
    for n in range(30):
        a.services.supply_companies.create({"name": f"공급A{n}"})
        b.services.supply_companies.create({"name": f"공급B{n}"})
    a.services.firms.update(firms[0].id, {"notes": "A가 같은 순간에"})  # the same field on both
    b.services.firms.update(firms[0].id, {"notes": "B가 같은 순간에"})
    a.database.close()
    b.database.close()
    try:
        runs = [_sync_process(a.path, a.url), _sync_process(b.path, b.url)]
        outcomes = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outcomes
        results = [json.loads(out) for out, _err in outcomes]
        assert sorted(r["conflicts"] for r in results) == [0, 1]  # kept for the laptop that came second
        again = [_sync_process(a.path, a.url), _sync_process(b.path, b.url)]
        assert [run.communicate(timeout=120) and run.returncode for run in again] == [0, 0]
    finally:
        a.services = Services(open_database(a.path), "김담당")
        b.services = Services(open_database(b.path), "이담당")
    srv = server(a.url)
    try:
        on_server = Services(srv)
        for n, firm in enumerate(firms):  # no lost update: both laptops' fields are there
            got = on_server.firms.get(firm.id)
            assert (got.phone, got.address) == (f"043-100-{n:04d}", f"보은군 {n}번지")
        names = [s.name for s in on_server.supply_companies.list(search="공급")]
        assert sorted(names) == sorted([f"공급A{n}" for n in range(30)] + [f"공급B{n}" for n in range(30)])
        second = a if sync.list_conflicts(a.database) else b
        [conflict] = sync.list_conflicts(second.database)
        sync.resolve_conflict(second.database, conflict.id, "remote", "담당")  # the first to arrive stays
        a.sync()  # one more round: the laptops meet what the other pushed last
        b.sync()
        assert records(a.database) == records(b.database) == records(srv)
        assert a.services.firms.get(firms[0].id).notes in ("A가 같은 순간에", "B가 같은 순간에")
    finally:
        srv.close()


def test_server_commands_init_from_a_laptop_and_history(office, demo_path, capsys):
    url = office.url(office.new_database())
    assert cli.main(["server", "init", url, "--from", str(demo_path), "--grant", "boeun_officers", "--json"]) == 0
    ready = json.loads(capsys.readouterr().out)
    assert ready["granted"] == ["boeun_officers"] and ready["seeded"]["push"]["added"] > 0
    assert cli.main(["server", "init", url]) == 0  # again (a new version): nothing to do, nothing lost
    assert "준비되었습니다" in capsys.readouterr().out
    assert cli.main(["--db", str(demo_path), "--officer", "김담당", "firm", "update", "3014568258",
                     "--phone", "043-000-7777"]) == 0
    assert cli.main(["--db", str(demo_path), "sync", "server", "--json"]) == 0  # the address from init
    capsys.readouterr()
    assert cli.main(["server", "history", url, "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "김담당 (boeun, " in out and "phone: " in out and "043-000-7777" in out
    assert cli.main(["server", "init", "sqlite:///x.sqlite3"]) == 2
    assert "postgresql://" in capsys.readouterr().err


def test_a_laptop_whose_history_rows_were_numbered_anew_still_sends_its_changes(laptops):
    import sqlite3

    a, b, _laptop = laptops
    firm = a.services.firms.list()[0]
    a.services.firms.update(firm.id, {"notes": "번호가 바뀐 뒤의 변경"})
    a.database.close()
    with sqlite3.connect(a.path) as conn:  # as a tool that copies the rows would: the newest entry gets a low rowid
        conn.executescript("CREATE TEMP TABLE copied AS SELECT * FROM audit_entry; DELETE FROM audit_entry;"
                           "INSERT INTO audit_entry SELECT * FROM copied ORDER BY at DESC, id;")
    a.services = Services(open_database(a.path), "김담당")
    assert a.sync().push.updated == 1
    b.sync()
    assert b.services.firms.get(firm.id).notes == "번호가 바뀐 뒤의 변경"
