"""Site activity: supplier deliveries at the warehouses (hourly) and HR attendance and leave (daily).

Warehouse: deliveries that are due (released purchase order lines past their delivery date) arrive:
the ERP goods receipt (`procurement.receive_goods`, delivery note SIM-<po>-<date>, so a rerun receives
nothing twice) and then, at the plant's warehouse, a receiving task and its putaway into a suggested
bin (`warehouse.receive` / `warehouse.putaway`). ERP and WMS stock grow by the same quantity.

HR: yesterday's attendance for a sample of active employees (one record per employee and day) and now
and then a leave request.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from ..errors import DomainError
from ..models.erp import PurchaseOrderLines
from ..models.hr import Employees, LeaveTypes, ShiftSchedules
from ..models.wms import Warehouses
from ..scheduler import register_job
from ..services.base import ServiceContext
from ._common import DAEMON, DAILY, HOURLY, day_rng, ran_at_this_instant, rng_for

log = logging.getLogger(__name__)

ERP = "genims_erp_db"
WMS = "genims_wms_db"
HR = "genims_hr_db"
DELIVERIES_PER_RUN = 3
ATTENDANCE_PER_DAY = 40
LEAVE_REQUESTS_PER_DAY = (0, 2)


# -- warehouse ---------------------------------------------------------------------------------------------


def simulate_deliveries(ctx: ServiceContext, rng: random.Random | None = None,
                        limit: int = DELIVERIES_PER_RUN) -> dict[str, Any]:
    from ..services.procurement import due_deliveries, receive_goods
    from ..services.warehouse import putaway, receive

    rng = rng or rng_for("warehouse_simulator", ctx)
    due = due_deliveries(ctx, limit=limit)
    counts = {"deliveries": 0, "goods_receipts": 0, "receiving_tasks": 0, "putaways": 0, "refused": 0}
    if not due:
        return counts
    with ctx.read(ERP) as conn:
        plant_of: dict[str, str] = {}
        for po_id, plant in conn.execute(
                select(PurchaseOrderLines.purchase_order_id, PurchaseOrderLines.plant_id)
                .where(PurchaseOrderLines.purchase_order_id.in_(list(due)), PurchaseOrderLines.plant_id.is_not(None))
                .order_by(PurchaseOrderLines.purchase_order_id, PurchaseOrderLines.line_number)):
            plant_of.setdefault(po_id, plant)
    with ctx.read(WMS) as conn:
        warehouses: dict[str, str] = {}
        for wid, plant in conn.execute(select(Warehouses.warehouse_id, Warehouses.plant_id)
                                       .where(Warehouses.is_active.is_not(False)).order_by(Warehouses.warehouse_id)):
            warehouses.setdefault(plant, wid)
    for po_id, lines in due.items():
        note = f"SIM-{po_id}-{ctx.today():%Y%m%d}"[:50]
        try:
            res = receive_goods(ctx, po_id, lines, delivery_note=note)
        except DomainError as exc:
            counts["refused"] += 1
            log.warning("delivery for %s not received: %s", po_id, exc.message)
            continue
        if not res.created:
            continue
        counts["deliveries"] += 1
        counts["goods_receipts"] += len(res.receipts)
        warehouse_id = warehouses.get(plant_of.get(po_id))
        if warehouse_id is None:
            continue
        for r in res.receipts:
            task = receive(ctx, warehouse_id=warehouse_id, material_id=r.material_id, quantity=r.quantity,
                           batch_number=r.batch_number, purchase_order_id=po_id, goods_receipt_id=r.goods_receipt_id)
            counts["receiving_tasks"] += 1
            try:
                putaway(ctx, task)
                counts["putaways"] += 1
            except DomainError as exc:  # no bin with room: the task waits at the dock
                log.info("receiving task %s waits at the dock: %s", task, exc.message)
    return counts


@register_job("warehouse_simulator", "Supplier deliveries that are due: goods receipt, receiving and putaway",
              HOURLY, DAEMON, kind="simulator")
def warehouse_simulator(ctx: ServiceContext) -> dict[str, Any]:
    if ran_at_this_instant(ctx, "warehouse_simulator"):  # this instant's deliveries are in already
        return {"deliveries": 0}
    return simulate_deliveries(ctx)


# -- HR ----------------------------------------------------------------------------------------------------

LEAVE_REASONS = ("Family vacation", "Medical appointment", "Personal matters", "Moving house")


def simulate_hr(ctx: ServiceContext, rng: random.Random | None = None, *, sample: int = ATTENDANCE_PER_DAY,
                leave_requests: int | None = None) -> dict[str, Any]:
    from ..services.hr_activity import record_attendance, request_leave

    rng = rng or day_rng("hr_simulator", ctx)
    day = ctx.today() - dt.timedelta(days=1)
    with ctx.read(HR) as conn:
        staff = conn.execute(select(Employees.employee_id, Employees.primary_factory_id).where(
            func.lower(func.coalesce(Employees.employment_status, "active")) == "active")
            .order_by(Employees.employee_id)).all()
        shifts: dict[str, list[Any]] = {}
        for s in conn.execute(select(ShiftSchedules).where(ShiftSchedules.is_active.is_not(False))
                              .order_by(ShiftSchedules.shift_id)):
            shifts.setdefault(s.factory_id, []).append(s)
        leave_types = conn.execute(select(LeaveTypes.leave_type_id, LeaveTypes.max_days_per_request)
                                   .order_by(LeaveTypes.leave_type_id)).all()
    counts = {"attendance_recorded": 0, "leave_requested": 0}
    people = [e for e in staff if shifts.get(e.primary_factory_id)]
    for e in rng.sample(people, min(sample, len(people))):
        shift = rng.choice(shifts[e.primary_factory_id])
        if shift.start_time is None or shift.end_time is None:
            continue
        start = dt.datetime.combine(day, shift.start_time)
        end = dt.datetime.combine(day if shift.end_time > shift.start_time else day + dt.timedelta(days=1), shift.end_time)
        clock_in = start + dt.timedelta(minutes=rng.choice((-10, -5, -2, 0, 0, 3, 12)))
        clock_out = end + dt.timedelta(minutes=rng.choice((0, 5, 10, 30, 60)))
        scheduled = Decimal((end - start).total_seconds() / 3600 - (shift.break_duration_minutes or 0) / 60).quantize(Decimal("0.01"))
        if record_attendance(ctx, e.employee_id, day, shift_id=shift.shift_id, clock_in=clock_in, clock_out=clock_out,
                             scheduled_hours=scheduled)["created"]:
            counts["attendance_recorded"] += 1
    if leave_types and staff and not ran_at_this_instant(ctx, "hr_simulator"):
        for _ in range(rng.randint(*LEAVE_REQUESTS_PER_DAY) if leave_requests is None else leave_requests):
            e = rng.choice(staff)
            lt = leave_types[0] if rng.random() < 0.7 else rng.choice(leave_types)
            first = ctx.today() + dt.timedelta(days=rng.randint(3, 40))
            length = max(1, min(int(lt.max_days_per_request or 5), rng.randint(1, 5)))
            try:
                request_leave(ctx, e.employee_id, lt.leave_type_id, first, first + dt.timedelta(days=length - 1),
                              reason=rng.choice(LEAVE_REASONS))
                counts["leave_requested"] += 1
            except DomainError as exc:  # overlaps a request of theirs, or no working day in it
                log.info("leave request of %s not made: %s", e.employee_id, exc.message)
    return counts


@register_job("hr_simulator", "Yesterday's attendance for a sample of employees; new leave requests", DAILY, DAEMON,
              kind="simulator")
def hr_simulator(ctx: ServiceContext) -> dict[str, Any]:
    return simulate_hr(ctx)
