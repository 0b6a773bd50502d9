"""Connecting to the office server (PostgreSQL).

The password is never stored in plain text: it comes from the URL as typed (used, never saved),
from the system keyring (`keyring`: Windows Credential Manager, macOS Keychain, Secret Service),
or from the officer when asked, kept in memory for this run only. Every connection has a short
connect timeout and TCP keepalives, so a server out of reach is a Korean message within seconds
and a laptop that vanishes mid-sync does not leave the server waiting. `sslmode` (e.g.
`?sslmode=verify-full`) in the URL is passed to libpq as given.
"""

from __future__ import annotations

import contextlib
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.storage.errors import DatabaseError

KEYRING_SERVICE = "boeun-desk"
CONNECT_TIMEOUT_S = 5
_given: dict[str, str] = {}  # passwords typed or asked in this run, by account


class ServerUnavailable(DatabaseError):
    """The server could not be reached (network, name, port): the laptop goes on working offline."""


class ServerLoginFailed(DatabaseError):
    """The server refused the login; `needs_password`: one was asked for and none was given."""

    def __init__(self, message: str, needs_password: bool = False):
        super().__init__(message)
        self.needs_password = needs_password


def account(url: str) -> str:
    """Who connects where, without the password: `kim@office-server:5432/boeun` (the keyring's name)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    host = parsed.host or str(parsed.query.get("host", "")) or "localhost"
    return f"{parsed.username or ''}@{host}:{parsed.port or parsed.query.get('port') or 5432}/{parsed.database or ''}"


def without_password(url: str) -> str:
    """The URL to keep or show: the password left out."""
    from sqlalchemy.engine import make_url

    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def shown(url: str) -> str:
    """The URL for a message or a screen: the password masked."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True).replace("postgresql+psycopg://", "postgresql://", 1)


def _keyring() -> Any:
    import keyring  # loaded only when a server is used: it looks up its backends on import

    return keyring


def keyring_available() -> bool:
    """Whether this computer has a password store the keyring package can use."""
    try:
        from keyring.backends.fail import Keyring as NoKeyring

        return not isinstance(_keyring().get_keyring(), NoKeyring)
    except Exception:  # noqa: BLE001  (a broken backend is no backend)
        return False


def saved_password(url: str) -> str | None:
    try:
        return _keyring().get_password(KEYRING_SERVICE, account(url))
    except Exception:  # noqa: BLE001  (no keyring, a locked one, a broken backend: ask instead)
        return None


def remember_password(url: str, password: str, *, save: bool = False) -> bool:
    """Use `password` for this run; with `save`, also in the keyring. Whether it was saved there."""
    _given[account(url)] = password
    if not save or not keyring_available():
        return False
    try:
        _keyring().set_password(KEYRING_SERVICE, account(url), password)
    except Exception:  # noqa: BLE001
        return False
    return True


def forget_password(url: str) -> None:
    _given.pop(account(url), None)
    with contextlib.suppress(Exception):
        _keyring().delete_password(KEYRING_SERVICE, account(url))


def connect_args(url: str) -> dict[str, Any]:
    """What every connection to a server gets (storage/engine.py make_engine)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    args: dict[str, Any] = {"application_name": "boeun-desk", "keepalives": 1, "keepalives_idle": 30,
                            "keepalives_interval": 10, "keepalives_count": 3}
    if "connect_timeout" not in parsed.query:
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    if parsed.password is None:
        password = _given.get(account(url)) or saved_password(url)
        if password:
            args["password"] = password
    else:  # typed in the URL: used for this run (the URL kept anywhere is without it)
        _given[account(url)] = str(parsed.password)
    return args


_UNREACHABLE = ("timeout expired", "connection refused", "could not connect", "no route to host",
                "network is unreachable", "could not translate host name", "name or service not known",
                "no such file or directory", "temporary failure in name resolution", "server closed the connection",
                "connection to server", "host is down", "nodename nor servname")


def describe_server_error(error: BaseException, url: str) -> DatabaseError:
    """A Korean message (as the error to raise) for a failure to connect to or use the server."""
    detail = str(getattr(error, "orig", None) or error)
    message, where = detail.lower(), shown(url)
    if "no password supplied" in message or "password is required" in message:
        return ServerLoginFailed(t("서버 비밀번호가 필요합니다: {url}", url=where), needs_password=True)
    if "password authentication failed" in message or "authentication failed" in message:
        return ServerLoginFailed(t("서버가 로그인을 거부했습니다(사용자 이름이나 비밀번호 확인): {url}", url=where),
                                 needs_password=True)
    if "does not support ssl" in message or "ssl" in message and "required" in message:
        return ServerLoginFailed(t("서버가 암호화 연결(SSL)을 지원하지 않거나 인증서를 확인할 수 없습니다: {url}",
                                   url=where))
    if "role" in message and "does not exist" in message:
        return ServerLoginFailed(t("서버에 이 사용자가 없습니다: {url}", url=where))
    if "database" in message and "does not exist" in message:
        return DatabaseError(t("서버에 이 데이터베이스가 없습니다: {url}", url=where))
    if "permission denied" in message:
        return DatabaseError(t("서버에서 이 작업을 할 권한이 없습니다. 서버 관리자에게 권한을 요청하세요: {url}", url=where))
    if any(part in message for part in _UNREACHABLE):
        return ServerUnavailable(t("서버에 연결할 수 없습니다: {url}\n네트워크 연결을 확인하세요. "
                                   "이 노트북에서는 계속 작업할 수 있고, 다음에 동기화하면 됩니다.", url=where))
    return DatabaseError(t("서버 데이터베이스 오류: {detail}", detail=detail.strip()))
