"""The buyer's workspace, driven by keys on a copy of the seeded console estate (frozen clock): a
requisition becomes a purchase order with the typed quantities and dates, which is submitted,
approved and released; a partial receipt; an RFQ awarded to a PO; an invoice exception approved with
a reason and another rejected. Bad input in each form shows its message and changes nothing; keys a
role lacks are hidden and the services refuse them anyway. Snapshots at 120x40."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from sqlalchemy import func, select
from textual.widgets import DataTable, Input, Static

from genims_tui.backend.access import role_user
from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.erp import (
    GoodsReceipts,
    PurchaseOrderLines,
    PurchaseOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
)
from genims_tui.backend.models.supplier import RfqHeaders, RfqResponses, SupplierInvoiceLines, SupplierInvoices
from genims_tui.backend.services import procurement
from genims_tui.backend.services.base import ServiceContext
from genims_tui.screens.buyer import InvoicesView, OrdersView, RequisitionsView, RfqView, ScoreTrend, SuppliersView
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


def status_of(dbs, po_id: str) -> str:
    return scalar(dbs, ERP, select(PurchaseOrders.po_status).where(PurchaseOrders.purchase_order_id == po_id))


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
            assert status_of(dbs, po_id) == "pending_approval"
            await pilot.press("a")
            await settle(pilot)
            assert status_of(dbs, po_id) == "approved"
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


def approval_of(dbs, requisition_id: str) -> str:
    return scalar(dbs, ERP, select(PurchaseRequisitions.approval_status)
                  .where(PurchaseRequisitions.requisition_id == requisition_id))


def test_requisition_pending_approval_approved_by_keys_then_ordered_and_hidden_for_a_reader(console_estate_copy):
    dbs = console_estate_copy
    ctx = ServiceContext(dbs, role_user("procurement_manager"), clock=console_clock)
    req_id = procurement.create_requisition(ctx, "FAC-000001", [{"material_id": "MAT-000106", "quantity": "40"}],
                                            required_date=console_clock().date() + dt.timedelta(days=30))
    assert approval_of(dbs, req_id) == "pending"
    before = counts(dbs)

    async def as_coordinator() -> None:  # ERP read only: the key is hidden and the service says no
        app = console_app(dbs, role="supplier_coordinator")
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.requisitions")
            view = app.screen.query_one(RequisitionsView)
            await pilot.press("/", *f"requisition={req_id}", "enter")
            await settle(pilot)
            assert view.check_action("approve_requisition", ()) is False
            assert "v" not in {k for k, b in app.screen.active_bindings.items() if b.enabled}
            await pilot.press("v")
            await settle(pilot)
            view.action_approve_requisition()
            await settle(pilot)
            assert "needs write access to genims_erp_db" in str(view.status().render())

    async def as_buyer() -> None:
        app = console_app(dbs, role="procurement_manager")
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.requisitions")
            view = app.screen.query_one(RequisitionsView)
            table = view.query_one("#requisitions", PagedTable)
            await pilot.press("/", *f"requisition={req_id}", "enter")
            await settle(pilot)
            assert table.current_row()[1]["approval"] == "pending"
            # not approved yet: o says what to do instead of opening a form the service would refuse
            await pilot.press("o")
            await settle(pilot)
            assert not isinstance(app.screen, FormScreen)
            assert "not approved (status pending); v approves it first" in str(view.status().render())
            await pilot.press("v")
            await settle(pilot)
            assert view.notice == f"{req_id} approved"
            assert table.current_row()[1]["approval"] == "approved"
            await pilot.press("v")  # twice: said, nothing changes
            await settle(pilot)
            assert "approved already" in str(view.status().render())
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, FormScreen)
            await pilot.press("escape")
            await settle(pilot)

    asyncio.run(as_coordinator())
    assert approval_of(dbs, req_id) == "pending" and counts(dbs) == before
    asyncio.run(as_buyer())
    assert approval_of(dbs, req_id) == "approved" and counts(dbs) == before
    with dbs.connect(ERP) as conn:
        approved_at = conn.execute(select(PurchaseRequisitions.approved_at)
                                   .where(PurchaseRequisitions.requisition_id == req_id)).scalar()
    assert approved_at is not None


def po_lines_of(dbs, po_id):
    return rows(dbs, ERP, select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po_id)
                .order_by(PurchaseOrderLines.line_number))


def test_partial_receipt_by_keys_and_the_receipt_rules_at_the_field(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="procurement_manager")
    po = PurchaseOrders
    # a released PO with an open line, and a closed one
    open_po = scalar(dbs, ERP, select(po.purchase_order_id).where(po.po_status.in_(("open", "partially_received")),
                                                                  po.release_indicator.is_(True))
                     .order_by(po.purchase_order_id.desc()).limit(1))
    closed_po = scalar(dbs, ERP, select(po.purchase_order_id).where(po.po_status == "closed").limit(1))
    assert open_po and closed_po
    lines_before = po_lines_of(dbs, open_po)
    first_open = next(n for n, ln in enumerate(lines_before, 1) if ln.received_quantity < ln.order_quantity)
    target = lines_before[first_open - 1]

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.orders")
            view = app.screen.query_one(OrdersView)
            table = view.query_one("#orders", PagedTable)
            # the filter box takes letters that are action keys elsewhere (s, a, l, r)
            await pilot.press("/", *f"po={open_po}", "enter")
            await settle(pilot)
            assert table.current_row()[0] == open_po
            await pilot.press("enter")
            await settle(pilot)
            assert view.query_one("#po-lines", DataTable).row_count == len(lines_before)

            await pilot.press("r")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            before = counts(dbs)
            # nothing typed: refused at the first line
            await save(pilot)
            assert "at least one line" in text_of(form, "#error-quantity_1")
            # negative, over the tolerance (flagged as typed), a delivery note too long
            await set_field(form, f"quantity_{first_open}", "-5")
            await pilot.pause()
            assert "at least 0" in text_of(form, f"#error-quantity_{first_open}")
            await set_field(form, f"quantity_{first_open}", str(target.order_quantity * 2))
            await pilot.pause()
            assert "over-receipt tolerance" in text_of(form, f"#error-quantity_{first_open}")
            await set_field(form, "delivery_note", "D" * 51)
            await save(pilot)
            assert "too long" in text_of(form, "#error-delivery_note")
            assert counts(dbs) == before
            # a partial receipt
            await set_field(form, "delivery_note", "DN-BUYER-1")
            await set_field(form, f"quantity_{first_open}", "7.5")
            await save(pilot)
            assert not isinstance(app.screen, FormScreen)
            assert view.notice.startswith(f"{open_po}: 1 receipts, 7.5 received")

            # a closed PO: the service's rule is shown under the form, nothing received
            await pilot.press("/", *"status=closed", "enter")
            await settle(pilot)
            assert table.current_row()[0] == closed_po
            await pilot.press("r")
            await settle(pilot)
            assert not isinstance(app.screen, FormScreen)
            assert str(view.status().render()) == f"{closed_po} is closed; receipts need an open PO."

    asyncio.run(drive())
    after = po_lines_of(dbs, open_po)[first_open - 1]
    assert after.received_quantity == target.received_quantity + Decimal("7.5")
    receipt = rows(dbs, ERP, select(GoodsReceipts).where(GoodsReceipts.delivery_note == "DN-BUYER-1"))
    assert len(receipt) == 1 and receipt[0].quantity_received == Decimal("7.5") and receipt[0].po_line_id == target.po_line_id
    mine = role_user("procurement_manager").user_id
    assert scalar(dbs, ERP, select(func.count()).select_from(GoodsReceipts)
                  .where(GoodsReceipts.purchase_order_id == closed_po, GoodsReceipts.created_by == mine)) == 0


def test_rfq_award_by_keys_makes_a_po_with_the_quoted_prices(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="procurement_manager")
    rh = RfqHeaders
    rfq_id = scalar(dbs, SUP, select(rh.rfq_id).where(rh.rfq_status == "evaluation").order_by(rh.response_deadline).limit(1))
    assert rfq_id

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.rfqs")
            view = app.screen.query_one(RfqView)
            await pilot.press("/", *f"rfq={rfq_id}", "enter")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            responses = view.comparison["responses"]
            assert len(responses) >= 2 and len(view.query_one("#responses", DataTable).columns) == len(responses) + 1
            await pilot.press("w")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            before = counts(dbs)
            await set_field(form, "notes", "n" * 2001)
            await save(pilot)
            assert "too long" in text_of(form, "#error-notes") and counts(dbs) == before
            await set_field(form, "notes", "lowest total, good quality")
            await save(pilot)
            assert type(app.screen).__name__ == "ConfirmScreen"
            await pilot.press("y")
            await settle(pilot)
            assert view.notice.startswith("Awarded: PO-")
            po_id = view.notice.split()[1]
            # the new PO leads the order list (newest first): submit, approve and release it there
            await open_view(pilot, "buyer.orders")
            orders = app.screen.query_one(OrdersView)
            assert orders.query_one("#orders", PagedTable).current_row()[0] == po_id
            for key, status in (("s", "pending_approval"), ("a", "approved"), ("l", "open")):
                await pilot.press(key)
                await settle(pilot)
                assert status_of(dbs, po_id) == status
            assert orders.notice == f"{po_id}: open."
            return responses[0]

    best = asyncio.run(drive())
    head = rows(dbs, SUP, select(rh).where(rh.rfq_id == rfq_id))[0]
    assert head.rfq_status == "awarded" and head.awarded_to == best["supplier_id"]
    po = rows(dbs, ERP, select(PurchaseOrders).where(PurchaseOrders.quotation_number == best["response_number"]))
    assert len(po) == 1 and po[0].supplier_id == best["supplier_id"]
    prices = sorted(ln.unit_price for ln in po_lines_of(dbs, po[0].purchase_order_id))
    quoted = sorted(v["unit_price"] for v in best["lines"].values() if v)
    assert prices == quoted
    # a second award of the same response is the same PO, of another response refused
    ctx = ServiceContext(dbs, role_user("procurement_manager"), clock=console_clock)
    assert procurement.award_rfq_response(ctx, best["response_id"]).purchase_order_id == po[0].purchase_order_id


def held_invoice_for_rejection(dbs) -> tuple[str, str]:
    """A second match exception (a price 50 % over the PO) next to the seeded one."""
    si, sil = SupplierInvoices, SupplierInvoiceLines
    held = rows(dbs, SUP, select(si.invoice_id, si.supplier_id, si.purchase_order_id).where(si.matching_status == "exception"))[0]
    line = rows(dbs, SUP, select(sil.po_line_id).where(sil.invoice_id == held.invoice_id).limit(1))[0]
    price = scalar(dbs, ERP, select(PurchaseOrderLines.unit_price).where(PurchaseOrderLines.po_line_id == line.po_line_id))
    ctx = ServiceContext(dbs, role_user("procurement_manager"), clock=console_clock)
    new_id = procurement.submit_invoice(ctx, held.supplier_id, held.purchase_order_id,
                                        [{"po_line_id": line.po_line_id, "quantity": "1",
                                          "unit_price": (price * Decimal("1.5")).quantize(Decimal("0.0001"))}],
                                        supplier_invoice_number="BUYER-TEST-1")
    procurement.match_invoices(ctx)
    assert scalar(dbs, SUP, select(si.matching_status).where(si.invoice_id == new_id)) == "exception"
    return held.invoice_id, new_id


def test_invoice_exceptions_approved_with_a_reason_and_rejected_by_keys(console_estate_copy):
    dbs = console_estate_copy
    approve_id, reject_id = held_invoice_for_rejection(dbs)
    app = console_app(dbs, role="procurement_manager")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.invoices")
            view = app.screen.query_one(InvoicesView)
            table = view.query_one("#invoices", PagedTable)
            assert table.current_row()[0] == approve_id
            await pilot.press("enter")
            await settle(pilot)
            assert view.query_one("#match-lines", DataTable).row_count >= 1
            assert "Held for:" in text_of(view, "#match-reason")

            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            before = counts(dbs)
            await save(pilot)  # empty reason
            assert text_of(form, "#error-reason") == "Reason is required."
            await set_field(form, "reason", "r" * 1001)
            await save(pilot)
            assert "too long" in text_of(form, "#error-reason") and counts(dbs) == before
            await set_field(form, "reason", "price rise agreed with the supplier in May")
            await save(pilot)
            assert view.notice == f"{approve_id} approved."
            await settle(pilot)

            assert table.current_row()[0] == reject_id
            await pilot.press("x")
            await settle(pilot)
            await set_field(app.screen, "reason", "price not agreed")
            await save(pilot)
            await pilot.press("n")  # not yet: the form stays, nothing rejected
            await settle(pilot)
            assert isinstance(app.screen, FormScreen)
            assert scalar(dbs, SUP, select(SupplierInvoices.invoice_status)
                          .where(SupplierInvoices.invoice_id == reject_id)) == "on_hold"
            await save(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert view.notice == f"{reject_id} rejected."

    asyncio.run(drive())
    approved = rows(dbs, SUP, select(SupplierInvoices).where(SupplierInvoices.invoice_id == approve_id))[0]
    assert approved.invoice_status == "approved" and approved.approval_notes == "price rise agreed with the supplier in May"
    assert approved.variance_approved_by == role_user("procurement_manager").user_id
    rejected = rows(dbs, SUP, select(SupplierInvoices).where(SupplierInvoices.invoice_id == reject_id))[0]
    assert rejected.invoice_status == "rejected" and rejected.approval_notes == "price not agreed"


def test_keys_a_role_lacks_are_hidden_and_the_services_refuse_them_anyway(console_estate_copy):
    dbs = console_estate_copy
    before = counts(dbs)
    coordinator = console_app(dbs, role="supplier_coordinator")  # ERP read, supplier write, no capabilities

    async def as_coordinator() -> None:
        async with coordinator.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.requisitions")
            view = coordinator.screen.query_one(RequisitionsView)
            assert [view.check_action(a, ()) for a in ("order", "submit_po", "approve_po", "release_po")] == [False] * 4
            await pilot.press("o")
            await settle(pilot)
            assert not isinstance(coordinator.screen, FormScreen)
            # past the hidden key, the service still says no, in the form, and nothing is written
            view.action_order()
            await settle(pilot)
            form = coordinator.screen
            assert isinstance(form, FormScreen)
            await set_field(form, "supplier_id", "SUP-000005")
            await save(pilot)
            assert "needs write access to genims_erp_db" in text_of(form, "#form-error")
            await pilot.press("escape")
            await settle(pilot)

            await open_view(pilot, "buyer.invoices")
            invoices = coordinator.screen.query_one(InvoicesView)
            assert not invoices.check_action("approve", ()) and not invoices.check_action("reject", ())
            invoices.action_approve()
            await settle(pilot)
            await set_field(coordinator.screen, "reason", "no right to do this")
            await save(pilot)
            assert "invoice.approve_variance" in text_of(coordinator.screen, "#form-error") or \
                "Approving an invoice variance" in text_of(coordinator.screen, "#form-error")
            await pilot.press("escape")
            await settle(pilot)

            await open_view(pilot, "buyer.rfqs")
            assert not coordinator.screen.query_one(RfqView).check_action("award", ())

    asyncio.run(as_coordinator())
    assert counts(dbs) == before

    from genims_tui.views import views_for
    supplier_user = role_user("supplier_user")
    assert [v.name for v in views_for(supplier_user, "buyer")] == ["buyer.rfqs", "buyer.invoices", "buyer.suppliers"]
    assert [v.name for v in views_for(role_user("viewer"), "buyer")] == []
    ctx = ServiceContext(dbs, supplier_user, clock=console_clock)
    response = scalar(dbs, SUP, select(RfqResponses.response_id).limit(1))
    try:
        procurement.award_rfq_response(ctx, response)
    except DomainError as exc:
        assert "write access to genims_supplier_db" in str(exc)
    else:
        raise AssertionError("a supplier user awarded an RFQ")
    assert counts(dbs) == before


def test_supplier_scorecards_draw_the_selected_suppliers_trend_and_list_what_expires(console_estate):
    app = console_app(console_estate, role="supplier_coordinator")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "buyer.suppliers")
            view = app.screen.query_one(SuppliersView)
            cards = view.query_one("#scorecards", PagedTable)
            first = cards.current_row()
            trend = view.query_one("#trend", ScoreTrend)
            assert first is not None and trend.title.startswith(first[0]) and len(trend.scores) >= 2
            assert trend.scores[-1] == float(first[1]["overall"])  # the latest period is the one listed
            await pilot.press("down")
            await settle(pilot)
            assert trend.title.startswith(cards.current_row()[0]) and cards.current_row()[0] != first[0]
            assert view.query_one("#contracts", DataTable).row_count + view.query_one("#documents", DataTable).row_count > 0
            assert "expire within 60 days" in str(view.status().render())

    asyncio.run(drive())


# -- snapshots (120x40, the shared read-only estate) -------------------------------------------------------

def test_snapshot_requisitions_with_lines(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "buyer.requisitions")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(console_app(console_estate, role="procurement_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_po_form(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "buyer.requisitions")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FormScreen)

    assert snap_compare(console_app(console_estate, role="procurement_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_invoice_side_by_side(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "buyer.invoices")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(console_app(console_estate, role="procurement_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)
