"""The QMS daemon's rules (seed 002), every cycle: calibration due and lock-out, CAPA escalation with
NCR close from verified CAPAs, SPC monitoring, failed MES inspections -> NCRs (10 a cycle)."""

from __future__ import annotations

from typing import Any

from ..scheduler import job_logger, register_job
from ..services.base import ServiceContext
from ._common import CYCLE

DAEMON = "qms"
INSPECTIONS_PER_CYCLE = 10


@register_job("calibration_check", "Alert on calibration due in 30/7 days; lock out overdue equipment", CYCLE, DAEMON)
def calibration_check(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.calibration import check_calibration_due

    res = check_calibration_due(ctx)
    if res["locked_out"]:
        job_logger("calibration_check").warning("locked out (calibration overdue): %s", ", ".join(res["locked_out"]))
    return {"alerts_created": len(res["alerts_created"]), "locked_out": len(res["locked_out"])}


@register_job("capa_escalation", "Escalate overdue CAPAs and actions; close NCRs whose CAPAs are verified",
              CYCLE, DAEMON)
def capa_escalation(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.capa import close_ncrs_from_verified_capas, escalate_overdue_capas

    esc = escalate_overdue_capas(ctx)
    closed = close_ncrs_from_verified_capas(ctx)
    if closed["closed"]:
        job_logger("capa_escalation").info("NCRs closed from verified CAPAs: %s", ", ".join(closed["closed"]))
    return {"capas_overdue": len(esc["capas_overdue"]), "actions_overdue": int(esc["actions_overdue"] or 0),
            "ncrs_closed": len(closed["closed"])}


@register_job("spc_monitoring", "Recompute SPC charts; NCR for 3+ out-of-control points in 24 h", CYCLE, DAEMON)
def spc_monitoring(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.spc import monitor_charts

    res = monitor_charts(ctx)
    if res["ncrs"]:
        job_logger("spc_monitoring").warning("NCRs raised for out-of-control charts: %s", ", ".join(res["ncrs"]))
    return {"charts_out_of_control": len(res["out_of_control"]), "ncrs_created": len(res["ncrs"])}


@register_job("mes_inspections_to_ncr", "Raise NCRs for failed MES quality inspections (10 a cycle)", CYCLE, DAEMON)
def mes_inspections_to_ncr(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.ncr import integrate_failed_inspections

    res = integrate_failed_inspections(ctx, limit=INSPECTIONS_PER_CYCLE)
    if res["created"]:
        job_logger("mes_inspections_to_ncr").info("NCRs created: %s", ", ".join(res["created"]))
    return {"ncrs_created": len(res["created"])}
