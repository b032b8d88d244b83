"""wms, maintenance, erp_wms_sync and tms generators: coherence with their upstream, determinism, loading.

Upstream (master, erp, operations, manufacturing) comes from the real generators when they exist, else
from a small stand-in with the same catalog columns.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import random
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from genims_tui.backend.catalog import load_catalog
from genims_tui.seeds.framework import SeedContext

AS_OF = dt.datetime(2026, 11, 20)
MINE = ("genims_wms_db", "genims_maintenance_db", "genims_erp_wms_sync_db", "genims_tms_db")
UPSTREAM = ("genims_master_db", "genims_erp_db", "genims_operations_db", "genims_manufacturing_db")


def _module(db: str):
    name = db.removeprefix("genims_").removesuffix("_db")
    if importlib.util.find_spec(f"genims_tui.seeds.{name}") is None:
        return None
    return importlib.import_module(f"genims_tui.seeds.{name}")


# ------------------------------------------------------------------------------------------------
# stand-in upstream (used only while the real generators are missing)
# ------------------------------------------------------------------------------------------------


def _standin_master(ctx: SeedContext) -> dict:
    rng = random.Random(1)
    facs = [{"factory_id": ctx.key("FAC", i), "factory_name": f"Plant {i}", "country": "USA", "city": f"City{i}",
             "region": "North America", "status": "active", "created_at": AS_OF - dt.timedelta(days=400)} for i in range(1, 5)]
    lines, machines, emps = [], [], []
    for i in range(1, 9):
        f = facs[(i - 1) % 4]["factory_id"]
        lines.append({"line_id": ctx.key("LINE", i), "factory_id": f, "line_name": f"Line {i}", "status": "active"})
        for j in range(6):
            n = len(machines) + 1
            machines.append({"machine_id": ctx.key("MCH", n), "line_id": ctx.key("LINE", i), "factory_id": f,
                             "machine_name": f"Machine {n}", "machine_type": rng.choice(["CNC Mill", "Robot", "Press"]),
                             "manufacturer": "Siemens", "model_number": "X1", "serial_number": f"SN{n}",
                             "installation_date": dt.date(2018, 1, 1), "criticality": rng.choice(["critical", "high", "medium", "low"]),
                             "asset_value_usd": Decimal("100000.00"), "expected_life_years": 15, "power_rating_kw": Decimal("20.00"),
                             "status": "active"})
    roles = ["warehouse_operator"] * 30 + ["maintenance_technician"] * 30 + ["driver"] * 10 + ["manager"] * 5 + ["operator"] * 20
    for n, r in enumerate(roles, start=1):
        emps.append({"employee_id": ctx.key("EMP", n), "factory_id": facs[n % 4]["factory_id"], "first_name": f"F{n}",
                     "last_name": f"L{n}", "email": f"e{n}@x.com", "phone": "555", "role": r, "department": "Ops",
                     "skill_level": "senior", "shift": "A", "hire_date": dt.date(2020, 1, 1), "status": "active"})
    custs = [{"customer_id": ctx.key("CUST", i), "customer_name": f"Customer {i}", "country": "USA", "region": "North America"}
             for i in range(1, 11)]
    prods = [{"product_id": ctx.key("PRD", i), "product_name": f"Product {i}"} for i in range(1, 11)]
    return {"factories": facs, "production_lines": lines, "machines": machines, "employees": emps, "customers": custs,
            "products": prods, "sensors": [], "shifts": []}


def _standin_erp(ctx: SeedContext) -> dict:
    rng = random.Random(2)
    plants = ["FAC-000001", "FAC-000002", "FAC-000003"]
    mats = [{"material_id": ctx.key("MAT", i), "material_code": f"M{i}", "material_name": f"Material {i}",
             "material_type": rng.choice(["raw_material", "finished_good", "semi_finished"]), "base_unit_of_measure": "EA",
             "weight_kg": Decimal(str(round(rng.uniform(0.1, 60), 4))), "abc_classification": rng.choice("ABC"),
             "standard_cost": Decimal("12.5000"), "product_family": "fam", "shelf_life_days": None}
            for i in range(1, 121)]
    sups = [{"supplier_id": ctx.key("SUP", i), "supplier_name": f"Supplier {i}"} for i in range(1, 11)]
    pos, pols, grs, bals, txs, sos, sols, gl = [], [], [], [], [], [], [], []
    stock = defaultdict(Decimal)
    for i in range(1, 81):
        d = AS_OF.date() - dt.timedelta(days=rng.randint(5, 85))
        po = ctx.key("PO", i)
        pos.append({"purchase_order_id": po, "supplier_id": rng.choice(sups)["supplier_id"], "po_date": d, "po_status": "closed"})
        m = rng.choice(mats)
        q = Decimal(rng.randint(50, 500))
        pl = rng.choice(plants)
        pols.append({"po_line_id": ctx.key("POL", i), "purchase_order_id": po, "line_number": 1, "material_id": m["material_id"],
                     "order_quantity": q, "plant_id": pl})
        grs.append({"goods_receipt_id": ctx.key("GR", i), "gr_date": d + dt.timedelta(days=3), "purchase_order_id": po,
                    "po_line_id": ctx.key("POL", i), "supplier_id": pos[-1]["supplier_id"], "material_id": m["material_id"],
                    "quantity_received": q, "unit_of_measure": "EA", "plant_id": pl, "storage_location": "0001",
                    "batch_number": f"B{i}", "quality_status": "unrestricted", "unit_price": Decimal("10.0000"),
                    "total_value": Decimal("100.00"), "gr_status": "posted", "cancelled": False})
    for i in range(1, 301):
        m = rng.choice(mats)["material_id"]
        pl = rng.choice(plants)
        stock[(m, pl, rng.choice(["0001", "0002"]))] += Decimal(rng.randint(0, 2000))
    for n, ((m, pl, sl), q) in enumerate(sorted(stock.items()), start=1):
        bals.append({"balance_id": ctx.key("IB", n), "material_id": m, "plant_id": pl, "storage_location": sl,
                     "batch_number": None, "unrestricted_stock": q, "quality_inspection_stock": Decimal("0"),
                     "blocked_stock": Decimal(rng.choice([0, 0, 0, 5])), "moving_average_price": Decimal("12.5000")})
        txs.append({"transaction_id": ctx.key("IT", n), "material_id": m, "plant_id": pl, "storage_location": sl,
                    "quantity": q, "transaction_type": "goods_receipt", "movement_type": "101",
                    "posting_date": AS_OF.date() - dt.timedelta(days=rng.randint(1, 80)), "unit_of_measure": "EA"})
    for i in range(1, 41):
        d = AS_OF.date() - dt.timedelta(days=rng.randint(3, 85))
        delivered = i <= 28
        so = ctx.key("SO", i)
        sos.append({"sales_order_id": so, "customer_id": ctx.key("CUST", rng.randint(1, 10)), "order_date": d,
                    "order_status": "delivered" if delivered else "open", "overall_delivery_status": "delivered" if delivered else "open",
                    "total_value": Decimal("1000.00"), "incoterms": "FCA", "confirmed_delivery_date": d + dt.timedelta(days=7)})
        for ln in range(1, rng.randint(2, 4)):
            m = rng.choice(mats)
            sols.append({"sales_order_line_id": ctx.key("SOL", len(sols) + 1), "sales_order_id": so, "line_number": ln,
                         "material_id": m["material_id"], "material_description": m["material_name"],
                         "order_quantity": Decimal(rng.randint(1, 30)), "delivered_quantity": Decimal(rng.randint(1, 30)) if delivered else Decimal(0),
                         "unit_of_measure": "EA", "unit_price": Decimal("25.0000"), "net_price": Decimal("100.00"),
                         "plant_id": rng.choice(plants), "line_status": "delivered" if delivered else "open"})
        if delivered:
            txs.append({"transaction_id": ctx.key("IT", len(txs) + 1), "material_id": sols[-1]["material_id"], "plant_id": "FAC-000001",
                        "storage_location": "0001", "quantity": Decimal("-1"), "sales_order_id": so,
                        "transaction_type": "goods_issue", "movement_type": "601",
                        "posting_date": min(d + dt.timedelta(days=5), AS_OF.date())})
    gl.append({"gl_transaction_id": ctx.key("GL", 1)})
    return {"materials": mats, "suppliers": sups, "purchase_orders": pos, "purchase_order_lines": pols, "goods_receipts": grs,
            "inventory_balances": bals, "inventory_transactions": txs, "sales_orders": sos, "sales_order_lines": sols,
            "general_ledger": gl, "cost_centers": []}


def _standin_operations(ctx: SeedContext) -> dict:
    rng = random.Random(3)
    machines = ctx.rows("genims_master_db", "machines")
    faults, episodes = [], []
    for i in range(1, 61):
        m = rng.choice(machines)
        start = AS_OF - dt.timedelta(hours=rng.uniform(1, 160))
        sev = rng.choice(["critical", "major", "minor"])
        end = None if (i > 54) else min(AS_OF, start + dt.timedelta(minutes=rng.randint(10, 300)))
        faults.append({"fault_id": i, "machine_id": m["machine_id"], "line_id": m["line_id"], "factory_id": m["factory_id"],
                       "fault_code": f"F{rng.randint(100, 120)}", "fault_category": rng.choice(["mechanical", "electrical"]),
                       "fault_severity": sev, "fault_start_time": start, "fault_end_time": end,
                       "status": "resolved" if end else "active"})
        episodes.append({"fault_id": i, "machine_id": m["machine_id"], "line_id": m["line_id"], "factory_id": m["factory_id"],
                         "fault_code": faults[-1]["fault_code"], "fault_category": faults[-1]["fault_category"],
                         "fault_severity": sev, "start": start, "end": end,
                         "downtime_minutes": int(((end or AS_OF) - start).total_seconds() // 60), "description": "fault"})
    ctx.shared["fault_episodes"] = episodes
    return {"machine_faults": faults}


STANDINS = {"genims_master_db": _standin_master, "genims_erp_db": _standin_erp, "genims_operations_db": _standin_operations}


def _run(seed: int = 7, scale: float = 0.05) -> tuple[SeedContext, dict]:
    ctx = SeedContext(seed=seed, scale=scale, as_of=AS_OF)
    real_up = all(_module(db) is not None for db in ("genims_master_db", "genims_erp_db", "genims_operations_db"))
    for db in UPSTREAM:
        mod = _module(db) if real_up else None
        if mod is not None:
            ctx.data[db] = mod.generate(ctx)
        elif db in STANDINS:
            ctx.data[db] = STANDINS[db](ctx)
    timings = {}
    import time
    for db in MINE:
        t0 = time.perf_counter()
        ctx.data[db] = _module(db).generate(ctx)
        timings[db] = time.perf_counter() - t0
    return ctx, timings


@pytest.fixture(scope="module")
def seeded():
    return _run()


# ------------------------------------------------------------------------------------------------
# generic checks: columns, types, references, as_of
# ------------------------------------------------------------------------------------------------

HOME_OVERRIDE = {"employees": "genims_master_db", "work_orders": "genims_manufacturing_db"}
HOME = {
    "factories": "genims_master_db", "production_lines": "genims_master_db", "machines": "genims_master_db",
    "sensors": "genims_master_db", "shifts": "genims_master_db", "products": "genims_master_db",
    "customers": "genims_master_db", "employees": "genims_master_db",
    "materials": "genims_erp_db", "suppliers": "genims_erp_db", "purchase_orders": "genims_erp_db",
    "purchase_order_lines": "genims_erp_db", "goods_receipts": "genims_erp_db", "sales_orders": "genims_erp_db",
    "sales_order_lines": "genims_erp_db", "production_orders": "genims_erp_db", "general_ledger": "genims_erp_db",
    "cost_centers": "genims_erp_db", "downtime_events": "genims_manufacturing_db", "machine_faults": "genims_operations_db",
    "departments": "genims_hr_db", "warehouses": "genims_wms_db", "storage_bins": "genims_wms_db",
    "receiving_tasks": "genims_wms_db", "shipping_tasks": "genims_wms_db", "carriers": "genims_tms_db",
    "shipments": "genims_tms_db", "maintenance_assets": "genims_maintenance_db", "accounts": "genims_crm_db",
    "contacts": "genims_crm_db", "service_tickets": "genims_service_db", "chart_of_accounts": "genims_financial_db",
    "journal_entry_headers": "genims_financial_db", "rfq_headers": "genims_supplier_db",
}


def _pk(db: str, table: str) -> str:
    return next(c[0] for c in load_catalog()[db][table] if c[2])


def test_columns_types_and_references(seeded):
    ctx, _ = seeded
    cat = load_catalog()
    pk_cache: dict[tuple[str, str], set] = {}

    def keys(db, table):
        if (db, table) not in pk_cache:
            pk_cache[(db, table)] = {str(r[_pk(db, table)]) for r in ctx.data[db][table]}
        return pk_cache[(db, table)]

    problems = []
    for db in MINE:
        assert set(ctx.data[db]) <= set(cat[db]), set(ctx.data[db]) - set(cat[db])
        for table, rows in ctx.data[db].items():
            cols = {c[0]: c for c in cat[db][table]}
            pk = _pk(db, table)
            seen = set()
            for r in rows:
                extra = set(r) - set(cols)
                assert not extra, (db, table, extra)
                assert r[pk] is not None and r[pk] not in seen, (db, table, r[pk])
                seen.add(r[pk])
                for name, v in r.items():
                    if v is None:
                        continue
                    typ, ref = cols[name][1], cols[name][3]
                    m = re.fullmatch(r"VARCHAR\((\d+)\)", typ)
                    if m:
                        assert isinstance(v, str) and len(v) <= int(m.group(1)), (db, table, name, v)
                    m = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", typ)
                    if m:
                        p, s = int(m.group(1)), int(m.group(2))
                        assert isinstance(v, Decimal), (db, table, name, v)
                        assert -v.as_tuple().exponent <= s and abs(v) < Decimal(10) ** (p - s), (db, table, name, v)
                    if typ in ("INTEGER", "BIGINT"):
                        assert isinstance(v, int) and not isinstance(v, bool), (db, table, name, v)
                    if typ == "BOOLEAN":
                        assert isinstance(v, bool), (db, table, name, v)
                    if typ == "TIMESTAMP":
                        assert isinstance(v, dt.datetime) and v.tzinfo is None and v <= AS_OF, (db, table, name, v)
                    if typ == "DATE" and isinstance(v, dt.date):
                        assert not isinstance(v, dt.datetime), (db, table, name, v)
                    if typ == "JSONB":
                        json.dumps(v)
                    if ref:
                        home = db if ref in cat[db] else HOME.get(ref)
                        if home is None or home not in ctx.data:
                            problems.append((db, table, name, "unresolvable home", ref))
                            continue
                        if str(v) not in keys(home, ref):  # machine_fault_id holds str(fault_id)
                            problems.append((db, table, name, v, f"{home}.{ref}"))
    assert not problems, problems[:20]


def test_dates_not_after_as_of(seeded):
    ctx, _ = seeded
    cat = load_catalog()
    # scheduling/planning dates legitimately lie ahead; facts (done, shipped, delivered, counted) do not
    future_ok = re.compile(r"(next_|scheduled|planned|due|expiry|expir|end_date|valid_to|warranty|retest|effective|"
                           r"estimated|renewal|billing|required_date|rescheduled|trigger_date)")
    for db in MINE:
        for table, rows in ctx.data[db].items():
            date_cols = [c[0] for c in cat[db][table] if c[1] == "DATE" and not future_ok.search(c[0])]
            for r in rows:
                for c in date_cols:
                    v = r.get(c)
                    assert v is None or v <= AS_OF.date(), (db, table, c, v)


# ------------------------------------------------------------------------------------------------
# WMS
# ------------------------------------------------------------------------------------------------


def _erp_stock(ctx):
    tot = defaultdict(Decimal)
    for b in ctx.rows("genims_erp_db", "inventory_balances"):
        tot[(b["material_id"], b["plant_id"])] += sum((b.get(c) or Decimal(0)) for c in
                                                      ("unrestricted_stock", "quality_inspection_stock", "blocked_stock"))
    return tot


def test_wms_stock_equals_erp_except_published_variances(seeded):
    ctx, _ = seeded
    erp = _erp_stock(ctx)
    wh_plant = {w["warehouse_id"]: w["plant_id"] for w in ctx.rows("genims_wms_db", "warehouses")}
    wms = defaultdict(Decimal)
    for r in ctx.rows("genims_wms_db", "warehouse_inventory"):
        wms[(r["material_id"], wh_plant[r["warehouse_id"]])] += r["quantity_on_hand"]
    plants = set(wh_plant.values())
    differ = {k for k in set(erp) | set(wms) if k[1] in plants and erp.get(k, 0) != wms.get(k, 0)}
    variances = ctx.shared["wms_variances"]
    published = {(v["material_id"], v["plant_id"]) for v in variances}
    assert differ == published
    # every ERP plant with stock has a warehouse
    assert {k[1] for k, q in erp.items() if q > 0} <= plants
    bands = Counter()
    for v in variances:
        assert v["erp_qty"] == erp[(v["material_id"], v["plant_id"])]
        assert v["wms_qty"] == wms[(v["material_id"], v["plant_id"])]
        pct = abs(v["wms_qty"] - v["erp_qty"]) / v["erp_qty"] * 100
        band = "major" if pct > 2 else "minor" if pct >= Decimal("0.1") else "matched"
        assert band == v["band"] != "matched"
        bands[band] += 1
    assert bands["minor"] >= 1 and bands["major"] >= 1
    share = len(variances) / max(1, sum(1 for k, q in erp.items() if q > 0 and k[1] in plants))
    assert 0.01 <= share <= 0.06, share


def test_wms_bins_capacity_and_layout(seeded):
    ctx, _ = seeded
    mats = {m["material_id"]: m for m in ctx.rows("genims_erp_db", "materials")}
    bins = {b["bin_id"]: b for b in ctx.rows("genims_wms_db", "storage_bins")}
    assert len(ctx.rows("genims_wms_db", "warehouses")) == 3 or len(ctx.rows("genims_wms_db", "warehouses")) >= 3
    assert len(ctx.rows("genims_wms_db", "warehouse_zones")) == 6 * len(ctx.rows("genims_wms_db", "warehouses"))
    assert len(bins) >= 100
    assert len(ctx.rows("genims_wms_db", "slotting_rules")) == 30
    load = defaultdict(Decimal)
    for r in ctx.rows("genims_wms_db", "warehouse_inventory"):
        w = mats[r["material_id"]].get("weight_kg") or Decimal(0)
        load[r["bin_id"]] += r["quantity_on_hand"] * (w if w > 0 else Decimal(1))
        assert r["warehouse_id"] == bins[r["bin_id"]]["warehouse_id"]
        assert r["quantity_on_hand"] > 0
    for bin_id, kg in load.items():
        assert kg <= bins[bin_id]["weight_capacity_kg"], (bin_id, kg)
        assert bins[bin_id]["current_occupancy_pct"] <= 100
    emps = {e["employee_id"]: e for e in ctx.rows("genims_master_db", "employees")}
    for w in ctx.rows("genims_wms_db", "warehouse_workers"):
        assert emps[w["employee_id"]]["role"] == "warehouse_operator"


def test_wms_receiving_from_goods_receipts(seeded):
    ctx, _ = seeded
    grs = {g["goods_receipt_id"]: g for g in ctx.rows("genims_erp_db", "goods_receipts")}
    tasks = ctx.rows("genims_wms_db", "receiving_tasks")
    assert tasks
    for t in tasks:
        g = grs[t["goods_receipt_id"]]
        assert t["purchase_order_id"] == g["purchase_order_id"] and t["po_line_id"] == g["po_line_id"]
        assert t["started_at"].date() >= g["gr_date"] - dt.timedelta(days=0)
        assert t["started_at"] <= t["completed_at"] <= AS_OF


# ------------------------------------------------------------------------------------------------
# maintenance
# ------------------------------------------------------------------------------------------------


def test_maintenance_corrective_work_orders_and_pm(seeded):
    ctx, _ = seeded
    episodes = {e["fault_id"]: e for e in ctx.shared["fault_episodes"]}
    wos = ctx.rows("genims_maintenance_db", "work_orders")
    corrective = [w for w in wos if w.get("source_type") == "machine_fault"]
    assert corrective
    covered = set()
    for w in corrective:
        fid = int(w["machine_fault_id"])
        assert fid in episodes
        covered.add(fid)
        assert w["created_at"] >= episodes[fid]["start"]
    if "genims_manufacturing_db" in ctx.data:  # linked to manufacturing's downtime row of the episode
        dts = {d["downtime_id"]: d for d in ctx.rows("genims_manufacturing_db", "downtime_events")}
        for w in corrective:
            d = dts[w["downtime_event_id"]]
            assert d["machine_id"] == episodes[int(w["machine_fault_id"])]["machine_id"]
    uncovered = [e for f, e in episodes.items() if f not in covered]
    assert uncovered, "a few recent critical unresolved faults are left for the CMMS automation"
    assert all(e["fault_severity"] == "critical" and e["end"] is None for e in uncovered)
    assert len(uncovered) <= 3
    statuses = Counter(w["wo_status"] for w in wos)
    for s in ("created", "planned", "scheduled", "assigned", "in_progress", "completed", "closed"):
        assert statuses[s] > 0, statuses
    pms = ctx.rows("genims_maintenance_db", "pm_schedules")
    due = [p for p in pms if p["is_active"] and p["next_due_date"] and p["next_due_date"] <= AS_OF.date()]
    overdue = [p for p in pms if p["is_active"] and p["next_due_date"] and p["next_due_date"] < AS_OF.date() - dt.timedelta(days=3)]
    assert due and overdue
    emps = {e["employee_id"]: e for e in ctx.rows("genims_master_db", "employees")}
    for t in ctx.rows("genims_maintenance_db", "maintenance_technicians"):
        assert emps[t["employee_id"]]["role"] == "maintenance_technician"
    machines = {m["machine_id"] for m in ctx.rows("genims_master_db", "machines")}
    assets = ctx.rows("genims_maintenance_db", "maintenance_assets")
    assert {a["machine_id"] for a in assets if a.get("machine_id")} == machines
    # causal work orders
    for w in wos:
        if w.get("actual_start_date") and w.get("actual_end_date"):
            assert w["actual_start_date"] <= w["actual_end_date"] <= AS_OF
        if w.get("completed_at"):
            assert w["created_at"] <= w["completed_at"]


def test_maintenance_reliability_consistent(seeded):
    """MTBF / MTTR recomputed from the work orders the way the reliability service does."""
    ctx, _ = seeded
    wos = defaultdict(list)
    for w in ctx.rows("genims_maintenance_db", "work_orders"):
        if w["wo_status"] in ("completed", "closed") and w["actual_end_date"]:
            wos[w["asset_id"]].append(w)
    some_failures = False
    for m in ctx.rows("genims_maintenance_db", "asset_reliability_metrics"):
        lo = dt.datetime.combine(m["period_start_date"], dt.time())
        hi = dt.datetime.combine(m["period_end_date"], dt.time()) + dt.timedelta(days=1)
        inside = [w for w in wos[m["asset_id"]] if lo <= w["actual_start_date"] < hi]
        fails = [w for w in inside if w["wo_type"] in ("corrective", "breakdown", "emergency") or w["source_type"] == "machine_fault"]
        assert m["number_of_failures"] == len(fails)
        assert m["unplanned_downtime_hours"] == sum((w["actual_duration_hours"] for w in fails), Decimal(0)).quantize(Decimal("0.01"))
        assert m["total_hours"] == Decimal((hi - lo).days * 24)
        if fails:
            some_failures = True
            assert m["mtbf_hours"] == (m["operating_hours"] / len(fails)).quantize(Decimal("0.01"))
            assert m["mttr_hours"] == (m["unplanned_downtime_hours"] / len(fails)).quantize(Decimal("0.01"))
        else:
            assert m["mtbf_hours"] is None and m["mttr_hours"] is None
    assert some_failures
    # generated-but-open PM work orders moved their schedule on; the overdue ones wait for the generator
    pms = {p["pm_schedule_id"]: p for p in ctx.rows("genims_maintenance_db", "pm_schedules")}
    for w in ctx.rows("genims_maintenance_db", "work_orders"):
        if w["source_type"] == "pm_schedule" and w["wo_status"] not in ("completed", "closed"):
            assert pms[w["source_document_id"]]["next_due_date"] > w["scheduled_start_date"]
        if w["wo_status"] in ("created", "planned", "scheduled"):
            assert w["assigned_to"] is None
        hist = w["status_history"]
        assert [h["status"] for h in hist] == ["created", "planned", "scheduled", "assigned", "in_progress", "completed",
                                               "closed"][: len(hist)] and hist[-1]["status"] == w["wo_status"]


# ------------------------------------------------------------------------------------------------
# ERP-WMS sync
# ------------------------------------------------------------------------------------------------


def test_sync_snapshot_and_queue(seeded):
    ctx, _ = seeded
    var = {(v["material_id"], v["plant_id"]): v for v in ctx.shared["wms_variances"]}
    snaps = ctx.rows("genims_erp_wms_sync_db", "inventory_snapshot")
    erp = _erp_stock(ctx)
    assert snaps
    flagged = set()
    for s in snaps:
        k = (s["material_id"], s["location_id"])
        assert s["erp_on_hand"] == erp[k]
        assert s["variance_quantity"] == s["wms_on_hand"] - s["erp_on_hand"]
        if s["variance_quantity"] != 0:
            flagged.add(k)
            assert s["wms_on_hand"] == var[k]["wms_qty"]
    assert flagged == set(var)
    q = Counter(r["sync_status"] for r in ctx.rows("genims_erp_wms_sync_db", "inventory_sync_queue"))
    for s in ("completed", "failed", "pending", "dead_letter"):
        assert q[s] > 0, q
    for r in ctx.rows("genims_erp_wms_sync_db", "inventory_sync_queue"):
        assert r["retry_count"] <= r["max_retries"]
        if r["sync_status"] == "dead_letter":
            assert r["retry_count"] == r["max_retries"]
    # the WMS count adjustments behind the current variances were dead-lettered, never synced to ERP
    held = {c["cycle_count_id"] for c in ctx.rows("genims_wms_db", "cycle_count_tasks") if c["task_status"] == "variance_review"}
    moves = {m["movement_id"] for m in ctx.rows("genims_wms_db", "warehouse_movements") if m["reference_document_id"] in held}
    assert held and moves
    for r in ctx.rows("genims_erp_wms_sync_db", "inventory_sync_queue"):
        if r["transaction_id"] in moves:
            assert r["sync_status"] == "dead_letter"
    errs = {e["queue_id"] for e in ctx.rows("genims_erp_wms_sync_db", "inventory_sync_errors")}
    failed = {r["queue_id"] for r in ctx.rows("genims_erp_wms_sync_db", "inventory_sync_queue") if r["sync_status"] in ("failed", "dead_letter")}
    assert failed <= errs
    reserved = defaultdict(Decimal)
    wh_plant = {w["warehouse_id"]: w["plant_id"] for w in ctx.rows("genims_wms_db", "warehouses")}
    for r in ctx.rows("genims_wms_db", "warehouse_inventory"):
        assert r["reserved_quantity"] + r["available_quantity"] == r["quantity_on_hand"]
        reserved[(r["material_id"], wh_plant[r["warehouse_id"]])] += r["reserved_quantity"]
    for s in snaps:
        assert s["wms_allocated"] == reserved[(s["material_id"], s["location_id"])]
        assert s["erp_allocated"] <= s["erp_on_hand"] and s["wms_available"] >= 0
    lines = ctx.rows("genims_erp_wms_sync_db", "inventory_reconciliation_lines")
    st = Counter(line["variance_status"] for line in lines)
    assert st["matched"] and st["minor"] and st["major"], st
    for line in lines:
        pct = abs(line["variance_pct"])
        band = "major" if pct > 2 else "minor" if pct >= Decimal("0.1") else "matched"
        assert band == line["variance_status"], line


# ------------------------------------------------------------------------------------------------
# TMS
# ------------------------------------------------------------------------------------------------


def test_tms_shipments_for_delivered_orders(seeded):
    ctx, _ = seeded
    from genims_tui.seeds.wms import is_delivered

    sos = {s["sales_order_id"]: s for s in ctx.rows("genims_erp_db", "sales_orders")}
    ships = ctx.rows("genims_tms_db", "shipments")
    assert ships
    assert len({s["sales_order_id"] for s in ships}) == len(ships)
    assert len(ctx.rows("genims_tms_db", "carriers")) == 10
    assert len(ctx.rows("genims_tms_db", "carrier_services")) >= 30
    st = {t["shipping_task_id"]: t for t in ctx.rows("genims_wms_db", "shipping_tasks")}
    for s in ships:
        so = sos[s["sales_order_id"]]
        assert is_delivered(so)
        assert s["ship_date"] >= so["order_date"]
        task = st[s["shipping_task_id"]]
        assert task["shipment_id"] == s["shipment_id"] and task["carrier_id"] == s["carrier_id"]
        if s["actual_delivery_date"]:
            assert s["ship_date"] < s["actual_delivery_date"] <= AS_OF.date()
    pk = {p["shipment_id"]: p for p in ctx.rows("genims_wms_db", "packing_tasks")}
    assert set(pk) <= {s["shipment_id"] for s in ships}
    by_ship = {s["shipment_id"]: s for s in ships}
    for d in ctx.rows("genims_tms_db", "deliveries"):
        s = by_ship[d["shipment_id"]]
        if d["actual_delivery_date"]:
            assert s["ship_date"] < d["actual_delivery_date"] <= AS_OF.date()
    for p in ctx.rows("genims_tms_db", "proof_of_delivery"):
        assert p["delivery_timestamp"] <= AS_OF
    for e in ctx.rows("genims_tms_db", "tracking_events"):
        assert e["event_timestamp"].date() >= by_ship[e["shipment_id"]]["ship_date"] - dt.timedelta(days=1)
    # freight invoice lines expect the shipment's own charges; a few are billed above them
    field = {"freight": "freight_cost", "fuel_surcharge": "fuel_surcharge", "accessorial": "accessorial_charges",
             "insurance": "insurance_cost"}
    over = 0
    for ln in ctx.rows("genims_tms_db", "freight_invoice_lines"):
        s = by_ship[ln["shipment_id"]]
        assert ln["expected_amount"] == s[field[ln["charge_type"]]]
        assert ln["variance_amount"] == ln["charge_amount"] - ln["expected_amount"] >= 0
        over += ln["variance_amount"] > 0
        assert s["freight_invoice_id"] == ln["invoice_id"] and s["invoiced"]
    assert ctx.rows("genims_tms_db", "freight_invoice_lines")
    # freight invoices total their lines
    lines = defaultdict(Decimal)
    for ln in ctx.rows("genims_tms_db", "freight_invoice_lines"):
        lines[ln["invoice_id"]] += ln["charge_amount"]
    for inv in ctx.rows("genims_tms_db", "freight_invoices"):
        assert inv["total_amount"] == lines[inv["invoice_id"]]


# ------------------------------------------------------------------------------------------------
# determinism, volumes, loading
# ------------------------------------------------------------------------------------------------


def _digest(ctx):
    import hashlib

    h = hashlib.sha256()
    for db in MINE:
        for table in sorted(ctx.data[db]):
            for r in ctx.data[db][table]:
                h.update(repr(sorted(r.items())).encode())
    h.update(repr(ctx.shared.get("wms_variances")).encode())
    return h.hexdigest()


def test_deterministic(seeded):
    ctx, _ = seeded
    again, _ = _run()
    assert _digest(ctx) == _digest(again)
    other, _ = _run(seed=8)
    assert _digest(other) != _digest(ctx)


def test_deterministic_across_processes(tmp_path):
    """Same digest under different hash seeds (no set/dict-order dependence)."""
    import os
    import subprocess
    import sys

    script = tmp_path / "digest.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})\n"
        "import test_wms_maintenance_sync_tms as T\n"
        "ctx, _ = T._run(seed=11, scale=0.03)\n"
        "print(T._digest(ctx))\n"
    )
    out = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        res = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr[-2000:]
        out.add(res.stdout.strip().splitlines()[-1])
    assert len(out) == 1


LOAD = ("genims_master_db", "genims_erp_db", "genims_operations_db", "genims_manufacturing_db", *MINE)


def test_load_through_runner(any_dbs):
    """A real load (SQLite, PostgreSQL in both layouts): FKs, column types, references across databases."""
    if importlib.util.find_spec("genims_tui.seeds.runner") is None or any(_module(db) is None for db in LOAD):
        pytest.skip("upstream generators or the runner are not there yet")
    from sqlalchemy import text

    from genims_tui.backend.check import check_references
    from genims_tui.seeds.runner import run_seed

    report = run_seed(any_dbs, scale=0.05, seed=7, only=",".join(LOAD), as_of=AS_OF)
    got = {d.database: d for d in report.databases}
    for db in MINE:
        assert got[db].rows > 0
    refs = check_references(any_dbs, MINE)
    assert [d.as_dict() for d in refs.dangling] == []
    with any_dbs.connect("genims_erp_db") as conn:
        erp = {(m, p): Decimal(str(q)) for m, p, q in conn.execute(text(
            "SELECT material_id, plant_id, SUM(COALESCE(unrestricted_stock,0)+COALESCE(quality_inspection_stock,0)"
            "+COALESCE(blocked_stock,0)) FROM inventory_balances GROUP BY material_id, plant_id"))}
    with any_dbs.connect("genims_wms_db") as conn:
        wms = {(m, p): Decimal(str(q)) for m, p, q in conn.execute(text(
            "SELECT i.material_id, w.plant_id, SUM(i.quantity_on_hand) FROM warehouse_inventory i "
            "JOIN warehouses w ON w.warehouse_id = i.warehouse_id GROUP BY i.material_id, w.plant_id"))}
    differ = {k for k in set(erp) | set(wms) if abs(erp.get(k, 0) - wms.get(k, 0)) > Decimal("0.00001")}
    with any_dbs.connect("genims_erp_wms_sync_db") as conn:
        flagged = {(m, p) for m, p in conn.execute(text(
            "SELECT material_id, location_id FROM inventory_snapshot WHERE variance_quantity <> 0"))}
    assert differ and differ == flagged
    # the CMMS automation finds its work in the seeded data, and agrees with the seeded reliability
    from genims_tui.backend.services.base import ServiceContext
    from genims_tui.backend.services.maintenance_planning import (
        compute_reliability,
        create_corrective_work_orders,
        generate_pm_work_orders,
    )

    svc = ServiceContext(any_dbs, clock=lambda: AS_OF)
    with any_dbs.connect("genims_maintenance_db") as conn:
        seeded_metrics = {r[0]: r[1:] for r in conn.execute(text(
            "SELECT asset_id, number_of_failures, mtbf_hours, mttr_hours, operating_hours FROM asset_reliability_metrics "
            "WHERE period_start_date = :s"), {"s": (AS_OF.date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)})}
    results = compute_reliability(svc)
    assert results and not any(r["created"] for r in results)
    for r in results:
        n, mtbf, mttr, op = seeded_metrics[r["asset_id"]]
        assert (r["number_of_failures"], r["operating_hours"]) == (n, Decimal(str(op)))
        assert (r["mtbf_hours"], r["mttr_hours"]) == ((None if mtbf is None else Decimal(str(mtbf))), (None if mttr is None else Decimal(str(mttr))))
    pm = generate_pm_work_orders(svc)
    assert pm["created"]
    cm = create_corrective_work_orders(svc)
    assert cm["created"] and all(c["work_order_id"] for c in cm["created"])
