"""The daemons' machinery: run records, idempotent reruns, failures that stay contained, the job
lock (flock on SQLite, advisory lock on PostgreSQL), the daemon log, and the APScheduler wiring.

One small seeded SQLite estate serves the whole module; the clock is frozen just after its as_of.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os

import pytest
from sqlalchemy import create_engine, func, insert, select

from genims_tui.backend import scheduler
from genims_tui.backend.databases import Databases
from genims_tui.backend.models.console import DaemonLog, JobRuns
from genims_tui.backend.scheduler import (
    Job,
    advisory_key,
    build_scheduler,
    job_logger,
    job_overview,
    lock_path,
    registry,
    run_all_once,
    run_job,
)
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)


def clock() -> dt.datetime:
    return AS_OF + dt.timedelta(minutes=30)


EXPECTED_JOBS = {  # seed 002's cadences (seed 000's daily ERP cycle)
    "erp_daily_cycle": 86400,
    "gl_posting": 300, "inventory_sync": 300, "inventory_reconcile": 6000, "account_balances": 3000,
    "sync_metrics": 300,
    "invoice_match": 300, "rfq_deadlines": 300, "supplier_performance": 300, "document_expiry": 300,
    "contract_status": 300,
    "calibration_check": 300, "capa_escalation": 300, "spc_monitoring": 300, "mes_inspections_to_ncr": 300,
    "service_tickets_to_complaints": 300, "quality_kpis": 300, "document_reviews": 300,
    "pm_generation": 1800, "corrective_work_orders": 1800, "technician_assignment": 1800,
    "service_sla": 1800, "crm_case_sla": 1800, "quote_expiry": 1800,
    "health_check": 300,
}


def automation_names() -> list[str]:
    """What runs by default: the automations and the product's own upkeep (not the simulators)."""
    return [name for name, job in registry().items() if job.kind != "simulator"]


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path_factory.mktemp("jobs"))))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    yield dbs
    dbs.dispose()


@pytest.fixture(scope="module")
def two_rounds(estate):
    first = run_all_once(estate, clock=clock)
    second = run_all_once(estate, clock=clock)
    return {r.job_name: r for r in first}, {r.job_name: r for r in second}


def _run_row(dbs: Databases, run_id: int):
    with dbs.connect("genims_console_db") as conn:
        return conn.execute(select(JobRuns).where(JobRuns.run_id == run_id)).one()


@pytest.fixture
def temp_job(monkeypatch):
    """Register a throwaway job for one test."""

    def add(name: str, function, interval: int = 300) -> str:
        monkeypatch.setitem(scheduler._REGISTRY, name, Job(name, f"test job {name}", interval, function, "test"))
        return name

    return add


def test_the_registry_follows_seed_002_intervals():
    assert {name: job.interval_seconds for name, job in registry().items() if job.kind == "automation"} == EXPECTED_JOBS


def test_every_job_runs_and_leaves_a_success_record_with_counts(estate, two_rounds):
    first, _ = two_rounds
    assert set(first) == set(automation_names()) and set(EXPECTED_JOBS) <= set(first)
    for name, result in first.items():
        assert result.outcome == "success", (name, result.error)
        row = _run_row(estate, result.run_id)
        assert row.job_name == name and row.outcome == "success" and row.error is None
        assert row.started_at == clock() and row.finished_at == clock()
        assert row.counts == result.counts and result.counts, name
        assert all(isinstance(v, int) for v in row.counts.values())
        assert row.rows_touched == sum(row.counts.values())
        assert row.pid == os.getpid() and row.host
    # the seeded estate gives the creators something to do the first time
    assert first["pm_generation"].counts["work_orders_created"] > 0
    assert first["mes_inspections_to_ncr"].counts["ncrs_created"] > 0


def test_a_second_round_creates_nothing_new(two_rounds):
    _, second = two_rounds
    assert all(r.outcome == "success" for r in second.values())
    assert second["pm_generation"].counts == {"work_orders_created": 0, "schedules_advanced": 0}
    assert second["corrective_work_orders"].counts == {"work_orders_created": 0}
    assert second["technician_assignment"].counts == {"assigned": 0}
    assert second["mes_inspections_to_ncr"].counts == {"ncrs_created": 0}
    assert second["calibration_check"].counts == {"alerts_created": 0, "locked_out": 0}
    assert second["capa_escalation"].counts == {"capas_overdue": 0, "actions_overdue": 0, "ncrs_closed": 0}
    assert second["spc_monitoring"].counts["ncrs_created"] == 0
    assert second["invoice_match"].counts == {"matched": 0, "within_tolerance": 0, "exception": 0, "posted": 0}
    assert second["inventory_sync"].counts["completed"] == 0


def test_log_lines_reach_the_daemon_log_with_the_run_id(estate, temp_job):
    def chatty(ctx):
        job_logger("chatty").info("looked at %d things", 42)
        job_logger("chatty").warning("one looked odd")
        return {"things": 2}

    result = run_job(estate, temp_job("chatty", chatty), clock=clock)
    assert result.outcome == "success" and result.rows_touched == 2
    with estate.connect("genims_console_db") as conn:
        lines = conn.execute(select(DaemonLog).where(DaemonLog.run_id == result.run_id).order_by(DaemonLog.log_id)).all()
    messages = [(ln.level, ln.message) for ln in lines]
    assert ("INFO", "looked at 42 things") in messages
    assert ("WARNING", "one looked odd") in messages
    assert messages[0] == ("INFO", "chatty started")
    assert all(ln.job_name == "chatty" and ln.logger_name == "genims.jobs.chatty" and ln.logged_at == clock()
               for ln in lines)


def test_a_failing_job_is_recorded_and_the_others_still_run(estate, temp_job):
    def boom(ctx):
        raise RuntimeError("the flux capacitor is gone")

    temp_job("boom", boom)
    results = run_all_once(estate, only=["boom", "invoice_match"], clock=clock)
    assert [(r.job_name, r.outcome) for r in results] == [("boom", "failed"), ("invoice_match", "success")]
    row = _run_row(estate, results[0].run_id)
    assert row.outcome == "failed" and row.error == "RuntimeError: the flux capacitor is gone"
    assert row.finished_at is not None and row.rows_touched == 0
    with estate.connect("genims_console_db") as conn:
        errors = conn.execute(select(DaemonLog.message).where(DaemonLog.run_id == row.run_id,
                                                              DaemonLog.level == "ERROR")).scalars().all()
    assert errors == ["boom failed: RuntimeError: the flux capacitor is gone"]


def test_a_held_lock_skips_the_run(estate, temp_job):
    calls = []
    name = temp_job("locked", lambda ctx: calls.append(1) or {"n": 1})
    fd = os.open(lock_path(estate, name), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_job(estate, name, clock=clock)
    finally:
        os.close(fd)
    assert result.outcome == "skipped_locked" and calls == []
    row = _run_row(estate, result.run_id)
    assert row.outcome == "skipped_locked" and row.rows_touched == 0
    # released: the next run goes ahead
    assert run_job(estate, name, clock=clock).outcome == "success" and calls == [1]


def test_a_missing_database_gives_a_failed_run_not_a_crash(tmp_path):
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))  # never created
    try:
        result = run_job(dbs, "invoice_match", clock=clock)
    finally:
        dbs.dispose()
    assert result.outcome == "failed" and result.run_id is None
    assert "does not exist" in result.error and "genims init" in result.error


def test_job_overview_reports_last_run_next_due_and_success_rate(estate, two_rounds):
    rows = {r["job_name"]: r for r in job_overview(estate, now=clock())}
    assert set(EXPECTED_JOBS) <= set(rows)
    pm = rows["pm_generation"]
    assert pm["last_outcome"] == "success" and pm["success_rate_pct"] == 100.0 and pm["runs"] >= 2
    assert pm["next_due_at"] == clock() + dt.timedelta(seconds=1800)


def test_build_scheduler_has_one_guarded_interval_job_per_entry(estate):
    sched = build_scheduler(estate, only="invoice_match,pm_generation")
    jobs = {j.id: j for j in sched.get_jobs()}
    assert set(jobs) == {"invoice_match", "pm_generation"}
    for job_id, job in jobs.items():
        assert job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval == dt.timedelta(seconds=EXPECTED_JOBS[job_id])
        assert job.func is run_job and job.args == (estate, job_id)
    assert {j.id for j in build_scheduler(estate).get_jobs()} == set(automation_names())
    assert {j.id for j in build_scheduler(estate, simulate=True).get_jobs()} == set(registry())


@pytest.mark.pg
def test_postgresql_advisory_lock(pg_dbs, temp_job):
    pg_dbs.create(["genims_console_db"])
    calls = []
    name = temp_job("pg_probe", lambda ctx: calls.append(1) or {"probed": 3})
    first = run_job(pg_dbs, name, clock=clock)
    assert first.outcome == "success" and first.counts == {"probed": 3}
    assert _run_row(pg_dbs, first.run_id).rows_touched == 3
    # another session holds the job's advisory lock: the run is skipped and recorded
    other = create_engine(pg_dbs.engine("genims_console_db").url)
    try:
        with other.connect() as conn:
            assert conn.execute(select(func.pg_try_advisory_lock(advisory_key(name)))).scalar() is True
            conn.commit()
            skipped = run_job(pg_dbs, name, clock=clock)
            conn.execute(select(func.pg_advisory_unlock(advisory_key(name))))
            conn.commit()
    finally:
        other.dispose()
    assert skipped.outcome == "skipped_locked" and calls == [1]
    assert _run_row(pg_dbs, skipped.run_id).outcome == "skipped_locked"
    # the lock is released after each run: the next one goes ahead
    assert run_job(pg_dbs, name, clock=clock).outcome == "success" and calls == [1, 1]


def test_database_errors_are_described_in_one_line_without_sql():
    from sqlalchemy.exc import OperationalError

    from genims_tui.backend.scheduler import describe_error

    class DriverError(Exception):
        pass

    exc = OperationalError("SELECT secret_column FROM t WHERE x = %(x)s", {"x": 1},
                           DriverError("terminating connection due to administrator command\nDETAIL: more"))
    text = describe_error(exc)
    assert text == "Database error (DriverError): terminating connection due to administrator command"
    assert describe_error(RuntimeError("two\nlines")) == "RuntimeError: two"


def test_housekeeping_deletes_only_what_is_past_its_retention(tmp_path):
    from genims_tui.backend.scheduler import purge_history

    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    dbs.create(["genims_console_db"])
    now = dt.datetime(2026, 6, 1, 12, 0)
    with dbs.begin("genims_console_db") as conn:
        for days in (1, 13, 15, 40):
            conn.execute(insert(DaemonLog).values(logged_at=now - dt.timedelta(days=days), level="INFO",
                                                  job_name="x", message=f"{days} days old"))
        for days, outcome in ((10, "success"), (100, "failed"), (120, "success"), (200, "running")):
            conn.execute(insert(JobRuns).values(job_name="x", started_at=now - dt.timedelta(days=days),
                                                outcome=outcome, rows_touched=0))
    assert purge_history(dbs, now, log_days=14, run_days=90, batch=1) == {"log_lines_deleted": 1, "runs_deleted": 1}
    assert purge_history(dbs, now, log_days=14, run_days=90) == {"log_lines_deleted": 1, "runs_deleted": 1}
    assert purge_history(dbs, now, log_days=14, run_days=90) == {"log_lines_deleted": 0, "runs_deleted": 0}
    with dbs.connect("genims_console_db") as conn:
        assert sorted(m for (m,) in conn.execute(select(DaemonLog.message))) == ["1 days old", "13 days old"]
        # a run still marked running is never deleted here (recover_stale_runs decides about it)
        assert sorted(o for (o,) in conn.execute(select(JobRuns.outcome))) == ["running", "success"]
    dbs.dispose()


def test_job_overview_rates_cover_the_last_seven_days_and_last_run_is_the_newest(tmp_path):
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    dbs.create(["genims_console_db"])
    now = dt.datetime(2026, 6, 1, 12, 0)
    with dbs.begin("genims_console_db") as conn:
        for days, outcome in ((30, "failed"), (20, "failed"), (3, "success"), (2, "failed"), (1, "success")):
            conn.execute(insert(JobRuns).values(job_name="pm_generation", started_at=now - dt.timedelta(days=days),
                                                finished_at=now - dt.timedelta(days=days), outcome=outcome,
                                                rows_touched=0))
    pm = {r["job_name"]: r for r in job_overview(dbs, now=now)}["pm_generation"]
    assert (pm["runs"], pm["successes"], pm["failures"], pm["success_rate_pct"]) == (3, 2, 1, 66.7)
    assert pm["last_started_at"] == now - dt.timedelta(days=1) and pm["last_outcome"] == "success"
    dbs.dispose()


def test_the_registry_order_does_not_depend_on_which_package_was_imported_first():
    import subprocess
    import sys

    probe = ("import genims_tui.backend.{first}; from genims_tui.backend.scheduler import registry; "
             "print(','.join(registry()))")
    orders = {first: subprocess.run([sys.executable, "-c", probe.format(first=first)], capture_output=True,
                                    text=True, check=True).stdout.strip()
              for first in ("simulators", "automations")}
    assert orders["simulators"] == orders["automations"]
    names = orders["automations"].split(",")
    assert names[0] == "erp_daily_cycle" and names[-1].endswith("_simulator")
