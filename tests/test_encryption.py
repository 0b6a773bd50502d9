"""Encrypted databases, backups, drafts and sealed bundles: nothing readable without the passphrase."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boeun_desk.exchange.bundle import BundleError, BundlePassphraseNeeded
from boeun_desk.exchange.drafts import DraftJournal
from boeun_desk.services import Services, sync
from boeun_desk.storage import backup, cipher, convert, restore
from boeun_desk.storage.engine import open_database
from boeun_desk.storage.errors import PassphraseNeeded, WrongPassphrase
from boeun_desk.storage.lock import lock_path

PASS, OTHER = "correct horse battery", "another passphrase"
ROOT = Path(__file__).resolve().parent.parent


def _names(path: Path) -> list[str]:
    db = open_database(path)
    try:
        return [firm.name for firm in Services(db).firms.list()]
    finally:
        db.close()


def _readable(data: bytes, names: list[str]) -> list[str]:
    return [name for name in names if name.encode() in data]


def test_an_encrypted_database_and_all_beside_it_give_no_firm_name_away(demo_path):
    names = _names(demo_path)
    assert _readable(demo_path.read_bytes(), names)  # the plain file shows them: the check can fail
    backup.create_backup(demo_path)
    drafts = DraftJournal.beside(demo_path, None)
    drafts.save("firm:new", "firms", {"name": names[0]})
    result = convert.convert(demo_path, None, cipher.Key(PASS))
    DraftJournal.beside(demo_path, None).move_to(DraftJournal.beside(demo_path, cipher.Key(PASS)))
    assert result.encrypted and result.copies == 1 and cipher.is_encrypted(demo_path)

    db = open_database(demo_path, exclusive=True, auto_backup=True, key=cipher.Key(PASS))
    services = Services(db, "담당")
    firm = services.firms.list()[0]
    services.firms.update(firm.id, {"notes": "새 메모"})  # a write while open: it sits in the WAL
    wal = Path(f"{demo_path}-wal").read_bytes()
    assert wal and not _readable(wal, names)
    journal = DraftJournal.for_database(db)
    journal.save("firm:" + firm.id, "firms", {"name": firm.name, "representative": "홍길동"})
    assert [d.data["name"] for d in journal.pending()] == [firm.name, names[0]]
    made = backup.create_backup(demo_path)
    db.close(start_page={"firm": names[0]})

    files = [demo_path, made, lock_path(demo_path), *backup.backups_dir(demo_path).glob("*.sqlite3"),
             *journal.folder.glob("*")]
    assert len(files) >= 6
    for path in files:
        assert not _readable(path.read_bytes(), names), path
    assert not lock_path(demo_path).read_text().count("{")  # no start page in the clear
    assert DraftJournal.beside(demo_path, None).pending() == []  # sealed: nothing without the key


def test_a_wrong_passphrase_changes_nothing(demo_path):
    convert.convert(demo_path, None, cipher.Key(PASS))
    before = {p: p.read_bytes() for p in demo_path.parent.rglob("*") if p.is_file()}
    with pytest.raises(WrongPassphrase, match="암호가 맞지 않습니다"):
        open_database(demo_path, exclusive=True, auto_backup=True, key=cipher.Key("wrong passphrase"))
    with pytest.raises(PassphraseNeeded, match="암호가 필요합니다"):
        open_database(demo_path)
    with pytest.raises(WrongPassphrase):
        convert.convert(demo_path, cipher.Key("wrong passphrase"), None)
    after = {p: p.read_bytes() for p in demo_path.parent.rglob("*") if p.is_file() and p.name != demo_path.name + ".lock"}
    assert after == {p: data for p, data in before.items() if p in after}
    assert set(after) <= set(before)


def test_decrypt_and_a_new_passphrase_take_the_backups_along(demo_path):
    names = _names(demo_path)
    convert.convert(demo_path, None, cipher.Key(PASS))
    cipher.remember(demo_path, cipher.Key(PASS))
    backup.create_backup(demo_path, reason="manual")
    cipher.remember(demo_path, None)
    assert convert.convert(demo_path, cipher.Key(PASS), cipher.Key(OTHER)).copies == 1
    with pytest.raises(WrongPassphrase):
        cipher.check_key(demo_path, cipher.Key(PASS))
    [made] = backup.list_backups(demo_path)
    cipher.check_key(made.path, cipher.Key(OTHER))
    assert not convert.convert(demo_path, cipher.Key(OTHER), None).encrypted
    assert not cipher.is_encrypted(made.path) and not cipher.is_encrypted(demo_path)
    assert _names(demo_path) == names


def test_backups_of_an_encrypted_database_restore_with_its_passphrase(demo_path):
    convert.convert(demo_path, None, cipher.Key(PASS))
    db = open_database(demo_path, key=cipher.Key(PASS))
    made = backup.create_backup(demo_path)
    Services(db, "담당").firms.delete(Services(db).firms.ids()[0])
    db.close()
    assert cipher.is_encrypted(made)
    with pytest.raises(PassphraseNeeded):
        restore.restore(demo_path, made)
    cipher.remember(demo_path, cipher.Key(PASS))
    try:
        result = restore.restore(demo_path, made)
    finally:
        cipher.remember(demo_path, None)
    assert cipher.is_encrypted(demo_path) and result.restored_from == made
    db = open_database(demo_path, key=cipher.Key(PASS))
    assert len(Services(db).firms.ids()) == 22
    db.close()


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "boeun_desk", *args], capture_output=True, text=True,
                          env=environment, stdin=subprocess.DEVNULL, timeout=300)


@pytest.mark.parametrize("kind", ["encrypt", "passphrase", "decrypt"])
def test_a_kill_at_any_step_leaves_a_database_that_opens_with_the_old_or_new_passphrase(demo_path, tmp_path, kind):
    names = _names(demo_path)
    old = None if kind == "encrypt" else PASS
    new = None if kind == "decrypt" else (OTHER if kind == "passphrase" else PASS)
    if old is not None:
        convert.convert(demo_path, None, cipher.Key(old))
    cipher.remember(demo_path, cipher.Key(old) if old else None)
    backup.create_backup(demo_path)
    cipher.remember(demo_path, None)
    env = {"BOEUN_DESK_PASSPHRASE": old or "", "BOEUN_DESK_NEW_PASSPHRASE": new or ""}
    killed = 0
    for step in range(1, 10):
        folder = tmp_path / f"step{step}"
        shutil.copytree(demo_path.parent, folder, ignore=shutil.ignore_patterns("step*"))
        path = folder / demo_path.name
        done = _run(["--db", str(path), kind], BOEUN_DESK_TEST_CRASH_AFTER=str(step), **env)
        opens = [p for p in (old, new) if _opens(path, p)]
        assert opens, f"step {step}: opens with neither passphrase"
        if done.returncode == 0:  # fewer steps than that: it finished
            assert opens == [new]
            break
        assert done.returncode == -9, done.stderr
        killed += 1
        if opens == [new] and kind == "encrypt":  # renamed, then killed: the next open encrypts what is left plain
            key = cipher.Key(new)
            open_database(path, auto_backup=True, key=key).close()
            assert [_opens(b.path, new) for b in backup.list_backups(path)] == [True]
    assert killed >= 4
    key = cipher.Key(new) if new else None
    db = open_database(path, key=key)
    assert [f.name for f in Services(db).firms.list()] == names
    db.close()


def _opens(path: Path, passphrase: str | None) -> bool:
    if passphrase is None:
        return not cipher.is_encrypted(path) and not restore.integrity_errors(path)
    if not cipher.is_encrypted(path):
        return False
    try:
        cipher.check_key(path, cipher.Key(passphrase))
    except Exception:  # noqa: BLE001
        return False
    return not restore.integrity_errors(path, key=cipher.Key(passphrase))


def test_the_command_line_asks_for_the_passphrase_or_reads_it(demo_path):
    done = _run(["--db", str(demo_path), "encrypt"], BOEUN_DESK_NEW_PASSPHRASE="short")
    assert done.returncode == 2 and "8자 이상" in done.stderr and not cipher.is_encrypted(demo_path)
    done = _run(["--db", str(demo_path), "encrypt"], BOEUN_DESK_NEW_PASSPHRASE=PASS)
    assert done.returncode == 0 and "되찾을 수 없습니다" in done.stderr and cipher.is_encrypted(demo_path)
    done = _run(["--db", str(demo_path), "firm", "list"])
    assert done.returncode == 2 and "BOEUN_DESK_PASSPHRASE" in done.stderr
    done = _run(["--db", str(demo_path), "firm", "list"], BOEUN_DESK_PASSPHRASE="wrong passphrase")
    assert done.returncode == 1 and "암호가 맞지 않습니다" in done.stderr and "Traceback" not in done.stderr
    done = _run(["--db", str(demo_path), "firm", "list"], BOEUN_DESK_PASSPHRASE=PASS)
    assert done.returncode == 0 and "총 22개 기업" in done.stdout
    bundle = demo_path.parent / "out.sync"
    done = _run(["--db", str(demo_path), "sync", "export", "--encrypt", "-o", str(bundle)],
                BOEUN_DESK_PASSPHRASE=PASS, BOEUN_DESK_BUNDLE_PASSPHRASE="bundle passphrase")
    assert done.returncode == 0, done.stderr
    assert bundle.read_bytes().startswith(b"BOEUN-DESK-SEALED 1\n")


def test_a_sealed_bundle_gives_nothing_away_and_is_refused_whole_when_changed(demo_path, tmp_path, template_db):
    names = _names(demo_path)
    db = open_database(demo_path)
    bundle = tmp_path / "x.sync"
    sync.export_bundle(db, bundle, passphrase="bundle passphrase")
    db.close()
    data = bundle.read_bytes()
    assert not _readable(data, names)
    other_path = tmp_path / "other.sqlite3"
    other_path.write_bytes(template_db.read_bytes())
    other = open_database(other_path)
    try:
        with pytest.raises(BundlePassphraseNeeded):
            sync.import_bundle(other, bundle)
        with pytest.raises(BundleError, match="암호가 맞지 않습니다"):
            sync.import_bundle(other, bundle, passphrase="wrong passphrase")
        changed = tmp_path / "changed.sync"
        for damaged in (data[:-1], data[:len(data) // 2], data[:200], data[:-16] + bytes(16),
                        data[:3000] + bytes([data[3000] ^ 1]) + data[3001:]):
            changed.write_bytes(damaged)
            with pytest.raises(BundleError):
                sync.import_bundle(other, changed, passphrase="bundle passphrase")
        assert Services(other).firms.ids() == []  # nothing of any of them came in
        result = sync.import_bundle(other, bundle, passphrase="bundle passphrase")
        assert result.added > 0 and sorted(f.name for f in Services(other).firms.list()) == sorted(names)
    finally:
        other.close()


def test_a_large_sealed_bundle_streams_in_chunks(tmp_path):
    from boeun_desk.storage import seal

    plain = os.urandom(3 * seal.CHUNK + 123)
    target = tmp_path / "big"
    with open(target, "w+b") as raw:
        writer = seal.SealedWriter(raw, "long passphrase", params={"n": 1 << 10, "r": 8, "p": 1})
        writer.write(b"x" * 10)
        writer.write(plain)
        writer.seek(2)
        writer.write(b"yy")  # back into the first chunk, as the bundle writer does for its header
        writer.seek(0, 2)
        mark = writer.tell()
        writer.write(b"dropped")
        writer.seek(mark)
        writer.truncate()
        writer.close()
    with open(target, "rb") as raw:
        reader = seal.SealedReader(raw, "long passphrase")
        assert reader.size == len(plain) + 10
        assert reader.read() == b"xxyyxxxxxx" + plain
        reader.seek(seal.CHUNK + 5)
        assert reader.read(10) == (b"x" * 10 + plain)[seal.CHUNK + 5:seal.CHUNK + 15]
