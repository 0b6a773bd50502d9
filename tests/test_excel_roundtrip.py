"""Excel round trip: every exported list reads back as stored, text stays text, never a formula."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from boeun_desk.exchange.excel_export import ID_HEADER, export_workbook
from boeun_desk.exchange.excel_import import plan_import
from boeun_desk.exchange.sheets import BY_KEY, SHEETS, Sheet
from boeun_desk.i18n import t
from boeun_desk.kinds import REFERENCES
from boeun_desk.models import Firm
from boeun_desk.validation import brn_check_digit, clean_value

# Texts a spreadsheet program would take for formulas, numbers or errors if written carelessly.
TRICKY = ['=HYPERLINK("http://x","y")', "+82 43", "-5", "@SUM(A1)", "#N/A",
          "보은군 대추 가공·판매 (주)", "첫 줄\n둘째 줄\t탭", "긴 내용 " * 1500 + "끝"]
SERVICES = {"firms": "firms", "supply": "supply_companies", "selections": "selections", "cases": "cases",
            "visits": "visits", "certifications": "certifications", "tests": "tests", "ip": "ip_rights",
            "indicators": "indicators", "matches": "matches", "meetings": "meetings", "officers": "officers",
            "support_types": "support_types", "program_years": "program_years"}
TEXT_KINDS = {"text", "note", "email", "phone"}


def _fit(spec, text: str) -> str:
    """A tricky text as the field takes it: one line for a one-line field, within its length."""
    if spec.kind == "text":
        text = text.replace("\n", " ").replace("\t", " ")
    return text[:spec.max_length].strip()


@pytest.fixture
def tricky(demo):
    """The demo database with the first record of every kind given tricky texts, through the services."""
    for start, (key, attribute) in enumerate(SERVICES.items()):
        service = getattr(demo, attribute)
        texts = [spec for spec in BY_KEY[key].schema if spec.kind in ("text", "note")]
        values = {spec.name: _fit(spec, TRICKY[(start + i) % len(TRICKY)]) for i, spec in enumerate(texts)}
        service.update(service.ids()[0], values)
    for service in (demo.firms, demo.supply_companies):
        service.update(service.ids()[0], {"phone": "+82 43-540-1234", "notes": TRICKY[0]})
    demo.firms.update(demo.firms.ids()[1], {"founded": date(1999, 12, 31), "employees": 0, "notes": TRICKY[-1]})
    visit = demo.visits.ids()[0]
    demo.visits.update(visit, {"follow_ups": [{"action": text, "due_date": date(2026, 12, 1)} for text in TRICKY]})
    return demo


def _no_formulas(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name


def _stored(services, sheet: Sheet) -> dict[str, dict[str, Any]]:
    table = sheet.model.__table__  # type: ignore[attr-defined]
    with services.database.sessions() as session:
        rows = session.execute(select(table).where(table.c.deleted_at.is_(None))).mappings()
        return {row["id"]: dict(row) for row in rows}


def _shown(services, field: str, record_id: str | None) -> Any:
    if record_id is None:
        return None
    kind = REFERENCES[field]
    with services.database.sessions() as session:
        value = getattr(session.get(kind.model, record_id), kind.shown_by)
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def _check_sheet(services, workbook, sheet: Sheet) -> int:
    rows = list(workbook[t(sheet.title)].iter_rows())
    header = [cell.value for cell in rows[0]]
    assert header == [t(spec.label) for spec in sheet.schema] + [ID_HEADER]
    stored = _stored(services, sheet)
    assert len(rows) - 1 == len(stored)
    for row in rows[1:]:
        record = stored[row[-1].value]
        for spec, cell in zip(sheet.schema, row, strict=False):
            value = record[spec.name]
            where = (sheet.key, spec.name, cell.coordinate)
            if isinstance(cell.value, str):
                assert cell.data_type == "s", where
            if spec.kind in TEXT_KINDS:
                assert cell.value == (value or None), where  # unchanged, to the character
            elif spec.kind == "ref":
                assert cell.value == _shown(services, spec.name, value), where
            else:  # read back through the rules an import applies
                assert clean_value(spec, cell.value)[0] == value, where
    return len(stored)


def test_every_list_reads_back_as_stored_with_text_as_text(tricky, tmp_path):
    everything = tmp_path / "all.xlsx"
    export_workbook(tricky.database, ["all"], everything)
    _no_formulas(everything)
    workbook = load_workbook(everything)
    assert workbook.sheetnames == [t(sheet.title) for sheet in SHEETS]
    assert all(cell.data_type != "f" for ws in workbook for row in ws.iter_rows() for cell in row)
    for sheet in SHEETS:
        assert _check_sheet(tricky, workbook, sheet) > 0, sheet.key
    shown = {cell.value for ws in workbook for row in ws.iter_rows() for cell in row}
    assert set(TRICKY) <= shown
    for sheet in SHEETS:
        one = tmp_path / f"{sheet.key}.xlsx"
        export_workbook(tricky.database, [sheet.key], one)
        _no_formulas(one)
        _check_sheet(tricky, load_workbook(one), sheet)


@pytest.mark.parametrize(("kind", "attribute"), [("firms", "firms"), ("supply", "supply_companies")])
def test_an_exported_list_imports_back_with_nothing_new_or_changed(tricky, tmp_path, kind, attribute):
    count = len(getattr(tricky, attribute).ids())
    for keys in ([kind], ["all"]):
        path = tmp_path / f"{keys[0]}.xlsx"
        export_workbook(tricky.database, keys, path)
        plan = plan_import(tricky.database, kind, path)
        assert plan.errors == [] and (plan.new, plan.changed, plan.unchanged) == ([], [], count), keys


def test_control_characters_from_an_old_database_do_not_stop_the_export(services, tmp_path):
    firm = services.firms.create({"name": "보은식품", "brn": "124-81-00998"}).id
    with services.database.sessions() as session, session.begin():  # as an old version could have stored it
        session.execute(update(Firm).where(Firm.id == firm).values(name="보은\x01식품", notes="a\x1fb\x00c\td"))
    path = tmp_path / "firms.xlsx"
    assert export_workbook(services.database, ["firms"], path) == {t("수혜기업"): 1}
    row = [cell.value for cell in load_workbook(path)[t("수혜기업")][2]]
    assert row[0] == "보은\ufffd식품" and row[-2] == "a\ufffdb\ufffdc\td" and row[-1] == firm


def test_dates_and_times_read_back_as_the_same_days_even_where_excel_counts_oddly(services, tmp_path):
    # Excel counts a 29 February 1900 that never was: the days before March 1900 are one less.
    days = [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2024, 2, 29), date.today()]
    brns = [f"{n:09d}" + str(brn_check_digit(f"{n:09d}")) for n in range(124810091, 124810096)]
    firms = [services.firms.create({"name": f"보은식품 {n}", "brn": brn, "founded": day}).id
             for n, (day, brn) in enumerate(zip(days, brns, strict=True))]
    visit = services.visits.create({"firm_id": firms[0], "starts_at": "2024-05-02 09:35",
                                    "ends_at": "2024-05-02 23:59"}).id
    path = tmp_path / "dates.xlsx"
    export_workbook(services.database, ["firms", "visits"], path)
    workbook = load_workbook(path)
    founded = {row[-1].value: row[7] for row in workbook[t("수혜기업")].iter_rows(min_row=2)}
    assert [founded[firm].value for firm in firms] == [datetime.combine(day, datetime.min.time()) for day in days]
    assert {founded[firm].number_format for firm in firms} == {"yyyy-mm-dd"}
    [row] = [row for row in workbook[t("방문상담")].iter_rows(min_row=2) if row[-1].value == visit]
    assert (row[4].value, row[5].value) == (datetime(2024, 5, 2, 9, 35), datetime(2024, 5, 2, 23, 59))
    assert row[4].number_format == "yyyy-mm-dd hh:mm"


def test_an_empty_list_still_has_its_headers_frozen_and_filterable(services, tmp_path):
    path = tmp_path / "empty.xlsx"
    assert export_workbook(services.database, ["firms"], path) == {t("수혜기업"): 0}
    sheet = load_workbook(path)[t("수혜기업")]
    header = [cell.value for cell in sheet[1]]
    assert header == [t(spec.label) for spec in BY_KEY["firms"].schema] + [ID_HEADER]
    assert sheet.max_row == 1 and all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet[1][-1].column_letter}1"
    [error] = plan_import(services.database, "firms", path).errors  # its header is read: no rows below it
    assert "가져올 행이 없습니다" in error.message


def test_a_text_longer_than_a_cell_holds_is_cut_and_the_export_goes_on(services, tmp_path):
    firm = services.firms.create({"name": "보은식품", "brn": "124-81-00998"}).id
    with services.database.sessions() as session, session.begin():  # as an old version could have stored it
        session.execute(update(Firm).where(Firm.id == firm).values(notes="가" * 40_000))
    path = tmp_path / "long.xlsx"
    assert export_workbook(services.database, ["firms"], path) == {t("수혜기업"): 1}
    assert load_workbook(path)[t("수혜기업")][2][-2].value == "가" * 32_767
