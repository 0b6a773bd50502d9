"""Officer data put on screen as plain text: labels and tooltips. Apart from the field editors
(widgets.py), so the window's frame and the dashboard start without the editors and the rules."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # Qt's text functions (mightBeRichText) live in QtGui
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", *, wrap: bool = False) -> QLabel:
    """A label for officer data or a message that may quote it. QLabel's default (AutoText) reads
    anything that looks like HTML as HTML: a firm named `<img src=…><h1>…` would show an image."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as typed: Qt reads a tooltip that looks like HTML as HTML and has
    no plain-text switch for tooltips, so such a text is escaped (it wraps as rich text does)."""
    if GuiQt.mightBeRichText(text):
        return GuiQt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return text
