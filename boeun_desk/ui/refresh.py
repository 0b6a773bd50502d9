"""Screens follow the one change signal: a screen on display refreshes at once, a screen that is
not (another page, another tab) only notes that it is out of date and refreshes when it is shown
again, so a save costs the queries of what the officer sees, not of every screen ever opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from boeun_desk.services import Changes
    from boeun_desk.ui.context import AppContext


class RefreshWhenShown(QObject):
    """Calls `refresh()` after each change `wants(changes)` accepts: now if `screen` is on display
    (or its window has not been shown at all), else the next time it is shown."""

    def __init__(self, screen: QWidget, context: AppContext, wants: Callable[[Changes], bool],
                 refresh: Callable[[], object]):
        super().__init__(screen)  # goes with the screen, and so does its connection
        self.screen, self.wants, self.refresh = screen, wants, refresh
        self.stale = False
        screen.installEventFilter(self)
        context.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if not self.wants(changes):
            return
        if self.screen.window().isVisible() and not self.screen.isVisible():
            self.stale = True
        else:
            self.stale = False
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.screen and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh()
        return False

