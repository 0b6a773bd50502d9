"""The one translation layer: Korean source strings, an optional English catalog.

Every user-facing string goes through `t()`. Korean text is the message id, so the program
reads naturally in Korean; `resources/translations/en/*.json` (one file per part of the program,
merged) map it to English.
"""

from __future__ import annotations

import json
from functools import cache

from boeun_desk.paths import resource

LANGUAGES = ("ko", "en")
_language = "ko"


@cache
def _catalog(language: str) -> dict[str, str]:
    if language == "ko":
        return {}
    catalog: dict[str, str] = {}
    for path in sorted(resource("translations", language).glob("*.json")):
        catalog.update(json.loads(path.read_text(encoding="utf-8")))
    return catalog


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    _language = language


def language() -> str:
    return _language


def t(text: str, /, **values: object) -> str:
    """Translate a Korean message id into the current language and fill `{name}` fields."""
    translated = _catalog(_language).get(text, text)
    return translated.format(**values) if values else translated
