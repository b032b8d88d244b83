"""genims_erp_wms_sync_db: the ERP <-> WMS inventory synchronisation history (seed 002's sync daemon).

- inventory_sync_mappings: ERP plant <-> WMS warehouse, one per warehouse.
- inventory_sync_queue: ERP inventory transactions (ERP->WMS) and WMS movements (WMS->ERP) of the last
  SYNC_DAYS days: mostly completed, some failed (retry_count < max_retries), a few dead-lettered
  (status 'dead_letter', retry_count = max_retries) and the newest few still pending for the daemon.
- inventory_snapshot: per (material, ERP plant): ERP on-hand vs WMS on-hand; they differ exactly on the
  deliberate variances wms.py publishes in ctx.shared["wms_variances"].
- inventory_reconciliation_headers/lines: weekly past reconciliations per plant, classifying lines
  matched (< 0.1 %), minor (0.1-2 %), major (> 2 %); the variances they found were adjusted
  (inventory_adjustments_sync). The current variances arose after the last run, for the daemon to find.
- cycle_count_integration, inventory_transaction_log, inventory_sync_errors (one per failed /
  dead-lettered queue item, plus resolved ones for retried successes), inventory_sync_metrics (daily),
  inventory_allocations (open and recently shipped sales order lines).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from .framework import Row, SeedContext
from .wms import as_date, at, balance_qty, dec, erp_stock, open_allocations

DATABASE = "genims_erp_wms_sync_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_wms_db")

ERP, WMS = "genims_erp_db", "genims_wms_db"
Q4 = Decimal("0.0001")
C2 = Decimal("0.01")
SYNC_DAYS = 28
METRIC_DAYS = 30
RECON_WEEKS = 6
ERRORS = [
    ("location_not_mapped", "Storage location {loc} has no WMS bin mapping"),
    ("material_not_found", "Material {mat} not found in WMS item master"),
    ("quantity_mismatch", "WMS rejected quantity: would drive bin below zero"),
    ("timeout", "WMS API timeout after 30s"),
    ("lock_conflict", "Bin locked by an open cycle count"),
    ("validation_error", "Batch number missing for batch-managed material {mat}"),
]


def band(pct: Decimal) -> str:
    p = abs(pct)
    return "major" if p > 2 else ("minor" if p >= Decimal("0.1") else "matched")


def generate(ctx: SeedContext) -> dict[str, list[Row]]:
    as_of, today = ctx.as_of, ctx.today
    t: dict[str, list[Row]] = {n: [] for n in (
        "inventory_sync_mappings", "inventory_sync_queue", "inventory_allocations", "inventory_reconciliation_headers",
        "inventory_reconciliation_lines", "inventory_adjustments_sync", "cycle_count_integration", "inventory_snapshot",
        "inventory_transaction_log", "inventory_sync_errors", "inventory_sync_metrics")}
    warehouses = sorted(ctx.rows(WMS, "warehouses"), key=lambda w: w["warehouse_id"])
    plant_wh = {w["plant_id"]: w["warehouse_id"] for w in warehouses}
    wh_plant = {w["warehouse_id"]: w["plant_id"] for w in warehouses}
    mats = {m["material_id"]: m for m in ctx.rows(ERP, "materials")}

    def price(mid: str) -> Decimal:
        m = mats.get(mid, {})
        return dec(m.get("moving_average_cost")) or dec(m.get("standard_cost")) or Decimal("1")

    def uom(mid: str) -> str:
        return mats.get(mid, {}).get("base_unit_of_measure") or "EA"

    # -- mappings -------------------------------------------------------------------------------
    setup = as_of - dt.timedelta(days=380)
    for i, w in enumerate(warehouses, start=1):
        t["inventory_sync_mappings"].append({
            "mapping_id": ctx.key("MAP", i), "erp_location_id": w["plant_id"], "erp_location_type": "plant",
            "wms_warehouse_id": w["warehouse_id"], "is_active": True, "sync_enabled": True, "sync_mode": "real_time",
            "last_sync_timestamp": as_of - dt.timedelta(minutes=3 + i), "last_sync_status": "success",
            "created_at": setup, "updated_at": as_of - dt.timedelta(minutes=3 + i)})

    # -- WMS bins per (warehouse, material) ------------------------------------------------------
    bins = {b["bin_id"]: b for b in ctx.rows(WMS, "storage_bins")}
    wms_rows: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in ctx.rows(WMS, "warehouse_inventory"):
        wms_rows[(r["material_id"], wh_plant[r["warehouse_id"]])].append(r)
    wms_tot = {k: sum((r["quantity_on_hand"] for r in rows), Decimal(0)) for k, rows in wms_rows.items()}
    erp = {k: q for k, q in erp_stock(ctx).items() if k[1] in plant_wh}

    # -- queue: ERP -> WMS -----------------------------------------------------------------------
    rng = ctx.rng("sync.queue")
    since = as_of - dt.timedelta(days=SYNC_DAYS)
    txs = sorted((x for x in ctx.rows(ERP, "inventory_transactions") if x.get("plant_id") in plant_wh),
                 key=lambda x: (x.get("created_at") or at(x["posting_date"], 12), x["transaction_id"]))
    running: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    items = []  # (ts, direction, type, id, material, qty, from, to, from_bin, to_bin, balance_before, balance_after, data)
    for x in txs:
        k = (x["material_id"], x["plant_id"])
        q = dec(x.get("quantity"))
        before = running[k]
        running[k] = before + q
        ts = x.get("created_at") or at(x["posting_date"], 12)
        if ts < since or ts > as_of:
            continue
        wid = plant_wh[x["plant_id"]]
        items.append((ts.replace(microsecond=0), "ERP_TO_WMS", x.get("transaction_type") or "inventory_posting", x["transaction_id"],
                      x["material_id"], q, x["plant_id"] if q < 0 else (x.get("receiving_plant") or "EXTERNAL"),
                      wid if q > 0 else "EXTERNAL", x.get("storage_location"), None, before, running[k],
                      {"movement_type": x.get("movement_type"), "storage_location": x.get("storage_location"),
                       "batch_number": x.get("batch_number"), "material_document": x.get("material_document")}))
    for m in ctx.rows(WMS, "warehouse_movements"):
        ts = m["movement_timestamp"]
        if ts < since or m["movement_type"] not in ("putaway", "pick", "cycle_count_adjustment"):
            continue
        fb, tb = bins.get(m.get("from_bin_id")), bins.get(m.get("to_bin_id"))
        q = dec(m["quantity"])
        if m["movement_type"] == "pick" or (m["movement_type"] == "cycle_count_adjustment" and m.get("from_bin_id")):
            q = -q
        items.append((ts, "WMS_TO_ERP", f"wms_{m['movement_type']}", m["movement_id"], m["material_id"], q,
                      m["warehouse_id"], wh_plant[m["warehouse_id"]], fb["full_location"][:50] if fb else None,
                      tb["full_location"][:50] if tb else None, None, None,
                      {"reference_document_type": m.get("reference_document_type"),
                       "reference_document_id": m.get("reference_document_id")}))
    items.sort(key=lambda it: (it[0], it[3]))
    # WMS count adjustments still awaiting variance approval: ERP rejected them (dead letters); they are
    # why WMS and ERP disagree on the deliberate variances until a reconciliation finds them
    held_counts = {c["cycle_count_id"] for c in ctx.rows(WMS, "cycle_count_tasks") if c.get("task_status") == "variance_review"}
    held = {i for i, it in enumerate(items, start=1)
            if it[1] == "WMS_TO_ERP" and it[12].get("reference_document_id") in held_counts}
    free = [i for i in range(1, len(items) + 1) if i not in held]
    n_pending = min(len(free), max(3, ctx.scaled(25)))
    pending = set(free[len(free) - n_pending:])
    settled = [i for i in free if i not in pending]
    n_dead = min(len(settled), max(1, round(len(settled) * 0.0015)))
    n_failed = min(len(settled) - n_dead, max(2, round(len(settled) * 0.0035)))
    n_retried = min(len(settled) - n_dead - n_failed, max(2, round(len(settled) * 0.03)))
    special = rng.sample(settled, n_dead + n_failed + n_retried)
    dead, failed, retried = set(special[:n_dead]), set(special[n_dead:n_dead + n_failed]), set(special[n_dead + n_failed:])
    n_err = 0
    n_log = 0
    for i, it in enumerate(items, start=1):
        ts, direction, ttype, tid, mid, q, frm, to, fbin, tbin, before, after, data = it
        qid = ctx.key("SQ", i, 7)
        max_retries = 3 if direction == "WMS_TO_ERP" else 5
        if i in pending:
            status, retries, processed = "pending", 0, None
        elif i in held:
            status, retries = "dead_letter", max_retries
            processed = min(as_of, ts + dt.timedelta(minutes=5 * (2 ** max_retries)))
        elif i in dead:
            status, retries = "dead_letter", max_retries
            processed = min(as_of, ts + dt.timedelta(minutes=5 * (2 ** max_retries)))
        elif i in failed:
            status, retries = "failed", rng.randint(1, max_retries - 1)
            processed = min(as_of, ts + dt.timedelta(minutes=5 * retries))
        else:
            status = "completed"
            retries = 1 if i in retried else 0
            processed = min(as_of, ts + dt.timedelta(seconds=rng.uniform(0.5, 4) + 300 * retries))
        err_type, err_msg = (None, None)
        if i in held:
            err_type, err_msg = "approval_required", f"ERP rejected inventory adjustment for {mid}: count variance not approved"
        elif status in ("failed", "dead_letter") or retries:
            err_type, tmpl = ERRORS[rng.randrange(len(ERRORS))]
            err_msg = tmpl.format(loc=fbin or frm, mat=mid)
        t["inventory_sync_queue"].append({
            "queue_id": qid, "sync_direction": direction, "transaction_type": ttype[:50], "transaction_id": tid,
            "transaction_date": ts, "material_id": mid, "quantity": q.quantize(Q4), "unit_of_measure": uom(mid),
            "from_location": frm, "to_location": to, "from_bin_location": fbin, "to_bin_location": tbin,
            "sync_status": status, "processed_at": processed, "retry_count": retries, "max_retries": max_retries,
            "error_message": err_msg if status in ("failed", "dead_letter") else None,
            "acknowledged": status == "completed", "acknowledged_at": processed if status == "completed" else None,
            "sync_data": data, "created_at": ts})
        if err_type:
            n_err += 1
            resolved = status == "completed"
            t["inventory_sync_errors"].append({
                "error_id": ctx.key("SE", n_err), "error_timestamp": min(as_of, ts + dt.timedelta(seconds=30)), "error_type": err_type,
                "error_message": err_msg, "error_details": {"queue_id": qid, "transaction_id": tid, "direction": direction,
                                                            "attempt": retries},
                "queue_id": qid, "material_id": mid, "location_id": to if direction == "WMS_TO_ERP" else frm,
                "error_status": "resolved" if resolved else ("escalated" if status == "dead_letter" else "open"),
                "resolved_at": processed if resolved else None, "resolved_by": "SYNC_DAEMON" if resolved else None,
                "resolution_notes": "Succeeded on retry" if resolved else None, "retry_attempted": retries > 0,
                "retry_count": retries})
        if status == "completed":
            n_log += 1
            plant = to if direction == "WMS_TO_ERP" else (frm if q < 0 else wh_plant.get(to, to))
            t["inventory_transaction_log"].append({
                "log_id": ctx.key("ITL", n_log, 7), "log_timestamp": processed, "transaction_type": ttype[:50],
                "transaction_id": tid, "source_system": "ERP" if direction == "ERP_TO_WMS" else "WMS", "material_id": mid,
                "location_id": plant, "bin_location": tbin or fbin, "quantity_change": q.quantize(Q4), "unit_of_measure": uom(mid),
                "balance_before": before.quantize(Q4) if before is not None else None,
                "balance_after": after.quantize(Q4) if after is not None else None, "sync_required": True, "synced": True,
                "sync_timestamp": processed, "transaction_data": {"queue_id": qid}})

    # -- metrics (daily) ---------------------------------------------------------------------------
    by_day: dict[dt.date, list[Row]] = defaultdict(list)
    for q in t["inventory_sync_queue"]:
        by_day[q["transaction_date"].date()].append(q)
    mrng = ctx.rng("sync.metrics")
    recon_days: dict[dt.date, int] = defaultdict(int)
    recon_value: dict[dt.date, Decimal] = defaultdict(Decimal)

    # -- reconciliations (weekly per plant, the last one at least a week ago) -----------------------
    rrng = ctx.rng("sync.recon")
    n_h = n_l = n_adj = 0
    headers_by_plant: dict[str, list[Row]] = defaultdict(list)
    keys_by_plant: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for k in sorted(set(erp) | set(wms_tot)):
        keys_by_plant[k[1]].append(k)
    weeks = max(2, ctx.scaled(RECON_WEEKS, minimum=2)) if ctx.scale < 1 else RECON_WEEKS
    for wk in range(weeks, 0, -1):
        day = today - dt.timedelta(days=7 * wk + 1)
        for plant in sorted(plant_wh):
            keys = keys_by_plant.get(plant, [])
            if not keys:
                continue
            sample = rrng.sample(keys, min(len(keys), max(10, ctx.scaled(60, minimum=10))))
            n_h += 1
            hid = ctx.key("REC", n_h)
            started = at(day, 2 + rrng.random())
            matched = var = 0
            tot_var = Decimal(0)
            for ln, k in enumerate(sorted(sample), start=1):
                e = erp.get(k, Decimal(0))
                r = rrng.random()
                if ln == 1 and wk % 2 == 1:
                    r = 0.0  # every other week a major one, every week a minor one
                elif ln == 2:
                    r = 0.05
                if e > 0 and r < 0.03:
                    pct = Decimal(str(rrng.uniform(2.5, 9)))
                elif e > 0 and r < 0.12:
                    pct = Decimal(str(rrng.uniform(0.2, 1.8)))
                else:
                    pct = Decimal(0)
                sign = -1 if rrng.random() < 0.6 else 1
                w = (e + sign * e * pct / 100).quantize(Q4) if pct else e
                vq = (w - e).quantize(Q4)
                vpct = (vq / e * 100).quantize(C2) if e else Decimal("0.00")
                vpct = max(min(vpct, Decimal("999.99")), Decimal("-999.99"))
                status = band(vpct)
                if vq != 0 and status == "matched":
                    status = "matched"  # sub-0.1 % rounding noise counts as matched
                p = price(k[0])
                ev, wv = (e * p).quantize(C2), (w * p).quantize(C2)
                n_l += 1
                adjusted = status != "matched"
                det = [{"bin": bins[r2["bin_id"]]["full_location"], "qty": str(r2["quantity_on_hand"])}
                       for r2 in wms_rows.get(k, [])[:4]]
                t["inventory_reconciliation_lines"].append({
                    "line_id": ctx.key("RECL", n_l, 7), "reconciliation_id": hid, "line_number": ln, "material_id": k[0],
                    "location_id": plant, "erp_quantity": e.quantize(Q4), "erp_value": ev, "wms_quantity": w, "wms_value": wv,
                    "variance_quantity": vq, "variance_value": (wv - ev).quantize(C2), "variance_pct": vpct, "wms_bin_details": det,
                    "variance_reason": None if not adjusted else rrng.choice(["miscount", "unposted_movement", "damage", "shrinkage", "system_error"]),
                    "variance_status": status, "adjustment_posted": adjusted, "adjustment_journal_id": None,
                    "notes": "ALERT: major variance" if status == "major" else None, "created_at": started})
                if status == "matched":
                    matched += 1
                else:
                    var += 1
                    tot_var += abs(wv - ev)
                    n_adj += 1
                    t["inventory_adjustments_sync"].append({
                        "sync_id": ctx.key("ADJ", n_adj), "source_system": "WMS", "adjustment_type": "reconciliation",
                        "adjustment_document_id": hid, "adjustment_date": day, "material_id": k[0], "location_id": plant,
                        "bin_location": det[0]["bin"][:50] if det else None, "quantity_before": e.quantize(Q4), "quantity_after": w,
                        "adjustment_quantity": vq, "value_before": ev, "value_after": wv, "adjustment_value": (wv - ev).quantize(C2),
                        "adjustment_reason": f"Reconciliation {hid}: {status} variance", "sync_status": "completed",
                        "synced_to_system": "ERP", "synced_at": started + dt.timedelta(hours=2), "target_transaction_id": None,
                        "error_message": None, "created_at": started + dt.timedelta(hours=1)})
            h = {"reconciliation_id": hid, "reconciliation_number": f"RECON-{day:%Y%m%d}-{plant[-2:]}", "reconciliation_date": day,
                 "fiscal_year": day.year, "fiscal_period": day.month, "location_id": plant, "reconciliation_status": "completed",
                 "total_items_compared": len(sample), "items_matched": matched, "items_with_variance": var,
                 "total_variance_value": tot_var.quantize(C2), "started_by": "SYNC_DAEMON", "started_at": started,
                 "completed_at": started + dt.timedelta(minutes=rrng.randint(2, 15)),
                 "notes": f"{var} variances found"}
            t["inventory_reconciliation_headers"].append(h)
            headers_by_plant[plant].append(h)
            recon_days[day] += 1
            recon_value[day] += tot_var

    # -- WMS cycle counts -> adjustments and integration --------------------------------------------
    counts = sorted((c for c in ctx.rows(WMS, "cycle_count_tasks") if c.get("count_date")), key=lambda c: (c["count_date"], c["cycle_count_id"]))
    groups: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
    for c in counts:
        groups[(c["warehouse_id"], c["count_date"])].append(c)
    n_ci = 0
    for (wid, day), cs in sorted(groups.items()):
        plant = wh_plant[wid]
        later = [h for h in headers_by_plant.get(plant, []) if h["reconciliation_date"] >= day]
        pending = any(c["task_status"] == "variance_review" for c in cs)
        with_var = [c for c in cs if c["variance_quantity"]]
        value = sum((abs(c["variance_quantity"]) * price(c["material_id"]) for c in with_var), Decimal(0)).quantize(C2)
        n_ci += 1
        last_ts = max(c["count_time"] for c in cs)
        t["cycle_count_integration"].append({
            "integration_id": ctx.key("CCI", n_ci), "wms_cycle_count_id": cs[0]["cycle_count_id"],
            "erp_reconciliation_id": later[0]["reconciliation_id"] if later else None,
            "integration_status": "pending_approval" if pending else "processed", "items_counted": len(cs),
            "items_with_variance": len(with_var), "total_variance_value": value,
            "processed_at": None if pending else min(as_of, last_ts + dt.timedelta(hours=3)),
            "notes": f"{len(cs)} counts in {wid} on {day}", "created_at": last_ts})
        for c in with_var:
            if c["task_status"] != "adjusted":
                continue
            n_adj += 1
            p = price(c["material_id"])
            ts = min(as_of, c["count_time"] + dt.timedelta(hours=2))
            t["inventory_adjustments_sync"].append({
                "sync_id": ctx.key("ADJ", n_adj), "source_system": "WMS", "adjustment_type": "cycle_count",
                "adjustment_document_id": c["cycle_count_id"], "adjustment_date": c["count_date"], "material_id": c["material_id"],
                "location_id": plant, "bin_location": bins[c["bin_id"]]["full_location"][:50], "quantity_before": c["expected_quantity"],
                "quantity_after": c["counted_quantity"], "adjustment_quantity": c["variance_quantity"],
                "value_before": (c["expected_quantity"] * p).quantize(C2), "value_after": (c["counted_quantity"] * p).quantize(C2),
                "adjustment_value": (c["variance_quantity"] * p).quantize(C2), "adjustment_reason": "Cycle count variance approved",
                "sync_status": "completed", "synced_to_system": "ERP", "synced_at": ts, "target_transaction_id": None,
                "error_message": None, "created_at": c["count_time"]})

    # -- metrics --------------------------------------------------------------------------------
    for d in range(METRIC_DAYS, 0, -1):
        day = today - dt.timedelta(days=d)
        qs = by_day.get(day, [])
        ok = sum(1 for q in qs if q["sync_status"] == "completed")
        bad = sum(1 for q in qs if q["sync_status"] in ("failed", "dead_letter"))
        total = len(qs)
        t["inventory_sync_metrics"].append({
            "metric_id": ctx.key("SM", METRIC_DAYS - d + 1), "metric_date": day, "total_sync_transactions": total,
            "erp_to_wms_transactions": sum(1 for q in qs if q["sync_direction"] == "ERP_TO_WMS"),
            "wms_to_erp_transactions": sum(1 for q in qs if q["sync_direction"] == "WMS_TO_ERP"),
            "successful_syncs": ok, "failed_syncs": bad,
            "success_rate_pct": (Decimal(ok) / Decimal(ok + bad) * 100).quantize(C2) if ok + bad else Decimal("100.00"),
            "avg_sync_time_seconds": ctx.money(mrng.uniform(0.8, 3.5)) if total else None,
            "max_sync_time_seconds": ctx.money(mrng.uniform(4, 45)) if total else None,
            "total_errors": sum(1 for q in qs if q["retry_count"] or q["sync_status"] in ("failed", "dead_letter")),
            "unresolved_errors": bad, "reconciliations_completed": recon_days.get(day, 0),
            "total_variance_value": recon_value.get(day, Decimal(0)).quantize(C2), "created_at": at(day, 23.99)})

    # -- allocations: open sales order lines (same rule as the WMS reservations) + recently shipped ones --
    sos = {s["sales_order_id"]: s for s in ctx.rows(ERP, "sales_orders")}
    arng = ctx.rng("sync.alloc")
    erp_alloc: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    wms_alloc: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for ln, alloc in open_allocations(ctx, erp):
        erp_alloc[(ln["material_id"], ln["plant_id"])] += alloc
    for ln, alloc in open_allocations(ctx, wms_tot):
        wms_alloc[(ln["material_id"], ln["plant_id"])] += alloc
    chosen = [(ln, alloc, False) for ln, alloc in open_allocations(ctx, erp) if ln.get("plant_id") in plant_wh]
    for ln in sorted(ctx.rows(ERP, "sales_order_lines"), key=lambda r: r["sales_order_line_id"]):
        so = sos.get(ln["sales_order_id"])
        if so is None or ln.get("plant_id") not in plant_wh or ln.get("line_status") not in ("delivered", "invoiced", "closed"):
            continue
        if (today - (as_date(so.get("order_date")) or today)).days <= SYNC_DAYS:
            chosen.append((ln, dec(ln.get("delivered_quantity")) or dec(ln.get("order_quantity")), True))
    n_a = 0
    for ln, alloc, shipped_line in sorted(chosen, key=lambda c: c[0]["sales_order_line_id"]):
        so = sos[ln["sales_order_id"]]
        qty = dec(ln.get("order_quantity"))
        k = (ln["material_id"], ln["plant_id"])
        if shipped_line:
            status, picked, shipped = "shipped", alloc, alloc
        else:
            status = "allocated" if alloc == qty else ("partially_allocated" if alloc > 0 else "backordered")
            picked = shipped = Decimal(0)
        rows = wms_rows.get(k, [])
        n_a += 1
        created = so.get("created_at") or at(as_date(so.get("order_date")) or today, 9)
        t["inventory_allocations"].append({
            "allocation_id": ctx.key("ALC", n_a), "source_type": "sales_order", "source_document_id": so["sales_order_id"],
            "source_line_number": ln.get("line_number"), "material_id": ln["material_id"], "allocated_quantity": alloc.quantize(Q4),
            "unit_of_measure": ln.get("unit_of_measure") or uom(ln["material_id"]), "location_id": ln["plant_id"], "wms_reservation_id": None,
            "bin_location": bins[rows[0]["bin_id"]]["full_location"][:50] if rows else None, "allocation_status": status,
            "allocation_date": created, "required_date": ln.get("confirmed_delivery_date") or so.get("requested_delivery_date"),
            "picked_quantity": picked.quantize(Q4), "shipped_quantity": shipped.quantize(Q4), "synced_to_wms": True,
            "wms_sync_timestamp": min(as_of, created + dt.timedelta(seconds=arng.randint(5, 300))), "created_at": created,
            "updated_at": min(as_of, created + dt.timedelta(days=arng.randint(0, 5)))})

    # -- snapshot -------------------------------------------------------------------------------
    last_move: dict[tuple[str, str], dt.datetime] = {}
    for k, rows in wms_rows.items():
        last_move[k] = max(r["updated_at"] for r in rows)
    bal_upd: dict[tuple[str, str], dt.datetime] = {}
    for b in ctx.rows(ERP, "inventory_balances"):
        k = (b["material_id"], b["plant_id"])
        u = b.get("updated_at") or as_of
        if balance_qty(b) and (k not in bal_upd or u > bal_upd[k]):
            bal_upd[k] = u
    n_s = 0
    for k in sorted(set(erp) | set(wms_tot)):
        e, w = erp.get(k, Decimal(0)), wms_tot.get(k, Decimal(0))
        if e == 0 and w == 0:
            continue
        n_s += 1
        a, wa = erp_alloc.get(k, Decimal(0)), wms_alloc.get(k, Decimal(0))
        t["inventory_snapshot"].append({
            "snapshot_id": ctx.key("SNAP", n_s), "material_id": k[0], "location_id": k[1], "erp_on_hand": e.quantize(Q4),
            "erp_allocated": a.quantize(Q4), "erp_available": (e - a).quantize(Q4), "wms_on_hand": w.quantize(Q4),
            "wms_allocated": wa.quantize(Q4), "wms_available": (w - wa).quantize(Q4), "variance_quantity": (w - e).quantize(Q4),
            "sync_status": "in_sync" if w == e else "variance", "last_erp_update": min(as_of, bal_upd.get(k, as_of)),
            "last_wms_update": last_move.get(k), "last_sync_timestamp": as_of - dt.timedelta(minutes=5)})
    return t
