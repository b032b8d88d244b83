"""Service and CRM housekeeping rules (the service_crm daemon): ticket SLA breaches and escalations,
CRM case SLA violations, and expiry of CRM quotations. Each is idempotent and bounded per call.

- Service tickets (genims_service_db) are open unless ticket_status is 'resolved', 'closed' or
  'cancelled'. An open ticket without a first response past response_due_datetime gets
  response_sla_breached; one unresolved past resolution_due_datetime gets resolution_sla_breached.
  When its SLA (sla_definitions) has escalation_enabled, the ticket is escalated, once per level, with
  a ticket_escalations row: level 1 when escalation_threshold_pct % of the resolution window has
  passed ("Resolution SLA at risk") or the response SLA was breached ("Response SLA breached"),
  level 2 when the resolution SLA is breached ("Resolution SLA breached"). The ticket's
  escalation_level follows the highest level; a level the ticket already has is never written again.
- CRM cases (genims_crm_db) are open unless case_status is 'resolved', 'closed' or 'cancelled'. An open
  case past its response_due_date without a first response, or past resolution_due_date unresolved,
  gets sla_violated and is escalated once (escalated, escalated_to = the account manager,
  escalated_at, and an internal case comment).
- CRM quotations still open ('draft', 'sent'), not converted, whose valid_until_date is before today
  become 'expired'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from ..models.crm import Accounts, CaseComments, Cases, Quotations
from ..models.service import EscalationRules, ServiceTeams, ServiceTickets, SlaDefinitions, TicketEscalations
from .base import ServiceContext

SERVICE = "genims_service_db"
CRM = "genims_crm_db"

TICKET_CLOSED = ("resolved", "closed", "cancelled")
CASE_CLOSED = ("resolved", "closed", "cancelled")
OPEN_QUOTES = ("draft", "sent")
QUOTE_EXPIRED = "expired"
DEFAULT_THRESHOLD_PCT = 80
PER_CYCLE = 200

LEVEL_REASONS = {
    "at_risk": (1, "Resolution SLA at risk"),
    "response": (1, "Response SLA breached"),
    "resolution": (2, "Resolution SLA breached"),
}


def ticket_sla_state(ticket: dict[str, Any], sla: dict[str, Any] | None, now: dt.datetime) -> dict[str, Any]:
    """What the SLA says about one open ticket now: breach flags due and the escalation level due
    (with its reason), or level 0 (pure)."""
    resp_due, res_due = ticket["response_due_datetime"], ticket["resolution_due_datetime"]
    response_breached = ticket["first_response_datetime"] is None and resp_due is not None and now > resp_due
    resolution_breached = ticket["resolved_datetime"] is None and res_due is not None and now > res_due
    level, reason = 0, None
    if sla is not None and sla.get("escalation_enabled"):
        start = ticket["created_at"]
        if start is None and res_due is not None and sla.get("resolution_time_minutes"):
            start = res_due - dt.timedelta(minutes=int(sla["resolution_time_minutes"]))
        threshold = sla.get("escalation_threshold_pct") or DEFAULT_THRESHOLD_PCT
        at_risk = (start is not None and res_due is not None and res_due > start
                   and (now - start) * 100 >= (res_due - start) * threshold)
        if resolution_breached:
            level, reason = LEVEL_REASONS["resolution"]
        elif response_breached:
            level, reason = LEVEL_REASONS["response"]
        elif at_risk and ticket["resolved_datetime"] is None:
            level, reason = LEVEL_REASONS["at_risk"]
    return {"response_breached": response_breached, "resolution_breached": resolution_breached,
            "level": level, "reason": reason}


def check_ticket_slas(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """Breach flags and escalations for open service tickets (see the module docstring). One
    transaction per ticket; at most `limit` tickets changed per call."""
    ctx.require(SERVICE, "write", "Checking service ticket SLAs")
    now = ctx.now()
    with ctx.read(SERVICE) as conn:
        tickets = [dict(r._mapping) for r in conn.execute(
            select(ServiceTickets.ticket_id, ServiceTickets.ticket_number, ServiceTickets.priority, ServiceTickets.sla_id,
                   ServiceTickets.created_at, ServiceTickets.response_due_datetime, ServiceTickets.resolution_due_datetime,
                   ServiceTickets.first_response_datetime, ServiceTickets.resolved_datetime,
                   ServiceTickets.response_sla_breached, ServiceTickets.resolution_sla_breached,
                   ServiceTickets.escalation_level, ServiceTickets.escalated_to, ServiceTickets.assigned_to,
                   ServiceTickets.assigned_team)
            .where(or_(ServiceTickets.ticket_status.is_(None), ServiceTickets.ticket_status.notin_(TICKET_CLOSED)),
                   or_(ServiceTickets.response_due_datetime.isnot(None), ServiceTickets.resolution_due_datetime.isnot(None)))
            .order_by(ServiceTickets.resolution_due_datetime, ServiceTickets.ticket_id))]
        slas = {r["sla_id"]: r for r in (dict(x._mapping) for x in conn.execute(select(
            SlaDefinitions.sla_id, SlaDefinitions.escalation_enabled, SlaDefinitions.escalation_threshold_pct,
            SlaDefinitions.resolution_time_minutes, SlaDefinitions.is_active)))}
        leads = dict(conn.execute(select(ServiceTeams.team_id, ServiceTeams.team_lead_id)).all())
        rules = {r.priority: dict(r._mapping) for r in conn.execute(select(EscalationRules.__table__).where(
            or_(EscalationRules.is_active.is_(True), EscalationRules.is_active.is_(None))))}
        levels: dict[str, int] = {}
        ids = [t["ticket_id"] for t in tickets]
        for i in range(0, len(ids), 500):
            for tid, lvl in conn.execute(select(TicketEscalations.ticket_id, func.max(TicketEscalations.escalation_level))
                                         .where(TicketEscalations.ticket_id.in_(ids[i:i + 500]))
                                         .group_by(TicketEscalations.ticket_id)):
                levels[tid] = int(lvl or 0)
    response_flagged = resolution_flagged = 0
    escalations: list[tuple[str, int]] = []
    changed = 0
    for t in tickets:
        if changed >= limit:
            break
        sla = slas.get(t["sla_id"])
        if sla is not None and sla.get("is_active") is False:
            sla = None
        state = ticket_sla_state(t, sla, now)
        changes: dict[str, Any] = {}
        if state["response_breached"] and not t["response_sla_breached"]:
            changes["response_sla_breached"] = True
        if state["resolution_breached"] and not t["resolution_sla_breached"]:
            changes["resolution_sla_breached"] = True
        current = max(levels.get(t["ticket_id"], 0), int(t["escalation_level"] or 0))
        new_levels = list(range(current + 1, state["level"] + 1))
        if not changes and not new_levels:
            continue
        changed += 1
        rule = rules.get(t["priority"]) or {}
        lead = leads.get(t["assigned_team"])
        with ctx.transaction(SERVICE) as conn:
            for level in new_levels:
                reason = state["reason"] if level == state["level"] else LEVEL_REASONS["at_risk"][1]
                target = lead if level == 1 else (rule.get(f"level_{level}_escalate_to") or "service_manager")
                conn.execute(insert(TicketEscalations.__table__).values(
                    escalation_id=ctx.next_key("TESC", TicketEscalations.__table__, "escalation_id", SERVICE),
                    ticket_id=t["ticket_id"], escalation_level=level, escalation_reason=reason,
                    escalated_from=t["assigned_to"] if level == 1 else (t["escalated_to"] or lead),
                    escalated_to=target, escalated_at=now, de_escalated=False))
                escalations.append((t["ticket_id"], level))
            if new_levels:
                changes.update(escalation_level=state["level"], escalated_datetime=now, escalation_reason=state["reason"])
                if not t["escalated_to"] and lead:
                    changes["escalated_to"] = lead  # an agent (FK); higher levels go to roles, kept in the escalation rows
            conn.execute(update(ServiceTickets.__table__).where(ServiceTickets.ticket_id == t["ticket_id"])
                         .values(updated_at=now, **changes))
            ctx.audit("service_ticket.sla", SERVICE, "service_ticket", t["ticket_id"],
                      before={"escalation_level": current}, after={k: v for k, v in changes.items() if k != "escalated_datetime"})
        response_flagged += bool(changes.get("response_sla_breached"))
        resolution_flagged += bool(changes.get("resolution_sla_breached"))
    return {"response_breached": response_flagged, "resolution_breached": resolution_flagged, "escalations": escalations}


def check_case_slas(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """Open CRM cases past their response or resolution due date: sla_violated set and escalated once
    to the account manager, with an internal comment. One transaction per case."""
    ctx.require(CRM, "write", "Checking CRM case SLAs")
    now = ctx.now()
    late_response = (Cases.first_response_date.is_(None)) & (Cases.response_due_date < now)
    late_resolution = (Cases.resolved_date.is_(None)) & (Cases.resolution_due_date < now)
    with ctx.read(CRM) as conn:
        cases = [dict(r._mapping) for r in conn.execute(
            select(Cases.case_id, Cases.case_number, Cases.account_id, Cases.response_due_date, Cases.resolution_due_date,
                   Cases.first_response_date, Cases.resolved_date, Cases.sla_violated, Cases.escalated, Cases.escalated_to,
                   Accounts.account_manager)
            .select_from(Cases.__table__.outerjoin(Accounts.__table__, Accounts.account_id == Cases.account_id))
            .where(or_(Cases.case_status.is_(None), Cases.case_status.notin_(CASE_CLOSED)), or_(late_response, late_resolution),
                   or_(Cases.sla_violated.isnot(True), Cases.escalated.isnot(True)))
            .order_by(Cases.resolution_due_date, Cases.case_id).limit(limit))]
    flagged, escalated = [], []
    for c in cases:
        what = "resolution" if (c["resolved_date"] is None and c["resolution_due_date"] is not None
                                and c["resolution_due_date"] < now) else "response"
        due = c["resolution_due_date"] if what == "resolution" else c["response_due_date"]
        changes: dict[str, Any] = {}
        if not c["sla_violated"]:
            changes["sla_violated"] = True
        escalate = not c["escalated"]
        with ctx.transaction(CRM) as conn:
            if escalate:
                changes.update(escalated=True, escalated_at=now, escalated_to=c["escalated_to"] or c["account_manager"])
                conn.execute(insert(CaseComments.__table__).values(
                    comment_id=ctx.next_key("CCOM", CaseComments.__table__, "comment_id", CRM), case_id=c["case_id"],
                    comment_text=f"Escalated by the service daemon: the {what} was due {due:%Y-%m-%d %H:%M}.",
                    is_public=False, created_by=ctx.user.user_id, created_at=now))
            conn.execute(update(Cases.__table__).where(Cases.case_id == c["case_id"]).values(updated_at=now, **changes))
            ctx.audit("crm_case.sla", CRM, "case", c["case_id"],
                      before={"sla_violated": c["sla_violated"], "escalated": c["escalated"]},
                      after={k: v for k, v in changes.items() if k != "escalated_at"})
        if "sla_violated" in changes:
            flagged.append(c["case_id"])
        if escalate:
            escalated.append(c["case_id"])
    return {"flagged": flagged, "escalated": escalated}


def expire_quotations(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """Open CRM quotations past their valid-until date -> 'expired'. One transaction per quotation."""
    ctx.require(CRM, "write", "Expiring CRM quotations")
    today, now = ctx.today(), ctx.now()
    with ctx.read(CRM) as conn:
        quotes = [dict(r._mapping) for r in conn.execute(
            select(Quotations.quotation_id, Quotations.quotation_status)
            .where(Quotations.quotation_status.in_(OPEN_QUOTES), Quotations.valid_until_date < today,
                   Quotations.converted.isnot(True))
            .order_by(Quotations.valid_until_date, Quotations.quotation_id).limit(limit))]
    expired = []
    for q in quotes:
        with ctx.transaction(CRM) as conn:
            done = conn.execute(update(Quotations.__table__).where(
                Quotations.quotation_id == q["quotation_id"], Quotations.quotation_status == q["quotation_status"])
                .values(quotation_status=QUOTE_EXPIRED, updated_at=now)).rowcount
            if done:
                ctx.audit("quotation.expired", CRM, "quotation", q["quotation_id"],
                          before={"quotation_status": q["quotation_status"]}, after={"quotation_status": QUOTE_EXPIRED})
        if done:
            expired.append(q["quotation_id"])
    return {"expired": expired}


__all__ = ["check_ticket_slas", "ticket_sla_state", "check_case_slas", "expire_quotations"]
