"""A record's history (변경 이력): every change with its officer, time, field, old and new value."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from boeun_desk.exchange.history import record_history
from boeun_desk.i18n import t
from boeun_desk.storage.engine import Database
from boeun_desk.ui.dashboard import RowsModel, table_view


def local_time(stamp: datetime) -> str:
    """Stored times are UTC; officers read local time."""
    return stamp.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


class HistoryDialog(QDialog):
    def __init__(self, database: Database, record_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(t("변경 이력"))
        self.resize(900, 480)
        self.model = RowsModel([t("일시"), t("담당자"), t("구분"), t("항목"), t("이전 값"), t("새 값")])
        self.model.set_rows([(local_time(e.at), e.officer or "-", e.action, e.field, e.old or "", e.new or "", "")
                             for e in record_history(database, record_id)])
        view = table_view(self.model, [150, 90, 60, 130, 200])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(t("닫기"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
