"""Core never imports Qt: checked statically and by importing every core module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "boeun_desk"
QT_ALLOWED = ("ui/", "app.py")


def core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py")
            if not str(p.relative_to(PACKAGE)).startswith(QT_ALLOWED) and "migrations" not in p.parts]


def test_no_core_module_imports_qt_statically():
    offenders = []
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"} for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt():
    names = sorted(("boeun_desk." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
                   for p in core_modules() if p.name != "__main__.py")
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert len(names) > 15


def test_the_command_line_module_loads_neither_sqlalchemy_nor_openpyxl():
    # The desktop program starts through boeun_desk.cli and shows its window before the database
    # layer is imported (app.py); commands import what they use.
    code = ("import sys, boeun_desk.cli\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'openpyxl', 'reportlab'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_command_choices_named_without_imports_match_the_real_keys():
    from boeun_desk.exchange import commands
    from boeun_desk.exchange.excel_import import KINDS
    from boeun_desk.exchange.sheets import BY_KEY

    assert list(commands.EXPORT_CHOICES) == list(BY_KEY)
    assert list(commands.IMPORT_CHOICES) == list(KINDS)
