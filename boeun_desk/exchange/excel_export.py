"""Excel export: any list or the whole database, one sheet per kind of record (xlsxwriter, constant memory).

Korean headers from the schema labels, dates as real dates, money as numbers with a thousands
format, references shown by name, the record UUID in the last column (for matching later). Text is
always written as text: a value such as `=HYPERLINK(...)` or `@SUM(A1)` stays a string, never a formula.

xlsxwriter writes each row to a temporary file as it comes (constant_memory), so memory stays flat; it
took 18 s for a bare dump of 100,000 cases where openpyxl's write-only mode took 28 s (benchmarks/run.py
shows both). openpyxl still reads (excel_read).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from boeun_desk.exchange.sheets import BY_KEY, SHEETS, Sheet
from boeun_desk.i18n import t
from boeun_desk.kinds import REFERENCES, shown_names
from boeun_desk.progress import IsCancelled, Progress, never, quiet, stop_if
from boeun_desk.storage.engine import Database
from boeun_desk.storage.files import atomic_path
from boeun_desk.validation import Field, format_brn, format_crn

FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "amount": "#,##0"}
ID_HEADER = "ID"
# Every string stays a string; dates with a time zone are written as their wall-clock time.
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
           "strings_to_urls": False, "remove_timezone": True}
# XML 1.0 cannot hold these control characters (the same set openpyxl refused).
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def export_workbook(database: Database, keys: Sequence[str], path: Path, *,
                    only_ids: Collection[str] | None = None, progress: Progress = quiet,
                    cancelled: IsCancelled = never) -> dict[str, int]:
    """Write the sheets named by `keys` ("all" for every one) to `path`; rows written per sheet title.
    Stopped (`cancelled`) before the file is saved, nothing is written."""
    chosen = list(SHEETS) if "all" in keys else [BY_KEY[key] for key in keys]
    counts = {}
    with atomic_path(path) as scratch:  # removed again if anything below fails or is cancelled
        workbook = Workbook(os.fspath(scratch), OPTIONS)
        try:
            with database.sessions() as session:
                formats = _Formats(workbook)
                for done, sheet in enumerate(chosen):
                    stop_if(cancelled)
                    progress(done, len(chosen), stage=t("{sheet} 시트를 쓰는 중", sheet=t(sheet.title)))
                    counts[t(sheet.title)] = _write_sheet(session, workbook.add_worksheet(t(sheet.title)), sheet,
                                                          formats, only_ids, cancelled)
            stop_if(cancelled)
            progress(0, 0, stage=t("파일로 저장하는 중"), stoppable=False)  # xlsxwriter says not how far
            try:
                workbook.close()
            except FileCreateError as error:  # the OSError inside is what the officer is told about
                raise (error.args[0] if error.args and isinstance(error.args[0], OSError) else OSError(str(error))) \
                    from error
        except BaseException:  # cancelled, or the file cannot be written (a folder gone, a full disk)
            _discard(workbook)
            raise
    return counts


def _discard(workbook: Workbook) -> None:
    """A workbook given up half-way (취소, or a file that cannot be written): each sheet's temporary file is
    closed and removed (xlsxwriter removes them only when the workbook is closed)."""
    for ws in workbook.worksheets():
        with contextlib.suppress(Exception):
            ws._opt_close()  # noqa: SLF001  (xlsxwriter has no public way to give a sheet up)
        with contextlib.suppress(Exception):
            if ws.row_data_filename:
                os.unlink(ws.row_data_filename)
    workbook.fileclosed = True  # nothing left to save; the destructor stays quiet


class _Formats:
    """The workbook's cell formats, made once: bold headers and one per kind in FORMATS."""

    def __init__(self, workbook: Workbook) -> None:
        self.bold = workbook.add_format({"bold": True})
        self.by_kind = {kind: workbook.add_format({"num_format": code}) for kind, code in FORMATS.items()}


def _write_sheet(session: Session, ws: Worksheet, sheet: Sheet, formats: _Formats,
                 only_ids: Collection[str] | None, cancelled: IsCancelled = never) -> int:
    fields = list(sheet.schema)
    for index, spec in enumerate(fields):
        ws.set_column(index, index, 28 if spec.kind in {"text"} else 16)
    ws.set_column(len(fields), len(fields), 38)
    ws.freeze_panes(1, 0)
    for col, label in enumerate([t(f.label) for f in fields] + [ID_HEADER]):
        ws.write_string(0, col, _text(label), formats.bold)
    names = _ref_names(session, fields)
    # How each column is written: the field, and the number format its dates and amounts take.
    columns = [(col, spec, formats.by_kind.get(spec.kind)) for col, spec in enumerate(fields)]
    id_column = len(fields)
    date_format, datetime_format = formats.by_kind["date"], formats.by_kind["datetime"]
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    table = sheet.model.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.deleted_at.is_(None)).order_by(table.c.created_at, table.c.id)
    count = 0
    for row in session.execute(query).mappings():
        if only_ids is not None and row["id"] not in only_ids:
            continue
        count += 1
        for col, spec, number_format in columns:
            value = _cell(spec, row[spec.name], names)
            if value is None:
                continue
            if isinstance(value, str):
                if value:  # an empty text is an empty cell, as openpyxl left it
                    write_string(count, col, _text(value))
            elif isinstance(value, bool):
                write_string(count, col, t("예") if value else t("아니오"))
            elif isinstance(value, int | float):
                write_number(count, col, value, number_format)
            elif isinstance(value, date):  # a datetime too; a date outside FORMATS' kinds keeps a date format
                write_datetime(count, col, value, number_format or
                               (datetime_format if isinstance(value, datetime) else date_format))
            else:  # Decimal and the like
                write_number(count, col, float(value), number_format)
        write_string(count, id_column, row["id"])
        if count % 1000 == 0:
            stop_if(cancelled)
    return count


def _ref_names(session: Session, fields: Iterable[Field]) -> dict[str, dict[str, Any]]:
    """How each referenced record reads, deleted ones too (a live record may refer to one)."""
    return {spec.name: shown_names(session, REFERENCES[spec.name])
            for spec in fields if spec.kind == "ref" and spec.name in REFERENCES}


def _cell(spec: Field, value: Any, names: dict[str, dict[str, Any]]) -> Any:
    """What the cell shows: names for references, formatted registration numbers, Korean choices."""
    if value is None:
        return None
    kind = spec.kind
    if kind == "ref":
        return names.get(spec.name, {}).get(value, value)
    if kind == "brn":
        return format_brn(value)
    if kind == "crn":
        return format_crn(value)
    if kind == "bool":
        return t("예") if value else t("아니오")
    if kind == "choice" and spec.choices:
        return t(spec.choices.get(value, value))
    return value


def _text(value: str) -> str:
    """`value` as a string cell can hold it: control characters XML cannot carry (an old database may hold
    them) become U+FFFD rather than vanish or fail the export, so the spot stays visible to the officer."""
    return _ILLEGAL.sub("\ufffd", value) if _ILLEGAL.search(value) else value
