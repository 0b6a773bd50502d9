"""`boeun-desk backup|restore|check|export|import|clone|sync ...` on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from boeun_desk.db import DatabaseError, sqlite_path, to_url
from boeun_desk.exchange import backup
from boeun_desk.i18n import t
from boeun_desk.paths import demo_database_path
from boeun_desk.validation import InvalidValue


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add this part's commands to the main parser (called once from cli.build_parser)."""
    make = sub.add_parser("backup", help=t("백업 만들기 (list: 백업 목록)"))
    make.add_argument("action", nargs="?", choices=["list"], help=t("list: 백업 목록"))
    make.set_defaults(handler=cmd_backup, needs_db=False)

    restore = sub.add_parser("restore", help=t("백업에서 복원 (지금 파일은 옆에 보관)"))
    which = restore.add_mutually_exclusive_group(required=True)
    which.add_argument("--latest", action="store_true", help=t("가장 최근의 정상 백업"))
    which.add_argument("file", nargs="?", type=Path, help=t("복원할 백업 파일"))
    restore.set_defaults(handler=cmd_restore, needs_db=False)

    check = sub.add_parser("check", help=t("데이터베이스 무결성 검사"))
    check.set_defaults(handler=cmd_check, needs_db=False)


def database_file(args: argparse.Namespace) -> Path:
    """The SQLite file the global --db/--demo options name (backups need a file)."""
    target = args.db or (demo_database_path() if args.demo else None)
    path = sqlite_path(to_url(target))
    if path is None:
        raise InvalidValue(t("이 명령은 SQLite 데이터베이스 파일에만 쓸 수 있습니다"))
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    path = database_file(args)
    if args.action == "list":
        backups = backup.list_backups(path)
        for item in backups:
            print(f"{item.taken_at:%Y-%m-%d %H:%M:%S}  {item.size / 1024:>9,.0f} KB  {item.path}")
        print(t("백업 {n}개: {folder}", n=len(backups), folder=backup.backups_dir(path)))
        return 0
    print(backup.create_backup(path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = database_file(args)
    result = backup.restore(path, None if args.latest else args.file)
    print(t("복원했습니다: {source} → {path}", source=result.restored_from, path=path))
    for aside in result.kept_aside:
        print(t("이전 파일을 보관했습니다: {path}", path=aside))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    path = database_file(args)
    errors = backup.integrity_errors(path)
    if errors:
        details = "\n".join(f"  - {line}" for line in errors[:10])
        raise DatabaseError(t("데이터베이스 파일이 손상되었습니다: {path}", path=path) + "\n" + details + "\n"
                            + t("최근 백업에서 복원하려면: boeun-desk restore --latest (손상된 파일은 지우지 않고 옆에 보관합니다)"))
    print(t("이상 없음: {path}", path=path))
    return 0
