"""Calibration: due alerts and lock-out (idempotent), recording a calibration unlocks, and an
inspection measured with locked-out or overdue equipment is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import CalibrationAlerts, CalibrationRecords, MeasuringEquipment
from genims_tui.backend.services import calibration

from . import quality_data as qd
from .quality_data import estate  # noqa: F401 -- the module-scoped estate fixture (SQLite and PostgreSQL)


def _alerts(dbs, equipment_id):
    with dbs.connect(qd.QMS) as conn:
        return sorted(conn.execute(select(CalibrationAlerts.alert_type, CalibrationAlerts.resolved)
                                   .where(CalibrationAlerts.equipment_id == equipment_id)).all())


def test_due_dates_give_alerts_and_overdue_locks_out_once(estate):
    qd.equipment(estate, "MEQ-010001", 20)
    qd.equipment(estate, "MEQ-010002", 5)
    qd.equipment(estate, "MEQ-010003", -3)
    qd.equipment(estate, "MEQ-010004", 90)
    assert calibration.calibration_state(qd.TODAY + dt.timedelta(days=30), qd.TODAY) == "due_30_days"
    assert calibration.calibration_state(qd.TODAY + dt.timedelta(days=7), qd.TODAY) == "due_7_days"
    assert calibration.calibration_state(qd.TODAY, qd.TODAY) == "due_7_days"
    assert calibration.calibration_state(qd.TODAY - dt.timedelta(days=1), qd.TODAY) == "overdue"
    ctx = qd.ctx_for(estate, "quality_inspector")
    result = calibration.check_calibration_due(ctx)
    assert "MEQ-010003" in result["locked_out"] and "MEQ-010002" not in result["locked_out"]
    assert _alerts(estate, "MEQ-010001") == [("due_30_days", False)]
    assert _alerts(estate, "MEQ-010002") == [("due_7_days", False)]
    assert _alerts(estate, "MEQ-010003") == [("overdue", False)]
    assert _alerts(estate, "MEQ-010004") == []
    locked = qd.row(estate, MeasuringEquipment, "MEQ-010003")
    assert locked["locked_out"] and locked["equipment_status"] == "locked_out" and "overdue" in locked["lockout_reason"]
    before = qd.snapshot(estate)
    again = calibration.check_calibration_due(ctx)
    assert again["alerts_created"] == [] and again["locked_out"] == []
    assert qd.snapshot(estate) == before


def test_locked_out_equipment_blocks_inspections_until_calibrated(estate):
    qd.equipment(estate, "MEQ-020001", -1, locked=True)
    qd.equipment(estate, "MEQ-020002", -2)  # overdue, not yet locked by the daemon
    qd.equipment(estate, "MEQ-020003", 60)
    inspector = qd.ctx_for(estate, "quality_inspector")
    spec = {"diameter_mm": [49.95, 50.05]}
    before = qd.snapshot(estate)
    with pytest.raises(DomainError, match="locked out"):
        calibration.record_inspection(inspector, equipment_id="MEQ-020001", measured_values={"diameter_mm": 50.0},
                                      specification_values=spec)
    with pytest.raises(DomainError, match="overdue"):
        calibration.record_inspection(inspector, equipment_id="MEQ-020002", measured_values={"diameter_mm": 50.0},
                                      specification_values=spec)
    assert qd.snapshot(estate) == before

    ok = calibration.record_inspection(inspector, equipment_id="MEQ-020003", measured_values={"diameter_mm": 50.2},
                                       specification_values=spec, work_order_id=None, product_id="PRD-000001")
    stored = qd.row(estate, QualityInspections, ok["inspection_id"], qd.MFG)
    assert stored["inspection_result"] == "fail" and stored["defects_found"] == 1
    assert stored["measured_values"] == {"diameter_mm": 50.2, "measuring_equipment_id": "MEQ-020003"}

    # an inspector may not put locked-out equipment back in service; the quality manager may
    with pytest.raises(PermissionDenied):
        calibration.record_calibration(inspector, "MEQ-020001", result="pass")
    record = calibration.record_calibration(qd.ctx_for(estate), "MEQ-020001", result="pass", certificate_number="CERT-1",
                                            calibrated_by="EMP-000005")
    eq = qd.row(estate, MeasuringEquipment, "MEQ-020001")
    assert not eq["locked_out"] and eq["equipment_status"] == "active"
    assert eq["next_calibration_due"] == qd.TODAY + dt.timedelta(days=180) == record["next_due_date"]
    assert qd.row(estate, CalibrationRecords, record["calibration_id"])["calibration_result"] == "pass"
    passed = calibration.record_inspection(inspector, equipment_id="MEQ-020001", measured_values={"diameter_mm": 50.0},
                                           specification_values=spec)
    assert passed["inspection_result"] == "pass"


def test_calibration_resolves_alerts_and_failed_calibration_locks(estate):
    qd.equipment(estate, "MEQ-030001", 5)
    ctx = qd.ctx_for(estate)
    calibration.check_calibration_due(ctx)
    assert _alerts(estate, "MEQ-030001") == [("due_7_days", False)]
    calibration.record_calibration(ctx, "MEQ-030001", result="pass_with_adjustment")
    assert _alerts(estate, "MEQ-030001") == [("due_7_days", True)]
    inspector = qd.ctx_for(estate, "quality_inspector")
    calibration.record_calibration(inspector, "MEQ-030001", result="fail")
    eq = qd.row(estate, MeasuringEquipment, "MEQ-030001")
    assert eq["locked_out"] and eq["equipment_status"] == "locked_out" and "Failed calibration" in eq["lockout_reason"]
    before = qd.snapshot(estate)
    with pytest.raises(DomainError, match="future"):
        calibration.record_calibration(ctx, "MEQ-030001", calibration_date=qd.TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="has passed"):
        calibration.record_calibration(ctx, "MEQ-030001", calibration_date=qd.TODAY - dt.timedelta(days=400))
    with pytest.raises(DomainError, match="Calibration result"):
        calibration.record_calibration(ctx, "MEQ-030001", result="ok")
    assert qd.snapshot(estate) == before
