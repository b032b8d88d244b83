"""The supplier portal daemon's housekeeping rules (seed 002): RFQ deadlines, document expiry,
contract status and the monthly scorecard run. Each is idempotent and bounded per call.

Status vocabulary (what the console's health checks count):

- rfq_headers.rfq_status: 'published' while suppliers may answer; `close_expired_rfqs` moves a
  published RFQ whose response_deadline (a date) is before today to 'evaluation'.
- rfq_suppliers.response_status: 'pending' / 'viewed' = invited, not answered yet; 'responded',
  'declined'; 'no_response' = the deadline passed without an answer (set when the RFQ is closed).
  "RFQ overdue suppliers" = invitations with response_status 'no_response', plus any still
  'pending'/'viewed' on an RFQ whose deadline has passed (not yet closed): `count_rfq_overdue_suppliers`.
- supplier_notifications.notification_type (reference_type, reference_id):
  'rfq_deadline_reminder' ('rfq', rfq_id) once per RFQ and supplier;
  'document_expiry_60' (priority high), 'document_expiry_30' (priority urgent), 'document_expired'
  (priority urgent), all ('supplier_document', document_id), once per document and threshold;
  'contract_renewal' and 'contract_expired' ('supplier_contract', contract_id) once per contract;
  'scorecard_published' ('scorecard', scorecard_id) once per scorecard.
  "Document expiry alerts sent" = notifications whose type starts with 'document_expir'
  (`count_document_expiry_alerts`, optionally since a time); supplier_documents.expiry_alert_sent
  is true once any of them went out for the document.
- supplier_documents.document_status: 'active' -> 'expired' once expiry_date is before today.
- supplier_contracts.contract_status: 'active' -> 'expired' once end_date is before today; its
  contract_pricing rows get is_active false.
- The monthly run leaves a supplier_portal_integration_log row (integration_type
  'supplier_performance', source_document_id = the period 'YYYY-MM') when a period is done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from ..models.supplier import (
    ContractPricing,
    RfqHeaders,
    RfqSuppliers,
    SupplierContracts,
    SupplierDocuments,
    SupplierNotifications,
    SupplierPortalIntegrationLog,
    SupplierScorecards,
)
from ._quality_common import SUP
from .base import ServiceContext

OPEN_RFQ = "published"
RFQ_CLOSED_STATUS = "evaluation"
AWAITING_ANSWER = ("pending", "viewed")
NO_RESPONSE = "no_response"
REMINDER_DAYS = 3

DOCUMENT_ACTIVE = "active"
DOCUMENT_EXPIRED = "expired"
DOCUMENT_WINDOW_DAYS = 60
DOCUMENT_URGENT_DAYS = 30
DOCUMENT_ALERT_TYPES = ("document_expiry_60", "document_expiry_30", "document_expired")

CONTRACT_ACTIVE = "active"
CONTRACT_EXPIRED = "expired"
RENEWAL_WINDOW_DAYS = 60

PERFORMANCE_LOG_TYPE = "supplier_performance"
PER_CYCLE = 200


def _sent_notifications(conn, types: tuple[str, ...], reference_ids: list[str]) -> set[tuple[str | None, str, str]]:
    """(supplier_id, notification_type, reference_id) of the notifications already sent."""
    seen: set[tuple[str | None, str, str]] = set()
    for i in range(0, len(reference_ids), 500):
        chunk = reference_ids[i:i + 500]
        seen.update((s, t, r) for s, t, r in conn.execute(
            select(SupplierNotifications.supplier_id, SupplierNotifications.notification_type, SupplierNotifications.reference_id)
            .where(SupplierNotifications.notification_type.in_(types), SupplierNotifications.reference_id.in_(chunk))))
    return seen


def _notify(ctx: ServiceContext, conn, supplier_id: str, ntype: str, title: str, message: str, ref_type: str,
            ref_id: str, priority: str) -> str:
    nid = ctx.next_key("SNOT", SupplierNotifications.__table__, "notification_id", SUP)
    conn.execute(insert(SupplierNotifications.__table__).values(
        notification_id=nid, supplier_id=supplier_id, notification_type=ntype, notification_title=title[:200],
        notification_message=message, reference_type=ref_type, reference_id=ref_id, priority=priority,
        notification_status="sent", read_at=None, sent_via_email=True, sent_via_portal=True, created_at=ctx.now()))
    return nid


# -- RFQ deadlines -------------------------------------------------------------------------------------


def remind_rfq_deadlines(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """A reminder to every invited supplier that has not answered a published RFQ whose deadline is
    today or within the next 3 days; once per RFQ and supplier. One transaction per RFQ."""
    ctx.require(SUP, "write", "Sending RFQ deadline reminders")
    today = ctx.today()
    with ctx.read(SUP) as conn:
        rfqs = [dict(r._mapping) for r in conn.execute(
            select(RfqHeaders.rfq_id, RfqHeaders.rfq_number, RfqHeaders.rfq_title, RfqHeaders.response_deadline)
            .where(RfqHeaders.rfq_status == OPEN_RFQ, RfqHeaders.response_deadline >= today,
                   RfqHeaders.response_deadline <= today + dt.timedelta(days=REMINDER_DAYS))
            .order_by(RfqHeaders.response_deadline, RfqHeaders.rfq_id))]
        ids = [r["rfq_id"] for r in rfqs]
        pending: dict[str, list[str]] = {}
        for i in range(0, len(ids), 500):
            for rid, sid in conn.execute(select(RfqSuppliers.rfq_id, RfqSuppliers.supplier_id).where(
                    RfqSuppliers.rfq_id.in_(ids[i:i + 500]), RfqSuppliers.response_status.in_(AWAITING_ANSWER),
                    RfqSuppliers.supplier_id.isnot(None)).order_by(RfqSuppliers.rfq_supplier_id)):
                pending.setdefault(rid, []).append(sid)
        sent = _sent_notifications(conn, ("rfq_deadline_reminder",), ids)
    reminders: list[tuple[str, str]] = []
    for rfq in rfqs:
        todo = [s for s in pending.get(rfq["rfq_id"], []) if (s, "rfq_deadline_reminder", rfq["rfq_id"]) not in sent]
        todo = todo[:max(0, limit - len(reminders))]
        if not todo:
            continue
        days = (rfq["response_deadline"] - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
        with ctx.transaction(SUP) as conn:
            for sid in todo:
                _notify(ctx, conn, sid, "rfq_deadline_reminder", f"RFQ {rfq['rfq_number']}: response due {when}",
                        f"Your quotation for '{rfq['rfq_title']}' is due on {rfq['response_deadline'].isoformat()}.",
                        "rfq", rfq["rfq_id"], "high" if days <= 1 else "normal")
                reminders.append((rfq["rfq_id"], sid))
        if len(reminders) >= limit:
            break
    return {"reminders": reminders}


def close_expired_rfqs(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """Published RFQs past their response deadline go to 'evaluation'; their suppliers still pending
    become 'no_response'. One transaction per RFQ."""
    ctx.require(SUP, "write", "Closing RFQs past their deadline")
    today, now = ctx.today(), ctx.now()
    with ctx.read(SUP) as conn:
        rfq_ids = list(conn.execute(select(RfqHeaders.rfq_id).where(
            RfqHeaders.rfq_status == OPEN_RFQ, RfqHeaders.response_deadline < today)
            .order_by(RfqHeaders.response_deadline, RfqHeaders.rfq_id).limit(limit)).scalars())
    closed, no_response = [], 0
    for rid in rfq_ids:
        with ctx.transaction(SUP) as conn:
            done = conn.execute(update(RfqHeaders.__table__).where(
                RfqHeaders.rfq_id == rid, RfqHeaders.rfq_status == OPEN_RFQ)
                .values(rfq_status=RFQ_CLOSED_STATUS, updated_at=now)).rowcount
            if not done:
                continue
            marked = conn.execute(update(RfqSuppliers.__table__).where(
                RfqSuppliers.rfq_id == rid, RfqSuppliers.response_status.in_(AWAITING_ANSWER))
                .values(response_status=NO_RESPONSE)).rowcount
            ctx.audit("rfq.deadline_passed", SUP, "rfq", rid, before={"rfq_status": OPEN_RFQ},
                      after={"rfq_status": RFQ_CLOSED_STATUS, "no_response": marked})
        closed.append(rid)
        no_response += marked
    return {"closed": closed, "no_response": no_response}


def count_rfq_overdue_suppliers(conn, today: dt.date) -> int:
    """Invited suppliers that did not answer before the deadline ("RFQ overdue suppliers")."""
    late = select(func.count()).select_from(RfqSuppliers.__table__.join(
        RfqHeaders.__table__, RfqHeaders.rfq_id == RfqSuppliers.rfq_id)).where(
        or_(RfqSuppliers.response_status == NO_RESPONSE,
            and_(RfqSuppliers.response_status.in_(AWAITING_ANSWER), RfqHeaders.response_deadline < today)))
    return int(conn.execute(late).scalar() or 0)


# -- documents ------------------------------------------------------------------------------------------


def document_alert(days_to_expiry: int) -> tuple[str, str] | None:
    """(notification type, priority) a document `days_to_expiry` days from expiry calls for."""
    if days_to_expiry < 0:
        return "document_expired", "urgent"
    if days_to_expiry <= DOCUMENT_URGENT_DAYS:
        return "document_expiry_30", "urgent"
    if days_to_expiry <= DOCUMENT_WINDOW_DAYS:
        return "document_expiry_60", "high"
    return None


def check_document_expiry(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """Active supplier documents expiring within 60 days: a notification at the 60-day (high) and
    30-day (urgent) thresholds, once each (a document first seen inside 30 days gets only the urgent
    one); expired ones are marked 'expired' with a last notification. days_to_expiry is refreshed."""
    ctx.require(SUP, "write", "Checking supplier document expiry")
    today, now = ctx.today(), ctx.now()
    with ctx.read(SUP) as conn:
        docs = [dict(r._mapping) for r in conn.execute(
            select(SupplierDocuments.document_id, SupplierDocuments.supplier_id, SupplierDocuments.document_name,
                   SupplierDocuments.document_number, SupplierDocuments.expiry_date, SupplierDocuments.days_to_expiry,
                   SupplierDocuments.expiry_alert_sent, SupplierDocuments.document_status)
            .where(or_(SupplierDocuments.document_status == DOCUMENT_ACTIVE, SupplierDocuments.document_status.is_(None)),
                   SupplierDocuments.expiry_date.isnot(None),
                   SupplierDocuments.expiry_date <= today + dt.timedelta(days=DOCUMENT_WINDOW_DAYS))
            .order_by(SupplierDocuments.expiry_date, SupplierDocuments.document_id))]
        sent = _sent_notifications(conn, DOCUMENT_ALERT_TYPES, [d["document_id"] for d in docs])
    notified = {"document_expiry_60": 0, "document_expiry_30": 0, "document_expired": 0}
    expired: list[str] = []
    work = 0
    for d in docs:
        if work >= limit:
            break
        days = (d["expiry_date"] - today).days
        ntype, priority = document_alert(days)  # type: ignore[misc]  (always inside the window here)
        needs_note = d["supplier_id"] is not None and (d["supplier_id"], ntype, d["document_id"]) not in sent
        changes: dict[str, Any] = {}
        if days < 0:
            changes["document_status"] = DOCUMENT_EXPIRED
        if d["days_to_expiry"] != days:
            changes["days_to_expiry"] = days
        if needs_note and not d["expiry_alert_sent"]:
            changes["expiry_alert_sent"] = True
        if not changes and not needs_note:
            continue
        work += 1
        label = d["document_name"] or "document"
        with ctx.transaction(SUP) as conn:
            if needs_note:
                title = (f"{label} {d['document_number'] or ''} expired".replace("  ", " ") if days < 0
                         else f"{label} expires in {days} day{'s' if days != 1 else ''}")
                _notify(ctx, conn, d["supplier_id"], ntype, title,
                        f"Please upload a renewed {label} (expiry date {d['expiry_date'].isoformat()}).",
                        "supplier_document", d["document_id"], priority)
                notified[ntype] += 1
            conn.execute(update(SupplierDocuments.__table__).where(SupplierDocuments.document_id == d["document_id"])
                         .values(updated_at=now, **changes))
            if days < 0:
                ctx.audit("supplier_document.expired", SUP, "supplier_document", d["document_id"],
                          before={"document_status": d["document_status"]}, after={"document_status": DOCUMENT_EXPIRED})
        if days < 0:
            expired.append(d["document_id"])
    return {"notified": notified, "expired": expired}


def count_document_expiry_alerts(conn, since: dt.datetime | None = None) -> int:
    """Document expiry notifications sent (optionally since a moment)."""
    query = select(func.count()).select_from(SupplierNotifications.__table__).where(
        SupplierNotifications.notification_type.in_(DOCUMENT_ALERT_TYPES))
    if since is not None:
        query = query.where(SupplierNotifications.created_at >= since)
    return int(conn.execute(query).scalar() or 0)


# -- contracts -------------------------------------------------------------------------------------------


def update_contract_status(ctx: ServiceContext, limit: int = PER_CYCLE) -> dict[str, Any]:
    """Active contracts past their end date -> 'expired', their pricing deactivated and the supplier
    told; a renewal reminder (once per contract) for active contracts ending within 60 days."""
    ctx.require(SUP, "write", "Updating supplier contract status")
    today, now = ctx.today(), ctx.now()
    with ctx.read(SUP) as conn:
        contracts = [dict(r._mapping) for r in conn.execute(
            select(SupplierContracts.contract_id, SupplierContracts.contract_number, SupplierContracts.contract_name,
                   SupplierContracts.supplier_id, SupplierContracts.end_date, SupplierContracts.auto_renew)
            .where(SupplierContracts.contract_status == CONTRACT_ACTIVE, SupplierContracts.end_date.isnot(None),
                   SupplierContracts.end_date <= today + dt.timedelta(days=RENEWAL_WINDOW_DAYS))
            .order_by(SupplierContracts.end_date, SupplierContracts.contract_id))]
        sent = _sent_notifications(conn, ("contract_renewal", "contract_expired"), [c["contract_id"] for c in contracts])
    expired, reminded, pricing_off = [], [], 0
    for c in contracts:
        if len(expired) + len(reminded) >= limit:
            break
        cid, sid = c["contract_id"], c["supplier_id"]
        name = c["contract_name"] or c["contract_number"] or cid
        if c["end_date"] < today:
            with ctx.transaction(SUP) as conn:
                conn.execute(update(SupplierContracts.__table__).where(SupplierContracts.contract_id == cid)
                             .values(contract_status=CONTRACT_EXPIRED, updated_at=now))
                off = conn.execute(update(ContractPricing.__table__).where(
                    ContractPricing.contract_id == cid, or_(ContractPricing.is_active.is_(True), ContractPricing.is_active.is_(None)))
                    .values(is_active=False)).rowcount
                if sid and (sid, "contract_expired", cid) not in sent:
                    _notify(ctx, conn, sid, "contract_expired", f"Contract {c['contract_number'] or cid} has expired",
                            f"{name} ended on {c['end_date'].isoformat()}; its contract prices no longer apply.",
                            "supplier_contract", cid, "high")
                ctx.audit("supplier_contract.expired", SUP, "supplier_contract", cid,
                          before={"contract_status": CONTRACT_ACTIVE}, after={"contract_status": CONTRACT_EXPIRED, "pricing_deactivated": off})
            expired.append(cid)
            pricing_off += off
        elif sid and (sid, "contract_renewal", cid) not in sent:
            days = (c["end_date"] - today).days
            with ctx.transaction(SUP) as conn:
                _notify(ctx, conn, sid, "contract_renewal", f"Contract {c['contract_number'] or cid} ends in {days} days",
                        f"{name} ends on {c['end_date'].isoformat()}."
                        + (" It renews automatically unless either party gives notice." if c["auto_renew"]
                           else " Please contact your buyer about a renewal."),
                        "supplier_contract", cid, "high" if days <= 30 else "normal")
            reminded.append(cid)
    return {"expired": expired, "pricing_deactivated": pricing_off, "renewal_reminders": reminded}


# -- monthly performance and scorecards ------------------------------------------------------------------


def run_monthly_scorecards(ctx: ServiceContext) -> dict[str, Any]:
    """Last month's supplier performance and scorecards, once per supplier and period: due from the
    1st of the month, and caught up on a later day when the 1st was missed. Suppliers already scored
    for the period are left as they are; each new scorecard is published with one notification to
    the supplier. A done period is recorded in supplier_portal_integration_log, so later runs in the
    month only check that record."""
    from .supplier_quality import calculate_supplier_performance, previous_period

    ctx.require(SUP, "write", "Running the monthly supplier scorecards")
    today, now = ctx.today(), ctx.now()
    period = previous_period(f"{today.year}-{today.month:02d}")
    with ctx.read(SUP) as conn:
        if conn.execute(select(SupplierPortalIntegrationLog.log_id).where(
                SupplierPortalIntegrationLog.integration_type == PERFORMANCE_LOG_TYPE,
                SupplierPortalIntegrationLog.source_document_id == period).limit(1)).first():
            return {"period": period, "already_done": True, "scored": 0, "notified": 0}
    result = calculate_supplier_performance(ctx, period, skip_existing=True)
    with ctx.read(SUP) as conn:
        cards = [dict(r._mapping) for r in conn.execute(
            select(SupplierScorecards.scorecard_id, SupplierScorecards.supplier_id, SupplierScorecards.overall_score,
                   SupplierScorecards.supplier_rating)
            .where(SupplierScorecards.scorecard_period == period, SupplierScorecards.scorecard_type == "monthly",
                   or_(SupplierScorecards.published_to_supplier.is_(False), SupplierScorecards.published_to_supplier.is_(None)))
            .order_by(SupplierScorecards.supplier_id))]
        sent = _sent_notifications(conn, ("scorecard_published",), [c["scorecard_id"] for c in cards])
    notified = 0
    for card in cards:
        with ctx.transaction(SUP) as conn:
            if card["supplier_id"] and (card["supplier_id"], "scorecard_published", card["scorecard_id"]) not in sent:
                rating = card["supplier_rating"]
                _notify(ctx, conn, card["supplier_id"], "scorecard_published", f"Scorecard {period}: {rating}",
                        f"Your overall score for {period} is {card['overall_score']} ({rating})."
                        + (" An improvement plan is required." if rating == "Poor" else ""),
                        "scorecard", card["scorecard_id"], "high" if rating == "Poor" else "normal")
                notified += 1
            conn.execute(update(SupplierScorecards.__table__).where(SupplierScorecards.scorecard_id == card["scorecard_id"])
                         .values(published_to_supplier=True, published_date=today))
    log_id = ctx.next_key("SPLOG", SupplierPortalIntegrationLog.__table__, "log_id", SUP)
    with ctx.transaction(SUP) as conn:
        conn.execute(insert(SupplierPortalIntegrationLog.__table__).values(
            log_id=log_id, log_timestamp=now, integration_type=PERFORMANCE_LOG_TYPE, source_system="SUPPLIER_PORTAL",
            target_system="SUPPLIER_PORTAL", source_document_type="metric_period", source_document_id=period,
            target_document_type="supplier_scorecard", target_document_id=None, integration_status="success",
            error_message=None, integration_data={"scored": result["created"], "notified": notified}))
    return {"period": period, "already_done": False, "scored": result["created"], "notified": notified}


__all__ = [
    "remind_rfq_deadlines", "close_expired_rfqs", "count_rfq_overdue_suppliers", "check_document_expiry",
    "count_document_expiry_alerts", "document_alert", "update_contract_status", "run_monthly_scorecards",
]
