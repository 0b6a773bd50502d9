"""Excel export and import: Korean headers, real dates and money, header variants, all-or-nothing."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from boeun_desk import cli, schemas
from boeun_desk.exchange.excel_export import export_workbook
from boeun_desk.exchange.excel_import import apply_import, plan_import
from boeun_desk.services.entities import FirmService
from boeun_desk.storage.backup import list_backups
from boeun_desk.validation import ValidationFailed, brn_check_digit, clean, parse_brn


def valid_brn(n: int) -> str:
    first9 = f"{n:09d}"
    return first9 + str(brn_check_digit(first9))


def write_xlsx(path: Path, rows: list[list[object]], *, merge: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def import_firms(services, path: Path, *, dry_run: bool = False):
    plan = plan_import(services.database, "firms", path)
    if plan.ok and not dry_run:
        apply_import(services.database, plan, services.officer)
    return plan


OFFICER_SHEET = [
    ["2024년 보은군 수혜기업 현황"],
    [],
    [None, None, "(단위: 명)"],
    ["No", "기업명", "사업자번호", "대표자명", "소재지", "전화번호", "종업원수", "설립일자"],
    [1, "보은대추농원", "1248100998", "김대표", "보은읍 대추로 1", 431234567, "12", "2015.3.2"],
    [],
    [2, "속리산식품", "220 81 62517", "이대표", "속리산면", "043-540-1234", 7.0, datetime(2019, 5, 1)],
]


def test_export_all_has_korean_headers_real_dates_and_money(demo, tmp_path):
    path = tmp_path / "all.xlsx"
    counts = export_workbook(demo.database, ["all"], path)
    assert counts["수혜기업"] == len(demo.firms.list())
    assert counts["지원과제"] == len(demo.cases.list())
    workbook = load_workbook(path)
    cases = workbook["지원과제"]
    header = [c.value for c in cases[1]]
    assert header[:5] == ["기업", "사업연도", "지원유형", "공급기업", "과제명"] and header[-1] == "ID"
    row = {h: c for h, c in zip(header, cases[2], strict=True)}
    assert isinstance(row["시작일"].value, datetime) and row["시작일"].number_format == "yyyy-mm-dd"
    # a number (the writer writes every number as Excel holds it, a double: 3400000.0 reads back as a float)
    assert row["국비"].data_type == "n" and row["국비"].value == int(row["국비"].value) > 0
    assert row["국비"].number_format == "#,##0"
    assert row["진행상태"].value in {"계획", "진행", "완료", "취소"}
    firm_names = {f.name for f in demo.firms.list()}
    assert row["기업"].value in firm_names  # references shown by name, not UUID
    firms = workbook["수혜기업"]
    assert re.fullmatch(r"\d{3}-\d{2}-\d{5}", firms["B2"].value)


def _held_open_in(folder: Path) -> list[str]:
    """Files this process holds open in `folder`, named or not (where /proc/self/fd tells; else none)."""
    fds = Path("/proc/self/fd")
    found = []
    for fd in fds.iterdir() if fds.is_dir() else ():
        with contextlib.suppress(OSError):
            if (target := os.readlink(fd)).startswith(f"{folder}{os.sep}"):
                found.append(target)
    return found


def test_cancelling_an_export_leaves_neither_the_file_nor_the_writers_scratch_files(demo, tmp_path,
                                                                                       monkeypatch):
    from boeun_desk.exchange import excel_export
    from boeun_desk.progress import Cancelled

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(excel_export, "SCRATCH_DIR", str(scratch))
    held = []

    def cancelled() -> bool:  # 취소 once the first sheet's rows are in their scratch file
        held.append(len(_held_open_in(scratch)))
        return len(held) > 3

    target = tmp_path / "out" / "all.xlsx"
    target.parent.mkdir()
    with pytest.raises(Cancelled) as caught:  # kept, as the window keeps the error it reports
        export_workbook(demo.database, ["all"], target, cancelled=cancelled)
    if Path("/proc/self/fd").is_dir():
        assert max(held) >= 1  # the writer did keep rows in its scratch folder (files without a name)
    assert not _held_open_in(scratch) and not list(scratch.iterdir()) and not list(target.parent.iterdir())
    assert caught.value.__traceback__ is not None
    export_workbook(demo.database, ["all"], target)  # and without 취소 the file is written, scratch let go
    gc.collect()
    assert load_workbook(target)["지원과제"]["A1"].value == "기업"
    assert not _held_open_in(scratch) and not list(scratch.iterdir())


def test_export_one_list_with_chosen_ids_through_the_cli(demo_path, tmp_path, capsys):
    out = tmp_path / "visits.xlsx"
    assert cli.main(["--db", str(demo_path), "export", "visits", "-o", str(out)]) == 0
    assert "저장했습니다" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["방문상담"]


def test_officer_sheet_with_title_rows_and_header_variants(services, tmp_path):
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", OFFICER_SHEET, merge="A1:H1"))
    assert plan.ok and plan.applied and len(plan.new) == 2
    first = services.firms.by_brn("124-81-00998")
    assert (first.name, first.representative, first.phone, first.employees, first.founded) == (
        "보은대추농원", "김대표", "0431234567", 12, date(2015, 3, 2))
    assert services.firms.by_brn("2208162517").founded == date(2019, 5, 1)


def test_same_brn_updates_instead_of_duplicating_and_empty_cells_erase_nothing(services, tmp_path):
    services.firms.create({"name": "보은대추농원", "brn": "124-81-00998", "email": "a@b.kr", "phone": "043-111-2222"})
    rows = [["업체명", "사업자등록번호", "연락처", "이메일"],
            ["보은대추농원(주)", "124-81-00998", "043-123-4567", None]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows))
    assert (len(plan.new), len(plan.changed)) == (0, 1)
    assert plan.changed[0].values == {"name": "보은대추농원(주)", "phone": "043-123-4567"}
    firms = services.firms.list()
    assert len(firms) == 1 and firms[0].email == "a@b.kr" and firms[0].phone == "043-123-4567"
    again = import_firms(services, tmp_path / "f.xlsx")
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 1)


def test_one_bad_row_rejects_the_whole_file_with_row_column_reason(services, tmp_path):
    rows = [["업체명", "사업자등록번호", "이메일", "종업원수"],
            ["가", "124-81-00998", "a@b.kr", 3],
            ["나", "124-81-00999", "not-an-email", "많음"],
            [None, "220-81-62517", None, None],
            ["라", "124-81-00998", None, None]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows))
    assert not plan.ok and not plan.applied
    found = {(e.row, e.column) for e in plan.errors}
    assert {(3, "사업자등록번호"), (3, "이메일"), (3, "종업원수"), (4, "업체명"), (5, "사업자등록번호")} <= found
    assert "검증번호" in next(e.message for e in plan.errors if e.row == 3 and e.column == "사업자등록번호")
    assert services.firms.list() == []


def test_a_brn_in_the_trash_is_an_error_not_a_duplicate(services, tmp_path):
    services.firms.delete(services.firms.create({"name": "가", "brn": "124-81-00998"}).id)
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", [["업체명", "사업자등록번호"], ["가", "1248100998"]]))
    assert not plan.ok and "휴지통" in plan.errors[0].message


@pytest.mark.parametrize("content", ["wrong_headers", "empty_file", "empty_workbook", "renamed", "xls", "only_header"])
def test_unreadable_files_are_rejected_with_a_korean_reason(services, tmp_path, content):
    path = tmp_path / ("f.xls" if content == "xls" else "f.xlsx")
    if content == "wrong_headers":
        write_xlsx(path, [["이름", "번호", "메모"], ["가", "1248100998", "x"]])
    elif content == "empty_file":
        path.write_bytes(b"")
    elif content == "empty_workbook":
        write_xlsx(path, [])
    elif content in {"renamed", "xls"}:
        path.write_bytes("업체명,사업자등록번호\n가,124-81-00998\n".encode() * 20)
    else:
        write_xlsx(path, [["업체명", "사업자등록번호"]])
    plan = import_firms(services, path)
    assert not plan.ok and plan.errors[0].row == 0
    message = plan.errors[0].message
    expected = {"wrong_headers": "머리글", "empty_file": "엑셀", "empty_workbook": "머리글", "renamed": "엑셀",
                "xls": ".xls", "only_header": "가져올 행이 없습니다"}[content]
    assert expected in message
    assert services.firms.list() == []


def test_merged_cells_read_as_the_officer_sees_them(services, tmp_path):
    rows = [["업체명", "사업자등록번호", "주소"], ["가", "124-81-00998", "보은읍"], ["나", "220-81-62517", None]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows, merge="C2:C3"))
    assert plan.ok and any("병합" in w.message for w in plan.warnings)
    assert services.firms.by_brn("2208162517").address == "보은읍"


def _formula_file(path: Path, *, saved: str | None) -> Path:
    write_xlsx(path, [["업체명", "사업자등록번호"], ['="보은"&"식품"', "124-81-00998"]])
    if saved is None:
        return path
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    # openpyxl writes an empty <v />, or <v></v> when lxml is installed.
    xml = xml.replace('<c r="A2"><f>', '<c r="A2" t="str"><f>')
    parts["xl/worksheets/sheet1.xml"] = re.sub(r"<v\s*/>|<v></v>", f"<v>{saved}</v>", xml, count=1).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_formulas_count_by_their_saved_result(services, tmp_path):
    plan = import_firms(services, _formula_file(tmp_path / "f.xlsx", saved="보은식품"))
    assert plan.ok and services.firms.by_brn("1248100998").name == "보은식품"


def test_formulas_without_a_saved_result_are_rejected(services, tmp_path):
    plan = import_firms(services, _formula_file(tmp_path / "f.xlsx", saved=None))
    assert not plan.ok and (plan.errors[0].row, plan.errors[0].column) == (2, "업체명")
    assert "수식" in plan.errors[0].message


def test_thousands_of_rows_in_one_transaction_with_a_backup_first(services, tmp_path):
    rows = [["기업명", "사업자번호", "대표자", "종업원수"]]
    rows += [[f"기업{i}", valid_brn(100_000_000 + i * 7919), f"대표{i}", str(i % 50)] for i in range(4_000)]
    plan = import_firms(services, write_xlsx(tmp_path / "big.xlsx", rows))
    assert plan.ok and len(plan.new) == 4_000
    assert len(services.firms.ids()) == 4_000
    assert [b.path.name.endswith("-import.sqlite3") for b in list_backups(services.database.path)] == [True]


def test_an_import_failing_halfway_leaves_the_database_as_before(services, tmp_path, monkeypatch):
    services.firms.create({"name": "가", "brn": "124-81-00998"})
    rows = [["업체명", "사업자등록번호"], ["가 바뀜", "124-81-00998"], ["나", "220-81-62517"]]
    plan = plan_import(services.database, "firms", write_xlsx(tmp_path / "f.xlsx", rows))

    def crash(*_args, **_kwargs):
        raise OSError("battery died")

    monkeypatch.setattr(FirmService, "update_in", crash)  # after the new firm 나 went in
    with pytest.raises(OSError):
        apply_import(services.database, plan)
    assert [(f.name, f.version) for f in services.firms.list()] == [("가", 1)]


def test_supply_companies_with_variants_and_without_brn(services, tmp_path):
    rows = [["공급기업명", "분야", "담당자명", "전화번호", "사업자등록번호"],
            ["영상제작소", "영상", "박담당", "010-1234-5678", None],
            ["디자인랩", "디자인", None, None, "220-81-62517"]]
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    plan = plan_import(services.database, "supply", path)
    assert plan.ok and len(plan.new) == 2
    apply_import(services.database, plan)
    again = plan_import(services.database, "supply", path)
    assert (len(again.new), again.unchanged) == (0, 2)
    assert {s.name: s.contact_name for s in services.supply_companies.list()} == {"영상제작소": "박담당",
                                                                               "디자인랩": ""}


def test_cli_import_dry_run_json_and_errors(db_path, tmp_path, capsys):
    good = write_xlsx(tmp_path / "f.xlsx", OFFICER_SHEET)
    assert cli.main(["--db", str(db_path), "import", "firms", str(good), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["new"], data["applied"], data["errors"]) == (2, False, [])
    assert cli.main(["--db", str(db_path), "import", "firms", str(good)]) == 0
    assert "새 기록 2건" in capsys.readouterr().out
    bad = write_xlsx(tmp_path / "bad.xlsx", [["업체명", "사업자등록번호"], ["가", "123-45-67890"]])
    assert cli.main(["--db", str(db_path), "import", "firms", str(bad), "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["errors"][0]["row"] == 2 and data["errors"][0]["column"] == "사업자등록번호"
    assert cli.main(["--db", str(db_path), "import", "firms", str(bad)]) == 2
    assert "아무것도 가져오지 않았습니다" in capsys.readouterr().err


# --- properties of the rules the import applies ----------------------------------------------

brns = st.integers(min_value=0, max_value=999_999_999).map(valid_brn)


def _dressed(digits: str, seps: list[str]) -> str:
    parts = [digits[:3], digits[3:5], digits[5:]]
    return parts[0] + seps[0] + parts[1] + seps[1] + parts[2]


@settings(max_examples=200, deadline=None)
@given(brns, st.lists(st.sampled_from(["", "-", " ", " - ", "–"]), min_size=2, max_size=2))
def test_valid_brn_accepted_in_any_dash_or_space_form(digits, seps):
    assert parse_brn(_dressed(digits, seps)) == digits
    assert clean(schemas.FIRM, {"name": "가", "brn": _dressed(digits, seps)}).values["brn"] == digits


@settings(max_examples=200, deadline=None)
@given(brns, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_rejected(digits, position, delta):
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1:]
    with pytest.raises(ValidationFailed):
        clean(schemas.FIRM, {"name": "가", "brn": changed})
