"""The sales workspace, driven by keys on a copy of the seeded console estate, then checked in the
database: an order entered with ATP per line and the credit check shown before confirming (the order
exists with the typed lines); bad input (empty, negative, too long, unknown customer or material, a
raw material) shown at its field with nothing saved; a role without ERP write has no order key; a
snapshot of the order form with ATP at 120x40; a held order released, and an order the warehouse
shipped delivered (its goods issue under the shipment id) and invoiced, all by keys."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import func, select
from textual.widgets import DataTable, Input, Static

from console_support import SNAPSHOT_SIZE, console_app, settle
from genims_tui.backend.models.erp import SalesOrderLines, SalesOrders
from genims_tui.screens.sales import SalesOrderForm, SalesOrders as SalesOrdersView
from genims_tui.widgets.paged_table import PagedTable

ERP = "genims_erp_db"


async def open_orders(pilot) -> None:
    await settle(pilot)
    await pilot.press(":", *"sales.orders", "enter")
    await settle(pilot)


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def set_input(form, name: str, value: str) -> None:
    form.query_one(f"#field-{name}", Input).value = value


def order_count(dbs) -> int:
    with dbs.connect(ERP) as conn:
        return conn.execute(select(func.count()).select_from(SalesOrders)).scalar()


def test_enter_an_order_with_atp_and_credit_shown_then_confirm(console_estate_copy):
    dbs = console_estate_copy
    before = order_count(dbs)
    app = console_app(dbs, role="sales_manager")
    seen = {}

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_orders(pilot)
            await keys(pilot, "n")
            form = app.screen
            assert isinstance(form, SalesOrderForm)
            # empty: the required fields say so, nothing reaches the service
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-customer_id") == "Customer is required."
            assert text_of(form, "#error-line1_material") == "Line 1 material is required."
            # too long, negative: flagged as typed
            await keys(pilot, *("C" * 51))
            assert "too long" in text_of(form, "#error-customer_id")
            set_input(form, "line1_quantity", "-5")
            await settle(pilot)
            assert text_of(form, "#error-line1_quantity") == "Line 1 quantity must be more than zero."
            # unknown customer: the service's message at the customer field
            set_input(form, "customer_id", "CUST-999999")
            set_input(form, "line1_material", "MAT-000001")
            set_input(form, "line1_quantity", "5")
            await keys(pilot, "ctrl+s")
            assert "There is no customer CUST-999999" in text_of(form, "#error-customer_id")
            # unknown material and a raw material on line 2: at that line's material field
            set_input(form, "customer_id", "CUST-000001")
            set_input(form, "line2_material", "MAT-999999")
            set_input(form, "line2_quantity", "1")
            await keys(pilot, "ctrl+s")
            assert "there is no material MAT-999999" in text_of(form, "#error-line2_material")
            set_input(form, "line2_material", "MAT-000131")
            await keys(pilot, "ctrl+s")
            assert "not a sellable finished good" in text_of(form, "#error-line2_material")
            # half a line: the missing quantity is named
            set_input(form, "line2_material", "MAT-000002")
            set_input(form, "line2_quantity", "")
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-line2_quantity") == "Line 2 needs a quantity."
            assert order_count(dbs) == before
            # a good order: the check shows ATP per line and the credit result, nothing saved yet
            set_input(form, "line2_quantity", "3")
            set_input(form, "line2_date", "2026-06-15")
            await keys(pilot, "ctrl+s")
            preview = form.query_one("#preview-lines", DataTable)
            assert preview.row_count == 2
            assert [str(c.label) for c in preview.columns.values()][4:6] == ["ATP at date", "ATP date"]
            assert "Credit check passed" in text_of(form, "#credit")
            assert "Confirm order" in str(form.query_one("#submit").label)
            assert app.screen is form and order_count(dbs) == before
            seen["atp"] = form.preview.lines[0]["atp_quantity"]
            # ctrl+s again confirms
            await keys(pilot, "ctrl+s")
            assert not isinstance(app.screen, SalesOrderForm)
            view = app.screen.query_one(SalesOrdersView)
            seen["status"] = text_of(view, "#view-status")
            assert app.screen.query_one("#lines", DataTable).row_count == 2

    asyncio.run(drive())
    assert order_count(dbs) == before + 1
    with dbs.connect(ERP) as conn:
        so = conn.execute(select(SalesOrders).order_by(SalesOrders.sales_order_id.desc()).limit(1)).first()
        lines = conn.execute(select(SalesOrderLines).where(SalesOrderLines.sales_order_id == so.sales_order_id)
                             .order_by(SalesOrderLines.line_number)).all()
    assert so.customer_id == "CUST-000001" and so.order_status == "confirmed" and so.credit_check_status == "passed"
    assert [(ln.material_id, ln.order_quantity) for ln in lines] == [("MAT-000001", Decimal("5")), ("MAT-000002", Decimal("3"))]
    assert str(lines[1].requested_delivery_date) == "2026-06-15"
    assert lines[0].atp_quantity == seen["atp"] == 5
    assert so.sales_order_id in seen["status"] and "confirmed" in seen["status"]


def test_changing_a_field_after_the_check_asks_for_a_new_check(console_estate_copy):
    dbs = console_estate_copy
    before = order_count(dbs)
    app = console_app(dbs, role="sales_rep")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_orders(pilot)
            await keys(pilot, "n")
            form = app.screen
            set_input(form, "customer_id", "CUST-000002")
            set_input(form, "line1_material", "MAT-000001")
            set_input(form, "line1_quantity", "2")
            await keys(pilot, "ctrl+s")
            assert "Confirm order" in str(form.query_one("#submit").label)
            set_input(form, "line1_quantity", "4")
            await settle(pilot)
            assert "Check ATP" in str(form.query_one("#submit").label)
            await keys(pilot, "ctrl+s")  # checks again, saves nothing
            assert app.screen is form and order_count(dbs) == before
            assert form.preview.lines[0]["quantity"] == 4
            await keys(pilot, "escape")  # cancel: nothing saved
            assert not isinstance(app.screen, SalesOrderForm)

    asyncio.run(drive())
    assert order_count(dbs) == before


def test_a_role_without_erp_write_cannot_enter_or_deliver(console_estate):
    app = console_app(console_estate, role="cust_service_rep")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_orders(pilot)
            view = app.screen.query_one(SalesOrdersView)
            assert view.query_one("#orders", PagedTable).page.rows
            for action in ("new_order", "release", "deliver", "invoice"):
                assert view.check_action(action, ()) is False
            await keys(pilot, "n")
            assert not isinstance(app.screen, SalesOrderForm)
            await keys(pilot, "enter")
            assert view.order_id and view.query_one("#lines", DataTable).row_count >= 1

    asyncio.run(drive())


def test_snapshot_order_form_with_atp(console_estate, snap_compare):
    async def run_before(pilot):
        await open_orders(pilot)
        await keys(pilot, "n")
        form = pilot.app.screen
        set_input(form, "customer_id", "CUST-000001")
        set_input(form, "line1_material", "MAT-000001")
        set_input(form, "line1_quantity", "5")
        set_input(form, "line2_material", "MAT-000002")
        set_input(form, "line2_quantity", "500")
        set_input(form, "line2_date", "2026-06-10")
        await keys(pilot, "ctrl+s")

    assert snap_compare(console_app(console_estate, role="sales_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=run_before)


def test_release_a_hold_then_deliver_a_shipped_order_and_invoice_it_by_keys(console_estate_copy):
    from console_support import console_clock
    from genims_tui.backend.access import role_user
    from genims_tui.backend.models.erp import InventoryBalances, InventoryTransactions
    from genims_tui.backend.models.financial import JournalEntryHeaders
    from genims_tui.backend.services import sales, warehouse
    from genims_tui.backend.services.base import ServiceContext

    dbs = console_estate_copy
    seller = ServiceContext(dbs, role_user("sales_manager"), console_clock)
    held = sales.create_sales_order(seller, "CUST-000005", [{"material_id": "MAT-000001", "quantity": "1500"}])
    assert held.order_status == "on_hold"
    shipped = sales.create_sales_order(seller, "CUST-000001", [{"material_id": "MAT-000001", "quantity": "5"}])
    # the warehouse ships it without the ERP goods issue (its roles read the ERP only)
    wh = ServiceContext(dbs, role_user("warehouse_manager"), console_clock)
    wave = warehouse.create_pick_wave(wh, "WH-000001", [shipped.sales_order_id])
    for task in wave["picking_task_ids"]:
        warehouse.confirm_pick(wh, task, "5")
    pack = warehouse.pack(wh, wave["wave_id"], shipped.sales_order_id)
    shipment = warehouse.ship(wh, pack["packing_task_id"])["shipment_id"]
    ib = InventoryBalances

    def erp_stock():
        with dbs.connect(ERP) as conn:
            return conn.execute(select(func.sum(ib.unrestricted_stock)).where(ib.material_id == "MAT-000001")).scalar()

    stock_before = erp_stock()
    app = console_app(dbs, role="sales_manager")
    messages = {}

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_orders(pilot)
            view = app.screen.query_one(SalesOrdersView)
            # h on an order that is not held: refused with the reason, nothing asked
            await keys(pilot, "slash", *f"order={shipped.sales_order_id}", "enter")
            await keys(pilot, "h")
            assert "is not on credit hold" in text_of(view, "#view-status")
            await keys(pilot, "slash", "ctrl+a", "ctrl+k", *f"order={held.sales_order_id}", "enter")
            await keys(pilot, "h")
            form = app.screen
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-reason") == "Reason is required."
            await keys(pilot, *"prepayment received", "ctrl+s")
            await keys(pilot, "y")
            messages["release"] = text_of(view, "#view-status")
            await keys(pilot, "slash", "ctrl+a", "ctrl+k", *f"order={shipped.sales_order_id}", "enter")
            await keys(pilot, "d")
            await keys(pilot, "y")
            messages["deliver"] = text_of(view, "#view-status")
            await keys(pilot, "i")
            await keys(pilot, "y")
            messages["invoice"] = text_of(view, "#view-status")

    asyncio.run(drive())
    assert f"{held.sales_order_id} released" in messages["release"]
    assert f"goods issue of {shipment} posted" in messages["deliver"]
    assert f"{shipped.sales_order_id} invoiced" in messages["invoice"]
    with dbs.connect(ERP) as conn:
        h = conn.execute(select(SalesOrders).where(SalesOrders.sales_order_id == held.sales_order_id)).first()
        s = conn.execute(select(SalesOrders).where(SalesOrders.sales_order_id == shipped.sales_order_id)).first()
        issued = conn.execute(select(func.sum(InventoryTransactions.quantity)).where(
            InventoryTransactions.material_document == shipment)).scalar()
    assert (h.order_status, h.credit_check_status) == ("confirmed", "released")
    assert s.overall_delivery_status == "fully_delivered" and s.overall_billing_status == "invoiced"
    assert issued == -5 and erp_stock() == stock_before - 5
    with dbs.connect("genims_financial_db") as conn:
        sources = dict(conn.execute(select(JournalEntryHeaders.source_type, JournalEntryHeaders.total_debit).where(
            JournalEntryHeaders.source_document_id.in_([shipment, shipped.sales_order_id]))).all())
    assert sources.get("goods_delivery", 0) > 0 and sources.get("sales_invoice", 0) > 0
