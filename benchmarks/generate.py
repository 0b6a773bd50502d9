"""Generate a large, realistic database for benchmarks: 10,000 firms and 100,000 cases by default.

Ten program years (2016-2025), visits with follow-ups, certifications, tests, IP and indicators.
Deterministic for a given seed. Usage: python benchmarks/generate.py OUT.sqlite3 [--scale 0.1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from boeun_desk.models import (
    Certification,
    Firm,
    FollowUp,
    Indicator,
    ProgramYear,
    SupplyCompany,
    SupportCase,
    SupportType,
    Visit,
)
from boeun_desk.models.choices import CERTIFICATION_KINDS, INDICATOR_METRICS
from boeun_desk.services import demo_data as D
from boeun_desk.services.bulk import insert_rows, tracked_row
from boeun_desk.services.demo import make_brn
from boeun_desk.storage.engine import open_database

YEARS = range(2016, 2026)
SIZES = {"firms": 10_000, "cases": 100_000, "visits": 30_000, "certifications": 15_000, "indicators": 40_000,
         "supply_companies": 300}
SYLLABLES = ["보은", "대추", "속리", "황토", "사과", "말티", "구병", "회인", "금적", "원정", "삼승", "수한", "탄부", "마로", "내북", "산외", "장안", "회남"]
KINDS = ["농원", "식품", "영농조합법인", "농업회사법인", "방앗간", "가공", "명가", "푸드", "공방", "양조장"]


def generate(path: Path, scale: float = 1.0, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    sizes = {k: max(1, int(v * scale)) for k, v in SIZES.items()}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = open_database(path)
    stamp = datetime(2025, 12, 31)
    with database.sessions() as session, session.begin():
        program = session.scalars(select(ProgramYear)).first().program_id
        years = {py.year: py.id for py in session.scalars(select(ProgramYear))}
        extra = [tracked_row({"program_id": program, "year": y, "budget_national": 320_000_000,
                              "budget_provincial": 95_000_000, "budget_county": 55_000_000, "notes": ""}, at=stamp)
                 for y in YEARS if y not in years]
        insert_rows(session, ProgramYear, extra, audit=False)
        years.update({row["year"]: row["id"] for row in extra})
        types = [st.id for st in session.scalars(select(SupportType))]

        brns: set[str] = set()

        def unique_brn(corporate: bool) -> str:
            while (brn := make_brn(rng, corporate)) in brns:
                pass
            brns.add(brn)
            return brn

        firms = [tracked_row({
            "name": f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{KINDS[i % len(KINDS)]} {i + 1}",
            "brn": unique_brn(i % 3 == 0), "crn": "", "representative": rng.choice("김이박최정강조윤장임") + "대표",
            "address": f"충청북도 보은군 {rng.choice(SYLLABLES)}로 {rng.randint(1, 400)}", "phone": "043-540-0000",
            "email": "", "founded": date(rng.randint(1990, 2024), rng.randint(1, 12), 1),
            "employees": rng.randint(1, 80), "main_products": rng.choice(D.FIRMS_2024)[3],
            "local_resource": rng.choice(["대추", "사과", "콩", "들깨", "버섯"]), "notes": ""}, at=stamp)
            for i in range(sizes["firms"])]
        insert_rows(session, Firm, firms, audit=False)
        suppliers = [tracked_row({"name": f"공급기업 {i + 1}", "brn": unique_brn(True), "fields": "마케팅",
                                  "contact_name": "", "phone": "", "email": "", "address": "", "notes": ""}, at=stamp)
                     for i in range(sizes["supply_companies"])]
        insert_rows(session, SupplyCompany, suppliers, audit=False)

        firm_ids = [f["id"] for f in firms]
        cases = []
        for i in range(sizes["cases"]):
            year = rng.choice(YEARS)
            start = date(year, rng.randint(3, 8), rng.randint(1, 28))
            grant = rng.randint(10, 400) * 100_000
            cases.append(tracked_row({
                "firm_id": rng.choice(firm_ids), "program_year_id": years[year], "support_type_id": rng.choice(types),
                "supply_company_id": rng.choice(suppliers)["id"] if i % 4 == 0 else None,
                "title": f"{rng.choice(D.FIRMS_2024)[3]} {rng.choice(list(D.TITLES.values())).split('}')[-1].strip()}"
                         f" {i + 1}",
                "description": "", "status": rng.choice(["done", "done", "done", "in_progress", "planned", "cancelled"]),
                "start_date": start, "end_date": start + timedelta(days=rng.randint(30, 120)),
                "grant_national": grant * 68 // 100, "grant_provincial": grant * 20 // 100,
                "grant_county": grant - grant * 68 // 100 - grant * 20 // 100, "firm_cash": grant // 5,
                "firm_in_kind": grant // 10, "result": ""}, at=stamp))
        insert_rows(session, SupportCase, cases, audit=False)

        visits, follow_ups = [], []
        for i in range(sizes["visits"]):
            case = rng.choice(cases)
            starts = datetime.combine(case["start_date"], datetime.min.time()) + timedelta(days=10, hours=10)
            visit = tracked_row({"firm_id": case["firm_id"], "case_id": case["id"],
                                 "support_type_id": case["support_type_id"], "officer_id": None,
                                 "starts_at": starts, "ends_at": starts + timedelta(hours=2), "place": "사업장",
                                 "attendees": "대표, 담당자", "purpose": case["title"],
                                 "situation": D.SITUATIONS[i % len(D.SITUATIONS)],
                                 "advice": D.ADVICE[i % len(D.ADVICE)], "notes": ""}, at=stamp)
            visits.append(visit)
            follow_ups.append(tracked_row({"visit_id": visit["id"], "action": D.FOLLOW_UPS[i % len(D.FOLLOW_UPS)],
                                           "due_date": starts.date() + timedelta(days=21), "done": i % 5 != 0,
                                           "done_on": None}, at=stamp))
        insert_rows(session, Visit, visits, audit=False)
        insert_rows(session, FollowUp, follow_ups, audit=False)

        certs = []
        for _ in range(sizes["certifications"]):
            issued = date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28))
            certs.append(tracked_row({"firm_id": rng.choice(firm_ids), "case_id": None,
                                      "kind": rng.choice(CERTIFICATION_KINDS), "number": f"C-{rng.randint(1, 10**6)}",
                                      "issuer": "인증기관", "product": "", "issued_on": issued,
                                      "expires_on": issued + timedelta(days=3 * 365), "notes": ""}, at=stamp))
        insert_rows(session, Certification, certs, audit=False)

        keys: set[tuple[str, int, str]] = set()
        indicators = []
        metrics = list(INDICATOR_METRICS)
        while len(indicators) < sizes["indicators"]:
            key = (rng.choice(firm_ids), rng.choice(YEARS), rng.choice(metrics))
            if key in keys:
                continue
            keys.add(key)
            baseline = rng.randint(0, 2000) * 1_000_000
            indicators.append(tracked_row({"firm_id": key[0], "year": key[1], "metric": key[2], "baseline": baseline,
                                           "result": baseline + rng.randint(0, 300) * 1_000_000, "notes": ""},
                                          at=stamp))
        insert_rows(session, Indicator, indicators, audit=False)
    database.close()
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    sizes = generate(args.out, args.scale)
    print(f"generated {sizes} in {time.perf_counter() - started:.1f} s -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
