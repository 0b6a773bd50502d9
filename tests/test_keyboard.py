"""The keyboard is enough (issue 15, item 3): Tab leaves a list for its buttons, Enter or F2 opens
the selected record, Delete moves it to the 휴지통 after the question, Ctrl+N makes a new one,
Ctrl+F goes to the search box, and after a form or a question the focus is back on the list.
Escape closes a form nothing was typed into (item 6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.conftest import Answers


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def back_on(qtbot, widget: QWidget) -> None:
    """The focus is back on `widget` once its window is active again after a dialog (the window
    manager's part, which the offscreen platform leaves to the test)."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: focused() is widget)


def show_list(window, key: str):
    """The list screen of `key` on screen (its page chosen, its tab current)."""
    from boeun_desk.ui.main_window import PAGES

    screen = window.screen(key)
    window.go(next(page for page, _label, specs in PAGES if key in specs))
    tabs = screen.parentWidget().parentWidget()
    if hasattr(tabs, "setCurrentWidget"):
        tabs.setCurrentWidget(screen)
    assert screen.isVisible()
    return screen


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as a person would."""
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def in_dialog(qtbot, steps: Callable[[QDialog], None], failures: list[BaseException]) -> None:
    """Run `steps` in the modal dialog about to open (its exec() holds the test until it closes);
    a failed step closes the dialog so the test ends and reports it."""
    def run() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, QDialog), dialog
            qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.isAncestorOf(focused()))
            steps(dialog)
        except BaseException as error:  # noqa: BLE001 (reported after the dialog closed)
            failures.append(error)
        if dialog is not None and dialog.isVisible():
            failures.append(AssertionError("the dialog was left open"))
            dialog.done(0)
    QTimer.singleShot(0, run)


@pytest.fixture
def shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_tab_leaves_the_list_for_its_buttons_and_ctrl_f_goes_to_the_search(shown, qtbot):
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 기업
    screen = shown.screen("firms")
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is screen.search
    while focused() is not screen.view:
        press(qtbot, Qt.Key.Key_Tab)
    assert screen.selected_id() == screen.model.id_at(0)  # tabbed into: the first record is chosen
    press(qtbot, Qt.Key.Key_Down)
    assert screen.selected_id() == screen.model.id_at(1)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is screen.add_button  # not the next cell
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is screen.edit_button


def test_add_edit_and_delete_by_keys_alone(context, shown, qtbot):
    failures: list[BaseException] = []
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    screen = shown.screen("firms")
    before = screen.model.rowCount()

    def new_firm(form: QDialog) -> None:
        assert focused() is form.editors["name"]
        type_text(qtbot, "Keyboard Foods")
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is form.editors["brn"]
        type_text(qtbot, "1248100998")
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # 저장

    in_dialog(qtbot, new_firm, failures)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # 새로 만들기
    assert not failures, failures
    [firm] = context.services.firms.list(search="Keyboard Foods")
    assert firm.brn == "1248100998" and screen.model.rowCount() == before + 1
    back_on(qtbot, screen.view)
    assert screen.selected_id() == firm.id  # back on the list, on the new one

    def phone(form: QDialog) -> None:
        assert form.editors["name"].text() == "Keyboard Foods"
        while focused() is not form.editors["phone"]:
            press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "0435441234")
        assert focused().text() == "043-544-1234"  # grouped as typed (item 8)
        press(qtbot, Qt.Key.Key_Return)  # the form's default button: 저장

    for key in (Qt.Key.Key_Return, Qt.Key.Key_F2):  # Enter opens the record, and so does F2
        in_dialog(qtbot, phone, failures)
        press(qtbot, key)
        assert not failures, failures
        assert context.services.firms.get(firm.id).phone == "043-544-1234"
        back_on(qtbot, screen.view)
        context.services.firms.update(firm.id, {"phone": ""})

    context.ask = Answers("yes")
    press(qtbot, Qt.Key.Key_Delete)
    assert context.ask.asked == ["삭제 확인: 기업 'Keyboard Foods'를 휴지통으로 옮길까요? (실행 취소 가능)"]
    assert screen.model.row_of(firm.id) == -1 and context.services.firms.list(search="Keyboard Foods") == []
    back_on(qtbot, screen.view)
    assert screen.selected_id()  # the next record, for the next key
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # 실행 취소
    assert screen.model.row_of(firm.id) >= 0


@pytest.mark.parametrize("kind", ["matches", "cases", "visits", "certifications", "firms"])
def test_escape_closes_a_form_nothing_was_typed_into(context, shown, qtbot, kind):
    failures: list[BaseException] = []
    context.ask = Answers()
    screen = show_list(shown, kind)
    closed: list[int] = []

    def escape(form: QDialog) -> None:
        form.finished.connect(closed.append)
        press(qtbot, Qt.Key.Key_Escape)

    in_dialog(qtbot, escape, failures)
    screen.add()
    assert not failures, failures
    assert closed == [QDialog.DialogCode.Rejected] and context.ask.asked == []  # nothing asked
    back_on(qtbot, screen.view)


def test_escape_on_a_form_with_typing_still_asks(context, shown, qtbot):
    failures: list[BaseException] = []
    context.ask = Answers("discard")
    screen = show_list(shown, "matches")

    def type_then_escape(form: QDialog) -> None:
        form.editors["occasion"].setFocus()
        type_text(qtbot, "expo")
        press(qtbot, Qt.Key.Key_Escape)

    in_dialog(qtbot, type_then_escape, failures)
    screen.add()
    assert not failures, failures
    assert context.ask.asked == ["저장하지 않은 내용: 입력한 내용을 저장할까요?"]
