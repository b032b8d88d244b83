"""The buyer's workspace, driven by keys on a copy of the seeded console estate (frozen clock): a
requisition becomes a purchase order with the typed quantities and dates, which is submitted,
approved and released; a partial receipt; an RFQ awarded to a PO; an invoice exception approved with
a reason and another rejected. Bad input in each form shows its message and changes nothing; keys a
role lacks are hidden and the services refuse them anyway. Snapshots at 120x40."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from textual.widgets import DataTable, Input, Static

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from genims_tui.backend.access import role_user
from genims_tui.backend.models.erp import (
    GoodsReceipts,
    PurchaseOrderLines,
    PurchaseOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
)
from genims_tui.backend.models.supplier import RfqHeaders, SupplierInvoices
from genims_tui.backend.services import procurement
from genims_tui.backend.services.base import ServiceContext
from genims_tui.screens.buyer import InvoicesView, OrdersView, RequisitionsView, RfqView, SuppliersView, ScoreTrend
from genims_tui.widgets.form import FormScreen
from genims_tui.widgets.paged_table import PagedTable

ERP, SUP = "genims_erp_db", "genims_supplier_db"


async def open_view(pilot, name: str) -> None:
    await settle(pilot)
    await pilot.press(":", *name, "enter")
    await settle(pilot)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def scalar(dbs, database, query):
    with dbs.connect(database) as conn:
        return conn.execute(query).scalar()


def rows(dbs, database, query):
    with dbs.connect(database) as conn:
        return conn.execute(query).all()


def counts(dbs) -> dict[str, int]:
    """What a refused form must leave unchanged."""
    return {
        "po": scalar(dbs, ERP, select(func.count()).select_from(PurchaseOrders)),
        "po_lines": scalar(dbs, ERP, select(func.count()).select_from(PurchaseOrderLines)),
        "gr": scalar(dbs, ERP, select(func.count()).select_from(GoodsReceipts)),
        "open_req_lines": scalar(dbs, ERP, select(func.count()).select_from(PurchaseRequisitionLines)
                                 .where(PurchaseRequisitionLines.line_status == "open")),
        "settled_invoices": scalar(dbs, SUP, select(func.count()).select_from(SupplierInvoices)
                                   .where(SupplierInvoices.invoice_status.in_(("approved", "rejected")))),
        "awarded_rfqs": scalar(dbs, SUP, select(func.count()).select_from(RfqHeaders).where(RfqHeaders.rfq_status == "awarded")),
    }


async def set_field(form: FormScreen, name: str, value: str) -> None:
    form.query_one(f"#field-{name}", Input).value = value


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


def first_open_requisition(dbs) -> tuple[str, list]:
    pr, prl = PurchaseRequisitions, PurchaseRequisitionLines
    req = scalar(dbs, ERP, select(pr.requisition_id).where(pr.overall_status == "open")
                 .order_by(pr.required_date, pr.requisition_id).limit(1))
    lines = rows(dbs, ERP, select(prl.requisition_line_id, prl.material_id, prl.quantity, prl.delivery_date)
                 .where(prl.requisition_id == req, prl.line_status == "open").order_by(prl.line_number))
    return req, lines


def test_requisition_to_released_po_by_keys_with_bad_input_refused(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="procurement_manager")
    today = console_clock().date()
    req_id, req_lines = first_open_requisition(dbs)
    assert len(req_lines) >= 2

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.requisitions")
            view = app.screen.query_one(RequisitionsView)
            table = view.query_one("#requisitions", PagedTable)
            assert table.current_row()[0] == req_id
            await pilot.press("enter")
            await settle(pilot)
            assert view.query_one("#req-lines", DataTable).row_count >= len(req_lines)

            await pilot.press("o")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            intro = text_of(form, "#form-intro")
            assert "Suggested suppliers" in intro and "covers" in intro
            before = counts(dbs)

            # empty supplier: refused at the field, nothing reaches the service
            await save(pilot)
            assert text_of(form, "#error-supplier_id") == "Supplier is required."
            # too long, then unknown: the service's NotFound at the supplier field
            await set_field(form, "supplier_id", "S" * 51)
            await pilot.pause()
            assert "too long" in text_of(form, "#error-supplier_id")
            await set_field(form, "supplier_id", "SUP-999999")
            await save(pilot)
            assert text_of(form, "#error-supplier_id") == "There is no supplier SUP-999999."
            assert app.screen is form
            # a negative quantity and a date in the past are flagged as typed
            await set_field(form, "supplier_id", "SUP-000005")
            await set_field(form, "quantity_1", "-5")
            await set_field(form, "delivery_date_2", "2020-01-01")
            await pilot.pause()
            assert "more than zero" in text_of(form, "#error-quantity_1")
            assert "in the past" in text_of(form, "#error-delivery_date_2")
            await save(pilot)
            assert counts(dbs) == before

            # the good one: typed quantity and date
            await set_field(form, "quantity_1", "150")
            await set_field(form, "delivery_date_2", (today + dt.timedelta(days=20)).isoformat())
            await save(pilot)
            assert not isinstance(app.screen, FormScreen)
            po_id = view.current_po
            assert po_id and "Created " + po_id in view.notice
            await settle(pilot)
            assert po_id in str(view.query_one("#po-panel", Static).render())

            await pilot.press("s")
            await settle(pilot)
            assert scalar(dbs, ERP, select(PurchaseOrders.po_status).where(PurchaseOrders.purchase_order_id == po_id)) == "pending_approval"
            await pilot.press("a")
            await settle(pilot)
            assert scalar(dbs, ERP, select(PurchaseOrders.po_status).where(PurchaseOrders.purchase_order_id == po_id)) == "approved"
            await pilot.press("l")
            await settle(pilot)
            assert "open" in str(view.query_one("#po-panel", Static).render())
            return po_id

    po_id = asyncio.run(drive())
    head = rows(dbs, ERP, select(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po_id))[0]
    assert head.supplier_id == "SUP-000005" and head.po_status == "open" and head.release_indicator
    lines = rows(dbs, ERP, select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po_id)
                 .order_by(PurchaseOrderLines.line_number))
    assert [ln.material_id for ln in lines] == [ln.material_id for ln in req_lines]
    assert lines[0].order_quantity == Decimal("150")
    assert lines[1].delivery_date == today + dt.timedelta(days=20)
    assert [ln.order_quantity for ln in lines[1:]] == [ln.quantity for ln in req_lines[1:]]
    assert all(ln.requisition_id == req_id for ln in lines)
    assert scalar(dbs, ERP, select(PurchaseRequisitions.overall_status)
                  .where(PurchaseRequisitions.requisition_id == req_id)) == "converted"
