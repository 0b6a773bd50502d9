"""방문상담·기술지도 일지: one visit with the office's 결재란, record number, firm block, the expert and
hours of guidance, notes, follow-ups, photos and signature lines."""

from __future__ import annotations

import io
import warnings
from datetime import datetime
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Table

from boeun_desk.i18n import t
from boeun_desk.reports import blocks as b
from boeun_desk.reports.base import CONTENT_WIDTH, Renderer, Styles, grid_style, para
from boeun_desk.reports.format import row_text, text, when_text
from boeun_desk.services.documents import Photo, VisitRecordData
from boeun_desk.validation import format_brn

PHOTO_MAX_HEIGHT = 70 * mm
PHOTO_MAX_SIDE = 1600  # pixels kept on the long side: about 500 dpi across a photo's 8 cm
PHOTO_MAX_PIXELS = 80_000_000  # a phone takes 12-50 megapixels; more is not a photo to print


def photo_cell(photo: Photo, width: float) -> list[Flowable]:
    """The photo, decoded here within limits and scaled to print size, or a note in its place:
    a file that is not a picture, cut short, or absurdly large never stops the document."""
    try:
        if photo.path is None:  # not in the files folder (or a record naming no proper file)
            raise FileNotFoundError(photo.caption)
        printed = printable_photo(photo.path)
    except PHOTO_ERRORS:
        return [para(t("사진을 열 수 없습니다: {name}", name=photo.caption), Styles.note)]
    pixel_width, pixel_height = printed.size
    scale = min(width / pixel_width, PHOTO_MAX_HEIGHT / pixel_height)
    buffer = io.BytesIO()
    printed.save(buffer, "JPEG", quality=88)
    buffer.seek(0)
    return [Image(buffer, pixel_width * scale, pixel_height * scale), para(photo.caption, Styles.note)]


# What a photo that cannot be printed raises: a note is printed in its place (PDF and HWPX alike).
PHOTO_ERRORS = (OSError, ValueError, SyntaxError, MemoryError, UnidentifiedImageError,
                PILImage.DecompressionBombError, PILImage.DecompressionBombWarning)


def printable_photo(path: Any) -> PILImage.Image:
    """The picture at most PHOTO_MAX_SIDE pixels on its long side, RGB; its size is checked before
    any pixel is decoded (a 48 KB PNG can claim 20,000 x 20,000)."""
    with warnings.catch_warnings():  # Pillow's own size warning is our refusal
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        image = PILImage.open(path)
    with image:
        if image.width * image.height > PHOTO_MAX_PIXELS:
            raise ValueError("too many pixels")
        image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))  # JPEG: decoded at a reduced size
        image.load()  # a file cut short fails here, not inside the PDF writer
        printed = ImageOps.exif_transpose(image).convert("RGB")
    printed.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    return printed


def photo_grid(photos: tuple[Photo, ...]) -> Flowable:
    if not photos:
        return para(t("첨부된 사진이 없습니다."), Styles.note)
    width = CONTENT_WIDTH / 2 - 4 * mm
    cells = [photo_cell(p, width) for p in photos]
    rows = [cells[i:i + 2] + ([""] if len(cells[i:i + 2]) == 1 else []) for i in range(0, len(cells), 2)]
    return Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2, hAlign="LEFT",
                 style=grid_style(("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")))


def hours_text(starts: datetime, ends: datetime | None) -> str:
    """The hours of guidance: 2시간, 1시간 30분."""
    if ends is None or ends <= starts:
        return ""
    minutes = int((ends - starts).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t("{h}시간 {m}분", h=hours, m=rest)
    return t("{h}시간", h=hours) if hours else t("{m}분", m=rest)


class VisitRecord(Renderer):
    title = "방문상담·기술지도 일지"

    def personal_names(self, data: VisitRecordData) -> list[str]:
        return [data.firm.representative, data.visit.expert_name]

    def photos(self, block: b.Photos) -> Flowable:
        return photo_grid(block.photos)

    def blocks(self, data: VisitRecordData) -> list[b.Block]:
        visit, firm = data.visit, data.firm
        expert = " ".join(x for x in (visit.expert_name, f"({visit.expert_org})" if visit.expert_org else "") if x)
        return [
            b.title_block(t("방문상담·기술지도 일지"), t("{program} ({year}년)", program=data.program_name,
                                                      year=data.year),
                          data.settings, data.written_on or data.today),
            b.Text(t("기록번호 {number}", number=data.record_no), "note"),
            b.Heading(t("1. 기업")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("업체명"), firm.name), (t("사업자등록번호"), format_brn(firm.brn)),
                (t("대표자"), firm.representative), (t("전화번호"), firm.phone),
                (t("주소"), firm.address), (t("주요 제품"), firm.main_products)))),
            b.Heading(t("2. 방문 개요")),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("일시"), when_text(visit.starts_at, visit.ends_at)),
                (t("지도 시간"), hours_text(visit.starts_at, visit.ends_at)),
                (t("지원유형"), t(data.type_name) if data.type_name else ""), (t("담당자"), data.officer),
                (t("지도위원"), expert), (t("관련 과제"), data.case_title)))),
            b.Fields(tuple((label, text(value)) for label, value in (
                (t("장소"), visit.place), (t("참석자"), visit.attendees), (t("방문 목적"), visit.purpose))),
                columns=1),
            b.Heading(t("3. 현황 및 애로사항")),
            b.Box(text(visit.situation)),
            b.Heading(t("4. 상담·지도 내용")),
            b.Box(text(visit.advice)),
            b.Heading(t("5. 후속조치")),
            b.Grid((t("번호"), t("조치 내용"), t("기한"), t("완료")),
                   tuple(row_text((i, f.action, f.due_date, t("완료") if f.done else t("미완료")))
                         for i, f in enumerate(data.follow_ups, start=1)),
                   (0.07, 0.63, 0.16, 0.14), "clcc", empty=t("후속조치가 없습니다.")),
            b.Heading(t("6. 현장 사진")),
            b.Photos(data.photos, empty=t("첨부된 사진이 없습니다.")),
            *([b.Text(t("기타 첨부: {names}", names=", ".join(data.other_files)), "note")]
              if data.other_files else []),
            b.Signatures(((t("담당자"), data.officer),
                          *(((t("지도위원"), visit.expert_name),) if visit.expert_name else ()),
                          (t("기업 확인"), firm.representative))),
        ]
