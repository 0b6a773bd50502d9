"""The handout variant of a document: personal data masked as agencies do for meetings
(성명 `김*용`, phone `043-***-1234`, e-mail `ho***@example.kr`)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.reports.blocks import Document

_PHONE = re.compile(r"(?<![\d-])(0\d{1,2})-(\d{3,4})-(\d{4})(?![\d-])")
_EMAIL = re.compile(r"([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")


def mask_name(name: str) -> str:
    """김철용 → 김*용, 김철 → 김*, 남궁민수 → 남**수; a name of one character stays."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(text: str) -> str:
    """Every phone number in the text with its middle part hidden: 043-***-1234."""
    return _PHONE.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}-{m.group(3)}", text)


def mask_email(text: str) -> str:
    """Every e-mail address with all but the first two characters of its local part hidden."""
    return _EMAIL.sub(lambda m: m.group(1)[:2] + "*" * max(len(m.group(1)) - 2, 1) + "@" + m.group(2), text)


def masker(names: Iterable[str]) -> Any:
    """A function masking the given personal names (longest first), phones and e-mails in a text."""
    people = sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in people)) if people else None

    def mask(text: str) -> str:
        if pattern is not None:
            text = pattern.sub(lambda m: mask_name(m.group(0)), text)
        return mask_email(mask_phone(text))

    return mask


def mask_document(document: Document, names: Iterable[str]) -> Document:
    """The same document with personal data masked in every piece of its text."""
    mask = masker(names)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return mask(value)
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: walk(getattr(value, f.name))
                                                 for f in dataclasses.fields(value) if f.init})
        return value

    return dataclasses.replace(walk(document), title=t("{title} (배포용)", title=mask(document.title)))
