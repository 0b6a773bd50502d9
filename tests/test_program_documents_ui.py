"""The officer's way to the new documents: targets entered in the 성과지표 page's tab, the two
documents previewed and saved from the reports screen, and the case form's limit warning."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import Answers


def test_targets_are_entered_in_the_indicator_page_and_shown_by_the_documents(context, window, qtbot):  # noqa: F811
    window.go("indicators")
    screen = window.screen("indicator_targets")
    assert screen.model.rowCount() == 16  # the demo's program targets of two years and four firm targets
    firm_column = [c.key for c in screen.spec.columns].index("firm_id")
    shown = {screen.model.data(screen.model.index(r, firm_column), Qt.ItemDataRole.DisplayRole)
             for r in range(screen.model.rowCount())}
    assert "사업 전체" in shown  # a program target names no firm
    form = screen.form()
    qtbot.addWidget(form)
    form.editors["program_year_id"].set_value(context.services.program_years.by_year(2024).id)
    form.editors["metric"].set_value("investment")
    form.editors["target"].setText("200,000,000")
    assert form.save()
    assert screen.model.rowCount() == 17
    # The same metric and year again: the error next to the field, the typed value kept.
    again = screen.form()
    qtbot.addWidget(again)
    again.editors["program_year_id"].set_value(context.services.program_years.by_year(2024).id)
    again.editors["metric"].set_value("investment")
    again.editors["target"].setText("1")
    assert again.save() is False
    assert "사업 목표가 이미 있습니다" in again.errors["metric"].text() and again.editors["target"].text() == "1"

    reports = window.report_screen()
    reports.kind.set_value("indicators")
    reports.year.set_value(2024)
    assert reports.year.isEnabled() and not reports.firm.isEnabled()
    reports.preview()
    qtbot.waitUntil(lambda: not reports.busy, timeout=60_000)
    assert reports.document.pageCount() >= 2 and reports.current is not None
    assert reports.suggested_name().startswith("성과지표달성현황_2024")
    from tests.test_totals import layout_text

    text = layout_text(reports.current)
    assert "200,000" in text.split("3. 사업기간")[0]  # the new 2024 투자유치 target, in 천원
    reports.kind.set_value("budget")
    reports.year.set_value(2025)
    reports.preview()
    qtbot.waitUntil(lambda: not reports.busy, timeout=60_000)
    assert reports.document.pageCount() >= 2 and "2025년 사업비 집행 현황" in layout_text(reports.current)
    assert reports.suggested_name().startswith("사업비집행현황_2025")


def test_the_case_form_warns_when_a_firm_passes_the_call_limits(context, window, qtbot):  # noqa: F811
    services = context.services
    screen = window.screen("cases")
    form = screen.form()
    qtbot.addWidget(form)
    form.editors["firm_id"].set_value(services.firms.list(search="탄부오미자농원")[0].id)  # 37,040천원 in 2025
    form.editors["program_year_id"].set_value(services.program_years.by_year(2025).id)
    form.editors["support_type_id"].set_value(services.support_types.by_code("CONSULT").id)
    form.editors["title"].setText("수출 컨설팅")
    form.editors["grant_national"].setText("15,000,000")
    form.editors["firm_cash"].setText("2,000,000")
    context.ask = Answers("save")
    assert form.save()  # a warning, not a refusal: the officer decides (저장)
    assert any("기업당 한도" in asked for asked in context.ask.asked)
