"""Where Boeun Desk finds its shipped resources and keeps its user data."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "BoeunDesk"
_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir() -> Path:
    """The `resources/` folder: inside a frozen build, an installed wheel, or the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "resources"] if frozen else []
    candidates += [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("resources/ not found next to the boeun_desk package")


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def data_dir() -> Path:
    """The per-user data folder (database, attachments, backups); created on first use."""
    from platformdirs import user_data_dir  # (only when the default file is used: not for --db)

    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "boeun_desk.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite3"
