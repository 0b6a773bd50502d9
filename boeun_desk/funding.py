"""What a support case's money adds up to, defined once: 정부지원금 = 국비 + 도비 + 군비,
기업부담금 = 현금 + 현물, 총사업비 = both. Queries, screens and documents all add through `Funding`;
`SupportCase.funding_sums()` gives the same columns as SQL sums.

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
