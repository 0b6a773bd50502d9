"""The self-test passes from source and reports each step."""

from __future__ import annotations

from boeun_desk.selftest import run_self_test


def test_self_test_passes_and_names_each_step(qapp):
    lines: list[str] = []
    assert run_self_test(lines.append) == 0
    text = "\n".join(lines)
    for step in ("database", "demo data", "Hangul font", "documents", "batch on worker processes", "Qt main window"):
        assert f"ok   {step}" in text
    assert text.endswith("self-test passed")


def test_self_test_reports_a_missing_font(qapp, monkeypatch, tmp_path):
    from boeun_desk import selftest

    monkeypatch.setattr(selftest, "resource", lambda *parts: tmp_path.joinpath(*parts))
    lines: list[str] = []
    assert run_self_test(lines.append) == 1
    assert any(line.startswith("  FAIL Hangul font") for line in lines)
