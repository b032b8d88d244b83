"""The reference catalog: every table and column of the 14 logical databases, as the seeds define them.

Entries are `[name, sql_type, is_primary_key, referenced_table_or_null]`; types are PostgreSQL's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class CatalogColumn:
    database: str
    table: str
    name: str
    sql_type: str
    primary_key: bool
    references: str | None


@cache
def load_catalog() -> dict[str, dict[str, list[list]]]:
    text = resources.files("genims_tui.backend").joinpath("genims_catalog.json").read_text(encoding="utf-8")
    return json.loads(text)


def catalog_columns(database: str | None = None) -> list[CatalogColumn]:
    out = []
    for db, tables in load_catalog().items():
        if database and db != database:
            continue
        for table, cols in tables.items():
            out.extend(CatalogColumn(db, table, n, t, bool(pk), ref) for n, t, pk, ref in cols)
    return out


@cache
def table_home() -> dict[str, list[str]]:
    """Table name -> the logical databases that have a table of that name."""
    homes: dict[str, list[str]] = {}
    for db, tables in load_catalog().items():
        for table in tables:
            homes.setdefault(table, []).append(db)
    return homes


def totals() -> tuple[int, int]:
    """(tables, columns) in the catalog: 257 and 5,124."""
    catalog = load_catalog()
    return (
        sum(len(t) for t in catalog.values()),
        sum(len(cols) for t in catalog.values() for cols in t.values()),
    )


# Where a reference to a table of another logical database points, when that table name exists in
# more than one database (see genims_tui/seeds/README.md). Unique names need no entry.
_AMBIGUOUS_HOMES = {
    "employees": "genims_master_db",
    "cost_centers": "genims_erp_db",
    "work_orders": "genims_manufacturing_db",
    "purchase_requisitions": "genims_erp_db",
    "audit_findings": "genims_quality_db",
}


def reference_home(source_database: str, referenced_table: str) -> str | None:
    """The logical database a catalog reference points into (None: the table is in no database)."""
    homes = table_home().get(referenced_table, [])
    if source_database in homes:
        return source_database
    if len(homes) == 1:
        return homes[0]
    if not homes:
        return None
    return _AMBIGUOUS_HOMES[referenced_table]


def primary_key_of(database: str, table: str) -> str:
    return next(name for name, _t, pk, _r in load_catalog()[database][table] if pk)
