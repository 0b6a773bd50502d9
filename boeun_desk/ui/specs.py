"""What each list screen shows: a kind of record (kinds.py), its columns and filters (declarative).

A column names a schema field and its width; its header, how it shows (money, date, a referenced
record's name, a choice's label) and its choices come from the field, so a label is written once,
in schemas.py. `HEADERS` lists the headers that differ from their field's label on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boeun_desk.kinds import BY_KEY, REFERENCES, Kind
from boeun_desk.validation import Field


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, date, datetime, money, choice, lookup, bool, brn, int, expiry (of a date)
    lookup: str = ""  # for kind "lookup": the referenced kind's key (kinds.REFERENCES)
    choices: Mapping[str, str] | None = None
    width: int = 0
    blank: str = ""  # what an empty value reads as (through t()), e.g. a target of no firm: 사업 전체


@dataclass(frozen=True)
class ListSpec:
    kind: Kind
    columns: tuple[Column, ...]
    year_field: str = ""  # "program_year_id" or "year": enables the year filter
    type_field: str = ""  # enables the support-type filter
    status_filter: bool = False  # filter by the schema's "status" choices
    expiring: bool = False  # certifications: "expiring within N days" filter
    firm_field: str = "firm_id"
    print_kind: str = ""  # a document printable from the context menu: firm, visit, certs, meeting
    named_by: tuple[str, ...] = ()  # the columns that name a record in a question ("": the first)

    @property
    def key(self) -> str:
        return self.kind.service

    @property
    def service(self) -> str:
        return self.kind.service

    @property
    def title(self) -> str:
        return self.kind.label

    @property
    def schema(self) -> Sequence[Field]:
        return self.kind.schema

    @property
    def expiry_field(self) -> str:
        """The date after which a record has expired ("" for kinds that do not expire)."""
        return next((c.key for c in self.columns if c.kind == "expiry"), "")

    @property
    def status_choices(self) -> Mapping[str, str] | None:
        return self.kind.field("status").choices if self.status_filter else None


# How a field of each kind shows in a list (other kinds show as text).
_SHOWN_AS = {"amount": "money", "ref": "lookup", "brn": "brn", "date": "date", "datetime": "datetime",
             "choice": "choice", "bool": "bool", "int": "int"}

# Column headers that differ from their field's label on purpose: (list, field) -> header. Short
# headers for narrow columns; a match's firm under the lists' usual "기업".
HEADERS = {("cases", "program_year_id"): "연도", ("cases", "status"): "상태", ("visits", "starts_at"): "일시",
           ("matches", "program_year_id"): "연도", ("matches", "firm_id"): "기업",
           ("meetings", "program_year_id"): "연도", ("indicator_targets", "program_year_id"): "연도",
           ("indicator_targets", "firm_id"): "기업"}
# What an empty value of a column reads as: (list, field) -> text.
BLANKS = {("indicator_targets", "firm_id"): "사업 전체"}

# The column beside an expiry date that says whether the record has expired (derived, not a field).
EXPIRY_HEADER = "만료 상태"


def _list(entity: str, columns: tuple[tuple[str, int], ...], *, expiry: str = "", **options: Any) -> ListSpec:
    """The list of the kind `entity` showing the schema fields `columns` ((name, width) pairs);
    `expiry` names a date field after which a record has expired: a column beside it says so."""
    kind = BY_KEY[entity]

    def column(name: str, width: int) -> tuple[Column, ...]:
        field = kind.field(name)
        shown_as = _SHOWN_AS.get(field.kind, "text")
        shown = Column(name, HEADERS.get((kind.service, name), field.label), shown_as,
                       REFERENCES[name].key if shown_as == "lookup" else "", field.choices, width,
                       BLANKS.get((kind.service, name), ""))
        return (shown, Column(name, EXPIRY_HEADER, "expiry", width=80)) if name == expiry else (shown,)

    return ListSpec(kind, tuple(c for name, width in columns for c in column(name, width)), **options)


SPECS: dict[str, ListSpec] = {s.key: s for s in (
    _list("firm", (("name", 220), ("brn", 120), ("representative", 90), ("phone", 120), ("main_products", 220),
                   ("local_resource", 110), ("address", 260)), firm_field="", print_kind="firm", named_by=("name",)),
    _list("support_case", (("program_year_id", 60), ("support_type_id", 150), ("firm_id", 180), ("title", 240),
                           ("status", 60), ("start_date", 95), ("end_date", 95), ("grant_national", 95),
                           ("grant_provincial", 90), ("grant_county", 90)),
          year_field="program_year_id", type_field="support_type_id", status_filter=True, named_by=("title",)),
    _list("visit", (("starts_at", 130), ("firm_id", 200), ("support_type_id", 160), ("officer_id", 80),
                    ("place", 200), ("purpose", 330)), type_field="support_type_id", print_kind="visit",
          named_by=("starts_at", "firm_id")),
    _list("certification", (("firm_id", 200), ("kind", 190), ("number", 130), ("issuer", 170), ("issued_on", 95),
                            ("expires_on", 95), ("product", 150)), expiring=True, print_kind="certs",
          named_by=("firm_id", "kind"), expiry="expires_on"),
    _list("test_analysis", (("firm_id", 200), ("kind", 170), ("item", 200), ("lab", 170), ("requested_on", 95),
                            ("result_on", 95), ("passed", 70), ("report_no", 120)), named_by=("firm_id", "item")),
    _list("ip_right", (("firm_id", 200), ("kind", 90), ("title", 220), ("application_no", 140),
                       ("application_date", 95), ("registration_no", 120), ("status", 60)), status_filter=True,
          named_by=("title",)),
    _list("indicator", (("year", 60), ("firm_id", 200), ("metric", 150), ("baseline", 140), ("result", 140),
                        ("notes", 200)), year_field="year", named_by=("year", "firm_id", "metric")),
    _list("indicator_target", (("program_year_id", 60), ("metric", 160), ("firm_id", 220), ("target", 150),
                               ("notes", 260)), year_field="program_year_id",
          named_by=("program_year_id", "metric", "firm_id")),
    _list("supply_company", (("name", 220), ("brn", 120), ("fields", 240), ("contact_name", 90), ("phone", 120),
                             ("email", 180)), firm_field="", named_by=("name",)),
    _list("match", (("program_year_id", 60), ("supply_company_id", 200), ("firm_id", 200), ("matched_on", 95),
                    ("occasion", 200), ("status", 60)), year_field="program_year_id", status_filter=True,
          named_by=("supply_company_id", "firm_id")),
    _list("meeting", (("program_year_id", 60), ("kind", 170), ("held_on", 95), ("title", 220), ("place", 200),
                      ("recommendations", 300)), year_field="program_year_id", firm_field="",
          print_kind="meeting", named_by=("held_on", "title")),
)}
