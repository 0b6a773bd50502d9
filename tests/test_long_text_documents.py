"""Every text field of every record a document shows, at the longest the forms allow (10,000
characters for a note; a field's own limit, e.g. a 300-character place, for one line), with spaces
between words and without any: every document renders to PDF and HWPX, and no text is lost. Each
value starts and ends with a tag; wherever a value's start is printed, its end is printed too."""

from __future__ import annotations

import re
import subprocess
import zipfile
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from boeun_desk import schemas
from boeun_desk.reports import blocks as b
from boeun_desk.services import Services
from boeun_desk.storage.engine import open_database

NOTE = 10_000
WORDS = {"spaced": "보은 대추 가공 설비의 위생 개선과 판로 ", "unbroken": "보은대추가공설비위생개선판로"}


def long_text(tag: int, length: int, style: str) -> str:
    start, end = f"〔{tag}〕", f"〔{tag}끝〕"
    body = (WORDS[style] * (length // len(WORDS[style]) + 1))[:length - len(start) - len(end)]
    return start + body + end


class Filler:
    def __init__(self, style: str):
        self.style, self.tags = style, count(1)

    def __call__(self, schema, **given):
        """Every text and note field of `schema` at its longest, and `given` as it is."""
        values = {f.name: long_text(next(self.tags), f.max_length or NOTE, self.style)
                  for f in schema if f.kind in ("text", "note") and f.name not in given}
        return {**values, **given}


def build(services: Services, style: str, folder: Path) -> dict[str, str]:
    fill = Filler(style)
    program = services.programs.current()
    services.programs.update(program.id, fill(schemas.PROGRAM, start_year=program.start_year,
                                              end_year=program.end_year))
    year = services.program_years.by_year(2024)
    services.program_years.update(year.id, fill(schemas.PROGRAM_YEAR, program_id=year.program_id, year=2024))
    support_type = services.support_types.list()[0]
    services.support_types.update(support_type.id, fill(schemas.SUPPORT_TYPE, code=support_type.code))
    officer = services.officers.create(fill(schemas.OFFICER)).id
    firm = services.firms.create(fill(schemas.FIRM, brn="124-81-00998", phone="043-544-1234")).id
    services.selections.create(fill(schemas.SELECTION, firm_id=firm, program_year_id=year.id))
    supplier = services.supply_companies.create(fill(schemas.SUPPLY_COMPANY)).id
    case = services.cases.create(fill(schemas.CASE, firm_id=firm, program_year_id=year.id,
                                      support_type_id=support_type.id, supply_company_id=supplier,
                                      status="done", grant_national=30_000_000, firm_cash=3_000_000)).id
    follow_up = fill([f for f in schemas.FOLLOW_UP if f.name != "visit_id"], due_date="2024-06-01")
    visit = services.visits.create(fill(schemas.VISIT, firm_id=firm, case_id=case, officer_id=officer,
                                        support_type_id=support_type.id, starts_at="2024-05-02 10:00",
                                        follow_ups=[follow_up])).id
    Image.new("RGB", (400, 300), (200, 100, 50)).save(folder / "site.jpg")
    services.attachments.attach("visit", visit, folder / "site.jpg", caption=long_text(next(fill.tags), 300, style))
    services.certifications.create(fill(schemas.CERTIFICATION, firm_id=firm, case_id=case, issued_on="2024-03-01",
                                        expires_on="2027-03-01"))
    services.tests.create(fill(schemas.TEST_ANALYSIS, firm_id=firm, case_id=case, requested_on="2024-04-01",
                               passed=True))
    services.ip_rights.create(fill(schemas.IP_RIGHT, firm_id=firm, case_id=case, kind="patent",
                                   application_date="2024-04-02"))
    services.indicators.create(fill(schemas.INDICATOR, firm_id=firm, year=2024, metric="sales", baseline=100,
                                    result=150))
    services.indicator_targets.create(fill(schemas.INDICATOR_TARGET, program_year_id=year.id, metric="sales",
                                           target=1000))
    services.matches.create(fill(schemas.MATCH, supply_company_id=supplier, firm_id=firm, program_year_id=year.id,
                                 matched_on="2024-11-28"))
    meeting = services.meetings.create(fill(
        schemas.MEETING, program_year_id=year.id, kind="report", held_on="2024-11-28",
        attendee_rows=[fill([f for f in schemas.MEETING_ATTENDEE if f.name != "meeting_id"]) for _ in range(2)],
        action_rows=[fill([f for f in schemas.MEETING_ACTION if f.name != "meeting_id"])])).id
    return {"firm": firm, "visit": visit, "meeting": meeting}


@pytest.fixture(scope="module", params=["spaced", "unbroken"])
def long_data(request, tmp_path_factory, template_db):
    folder = tmp_path_factory.mktemp(f"long-{request.param}")
    path = folder / "long.sqlite3"
    path.write_bytes(template_db.read_bytes())
    database = open_database(path)
    services = Services(database, officer=long_text(0, 100, request.param))
    ids = build(services, request.param, folder)
    yield services, ids, folder
    database.close()


def documents(services: Services, ids: dict[str, str]) -> dict[str, tuple[Any, Any]]:
    """Each document's renderer and data, as reports.api makes them."""
    from boeun_desk.reports.annual_report import AnnualReport
    from boeun_desk.reports.budget import BudgetExecutionReport
    from boeun_desk.reports.certifications import CertificationSummary
    from boeun_desk.reports.firm_summary import FirmSummary
    from boeun_desk.reports.indicators import IndicatorAchievementReport
    from boeun_desk.reports.matches import MatchReport
    from boeun_desk.reports.meeting_minutes import MeetingMinutes
    from boeun_desk.reports.visit_record import VisitRecord
    from boeun_desk.services.documents import Documents
    from boeun_desk.services.meeting_documents import MeetingDocuments

    data, meetings = Documents(services), MeetingDocuments(services)
    return {"firm": (FirmSummary(), lambda: data.firm_summary(ids["firm"])),
            "visit": (VisitRecord(), lambda: data.visit_record(ids["visit"])),
            "certs": (CertificationSummary(), lambda: data.certifications()),
            "annual": (AnnualReport(), lambda: data.annual_report(2024)),
            "indicators": (IndicatorAchievementReport(), lambda: data.indicator_report(2024)),
            "budget": (BudgetExecutionReport(), lambda: data.budget_report(2024)),
            "meeting": (MeetingMinutes(), lambda: meetings.minutes(ids["meeting"])),
            "matches": (MatchReport(), lambda: meetings.matches(2024))}


KINDS = ("firm", "visit", "certs", "annual", "indicators", "budget", "meeting", "matches")


def text_of(path: Path) -> str:
    if path.suffix == ".hwpx":
        with zipfile.ZipFile(path) as package:
            xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.startswith("Contents/"))
        return re.sub(r"<[^>]+>", "", xml)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("suffix", [".pdf", ".hwpx"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_document_prints_the_longest_texts_whole(long_data, kind, suffix):
    services, ids, folder = long_data
    renderer, make = documents(services, ids)[kind]
    data = make()
    path = renderer.render(data, folder / f"{kind}{suffix}")
    # Every long value the document says (its blocks), from its first to its last character.
    said = set(re.findall(r"〔(\d+)〕", " ".join(b.plain_text(renderer.document(data)))))
    printed = re.sub(r"\s+", "", text_of(path))
    assert said, "no long value in the document"
    assert [tag for tag in sorted(said, key=int) if f"〔{tag}〕" not in printed] == [], "values printed without their start"
    assert [tag for tag in sorted(said, key=int) if f"〔{tag}끝〕" not in printed] == [], "values printed without their end"
