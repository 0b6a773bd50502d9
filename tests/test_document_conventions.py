"""The agencies' conventions in every document: 결재란 and byline from the program's settings,
the masked handout, line breaks between words, headings kept with their tables, tables on the
margins, the combined batch as one document, and every demo document listed so none goes missing."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from boeun_desk.cli import main
from boeun_desk.reports import api
from boeun_desk.reports import blocks as b
from boeun_desk.reports.masking import mask_email, mask_name, mask_phone
from boeun_desk.services.documents import Documents
from tests.conftest import DEMO_TODAY

FOOTER = re.compile(r"^\s*출력일 .* 쪽\s*$")


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def demo_documents(demo, folder: Path, *, masked: bool = False) -> dict[str, Path]:
    """Every document the demo can print (one of each kind, the annual report for both years)."""
    firm = demo.firms.by_brn("303-87-40163")
    visit = demo.visits.list(firm_id=firm.id)[0]
    kw = {"today": DEMO_TODAY, "masked": masked}
    return {
        "firm": api.render_firm_summary(demo, firm.id, folder / "firm.pdf", **kw),
        "visit": api.render_visit_record(demo, visit.id, folder / "visit.pdf", **kw),
        "certs": api.render_certifications(demo, folder / "certs.pdf", **kw),
        "certs-firm": api.render_certifications(demo, folder / "certs-firm.pdf", firm.id, **kw),
        "annual-2024": api.render_annual_report(demo, 2024, folder / "annual-2024.pdf", **kw),
        "annual-2025": api.render_annual_report(demo, 2025, folder / "annual-2025.pdf", **kw),
        **{f"{kind}-{year}": render(demo, year, folder / f"{kind}-{year}.pdf", **kw)
           for kind, render in (("indicators", api.render_indicator_report), ("budget", api.render_budget_report),
                                ("matches", api.render_matches))
           for year in (2024, 2025)},
        **{f"meeting-{m.held_on}": api.render_meeting_minutes(demo, m.id, folder / f"meeting-{m.held_on}.pdf", **kw)
           for m in demo.meetings.list()},
    }


def test_every_demo_document_prints_with_its_title_byline_and_page_numbers(demo, tmp_path):
    titles = {"firm": "기업별 지원현황", "visit": "방문상담·기술지도 일지", "certs": "인증·시험분석 현황",
              "certs-firm": "인증·시험분석 현황", "annual-2024": "2024년 연차 성과보고",
              "annual-2025": "2025년 연차 성과보고", "indicators-2024": "2024년 성과지표 달성 현황",
              "indicators-2025": "2025년 성과지표 달성 현황", "budget-2024": "2024년 사업비 집행 현황",
              "budget-2025": "2025년 사업비 집행 현황", "meeting-2024-11-28": "2024년 성과보고회 회의록",
              "meeting-2024-12-12": "2024년 지역산업전문가 자문회의 회의록",
              "meeting-2025-06-19": "2025년 상반기 자문회의 회의록", "matches-2024": "2024년 공급기업 매칭 현황",
              "matches-2025": "2025년 공급기업 매칭 현황"}
    documents = demo_documents(demo, tmp_path)
    assert set(documents) == set(titles)
    for kind, path in documents.items():
        pages = page_texts(path)
        assert titles[kind] in pages[0], kind
        assert "작성기관: (재)충북테크노파크" in pages[0] and "작성부서: 바이오센터" in pages[0], kind
        for number, page in enumerate(pages, start=1):
            assert re.search(rf"\b{number}\s*/\s*{len(pages)}\s*쪽", page), (kind, number)
        assert PdfReader(path).metadata.title == titles[kind]


def test_approval_boxes_follow_the_program_settings(demo, tmp_path):
    firm = demo.firms.by_brn("303-87-40163")
    program = demo.programs.list()[0]
    demo.programs.update(program.id, {"approval_titles": "담당 / 팀장 / 본부장 / 원장", "department": "전략산업팀"},
                         expected_version=program.version)
    text = page_texts(api.render_firm_summary(demo, firm.id, tmp_path / "f.pdf"))[0]
    assert all(title in text for title in ("담당", "팀장", "본부장", "원장", "작성부서: 전략산업팀", "작성자: 테스트담당"))
    assert "센터장" not in text
    program = demo.programs.get(program.id)
    demo.programs.update(program.id, {"approval_titles": ""}, expected_version=program.version)  # no 결재란 at all
    text = page_texts(api.render_firm_summary(demo, firm.id, tmp_path / "g.pdf"))[0]
    assert "결" not in text.split("1. 기업 개요")[0].replace("결재", "") and "팀장" not in text


def test_approval_titles_are_validated(demo):
    from boeun_desk.services.base import ValidationFailed

    program = demo.programs.list()[0]
    for bad in ("담당,팀장,센터장,본부장,원장,이사장,감사", "아주아주긴결재칸이름입니다"):
        with pytest.raises(ValidationFailed) as failure:
            demo.programs.update(program.id, {"approval_titles": bad}, expected_version=program.version)
        assert "결재란" in str(failure.value)
    demo.programs.update(program.id, {"approval_titles": " 담당·팀장 | 센터장 "}, expected_version=program.version)
    assert demo.programs.get(program.id).approval_titles == "담당,팀장,센터장"


def test_masking_rules():
    assert (mask_name("김철용"), mask_name("김철"), mask_name("남궁민수")) == ("김*용", "김*", "남**수")
    assert mask_phone("대표 043-544-1234, 010-1234-5678") == "대표 043-***-1234, 010-****-5678"
    assert mask_phone("303-87-40163 151171-3713764") == "303-87-40163 151171-3713764"  # numbers of firms stay
    assert mask_email("연락: hong@boeun.kr") == "연락: ho**@boeun.kr"


def test_masked_handouts_hide_personal_data_everywhere(demo, tmp_path, capsys):
    firm = demo.firms.by_brn("303-87-40163")
    documents = demo_documents(demo, tmp_path, masked=True)
    for kind, path in documents.items():
        text = "\n".join(page_texts(path))
        assert firm.representative not in text and firm.phone not in text and firm.email not in text, kind
        assert not re.search(r"0\d{1,2}-\d{3,4}-\d{4}", text), kind
        assert "(배포용)" in text, kind
    firm_text = "\n".join(page_texts(documents["firm"]))
    assert mask_name(firm.representative) in firm_text and "043-***-1000" in firm_text
    assert firm.brn[:3] in firm_text  # the firm's own numbers are not personal data
    # The CLI: --masked on every document.
    db = ["--db", str(demo.database.path)]
    assert main([*db, "report", "firm", "--brn", firm.brn, "--masked", "-o", str(tmp_path / "m.pdf")]) == 0
    assert firm.representative not in "\n".join(page_texts(tmp_path / "m.pdf"))
    assert main([*db, "report", "annual", "--year", "2024", "--masked", "-o", str(tmp_path / "a.pdf")]) == 0


def test_lines_break_between_words_and_only_a_long_word_breaks_inside():
    from reportlab.platypus import Paragraph

    from boeun_desk.reports.base import Styles, register_fonts

    register_fonts()
    for value, width in (("디자인·마케팅 컨설팅 현장 애로 해결", 60), ("현장 애로사항 청취 후 기술지도", 50)):
        paragraph = Paragraph(value, Styles.cell)
        paragraph.wrap(width, 1000)
        lines = [" ".join(w.text if hasattr(w, "text") else w for w in line[1]) if isinstance(line, tuple)
                 else " ".join(line.words) for line in paragraph.blPara.lines]
        assert sorted(" ".join(lines).split()) == sorted(value.split()), lines  # whole words on every line
    long_word = Paragraph("가" * 40, Styles.cell)
    long_word.wrap(60, 1000)
    assert len(long_word.blPara.lines) > 1  # a word longer than the cell still fits, broken inside


def test_tables_line_up_with_the_page_margins():
    from boeun_desk.reports.base import CONTENT_WIDTH, MARGIN_X, PAGE_WIDTH, page_template

    template = page_template("x.pdf", b.Document("t", "h", date(2024, 1, 1), ()))
    frame = template.pageTemplates[0].frames[0]
    assert frame._x1 == MARGIN_X and frame._leftPadding == frame._rightPadding == 0
    assert frame._width == CONTENT_WIDTH == PAGE_WIDTH - 2 * MARGIN_X


def test_a_heading_never_ends_a_page(demo, services, tmp_path):
    """With 70 certificates, page 1 holds the heading and the first rows, not a title alone; in every
    demo document no section heading is the last line of a page."""
    firm = services.firms.create({"name": "인증많은기업", "brn": "124-81-00998"}).id
    for i in range(70):
        services.certifications.create({"firm_id": firm, "kind": f"인증 {i}", "number": f"제2024-{i:03d}호",
                                        "issuer": "인증기관", "issued_on": "2024-01-02", "expires_on": "2027-01-01"})
    first = page_texts(api.render_certifications(services, tmp_path / "many.pdf", today=DEMO_TODAY))[0]
    assert "1. 인증 현황" in first and "제2024-002호" in first
    heading = re.compile(r"^\s*\d+\.\s+\S")
    for kind, path in demo_documents(demo, tmp_path).items():
        for number, page in enumerate(page_texts(path), start=1):
            lines = [line for line in page.splitlines() if line.strip() and not FOOTER.match(line)]
            assert not heading.match(lines[-1]), (kind, number, lines[-1])


def test_combined_batch_is_one_document(demo, tmp_path):
    ids = demo.firms.ids()
    seen: list[tuple[int, int]] = []
    demo.set_officer("김담당")
    path = api.render_firm_batch(demo, ids, tmp_path / "all.pdf", combined=True,
                                 progress=lambda d, n, **_stage: seen.append((d, n))).paths[0]
    reader = PdfReader(path)
    pages = page_texts(path)
    assert reader.metadata.title == "기업별 지원현황 모음" and "김담당" in reader.metadata.author
    assert reader.metadata.subject and seen[-1] == (len(ids), len(ids))
    assert "기업별 지원현황 모음" in pages[0] and "22개사" in pages[0] and "목차" in pages[1]
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\s*쪽", page), number
    # The contents give the page each firm starts on; that page shows the firm's summary.
    names = demo.firms.names()
    entries = re.findall(r"^\s*(\d+)\s+(\S.*?)\s+(\d+)\s*$", pages[1], re.M)
    assert len(entries) == len(ids)
    for _n, name, page in entries:
        start = pages[int(page) - 1]
        assert "기업별 지원현황" in start and name.rstrip("…")[:6] in start
    assert [name for _n, name, _p in entries] == [names[i] for i in ids]
    # The font is embedded once for the whole file, not once per firm.
    fonts = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.add(ref.idnum if hasattr(ref, "idnum") else id(ref))
    assert len(fonts) <= 6
    assert path.stat().st_size < 600_000


def test_the_combined_batch_cancels_cleanly(demo, tmp_path):
    calls = iter(range(1000))
    with pytest.raises(api.Cancelled):
        api.render_firm_batch(demo, demo.firms.ids(), tmp_path / "all.pdf", combined=True,
                              cancelled=lambda: next(calls) >= 30)  # while drawing, after gathering
    assert not (tmp_path / "all.pdf").exists() and not [p for p in tmp_path.iterdir() if ".pdf" in p.name]


def test_documents_settings_come_from_the_program(demo):
    settings = Documents(demo).settings()
    assert settings.organisation == "(재)충북테크노파크" and settings.department == "바이오센터"
    assert settings.approval == ("담당", "팀장", "센터장") and settings.author == "테스트담당"


def test_no_firm_summary_gets_a_page_only_for_empty_sections(demo, tmp_path):
    """A section with nothing to show is one line (heading and note), so a firm's last page always
    carries something more than "... 없습니다."."""
    for path in api.render_firm_batch(demo, demo.firms.ids(), tmp_path / "each", combined=False).paths:
        pages = page_texts(path)
        if len(pages) == 1:
            continue
        lines = [line.strip() for line in pages[-1].splitlines()[1:] if line.strip() and not FOOTER.match(line)]
        assert any(not line.endswith("없습니다.") for line in lines), (path.name, lines)


def test_visit_record_carries_the_expert_hours_number_and_date(demo, tmp_path):
    from boeun_desk.models import Visit

    with demo.database.sessions() as session:
        visit = session.query(Visit).filter(Visit.expert_name != "").first()
        visit_id, expert, org, created = visit.id, visit.expert_name, visit.expert_org, visit.created_at.date()
    text = "\n".join(page_texts(api.render_visit_record(demo, visit_id, tmp_path / "v.pdf")))
    assert f"{expert} ({org})" in text and "지도 시간" in text and "2시간" in text
    assert re.search(r"기록번호 \d{8}-[0-9A-F]{4}", text)
    assert f"작성일: {created.year}. {created.month}. {created.day}." in text
    assert text.count("(서명 또는 인)") == 3  # 담당자, 지도위원, 기업 확인
