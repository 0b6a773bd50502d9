"""The same operations on an encrypted copy of the large database (SQLCipher), beside the plain
file in the same run: the ratio is the cost of encryption (goal: at most 1.3x).

The two files are measured in turn, one run of each after the other, so that the load of a shared
machine weighs on both alike; each figure is the median of those runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import Context, Figure, figure
from boeun_desk.services import Services
from boeun_desk.storage import cipher, convert
from boeun_desk.storage.engine import open_database

PASSPHRASE = "benchmark passphrase"
_KEY = cipher.Key(PASSPHRASE)
_MADE: dict[Path, Path] = {}  # the encrypted copy made in this run, per plain file

# make(path, key) -> a context giving one run of the operation: a callable that does it (its
# time is measured) or returns the seconds of the part that counts (a float).
Make = Callable[[Path, Any], contextlib.AbstractContextManager[Callable[[], Any]]]


def _encrypted(ctx: Context) -> Path:
    """An encrypted copy of the run's database, made once per run (after any migration of it)."""
    if ctx.db_path not in _MADE:
        open_database(ctx.db_path).close()  # migrated first: both files at the same revision
        path = ctx.workdir / ("encrypted-" + ctx.db_path.name)
        scratch = ctx.workdir / "encrypting.sqlite3"
        shutil.copyfile(ctx.db_path, scratch)
        convert.convert(scratch, None, _KEY)
        os.replace(scratch, path)
        _MADE[ctx.db_path] = path
    return _MADE[ctx.db_path]


def _paired(ctx: Context, make: Make, repeat: int = 7, warmup: int = 1) -> tuple[float, float]:
    """(encrypted, plain) median seconds of one run of `make`'s operation, the files in turn."""
    repeat = max(3, repeat // 2) if ctx.quick else repeat
    with contextlib.ExitStack() as stack:
        runs = [stack.enter_context(make(path, key)) for path, key in ((_encrypted(ctx), _KEY), (ctx.db_path, None))]
        times: list[list[float]] = [[], []]
        for n in range(warmup + repeat):
            for i, run in enumerate(runs):
                started = time.perf_counter()
                counted = run()
                elapsed = counted if isinstance(counted, float) else time.perf_counter() - started
                if n >= warmup:
                    times[i].append(elapsed)
    return statistics.median(times[0]), statistics.median(times[1])


def _figure(values: tuple[float, float], goal: str = "<= 1.3x") -> Figure:
    return Figure(values[0] * 1000, "ms", values[1] * 1000, "the same on the plain file", goal)


@contextlib.contextmanager
def _services(path: Path, key: Any) -> Iterator[Services]:
    database = open_database(path, key=key)
    try:
        yield Services(database, "벤치마크")
    finally:
        database.close()


def _gui_context(ctx: Context, services: Services) -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from boeun_desk.app import application
    from boeun_desk.ui.context import AppContext

    application()
    return AppContext(services, QSettings(str(ctx.workdir / "bench-settings.ini"), QSettings.Format.IniFormat))


def _case_list(context: Any) -> Any:
    """The case list (100,000 cases in the full run) made and its first screen of rows read."""
    from boeun_desk.ui.list_screen import ListScreen
    from boeun_desk.ui.specs import SPECS
    from boeun_desk.ui.table_model import Lookups

    screen = ListScreen(context, SPECS["cases"], Lookups(context))
    for row in range(min(30, screen.model.rowCount())):
        for column in range(screen.model.columnCount()):
            screen.model.data(screen.model.index(row, column))
    return screen


def _discard(screen: Any) -> None:
    import shiboken6

    shiboken6.delete(screen)  # no event loop runs here to carry out a deleteLater()


@figure("encrypted_open_ms")
def encrypted_open(ctx: Context) -> Figure:
    """The window's open after a clean close, the passphrase's key already derived (as for every
    connection after the first)."""
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        open_database(path, exclusive=True, key=key).close()
        yield lambda: open_database(path, exclusive=True, key=key).close()
    return _figure(_paired(ctx, make, repeat=21))  # a few ms: many runs, or a shared machine's load decides


@figure("encrypted_unlock_ms")
def encrypted_unlock(ctx: Context) -> Figure:
    """Open with a passphrase typed now: one key derivation (PBKDF2-HMAC-SHA512, 256,000 rounds),
    the deliberate cost of every guess, paid once per start."""
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        fresh = (lambda: cipher.Key(PASSPHRASE)) if key is not None else (lambda: None)
        yield lambda: open_database(path, exclusive=True, key=fresh()).close()
    return _figure(_paired(ctx, make, repeat=3), "one key derivation (~0.3-0.6 s) on purpose")


@figure("encrypted_save_ms")
def encrypted_save(ctx: Context) -> Figure:
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        with _services(path, key) as services:
            firm_id = services.firms.ids()[0]
            counter = iter(range(10**6))
            yield lambda: services.firms.update(firm_id, {"notes": f"메모 {next(counter)}"})
    return _figure(_paired(ctx, make, repeat=15))


@figure("encrypted_search_ms")
def encrypted_search(ctx: Context) -> Figure:
    """A firm search in SQL (name, representative, number; 10,000 firms in the full run)."""
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        with _services(path, key) as services:
            yield lambda: services.firms.list(search="보은대추")
    return _figure(_paired(ctx, make, repeat=9))


@figure("encrypted_search_cases_ms")
def encrypted_search_cases(ctx: Context) -> Figure:
    """The case list's first keystroke of a search: it reads the search text of every case (the
    database's part of a search; the keystrokes after it filter those texts in memory)."""
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        with _services(path, key) as services:
            context = _gui_context(ctx, services)

            def first_keystroke() -> float:
                screen = _case_list(context)
                started = time.perf_counter()
                screen.search.setText("대추즙")  # no focus before it: the texts load now
                elapsed = time.perf_counter() - started
                _discard(screen)
                return elapsed
            yield first_keystroke
    return _figure(_paired(ctx, make, repeat=5))


@figure("encrypted_case_list_ms")
def encrypted_case_list(ctx: Context) -> Figure:
    """The case list shown again in a session (made, its first screen of rows read)."""
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        with _services(path, key) as services:
            context = _gui_context(ctx, services)
            yield lambda: _discard(_case_list(context))
    return _figure(_paired(ctx, make, repeat=7))


@figure("encrypted_case_list_first_ms")
def encrypted_case_list_first(ctx: Context) -> Figure:
    """The case list shown for the first time after the file was opened: every page it reads is
    decrypted (the open itself is not counted)."""
    @contextlib.contextmanager
    def make(path: Path, key: Any) -> Iterator[Callable[[], Any]]:
        def first_show() -> float:
            with _services(path, key) as services:
                context = _gui_context(ctx, services)
                started = time.perf_counter()
                _discard(_case_list(context))
                return time.perf_counter() - started
        yield first_show
    return _figure(_paired(ctx, make, repeat=5), "<= 1.3x (decrypting the pages read once)")
