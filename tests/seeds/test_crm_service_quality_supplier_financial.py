"""crm, service, quality, supplier and financial seed generators.

Upstream databases come from the real generators when their modules exist, else from a small
stand-in built here with the catalog's columns and the README's contracts.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import warnings
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from genims_tui.seeds.framework import SeedContext, TableStream

AS_OF = dt.datetime(2026, 11, 20)
MINE = ["genims_crm_db", "genims_service_db", "genims_quality_db", "genims_supplier_db", "genims_financial_db"]
UPSTREAM = [
    "genims_master_db", "genims_hr_db", "genims_erp_db", "genims_operations_db", "genims_manufacturing_db",
    "genims_wms_db", "genims_maintenance_db", "genims_erp_wms_sync_db", "genims_tms_db",
]
CATALOG = json.loads((Path(__file__).resolve().parents[2] / "genims_tui/backend/genims_catalog.json").read_text())

HOME = {
    **dict.fromkeys(["factories", "production_lines", "machines", "sensors", "shifts", "products", "customers", "employees"], "genims_master_db"),
    **dict.fromkeys(["materials", "suppliers", "purchase_orders", "purchase_order_lines", "goods_receipts", "sales_orders",
                     "sales_order_lines", "production_orders", "general_ledger", "cost_centers"], "genims_erp_db"),
    "work_orders": "genims_manufacturing_db", "downtime_events": "genims_manufacturing_db",
    "machine_faults": "genims_operations_db", "departments": "genims_hr_db",
    **dict.fromkeys(["warehouses", "storage_bins", "receiving_tasks", "shipping_tasks"], "genims_wms_db"),
    "carriers": "genims_tms_db", "shipments": "genims_tms_db", "maintenance_assets": "genims_maintenance_db",
    "accounts": "genims_crm_db", "contacts": "genims_crm_db", "service_tickets": "genims_service_db",
    "chart_of_accounts": "genims_financial_db", "journal_entry_headers": "genims_financial_db",
    "rfq_headers": "genims_supplier_db",
}
# planned / forward-looking columns may lie after as_of (due dates, validity, deadlines ...)
FUTURE_OK = ("due", "valid_until", "expir", "end_date", "deadline", "next_", "effective_to", "required", "expected",
             "target", "planned", "scheduled", "follow_up", "review", "renewal", "reminder", "approval_valid",
             "delivery_date", "close_date", "followup", "inactive_date", "obsolete")
NOWHERE = {"support_reps", "reservation", "receiving_task_lines", "payments"}


# ----------------------------------------------------------------------------------------------
# stand-in upstream
# ----------------------------------------------------------------------------------------------


def _standin(ctx: SeedContext, database: str) -> dict[str, list[dict]]:
    rng = random.Random(f"standin:{database}")
    now = ctx.as_of
    d = ctx.data
    k = ctx.key
    if database == "genims_master_db":
        factories = [{"factory_id": k("FAC", i), "factory_name": f"Plant {i}", "country": "USA", "city": "Detroit",
                      "status": "active", "created_at": now - dt.timedelta(days=3000)} for i in (1, 2)]
        lines = [{"line_id": k("LINE", i), "factory_id": factories[i % 2]["factory_id"], "line_name": f"Line {i}",
                  "status": "active"} for i in range(1, 5)]
        machines = [{"machine_id": k("MCH", i), "line_id": lines[i % 4]["line_id"], "factory_id": lines[i % 4]["factory_id"],
                     "machine_name": f"Machine {i}", "status": "active"} for i in range(1, 9)]
        roles = (["sales_rep"] * 15 + ["service_agent"] * 12 + ["technician"] * 10 + ["quality_engineer"] * 6 +
                 ["quality_inspector"] * 6 + ["buyer"] * 4 + ["accountant"] * 4 + ["manager"] * 6 + ["operator"] * 20)
        employees = [{"employee_id": k("EMP", i + 1), "factory_id": factories[i % 2]["factory_id"], "first_name": f"First{i}",
                      "last_name": f"Last{i}", "email": f"e{i}@genims.com", "phone": "555-0100", "role": r,
                      "department": "Ops", "hire_date": dt.date(2018, 1, 1) + dt.timedelta(days=i * 20), "status": "active",
                      "created_at": now - dt.timedelta(days=2000)} for i, r in enumerate(roles)]
        products = [{"product_id": k("PRD", i), "product_code": f"P{i}", "product_name": f"Product {i}",
                     "product_category": rng.choice(["Brakes", "Steering", "Electronics"]), "status": "active"} for i in range(1, 11)]
        customers = [{"customer_id": k("CUST", i), "customer_code": f"C{i}", "customer_name": f"Customer {i} Inc",
                      "customer_type": "OEM", "country": rng.choice(["USA", "Germany", "India"]), "industry_segment": "Automotive",
                      "annual_volume_estimate": rng.randint(10000, 500000), "payment_terms_days": 30, "status": "active",
                      "created_at": now - dt.timedelta(days=1500)} for i in range(1, 13)]
        return {"factories": factories, "production_lines": lines, "machines": machines, "employees": employees,
                "products": products, "customers": customers}
    if database == "genims_hr_db":
        m = d["genims_master_db"]
        deps = [{"department_id": k("DEPT", i), "department_code": c, "department_name": c.title(),
                 "factory_id": m["factories"][0]["factory_id"], "is_active": True}
                for i, c in enumerate(["production", "quality", "maintenance", "procurement", "finance", "sales"], 1)]
        emps = [{"employee_id": e["employee_id"], "first_name": e["first_name"], "last_name": e["last_name"],
                 "primary_department_id": deps[i % len(deps)]["department_id"], "is_active": True}
                for i, e in enumerate(m["employees"])]
        return {"departments": deps, "employees": emps}
    if database == "genims_erp_db":
        m = d["genims_master_db"]
        fac = [f["factory_id"] for f in m["factories"]]
        suppliers = [{"supplier_id": k("SUP", i), "supplier_code": f"S{i}", "supplier_name": f"Supplier {i}",
                      "currency": "USD", "payment_terms": "NET30", "supplier_status": "active",
                      "created_at": now - dt.timedelta(days=1000)} for i in range(1, 9)]
        materials = []
        for i in range(1, 31):
            fg = i <= 10
            materials.append({"material_id": k("MAT", i), "material_code": f"M{i}", "material_name": f"Material {i}",
                              "material_type": "FERT" if fg else "ROH", "base_unit_of_measure": "EA",
                              "default_supplier_id": None if fg else suppliers[i % 8]["supplier_id"],
                              "standard_cost": Decimal(rng.randint(5, 300)), "product_id": m["products"][i - 1]["product_id"] if fg else None})
        pos, pols, grs = [], [], []
        for i in range(1, 41):
            sup = suppliers[i % 8]
            po_date = (now - dt.timedelta(days=rng.randint(5, 85))).date()
            po = {"purchase_order_id": k("PO", i), "po_number": f"PO{i}", "supplier_id": sup["supplier_id"], "po_date": po_date,
                  "currency": "USD", "po_status": "released", "payment_terms": "NET30", "total_value": Decimal(0),
                  "created_at": dt.datetime.combine(po_date, dt.time(9))}
            pos.append(po)
            for ln in range(1, rng.randint(2, 4)):
                mat = materials[10 + rng.randrange(20)]
                qty = Decimal(rng.randint(10, 500))
                price = Decimal(rng.randint(5, 200)).quantize(Decimal("0.0001"))
                pol = {"po_line_id": f"{po['purchase_order_id']}-{ln:03d}", "purchase_order_id": po["purchase_order_id"],
                       "line_number": ln, "material_id": mat["material_id"], "order_quantity": qty, "unit_of_measure": "EA",
                       "received_quantity": Decimal(0), "unit_price": price, "net_price": (qty * price).quantize(Decimal("0.01")),
                       "plant_id": fac[0], "delivery_date": po_date + dt.timedelta(days=14), "line_status": "open"}
                pols.append(pol)
                gr_date = po_date + dt.timedelta(days=rng.randint(3, 20))
                if gr_date < now.date() and rng.random() < 0.8:
                    rq = qty if rng.random() < 0.8 else (qty * Decimal("0.6")).quantize(Decimal("1"))
                    pol["received_quantity"] = rq
                    grs.append({"goods_receipt_id": k("GR", len(grs) + 1), "gr_number": f"GR{len(grs) + 1}", "gr_date": gr_date,
                                "posting_date": gr_date, "purchase_order_id": po["purchase_order_id"], "po_line_id": pol["po_line_id"],
                                "supplier_id": sup["supplier_id"], "material_id": mat["material_id"], "quantity_received": rq,
                                "unit_of_measure": "EA", "plant_id": fac[0], "unit_price": price,
                                "total_value": (rq * price).quantize(Decimal("0.01")), "gr_status": "posted", "cancelled": False,
                                "batch_number": f"B{i}{ln}", "created_at": dt.datetime.combine(gr_date, dt.time(11))})
        sos, sols = [], []
        for i in range(1, 31):
            cust = m["customers"][i % len(m["customers"])]
            od = (now - dt.timedelta(days=rng.randint(2, 88))).date()
            billed = od < now.date() - dt.timedelta(days=20)
            so = {"sales_order_id": k("SO", i), "sales_order_number": f"SO{i}", "customer_id": cust["customer_id"],
                  "order_date": od, "currency": "USD", "order_status": "invoiced" if billed else "open",
                  "overall_billing_status": "invoiced" if billed else "not_invoiced",
                  "overall_delivery_status": "delivered" if billed else "open", "created_at": dt.datetime.combine(od, dt.time(10))}
            net = Decimal(0)
            for ln in range(1, rng.randint(2, 4)):
                mat = materials[rng.randrange(10)]
                qty = Decimal(rng.randint(10, 200))
                price = Decimal(rng.randint(100, 900))
                lnet = (qty * price).quantize(Decimal("0.01"))
                net += lnet
                sols.append({"sales_order_line_id": f"{so['sales_order_id']}-{ln:03d}", "sales_order_id": so["sales_order_id"],
                             "line_number": ln, "material_id": mat["material_id"], "product_id": mat["product_id"],
                             "order_quantity": qty, "unit_price": price, "net_price": lnet,
                             "tax_amount": (lnet * Decimal("0.08")).quantize(Decimal("0.01")),
                             "invoiced_quantity": qty if billed else Decimal(0), "delivered_quantity": qty if billed else Decimal(0)})
            so["total_net_value"] = net
            so["tax_amount"] = sum((x["tax_amount"] for x in sols if x["sales_order_id"] == so["sales_order_id"]), Decimal(0))
            so["freight_charges"] = Decimal("0.00")
            so["total_value"] = net + so["tax_amount"]
            sos.append(so)
        prods = []
        for i in range(1, 26):
            mat = materials[rng.randrange(10)]
            st = (now - dt.timedelta(days=rng.randint(3, 80))).date()
            done = st < now.date() - dt.timedelta(days=5)
            prods.append({"production_order_id": k("PRO", i), "production_order_number": f"PR{i}", "material_id": mat["material_id"],
                          "plant_id": fac[0], "order_quantity": Decimal(100), "delivered_quantity": Decimal(98) if done else Decimal(0),
                          "actual_start_date": st, "actual_finish_date": st + dt.timedelta(days=3) if done else None,
                          "system_status": "TECO" if done else "REL", "planned_costs": Decimal("5000.00"),
                          "actual_costs": Decimal("5150.00") if done else None, "variance_amount": Decimal("150.00") if done else None,
                          "created_at": dt.datetime.combine(st, dt.time(7))})
        ccs = [{"cost_center_id": k("CC", i), "cost_center_code": f"CC{i}", "cost_center_name": f"Cost center {i}", "plant_id": fac[0]}
               for i in range(1, 5)]
        return {"suppliers": suppliers, "materials": materials, "purchase_orders": pos, "purchase_order_lines": pols,
                "goods_receipts": grs, "sales_orders": sos, "sales_order_lines": sols, "production_orders": prods,
                "cost_centers": ccs}
    if database == "genims_manufacturing_db":
        m = d["genims_master_db"]
        fails = []
        n = 0
        for i in range(1, 16):
            recent = i > 12
            if not recent:
                n += 1
            fails.append({"inspection_id": k("QI", i), "work_order_id": k("WO", i), "product_id": m["products"][i % 10]["product_id"],
                          "inspection_date": now - dt.timedelta(days=30 - i * 2 + (0.5 if recent else 0)),
                          "ncr_number": None if recent else k("NCR", n), "defects_found": rng.randint(1, 9),
                          "lot_number": f"LOT{i}", "batch_number": f"BAT{i}", "inspector_id": m["employees"][60]["employee_id"]})
        ctx.shared["failed_inspections"] = fails
        ctx.shared["ncr_next"] = n + 1
        return {"work_orders": [{"work_order_id": k("WO", i)} for i in range(1, 16)]}
    if database == "genims_maintenance_db":
        m = d["genims_master_db"]
        return {"maintenance_assets": [{"asset_id": k("AST", i), "asset_name": f"Asset {i}", "machine_id": mc["machine_id"],
                                        "factory_id": mc["factory_id"]} for i, mc in enumerate(m["machines"], 1)]}
    if database == "genims_wms_db":
        m = d["genims_master_db"]
        return {"warehouses": [{"warehouse_id": k("WH", 1), "plant_id": m["factories"][0]["factory_id"]}]}
    return {}


def _upstream_module(database: str):
    name = database.removeprefix("genims_").removesuffix("_db")
    try:
        return importlib.import_module(f"genims_tui.seeds.{name}")
    except ImportError:
        return None


def run_all(seed: int = 7, scale: float = 0.05) -> tuple[SeedContext, dict[str, dict], dict[str, bool]]:
    ctx = SeedContext(seed=seed, scale=scale, as_of=AS_OF)
    real: dict[str, bool] = {}
    for database in UPSTREAM:
        mod = _upstream_module(database)
        # a real upstream generator only when everything it reads is real too
        use_real = mod is not None and all(real.get(dep, False) for dep in getattr(mod, "DEPENDS", ()))
        tables = None
        if use_real:
            try:
                tables = mod.generate(ctx)
            except Exception as exc:  # a neighbour's module still in progress: fall back, say so
                warnings.warn(f"{database}: real generator failed ({exc!r}); using the stand-in", stacklevel=1)
        real[database] = tables is not None
        if tables is None:
            tables = _standin(ctx, database)
        ctx.data[database] = {t: r for t, r in tables.items() if not isinstance(r, TableStream)}
    out = {}
    for database in MINE:
        mod = _upstream_module(database)
        if mod is None:  # TEMP while writing
            continue
        tables = mod.generate(ctx)
        ctx.data[database] = tables
        out[database] = tables
    return ctx, out, real


@pytest.fixture(scope="module")
def seeded():
    return run_all()


# ----------------------------------------------------------------------------------------------
# generic checks
# ----------------------------------------------------------------------------------------------


def _type_ok(sqltype: str, value) -> bool:
    t = sqltype.upper()
    if t.startswith(("DECIMAL", "NUMERIC")):
        return isinstance(value, Decimal)
    if t == "TIMESTAMP":
        return isinstance(value, dt.datetime) and value.tzinfo is None
    if t == "DATE":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if t == "TIME":
        return isinstance(value, dt.time)
    if t == "TEXT[]":
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    if t in ("INTEGER", "BIGINT", "SERIAL", "BIGSERIAL", "SMALLINT"):
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "BOOLEAN":
        return isinstance(value, bool)
    if t.startswith("VARCHAR"):
        size = int(t[8:-1]) if "(" in t else 10**9
        return isinstance(value, str) and len(value) <= size
    if t == "TEXT":
        return isinstance(value, str)
    if t == "POINT":
        return isinstance(value, tuple) and len(value) == 2
    if t in ("JSONB", "JSON"):
        return isinstance(value, (dict, list))
    return True


def _problems(ctx: SeedContext, database: str) -> list[str]:
    problems: list[str] = []
    cat = CATALOG[database]
    data = ctx.data[database]
    pk_sets: dict[str, set] = {}
    for table, rows in data.items():
        assert table in cat, f"{database}.{table} not in catalog"
        cols = {c[0]: c for c in cat[table]}
        pk = [c[0] for c in cat[table] if c[2]]
        seen = set()
        for row in rows:
            extra = set(row) - set(cols)
            if extra:
                problems.append(f"{table}: unknown columns {sorted(extra)}")
                break
            key = tuple(row.get(p) for p in pk)
            if key in seen or None in key:
                problems.append(f"{table}: duplicate/NULL pk {key}")
            seen.add(key)
            for name, value in row.items():
                if value is None:
                    continue
                if not _type_ok(cols[name][1], value):
                    problems.append(f"{table}.{name}: {value!r} is not {cols[name][1]}")
                if isinstance(value, dt.date) and not any(f in name for f in FUTURE_OK) and (
                        value > ctx.as_of if isinstance(value, dt.datetime) else value > ctx.as_of.date()):
                    problems.append(f"{table}.{name}: {value} after as_of")
        pk_sets[table] = {r[pk[0]] for r in rows} if len(pk) == 1 else set()
    # references
    for table, rows in data.items():
        for name, sqltype, _pk, ref in cat[table]:
            if not ref:
                continue
            if ref in cat:
                targets = pk_sets.get(ref, set())
            elif ref in NOWHERE:
                bad = [r[name] for r in rows if r.get(name) is not None]
                if bad:
                    problems.append(f"{table}.{name} -> {ref} (nowhere) must be NULL: {bad[:3]}")
                continue
            else:
                home = HOME[ref]
                if home == "genims_master_db" and ref == "employees" and database == "genims_hr_db":
                    home = "genims_hr_db"
                if home not in ctx.data or ref not in ctx.data[home]:
                    vals = [r[name] for r in rows if r.get(name) is not None]
                    if vals:
                        problems.append(f"{table}.{name} -> {home}.{ref}: home not generated")
                    continue
                hpk = [c[0] for c in CATALOG[home][ref] if c[2]][0]
                targets = {r[hpk] for r in ctx.data[home][ref]}
            for r in rows:
                v = r.get(name)
                if v is not None and v not in targets:
                    problems.append(f"{table}.{name}={v!r} -> {ref} unresolved")
                    break
    return problems[:40]


@pytest.mark.parametrize("database", MINE)
def test_columns_types_references(seeded, database):
    ctx, _out, _real = seeded
    assert _problems(ctx, database) == []
