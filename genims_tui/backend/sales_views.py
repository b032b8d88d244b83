"""The sales workspace's read side: sales orders with their status through delivery and invoice (paged
in SQL), one order with its lines, and the bounded lists a new order's form completes from.

Reads only; writes are services.sales'. Never imports textual.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .access import ActingUser, require
from .browse import Page, PageQuery, page_select
from .databases import Databases
from .errors import NotFound
from .models.erp import Materials, SalesOrderLines, SalesOrders
from .models.master import Customers

ERP = "genims_erp_db"
MASTER = "genims_master_db"
CHOICES_LIMIT = 1000


def orders_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Sales orders, the newest first: status, credit check, delivery and billing status, value, and
    delivered / invoiced quantity of the ordered."""
    require(user, ERP, "read", "Reading sales orders")
    so, sol = SalesOrders, SalesOrderLines
    qty = (select(sol.sales_order_id, func.count().label("lines"), func.sum(sol.order_quantity).label("ordered"),
                  func.sum(sol.delivered_quantity).label("delivered"), func.sum(sol.invoiced_quantity).label("invoiced"))
           .group_by(sol.sales_order_id).subquery())
    query = (select(so.sales_order_id.label("order"), so.customer_id.label("customer"), so.order_date.label("date"),
                    so.order_status.label("status"), so.credit_check_status.label("credit"),
                    so.overall_delivery_status.label("delivery"), so.overall_billing_status.label("billing"),
                    func.coalesce(qty.c.lines, 0).label("lines"), func.coalesce(qty.c.ordered, 0).label("ordered"),
                    func.coalesce(qty.c.delivered, 0).label("delivered"), func.coalesce(qty.c.invoiced, 0).label("invoiced"),
                    so.total_value.label("value"), so.requested_delivery_date.label("requested"),
                    so.confirmed_delivery_date.label("confirmed"))
             .outerjoin(qty, qty.c.sales_order_id == so.sales_order_id))
    if not pq.sort_column:
        pq = PageQuery(pq.offset, pq.limit, pq.filter_text, "order", True)
    with dbs.connect(ERP) as conn:
        return page_select(conn, query, pq, key_column="order")


def order_lines(dbs: Databases, user: ActingUser, sales_order_id: str) -> list[dict[str, Any]]:
    require(user, ERP, "read", "Reading a sales order")
    sol = SalesOrderLines
    with dbs.connect(ERP) as conn:
        if conn.execute(select(SalesOrders.sales_order_id).where(SalesOrders.sales_order_id == sales_order_id)).first() is None:
            raise NotFound(f"There is no sales order {sales_order_id}.")
        return [dict(r._mapping) for r in conn.execute(
            select(sol.line_number, sol.material_id, sol.material_description, sol.order_quantity, sol.delivered_quantity,
                   sol.invoiced_quantity, sol.unit_price, sol.net_price, sol.requested_delivery_date,
                   sol.confirmed_delivery_date, sol.atp_quantity, sol.atp_date, sol.plant_id, sol.line_status,
                   sol.rejection_reason)
            .where(sol.sales_order_id == sales_order_id).order_by(sol.line_number).limit(200))]


def customer_choices(dbs: Databases, user: ActingUser, limit: int = CHOICES_LIMIT) -> list[str]:
    """Active customer ids for completion (bounded)."""
    require(user, MASTER, "read", "Listing customers")
    c = Customers
    with dbs.connect(MASTER) as conn:
        return list(conn.execute(select(c.customer_id).where(func.coalesce(c.status, "active") == "active")
                                 .order_by(c.customer_id).limit(limit)).scalars())


def sellable_materials(dbs: Databases, user: ActingUser, limit: int = CHOICES_LIMIT) -> list[str]:
    """Finished goods for completion (bounded) - what sales.create_sales_order accepts."""
    from .services.sales import SELLABLE_TYPES

    require(user, ERP, "read", "Listing materials")
    m = Materials
    with dbs.connect(ERP) as conn:
        return list(conn.execute(select(m.material_id).where(m.material_type.in_(sorted(SELLABLE_TYPES)))
                                 .order_by(m.material_id).limit(limit)).scalars())


def order_counts(dbs: Databases, user: ActingUser) -> dict[str, int]:
    """Orders per status (a few statuses: small), for the view's summary line."""
    require(user, ERP, "read", "Reading sales orders")
    so = SalesOrders
    with dbs.connect(ERP) as conn:
        return {str(k): int(n) for k, n in conn.execute(
            select(func.coalesce(so.order_status, "none"), func.count()).group_by(so.order_status).limit(50)).all()}
