"""Catalog conformance: every catalog table and column present, with a compatible type and primary key.

Compares the catalog with what the database itself reports (reflection), so it finds drift
whatever created the tables.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import asdict, dataclass

from sqlalchemy import inspect, text, types
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import SAWarning

from .catalog import load_catalog
from .databases import LOGICAL_DATABASES, Databases


@dataclass(frozen=True)
class Problem:
    database: str
    table: str | None  # None when the whole database is missing
    column: str | None
    problem: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ConformanceReport:
    problems: list[Problem]
    tables_checked: int
    columns_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems


def type_compatible(catalog_type: str, reflected: types.TypeEngine, dialect: str, pg_udt: str | None = None) -> bool:
    """True when a reflected column type can hold what the catalog type holds, the portable way."""
    m = re.fullmatch(r"VARCHAR\((\d+)\)", catalog_type)
    if m:
        return isinstance(reflected, types.String) and not isinstance(reflected, types.Text) and (
            reflected.length == int(m.group(1))
        )
    m = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", catalog_type)
    if m:
        return (
            isinstance(reflected, types.Numeric)
            and not isinstance(reflected, types.Float)
            and reflected.precision == int(m.group(1))
            and reflected.scale == int(m.group(2))
        )
    if catalog_type == "INTEGER":
        return isinstance(reflected, types.Integer)
    if catalog_type in ("BIGINT", "BIGSERIAL"):
        if dialect == "sqlite":  # SQLite integers are 64-bit whatever they are called
            return isinstance(reflected, types.Integer)
        return isinstance(reflected, types.BigInteger)
    if catalog_type == "TEXT":
        return isinstance(reflected, types.Text)
    if catalog_type == "BOOLEAN":
        return isinstance(reflected, types.Boolean)
    if catalog_type == "DATE":
        return isinstance(reflected, types.Date) and not isinstance(reflected, types.DateTime)
    if catalog_type == "TIMESTAMP":
        return isinstance(reflected, types.DateTime)
    if catalog_type == "TIME":
        return isinstance(reflected, types.Time)
    if catalog_type == "JSONB":
        return isinstance(reflected, postgresql.JSONB) if dialect == "postgresql" else isinstance(reflected, types.JSON)
    if catalog_type == "TEXT[]":
        if dialect == "postgresql":
            return isinstance(reflected, types.ARRAY) and isinstance(reflected.item_type, types.Text)
        return isinstance(reflected, types.JSON)
    if catalog_type == "POINT":
        if dialect == "postgresql":
            return pg_udt == "point"
        return isinstance(reflected, types.Text)
    return False


def check_conformance(dbs: Databases, databases: tuple[str, ...] = LOGICAL_DATABASES) -> ConformanceReport:
    catalog = load_catalog()
    problems: list[Problem] = []
    tables_checked = columns_checked = 0
    for database in databases:
        target = dbs.target(database)
        expected_tables = catalog[database]
        if not dbs.is_created(database):
            # Reported, not opened: opening a missing SQLite file would create an empty one.
            problems.append(Problem(database, None, None, "database not created (run `genims init`)"))
            tables_checked += len(expected_tables)
            columns_checked += sum(len(columns) for columns in expected_tables.values())
            continue
        with dbs.connect(database) as conn, warnings.catch_warnings():
            # PostgreSQL's POINT is not a type SQLAlchemy reflects; we check it by udt_name below.
            warnings.simplefilter("ignore", SAWarning)
            insp = inspect(conn)
            present = set(insp.get_table_names(schema=target.schema))
            udts = _pg_udt_names(conn, target.schema) if target.backend == "postgresql" else {}
            for table, columns in expected_tables.items():
                tables_checked += 1
                if table not in present:
                    problems.append(Problem(database, table, None, "table missing"))
                    columns_checked += len(columns)
                    continue
                reflected = {c["name"]: c for c in insp.get_columns(table, schema=target.schema)}
                pk = set(insp.get_pk_constraint(table, schema=target.schema).get("constrained_columns") or [])
                for name, sql_type, is_pk, _ref in columns:
                    columns_checked += 1
                    col = reflected.get(name)
                    if col is None:
                        problems.append(Problem(database, table, name, "column missing"))
                        continue
                    if not type_compatible(sql_type, col["type"], target.backend, udts.get((table, name))):
                        problems.append(
                            Problem(database, table, name, f"type {col['type']} is not compatible with {sql_type}")
                        )
                    if is_pk and name not in pk:
                        problems.append(Problem(database, table, name, "not the primary key"))
    return ConformanceReport(problems, tables_checked, columns_checked)


def _pg_udt_names(conn, schema: str | None) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        text(
            "SELECT table_name, column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = COALESCE(:schema, current_schema())"
        ),
        {"schema": schema},
    )
    return {(t, c): u for t, c, u in rows}


@dataclass(frozen=True)
class DanglingReference:
    database: str
    table: str
    column: str
    references: str  # home_database.table.primary_key, or the missing table's name
    dangling_values: int
    examples: tuple[str, ...]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["examples"] = list(self.examples)
        return d


@dataclass
class ReferenceReport:
    dangling: list[DanglingReference]
    references_checked: int

    @property
    def dangling_values(self) -> int:
        return sum(d.dangling_values for d in self.dangling)


def check_references(dbs: Databases, databases: tuple[str, ...] = LOGICAL_DATABASES) -> ReferenceReport:
    """Every value of every catalog reference, inside and across logical databases, must exist in
    the referenced table's primary key. Values are compared as text, since a few catalog references
    join columns of different types (a VARCHAR holding a BIGSERIAL key)."""
    from sqlalchemy import Table, select

    from .catalog import primary_key_of, reference_home
    from .models import BASES

    key_cache: dict[tuple[str, str], set[str]] = {}

    def keys_of(home: str, table: str) -> set[str]:
        if (home, table) not in key_cache:
            t: Table = BASES[home].metadata.tables[table]
            pk = primary_key_of(home, table)
            with dbs.connect(home) as conn:
                key_cache[(home, table)] = {str(v) for (v,) in conn.execute(select(t.c[pk]))}
        return key_cache[(home, table)]

    catalog = load_catalog()
    dangling: list[DanglingReference] = []
    checked = 0
    for database in databases:
        for table, columns in catalog[database].items():
            refs = [(name, ref) for name, _t, _pk, ref in columns if ref]
            if not refs:
                continue
            t = BASES[database].metadata.tables[table]
            with dbs.connect(database) as conn:
                values_by_column = {
                    name: {str(v) for (v,) in conn.execute(select(t.c[name]).where(t.c[name].is_not(None)).distinct())}
                    for name, _ref in refs
                }
            for name, ref in refs:
                checked += 1
                values = values_by_column[name]
                if not values:
                    continue
                home = reference_home(database, ref)
                if home is None:
                    missing = sorted(values)
                    target = f"{ref} (not a table of any logical database)"
                else:
                    missing = sorted(values - keys_of(home, ref))
                    target = f"{home}.{ref}.{primary_key_of(home, ref)}"
                if missing:
                    dangling.append(DanglingReference(database, table, name, target, len(missing), tuple(missing[:5])))
    return ReferenceReport(dangling, checked)
