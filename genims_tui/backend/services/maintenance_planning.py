"""Maintenance planning jobs: preventive work orders from PM schedules, corrective work orders from
machine faults, and MTBF / MTTR per asset. Each is idempotent: a rerun creates nothing twice.

- PM generation: every active schedule with auto_generate_wo whose next_due_date falls within its
  lead time (next_due_date <= today + lead_time_days) gets one work order per due occurrence, logged
  in pm_generation_log (schedule, trigger date); next_due_date moves on by the schedule's frequency.
  An occurrence already in the log (or already with a work order) is not generated again.
- Corrective work orders: every unresolved critical or major fault in genims_operations_db without a
  work order (work_orders.machine_fault_id = str(fault_id)) gets one, on the maintenance asset of the
  fault's machine.
- Reliability: per asset and period, from the completed corrective work orders started in the period:
  MTTR = repair hours / failures, MTBF = operating hours / failures, where operating hours = period
  hours - unplanned downtime (the repairs) - planned downtime (preventive work orders' downtime).
  Written to asset_reliability_metrics, one row per asset and period (a rerun updates it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from ..errors import DomainError, NotFound
from ..models.maintenance import (
    AssetReliabilityMetrics,
    CmmsIntegrationLog,
    MaintenanceAssets,
    PmGenerationLog,
    PmSchedules,
    WorkOrders,
)
from ..models.operations import MachineFaults
from .base import ServiceContext, require_text
from .maintenance import C2, MNT, OPS, Q4, hours_between, to_date, write_lock

# -- preventive maintenance -------------------------------------------------------------------------

DAY_UNITS = {"day": 1, "days": 1, "d": 1, "daily": 1, "week": 7, "weeks": 7, "w": 7, "weekly": 7}
MONTH_UNITS = {
    "month": 1, "months": 1, "monthly": 1, "quarter": 3, "quarters": 3, "quarterly": 3, "semi-annual": 6,
    "semiannual": 6, "half-yearly": 6, "year": 12, "years": 12, "yearly": 12, "annual": 12, "annually": 12,
}
MAX_OCCURRENCES_PER_RUN = 24  # catch-up bound per schedule and run; the rest comes with the next run


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def frequency_step(schedule: Any) -> Callable[[dt.date], dt.date] | None:
    """The calendar step of a schedule, or None for one without a calendar frequency (meter-based)."""
    value = schedule.frequency_value
    unit = (schedule.frequency_unit or "").strip().lower()
    kind = (schedule.frequency_type or "").strip().lower()
    if not value or value <= 0:
        # A named frequency ('monthly') without a number means one of it.
        unit, value = (kind, 1) if kind in DAY_UNITS or kind in MONTH_UNITS else ("", 0)
    if unit in DAY_UNITS and value > 0:
        days = value * DAY_UNITS[unit]
        return lambda d: d + dt.timedelta(days=days)
    if unit in MONTH_UNITS and value > 0:
        months = value * MONTH_UNITS[unit]
        return lambda d: add_months(d, months)
    return None


def generate_pm_work_orders(ctx: ServiceContext, today: dt.date | None = None) -> dict[str, Any]:
    """Create the preventive work orders that are due within their lead time; see the module notes."""
    ctx.require(MNT, "write", "Generating preventive maintenance work orders")
    today = to_date(today, "Today") if today is not None else ctx.today()
    now = ctx.now()
    created: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    advanced = 0
    with ctx.transaction(MNT) as conn:
        write_lock(conn, "mnt.pm_generate")
        schedules = conn.execute(
            select(PmSchedules)
            .where(PmSchedules.is_active.is_(True), PmSchedules.auto_generate_wo.is_(True),
                   PmSchedules.next_due_date.is_not(None))
            .order_by(PmSchedules.pm_schedule_id)
            .with_for_update()
        ).all()
        for s in schedules:
            if (s.schedule_status or "active").lower() != "active":
                continue
            horizon = today + dt.timedelta(days=max(0, s.lead_time_days or 0))
            if s.next_due_date > horizon or (s.end_date and s.next_due_date > s.end_date):
                continue
            step = frequency_step(s)
            if step is None:
                skipped.append({"pm_schedule_id": s.pm_schedule_id, "due": s.next_due_date,
                                "reason": "no calendar frequency (meter or condition based)"})
                continue
            due, last_wo, made = s.next_due_date, s.last_wo_id, []
            while due <= horizon and (s.end_date is None or due <= s.end_date) and len(made) < MAX_OCCURRENCES_PER_RUN:
                existing = _generated_for(conn, s.pm_schedule_id, due)
                if existing is None:
                    wo_id = _create_pm_work_order(ctx, conn, s, due, today, now)
                    made.append({"work_order_id": wo_id, "pm_schedule_id": s.pm_schedule_id, "due": due,
                                 "asset_id": s.asset_id})
                    last_wo = wo_id
                else:
                    last_wo = existing or last_wo
                due = step(due)
            if due != s.next_due_date:
                conn.execute(update(PmSchedules).where(PmSchedules.pm_schedule_id == s.pm_schedule_id)
                             .values(next_due_date=due, last_wo_id=last_wo, updated_at=now))
                advanced += 1
                ctx.audit("maintenance.pm.generate", MNT, "pm_schedule", s.pm_schedule_id,
                          before={"next_due_date": s.next_due_date},
                          after={"next_due_date": due, "work_orders": [m["work_order_id"] for m in made]})
            created.extend(made)
    return {"today": today, "created": created, "schedules_advanced": advanced, "skipped": skipped}


def _generated_for(conn: Connection, schedule_id: str, due: dt.date) -> str | None:
    """The work order already generated for this occurrence ('' when logged without one), or None."""
    logged = conn.execute(
        select(PmGenerationLog.work_order_id).where(
            PmGenerationLog.pm_schedule_id == schedule_id, PmGenerationLog.trigger_date == due,
            PmGenerationLog.generation_status == "success")
    ).first()
    if logged is not None:
        return logged[0] or ""
    wo = conn.execute(
        select(WorkOrders.work_order_id).where(
            WorkOrders.source_type == "pm_schedule", WorkOrders.source_document_id == schedule_id,
            WorkOrders.scheduled_start_date == due)
    ).first()
    return wo[0] if wo else None


def _create_pm_work_order(ctx: ServiceContext, conn: Connection, s: Any, due: dt.date, today: dt.date,
                          now: dt.datetime) -> str:
    wo_id = ctx.next_key("MWO", WorkOrders.__table__, "work_order_id", MNT)
    user = ctx.user.user_id[:50]
    conn.execute(WorkOrders.__table__.insert().values(
        work_order_id=wo_id, work_order_number=wo_id, asset_id=s.asset_id, wo_type="preventive",
        priority=s.scheduling_priority or "medium", description=s.schedule_name or s.description,
        requested_date=today, scheduled_start_date=due, scheduled_end_date=due,
        estimated_duration_hours=s.estimated_duration_hours, wo_status="created",
        status_history=[{"status": "created", "at": now.isoformat(), "by": user, "source": s.pm_schedule_id}],
        source_type="pm_schedule", source_document_id=s.pm_schedule_id, downtime_minutes=0,
        created_by=user, created_at=now, updated_at=now,
    ))
    log_id = ctx.next_key("PMGL", PmGenerationLog.__table__, "log_id", MNT)
    conn.execute(PmGenerationLog.__table__.insert().values(
        log_id=log_id, pm_schedule_id=s.pm_schedule_id, generation_date=now,
        generation_reason="overdue" if due < today else "lead_time", trigger_date=due, work_order_id=wo_id,
        work_order_number=wo_id, generation_status="success", created_at=now,
    ))
    return wo_id


# -- corrective work orders from machine faults -----------------------------------------------------

SEVERITY_PRIORITY = {"critical": "critical", "major": "high"}
SEVERITY_TYPE = {"critical": "breakdown", "major": "corrective"}


def create_corrective_work_orders(ctx: ServiceContext, severities: Iterable[str] = ("critical", "major"),
                                  limit: int = 500) -> dict[str, Any]:
    """One corrective work order per unresolved critical / major machine fault that has none yet."""
    ctx.require(MNT, "write", "Creating corrective work orders from machine faults")
    ctx.require(OPS, "read", "Creating corrective work orders from machine faults")
    wanted = sorted({s.strip().lower() for s in severities})
    unknown = [s for s in wanted if s not in SEVERITY_PRIORITY]
    if unknown or not wanted:
        raise DomainError(f"Unknown fault severity: {', '.join(unknown) or 'none given'}.", "Use critical and/or major.")
    with ctx.read(OPS) as ops:
        faults = ops.execute(
            select(MachineFaults).where(
                func.lower(MachineFaults.fault_severity).in_(wanted), MachineFaults.fault_end_time.is_(None),
                or_(MachineFaults.status.is_(None), func.lower(MachineFaults.status).not_in(("resolved", "closed"))),
            ).order_by(MachineFaults.fault_start_time, MachineFaults.fault_id)
        ).all()
    now = ctx.now()
    user = ctx.user.user_id[:50]
    created: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    if not faults:
        return {"created": created, "skipped": skipped, "faults_open": 0}
    with ctx.transaction(MNT) as conn:
        write_lock(conn, "mnt.corrective")
        ids = [str(f.fault_id) for f in faults]
        covered: set[str] = set()
        for i in range(0, len(ids), 500):
            covered.update(r for (r,) in conn.execute(
                select(WorkOrders.machine_fault_id).where(WorkOrders.machine_fault_id.in_(ids[i:i + 500]))))
        todo = [f for f in faults if str(f.fault_id) not in covered]
        machines = sorted({f.machine_id for f in todo if f.machine_id})
        asset_of: dict[str, Any] = {}
        if machines:
            assets = conn.execute(select(MaintenanceAssets).where(MaintenanceAssets.machine_id.in_(machines))).all()
            # Prefer an active top-level asset of the machine.
            for a in sorted(assets, key=lambda a: (a.is_active is False, a.parent_asset_id is not None, a.asset_id)):
                asset_of.setdefault(a.machine_id, a)
        for f in todo:
            if len(created) >= limit:
                break
            asset = asset_of.get(f.machine_id)
            if asset is None:
                skipped.append({"fault_id": f.fault_id, "machine_id": f.machine_id,
                                "reason": "no maintenance asset for the machine"})
                continue
            severity = (f.fault_severity or "").lower()
            wo_id = ctx.next_key("MWO", WorkOrders.__table__, "work_order_id", MNT)
            description = f"{f.fault_code or 'FAULT'}: {f.fault_description or 'machine fault'} on {asset.asset_name or asset.asset_id}"
            conn.execute(WorkOrders.__table__.insert().values(
                work_order_id=wo_id, work_order_number=wo_id, asset_id=asset.asset_id, wo_type=SEVERITY_TYPE[severity],
                priority=SEVERITY_PRIORITY[severity], description=description[:2000],
                problem_description=f.fault_description, downtime_category="unplanned",
                requested_date=(f.fault_start_time or now).date(), wo_status="created",
                status_history=[{"status": "created", "at": now.isoformat(), "by": user, "source": f"fault {f.fault_id}"}],
                source_type="machine_fault", source_document_id=str(f.fault_id), machine_fault_id=str(f.fault_id),
                lockout_tagout_required=True, created_by=user, created_at=now, updated_at=now,
            ))
            log_id = ctx.next_key("CIL", CmmsIntegrationLog.__table__, "log_id", MNT)
            conn.execute(CmmsIntegrationLog.__table__.insert().values(
                log_id=log_id, log_timestamp=now, integration_direction="inbound", document_type="machine_fault",
                document_id=str(f.fault_id), integration_status="success", retry_count=0,
                integration_data={"fault_id": f.fault_id, "machine_id": f.machine_id, "work_order_id": wo_id,
                                  "severity": severity},
            ))
            ctx.audit("maintenance.wo.from_fault", MNT, "work_order", wo_id, before=None,
                      after={"machine_fault_id": str(f.fault_id), "asset_id": asset.asset_id,
                             "priority": SEVERITY_PRIORITY[severity], "wo_type": SEVERITY_TYPE[severity]})
            created.append({"work_order_id": wo_id, "fault_id": f.fault_id, "machine_id": f.machine_id,
                            "asset_id": asset.asset_id, "severity": severity, "priority": SEVERITY_PRIORITY[severity]})
    return {"created": created, "skipped": skipped, "faults_open": len(faults)}


# -- reliability ------------------------------------------------------------------------------------

FAILURE_TYPES = ("corrective", "breakdown", "emergency")


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _period_type(start: dt.date, end: dt.date) -> str:
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and start.replace(day=1) == end.replace(day=1):
        return "monthly"
    days = (end - start).days + 1
    return {1: "daily", 7: "weekly"}.get(days, "custom")


def compute_reliability(ctx: ServiceContext, period_start: Any = None, period_end: Any = None,
                        asset_id: str | None = None) -> list[dict[str, Any]]:
    """MTBF and MTTR of each asset (or one) over a period (default: the previous calendar month),
    written to asset_reliability_metrics (one row per asset and period) and returned."""
    ctx.require(MNT, "write", "Computing asset reliability (MTBF / MTTR)")
    if period_start is None and period_end is None:
        start, end = previous_month(ctx.today())
    else:
        if period_start is None or period_end is None:
            raise DomainError("Give both the start and the end of the period (or neither for the previous month).")
        start, end = to_date(period_start, "Period start"), to_date(period_end, "Period end")
    if end < start:
        raise DomainError(f"The period ends ({end}) before it starts ({start}).")
    lo = dt.datetime.combine(start, dt.time())
    hi = dt.datetime.combine(end, dt.time()) + dt.timedelta(days=1)
    total = Decimal((hi - lo).days * 24)
    one = require_text(asset_id, "Asset", 50, required=False)
    now = ctx.now()
    results: list[dict[str, Any]] = []
    with ctx.transaction(MNT) as conn:
        write_lock(conn, "mnt.reliability")
        query = select(MaintenanceAssets.asset_id).order_by(MaintenanceAssets.asset_id)
        if one:
            query = query.where(MaintenanceAssets.asset_id == one)
        else:
            query = query.where(or_(MaintenanceAssets.is_active.is_(None), MaintenanceAssets.is_active.is_(True)))
        assets = [a for (a,) in conn.execute(query)]
        if one and not assets:
            raise NotFound(f"There is no maintenance asset {one}.")
        by_asset: dict[str, list[Any]] = defaultdict(list)
        wo_query = select(WorkOrders).where(
            WorkOrders.wo_status.in_(("completed", "closed")), WorkOrders.actual_start_date >= lo,
            WorkOrders.actual_start_date < hi, WorkOrders.actual_end_date.is_not(None))
        if one:
            wo_query = wo_query.where(WorkOrders.asset_id == one)
        for wo in conn.execute(wo_query):
            by_asset[wo.asset_id].append(wo)
        existing = {
            r.asset_id: r for r in conn.execute(select(AssetReliabilityMetrics).where(
                AssetReliabilityMetrics.period_start_date == start, AssetReliabilityMetrics.period_end_date == end)
                .order_by(AssetReliabilityMetrics.metric_id.desc()))
        }
        for a in assets:
            values = _metrics(by_asset.get(a, []), total)
            values.update(period_type=_period_type(start, end), total_hours=total.quantize(C2))
            old = existing.get(a)
            if old is None:
                metric_id = ctx.next_key("ARM", AssetReliabilityMetrics.__table__, "metric_id", MNT, width=7)
                conn.execute(AssetReliabilityMetrics.__table__.insert().values(
                    metric_id=metric_id, asset_id=a, period_start_date=start, period_end_date=end, created_at=now,
                    **values))
            else:
                metric_id = old.metric_id
                conn.execute(update(AssetReliabilityMetrics).where(AssetReliabilityMetrics.metric_id == metric_id)
                             .values(**values))
            key = ("number_of_failures", "mtbf_hours", "mttr_hours", "availability_pct")
            before = None if old is None else {k: getattr(old, k) for k in key}
            after = {k: values[k] for k in key}
            if before is None or any(before[k] != after[k] for k in key):
                ctx.audit("maintenance.reliability", MNT, "asset_reliability_metrics", metric_id, before=before,
                          after={**after, "asset_id": a, "period": f"{start}..{end}"})
            results.append({"asset_id": a, "metric_id": metric_id, "period_start": start, "period_end": end,
                            "created": old is None, **values})
    return results


def _metrics(wos: list[Any], total: Decimal) -> dict[str, Any]:
    def repair_hours(w: Any) -> Decimal:
        if w.actual_duration_hours is not None:
            return Decimal(w.actual_duration_hours)
        return hours_between(w.actual_start_date, w.actual_end_date)

    failures = [w for w in wos if (w.wo_type or "").lower() in FAILURE_TYPES or w.source_type == "machine_fault"]
    preventive = [w for w in wos if (w.wo_type or "").lower() == "preventive"]
    unplanned = sum((repair_hours(w) for w in failures), Decimal(0)).quantize(C2)
    planned = (sum((Decimal(w.downtime_minutes or 0) for w in preventive), Decimal(0)) / 60).quantize(C2)
    operating = max(Decimal(0), total - unplanned - planned).quantize(C2)
    n = len(failures)
    labor = sum((Decimal(w.actual_labor_cost or 0) for w in wos), Decimal(0)).quantize(C2)
    parts = sum((Decimal(w.actual_parts_cost or 0) for w in wos), Decimal(0)).quantize(C2)
    cost = (labor + parts).quantize(C2)
    return {
        "operating_hours": operating, "downtime_hours": (unplanned + planned).quantize(C2),
        "planned_downtime_hours": planned, "unplanned_downtime_hours": unplanned,
        "availability_pct": (operating / total * 100).quantize(C2) if total else Decimal("0.00"),
        "number_of_failures": n,
        "mtbf_hours": (operating / n).quantize(C2) if n else None,
        "mttr_hours": (unplanned / n).quantize(C2) if n else None,
        "pm_work_orders": len(preventive),
        "cm_work_orders": sum(1 for w in wos if (w.wo_type or "").lower() == "corrective"),
        "breakdown_work_orders": sum(1 for w in wos if (w.wo_type or "").lower() == "breakdown"),
        "total_maintenance_cost": cost, "labor_cost": labor, "parts_cost": parts, "contractor_cost": Decimal("0.00"),
        "maintenance_cost_per_operating_hour": (cost / operating).quantize(Q4) if operating else None,
        "production_loss_units": sum((Decimal(w.production_loss_units or 0) for w in failures), Decimal(0)).quantize(Q4),
    }
