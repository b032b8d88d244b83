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
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Numeric, String, Text, and_, cast, false, func, or_, select
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from .access import ActingUser, require
from .databases import Databases, resolve_name
from .errors import DomainError, NotFound

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
            column = columns.get(name) or columns.get(name.lower())
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


def page_select(conn, query: Select, pq: PageQuery, key_column: str | None = None) -> Page:
    """One page of `query` (a Select whose selected columns are the page's columns)."""
    limit = max(1, min(int(pq.limit), MAX_PAGE_SIZE))
    offset = max(0, int(pq.offset))
    sub = query.subquery("paged")
    columns = {c.key: c for c in sub.c}
    stmt = select(sub)
    where = filter_clause(columns, pq.filter_text)
    if where is not None:
        stmt = stmt.where(where)
    if pq.sort_column:
        column = columns.get(pq.sort_column)
        if column is None:
            raise DomainError(f"There is no column {pq.sort_column!r} to sort by.")
        stmt = stmt.order_by(column.desc() if pq.descending else column.asc())
    if key_column and key_column in columns and key_column != pq.sort_column:
        stmt = stmt.order_by(columns[key_column].asc())  # a stable order, so pages never overlap
    rows = conn.execute(stmt.offset(offset).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = [tuple(r) for r in rows[:limit]]
    names = list(columns)
    key_at = names.index(key_column) if key_column in names else None
    keys = [str(r[key_at]) if key_at is not None else str(offset + i) for i, r in enumerate(rows)]
    return Page(names, rows, offset, has_more, keys)


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
    with dbs.connect(database) as conn:
        return page_select(conn, select(t), pq, key_column=pk[0] if len(pk) == 1 else None)


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
