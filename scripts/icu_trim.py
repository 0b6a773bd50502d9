"""A smaller ICU data library for the Linux build (issue #18); build.spec applies it.

PySide6's QtCore on Linux links ICU, and libicudata (31 MB) holds all of ICU's data while QtCore asks
ICU for four things only: collation (QCollator: Qt's file dialog sorts names in the desktop's
language; traced with gdb: coll/ucadata.icu, coll/ko.res, coll/root.res), codecs by a legacy name
(QStringConverter), time-zone names (QTimeZone) and case mapping (whose tables live in libicuuc).
The rest (break iterators, transliterators, units, currencies, language and region names, number
spell-out) is for ICU's own formatting APIs, which Qt does not call. This keeps the data of those four
uses for every language (collation, codecs) or for Korean and English (time-zone names) and writes a
new library with the same name and symbol, assembled with binutils' `as` and `ld` (PyInstaller needs
binutils on Linux). Windows builds have no ICU library: nothing to do there.

The data is ICU's "common data" package: a header, a table of contents (count, then name and data
offsets, names sorted) and the items, each 16-byte aligned.
"""

from __future__ import annotations

import fnmatch
import re
import struct
import subprocess
from pathlib import Path

KEPT = (
    "coll/*",  # collation, every language: the desktop's language sorts the file dialog
    "*.cnv", "cnvalias.icu",  # codecs by name (text pasted as EUC-KR, CP949, ...)
    "zoneinfo64.res", "metaZones.res", "timezoneTypes.res", "windowsZones.res",  # time zones
    "zone/root.res", "zone/ko.res", "zone/ko_*.res", "zone/en.res", "zone/en_*.res", "zone/pool.res",
    "zone/res_index.res",
    # locale data the above fall back through: the root and Korean and English locales, their shared
    # key pool, the list of locales, likely subtags, keywords, calendar and week data
    "root.res", "ko.res", "ko_*.res", "en.res", "en_*.res", "pool.res", "res_index.res", "likelySubtags.res",
    "supplementalData.res", "keyTypeData.res", "metadata.res", "numberingSystems.res",
    "*.nrm",  # normalization forms beyond NFC (NFC's tables are built into libicuuc)
)


def items(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, data) items of an ICU common data package (little-endian)."""
    header_size, magic = struct.unpack_from("<H2s", blob, 0)
    if magic != b"\xda\x27" or blob[12:16] != b"CmnD" or blob[4 + 4] != 0:  # isBigEndian = 0
        raise ValueError("not a little-endian ICU common data package")
    (count,) = struct.unpack_from("<I", blob, header_size)
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    starts = sorted({offset for _name, offset in toc}) + [len(blob) - header_size]
    ends = {start: starts[i + 1] for i, start in enumerate(starts[:-1])}
    found = []
    for name_at, data_at in toc:
        name_start = header_size + name_at
        name = blob[name_start:blob.index(b"\0", name_start)].decode("ascii")
        found.append((name, blob[header_size + data_at:header_size + ends[data_at]]))
    return blob[:header_size], found


def package(header: bytes, entries: list[tuple[str, bytes]]) -> bytes:
    """An ICU common data package of `entries` (names in ICU's sorted order, as read)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in entries)
    toc_size = 4 + 8 * len(entries)
    data_at = -(-(toc_size + len(names)) // 16) * 16
    toc, body, name_at = [struct.pack("<I", len(entries))], [], toc_size
    for name, data in entries:
        toc.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = data + b"\xaa" * (-len(data) % 16)  # ICU's own filler
        body.append(padded)
        data_at += len(padded)
    table = b"".join(toc) + names
    return header + table + b"\xaa" * (-len(table) % 16) + b"".join(body)


def trim(blob: bytes, kept: tuple[str, ...] = KEPT) -> bytes:
    header, entries = items(blob)
    prefix = entries[0][0].split("/")[0] + "/"  # icudt73l/
    return package(header, [(name, data) for name, data in entries
                            if any(fnmatch.fnmatchcase(name[len(prefix):], pattern) for pattern in kept)])


def _elf_symbol_blob(library: Path, symbol: str) -> bytes:
    """The bytes of a data symbol of an ELF shared library (through `nm` and the section table)."""
    listing = subprocess.run(["nm", "-D", "-S", "--defined-only", str(library)], check=True,
                             capture_output=True, text=True).stdout
    match = re.search(rf"^([0-9a-f]+) ([0-9a-f]+) R {symbol}$", listing, re.MULTILINE)
    if not match:
        raise ValueError(f"{library.name}: no symbol {symbol}")
    address, size = int(match.group(1), 16), int(match.group(2), 16)
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], check=True, capture_output=True,
                              text=True).stdout
    for line in sections.splitlines():  # [ 5] .rodata PROGBITS 0000000000001000 001000 1e8bb80 ...
        fields = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if fields:
            start, offset, length = (int(fields.group(i), 16) for i in (2, 3, 4))
            if start <= address and address + size <= start + length:
                with library.open("rb") as file:
                    file.seek(offset + address - start)
                    return file.read(size)
    raise ValueError(f"{library.name}: {symbol} is in no section")


def build_library(source: Path, work: Path, kept: tuple[str, ...] = KEPT) -> Path:
    """libicudata.so.NN with only the `kept` items, written under `work`; returns its path."""
    version = re.fullmatch(r"libicudata\.so\.(\d+)", source.name)
    if not version:
        raise ValueError(f"{source.name} is not libicudata.so.NN")
    symbol = f"icudt{version.group(1)}_dat"
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"icudt{version.group(1)}l.dat"
    data.write_bytes(trim(_elf_symbol_blob(source, symbol), kept))
    assembly = work / "icudata.s"
    assembly.write_text(f"""\t.section .rodata
\t.globl {symbol}
\t.type {symbol}, @object
\t.balign 16
{symbol}:
\t.incbin "{data}"
\t.size {symbol}, . - {symbol}
\t.section .note.GNU-stack,"",@progbits
""")
    target = work / source.name
    subprocess.run(["as", "-o", str(work / "icudata.o"), str(assembly)], check=True)
    subprocess.run(["ld", "-shared", "-z", "noexecstack", "-soname", source.name, "-o", str(target),
                    str(work / "icudata.o")], check=True)
    return target


def trim_in(toc: list[tuple[str, str, str]], work: Path) -> list[tuple[str, str, str]]:
    """PyInstaller's binaries with libicudata.so.NN taken from the trimmed copy; the full one stays (with
    a note) when it cannot be made (no binutils, an unknown data layout)."""
    result = []
    for dest, source, kind in toc:
        if re.fullmatch(r"libicudata\.so\.\d+", Path(dest).name):
            try:
                source = str(build_library(Path(source), work))
            except (OSError, ValueError, subprocess.CalledProcessError) as error:
                print(f"icu_trim: keeping the full {Path(dest).name} ({error})")
        result.append((dest, source, kind))
    return result
