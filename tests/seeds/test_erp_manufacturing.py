"""ERP (genims_erp_db) and MES (genims_manufacturing_db) seed generators: coherence checks."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from genims_tui.seeds import erp, manufacturing, master, operations
from genims_tui.seeds.framework import SeedContext, TableStream

AS_OF = dt.datetime(2026, 11, 20)
ERP = "genims_erp_db"
MES = "genims_manufacturing_db"
CATALOG = json.loads((Path(__file__).parents[2] / "genims_tui/backend/genims_catalog.json").read_text())

# planning / due dates that may legitimately lie after as_of (everything else may not)
FUTURE_OK = {
    (ERP, "sales_orders"): {"requested_delivery_date", "confirmed_delivery_date"},
    (ERP, "sales_order_lines"): {"requested_delivery_date", "confirmed_delivery_date", "atp_date"},
    (ERP, "production_orders"): {"basic_start_date", "basic_end_date", "scheduled_start_date", "scheduled_end_date"},
    (ERP, "purchase_order_lines"): {"delivery_date"},
    (ERP, "purchase_requisitions"): {"required_date"},
    (ERP, "purchase_requisition_lines"): {"delivery_date"},
    (ERP, "mrp_elements"): {"element_date"},
    (ERP, "inspection_plans"): {"next_inspection_date"},
    (MES, "work_orders"): {"planned_start_date", "planned_end_date", "scheduled_start_time", "scheduled_end_time"},
    (MES, "work_order_operations"): {"planned_start_time", "planned_end_time"},
    (MES, "production_schedule"): {"planned_start_time", "planned_end_time", "schedule_date", "customer_due_date"},
    (MES, "defects"): {"action_due_date"},
    (MES, "electronic_batch_records"): {"expiration_date", "retest_date"},
}


def build(seed: int = 7, scale: float = 0.05) -> SeedContext:
    ctx = SeedContext(seed=seed, scale=scale, as_of=AS_OF)
    for name, mod in (("genims_master_db", master), (ERP, erp), ("genims_operations_db", operations), (MES, manufacturing)):
        out = mod.generate(ctx)
        ctx.data[name] = {t: rows for t, rows in out.items() if not isinstance(rows, TableStream)}
    return ctx


@pytest.fixture(scope="module")
def ctx() -> SeedContext:
    return build()


def _pk(db: str, table: str) -> str:
    return next(c[0] for c in CATALOG[db][table] if c[2])


def _home(ctx: SeedContext, table: str, db: str) -> str | None:
    """The logical database a reference to `table` from `db` points at (README table)."""
    if table in CATALOG[db]:
        return db
    homes = [d for d in ctx.data if table in CATALOG[d]]
    return homes[0] if len(homes) == 1 else None


# ---------------------------------------------------------------------------------------------


def test_columns_and_types_follow_catalog(ctx):
    for db in (ERP, MES):
        assert set(ctx.data[db]) == set(CATALOG[db]), db
        for table, rows in ctx.data[db].items():
            cols = {c[0]: c[1] for c in CATALOG[db][table]}
            for r in rows[:200]:
                assert set(r) <= set(cols), (table, set(r) - set(cols))
                for k, v in r.items():
                    if v is None:
                        continue
                    t = cols[k]
                    if t.startswith(("DECIMAL", "NUMERIC")):
                        assert isinstance(v, Decimal), (table, k, v)
                    elif t in ("TIMESTAMP", "TIMESTAMPTZ"):
                        assert isinstance(v, dt.datetime) and v.tzinfo is None, (table, k, v)
                    elif t == "DATE":
                        assert isinstance(v, dt.date) and not isinstance(v, dt.datetime), (table, k, v)
                    elif t.startswith("VARCHAR("):
                        assert isinstance(v, str) and len(v) <= int(t[8:-1]), (table, k, v)


def test_references_resolve(ctx):
    pks: dict[tuple[str, str], set] = {}
    for db in ctx.data:
        for table in ctx.data[db]:
            pks[(db, table)] = {r[_pk(db, table)] for r in ctx.data[db][table]}
    for db in (ERP, MES):
        for table, rows in ctx.data[db].items():
            pk = _pk(db, table)
            assert len({r[pk] for r in rows}) == len(rows), f"{table}: duplicate keys"
            for col, _t, _is_pk, ref in CATALOG[db][table]:
                if not ref:
                    continue
                home = _home(ctx, ref, db)
                assert home is not None, (table, col, ref)
                keys = pks[(home, ref)]
                bad = [r[col] for r in rows if r.get(col) is not None and r[col] not in keys]
                assert not bad, f"{db}.{table}.{col} -> {home}.{ref}: {bad[:5]}"


def test_nothing_after_as_of(ctx):
    for db in (ERP, MES):
        for table, rows in ctx.data[db].items():
            allowed = FUTURE_OK.get((db, table), set())
            for r in rows:
                for k, v in r.items():
                    if k in allowed or v is None:
                        continue
                    if isinstance(v, dt.datetime):
                        assert v <= AS_OF, (table, k, v)
                    elif isinstance(v, dt.date):
                        assert v <= AS_OF.date(), (table, k, v)


def test_bom_acyclic_with_deep_structures(ctx):
    boms = {b["bom_id"]: b["parent_material_id"] for b in ctx.data[ERP]["bill_of_materials"]}
    kids = defaultdict(list)
    for c in ctx.data[ERP]["bom_components"]:
        kids[boms[c["bom_id"]]].append(c["material_id"])
    depth: dict[str, int] = {}

    def d(m: str, path: frozenset) -> int:
        assert m not in path, f"BOM cycle through {m}"
        if m not in depth:
            depth[m] = max((1 + d(k, path | {m}) for k in kids.get(m, ())), default=0)
        return depth[m]

    mats = {m["material_id"]: m for m in ctx.data[ERP]["materials"]}
    fgs = [m for m, r in mats.items() if r["material_type"] == "finished_good"]
    products = {p["product_id"] for p in ctx.data["genims_master_db"]["products"]}
    assert {mats[m]["product_id"] for m in fgs} == products
    depths = [d(m, frozenset()) for m in fgs]
    assert all(m in kids for m in fgs), "every finished good has a BOM"
    assert max(depths) <= 5
    assert sum(1 for x in depths if x >= 4) >= 5
    assert {r["lot_sizing_procedure"] for r in mats.values()} == {"lot-for-lot", "fixed", "EOQ", "min-max"}
    assert all(r["default_supplier_id"] for r in mats.values() if r["procurement_type"] == "buy")
    assert len(mats) >= 150
    assert len(ctx.data[ERP]["work_centers"]) == 10
    assert {s["supplier_id"] for s in ctx.data[ERP]["suppliers"]} == {f"SUP-{i:06d}" for i in range(1, 31)}


def test_stock_conservation_and_no_negative_stock(ctx):
    tx = ctx.data[ERP]["inventory_transactions"]
    total: dict[tuple, Decimal] = defaultdict(Decimal)
    running: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in sorted(tx, key=lambda r: (r["created_at"], r["transaction_id"])):
        key = (r["material_id"], r["plant_id"], r["storage_location"], r["batch_number"])
        total[key] += r["quantity"]
        running[key] += r["quantity"]
        assert running[key] >= 0, f"negative stock at {key} on {r['created_at']}"
    bals = {(b["material_id"], b["plant_id"], b["storage_location"], b["batch_number"]): b
            for b in ctx.data[ERP]["inventory_balances"]}
    assert set(bals) == set(total)
    for key, b in bals.items():
        s = b["unrestricted_stock"] + b["quality_inspection_stock"] + b["blocked_stock"]
        assert s == total[key], key
        assert min(b["unrestricted_stock"], b["quality_inspection_stock"], b["blocked_stock"]) >= 0
        assert abs(b["stock_value"] - s * b["moving_average_price"]) <= Decimal("0.01")
    kinds = {r["transaction_type"] for r in tx}
    assert {"goods_receipt", "goods_issue", "production_receipt", "delivery", "initial_stock"} <= kinds
    assert any(b["quality_inspection_stock"] > 0 for b in bals.values()) or not any(
        g["quality_status"] == "in_inspection" for g in ctx.data[ERP]["goods_receipts"])


def test_gl_documents_balance(ctx):
    docs: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for r in ctx.data[ERP]["general_ledger"]:
        docs[r["document_number"]][0] += r["debit_amount"]
        docs[r["document_number"]][1] += r["credit_amount"]
    assert docs
    assert all(d == c for d, c in docs.values())
    types = {r["document_type"] for r in ctx.data[ERP]["general_ledger"]}
    assert {"WE", "WA", "WF", "RV"} <= types
    grs = {g["goods_receipt_id"] for g in ctx.data[ERP]["goods_receipts"]}
    posted = {r["source_document_id"] for r in ctx.data[ERP]["general_ledger"] if r["document_type"] == "WE"}
    assert grs == posted


def test_purchasing_causality(ctx):
    pos = {p["purchase_order_id"]: p for p in ctx.data[ERP]["purchase_orders"]}
    lines = {l["po_line_id"]: l for l in ctx.data[ERP]["purchase_order_lines"]}
    received: dict[str, Decimal] = defaultdict(Decimal)
    for g in ctx.data[ERP]["goods_receipts"]:
        assert g["gr_date"] > pos[g["purchase_order_id"]]["po_date"]
        line = lines[g["po_line_id"]]
        assert line["purchase_order_id"] == g["purchase_order_id"] and line["material_id"] == g["material_id"]
        assert g["unit_price"] == line["unit_price"]
        received[g["po_line_id"]] += g["quantity_received"]
    for lid, l in lines.items():
        assert l["received_quantity"] == received[lid] <= l["order_quantity"]
    assert len(pos) == ctx.scaled(326, minimum=5)
    assert 0.75 * ctx.scaled(1346) <= len(lines) <= 1.25 * ctx.scaled(1346)
    statuses = {p["po_status"] for p in pos.values()}
    assert statuses <= {"open", "partially_received", "received", "closed"}
    overdue = [l for l in lines.values() if l["received_quantity"] < l["order_quantity"] and l["delivery_date"] < AS_OF.date()]
    assert overdue, "some PO lines are overdue"


def test_sales_cycle(ctx):
    sos = ctx.data[ERP]["sales_orders"]
    assert len(sos) == ctx.scaled(518, minimum=5)
    allowed = {"open", "confirmed", "in_production", "delivered", "invoiced", "closed"}
    assert {s["order_status"] for s in sos} <= allowed
    assert {"invoiced", "closed"} & {s["order_status"] for s in sos}
    so_date = {s["sales_order_id"]: s["order_date"] for s in sos}
    for t in ctx.data[ERP]["inventory_transactions"]:
        if t["transaction_type"] == "delivery":
            assert t["posting_date"] >= so_date[t["sales_order_id"]]
    prods = {p["production_order_id"]: p for p in ctx.data[ERP]["production_orders"]}
    for l in ctx.data[ERP]["sales_order_lines"]:
        if l["production_order_id"]:
            assert prods[l["production_order_id"]]["sales_order_id"] == l["sales_order_id"]
    assert len(prods) >= ctx.scaled(1540) - 5


def test_work_orders_inside_production_order_window(ctx):
    prods = {p["production_order_id"]: p for p in ctx.data[ERP]["production_orders"]}
    wos = {w["work_order_id"]: w for w in ctx.data[MES]["work_orders"]}
    linked = {p["work_order_id"]: p for p in prods.values() if p["work_order_id"]}
    assert set(linked) == set(wos) and wos
    for wid, w in wos.items():
        p = linked[wid]
        assert w["erp_order_id"] == p["production_order_id"]
        lo = dt.datetime.combine(p["basic_start_date"], dt.time())
        hi = dt.datetime.combine(p["basic_end_date"], dt.time(23, 59, 59))
        for col in ("planned_start_date", "planned_end_date", "actual_start_time", "actual_end_time"):
            if w[col] is not None:
                assert lo <= w[col] <= hi, (wid, col, w[col], lo, hi)
        assert w["produced_quantity"] == w["good_quantity"] + w["rejected_quantity"] + w["scrapped_quantity"]
        assert w["planned_start_date"] >= p["released_at"]
        if p["system_status"] in ("completed", "closed"):
            assert w["good_quantity"] == int(p["delivered_quantity"])
            assert w["rejected_quantity"] + w["scrapped_quantity"] == int(p["scrap_quantity"])
            assert w["produced_quantity"] == w["planned_quantity"]
        if p["system_status"] in ("released", "in_progress", "completed", "closed"):
            assert p["released_at"] >= AS_OF - dt.timedelta(days=31)
    # MES material issues mirror the ERP goods issues of the same work order
    erp_issue: dict[str, Decimal] = defaultdict(Decimal)
    for t in ctx.data[ERP]["inventory_transactions"]:
        if t["transaction_type"] == "goods_issue" and t["work_order_id"]:
            erp_issue[t["work_order_id"]] += -t["quantity"]
    mes_issue: dict[str, Decimal] = defaultdict(Decimal)
    mes_cons: dict[str, Decimal] = defaultdict(Decimal)
    for m in ctx.data[MES]["material_transactions"]:
        if m["transaction_type"] == "issue":
            mes_issue[m["work_order_id"]] += m["quantity"]
        elif m["transaction_type"] == "consumption":
            mes_cons[m["work_order_id"]] += m["quantity"]
    assert erp_issue == mes_issue
    assert {k: v for k, v in mes_cons.items()} == {k: v for k, v in mes_issue.items() if k in mes_cons}
    sync = ctx.data[ERP]["erp_mes_sync_log"]
    assert {s["document_id"] for s in sync if s["sync_direction"] == "ERP_TO_MES"} == {p["production_order_id"] for p in linked.values()}


def test_failed_inspections_published(ctx):
    failed = ctx.shared["failed_inspections"]
    insp = {i["inspection_id"]: i for i in ctx.data[MES]["quality_inspections"]}
    wos = {w["work_order_id"] for w in ctx.data[MES]["work_orders"]}
    keys = {"inspection_id", "work_order_id", "product_id", "inspection_date", "ncr_number", "defects_found",
            "lot_number", "batch_number", "inspector_id"}
    assert failed and all(set(f) == keys for f in failed)
    assert {f["inspection_id"] for f in failed} == {i for i, r in insp.items() if r["inspection_result"] == "fail"}
    numbered = [f for f in failed if f["ncr_number"]]
    pending = [f for f in failed if f["ncr_number"] is None]
    assert numbered and 1 <= len(pending) <= 4
    assert [f["ncr_number"] for f in numbered] == [f"NCR-{i:06d}" for i in range(1, len(numbered) + 1)]
    assert ctx.shared["ncr_next"] == len(numbered) + 1
    assert max(f["inspection_date"] for f in numbered) <= min(f["inspection_date"] for f in pending)
    defects = defaultdict(int)
    for d in ctx.data[MES]["defects"]:
        defects[d["inspection_id"]] += 1
    for f in failed:
        r = insp[f["inspection_id"]]
        assert f["work_order_id"] in wos and r["ncr_number"] == f["ncr_number"]
        assert f["defects_found"] == r["defects_found"] == defects[f["inspection_id"]] > 0
        assert f["inspection_date"] <= AS_OF


def test_downtime_per_fault_episode(ctx):
    episodes = [e for e in ctx.shared["fault_episodes"] if AS_OF - dt.timedelta(days=30) <= e["start"] <= AS_OF]
    by_fault = ctx.shared["downtime_by_fault"]
    assert set(by_fault) == {e["fault_id"] for e in episodes}
    dts = {d["downtime_id"]: d for d in ctx.data[MES]["downtime_events"]}
    for e in episodes:
        d = dts[by_fault[e["fault_id"]]]
        assert (d["machine_id"], d["downtime_start"], d["downtime_reason_code"]) == (e["machine_id"], e["start"], e["fault_code"])
    cats = {d["downtime_category"] for d in dts.values()}
    assert {"planned", "unplanned"} <= cats
    assert ("changeover" in cats) == bool(ctx.data[MES]["changeover_events"])


def test_determinism():
    a, b, c = build(7), build(7), build(8)
    for db in (ERP, MES):
        for t in a.data[db]:
            assert a.data[db][t] == b.data[db][t], t
    assert a.shared["failed_inspections"] == b.shared["failed_inspections"]
    assert a.data[ERP]["sales_orders"] != c.data[ERP]["sales_orders"]
    assert a.data[MES]["quality_inspections"] != c.data[MES]["quality_inspections"]


@pytest.mark.skipif(importlib.util.find_spec("genims_tui.seeds.runner") is None, reason="runner not written yet")
def test_sqlite_load_through_runner(sqlite_dbs):
    from sqlalchemy import text

    from genims_tui.seeds.runner import run_seed

    report = run_seed(sqlite_dbs, scale=0.05, seed=7, only=[ERP, MES], as_of=AS_OF)
    loaded = {r.database: r.rows for r in report.databases}
    assert loaded[ERP] > 1000 and loaded[MES] > 1000
    for db in (ERP, MES):
        with sqlite_dbs.engine(db).connect() as conn:
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
