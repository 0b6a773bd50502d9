"""Normalisation and bounds every entry point gets from the validation module."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boeun_desk import schemas
from boeun_desk.validation import (
    MAX_AMOUNT,
    Field,
    InvalidValue,
    ValidationFailed,
    clean,
    clean_text,
    clean_value,
    parse_brn,
    parse_date,
    parse_days,
    parse_email,
    parse_int,
    parse_phone,
    parse_year,
)


@pytest.mark.parametrize("text", ["１２４-８１-００９９８", "１２４－８１－００９９８", "124８100998", "\u200b124-81-00998\u200b"])
def test_full_width_digits_become_ascii(text):
    assert parse_brn(text) == "1248100998"


@pytest.mark.parametrize("text", ["١٢٤-٨١-٠٠٩٩٨", "²²²²²²²²²²", "۱۲۴۸۱۰۰۹۹۸", "১২৪৮১০০৯৯৮"])
def test_other_non_ascii_digits_are_refused_with_the_usual_message(text):
    with pytest.raises(InvalidValue, match="숫자 10자리"):
        parse_brn(text)


@pytest.mark.parametrize("text", ["٢٠٢٤-١١-٢٨", "²⁰²⁴-11-28", "2024-¹1-28"])
def test_dates_take_only_ascii_or_full_width_digits(text):
    with pytest.raises(InvalidValue):
        parse_date(text)
    assert parse_date("２０２４．１１．２８") == date(2024, 11, 28)


@pytest.mark.parametrize("text", ["١٢٣", "²", "12³", "1e5", "9" * 40])
def test_numbers_take_only_ascii_digits(text):
    with pytest.raises(InvalidValue):
        parse_int(text)


def test_full_width_numbers_are_read():
    assert parse_int("１，２３４원") == 1234


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\u202e", "\u2066", "\x0b"])
def test_control_characters_are_refused_in_single_line_fields(char):
    with pytest.raises(InvalidValue, match="제어 문자"):
        clean_text(f"보은{char}대추")


def test_multi_line_text_keeps_line_breaks_and_tabs_but_never_nul():
    assert clean_text("첫 줄\r\n둘째\t줄\r셋째", multiline=True) == "첫 줄\n둘째\t줄\n셋째"
    for char in ("\x00", "\x1b[31m", "\u202e"):
        with pytest.raises(InvalidValue, match="제어 문자"):
            clean_text(f"메모{char}", multiline=True)
    # what paste brings into one line becomes a space; zero-width characters inside are dropped
    assert clean_text("충북 보은군\t보은읍\r\n삼산로\u2028 1") == "충북 보은군 보은읍  삼산로  1"
    assert clean_text("보은\u3000식\u200b품\u00a0(주)") == "보은 식품 (주)"


@pytest.mark.parametrize("text", ["   ", "\u200b", " \u200b\ufeff ", "\u3000", "\u00a0\u2060"])
def test_only_spaces_or_invisible_characters_is_empty(text):
    with pytest.raises(ValidationFailed, match="필수"):
        clean(schemas.FIRM, {"name": text, "brn": "124-81-00998"})
    assert clean(schemas.FIRM, {"name": "보은", "brn": "124-81-00998", "representative": text}
                 ).values["representative"] == ""


def test_amounts_counts_years_and_spans_have_bounds():
    case = {f.name: f for f in schemas.CASE}
    assert clean_value(case["grant_national"], MAX_AMOUNT) == (MAX_AMOUNT, None)
    for value in (MAX_AMOUNT + 1, 9_223_372_036_854_775_807, -5_000_000_000, "-1"):
        with pytest.raises(InvalidValue):
            clean_value(case["grant_national"], value)
    with pytest.raises(InvalidValue):
        parse_year("99999999999999999999")
    with pytest.raises(InvalidValue):
        parse_year(1899)
    assert parse_year("２０２５") == 2025
    with pytest.raises(InvalidValue):
        parse_days(9_999_999)
    assert parse_days("60") == 60
    indicator = {f.name: f for f in schemas.INDICATOR}
    with pytest.raises(InvalidValue):
        clean_value(indicator["year"], 20245)
    with pytest.raises(InvalidValue):
        parse_date("0001-01-01")
    with pytest.raises(InvalidValue):
        parse_date(date(3000, 1, 1))


def test_a_founding_date_is_not_in_the_future():
    firm = {f.name: f for f in schemas.FIRM}
    with pytest.raises(InvalidValue, match="오늘 이후"):
        clean_value(firm["founded"], date.today() + timedelta(days=1))
    assert clean_value(firm["founded"], date.today())[0] == date.today()


@pytest.mark.parametrize("text", ["a@b", "name@@example.kr", "name@example..kr", "이름@example",
                                  "name@exam ple.kr", "name@-example.kr", "a" * 65 + "@example.kr"])
def test_e_mail_addresses_are_checked(text):
    with pytest.raises(InvalidValue, match="이메일"):
        parse_email(text)
    assert parse_email("ｎａｍｅ@example.kr".replace("ｎａｍｅ", "name")) == "name@example.kr"
    assert parse_email("kim.boeun+desk@ctp.or.kr") == "kim.boeun+desk@ctp.or.kr"
    assert parse_email("홍길동@보은군.kr") == "홍길동@보은군.kr"


@pytest.mark.parametrize("text", ["043-123-4567 (내선 2)", "043-123-4567, 010-1234-5678", "+82 43 540 1234 ext. 12"])
def test_phone_numbers_as_offices_write_them(text):
    assert parse_phone(text) == text


def test_phone_numbers_take_full_width_digits_and_refuse_others():
    assert parse_phone("０４３－１２３－４５６７") == "043-123-4567"
    with pytest.raises(InvalidValue):
        parse_phone("٠٤٣-١٢٣-٤٥٦٧")
    with pytest.raises(InvalidValue):
        parse_phone("043\x0b123\x0c4567")


def test_values_of_the_wrong_shape_are_a_korean_error():
    firm = {f.name: f for f in schemas.FIRM}
    for value in ({"a": 1}, [1, 2], b"bytes"):
        with pytest.raises(InvalidValue):
            clean_value(firm["name"], value)
    with pytest.raises(InvalidValue):
        clean_value(firm["employees"], True)
    with pytest.raises(InvalidValue):
        clean_value(firm["employees"], float("nan"))


def _is_clean(text: str, multiline: bool) -> bool:
    import unicodedata

    allowed = "\n\t" if multiline else ""
    return text == text.strip() and all(
        c in allowed or unicodedata.category(c) not in ("Cc", "Cs") for c in text) and "\r" not in text


@settings(max_examples=400, deadline=None)
@given(text=st.text(), kind=st.sampled_from(sorted({f.kind for s in (schemas.FIRM, schemas.CASE, schemas.VISIT)
                                                      for f in s})))
def test_any_string_is_normalised_or_refused_in_korean(text, kind):
    spec = Field("x", "항목", kind, choices={"a": "가"} if kind == "choice" else None)
    try:
        value, _warning = clean_value(spec, text)
    except InvalidValue as error:
        assert str(error) and any("\uac00" <= c <= "\ud7a3" for c in str(error))  # a Korean message
        return
    if isinstance(value, str):
        assert _is_clean(value, multiline=kind == "note")
        assert value.isascii() or kind in ("text", "note", "ref", "choice")
    if isinstance(value, int) and not isinstance(value, bool):
        assert 0 <= value <= MAX_AMOUNT


@pytest.mark.parametrize("text", ["\u200b \u200b \u200b", "\u3164", "\u115f\u1160", "\u2800 \u2800", " \ufeff\u200d "])
def test_mixes_of_spaces_fillers_and_invisible_characters_are_empty(text):
    with pytest.raises(ValidationFailed, match="필수"):
        clean(schemas.FIRM, {"name": text, "brn": "124-81-00998"})


@pytest.mark.parametrize("text", ["T", " T ", "TT", "T14:30"])
def test_a_date_and_time_of_letters_is_a_korean_error(text):
    from boeun_desk.validation import parse_datetime

    with pytest.raises(InvalidValue):
        parse_datetime(text)


def test_file_names_are_made_safe_to_store_and_show():
    from boeun_desk.validation import file_name

    assert file_name("견적서\u200f.pdf") == "견적서_.pdf"
    assert file_name("../../a\x1b[31m.jpg") == ".._.._a_[31m.jpg"
    long = file_name("가" * 400 + ".jpg")
    assert len(long) == 300 and long.endswith(".jpg")
