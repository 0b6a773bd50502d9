"""A reviewer's attacks on the firm batch: names no file system takes as they are, twins, the command
line's progress line, what a worker may answer, and the pipe a waiting job sits in."""

from __future__ import annotations

import sqlite3

from boeun_desk.cli import main
from boeun_desk.reports import api
from boeun_desk.validation import brn_check_digit

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
