"""Read-only SQL for `genims sql`: queries only, refused before they run, and run in a read-only
transaction as a second guard (a data-modifying CTE or a function with side effects fails there).

Cross-database joins: on PostgreSQL's `schemas` layout, name tables by schema
(`genims_master_db.factories`). On SQLite the files named that way in the query are attached, so
the same SQL works there too (SQLite attaches at most 10 databases to one connection).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from .databases import ALL_DATABASES, Databases, explain_connection_error, resolve_name
from .errors import DatabaseUnavailable, GenimsError, ReadOnlyViolation

READ_STATEMENTS = ("select", "with", "values", "table", "explain")
SQLITE_MAX_ATTACHED = 10


class QueryError(GenimsError):
    """The database rejected the query (syntax, unknown table or column)."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


def _strip_comments_and_literals(sql: str) -> str:
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    return re.sub(r'"(?:[^"]|"")*"', '""', sql)


def validate_read_only(sql: str) -> str:
    """Return the statement without a trailing ';', or raise ReadOnlyViolation saying why."""
    bare = _strip_comments_and_literals(sql).strip()
    if not bare:
        raise ReadOnlyViolation("The query is empty.", 'Pass one SELECT, e.g. genims sql "SELECT 1".')
    body = bare.rstrip("; \n\t")
    if ";" in body:
        raise ReadOnlyViolation("genims sql runs one statement at a time; this has several.")
    first = body.split(None, 1)[0].lower()
    if first not in READ_STATEMENTS:
        raise ReadOnlyViolation(
            f"genims sql only runs queries (SELECT, WITH, VALUES, EXPLAIN); {first.upper()} is refused.",
            "Data changes go through the console or the service commands, which check and audit them.",
        )
    if first == "explain" and re.search(r"\banalyze\b", body, re.I):
        raise ReadOnlyViolation("EXPLAIN ANALYZE runs the statement; use plain EXPLAIN.")
    return sql.strip().rstrip(";").strip()


def referenced_databases(sql: str) -> list[str]:
    """Logical databases named as qualifiers in the query (genims_erp_db.materials)."""
    found = []
    for name in re.findall(r"\b(genims_[a-z_]+_db)\s*\.", _strip_comments_and_literals(sql).lower()):
        if name in ALL_DATABASES and name not in found:
            found.append(name)
    return found


def run_query(dbs: Databases, sql: str, database: str | None = None, limit: int | None = 1000) -> QueryResult:
    statement = validate_read_only(sql)
    named = referenced_databases(statement)
    home = resolve_name(database) if database else (named[0] if named else "genims_master_db")
    target = dbs.target(home)
    try:
        with dbs.connect(home) as conn:
            attached: list[str] = []
            if target.backend == "sqlite":
                attached = _attach(conn, dbs, home, named)
                conn.exec_driver_sql("PRAGMA query_only=ON")
                conn.commit()
            try:
                rows, columns, truncated = _fetch(conn, target, statement, limit)
            finally:
                if target.backend == "sqlite":
                    conn.rollback()
                    conn.exec_driver_sql("PRAGMA query_only=OFF")
                    for name in attached:
                        conn.exec_driver_sql(f'DETACH DATABASE "{name}"')
                    conn.commit()
    except DatabaseUnavailable:
        raise
    except (ProgrammingError, OperationalError, DBAPIError) as exc:
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if "read-only" in detail.lower() or "readonly" in detail.lower() or "query_only" in detail.lower():
            raise ReadOnlyViolation(f"Refused: the statement tried to change data ({detail}).") from exc
        if isinstance(exc, OperationalError) and _is_connection_error(detail):
            raise explain_connection_error(target, exc) from exc
        hint = None
        if "cross-database references" in detail or (
            target.backend == "postgresql" and target.schema is None and named and "does not exist" in detail
        ):
            hint = "Joining logical databases in SQL needs GENIMS_PG_LAYOUT=schemas (or the embedded SQLite)."
        raise QueryError(f"The database rejected the query: {detail}", hint) from exc
    return QueryResult(columns, rows, truncated)


def _fetch(conn, target, statement: str, limit: int | None):
    # The connection autobegins; the first statement of the transaction makes it read-only.
    try:
        if target.backend == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            if target.schema:
                conn.exec_driver_sql(f'SET LOCAL search_path TO "{target.schema}", public')
        result = conn.exec_driver_sql(statement)
        columns = list(result.keys()) if result.returns_rows else []
        if not result.returns_rows:
            rows, truncated = [], False
        elif limit:
            rows = [tuple(r) for r in result.fetchmany(limit + 1)]
            truncated = len(rows) > limit
            rows = rows[:limit]
        else:
            rows, truncated = [tuple(r) for r in result.fetchall()], False
    finally:
        conn.rollback()
    return rows, columns, truncated


def _is_connection_error(detail: str) -> bool:
    lowered = detail.lower()
    return any(s in lowered for s in ("connection", "could not connect", "unable to open database", "server closed"))


def _attach(conn, dbs: Databases, home: str, named: list[str]) -> list[str]:
    """Attach the other SQLite files the query names; returns the aliases to detach afterwards."""
    others = [n for n in named if n != home]
    if len(others) + (home in named) > SQLITE_MAX_ATTACHED:
        raise QueryError(f"SQLite can join at most {SQLITE_MAX_ATTACHED + 1} databases in one query.")
    attached = []
    for name in others:
        target = dbs.target(name)
        if target.backend != "sqlite":
            raise QueryError(f"{name} is not on SQLite here, so it cannot be joined with {home} in one query.")
        path = Path(target.url.database)
        if not path.exists():
            raise DatabaseUnavailable(f"{name} does not exist yet at {path}.", "Run `genims init`.")
        conn.exec_driver_sql(f'ATTACH DATABASE ? AS "{name}"', (str(path),))
        attached.append(name)
    if home in named:
        # So that the home database answers to its own name too, and qualified queries work unchanged.
        conn.exec_driver_sql(f'ATTACH DATABASE ? AS "{home}"', (dbs.target(home).url.database,))
        attached.append(home)
    return attached
