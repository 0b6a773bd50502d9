"""Field rules. Numbers below were checked by hand against the DOMAIN.md formulas."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boeun_desk import schemas
from boeun_desk.validation import (
    InvalidValue,
    ValidationFailed,
    brn_check_digit,
    brn_is_valid,
    clean,
    crn_is_valid,
    format_brn,
    format_crn,
    grant_share_warning,
    parse_bool,
    parse_brn,
    parse_crn,
    parse_date,
    parse_datetime,
    parse_email,
    parse_int,
    parse_phone,
)

# 124-81-00998: 1+6+28+8+3+0+0+27+45 = 118, +floor(9*5/10)=4 -> 122, (10-2)%10 = 8 = d9.
# 301-34-82841: 3+0+7+3+12+56+2+24+20 = 127, +floor(4*5/10)=2 -> 129, (10-9)%10 = 1 = d9.
VALID_BRNS = ["124-81-00998", "1248100998", "124 81 00998", " 124-81-00998 ", "301-34-82841"]
INVALID_BRNS = ["124-81-00999", "124-81-00990", "301-34-82842", "000-00-00001"]


@pytest.mark.parametrize("text", VALID_BRNS)
def test_valid_brn_in_any_form_is_stored_as_ten_digits(text):
    digits = parse_brn(text)
    assert len(digits) == 10 and digits.isdigit()
    assert format_brn(digits) == f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


@pytest.mark.parametrize("text", INVALID_BRNS)
def test_bad_checksum_is_rejected_with_a_korean_message(text):
    with pytest.raises(InvalidValue, match="검증번호"):
        parse_brn(text)


@pytest.mark.parametrize("text, message", [("", "입력하세요"), ("12345", "10자리"), ("124-81-0099A", "10자리"),
                                           ("12481009981", "10자리")])
def test_malformed_brn(text, message):
    with pytest.raises(InvalidValue, match=message):
        parse_brn(text)


def test_brn_rule_matches_the_published_example():
    assert brn_check_digit("124810099") == 8
    assert brn_is_valid("1248100998")
    assert not brn_is_valid("1248100997")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", "-", " "]))
def test_generated_brns_round_trip_and_any_digit_change_is_caught(first9, sep):
    digits = first9 + str(brn_check_digit(first9))
    assert parse_brn(f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}") == digits
    wrong = digits[:9] + str((int(digits[9]) + 1) % 10)
    assert not brn_is_valid(wrong)


def test_crn_mismatch_is_only_a_warning():
    # 110111123456?: 1+2+0+2+1+2+1+4+3+8+5+12 = 41 -> check digit 9.
    assert crn_is_valid("1101111234569")
    assert parse_crn("110111-1234569") == ("1101111234569", None)
    digits, warning = parse_crn("110111-1234567")
    assert digits == "1101111234567" and "검증번호" in warning
    assert format_crn("1101111234569") == "110111-1234569"
    with pytest.raises(InvalidValue, match="13자리"):
        parse_crn("110111-123")
    assert parse_crn("") == ("", None)


@pytest.mark.parametrize("text", ["2024-11-28", "2024.11.28", "2024. 11. 28.", "20241128", "2024/11/28",
                                  "2024년 11월 28일", date(2024, 11, 28), datetime(2024, 11, 28, 9, 0)])
def test_date_forms(text):
    assert parse_date(text) == date(2024, 11, 28)


@pytest.mark.parametrize("text", ["2024-02-30", "11/28/2024", "어제", "2024-13-01", "24-11-28"])
def test_bad_dates(text):
    with pytest.raises(InvalidValue, match="2024-11-28"):
        parse_date(text)


def test_datetime_and_empty_values():
    assert parse_datetime("2024-11-28 14:30") == datetime(2024, 11, 28, 14, 30)
    assert parse_datetime("2024.11.28") == datetime(2024, 11, 28)
    with pytest.raises(InvalidValue):
        parse_datetime("2024-11-28 25:00")
    assert parse_date("  ") is None and parse_datetime(None) is None


def test_numbers():
    assert parse_int("1,234,000") == 1_234_000
    assert parse_int("1,234,000원") == 1_234_000
    assert parse_int(5.0) == 5
    for bad in ("-5", "abc", 1.5, True):
        with pytest.raises(InvalidValue):
            parse_int(bad)


def test_bool_email_phone():
    assert parse_bool("예") is True and parse_bool("부적합") is False and parse_bool("") is None
    with pytest.raises(InvalidValue):
        parse_bool("아마도")
    assert parse_email("a@b.kr") == "a@b.kr"
    with pytest.raises(InvalidValue, match="이메일"):
        parse_email("not-an-email")
    assert parse_phone("043-123-4567") == "043-123-4567"
    with pytest.raises(InvalidValue, match="전화번호"):
        parse_phone("전화 주세요")


def test_grant_share_warning():
    assert grant_share_warning(8_000_000, 2_000_000, 80) is None
    warning = grant_share_warning(9_000_000, 1_000_000, 80)
    assert "90.0%" in warning and "80%" in warning
    assert grant_share_warning(0, 0, 80) is None


def test_clean_collects_every_error_at_once():
    with pytest.raises(ValidationFailed) as failed:
        clean(schemas.FIRM, {"name": "", "brn": "124-81-00999", "founded": "어제", "email": "x"})
    fields = {e.field for e in failed.value.errors}
    assert fields == {"name", "brn", "founded", "email"}
    assert failed.value.for_field("brn") == ["사업자등록번호가 올바르지 않습니다 (검증번호 불일치)"]
    assert "업체명: 필수 입력 항목입니다" in str(failed.value)


def test_clean_partial_and_choices():
    cleaned = clean(schemas.CASE, {"status": "완료", "grant_national": "1,000"}, partial=True)
    assert cleaned.values == {"status": "done", "grant_national": 1000}
    with pytest.raises(ValidationFailed, match="다음 중 하나"):
        clean(schemas.CASE, {"status": "반쯤"}, partial=True)
    with pytest.raises(ValueError):
        clean(schemas.FIRM, {"nickname": "x"}, partial=True)


def test_clean_warns_on_crn_and_limits_length():
    cleaned = clean(schemas.FIRM, {"name": "가", "brn": "1248100998", "crn": "1101111234567"})
    assert [w.field for w in cleaned.warnings] == ["crn"]
    with pytest.raises(ValidationFailed, match="200자"):
        clean(schemas.FIRM, {"name": "가" * 201, "brn": "1248100998"})
