"""Windows that fit the screen they open on: never larger than its available area (the screen less
the taskbar), whatever the scaling. The smallest screen in use is 1280x720 logical pixels (a
1920x1080 laptop at 150 %, or a 1366x768 screen less its taskbar); every screen of the program is
usable at that size."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SMALLEST = QSize(1280, 720)
# Before a window is first shown its frame is unknown (0); the window manager then adds a title bar
# (~31 logical px on Windows 10/11) and borders. Room kept for them when choosing the first size.
TITLE_BAR, BORDER = 32, 8


def available_area(window: QWidget) -> QRect:
    """The available geometry (without taskbar and docks) of the screen the window is on."""
    handle = window.windowHandle()
    screen = (handle.screen() if handle is not None else None) or \
        QGuiApplication.screenAt(window.geometry().center()) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def first_geometry(area: QRect, preferred: QSize) -> tuple[QRect, bool]:
    """Where a window that would like `preferred` opens in `area`: its frame centred, never larger
    than the area. True when it does not fit whole: then it opens maximized, so the window manager
    fits it to the area exactly."""
    size = preferred.boundedTo(_room(area))
    left = area.left() + (area.width() - size.width()) // 2
    top = area.top() + TITLE_BAR + (area.height() - size.height() - TITLE_BAR - BORDER) // 2
    return QRect(left, top, size.width(), size.height()), size != preferred


def place(window: QWidget, preferred: QSize) -> None:
    """Size and place a window that is not shown yet (see `first_geometry`)."""
    rect, fill = first_geometry(available_area(window), preferred)
    window.setGeometry(rect)  # also the size it returns to from maximized
    if fill:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def resize_within(window: QWidget, preferred: QSize) -> None:
    """Give a window (a dialog) `preferred` or less: what the screen's available area leaves."""
    window.resize(preferred.boundedTo(_room(available_area(window))))


def _room(area: QRect) -> QSize:
    """The largest window whose frame fits in `area`."""
    return QSize(max(area.width() - 2 * BORDER, 1), max(area.height() - TITLE_BAR - BORDER, 1))
