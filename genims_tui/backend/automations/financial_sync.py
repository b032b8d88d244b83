"""The financial + ERP-WMS sync daemon's rules (seed 002): GL posting of invoiced sales orders,
completed production orders and goods receipts, the inventory sync queue and the day's sync metrics
every cycle, the ERP vs WMS reconciliation (with an alert per major variance) every 20 cycles,
account balances every 10 cycles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ..alerts import raise_alert, resolve_alert
from ..databases import CONSOLE_DATABASE
from ..errors import DatabaseUnavailable
from ..models.console import Alerts
from ..scheduler import describe_error, job_logger, register_job
from ..services.base import ServiceContext
from ._common import ACCOUNT_BALANCES, CYCLE, RECONCILIATION

DAEMON = "financial_sync"
GL_PER_CYCLE = 200  # documents of each kind posted per cycle
LOGGED_FAILURES = 20  # failures logged one by one per kind and cycle; the rest only counted
VARIANCE_ALERT_PREFIX = "reconcile.major:"
VARIANCE_ALERTS_PER_RUN = 200  # new alerts per reconciliation run; the rest follow in the next runs


def _post_each(ctx: ServiceContext, ids: list[str], post: Callable[[ServiceContext, str], Any], kind: str) -> tuple[int, int]:
    """Post each document in its own transaction(s); a failing one is logged, counted and left for the
    next cycle while the others go on. A database that is gone fails the whole run instead."""
    logger = job_logger("gl_posting")
    posted = failed = 0
    for doc_id in ids:
        try:
            result = post(ctx, doc_id)
        except (DatabaseUnavailable, OperationalError):
            raise
        except Exception as exc:
            failed += 1
            if failed <= LOGGED_FAILURES:
                logger.warning("%s %s not posted: %s", kind, doc_id, describe_error(exc))
            continue
        entries = result if isinstance(result, list) else [result]
        posted += any(e.created for e in entries)
    if failed > LOGGED_FAILURES:
        logger.warning("%d more %s(s) not posted", failed - LOGGED_FAILURES, kind)
    return posted, failed


@register_job("gl_posting", "Post invoiced sales orders, completed production orders and goods receipts "
              "that have no GL entry yet", CYCLE, DAEMON)
def gl_posting(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.procurement import post_pending_receipts
    from ..services.production import post_completion_to_gl, unposted_completions
    from ..services.sales import post_invoice_to_gl, unposted_invoices

    sales_posted, sales_failed = _post_each(ctx, unposted_invoices(ctx, GL_PER_CYCLE), post_invoice_to_gl, "sales order")
    production_posted, production_failed = _post_each(ctx, unposted_completions(ctx, GL_PER_CYCLE), post_completion_to_gl,
                                                      "production order")
    receipts = post_pending_receipts(ctx, limit=GL_PER_CYCLE)
    for error in receipts["errors"][:LOGGED_FAILURES]:
        job_logger("gl_posting").warning("goods receipt not posted: %s", error)
    return {"sales_posted": sales_posted, "production_posted": production_posted,
            "receipts_posted": len(receipts["posted"]),
            "failed": sales_failed + production_failed + len(receipts["errors"])}


@register_job("inventory_sync", "Queue new ERP stock movements and process the ERP <-> WMS sync queue",
              CYCLE, DAEMON)
def inventory_sync(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.inventory_sync import process_sync_queue, sweep_erp_movements

    queued = sweep_erp_movements(ctx)
    run = process_sync_queue(ctx)
    if run.dead_lettered:
        job_logger("inventory_sync").warning("%d sync queue item(s) gave up (dead letters)", run.dead_lettered)
    return {"erp_movements_queued": queued, "completed": run.completed, "failed": run.failed,
            "dead_lettered": run.dead_lettered}


@register_job("inventory_reconcile", "Reconcile ERP and WMS on-hand stock per material and plant; alert on major variances",
              RECONCILIATION, DAEMON)
def inventory_reconcile(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.inventory_sync import major_variances, reconcile

    res = reconcile(ctx)
    logger = job_logger("inventory_reconcile")
    logger.info("compared %d: %d matched, %d minor, %d major", res["compared"], res["matched"], res["minor"], res["major"])
    if res["major"]:
        logger.warning("%d major inventory variance(s) (> 2 %%)", res["major"])
    majors = major_variances(ctx, res["reconciliation_ids"])
    now = ctx.now()
    current = {f"{VARIANCE_ALERT_PREFIX}{v['plant_id']}:{v['material_id']}": v for v in majors}
    with ctx.read(CONSOLE_DATABASE) as conn:
        open_keys = set(conn.execute(select(Alerts.alert_key).where(
            Alerts.alert_key.like(f"{VARIANCE_ALERT_PREFIX}%"), Alerts.resolved_at.is_(None))).scalars())
    raised = deferred = 0
    for key, v in current.items():
        if key in open_keys:
            continue
        if raised >= VARIANCE_ALERTS_PER_RUN:
            deferred += 1
            continue
        message = (f"Major inventory variance: {v['material_id']} at {v['plant_id']}: ERP {v['erp_quantity'].normalize():f}, "
                   f"WMS {v['wms_quantity'].normalize():f} ({v['variance_pct']} %)")
        raised += raise_alert(ctx.dbs, key, "inventory_reconcile", "warning", message, now)
    resolved = sum(resolve_alert(ctx.dbs, key, now) for key in sorted(open_keys - set(current)))
    return {"reconciliations": len(res["reconciliation_ids"]), "lines": res["compared"], "major": res["major"],
            "alerts_raised": raised, "alerts_resolved": resolved, "alerts_deferred": deferred}


@register_job("account_balances", "Recompute GL account balances from the posted journal lines",
              ACCOUNT_BALANCES, DAEMON)
def account_balances(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.finance import update_account_balances

    res = update_account_balances(ctx)
    return {"inserted": res["inserted"], "updated": res["updated"]}


@register_job("sync_metrics", "Recompute today's ERP <-> WMS sync metrics (volume, success rate, errors)", CYCLE, DAEMON)
def sync_metrics(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.inventory_sync import update_metrics

    res = update_metrics(ctx, ctx.today())
    return {"metrics_updated": 1, "sync_transactions": res["total_sync_transactions"], "failed_syncs": res["failed_syncs"]}
