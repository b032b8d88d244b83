"""The product's own upkeep (kind "system": it runs with the automations but is none of the seeds'
rules): daemon log lines and job run records past their retention are deleted, a bounded batch a run,
so the console's tables stay small however long the daemons run."""

from __future__ import annotations

from typing import Any

from ..scheduler import purge_history, register_job
from ..services.base import ServiceContext

@register_job("housekeeping", "Delete daemon log lines and job runs past their retention (daemons.*_retention_days)",
              3600, "operations", kind="system")
def housekeeping(ctx: ServiceContext) -> dict[str, Any]:
    settings = ctx.dbs.settings
    log_days = max(1, int(settings.get("daemons.log_retention_days")))
    run_days = max(1, int(settings.get("daemons.run_retention_days")))
    return purge_history(ctx.dbs, ctx.now(), log_days, run_days)
