"""Generated the first version of genims_tui/backend/models/<db>.py from the catalog.

The generated modules are now the project's own code and are edited by hand; this script is kept
to show how they came about. Running it again overwrites hand edits: do not, unless you mean to
start over (then diff the result and carry the edits across).

Usage: uv run python scripts/generate_models.py
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

from genims_tui.backend.models import MODULES

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "genims_tui" / "backend" / "genims_catalog.json"
OUT = ROOT / "genims_tui" / "backend" / "models"

MODULE_NAMES = MODULES  # database -> module name, as the package itself knows them

DESCRIPTIONS = {
    "genims_master_db": "Master data hub: factories -> lines -> machines -> sensors, employees, shifts, products, customers.",
    "genims_operations_db": "IoT and SCADA operations: sensor readings, machine telemetry, faults, sensor health, runs.",
    "genims_manufacturing_db": "MES: work orders, operations, material and labour transactions, inspections, defects, downtime.",
    "genims_maintenance_db": "CMMS: assets, maintenance work orders, PM schedules, MRO parts, technicians, reliability.",
    "genims_erp_db": "ERP: materials, BOMs, routings, production, procurement, inventory, sales, MRP, GL, ERP-MES sync log.",
    "genims_financial_db": "Finance: chart of accounts, posting rules, journal entries, fiscal periods, budgets, balances.",
    "genims_erp_wms_sync_db": "ERP <-> WMS inventory sync: mappings, sync queue, allocations, reconciliation, snapshots.",
    "genims_wms_db": "WMS: warehouses, zones, bins, stock, receiving, putaway, waves, picking, packing, shipping, counts.",
    "genims_tms_db": "TMS: carriers, rates, shipments, tracking, routes, deliveries, proof of delivery, returns, freight.",
    "genims_crm_db": "CRM: leads, accounts, contacts, opportunities, quotations, campaigns, cases, contracts, sales reps.",
    "genims_service_db": "Customer service: tickets, knowledge base, SLAs, warranties, RMAs, field service, surveys.",
    "genims_hr_db": "HCM: employees, org structure, skills, training, certifications, reviews, shifts, leave, safety.",
    "genims_quality_db": "QMS: NCRs, CAPA, audits, control plans, SPC, calibration, documents, complaints, 8D, PPAP.",
    "genims_supplier_db": "Supplier portal: RFQs, quotes, contracts, performance, scorecards, invoices, 3-way match.",
}

SIMPLE_TYPES = {
    "INTEGER": ("Integer()", "int"),
    "BIGINT": ("BigInteger()", "int"),
    "TEXT": ("Text()", "str"),
    "BOOLEAN": ("Boolean()", "bool"),
    "DATE": ("Date()", "dt.date"),
    "TIMESTAMP": ("DateTime()", "dt.datetime"),
    "TIME": ("Time()", "dt.time"),
    "JSONB": ("PortableJSON", "Any"),
    "TEXT[]": ("TextArray", "list[str]"),
    "POINT": ("Point()", "tuple[float, float]"),
    "BIGSERIAL": ("BigSerial", "int"),
}

# Big time-series tables get composite (key, time) indexes instead of one index per column:
# every query on them is "this sensor/machine over a time window".
TIME_SERIES = {
    ("genims_operations_db", "sensor_data"): [("sensor_id", "timestamp"), ("machine_id", "timestamp"), ("timestamp",)],
    ("genims_operations_db", "scada_machine_data"): [("machine_id", "timestamp"), ("line_id", "timestamp"), ("timestamp",)],
}


def type_of(sql_type: str) -> tuple[str, str]:
    m = re.fullmatch(r"VARCHAR\((\d+)\)", sql_type)
    if m:
        return f"String({m.group(1)})", "str"
    m = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", sql_type)
    if m:
        return f"Numeric({m.group(1)}, {m.group(2)})", "Decimal"
    return SIMPLE_TYPES[sql_type]


def class_name(table: str) -> str:
    return "".join(part.capitalize() for part in table.split("_"))


def wants_index(name: str, sql_type: str, ref: str | None) -> bool:
    if ref:
        return True
    if name == "status" or name.endswith("_status"):
        return True
    base = sql_type.split("(")[0]
    if base in ("DATE", "TIMESTAMP") and name not in ("created_at", "updated_at"):
        return name == "timestamp" or name.endswith(("_date", "_timestamp", "_datetime"))
    return False


def index_name(table: str, cols: tuple[str, ...]) -> str:
    name = f"ix_{table}_{'_'.join(cols)}"
    if len(name) > 60:  # PostgreSQL truncates identifiers at 63 bytes
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[:51]}_{digest}"
    return name


def cycle_edges(tables: dict) -> set[tuple[str, str]]:
    """FK edges (table, column) that close a cycle between different tables: created with use_alter."""
    graph = defaultdict(list)
    for t, cols in tables.items():
        for n, _ty, _pk, ref in cols:
            if ref and ref in tables and ref != t:
                graph[t].append((ref, n))
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()

    def visit(t: str) -> None:
        state[t] = 1
        for ref, col in graph[t]:
            if state.get(ref) == 1:
                back.add((t, col))
            elif ref not in state:
                visit(ref)
        state[t] = 2

    for t in tables:
        if t not in state:
            visit(t)
    return back


def generate(db: str, tables: dict) -> str:
    pk_of = {t: next(c for c in cols if c[2]) for t, cols in tables.items()}
    cycles = cycle_edges(tables)
    out = [
        f'"""{db}: {DESCRIPTIONS[db]}',
        "",
        "Every table and column of the catalog, with its primary key, real foreign keys for references",
        "inside this logical database (references to other logical databases are logical only, checked",
        "by `genims check`), and indexes on reference, status and date columns.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime as dt",
        "from decimal import Decimal",
        "from typing import Any",
        "",
        "from sqlalchemy import (",
        "    BigInteger,",
        "    Boolean,",
        "    Date,",
        "    DateTime,",
        "    ForeignKey,",
        "    Index,",
        "    Integer,",
        "    MetaData,",
        "    Numeric,",
        "    String,",
        "    Text,",
        "    Time,",
        ")",
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
        "",
        "from .types import NAMING_CONVENTION, BigSerial, PortableJSON, Point, TextArray",
        "",
        f'DATABASE = "{db}"',
        "",
        "",
        "class Base(DeclarativeBase):",
        f'    """Declarative base of {db}; its own MetaData, since table names repeat across databases."""',
        "",
        "    metadata = MetaData(naming_convention=NAMING_CONVENTION)",
        "",
    ]
    for t, cols in tables.items():
        out += ["", "", f"class {class_name(t)}(Base):", f'    __tablename__ = "{t}"']
        composite = TIME_SERIES.get((db, t))
        if composite:
            out.append("    __table_args__ = (")
            for cs in composite:
                args = ", ".join(f'"{c}"' for c in cs)
                out.append(f'        Index("{index_name(t, cs)}", {args}),')
            out.append("    )")
        out.append("")
        for n, ty, pk, ref in cols:
            col_type, py_type = type_of(ty)
            args = [col_type]
            if ref and ref in tables:
                target_pk = pk_of[ref][0]
                # Deferrable so a bulk load can check references at commit (cycles, any order).
                fk_args = [f'"{ref}.{target_pk}"', "deferrable=True", 'initially="IMMEDIATE"']
                if (t, n) in cycles:
                    fk_args.append("use_alter=True")
                args.append(f"ForeignKey({', '.join(fk_args)})")
            if pk:
                args.append("primary_key=True")
                if ty == "BIGSERIAL":
                    args.append("autoincrement=True")
                annotation = py_type
            else:
                annotation = f"{py_type} | None"
                if wants_index(n, ty, ref) and not composite:
                    args.append("index=True")
                elif composite and ref and not any(cs[0] == n for cs in composite):
                    args.append("index=True")
            line = f"    {n}: Mapped[{annotation}] = mapped_column({', '.join(args)})"
            if len(line) > 110 and "ForeignKey" in line:
                fk = next(a for a in args if a.startswith("ForeignKey"))
                rest = [a for a in args if a is not fk]
                line = (
                    f"    {n}: Mapped[{annotation}] = mapped_column(\n        {rest[0]},\n        {fk},\n"
                    + "".join(f"        {a},\n" for a in rest[1:])
                    + "    )"
                )
            elif len(line) > 110:
                line = f"    {n}: Mapped[{annotation}] = mapped_column(\n        " + ", ".join(args) + "\n    )"
            out.append(line)
    out.append("")
    return "\n".join(out)


def main() -> None:
    catalog = json.loads(CATALOG.read_text())
    for db, tables in catalog.items():
        path = OUT / f"{MODULE_NAMES[db]}.py"
        path.write_text(generate(db, tables))
        print(f"wrote {path.relative_to(ROOT)} ({len(tables)} tables)")


if __name__ == "__main__":
    main()
