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


# How a digit and a Latin letter are read in Korean: does the reading end in a consonant (받침)?
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True,
                "8": True, "9": False}
_LETTERS_WITH_FINAL = set("lmnrLMNR")  # 엘, 엠, 엔, 알


def josa(word: str, pair: str) -> str:
    """`word` with the Korean particle of `pair` ("을/를", "이/가", "은/는", "과/와") that fits its last
    sound: 지원과제를, 기업을, 2024년을. Closing brackets, quotes and dots are skipped to find that
    sound. In another language the word comes back as it is (the message itself is translated)."""
    if _language != "ko":
        return word
    after_consonant, after_vowel = pair.split("/")
    for char in reversed(word):
        if "가" <= char <= "힣":
            final = (ord(char) - ord("가")) % 28 != 0
        elif char in _DIGIT_FINAL:
            final = _DIGIT_FINAL[char]
        elif char.isascii() and char.isalpha():
            final = char in _LETTERS_WITH_FINAL
        else:
            continue
        return word + (after_consonant if final else after_vowel)
    return f"{word}{after_consonant}({after_vowel})"  # no sound to go by: both, as before
