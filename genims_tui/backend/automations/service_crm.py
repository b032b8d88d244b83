"""The service and CRM daemon's rules, every 30 minutes:

- service_sla: open service tickets past their response / resolution due time get the breach flags;
  following their SLA definition (escalation_enabled, escalation_threshold_pct) they are escalated
  once per level (1 = at risk or response breached, 2 = resolution breached) with a ticket_escalations row;
- crm_case_sla: open CRM cases past their response / resolution due date are flagged sla_violated and
  escalated once to the account manager;
- quote_expiry: open CRM quotations ('draft', 'sent') past their valid-until date -> 'expired'.

The rules and status vocabulary are in `genims_tui.backend.services.customer_service`.
"""

from __future__ import annotations

from typing import Any

from ..scheduler import job_logger, register_job
from ..services.base import ServiceContext
from ._common import CMMS

DAEMON = "service_crm"
INTERVAL = CMMS  # every 30 minutes, like the CMMS planning rules


@register_job("service_sla", "Flag service tickets past their SLA due times; escalate per the SLA definition",
              INTERVAL, DAEMON)
def service_sla(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.customer_service import check_ticket_slas

    res = check_ticket_slas(ctx)
    if res["escalations"]:
        job_logger("service_sla").info("escalated: %s", ", ".join(f"{t} (level {lvl})" for t, lvl in res["escalations"]))
    return {"response_breached": int(res["response_breached"]), "resolution_breached": int(res["resolution_breached"]),
            "escalations_created": len(res["escalations"])}


@register_job("crm_case_sla", "Flag CRM cases past their response/resolution due date and escalate them once",
              INTERVAL, DAEMON)
def crm_case_sla(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.customer_service import check_case_slas

    res = check_case_slas(ctx)
    if res["escalated"]:
        job_logger("crm_case_sla").info("cases escalated: %s", ", ".join(res["escalated"]))
    return {"cases_flagged": len(res["flagged"]), "cases_escalated": len(res["escalated"])}


@register_job("quote_expiry", "Expire open CRM quotations past their valid-until date", INTERVAL, DAEMON)
def quote_expiry(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.customer_service import expire_quotations

    res = expire_quotations(ctx)
    return {"quotes_expired": len(res["expired"])}
