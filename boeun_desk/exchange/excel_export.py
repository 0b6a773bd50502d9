"""Excel export: any list or the whole database, one sheet per kind of record (openpyxl write-only).

Korean headers from the schema labels, dates as real dates, money as numbers with a thousands
format, references shown by name, the record UUID in the last column (for matching later). Text is
always written as text: a value such as `=HYPERLINK(...)` or `@SUM(A1)` stays a string, never a formula.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
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


def export_workbook(database: Database, keys: Sequence[str], path: Path, *,
                    only_ids: Collection[str] | None = None, progress: Progress = quiet,
                    cancelled: IsCancelled = never) -> dict[str, int]:
    """Write the sheets named by `keys` ("all" for every one) to `path`; rows written per sheet title.
    Stopped (`cancelled`) before the file is saved, nothing is written."""
    chosen = list(SHEETS) if "all" in keys else [BY_KEY[key] for key in keys]
    workbook = Workbook(write_only=True)
    counts = {}
    try:
        with database.sessions() as session:
            for done, sheet in enumerate(chosen):
                stop_if(cancelled)
                progress(done, len(chosen), stage=t("{sheet} 시트를 쓰는 중", sheet=t(sheet.title)))
                counts[t(sheet.title)] = _write_sheet(session, workbook.create_sheet(t(sheet.title)), sheet,
                                                      only_ids, cancelled)
        stop_if(cancelled)
        progress(0, 0, stage=t("파일로 저장하는 중"), stoppable=False)  # openpyxl says not how far
        with atomic_write(path) as handle:
            workbook.save(handle)
    except BaseException:  # cancelled, or the file cannot be written (a folder gone, a full disk)
        _discard(workbook)
        raise
    return counts


def _discard(workbook: Workbook) -> None:
    """A workbook given up half-way (취소, or a file that cannot be written): each sheet's temporary file is finished and removed
    (openpyxl would leave them until the program ends)."""
    for ws in workbook.worksheets:
        if ws._writer is not None:  # noqa: SLF001  (openpyxl has no public way to give a sheet up)
            with contextlib.suppress(Exception):
                ws.close()
                ws._writer.cleanup()  # noqa: SLF001


def _write_sheet(session: Session, ws: WriteOnlyWorksheet, sheet: Sheet,
                 only_ids: Collection[str] | None, cancelled: IsCancelled = never) -> int:
    fields = list(sheet.schema)
    for index, spec in enumerate(fields, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 28 if spec.kind in {"text"} else 16
    ws.column_dimensions[get_column_letter(len(fields) + 1)].width = 38
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = [_text(ws, t(f.label)) for f in fields] + [_text(ws, ID_HEADER)]
    for cell in header:
        cell.font = bold
    ws.append(header)
    names = _ref_names(session, fields)
    table = sheet.model.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.deleted_at.is_(None)).order_by(table.c.created_at, table.c.id)
    count = 0
    for row in session.execute(query).mappings():
        if only_ids is not None and row["id"] not in only_ids:
            continue
        values = [_cell(ws, spec, row[spec.name], names) for spec in fields] + [row["id"]]
        ws.append([_text(ws, value) if isinstance(value, str) else value for value in values])
        count += 1
        if count % 1000 == 0:
            stop_if(cancelled)
    return count


def _ref_names(session: Session, fields: Iterable[Field]) -> dict[str, dict[str, Any]]:
    """How each referenced record reads, deleted ones too (a live record may refer to one)."""
    return {spec.name: shown_names(session, REFERENCES[spec.name])
            for spec in fields if spec.kind == "ref" and spec.name in REFERENCES}


def _cell(ws: WriteOnlyWorksheet, spec: Field, value: Any, names: dict[str, dict[str, Any]]) -> Any:
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
    if kind in FORMATS and isinstance(value, date | int):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = FORMATS[kind]
        return cell
    return value


def _text(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A string cell holding `value` as it is, whatever it starts with.

    openpyxl makes any str starting with "=" a formula and "#N/A" and the like an error value, so the
    type is set explicitly. Control characters openpyxl cannot write (an old database may hold them)
    become U+FFFD rather than vanish or fail the export, so the spot stays visible to the officer.
    """
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"
    return cell
