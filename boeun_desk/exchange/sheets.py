"""Which records go to which spreadsheet sheet, with the schema that names and types the columns:
the kinds (kinds.py) that have a sheet, in their order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boeun_desk.kinds import KINDS
from boeun_desk.models import Tracked
from boeun_desk.validation import Field


@dataclass(frozen=True)
class Sheet:
    key: str  # CLI name
    model: type[Tracked]
    schema: Sequence[Field]
    title: str  # Korean sheet title (through t())


SHEETS = tuple(Sheet(kind.sheet, kind.model, kind.schema, kind.title) for kind in KINDS if kind.sheet)
BY_KEY = {sheet.key: sheet for sheet in SHEETS}
