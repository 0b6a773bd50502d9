"""The window's start on a file that cannot even be looked at: told in Korean and closed with exit
code 1, as the command line does (not an unexpected-error box over a window that never loads)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_a_database_name_too_long_to_look_at_is_told_and_the_window_closes(qtbot, tmp_path, monkeypatch):
    from boeun_desk import app

    target = tmp_path / ("가" * 120 + ".sqlite3")  # 360 bytes: longer than a file name may be (ENAMETOOLONG)
    told: list[tuple[str, str]] = []

    def ask(parent, title, text, **kwargs):
        told.append((title, text))
        if "예기치 않은" in text:  # the error escaped to the window's last resort: end the test's loop
            QApplication.instance().exit(99)
        return "ok"

    monkeypatch.setattr(app, "ask", ask)
    monkeypatch.setenv(app.QUIT_WHEN_READY, "1")
    assert app.run(target) == 1
    assert len(told) == 1
    title, text = told[0]
    assert title == "데이터베이스를 열 수 없습니다" and "파일을 읽거나 쓸 수 없습니다" in text
