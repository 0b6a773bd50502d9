"""방문상담·기술지도 일지: one visit with approval boxes, firm block, notes, follow-ups, photos and
signature lines."""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, Table

from boeun_desk.i18n import t
from boeun_desk.reports.base import (
    CONTENT_WIDTH,
    GRID,
    HEADER_FILL,
    Renderer,
    Styles,
    fields_table,
    gap,
    grid_style,
    keep,
    para,
    section,
    table,
    text,
)
from boeun_desk.services.documents import Photo, VisitRecordData
from boeun_desk.validation import format_brn

PHOTO_MAX_HEIGHT = 70 * mm
PHOTO_MAX_SIDE = 1600  # pixels kept on the long side: about 500 dpi across a photo's 8 cm
PHOTO_MAX_PIXELS = 80_000_000  # a phone takes 12-50 megapixels; more is not a photo to print


def approval_boxes() -> Table:
    """결재란: 담당 / 팀장 / 본부장 with room to sign."""
    heads = [t("담당"), t("팀장"), t("본부장")]
    data = [[para(t("결재"), Styles.head)] + [para(h, Styles.head) for h in heads], [""] * 4]
    style = grid_style(("GRID", (0, 0), (-1, -1), 0.6, GRID), ("SPAN", (0, 0), (0, 1)),
                        ("BACKGROUND", (0, 0), (0, 1), HEADER_FILL), ("BACKGROUND", (1, 0), (-1, 0), HEADER_FILL),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"))
    return Table(data, colWidths=[9 * mm, 20 * mm, 20 * mm, 20 * mm], rowHeights=[6 * mm, 15 * mm], style=style)


def boxed(value: str) -> Table:
    """A long text in a full-width box that may split across pages."""
    return Table([[para(value, Styles.body)]], colWidths=[CONTENT_WIDTH], splitInRow=1,
                 style=grid_style(("BOX", (0, 0), (-1, -1), 0.6, GRID), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 5)))


def photo_cell(photo: Photo, width: float) -> list[Flowable]:
    """The photo, decoded here within limits and scaled to print size, or a note in its place:
    a file that is not a picture, cut short, or absurdly large never stops the document."""
    try:
        if photo.path is None:  # not in the files folder (or a record naming no proper file)
            raise FileNotFoundError(photo.caption)
        printed = _printable(photo.path)
    except (OSError, ValueError, SyntaxError, MemoryError, UnidentifiedImageError, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning):
        return [para(t("사진을 열 수 없습니다: {name}", name=photo.caption), Styles.note)]
    pixel_width, pixel_height = printed.size
    scale = min(width / pixel_width, PHOTO_MAX_HEIGHT / pixel_height)
    buffer = io.BytesIO()
    printed.save(buffer, "JPEG", quality=88)
    buffer.seek(0)
    return [Image(buffer, pixel_width * scale, pixel_height * scale), para(photo.caption, Styles.note)]


def _printable(path: Any) -> PILImage.Image:
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


def signature_lines(officer: str, representative: str) -> Table:
    line = "______________________"
    data = [[para(t("담당자"), Styles.cell_bold), para(f"{text(officer)}   {line} {t('(서명)')}", Styles.cell),
             para(t("기업 확인"), Styles.cell_bold),
             para(f"{text(representative)}   {line} {t('(서명)')}", Styles.cell)]]
    return Table(data, colWidths=[0.1 * CONTENT_WIDTH, 0.4 * CONTENT_WIDTH, 0.1 * CONTENT_WIDTH, 0.4 * CONTENT_WIDTH],
                 style=grid_style(("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 10)))


class VisitRecord(Renderer):
    title = "방문상담·기술지도 일지"

    def story(self, data: VisitRecordData) -> list[Flowable]:
        visit, firm = data.visit, data.firm
        when = text(visit.starts_at) + (f"~{visit.ends_at:%H:%M}" if visit.ends_at else "")  # 2024. 6. 22.(토) 15:00~17:00
        heading = Table([[Paragraph(t("방문상담·기술지도 일지"), Styles.title), approval_boxes()]],
                        colWidths=[CONTENT_WIDTH - 72 * mm, 72 * mm],
                        style=grid_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT")))
        return [
            heading,
            para(t("{program} ({year}년)", program=data.program_name, year=data.year), Styles.subtitle),
            section(t("1. 기업")),
            fields_table([(t("업체명"), firm.name), (t("사업자등록번호"), format_brn(firm.brn)),
                          (t("대표자"), firm.representative), (t("전화번호"), firm.phone),
                          (t("주소"), firm.address), (t("주요 제품"), firm.main_products)]),
            section(t("2. 방문 개요")),
            fields_table([(t("일시"), when), (t("장소"), visit.place), (t("지원유형"), t(data.type_name) if
                                                                       data.type_name else ""),
                          (t("담당자"), data.officer), (t("관련 과제"), data.case_title), (t("참석자"), visit.attendees),
                          (t("방문 목적"), visit.purpose)], columns=1),
            section(t("3. 현황 및 애로사항")),
            boxed(visit.situation),
            section(t("4. 상담·지도 내용")),
            boxed(visit.advice),
            section(t("5. 후속조치")),
            table([t("번호"), t("조치 내용"), t("기한"), t("완료")],
                  [(i, f.action, f.due_date, t("완료") if f.done else t("미완료"))
                   for i, f in enumerate(data.follow_ups, start=1)],
                  [0.07, 0.63, 0.16, 0.14], aligns="clcc", empty=t("후속조치가 없습니다.")),
            section(t("6. 현장 사진")),
            photo_grid(data.photos),
            *([para(t("기타 첨부: {names}", names=", ".join(data.other_files)), Styles.note)]
              if data.other_files else []),
            gap(6),
            keep(signature_lines(data.officer, firm.representative)),
        ]
