"""Field rules shared by every entry point: GUI forms, CLI, spreadsheet import, sync.

Low-level parsers raise `InvalidValue` with a Korean message; `clean()` applies a schema (a list
of `Field`s) to raw input and collects every problem as a `FieldError`, raising `ValidationFailed`
with all of them at once so a form can mark each field.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from boeun_desk.i18n import t

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
# Patterns are ASCII-only (re.ASCII): Python's \d and \s would also take Arabic-Indic digits,
# superscripts and exotic spaces, which int() or the database then treat differently.
_SEPARATORS = re.compile(r"[ \t\-‐–—.]")
_DATE_FORMS = re.compile(r"^ *([0-9]{4}) *[-./년] *([0-9]{1,2}) *[-./월] *([0-9]{1,2}) *[.일]? *$")
_COMPACT_DATE = re.compile(r"^ *([0-9]{4})([0-9]{2})([0-9]{2}) *$")
_TIME = re.compile(r"^ *([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))? *$")
# Letters of any script (홍길동@보은군.kr is a real address), no spaces, one @, dotted domain labels.
_EMAIL = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[^\W_](?:[\w-]{0,61}[^\W_])?"
                    r"(?:\.[^\W_](?:[\w-]{0,61}[^\W_])?)+$")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CODE = re.compile(r"[A-Z0-9_-]+")
# Numbers, separators, several numbers ("043-123-4567, 010-…") and an extension ("(내선 2)", "ext. 2").
_PHONE = re.compile(r"^[0-9+()\- .~,/]{7,40}$")
_EXTENSION = re.compile(r"내선|ext\.?|x", re.IGNORECASE)

# Full-width forms (what a Korean IME types in full-width mode) become ASCII; any other
# non-ASCII digit is refused where a number is expected.
_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {
    0xFF0D: "-", 0xFF0E: ".", 0xFF0C: ",", 0xFF1A: ":", 0xFF0F: "/", 0xFF0B: "+", 0xFF08: "(", 0xFF09: ")",
    0xFF20: "@", 0x3000: " ", 0x00A0: " "}
# Invisible characters that make a value look empty or different from what is stored.
# Characters that show nothing (zero-width, soft hyphen, Hangul fillers, braille blank).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u115f\u1160\u3164\uffa0\u2800"
_EDGES = re.compile(f"^[\\s{_INVISIBLE}]+|[\\s{_INVISIBLE}]+$")
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f"
# Control characters (Unicode category Cc), lone surrogates and direction controls; a line also
# refuses tabs, line and paragraph separators. One regular expression: it runs for every field.
_FORBIDDEN_IN_NOTES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_BIDI_CONTROLS}]")
_DROPPED = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))  # zero-width space, word joiner, BOM, soft hyphen
_IN_NOTES = {ord("\u00a0"): " ", ord("\u3000"): " ", ord("\u2028"): "\n", ord("\u2029"): "\n", **_DROPPED}
_IN_LINE = {**_IN_NOTES, ord("\t"): " ", ord("\n"): " ", ord("\r"): " ", ord("\u2028"): " ", ord("\u2029"): " "}
_UNSAFE_IN_NAME = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\u2028\\u2029{_BIDI_CONTROLS}{_INVISIBLE}/\\\\]")
_FORBIDDEN_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{_BIDI_CONTROLS}]")

# Bounds that keep every figure and every sum of figures within a 64-bit integer and the
# program's dates within what a person could mean.
MAX_AMOUNT = 1_000_000_000_000  # 1조 원 for one figure: sums of 100,000 such stay far below 2**63
MAX_COUNT = 1_000_000_000
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_DAYS = 3650  # a look-ahead ("expiring in N days") of ten years at most
MAX_NOTE_LENGTH = 20_000


class InvalidValue(ValueError):
    """A single value that breaks a rule; the message is Korean (through the translation layer)."""


@dataclass(frozen=True)
class FieldError:
    field: str
    label: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class ValidationFailed(Exception):
    """Input rejected; `errors` names every field at fault (no partial save happens)."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]


# --- identifiers -----------------------------------------------------------------------------

def ascii_forms(text: str) -> str:
    """Full-width digits, signs and spaces as their ASCII forms (１２４－８１ -> 124-81)."""
    return text.translate(_FULL_WIDTH)


def _digits(value: Any) -> str:
    return _SEPARATORS.sub("", _visible(ascii_forms(str(value if value is not None else ""))))


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def brn_check_digit(first9: str) -> int:
    total = sum(int(d) * w for d, w in zip(first9, BRN_WEIGHTS, strict=True))
    total += int(first9[8]) * 5 // 10
    return (10 - total % 10) % 10


def brn_is_valid(digits: str) -> bool:
    return len(digits) == 10 and _is_digits(digits) and brn_check_digit(digits[:9]) == int(digits[9])


def parse_brn(value: Any) -> str:
    """사업자등록번호 with or without dashes/spaces -> its 10 digits; raise on a bad number."""
    digits = _digits(value)
    if not digits:
        raise InvalidValue(t("사업자등록번호를 입력하세요"))
    if not _is_digits(digits) or len(digits) != 10:
        raise InvalidValue(t("사업자등록번호는 숫자 10자리입니다 (예: 124-81-00998)"))
    if not brn_is_valid(digits):
        raise InvalidValue(t("사업자등록번호가 올바르지 않습니다 (검증번호 불일치)"))
    return digits


def format_brn(digits: str | None) -> str:
    if not digits or len(digits) != 10:
        return digits or ""
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def crn_is_valid(digits: str) -> bool:
    if len(digits) != 13 or not _is_digits(digits):
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def parse_crn(value: Any) -> tuple[str, str | None]:
    """법인등록번호 -> (13 digits, warning or None). A checksum mismatch only warns: old numbers exist."""
    digits = _digits(value)
    if not digits:
        return "", None
    if not _is_digits(digits) or len(digits) != 13:
        raise InvalidValue(t("법인등록번호는 숫자 13자리입니다 (예: 110111-1234569)"))
    if not crn_is_valid(digits):
        return digits, t("법인등록번호 검증번호가 맞지 않습니다. 번호를 다시 확인하세요")
    return digits, None


def format_crn(digits: str | None) -> str:
    if not digits or len(digits) != 13:
        return digits or ""
    return f"{digits[:6]}-{digits[6:]}"


# --- dates, numbers, text --------------------------------------------------------------------

def _in_years(day: date) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidValue(t("{low}년부터 {high}년 사이의 날짜를 입력하세요", low=MIN_YEAR, high=MAX_YEAR))
    return day


def parse_date(value: Any) -> date | None:
    """ISO and common Korean forms (2024-11-28, 2024.11.28, 2024. 11. 28., 20241128) -> date."""
    if _empty(value):
        return None
    if isinstance(value, datetime):
        return _in_years(value.date())
    if isinstance(value, date):
        return _in_years(value)
    text = _visible(ascii_forms(str(value)))
    match = _DATE_FORMS.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
        else:
            return _in_years(day)
    raise InvalidValue(t("날짜 형식이 올바르지 않습니다 (예: 2024-11-28)"))


def parse_datetime(value: Any) -> datetime | None:
    """'2024-11-28 14:30' (date forms as parse_date, optional time) -> datetime."""
    if _empty(value):
        return None
    if isinstance(value, datetime):
        _in_years(value.date())
        return value.replace(second=0, microsecond=0)
    if isinstance(value, date):
        _in_years(value)
        return datetime(value.year, value.month, value.day)
    text = _visible(ascii_forms(str(value))).replace("T", " ")
    day_part, _, time_part = text.partition(" ") if re.match(r"^[0-9]{4}-", text) else (text, "", "")
    day = parse_date(day_part)
    if day is None:  # e.g. only a "T"
        raise InvalidValue(t("일시 형식이 올바르지 않습니다 (예: 2024-11-28 14:30)"))
    if not time_part.strip():
        return datetime(day.year, day.month, day.day)
    match = _TIME.match(time_part)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidValue(t("일시 형식이 올바르지 않습니다 (예: 2024-11-28 14:30)"))
    return datetime(day.year, day.month, day.day, int(match[1]), int(match[2]))


def parse_time(value: Any) -> str:
    """A time of day ('14:00', '9:30', '14:00:00') as stored: 'HH:MM'; empty as ''."""
    if _empty(value):
        return ""
    match = _TIME.match(_visible(ascii_forms(str(value))))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidValue(t("시각 형식이 올바르지 않습니다 (예: 14:00)"))
    return f"{int(match[1]):02d}:{match[2]}"


def parse_int(value: Any, *, minimum: int | None = 0, maximum: int | None = MAX_COUNT) -> int | None:
    """Whole numbers, also typed as text with separators ('1,234,000', '1,234원'), within bounds."""
    if _empty(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(t("숫자를 입력하세요"))
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidValue(t("정수를 입력하세요"))
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = re.sub(r"[, 원명건일년]", "", _visible(ascii_forms(str(value))))
        if not re.fullmatch(r"-?[0-9]{1,30}", text):
            raise InvalidValue(t("숫자를 입력하세요"))
        number = int(text)
    if minimum is not None and number < minimum:
        raise InvalidValue(t("{minimum} 이상의 숫자를 입력하세요", minimum=f"{minimum:,}"))
    if maximum is not None and number > maximum:
        raise InvalidValue(t("{maximum} 이하의 숫자를 입력하세요", maximum=f"{maximum:,}"))
    return number


def parse_year(value: Any) -> int | None:
    """A calendar year the program can mean (1900..2100)."""
    return parse_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


def parse_days(value: Any) -> int | None:
    """A span of days to look ahead or back (0..3650)."""
    return parse_int(value, minimum=0, maximum=MAX_DAYS)


def as_argument(parse: Callable[[Any], Any]) -> Callable[[str], Any]:
    """A `parse_*` function as an argparse `type=`: a bad or empty value gets its Korean message."""
    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except InvalidValue as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        if value is None:
            raise argparse.ArgumentTypeError(t("필수 입력 항목입니다"))
        return value

    convert.__name__ = parse.__name__
    return convert


def parse_bool(value: Any) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    text = _visible(ascii_forms(str(value))).lower()
    if text in {"1", "true", "yes", "y", "예", "o", "적합", "합격", "완료"}:
        return True
    if text in {"0", "false", "no", "n", "아니오", "x", "부적합", "불합격", "미완료"}:
        return False
    raise InvalidValue(t("예/아니오 중 하나를 입력하세요"))


def parse_email(value: Any) -> str:
    text = _visible(ascii_forms(str(value or "")))
    if text and (len(text) > 254 or not _EMAIL.match(text)):
        raise InvalidValue(t("이메일 형식이 올바르지 않습니다 (예: name@example.kr)"))
    return text


def parse_phone(value: Any) -> str:
    text = _visible(ascii_forms(str(value or "")))
    if text and (len(text) > 40 or not _PHONE.match(_EXTENSION.sub("", text)) or sum(c.isdigit() for c in text) < 7):
        raise InvalidValue(t("전화번호 형식이 올바르지 않습니다 (예: 043-123-4567)"))
    return text


def grant_share_warning(grant_total: int, firm_total: int, share_percent: int, type_name: str = "") -> str | None:
    """Warn when the government grant (국비, 도비 and 군비 together) takes a larger share of the
    case total than its support type expects."""
    total = grant_total + firm_total
    if total <= 0 or grant_total * 100 <= share_percent * total:
        return None
    return t("국비·도비·군비를 합한 정부지원금 {grant}원이 총사업비 {total}원의 {actual:.1f}%로, "
             "지원유형 '{kind}'의 기준 {limit}%를 넘습니다", grant=f"{grant_total:,}", total=f"{total:,}",
             actual=grant_total * 100 / total, kind=type_name, limit=share_percent)


def _visible(text: str) -> str:
    """The text without leading and trailing white space and invisible characters, in any mix."""
    return _EDGES.sub("", text)


def file_name(name: str, *, limit: int = 300) -> str:
    """A file's name as it can be stored and shown: control, direction and invisible characters
    and path separators become "_" (the officer cannot always rename a file), within `limit`."""
    text = _UNSAFE_IN_NAME.sub("_", _visible(name)) or "_"
    if len(text) > limit:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[:limit - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 20 else text[:limit]
    return text


def is_blank(value: Any) -> bool:
    """Nothing given: None, or text of only spaces and invisible characters."""
    return _empty(value)


def clean_text(value: Any, *, multiline: bool = False, max_length: int | None = None) -> str:
    """Officer text as stored: trimmed, line ends as \\n; control characters refused.

    What paste brings into one line (a tab between two cells, a line break, a no-break or
    full-width space) becomes a space, and zero-width characters inside are dropped, so "보은　식품"
    and "보은 식품" are one name. Other control characters (ESC sequences colour a terminal, NUL
    breaks spreadsheets) are refused, and so are direction overrides, which make a name read
    differently from what is stored. A value of only spaces or invisible characters is empty.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n") if multiline else str(value)
    text = _visible(text.translate(_IN_NOTES if multiline else _IN_LINE))
    found = (_FORBIDDEN_IN_NOTES if multiline else _FORBIDDEN_IN_LINE).search(text)
    if found:
        raise InvalidValue(t("입력할 수 없는 제어 문자가 있습니다 (U+{code:04X})", code=ord(found[0])))
    limit = max_length or (MAX_NOTE_LENGTH if multiline else None)
    if limit and len(text) > limit:
        raise InvalidValue(t("{limit}자 이내로 입력하세요", limit=f"{limit:,}"))
    return text


# --- schemas ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One input field: its stored name, Korean label, kind of value and rules."""

    name: str
    label: str
    # text (one line), note (several lines), brn, crn, date, datetime, time (HH:MM), int, amount, bool, email,
    # phone, choice, ref, sha256, code (upper-case letters and digits), approval (결재란 box titles)
    kind: str = "text"
    required: bool = False
    choices: Mapping[str, str] | None = None
    max_length: int | None = None
    minimum: int | None = None  # int/amount bounds (defaults: 0 .. MAX_COUNT or MAX_AMOUNT)
    maximum: int | None = None
    not_future: bool = False  # a date that cannot lie after today (e.g. a founding date)


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[FieldError] = field(default_factory=list)


def _choice(value: Any, choices: Mapping[str, str]) -> str:
    text = _visible(str(value))
    for code, label in choices.items():
        if text in (code, label, t(label)):
            return code
    raise InvalidValue(t("다음 중 하나를 선택하세요: {options}",
                         options=", ".join(t(label) for label in choices.values())))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not _visible(value))


MAX_APPROVAL_BOXES = 6
MAX_APPROVAL_TITLE = 8


def parse_approval(value: Any) -> tuple[str, ...]:
    """결재란 box titles from "담당, 팀장, 센터장" (commas, slashes or middle dots between them)."""
    titles = tuple(x for x in (clean_text(part) for part in re.split(r"[,/·|\n]", str(value))) if x)
    if len(titles) > MAX_APPROVAL_BOXES:
        raise InvalidValue(t("결재란은 {n}칸까지입니다", n=MAX_APPROVAL_BOXES))
    if any(len(x) > MAX_APPROVAL_TITLE for x in titles):
        raise InvalidValue(t("결재란의 칸 이름은 {n}자까지입니다", n=MAX_APPROVAL_TITLE))
    return titles


def clean_value(spec: Field, value: Any) -> tuple[Any, str | None]:
    """(stored value, warning or None) for one field; raise InvalidValue when it breaks a rule."""
    if _empty(value):
        if spec.required:
            raise InvalidValue(t("필수 입력 항목입니다"))
        if spec.kind == "choice":  # an optional choice left empty takes its first (default) value
            assert spec.choices is not None
            return next(iter(spec.choices)), None
        # An empty optional number is NULL, so a unique index allows many records without one.
        return (None if spec.kind in {"date", "datetime", "int", "bool", "ref", "brn"} else
                0 if spec.kind == "amount" else ""), None
    if isinstance(value, dict | list | tuple | set | bytes):
        raise InvalidValue(t("글자로 입력하세요"))
    kind = spec.kind
    if kind == "brn":
        return parse_brn(value), None
    if kind == "crn":
        return parse_crn(value)
    if kind == "date":
        day = parse_date(value)
        if spec.not_future and day is not None and day > date.today():
            raise InvalidValue(t("오늘 이후의 날짜는 입력할 수 없습니다"))
        return day, None
    if kind == "datetime":  # a day typed without its time is saved at 00:00: said, not silent
        untimed = isinstance(value, str) and ":" not in value
        return parse_datetime(value), t("시간을 입력하지 않아 00:00으로 저장됩니다") if untimed else None
    if kind == "time":
        return parse_time(value), None
    if kind in {"int", "amount"}:
        default_max = MAX_AMOUNT if kind == "amount" else MAX_COUNT
        return parse_int(value, minimum=0 if spec.minimum is None else spec.minimum,
                         maximum=default_max if spec.maximum is None else spec.maximum), None
    if kind == "bool":
        return parse_bool(value), None
    if kind == "email":
        return parse_email(value), None
    if kind == "phone":
        return parse_phone(value), None
    if kind == "choice":
        assert spec.choices is not None
        return _choice(value, spec.choices), None
    if kind == "code":
        code = ascii_forms(clean_text(value, max_length=spec.max_length)).upper()
        if not _CODE.fullmatch(code):
            raise InvalidValue(t("코드는 영문 대문자, 숫자, '_', '-'로 입력하세요 (예: PROTO)"))
        return code, None
    if kind == "sha256":
        if not (isinstance(value, str) and _SHA256.fullmatch(value)):
            raise InvalidValue(t("파일 해시는 16진수 소문자 64자리입니다"))
        return value, None
    if kind == "ref":
        return clean_text(value, max_length=36), None
    if kind == "approval":
        return ",".join(parse_approval(value)), None
    return clean_text(value, multiline=kind == "note", max_length=spec.max_length), None


def clean(fields: Sequence[Field], data: Mapping[str, Any], *, partial: bool = False) -> Cleaned:
    """Validate raw input against a schema. With `partial`, only the given fields are checked."""
    by_name = {f.name: f for f in fields}
    unknown = set(data) - set(by_name)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    result, errors = Cleaned(), []
    for spec in fields:
        if partial and spec.name not in data:
            continue
        try:
            value, warning = clean_value(spec, data.get(spec.name))
        except InvalidValue as error:
            errors.append(FieldError(spec.name, t(spec.label), str(error)))
            continue
        result.values[spec.name] = value
        if warning:
            result.warnings.append(FieldError(spec.name, t(spec.label), warning, warning=True))
    if errors:
        raise ValidationFailed(errors)
    return result


def out_of_order(first: date | datetime | None, last: date | datetime | None) -> bool:
    """True when both are given and `last` comes before `first` (e.g. end date before start)."""
    return first is not None and last is not None and last < first
