"""What a worker process of a batch does: draw documents whose blocks are already built into files.

It imports the drawing only (ReportLab, the fonts, `reports.blocks`): no database, no Qt, and a
worker starts in a fraction of the time the whole program takes to import.
"""

from __future__ import annotations

from boeun_desk.i18n import set_language
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import register_fonts, write_pdf


def start(language: str) -> None:
    """A worker's start: the program's language and the fonts, once."""
    set_language(language)
    register_fonts()


def write(job: tuple[b.Document, str, bool]) -> None:
    """One document into its file: PDF, or HWPX (the editable 한글 copy)."""
    document, path, hwpx = job
    if hwpx:
        from boeun_desk.reports.hwpx import write_hwpx

        write_hwpx(document, path)
    else:
        write_pdf(document, path)
