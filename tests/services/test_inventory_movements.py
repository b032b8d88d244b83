"""post_movement: the one way ERP stock changes; balances always equal their transactions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.erp import InventoryBalances, InventoryTransactions, Materials
from genims_tui.backend.services.base import ServiceContext
from genims_tui.backend.services.inventory import post_movement, total_stock, transfer_stock_type

DAY = dt.date(2026, 11, 20)
KEY = dict(material_id="MAT-000001", plant_id="FAC-000001", storage_location="RM01", batch_number="B1")


def ctx_of(dbs):
    dbs.create(["genims_erp_db", "genims_console_db"])
    with dbs.begin("genims_erp_db") as conn:
        if conn.execute(select(Materials.material_id)).first() is None:
            conn.execute(Materials.__table__.insert().values(material_id="MAT-000001", material_name="Bolt"))
    return ServiceContext(dbs, clock=lambda: dt.datetime(2026, 11, 20, 9))


def stock_and_ledger(dbs):
    with dbs.connect("genims_erp_db") as conn:
        row = conn.execute(select(InventoryBalances)).first()
        ledger = conn.execute(select(func.sum(InventoryTransactions.quantity))).scalar() or 0
    return (total_stock(row) if row else Decimal(0)), Decimal(str(ledger)), row


def test_receipt_issue_and_refusal(any_dbs):
    ctx = ctx_of(any_dbs)
    with ctx.transaction("genims_erp_db") as conn:
        post_movement(ctx, conn, **KEY, quantity=Decimal("10"), amount=Decimal("25.00"), transaction_type="goods_receipt",
                      movement_type="101", posting_date=DAY)
        issue = post_movement(ctx, conn, **KEY, quantity=Decimal("-4"), transaction_type="goods_issue",
                              movement_type="261", posting_date=DAY)
    assert issue.amount == Decimal("-10.00") and issue.balance_after == Decimal("6")
    with pytest.raises(DomainError, match="Not enough unrestricted stock of MAT-000001"):
        with ctx.transaction("genims_erp_db") as conn:
            post_movement(ctx, conn, **KEY, quantity=Decimal("-7"), transaction_type="goods_issue",
                          movement_type="261", posting_date=DAY)
    stock, ledger, row = stock_and_ledger(any_dbs)
    assert stock == ledger == Decimal("6") and Decimal(str(row.stock_value)) == Decimal("15.00")


def test_transfer_between_stock_types_keeps_total_and_value(sqlite_dbs):
    ctx = ctx_of(sqlite_dbs)
    with ctx.transaction("genims_erp_db") as conn:
        post_movement(ctx, conn, **KEY, quantity=Decimal("5"), amount=Decimal("50.00"), stock_type="quality_inspection",
                      transaction_type="goods_receipt", movement_type="101", posting_date=DAY)
        transfer_stock_type(ctx, conn, **KEY, quantity=Decimal("5"), from_type="quality_inspection",
                            to_type="unrestricted", posting_date=DAY)
    stock, ledger, row = stock_and_ledger(sqlite_dbs)
    assert stock == ledger == Decimal("5")
    assert Decimal(str(row.unrestricted_stock)) == 5 and Decimal(str(row.quality_inspection_stock)) == 0
    assert Decimal(str(row.stock_value)) == Decimal("50.00")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.decimals(min_value=-20, max_value=20, places=2, allow_nan=False, allow_infinity=False)
                      .filter(lambda d: d != 0), min_size=1, max_size=12))
def test_any_sequence_conserves_stock_and_never_goes_negative(sqlite_dbs, moves):
    ctx = ctx_of(sqlite_dbs)
    with ctx.transaction("genims_erp_db") as conn:
        conn.execute(InventoryTransactions.__table__.delete())
        conn.execute(InventoryBalances.__table__.delete())
    for qty in moves:
        try:
            with ctx.transaction("genims_erp_db") as conn:
                post_movement(ctx, conn, **KEY, quantity=qty, amount=qty * 2 if qty > 0 else None,
                              transaction_type="move", movement_type="999", posting_date=DAY)
        except DomainError:
            pass
        stock, ledger, _row = stock_and_ledger(sqlite_dbs)
        assert stock == ledger and stock >= 0


def test_erp_movements_reach_the_sync_queue_once_and_the_snapshot(any_dbs):
    from genims_tui.backend.models.erp_wms_sync import InventorySnapshot, InventorySyncQueue
    from genims_tui.backend.models.master import Factories
    from genims_tui.backend.services.inventory_sync import process_sync_queue, sweep_erp_movements

    ctx = ctx_of(any_dbs)
    any_dbs.create(["genims_erp_wms_sync_db", "genims_wms_db", "genims_master_db"])
    from genims_tui.backend.models.wms import Warehouses

    with any_dbs.begin("genims_master_db") as conn:
        conn.execute(Factories.__table__.insert().values(factory_id="FAC-000001", factory_name="Plant 1"))
    with any_dbs.begin("genims_wms_db") as conn:  # the plant's warehouse: where ERP stock is mirrored
        conn.execute(Warehouses.__table__.insert().values(warehouse_id="WH-000001", plant_id="FAC-000001"))
    with ctx.transaction("genims_erp_db") as conn:
        post_movement(ctx, conn, **KEY, quantity=Decimal("12"), amount=Decimal("24.00"), transaction_type="goods_receipt",
                      movement_type="101", posting_date=DAY)
    assert sweep_erp_movements(ctx) == 1
    assert sweep_erp_movements(ctx) == 0  # already queued: never twice
    with any_dbs.connect("genims_erp_wms_sync_db") as conn:
        items = conn.execute(select(InventorySyncQueue.sync_direction, InventorySyncQueue.quantity)).all()
    assert [(d, Decimal(str(q))) for d, q in items] == [("ERP_TO_WMS", Decimal("12"))]
    run = process_sync_queue(ctx)
    assert run.completed == 1
    with any_dbs.connect("genims_erp_wms_sync_db") as conn:
        snap = conn.execute(select(InventorySnapshot)).one()
    assert Decimal(str(snap.erp_on_hand)) == Decimal("12") and snap.location_id == "FAC-000001"
