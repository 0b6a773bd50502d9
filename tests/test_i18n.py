"""Every user-facing string goes through t() and has an English translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from boeun_desk import i18n, schemas
from boeun_desk.i18n import t
from boeun_desk.kinds import KINDS
from boeun_desk.models import choices
from boeun_desk.ui.specs import BLANKS, HEADERS
from boeun_desk.validation import Field

PACKAGE = Path(__file__).resolve().parent.parent / "boeun_desk"


def message_ids() -> set[str]:
    """String literals passed to t(), plus schema labels, kind titles, list headers and vocabulary labels
    shown through t()."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    for value in vars(schemas).values():
        if isinstance(value, tuple) and value and isinstance(value[0], Field):
            found.update(f.label for f in value)
    for name in ("CASE_STATUS", "MATCH_STATUS", "IP_KIND", "IP_STATUS", "MEETING_KIND"):
        found.update(getattr(choices, name).values())
    found.update(label for label, _unit in choices.INDICATOR_METRICS.values())
    found.update(label for label, _unit in choices.TARGET_METRICS.values())
    found.update(BLANKS.values())
    found.update(text for kind in KINDS for text in (kind.label, kind.title))  # titles of lists, forms, sheets
    found.update(HEADERS.values())
    return found


def test_every_message_has_an_english_translation():
    catalog = i18n._catalog("en")
    missing = sorted(m for m in message_ids() if m not in catalog)
    assert not missing, "add English for:\n" + "\n".join(missing)


def test_translations_keep_placeholders():
    catalog = i18n._catalog("en")
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    broken = [k for k, v in catalog.items() if fields(k) != fields(v)]
    assert not broken


def test_switching_language():
    try:
        i18n.set_language("en")
        assert t("사업자등록번호를 입력하세요") != "사업자등록번호를 입력하세요"
        assert "2024" in t("{year}년 사업연도가 없습니다", year=2024)
    finally:
        i18n.set_language("ko")
    assert t("사업자등록번호를 입력하세요") == "사업자등록번호를 입력하세요"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_qt_own_dialogs_speak_korean(qapp):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from boeun_desk.app import qt_translations

    assert qt_translations(qapp, "ko")
    assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"
    for translator in qapp.findChildren(QTranslator):  # the other tests see Qt as it was
        qapp.removeTranslator(translator)
        translator.deleteLater()
