"""Procure to pay, second half: the 3-way match per invoice line in bulk (2 % price tolerance, quantity
against received minus already invoiced), exception review, posting to accounts payable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from genims_tui.backend.access import AccessStore
from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.financial import JournalEntryHeaders, JournalEntryLines
from genims_tui.backend.models.supplier import SupplierInvoiceLines, SupplierInvoices, ThreeWayMatchLog
from genims_tui.backend.services import finance, procurement

from .p2p_estate import build, context, released_po

ERP, SUP, FIN = "genims_erp_db", "genims_supplier_db", "genims_financial_db"


def received_po(ctx, qty: str = "100", receive: str = "100") -> tuple[str, str]:
    """A released PO for 100 kg steel at 9.5000 with `receive` received; returns (po, line)."""
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": qty}])
    with ctx.dbs.connect(ERP) as conn:
        from genims_tui.backend.models.erp import PurchaseOrderLines

        line = conn.execute(select(PurchaseOrderLines.po_line_id).where(PurchaseOrderLines.purchase_order_id == po_id)).scalar_one()
    if Decimal(receive) > 0:
        procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": receive}])
    return po_id, line


def invoice(ctx, po_id, line, qty, price, number, tax="0") -> str:
    return procurement.submit_invoice(ctx, "SUP-000001", po_id, [{"po_line_id": line, "quantity": qty, "unit_price": price}],
                                      supplier_invoice_number=number, tax_amount=tax)


def invoice_row(dbs, invoice_id):
    with dbs.connect(SUP) as conn:
        return conn.execute(select(SupplierInvoices).where(SupplierInvoices.invoice_id == invoice_id)).one()


def supplier_state(dbs) -> list:
    with dbs.connect(SUP) as conn:
        heads = conn.execute(select(SupplierInvoices.invoice_id, SupplierInvoices.matching_status, SupplierInvoices.invoice_status,
                                    SupplierInvoices.payment_status, SupplierInvoices.gl_posted).order_by(SupplierInvoices.invoice_id)).all()
        logs = conn.execute(select(func.count()).select_from(ThreeWayMatchLog)).scalar_one()
    return [heads, logs]


def test_price_boundaries_and_quantity_per_line_in_one_bulk_match(any_dbs):
    ctx = build(any_dbs)
    # PO price 9.5000: 2 % is 0.19
    cases = {}
    for number, price, qty in [("EXACT", "9.5000", "20"), ("TWO-PCT", "9.6900", "20"), ("JUST-OVER", "9.6901", "20"),
                               ("UNDER", "9.3100", "20"), ("FAR-UNDER", "9.3099", "20"), ("QTY-OVER", "9.5000", "100.0001")]:
        po_id, line = received_po(ctx)
        cases[number] = invoice(ctx, po_id, line, qty, price, number)
    result = procurement.match_invoices(context(any_dbs, "procurement_manager"))
    outcome = {r["invoice_id"]: (r["result"], r["reasons"]) for r in result["invoices"]}
    assert outcome == {
        cases["EXACT"]: ("matched", []),
        cases["TWO-PCT"]: ("within_tolerance", []),
        cases["JUST-OVER"]: ("exception", ["PRICE_VARIANCE"]),
        cases["UNDER"]: ("within_tolerance", []),
        cases["FAR-UNDER"]: ("exception", ["PRICE_VARIANCE"]),
        cases["QTY-OVER"]: ("exception", ["QTY_EXCEEDS_RECEIVED"]),
    }
    assert (result["matched"], result["within_tolerance"], result["exception"]) == (1, 2, 3)
    assert sorted(result["posting"]["posted"]) == sorted([cases["EXACT"], cases["TWO-PCT"], cases["UNDER"]])
    two = invoice_row(any_dbs, cases["TWO-PCT"])
    assert (two.matching_status, two.invoice_status, two.payment_status, two.gl_posted, two.price_match) == (
        "within_tolerance", "approved", "scheduled", True, False)
    assert two.price_variance == Decimal("3.80")  # 20 x 0.19
    over = invoice_row(any_dbs, cases["JUST-OVER"])
    assert (over.matching_status, over.invoice_status, over.payment_status, over.gl_posted) == ("exception", "on_hold", "held", False)
    assert over.variance_reason.startswith("PRICE_VARIANCE;") and "2.00 %" in over.variance_reason
    qty = invoice_row(any_dbs, cases["QTY-OVER"])
    assert qty.quantity_variance == Decimal("0.0001") and qty.receipt_match is False
    with any_dbs.connect(SUP) as conn:
        lines = {r.invoice_id: r for r in conn.execute(select(SupplierInvoiceLines))}
        logs = {r.invoice_id: r for r in conn.execute(select(ThreeWayMatchLog))}
    assert (lines[cases["TWO-PCT"]].match_status, lines[cases["TWO-PCT"]].po_unit_price, lines[cases["TWO-PCT"]].received_quantity) == (
        "within_tolerance", Decimal("9.5000"), Decimal("100.0000"))
    assert lines[cases["JUST-OVER"]].match_status == "exception"
    assert (logs[cases["TWO-PCT"]].variance_pct, logs[cases["TWO-PCT"]].within_tolerance, logs[cases["TWO-PCT"]].action_taken) == (
        Decimal("2.00"), True, "auto_approved")
    assert (logs[cases["JUST-OVER"]].within_tolerance, logs[cases["JUST-OVER"]].action_taken) == (False, "flagged_for_review")
    assert logs[cases["EXACT"]].receipt_id is not None
    # idempotent: nothing is pending any more, a rerun changes nothing
    state = supplier_state(any_dbs)
    rerun = procurement.match_invoices(ctx)
    assert rerun["checked"] == 0 and rerun["posting"]["posted"] == []
    assert supplier_state(any_dbs) == state
    assert finance.trial_balance(ctx)["total_balance"] == 0


def test_quantity_already_invoiced_counts_across_invoices_and_within_one_batch(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id, line = received_po(ctx, receive="60")
    first = invoice(ctx, po_id, line, "40", "9.50", "A-1")
    second = invoice(ctx, po_id, line, "20", "9.50", "A-2")  # 40 + 20 = 60: fine
    third = invoice(ctx, po_id, line, "1", "9.50", "A-3")  # nothing left to invoice
    result = procurement.match_invoices(ctx, limit=2)
    assert [r["result"] for r in result["invoices"]] == ["matched", "matched"]
    later = procurement.match_invoices(ctx)
    assert [(r["invoice_id"], r["result"], r["reasons"]) for r in later["invoices"]] == [(third, "exception", ["QTY_EXCEEDS_RECEIVED"])]
    assert "only 0.0000 received and not yet invoiced" in invoice_row(sqlite_dbs, third).variance_reason
    assert {first, second} == set(result["posting"]["posted"])


def test_not_received_wrong_po_line_and_supplier_mismatch_are_exceptions(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id, line = received_po(ctx, receive="0")
    other_po, other_line = received_po(ctx)
    nothing = invoice(ctx, po_id, line, "1", "9.50", "N-1")
    wrong = procurement.submit_invoice(ctx, "SUP-000001", po_id, [{"po_line_id": line, "quantity": "1", "unit_price": "9.5"}],
                                       supplier_invoice_number="W-1")
    with sqlite_dbs.begin(SUP) as conn:  # a line naming another PO's line, and an invoice from another supplier
        conn.execute(SupplierInvoiceLines.__table__.update().where(SupplierInvoiceLines.invoice_id == wrong).values(po_line_id=other_line))
    stranger = invoice(ctx, other_po, other_line, "1", "9.50", "S-1")
    with sqlite_dbs.begin(SUP) as conn:
        conn.execute(SupplierInvoices.__table__.update().where(SupplierInvoices.invoice_id == stranger).values(supplier_id="SUP-000009"))
        conn.execute(insert(SupplierInvoices).values(invoice_id="SINV-900000", supplier_id="SUP-000001", purchase_order_id=po_id,
                                                     subtotal=Decimal("10"), matching_status="pending", invoice_status="submitted"))
    got = {r["invoice_id"]: r["reasons"] for r in procurement.match_invoices(ctx)["invoices"]}
    assert got == {nothing: ["QTY_EXCEEDS_RECEIVED"], wrong: ["NO_PO_LINE"], stranger: ["SUPPLIER_MISMATCH"],
                   "SINV-900000": ["NO_LINES"]}


def test_exception_review_needs_the_capability_and_a_reason(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id, line = received_po(ctx)
    held = invoice(ctx, po_id, line, "10", "9.80", "H-1", tax="7.84")  # 3.16 % over
    rejected = invoice(ctx, po_id, line, "10", "12.00", "H-2")
    procurement.match_invoices(ctx)
    state, entries = supplier_state(sqlite_dbs), _journal_count(sqlite_dbs)
    for role in ("warehouse_operator", "accountant", "supplier_coordinator"):
        with pytest.raises(PermissionDenied, match="Approving an invoice variance"):
            procurement.approve_invoice_variance(context(sqlite_dbs, role), held, "looks fine")
    with pytest.raises(DomainError, match="Reason is required"):
        procurement.approve_invoice_variance(context(sqlite_dbs, "procurement_manager"), held, "  ")
    assert supplier_state(sqlite_dbs) == state and _journal_count(sqlite_dbs) == entries

    done = procurement.approve_invoice_variance(context(sqlite_dbs, "procurement_manager"), held, "steel surcharge agreed by phone")
    assert done["posting"]["posted"] == [held]
    row = invoice_row(sqlite_dbs, held)
    assert (row.invoice_status, row.payment_status, row.variance_approved_by, row.approval_notes, row.gl_posted) == (
        "approved", "scheduled", "USR-procurement_manager", "steel surcharge agreed by phone", True)
    with sqlite_dbs.connect(FIN) as conn:
        lines = dict(conn.execute(select(JournalEntryLines.account_id, JournalEntryLines.credit_amount - JournalEntryLines.debit_amount)
                                  .join(JournalEntryHeaders, JournalEntryHeaders.journal_entry_id == JournalEntryLines.journal_entry_id)
                                  .where(JournalEntryHeaders.source_document_id == held)).all())
    assert {k: Decimal(v) for k, v in lines.items()} == {
        "GLA-002150": Decimal("-95.00"), "GLA-005400": Decimal("-3.00"), "GLA-001250": Decimal("-7.84"), "GLA-002100": Decimal("105.84")}
    with pytest.raises(DomainError, match="not a held match exception"):
        procurement.approve_invoice_variance(context(sqlite_dbs, "procurement_manager"), held, "again")

    procurement.reject_invoice(context(sqlite_dbs, "finance_manager"), rejected, "price not agreed")
    row = invoice_row(sqlite_dbs, rejected)
    assert (row.invoice_status, row.payment_status, row.gl_posted) == ("rejected", "cancelled", False)
    assert procurement.match_invoices(ctx)["checked"] == 0  # a rejected invoice is never matched again
    actions = [r["action"] for r in AccessStore(sqlite_dbs).audit_trail()]
    assert "procurement.invoice.approve_variance" in actions and "procurement.invoice.reject" in actions
    assert finance.trial_balance(ctx)["total_balance"] == 0


def test_matching_needs_supplier_write_access(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id, line = received_po(ctx)
    invoice(ctx, po_id, line, "10", "9.50", "P-1")
    state = supplier_state(sqlite_dbs)
    with pytest.raises(PermissionDenied, match="Matching supplier invoices"):
        procurement.match_invoices(context(sqlite_dbs, "accountant"))
    with pytest.raises(DomainError, match="at least 1"):
        procurement.match_invoices(ctx, limit=0)
    assert supplier_state(sqlite_dbs) == state
    with pytest.raises(DomainError, match="recorded already"):
        invoice(ctx, po_id, line, "10", "9.50", "P-1")


def test_invoice_approved_in_a_closed_period_is_posted_on_a_later_run(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id, line = received_po(ctx)
    inv = invoice(ctx, po_id, line, "10", "9.50", "C-1")
    finance.close_period(context(sqlite_dbs, "finance_manager"), 2026, 11)
    first = procurement.match_invoices(ctx)
    assert first["matched"] == 1 and first["posting"]["posted"] == []
    assert "2026-11 (Nov 2026) is closed" in first["posting"]["errors"][0]
    assert invoice_row(sqlite_dbs, inv).gl_posted is False
    finance.reopen_period(context(sqlite_dbs, "finance_manager"), 2026, 11, "post the approved invoices")
    again = procurement.match_invoices(ctx)
    assert again["checked"] == 0 and again["posting"]["posted"] == [inv]
    assert invoice_row(sqlite_dbs, inv).gl_posted is True


def _journal_count(dbs) -> int:
    with dbs.connect(FIN) as conn:
        return conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar_one()


def test_receipts_rejected_by_inspection_do_not_count_as_received(sqlite_dbs):
    from genims_tui.backend.models.erp import GoodsReceipts

    ctx = build(sqlite_dbs)
    po_id, line = received_po(ctx, receive="60")
    procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "40"}])
    with sqlite_dbs.begin(ERP) as conn:  # the second delivery failed incoming inspection
        last = conn.execute(select(func.max(GoodsReceipts.goods_receipt_id))).scalar_one()
        conn.execute(GoodsReceipts.__table__.update().where(GoodsReceipts.goods_receipt_id == last).values(quality_status="rejected"))
    ok = invoice(ctx, po_id, line, "60", "9.50", "R-1")
    too_much = invoice(ctx, po_id, line, "1", "9.50", "R-2")
    got = {r["invoice_id"]: r["result"] for r in procurement.match_invoices(ctx)["invoices"]}
    assert got == {ok: "matched", too_much: "exception"}
