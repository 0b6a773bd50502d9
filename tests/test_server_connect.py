"""Reaching the office server: no plain-text password (keyring or asked), a Korean message within
seconds when it cannot be reached, a bounded wait behind another laptop's sync."""

from __future__ import annotations

import threading

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import func, select

from boeun_desk import cli, server_commands
from boeun_desk.services import Services, server_sync
from boeun_desk.services.server_admin import init_server
from boeun_desk.services.server_sync import SyncRefused, saved_server, sync_with_server
from boeun_desk.storage import server
from boeun_desk.storage.engine import open_database
from boeun_desk.storage.server import ServerLoginFailed, ServerUnavailable
from tests.pg_cluster import cluster, require_password

PORT = 55435
SECRET = "보은-비밀-2024"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self):
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    made = MemoryKeyring()
    keyring.set_keyring(made)
    server._given.clear()
    yield made
    keyring.set_keyring(before)
    server._given.clear()


@pytest.fixture(scope="module")
def office():
    with cluster(PORT) as made:
        made.psql("CREATE ROLE boeun_officers NOLOGIN")
        require_password(made, "choi", SECRET)
        init_server(made.url(), grant=("boeun_officers",))
        yield made


@pytest.fixture
def laptop(demo_path):
    database = open_database(demo_path)
    yield database
    database.close()


def test_a_server_out_of_reach_is_a_korean_message_and_the_laptop_goes_on(laptop, demo_path, capsys):
    for url in ("postgresql://kim@/boeun?host=/nonexistent-folder&port=5999",
                "postgresql://kim@127.0.0.1:1/boeun",
                "postgresql://kim@10.255.255.1/boeun?connect_timeout=2"):
        with pytest.raises(ServerUnavailable, match="서버에 연결할 수 없습니다"):
            sync_with_server(laptop, url)
    assert server.connect_args("postgresql://kim@office/boeun")["connect_timeout"] == server.CONNECT_TIMEOUT_S
    assert cli.main(["--db", str(demo_path), "sync", "server", "postgresql://kim@127.0.0.1:1/boeun"]) == 1
    err = capsys.readouterr().err
    assert "서버에 연결할 수 없습니다" in err and "계속 작업할 수 있고" in err and "Traceback" not in err
    assert saved_server(laptop) == ""  # an address that never worked is not kept


def test_the_password_comes_from_the_keyring_and_is_never_stored(office, laptop, demo_path, memory_keyring):
    url = office.url(user="choi")
    with pytest.raises(ServerLoginFailed, match="비밀번호가 필요합니다") as refused:
        sync_with_server(laptop, url)
    assert refused.value.needs_password
    memory_keyring.set_password(server.KEYRING_SERVICE, server.account(url), SECRET)
    assert sync_with_server(laptop, url).pushed > 0
    typed = url.replace("choi@", f"choi:{SECRET}@")  # a password typed into the address: used, not kept
    server._given.clear()
    memory_keyring.saved.clear()
    sync_with_server(laptop, typed)
    assert SECRET not in saved_server(laptop) and "choi@" in saved_server(laptop)
    laptop.close()
    assert SECRET.encode() not in demo_path.read_bytes()


def test_the_command_line_asks_once_and_keeps_it_in_the_keyring(office, demo_path, memory_keyring, monkeypatch,
                                                                 capsys):
    url = office.url(user="choi")
    monkeypatch.setattr(server_commands.sys.stdin, "isatty", lambda: True)
    asked = []
    monkeypatch.setattr(server_commands.getpass, "getpass", lambda prompt: asked.append(prompt) or SECRET)
    assert cli.main(["--db", str(demo_path), "sync", "server", url]) == 0
    assert len(asked) == 1 and "비밀번호가 필요합니다" in capsys.readouterr().err
    assert memory_keyring.get_password(server.KEYRING_SERVICE, server.account(url)) == SECRET
    server._given.clear()
    assert cli.main(["--db", str(demo_path), "sync", "server"]) == 0  # the keyring answers now
    assert len(asked) == 1
    monkeypatch.setattr(server_commands.getpass, "getpass", lambda prompt: "틀린 비밀번호")
    server._given.clear()
    memory_keyring.saved.clear()
    assert cli.main(["--db", str(demo_path), "sync", "server"]) == 1
    assert "로그인을 거부했습니다" in capsys.readouterr().err


def test_a_sync_waits_behind_another_one_only_so_long(office, laptop, monkeypatch):
    monkeypatch.setattr(server_sync, "LOCK_WAIT_S", 1)
    other_laptop = open_database(office.url())
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # another laptop's push holds the lock
        with other_laptop.engine.begin() as conn:
            conn.execute(select(func.pg_advisory_xact_lock(server_sync.ADVISORY_KEY)))
            holding.set()
            release.wait(30)

    other = threading.Thread(target=hold)
    other.start()
    try:
        holding.wait(30)
        services = Services(laptop, "김담당")  # something to push
        services.firms.update(services.firms.list()[0].id, {"notes": "기다림"})
        with pytest.raises(SyncRefused, match="다른 노트북이"):
            sync_with_server(laptop, office.url())
    finally:
        release.set()
        other.join()
        other_laptop.close()
    assert sync_with_server(laptop, office.url()).pushed >= 1  # and goes through once it is free


def test_describe_server_errors_in_korean():
    url = "postgresql://kim:pw@office/boeun"
    assert "SSL" in str(server.describe_server_error(Exception("server does not support SSL, but SSL was required"), url))
    assert "pw" not in str(server.describe_server_error(Exception("FATAL: database \"x\" does not exist"), url))
