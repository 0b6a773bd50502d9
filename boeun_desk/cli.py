"""Command line: the same services as the GUI, for scripting and administration.

Errors go to stderr in Korean without a traceback: exit 2 for invalid input (bad arguments,
failed validation, unknown record), 1 for a database or other failure (and for a batch of
documents that saved the others but left out firms whose document failed, named on stderr),
130 when Ctrl+C stopped it.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from boeun_desk import __version__
from boeun_desk.i18n import set_language, t
from boeun_desk.paths import demo_database_path

if TYPE_CHECKING:
    from boeun_desk.services import Services

# The database layer (SQLAlchemy) is imported when a command needs it, not at module level: the
# desktop program starts through this module and shows its window before that import (app.py).
# The commands' own modules (visits, encryption, documents, Excel, server) and the validation rules
# are imported when the parser of every command is built or a command runs, which the window's
# start skips (starts_window).

EXIT_INVALID = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl+C

# (option, field, help): the firm fields settable from `firm add` / `firm update`.
FIRM_OPTIONS = (
    ("--name", "name", "업체명"), ("--brn", "brn", "사업자등록번호"), ("--crn", "crn", "법인등록번호"),
    ("--representative", "representative", "대표자"), ("--address", "address", "주소"),
    ("--phone", "phone", "전화번호"), ("--email", "email", "이메일"), ("--founded", "founded", "설립일"),
    ("--employees", "employees", "종업원 수"), ("--products", "main_products", "주요 제품"),
    ("--resource", "local_resource", "활용 연고자원"), ("--notes", "notes", "비고"),
)


class UsageError(Exception):
    """Bad command-line arguments (Korean message)."""


# argparse's own messages (English), said in the program's language.
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (?P<args>.+)", "필요한 인자가 빠졌습니다: {args}"),
    (r"unrecognized arguments: (?P<args>.+)", "알 수 없는 인자입니다: {args}"),
    (r"argument (?P<arg>\S+): invalid choice: (?P<value>'.*?') \(choose from (?P<choices>.+)\)",
     "{arg}: {value}은(는) 쓸 수 없습니다 (가능: {choices})"),
    (r"argument (?P<arg>\S+): invalid \w+ value: (?P<value>'.*')", "{arg}: {value}은(는) 올바른 값이 아닙니다"),
    (r"argument (?P<arg>\S+): expected one argument", "{arg} 다음에 값이 하나 필요합니다"),
    (r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)", "{arg}와(과) {other}는 함께 쓸 수 없습니다"),
    (r"argument (?P<arg>\S+): (?P<message>.+)", "{arg}: {message}"),  # our own types' Korean messages
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, korean in _ARGPARSE_MESSAGES:
            found = re.fullmatch(pattern, message)
            if found:
                message = t(korean, **found.groupdict())
                break
        usage = self.format_usage().replace("usage:", t("사용법:"), 1)
        raise UsageError(t("명령 인자가 올바르지 않습니다: {detail}", detail=message) + "\n" + usage)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)  # type: ignore[arg-type]
    raise TypeError(type(value))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def format_brn(value: str) -> str:
    from boeun_desk.validation import format_brn

    return format_brn(value)


def firm_json(firm: Any) -> dict[str, Any]:
    data = dataclasses.asdict(firm)
    data["uuid"] = data.pop("id")
    data["brn_formatted"] = format_brn(firm.brn)
    return data


def _amount(value: int) -> str:
    return f"{value:,}"


# --- commands --------------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from boeun_desk.services.demo import write_demo

    path = write_demo(Path(args.path), force=args.force)
    print(t("데모 데이터베이스를 만들었습니다: {path}", path=path))
    return 0


def cmd_stats(args: argparse.Namespace, services: Services) -> int:
    stats = services.queries.annual_stats(args.year)
    if args.json:
        print_json(stats.as_json())
        return 0
    print(t("{year}년 사업 실적 — {program}", year=stats.year, program=stats.program_name))
    print(t("지원기업: {n}개사", n=stats.firms_supported))
    print(t("지원과제: {n}건", n=stats.cases_total))
    for tc in stats.cases_by_type:
        print(f"  {tc.code:<8} {t(tc.name)}: {tc.count}")
    counts = dict(stats.cases_by_stage)
    print(t("  완료 {done}건 · 진행 중 {in_progress}건 · 계획 {planned}건", done=counts.get("done", 0),
            in_progress=counts.get("in_progress", 0), planned=counts.get("planned", 0)))
    for label, f in ((t("집행(완료)"), stats.stages.spent), (t("진행 중"), stats.stages.in_progress),
                     (t("계획"), stats.stages.planned)):
        print(t("{stage} — 정부지원금: 국비 {n}원, 도비 {p}원, 군비 {c}원; 기업부담금: 현금 {cash}원, 현물 {kind}원",
                stage=label, n=_amount(f.national), p=_amount(f.provincial), c=_amount(f.county),
                cash=_amount(f.firm_cash), kind=_amount(f.firm_in_kind)))
    print(t("매칭된 공급기업: {n}개사", n=stats.supply_companies_matched))
    return 0


def _firm_values(args: argparse.Namespace) -> dict[str, Any]:
    return {field: getattr(args, field) for _opt, field, _help in FIRM_OPTIONS if getattr(args, field) is not None}


def _show_saved(args: argparse.Namespace, services: Services, changes: Any, message: str) -> int:
    """Print warnings to stderr, then the saved firm as JSON or a one-line Korean confirmation."""
    for warning in changes.warnings:
        print(t("경고") + f" — {warning}", file=sys.stderr)
    firm = services.firms.get(changes.id)
    if args.json:
        print_json(firm_json(firm))
    else:
        print(t(message, name=firm.name, brn=format_brn(firm.brn)))
    return 0


def cmd_firm_add(args: argparse.Namespace, services: Services) -> int:
    return _show_saved(args, services, services.firms.create(_firm_values(args)), "기업을 등록했습니다: {name} ({brn})")


def cmd_firm_update(args: argparse.Namespace, services: Services) -> int:
    firm = services.firms.by_brn(args.target_brn)
    values = _firm_values(args)
    if not values:
        raise UsageError(t("바꿀 항목을 하나 이상 지정하세요 (예: --phone 043-123-4567)"))
    return _show_saved(args, services, services.firms.update(firm.id, values), "기업 정보를 수정했습니다: {name} ({brn})")


def cmd_firm_list(args: argparse.Namespace, services: Services) -> int:
    firms = services.firms.list(search=args.search, deleted_only=args.deleted)
    if args.json:
        print_json([firm_json(f) for f in firms])
        return 0
    for firm in firms:
        print(f"{format_brn(firm.brn)}  {firm.name}  {firm.representative}  {firm.phone}")
    print(t("총 {n}개 기업", n=len(firms)))
    return 0


def cmd_firm_show(args: argparse.Namespace, services: Services) -> int:
    firm = services.firms.by_brn(args.target_brn)
    detail = services.queries.firm_detail(firm.id)
    if args.json:
        data = dataclasses.asdict(detail)
        data["firm"] = firm_json(firm)
        print_json(data)
        return 0
    print(f"{firm.name}  ({format_brn(firm.brn)})")
    for label, value in ((t("대표자"), firm.representative), (t("주소"), firm.address),
                         (t("전화번호"), firm.phone), (t("주요 제품"), firm.main_products)):
        print(f"  {label}: {value or '-'}")
    print(t("지원과제 {n}건", n=len(detail.cases)))
    for case in detail.cases:
        print(f"  {case.year} [{case.type_code}] {case.title} — {t('정부지원금')} {_amount(case.funding.grant)}")
    print(t("인증 {c}건, 시험분석 {te}건, 지식재산권 {ip}건, 방문 {v}건, 미완료 후속조치 {f}건",
            c=len(detail.certifications), te=len(detail.tests), ip=len(detail.ip_rights), v=len(detail.visits),
            f=len(detail.open_follow_ups)))
    return 0


def cmd_firm_delete(args: argparse.Namespace, services: Services) -> int:
    from boeun_desk.services.firm_records import describe

    firm = services.firms.by_brn(args.target_brn)
    going = services.firms.dependents(firm.id)
    services.firms.delete(firm.id)
    print(t("휴지통으로 옮겼습니다: {name}", name=firm.name))
    if going:
        print(t("함께 옮긴 기록: {records}", records=describe(going)))
    return 0


def cmd_firm_restore(args: argparse.Namespace, services: Services) -> int:
    from boeun_desk.services.firm_records import describe

    firm = services.firms.by_brn(args.target_brn, in_trash=True)
    coming = services.firms.dependents(firm.id)
    services.firms.restore(firm.id)
    print(t("복원했습니다: {name}", name=firm.name))
    if coming:
        print(t("함께 복원한 기록: {records}", records=describe(coming)))
    return 0


def cmd_expiring(args: argparse.Namespace, services: Services) -> int:
    rows = services.queries.expiring_certifications(args.days, include_expired=args.expired)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(t("{firm} — {kind} {number}: {expires} 만료 (D{sign}{days})", firm=row.firm_name, kind=row.kind,
                number=row.number, expires=row.expires_on, sign="-" if row.days_left >= 0 else "+",
                days=abs(row.days_left)))
    print(t("{days}일 이내 만료 인증 {n}건", days=args.days, n=len(rows)))
    return 0


def cmd_overdue(args: argparse.Namespace, services: Services) -> int:
    rows = services.queries.overdue_follow_ups()
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(t("{firm} — {action} (기한 {due})", firm=row.firm_name, action=row.action, due=row.due_date))
    print(t("기한이 지난 후속조치 {n}건", n=len(rows)))
    return 0


# --- parser ----------------------------------------------------------------------------------

# The options that start the window (or the self-test) and the ones of them that take a value.
_WINDOW_OPTIONS = {"--db": True, "--officer": True, "--lang": True, "--demo": False, "--self-test": False}


def starts_window(argv: Sequence[str]) -> bool:
    """True when `argv` holds only the window's options: its start then skips building the parsers
    of every command (argparse looks up its own translations for each, 25 ms of the start)."""
    values = iter(argv)
    for arg in values:
        name = arg.split("=", 1)[0]
        if name not in _WINDOW_OPTIONS:
            return False
        if _WINDOW_OPTIONS[name] and "=" not in arg and next(values, None) is None:
            return False
    return True


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="boeun-desk", description=t("보은 데스크: 지역산업 지원사업 관리"))
    parser.add_argument("--db", metavar="PATH_OR_URL", help=t("데이터베이스 파일 경로 또는 SQLAlchemy URL"))
    parser.add_argument("--demo", action="store_true", help=t("데모 데이터베이스로 엽니다 (없으면 만듭니다)"))
    parser.add_argument("--officer", default="", help=t("작업하는 담당자 이름 (변경 이력에 기록)"))
    parser.add_argument("--lang", choices=("ko", "en"), default="ko", help=t("표시 언어"))
    parser.add_argument("--version", action="version", version=f"boeun-desk {__version__}")
    parser.add_argument("--self-test", action="store_true", help=t("설치 점검: 임시 데이터베이스, 문서, 화면을 시험하고 끝냅니다"))
    if not commands:
        parser.set_defaults(command=None)
        return parser
    from boeun_desk.validation import as_argument, parse_days, parse_year

    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser("demo", help=t("데모 데이터베이스 만들기"))
    demo.add_argument("path")
    demo.add_argument("--force", action="store_true", help=t("있는 파일을 덮어씁니다"))
    demo.set_defaults(handler=cmd_demo, needs_db=False)

    stats = sub.add_parser("stats", help=t("연차 실적 통계"))
    stats.add_argument("--year", type=as_argument(parse_year), required=True)
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=cmd_stats)

    firm = sub.add_parser("firm", help=t("기업 등록·수정·조회"))
    firm_sub = firm.add_subparsers(dest="firm_command", required=True, parser_class=_Parser)
    add = firm_sub.add_parser("add", help=t("기업 등록"))
    update = firm_sub.add_parser("update", help=t("기업 정보 수정"))
    update.add_argument("target_brn", metavar="BRN_OR_UUID")
    for command in (add, update):
        for option, field, help_text in FIRM_OPTIONS:
            command.add_argument(option, dest=field, help=t(help_text),
                                 required=command is add and field in {"name", "brn"})
        command.add_argument("--json", action="store_true")
    add.set_defaults(handler=cmd_firm_add)
    update.set_defaults(handler=cmd_firm_update)
    listing = firm_sub.add_parser("list", help=t("기업 목록"))
    listing.add_argument("--search")
    listing.add_argument("--deleted", action="store_true", help=t("휴지통의 기업"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_firm_list)
    for name, handler, help_text in (("show", cmd_firm_show, "기업 상세"), ("delete", cmd_firm_delete, "휴지통으로"),
                                     ("restore", cmd_firm_restore, "휴지통에서 복원")):
        command = firm_sub.add_parser(name, help=t(help_text))
        command.add_argument("target_brn", metavar="BRN_OR_UUID")
        if name == "show":
            command.add_argument("--json", action="store_true")
        command.set_defaults(handler=handler)

    expiring = sub.add_parser("expiring", help=t("만료 예정 인증"))
    expiring.add_argument("--days", type=as_argument(parse_days), default=60)
    expiring.add_argument("--expired", action="store_true", help=t("이미 만료된 인증도 포함"))
    expiring.add_argument("--json", action="store_true")
    expiring.set_defaults(handler=cmd_expiring)
    overdue = sub.add_parser("overdue", help=t("기한이 지난 후속조치"))
    overdue.add_argument("--json", action="store_true")
    overdue.set_defaults(handler=cmd_overdue)
    from boeun_desk import crypto_commands, server_commands, visit_commands
    from boeun_desk.exchange import commands as exchange_commands
    from boeun_desk.reports import commands as report_commands

    visit_commands.register(sub, _Parser)
    crypto_commands.register(sub, _Parser)
    report_commands.register(sub, _Parser)
    exchange_commands.register(sub, _Parser)
    server_commands.register(sub, _Parser)
    return parser


def _database_target(args: argparse.Namespace) -> str | Path | None:
    if args.demo and not args.db:
        path = demo_database_path()
        if not path.exists():
            from boeun_desk.services.demo import write_demo

            write_demo(path)
        return path
    return args.db


def _run(args: argparse.Namespace) -> int:
    if args.self_test:
        from boeun_desk.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        return _start_app(args)
    handler: Callable[..., int] = args.handler
    if not getattr(args, "needs_db", True):
        return handler(args)
    from sqlalchemy import exc

    from boeun_desk.services import Services
    from boeun_desk.storage.engine import describe_error, open_database
    from boeun_desk.storage.errors import DatabaseError
    from boeun_desk.storage.target import database_file

    target = _database_target(args)
    named = database_file(target) if target is not None else None  # the default file may be new
    if named is not None and not named.exists():
        # A mistyped --db must not quietly become a new, empty database for a command.
        raise UsageError(t("데이터베이스 파일이 없습니다: {path}\n새 데이터베이스는 프로그램 창에서 만들거나"
                           "(boeun-desk --db 파일), 데모로 만드세요(boeun-desk demo 파일).", path=target))
    from boeun_desk.crypto_commands import unlock

    key = unlock(named) if named is not None else None
    database = open_database(target, auto_backup=True, key=key)
    try:
        return handler(args, Services(database, args.officer))
    except exc.SQLAlchemyError as error:
        raise DatabaseError(describe_error(error, database)) from error
    finally:
        database.close()
        _warn_low_space(database.path)


def _warn_low_space(path: Path | None) -> None:
    from boeun_desk.storage.backup import space_warning

    warning = space_warning(path) if path is not None else None
    if warning:
        print(t("경고") + f" — {warning}", file=sys.stderr)


def _start_app(args: argparse.Namespace) -> int:
    """No command: open the desktop program on the chosen database (Qt is imported only here)."""
    from boeun_desk.app import run

    return run(_database_target(args), officer=args.officer)


# Control characters (an ESC sequence recolours or rewrites the terminal) and direction overrides
# are shown as U+FFFD: the rules refuse them on input, but a file from an older version may hold them.
_UNPRINTABLE = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
                              *(ord(c) for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")], "\ufffd")


class _Printable:
    """A text stream that writes through to `stream` with control characters made visible."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.unfiltered = stream  # for what the program itself writes: progress.count_line's carriage return

    def write(self, text: str) -> int:
        # Lone surrogates (from a hand-made file) cannot be encoded: shown as "?" rather than a traceback.
        return self.stream.write(text.translate(_UNPRINTABLE).encode("utf-8", "replace").decode("utf-8"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(stdout), _Printable(stderr)
    try:
        code = _main(argv)
        sys.stdout.flush()  # a pipe closed early fails here, at the latest, not at interpreter exit
        return code
    except KeyboardInterrupt:  # Ctrl+C: the work's own clean-up has run on the way out (a batch's files, workers)
        print("\n" + t("Ctrl+C로 중단했습니다."), file=sys.stderr)  # below the terminal's ^C
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`boeun-desk firm list | head -1`): the output was not wanted any more.
        # Later writes (the flush at exit) go nowhere instead of printing a second error.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 0
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv[:-1]:
        set_language(argv[argv.index("--lang") + 1] if argv[argv.index("--lang") + 1] in ("ko", "en") else "ko")
    try:
        args = build_parser(commands=not starts_window(argv)).parse_args(argv)
        return _run(args)
    except UsageError as error:
        print(str(error), file=sys.stderr)
    except BrokenPipeError:
        raise  # main() ends quietly
    except Exception as error:  # noqa: BLE001 - the rules' and the database layer's errors, imported when used
        return _failure(error)
    return EXIT_INVALID


def _failure(error: Exception) -> int:
    """Exit code for refused input or an error from the database layer (Korean message printed);
    others propagate."""
    from boeun_desk.validation import InvalidValue, ValidationFailed

    if isinstance(error, ValidationFailed):
        print(t("입력값이 올바르지 않습니다:"), file=sys.stderr)
        for item in error.errors:
            print(f"  - {item}", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(error, InvalidValue):
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    from boeun_desk.reports.pool import PoolBroken
    from boeun_desk.services import NotFound, StaleEdit
    from boeun_desk.services.demo import DemoExists
    from boeun_desk.storage.errors import DatabaseError, InvalidDatabasePath

    if isinstance(error, NotFound | DemoExists | StaleEdit | InvalidDatabasePath):
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    if isinstance(error, DatabaseError | PoolBroken):
        print(str(error), file=sys.stderr)
        return EXIT_FAILURE
    if isinstance(error, OSError):
        print(t("파일을 읽거나 쓸 수 없습니다: {detail}", detail=error), file=sys.stderr)
        return EXIT_FAILURE
    raise error

