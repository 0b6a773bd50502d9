"""The unit of work and the generic create/update/delete/restore/list service every entity uses.

A service opens one session per officer action, commits or rolls back, and returns plain values:
frozen views (dataclasses built from the model's columns) and `Changes` records. ORM objects never
leave this package.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import Select, UniqueConstraint, func, not_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from boeun_desk.i18n import t
from boeun_desk.kinds import BY_KEY, REFERENCES, Kind, kind_of, shown_names
from boeun_desk.models import Tracked, utcnow
from boeun_desk.storage.engine import WRITE
from boeun_desk.validation import Cleaned, Field, FieldError, ValidationFailed, clean


class NotFound(LookupError):
    """The record asked for does not exist (or is deleted); str() is Korean."""


class StaleEdit(Exception):
    """The record changed since the form was opened; str() is Korean."""


EVERYTHING = "*"  # Changes.entity of work that may have changed any record (sync, import, restore)


@dataclass(frozen=True)
class Changes:
    """What a service call changed: broadcast by the GUI so each view refreshes what it shows."""

    entity: str  # a kind's key (kinds.py), or EVERYTHING
    ids: tuple[str, ...]
    action: str
    warnings: tuple[FieldError, ...] = ()

    @classmethod
    def everything(cls, action: str) -> Changes:
        return cls(EVERYTHING, (), action)

    @property
    def id(self) -> str:
        return self.ids[0]

    def touches(self, *entities: str) -> bool:
        """Whether records of any of these kinds may have changed."""
        return self.entity == EVERYTHING or self.entity in entities

    def touches_record(self, entity: str, record_id: str) -> bool:
        """Whether this record may have changed (no ids: any record of its kind may have)."""
        return self.entity == EVERYTHING or (self.entity == entity and (not self.ids or record_id in self.ids))


@cache
def view_class(model: type[Tracked]) -> type:
    """A frozen dataclass with the model's columns, e.g. `FirmView(id=..., name=..., brn=...)`."""
    columns = [(c.key, Any) for c in model.__mapper__.column_attrs]  # type: ignore[attr-defined]
    return dataclasses.make_dataclass(f"{model.__name__}View", columns, frozen=True)


def to_view(obj: Tracked) -> Any:
    cls = view_class(type(obj))
    return cls(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)})


def as_dict(view: Any) -> dict[str, Any]:
    return dataclasses.asdict(view)


@contextmanager
def unit_of_work(sessions: sessionmaker[Session], officer: str) -> Iterator[Session]:
    """One transaction for one officer action: commit on success, roll back on any error."""
    with sessions() as session, session.begin():
        session.info["officer"] = officer
        session.connection(execution_options={WRITE: True})  # SQLite: BEGIN IMMEDIATE (db._sqlite_begin)
        yield session


# Table name -> the service class of its records (filled as the classes are defined).
SERVICE_OF_TABLE: dict[str, type[EntityService]] = {}


class EntityService:
    """Create, update, soft delete, restore, get and list one kind of record.

    A subclass names its `model`; the schema, label and references come from the kind's
    description (kinds.py)."""

    model: ClassVar[type[Tracked]]
    kind: ClassVar[Kind]
    schema: ClassVar[Sequence[Field]]
    label: ClassVar[str]
    refs: ClassVar[Mapping[str, type[Tracked]]]  # reference field -> model (checked on save)
    search_columns: ClassVar[Sequence[str]] = ()
    # References whose record's name is searched too: a case is found by its firm's name.
    search_refs: ClassVar[Sequence[str]] = ()
    order_by: ClassVar[Sequence[str]] = ("created_at",)
    # Kinds that other records name (support types, supply companies...): not deleted while named.
    kept_while_used: ClassVar[bool] = False
    unique_handled: ClassVar[Sequence[str]] = ()  # unique columns whose clash a subclass words itself

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        if "model" in vars(cls):
            cls.kind = kind_of(cls.model)
            cls.schema, cls.label, cls.refs = cls.kind.schema, cls.kind.label, cls.kind.refs
            SERVICE_OF_TABLE[cls.kind.key] = cls

    def __init__(self, sessions: sessionmaker[Session], officer: str = ""):
        self.sessions = sessions
        self.officer = officer

    @property
    def entity(self) -> str:
        return self.model.__tablename__  # type: ignore[attr-defined]

    def session(self) -> Any:
        return unit_of_work(self.sessions, self.officer)

    # --- writing -----------------------------------------------------------------------------

    def create(self, data: Mapping[str, Any]) -> Changes:
        cleaned = clean(self.schema, self._own_fields(data))  # before the transaction: no lock for bad input
        with self.session() as session:
            return self.create_in(session, data, cleaned=cleaned)

    def create_in(self, session: Session, data: Mapping[str, Any], *, cleaned: Cleaned | None = None) -> Changes:
        """`create` in a transaction the caller owns (an import: every row or none)."""
        cleaned = cleaned or clean(self.schema, self._own_fields(data))
        warnings = self._check(session, cleaned.values, None)
        obj = self.model(**cleaned.values)
        session.add(obj)
        session.flush()
        self._after_save(session, obj, data)
        return Changes(self.entity, (obj.id,), "create", tuple(cleaned.warnings + warnings))

    def update(self, record_id: str, data: Mapping[str, Any], *,
               expected_version: int | None = None) -> Changes:
        cleaned = clean(self.schema, self._own_fields(data), partial=True)
        with self.session() as session:
            return self.update_in(session, record_id, data, expected_version=expected_version, cleaned=cleaned)

    def update_in(self, session: Session, record_id: str, data: Mapping[str, Any], *,
                  expected_version: int | None = None, cleaned: Cleaned | None = None) -> Changes:
        """`update` in a transaction the caller owns."""
        cleaned = cleaned or clean(self.schema, self._own_fields(data), partial=True)
        obj = self._load(session, record_id)
        if expected_version is not None and self._edit_version(session, obj) != expected_version:
            raise StaleEdit(t("다른 곳에서 먼저 수정된 기록입니다. 다시 열어 확인하세요"))
        warnings = self._check(session, cleaned.values, obj)
        for key, value in cleaned.values.items():
            setattr(obj, key, value)
        session.flush()
        self._after_save(session, obj, data)
        return Changes(self.entity, (obj.id,), "update", tuple(cleaned.warnings + warnings))

    def check(self, session: Session, data: Mapping[str, Any], record_id: str | None = None) -> list[FieldError]:
        """The rules of `create` (or of `update` of `record_id`) without writing: warnings, or
        ValidationFailed. For previews (the spreadsheet import)."""
        cleaned = clean(self.schema, self._own_fields(data), partial=record_id is not None)
        obj = self._load(session, record_id) if record_id is not None else None
        return cleaned.warnings + self._check(session, dict(cleaned.values), obj)

    def preview(self, data: Mapping[str, Any], record_id: str | None = None) -> list[FieldError]:
        """What saving `data` would warn about (a form asks before it saves), or ValidationFailed;
        nothing is written and no write lock is taken."""
        with self.sessions() as session:
            return self.check(session, data, record_id)

    def delete(self, record_id: str) -> Changes:
        """Move the record, and the records that go with it (`dependents`), to the 휴지통."""
        with self.session() as session:
            return self.delete_in(session, record_id)

    def delete_in(self, session: Session, record_id: str) -> Changes:
        obj = self._load(session, record_id)
        if self.kept_while_used:
            self._refuse_if_used(session, obj)
        going = [row for rows in self._dependents(session, obj).values() for row in rows]
        stamp = utcnow()
        for row in (obj, *going):
            row.deleted_at = stamp  # one stamp for all: restore() brings back exactly these
        return Changes(self.entity, (obj.id,), "delete")

    def _refuse_if_used(self, session: Session, obj: Tracked) -> None:
        """A record others name (a support type of cases, a company of matches) stays while a live
        record names it: deleting it would leave them pointing at the 휴지통 and the figures apart."""
        message = in_use(session, self.model.__table__, obj.id)  # type: ignore[attr-defined]
        if message:
            raise ValidationFailed([FieldError("", t(self.label), message)])

    def restore(self, record_id: str) -> Changes:
        """Bring the record back with the records that went to the 휴지통 with it."""
        with self.session() as session:
            return self.restore_in(session, record_id)

    def restore_in(self, session: Session, record_id: str) -> Changes:
        obj = self._load(session, record_id, include_deleted=True)
        self._check_restore(session, obj)
        coming = [row for rows in self._dependents(session, obj).values() for row in rows]
        for row in (obj, *coming):
            row.deleted_at = None
        return Changes(self.entity, (obj.id,), "restore")

    def dependents(self, record_id: str) -> dict[str, int]:
        """Label -> count of the records that go to the 휴지통 with this one (for a deleted record:
        that come back with it); empty for most kinds."""
        with self.sessions() as session:
            obj = self._load(session, record_id, include_deleted=True)
            return {label: len(rows) for label, rows in self._dependents(session, obj).items() if rows}

    # --- reading -----------------------------------------------------------------------------

    def edit_version(self, record_id: str) -> int:
        """What an edit form keeps when it opens and gives back to `update` as `expected_version`."""
        with self.sessions() as session:
            return self._edit_version(session, self._load(session, record_id))

    def state_in(self, session: Session, record_id: str, keys: Iterable[str]) -> dict[str, Any]:
        """The values `update` takes under `keys`, as the record has them now (what an undo puts back)."""
        obj = self._load(session, record_id, include_deleted=True)
        return {f.name: getattr(obj, f.name) for f in self.schema if f.name in set(keys)}

    def get(self, record_id: str, *, include_deleted: bool = False) -> Any:
        with self.sessions() as session:
            return to_view(self._load(session, record_id, include_deleted=include_deleted))

    def list(self, *, search: str | None = None, include_deleted: bool = False,
             deleted_only: bool = False, **filters: Any) -> list[Any]:
        query = self.query(search=search, include_deleted=include_deleted, deleted_only=deleted_only,
                           **filters)
        with self.sessions() as session:
            return [to_view(obj) for obj in session.scalars(query)]

    def ids(self, *, search: str | None = None, include_deleted: bool = False, deleted_only: bool = False,
            order: str | None = None, descending: bool = False, **filters: Any) -> list[str]:
        """Only the ids of `list()`'s rows (or sorted by the column `order`): cheap for 100,000 rows."""
        query = self.query(search=search, include_deleted=include_deleted, deleted_only=deleted_only, **filters)
        if order:
            column = getattr(self.model, order)
            query = query.order_by(None).order_by(column.desc() if descending else column.asc(), self.model.id)
        with self.sessions() as session:
            # Plain Core rows, not ORM loading: half the time on 100,000 ids.
            return [row[0] for row in session.connection().execute(query.with_only_columns(self.model.id))]

    def search_texts(self, *, include_deleted: bool = False, deleted_only: bool = False,
                     **filters: Any) -> dict[str, str]:
        """id -> the lower-cased text `search` looks in, for filtering long lists in memory."""
        query = self.query(include_deleted=include_deleted, deleted_only=deleted_only, **filters).order_by(None)
        columns = [getattr(self.model, c) for c in self.search_columns]
        own = len(columns)
        columns += [getattr(self.model, ref) for ref in self.search_refs]
        with self.sessions() as session:
            # Referenced names by id (deleted ones too, as in `query`), joined here: cheaper than in SQL.
            names = [shown_names(session, REFERENCES[ref]) for ref in self.search_refs]
            rows = session.connection().execute(query.with_only_columns(self.model.id, *columns))
            texts = {}
            for row in rows:  # plain Core rows: a third faster than through the ORM on 100,000
                parts = [str(v) for v in row[1:own + 1] if v]
                for lookup, ref_id in zip(names, row[own + 1:], strict=True):
                    name = lookup.get(ref_id)
                    if name:
                        parts.append(name)
                texts[row[0]] = "\x1f".join(parts).lower()
            return texts

    def term_variants(self, term: str) -> tuple[str, ...]:
        """The forms of a typed search term to look for (see `_search_term`)."""
        return tuple({term.lower(), *(self._search_term(c, term).lower() for c in self.search_columns)})

    def names(self) -> dict[str, Any]:
        """id -> how each live record reads where another refers to it (combo boxes, lookups in tables)."""
        with self.sessions() as session:
            return shown_names(session, self.kind, live_only=True)

    def rows(self, record_ids: Sequence[str]) -> dict[str, Any]:
        """Views of the given ids (a table's visible page), read with plain Core rows, not ORM objects."""
        cls = view_class(self.model)
        table = self.model.__table__  # type: ignore[attr-defined]
        names = [f.name for f in dataclasses.fields(cls)]
        found: dict[str, Any] = {}
        with self.sessions() as session:
            for start in range(0, len(record_ids), 500):
                chunk = list(record_ids[start:start + 500])
                for row in session.execute(select(*(table.c[n] for n in names)).where(table.c.id.in_(chunk))):
                    view = cls(*row)
                    found[view.id] = view
        return found

    def query(self, *, search: str | None = None, include_deleted: bool = False,
              deleted_only: bool = False, **filters: Any) -> Select[Any]:
        model = self.model
        query = select(model)
        if deleted_only:
            query = query.where(self._in_trash())
        elif not include_deleted:
            query = query.where(not_(self._in_trash()))
        for key, value in filters.items():
            if value is not None:
                query = query.where(getattr(model, key) == value)
        for term in (search or "").split():
            refs = [getattr(model, ref).in_(select(REFERENCES[ref].model.id).where(
                REFERENCES[ref].shown_column.icontains(term, autoescape=True))) for ref in self.search_refs]
            query = query.where(or_(*(getattr(model, c).icontains(self._search_term(c, term), autoescape=True)
                                      for c in self.search_columns), *refs))
        return query.order_by(*(getattr(model, c) for c in self.order_by))

    # --- hooks -------------------------------------------------------------------------------

    def _own_fields(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """The part of the input that belongs to this record (not to dependent rows)."""
        return data

    def _search_term(self, column: str, term: str) -> str:
        return term

    def _check(self, session: Session, values: dict[str, Any], obj: Tracked | None) -> list[FieldError]:
        """Cross-field and database rules. Raise ValidationFailed for errors, return warnings."""
        errors = [error for name, value in values.items()
                  if name in self.refs and value is not None
                  for error in [self._check_ref(session, name, value)] if error]
        merged = {f.name: getattr(obj, f.name) for f in self.schema} if obj is not None else {}
        merged.update(values)
        errors += self.record_errors(merged)
        if not errors:
            errors += self._unique_clashes(session, values, merged, obj)
        if errors:
            raise ValidationFailed(errors)
        return []

    def _unique_clashes(self, session: Session, values: Mapping[str, Any], merged: Mapping[str, Any],
                        obj: Tracked | None) -> list[FieldError]:
        """The table's unique keys (the same firm twice in a year, an indicator entered twice):
        a Korean message instead of the database's refusal. Rows in the 휴지통 count too (the key
        holds them): the officer is told to restore that one."""
        table = self.model.__table__  # type: ignore[attr-defined]
        for columns in _unique_keys(table):
            if set(columns) & set(self.unique_handled) or not set(columns) & set(values):
                continue
            key = [merged.get(c) for c in columns]
            if any(v is None or v == "" for v in key):
                continue  # NULLs never clash
            other = session.connection().execute(select(table.c.id, table.c.deleted_at).where(
                *(table.c[c] == v for c, v in zip(columns, key, strict=True)))).first()
            if other is None or (obj is not None and other.id == obj.id):
                continue
            names = "·".join(t(next((f.label for f in self.schema if f.name == c), c)) for c in columns)
            message = (t("휴지통에 같은 {fields}의 {label}이(가) 있습니다. 복원해서 사용하세요", fields=names,
                         label=t(self.label)) if other.deleted_at is not None else
                       t("같은 {fields}의 {label}이(가) 이미 있습니다", fields=names, label=t(self.label)))
            return [field_error(self.schema, columns[-1], message)]
        return []

    def record_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        """Rules between the fields of one whole record (e.g. an end before its start). The same
        for a form, an import and an incoming sync record (services/gate.py)."""
        return []

    def _check_ref(self, session: Session, name: str, value: str) -> FieldError | None:
        target = session.get(self.refs[name], value)
        if target is None or target.is_deleted:
            return field_error(self.schema, name, t("선택한 항목을 찾을 수 없습니다"))
        return None

    def _in_trash(self) -> Any:
        """The condition of a record in the 휴지통 (lists show the others)."""
        return self.model.deleted_at.is_not(None)

    def _dependents(self, session: Session, obj: Tracked) -> Mapping[str, Sequence[Tracked]]:
        """Records that share `obj`'s deletion state and follow it to the 휴지통 and back, by label."""
        return {}

    def _check_restore(self, session: Session, obj: Tracked) -> None:
        """Refuse to restore a record that would break a rule (e.g. a duplicate number)."""

    def _after_save(self, session: Session, obj: Tracked, data: Mapping[str, Any]) -> None:
        """Save dependent rows (e.g. a visit's follow-ups) in the same transaction."""

    def _edit_version(self, session: Session, obj: Tracked) -> int:
        """The record's version; a record edited together with dependent rows counts those too."""
        return obj.version

    def _load(self, session: Session, record_id: str, *, include_deleted: bool = False) -> Any:
        obj = session.get(self.model, record_id)
        if obj is None or (obj.is_deleted and not include_deleted):
            raise NotFound(t("{label}을(를) 찾을 수 없습니다: {id}", label=t(self.label), id=record_id))
        return obj


def in_use(session: Session, table: Any, record_id: str) -> str:
    """Why the record cannot go to the 휴지통 ("" when nothing live names it): the records that do."""
    users: dict[str, int] = {}
    for other in table.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table and "deleted_at" in other.c:
                count = session.connection().execute(select(func.count()).select_from(other).where(
                    key.parent == record_id, other.c.deleted_at.is_(None))).scalar_one()
                if count:
                    label = t(BY_KEY[other.name].label)
                    users[label] = users.get(label, 0) + count
    if not users:
        return ""
    named = ", ".join(t("{label} {n}건", label=label, n=f"{n:,}") for label, n in users.items())
    return t("이 기록을 쓰는 기록이 있어 휴지통으로 옮길 수 없습니다: {records}. 그 기록을 먼저 바꾸거나 옮기세요",
             records=named)


@cache
def _unique_keys(table: Any) -> tuple[tuple[str, ...], ...]:
    """Column names of each unique key of a table (unique columns and UniqueConstraints)."""
    keys = [(c.name,) for c in table.columns if c.unique]
    keys += [tuple(c.name for c in constraint.columns) for constraint in table.constraints
             if isinstance(constraint, UniqueConstraint)]
    return tuple(keys)


def field_error(schema: Sequence[Field], name: str, message: str, *, warning: bool = False) -> FieldError:
    spec = next(f for f in schema if f.name == name)
    return FieldError(name, t(spec.label), message, warning=warning)
