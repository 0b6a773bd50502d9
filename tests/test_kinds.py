"""One description per kind of record (kinds.py): list headers come from the schema, references read
through one map everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from sqlalchemy import select

from boeun_desk.exchange.excel_export import export_workbook
from boeun_desk.exchange.sheets import SHEETS
from boeun_desk.i18n import t
from boeun_desk.kinds import KINDS, REFERENCES
from boeun_desk.services.base import SERVICE_OF_TABLE
from boeun_desk.services.gate import rules_for  # noqa: F401  (registers every service)
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.forms import make_editor
from boeun_desk.ui.specs import EXPIRY_HEADER, HEADERS, SPECS
from boeun_desk.ui.table_model import Lookups, display

PACKAGE = Path(__file__).resolve().parent.parent / "boeun_desk"


def test_every_list_column_takes_its_label_and_choices_from_the_schema_unless_listed():
    overridden = set()
    for spec in SPECS.values():
        for column in spec.columns:
            field = spec.kind.field(column.key)
            where = (spec.key, column.key)
            if column.kind == "expiry":  # says whether the date beside it has passed
                assert column.label == EXPIRY_HEADER and field.kind == "date", where
                continue
            if where in HEADERS:
                overridden.add(where)
                assert column.label == HEADERS[where] != field.label, where  # an override that says the same goes
            else:
                assert column.label == field.label, where
            assert column.choices == field.choices, where
    assert overridden == set(HEADERS)  # no override left for a column that is gone


def test_each_kind_is_described_once_and_its_service_follows_it(demo):
    assert len({kind.key for kind in KINDS}) == len(KINDS) == len(SERVICE_OF_TABLE)
    assert {service.kind for service in SERVICE_OF_TABLE.values()} == set(KINDS)
    for kind in KINDS:
        columns = kind.model.__table__.columns  # type: ignore[attr-defined]
        assert {f.name for f in kind.schema} <= set(columns.keys()), kind.key
        assert not kind.shown_by or kind.shown_by in columns, kind.key
        if kind.service:
            service = getattr(demo, kind.service)
            assert (service.kind, service.schema, service.label) == (kind, kind.schema, kind.label)
    assert [sheet.key for sheet in SHEETS] == [kind.sheet for kind in KINDS if kind.sheet]


def _ref_keyed_dicts(tree: ast.AST) -> list[int]:
    """Lines of dict literals keyed by two or more reference fields ("firm_id": ..., "officer_id": ...)."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Dict)
            and sum(isinstance(k, ast.Constant) and k.value in REFERENCES for k in node.keys) >= 2]


def test_no_module_keeps_its_own_map_of_references():
    found = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
             if "migrations" not in path.parts and path.name != "kinds.py"
             for lines in [_ref_keyed_dicts(ast.parse(path.read_text(encoding="utf-8")))] if lines}
    assert found == {}


def test_a_reference_reads_the_same_in_lists_forms_exports_and_services(demo, qapp, tmp_path):
    context = AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    lookups = Lookups(context)
    expected = {}
    with demo.database.sessions() as session:
        for field, kind in REFERENCES.items():
            rows = session.scalars(select(kind.model)).all()
            expected[field] = {row.id: kind.show(getattr(row, kind.shown_by)) for row in rows}
            assert getattr(demo, kind.service).names() == expected[field], field  # nothing deleted in the demo
            assert lookups.get(kind.key) == expected[field], field
    assert {field: kind.shown_by for field, kind in REFERENCES.items() if kind.shown_by != "name"} == {
        "program_year_id": "year", "case_id": "title", "visit_id": "starts_at", "meeting_id": "title"}
    shown_in_lists = 0
    for spec in SPECS.values():
        for column in (c for c in spec.columns if c.kind == "lookup"):
            assert column.lookup == REFERENCES[column.key].key
            for record_id, value in expected[column.key].items():
                assert display(column, record_id, lookups) == str(value)
                shown_in_lists += 1
        for field in (f for f in spec.schema if f.kind == "ref" and f.name in REFERENCES and f.name != "case_id"):
            editor = make_editor(field, lookups)
            choices = {editor.itemData(i): editor.itemText(i) for i in range(1, editor.count())}
            assert choices == {k: str(v) for k, v in expected[field.name].items()}, (spec.key, field.name)
    assert shown_in_lists > 0
    path = tmp_path / "all.xlsx"
    export_workbook(demo.database, ["all"], path)
    workbook = load_workbook(path)
    exported = 0
    for sheet in SHEETS:
        rows = list(workbook[t(sheet.title)].iter_rows(values_only=True))
        refs = [(i, f.name) for i, f in enumerate(sheet.schema) if f.name in REFERENCES]
        with demo.database.sessions() as session:
            stored = {row.id: row for row in session.scalars(select(sheet.model))}
        for row in rows[1:]:
            for i, name in refs:
                value = getattr(stored[row[-1]], name)
                assert row[i] == (expected[name][value] if value else None), (sheet.key, name)
                exported += value is not None
    assert exported > 0
