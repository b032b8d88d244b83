"""genims_operations_db: 7 days of sensor and SCADA telemetry with fault episodes, faults, sensor
health, production runs and maintenance events.

Fault episodes are planned first and then show up everywhere at once: the machine's contributing
sensors leave their warning range before the fault (the precursor) and stay out of range during
it (edge devices also report every 10 minutes while out of range), SCADA reports the machine in
state 'fault' with the fault code (plus an event row at the moment of the fault), and each
episode is one machine_faults row. `ctx.shared["fault_episodes"]` hands them to manufacturing and
maintenance (see README.md).

Volumes: sensor_data one reading per sensor every 3600/scale seconds (~300k rows at scale 1),
scada_machine_data one row per machine every 900/scale seconds (~159k at scale 1), both streamed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from .framework import Row, SeedContext, TableStream
from .master import utc_offsets

DATABASE = "genims_operations_db"
DEPENDS: tuple[str, ...] = ("genims_master_db",)

MASTER = "genims_master_db"
HISTORY = dt.timedelta(days=7)
BURST = dt.timedelta(minutes=10)  # edge devices report every 10 minutes while out of range

# category: (signature sensor types, [(code, description)], root cause category, [root causes], [resolutions])
FAULT_CATEGORIES = {
    "mechanical": (
        ("vibration", "acoustic", "temperature", "displacement"),
        [("F-MECH-101", "Bearing wear: rising vibration and bearing temperature"),
         ("F-MECH-102", "Spindle imbalance detected"),
         ("F-MECH-103", "Drive belt slippage / misalignment")],
        "wear and tear",
        ["Spindle bearing worn beyond limit", "Insufficient lubrication of main bearing", "Coupling misalignment"],
        ["Replaced bearing and re-lubricated", "Re-aligned coupling and balanced spindle", "Replaced drive belt"],
    ),
    "thermal": (
        ("temperature", "current", "power"),
        [("F-THRM-201", "Motor overheating"), ("F-THRM-202", "Coolant circulation failure")],
        "cooling system",
        ["Clogged coolant filter", "Cooling fan failure", "Coolant pump impeller damage"],
        ["Replaced coolant filter and flushed circuit", "Replaced cooling fan", "Replaced coolant pump"],
    ),
    "electrical": (
        ("current", "voltage", "power"),
        [("F-ELEC-301", "Overcurrent trip on main drive"), ("F-ELEC-302", "Voltage sag / phase loss")],
        "electrical",
        ["Loose terminal in drive cabinet", "Failing contactor", "Insulation breakdown in motor winding"],
        ["Tightened terminals and tested drive", "Replaced contactor", "Rewound / replaced motor"],
    ),
    "hydraulic": (
        ("pressure", "flow", "temperature"),
        [("F-HYD-401", "Hydraulic pressure loss"), ("F-HYD-402", "Hydraulic pump cavitation")],
        "hydraulic system",
        ["Leaking seal on main cylinder", "Contaminated hydraulic oil", "Worn pump vanes"],
        ["Replaced cylinder seals", "Changed hydraulic oil and filters", "Overhauled hydraulic pump"],
    ),
    "tooling": (
        ("torque", "vibration", "acoustic", "power"),
        [("F-TOOL-501", "Tool wear limit exceeded"), ("F-TOOL-502", "Tool breakage")],
        "tooling",
        ["Tool life exceeded planned count", "Incorrect feed rate for material batch", "Chip evacuation blocked"],
        ["Replaced tool and reset tool life counter", "Adjusted feeds and speeds", "Cleared chips, replaced tool"],
    ),
}
LOW_SIDE = {"pressure", "flow", "voltage", "speed"}  # these fail by dropping


def _i4(d: Decimal) -> int:
    return int(d.scaleb(4))


def generate(ctx: SeedContext) -> dict[str, list[Row] | TableStream]:
    machines = ctx.rows(MASTER, "machines")
    sensors = ctx.rows(MASTER, "sensors")
    employees = ctx.rows(MASTER, "employees")
    shifts = ctx.rows(MASTER, "shifts")
    end = ctx.as_of
    start = end - HISTORY

    sensors_by_machine: dict[str, list[Row]] = {}
    for s in sensors:
        sensors_by_machine.setdefault(s["machine_id"], []).append(s)
    staff = _staff(employees)
    shift_of = _shift_lookup(shifts)

    episodes = _plan_episodes(ctx, machines, sensors_by_machine, start, end)
    maint = _maintenance_events(ctx, machines, episodes, staff, start, end)
    faults = _fault_rows(ctx, episodes, staff, maint)
    runs = _production_runs(ctx, episodes, staff, shift_of, start, end)

    # anomaly windows per sensor: sensor_id -> sorted list of (a_start, f_start, f_end, severity, low)
    windows: dict[str, list[tuple]] = {}
    for ep in episodes:
        f_end = ep["end"] or end
        for sid in ep["sensor_ids"]:
            windows.setdefault(sid, []).append((ep["anomaly_start"], ep["start"], f_end, ep["fault_severity"]))
    for w in windows.values():
        w.sort()

    interval = dt.timedelta(seconds=max(1, round(3600 / ctx.scale)))
    n_grid = int(HISTORY / interval)
    grid = [end - interval * (n_grid - 1 - k) for k in range(n_grid)]

    def sensor_times(sid: str) -> list[dt.datetime]:
        if sid not in windows:
            return grid
        extra = set()
        for a_start, _fs, f_end, _sev in windows[sid]:
            t = max(a_start, start + BURST)
            while t <= f_end:
                extra.add(t)
                t += BURST
        return sorted(set(grid) | extra)

    health = _sensor_health(ctx, sensors, windows, sensor_times, end)

    sensor_stream = TableStream(
        columns=SENSOR_DATA_COLUMNS,
        rows=lambda: _sensor_rows(ctx, sensors, windows, sensor_times),
        estimated_rows=len(sensors) * n_grid,
    )
    s_interval = dt.timedelta(seconds=max(1, round(900 / ctx.scale)))
    n_sgrid = int(HISTORY / s_interval)
    scada_stream = TableStream(
        columns=SCADA_COLUMNS,
        rows=lambda: _scada_rows(ctx, machines, episodes, maint, staff, shift_of, end, s_interval, n_sgrid),
        estimated_rows=len(machines) * n_sgrid,
    )

    ctx.shared["fault_episodes"] = [
        {k: ep[k] for k in ("fault_id", "machine_id", "line_id", "factory_id", "fault_code", "fault_category",
                            "fault_severity", "start", "end", "downtime_minutes", "description")}
        for ep in episodes
    ]
    return {
        "sensor_data": sensor_stream,
        "scada_machine_data": scada_stream,
        "machine_faults": faults,
        "sensor_health": health,
        "production_runs": runs,
        "maintenance_events": maint,
    }


# -- lookups -----------------------------------------------------------------------------------


def _staff(employees: list[Row]) -> dict[tuple, list[str]]:
    """(role, scope, id[, shift]) -> employee ids, only active employees."""
    out: dict[tuple, list[str]] = {}
    for e in employees:
        if e["status"] != "active":
            continue
        r, eid = e["role"], e["employee_id"]
        out.setdefault((r, "factory", e["factory_id"]), []).append(eid)
        if e["line_id"]:
            out.setdefault((r, "line", e["line_id"]), []).append(eid)
            out.setdefault((r, "line", e["line_id"], e["shift"]), []).append(eid)
    return out


def _who(staff: dict, role: str, line_id: str, factory_id: str, shift: str | None = None, salt: int = 0) -> str | None:
    for k in ((role, "line", line_id, shift), (role, "line", line_id), (role, "factory", factory_id)):
        pool = staff.get(k)
        if pool:
            return pool[salt % len(pool)]
    return None


def _shift_lookup(shifts: list[Row]):
    """(factory_id, utc datetime) -> (shift_id, shift_code, seconds into the shift)."""
    offsets = utc_offsets()
    by = {(s["factory_id"], s["shift_code"]): s["shift_id"] for s in shifts}

    def lookup(factory_id: str, t: dt.datetime) -> tuple[str | None, str, int]:
        local = t + dt.timedelta(hours=offsets.get(factory_id, 0.0))
        secs = local.hour * 3600 + local.minute * 60 + local.second
        if 6 * 3600 <= secs < 14 * 3600:
            code, into = "A", secs - 6 * 3600
        elif 14 * 3600 <= secs < 22 * 3600:
            code, into = "B", secs - 14 * 3600
        else:
            code, into = "C", (secs - 22 * 3600) % 86400
        return by.get((factory_id, code)), code, into

    return lookup


# -- fault episodes -----------------------------------------------------------------------------


def _plan_episodes(ctx: SeedContext, machines, sensors_by_machine, start, end) -> list[dict]:
    rng = ctx.rng("operations.faults")
    n = ctx.scaled(60, minimum=8)
    n_open = min(5, max(2, round(n * 0.06)))
    weight = {"critical": 4, "high": 3, "medium": 2, "low": 1}
    mweights = [weight.get(m["criticality"], 1) for m in machines]
    busy: dict[str, list[tuple]] = {}
    planned = []
    for i in range(n):
        is_open = i < n_open
        for _attempt in range(50):
            m = rng.choices(machines, weights=mweights)[0]
            types = {s["sensor_type"]: s for s in sensors_by_machine.get(m["machine_id"], [])}
            cats = [c for c, spec in FAULT_CATEGORIES.items() if sum(t in types for t in spec[0]) >= 2]
            if not cats:
                continue
            cat = rng.choice(cats)
            sig, codes, rc_cat, rcs, fixes = FAULT_CATEGORIES[cat]
            severity = "critical" if is_open else rng.choices(["critical", "major", "minor"], weights=[20, 45, 35])[0]
            minutes = {"critical": (120, 600), "major": (45, 240), "minor": (15, 60)}[severity]
            dur = dt.timedelta(minutes=rng.randint(*minutes))
            predicted = rng.random() < 0.6
            lead = dt.timedelta(hours=rng.uniform(1, 12)) if predicted else dt.timedelta(minutes=rng.randint(15, 60))
            if is_open:
                f_start = (end - dt.timedelta(minutes=rng.randint(60, 600))).replace(second=0, microsecond=0)
                f_end = None
            else:
                lo, hi = start + dt.timedelta(hours=6), end - dur - dt.timedelta(hours=1)
                f_start = (lo + (hi - lo) * rng.random()).replace(second=0, microsecond=0)
                f_end = f_start + dur
            win = (f_start - lead, f_end or end)
            if any(win[0] < b and a < win[1] for a, b in busy.get(m["machine_id"], [])):
                continue
            busy.setdefault(m["machine_id"], []).append((win[0] - dt.timedelta(hours=1), win[1] + dt.timedelta(hours=1)))
            contributing = [types[t] for t in sig if t in types][:3]
            code, desc = rng.choice(codes)
            k = rng.randrange(len(rcs))
            down = int(((f_end or end) - f_start).total_seconds() // 60)
            planned.append({
                "machine": m, "machine_id": m["machine_id"], "line_id": m["line_id"], "factory_id": m["factory_id"],
                "fault_code": code, "fault_category": cat, "fault_severity": severity, "start": f_start,
                "end": f_end, "downtime_minutes": down, "description": f"{desc} on {m['machine_name']}",
                "anomaly_start": f_start - lead, "predicted": predicted, "lead_hours": lead.total_seconds() / 3600,
                "sensor_ids": [s["sensor_id"] for s in contributing], "root_cause_category": rc_cat,
                "root_cause": rcs[k], "resolution": fixes[k], "salt": rng.randrange(1 << 30),
            })
            break
    planned.sort(key=lambda e: (e["start"], e["machine_id"]))
    for i, ep in enumerate(planned):
        ep["fault_id"] = i + 1
    return planned


def _fault_rows(ctx: SeedContext, episodes, staff, maint) -> list[Row]:
    rng = ctx.rng("operations.fault_rows")
    ticket = {m["related_fault_id"]: m["maintenance_id"] for m in maint if m["related_fault_id"] is not None}
    rows = []
    for ep in episodes:
        m = ep["machine"]
        resolved = ep["end"] is not None
        secs = int(((ep["end"] or ctx.as_of) - ep["start"]).total_seconds())
        rate = m["design_capacity_units_per_hour"] or 60
        loss = int(rate * secs / 3600)
        rows.append({
            "fault_id": ep["fault_id"], "machine_id": ep["machine_id"], "line_id": ep["line_id"],
            "factory_id": ep["factory_id"], "fault_code": ep["fault_code"], "fault_category": ep["fault_category"],
            "fault_severity": ep["fault_severity"], "fault_description": ep["description"],
            "fault_start_time": ep["start"], "fault_end_time": ep["end"],
            "fault_duration_seconds": secs if resolved else None, "production_loss_units": loss,
            "downtime_minutes": ep["downtime_minutes"],
            "estimated_cost_usd": ctx.money(loss * rng.uniform(8, 40) + secs / 3600 * rng.uniform(150, 600)),
            "root_cause_category": ep["root_cause_category"] if resolved else None,
            "root_cause_description": ep["root_cause"] if resolved else None,
            "contributing_sensors": ",".join(ep["sensor_ids"]),
            "resolution_action": ep["resolution"] if resolved else None,
            "maintenance_ticket_id": ticket.get(ep["fault_id"]),
            "resolved_by": _who(staff, "maintenance_technician", ep["line_id"], ep["factory_id"], salt=ep["salt"])
            if resolved else None,
            "detection_method": "predictive_analytics" if ep["predicted"] else "threshold_alarm",
            "predicted_in_advance": ep["predicted"],
            "advance_warning_hours": ctx.money(ep["lead_hours"]) if ep["predicted"] else ctx.money(0),
            "status": "resolved" if resolved else "open",
            "created_at": ep["start"], "updated_at": ep["end"] or ep["start"],
        })
    return rows


# -- maintenance events ---------------------------------------------------------------------------

PM_TASKS = [
    ("Lubrication and inspection of moving parts", "Grease, filter cartridge"),
    ("Filter replacement and coolant top-up", "Coolant filter"),
    ("Calibration check of axes and sensors", None),
    ("Belt tension check and adjustment", "Drive belt"),
    ("Hydraulic oil sampling and seal inspection", "Seal kit"),
    ("Electrical cabinet thermography and cleaning", None),
]


def _maintenance_events(ctx: SeedContext, machines, episodes, staff, start, end) -> list[Row]:
    rng = ctx.rng("operations.maintenance")
    events = []
    for ep in episodes:
        if ep["end"] is None:
            continue
        if ep["fault_severity"] == "minor" and rng.random() < 0.3:
            continue
        s = ep["start"] + dt.timedelta(minutes=rng.randint(5, 15))
        s = min(s, ep["end"])
        mins = max(1, int((ep["end"] - s).total_seconds() // 60))
        hours = round(mins / 60 * rng.uniform(1.0, 2.0), 2)
        parts = rng.uniform(50, 4000) if ep["fault_severity"] != "minor" else rng.uniform(0, 300)
        labor = hours * rng.uniform(45, 85)
        events.append({
            "machine_id": ep["machine_id"], "line_id": ep["line_id"], "factory_id": ep["factory_id"],
            "maintenance_type": "corrective", "maintenance_category": ep["fault_category"],
            "priority": {"critical": "urgent", "major": "high", "minor": "medium"}[ep["fault_severity"]],
            "scheduled_start": s, "actual_start": s, "actual_end": ep["end"], "duration_minutes": mins,
            "work_description": f"Corrective repair for {ep['fault_code']}: {ep['resolution']}",
            "parts_replaced": ep["resolution"].split("Replaced ")[-1][:100] if "Replaced" in ep["resolution"] else None,
            "parts_cost_usd": ctx.money(parts), "labor_hours": ctx.money(hours), "labor_cost_usd": ctx.money(labor),
            "total_cost_usd": ctx.money(ctx.money(parts) + ctx.money(labor)),
            "technician_id": _who(staff, "maintenance_technician", ep["line_id"], ep["factory_id"], salt=ep["salt"]),
            "supervisor_id": _who(staff, "supervisor", ep["line_id"], ep["factory_id"], salt=ep["salt"]),
            "related_fault_id": ep["fault_id"], "completion_status": "completed",
            "notes": f"Root cause: {ep['root_cause']}", "follow_up_required": ep["fault_severity"] == "critical",
            "next_maintenance_due": None, "created_at": ep["start"], "updated_at": ep["end"],
        })
    fault_windows: dict[str, list[tuple]] = {}
    for ep in episodes:
        fault_windows.setdefault(ep["machine_id"], []).append((ep["anomaly_start"], ep["end"] or end))
    n_pm = ctx.scaled(80, minimum=5)
    made = 0
    for _ in range(n_pm * 5):
        if made >= n_pm:
            break
        m = rng.choice(machines)
        sched = (start + (end - start) * rng.random()).replace(minute=0, second=0, microsecond=0)
        mins = rng.choice([30, 45, 60, 90, 120, 180, 240])
        a_start = sched + dt.timedelta(minutes=rng.randint(-10, 30))
        a_end = a_start + dt.timedelta(minutes=mins)
        if a_start > end or any(a_start < b and a < a_end for a, b in fault_windows.get(m["machine_id"], [])):
            continue
        fault_windows.setdefault(m["machine_id"], []).append((a_start, a_end))
        done = a_end <= end
        task, parts_name = rng.choice(PM_TASKS)
        parts = rng.uniform(20, 600) if parts_name else 0
        hours = round(mins / 60 * rng.uniform(1, 1.5), 2)
        labor = hours * rng.uniform(40, 75)
        events.append({
            "machine_id": m["machine_id"], "line_id": m["line_id"], "factory_id": m["factory_id"],
            "maintenance_type": "preventive", "maintenance_category": "scheduled",
            "priority": rng.choice(["low", "medium", "medium", "high"]),
            "scheduled_start": sched, "actual_start": a_start, "actual_end": a_end if done else None,
            "duration_minutes": mins if done else None, "work_description": task,
            "parts_replaced": parts_name if done else None, "parts_cost_usd": ctx.money(parts if done else 0),
            "labor_hours": ctx.money(hours if done else 0), "labor_cost_usd": ctx.money(labor if done else 0),
            "total_cost_usd": ctx.money(ctx.money(parts if done else 0) + ctx.money(labor if done else 0)),
            "technician_id": _who(staff, "maintenance_technician", m["line_id"], m["factory_id"], salt=made),
            "supervisor_id": _who(staff, "supervisor", m["line_id"], m["factory_id"], salt=made),
            "related_fault_id": None, "completion_status": "completed" if done else "in_progress",
            "notes": None, "follow_up_required": False, "next_maintenance_due": None,
            "created_at": min(sched, a_start) - dt.timedelta(days=rng.randint(1, 14)),
            "updated_at": a_end if done else a_start,
        })
        made += 1
    events.sort(key=lambda e: (e["actual_start"], e["machine_id"]))
    for i, e in enumerate(events):
        e["maintenance_id"] = ctx.key("MNT", i + 1)
    return events


# -- production runs ---------------------------------------------------------------------------------


def _production_runs(ctx: SeedContext, episodes, staff, shift_of, start, end) -> list[Row]:
    rng = ctx.rng("operations.runs")
    lines = ctx.rows(MASTER, "production_lines")
    lpm = ctx.rows(MASTER, "line_product_mapping")
    cpm = ctx.rows(MASTER, "customer_product_mapping")
    customers_of: dict[str, list[str]] = {}
    for c in cpm:
        if c["is_active"]:
            customers_of.setdefault(c["product_id"], []).append(c["customer_id"])
    down_by_line: dict[str, list[tuple]] = {}
    for ep in episodes:
        down_by_line.setdefault(ep["line_id"], []).append((ep["start"], ep["end"] or end))
    runs = []
    for line in lines:
        options = [m for m in lpm if m["line_id"] == line["line_id"]]
        t = start + dt.timedelta(minutes=rng.randint(0, 240))
        prev = None
        number = 0
        while t < end:
            opt = rng.choice(options)
            product = opt["product_id"]
            change = opt["changeover_time_minutes"] if prev and prev != product else 0
            run_start = t + dt.timedelta(minutes=change)
            if run_start >= end:
                break
            number += 1
            planned = rng.randint(4, 14) * 60
            actual = int(planned * rng.uniform(0.95, 1.12))
            run_end = run_start + dt.timedelta(minutes=actual)
            done = run_end <= end
            elapsed = actual if done else int((end - run_start).total_seconds() // 60)
            down = sum(max(0.0, (min(b, run_start + dt.timedelta(minutes=elapsed)) - max(a, run_start)).total_seconds())
                       for a, b in down_by_line.get(line["line_id"], [])) / 60
            avail = max(30.0, rng.uniform(90, 98) - 100 * down / max(elapsed, 1))
            perf = rng.uniform(85, 98)
            cycle = opt["standard_cycle_time_seconds"]
            target = int(planned * 60 / cycle)
            qty = int(elapsed * 60 / cycle * avail / 100 * perf / 100)
            rejected = int(qty * rng.uniform(0.002, 0.04))
            scrapped = rejected * 2 // 5
            a, p = round(avail, 2), round(perf, 2)
            q = round(100 * (qty - rejected) / qty, 2) if qty else 100.0
            sid, code, _ = shift_of(line["factory_id"], run_start)
            custs = customers_of.get(product)
            runs.append({
                "run_id": None, "line_id": line["line_id"], "factory_id": line["factory_id"], "product_id": product,
                "run_number": number, "batch_number": f"B{run_start:%y%m%d}-{line['line_id'][-2:]}-{number:03d}",
                "work_order_number": None, "customer_id": custs[number % len(custs)] if custs else None,
                "run_start_time": run_start, "run_end_time": run_end if done else None,
                "planned_duration_minutes": planned, "actual_duration_minutes": actual if done else None,
                "target_quantity": target, "actual_quantity": qty, "rejected_quantity": rejected,
                "scrapped_quantity": scrapped, "rework_quantity": rejected - scrapped,
                "first_pass_yield_percentage": ctx.money(q), "defect_rate_ppm": int(rejected * 1_000_000 / qty) if qty else 0,
                "quality_grade": "A" if q >= 99 else ("B" if q >= 97 else "C"),
                "oee_percentage": ctx.money(a * p * q / 10000), "availability_percentage": ctx.money(a),
                "performance_percentage": ctx.money(p), "quality_percentage": ctx.money(q),
                "previous_product_id": prev, "changeover_time_minutes": change, "shift_id": sid,
                "supervisor_id": _who(staff, "supervisor", line["line_id"], line["factory_id"], code),
                "status": "completed" if done else "in_progress",
                "created_at": run_start, "updated_at": run_end if done else end,
            })
            prev = product
            t = run_end
    for i, r in enumerate(runs):
        r["run_id"] = ctx.key("RUN", i + 1)
    return runs


# -- sensor health -------------------------------------------------------------------------------------


def _sensor_health(ctx: SeedContext, sensors, windows, sensor_times, end) -> list[Row]:
    rng = ctx.rng("operations.sensor_health")
    day0 = end.replace(hour=0, minute=0, second=0, microsecond=0)
    days = [day0 - dt.timedelta(days=k) for k in range(6, -1, -1)]
    rows = []
    for s in sensors:
        sid = s["sensor_id"]
        anomalous: list[dt.datetime] = []
        if sid in windows:
            for t in sensor_times(sid):
                if any(a <= t <= b for a, _fs, b, _sv in windows[sid]):
                    anomalous.append(t)
        wireless = s["data_protocol"] == "MQTT"
        battery = rng.uniform(35, 100)
        drift0 = rng.uniform(-0.5, 0.5)
        for ts in days:
            out_24 = bisect.bisect_left(anomalous, ts) - bisect.bisect_left(anomalous, ts - dt.timedelta(days=1))
            since = (ts.date() - s["calibration_date"]).days
            if since < 0:
                since += s["calibration_frequency_days"]
            due = since >= s["calibration_frequency_days"] - 7
            drift = drift0 * (1 + since / 100)
            drifted = abs(drift) > 1.0
            battery = max(5.0, battery - rng.uniform(0, 0.6)) if wireless else battery
            loss = rng.uniform(0, 0.5) if rng.random() < 0.95 else rng.uniform(0.5, 5)
            score = 99 - abs(drift) * 3 - loss * 2 - min(out_24, 20) * 1.5 - (5 if due else 0) - rng.uniform(0, 2)
            score = max(20.0, min(100.0, score))
            status = "healthy" if score >= 85 else ("degraded" if score >= 60 else "critical")
            rows.append({
                "sensor_id": sid, "machine_id": s["machine_id"], "timestamp": ts,
                "health_score": ctx.money(score), "drift_percentage": ctx.qty(drift),
                "noise_level": ctx.qty(rng.uniform(0.01, 0.5) + (0.5 if out_24 else 0)),
                "days_since_calibration": since, "is_calibration_due": due, "calibration_drift_detected": drifted,
                "packet_loss_percentage": ctx.money(loss), "average_latency_ms": ctx.money(rng.uniform(5, 120)),
                "last_communication": ts - dt.timedelta(seconds=rng.randint(1, 120)),
                "communication_failures_24h": 0 if loss < 0.5 else rng.randint(1, 12),
                "battery_percentage": ctx.money(battery) if wireless else None,
                "is_low_battery": wireless and battery < 20, "stuck_value_detected": False,
                "erratic_readings_detected": out_24 > 0 and s["sensor_type"] in ("vibration", "acoustic"),
                "out_of_range_readings_24h": out_24, "overall_status": status, "created_at": ts,
            })
    rows.sort(key=lambda r: (r["timestamp"], r["sensor_id"]))
    for i, r in enumerate(rows):
        r["health_id"] = i + 1
    return rows


# -- sensor_data stream ------------------------------------------------------------------------------

SENSOR_DATA_COLUMNS = (
    "sensor_data_id", "sensor_id", "machine_id", "line_id", "factory_id", "timestamp", "measurement_value",
    "measurement_unit", "status", "quality", "is_below_warning", "is_above_warning", "is_below_critical",
    "is_above_critical", "min_value_1min", "max_value_1min", "avg_value_1min", "std_dev_1min", "anomaly_score",
    "is_anomaly", "data_source", "protocol", "created_at",
)


def _sensor_rows(ctx: SeedContext, sensors, windows, sensor_times):
    rng = ctx.rng("operations.sensor_data")
    rand, gauss = rng.random, rng.gauss
    D = Decimal
    score_pool = [D(i).scaleb(-4) for i in range(10_000)]
    sid_n = 0
    for s in sensors:
        mmin, cmin, wmin, nmin = _i4(s["measurement_range_min"]), _i4(s["critical_threshold_min"]), \
            _i4(s["warning_threshold_min"]), _i4(s["normal_operating_min"])
        nmax, wmax, cmax, mmax = _i4(s["normal_operating_max"]), _i4(s["warning_threshold_max"]), \
            _i4(s["critical_threshold_max"]), _i4(s["measurement_range_max"])
        span = nmax - nmin
        center = (nmin + nmax) / 2 + span * rng.uniform(-0.12, 0.12)
        sd = span / 9
        noise = sd * 0.08
        ids = (s["sensor_id"], s["machine_id"], s["line_id"], s["factory_id"])
        sid, mid, lid, fid = ids
        unit, proto = s["measurement_unit"], s["data_protocol"]
        low = s["sensor_type"] in LOW_SIDE
        wins = windows.get(sid)
        times = sensor_times(sid)
        for t in times:
            u = rand()
            level = -1.0
            if wins:
                for a_start, f_start, f_end, sev in wins:
                    if a_start <= t <= f_end:
                        if t < f_start:  # precursor: between warning and critical, rising
                            frac = (t - a_start) / (f_start - a_start)
                            level = 0.1 + 0.8 * frac
                        elif sev == "minor":
                            level = 0.5 + 0.4 * u
                        else:
                            level = 1.1 + 0.6 * u
                        break
            if level >= 0:
                if low:
                    v = wmin - level * (wmin - cmin) - noise * u
                else:
                    v = wmax + level * (cmax - wmax) + noise * u
                score = 7500 + int(min(level, 1.5) * 1600) + int(u * 300)
            elif u < 0.002:  # a rare isolated spike into the warning band
                v = wmax + (cmax - wmax) * 0.3 * rand() + 1 if not low else wmin - (wmin - cmin) * 0.3 * rand() - 1
                score = 5500 + int(u * 1_000_000)
            else:
                v = gauss(center, sd)
                z = abs(v - center) / sd
                score = int(z * 1200)
            n = int(v)
            if n < mmin:
                n = mmin
            elif n > mmax:
                n = mmax
            if score > 9999:
                score = 9999
            spread = int(noise * (0.5 + u))
            sid_n += 1
            bw, aw, bc, ac = n < wmin, n > wmax, n < cmin, n > cmax
            yield (
                sid_n, sid, mid, lid, fid, t, D(n).scaleb(-4), unit,
                "critical" if (bc or ac) else ("warning" if (bw or aw) else "normal"),
                "good" if u > 0.004 else "uncertain", bw, aw, bc, ac,
                D(n - spread).scaleb(-4), D(n + spread).scaleb(-4), D(n).scaleb(-4), D(spread // 2).scaleb(-4),
                score_pool[score], score >= 7000, "iot_gateway", proto, t,
            )


# -- scada stream -----------------------------------------------------------------------------------------

SCADA_COLUMNS = (
    "scada_id", "machine_id", "line_id", "factory_id", "timestamp", "machine_state", "operation_mode", "fault_code",
    "fault_description", "parts_produced_cumulative", "parts_produced_shift", "parts_rejected_shift",
    "target_cycle_time_seconds", "actual_cycle_time_seconds", "availability_percentage", "performance_percentage",
    "quality_percentage", "oee_percentage", "spindle_speed_rpm", "feed_rate_mm_min", "tool_number", "program_number",
    "power_consumption_kw", "energy_consumed_kwh", "temperature_setpoint_c", "temperature_actual_c",
    "pressure_setpoint_bar", "pressure_actual_bar", "downtime_seconds_shift", "last_fault_timestamp",
    "uptime_seconds_shift", "active_alarms", "alarm_codes", "warning_codes", "shift_id", "operator_id",
    "data_source", "data_quality", "created_at",
)


def _scada_rows(ctx: SeedContext, machines, episodes, maint, staff, shift_of, end, interval, n_grid):
    rng = ctx.rng("operations.scada")
    rand = rng.random
    D = Decimal
    grid = [end - interval * (n_grid - 1 - k) for k in range(n_grid)]
    eps_by: dict[str, list[dict]] = {}
    for ep in episodes:
        eps_by.setdefault(ep["machine_id"], []).append(ep)
    pm_by: dict[str, list[tuple]] = {}
    for m in maint:
        if m["maintenance_type"] == "preventive":
            pm_by.setdefault(m["machine_id"], []).append((m["actual_start"], m["actual_end"] or end))
    step_s = interval.total_seconds()
    shift_cache: dict[tuple, tuple] = {}
    scada_id = 0
    for mi, m in enumerate(machines):
        mid, lid, fid = m["machine_id"], m["line_id"], m["factory_id"]
        eps = eps_by.get(mid, [])
        pms = pm_by.get(mid, [])
        times = grid
        if eps:
            times = sorted(set(grid) | {ep["start"] for ep in eps})
        target = rng.randint(20, 120)
        rating = float(m["power_rating_kw"])
        cumulative = rng.randint(100_000, 5_000_000)
        energy = rng.uniform(10_000, 500_000)
        spindle_base = rng.choice([0, 1200, 2400, 6000, 8000])
        program = f"O{rng.randint(1000, 9999)}"
        tool = rng.randint(1, 24)
        temp_sp, pres_sp = rng.choice([35, 40, 45, 60]), rng.choice([4, 5, 6, 8])
        operators = {}
        for code in "ABC":
            for k in (("operator", "line", lid, code), ("operator", "line", lid), ("operator", "factory", fid)):
                if staff.get(k):
                    operators[code] = staff[k]
                    break
        prev_t = None
        for t in times:
            u = rand()
            state, mode, code, desc, alarms, acodes, wcodes = "running", "auto", None, None, 0, None, None
            last_fault = None
            for ep in eps:
                if ep["start"] <= t:
                    last_fault = ep["start"]
                    if ep["end"] is None or t <= ep["end"]:
                        state, mode, code, desc = "fault", "manual", ep["fault_code"], ep["description"]
                        alarms, acodes = 1 + int(u * 3), ep["fault_code"]
                elif ep["anomaly_start"] <= t:
                    wcodes = "W-" + ep["fault_code"][2:]
            if state == "running":
                if pms and any(a <= t <= b for a, b in pms):
                    state, mode = "maintenance", "manual"
                elif u < 0.06:
                    state = "idle"
                elif u < 0.09:
                    state, mode = "setup", "manual"
                elif u < 0.11:
                    state, mode = "changeover", "manual"
            running = state == "running"
            if state == "fault":
                a, p = 20 + 40 * u, 30 + 40 * u
            elif running:
                a, p = 88 + 11 * u, 80 + 19 * rand()
            else:
                a, p = 60 + 25 * u, 70 + 20 * u
            q = 95 + 4.9 * rand()
            ai, pi, qi = int(a * 100), int(p * 100), int(q * 100)
            oee_i = (ai * pi * qi + 50_000_000) // 100_000_000
            sh = shift_cache.get((fid, t))
            if sh is None:
                sh = shift_cache[(fid, t)] = shift_of(fid, t)
            sid, scode, into = sh
            produced = int(into / target * ai * pi / 1e8)
            rejected = int(produced * (10000 - qi) / 10000 + 0.5)
            gap = (t - prev_t).total_seconds() if prev_t else step_s
            prev_t = t
            cumulative += int(gap / target * ai * pi / 1e8) if running else 0
            load = (0.55 + 0.35 * u) if running else (0.05 if state == "fault" else 0.15)
            power = rating * load
            energy += power * gap / 3600
            uptime = into * ai // 10000
            yield (
                scada_id + 1, mid, lid, fid, t, state, mode, code, desc, cumulative, produced, rejected, target,
                D(int(target * 1_000_000 / pi) if pi else target * 100).scaleb(-2),
                D(ai).scaleb(-2), D(pi).scaleb(-2), D(qi).scaleb(-2), D(oee_i).scaleb(-2),
                int(spindle_base * (0.9 + 0.2 * u)) if running and spindle_base else 0,
                D(int((200 + 800 * u) * 100) if running else 0).scaleb(-2), tool, program,
                D(int(power * 100)).scaleb(-2), D(int(energy * 10000)).scaleb(-4),
                D(temp_sp * 100).scaleb(-2), D(int((temp_sp + (12 if state == "fault" else 0) + 4 * (u - 0.5)) * 100)).scaleb(-2),
                D(pres_sp * 100).scaleb(-2), D(int((pres_sp * (0.97 + 0.06 * u)) * 100)).scaleb(-2),
                into - uptime, last_fault, uptime, alarms, acodes, wcodes, sid,
                (ops[(mi + t.toordinal()) % len(ops)] if (ops := operators.get(scode)) else None), "scada", "good", t,
            )
            scada_id += 1
