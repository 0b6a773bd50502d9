"""A firm in the 휴지통 takes its records along, counts nowhere, and comes back whole."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select, update

from boeun_desk.cli import main
from boeun_desk.exchange.history import restore_from_trash
from boeun_desk.models import Attachment, AuditEntry, Firm, FollowUp
from boeun_desk.overview import Funding
from boeun_desk.services import NotFound, Services, sync
from boeun_desk.services.documents import Documents
from boeun_desk.storage.engine import open_database
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.main_window import MainWindow
from boeun_desk.validation import ValidationFailed
from tests.conftest import DEMO_TODAY, Answers
from tests.test_sync import Pair

FIRM_NAME = "속리산대추명가 농업회사법인(주)"  # demo firm with cases in both years, visits, a certificate
YEARS = (2024, 2025)
# Services of the kinds that name a firm, with the label a confirmation shows them by.
FIRM_RECORDS = {"selections": "수혜기업 선정", "cases": "지원과제", "visits": "방문·상담", "certifications": "인증",
                "tests": "시험분석", "ip_rights": "지식재산권", "indicators": "성과지표", "indicator_targets": "성과지표 목표",
                "matches": "매칭"}


@pytest.fixture
def firm(demo, tmp_path):
    """The demo firm with an IP right added, and a file on the firm and on one of its visits."""
    found = demo.firms.list(search=FIRM_NAME)[0]
    visit = demo.visits.list(firm_id=found.id)[0]
    demo.ip_rights.create({"firm_id": found.id, "kind": "patent", "title": "대추 농축액 제조방법",
                           "application_no": "10-2025-0012345"})
    for owner_kind, owner_id in (("firm", found.id), ("visit", visit.id)):
        photo = tmp_path / f"{owner_kind}.jpg"
        photo.write_bytes(b"\xff\xd8" + owner_kind.encode())
        demo.attachments.attach(owner_kind, owner_id, photo)
    return found


def figures(demo: Services) -> dict[str, object]:
    """Everything that counts records: lists, each year's statistics, the dashboard, documents."""
    documents = Documents(demo)
    return {
        "lists": {key: getattr(demo, key).ids() for key in FIRM_RECORDS},
        "stats": [demo.queries.annual_stats(year) for year in YEARS],
        "overview": [demo.queries.overview(year, today=DEMO_TODAY) for year in YEARS],
        "annual_report": [documents.annual_report(year, today=DEMO_TODAY) for year in YEARS],
        "indicator_report": [documents.indicator_report(year, today=DEMO_TODAY) for year in YEARS],
        "budget_report": [documents.budget_report(year, today=DEMO_TODAY) for year in YEARS],
        "certifications": documents.certifications(today=DEMO_TODAY),
        "overdue": demo.queries.overdue_follow_ups(today=DEMO_TODAY),
    }


def own_records(demo: Services, firm_id: str) -> dict[str, list[str]]:
    return {key: [r.id for r in getattr(demo, key).list(firm_id=firm_id)] for key in FIRM_RECORDS}


def minus(total: Funding, part: Funding) -> Funding:
    return Funding(*(getattr(total, f.name) - getattr(part, f.name) for f in dataclasses.fields(Funding)))


def audit_actions(demo: Services, record_id: str) -> list[str]:
    with demo.database.sessions() as s:
        return list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == record_id)
                              .order_by(AuditEntry.at, AuditEntry.version)))


def test_a_deleted_firm_counts_nowhere_and_its_restore_brings_everything_back(demo, firm):
    before = figures(demo)
    detail = demo.queries.firm_detail(firm.id, today=DEMO_TODAY)
    records = own_records(demo, firm.id)
    follow_ups = [f.id for v in detail.visits for f in v.follow_ups]
    files = [a.id for owner in (firm.id, *records["visits"]) for a in demo.attachments.for_owner(owner)]
    expected = {label: len(records[key]) for key, label in FIRM_RECORDS.items() if records[key]}
    expected.update({"후속조치": len(follow_ups), "첨부파일": len(files)})
    assert expected["지원과제"] == 5 and expected["방문·상담"] == 3 and expected["인증"] == 1
    assert expected["첨부파일"] == 2 and expected["지식재산권"] == 1
    assert demo.firms.dependents(firm.id) == expected
    assert list(demo.firms.dependents(firm.id))[:3] == ["수혜기업 선정", "지원과제", "방문·상담"]

    demo.firms.delete(firm.id)

    stamp = demo.firms.get(firm.id, include_deleted=True).deleted_at
    gone = [record_id for ids in records.values() for record_id in ids] + follow_ups + files
    for key, ids in records.items():  # every dependent in the 휴지통, with the firm's own stamp
        service = getattr(demo, key)
        assert not set(ids) & set(service.ids()) and service.list(firm_id=firm.id) == []
        assert {service.get(i, include_deleted=True).deleted_at for i in ids} <= {stamp}
        assert set(ids) <= set(service.ids(deleted_only=True))
    with demo.database.sessions() as s:
        assert set(s.scalars(select(FollowUp.deleted_at).where(FollowUp.id.in_(follow_ups)))) == {stamp}
        assert set(s.scalars(select(Attachment.deleted_at).where(Attachment.id.in_(files)))) == {stamp}
    assert all(audit_actions(demo, record_id)[-1] == "delete" for record_id in gone)
    assert demo.firms.dependents(firm.id) == expected  # what a restore will bring back

    after = figures(demo)
    for year, stats, old in zip(YEARS, after["stats"], before["stats"], strict=True):
        counted = [c for c in detail.cases if c.year == year and c.status != "cancelled"]
        assert counted, "the demo firm has cases in both years"
        assert stats.cases_total == old.cases_total - len(counted)
        assert stats.firms_supported == old.firms_supported - 1
        part = Funding(*(sum(getattr(c.funding, f.name) for c in counted) for f in dataclasses.fields(Funding)))
        assert stats.funding == minus(old.funding, part)
        assert sum(tc.count for tc in stats.cases_by_type) == stats.cases_total
        assert all(m.firm_name != FIRM_NAME for m in stats.matches)
    for overview, stats in zip(after["overview"], after["stats"], strict=True):
        assert (overview.cases_total, overview.stages, overview.firms_supported) == (
            stats.cases_total, stats.stages, stats.firms_supported)
        assert FIRM_NAME not in {item.firm_name for item in overview.expiring + overview.overdue}
    old_overdue = before["overview"][0].overdue_total
    assert after["overview"][0].overdue_total == old_overdue - len(
        [f for f in before["overdue"] if f.firm_name == FIRM_NAME]) < old_overdue
    for report in after["annual_report"]:
        assert FIRM_NAME not in {line.name for line in report.firms}
        assert sum(line.cases for line in report.firms) == report.stats.cases_total
    for indicators, budget, report in zip(after["indicator_report"], after["budget_report"], after["annual_report"],
                                          strict=True):
        assert FIRM_NAME not in {name for name, _a in indicators.current.firm_lines}  # its own targets went too
        assert FIRM_NAME not in {r.firm_name for r in indicators.current.records}
        assert FIRM_NAME not in {f.name for f in budget.execution.firms}
        assert budget.execution.stages == report.stats.stages
    assert FIRM_NAME not in {c.firm_name for c in after["certifications"].certifications}
    assert FIRM_NAME not in {x.firm_name for x in after["certifications"].tests}
    assert FIRM_NAME not in {f.firm_name for f in after["overdue"]}
    with pytest.raises(NotFound):
        Documents(demo).firm_summary(firm.id)
    with pytest.raises(NotFound):
        Documents(demo).visit_record(records["visits"][0])

    demo.firms.restore(firm.id)

    assert figures(demo) == before
    assert own_records(demo, firm.id) == records
    assert all(audit_actions(demo, record_id)[-1] == "restore" for record_id in gone)
    restored = demo.queries.firm_detail(firm.id, today=DEMO_TODAY)
    for name in ("selected_years", "cases", "visits", "certifications", "indicators", "matches"):
        assert getattr(restored, name) == getattr(detail, name)
    for name in ("tests", "ip_rights", "attachments"):  # views: their version went up twice
        assert [x.id for x in getattr(restored, name)] == [x.id for x in getattr(detail, name)]


def test_a_case_deleted_before_the_firm_stays_deleted_after_its_restore(demo, firm):
    case_id, *others = own_records(demo, firm.id)["cases"]
    demo.cases.delete(case_id)
    assert demo.firms.dependents(firm.id)["지원과제"] == len(others)
    demo.firms.delete(firm.id)
    assert demo.firms.dependents(firm.id)["지원과제"] == len(others)
    demo.firms.restore(firm.id)
    assert demo.cases.get(case_id, include_deleted=True).deleted_at is not None
    assert set(own_records(demo, firm.id)["cases"]) == set(others)
    assert audit_actions(demo, case_id)[-1] == "delete"  # untouched by the firm's delete and restore
    demo.cases.restore(case_id)  # the firm is back: its case may come back on its own
    assert case_id in demo.cases.ids()


def test_a_record_of_a_firm_in_the_trash_is_not_restored_alone(demo, firm):
    case_id = own_records(demo, firm.id)["cases"][0]
    demo.firms.delete(firm.id)
    with pytest.raises(ValidationFailed) as refused:
        demo.cases.restore(case_id)
    assert "휴지통" in str(refused.value) and "기업을 먼저 복원하세요" in str(refused.value)
    with pytest.raises(ValidationFailed):  # the 휴지통 dialog restores through the same service
        restore_from_trash(demo, "support_case", case_id)
    assert demo.cases.get(case_id, include_deleted=True).deleted_at is not None
    demo.firms.restore(firm.id)
    assert case_id in demo.cases.ids()


def test_records_of_a_firm_deleted_alone_count_nowhere(demo, firm):
    """An older database, or a bundle that deleted the firm while this copy added a case to it:
    the firm is deleted, its records are not. Lists and figures still leave them out."""
    before = figures(demo)
    records = own_records(demo, firm.id)
    with demo.database.sessions() as s, s.begin():
        s.execute(update(Firm).where(Firm.id == firm.id).values(deleted_at=DEMO_TODAY))
    after = figures(demo)
    for key, ids in records.items():
        assert not set(ids) & set(after["lists"][key])
        assert set(ids) <= set(getattr(demo, key).ids(deleted_only=True))  # shown in the 휴지통 view
        assert getattr(demo, key).search_texts().keys().isdisjoint(ids)
    for stats, old in zip(after["stats"], before["stats"], strict=True):
        assert stats.firms_supported == old.firms_supported - 1 and stats.cases_total < old.cases_total
    for overview in after["overview"]:
        assert FIRM_NAME not in {item.firm_name for item in overview.expiring + overview.overdue}
    for report in after["annual_report"]:
        assert FIRM_NAME not in {line.name for line in report.firms}
        assert sum(line.cases for line in report.firms) == report.stats.cases_total
    with pytest.raises(NotFound):
        Documents(demo).visit_record(records["visits"][0])
    with pytest.raises(ValidationFailed):
        demo.cases.restore(records["cases"][0])


@pytest.fixture
def pair(demo_path, tmp_path):
    laptops = Pair(tmp_path, demo_path)  # a, and b cloned from it
    yield laptops
    laptops.close()


def test_a_firm_deleted_on_another_laptop_arrives_with_its_records(pair):
    a, b = pair.a, pair.b
    firm = a.firms.list(search=FIRM_NAME)[0]
    before, records = figures(a), own_records(a, firm.id)
    going = b.firms.dependents(firm.id)
    b.firms.delete(firm.id)
    result = pair.send(b, a)
    assert result.conflicts == 0 and result.updated == 1 + sum(going.values())
    assert a.firms.dependents(firm.id) == going  # the same stamp arrived on every record
    assert all(getattr(a, key).list(firm_id=firm.id) == [] for key in FIRM_RECORDS)
    a.firms.restore(firm.id)
    assert figures(a) == before and own_records(a, firm.id) == records


@pytest.mark.parametrize("take", ["local", "remote"])
def test_settling_a_firm_deleted_there_and_edited_here_takes_its_records_along(pair, take):
    a, b = pair.a, pair.b
    firm = a.firms.list(search=FIRM_NAME)[0]
    before, records = figures(a), own_records(a, firm.id)
    b.firms.delete(firm.id)
    a.firms.update(firm.id, {"phone": "043-999-0000"})  # edited here meanwhile
    assert pair.send(b, a).conflicts == 1
    [conflict] = sync.list_conflicts(a.database)
    assert conflict.field == "deleted_at"
    sync.resolve_conflict(a.database, conflict.id, take, "김담당")
    if take == "local":  # the firm stays, and so do all its records
        assert figures(a) == before and own_records(a, firm.id) == records
    else:  # the firm goes, with every record that was still live here
        assert all(getattr(a, key).list(firm_id=firm.id) == [] for key in FIRM_RECORDS)
        a.firms.restore(firm.id)
        assert own_records(a, firm.id) == records


def test_cli_firm_delete_and_restore_say_what_goes_along(capsys, demo_path):
    db = ["--db", str(demo_path)]
    database = open_database(demo_path)
    try:
        services = Services(database)
        firm = services.firms.list(search=FIRM_NAME)[0]
        counts = services.firms.dependents(firm.id)
    finally:
        database.close()
    assert main([*db, "firm", "delete", firm.brn]) == 0
    out = capsys.readouterr().out
    assert f"휴지통으로 옮겼습니다: {FIRM_NAME}" in out
    assert f"지원과제 {counts['지원과제']}건" in out and f"방문·상담 {counts['방문·상담']}건" in out
    assert main([*db, "firm", "restore", firm.brn]) == 0
    out = capsys.readouterr().out
    assert "함께 복원한 기록:" in out and f"지원과제 {counts['지원과제']}건" in out


def test_gui_confirmation_lists_what_goes_along_and_undo_brings_it_back(demo, firm, tmp_path, qtbot):
    context = AppContext(demo, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(context)
    qtbot.addWidget(window)
    firms, cases = window.screen("firms"), window.screen("cases")
    records = own_records(demo, firm.id)
    shown = cases.model.rowCount()
    firms.select(firm.id)
    context.ask = Answers("yes")
    firms.delete_or_restore()
    question = context.ask.asked[0]
    assert "휴지통" in question and "지원과제 5건" in question and "방문·상담 3건" in question
    assert "인증 1건" in question and "첨부파일 2건" in question
    assert firms.model.row_of(firm.id) == -1
    assert cases.model.rowCount() == shown - len(records["cases"])
    assert all(cases.model.row_of(case_id) == -1 for case_id in records["cases"])

    cases.trash.setChecked(True)  # a case of the deleted firm is refused, with the reason
    cases.select(records["cases"][0])
    cases.delete_or_restore()
    assert "기업을 먼저 복원하세요" in context.ask.asked[-1]
    cases.trash.setChecked(False)

    context.undo_stack.undo()
    assert firms.model.row_of(firm.id) >= 0
    assert cases.model.rowCount() == shown
    assert own_records(demo, firm.id) == records
