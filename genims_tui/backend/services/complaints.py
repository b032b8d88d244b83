"""Customer complaints and 8D reports, linked to NCRs and CAPAs.

Complaint states: open -> investigation -> resolved -> closed (cancelled from any open state).
An 8D report is worked discipline by discipline, D0 to D8, in order; eight_d_status names the last
discipline completed, and D8 closes the report. Each discipline requires its own fields:

    D0 problem_preparation                 D5 permanent_actions
    D1 team_leader, team_members           D6 pca_implementation_date, verification_plan, verification_completed
    D2 problem_description, is_statement   D7 preventive_actions (systems_updated, prevention_completed)
    D3 containment_action                  D8 lessons_learned (team_recognition)
    D4 root_cause_analysis, root_cause_method
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update

from ..errors import DomainError
from ..models.crm import Accounts
from ..models.quality import CapaHeaders, CustomerComplaints, EightDReports, NcrHeaders, QmsIntegrationLog
from ..models.service import ServiceTickets
from ._quality_common import QMS, at_field, choice, same, fetch_one, key_fields, money, to_bool, to_date
from .base import ServiceContext, require_text, to_decimal
from .ncr import ROOT_CAUSE_METHODS

COMPLAINT_STATES = ("open", "investigation", "resolved", "closed", "cancelled")
COMPLAINT_NEXT = {
    "open": ("investigation", "resolved", "cancelled"),
    "investigation": ("resolved", "cancelled"),
    "resolved": ("closed", "investigation"),
    "closed": (),
    "cancelled": (),
}
SEVERITIES = ("critical", "major", "minor")
DISCIPLINES = ("D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")
D_FIELDS: dict[str, dict[str, str]] = {  # field -> kind; the first ones listed as required
    "D0": {"problem_preparation": "text"},
    "D1": {"team_leader": "id", "team_members": "list", "team_established_date": "date"},
    "D2": {"problem_description": "text", "is_statement": "text", "is_not_statement": "text"},
    "D3": {"containment_action": "text", "containment_date": "date", "containment_verified": "bool"},
    "D4": {"root_cause_analysis": "text", "root_cause_method": "method", "root_cause_identified": "date",
           "root_cause_verified": "bool"},
    "D5": {"permanent_actions": "text"},
    "D6": {"pca_implementation_date": "date", "verification_plan": "text", "verification_completed": "bool",
           "verification_date": "date"},
    "D7": {"preventive_actions": "text", "systems_updated": "text", "prevention_completed": "bool"},
    "D8": {"lessons_learned": "text", "team_recognition": "text"},
}
D_REQUIRED = {"D0": ("problem_preparation",), "D1": ("team_leader", "team_members"), "D2": ("problem_description", "is_statement"),
              "D3": ("containment_action",), "D4": ("root_cause_analysis", "root_cause_method"), "D5": ("permanent_actions",),
              "D6": ("pca_implementation_date", "verification_plan", "verification_completed"), "D7": ("preventive_actions",),
              "D8": ("lessons_learned",)}


# -- complaints ------------------------------------------------------------------------------------


def create_complaint(
    ctx: ServiceContext,
    *,
    customer_id: str,
    complaint_description: str,
    complaint_type: str = "quality",
    severity: str = "major",
    product_id: str | None = None,
    sales_order_id: str | None = None,
    service_ticket_id: str | None = None,
    batch_number: str | None = None,
    serial_number: str | None = None,
    quantity_affected: Any = None,
    customer_contact: str | None = None,
    safety_issue: bool = False,
) -> dict[str, Any]:
    ctx.require(QMS, "write", "Recording a customer complaint")
    severity = choice(severity, "Severity", SEVERITIES)
    qty = to_decimal(quantity_affected, "Quantity affected", minimum=Decimal(0)) if quantity_affected not in (None, "") else None
    if service_ticket_id:
        with ctx.read(QMS) as conn:
            dup = conn.execute(select(CustomerComplaints.complaint_id).where(
                CustomerComplaints.service_ticket_id == service_ticket_id)).first()
        if dup:
            raise DomainError(f"Service ticket {service_ticket_id} already has complaint {dup[0]}.")
    complaint_id = ctx.next_key("CC", CustomerComplaints.__table__, "complaint_id", QMS)
    now = ctx.now()
    values = dict(
        complaint_id=complaint_id, complaint_number=complaint_id, service_ticket_id=service_ticket_id,
        customer_id=require_text(customer_id, "Customer", 50), customer_contact=customer_contact,
        product_id=product_id, sales_order_id=sales_order_id, batch_number=batch_number, serial_number=serial_number,
        complaint_date=now.date(), complaint_description=require_text(complaint_description, "Complaint description", 4000),
        complaint_type=require_text(complaint_type, "Complaint type", 50), severity=severity, safety_issue=bool(safety_issue),
        quantity_affected=qty, complaint_status="open", replacement_cost=Decimal("0.00"), credit_issued=Decimal("0.00"),
        total_cost=Decimal("0.00"), created_at=now, updated_at=now,
    )
    with ctx.transaction(QMS) as conn:
        conn.execute(insert(CustomerComplaints.__table__).values(**values))
        ctx.audit("complaint.create", QMS, "complaint", complaint_id, after={"customer_id": values["customer_id"], "severity": severity})
    return values


def link_complaint(ctx: ServiceContext, complaint_id: str, *, ncr_id: str | None = None, capa_id: str | None = None) -> dict[str, Any]:
    """Link a complaint to the NCR and/or CAPA that deal with it."""
    ctx.require(QMS, "write", "Linking a complaint")
    if not ncr_id and not capa_id:
        raise DomainError("Give an NCR, a CAPA, or both to link.")
    with ctx.transaction(QMS) as conn:
        comp = fetch_one(conn, CustomerComplaints, complaint_id, "customer complaint")
        if comp["complaint_status"] in ("closed", "cancelled"):
            raise DomainError(f"Complaint {complaint_id} is {comp['complaint_status']}.")
        values: dict[str, Any] = {"updated_at": ctx.now()}
        if ncr_id:
            fetch_one(conn, NcrHeaders, ncr_id, "NCR")
            values["linked_ncr_id"] = ncr_id
        if capa_id:
            fetch_one(conn, CapaHeaders, capa_id, "CAPA")
            values["linked_capa_id"] = capa_id
        if comp["complaint_status"] == "open":
            values["complaint_status"] = "investigation"
        conn.execute(update(CustomerComplaints.__table__).where(CustomerComplaints.complaint_id == complaint_id).values(**values))
        keys = ("linked_ncr_id", "linked_capa_id", "complaint_status")
        ctx.audit("complaint.link", QMS, "complaint", complaint_id, before=key_fields(comp, keys), after=key_fields(dict(comp, **values), keys))
    return dict(comp, **values)


def update_complaint(ctx: ServiceContext, complaint_id: str, status: str, *, resolution: str | None = None,
                     root_cause: str | None = None, replacement_cost: Any = None, credit_issued: Any = None,
                     customer_satisfied: Any = None, reason: str | None = None) -> dict[str, Any]:
    """Move a complaint on: resolving needs a resolution; closing records who closed it. Costs
    (replacement, credit) roll up into total_cost."""
    ctx.require(QMS, "write", "Updating a complaint")
    status = choice(status, "Complaint status", COMPLAINT_STATES)
    with ctx.read(QMS) as conn:
        comp = fetch_one(conn, CustomerComplaints, complaint_id, "customer complaint")
    current = comp["complaint_status"] or "open"
    if status not in COMPLAINT_NEXT.get(current, ()):
        nxt = COMPLAINT_NEXT.get(current, ())
        raise DomainError(f"Complaint {complaint_id} is {current}; it cannot move to {status} "
                          f"({'allowed next: ' + ', '.join(nxt) if nxt else 'no further change is allowed'}).")
    today, now = ctx.today(), ctx.now()
    values: dict[str, Any] = {"complaint_status": status, "updated_at": now}
    if root_cause:
        values["root_cause"] = require_text(root_cause, "Root cause", 4000)
    for name, raw in (("replacement_cost", replacement_cost), ("credit_issued", credit_issued)):
        if raw not in (None, ""):
            values[name] = to_decimal(raw, name.replace("_", " ").capitalize(), minimum=Decimal(0), places=2)
    values["total_cost"] = money(values.get("replacement_cost", comp["replacement_cost"])) + money(values.get("credit_issued", comp["credit_issued"]))
    if status == "resolved":
        text = resolution or comp["resolution"]
        values["resolution"] = require_text(text, "Resolution", 4000)
        values["resolution_date"] = today
    if customer_satisfied is not None:
        values["customer_satisfied"] = to_bool(customer_satisfied, "customer_satisfied")
    if status == "cancelled":
        values["resolution"] = "Cancelled: " + require_text(reason, "Reason for cancelling", 1000)
    if status in ("closed", "cancelled"):
        values.update(closed_date=today, closed_by=ctx.user.user_id)
    with ctx.transaction(QMS) as conn:
        res = conn.execute(update(CustomerComplaints.__table__).where(
            CustomerComplaints.complaint_id == complaint_id, same(CustomerComplaints.complaint_status, comp["complaint_status"])).values(**values))
        if res.rowcount != 1:
            raise DomainError(f"Complaint {complaint_id} was changed by someone else meanwhile; nothing was changed.")
        keys = ("complaint_status", "total_cost", "resolution_date", "closed_date")
        ctx.audit("complaint.update", QMS, "complaint", complaint_id, before=key_fields(comp, keys), after=key_fields(dict(comp, **values), keys))
    return dict(comp, **values)


# -- quality service tickets -> complaints (the QMS daemon's service integration) --------------------

SERVICE = "genims_service_db"
CRM = "genims_crm_db"
# A service ticket is quality-related when the service desk filed it under one of these categories
# (as the service seed and desk do: product_quality tickets are of type 'complaint', warranty ones
# 'request') or typed it a complaint.
QUALITY_TICKET_CATEGORIES = ("product_quality", "warranty")
QUALITY_TICKET_TYPES = ("complaint",)
IGNORED_TICKET_STATES = ("cancelled", "spam", "duplicate")
SEVERITY_OF_PRIORITY = {"critical": "critical", "high": "major"}  # anything else: minor


def _quality_ticket_filter():
    t = ServiceTickets
    return ((t.category.in_(QUALITY_TICKET_CATEGORIES) | t.ticket_type.in_(QUALITY_TICKET_TYPES))
            & (t.ticket_status.is_(None) | t.ticket_status.notin_(IGNORED_TICKET_STATES)))


def integrate_quality_tickets(ctx: ServiceContext, limit: int = 10) -> dict[str, Any]:
    """The QMS daemon's rule: quality-related service tickets without a complaint get one (oldest
    first, at most `limit` a call). A ticket whose CRM account names no customer cannot be a
    complaint; it is reported in `no_customer` and does not take a place in the limit."""
    ctx.require(QMS, "write", "Raising complaints from service tickets")
    t = ServiceTickets
    with ctx.read(QMS) as conn:
        linked = set(conn.execute(select(CustomerComplaints.service_ticket_id).where(
            CustomerComplaints.service_ticket_id.isnot(None))).scalars())
    with ctx.read(SERVICE) as conn:
        tickets = [dict(r._mapping) for r in conn.execute(
            select(t.ticket_id, t.account_id, t.contact_id, t.ticket_type, t.category, t.subcategory, t.subject,
                   t.description, t.priority, t.related_order_id, t.related_serial_number, t.created_at)
            .where(_quality_ticket_filter()).order_by(t.created_at, t.ticket_id))]
    pending = [tk for tk in tickets if tk["ticket_id"] not in linked]
    customer_of: dict[str, str | None] = {}
    accounts = sorted({tk["account_id"] for tk in pending if tk["account_id"]})
    if accounts:
        with ctx.read(CRM) as conn:
            for start in range(0, len(accounts), 500):
                customer_of.update(conn.execute(select(Accounts.account_id, Accounts.customer_id).where(
                    Accounts.account_id.in_(accounts[start:start + 500]))).all())
    created: list[str] = []
    no_customer: list[str] = []
    for ticket in pending:
        if len(created) >= limit:
            break
        customer_id = customer_of.get(ticket["account_id"] or "")
        if not customer_id:
            no_customer.append(ticket["ticket_id"])
            continue
        complaint = create_complaint_from_ticket(ctx, ticket, customer_id)
        if complaint.get("created"):
            created.append(complaint["complaint_id"])
    return {"checked": len(tickets), "pending": len(pending), "created": created, "no_customer": no_customer}


def create_complaint_from_ticket(ctx: ServiceContext, ticket: dict[str, Any], customer_id: str) -> dict[str, Any]:
    """The complaint of one quality service ticket (a row of service_tickets as a dict), created once:
    the ticket id is the source reference, checked again inside the inserting transaction."""
    ctx.require(QMS, "write", "Raising a complaint from a service ticket")
    ticket_id = require_text(ticket["ticket_id"], "Service ticket", 50)
    now = ctx.now()
    opened = ticket.get("created_at")
    text = " - ".join(p for p in (ticket.get("subject"), ticket.get("description")) if p) or f"Service ticket {ticket_id}"
    values = dict(
        service_ticket_id=ticket_id, customer_id=require_text(customer_id, "Customer", 50),
        customer_contact=ticket.get("contact_id"), product_id=None, sales_order_id=ticket.get("related_order_id"),
        batch_number=None, serial_number=(ticket.get("related_serial_number") or None) and ticket["related_serial_number"][:50],
        complaint_date=opened.date() if opened else now.date(), complaint_description=text[:4000],
        complaint_type=(ticket.get("subcategory") or ticket.get("category") or "quality")[:50],
        severity=SEVERITY_OF_PRIORITY.get((ticket.get("priority") or "").lower(), "minor"), safety_issue=False,
        complaint_status="open", replacement_cost=Decimal("0.00"), credit_issued=Decimal("0.00"),
        total_cost=Decimal("0.00"), created_at=now, updated_at=now,
    )
    with ctx.read(QMS) as conn:
        found = conn.execute(select(CustomerComplaints.complaint_id).where(
            CustomerComplaints.service_ticket_id == ticket_id)).first()
    if found:
        return {"complaint_id": found[0], "created": False, **values}
    complaint_id = ctx.next_key("CC", CustomerComplaints.__table__, "complaint_id", QMS)
    values.update(complaint_id=complaint_id, complaint_number=complaint_id)
    with ctx.transaction(QMS) as conn:
        again = conn.execute(select(CustomerComplaints.complaint_id).where(
            CustomerComplaints.service_ticket_id == ticket_id)).first()
        if again:
            return {**values, "complaint_id": again[0], "created": False}
        conn.execute(insert(CustomerComplaints.__table__).values(**values))
        log_id = ctx.next_key("QMSLOG", QmsIntegrationLog.__table__, "log_id", QMS)
        conn.execute(insert(QmsIntegrationLog.__table__).values(
            log_id=log_id, log_timestamp=now, integration_type="complaint_creation", source_system="SERVICE",
            target_system="QMS", source_document_id=ticket_id, target_document_id=complaint_id,
            integration_status="success", error_message=None,
            integration_data={"category": ticket.get("category"), "priority": ticket.get("priority")}))
        ctx.audit("complaint.create_from_ticket", QMS, "complaint", complaint_id,
                  after={"service_ticket_id": ticket_id, "customer_id": customer_id, "severity": values["severity"]})
    return {**values, "created": True}


# -- 8D ----------------------------------------------------------------------------------------------


def create_eight_d(ctx: ServiceContext, *, source_type: str, source_document_id: str, team_leader: str | None = None,
                   problem_description: str | None = None) -> dict[str, Any]:
    """An 8D report for a customer complaint or an NCR (status 'open' until D0 is recorded)."""
    ctx.require(QMS, "write", "Starting an 8D report")
    source_type = choice(source_type, "Source type", ("customer_complaint", "ncr"))
    doc = require_text(source_document_id, "Source document", 50)
    with ctx.read(QMS) as conn:
        fetch_one(conn, CustomerComplaints if source_type == "customer_complaint" else NcrHeaders, doc,
                  "customer complaint" if source_type == "customer_complaint" else "NCR")
        dup = conn.execute(select(EightDReports.eight_d_id).where(
            EightDReports.source_type == source_type, EightDReports.source_document_id == doc,
            EightDReports.eight_d_status != "cancelled")).first()
    if dup:
        raise DomainError(f"{doc} already has 8D report {dup[0]}.")
    eight_d_id = ctx.next_key("8D", EightDReports.__table__, "eight_d_id", QMS)
    now = ctx.now()
    values = dict(eight_d_id=eight_d_id, eight_d_number=eight_d_id, source_type=source_type, source_document_id=doc,
                  team_leader=require_text(team_leader, "Team leader", 50, required=False), team_members=[],
                  problem_description=require_text(problem_description, "Problem description", 4000, required=False),
                  containment_verified=False, root_cause_verified=False, verification_completed=False,
                  prevention_completed=False, eight_d_status="open", created_at=now, updated_at=now)
    with ctx.transaction(QMS) as conn:
        conn.execute(insert(EightDReports.__table__).values(**values))
        ctx.audit("8d.create", QMS, "eight_d", eight_d_id, after={"source_type": source_type, "source_document_id": doc})
    return values


def next_discipline(status: str | None) -> str | None:
    if status in (None, "", "open"):
        return "D0"
    if status in DISCIPLINES:
        i = DISCIPLINES.index(status)
        return DISCIPLINES[i + 1] if i + 1 < len(DISCIPLINES) else None
    return None


def _eight_d_value(name: str, kind: str, raw: Any) -> Any:
    label = name.replace("_", " ").capitalize()
    with at_field(name):
        if kind == "text":
            return require_text(raw, label, 4000)
        if kind == "id":
            return require_text(raw, label, 50)
        if kind == "date":
            return to_date(raw, label)
        if kind == "bool":
            return to_bool(raw, name)
        if kind == "method":
            return choice(raw, label, ROOT_CAUSE_METHODS)
        items = raw if isinstance(raw, (list, tuple)) else [x.strip() for x in str(raw).split(",")]  # kind "list"
        return [require_text(x, label, 50) for x in items if str(x).strip()]


def record_eight_d_step(ctx: ServiceContext, eight_d_id: str, discipline: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Record one discipline of an 8D report (in order); D8 closes it."""
    ctx.require(QMS, "write", "Recording an 8D discipline")
    discipline = str(discipline).strip().upper()
    if discipline not in DISCIPLINES:
        raise DomainError(f"{discipline!r} is not an 8D discipline; use D0 to D8.")
    with ctx.read(QMS) as conn:
        report = fetch_one(conn, EightDReports, eight_d_id, "8D report")
    expected = next_discipline(report["eight_d_status"])
    if expected is None:
        raise DomainError(f"8D {eight_d_id} is {report['eight_d_status']}; nothing more can be recorded.")
    if discipline != expected:
        raise DomainError(f"8D {eight_d_id} is at {report['eight_d_status']}; record {expected} next, not {discipline}.")
    spec = D_FIELDS[discipline]
    unknown = sorted(set(fields) - set(spec))
    if unknown:
        raise DomainError(f"Field(s) {', '.join(unknown)} do not belong to {discipline}.", f"{discipline} takes: {', '.join(spec)}.")
    values: dict[str, Any] = {}
    for name, kind in spec.items():
        if name not in fields or fields[name] in (None, ""):
            continue
        values[name] = _eight_d_value(name, kind, fields[name])
    merged = dict(report, **values)
    missing = [n for n in D_REQUIRED[discipline] if merged.get(n) in (None, "", [], False)]
    if missing:
        raise DomainError(f"{discipline} of 8D {eight_d_id} needs {', '.join(missing)}.", field=missing[0])
    today, now = ctx.today(), ctx.now()
    if discipline == "D1":
        values.setdefault("team_established_date", today)
    if discipline == "D3":
        values.setdefault("containment_date", today)
    if discipline == "D4":
        values.setdefault("root_cause_identified", today)
    if discipline == "D6" and values.get("verification_completed"):
        values.setdefault("verification_date", today)
    status = "closed" if discipline == "D8" else discipline
    values.update(eight_d_status=status, updated_at=now)
    if discipline == "D8":
        values["closed_date"] = today
    with ctx.transaction(QMS) as conn:
        res = conn.execute(update(EightDReports.__table__).where(
            EightDReports.eight_d_id == eight_d_id, same(EightDReports.eight_d_status, report["eight_d_status"])).values(**values))
        if res.rowcount != 1:
            raise DomainError(f"8D {eight_d_id} was changed by someone else meanwhile; nothing was changed.")
        ctx.audit("8d.step", QMS, "eight_d", eight_d_id, before={"eight_d_status": report["eight_d_status"]},
                  after={"eight_d_status": status}, detail=discipline)
    return dict(report, **values)
