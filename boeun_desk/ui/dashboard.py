"""Dashboard for a year: cases per support type (chart, by the types' names), funding by source,
certificates expired (not renewed) or expiring within 60 days, and overdue follow-ups (sortable);
double-clicking an item, or Enter on it, opens it. It shows an Overview
(overview.py), so it can show the start page before the database layer has loaded."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boeun_desk.funding import Funding, Stages
from boeun_desk.i18n import t
from boeun_desk.overview import EXPIRY_DAYS, OVERDUE_SHOWN, OverdueItem, Overview, TypeTotal
from boeun_desk.ui.plain import plain_tooltip
from boeun_desk.ui.refresh import RefreshWhenShown

if TYPE_CHECKING:
    from boeun_desk.ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex
EXPIRED_COLOUR = QColor("#b3261e")


def count_axis(largest: int, ticks: int = 8) -> tuple[int, int]:
    """The chart's count axis, (top, step): round steps (1, 2 or 5 times a power of ten), at most
    `ticks` of them, and room past the longest bar for the count written after it (a top of the
    largest count + 1 put 135, 270, 405... under bars of about 1,000 and their labels over the bar ends)."""
    need = largest + max(1.0, largest * 0.15)
    step = 1
    while step * ticks < need:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2  # 1, 2, 5, 10, 20, 50...
    return math.ceil(need / step) * step, step


def days_left(expires_on: date, today: date) -> str:
    """"D-12" before the day, "만료됨 (20일 지남)" after it."""
    days = (expires_on - today).days
    return t("D-{days}", days=days) if days >= 0 else t("만료됨 ({days}일 지남)", days=-days)


class RowsModel(QAbstractTableModel):
    """A small read-only table of prepared rows; the last element of each row is its record id.
    `tints` colours whole rows (a row index -> colour); sorting orders the rows by a column's values."""

    def __init__(self, headers: Sequence[str]):
        super().__init__()
        self.headers = list(headers)
        self.rows: list[tuple[Any, ...]] = []
        self.tints: dict[str, QColor] = {}  # record id -> colour of its row
        self.order: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[tuple[Any, ...]], tints: dict[str, QColor] | None = None) -> None:
        self.beginResetModel()
        self.rows, self.tints = list(rows), tints or {}
        if self.order is not None:
            self._order_rows(*self.order)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.order = (column, order) if column >= 0 else None
        if self.order is not None:
            self._order_rows(column, order)
        self.layoutChanged.emit()

    def _order_rows(self, column: int, order: Qt.SortOrder) -> None:
        self.rows.sort(key=lambda row: row[column], reverse=order == Qt.SortOrder.DescendingOrder)

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
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.tints.get(self.rows[index.row()][-1])
        return None


def table_view(model: RowsModel, widths: Sequence[int], opened: Any = None, *,
               stretch: int | None = None) -> QTableView:
    """A read-only list: Tab leaves it; Enter or a double-click calls `opened(record id)` if given.
    With `stretch`, that column gives way on a narrow screen and the columns after it (dates, days
    left) keep their whole text."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)
    if opened is not None:
        view.doubleClicked.connect(lambda index: opened(model.data(index, Qt.ItemDataRole.UserRole)))
        view.activated.connect(lambda index: opened(model.data(index, Qt.ItemDataRole.UserRole)))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch is None)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        fitted = range(stretch + 1, model.columnCount())
        for column in fitted:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        fit = lambda: _fit_columns(view, model, fitted)  # noqa: E731
        model.modelReset.connect(fit)
        model.layoutChanged.connect(fit)
        fit()
    return view


def _fit_columns(view: QTableView, model: RowsModel, columns: Sequence[int]) -> None:
    """The columns after the stretching one hold dates and days left ("D-12", "만료됨 (20일 지남)"):
    each as wide as its header or its longest text, whichever needs more. Only that row is measured
    (Qt's ResizeToContents measured every row, up to 1,000: 0.2 s of the start on a big file; 50
    of them still took a tenth of the time to the first frame)."""
    header = view.horizontalHeader()
    for column in columns:
        width = header.sectionSizeHint(column)
        if model.rows:
            texts = [str(value) for value in map(itemgetter(column), model.rows)]
            longest = texts.index(max(texts, key=len))
            grid = 1 if view.showGrid() else 0  # as Qt's own measure counts the grid line
            width = max(width, view.sizeHintForIndex(model.index(longest, column)).width() + grid)
        header.resizeSection(column, width)


class Dashboard(QWidget):
    """Shows an Overview. Without a context (start-up, before the database layer has loaded) it
    shows the start page the last clean close left; `attach()` connects it to the data."""

    open_record = Signal(str, str)  # list key, record id

    def __init__(self, context: AppContext | None = None, parent: QWidget | None = None, *,
                 overview: Overview | None = None):
        super().__init__(parent)
        self.context: AppContext | None = None
        self.shown: Overview | None = None
        self.lists_shown = False  # the day's lists are in (the overview was taken today)
        self.year = QComboBox()
        self.year.setEnabled(False)  # until attached: another year needs the database
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
        expiring_view = table_view(self.expiring, [170, 180, 95],
                                   lambda record_id: self.open_record.emit("certifications", record_id), stretch=1)
        # Sortable either way (the newest first asks for the newest).
        self.overdue_view = table_view(self.overdue, [120, 190],
                                       lambda record_id: self.open_record.emit("visits", record_id), stretch=1)
        self.overdue_view.setSortingEnabled(True)
        self.overdue_view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.overdue_view.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._overdue_rows())
        self.expiring_box = QGroupBox()
        self.overdue_box = QGroupBox()
        QVBoxLayout(self.expiring_box).addWidget(expiring_view)
        QVBoxLayout(self.overdue_box).addWidget(self.overdue_view)

        grid = QGridLayout()
        grid.addWidget(chart_view, 0, 0)
        grid.addWidget(funding_box, 0, 1)
        grid.addWidget(self.expiring_box, 1, 0)
        grid.addWidget(self.overdue_box, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        if overview is not None:
            self.show_overview(overview)
        if context is not None:
            self.attach(context)

    def attach(self, context: AppContext, *, current: bool = False) -> None:
        """Work on the data from now on; `current`: what is shown is already today's figures of
        exactly this file (the start page of an untouched file), so it is not queried again."""
        self.context = context
        self.year.setEnabled(True)
        RefreshWhenShown(self, context, lambda _changes: True, self.refresh)  # any record may count
        if not current:
            self.refresh(opening=True)

    def refresh(self, *, opening: bool = False) -> None:
        """Query the year chosen, or (`opening`) the year the dashboard opens on (choose_year())."""
        if self.context is None:
            return
        overview = self.context.services.queries.overview(None if opening else self.year.currentData(),
                                                          default_year=self.context.default_year)
        if overview is not None:
            self.show_overview(overview)

    def show_overview(self, overview: Overview, *, today: date | None = None) -> None:
        """Show the figures; the day's lists only if they were taken today."""
        today = today or date.today()
        self.shown = overview
        self.year.blockSignals(True)
        self.year.clear()
        for year in overview.years:
            self.year.addItem(t("{year}년", year=year), year)
        self.year.setCurrentIndex(self.year.findData(overview.year))
        self.year.blockSignals(False)
        self.summary.setText(t("지원기업 {firms}개사 · 지원과제 {cases}건 · 매칭 공급기업 {matched}개사",
                               firms=f"{overview.firms_supported:,}", cases=f"{overview.cases_total:,}",
                               matched=f"{overview.supply_companies_matched:,}"))
        self._chart(overview.cases_by_type)
        self._funding(overview.stages, overview.budget)
        lists = overview.taken_on == today
        self.lists_shown = lists
        left = cache(lambda expires_on: days_left(expires_on, today))  # many share a day
        self.expiring.set_rows([(c.firm_name, c.kind, c.expires_on, left(c.expires_on),
                                 c.certification_id) for c in overview.expiring] if lists else [],
                               {c.certification_id: EXPIRED_COLOUR for c in overview.expiring if c.expires_on < today})
        waiting = "" if lists else t(" (불러오는 중…)")
        self.expiring_box.setTitle(t("만료됐거나 {days}일 이내 만료되는 인증", days=EXPIRY_DAYS) + waiting)
        self.expiring_box.setToolTip(t("만료된 인증은 1년 안에 만료되고 같은 종류로 갱신되지 않은 것만 보입니다"))
        self._overdue_rows()

    def _overdue_rows(self) -> None:
        """The overdue follow-ups in the order chosen. The overview holds the oldest ones; when
        there are more than it holds, the newest first are asked for."""
        overview = self.shown
        if overview is None:
            return
        items: Sequence[OverdueItem] = overview.overdue if self.lists_shown else ()
        shown, total = len(items), overview.overdue_total
        header = self.overdue_view.horizontalHeader()
        newest = header.sortIndicatorSection() == 2 and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        if newest and self.lists_shown and total > shown and self.context is not None:
            items = [OverdueItem(f.visit_id, f.firm_name, f.action, f.due_date) for f in
                     self.context.services.queries.overdue_follow_ups(limit=OVERDUE_SHOWN, newest_first=True)
                     if f.due_date]
            shown = len(items)
        self.overdue.set_rows([(f.firm_name, f.action, f.due_date, f.visit_id) for f in items])
        which = t(" (최근 {shown}건 / 전체 {total}건)") if newest else t(" (오래된 {shown}건 / 전체 {total}건)")
        self.overdue_box.setTitle(t("기한이 지난 후속조치") + ("" if self.lists_shown else t(" (불러오는 중…)")) + (
            which.format(shown=shown, total=f"{total:,}") if self.lists_shown and total > shown else ""))

    def _chart(self, by_type: tuple[TypeTotal, ...]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        # Bars across, the first type on top: the types' names (long Korean ones) read in full.
        by_type = tuple(reversed(by_type))
        bars = QBarSet(t("과제 수"))
        bars.setColor(QColor("#9b2226"))
        bars.setLabelColor(QColor("#222222"))
        for type_count in by_type:
            bars.append(type_count.count)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        # Qt Charts draws axis labels as HTML: the names are data, so they are escaped.
        categories.append([html.escape(t(type_count.name)) for type_count in by_type])
        font = QFont(categories.labelsFont())
        font.setPointSizeF(8)
        categories.setLabelsFont(font)
        values = QValueAxis()
        top, step = count_axis(max([tc.count for tc in by_type] + [0]))
        values.setRange(0, top)
        # Whole-number ticks only: with Qt's default five ticks a range of 6 puts "%d" labels at
        # 1.2, 2.4... (shown as 1, 2, 3...) under bars of whole counts, which then look wrong.
        values.setTickType(QValueAxis.TickType.TicksDynamic)
        values.setTickAnchor(0)
        values.setTickInterval(step)
        values.setLabelFormat("%d")
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.chart.setToolTip(plain_tooltip("\n".join(f"{t(tc.name)} ({tc.code}): {tc.count}"
                                                      for tc in reversed(by_type))))

    def _funding(self, stages: Stages, b: Funding) -> None:
        """집행 (completed work) against the budget; in-progress and planned money in their own columns."""
        while self.funding.count():
            self.funding.takeAt(0).widget().deleteLater()
        parts = (stages.spent, stages.in_progress, stages.planned)
        rows = ((t("국비"), *(f.national for f in parts), b.national),
                (t("도비"), *(f.provincial for f in parts), b.provincial),
                (t("군비"), *(f.county for f in parts), b.county),
                (t("정부지원금 계"), *(f.grant for f in parts), b.grant),
                (t("기업부담금(현금)"), *(f.firm_cash for f in parts), None),
                (t("기업부담금(현물)"), *(f.firm_in_kind for f in parts), None),
                (t("총사업비"), *(f.total for f in parts), None))
        for column, head in enumerate((t("재원"), t("집행"), t("진행 중"), t("계획"), t("예산"))):
            label = QLabel(head)
            label.setStyleSheet("font-weight: bold;")
            self.funding.addWidget(label, 0, column)
        for row, (name, *amounts) in enumerate(rows, start=1):
            self.funding.addWidget(QLabel(name), row, 0)
            for column, amount in enumerate(amounts, start=1):
                label = QLabel("" if amount is None else f"{amount:,}")
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.funding.addWidget(label, row, column)
