"""`genims jobs list / run` and `genims run-daemons`, run as a person runs them (subprocesses) against
one small seeded SQLite estate."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time

import pytest
from clitools import assert_usage_error, cli_env, describe, json_out, run_cli
from conftest import sqlite_env
from sqlalchemy import func, select

from genims_tui.backend.databases import Databases
from genims_tui.backend.models.console import JobRuns
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

AUTOMATIONS = {
    "erp_daily_cycle", "gl_posting", "inventory_sync", "inventory_reconcile", "account_balances", "sync_metrics",
    "invoice_match", "rfq_deadlines", "supplier_performance", "document_expiry", "contract_status",
    "calibration_check", "capa_escalation", "spc_monitoring", "mes_inspections_to_ncr",
    "service_tickets_to_complaints", "quality_kpis", "document_reviews", "pm_generation", "corrective_work_orders",
    "technician_assignment", "service_sla", "crm_case_sla", "quote_expiry", "health_check",
}
SIMULATORS = {"iot_simulator", "scada_simulator", "mes_simulator", "orders_simulator", "service_simulator",
              "crm_simulator", "warehouse_simulator", "hr_simulator"}
SYSTEM = {"housekeeping"}
JOBS = AUTOMATIONS | SYSTEM | SIMULATORS


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = sqlite_env(tmp_path_factory.mktemp("jobs_cli"))
    dbs = Databases(load_settings(environ=env))
    run_seed(dbs, scale=0.02, seed=3, as_of=dt.datetime(2026, 6, 1, 12, 0))
    dbs.dispose()
    return env


def _runs(env, job: str, outcome: str | None = None) -> int:
    dbs = Databases(load_settings(environ=env))
    try:
        with dbs.connect("genims_console_db") as conn:
            q = select(func.count()).select_from(JobRuns).where(JobRuns.job_name == job)
            if outcome:
                q = q.where(JobRuns.outcome == outcome)
            return conn.execute(q).scalar()
    finally:
        dbs.dispose()


def test_jobs_run_records_a_run_and_jobs_list_shows_it(env):
    result = run_cli("jobs", "run", "capa_escalation", "--json", env=env)
    assert result.returncode == 0, describe(result)
    run = json_out(result)["run"]
    assert run["job_name"] == "capa_escalation" and run["outcome"] == "success" and run["run_id"]
    assert set(run["counts"]) == {"capas_overdue", "actions_overdue", "ncrs_closed"}

    listed = run_cli("jobs", "list", "--json", env=env)
    assert listed.returncode == 0, describe(listed)
    rows = {r["job_name"]: r for r in json_out(listed)["jobs"]}
    assert set(rows) == JOBS
    assert {name for name, r in rows.items() if r["kind"] == "simulator"} == SIMULATORS
    capa = rows["capa_escalation"]
    assert capa["last_run_id"] == run["run_id"] and capa["last_outcome"] == "success"
    assert capa["interval_seconds"] == 300 and capa["success_rate_pct"] == 100.0 and capa["next_due_at"]
    assert rows["inventory_reconcile"]["interval_seconds"] == 6000

    table = run_cli("jobs", "list", env=env)
    assert table.returncode == 0 and "capa_escalation" in table.stdout.replace("\n", ""), describe(table)


def test_an_unknown_job_is_a_usage_error_naming_the_jobs(env):
    assert_usage_error(run_cli("jobs", "run", "nope", env=env), "nope", "invoice_match", "pm_generation")
    assert_usage_error(run_cli("run-daemons", "--once", "--only", "invoice_match,nope", env=env), "nope")


def test_run_daemons_once_runs_only_the_selected_job(env):
    before = _runs(env, "invoice_match")
    result = run_cli("run-daemons", "--once", "--only", "invoice_match", "--json", env=env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert doc["ok"] is True and [r["job_name"] for r in doc["runs"]] == ["invoice_match"]
    assert doc["runs"][0]["outcome"] == "success"
    assert _runs(env, "invoice_match", "success") == before + 1
    assert _runs(env, "pm_generation") == 0


def test_run_daemons_runs_until_sigterm_and_exits_0(env):
    proc = subprocess.Popen([sys.executable, "-m", "genims_tui", "run-daemons", "--only", "spc_monitoring"],
                            env=cli_env(env), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 40
        while _runs(env, "spc_monitoring", "success") == 0 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.3)
        assert _runs(env, "spc_monitoring", "success") >= 1
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
    assert "Stopped." in err and "Traceback" not in err
