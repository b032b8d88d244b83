"""The buyer's read side and the procurement services it drives, on a small estate built through the
services (SQLite, and PostgreSQL in both layouts for the paged SQL): requisitions with supplier
suggestions, PO delivery status, the RFQ monitor and award (idempotent, also after a crash between
the two databases), 3-way-match exceptions side by side, scorecards and expiring documents; the
DomainError fields the forms rely on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from services.p2p_estate import FROZEN, build, context, user
from sqlalchemy import func, insert, select, update

from genims_tui.backend import buyer
from genims_tui.backend.browse import PageQuery
from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.erp import PurchaseOrderLines, PurchaseOrders, PurchaseRequisitionLines
from genims_tui.backend.models.supplier import (
    RfqHeaders,
    RfqLines,
    RfqResponseLines,
    RfqResponses,
    RfqSuppliers,
    SupplierDocuments,
    SupplierScorecards,
)
from genims_tui.backend.services import procurement

TODAY = FROZEN.date()
ERP, SUP = "genims_erp_db", "genims_supplier_db"
BUYER = user("procurement_manager")


def add(dbs, database: str, model, rows: list[dict]) -> None:
    keys = {k for row in rows for k in row}
    with dbs.begin(database) as conn:
        conn.execute(insert(model), [{k: row.get(k) for k in keys} for row in rows])


def po_status(dbs, po_id: str) -> str:
    with dbs.connect(ERP) as conn:
        return conn.execute(select(PurchaseOrders.po_status).where(PurchaseOrders.purchase_order_id == po_id)).scalar()


def count(dbs, database: str, model) -> int:
    with dbs.connect(database) as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def add_rfq(dbs) -> None:
    """RFQ-1 in evaluation with two responses (the second cheaper on one line), RFQ-2 published and due
    in 2 days, RFQ-3 awarded long ago."""
    now = FROZEN
    add(dbs, SUP, RfqHeaders, [
        {"rfq_id": "RFQ-1", "rfq_number": "R1", "rfq_title": "Steel and paint", "rfq_status": "evaluation",
         "response_deadline": TODAY - dt.timedelta(days=3), "delivery_location": "FAC-000001", "created_at": now},
        {"rfq_id": "RFQ-2", "rfq_number": "R2", "rfq_title": "Bolts", "rfq_status": "published",
         "response_deadline": TODAY + dt.timedelta(days=2), "created_at": now},
        {"rfq_id": "RFQ-3", "rfq_number": "R3", "rfq_title": "Old", "rfq_status": "awarded", "awarded_to": "SUP-000001",
         "response_deadline": TODAY - dt.timedelta(days=90), "created_at": now},
    ])
    add(dbs, SUP, RfqLines, [
        {"line_id": "RL-1", "rfq_id": "RFQ-1", "line_number": 1, "material_id": "MAT-000001", "quantity": Decimal("100"),
         "required_by_date": TODAY + dt.timedelta(days=10)},
        {"line_id": "RL-2", "rfq_id": "RFQ-1", "line_number": 2, "material_id": "MAT-000003", "quantity": Decimal("40"),
         "required_by_date": TODAY - dt.timedelta(days=1)},
    ])
    add(dbs, SUP, RfqSuppliers, [
        {"rfq_supplier_id": "RS-1", "rfq_id": "RFQ-1", "supplier_id": "SUP-000001", "response_status": "responded"},
        {"rfq_supplier_id": "RS-2", "rfq_id": "RFQ-1", "supplier_id": "SUP-000003", "response_status": "responded"},
        {"rfq_supplier_id": "RS-3", "rfq_id": "RFQ-2", "supplier_id": "SUP-000001", "response_status": "pending"},
    ])
    add(dbs, SUP, RfqResponses, [
        {"response_id": "RR-1", "response_number": "Q-1", "rfq_id": "RFQ-1", "supplier_id": "SUP-000001",
         "total_quoted_value": Decimal("1100.00"), "response_status": "submitted"},
        {"response_id": "RR-2", "response_number": "Q-2", "rfq_id": "RFQ-1", "supplier_id": "SUP-000003",
         "total_quoted_value": Decimal("1200.00"), "response_status": "submitted"},
    ])
    add(dbs, SUP, RfqResponseLines, [
        {"response_line_id": "RRL-1", "response_id": "RR-1", "rfq_line_id": "RL-1", "line_number": 1,
         "unit_price": Decimal("9.1000"), "lead_time_days": 12},
        {"response_line_id": "RRL-2", "response_id": "RR-1", "rfq_line_id": "RL-2", "line_number": 2,
         "unit_price": Decimal("4.7500"), "lead_time_days": 6},
        {"response_line_id": "RRL-3", "response_id": "RR-2", "rfq_line_id": "RL-1", "line_number": 1,
         "unit_price": Decimal("9.9000"), "lead_time_days": 20},
        {"response_line_id": "RRL-4", "response_id": "RR-2", "rfq_line_id": "RL-2", "line_number": 2,
         "unit_price": Decimal("3.5000"), "lead_time_days": 30},
    ])


def add_scorecards(dbs) -> None:
    add(dbs, SUP, SupplierScorecards, [
        {"scorecard_id": f"SC-{n}", "supplier_id": sid, "scorecard_period": period, "scorecard_type": "monthly",
         "overall_score": Decimal(score), "quality_score": Decimal("95"), "supplier_rating": rating}
        for n, (sid, period, score, rating) in enumerate((
            ("SUP-000001", "2026-09", "70", "Acceptable"), ("SUP-000001", "2026-10", "88.5", "Good"),
            ("SUP-000003", "2026-10", "55", "Poor")), 1)])


def test_the_buyer_pages_on_every_database_layout(any_dbs):
    """Requisitions, POs with delivery status, RFQs in deadline order, exceptions and scorecards: the
    paged SQL runs on SQLite and PostgreSQL alike."""
    dbs = any_dbs
    ctx = build(dbs)
    buyer_ctx = context(dbs, "procurement_manager")
    add_rfq(dbs)
    add_scorecards(dbs)
    req = procurement.create_requisition(buyer_ctx, "FAC-000001", [
        {"material_id": "MAT-000001", "quantity": "50"}, {"material_id": "MAT-000003", "quantity": "20"}],
        required_date=TODAY + dt.timedelta(days=9))
    page = buyer.requisitions_page(dbs, BUYER, PageQuery())
    assert page.keys == [req]
    assert dict(zip(page.columns, page.rows[0]))["open_lines"] == 2

    # POs: not released, open (due later), overdue (due before today), complete
    created = procurement.create_purchase_order(buyer_ctx, "SUP-000001", [{"material_id": "MAT-000001", "quantity": "5"}])
    due_later = procurement.create_purchase_order(buyer_ctx, "SUP-000001", [
        {"material_id": "MAT-000001", "quantity": "5", "delivery_date": TODAY + dt.timedelta(days=5)}])
    overdue = procurement.create_purchase_order(buyer_ctx, "SUP-000001", [
        {"material_id": "MAT-000003", "quantity": "5", "delivery_date": TODAY + dt.timedelta(days=1)},
        {"material_id": "MAT-000001", "quantity": "5", "delivery_date": TODAY + dt.timedelta(days=1)}])
    complete = procurement.create_purchase_order(buyer_ctx, "SUP-000001", [{"material_id": "MAT-000003", "quantity": "4"}])
    for po in (due_later, overdue, complete):
        procurement.approve_purchase_order(buyer_ctx, po.purchase_order_id)
        procurement.release_purchase_order(buyer_ctx, po.purchase_order_id)
    for po, quantity in ((complete, "4"), (overdue, "5")):
        procurement.receive_goods(buyer_ctx, po.purchase_order_id, [{"po_line_id": po.lines[0].po_line_id, "quantity": quantity}])
    later = TODAY + dt.timedelta(days=3)  # the overdue PO's open line was due the day after TODAY
    page = buyer.purchase_orders_page(dbs, BUYER, later, PageQuery())
    delivery = {k: dict(zip(page.columns, r))["delivery"] for k, r in zip(page.keys, page.rows)}
    assert delivery == {created.purchase_order_id: "not released", due_later.purchase_order_id: "open",
                        overdue.purchase_order_id: "overdue", complete.purchase_order_id: "complete"}
    assert page.keys[0] == complete.purchase_order_id  # newest first
    row = dict(zip(page.columns, page.rows[page.keys.index(overdue.purchase_order_id)]))
    assert (row["receipts"], row["received"], row["ordered"]) == (1, Decimal("5"), Decimal("10"))
    assert buyer.delivery_summary(dbs, BUYER, later) == {"overdue": 1, "open": 1, "not released": 1, "complete": 1,
                                                         "cancelled": 0}
    overdue_only = buyer.purchase_orders_page(dbs, BUYER, later, PageQuery(filter_text="delivery=overdue"))
    assert overdue_only.keys == [overdue.purchase_order_id]

    # RFQs: open ones first, the nearest deadline first; days counted from the caller's day
    page = buyer.rfqs_page(dbs, BUYER, TODAY, PageQuery())
    assert page.keys == ["RFQ-2", "RFQ-1", "RFQ-3"]
    assert "due_order" not in page.columns
    assert [dict(zip(page.columns, r))["days_left"] for r in page.rows] == [2, -3, -90]
    assert buyer.rfqs_page(dbs, BUYER, TODAY, PageQuery(sort_column="rfq")).keys == ["RFQ-1", "RFQ-2", "RFQ-3"]

    page = buyer.scorecards_page(dbs, BUYER, PageQuery())
    assert page.keys == ["SUP-000003", "SUP-000001"]  # the lowest score first, the latest period each
    assert dict(zip(page.columns, page.rows[1]))["period"] == "2026-10"
    assert [p["period"] for p in buyer.score_trend(dbs, BUYER, "SUP-000001")] == ["2026-09", "2026-10"]
    assert ctx is not None


def test_requisition_detail_suggests_suppliers_with_contract_price_and_rating(sqlite_dbs):
    dbs = sqlite_dbs
    build(dbs)
    add_scorecards(dbs)
    ctx = context(dbs, "procurement_manager")
    req = procurement.create_requisition(ctx, "FAC-000001", [
        {"material_id": "MAT-000001", "quantity": "50"}, {"material_id": "MAT-000003", "quantity": "20"}])
    detail = buyer.requisition_detail(dbs, BUYER, req, TODAY)
    assert [ln["material_id"] for ln in detail["open_lines"]] == ["MAT-000001", "MAT-000003"]
    best = detail["suppliers"][0]
    assert best["supplier_id"] == "SUP-000001" and best["covers"] == 2 and best["orderable"]
    assert best["prices"] == {"MAT-000003": (Decimal("3.8000"), "CTR-000001")}  # the expired contract is not offered
    assert (best["rating"], best["score"]) == ("Good", Decimal("88.50"))
    assert "SUP-000002" not in buyer.orderable_supplier_ids(dbs, BUYER)  # blocked
    with pytest.raises(NotFound):
        buyer.requisition_detail(dbs, BUYER, "PR-999999", TODAY)
    with pytest.raises(PermissionDenied):
        buyer.requisitions_page(dbs, user("supplier_user"), PageQuery())


def test_convert_with_typed_lines_submit_approve_release_and_the_form_fields(sqlite_dbs):
    dbs = sqlite_dbs
    build(dbs)
    ctx = context(dbs, "procurement_manager")
    req = procurement.create_requisition(ctx, "FAC-000001", [
        {"material_id": "MAT-000001", "quantity": "50"}, {"material_id": "MAT-000003", "quantity": "20"}],
        required_date=TODAY + dt.timedelta(days=9))
    procurement.approve_requisition(ctx, req)
    with dbs.connect(ERP) as conn:
        first, second = conn.execute(select(PurchaseRequisitionLines.requisition_line_id)
                                     .where(PurchaseRequisitionLines.requisition_id == req)
                                     .order_by(PurchaseRequisitionLines.line_number)).scalars()
    refusals = [
        ({"supplier_id": "SUP-000404"}, "supplier_id", "There is no supplier SUP-000404."),
        ({"supplier_id": "SUP-000002"}, "supplier_id", "blocked for orders"),
        ({"supplier_id": "SUP-000001", "line_changes": {first: {"quantity": Decimal("-1")}}}, "quantity_1", "more than 0"),
        ({"supplier_id": "SUP-000001", "line_changes": {second: {"delivery_date": TODAY - dt.timedelta(days=1)}}},
         "delivery_date_2", "in the past"),
        ({"supplier_id": "X" * 51}, "supplier_id", "too long"),
    ]
    for kwargs, field, words in refusals:
        with pytest.raises(DomainError) as caught:
            procurement.convert_requisition(ctx, req, **kwargs)
        assert caught.value.field == field and words in str(caught.value)
    assert count(dbs, ERP, PurchaseOrders) == 0

    [po] = procurement.convert_requisition(ctx, req, "SUP-000001", line_changes={
        first: {"quantity": Decimal("35"), "delivery_date": TODAY + dt.timedelta(days=30)}})
    with dbs.connect(ERP) as conn:
        lines = conn.execute(select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po.purchase_order_id)
                             .order_by(PurchaseOrderLines.line_number)).all()
        assigned = dict(conn.execute(select(PurchaseRequisitionLines.requisition_line_id,
                                            PurchaseRequisitionLines.assigned_quantity)
                                     .where(PurchaseRequisitionLines.requisition_id == req)).all())
    assert [(ln.material_id, ln.order_quantity) for ln in lines] == [("MAT-000001", Decimal("35")), ("MAT-000003", Decimal("20"))]
    assert lines[0].delivery_date == TODAY + dt.timedelta(days=30)
    assert lines[1].unit_price == Decimal("3.8000")  # the contract price
    assert assigned == {first: Decimal("35"), second: Decimal("20")}

    assert procurement.submit_purchase_order(ctx, po.purchase_order_id) == "pending_approval"
    assert procurement.submit_purchase_order(ctx, po.purchase_order_id) == "pending_approval"  # idempotent
    assert procurement.approve_purchase_order(ctx, po.purchase_order_id) == "approved"
    assert procurement.release_purchase_order(ctx, po.purchase_order_id) == "open"
    assert procurement.submit_purchase_order(ctx, po.purchase_order_id) == "open"  # released: left as it is
    with pytest.raises(PermissionDenied):
        procurement.submit_purchase_order(context(dbs, "supplier_coordinator"), po.purchase_order_id)

    # receipts: the over-receipt rule names the form's line; a closed PO refuses with receipt_refusal's words
    detail = buyer.purchase_order_detail(dbs, BUYER, po.purchase_order_id, TODAY)
    assert detail["receivable"] and detail["lines"][1]["receivable"] == Decimal("21.0000")
    with pytest.raises(DomainError) as caught:
        procurement.receive_goods(ctx, po.purchase_order_id, [{"po_line_id": lines[0].po_line_id, "quantity": "1"},
                                                             {"po_line_id": lines[1].po_line_id, "quantity": "22"}])
    assert caught.value.field == "quantity_2" and "Receive at most 21.0000 more" in str(caught.value)
    with dbs.begin(ERP) as conn:
        conn.execute(update(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po.purchase_order_id)
                     .values(po_status="closed"))
    detail = buyer.purchase_order_detail(dbs, BUYER, po.purchase_order_id, TODAY)
    with pytest.raises(DomainError) as caught:
        procurement.receive_goods(ctx, po.purchase_order_id, [{"po_line_id": lines[0].po_line_id, "quantity": "1"}])
    assert not detail["receivable"] and detail["receipt_rule"] == str(caught.value)


def test_award_makes_one_po_with_the_quoted_prices_even_after_a_crash_between_databases(sqlite_dbs):
    dbs = sqlite_dbs
    build(dbs)
    add_rfq(dbs)
    add_scorecards(dbs)
    ctx = context(dbs, "procurement_manager")
    comparison = buyer.rfq_comparison(dbs, BUYER, "RFQ-1")
    first = comparison["responses"][0]
    assert [r["response_id"] for r in comparison["responses"]] == ["RR-1", "RR-2"]  # the lowest total first
    assert first["lines"]["RL-1"]["lowest"] and not first["lines"]["RL-2"]["lowest"]
    assert comparison["responses"][1]["lines"]["RL-2"]["lowest"]
    assert (first["rating"], first["quality_score"], first["max_lead_time_days"]) == ("Good", Decimal("95"), 12)

    with pytest.raises(PermissionDenied):
        procurement.award_rfq_response(context(dbs, "supplier_coordinator"), "RR-1")  # ERP read only
    with pytest.raises(NotFound) as caught:
        procurement.award_rfq_response(ctx, "RR-404")
    assert caught.value.field == "response_id"
    with pytest.raises(DomainError) as caught:
        procurement.award_rfq_response(ctx, "RR-1", notes="n" * 2001)
    assert caught.value.field == "notes"
    assert count(dbs, ERP, PurchaseOrders) == 0

    po = procurement.award_rfq_response(ctx, "RR-1", notes="cheapest overall")
    with dbs.connect(ERP) as conn:
        head = conn.execute(select(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po.purchase_order_id)).one()
        lines = conn.execute(select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po.purchase_order_id)
                             .order_by(PurchaseOrderLines.line_number)).all()
    assert (head.supplier_id, head.quotation_number, head.po_status) == ("SUP-000001", "Q-1", "created")
    assert [(ln.material_id, ln.order_quantity, ln.unit_price) for ln in lines] == [
        ("MAT-000001", Decimal("100"), Decimal("9.1000")), ("MAT-000003", Decimal("40"), Decimal("4.7500"))]
    assert lines[0].delivery_date == TODAY + dt.timedelta(days=10)
    assert lines[1].delivery_date == TODAY + dt.timedelta(days=6)  # required date passed: today + quoted lead time
    with dbs.connect(SUP) as conn:
        rfq = conn.execute(select(RfqHeaders).where(RfqHeaders.rfq_id == "RFQ-1")).one()
        statuses = dict(conn.execute(select(RfqResponses.response_id, RfqResponses.response_status)).all())
    assert (rfq.rfq_status, rfq.awarded_to, rfq.awarded_date) == ("awarded", "SUP-000001", TODAY)
    assert rfq.award_notes == "cheapest overall"
    assert statuses == {"RR-1": "awarded", "RR-2": "not_awarded"}

    assert procurement.award_rfq_response(ctx, "RR-1").purchase_order_id == po.purchase_order_id
    with pytest.raises(DomainError, match="awarded to SUP-000001 already"):
        procurement.award_rfq_response(ctx, "RR-2")
    # a crash after the PO was written and before the RFQ was marked: the rerun finishes, no second PO
    with dbs.begin(SUP) as conn:
        conn.execute(update(RfqHeaders).where(RfqHeaders.rfq_id == "RFQ-1").values(rfq_status="evaluation", awarded_to=None))
    assert procurement.award_rfq_response(ctx, "RR-1").purchase_order_id == po.purchase_order_id
    assert count(dbs, ERP, PurchaseOrders) == 1
    with dbs.connect(SUP) as conn:
        assert conn.execute(select(RfqHeaders.rfq_status).where(RfqHeaders.rfq_id == "RFQ-1")).scalar() == "awarded"


def test_match_exceptions_side_by_side_and_expiring_documents(sqlite_dbs):
    dbs = sqlite_dbs
    build(dbs)
    ctx = context(dbs, "procurement_manager")
    po = procurement.create_purchase_order(ctx, "SUP-000001", [{"material_id": "MAT-000001", "quantity": "10"}])
    procurement.approve_purchase_order(ctx, po.purchase_order_id)
    procurement.release_purchase_order(ctx, po.purchase_order_id)
    procurement.receive_goods(ctx, po.purchase_order_id, [{"po_line_id": po.lines[0].po_line_id, "quantity": "6"}])
    inv = procurement.submit_invoice(ctx, "SUP-000001", po.purchase_order_id,
                                     [{"po_line_id": po.lines[0].po_line_id, "quantity": "8", "unit_price": "10.45"}],
                                     supplier_invoice_number="INV-77")
    procurement.match_invoices(ctx)
    page = buyer.invoice_exceptions_page(dbs, BUYER, PageQuery())
    assert page.keys == [inv]
    detail = buyer.invoice_match_detail(dbs, BUYER, inv)
    [line] = detail["lines"]
    assert (line["po_quantity"], line["received"], line["invoiced"]) == (Decimal("10"), Decimal("6"), Decimal("8"))
    assert line["quantity_variance"] == Decimal("2")
    assert line["po_unit_price"] == Decimal("9.5000") and line["price_variance_pct"] == Decimal("10.00")
    assert line["amount_variance"] == Decimal("7.60")
    assert len(detail["receipts"]) == 1
    with pytest.raises(DomainError) as caught:
        procurement.reject_invoice(ctx, inv, "  ")
    assert caught.value.field == "reason"
    procurement.reject_invoice(ctx, inv, "quantity not delivered")
    assert buyer.invoice_exceptions_page(dbs, BUYER, PageQuery()).keys == []

    add(dbs, SUP, SupplierDocuments, [
        {"document_id": f"D-{n}", "supplier_id": "SUP-000001", "document_name": name, "document_status": status,
         "expiry_date": TODAY + dt.timedelta(days=days)}
        for n, (name, status, days) in enumerate((("ISO", "active", 10), ("REACH", "active", 61), ("Old", "expired", 5),
                                                  ("Insurance", "active", -2)), 1)])
    soon = buyer.expiring_soon(dbs, BUYER, TODAY)
    assert [(d["document_name"], d["days_left"]) for d in soon["documents"]] == [("Insurance", -2), ("ISO", 10)]
    assert [(c["contract_id"], c["days_left"]) for c in soon["contracts"]] == [("CTR-000001", 41)]  # ends 2026-12-31
    assert buyer.expiring_soon(dbs, BUYER, dt.date(2026, 10, 1))["contracts"] == []  # 91 days away
