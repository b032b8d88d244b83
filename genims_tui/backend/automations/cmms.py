"""The CMMS planning rules: preventive work orders from due PM schedules, corrective work orders from
critical and major machine faults, technicians for scheduled work orders (every 30 minutes)."""

from __future__ import annotations

from typing import Any

from ..scheduler import job_logger, register_job
from ..services.base import ServiceContext
from ._common import CMMS

DAEMON = "cmms"


@register_job("pm_generation", "Create preventive work orders for PM schedules due within their lead time",
              CMMS, DAEMON)
def pm_generation(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.maintenance_planning import generate_pm_work_orders

    res = generate_pm_work_orders(ctx)
    if res["created"]:
        job_logger("pm_generation").info("PM work orders created: %s",
                                         ", ".join(c["work_order_id"] for c in res["created"]))
    return {"work_orders_created": len(res["created"]), "schedules_advanced": res["schedules_advanced"]}


@register_job("corrective_work_orders", "Create corrective work orders for open critical and major machine faults",
              CMMS, DAEMON)
def corrective_work_orders(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.maintenance_planning import create_corrective_work_orders

    res = create_corrective_work_orders(ctx)
    if res["created"]:
        job_logger("corrective_work_orders").info("corrective work orders created: %s",
                                                  ", ".join(c["work_order_id"] for c in res["created"]))
    for s in res["skipped"][:10]:
        job_logger("corrective_work_orders").warning("fault %s skipped: %s", s["fault_id"], s["reason"])
    return {"work_orders_created": len(res["created"])}


@register_job("technician_assignment", "Assign scheduled, unassigned work orders to available technicians",
              CMMS, DAEMON)
def technician_assignment(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.maintenance import assign_technicians

    res = assign_technicians(ctx)
    return {"assigned": len(res["assigned"])}
