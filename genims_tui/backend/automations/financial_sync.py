"""The financial + ERP-WMS sync daemon's rules (seed 002): the inventory sync queue every cycle, the
ERP vs WMS reconciliation every 20 cycles, account balances every 10 cycles."""

from __future__ import annotations

from typing import Any

from ..scheduler import job_logger, register_job
from ..services.base import ServiceContext
from ._common import ACCOUNT_BALANCES, CYCLE, RECONCILIATION

DAEMON = "financial_sync"


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


@register_job("inventory_reconcile", "Reconcile ERP and WMS on-hand stock per material and plant",
              RECONCILIATION, DAEMON)
def inventory_reconcile(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.inventory_sync import reconcile

    res = reconcile(ctx)
    logger = job_logger("inventory_reconcile")
    logger.info("compared %d: %d matched, %d minor, %d major", res["compared"], res["matched"], res["minor"], res["major"])
    if res["major"]:
        logger.warning("%d major inventory variance(s) (> 2 %%)", res["major"])
    return {"reconciliations": len(res["reconciliation_ids"]), "lines": res["compared"]}


@register_job("account_balances", "Recompute GL account balances from the posted journal lines",
              ACCOUNT_BALANCES, DAEMON)
def account_balances(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.finance import update_account_balances

    res = update_account_balances(ctx)
    return {"inserted": res["inserted"], "updated": res["updated"]}
