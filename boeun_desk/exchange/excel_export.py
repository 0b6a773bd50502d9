"""Excel export: any list or the whole database, one sheet per kind of record.

Korean headers from the schema labels, dates as real dates, money as numbers with a thousands
format, references shown by name, the record UUID in the last column (for matching later); the
header row frozen and filterable. Text is always written as text: a value such as `=HYPERLINK(...)`
or `@SUM(A1)` stays a string, never a formula.

The writer is rvgsrust-xlsxwriter (MIT), a binding of rust_xlsxwriter: rows go in a thousand at a
time and wait in a nameless temporary file per sheet (constant memory), so memory stays flat and
nothing is left behind when the export stops. Measured on 100,000 cases (benchmarks/run.py):
its bare dump took 2.2–3.2 s where XlsxWriter's took 10.8–15.9 s and openpyxl's 19.6–26.9 s (README:
why this one). openpyxl still reads (excel_read).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rvgsrust_xlsxwriter import Format, Workbook, Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from boeun_desk.exchange.sheets import BY_KEY, SHEETS, Sheet
from boeun_desk.i18n import t
from boeun_desk.kinds import REFERENCES, shown_names
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.storage.engine import Database
from boeun_desk.storage.files import atomic_write
from boeun_desk.validation import Field, format_brn, format_crn

FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "amount": "#,##0"}
ID_HEADER = "ID"
ROWS_AT_ONCE = 1000  # rows handed to the writer in one call; 취소 is looked at between them
TEXT_LIMIT = 32_767  # characters one Excel cell holds
# Where the writer keeps each sheet's rows until the file is saved (None: the system's temporary folder).
# The files have no name there and vanish when the workbook is dropped, whatever happens.
SCRATCH_DIR: str | None = None
# XML 1.0 cannot hold these control characters (the same set openpyxl refused).
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_TEXT_KINDS = {"text", "note", "email", "phone", "time", "code", "sha256", "approval"}
_DAY_ZERO = date(1899, 12, 30).toordinal()  # Excel's serial day 0 (from 1900-03-01 on)
_MARCH_1900 = date(1900, 3, 1)
Cells = Callable[[Sequence[Any]], Sequence[Any]]  # a batch of one column's stored values -> their cells


def export_workbook(database: Database, keys: Sequence[str], path: Path, *,
                    only_ids: Collection[str] | None = None, progress: Progress = quiet,
                    cancelled: IsCancelled = never) -> dict[str, int]:
    """Write the sheets named by `keys` ("all" for every one) to `path`; rows written per sheet title.
    Stopped (`cancelled`) before the file is saved, nothing is written."""
    chosen = list(SHEETS) if "all" in keys else [BY_KEY[key] for key in keys]
    counts: dict[str, int] = {}
    # Opened first, so a folder that cannot be written is told at once; removed again on any failure.
    with atomic_write(path) as handle:
        try:
            data = _workbook(database, chosen, counts, only_ids, progress, cancelled)
        except BaseException as error:  # 취소 or a failure: the writer's rows let go now, not when the error is
            traceback.clear_frames(error.__traceback__)
            raise
        handle.write(data)
    return counts


def _workbook(database: Database, chosen: Sequence[Sheet], counts: dict[str, int],
              only_ids: Collection[str] | None, progress: Progress, cancelled: IsCancelled) -> bytes:
    """The file's bytes, `counts` filled with the rows written per sheet title."""
    workbook = Workbook()
    if SCRATCH_DIR is not None:
        workbook.set_tempdir(SCRATCH_DIR)
    bold = workbook.add_format().set_bold()
    by_kind = {kind: workbook.add_format().set_num_format(code) for kind, code in FORMATS.items()}
    with database.sessions() as session:
        for done, sheet in enumerate(chosen):
            stop_if(cancelled)
            progress(done, len(chosen), stage=t("{sheet} 시트를 쓰는 중", sheet=t(sheet.title)))
            ws = workbook.add_worksheet(t(sheet.title), constant_memory=True)
            counts[t(sheet.title)] = _write_sheet(session, ws, sheet, bold, by_kind, only_ids, cancelled)
    stop_if(cancelled)
    progress(0, 0, stage=t("파일로 저장하는 중"), stoppable=False)  # the writer says not how far
    return workbook.save_to_buffer()  # the writer lets go of the GIL meanwhile: the window paints


def _write_sheet(session: Session, ws: Worksheet, sheet: Sheet, bold: Format, by_kind: dict[str, Format],
                 only_ids: Collection[str] | None, cancelled: IsCancelled = never) -> int:
    fields = list(sheet.schema)
    for col, spec in enumerate(fields):
        ws.set_column_width(col, 28 if spec.kind == "text" else 16)
        if spec.kind in by_kind:  # the column's format is every date's or amount's in it
            ws.set_column_format(col, by_kind[spec.kind])
    ws.set_column_width(len(fields), 38)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, [_text(t(spec.label)) for spec in fields] + [ID_HEADER], bold)
    count = 0
    for rows in _rows(session, sheet, fields, only_ids):
        stop_if(cancelled)
        ws.write_rows(count + 1, 0, rows)
        count += len(rows)
    ws.autofilter(0, 0, count, len(fields))
    return count


def _rows(session: Session, sheet: Sheet, fields: Sequence[Field],
          only_ids: Collection[str] | None) -> Iterator[list[list[Any]]]:
    """The sheet's rows as the cells show them, ROWS_AT_ONCE at a time: one query for the columns shown
    (the record's id last, as on the sheet), each column of a batch turned into its cells in one go.

    The query runs on the session's own driver cursor (same transaction, plain or SQLCipher file or
    the office server alike): the driver's tuples go straight to the columns, and only the columns
    whose type the driver does not hand over as Python values (SQLite's dates, ...) go through
    SQLAlchemy's own conversion for that type. Its result rows cost 0.2 s of the 100,000 cases' 1 s read;
    the writer holds the GIL while it takes rows, so no thread can read meanwhile (README)."""
    table = sheet.model.__table__  # type: ignore[attr-defined]
    columns = [table.c[spec.name] for spec in fields] + [table.c.id]
    query = select(*columns).where(table.c.deleted_at.is_(None)).order_by(table.c.created_at, table.c.id)
    cells = [_cells_for(spec, session) for spec in fields] + [None]
    connection = session.connection()
    dialect = connection.dialect
    typed = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
    makes = [_then(kind, make) for kind, make in zip(typed, cells, strict=True)]
    compiled = query.compile(dialect=dialect)
    assert not compiled.params, compiled.params  # nothing to bind: the text runs as it is
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled))
        while part := cursor.fetchmany(ROWS_AT_ONCE):
            if only_ids is not None:
                part = [row for row in part if row[-1] in only_ids]
            if part:
                stored = zip(*part, strict=True)
                shown = [values if make is None else make(values) for make, values in zip(makes, stored, strict=True)]
                yield list(map(list, zip(*shown, strict=True)))  # the writer takes each row as a list
    finally:  # 취소 closes the generator: the cursor lets go of the read at once
        cursor.close()


def _then(typed: Callable[[Any], Any] | None, make: Cells | None) -> Cells | None:
    """A column's stored values as the driver hands them over -> its cells: SQLAlchemy's conversion for
    the column's type (`typed`, None: none needed), then ours (`make`)."""
    if typed is None:
        return make
    if make is None:
        return lambda stored: list(map(typed, stored))
    return lambda stored: make(list(map(typed, stored)))


def _cells_for(spec: Field, session: Session) -> Cells | None:
    """How a column of `spec`'s stored values becomes its cells (None: as they are, numbers): names for
    references, formatted registration numbers, Korean choices, dates as Excel's serial days (their
    column gives the date format), text made safe. None stays None, an empty cell."""
    kind = spec.kind
    if kind in ("int", "amount"):
        return None
    if kind in _TEXT_KINDS:
        return _texts
    if kind == "ref" and spec.name in REFERENCES:  # deleted ones too: a live record may refer to one
        names = {key: _value(name) for key, name in shown_names(session, REFERENCES[spec.name]).items()}
        return lambda stored: list(map(names.get, stored, stored))
    if kind == "choice" and spec.choices:
        labels = {key: t(label) for key, label in spec.choices.items()}
        return lambda stored: _texts(list(map(labels.get, stored, stored)))
    if kind == "bool":
        yes, no = t("예"), t("아니오")
        return lambda stored: [None if value is None else yes if value else no for value in stored]
    if kind in ("date", "datetime"):
        return _serials
    if kind in ("brn", "crn"):
        shown = format_brn if kind == "brn" else format_crn
        return lambda stored: [None if value is None else _value(shown(value)) for value in stored]
    return lambda stored: [None if value is None else _value(value) for value in stored]


def _texts(stored: Sequence[Any]) -> Sequence[Any]:
    """A column of texts as string cells hold them: most columns need nothing, which one look at the
    whole batch tells. An empty text is an empty cell: None, which the writer passes over faster than
    an empty string (it writes no cell for either; 200,000 empty texts cost it 0.07 s more)."""
    try:
        joined = "\n".join(filter(None, stored))
    except TypeError:  # not all texts
        return [None if value is None else _value(value) for value in stored]
    if _ILLEGAL.search(joined) is None and (len(joined) <= TEXT_LIMIT
                                            or max(map(len, filter(None, stored))) <= TEXT_LIMIT):
        return [value or None for value in stored] if "" in stored else stored
    return [_text(value) if value else None for value in stored]


def _value(value: Any) -> Any:
    """One value as its cell holds it: text made safe, yes/no in Korean, dates and times as serial days,
    Decimals as numbers, numbers as they are."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return t("예") if value else t("아니오")
    if isinstance(value, date):
        return _serial(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _serials(stored: Sequence[Any]) -> list[Any]:
    """A column of dates (or dates and times) as serial days; plain dates Excel counts alike, in one go."""
    try:
        first = min(filter(None, stored), default=_MARCH_1900)
    except TypeError:  # dates mixed with dates and times, which do not compare
        first = None
    if type(first) is date and first >= _MARCH_1900:
        return [value if value is None else value.toordinal() - _DAY_ZERO for value in stored]
    return [None if value is None else _serial(value) for value in stored]


def _serial(value: date) -> float | int | str:
    """Excel's serial day of a date (a datetime: with its wall-clock time as the fraction). Excel counts
    a 29 February 1900 that never was, so days before March 1900 are one less; a date Excel cannot
    hold (before 1900) stays readable as text."""
    if value.year < 1900:
        return value.isoformat(" ", "minutes") if isinstance(value, datetime) else value.isoformat()
    days = value.toordinal() - _DAY_ZERO
    if days < 61:
        days -= 1
    if isinstance(value, datetime):
        return days + (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    return days


def _text(value: str) -> str:
    """`value` as a string cell can hold it: control characters XML cannot carry (an old database may hold
    them) become U+FFFD rather than vanish or fail the export, so the spot stays visible to the officer;
    past Excel's 32,767 characters a cell holds no more."""
    return _ILLEGAL.sub("\ufffd", value)[:TEXT_LIMIT]
