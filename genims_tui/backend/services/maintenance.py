"""Maintenance (CMMS) services: the work order lifecycle, technician assignment and spare part issues.

The work order lifecycle is an explicit state machine on `work_orders.wo_status`:

    created -> planned -> scheduled -> assigned -> in_progress -> completed -> closed
    (any open state: created .. in_progress) -> cancelled   (with a reason)

Each step needs its own fields (on the work order already, or given with the step) and its own
permission (see `TRANSITION_RULES`); every accepted step appends to `status_history`; an illegal
step is refused naming the allowed next states. Preventive work order generation, corrective work
orders from machine faults and MTBF / MTTR live in `maintenance_planning` (re-exported here).

Every function takes a `ServiceContext`, checks permission first, validates, writes in one
transaction on genims_maintenance_db, audits, and raises a `DomainError` with nothing changed when
it refuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, text, update

from ..errors import DomainError, NotFound
from ..models.maintenance import (
    LaborTimeEntries,
    MaintenanceTechnicians,
    MroParts,
    MroPartsTransactions,
    WorkOrders,
)
from .base import ServiceContext, require_text, to_decimal

MNT = "genims_maintenance_db"
OPS = "genims_operations_db"

C2 = Decimal("0.01")
Q4 = Decimal("0.0001")

# -- the state machine ------------------------------------------------------------------------------

LIFECYCLE = ("created", "planned", "scheduled", "assigned", "in_progress", "completed", "closed")
STATES = (*LIFECYCLE, "cancelled")
OPEN_STATES = ("created", "planned", "scheduled", "assigned", "in_progress")
FINAL_STATES = ("closed", "cancelled")

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "created": ("planned", "cancelled"),
    "planned": ("scheduled", "cancelled"),
    "scheduled": ("assigned", "cancelled"),
    "assigned": ("in_progress", "cancelled"),
    "in_progress": ("completed", "cancelled"),
    "completed": ("closed",),
    "closed": (),
    "cancelled": (),
}


@dataclass(frozen=True)
class TransitionRule:
    level: str  # access level on genims_maintenance_db
    capability: str | None  # a capability needed on top
    required: tuple[str, ...]  # fields that must be set (given now, or on the work order already)
    optional: tuple[str, ...] = ()


TRANSITION_RULES: dict[str, TransitionRule] = {
    "planned": TransitionRule("write", None, ("estimated_duration_hours",), ("estimated_cost",)),
    "scheduled": TransitionRule("write", None, ("scheduled_start_date", "scheduled_end_date")),
    "assigned": TransitionRule("write", None, ("assigned_to",)),
    "in_progress": TransitionRule("write", None, ("actual_start_date",)),
    "completed": TransitionRule("write", None, ("work_performed", "actual_end_date"), ("root_cause", "corrective_action")),
    "closed": TransitionRule("write", "maintenance.approve", (), ("verification_notes",)),
    # Cancelling drops planned work: a maintenance manager's decision (full access).
    "cancelled": TransitionRule("full", None, ("reason",)),
}

FIELD_ALIASES = {
    "technician": "assigned_to", "technician_id": "assigned_to", "estimated_hours": "estimated_duration_hours",
    "duration": "estimated_duration_hours", "scheduled_start": "scheduled_start_date", "start": "scheduled_start_date",
    "scheduled_end": "scheduled_end_date", "end": "scheduled_end_date", "actual_start": "actual_start_date",
    "actual_end": "actual_end_date", "notes": "verification_notes", "cancel_reason": "reason",
}

PRIORITY_ORDER = {"critical": 0, "urgent": 0, "emergency": 0, "high": 1, "medium": 2, "normal": 2, "low": 3}
UNAVAILABLE_TECHNICIAN = {"inactive", "terminated", "on_leave", "leave", "suspended", "retired"}

# Key fields reported by the list and by every transition.
WO_FIELDS = (
    "work_order_id", "work_order_number", "asset_id", "wo_type", "priority", "wo_status", "description",
    "assigned_to", "estimated_duration_hours", "scheduled_start_date", "scheduled_end_date", "actual_start_date",
    "actual_end_date", "actual_duration_hours", "actual_labor_cost", "actual_parts_cost", "actual_total_cost",
    "source_type", "source_document_id", "machine_fault_id", "created_at", "updated_at",
)


def normalize_state(state: str) -> str:
    key = str(state or "").strip().lower().replace("-", "_").replace(" ", "_")
    if key == "canceled":
        key = "cancelled"
    if key not in STATES:
        raise DomainError(f"{state!r} is not a work order state.", f"States: {', '.join(STATES)}.")
    return key


def allowed_next(state: str | None) -> tuple[str, ...]:
    return TRANSITIONS.get(state or "", ())


def may_transition(user, to_state: str) -> bool:
    """Whether `user`'s roles allow moving a work order to `to_state` (for screens hiding actions)."""
    rule = TRANSITION_RULES[normalize_state(to_state)]
    return user.can(MNT, rule.level) and (rule.capability is None or user.has(rule.capability))


# -- small helpers ----------------------------------------------------------------------------------


def lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def write_lock(conn: Connection, name: str) -> None:
    """Serialize writers of `name`: a transaction-scoped advisory lock on PostgreSQL; on SQLite, take
    the database's write lock now (a no-op UPDATE), so every read after it sees the latest data and no
    other writer can commit in between."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})
    else:
        conn.execute(text("UPDATE work_orders SET wo_status = wo_status WHERE 0 = 1"))


def to_date(value: Any, field_name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    try:
        return dt.datetime.fromisoformat(raw).date() if "T" in raw else dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"{field_name} must be a date like 2026-11-20; {value!r} is not.") from None


def to_datetime(value: Any, field_name: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        raw = str(value).strip().replace(" ", "T", 1)
        try:
            moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise DomainError(f"{field_name} must be a date-time like 2026-11-20T08:30 (UTC); {value!r} is not.") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    return (Decimal(int((end - start).total_seconds())) / Decimal(3600)).quantize(C2)


def wo_summary(row: Any) -> dict[str, Any]:
    data = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    return {k: data.get(k) for k in WO_FIELDS}


def _user_tag(ctx: ServiceContext) -> str:
    return ctx.user.user_id[:50]


def _load_wo(conn: Connection, work_order_id: str) -> Any:
    wo_id = require_text(work_order_id, "Work order", 50)
    row = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == wo_id).with_for_update()).first()
    if row is None:
        raise NotFound(f"There is no maintenance work order {wo_id}.", "`genims maintenance wo list` shows them.")
    return row


def _active_technician(conn: Connection, technician_id: Any) -> Any:
    tech_id = require_text(technician_id, "Technician", 50)
    tech = conn.execute(select(MaintenanceTechnicians).where(MaintenanceTechnicians.technician_id == tech_id)).first()
    if tech is None:
        raise NotFound(f"There is no maintenance technician {tech_id}.", "Assign one of maintenance_technicians.",
                       field="assigned_to")
    status = (tech.technician_status or "").lower()
    if tech.is_active is False or status in UNAVAILABLE_TECHNICIAN:
        raise DomainError(
            f"Technician {tech_id} is not active (status {tech.technician_status or 'inactive'}); "
            "work can only be assigned to an active technician.", field="assigned_to"
        )
    return tech


def _parse_fields(to_state: str, fields: Mapping[str, Any] | None) -> dict[str, Any]:
    rule = TRANSITION_RULES[to_state]
    accepted = (*rule.required, *rule.optional)
    parsed: dict[str, Any] = {}
    for raw_key, value in (fields or {}).items():
        key = FIELD_ALIASES.get(str(raw_key).strip().lower(), str(raw_key).strip().lower())
        if key not in accepted:
            raise DomainError(
                f"The field {raw_key!r} cannot be set when moving a work order to {to_state}.",
                f"Fields for {to_state}: {', '.join(accepted)}." if accepted else f"{to_state} takes no fields.",
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "estimated_duration_hours":
            parsed[key] = to_decimal(value, "Estimated duration (hours)", positive=True, places=2, maximum=Decimal("999999.99"))
        elif key == "estimated_cost":
            parsed[key] = to_decimal(value, "Estimated cost", minimum=Decimal(0), places=2, maximum=Decimal("9999999999.99"))
        elif key in ("scheduled_start_date", "scheduled_end_date"):
            parsed[key] = to_date(value, key.replace("_", " ").capitalize())
        elif key in ("actual_start_date", "actual_end_date"):
            parsed[key] = to_datetime(value, key.replace("_", " ").capitalize())
        elif key == "assigned_to":
            parsed[key] = require_text(value, "Technician", 50)
        elif key == "reason":
            parsed[key] = require_text(value, "Reason", 500)
        else:  # free text
            parsed[key] = require_text(value, key.replace("_", " ").capitalize(), 4000)
    return parsed


# -- the lifecycle ----------------------------------------------------------------------------------


def transition_work_order(
    ctx: ServiceContext, work_order_id: str, to_state: str, fields: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Move a work order to `to_state`, setting `fields` (see TRANSITION_RULES). Returns its key fields."""
    ctx.require(MNT, "write", "Moving a maintenance work order along its lifecycle")
    target = normalize_state(to_state)
    if target == "created":
        raise DomainError("A work order starts as created; no work order can move back to created.",
                          f"From created it can move to: {', '.join(TRANSITIONS['created'])}.")
    rule = TRANSITION_RULES[target]
    action = f"Moving a maintenance work order to {target}"
    ctx.require(MNT, rule.level, action)
    if rule.capability:
        ctx.require_capability(rule.capability, "Closing (approving) a maintenance work order")
    parsed = _parse_fields(target, fields)
    with ctx.transaction(MNT) as conn:
        write_lock(conn, f"mnt.wo.{work_order_id}")
        wo = _load_wo(conn, work_order_id)
        result = _apply(ctx, conn, wo, target, parsed)
    return result


def _apply(ctx: ServiceContext, conn: Connection, wo: Any, target: str, given: dict[str, Any]) -> dict[str, Any]:
    """Check and apply one transition of a loaded (locked) work order; raises before writing anything."""
    current = wo.wo_status
    wo_id = wo.work_order_id
    if current not in TRANSITIONS:
        raise DomainError(f"{wo_id} has the unknown status {current!r}; it cannot be moved.",
                          f"Known states: {', '.join(STATES)}.")
    nexts = TRANSITIONS[current]
    if target not in nexts:
        if not nexts:
            raise DomainError(f"{wo_id} is {current}, a final state; it cannot move to {target}.")
        raise DomainError(f"{wo_id} is {current}; it cannot move to {target}.",
                          f"Allowed next: {', '.join(nexts)}.")
    rule = TRANSITION_RULES[target]
    now = ctx.now()
    values: dict[str, Any] = {k: v for k, v in given.items() if k != "reason"}
    merged = {**dict(wo._mapping), **values}
    missing = [f for f in rule.required if f != "reason" and merged.get(f) in (None, "")]
    if "reason" in rule.required and not given.get("reason"):
        missing.append("reason")
    if missing:
        raise DomainError(
            f"Moving {wo_id} to {target} needs {', '.join(missing)}.",
            "Give " + " ".join(f"--field {m}=..." for m in missing) + " (or set them on the work order).",
        )
    entry: dict[str, Any] = {"status": target, "from": current, "at": now.isoformat(), "by": _user_tag(ctx)}

    if target == "planned":
        if Decimal(merged["estimated_duration_hours"]) <= 0:
            raise DomainError(f"The estimated duration of {wo_id} must be more than 0 hours.")
    elif target == "scheduled":
        start, end = merged["scheduled_start_date"], merged["scheduled_end_date"]
        if end < start:
            raise DomainError(f"The scheduled end ({end}) of {wo_id} is before its scheduled start ({start}).")
    elif target == "assigned":
        technician = _active_technician(conn, merged["assigned_to"])
        values["assigned_to"] = technician.technician_id
        entry["technician"] = technician.technician_id
    elif target == "in_progress":
        start = merged["actual_start_date"]
        if start > now:
            raise DomainError(f"The actual start ({start:%Y-%m-%d %H:%M}) of {wo_id} is in the future (now {now:%Y-%m-%d %H:%M} UTC).")
        values["actual_start_date"] = start
    elif target == "completed":
        start, end = merged.get("actual_start_date"), merged["actual_end_date"]
        if start is None:
            raise DomainError(f"{wo_id} has no actual start; it must have been started to be completed.")
        if end < start:
            raise DomainError(f"The actual end ({end:%Y-%m-%d %H:%M}) of {wo_id} is before its actual start ({start:%Y-%m-%d %H:%M}).")
        if end > now:
            raise DomainError(f"The actual end ({end:%Y-%m-%d %H:%M}) of {wo_id} is in the future (now {now:%Y-%m-%d %H:%M} UTC).")
        labor, parts = rolled_up_costs(conn, wo_id)
        values.update(
            actual_duration_hours=hours_between(start, end), actual_labor_cost=labor, actual_parts_cost=parts,
            actual_total_cost=(labor + parts).quantize(C2), completed_at=end,
            completed_by=(merged.get("assigned_to") or _user_tag(ctx)),
        )
        entry["cost"] = str(values["actual_total_cost"])
    elif target == "closed":
        values.update(approved_by=_user_tag(ctx), approved_at=now, verified_by=_user_tag(ctx), verified_at=now)
    elif target == "cancelled":
        entry["reason"] = given["reason"]

    history = list(wo.status_history or []) if isinstance(wo.status_history, list) else []
    history.append(entry)
    values.update(wo_status=target, status_history=history, updated_at=now)
    done = conn.execute(
        update(WorkOrders).where(WorkOrders.work_order_id == wo_id, WorkOrders.wo_status == current).values(**values)
    )
    if done.rowcount != 1:
        raise DomainError(f"{wo_id} was changed by someone else meanwhile; nothing was changed.", "Reload and try again.")
    _update_technician(conn, wo, target, merged.get("assigned_to"), now)
    changed = sorted(k for k in values if k not in ("status_history", "updated_at"))
    before = {k: wo._mapping[k] for k in changed}
    after = {k: values[k] for k in changed}
    ctx.audit(f"maintenance.wo.{target}", MNT, "work_order", wo_id, before=before, after=after,
              detail=given.get("reason"))
    row = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == wo_id)).first()
    return wo_summary(row)


def _update_technician(conn: Connection, wo: Any, target: str, tech_id: str | None, now: dt.datetime) -> None:
    """Keep the technician's current work order and status in step with the work order."""
    if not tech_id:
        return
    tech = MaintenanceTechnicians
    if target == "in_progress":
        conn.execute(update(tech).where(tech.technician_id == tech_id)
                     .values(current_wo_id=wo.work_order_id, technician_status="busy", updated_at=now))
    elif target in ("completed", "cancelled"):
        values: dict[str, Any] = {"updated_at": now}
        if target == "completed":
            values["total_wos_completed"] = func.coalesce(tech.total_wos_completed, 0) + 1
        conn.execute(update(tech).where(tech.technician_id == tech_id).values(**values))
        conn.execute(update(tech).where(tech.technician_id == tech_id, tech.current_wo_id == wo.work_order_id)
                     .values(current_wo_id=None, technician_status="available"))


def rolled_up_costs(conn: Connection, work_order_id: str) -> tuple[Decimal, Decimal]:
    """Labour cost (labor_time_entries) and parts cost (issues less returns) of a work order."""
    labor = Decimal(0)
    for cost, hours, rate in conn.execute(
        select(LaborTimeEntries.labor_cost, LaborTimeEntries.duration_hours, LaborTimeEntries.hourly_rate)
        .where(LaborTimeEntries.work_order_id == work_order_id)
    ):
        if cost is not None:
            labor += Decimal(cost)
        elif hours is not None and rate is not None:
            labor += Decimal(hours) * Decimal(rate)
    parts = Decimal(0)
    for kind, total in conn.execute(
        select(MroPartsTransactions.transaction_type, MroPartsTransactions.total_cost)
        .where(MroPartsTransactions.work_order_id == work_order_id)
    ):
        if total is None:
            continue
        if kind == "issue":
            parts += abs(Decimal(total))
        elif kind == "return":
            parts -= abs(Decimal(total))
    return labor.quantize(C2), parts.quantize(C2)


# -- reading ----------------------------------------------------------------------------------------


def list_work_orders(
    ctx: ServiceContext, status: str | None = None, asset_id: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Work orders, newest first, with their key fields and the states they may move to next."""
    ctx.require(MNT, "read", "Listing maintenance work orders")
    if limit < 1 or limit > 100_000:
        raise DomainError(f"The limit must be between 1 and 100000 (got {limit}).")
    query = select(WorkOrders).order_by(WorkOrders.created_at.desc(), WorkOrders.work_order_id.desc()).limit(limit)
    if status:
        query = query.where(WorkOrders.wo_status == normalize_state(status))
    if asset_id:
        query = query.where(WorkOrders.asset_id == asset_id.strip())
    with ctx.read(MNT) as conn:
        rows = conn.execute(query).all()
    return [{**wo_summary(r), "allowed_next": list(allowed_next(r.wo_status))} for r in rows]


def get_work_order(ctx: ServiceContext, work_order_id: str) -> dict[str, Any]:
    ctx.require(MNT, "read", "Viewing a maintenance work order")
    with ctx.read(MNT) as conn:
        row = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == work_order_id)).first()
    if row is None:
        raise NotFound(f"There is no maintenance work order {work_order_id}.")
    return {**dict(row._mapping), "allowed_next": list(allowed_next(row.wo_status))}


# -- assignment -------------------------------------------------------------------------------------


def assign_technicians(ctx: ServiceContext, work_order_ids: Iterable[str] | None = None, limit: int = 500) -> dict[str, Any]:
    """Assign scheduled, unassigned work orders to available technicians (active, available for
    call-out), each to the one with the fewest open work orders at that moment (ties: technician id),
    most urgent and earliest first. Each is moved scheduled -> assigned. With `work_order_ids`, exactly
    those (each must be scheduled and unassigned, else nothing is changed)."""
    rule = TRANSITION_RULES["assigned"]
    ctx.require(MNT, rule.level, "Assigning technicians to maintenance work orders")
    explicit = None if work_order_ids is None else [require_text(w, "Work order", 50) for w in work_order_ids]
    with ctx.transaction(MNT) as conn:
        write_lock(conn, "mnt.assign")
        if explicit is None:
            candidates = conn.execute(
                select(WorkOrders).where(WorkOrders.wo_status == "scheduled", WorkOrders.assigned_to.is_(None))
                .with_for_update()
            ).all()
        else:
            candidates = []
            for wo_id in dict.fromkeys(explicit):
                wo = _load_wo(conn, wo_id)
                if wo.wo_status != "scheduled" or wo.assigned_to:
                    why = f"is {wo.wo_status}" if wo.wo_status != "scheduled" else f"is assigned to {wo.assigned_to} already"
                    raise DomainError(f"{wo_id} {why}; only scheduled, unassigned work orders can be assigned in a batch.",
                                      "Nothing was assigned.")
                candidates.append(wo)
        candidates.sort(key=lambda w: (PRIORITY_ORDER.get((w.priority or "").lower(), 2),
                                       w.scheduled_start_date or dt.date.max, w.work_order_id))
        candidates = candidates[:limit]
        if not candidates:
            return {"assigned": [], "technicians": 0}
        techs = [
            t for t in conn.execute(select(MaintenanceTechnicians).where(
                MaintenanceTechnicians.is_active.is_(True), MaintenanceTechnicians.available_for_callout.is_(True)))
            if (t.technician_status or "").lower() not in UNAVAILABLE_TECHNICIAN
        ]
        if not techs:
            raise DomainError(f"No technician is available for {len(candidates)} scheduled work order(s); nothing was assigned.",
                              "Mark technicians active and available for call-out.")
        load = {t.technician_id: 0 for t in techs}
        for tech_id, n in conn.execute(
            select(WorkOrders.assigned_to, func.count()).where(
                WorkOrders.wo_status.in_(OPEN_STATES), WorkOrders.assigned_to.in_(list(load)))
            .group_by(WorkOrders.assigned_to)
        ):
            load[tech_id] = n
        assigned = []
        for wo in candidates:
            tech_id = min(load, key=lambda t: (load[t], t))
            result = _apply(ctx, conn, wo, "assigned", {"assigned_to": tech_id})
            load[tech_id] += 1
            assigned.append({"work_order_id": wo.work_order_id, "technician_id": tech_id,
                             "priority": result["priority"], "open_work_orders": load[tech_id]})
    return {"assigned": assigned, "technicians": len(techs)}


# -- spare parts ------------------------------------------------------------------------------------


def issue_part(
    ctx: ServiceContext, work_order_id: str, mro_part_id: str, quantity: Any,
    technician_id: str | None = None, notes: str | None = None,
) -> dict[str, Any]:
    """Issue `quantity` of an MRO part to a work order: stock goes down, an 'issue' transaction is
    recorded (quantity negative, as the seeds record issues), and the parts cost is added to the work
    order. Refused, with nothing changed, for an unknown part or work order, a closed or cancelled work
    order, a quantity that is not positive, or more than is in stock."""
    ctx.require(MNT, "write", "Issuing spare parts to a maintenance work order")
    qty = to_decimal(quantity, "Quantity", positive=True, places=4, maximum=Decimal("99999999999.9999"))
    part_id = require_text(mro_part_id, "Part", 50)
    note = require_text(notes, "Notes", 2000, required=False)
    now = ctx.now()
    with ctx.transaction(MNT) as conn:
        write_lock(conn, f"mnt.part.{part_id}")
        wo = _load_wo(conn, work_order_id)
        if wo.wo_status in FINAL_STATES:
            raise DomainError(f"{wo.work_order_id} is {wo.wo_status}; parts can only be issued to an open or completed work order.")
        part = conn.execute(select(MroParts).where(MroParts.mro_part_id == part_id).with_for_update()).first()
        if part is None:
            raise NotFound(f"There is no MRO part {part_id}.", "Check the part id in mro_parts.")
        if part.is_active is False or (part.part_status or "").lower() in ("obsolete", "inactive", "blocked"):
            raise DomainError(f"Part {part_id} is {part.part_status or 'inactive'}; it cannot be issued.")
        stock = Decimal(part.current_stock or 0)
        unit = part.unit_of_measure or "EA"
        if qty > stock:
            raise DomainError(
                f"Only {stock.normalize():f} {unit} of {part_id} ({part.part_name or 'part'}) in stock; "
                f"{qty.normalize():f} cannot be issued to {wo.work_order_id}.",
                "Issue at most the stock on hand, or receive more first.",
            )
        tech = None
        if technician_id:
            tech = _active_technician(conn, technician_id).technician_id
        elif wo.assigned_to:
            tech = wo.assigned_to
        unit_cost = Decimal(part.standard_cost if part.standard_cost is not None else (part.average_cost or 0))
        total = (qty * unit_cost).quantize(C2)
        new_stock = (stock - qty).quantize(Q4)
        done = conn.execute(
            update(MroParts).where(MroParts.mro_part_id == part_id, MroParts.current_stock >= qty).values(
                current_stock=MroParts.current_stock - qty,
                total_stock_value=(new_stock * unit_cost).quantize(C2),
                last_issue_date=now.date(), updated_at=now,
            )
        )
        if done.rowcount != 1:
            raise DomainError(f"The stock of {part_id} changed meanwhile; nothing was issued.", "Try again.")
        key = ctx.next_key("MROT", MroPartsTransactions.__table__, "transaction_id", MNT, width=7)
        conn.execute(MroPartsTransactions.__table__.insert().values(
            transaction_id=key, transaction_number=f"MT-{key.split('-', 1)[1]}", mro_part_id=part_id,
            transaction_type="issue", transaction_date=now, quantity=-qty, unit_of_measure=unit, unit_cost=unit_cost,
            total_cost=total, work_order_id=wo.work_order_id, asset_id=wo.asset_id, from_location=part.bin_location,
            to_location=wo.asset_id, issued_to=tech, issued_by=_user_tag(ctx), reason_code="WO_ISSUE", notes=note,
            created_at=now,
        ))
        _, parts_cost = rolled_up_costs(conn, wo.work_order_id)
        labor = Decimal(wo.actual_labor_cost or 0)
        conn.execute(update(WorkOrders).where(WorkOrders.work_order_id == wo.work_order_id).values(
            actual_parts_cost=parts_cost, actual_total_cost=(labor + parts_cost).quantize(C2), updated_at=now))
        ctx.audit("maintenance.part.issue", MNT, "mro_part", part_id,
                  before={"current_stock": stock, "wo_parts_cost": wo.actual_parts_cost},
                  after={"current_stock": new_stock, "wo_parts_cost": parts_cost, "work_order_id": wo.work_order_id,
                         "quantity": qty, "transaction_id": key},
                  detail=f"{qty.normalize():f} {unit} to {wo.work_order_id}")
    return {"transaction_id": key, "work_order_id": wo.work_order_id, "mro_part_id": part_id, "quantity": qty,
            "unit_cost": unit_cost, "total_cost": total, "stock_before": stock, "stock_after": new_stock,
            "work_order_parts_cost": parts_cost}


# Planning jobs (PM generation, corrective work orders from faults, reliability) -------------------

_PLANNING = ("compute_reliability", "create_corrective_work_orders", "generate_pm_work_orders")


def __getattr__(name: str) -> Any:
    """`maintenance.generate_pm_work_orders` etc. without a circular import."""
    if name in _PLANNING:
        from . import maintenance_planning

        return getattr(maintenance_planning, name)
    raise AttributeError(name)

__all__ = [
    "STATES", "TRANSITIONS", "TRANSITION_RULES", "allowed_next", "assign_technicians", "compute_reliability",
    "create_corrective_work_orders", "generate_pm_work_orders", "get_work_order", "issue_part", "list_work_orders",
    "may_transition", "normalize_state", "transition_work_order",
]
