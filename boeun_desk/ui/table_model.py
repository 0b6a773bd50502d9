"""One QAbstractTableModel for every list screen: row ids plus a lazily filled row cache.

Search, filters and sorting run in SQL on ids only; the visible rows are read in chunks when the
view asks for them, so 100,000 cases cost one id query, not 100,000 objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from boeun_desk.i18n import t
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.specs import Column, ListSpec
from boeun_desk.ui.worker import Worker, keep_running
from boeun_desk.validation import format_brn

CHUNK = 200
ID_ROLE = Qt.ItemDataRole.UserRole
LOOKUP_SOURCES = {"firms": ("firms", "name", {"firm"}), "types": ("support_types", "name", {"support_type"}),
                  "years": ("program_years", "year", {"program_year"}),
                  "suppliers": ("supply_companies", "name", {"supply_company"}),
                  "officers": ("officers", "name", {"officer"})}
Index = QModelIndex | QPersistentModelIndex


class Lookups:
    """id -> display name for referenced records, loaded once and dropped when they change."""

    def __init__(self, context: AppContext):
        self._context = context
        self._cache: dict[str, dict[str, Any]] = {}
        context.changed.connect(self._forget)

    def get(self, kind: str) -> dict[str, Any]:
        if kind not in self._cache:
            service, column, _entities = LOOKUP_SOURCES[kind]
            self._cache[kind] = getattr(self._context.services, service).names(column)
        return self._cache[kind]

    def _forget(self, changes: Any) -> None:
        for kind, (_service, _column, entities) in LOOKUP_SOURCES.items():
            if changes.entity in entities:
                self._cache.pop(kind, None)


def display(column: Column, value: Any, lookups: Lookups) -> str:
    if value is None or value == "":
        return ""
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
        self._texts: dict[str, str] | None = None  # id -> searchable text, loaded on first search
        self._last: tuple[Any, str, list[str]] | None = None  # (query key, search, matching ids)
        self._filters: dict[str, Any] = {}  # as applied by the last reload
        self._preparing: tuple[Any, Worker] | None = None  # (the _base it is for, its worker)
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
            return display(column, getattr(row, column.key), self.lookups) if row is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in {"money", "int"}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

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
            self._texts = None
            self._last = None
        ids = self._base[1]
        if self.search:
            # Typing narrows: a search that extends the last one filters its result, not all rows.
            narrowing = self._last is not None and self._last[0] == key and self.search.startswith(self._last[1])
            ids = self._matching(self._last[2] if narrowing else ids, filters)  # type: ignore[index]
            self._last = (key, self.search, ids)
        else:
            self._last = None
        if self.allowed is not None:
            ids = [i for i in ids if i in self.allowed]
        self.beginResetModel()
        self._ids = ids
        self._cache.clear()
        self.endResetModel()

    def prepare_search(self) -> None:
        """Load the searchable texts on a worker thread (the search box got the focus), so that the
        first keystroke filters at once instead of loading them (about 0.4 s for 100,000 cases)."""
        if self._texts is not None or self._preparing is not None or self._base is None:
            return
        base = self._base
        worker = Worker(lambda filters, _progress, _cancelled: self.service.search_texts(**filters), self._filters)
        self._preparing = (base, worker)
        worker.succeeded.connect(lambda texts: self._prepared(base, texts))
        worker.failed.connect(lambda _error: self._prepared(base, None))  # the keystroke loads them itself
        keep_running(worker)
        worker.start()

    def _prepared(self, base: Any, texts: dict[str, str] | None) -> None:
        if self._preparing is not None and self._preparing[0] is base:
            self._preparing = None
        if texts is not None and self._base is base and self._texts is None:  # still the same rows
            self._texts = texts

    def _matching(self, ids: list[str], filters: dict[str, Any]) -> list[str]:
        if self._texts is None and self._preparing is not None and self._preparing[0] is self._base:
            base, worker = self._preparing
            worker.wait()  # typed before the texts were in: the rest of the load, not all of it
            self._prepared(base, worker.result)
        if self._texts is None:
            self._texts = self.service.search_texts(**filters)
        texts = self._texts
        for term in self.search.split():
            variants = self.service.term_variants(term)
            ids = [i for i in ids if any(v in texts.get(i, "") for v in variants)]
        return ids

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
