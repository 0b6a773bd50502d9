"""Hostile and absurd spreadsheets are refused with a Korean reason before they cost memory or leak files;
what is hidden in a workbook is reported, not imported."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from boeun_desk.exchange import excel_package, excel_read
from tests.test_excel import import_firms, write_xlsx

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>업체명</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>사업자등록번호</t></is></c></row>')


def with_part(path: Path, part: str, content: str | bytes) -> Path:
    """A valid workbook (one good row) with one part replaced."""
    write_xlsx(path, [["업체명", "사업자등록번호"], ["보은식품", "124-81-00998"]])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = content.encode() if isinstance(content, str) else content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def sheet_xml(rows: str, *, prolog: str = "", tail: str = "") -> str:
    return f'<?xml version="1.0"?>{prolog}<worksheet {NS}><sheetData>{HEADER}{rows}</sheetData>{tail}</worksheet>'


def entity_row(name: str) -> str:
    return (f'<row r="2"><c r="A2" t="inlineStr"><is><t>&{name};</t></is></c>'
            '<c r="B2" t="inlineStr"><is><t>124-81-00998</t></is></c></row>')


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Refused files never reach openpyxl: the check reads the zip directory and streams the XML."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to load a file the package check should refuse")

    monkeypatch.setattr(excel_read, "load_workbook", refuse)


def refused(services, path: Path, *expected: str) -> str:
    plan = import_firms(services, path)
    assert not plan.ok and len(plan.errors) == 1 and plan.errors[0].row == 0, plan.errors
    message = plan.errors[0].message
    assert all(text in message for text in expected), message
    assert services.firms.list() == []
    return message


def test_a_zip_bomb_is_refused_from_the_zip_directory(services, tmp_path, no_openpyxl):
    row = '<row><c t="inlineStr"><is><t>보은식품</t></is></c><c><v>1248100998</v></c></row>'
    path = with_part(tmp_path / "bomb.xlsx", SHEET, sheet_xml(row * (50 * 2**20 // len(row))))
    assert path.stat().st_size < 2**20  # 50 MB of rows in well under 1 MB
    refused(services, path, "너무 큽니다", SHEET, "배")


def test_a_file_over_the_uncompressed_limit_is_refused(services, tmp_path, no_openpyxl, monkeypatch):
    monkeypatch.setattr(excel_package, "MAX_UNCOMPRESSED", 2**20)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r * 7919}</v></c></row>'
                   for r in range(2, 40_000))
    refused(services, with_part(tmp_path / "big.xlsx", SHEET, sheet_xml(rows)), "너무 큽니다", "MB")


def test_too_many_rows_are_refused_while_streaming_before_openpyxl(services, tmp_path, no_openpyxl):
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, excel_package.MAX_ROWS + 3))
    refused(services, with_part(tmp_path / "rows.xlsx", SHEET, sheet_xml(rows)), "너무 큽니다", "100,000")


def test_a_merged_range_over_the_whole_sheet_counts_its_cells(services, tmp_path, no_openpyxl):
    tail = '<mergeCells count="1"><mergeCell ref="C3:XFD1048576"/></mergeCells>'
    path = with_part(tmp_path / "merged.xlsx", SHEET, sheet_xml(entity_row("amp"), tail=tail))
    refused(services, path, "너무 큽니다", "셀이")


def test_one_cell_at_the_last_row_is_refused_before_its_rows_are_walked(services, tmp_path):
    rows = entity_row("amp") + '<row r="1048576"><c r="B1048576"><v>1</v></c></row>'
    refused(services, with_part(tmp_path / "far.xlsx", SHEET, sheet_xml(rows)), "너무 큽니다", "행이")


LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9)) + "]>")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_expansion_is_refused(services, tmp_path, no_openpyxl, encoding):
    xml = sheet_xml(entity_row("j"), prolog=LAUGHS).replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
    path = with_part(tmp_path / "laughs.xlsx", SHEET, xml.encode(encoding))
    refused(services, path, "DOCTYPE", SHEET)


def test_an_external_entity_is_never_read(services, tmp_path, no_openpyxl):
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE-PHONE-010-1234-5678")
    for part in (SHEET, "xl/sharedStrings.xml"):
        prolog = f'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
        plan = import_firms(services, with_part(tmp_path / "ext.xlsx", part, sheet_xml(entity_row("e"), prolog=prolog)))
        assert not plan.ok and "DOCTYPE" in plan.errors[0].message
        assert "PRIVATE" not in json.dumps(plan.as_json(), ensure_ascii=False)
    assert services.firms.list() == []


@pytest.mark.parametrize("part, content", [
    (SHEET, f'<worksheet {NS}><sheetData><row r="1"><c r="A1"'),
    (SHEET, sheet_xml(entity_row("undefined"))),
    ("xl/sharedStrings.xml", f'<sst {NS}><si><t>보은</si></sst>'),
    ("xl/workbook.xml", "<workbook><sheets></workbook>"),
])
def test_malformed_xml_is_a_korean_error_naming_the_part(services, tmp_path, no_openpyxl, part, content):
    refused(services, with_part(tmp_path / "bad.xlsx", part, content), "손상", part)


def test_what_is_not_an_xlsx_says_what_it_is(services, tmp_path, no_openpyxl):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    refused(services, empty, "빈 파일")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    encrypted = tmp_path / "locked.xlsx"  # Excel's encrypted .xlsx: an OLE file with an EncryptedPackage
    encrypted.write_bytes(ole + "EncryptedInfo".encode("utf-16-le") + bytes(40)
                          + "EncryptedPackage".encode("utf-16-le") + bytes(4096))
    refused(services, encrypted, "암호")
    old = tmp_path / "old.xlsx"  # an .xls renamed
    old.write_bytes(ole + "Workbook".encode("utf-16-le") + bytes(4096))
    refused(services, old, ".xls")
    text = tmp_path / "text.xlsx"
    text.write_text("업체명,사업자등록번호\n")
    refused(services, text, "엑셀(.xlsx) 파일이 아니거나")


def _workbook(path: Path, visible: list[list[object]], hidden: list[list[object]] | None) -> Workbook:
    workbook = Workbook()
    for row in visible:
        workbook.active.append(row)
    if hidden is not None:
        other = workbook.create_sheet("비공개")
        for row in hidden:
            other.append(row)
        other.sheet_state = "hidden"
    return workbook


def test_a_hidden_sheet_is_reported_not_imported(services, tmp_path):
    header = ["업체명", "사업자등록번호", "주소"]
    path = tmp_path / "hidden.xlsx"
    hidden_rows = [header, ["숨은기업", "220-81-62517", "보은읍"], ["숨은기업2", "124-81-00998", ""], ["셋", "1", ""]]
    _workbook(path, [header[:2], ["보은식품", "124-81-00998"]], hidden_rows).save(path)
    plan = import_firms(services, path)
    assert plan.ok, plan.errors
    assert [r.name for r in plan.new] == ["보은식품"]  # the hidden sheet's better-matching table is not chosen
    assert any("숨겨진 시트 비공개의 데이터는 가져오지 않았습니다" in w.message for w in plan.warnings), plan.warnings
    assert [f.name for f in services.firms.list()] == ["보은식품"]


def test_a_table_only_on_a_hidden_sheet_is_an_error_saying_so(services, tmp_path):
    path = tmp_path / "only_hidden.xlsx"
    _workbook(path, [["메모"]], [["업체명", "사업자등록번호"], ["숨은기업", "220-81-62517"]]).save(path)
    refused(services, path, "숨겨진", "비공개")


def test_hidden_rows_and_columns_are_reported_not_imported(services, tmp_path):
    path = tmp_path / "rows.xlsx"
    workbook = _workbook(path, [["업체명", "사업자등록번호", "주소"], ["보은식품", "124-81-00998", "보은읍"],
                                ["숨은기업", "220-81-62517", "속리산면"]], None)
    sheet = workbook.active
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["C"].hidden = True
    workbook.save(path)
    plan = import_firms(services, path)
    assert plan.ok, plan.errors
    assert [r.name for r in plan.new] == ["보은식품"]
    messages = [w.message for w in plan.warnings]
    assert "숨겨진 행 3의 데이터는 가져오지 않았습니다" in messages, messages
    assert "숨겨진 열 주소의 데이터는 가져오지 않았습니다" in messages, messages
    assert services.firms.by_brn("1248100998").address in (None, "")
