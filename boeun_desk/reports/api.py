"""Rendering entry points for the GUI, the CLI and the self-test. Every PDF is written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfWriter

from boeun_desk.reports.annual_report import AnnualReport
from boeun_desk.reports.certifications import CertificationSummary
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.reports.visit_record import VisitRecord
from boeun_desk.services.documents import Documents
from boeun_desk.storage.files import atomic_write, fsync_folder, private_mode, sweep_leftovers
from boeun_desk.validation import format_brn


class Cancelled(Exception):
    """A batch stopped because the officer pressed Cancel; nothing partial was left behind."""


# `today` (default: the real today) dates the print and counts days to expiry and due dates.

# `masked` makes the handout variant (personal data masked); an `.hwpx` name writes the editable copy.

def render_firm_summary(services: Any, firm_id: str, out: Path, *, today: date | None = None,
                        masked: bool = False) -> Path:
    return FirmSummary().render(Documents(services, masked=masked).firm_summary(firm_id, today=today), out)


def render_visit_record(services: Any, visit_id: str, out: Path, *, today: date | None = None,
                        masked: bool = False) -> Path:
    return VisitRecord().render(Documents(services, masked=masked).visit_record(visit_id, today=today), out)


def render_certifications(services: Any, out: Path, firm_id: str | None = None, *,
                          today: date | None = None, masked: bool = False) -> Path:
    return CertificationSummary().render(Documents(services, masked=masked).certifications(firm_id, today=today),
                                         out)


def render_annual_report(services: Any, year: int, out: Path, *, today: date | None = None,
                         masked: bool = False) -> Path:
    return AnnualReport().render(Documents(services, masked=masked).annual_report(year, today=today), out)


def firm_file_name(name: str, brn: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " ()-_" else "_" for ch in name).strip()
    return f"기업별지원현황_{safe}_{format_brn(brn)}.pdf"


def render_firm_batch(services: Any, firm_ids: list[str], out: Path, *, combined: bool,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """All firms' summaries: one PDF per firm in the folder `out`, or one combined PDF at `out`.

    Pages are rendered into a scratch folder and moved into place only when all are done, so a
    cancel or an error leaves nothing behind.
    """
    out = Path(out)
    target_dir = out.parent if combined else out
    target_dir.mkdir(parents=True, exist_ok=True)
    documents, renderer = Documents(services), FirmSummary()
    sweep_leftovers(target_dir)  # scratch folders of batches killed before
    with tempfile.TemporaryDirectory(prefix=".batch-", dir=target_dir) as scratch:
        parts: list[tuple[Path, str]] = []
        for done, firm_id in enumerate(firm_ids):
            if cancelled and cancelled():
                raise Cancelled()
            data = documents.firm_summary(firm_id)
            name = firm_file_name(data.detail.firm.name, data.detail.firm.brn)
            part = Path(scratch) / f"{done:05d}.pdf"
            renderer.write(data, str(part))
            parts.append((part, name))
            if progress:
                progress(done + 1, len(firm_ids))
        if cancelled and cancelled():
            raise Cancelled()
        if combined:
            writer = PdfWriter()
            for part, _name in parts:
                writer.append(str(part))
            with atomic_write(out) as handle:
                writer.write(handle)
            return [out]
        results = []
        for part, name in parts:
            private_mode(part)
            os.replace(part, target_dir / name)
            results.append(target_dir / name)
        fsync_folder(target_dir)
        return results
