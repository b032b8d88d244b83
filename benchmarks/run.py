"""GenIMS benchmarks: one JSON document of figures on stdout, progress on stderr.

    uv run python benchmarks/run.py                      # every benchmark
    uv run python benchmarks/run.py --only init_seconds_sqlite,init_seconds_pg
    uv run python benchmarks/run.py --list               # the names, one a line

Each benchmark is a function registered under the name of the figure it produces. It returns a
number (the figure) or a dict with "value" and any detail worth keeping ("note", "runs", ...).
A benchmark that cannot run here (no PostgreSQL) gives a null figure with a note: never a crash.

PostgreSQL comes from GENIMS_BENCH_PG_URL, else GENIMS_TEST_PG_URL, else
postgresql+psycopg://postgres@127.0.0.1:5432/postgres. Benchmarks make their own uniquely named
databases and drop them afterwards; they never touch a configured estate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from genims_tui import __version__  # noqa: E402
from genims_tui.backend.databases import ALL_DATABASES, Databases  # noqa: E402
from genims_tui.config import load_settings, mask_secrets  # noqa: E402

PG_URL = os.environ.get(
    "GENIMS_BENCH_PG_URL",
    os.environ.get("GENIMS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)

Figure = float | int | dict[str, Any] | None
BENCHMARKS: dict[str, Callable[[], Figure]] = {}


def benchmark(name: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a benchmark under the name of its figure. Later issues add theirs the same way."""

    def register(fn: Callable[[], Figure]) -> Callable[[], Figure]:
        if name in BENCHMARKS:
            raise ValueError(f"benchmark {name!r} is registered twice")
        BENCHMARKS[name] = fn
        return fn

    return register


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Unavailable(Exception):
    """The benchmark cannot run here; the figure is null and the message becomes its note."""


# -- estates to measure on ---------------------------------------------------------------------------


@contextmanager
def sqlite_estate() -> Iterator[Databases]:
    """A fresh, empty SQLite data dir, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="genims-bench-"))
    env = {"GENIMS_DATA_DIR": str(folder / "data"), "GENIMS_CONFIG": str(folder / "config.toml")}
    dbs = Databases(load_settings(environ=env))
    try:
        yield dbs
    finally:
        dbs.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def pg_problem() -> str | None:
    """None when the benchmark PostgreSQL answers, else why not."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
        return None
    except Exception as exc:  # any failure means "no PostgreSQL here"
        return f"PostgreSQL unreachable at {mask_secrets(PG_URL)}: {str(exc).splitlines()[0] if str(exc) else exc}"


def _drop_pg_databases(like: str) -> None:
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                                {"p": like})]
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def pg_estate(layout: str) -> Iterator[Databases]:
    """Fresh, uniquely named PostgreSQL databases in `layout`, dropped afterwards."""
    problem = pg_problem()
    if problem:
        raise Unavailable(problem)
    tag = f"gbench_{uuid.uuid4().hex[:8]}"
    base = make_url(PG_URL)
    env = {"GENIMS_CONFIG": os.devnull, "GENIMS_PG_LAYOUT": layout}
    if layout == "schemas":
        env["GENIMS_DATABASE_URL"] = base.set(database=tag).render_as_string(hide_password=False)
    else:
        env["GENIMS_DATABASE_URL"] = base.set(database=None).render_as_string(hide_password=False)
        env["GENIMS_PG_DATABASE_PREFIX"] = f"{tag}_"
    dbs = Databases(load_settings(environ=env))
    try:
        yield dbs
    finally:
        dbs.dispose()
        _drop_pg_databases(f"{tag}%")


def timed_create(dbs: Databases) -> dict[str, Any]:
    started = time.perf_counter()
    report = dbs.create()
    seconds = time.perf_counter() - started
    return {
        "value": round(seconds, 3),
        "databases": len(report),
        "tables_created": sum(r["tables_created"] for r in report),
    }


# -- the benchmarks ----------------------------------------------------------------------------------


@benchmark("init_seconds_sqlite")
def init_seconds_sqlite() -> Figure:
    """Databases.create() of all 15 logical databases on a fresh SQLite data dir."""
    with sqlite_estate() as dbs:
        return timed_create(dbs)


@benchmark("init_seconds_pg")
def init_seconds_pg() -> Figure:
    """Databases.create() of all 15 in the PostgreSQL `databases` layout (15 CREATE DATABASE included)."""
    with pg_estate("databases") as dbs:
        return timed_create(dbs)


@benchmark("init_seconds_pg_schemas")
def init_seconds_pg_schemas() -> Figure:
    """Databases.create() of all 15 in the PostgreSQL `schemas` layout (one database, 15 schemas)."""
    with pg_estate("schemas") as dbs:
        return timed_create(dbs)


# -- seeding (genims seed) ---------------------------------------------------------------------------

SEED_AS_OF = "2026-11-20T08:00"
BIG_SCALE = float(os.environ.get("GENIMS_BENCH_BIG_SCALE", "5.25"))
_seed_runs: dict[tuple[str, float], dict[str, Any]] = {}


def seed_run(backend: str, scale: float) -> dict[str, Any]:
    """One full `genims seed` of all 14 databases on a fresh estate (cached: several figures share it)."""
    import datetime as dt

    from genims_tui.seeds.runner import run_seed

    key = (backend, scale)
    if key not in _seed_runs:
        estate = sqlite_estate() if backend == "sqlite" else pg_estate(backend.removeprefix("pg-"))
        with estate as dbs:
            dbs.create()
            started = time.perf_counter()
            report = run_seed(dbs, scale=scale, seed=42, as_of=dt.datetime.fromisoformat(SEED_AS_OF))
            seconds = time.perf_counter() - started
        _seed_runs[key] = {
            "seconds": round(seconds, 2),
            "rows": report.rows,
            "rows_per_s": round(report.rows / seconds),
            "per_database": {d.database: {"rows": d.rows, "seconds": round(d.seconds, 2)} for d in report.databases},
        }
    return _seed_runs[key]


@benchmark("seed_seconds_sqlite")
def seed_seconds_sqlite() -> Figure:
    """genims seed --scale 1 into a fresh SQLite estate (target: 30 s or less)."""
    run = seed_run("sqlite", 1.0)
    return {"value": run["seconds"], "rows": run["rows"], "per_database": run["per_database"]}


@benchmark("seed_rows")
def seed_rows() -> Figure:
    """Rows written by genims seed --scale 1 (target: at least 700,000)."""
    return seed_run("sqlite", 1.0)["rows"]


@benchmark("seed_rows_per_s")
def seed_rows_per_s() -> Figure:
    """Rows per second of genims seed --scale 1 on SQLite, generation included."""
    return seed_run("sqlite", 1.0)["rows_per_s"]


@benchmark("seed_seconds_pg")
def seed_seconds_pg() -> Figure:
    """genims seed --scale 1 into fresh PostgreSQL databases, COPY (target: 30 s or less)."""
    run = seed_run("pg-databases", 1.0)
    return {"value": run["seconds"], "rows": run["rows"], "rows_per_s": run["rows_per_s"]}


@benchmark("seed_big_seconds")
def seed_big_seconds() -> Figure:
    """genims seed at a scale that yields 3.6 million rows or more, on SQLite (target: 150 s or less)."""
    run = seed_run("sqlite", BIG_SCALE)
    return {"value": run["seconds"], "scale": BIG_SCALE, "rows": run["rows"], "rows_per_s": run["rows_per_s"]}


@benchmark("seed_big_rows")
def seed_big_rows() -> Figure:
    """Rows of the big seed (target: 3.6 million or more)."""
    return {"value": seed_run("sqlite", BIG_SCALE)["rows"], "scale": BIG_SCALE}


# -- MRP (genims mrp run) ------------------------------------------------------------------------------

MRP_LEVELS = (1000, 1500, 1500, 2000, 2000, 2000)  # materials per BOM level: 10,000, six levels


def mrp_estate(dbs) -> None:
    """In bulk: 10,000 materials on six levels, 15,000 BOM lines, open sales demand over 90 days,
    stock, open purchase and production orders (deterministic)."""
    import datetime as dt
    import random
    from decimal import Decimal

    from sqlalchemy import insert

    from genims_tui.backend.models import erp as m

    rng = random.Random(7)
    dbs.create(["genims_erp_db", "genims_console_db"])
    today = dt.date(2026, 11, 20)
    now = dt.datetime(2026, 11, 20, 6, 0)
    rules = ["lot-for-lot", "fixed", "EOQ", "min-max"]
    levels, mats, n = [], [], 0
    for level, count in enumerate(MRP_LEVELS):
        ids = []
        for _ in range(count):
            n += 1
            mid = f"MAT-{n:06d}"
            ids.append(mid)
            buy = level == len(MRP_LEVELS) - 1
            mats.append({"material_id": mid, "material_code": mid, "material_name": f"M{n}", "base_unit_of_measure": "EA",
                         "procurement_type": "buy" if buy else "make", "lead_time_days": rng.randint(1, 10),
                         "lot_sizing_procedure": rng.choice(rules), "safety_stock": Decimal(rng.choice([0, 0, 5, 20])),
                         "reorder_point": Decimal(30), "maximum_stock": Decimal(200),
                         "minimum_order_quantity": Decimal(rng.choice([1, 10, 50])), "order_multiple": Decimal(rng.choice([1, 5])),
                         "standard_cost": Decimal(rng.randint(1, 500)), "mrp_type": "PD", "material_status": "active",
                         "blocked_for_procurement": False, "blocked_for_production": False, "created_at": now})
        levels.append(ids)
    boms, comps = [], []
    parents = [(lvl, mid) for lvl in range(len(MRP_LEVELS) - 1) for mid in levels[lvl]]
    extra = 15000 - len(parents)
    for i, (lvl, mid) in enumerate(parents):
        bid = f"BOM-{i + 1:06d}"
        boms.append({"bom_id": bid, "bom_number": bid, "parent_material_id": mid, "bom_usage": "production",
                     "bom_status": "active", "alternative_bom": 1, "base_quantity": Decimal(1),
                     "scrap_percentage": Decimal(0), "is_current_revision": True, "created_at": now})
        kids = [rng.choice(levels[lvl + 1])]
        if i < extra:
            deeper = rng.randint(lvl + 1, len(MRP_LEVELS) - 1)
            k = rng.choice(levels[deeper])
            if k not in kids:
                kids.append(k)
            else:
                kids.append(rng.choice([x for x in levels[-1] if x not in kids][:50]))
        for item, k in enumerate(kids, 1):
            comps.append({"component_id": f"BC-{len(comps) + 1:06d}", "bom_id": bid, "item_number": item * 10,
                          "material_id": k, "component_quantity": Decimal(rng.choice([1, 1, 2, 3])),
                          "component_scrap_percentage": Decimal(rng.choice([0, 0, 1])), "created_at": now})
    plant = "FAC-000001"
    sol = [{"sales_order_line_id": f"SOL-{i:06d}", "sales_order_id": "SO-000001", "line_number": i,
            "material_id": rng.choice(levels[0]), "order_quantity": Decimal(rng.randint(5, 100)),
            "delivered_quantity": Decimal(0), "requested_delivery_date": today + dt.timedelta(days=rng.randint(0, 95)),
            "confirmed_delivery_date": None, "plant_id": plant, "line_status": "open", "created_at": now}
           for i in range(1, 3001)]
    stock = [{"balance_id": f"IB-{i:06d}", "material_id": r["material_id"], "plant_id": plant, "storage_location": "0001",
              "unrestricted_stock": Decimal(rng.randint(0, 300))} for i, r in enumerate(mats) if i % 2 == 0]
    pols = [{"po_line_id": f"POL-{i:06d}", "purchase_order_id": "PO-000001", "line_number": i,
             "material_id": rng.choice(levels[-1]), "order_quantity": Decimal(rng.randint(50, 500)),
             "received_quantity": Decimal(0), "delivery_date": today + dt.timedelta(days=rng.randint(-5, 60)),
             "plant_id": plant, "line_status": "open", "created_at": now} for i in range(1, 1001)]
    prods = [{"production_order_id": f"PRD-{i:06d}", "production_order_number": str(i),
              "material_id": rng.choice(levels[rng.randint(0, 4)]), "plant_id": plant,
              "order_quantity": Decimal(rng.randint(10, 200)), "delivered_quantity": Decimal(0),
              "basic_end_date": today + dt.timedelta(days=rng.randint(0, 40)), "scheduled_end_date": None,
              "system_status": "released", "created_at": now} for i in range(1, 501)]
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(m.Materials), mats)
        conn.execute(insert(m.BillOfMaterials), boms)
        conn.execute(insert(m.BomComponents), comps)
        conn.execute(insert(m.SalesOrders), [{"sales_order_id": "SO-000001", "sales_order_number": "1"}])
        conn.execute(insert(m.SalesOrderLines), sol)
        conn.execute(insert(m.InventoryBalances), stock)
        conn.execute(insert(m.PurchaseOrders), [{"purchase_order_id": "PO-000001", "po_number": "1", "po_status": "released"}])
        conn.execute(insert(m.PurchaseOrderLines), pols)
        conn.execute(insert(m.ProductionOrders), prods)
    return len(mats), len(comps), len(MRP_LEVELS)


def _mrp_context(dbs):
    import datetime as dt

    from genims_tui.backend.services.base import ServiceContext

    return ServiceContext(dbs, clock=lambda: dt.datetime(2026, 11, 20, 6, 0))


@benchmark("mrp_seconds")
def mrp_seconds() -> Figure:
    """One MRP run over 10,000 materials, 15,000 BOM lines, six levels, 90 days, on a fresh SQLite
    estate built in bulk (target: 5 s or less for the run itself)."""
    from genims_tui.backend.services import mrp

    with sqlite_estate() as dbs:
        materials, lines, levels = mrp_estate(dbs)
        started = time.perf_counter()
        result = mrp.run_mrp(_mrp_context(dbs), 90)
        seconds = time.perf_counter() - started
    return {"value": round(seconds, 3), "materials": materials, "bom_lines": lines, "levels": levels,
            "materials_planned": result.materials_planned, "planned_orders": result.planned_orders,
            "elements": result.elements, "exceptions": result.exceptions}


@benchmark("mrp_orders_seconds")
def mrp_orders_seconds() -> Figure:
    """Turning 1,000 planned orders of make materials into production orders (target: 1 s or less)."""
    import datetime as dt
    from decimal import Decimal

    from sqlalchemy import insert

    from genims_tui.backend.models.erp import MrpElements, MrpRuns
    from genims_tui.backend.services import mrp

    with sqlite_estate() as dbs:
        mrp_estate(dbs)
        now = dt.datetime(2026, 11, 20, 6, 0)
        with dbs.begin("genims_erp_db") as conn:
            conn.execute(insert(MrpRuns), [{"mrp_run_id": "MRP-000001", "planning_date": now.date(), "run_status": "completed"}])
            conn.execute(insert(MrpElements), [
                {"element_id": f"MRP-000001-{i:06d}", "mrp_run_id": "MRP-000001", "material_id": f"MAT-{i:06d}",
                 "plant_id": "FAC-000001", "element_type": "planned_order", "element_date": now.date() + dt.timedelta(days=20),
                 "requirement_quantity": Decimal(0), "receipt_quantity": Decimal(50), "created_at": now}
                for i in range(1, 1001)])
        started = time.perf_counter()
        done = mrp.convert_planned_orders(_mrp_context(dbs), "MRP-000001")
        seconds = time.perf_counter() - started
    if done["production_orders"] != 1000:
        raise RuntimeError(f"expected 1000 production orders, made {done['production_orders']}")
    return {"value": round(seconds, 3), "production_orders": done["production_orders"]}


# -- procurement: the 3-way match at scale ---------------------------------------------------------------

MATCH_INVOICES = int(os.environ.get("GENIMS_BENCH_MATCH_INVOICES", "10000"))
MATCH_LINES_PER_INVOICE = 5


def _match_estate(dbs: Databases, invoices: int, per: int) -> dict[str, int]:
    """POs, PO lines, receipts and pending supplier invoices built in bulk: one PO per invoice, `per`
    lines each, every line received in full. 90 % of the invoices match exactly, 5 % have a price
    1 % off (within tolerance), 5 % invoice more than was received (exceptions)."""
    import datetime as dt
    from decimal import Decimal

    from sqlalchemy import insert

    from genims_tui.backend.models.erp import GoodsReceipts, Materials, PurchaseOrderLines, PurchaseOrders, Suppliers
    from genims_tui.backend.models.supplier import SupplierInvoiceLines, SupplierInvoices
    from genims_tui.backend.services import finance
    from genims_tui.backend.services.base import ServiceContext

    dbs.create(["genims_erp_db", "genims_supplier_db", "genims_financial_db", "genims_console_db"])
    finance.ensure_chart_of_accounts(ServiceContext(dbs))
    now, day = dt.datetime(2026, 11, 20, 8), dt.date(2026, 11, 20)
    suppliers = [f"SUP-{n:06d}" for n in range(1, 21)]
    materials = [f"MAT-{n:06d}" for n in range(1, 201)]
    pos, lines, grs, heads, ilines = [], [], [], [], []
    for i in range(1, invoices + 1):
        po_id, sup, inv_id = f"PO-{i:06d}", suppliers[i % len(suppliers)], f"SINV-{i:06d}"
        kind = "price" if i % 20 == 0 else "over" if i % 20 == 1 else "exact"
        pos.append({"purchase_order_id": po_id, "po_number": po_id, "supplier_id": sup, "po_date": day,
                    "currency": "USD", "payment_terms": "NET30", "po_status": "released", "created_at": now})
        subtotal = Decimal("0.00")
        for n in range(1, per + 1):
            lid, qty, price = f"{po_id}-{n:03d}", Decimal(10 + n), Decimal("4.2500") + n
            mat = materials[(i * per + n) % len(materials)]
            lines.append({"po_line_id": lid, "purchase_order_id": po_id, "line_number": n * 10, "material_id": mat,
                          "order_quantity": qty, "unit_of_measure": "EA", "received_quantity": qty, "unit_price": price,
                          "line_status": "received", "created_at": now})
            grs.append({"goods_receipt_id": f"GR-{i:06d}-{n:03d}", "gr_number": f"GR{i:06d}{n:03d}", "gr_date": day,
                        "posting_date": day, "purchase_order_id": po_id, "po_line_id": lid, "supplier_id": sup,
                        "material_id": mat, "quantity_received": qty, "unit_price": price,
                        "total_value": (qty * price).quantize(Decimal("0.01")), "quality_status": "accepted",
                        "gr_status": "posted", "cancelled": False, "created_at": now})
            iq = qty + 1 if kind == "over" and n == 1 else qty
            ip = (price * Decimal("1.01")).quantize(Decimal("0.0001")) if kind == "price" and n == 1 else price
            total = (iq * ip).quantize(Decimal("0.01"))
            subtotal += total
            ilines.append({"line_id": f"{inv_id}-{n:03d}", "invoice_id": inv_id, "line_number": n * 10, "po_line_id": lid,
                           "material_id": mat, "invoiced_quantity": iq, "unit_of_measure": "EA", "unit_price": ip,
                           "line_total": total, "created_at": now})
        heads.append({"invoice_id": inv_id, "invoice_number": inv_id, "supplier_invoice_number": f"X{i:07d}",
                      "supplier_id": sup, "purchase_order_id": po_id, "invoice_date": day, "due_date": day,
                      "subtotal": subtotal, "tax_amount": Decimal("0.00"), "freight_charges": Decimal("0.00"),
                      "other_charges": Decimal("0.00"), "discount_amount": Decimal("0.00"), "total_amount": subtotal,
                      "currency_code": "USD", "matching_status": "pending", "invoice_status": "submitted",
                      "payment_status": "unpaid", "gl_posted": False, "created_at": now})
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Suppliers), [{"supplier_id": s, "supplier_code": s, "supplier_name": s, "currency": "USD",
                                          "supplier_status": "active", "blocked_for_orders": False} for s in suppliers])
        conn.execute(insert(Materials), [{"material_id": m, "material_code": m, "material_name": m,
                                          "base_unit_of_measure": "EA"} for m in materials])
        conn.execute(insert(PurchaseOrders), pos)
        conn.execute(insert(PurchaseOrderLines), lines)
        conn.execute(insert(GoodsReceipts), grs)
    with dbs.begin("genims_supplier_db") as conn:
        conn.execute(insert(SupplierInvoices), heads)
        conn.execute(insert(SupplierInvoiceLines), ilines)
    return {"invoices": len(heads), "invoice_lines": len(ilines), "po_lines": len(lines), "receipts": len(grs)}


@benchmark("match_seconds")
def match_seconds() -> Figure:
    """procurement.match_invoices on 10,000 pending supplier invoices with 50,000 lines (fresh SQLite
    estate, POs / lines / receipts built in bulk first). The figure is the match itself (reads, per-line
    3-way match, bulk writes of results, logs and audit); the AP posting of the first batch of approved
    invoices that the call runs at its end is timed apart (posting_seconds)."""
    import datetime as dt

    from genims_tui.backend.services import procurement
    from genims_tui.backend.services.base import ServiceContext

    with sqlite_estate() as dbs:
        started = time.perf_counter()
        sizes = _match_estate(dbs, MATCH_INVOICES, MATCH_LINES_PER_INVOICE)
        build = time.perf_counter() - started
        ctx = ServiceContext(dbs, clock=lambda: dt.datetime(2026, 11, 20, 9))
        posting = {"seconds": 0.0}
        real_post = procurement.post_approved_invoices

        def timed_post(*args, **kwargs):  # the AP posting match_invoices runs at its end, timed apart
            t = time.perf_counter()
            try:
                return real_post(*args, **kwargs)
            finally:
                posting["seconds"] += time.perf_counter() - t

        procurement.post_approved_invoices = timed_post
        try:
            started = time.perf_counter()
            result = procurement.match_invoices(ctx)
            seconds = time.perf_counter() - started
        finally:
            procurement.post_approved_invoices = real_post
    return {"value": round(seconds - posting["seconds"], 3), "total_with_posting_seconds": round(seconds, 3),
            "posting_seconds": round(posting["seconds"], 3), "build_seconds": round(build, 3), **sizes,
            "matched": result["matched"], "within_tolerance": result["within_tolerance"],
            "exception": result["exception"], "posted": len(result["posting"]["posted"]), "target_seconds": 5}


# -- ERP <-> WMS reconciliation at scale -----------------------------------------------------------------


def _reconcile_estate(dbs: Databases, materials: int, plants: int) -> int:
    """ERP balances and WMS bin stock for materials x plants keys, in bulk: 98.5 % equal, 1 % minor, 0.5 % major."""
    import datetime as dt
    from decimal import Decimal

    from sqlalchemy import insert

    from genims_tui.backend.models.erp import InventoryBalances, Materials
    from genims_tui.backend.models.wms import StorageBins, WarehouseInventory, Warehouses

    dbs.create(["genims_erp_db", "genims_wms_db", "genims_erp_wms_sync_db", "genims_console_db"])
    now = dt.datetime(2026, 11, 20, 8)
    mats = [f"MAT-{m:06d}" for m in range(1, materials + 1)]
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Materials), [{"material_id": m, "material_name": m} for m in mats])
        conn.execute(insert(InventoryBalances), [
            {"balance_id": f"IB-{p}-{i:06d}", "material_id": m, "plant_id": f"FAC-{p:06d}", "storage_location": "0001",
             "unrestricted_stock": Decimal(100 + i % 900), "quality_inspection_stock": Decimal(0),
             "blocked_stock": Decimal(0), "stock_value": Decimal(2 * (100 + i % 900)), "updated_at": now}
            for p in range(1, plants + 1) for i, m in enumerate(mats)])
    with dbs.begin("genims_wms_db") as conn:
        conn.execute(insert(Warehouses), [{"warehouse_id": f"WH-{p:06d}", "plant_id": f"FAC-{p:06d}", "is_active": True}
                                          for p in range(1, plants + 1)])
        conn.execute(insert(StorageBins), [{"bin_id": f"BIN-{p:06d}", "warehouse_id": f"WH-{p:06d}"}
                                           for p in range(1, plants + 1)])
        rows = []
        for p in range(1, plants + 1):
            for i, m in enumerate(mats):
                q = Decimal(100 + i % 900)
                if i % 200 == 7:
                    q = q * Decimal("0.95")  # major
                elif i % 100 == 3:
                    q = q * Decimal("0.99")  # minor
                rows.append({"inventory_id": f"INV-{p}-{i:06d}", "warehouse_id": f"WH-{p:06d}", "bin_id": f"BIN-{p:06d}",
                             "material_id": m, "quantity_on_hand": q})
        conn.execute(insert(WarehouseInventory), rows)
    return materials * plants


@benchmark("reconcile_seconds")
def reconcile_seconds() -> Figure:
    """ERP vs WMS reconciliation of 100,000 (material, plant) stock records on SQLite (target: 2 s or less)."""
    from genims_tui.backend.services.base import ServiceContext
    from genims_tui.backend.services.inventory_sync import reconcile

    with sqlite_estate() as dbs:
        keys = _reconcile_estate(dbs, 25_000, 4)
        started = time.perf_counter()
        result = reconcile(ServiceContext(dbs))
        seconds = time.perf_counter() - started
    assert result["compared"] == keys, result
    return {"value": round(seconds, 3), "records": keys, "matched": result["matched"], "minor": result["minor"],
            "major": result["major"]}


# -- the daemon cycle ------------------------------------------------------------------------------------


@benchmark("daemon_cycle_seconds")
def daemon_cycle_seconds() -> Figure:
    """Every 5-minute automation (interval 300 s) once, through the real scheduler (locks, run records,
    daemon log), over a scale-1 SQLite estate seeded in a temp dir; the clock is frozen 30 min after the
    seed's as_of. Run twice: the figure is the second, steady-state cycle; the first (which works off
    the seed's backlog) is kept apart, with per-job seconds of both (target: 2 s or less)."""
    import datetime as dt

    from genims_tui.backend.scheduler import registry, run_job
    from genims_tui.seeds.runner import run_seed

    as_of = dt.datetime.fromisoformat(SEED_AS_OF)
    names = [n for n, job in registry().items() if job.kind == "automation" and job.interval_seconds == 300]
    with sqlite_estate() as dbs:
        dbs.create()
        started = time.perf_counter()
        run_seed(dbs, scale=1.0, seed=42, as_of=as_of)
        seed_seconds = time.perf_counter() - started
        cycles = []
        for _ in range(2):
            per_job: dict[str, float] = {}
            failed: dict[str, str] = {}
            rows = 0
            cycle_started = time.perf_counter()
            for name in names:
                t = time.perf_counter()
                result = run_job(dbs, name, clock=lambda: as_of + dt.timedelta(minutes=30))
                per_job[name] = round(time.perf_counter() - t, 3)
                rows += result.rows_touched
                if result.outcome != "success":
                    failed[name] = result.error or result.outcome
            cycles.append({"seconds": round(time.perf_counter() - cycle_started, 3), "per_job": per_job,
                           "failed": failed, "rows_touched": rows})
    return {"value": cycles[1]["seconds"], "first_cycle_seconds": cycles[0]["seconds"], "jobs": names,
            "first_cycle_rows_touched": cycles[0]["rows_touched"], "steady_rows_touched": cycles[1]["rows_touched"],
            "first_cycle_per_job": cycles[0]["per_job"], "steady_per_job": cycles[1]["per_job"],
            "failed": {**cycles[0]["failed"], **cycles[1]["failed"]}, "seed_seconds": round(seed_seconds, 1),
            "target_seconds": 2}


# -- IoT ingest ------------------------------------------------------------------------------------------


def _iot_readings(n: int) -> list[tuple]:
    """n synthetic sensor readings (1,000 sensors, 10 s apart), tuples in the ingest's column order."""
    import datetime as dt
    import random
    from decimal import Decimal

    from genims_tui.backend.services.operations import SENSOR_READING_COLUMNS

    rng = random.Random(7)
    start = dt.datetime(2026, 6, 1)
    rows = []
    for i in range(n):
        s = i % 1000
        t = start + dt.timedelta(seconds=10 * (i // 1000))
        v = Decimal(int(rng.gauss(500_000, 40_000))).scaleb(-4)
        row = {"sensor_id": f"SNS-{s:06d}", "machine_id": f"MCH-{s // 8:06d}", "line_id": f"LIN-{s // 80:06d}",
               "factory_id": f"FAC-{s // 400:06d}", "timestamp": t, "measurement_value": v, "measurement_unit": "C",
               "status": "normal", "quality": "good", "is_below_warning": False, "is_above_warning": False,
               "is_below_critical": False, "is_above_critical": False, "min_value_1min": v, "max_value_1min": v,
               "avg_value_1min": v, "std_dev_1min": Decimal("0.0100"), "anomaly_score": Decimal("0.1200"),
               "is_anomaly": False, "data_source": "iot_gateway", "protocol": "MQTT", "created_at": t}
        rows.append(tuple(row[c] for c in SENSOR_READING_COLUMNS))
    return rows


@benchmark("iot_ingest_rows_per_s")
def iot_ingest_rows_per_s() -> Figure:
    """500,000 sensor readings through services.operations.ingest_sensor_readings (COPY) into a fresh
    PostgreSQL estate, in batches of 50,000 (target: 100,000 rows/s or more); SQLite alongside for reference."""
    from sqlalchemy import func, select

    from genims_tui.backend.models.operations import SensorData
    from genims_tui.backend.services.operations import ingest_sensor_readings

    total, batch = 500_000, 50_000
    rows = _iot_readings(total)

    def measure(dbs: Databases) -> tuple[float, int]:
        dbs.create(["genims_operations_db"])
        started = time.perf_counter()
        for i in range(0, total, batch):
            ingest_sensor_readings(dbs, rows[i:i + batch])
        seconds = time.perf_counter() - started
        with dbs.connect("genims_operations_db") as conn:
            stored = conn.execute(select(func.count()).select_from(SensorData)).scalar_one()
        assert stored == total, stored
        return seconds, stored

    with sqlite_estate() as dbs:
        sqlite_seconds, _ = measure(dbs)
    with pg_estate("databases") as dbs:
        pg_seconds, stored = measure(dbs)
    return {"value": round(total / pg_seconds), "rows": stored, "batch": batch, "pg_seconds": round(pg_seconds, 2),
            "sqlite_rows_per_s": round(total / sqlite_seconds), "sqlite_seconds": round(sqlite_seconds, 2),
            "target_rows_per_s": 100_000,
            # the figure is CPU-bound on client and server alike: read it against what else ran
            "load_average_1min": round(os.getloadavg()[0], 2)}


# -- the console ------------------------------------------------------------------------------------------


@contextmanager
def console_estate() -> Iterator[tuple[Databases, dict[str, str]]]:
    """A small seeded SQLite estate with the seed users, and the environment that points at it."""
    import datetime as dt

    from genims_tui.backend.access import AccessStore
    from genims_tui.seeds.runner import run_seed

    with sqlite_estate() as dbs:
        run_seed(dbs, scale=0.05, seed=42, as_of=dt.datetime.fromisoformat(SEED_AS_OF))
        AccessStore(dbs).ensure_seed_users("genims-first-run")
        env = dict(os.environ, GENIMS_DATA_DIR=str(dbs.data_dir),
                   GENIMS_CONFIG=str(dbs.data_dir.parent / "config.toml"))
        dbs.dispose()
        yield dbs, env


@benchmark("tui_start_seconds")
def tui_start_seconds() -> Figure:
    """Process start to the login screen ready: a fresh Python process opens the console as `genims`
    does (settings, first-run check of the 15 databases, the app with its embedded scheduler
    configured) on a seeded SQLite estate, headless at 120x40. Median of 5 after a warm-up run
    (target: under 1 s)."""
    import subprocess
    import statistics

    probe = Path(__file__).resolve().parent / "tui_probe.py"
    with console_estate() as (_dbs, env):
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached (the warm-up run writes it)
        runs = []
        for attempt in range(6):
            t0 = time.time()
            out = subprocess.run([sys.executable, str(probe), "start", repr(t0)], env=env, capture_output=True,
                                 text=True, timeout=120)
            if out.returncode != 0:
                raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "probe failed")
            if attempt:  # the first run is the warm-up
                runs.append(float(out.stdout.strip().splitlines()[-1]))
    return {"value": round(statistics.median(runs), 3), "runs": [round(r, 3) for r in runs], "target_seconds": 1}


@benchmark("tui_switch_ms")
def tui_switch_ms() -> Figure:
    """Workspace switch with data shown: from the F-key (dispatched as a key event, as a terminal sends
    it) until the new workspace's visible view has loaded and shown fresh data (its worker done), as an
    administrator on a seeded SQLite estate at 120x40. The first visit of a workspace builds its screen
    and is reported apart; the figure is the median of the later visits, with the 90th percentile
    (target: under 100 ms)."""
    import asyncio
    import statistics

    from genims_tui.app import GenimsApp
    from genims_tui.backend.access import role_user
    from genims_tui.config import load_settings as settings_from
    from genims_tui.views import WORKSPACES

    def view_of(app, key: str):
        for stack in app._screen_stacks.values():
            for screen in stack:
                if getattr(screen, "workspace", None) is not None and screen.workspace.key == key:
                    return screen.current_view()
        return None

    async def visit(app, ws) -> float:
        before = view_of(app, ws.key)
        seen = before.load_count if before is not None else 0
        started = time.perf_counter()
        app.simulate_key(ws.hotkey)
        while True:
            await asyncio.sleep(0.0005)
            screen = app.screen
            if getattr(screen, "workspace", None) is ws:
                view = screen.current_view()
                loaded = view is not None and (view.load_count > seen or view.last_error)
                if loaded and not any(w.is_running for w in app.workers):
                    return (time.perf_counter() - started) * 1000
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"the {ws.title} workspace did not show its data within 30 s")

    with console_estate() as (_dbs, env):
        dbs = Databases(settings_from(environ=env))
        app = GenimsApp(dbs=dbs, user=role_user("admin"), daemons=False)
        first: dict[str, float] = {}
        later: list[float] = []

        async def drive() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                for _round in range(6):
                    for ws in WORKSPACES.values():
                        ms = await visit(app, ws)
                        if ws.key in first:
                            later.append(ms)
                        else:
                            first[ws.key] = round(ms, 1)
                        await pilot.pause()

        asyncio.run(drive())
        dbs.dispose()
    later.sort()
    return {"value": round(statistics.median(later), 1), "p90_ms": round(later[int(len(later) * 0.9)], 1),
            "max_ms": round(max(later), 1), "first_visit_ms": first, "switches": len(later), "target_ms": 100}


@benchmark("tui_page_ms")
def tui_page_ms() -> Figure:
    """The console's "next page" of operations.sensor_data with 1,000,000 rows through browse.page_table
    (what the data browser's `]` runs): pages 1 and 2, a cold jump to offset 500,000 and the page after
    it, on SQLite and PostgreSQL; on SQLite also `]` pressed in the console's table screen until the page
    is in the table. The figure is the slowest "next page" (target: under 100 ms); the cold deep jump is
    reported alongside."""
    from genims_tui.backend import browse
    from genims_tui.backend.access import SYSTEM_USER

    rows = 1_000_000

    def measure(dbs: Databases) -> dict[str, Any]:
        fill = _fill_sensor_data(dbs, rows)

        def fetch(pq: browse.PageQuery) -> float:
            started = time.perf_counter()
            page = browse.page_table(dbs, SYSTEM_USER, "operations", "sensor_data", pq)
            assert len(page.rows) == pq.limit, len(page.rows)
            return (time.perf_counter() - started) * 1000

        first = browse.PageQuery()
        deep = browse.PageQuery(offset=500_000)
        figures = {"page_1_ms": fetch(first), "page_2_ms": fetch(first.next()), "deep_jump_ms": fetch(deep),
                   "next_after_deep_ms": fetch(deep.next()), "fill_seconds": fill}
        if dbs.target("genims_operations_db").backend == "sqlite":
            figures.update(_console_next_page_ms(dbs))
        return {k: round(v, 1) for k, v in figures.items()}

    out: dict[str, Any] = {"rows": rows}
    with sqlite_estate() as dbs:
        out["sqlite"] = measure(dbs)
    try:
        with pg_estate("databases") as dbs:
            out["pg"] = measure(dbs)
    except Unavailable as exc:
        out["note"] = str(exc)
    nexts = [side[k] for side in (out.get("sqlite"), out.get("pg")) if side
             for k in ("page_2_ms", "next_after_deep_ms", "console_next_page_ms", "console_next_after_deep_ms") if k in side]
    out["value"] = max(nexts)
    out["target_ms"] = 100
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # the machine is shared: contention inflates ms
    return out

# -- running them --------------------------------------------------------------------------------------


def run(names: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    details: dict[str, Any] = {}
    for name in names:
        progress(f"{name} ...")
        started = time.perf_counter()
        try:
            result = BENCHMARKS[name]()
        except Unavailable as exc:
            figures[name], notes[name] = None, str(exc)
            progress(f"{name}: skipped ({exc})")
            continue
        except Exception as exc:  # one failing benchmark must not lose the others' figures
            figures[name], notes[name] = None, f"failed: {type(exc).__name__}: {exc}"
            progress(f"{name}: FAILED ({type(exc).__name__}: {exc})")
            continue
        if isinstance(result, dict):
            figures[name] = result.get("value")
            extra = {k: v for k, v in result.items() if k not in ("value", "note")}
            if extra:
                details[name] = extra
            if result.get("note"):
                notes[name] = result["note"]
        else:
            figures[name] = result
        progress(f"{name}: {figures[name]} ({time.perf_counter() - started:.1f}s)")
    return {
        "genims_version": __version__,
        "python": platform.python_version(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "figures": figures,
        "details": details,
        "notes": notes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--list", action="store_true", help="print the benchmark names and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name in BENCHMARKS:
            print(name)
        return 0
    names = list(BENCHMARKS)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            print(f"error: unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(BENCHMARKS)}.",
                  file=sys.stderr)
            return 2
    document = run(names)
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
