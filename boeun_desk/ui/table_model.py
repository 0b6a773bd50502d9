"""One QAbstractTableModel for every list screen: row ids plus a lazily filled row cache.

Search, filters and sorting run in SQL on ids only; the visible rows are read in chunks when the
view asks for them, so 100,000 cases cost one id query, not 100,000 objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from boeun_desk.i18n import t
from boeun_desk.kinds import BY_KEY
from boeun_desk.overview import expiry_status
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.specs import Column, ListSpec
from boeun_desk.ui.widgets import plain_tooltip
from boeun_desk.ui.worker import Task
from boeun_desk.validation import format_brn

CHUNK = 200
ID_ROLE = Qt.ItemDataRole.UserRole
EXPIRED_COLOUR, SOON_COLOUR = QColor("#b3261e"), QColor("#8a5300")  # an expired record's row; the date soon
Index = QModelIndex | QPersistentModelIndex


class Lookups:
    """id -> how a referenced record reads (kinds.py), per kind of record: loaded once, dropped
    when a record of that kind changes."""

    def __init__(self, context: AppContext):
        self._context = context
        self._cache: dict[str, dict[str, Any]] = {}
        context.changed.connect(self._forget)

    def get(self, kind: str) -> dict[str, Any]:
        """The live records of the kind `kind` (a kinds.BY_KEY key), e.g. "firm"."""
        if kind not in self._cache:
            self._cache[kind] = getattr(self._context.services, BY_KEY[kind].service).names()
        return self._cache[kind]

    def _forget(self, changes: Any) -> None:
        for kind in [kind for kind in self._cache if changes.touches(kind)]:  # all of them after a sync
            del self._cache[kind]


def display(column: Column, value: Any, lookups: Lookups) -> str:
    if value is None or value == "":
        return t(column.blank) if column.blank else ""
    kind = column.kind
    if kind == "lookup":
        return str(lookups.get(column.lookup).get(value, ""))
    if kind == "choice":
        assert column.choices is not None
        return t(column.choices.get(value, value))
    if kind == "money":
        return f"{value:,}"
    if kind == "brn":
        return format_brn(value)
    if kind == "bool":
        return t("적합") if value else t("부적합")
    if kind == "datetime" and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\n", " ")


class RecordTableModel(QAbstractTableModel):
    def __init__(self, context: AppContext, spec: ListSpec, lookups: Lookups, *, fixed: dict[str, Any] | None = None):
        super().__init__()
        self.context, self.spec, self.lookups = context, spec, lookups
        self.service = getattr(context.services, spec.service)
        self.fixed = fixed or {}
        self.search = ""
        self.filters: dict[str, Any] = {}
        self.allowed: set[str] | None = None  # extra restriction (e.g. certificates expiring soon)
        self.order: str | None = None
        self.descending = False
        self._ids: list[str] = []
        self._cache: dict[str, Any] = {}
        self._base: tuple[Any, list[str]] | None = None  # (query key, ids before search)
        self._rows: list[tuple[str, str]] | None = None  # (id, searchable text) in row order, on first search
        self._last: tuple[str, list[tuple[str, str]]] | None = None  # (search, its rows)
        self._filters: dict[str, Any] = {}  # as applied by the last reload
        self._preparing: tuple[Any, Task] | None = None  # (the _base it is for, its task)
        self.reload()

    # --- Qt model API ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.spec.columns[section].label)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        column = self.spec.columns[index.column()]
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self.row_at(index.row())
            if column.kind == "expiry":
                return self._expiry_text(row)
            text = display(column, getattr(row, column.key), self.lookups) if row is not None else ""
            return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        if role == Qt.ItemDataRole.ForegroundRole and self.spec.expiry_field:
            status = self._expiry(self.row_at(index.row()))
            if status == "expired":
                return EXPIRED_COLOUR
            return SOON_COLOUR if status == "soon" and column.key == self.spec.expiry_field else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in {"money", "int"}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _expiry(self, row: Any) -> str:
        """"expired", "soon" (within the dashboard's 60 days) or "" / "valid" (overview.expiry_status)."""
        return expiry_status(getattr(row, self.spec.expiry_field), self.today) if row is not None else ""

    def _expiry_text(self, row: Any) -> str:
        """만료됨, or the days left when it expires soon (D-12); nothing while valid for long."""
        status = self._expiry(row)
        if status == "soon":
            return t("D-{days}", days=(getattr(row, self.spec.expiry_field) - self.today).days)
        return t("만료됨") if status == "expired" else ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.spec.columns[column].key if column >= 0 else None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.order, self.descending) or self._base is None:
            self.order, self.descending = key, descending
            self.reload()

    # --- loading --------------------------------------------------------------------------------

    def reload(self, *, refetch: bool = False) -> None:
        """Apply the current search, filters and order. Ids come from SQL only when filters or
        order changed (or `refetch` after an edit); a search keystroke filters them in memory."""
        filters = {k: v for k, v in {**self.filters, **self.fixed}.items() if v is not None}
        self._filters = filters
        key = (tuple(sorted(filters.items())), self.order, self.descending)
        if refetch or self._base is None or self._base[0] != key:
            ids = self.service.ids(order=self.order, descending=self.descending, **filters)
            self._base = (key, ids)
            self._rows = None
        ids = self._matching(filters) if self.search else self._base[1]
        if self.allowed is not None:
            ids = [i for i in ids if i in self.allowed]
        self.beginResetModel()
        self._ids = ids
        self._cache.clear()
        self.today = date.today()  # what has expired is judged on the day the list was read
        self.endResetModel()

    def _search_rows(self, filters: dict[str, Any], ids: list[str]) -> list[tuple[str, str]]:
        """(id, searchable text) in row order: a plain loop over it is the fast filter."""
        texts = self.service.search_texts(**filters)
        return [(i, texts.get(i, "")) for i in ids]

    def prepare_search(self) -> None:
        """Load the searchable texts on a worker thread (the search box got the focus), so that the
        first keystroke filters at once instead of loading them (about 0.4 s for 100,000 cases)."""
        if self._rows is not None or self._preparing is not None or self._base is None:
            return
        base = self._base
        task = Task(lambda params, _progress, _cancelled: self._search_rows(*params), (self._filters, base[1]))
        self._preparing = (base, task)
        task.then(lambda rows: self._prepared(base, rows),
                  lambda _error: self._prepared(base, None))  # the keystroke loads them itself
        task.start()

    def _prepared(self, base: Any, rows: list[tuple[str, str]] | None) -> None:
        if self._preparing is not None and self._preparing[0] is base:
            self._preparing = None
        if rows is not None and self._base is base and self._rows is None:  # still the same rows
            self._rows, self._last = rows, None

    def _matching(self, filters: dict[str, Any]) -> list[str]:
        """The rows whose text holds every typed term (in any of its forms), in row order."""
        if self._rows is None and self._preparing is not None and self._preparing[0] is self._base:
            base, task = self._preparing
            task.wait()  # typed before the texts were in: the rest of the load, not all of it
            self._prepared(base, task.result)
        if self._rows is None:
            self._rows, self._last = self._search_rows(filters, self._base[1]), None  # type: ignore[index]
        # Typing narrows: a search that extends the last one filters its result, not all rows.
        last = self._last
        rows = last[1] if last is not None and self.search.startswith(last[0]) else self._rows
        for term in self.search.split():
            variants = self.service.term_variants(term)
            if len(variants) == 1:
                (variant,) = variants
                rows = [row for row in rows if variant in row[1]]
            else:
                rows = [row for row in rows if any(v in row[1] for v in variants)]
        self._last = (self.search, rows)
        return [row[0] for row in rows]

    def row_at(self, row: int) -> Any:
        record_id = self._ids[row]
        if record_id not in self._cache:
            start = max(0, row - CHUNK // 4)
            chunk = [i for i in self._ids[start:start + CHUNK] if i not in self._cache]
            self._cache.update(self.service.rows(chunk))
        return self._cache.get(record_id)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, record_id: str) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def ids(self) -> list[str]:
        return list(self._ids)
