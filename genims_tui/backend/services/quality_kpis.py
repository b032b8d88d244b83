"""The daily quality KPI record (quality_kpis), one row per day, computed from the data.

`record_daily_kpis(ctx, day)` writes the row of `day` (default: yesterday) unless the day has one
already. Its key is `QKPI-D<YYYYMMDD>`, so two writers can never both insert it. What each column
means here (D = the KPI day, "in force" equipment/charts = not retired/out of service):

    ncr_opened              NCRs detected on D (any state, cancelled ones too: they were opened)
    ncr_closed              NCRs closed on D (state closed, closed_date D)
    ncr_open_count          NCRs detected on or before D, not cancelled, not closed by the end of D
    capa_overdue            CAPAs created on or before D, not cancelled, target date before D and not
                            completed/closed by the end of D
    customer_complaints     complaints dated D
    internal_defect_ppm     MES inspections on D: defects found per million inspected units
                            (NULL when nothing was inspected)
    first_time_quality_pct  MES inspections on D: the share that passed (NULL when none)
    processes_in_control /  SPC charts in force: 'in_control' / all (their status when the row is
    processes_total         computed: charts keep no history of their status)
    process_capability_avg  the mean Cpk of those charts that have one
    internal_failure_cost   NCR costs (scrap, rework, sorting) of NCRs detected on D, except the
                            ones raised from customer complaints
    external_failure_cost   the costs of complaints dated D
    equipment_overdue /     measuring equipment in force whose calibration was due before D (or
    equipment_calibrated_pct  never calibrated) / the share that was not
    customer_returns_ppm, incoming_rejection_pct, supplier_defect_ppm, prevention_cost,
    appraisal_cost, total_coq: NULL. The estate has no honest daily source for them (no shipped
    quantity per day against returns, no cost records for prevention or appraisal work).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, insert, or_, select

from ..models.manufacturing import QualityInspections
from ..models.quality import (
    CapaHeaders,
    CustomerComplaints,
    MeasuringEquipment,
    NcrHeaders,
    QmsIntegrationLog,
    QualityKpis,
    SpcControlCharts,
)
from ._quality_common import MFG, QMS
from .base import ServiceContext
from .calibration import OUT_OF_SERVICE

PASSED_RESULTS = ("pass", "passed", "accepted", "ok")
RETIRED_CHARTS = ("retired", "inactive")
D0 = Decimal("0.00")


def kpi_key(day: dt.date) -> str:
    return f"QKPI-D{day:%Y%m%d}"


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compute_daily_kpis(ctx: ServiceContext, day: dt.date) -> dict[str, Any]:
    """The quality_kpis columns of `day` (see the module notes), without key or timestamps."""
    ctx.require(QMS, "read", "Computing quality KPIs")
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    n, c, cc, eq, ch = NcrHeaders, CapaHeaders, CustomerComplaints, MeasuringEquipment, SpcControlCharts
    with ctx.read(QMS) as conn:
        opened = conn.execute(select(func.count()).where(n.detected_date == day)).scalar_one()
        closed = conn.execute(select(func.count()).where(n.ncr_status == "closed", n.closed_date == day)).scalar_one()
        open_count = conn.execute(select(func.count()).where(
            n.detected_date <= day, or_(n.ncr_status.is_(None), n.ncr_status != "cancelled"),
            or_(n.ncr_status != "closed", n.ncr_status.is_(None), n.closed_date > day))).scalar_one()
        capa_overdue = conn.execute(select(func.count()).where(
            c.created_at < end, c.target_completion_date < day,
            or_(c.capa_status.is_(None), c.capa_status != "cancelled"),
            or_(c.actual_completion_date.is_(None), c.actual_completion_date > day),
            or_(c.closed_date.is_(None), c.closed_date > day))).scalar_one()
        complaints, external = conn.execute(select(func.count(), func.coalesce(func.sum(cc.total_cost), 0))
                                            .where(cc.complaint_date == day)).one()
        internal = conn.execute(select(func.coalesce(func.sum(n.total_cost), 0)).where(
            n.detected_date == day, or_(n.source_type.is_(None), n.source_type != "customer_complaint"))).scalar_one()
        in_force = or_(ch.chart_status.is_(None), ch.chart_status.notin_(RETIRED_CHARTS))
        charts_total, charts_ok, cpk_avg = conn.execute(select(
            func.count(), _count_if(ch.chart_status == "in_control"),
            func.avg(ch.cpk)).where(in_force)).one()
        eq_in_force = or_(eq.equipment_status.is_(None), eq.equipment_status.notin_(OUT_OF_SERVICE))
        eq_total, eq_overdue = conn.execute(select(
            func.count(), _count_if(or_(eq.next_calibration_due.is_(None), eq.next_calibration_due < day))).where(eq_in_force)).one()
    qi = QualityInspections
    with ctx.read(MFG) as conn:
        inspections, passed, sampled, defects = conn.execute(select(
            func.count(), _count_if(func.lower(qi.inspection_result).in_(PASSED_RESULTS)),
            func.sum(qi.sample_size), func.sum(qi.defects_found))
            .where(qi.inspection_date >= start, qi.inspection_date < end)).one()
    sampled, defects = int(sampled or 0), int(defects or 0)
    eq_overdue = int(eq_overdue or 0)
    return {
        "kpi_date": day,
        "internal_defect_ppm": round(defects * 1_000_000 / sampled) if sampled else None,
        "first_time_quality_pct": _pct(int(passed or 0), int(inspections or 0)),
        "customer_complaints": int(complaints),
        "customer_returns_ppm": None, "incoming_rejection_pct": None, "supplier_defect_ppm": None,
        "processes_in_control": int(charts_ok or 0), "processes_total": int(charts_total or 0),
        "process_capability_avg": (Decimal(str(cpk_avg)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
                                   if cpk_avg is not None else None),
        "ncr_opened": int(opened), "ncr_closed": int(closed), "ncr_open_count": int(open_count),
        "capa_overdue": int(capa_overdue),
        "prevention_cost": None, "appraisal_cost": None,
        "internal_failure_cost": Decimal(str(internal)).quantize(Decimal("0.01")),
        "external_failure_cost": Decimal(str(external)).quantize(Decimal("0.01")),
        "total_coq": None,
        "equipment_calibrated_pct": _pct(int(eq_total or 0) - eq_overdue, int(eq_total or 0)),
        "equipment_overdue": eq_overdue,
    }


def record_daily_kpis(ctx: ServiceContext, day: dt.date | None = None) -> dict[str, Any]:
    """Write the KPI row of `day` (default yesterday) unless the day has one: {"kpi_date", "kpi_id",
    "created"}. A day that has not ended yet is refused quietly (created False, kpi_id None)."""
    ctx.require(QMS, "write", "Recording the daily quality KPIs")
    day = day or ctx.today() - dt.timedelta(days=1)
    if day >= ctx.today():
        return {"kpi_date": day, "kpi_id": None, "created": False}
    with ctx.read(QMS) as conn:
        existing = conn.execute(select(QualityKpis.kpi_id).where(QualityKpis.kpi_date == day).limit(1)).scalar()
    if existing:
        return {"kpi_date": day, "kpi_id": existing, "created": False}
    values = compute_daily_kpis(ctx, day)
    now = ctx.now()
    key = kpi_key(day)
    with ctx.transaction(QMS) as conn:
        again = conn.execute(select(QualityKpis.kpi_id).where(
            or_(QualityKpis.kpi_date == day, QualityKpis.kpi_id == key)).limit(1)).scalar()
        if again:
            return {"kpi_date": day, "kpi_id": again, "created": False}
        conn.execute(insert(QualityKpis.__table__).values(kpi_id=key, created_at=now, **values))
        log_id = ctx.next_key("QMSLOG", QmsIntegrationLog.__table__, "log_id", QMS)
        conn.execute(insert(QmsIntegrationLog.__table__).values(
            log_id=log_id, log_timestamp=now, integration_type="daily_kpi", source_system="QMS", target_system="QMS",
            source_document_id=None, target_document_id=key, integration_status="success", error_message=None,
            integration_data={"kpi_date": day.isoformat()}))
        ctx.audit("quality.kpis", QMS, "quality_kpis", key, after={k: values[k] for k in (
            "ncr_opened", "ncr_closed", "ncr_open_count", "capa_overdue", "customer_complaints", "equipment_overdue")})
    return {"kpi_date": day, "kpi_id": key, "created": True, **values}

