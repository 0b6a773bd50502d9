"""Rendering entry points for the GUI, the CLI and the self-test. Every file (PDF, or HWPX for an
.hwpx name) is written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.progress import Cancelled as Cancelled  # a batch stopped by 취소
from boeun_desk.progress import Progress
from boeun_desk.reports import blocks as b
from boeun_desk.reports.annual_report import AnnualReport
from boeun_desk.reports.base import write_pdf
from boeun_desk.reports.budget import BudgetExecutionReport
from boeun_desk.reports.certifications import CertificationSummary
from boeun_desk.reports.combined import CombinedCanvas
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.reports.format import day_text
from boeun_desk.reports.indicators import IndicatorAchievementReport
from boeun_desk.reports.matches import MatchReport
from boeun_desk.reports.meeting_minutes import MeetingMinutes
from boeun_desk.reports.visit_record import VisitRecord
from boeun_desk.services.documents import Documents
from boeun_desk.services.meeting_documents import MeetingDocuments
from boeun_desk.storage.files import atomic_write, fsync_folder, private_mode, sweep_leftovers
from boeun_desk.validation import format_brn

# `today` (default: the real today) dates the print and counts days to expiry and due dates.

# `masked` makes the handout variant (personal data masked); an `.hwpx` name writes the editable copy.
# `work`: `progress` and `cancelled` of long work (progress.py), for the HWPX copy (Renderer.render).

def render_firm_summary(services: Any, firm_id: str, out: Path, *, today: date | None = None,
                        masked: bool = False, **work: Any) -> Path:
    return FirmSummary().render(Documents(services, masked=masked).firm_summary(firm_id, today=today), out, **work)


def render_visit_record(services: Any, visit_id: str, out: Path, *, today: date | None = None,
                        masked: bool = False, **work: Any) -> Path:
    return VisitRecord().render(Documents(services, masked=masked).visit_record(visit_id, today=today), out, **work)


def render_certifications(services: Any, out: Path, firm_id: str | None = None, *,
                          today: date | None = None, masked: bool = False, **work: Any) -> Path:
    return CertificationSummary().render(Documents(services, masked=masked).certifications(firm_id, today=today),
                                         out, **work)


def render_annual_report(services: Any, year: int, out: Path, *, today: date | None = None,
                         masked: bool = False, **work: Any) -> Path:
    return AnnualReport().render(Documents(services, masked=masked).annual_report(year, today=today), out, **work)


def render_indicator_report(services: Any, year: int, out: Path, *, today: date | None = None,
                            masked: bool = False, **work: Any) -> Path:
    return IndicatorAchievementReport().render(Documents(services, masked=masked).indicator_report(year, today=today),
                                               out, **work)


def render_budget_report(services: Any, year: int, out: Path, *, today: date | None = None,
                         masked: bool = False, **work: Any) -> Path:
    return BudgetExecutionReport().render(Documents(services, masked=masked).budget_report(year, today=today), out, **work)


def render_meeting_minutes(services: Any, meeting_id: str, out: Path, *, today: date | None = None,
                           masked: bool = False, **work: Any) -> Path:
    return MeetingMinutes().render(MeetingDocuments(services, masked=masked).minutes(meeting_id, today=today), out, **work)


def render_matches(services: Any, year: int, out: Path, *, today: date | None = None,
                   masked: bool = False, **work: Any) -> Path:
    return MatchReport().render(MeetingDocuments(services, masked=masked).matches(year, today=today), out, **work)


def firm_file_name(name: str, brn: str, suffix: str = ".pdf") -> str:
    safe = "".join(ch if ch.isalnum() or ch in " ()-_" else "_" for ch in name).strip()
    return f"기업별지원현황_{safe}_{format_brn(brn)}{suffix}"


def combined_firm_summaries(services: Any, firm_ids: list[str], out: Path, *, masked: bool = False,
                            today: date | None = None, progress: Progress | None = None,
                            cancelled: Callable[[], bool] | None = None) -> Path:
    """Every firm's summary in one document: a cover, a contents page with the page each firm starts
    on, continuous page numbers, the font embedded once, title/author/subject metadata. Progress
    counts the firms twice: gathered, then drawn; a cancel leaves no file."""
    documents, renderer = Documents(services, masked=masked), FirmSummary()
    total = 2 * len(firm_ids)
    body: list[b.Block] = []
    parts: list[b.Part] = []
    for done, firm_id in enumerate(firm_ids, start=1):
        if cancelled and cancelled():
            raise Cancelled()
        data = documents.firm_summary(firm_id, today=today)
        part = b.Part(firm_id, data.detail.firm.name)
        parts.append(part)
        body += [part, *renderer.document(data).blocks]
        if progress:
            progress(done, total)
    settings = documents.settings()
    when = today or date.today()
    title = t("기업별 지원현황 모음")
    facts = tuple((label, value) for label, value in (
        (t("사업명"), documents.program_name()), (t("대상"), t("{n}개사", n=len(parts))),
        (t("작성기관"), " ".join(x for x in (settings.organisation, settings.department) if x)),
        (t("작성자"), settings.author), (t("작성일"), day_text(when))) if value)
    document = b.Document(
        title=t("{title} (배포용)", title=title) if masked else title, header=documents.program_name(), printed=when,
        blocks=(b.Title(title, documents.program_name()), b.Fields(facts, columns=1), b.PageBreak(),
                b.Heading(t("목차")), b.Contents(tuple(parts)), *body),
        author=" ".join(x for x in (settings.organisation, settings.department, settings.author) if x),
        subject=documents.program_name(), keywords=(title,))
    drawn = [len(firm_ids)]

    def on_part(_part: b.Part) -> None:
        if cancelled and cancelled():
            raise Cancelled()
        drawn[0] += 1
        if progress:
            progress(min(drawn[0], total), total)

    def saving(done: int, steps: int, *, stage: str = "", stoppable: bool = True) -> None:
        """The HWPX writer's own steps: its parts are counted by on_part; its save, the last and
        unstoppable step, is said as such."""
        if progress and (stage or done == steps):
            progress(total if done == steps else total - 1, total, stage=stage, stoppable=stoppable)

    with atomic_write(out) as handle:
        if Path(out).suffix.lower() == ".hwpx":  # the editable copy: 한글 numbers the pages itself
            from boeun_desk.reports.hwpx import write_hwpx

            write_hwpx(document, handle, progress=saving, cancelled=cancelled, on_part=on_part)
        else:
            write_pdf(document, handle, canvas_class=CombinedCanvas, on_part=on_part)
    return out


def render_firm_batch(services: Any, firm_ids: list[str], out: Path, *, combined: bool, masked: bool = False,
                      progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None, hwpx: bool = False) -> list[Path]:
    """All firms' summaries: one PDF (HWPX with `hwpx`) per firm in the folder `out`, or one combined
    document at `out` (HWPX for an .hwpx name).

    Files are rendered into a scratch folder (or file) and moved into place only when all are done,
    so a cancel or an error leaves nothing behind.
    """
    out = Path(out)
    target_dir = out.parent if combined else out
    target_dir.mkdir(parents=True, exist_ok=True)
    if combined:
        return [combined_firm_summaries(services, firm_ids, out, masked=masked, progress=progress,
                                        cancelled=cancelled)]
    documents, renderer = Documents(services, masked=masked), FirmSummary()
    sweep_leftovers(target_dir)  # scratch folders of batches killed before
    with tempfile.TemporaryDirectory(prefix=".batch-", dir=target_dir) as scratch:
        parts: list[tuple[Path, str]] = []
        for done, firm_id in enumerate(firm_ids):
            if cancelled and cancelled():
                raise Cancelled()
            data = documents.firm_summary(firm_id)
            suffix = ".hwpx" if hwpx else ".pdf"
            name = firm_file_name(data.detail.firm.name, data.detail.firm.brn, suffix)
            part = Path(scratch) / f"{done:05d}{suffix}"
            renderer.write(data, str(part), hwpx=hwpx)
            parts.append((part, name))
            if progress:
                progress(done + 1, len(firm_ids))
        if cancelled and cancelled():
            raise Cancelled()
        results = []
        for part, name in parts:
            private_mode(part)
            os.replace(part, target_dir / name)
            results.append(target_dir / name)
        fsync_folder(target_dir)
        return results
