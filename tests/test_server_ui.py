"""The office server in the window: the 동기화 button (status bar with the last sync and the changes
not yet synced), the server settings with the password in the keyring, Korean messages."""

from __future__ import annotations

import keyring
import pytest
from PySide6.QtCore import Qt

from boeun_desk.services import Services
from boeun_desk.services.server_admin import init_server
from boeun_desk.services.server_sync import saved_server, set_server, sync_with_server
from boeun_desk.storage import server
from boeun_desk.storage.engine import create_database, open_database
from boeun_desk.ui import server_sync
from boeun_desk.ui.server_sync import ServerFields, ServerSettingsDialog
from tests.pg_cluster import cluster, require_password
from tests.test_server_connect import SECRET, MemoryKeyring

PORT = 55436


@pytest.fixture(scope="module")
def office():
    with cluster(PORT) as made:
        made.psql("CREATE ROLE boeun_officers NOLOGIN")
        require_password(made, "choi", SECRET)
        yield made


@pytest.fixture
def server_url(office):
    name = office.new_database()
    init_server(office.url(name), grant=("boeun_officers",))
    return office.url(name)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(made := MemoryKeyring())
    server._given.clear()
    yield made
    keyring.set_keyring(before)
    server._given.clear()


@pytest.fixture
def shown_window(window, qtbot):
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_sync_button_sends_receives_and_every_screen_catches_up(shown_window, context, server_url, tmp_path, qtbot):
    window = shown_window
    indicator = window.sync_indicator
    assert indicator.label.text() == "서버 없음"
    set_server(context.services.database, server_url)
    indicator.refresh()
    assert "마지막 동기화 아직 없음" in indicator.label.text() and "동기화 안 된 변경 0건" not in indicator.label.text()
    with qtbot.waitSignal(context.changed, timeout=60_000):
        qtbot.mouseClick(indicator.button, Qt.MouseButton.LeftButton)
    assert "동기화 안 된 변경 0건" in indicator.label.text() and "아직 없음" not in indicator.label.text()
    # Another officer's laptop joins and adds a firm; this window's next sync shows it.
    other_path = tmp_path / "other.sqlite3"
    create_database(other_path)
    other = open_database(other_path)
    try:
        sync_with_server(other, server_url)
        Services(other, "이담당").firms.create({"name": "다른 노트북의 기업", "brn": "124-81-00998"})
        sync_with_server(other, server_url)
    finally:
        other.close()
    firms = window.screen("firms")
    window.go("firms")
    context.update("firms", context.services.firms.list()[0].id, {"notes": "이 노트북의 변경"})  # as a form saves
    assert "동기화 안 된 변경 1건" in indicator.label.text()
    with qtbot.waitSignal(context.changed, timeout=60_000):
        task = server_sync.sync_now(context, window)
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    new_firm = next(f for f in context.services.firms.list(search="다른 노트북"))
    qtbot.waitUntil(lambda: firms.model.row_of(new_firm.id) >= 0)
    assert "동기화 안 된 변경 0건" in indicator.label.text()
    assert any("서버와 동기화했습니다" in message for message in [window.statusBar().currentMessage()])


def test_a_server_out_of_reach_is_a_korean_message_not_a_hang(context, qtbot, qapp):
    set_server(context.services.database, "postgresql://kim@127.0.0.1:1/boeun")
    task = server_sync.sync_now(context, None)
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert any("서버에 연결할 수 없습니다" in asked for asked in context.ask.asked)


def test_settings_keep_the_address_and_the_password_goes_to_the_keyring(context, server_url, office, qtbot,
                                                                        memory_keyring, demo_path):
    dialog = ServerSettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.user.setText("choi")
    dialog.save()
    assert "서버 주소" in dialog.message.text()  # no server given: said, nothing kept
    assert saved_server(context.services.database) == ""
    wanted = ServerFields.from_url(server_url)
    dialog.host.setText(wanted.host)
    dialog.port.setText(wanted.port)
    dialog.database.setText(wanted.database)
    dialog.password.setText(SECRET)
    task = dialog.check()
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert dialog.message.text() == "서버에 연결했습니다"
    dialog.save()
    kept = saved_server(context.services.database)
    assert "choi@" in kept and SECRET not in kept
    assert memory_keyring.get_password(server.KEYRING_SERVICE, server.account(kept)) == SECRET
    server._given.clear()
    assert sync_with_server(context.services.database).pushed > 0  # the keyring answers
    context.services.database.close()
    assert SECRET.encode() not in demo_path.read_bytes()


def test_the_password_is_asked_when_the_server_wants_one(context, server_url, qtbot, monkeypatch, memory_keyring):
    set_server(context.services.database, server_url.replace("boeun@", "choi@"))
    asked = []
    monkeypatch.setattr(server_sync, "ask_password", lambda _parent, account: asked.append(account) or SECRET)
    server_sync.sync_now(context, None)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=60_000)
    qtbot.waitUntil(lambda: saved_server_synced(context), timeout=60_000)
    assert context.ask.asked == []


def saved_server_synced(context) -> bool:
    from boeun_desk.services.server_sync import sync_status

    return sync_status(context.services.database).last_sync is not None


def test_server_fields_make_the_url():
    fields = ServerFields("office-server", "5433", "boeun", "kim", True)
    url = fields.to_url()
    assert url == "postgresql+psycopg://kim@office-server:5433/boeun?sslmode=require"
    assert ServerFields.from_url(url) == fields
    with pytest.raises(Exception, match="포트"):
        ServerFields("office", "99999", "boeun", "kim").to_url()
