"""`boeun-desk report ...`: print the documents from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from boeun_desk.i18n import t
from boeun_desk.progress import count_line
from boeun_desk.validation import InvalidValue, as_argument, parse_year


def _api() -> Any:
    """The renderers, imported when a report is asked for: ReportLab stays out of program start-up."""
    from boeun_desk.reports import api

    return api


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help=t("문서 출력 (PDF, 한글 HWPX)"))
    kinds = report.add_subparsers(dest="report_kind", required=True, parser_class=parser_class)

    firm = kinds.add_parser("firm", help=t("기업별 지원현황"))
    which = firm.add_mutually_exclusive_group(required=True)
    which.add_argument("--brn", help=t("사업자등록번호"))
    which.add_argument("--all", action="store_true", help=t("모든 기업 (폴더에 기업별 파일, 또는 --combined로 한 파일)"))
    firm.add_argument("-o", "--output", required=True, type=Path)
    firm.add_argument("--combined", action="store_true",
                      help=t("모든 기업을 한 PDF로 (표지, 목차, 이어지는 쪽 번호)"))
    firm.set_defaults(handler=cmd_firm)

    visit = kinds.add_parser("visit", help=t("방문상담·기술지도 일지"))
    visit.add_argument("--id", required=True, help=t("방문 기록 UUID"))
    visit.add_argument("-o", "--output", required=True, type=Path)
    visit.set_defaults(handler=lambda args, services: _done(_api().render_visit_record(
        services, args.id, args.output, masked=args.masked)))

    certs = kinds.add_parser("certs", help=t("인증·시험분석 현황"))
    certs.add_argument("--brn", help=t("사업자등록번호 (없으면 사업 전체)"))
    certs.add_argument("-o", "--output", required=True, type=Path)
    certs.set_defaults(handler=cmd_certs)

    annual = kinds.add_parser("annual", help=t("연차 성과보고"))
    annual.add_argument("--year", required=True, type=as_argument(parse_year))
    annual.add_argument("-o", "--output", required=True, type=Path)
    annual.set_defaults(handler=lambda args, services: _done(_api().render_annual_report(
        services, args.year, args.output, masked=args.masked)))
    indicators = kinds.add_parser("indicators", help=t("성과지표 달성 현황"))
    budget = kinds.add_parser("budget", help=t("사업비 집행 현황"))
    matches = kinds.add_parser("matches", help=t("공급기업 매칭 현황"))
    for parser, render in ((indicators, "render_indicator_report"), (budget, "render_budget_report"),
                           (matches, "render_matches")):
        parser.add_argument("--year", required=True, type=as_argument(parse_year))
        parser.add_argument("-o", "--output", required=True, type=Path)
        parser.set_defaults(handler=lambda args, services, render=render: _done(getattr(_api(), render)(
            services, args.year, args.output, masked=args.masked)))

    meeting = kinds.add_parser("meeting", help=t("회의록"))
    meeting.add_argument("--id", required=True, help=t("회의 기록 UUID"))
    meeting.add_argument("-o", "--output", required=True, type=Path)
    meeting.set_defaults(handler=lambda args, services: _done(_api().render_meeting_minutes(
        services, args.id, args.output, masked=args.masked)))

    for parser in kinds.choices.values():
        add_masked(parser)
        add_format(parser)


FORMATS = ("pdf", "hwpx")
EXIT_SKIPPED = 1  # a batch saved its other files but left out some firms (cli.EXIT_FAILURE)


def add_format(parser: argparse.ArgumentParser) -> None:
    """`--format hwpx` (or an .hwpx output name): the editable 한글 copy with the same content."""
    parser.add_argument("--format", choices=FORMATS,
                        help=t("파일 형식: pdf(기본) 또는 hwpx(한글에서 고칠 수 있는 문서). "
                               "출력 이름이 .hwpx로 끝나면 hwpx"))
    handler = parser.get_default("handler")
    parser.set_defaults(handler=lambda args, services: handler(_with_output(args), services))


def output_path(path: Path, wanted: str | None) -> Path:
    """The file to write: its extension decides the format (.hwpx: HWPX, else PDF); `--format`
    must agree with an extension it names, and gives its own to a name without one."""
    suffix = path.suffix.lower()
    if wanted is None or suffix == f".{wanted}":
        return path
    if suffix in {f".{name}" for name in FORMATS}:
        raise InvalidValue(t("--format {format}과(와) 출력 파일 이름이 맞지 않습니다: {path} "
                             "(확장자를 .{format}으로 하거나 --format을 빼세요)", format=wanted, path=path))
    return path.with_name(f"{path.name}.{wanted}")


def _with_output(args: argparse.Namespace) -> argparse.Namespace:
    # `firm --all` without --combined writes a folder of files: --format names their kind there.
    if not (getattr(args, "all", False) and not getattr(args, "combined", False)):
        args.output = output_path(args.output, args.format)
    return args


def add_masked(parser: argparse.ArgumentParser) -> None:
    """`--masked`: the handout variant, personal data masked (대표자 김*용, 043-***-1234, e-mail)."""
    parser.add_argument("--masked", action="store_true",
                        help=t("배포용: 대표자 이름, 전화번호, 이메일을 가립니다"))


def _done(*paths: Path) -> int:
    for path in paths:
        print(t("저장했습니다: {path}", path=path))
    return 0


def cmd_firm(args: argparse.Namespace, services: Any) -> int:
    if args.brn:
        if args.combined:
            raise InvalidValue(t("--combined는 --all과 함께 씁니다"))
        return _done(_api().render_firm_summary(services, services.firms.by_brn(args.brn).id, args.output,
                                                masked=args.masked))
    firm_ids = services.firms.ids()
    if not firm_ids:
        raise InvalidValue(t("출력할 기업이 없습니다"))
    if args.combined and args.output.is_dir():
        raise InvalidValue(t("--combined의 출력 위치는 파일이어야 합니다: {path}", path=args.output))
    if not args.combined and args.output.exists() and not args.output.is_dir():
        raise InvalidValue(t("--all의 출력 위치는 폴더여야 합니다: {path}", path=args.output))

    counting = [False]  # a count is on the line: an error or Ctrl+C starts below it

    def progress(done: int, total: int, *, stage: str = "", stoppable: bool = True) -> None:
        count_line(f"{t('출력 중')} {done}/{total}" + (f" {stage}" if stage else ""), last=done >= total)
        counting[0] = done < total

    try:
        result = _api().render_firm_batch(services, firm_ids, args.output, combined=args.combined,
                                          masked=args.masked, progress=progress, hwpx=args.format == "hwpx")
    finally:
        if counting[0]:
            print(file=sys.stderr)
    if args.combined:
        _done(args.output)
    else:
        print(t("{n}개 파일을 저장했습니다: {path}", n=len(result.paths), path=args.output))
    if not result.skipped:
        return 0
    # The others are saved; the firms left out are named, and the exit code says not all were made.
    print(t("{n}개 기업은 문서를 만들지 못해 건너뛰었습니다:", n=len(result.skipped)), file=sys.stderr)
    for firm in result.skipped:
        print(f"  - {firm.name}: {firm.reason}", file=sys.stderr)
    return EXIT_SKIPPED


def cmd_certs(args: argparse.Namespace, services: Any) -> int:
    firm_id = services.firms.by_brn(args.brn).id if args.brn else None
    return _done(_api().render_certifications(services, args.output, firm_id, masked=args.masked))
