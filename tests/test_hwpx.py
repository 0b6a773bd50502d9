"""The editable copy: every document saved as HWPX (the format agencies edit in 한글) carries the
PDF's words and figures, validates with python-hwpx's own validators, has real tables with shaded
header rows and bold totals, the 결재란, embedded photos, A4 with the PDF's margins, page numbers,
breaks Hangul lines between words, and is offered by the CLI and the save dialog."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from hwpx import HwpxDocument
from hwpx.tools.package_validator import validate_package
from hwpx.tools.validator import validate_document
from lxml import etree
from PIL import Image

from boeun_desk.cli import main
from boeun_desk.reports import api
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import Renderer
from tests.conftest import DEMO_TODAY
from tests.test_document_conventions import demo_documents

NS = {"hp": "http://www.hancom.co.kr/hwpml/2011/paragraph", "hh": "http://www.hancom.co.kr/hwpml/2011/head"}


def hwpx_text(path: Path) -> str:
    """Every text of the file as 한글 would show it: the body (tables' cells tab-separated, a row a
    line) read back by python-hwpx."""
    document = HwpxDocument.open(path)
    try:
        return document.text.plain()
    finally:
        document.close()


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in ("Contents/header.xml",
                                                                      "Contents/section0.xml")}


def assert_valid(path: Path) -> None:
    package, schema = validate_package(path), validate_document(path)
    assert package.ok, package.errors
    assert schema.ok, schema.issues


def walk(blocks: tuple[b.Block, ...]):
    for block in blocks:
        yield block
        if isinstance(block, b.Group):
            yield from walk(block.blocks)


@pytest.fixture
def both(demo, tmp_path, monkeypatch):
    """Every demo document (`demo_documents`: new documents join there) as PDF and, from the same
    data in the same run, as HWPX beside it; with the Document both were drawn from."""
    documents: dict[Path, b.Document] = {}
    render = Renderer.render

    def render_both(self, data, out):
        path = render(self, data, out)
        documents[path] = self.document(data)
        render(self, data, Path(out).with_suffix(".hwpx"))
        return path

    monkeypatch.setattr(Renderer, "render", render_both)
    pdfs = demo_documents(demo, tmp_path)
    monkeypatch.undo()
    return {kind: (path, path.with_suffix(".hwpx"), documents[path]) for kind, path in pdfs.items()}


def test_every_demo_document_as_hwpx_validates_and_carries_the_pdfs_words_and_totals(both):
    assert {"firm", "visit", "certs", "annual-2024"} <= set(both)
    for kind, (pdf, hwpx, document) in both.items():
        assert_valid(hwpx)
        text = hwpx_text(hwpx)
        for piece in b.plain_text(document):
            for line in piece.split("\n"):
                assert line.strip() in text, (kind, line)
        pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout
        totals = [block.total for block in walk(document.blocks) if isinstance(block, b.Grid) and block.total]
        for total in totals:  # the same total row, cell for cell, in both files
            assert "\t".join(total) in text, (kind, total)
            assert re.search(r"\s+".join(re.escape(cell) for cell in total), pdf_text), (kind, total)
        metadata = HwpxDocument.open(hwpx).parts.metadata
        assert metadata.title == document.title and metadata.creator == document.author, kind
    assert any(block.total for _, _, document in both.values() for block in walk(document.blocks)
               if isinstance(block, b.Grid))  # the totals above were really compared


def test_hwpx_tables_page_fonts_and_line_breaking(both):
    _, hwpx, document = both["annual-2024"]
    header, section = parts(hwpx).values()
    grids = [block for block in walk(document.blocks) if isinstance(block, b.Grid) and block.rows]
    tables = section.findall(".//hp:tbl", NS)
    by_header = {tuple("".join(cell.itertext()) for cell in table.find("hp:tr", NS).findall("hp:tc", NS)): table
                 for table in tables}
    fills = {fill.get("id"): fill for fill in header.iterfind(".//hh:borderFill", NS)}
    char = {pr.get("id"): pr for pr in header.iterfind(".//hh:charPr", NS)}
    for grid in grids:
        table = by_header[grid.headers]  # every table of the PDF is a table here
        rows = table.findall("hp:tr", NS)
        assert table.get("repeatHeader") == "1" and len(rows) == 1 + len(grid.rows) + (grid.total is not None)
        for cell in rows[0].findall("hp:tc", NS):  # header row: marked, shaded, bordered, bold
            assert cell.get("header") == "1"
            fill = fills[cell.get("borderFillIDRef")]
            assert fill.find(".//hc:winBrush", {"hc": "http://www.hancom.co.kr/hwpml/2011/core"}).get(
                "faceColor") == "#E8EDF3"
            assert fill.find("hh:leftBorder", NS).get("type") == "SOLID"
            assert char[cell.find(".//hp:run", NS).get("charPrIDRef")].find("hh:bold", NS) is not None
        if grid.total is not None:  # the total row bold on grey, the body rows not bold
            last, body = rows[-1].find(".//hp:run", NS), rows[1].find(".//hp:run", NS)
            assert char[last.get("charPrIDRef")].find("hh:bold", NS) is not None
            assert char[body.get("charPrIDRef")].find("hh:bold", NS) is None
    # the 결재란: a table of its own with 결재 and the office's box titles, beside the title
    approval = [t for t in tables if "".join(t.find("hp:tr", NS).itertext()).startswith("결재")]
    assert len(approval) == 1 and "".join(approval[0].itertext()) == "결재담당팀장센터장"
    assert approval[0].getparent().getparent().getparent().tag.endswith("subList")  # nested in the title row
    # A4, the PDF's margins (16 / 24 / 18 mm), one Hangul font by name
    page = section.find(".//hp:pagePr", NS)
    margin = page.find("hp:margin", NS)
    assert (int(page.get("width")), round(int(page.get("height")) / 100)) == (59528, 842)
    assert [round(int(margin.get(side)) * 25.4 / 7200) for side in ("left", "right", "top", "bottom")] == \
        [16, 16, 24, 18]
    assert {font.get("face") for font in header.iterfind(".//hh:fontface[@lang='HANGUL']/hh:font", NS)} >= \
        {"함초롬돋움"}
    used = {run.get("charPrIDRef") for run in section.iterfind(".//hp:run", NS)} - {"0"}
    hangul_font = {f.get("id"): f.get("face") for f in header.iterfind(".//hh:fontface[@lang='HANGUL']/hh:font", NS)}
    assert {hangul_font[char[i].find("hh:fontRef", NS).get("hangul")] for i in used} == {"함초롬돋움"}
    # every paragraph shape used breaks Hangul lines between words (어절), see reports.hwpx
    shapes = {p.get("paraPrIDRef") for p in section.iterfind(".//hp:p", NS)}
    settings = {pr.get("id"): pr.find("hh:breakSetting", NS).get("breakNonLatinWord")
                for pr in header.iterfind(".//hh:paraPr", NS)}
    assert {settings[shape] for shape in shapes} == {"BREAK_WORD"}
    # page numbers: the print date and page / pages in the footer, the program and title in the header
    footer = section.find(".//hp:footer", NS)
    assert [n.get("numType") for n in footer.iterfind(".//hp:autoNum", NS)] == ["PAGE", "TOTAL_PAGE"]
    assert footer.find(".//hp:pageNum", NS) is None  # no second number drawn by 한글's own control
    assert "출력일 2026. 11. 25." in "".join(footer.itertext())
    assert "".join(section.find(".//hp:header", NS).itertext()) == f"{document.header}{document.title}"


def test_visit_record_hwpx_embeds_the_photo(demo, tmp_path):
    firm = demo.firms.by_brn("303-87-40163")
    visit = demo.visits.list(firm_id=firm.id)[0]
    photo = tmp_path / "현장.png"
    Image.new("RGB", (1600, 900), (200, 60, 60)).save(photo)
    demo.attachments.attach("visit", visit.id, photo, caption="살균 설비 현장")
    broken = tmp_path / "깨진.jpg"
    broken.write_bytes(b"not a picture")
    demo.attachments.attach("visit", visit.id, broken, caption="깨진 사진")
    path = api.render_visit_record(demo, visit.id, tmp_path / "visit.hwpx", today=DEMO_TODAY)
    assert_valid(path)
    with zipfile.ZipFile(path) as archive:
        pictures = [name for name in archive.namelist() if name.startswith("BinData/")]
    assert len(pictures) == 1
    section = parts(path)["Contents/section0.xml"]
    assert len(section.findall(".//hp:pic", NS)) == 1
    text = hwpx_text(path)
    assert "살균 설비 현장" in text and "사진을 열 수 없습니다: 깨진 사진" in text
    assert "(서명 또는 인)" in text


def test_cli_writes_hwpx_by_format_or_name_and_refuses_a_mismatch(demo_path, tmp_path, capsys):
    db = ["--db", str(demo_path)]
    assert main([*db, "report", "annual", "--year", "2024", "--format", "hwpx", "-o", str(tmp_path / "a")]) == 0
    assert_valid(tmp_path / "a.hwpx")
    assert main([*db, "report", "certs", "-o", str(tmp_path / "c.hwpx")]) == 0
    assert_valid(tmp_path / "c.hwpx") and "인증·시험분석 현황" in hwpx_text(tmp_path / "c.hwpx")
    assert main([*db, "report", "firm", "--brn", "303-87-40163", "--format", "pdf", "-o", str(tmp_path / "f.pdf")]) == 0
    assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    for argv in (["annual", "--year", "2024", "--format", "hwpx", "-o", str(tmp_path / "x.pdf")],
                 ["certs", "--format", "pdf", "-o", str(tmp_path / "x.hwpx")]):
        assert main([*db, "report", *argv]) == 2
        error = capsys.readouterr().err
        assert "출력 파일 이름이 맞지 않습니다" in error and "Traceback" not in error
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.hwpx").exists()


def test_cli_batch_as_hwpx_files_and_one_combined_hwpx(demo, demo_path, tmp_path):
    db = ["--db", str(demo_path)]
    assert main([*db, "report", "firm", "--all", "--format", "hwpx", "-o", str(tmp_path / "firms")]) == 0
    files = sorted((tmp_path / "firms").iterdir())
    assert len(files) == len(demo.firms.ids()) and all(f.suffix == ".hwpx" for f in files)
    assert_valid(files[0])
    assert main([*db, "report", "firm", "--all", "--combined", "-o", str(tmp_path / "all.hwpx")]) == 0
    assert_valid(tmp_path / "all.hwpx")
    text = hwpx_text(tmp_path / "all.hwpx")
    assert "목차" in text and all(name in text for name in demo.firms.names().values())


def test_save_dialog_offers_hwpx_and_the_reports_screen_saves_it(demo, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    from boeun_desk.ui import save_target
    from boeun_desk.ui.context import AppContext
    from boeun_desk.ui.main_window import MainWindow

    window = MainWindow(AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    types = save_target.file_types()
    assert set(types) == {".pdf", ".hwpx"}
    assert save_target.chosen_path(str(tmp_path / "a"), types[".hwpx"]) == tmp_path / "a.hwpx"
    assert save_target.chosen_path(str(tmp_path / "a"), types[".pdf"]) == tmp_path / "a.pdf"
    assert save_target.chosen_path(str(tmp_path / "a.hwpx"), types[".pdf"]) == tmp_path / "a.hwpx"
    screen = window.report_screen()
    screen.kind.set_value("annual")
    screen.year.set_value(2024)
    target = tmp_path / "연차성과보고.hwpx"
    monkeypatch.setattr(save_target, "choose_save_path", lambda *_a: target)
    screen.save_as()
    qtbot.waitUntil(lambda: target.exists() and "저장했습니다" in screen.status.text(), timeout=30000)
    assert_valid(target)
    assert "연차 성과보고" in hwpx_text(target)
