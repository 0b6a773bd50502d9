"""성과지표 달성 현황 and 사업비 집행 현황: targets kept per program year, what each document counts,
its figures agreeing with the annual report, and the per-firm limits flagged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from boeun_desk.cli import main
from boeun_desk.reports import api
from boeun_desk.services import NotFound
from boeun_desk.validation import ValidationFailed
from tests.conftest import DEMO_TODAY
from tests.test_sync import pair  # noqa: F401  (the fixture)
from tests.test_totals import NUMBER, check_totals, layout_text, numbers


def section(text: str, start: str, end: str | None = None) -> str:
    """The text from the heading starting with `start` to the next one starting with `end`."""
    body = text[text.index(start):]
    return body[:body.index(end)] if end else body


def row(text: str, label: str) -> list[int]:
    """The numbers of the first line that starts with `label` ("-" as 0, a change "+1,168" as 1168)."""
    line = next(line for line in text.splitlines() if line.strip().startswith(label + " "))
    return numbers(line[line.index(label) + len(label):].replace("+", ""))


def cells(line: str) -> list[str]:
    """The figure cells of a line: amounts, counts, rates and "-" (an empty figure), in order."""
    return [token for token in line.split() if NUMBER.match(token) or token.endswith("%")]


def render(services, kind: str, year: int, folder: Path) -> str:
    """A document through the command line, as an officer prints it; its text."""
    out = folder / f"{kind}{year}.pdf"
    assert main(["--db", str(services.database.path), "report", kind, "--year", str(year), "-o", str(out)]) == 0
    return layout_text(out)


@pytest.fixture
def texts(demo, tmp_path) -> dict[str, str]:
    return {f"{kind} {year}": render(demo, kind, year, tmp_path) for kind in ("indicators", "budget", "annual")
            for year in (2024, 2025)}


# --- targets ---------------------------------------------------------------------------------

def test_targets_are_kept_per_year_for_the_program_and_for_firms(demo):
    year = demo.program_years.by_year(2025).id
    program_targets = [x for x in demo.indicator_targets.list(program_year_id=year) if x.firm_id is None]
    assert {x.metric: x.target for x in program_targets}["sales"] == 536_000_000
    two_years = {m: sum(x.target for x in demo.indicator_targets.list() if x.firm_id is None and x.metric == m)
                 for m in ("sales", "exports", "hires_regular")}
    assert two_years == {"sales": 986_000_000, "exports": 925_000_000, "hires_regular": 20}  # as published
    # One program target per year and metric: NULL firms do not clash in SQL, the service says so.
    with pytest.raises(ValidationFailed) as failure:
        demo.indicator_targets.create({"program_year_id": year, "metric": "sales", "target": "1"})
    assert "같은 연도·지표의 사업 목표" in str(failure.value) and failure.value.errors[0].field == "metric"
    firm = demo.firms.list()[1].id
    demo.indicator_targets.create({"program_year_id": year, "metric": "sales", "firm_id": firm, "target": "1,000"})
    with pytest.raises(ValidationFailed) as failure:
        demo.indicator_targets.create({"program_year_id": year, "metric": "sales", "firm_id": firm, "target": "2"})
    assert "이미 있습니다" in str(failure.value)
    with pytest.raises(ValidationFailed):
        demo.indicator_targets.create({"program_year_id": year, "metric": "sales"})  # no target value
    # A deleted program target stays in the 휴지통 list and comes back; a new one is told to restore it.
    target = program_targets[0]
    demo.indicator_targets.delete(target.id)
    assert target.id not in demo.indicator_targets.ids() and target.id in demo.indicator_targets.ids(deleted_only=True)
    with pytest.raises(ValidationFailed) as failure:
        demo.indicator_targets.create({"program_year_id": year, "metric": target.metric, "target": "5"})
    assert "휴지통" in str(failure.value)
    demo.indicator_targets.restore(target.id)
    assert target.id in demo.indicator_targets.ids()


def test_a_target_travels_to_the_other_laptop(pair):  # noqa: F811
    year = pair.a.program_years.by_year(2025).id
    created = pair.a.indicator_targets.create({"program_year_id": year, "metric": "investment", "target": "300,000,000"})
    assert pair.send(pair.a, pair.b).added >= 1
    assert pair.b.indicator_targets.get(created.id).target == 300_000_000


# --- 성과지표 달성 현황 ------------------------------------------------------------------------

def test_indicator_report_targets_results_and_rates(texts):
    text = texts["indicators 2024"]
    year = section(text, "2. 연도별", "3. 사업기간")
    assert row(year, "매출액 증가") == [450_000, 1_168_000] and "259.6%" in year  # 천원, increase over baseline
    assert row(year, "신규고용(정규직)") == [10, 11] and "110.0%" in year
    assert "천원" in year and not re.search(r"\s원\s", text)  # money in 천원, the unit in the caption
    for code in ("sales", "hires_regular", "cert_acquired", "PROTO", "TEST"):
        assert code not in text  # no internal codes
    check_totals(text)  # every rate is its own row's 실적 over its 목표


def test_the_period_total_adds_up_each_years_figures(texts):
    for year in (2024, 2025):
        period = section(texts[f"indicators {year}"], "3. 사업기간", "4. 기업별")
        rows = [cells(line) for line in period.splitlines()[1:] if cells(line)]
        assert len(rows) >= 9
        for figures in rows:
            target, achieved, _rate, *per_year = (0 if x in "-" or x.endswith("%") else int(x.replace(",", ""))
                                                  for x in figures)
            assert target == sum(per_year[0::2]) and achieved == sum(per_year[1::2]), figures
    period = section(texts["indicators 2025"], "3. 사업기간", "4. 기업별")
    assert row(period, "매출액 증가")[:2] == [986_000, 1_933_000]  # 9.86억 over two years; 2024 + 2025
    assert row(period, "신규고용(정규직)")[:2] == [20, 19]
    # The 2024 document: the two-year target, 2024's results only (2025's are not yet its business).
    period_2024 = section(texts["indicators 2024"], "3. 사업기간", "4. 기업별")
    assert row(period_2024, "매출액 증가") == [986_000, 1_168_000, 450_000, 1_168_000, 536_000, 0]


def test_indicator_results_agree_with_the_annual_report(texts):
    for year in (2024, 2025):
        annual = section(texts[f"annual {year}"], "6. 성과지표", "7. 공급기업")
        mine = section(texts[f"indicators {year}"], "2. 연도별", "3. 사업기간")
        mine = mine[mine.index(f"{year}년\n"):]
        for metric, label in (("매출액", "매출액 증가"), ("수출액", "수출액 증가")):
            baseline, result, change = row(annual, metric)[-3:]
            assert row(mine, label)[1] == change == result - baseline
        assert row(mine, "신규고용(정규직)")[1] == row(annual, "신규고용(정규직)")[-2]  # the year's hires


def test_certificates_and_rights_are_counted_from_the_records(texts, demo):
    text = texts["indicators 2025"]
    counts = {label: row(section(text, "2. 연도별", "3. 사업기간").split("2025년\n")[1], label)[1]
              for label in ("인증 취득", "지식재산권 출원", "지식재산권 등록")}
    listed = section(text, "5. 인증·지식재산권")
    assert counts == {label: listed.count(label) for label in counts}  # one listed record each
    assert counts["지식재산권 등록"] == 2 and sum(counts.values()) > 0
    assert re.search(r"2025\. \d{1,2}\. \d{1,2}\.", listed) and not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_a_new_certificate_of_a_supported_firm_counts(demo, tmp_path):
    before = row(section(render(demo, "indicators", 2025, tmp_path), "2. 연도별").split("2025년\n")[1], "인증 취득")
    firm = demo.firms.by_brn("303-87-40163")  # supported in 2024 and 2025
    demo.certifications.create({"firm_id": firm.id, "kind": "HACCP(식품안전관리인증)", "issued_on": "2025-09-01"})
    (tmp_path / "again").mkdir()
    after = row(section(render(demo, "indicators", 2025, tmp_path / "again"), "2. 연도별").split("2025년\n")[1],
                "인증 취득")
    assert after[1] == before[1] + 1


def test_firms_own_targets_are_shown_with_what_each_achieved(texts, demo):
    firms = section(texts["indicators 2025"], "4. 기업별", "5. 인증")
    named = demo.firms.by_brn("303-87-40163").name
    lines = [line for line in firms.splitlines() if "매출액 증가" in line or "수출액 증가" in line
             or "신규고용" in line]
    assert len(lines) == 4 and named.split()[0] in firms
    assert "기업별 목표가 없습니다." in texts["indicators 2024"]


# --- 사업비 집행 현황 --------------------------------------------------------------------------

def test_budget_spending_agrees_with_the_annual_report(texts):
    for year in (2024, 2025):
        budget, annual = texts[f"budget {year}"], section(texts[f"annual {year}"], "4. 재원별", "5. 지원기업")
        grants = section(budget, "2. 재원별", "민간부담금")
        for source in ("국비", "도비", "군비", "합계"):
            planned, spent, *_rest = row(grants, source)
            assert (planned, spent) == tuple(row(annual, source)[:2]), source
            assert row(grants, source)[2] == planned - spent  # 잔액(A-B)
            # in progress and planned: the same as the annual report's, never inside 집행
            assert row(grants, source)[-2:] == row(annual, source)[2:4]
        firms_share = section(budget, "민간부담금", "총괄")
        assert row(firms_share, "합계")[1] == row(section(annual, "기업부담금"), "합계")[1]
        # By type, the spent money adds up to the same 집행 per source.
        by_type = row(section(budget, "3. 지원유형별", "4. 지원유형별"), "합계")
        overall = section(budget, "총괄", "3. 지원유형별")
        assert by_type[1:4] == [row(grants, s)[1] for s in ("국비", "도비", "군비")]
        assert by_type[-1] == row(overall, "합계")[1]


def test_budget_shows_planned_and_in_progress_apart_and_2024_has_none(texts):
    assert "진행 중이거나 계획된 과제가 없습니다." in texts["budget 2024"]
    unspent = section(texts["budget 2025"], "4. 지원유형별", "5. 기업별")
    total = row(unspent, "합계")
    assert (total[0], total[3]) == (5, 3)  # 5 cases in progress, 3 planned (as the annual report)
    grants = section(texts["budget 2025"], "2. 재원별", "민간부담금")
    assert row(grants, "합계")[-2:] == [total[1], total[4]]


def test_firms_over_the_call_limits_are_flagged(demo, tmp_path):
    text = render(demo, "budget", 2025, tmp_path)
    assert "한도를 넘은 기업 0개사" in text and "초과" not in section(text, "5. 기업별")
    refs = {"program_year_id": demo.program_years.by_year(2025).id,
            "support_type_id": demo.support_types.by_code("CONSULT").id}
    big = demo.firms.list(search="탄부오미자농원")[0].id  # 37,040천원 in two cases
    changes = demo.cases.create({**refs, "firm_id": big, "title": "수출 컨설팅", "status": "done",
                                 "grant_national": "15,000,000", "firm_cash": "2,000,000"})
    assert any("한도" in w.message and w.field == "firm_id" for w in changes.warnings)  # the form warns
    many = demo.firms.list(search="회남호두정과")[0].id  # one case
    for n in range(5):
        demo.cases.create({**refs, "firm_id": many, "title": f"컨설팅 {n}", "status": "planned",
                           "grant_national": "100,000", "firm_cash": "10,000"})
    # A cancelled case counts toward no limit (and nowhere else).
    demo.cases.create({**refs, "firm_id": demo.firms.list(search="내북배즙농원")[0].id, "title": "취소",
                       "status": "cancelled", "grant_national": "90,000,000"})
    (tmp_path / "over").mkdir()
    text = render(demo, "budget", 2025, tmp_path / "over")
    limits = section(text, "5. 기업별")
    assert "한도를 넘은 기업 2개사" in limits
    assert re.search(r"탄부오미자농원\s+3\s+52,040\s+52,040\s+초과\(금액\)", limits)
    assert re.search(r"회남호두정과\s+6\s+4,100\s+3,600\s+초과\(과제 수\)", limits)
    assert re.search(r"내북배즙농원\s+1\s+31,080\s+31,080\s+한도 이내", limits)
    check_totals(text)
    # The limits are the program's settings, not constants.
    program = demo.programs.list()[0]
    demo.programs.update(program.id, {"firm_limit_cases": "2", "firm_limit_amount": "30,000,000"},
                         expected_version=program.version)
    (tmp_path / "tight").mkdir()
    limits = section(render(demo, "budget", 2025, tmp_path / "tight"), "5. 기업별")
    assert "30,000천원 · 2건" in limits and re.search(r"내북배즙농원\s+1\s+31,080\s+31,080\s+초과\(금액\)", limits)
    assert re.search(r"탄부오미자농원\s+3\s+52,040\s+52,040\s+초과\(과제 수·금액\)", limits)


def test_no_case_warning_within_the_limits(demo):
    refs = {"program_year_id": demo.program_years.by_year(2025).id,
            "support_type_id": demo.support_types.by_code("CONSULT").id,
            "firm_id": demo.firms.list(search="회남호두정과")[0].id}
    changes = demo.cases.create({**refs, "title": "컨설팅", "grant_national": "1,000,000", "firm_cash": "200,000"})
    assert not [w for w in changes.warnings if w.field == "firm_id"]


def test_documents_of_a_year_the_program_lacks_say_so(demo, tmp_path, capsys):
    with pytest.raises(NotFound):
        api.render_budget_report(demo, 2030, tmp_path / "x.pdf", today=DEMO_TODAY)
    assert main(["--db", str(demo.database.path), "report", "indicators", "--year", "2030",
                 "-o", str(tmp_path / "y.pdf")]) != 0
    assert "2030년 사업연도가 없습니다" in capsys.readouterr().err
    assert not (tmp_path / "y.pdf").exists()


def test_a_year_without_cases_prints_its_notes_and_no_empty_totals(services, tmp_path):
    budget = layout_text(api.render_budget_report(services, 2024, tmp_path / "b.pdf"))
    assert "진행 중이거나 계획된 과제가 없습니다." in budget and "지원기업이 없습니다." in budget
    assert row(budget, "합계") == [470_000, 0, 470_000, 0, 0]  # the budget, nothing spent (0.0% apart)
    assert "합계 0개사" not in budget
    check_totals(budget)
    indicators = layout_text(api.render_indicator_report(services, 2024, tmp_path / "i.pdf"))
    assert "기업별 목표가 없습니다." in indicators and "해당 연도의 인증·지식재산권 기록이 없습니다." in indicators


def test_the_firms_budget_is_the_same_in_the_annual_report_and_the_budget_document(demo, tmp_path):
    """민간부담 예산(A) is the agreed share of the cases not cancelled in both documents."""
    import re
    import subprocess

    from boeun_desk.reports import api as report_api

    def text(path):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout

    annual = text(report_api.render_annual_report(demo, 2024, tmp_path / "a.pdf"))
    budget = text(report_api.render_budget_report(demo, 2024, tmp_path / "b.pdf"))
    table = annual[annual.index("기업부담금", annual.index("4. 재원별")):]
    firm_total = re.search(r"^\s*합계\s+([\d,]+)\s", table, re.M).group(1)
    assert int(firm_total.replace(",", "")) > 1000  # 84,920 in 2024
    assert re.search(rf"^\s*민간부담금\s+{firm_total}\s", budget, re.M), (firm_total, budget[:3000])
