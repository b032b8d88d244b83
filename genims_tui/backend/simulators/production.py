"""MES production progress, hourly: released and in-progress work orders advance (good and rejected
units, operations completing in sequence), finished ones are confirmed to the ERP through
`production.confirm_work_order` (component issues, finished-goods receipt, GL postings), and
in-process inspections are recorded as operations complete, failing now and then (so the QMS daemon
raises NCRs). When fewer than MIN_WORK_IN_PROGRESS work orders are on the floor, the planner releases
the next created production order (earliest start first) through `production.release_production_order`.
"""

from __future__ import annotations

import logging
import random
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from ..errors import DomainError
from ..models.erp import ProductionOrders
from ..models.manufacturing import WorkOrders
from ..models.master import Employees
from ..scheduler import register_job
from ..services.base import ServiceContext
from ._common import DAEMON, HOURLY, ran_at_this_instant, rng_for

log = logging.getLogger(__name__)

MFG = "genims_manufacturing_db"
ERP = "genims_erp_db"
MASTER = "genims_master_db"
MAX_WORK_ORDERS_PER_RUN = 25
MIN_WORK_IN_PROGRESS = 3
RELEASES_PER_RUN = 1
INSPECTION_FAIL_CHANCE = 0.15
REJECT_SHARE = (0.0, 0.04)  # share of each hour's units rejected
PROGRESS_SHARE = (0.15, 0.40)  # share of the planned quantity made in an hour


def _release_next(ctx: ServiceContext, wip: int) -> list[str]:
    from ..services.production import release_production_order

    if wip >= MIN_WORK_IN_PROGRESS:
        return []
    with ctx.read(ERP) as conn:
        candidates = conn.execute(
            select(ProductionOrders.production_order_id).where(ProductionOrders.system_status == "created")
            .order_by(ProductionOrders.basic_start_date, ProductionOrders.production_order_id)
            .limit(RELEASES_PER_RUN + 5)).scalars().all()
    released = []
    for po_id in candidates:
        if len(released) >= min(RELEASES_PER_RUN, MIN_WORK_IN_PROGRESS - wip):
            break
        try:
            res = release_production_order(ctx, po_id)
        except DomainError as exc:
            log.info("production order %s not released: %s", po_id, exc.message)
            continue
        released.append(res.get("work_order_id") or po_id)
    return released


def _inspectors(ctx: ServiceContext) -> dict[str, list[str]]:
    with ctx.read(MASTER) as conn:
        rows = conn.execute(select(Employees.employee_id, Employees.factory_id).where(
            Employees.role == "quality_inspector", func.lower(func.coalesce(Employees.status, "active")) == "active")
            .order_by(Employees.employee_id)).all()
    out: dict[str, list[str]] = {}
    for emp, fac in rows:
        out.setdefault(fac, []).append(emp)
    return out


def simulate_production(ctx: ServiceContext, rng: random.Random | None = None, *,
                        fail_chance: float = INSPECTION_FAIL_CHANCE,
                        limit: int = MAX_WORK_ORDERS_PER_RUN) -> dict[str, Any]:
    from ..services.mes_activity import record_inspection, report_production
    from ..services.production import confirm_work_order

    rng = rng or rng_for("mes_simulator", ctx)
    with ctx.read(MFG) as conn:
        wip = conn.execute(select(func.count()).select_from(WorkOrders)
                           .where(WorkOrders.status.in_(("released", "in_progress")))).scalar_one()
    released = _release_next(ctx, wip)
    with ctx.read(MFG) as conn:
        orders = conn.execute(
            select(WorkOrders.work_order_id, WorkOrders.factory_id, WorkOrders.planned_quantity, WorkOrders.good_quantity,
                   WorkOrders.rejected_quantity, WorkOrders.planned_cycle_time_seconds, WorkOrders.status,
                   WorkOrders.updated_at)
            .where(WorkOrders.status.in_(("released", "in_progress")))
            .order_by(WorkOrders.scheduled_start_time, WorkOrders.work_order_id).limit(limit)).all()
    inspectors = _inspectors(ctx)
    counts = {"work_orders_advanced": 0, "units_good": 0, "units_rejected": 0, "operations_completed": 0,
              "inspections": 0, "inspections_failed": 0, "confirmed": 0, "confirm_refused": 0}
    now = ctx.now()
    for wo in orders:
        if wo.status == "in_progress" and wo.updated_at is not None and wo.updated_at >= now:
            continue  # reported at this instant already (a rerun)
        planned = int(wo.planned_quantity or 0)
        done = int(wo.good_quantity or 0) + int(wo.rejected_quantity or 0)
        left = planned - done
        finished = left <= 0 and planned > 0
        if left > 0:
            units = min(left, max(1, int(planned * rng.uniform(*PROGRESS_SHARE))))
            rejected = min(units - 1, int(units * rng.uniform(*REJECT_SHARE))) if units > 1 else 0
            try:
                res = report_production(ctx, wo.work_order_id, units - rejected, rejected)
            except DomainError as exc:
                log.info("work order %s: no progress recorded: %s", wo.work_order_id, exc.message)
                continue
            counts["work_orders_advanced"] += 1
            counts["units_good"] += units - rejected
            counts["units_rejected"] += rejected
            counts["operations_completed"] += len(res["operations_completed"])
            pool = inspectors.get(wo.factory_id) or []
            # in-process inspections where an operation asks for one; a final inspection when the order is done
            checks = [(op["operation_id"], "in_process", 5) for op in res["operations_completed"] if op["requires_inspection"]]
            if res["finished"]:
                checks.append((res["last_operation_id"], "final", 13))
            for operation_id, kind, sample in checks:
                failed = rng.random() < fail_chance
                crit = 1 if failed and rng.random() < 0.25 else 0
                major = (rng.randint(1, 3) if crit == 0 else rng.randint(0, 2)) if failed else 0
                record_inspection(ctx, wo.work_order_id, operation_id=operation_id, result="fail" if failed else "pass",
                                  inspection_type=kind, sample_size=sample, critical_defects=crit, major_defects=major,
                                  minor_defects=rng.randint(0, 2), inspector_id=pool[rng.randrange(len(pool))] if pool else None)
                counts["inspections"] += 1
                counts["inspections_failed"] += int(failed)
            finished = res["finished"]
            good_total, rejected_total = res["good"], res["rejected"]
        else:
            good_total, rejected_total = int(wo.good_quantity or 0), int(wo.rejected_quantity or 0)
        if finished:
            cycle = int(wo.planned_cycle_time_seconds or 60)
            hours = (Decimal(cycle) * (good_total + rejected_total) / 3600).quantize(Decimal("0.01"))
            try:
                confirm_work_order(ctx, wo.work_order_id, good_total, rejected_total, 0, labour_hours=hours)
                counts["confirmed"] += 1
            except DomainError as exc:  # e.g. components short in the plant: tried again next hour
                counts["confirm_refused"] += 1
                log.warning("work order %s finished but not confirmed: %s", wo.work_order_id, exc.message)
    counts["released"] = len(released)
    return counts


@register_job("mes_simulator", "MES production progress: units, operations, inspections, confirmations", HOURLY,
              DAEMON, kind="simulator")
def mes_simulator(ctx: ServiceContext) -> dict[str, Any]:
    if ran_at_this_instant(ctx, "mes_simulator"):  # a rerun at this instant: the floor reported already
        return {"work_orders_advanced": 0, "released": 0}
    return simulate_production(ctx)
