"""Where a saved document (PDF, or HWPX to edit in 한글) goes: a default name that says what the
document is, in the folder the officer used last (the documents folder the first time, never the
program's own folder)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from boeun_desk.i18n import t

FOLDER_KEY = "reports/save_folder"  # documents: the settings' folder, then the last one saved in
EXPORT_KEY = "exports/folder"  # spreadsheets and sync files (설정)
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent.parent
# Not allowed in Windows file names, plus control characters; a name may not end in a dot or space.
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]+')


def safe_part(text: str) -> str:
    """`text` usable in a file name on Windows, macOS and Linux: forbidden characters become `_`."""
    text = _UNSAFE.sub("_", " ".join(str(text).split()))
    return text.strip(" .") or "_"


def pdf_name(title: str, *parts: object) -> str:
    """`title_part_part.pdf`, e.g. 기업별지원현황_보은대추농원_2024.pdf; empty parts left out."""
    return "_".join(safe_part(str(part)) for part in (title, *parts) if part not in (None, "")) + ".pdf"


def _program_folders() -> list[Path]:
    folders = [Path(sys.executable).resolve().parent, _PACKAGE_PARENT]
    frozen = getattr(sys, "_MEIPASS", None)
    return folders + [Path(frozen).resolve()] if frozen else folders


def _usable(folder: Path) -> bool:
    if not folder.is_absolute() or not folder.is_dir():
        return False
    folder = folder.resolve()
    return not any(folder == program or program in folder.parents for program in _program_folders())


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if _usable(folder) else Path.home()


def save_folder(settings: QSettings) -> Path:
    """The folder the last PDF was saved in, while it exists; else the user's documents folder."""
    remembered = str(settings.value(FOLDER_KEY, "") or "")
    if remembered and _usable(Path(remembered)):
        return Path(remembered)
    return documents_folder()


def export_folder(settings: QSettings) -> Path:
    """Where spreadsheets and sync files are offered: the folder set in 설정, else the documents'
    folder (설정's 문서 저장 폴더 or the last one a document went to; as 설정 says: "비워 두면 문서 폴더")."""
    chosen = str(settings.value(EXPORT_KEY, "") or "")
    return Path(chosen) if chosen and _usable(Path(chosen)) else save_folder(settings)


def with_suffix(path: Path, suffix: str) -> Path:
    """`path` as the file to write: a name typed without the extension (번들, 목록) gets it, so the
    file opens by a double click and the dialogs that look for that kind of file list it."""
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def remember_folder(settings: QSettings, saved: Path) -> None:
    settings.setValue(FOLDER_KEY, str(saved.resolve().parent))


def file_types() -> dict[str, str]:
    """The kinds of file a document is saved as (extension: dialog filter): PDF to print and send,
    HWPX to go on editing in 한글 (same content, tables and 결재란)."""
    return {".pdf": "PDF (*.pdf)", ".hwpx": t("한글 문서 HWPX (*.hwpx)")}


def chosen_path(chosen: str, selected_filter: str) -> Path:
    """The file to write: a name ending in .pdf or .hwpx keeps it; any other name takes the
    extension of the file type chosen in the dialog (PDF when none)."""
    path = Path(chosen)
    types = file_types()
    if path.suffix.lower() in types:
        return path
    suffix = next((ext for ext, label in types.items() if label == selected_filter), ".pdf")
    return path.with_name(path.name + suffix)


def choose_save_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """The file dialog seam (tests replace it): the path chosen, or None when cancelled."""
    types = file_types()
    chosen, selected = QFileDialog.getSaveFileName(parent, title, str(suggested), ";;".join(types.values()),
                                                   types.get(suggested.suffix.lower(), types[".pdf"]))
    return chosen_path(chosen, selected) if chosen else None
