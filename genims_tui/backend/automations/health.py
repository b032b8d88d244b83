"""The health check job (seed 002's "Health Check Dashboard"): every cycle, evaluate the checks of
`backend/health.py`; a failing check raises the alert `health:<check key>` (once while it fails), a
passing one resolves it."""

from __future__ import annotations

from typing import Any

from ..scheduler import job_logger, register_job
from ..services.base import ServiceContext
from ._common import CYCLE

DAEMON = "operations"
ALERT_SOURCE = "health"


def alert_key(check_key: str) -> str:
    return f"health:{check_key}"


@register_job("health_check", "Evaluate the daemons' health checks; alert on each failing one, resolve when it passes",
              CYCLE, DAEMON)
def health_check(ctx: ServiceContext) -> dict[str, Any]:
    from ..alerts import raise_alert, resolve_alert
    from ..health import evaluate_health

    now = ctx.now()
    checks = evaluate_health(ctx.dbs, now)
    raised = resolved = 0
    logger = job_logger("health_check")
    for check in checks:
        key = alert_key(check.key)
        if check.ok:
            resolved += resolve_alert(ctx.dbs, key, now)
            continue
        shown = "unknown" if check.value is None else f"{check.value} {check.unit}"
        message = f"{check.metric} ({check.daemon}): {shown}, fails at {check.rule}. {check.detail}"
        if raise_alert(ctx.dbs, key, ALERT_SOURCE, "high" if check.available else "warning", message, now):
            raised += 1
            logger.warning("%s", message)
    return {"checks_failing": sum(1 for c in checks if not c.ok), "alerts_raised": raised, "alerts_resolved": resolved}
