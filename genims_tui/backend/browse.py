"""The read side for tables shown in the console: one bounded page at a time, filtered and sorted in SQL.

`PageQuery` says which page (offset, limit), the filter text and the sort; `Page` carries the rows,
the column names and whether there is more (fetched as limit + 1 rows, so no COUNT over a million
rows is needed to page). `page_select(...)` pages any SQLAlchemy selectable; `page_table(...)` pages
one of the 257 catalog tables for a user with read access to its database.

Filter grammar (typed after `/` in the console):
    text            rows where any text column contains `text` (case-insensitive)
    col=value       rows where the column equals the value (compared as text)
    col~text        rows where the column contains the text
    col>value       col<value col>=value col<=value: compared as the column's type where it can be
Several terms separated by spaces are ANDed; a term naming an unknown column is a DomainError that
says which columns exist.

Never imports textual.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Numeric, String, Text, and_, cast, false, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from .access import ActingUser, require
from .databases import Databases, resolve_name, short_name
from .errors import DomainError, GenimsError, NotFound

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
FILTER_MAX = 200
_TERM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(>=|<=|=|~|>|<)(.*)$")


@dataclass(frozen=True)
class PageQuery:
    offset: int = 0
    limit: int = PAGE_SIZE
    filter_text: str = ""
    sort_column: str | None = None
    descending: bool = False

    def next(self) -> PageQuery:
        return replace(self, offset=self.offset + self.limit)

    def previous(self) -> PageQuery:
        return replace(self, offset=max(0, self.offset - self.limit))

    def first(self) -> PageQuery:
        return replace(self, offset=0)


@dataclass
class Page:
    columns: list[str]
    rows: list[tuple]
    offset: int
    has_more: bool
    keys: list[str] = field(default_factory=list)  # one key per row (the primary key as text)
    last_key: Any = None  # the last row's key as stored (where the next page starts, in key order)

    @property
    def first_row_number(self) -> int:
        return self.offset + 1 if self.rows else self.offset

    @property
    def last_row_number(self) -> int:
        return self.offset + len(self.rows)


def _is_text(column) -> bool:
    return isinstance(column.type, (String, Text))


def _coerce(column, raw: str) -> Any:
    """The filter value as the column's type, or the raw text when it does not parse."""
    try:
        if isinstance(column.type, Integer):
            return int(raw)
        if isinstance(column.type, Numeric):
            return Decimal(raw)
        if isinstance(column.type, DateTime):
            return dt.datetime.fromisoformat(raw)
        if isinstance(column.type, Date):
            return dt.date.fromisoformat(raw)
    except (ValueError, InvalidOperation):
        raise DomainError(f"{raw!r} is not a valid value for {column.key}.") from None
    return raw


def filter_clause(columns: dict[str, Any], text: str) -> ColumnElement | None:
    """The WHERE clause for a filter text over `columns` (name -> SQL column); None for no filter."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > FILTER_MAX:
        raise DomainError(f"A filter may be at most {FILTER_MAX} characters.")
    clauses = []
    for term in text.split():
        match = _TERM.match(term)
        if match:
            name, op, raw = match.groups()
            column = columns.get(name)
            if column is None:  # (never `or`: a SQL column has no truth value)
                column = columns.get(name.lower())
            if column is None:
                raise DomainError(f"There is no column {name!r} here.", f"Columns: {', '.join(columns)}.")
            if op == "~":
                clauses.append(cast(column, String).ilike(f"%{_escape(raw)}%", escape="\\"))
            elif op == "=":
                clauses.append(cast(column, String) == raw if _is_text(column) or not raw else column == _coerce(column, raw))
            else:
                value = _coerce(column, raw)
                clauses.append({">": column > value, "<": column < value, ">=": column >= value, "<=": column <= value}[op])
        else:
            text_columns = [c for c in columns.values() if _is_text(c)]
            pattern = f"%{_escape(term)}%"
            clauses.append(or_(*[c.ilike(pattern, escape="\\") for c in text_columns]) if text_columns else false())
    return and_(*clauses)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Deeper than this, a page in key order is found by a key-only seek (the index alone answers the OFFSET)
# and then read from that key on, instead of an OFFSET that reads and throws away every earlier row.
SEEK_FROM_OFFSET = 5_000


def page_select(conn, query: Select, pq: PageQuery, key_column: str | None = None, after_key: Any = None) -> Page:
    """One page of `query` (a Select whose selected columns are the page's columns).

    In key order (no sort, or a sort on the key itself) the page is read by keyset: `after_key`, the
    key of the row just before `pq.offset` (the previous page's last key), starts the page there
    without any OFFSET; a deep offset without it seeks the first key through the key column alone."""
    limit = max(1, min(int(pq.limit), MAX_PAGE_SIZE))
    offset = max(0, int(pq.offset))
    sub = query.subquery("paged")
    columns = {c.key: c for c in sub.c}
    stmt = select(sub)
    where = filter_clause(columns, pq.filter_text)
    if where is not None:
        stmt = stmt.where(where)
    if pq.sort_column and pq.sort_column not in columns:
        raise DomainError(f"There is no column {pq.sort_column!r} to sort by.")
    key = columns.get(key_column) if key_column else None
    names = list(columns)
    if key is not None and pq.sort_column in (None, key_column):
        descending = bool(pq.sort_column) and pq.descending
        ordered = key.desc() if descending else key.asc()
        start_clause = None
        if after_key is not None and offset:
            start_clause = key < after_key if descending else key > after_key
        elif offset >= SEEK_FROM_OFFSET:
            seek = select(key)
            if where is not None:
                seek = seek.where(where)
            start = conn.execute(seek.order_by(ordered).offset(offset).limit(1)).scalar()
            if start is None:
                return Page(names, [], offset, False, [])
            start_clause = key <= start if descending else key >= start
        if start_clause is not None:
            stmt = stmt.where(start_clause)
            offset_sql = 0
        else:
            offset_sql = offset
        stmt = stmt.order_by(ordered)
    else:
        offset_sql = offset
        if pq.sort_column:
            column = columns[pq.sort_column]
            stmt = stmt.order_by(column.desc() if pq.descending else column.asc())
        if key is not None:
            stmt = stmt.order_by(key.asc())  # a stable order, so pages never overlap
    rows = conn.execute(stmt.offset(offset_sql).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = [tuple(r) for r in rows[:limit]]
    key_at = names.index(key_column) if key_column in names else None
    keys = [str(r[key_at]) if key_at is not None else str(offset + i) for i, r in enumerate(rows)]
    last_key = rows[-1][key_at] if rows and key_at is not None else None
    return Page(names, rows, offset, has_more, keys, last_key)


def table_of(database: str, table: str):
    from .models import BASES

    database = resolve_name(database)
    if database not in BASES:
        raise NotFound(f"There is no database {database!r}.")
    tables = BASES[database].metadata.tables
    if table not in tables:
        raise NotFound(f"There is no table {table!r} in {database}.")
    return tables[table]


def page_table(dbs: Databases, user: ActingUser, database: str, table: str, pq: PageQuery) -> Page:
    """One page of a catalog table, for a user who may read its database."""
    database = resolve_name(database)
    require(user, database, "read", f"Reading {database}.{table}")
    t = table_of(database, table)
    pk = [c.key for c in t.primary_key.columns]
    key_column = pk[0] if len(pk) == 1 else None
    where = (dbs.target(database).location, database, table, pq.filter_text.strip(), pq.sort_column, pq.descending)
    after_key = _boundaries.get(where + (pq.offset,)) if key_column and pq.offset else None
    with dbs.connect(database) as conn:
        page = page_select(conn, select(t), pq, key_column=key_column, after_key=after_key)
    if page.last_key is not None and page.has_more:
        _boundaries.put(where + (page.offset + len(page.rows),), page.last_key)
    return page


class _Boundaries:
    """A small, thread-safe LRU of page boundaries: (table, filter, order, offset) -> the key of the row
    just before that offset, so "next page" (and back) reads by keyset instead of OFFSET."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
            return None

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_boundaries = _Boundaries()


def get_row(dbs: Databases, user: ActingUser, database: str, table: str, key: str) -> dict[str, Any]:
    """One row of a catalog table by its (single-column) primary key, as column -> value."""
    database = resolve_name(database)
    require(user, database, "read", f"Reading {database}.{table}")
    t = table_of(database, table)
    pk = list(t.primary_key.columns)
    if len(pk) != 1:
        raise DomainError(f"{table} has no single-column key to open a row by.")
    column = pk[0]
    with dbs.connect(database) as conn:
        row = conn.execute(select(t).where(column == _coerce(column, key))).first()
    if row is None:
        raise NotFound(f"There is no {table} row {key}.")
    return dict(row._mapping)


# -- the data browser: which tables a user may open, a row with its references -----------------------

@dataclass(frozen=True)
class TableInfo:
    database: str  # full logical name
    short: str  # short database name (erp, master, ...)
    table: str
    columns: int
    key_column: str

    @property
    def dotted(self) -> str:
        return f"{self.short}.{self.table}"


def catalog_databases() -> list[str]:
    """The 14 logical databases of the catalog, in the catalog's order."""
    from .catalog import load_catalog

    return list(load_catalog())


def readable_tables(user: ActingUser, database: str | None = None) -> list[TableInfo]:
    """Every catalog table the user may read (of one database, or of all), grouped by database."""
    from .catalog import load_catalog

    catalog = load_catalog()
    wanted = resolve_name(database) if database else None
    out = []
    for db, tables in catalog.items():
        if (wanted and db != wanted) or not user.can(db, "read"):
            continue
        short = short_name(db)
        for table, cols in sorted(tables.items()):
            key = next((name for name, _t, pk, _r in cols if pk), cols[0][0])
            out.append(TableInfo(db, short, table, len(cols), key))
    return out


def table_names(user: ActingUser) -> list[str]:
    """`short.table` for every table the user may read: what the `:` command bar completes."""
    return [t.dotted for t in readable_tables(user)]


def parse_table_name(text: str) -> tuple[str, str]:
    """'erp.purchase_orders' or 'genims_erp_db.purchase_orders' -> (full database, table); a table name
    alone is accepted when only one database has it. NotFound for anything else."""
    from .catalog import load_catalog, table_home

    text = (text or "").strip()
    if "." in text:
        db_text, table = text.split(".", 1)
        try:
            database = resolve_name(db_text)
        except GenimsError as exc:
            raise NotFound(exc.message, exc.hint) from None
    else:
        homes = table_home().get(text, [])
        if len(homes) != 1:
            hint = f"It is in: {', '.join(short_name(h) + '.' + text for h in homes)}." if homes else None
            raise NotFound(f"Say which database's table {text!r} to open (db.table).", hint)
        database, table = homes[0], text
    if table not in load_catalog().get(database, {}):
        raise NotFound(f"There is no table {table!r} in {database}.", "The `:` bar completes table names.")
    return database, table


def bounded_count(dbs: Databases, user: ActingUser, database: str, table: str, cap: int = 100_000) -> tuple[int, bool]:
    """(rows, more_than_cap): a count that stops at `cap`, so a huge table never costs a full scan."""
    database = resolve_name(database)
    require(user, database, "read", f"Reading {database}.{table}")
    t = table_of(database, table)
    limited = select(t.primary_key.columns[0] if t.primary_key.columns else t.c[0]).limit(cap + 1).subquery()
    with dbs.connect(database) as conn:
        n = conn.execute(select(func.count()).select_from(limited)).scalar_one()
    return min(n, cap), n > cap


def bounded_counts(dbs: Databases, user: ActingUser, database: str, tables: list[str],
                   cap: int = 10_000) -> dict[str, tuple[int, bool]]:
    """Table -> (rows, more_than_cap) for several tables of one database over one connection."""
    database = resolve_name(database)
    require(user, database, "read", f"Reading {database}")
    out = {}
    with dbs.connect(database) as conn:
        for table in tables:
            t = table_of(database, table)
            first = t.primary_key.columns[0] if t.primary_key.columns else t.c[0]
            limited = select(first).limit(cap + 1).subquery()
            n = conn.execute(select(func.count()).select_from(limited)).scalar_one()
            out[table] = (min(n, cap), n > cap)
    return out


@dataclass(frozen=True)
class Field:
    name: str
    value: Any
    sql_type: str
    primary_key: bool
    # where the value points, when the column is a catalog reference: (database, table) or None
    target: tuple[str, str] | None = None


@dataclass
class Record:
    database: str
    table: str
    key: str
    fields: list[Field]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Referrer:
    """A table whose column points at the open row's table."""

    database: str
    table: str
    column: str
    readable: bool
    count: int | None = None  # rows pointing at this row, counted up to REFERRER_CAP (None: not counted)

    @property
    def dotted(self) -> str:
        return f"{short_name(self.database)}.{self.table}"


REFERRER_CAP = 1000


def catalog_references(database: str, table: str) -> dict[str, tuple[str, str]]:
    """Column -> (database, table) it references, for one catalog table (across databases too)."""
    from .catalog import load_catalog, reference_home

    out = {}
    for name, _t, _pk, ref in load_catalog()[database][table]:
        if ref:
            home = reference_home(database, ref)
            if home:
                out[name] = (home, ref)
    return out


# References the catalog cannot state because their target depends on another column of the row:
# (database, table, id column, type column) -> type value -> the (database, table) the id points into.
DOCUMENT_REFERENCES: dict[tuple[str, str, str, str], dict[str, tuple[str, str]]] = {
    ("genims_quality_db", "ncr_headers", "source_document_id", "source_type"): {
        "mes_inspection": ("genims_manufacturing_db", "quality_inspections"),
        "incoming_inspection": ("genims_erp_db", "goods_receipts"),
        "customer_complaint": ("genims_quality_db", "customer_complaints"),
    },
}


def document_references(database: str, table: str, row: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Column -> (database, table) for this row's typed document references (e.g. an NCR's source)."""
    out = {}
    for (db, t, id_column, type_column), targets in DOCUMENT_REFERENCES.items():
        if (db, t) == (database, table) and row.get(type_column) in targets:
            out[id_column] = targets[row[type_column]]
    return out


def get_record(dbs: Databases, user: ActingUser, database: str, table: str, key: str) -> Record:
    """Every column of one row, each reference column marked with the (database, table) it points into
    (catalog references, and typed document references such as an NCR's source document)."""
    from .catalog import load_catalog

    database = resolve_name(database)
    row = get_row(dbs, user, database, table, key)
    refs = {**catalog_references(database, table), **document_references(database, table, row)}
    fields = [Field(name, row.get(name), sql_type, bool(pk), refs.get(name))
              for name, sql_type, pk, _r in load_catalog()[database][table]]
    return Record(database, table, str(key), fields)


def referrers_of(user: ActingUser, database: str, table: str) -> list[Referrer]:
    """Every catalog column (in any database) that references `database.table`."""
    from .catalog import load_catalog, reference_home

    database = resolve_name(database)
    out = []
    for db, tables in load_catalog().items():
        for t, cols in tables.items():
            for name, _ty, _pk, ref in cols:
                if ref == table and reference_home(db, ref) == database:
                    out.append(Referrer(db, t, name, user.can(db, "read")))
    return sorted(out, key=lambda r: (r.database != database, r.database, r.table, r.column))


def count_referrers(dbs: Databases, user: ActingUser, database: str, table: str, key: str,
                    cap: int = REFERRER_CAP) -> list[Referrer]:
    """The referrers of one row, each with how many of its rows point at it (counted up to `cap`);
    tables the user may not read are listed uncounted. A database that cannot be reached leaves its
    referrers uncounted rather than failing the whole list."""
    by_db: dict[str, list[Referrer]] = {}
    for r in referrers_of(user, database, table):
        by_db.setdefault(r.database, []).append(r)
    counted: dict[tuple[str, str, str], int | None] = {}
    for db, referrers in by_db.items():
        readable = [r for r in referrers if r.readable]
        if not readable:
            continue
        try:
            with dbs.connect(db) as conn:
                for r in readable:
                    column = table_of(db, r.table).c[r.column]
                    try:
                        value = _coerce(column, str(key))
                    except DomainError:  # the key cannot be a value of this column: nothing points here
                        counted[(db, r.table, r.column)] = 0
                        continue
                    limited = select(column).where(column == value).limit(cap).subquery()
                    try:
                        counted[(db, r.table, r.column)] = conn.execute(
                            select(func.count()).select_from(limited)).scalar_one()
                    except SQLAlchemyError:  # a table not created (yet): uncounted, the others go on
                        conn.rollback()
        except GenimsError:
            continue
    return [replace(r, count=counted.get((r.database, r.table, r.column))) for db in by_db for r in by_db[db]]
