"""Dashboard for a year: cases per support type (chart), funding by source, certificates expiring
within 60 days and overdue follow-ups; double-clicking an item opens it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.i18n import t
from boeun_desk.services import NotFound
from boeun_desk.ui.context import AppContext

EXPIRY_DAYS = 60
OVERDUE_SHOWN = 200  # the oldest first; a program with years of history may hold thousands
Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A small read-only table of prepared rows; the last element of each row is its record id."""

    def __init__(self, headers: Sequence[str]):
        super().__init__()
        self.headers = list(headers)
        self.rows: list[tuple[Any, ...]] = []

    def set_rows(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()][-1]
        return None


def table_view(model: RowsModel, widths: Sequence[int]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


class Dashboard(QWidget):
    open_record = Signal(str, str)  # list key, record id

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.year = QComboBox()
        for program_year in context.services.program_years.list():
            self.year.addItem(t("{year}년", year=program_year.year), program_year.year)
        default = int(context.settings.value("default_year", 0) or 0)
        self.year.setCurrentIndex(max(self.year.findData(default), self.year.count() - 1 if default == 0 else 0))
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 15px; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(QLabel(t("사업연도")))
        top.addWidget(self.year)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)

        self.chart = QChart()
        self.chart.setTitle(t("지원유형별 과제 수"))
        self.chart.legend().hide()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart_view = QChartView(self.chart)
        chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        chart_view.setMinimumHeight(260)

        self.funding = QGridLayout()
        funding_box = QGroupBox(t("재원별 지원금 (원)"))
        funding_box.setLayout(self.funding)

        self.expiring = RowsModel([t("기업"), t("인증"), t("만료일"), t("남은 일수")])
        self.overdue = RowsModel([t("기업"), t("후속조치"), t("기한")])
        expiring_view = table_view(self.expiring, [170, 180, 95])
        overdue_view = table_view(self.overdue, [130, 230])
        expiring_view.doubleClicked.connect(lambda i: self.open_record.emit("certifications",
                                                                            self.expiring.data(i, Qt.ItemDataRole.UserRole)))
        overdue_view.doubleClicked.connect(lambda i: self.open_record.emit("visits",
                                                                           self.overdue.data(i, Qt.ItemDataRole.UserRole)))
        expiring_box = QGroupBox(t("{days}일 이내 만료 인증", days=EXPIRY_DAYS))
        self.overdue_box = QGroupBox(t("기한이 지난 후속조치"))
        QVBoxLayout(expiring_box).addWidget(expiring_view)
        QVBoxLayout(self.overdue_box).addWidget(overdue_view)

        grid = QGridLayout()
        grid.addWidget(chart_view, 0, 0)
        grid.addWidget(funding_box, 0, 1)
        grid.addWidget(expiring_box, 1, 0)
        grid.addWidget(self.overdue_box, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        context.changed.connect(lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        queries = self.context.services.queries
        try:
            stats = queries.annual_stats(year, details=False)
        except NotFound:
            return
        self.summary.setText(t("지원기업 {firms}개사 · 지원과제 {cases}건 · 매칭 공급기업 {matched}개사",
                               firms=stats.firms_supported, cases=stats.cases_total,
                               matched=stats.supply_companies_matched))
        self._chart(stats)
        self._funding(stats)
        self.expiring.set_rows([(c.firm_name, c.kind, c.expires_on, t("D-{days}", days=c.days_left), c.id)
                                for c in queries.expiring_certifications(EXPIRY_DAYS)])
        overdue = queries.overdue_follow_ups(limit=OVERDUE_SHOWN)
        total = len(overdue) if len(overdue) < OVERDUE_SHOWN else queries.overdue_count()
        self.overdue.set_rows([(f.firm_name, f.action, f.due_date, f.visit_id) for f in overdue])
        self.overdue_box.setTitle(t("기한이 지난 후속조치") + (t(" (오래된 {shown}건 / 전체 {total}건)", shown=len(overdue),
                                                                  total=f"{total:,}") if total > len(overdue) else ""))

    def _chart(self, stats: Any) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        bars = QBarSet(t("과제 수"))
        bars.setColor(QColor("#9b2226"))
        bars.setLabelColor(QColor("#222222"))
        for type_count in stats.cases_by_type:
            bars.append(type_count.count)
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([type_count.code for type_count in stats.cases_by_type])
        font = QFont(categories.labelsFont())
        font.setPointSizeF(8)
        categories.setLabelsFont(font)
        values = QValueAxis()
        values.setRange(0, max([tc.count for tc in stats.cases_by_type] + [1]) + 1)
        values.setLabelFormat("%d")
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.chart.setToolTip("\n".join(f"{tc.code}: {t(tc.name)} {tc.count}" for tc in stats.cases_by_type))

    def _funding(self, stats: Any) -> None:
        while self.funding.count():
            self.funding.takeAt(0).widget().deleteLater()
        f, b = stats.funding, stats.budget
        rows = ((t("국비"), f.national, b.national), (t("도비"), f.provincial, b.provincial),
                (t("군비"), f.county, b.county), (t("정부지원금 계"), f.grant, b.grant),
                (t("기업부담금(현금)"), f.firm_cash, None), (t("기업부담금(현물)"), f.firm_in_kind, None),
                (t("총사업비"), f.total, None))
        for column, head in enumerate((t("재원"), t("집행"), t("예산"))):
            label = QLabel(head)
            label.setStyleSheet("font-weight: bold;")
            self.funding.addWidget(label, 0, column)
        for row, (name, spent, budget) in enumerate(rows, start=1):
            self.funding.addWidget(QLabel(name), row, 0)
            for column, amount in ((1, spent), (2, budget)):
                label = QLabel("" if amount is None else f"{amount:,}")
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.funding.addWidget(label, row, column)
