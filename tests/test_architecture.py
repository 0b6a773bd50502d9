"""Core never imports Qt: checked statically and by importing every core module."""

from __future__ import annotations

import ast
import re
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


# Where rows may be written: the services (the one gate), the models (their flush hook) and the
# migrations. Everything else — GUI, command line, import, sync files, reports — calls a service.
WRITERS = ("services/", "models/", "migrations/")
_SESSION_WRITES = {"add", "add_all", "merge", "bulk_insert_mappings", "bulk_save_objects", "bulk_update_mappings"}
_SQL_WRITE = ("insert", "update", "delete")
_SQL_TEXT = re.compile(r"\s*(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO)\b", re.I)


def _writes(tree: ast.AST) -> list[str]:
    sql_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and (node.module or "").startswith("sqlalchemy") for alias in node.names
                 if alias.name in _SQL_WRITE}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and (func.id in sql_names or func.id in {"insert_rows", "tracked_row"}):
                found.append(f"{func.id}() line {node.lineno}")
            if (isinstance(func, ast.Attribute) and func.attr in _SESSION_WRITES | {"delete"}
                    and "session" in ast.unparse(func.value).lower()):
                found.append(f"{ast.unparse(func)}() line {node.lineno}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_TEXT.match(node.value):
            found.append(f"SQL {node.value[:30]!r} line {node.lineno}")
    return found


def test_no_module_outside_the_services_writes_rows():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        relative = str(path.relative_to(PACKAGE))
        if relative.startswith(WRITERS):
            continue
        found = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[relative] = found
    assert offenders == {}


def test_the_write_finder_finds_writes():
    sample = ast.parse("from sqlalchemy import insert as ins, update\n"
                       "session.add(x)\nself.session.add_all(y)\nconn.execute(ins(t))\nupdate(t)\n"
                       "insert_rows(s, M, rows)\nc.exec_driver_sql('INSERT INTO firm VALUES (1)')\n")
    assert len(_writes(sample)) == 6


# Import directions: ui → services, reports, exchange → storage → models. A layer never imports one
# above it (imports inside functions count: they run too).
_ABOVE = {
    "models": ("storage", "services", "exchange", "reports", "ui", "app", "cli"),
    "storage": ("services", "exchange", "reports", "ui", "app", "cli"),
    "services": ("ui", "app", "cli"),
    "exchange": ("ui", "app", "cli"),
    "reports": ("ui", "app", "cli"),
}


def _imported(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name.split(".")[1] for name in found if name.startswith("boeun_desk.") and name.count(".") >= 1}


def test_no_layer_imports_one_above_it():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        wrong = sorted(_imported(ast.parse(path.read_text(encoding="utf-8"))) & set(_ABOVE.get(layer, ())))
        if wrong:
            offenders[str(path.relative_to(PACKAGE))] = wrong
    assert offenders == {}


def test_the_import_direction_check_finds_an_upward_import():
    tree = ast.parse("from boeun_desk.services import sync\nimport boeun_desk.ui.forms\nfrom boeun_desk import cli\n")
    assert _imported(tree) == {"services", "ui", "cli"}
