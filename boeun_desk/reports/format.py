"""How values are printed in every document (PDF and HWPX alike): dates as public documents write
them, money with thousands separators (in 천원 where a caption says so), empty values as "-"."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any

from boeun_desk.i18n import t

EMPTY = "-"
WEEKDAYS = "월화수목금토일"


def text(value: Any) -> str:
    """A value as printed: empty and None as "-", never "None"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    if isinstance(value, datetime):
        return f"{day_text(value)}({WEEKDAYS[value.weekday()]}) {value:%H:%M}"
    if isinstance(value, date):
        return day_text(value)
    return str(value)


def day_text(value: date) -> str:
    """A date as public documents write it (행정업무 운영 편람): 2024. 11. 28."""
    return f"{value.year}. {value.month}. {value.day}."


def when_text(starts: datetime, ends: datetime | None) -> str:
    """A visit's time: 2024. 6. 22.(토) 15:00~17:00."""
    return text(starts) + (f"~{ends:%H:%M}" if ends else "")


def to_thousand(value: int) -> int:
    """원 to 천원, half away from zero (2,500원 is 3천원, not Python's round-half-even 2)."""
    whole, rest = divmod(abs(value), 1000)
    return (whole + (rest >= 500)) * (1 if value >= 0 else -1)


def thousands(value: Any) -> Any:
    """A Funding or Stages with each amount in 천원 (rounded) before anything is added up, so every
    total printed is the sum of the printed rows and a balance the difference of its printed figures."""
    from boeun_desk.funding import Funding, Stages

    if isinstance(value, Stages):
        return Stages(*(thousands(getattr(value, f.name)) for f in fields(Stages)))
    if isinstance(value, Funding):
        return Funding(*(to_thousand(getattr(value, f.name)) for f in fields(Funding)))
    return to_thousand(value)


def money(value: int | None, *, thousand: bool = False) -> str:
    """Thousands separators; with `thousand`, in 천원 (rounded half up)."""
    if value is None:
        return EMPTY
    return f"{to_thousand(value):,}" if thousand else f"{value:,}"


def rate(part: int, whole: int) -> str:
    """A share in percent with one decimal, "-" without a whole."""
    return f"{part * 100 / whole:.1f}%" if whole else EMPTY


def indicator_cells(baseline: int, result: int, unit: str) -> tuple[str, str, str, str]:
    """기준, 실적, 증감 and the unit of an indicator as documents print them: money in 천원 (the
    change taken from the rounded figures, so the row reads right), counts as they are."""
    if unit == "원":
        baseline, result, unit = to_thousand(baseline), to_thousand(result), "천원"
    change = result - baseline
    return f"{baseline:,}", f"{result:,}", (f"+{change:,}" if change > 0 else f"{change:,}"), t(unit)


def row_text(values: Any) -> tuple[str, ...]:
    """A table row as printed."""
    return tuple(text(v) for v in values)
