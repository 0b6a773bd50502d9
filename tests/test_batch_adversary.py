"""A reviewer's attacks on the firm batch: names no file system takes as they are, twins, the command
line's progress line and Ctrl+C, what a worker may answer, the pipe a waiting job sits in, a file that
cannot be replaced and a full disk."""

from __future__ import annotations

import errno
import pickle
import signal
import sqlite3
import subprocess
import sys
from multiprocessing import connection

import pytest

from boeun_desk.cli import main
from boeun_desk.reports import api, pool, worker
from boeun_desk.validation import brn_check_digit
from tests import pool_jobs

FORBIDDEN = set('/\\:*?"<>|') | {chr(c) for c in range(32)}


def brn(n: int) -> str:
    first9 = f"{124810500 + n:09d}"
    return first9 + str(brn_check_digit(first9))


def test_long_odd_and_twin_names_each_get_their_own_file(demo, demo_path, tmp_path):
    names = ["농업회사법인" * 33 + "가a",  # 200 characters, the longest a name may be: 600 bytes in UTF-8
             'a/b\\c:d*e?f"g<h>i|j', "보은동명기업", "보은동명기업", "대추 가공"]
    ids = [demo.firms.create({"name": name, "brn": brn(n)}).id for n, name in enumerate(names)]
    with sqlite3.connect(demo_path) as conn:  # control characters, as an older version may have stored them
        conn.execute("UPDATE firm SET name = ? WHERE id = ?", ("\x1b[31m빨강\t\n", ids[4]))
    result = api.render_firm_batch(demo, ids, tmp_path / "out", combined=False, workers=2)
    assert not result.skipped and len({p.name for p in result.paths}) == 5
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in result.paths)
    for path in result.paths:  # 255 bytes is the most Linux and macOS take; Windows counts the whole path
        assert len(path.name.encode()) <= 255 and len(path.name) <= 100 and not FORBIDDEN & set(path.name)
    assert result.paths[0].name.startswith("기업별지원현황_농업회사법인농업회사법인")


def test_the_command_lines_count_overwrites_itself(demo_path, tmp_path, capsys):
    assert main(["--db", str(demo_path), "report", "firm", "--all", "-o", str(tmp_path / "firms")]) == 0
    err = capsys.readouterr().err
    assert "\ufffd" not in err and "\r출력 중 1/22\r출력 중 2/22" in err and err.endswith("\r출력 중 22/22\n")


def test_a_workers_answer_fits_any_pipe_and_says_why_briefly():
    """A worker that blocked on its answer while the caller waits to hand it the next job (a Windows
    named pipe holds 8 KB) would hang the batch: the reason is cut, on the workers as here."""
    reason = pool.failure_reason(ValueError("가" * 100_000))
    assert reason.startswith("문서를 만들지 못했습니다 (ValueError: 가가가") and reason.endswith("…)")
    assert len(pickle.dumps((99_999, reason), protocol=pickle.HIGHEST_PROTOCOL)) < connection.BUFSIZE // 2
    failures = pool.run_jobs(pool_jobs.fails_at_length, range(4), 4, workers=2)
    assert list(failures) == [1] and failures[1] == reason


def test_a_waiting_job_fits_the_pipe_it_waits_in():
    """Off Linux a job larger than the pipe's buffer would hold this process until the worker read it
    (multiprocessing's named pipes hold BUFSIZE on Windows, Unix sockets 8 KB on macOS)."""
    assert 4096 <= pool.queued_bytes("win32") < connection.BUFSIZE
    assert 4096 <= pool.queued_bytes("darwin") < connection.BUFSIZE
    assert pool.queued_bytes("linux") == 32 * 1024


def test_a_file_that_cannot_be_replaced_skips_its_firm_only(demo, tmp_path):
    """On Windows a PDF open in a viewer cannot be replaced (PermissionError): the batch of the others
    must not be lost for it. Here a folder stands where one firm's file goes."""
    ids = demo.firms.ids()[:4]
    first = api.render_firm_batch(demo, ids, tmp_path / "out", combined=False, workers=0)
    locked = first.paths[2]
    locked.unlink()
    locked.mkdir()
    again = api.render_firm_batch(demo, ids, tmp_path / "out", combined=False, workers=2)
    assert again.paths == first.paths[:2] + first.paths[3:]
    (skipped,) = again.skipped
    assert skipped.firm_id == ids[2] and "다른 프로그램에서 열려 있으면" in skipped.reason
    assert sorted((tmp_path / "out").iterdir()) == sorted(first.paths)  # and no scratch folder left


CTRL_C = """
import multiprocessing, os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as under a terminal (a job started in the background inherits Ctrl+C ignored)
from boeun_desk.cli import main
from boeun_desk.reports import batch
from boeun_desk.reports.firm_summary import FirmSummary

batch.SMALLEST_POOL = 2  # the demo's 22 firms on worker processes
document, laid_out = FirmSummary.document, []

def interrupted(self, data):  # the tenth firm: Ctrl+C
    laid_out.append(data)
    if len(laid_out) == 10:
        os.kill(os.getpid(), signal.SIGINT)
    return document(self, data)

FirmSummary.document = interrupted
code = main(["--db", sys.argv[1], "report", "firm", "--all", "-o", sys.argv[2]])
print(code, len(multiprocessing.active_children()))
"""


def test_ctrl_c_on_the_command_line_says_so_and_leaves_nothing(demo_path, tmp_path):
    out = tmp_path / "firms"
    ran = subprocess.run([sys.executable, "-c", CTRL_C, str(demo_path), str(out)], capture_output=True,
                         text=True, timeout=120)
    assert ran.stdout.split() == ["130", "0"]  # the exit code a shell gives Ctrl+C; every worker ended
    assert "Traceback" not in ran.stderr and ran.stderr.endswith("\nCtrl+C로 중단했습니다.\n")
    assert list(out.iterdir()) == []  # no document, no scratch folder


def test_a_full_disk_is_said_of_the_folder_chosen(demo, demo_path, monkeypatch, tmp_path, capsys):
    """The document's own write fails without naming a file: the window said "예기치 않은 오류" and
    the command line named nothing; a read-only folder named the batch's scratch folder."""
    from boeun_desk.ui.worker import error_message

    written, write = [], worker.write

    def full(job):
        written.append(job)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(job)

    monkeypatch.setattr(worker, "write", full)
    out = tmp_path / "firms"
    with pytest.raises(OSError) as raised:
        api.render_firm_batch(demo, demo.firms.ids(), out, combined=False, workers=0)
    assert error_message(raised.value) == f"파일을 읽거나 쓸 수 없습니다: {out} (디스크 공간이 부족합니다)"
    assert list(out.iterdir()) == []
    written.clear()
    assert main(["--db", str(demo_path), "report", "firm", "--all", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"\r출력 중 2/22\n파일을 읽거나 쓸 수 없습니다: [Errno 28] No space left on device: '{out}'\n")


def test_the_windows_batch_folder_is_offered_where_documents_went_and_remembered(context, window, monkeypatch,
                                                                                 tmp_path):
    from boeun_desk.ui import report_batch, save_target

    before, chosen = tmp_path / "last", tmp_path / "batch"
    before.mkdir(), chosen.mkdir()
    save_target.remember_folder(context.settings, before / "기업별지원현황_보은식품.pdf")
    offered, started = [], []
    monkeypatch.setattr(report_batch.QFileDialog, "getExistingDirectory",
                        lambda _parent, _title, folder="": offered.append(folder) or str(chosen))
    screen = window.report_screen()
    monkeypatch.setattr(screen, "start_batch", lambda folder, **_kwargs: started.append(folder))
    screen.batch()
    assert offered == [str(before)] and started == [chosen]  # not the working folder (Qt's default)
    assert save_target.save_folder(context.settings) == chosen


def test_the_window_draws_the_hwpx_batch_on_the_workers(context, window, qtbot, monkeypatch, tmp_path):
    """The command line's --format hwpx, in the window: one editable 한글 document per firm."""
    from hwpx.tools.package_validator import validate_package

    from boeun_desk.reports import batch
    from boeun_desk.ui import report_batch

    monkeypatch.setattr(batch, "SMALLEST_POOL", 2)  # the demo's 22 firms on the workers
    titles = []
    monkeypatch.setattr(report_batch.QFileDialog, "getExistingDirectory",
                        lambda _parent, title, _folder="": titles.append(title) or str(tmp_path / "out"))
    screen = window.report_screen()
    screen.batch_hwpx.setChecked(True)
    screen.batch()
    qtbot.waitUntil(lambda: "22개 파일을 저장했습니다" in screen.status.text(), timeout=60_000)
    files = sorted((tmp_path / "out").iterdir())
    assert titles == ["기업별 HWPX를 저장할 폴더"] and len(files) == 22
    assert all(f.suffix == ".hwpx" and validate_package(f).ok for f in files)


def test_workers_start_with_ctrl_c_held_and_the_callers_ctrl_c_is_not_lost():
    """Ctrl+C goes to every process of the terminal: a worker still importing printed a traceback.
    Ignoring it while a worker starts lost a Ctrl+C pressed at that moment (the batch ran on)."""
    assert pool.run_jobs(pool_jobs.ctrl_c_held_from_the_start, range(2), 2, workers=2) == {}
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    # Ctrl+C as under a terminal: a test run started in the background inherits it ignored.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), pool._ctrl_c_held():
            signal.raise_signal(signal.SIGINT)  # held while a worker starts, then delivered
    finally:
        signal.signal(signal.SIGINT, previous)
