"""Every service on a fresh migrated database: create, update, soft delete/restore, list, rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from boeun_desk.models import AuditEntry
from boeun_desk.services import NotFound, StaleEdit
from boeun_desk.validation import ValidationFailed

BRN = "124-81-00998"
BRN2 = "301-34-82841"


@pytest.fixture
def firm_id(services):
    return services.firms.create({"name": "보은대추농원", "brn": BRN, "representative": "홍길동",
                                  "main_products": "대추즙"}).id


@pytest.fixture
def refs(services, firm_id):
    return {"firm_id": firm_id, "program_year_id": services.program_years.by_year(2024).id,
            "support_type_id": services.support_types.by_code("TEST").id}


def audit(services, entity_id):
    with services.database.sessions() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id)
                         .order_by(AuditEntry.at, AuditEntry.action)).all()


def test_firm_create_stores_digits_and_stamps_officer(services, firm_id):
    firm = services.firms.get(firm_id)
    assert firm.brn == "1248100998" and firm.updated_by == "테스트담당" and firm.version == 1
    assert len(firm.id) == 36
    assert [a.action for a in audit(services, firm_id)] == ["create"]


def test_firm_update_bumps_version_and_records_each_field(services, firm_id):
    services.firms.update(firm_id, {"phone": "043-123-4567", "representative": "김대표"})
    firm = services.firms.get(firm_id)
    assert (firm.phone, firm.representative, firm.version) == ("043-123-4567", "김대표", 2)
    changes = {(a.field, a.old_value, a.new_value) for a in audit(services, firm_id) if a.action == "update"}
    assert changes == {("phone", "", "043-123-4567"), ("representative", "홍길동", "김대표")}


def test_update_without_real_change_keeps_version(services, firm_id):
    services.firms.update(firm_id, {"representative": "홍길동"})
    assert services.firms.get(firm_id).version == 1


def test_stale_edit_is_refused(services, firm_id):
    services.firms.update(firm_id, {"phone": "043-000-0000"})
    with pytest.raises(StaleEdit):
        services.firms.update(firm_id, {"phone": "043-111-1111"}, expected_version=1)
    assert services.firms.get(firm_id).phone == "043-000-0000"


def test_a_visit_edit_is_stale_when_only_a_follow_up_changed(services, firm_id):
    """The visit form edits a visit with its follow-ups; a follow-up ticked elsewhere counts too."""
    visit = services.visits.create({"firm_id": firm_id, "starts_at": "2024-05-02 10:00",
                                    "follow_ups": [{"action": "성적서 제출"}]}).id
    opened = services.visits.edit_version(visit)
    services.visits.set_follow_up_done(services.visits.follow_ups(visit)[0].id)
    assert services.visits.get(visit).version == 1  # the visit row itself is unchanged
    with pytest.raises(StaleEdit):
        services.visits.update(visit, {"place": "사업장", "follow_ups": [{"action": "성적서 제출"}]},
                               expected_version=opened)
    assert services.visits.follow_ups(visit)[0].done and services.visits.get(visit).place == ""
    services.visits.update(visit, {"place": "사업장"}, expected_version=services.visits.edit_version(visit))
    assert services.visits.get(visit).place == "사업장"


def test_duplicate_brn_is_refused_and_nothing_saved(services, firm_id):
    with pytest.raises(ValidationFailed, match="이미 등록된"):
        services.firms.create({"name": "다른 회사", "brn": "1248100998"})
    assert len(services.firms.list()) == 1


def test_invalid_input_saves_nothing(services):
    with pytest.raises(ValidationFailed):
        services.firms.create({"name": "잘못된 번호", "brn": "124-81-00999"})
    assert services.firms.list(include_deleted=True) == []


def test_soft_delete_restore_and_trash_rules(services, firm_id):
    services.firms.delete(firm_id)
    assert services.firms.list() == []
    assert [f.id for f in services.firms.list(deleted_only=True)] == [firm_id]
    with pytest.raises(NotFound):
        services.firms.get(firm_id)
    with pytest.raises(ValidationFailed, match="휴지통"):
        services.firms.create({"name": "같은 번호", "brn": BRN})
    services.firms.restore(firm_id)
    assert services.firms.get(firm_id).deleted_at is None
    assert [a.action for a in audit(services, firm_id)][-2:] == ["delete", "restore"]


def test_search_by_name_products_and_brn_with_dashes(services, firm_id):
    services.firms.create({"name": "말티재전통장", "brn": BRN2, "main_products": "된장"})
    assert [f.name for f in services.firms.list(search="대추")] == ["보은대추농원"]
    assert [f.name for f in services.firms.list(search="된장")] == ["말티재전통장"]
    assert [f.name for f in services.firms.list(search="301-34")] == ["말티재전통장"]
    assert len(services.firms.list(search="보은 대추")) == 1
    assert services.firms.list(search="100%") == []


def test_by_brn(services, firm_id):
    assert services.firms.by_brn("124 81 00998").id == firm_id
    with pytest.raises(NotFound):
        services.firms.by_brn(BRN2)


def test_case_rules_share_warning_dates_and_refs(services, refs):
    changes = services.cases.create({**refs, "title": "소비기한 설정실험", "grant_national": "9,500,000",
                                     "firm_cash": 500_000, "status": "진행"})
    # About the whole government share (국비, 도비, 군비), not 국비 alone, and says what it adds up.
    [warning] = changes.warnings
    assert (warning.field, warning.label) == ("", "정부지원금 비율")
    assert "국비·도비·군비를 합한 정부지원금 9,500,000원이 총사업비 10,000,000원의 95.0%" in warning.message
    case = services.cases.get(changes.id)
    assert (case.status, case.grant_national) == ("in_progress", 9_500_000)
    with pytest.raises(ValidationFailed, match="종료일"):
        services.cases.update(changes.id, {"start_date": "2024-05-01", "end_date": "2024-04-01"})
    with pytest.raises(ValidationFailed, match="찾을 수 없습니다"):
        services.cases.create({**refs, "firm_id": "no-such-firm", "title": "x"})
    ok = services.cases.create({**refs, "title": "영양성분", "grant_national": 800_000, "firm_cash": 200_000})
    assert ok.warnings == ()


def test_visit_saves_follow_ups_with_it(services, firm_id):
    visit = services.visits.create({"firm_id": firm_id, "starts_at": "2024-05-02 10:00", "place": "사업장",
                                    "follow_ups": [{"action": "성적서 제출", "due_date": "2024-06-01"},
                                                   {"action": "샘플 발송"}]})
    rows = services.visits.follow_ups(visit.id)
    assert sorted(r.action for r in rows) == ["샘플 발송", "성적서 제출"]
    keep = next(r for r in rows if r.action == "성적서 제출")
    services.visits.update(visit.id, {"follow_ups": [{"id": keep.id, "action": "성적서 제출", "done": True},
                                                     {"action": "새 조치", "due_date": "2024-07-01"}]})
    rows = {r.action: r for r in services.visits.follow_ups(visit.id)}
    assert set(rows) == {"성적서 제출", "새 조치"}
    assert rows["성적서 제출"].done and rows["성적서 제출"].done_on is not None
    with pytest.raises(ValidationFailed, match="후속조치 1"):
        services.visits.update(visit.id, {"follow_ups": [{"action": ""}]})
    assert len(services.visits.follow_ups(visit.id)) == 2  # the failed save changed nothing
    with pytest.raises(ValidationFailed, match="종료 일시"):
        services.visits.create({"firm_id": firm_id, "starts_at": "2024-05-02 10:00", "ends_at": "2024-05-01"})


def test_follow_up_done_and_overdue_query(services, firm_id):
    visit = services.visits.create({"firm_id": firm_id, "starts_at": "2024-05-02",
                                    "follow_ups": [{"action": "서류 제출", "due_date": "2024-06-01"}]})
    overdue = services.queries.overdue_follow_ups(today=date(2024, 6, 2))
    assert [o.action for o in overdue] == ["서류 제출"] and overdue[0].overdue(date(2024, 6, 2))
    assert services.queries.overdue_follow_ups(today=date(2024, 6, 1)) == []
    services.visits.set_follow_up_done(services.visits.follow_ups(visit.id)[0].id)
    assert services.queries.overdue_follow_ups(today=date(2024, 6, 2)) == []


def test_certifications_and_expiry(services, firm_id):
    services.certifications.create({"firm_id": firm_id, "kind": "HACCP(식품안전관리인증)", "number": "H-1",
                                    "issued_on": "2023-12-01", "expires_on": "2026-12-01"})
    services.certifications.create({"firm_id": firm_id, "kind": "이노비즈", "expires_on": "2026-10-01"})
    today = date(2026, 11, 1)
    soon = services.queries.expiring_certifications(60, today=today)
    assert [(c.kind, c.days_left) for c in soon] == [("HACCP(식품안전관리인증)", 30)]
    with_expired = services.queries.expiring_certifications(60, today=today, include_expired=True)
    assert [c.days_left for c in with_expired] == [-31, 30]
    with pytest.raises(ValidationFailed, match="만료일"):
        services.certifications.create({"firm_id": firm_id, "kind": "GAP", "issued_on": "2024-01-01",
                                        "expires_on": "2023-01-01"})


def test_tests_ip_indicators(services, firm_id):
    services.tests.create({"firm_id": firm_id, "kind": "소비기한 설정실험", "passed": "적합", "lab": "식품연구원"})
    ip = services.ip_rights.create({"firm_id": firm_id, "kind": "상표", "title": "대추마루", "status": "등록"})
    assert services.ip_rights.get(ip.id).kind == "trademark"
    services.indicators.create({"firm_id": firm_id, "year": 2024, "metric": "sales", "baseline": "100,000,000",
                                "result": 120_000_000})
    with pytest.raises(ValidationFailed, match="같은 기업·연도·지표"):
        services.indicators.create({"firm_id": firm_id, "year": 2024, "metric": "매출액"})
    detail = services.queries.firm_detail(firm_id)
    assert (len(detail.tests), len(detail.ip_rights)) == (1, 1)
    assert detail.indicators[0].label == "매출액" and detail.indicators[0].result == 120_000_000


def test_support_types_are_data(services):
    codes = [t.code for t in services.support_types.list()]
    assert codes == ["PROTO", "SMART", "TEST", "PKG", "GUIDE", "IP", "IMPROVE", "CONSULT"]
    new = services.support_types.create({"code": "mkt", "name": "마케팅지원", "grant_share_percent": 75})
    assert services.support_types.get(new.id).code == "MKT"
    with pytest.raises(ValidationFailed, match="같은 코드의 지원유형"):
        services.support_types.create({"code": "TEST", "name": "중복", "grant_share_percent": 50})
    with pytest.raises(ValidationFailed, match="100 이하"):
        services.support_types.update(new.id, {"grant_share_percent": 120})


def test_supply_companies_matches_meetings_selections(services, firm_id):
    py = services.program_years.by_year(2024).id
    a = services.supply_companies.create({"name": "봄날디자인", "fields": "디자인"})
    b = services.supply_companies.create({"name": "한빛마케팅", "fields": "마케팅"})  # two without BRN: fine
    services.matches.create({"supply_company_id": a.id, "firm_id": firm_id, "program_year_id": py,
                             "matched_on": "2024-11-28", "occasion": "성과보고회", "status": "계약"})
    services.matches.create({"supply_company_id": b.id, "firm_id": firm_id, "program_year_id": py,
                             "status": "cancelled"})
    services.selections.create({"firm_id": firm_id, "program_year_id": py, "selected_on": "2024-03-15"})
    services.meetings.create({"program_year_id": py, "kind": "지역산업전문가 자문회의",
                              "held_on": "2024-12-12", "recommendations": "판로 연계 강화"})
    services.officers.create({"name": "이서연", "team": "지역산업육성팀"})
    stats = services.queries.annual_stats(2024)
    assert stats.supply_companies_matched == 1  # the cancelled match does not count
    assert stats.meetings[0].recommendations == "판로 연계 강화"
    assert services.queries.firm_detail(firm_id).selected_years == (2024,)
    assert [o.name for o in services.officers.list(search="이서")] == ["이서연"]


def test_annual_stats_count_only_live_uncancelled_cases(services, refs):
    for title, status in (("완료 과제", "done"), ("취소 과제", "cancelled"), ("진행 과제", "in_progress")):
        services.cases.create({**refs, "title": title, "status": status, "grant_national": 1_000_000,
                               "firm_cash": 200_000})
    deleted = services.cases.create({**refs, "title": "삭제 과제", "grant_national": 5_000_000})
    services.cases.delete(deleted.id)
    stats = services.queries.annual_stats(2024)
    assert stats.cases_total == 2 and stats.firms_supported == 1
    assert {tc.code: tc.count for tc in stats.cases_by_type}["TEST"] == 2
    assert stats.funding.national == 2_000_000 and stats.funding.firm_cash == 400_000
    with pytest.raises(NotFound):
        services.queries.annual_stats(2031)


def test_attachments_are_stored_once_by_content(services, firm_id, tmp_path):
    photo = tmp_path / "현장사진.jpg"
    photo.write_bytes(b"\xff\xd8fake-jpeg")
    first = services.attachments.attach("firm", firm_id, photo, caption="작업장")
    second = services.attachments.attach("firm", firm_id, photo)
    views = services.attachments.for_owner(firm_id)
    assert len(views) == 2 and views[0].content_hash == views[1].content_hash
    stored = services.attachments.path_of(views[0].content_hash)
    assert stored.read_bytes() == b"\xff\xd8fake-jpeg"
    assert first.id != second.id
    assert len(services.queries.firm_detail(firm_id).attachments) == 2
    with pytest.raises(ValidationFailed):
        services.attachments.attach("firm", firm_id, tmp_path / "없는파일.jpg")


def test_ids_and_rows_for_large_tables(services, firm_id):
    other = services.firms.create({"name": "말티재전통장", "brn": BRN2}).id
    assert services.firms.ids() == [other, firm_id]  # ordered by name like list()
    assert services.firms.ids(search="대추") == [firm_id]
    rows = services.firms.rows([firm_id, other, "missing"])
    assert set(rows) == {firm_id, other}
    assert rows[firm_id] == services.firms.get(firm_id)


def test_optional_choice_left_empty_takes_its_default(services, refs):
    case = services.cases.create({**refs, "title": "상태 미입력", "status": ""})
    assert services.cases.get(case.id).status == "planned"


def test_overdue_limit_and_count(services, firm_id):
    services.visits.create({"firm_id": firm_id, "starts_at": "2024-05-02", "follow_ups": [
        {"action": f"조치 {i}", "due_date": f"2024-06-{i + 1:02d}"} for i in range(5)]})
    today = date(2024, 7, 1)
    assert [f.action for f in services.queries.overdue_follow_ups(today=today, limit=2)] == ["조치 0", "조치 1"]
    assert services.queries.overdue_count(today=today) == 5


def test_overview_is_the_dashboards_figures_and_survives_json(demo):
    import json

    from boeun_desk.overview import Overview

    queries = demo.queries
    today = date(2025, 6, 1)
    overview = queries.overview(2024, today=today)
    stats = queries.annual_stats(2024, details=False)
    assert (overview.year, overview.firms_supported, overview.cases_total, overview.stages) == (
        2024, stats.firms_supported, stats.cases_total, stats.stages)
    assert [(t.code, t.count) for t in overview.cases_by_type] == [(t.code, t.count) for t in stats.cases_by_type]
    assert overview.years == tuple(y.year for y in demo.program_years.list())
    assert [c.certification_id for c in overview.expiring] == [
        c.id for c in queries.expiring_certifications(60, today=today)]
    assert overview.overdue_total == queries.overdue_count(today=today) == len(overview.overdue) > 0
    assert Overview.from_json(json.loads(json.dumps(overview.to_json()))) == overview
    # Without a year: the officer's default year if the program has it, otherwise the latest.
    assert queries.overview(today=today).year == max(overview.years)
    assert queries.overview(today=today, default_year=2024).year == 2024
    assert queries.overview(today=today, default_year=1999).year == max(overview.years)


def test_attachments_pass_the_same_rules(demo, tmp_path):
    from boeun_desk.validation import ValidationFailed as Refused

    visit = demo.visits.list()[0]
    photo = tmp_path / "현장\u200f사진\x1b.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    changes = demo.attachments.attach("visit", visit.id, photo, caption="작업장 전경")
    stored = demo.attachments.get(changes.id)
    assert stored.filename == "현장_사진_.jpg" and len(stored.content_hash) == 64
    for caption, owner_kind, owner_id in (("캡션\x00", "visit", visit.id), ("x" * 301, "visit", visit.id),
                                          ("", "no_such_kind", visit.id), ("", "visit", "0" * 36)):
        with pytest.raises(Refused):
            demo.attachments.attach(owner_kind, owner_id, photo, caption=caption)
    assert len(demo.attachments.for_owner(visit.id)) == 1


def test_a_support_type_or_supply_company_still_in_use_stays(demo):
    from boeun_desk.validation import ValidationFailed as Refused

    proto = demo.support_types.by_code("PROTO")
    with pytest.raises(Refused, match="지원과제 \\d+건"):
        demo.support_types.delete(proto.id)
    company = next(c for c in demo.supply_companies.list() if demo.matches.list(supply_company_id=c.id))
    with pytest.raises(Refused, match="매칭"):
        demo.supply_companies.delete(company.id)
    unused = demo.support_types.create({"code": "NEW", "name": "새 유형", "grant_share_percent": 70})
    demo.support_types.delete(unused.id)
    assert demo.support_types.get(proto.id).deleted_at is None


def test_unique_keys_are_korean_messages_also_against_the_trash(demo):
    from boeun_desk.validation import ValidationFailed as Refused

    selection = demo.selections.list()[0]
    with pytest.raises(Refused, match="같은 기업·사업연도의 수혜기업 선정"):
        demo.selections.create({"firm_id": selection.firm_id, "program_year_id": selection.program_year_id})
    indicator = demo.indicators.list()[0]
    demo.indicators.delete(indicator.id)
    again = {"firm_id": indicator.firm_id, "year": indicator.year, "metric": indicator.metric, "result": 1}
    with pytest.raises(Refused, match="휴지통에 같은 .*복원해서"):
        demo.indicators.create(again)
    demo.indicators.restore(indicator.id)
    with pytest.raises(Refused, match="이미 있습니다"):
        demo.indicators.create(again)
