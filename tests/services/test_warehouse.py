"""Warehouse services: putaway capacity, pick/pack/ship, cycle count adjustments, roles, conservation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.erp import InventoryTransactions, SalesOrderLines
from genims_tui.backend.models.erp_wms_sync import InventorySyncQueue
from genims_tui.backend.models.financial import JournalEntryHeaders
from genims_tui.backend.models.tms import ShipmentLines, Shipments
from genims_tui.backend.models.wms import (
    CycleCountTasks,
    PickingTasks,
    PutawayTasks,
    ShippingTasks,
    WarehouseInventory,
    WarehouseMovements,
)
from genims_tui.backend.services import finance, warehouse

from .warehouse_data import WH, add_erp_stock, build, context, erp_total, rows, wms_total


def count(dbs, database, model, *where) -> int:
    with dbs.connect(database) as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar()


def queue_sum(dbs) -> Decimal:
    with dbs.connect("genims_erp_wms_sync_db") as conn:
        return Decimal(str(conn.execute(select(func.coalesce(func.sum(InventorySyncQueue.quantity), 0))).scalar()))


def test_putaway_suggests_bins_and_refuses_over_capacity(sqlite_dbs):
    ctx = build(sqlite_dbs)  # bins of 100 kg: BIN-1 holds 40 x 1 kg, BIN-2 10 x 5 kg
    op = context(sqlite_dbs, "warehouse_operator")
    task = warehouse.receive(op, warehouse_id=WH, material_id="MAT-000001", quantity="70")
    assert warehouse.suggest_bin(op, WH, "MAT-000001", "50") == "BIN-000001"  # same material, 60 kg free
    assert warehouse.suggest_bin(op, WH, "MAT-000001", "70") == "BIN-000003"  # empty bin of the same zone
    moves, puts = count(sqlite_dbs, "genims_wms_db", WarehouseMovements), count(sqlite_dbs, "genims_wms_db", PutawayTasks)
    with pytest.raises(DomainError, match=r"W1-R-01 cannot take 70 of MAT-000001: 70 kg on top of 40 kg exceeds its "
                                          r"capacity of 100 kg"):
        warehouse.putaway(op, task, bin_id="BIN-000001")
    assert wms_total(sqlite_dbs, "MAT-000001") == Decimal("40")
    assert count(sqlite_dbs, "genims_wms_db", WarehouseMovements) == moves
    assert count(sqlite_dbs, "genims_wms_db", PutawayTasks) == puts
    done = warehouse.putaway(op, task)
    assert done["bin_id"] == "BIN-000003" and wms_total(sqlite_dbs, "MAT-000001") == Decimal("110")
    with pytest.raises(DomainError, match="put away completely"):
        warehouse.putaway(op, task)
    del ctx


def test_pick_pack_ship_moves_exactly_the_picked_quantity(any_dbs):
    build(any_dbs)
    op = context(any_dbs, "warehouse_operator")
    wave = warehouse.create_pick_wave(op, WH, ["SO-000001"])
    assert [ln["allocated_quantity"] for ln in wave["lines"]] == [Decimal("25"), Decimal("4")]
    p1, p2 = wave["picking_task_ids"]
    with pytest.raises(DomainError, match="open picks"):
        warehouse.pack(op, wave["wave_id"], "SO-000001")
    warehouse.confirm_pick(op, p1, "25")
    short = warehouse.confirm_pick(op, p2, "3")  # partial: one plate short
    assert short["task_status"] == "short_picked"
    with pytest.raises(DomainError, match="only an open pick"):
        warehouse.confirm_pick(op, p2, "1")
    stock = {r["material_id"]: r for r in warehouse.bin_stock(op, WH)}
    assert stock["MAT-000001"]["quantity_on_hand"] == Decimal("15")
    assert stock["MAT-000002"]["quantity_on_hand"] == Decimal("7")
    assert stock["MAT-000002"]["reserved_quantity"] == 0 and stock["MAT-000002"]["available_quantity"] == Decimal("7")
    packed = warehouse.pack(op, wave["wave_id"], "SO-000001")
    assert packed["units"] == Decimal("28") and packed["weight_kg"] == Decimal("40.00")
    shipped = warehouse.ship(op, packed["packing_task_id"])
    assert shipped["carrier_id"] == "CAR-000002"  # best-rated active carrier
    ship_row = rows(any_dbs, "genims_tms_db", Shipments)[0]
    assert ship_row["sales_order_id"] == "SO-000001" and ship_row["shipping_task_id"] == shipped["shipping_task_id"]
    lines = {r["material_id"]: r["quantity"] for r in rows(any_dbs, "genims_tms_db", ShipmentLines)}
    assert lines == {"MAT-000001": Decimal("25"), "MAT-000002": Decimal("3")}
    assert rows(any_dbs, "genims_wms_db", ShippingTasks)[0]["shipment_id"] == shipped["shipment_id"]
    with pytest.raises(DomainError, match="shipped already"):
        warehouse.ship(op, packed["packing_task_id"])
    # every movement queued: 2 putaways (+40, +10) and 2 picks (-25, -3)
    assert queue_sum(any_dbs) == wms_total(any_dbs) == Decimal("22")


def test_ship_with_goods_issue_keeps_erp_and_wms_reconciled(sqlite_dbs):
    from genims_tui.backend.models.erp import SalesOrders
    from genims_tui.backend.services import inventory_sync

    build(sqlite_dbs)
    with sqlite_dbs.begin("genims_erp_db") as conn:
        conn.execute(SalesOrders.__table__.update().values(order_status="confirmed"))
    op, inv = context(sqlite_dbs, "warehouse_operator"), context(sqlite_dbs, "inventory_manager")
    wave = warehouse.create_pick_wave(op, WH, ["SO-000001"])
    for task, qty in zip(wave["picking_task_ids"], ("25", "3"), strict=True):
        warehouse.confirm_pick(op, task, qty)
    packed = warehouse.pack(op, wave["wave_id"], "SO-000001")
    with pytest.raises(PermissionDenied, match="needs write access to genims_erp_db"):
        warehouse.ship(op, packed["packing_task_id"], goods_issue=True)  # refused before anything is written
    assert rows(sqlite_dbs, "genims_tms_db", Shipments) == []
    shipped = warehouse.ship(inv, packed["packing_task_id"], goods_issue=True)
    assert shipped["goods_issue"]["delivery_document"] == shipped["shipment_id"]
    assert (erp_total(sqlite_dbs, "MAT-000001"), erp_total(sqlite_dbs, "MAT-000002")) == (Decimal("15"), Decimal("7"))
    again = warehouse.post_goods_issue(inv, shipped["shipping_task_id"])  # idempotent by the shipment id
    assert again["created"] is False and erp_total(sqlite_dbs, "MAT-000001") == Decimal("15")
    result = inventory_sync.reconcile(inv)
    assert (result["matched"], result["major"]) == (2, 0)


def test_cycle_count_adjustment_posts_erp_and_balanced_gl_once(any_dbs):
    build(any_dbs, stock={"MAT-000001": "40"})
    mgr = context(any_dbs, "warehouse_manager")
    [loss] = warehouse.create_cycle_counts(mgr, WH, material_id="MAT-000001")
    entered = warehouse.enter_count(mgr, loss, "37")
    assert (entered["variance_quantity"], entered["variance_percentage"], entered["recount_required"]) == (
        Decimal("-3"), Decimal("-7.50"), True)
    posted = warehouse.post_count_adjustment(mgr, loss)
    assert posted["amount"] == Decimal("-6.00")  # 3 at the moving average price 2.00
    assert erp_total(any_dbs, "MAT-000001") == wms_total(any_dbs, "MAT-000001") == Decimal("37")
    again = warehouse.post_count_adjustment(mgr, loss)
    assert again["already_posted"] is True
    assert count(any_dbs, "genims_financial_db", JournalEntryHeaders) == 1
    assert count(any_dbs, "genims_erp_db", InventoryTransactions, InventoryTransactions.movement_type == "702") == 1

    [gain] = warehouse.create_cycle_counts(mgr, WH, material_id="MAT-000001")
    assert warehouse.enter_count(mgr, gain, "37.5")["recount_required"] is False  # 1.35 % <= 2 %
    warehouse.post_count_adjustment(mgr, gain)
    assert erp_total(any_dbs, "MAT-000001") == wms_total(any_dbs, "MAT-000001") == Decimal("37.5")
    tb = finance.trial_balance(context(any_dbs))
    assert tb["total_balance"] == 0 and tb["total_debit"] == Decimal("7.00")
    by_code = {a["account_code"]: a["balance"] for a in tb["accounts"]}
    assert by_code == {"1300": Decimal("-5.00"), "5300": Decimal("5.00")}
    assert [r["task_status"] for r in rows(any_dbs, "genims_wms_db", CycleCountTasks)] == ["adjusted", "adjusted"]
    assert queue_sum(any_dbs) == Decimal("37.5")


def test_operator_cannot_post_an_adjustment_and_nothing_changes(sqlite_dbs):
    build(sqlite_dbs, stock={"MAT-000001": "40"})
    op = context(sqlite_dbs, "warehouse_operator")
    [cc] = warehouse.create_cycle_counts(op, WH)
    warehouse.enter_count(op, cc, "30")
    with pytest.raises(PermissionDenied, match="Posting a cycle count adjustment is not allowed"):
        warehouse.post_count_adjustment(op, cc)
    assert erp_total(sqlite_dbs, "MAT-000001") == wms_total(sqlite_dbs) == Decimal("40")
    assert count(sqlite_dbs, "genims_financial_db", JournalEntryHeaders) == 0
    assert rows(sqlite_dbs, "genims_wms_db", CycleCountTasks)[0]["task_status"] == "variance_review"
    viewer = context(sqlite_dbs, "sales_manager")  # WMS read only
    with pytest.raises(PermissionDenied, match="needs write access to genims_wms_db"):
        warehouse.receive(viewer, warehouse_id=WH, material_id="MAT-000001", quantity="1")


_OPS = st.lists(st.tuples(st.sampled_from(["putaway", "pick", "count"]), st.integers(min_value=0, max_value=30)),
                min_size=1, max_size=6)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_every_movement_conserves_stock(sqlite_dbs, ops):
    """Whatever happens, WMS stock == the signed sum of the movements queued for the ERP, and no bin is negative."""
    if count_tables(sqlite_dbs):
        ctx = context(sqlite_dbs)
    else:
        ctx = build(sqlite_dbs, bins=6, capacity="1000", stock={"MAT-000001": "40"})
    for op, n in ops:
        try:
            if op == "putaway" and n:
                add_erp_stock(ctx, "MAT-000001", Decimal(n))
                warehouse.putaway(ctx, warehouse.receive(ctx, warehouse_id=WH, material_id="MAT-000001", quantity=n))
            elif op == "pick":
                with sqlite_dbs.begin("genims_erp_db") as conn:
                    conn.execute(SalesOrderLines.__table__.update().values(order_quantity=Decimal(max(n, 1))))
                wave = warehouse.create_pick_wave(ctx, WH, ["SO-000001"])
                for t in wave["picking_task_ids"]:
                    task = rows(sqlite_dbs, "genims_wms_db", PickingTasks, PickingTasks.picking_task_id == t)[0]
                    warehouse.confirm_pick(ctx, t, min(task["quantity_to_pick"], Decimal(n // 2)))
            elif op == "count":
                for cc in warehouse.create_cycle_counts(ctx, WH, material_id="MAT-000001"):
                    warehouse.enter_count(ctx, cc, n)
                    warehouse.post_count_adjustment(ctx, cc)
        except DomainError:
            pass  # a refused step (nothing to pick, ERP short) changes nothing
        assert wms_total(sqlite_dbs) == queue_sum(sqlite_dbs)
        with sqlite_dbs.connect("genims_wms_db") as conn:
            assert conn.execute(select(func.coalesce(func.min(WarehouseInventory.quantity_on_hand), 0))).scalar() >= 0
            assert conn.execute(select(func.coalesce(func.min(WarehouseInventory.available_quantity), 0))).scalar() >= 0
        assert erp_total(sqlite_dbs, "MAT-000001") >= 0


def count_tables(dbs) -> bool:
    try:
        with dbs.connect("genims_wms_db") as conn:
            return conn.execute(select(func.count()).select_from(WarehouseInventory)).scalar() is not None
    except Exception:  # noqa: BLE001 -- not created yet
        return False


def test_a_pick_confirmed_twice_at_once_moves_stock_once(any_dbs):
    import threading

    build(any_dbs)
    op = context(any_dbs, "warehouse_operator")
    first = warehouse.create_pick_wave(op, WH, ["SO-000001"])["picking_task_ids"][0]
    outcomes: list[str] = []

    def worker():
        try:
            warehouse.confirm_pick(context(any_dbs, "warehouse_operator"), first, "25")
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0].endswith("only an open pick can be confirmed.") and sorted(outcomes)[1] == "ok"
    assert wms_total(any_dbs, "MAT-000001") == Decimal("15") == queue_sum(any_dbs) - Decimal("10")
