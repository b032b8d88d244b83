"""master, hr and operations generators: volumes, thresholds, fault-episode coherence, references,
determinism, the as_of horizon, catalog conformance of values, and a real load through the runner."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from genims_tui.backend.catalog import load_catalog
from genims_tui.seeds import hr, master, operations
from genims_tui.seeds.framework import SeedContext, TableStream

AS_OF = dt.datetime(2026, 11, 20)
SCALE = 0.05
M, H, O = "genims_master_db", "genims_hr_db", "genims_operations_db"
MASTER_TABLES = {"factories", "production_lines", "machines", "sensors", "shifts", "products", "customers", "employees"}
# planning columns that legitimately look forward (a certificate's expiry, a goal's target date ...)
FORWARD_LOOKING = {"expiry_date", "certificate_expiry_date", "target_date", "expected_vacancy_date"}


def _run(seed: int = 7, scale: float = SCALE) -> tuple[SeedContext, dict[str, dict[str, list]]]:
    """Generate the three databases in order; streams are materialised as lists of dicts."""
    ctx = SeedContext(seed=seed, scale=scale, as_of=AS_OF)
    out: dict[str, dict[str, list]] = {}
    for db, mod in ((M, master), (H, hr), (O, operations)):
        tables = mod.generate(ctx)
        ctx.data[db] = {t: r for t, r in tables.items() if not isinstance(r, TableStream)}
        out[db] = {}
        for t, r in tables.items():
            if isinstance(r, TableStream):
                out[db][t] = [dict(zip(r.columns, row, strict=True)) for row in r.rows()]
            else:
                out[db][t] = r
    return ctx, out


@pytest.fixture(scope="module")
def seeded():
    return _run()


def _pk(db: str, table: str) -> str:
    return next(c[0] for c in load_catalog()[db][table] if c[2])


# -- volumes ---------------------------------------------------------------------------------------


def test_master_volumes(seeded):
    _, data = seeded
    m = data[M]
    assert len(m["factories"]) == 4
    assert len({f["country"] for f in m["factories"]}) == 4
    assert all(f["timezone"] for f in m["factories"])
    assert len(m["production_lines"]) == 21
    assert len(m["machines"]) == 236
    assert len(m["sensors"]) == 1781
    assert len({s["sensor_type"] for s in m["sensors"]}) >= 10
    assert {x["criticality"] for x in m["machines"]} == {"critical", "high", "medium", "low"}
    assert len(m["shifts"]) == 12
    assert all(v == 3 for v in Counter(s["factory_id"] for s in m["shifts"]).values())
    assert len(m["products"]) == 35
    assert len(m["customers"]) == 10
    assert sum(len(v) for v in m.values()) == 13_335
    roles = Counter(e["role"] for e in m["employees"])
    assert set(roles) == {
        "operator", "technician", "maintenance_technician", "supervisor", "quality_inspector", "quality_engineer",
        "planner", "buyer", "warehouse_operator", "driver", "sales_rep", "service_agent", "engineer", "manager",
        "accountant", "hr_specialist",
    }
    assert len(m["employees"]) > 10_000


def test_master_not_scaled():
    ctx = SeedContext(seed=7, scale=2.0, as_of=AS_OF)
    assert sum(len(v) for v in master.generate(ctx).values()) == 13_335


def test_hr_volumes(seeded):
    _, data = seeded
    h = data[H]
    minimum = {  # seed 003's counts
        "departments": 20, "job_roles": 10, "positions": 50, "employees": 100, "employee_employment_history": 50,
        "employee_skills": 100, "employee_certifications": 50, "employee_shifts": 60, "shift_schedules": 12,
        "employee_goals": 148, "training_courses": 10, "training_schedules": 20, "training_enrollments": 100,
        "career_paths": 10, "role_skill_requirements": 30, "performance_reviews": 30, "performance_kpis": 60,
        "succession_planning": 10, "succession_candidates": 30, "leave_types": 6, "leave_requests": 50,
        "employee_leave_balances": 320, "safety_incidents": 16, "employee_onboarding": 40, "offboarding_records": 15,
    }
    for table, n in minimum.items():
        assert len(h[table]) >= n, table
    for table in load_catalog()[H]:
        assert h.get(table), f"{table} is empty"
    assert len(h["departments"]) == 20 and len(h["job_roles"]) == 10 and len(h["positions"]) == 50
    assert 900 <= len(h["employees"]) <= 1100
    assert len(h["attendance_records"]) > 1000  # 3 days at scale 0.05


def test_hr_attendance_volume_at_scale_1():
    ctx = SeedContext(seed=7, scale=1.0, as_of=AS_OF)
    ctx.data[M] = master.generate(ctx)
    rows = hr.generate(ctx)
    assert 35_000 <= len(rows["attendance_records"]) <= 50_000


def test_operations_volumes(seeded):
    ctx, data = seeded
    o = data[O]
    assert 0.8 * 300_000 * SCALE <= len(o["sensor_data"]) <= 1.3 * 300_000 * SCALE
    assert 0.8 * 150_000 * SCALE <= len(o["scada_machine_data"]) <= 1.3 * 150_000 * SCALE
    assert len(o["machine_faults"]) == len(ctx.shared["fault_episodes"]) >= 8
    assert len(o["sensor_health"]) == 1781 * 7
    assert o["production_runs"] and o["maintenance_events"]
    assert any(m["related_fault_id"] for m in o["maintenance_events"])


# -- sensors and telemetry --------------------------------------------------------------------------


def test_threshold_nesting(seeded):
    _, data = seeded
    for s in data[M]["sensors"]:
        chain = [s[c] for c in ("measurement_range_min", "critical_threshold_min", "warning_threshold_min",
                                "normal_operating_min", "normal_operating_max", "warning_threshold_max",
                                "critical_threshold_max", "measurement_range_max")]
        assert all(isinstance(v, Decimal) for v in chain)
        assert chain[0] <= chain[1] < chain[2] < chain[3] < chain[4] < chain[5] < chain[6] <= chain[7], s["sensor_id"]


def test_sensor_flags_agree_with_thresholds(seeded):
    _, data = seeded
    sensors = {s["sensor_id"]: s for s in data[M]["sensors"]}
    for r in data[O]["sensor_data"]:
        s = sensors[r["sensor_id"]]
        v = r["measurement_value"]
        assert r["machine_id"] == s["machine_id"] and r["line_id"] == s["line_id"] and r["factory_id"] == s["factory_id"]
        assert r["measurement_unit"] == s["measurement_unit"]
        assert r["is_below_warning"] == (v < s["warning_threshold_min"])
        assert r["is_above_warning"] == (v > s["warning_threshold_max"])
        assert r["is_below_critical"] == (v < s["critical_threshold_min"])
        assert r["is_above_critical"] == (v > s["critical_threshold_max"])
        crit = r["is_below_critical"] or r["is_above_critical"]
        warn = r["is_below_warning"] or r["is_above_warning"]
        assert r["status"] == ("critical" if crit else "warning" if warn else "normal")
        assert s["measurement_range_min"] <= v <= s["measurement_range_max"]
        assert r["min_value_1min"] <= r["avg_value_1min"] <= r["max_value_1min"]
        assert Decimal(0) <= r["anomaly_score"] < 1
        assert r["is_anomaly"] == (r["anomaly_score"] >= Decimal("0.7"))


def test_oee_consistent(seeded):
    _, data = seeded
    for r in data[O]["scada_machine_data"] + data[O]["production_runs"]:
        a, p, q = r["availability_percentage"], r["performance_percentage"], r["quality_percentage"]
        assert abs(a * p * q / 10000 - r["oee_percentage"]) <= Decimal("0.01")
        assert all(Decimal(0) <= x <= 100 for x in (a, p, q))


def test_fault_episodes_coherent(seeded):
    ctx, data = seeded
    o = data[O]
    episodes = ctx.shared["fault_episodes"]
    faults = {f["fault_id"]: f for f in o["machine_faults"]}
    assert [e["fault_id"] for e in episodes] == list(range(1, len(episodes) + 1))
    keys = {"fault_id", "machine_id", "line_id", "factory_id", "fault_code", "fault_category", "fault_severity",
            "start", "end", "downtime_minutes", "description"}
    sensors_of = defaultdict(set)
    for s in data[M]["sensors"]:
        sensors_of[s["machine_id"]].add(s["sensor_id"])
    readings = defaultdict(list)
    for r in o["sensor_data"]:
        readings[r["machine_id"]].append(r)
    scada = defaultdict(list)
    for r in o["scada_machine_data"]:
        scada[r["machine_id"]].append(r)
    open_ = [e for e in episodes if e["end"] is None]
    assert len(open_) >= 2 and all(e["fault_severity"] == "critical" for e in open_)
    for e in episodes:
        assert set(e) == keys
        assert e["fault_severity"] in ("critical", "major", "minor")
        f = faults[e["fault_id"]]
        assert (f["machine_id"], f["fault_code"], f["fault_start_time"], f["fault_end_time"]) == (
            e["machine_id"], e["fault_code"], e["start"], e["end"])
        assert f["status"] == ("open" if e["end"] is None else "resolved")
        assert e["start"] <= AS_OF and (e["end"] is None or e["start"] < e["end"] <= AS_OF)
        contributing = f["contributing_sensors"].split(",")
        assert contributing and set(contributing) <= sensors_of[e["machine_id"]]
        end = e["end"] or AS_OF
        window = [r for r in readings[e["machine_id"]] if e["start"] - dt.timedelta(hours=12) <= r["timestamp"] <= end]
        assert any(r["is_anomaly"] and r["status"] != "normal" and r["sensor_id"] in contributing for r in window)
        during = [r for r in window if r["timestamp"] >= e["start"] and r["sensor_id"] in contributing]
        assert during and all(r["status"] != "normal" for r in during)
        states = [r for r in scada[e["machine_id"]] if e["start"] <= r["timestamp"] <= end]
        assert states and all(r["machine_state"] == "fault" and r["fault_code"] == e["fault_code"] for r in states)
    linked = {m["related_fault_id"] for m in o["maintenance_events"] if m["related_fault_id"]}
    assert linked <= {e["fault_id"] for e in episodes if e["end"] is not None}


def test_no_fault_state_outside_episodes(seeded):
    ctx, data = seeded
    windows = defaultdict(list)
    for e in ctx.shared["fault_episodes"]:
        windows[e["machine_id"]].append((e["start"], e["end"] or AS_OF))
    for r in data[O]["scada_machine_data"]:
        if r["machine_state"] == "fault":
            assert any(a <= r["timestamp"] <= b for a, b in windows[r["machine_id"]])


# -- HR ------------------------------------------------------------------------------------------------


def test_hr_employees_reuse_master_ids(seeded):
    _, data = seeded
    master_emps = {e["employee_id"]: e for e in data[M]["employees"]}
    hr_ids = {e["employee_id"] for e in data[H]["employees"]}
    assert hr_ids <= set(master_emps)
    for e in master_emps.values():
        if e["role"] in ("manager", "supervisor", "hr_specialist"):
            assert e["employee_id"] in hr_ids
    for e in data[H]["employees"]:
        m = master_emps[e["employee_id"]]
        assert (e["first_name"], e["last_name"], e["hire_date"], e["primary_factory_id"]) == (
            m["first_name"], m["last_name"], m["hire_date"], m["factory_id"])


def test_some_certifications_expire_soon(seeded):
    _, data = seeded
    soon = [c for c in data[H]["employee_certifications"]
            if c["expiry_date"] and AS_OF.date() <= c["expiry_date"] <= AS_OF.date() + dt.timedelta(days=30)]
    assert len(soon) >= 5
    assert all(c["expiry_alert_sent"] for c in soon)


def test_leave_balances_add_up(seeded):
    _, data = seeded
    for b in data[H]["employee_leave_balances"]:
        assert b["available_balance"] == b["opening_balance"] + b["accrued_days"] - b["used_days"] - b["pending_days"]


# -- references, horizon, catalog conformance ----------------------------------------------------------


def test_references_resolve(seeded):
    _, data = seeded
    catalog = load_catalog()
    keys = {(db, t): {r[_pk(db, t)] for r in rows} for db in data for t, rows in data[db].items()}
    for db in (M, H, O):
        for table, cols in catalog[db].items():
            for name, _type, _pk_flag, ref in cols:
                if not ref:
                    continue
                home = db if ref in catalog[db] else (M if ref in MASTER_TABLES else None)
                assert home, f"{db}.{table}.{name} -> {ref}: no home"
                parent = keys[(home, ref)]
                bad = {r.get(name) for r in data[db][table]} - parent - {None}
                assert not bad, f"{db}.{table}.{name} -> {home}.{ref}: {sorted(bad)[:5]}"


def test_primary_keys_unique_and_columns_in_catalog(seeded):
    _, data = seeded
    catalog = load_catalog()
    for db in data:
        assert set(data[db]) == set(catalog[db]), db
        for table, rows in data[db].items():
            cols = {c[0] for c in catalog[db][table]}
            pk = _pk(db, table)
            ids = [r[pk] for r in rows]
            assert None not in ids and len(ids) == len(set(ids)), f"{table}.{pk}"
            for r in rows[:2000]:
                assert set(r) <= cols, f"{table}: {set(r) - cols}"


def test_values_fit_the_catalog_types(seeded):
    _, data = seeded
    catalog = load_catalog()
    for db in data:
        for table, rows in data[db].items():
            for name, typ, _pk_flag, _ref in catalog[db][table]:
                m_var = re.fullmatch(r"VARCHAR\((\d+)\)", typ)
                m_dec = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", typ)
                for r in rows:
                    v = r.get(name)
                    if v is None:
                        continue
                    where = f"{table}.{name}={v!r}"
                    if m_var:
                        assert isinstance(v, str) and len(v) <= int(m_var.group(1)), where
                    elif m_dec:
                        assert isinstance(v, Decimal), where
                        p, s = int(m_dec.group(1)), int(m_dec.group(2))
                        assert -v.as_tuple().exponent <= s and abs(v) < Decimal(10) ** (p - s), where
                    elif typ in ("INTEGER", "BIGINT", "BIGSERIAL"):
                        assert isinstance(v, int) and not isinstance(v, bool), where
                    elif typ == "BOOLEAN":
                        assert isinstance(v, bool), where
                    elif typ == "TIMESTAMP":
                        assert isinstance(v, dt.datetime) and v.tzinfo is None, where
                    elif typ == "DATE":
                        assert isinstance(v, dt.date) and not isinstance(v, dt.datetime), where


def test_nothing_after_as_of(seeded):
    _, data = seeded
    for db in data:
        for table, rows in data[db].items():
            for r in rows:
                for k, v in r.items():
                    if isinstance(v, dt.datetime):
                        assert v <= AS_OF, f"{table}.{k}={v}"
                    elif isinstance(v, dt.date) and k not in FORWARD_LOOKING:
                        assert v <= AS_OF.date(), f"{table}.{k}={v}"


# -- determinism -----------------------------------------------------------------------------------------


def test_deterministic(seeded):
    _, data = seeded
    _, again = _run()
    assert again == data
    _, other = _run(seed=8)
    assert other[M]["employees"] != data[M]["employees"]
    assert other[H]["employees"] != data[H]["employees"]
    assert other[O]["sensor_data"] != data[O]["sensor_data"]
    assert other[O]["machine_faults"] != data[O]["machine_faults"]


# -- a real load ----------------------------------------------------------------------------------------------


def test_sqlite_load_through_runner(sqlite_dbs):
    """The runner loads the three databases into SQLite, enforcing the foreign keys."""
    from sqlalchemy import text

    from genims_tui.seeds.runner import run_seed

    report = run_seed(sqlite_dbs, scale=SCALE, seed=7, only=",".join((M, H, O)), as_of=AS_OF)
    got = {d.database: d.rows for d in report.databases}
    assert got[M] == 13_335
    assert got[H] > 10_000 and got[O] > 20_000
    with sqlite_dbs.connect(O) as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM machine_faults")).scalar() >= 8
        assert conn.execute(text("SELECT COUNT(*) FROM maintenance_events WHERE related_fault_id IS NOT NULL")).scalar() > 0
    with sqlite_dbs.connect(H) as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM employees WHERE reports_to_employee_id IS NOT NULL")).scalar() > 900
