"""Non-conformance reports: creation (manual or from a failed MES inspection) and the NCR workflow.

The workflow is an explicit state machine over ncr_headers.ncr_status:

    open -> containment -> investigation -> disposition -> capa -> verification -> closed
    (verification -> capa when the fix did not work; any state before closed -> cancelled)

Entering a state checks what it needs (on the NCR merged with the fields given):

- containment:   a containment action (text)
- investigation: containment done (containment_completed and containment_date are set)
- disposition:   the root cause: root_cause_method and root_cause_description
- capa:          the disposition (use_as_is, rework, scrap, return_to_supplier or mrb) with a
                 quantity; needs the capability ncr.disposition. A CAPA is linked
                 (capa_headers.source_document_id = ncr_id, initiated_from 'ncr'): an existing one
                 given as capa_id, or one created from the NCR
- verification:  every linked CAPA's actions completed
- closed:        verified effective (field verified_effective=true, or every linked CAPA verified
                 effective); needs the capability ncr.close
- cancelled:     a reason; needs the capability ncr.close (it ends the NCR without a fix)

Every transition needs write access to genims_quality_db. Costs (scrap, rework, sorting) may be
given with any transition and roll up into total_cost. An illegal transition is refused with a
DomainError naming the allowed next states, and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from ..errors import DomainError
from ..models.manufacturing import QualityInspections
from ..models.quality import CapaActions, CapaHeaders, NcrDefectDetails, NcrHeaders, QmsIntegrationLog
from ._quality_common import MFG, QMS, at_field, choice, fetch_one, key_fields, money, to_bool, to_date
from .base import ServiceContext, require_text, to_decimal

log = logging.getLogger(__name__)

STATES = ("open", "containment", "investigation", "disposition", "capa", "verification", "closed", "cancelled")
TERMINAL = ("closed", "cancelled")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("containment", "cancelled"),
    "containment": ("investigation", "cancelled"),
    "investigation": ("disposition", "cancelled"),
    "disposition": ("capa", "cancelled"),
    "capa": ("verification", "cancelled"),
    "verification": ("closed", "capa", "cancelled"),
    "closed": (),
    "cancelled": (),
}
DISPOSITIONS = ("use_as_is", "rework", "scrap", "return_to_supplier", "mrb")
ROOT_CAUSE_METHODS = ("5_why", "fishbone", "fault_tree", "8d", "is_is_not", "pareto", "fmea", "other")
SEVERITIES = ("critical", "major", "minor")
PRIORITY_OF = {"critical": "high", "major": "medium", "minor": "low"}
FAILED_RESULTS = ("fail", "failed", "rejected", "reject", "nok")
CAPABILITY_FOR = {"capa": "ncr.disposition", "closed": "ncr.close", "cancelled": "ncr.close"}
COSTS = ("scrap_cost", "rework_cost", "sorting_cost")
# The fields each target state accepts (costs are accepted by every state but cancelled).
FIELDS_FOR: dict[str, tuple[str, ...]] = {
    "containment": ("containment_action", "priority"),
    "investigation": ("containment_action", "root_cause_method", "root_cause_description"),
    "disposition": ("root_cause_method", "root_cause_description", "root_cause_verified"),
    "capa": ("disposition", "disposition_quantity", "disposition_notes", "capa_id", "capa_owner", "capa_due",
             "capa_actions_planned", "reason"),
    "verification": (),
    "closed": ("verified_effective",),
    "cancelled": ("reason",),
}
KEY_FIELDS = ("ncr_status", "containment_action", "root_cause_method", "disposition", "disposition_quantity",
              "total_cost", "verified_effective", "closed_date")


def allowed_next(state: str | None) -> tuple[str, ...]:
    return TRANSITIONS.get(state or "", ())


def _describe_allowed(state: str) -> str:
    nxt = allowed_next(state)
    return f"allowed next: {', '.join(nxt)}" if nxt else "no further transition is allowed"


# -- reading -----------------------------------------------------------------------------------------


def list_ncrs(ctx: ServiceContext, status: str | None = None, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    ctx.require(QMS, "read", "Listing NCRs")
    if status is not None:
        status = choice(status, "Status", STATES)
    limit = max(1, min(int(limit), 5000))
    t = NcrHeaders.__table__
    query = select(
        t.c.ncr_id, t.c.ncr_number, t.c.ncr_status, t.c.source_type, t.c.source_document_id, t.c.detected_date,
        t.c.defect_type, t.c.defect_severity, t.c.priority, t.c.quantity_defective, t.c.total_cost, t.c.supplier_id,
        t.c.product_id, t.c.material_id,
    ).order_by(t.c.detected_date.desc(), t.c.ncr_id.desc()).limit(limit).offset(offset)
    if status:
        query = query.where(t.c.ncr_status == status)
    with ctx.read(QMS) as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def get_ncr(ctx: ServiceContext, ncr_id: str) -> dict[str, Any]:
    """The NCR with its defect details, linked CAPAs (with actions) and allowed next states."""
    ctx.require(QMS, "read", "Showing an NCR")
    with ctx.read(QMS) as conn:
        ncr = fetch_one(conn, NcrHeaders, ncr_id, "NCR", "`genims ncr list` shows them.")
        details = [dict(r._mapping) for r in conn.execute(
            select(NcrDefectDetails.__table__).where(NcrDefectDetails.ncr_id == ncr_id).order_by(NcrDefectDetails.defect_detail_id))]
        capas = _linked_capas(conn, ncr_id)
        for capa in capas:
            capa["actions"] = [dict(r._mapping) for r in conn.execute(
                select(CapaActions.__table__).where(CapaActions.capa_id == capa["capa_id"]).order_by(CapaActions.action_sequence))]
    ncr["defect_details"] = details
    ncr["capas"] = capas
    ncr["allowed_next"] = list(allowed_next(ncr["ncr_status"]))
    return ncr


def _linked_capas(conn, ncr_id: str) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(
        select(CapaHeaders.__table__)
        .where(CapaHeaders.source_document_id == ncr_id, CapaHeaders.initiated_from == "ncr")
        .order_by(CapaHeaders.capa_id))]


# -- creating ----------------------------------------------------------------------------------------


def create_ncr(
    ctx: ServiceContext,
    *,
    defect_description: str,
    quantity_defective: Any,
    defect_type: str | None = None,
    defect_severity: str = "major",
    quantity_inspected: Any = None,
    unit_of_measure: str = "EA",
    source_type: str = "manual",
    source_document_id: str | None = None,
    detected_by: str | None = None,
    detection_location: str | None = None,
    material_id: str | None = None,
    product_id: str | None = None,
    supplier_id: str | None = None,
    purchase_order_id: str | None = None,
    customer_id: str | None = None,
    sales_order_id: str | None = None,
    batch_number: str | None = None,
    lot_number: str | None = None,
) -> dict[str, Any]:
    """A new NCR in state 'open'."""
    ctx.require(QMS, "write", "Creating an NCR")
    values = _validated_new_ncr(
        ctx, defect_description=defect_description, quantity_defective=quantity_defective, defect_type=defect_type,
        defect_severity=defect_severity, quantity_inspected=quantity_inspected, unit_of_measure=unit_of_measure,
        source_type=source_type, source_document_id=source_document_id, detected_by=detected_by,
        detection_location=detection_location, material_id=material_id, product_id=product_id, supplier_id=supplier_id,
        purchase_order_id=purchase_order_id, customer_id=customer_id, sales_order_id=sales_order_id,
        batch_number=batch_number, lot_number=lot_number,
    )
    if values["source_type"] == "manual":
        _check_references(ctx, values)
    ncr_id = ctx.next_key("NCR", NcrHeaders.__table__, "ncr_id", QMS)
    values.update(ncr_id=ncr_id, ncr_number=ncr_id)
    with ctx.transaction(QMS) as conn:
        conn.execute(insert(NcrHeaders.__table__).values(**values))
        ctx.audit("ncr.create", QMS, "ncr", ncr_id, after=key_fields(values, KEY_FIELDS + ("source_type", "source_document_id")))
    return values


# What a hand-typed NCR may point at, and where each lives (the catalog's references).
NCR_REFERENCES = (("material_id", "genims_erp_db", "materials", "material"),
                  ("supplier_id", "genims_erp_db", "suppliers", "supplier"),
                  ("product_id", "genims_master_db", "products", "product"),
                  ("customer_id", "genims_master_db", "customers", "customer"))


def _check_references(ctx: ServiceContext, values: dict[str, Any]) -> None:
    """A person typed these codes: each must name a real material, supplier, product or customer."""
    from ..models import BASES

    for field_name, database, table_name, what in NCR_REFERENCES:
        code = values.get(field_name)
        if not code:
            continue
        table = BASES[database].metadata.tables[table_name]
        pk = list(table.primary_key.columns)[0]
        with ctx.read(database) as conn:
            found = conn.execute(select(pk).where(pk == code)).first()
        if found is None:
            raise DomainError(f"There is no {what} {code}.", field=field_name)


def _validated_new_ncr(ctx: ServiceContext, **kw: Any) -> dict[str, Any]:
    with at_field("quantity_defective"):
        qty = to_decimal(kw["quantity_defective"], "Defective quantity", positive=True)
    inspected = None
    if kw["quantity_inspected"] not in (None, ""):
        with at_field("quantity_inspected"):
            inspected = to_decimal(kw["quantity_inspected"], "Inspected quantity", positive=True)
        if qty > inspected:
            raise DomainError(f"Defective quantity {qty} is more than the inspected quantity {inspected}.",
                              field="quantity_defective")
    with at_field("defect_severity"):
        severity = choice(kw["defect_severity"], "Defect severity", SEVERITIES)
    now = ctx.now()
    text = {}
    for k in ("defect_type", "source_document_id", "detected_by", "detection_location", "material_id", "product_id",
              "supplier_id", "purchase_order_id", "customer_id", "sales_order_id", "batch_number", "lot_number"):
        with at_field(k):
            text[k] = require_text(kw[k], k.replace("_", " ").capitalize(), 50, required=False)
    with at_field("source_type"):
        source_type = require_text(kw["source_type"], "Source type", 30)
    with at_field("unit_of_measure"):
        unit = require_text(kw["unit_of_measure"], "Unit of measure", 20)
    with at_field("defect_description"):
        description = require_text(kw["defect_description"], "Defect description", 4000)
    return dict(
        source_type=source_type,
        detected_date=now.date(),
        quantity_defective=qty, quantity_inspected=inspected,
        unit_of_measure=unit,
        defect_description=description,
        defect_severity=severity, priority=PRIORITY_OF[severity],
        containment_completed=False, root_cause_verified=False, verified_effective=False,
        scrap_cost=Decimal("0.00"), rework_cost=Decimal("0.00"), sorting_cost=Decimal("0.00"), total_cost=Decimal("0.00"),
        ncr_status="open", attachment_urls=[], created_at=now, updated_at=now, **text,
    )


def create_ncr_from_inspection(ctx: ServiceContext, inspection_id: str) -> dict[str, Any]:
    """The NCR of a failed MES inspection, created once: a second call returns the same NCR.

    The NCR is found again by its source (source_type 'mes_inspection', source_document_id =
    inspection id) or by the NCR number the inspection already carries; the inspection's
    ncr_number is written back in genims_manufacturing_db after the NCR is committed, and repaired
    by a rerun if a crash came in between.
    """
    ctx.require(QMS, "write", "Creating an NCR from an inspection")
    with at_field("inspection_id"):
        inspection_id = require_text(inspection_id, "Inspection id", 50)
        with ctx.read(MFG) as conn:
            insp = fetch_one(conn, QualityInspections, inspection_id, "MES quality inspection")
    if (insp["inspection_result"] or "").lower() not in FAILED_RESULTS:
        raise DomainError(
            f"Inspection {inspection_id} has result {insp['inspection_result'] or 'none'}; only a failed inspection raises an NCR.",
            field="inspection_id")
    created = False
    with ctx.read(QMS) as conn:
        existing = conn.execute(
            select(NcrHeaders.__table__).where(or_(
                and_(NcrHeaders.source_type == "mes_inspection", NcrHeaders.source_document_id == inspection_id),
                NcrHeaders.ncr_id == (insp["ncr_number"] or "")))
        ).first()
    if existing is not None:
        ncr = dict(existing._mapping)
    else:
        defects = int(insp["defects_found"] or 0)
        severity = "critical" if (insp["critical_defects"] or 0) else ("major" if (insp["major_defects"] or 0) else "minor")
        values = _validated_new_ncr(
            ctx, defect_description=(insp["notes"] or f"{insp['inspection_type'] or 'Quality'} inspection failed")
            + f" (inspection {inspection_id})", quantity_defective=max(defects, 1), defect_type="inspection_failure",
            defect_severity=severity, quantity_inspected=insp["sample_size"] if (insp["sample_size"] or 0) >= max(defects, 1) else None,
            unit_of_measure="EA", source_type="mes_inspection", source_document_id=inspection_id,
            detected_by=insp["inspector_id"], detection_location="in_process", material_id=None,
            product_id=insp["product_id"], supplier_id=None, purchase_order_id=None, customer_id=None, sales_order_id=None,
            batch_number=insp["batch_number"], lot_number=insp["lot_number"],
        )
        if insp["inspection_date"]:
            values["detected_date"] = insp["inspection_date"].date() if isinstance(insp["inspection_date"], dt.datetime) else insp["inspection_date"]
        ncr_id = ctx.next_key("NCR", NcrHeaders.__table__, "ncr_id", QMS)
        values.update(ncr_id=ncr_id, ncr_number=ncr_id)
        with ctx.transaction(QMS) as conn:
            # Re-check inside the transaction: another process may have raised it meanwhile.
            again = conn.execute(select(NcrHeaders.ncr_id).where(
                NcrHeaders.source_type == "mes_inspection", NcrHeaders.source_document_id == inspection_id)).first()
            if again is None:
                conn.execute(insert(NcrHeaders.__table__).values(**values))
                log_id = ctx.next_key("QMSLOG", QmsIntegrationLog.__table__, "log_id", QMS)
                conn.execute(insert(QmsIntegrationLog.__table__).values(
                    log_id=log_id, log_timestamp=ctx.now(), integration_type="mes_inspection_to_ncr", source_system="MES",
                    target_system="QMS", source_document_id=inspection_id, target_document_id=ncr_id,
                    integration_status="success", error_message=None,
                    integration_data={"defects_found": defects, "severity": severity}))
                ctx.audit("ncr.create_from_inspection", QMS, "ncr", ncr_id,
                          after=key_fields(values, KEY_FIELDS + ("source_type", "source_document_id")))
                created = True
        with ctx.read(QMS) as conn:
            ncr = dict(conn.execute(select(NcrHeaders.__table__).where(
                NcrHeaders.source_type == "mes_inspection", NcrHeaders.source_document_id == inspection_id)).first()._mapping)
    if insp["ncr_number"] != ncr["ncr_id"]:
        with ctx.transaction(MFG) as conn:
            conn.execute(update(QualityInspections.__table__).where(QualityInspections.inspection_id == inspection_id)
                         .values(ncr_number=ncr["ncr_id"]))
            ctx.audit("inspection.link_ncr", MFG, "quality_inspection", inspection_id,
                      before={"ncr_number": insp["ncr_number"]}, after={"ncr_number": ncr["ncr_id"]})
    ncr["created"] = created
    return ncr


def integrate_failed_inspections(ctx: ServiceContext, limit: int = 10) -> dict[str, Any]:
    """The QMS daemon's rule: failed MES inspections without an NCR get one (bounded per cycle)."""
    ctx.require(QMS, "write", "Raising NCRs from failed inspections")
    with ctx.read(QMS) as conn:
        linked = {r for (r,) in conn.execute(select(NcrHeaders.source_document_id).where(NcrHeaders.source_type == "mes_inspection"))}
        ncr_ids = {r for (r,) in conn.execute(select(NcrHeaders.ncr_id))}
    with ctx.read(MFG) as conn:
        rows = conn.execute(
            select(QualityInspections.inspection_id, QualityInspections.ncr_number)
            .where(func.lower(QualityInspections.inspection_result).in_(FAILED_RESULTS))
            .order_by(QualityInspections.inspection_date, QualityInspections.inspection_id)).all()
    pending = [i for i, n in rows if i not in linked and (not n or n not in ncr_ids)][:limit]
    created = [create_ncr_from_inspection(ctx, i)["ncr_id"] for i in pending]
    return {"checked": len(rows), "created": created}


# -- the workflow ------------------------------------------------------------------------------------


def transition_ncr(ctx: ServiceContext, ncr_id: str, target: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """Move an NCR to `target`, recording `fields`; returns the updated NCR."""
    fields = dict(fields or {})
    target_text = "" if target is None else str(target).strip().lower()
    ctx.require(QMS, "write", "Changing an NCR")
    if target_text not in STATES:
        raise DomainError(f"{target!r} is not an NCR state; the states are {', '.join(STATES)}.")
    if target_text in CAPABILITY_FOR:
        ctx.require_capability(CAPABILITY_FOR[target_text], _capability_action(target_text))
    with ctx.read(QMS) as conn:
        ncr = fetch_one(conn, NcrHeaders, ncr_id, "NCR", "`genims ncr list` shows them.")
        capas = _linked_capas(conn, ncr_id)
        open_actions = _open_actions(conn, [c["capa_id"] for c in capas if c["capa_status"] != "cancelled"])
    current = ncr["ncr_status"]
    if target_text not in allowed_next(current):
        raise DomainError(f"{ncr_id} is {current}; it cannot move to {target_text} ({_describe_allowed(current)}).")
    changes, new_capa = _validate_transition(ctx, ncr, target_text, fields, capas, open_actions)
    return _apply(ctx, ncr, target_text, changes, new_capa, audit_action="ncr.transition")


def record_ncr_costs(ctx: ServiceContext, ncr_id: str, scrap_cost: Any = None, rework_cost: Any = None,
                     sorting_cost: Any = None) -> dict[str, Any]:
    """Record costs without changing the state; total_cost is their sum."""
    ctx.require(QMS, "write", "Recording NCR costs")
    with ctx.read(QMS) as conn:
        ncr = fetch_one(conn, NcrHeaders, ncr_id, "NCR")
    if ncr["ncr_status"] in TERMINAL:
        raise DomainError(f"{ncr_id} is {ncr['ncr_status']}; its costs can no longer change.")
    given = {k: v for k, v in (("scrap_cost", scrap_cost), ("rework_cost", rework_cost), ("sorting_cost", sorting_cost)) if v is not None}
    if not given:
        raise DomainError("Give at least one of scrap_cost, rework_cost, sorting_cost.")
    changes = _costs(ncr, given)
    return _apply(ctx, ncr, ncr["ncr_status"], changes, None, audit_action="ncr.costs")


def _capability_action(target: str) -> str:
    return {"capa": "Recording an NCR disposition", "closed": "Closing an NCR", "cancelled": "Cancelling an NCR"}[target]


def _open_actions(conn, capa_ids: list[str]) -> list[dict[str, Any]]:
    if not capa_ids:
        return []
    return [dict(r._mapping) for r in conn.execute(
        select(CapaActions.action_id, CapaActions.capa_id, CapaActions.action_status)
        .where(CapaActions.capa_id.in_(capa_ids),
               or_(CapaActions.action_status.is_(None), CapaActions.action_status.notin_(("completed", "cancelled")))))]


def _costs(ncr: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in COSTS:
        if name in fields:
            with at_field(name):
                changes[name] = to_decimal(fields[name], name.replace("_", " ").capitalize(), minimum=Decimal(0), places=2,
                                           maximum=Decimal("9999999999999.99"))
    if changes:
        merged = {n: changes.get(n, ncr.get(n)) for n in COSTS}
        changes["total_cost"] = money(sum((money(v) for v in merged.values()), Decimal(0)))
    return changes


def _validate_transition(ctx, ncr, target, fields, capas, open_actions):
    """The column changes of a legal transition, or a DomainError; reads nothing, writes nothing."""
    accepted = set(FIELDS_FOR[target]) | (set(COSTS) if target != "cancelled" else set())
    unknown = sorted(set(fields) - accepted)
    if unknown:
        raise DomainError(
            f"Field(s) {', '.join(unknown)} cannot be set when moving to {target}.",
            f"Accepted: {', '.join(sorted(accepted)) or 'none'}.")
    changes: dict[str, Any] = _costs(ncr, fields)
    today = ctx.today()
    ncr_id = ncr["ncr_id"]
    new_capa = None

    def merged(name):
        return changes[name] if name in changes else ncr.get(name)

    if "containment_action" in fields:
        with at_field("containment_action"):
            changes["containment_action"] = require_text(fields["containment_action"], "Containment action", 4000)
    if "priority" in fields:
        with at_field("priority"):
            changes["priority"] = choice(fields["priority"], "Priority", ("high", "medium", "low"))
    if "root_cause_method" in fields:
        with at_field("root_cause_method"):
            changes["root_cause_method"] = choice(fields["root_cause_method"], "Root cause method", ROOT_CAUSE_METHODS)
    if "root_cause_description" in fields:
        with at_field("root_cause_description"):
            changes["root_cause_description"] = require_text(fields["root_cause_description"], "Root cause description", 4000)
    if "root_cause_verified" in fields:
        with at_field("root_cause_verified"):
            changes["root_cause_verified"] = to_bool(fields["root_cause_verified"], "root_cause_verified")

    if target == "containment":
        if not (merged("containment_action") or "").strip():
            raise DomainError(f"{ncr_id} needs a containment action before it leaves open.",
                              "Give --field containment_action='Quarantine the lot'.", field="containment_action")
    elif target == "investigation":
        if not (merged("containment_action") or "").strip():
            raise DomainError(f"{ncr_id} has no containment action.", "Give --field containment_action=...",
                              field="containment_action")
        changes.update(containment_completed=True, containment_date=ncr.get("containment_date") or today)
    elif target == "disposition":
        missing = [n for n in ("root_cause_method", "root_cause_description") if not merged(n)]
        if missing:
            raise DomainError(f"{ncr_id} needs its root cause before disposition: {', '.join(missing)} missing.",
                              f"root_cause_method is one of {', '.join(ROOT_CAUSE_METHODS)}.", field=missing[0])
    elif target == "capa" and ncr["ncr_status"] == "verification":
        # back from verification: the fix did not work
        changes["verified_effective"] = False
        if "reason" in fields:
            with at_field("reason"):
                note = require_text(fields["reason"], "Reason", 1000)
            changes["disposition_notes"] = _append(ncr.get("disposition_notes"), f"Verification failed: {note}")
        for name in ("disposition", "disposition_quantity", "disposition_notes", "capa_id", "capa_owner", "capa_due",
                     "capa_actions_planned"):
            if name in fields and name != "disposition_notes":
                raise DomainError(f"{name} cannot be changed when sending {ncr_id} back to capa.")
    elif target == "capa":
        with at_field("disposition"):
            disp = choice(fields.get("disposition", ncr.get("disposition")), "Disposition", DISPOSITIONS)
        raw_qty = fields.get("disposition_quantity", ncr.get("disposition_quantity"))
        if raw_qty in (None, ""):
            raise DomainError(f"{ncr_id} needs a disposition quantity.", "Give --field disposition_quantity=12.",
                              field="disposition_quantity")
        with at_field("disposition_quantity"):
            qty = to_decimal(raw_qty, "Disposition quantity", positive=True)
        if ncr.get("quantity_defective") is not None and qty > ncr["quantity_defective"]:
            raise DomainError(f"Disposition quantity {qty} is more than the {ncr['quantity_defective']} defective.",
                              field="disposition_quantity")
        if disp == "return_to_supplier" and not ncr.get("supplier_id"):
            raise DomainError(f"{ncr_id} has no supplier; it cannot be returned to one.", "Choose scrap, rework, use_as_is or mrb.",
                              field="disposition")
        changes.update(disposition=disp, disposition_quantity=qty)
        if "disposition_notes" in fields:
            with at_field("disposition_notes"):
                changes["disposition_notes"] = require_text(fields["disposition_notes"], "Disposition notes", 4000)
        if "reason" in fields:
            raise DomainError("reason is only for sending an NCR back from verification.", field="reason")
        live = [c for c in capas if c["capa_status"] != "cancelled"]
        if "capa_id" in fields:
            with at_field("capa_id"):
                cid = require_text(fields["capa_id"], "CAPA id", 50)
            if not any(c["capa_id"] == cid for c in live):
                new_capa = {"link": cid}
        elif not live:
            with at_field("capa_due"):
                due = to_date(fields["capa_due"], "CAPA due date") if fields.get("capa_due") else today + dt.timedelta(days=30)
            if due < today:
                raise DomainError(f"The CAPA due date {due} is in the past.", field="capa_due")
            with at_field("capa_actions_planned"):
                planned = require_text(fields.get("capa_actions_planned"), "CAPA actions planned", 4000, required=False)
            with at_field("capa_owner"):
                owner = require_text(fields.get("capa_owner"), "CAPA owner", 50, required=False)
            new_capa = {
                "action_type": "corrective", "initiated_from": "ncr", "source_document_id": ncr_id,
                "problem_description": ncr.get("defect_description"), "problem_severity": ncr.get("defect_severity"),
                "immediate_actions": merged("containment_action"), "immediate_actions_completed": bool(ncr.get("containment_completed")),
                "root_cause_analysis": merged("root_cause_description"), "root_cause_method": merged("root_cause_method"),
                "root_cause_identified": True,
                "actions_planned": planned,
                "responsible_person": owner,
                "target_completion_date": due, "capa_status": "open", "verification_completed": False,
                "effectiveness_verified": False,
            }
    elif target == "verification":
        live = [c for c in capas if c["capa_status"] != "cancelled"]
        if not live:
            raise DomainError(f"{ncr_id} has no CAPA linked; verification checks a CAPA's effect.")
        if open_actions:
            names = ", ".join(f"{a['action_id']} ({a['action_status'] or 'open'})" for a in open_actions[:5])
            raise DomainError(f"{ncr_id} cannot move to verification while CAPA actions are open: {names}.",
                              "Complete them first.")
    elif target == "closed":
        live = [c for c in capas if c["capa_status"] != "cancelled"]
        if "verified_effective" in fields:
            with at_field("verified_effective"):
                effective = to_bool(fields["verified_effective"], "verified_effective")
        else:
            effective = bool(live) and all(c["effectiveness_verified"] for c in live)
        if not effective:
            raise DomainError(f"{ncr_id} can only close once verified effective.",
                              "Verify the CAPA's effectiveness, or give --field verified_effective=true.")
        changes.update(verified_effective=True, verification_date=today, verified_by=ctx.user.user_id,
                       closed_date=today, closed_by=ctx.user.user_id)
    elif target == "cancelled":
        with at_field("reason"):
            reason = require_text(fields.get("reason"), "Reason for cancelling", 1000)
        changes.update(closed_date=today, closed_by=ctx.user.user_id,
                       disposition_notes=_append(ncr.get("disposition_notes"), f"Cancelled: {reason}"))
    return changes, new_capa


def _append(old: str | None, note: str) -> str:
    return f"{old}\n{note}" if old else note


def _apply(ctx, ncr, target, changes, new_capa, audit_action):
    ncr_id, current = ncr["ncr_id"], ncr["ncr_status"]
    capa_id = None
    if new_capa and "link" not in new_capa:
        capa_id = ctx.next_key("CAPA", CapaHeaders.__table__, "capa_id", QMS)
    now = ctx.now()
    with ctx.transaction(QMS) as conn:
        if new_capa and "link" in new_capa:
            capa = fetch_one(conn, CapaHeaders, new_capa["link"], "CAPA", lock=True)
            if capa["capa_status"] in ("closed", "cancelled"):
                raise DomainError(f"CAPA {capa['capa_id']} is {capa['capa_status']}; link an open CAPA.")
            if capa["source_document_id"] not in (None, ncr_id) or (capa["initiated_from"] not in (None, "ncr")):
                raise DomainError(f"CAPA {capa['capa_id']} belongs to {capa['initiated_from']} {capa['source_document_id']}.")
            conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.capa_id == capa["capa_id"])
                         .values(source_document_id=ncr_id, initiated_from="ncr", updated_at=now))
            capa_id = capa["capa_id"]
        elif new_capa:
            conn.execute(insert(CapaHeaders.__table__).values(capa_id=capa_id, capa_number=capa_id, created_at=now,
                                                              updated_at=now, **new_capa))
            ctx.audit("capa.create", QMS, "capa", capa_id, after={"source_document_id": ncr_id, "capa_status": "open"})
        values = dict(changes, ncr_status=target, updated_at=now)
        result = conn.execute(update(NcrHeaders.__table__)
                              .where(NcrHeaders.ncr_id == ncr_id, NcrHeaders.ncr_status == current).values(**values))
        if result.rowcount != 1:
            raise DomainError(f"{ncr_id} was changed by someone else meanwhile; nothing was changed.", "Try again.")
        after = dict(ncr, **values)
        ctx.audit(audit_action, QMS, "ncr", ncr_id, before=key_fields(ncr, KEY_FIELDS), after=key_fields(after, KEY_FIELDS),
                  detail=f"{current} -> {target}" + (f"; CAPA {capa_id}" if capa_id else ""))
    after["allowed_next"] = list(allowed_next(target))
    if capa_id:
        after["capa_id"] = capa_id
    return after


def close_ncr_from_capa(ctx: ServiceContext, conn, ncr_id: str, capa_ids_verified: set[str]) -> str | None:
    """Inside the caller's genims_quality_db transaction: move an NCR whose CAPAs are all verified
    effective (and closed) through verification to closed. Returns the state it ended in, or None
    when it could not move (not in capa/verification, or another CAPA still open)."""
    ncr = conn.execute(select(NcrHeaders.__table__).where(NcrHeaders.ncr_id == ncr_id)).first()
    if ncr is None:
        return None
    ncr = dict(ncr._mapping)
    if ncr["ncr_status"] not in ("capa", "verification"):
        return None
    capas = [c for c in _linked_capas(conn, ncr_id) if c["capa_status"] != "cancelled"]
    if not capas or not all(c["effectiveness_verified"] and (c["capa_status"] == "closed" or c["capa_id"] in capa_ids_verified)
                            for c in capas):
        return None
    today, now = ctx.today(), ctx.now()
    values = dict(ncr_status="closed", verified_effective=True, verification_date=today, verified_by=ctx.user.user_id,
                  closed_date=today, closed_by=ctx.user.user_id, updated_at=now)
    res = conn.execute(update(NcrHeaders.__table__)
                       .where(NcrHeaders.ncr_id == ncr_id, NcrHeaders.ncr_status == ncr["ncr_status"]).values(**values))
    if res.rowcount != 1:
        return None
    ctx.audit("ncr.transition", QMS, "ncr", ncr_id, before=key_fields(ncr, KEY_FIELDS),
              after=key_fields(dict(ncr, **values), KEY_FIELDS),
              detail=f"{ncr['ncr_status']} -> closed (CAPA verified effective: {', '.join(sorted(c['capa_id'] for c in capas))})")
    return "closed"


__all__ = [
    "STATES", "TRANSITIONS", "DISPOSITIONS", "ROOT_CAUSE_METHODS", "allowed_next", "list_ncrs", "get_ncr", "create_ncr",
    "create_ncr_from_inspection", "integrate_failed_inspections", "transition_ncr", "record_ncr_costs",
    "close_ncr_from_capa",
]
