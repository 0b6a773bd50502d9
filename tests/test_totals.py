"""Totals that agree: every 합계 row of every demo document is re-added from the PDF's own text, a
rate is computed from its own row, cancelled cases count nowhere and 집행 is completed work only."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from boeun_desk.funding import Funding, Stages
from boeun_desk.models import Firm, Visit
from boeun_desk.reports import api
from tests.conftest import DEMO_TODAY

NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*$|^-$")  # an amount or count cell; "-" is an empty amount
SECTION = re.compile(r"^\s*\d+\.\s")  # a document's numbered section heading
RATE = re.compile(r"^(\d+\.\d)%$")


def layout_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def numbers(line: str) -> list[int]:
    return [0 if token == "-" else int(token.replace(",", "")) for token in line.split() if NUMBER.match(token)]


def check_totals(text: str) -> int:
    """Re-adds the rows above each 합계 row, column by column from the right (the table's amounts), back
    to the section heading or the previous total; returns how many total rows it checked."""
    lines = text.splitlines()
    checked = 0
    start = 0
    for n, line in enumerate(lines):
        if SECTION.match(line):
            start = n + 1
        if not line.split() or line.split()[0] != "합계":
            continue
        total = numbers(line)
        width = len(total)
        assert width, line
        rows = [numbers(row) for row in lines[start:n]]
        rows = [row for row in rows if row]  # header, wrapped cell text, page header/footer
        assert rows and all(len(row) >= width for row in rows), (line, lines[start:n])
        sums = [sum(row[len(row) - width + i] for row in rows) for i in range(width)]
        assert sums == total, (line, sums)
        if match := re.search(r"(\d+)개사", line):  # 합계 N개사: one row a firm
            assert int(match.group(1)) == len(rows), line
        if match := re.search(r"(\d+)건", line):  # 합계 N건: the counted rows, not the cancelled ones
            assert int(match.group(1)) == sum(1 for row in rows if any(row[-width:])), line
        checked += 1
        start = n + 1
    for line in lines:  # a rate is its own row's 집행 over its own row's budget
        rates = [RATE.match(token) for token in line.split() if RATE.match(token)]
        if rates:
            budget, spent = numbers(line)[:2]
            assert rates[0].group(1) == f"{spent * 100 / budget:.1f}", line
    return checked


@pytest.fixture(scope="module")
def documents(demo_template, tmp_path_factory) -> dict[str, str]:
    from boeun_desk.services import Services
    from boeun_desk.storage.engine import open_database

    folder = tmp_path_factory.mktemp("documents")
    database = open_database(demo_template)
    services = Services(database, officer="테스트")
    with database.sessions() as s:
        firms = s.execute(select(Firm.id, Firm.name).where(Firm.deleted_at.is_(None))).all()
        visit = s.scalars(select(Visit.id).where(Visit.deleted_at.is_(None)).order_by(Visit.starts_at)).first()
    paths = {f"firm {name}": api.render_firm_summary(services, firm_id, folder / f"firm{i}.pdf", today=DEMO_TODAY)
             for i, (firm_id, name) in enumerate(firms)}
    for year in (2024, 2025):
        paths[f"annual {year}"] = api.render_annual_report(services, year, folder / f"annual{year}.pdf",
                                                           today=DEMO_TODAY)
        paths[f"indicators {year}"] = api.render_indicator_report(services, year, folder / f"indicators{year}.pdf",
                                                                  today=DEMO_TODAY)
        paths[f"budget {year}"] = api.render_budget_report(services, year, folder / f"budget{year}.pdf",
                                                           today=DEMO_TODAY)
    paths["certifications"] = api.render_certifications(services, folder / "certs.pdf", today=DEMO_TODAY)
    paths["visit"] = api.render_visit_record(services, visit, folder / "visit.pdf", today=DEMO_TODAY)
    for year in (2024, 2025):
        paths[f"matches {year}"] = api.render_matches(services, year, folder / f"matches{year}.pdf", today=DEMO_TODAY)
    for meeting in services.meetings.list():
        paths[f"meeting {meeting.title}"] = api.render_meeting_minutes(services, meeting.id,
                                                                       folder / f"meeting{meeting.held_on}.pdf",
                                                                       today=DEMO_TODAY)
    texts = {name: layout_text(path) for name, path in paths.items()}
    database.close()
    return texts


def test_every_total_row_is_the_sum_of_its_rows(documents):
    checked = {name: check_totals(text) for name, text in documents.items()}
    assert checked["annual 2024"] == checked["annual 2025"] == 4  # types, grants, firms' share, firms
    # Grants, firms' share, both, by type, firms; 2025 also the in-progress and planned money by type.
    assert (checked["budget 2024"], checked["budget 2025"]) == (5, 6)
    assert all(n == 1 for name, n in checked.items() if name.startswith("firm ")), checked
    assert checked["matches 2024"] == checked["matches 2025"] == 1  # by supply company and result


def _rows_between(text: str, start: str, stop: str) -> list[str]:
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
    last = next(i for i, line in enumerate(lines[first:], first) if stop in line)
    return lines[first + 1:last]


def test_matches_add_up_by_result_and_agree_with_the_annual_report(documents):
    for year, count, companies, signed in ((2024, 12, 10, 7), (2025, 3, 3, 0)):
        text = documents[f"matches {year}"]
        table = [numbers(line) for line in _rows_between(text, "2. 공급기업별", "합계")]
        table = [row for row in table if row]
        assert len(table) == companies and all(sum(row[:-1]) == row[-1] for row in table), table  # 계 = its row
        total = numbers(next(line for line in text.splitlines() if line.split()[:1] == ["합계"]))
        assert sum(total[:-1]) == total[-1] == count
        listed = [line for line in _rows_between(text, "3. 매칭 목록", "출력일") if re.match(r"^\s+\d+\s", line)]
        assert len(listed) == count, listed  # one listed match per counted one
        assert re.search(rf"매칭 건수\s+{count}건", text) and re.search(rf"참여 공급기업\s+{companies}개사", text)
        assert re.search(rf"계약 전환\s+{signed}건 \({signed * 100 / count:.1f}%\)", text)
        # The annual report counts the same matches (cancelled ones nowhere).
        annual = documents[f"annual {year}"]
        assert re.search(rf"매칭 공급기업\s+{companies}개사", annual)
        shown = _rows_between(annual, "7. 공급기업 매칭", "8. 회의")
        assert sum(1 for line in shown if re.search(r"\d{4}\. \d{1,2}\. \d{1,2}\.", line)
                   and "출력일" not in line) == count
    assert "취소된 매칭 1건은 집계에 넣지 않았습니다" in documents["matches 2025"]
    assert "취소된 매칭" not in documents["matches 2024"]


def test_minutes_count_their_attendees_and_actions(documents, demo):
    for meeting in demo.meetings.list():
        text = documents[f"meeting {meeting.title}"]
        people, actions = demo.meetings.attendee_rows(meeting.id), demo.meetings.action_rows(meeting.id)
        listed = [line for line in _rows_between(text, "3. 참석자 명단", "4. 주요 논의") if re.match(r"^\s+\d+\s", line)]
        assert re.search(rf"3\. 참석자 명단 \({len(listed)}명\)", text) and len(listed) == len(people)
        assert [line.split()[-1] for line in listed] == [p.name for p in people]  # in the list's order
        rows = [line for line in _rows_between(text, "번호 ", "작성자") if re.match(r"^\s+\d+\s", line)]
        rows = rows[-len(actions):]
        done = sum(1 for line in rows if line.split()[-1] == "완료")
        assert len(rows) == len(actions) and f"후속 조치 {len(actions)}건 (완료 {done} · 미완료 {len(rows) - done})" in text


def test_cancelled_cases_count_nowhere_and_the_documents_agree(documents):
    firm = documents["firm 회인들기름방앗간"]
    assert re.search(r"취소(\s+-){6}", firm)
    assert re.search(r"합계\s+3건\s+11,860\s+3,490\s+2,110\s+3,440\s+2,300\s+23,200", firm)
    assert re.search(r"회인들기름방앗간\s+\S+\s+3\s+17,460\s+5,740", documents["annual 2024"])


def test_spent_is_completed_work_and_indicators_say_who_reported(documents):
    annual = documents["annual 2025"]
    # 2025: 14 cases done, 5 in progress, 3 planned; 집행 is the done cases' money only.
    assert "22건 (완료 14 · 진행 중 5 · 계획 3)" in annual
    assert re.search(r"합계\s+470,000\s+145,270\s+55,700\s+53,080\s+30\.9%", annual)
    assert "성과지표 보고 6개사 / 지원기업 15개사" in annual
    assert "성과지표 보고 13개사 / 지원기업 13개사" in documents["annual 2024"]


def test_stages_split_the_counted_money_and_drop_the_cancelled():
    money = Funding(1, 2, 3, 4, 5)
    assert Stages.of("cancelled", money) == Stages()
    stages = Stages.add_up(Stages.of(s, money) for s in ("done", "in_progress", "planned", "cancelled"))
    assert (stages.spent, stages.in_progress, stages.planned) == (money, money, money)
    assert stages.total == money + money + money


def test_years_of_support_come_from_counted_cases_too(demo):
    """A firm added with a 2025 case (no selection record) was supported in 2025; a cancelled case
    alone makes no year of support."""
    firm_id = demo.firms.create({"name": "새기업", "brn": "1248100998"}).id
    refs = {"firm_id": firm_id, "support_type_id": demo.support_types.by_code("TEST").id}
    demo.cases.create({**refs, "program_year_id": demo.program_years.by_year(2025).id, "title": "새 과제"})
    demo.cases.create({**refs, "program_year_id": demo.program_years.by_year(2024).id, "title": "취소 과제",
                       "status": "cancelled"})
    assert demo.queries.firm_detail(firm_id, today=DEMO_TODAY).selected_years == (2025,)


def test_dates_as_public_documents_write_them(documents):
    for name, text in documents.items():
        assert not re.search(r"\d{4}-\d{1,2}-\d{1,2}", text), name  # never 2024-11-28
        assert re.search(r"출력일 \d{4}\. \d{1,2}\. \d{1,2}\.", text), name
    [visit] = [text for name, text in documents.items() if name.startswith("visit")]
    assert re.search(r"\d{4}\. \d{1,2}\. \d{1,2}\.\([월화수목금토일]\) \d{2}:\d{2}(~\d{2}:\d{2})?", visit)
    assert "일시 2024. 11. 28.(목) 14:00~17:30" in " ".join(documents["meeting 2024년 성과보고회"].split())
    assert "작성일: 2024. 12. 12." in documents["meeting 2024년 지역산업전문가 자문회의"]
    assert documents["matches 2024"].count("2024. 11. 28.") == 12  # each match's day
