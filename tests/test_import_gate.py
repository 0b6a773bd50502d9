"""The spreadsheet import passes every row through the same rules as the forms."""

from __future__ import annotations

import pytest

from boeun_desk import cli
from boeun_desk.exchange.excel_import import apply_import, plan_import
from tests.test_excel import import_firms, write_xlsx

WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")


def test_a_full_width_and_an_ascii_copy_of_one_brn_are_one_firm(services, tmp_path):
    rows = [["업체명", "사업자등록번호"], ["보은식품", "124-81-00998"], ["보은식품(전각)", "124-81-00998".translate(WIDE)]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows))
    assert not plan.ok and "2행과 같은 기업" in str(plan.errors[0])
    assert services.firms.list() == []


@pytest.mark.parametrize("value, column", [
    ("보은\u202e품식", "업체명"), ("보은\u2066식품", "업체명"), ("\u200b ", "업체명"),
    ("١٢٤-٨١-٠٠٩٩٨", "사업자등록번호"), ("²²²²²²²²²²", "사업자등록번호"),
])
def test_a_bad_cell_stops_the_whole_file_with_its_row_and_column(services, tmp_path, value, column):
    rows = [["업체명", "사업자등록번호"], ["좋은기업", "220-81-62517"],
            [value if column == "업체명" else "기업", value if column == "사업자등록번호" else "124-81-00998"]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows))
    assert not plan.ok
    assert any(e.row == 3 and e.column == column for e in plan.errors), plan.errors
    assert services.firms.list() == []


def test_a_founding_date_in_the_future_and_absurd_counts_are_refused(services, tmp_path):
    rows = [["업체명", "사업자등록번호", "설립일", "종업원수"], ["미래기업", "124-81-00998", "2999-01-01", "1"],
            ["많은기업", "220-81-62517", "2001-01-01", str(10 ** 19)]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows))
    assert {(e.row, e.column) for e in plan.errors} == {(2, "설립일"), (3, "종업원수")}


def test_two_supply_companies_without_a_brn_are_saved_as_through_the_form(services, tmp_path, capsys):
    rows = [["공급기업명", "분야"], ["영상제작소", "영상"], ["디자인랩", "디자인"]]
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    assert cli.main(["--db", str(services.database.path), "import", "supply", str(path)]) == 0
    assert sorted((s.name, s.brn) for s in services.supply_companies.list()) == [("디자인랩", None), ("영상제작소", None)]
    assert "Traceback" not in capsys.readouterr().err


def test_a_brn_whose_record_is_in_the_trash_is_refused_in_the_preview(services, tmp_path):
    company = services.supply_companies.create({"name": "디자인랩", "brn": "220-81-62517"})
    services.supply_companies.delete(company.id)
    rows = [["공급기업명", "사업자등록번호"], ["디자인랩2", "220-81-62517"]]
    plan = plan_import(services.database, "supply", write_xlsx(tmp_path / "s.xlsx", rows))
    assert not plan.ok and "휴지통" in str(plan.errors[0])


def test_a_database_changed_after_the_preview_stops_the_whole_file(services, tmp_path):
    rows = [["업체명", "사업자등록번호"], ["가", "124-81-00998"], ["나", "220-81-62517"]]
    plan = plan_import(services.database, "firms", write_xlsx(tmp_path / "f.xlsx", rows))
    assert plan.ok and len(plan.new) == 2
    services.firms.create({"name": "먼저 온 기업", "brn": "220-81-62517"})  # another window, before apply
    apply_import(services.database, plan)
    assert not plan.applied and "미리보기 뒤에 데이터가 바뀌었습니다" in str(plan.errors[0])
    assert [f.name for f in services.firms.list()] == ["먼저 온 기업"]


@pytest.mark.parametrize("blank", ["\u200b", "\u200b \u200b \u200b", "\u3000"])
def test_a_cell_that_only_looks_empty_never_erases_what_is_stored(services, tmp_path, blank):
    services.firms.create({"name": "보은식품", "brn": "124-81-00998", "representative": "홍길동",
                           "email": "a@b.kr"})
    rows = [["업체명", "사업자등록번호", "대표자", "이메일"], ["보은식품", "124-81-00998", blank, blank]]
    plan = import_firms(services, write_xlsx(tmp_path / "f.xlsx", rows))
    assert plan.ok and plan.unchanged == 1
    firm = services.firms.by_brn("124-81-00998")
    assert (firm.representative, firm.email) == ("홍길동", "a@b.kr")
