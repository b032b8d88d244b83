"""Customer-facing activity: service tickets (genims_service_db) and CRM leads and activities
(genims_crm_db). Each call checks permission, validates its references, writes one transaction and
leaves an audit record. A ticket with a source reference is created once: a second call with the same
reference returns the first ticket.

A ticket of type `complaint` in category `product_quality` is a quality ticket: the QMS daemon turns
those into customer complaints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, insert, select, update

from ..errors import DomainError, NotFound
from ..models.crm import Accounts, Activities, Contacts, Leads, SalesReps
from ..models.service import ServiceTickets, SlaDefinitions
from .base import ServiceContext, require_text, to_decimal

SVC = "genims_service_db"
CRM = "genims_crm_db"
PRIORITIES = ("low", "medium", "high", "critical")
TICKET_TYPES = ("complaint", "incident", "inquiry", "request")
CHANNELS = ("email", "phone", "portal", "chat")
ACTIVITY_TYPES = ("call", "email", "meeting", "demo", "site_visit")
QUALITY_CATEGORY = "product_quality"


@dataclass(frozen=True)
class TicketResult:
    ticket_id: str
    created: bool
    sla_id: str | None
    response_due: dt.datetime | None
    resolution_due: dt.datetime | None


def create_service_ticket(ctx: ServiceContext, *, account_id: str, subject: str, ticket_type: str, category: str,
                          priority: str = "medium", channel: str = "portal", contact_id: str | None = None,
                          description: str | None = None, subcategory: str | None = None,
                          product_category: str | None = None, related_order_id: str | None = None,
                          source_reference: str | None = None) -> TicketResult:
    """Open a service ticket with the SLA of its priority (the account's tier, else standard)."""
    ctx.require(SVC, "write", "Opening a service ticket")
    subject = require_text(subject, "Subject", 200)
    category = require_text(category, "Category", 100)
    source_reference = require_text(source_reference, "Source reference", 200, required=False)
    ticket_type, priority, channel = (ticket_type or "").lower(), (priority or "").lower(), (channel or "").lower()
    for value, allowed, name in ((ticket_type, TICKET_TYPES, "ticket type"), (priority, PRIORITIES, "priority"),
                                 (channel, CHANNELS, "channel")):
        if value not in allowed:
            raise DomainError(f"Unknown {name} {value!r}.", f"Use one of {', '.join(allowed)}.")
    if source_reference:
        with ctx.read(SVC) as conn:
            done = conn.execute(select(ServiceTickets).where(ServiceTickets.source_reference == source_reference)).first()
        if done is not None:
            return TicketResult(done.ticket_id, False, done.sla_id, done.response_due_datetime, done.resolution_due_datetime)
    with ctx.read(CRM) as conn:
        account = conn.execute(select(Accounts.account_id, Accounts.account_tier).where(Accounts.account_id == account_id)).first()
        if account is None:
            raise NotFound(f"There is no CRM account {account_id}.")
        if contact_id is not None and conn.execute(select(Contacts.contact_id).where(
                Contacts.contact_id == contact_id, Contacts.account_id == account_id)).first() is None:
            raise NotFound(f"Account {account_id} has no contact {contact_id}.")
    now = ctx.now()
    tier = (account.account_tier or "standard").lower()
    with ctx.read(SVC) as conn:
        slas = conn.execute(select(SlaDefinitions).where(
            func.lower(SlaDefinitions.priority) == priority, SlaDefinitions.is_active.is_not(False))
            .order_by(SlaDefinitions.sla_id)).all()
    sla = next((s for s in slas if (s.customer_tier or "").lower() == tier), None) or \
        next((s for s in slas if (s.customer_tier or "").lower() == "standard"), None) or (slas[0] if slas else None)
    response_due = now + dt.timedelta(minutes=int(sla.response_time_minutes)) if sla and sla.response_time_minutes else None
    resolution_due = now + dt.timedelta(minutes=int(sla.resolution_time_minutes)) if sla and sla.resolution_time_minutes else None
    ticket_id = ctx.next_key("TKT", ServiceTickets.__table__, "ticket_id", SVC)
    with ctx.transaction(SVC) as conn:
        if source_reference and conn.execute(select(ServiceTickets.ticket_id).where(
                ServiceTickets.source_reference == source_reference)).first():
            raise DomainError(f"A ticket from {source_reference} was opened meanwhile.")
        conn.execute(insert(ServiceTickets).values(
            ticket_id=ticket_id, ticket_number=f"TK{int(ticket_id.split('-')[-1]):07d}", account_id=account_id,
            contact_id=contact_id, channel=channel, source_reference=source_reference, ticket_type=ticket_type,
            category=category, subcategory=subcategory, product_category=product_category, subject=subject,
            description=description, priority=priority, ticket_status="open", related_order_id=related_order_id,
            sla_id=sla.sla_id if sla else None, response_due_datetime=response_due,
            resolution_due_datetime=resolution_due, response_sla_breached=False, resolution_sla_breached=False,
            escalation_level=0, reopened_count=0, csat_survey_sent=False, tags=category,
            created_by=contact_id or ctx.user.user_id[:50], created_at=now, updated_at=now))
        ctx.audit("service.ticket.create", SVC, "service_ticket", ticket_id,
                  after={"account_id": account_id, "ticket_type": ticket_type, "category": category,
                         "priority": priority, "sla_id": sla.sla_id if sla else None})
    return TicketResult(ticket_id, True, sla.sla_id if sla else None, response_due, resolution_due)


# -- CRM ------------------------------------------------------------------------------------------------


def _rep(conn, sales_rep_id: str | None) -> None:
    if sales_rep_id is not None and conn.execute(
            select(SalesReps.sales_rep_id).where(SalesReps.sales_rep_id == sales_rep_id)).first() is None:
        raise NotFound(f"There is no sales rep {sales_rep_id}.")


def create_lead(ctx: ServiceContext, *, company_name: str, lead_source: str, contact_first_name: str | None = None,
                contact_last_name: str | None = None, email: str | None = None, industry: str | None = None,
                country: str | None = None, product_interest: str | None = None, estimated_deal_value: Any = None,
                assigned_to: str | None = None) -> str:
    """A new lead (status new), optionally assigned to a sales rep; returns its id."""
    ctx.require(CRM, "write", "Creating a lead")
    company_name = require_text(company_name, "Company name", 200)
    lead_source = require_text(lead_source, "Lead source", 50)
    value = None if estimated_deal_value is None else to_decimal(estimated_deal_value, "Estimated deal value", minimum=0, places=2)
    now = ctx.now()
    lead_id = ctx.next_key("LEAD", Leads.__table__, "lead_id", CRM)
    with ctx.transaction(CRM) as conn:
        _rep(conn, assigned_to)
        conn.execute(insert(Leads).values(
            lead_id=lead_id, lead_number=f"L{int(lead_id.split('-')[-1]):06d}", company_name=company_name,
            lead_source=lead_source, contact_first_name=contact_first_name, contact_last_name=contact_last_name,
            email=email, industry=industry, country=country, lead_score=0, lead_status="new",
            qualification_status="not_qualified", product_interest=product_interest, estimated_deal_value=value,
            assigned_to=assigned_to, assigned_date=now if assigned_to else None, converted=False, contact_attempts=0,
            is_active=True, created_by=ctx.user.user_id[:50], created_at=now, updated_at=now))
        ctx.audit("crm.lead.create", CRM, "lead", lead_id, after={"company_name": company_name, "lead_source": lead_source,
                                                                  "assigned_to": assigned_to})
    return lead_id


def log_activity(ctx: ServiceContext, *, activity_type: str, subject: str, lead_id: str | None = None,
                 account_id: str | None = None, contact_id: str | None = None, duration_minutes: int = 30,
                 outcome: str | None = None, assigned_to: str | None = None, when: dt.datetime | None = None) -> str:
    """A completed sales activity on a lead or an account; a lead's contact attempts and last contact
    date go up with it. Returns the activity id."""
    ctx.require(CRM, "write", "Logging a sales activity")
    activity_type = (activity_type or "").lower()
    if activity_type not in ACTIVITY_TYPES:
        raise DomainError(f"Unknown activity type {activity_type!r}.", f"Use one of {', '.join(ACTIVITY_TYPES)}.")
    if (lead_id is None) == (account_id is None):
        raise DomainError("An activity is about either a lead or an account.")
    subject = require_text(subject, "Subject", 200)
    when = when or ctx.now()
    now = ctx.now()
    activity_id = ctx.next_key("ACT", Activities.__table__, "activity_id", CRM)
    with ctx.transaction(CRM) as conn:
        _rep(conn, assigned_to)
        if lead_id is not None:
            lead = conn.execute(select(Leads.lead_id, Leads.contact_attempts, Leads.first_contact_date).where(
                Leads.lead_id == lead_id)).first()
            if lead is None:
                raise NotFound(f"There is no lead {lead_id}.")
        elif conn.execute(select(Accounts.account_id).where(Accounts.account_id == account_id)).first() is None:
            raise NotFound(f"There is no CRM account {account_id}.")
        conn.execute(insert(Activities).values(
            activity_id=activity_id, activity_number=f"AC{int(activity_id.split('-')[-1]):06d}",
            activity_type=activity_type, related_to_type="lead" if lead_id else "account",
            related_to_id=lead_id or account_id, lead_id=lead_id, account_id=account_id, contact_id=contact_id,
            subject=subject, activity_date=when, duration_minutes=duration_minutes, activity_status="completed",
            priority="medium", outcome=outcome, follow_up_required=False, assigned_to=assigned_to,
            reminder_enabled=False, created_by=assigned_to or ctx.user.user_id[:50], created_at=now, updated_at=now))
        if lead_id is not None:
            # a new lead becomes contacted; a lead further along keeps its status
            conn.execute(update(Leads).where(Leads.lead_id == lead_id).values(
                contact_attempts=(lead.contact_attempts or 0) + 1, first_contact_date=lead.first_contact_date or when,
                last_contact_date=when, updated_at=now,
                lead_status=case((Leads.lead_status == "new", "contacted"), else_=Leads.lead_status)))
        ctx.audit("crm.activity.log", CRM, "activity", activity_id,
                  after={"activity_type": activity_type, "lead_id": lead_id, "account_id": account_id, "outcome": outcome})
    return activity_id
