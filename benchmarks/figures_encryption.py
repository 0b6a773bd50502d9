"""The same operations on an encrypted copy of the large database (SQLCipher), beside the plain
file in the same run: the ratio is the cost of encryption (goal: at most 1.3x)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import Context, Figure, figure, median_seconds
from boeun_desk.services import Services
from boeun_desk.storage import cipher, convert
from boeun_desk.storage.engine import open_database

PASSPHRASE = "benchmark passphrase"
_KEY = cipher.Key(PASSPHRASE)


def _encrypted(ctx: Context) -> Path:
    path = ctx.workdir / ("encrypted-" + ctx.db_path.name)
    if not path.exists() or path.stat().st_mtime < ctx.db_path.stat().st_mtime:
        scratch = ctx.workdir / "encrypting.sqlite3"
        shutil.copyfile(ctx.db_path, scratch)
        convert.convert(scratch, None, _KEY)
        os.replace(scratch, path)
    return path


def _both(ctx: Context, measure: Callable[[Path, Any], float]) -> tuple[float, float]:
    """(encrypted, plain) figures of `measure(path, key)`."""
    return measure(_encrypted(ctx), _KEY), measure(ctx.db_path, None)


def _figure(values: tuple[float, float], goal: str = "<= 1.3x") -> Figure:
    return Figure(values[0] * 1000, "ms", values[1] * 1000, "the same on the plain file", goal)


@figure("encrypted_open_ms")
def encrypted_open(ctx: Context) -> Figure:
    """The window's open after a clean close, the passphrase's key already derived (as for every
    connection after the first)."""
    def measure(path: Path, key: Any) -> float:
        open_database(path, exclusive=True, key=key).close()
        return median_seconds(lambda: open_database(path, exclusive=True, key=key).close(), repeat=5)
    return _figure(_both(ctx, measure))


@figure("encrypted_unlock_ms")
def encrypted_unlock(ctx: Context) -> Figure:
    """Open with a passphrase typed now: one key derivation (PBKDF2-HMAC-SHA512, 256,000 rounds),
    the deliberate cost of every guess, paid once per start."""
    def measure(path: Path, key: Any) -> float:
        fresh = (lambda: cipher.Key(PASSPHRASE)) if key is not None else (lambda: None)
        return median_seconds(lambda: open_database(path, exclusive=True, key=fresh()).close(), repeat=3)
    return _figure(_both(ctx, measure), "one key derivation (~0.3-0.6 s) on purpose")


@figure("encrypted_save_ms")
def encrypted_save(ctx: Context) -> Figure:
    def measure(path: Path, key: Any) -> float:
        database = open_database(path, key=key)
        services = Services(database, "벤치마크")
        firm_id = services.firms.ids()[0]
        counter = iter(range(10**6))
        try:
            return median_seconds(lambda: services.firms.update(firm_id, {"notes": f"메모 {next(counter)}"}))
        finally:
            database.close()
    return _figure(_both(ctx, measure))


@figure("encrypted_search_ms")
def encrypted_search(ctx: Context) -> Figure:
    def measure(path: Path, key: Any) -> float:
        database = open_database(path, key=key)
        try:
            services = Services(database)
            return median_seconds(lambda: services.firms.list(search="보은대추"), repeat=5)
        finally:
            database.close()
    return _figure(_both(ctx, measure))


@figure("encrypted_case_list_ms")
def encrypted_case_list(ctx: Context) -> Figure:
    """The case list (100,000 cases in the full run) made and its first screen of rows shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from boeun_desk.app import application
    from boeun_desk.ui.context import AppContext
    from boeun_desk.ui.list_screen import ListScreen
    from boeun_desk.ui.specs import SPECS
    from boeun_desk.ui.table_model import Lookups

    application()

    def measure(path: Path, key: Any) -> float:
        database = open_database(path, key=key)
        settings = QSettings(str(ctx.workdir / "bench-settings.ini"), QSettings.Format.IniFormat)
        context = AppContext(Services(database), settings)

        def show() -> None:
            screen = ListScreen(context, SPECS["cases"], Lookups(context))
            for row in range(min(30, screen.model.rowCount())):
                for column in range(screen.model.columnCount()):
                    screen.model.data(screen.model.index(row, column))
            screen.deleteLater()
        try:
            return median_seconds(show, repeat=5)
        finally:
            database.close()
    return _figure(_both(ctx, measure))
