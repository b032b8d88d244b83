"""Seed 000's daily ERP operations as one job, `erp_daily_cycle`, its steps in order:

1. MRP: one all-plant run a day (a rerun the same day finds it and plans nothing new); its planned
   orders become production orders and purchase requisitions.
2. Purchasing: MRP's requisitions (the system approves them) and requisitions a person approved are
   turned into purchase orders for the lines whose material has a default supplier (the rest wait
   for a buyer); the system approves and releases the purchase orders it converted.
3. Release: created production orders due to start within RELEASE_HORIZON_DAYS become MES work orders.
4. MES confirmations: confirmations that stopped part way are resumed, and work orders the MES
   completed on its own are taken into the ERP (stock, costs, GL).
5. Goods receipts: open lines of released purchase orders whose delivery date has passed are received
   in full, one receipt per order and day (the delivery note `DUE-<date>` makes it idempotent).

Each step works on at most PER_STEP documents, each in its own transaction(s); a failing document is
logged and counted and the step goes on. A step that fails as a whole is logged, the later steps
still run, and the run fails at the end naming the failed steps. Every step is idempotent: a second
run the same day creates nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import OperationalError

from ..errors import DatabaseUnavailable, GenimsError
from ..scheduler import describe_error, job_logger, register_job
from ..services.base import ServiceContext

DAEMON = "erp_daily"
DAILY = 86400
JOB = "erp_daily_cycle"
PER_STEP = 100
RELEASE_HORIZON_DAYS = 2  # production orders starting today, tomorrow or the day after go to the MES
MRP_HORIZON_DAYS = 90
LOGGED_FAILURES = 10


class _Step:
    """Per-document bookkeeping of one step: failures are logged (the first few) and counted."""

    def __init__(self, name: str):
        self.name, self.failed = name, 0
        self.logger = job_logger(JOB)

    def attempt(self, what: str, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except (DatabaseUnavailable, OperationalError):
            raise  # the database is gone: the step fails as a whole
        except Exception as exc:
            self.failed += 1
            if self.failed <= LOGGED_FAILURES:
                self.logger.warning("%s: %s failed: %s", self.name, what, describe_error(exc))
            return None

    def done(self, counts: dict[str, int]) -> dict[str, int]:
        if self.failed > LOGGED_FAILURES:
            self.logger.warning("%s: %d more failure(s)", self.name, self.failed - LOGGED_FAILURES)
        self.logger.info("%s: %s", self.name, ", ".join(f"{k} {v}" for k, v in counts.items()))
        return dict(counts, **{f"{self.name}_failed": self.failed})


def mrp_step(ctx: ServiceContext) -> dict[str, int]:
    from ..services.mrp import convert_planned_orders, run_mrp, run_of_day

    step = _Step("mrp")
    run_id = run_of_day(ctx)
    ran = run_id is None
    if ran:
        run_id = run_mrp(ctx, MRP_HORIZON_DAYS).mrp_run_id
    conversion = convert_planned_orders(ctx, run_id)  # a rerun: the run's planned orders are converted already
    return step.done({"mrp_runs": int(ran), "production_orders_planned": conversion["production_orders"],
                      "requisitions_created": len(conversion["requisitions"])})


def purchasing_step(ctx: ServiceContext) -> dict[str, int]:
    from ..services import procurement

    step = _Step("purchasing")
    converted = created = released = 0
    tried: set[str] = set()

    def release(po_id: str) -> bool:
        tried.add(po_id)

        def approve_and_release():
            procurement.approve_purchase_order(ctx, po_id)
            return procurement.release_purchase_order(ctx, po_id)

        return step.attempt(f"purchase order {po_id}", approve_and_release) is not None

    for req in procurement.requisitions_to_order(ctx, PER_STEP):
        rid = req["requisition_id"]

        def order(rid=rid, approve=req["approval_status"] != "approved"):
            if approve:  # only MRP's own requisitions come here unapproved (see requisitions_to_order)
                procurement.approve_requisition(ctx, rid)
            return procurement.convert_requisition(ctx, rid, skip_without_supplier=True)

        pos = step.attempt(f"requisition {rid}", order)
        if pos is not None:
            converted += 1
            created += len(pos)
            released += sum(release(po.purchase_order_id) for po in pos)
    # converted earlier but not released (a crash in between, or a refusal then): catch up
    released += sum(release(po_id) for po_id in procurement.purchase_orders_awaiting_release(ctx, PER_STEP)
                    if po_id not in tried)
    return step.done({"requisitions_converted": converted, "purchase_orders_created": created,
                      "purchase_orders_released": released})


def release_step(ctx: ServiceContext) -> dict[str, int]:
    from ..services.production import release_production_order, releasable_orders

    step = _Step("release")
    released = 0
    for po_id in releasable_orders(ctx, RELEASE_HORIZON_DAYS, PER_STEP):
        if step.attempt(f"production order {po_id}", lambda po_id=po_id: release_production_order(ctx, po_id)):
            released += 1
    return step.done({"production_orders_released": released})


def confirmations_step(ctx: ServiceContext) -> dict[str, int]:
    from ..services.production import pending_confirmations, receive_mes_confirmation

    step = _Step("confirmations")
    received = 0
    for wo_id in pending_confirmations(ctx, PER_STEP):
        result = step.attempt(f"work order {wo_id}", lambda wo_id=wo_id: receive_mes_confirmation(ctx, wo_id))
        if result and result.get("applied"):
            received += 1
    return step.done({"confirmations_received": received})


def goods_receipts_step(ctx: ServiceContext) -> dict[str, int]:
    from ..services.procurement import due_deliveries, receive_goods

    step = _Step("goods_receipts")
    note = f"DUE-{ctx.today():%Y%m%d}"
    receipts = orders = 0
    for po_id, lines in due_deliveries(ctx, PER_STEP).items():
        result = step.attempt(f"purchase order {po_id}", lambda po_id=po_id, lines=lines:
                              receive_goods(ctx, po_id, lines, delivery_note=note))
        if result is None:
            continue
        for error in result.posting_errors:  # the gl_posting sweep posts them later
            step.logger.warning("goods_receipts: %s received, not posted yet: %s", po_id, error)
        if result.created:
            orders += 1
            receipts += len(result.receipts)
    return step.done({"purchase_orders_received": orders, "goods_receipts": receipts})


STEPS: tuple[tuple[str, Callable[[ServiceContext], dict[str, int]]], ...] = (
    ("mrp", mrp_step), ("purchasing", purchasing_step), ("release", release_step),
    ("confirmations", confirmations_step), ("goods_receipts", goods_receipts_step),
)


@register_job(JOB, "Daily ERP cycle: MRP, requisitions to purchase orders, release due production orders to MES, "
              "MES confirmations, goods receipts due", DAILY, DAEMON)
def erp_daily_cycle(ctx: ServiceContext) -> dict[str, Any]:
    logger = job_logger(JOB)
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name, step in STEPS:
        try:
            counts.update(step(ctx))
        except Exception as exc:
            failed.append(f"{name} ({describe_error(exc)})")
            logger.error("step %s failed: %s", name, describe_error(exc))
    if failed:
        raise GenimsError(f"ERP daily cycle: {len(failed)} of {len(STEPS)} step(s) failed: {'; '.join(failed)}",
                          "The other steps ran; see the daemon log of this run.")
    return counts
