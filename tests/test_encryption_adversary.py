"""Encryption as an adversary (or a tired officer) meets it: passphrases written two ways, the
environment set wrongly, a plain bundle where a sealed one was expected, a damaged encrypted file,
two copies of the program, a conversion or a backup given up half-way."""

from __future__ import annotations

import unicodedata

import pytest

from boeun_desk.exchange.bundle import BundleError
from boeun_desk.progress import Cancelled
from boeun_desk.services import Services, sync
from boeun_desk.storage import backup, cipher, convert, identity, restore
from boeun_desk.storage.engine import ENCRYPTED_CACHE_KIB, open_database
from boeun_desk.storage.errors import DamagedDatabase, DatabaseError, WrongPassphrase
from boeun_desk.storage.lock import InstanceLock
from tests.test_encryption import _names, _run

HANGUL = "보은 대추 🔑 암호 2026"  # Hangul syllables, a space, an emoji (4 bytes in UTF-8)


def test_a_hangul_and_emoji_passphrase_opens_however_its_hangul_was_written(demo_path, tmp_path, template_db):
    names = _names(demo_path)
    decomposed = unicodedata.normalize("NFD", HANGUL)  # jamo, as text copied from a macOS file name
    assert decomposed != HANGUL and len(decomposed) > len(HANGUL)
    done = _run(["--db", str(demo_path), "encrypt"], BOEUN_DESK_NEW_PASSPHRASE=HANGUL)
    assert done.returncode == 0, done.stderr
    db = open_database(demo_path, key=cipher.Key(decomposed))
    try:
        assert [f.name for f in Services(db).firms.list()] == names
        bundle = tmp_path / "x.sync"
        sync.export_bundle(db, bundle, passphrase=decomposed)
    finally:
        db.close()
    assert cipher.Key(HANGUL).matches(decomposed)
    done = _run(["--db", str(demo_path), "firm", "list"], BOEUN_DESK_PASSPHRASE=HANGUL)
    assert done.returncode == 0 and names[0] in done.stdout
    other_path = tmp_path / "other.sqlite3"
    other_path.write_bytes(template_db.read_bytes())
    other = open_database(other_path)
    try:
        assert sync.import_bundle(other, bundle, passphrase=HANGUL).added > 0
    finally:
        other.close()
    assert cipher.check_passphrase(unicodedata.normalize("NFD", "가나다라마바사")) is not None  # 7 letters
    assert cipher.check_passphrase(unicodedata.normalize("NFD", "가나다라마바사아")) is None


def test_a_wrong_passphrase_in_the_environment_is_named_and_changes_nothing(demo_path):
    convert.convert(demo_path, None, cipher.Key(HANGUL))
    before = demo_path.read_bytes()
    done = _run(["--db", str(demo_path), "firm", "list"], BOEUN_DESK_PASSPHRASE="wrong passphrase")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "암호가 맞지 않습니다" in done.stderr and "BOEUN_DESK_PASSPHRASE 환경 변수" in done.stderr
    done = _run(["--db", str(demo_path), "passphrase"], BOEUN_DESK_PASSPHRASE="wrong passphrase",
                BOEUN_DESK_NEW_PASSPHRASE="a new passphrase")
    assert done.returncode == 1 and "암호가 맞지 않습니다" in done.stderr
    assert demo_path.read_bytes() == before and not backup.list_backups(demo_path)
    done = _run(["--db", str(demo_path), "decrypt"], BOEUN_DESK_PASSPHRASE="")  # empty: not given
    assert done.returncode == 2 and "BOEUN_DESK_PASSPHRASE" in done.stderr and demo_path.read_bytes() == before


def test_a_plain_bundle_where_a_sealed_one_was_expected_is_refused(demo_path, tmp_path, template_db):
    db = open_database(demo_path)
    plain = tmp_path / "plain.sync"
    sync.export_bundle(db, plain)
    db.close()
    other_path = tmp_path / "other.sqlite3"
    other_path.write_bytes(template_db.read_bytes())
    other = open_database(other_path)
    try:
        with pytest.raises(BundleError, match="봉인되지 않은 동기화 파일입니다"):
            sync.import_bundle(other, plain, passphrase="bundle passphrase")
        assert Services(other).firms.ids() == []
    finally:
        other.close()
    done = _run(["--db", str(other_path), "sync", "import", str(plain)], BOEUN_DESK_BUNDLE_PASSPHRASE="some passphrase")
    assert done.returncode == 2 and "봉인되지 않은" in done.stderr
    done = _run(["--db", str(other_path), "sync", "import", str(plain)])  # no passphrase: a plain bundle is fine
    assert done.returncode == 0, done.stderr


def test_a_wrong_passphrase_keeps_the_clean_close_so_the_next_open_is_not_slower(demo_path):
    convert.convert(demo_path, None, cipher.Key(HANGUL))
    open_database(demo_path, exclusive=True, key=cipher.Key(HANGUL)).close()
    with pytest.raises(WrongPassphrase):
        open_database(demo_path, exclusive=True, key=cipher.Key("wrong passphrase"))
    lock = InstanceLock.acquire(demo_path)
    try:
        assert lock.closed_cleanly
    finally:
        lock.release()


def test_a_second_copy_of_the_program_cannot_open_the_encrypted_file(demo_path):
    convert.convert(demo_path, None, cipher.Key(HANGUL))
    first = open_database(demo_path, exclusive=True, key=cipher.Key(HANGUL))
    try:
        with pytest.raises(DatabaseError, match="다른 보은 데스크 프로그램이 사용 중"):
            open_database(demo_path, exclusive=True, key=cipher.Key(HANGUL))
        with pytest.raises(DatabaseError, match="사용 중"):  # nor convert it under the window
            convert.convert(demo_path, cipher.Key(HANGUL), None)
        done = _run(["--db", str(demo_path), "passphrase"], BOEUN_DESK_PASSPHRASE=HANGUL,
                    BOEUN_DESK_NEW_PASSPHRASE="a new passphrase")
        assert done.returncode == 1 and "사용 중" in done.stderr
        assert "되찾을 수 없습니다" not in done.stderr  # told before a new passphrase was asked for
        with first.engine.connect() as connection:  # and the window's connections keep decrypted pages
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -ENCRYPTED_CACHE_KIB
    finally:
        first.close()
    assert cipher.is_encrypted(demo_path)


def _damage_first_page(path):
    data = bytearray(path.read_bytes())
    data[100:200] = bytes(100)  # inside page 1, after the salt: its HMAC fails as with a wrong key
    path.write_bytes(bytes(data))


def test_a_damaged_encrypted_file_is_told_apart_from_a_wrong_passphrase_and_restored(demo_path):
    names = _names(demo_path)
    key = cipher.Key(HANGUL)
    convert.convert(demo_path, None, key)
    cipher.remember(demo_path, key)
    backup.create_backup(demo_path, reason="test")
    cipher.remember(demo_path, None)
    _damage_first_page(demo_path)
    with pytest.raises(WrongPassphrase):  # the officer's typing slip is still a wrong passphrase
        open_database(demo_path, key=cipher.Key("wrong passphrase"))
    with pytest.raises(DamagedDatabase, match="restore --latest"):  # the right one: the file is damaged
        open_database(demo_path, key=cipher.Key(HANGUL))
    done = _run(["--db", str(demo_path), "restore", "--latest"], BOEUN_DESK_PASSPHRASE=HANGUL)
    assert done.returncode == 0, done.stderr
    db = open_database(demo_path, key=cipher.Key(HANGUL))
    try:
        assert [f.name for f in Services(db).firms.list()] == names
    finally:
        db.close()


def test_a_file_damaged_past_looking_encrypted_still_asks_for_the_passphrase_its_backups_need(demo_path):
    convert.convert(demo_path, None, cipher.Key(HANGUL))
    assert identity.passphrase_needed(demo_path)
    cipher.remember(demo_path, cipher.Key(HANGUL))
    backup.create_backup(demo_path, reason="test")
    cipher.remember(demo_path, None)
    demo_path.write_bytes(demo_path.read_bytes()[:-100])  # cut: no longer whole pages
    assert not cipher.is_encrypted(demo_path) and identity.passphrase_needed(demo_path)
    plain = demo_path.with_name("plain.sqlite3")
    open_database(plain).close()
    assert not identity.passphrase_needed(plain)


def test_a_conversion_given_up_leaves_the_file_as_it_was_and_an_encrypted_backup_stops_too(demo_path):
    names, before = _names(demo_path), demo_path.read_bytes()
    with pytest.raises(Cancelled):
        convert.convert(demo_path, None, cipher.Key(HANGUL), cancelled=lambda: True)
    after = demo_path.read_bytes()
    assert not cipher.is_encrypted(demo_path) and _names(demo_path) == names
    assert after[18:20] == before[18:20] == b"\x02\x02"  # in WAL mode again, as the program keeps it
    assert sorted(p.name for p in demo_path.parent.iterdir() if p.name.startswith(".")) == []
    stages = []
    convert.convert(demo_path, None, cipher.Key(HANGUL),
                    progress=lambda done, total, stage="", stoppable=True: stages.append((stage, stoppable)))
    assert ("데이터베이스 파일을 바꿔 넣는 중", False) in stages and cipher.is_encrypted(demo_path)
    cipher.remember(demo_path, cipher.Key(HANGUL))
    try:
        with pytest.raises(Cancelled):
            backup.create_backup(demo_path, cancelled=lambda: True)
        assert backup.list_backups(demo_path) == []
        reported = []
        made = backup.create_backup(demo_path, progress=lambda done, total, **_: reported.append((done, total)))
        assert cipher.is_encrypted(made) and any(done == total > 0 for done, total in reported)  # pages counted
        with pytest.raises(Cancelled):
            restore.restore(demo_path, made, cancelled=lambda: True)
    finally:
        cipher.remember(demo_path, None)
