"""Help while typing, the same wherever a value is typed (no Qt): a phone number put in its groups
as it is typed, and "now" as a form offers it (to 10 minutes)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_PHONE_TYPED = re.compile(r"[0-9][0-9\- ]*")  # only digits and separators: put in groups as typed


def now_rounded(minutes: int = 10, now: datetime | None = None) -> datetime:
    """The time now (or `now`) to the nearest `minutes`: where a form offers "now" (14:34 -> 14:30,
    14:35 -> 14:40)."""
    now = (now or datetime.now()).replace(second=0, microsecond=0)
    step = timedelta(minutes=minutes)
    since_midnight = now - now.replace(hour=0, minute=0)
    return now.replace(hour=0, minute=0) + (since_midnight + step / 2) // step * step


def phone_groups(text: str) -> str:
    """A phone number typed as digits (dashes and spaces allowed) in the usual Korean groups, as far
    as it is typed: 0435441234 -> 043-544-1234, 01012345678 -> 010-1234-5678, 0212345678 ->
    02-1234-5678, 15881234 -> 1588-1234, 5441234 -> 544-1234. Anything else (an extension, brackets,
    a foreign number, too many digits) stays as typed."""
    if not _PHONE_TYPED.fullmatch(text):
        return text
    digits = text.replace("-", "").replace(" ", "")
    if digits.startswith("0"):
        head = 2 if digits.startswith("02") else 4 if digits.startswith("050") else 3  # Seoul; 0505 numbers
        prefix, rest = digits[:head], digits[head:]
    else:  # a local number without its area code, or a 1588- number (four and four)
        prefix, rest = "", digits
        if digits.startswith("1") or len(digits) == 8:
            return _groups(digits, 4, 8) if len(digits) <= 8 else text
    if len(rest) > 8:
        return text
    groups = _groups(rest, 3, 7) if len(rest) <= 7 else _groups(rest, 4, 8)
    return "-".join(part for part in (prefix, groups) if part)


def _groups(digits: str, first: int, most: int) -> str:
    """`digits` (at most `most`) as `first` digits, a dash and the rest."""
    return digits if len(digits) <= first else f"{digits[:first]}-{digits[first:most]}"
