"""ERP <-> WMS sync queue (exactly once, backoff, dead letters, requeue, metrics) and reconciliation bands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert

from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env
from genims_tui.backend.databases import Databases
from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.erp import InventoryBalances, Materials
from genims_tui.backend.models.erp_wms_sync import (
    InventoryReconciliationHeaders,
    InventoryReconciliationLines,
    InventorySnapshot,
    InventorySyncErrors,
    InventorySyncMetrics,
    InventorySyncQueue,
)
from genims_tui.backend.models.wms import WarehouseInventory
from genims_tui.backend.services import inventory_sync
from genims_tui.config import load_settings

from .warehouse_data import FROZEN, PLANT, WH, build, context, rows


def snapshot(dbs) -> dict[str, Decimal]:
    return {r["material_id"]: r["wms_on_hand"] for r in rows(dbs, "genims_erp_wms_sync_db", InventorySnapshot)}


def queue(dbs) -> dict[str, dict]:
    return {r["queue_id"]: r for r in rows(dbs, "genims_erp_wms_sync_db", InventorySyncQueue)}


def test_an_item_is_applied_once_however_often_the_queue_runs(any_dbs):
    ctx = build(any_dbs)
    assert {r["sync_status"] for r in queue(any_dbs).values()} == {"pending"}
    first = inventory_sync.process_sync_queue(ctx)
    second = inventory_sync.process_sync_queue(ctx)
    assert (first.completed, second.processed) == (2, 0)
    assert snapshot(any_dbs) == {"MAT-000001": Decimal("40"), "MAT-000002": Decimal("10")}
    # queuing the same movement again does nothing
    item = next(iter(queue(any_dbs).values()))
    qid, created = inventory_sync.enqueue(
        ctx, sync_direction="WMS_TO_ERP", transaction_type="wms_putaway", transaction_id=item["transaction_id"],
        material_id="MAT-000001", quantity=Decimal("40"), from_location=WH, to_location=PLANT)
    assert (qid, created) == (item["queue_id"], False)
    assert inventory_sync.process_sync_queue(ctx).processed == 0
    assert snapshot(any_dbs)["MAT-000001"] == Decimal("40")


def test_a_poisoned_item_is_dead_lettered_after_max_retries_and_requeued(sqlite_dbs):
    ctx = build(sqlite_dbs)
    poison, _ = inventory_sync.enqueue(
        ctx, sync_direction="WMS_TO_ERP", transaction_type="wms_putaway", transaction_id="MOV-POISON",
        material_id="MAT-000404", quantity=Decimal("5"), from_location=WH, to_location=PLANT)
    t = FROZEN
    run = inventory_sync.process_sync_queue(context(sqlite_dbs, when=t))
    assert (run.completed, run.failed) == (2, 1)  # the others go on
    item = queue(sqlite_dbs)[poison]
    assert (item["sync_status"], item["retry_count"]) == ("failed", 1)
    assert item["sync_data"]["next_attempt_at"] == (t + dt.timedelta(seconds=60)).isoformat()
    assert inventory_sync.process_sync_queue(context(sqlite_dbs, when=t + dt.timedelta(seconds=59))).processed == 0
    t += dt.timedelta(seconds=60)
    assert inventory_sync.process_sync_queue(context(sqlite_dbs, when=t)).failed == 1
    assert queue(sqlite_dbs)[poison]["sync_data"]["next_attempt_at"] == (t + dt.timedelta(seconds=120)).isoformat()
    t += dt.timedelta(seconds=120)
    assert inventory_sync.process_sync_queue(context(sqlite_dbs, when=t)).dead_lettered == 1
    item = queue(sqlite_dbs)[poison]
    assert (item["sync_status"], item["retry_count"]) == ("dead_letter", 3)
    assert "MAT-000404 is not in the ERP material master" in item["error_message"]
    [err] = rows(sqlite_dbs, "genims_erp_wms_sync_db", InventorySyncErrors)
    assert (err["queue_id"], err["error_type"], err["error_status"]) == (poison, "unknown_material", "open")
    assert inventory_sync.process_sync_queue(context(sqlite_dbs, when=t + dt.timedelta(days=1))).processed == 0
    assert [d["queue_id"] for d in inventory_sync.dead_letters(ctx)] == [poison]
    [metric] = rows(sqlite_dbs, "genims_erp_wms_sync_db", InventorySyncMetrics)
    assert (metric["successful_syncs"], metric["failed_syncs"], metric["success_rate_pct"]) == (2, 1, Decimal("66.67"))

    with pytest.raises(DomainError, match="only a dead letter can be requeued"):
        inventory_sync.requeue(ctx, next(q for q in queue(sqlite_dbs) if q != poison))
    with pytest.raises(NotFound):
        inventory_sync.requeue(ctx, "SQ-9999999")
    with sqlite_dbs.begin("genims_erp_db") as conn:  # the cause is fixed
        conn.execute(insert(Materials).values(material_id="MAT-000404", material_name="Late"))
    inventory_sync.requeue(context(sqlite_dbs, "warehouse_manager"), poison)
    item = queue(sqlite_dbs)[poison]
    assert (item["sync_status"], item["retry_count"], item["error_message"]) == ("pending", 0, None)
    assert rows(sqlite_dbs, "genims_erp_wms_sync_db", InventorySyncErrors)[0]["error_status"] == "requeued"
    assert inventory_sync.process_sync_queue(ctx).completed == 1
    assert snapshot(sqlite_dbs)["MAT-000404"] == Decimal("5")


# (erp, wms, expected band): boundaries of matched < 0.1 %, minor 0.1-2 %, major > 2 %
BANDS = {
    "MAT-B01": ("1000", "1000", "matched"),
    "MAT-B02": ("1000", "999.0001", "matched"),  # 0.0999 %
    "MAT-B03": ("1000", "999", "minor"),  # exactly 0.1 %
    "MAT-B04": ("1000", "1001", "minor"),
    "MAT-B05": ("1000", "980", "minor"),  # exactly 2 %
    "MAT-B06": ("1000", "979.9999", "major"),  # 2.00001 %
    "MAT-B07": ("1000", "1020.0001", "major"),
    "MAT-B08": ("1000", None, "major"),  # ERP only
    "MAT-B09": (None, "5", "major"),  # WMS only
}


def test_reconciliation_bands_at_the_boundaries(any_dbs):
    build(any_dbs, stock={})
    now = FROZEN
    with any_dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Materials), [{"material_id": m, "material_name": m} for m in BANDS])
        conn.execute(insert(InventoryBalances), [
            {"balance_id": f"IB-{m}", "material_id": m, "plant_id": PLANT, "storage_location": "0001",
             "unrestricted_stock": Decimal(e) - 1, "quality_inspection_stock": Decimal("1"), "blocked_stock": 0,
             "stock_value": Decimal(e) * 2, "moving_average_price": Decimal("2"), "updated_at": now}
            for m, (e, _, _) in BANDS.items() if e])
    with any_dbs.begin("genims_wms_db") as conn:
        conn.execute(insert(WarehouseInventory), [
            {"inventory_id": f"INV-{m}-{n}", "warehouse_id": WH, "bin_id": f"BIN-00000{n}", "material_id": m,
             "quantity_on_hand": Decimal(w) - 1 if n == 1 else Decimal(1), "reserved_quantity": 0}
            for m, (_, w, _) in BANDS.items() if w for n in (1, 2)])
    result = inventory_sync.reconcile(context(any_dbs, "inventory_manager"))
    assert (result["compared"], result["matched"], result["minor"], result["major"]) == (9, 2, 3, 4)
    lines = {r["material_id"]: r for r in rows(any_dbs, "genims_erp_wms_sync_db", InventoryReconciliationLines)}
    assert {m: r["variance_status"] for m, r in lines.items()} == {m: b for m, (_, _, b) in BANDS.items()}
    assert lines["MAT-B05"]["variance_pct"] == Decimal("2.00") and lines["MAT-B03"]["variance_quantity"] == Decimal("-1")
    [metric] = rows(any_dbs, "genims_erp_wms_sync_db", InventorySyncMetrics)
    assert metric["reconciliations_completed"] == 1 and metric["total_variance_value"] > 0
    [header] = rows(any_dbs, "genims_erp_wms_sync_db", InventoryReconciliationHeaders)
    assert (header["location_id"], header["items_matched"], header["items_with_variance"]) == (PLANT, 2, 7)


def test_reconcile_needs_the_capability(sqlite_dbs):
    build(sqlite_dbs)
    with pytest.raises(PermissionDenied, match="Reconciling ERP and WMS inventory is not allowed"):
        inventory_sync.reconcile(context(sqlite_dbs, "warehouse_operator"))
    assert rows(sqlite_dbs, "genims_erp_wms_sync_db", InventoryReconciliationHeaders) == []
    with pytest.raises(PermissionDenied):
        inventory_sync.process_sync_queue(context(sqlite_dbs, "warehouse_operator"))


def test_cli_sync_reconcile_dead_letters_and_requeue(tmp_path):
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    try:
        ctx = build(dbs)
        inventory_sync.enqueue(ctx, sync_direction="WMS_TO_ERP", transaction_type="wms_pick", transaction_id="MOV-X",
                               material_id="MAT-000001", quantity=Decimal("-1"), from_location="WH-NOWHERE",
                               to_location=None, max_retries=1)
    finally:
        dbs.dispose()
    synced = run_cli("inventory", "sync", "--limit", "10", "--json", env=env)
    assert synced.returncode == 1, describe(synced)  # a new dead letter is a problem found
    # the two ERP receipts of the estate are queued first (ERP_TO_WMS) and apply cleanly
    assert json_out(synced)["sync"] == {"erp_movements_queued": 2, "processed": 5, "completed": 4, "failed": 0,
                                        "dead_lettered": 1, "skipped": 0}
    dead = run_cli("inventory", "dead-letters", "--json", env=env)
    assert dead.returncode == 0, describe(dead)
    [letter] = json_out(dead)["dead_letters"]
    assert "WH-NOWHERE" in letter["error_message"]
    ok = run_cli("inventory", "reconcile", "--json", env=env)
    assert ok.returncode == 0, describe(ok)
    assert json_out(ok)["reconciliation"]["matched"] == 2
    requeued = run_cli("inventory", "requeue", letter["queue_id"], env=env)
    assert requeued.returncode == 0 and "pending again" in requeued.stdout, describe(requeued)
    assert_usage_error(run_cli("inventory", "requeue", "SQ-0000999", env=env), "SQ-0000999 does not exist")
    assert_usage_error(run_cli("inventory", "sync", "--limit", "0", env=env), "at least 1")
    # a major variance: the check finds a problem, exit 1
    dbs = Databases(load_settings(environ=env))
    try:
        with dbs.begin("genims_wms_db") as conn:
            conn.execute(WarehouseInventory.__table__.update().where(WarehouseInventory.material_id == "MAT-000002")
                         .values(quantity_on_hand=Decimal("9")))
    finally:
        dbs.dispose()
    bad = run_cli("inventory", "reconcile", env=env)
    assert bad.returncode == 1, describe(bad)
    assert "major 1" in bad.stdout



def test_two_concurrent_runs_apply_every_item_exactly_once(any_dbs):
    import threading

    ctx = build(any_dbs)
    for n in range(20):
        inventory_sync.enqueue(ctx, sync_direction="WMS_TO_ERP", transaction_type="wms_putaway",
                               transaction_id=f"MOV-C{n:03d}", material_id="MAT-000001", quantity=Decimal("1"),
                               from_location=WH, to_location=PLANT)
    results, errors = [], []

    def worker():
        try:
            results.append(inventory_sync.process_sync_queue(context(any_dbs)))
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.completed for r in results) == 22
    assert snapshot(any_dbs) == {"MAT-000001": Decimal("60"), "MAT-000002": Decimal("10")}
    assert len(rows(any_dbs, "genims_erp_wms_sync_db", InventorySnapshot)) == 2
