"""`boeun-desk server init|login|history` and `boeun-desk --db LAPTOP sync server [URL]`.

The database layer is imported by the commands when they run (the program starts through cli.py).
A password the server asks for is asked on the terminal (never echoed) and, where the computer has
a system keyring, kept there; it is never written to a file.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from boeun_desk.i18n import t
from boeun_desk.validation import InvalidValue

T = TypeVar("T")


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The `server` command (called once from cli.build_parser)."""
    server = sub.add_parser("server", help=t("사무실 서버(PostgreSQL) 만들기·로그인·변경 이력"))
    actions = server.add_subparsers(dest="server_command", required=True, parser_class=parser_class)
    init = actions.add_parser("init", help=t("서버 데이터베이스에 스키마 만들기 (이전 버전이면 올리기)"))
    init.add_argument("url", metavar="URL", help="postgresql://USER@HOST/DB")
    init.add_argument("--from", dest="seed", type=Path, metavar="FILE", help=t("이 노트북 데이터베이스의 기록으로 채웁니다"))
    init.add_argument("--grant", action="append", default=[], metavar="ROLE",
                      help=t("이 역할(담당자 그룹)이 기록을 읽고 쓸 수 있게 합니다 (여러 번 쓸 수 있음)"))
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=cmd_server_init, needs_db=False)
    login = actions.add_parser("login", help=t("서버 비밀번호를 시스템 키링에 저장합니다"))
    login.add_argument("url", metavar="URL")
    login.set_defaults(handler=cmd_server_login, needs_db=False)
    history = actions.add_parser("history", help=t("서버의 변경 이력: 누가 어느 노트북에서 무엇을 바꿨는지"))
    history.add_argument("url", metavar="URL")
    history.add_argument("--record", metavar="UUID", help=t("이 기록의 이력만"))
    history.add_argument("--limit", type=int, default=50)
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=cmd_server_history, needs_db=False)


def register_sync(actions: Any) -> None:
    """`sync server` beside the bundle commands (called from exchange/commands.py)."""
    server = actions.add_parser("server", help=t("사무실 서버와 동기화 (보내고 받기)"))
    server.add_argument("url", nargs="?", metavar="URL", help=t("서버 주소 (없으면 지난번 주소)"))
    server.add_argument("--json", action="store_true")
    server.set_defaults(handler=cmd_sync_server)


def with_password(url: str | None, call: Callable[[], T]) -> T:
    """Run `call`; if the server wants a password and a person is at the terminal, ask once and
    run it again (the password then goes to the keyring where there is one)."""
    from boeun_desk.storage import server

    try:
        return call()
    except server.ServerLoginFailed as error:
        if not error.needs_password or not url or not sys.stdin.isatty():
            raise
        print(str(error), file=sys.stderr)
        password = getpass.getpass(t("비밀번호: "))
        server.remember_password(url, password)
        result = call()
        if server.remember_password(url, password, save=True):
            print(t("비밀번호를 시스템 키링에 저장했습니다"), file=sys.stderr)
        return result


def cmd_server_init(args: argparse.Namespace) -> int:
    from boeun_desk.services.server_admin import init_server

    ready = with_password(args.url, lambda: init_server(args.url, args.seed, tuple(args.grant)))
    if args.json:
        print(json.dumps({"server": ready.server, "server_id": ready.server_id, "granted": list(ready.granted),
                          "seeded": ready.seeded.as_json() if ready.seeded else None}, ensure_ascii=False, indent=2))
        return 0
    print(t("서버 데이터베이스가 준비되었습니다: {url}", url=ready.server))
    for role in ready.granted:
        print(t("역할 {role}이(가) 기록을 읽고 쓸 수 있습니다", role=role))
    if ready.seeded is not None:
        print(t("{path}의 기록 {n}건을 서버에 넣었습니다", path=args.seed, n=ready.seeded.pushed))
    return 0


def cmd_server_login(args: argparse.Namespace) -> int:
    from boeun_desk.services.server_sync import open_server
    from boeun_desk.storage import server

    password = getpass.getpass(t("{account} 비밀번호: ", account=server.account(args.url)))
    server.remember_password(args.url, password)
    open_server(args.url).close()  # the password works
    if server.remember_password(args.url, password, save=True):
        print(t("비밀번호를 시스템 키링에 저장했습니다: {account}", account=server.account(args.url)))
        return 0
    print(t("이 컴퓨터에는 비밀번호 보관함(키링)이 없어 저장하지 않았습니다. 동기화할 때마다 묻습니다"), file=sys.stderr)
    return 1


def cmd_server_history(args: argparse.Namespace) -> int:
    from boeun_desk.services.server_admin import server_history

    if args.limit < 1:
        raise InvalidValue(t("--limit는 1 이상이어야 합니다"))
    rows = with_password(args.url, lambda: server_history(args.url, args.record, args.limit))
    if args.json:
        print(json.dumps([row.__dict__ for row in rows], ensure_ascii=False, indent=2, default=str))
        return 0
    for row in rows:
        change = f"{row.field}: {row.old or '-'} → {row.new or '-'}" if row.field else row.action
        print(t("{at:%Y-%m-%d %H:%M}  {officer} ({user}, {laptop})  {entity} {id}  {change}",
                at=row.received_at, officer=row.officer or "-", user=row.db_user, laptop=row.laptop or t("서버에서 직접"),
                entity=row.entity, id=row.entity_id[:8], change=change))
    print(t("변경 {n}건", n=len(rows)))
    return 0


def cmd_sync_server(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.services.server_sync import saved_server, sync_with_server

    url = args.url or saved_server(services.database)
    result = with_password(url, lambda: sync_with_server(services.database, url))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    print(t("서버와 동기화했습니다: {url}", url=result.server))
    print(t("보냄 {pushed}건(추가 {added}, 수정 {updated}), 받음 {pulled}건(추가 {p_added}, 수정 {p_updated}), "
            "새 충돌 {conflicts}건", pushed=result.pushed, added=result.push.added, updated=result.push.updated,
            pulled=result.pulled, p_added=result.pull.added, p_updated=result.pull.updated,
            conflicts=result.conflicts))
    if result.files_sent or result.files_received:
        print(t("첨부파일 보냄 {sent}개, 받음 {received}개", sent=result.files_sent, received=result.files_received))
    if result.files_missing:
        print(t("있어야 할 곳에 없거나 손상된 첨부파일 {n}개는 옮기지 못했습니다", n=result.files_missing), file=sys.stderr)
    if result.conflicts:
        print(t("충돌은 boeun-desk sync conflicts로 확인하고 sync resolve로 정하세요"))
    return 0
