"""Batches on worker processes: the same files as drawn in one process, progress to the end, 취소
leaves nothing and no worker behind, a firm whose document fails is skipped and named (on the
workers and in-process), a worker that dies fails only its job, and the command line's exit code."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from boeun_desk.cli import main
from boeun_desk.progress import Cancelled
from boeun_desk.reports import api, pool
from boeun_desk.reports import blocks as b
from boeun_desk.reports.firm_summary import FirmSummary
from tests import pool_jobs


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def fail_firm(monkeypatch, name: str) -> None:
    """The named firm's document gets a photo but no way to draw it: drawing it fails (on a worker
    as much as here, since the failure travels in the document's blocks)."""
    blocks = FirmSummary.blocks

    def with_a_photo(self, data):
        out = blocks(self, data)
        if data.detail.firm.name == name:
            out.append(b.Photos((SimpleNamespace(path=None, caption="사진"),)))
        return out

    monkeypatch.setattr(FirmSummary, "blocks", with_a_photo)


def test_the_pool_writes_the_same_files_as_one_process_and_counts_to_the_end(demo, tmp_path):
    ids = demo.firms.ids()
    seen: list[tuple[int, int]] = []
    here = api.render_firm_batch(demo, ids, tmp_path / "here", combined=False, workers=0)
    pooled = api.render_firm_batch(demo, ids, tmp_path / "pool", combined=False, workers=2,
                                   progress=lambda done, total: seen.append((done, total)))
    assert [p.name for p in pooled.paths] == [p.name for p in here.paths] and len(here.paths) == 22
    assert seen[-1] == (22, 22) and [d for d, _n in seen] == list(range(1, 23))
    assert not pooled.skipped and not here.skipped
    for mine, theirs in zip(here.paths, pooled.paths, strict=True):
        assert pdf_text(mine) == pdf_text(theirs)
    assert sorted(p.name for p in (tmp_path / "pool").iterdir()) == sorted(p.name for p in pooled.paths)
    assert not multiprocessing.active_children()


def test_the_pool_draws_hwpx_too(demo, tmp_path):
    ids = demo.firms.ids()[:3]
    result = api.render_firm_batch(demo, ids, tmp_path / "hwpx", combined=False, workers=2, hwpx=True)
    assert len(result.paths) == 3 and all(p.suffix == ".hwpx" and p.stat().st_size > 0 for p in result.paths)


def test_cancel_on_the_pool_leaves_no_file_and_no_worker(demo, tmp_path):
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        api.render_firm_batch(demo, demo.firms.ids(), tmp_path / "out", combined=False, workers=2,
                              cancelled=lambda: next(calls) >= 6)
    assert list((tmp_path / "out").iterdir()) == []
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_firm_whose_document_fails_is_skipped_and_named(demo, monkeypatch, tmp_path, workers):
    ids = demo.firms.ids()
    victim = demo.firms.names()[ids[4]]
    fail_firm(monkeypatch, victim)
    result = api.render_firm_batch(demo, ids, tmp_path / "out", combined=False, workers=workers)
    assert len(result.paths) == 21 and all(victim not in p.name for p in result.paths)
    assert len(list((tmp_path / "out").iterdir())) == 21  # and no scratch folder left
    (skipped,) = result.skipped
    assert (skipped.firm_id, skipped.name) == (ids[4], victim)
    assert skipped.reason.startswith("문서를 만들지 못했습니다") and "TypeError" in skipped.reason


def test_a_document_that_cannot_be_laid_out_is_skipped_before_any_worker(demo, monkeypatch, tmp_path):
    ids = demo.firms.ids()[:3]
    victim = demo.firms.names()[ids[1]]
    document = FirmSummary.document

    def broken(self, data):
        if data.detail.firm.name == victim:
            raise ValueError("표의 칸 수가 맞지 않습니다")
        return document(self, data)

    monkeypatch.setattr(FirmSummary, "document", broken)
    result = api.render_firm_batch(demo, ids, tmp_path / "out", combined=False, workers=2)
    assert len(result.paths) == 2 and [s.name for s in result.skipped] == [victim]
    assert "표의 칸 수가 맞지 않습니다" in result.skipped[0].reason


def test_jobs_failing_or_killed_on_a_worker_fail_alone(tmp_path):
    seen: list[int] = []
    failures = pool.run_jobs(pool_jobs.fail_on_two, range(6), 6, workers=2,
                             progress=lambda done, total: seen.append(done))
    assert list(failures) == [2] and "둘째 일은 실패" in failures[2] and seen[-1] == 6
    failures = pool.run_jobs(pool_jobs.killed_on_three, range(8), 8, workers=2)
    assert list(failures) == [3] and "작업 프로세스가 멈췄습니다" in failures[3]
    assert not multiprocessing.active_children()


def test_workers_that_keep_dying_stop_the_batch_with_a_korean_error():
    with pytest.raises(pool.PoolBroken, match="거듭 멈춰"):
        pool.run_jobs(pool_jobs.always_dies, range(20), 20, workers=2)
    assert not multiprocessing.active_children()


def test_a_full_disk_stops_the_batch_rather_than_skipping_every_firm():
    with pytest.raises(OSError) as raised:
        pool.run_jobs(pool_jobs.disk_full, range(5), 5, workers=2)
    assert raised.value.errno == 28 and raised.value.filename == "/scratch/part.pdf"
    with pytest.raises(OSError):
        pool.run_jobs(pool_jobs.disk_full, range(5), 5, workers=0)


def test_the_jobs_are_taken_one_by_one_as_workers_need_them(tmp_path):
    """A bounded window: never more in flight than each worker's job and the next, and one prepared."""
    taken: list[int] = []
    finished: list[int] = []

    def jobs():
        for number in range(40):
            assert len(taken) - len(finished) <= 2 * pool.DEPTH + 1  # 2 workers: DEPTH each, and one prepared
            taken.append(number)
            yield str(tmp_path), number

    pool.run_jobs(pool_jobs.note, jobs(), 40, workers=2, progress=lambda done, total: finished.append(done))
    assert len(list(tmp_path.glob("*.txt"))) == 40 and finished[-1] == 40


def test_a_worker_loads_neither_qt_nor_the_database_layer():
    assert pool.run_jobs(pool_jobs.modules_loaded, range(2), 2, workers=1) == {}
    # and what a batch's worker imports, by itself
    code = ("import sys, boeun_desk.reports.pool, boeun_desk.reports.worker\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'sqlalchemy'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_small_batches_stay_in_process_and_large_ones_use_the_cores(monkeypatch):
    monkeypatch.setattr(pool, "available_cores", lambda: 2)
    assert pool.workers_for(5, 24) == 0 and pool.workers_for(1000, 24) == 2
    monkeypatch.setattr(pool, "available_cores", lambda: 64)
    assert pool.workers_for(1000, 24) == pool.MAX_WORKERS
    monkeypatch.setattr(pool, "available_cores", lambda: 1)
    assert pool.workers_for(1000, 24) == 0


def test_the_command_line_saves_the_others_names_the_skipped_and_exits_1(demo, demo_path, monkeypatch,
                                                                         tmp_path, capsys):
    victim = demo.firms.names()[demo.firms.ids()[0]]
    fail_firm(monkeypatch, victim)
    out = tmp_path / "firms"
    assert main(["--db", str(demo_path), "report", "firm", "--all", "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "21개 파일을 저장했습니다" in captured.out
    assert "1개 기업은 문서를 만들지 못해 건너뛰었습니다" in captured.err
    assert f"  - {victim}: 문서를 만들지 못했습니다" in captured.err and "Traceback" not in captured.err
    assert len(list(out.glob("*.pdf"))) == 21
