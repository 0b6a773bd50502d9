"""The demo reads as a real officer's records: numbers, terms, dates and notes as they are in practice."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from boeun_desk.models import Certification, Indicator, IPRight, Meeting, SupportCase, SupportType, Visit
from boeun_desk.services.demo_data import HOLIDAYS
from boeun_desk.storage.engine import open_database
from tests.conftest import DEMO_TODAY

# Korean application numbers start with the right's code.
IP_CODES = {"patent": "10", "utility": "20", "design": "30", "trademark": "40"}
# Terms in years: 유기가공식품 one year, GAP two, the others (이노비즈, 메인비즈, HACCP ...) three.
TERMS = {"유기가공식품 인증": 1, "GAP": 2, "이노비즈": 3, "메인비즈": 3, "HACCP(식품안전관리인증)": 3,
         "전통식품 품질인증": 3, "가공식품 KS": 3, "벤처기업확인": 3, "ISO 22000": 3}
# What the advice of a visit on each support type talks about. For the types whose cases differ by
# topic, the topic named in the case title must be named in the advice.
TYPE_WORDS = {"PROTO": "시제품", "SMART": "스마트", "PKG": "패키지", "GUIDE": "기술지도", "IMPROVE": "개선"}
TOPIC_WORDS = {"TEST": ("소비기한", "영양성분"), "IP": ("특허", "실용신안", "디자인", "상표"),
               "CONSULT": ("HACCP 인증", "온라인 판로", "수출", "브랜드", "경영")}


@pytest.fixture
def rows(demo_path):
    database = open_database(demo_path)
    with database.sessions() as session:
        def all_of(model):
            return list(session.scalars(select(model)))
        yield all_of
    database.close()


def test_ip_numbers_start_with_the_code_of_their_right(rows):
    rights = rows(IPRight)
    assert {r.kind for r in rights} >= {"patent", "design", "trademark"}
    for right in rights:
        code = IP_CODES[right.kind]
        assert re.fullmatch(rf"{code}-{right.application_date.year}-\d{{7}}", right.application_no), right
        assert right.registration_no == "" or re.fullmatch(rf"{code}-\d{{7}}", right.registration_no), right
        assert (right.registration_date is None) == (right.status != "registered")
        if right.registration_date:
            assert right.application_date < right.registration_date <= DEMO_TODAY


def test_titles_carry_no_english_tags(rows):
    titles = [r.title for r in rows(SupportCase) + rows(Meeting)]
    assert titles and not [t for t in titles if re.search(r"\([A-Za-z ]+\)", t)]
    ip_titles = [r.title for r in rows(IPRight)]
    assert ip_titles and not [t for t in ip_titles if re.search(r"[A-Za-z]", t)]


def test_holiday_list_has_the_2024_and_2025_holidays():
    assert {"2024-05-05", "2024-05-06", "2024-09-17", "2024-10-01", "2025-01-28", "2025-05-06",
            "2025-06-03", "2025-10-08", "2025-12-25"} <= HOLIDAYS


def test_visits_fall_on_working_days_in_working_hours(rows):
    visits = rows(Visit)
    assert len(visits) >= 20
    for visit in visits:
        day = visit.starts_at.date()
        assert day.weekday() < 5 and day.isoformat() not in HOLIDAYS, visit.starts_at
        assert visit.ends_at.date() == day
        assert time(9, 0) <= visit.starts_at.time() < visit.ends_at.time() <= time(18, 0)
    by_officer = [(v.officer_id, v.starts_at) for v in visits]
    assert len(set(by_officer)) == len(by_officer)  # an officer is in one place at a time


def test_certificates_have_their_real_terms_and_issuers(rows):
    certificates = rows(Certification)
    assert {c.kind for c in certificates} >= {"유기가공식품 인증", "이노비즈", "메인비즈", "HACCP(식품안전관리인증)"}
    for cert in certificates:
        years = TERMS[cert.kind]
        anniversary = cert.issued_on.replace(year=cert.issued_on.year + years)
        assert cert.expires_on == anniversary - timedelta(days=1), (cert.kind, cert.issued_on, cert.expires_on)
        assert cert.issued_on <= DEMO_TODAY and cert.issuer and cert.number
    organic = [c for c in certificates if c.kind == "유기가공식품 인증"]
    assert organic and all("국립농산물품질관리원" not in c.issuer and "인증" in c.issuer for c in organic)
    assert {c.issuer for c in certificates if c.kind.startswith("HACCP")} == {"한국식품안전관리인증원"}
    assert {c.issuer for c in certificates if c.kind in ("이노비즈", "메인비즈")} == {"중소벤처기업부"}


def test_2025_baselines_are_the_2024_results(rows):
    indicators = rows(Indicator)
    results_2024 = {(i.firm_id, i.metric): i.result for i in indicators if i.year == 2024}
    carried = [(i, results_2024[(i.firm_id, i.metric)]) for i in indicators
               if i.year == 2025 and (i.firm_id, i.metric) in results_2024]
    assert len(carried) >= 20  # the six returning firms, four or more metrics each
    assert [(i.metric, i.baseline) for i, _ in carried] == [(i.metric, result) for i, result in carried]


def test_visit_notes_fit_the_support_type_of_the_case(rows):
    codes = {st.id: st.code for st in rows(SupportType)}
    cases = {c.id: c for c in rows(SupportCase)}
    visits = rows(Visit)
    assert {codes[v.support_type_id] for v in visits} >= {"TEST", "IP", "CONSULT", "IMPROVE"}
    for visit in visits:
        code, title = codes[visit.support_type_id], cases[visit.case_id].title
        assert visit.purpose.startswith(title) and visit.situation and visit.advice
        if code in TYPE_WORDS:
            assert TYPE_WORDS[code] in visit.advice, (code, visit.advice)
        else:
            topic = next(word for word in TOPIC_WORDS[code] if word in title)
            assert topic in visit.advice, (title, visit.advice)
        if code != "GUIDE":
            assert "살균" not in visit.advice, (title, visit.advice)


def test_demo_with_another_today_keeps_its_terms(tmp_path):
    """The certificates hang off `today`: on a leap day their terms and issue dates still hold."""
    from boeun_desk.services.demo import write_demo

    database = open_database(write_demo(tmp_path / "leap.sqlite3", today=date(2028, 2, 29)))
    with database.sessions() as session:
        for cert in session.scalars(select(Certification)):
            assert cert.issued_on <= date(2028, 2, 29)
            assert cert.issued_on.year + TERMS[cert.kind] in (cert.expires_on.year, cert.expires_on.year + 1)
    database.close()
