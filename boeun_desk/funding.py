"""What a support case's money adds up to, defined once: 정부지원금 = 국비 + 도비 + 군비,
기업부담금 = 현금 + 현물, 총사업비 = both. Queries, screens and documents all add through `Funding`;
`SupportCase.funding_sums()` gives the same columns as SQL sums.

What counts is defined here too: a cancelled case (취소) counts nowhere; 집행 is the money of completed
work (완료); planned (계획) and in-progress (진행 중) cases are shown apart, never as 집행 (`Stages`).

Plain Python (no SQLAlchemy): the dashboard shows saved figures before the database layer loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

# The support case's money columns, in the order of Funding's fields.
GRANT_COLUMNS = ("grant_national", "grant_provincial", "grant_county")
FIRM_COLUMNS = ("firm_cash", "firm_in_kind")
FUNDING_COLUMNS = GRANT_COLUMNS + FIRM_COLUMNS

# The case statuses a figure counts (models/choices.py CASE_STATUS), in the order documents show them.
SPENT = "done"
STAGES = (SPENT, "in_progress", "planned")


@dataclass(frozen=True)
class Funding:
    national: int = 0
    provincial: int = 0
    county: int = 0
    firm_cash: int = 0
    firm_in_kind: int = 0

    @property
    def grant(self) -> int:
        return self.national + self.provincial + self.county

    @property
    def firm(self) -> int:
        return self.firm_cash + self.firm_in_kind

    @property
    def total(self) -> int:
        return self.grant + self.firm

    def __add__(self, other: Funding) -> Funding:
        return Funding(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @classmethod
    def of(cls, case: Any) -> Funding:
        """A case's funding, from the case or a mapping of its columns (missing or empty counts 0)."""
        get = case.get if isinstance(case, Mapping) else lambda name: getattr(case, name, None)
        return cls(*(get(name) or 0 for name in FUNDING_COLUMNS))

    @classmethod
    def from_sums(cls, sums: Iterable[Any]) -> Funding:
        """The row of `SupportCase.funding_sums()` (PostgreSQL sums are Decimals, SQLite's ints)."""
        return cls(*(int(value or 0) for value in sums))

    @classmethod
    def add_up(cls, items: Iterable[Funding]) -> Funding:
        return sum(items, cls())


@dataclass(frozen=True)
class Stages:
    """Counted money split by the cases' status: `spent` (집행, completed work), `in_progress`, `planned`."""

    spent: Funding = Funding()
    in_progress: Funding = Funding()
    planned: Funding = Funding()

    @property
    def total(self) -> Funding:
        """All counted money (협약 사업비): never to be shown as 집행."""
        return self.spent + self.in_progress + self.planned

    def __add__(self, other: Stages) -> Stages:
        return Stages(self.spent + other.spent, self.in_progress + other.in_progress, self.planned + other.planned)

    @classmethod
    def of(cls, status: str, funding: Funding) -> Stages:
        """One case's (or one status's) money; a status that does not count gives nothing."""
        if status not in STAGES:
            return cls()
        return cls(**{("spent" if status == SPENT else status): funding})

    @classmethod
    def add_up(cls, items: Iterable[Stages]) -> Stages:
        return sum(items, cls())

    @classmethod
    def from_json(cls, value: Mapping[str, Mapping[str, Any]]) -> Stages:
        return cls(*(Funding(**{k: int(v) for k, v in value[f.name].items()}) for f in fields(cls)))


@dataclass(frozen=True)
class FirmLimits:
    """The call's limits per firm and program year (program settings): 정부지원금 of the firm's
    counted cases (any stage: an agreed case is committed money) and their number."""

    amount: int
    cases: int

    def exceeded(self, cases: int, grant: int) -> tuple[str, ...]:
        """Which limits a firm's year passes: "cases", "amount", both or none."""
        return tuple(name for name, over in (("cases", cases > self.cases), ("amount", grant > self.amount)) if over)


def counts(status: str) -> bool:
    """Whether a case of this status counts in any figure (a cancelled one never does)."""
    return status in STAGES
