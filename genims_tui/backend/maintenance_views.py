"""The Maintenance workspace's read side: work orders paged and filtered in SQL, counts by status,
the technicians a work order can be assigned to. Textual-free."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, func, select

from .access import ActingUser, require
from .browse import Page, PageQuery, page_select
from .databases import Databases
from .models.maintenance import MaintenanceTechnicians
from .models.maintenance import WorkOrders as MaintenanceWorkOrders

MNT = "genims_maintenance_db"
TECHNICIANS_SHOWN = 200


def work_orders_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Every work order, newest first unless sorted otherwise."""
    require(user, MNT, "read", "Reading maintenance work orders")
    w = MaintenanceWorkOrders
    query = select(w.work_order_id.label("work_order"), w.asset_id.label("asset"), w.wo_type.label("type"),
                   w.priority, w.wo_status.label("status"), w.assigned_to.label("assigned"),
                   w.scheduled_start_date.label("start"), w.scheduled_end_date.label("end"),
                   w.created_at.label("created"), cast(w.description, String).label("description"))
    if not pq.sort_column:
        pq = PageQuery(pq.offset, pq.limit, pq.filter_text, "created", True)
    with dbs.connect(MNT) as conn:
        return page_select(conn, query, pq, key_column="work_order")


def status_counts(dbs: Databases, user: ActingUser) -> dict[str, int]:
    require(user, MNT, "read", "Reading maintenance work orders")
    w = MaintenanceWorkOrders
    with dbs.connect(MNT) as conn:
        rows = conn.execute(select(func.coalesce(w.wo_status, "none"), func.count()).group_by(w.wo_status)).all()
    return {status: int(n) for status, n in sorted(rows, key=lambda r: -r[1])}


def technician_ids(dbs: Databases, user: ActingUser) -> list[str]:
    """Active technicians (for completion in the assignment form), bounded."""
    require(user, MNT, "read", "Reading maintenance technicians")
    t = MaintenanceTechnicians
    with dbs.connect(MNT) as conn:
        return [r for (r,) in conn.execute(select(t.technician_id).where(t.is_active.is_(True))
                                           .order_by(t.technician_id).limit(TECHNICIANS_SHOWN))]


def work_order(dbs: Databases, user: ActingUser, work_order_id: str) -> dict[str, Any] | None:
    require(user, MNT, "read", "Reading maintenance work orders")
    with dbs.connect(MNT) as conn:
        row = conn.execute(select(MaintenanceWorkOrders).where(
            MaintenanceWorkOrders.work_order_id == work_order_id)).first()
    return dict(row._mapping) if row else None
