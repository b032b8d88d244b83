"""Corrective and preventive actions: CAPA headers, their actions (owner, due date), effectiveness
verification, and closing, which closes the NCRs the CAPA was raised for.

CAPA states (capa_headers.capa_status): open -> implementation (once it has actions) ->
verification (all actions completed) -> closed; 'overdue' is set by the escalation rule;
cancelled ends a CAPA without a fix. Verifying effectiveness needs the capability capa.verify;
closing a CAPA whose NCRs close with it also needs ncr.close.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from ..errors import DomainError
from ..models.quality import CapaActions, CapaHeaders, CustomerComplaints, NcrHeaders
from ._quality_common import QMS, at_field, choice, fetch_one, key_fields, to_bool, to_date
from .base import ServiceContext, require_text, to_decimal
from .ncr import close_ncr_from_capa

CAPA_STATES = ("open", "implementation", "verification", "overdue", "closed", "cancelled")
SOURCES = ("ncr", "customer_complaint", "audit", "8d", "spc", "supplier", "management_review", "other")
ACTION_TYPES = ("corrective", "preventive", "containment")
KEY_FIELDS = ("capa_status", "effectiveness_verified", "verification_completed", "actual_completion_date", "closed_date")


def get_capa(ctx: ServiceContext, capa_id: str) -> dict[str, Any]:
    ctx.require(QMS, "read", "Showing a CAPA")
    with ctx.read(QMS) as conn:
        capa = fetch_one(conn, CapaHeaders, capa_id, "CAPA")
        capa["actions"] = [dict(r._mapping) for r in conn.execute(
            select(CapaActions.__table__).where(CapaActions.capa_id == capa_id).order_by(CapaActions.action_sequence))]
    return capa


def create_capa(
    ctx: ServiceContext,
    *,
    initiated_from: str,
    source_document_id: str | None,
    problem_description: str,
    responsible_person: str | None = None,
    target_completion_date: Any = None,
    action_type: str = "corrective",
    problem_severity: str | None = None,
    actions_planned: str | None = None,
) -> dict[str, Any]:
    """A CAPA in state 'open', raised from an NCR, a complaint, an audit, an 8D ..."""
    ctx.require(QMS, "write", "Creating a CAPA")
    source = choice(initiated_from, "Initiated from", SOURCES)
    action_type = choice(action_type, "Action type", ("corrective", "preventive"))
    problem = require_text(problem_description, "Problem description", 4000)
    doc = require_text(source_document_id, "Source document", 50, required=source in ("ncr", "customer_complaint"))
    today = ctx.today()
    due = to_date(target_completion_date, "Target completion date") if target_completion_date else today + dt.timedelta(days=30)
    if due < today:
        raise DomainError(f"The target completion date {due} is in the past.")
    with ctx.read(QMS) as conn:
        if source == "ncr":
            ncr = fetch_one(conn, NcrHeaders, doc, "NCR")
            if ncr["ncr_status"] in ("closed", "cancelled"):
                raise DomainError(f"{doc} is {ncr['ncr_status']}; a CAPA needs an open NCR.")
        elif source == "customer_complaint":
            fetch_one(conn, CustomerComplaints, doc, "customer complaint")
    capa_id = ctx.next_key("CAPA", CapaHeaders.__table__, "capa_id", QMS)
    now = ctx.now()
    values = dict(
        capa_id=capa_id, capa_number=capa_id, action_type=action_type, initiated_from=source, source_document_id=doc,
        problem_description=problem, problem_severity=problem_severity,
        responsible_person=require_text(responsible_person, "Responsible person", 50, required=False),
        actions_planned=require_text(actions_planned, "Actions planned", 4000, required=False),
        target_completion_date=due, capa_status="open", verification_completed=False, effectiveness_verified=False,
        immediate_actions_completed=False, root_cause_identified=False, created_at=now, updated_at=now,
    )
    with ctx.transaction(QMS) as conn:
        conn.execute(insert(CapaHeaders.__table__).values(**values))
        ctx.audit("capa.create", QMS, "capa", capa_id, after=key_fields(values, KEY_FIELDS + ("initiated_from", "source_document_id")))
    return values


def add_capa_action(ctx: ServiceContext, capa_id: str, *, description: str, assigned_to: str, due_date: Any,
                    action_type: str = "corrective") -> dict[str, Any]:
    """An action with an owner and a due date; an open CAPA moves to implementation."""
    ctx.require(QMS, "write", "Adding a CAPA action")
    with at_field("description"):
        description = require_text(description, "Action description", 4000)
    with at_field("assigned_to"):
        owner = require_text(assigned_to, "Action owner", 50)
    with at_field("due_date"):
        due = to_date(due_date, "Due date")
    if due < ctx.today():
        raise DomainError(f"The due date {due} is in the past.", field="due_date")
    with at_field("action_type"):
        action_type = choice(action_type, "Action type", ACTION_TYPES)
    with ctx.read(QMS) as conn:
        capa = fetch_one(conn, CapaHeaders, capa_id, "CAPA")
    if capa["capa_status"] in ("closed", "cancelled", "verification"):
        raise DomainError(f"CAPA {capa_id} is {capa['capa_status']}; actions can be added while it is open or in implementation.")
    action_id = ctx.next_key("CAPAA", CapaActions.__table__, "action_id", QMS)
    now = ctx.now()
    with ctx.transaction(QMS) as conn:
        seq = conn.execute(select(func.coalesce(func.max(CapaActions.action_sequence), 0)).where(CapaActions.capa_id == capa_id)).scalar()
        values = dict(action_id=action_id, capa_id=capa_id, action_sequence=int(seq) + 1, action_description=description,
                      action_type=action_type, assigned_to=owner, due_date=due, action_status="open", attachment_urls=[],
                      created_at=now)
        conn.execute(insert(CapaActions.__table__).values(**values))
        if capa["capa_status"] == "open":
            conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.capa_id == capa_id)
                         .values(capa_status="implementation", updated_at=now))
        ctx.audit("capa.action_add", QMS, "capa_action", action_id, after={"capa_id": capa_id, "assigned_to": owner, "due_date": due})
    return values


def complete_capa_action(ctx: ServiceContext, action_id: str, evidence: str) -> dict[str, Any]:
    """Mark an action completed with its evidence; when none is left open the CAPA moves to verification."""
    ctx.require(QMS, "write", "Completing a CAPA action")
    with at_field("evidence"):
        evidence = require_text(evidence, "Completion evidence", 4000)
    with ctx.read(QMS) as conn, at_field("action_id"):
        action = fetch_one(conn, CapaActions, action_id, "CAPA action")
        capa = fetch_one(conn, CapaHeaders, action["capa_id"], "CAPA")
    if action["action_status"] in ("completed", "cancelled"):
        raise DomainError(f"Action {action_id} is {action['action_status']} already.", field="action_id")
    if capa["capa_status"] in ("closed", "cancelled"):
        raise DomainError(f"CAPA {capa['capa_id']} is {capa['capa_status']}.")
    today, now = ctx.today(), ctx.now()
    with ctx.transaction(QMS) as conn:
        conn.execute(update(CapaActions.__table__).where(CapaActions.action_id == action_id)
                     .values(action_status="completed", completion_date=today, completion_evidence=evidence))
        left = conn.execute(select(func.count()).select_from(CapaActions.__table__).where(
            CapaActions.capa_id == capa["capa_id"],
            or_(CapaActions.action_status.is_(None), CapaActions.action_status.notin_(("completed", "cancelled"))))).scalar()
        after_status = capa["capa_status"]
        if not left:
            after_status = "verification"
            conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.capa_id == capa["capa_id"])
                         .values(capa_status="verification", actual_completion_date=today, updated_at=now))
        ctx.audit("capa.action_complete", QMS, "capa_action", action_id,
                  before={"action_status": action["action_status"]}, after={"action_status": "completed", "capa_status": after_status})
    return {**action, "action_status": "completed", "completion_date": today, "capa_status": after_status}


def verify_capa_effectiveness(ctx: ServiceContext, capa_id: str, effective: Any, notes: str,
                              verification_result: str | None = None) -> dict[str, Any]:
    """Record the effectiveness check. Effective: ready to close. Not effective: back to
    implementation (add further actions)."""
    ctx.require(QMS, "write", "Verifying a CAPA")
    ctx.require_capability("capa.verify", "Verifying a CAPA's effectiveness")
    with at_field("effective"):
        effective = to_bool(effective, "effective")
    with at_field("notes"):
        notes = require_text(notes, "Effectiveness notes", 4000)
    with ctx.read(QMS) as conn:
        capa = fetch_one(conn, CapaHeaders, capa_id, "CAPA")
        open_actions = conn.execute(select(CapaActions.action_id).where(
            CapaActions.capa_id == capa_id,
            or_(CapaActions.action_status.is_(None), CapaActions.action_status.notin_(("completed", "cancelled"))))).scalars().all()
    if capa["capa_status"] in ("closed", "cancelled"):
        raise DomainError(f"CAPA {capa_id} is {capa['capa_status']}.")
    if open_actions:
        raise DomainError(f"CAPA {capa_id} has open actions: {', '.join(open_actions)}; complete them before verifying.")
    today, now = ctx.today(), ctx.now()
    values = dict(verification_completed=True, verification_date=today, verified_by=ctx.user.user_id,
                  verification_result=_verification_result(verification_result) or notes,
                  effectiveness_review_date=today, effectiveness_verified=effective, effectiveness_notes=notes,
                  capa_status="verification" if effective else "implementation", updated_at=now)
    if capa["actual_completion_date"] is None and effective:
        values["actual_completion_date"] = today
    with ctx.transaction(QMS) as conn:
        conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.capa_id == capa_id).values(**values))
        ctx.audit("capa.verify", QMS, "capa", capa_id, before=key_fields(capa, KEY_FIELDS), after=key_fields(dict(capa, **values), KEY_FIELDS))
    return dict(capa, **values)


def _verification_result(text: str | None) -> str | None:
    with at_field("verification_result"):
        return require_text(text, "Verification result", 4000, required=False)


def close_capa(ctx: ServiceContext, capa_id: str) -> dict[str, Any]:
    """Close a CAPA verified effective; the NCRs it was raised for (in capa or verification) close
    with it, in the same transaction. Returns the CAPA and the NCRs closed."""
    ctx.require(QMS, "write", "Closing a CAPA")
    ctx.require_capability("capa.verify", "Closing a CAPA")
    with ctx.read(QMS) as conn:
        capa = fetch_one(conn, CapaHeaders, capa_id, "CAPA")
    if capa["capa_status"] in ("closed", "cancelled"):
        raise DomainError(f"CAPA {capa_id} is {capa['capa_status']} already.")
    if not capa["effectiveness_verified"]:
        raise DomainError(f"CAPA {capa_id} is not verified effective; verify its effectiveness before closing it.")
    if capa["initiated_from"] == "ncr" and capa["source_document_id"]:
        ctx.require_capability("ncr.close", f"Closing CAPA {capa_id} (it closes NCR {capa['source_document_id']})")
    today, now = ctx.today(), ctx.now()
    closed_ncrs: list[str] = []
    with ctx.transaction(QMS) as conn:
        res = conn.execute(update(CapaHeaders.__table__)
                           .where(CapaHeaders.capa_id == capa_id, CapaHeaders.capa_status == capa["capa_status"])
                           .values(capa_status="closed", closed_date=today, closed_by=ctx.user.user_id, updated_at=now))
        if res.rowcount != 1:
            raise DomainError(f"CAPA {capa_id} was changed by someone else meanwhile; nothing was changed.")
        ctx.audit("capa.close", QMS, "capa", capa_id, before=key_fields(capa, KEY_FIELDS),
                  after={**key_fields(capa, KEY_FIELDS), "capa_status": "closed", "closed_date": today})
        if capa["initiated_from"] == "ncr" and capa["source_document_id"]:
            if close_ncr_from_capa(ctx, conn, capa["source_document_id"], {capa_id}):
                closed_ncrs.append(capa["source_document_id"])
    return {**capa, "capa_status": "closed", "closed_date": today, "closed_ncrs": closed_ncrs}


def close_ncrs_from_verified_capas(ctx: ServiceContext, limit: int = 50) -> dict[str, Any]:
    """The QMS daemon's rule: NCRs still in capa/verification whose CAPAs are all closed and
    verified effective are closed (idempotent: a closed NCR is never touched again)."""
    ctx.require(QMS, "write", "Closing NCRs from verified CAPAs")
    ctx.require_capability("ncr.close", "Closing NCRs from verified CAPAs")
    with ctx.read(QMS) as conn:
        candidates = conn.execute(
            select(NcrHeaders.ncr_id).where(NcrHeaders.ncr_status.in_(("capa", "verification")),
                                            NcrHeaders.ncr_id.in_(select(CapaHeaders.source_document_id).where(
                                                CapaHeaders.initiated_from == "ncr", CapaHeaders.capa_status == "closed",
                                                CapaHeaders.effectiveness_verified.is_(True))))
            .order_by(NcrHeaders.ncr_id).limit(limit)).scalars().all()
    closed = []
    for ncr_id in candidates:
        with ctx.transaction(QMS) as conn:
            if close_ncr_from_capa(ctx, conn, ncr_id, set()):
                closed.append(ncr_id)
    return {"checked": len(candidates), "closed": closed}


def escalate_overdue_capas(ctx: ServiceContext) -> dict[str, Any]:
    """Overdue CAPAs (past target date, not verified) become 'overdue'; their open actions past due too."""
    ctx.require(QMS, "write", "Escalating overdue CAPAs")
    today, now = ctx.today(), ctx.now()
    with ctx.transaction(QMS) as conn:
        capas = conn.execute(select(CapaHeaders.capa_id).where(
            CapaHeaders.capa_status.in_(("open", "implementation")), CapaHeaders.target_completion_date < today)).scalars().all()
        if capas:
            conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.capa_id.in_(capas)).values(capa_status="overdue", updated_at=now))
        actions = conn.execute(update(CapaActions.__table__).where(
            CapaActions.action_status.in_(("open", "in_progress")), CapaActions.due_date < today).values(action_status="overdue")).rowcount
        if capas or actions:
            ctx.audit("capa.escalate", QMS, "capa", None, after={"capas": capas, "actions": actions})
    return {"capas_overdue": list(capas), "actions_overdue": actions}


def set_capa_cost(ctx: ServiceContext, capa_id: str, implementation_cost: Any) -> None:
    ctx.require(QMS, "write", "Recording a CAPA cost")
    cost = to_decimal(implementation_cost, "Implementation cost", minimum=0, places=2)
    with ctx.transaction(QMS) as conn:
        capa = fetch_one(conn, CapaHeaders, capa_id, "CAPA")
        conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.capa_id == capa_id)
                     .values(implementation_cost=cost, updated_at=ctx.now()))
        ctx.audit("capa.cost", QMS, "capa", capa_id, before={"implementation_cost": capa["implementation_cost"]},
                  after={"implementation_cost": cost})
