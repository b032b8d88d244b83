"""Arrange quality data for the QMS service tests: direct inserts through the models into a real
estate, a frozen clock, acting users per role, and a snapshot of everything the services write."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from conftest import _drop_pg_databases, pg_env, require_pg, sqlite_env
from sqlalchemy import func, insert, select

from genims_tui.backend.access import ActingUser, role_user
from genims_tui.backend.models.console import AuditLog
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import (
    CalibrationAlerts,
    CalibrationRecords,
    CapaActions,
    CapaHeaders,
    CustomerComplaints,
    EightDReports,
    MeasuringEquipment,
    NcrHeaders,
    QmsIntegrationLog,
    SpcControlCharts,
    SpcDataPoints,
)
from genims_tui.backend.databases import Databases
from genims_tui.backend.services.base import ServiceContext
from genims_tui.config import load_settings

QMS, MFG, CONSOLE = "genims_quality_db", "genims_manufacturing_db", "genims_console_db"
NOW = dt.datetime(2026, 11, 20, 9, 30)
TODAY = NOW.date()
ORDER = ("open", "containment", "investigation", "disposition", "capa", "verification", "closed")

QMS_WRITTEN = (NcrHeaders, CapaHeaders, CapaActions, MeasuringEquipment, CalibrationRecords, CalibrationAlerts,
               SpcControlCharts, SpcDataPoints, CustomerComplaints, EightDReports, QmsIntegrationLog)


def create(dbs) -> None:
    dbs.create([QMS, MFG, CONSOLE])


@pytest.fixture(scope="module", params=["sqlite", "pg-databases", "pg-schemas"])
def estate(request, tmp_path_factory):
    """conftest's any_dbs, once per test module: the same tests on SQLite and on PostgreSQL in both
    layouts, without paying for a new PostgreSQL estate per test. Tests share it, so each uses its
    own business keys and compares snapshots taken around its own calls."""
    tmp = tmp_path_factory.mktemp("quality")
    tag = None
    if request.param == "sqlite":
        dbs = Databases(load_settings(environ=sqlite_env(tmp)))
    else:
        require_pg()
        tag = uuid.uuid4().hex[:8]
        dbs = Databases(load_settings(environ=pg_env(request.param.removeprefix("pg-"), tag, tmp)))
    try:
        create(dbs)
        extra = getattr(request.module, "EXTRA_DATABASES", ())
        if extra:
            dbs.create(list(extra))
        yield dbs
    finally:
        dbs.dispose()
        if tag:
            _drop_pg_databases(f"gtest_{tag}%")


def user_for(role_id: str) -> ActingUser:
    return role_user(role_id)


def ctx_for(dbs, role_id: str = "quality_manager", now: dt.datetime = NOW) -> ServiceContext:
    return ServiceContext(dbs, user_for(role_id), clock=lambda: now)


def add(dbs, model, *rows: dict[str, Any], database: str = QMS) -> None:
    with dbs.begin(database) as conn:
        conn.execute(insert(model.__table__), list(rows))


def ncr(dbs, ncr_id: str, status: str = "open", *, capa_actions_open: int = 0, **kw) -> str:
    """An NCR with every field its state needs (and a linked CAPA from the capa state on)."""
    idx = ORDER.index(status) if status in ORDER else 0
    row = {
        "ncr_id": ncr_id, "ncr_number": ncr_id, "source_type": "manual", "detected_date": TODAY,
        "quantity_defective": Decimal("5"), "quantity_inspected": Decimal("50"), "unit_of_measure": "EA",
        "defect_type": "dimensional", "defect_description": "Bore out of tolerance", "defect_severity": "major",
        "priority": "medium", "ncr_status": status, "scrap_cost": Decimal("0"), "rework_cost": Decimal("0"),
        "sorting_cost": Decimal("0"), "total_cost": Decimal("0"), "containment_completed": idx >= 2,
        "verified_effective": status == "closed", "created_at": NOW, "updated_at": NOW,
    }
    if idx >= 1:
        row["containment_action"] = "Quarantine the lot"
    if idx >= 2:
        row["containment_date"] = TODAY
    if idx >= 3:
        row.update(root_cause_method="5_why", root_cause_description="Tool wear")
    if idx >= 4:
        row.update(disposition="rework", disposition_quantity=Decimal("5"))
    row.update(kw)
    add(dbs, NcrHeaders, row)
    if idx >= 4 and status != "cancelled":
        capa(dbs, f"CAPA-{ncr_id[4:]}", ncr_id, open_actions=capa_actions_open,
             status="closed" if status == "closed" else ("verification" if idx >= 5 else "implementation"))
    return ncr_id


def capa(dbs, capa_id: str, ncr_id: str | None, *, status: str = "implementation", open_actions: int = 0,
         done_actions: int = 0, effective: bool = False) -> str:
    add(dbs, CapaHeaders, {
        "capa_id": capa_id, "capa_number": capa_id, "action_type": "corrective", "initiated_from": "ncr" if ncr_id else "audit",
        "source_document_id": ncr_id, "problem_description": "Bore out of tolerance", "capa_status": status,
        "target_completion_date": TODAY + dt.timedelta(days=20), "effectiveness_verified": effective,
        "verification_completed": effective, "created_at": NOW, "updated_at": NOW,
    })
    rows = [{"action_id": f"{capa_id}-A{k}", "capa_id": capa_id, "action_sequence": k, "action_description": "Replace tool",
             "assigned_to": "EMP-000001", "due_date": TODAY + dt.timedelta(days=5),
             "action_status": "open" if k <= open_actions else "completed", "created_at": NOW}
            for k in range(1, open_actions + done_actions + 1)]
    if rows:
        add(dbs, CapaActions, *rows)
    return capa_id


def inspection(dbs, inspection_id: str, result: str = "fail", **kw) -> str:
    add(dbs, QualityInspections, {
        "inspection_id": inspection_id, "inspection_type": "final", "inspection_date": NOW - dt.timedelta(hours=2),
        "product_id": "PRD-000001", "sample_size": 20, "lot_number": "LOT-1", "batch_number": "B-1",
        "inspector_id": "EMP-000002", "inspection_result": result, "defects_found": 3 if result == "fail" else 0,
        "critical_defects": 0, "major_defects": 2 if result == "fail" else 0, "minor_defects": 1 if result == "fail" else 0,
        "measured_values": {"diameter_mm": 50.2}, "specification_values": {"diameter_mm": [49.95, 50.05]},
        "ncr_number": None, "notes": "Sample outside specification", "created_at": NOW, **kw,
    }, database=MFG)
    return inspection_id


def equipment(dbs, equipment_id: str, due_in_days: int, *, locked: bool = False, freq: int = 180, **kw) -> str:
    due = TODAY + dt.timedelta(days=due_in_days)
    add(dbs, MeasuringEquipment, {
        "equipment_id": equipment_id, "equipment_number": equipment_id, "equipment_name": "Digital caliper",
        "equipment_type": "caliper", "calibration_frequency_days": freq, "last_calibration_date": due - dt.timedelta(days=freq),
        "next_calibration_due": due, "equipment_status": "locked_out" if locked else "active", "locked_out": locked,
        "lockout_reason": "Calibration overdue" if locked else None, "responsible_person": "EMP-000003",
        "created_at": NOW, "updated_at": NOW, **kw,
    })
    return equipment_id


def chart(dbs, chart_id: str, values: list[float], *, chart_type: str = "i_mr", ranges: list[float] | None = None,
          lsl: str | None = None, usl: str | None = None, subgroup_size: int = 1) -> str:
    add(dbs, SpcControlCharts, {
        "chart_id": chart_id, "chart_number": chart_id, "process_name": "CNC turning", "characteristic_name": "Diameter",
        "chart_type": chart_type, "lower_spec_limit": Decimal(lsl) if lsl else None,
        "upper_spec_limit": Decimal(usl) if usl else None, "subgroup_size": subgroup_size, "chart_status": "in_control",
        "created_at": NOW, "updated_at": NOW,
    })
    add(dbs, SpcDataPoints, *[
        {"data_point_id": f"{chart_id}-P{k:03d}", "chart_id": chart_id, "measurement_timestamp": NOW - dt.timedelta(hours=len(values) - k),
         "subgroup_number": k + 1, "measurement_value": Decimal(repr(v)),
         "range_value": Decimal(repr(ranges[k])) if ranges else Decimal(0), "out_of_control": False, "created_at": NOW}
        for k, v in enumerate(values)])
    return chart_id


def snapshot(dbs, models=QMS_WRITTEN, database: str = QMS, also_mfg: bool = True) -> dict[str, list[tuple]]:
    """Every row the services write, plus the audit trail's size: equal before and after a refusal."""
    out: dict[str, list[tuple]] = {}
    with dbs.connect(database) as conn:
        for model in models:
            pk = list(model.__table__.primary_key.columns)[0]
            out[model.__tablename__] = [tuple(r) for r in conn.execute(select(model.__table__).order_by(pk))]
    if also_mfg:
        with dbs.connect(MFG) as conn:
            out["quality_inspections"] = [tuple(r) for r in conn.execute(
                select(QualityInspections.__table__).order_by(QualityInspections.inspection_id))]
    with dbs.connect(CONSOLE) as conn:
        out["audit_log"] = [(conn.execute(select(func.count()).select_from(AuditLog.__table__)).scalar(),)]
    return out


def row(dbs, model, key: str, database: str = QMS) -> dict[str, Any]:
    pk = list(model.__table__.primary_key.columns)[0]
    with dbs.connect(database) as conn:
        r = conn.execute(select(model.__table__).where(pk == key)).first()
    return dict(r._mapping) if r else None
