"""Procure to pay, first half: requisition -> PO (contract / last / standard price), approval by amount
and role, release, goods receipts (partial, tolerance, inspection stock, GL posting, idempotence)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.erp import (
    GoodsReceipts,
    InventoryBalances,
    InventoryTransactions,
    Materials,
    PurchaseOrderLines,
    PurchaseOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
)
from genims_tui.backend.models.financial import JournalEntryHeaders, JournalEntryLines
from genims_tui.backend.services import finance, procurement

from .p2p_estate import build, context, released_po, stock_is_conserved

ERP, FIN = "genims_erp_db", "genims_financial_db"


def erp_snapshot(dbs) -> dict:
    """Everything a receipt or an approval could change in ERP, for 'nothing changed' checks."""
    with dbs.connect(ERP) as conn:
        return {
            "pos": conn.execute(select(PurchaseOrders.purchase_order_id, PurchaseOrders.po_status, PurchaseOrders.release_indicator)
                                .order_by(PurchaseOrders.purchase_order_id)).all(),
            "lines": conn.execute(select(PurchaseOrderLines.po_line_id, PurchaseOrderLines.received_quantity,
                                         PurchaseOrderLines.line_status).order_by(PurchaseOrderLines.po_line_id)).all(),
            "grs": conn.execute(select(func.count()).select_from(GoodsReceipts)).scalar_one(),
            "itx": conn.execute(select(func.count()).select_from(InventoryTransactions)).scalar_one(),
            "stock": conn.execute(select(InventoryBalances.balance_id, InventoryBalances.unrestricted_stock,
                                         InventoryBalances.quality_inspection_stock).order_by(InventoryBalances.balance_id)).all(),
        }


def journal_count(dbs) -> int:
    with dbs.connect(FIN) as conn:
        return conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar_one()


def test_po_prices_come_from_the_contract_else_last_price_else_standard_cost(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po = procurement.create_purchase_order(ctx, "SUP-000001", [
        {"material_id": "MAT-000001", "quantity": "100"},  # expired contract ignored -> last purchase price
        {"material_id": "MAT-000002", "quantity": "1000"},  # no last price -> standard cost
        {"material_id": "MAT-000003", "quantity": "10"},  # active contract
    ], plant_id="FAC-000001")
    got = [(ln.material_id, ln.unit_price, ln.price_source, ln.net_price) for ln in po.lines]
    assert got == [
        ("MAT-000001", Decimal("9.5000"), "last purchase price", Decimal("950.00")),
        ("MAT-000002", Decimal("0.2500"), "standard cost", Decimal("250.00")),
        ("MAT-000003", Decimal("3.8000"), "contract CTR-000001", Decimal("38.00")),
    ]
    assert po.total_value == Decimal("1238.00") and po.status == "created"
    with sqlite_dbs.connect(ERP) as conn:
        head = conn.execute(select(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po.purchase_order_id)).one()
        inspect = conn.execute(select(PurchaseOrderLines.quality_inspection_required).order_by(PurchaseOrderLines.line_number)).scalars().all()
    assert (head.po_status, head.release_indicator, head.total_value, head.contract_number) == ("created", False, Decimal("1238.00"), "CTR-000001")
    assert inspect == [False, True, False]


def test_approval_by_amount_and_role(any_dbs):
    ctx = build(any_dbs)
    small = procurement.create_purchase_order(ctx, "SUP-000001", [{"material_id": "MAT-000001", "quantity": "1000"}])  # 9,500
    big = procurement.create_purchase_order(ctx, "SUP-000001", [{"material_id": "MAT-000001", "quantity": "1100"}])  # 10,450
    before = erp_snapshot(any_dbs)
    with pytest.raises(PermissionDenied, match="needs write access to genims_erp_db"):
        procurement.approve_purchase_order(context(any_dbs, "warehouse_operator"), small.purchase_order_id)
    inventory = context(any_dbs, "inventory_manager")  # ERP full, no po.approve
    with pytest.raises(PermissionDenied, match="Approving PO-000002 over 10000.00"):
        procurement.approve_purchase_order(inventory, big.purchase_order_id)
    assert erp_snapshot(any_dbs) == before
    assert procurement.approve_purchase_order(inventory, small.purchase_order_id) == "approved"
    assert procurement.approve_purchase_order(context(any_dbs, "procurement_manager"), big.purchase_order_id) == "approved"
    with pytest.raises(DomainError, match="receipts need an open PO"):  # approved is not released
        procurement.receive_goods(ctx, big.purchase_order_id, [{"po_line_id": big.lines[0].po_line_id, "quantity": "1"}])
    assert procurement.release_purchase_order(inventory, big.purchase_order_id) == "open"
    with any_dbs.connect(ERP) as conn:
        rows = dict(conn.execute(select(PurchaseOrders.purchase_order_id, PurchaseOrders.po_status)).all())
    assert rows == {small.purchase_order_id: "approved", big.purchase_order_id: "open"}


def test_blocked_supplier_and_unknown_material_are_refused(sqlite_dbs):
    ctx = build(sqlite_dbs)
    with pytest.raises(DomainError, match="SUP-000002 is blocked for orders"):
        procurement.create_purchase_order(ctx, "SUP-000002", [{"material_id": "MAT-000001", "quantity": "1"}])
    with pytest.raises(NotFound, match="no material MAT-999999"):
        procurement.create_purchase_order(ctx, "SUP-000001", [{"material_id": "MAT-999999", "quantity": "1"}])
    with pytest.raises(DomainError, match="Line 1 quantity must be more than 0"):
        procurement.create_purchase_order(ctx, "SUP-000001", [{"material_id": "MAT-000001", "quantity": "0"}])
    assert erp_snapshot(sqlite_dbs)["pos"] == []


def test_requisition_to_purchase_order(sqlite_dbs):
    ctx = build(sqlite_dbs)
    buyer = context(sqlite_dbs, "procurement_manager")
    req = procurement.create_requisition(buyer, "FAC-000001", [
        {"material_id": "MAT-000001", "quantity": "40"}, {"material_id": "MAT-000003", "quantity": "5"}],
        required_date=dt.date(2026, 12, 1))
    with pytest.raises(DomainError, match="not approved"):
        procurement.convert_requisition(buyer, req)
    procurement.approve_requisition(buyer, req)
    pos = procurement.convert_requisition(buyer, req)
    assert len(pos) == 1 and pos[0].supplier_id == "SUP-000001"
    assert [(ln.material_id, ln.quantity, ln.unit_price) for ln in pos[0].lines] == [
        ("MAT-000001", Decimal("40"), Decimal("9.5000")), ("MAT-000003", Decimal("5"), Decimal("3.8000"))]
    with sqlite_dbs.connect(ERP) as conn:
        status = conn.execute(select(PurchaseRequisitions.overall_status)).scalar_one()
        lines = conn.execute(select(PurchaseRequisitionLines.line_status, PurchaseRequisitionLines.assigned_to_po)).all()
        po_lines = conn.execute(select(PurchaseOrderLines.requisition_id)).scalars().all()
    assert status == "converted"
    assert lines == [("ordered", pos[0].purchase_order_id)] * 2
    assert po_lines == [req, req]
    with pytest.raises(DomainError, match="no open lines"):
        procurement.convert_requisition(buyer, req)
    del ctx


def test_goods_receipt_partial_inspection_gl_and_idempotent(any_dbs):
    ctx = build(any_dbs)
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "100"}, {"material_id": "MAT-000002", "quantity": "1000"}])
    with any_dbs.connect(ERP) as conn:
        steel, bolts = conn.execute(select(PurchaseOrderLines.po_line_id).order_by(PurchaseOrderLines.line_number)).scalars().all()
    buyer = context(any_dbs, "procurement_manager")  # reads finance only: the posting follows the receipt
    first = procurement.receive_goods(buyer, po_id, [{"po_line_id": steel, "quantity": "60"}, {"po_line_id": bolts, "quantity": "1000"}],
                                      delivery_note="DN-4711")
    assert first.created and first.po_status == "partially_received" and not first.posting_errors
    assert [(r.quantity, r.value, r.stock_type) for r in first.receipts] == [
        (Decimal("60"), Decimal("570.00"), "unrestricted"), (Decimal("1000"), Decimal("250.00"), "quality_inspection")]
    assert all(r.journal_entry_id for r in first.receipts)
    snapshot, entries = erp_snapshot(any_dbs), journal_count(any_dbs)
    # the same delivery again: the first receipts, nothing new in ERP or finance
    again = procurement.receive_goods(buyer, po_id, [{"po_line_id": steel, "quantity": "60"}, {"po_line_id": bolts, "quantity": "1000"}],
                                      delivery_note="DN-4711")
    assert not again.created
    assert [r.goods_receipt_id for r in again.receipts] == [r.goods_receipt_id for r in first.receipts]
    assert [r.journal_entry_id for r in again.receipts] == [r.journal_entry_id for r in first.receipts]
    assert erp_snapshot(any_dbs) == snapshot and journal_count(any_dbs) == entries == 2
    with any_dbs.connect(ERP) as conn:
        stock = {r.material_id: (r.unrestricted_stock, r.quality_inspection_stock, r.stock_value)
                 for r in conn.execute(select(InventoryBalances))}
        lines = conn.execute(select(PurchaseOrderLines.received_quantity, PurchaseOrderLines.line_status)
                             .order_by(PurchaseOrderLines.line_number)).all()
        gr = conn.execute(select(GoodsReceipts).where(GoodsReceipts.po_line_id == bolts)).one()
        last_price = conn.execute(select(Materials.last_purchase_price).where(Materials.material_id == "MAT-000002")).scalar_one()
    assert stock == {"MAT-000001": (Decimal("60"), Decimal("0"), Decimal("570.00")),
                     "MAT-000002": (Decimal("0"), Decimal("1000"), Decimal("250.00"))}
    assert lines == [(Decimal("60"), "partially_received"), (Decimal("1000"), "received")]
    assert (gr.quality_status, gr.inspection_lot is not None, gr.gr_status) == ("in_inspection", True, "posted")
    assert last_price == Decimal("0.2500")
    stock_is_conserved(any_dbs)
    with any_dbs.connect(FIN) as conn:
        lines_gl = conn.execute(select(JournalEntryLines.account_id, func.sum(JournalEntryLines.debit_amount),
                                       func.sum(JournalEntryLines.credit_amount)).group_by(JournalEntryLines.account_id)
                                .order_by(JournalEntryLines.account_id)).all()
    assert [(a, Decimal(d), Decimal(c)) for a, d, c in lines_gl] == [
        ("GLA-001300", Decimal("820.00"), Decimal("0")), ("GLA-002150", Decimal("0"), Decimal("820.00"))]
    # the rest of the steel, up to the 5 % tolerance: 60 + 45 = 105 of 100
    done = procurement.receive_goods(ctx, po_id, [{"po_line_id": steel, "quantity": "45"}])
    assert done.po_status == "received"
    stock_is_conserved(any_dbs)


def test_over_receipt_beyond_tolerance_is_refused_and_changes_nothing(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "100"}])
    with sqlite_dbs.connect(ERP) as conn:
        line = conn.execute(select(PurchaseOrderLines.po_line_id)).scalar_one()
    procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "100"}])
    before, entries = erp_snapshot(sqlite_dbs), journal_count(sqlite_dbs)
    with pytest.raises(DomainError) as refused:
        procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "5.0001"}])
    assert "beyond the 5 % over-receipt tolerance" in str(refused.value) and "at most 5.0000 more" in str(refused.value)
    # two lines of one call count together
    with pytest.raises(DomainError, match="tolerance"):
        procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "3"}, {"po_line_id": line, "quantity": "3"}])
    assert erp_snapshot(sqlite_dbs) == before and journal_count(sqlite_dbs) == entries
    assert procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "5"}]).po_status == "received"


def test_closed_and_unreleased_pos_refuse_receipts(sqlite_dbs):
    ctx = build(sqlite_dbs)
    created = procurement.create_purchase_order(ctx, "SUP-000001", [{"material_id": "MAT-000001", "quantity": "10"}])
    with pytest.raises(DomainError, match=f"{created.purchase_order_id} is not released \\(status created\\); receipts need an open PO"):
        procurement.receive_goods(ctx, created.purchase_order_id, [{"po_line_id": created.lines[0].po_line_id, "quantity": "1"}])
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "10"}])
    with sqlite_dbs.begin(ERP) as conn:
        conn.execute(PurchaseOrders.__table__.update().where(PurchaseOrders.purchase_order_id == po_id).values(po_status="closed"))
        line = conn.execute(select(PurchaseOrderLines.po_line_id).where(PurchaseOrderLines.purchase_order_id == po_id)).scalar_one()
    before = erp_snapshot(sqlite_dbs)
    with pytest.raises(DomainError, match=f"^{po_id} is closed; receipts need an open PO"):
        procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "1"}])
    other = released_po(ctx, [{"material_id": "MAT-000003", "quantity": "10"}])
    before = erp_snapshot(sqlite_dbs)
    with pytest.raises(NotFound, match=f"{line} is not a line of {other}"):
        procurement.receive_goods(ctx, other, [{"po_line_id": line, "quantity": "1"}])
    with pytest.raises(PermissionDenied):
        procurement.receive_goods(context(sqlite_dbs, "warehouse_operator"), po_id, [{"po_line_id": line, "quantity": "1"}])
    assert erp_snapshot(sqlite_dbs) == before


def test_receipt_into_a_closed_period_is_refused_before_stock_moves(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "10"}])
    with sqlite_dbs.connect(ERP) as conn:
        line = conn.execute(select(PurchaseOrderLines.po_line_id)).scalar_one()
    finance.post_transaction(ctx, "goods_receipt", "1.00", source_document_id="OPENING")  # opens the 2026 calendar
    finance.close_period(context(sqlite_dbs, "finance_manager"), 2026, 11)
    before, entries = erp_snapshot(sqlite_dbs), journal_count(sqlite_dbs)
    with pytest.raises(DomainError, match="2026-11 \\(Nov 2026\\) is closed"):
        procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "5"}])
    assert erp_snapshot(sqlite_dbs) == before and journal_count(sqlite_dbs) == entries
    # dated into December, the receipt goes through
    done = procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "5"}], posting_date=dt.date(2026, 12, 1))
    assert done.receipts[0].journal_entry_id and not done.posting_errors


def test_a_receipt_whose_posting_was_lost_is_posted_once_later(sqlite_dbs):
    ctx = build(sqlite_dbs)
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "10"}])
    with sqlite_dbs.connect(ERP) as conn:
        line = conn.execute(select(PurchaseOrderLines.po_line_id)).scalar_one()
    receipt = procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "4"}]).receipts[0]
    with sqlite_dbs.begin(FIN) as conn:  # the process died between the ERP commit and the posting
        conn.execute(JournalEntryLines.__table__.delete())
        conn.execute(JournalEntryHeaders.__table__.delete())
    first = procurement.post_pending_receipts(ctx)
    second = procurement.post_pending_receipts(ctx)
    assert first == {"posted": [receipt.goods_receipt_id], "errors": []}
    assert second == {"posted": [], "errors": []}
    assert journal_count(sqlite_dbs) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 2), st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("60"), places=4),
                                st.sampled_from([None, "B1", "B2"])), min_size=1, max_size=5))
def test_property_receipts_conserve_stock_and_never_exceed_tolerance(sqlite_dbs, moves):
    if not sqlite_dbs.exists(ERP):
        build(sqlite_dbs)
    ctx = context(sqlite_dbs)
    po_id = released_po(ctx, [{"material_id": m, "quantity": "100"} for m in ("MAT-000001", "MAT-000002", "MAT-000003")])
    with sqlite_dbs.connect(ERP) as conn:
        lines = conn.execute(select(PurchaseOrderLines.po_line_id).where(PurchaseOrderLines.purchase_order_id == po_id)
                             .order_by(PurchaseOrderLines.line_number)).scalars().all()
    for idx, qty, batch in moves:
        try:
            procurement.receive_goods(ctx, po_id, [{"po_line_id": lines[idx], "quantity": qty, "batch_number": batch}])
        except DomainError as exc:
            assert "over-receipt tolerance" in str(exc)
    stock_is_conserved(sqlite_dbs)
    with sqlite_dbs.connect(ERP) as conn:
        received = dict(conn.execute(select(PurchaseOrderLines.po_line_id, PurchaseOrderLines.received_quantity)
                                     .where(PurchaseOrderLines.purchase_order_id == po_id)).all())
        by_gr = dict(conn.execute(select(GoodsReceipts.po_line_id, func.sum(GoodsReceipts.quantity_received))
                                  .where(GoodsReceipts.purchase_order_id == po_id).group_by(GoodsReceipts.po_line_id)).all())
    for lid, qty in received.items():
        assert qty <= Decimal("105")
        assert Decimal(by_gr.get(lid, 0)).quantize(Decimal("0.0001")) == qty
    assert finance.trial_balance(ctx)["total_balance"] == 0


def test_concurrent_receipts_of_one_delivery_note_receive_once(sqlite_dbs):
    import threading

    ctx = build(sqlite_dbs)
    po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "100"}])
    with sqlite_dbs.connect(ERP) as conn:
        line = conn.execute(select(PurchaseOrderLines.po_line_id)).scalar_one()
    results, errors = [], []

    def receive():
        try:
            results.append(procurement.receive_goods(context(sqlite_dbs), po_id, [{"po_line_id": line, "quantity": "70"}],
                                                     delivery_note="DN-RACE"))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=receive) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.created for r in results) == 1
    assert len({r.receipts[0].goods_receipt_id for r in results}) == 1
    assert len({r.receipts[0].journal_entry_id for r in results}) == 1
    snap = erp_snapshot(sqlite_dbs)
    assert snap["grs"] == 1 and snap["lines"][0][1] == Decimal("70")
    assert journal_count(sqlite_dbs) == 1
    stock_is_conserved(sqlite_dbs)
