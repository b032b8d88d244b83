"""Calibration of measuring equipment, and the MES inspections that depend on it.

- `check_calibration_due`: the QMS daemon rule. Equipment due within 30 days gets a 'due_30_days'
  alert, within 7 days a 'due_7_days' alert, and overdue equipment is locked out
  (locked_out true, equipment_status 'locked_out', an 'overdue' alert). Idempotent: one
  unresolved alert per equipment and type, a lock-out only once.
- `record_calibration`: a calibration_records row, the next due date from the calibration
  frequency, and (when it passed) the equipment back in service with its alerts resolved.
  Putting locked-out equipment back in service needs the capability calibration.unlock.
- `record_inspection`: an MES quality inspection measured with a given instrument; the instrument
  id is stored in measured_values, and the inspection is refused when it is locked out or overdue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update

from ..errors import DomainError, PermissionDenied
from ..models.manufacturing import QualityInspections
from ..models.quality import CalibrationAlerts, CalibrationRecords, MeasuringEquipment
from ._quality_common import MFG, QMS, at_field, choice, fetch_one, to_date
from .base import ServiceContext, require_text, to_decimal

RESULTS = ("pass", "pass_with_adjustment", "fail")
OUT_OF_SERVICE = ("retired", "scrapped", "out_of_service", "lost")
EQUIPMENT_KEY = "measuring_equipment_id"


def calibration_state(next_due: dt.date | None, today: dt.date) -> str:
    """'overdue', 'due_7_days', 'due_30_days' or 'ok' (no due date counts as overdue: never calibrated)."""
    if next_due is None:
        return "overdue"
    days = (next_due - today).days
    if days < 0:
        return "overdue"
    if days <= 7:
        return "due_7_days"
    if days <= 30:
        return "due_30_days"
    return "ok"


def list_equipment(ctx: ServiceContext) -> list[dict[str, Any]]:
    ctx.require(QMS, "read", "Listing measuring equipment")
    today = ctx.today()
    with ctx.read(QMS) as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(MeasuringEquipment.__table__).order_by(MeasuringEquipment.equipment_id))]
    for r in rows:
        r["calibration_state"] = calibration_state(r["next_calibration_due"], today)
    return rows


def check_calibration_due(ctx: ServiceContext) -> dict[str, Any]:
    ctx.require(QMS, "write", "Checking calibration due dates")
    today, now = ctx.today(), ctx.now()
    alerts_created: list[str] = []
    locked: list[str] = []
    with ctx.read(QMS) as conn:
        equipment = [dict(r._mapping) for r in conn.execute(select(MeasuringEquipment.__table__).order_by(MeasuringEquipment.equipment_id))]
        open_alerts = {(a, t) for a, t in conn.execute(
            select(CalibrationAlerts.equipment_id, CalibrationAlerts.alert_type).where(CalibrationAlerts.resolved.isnot(True)))}
    plan = []
    for eq in equipment:
        if (eq["equipment_status"] or "") in OUT_OF_SERVICE:
            continue
        state = calibration_state(eq["next_calibration_due"], today)
        if state == "ok":
            continue
        need_alert = (eq["equipment_id"], state) not in open_alerts
        need_lock = state == "overdue" and not (eq["locked_out"] and eq["equipment_status"] == "locked_out")
        if need_alert or need_lock:
            plan.append((eq, state, need_alert, need_lock))
    for eq, state, need_alert, need_lock in plan:
        alert_id = ctx.next_key("CALA", CalibrationAlerts.__table__, "alert_id", QMS) if need_alert else None
        with ctx.transaction(QMS) as conn:
            if need_alert:
                due = eq["next_calibration_due"]
                conn.execute(insert(CalibrationAlerts.__table__).values(
                    alert_id=alert_id, equipment_id=eq["equipment_id"], alert_type=state, alert_date=today,
                    days_until_due=(due - today).days if due else None, notification_sent=False,
                    notified_users=[eq["responsible_person"]] if eq["responsible_person"] else [], resolved=False,
                    created_at=now))
                alerts_created.append(alert_id)
            if need_lock:
                reason = (f"Calibration overdue since {eq['next_calibration_due'].isoformat()}" if eq["next_calibration_due"]
                          else "Never calibrated")
                conn.execute(update(MeasuringEquipment.__table__).where(MeasuringEquipment.equipment_id == eq["equipment_id"])
                             .values(locked_out=True, equipment_status="locked_out", lockout_reason=reason, updated_at=now))
                locked.append(eq["equipment_id"])
            ctx.audit("calibration.lock_out" if need_lock else "calibration.alert", QMS, "measuring_equipment", eq["equipment_id"],
                      before={"equipment_status": eq["equipment_status"], "locked_out": eq["locked_out"]},
                      after={"equipment_status": "locked_out" if need_lock else eq["equipment_status"],
                             "locked_out": True if need_lock else eq["locked_out"], "alert": state if need_alert else None})
    return {"checked": len(equipment), "alerts_created": alerts_created, "locked_out": locked}


def record_calibration(
    ctx: ServiceContext,
    equipment_id: str,
    *,
    calibration_date: Any = None,
    result: str = "pass",
    calibrated_by: str | None = None,
    calibration_lab: str | None = None,
    certificate_number: str | None = None,
    measurement_results: dict | None = None,
    as_found_condition: str | None = None,
    as_left_condition: str | None = None,
    calibration_cost: Any = None,
    notes: str | None = None,
) -> dict[str, Any]:
    ctx.require(QMS, "write", "Recording a calibration")
    with at_field("result"):
        result = choice(result, "Calibration result", RESULTS)
    today, now = ctx.today(), ctx.now()
    with at_field("calibration_date"):
        cal_date = to_date(calibration_date, "Calibration date") if calibration_date else today
    if cal_date > today:
        raise DomainError(f"The calibration date {cal_date} is in the future.", field="calibration_date")
    with at_field("calibration_cost"):
        cost = (to_decimal(calibration_cost, "Calibration cost", minimum=Decimal(0), places=2)
                if calibration_cost not in (None, "") else None)
    with ctx.read(QMS) as conn:
        eq = fetch_one(conn, MeasuringEquipment, equipment_id, "measuring equipment")
    if (eq["equipment_status"] or "") in OUT_OF_SERVICE:
        raise DomainError(f"{equipment_id} is {eq['equipment_status']}; it cannot be calibrated back into use.")
    freq = int(eq["calibration_frequency_days"] or 0)
    if freq <= 0:
        raise DomainError(f"{equipment_id} has no calibration frequency; set calibration_frequency_days first.")
    next_due = cal_date + dt.timedelta(days=freq)
    passed = result != "fail"
    if passed and next_due < today:
        raise DomainError(f"A calibration on {cal_date} would be due again on {next_due}, which has passed; record a current calibration.",
                          field="calibration_date")
    if passed and eq["locked_out"]:
        ctx.require_capability("calibration.unlock", f"Putting locked-out {equipment_id} back in service")
    cal_id = ctx.next_key("CAL", CalibrationRecords.__table__, "calibration_id", QMS)
    record = dict(
        calibration_id=cal_id, calibration_number=cal_id, equipment_id=equipment_id, calibration_date=cal_date,
        next_due_date=next_due if passed else None, calibrated_by=_text_at("calibrated_by", calibrated_by, "Calibrated by", 50),
        calibration_lab=_text_at("calibration_lab", calibration_lab, "Calibration lab", 200), calibration_result=result,
        as_found_condition=as_found_condition, as_left_condition=as_left_condition, measurement_results=measurement_results or {},
        certificate_number=_text_at("certificate_number", certificate_number, "Certificate number", 100),
        calibration_cost=cost, notes=notes, created_at=now,
    )
    if passed:
        eq_values = dict(last_calibration_date=cal_date, next_calibration_due=next_due, locked_out=False,
                         equipment_status="active", lockout_reason=None, updated_at=now)
    else:
        eq_values = dict(last_calibration_date=cal_date, locked_out=True, equipment_status="locked_out",
                         lockout_reason=f"Failed calibration {cal_id} on {cal_date}", updated_at=now)
    with ctx.transaction(QMS) as conn:
        conn.execute(insert(CalibrationRecords.__table__).values(**record))
        conn.execute(update(MeasuringEquipment.__table__).where(MeasuringEquipment.equipment_id == equipment_id).values(**eq_values))
        resolved = 0
        if passed:
            resolved = conn.execute(update(CalibrationAlerts.__table__).where(
                CalibrationAlerts.equipment_id == equipment_id, CalibrationAlerts.resolved.isnot(True))
                .values(resolved=True, resolved_date=today)).rowcount
        ctx.audit("calibration.record", QMS, "measuring_equipment", equipment_id,
                  before={k: eq[k] for k in ("equipment_status", "locked_out", "next_calibration_due")},
                  after={k: eq_values.get(k, eq[k]) for k in ("equipment_status", "locked_out", "next_calibration_due")},
                  detail=f"{cal_id} {result}; {resolved} alert(s) resolved")
    return {**record, "equipment_status": eq_values["equipment_status"], "locked_out": eq_values["locked_out"],
            "alerts_resolved": resolved}


def _text_at(field: str, value: Any, label: str, max_length: int) -> str | None:
    with at_field(field):
        return require_text(value, label, max_length, required=False)


def record_inspection(
    ctx: ServiceContext,
    *,
    equipment_id: str,
    measured_values: dict[str, Any],
    specification_values: dict[str, Any] | None = None,
    inspection_result: str | None = None,
    inspection_type: str = "in_process",
    work_order_id: str | None = None,
    product_id: str | None = None,
    sample_size: int = 1,
    inspector_id: str | None = None,
    lot_number: str | None = None,
    batch_number: str | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """Record an MES quality inspection measured with `equipment_id`.

    Recording inspection results is the quality inspector's job (seed 003) as much as the shop
    floor's, so write access to either genims_manufacturing_db or genims_quality_db allows it.
    With specification_values ({name: [low, high]}) the result is computed (a value outside its
    range is a defect); otherwise inspection_result ('pass' or 'fail') must be given.
    """
    user = ctx.user
    if not (user.can(MFG, "write") or user.can(QMS, "write")):
        raise PermissionDenied(
            f"Recording a quality inspection needs write access to {MFG} or {QMS}; your roles ({user.role_names}) give neither.",
            "Ask an administrator for a role that allows it.")
    equipment_id = require_text(equipment_id, "Measuring equipment", 50)
    if not isinstance(measured_values, dict) or not measured_values:
        raise DomainError("Give the measured values, e.g. {'diameter_mm': 50.01}.")
    if EQUIPMENT_KEY in measured_values:
        raise DomainError(f"{EQUIPMENT_KEY} is reserved for the measuring equipment.")
    if sample_size is None or int(sample_size) < 1:
        raise DomainError("The sample size must be at least 1.")
    today, now = ctx.today(), ctx.now()
    with ctx.read(QMS) as conn:
        eq = fetch_one(conn, MeasuringEquipment, equipment_id, "measuring equipment")
    if eq["locked_out"] or (eq["equipment_status"] or "") == "locked_out":
        raise DomainError(f"{equipment_id} is locked out ({eq['lockout_reason'] or 'calibration'}); measurements taken with it are not valid.",
                          "Use calibrated equipment, or record its calibration first.")
    if (eq["equipment_status"] or "") in OUT_OF_SERVICE:
        raise DomainError(f"{equipment_id} is {eq['equipment_status']}; use equipment in service.")
    if calibration_state(eq["next_calibration_due"], today) == "overdue":
        due = eq["next_calibration_due"]
        raise DomainError(f"{equipment_id} is overdue for calibration (due {due.isoformat() if due else 'never calibrated'}); "
                          "measurements taken with it are not valid.", "Calibrate it first.")
    defects = 0
    if specification_values:
        for name, spec in specification_values.items():
            if name not in measured_values:
                continue
            try:
                low, high = (float(x) for x in spec)
                value = float(measured_values[name])
            except (TypeError, ValueError):
                raise DomainError(f"Specification {name} must be [low, high] and its value a number.") from None
            if not (low <= value <= high):
                defects += 1
        result = "fail" if defects else "pass"
        if inspection_result and choice(inspection_result, "Inspection result", ("pass", "fail")) != result:
            raise DomainError(f"The measured values give {result}, not {inspection_result}.")
    else:
        result = choice(inspection_result, "Inspection result", ("pass", "fail"))
        defects = 1 if result == "fail" else 0
    inspection_id = ctx.next_key("QI", QualityInspections.__table__, "inspection_id", MFG, width=7)
    values = dict(
        inspection_id=inspection_id, inspection_type=require_text(inspection_type, "Inspection type", 50),
        inspection_date=now, work_order_id=work_order_id, product_id=product_id, sample_size=int(sample_size),
        lot_number=lot_number, batch_number=batch_number, inspector_id=inspector_id, inspection_result=result,
        defects_found=defects, critical_defects=0, major_defects=defects, minor_defects=0,
        measured_values={**measured_values, EQUIPMENT_KEY: equipment_id}, specification_values=specification_values or {},
        disposition="accept" if result == "pass" else "pending", ncr_number=None,
        corrective_action_required=result == "fail", photos_attached=False, notes=notes, created_at=now,
    )
    with ctx.transaction(MFG) as conn:
        conn.execute(insert(QualityInspections.__table__).values(**values))
        ctx.audit("inspection.record", MFG, "quality_inspection", inspection_id,
                  after={"inspection_result": result, "defects_found": defects, EQUIPMENT_KEY: equipment_id})
    return values
