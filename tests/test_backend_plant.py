"""The plant manager's read side on a tiny hand-built estate (SQLite and PostgreSQL in both layouts):
OEE is the product of summed ratios (not an average), line states, work in progress, the sensor chart's
readings, the downtime Pareto, the maintenance backlog, PM compliance and MTBF / MTTR."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert

from genims_tui.backend import plant
from genims_tui.backend.access import role_user
from genims_tui.backend.browse import PageQuery
from genims_tui.backend.errors import NotFound, PermissionDenied
from genims_tui.backend.models.maintenance import MaintenanceAssets
from genims_tui.backend.models.maintenance import WorkOrders as MaintenanceWorkOrders
from genims_tui.backend.models.manufacturing import DowntimeEvents
from genims_tui.backend.models.manufacturing import WorkOrders as MesWorkOrders
from genims_tui.backend.models.master import Factories, Machines, ProductionLines, Sensors
from genims_tui.backend.models.operations import MachineFaults, ScadaMachineData, SensorData

NOW = dt.datetime(2026, 6, 1, 12, 30)
MANAGER = role_user("plant_manager")


def add(dbs, database: str, model, rows: list[dict]) -> None:
    """Insert rows through the model (every row with the same keys: the missing ones are NULL)."""
    keys = {k for row in rows for k in row}
    with dbs.begin(database) as conn:
        conn.execute(insert(model), [{k: row.get(k) for k in keys} for row in rows])


def snapshot(scada_id: int, machine: str, line: str, factory: str, at: dt.datetime, state: str, up: int, down: int,
             target: int, produced: int, rejected: int, alarms: int = 0) -> dict:
    return {"scada_id": scada_id, "machine_id": machine, "line_id": line, "factory_id": factory, "timestamp": at,
            "machine_state": state, "uptime_seconds_shift": up, "downtime_seconds_shift": down,
            "target_cycle_time_seconds": target, "parts_produced_shift": produced, "parts_rejected_shift": rejected,
            "active_alarms": alarms}


@pytest.fixture
def plant_estate(sqlite_dbs):
    return build_estate(sqlite_dbs)


def build_estate(dbs):
    dbs.create()
    add(dbs, plant.MASTER, Factories, [{"factory_id": "F1", "factory_name": "North", "city": "Oslo"},
                                       {"factory_id": "F2", "factory_name": "South", "city": "Rome"}])
    add(dbs, plant.MASTER, ProductionLines, [{"line_id": "L1", "factory_id": "F1", "line_name": "Line one"},
                                             {"line_id": "L2", "factory_id": "F1", "line_name": "Line two"},
                                             {"line_id": "L3", "factory_id": "F2", "line_name": "Line three"}])
    add(dbs, plant.MASTER, Machines, [{"machine_id": m, "line_id": line, "factory_id": f, "machine_name": m}
                                      for m, line, f in (("M1", "L1", "F1"), ("M2", "L1", "F1"), ("M3", "L2", "F1"),
                                                         ("M4", "L3", "F2"))])
    add(dbs, plant.MASTER, Sensors, [{"sensor_id": "S1", "machine_id": "M1", "line_id": "L1", "factory_id": "F1",
                                      "sensor_name": "Spindle temperature", "measurement_unit": "C",
                                      "warning_threshold_min": Decimal("10"), "warning_threshold_max": Decimal("80"),
                                      "critical_threshold_min": Decimal("5"), "critical_threshold_max": Decimal("95")}])
    hour = dt.timedelta(hours=1)
    add(dbs, plant.OPS, ScadaMachineData, [
        # M1: an earlier snapshot in the window (must not count) and its latest one
        snapshot(1, "M1", "L1", "F1", NOW - 3 * hour, "running", 100, 0, 30, 3, 3),
        snapshot(2, "M1", "L1", "F1", NOW - hour, "running", 3000, 600, 30, 90, 9, alarms=2),
        snapshot(3, "M2", "L1", "F1", NOW - 2 * hour, "idle", 1000, 2600, 60, 10, 0),
        # M3: only a snapshot older than the 24 h window; a snapshot after `now` is the future
        snapshot(4, "M3", "L2", "F1", NOW - 30 * hour, "running", 3600, 0, 10, 360, 0),
        snapshot(5, "M2", "L1", "F1", NOW + hour, "fault", 1, 1, 1, 1, 1),
    ])
    add(dbs, plant.OPS, MachineFaults, [
        {"fault_id": 1, "machine_id": "M3", "line_id": "L2", "factory_id": "F1", "fault_code": "F-1",
         "fault_start_time": NOW - 2 * hour, "status": "open"},
        {"fault_id": 2, "machine_id": "M1", "line_id": "L1", "factory_id": "F1", "fault_code": "F-2",
         "fault_start_time": NOW - 5 * hour, "fault_end_time": NOW - 4 * hour, "status": "resolved",
         "downtime_minutes": 60},
    ])
    add(dbs, plant.OPS, SensorData, [
        {"sensor_data_id": i + 1, "sensor_id": "S1", "machine_id": "M1", "line_id": "L1", "factory_id": "F1",
         "timestamp": NOW - dt.timedelta(minutes=250 - i), "measurement_value": Decimal(40 + i % 7)}
        for i in range(250)] + [
        {"sensor_data_id": 1000, "sensor_id": "S1", "machine_id": "M1", "line_id": "L1", "factory_id": "F1",
         "timestamp": NOW + hour, "measurement_value": Decimal("99")}])
    add(dbs, plant.MFG, MesWorkOrders, [
        {"work_order_id": "WO-1", "factory_id": "F1", "status": "released", "planned_quantity": 100, "produced_quantity": 0},
        {"work_order_id": "WO-2", "factory_id": "F1", "status": "in_progress", "planned_quantity": 80,
         "produced_quantity": 20},
        {"work_order_id": "WO-3", "factory_id": "F1", "status": "completed", "planned_quantity": 10,
         "produced_quantity": 10},
    ])
    add(dbs, plant.MFG, DowntimeEvents, [
        {"downtime_id": f"DT-{n}", "machine_id": m, "downtime_start": NOW - dt.timedelta(days=days),
         "duration_minutes": minutes, "downtime_reason_code": reason, "downtime_category": "unplanned"}
        for n, (m, days, minutes, reason) in enumerate((("M1", 1, 30, "A"), ("M1", 2, 20, "A"), ("M1", 3, 45, "B"),
                                                         ("M1", 200, 500, "C"), ("M2", 1, 999, "A")))])
    today = NOW.date()
    day = dt.timedelta(days=1)
    at = dt.datetime.combine
    add(dbs, plant.MNT, MaintenanceAssets, [
        {"asset_id": "A1", "asset_name": "Press", "machine_id": "M1", "criticality_rating": "critical", "is_active": True},
        {"asset_id": "A2", "asset_name": "Saw", "machine_id": "M2", "criticality_rating": "low", "is_active": True}])
    add(dbs, plant.MNT, MaintenanceWorkOrders, [
        # preventive, due in the last 30 days: on time, late, still open; and one due long ago
        {"work_order_id": "W1", "asset_id": "A2", "wo_type": "preventive", "wo_status": "completed",
         "scheduled_end_date": today - 5 * day, "completed_at": at(today - 6 * day, dt.time(10))},
        {"work_order_id": "W2", "asset_id": "A2", "wo_type": "preventive", "wo_status": "completed",
         "scheduled_end_date": today - 3 * day, "completed_at": at(today - day, dt.time(10))},
        {"work_order_id": "W3", "asset_id": "A2", "wo_type": "preventive", "wo_status": "scheduled",
         "scheduled_end_date": today - 2 * day},
        {"work_order_id": "W4", "asset_id": "A2", "wo_type": "preventive", "wo_status": "completed",
         "scheduled_end_date": today - 60 * day, "completed_at": at(today - 60 * day, dt.time(10))},
        {"work_order_id": "W5", "asset_id": "A2", "wo_type": "corrective", "wo_status": "assigned",
         "scheduled_end_date": today + 4 * day},
        # two repairs of the critical asset: 2 h and 4 h
        {"work_order_id": "W6", "asset_id": "A1", "wo_type": "corrective", "wo_status": "completed",
         "actual_start_date": NOW - 10 * day, "actual_end_date": NOW - 10 * day + 2 * hour,
         "scheduled_end_date": today - 10 * day},
        {"work_order_id": "W7", "asset_id": "A1", "wo_type": "breakdown", "wo_status": "closed",
         "actual_start_date": NOW - 20 * day, "actual_end_date": NOW - 20 * day + 4 * hour,
         "scheduled_end_date": today - 20 * day},
    ])
    return dbs


def test_oee_is_the_product_of_summed_ratios_and_lines_have_states(any_dbs):
    plant_estate = build_estate(any_dbs)
    rows = {r["factory_id"]: r for r in plant.factory_network(plant_estate, MANAGER, NOW)}
    north, south = rows["F1"], rows["F2"]
    # M1 (latest snapshot) + M2; M1's earlier snapshot, M3's stale one and M2's future one do not count
    availability = Decimal(3000 + 1000) / Decimal(3600 + 3600)
    performance = Decimal(30 * 90 + 60 * 10) / Decimal(3000 + 1000)
    quality = Decimal(81 + 10) / Decimal(90 + 10)
    assert north["availability"] == availability
    assert north["performance"] == performance == Decimal("0.825")
    assert north["quality"] == quality == Decimal("0.91")
    assert north["oee"] == availability * performance * quality
    assert plant.percent(north["oee"], 3) == Decimal("41.708")
    # not the average of the machines' OEEs (0.675 and 0.1666...)
    assert plant.percent((Decimal("0.675") + Decimal(1000) / 3600 * Decimal("0.6")) / 2, 3) != Decimal("41.708")
    assert (north["lines_running"], north["lines_idle"], north["lines_faulted"]) == (1, 0, 1)
    assert north["work_orders_in_progress"] == 2 and north["open_faults"] == 1 and north["active_alarms"] == 2
    assert south["oee"] is None and (south["lines_running"], south["lines_idle"], south["lines_faulted"]) == (0, 1, 0)

    lines = {r["line_id"]: r for r in plant.factory_lines(plant_estate, MANAGER, "F1", NOW)}
    assert lines["L1"]["state"] == "running" and lines["L2"]["state"] == "faulted"
    assert lines["L1"]["oee"] == north["oee"] and lines["L2"]["oee"] is None
    machines = {r["machine_id"]: r for r in plant.line_machines(plant_estate, MANAGER, "L1", NOW)}
    assert machines["M1"]["oee"] == Decimal(3000) / 3600 * (Decimal(2700) / 3000) * (Decimal(81) / 90)
    assert machines["M2"]["state"] == "idle" and machines["M2"]["last_snapshot"] == NOW - dt.timedelta(hours=2)
    with pytest.raises(NotFound):
        plant.factory_lines(plant_estate, MANAGER, "F9", NOW)
    # the other reads on this backend too (dates, windows and groupings are dialect-sensitive)
    assert [p["reason"] for p in plant.machine_detail(plant_estate, MANAGER, "M1", NOW)["pareto"]] == ["A", "B"]
    assert len(plant.sensor_readings(plant_estate, MANAGER, "S1", NOW)["readings"]) == 200
    summary = plant.maintenance_summary(plant_estate, MANAGER, NOW)
    assert (summary["pm_compliance"], summary["overdue"]) == (Decimal("33.3"), 1)
    assert summary["reliability"][0]["mtbf_hours"] == Decimal("1077.00")
    assert plant.maintenance_backlog_page(plant_estate, MANAGER, NOW.date(), PageQuery(limit=10)).keys == ["W3", "W5"]
    assert plant.production_orders_page(plant_estate, MANAGER, PageQuery(limit=10)).rows == []


def test_machine_detail_sensor_readings_and_pareto(plant_estate):
    detail = plant.machine_detail(plant_estate, MANAGER, "M1", NOW)
    assert [s["sensor_id"] for s in detail["sensors"]] == ["S1"]
    assert detail["sensors"][0]["latest_value"] == Decimal(40 + 249 % 7)  # not the future 99
    assert [(p["reason"], p["minutes"], p["events"]) for p in detail["pareto"]] == [("A", 50, 2), ("B", 45, 1)]
    assert [f["fault_id"] for f in detail["faults"]] == [2] and detail["open_faults"] == 0

    chart = plant.sensor_readings(plant_estate, MANAGER, "S1", NOW)
    readings = chart["readings"]
    assert len(readings) == plant.SENSOR_READINGS == 200
    assert readings[-1]["timestamp"] == NOW - dt.timedelta(minutes=1)  # the latest up to now, oldest first
    assert readings[0]["timestamp"] == NOW - dt.timedelta(minutes=200)
    assert chart["sensor"]["warning_threshold_max"] == Decimal("80")
    assert chart["sensor"]["critical_threshold_min"] == Decimal("5")


def test_production_pages_and_maintenance_backlog(plant_estate):
    mes = plant.mes_work_orders_page(plant_estate, MANAGER, PageQuery(limit=10, filter_text="status=in_progress"))
    assert mes.keys == ["WO-2"]
    assert Decimal(str(mes.rows[0][mes.columns.index("progress_pct")])) == Decimal("25")

    backlog = plant.maintenance_backlog_page(plant_estate, MANAGER, NOW.date(), PageQuery(limit=10))
    assert backlog.keys == ["W3", "W5"]  # open only, earliest due first
    assert [r[backlog.columns.index("overdue")] for r in backlog.rows] == ["yes", "no"]

    summary = plant.maintenance_summary(plant_estate, MANAGER, NOW)
    assert (summary["open"], summary["overdue"]) == (2, 1)
    assert (summary["pm_due"], summary["pm_on_time"], summary["pm_compliance"]) == (3, 1, Decimal("33.3"))
    [press] = summary["reliability"]  # the one critical asset
    # 90 days = 2160 h; 6 h of repairs in 2 failures
    assert (press["asset_id"], press["failures"]) == ("A1", 2)
    assert press["mttr_hours"] == Decimal("3.00") and press["mtbf_hours"] == Decimal("1077.00")


def test_reads_need_read_access(plant_estate):
    with pytest.raises(PermissionDenied):
        plant.factory_network(plant_estate, role_user("customer"), NOW)
    with pytest.raises(PermissionDenied):
        plant.maintenance_summary(plant_estate, role_user("viewer"), NOW)
