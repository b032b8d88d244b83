"""The simulators: each creates activity through the services on a seeded estate (frozen clock), a
rerun at the same instant creates nothing twice, the automations find work in what they made, the
references stay whole, the CLI runs them with --simulate / --only, and the IoT ingest stores exactly
the readings given (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from genims_tui.backend.check import check_references
from genims_tui.backend.databases import Databases
from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.crm import Activities, Leads
from genims_tui.backend.models.erp import ProductionOrders, SalesOrders
from genims_tui.backend.models.hr import AttendanceRecords
from genims_tui.backend.models.maintenance import WorkOrders as MaintenanceWorkOrders
from genims_tui.backend.models.manufacturing import QualityInspections, WorkOrders
from genims_tui.backend.models.operations import MachineFaults, ScadaMachineData, SensorData
from genims_tui.backend.models.quality import NcrHeaders
from genims_tui.backend.models.service import ServiceTickets
from genims_tui.backend.models.wms import PutawayTasks, ReceivingTasks
from genims_tui.backend.scheduler import registry, run_job, select_jobs
from genims_tui.backend.services.base import ServiceContext
from genims_tui.backend.services.operations import SENSOR_READING_COLUMNS, ingest_sensor_readings
from genims_tui.backend.simulators import plant, production
from genims_tui.backend.simulators._common import rng_for
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from clitools import describe, run_cli
from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)
T0 = AS_OF + dt.timedelta(minutes=30)

SIMULATORS = {"iot_simulator": 10, "scada_simulator": 60, "mes_simulator": 3600, "orders_simulator": 86400,
              "warehouse_simulator": 3600, "crm_simulator": 3600, "service_simulator": 3600, "hr_simulator": 86400}


def at(t: dt.datetime):
    return lambda: t


def count(dbs: Databases, database: str, model, *where) -> int:
    with dbs.connect(database) as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    env = sqlite_env(tmp_path_factory.mktemp("sims"))
    dbs = Databases(load_settings(environ=env))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    yield dbs, env
    dbs.dispose()


@pytest.fixture(scope="module")
def first_round(estate):
    """Every simulator once at T0, with the row counts before and after."""
    dbs, _ = estate
    tables = {
        "iot_simulator": ("genims_operations_db", SensorData),
        "scada_simulator": ("genims_operations_db", ScadaMachineData),
        "mes_simulator": ("genims_manufacturing_db", WorkOrders),
        "orders_simulator": ("genims_erp_db", SalesOrders),
        "warehouse_simulator": ("genims_wms_db", ReceivingTasks),
        "crm_simulator": ("genims_crm_db", Activities),
        "service_simulator": ("genims_service_db", ServiceTickets),
        "hr_simulator": ("genims_hr_db", AttendanceRecords),
    }
    before = {name: count(dbs, db, model) for name, (db, model) in tables.items()}
    runs = {name: run_job(dbs, name, clock=at(T0)) for name in SIMULATORS}
    after = {name: count(dbs, db, model) for name, (db, model) in tables.items()}
    return runs, before, after


def test_the_simulators_are_registered_as_simulators_with_their_cadence():
    jobs = registry()
    for name, interval in SIMULATORS.items():
        assert jobs[name].kind == "simulator" and jobs[name].interval_seconds == interval, name
    assert not set(SIMULATORS) & {j.name for j in select_jobs()}  # off by default
    assert set(SIMULATORS) <= {j.name for j in select_jobs(simulate=True)}


def test_every_simulator_creates_rows(estate, first_round):
    runs, before, after = first_round
    for name, result in runs.items():
        assert result.outcome == "success", (name, result.error)
        assert sum(result.counts.values()) > 0, (name, result.counts)
    dbs, _ = estate
    n_sensors = count(dbs, "genims_operations_db", SensorData, SensorData.timestamp == T0)
    assert n_sensors == runs["iot_simulator"].counts["readings"] > 1000
    assert after["scada_simulator"] - before["scada_simulator"] == runs["scada_simulator"].counts["rows"] > 100
    assert 3 <= after["orders_simulator"] - before["orders_simulator"] <= 8
    assert runs["orders_simulator"].counts["orders_created"] == after["orders_simulator"] - before["orders_simulator"]
    # nothing was in progress on the seeded floor: the planner released the next production order
    assert runs["mes_simulator"].counts["released"] == 1 and runs["mes_simulator"].counts["work_orders_advanced"] >= 1
    assert after["mes_simulator"] == before["mes_simulator"] + 1
    assert after["warehouse_simulator"] > before["warehouse_simulator"]
    assert count(dbs, "genims_wms_db", PutawayTasks) >= runs["warehouse_simulator"].counts["putaways"] > 0
    assert after["hr_simulator"] - before["hr_simulator"] == runs["hr_simulator"].counts["attendance_recorded"] > 0
    assert after["crm_simulator"] - before["crm_simulator"] == runs["crm_simulator"].counts["activities_logged"]


def test_a_rerun_at_the_same_instant_creates_nothing(estate, first_round):
    dbs, _ = estate
    runs_before = {n: count(dbs, "genims_operations_db", SensorData) for n in ("x",)}
    again = {name: run_job(dbs, name, clock=at(T0)) for name in SIMULATORS}
    for name, result in again.items():
        assert result.outcome == "success", (name, result.error)
    assert again["iot_simulator"].counts["readings"] == 0
    assert count(dbs, "genims_operations_db", SensorData) == runs_before["x"]
    assert again["scada_simulator"].counts["rows"] == 0
    assert again["orders_simulator"].counts["orders_created"] == 0
    assert again["orders_simulator"].counts["already"] == first_round[0]["orders_simulator"].counts["orders_created"]
    assert again["service_simulator"].counts["tickets_created"] == 0
    assert again["crm_simulator"].counts == {"leads_created": 0, "activities_logged": 0}
    assert again["hr_simulator"].counts["attendance_recorded"] == 0
    assert again["mes_simulator"].counts["work_orders_advanced"] == 0
    assert again["warehouse_simulator"].counts["deliveries"] == 0


def test_the_random_stream_depends_on_job_and_instant_only(estate):
    dbs, _ = estate
    a = [rng_for("iot_simulator", ServiceContext(dbs, clock=at(T0))).random() for _ in range(2)]
    b = [rng_for("iot_simulator", ServiceContext(dbs, clock=at(T0 + dt.timedelta(seconds=10)))).random() for _ in range(2)]
    c = rng_for("scada_simulator", ServiceContext(dbs, clock=at(T0))).random()
    assert a[0] == a[1] and a[0] != b[0] and a[0] != c


def test_a_critical_reading_opens_a_fault_that_becomes_a_corrective_work_order(estate, first_round):
    dbs, _ = estate
    t = T0 + dt.timedelta(minutes=1)
    ctx = ServiceContext(dbs, clock=at(t))
    open_before = count(dbs, "genims_operations_db", MachineFaults, MachineFaults.fault_end_time.is_(None))
    res = plant.simulate_sensor_readings(ctx, critical_chance=1.0)
    assert 1 <= len(res["faults_opened"]) <= plant.MAX_FAULTS_PER_RUN
    fault_id = res["faults_opened"][0]
    with dbs.connect("genims_operations_db") as conn:
        fault = conn.execute(select(MachineFaults).where(MachineFaults.fault_id == fault_id)).one()
        critical = conn.execute(select(SensorData).where(
            SensorData.timestamp == t, SensorData.machine_id == fault.machine_id, SensorData.status == "critical")).all()
    assert fault.status == "open" and fault.fault_severity in ("critical", "major")
    assert critical and all(r.is_above_critical or r.is_below_critical for r in critical)
    assert {r.sensor_id for r in critical} >= set(fault.contributing_sensors.split(","))
    assert count(dbs, "genims_operations_db", MachineFaults, MachineFaults.fault_end_time.is_(None)) == \
        open_before + len(res["faults_opened"])

    # SCADA shows the machine faulted, with the fault's code
    assert run_job(dbs, "scada_simulator", clock=at(t)).outcome == "success"
    with dbs.connect("genims_operations_db") as conn:
        row = conn.execute(select(ScadaMachineData).where(ScadaMachineData.machine_id == fault.machine_id,
                                                          ScadaMachineData.timestamp == t)).one()
    assert (row.machine_state, row.fault_code) == ("fault", fault.fault_code)

    # the next readings keep the machine's contributing sensors critical, without a second fault
    later = plant.simulate_sensor_readings(ServiceContext(dbs, clock=at(t + dt.timedelta(seconds=10))), critical_chance=0.0)
    assert later["faults_opened"] == []

    # the CMMS rule makes a corrective work order of it
    cwo = run_job(dbs, "corrective_work_orders", clock=at(t + dt.timedelta(minutes=5)))
    assert cwo.outcome == "success" and cwo.counts["work_orders_created"] >= 1
    assert count(dbs, "genims_maintenance_db", MaintenanceWorkOrders,
                 MaintenanceWorkOrders.machine_fault_id == str(fault_id)) == 1

    # the episode ends (at most 10 hours for a critical fault): the simulator resolves it
    done = plant.simulate_sensor_readings(ServiceContext(dbs, clock=at(t + dt.timedelta(hours=11))), critical_chance=0.0)
    assert fault_id in done["faults_resolved"]
    with dbs.connect("genims_operations_db") as conn:
        fault = conn.execute(select(MachineFaults).where(MachineFaults.fault_id == fault_id)).one()
    assert fault.status == "resolved" and fault.fault_end_time > fault.fault_start_time
    assert fault.fault_duration_seconds == int((fault.fault_end_time - fault.fault_start_time).total_seconds())


def _stock_up_components(dbs: Databases, when: dt.datetime) -> None:
    """Receive the components of every released / in-progress production order (the ERP stock the
    backflush at confirmation needs), through the inventory service."""
    from genims_tui.backend.services.inventory import post_movement
    from genims_tui.backend.services.production import _backflush

    ctx = ServiceContext(dbs, clock=at(when))
    with ctx.transaction("genims_erp_db") as conn:
        orders = conn.execute(select(ProductionOrders).where(
            ProductionOrders.system_status.in_(("released", "in_progress")))).all()
        for po in orders:
            for need in _backflush(conn, po, int(po.order_quantity or 0) * 2):
                post_movement(ctx, conn, material_id=need["material_id"], plant_id=po.plant_id, storage_location="RM01",
                              batch_number=None, quantity=need["quantity"], amount=need["quantity"],
                              transaction_type="goods_receipt", movement_type="501", posting_date=when.date(),
                              reason_text="test: components for the simulated production")


def test_mes_progress_finishes_and_confirms_work_orders_and_failed_inspections_become_ncrs(estate, first_round):
    dbs, _ = estate
    t = T0 + dt.timedelta(hours=1)
    totals: dict[str, int] = {}
    for hour in range(12):
        now = t + dt.timedelta(hours=hour)
        if hour == 2:
            _stock_up_components(dbs, now)
        res = production.simulate_production(ServiceContext(dbs, clock=at(now)), fail_chance=1.0)
        for k, v in res.items():
            totals[k] = totals.get(k, 0) + v
    assert totals["units_good"] > 0 and totals["operations_completed"] > 0
    assert totals["confirmed"] >= 1, totals
    assert totals["inspections_failed"] == totals["inspections"] >= 1
    with dbs.connect("genims_manufacturing_db") as conn:
        done = conn.execute(select(WorkOrders).where(WorkOrders.status == "completed",
                                                     WorkOrders.actual_end_time >= t)).all()
        failed = conn.execute(select(QualityInspections.inspection_id).where(
            QualityInspections.inspection_result == "fail", QualityInspections.inspection_date >= t)).scalars().all()
    assert done and all(w.good_quantity + w.rejected_quantity == w.produced_quantity for w in done)
    with dbs.connect("genims_erp_db") as conn:
        confirmed = conn.execute(select(ProductionOrders.system_status).where(
            ProductionOrders.work_order_id.in_([w.work_order_id for w in done]))).scalars().all()
    assert confirmed and set(confirmed) == {"completed"}

    ncr = run_job(dbs, "mes_inspections_to_ncr", clock=at(t + dt.timedelta(hours=13)))
    assert ncr.outcome == "success" and ncr.counts["ncrs_created"] >= 1
    assert count(dbs, "genims_quality_db", NcrHeaders, NcrHeaders.source_document_id.in_(failed)) >= 1


def test_quality_tickets_and_leads(estate, first_round):
    from genims_tui.backend.simulators.market import simulate_crm, simulate_service

    dbs, _ = estate
    ctx = ServiceContext(dbs, clock=at(T0 + dt.timedelta(hours=2)))
    res = simulate_service(ctx, count=4, quality_share=1.0)
    assert res == {"tickets_created": 4, "quality_tickets": 4}
    with dbs.connect("genims_service_db") as conn:
        rows = conn.execute(select(ServiceTickets).where(ServiceTickets.created_at == ctx.now())).all()
    assert len(rows) == 4 and {(r.ticket_type, r.category) for r in rows} == {("complaint", "product_quality")}
    assert all(r.sla_id and r.resolution_due_datetime > r.created_at for r in rows)
    leads_before = count(dbs, "genims_crm_db", Leads)
    assert simulate_crm(ctx, leads=2, activities=3) == {"leads_created": 2, "activities_logged": 3}
    assert count(dbs, "genims_crm_db", Leads) == leads_before + 2


def test_a_lead_is_contacted_by_its_first_activity_and_bad_input_is_refused(estate, first_round):
    from genims_tui.backend.services.customer_activity import create_lead, log_activity

    dbs, _ = estate
    ctx = ServiceContext(dbs, clock=at(T0 + dt.timedelta(hours=3)))
    lead_id = create_lead(ctx, company_name="Test Drives", lead_source="website")
    log_activity(ctx, activity_type="call", subject="Intro call", lead_id=lead_id, outcome="positive")
    with dbs.connect("genims_crm_db") as conn:
        lead = conn.execute(select(Leads).where(Leads.lead_id == lead_id)).one()
    assert (lead.lead_status, lead.contact_attempts, lead.first_contact_date) == ("contacted", 1, ctx.now())
    with pytest.raises(DomainError):
        log_activity(ctx, activity_type="telepathy", subject="x", lead_id=lead_id)
    with pytest.raises(DomainError):
        log_activity(ctx, activity_type="call", subject="x", lead_id=lead_id, account_id="ACC-000001")


def test_no_dangling_references_after_the_simulators(estate, first_round):
    dbs, _ = estate
    t = T0 + dt.timedelta(hours=20)
    for name in SIMULATORS:  # one more round, a day later for the daily ones
        assert run_job(dbs, name, clock=at(t)).outcome == "success", name
    report = check_references(dbs)
    assert report.dangling_values == 0, [d.as_dict() for d in report.dangling]


def test_run_daemons_simulate_once_through_the_cli(estate, first_round):
    _, env = estate
    only = "iot_simulator,scada_simulator,service_simulator"
    result = run_cli("run-daemons", "--once", "--simulate", "--only", only, "--json", env=env)
    assert result.returncode == 0, describe(result)
    import json

    doc = json.loads(result.stdout)
    assert doc["ok"] is True
    runs = {r["job_name"]: r for r in doc["runs"]}
    assert set(runs) == set(only.split(","))
    assert runs["iot_simulator"]["counts"]["readings"] > 1000
    assert runs["scada_simulator"]["counts"]["rows"] > 100


# -- the ingest ---------------------------------------------------------------------------------------------


def _readings(n: int, t: dt.datetime) -> list[dict]:
    rows = []
    for i in range(n):
        v = Decimal(1000 + i).scaleb(-4) + Decimal("12.5")
        rows.append({"sensor_id": f"SNS-{i % 50:06d}", "machine_id": f"MCH-{i % 7:06d}", "line_id": "LINE-000001",
                     "factory_id": "FAC-000001", "timestamp": t + dt.timedelta(seconds=i), "measurement_value": v,
                     "measurement_unit": "C", "status": "warning" if i % 97 == 0 else "normal",
                     "quality": "good", "is_below_warning": False, "is_above_warning": i % 97 == 0,
                     "is_below_critical": False, "is_above_critical": False, "anomaly_score": Decimal("0.1234"),
                     "is_anomaly": False, "data_source": "iot_gateway", "protocol": None if i % 3 else "MQTT",
                     "created_at": t})
    return rows


def _check_ingest(dbs: Databases) -> None:
    dbs.create(["genims_operations_db"])
    t = dt.datetime(2026, 6, 1, 8, 0)
    rows = _readings(2500, t)
    assert ingest_sensor_readings(ServiceContext(dbs), rows[:1000]) == 1000
    assert ingest_sensor_readings(dbs, [tuple(r.get(c) for c in SENSOR_READING_COLUMNS) for r in rows[1000:]]) == 1500
    with pytest.raises(DomainError):  # one malformed reading: nothing of the call is stored
        ingest_sensor_readings(dbs, _readings(10, t) + [{"sensor_id": "SNS-X", "timestamp": t}])
    with pytest.raises(DomainError):
        ingest_sensor_readings(dbs, [{"sensor_id": "SNS-X", "timestamp": t, "measurement_value": 1, "colour": "red"}])
    assert ingest_sensor_readings(dbs, []) == 0
    with dbs.connect("genims_operations_db") as conn:
        stored = conn.execute(select(SensorData).order_by(SensorData.timestamp)).all()
    assert len(stored) == 2500
    assert len({r.sensor_data_id for r in stored}) == 2500
    for want, got in zip(rows, stored, strict=True):
        for column, value in want.items():
            assert getattr(got, column) == value, (column, value, getattr(got, column))


def test_ingest_stores_exactly_the_readings_given_sqlite(sqlite_dbs):
    _check_ingest(sqlite_dbs)


def test_ingest_stores_exactly_the_readings_given_postgresql(pg_dbs):
    _check_ingest(pg_dbs)
