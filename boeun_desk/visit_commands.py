"""`boeun-desk visit ...`: attach a file to a visit and list a visit's files (a script can check
that a sync carried them)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from boeun_desk.i18n import t


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    visit = sub.add_parser("visit", help=t("방문 기록의 첨부파일"))
    commands = visit.add_subparsers(dest="visit_command", required=True, parser_class=parser_class)

    attach = commands.add_parser("attach", help=t("방문 기록에 파일 첨부"))
    attach.add_argument("visit_id", metavar="VISIT_ID", help=t("방문 기록 UUID"))
    attach.add_argument("file", metavar="FILE", type=Path)
    attach.add_argument("--caption", default="", help=t("설명 (보고서의 사진 아래에 나옵니다)"))
    attach.add_argument("--json", action="store_true")
    attach.set_defaults(handler=cmd_attach)

    listing = commands.add_parser("attachments", help=t("방문 기록의 첨부파일 목록"))
    listing.add_argument("visit_id", metavar="VISIT_ID", help=t("방문 기록 UUID"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_attachments)


def attachment_json(services: Any, view: Any) -> dict[str, Any]:
    path = services.attachments.find(view.content_hash)
    return {"id": view.id, "filename": view.filename, "caption": view.caption, "size": view.size,
            "content_hash": view.content_hash, "media_type": view.media_type, "present": path is not None,
            "path": str(path) if path is not None else None}


def cmd_attach(args: argparse.Namespace, services: Any) -> int:
    visit = services.visits.get(args.visit_id)  # an unknown or deleted visit: NotFound, exit 2
    changes = services.attachments.attach("visit", visit.id, args.file, caption=args.caption)
    view = services.attachments.get(changes.id)
    if args.json:
        print(json.dumps(attachment_json(services, view), ensure_ascii=False, indent=2))
    else:
        print(t("첨부했습니다: {name} ({size:,} 바이트)", name=view.filename, size=view.size))
        print(view.id)
    return 0


def cmd_attachments(args: argparse.Namespace, services: Any) -> int:
    visit = services.visits.get(args.visit_id)
    rows = [attachment_json(services, view) for view in services.attachments.for_owner(visit.id)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        state = "" if row["present"] else "  " + t("(파일 없음)")
        print(f"{row['id']}  {row['filename']}  {row['size']:,}  {row['caption']}{state}")
    print(t("첨부파일 {n}개 (없는 파일 {missing}개)", n=len(rows), missing=sum(not r["present"] for r in rows)))
    return 0
