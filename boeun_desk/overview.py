"""The dashboard's figures for one program year as plain values (no SQLAlchemy, no Qt).

`Queries.overview()` computes them; the desktop program keeps the last ones with a clean close of
the file (dbfile.py) and shows them the moment its window appears on the next start, before the
database layer has loaded: they hold for exactly that file, and the lists that depend on the day
(certificates about to expire, overdue follow-ups) only on the day they were taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from boeun_desk.funding import Funding, Stages

EXPIRY_DAYS = 60  # certificates expiring within this many days are listed
EXPIRED_DAYS = 365  # and those that expired within this many days and were not renewed
OVERDUE_SHOWN = 200  # overdue follow-ups listed, the oldest first (a program may hold thousands)


@dataclass(frozen=True)
class TypeTotal:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class ExpiringItem:
    certification_id: str
    firm_name: str
    kind: str
    expires_on: date


@dataclass(frozen=True)
class OverdueItem:
    visit_id: str
    firm_name: str
    action: str
    due_date: date


@dataclass(frozen=True)
class Overview:
    taken_on: date
    years: tuple[int, ...]
    year: int
    firms_supported: int
    cases_total: int
    supply_companies_matched: int
    cases_by_type: tuple[TypeTotal, ...]
    stages: Stages  # 집행 (completed work) apart from in-progress and planned
    budget: Funding
    expiring: tuple[ExpiringItem, ...]
    overdue: tuple[OverdueItem, ...]
    overdue_total: int

    def to_json(self) -> dict[str, Any]:
        value = asdict(self)
        value["taken_on"] = self.taken_on.isoformat()
        for item in value["expiring"]:
            item["expires_on"] = item["expires_on"].isoformat()
        for item in value["overdue"]:
            item["due_date"] = item["due_date"].isoformat()
        return value

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Overview:
        """The inverse of to_json(); ValueError, KeyError or TypeError for anything else."""
        return cls(
            taken_on=date.fromisoformat(value["taken_on"]),
            years=tuple(int(year) for year in value["years"]),
            year=int(value["year"]),
            firms_supported=int(value["firms_supported"]),
            cases_total=int(value["cases_total"]),
            supply_companies_matched=int(value["supply_companies_matched"]),
            cases_by_type=tuple(TypeTotal(str(x["code"]), str(x["name"]), int(x["count"]))
                                for x in value["cases_by_type"]),
            stages=Stages.from_json(value["stages"]),
            budget=Funding(**{k: int(v) for k, v in value["budget"].items()}),
            expiring=tuple(ExpiringItem(str(x["certification_id"]), str(x["firm_name"]), str(x["kind"]),
                                        date.fromisoformat(x["expires_on"])) for x in value["expiring"]),
            overdue=tuple(OverdueItem(str(x["visit_id"]), str(x["firm_name"]), str(x["action"]),
                                      date.fromisoformat(x["due_date"])) for x in value["overdue"]),
            overdue_total=int(value["overdue_total"]),
        )


def parse_overview(value: dict[str, Any]) -> Overview | None:
    """A saved overview, or None when it is not one (another program version, a damaged file)."""
    try:
        return Overview.from_json(value)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def choose_year(years: tuple[int, ...] | list[int], default: int) -> int | None:
    """The year the dashboard opens on: the officer's default year (설정) if the program has it,
    otherwise the latest."""
    if not years:
        return None
    return default if default in years else max(years)


def expiry_status(expires_on: date | None, today: date, within: int = EXPIRY_DAYS) -> str:
    """"expired" (the day has passed), "soon" (within `within` days, today included), "valid", or
    "" without an expiry date. A certificate is valid on its expiry day."""
    if expires_on is None:
        return ""
    days = (expires_on - today).days
    return "expired" if days < 0 else "soon" if days <= within else "valid"


def needs_attention(certificates: Sequence[Any], today: date) -> list[Any]:
    """The certificates an officer has to act on, in expiry order: those expiring within
    EXPIRY_DAYS, and those that expired within EXPIRED_DAYS and were not renewed (the firm holds no
    certificate of the same kind that expires later). Items need firm_id, kind and expires_on.
    The dashboard asks the database the same question (queries.certifications_needing_attention);
    this is the rule written out, which a test holds the query to."""
    latest: dict[tuple[str, str], date] = {}
    for cert in certificates:
        if cert.expires_on is not None:
            key = (cert.firm_id, cert.kind)
            latest[key] = max(latest.get(key, cert.expires_on), cert.expires_on)
    chosen = []
    for cert in certificates:
        status = expiry_status(cert.expires_on, today)
        if status == "soon" or (status == "expired" and (today - cert.expires_on).days <= EXPIRED_DAYS
                                and latest[(cert.firm_id, cert.kind)] == cert.expires_on):
            chosen.append(cert)
    return sorted(chosen, key=lambda cert: cert.expires_on)
