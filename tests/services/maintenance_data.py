"""Arrange maintenance data for the service tests: direct inserts through the models into a real
estate, a frozen clock, acting users per role, and a snapshot of everything the services write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select

from genims_tui.backend.access import ActingUser, role_user
from genims_tui.backend.models.console import AuditLog
from genims_tui.backend.models.maintenance import (
    AssetReliabilityMetrics,
    CmmsIntegrationLog,
    LaborTimeEntries,
    MaintenanceAssets,
    MaintenanceTechnicians,
    MroParts,
    MroPartsTransactions,
    PmGenerationLog,
    PmSchedules,
    WorkOrders,
)
from genims_tui.backend.models.operations import MachineFaults
from genims_tui.backend.services.base import ServiceContext

MNT, OPS, CONSOLE = "genims_maintenance_db", "genims_operations_db", "genims_console_db"
NOW = dt.datetime(2026, 11, 20, 9, 30)
TODAY = NOW.date()

WRITTEN = (WorkOrders, PmSchedules, PmGenerationLog, MroParts, MroPartsTransactions, MaintenanceTechnicians,
           AssetReliabilityMetrics, CmmsIntegrationLog)


def create(dbs, operations: bool = False) -> None:
    """The maintenance and console databases (and operations, for machine faults)."""
    dbs.create([MNT, CONSOLE, OPS] if operations else [MNT, CONSOLE])


def user_for(role_id: str) -> ActingUser:
    return role_user(role_id)


def ctx_for(dbs, role_id: str = "maintenance_manager", now: dt.datetime = NOW) -> ServiceContext:
    return ServiceContext(dbs, user_for(role_id), clock=lambda: now)


def add(dbs, model, *rows: dict[str, Any], database: str = MNT) -> None:
    with dbs.begin(database) as conn:
        conn.execute(insert(model.__table__), list(rows))


def asset(dbs, asset_id: str = "ASSET-000001", machine_id: str | None = "MACH-000001", **kw) -> str:
    add(dbs, MaintenanceAssets, {"asset_id": asset_id, "asset_name": f"Press {asset_id}", "machine_id": machine_id,
                                 "factory_id": "FAC-000001", "is_active": True, "criticality_rating": "high", **kw})
    return asset_id


def technician(dbs, tech_id: str = "TECH-000001", **kw) -> str:
    add(dbs, MaintenanceTechnicians, {
        "technician_id": tech_id, "first_name": "Ana", "last_name": tech_id, "is_active": True,
        "available_for_callout": True, "technician_status": "available", "hourly_rate": Decimal("40.00"),
        "total_wos_completed": 0, **kw})
    return tech_id


def work_order(dbs, wo_id: str, status: str = "created", asset_id: str = "ASSET-000001", **kw) -> str:
    add(dbs, WorkOrders, {
        "work_order_id": wo_id, "work_order_number": wo_id, "asset_id": asset_id, "wo_type": "corrective",
        "priority": "high", "wo_status": status, "status_history": [{"status": status, "at": "2026-11-01T08:00:00"}],
        "created_at": dt.datetime(2026, 11, 1, 8, 0), **kw})
    return wo_id


def part(dbs, part_id: str = "MRO-000001", stock: str = "10", cost: str = "12.50", **kw) -> str:
    add(dbs, MroParts, {"mro_part_id": part_id, "part_name": "Bearing 6204", "unit_of_measure": "EA",
                        "current_stock": Decimal(stock), "standard_cost": Decimal(cost), "bin_location": "A-01",
                        "is_active": True, "part_status": "active", **kw})
    return part_id


def schedule(dbs, schedule_id: str, next_due: dt.date, asset_id: str = "ASSET-000001", **kw) -> str:
    add(dbs, PmSchedules, {
        "pm_schedule_id": schedule_id, "schedule_name": f"Monthly PM {schedule_id}", "asset_id": asset_id,
        "schedule_type": "calendar", "frequency_type": "time", "frequency_value": 30, "frequency_unit": "days",
        "estimated_duration_hours": Decimal("2.50"), "lead_time_days": 7, "scheduling_priority": "high",
        "next_due_date": next_due, "auto_generate_wo": True, "schedule_status": "active", "is_active": True, **kw})
    return schedule_id


def fault(dbs, severity: str = "critical", machine_id: str = "MACH-000001", resolved: bool = False, **kw) -> int:
    with dbs.begin(OPS) as conn:
        return conn.execute(insert(MachineFaults.__table__).values(
            machine_id=machine_id, fault_code="F-VIB", fault_severity=severity, fault_description="Vibration high",
            fault_start_time=NOW - dt.timedelta(hours=3), fault_end_time=NOW - dt.timedelta(hours=1) if resolved else None,
            status="resolved" if resolved else "open", **kw).returning(MachineFaults.fault_id)).scalar_one()


def labor(dbs, entry_id: str, wo_id: str, hours: str, rate: str = "40.00", tech: str = "TECH-000001") -> None:
    add(dbs, LaborTimeEntries, {"entry_id": entry_id, "work_order_id": wo_id, "technician_id": tech,
                                "duration_hours": Decimal(hours), "hourly_rate": Decimal(rate),
                                "labor_cost": (Decimal(hours) * Decimal(rate)).quantize(Decimal("0.01"))})


def row(dbs, model, key: str, database: str = MNT) -> dict[str, Any]:
    pk = list(model.__table__.primary_key.columns)[0]
    with dbs.connect(database) as conn:
        found = conn.execute(select(model.__table__).where(pk == key)).first()
    return dict(found._mapping) if found else {}


def rows(dbs, model, database: str = MNT, **where) -> list[dict[str, Any]]:
    query = select(model.__table__)
    for col, value in where.items():
        query = query.where(model.__table__.c[col] == value)
    with dbs.connect(database) as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def snapshot(dbs) -> dict[str, Any]:
    """Everything the maintenance services write, plus the audit trail's length."""
    state: dict[str, Any] = {}
    with dbs.connect(MNT) as conn:
        for model in WRITTEN:
            state[model.__tablename__] = sorted(
                (tuple(str(v) for v in r) for r in conn.execute(select(model.__table__))))
    with dbs.connect(CONSOLE) as conn:
        state["audit"] = conn.execute(select(func.count()).select_from(AuditLog)).scalar_one()
    return state


def audit_actions(dbs) -> list[tuple[str, str | None, str | None]]:
    with dbs.connect(CONSOLE) as conn:
        return [(r.action, r.entity_id, r.user_id) for r in conn.execute(select(AuditLog).order_by(AuditLog.audit_id))]
