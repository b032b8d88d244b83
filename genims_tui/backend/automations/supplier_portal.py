"""The supplier portal daemon's rules (seed 002), every cycle (5 min):

- invoice_match: 3-way matching, 20 invoices a cycle;
- rfq_deadlines: reminders to invited suppliers that have not answered an RFQ due within 3 days
  (once per RFQ and supplier); RFQs past their deadline -> 'evaluation', their pending suppliers
  -> 'no_response';
- supplier_performance: from the 1st of the month, last month's performance metrics and scorecards
  (Excellent/Good/Acceptable/Poor) with a notification to each supplier, once per supplier and
  period (a missed 1st is caught up on the next run);
- document_expiry: supplier documents expiring within 60 days notified at 60 days (high) and 30 days
  (urgent), once per document and threshold; expired documents marked 'expired';
- contract_status: contracts past their end date -> 'expired' with their pricing deactivated;
  renewal reminders for contracts ending within 60 days (once each).

The status vocabulary the console's health checks count ("RFQ overdue suppliers" = rfq_suppliers
'no_response' or still 'pending'/'viewed' past the deadline; "document expiry alerts sent" =
supplier_notifications of type 'document_expiry_60' / 'document_expiry_30' / 'document_expired') is
described in `genims_tui.backend.services.supplier_portal`, which also has the counting functions
`count_rfq_overdue_suppliers` and `count_document_expiry_alerts`.
"""

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


@register_job("rfq_deadlines", "Remind suppliers of RFQs due within 3 days; close RFQs past their deadline",
              CYCLE, DAEMON)
def rfq_deadlines(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.supplier_portal import close_expired_rfqs, remind_rfq_deadlines

    reminded = remind_rfq_deadlines(ctx)
    closed = close_expired_rfqs(ctx)
    if closed["closed"]:
        job_logger("rfq_deadlines").info("RFQs to evaluation (deadline passed): %s", ", ".join(closed["closed"]))
    return {"reminders_sent": len(reminded["reminders"]), "rfqs_closed": len(closed["closed"]),
            "suppliers_no_response": int(closed["no_response"])}


@register_job("supplier_performance", "Monthly supplier performance and scorecards (from the 1st, once a month)",
              CYCLE, DAEMON)
def supplier_performance(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.supplier_portal import run_monthly_scorecards

    res = run_monthly_scorecards(ctx)
    if not res["already_done"]:
        job_logger("supplier_performance").info("period %s: %d suppliers scored, %d scorecards published",
                                                res["period"], res["scored"], res["notified"])
    return {"suppliers_scored": int(res["scored"]), "scorecards_published": int(res["notified"])}


@register_job("document_expiry", "Notify suppliers of documents expiring in 60/30 days; mark expired ones",
              CYCLE, DAEMON)
def document_expiry(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.supplier_portal import check_document_expiry

    res = check_document_expiry(ctx)
    notes = res["notified"]
    return {"alerts_60_days": notes["document_expiry_60"], "alerts_30_days": notes["document_expiry_30"],
            "expired_alerts": notes["document_expired"], "documents_expired": len(res["expired"])}


@register_job("contract_status", "Expire contracts past their end date (pricing off); renewal reminders at 60 days",
              CYCLE, DAEMON)
def contract_status(ctx: ServiceContext) -> dict[str, Any]:
    from ..services.supplier_portal import update_contract_status

    res = update_contract_status(ctx)
    if res["expired"]:
        job_logger("contract_status").info("contracts expired: %s", ", ".join(res["expired"]))
    return {"contracts_expired": len(res["expired"]), "pricing_deactivated": int(res["pricing_deactivated"]),
            "renewal_reminders": len(res["renewal_reminders"])}
