"""Procure to pay: requisition -> purchase order -> approval -> release -> goods receipt -> supplier
invoice -> 3-way match -> accounts payable.

- Prices: the active contract price of the supplier for the material (genims_supplier_db
  contract_pricing) when there is one, else the material's last purchase price, else its standard
  cost.
- Approval by amount: a PO up to `PO_APPROVAL_LIMIT` may be approved by anyone with ERP write
  access; above it the capability `po.approve` is needed.
- Goods receipt: against released PO lines, partial receipts allowed, at most `OVER_RECEIPT_PCT`
  over the ordered quantity. Stock goes to quality inspection when the material needs inspection,
  else unrestricted; every receipt writes one goods_receipts row, one inventory_transactions row and
  the matching inventory_balances change (stock is conserved: the balance of every
  material/plant/location/batch equals the sum of its transactions), then posts Dr inventory /
  Cr GR/IR through finance. A receipt given a delivery note is idempotent: the same PO and
  delivery note again returns the first receipt (and posts it if the posting was missing).
- 3-way match, per invoice line and in bulk: quantity invoiced <= received (not rejected by
  inspection) - already invoiced (on approved invoices), unit
  price within `PRICE_TOLERANCE_PCT` of the PO price. Results: `matched`, `within_tolerance`
  (both approved, payment scheduled, and posted Dr GR/IR, Dr/Cr price variance, Dr input tax,
  Cr AP) or `exception` with reason codes (invoice on hold, payment held) until someone with
  `invoice.approve_variance` approves it with a reason or rejects it. The statuses are the
  supplier seed's own (matching_status, invoice_status, payment_status, three_way_match_log).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update

from ..errors import DomainError, NotFound
from ..models.erp import (
    GoodsReceipts,
    InventoryTransactions,
    Materials,
    PurchaseOrderLines,
    PurchaseOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
    Suppliers,
)
from ..models.supplier import (
    ContractPricing,
    RfqHeaders,
    RfqLines,
    RfqResponseLines,
    RfqResponses,
    RfqSuppliers,
    SupplierContracts,
    SupplierInvoiceLines,
    SupplierInvoices,
    ThreeWayMatchLog,
)
from . import finance
from .base import ServiceContext, require_text, to_decimal
from .inventory import post_movement
from .finance import money, serialize

log = logging.getLogger(__name__)

ERP = "genims_erp_db"
SUP = "genims_supplier_db"
D0 = Decimal("0")
Q4 = Decimal("0.0001")
PO_APPROVAL_LIMIT = Decimal("10000.00")
OVER_RECEIPT_PCT = Decimal("5")
PRICE_TOLERANCE_PCT = Decimal("2")

PO_NOT_RELEASED = frozenset({"created", "draft", "approved", "pending_approval", "pending"})
PO_RECEIVABLE = frozenset({"open", "released", "partially_received", "received"})
PO_CLOSED = frozenset({"closed", "cancelled", "canceled", "completed", "deleted"})
PENDING_MATCH = (None, "", "pending", "unmatched", "not_matched", "submitted")
ACCEPTED_INVOICE = ("approved", "paid", "scheduled", "posted", "partially_paid")

# reason codes of a match exception
QTY_EXCEEDS_RECEIVED = "QTY_EXCEEDS_RECEIVED"
PRICE_VARIANCE = "PRICE_VARIANCE"
NO_PO_LINE = "NO_PO_LINE"
MATERIAL_MISMATCH = "MATERIAL_MISMATCH"
SUPPLIER_MISMATCH = "SUPPLIER_MISMATCH"
NO_LINES = "NO_LINES"


def _q4(value: Decimal) -> Decimal:
    return value.quantize(Q4)


def _dec(value: Any) -> Decimal:
    return D0 if value is None else Decimal(value)


# -- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoLine:
    po_line_id: str
    line_number: int
    material_id: str
    quantity: Decimal
    unit_price: Decimal
    price_source: str
    net_price: Decimal


@dataclass(frozen=True)
class PurchaseOrderResult:
    purchase_order_id: str
    supplier_id: str
    status: str
    total_value: Decimal
    lines: tuple[PoLine, ...]


@dataclass(frozen=True)
class Receipt:
    goods_receipt_id: str
    po_line_id: str
    material_id: str
    quantity: Decimal
    value: Decimal
    stock_type: str  # unrestricted | quality_inspection
    batch_number: str
    journal_entry_id: str | None


@dataclass
class ReceiptResult:
    purchase_order_id: str
    created: bool
    receipts: list[Receipt] = field(default_factory=list)
    po_status: str = ""
    posting_errors: list[str] = field(default_factory=list)


# -- prices -----------------------------------------------------------------------------------------


def contract_price(ctx: ServiceContext, supplier_id: str, material_ids: Iterable[str],
                   on: dt.date | None = None) -> dict[str, tuple[Decimal, str]]:
    """Active contract prices of `supplier_id` on `on`: {material_id: (unit price, contract id)}."""
    day = on or ctx.today()
    mats = sorted(set(material_ids))
    if not mats or not ctx.dbs.exists(SUP):
        return {}
    c, p = SupplierContracts, ContractPricing
    q = (select(p.material_id, p.unit_price, c.contract_id, p.effective_from)
         .join(c, c.contract_id == p.contract_id)
         .where(c.supplier_id == supplier_id, c.contract_status == "active",
                or_(c.start_date.is_(None), c.start_date <= day), or_(c.end_date.is_(None), c.end_date >= day),
                p.material_id.in_(mats), p.is_active.is_not(False), p.unit_price.is_not(None),
                or_(p.effective_from.is_(None), p.effective_from <= day), or_(p.effective_to.is_(None), p.effective_to >= day))
         .order_by(p.effective_from.desc(), c.contract_id))
    found: dict[str, tuple[Decimal, str]] = {}
    with ctx.read(SUP) as conn:
        for mid, price, contract, _eff in conn.execute(q):
            found.setdefault(mid, (_q4(Decimal(price)), contract))
    return found


def _price_for(material, contract: tuple[Decimal, str] | None) -> tuple[Decimal, str]:
    if contract:
        return contract[0], f"contract {contract[1]}"
    if material.last_purchase_price and material.last_purchase_price > 0:
        return _q4(Decimal(material.last_purchase_price)), "last purchase price"
    if material.standard_cost and material.standard_cost > 0:
        return _q4(Decimal(material.standard_cost)), "standard cost"
    raise DomainError(f"Material {material.material_id} has no contract price, last purchase price or standard cost.",
                      "Set its standard cost or agree a contract price with the supplier.")


# -- requisitions -----------------------------------------------------------------------------------


def create_requisition(ctx: ServiceContext, plant_id: str, lines: Iterable[Mapping[str, Any]], *,
                       required_date: dt.date | None = None, requester_id: str | None = None,
                       remarks: str | None = None) -> str:
    """A purchase requisition (pending approval) with lines {material_id, quantity[, delivery_date]}."""
    ctx.require(ERP, "write", "Creating a purchase requisition")
    plant_id = require_text(plant_id, "Plant", 50)
    clean = []
    for n, line in enumerate(lines, 1):
        mid = require_text(line.get("material_id"), f"Line {n} material", 50)
        qty = to_decimal(line.get("quantity"), f"Line {n} quantity", positive=True)
        clean.append((mid, qty, line.get("delivery_date") or required_date))
    if not clean:
        raise DomainError("A requisition needs at least one line.")
    with ctx.read(ERP) as conn:
        mats = {m.material_id: m for m in conn.execute(select(Materials).where(Materials.material_id.in_([c[0] for c in clean])))}
    for mid, _q, _d in clean:
        m = mats.get(mid)
        if m is None:
            raise NotFound(f"There is no material {mid}.")
        if m.blocked_for_procurement:
            raise DomainError(f"Material {mid} is blocked for procurement.", "Unblock it in the material master first.")
    req_id = ctx.next_key("PR", PurchaseRequisitions.__table__, "requisition_id", ERP)
    line_ids = [ctx.next_key("PRL", PurchaseRequisitionLines.__table__, "requisition_line_id", ERP) for _ in clean]
    now = ctx.now()
    need_by = required_date or min((d for _m, _q, d in clean if d), default=None)
    with ctx.transaction(ERP) as conn:
        conn.execute(insert(PurchaseRequisitions).values(
            requisition_id=req_id, requisition_number=req_id, requisition_type="manual", requisition_date=ctx.today(),
            required_date=need_by, requester_id=requester_id, plant_id=plant_id, priority="normal",
            approval_status="pending", source_type="manual", overall_status="open", remarks=remarks,
            created_at=now, updated_at=now))
        rows = []
        for n, ((mid, qty, day), lid) in enumerate(zip(clean, line_ids, strict=True), 1):
            m = mats[mid]
            est = _dec(m.last_purchase_price) or _dec(m.standard_cost)
            rows.append({"requisition_line_id": lid, "requisition_id": req_id, "line_number": n * 10, "material_id": mid,
                         "material_description": m.material_name, "quantity": qty, "unit_of_measure": m.base_unit_of_measure,
                         "delivery_date": day or need_by, "delivery_location": plant_id, "estimated_price": _q4(est),
                         "estimated_total": money(qty * est), "assigned_to_po": None, "assigned_quantity": D0,
                         "gl_account": "1300", "line_status": "open", "created_at": now})
        conn.execute(insert(PurchaseRequisitionLines), rows)
        ctx.audit("procurement.requisition.create", ERP, "purchase_requisition", req_id,
                  after={"plant_id": plant_id, "lines": [[m, q] for m, q, _d in clean]})
    return req_id


def approve_requisition(ctx: ServiceContext, requisition_id: str) -> None:
    ctx.require(ERP, "write", "Approving a purchase requisition")
    with ctx.transaction(ERP) as conn:
        req = conn.execute(select(PurchaseRequisitions).where(PurchaseRequisitions.requisition_id == requisition_id)).first()
        if req is None:
            raise NotFound(f"There is no requisition {requisition_id}.")
        if req.approval_status == "approved":
            return
        if req.overall_status in ("cancelled", "converted", "closed"):
            raise DomainError(f"Requisition {requisition_id} is {req.overall_status}; only an open requisition can be approved.")
        conn.execute(update(PurchaseRequisitions).where(PurchaseRequisitions.requisition_id == requisition_id).values(
            approval_status="approved", approved_at=ctx.now(), updated_at=ctx.now()))
        ctx.audit("procurement.requisition.approve", ERP, "purchase_requisition", requisition_id,
                  before={"approval_status": req.approval_status}, after={"approval_status": "approved"})


def convert_requisition(ctx: ServiceContext, requisition_id: str, supplier_id: str | None = None, *,
                        skip_without_supplier: bool = False,
                        line_changes: Mapping[str, Mapping[str, Any]] | None = None) -> list[PurchaseOrderResult]:
    """Turn the open lines of an approved requisition into purchase orders: one per supplier (the
    one given, else each material's default supplier). A line whose material has no default
    supplier is refused, or with `skip_without_supplier` left open for a buyer.

    `line_changes` lets a buyer change what is ordered: {requisition_line_id: {quantity, delivery_date}};
    a bad value is a DomainError at the field `quantity_<n>` / `delivery_date_<n>` (n = the line's
    place among the open lines, from 1)."""
    ctx.require(ERP, "write", "Converting a requisition into purchase orders")
    if supplier_id is not None:
        supplier_id = _at_field("supplier_id", require_text, supplier_id, "Supplier", 50)
    with ctx.read(ERP) as conn:
        req = conn.execute(select(PurchaseRequisitions).where(PurchaseRequisitions.requisition_id == requisition_id)).first()
        if req is None:
            raise NotFound(f"There is no requisition {requisition_id}.")
        if req.approval_status != "approved":
            raise DomainError(f"Requisition {requisition_id} is not approved (status {req.approval_status}); approve it first.")
        lines = conn.execute(select(PurchaseRequisitionLines).where(
            PurchaseRequisitionLines.requisition_id == requisition_id,
            PurchaseRequisitionLines.line_status == "open").order_by(PurchaseRequisitionLines.line_number)).all()
        mats = {m.material_id: m for m in conn.execute(select(Materials).where(Materials.material_id.in_([ln.material_id for ln in lines])))}
    if not lines:
        raise DomainError(f"Requisition {requisition_id} has no open lines to order.")
    wanted = {ln.requisition_line_id: (ln.quantity, ln.delivery_date) for ln in lines}
    for n, ln in enumerate(lines, 1):
        change = (line_changes or {}).get(ln.requisition_line_id)
        if change is None:
            continue
        qty = _at_field(f"quantity_{n}", to_decimal, change.get("quantity", ln.quantity),
                        f"Quantity of line {ln.line_number} ({ln.material_id})", positive=True)
        day = change.get("delivery_date", ln.delivery_date)
        if day is not None and day < ctx.today():
            raise DomainError(f"The delivery date {day} of line {ln.line_number} ({ln.material_id}) is in the past.",
                              "Give today or a later date.", field=f"delivery_date_{n}")
        wanted[ln.requisition_line_id] = (qty, day)
    groups: dict[str, list] = defaultdict(list)
    for ln in lines:
        sup = supplier_id or mats[ln.material_id].default_supplier_id
        if not sup and skip_without_supplier:
            continue
        if not sup:
            raise DomainError(f"Material {ln.material_id} has no default supplier; name the supplier to order from.")
        groups[sup].append(ln)
    if not groups:
        raise DomainError(f"No open line of requisition {requisition_id} has a material with a default supplier.",
                          "Name the supplier to order from.")
    plans = [(_prepare_po(ctx, sup, [{"material_id": ln.material_id, "quantity": wanted[ln.requisition_line_id][0],
                                      "delivery_date": wanted[ln.requisition_line_id][1],
                                      "requisition_line": ln.line_number} for ln in group],
                          plant_id=req.plant_id, requisition_id=requisition_id), group)
             for sup, group in groups.items()]
    results = []
    with ctx.transaction(ERP) as conn:
        # POs and requisition in one transaction, and never twice: a concurrent conversion waits here
        serialize(conn, f"erp:requisition:{requisition_id}", PurchaseRequisitions.__table__)
        t = PurchaseRequisitionLines.__table__
        still_open = set(conn.execute(select(t.c.requisition_line_id).where(
            t.c.requisition_id == requisition_id, t.c.line_status == "open")).scalars())
        if not {ln.requisition_line_id for ln in lines} <= still_open:
            raise DomainError(f"Requisition {requisition_id} was converted meanwhile; nothing was ordered twice.",
                              "Look at its purchase orders.")
        for plan, group in plans:
            po = _write_po(ctx, conn, plan)
            conn.execute(update(t).where(t.c.requisition_line_id == bindparam("lid")).values(
                assigned_to_po=bindparam("po"), assigned_quantity=bindparam("qty"), line_status="ordered"),
                [{"lid": ln.requisition_line_id, "po": po.purchase_order_id, "qty": wanted[ln.requisition_line_id][0]}
                 for ln in group])
            results.append(po)
        open_left = conn.execute(select(func.count()).select_from(t).where(
            t.c.requisition_id == requisition_id, t.c.line_status == "open")).scalar_one()
        conn.execute(update(PurchaseRequisitions).where(PurchaseRequisitions.requisition_id == requisition_id).values(
            overall_status="open" if open_left else "converted", updated_at=ctx.now()))
        ctx.audit("procurement.requisition.convert", ERP, "purchase_requisition", requisition_id,
                  before={"overall_status": req.overall_status},
                  after={"overall_status": "open" if open_left else "converted",
                         "purchase_orders": {po.purchase_order_id: [ln.material_id for ln in po.lines] for po in results}})
    return results


# -- purchase orders --------------------------------------------------------------------------------


def create_purchase_order(ctx: ServiceContext, supplier_id: str, lines: Iterable[Mapping[str, Any]], *,
                          plant_id: str | None = None, requisition_id: str | None = None,
                          storage_location: str = "RM01") -> PurchaseOrderResult:
    """A purchase order (status `created`, not yet approved) with lines {material_id, quantity[,
    delivery_date, plant_id]}; each line is priced from the contract, else the last price, else
    the standard cost."""
    ctx.require(ERP, "write", "Creating a purchase order")
    plan = _prepare_po(ctx, supplier_id, lines, plant_id=plant_id, requisition_id=requisition_id,
                       storage_location=storage_location)
    with ctx.transaction(ERP) as conn:
        return _write_po(ctx, conn, plan)


@dataclass(frozen=True)
class _PoPlan:
    po_id: str
    supplier: Any
    rows: list[dict[str, Any]]
    lines: tuple[PoLine, ...]
    total: Decimal
    contract: str | None


def _prepare_po(ctx: ServiceContext, supplier_id: str, lines: Iterable[Mapping[str, Any]], *, plant_id: str | None,
                requisition_id: str | None, storage_location: str = "RM01") -> _PoPlan:
    """Validate and price a PO, and draw its keys; nothing is written."""
    supplier_id = _at_field("supplier_id", require_text, supplier_id, "Supplier", 50)
    clean = []
    for n, line in enumerate(lines, 1):
        mid = _at_field(f"material_{n}", require_text, line.get("material_id"), f"Line {n} material", 50)
        qty = _at_field(f"quantity_{n}", to_decimal, line.get("quantity"), f"Line {n} quantity", positive=True)
        clean.append((mid, qty, line))
    if not clean:
        raise DomainError("A purchase order needs at least one line.")
    with ctx.read(ERP) as conn:
        sup = conn.execute(select(Suppliers).where(Suppliers.supplier_id == supplier_id)).first()
        mats = {m.material_id: m for m in conn.execute(select(Materials).where(Materials.material_id.in_([c[0] for c in clean])))}
    if sup is None:
        raise NotFound(f"There is no supplier {supplier_id}.", field="supplier_id")
    if sup.blocked_for_orders or (sup.supplier_status or "active") not in ("active", "approved", "preferred"):
        raise DomainError(f"Supplier {supplier_id} is blocked for orders (status {sup.supplier_status}).",
                          "Choose another supplier or have the supplier unblocked.", field="supplier_id")
    for n, (mid, _q, _l) in enumerate(clean, 1):
        if mid not in mats:
            raise NotFound(f"There is no material {mid}.", field=f"material_{n}")
        if mats[mid].blocked_for_procurement:
            raise DomainError(f"Material {mid} is blocked for procurement.", "Unblock it in the material master first.",
                              field=f"material_{n}")
    contracts = contract_price(ctx, supplier_id, [c[0] for c in clean])
    priced = []
    for mid, qty, line in clean:
        if line.get("unit_price") is not None:  # a quoted price (an awarded RFQ response) beats the contract
            price, source = _q4(to_decimal(line["unit_price"], f"Unit price of {mid}", minimum=D0)), line.get("price_source") or "quotation"
        else:
            price, source = _price_for(mats[mid], contracts.get(mid))
        priced.append((mid, qty, line, price, source))
    po_id = ctx.next_key("PO", PurchaseOrders.__table__, "purchase_order_id", ERP)
    line_ids = [ctx.next_key("POL", PurchaseOrderLines.__table__, "po_line_id", ERP) for _ in priced]
    now = ctx.now()
    rows, out_lines = [], []
    for n, ((mid, qty, line, price, source), lid) in enumerate(zip(priced, line_ids, strict=True), 1):
        m = mats[mid]
        net = money(qty * price)
        delivery = line.get("delivery_date") or (ctx.today() + dt.timedelta(days=m.lead_time_days or 14))
        rows.append({
            "po_line_id": lid, "purchase_order_id": po_id, "line_number": n * 10, "material_id": mid,
            "material_description": m.material_name, "order_quantity": qty, "unit_of_measure": m.base_unit_of_measure,
            "received_quantity": D0, "invoiced_quantity": D0, "unit_price": price, "net_price": net, "tax_code": "V0",
            "tax_amount": Decimal("0.00"), "delivery_date": delivery, "plant_id": line.get("plant_id") or plant_id,
            "storage_location": storage_location, "gl_account": "1300", "goods_receipt_required": True,
            "invoice_receipt_required": True, "quality_inspection_required": bool(m.inspection_required),
            "requisition_id": requisition_id, "requisition_line": line.get("requisition_line"), "line_status": "open",
            "deletion_indicator": False, "created_at": now})
        out_lines.append(PoLine(lid, n * 10, mid, qty, price, source, net))
    total = sum((ln.net_price for ln in out_lines), Decimal("0.00"))
    contract = next((s.removeprefix("contract ") for *_x, s in priced if s.startswith("contract ")), None)
    return _PoPlan(po_id, sup, rows, tuple(out_lines), total, contract)


def _at_field(field_name: str, check, *args, **kwargs):
    """`check(*args, **kwargs)`, its DomainError pointed at the form field `field_name`."""
    try:
        return check(*args, **kwargs)
    except DomainError as exc:
        if exc.field:
            raise
        raise DomainError(exc.message, exc.hint, field=field_name) from None


def _write_po(ctx: ServiceContext, conn, plan: _PoPlan, quotation_number: str | None = None) -> PurchaseOrderResult:
    now = ctx.now()
    sup = plan.supplier
    conn.execute(insert(PurchaseOrders).values(
        purchase_order_id=plan.po_id, po_number=plan.po_id, supplier_id=sup.supplier_id, po_date=ctx.today(), po_type="standard",
        company_code="1000", purchasing_organization="PO01", payment_terms=sup.payment_terms, currency=sup.currency or "USD",
        exchange_rate=Decimal("1"), total_value=plan.total, tax_amount=Decimal("0.00"), freight_charges=Decimal("0.00"),
        po_status="created", release_indicator=False, contract_number=plan.contract, quotation_number=quotation_number,
        created_by=ctx.user.user_id[:50], created_at=now, updated_at=now))
    conn.execute(insert(PurchaseOrderLines), plan.rows)
    ctx.audit("procurement.po.create", ERP, "purchase_order", plan.po_id,
              after={"supplier_id": sup.supplier_id, "total_value": plan.total,
                     "lines": [[ln.material_id, ln.quantity, ln.unit_price, ln.price_source] for ln in plan.lines]})
    return PurchaseOrderResult(plan.po_id, sup.supplier_id, "created", plan.total, plan.lines)


def _load_po(conn, po_id: str, lock: bool = False):
    q = select(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po_id)
    if lock:
        q = q.with_for_update()
    po = conn.execute(q).first()
    if po is None:
        raise NotFound(f"There is no purchase order {po_id}.")
    return po


def submit_purchase_order(ctx: ServiceContext, po_id: str) -> str:
    """Submit a created PO for approval (status pending_approval). Idempotent: a PO already pending,
    approved or released is left as it is and its status returned."""
    ctx.require(ERP, "write", "Submitting a purchase order for approval")
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:po:{po_id}", PurchaseOrders.__table__)
        po = _load_po(conn, po_id, lock=True)
        status = (po.po_status or "").lower()
        if status == "pending_approval" or status == "approved" or po.release_indicator:
            return po.po_status
        if status in PO_CLOSED:
            raise DomainError(f"{po_id} is {status}; only a created PO can be submitted for approval.")
        if status not in ("created", "draft"):
            raise DomainError(f"{po_id} is {status}; only a created PO can be submitted for approval.")
        conn.execute(update(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po_id).values(
            po_status="pending_approval", updated_at=ctx.now()))
        ctx.audit("procurement.po.submit", ERP, "purchase_order", po_id, before={"po_status": po.po_status},
                  after={"po_status": "pending_approval"})
    return "pending_approval"


def approve_purchase_order(ctx: ServiceContext, po_id: str) -> str:
    """Approve a created PO: up to PO_APPROVAL_LIMIT with ERP write access, above it only with the
    capability po.approve."""
    ctx.require(ERP, "write", "Approving a purchase order")
    with ctx.read(ERP) as conn:
        po = _load_po(conn, po_id)
    total = _dec(po.total_value)
    if total > PO_APPROVAL_LIMIT:
        ctx.require_capability("po.approve", f"Approving {po_id} over {PO_APPROVAL_LIMIT} ({total})")
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:po:{po_id}", PurchaseOrders.__table__)
        po = _load_po(conn, po_id, lock=True)
        if po.po_status == "approved":
            return "approved"
        if po.po_status not in ("created", "draft", "pending_approval"):
            raise DomainError(f"{po_id} is {po.po_status}; only a created PO can be approved.")
        conn.execute(update(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po_id).values(
            po_status="approved", updated_at=ctx.now()))
        ctx.audit("procurement.po.approve", ERP, "purchase_order", po_id, before={"po_status": po.po_status},
                  after={"po_status": "approved", "total_value": total})
    return "approved"


def release_purchase_order(ctx: ServiceContext, po_id: str) -> str:
    """Release an approved PO to the supplier: it is open for receipts from now on."""
    ctx.require(ERP, "write", "Releasing a purchase order")
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:po:{po_id}", PurchaseOrders.__table__)
        po = _load_po(conn, po_id, lock=True)
        if po.release_indicator and po.po_status in PO_RECEIVABLE:
            return po.po_status
        if po.po_status != "approved":
            raise DomainError(f"{po_id} is {po.po_status}; a PO is released once approved.", "Approve it first.")
        conn.execute(update(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po_id).values(
            po_status="open", release_indicator=True, released_by=ctx.user.user_id[:50], released_at=ctx.now(),
            updated_at=ctx.now()))
        ctx.audit("procurement.po.release", ERP, "purchase_order", po_id, before={"po_status": po.po_status},
                  after={"po_status": "open", "release_indicator": True})
    return "open"


# -- RFQ award ---------------------------------------------------------------------------------------

RFQ_AWARDABLE = frozenset({"published", "evaluation", "closed", "awarded"})


def award_rfq_response(ctx: ServiceContext, response_id: str, *, notes: str | None = None) -> PurchaseOrderResult:
    """Award an RFQ to one supplier's response: a purchase order (status created) with the quoted
    unit prices and the RFQ's quantities, its quotation_number the response's number; the RFQ goes
    to 'awarded' (awarded_to, awarded_date), the response to 'awarded' and the other responses to
    'not_awarded'. Idempotent: a response already awarded returns its PO, also after a crash
    between the ERP write and the supplier database update (the PO is found by quotation number)."""
    ctx.require(SUP, "write", "Awarding an RFQ")
    ctx.require(ERP, "write", "Awarding an RFQ")
    response_id = _at_field("response_id", require_text, response_id, "Response", 50)
    notes = _at_field("notes", require_text, notes, "Award notes", 2000, required=False)
    rh, rl, rr, rrl = RfqHeaders, RfqLines, RfqResponses, RfqResponseLines
    with ctx.read(SUP) as conn:
        resp = conn.execute(select(rr).where(rr.response_id == response_id)).first()
        if resp is None:
            raise NotFound(f"There is no RFQ response {response_id}.", field="response_id")
        rfq = conn.execute(select(rh).where(rh.rfq_id == resp.rfq_id)).first()
        if rfq is None:
            raise NotFound(f"Response {response_id} names RFQ {resp.rfq_id}, which does not exist.")
        quoted = conn.execute(
            select(rl.line_id, rl.material_id, rl.quantity, rl.required_by_date, rrl.unit_price, rrl.delivery_date,
                   rrl.lead_time_days)
            .join(rl, rl.line_id == rrl.rfq_line_id).where(rrl.response_id == response_id)
            .order_by(rl.line_number, rl.line_id)).all()
    number = resp.response_number or response_id
    status = (rfq.rfq_status or "").lower()
    if status == "awarded" and rfq.awarded_to and rfq.awarded_to != resp.supplier_id:
        raise DomainError(f"RFQ {rfq.rfq_id} is awarded to {rfq.awarded_to} already; it cannot be awarded twice.")
    if status not in RFQ_AWARDABLE:
        raise DomainError(f"RFQ {rfq.rfq_id} is {status or 'without a status'}; only a published RFQ or one in "
                          f"evaluation can be awarded.")
    if (resp.response_status or "").lower() in ("withdrawn", "rejected", "declined"):
        raise DomainError(f"Response {response_id} is {resp.response_status}; choose another response.")
    if not resp.supplier_id:
        raise DomainError(f"Response {response_id} names no supplier.")
    with ctx.read(ERP) as conn:
        existing = conn.execute(select(PurchaseOrders.purchase_order_id).where(
            PurchaseOrders.quotation_number == number, PurchaseOrders.supplier_id == resp.supplier_id)).scalar()
    if existing is None:
        lines = [ln for ln in quoted if ln.material_id and ln.unit_price is not None and _dec(ln.quantity) > 0]
        if not lines:
            raise DomainError(f"Response {response_id} quotes no material line with a price; nothing to order.")
        today = ctx.today()

        def delivery(ln):
            for day in (ln.delivery_date, ln.required_by_date):
                if day is not None and day >= today:
                    return day
            return today + dt.timedelta(days=ln.lead_time_days) if ln.lead_time_days else None

        plan = _prepare_po(ctx, resp.supplier_id, [
            {"material_id": ln.material_id, "quantity": ln.quantity, "unit_price": ln.unit_price,
             "price_source": f"quotation {number}", "delivery_date": delivery(ln)} for ln in lines],
            plant_id=rfq.delivery_location, requisition_id=None)
        with ctx.transaction(ERP) as conn:
            serialize(conn, f"erp:rfq-award:{rfq.rfq_id}", PurchaseOrders.__table__)
            existing = conn.execute(select(PurchaseOrders.purchase_order_id).where(
                PurchaseOrders.quotation_number == number, PurchaseOrders.supplier_id == resp.supplier_id)).scalar()
            if existing is None:
                result = _write_po(ctx, conn, plan, quotation_number=number)
                existing = result.purchase_order_id
    po = _po_result(ctx, existing)
    now = ctx.now()
    with ctx.transaction(SUP) as conn:
        head = conn.execute(select(rh.rfq_status, rh.awarded_to).where(rh.rfq_id == rfq.rfq_id).with_for_update()).first()
        if not (head.rfq_status == "awarded" and head.awarded_to == resp.supplier_id):
            if head.rfq_status == "awarded" and head.awarded_to and head.awarded_to != resp.supplier_id:
                raise DomainError(f"RFQ {rfq.rfq_id} was awarded to {head.awarded_to} meanwhile.")
            conn.execute(update(rh).where(rh.rfq_id == rfq.rfq_id).values(
                rfq_status="awarded", awarded_date=ctx.today(), awarded_to=resp.supplier_id,
                award_notes=notes or f"Awarded to {resp.supplier_id}: response {number}, {po.purchase_order_id}",
                updated_at=now))
            conn.execute(update(rr).where(rr.rfq_id == rfq.rfq_id, rr.response_id != response_id)
                         .values(response_status="not_awarded"))
            conn.execute(update(rr).where(rr.response_id == response_id).values(response_status="awarded"))
            conn.execute(update(RfqSuppliers).where(RfqSuppliers.rfq_id == rfq.rfq_id,
                                                    RfqSuppliers.supplier_id == resp.supplier_id)
                         .values(is_shortlisted=True))
            ctx.audit("procurement.rfq.award", SUP, "rfq", rfq.rfq_id,
                      before={"rfq_status": head.rfq_status, "awarded_to": head.awarded_to},
                      after={"rfq_status": "awarded", "awarded_to": resp.supplier_id, "response_id": response_id,
                             "purchase_order_id": po.purchase_order_id}, detail=notes)
    return po


def _po_result(ctx: ServiceContext, po_id: str) -> PurchaseOrderResult:
    with ctx.read(ERP) as conn:
        po = _load_po(conn, po_id)
        rows = conn.execute(select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po_id)
                            .order_by(PurchaseOrderLines.line_number)).all()
    lines = tuple(PoLine(r.po_line_id, r.line_number, r.material_id, _dec(r.order_quantity), _dec(r.unit_price),
                         f"quotation {po.quotation_number}" if po.quotation_number else "", _dec(r.net_price))
                  for r in rows)
    return PurchaseOrderResult(po.purchase_order_id, po.supplier_id, po.po_status, _dec(po.total_value), lines)


# -- goods receipt ----------------------------------------------------------------------------------


def _check_receivable(po) -> None:
    status = (po.po_status or "").lower()
    if status in PO_CLOSED:
        raise DomainError(f"{po.purchase_order_id} is {status}; receipts need an open PO.")
    if status in PO_NOT_RELEASED or not po.release_indicator:
        raise DomainError(f"{po.purchase_order_id} is not released (status {status or 'unknown'}); receipts need an open PO.",
                          "Approve and release it first.")
    if status not in PO_RECEIVABLE:
        raise DomainError(f"{po.purchase_order_id} has status {status}; receipts need an open PO.")


def receipt_refusal(po) -> str | None:
    """Why a PO (a purchase_orders row) takes no receipts now, in the words receive_goods would use;
    None when it does."""
    try:
        _check_receivable(po)
    except DomainError as exc:
        return str(exc)
    return None


def _plan_receipt(po, po_lines: dict, wanted: list[tuple[str, Decimal, str | None]]) -> dict[str, Decimal]:
    """Validate the receipt lines against the PO lines; returns the quantity per PO line."""
    _check_receivable(po)
    per_line: dict[str, Decimal] = defaultdict(lambda: D0)
    place: dict[str, int] = {}  # the first receipt line of each PO line (1-based): where a form shows its error
    for n, (lid, qty, _batch) in enumerate(wanted, 1):
        place.setdefault(lid, n)
        line = po_lines.get(lid)
        if line is None:
            raise NotFound(f"{lid} is not a line of {po.purchase_order_id}.", field=f"quantity_{n}")
        if line.deletion_indicator or (line.line_status or "") in ("closed", "cancelled", "deleted"):
            raise DomainError(f"Line {line.line_number} of {po.purchase_order_id} is {line.line_status or 'deleted'}; it takes no receipts.",
                              field=f"quantity_{n}")
        per_line[lid] += qty
    for lid, qty in per_line.items():
        line = po_lines[lid]
        ordered, received = _dec(line.order_quantity), _dec(line.received_quantity)
        limit = _q4(ordered * (1 + OVER_RECEIPT_PCT / 100))
        if received + qty > limit:
            room = max(limit - received, D0)
            raise DomainError(
                f"Receiving {qty} of {line.material_id} on line {line.line_number} of {po.purchase_order_id} would make "
                f"{received + qty} received of {ordered} ordered, beyond the {OVER_RECEIPT_PCT} % over-receipt tolerance.",
                f"Receive at most {room} more, or have the PO quantity changed.", field=f"quantity_{place[lid]}")
    return per_line


def receive_goods(ctx: ServiceContext, po_id: str, lines: Iterable[Mapping[str, Any]], *,
                  delivery_note: str | None = None, posting_date: dt.date | None = None) -> ReceiptResult:
    """Receive goods against PO lines ({po_line_id, quantity[, batch_number]}), then post each
    receipt Dr inventory / Cr GR/IR. With a delivery note the call is idempotent."""
    ctx.require(ERP, "write", "Receiving goods")
    po_id = require_text(po_id, "Purchase order", 50)
    delivery_note = _at_field("delivery_note", require_text, delivery_note, "Delivery note", 50, required=False)
    day = posting_date or ctx.today()
    wanted = []
    for n, line in enumerate(lines, 1):
        lid = require_text(line.get("po_line_id"), f"Receipt line {n} PO line", 50)
        qty = _at_field(f"quantity_{n}", to_decimal, line.get("quantity"), f"Receipt line {n} quantity", positive=True)
        batch = require_text(line.get("batch_number"), f"Receipt line {n} batch", 50, required=False)
        wanted.append((lid, qty, batch))
    if not wanted:
        raise DomainError("A goods receipt needs at least one line.")
    if delivery_note:
        done = _receipts_of_delivery(ctx, po_id, delivery_note)
        if done:
            result = ReceiptResult(po_id, False, done)
            _post_receipts(ctx, result, day)
            return result
    with ctx.read(ERP) as conn:
        po = _load_po(conn, po_id)
        po_lines = {ln.po_line_id: ln for ln in conn.execute(select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po_id))}
    _plan_receipt(po, po_lines, wanted)  # refuse early, before keys are drawn
    value = sum((money(q * _dec(po_lines[lid].unit_price)) for lid, q, _b in wanted), Decimal("0.00"))
    # finance would refuse (closed period, missing rules): refuse before stock moves. A receipt
    # worth nothing (free of charge, or less than a cent) moves stock without a posting.
    if value > 0:
        finance.check_postable(ctx, "goods_receipt", {"amount": value}, day)
    gr_ids = [ctx.next_key("GR", GoodsReceipts.__table__, "goods_receipt_id", ERP) for _ in wanted]
    itx_ids = [ctx.next_key("ITX", InventoryTransactions.__table__, "transaction_id", ERP, width=7) for _ in wanted]
    result = ReceiptResult(po_id, True)
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:po:{po_id}", PurchaseOrders.__table__)
        done = _receipts_of_delivery(ctx, po_id, delivery_note, conn) if delivery_note else []
        if done:  # a concurrent call received this delivery meanwhile: post (idempotently) after the transaction
            result = ReceiptResult(po_id, False, done)
        else:
            _receive_in(ctx, conn, po_id, wanted, gr_ids, itx_ids, delivery_note, day, result)
    _post_receipts(ctx, result, day)
    return result


def _receive_in(ctx: ServiceContext, conn, po_id: str, wanted, gr_ids, itx_ids, delivery_note, day, result: ReceiptResult) -> None:
    """The ERP side of a receipt, inside the caller's transaction (PO lock held)."""
    now = ctx.now()
    po = _load_po(conn, po_id, lock=True)
    po_lines = {ln.po_line_id: ln for ln in conn.execute(
        select(PurchaseOrderLines).where(PurchaseOrderLines.purchase_order_id == po_id).with_for_update())}
    per_line = _plan_receipt(po, po_lines, wanted)
    mats = {m.material_id: m for m in conn.execute(select(Materials).where(
        Materials.material_id.in_({po_lines[lid].material_id for lid in per_line})))}
    before_lines = {lid: (_dec(po_lines[lid].received_quantity), po_lines[lid].line_status) for lid in per_line}
    received_now: dict[str, Decimal] = defaultdict(lambda: D0)
    for (lid, qty, batch), gr_id, itx_id in zip(wanted, gr_ids, itx_ids, strict=True):
        line = po_lines[lid]
        mat = mats[line.material_id]
        price = _dec(line.unit_price)
        amount = money(qty * price)
        inspect = bool(line.quality_inspection_required or mat.inspection_required)
        plant, sloc = line.plant_id, line.storage_location or "RM01"
        batch = batch or f"GB{gr_id.split('-')[-1]}"
        conn.execute(insert(GoodsReceipts).values(
            goods_receipt_id=gr_id, gr_number=gr_id, gr_date=day, posting_date=day, purchase_order_id=po_id,
            po_line_id=lid, supplier_id=po.supplier_id, material_id=line.material_id, quantity_received=qty,
            unit_of_measure=line.unit_of_measure, plant_id=plant, storage_location=sloc, batch_number=batch,
            inspection_lot=f"IL-{gr_id}" if inspect else None,
            quality_status="in_inspection" if inspect else "not_required", unit_price=price, total_value=amount,
            delivery_note=delivery_note, gr_status="posted", cancelled=False, created_by=ctx.user.user_id[:50],
            created_at=now))
        post_movement(
            ctx, conn, material_id=line.material_id, plant_id=plant, storage_location=sloc, batch_number=batch,
            quantity=qty, amount=amount, transaction_type="goods_receipt", movement_type="101", posting_date=day,
            stock_type="quality_inspection" if inspect else "unrestricted", unit_of_measure=line.unit_of_measure,
            material_document=gr_id, transaction_id=itx_id,
            references={"purchase_order_id": po_id, "goods_receipt_id": gr_id},
        )
        received_now[lid] += qty
        result.receipts.append(Receipt(gr_id, lid, line.material_id, qty, amount,
                                       "quality_inspection" if inspect else "unrestricted", batch, None))
        if price > 0:
            conn.execute(update(Materials).where(Materials.material_id == line.material_id).values(
                last_purchase_price=price, updated_at=now))
    status_of = {}
    for lid, line in po_lines.items():
        got = _dec(line.received_quantity) + received_now.get(lid, D0)
        if lid in received_now:
            st = "received" if got >= _dec(line.order_quantity) else "partially_received"
            status_of[lid] = st
            conn.execute(update(PurchaseOrderLines).where(PurchaseOrderLines.po_line_id == lid).values(
                received_quantity=got, line_status=st))
        else:
            status_of[lid] = line.line_status
    live = [s for lid, s in status_of.items() if not po_lines[lid].deletion_indicator]
    new_status = ("received" if all(s in ("received", "closed") for s in live) else "partially_received")
    conn.execute(update(PurchaseOrders).where(PurchaseOrders.purchase_order_id == po_id).values(
        po_status=new_status, updated_at=now))
    result.po_status = new_status
    ctx.audit("procurement.goods_receipt", ERP, "purchase_order", po_id,
              before={"po_status": po.po_status, "lines": {k: [v[0], v[1]] for k, v in before_lines.items()}},
              after={"po_status": new_status, "receipts": [[r.goods_receipt_id, r.po_line_id, r.quantity, r.value, r.stock_type]
                                                           for r in result.receipts], "delivery_note": delivery_note})


def _receipts_of_delivery(ctx: ServiceContext, po_id: str, delivery_note: str, conn=None) -> list[Receipt]:
    q = (select(GoodsReceipts).where(GoodsReceipts.purchase_order_id == po_id, GoodsReceipts.delivery_note == delivery_note,
                                     GoodsReceipts.cancelled.is_not(True)).order_by(GoodsReceipts.goods_receipt_id))

    def load(c):
        return [Receipt(g.goods_receipt_id, g.po_line_id, g.material_id, _dec(g.quantity_received), _dec(g.total_value),
                        "quality_inspection" if g.quality_status == "in_inspection" else "unrestricted", g.batch_number, None)
                for g in c.execute(q)]

    if conn is not None:
        return load(conn)
    with ctx.read(ERP) as c:
        return load(c)


def _post_receipts(ctx: ServiceContext, result: ReceiptResult, day: dt.date) -> None:
    """Post each receipt to the GL (idempotent per goods receipt); a refusal is reported, and
    `post_pending_receipts` retries it later."""
    posted = []
    for r in result.receipts:
        if r.value == 0:
            posted.append(r)
            continue
        try:
            p = finance.post_for_source(ctx, "goods_receipt", {"amount": r.value}, source_document_id=r.goods_receipt_id,
                                        posting_date=day, description=f"Goods receipt {r.goods_receipt_id} PO {result.purchase_order_id}",
                                        reference=result.purchase_order_id)
            posted.append(Receipt(**{**r.__dict__, "journal_entry_id": p.journal_entry_id}))
        except DomainError as exc:
            log.warning("goods receipt %s not posted: %s", r.goods_receipt_id, exc)
            result.posting_errors.append(f"{r.goods_receipt_id}: {exc}")
            posted.append(r)
    result.receipts = posted


def post_pending_receipts(ctx: ServiceContext, limit: int = 500) -> dict[str, Any]:
    """Post the goods receipts that have no journal entry yet (a process that died between the ERP
    commit and the posting, or a posting refused earlier). Idempotent."""
    ctx.require(ERP, "read", "Posting goods receipts")
    ctx.require(finance.FIN, "write", "Posting goods receipts")
    with ctx.read(ERP) as conn:
        grs = conn.execute(select(GoodsReceipts.goods_receipt_id, GoodsReceipts.purchase_order_id, GoodsReceipts.total_value,
                                  GoodsReceipts.posting_date)
                           .where(GoodsReceipts.cancelled.is_not(True), GoodsReceipts.total_value > 0)
                           .order_by(GoodsReceipts.goods_receipt_id)).all()
    from ..models.financial import JournalEntryHeaders as JEH

    with ctx.read(finance.FIN) as conn:
        done = set(conn.execute(select(JEH.source_document_id).where(JEH.source_type == "goods_receipt")).scalars())
    todo = [g for g in grs if g.goods_receipt_id not in done][:limit]
    posted, errors = [], []
    for g in todo:
        try:
            finance.post_for_source(ctx, "goods_receipt", {"amount": _dec(g.total_value)}, source_document_id=g.goods_receipt_id,
                                    posting_date=ctx.today(), reference=g.purchase_order_id)
            posted.append(g.goods_receipt_id)
        except DomainError as exc:
            errors.append(f"{g.goods_receipt_id}: {exc}")
    return {"posted": posted, "errors": errors}


# -- supplier invoices and the 3-way match ----------------------------------------------------------


def submit_invoice(ctx: ServiceContext, supplier_id: str, purchase_order_id: str, lines: Iterable[Mapping[str, Any]], *,
                   supplier_invoice_number: str, invoice_date: dt.date | None = None, tax_amount: Any = "0",
                   freight_charges: Any = "0") -> str:
    """Record a supplier invoice (pending the 3-way match) with lines {po_line_id, quantity,
    unit_price}. The same supplier invoice number of the same supplier is refused twice."""
    ctx.require(SUP, "write", "Recording a supplier invoice")
    supplier_id = require_text(supplier_id, "Supplier", 50)
    purchase_order_id = require_text(purchase_order_id, "Purchase order", 50)
    number = require_text(supplier_invoice_number, "Supplier invoice number", 50)
    tax = to_decimal(tax_amount, "Tax amount", minimum=D0, places=2)
    freight = to_decimal(freight_charges, "Freight charges", minimum=D0, places=2)
    clean = []
    for n, line in enumerate(lines, 1):
        clean.append((require_text(line.get("po_line_id"), f"Invoice line {n} PO line", 50),
                      to_decimal(line.get("quantity"), f"Invoice line {n} quantity", positive=True),
                      to_decimal(line.get("unit_price"), f"Invoice line {n} unit price", minimum=D0)))
    if not clean:
        raise DomainError("An invoice needs at least one line.")
    with ctx.read(ERP) as conn:
        po = _load_po(conn, purchase_order_id)
        po_lines = {ln.po_line_id: ln for ln in conn.execute(select(PurchaseOrderLines).where(
            PurchaseOrderLines.purchase_order_id == purchase_order_id))}
    for lid, _q, _p in clean:
        if lid not in po_lines:
            raise NotFound(f"{lid} is not a line of {purchase_order_id}.")
    with ctx.read(SUP) as conn:
        if conn.execute(select(SupplierInvoices.invoice_id).where(
                SupplierInvoices.supplier_id == supplier_id, SupplierInvoices.supplier_invoice_number == number)).first():
            raise DomainError(f"Invoice {number} of {supplier_id} is recorded already.")
    inv_id = ctx.next_key("SINV", SupplierInvoices.__table__, "invoice_id", SUP)
    now = ctx.now()
    subtotal = sum((money(q * p) for _l, q, p in clean), Decimal("0.00"))
    with ctx.transaction(SUP) as conn:
        conn.execute(insert(SupplierInvoices).values(
            invoice_id=inv_id, invoice_number=inv_id, supplier_invoice_number=number, supplier_id=supplier_id,
            purchase_order_id=purchase_order_id, invoice_date=invoice_date or ctx.today(),
            due_date=(invoice_date or ctx.today()) + dt.timedelta(days=30), subtotal=subtotal, tax_amount=tax,
            freight_charges=freight, other_charges=Decimal("0.00"), discount_amount=Decimal("0.00"),
            total_amount=subtotal + tax + freight, currency_code=po.currency or "USD", exchange_rate=Decimal("1"),
            payment_terms=po.payment_terms, matching_status="pending", invoice_status="submitted",
            payment_status="unpaid", gl_posted=False, submitted_via="console", submitted_by=ctx.user.user_id[:50],
            submitted_at=now, created_at=now, updated_at=now))
        conn.execute(insert(SupplierInvoiceLines), [
            {"line_id": f"{inv_id}-{n:03d}", "invoice_id": inv_id, "line_number": n * 10, "po_line_id": lid,
             "material_id": po_lines[lid].material_id, "line_description": po_lines[lid].material_description,
             "invoiced_quantity": q, "unit_of_measure": po_lines[lid].unit_of_measure, "unit_price": p,
             "line_total": money(q * p), "created_at": now}
            for n, (lid, q, p) in enumerate(clean, 1)])
        ctx.audit("procurement.invoice.submit", SUP, "supplier_invoice", inv_id,
                  after={"supplier_id": supplier_id, "purchase_order_id": purchase_order_id, "subtotal": subtotal,
                         "lines": [[lid, q, p] for lid, q, p in clean]})
    return inv_id


def _pct(value: Decimal) -> Decimal:
    """A percentage that fits Numeric(5,2)."""
    return max(min(value, Decimal("999.99")), Decimal("-999.99")).quantize(Decimal("0.01"))


def match_invoices(ctx: ServiceContext, limit: int | None = None) -> dict[str, Any]:
    """3-way match every pending supplier invoice (at most `limit`), per line and in bulk: one read
    of the invoices and their lines, one of the PO lines and receipts they name, one write of all
    results. Idempotent: a matched invoice is no longer pending. Approved invoices are then posted
    to accounts payable."""
    ctx.require(SUP, "write", "Matching supplier invoices")
    if limit is not None and limit < 1:
        raise DomainError(f"The limit must be at least 1 (got {limit}).")
    now = ctx.now()
    si, sil = SupplierInvoices, SupplierInvoiceLines
    pending = or_(si.matching_status.is_(None), si.matching_status.in_([s for s in PENDING_MATCH if s]))
    summary = {"matched": 0, "within_tolerance": 0, "exception": 0, "invoices": []}
    audits: list[dict[str, Any]] = []
    with ctx.transaction(SUP) as conn:
        serialize(conn, "sup:three-way-match", si.__table__)
        q = select(si).where(pending, or_(si.invoice_status.is_(None), si.invoice_status.not_in(["rejected", "cancelled"])))
        heads = conn.execute(q.order_by(si.invoice_date, si.invoice_id).limit(limit)).all()
        if heads:
            inv_ids = [h.invoice_id for h in heads]
            # only the columns the match reads: 50,000 lines come back several times faster
            lines = conn.execute(select(sil.line_id, sil.invoice_id, sil.line_number, sil.po_line_id, sil.material_id,
                                        sil.invoiced_quantity, sil.unit_price, sil.line_total)
                                 .where(sil.invoice_id.in_(inv_ids)).order_by(sil.invoice_id, sil.line_number, sil.line_id)).all()
            po_line_ids = sorted({ln.po_line_id for ln in lines if ln.po_line_id})
            # quantities already invoiced on accepted invoices, per PO line (one query)
            already: dict[str, Decimal] = defaultdict(lambda: D0)
            for lid, qty in conn.execute(
                    select(sil.po_line_id, func.sum(sil.invoiced_quantity)).join(si, si.invoice_id == sil.invoice_id)
                    .where(sil.po_line_id.in_(po_line_ids), si.invoice_status.in_(ACCEPTED_INVOICE),
                           si.invoice_id.not_in(inv_ids)).group_by(sil.po_line_id)):
                already[lid] = _q4(_dec(qty))
            po_lines, pos, receipts = _erp_facts(ctx, po_line_ids, {h.purchase_order_id for h in heads if h.purchase_order_id})
            by_invoice: dict[str, list] = defaultdict(list)
            for ln in lines:
                by_invoice[ln.invoice_id].append(ln)
            line_updates, head_updates, logs = [], [], []
            for h in heads:
                res = _match_one(h, by_invoice.get(h.invoice_id, []), po_lines, pos, receipts, already, now)
                line_updates += res["lines"]
                head_updates.append(res["head"])
                logs += res["logs"]
                summary[res["head"]["matching_status"]] += 1
                summary["invoices"].append({"invoice_id": h.invoice_id, "result": res["head"]["matching_status"],
                                            "reasons": res["reasons"]})
                audits.append({
                    "entity_id": h.invoice_id,
                    "before": {"matching_status": h.matching_status, "invoice_status": h.invoice_status},
                    "after": {k: res["head"][k] for k in ("matching_status", "invoice_status", "payment_status",
                                                          "price_variance", "quantity_variance", "variance_reason")}})
            if line_updates:
                t = sil.__table__
                cols = ["po_quantity", "received_quantity", "po_unit_price", "quantity_variance", "price_variance", "match_status"]
                conn.execute(update(t).where(t.c.line_id == bindparam("l_id")).values({c: bindparam(c) for c in cols}), line_updates)
            t = si.__table__
            cols = [k for k in head_updates[0] if k != "i_id"]
            conn.execute(update(t).where(t.c.invoice_id == bindparam("i_id")).values({c: bindparam(c) for c in cols}), head_updates)
            if logs:
                conn.execute(insert(ThreeWayMatchLog), logs)
    _write_match_audits(ctx, audits)
    summary["posting"] = post_approved_invoices(ctx, _authorized=True)
    summary["checked"] = summary["matched"] + summary["within_tolerance"] + summary["exception"]
    return summary


def _write_match_audits(ctx: ServiceContext, audits: list[dict[str, Any]]) -> None:
    """The audit records of one match run, written after the match committed, in one console
    transaction (one record per invoice, as ctx.audit would write them one transaction each)."""
    if not audits:
        return
    from ..databases import CONSOLE_DATABASE
    from ..models.console import AuditLog
    from .base import jsonable

    when = ctx.now()
    with ctx.dbs.begin(CONSOLE_DATABASE) as conn:
        conn.execute(insert(AuditLog.__table__), [
            {"occurred_at": when, "user_id": ctx.user.user_id, "action": "procurement.invoice.match",
             "database_name": SUP, "entity_type": "supplier_invoice", "entity_id": a["entity_id"],
             "before": jsonable(a["before"]), "after": jsonable(a["after"]), "detail": None}
            for a in audits])


def _erp_facts(ctx: ServiceContext, po_line_ids: list[str], po_ids: set[str]):
    """PO lines, PO headers and received quantities (with the latest receipt) from ERP, in bulk.
    Receipts rejected by quality inspection do not count as received."""
    pol, po, gr = PurchaseOrderLines, PurchaseOrders, GoodsReceipts
    with ctx.read(ERP) as conn:
        po_lines = {r.po_line_id: r for r in conn.execute(
            select(pol.po_line_id, pol.purchase_order_id, pol.material_id, pol.unit_price, pol.order_quantity)
            .where(pol.po_line_id.in_(po_line_ids)))} if po_line_ids else {}
        ids = po_ids | {r.purchase_order_id for r in po_lines.values()}
        pos = {r.purchase_order_id: r for r in conn.execute(
            select(po.purchase_order_id, po.supplier_id).where(po.purchase_order_id.in_(ids)))} if ids else {}
        receipts = {}
        if po_line_ids:
            for lid, qty, last in conn.execute(
                    select(gr.po_line_id, func.sum(gr.quantity_received), func.max(gr.goods_receipt_id))
                    .where(gr.po_line_id.in_(po_line_ids), gr.cancelled.is_not(True),
                           or_(gr.quality_status.is_(None), gr.quality_status != "rejected"))
                    .group_by(gr.po_line_id)):
                receipts[lid] = (_q4(_dec(qty)), last)
    return po_lines, pos, receipts


def _match_one(h, lines, po_lines, pos, receipts, already, now) -> dict[str, Any]:
    reasons: list[str] = []
    details: list[str] = []
    out_lines, logs = [], []
    tol = PRICE_TOLERANCE_PCT
    q_var_total = D0
    p_var_total = Decimal("0.00")
    expected_total = Decimal("0.00")
    flags = {"po": True, "receipt": True, "price": True, "qty": True}
    statuses = []
    if not lines:
        reasons.append(NO_LINES)
        details.append("the invoice has no lines to match")
    po_head = pos.get(h.purchase_order_id) if h.purchase_order_id else None
    if po_head is not None and h.supplier_id and po_head.supplier_id and po_head.supplier_id != h.supplier_id:
        reasons.append(SUPPLIER_MISMATCH)
        details.append(f"{h.purchase_order_id} is with {po_head.supplier_id}, not {h.supplier_id}")
        flags["po"] = False
    for n, ln in enumerate(lines, 1):
        line_reasons = []
        pl = po_lines.get(ln.po_line_id)
        qty = _q4(_dec(ln.invoiced_quantity))
        price = _q4(_dec(ln.unit_price))
        actual = money(_dec(ln.line_total)) if ln.line_total is not None else money(qty * price)
        if pl is None or (h.purchase_order_id and pl.purchase_order_id != h.purchase_order_id):
            line_reasons.append(NO_PO_LINE)
            details.append(f"line {ln.line_number}: {ln.po_line_id or 'no PO line'} is not on {h.purchase_order_id}")
            flags["po"] = False
            out_lines.append({"l_id": ln.line_id, "po_quantity": None, "received_quantity": None, "po_unit_price": None,
                              "quantity_variance": None, "price_variance": None, "match_status": "exception"})
            statuses.append("exception")
            reasons += [r for r in line_reasons if r not in reasons]
            logs.append(_log(h, ln, n, None, "exception", actual, actual, None, False, NO_PO_LINE, now))
            continue
        if ln.material_id and pl.material_id and ln.material_id != pl.material_id:
            line_reasons.append(MATERIAL_MISMATCH)
            details.append(f"line {ln.line_number}: material {ln.material_id} is not {pl.material_id} of the PO line")
            flags["po"] = False
        received, last_gr = receipts.get(ln.po_line_id, (D0, None))
        open_qty = received - already[ln.po_line_id]
        over = qty - open_qty
        if over > 0:
            line_reasons.append(QTY_EXCEEDS_RECEIVED)
            details.append(f"line {ln.line_number}: invoiced {qty} but only {max(open_qty, D0)} received and not yet invoiced")
            flags["receipt"] = flags["qty"] = False
        po_price = _q4(_dec(pl.unit_price))
        if po_price > 0:
            pct = (price - po_price) / po_price * 100
        else:
            pct = D0 if price == 0 else Decimal("999.99")
        if price != po_price:
            flags["price"] = False
        if abs(pct) > tol:
            line_reasons.append(PRICE_VARIANCE)
            details.append(f"line {ln.line_number}: price {price} is {_pct(pct)} % off the PO price {po_price} (tolerance {tol} %)")
        expected = money(qty * po_price)
        p_var = actual - expected
        status = "exception" if line_reasons else ("matched" if price == po_price else "within_tolerance")
        statuses.append(status)
        if status != "exception":
            already[ln.po_line_id] += qty  # a later invoice of this batch sees this one as invoiced
        q_var_total += max(over, D0)
        p_var_total += p_var
        expected_total += expected
        reasons += [r for r in line_reasons if r not in reasons]
        out_lines.append({"l_id": ln.line_id, "po_quantity": _dec(pl.order_quantity), "received_quantity": received,
                          "po_unit_price": po_price, "quantity_variance": max(over, D0), "price_variance": p_var,
                          "match_status": status})
        logs.append(_log(h, ln, n, last_gr, status, expected, actual, pct, not line_reasons,
                         ",".join(line_reasons) or None, now, po_id=pl.purchase_order_id))
    result = "exception" if reasons else ("within_tolerance" if "within_tolerance" in statuses else "matched")
    approved = result != "exception"
    head = {
        "i_id": h.invoice_id, "matching_status": result, "po_match": flags["po"], "receipt_match": flags["receipt"],
        "price_match": flags["price"], "quantity_match": flags["qty"], "quantity_variance": q_var_total,
        "price_variance": p_var_total, "total_variance": money(_dec(h.subtotal)) - expected_total if lines else None,
        "variance_reason": ("; ".join([",".join(reasons)] + details))[:2000] if reasons else None,
        "invoice_status": "approved" if approved else "on_hold",
        "approved_by": "three-way-match" if approved else None, "approved_date": now.date() if approved else None,
        "payment_status": "scheduled" if approved else "held", "updated_at": now,
    }
    return {"head": head, "lines": out_lines, "logs": logs, "reasons": reasons}


def _log(h, ln, n, receipt_id, status, expected, actual, pct, within, reason, now, po_id=None) -> dict[str, Any]:
    return {"log_id": f"TWM-{h.invoice_id}-{n:03d}"[:50], "invoice_id": h.invoice_id, "match_timestamp": now,
            "match_type": "three_way", "po_id": po_id or h.purchase_order_id, "receipt_id": receipt_id,
            "match_result": status, "expected_amount": expected, "actual_amount": actual,
            "variance_amount": actual - expected, "variance_pct": _pct(pct) if pct is not None else None,
            "within_tolerance": within, "tolerance_pct": PRICE_TOLERANCE_PCT,
            "action_taken": "flagged_for_review" if status == "exception" else "auto_approved", "notes": reason}


def post_approved_invoices(ctx: ServiceContext, limit: int = 500, *, _authorized: bool = False) -> dict[str, Any]:
    """Post approved supplier invoices not yet in the GL: Dr GR/IR (received value at PO price),
    Dr/Cr purchase price variance, Dr input tax, Dr freight, Cr accounts payable. Idempotent."""
    if not _authorized:
        ctx.require(SUP, "write", "Posting supplier invoices")
    si, sil = SupplierInvoices, SupplierInvoiceLines
    with ctx.read(SUP) as conn:
        heads = conn.execute(select(si).where(si.invoice_status == "approved", si.gl_posted.is_not(True))
                             .order_by(si.invoice_id).limit(limit)).all()
        lines = conn.execute(select(sil).where(sil.invoice_id.in_([h.invoice_id for h in heads]))).all() if heads else []
    by_inv: dict[str, list] = defaultdict(list)
    for ln in lines:
        by_inv[ln.invoice_id].append(ln)
    posted, errors = [], []
    for h in heads:
        inv_lines = by_inv.get(h.invoice_id, [])
        receipt_value = sum((money(_dec(ln.invoiced_quantity) * _dec(ln.po_unit_price if ln.po_unit_price is not None else ln.unit_price))
                             for ln in inv_lines), Decimal("0.00"))
        net = sum((money(_dec(ln.line_total)) if ln.line_total is not None else money(_dec(ln.invoiced_quantity) * _dec(ln.unit_price))
                   for ln in inv_lines), Decimal("0.00"))
        amounts = {"receipt_value": receipt_value, "price_variance": net - receipt_value,
                   "tax_amount": money(_dec(h.tax_amount)),
                   "other_charges": money(_dec(h.freight_charges) + _dec(h.other_charges) - _dec(h.discount_amount))}
        amounts = {k: v for k, v in amounts.items() if v != 0}
        if not amounts:
            continue
        try:
            p = finance.post_for_source(ctx, "supplier_invoice", amounts, source_document_id=h.invoice_id,
                                        description=f"Supplier invoice {h.supplier_invoice_number or h.invoice_id} {h.supplier_id}",
                                        reference=h.purchase_order_id)
        except DomainError as exc:
            errors.append(f"{h.invoice_id}: {exc}")
            continue
        with ctx.transaction(SUP) as conn:
            conn.execute(update(si).where(si.invoice_id == h.invoice_id).values(
                gl_journal_entry_id=p.journal_entry_id, gl_posted=True, updated_at=ctx.now()))
            ctx.audit("procurement.invoice.post", SUP, "supplier_invoice", h.invoice_id,
                      before={"gl_posted": bool(h.gl_posted)}, after={"gl_posted": True, "journal_entry_id": p.journal_entry_id})
        posted.append(h.invoice_id)
    return {"posted": posted, "errors": errors}


def _load_exception(conn, invoice_id: str):
    h = conn.execute(select(SupplierInvoices).where(SupplierInvoices.invoice_id == invoice_id).with_for_update()).first()
    if h is None:
        raise NotFound(f"There is no supplier invoice {invoice_id}.")
    if h.matching_status != "exception" or h.invoice_status in ("approved", "rejected", "paid"):
        raise DomainError(f"Invoice {invoice_id} is not a held match exception (match {h.matching_status}, "
                          f"status {h.invoice_status}); only exceptions are approved or rejected here.")
    return h


def approve_invoice_variance(ctx: ServiceContext, invoice_id: str, reason: str) -> dict[str, Any]:
    """Accept a match exception with a reason: the invoice is approved for payment and posted."""
    ctx.require_capability("invoice.approve_variance", "Approving an invoice variance")
    reason = _at_field("reason", require_text, reason, "Reason", 1000)
    now = ctx.now()
    with ctx.transaction(SUP) as conn:
        serialize(conn, "sup:three-way-match", SupplierInvoices.__table__)
        h = _load_exception(conn, invoice_id)
        conn.execute(update(SupplierInvoices).where(SupplierInvoices.invoice_id == invoice_id).values(
            invoice_status="approved", payment_status="scheduled", variance_approved_by=ctx.user.user_id[:50],
            variance_approved_date=ctx.today(), approved_by=ctx.user.user_id[:50], approved_date=ctx.today(),
            approval_notes=reason, updated_at=now))
        conn.execute(update(SupplierInvoiceLines).where(SupplierInvoiceLines.invoice_id == invoice_id,
                                                        SupplierInvoiceLines.match_status == "exception")
                     .values(match_status="variance_approved"))
        conn.execute(insert(ThreeWayMatchLog).values(
            log_id=f"TWM-{invoice_id}-APPROVED"[:50], invoice_id=invoice_id, match_timestamp=now, match_type="manual_review",
            po_id=h.purchase_order_id, match_result="variance_approved", within_tolerance=False,
            tolerance_pct=PRICE_TOLERANCE_PCT, action_taken="approved_with_reason", notes=reason))
        ctx.audit("procurement.invoice.approve_variance", SUP, "supplier_invoice", invoice_id,
                  before={"invoice_status": h.invoice_status, "payment_status": h.payment_status, "variance_reason": h.variance_reason},
                  after={"invoice_status": "approved", "payment_status": "scheduled"}, detail=reason)
    posting = post_approved_invoices(ctx, _authorized=True)
    return {"invoice_id": invoice_id, "invoice_status": "approved", "posting": posting}


def reject_invoice(ctx: ServiceContext, invoice_id: str, reason: str) -> None:
    """Reject a match exception with a reason: it will not be paid."""
    ctx.require_capability("invoice.approve_variance", "Rejecting a supplier invoice")
    reason = _at_field("reason", require_text, reason, "Reason", 1000)
    now = ctx.now()
    with ctx.transaction(SUP) as conn:
        serialize(conn, "sup:three-way-match", SupplierInvoices.__table__)
        h = _load_exception(conn, invoice_id)
        conn.execute(update(SupplierInvoices).where(SupplierInvoices.invoice_id == invoice_id).values(
            invoice_status="rejected", payment_status="cancelled", approval_notes=reason, updated_at=now))
        conn.execute(insert(ThreeWayMatchLog).values(
            log_id=f"TWM-{invoice_id}-REJECTED"[:50], invoice_id=invoice_id, match_timestamp=now, match_type="manual_review",
            po_id=h.purchase_order_id, match_result="rejected", within_tolerance=False, tolerance_pct=PRICE_TOLERANCE_PCT,
            action_taken="rejected", notes=reason))
        ctx.audit("procurement.invoice.reject", SUP, "supplier_invoice", invoice_id,
                  before={"invoice_status": h.invoice_status, "payment_status": h.payment_status},
                  after={"invoice_status": "rejected", "payment_status": "cancelled"}, detail=reason)


# -- the daily ERP cycle's look-ups ---------------------------------------------------------------------


def requisitions_to_order(ctx: ServiceContext, limit: int = 100) -> list[dict[str, Any]]:
    """Open requisitions the daily cycle may turn into purchase orders: MRP's own (the system may
    approve them) and requisitions a person approved, each with at least one open line whose
    material has a default supplier. Oldest first, at most `limit`: {requisition_id, approval_status,
    source_type}."""
    ctx.require(ERP, "read", "Looking for requisitions to order")
    pr, prl = PurchaseRequisitions, PurchaseRequisitionLines
    with ctx.read(ERP) as conn:
        rows = conn.execute(
            select(pr.requisition_id, pr.approval_status, pr.source_type).where(
                pr.overall_status == "open",
                or_(pr.source_type == "mrp_run", pr.approval_status == "approved"),
                pr.approval_status.in_(("pending", "approved")),
                pr.requisition_id.in_(select(prl.requisition_id).join(Materials, Materials.material_id == prl.material_id)
                                      .where(prl.line_status == "open", Materials.default_supplier_id.is_not(None))))
            .order_by(pr.requisition_id).limit(max(0, int(limit)))).all()
    return [dict(r._mapping) for r in rows]


def purchase_orders_awaiting_release(ctx: ServiceContext, limit: int = 100) -> list[str]:
    """Purchase orders the acting user converted from requisitions that are not released yet
    (created or approved): what the daily cycle approves and releases, also after a crash between
    its conversion and the release."""
    ctx.require(ERP, "read", "Looking for purchase orders to release")
    po, pol = PurchaseOrders, PurchaseOrderLines
    with ctx.read(ERP) as conn:
        return list(conn.execute(select(po.purchase_order_id).where(
            po.po_status.in_(("created", "approved")), po.created_by == ctx.user.user_id[:50],
            po.purchase_order_id.in_(select(pol.purchase_order_id).where(pol.requisition_id.is_not(None))))
            .order_by(po.purchase_order_id).limit(max(0, int(limit)))).scalars())


def due_deliveries(ctx: ServiceContext, limit: int = 100) -> dict[str, list[dict[str, Any]]]:
    """What suppliers should have delivered by now: per released purchase order (at most `limit`
    orders, oldest first), its open lines whose delivery date has passed, with the quantity still to
    receive: {po_id: [{po_line_id, quantity}]}."""
    ctx.require(ERP, "read", "Looking for due deliveries")
    po, pol = PurchaseOrders, PurchaseOrderLines
    with ctx.read(ERP) as conn:
        rows = conn.execute(
            select(pol.purchase_order_id, pol.po_line_id, pol.order_quantity, pol.received_quantity)
            .join(po, po.purchase_order_id == pol.purchase_order_id)
            .where(po.release_indicator.is_(True), func.lower(po.po_status).in_(("open", "released", "partially_received")),
                   pol.delivery_date < ctx.today(), or_(pol.deletion_indicator.is_(None), pol.deletion_indicator.is_(False)),
                   func.coalesce(pol.line_status, "open").in_(("open", "partially_received")),
                   func.coalesce(pol.order_quantity, 0) > func.coalesce(pol.received_quantity, 0))
            .order_by(pol.purchase_order_id, pol.line_number)).all()
    due: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.purchase_order_id not in due and len(due) >= limit:
            break
        due.setdefault(r.purchase_order_id, []).append(
            {"po_line_id": r.po_line_id, "quantity": _q4(_dec(r.order_quantity) - _dec(r.received_quantity))})
    return due
