"""What the packaged folder leaves out (issue #18, a smaller build); build.spec applies it.

PyInstaller's Qt hooks collect every plugin of each type a module names, and then every library those
plugins link to: the virtual keyboard plugin alone brings QtQuick and QtQml, the GTK theme brings GTK 3.
What the frozen program loads was recorded from /proc/PID/maps and QT_DEBUG_PLUGINS=1 through every
screen, the print preview, printing to PDF and the file dialogs (README, "Packaged app"). The rules
match a file by its place and its name without "lib" and the suffix, so one rule holds on Linux
(plugins/platforms/libqxcb.so, libQt6Quick.so.6) and on Windows (plugins/platforms/qwindows.dll,
Qt6Quick.dll). A library is dropped only when nothing that stays links to it; `prune` checks that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

# Plugin types the program never loads: kiosk and embedded back ends, Wayland's add-ons (on Wayland the
# program runs through XWayland: no wayland platform either), touch input devices.
PLUGIN_TYPES_OUT = {"egldeviceintegrations", "generic", "wayland-decoration-client",
                    "wayland-graphics-integration-client", "wayland-shell-integration"}
# Within the types that stay, only these plugins (the others are left out).
PLUGINS_KEPT = {
    # the desktop (xcb on Linux, windows), offscreen for the self-test and CI, cocoa should a Mac build come
    "platforms": {"qxcb", "qwindows", "qoffscreen", "qcocoa"},
    # Qt decodes no picture of ours (photos go through Pillow, PDF pages through QtPdf); it loads every
    # image plugin to list the formats. JPEG, GIF, ICO and SVG stay for the style and the dialogs' icons.
    "imageformats": {"qjpeg", "qgif", "qico", "qsvg"},
}
# Single plugins left out where their type stays.
PLUGINS_OUT = {
    "platforminputcontexts": {"qtvirtualkeyboardplugin"},  # an on-screen keyboard in QML (QtQuick, 17 MB)
    "platformthemes": {"qgtk3"},  # GTK 3's dialogs on a GNOME desktop (GTK, Cairo, Pango: 13 MB); Qt's own serve
}
# Qt's own translations: Korean for its dialogs (app.qt_translations loads qtbase_ko), English for none.
TRANSLATIONS_KEPT = {"qtbase_ko.qm", "qtbase_en.qm"}

_SUFFIX = re.compile(r"(\.so(\.\d+)*|\.dll|\.dylib)$", re.IGNORECASE)


def stem(name: str) -> str:
    """libqxcb.so -> qxcb, qwindows.dll -> qwindows, libQt6Quick.so.6 -> Qt6Quick."""
    base = _SUFFIX.sub("", name)
    return base[3:] if base.startswith("lib") and not name.lower().endswith(".dll") else base


def left_out(dest: str) -> bool:
    """True for a collected file (its path inside the folder) the program never loads."""
    parts = PurePath(dest.replace("\\", "/")).parts
    name = parts[-1]
    if "translations" in parts and name.endswith(".qm") and "PySide6" in parts:
        return name not in TRANSLATIONS_KEPT
    if "plugins" not in parts or "PySide6" not in parts or len(parts) < parts.index("plugins") + 3:
        return False
    kind = parts[parts.index("plugins") + 1]
    if kind in PLUGIN_TYPES_OUT:
        return True
    if kind in PLUGINS_KEPT:
        return stem(name) not in PLUGINS_KEPT[kind]
    return stem(name) in PLUGINS_OUT.get(kind, set())


def prune(toc: Iterable[tuple[str, str, str]], imports: Callable[[str], Iterable[str]],
          out: Callable[[str], bool] = left_out) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The binaries without those `out` names and the libraries only they needed.

    `toc` holds PyInstaller's (dest, source, typecode) entries; `imports(source)` names the libraries a
    binary links to. A library some binary links to, whose every such binary is dropped, goes too; a
    file no collected binary links to (an extension module, a plugin, a library loaded by name) stays
    unless `out` names it. Raises when a binary that stays links to one that `out` drops.
    Returns (kept entries, dropped destinations).
    """
    entries = list(toc)
    key = {PurePath(dest.replace("\\", "/")).name.lower(): dest for dest, _src, _kind in entries}
    links = {dest: {key[name.lower()] for name in imports(src) if name and name.lower() in key}
             for dest, src, _kind in entries}
    linked_by: dict[str, set[str]] = {dest: set() for dest in links}
    for dest, needed in links.items():
        for lib in needed:
            linked_by[lib].add(dest)
    dropped = {dest for dest in links if out(dest)}
    changed = True
    while changed:
        changed = False
        for dest, users in linked_by.items():
            if dest not in dropped and users and users <= dropped:
                dropped.add(dest)
                changed = True
    broken = sorted(f"{dest} needs {lib}" for dest in links if dest not in dropped
                    for lib in links[dest] & dropped)
    if broken:
        raise SystemExit("slim_build: a file that stays links to one left out: " + "; ".join(broken))
    return [entry for entry in entries if entry[0] not in dropped], sorted(dropped)
