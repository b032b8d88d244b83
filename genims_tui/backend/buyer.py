"""The buyer's read side: open requisitions with supplier suggestions, purchase orders with their
delivery status and receipts, the RFQ deadline monitor with responses side by side, 3-way-match
exceptions with PO / receipt / invoice lines side by side, supplier scorecards with their trend, and
contracts and documents about to expire.

Every function reads (never writes), checks the user's read access to the databases it touches and
returns plain data. Lists are pages (`browse.page_select`: paged, filtered and sorted in SQL); the
other reads are bounded by a LIMIT or by one document's lines. Never imports textual.

Delivery status of a purchase order (`delivery` column):
    complete      every line received (received >= ordered), or the PO is received / closed
    overdue       released, and an open line's delivery date is before today
    open          released, nothing overdue
    not released  created / pending approval / approved, not yet released to the supplier
    cancelled     cancelled or deleted
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, case, cast, func, or_, select

from .access import ActingUser, require
from .browse import Page, PageQuery, page_select
from .databases import Databases
from .errors import NotFound
from .models.erp import (
    GoodsReceipts,
    Materials,
    PurchaseOrderLines,
    PurchaseOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
    Suppliers,
)
from .models.supplier import (
    ContractPricing,
    RfqHeaders,
    RfqLines,
    RfqResponseLines,
    RfqResponses,
    RfqSuppliers,
    SupplierContracts,
    SupplierDocuments,
    SupplierInvoiceLines,
    SupplierInvoices,
    SupplierScorecards,
)

ERP = "genims_erp_db"
SUP = "genims_supplier_db"
D0 = Decimal(0)

EXPIRY_WINDOW_DAYS = 60
SUGGESTED_SUPPLIERS = 8
SUPPLIER_CHOICES = 500  # supplier ids offered for completion in the PO form
SCORE_TREND_PERIODS = 24
EXPIRING_LIMIT = 100
RECEIPTS_SHOWN = 20
CLOSED_PO = ("closed", "completed", "received")
CANCELLED_PO = ("cancelled", "canceled", "deleted")
NOT_RELEASED_PO = ("created", "draft", "pending_approval", "pending", "approved")
SETTLED_INVOICE = ("approved", "rejected", "paid", "cancelled", "scheduled", "posted")
ORDERABLE_SUPPLIER = ("active", "approved", "preferred")


def _d(value: Any) -> Decimal:
    if value is None:
        return D0
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _sorted(pq: PageQuery, column: str, descending: bool = False) -> PageQuery:
    """The page query, sorted by `column` unless the user chose a sort."""
    return pq if pq.sort_column else replace(pq, sort_column=column, descending=descending)


def _latest_scorecards(conn, supplier_ids: list[str] | None = None):
    """The latest monthly scorecard row per supplier (optionally only of some suppliers)."""
    sc = SupplierScorecards
    latest = select(sc.supplier_id.label("sid"), func.max(sc.scorecard_period).label("period")).group_by(sc.supplier_id)
    if supplier_ids is not None:
        latest = latest.where(sc.supplier_id.in_(supplier_ids))
    latest = latest.subquery()
    return (select(sc).join(latest, and_(latest.c.sid == sc.supplier_id, latest.c.period == sc.scorecard_period)))


# -- requisitions ------------------------------------------------------------------------------------

def requisitions_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Open purchase requisitions (overall status open) with their open lines and estimated value;
    the earliest required date first unless the user sorts."""
    require(user, ERP, "read", "Reading purchase requisitions")
    pr, prl = PurchaseRequisitions, PurchaseRequisitionLines
    open_lines = (select(prl.requisition_id.label("rid"), func.count().label("n"),
                         func.sum(prl.estimated_total).label("value"))
                  .where(prl.line_status == "open").group_by(prl.requisition_id).subquery())
    query = (select(pr.requisition_id.label("requisition"), pr.requisition_date.label("date"),
                    pr.required_date.label("required"), pr.plant_id.label("plant"), pr.priority,
                    pr.approval_status.label("approval"), pr.source_type.label("source"),
                    func.coalesce(open_lines.c.n, 0).label("open_lines"), open_lines.c.value.label("est_value"))
             .outerjoin(open_lines, open_lines.c.rid == pr.requisition_id)
             .where(pr.overall_status == "open"))
    with dbs.connect(ERP) as conn:
        return page_select(conn, query, _sorted(pq, "required"), key_column="requisition")


def requisition_detail(dbs: Databases, user: ActingUser, requisition_id: str, today: dt.date) -> dict[str, Any]:
    """A requisition, its lines (open ones first to order) and the suppliers to order from: each
    material's default supplier and the suppliers with an active contract price for it, with their
    latest scorecard and contract prices; the suppliers covering most lines, then the best score, first."""
    require(user, ERP, "read", "Reading a purchase requisition")
    pr, prl = PurchaseRequisitions, PurchaseRequisitionLines
    with dbs.connect(ERP) as conn:
        head = conn.execute(select(pr).where(pr.requisition_id == requisition_id)).first()
        if head is None:
            raise NotFound(f"There is no requisition {requisition_id}.")
        lines = conn.execute(
            select(prl.requisition_line_id, prl.line_number, prl.material_id, prl.material_description, prl.quantity,
                   prl.unit_of_measure, prl.delivery_date, prl.estimated_price, prl.line_status, prl.assigned_to_po,
                   Materials.default_supplier_id)
            .outerjoin(Materials, Materials.material_id == prl.material_id)
            .where(prl.requisition_id == requisition_id).order_by(prl.line_number)).all()
    line_dicts = [dict(r._mapping) for r in lines]
    open_lines = [ln for ln in line_dicts if ln["line_status"] == "open"]
    return {"requisition": dict(head._mapping), "lines": line_dicts, "open_lines": open_lines,
            "suppliers": supplier_suggestions(dbs, user, [ln["material_id"] for ln in open_lines], today,
                                              defaults={ln["material_id"]: ln["default_supplier_id"] for ln in open_lines}),
            "purchase_orders": sorted({ln["assigned_to_po"] for ln in line_dicts if ln["assigned_to_po"]})}


def supplier_suggestions(dbs: Databases, user: ActingUser, material_ids: list[str], today: dt.date, *,
                         defaults: dict[str, str | None] | None = None,
                         limit: int = SUGGESTED_SUPPLIERS) -> list[dict[str, Any]]:
    """Suppliers for these materials: {supplier_id, name, status, orderable, default_for, prices
    {material: (price, contract)}, covers, score, rating}."""
    mats = sorted({m for m in material_ids if m})
    if not mats:
        return []
    defaults = defaults or {}
    candidates: dict[str, dict[str, Any]] = {}

    def entry(sid: str) -> dict[str, Any]:
        return candidates.setdefault(sid, {"supplier_id": sid, "default_for": [], "prices": {}})

    for mid, sid in defaults.items():
        if sid:
            entry(sid)["default_for"].append(mid)
    if user.can(SUP, "read"):
        c, p = SupplierContracts, ContractPricing
        with dbs.connect(SUP) as conn:
            for sid, mid, price, contract in conn.execute(
                    select(c.supplier_id, p.material_id, p.unit_price, c.contract_id)
                    .join(c, c.contract_id == p.contract_id)
                    .where(p.material_id.in_(mats), c.contract_status == "active", p.is_active.is_not(False),
                           p.unit_price.is_not(None),
                           or_(c.start_date.is_(None), c.start_date <= today), or_(c.end_date.is_(None), c.end_date >= today),
                           or_(p.effective_from.is_(None), p.effective_from <= today),
                           or_(p.effective_to.is_(None), p.effective_to >= today))
                    .order_by(p.effective_from.desc(), c.contract_id).limit(500)):
                if sid:
                    entry(sid)["prices"].setdefault(mid, (_d(price), contract))
            cards = {r.supplier_id: r for r in conn.execute(_latest_scorecards(conn, sorted(candidates)))} if candidates else {}
    else:
        cards = {}
    with dbs.connect(ERP) as conn:
        sups = {s.supplier_id: s for s in conn.execute(
            select(Suppliers.supplier_id, Suppliers.supplier_name, Suppliers.supplier_status, Suppliers.blocked_for_orders,
                   Suppliers.quality_rating).where(Suppliers.supplier_id.in_(sorted(candidates))))} if candidates else {}
    out = []
    for sid, e in candidates.items():
        s, card = sups.get(sid), cards.get(sid)
        covers = len(set(e["default_for"]) | set(e["prices"]))
        out.append({**e, "name": s.supplier_name if s else None, "status": s.supplier_status if s else "unknown",
                    "orderable": bool(s) and not s.blocked_for_orders and (s.supplier_status or "active") in ORDERABLE_SUPPLIER,
                    "covers": covers, "of": len(mats),
                    "score": _d(card.overall_score) if card and card.overall_score is not None else None,
                    "rating": card.supplier_rating if card else None,
                    "period": card.scorecard_period if card else None,
                    "quality_rating": _d(s.quality_rating) if s and s.quality_rating is not None else None})
    out.sort(key=lambda r: (not r["orderable"], -r["covers"], -(r["score"] or D0), r["supplier_id"]))
    return out[:limit]


def orderable_supplier_ids(dbs: Databases, user: ActingUser, limit: int = SUPPLIER_CHOICES) -> list[str]:
    """Supplier ids a PO may go to (active, not blocked), for completion in a form; at most `limit`."""
    require(user, ERP, "read", "Reading suppliers")
    with dbs.connect(ERP) as conn:
        return list(conn.execute(select(Suppliers.supplier_id).where(
            or_(Suppliers.blocked_for_orders.is_(None), Suppliers.blocked_for_orders.is_(False)),
            func.coalesce(Suppliers.supplier_status, "active").in_(ORDERABLE_SUPPLIER))
            .order_by(Suppliers.supplier_id).limit(limit)).scalars())


# -- purchase orders ----------------------------------------------------------------------------------

def _delivery_status(po_status, ordered, received, next_due, today):
    status = func.lower(func.coalesce(po_status, ""))
    return case(
        (status.in_(CANCELLED_PO), "cancelled"),
        (or_(status.in_(CLOSED_PO), and_(ordered > 0, received >= ordered)), "complete"),
        (status.in_(NOT_RELEASED_PO), "not released"),
        (next_due < today, "overdue"),
        else_="open")


def _po_facts():
    pol, gr = PurchaseOrderLines, GoodsReceipts
    live = or_(pol.deletion_indicator.is_(None), pol.deletion_indicator.is_(False))
    outstanding = func.coalesce(pol.order_quantity, 0) > func.coalesce(pol.received_quantity, 0)
    lines = (select(pol.purchase_order_id.label("pid"), func.count().label("n"),
                    func.sum(func.coalesce(pol.order_quantity, 0)).label("ordered"),
                    func.sum(func.coalesce(pol.received_quantity, 0)).label("received"),
                    func.min(case((outstanding, pol.delivery_date), else_=None)).label("next_due"))
             .where(live).group_by(pol.purchase_order_id).subquery())
    receipts = (select(gr.purchase_order_id.label("pid"), func.count().label("n"), func.max(gr.gr_date).label("last"))
                .where(gr.cancelled.is_not(True)).group_by(gr.purchase_order_id).subquery())
    return lines, receipts


def purchase_orders_page(dbs: Databases, user: ActingUser, today: dt.date, pq: PageQuery) -> Page:
    """Purchase orders with their delivery status (see the module notes), ordered / received
    quantities, the next open delivery date and the goods receipts; newest first unless sorted."""
    require(user, ERP, "read", "Reading purchase orders")
    po = PurchaseOrders
    lines, receipts = _po_facts()
    ordered, received = func.coalesce(lines.c.ordered, 0), func.coalesce(lines.c.received, 0)
    query = (select(po.purchase_order_id.label("po"), po.supplier_id.label("supplier"), po.po_date.label("date"),
                    po.po_status.label("status"),
                    _delivery_status(po.po_status, ordered, received, lines.c.next_due, today).label("delivery"),
                    func.coalesce(lines.c.n, 0).label("lines"), ordered.label("ordered"), received.label("received"),
                    lines.c.next_due.label("next_due"), func.coalesce(receipts.c.n, 0).label("receipts"),
                    receipts.c.last.label("last_receipt"), po.total_value.label("value"), po.currency)
             .outerjoin(lines, lines.c.pid == po.purchase_order_id)
             .outerjoin(receipts, receipts.c.pid == po.purchase_order_id))
    with dbs.connect(ERP) as conn:
        return page_select(conn, query, _sorted(pq, "po", descending=True), key_column="po")


def delivery_summary(dbs: Databases, user: ActingUser, today: dt.date) -> dict[str, int]:
    """How many purchase orders are in each delivery status."""
    require(user, ERP, "read", "Reading purchase orders")
    po = PurchaseOrders
    lines, _receipts = _po_facts()
    ordered, received = func.coalesce(lines.c.ordered, 0), func.coalesce(lines.c.received, 0)
    status = _delivery_status(po.po_status, ordered, received, lines.c.next_due, today).label("delivery")
    inner = select(status).outerjoin(lines, lines.c.pid == po.purchase_order_id).subquery()
    with dbs.connect(ERP) as conn:
        counts = {k: int(n) for k, n in conn.execute(select(inner.c.delivery, func.count()).group_by(inner.c.delivery))}
    return {k: counts.get(k, 0) for k in ("overdue", "open", "not released", "complete", "cancelled")}


def purchase_order_detail(dbs: Databases, user: ActingUser, po_id: str, today: dt.date) -> dict[str, Any]:
    """A PO with its lines (ordered, received, still open, most that may still be received under the
    over-receipt tolerance, overdue or not) and its latest goods receipts."""
    from .services.procurement import OVER_RECEIPT_PCT, receipt_refusal

    require(user, ERP, "read", "Reading a purchase order")
    po, pol, gr = PurchaseOrders, PurchaseOrderLines, GoodsReceipts
    with dbs.connect(ERP) as conn:
        head = conn.execute(select(po).where(po.purchase_order_id == po_id)).first()
        if head is None:
            raise NotFound(f"There is no purchase order {po_id}.")
        rows = conn.execute(select(pol).where(pol.purchase_order_id == po_id).order_by(pol.line_number)).all()
        grs = conn.execute(select(gr.goods_receipt_id, gr.gr_date, gr.po_line_id, gr.material_id, gr.quantity_received,
                                  gr.quality_status, gr.delivery_note, gr.total_value)
                           .where(gr.purchase_order_id == po_id, gr.cancelled.is_not(True))
                           .order_by(gr.goods_receipt_id.desc()).limit(RECEIPTS_SHOWN)).all()
    lines = []
    for r in rows:
        ordered, received = _d(r.order_quantity), _d(r.received_quantity)
        limit = (ordered * (1 + OVER_RECEIPT_PCT / 100)).quantize(Decimal("0.0001"))
        closed = bool(r.deletion_indicator) or (r.line_status or "") in ("closed", "cancelled", "deleted")
        lines.append({"po_line_id": r.po_line_id, "line_number": r.line_number, "material_id": r.material_id,
                      "description": r.material_description, "unit": r.unit_of_measure, "ordered": ordered,
                      "received": received, "open": max(ordered - received, D0),
                      "receivable": D0 if closed else max(limit - received, D0), "unit_price": _d(r.unit_price),
                      "delivery_date": r.delivery_date, "line_status": r.line_status, "closed": closed,
                      "overdue": not closed and received < ordered and r.delivery_date is not None and r.delivery_date < today})
    receipt_rule = receipt_refusal(head)
    return {"purchase_order": dict(head._mapping), "lines": lines, "receipts": [dict(g._mapping) for g in grs],
            "receivable": receipt_rule is None, "receipt_rule": receipt_rule, "over_receipt_pct": OVER_RECEIPT_PCT}


# -- RFQs ------------------------------------------------------------------------------------------------

def rfqs_page(dbs: Databases, user: ActingUser, today: dt.date, pq: PageQuery) -> Page:
    """The RFQ deadline monitor: RFQs still open to answers first (published, then in evaluation,
    then drafts; each by deadline, the soonest first), then awarded and closed ones; with the
    suppliers invited, the answers received and days to the deadline (negative = passed)."""
    require(user, SUP, "read", "Reading RFQs")
    rh, rs, rr = RfqHeaders, RfqSuppliers, RfqResponses
    invited = select(rs.rfq_id.label("rid"), func.count().label("n")).group_by(rs.rfq_id).subquery()
    answered = select(rr.rfq_id.label("rid"), func.count().label("n")).group_by(rr.rfq_id).subquery()
    rank = case((rh.rfq_status == "published", "0"), (rh.rfq_status == "evaluation", "1"), (rh.rfq_status == "draft", "2"),
                else_="3")
    due_order = rank + "-" + func.coalesce(cast(rh.response_deadline, String), "9999")
    query = (select(rh.rfq_id.label("rfq"), rh.rfq_title.label("title"), rh.rfq_status.label("status"),
                    rh.response_deadline.label("deadline"), func.coalesce(invited.c.n, 0).label("invited"),
                    func.coalesce(answered.c.n, 0).label("responses"), rh.total_estimated_value.label("est_value"),
                    rh.awarded_to.label("awarded_to"), due_order.label("due_order"))
             .outerjoin(invited, invited.c.rid == rh.rfq_id).outerjoin(answered, answered.c.rid == rh.rfq_id))
    with dbs.connect(SUP) as conn:
        page = page_select(conn, query, _sorted(pq, "due_order"), key_column="rfq")
    # the ordering column is for sorting only; days to the deadline are counted from the caller's clock
    at = page.columns.index("due_order")
    deadline_at = page.columns.index("deadline")
    columns = [c for c in page.columns if c != "due_order"]
    columns.insert(deadline_at + 1, "days_left")
    rows = []
    for r in page.rows:
        values = [v for i, v in enumerate(r) if i != at]
        deadline = r[deadline_at]
        values.insert(deadline_at + 1, (deadline - today).days if isinstance(deadline, dt.date) else None)
        rows.append(tuple(values))
    return Page(columns, rows, page.offset, page.has_more, page.keys, page.last_key)


def rfq_comparison(dbs: Databases, user: ActingUser, rfq_id: str) -> dict[str, Any]:
    """An RFQ's lines and its responses side by side: per response the supplier, its quality
    rating (latest scorecard), total, and per line the unit price, lead time and delivery date;
    the lowest price of each line flagged."""
    require(user, SUP, "read", "Reading an RFQ")
    rh, rl, rr, rrl = RfqHeaders, RfqLines, RfqResponses, RfqResponseLines
    with dbs.connect(SUP) as conn:
        head = conn.execute(select(rh).where(rh.rfq_id == rfq_id)).first()
        if head is None:
            raise NotFound(f"There is no RFQ {rfq_id}.")
        lines = [dict(r._mapping) for r in conn.execute(
            select(rl.line_id, rl.line_number, rl.material_id, rl.quantity, rl.unit_of_measure, rl.target_price,
                   rl.required_by_date).where(rl.rfq_id == rfq_id).order_by(rl.line_number, rl.line_id).limit(200))]
        responses = [dict(r._mapping) for r in conn.execute(
            select(rr.response_id, rr.response_number, rr.supplier_id, rr.response_date, rr.valid_until_date,
                   rr.total_quoted_value, rr.response_status).where(rr.rfq_id == rfq_id)
            .order_by(rr.total_quoted_value, rr.response_id).limit(50))]
        quoted = conn.execute(select(rrl.response_id, rrl.rfq_line_id, rrl.unit_price, rrl.lead_time_days, rrl.delivery_date,
                                     rrl.meets_specifications)
                              .where(rrl.response_id.in_([r["response_id"] for r in responses]))).all() if responses else []
        sids = sorted({r["supplier_id"] for r in responses if r["supplier_id"]})
        cards = {c.supplier_id: c for c in conn.execute(_latest_scorecards(conn, sids))} if sids else {}
    names: dict[str, Any] = {}
    if sids and user.can(ERP, "read"):
        with dbs.connect(ERP) as conn:
            names = {s.supplier_id: s for s in conn.execute(
                select(Suppliers.supplier_id, Suppliers.supplier_name, Suppliers.quality_rating)
                .where(Suppliers.supplier_id.in_(sids)))}
    per: dict[tuple[str, str], dict[str, Any]] = {}
    for q in quoted:
        per[(q.response_id, q.rfq_line_id)] = {"unit_price": _d(q.unit_price) if q.unit_price is not None else None,
                                               "lead_time_days": q.lead_time_days, "delivery_date": q.delivery_date,
                                               "meets_specifications": q.meets_specifications, "lowest": False}
    for ln in lines:
        quotes = [(per.get((r["response_id"], ln["line_id"])), r["response_id"]) for r in responses]
        prices = [(q["unit_price"], rid) for q, rid in quotes if q is not None and q["unit_price"] is not None]
        if prices:
            per[(min(prices)[1], ln["line_id"])]["lowest"] = True
    for r in responses:
        card, sup = cards.get(r["supplier_id"]), names.get(r["supplier_id"])
        r["supplier_name"] = sup.supplier_name if sup else None
        r["quality_score"] = _d(card.quality_score) if card and card.quality_score is not None else (
            _d(sup.quality_rating) if sup and sup.quality_rating is not None else None)
        r["overall_score"] = _d(card.overall_score) if card and card.overall_score is not None else None
        r["rating"] = card.supplier_rating if card else None
        r["lines"] = {ln["line_id"]: per.get((r["response_id"], ln["line_id"])) for ln in lines}
        leads = [v["lead_time_days"] for v in r["lines"].values() if v and v["lead_time_days"] is not None]
        r["max_lead_time_days"] = max(leads) if leads else None
    return {"rfq": dict(head._mapping), "lines": lines, "responses": responses}


# -- invoices: 3-way-match exceptions -----------------------------------------------------------------

def invoice_exceptions_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Supplier invoices held by the 3-way match (matching status exception, not yet approved or
    rejected); the oldest first unless sorted."""
    require(user, SUP, "read", "Reading supplier invoices")
    si = SupplierInvoices
    query = (select(si.invoice_id.label("invoice"), si.supplier_invoice_number.label("supplier_ref"),
                    si.supplier_id.label("supplier"), si.purchase_order_id.label("po"), si.invoice_date.label("date"),
                    si.total_amount.label("total"), si.price_variance.label("price_var"),
                    si.quantity_variance.label("qty_var"), si.invoice_status.label("status"),
                    cast(si.variance_reason, String).label("reason"))
             .where(si.matching_status == "exception",
                    or_(si.invoice_status.is_(None), si.invoice_status.not_in(SETTLED_INVOICE))))
    with dbs.connect(SUP) as conn:
        return page_select(conn, query, _sorted(pq, "date"), key_column="invoice")


def invoice_match_detail(dbs: Databases, user: ActingUser, invoice_id: str) -> dict[str, Any]:
    """An invoice's lines beside their PO lines and receipts: per line the PO quantity and price,
    the quantity received (receipts not rejected by inspection), the invoiced quantity and price, and
    the variances (quantity over received, price per unit and %, line amount against the PO price)."""
    require(user, SUP, "read", "Reading a supplier invoice")
    si, sil = SupplierInvoices, SupplierInvoiceLines
    with dbs.connect(SUP) as conn:
        head = conn.execute(select(si).where(si.invoice_id == invoice_id)).first()
        if head is None:
            raise NotFound(f"There is no supplier invoice {invoice_id}.")
        inv_lines = conn.execute(select(sil).where(sil.invoice_id == invoice_id).order_by(sil.line_number).limit(500)).all()
    po_lines: dict[str, Any] = {}
    received: dict[str, Decimal] = {}
    receipts: list[dict[str, Any]] = []
    line_ids = sorted({ln.po_line_id for ln in inv_lines if ln.po_line_id})
    if user.can(ERP, "read"):
        pol, gr = PurchaseOrderLines, GoodsReceipts
        with dbs.connect(ERP) as conn:
            if line_ids:
                po_lines = {r.po_line_id: r for r in conn.execute(
                    select(pol.po_line_id, pol.purchase_order_id, pol.line_number, pol.material_id, pol.order_quantity,
                           pol.unit_price).where(pol.po_line_id.in_(line_ids)))}
                received = {lid: _d(q) for lid, q in conn.execute(
                    select(gr.po_line_id, func.sum(gr.quantity_received))
                    .where(gr.po_line_id.in_(line_ids), gr.cancelled.is_not(True),
                           or_(gr.quality_status.is_(None), gr.quality_status != "rejected"))
                    .group_by(gr.po_line_id))}
            if head.purchase_order_id:
                receipts = [dict(g._mapping) for g in conn.execute(
                    select(gr.goods_receipt_id, gr.gr_date, gr.po_line_id, gr.material_id, gr.quantity_received,
                           gr.quality_status).where(gr.purchase_order_id == head.purchase_order_id, gr.cancelled.is_not(True))
                    .order_by(gr.goods_receipt_id).limit(RECEIPTS_SHOWN))]
    rows = []
    for ln in inv_lines:
        pl = po_lines.get(ln.po_line_id)
        po_qty = _d(pl.order_quantity) if pl is not None else (_d(ln.po_quantity) if ln.po_quantity is not None else None)
        po_price = _d(pl.unit_price) if pl is not None else (_d(ln.po_unit_price) if ln.po_unit_price is not None else None)
        if pl is not None:
            got = received.get(ln.po_line_id, D0)
        else:
            got = _d(ln.received_quantity) if ln.received_quantity is not None else None
        qty, price = _d(ln.invoiced_quantity), _d(ln.unit_price)
        amount = _d(ln.line_total) if ln.line_total is not None else (qty * price).quantize(Decimal("0.01"))
        price_pct = ((price - po_price) / po_price * 100).quantize(Decimal("0.01")) if po_price else None
        rows.append({"line_number": ln.line_number, "po_line_id": ln.po_line_id, "material_id": ln.material_id,
                     "po_quantity": po_qty, "po_unit_price": po_price, "received": got, "invoiced": qty,
                     "unit_price": price, "amount": amount,
                     "quantity_variance": (qty - got) if got is not None else None,
                     "price_variance": (price - po_price) if po_price is not None else None, "price_variance_pct": price_pct,
                     "amount_variance": (amount - (qty * po_price).quantize(Decimal("0.01"))) if po_price is not None else None,
                     "match_status": ln.match_status})
    return {"invoice": dict(head._mapping), "lines": rows, "receipts": receipts}


# -- suppliers -------------------------------------------------------------------------------------------

def scorecards_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Each supplier's latest monthly scorecard; the lowest overall score first unless sorted."""
    require(user, SUP, "read", "Reading supplier scorecards")
    sc = SupplierScorecards
    latest = (select(sc.supplier_id.label("sid"), func.max(sc.scorecard_period).label("period"))
              .where(sc.scorecard_type == "monthly").group_by(sc.supplier_id).subquery())
    query = (select(sc.supplier_id.label("supplier"), sc.scorecard_period.label("period"), sc.overall_score.label("overall"),
                    sc.supplier_rating.label("rating"), sc.delivery_score.label("delivery"), sc.quality_score.label("quality"),
                    sc.responsiveness_score.label("responsiveness"), sc.commercial_score.label("commercial"),
                    sc.action_required.label("action"))
             .join(latest, and_(latest.c.sid == sc.supplier_id, latest.c.period == sc.scorecard_period))
             .where(sc.scorecard_type == "monthly"))
    with dbs.connect(SUP) as conn:
        return page_select(conn, query, _sorted(pq, "overall"), key_column="supplier")


def score_trend(dbs: Databases, user: ActingUser, supplier_id: str, periods: int = SCORE_TREND_PERIODS) -> list[dict[str, Any]]:
    """A supplier's monthly scores, oldest first (at most `periods` months)."""
    require(user, SUP, "read", "Reading supplier scorecards")
    sc = SupplierScorecards
    with dbs.connect(SUP) as conn:
        rows = conn.execute(select(sc.scorecard_period, sc.overall_score, sc.delivery_score, sc.quality_score,
                                   sc.supplier_rating)
                            .where(sc.supplier_id == supplier_id, sc.scorecard_type == "monthly")
                            .order_by(sc.scorecard_period.desc()).limit(periods)).all()
    return [{"period": r.scorecard_period, "overall": _d(r.overall_score) if r.overall_score is not None else None,
             "delivery": r.delivery_score, "quality": r.quality_score, "rating": r.supplier_rating} for r in reversed(rows)]


def expiring_soon(dbs: Databases, user: ActingUser, today: dt.date, days: int = EXPIRY_WINDOW_DAYS,
                  limit: int = EXPIRING_LIMIT) -> dict[str, list[dict[str, Any]]]:
    """Active contracts ending and active documents expiring within `days` (already past ones
    included, still marked active): the soonest first, at most `limit` of each."""
    require(user, SUP, "read", "Reading supplier contracts and documents")
    until = today + dt.timedelta(days=days)
    c, d = SupplierContracts, SupplierDocuments
    with dbs.connect(SUP) as conn:
        contracts = conn.execute(select(c.contract_id, c.contract_number, c.supplier_id, c.contract_name, c.end_date,
                                        c.auto_renew, c.contract_status)
                                 .where(c.contract_status == "active", c.end_date.is_not(None), c.end_date <= until)
                                 .order_by(c.end_date, c.contract_id).limit(limit)).all()
        documents = conn.execute(select(d.document_id, d.supplier_id, d.document_type, d.document_name, d.document_number,
                                        d.expiry_date, d.document_status)
                                 .where(or_(d.document_status == "active", d.document_status.is_(None)),
                                        d.expiry_date.is_not(None), d.expiry_date <= until)
                                 .order_by(d.expiry_date, d.document_id).limit(limit)).all()
    return {"contracts": [{**dict(r._mapping), "days_left": (r.end_date - today).days} for r in contracts],
            "documents": [{**dict(r._mapping), "days_left": (r.expiry_date - today).days} for r in documents]}


__all__ = [
    "requisitions_page", "requisition_detail", "supplier_suggestions", "orderable_supplier_ids",
    "purchase_orders_page", "delivery_summary", "purchase_order_detail", "rfqs_page", "rfq_comparison",
    "invoice_exceptions_page", "invoice_match_detail", "scorecards_page", "score_trend", "expiring_soon",
]
