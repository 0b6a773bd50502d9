"""Printed documents: read the text back from the PDFs and check what an officer would check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from boeun_desk.cli import main
from boeun_desk.reports import api
from boeun_desk.validation import format_brn
from tests.conftest import DEMO_TODAY

TYPES_2024 = [("PROTO", "시제품 제작지원", 3), ("SMART", "스마트 기술적용 생산성향상", 1),
              ("TEST", "시험분석 및 인증지원", 8), ("PKG", "유망기업 패키지지원", 1), ("GUIDE", "기술지도지원", 5),
              ("IP", "지식재산권지원", 5), ("IMPROVE", "제품개선지원", 7), ("CONSULT", "컨설팅지원", 7)]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(path).pages)


def font_names(path: Path) -> set[tuple[str, bool]]:
    """(base font name, embedded?) of every font on every page."""
    found = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            found.add((str(font["/BaseFont"]), descriptor is not None and "/FontFile2" in descriptor.get_object()))
    return found


def assert_clean(text: str) -> None:
    assert "None" not in text and "nan" not in text.split()


@pytest.fixture
def firm(demo):
    return demo.firms.list(search="속리산대추명가")[0]


def test_firm_summary_shows_header_cases_totals_and_follow_ups(demo, firm, tmp_path):
    path = api.render_firm_summary(demo, firm.id, tmp_path / "firm.pdf", today=DEMO_TODAY)
    text = pdf_text(path)
    detail = demo.queries.firm_detail(firm.id)
    assert "기업별 지원현황" in text and firm.name in text and format_brn(firm.brn) in text
    assert firm.representative in text
    for case in detail.cases:
        assert case.title in text
    grant_total = sum(c.funding.total for c in detail.cases)
    assert re.search(rf"합계\s+{len(detail.cases)}건.*{round(grant_total / 1000):,}", text)
    for cert in detail.certifications:
        assert cert.kind in text
    assert "기한 경과" in text  # the demo firm has an overdue follow-up
    assert re.search(r"1 / \d+ 쪽", text)
    assert_clean(text)


def test_every_font_is_embedded_hangul(demo, firm, tmp_path):
    path = api.render_firm_summary(demo, firm.id, tmp_path / "firm.pdf")
    fonts = font_names(path)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert all("NanumGothic" in name for name, _ in fonts)


def test_annual_report_shows_published_counts_on_each_type_row(demo, tmp_path):
    text = pdf_text(api.render_annual_report(demo, 2024, tmp_path / "annual.pdf"))
    for code, name, count in TYPES_2024:
        assert re.search(rf"{re.escape(name)}\s+{count}\s", text), code
        assert code not in text  # no internal codes in a document
    assert re.search(r"합계\s+37\s", text)
    assert "천원" in text and not re.search(r"\s원\s", text)  # money in 천원, also the indicators
    assert "13개사" in text and "10개사" in text
    stats = demo.queries.annual_stats(2024)
    assert f"{round(stats.funding.grant / 1000):,}" in text
    for match in stats.matches:
        assert match.supply_company in text
    assert "2차년도에는 시제품 지원과 마케팅 지원을 패키지로 연계할 것" in text
    assert_clean(text)


def test_visit_record_with_approval_boxes_follow_ups_and_photo(demo, firm, tmp_path):
    from PIL import Image

    visit = demo.visits.list(firm_id=firm.id)[0]
    photo = tmp_path / "현장.png"
    Image.new("RGB", (1600, 900), (200, 60, 60)).save(photo)
    demo.attachments.attach("visit", visit.id, photo, caption="살균 설비 현장")
    path = api.render_visit_record(demo, visit.id, tmp_path / "visit.pdf")
    text = pdf_text(path)
    for label in ("방문상담·기술지도 일지", "담당", "팀장", "센터장", "현황 및 애로사항", "상담·지도 내용", "(서명 또는 인)",
                  "작성부서: 바이오센터", "기록번호", "작성일"):
        assert label in text
    assert visit.situation[:20] in text and firm.name in text and format_brn(firm.brn) in text
    for follow_up in demo.visits.follow_ups(visit.id):
        assert follow_up.action in text
    assert "살균 설비 현장" in text
    assert any("/XObject" in page["/Resources"] for page in PdfReader(path).pages)  # the photo is embedded


def test_certification_summary_marks_expired_and_soon(demo, tmp_path):
    text = pdf_text(api.render_certifications(demo, tmp_path / "certs.pdf", today=DEMO_TODAY))
    rows = demo.queries.certifications(today=DEMO_TODAY)
    assert all(r.number in text for r in rows)
    assert "만료 (20일 경과)" in text  # the demo's one expired certificate
    assert text.count("(임박)") == 1 + 3  # the footnote and the three expiring within 60 days
    assert "인증 14건 (만료 1건, 60일 이내 만료 3건)" in text
    one = api.render_certifications(demo, tmp_path / "one.pdf", rows[0].firm_id, today=DEMO_TODAY)
    text = pdf_text(one)
    assert rows[0].number in text and all(r.number not in text for r in rows if r.firm_id != rows[0].firm_id)


def test_batch_folder_combined_progress_and_cancel(demo, tmp_path):
    ids = demo.firms.ids()
    seen: list[tuple[int, int]] = []
    files = api.render_firm_batch(demo, ids, tmp_path / "each", combined=False,
                                  progress=lambda d, n: seen.append((d, n))).paths
    assert len(files) == len(ids) == 22 and seen[-1] == (22, 22)
    assert all(f.name.startswith("기업별지원현황_") for f in files)
    combined = api.render_firm_batch(demo, ids[:3], tmp_path / "all.pdf", combined=True).paths
    per_firm = sum(len(PdfReader(f).pages) for f in files[:3])
    assert len(PdfReader(combined[0]).pages) == per_firm + 2  # and a cover and a contents page
    calls = iter(range(100))
    with pytest.raises(api.Cancelled):
        api.render_firm_batch(demo, ids, tmp_path / "cancelled", combined=False,
                              cancelled=lambda: next(calls) >= 5)
    assert list((tmp_path / "cancelled").iterdir()) == []


def test_stress_data_renders_without_overflow(services, tmp_path):
    """60 cases, 3,000-character notes, a 40-character name and missing fields."""
    name = "보은" + "대추가공식품영농조합법인" * 3 + "주식회사테스"
    assert len(name) >= 40
    firm = services.firms.create({"name": name, "brn": "124-81-00998"}).id
    py = services.program_years.by_year(2024).id
    types = [st.id for st in services.support_types.list()]
    for i in range(60):
        services.cases.create({"firm_id": firm, "program_year_id": py, "support_type_id": types[i % 8],
                               "title": f"과제 {i} " + "긴 제목 " * 10, "grant_national": 1_000_000 + i,
                               "firm_cash": 500_000})
    long_note = ("원료 수급이 불안정하고 설비가 노후되어 생산량이 줄었음. " * 100)[:3000]
    visit = services.visits.create({"firm_id": firm, "starts_at": "2024-05-02", "situation": long_note,
                                    "advice": long_note, "purpose": long_note[:500],
                                    "follow_ups": [{"action": long_note[:800], "due_date": "2024-06-01"}]}).id
    summary = pdf_text(api.render_firm_summary(services, firm, tmp_path / "firm.pdf"))
    assert "과제 59" in summary and re.search(r"합계\s+60건", summary)
    record = api.render_visit_record(services, visit, tmp_path / "visit.pdf")
    assert len(PdfReader(record).pages) >= 2
    text = pdf_text(record)
    assert "원료 수급이 불안정하고" in text and "-" in text  # missing fields print as "-"
    assert_clean(summary + text)


def test_cli_reports_and_errors(capsys, demo_path, tmp_path):
    db = ["--db", str(demo_path)]
    assert main([*db, "report", "annual", "--year", "2024", "-o", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert main([*db, "report", "firm", "--all", "-o", str(tmp_path / "firms")]) == 0
    assert len(list((tmp_path / "firms").glob("*.pdf"))) == 22
    capsys.readouterr()
    for argv in (["report", "firm", "--brn", "124-81-00998", "-o", str(tmp_path / "x.pdf")],
                 ["report", "annual", "--year", "2031", "-o", str(tmp_path / "x.pdf")],
                 ["report", "visit", "--id", "no-such-visit", "-o", str(tmp_path / "x.pdf")],
                 ["report", "firm", "-o", str(tmp_path / "x.pdf")]):
        assert main([*db, *argv]) == 2
        err = capsys.readouterr().err
        assert err.strip() and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_table_cells_that_fit_are_plain_strings_and_long_ones_wrap(tmp_path):
    """One-line cells skip Paragraph (a third of a document's time) and look the same; longer text,
    line breaks and markup characters still go through a Paragraph and wrap inside the cell."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from boeun_desk.reports.base import register_fonts, table

    register_fonts()
    long = "보은 대추를 원료로 한 저당 대추즙 시제품 제작과 영양성분 분석, 포장 디자인 개선 " * 2
    grid = table(["구분", "내용"], [["  짧은 \t 값 ", long], ["<b>&", "둘째 줄\n셋째 줄"]], [0.2, 0.8])
    cells = grid._cellvalues
    assert cells[0][0] == "구분" and cells[1][0] == "짧은 값" and cells[2][0] == "<b>&"
    assert isinstance(cells[1][1], Paragraph) and isinstance(cells[2][1], Paragraph)
    path = tmp_path / "grid.pdf"
    SimpleDocTemplate(str(path)).build([grid])
    text = re.sub(r"\s+", "", pdf_text(path))
    assert "짧은값" in text and "<b>&" in text and "둘째줄" in text and "포장디자인개선" in text
    assert grid.wrap(400, 800)[1] > 4 * 11.5  # the long cell took several lines


def test_a_bad_or_huge_photo_is_a_note_in_the_visit_record_never_a_failure(tmp_path):
    from PIL import Image as PILImage
    from reportlab.platypus import Image

    from boeun_desk.reports.visit_record import PHOTO_MAX_SIDE, photo_cell
    from boeun_desk.services.documents import Photo

    PILImage.new("1", (20000, 20000)).save(tmp_path / "bomb.png")  # 48 KB claiming 400 megapixels
    PILImage.new("RGB", (3000, 2000), (200, 100, 50)).save(tmp_path / "site.jpg")
    (tmp_path / "cut.jpg").write_bytes((tmp_path / "site.jpg").read_bytes()[:300])
    (tmp_path / "text.jpg").write_text("not a picture")
    for name in ("bomb.png", "cut.jpg", "text.jpg"):
        cell = photo_cell(Photo(tmp_path / name, "현장"), 200)
        assert len(cell) == 1 and "사진을 열 수 없습니다" in cell[0].text, name
    image, caption = photo_cell(Photo(tmp_path / "site.jpg", "작업장"), 200)
    assert isinstance(image, Image) and caption.text == "작업장"
    assert max(image.imageWidth, image.imageHeight) <= PHOTO_MAX_SIDE  # printed from a scaled copy
