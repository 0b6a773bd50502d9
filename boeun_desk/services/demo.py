"""A deterministic, fictional demo program whose 2024 figures equal the published first year.

13 firms, 37 cases (3/1/8/1/5/5/7/7 by type), 10 supply companies matched at the 2024-11-28 report
meeting; a partial 2025; visits with follow-ups (some overdue), certifications (some expiring within
60 days of `today`), tests, IP, indicators and two kinds of meetings. Given the same `today`, the
database content is the same every time.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from boeun_desk.i18n import t
from boeun_desk.models import (
    Certification,
    Firm,
    FollowUp,
    Indicator,
    IndicatorTarget,
    IPRight,
    Match,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    Meta,
    Officer,
    ProgramYear,
    Selection,
    SupplyCompany,
    SupportCase,
    SupportType,
    TestAnalysis,
    Tracked,
    Visit,
)
from boeun_desk.services import demo_data as D
from boeun_desk.services.bulk import insert_rows, tracked_row
from boeun_desk.storage.engine import Database, open_database
from boeun_desk.storage.files import atomic_path
from boeun_desk.storage.lock import InstanceLock
from boeun_desk.storage.target import to_url
from boeun_desk.validation import brn_check_digit

SEED = 2024
DEMO_OFFICER = "데모"


class DemoExists(FileExistsError):
    """The target file exists and --force was not given."""


def make_brn(rng: random.Random, corporate: bool) -> str:
    """A 10-digit BRN with a valid check digit (invented: office, type and serial are random)."""
    office = rng.choice(["301", "302", "303", "304", "317"])
    kind = rng.choice(["81", "86", "87"]) if corporate else f"{rng.randint(1, 79):02d}"
    first9 = f"{office}{kind}{rng.randint(0, 9999):04d}"
    return first9 + str(brn_check_digit(first9))


def make_crn(rng: random.Random) -> str:
    first12 = f"1511{rng.choice(['11', '71'])}{rng.randint(0, 999999):06d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def working_day(day: date, step: int = 1) -> date:
    """`day`, or the nearest day after it (before it, with step=-1) that is neither a Saturday or
    Sunday nor a listed public holiday."""
    while day.weekday() >= 5 or day.isoformat() in D.HOLIDAYS:
        day += timedelta(days=step)
    return day


def _brand(firm_name: str) -> str:
    """The name a firm trades under: its name without the legal form."""
    for form in ("농업회사법인(주)", "농업회사법인", "영농조합법인", "(주)"):
        firm_name = firm_name.replace(form, "")
    return firm_name.strip()


def _money(amount: float, unit: int = 10_000) -> int:
    return int(amount // unit * unit)


@dataclass
class _Builder:
    """Accumulates rows per model; ids come from the seeded generator so they repeat run to run."""

    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    rows: dict[type[Tracked], list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type[Tracked], at: date | datetime, **values: Any) -> str:
        stamp = at if isinstance(at, datetime) else datetime.combine(at, time(9, 0))
        row = tracked_row({"id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), **values},
                          officer=DEMO_OFFICER, at=stamp)
        self.rows.setdefault(model, []).append(row)
        return row["id"]


def build_demo(database: Database, *, today: date | None = None) -> None:
    """Fill a freshly migrated, empty database with the demo program in one transaction."""
    b = _Builder(today or date.today())
    rng = b.rng
    with database.sessions() as session:
        years = {py.year: py.id for py in session.scalars(select(ProgramYear))}
        types = {st.code: st for st in session.scalars(select(SupportType))}

    officers = [b.add(Officer, date(2024, 1, 2), name=n, team=team, position=pos, phone="043-270-2000",
                      email=f"officer{i}@example.kr", active=True)
                for i, (n, team, pos) in enumerate(D.OFFICERS, start=1)]
    firms = []
    for index, (name, rep, addr, products, resource, staff, founded) in enumerate(D.FIRMS_2024 + D.FIRMS_2025):
        corporate = "법인" in name or "(주)" in name
        firm_id = b.add(Firm, date(2024, 3, 4) if index < len(D.FIRMS_2024) else date(2025, 3, 3),
                        name=name, brn=make_brn(rng, corporate), crn=make_crn(rng) if corporate else "",
                        representative=rep, address=f"충청북도 보은군 {addr}",
                        phone=f"043-54{index % 10}-{1000 + index * 37:04d}", email=f"firm{index + 1}@example.kr",
                        founded=date(founded, 1 + index % 12, 1 + index % 27), employees=staff,
                        main_products=products, local_resource=resource, notes="")
        firms.append((firm_id, name, rep, products.split(",")[0], f"충청북도 보은군 {addr}"))
    suppliers = [b.add(SupplyCompany, date(2024, 3, 4), name=name, brn=make_brn(rng, True), fields=fields,
                       contact_name=contact, phone=f"043-21{i % 10}-{3000 + i * 11:04d}",
                       email=f"supply{i + 1}@example.kr", address="충청북도 청주시", notes="")
                 for i, (name, fields, contact) in enumerate(D.SUPPLY_COMPANIES)]

    firms_2024 = firms[:len(D.FIRMS_2024)]
    firms_2025 = [firms[i] for i in D.RETURNING_2025] + firms[len(D.FIRMS_2024):]
    for year, chosen, on in ((2024, firms_2024, date(2024, 3, 15)), (2025, firms_2025, date(2025, 3, 14))):
        for firm in chosen:
            b.add(Selection, on, firm_id=firm[0], program_year_id=years[year], selected_on=on, notes="")

    codes_2024 = [code for code, n in D.CASES_2024.items() for _ in range(n)]
    rng.shuffle(codes_2024)
    cases = [_case(b, years[2024], types[code], firms_2024[i % len(firms_2024)], suppliers, 2024)
             for i, code in enumerate(codes_2024)]
    # A cancelled 2024 case: recorded, but counted nowhere.
    _case(b, years[2024], types["PROTO"], firms_2024[5], suppliers, 2024, status="cancelled")
    codes_2025 = [rng.choice(list(D.CASES_2024)) for _ in range(22)]
    cases += [_case(b, years[2025], types[code], firms_2025[i % len(firms_2025)], suppliers, 2025)
              for i, code in enumerate(codes_2025)]
    for case in cases:
        _case_records(b, case)

    _certifications(b, firms)
    results_2024 = _indicators(b, firms_2024, 2024, {})
    _indicators(b, [firms[i] for i in D.RETURNING_2025], 2025, results_2024)
    _visits(b, cases, officers)
    _matches(b, years, firms_2024, firms_2025, suppliers)
    _meetings(b, years)
    _targets(b, years, firms)  # last: the rows before it keep the ids and numbers they always had

    with database.sessions() as session, session.begin():
        for model, rows in b.rows.items():
            insert_rows(session, model, rows)
        session.add(Meta(key="demo", value=b.today.isoformat()))


def _case(b: _Builder, program_year_id: str, st: SupportType, firm: tuple, suppliers: list[str], year: int,
          status: str | None = None) -> dict[str, Any]:
    rng = b.rng
    firm_id, _name, _rep, product, _addr = firm
    code = st.code
    test, ip_kind, topic = rng.choice(D.TEST_NAMES[:2]), rng.choice(list(D.IP_RIGHTS)), rng.choice(D.CONSULT_TOPICS)
    title = D.TITLES[code].format(product=product, test=test, ip=D.IP_RIGHTS[ip_kind][0], consult=topic)
    total = _money(D.CASE_TOTALS[code] * rng.uniform(0.8, 1.2), 100_000)
    share = st.grant_share_percent - rng.choice([0, 0, 5, 10])
    grant = _money(total * share / 100)
    national = _money(grant * 0.68)
    provincial = _money(grant * 0.2)
    firm_part = total - grant
    cash = _money(firm_part * 0.6)
    start = working_day(date(year, rng.randint(4, 7), rng.randint(1, 28)))
    end = working_day(min(start + timedelta(days=rng.randint(40, 120)), date(year, 11, 30)), step=-1)
    if status is None:
        status = "done" if year == 2024 or end < date(2025, 9, 1) else rng.choice(["in_progress", "planned"])
    supplier = rng.choice(suppliers[:10]) if code in {"PKG", "CONSULT", "IMPROVE", "PROTO"} else None
    values = dict(firm_id=firm_id, program_year_id=program_year_id, support_type_id=st.id,
                  supply_company_id=supplier, title=title,
                  description=f"{product}의 경쟁력 강화를 위한 {st.name}. 수혜기업 신청서 및 선정평가 결과에 따름.",
                  status=status, start_date=start, end_date=end, grant_national=national,
                  grant_provincial=provincial, grant_county=grant - national - provincial, firm_cash=cash,
                  firm_in_kind=firm_part - cash,
                  result="지원 완료, 결과보고서 제출" if status == "done" else "")
    case_id = b.add(SupportCase, start - timedelta(days=10), **values)
    return {"id": case_id, "code": code, "firm": firm, "start": start, "end": end, "type_id": st.id,
            "topic": {"TEST": test, "IP": ip_kind, "CONSULT": topic}.get(code), **values}


def _case_records(b: _Builder, case: dict[str, Any]) -> None:
    rng = b.rng
    firm_id, _name, _rep, product, _addr = case["firm"]
    if case["code"] == "TEST" and case["status"] != "planned":
        requested = case["start"] + timedelta(days=7)
        b.add(TestAnalysis, requested, firm_id=firm_id, case_id=case["id"], kind=case["title"].split(" ", 1)[1],
              item="성상, 세균수, 대장균군" if "소비기한" in case["title"] else "열량, 탄수화물, 당류, 단백질, 지방, 나트륨",
              product=product, lab=rng.choice(D.LABS), requested_on=requested,
              result_on=requested + timedelta(days=rng.randint(20, 60)) if case["status"] == "done" else None,
              passed=(rng.random() > 0.1) if case["status"] == "done" else None,
              report_no=f"TR-{case['start'].year}-{rng.randint(1000, 9999)}",
              result="적합 (소비기한 12개월 설정)" if "소비기한" in case["title"] else "분석 완료, 영양성분표 작성")
    if case["code"] == "IP" and case["status"] != "planned":
        kind = case["topic"]
        _label, prefix, title, days = D.IP_RIGHTS[kind]
        applied = working_day(case["start"] + timedelta(days=20))
        registered_on = working_day(applied + timedelta(days=days))
        registered = case["start"].year == 2024 and rng.random() < 0.6 and registered_on <= b.today
        b.add(IPRight, applied, firm_id=firm_id, case_id=case["id"], kind=kind,
              title=title.format(product=product, brand=_brand(case["firm"][1])),
              application_no=f"{prefix}-{applied.year}-{rng.randint(1, 199999):07d}", application_date=applied,
              registration_no=f"{prefix}-{rng.randint(1000000, 2999999)}" if registered else "",
              registration_date=registered_on if registered else None,
              status="registered" if registered else "filed", notes="")


def _certifications(b: _Builder, firms: list[tuple]) -> None:
    rng = b.rng
    for i, (kind, offset) in enumerate(D.CERTIFICATE_PLAN):
        firm = firms[(i * 5) % len(firms)]
        issuer, years = D.CERTIFICATES[kind]
        # A term of n years runs from the issue date to the day before its n-th anniversary.
        expires = b.today + timedelta(days=offset)
        issued = _add_years(expires + timedelta(days=1), -years)
        b.add(Certification, issued, firm_id=firm[0], case_id=None, kind=kind,
              number=f"제{issued.year}-{rng.randint(100, 999)}호", issuer=issuer,
              product=firm[3], issued_on=issued, expires_on=expires, notes="")


def _add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _indicators(b: _Builder, firms: list[tuple], year: int,
                previous: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Baseline vs result per firm and metric. A firm's baseline is its result of the year before where
    one was reported (`previous`, keyed by firm id and metric); the results are returned the same way."""
    rng = b.rng
    results: dict[tuple[str, str], int] = {}
    for i, firm in enumerate(firms):
        sales = previous.get((firm[0], "sales")) or _money(rng.randint(150, 1800) * 1_000_000, 1_000_000)
        metrics = {"sales": (sales, _money(sales * rng.uniform(1.02, 1.25), 1_000_000)),
                   "hires_regular": (0, rng.randint(0, 2)), "hires_youth": (0, rng.randint(0, 1)),
                   "hires_women": (0, rng.randint(0, 1))}
        exports = previous.get((firm[0], "exports"))
        if exports or (not previous and i % 3 == 0):
            exports = exports or _money(rng.randint(10, 200) * 1_000_000, 1_000_000)
            metrics["exports"] = (exports, _money(exports * rng.uniform(1.0, 1.6), 1_000_000))
        if i == 2 and not previous:
            metrics["investment"] = (0, 300_000_000)
        for metric, (baseline, result) in metrics.items():
            baseline = previous.get((firm[0], metric), baseline)
            b.add(Indicator, date(year, 12, 15), firm_id=firm[0], year=year, metric=metric, baseline=baseline,
                  result=result, notes="")
            results[(firm[0], metric)] = result
    return results


def _visit_notes(case: dict[str, Any], i: int) -> tuple[str, str, str, str]:
    """Purpose, situation, advice and a follow-up that fit the case's support type and its topic."""
    purpose = D.VISIT_PURPOSES[case["code"]]
    if case["topic"]:
        return (purpose, *D.TOPIC_NOTES[case["topic"]])
    notes = D.VISIT_NOTES[case["code"]]
    return (purpose, *notes[i % len(notes)])


def _visits(b: _Builder, cases: list[dict[str, Any]], officers: list[str]) -> None:
    """Visits on working days (no weekend, no public holiday), within office hours (10:00-17:00), an
    officer in one place at a time."""
    rng = b.rng
    booked: set[tuple[str, date, int]] = set()
    for i, case in enumerate(cases[::2]):
        _firm_id, _name, rep, _product, address = case["firm"]
        officer = officers[i % len(officers)]
        day, hour = working_day(case["start"] + timedelta(days=rng.randint(5, 30))), rng.choice([10, 14, 15])
        while (officer, day, hour) in booked:
            day = working_day(day + timedelta(days=1))
        booked.update((officer, day, h) for h in (10, 14, 15))
        starts = datetime.combine(day, time(hour, 0))
        purpose, situation, advice, action = _visit_notes(case, i)
        expert, expert_org = D.EXPERTS[i % len(D.EXPERTS)] if case["code"] in D.EXPERT_TYPES else ("", "")
        attendees = f"{rep} 대표, {D.OFFICERS[i % 3][0]} {D.OFFICERS[i % 3][2]}" + (f", {expert} 지도위원" if expert else "")
        visit_id = b.add(Visit, starts, firm_id=case["firm_id"], case_id=case["id"], support_type_id=case["type_id"],
                         officer_id=officer, starts_at=starts, ends_at=starts + timedelta(hours=2),
                         place=address, attendees=attendees, purpose=f"{case['title']}: {purpose}",
                         situation=situation, advice=advice, notes="", expert_name=expert, expert_org=expert_org)
        for j in range(1 + i % 2):
            due = working_day(day + timedelta(days=14 + 14 * j))
            done = due < date(2025, 6, 1) and (i + j) % 5 != 0  # some 2024-25 actions left open: overdue
            if i % 9 == 4 and j == 0:  # a few still ahead of today
                due, done = working_day(b.today + timedelta(days=7 + i)), False
            b.add(FollowUp, starts, visit_id=visit_id, action=action if j == 0 else D.FOLLOW_UPS[i % len(D.FOLLOW_UPS)],
                  due_date=due, done=done, done_on=working_day(due - timedelta(days=2), step=-1) if done else None)


def _matches(b: _Builder, years: dict[int, str], firms_2024: list, firms_2025: list, suppliers: list[str]) -> None:
    meeting_day = date(2024, 11, 28)
    statuses = ["contracted", "negotiating", "proposed", "contracted", "done"]
    pairs = [(suppliers[i], firms_2024[i][0]) for i in range(10)] + [(suppliers[0], firms_2024[11][0]),
                                                                       (suppliers[2], firms_2024[12][0])]
    for i, (supplier, firm) in enumerate(pairs):
        b.add(Match, meeting_day, supply_company_id=supplier, firm_id=firm, program_year_id=years[2024],
              matched_on=meeting_day, occasion="2024 성과보고회 네트워킹", status=statuses[i % len(statuses)],
              note="보은 나인밸리파크 호텔 네트워킹 세션에서 상담")
    for i, supplier in enumerate((suppliers[10], suppliers[11], suppliers[3])):
        b.add(Match, date(2025, 5, 20), supply_company_id=supplier, firm_id=firms_2025[6 + i][0],
              program_year_id=years[2025], matched_on=date(2025, 5, 20), occasion="수요기업 개별 상담",
              status="negotiating", note="")
    # A match called off: recorded, counted nowhere (as a cancelled case).
    b.add(Match, date(2025, 6, 10), supply_company_id=suppliers[4], firm_id=firms_2025[4][0],
          program_year_id=years[2025], matched_on=date(2025, 6, 10), occasion="수요기업 개별 상담",
          status="cancelled", note="기업 사정으로 라이브커머스 일정 취소")


def _meetings(b: _Builder, years: dict[int, str]) -> None:
    """The report meeting and the advisory meetings with their minutes: attendees and actions in order."""
    for meeting in D.MEETINGS:
        held_on = date.fromisoformat(meeting["held_on"])
        values = {k: v for k, v in meeting.items() if k not in ("year", "people", "actions", "held_on")}
        meeting_id = b.add(Meeting, held_on, program_year_id=years[meeting["year"]], held_on=held_on, **values)
        for seq, (category, organisation, position, name) in enumerate(meeting["people"], start=1):
            b.add(MeetingAttendee, held_on, meeting_id=meeting_id, seq=seq, category=category,
                  organisation=organisation, position=position, name=name)
        for seq, (action, owner, due, done) in enumerate(meeting["actions"], start=1):
            b.add(MeetingAction, held_on, meeting_id=meeting_id, seq=seq, action=action, owner=owner,
                  due_date=date.fromisoformat(due), done=done)


def _targets(b: _Builder, years: dict[int, str], firms: list[tuple]) -> None:
    for year, targets in D.TARGETS.items():
        for metric, target in targets.items():
            b.add(IndicatorTarget, date(year, 3, 4), program_year_id=years[year], firm_id=None, metric=metric,
                  target=target, notes="사업계획서 목표")
    for index, metric, target in D.FIRM_TARGETS_2025:
        b.add(IndicatorTarget, date(2025, 3, 14), program_year_id=years[2025],
              firm_id=firms[D.RETURNING_2025[index]][0], metric=metric, target=target, notes="기업 제출 목표")


def write_demo(path: Path, *, force: bool = False, today: date | None = None) -> Path:
    """Write the demo database to `path` atomically: built aside, then moved into place.

    Holds the file's instance lock meanwhile: a file another copy of the program has open is
    never replaced (its later saves would go into a deleted file)."""
    path = path.expanduser().resolve()
    to_url(path)  # a name the database layer cannot open is refused before anything is built
    if path.exists() and not force:
        raise DemoExists(t("파일이 이미 있습니다: {path} (덮어쓰려면 --force)", path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock.acquire(path)
    try:
        with atomic_path(path) as scratch:
            scratch.unlink()  # open_database makes the file whole (an empty file is refused as damaged)
            try:
                database = open_database(scratch)
                try:
                    build_demo(database, today=today)
                finally:
                    database.close()
            finally:
                _remove_logs(scratch)
            _remove_logs(path)  # the logs of the file being replaced
    finally:
        lock.release()
    return path


def _remove_logs(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
