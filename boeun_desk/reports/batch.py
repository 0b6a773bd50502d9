"""Every firm's summary at once: one file per firm in a folder (drawn on worker processes, one per
core), or one combined document (a cover, contents with start pages, continuous page numbers).

A firm whose document fails is skipped and named with the reason; the others are saved. Files are
drawn into a scratch folder and moved into place only when all are done, so 취소 or an error
leaves nothing behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from boeun_desk.i18n import language, t
from boeun_desk.progress import Cancelled, Progress, stop_if
from boeun_desk.reports import blocks as b
from boeun_desk.reports import pool, worker
from boeun_desk.reports.base import flowables, register_fonts, write_pdf
from boeun_desk.reports.combined import CombinedCanvas
from boeun_desk.reports.firm_summary import FirmSummary
from boeun_desk.reports.format import day_text
from boeun_desk.services.base import NotFound
from boeun_desk.services.documents import Documents, FirmSummaryData
from boeun_desk.services.queries import firm_not_found
from boeun_desk.storage.files import atomic_write, fsync_folder, private_mode, sweep_leftovers
from boeun_desk.validation import InvalidValue, format_brn

# Fewer firms than this are drawn in the caller's process: a worker's start (a new Python with
# ReportLab and the fonts: ~0.3 s of CPU, its first document ~0.5 s after the start) costs more than
# two cores save on a few documents (~28 ms of CPU a firm in one process, ~14 ms a firm on two; it was
# ~38 and ~20 when this was set: cheaper documents move the break-even up, not re-measured since).
SMALLEST_POOL = 24
GATHERED_AT_ONCE = 20  # firms whose data a batch gathers with one round of queries (more save no more)
# The most firms one combined HWPX takes: python-hwpx refuses to save a part over 64 MiB, which 500
# firm summaries of the benchmark's file passed (74 MB, after a minute and 2.5 GB); 250 took 2.3 GB.
COMBINED_HWPX_MOST = 300


@dataclass(frozen=True)
class SkippedFirm:
    firm_id: str
    name: str
    reason: str  # Korean, for the officer


@dataclass(frozen=True)
class BatchResult:
    """The files saved (in the firms' order) and the firms whose document could not be made."""

    paths: tuple[Path, ...]
    skipped: tuple[SkippedFirm, ...] = ()


# The firm's name in a file name is cut to this many characters: a name may be 200 characters long,
# a file name at most 255 bytes (Linux, macOS: 85 Hangul syllables) and, on Windows, the whole path
# 260 characters; the BRN beside it keeps two firms' files apart.
NAME_IN_FILE = 50


def firm_file_name(name: str, brn: str, suffix: str = ".pdf") -> str:
    safe = "".join(ch if ch.isalnum() or ch in " ()-_" else "_" for ch in name).strip()[:NAME_IN_FILE].rstrip()
    return f"기업별지원현황_{safe}_{format_brn(brn)}{suffix}"


def render_firm_batch(services: Any, firm_ids: list[str], out: Path, *, combined: bool, masked: bool = False,
                      progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                      hwpx: bool = False, workers: int | None = None) -> BatchResult:
    """All firms' summaries: one PDF (HWPX with `hwpx`) per firm in the folder `out`, or one combined
    document at `out` (HWPX for an .hwpx name). `workers`: processes to draw on (0: this one;
    None: one per core for a batch worth it)."""
    out = Path(out)
    try:
        if combined:
            out.parent.mkdir(parents=True, exist_ok=True)
            skipped = combined_firm_summaries(services, firm_ids, out, masked=masked, progress=progress,
                                              cancelled=cancelled)
            return BatchResult((out,), skipped)
        return _firm_files(services, firm_ids, out, masked=masked, progress=progress, cancelled=cancelled,
                           hwpx=hwpx, workers=workers)
    except OSError as error:
        # A full disk names no file (the document's own write fails), a scratch file means nothing to
        # the officer: either is said of what was chosen, the folder or the combined file.
        if not error.filename or SCRATCH in str(error.filename):
            error.filename = str(out)
        raise


def each_firm_data(documents: Documents, firm_ids: list[str], *, today: date | None = None
                   ) -> Iterator[tuple[int, str, FirmSummaryData | Exception]]:
    """Each firm's data in order, or why there is none (NotFound: deleted since the batch started).
    GATHERED_AT_ONCE firms are gathered with one round of queries: firm by firm, making the queries
    took ~6 ms a firm, 20 at a time ~1 ms. Should a round fail, its firms are gathered one by one,
    so that only the firm whose data cannot be read is without."""
    for start in range(0, len(firm_ids), GATHERED_AT_ONCE):
        chunk = firm_ids[start:start + GATHERED_AT_ONCE]
        try:
            found: dict[str, FirmSummaryData] | None = documents.firm_summaries(chunk, today=today)
        except Exception:
            found = None
        for offset, firm_id in enumerate(chunk):
            data: FirmSummaryData | Exception
            if found is not None:
                data = found[firm_id] if firm_id in found else firm_not_found(firm_id)
            else:
                try:
                    data = documents.firm_summary(firm_id, today=today)
                except Exception as error:
                    data = error
            yield start + offset, firm_id, data


SCRATCH = ".batch-"  # the prefix of a batch's scratch folder in the target folder (storage.files.LEFTOVERS)


def _firm_files(services: Any, firm_ids: list[str], target_dir: Path, *, masked: bool, progress: Progress | None,
                cancelled: Callable[[], bool] | None, hwpx: bool, workers: int | None) -> BatchResult:
    target_dir.mkdir(parents=True, exist_ok=True)
    documents, renderer = Documents(services, masked=masked), FirmSummary()
    suffix = ".hwpx" if hwpx else ".pdf"
    sweep_leftovers(target_dir)  # scratch folders of batches killed before
    with tempfile.TemporaryDirectory(prefix=SCRATCH, dir=target_dir) as scratch:
        names: dict[int, tuple[str, str]] = {}  # position -> (firm name, file name)

        def jobs() -> Iterator[Any]:
            """Each firm's document, gathered and laid out in blocks here (workers never open the
            database): workers only draw."""
            for position, _firm_id, data in each_firm_data(documents, firm_ids):
                if isinstance(data, NotFound):  # deleted since the batch started
                    yield pool.Skip(str(data))
                    continue
                if isinstance(data, Exception):
                    raise data
                firm = data.detail.firm
                names[position] = (firm.name, firm_file_name(firm.name, firm.brn, suffix))
                try:
                    document = renderer.document(data)
                except Exception as error:  # this firm's document only: the batch goes on
                    yield pool.Skip(pool.failure_reason(error))
                    continue
                yield document, str(Path(scratch) / f"{position:05d}{suffix}"), hwpx

        count = pool.workers_for(len(firm_ids), SMALLEST_POOL) if workers is None else workers
        failures = pool.run_jobs(worker.write, jobs(), len(firm_ids), workers=count,
                                 initializer=worker.start, initargs=(language(),),
                                 progress=progress, cancelled=cancelled)
        if cancelled and cancelled():
            raise Cancelled()
        paths = []
        for position in range(len(firm_ids)):
            if position in failures:
                continue
            part, name = Path(scratch) / f"{position:05d}{suffix}", target_dir / names[position][1]
            private_mode(part)
            try:
                os.replace(part, name)
            except (PermissionError, IsADirectoryError):  # this file only: open in a viewer on Windows
                failures[position] = t("같은 이름의 파일을 바꿀 수 없습니다. 다른 프로그램에서 열려 있으면 "
                                       "닫고 다시 출력하세요")
                continue
            paths.append(name)
        fsync_folder(target_dir)
    known = services.firms.names() if failures else {}
    skipped = tuple(SkippedFirm(firm_ids[i], names[i][0] if i in names else known.get(firm_ids[i], firm_ids[i]),
                                reason) for i, reason in sorted(failures.items()))
    return BatchResult(tuple(paths), skipped)


def combined_firm_summaries(services: Any, firm_ids: list[str], out: Path, *, masked: bool = False,
                            today: date | None = None, progress: Progress | None = None,
                            cancelled: Callable[[], bool] | None = None) -> tuple[SkippedFirm, ...]:
    """Every firm's summary in one document: a cover, a contents page with the page each firm starts
    on, continuous page numbers, the font embedded once, title/author/subject metadata. A firm whose
    summary cannot be made is left out and returned with the reason (as a folder batch does).
    Progress counts the firms once a stage, each stage named: gathered, laid out (PDF), drawn;
    취소 is looked at once a firm in each; a cancel leaves no file."""
    documents, renderer = Documents(services, masked=masked), FirmSummary()
    hwpx = Path(out).suffix.lower() == ".hwpx"
    if hwpx and len(firm_ids) > COMBINED_HWPX_MOST:  # said at once, not after minutes and gigabytes
        raise InvalidValue(t("한글 문서(HWPX) 한 파일에는 기업 {most}개까지 담을 수 있습니다(지금 {n}개). "
                             "PDF로 저장하세요: PDF는 기업 수에 제한이 없습니다.", most=COMBINED_HWPX_MOST,
                             n=f"{len(firm_ids):,}"))
    drawing = t("문서를 만드는 중")
    gathered: list[tuple[int, b.Part, list[b.Block]]] = []
    skipped: dict[int, SkippedFirm] = {}
    for position, firm_id, data in each_firm_data(documents, firm_ids, today=today):
        stop_if(cancelled)
        name = firm_id
        try:
            if isinstance(data, Exception):
                raise data
            name = data.detail.firm.name
            gathered.append((position, b.Part(firm_id, name), list(renderer.document(data).blocks)))
        except NotFound as error:  # deleted since the batch started
            skipped[position] = SkippedFirm(firm_id, name, str(error))
        except Exception as error:  # this firm's document only: the others go on
            skipped[position] = SkippedFirm(firm_id, name, pool.failure_reason(error))
        if progress:
            progress(position + 1, len(firm_ids), stage=t("기업 자료를 모으는 중"))
    drawn = [0]

    def on_part(_part: b.Part) -> None:
        stop_if(cancelled)
        drawn[0] += 1
        if progress:
            progress(min(drawn[0], len(parts)), len(parts), stage=drawing)

    # A PDF's flowables, firm by firm: a firm whose tables cannot be made is left out here too.
    story: list[Any] = []
    kept = gathered
    if not hwpx:
        register_fonts()
        kept = []
        for done, (position, part, blocks) in enumerate(gathered, start=1):
            stop_if(cancelled)
            try:
                story += flowables([part, *blocks], None, on_part)
                kept.append((position, part, blocks))
            except Exception as error:
                skipped[position] = SkippedFirm(part.key, part.title, pool.failure_reason(error))
            if progress:
                progress(done, len(gathered), stage=t("내용을 배치하는 중"))
    stop_if(cancelled)
    parts = [part for _position, part, _blocks in kept]
    body = [block for _position, part, blocks in kept for block in (part, *blocks)]
    settings = documents.settings()
    when = today or date.today()
    title = t("기업별 지원현황 모음")
    facts = tuple((label, value) for label, value in (
        (t("사업명"), documents.program_name()), (t("대상"), t("{n}개사", n=len(parts))),
        (t("작성기관"), " ".join(x for x in (settings.organisation, settings.department) if x)),
        (t("작성자"), settings.author), (t("작성일"), day_text(when))) if value)
    front = (b.Title(title, documents.program_name()), b.Fields(facts, columns=1), b.PageBreak(),
             b.Heading(t("목차")), b.Contents(tuple(parts)))
    document = b.Document(
        title=t("{title} (배포용)", title=title) if masked else title, header=documents.program_name(), printed=when,
        blocks=(*front, *body),
        author=" ".join(x for x in (settings.organisation, settings.department, settings.author) if x),
        subject=documents.program_name(), keywords=(title,))

    def saving(done: int, steps: int, *, stage: str = "", stoppable: bool = True) -> None:
        """The HWPX writer's own steps: its parts are counted by on_part; its save, the last and
        unstoppable step, is said as such."""
        if progress and (stage or done == steps):
            progress(len(parts) if done == steps else max(len(parts) - 1, 0), len(parts),
                     stage=stage or drawing, stoppable=stoppable)

    with atomic_write(out) as handle:
        if hwpx:  # the editable copy: 한글 numbers the pages itself
            from boeun_desk.reports.hwpx import write_hwpx

            write_hwpx(document, handle, progress=saving, cancelled=cancelled, on_part=on_part)
        else:
            story[:0] = flowables(front)  # the same list: ReportLab lets go of each flowable as it is drawn
            write_pdf(document, handle, canvas_class=CombinedCanvas, story=story)
    return tuple(skipped[position] for position in sorted(skipped))
