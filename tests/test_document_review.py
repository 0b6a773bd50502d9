"""What a review of the documents found, kept fixed: handouts that leaked, rows too tall for a page,
totals that did not re-add with amounts not in whole 천원, the settings and the documents reading
different programs, crowded 결재란 and signature lines, a long name over the running header."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from boeun_desk.reports import api
from boeun_desk.reports.masking import masker
from tests.conftest import DEMO_TODAY
from tests.test_totals import check_totals


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("written", ["043)544-1234", "0435441234", "+82-43-544-1234", "(043) 544-1234",
                                     "043.544.1234", "043-5441234", "01012345678", "010 2345 6789",
                                     "+82 10 1234 5678", "043 544 1234", "02-123-4567"])
def test_every_way_of_writing_a_phone_number_is_masked(written):
    masked = masker([])(f"연락처 {written} 입니다")
    digits = re.sub(r"\D", "", written)
    assert digits[-4:] in masked and "*" in masked and digits not in re.sub(r"\D", "", masked)


@pytest.mark.parametrize("kept", ["303-87-40163", "151171-3713764", "40-2024-0095850", "2024. 11. 28.",
                                  "10,500,500", "제2024-418호", "TR-2025-8012", "보은대추 가공 기술 대표 제품",
                                  "박민준 선임연구원"[:3] + "씨앗", "이수증 발급", "김철용농원"])
def test_what_is_not_personal_stays(kept):
    assert masker(["김철용", "이수"])(kept) == kept


def test_names_of_people_are_masked_wherever_they_stand():
    mask = masker(["김철용", "이영희·박철수"])
    assert mask("김철용 대표, 이영희 과장(010-1234-5678), 박수진 주임") == \
        "김*용 대표, 이*희 과장(010-****-5678), 박*진 주임"
    assert mask("김 철용 대표와 박철수가 참석") == "김*용 대표와 박*수가 참석"
    assert mask("홍길동(충북대 교수, 010-5555-6666)").startswith("홍*동(")
    assert mask("김철용님 확인") == "김*용님 확인"


def test_a_masked_firm_summary_and_annual_report_leak_no_phone_or_attendee(demo, tmp_path):
    firm = demo.firms.by_brn("303-87-40163")
    demo.firms.update(firm.id, {"phone": "0435441234", "representative": "김철용"})
    visit = demo.visits.list(firm_id=firm.id)[0]
    demo.visits.update(visit.id, {"attendees": "김철용 대표, 이영희 과장(010 2345 6789)",
                                  "situation": "담당 이영희 과장에게 043)544-9876 으로 연락"})
    for path in (api.render_firm_summary(demo, firm.id, tmp_path / "f.pdf", masked=True),
                 api.render_visit_record(demo, visit.id, tmp_path / "v.pdf", masked=True)):
        text = text_of(path)
        assert "김철용" not in text and "이영희" not in text and "5441234" not in text.replace("-", "")
        assert "2345" not in text and "544-9876" not in text and "(배포용)" in text
    meeting = demo.meetings.list()[0]
    demo.meetings.update(meeting.id, {"attendees": "홍길동(충북대 교수, 010-5555-6666), 박영희 위원"})
    annual = text_of(api.render_annual_report(demo, 2024, tmp_path / "a.pdf", masked=True))
    assert "홍길동" not in annual and "박영희" not in annual and "5555-6666" not in annual


def test_rows_taller_than_a_page_split_instead_of_failing(demo, tmp_path):
    firm = demo.firms.by_brn("303-87-40163")
    visit = demo.visits.list(firm_id=firm.id)[0]
    demo.visits.update(visit.id, {"purpose": "원료 수급 안정화 방안 협의 " * 250,
                                  "follow_ups": [{"action": "포장재 견적 비교표 제출 " * 700, "due_date": "2024-06-01"}]})
    assert "원료 수급" in text_of(api.render_firm_summary(demo, firm.id, tmp_path / "f.pdf"))
    assert "포장재 견적" in text_of(api.render_visit_record(demo, visit.id, tmp_path / "v.pdf"))
    combined = api.render_firm_batch(demo, demo.firms.ids(), tmp_path / "all.pdf", combined=True)
    assert combined.paths == (tmp_path / "all.pdf",)


def test_totals_re_add_when_amounts_are_not_whole_thousands(services, tmp_path):
    firm = services.firms.create({"name": "끝전기업", "brn": "124-81-00998"}).id
    year = services.program_years.by_year(2024).id
    kind = services.support_types.list()[0].id
    for _ in range(3):
        services.cases.create({"firm_id": firm, "program_year_id": year, "support_type_id": kind, "title": "과제",
                               "status": "done", "grant_national": 10_500_500, "grant_provincial": 1_500,
                               "grant_county": 2_500, "firm_cash": 500, "firm_in_kind": 499})
    summary = text_of(api.render_firm_summary(services, firm, tmp_path / "f.pdf"))
    assert check_totals(summary) >= 1
    assert re.search(r"합계\s+3건\s+31,503\s+6\s+9\s+3\s+0\s+31,521", summary), summary
    annual = text_of(api.render_annual_report(services, 2024, tmp_path / "a.pdf", today=DEMO_TODAY))
    assert check_totals(annual) >= 4


def test_settings_and_documents_use_the_same_program(demo, tmp_path):
    firm = demo.firms.by_brn("303-87-40163")
    demo.programs.create({"name": "2026~2027 후속사업", "start_year": 2026, "end_year": 2027,
                          "lead_agency": "(재)충북테크노파크", "department": "식품산업팀",
                          "approval_titles": "담당,팀장,원장"})
    assert demo.programs.current().name == "2026~2027 후속사업"
    text = text_of(api.render_firm_summary(demo, firm.id, tmp_path / "f.pdf"))
    assert "작성부서: 식품산업팀" in text and "원장" in text


def test_long_approval_titles_and_the_expert_signature_are_never_broken(demo, tmp_path):
    program = demo.programs.current()
    demo.programs.update(program.id, {"approval_titles": "담당,센터장직무대리,본부장,부원장,원장,이사장"},
                         expected_version=program.version)
    firm = demo.firms.by_brn("303-87-40163")
    text = text_of(api.render_firm_summary(demo, firm.id, tmp_path / "f.pdf"))
    assert "센터장직무대리" in text and "이사장" in text
    with demo.database.sessions() as session:
        from boeun_desk.models import Visit

        visit_id = session.query(Visit.id).filter(Visit.expert_name != "").first()[0]
    record = text_of(api.render_visit_record(demo, visit_id, tmp_path / "v.pdf"))
    assert "지도위원" in record and "지도위" not in record.replace("지도위원", "")


def test_a_long_firm_name_is_shortened_in_the_running_header(services, tmp_path):
    name = "보은" + "대추가공식품영농조합법인" * 3 + "주식회사"
    firm = services.firms.create({"name": name, "brn": "124-81-00998"}).id
    path = api.render_firm_batch(services, [firm], tmp_path / "all.pdf", combined=True).paths[0]
    header = text_of(path).split("\f")[2].splitlines()[0]
    assert "…" in header and "시군구연고산업육성사업" in header


def test_a_visit_record_without_photos_fits_one_page(demo, tmp_path):
    from pypdf import PdfReader

    visits = [v for v in demo.visits.list()][:5]
    for visit in visits:
        path = api.render_visit_record(demo, visit.id, tmp_path / f"{visit.id}.pdf")
        assert len(PdfReader(path).pages) == 1, visit.id


def test_a_photo_heading_moves_with_its_photo(demo, tmp_path):
    """The photo section's heading is never left at a page foot with the photo on the next page."""
    from PIL import Image

    firm = demo.firms.by_brn("303-87-40163")
    visit = demo.visits.list(firm_id=firm.id)[0]
    demo.visits.update(visit.id, {"advice": "포장 구조 개선안 검토 " * 120})
    photo = tmp_path / "현장.jpg"
    Image.new("RGB", (1600, 1200), (120, 90, 60)).save(photo)
    demo.attachments.attach("visit", visit.id, photo, caption="작업장")
    pages = text_of(api.render_visit_record(demo, visit.id, tmp_path / "v.pdf")).split("\f")
    holding = [n for n, page in enumerate(pages) if "6. 현장 사진" in page]
    assert holding and "작업장" in pages[holding[0]]


def test_the_firm_summary_file_is_named_by_the_firm_s_latest_year(context, qtbot):
    from boeun_desk.ui.reports_screen import ReportsScreen
    from boeun_desk.ui.table_model import Lookups

    screen = ReportsScreen(context, Lookups(context))
    qtbot.addWidget(screen)
    screen.kind.set_value("firm")
    firm = context.services.firms.by_brn("301-64-35821")  # 산외면약초가공: supported in 2025 only
    screen.firm.set_value(firm.id)
    screen.year.set_value(2024)
    assert screen.suggested_name().endswith("_2025.pdf")
