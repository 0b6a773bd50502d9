"""`boeun-desk backup|restore|check|export|import|clone|sync ...` on the command line."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.paths import demo_database_path
from boeun_desk.validation import InvalidValue

# Choices named here so that building the parser loads neither SQLAlchemy nor openpyxl (the
# desktop program starts through the CLI module); a test keeps them equal to the real keys.
EXPORT_CHOICES = ("firms", "supply", "selections", "cases", "visits", "followups", "certifications", "tests", "ip",
                  "indicators", "targets", "matches", "meetings", "meeting_attendees", "meeting_actions",
                  "officers", "support_types", "program_years")
IMPORT_CHOICES = ("firms", "supply")


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add this part's commands to the main parser (called once from cli.build_parser)."""
    new = sub.add_parser("new", help=t("빈 데이터베이스 파일 만들기"))
    new.add_argument("path", type=Path)
    new.set_defaults(handler=cmd_new, needs_db=False)

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

    export = sub.add_parser("export", help=t("엑셀로 내보내기 (all: 전체, 종류마다 한 시트)"))
    export.add_argument("what", choices=[*EXPORT_CHOICES, "all"])
    export.add_argument("-o", "--output", required=True, type=Path)
    export.set_defaults(handler=cmd_export)

    imp = sub.add_parser("import", help=t("엑셀에서 기업 가져오기 (오류가 하나라도 있으면 아무것도 가져오지 않음)"))
    imp.add_argument("what", choices=IMPORT_CHOICES, help=t("firms: 수혜기업, supply: 공급기업"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=t("검사만 하고 저장하지 않습니다"))
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=cmd_import)

    clone = sub.add_parser("clone", help=t("다른 노트북용 사본 만들기 (새 사본 식별자)"))
    clone.add_argument("output", type=Path)
    clone.set_defaults(handler=cmd_clone, needs_db=False)

    sync_parser = sub.add_parser("sync", help=t("다른 사본과 변경 내용 주고받기"))
    actions = sync_parser.add_subparsers(dest="sync_command", required=True, parser_class=parser_class)
    out = actions.add_parser("export", help=t("변경 묶음 파일 만들기"))
    out.add_argument("-o", "--output", required=True, type=Path)
    out.add_argument("--encrypt", action="store_true",
                     help=t("암호로 봉인 (암호를 묻거나 BOEUN_DESK_BUNDLE_PASSPHRASE에서 읽음)"))
    out.set_defaults(handler=cmd_sync_export)
    into = actions.add_parser("import", help=t("변경 묶음 파일 합치기"))
    into.add_argument("file", type=Path)
    into.add_argument("--json", action="store_true")
    into.set_defaults(handler=cmd_sync_import)
    listing = actions.add_parser("conflicts", help=t("결정이 필요한 충돌 목록"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_sync_conflicts)
    resolve = actions.add_parser("resolve", help=t("충돌 결정 (local: 이쪽 값, remote: 상대 값)"))
    target = resolve.add_mutually_exclusive_group(required=True)
    target.add_argument("conflict_id", nargs="?", metavar="ID")
    target.add_argument("--all", action="store_true", help=t("모든 충돌"))
    resolve.add_argument("--take", required=True, choices=["local", "remote"])
    resolve.set_defaults(handler=cmd_sync_resolve)
    from boeun_desk import server_commands  # `sync server`: the office server (no SQLAlchemy at import)

    server_commands.register_sync(actions)


def database_file(args: argparse.Namespace, *, unlocked: bool = True) -> Path:
    """The SQLite file the global --db/--demo options name (backups need a file). `unlocked`: an
    encrypted one's passphrase is asked (or read from BOEUN_DESK_PASSPHRASE) and remembered."""
    from boeun_desk.crypto_commands import unlock
    from boeun_desk.storage.target import sqlite_file

    path = sqlite_file(args.db or (demo_database_path() if args.demo else None))
    if path is None:
        raise InvalidValue(t("이 명령은 SQLite 데이터베이스 파일에만 쓸 수 있습니다"))
    if unlocked:
        unlock(path)
    return path


def cmd_new(args: argparse.Namespace) -> int:
    """An empty, migrated database for scripts (a missing --db file is refused, rightly)."""
    from boeun_desk.storage.engine import create_database
    from boeun_desk.storage.lock import InstanceLock
    from boeun_desk.storage.target import to_url

    path = args.path.expanduser().resolve()
    to_url(path)  # a name SQLite would read differently ("?") is refused
    if path.exists():
        raise InvalidValue(t("파일이 이미 있습니다: {path}", path=path))
    if not path.parent.is_dir():
        raise InvalidValue(t("데이터베이스 폴더가 없습니다: {path}", path=path.parent))
    lock = InstanceLock.acquire(path)
    try:
        if path.exists():  # made meanwhile by another command
            raise InvalidValue(t("파일이 이미 있습니다: {path}", path=path))
        create_database(path)
    finally:
        lock.release()
    print(t("새 데이터베이스를 만들었습니다: {path}", path=path))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from boeun_desk.storage import backup

    path = database_file(args)
    if args.action == "list":
        backups = backup.list_backups(path)
        for item in backups:
            print(f"{item.taken_at:%Y-%m-%d %H:%M:%S}  {item.size / 1024:>9,.0f} KB  {item.path}")
        print(t("백업 {n}개: {folder}", n=len(backups), folder=backup.backups_dir(path)))
        return 0
    made = backup.make_backup(path)
    print(made.path)  # alone on stdout: scripts read the path
    _report_files(made.files, sys.stderr, t("백업의 첨부파일 {copied}개를 새로 보관했습니다({present}개는 이미 있음): {folder}",
                                copied=made.files.copied, present=made.files.present, folder=backup.files_store(path)))
    return 0


def _report_files(files: Any, stream: Any, done: str) -> None:
    """One line for the files copied; one on stderr for those missing or damaged at the source."""
    print(done, file=stream)
    if files.missing:
        print(t("원본 파일 폴더에 없거나 손상된 첨부파일 {n}개는 옮기지 못했습니다", n=len(files.missing)), file=sys.stderr)


def cmd_restore(args: argparse.Namespace) -> int:
    from boeun_desk.storage import restore

    path = database_file(args)
    result = restore.restore(path, None if args.latest else args.file)
    print(t("복원했습니다: {source} → {path}", source=result.restored_from, path=path))
    for aside in result.kept_aside:
        print(t("이전 파일을 보관했습니다: {path}", path=aside))
    _report_files(result.files, sys.stdout, t("첨부파일 {copied}개를 백업에서 되살렸습니다({present}개는 이미 있음)",
                                  copied=result.files.copied, present=result.files.present))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from boeun_desk.storage import restore
    from boeun_desk.storage.errors import DatabaseError

    path = database_file(args)
    errors = restore.integrity_errors(path)
    if errors:
        details = "\n".join(f"  - {line}" for line in errors[:10])
        raise DatabaseError(t("데이터베이스 파일이 손상되었습니다: {path}", path=path) + "\n" + details + "\n"
                            + t("최근 백업에서 복원하려면: boeun-desk restore --latest (손상된 파일은 지우지 않고 옆에 보관합니다)"))
    print(t("이상 없음: {path}", path=path))
    return 0


def cmd_export(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.exchange.excel_export import export_workbook

    counts = export_workbook(services.database, [args.what], args.output)
    for title, n in counts.items():
        print(t("{sheet}: {n}행", sheet=title, n=n))
    print(t("저장했습니다: {path}", path=args.output))
    return 0


def cmd_import(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.exchange.excel_import import apply_import, plan_import

    if not args.file.is_file():
        raise InvalidValue(t("파일이 없습니다: {path}", path=args.file))
    plan = plan_import(services.database, args.what, args.file)
    if plan.ok and not args.dry_run:
        apply_import(services.database, plan, services.officer)
    if args.json:
        print_json(plan.as_json())
    else:
        for warning in plan.warnings:
            print(t("경고") + f" — {warning}", file=sys.stderr)
        for error in plan.errors:
            print(f"  - {error}", file=sys.stderr)
        if plan.errors:
            print(t("오류 {n}건: 아무것도 가져오지 않았습니다", n=len(plan.errors)), file=sys.stderr)
        else:
            print(t("새 기록 {new}건, 바뀐 기록 {changed}건, 같은 기록 {same}건", new=len(plan.new),
                    changed=len(plan.changed), same=plan.unchanged))
            print(t("검사만 했습니다 (저장하지 않음)") if args.dry_run else t("가져오기를 마쳤습니다"))
    return 2 if plan.errors else 0


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_clone(args: argparse.Namespace) -> int:
    from boeun_desk.services import sync
    from boeun_desk.storage.lock import InstanceLock

    target = args.output.expanduser().resolve()
    if target.exists():
        raise InvalidValue(t("파일이 이미 있습니다: {path}", path=args.output))
    sync.check_clone_source(database_file(args))  # refused before anything is made beside the target
    lock = InstanceLock.acquire(target)  # a copy of the program opening the target meanwhile: refused
    try:
        if target.exists():
            raise InvalidValue(t("파일이 이미 있습니다: {path}", path=args.output))
        files = sync.clone(database_file(args), target).files
    finally:
        lock.release()
    print(t("사본을 만들었습니다: {path}", path=args.output))
    _report_files(files, sys.stdout, t("첨부파일 {copied}개({size:,} 바이트)를 복사했습니다", copied=files.copied, size=files.size))
    return 0


def cmd_sync_export(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.services import sync

    passphrase = None
    if args.encrypt:
        from boeun_desk.crypto_commands import BUNDLE_PASSPHRASE_ENV, ask_new_passphrase

        passphrase = ask_new_passphrase(BUNDLE_PASSPHRASE_ENV)
    counts = sync.export_bundle(services.database, args.output, passphrase=passphrase)
    if passphrase:
        print(t("암호로 봉인했습니다. 받는 쪽에 암호를 따로(이 파일과 다른 길로) 알려 주세요"), file=sys.stderr)
    print(t("기록 {records}건, 변경 이력 {history}건을 담았습니다", **counts))
    print(t("첨부파일 {files}개({size:,} 바이트)를 담았습니다", files=counts["files"], size=counts["file_bytes"]))
    if counts["files_missing"]:
        print(t("이 사본의 파일 폴더에 없거나 손상된 첨부파일 {n}개는 담지 못했습니다", n=counts["files_missing"]),
              file=sys.stderr)
    print(args.output)
    return 0


def cmd_sync_import(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.crypto_commands import BUNDLE_PASSPHRASE_ENV, ask_passphrase
    from boeun_desk.exchange.bundle import BundleError, BundlePassphraseNeeded
    from boeun_desk.services import sync

    if not args.file.is_file():
        raise InvalidValue(t("파일이 없습니다: {path}", path=args.file))
    passphrase = os.environ.get(BUNDLE_PASSPHRASE_ENV) or None  # given: the bundle must be a sealed one
    try:
        try:
            result = sync.import_bundle(services.database, args.file, passphrase=passphrase)
        except BundlePassphraseNeeded:
            passphrase = ask_passphrase(t("동기화 파일 암호"), BUNDLE_PASSPHRASE_ENV)
            result = sync.import_bundle(services.database, args.file, passphrase=passphrase)
    except BundleError as error:
        raise InvalidValue(str(error)) from error
    if args.json:
        print_json(result.as_json())
    else:
        print(t("추가 {added}건, 수정 {updated}건, 새 충돌 {conflicts}건, 새 첨부파일 {files}개", added=result.added,
                updated=result.updated, conflicts=result.conflicts, files=result.files))
        if result.conflicts:
            print(t("충돌은 boeun-desk sync conflicts로 확인하고 sync resolve로 정하세요"))
    return 0


def cmd_sync_conflicts(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.services import sync

    conflicts = sync.list_conflicts(services.database)
    if args.json:
        print_json([{k: v for k, v in dataclasses.asdict(c).items() if k != "entries"} for c in conflicts])
        return 0
    from boeun_desk.services.conflict_view import describe_conflicts

    at = {c.id: c.remote_at or "-" for c in conflicts}
    for c in describe_conflicts(services.database):  # in words: 기업 '보은대추농원' 전화번호
        print(f"{c.id}  {c.kind} '{c.record}' {c.field}")
        print(t("    이쪽: {local} / 상대({officer}, {at}): {remote}", local=c.local, remote=c.remote,
                officer=c.officer, at=at.get(c.id, "-")))
    print(t("충돌 {n}건", n=len(conflicts)))
    return 0


def cmd_sync_resolve(args: argparse.Namespace, services: Any) -> int:
    from boeun_desk.services import sync

    ids = [c.id for c in sync.list_conflicts(services.database)] if args.all else [args.conflict_id]
    for conflict_id in ids:
        sync.resolve_conflict(services.database, conflict_id, args.take, services.officer)
    print(t("충돌 {n}건을 정했습니다", n=len(ids)))
    return 0
