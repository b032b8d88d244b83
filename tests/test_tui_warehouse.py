"""The warehouse workspace, driven by keys on a copy of the seeded console estate, then checked in the
database: a cycle count entered and its adjustment posted (bin stock changed by the variance, the
movement recorded, ERP stock moved and the GL entry balanced); a putaway into the suggested bin; a
pick wave through picking, packing and shipping; a reconciliation run and a material drilled into;
bad input in each form (nothing changes) and a role without the permission; snapshots at 120x40;
and the read modules (warehouse_views, sales_views) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import func, select
from textual.widgets import DataTable, Input, Static

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from genims_tui.backend.access import role_user
from genims_tui.backend.models.erp import InventoryTransactions, SalesOrders
from genims_tui.backend.models.erp_wms_sync import InventoryReconciliationHeaders
from genims_tui.backend.models.financial import JournalEntryHeaders, JournalEntryLines
from genims_tui.backend.models.tms import ShipmentLines, Shipments
from genims_tui.backend.models.wms import (
    CycleCountTasks,
    PackingTasks,
    PickingTasks,
    PutawayTasks,
    ReceivingTasks,
    ShippingTasks,
    WarehouseInventory,
    WarehouseMovements,
)
from genims_tui.backend.services import sales, warehouse
from genims_tui.backend.services.base import ServiceContext
from genims_tui.screens.warehouse import CycleCounts, Picking, Reconciliation, WarehouseStock
from genims_tui.widgets.form import FormScreen
from genims_tui.widgets.paged_table import PagedTable

WMS, ERP, FIN, TMS, SYNC = ("genims_wms_db", "genims_erp_db", "genims_financial_db", "genims_tms_db",
                            "genims_erp_wms_sync_db")
COUNT = "CC-000043"  # scheduled in the seeded estate: WH-000002 / BIN-000053, MAT-000118, expected 10


async def open_view(pilot, name: str) -> None:
    await settle(pilot)
    await pilot.press(":", *name, "enter")
    await settle(pilot)


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def filter_to(pilot, text: str) -> None:
    await keys(pilot, "slash", *text, "enter")


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def status(pilot, view_type) -> str:
    return text_of(pilot.app.screen.query_one(view_type), "#view-status")


def one(dbs, database: str, stmt):
    with dbs.connect(database) as conn:
        return conn.execute(stmt).first()


def scalar(dbs, database: str, stmt):
    with dbs.connect(database) as conn:
        return conn.execute(stmt).scalar()


def bin_quantity(dbs, bin_id: str, material_id: str) -> Decimal:
    wi = WarehouseInventory
    return Decimal(str(scalar(dbs, WMS, select(func.coalesce(func.sum(wi.quantity_on_hand), 0))
                                   .where(wi.bin_id == bin_id, wi.material_id == material_id))))


def set_input(form, name: str, value: str) -> None:
    form.query_one(f"#field-{name}", Input).value = value


# -- cycle count --------------------------------------------------------------------------------------------


def test_cycle_count_entered_and_adjustment_posted_by_keys(console_estate_copy):
    dbs = console_estate_copy
    task = one(dbs, WMS, select(CycleCountTasks).where(CycleCountTasks.cycle_count_id == COUNT))
    assert task.task_status == "scheduled"
    before = bin_quantity(dbs, task.bin_id, task.material_id)
    counted = task.expected_quantity - 2
    app = console_app(dbs, role="warehouse_manager")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "wh.counts")
            await filter_to(pilot, f"count={COUNT}")
            await keys(pilot, "e")
            form = app.screen
            assert isinstance(form, FormScreen)
            # bad input: empty, negative, not a number - each message at the field, nothing saved
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-counted_quantity") == "Counted quantity is required."
            await keys(pilot, *"-1")
            assert text_of(form, "#error-counted_quantity") == "Counted quantity must be at least 0."
            set_input(form, "counted_quantity", "x1")
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-counted_quantity") == "Counted quantity must be a number."
            assert app.screen is form
            set_input(form, "counted_quantity", f"{counted.normalize():f}")
            await keys(pilot, "ctrl+s")
            assert not isinstance(app.screen, FormScreen)
            assert "variance -2" in status(pilot, CycleCounts)
            # the variance is shown in the list
            _key, row = app.screen.query_one("#counts", PagedTable).current_row()
            assert row["status"] == "variance_review" and row["variance"] == Decimal("-2")
            await keys(pilot, "p")
            await keys(pilot, "y")  # confirm the posting
            assert f"{COUNT} posted" in status(pilot, CycleCounts)

    asyncio.run(drive())
    task = one(dbs, WMS, select(CycleCountTasks).where(CycleCountTasks.cycle_count_id == COUNT))
    assert task.task_status == "adjusted" and task.counted_quantity == counted
    assert bin_quantity(dbs, task.bin_id, task.material_id) == before - 2
    mv = WarehouseMovements
    moved = one(dbs, WMS, select(mv).where(mv.reference_document_id == COUNT))
    assert moved.movement_type == "cycle_count_adjustment" and moved.quantity == 2 and moved.from_bin_id == task.bin_id
    it = InventoryTransactions
    erp = one(dbs, ERP, select(func.sum(it.quantity)).where(it.transaction_id.like(f"ADJ-{COUNT}-%")))
    assert erp[0] == Decimal("-2")
    je = one(dbs, FIN, select(JournalEntryHeaders).where(JournalEntryHeaders.source_type == "cycle_count",
                                                         JournalEntryHeaders.source_document_id == COUNT))
    assert je is not None
    debit, credit = one(dbs, FIN, select(func.sum(JournalEntryLines.debit_amount), func.sum(JournalEntryLines.credit_amount))
                        .where(JournalEntryLines.journal_entry_id == je.journal_entry_id))
    assert debit == credit > 0


def test_operator_cannot_post_an_adjustment_and_nothing_changes(console_estate_copy):
    dbs = console_estate_copy
    cc = CycleCountTasks
    review = one(dbs, WMS, select(cc).where(cc.task_status == "variance_review").order_by(cc.cycle_count_id))
    before = bin_quantity(dbs, review.bin_id, review.material_id)
    app = console_app(dbs, role="warehouse_operator")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "wh.counts")
            view = app.screen.query_one(CycleCounts)
            assert view.check_action("post", ()) is False and view.check_action("enter_count", ()) is True
            await filter_to(pilot, f"count={review.cycle_count_id}")
            await keys(pilot, "p")
            assert not isinstance(app.screen, FormScreen) and type(app.screen).__name__ != "ConfirmScreen"
            # the service refuses as well, whatever the screen shows
            view.run_service(warehouse.post_count_adjustment, review.cycle_count_id)
            await settle(pilot)
            assert "inventory.adjust" in status(pilot, CycleCounts) or "Inventory Manager" in status(pilot, CycleCounts)

    asyncio.run(drive())
    assert one(dbs, WMS, select(cc.task_status).where(cc.cycle_count_id == review.cycle_count_id))[0] == "variance_review"
    assert bin_quantity(dbs, review.bin_id, review.material_id) == before


# -- receiving -> putaway -------------------------------------------------------------------------------------


def test_receive_and_putaway_into_the_suggested_bin_with_bad_input_refused(console_estate_copy):
    dbs = console_estate_copy
    rt, pt = ReceivingTasks, PutawayTasks
    receipts_before = scalar(dbs, WMS, select(func.count()).select_from(rt))
    app = console_app(dbs, role="warehouse_operator")
    seen: dict[str, str] = {}

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "wh.receiving")
            await keys(pilot, "r")
            form = app.screen
            assert isinstance(form, FormScreen)
            await keys(pilot, "tab", *"MAT-999999", "tab", *"10", "ctrl+s")
            assert "MAT-999999 does not exist" in text_of(form, "#error-material_id")
            set_input(form, "material_id", "MAT-000001")
            set_input(form, "quantity", "-4")
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-quantity") == "Quantity received must be more than zero."
            set_input(form, "batch_number", "B" * 51)
            await keys(pilot, "ctrl+s")
            assert "too long" in text_of(form, "#error-batch_number")
            assert scalar(dbs, WMS, select(func.count()).select_from(rt)) == receipts_before
            set_input(form, "quantity", "10")
            set_input(form, "batch_number", "")
            await keys(pilot, "ctrl+s")
            assert not isinstance(app.screen, FormScreen)
            task_id = scalar(dbs, WMS, select(func.max(rt.receiving_task_id)))
            seen["task"] = task_id
            ctx = ServiceContext(dbs, role_user("warehouse_operator"), console_clock)
            seen["suggested"] = warehouse.suggest_bin(ctx, "WH-000001", "MAT-000001", Decimal("10"))
            assert seen["suggested"]
            # the new task is the first row (newest first); p opens the putaway form on the suggested bin
            key, _row = app.screen.query_one("#receiving", PagedTable).current_row()
            assert key == task_id
            await keys(pilot, "p")
            form = app.screen
            assert isinstance(form, FormScreen)
            assert form.query_one("#field-bin_id", Input).value == seen["suggested"]
            # an unknown bin and a bin over its capacity: refused at the bin field, nothing put away
            set_input(form, "bin_id", "BIN-999999")
            await keys(pilot, "ctrl+s")
            assert "BIN-999999 is not a bin of warehouse WH-000001" in text_of(form, "#error-bin_id")
            set_input(form, "bin_id", "BIN-000003")  # a full forward-pick bin
            await keys(pilot, "ctrl+s")
            assert "exceeds its capacity" in text_of(form, "#error-bin_id")
            set_input(form, "quantity", "11")
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-quantity") == "At most 10 is left to put away."
            assert scalar(dbs, WMS, select(func.count()).select_from(pt).where(pt.receiving_task_id == task_id)) == 0
            set_input(form, "bin_id", seen["suggested"])
            set_input(form, "quantity", "10")
            await keys(pilot, "ctrl+s")
            assert not isinstance(app.screen, FormScreen)
            assert f"put away into {seen['suggested']}" in text_of(app.screen.query_one("Receiving"), "#view-status")

    before = bin_quantity(dbs, "BIN-000003", "MAT-000001")
    asyncio.run(drive())
    put = one(dbs, WMS, select(pt).where(pt.receiving_task_id == seen["task"]))
    assert put.to_bin_id == seen["suggested"] and put.quantity == 10 and put.putaway_strategy == "suggested"
    assert bin_quantity(dbs, "BIN-000003", "MAT-000001") == before
    mv = WarehouseMovements
    assert one(dbs, WMS, select(mv.to_bin_id).where(mv.reference_document_id == put.putaway_task_id))[0] == seen["suggested"]


# -- pick wave -> picks -> packing -> shipping ---------------------------------------------------------------------


def test_pick_wave_through_shipping_by_keys(console_estate_copy):
    dbs = console_estate_copy
    seller = ServiceContext(dbs, role_user("sales_manager"), console_clock)
    order = sales.create_sales_order(seller, "CUST-000001", [{"material_id": "MAT-000001", "quantity": "5"}])
    assert order.order_status == "confirmed" and order.lines[0].atp_quantity == 5
    so_id = order.sales_order_id
    wi = WarehouseInventory
    stock_before = Decimal(str(scalar(dbs, WMS, select(func.sum(wi.quantity_on_hand)).where(
        wi.warehouse_id == "WH-000001", wi.material_id == "MAT-000001"))))
    app = console_app(dbs, role="warehouse_manager")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "wh.picking")
            await keys(pilot, "n")
            form = app.screen
            assert isinstance(form, FormScreen)
            await keys(pilot, "tab", *"SO-999999", "ctrl+s")
            assert "SO-999999 does not exist" in text_of(form, "#error-sales_order_ids")
            set_input(form, "sales_order_ids", "")
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-sales_order_ids") == "Sales orders is required."
            set_input(form, "sales_order_ids", so_id)
            await keys(pilot, "ctrl+s")
            assert not isinstance(app.screen, FormScreen)
            view = app.screen.query_one(Picking)
            assert view.detail is not None and view.detail["orders"][0]["stage"] == "picking"
            picks = view.detail["picks"]
            assert len(picks) == 1 and picks[0]["quantity_to_pick"] == 5
            # confirm the pick: more than asked is refused at the field; the full quantity is fine
            await keys(pilot, "c")
            form = app.screen
            assert isinstance(form, FormScreen)
            set_input(form, "quantity_picked", "6")
            await keys(pilot, "ctrl+s")
            assert "no more can be picked" in text_of(form, "#error-quantity_picked")
            set_input(form, "quantity_picked", "5")
            await keys(pilot, "ctrl+s")
            assert view.detail["orders"][0]["stage"] == "ready to pack"
            await keys(pilot, "k")
            assert view.detail["orders"][0]["stage"] == "packed"
            await keys(pilot, "g")
            assert view.detail["orders"][0]["stage"] == "shipped"
            assert "ERP goods issue left to an ERP user" in status(pilot, Picking)
            assert view.query_one("#orders", DataTable).row_count == 1

    asyncio.run(drive())
    pick = one(dbs, WMS, select(PickingTasks).where(PickingTasks.sales_order_id == so_id))
    assert pick.task_status == "completed" and pick.quantity_picked == 5
    pack = one(dbs, WMS, select(PackingTasks).where(PackingTasks.sales_order_id == so_id))
    assert pack.shipment_id
    ship = one(dbs, WMS, select(ShippingTasks).where(ShippingTasks.sales_order_id == so_id))
    assert ship.task_status == "shipped" and ship.shipment_id == pack.shipment_id
    assert one(dbs, TMS, select(Shipments.sales_order_id).where(Shipments.shipment_id == pack.shipment_id))[0] == so_id
    assert one(dbs, TMS, select(func.sum(ShipmentLines.quantity)).where(ShipmentLines.shipment_id == pack.shipment_id))[0] == 5
    assert Decimal(str(scalar(dbs, WMS, select(func.sum(wi.quantity_on_hand)).where(
        wi.warehouse_id == "WH-000001", wi.material_id == "MAT-000001")))) == stock_before - 5
    # the warehouse manager reads the ERP only: the goods issue is left to an ERP user
    assert one(dbs, ERP, select(SalesOrders.order_status).where(SalesOrders.sales_order_id == so_id))[0] == "confirmed"


# -- reconciliation ---------------------------------------------------------------------------------------------


def test_reconcile_now_and_drill_into_a_material(console_estate_copy):
    dbs = console_estate_copy
    h = InventoryReconciliationHeaders
    runs_before = scalar(dbs, SYNC, select(func.count()).select_from(h))
    app = console_app(dbs, role="warehouse_manager")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "wh.reconcile")
            view = app.screen.query_one(Reconciliation)
            assert "matched" in text_of(view, "#rec-summary")
            await keys(pilot, "c")
            assert "Reconciled" in status(pilot, Reconciliation)
            summary = text_of(view, "#rec-summary")
            assert "FAC-000001" in summary and "major" in summary
            await keys(pilot, "enter")
            assert view.material_id and view.has_class("-material")
            assert view.query_one("#mat-plants", DataTable).row_count >= 1
            assert view.material_id in text_of(view, "#mat-caption")
            await keys(pilot, "escape")
            assert not view.has_class("-material")

    asyncio.run(drive())
    assert scalar(dbs, SYNC, select(func.count()).select_from(h)) > runs_before


def test_stock_drill_down_and_back(console_estate):
    app = console_app(console_estate, role="warehouse_supervisor")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "wh.stock")
            view = app.screen.query_one(WarehouseStock)
            table = view.query_one("#stock", PagedTable)
            assert table.page.columns[:3] == ["warehouse", "name", "plant"] and len(table.page.rows) == 4
            for expected in ("zones", "bins", "stock"):
                if expected == "bins":
                    await keys(pilot, "down")  # past the receiving zone to a storage zone
                await keys(pilot, "enter")
                assert view.stack[-1][0] == expected
            assert table.page.columns[:2] == ["inventory", "material"] and table.page.rows
            await keys(pilot, "escape", "escape", "escape")
            assert view.stack == [("warehouses", None)] and table.page.columns[0] == "warehouse"

    asyncio.run(drive())


# -- snapshots ----------------------------------------------------------------------------------------------------


def test_snapshot_stock(console_estate, snap_compare):
    async def run_before(pilot):
        await open_view(pilot, "wh.stock")

    assert snap_compare(console_app(console_estate, role="warehouse_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=run_before)


def test_snapshot_count_entry(console_estate, snap_compare):
    async def run_before(pilot):
        await open_view(pilot, "wh.counts")
        await filter_to(pilot, f"count={COUNT}")
        await keys(pilot, "e", *"7", "tab")  # focus on Save: no blinking cursor in the picture

    assert snap_compare(console_app(console_estate, role="warehouse_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=run_before)


def test_snapshot_receiving(console_estate, snap_compare):
    async def run_before(pilot):
        await open_view(pilot, "wh.receiving")
        assert pilot.app.screen.query_one("#receiving", PagedTable).page.rows

    assert snap_compare(console_app(console_estate, role="warehouse_operator"), terminal_size=SNAPSHOT_SIZE,
                        run_before=run_before)


def test_snapshot_picking_wave_detail(console_estate, snap_compare):
    async def run_before(pilot):
        await open_view(pilot, "wh.picking")
        await keys(pilot, "enter")  # the newest wave: its picks and its orders' stage
        assert pilot.app.screen.query_one(Picking).detail["picks"]

    assert snap_compare(console_app(console_estate, role="warehouse_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=run_before)


# -- the read side on SQLite and PostgreSQL ----------------------------------------------------------------


def test_warehouse_and_sales_read_side_on_every_backend(any_dbs):
    from genims_tui.backend import sales_views as sv
    from genims_tui.backend import warehouse_views as wv
    from genims_tui.backend.browse import PageQuery
    from genims_tui.backend.services import inventory_sync
    from services.warehouse_data import WH, build, context

    build(any_dbs)  # MAT-000001 40 and MAT-000002 10 in the ERP and put away in WH-000001
    user = role_user("admin")
    manager = context(any_dbs, "warehouse_manager")
    counts = warehouse.create_cycle_counts(manager, WH)
    warehouse.enter_count(manager, counts[0], "38")
    wave = warehouse.create_pick_wave(manager, WH, ["SO-000001"])
    inventory_sync.reconcile(manager)
    pq = PageQuery(limit=10)

    top = wv.stock_page(any_dbs, user, pq)
    assert top.keys == [WH] and dict(zip(top.columns, top.rows[0]))["on_hand"] == 50
    zones = wv.stock_page(any_dbs, user, pq, "zones", WH)
    storage = next(r for r in zones.rows if dict(zip(zones.columns, r))["on_hand"] == 50)
    bins = wv.stock_page(any_dbs, user, pq, "bins", storage[0])
    assert sum(dict(zip(bins.columns, r))["on_hand"] for r in bins.rows) == 50
    stock = wv.stock_page(any_dbs, user, PageQuery(limit=10, filter_text="material=MAT-000002"), "stock", bins.keys[0])
    assert all(dict(zip(stock.columns, r))["material"] == "MAT-000002" for r in stock.rows)

    received = wv.receiving_page(any_dbs, user, pq)
    assert {dict(zip(received.columns, r))["open"] for r in received.rows} == {0}
    waves = wv.waves_page(any_dbs, user, pq)
    assert waves.keys == [wave["wave_id"]]
    detail = wv.wave_detail(any_dbs, user, wave["wave_id"])
    assert detail["orders"][0]["stage"] == "picking" and len(detail["picks"]) == len(wave["picking_task_ids"])
    listed = wv.counts_page(any_dbs, user, PageQuery(limit=10, filter_text=f"count={counts[0]}"))
    row = dict(zip(listed.columns, listed.rows[0]))
    assert row["status"] == "variance_review" and row["variance"] == -2
    work = wv.workload(any_dbs, user)
    assert work["open_waves"] == 1 and work["to_post"] == 1 and work["to_count"] == len(counts) - 1

    latest = wv.latest_reconciliation(any_dbs, user)
    assert latest["matched"] == 2 and latest["minor"] == latest["major"] == 0
    lines = wv.reconciliation_lines_page(any_dbs, user, latest["reconciliation_ids"], pq)
    assert sorted(dict(zip(lines.columns, r))["material"] for r in lines.rows) == ["MAT-000001", "MAT-000002"]
    material = wv.material_detail(any_dbs, user, "MAT-000001")
    assert material["plants"][0]["erp"] == material["plants"][0]["wms"] == 40 and material["wms_movements"]

    orders = sv.orders_page(any_dbs, user, pq)
    assert orders.keys == ["SO-000001"] and dict(zip(orders.columns, orders.rows[0]))["ordered"] == 29
    assert [ln["material_id"] for ln in sv.order_lines(any_dbs, user, "SO-000001")] == ["MAT-000001", "MAT-000002"]
    assert sv.order_counts(any_dbs, user) == {"released": 1}
