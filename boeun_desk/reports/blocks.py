"""What a document says, apart from how it is drawn: a document is a title and a list of blocks
(headings, label/value grids, tables with their total row, text, photos, signature lines).

Each renderer builds a `Document` from its plain data; the PDF writer (`reports.pdf`) and the HWPX
writer (`reports.hwpx`) draw the same blocks, so the two files carry the same words and figures.
Every value in a block is already the text that is printed (dates, money and empty values
formatted by `reports.format`); writers never format numbers themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Approval:
    """결재란: the box titles (e.g. 담당 / 팀장 / 센터장), left to right."""

    titles: tuple[str, ...]


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: str = ""
    approval: Approval | None = None  # drawn beside the title
    byline: tuple[tuple[str, str], ...] = ()  # 작성기관 / 작성부서 / 작성자 / 작성일, under the title


@dataclass(frozen=True)
class Heading:
    """A section heading: never left alone at the foot of a page (kept with the next block's start)."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Label/value pairs, `columns` pairs to a row."""

    pairs: tuple[tuple[str, str], ...]
    columns: int = 2


@dataclass(frozen=True)
class Grid:
    """A table: header row, rows, an optional total row (the sum of the rows above, in the same terms).

    `widths` are fractions of the text width; `aligns` one letter per column (l/c/r). With no rows,
    `empty` is printed as a note instead of the table.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    aligns: str = ""
    total: tuple[str, ...] | None = None
    empty: str | None = None

    def __post_init__(self) -> None:
        width = len(self.headers)
        if len(self.widths) != width or (self.aligns and len(self.aligns) != width) or \
                any(len(row) != width for row in self.rows) or (self.total is not None and len(self.total) != width):
            raise ValueError("every row of a grid has one cell per column")


@dataclass(frozen=True)
class Text:
    """Running text: `body`, `note` (small, grey) or `strong` (bold)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Box:
    """A long text in a full-width box (may run over pages)."""

    text: str


@dataclass(frozen=True)
class Photos:
    photos: tuple[Any, ...]  # each with `path` (None: not in the files folder) and `caption`
    empty: str = ""


@dataclass(frozen=True)
class Signatures:
    """Signature lines: (role, name) pairs, each followed by a line and "(서명 또는 인)"."""

    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Group:
    """Blocks printed together on one page where they fit (e.g. one meeting's record)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Part:
    """The start of one part of a combined document (one firm): a new page, an entry in the
    contents and the running header of its pages."""

    key: str
    title: str


@dataclass(frozen=True)
class Contents:
    """목차: the parts' titles with the page each starts on."""

    parts: tuple[Part, ...]


Block = Title | Heading | Fields | Grid | Text | Box | Photos | Signatures | Group | PageBreak | Part | Contents


@dataclass(frozen=True)
class Document:
    """One printed document: its title (also the file's metadata), the running header's left text,
    the print date, and the blocks. `author` and `subject` go into the file's metadata."""

    title: str
    header: str
    printed: date
    blocks: tuple[Block, ...]
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = field(default=())


def plain_text(document: Document) -> list[str]:
    """Every piece of text of a document, in order (tests compare a PDF and its HWPX copy with it)."""
    out: list[str] = [document.title]

    def walk(block: Block) -> None:
        if isinstance(block, Title):
            out.extend([block.text, block.subtitle, *(block.approval.titles if block.approval else ()),
                        *(x for pair in block.byline for x in pair)])
        elif isinstance(block, Heading | Text | Box):
            out.append(block.text)
        elif isinstance(block, Fields):
            out.extend(x for pair in block.pairs for x in pair)
        elif isinstance(block, Grid):
            if block.rows or block.empty is None:
                out.extend(block.headers)
                out.extend(x for row in block.rows for x in row)
                out.extend(block.total or ())
            else:
                out.append(block.empty)
        elif isinstance(block, Photos):
            out.extend(p.caption for p in block.photos) if block.photos else out.append(block.empty)
        elif isinstance(block, Signatures):
            out.extend(x for pair in block.lines for x in pair)
        elif isinstance(block, Group):
            for inner in block.blocks:
                walk(inner)
        elif isinstance(block, Part):
            out.append(block.title)
        elif isinstance(block, Contents):
            out.extend(part.title for part in block.parts)

    for block in document.blocks:
        walk(block)
    return [x for x in out if x]


def title_block(text: str, subtitle: str, settings: Any, written_on: date, *, approval: bool = True) -> Title:
    """A document's title with the office's 결재란 and the byline 작성기관 · 작성부서 · 작성자 · 작성일
    (from `DocumentSettings`)."""
    from boeun_desk.i18n import t
    from boeun_desk.reports.format import day_text

    byline = tuple((label, value) for label, value in (
        (t("작성기관"), settings.organisation), (t("작성부서"), settings.department),
        (t("작성자"), settings.author), (t("작성일"), day_text(written_on))) if value)
    boxes = Approval(tuple(settings.approval)) if approval and settings.approval else None
    return Title(text, subtitle, boxes, byline)

