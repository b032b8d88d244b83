"""The QMS daemon's rules (seed 002), every cycle: calibration due and lock-out, CAPA escalation with
NCR close from verified CAPAs, SPC monitoring, failed MES inspections -> NCRs (10 a cycle), quality
service tickets -> customer complaints (10 a cycle), the daily quality KPI row (yesterday's, written
by the first cycle that finds it missing), and periodic document review dates."""

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


TICKETS_PER_CYCLE = 10
DOCUMENT_REVIEW_SOURCE = "qms.document_review"


@register_job("service_tickets_to_complaints", "Raise customer complaints for quality service tickets (10 a cycle)",
              CYCLE, DAEMON)
def service_tickets_to_complaints(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.complaints import integrate_quality_tickets

    res = integrate_quality_tickets(ctx, limit=TICKETS_PER_CYCLE)
    logger = job_logger("service_tickets_to_complaints")
    if res["created"]:
        logger.info("complaints created: %s", ", ".join(res["created"]))
    if res["no_customer"]:
        logger.warning("quality ticket(s) whose CRM account names no customer (no complaint possible): %s",
                       ", ".join(res["no_customer"][:20]))
    return {"complaints_created": len(res["created"])}


@register_job("quality_kpis", "Daily quality KPIs: yesterday's row, once (catches up when midnight was missed)",
              CYCLE, DAEMON)
def quality_kpis(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.quality_kpis import record_daily_kpis

    res = record_daily_kpis(ctx)
    if res["created"]:
        job_logger("quality_kpis").info("quality KPIs of %s recorded as %s", res["kpi_date"], res["kpi_id"])
    return {"kpi_days_recorded": int(res["created"])}


def _alerted_before(ctx: ServiceContext, keys: list[str]) -> set[str]:
    """The keys among `keys` that have an alert, open or resolved (a person who resolved one has seen it)."""
    from sqlalchemy import select

    from ..databases import CONSOLE_DATABASE
    from ..models.console import Alerts

    found: set[str] = set()
    with ctx.dbs.connect(CONSOLE_DATABASE) as conn:
        for start in range(0, len(keys), 500):
            found.update(conn.execute(select(Alerts.alert_key).where(Alerts.alert_key.in_(keys[start:start + 500]))).scalars())
    return found


@register_job("document_reviews", "Alert on quality documents due for periodic review in 30 days; overdue -> under review",
              CYCLE, DAEMON)
def document_reviews(ctx: ServiceContext) -> dict[str, Any]:
    from ..alerts import open_alerts, raise_alert, resolve_alert
    from ..services.document_reviews import review_due_documents

    res = review_due_documents(ctx)
    now = ctx.now()
    keyed = {f"{DOCUMENT_REVIEW_SOURCE}:{d['document_id']}:{d['next_review_date'].isoformat()}": d for d in res["due"]}
    seen = _alerted_before(ctx, list(keyed))
    raised = 0
    for key, doc in keyed.items():
        if key in seen:
            continue
        name = doc["document_number"] or doc["document_id"]
        when = (f"was due on {doc['next_review_date']} ({-doc['days_left']} day(s) overdue; now under review)"
                if doc["overdue"] else f"is due on {doc['next_review_date']} (in {doc['days_left']} day(s))")
        message = (f"Quality document {name} '{doc['document_title'] or ''}': periodic review {when}; "
                   f"owner {doc['document_owner'] or 'unassigned'}.")
        raised += raise_alert(ctx.dbs, key, DOCUMENT_REVIEW_SOURCE, "high" if doc["overdue"] else "warning", message, now)
    # an alert whose document was reviewed meanwhile (new review date) or withdrawn is over
    resolved = sum(resolve_alert(ctx.dbs, a["alert_key"], now)
                   for a in open_alerts(ctx.dbs, limit=1000, source=DOCUMENT_REVIEW_SOURCE) if a["alert_key"] not in keyed)
    if res["marked_under_review"]:
        job_logger("document_reviews").warning("review overdue, now under review: %s", ", ".join(res["marked_under_review"]))
    return {"alerts_raised": int(raised), "marked_under_review": len(res["marked_under_review"]),
            "alerts_resolved": int(resolved)}
