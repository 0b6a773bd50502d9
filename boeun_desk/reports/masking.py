"""The handout variant of a document: personal data masked as agencies do for meetings
(성명 `김*용`, phone `043-***-1234`, e-mail `ho***@example.kr`).

What is masked, in every piece of a document's text:
- phone numbers however they are written (043-544-1234, 0435441234, 043)544-1234, (043) 544 1234,
  043.544.1234, +82-43-544-1234, 010 1234 5678): the middle group;
- e-mail addresses: all but the first two characters of the local part;
- the names the document knows belong to people (a firm's representatives, each of several, also
  written with spaces between the syllables), and any Hangul name of two to four syllables written
  before a title or role (김철용 대표, 이영희 과장, 홍길동(충북대 교수) ...).
A known name inside a longer word is left alone (the owner 이수 does not change 이수증, nor the firm
김철용농원 its legal name). An organisation written before a title (충북대 교수) may be masked too: a
handout errs on the side of hiding; but a title is no one's name (교수(위원장)), and the words a
document knows to be public (an attendee's 소속 and 직위, a supply company's 분야, a firm's name)
are never taken for one: 한국식품연구원 is an institute, 출원 대리 a service.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.reports.blocks import Document, Title

# 0xx or +82 x(x), then 3-4 and 4 digits, with or without separators (- . space, a bracket).
_PHONE = re.compile(r"(?<![\w.+-])(?:\+82[\s.-]?\(?0?|\(?0)(\d{1,2})\)?[\s.)-]{0,2}(\d{3,4})[\s.-]?(\d{4})(?![\w-])")
_EMAIL = re.compile(r"([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
# Titles and roles written after a person's name in Korean documents.
TITLES = ("대표이사", "대표", "사장", "회장", "이사", "부장", "차장", "과장", "대리", "주임", "사원", "실장", "팀장",
          "센터장", "본부장", "원장", "소장", "공장장", "교수", "박사", "연구원", "책임연구원", "선임연구원",
          "수석연구원", "위원", "지도위원", "자문위원", "위원장", "전문위원", "컨설턴트", "담당", "주무관", "사무관",
          "계장", "님", "씨")
_PARTICLES = "이가은는을를의과와도께에"
_TITLE = "(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + ")"
# A name, then a title (김철용 대표) or a bracket holding one (홍길동(충북대 교수, ...)).
_AFTER = r"(?:에게|께서|으로|에서|[" + _PARTICLES + r"])?(?![가-힣])"  # a particle may follow, no more Hangul
_TITLED = re.compile(r"(?<![가-힣])([가-힣]{2,4})(?=\s?" + _TITLE + _AFTER + r"|\s?\([^)]*?" + _TITLE + ")")
# Words that stand before a title but are no one's name (선임 연구원, 기술 대표 ...).
NOT_NAMES = frozenset(("선임", "책임", "수석", "전문", "지도", "자문", "공동", "대표", "기술", "제품", "업체", "기업",
                       "회사", "공장", "현장", "사업", "지역", "법인", "해당", "각사", "담당", "담당자", "참석", "외부",
                       "내부", "센터", "연구", "사무", "총괄", "부문", "분야", "신임", "전임", "현직", "명예"))
_SEPARATORS = re.compile(r"[·,/&\s]+|\s및\s")


def mask_name(name: str) -> str:
    """김철용 → 김*용, 김철 → 김*, 남궁민수 → 남**수; a name of one character stays."""
    name = "".join(name.split())
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(text: str) -> str:
    """Every phone number in the text with its middle group hidden: 043-***-1234."""

    def hide(match: re.Match[str]) -> str:
        start, end = match.span(2)
        whole = match.group(0)
        offset = match.start(0)
        return whole[:start - offset] + "*" * (end - start) + whole[end - offset:]

    return _PHONE.sub(hide, text)


def mask_email(text: str) -> str:
    """Every e-mail address with all but the first two characters of its local part hidden."""
    return _EMAIL.sub(lambda m: m.group(1)[:2] + "*" * max(len(m.group(1)) - 2, 1) + "@" + m.group(2), text)


def people(values: Iterable[str]) -> list[str]:
    """The names in fields that hold people's names: 이영희·박철수 is two names."""
    found = []
    for value in values:
        for part in _SEPARATORS.split(value or ""):
            part = part.strip()
            if 2 <= len(part) <= 5 and re.fullmatch(r"[가-힣]+", part):
                found.append(part)
    return found


def masker(names: Iterable[str], public: Iterable[str] = ()) -> Any:
    """A function masking the given personal names (also spaced out), names before a title, phones
    and e-mails in a text; a word inside one of the `public` phrases is not taken for a name before
    a title."""
    known = sorted(set(people(names)), key=len, reverse=True)
    kept = sorted({" ".join(p.split()) for p in public if p and len(" ".join(p.split())) >= 2}, key=len, reverse=True)
    public_pattern = re.compile("|".join(re.escape(p) for p in kept)) if kept else None
    pattern = None
    if known:
        spaced = ["\\s?".join(re.escape(ch) for ch in name) for name in known]
        pattern = re.compile(r"(?<![가-힣])(?:" + "|".join(spaced) + r")(?=" + _AFTER + "|" + _TITLE + ")")

    def mask(text: str) -> str:
        text = mask_email(mask_phone(text))
        if pattern is not None:
            text = pattern.sub(lambda m: mask_name(m.group(0)), text)
        spans = [m.span() for m in public_pattern.finditer(text)] if public_pattern is not None else []

        def titled(m: re.Match[str]) -> str:
            word, (start, end) = m.group(1), m.span(1)
            if word in NOT_NAMES or word in TITLES or any(a < end and start < b for a, b in spans):
                return word
            return mask_name(word)

        return _TITLED.sub(titled, text)

    return mask


def mask_document(document: Document, names: Iterable[str], public: Iterable[str] = ()) -> Document:
    """The same document with personal data masked in every piece of its text (`public`: phrases
    that are no one's name, see `masker`); the title (printed and in the file's metadata) says it
    is a handout."""
    mask = masker(names, public)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return mask(value)
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changed = dataclasses.replace(value, **{f.name: walk(getattr(value, f.name))
                                                    for f in dataclasses.fields(value) if f.init})
            if isinstance(changed, Title):
                changed = dataclasses.replace(changed, text=t("{title} (배포용)", title=changed.text))
            return changed
        return value

    return dataclasses.replace(walk(document), title=t("{title} (배포용)", title=mask(document.title)))
