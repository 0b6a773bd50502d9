"""The new documents under an officer's and an adversary's eye: handouts that mask people but not
the institutes, titles and services around them; an HWPX that carries its own metadata, not its
template's; an HWPX save that 취소 stops (also in the window, also a combined file); a year
without a grant budget that prints no 800 % 집행률."""

from __future__ import annotations

import threading
import zipfile
from datetime import UTC, datetime

import pytest

from boeun_desk.progress import Cancelled
from boeun_desk.reports import api
from boeun_desk.reports import hwpx as hwpx_writer
from boeun_desk.reports.masking import masker
from tests.test_totals import layout_text


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_handout_masks_people_but_not_the_institutes_titles_and_services_around_them(demo, tmp_path):
    advisory = next(m for m in demo.meetings.list() if m.title == "2024년 지역산업전문가 자문회의")
    masked = _flat(layout_text(api.render_meeting_minutes(demo, advisory.id, tmp_path / "m.pdf", masked=True)))
    assert "장수빈" not in masked and "남기훈" not in masked and "장*빈" in masked and "남*훈" in masked
    # Once printed 한**품연구원 and 교*(위원장): an institute and a position are no one's name.
    assert "한국식품연구원" in masked and "교수(위원장)" in masked and "한**품" not in masked
    matches = _flat(layout_text(api.render_matches(demo, 2025, tmp_path / "x.pdf", masked=True)))
    assert "지식재산권 출원 대리" in matches and "출*" not in matches  # a supply company's field
    annual = _flat(layout_text(api.render_annual_report(demo, 2025, tmp_path / "a.pdf", masked=True)))
    assert "지식재산권 출원 대리" in annual


def test_the_masker_keeps_public_phrases_and_titles_and_still_hides_names_beside_them():
    mask = masker(["장수빈"], public=["한국식품연구원", "책임연구원"])
    assert mask("한국식품연구원 장수빈 책임연구원 발표") == "한국식품연구원 장*빈 책임연구원 발표"
    plain = masker([])
    assert plain("교수(위원장)") == "교수(위원장)" and plain("팀장(간사)") == "팀장(간사)"
    assert plain("홍길동 교수 자문") == "홍*동 교수 자문"  # a name before a title: hidden as before
    assert plain("김철용(충북대 교수)").startswith("김*용(")


def test_the_hwpx_carries_its_own_metadata_not_its_templates(demo, tmp_path):
    before = datetime.now(UTC).replace(microsecond=0)
    path = api.render_budget_report(demo, 2024, tmp_path / "b.hwpx")
    with zipfile.ZipFile(path) as archive:
        content = archive.read("Contents/content.hpf").decode()
    assert "synthetic-fixture-author" not in content and "2025-09-17" not in content
    created = content.split('name="CreatedDate" content="text">')[1][:20]
    assert datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) >= before
    assert "2024년 사업비 집행 현황" in content and "(재)충북테크노파크" in content


def test_an_hwpx_save_stops_at_cancel_and_says_its_save_cannot_be_stopped(demo, tmp_path):
    tmp_path = tmp_path / "out"  # beside the demo database
    steps: list[tuple[int, int, str, bool]] = []

    def progress(done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None:
        steps.append((done, total, stage, stoppable))

    path = api.render_annual_report(demo, 2024, tmp_path / "a.hwpx", progress=progress)
    assert path.exists() and steps[-1][0] == steps[-1][1]
    saving = [s for s in steps if s[2]]
    assert saving == [(steps[-1][1] - 1, steps[-1][1], "한글 문서(HWPX)로 저장하는 중", False)]
    # 취소 between the blocks: nothing written.
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        api.render_annual_report(demo, 2024, tmp_path / "b.hwpx", cancelled=lambda: next(calls) >= 5)
    # 취소 pressed while the library saves: the finished file is thrown away, not kept.
    pressed: list[bool] = []
    with pytest.raises(Cancelled):
        api.render_budget_report(demo, 2024, tmp_path / "c.hwpx", cancelled=lambda: bool(pressed),
                                 progress=lambda *_a, stage="", **_k: pressed.append(True) if stage else None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.hwpx"]


def test_a_combined_hwpx_stops_at_cancel_while_it_is_drawn(demo, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    calls = iter(range(10_000))
    ids = demo.firms.ids()
    with pytest.raises(Cancelled):  # gathering asks once per firm; then the drawing, part by part
        api.render_firm_batch(demo, ids, tmp_path / "all.hwpx", combined=True,
                              cancelled=lambda: next(calls) >= len(ids) + 3)
    assert not list(tmp_path.iterdir())


def test_the_reports_screen_cancels_an_hwpx_save(demo, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    from boeun_desk.ui.context import AppContext
    from boeun_desk.ui.main_window import MainWindow

    window = MainWindow(AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    screen = window.report_screen()
    screen.kind.set_value("annual")
    screen.year.set_value(2024)
    gate = threading.Event()
    title = hwpx_writer.HwpxWriter.title

    def held(self, block):  # the writer waits at its first block until the test has pressed 취소
        gate.wait(10)
        return title(self, block)

    monkeypatch.setattr(hwpx_writer.HwpxWriter, "title", held)
    target = tmp_path / "out" / "연차성과보고.hwpx"
    task = screen.save_hwpx(target)
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: "저장을 취소했습니다." in screen.status.text(), timeout=30000)
    assert not target.exists() and not [p for p in target.parent.glob("*") if p.is_file()]


def test_a_year_without_a_grant_budget_prints_no_execution_rate(services, tmp_path):
    program = services.programs.current()
    services.program_years.create({"program_id": program.id, "year": 2026})
    firm = services.firms.create({"name": "보은예산없음농원", "brn": "124-81-00998"}).id
    kind = services.support_types.list()[0].id
    services.cases.create({"firm_id": firm, "program_year_id": services.program_years.by_year(2026).id,
                           "support_type_id": kind, "title": "예산 없는 해의 과제", "status": "done",
                           "grant_national": 7_000_000, "firm_cash": 1_000_000})
    text = _flat(layout_text(api.render_budget_report(services, 2026, tmp_path / "b.pdf")))
    assert "2026년 정부지원금 예산이 입력되지 않아 집행률을 셀 수 없습니다" in text
    assert "800.0%" not in text
    assert "합계 1,000 8,000 -7,000 - 0 0" in text  # 총괄: the sum re-adds, no rate over a missing budget
    assert "현금 1,000 1,000 0 100.0%" in text  # the firms' share against what they agreed, as before


def test_indicator_targets_of_some_years_only_or_of_zero_give_no_rate_against_them(demo, tmp_path):
    """Targets of 2025 taken away for sales, set to 0 for exports: the period's row of sales has
    2024's target only and no rate (it once printed 2024's target against both years' results); a
    target of 0 is printed and gives no rate; nothing divides by zero."""
    py2025 = demo.program_years.by_year(2025).id
    for target in demo.indicator_targets.list():
        if target.program_year_id == py2025 and target.firm_id is None and target.metric == "sales":
            demo.indicator_targets.delete(target.id)
        if target.program_year_id == py2025 and target.firm_id is None and target.metric == "exports":
            demo.indicator_targets.update(target.id, {"target": 0})
    text = layout_text(api.render_indicator_report(demo, 2025, tmp_path / "i.pdf"))
    period = _flat(text[text.index("3. 사업기간 총괄"):text.index("4. 기업별 목표 달성")])
    assert "매출액 증가 천원 450,000 1,933,000 - 450,000 1,168,000 - 765,000" in period
    assert "수출액 증가 천원 400,000 275,000 68.8% 400,000 171,000 0 104,000" in period
    assert "목표가 일부 연도에만 있는 지표는 달성률을 적지 않습니다." in period
    year = _flat(text[text.index("2. 연도별"):text.index("3. 사업기간 총괄")])
    assert "수출액 증가 0 104,000 - 천원" in year
