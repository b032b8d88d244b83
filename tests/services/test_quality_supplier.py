"""Monthly supplier performance and scorecards from ERP receipts, NCRs, RFQ invitations and
invoices: the numbers, the ratings, idempotence per supplier and month, and permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.erp import GoodsReceipts, PurchaseOrderLines, PurchaseOrders, Suppliers
from genims_tui.backend.models.quality import NcrHeaders
from genims_tui.backend.models.supplier import (
    RfqHeaders,
    RfqSuppliers,
    SupplierInvoices,
    SupplierPerformanceMetrics,
    SupplierRatingHistory,
    SupplierScorecards,
)
from genims_tui.backend.services.supplier_quality import calculate_supplier_performance, rating_for

from . import quality_data as qd
from .quality_data import estate  # noqa: F401 -- the module-scoped estate fixture (SQLite and PostgreSQL)

ERP, SUP = "genims_erp_db", "genims_supplier_db"
EXTRA_DATABASES = (ERP, SUP)
D = dt.date


def _arrange(dbs):
    with dbs.begin(ERP) as conn:
        conn.execute(insert(Suppliers.__table__), [{"supplier_id": s, "supplier_name": s} for s in ("SUP-1", "SUP-2")])
        conn.execute(insert(PurchaseOrders.__table__), [
            {"purchase_order_id": "PO-1", "supplier_id": "SUP-1", "po_date": D(2026, 10, 5), "total_value": Decimal("1000"), "po_status": "released"},
            {"purchase_order_id": "PO-2", "supplier_id": "SUP-1", "po_date": D(2026, 10, 5), "total_value": Decimal("500"), "po_status": "released"},
            {"purchase_order_id": "PO-3", "supplier_id": "SUP-1", "po_date": D(2026, 9, 5), "total_value": Decimal("9"), "po_status": "released"},
        ])
        conn.execute(insert(PurchaseOrderLines.__table__), [
            {"po_line_id": "L1", "purchase_order_id": "PO-1", "delivery_date": D(2026, 10, 15), "order_quantity": Decimal("1002")},
            {"po_line_id": "L2", "purchase_order_id": "PO-2", "delivery_date": D(2026, 10, 20), "order_quantity": Decimal("1000")},
        ])
        gr = dict(supplier_id="SUP-1", cancelled=False)
        conn.execute(insert(GoodsReceipts.__table__), [
            {"goods_receipt_id": "GR-1", "purchase_order_id": "PO-1", "po_line_id": "L1", "gr_date": D(2026, 10, 14),
             "quantity_received": Decimal("1000"), "quality_status": "released", **gr},
            {"goods_receipt_id": "GR-2", "purchase_order_id": "PO-2", "po_line_id": "L2", "gr_date": D(2026, 10, 25),
             "quantity_received": Decimal("1000"), "quality_status": "released", **gr},
            {"goods_receipt_id": "GR-3", "purchase_order_id": "PO-1", "po_line_id": "L1", "gr_date": D(2026, 10, 14),
             "quantity_received": Decimal("2"), "quality_status": "rejected", **gr},
            {"goods_receipt_id": "GR-4", "purchase_order_id": "PO-1", "po_line_id": "L1", "gr_date": D(2026, 10, 30),
             "quantity_received": Decimal("50"), "quality_status": "released", "supplier_id": "SUP-1", "cancelled": True},
        ])
    qd.ncr(dbs, "NCR-S00001", "open", supplier_id="SUP-1", source_document_id="GR-1", quantity_defective=Decimal("4"),
           detected_date=D(2026, 10, 16))
    qd.ncr(dbs, "NCR-S00002", "open", supplier_id="SUP-1", source_document_id="GR-3", quantity_defective=Decimal("2"),
           detected_date=D(2026, 10, 16))  # about a rejected receipt: not counted twice
    qd.ncr(dbs, "NCR-S00003", "cancelled", supplier_id="SUP-1", quantity_defective=Decimal("90"), detected_date=D(2026, 10, 16))
    with dbs.begin(SUP) as conn:
        conn.execute(insert(RfqHeaders.__table__), [{"rfq_id": "RFQ-1"}])
        conn.execute(insert(RfqSuppliers.__table__), [
            {"rfq_supplier_id": f"RS-{i}", "rfq_id": "RFQ-1", "supplier_id": "SUP-1", "invited_date": dt.datetime(2026, 10, 3, 8),
             "response_status": "responded" if i < 3 else "invited",
             "responded_date": dt.datetime(2026, 10, 4, 8) if i < 3 else None}
            for i in range(4)])
        conn.execute(insert(SupplierInvoices.__table__), [
            {"invoice_id": f"INV-{i}", "supplier_id": "SUP-1", "invoice_date": D(2026, 10, 10),
             "matching_status": "exception" if i == 0 else "matched"} for i in range(4)]
            + [{"invoice_id": "INV-9", "supplier_id": "SUP-2", "invoice_date": D(2026, 10, 11), "matching_status": "within_tolerance"}])
        conn.execute(insert(SupplierPerformanceMetrics.__table__), [
            {"metric_id": "SPM-000001", "supplier_id": "SUP-1", "metric_period": "2026-09", "overall_score": Decimal("80.00"),
             "performance_rating": "Good"},
            {"metric_id": "SPM-000002", "supplier_id": "SUP-2", "metric_period": "2026-09", "overall_score": Decimal("50.00"),
             "performance_rating": "Poor"},
        ])


def _count(dbs, model):
    with dbs.connect(SUP) as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar()


def test_ratings_thresholds():
    assert [rating_for(Decimal(x)) for x in ("90", "89.99", "75", "60", "59.99")] == ["Excellent", "Good", "Good", "Acceptable", "Poor"]


def test_monthly_performance_scorecards_and_rerun(estate):
    _arrange(estate)
    ctx = qd.ctx_for(estate, "procurement_manager")
    result = calculate_supplier_performance(ctx)
    assert result["period"] == "2026-10" and result["created"] == 2 and result["updated"] == 0
    with estate.connect(SUP) as conn:
        m = dict(conn.execute(select(SupplierPerformanceMetrics.__table__).where(
            SupplierPerformanceMetrics.supplier_id == "SUP-1", SupplierPerformanceMetrics.metric_period == "2026-10")).one()._mapping)
        card = dict(conn.execute(select(SupplierScorecards.__table__).where(SupplierScorecards.supplier_id == "SUP-1")).one()._mapping)
        card2 = dict(conn.execute(select(SupplierScorecards.__table__).where(SupplierScorecards.supplier_id == "SUP-2")).one()._mapping)
        history = conn.execute(select(SupplierRatingHistory.supplier_id, SupplierRatingHistory.previous_rating,
                                      SupplierRatingHistory.new_rating)).all()
    assert (m["total_pos_issued"], m["pos_delivered_ontime"], m["ontime_delivery_pct"]) == (2, 1, Decimal("66.67"))
    assert (m["total_quantity_received"], m["quantity_rejected"], m["defect_ppm"]) == (Decimal("2002"), Decimal("6"), 2997)
    assert (m["rfqs_sent"], m["rfqs_responded"], m["response_rate_pct"]) == (4, 3, Decimal("75.00"))
    assert (m["invoice_accuracy_pct"], m["payment_disputes"], m["total_spend"]) == (Decimal("75.00"), 1, Decimal("1500.00"))
    # 0.35 * 66.67 + 0.35 * 85.02 + 0.15 * 75 + 0.15 * 75
    assert m["overall_score"] == Decimal("75.59") and m["performance_rating"] == "Good"
    assert (m["previous_period_score"], m["score_change"], m["trend"]) == (Decimal("80.00"), Decimal("-4.41"), "declining")
    assert (card["quality_score"], card["delivery_score"], card["supplier_rating"], card["action_required"]) == (
        Decimal("85.02"), Decimal("66.67"), "Good", False)
    assert card2["overall_score"] == Decimal("100.00") and card2["supplier_rating"] == "Excellent" and card2["delivery_score"] is None
    assert history == [("SUP-2", "Poor", "Excellent")]

    counts = [_count(estate, t) for t in (SupplierPerformanceMetrics, SupplierScorecards, SupplierRatingHistory)]
    again = calculate_supplier_performance(ctx, "2026-10")
    assert again["created"] == 0 and again["updated"] == 2
    assert [_count(estate, t) for t in (SupplierPerformanceMetrics, SupplierScorecards, SupplierRatingHistory)] == counts


def test_permissions_and_bad_periods_change_nothing(estate):
    before = [_count(estate, t) for t in (SupplierPerformanceMetrics, SupplierScorecards)]
    with pytest.raises(PermissionDenied):
        calculate_supplier_performance(qd.ctx_for(estate, "quality_manager"), "2026-10")
    with pytest.raises(DomainError, match="2026-10"):
        calculate_supplier_performance(qd.ctx_for(estate, "procurement_manager"), "October")
    with pytest.raises(DomainError, match="not started"):
        calculate_supplier_performance(qd.ctx_for(estate, "procurement_manager"), "2027-01")
    assert [_count(estate, t) for t in (SupplierPerformanceMetrics, SupplierScorecards)] == before
    calculate_supplier_performance(qd.ctx_for(estate, "supplier_coordinator"), "2026-10", supplier_ids=["SUP-2"])
