"""Attachments travel: two copies exchange a visit with a real image, checked in the receiving copy's
visit record PDF; damaged file bytes refuse a bundle whole; paths come only from proper hashes;
bundles stream (memory does not grow with the files carried)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import tracemalloc
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from boeun_desk import cli
from boeun_desk.exchange.bundle import _HEADER_WIDTH, MAGIC, BundleError
from boeun_desk.services import sync
from boeun_desk.storage import filestore
from boeun_desk.validation import InvalidValue
from tests.test_reports import pdf_text
from tests.test_sync import Pair, fingerprint

CANNOT_OPEN = "사진을 열 수 없습니다"


@pytest.fixture
def pair(demo_template, tmp_path):
    made = Pair(tmp_path, demo_template)
    yield made
    made.close()


def photo(path: Path, colour: tuple[int, int, int] = (30, 120, 200)) -> Path:
    from PIL import Image

    Image.new("RGB", (320, 200), colour).save(path)
    return path


def run_json(capsys, *argv: str):
    assert cli.main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def split(path: Path) -> tuple[bytes, bytes]:
    """A bundle's gzip stream of records and the file frames after it."""
    data = path.read_bytes()
    body = data[data.index(b"\n", len(MAGIC)) + 1:]
    unpack = zlib.decompressobj(wbits=31)
    unpack.decompress(body)
    return body[:len(body) - len(unpack.unused_data)], unpack.unused_data


def rewrite(path: Path, records: bytes, files: bytes) -> None:
    """A hand-made bundle whose checksum and size are right for the body it is given."""
    body = records + files
    head = json.loads(gzip.decompress(records).split(b"\n", 1)[0])
    header = json.dumps({"sha256": hashlib.sha256(body).hexdigest(), "size": len(body),
                         "replica": head["replica"], "created": head["created"]}).encode()
    path.write_bytes(MAGIC + header.ljust(_HEADER_WIDTH) + b"\n" + body)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob(f"{filestore.TEMP_PREFIX}*")] if folder.exists() else []


def test_a_visit_photo_travels_to_the_other_copy_and_into_its_visit_record(pair, tmp_path, capsys):
    visit = pair.a.visits.list()[0]
    image = photo(tmp_path / "현장.png")
    expected = hashlib.sha256(image.read_bytes()).hexdigest()
    a, b = ["--db", str(pair.a_path)], ["--db", str(pair.b_path)]
    attached = run_json(capsys, *a, "visit", "attach", visit.id, str(image), "--caption", "살균 설비", "--json")
    assert attached["content_hash"] == expected and attached["present"]
    bundle = tmp_path / "a.sync"
    assert cli.main([*a, "sync", "export", "-o", str(bundle)]) == 0
    assert "첨부파일 1개" in capsys.readouterr().out
    assert run_json(capsys, *b, "sync", "import", str(bundle), "--json")["files"] == 1

    stored = pair.b.attachments.files_dir / expected[:2] / expected  # (a) checked, under its hash
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == expected
    assert leftovers(pair.b.attachments.files_dir) == []
    if os.name == "posix":  # photos of firms are as private as the database
        assert {oct(p.stat().st_mode & 0o777) for p in (stored, stored.parent, stored.parent.parent)} == {
            oct(0o600), oct(0o700)}
    listed = run_json(capsys, *b, "visit", "attachments", visit.id, "--json")  # (b)
    assert [(x["filename"], x["caption"], x["content_hash"], x["size"], x["media_type"], x["present"])
            for x in listed] == [("현장.png", "살균 설비", expected, image.stat().st_size, "image/png", True)]

    pdf = tmp_path / "b-visit.pdf"  # (c) the receiving copy's document shows the photo
    assert cli.main([*b, "report", "visit", "--id", visit.id, "-o", str(pdf)]) == 0
    images = [x for page in PdfReader(pdf).pages for x in page["/Resources"].get("/XObject", {}).values()
              if x.get_object()["/Subtype"] == "/Image"]
    text = pdf_text(pdf)
    assert images and "살균 설비" in text and CANNOT_OPEN not in text


def test_damaged_file_bytes_refuse_the_bundle_whole(pair, tmp_path):
    visit = pair.b.visits.list()[0]
    pair.b.firms.create({"name": "새기업", "brn": "124-81-00998"})
    for n, colour in enumerate(((200, 0, 0), (0, 200, 0))):
        pair.b.attachments.attach("visit", visit.id, photo(tmp_path / f"{n}.png", colour))
    bundle = tmp_path / "b.sync"
    assert sync.export_bundle(pair.b.database, bundle)["files"] == 2
    records, files = split(bundle)
    second = files.index(b"FILE ", 1)
    damaged = bytearray(files)
    damaged[second + 100] ^= 0x01  # a byte of the second file; the checksum is made right again
    rewrite(bundle, records, bytes(damaged))
    before = fingerprint(pair.a)
    with pytest.raises(BundleError, match="첨부파일이 손상되었습니다.*아무것도 가져오지 않았습니다"):
        sync.import_bundle(pair.a.database, bundle)
    assert fingerprint(pair.a) == before
    folder = pair.a.attachments.files_dir
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))  # not even the first file


def test_a_file_frame_that_does_not_fit_is_damage(pair, tmp_path):
    pair.b.attachments.attach("visit", pair.b.visits.list()[0].id, photo(tmp_path / "p.png"))
    bundle = tmp_path / "b.sync"
    sync.export_bundle(pair.b.database, bundle)
    records, files = split(bundle)
    for bad in (files + b"FILE " + b"0" * 64 + b" 5\nabc", files.replace(b"FILE ", b"FILE ../", 1),
                files[:-1], b"extra bytes after the records"):
        rewrite(bundle, records, bad)
        with pytest.raises(BundleError, match="잘렸거나 바뀌었습니다"):
            sync.import_bundle(pair.a.database, bundle)


def test_a_file_missing_on_the_sender_is_left_out_and_counted(pair, tmp_path, capsys):
    visit = pair.a.visits.list()[0]
    kept = pair.a.attachments.get(pair.a.attachments.attach("visit", visit.id, photo(tmp_path / "1.png")).id)
    lost = pair.a.attachments.get(pair.a.attachments.attach(
        "visit", visit.id, photo(tmp_path / "2.png", (9, 9, 9))).id)
    gone = pair.a.attachments.get(pair.a.attachments.attach(
        "visit", visit.id, photo(tmp_path / "3.png", (1, 2, 3))).id)
    pair.a.attachments.delete(gone.id)  # only live attachments' files travel
    pair.a.attachments.path_of(lost.content_hash).unlink()
    bundle = tmp_path / "a.sync"
    counts = sync.export_bundle(pair.a.database, bundle)
    assert (counts["files"], counts["files_missing"]) == (1, 1)
    assert sync.import_bundle(pair.b.database, bundle).files == 1
    present = {x["content_hash"]: x["present"] for x in
               run_json(capsys, "--db", str(pair.b_path), "visit", "attachments", visit.id, "--json")}
    assert present == {kept.content_hash: True, lost.content_hash: False}
    assert pair.b.attachments.find(gone.content_hash) is None


def test_a_hash_that_is_not_64_hex_digits_never_makes_a_path(demo, tmp_path):
    outside = tmp_path / "private_photo.png"
    photo(outside)
    visit = demo.visits.list()[0]
    changes = demo.attachments.attach("visit", visit.id, photo(tmp_path / "ok.png"))
    for bad in ("../../private_photo.png", "A" * 64, "0" * 63, "0" * 64 + "\n", "", str(outside)):
        with pytest.raises(InvalidValue):
            demo.attachments.path_of(bad)
        assert demo.attachments.find(bad) is None
    # A record stored by an older version (or by hand) that names a file outside the folder.
    folder = demo.attachments.files_dir
    escape = os.path.join("..", tmp_path.name, outside.name)
    assert (folder / escape[:2] / escape).resolve() == outside.resolve()  # what a path from it would reach
    with sqlite3.connect(demo.database.path) as conn:
        conn.execute("UPDATE attachment SET content_hash = ? WHERE id = ?", (escape, changes.id))
    pdf = tmp_path / "visit.pdf"
    assert cli.main(["--db", str(demo.database.path), "report", "visit", "--id", visit.id, "-o", str(pdf)]) == 0
    assert CANNOT_OPEN in pdf_text(pdf)
    assert not any("/XObject" in page["/Resources"] for page in PdfReader(pdf).pages)


def test_attach_stores_the_bytes_it_hashed_even_if_the_source_changes_meanwhile(demo, tmp_path, monkeypatch):
    source = tmp_path / "scan.jpg"
    source.write_bytes(os.urandom(3 * filestore.CHUNK))
    real = filestore.chunks_of

    def saved_again_while_read(handle, size=None):
        for n, chunk in enumerate(real(handle, size)):
            if n == 0:  # another program saves the file after the first chunk was read
                source.write_bytes(os.urandom(3 * filestore.CHUNK))
            yield chunk

    monkeypatch.setattr(filestore, "chunks_of", saved_again_while_read)
    view = demo.attachments.get(demo.attachments.attach("visit", demo.visits.list()[0].id, source).id)
    stored = demo.attachments.path_of(view.content_hash)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == view.content_hash == stored.name
    assert view.size == stored.stat().st_size
    assert leftovers(demo.attachments.files_dir) == []


def test_the_command_line_refuses_an_unknown_visit_or_a_missing_file(demo_path, tmp_path, capsys):
    db = ["--db", str(demo_path)]
    with sqlite3.connect(demo_path) as conn:
        visit_id = conn.execute("SELECT id FROM visit LIMIT 1").fetchone()[0]
    image = photo(tmp_path / "p.png")
    for argv in (["visit", "attach", "0" * 36, str(image)], ["visit", "attach", visit_id, str(tmp_path / "없음.png")],
                 ["visit", "attach", visit_id, str(tmp_path)], ["visit", "attachments", "없는방문"]):
        assert cli.main([*db, *argv]) == 2
        err = capsys.readouterr().err
        assert any("\uac00" <= c <= "\ud7a3" for c in err) and "Traceback" not in err
    assert run_json(capsys, *db, "visit", "attachments", visit_id, "--json") == []


def test_a_bundle_of_the_previous_format_is_refused_in_korean(pair, tmp_path):
    old = tmp_path / "old.sync"
    old.write_bytes(b"BOEUN-DESK-SYNC 2\n{}\n" + b"\x1f\x8b" + b"\x00" * 64)
    with pytest.raises(BundleError, match="이전 버전"):
        sync.import_bundle(pair.a.database, old)


def test_bundles_stream_the_files(pair, tmp_path):
    """50 MB of files go out and come in with a few MB of Python memory."""
    visit = pair.a.visits.list()[0]
    total = 0
    for n in range(10):
        source = tmp_path / f"photo{n}.jpg"
        source.write_bytes(os.urandom(5 << 20))
        total += 5 << 20
        pair.a.attachments.attach("visit", visit.id, source)
        source.unlink()
    bundle = tmp_path / "big.sync"
    peaks = []
    for step in (lambda: sync.export_bundle(pair.a.database, bundle),
                 lambda: sync.import_bundle(pair.b.database, bundle)):
        tracemalloc.start()
        try:
            step()
            peaks.append(tracemalloc.get_traced_memory()[1])
            print(f"peak {peaks[-1] / 1e6:.1f} MB of Python memory for {total / 1e6:.0f} MB of files")
        finally:
            tracemalloc.stop()
    assert bundle.stat().st_size > total
    assert max(peaks) < total / 5, peaks  # chunks of 1 MB, not the files
    assert all(pair.b.attachments.find(a.content_hash) for a in pair.b.attachments.for_owner(visit.id))
