"""Plant telemetry: IoT sensor readings every 10 s and SCADA machine data every minute.

IoT: one reading per active sensor per run, around the middle of the sensor's normal range with
noise; now and then a reading strays into the warning band, and rarely a machine's sensor crosses
its critical threshold, which opens a machine fault (one open fault per machine), so the CMMS
corrective-work-order rule has work. While a fault is open the machine's contributing sensors stay in
the critical band; a fault this simulator opened is resolved once its episode (length fixed by the
fault id and severity) is over. Readings go in through `ingest_sensor_readings` (COPY on PostgreSQL).

SCADA: one row per active machine per run: state 'fault' (with the fault code) while the machine
has an open fault, else mostly running, sometimes idle / setup / changeover; the parts counters go on
from the machine's previous row.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from ..models.master import Factories, Machines, Sensors, Shifts
from ..models.operations import ScadaMachineData, SensorData
from ..scheduler import register_job
from ..services.base import ServiceContext
from ..services.operations import (
    ingest_sensor_readings,
    open_faults_by_machine,
    raise_machine_fault,
    record_scada_rows,
    resolve_machine_fault,
)
from ._common import DAEMON, IOT, SCADA, rng_for, stable_fraction

log = logging.getLogger(__name__)

MASTER = "genims_master_db"
OPS = "genims_operations_db"

MAX_SENSORS_PER_RUN = 100_000
MAX_MACHINES_PER_RUN = 20_000
MAX_FAULTS_PER_RUN = 5
WARNING_CHANCE = 0.002  # per reading: an isolated stray into the warning band
# Per machine and run: a critical-band episode starts. At 10 s a run this is about one fault per
# machine every four months, a few a day across a scale-1 estate.
CRITICAL_CHANCE = 1e-6
SIMULATED_DETECTION = "sensor_threshold"  # marks the faults this simulator opened (and may resolve)
FAULT_MINUTES = {"critical": (120, 600), "major": (45, 240), "minor": (15, 60)}
LOW_SIDE = {"pressure", "flow", "voltage", "speed"}  # these fail by dropping (as in the seed)
# sensor type -> (fault category, code, what the fault is)
FAULT_BY_SENSOR_TYPE = {
    "vibration": ("mechanical", "F-MECH-101", "Bearing wear: vibration above the critical limit"),
    "acoustic": ("mechanical", "F-MECH-102", "Spindle imbalance detected"),
    "displacement": ("mechanical", "F-MECH-103", "Drive belt slippage / misalignment"),
    "temperature": ("thermal", "F-THRM-201", "Motor overheating"),
    "humidity": ("thermal", "F-THRM-202", "Coolant circulation failure"),
    "current": ("electrical", "F-ELEC-301", "Overcurrent trip on main drive"),
    "voltage": ("electrical", "F-ELEC-302", "Voltage sag / phase loss"),
    "power": ("electrical", "F-ELEC-301", "Overcurrent trip on main drive"),
    "pressure": ("hydraulic", "F-HYD-401", "Hydraulic pressure loss"),
    "flow": ("hydraulic", "F-HYD-402", "Hydraulic pump cavitation"),
    "torque": ("tooling", "F-TOOL-501", "Tool wear limit exceeded"),
    "speed": ("tooling", "F-TOOL-502", "Tool breakage"),
}
ACTIVE = ("active",)


def _active(column):
    return or_(column.is_(None), func.lower(column).in_(ACTIVE))


def _f(v: Any) -> float | None:
    return None if v is None else float(v)


def _d4(v: float) -> Decimal:
    return Decimal(int(round(v * 10_000))).scaleb(-4)


# -- IoT ------------------------------------------------------------------------------------------------


def _sensors(ctx: ServiceContext, limit: int) -> list[Any]:
    with ctx.read(MASTER) as conn:
        return conn.execute(
            select(Sensors.sensor_id, Sensors.machine_id, Sensors.line_id, Sensors.factory_id, Sensors.sensor_type,
                   Sensors.measurement_unit, Sensors.data_protocol, Sensors.measurement_range_min,
                   Sensors.measurement_range_max, Sensors.normal_operating_min, Sensors.normal_operating_max,
                   Sensors.warning_threshold_min, Sensors.warning_threshold_max, Sensors.critical_threshold_min,
                   Sensors.critical_threshold_max, Machines.criticality, Machines.machine_name)
            .join(Machines, Machines.machine_id == Sensors.machine_id)
            .where(_active(Sensors.status), _active(Machines.status))
            .order_by(Sensors.machine_id, Sensors.sensor_id).limit(limit)).all()


def _reading(s, now: dt.datetime, rng: random.Random, level: float | None) -> tuple[dict[str, Any], bool]:
    """One reading of sensor `s`; `level` None = normal operation, else how far past the warning
    threshold (0..1 = warning band, above 1 = critical band). Returns the row and whether it is critical."""
    nmin, nmax = _f(s.normal_operating_min), _f(s.normal_operating_max)
    wmin, wmax = _f(s.warning_threshold_min), _f(s.warning_threshold_max)
    cmin, cmax = _f(s.critical_threshold_min), _f(s.critical_threshold_max)
    rmin, rmax = _f(s.measurement_range_min), _f(s.measurement_range_max)
    span = nmax - nmin
    center = (nmin + nmax) / 2
    u = rng.random()
    if level is None or wmin is None or wmax is None or cmin is None or cmax is None:
        value = rng.gauss(center, span / 9 if span > 0 else 0.0)
        score = min(0.6999, abs(value - center) / (span / 9) * 0.12) if span > 0 else 0.0
    else:
        jitter = span * 0.01 * u
        if s.sensor_type in LOW_SIDE:
            value = wmin - level * (wmin - cmin) - jitter
        else:
            value = wmax + level * (cmax - wmax) + jitter
        score = min(0.9999, 0.75 + min(level, 1.5) * 0.16 + u * 0.03)
    if rmin is not None:
        value = max(value, rmin)
    if rmax is not None:
        value = min(value, rmax)
    v = _d4(value)
    bw = wmin is not None and v < _d4(wmin)
    aw = wmax is not None and v > _d4(wmax)
    bc = cmin is not None and v < _d4(cmin)
    ac = cmax is not None and v > _d4(cmax)
    spread = abs(span) * 0.004 * (0.5 + u)
    critical = bc or ac
    row = {
        "sensor_id": s.sensor_id, "machine_id": s.machine_id, "line_id": s.line_id, "factory_id": s.factory_id,
        "timestamp": now, "measurement_value": v, "measurement_unit": s.measurement_unit,
        "status": "critical" if critical else ("warning" if (bw or aw) else "normal"),
        "quality": "good" if u > 0.004 else "uncertain",
        "is_below_warning": bw, "is_above_warning": aw, "is_below_critical": bc, "is_above_critical": ac,
        "min_value_1min": _d4(value - spread), "max_value_1min": _d4(value + spread), "avg_value_1min": v,
        "std_dev_1min": _d4(spread / 2), "anomaly_score": _d4(score), "is_anomaly": score >= 0.7,
        "data_source": "iot_gateway", "protocol": s.data_protocol, "created_at": now,
    }
    return row, critical


def _fault_due_end(fault) -> dt.datetime | None:
    lo, hi = FAULT_MINUTES.get((fault.fault_severity or "").lower(), FAULT_MINUTES["major"])
    if fault.fault_start_time is None:
        return None
    return fault.fault_start_time + dt.timedelta(minutes=lo + (hi - lo) * stable_fraction("fault", fault.fault_id))


def resolve_finished_episodes(ctx: ServiceContext, open_faults: dict[str, Any]) -> list[int]:
    """Resolve the open faults this simulator raised whose episode is over."""
    now = ctx.now()
    resolved = []
    for machine_id, fault in list(open_faults.items()):
        if fault.detection_method != SIMULATED_DETECTION:
            continue
        end = _fault_due_end(fault)
        if end is not None and end <= now and resolve_machine_fault(
                ctx, fault.fault_id, end=end, resolution="Repaired and returned to service",
                root_cause_category=fault.fault_category):
            resolved.append(fault.fault_id)
            del open_faults[machine_id]
    return resolved


def simulate_sensor_readings(ctx: ServiceContext, rng: random.Random | None = None, *,
                             critical_chance: float = CRITICAL_CHANCE, warning_chance: float = WARNING_CHANCE,
                             limit: int = MAX_SENSORS_PER_RUN) -> dict[str, Any]:
    """One reading per active sensor (at most `limit`); faults for critical crossings."""
    rng = rng or rng_for("iot_simulator", ctx)
    now = ctx.now()
    with ctx.read(OPS) as conn:  # a rerun at the same instant stores nothing twice
        if conn.execute(select(SensorData.sensor_data_id).where(SensorData.timestamp == now).limit(1)).first():
            return {"readings": 0, "warning_readings": 0, "faults_opened": [], "faults_resolved": [], "already": True}
    sensors = _sensors(ctx, limit)
    open_faults = open_faults_by_machine(ctx)
    resolved = resolve_finished_episodes(ctx, open_faults)
    rows: list[dict[str, Any]] = []
    crossings: dict[str, list[Any]] = {}
    by_machine: dict[str, list[Any]] = {}
    for s in sensors:
        by_machine.setdefault(s.machine_id, []).append(s)
    warnings = 0
    for machine_id, group in by_machine.items():
        fault = open_faults.get(machine_id)
        in_fault = set((fault.contributing_sensors or "").split(",")) if fault is not None else set()
        spike = None
        if fault is None and rng.random() < critical_chance:
            spike = group[rng.randrange(len(group))].sensor_id
        for s in group:
            if s.normal_operating_min is None or s.normal_operating_max is None:
                continue
            if s.sensor_id in in_fault or s.sensor_id == spike:
                level = 1.1 + 0.5 * rng.random()
            elif rng.random() < warning_chance:
                level = 0.2 + 0.6 * rng.random()
                warnings += 1
            else:
                level = None
            row, critical = _reading(s, now, rng, level)
            rows.append(row)
            if critical and fault is None:
                crossings.setdefault(machine_id, []).append(s)
    stored = ingest_sensor_readings(ctx, rows)
    faults = []
    for machine_id, hot in list(crossings.items())[:MAX_FAULTS_PER_RUN]:
        s = hot[0]
        category, code, what = FAULT_BY_SENSOR_TYPE.get(s.sensor_type, ("mechanical", "F-MECH-101", "Critical sensor reading"))
        severity = "critical" if (s.criticality or "").lower() in ("critical", "high") else "major"
        res = raise_machine_fault(
            ctx, machine_id=machine_id, line_id=s.line_id, factory_id=s.factory_id, fault_code=code,
            fault_category=category, fault_severity=severity, description=f"{what} on {s.machine_name or machine_id}",
            start=now, contributing_sensors=[h.sensor_id for h in hot], detection_method=SIMULATED_DETECTION)
        if res["created"]:
            faults.append(res["fault_id"])
            log.info("machine %s: critical reading on %s, fault %s opened", machine_id, s.sensor_id, res["fault_id"])
    return {"readings": stored, "warning_readings": warnings, "faults_opened": faults, "faults_resolved": resolved}


@register_job("iot_simulator", "Sensor readings for every active sensor; faults on critical crossings", IOT, DAEMON,
              kind="simulator")
def iot_simulator(ctx: ServiceContext) -> dict[str, Any]:
    res = simulate_sensor_readings(ctx)
    return {"readings": res["readings"], "warning_readings": res["warning_readings"],
            "faults_opened": len(res["faults_opened"]), "faults_resolved": len(res["faults_resolved"])}


# -- SCADA -------------------------------------------------------------------------------------------------


def _shift_finder(ctx: ServiceContext):
    """(factory_id, utc time) -> (shift_id or None, seconds into the shift), from master shifts and
    each factory's timezone."""
    with ctx.read(MASTER) as conn:
        zones = {f: tz for f, tz in conn.execute(select(Factories.factory_id, Factories.timezone))}
        shifts = conn.execute(select(Shifts.shift_id, Shifts.factory_id, Shifts.start_time, Shifts.end_time)
                              .where(_active(Shifts.status)).order_by(Shifts.shift_id)).all()
    by_factory: dict[str, list[Any]] = {}
    for s in shifts:
        if s.start_time is not None and s.end_time is not None:
            by_factory.setdefault(s.factory_id, []).append(s)

    def find(factory_id: str, t: dt.datetime) -> tuple[str | None, int]:
        try:
            local = t.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zones.get(factory_id) or "UTC"))
        except Exception:  # an unknown zone name: UTC
            local = t.replace(tzinfo=dt.UTC)
        secs = local.hour * 3600 + local.minute * 60 + local.second
        for s in by_factory.get(factory_id, []):
            a = s.start_time.hour * 3600 + s.start_time.minute * 60
            b = s.end_time.hour * 3600 + s.end_time.minute * 60
            if (a <= secs < b) if a < b else (secs >= a or secs < b):
                return s.shift_id, (secs - a) % 86400
        return None, secs % (8 * 3600)

    return find


def simulate_scada(ctx: ServiceContext, rng: random.Random | None = None,
                   limit: int = MAX_MACHINES_PER_RUN) -> dict[str, Any]:
    """One SCADA row per active machine, consistent with its open fault."""
    rng = rng or rng_for("scada_simulator", ctx)
    now = ctx.now()
    with ctx.read(MASTER) as conn:
        machines = conn.execute(
            select(Machines.machine_id, Machines.line_id, Machines.factory_id, Machines.power_rating_kw,
                   Machines.design_capacity_units_per_hour)
            .where(_active(Machines.status)).order_by(Machines.machine_id).limit(limit)).all()
    faults = open_faults_by_machine(ctx)
    with ctx.read(OPS) as conn:
        newest = (select(ScadaMachineData.machine_id, func.max(ScadaMachineData.scada_id).label("sid"))
                  .group_by(ScadaMachineData.machine_id).subquery())
        last = {r.machine_id: r for r in conn.execute(
            select(ScadaMachineData).join(newest, ScadaMachineData.scada_id == newest.c.sid))}
    shift_of = _shift_finder(ctx)
    rows = []
    states: dict[str, int] = {}
    for m in machines:
        prev = last.get(m.machine_id)
        if prev is not None and prev.timestamp is not None and prev.timestamp >= now:
            continue  # this instant is recorded already (a rerun)
        fault = faults.get(m.machine_id)
        u = rng.random()
        if fault is not None:
            state, mode = "fault", "manual"
        elif u < 0.89:
            state, mode = "running", "auto"
        elif u < 0.95:
            state, mode = "idle", "auto"
        elif u < 0.98:
            state, mode = "setup", "manual"
        else:
            state, mode = "changeover", "manual"
        states[state] = states.get(state, 0) + 1
        running = state == "running"
        target = int(prev.target_cycle_time_seconds) if prev is not None and prev.target_cycle_time_seconds else 60
        shift_id, into = shift_of(m.factory_id, now)
        gap = min(max((now - prev.timestamp).total_seconds(), 0), 3600) if prev is not None and prev.timestamp else SCADA
        if state == "fault":
            a, p = 20 + 40 * u, 30 + 40 * u
        elif running:
            a, p = 88 + 11 * rng.random(), 80 + 19 * rng.random()
        else:
            a, p = 60 + 25 * u, 70 + 20 * u
        q = 95 + 4.9 * rng.random()
        made = int(gap / target * a * p / 10_000) if running else 0
        rejected_now = int(made * (100 - q) / 100 + 0.5)
        same_shift = prev is not None and prev.shift_id == shift_id and into >= gap
        produced_shift = (int(prev.parts_produced_shift or 0) if same_shift else 0) + made
        rejected_shift = (int(prev.parts_rejected_shift or 0) if same_shift else 0) + rejected_now
        cumulative = (int(prev.parts_produced_cumulative or 0) if prev is not None else 0) + made
        rating = float(m.power_rating_kw or 10)
        power = rating * ((0.55 + 0.35 * u) if running else (0.05 if state == "fault" else 0.15))
        energy = float(prev.energy_consumed_kwh or 0) if prev is not None else 0.0
        uptime = int(into * a / 100)
        rows.append({
            "machine_id": m.machine_id, "line_id": m.line_id, "factory_id": m.factory_id, "timestamp": now,
            "machine_state": state, "operation_mode": mode,
            "fault_code": fault.fault_code if fault is not None else None,
            "fault_description": fault.fault_description if fault is not None else None,
            "parts_produced_cumulative": cumulative, "parts_produced_shift": produced_shift,
            "parts_rejected_shift": rejected_shift, "target_cycle_time_seconds": target,
            "actual_cycle_time_seconds": Decimal(int(target * 10_000 / p)).scaleb(-2),
            "availability_percentage": Decimal(int(a * 100)).scaleb(-2),
            "performance_percentage": Decimal(int(p * 100)).scaleb(-2),
            "quality_percentage": Decimal(int(q * 100)).scaleb(-2),
            "oee_percentage": Decimal(int(a * p * q / 100)).scaleb(-2),
            "spindle_speed_rpm": int(2400 * (0.9 + 0.2 * u)) if running else 0,
            "feed_rate_mm_min": Decimal(int((200 + 800 * u) * 100) if running else 0).scaleb(-2),
            "tool_number": prev.tool_number if prev is not None else 1,
            "program_number": prev.program_number if prev is not None else None,
            "power_consumption_kw": Decimal(int(power * 100)).scaleb(-2),
            "energy_consumed_kwh": Decimal(int((energy + power * gap / 3600) * 10_000)).scaleb(-4),
            "temperature_setpoint_c": Decimal("40.00"),
            "temperature_actual_c": Decimal(int((40 + (12 if state == "fault" else 0) + 4 * (u - 0.5)) * 100)).scaleb(-2),
            "pressure_setpoint_bar": Decimal("6.00"),
            "pressure_actual_bar": Decimal(int(6 * (0.97 + 0.06 * u) * 100)).scaleb(-2),
            "downtime_seconds_shift": max(into - uptime, 0),
            "last_fault_timestamp": fault.fault_start_time if fault is not None else (prev.last_fault_timestamp if prev is not None else None),
            "uptime_seconds_shift": uptime, "active_alarms": (1 + int(u * 3)) if fault is not None else 0,
            "alarm_codes": fault.fault_code if fault is not None else None, "warning_codes": None,
            "shift_id": shift_id, "operator_id": None, "data_source": "scada", "data_quality": "good", "created_at": now,
        })
    stored = record_scada_rows(ctx, rows)
    return {"rows": stored, "states": states}


@register_job("scada_simulator", "SCADA machine data for every active machine (state, counters, OEE)", SCADA, DAEMON,
              kind="simulator")
def scada_simulator(ctx: ServiceContext) -> dict[str, Any]:
    res = simulate_scada(ctx)
    return {"rows": res["rows"], "faulted": res["states"].get("fault", 0), "running": res["states"].get("running", 0)}
