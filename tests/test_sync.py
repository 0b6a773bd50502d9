"""Merging copies: new records, disjoint edits, same-field conflicts, delete vs edit, replays, tampering."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from boeun_desk import cli
from boeun_desk.exchange.bundle import BundleError, tracked_tables
from boeun_desk.services import Services, sync
from boeun_desk.storage.engine import open_database


class Pair:
    """Two laptops' copies of one database (b cloned from a)."""

    def __init__(self, folder: Path, source: Path):
        self.folder = folder
        self.a_path, self.b_path = folder / "a.sqlite3", folder / "b.sqlite3"
        shutil.copyfile(source, self.a_path)
        sync.clone(self.a_path, self.b_path)
        self.a = Services(open_database(self.a_path), "김담당")
        self.b = Services(open_database(self.b_path), "이담당")
        self.n = 0

    def send(self, source: Services, target: Services) -> sync.SyncResult:
        self.n += 1
        path = self.folder / f"bundle{self.n}.sync"
        sync.export_bundle(source.database, path)
        return sync.import_bundle(target.database, path)

    def close(self) -> None:
        self.a.database.close()
        self.b.database.close()


@pytest.fixture
def pair(demo_template, tmp_path):
    made = Pair(tmp_path, demo_template)
    yield made
    made.close()


def fingerprint(services: Services) -> str:
    digest = hashlib.sha256()
    with services.database.engine.connect() as conn:
        for table in [*tracked_tables(), "audit_entry", "meta"]:
            name = getattr(table, "name", table)
            for row in conn.execute(text(f"SELECT * FROM {name} ORDER BY 1")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def counts(result: sync.SyncResult) -> tuple[int, int, int]:
    return result.added, result.updated, result.conflicts


def test_clone_has_its_own_replica_identity(pair, tmp_path):
    a, b = tmp_path / "a.sync", tmp_path / "b.sync"
    sync.export_bundle(pair.a.database, a)
    sync.export_bundle(pair.b.database, b)
    replica = [json.loads(p.read_bytes().split(b"\n")[1])["replica"] for p in (a, b)]
    assert replica[0] != replica[1]
    assert counts(pair.send(pair.a, pair.b)) == (0, 0, 0)  # identical copies: nothing to do


def test_new_records_with_their_children_are_added(pair):
    firm = pair.b.firms.create({"name": "새기업", "brn": "124-81-00998"}).id
    pair.b.certifications.create({"firm_id": firm, "kind": "HACCP(식품안전관리인증)", "expires_on": "2027-01-31"})
    assert counts(pair.send(pair.b, pair.a)) == (2, 0, 0)
    assert pair.a.firms.get(firm).name == "새기업"
    assert [c.kind for c in pair.a.certifications.list(firm_id=firm)] == ["HACCP(식품안전관리인증)"]
    history = pair.a.database.sessions().execute(
        text("SELECT officer, action FROM audit_entry WHERE entity_id = :id"), {"id": firm}).all()
    assert [tuple(r) for r in history] == [("이담당", "create")]  # the history came along


def test_disjoint_edits_of_one_record_are_merged_both_ways(pair):
    firm = pair.a.firms.list()[0]
    pair.a.firms.update(firm.id, {"phone": "043-111-1111"})
    pair.b.firms.update(firm.id, {"email": "b@boeun.kr", "employees": 9})
    assert counts(pair.send(pair.b, pair.a)) == (0, 1, 0)
    assert counts(pair.send(pair.a, pair.b)) == (0, 1, 0)
    for side in (pair.a, pair.b):
        merged = side.firms.get(firm.id)
        assert (merged.phone, merged.email, merged.employees) == ("043-111-1111", "b@boeun.kr", 9)
    assert counts(pair.send(pair.b, pair.a)) == (0, 0, 0)


def test_same_field_changed_on_both_sides_is_kept_as_a_conflict(pair):
    firm = pair.a.firms.list()[0]
    pair.a.firms.update(firm.id, {"notes": "A의 메모"})
    pair.b.firms.update(firm.id, {"notes": "B의 메모"})
    assert counts(pair.send(pair.b, pair.a)) == (0, 0, 1)
    assert pair.a.firms.get(firm.id).notes == "A의 메모"  # never silently overwritten
    [conflict] = sync.list_conflicts(pair.a.database)
    assert (conflict.field, conflict.local, conflict.remote, conflict.remote_officer) == (
        "notes", "A의 메모", "B의 메모", "이담당")
    assert counts(pair.send(pair.a, pair.b)) == (0, 0, 1)  # b sees it too and keeps its own
    assert pair.b.firms.get(firm.id).notes == "B의 메모"
    sync.resolve_conflict(pair.a.database, conflict.id, "remote", "김담당")
    assert pair.a.firms.get(firm.id).notes == "B의 메모"
    pair.send(pair.a, pair.b)  # a's decision settles b's copy of the conflict
    pair.send(pair.b, pair.a)
    assert sync.list_conflicts(pair.a.database) == sync.list_conflicts(pair.b.database) == []
    assert pair.a.firms.get(firm.id).notes == pair.b.firms.get(firm.id).notes == "B의 메모"


def test_delete_versus_edit_is_a_conflict_for_the_officer(pair):
    firm = pair.a.firms.list()[0]
    going = sum(pair.a.firms.dependents(firm.id).values())
    pair.a.firms.delete(firm.id)
    pair.b.firms.update(firm.id, {"phone": "043-999-0000"})
    assert counts(pair.send(pair.b, pair.a)) == (0, 1, 1)
    trashed = pair.a.firms.get(firm.id, include_deleted=True)
    assert trashed.deleted_at is not None and trashed.phone == "043-999-0000"  # the edit is kept, in the trash
    # The firm's records went to the trash with it; b did not edit them, so their deletion arrives.
    assert counts(pair.send(pair.a, pair.b)) == (0, going, 1)
    assert pair.b.firms.get(firm.id).deleted_at is None
    [conflict] = sync.list_conflicts(pair.a.database)
    assert conflict.field == "deleted_at"
    sync.resolve_conflict(pair.a.database, conflict.id, "remote", "김담당")  # keep the firm
    assert pair.a.firms.get(firm.id).deleted_at is None
    pair.send(pair.a, pair.b)
    assert sync.list_conflicts(pair.b.database) == []


def test_a_plain_delete_reaches_the_other_copy(pair):
    firm = pair.a.firms.list()[0]
    going = sum(pair.a.firms.dependents(firm.id).values())
    pair.a.firms.delete(firm.id)
    assert counts(pair.send(pair.a, pair.b)) == (0, 1 + going, 0)  # the firm and the records that went with it
    assert pair.b.firms.get(firm.id, include_deleted=True).deleted_at is not None


def test_replaying_a_bundle_changes_nothing(pair, tmp_path):
    firm = pair.a.firms.list()[0]
    pair.a.firms.update(firm.id, {"notes": "A"})
    pair.b.firms.update(firm.id, {"notes": "B", "phone": "043-222-3333"})
    pair.b.firms.create({"name": "새기업", "brn": "124-81-00998"})
    bundle = tmp_path / "b.sync"
    sync.export_bundle(pair.b.database, bundle)
    assert counts(sync.import_bundle(pair.a.database, bundle)) == (1, 1, 1)
    before = fingerprint(pair.a)
    assert counts(sync.import_bundle(pair.a.database, bundle)) == (0, 0, 0)
    assert fingerprint(pair.a) == before


@pytest.mark.parametrize("damage", ["flip", "truncate", "not_a_bundle", "header"])
def test_a_damaged_bundle_is_rejected_whole(pair, tmp_path, damage, capsys):
    pair.b.firms.create({"name": "새기업", "brn": "124-81-00998"})
    bundle = tmp_path / "b.sync"
    sync.export_bundle(pair.b.database, bundle)
    data = bytearray(bundle.read_bytes())
    if damage == "flip":
        data[-100] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) * 2 // 3]
    elif damage == "not_a_bundle":
        data = bytearray(b"PK\x03\x04 spreadsheet")
    else:
        data = data.replace(b'"size": ', b'"size": 1', 1)
    bundle.write_bytes(bytes(data))
    before = fingerprint(pair.a)
    with pytest.raises(BundleError):
        sync.import_bundle(pair.a.database, bundle)
    assert fingerprint(pair.a) == before
    assert cli.main(["--db", str(pair.a_path), "sync", "import", str(bundle)]) == 2
    assert "동기화 파일" in capsys.readouterr().err


def test_the_same_firm_entered_on_both_laptops_becomes_a_conflict_not_a_crash(pair):
    pair.a.firms.create({"name": "보은식품(A)", "brn": "124-81-00998"})
    pair.b.firms.create({"name": "보은식품(B)", "brn": "124-81-00998"})
    assert counts(pair.send(pair.b, pair.a)) == (0, 0, 1)
    [conflict] = sync.list_conflicts(pair.a.database)
    assert conflict.field == "*" and conflict.remote["name"] == "보은식품(B)"
    assert counts(pair.send(pair.b, pair.a)) == (0, 0, 0)  # not raised twice
    sync.resolve_conflict(pair.a.database, conflict.id, "local")
    assert [f.name for f in pair.a.firms.list(search="보은식품")] == ["보은식품(A)"]
    before = fingerprint(pair.a)
    assert counts(pair.send(pair.b, pair.a)) == (0, 0, 0)  # the decision holds on the next bundle
    assert fingerprint(pair.a) == before


def test_cli_clone_sync_conflicts_resolve(demo_path, tmp_path, capsys):
    laptop = tmp_path / "laptop.sqlite3"
    assert cli.main(["--db", str(demo_path), "clone", str(laptop)]) == 0
    assert cli.main(["--db", str(demo_path), "clone", str(laptop)]) == 2  # never overwrites
    brn = "3014568258"
    assert cli.main(["--db", str(demo_path), "firm", "update", brn, "--notes", "사무실"]) == 0
    assert cli.main(["--db", str(laptop), "--officer", "이", "firm", "update", brn, "--notes", "현장"]) == 0
    bundle = tmp_path / "laptop.sync"
    capsys.readouterr()
    assert cli.main(["--db", str(laptop), "sync", "export", "-o", str(bundle)]) == 0
    assert cli.main(["--db", str(demo_path), "sync", "import", str(bundle), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out[out.index("{"):])
    assert (data["added"], data["updated"], data["conflicts"]) == (0, 0, 1)
    assert cli.main(["--db", str(demo_path), "sync", "conflicts", "--json"]) == 0
    [conflict] = json.loads(capsys.readouterr().out)
    assert (conflict["local"], conflict["remote"]) == ("사무실", "현장")
    assert cli.main(["--db", str(demo_path), "sync", "resolve", "--all", "--take", "remote"]) == 0
    assert "1건" in capsys.readouterr().out
    assert cli.main(["--db", str(demo_path), "firm", "show", brn, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["firm"]["notes"] == "현장"
    assert cli.main(["--db", str(demo_path), "sync", "resolve", "no-such-id", "--take", "local"]) == 2


# --- property: the merge rule, field by field -------------------------------------------------

FIELDS = ("phone", "email", "notes", "representative")
VALUES = {"phone": ("043-100-0001", "043-100-0002"), "email": ("a@x.kr", "b@x.kr"),
          "notes": ("가", "나"), "representative": ("김", "이")}
edits = st.lists(st.tuples(st.sampled_from(FIELDS), st.integers(0, 1)), max_size=4)


def simulate(start: str, changes: list[tuple[str, int]], name: str) -> tuple[bool, str]:
    """(whether any edit really changed the field, its final value) — only real changes are history."""
    value, changed = start, False
    for field_name, pick in changes:
        if field_name == name and VALUES[name][pick] != value:
            value, changed = VALUES[name][pick], True
    return changed, value


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits, edits)
def test_merge_rule_property(template_db, tmp_path_factory, ours, theirs):
    folder = tmp_path_factory.mktemp("merge")
    pair = Pair(folder, template_db)
    try:
        firm = pair.a.firms.create({"name": "가", "brn": "124-81-00998", "phone": "043-100-0001",
                                    "email": "a@x.kr", "notes": "가", "representative": "김"}).id
        pair.send(pair.a, pair.b)
        for services, changes in ((pair.a, ours), (pair.b, theirs)):
            for name, pick in changes:
                services.firms.update(firm, {name: VALUES[name][pick]})
        pair.send(pair.b, pair.a)
        merged = pair.a.firms.get(firm)
        conflicts = {c.field for c in sync.list_conflicts(pair.a.database)}
        for name in FIELDS:
            a_changed, a_value = simulate(VALUES[name][0], ours, name)
            b_changed, b_value = simulate(VALUES[name][0], theirs, name)
            expected = b_value if b_changed and not a_changed else a_value
            assert getattr(merged, name) == expected
            assert (name in conflicts) == (a_changed and b_changed and a_value != b_value)
        before = fingerprint(pair.a)
        pair.n -= 1
        assert counts(pair.send(pair.b, pair.a)) == (0, 0, 0)  # replay of the same changes
        assert fingerprint(pair.a) == before
    finally:
        pair.close()


def test_a_bundle_from_an_older_version_gets_a_clear_message(pair, tmp_path):
    old = tmp_path / "old.sync"
    old.write_bytes(b"BOEUN-DESK-SYNC 1\n{}\n" + b"\x1f\x8b" + b"\x00" * 64)
    before = fingerprint(pair.a)
    with pytest.raises(BundleError, match="이전 버전"):
        sync.import_bundle(pair.a.database, old)
    assert fingerprint(pair.a) == before


def test_export_and_import_memory_does_not_grow_with_the_database(tmp_path):
    """Both ends stream record by record: four times the records, about the same peak memory
    (building the whole state in memory, as bundles once did, grows with the file)."""
    import tracemalloc

    from benchmarks.generate import generate

    peaks = []
    for scale in (0.02, 0.08):
        source, target = tmp_path / f"a{scale}.sqlite3", tmp_path / f"b{scale}.sqlite3"
        generate(source, scale)
        shutil.copyfile(source, target)
        a, b = Services(open_database(source), "김담당"), Services(open_database(target), "이담당")
        a.firms.update(a.firms.ids()[0], {"notes": "바뀜"})
        bundle = tmp_path / f"{scale}.sync"
        tracemalloc.start()
        counts = sync.export_bundle(a.database, bundle)
        exported = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        result = sync.import_bundle(b.database, bundle)
        imported = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        a.database.close()
        b.database.close()
        assert result.updated == 1 and result.unchanged == counts["records"] - 1
        peaks.append((counts["records"], exported, imported))
    (small, small_export, small_import), (large, large_export, large_import) = peaks
    assert large > 3.5 * small
    assert large_export < 1.5 * small_export + 1_000_000
    assert large_import < 1.5 * small_import + 1_000_000
