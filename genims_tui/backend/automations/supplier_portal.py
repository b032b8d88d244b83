"""The supplier portal daemon's rules (seed 002): 3-way invoice matching, 20 invoices a cycle."""

from __future__ import annotations

from typing import Any

from ..scheduler import job_logger, register_job
from ..services.base import ServiceContext
from ._common import CYCLE

DAEMON = "supplier_portal"
INVOICES_PER_CYCLE = 20


@register_job("invoice_match", "3-way match pending supplier invoices (2 % tolerance) and post approved ones",
              CYCLE, DAEMON)
def invoice_match(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.procurement import match_invoices

    res = match_invoices(ctx, limit=INVOICES_PER_CYCLE)
    posting = res.get("posting") or {}
    for error in posting.get("errors") or []:
        job_logger("invoice_match").warning("not posted: %s", error)
    return {"matched": res["matched"], "within_tolerance": res["within_tolerance"], "exception": res["exception"],
            "posted": len(posting.get("posted") or [])}
