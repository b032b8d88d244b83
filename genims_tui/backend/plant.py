"""The plant manager's read side: the factory network with OEE, the drill-down factory -> line ->
machine -> sensor, production orders and work orders with progress, and the maintenance backlog.

Every function reads (never writes), checks the user's read access to the databases it touches, and
returns plain data (dicts, lists, Decimals). Every query is bounded: a LIMIT, a time window ending at
`now` (the caller's clock), or a GROUP BY over master data. Never imports textual.

OEE (factory, line or machine) is computed from summed times and counts, never by averaging
percentages. Each machine contributes its latest SCADA snapshot in the window (default: the 24 hours
ending at `now`); a snapshot carries shift-to-date counters, so this is "the current shift so far":
    planned time  = uptime_seconds_shift + downtime_seconds_shift
    availability  = sum(uptime) / sum(planned time)
    performance   = sum(target_cycle_time_seconds x parts_produced_shift) / sum(uptime)
    quality       = sum(parts_produced_shift - parts_rejected_shift) / sum(parts_produced_shift)
    OEE           = availability x performance x quality
A ratio whose denominator is zero is None (no data), and so is OEE then.

Line state, from its machines' latest snapshots and open faults: `faulted` when a machine is in
state `fault` or has an open fault, else `running` when a machine runs, else `idle` (no data is idle).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String, case, cast, func, literal, or_, select

from .access import ActingUser, require
from .browse import Page, PageQuery, page_select
from .databases import Databases
from .errors import NotFound
from .models.erp import ProductionOrders
from .models.maintenance import MaintenanceAssets
from .models.maintenance import WorkOrders as MaintenanceWorkOrders
from .models.manufacturing import DowntimeEvents
from .models.manufacturing import WorkOrders as MesWorkOrders
from .models.master import Factories, Machines, ProductionLines, Sensors
from .models.operations import MachineFaults, ScadaMachineData, SensorData

MASTER = "genims_master_db"
OPS = "genims_operations_db"
MFG = "genims_manufacturing_db"
ERP = "genims_erp_db"
MNT = "genims_maintenance_db"

OEE_WINDOW = dt.timedelta(hours=24)
PARETO_WINDOW = dt.timedelta(days=90)
RELIABILITY_WINDOW = dt.timedelta(days=90)
PM_COMPLIANCE_WINDOW = dt.timedelta(days=30)
SENSOR_READINGS = 200  # readings in a sensor chart
MACHINE_FAULTS = 20  # faults listed for a machine
PARETO_REASONS = 10
CRITICAL_ASSETS = 50
MAX_MACHINES = 10_000  # a guard: one snapshot row per machine is read
MAX_SENSORS_PER_MACHINE = 50  # one latest-reading lookup each
WIP_STATUSES = ("released", "in_progress")  # MES work orders on the floor
CLOSED_FAULT_STATUSES = ("resolved", "closed")
CLOSED_MAINTENANCE_STATUSES = ("completed", "closed", "cancelled", "canceled")
DONE_MAINTENANCE_STATUSES = ("completed", "closed")
HUNDRED = Decimal(100)


# -- OEE ---------------------------------------------------------------------------------------------

@dataclass
class OeeTotals:
    """Summed times (seconds) and counts; the ratios are computed from the sums."""

    planned_seconds: Decimal = Decimal(0)
    run_seconds: Decimal = Decimal(0)
    ideal_seconds: Decimal = Decimal(0)
    total_count: Decimal = Decimal(0)
    good_count: Decimal = Decimal(0)

    def add(self, uptime: Any, downtime: Any, target_cycle: Any, produced: Any, rejected: Any) -> None:
        up, down = _d(uptime), _d(downtime)
        made, bad = _d(produced), _d(rejected)
        self.planned_seconds += up + down
        self.run_seconds += up
        self.ideal_seconds += _d(target_cycle) * made
        self.total_count += made
        self.good_count += max(Decimal(0), made - bad)

    @property
    def availability(self) -> Decimal | None:
        return self.run_seconds / self.planned_seconds if self.planned_seconds else None

    @property
    def performance(self) -> Decimal | None:
        return self.ideal_seconds / self.run_seconds if self.run_seconds else None

    @property
    def quality(self) -> Decimal | None:
        return self.good_count / self.total_count if self.total_count else None

    @property
    def oee(self) -> Decimal | None:
        a, p, q = self.availability, self.performance, self.quality
        return None if a is None or p is None or q is None else a * p * q

    def as_dict(self) -> dict[str, Decimal | None]:
        return {"availability": self.availability, "performance": self.performance, "quality": self.quality,
                "oee": self.oee}


def _d(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def percent(ratio: Decimal | None, places: int = 1) -> Decimal | None:
    """A ratio as a percentage rounded for display (None stays None)."""
    return None if ratio is None else (ratio * HUNDRED).quantize(Decimal(1).scaleb(-places))


def _latest_snapshots(dbs: Databases, now: dt.datetime, window: dt.timedelta, *, factory_id: str | None = None,
                      line_id: str | None = None, machine_id: str | None = None) -> dict[str, Any]:
    """machine_id -> its latest SCADA snapshot in (now - window, now]."""
    s = ScadaMachineData
    ranked = select(
        s.machine_id, s.line_id, s.factory_id, s.timestamp, s.machine_state, s.uptime_seconds_shift,
        s.downtime_seconds_shift, s.target_cycle_time_seconds, s.parts_produced_shift, s.parts_rejected_shift,
        s.active_alarms,
        func.row_number().over(partition_by=s.machine_id, order_by=(s.timestamp.desc(), s.scada_id.desc()))
        .label("rank"),
    ).where(s.timestamp > now - window, s.timestamp <= now)
    if factory_id is not None:
        ranked = ranked.where(s.factory_id == factory_id)
    if line_id is not None:
        ranked = ranked.where(s.line_id == line_id)
    if machine_id is not None:
        ranked = ranked.where(s.machine_id == machine_id)
    sub = ranked.subquery()
    with dbs.connect(OPS) as conn:
        rows = conn.execute(select(sub).where(sub.c.rank == 1).limit(MAX_MACHINES)).all()
    return {r.machine_id: r for r in rows}


def _open_faults(dbs: Databases, group_by, *where) -> dict[str, int]:
    f = MachineFaults
    query = (select(group_by, func.count()).where(
        or_(f.status.is_(None), f.status.not_in(CLOSED_FAULT_STATUSES)), *where).group_by(group_by))
    with dbs.connect(OPS) as conn:
        return {k: n for k, n in conn.execute(query)}


def _oee_by(snapshots: Iterable[Any], key: str) -> dict[str, OeeTotals]:
    totals: dict[str, OeeTotals] = defaultdict(OeeTotals)
    for snap in snapshots:
        totals[getattr(snap, key)].add(snap.uptime_seconds_shift, snap.downtime_seconds_shift,
                                       snap.target_cycle_time_seconds, snap.parts_produced_shift,
                                       snap.parts_rejected_shift)
    return totals


def machine_state(snapshot: Any | None, open_faults: int) -> str:
    if open_faults or (snapshot is not None and snapshot.machine_state == "fault"):
        return "faulted"
    if snapshot is None:
        return "idle"
    return "running" if snapshot.machine_state == "running" else "idle"


def line_state(machine_states: Iterable[str]) -> str:
    states = set(machine_states)
    if "faulted" in states:
        return "faulted"
    return "running" if "running" in states else "idle"


def _require_plant(user: ActingUser, action: str) -> None:
    require(user, MASTER, "read", action)
    require(user, OPS, "read", action)


# -- the factory network and its drill-down --------------------------------------------------------

def factory_network(dbs: Databases, user: ActingUser, now: dt.datetime,
                    window: dt.timedelta = OEE_WINDOW) -> list[dict[str, Any]]:
    """One row per factory: OEE and its factors, lines running / idle / faulted, MES work orders in
    progress, open faults and active SCADA alarms."""
    _require_plant(user, "Reading the factory network")
    with dbs.connect(MASTER) as conn:
        factories = conn.execute(select(Factories.factory_id, Factories.factory_name, Factories.city,
                                        Factories.country).order_by(Factories.factory_id).limit(1000)).all()
        lines = conn.execute(select(ProductionLines.line_id, ProductionLines.factory_id)
                             .limit(MAX_MACHINES)).all()
        machines = conn.execute(select(Machines.machine_id, Machines.line_id, Machines.factory_id)
                                .limit(MAX_MACHINES)).all()
    snapshots = _latest_snapshots(dbs, now, window)
    faults_by_machine = _open_faults(dbs, MachineFaults.machine_id)
    wip: dict[str, int] = {}
    if user.can(MFG, "read"):
        with dbs.connect(MFG) as conn:
            wip = {k: n for k, n in conn.execute(
                select(MesWorkOrders.factory_id, func.count()).where(MesWorkOrders.status.in_(WIP_STATUSES))
                .group_by(MesWorkOrders.factory_id))}
    states_by_line: dict[str, list[str]] = defaultdict(list)
    for m in machines:
        states_by_line[m.line_id].append(machine_state(snapshots.get(m.machine_id), faults_by_machine.get(m.machine_id, 0)))
    line_counts: dict[str, dict[str, int]] = defaultdict(lambda: {"running": 0, "idle": 0, "faulted": 0})
    for line in lines:
        line_counts[line.factory_id][line_state(states_by_line.get(line.line_id, []))] += 1
    oee = _oee_by(snapshots.values(), "factory_id")
    alarms: dict[str, int] = defaultdict(int)
    for snap in snapshots.values():
        alarms[snap.factory_id] += snap.active_alarms or 0
    faults_by_factory: dict[str, int] = defaultdict(int)
    machine_factory = {m.machine_id: m.factory_id for m in machines}
    for machine_id, n in faults_by_machine.items():
        faults_by_factory[machine_factory.get(machine_id)] += n
    result = []
    for f in factories:
        counts = line_counts[f.factory_id]
        result.append({
            "factory_id": f.factory_id, "factory_name": f.factory_name, "city": f.city, "country": f.country,
            **oee.get(f.factory_id, OeeTotals()).as_dict(),
            "lines_running": counts["running"], "lines_idle": counts["idle"], "lines_faulted": counts["faulted"],
            "work_orders_in_progress": wip.get(f.factory_id, 0), "open_faults": faults_by_factory.get(f.factory_id, 0),
            "active_alarms": alarms.get(f.factory_id, 0),
        })
    return result


def factory_lines(dbs: Databases, user: ActingUser, factory_id: str, now: dt.datetime,
                  window: dt.timedelta = OEE_WINDOW) -> list[dict[str, Any]]:
    """One row per production line of a factory: state, machines by state, OEE, open faults."""
    _require_plant(user, "Reading a factory's lines")
    with dbs.connect(MASTER) as conn:
        if conn.execute(select(Factories.factory_id).where(Factories.factory_id == factory_id)).first() is None:
            raise NotFound(f"There is no factory {factory_id}.")
        lines = conn.execute(select(ProductionLines.line_id, ProductionLines.line_name, ProductionLines.line_type,
                                    ProductionLines.status)
                             .where(ProductionLines.factory_id == factory_id).order_by(ProductionLines.line_id)
                             .limit(1000)).all()
        machines = conn.execute(select(Machines.machine_id, Machines.line_id)
                                .where(Machines.factory_id == factory_id).limit(MAX_MACHINES)).all()
    snapshots = _latest_snapshots(dbs, now, window, factory_id=factory_id)
    faults = _open_faults(dbs, MachineFaults.machine_id, MachineFaults.factory_id == factory_id)
    states: dict[str, list[str]] = defaultdict(list)
    for m in machines:
        states[m.line_id].append(machine_state(snapshots.get(m.machine_id), faults.get(m.machine_id, 0)))
    oee = _oee_by(snapshots.values(), "line_id")
    machine_line = {m.machine_id: m.line_id for m in machines}
    line_faults: dict[str, int] = defaultdict(int)
    for machine_id, n in faults.items():
        line_faults[machine_line.get(machine_id)] += n
    rows = []
    for line in lines:
        s = states.get(line.line_id, [])
        rows.append({
            "line_id": line.line_id, "line_name": line.line_name, "line_type": line.line_type,
            "state": line_state(s), "machines": len(s), "running": s.count("running"), "idle": s.count("idle"),
            "faulted": s.count("faulted"), **oee.get(line.line_id, OeeTotals()).as_dict(),
            "open_faults": line_faults.get(line.line_id, 0),
        })
    return rows


def line_machines(dbs: Databases, user: ActingUser, line_id: str, now: dt.datetime,
                  window: dt.timedelta = OEE_WINDOW) -> list[dict[str, Any]]:
    """One row per machine of a line: its latest SCADA state, OEE of its latest snapshot, open faults."""
    _require_plant(user, "Reading a line's machines")
    with dbs.connect(MASTER) as conn:
        if conn.execute(select(ProductionLines.line_id).where(ProductionLines.line_id == line_id)).first() is None:
            raise NotFound(f"There is no production line {line_id}.")
        machines = conn.execute(select(Machines.machine_id, Machines.machine_name, Machines.machine_type,
                                       Machines.criticality)
                                .where(Machines.line_id == line_id).order_by(Machines.machine_id)
                                .limit(MAX_MACHINES)).all()
    snapshots = _latest_snapshots(dbs, now, window, line_id=line_id)
    faults = _open_faults(dbs, MachineFaults.machine_id, MachineFaults.line_id == line_id)
    oee = _oee_by(snapshots.values(), "machine_id")
    rows = []
    for m in machines:
        snap = snapshots.get(m.machine_id)
        rows.append({
            "machine_id": m.machine_id, "machine_name": m.machine_name, "machine_type": m.machine_type,
            "criticality": m.criticality, "state": machine_state(snap, faults.get(m.machine_id, 0)),
            "scada_state": snap.machine_state if snap else None, "last_snapshot": snap.timestamp if snap else None,
            **oee.get(m.machine_id, OeeTotals()).as_dict(), "open_faults": faults.get(m.machine_id, 0),
        })
    return rows


def machine_detail(dbs: Databases, user: ActingUser, machine_id: str, now: dt.datetime,
                   pareto_window: dt.timedelta = PARETO_WINDOW) -> dict[str, Any]:
    """A machine: its sensors with their latest reading, its recent faults, and a downtime Pareto
    (MES downtime minutes by reason over the window ending at `now`, largest first)."""
    _require_plant(user, "Reading a machine")
    with dbs.connect(MASTER) as conn:
        machine = conn.execute(select(Machines).where(Machines.machine_id == machine_id)).first()
        if machine is None:
            raise NotFound(f"There is no machine {machine_id}.")
        sensors = conn.execute(select(Sensors.sensor_id, Sensors.sensor_name, Sensors.sensor_type,
                                      Sensors.measurement_unit, Sensors.warning_threshold_min,
                                      Sensors.warning_threshold_max, Sensors.critical_threshold_min,
                                      Sensors.critical_threshold_max)
                               .where(Sensors.machine_id == machine_id).order_by(Sensors.sensor_id)
                               .limit(MAX_SENSORS_PER_MACHINE)).all()
    sd = SensorData
    f = MachineFaults
    with dbs.connect(OPS) as conn:
        latest = {}
        for s in sensors:  # one index lookup (sensor_id, timestamp) per sensor: no scan of the history
            row = conn.execute(select(sd.timestamp, sd.measurement_value, sd.status)
                               .where(sd.sensor_id == s.sensor_id, sd.timestamp <= now)
                               .order_by(sd.timestamp.desc(), sd.sensor_data_id.desc()).limit(1)).first()
            if row is not None:
                latest[s.sensor_id] = row
        faults = conn.execute(
            select(f.fault_id, f.fault_code, f.fault_category, f.fault_severity, f.fault_start_time, f.fault_end_time,
                   f.downtime_minutes, f.status)
            .where(f.machine_id == machine_id, f.fault_start_time <= now)
            .order_by(f.fault_start_time.desc(), f.fault_id.desc()).limit(MACHINE_FAULTS)).all()
        open_faults = conn.execute(select(func.count()).where(
            f.machine_id == machine_id, or_(f.status.is_(None), f.status.not_in(CLOSED_FAULT_STATUSES)))).scalar_one()
    pareto: list[dict[str, Any]] = []
    if user.can(MFG, "read"):
        pareto = downtime_pareto(dbs, machine_id, now, pareto_window)
    return {
        "machine": {k: getattr(machine, k) for k in ("machine_id", "machine_name", "machine_type", "line_id",
                                                     "factory_id", "criticality", "status")},
        "open_faults": open_faults,
        "sensors": [{
            "sensor_id": s.sensor_id, "sensor_name": s.sensor_name, "sensor_type": s.sensor_type,
            "unit": s.measurement_unit,
            "latest_value": latest[s.sensor_id].measurement_value if s.sensor_id in latest else None,
            "latest_at": latest[s.sensor_id].timestamp if s.sensor_id in latest else None,
            "latest_status": latest[s.sensor_id].status if s.sensor_id in latest else None,
            "warning_min": s.warning_threshold_min, "warning_max": s.warning_threshold_max,
            "critical_min": s.critical_threshold_min, "critical_max": s.critical_threshold_max,
        } for s in sensors],
        "faults": [dict(r._mapping) for r in faults],
        "pareto": pareto,
    }


def downtime_pareto(dbs: Databases, machine_id: str, now: dt.datetime,
                    window: dt.timedelta = PARETO_WINDOW) -> list[dict[str, Any]]:
    """Downtime minutes of a machine by reason (MES downtime events starting in the window), largest first."""
    d = DowntimeEvents
    reason = func.coalesce(d.downtime_reason_code, d.downtime_category, literal("unknown"))
    minutes = func.sum(func.coalesce(d.duration_minutes, 0))
    with dbs.connect(MFG) as conn:
        rows = conn.execute(
            select(reason.label("reason"), func.max(d.downtime_category).label("category"),
                   minutes.label("minutes"), func.count().label("events"))
            .where(d.machine_id == machine_id, d.downtime_start > now - window, d.downtime_start <= now)
            .group_by(reason).order_by(minutes.desc(), reason).limit(PARETO_REASONS)).all()
    return [{"reason": r.reason, "category": r.category, "minutes": int(r.minutes or 0), "events": r.events}
            for r in rows]


def sensor_readings(dbs: Databases, user: ActingUser, sensor_id: str, now: dt.datetime,
                    limit: int = SENSOR_READINGS) -> dict[str, Any]:
    """A sensor, its warning and critical bands, and its latest `limit` readings up to `now`, oldest first."""
    _require_plant(user, "Reading a sensor's history")
    with dbs.connect(MASTER) as conn:
        sensor = conn.execute(select(Sensors).where(Sensors.sensor_id == sensor_id)).first()
    if sensor is None:
        raise NotFound(f"There is no sensor {sensor_id}.")
    sd = SensorData
    with dbs.connect(OPS) as conn:
        rows = conn.execute(
            select(sd.timestamp, sd.measurement_value, sd.status, sd.is_anomaly)
            .where(sd.sensor_id == sensor_id, sd.timestamp <= now)
            .order_by(sd.timestamp.desc(), sd.sensor_data_id.desc()).limit(max(1, min(int(limit), 5000)))).all()
    rows.reverse()
    return {
        "sensor": {k: getattr(sensor, k) for k in (
            "sensor_id", "sensor_name", "sensor_type", "measurement_unit", "machine_id", "line_id", "factory_id",
            "normal_operating_min", "normal_operating_max", "warning_threshold_min", "warning_threshold_max",
            "critical_threshold_min", "critical_threshold_max")},
        "readings": [{"timestamp": r.timestamp, "value": r.measurement_value, "status": r.status,
                      "anomaly": r.is_anomaly} for r in rows],
    }


# -- production ------------------------------------------------------------------------------------

def _progress(done, planned):
    number = Numeric(15, 4)
    return case((planned > 0, func.round(cast(done, number) * 100 / cast(planned, number), 1)), else_=None)


def production_orders_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """ERP production orders with progress (delivered of ordered, %); latest start first unless sorted."""
    require(user, ERP, "read", "Reading production orders")
    p = ProductionOrders
    query = select(
        p.production_order_id.label("order_id"), p.material_id.label("material"), p.plant_id.label("plant"),
        p.order_quantity.label("qty"), p.delivered_quantity.label("delivered"),
        _progress(p.delivered_quantity, p.order_quantity).label("progress_pct"), p.system_status.label("status"),
        p.work_order_id.label("work_order"), p.basic_start_date.label("start"), p.basic_end_date.label("finish"),
        p.priority,
    )
    with dbs.connect(ERP) as conn:
        return page_select(conn, query, _sorted(pq, "start"), key_column="order_id")


def mes_work_orders_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """MES work orders with progress (produced of planned, %); latest planned start first unless sorted."""
    require(user, MFG, "read", "Reading MES work orders")
    w = MesWorkOrders
    query = select(
        w.work_order_id.label("work_order"), w.erp_order_id.label("erp_order"), w.product_id.label("product"),
        w.factory_id.label("factory"), w.line_id.label("line"), w.planned_quantity.label("planned"),
        w.produced_quantity.label("produced"), w.good_quantity.label("good"),
        _progress(w.produced_quantity, w.planned_quantity).label("progress_pct"), w.status,
        w.planned_start_date.label("start"), w.planned_end_date.label("finish"),
    )
    with dbs.connect(MFG) as conn:
        return page_select(conn, query, _sorted(pq, "start"), key_column="work_order")


def _sorted(pq: PageQuery, column: str, descending: bool = True) -> PageQuery:
    """The page query, sorted by `column` when the user has not chosen a sort."""
    return pq if pq.sort_column else replace(pq, sort_column=column, descending=descending)


def orders_awaiting_release(dbs: Databases, user: ActingUser) -> int:
    """How many ERP production orders are created and not yet released to MES."""
    require(user, ERP, "read", "Reading production orders")
    with dbs.connect(ERP) as conn:
        return int(conn.execute(select(func.count()).where(ProductionOrders.system_status == "created")).scalar_one())


def production_order_status(dbs: Databases, user: ActingUser, production_order_id: str) -> dict[str, Any]:
    require(user, ERP, "read", "Reading a production order")
    with dbs.connect(ERP) as conn:
        row = conn.execute(select(ProductionOrders.production_order_id, ProductionOrders.system_status,
                                  ProductionOrders.work_order_id)
                           .where(ProductionOrders.production_order_id == production_order_id)).first()
    if row is None:
        raise NotFound(f"There is no production order {production_order_id}.")
    return dict(row._mapping)


# -- maintenance backlog ---------------------------------------------------------------------------

def _due_date(wo=MaintenanceWorkOrders):
    return func.coalesce(wo.scheduled_end_date, wo.scheduled_start_date, wo.requested_date)


def maintenance_backlog_page(dbs: Databases, user: ActingUser, today: dt.date, pq: PageQuery) -> Page:
    """Open maintenance work orders (not completed, closed or cancelled); `overdue` = due before today.
    Earliest due first (so the overdue ones lead) unless the user sorts."""
    require(user, MNT, "read", "Reading the maintenance backlog")
    w = MaintenanceWorkOrders
    due = _due_date()
    query = (select(w.work_order_id.label("work_order"), w.asset_id.label("asset"), w.wo_type.label("type"),
                    w.priority, w.wo_status.label("status"), due.label("due"),
                    case((due < today, "yes"), else_="no").label("overdue"), w.assigned_to.label("assigned"),
                    cast(w.description, String).label("description"))
             .where(or_(w.wo_status.is_(None), w.wo_status.not_in(CLOSED_MAINTENANCE_STATUSES))))
    with dbs.connect(MNT) as conn:
        return page_select(conn, query, _sorted(pq, "due", descending=False), key_column="work_order")


def maintenance_summary(dbs: Databases, user: ActingUser, now: dt.datetime,
                        pm_window: dt.timedelta = PM_COMPLIANCE_WINDOW,
                        reliability_window: dt.timedelta = RELIABILITY_WINDOW) -> dict[str, Any]:
    """Backlog counts, PM compliance and MTBF / MTTR of the critical assets.

    PM compliance = preventive work orders due in the window (due date in [today - window, today))
    that were completed by their due date, divided by all preventive work orders due in the window.
    MTBF / MTTR per critical asset over the reliability window ending at `now`, with the maintenance
    service's definition (services.maintenance_planning: MTTR = repair hours / failures, MTBF =
    operating hours / failures), read here without writing asset_reliability_metrics."""
    from .services.maintenance_planning import _metrics

    require(user, MNT, "read", "Reading the maintenance backlog")
    today = now.date()
    w = MaintenanceWorkOrders
    due = _due_date()
    is_open = or_(w.wo_status.is_(None), w.wo_status.not_in(CLOSED_MAINTENANCE_STATUSES))
    pm_start = today - dt.timedelta(days=pm_window.days)
    finished = func.coalesce(w.completed_at, w.actual_end_date)
    with dbs.connect(MNT) as conn:
        open_count, overdue_count = conn.execute(select(
            func.count(), func.coalesce(func.sum(case((due < today, 1), else_=0)), 0)).where(is_open)).one()
        pm_rows = conn.execute(select(w.work_order_id, w.wo_status, due.label("due"), finished.label("finished"))
                               .where(func.lower(w.wo_type) == "preventive", due >= pm_start, due < today)
                               .limit(100_000)).all()
        assets = conn.execute(select(MaintenanceAssets.asset_id, MaintenanceAssets.asset_name,
                                     MaintenanceAssets.machine_id)
                              .where(func.lower(MaintenanceAssets.criticality_rating) == "critical",
                                     or_(MaintenanceAssets.is_active.is_(None), MaintenanceAssets.is_active.is_(True)))
                              .order_by(MaintenanceAssets.asset_id).limit(CRITICAL_ASSETS)).all()
        lo = now - reliability_window
        by_asset: dict[str, list[Any]] = defaultdict(list)
        if assets:
            for wo in conn.execute(select(w).where(
                    w.asset_id.in_([a.asset_id for a in assets]), w.wo_status.in_(DONE_MAINTENANCE_STATUSES),
                    w.actual_start_date >= lo, w.actual_start_date < now, w.actual_end_date.is_not(None))
                    .limit(100_000)):
                by_asset[wo.asset_id].append(wo)
    # on time = finished on or before the due date, compared as plain dates (portable across backends)
    due_count = len(pm_rows)
    on_time_count = sum(1 for r in pm_rows if (r.wo_status or "").lower() in DONE_MAINTENANCE_STATUSES
                        and r.finished is not None and _as_date(r.finished) <= _as_date(r.due))
    total_hours = Decimal(int(reliability_window.total_seconds() // 3600))
    reliability = []
    for a in assets:  # the assets that fail most first
        m = _metrics(by_asset.get(a.asset_id, []), total_hours)
        reliability.append({"asset_id": a.asset_id, "asset_name": a.asset_name, "machine_id": a.machine_id,
                            "failures": m["number_of_failures"], "mtbf_hours": m["mtbf_hours"],
                            "mttr_hours": m["mttr_hours"], "availability_pct": m["availability_pct"]})
    reliability.sort(key=lambda r: (-r["failures"], r["asset_id"]))
    return {
        "open": int(open_count), "overdue": int(overdue_count),
        "pm_due": due_count, "pm_on_time": on_time_count,
        "pm_compliance": (Decimal(on_time_count) * HUNDRED / due_count).quantize(Decimal("0.1")) if due_count else None,
        "pm_window_start": pm_start, "pm_window_end": today,
        "reliability_window_days": reliability_window.days, "reliability": reliability,
    }


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
