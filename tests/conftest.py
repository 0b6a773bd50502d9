"""Shared fixtures: a migrated template database copied per test (fast), services and the demo."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings() (the program's own settings, e.g. in app.run) must not touch the user's real ones.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="boeun-desk-test-config-")

from boeun_desk.services import Services  # noqa: E402
from boeun_desk.services.demo import write_demo  # noqa: E402
from boeun_desk.storage.engine import open_database  # noqa: E402

DEMO_TODAY = date(2026, 11, 25)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(path).close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite3", today=DEMO_TODAY)


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def database(db_path: Path):
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def services(database) -> Services:
    return Services(database, officer="테스트담당")


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo(demo_path: Path):
    db = open_database(demo_path)
    yield Services(db, officer="테스트담당")
    db.close()


# --- the window (pytest-qt) ------------------------------------------------------------------

class Answers:
    """Stands in for the ask() seam: records questions, answers from a script."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, _parent, title, text, **_kwargs) -> str:
        self.asked.append(f"{title}: {text}")
        return self.answers.pop(0) if self.answers else "ok"


@pytest.fixture
def context(demo, tmp_path, qapp):
    """The screens' context on a copy of the demo, with settings of its own and questions answered
    by an `Answers` script."""
    from PySide6.QtCore import QSettings

    from boeun_desk.ui.context import AppContext

    ctx = AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    ctx.ask = Answers()
    return ctx


@pytest.fixture
def window(context, qtbot):
    from boeun_desk.ui.main_window import MainWindow

    win = MainWindow(context)
    qtbot.addWidget(win)
    return win
