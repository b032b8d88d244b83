"""Market activity: new sales orders each day (through the sales service: pricing, ATP, credit check),
service tickets and CRM leads and activities each hour.

Orders are for real customers and the finished goods mapped to them (customer_product_mapping); an
order carries the customer PO number SIM-<date>-<n>, so a rerun on the same day creates nothing twice.
Tickets carry a source reference for the same reason; about a third are product-quality complaints
(the QMS daemon turns those into customer complaints).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from sqlalchemy import func, select

from ..errors import DomainError
from ..models.crm import Accounts, Contacts, Leads, SalesReps
from ..models.erp import Materials, SalesOrders
from ..models.master import CustomerProductMapping, Customers
from ..scheduler import register_job
from ..services.base import ServiceContext
from ._common import DAEMON, DAILY, HOURLY, day_rng, ran_at_this_instant, rng_for

log = logging.getLogger(__name__)

MASTER = "genims_master_db"
ERP = "genims_erp_db"
CRM = "genims_crm_db"
ORDERS_PER_DAY = (3, 8)
MAX_LINES = 3
TICKETS_PER_HOUR = (1, 2)
QUALITY_SHARE = 0.35
LEADS_PER_HOUR = (0, 1)
ACTIVITIES_PER_HOUR = (1, 3)


# -- sales orders ------------------------------------------------------------------------------------------


def _sellable(ctx: ServiceContext) -> dict[str, list[tuple[str, str]]]:
    """customer -> [(material_id, product_id)] of active customers and sellable finished goods."""
    with ctx.read(MASTER) as conn:
        pairs = conn.execute(
            select(CustomerProductMapping.customer_id, CustomerProductMapping.product_id)
            .join(Customers, Customers.customer_id == CustomerProductMapping.customer_id)
            .where(CustomerProductMapping.is_active.is_not(False),
                   func.lower(func.coalesce(Customers.status, "active")) == "active")
            .order_by(CustomerProductMapping.customer_id, CustomerProductMapping.product_id)).all()
    with ctx.read(ERP) as conn:
        material_of = {p: m for m, p in conn.execute(
            select(Materials.material_id, Materials.product_id).where(
                Materials.material_type == "finished_good", Materials.product_id.is_not(None),
                func.lower(func.coalesce(Materials.material_status, "active")).not_in(
                    ("blocked", "inactive", "obsolete", "discontinued", "deleted")))
            .order_by(Materials.material_id))}
    out: dict[str, list[tuple[str, str]]] = {}
    for customer_id, product_id in pairs:
        if product_id in material_of:
            out.setdefault(customer_id, []).append((material_of[product_id], product_id))
    return out


def simulate_orders(ctx: ServiceContext, rng: random.Random | None = None,
                    count: int | None = None) -> dict[str, Any]:
    from ..services.sales import create_sales_order

    rng = rng or day_rng("orders_simulator", ctx)
    today = ctx.today()
    catalog = _sellable(ctx)
    customers = sorted(catalog)
    n = rng.randint(*ORDERS_PER_DAY) if count is None else count
    counts = {"orders_created": 0, "confirmed": 0, "on_hold": 0, "already": 0, "refused": 0}
    if not customers:
        log.warning("no active customer has a sellable finished good mapped; no orders today")
        return counts
    for i in range(1, n + 1):
        ref = f"SIM-{today:%Y%m%d}-{i}"
        customer_id = rng.choice(customers)
        goods = catalog[customer_id]
        picks = rng.sample(goods, min(len(goods), rng.randint(1, MAX_LINES)))
        lines = [{"material_id": m, "quantity": rng.choice((10, 20, 25, 50, 100, 150, 200))} for m, _ in picks]
        requested = today + dt.timedelta(days=rng.randint(7, 30))
        with ctx.read(ERP) as conn:
            if conn.execute(select(SalesOrders.sales_order_id).where(SalesOrders.customer_po_number == ref)).first():
                counts["already"] += 1
                continue
        try:
            res = create_sales_order(ctx, customer_id, lines, requested_delivery_date=requested, customer_po_number=ref)
        except DomainError as exc:
            counts["refused"] += 1
            log.warning("order %s for %s refused: %s", ref, customer_id, exc.message)
            continue
        counts["orders_created"] += 1
        counts["confirmed" if res.order_status == "confirmed" else "on_hold"] += 1
        log.info("sales order %s for %s: %s", res.sales_order_id, customer_id, res.order_status)
    return counts


@register_job("orders_simulator", "New sales orders for real customers and products (3-8 a day)", DAILY, DAEMON,
              kind="simulator")
def orders_simulator(ctx: ServiceContext) -> dict[str, Any]:
    return simulate_orders(ctx)


# -- service tickets ---------------------------------------------------------------------------------------

QUALITY_SUBJECTS = [("dimensional", "Nonconforming parts received - dimensions out of tolerance"),
                    ("surface", "Surface defects on delivered parts"),
                    ("functional", "Parts fail functional test at customer line")]
OTHER_TICKETS = [("incident", "technical_support", "Machine interface error after update"),
                 ("inquiry", "delivery", "Where is my shipment?"), ("inquiry", "billing", "Invoice amount question"),
                 ("request", "documentation", "Request for material certificates"),
                 ("request", "warranty", "Warranty claim for failed unit")]


def _accounts(ctx: ServiceContext) -> list[Any]:
    with ctx.read(CRM) as conn:
        accounts = conn.execute(select(Accounts.account_id, Accounts.customer_id).where(Accounts.is_active.is_not(False))
                                .order_by(Accounts.account_id)).all()
        contacts: dict[str, list[str]] = {}
        for cid, aid in conn.execute(select(Contacts.contact_id, Contacts.account_id).order_by(Contacts.contact_id)):
            contacts.setdefault(aid, []).append(cid)
    return [(a.account_id, a.customer_id, contacts.get(a.account_id, [])) for a in accounts]


def simulate_service(ctx: ServiceContext, rng: random.Random | None = None, count: int | None = None,
                     quality_share: float = QUALITY_SHARE) -> dict[str, Any]:
    from ..services.customer_activity import QUALITY_CATEGORY, create_service_ticket

    rng = rng or rng_for("service_simulator", ctx)
    accounts = _accounts(ctx)
    counts = {"tickets_created": 0, "quality_tickets": 0}
    if not accounts:
        return counts
    n = rng.randint(*TICKETS_PER_HOUR) if count is None else count
    stamp = ctx.now().replace(microsecond=0).isoformat()
    for i in range(1, n + 1):
        account_id, customer_id, contacts = rng.choice(accounts)
        contact = rng.choice(contacts) if contacts else None
        related = None
        if rng.random() < quality_share:
            sub, subject = rng.choice(QUALITY_SUBJECTS)
            kind, category, priority = "complaint", QUALITY_CATEGORY, rng.choice(("medium", "high", "high", "critical"))
            if customer_id:
                with ctx.read(ERP) as conn:
                    related = conn.execute(select(SalesOrders.sales_order_id).where(
                        SalesOrders.customer_id == customer_id).order_by(SalesOrders.order_date.desc(),
                                                                         SalesOrders.sales_order_id.desc()).limit(1)).scalar()
        else:
            kind, category, subject = rng.choice(OTHER_TICKETS)
            sub, priority = None, rng.choice(("low", "medium", "medium", "high"))
        res = create_service_ticket(
            ctx, account_id=account_id, contact_id=contact, subject=subject, ticket_type=kind, category=category,
            subcategory=sub, priority=priority, channel=rng.choice(("email", "phone", "portal", "chat")),
            description=f"{subject} (reported via the customer portal)", related_order_id=related,
            source_reference=f"sim:service:{stamp}:{i}")
        if res.created:
            counts["tickets_created"] += 1
            counts["quality_tickets"] += int(category == QUALITY_CATEGORY)
    return counts


@register_job("service_simulator", "New service tickets, about a third of them product-quality complaints", HOURLY,
              DAEMON, kind="simulator")
def service_simulator(ctx: ServiceContext) -> dict[str, Any]:
    return simulate_service(ctx)


# -- CRM ---------------------------------------------------------------------------------------------------

LEAD_SOURCES = ("website", "trade_show", "referral", "email_campaign", "cold_call")
INDUSTRIES = ("Automotive", "Aerospace", "Industrial Machinery", "Energy", "Medical Devices")
COMPANY_WORDS = (("Apex", "Nordic", "Vertex", "Summit", "Helix", "Orion", "Delta", "Pioneer"),
                 ("Motion", "Dynamics", "Components", "Systems", "Mobility", "Engineering", "Drives", "Works"))
OUTCOMES = ("positive", "neutral", "negative", "no_answer")


def simulate_crm(ctx: ServiceContext, rng: random.Random | None = None, *, leads: int | None = None,
                 activities: int | None = None) -> dict[str, Any]:
    from ..services.customer_activity import create_lead, log_activity

    rng = rng or rng_for("crm_simulator", ctx)
    with ctx.read(CRM) as conn:
        reps = conn.execute(select(SalesReps.sales_rep_id).where(SalesReps.is_active.is_not(False))
                            .order_by(SalesReps.sales_rep_id)).scalars().all()
        open_leads = conn.execute(select(Leads.lead_id, Leads.assigned_to, Leads.company_name).where(
            Leads.lead_status.in_(("new", "contacted", "qualified")), Leads.is_active.is_not(False))
            .order_by(Leads.lead_id)).all()
    accounts = _accounts(ctx)
    counts = {"leads_created": 0, "activities_logged": 0}
    for _ in range(rng.randint(*LEADS_PER_HOUR) if leads is None else leads):
        company = f"{rng.choice(COMPANY_WORDS[0])} {rng.choice(COMPANY_WORDS[1])}"
        create_lead(ctx, company_name=company, lead_source=rng.choice(LEAD_SOURCES), industry=rng.choice(INDUSTRIES),
                    estimated_deal_value=rng.randrange(20, 500) * 1000, assigned_to=rng.choice(reps) if reps else None,
                    product_interest="Precision components")
        counts["leads_created"] += 1
    for _ in range(rng.randint(*ACTIVITIES_PER_HOUR) if activities is None else activities):
        kind = rng.choice(("call", "email", "meeting", "demo", "site_visit"))
        if open_leads and (not accounts or rng.random() < 0.5):
            lead = rng.choice(open_leads)
            log_activity(ctx, activity_type=kind, subject=f"{kind.replace('_', ' ').title()}: {lead.company_name}",
                         lead_id=lead.lead_id, assigned_to=lead.assigned_to, outcome=rng.choice(OUTCOMES),
                         duration_minutes=rng.choice((15, 30, 45, 60)))
        elif accounts:
            account_id, _, contacts = rng.choice(accounts)
            log_activity(ctx, activity_type=kind, subject=f"{kind.replace('_', ' ').title()}: account review",
                         account_id=account_id, contact_id=rng.choice(contacts) if contacts else None,
                         assigned_to=rng.choice(reps) if reps else None, outcome=rng.choice(OUTCOMES),
                         duration_minutes=rng.choice((15, 30, 45, 60)))
        else:
            break
        counts["activities_logged"] += 1
    return counts


@register_job("crm_simulator", "New leads and sales activities on leads and accounts", HOURLY, DAEMON, kind="simulator")
def crm_simulator(ctx: ServiceContext) -> dict[str, Any]:
    if ran_at_this_instant(ctx, "crm_simulator"):
        return {"leads_created": 0, "activities_logged": 0}
    return simulate_crm(ctx)
