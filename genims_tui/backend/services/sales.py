"""Sales: order to cash. Sales orders with pricing, available-to-promise and a credit check, credit
hold release, delivery from ERP stock (goods issue 601 + COGS) and customer invoicing (AR / revenue /
tax) - seed 000's order-to-delivery scenario and seed 002's sales order -> GL posting.

Decisions (documented here so screens and jobs agree):

- Sellable material: an ERP material of type `finished_good` whose status is not blocked/inactive.
- Price of a line: the unit price given; else the customer's active `customer_product_mapping`
  price (genims_master_db, by the material's product_id); else the material's standard cost times
  `STANDARD_MARKUP` (1.40, the middle of the seeds' 1.25-1.6 range). Tax: `TAX_RATE` (8 %, the seeds'
  rate) per line, rounded to the cent; the order's tax is the sum of its lines.
- Available-to-promise per material, dated: unrestricted ERP stock (all plants) now, plus scheduled
  receipts (open production orders by scheduled/basic end date, open PO lines by delivery date;
  overdue ones count from today), minus committed demand (undelivered quantity of open/confirmed/
  in-production/partially delivered lines of orders not on credit hold, by confirmed else requested
  date). The ATP at date t is min over t' >= t of the cumulative (stock + receipts - demand) up to t'
  (a later commitment is never robbed). `atp_date` is the earliest date the full quantity is
  available (None when no known supply covers it); `atp_quantity` is what is available at the
  requested date (0..quantity). Earlier lines of the same order count as demand for later ones.
- Credit check: exposure = open receivables of the customer (ERP sales orders with
  overall_billing_status 'invoiced' - their total_value - or 'partially_invoiced' - the invoiced share
  of their lines; 'paid' orders are settled, as the seeds mark them) + this order's total. Limit:
  genims_crm_db.accounts.credit_limit of the customer (the largest when several accounts carry one;
  no limit -> pass). Exposure <= limit passes (`credit_check_status` 'passed', order and lines
  'confirmed', confirmed date = max(requested, atp_date)); above it the order is held
  (`order_status` 'on_hold', `credit_check_status` 'failed', lines 'open' without a confirmed date,
  and the reason in each line's `rejection_reason`). `credit_limit_used` is exposure / limit in %.
- Releasing a hold (capability sales.release_credit_hold) re-runs ATP, confirms the lines and sets
  `credit_check_status` 'released' (distinct from 'passed' so reports can tell).
- Delivery: goods issue 601 per stock key via `inventory.post_movement` (moving average value),
  under one delivery document (`DLV-...`, or the caller's own document id, e.g. a WMS shipment: a
  second call with the same document changes nothing). COGS (finance `goods_delivery`) is posted
  once per delivery document after the stock moved; a refused posting is reported in the result.
- Invoicing: what is delivered and not yet invoiced. GL `sales_invoice` with net_amount (revenue,
  plus the order's freight on the invoice that completes it) and tax_amount; source_document_id is
  the sales order id for the first invoice (as in the seeds) and `<SO>/<qty invoiced before>` for a
  later partial one: deterministic from the ERP state, so a retry after a failure never double-posts.
  The GL entry is posted before the ERP quantities move; nothing left to invoice is a DomainError.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from ..errors import DomainError, NotFound
from ..models.crm import Accounts
from ..models.erp import (
    InventoryBalances,
    InventoryTransactions,
    Materials,
    ProductionOrders,
    PurchaseOrderLines,
    PurchaseOrders,
    SalesOrderLines,
    SalesOrders,
)
from ..models.master import CustomerProductMapping, Customers
from . import finance
from .base import ServiceContext, require_text, to_decimal
from .finance import serialize
from .inventory import post_movement

log = logging.getLogger(__name__)

ERP = "genims_erp_db"
MASTER = "genims_master_db"
CRM = "genims_crm_db"
D0 = Decimal("0")
CENT = Decimal("0.01")
Q4 = Decimal("0.0001")
TAX_RATE = Decimal("0.08")
STANDARD_MARKUP = Decimal("1.40")
SELLABLE_TYPES = frozenset({"finished_good"})
BLOCKED_STATUSES = frozenset({"blocked", "inactive", "obsolete", "discontinued", "deleted"})
DEMAND_LINE_STATUSES = ("open", "confirmed", "in_production", "partially_delivered")
OPEN_PRODUCTION = ("created", "released", "in_progress")
CLOSED_PO = ("closed", "cancelled", "rejected", "received")
MAX_LINES = 200


def m2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _dec(value: Any) -> Decimal:
    return D0 if value is None else (value if isinstance(value, Decimal) else Decimal(str(value)))


@contextmanager
def _at_field(name: str) -> Iterator[None]:
    """A DomainError raised inside names the input `name` (for forms: `customer_id`,
    `lines.<n>.material_id`, `lines.<n>.quantity`, `lines.<n>.requested_date`), unless it names one already."""
    try:
        yield
    except DomainError as exc:
        if exc.field is None:
            exc.field = name
        raise


def _date(value: Any, field_name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(f"{field_name} must be a date (YYYY-MM-DD); {value!r} is not.") from None


# -- results ----------------------------------------------------------------------------------------


@dataclass
class OrderLineResult:
    sales_order_line_id: str
    line_number: int
    material_id: str
    quantity: Decimal
    unit_price: Decimal
    net_price: Decimal
    tax_amount: Decimal
    requested_date: dt.date
    atp_quantity: Decimal
    atp_date: dt.date | None
    confirmed_date: dt.date | None
    line_status: str
    price_source: str


@dataclass
class SalesOrderResult:
    sales_order_id: str
    customer_id: str
    order_status: str
    credit_check_status: str
    total_net_value: Decimal
    tax_amount: Decimal
    total_value: Decimal
    exposure: Decimal
    credit_limit: Decimal | None
    hold_reason: str | None
    lines: list[OrderLineResult] = field(default_factory=list)


@dataclass
class DeliveryResult:
    sales_order_id: str
    delivery_document: str
    created: bool
    movements: list[dict[str, Any]]
    cogs: Decimal
    order_status: str
    journal_entry_id: str | None = None
    posting_error: str | None = None


@dataclass
class InvoiceResult:
    sales_order_id: str
    source_document_id: str
    created: bool
    net_amount: Decimal
    tax_amount: Decimal
    total: Decimal
    journal_entry_id: str
    lines: list[dict[str, Any]]
    billing_status: str


# -- available to promise ---------------------------------------------------------------------------


@dataclass
class _Supply:
    stock: Decimal
    events: list[tuple[dt.date, Decimal]]  # signed: receipts +, demand -


def _supply_of(conn, material_id: str, today: dt.date, exclude_order: str | None = None) -> _Supply:
    ib = InventoryBalances
    stock = sum((_dec(q) for (q,) in conn.execute(select(ib.unrestricted_stock).where(ib.material_id == material_id))), D0)
    events: list[tuple[dt.date, Decimal]] = []
    po = ProductionOrders
    for qty, done, end, basic in conn.execute(
            select(po.order_quantity, po.delivered_quantity, po.scheduled_end_date, po.basic_end_date)
            .where(po.material_id == material_id, po.system_status.in_(OPEN_PRODUCTION))):
        left = _dec(qty) - _dec(done)
        if left > 0:
            events.append((max(end or basic or today, today), left))
    pol, poh = PurchaseOrderLines, PurchaseOrders
    for qty, got, when in conn.execute(
            select(pol.order_quantity, pol.received_quantity, pol.delivery_date)
            .join(poh, poh.purchase_order_id == pol.purchase_order_id)
            .where(pol.material_id == material_id, pol.deletion_indicator.is_not(True),
                   func.coalesce(pol.line_status, "open").not_in(CLOSED_PO),
                   func.coalesce(poh.po_status, "open").not_in(CLOSED_PO))):
        left = _dec(qty) - _dec(got)
        if left > 0:
            events.append((max(when or today, today), left))
    sol, so = SalesOrderLines, SalesOrders
    q = (select(sol.order_quantity, sol.delivered_quantity, sol.confirmed_delivery_date, sol.requested_delivery_date)
         .join(so, so.sales_order_id == sol.sales_order_id)
         .where(sol.material_id == material_id, sol.line_status.in_(DEMAND_LINE_STATUSES),
                sol.deletion_indicator.is_not(True), or_(so.order_status.is_(None), so.order_status != "on_hold")))
    if exclude_order:
        q = q.where(sol.sales_order_id != exclude_order)
    for qty, done, confirmed, requested in conn.execute(q):
        left = _dec(qty) - _dec(done)
        if left > 0:
            events.append((max(confirmed or requested or today, today), -left))
    return _Supply(stock, events)


def atp_at(supply: _Supply, day: dt.date, today: dt.date) -> Decimal:
    """What can be promised for `day` without robbing any commitment: min over t' >= day of the
    cumulative stock + receipts - demand up to t'."""
    dates = sorted({day, today} | {d for d, _q in supply.events})
    best: Decimal | None = None
    for t in dates:
        if t < day:
            continue
        cum = supply.stock + sum((q for d, q in supply.events if d <= t), D0)
        best = cum if best is None else min(best, cum)
    return best if best is not None else supply.stock


def atp_date(supply: _Supply, quantity: Decimal, today: dt.date) -> dt.date | None:
    """The earliest date (>= today) by which `quantity` can be promised, or None."""
    for t in sorted({today} | {d for d, _q in supply.events if d >= today}):
        if atp_at(supply, t, today) >= quantity:
            return t
    return None


def _plant_for(conn, material_id: str) -> str | None:
    ib = InventoryBalances
    per: dict[str, Decimal] = defaultdict(lambda: D0)
    for plant, qty in conn.execute(select(ib.plant_id, ib.unrestricted_stock).where(ib.material_id == material_id)):
        if plant:
            per[plant] += _dec(qty)
    if per and max(per.values()) > 0:
        return max(sorted(per), key=lambda p: per[p])
    po = ProductionOrders
    row = conn.execute(select(po.plant_id).where(po.material_id == material_id, po.plant_id.is_not(None))
                       .order_by(po.scheduled_end_date, po.production_order_id).limit(1)).first()
    return row[0] if row else None


def _schedule(conn, lines: list[dict[str, Any]], today: dt.date, exclude_order: str | None = None) -> None:
    """Fill atp_quantity / atp_date / plant_id of each planned line (earlier lines are demand)."""
    supplies: dict[str, _Supply] = {}
    for ln in lines:
        mid = ln["material_id"]
        if mid not in supplies:
            supplies[mid] = _supply_of(conn, mid, today, exclude_order)
        s = supplies[mid]
        qty = ln["remaining"]
        at_req = atp_at(s, ln["requested_date"], today)
        ln["atp_quantity"] = max(D0, min(qty, at_req))
        ln["atp_date"] = atp_date(s, qty, today)
        ln["confirmed_date"] = max(ln["requested_date"], ln["atp_date"]) if ln["atp_date"] else None
        s.events.append((ln["confirmed_date"] or ln["requested_date"], -qty))
        if "plant_id" not in ln or ln["plant_id"] is None:
            ln["plant_id"] = _plant_for(conn, mid)


# -- credit -----------------------------------------------------------------------------------------


def open_receivables(conn, customer_id: str, exclude_order: str | None = None) -> Decimal:
    so, sol = SalesOrders, SalesOrderLines
    q = select(so.sales_order_id, so.overall_billing_status, so.total_value).where(
        so.customer_id == customer_id, so.overall_billing_status.in_(("invoiced", "partially_invoiced")))
    if exclude_order:
        q = q.where(so.sales_order_id != exclude_order)
    total = D0
    partial = []
    for sid, status, value in conn.execute(q):
        if status == "invoiced":
            total += _dec(value)
        else:
            partial.append(sid)
    if partial:
        for qty, inv, net, tax in conn.execute(select(sol.order_quantity, sol.invoiced_quantity, sol.net_price, sol.tax_amount)
                                               .where(sol.sales_order_id.in_(partial))):
            if _dec(qty) > 0:
                total += m2((_dec(net) + _dec(tax)) * _dec(inv) / _dec(qty))
    return m2(total)


def credit_limit_of(ctx: ServiceContext, customer_id: str) -> Decimal | None:
    with ctx.read(CRM) as conn:
        limits = [_dec(v) for (v,) in conn.execute(select(Accounts.credit_limit).where(
            Accounts.customer_id == customer_id, Accounts.credit_limit.is_not(None)))]
    return max(limits) if limits else None


def _credit(ctx: ServiceContext, customer_id: str, order_total: Decimal, exclude_order: str | None = None):
    limit = credit_limit_of(ctx, customer_id)
    with ctx.read(ERP) as conn:
        receivables = open_receivables(conn, customer_id, exclude_order)
    exposure = receivables + order_total
    used = m2(exposure * 100 / limit) if limit and limit > 0 else None
    if limit is None or exposure <= limit:
        return True, exposure, limit, used, None
    reason = f"credit hold: exposure {exposure} > limit {limit}"
    return False, exposure, limit, used, reason


# -- create -----------------------------------------------------------------------------------------


def _clean_lines(lines: Iterable[Mapping[str, Any]], today: dt.date, default_date: dt.date | None) -> list[dict[str, Any]]:
    if isinstance(lines, Mapping) or isinstance(lines, (str, bytes)):
        raise DomainError("Lines must be a list of {material_id, quantity, requested_date}.")
    clean = []
    for n, line in enumerate(lines, 1):
        if not isinstance(line, Mapping):
            raise DomainError(f"Line {n} must be an object with material_id and quantity.")
        with _at_field(f"lines.{n}.material_id"):
            mid = require_text(line.get("material_id"), f"Line {n} material", 50)
        with _at_field(f"lines.{n}.quantity"):
            qty = to_decimal(line.get("quantity"), f"Line {n} quantity ({mid})", positive=True, places=4,
                             maximum=Decimal("99999999999"))
        with _at_field(f"lines.{n}.requested_date"):
            req = _date(line.get("requested_date"), f"Line {n} requested date") or default_date or today
            if req < today:
                raise DomainError(f"Line {n} ({mid}): requested date {req.isoformat()} is in the past (today is {today.isoformat()}).",
                                  "Ask for today or a later date.")
        price = line.get("unit_price")
        price = None if price in (None, "") else to_decimal(price, f"Line {n} unit price ({mid})", minimum=D0, places=4,
                                                            maximum=Decimal("99999999"))
        disc = to_decimal(line.get("discount_percentage") or 0, f"Line {n} discount %", minimum=D0,
                          maximum=Decimal("100"), places=2)
        clean.append({"n": n, "material_id": mid, "quantity": qty, "remaining": qty, "requested_date": req,
                      "unit_price": price, "discount": disc})
    if not clean:
        raise DomainError("A sales order needs at least one line.")
    if len(clean) > MAX_LINES:
        raise DomainError(f"A sales order has at most {MAX_LINES} lines (got {len(clean)}).")
    return clean


def create_sales_order(ctx: ServiceContext, customer_id: str, lines: Iterable[Mapping[str, Any]], *,
                       requested_delivery_date: dt.date | str | None = None, customer_po_number: str | None = None,
                       order_type: str = "standard", shipping_instructions: str | None = None,
                       payment_terms: str | None = None) -> SalesOrderResult:
    """Create a sales order: validate, price, tax, ATP per line, credit check -> confirmed or held."""
    ctx.require(ERP, "write", "Creating a sales order")
    today = ctx.today()
    customer_po_number = require_text(customer_po_number, "Customer PO number", 50, required=False)
    shipping_instructions = require_text(shipping_instructions, "Shipping instructions", 2000, required=False)
    order_type = require_text(order_type, "Order type", 30)
    customer_id, cust, clean = _plan_order(ctx, customer_id, lines, requested_delivery_date, today)
    net = sum((ln["net"] for ln in clean), D0)
    tax = sum((ln["tax"] for ln in clean), D0)
    total = net + tax
    ok, exposure, limit, used, reason = _credit(ctx, customer_id, total)

    so_id = ctx.next_key("SO", SalesOrders.__table__, "sales_order_id", ERP)
    line_ids = [ctx.next_key("SOL", SalesOrderLines.__table__, "sales_order_line_id", ERP) for _ in clean]
    now = ctx.now()
    status = "confirmed" if ok else "on_hold"
    line_status = "confirmed" if ok else "open"
    confirmed_dates = [ln["confirmed_date"] for ln in clean] if ok else []
    header_confirmed = max(confirmed_dates) if confirmed_dates and all(confirmed_dates) else None
    with ctx.transaction(ERP) as conn:
        conn.execute(insert(SalesOrders).values(
            sales_order_id=so_id, sales_order_number=f"SO{4500000 + int(so_id.split('-')[-1])}", customer_id=customer_id,
            order_date=today, order_type=order_type, sales_organization="1000", distribution_channel="10", division="00",
            currency="USD", total_net_value=net, tax_amount=tax, freight_charges=D0, total_value=total,
            payment_terms=payment_terms or (f"NET{cust.payment_terms_days}" if cust.payment_terms_days else "NET30"),
            requested_delivery_date=min(ln["requested_date"] for ln in clean), confirmed_delivery_date=header_confirmed,
            ship_to_party=customer_id, shipping_instructions=shipping_instructions, order_status=status,
            overall_delivery_status="not_delivered", overall_billing_status="not_invoiced",
            credit_check_status="passed" if ok else "failed", credit_limit_used=used,
            customer_po_number=customer_po_number, created_by=ctx.user.user_id[:50], created_at=now, updated_at=now))
        conn.execute(insert(SalesOrderLines), [{
            "sales_order_line_id": lid, "sales_order_id": so_id, "line_number": ln["n"] * 10,
            "material_id": ln["material_id"], "product_id": ln["product_id"], "material_description": ln["description"],
            "order_quantity": ln["quantity"], "unit_of_measure": ln["uom"], "delivered_quantity": D0, "invoiced_quantity": D0,
            "unit_price": ln["unit_price"], "discount_percentage": ln["discount"], "net_price": ln["net"], "tax_code": "V1",
            "tax_amount": ln["tax"], "requested_delivery_date": ln["requested_date"],
            "confirmed_delivery_date": ln["confirmed_date"] if ok else None, "plant_id": ln["plant_id"],
            "atp_date": ln["atp_date"], "atp_quantity": ln["atp_quantity"], "make_to_order": False,
            "item_category": "TAN", "line_status": line_status, "rejection_reason": None if ok else reason[:100],
            "deletion_indicator": False, "created_at": now} for lid, ln in zip(line_ids, clean, strict=True)])
        ctx.audit("sales.order.create", ERP, "sales_order", so_id, after={
            "customer_id": customer_id, "order_status": status, "credit_check_status": "passed" if ok else "failed",
            "total_value": total, "exposure": exposure, "credit_limit": limit,
            "lines": [[lid, ln["material_id"], ln["quantity"], ln["unit_price"], ln["price_source"], ln["atp_date"]]
                      for lid, ln in zip(line_ids, clean, strict=True)]}, detail=reason)
    return SalesOrderResult(
        so_id, customer_id, status, "passed" if ok else "failed", net, tax, total, exposure, limit, reason,
        [OrderLineResult(lid, ln["n"] * 10, ln["material_id"], ln["quantity"], ln["unit_price"], ln["net"], ln["tax"],
                         ln["requested_date"], ln["atp_quantity"], ln["atp_date"], ln["confirmed_date"] if ok else None,
                         line_status, ln["price_source"]) for lid, ln in zip(line_ids, clean, strict=True)])


@dataclass
class OrderPreview:
    """What `create_sales_order` would do with this input, without writing: ATP per line and the credit check."""
    customer_id: str
    customer_name: str | None
    lines: list[dict[str, Any]]  # material_id, quantity, requested_date, unit_price, net_price, tax_amount,
    #                              atp_quantity, atp_date, confirmed_date, price_source, material_description
    total_net_value: Decimal
    tax_amount: Decimal
    total_value: Decimal
    credit_ok: bool
    exposure: Decimal
    credit_limit: Decimal | None
    credit_limit_used: Decimal | None
    hold_reason: str | None

    @property
    def order_status(self) -> str:
        return "confirmed" if self.credit_ok else "on_hold"


def preview_sales_order(ctx: ServiceContext, customer_id: str, lines: Iterable[Mapping[str, Any]], *,
                        requested_delivery_date: dt.date | str | None = None) -> OrderPreview:
    """The checks of `create_sales_order` (same validation and DomainErrors, with `field` set), the
    prices, ATP per line and the credit check - nothing written. A form shows it before confirming."""
    ctx.require(ERP, "read", "Checking a sales order")
    today = ctx.today()
    customer_id, cust, clean = _plan_order(ctx, customer_id, lines, requested_delivery_date, today)
    net = sum((ln["net"] for ln in clean), D0)
    tax = sum((ln["tax"] for ln in clean), D0)
    ok, exposure, limit, used, reason = _credit(ctx, customer_id, net + tax)
    return OrderPreview(
        customer_id, getattr(cust, "customer_name", None),
        [{"line_number": ln["n"] * 10, "material_id": ln["material_id"], "material_description": ln["description"],
          "quantity": ln["quantity"], "requested_date": ln["requested_date"], "unit_price": ln["unit_price"],
          "net_price": ln["net"], "tax_amount": ln["tax"], "atp_quantity": ln["atp_quantity"], "atp_date": ln["atp_date"],
          "confirmed_date": ln["confirmed_date"], "price_source": ln["price_source"]} for ln in clean],
        net, tax, net + tax, ok, exposure, limit, used, reason)


def _plan_order(ctx: ServiceContext, customer_id: Any, lines: Iterable[Mapping[str, Any]],
                requested_delivery_date: Any, today: dt.date):
    """Validate the customer and lines, price them and fill ATP per line (reads only)."""
    with _at_field("customer_id"):
        customer_id = require_text(customer_id, "Customer", 50)
    with _at_field("requested_delivery_date"):
        default_date = _date(requested_delivery_date, "Requested delivery date")
        if default_date and default_date < today:
            raise DomainError(f"Requested delivery date {default_date.isoformat()} is in the past (today is {today.isoformat()}).")
    clean = _clean_lines(lines, today, default_date)
    with ctx.read(MASTER) as conn:
        cust = conn.execute(select(Customers).where(Customers.customer_id == customer_id)).first()
        if cust is None:
            raise NotFound(f"There is no customer {customer_id} in the master data.",
                           "Check the customer id (genims_master_db.customers).", field="customer_id")
        if (cust.status or "active").lower() in BLOCKED_STATUSES:
            raise DomainError(f"Customer {customer_id} is {cust.status}; no new orders.", "Reactivate the customer first.",
                              field="customer_id")
        mapped = {r.product_id: _dec(r.unit_price_usd) for r in conn.execute(
            select(CustomerProductMapping).where(CustomerProductMapping.customer_id == customer_id,
                                                 CustomerProductMapping.is_active.is_not(False),
                                                 CustomerProductMapping.unit_price_usd.is_not(None)))}
    with ctx.read(ERP) as conn:
        mats = {m.material_id: m for m in conn.execute(select(Materials).where(
            Materials.material_id.in_({ln["material_id"] for ln in clean})))}
        for ln in clean:
            m = mats.get(ln["material_id"])
            at = f"lines.{ln['n']}.material_id"
            if m is None:
                raise NotFound(f"Line {ln['n']}: there is no material {ln['material_id']}.", "Check the material id (genims_erp_db.materials).",
                               field=at)
            if (m.material_type or "") not in SELLABLE_TYPES:
                raise DomainError(f"Line {ln['n']}: material {m.material_id} is a {m.material_type or 'material without type'}, "
                                  "not a sellable finished good.", "Order a finished good.", field=at)
            if (m.material_status or "active").lower() in BLOCKED_STATUSES:
                raise DomainError(f"Line {ln['n']}: material {m.material_id} is {m.material_status}; it cannot be sold.",
                                  field=at)
            if ln["unit_price"] is not None:
                ln["price_source"] = "given"
            elif m.product_id in mapped and mapped[m.product_id] > 0:
                ln["unit_price"], ln["price_source"] = mapped[m.product_id].quantize(Q4), "customer_product_mapping"
            elif _dec(m.standard_cost) > 0:
                ln["unit_price"], ln["price_source"] = (_dec(m.standard_cost) * STANDARD_MARKUP).quantize(Q4), "standard_cost_markup"
            else:
                raise DomainError(f"Line {ln['n']}: material {m.material_id} has no price (no customer price, no standard cost).",
                                  "Give the line a unit_price.", field=at)
            ln["net"] = m2(ln["quantity"] * ln["unit_price"] * (1 - ln["discount"] / 100))
            ln["tax"] = m2(ln["net"] * TAX_RATE)
            ln["description"] = (m.material_name or m.material_id)[:200]
            ln["uom"] = m.base_unit_of_measure or "EA"
            ln["product_id"] = m.product_id
        _schedule(conn, clean, today)
    return customer_id, cust, clean


# -- reading ----------------------------------------------------------------------------------------


def _load(conn, so_id: str, lock: bool = False):
    q = select(SalesOrders).where(SalesOrders.sales_order_id == so_id)
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    so = conn.execute(q).first()
    if so is None:
        raise NotFound(f"There is no sales order {so_id}.", "`genims so show` needs an existing id such as SO-000001.")
    lq = select(SalesOrderLines).where(SalesOrderLines.sales_order_id == so_id).order_by(SalesOrderLines.line_number)
    if lock and conn.dialect.name == "postgresql":
        lq = lq.with_for_update()
    return so, conn.execute(lq).all()


def get_sales_order(ctx: ServiceContext, sales_order_id: str) -> dict[str, Any]:
    ctx.require(ERP, "read", "Reading a sales order")
    so_id = require_text(sales_order_id, "Sales order", 50)
    with ctx.read(ERP) as conn:
        so, lines = _load(conn, so_id)
    head = {c: getattr(so, c) for c in (
        "sales_order_id", "sales_order_number", "customer_id", "order_date", "order_status", "credit_check_status",
        "credit_limit_used", "overall_delivery_status", "overall_billing_status", "total_net_value", "tax_amount",
        "freight_charges", "total_value", "requested_delivery_date", "confirmed_delivery_date", "customer_po_number")}
    head["lines"] = [{c: getattr(ln, c) for c in (
        "sales_order_line_id", "line_number", "material_id", "material_description", "order_quantity", "delivered_quantity",
        "invoiced_quantity", "unit_price", "net_price", "tax_amount", "requested_delivery_date", "confirmed_delivery_date",
        "atp_date", "atp_quantity", "plant_id", "line_status", "rejection_reason")} for ln in lines]
    return head


# -- credit hold release ----------------------------------------------------------------------------


def release_credit_hold(ctx: ServiceContext, sales_order_id: str, reason: str | None = None) -> dict[str, Any]:
    """Release an order held by the credit check: ATP again, lines confirmed, status 'released'."""
    ctx.require_capability("sales.release_credit_hold", "Releasing a credit hold")
    ctx.require(ERP, "write", "Releasing a credit hold")
    so_id = require_text(sales_order_id, "Sales order", 50)
    reason = require_text(reason, "Reason", 500, required=False)
    today = ctx.today()
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:so:{so_id}", SalesOrders.__table__)
        so, lines = _load(conn, so_id, lock=True)
        if so.order_status != "on_hold":
            raise DomainError(f"{so_id} is not on credit hold (status {so.order_status}, credit check {so.credit_check_status}).",
                              "Only held orders can be released.")
        plan = [{"id": ln.sales_order_line_id, "material_id": ln.material_id, "plant_id": ln.plant_id,
                 "remaining": _dec(ln.order_quantity) - _dec(ln.delivered_quantity),
                 "requested_date": max(ln.requested_delivery_date or today, today)} for ln in lines]
        _schedule(conn, plan, today, exclude_order=so_id)
        now = ctx.now()
        for p in plan:
            conn.execute(update(SalesOrderLines).where(SalesOrderLines.sales_order_line_id == p["id"]).values(
                line_status="confirmed", confirmed_delivery_date=p["confirmed_date"], atp_date=p["atp_date"],
                atp_quantity=p["atp_quantity"], plant_id=p["plant_id"], rejection_reason=None))
        dates = [p["confirmed_date"] for p in plan]
        conn.execute(update(SalesOrders).where(SalesOrders.sales_order_id == so_id).values(
            order_status="confirmed", credit_check_status="released",
            confirmed_delivery_date=max(dates) if dates and all(dates) else None, updated_at=now))
        ctx.audit("sales.order.release_credit_hold", ERP, "sales_order", so_id,
                  before={"order_status": so.order_status, "credit_check_status": so.credit_check_status},
                  after={"order_status": "confirmed", "credit_check_status": "released"}, detail=reason)
    return {"sales_order_id": so_id, "order_status": "confirmed", "credit_check_status": "released",
            "lines": [{"sales_order_line_id": p["id"], "atp_date": p["atp_date"], "confirmed_date": p["confirmed_date"]} for p in plan]}


# -- delivery ---------------------------------------------------------------------------------------

DELIVERABLE = ("confirmed", "in_production", "partially_delivered")


def _wanted_quantities(so, lines, wanted: Iterable[Mapping[str, Any]] | None) -> dict[str, Decimal]:
    so_id = so.sales_order_id
    if so.order_status == "on_hold":
        raise DomainError(f"{so_id} is on credit hold; it cannot be delivered.", "A sales manager releases the hold first.")
    if so.order_status in ("open", "cancelled", "rejected"):
        raise DomainError(f"{so_id} is {so.order_status}; only confirmed orders are delivered.")
    by_id = {ln.sales_order_line_id: ln for ln in lines}
    by_no = {ln.line_number: ln for ln in lines}
    remaining = {ln.sales_order_line_id: _dec(ln.order_quantity) - _dec(ln.delivered_quantity) for ln in lines
                 if not ln.deletion_indicator}
    if wanted is None:
        out = {lid: q for lid, q in remaining.items() if q > 0}
        if not out:
            raise DomainError(f"{so_id} is fully delivered; nothing left to deliver.")
        return out
    out: dict[str, Decimal] = defaultdict(lambda: D0)
    for n, w in enumerate(wanted, 1):
        key = w.get("sales_order_line_id") or w.get("line_number")
        ln = by_id.get(str(key)) if key is not None else None
        if ln is None and key is not None and str(key).isdigit():
            ln = by_no.get(int(key))
        if ln is None:
            raise DomainError(f"Delivery line {n}: {so_id} has no line {key!r}.",
                              f"Its lines: {', '.join(f'{x.line_number} ({x.sales_order_line_id})' for x in lines)}.")
        qty = to_decimal(w.get("quantity", remaining.get(ln.sales_order_line_id)), f"Delivery line {n} quantity", positive=True)
        out[ln.sales_order_line_id] += qty
    for lid, qty in out.items():
        ln = by_id[lid]
        if qty > remaining.get(lid, D0):
            raise DomainError(f"{so_id} line {ln.line_number} ({ln.material_id}): {qty.normalize()} to deliver but only "
                              f"{remaining.get(lid, D0).normalize()} of {_dec(ln.order_quantity).normalize()} is still open.")
    return dict(out)


def _existing_delivery(conn, so_id: str, document: str) -> list[Any]:
    it = InventoryTransactions
    return conn.execute(select(it).where(it.material_document == document, it.sales_order_id == so_id)
                        .order_by(it.transaction_id)).all()


def deliver_sales_order(ctx: ServiceContext, sales_order_id: str, lines: Iterable[Mapping[str, Any]] | None = None, *,
                        delivery_document: str | None = None, posting_date: dt.date | None = None) -> DeliveryResult:
    """Goods issue (601) of a confirmed order's open quantities (or the given lines: {sales_order_line_id
    or line_number, quantity}) from unrestricted ERP stock, then COGS once per delivery document."""
    ctx.require(ERP, "write", "Delivering a sales order")
    so_id = require_text(sales_order_id, "Sales order", 50)
    delivery_document = require_text(delivery_document, "Delivery document", 50, required=False)
    wanted_lines = None if lines is None else list(lines)
    day = posting_date or ctx.today()
    if delivery_document:
        with ctx.read(ERP) as conn:
            other = conn.execute(select(InventoryTransactions.sales_order_id).where(
                InventoryTransactions.material_document == delivery_document,
                or_(InventoryTransactions.sales_order_id.is_(None), InventoryTransactions.sales_order_id != so_id)).limit(1)).first()
            if other:
                raise DomainError(f"Delivery document {delivery_document} belongs to {other[0] or 'another stock movement'}, "
                                  f"not to {so_id}.", "Use a document id of this delivery only.")
            done = _existing_delivery(conn, so_id, delivery_document)
        if done:
            return _post_cogs(ctx, so_id, delivery_document, done, False, day)
    with ctx.read(ERP) as conn:
        so, so_lines = _load(conn, so_id)
        plan = _wanted_quantities(so, so_lines, wanted_lines)
        cogs_estimate = _plan_stock(conn, so_id, so_lines, plan)
    if cogs_estimate > 0:
        finance.check_postable(ctx, "goods_delivery", {"amount": cogs_estimate}, day)
    document = delivery_document or ctx.next_key("DLV", InventoryTransactions.__table__, "material_document", ERP)
    now = ctx.now()
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:so:{so_id}", SalesOrders.__table__)
        done = _existing_delivery(conn, so_id, document)
        if done:  # a concurrent call with the same document did it meanwhile
            movements = done
            created = False
        else:
            so, so_lines = _load(conn, so_id, lock=True)
            plan = _wanted_quantities(so, so_lines, wanted_lines)
            takes = _plan_stock(conn, so_id, so_lines, plan, detail=True)
            by_id = {ln.sales_order_line_id: ln for ln in so_lines}
            for lid, plant, sloc, batch, qty in takes:
                ln = by_id[lid]
                post_movement(ctx, conn, material_id=ln.material_id, plant_id=plant, storage_location=sloc,
                              batch_number=batch, quantity=-qty, transaction_type="delivery", movement_type="601",
                              posting_date=day, unit_of_measure=ln.unit_of_measure, material_document=document,
                              transaction_id=ctx.next_key("ITX", InventoryTransactions.__table__, "transaction_id", ERP, width=7),
                              references={"sales_order_id": so_id})
            statuses = {}
            for ln in so_lines:
                got = _dec(ln.delivered_quantity) + plan.get(ln.sales_order_line_id, D0)
                st = ln.line_status
                if ln.sales_order_line_id in plan:
                    st = "delivered" if got >= _dec(ln.order_quantity) else "partially_delivered"
                    conn.execute(update(SalesOrderLines).where(SalesOrderLines.sales_order_line_id == ln.sales_order_line_id)
                                 .values(delivered_quantity=got, line_status=st))
                statuses[ln.sales_order_line_id] = (got, _dec(ln.order_quantity))
            live = [v for k, v in statuses.items() if not by_id[k].deletion_indicator]
            full = all(g >= q for g, q in live)
            order_status = "delivered" if full else so.order_status
            conn.execute(update(SalesOrders).where(SalesOrders.sales_order_id == so_id).values(
                order_status=order_status, overall_delivery_status="fully_delivered" if full else "partially_delivered",
                updated_at=now))
            movements = _existing_delivery(conn, so_id, document)
            created = True
            ctx.audit("sales.order.deliver", ERP, "sales_order", so_id,
                      before={"order_status": so.order_status},
                      after={"order_status": order_status, "delivery_document": document,
                             "lines": {k: v for k, v in plan.items()}})
    return _post_cogs(ctx, so_id, document, movements, created, day)


def _plan_stock(conn, so_id: str, so_lines, plan: dict[str, Decimal], detail: bool = False):
    """Which stock keys a delivery takes (line plant first, then others; batches in order), or a
    DomainError naming the material and the quantities. Returns the COGS estimate or the takes."""
    ib = InventoryBalances
    by_id = {ln.sales_order_line_id: ln for ln in so_lines}
    used: dict[str, Decimal] = defaultdict(lambda: D0)
    takes, value = [], D0
    need_by_mat: dict[str, Decimal] = defaultdict(lambda: D0)
    for lid, qty in plan.items():
        need_by_mat[by_id[lid].material_id] += qty
    rows_by_mat = {}
    for mid in need_by_mat:
        rows = conn.execute(select(ib).where(ib.material_id == mid, ib.unrestricted_stock > 0)).all()
        rows_by_mat[mid] = rows
        have = sum((_dec(r.unrestricted_stock) for r in rows), D0)
        if have < need_by_mat[mid]:
            raise DomainError(
                f"Not enough stock to deliver {so_id}: {need_by_mat[mid].normalize()} of {mid} needed, "
                f"{have.normalize()} unrestricted in stock.",
                "Receive or produce the material first, or deliver a smaller quantity.")
    for lid, qty in plan.items():
        ln = by_id[lid]
        rows = sorted(rows_by_mat[ln.material_id], key=lambda r: (r.plant_id != ln.plant_id, r.plant_id or "",
                                                                   r.storage_location or "", r.batch_number or "", r.balance_id))
        left = qty
        for r in rows:
            free = _dec(r.unrestricted_stock) - used[r.balance_id]
            if free <= 0:
                continue
            t = min(free, left)
            used[r.balance_id] += t
            left -= t
            takes.append((lid, r.plant_id, r.storage_location, r.batch_number, t))
            value += m2(t * _dec(r.moving_average_price))
            if left == 0:
                break
    return takes if detail else value


def _post_cogs(ctx: ServiceContext, so_id: str, document: str, movements, created: bool, day: dt.date) -> DeliveryResult:
    cogs = m2(-sum((_dec(m.amount) for m in movements), D0))
    moved = [{"transaction_id": m.transaction_id, "material_id": m.material_id, "plant_id": m.plant_id,
              "storage_location": m.storage_location, "batch_number": m.batch_number, "quantity": -_dec(m.quantity),
              "amount": -_dec(m.amount)} for m in movements]
    with ctx.read(ERP) as conn:
        status = conn.execute(select(SalesOrders.order_status).where(SalesOrders.sales_order_id == so_id)).scalar()
    result = DeliveryResult(so_id, document, created, moved, cogs, status)
    if cogs == 0:
        return result
    try:
        p = finance.post_for_source(ctx, "goods_delivery", {"amount": cogs}, source_type="goods_delivery",
                                    source_document_id=document, posting_date=day, reference=so_id,
                                    description=f"Delivery {document} of {so_id}: cost of goods sold")
        result.journal_entry_id = p.journal_entry_id
    except DomainError as exc:
        log.warning("delivery %s of %s: COGS not posted: %s", document, so_id, exc)
        result.posting_error = str(exc)
    return result


# -- invoicing --------------------------------------------------------------------------------------


def _share(total: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    return m2(total * part / whole) if whole > 0 else D0


def invoice_sales_order(ctx: ServiceContext, sales_order_id: str, *, posting_date: dt.date | None = None) -> InvoiceResult:
    """Invoice what is delivered and not yet invoiced: GL Dr receivables / Cr revenue, tax."""
    ctx.require(ERP, "write", "Invoicing a sales order")
    so_id = require_text(sales_order_id, "Sales order", 50)
    day = posting_date or ctx.today()
    with ctx.read(ERP) as conn:
        so, lines = _load(conn, so_id)
    plan = _invoice_plan(so, lines)
    source = so_id if plan["invoiced_before"] == 0 else f"{so_id}/{plan['invoiced_before'].normalize():f}"[:50]
    amounts = {"net_amount": plan["net"], "tax_amount": plan["tax"]}
    posting = finance.post_for_source(ctx, "sales_invoice", amounts, source_type="sales_invoice", source_document_id=source,
                                      posting_date=day, reference=so_id, description=f"Customer invoice {source}")
    now = ctx.now()
    with ctx.transaction(ERP) as conn:
        serialize(conn, f"erp:so:{so_id}", SalesOrders.__table__)
        so2, lines2 = _load(conn, so_id, lock=True)
        before = sum((_dec(ln.invoiced_quantity) for ln in lines2), D0)
        created = before == plan["invoiced_before"]
        if created:
            for lid, qty in plan["quantities"].items():
                ln = next(x for x in lines2 if x.sales_order_line_id == lid)
                got = _dec(ln.invoiced_quantity) + qty
                st = "invoiced" if got >= _dec(ln.order_quantity) else ln.line_status
                conn.execute(update(SalesOrderLines).where(SalesOrderLines.sales_order_line_id == lid)
                             .values(invoiced_quantity=got, line_status=st))
            billing = "invoiced" if plan["completes"] else "partially_invoiced"
            conn.execute(update(SalesOrders).where(SalesOrders.sales_order_id == so_id).values(
                overall_billing_status=billing, order_status="invoiced" if plan["completes"] else so2.order_status,
                updated_at=now))
            ctx.audit("sales.order.invoice", ERP, "sales_order", so_id,
                      before={"overall_billing_status": so2.overall_billing_status},
                      after={"overall_billing_status": billing, "source_document_id": source,
                             "journal_entry_id": posting.journal_entry_id, "net": plan["net"], "tax": plan["tax"]})
        else:  # a concurrent call invoiced this state meanwhile (same source, same posting)
            billing = so2.overall_billing_status
    return InvoiceResult(so_id, source, created, plan["net"], plan["tax"], plan["net"] + plan["tax"],
                         posting.journal_entry_id,
                         [{"sales_order_line_id": k, "quantity": v} for k, v in plan["quantities"].items()], billing)


def _invoice_plan(so, lines) -> dict[str, Any]:
    so_id = so.sales_order_id
    live = [ln for ln in lines if not ln.deletion_indicator]
    quantities, net, tax = {}, D0, D0
    for ln in live:
        order_q, done, inv = _dec(ln.order_quantity), _dec(ln.delivered_quantity), _dec(ln.invoiced_quantity)
        q = done - inv
        if q <= 0:
            continue
        quantities[ln.sales_order_line_id] = q
        # cumulative shares, so the pieces of a line add up to its net and tax exactly
        net += _share(_dec(ln.net_price), inv + q, order_q) - _share(_dec(ln.net_price), inv, order_q)
        tax += _share(_dec(ln.tax_amount), inv + q, order_q) - _share(_dec(ln.tax_amount), inv, order_q)
    if not quantities:
        if live and all(_dec(ln.invoiced_quantity) >= _dec(ln.order_quantity) for ln in live):
            raise DomainError(f"{so_id} is fully invoiced already; a second invoice is refused.", "Nothing to do.")
        raise DomainError(f"{so_id} has no delivered quantity waiting for an invoice.",
                          "Deliver first (`genims so deliver`), then invoice what was delivered.")
    completes = all(_dec(ln.invoiced_quantity) + quantities.get(ln.sales_order_line_id, D0) >= _dec(ln.order_quantity)
                    for ln in live)
    if completes:
        net += _dec(so.freight_charges)
    return {"quantities": quantities, "net": m2(net), "tax": m2(tax), "completes": completes,
            "invoiced_before": sum((_dec(ln.invoiced_quantity) for ln in lines), D0)}


# -- GL sweep of invoiced orders (the financial sync daemon) -----------------------------------------

# Billing statuses of an order whose customer invoice is complete (the seeds' and this service's).
FULLY_INVOICED = ("invoiced", "paid", "billed", "fully_invoiced")


def _invoice_amounts(so) -> dict[str, Decimal]:
    return {"net_amount": m2(_dec(so.total_net_value) + _dec(so.freight_charges)), "tax_amount": m2(_dec(so.tax_amount))}


def unposted_invoices(ctx: ServiceContext, limit: int = 200) -> list[str]:
    """Fully invoiced sales orders with a value whose customer invoice has no journal entry under
    (`sales_invoice`, order id) - the source `invoice_sales_order` posts an order's first invoice
    under, so an order invoiced through this service is never picked up. Oldest ids first, at most
    `limit`."""
    ctx.require(ERP, "read", "Looking for unposted customer invoices")
    with ctx.read(ERP) as conn:
        orders = conn.execute(select(SalesOrders.sales_order_id, SalesOrders.total_net_value, SalesOrders.freight_charges,
                                     SalesOrders.tax_amount)
                              .where(SalesOrders.overall_billing_status.in_(FULLY_INVOICED))
                              .order_by(SalesOrders.sales_order_id)).all()
    valued = [so.sales_order_id for so in orders if any(_invoice_amounts(so).values())]
    posted = finance.posted_sources(ctx, "sales_invoice", valued)
    return [so_id for so_id in valued if so_id not in posted][:max(0, int(limit))]


def post_invoice_to_gl(ctx: ServiceContext, sales_order_id: str) -> finance.Posting:
    """Post the customer invoice of a fully invoiced order that has no journal entry yet (invoiced
    outside this service, or its posting was lost): Dr receivables / Cr revenue (net + freight) and
    sales tax, today, under (`sales_invoice`, order id). Idempotent: an order posted already
    returns its entry."""
    ctx.require(finance.FIN, "write", "Posting a customer invoice")
    so_id = require_text(sales_order_id, "Sales order", 50)
    with ctx.read(ERP) as conn:
        so = conn.execute(select(SalesOrders).where(SalesOrders.sales_order_id == so_id)).first()
    if so is None:
        raise NotFound(f"There is no sales order {so_id}.")
    if (so.overall_billing_status or "") not in FULLY_INVOICED:
        raise DomainError(f"{so_id} is {so.overall_billing_status or 'not invoiced'}; only an invoiced order is posted.",
                          "Invoice it (`genims so invoice`), which posts it as well.")
    return finance.post_for_source(ctx, "sales_invoice", _invoice_amounts(so), source_type="sales_invoice",
                                   source_document_id=so_id, reference=so_id,
                                   description=f"Customer invoice {so.sales_order_number or so_id}")
