"""The passphrase dialog, the settings' encryption box and the sync dialog's sealed bundles."""

from __future__ import annotations

from boeun_desk.storage import cipher, convert
from boeun_desk.storage.engine import open_database
from boeun_desk.ui import passphrase_dialog
from boeun_desk.ui.context import AppContext
from boeun_desk.ui.passphrase_dialog import NEW, Entered, PassphraseDialog
from tests.test_ui import finished


def test_a_new_passphrase_needs_length_twice_the_same_and_the_warning_read(qtbot):
    dialog = PassphraseDialog(None, NEW, "암호", "설명")
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("short")
    dialog.submit()
    assert "8자 이상" in dialog.error.text() and dialog.entered is None
    dialog.passphrase.setText("long enough pass")
    dialog.confirm.setText("long enough pasS")
    dialog.submit()
    assert "다릅니다" in dialog.error.text()
    dialog.confirm.setText("long enough pass")
    dialog.submit()
    assert "되찾을 수 없다" in dialog.error.text() and dialog.passphrase.text() == "long enough pass"
    dialog.understood.setChecked(True)
    dialog.submit()
    assert dialog.entered == Entered("long enough pass")


def test_the_settings_choose_encryption_for_after_the_window_closes(qtbot, services, monkeypatch):
    from boeun_desk.ui.settings_dialog import SettingsDialog

    context = AppContext(services)
    context.ask = lambda *a, **k: "yes"
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *a, **k: Entered("long enough pass"))
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    assert "암호화되어 있지 않습니다" in dialog.encryption.state.text()
    dialog.encryption.encrypt()
    old, new = dialog.conversion
    assert old is None and new.matches("long enough pass") and dialog.result()  # accepted


def test_the_sync_dialog_seals_and_asks_for_the_passphrase_to_import(qtbot, demo, tmp_path, template_db, monkeypatch):
    from boeun_desk.services import Services
    from boeun_desk.ui.exchange_dialogs import SyncDialog

    typed = iter([Entered("bundle passphrase 1"), Entered("wrong passphrase"), Entered("bundle passphrase 1")])
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *a, **k: next(typed))
    dialog = SyncDialog(AppContext(demo))
    qtbot.addWidget(dialog)
    dialog.sealed.setChecked(True)
    path = tmp_path / "x.sync"
    finished(qtbot, dialog.export_to(path))
    assert path.read_bytes().startswith(b"BOEUN-DESK-SEALED 1\n")
    other_path = tmp_path / "other.sqlite3"
    other_path.write_bytes(template_db.read_bytes())
    other = Services(open_database(other_path))
    try:
        receiving = SyncDialog(AppContext(other))
        qtbot.addWidget(receiving)
        assert finished(qtbot, receiving.import_from(path)) is None
        assert "암호가 맞지 않습니다" in receiving.status.text() and other.firms.ids() == []
        assert finished(qtbot, receiving.import_from(path)).added > 0
    finally:
        other.database.close()


def test_the_window_asks_for_the_passphrase_before_it_opens_the_file(qtbot, demo_path, monkeypatch):
    from boeun_desk import app

    convert.convert(demo_path, None, cipher.Key("long enough pass"))
    assert app.needs_passphrase(demo_path)
    typed = iter([Entered("wrong passphrase"), Entered("long enough pass")])
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *a, **k: next(typed))
    told: list[str] = []
    monkeypatch.setattr(app, "ask", lambda parent, title, text, **k: told.append(text) or "ok")
    monkeypatch.setenv(app.QUIT_WHEN_READY, "1")
    assert app.run(demo_path) == 0
    assert len(told) == 1 and "암호가 맞지 않습니다" in told[0]
    assert cipher.is_encrypted(demo_path)


def test_an_empty_passphrase_is_told_and_the_dialog_stays(qtbot):
    from boeun_desk.ui.passphrase_dialog import OPEN

    dialog = PassphraseDialog(None, OPEN, "암호", "설명")
    qtbot.addWidget(dialog)
    assert not dialog.error.isVisibleTo(dialog)  # no empty line above the buttons
    dialog.submit()
    assert dialog.error.isVisibleTo(dialog) and "암호를 입력하세요" in dialog.error.text() and dialog.entered is None
    dialog.passphrase.setText(" 앞뒤 공백도 그대로 ")  # opening: exactly as typed, whatever it is
    dialog.submit()
    assert dialog.entered == Entered(" 앞뒤 공백도 그대로 ")


def test_a_sealed_bundle_without_its_passphrase_brings_nothing_and_a_plain_one_asks_none(
        qtbot, demo, tmp_path, template_db, monkeypatch):
    from boeun_desk.services import Services, sync
    from boeun_desk.ui.exchange_dialogs import SyncDialog

    sealed, plain = tmp_path / "sealed.sync", tmp_path / "plain.sync"
    sync.export_bundle(demo.database, sealed, passphrase="bundle passphrase 1")
    sync.export_bundle(demo.database, plain)
    asked: list[str] = []
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *a, **k: asked.append(a[2]))  # 취소
    other_path = tmp_path / "other.sqlite3"
    other_path.write_bytes(template_db.read_bytes())
    other = Services(open_database(other_path))
    try:
        receiving = SyncDialog(AppContext(other))
        qtbot.addWidget(receiving)
        assert receiving.import_from(sealed) is None and asked == ["동기화 파일 암호"]
        assert "가져오지 않았습니다" in receiving.status.text() and other.firms.ids() == []
        assert finished(qtbot, receiving.import_from(plain)).added > 0 and len(asked) == 1
    finally:
        other.database.close()


def test_the_conversion_after_the_window_closed_runs_with_progress_and_tells_how_it_went(qtbot, demo_path,
                                                                                     monkeypatch):
    from boeun_desk.ui import encryption

    told: list[str] = []
    monkeypatch.setattr(encryption, "ask", lambda parent, title, text, **k: told.append(text) or "ok")
    assert encryption.convert_after_close(demo_path, None, cipher.Key("long enough pass"))
    assert cipher.is_encrypted(demo_path) and "다음부터 프로그램을 열 때 암호를 묻습니다" in told[-1]
    assert not encryption.convert_after_close(demo_path, cipher.Key("wrong passphrase"), None)
    assert cipher.is_encrypted(demo_path) and "파일은 그대로입니다" in told[-1] and "암호가 맞지 않습니다" in told[-1]


def test_the_window_offers_the_backup_when_the_right_passphrase_meets_a_damaged_file(qtbot, demo_path, monkeypatch):
    from boeun_desk import app
    from boeun_desk.storage import backup
    from tests.conftest import Answers
    from tests.test_encryption_adversary import _damage_first_page

    key = cipher.Key("long enough pass")
    convert.convert(demo_path, None, key)
    cipher.remember(demo_path, key)
    backup.create_backup(demo_path, reason="test")
    cipher.remember(demo_path, None)
    _damage_first_page(demo_path)
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *a, **k: Entered("long enough pass"))
    monkeypatch.setattr(app, "ask", Answers("yes", "ok"))
    monkeypatch.setenv(app.QUIT_WHEN_READY, "1")
    assert app.run(demo_path) == 0
    assert "손상" in app.ask.asked[0] and "복원했습니다" in app.ask.asked[1]
    assert cipher.is_encrypted(demo_path) and list(demo_path.parent.glob("*.before-restore-*"))
    from boeun_desk.services import Services

    db = open_database(demo_path, key=key)
    try:
        assert len(Services(db).firms.ids()) == 22
    finally:
        db.close()
