"""Warnings before the save, and errors that go once put right (issue 15, item 5).

The rules decide (services: `preview()` is the save's own check, writing nothing); the form asks
저장 / 돌아가기 before anything is written, and an error label goes when its field is corrected."""

from __future__ import annotations

import pytest

from boeun_desk.ui.form_logic import FormLogic
from boeun_desk.ui.specs import SPECS
from boeun_desk.validation import ValidationFailed, grant_share_warning


class Asked:
    """The ask() seam: records title, text and buttons; answers from a script."""

    def __init__(self, *answers: str):
        self.answers, self.asked = list(answers), []

    def __call__(self, _parent, title, text, *, buttons=("yes", "no"), icon="question") -> str:
        self.asked.append((title, text, buttons))
        return self.answers.pop(0) if self.answers else buttons[-1]


def over_the_share(services) -> dict:
    """A new case whose grant is 90.7% of its total (the type allows 80%)."""
    year = max(services.program_years.list(), key=lambda y: y.year)
    kind = next(k for k in services.support_types.list() if k.grant_share_percent == 80)
    firm = services.firms.list()[0]
    return {"firm_id": firm.id, "program_year_id": year.id, "support_type_id": kind.id, "title": "품질개선",
            "grant_national": "8,000,000", "grant_provincial": "2,350,000", "grant_county": "1,420,000",
            "firm_cash": "1,200,000"}


def test_the_share_warning_names_the_whole_grant_and_its_figures():
    text = grant_share_warning(11_770_000, 1_200_000, 80, "제품개선지원")
    assert text == ("국비·도비·군비를 합한 정부지원금 11,770,000원이 총사업비 12,970,000원의 90.7%로, "
                    "지원유형 '제품개선지원'의 기준 80%를 넘습니다")
    assert grant_share_warning(800, 200, 80) is None and grant_share_warning(0, 0, 80) is None


def test_preview_decides_the_warnings_without_writing(context):
    services = context.services
    data = over_the_share(services)
    before = len(services.cases.list())
    [warning] = services.cases.preview(data)
    assert warning.warning and str(warning).startswith("정부지원금 비율: 국비·도비·군비를 합한")
    assert len(services.cases.list()) == before  # nothing written
    with pytest.raises(ValidationFailed, match="종료일"):
        services.cases.preview({**data, "start_date": "2025-06-01", "end_date": "2025-05-01"})
    case = services.cases.create({**data, "grant_national": "100"})
    assert services.cases.preview({"grant_national": "8,000,000"}, case.id)  # an edit: with the stored fields
    logic = FormLogic(context, SPECS["cases"])  # the form's plain class asks the same
    assert [w.message for w in logic.warnings(data)] == [warning.message]


@pytest.mark.parametrize("answer", ["back", "save"])
def test_the_form_asks_before_saving_and_back_keeps_it_open(context, window, qtbot, answer):
    services = context.services
    screen = window.screen("cases")
    form = screen.form()
    qtbot.addWidget(form)
    form.show()
    for name, value in over_the_share(services).items():
        from boeun_desk.ui.editors import write_editor

        write_editor(form.editors[name], value)
    before = len(services.cases.list())
    context.ask = Asked(answer)
    assert form.save() is (answer == "save")
    [(title, text, buttons)] = context.ask.asked  # asked once, before; no "saved (check)" after
    assert (title, buttons) == ("저장하기 전에 확인하세요", ("save", "back"))
    assert "정부지원금 비율: 국비·도비·군비를 합한 정부지원금 11,770,000원이 총사업비 12,970,000원의 90.7%" in text
    if answer == "back":
        assert len(services.cases.list()) == before and form.isVisible()
        assert "저장하지 않았습니다" in form.message.text() and "90.7%" in form.message.text()
        assert form.editors["grant_national"].text() == "8,000,000"  # what was typed stays
    else:
        assert len(services.cases.list()) == before + 1 and not form.isVisible()


def test_the_real_question_has_save_and_back(qapp, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    from boeun_desk.ui.context import ask

    boxes: list[QMessageBox] = []

    def escape(box: QMessageBox) -> QMessageBox.StandardButton:  # the officer presses Escape
        boxes.append(box)
        box.show()
        QTest.keyClick(box, Qt.Key.Key_Escape)
        return box.standardButton(box.clickedButton())

    monkeypatch.setattr(QMessageBox, "exec", escape)
    assert ask(None, "저장하기 전에 확인하세요", "…", buttons=("save", "back"), icon="warning") == "back"
    assert sorted(b.text() for b in boxes[0].buttons()) == ["돌아가기", "저장"]


def test_an_error_goes_once_its_field_is_put_right(context, window, qtbot):
    screen = window.screen("cases")
    form = screen.form()
    qtbot.addWidget(form)
    form.show()
    data = {**over_the_share(context.services), "grant_national": "100", "title": "",
            "start_date": "2025-06-01", "end_date": "2025-05-01"}
    from boeun_desk.ui.editors import write_editor

    for name, value in data.items():
        write_editor(form.editors[name], value)
    assert form.save() is False
    title = form.errors["title"]
    assert title.isVisible() and "필수" in title.text()
    form.editors["title"].setText("품질개선")
    assert not title.isVisible()
    assert form.save() is False  # now the dates: the end before the start
    end = form.errors["end_date"]
    assert end.isVisible() and "종료일이 시작일보다 빠릅니다" in end.text()
    form.editors["start_date"].setText("20250401")  # put right on the other field: the error goes too
    assert not end.isVisible() and form.message.text() == ""
    form.editors["end_date"].setText("2025-13-01")  # a new mistake is told on saving, not while typing
    assert not end.isVisible()


def test_an_error_the_database_found_goes_once_the_field_changes(context, window, qtbot):
    taken = context.services.firms.list()[0]
    form = window.screen("firms").form()
    qtbot.addWidget(form)
    form.show()
    form.editors["name"].setText("새 기업")
    form.editors["brn"].setText(taken.brn)
    assert form.save() is False
    error = form.errors["brn"]
    assert error.isVisible() and "이미 등록된" in error.text()
    form.editors["name"].setText("새 기업 2")  # another field: the number is still taken
    assert error.isVisible()
    form.editors["brn"].setText("124-81-00998")
    assert not error.isVisible()
