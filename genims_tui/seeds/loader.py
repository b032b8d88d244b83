"""Bulk loading of generated rows: one transaction per logical database, complete or untouched.

SQLite: executemany in batches inside BEGIN IMMEDIATE, foreign keys deferred to commit.
PostgreSQL: COPY, constraints deferred to commit, identity sequences moved past the loaded keys.
Existing rows are replaced in the same transaction, so a rerun never duplicates and an interrupted
load leaves the previous contents. Indexes of large tables are dropped and rebuilt around the load.
"""

from __future__ import annotations

import decimal
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Integer, Numeric, Table, Time, types
from sqlalchemy.schema import CreateIndex, DropIndex

from ..backend.databases import Databases, explain_connection_error
from ..backend.models import BASES
from ..backend.models.types import Point
from .framework import Row, TableStream

BATCH = 5_000
BIG_TABLE_ROWS = 50_000  # above this, indexes are rebuilt after the load instead of maintained
Progress = Callable[[str, int], None]  # (table, rows loaded so far in this database)


@dataclass
class LoadResult:
    database: str
    rows: int
    tables: dict[str, int]
    checksum: str


# -- value preparation ----------------------------------------------------------------------------


def _is_json(col_type: types.TypeEngine) -> bool:
    impl = getattr(col_type, "impl", col_type)
    return isinstance(impl, types.JSON) or isinstance(col_type, types.JSON)


def _sqlite_converter(col_type: types.TypeEngine) -> Callable[[Any], Any] | None:
    """Values in the exact storage format SQLAlchemy's SQLite dialect reads back."""
    if isinstance(col_type, Point):
        return lambda v: json.dumps([float(v[0]), float(v[1])])
    if _is_json(col_type):
        return lambda v: json.dumps(v, default=str)
    if isinstance(col_type, DateTime):
        return lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(col_type, Date):
        return lambda v: v.isoformat()
    if isinstance(col_type, Time):
        return lambda v: v.strftime("%H:%M:%S.%f")
    if isinstance(col_type, Numeric):
        return lambda v: str(v) if isinstance(v, decimal.Decimal) else v
    return None


def _pg_converter(col_type: types.TypeEngine) -> Callable[[Any], Any] | None:
    from psycopg.types.json import Jsonb

    if isinstance(col_type, Point):
        return lambda v: f"({float(v[0])},{float(v[1])})"
    impl = col_type
    if isinstance(impl, types.JSON) and not isinstance(col_type, Point):
        # TEXT[] is JSON on SQLite and ARRAY on PostgreSQL: lists go to COPY as they are.
        variants = getattr(col_type, "_variant_mapping", {})
        pg_type = variants.get("postgresql")
        if isinstance(pg_type, types.ARRAY):
            return None
        return Jsonb
    return None


def _row_maker(table: Table, columns: tuple[str, ...], dialect: str, from_dicts: bool) -> Callable[[Any], tuple]:
    """A compiled function turning one generated row into the tuple the driver wants."""
    namespace: dict[str, Any] = {}
    parts = []
    for i, name in enumerate(columns):
        col_type = table.c[name].type
        conv = _sqlite_converter(col_type) if dialect == "sqlite" else _pg_converter(col_type)
        src = f"r.get({name!r})" if from_dicts else f"r[{i}]"
        if conv is None:
            parts.append(src)
        else:
            namespace[f"c{i}"] = conv
            parts.append(f"(None if (v{i} := {src}) is None else c{i}(v{i}))")
    code = f"lambda r: ({', '.join(parts)},)"
    return eval(code, namespace)  # noqa: S307 - built only from column names of our own models


def _batches(it: Iterable, size: int) -> Iterator[list]:
    it = iter(it)
    while chunk := list(islice(it, size)):
        yield chunk


def _digest_update(h: hashlib._Hash, batch: list[tuple]) -> None:
    h.update(repr(batch).encode())


# -- the load -------------------------------------------------------------------------------------


def _plan(database: str, tables: dict[str, list[Row] | TableStream]) -> list[tuple[Table, tuple[str, ...], Any, bool]]:
    metadata = BASES[database].metadata
    unknown = set(tables) - set(metadata.tables)
    if unknown:
        raise ValueError(f"{database} has no table(s) {sorted(unknown)} (generator bug)")
    plan = []
    for table in metadata.sorted_tables:
        data = tables.get(table.name)
        if data is None:
            continue
        if isinstance(data, TableStream):
            bad = set(data.columns) - set(table.c.keys())
            if bad:
                raise ValueError(f"{database}.{table.name} has no column(s) {sorted(bad)} (generator bug)")
            plan.append((table, data.columns, data, False))
        else:
            seen = set().union(*(r.keys() for r in data[:200])) if data else set()
            bad = seen - set(table.c.keys())
            if bad:
                raise ValueError(f"{database}.{table.name} has no column(s) {sorted(bad)} (generator bug)")
            plan.append((table, tuple(table.c.keys()), data, True))
    return plan


def _row_source(data, from_dicts: bool) -> Iterable:
    return data if from_dicts else data.rows()


def _expected_rows(data, from_dicts: bool) -> int:
    return len(data) if from_dicts else data.estimated_rows


def expected_rows(tables: dict[str, list[Row] | TableStream]) -> int:
    return sum(len(d) if isinstance(d, list) else d.estimated_rows for d in tables.values())


def load_database(
    dbs: Databases, database: str, tables: dict[str, list[Row] | TableStream], progress: Progress | None = None
) -> LoadResult:
    target = dbs.target(database)
    plan = _plan(database, tables)
    try:
        if target.backend == "sqlite":
            return _load_sqlite(dbs, database, plan, progress)
        return _load_pg(dbs, database, plan, progress)
    except OSError as exc:
        raise explain_connection_error(target, exc) from exc


def _load_sqlite(dbs: Databases, database: str, plan, progress: Progress | None) -> LoadResult:
    engine = dbs.engine(database)
    metadata = BASES[database].metadata
    raw = engine.raw_connection()
    conn = raw.driver_connection
    previous_isolation = conn.isolation_level
    conn.isolation_level = None  # we issue BEGIN/COMMIT ourselves
    cur = conn.cursor()
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    loaded = 0
    try:
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("PRAGMA defer_foreign_keys=ON")
        for table in reversed(metadata.sorted_tables):
            cur.execute(f'DELETE FROM "{table.name}"')
        for table, columns, data, from_dicts in plan:
            big = _expected_rows(data, from_dicts) > BIG_TABLE_ROWS
            indexes = list(table.indexes) if big else []
            for index in indexes:
                cur.execute(str(DropIndex(index, if_exists=True).compile(dialect=engine.dialect)))
            make = _row_maker(table, columns, "sqlite", from_dicts)
            cols = ", ".join(f'"{c}"' for c in columns)
            sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join("?" * len(columns))})'
            n = 0
            for batch in _batches(_row_source(data, from_dicts), BATCH):
                values = [make(r) for r in batch]
                cur.executemany(sql, values)
                digest.update(table.name.encode())
                _digest_update(digest, values)
                n += len(values)
                loaded += len(values)
                if progress:
                    progress(table.name, loaded)
            for index in indexes:
                cur.execute(str(CreateIndex(index).compile(dialect=engine.dialect)))
            counts[table.name] = n
        cur.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            cur.execute("ROLLBACK")
        raise
    finally:
        cur.close()
        conn.isolation_level = previous_isolation
        raw.close()
    return LoadResult(database, loaded, counts, digest.hexdigest())


def _load_pg(dbs: Databases, database: str, plan, progress: Progress | None) -> LoadResult:
    target = dbs.target(database)
    engine = dbs.engine(database)
    metadata = BASES[database].metadata
    schema = target.schema

    def qualified(name: str) -> str:
        return f'"{name}"'  # search_path points at the schema in the `schemas` layout

    raw = engine.raw_connection()
    conn = raw.driver_connection  # psycopg.Connection, in a transaction until commit
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    loaded = 0
    try:
        with conn.cursor() as cur:
            if schema:
                cur.execute(f'SET LOCAL search_path TO "{schema}"')
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            cur.execute(f"TRUNCATE {', '.join(qualified(t.name) for t in metadata.sorted_tables)} RESTART IDENTITY")
            for table, columns, data, from_dicts in plan:
                big = _expected_rows(data, from_dicts) > BIG_TABLE_ROWS
                indexes = list(table.indexes) if big else []
                for index in indexes:
                    cur.execute(f'DROP INDEX IF EXISTS "{index.name}"')
                make = _row_maker(table, columns, "postgresql", from_dicts)
                cols = ", ".join(f'"{c}"' for c in columns)
                n = 0
                with cur.copy(f"COPY {qualified(table.name)} ({cols}) FROM STDIN") as copy:
                    for batch in _batches(_row_source(data, from_dicts), BATCH):
                        values = [make(r) for r in batch]
                        for v in values:
                            copy.write_row(v)
                        digest.update(table.name.encode())
                        _digest_update(digest, _comparable(values))
                        n += len(values)
                        loaded += len(values)
                        if progress:
                            progress(table.name, loaded)
                for index in indexes:
                    cur.execute(str(CreateIndex(index).compile(dialect=engine.dialect)))
                counts[table.name] = n
                _advance_identity(cur, table, qualified(table.name))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        raw.close()
    return LoadResult(database, loaded, counts, digest.hexdigest())


def _advance_identity(cur, table: Table, qualified: str) -> None:
    """Move a BIGSERIAL sequence past explicitly loaded keys, so later inserts get fresh ones."""
    for col in table.primary_key.columns:
        if col.autoincrement is True and isinstance(col.type, (BigInteger, Integer)):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX(\"{col.name}\") FROM {qualified}), 0) + 1, false)",
                (qualified, col.name),
            )


def _comparable(values: list[tuple]) -> list[tuple]:
    """PostgreSQL rows hashed like SQLite ones would be, so a checksum is backend-independent-ish."""
    out = []
    for row in values:
        out.append(tuple(getattr(v, "obj", v) for v in row))
    return out

