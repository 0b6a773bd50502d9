"""What the packaged folder leaves out (scripts/slim_build.py) and the trimmed ICU data (scripts/icu_trim.py).

The frozen build itself is proved by scripts/build.sh (its self-test and start-up); these check the rules."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slim = load("slim_build")
icu = load("icu_trim")


@pytest.mark.parametrize(("dest", "out"), [
    # Linux names
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", False),  # Korean typing
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
    ("PySide6/Qt/translations/qtbase_ko.qm", False),
    ("PySide6/Qt/translations/qtbase_de.qm", True),
    ("PySide6/Qt/translations/qt_help_ko.qm", True),
    ("PySide6/Qt/lib/libQt6Quick.so.6", False),  # only through what links to it (prune)
    ("resources/translations/en/main.json", False),
    ("libpython3.11.so.1.0", False),
    # Windows names and separators (PySide6's Windows wheels have no Qt/ level)
    (r"PySide6\plugins\platforms\qwindows.dll", False),
    (r"PySide6\plugins\platforms\qminimal.dll", True),
    (r"PySide6\plugins\imageformats\qico.dll", False),
    (r"PySide6\plugins\imageformats\qwebp.dll", True),
    (r"PySide6\plugins\platforminputcontexts\qtvirtualkeyboardplugin.dll", True),
    (r"PySide6\plugins\generic\qtuiotouchplugin.dll", True),
    (r"PySide6\translations\qtbase_ko.qm", False),
    (r"PySide6\translations\qtbase_ja.qm", True),
])
def test_left_out_by_place_and_name_on_linux_and_windows(dest, out):
    assert slim.left_out(dest) is out


def test_stem_drops_lib_and_suffixes():
    assert slim.stem("libqxcb.so") == "qxcb"
    assert slim.stem("libQt6Quick.so.6") == "Qt6Quick"
    assert slim.stem("qwindows.dll") == "qwindows"
    assert slim.stem("libqcocoa.dylib") == "qcocoa"


def entry(dest: str) -> tuple[str, str, str]:
    return (dest, "/src/" + dest.replace("/", "_"), "BINARY")


LINKS = {  # who links to whom, as `imports(source)` reports it (names only, any case)
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so": ["libQt6Quick.so.6", "libQt6Gui.so.6"],
    "PySide6/Qt/lib/libQt6Quick.so.6": ["libQt6Qml.so.6", "libQt6Gui.so.6"],
    "PySide6/Qt/lib/libQt6Qml.so.6": ["libQt6Network.so.6"],
    "PySide6/Qt/lib/libQt6Pdf.so.6": ["libQt6Network.so.6", "libQt6Gui.so.6"],
    "PySide6/QtPdf.abi3.so": ["libQt6Pdf.so.6"],
    "PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6Gui.so.6", "libc.so.6"],
    "PySide6/Qt/lib/libQt6Gui.so.6": [],
    "PySide6/Qt/lib/libQt6Network.so.6": [],
    "libssl.so.3": [],  # loaded by name: nothing links to it, it stays
}


def imports(source: str) -> list[str]:
    for dest, names in LINKS.items():
        if source == "/src/" + dest.replace("/", "_"):
            return names
    raise AssertionError(source)


def test_prune_drops_a_plugin_and_the_libraries_only_it_needs():
    kept, dropped = slim.prune([entry(d) for d in LINKS], imports)
    assert dropped == ["PySide6/Qt/lib/libQt6Qml.so.6", "PySide6/Qt/lib/libQt6Quick.so.6",
                       "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so"]
    kept_names = {dest for dest, _src, _kind in kept}
    # QtNetwork stays: QtPdf still links to it; Gui stays for xcb; a library loaded by name stays
    assert {"PySide6/Qt/lib/libQt6Network.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "libssl.so.3"} <= kept_names


def test_prune_refuses_to_drop_a_library_something_kept_links_to():
    with pytest.raises(SystemExit, match="libqxcb.so needs PySide6/Qt/lib/libQt6Gui.so.6"):
        slim.prune([entry(d) for d in LINKS], imports, out=lambda dest: dest.endswith("libQt6Gui.so.6"))


def common_data(names: list[str]) -> bytes:
    """A small ICU common data package: a 32-byte header, then the items (each a few bytes)."""
    header = struct.pack("<H2sHHBBBB4s4s4s", 32, b"\xda\x27", 20, 0, 0, 0, 2, 0, b"CmnD", b"\1\0\0\0",
                         b"\0\0\0\0").ljust(32, b"\0")
    entries = [(name, (name * 3).encode()) for name in sorted(names)]
    return icu.package(header, entries)


def test_icu_package_round_trip_and_trim():
    blob = common_data(["icudt73l/coll/ko.res", "icudt73l/brkitr/word.brk", "icudt73l/cnvalias.icu",
                        "icudt73l/de.res", "icudt73l/ko.res", "icudt73l/zone/de.res", "icudt73l/zone/ko.res"])
    header, entries = icu.items(blob)
    assert icu.package(header, entries) == blob
    assert all(len(data) % 16 == 0 for _name, data in entries)  # items stay 16-byte aligned
    trimmed = dict(icu.items(icu.trim(blob))[1])
    assert sorted(trimmed) == ["icudt73l/cnvalias.icu", "icudt73l/coll/ko.res", "icudt73l/ko.res",
                               "icudt73l/zone/ko.res"]
    assert trimmed["icudt73l/coll/ko.res"].startswith(b"icudt73l/coll/ko.res" * 3)


def test_icu_refuses_what_is_not_common_data():
    with pytest.raises(ValueError):
        icu.items(b"\x20\x00\xda\x27" + b"\0" * 8 + b"ResB" + b"\0" * 40)


def pyside_icu() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found and all(shutil.which(tool) for tool in ("nm", "readelf", "as", "ld")) else None


@pytest.mark.skipif(not sys.platform.startswith("linux") or pyside_icu() is None,
                    reason="PySide6's ICU library and binutils exist on Linux only")
def test_pyside_icu_data_keeps_collation_codecs_and_time_zones(tmp_path):
    source = pyside_icu()
    version = source.name.rsplit(".", 1)[1]
    blob = icu._elf_symbol_blob(source, f"icudt{version}_dat")
    header, entries = icu.items(blob)
    assert icu.package(header, entries) == blob  # read and written back byte for byte
    library = icu.build_library(source, tmp_path)
    assert library.name == source.name and library.stat().st_size < source.stat().st_size / 2
    kept = {name.split("/", 1)[1] for name, _data in icu.items(icu._elf_symbol_blob(library, f"icudt{version}_dat"))[1]}
    # traced with gdb: what Qt's collation, codecs and time-zone names open
    assert {"coll/ucadata.icu", "coll/root.res", "coll/ko.res", "coll/en.res", "coll/ja.res", "cnvalias.icu",
            "zoneinfo64.res", "metaZones.res", "timezoneTypes.res", "numberingSystems.res", "zone/ko.res",
            "root.res", "ko.res", "pool.res"} <= kept
    assert not any(name.startswith(("brkitr/", "translit/", "unit/", "curr/", "lang/", "rbnf/")) for name in kept)
