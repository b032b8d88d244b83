"""The scheduler's safety guarantees, proven with real processes and real databases:

- a run left 'running' by a process that stopped is marked interrupted (recover_stale_runs);
- a database that goes away (SQLite file or data dir moved away; PostgreSQL connections refused and
  backends terminated) fails the run with one clear line, the other jobs go on, and it recovers;
- SIGTERM lets the running job finish (success) and `run-daemons` exits 0;
- `run-daemons` SIGKILLed in the middle of a cycle and restarted: no duplicate GL postings, trial
  balance 0, no inventory sync queue item lost, the killed run marked interrupted;
- two `run-daemons --once` on one PostgreSQL never run one job at the same time, and a job whose
  advisory lock is held elsewhere is recorded skipped_locked.

Jobs are slowed, where a test needs a job caught while running, from outside: the test holds a
database's writer lock (SQLite BEGIN IMMEDIATE, PostgreSQL LOCK TABLE) so the job blocks on its first
write there, as it would behind any other writer. Nothing in the product knows about tests.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from genims_tui.backend import scheduler
from genims_tui.backend.databases import Databases
from genims_tui.backend.models.console import JobRuns
from genims_tui.backend.models.erp_wms_sync import InventorySyncQueue
from genims_tui.backend.models.financial import JournalEntryHeaders
from genims_tui.backend.scheduler import (
    Job,
    advisory_key,
    build_scheduler,
    job_lock,
    lock_path,
    recover_stale_runs,
    registry,
    run_job,
)
from genims_tui.backend.services.base import ServiceContext, utc_now
from genims_tui.backend.services.finance import trial_balance
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from clitools import cli_env, describe, json_out, run_cli
from conftest import PG_URL, _drop_pg_databases, pg_env, require_pg, sqlite_env

QUEUE_STATES = {"completed", "pending", "failed", "dead_letter"}  # 'failed' = waiting for its retry


def _now() -> dt.datetime:
    return utc_now().replace(second=0, microsecond=0)


# -- estates ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory) -> Path:
    """A small seeded SQLite estate (as of now: the CLI runs on the real clock), copied per test."""
    root = tmp_path_factory.mktemp("template")
    dbs = Databases(load_settings(environ=sqlite_env(root)))
    run_seed(dbs, scale=0.02, seed=3, as_of=_now())
    dbs.dispose()
    return root / "data"


@pytest.fixture
def estate_env(seeded_template, tmp_path) -> dict[str, str]:
    shutil.copytree(seeded_template, tmp_path / "data")
    return sqlite_env(tmp_path)


@pytest.fixture
def temp_job(monkeypatch):
    """Register a throwaway job in this test process only."""

    def add(name: str, function, interval: int = 300) -> str:
        monkeypatch.setitem(scheduler._REGISTRY, name, Job(name, f"test job {name}", interval, function, "test"))
        return name

    return add


def _console_file(env: dict[str, str]) -> Path:
    return Path(env["GENIMS_DATA_DIR"]) / "genims_console_db.sqlite"


def _runs_sqlite(env: dict[str, str]) -> list[dict]:
    """job_runs straight from the file (never a pooled connection of this process)."""
    conn = sqlite3.connect(_console_file(env), timeout=30)
    try:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM job_runs ORDER BY run_id")]
    finally:
        conn.close()


@contextmanager
def sqlite_writer_lock(env: dict[str, str], *databases: str):
    """Hold the writer lock of these SQLite databases: their writers wait (busy timeout) until it ends."""
    conns = []
    try:
        for db in databases:
            conn = sqlite3.connect(Path(env["GENIMS_DATA_DIR"]) / f"{db}.sqlite", isolation_level=None, timeout=30)
            conn.execute("BEGIN IMMEDIATE")
            conns.append(conn)
        yield
    finally:
        for conn in conns:
            conn.execute("ROLLBACK")
            conn.close()


def _start_daemons(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "genims_tui", "run-daemons", *args], env=cli_env(env),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_blocked_run(proc: subprocess.Popen, read_runs, jobs: set[str] | None = None,
                          still_for: float = 1.0, timeout: float = 90) -> dict:
    """The run that stays 'running' for `still_for` seconds (blocked behind the test's lock)."""
    deadline = time.monotonic() + timeout
    seen: dict[int, float] = {}
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the daemon ended before a run was caught running: {proc.communicate()}"
        running = [r for r in read_runs() if r["outcome"] == "running" and r["pid"] == proc.pid
                   and (jobs is None or r["job_name"] in jobs)]
        for r in running:
            first = seen.setdefault(r["run_id"], time.monotonic())
            if time.monotonic() - first >= still_for:
                return r
        time.sleep(0.05)
    raise AssertionError("no run was caught running")


def _journal_keys(dbs: Databases) -> Counter:
    h = JournalEntryHeaders
    with dbs.connect("genims_financial_db") as conn:
        rows = conn.execute(select(h.source_type, h.source_document_id, func.count()).where(
            h.source_document_id.is_not(None)).group_by(h.source_type, h.source_document_id)).all()
    return Counter({(t, d): n for t, d, n in rows})


def _queue(dbs: Databases) -> dict[str, str]:
    q = InventorySyncQueue
    with dbs.connect("genims_erp_wms_sync_db") as conn:
        return dict(conn.execute(select(q.queue_id, q.sync_status)).all())


def _assert_no_duplicate_postings(before: Counter, after: Counter) -> None:
    """Every source document posted at most once (beyond what the seed itself had)."""
    doubled = {key: n for key, n in after.items() if n > max(before.get(key, 0), 1)}
    assert not doubled, f"source documents posted more than once: {doubled}"


def _assert_books_balance(dbs: Databases) -> None:
    tb = trial_balance(ServiceContext(dbs))
    assert tb["total_balance"] == 0 and tb["total_debit"] == tb["total_credit"], tb["total_balance"]


def _assert_queue_intact(before: dict[str, str], after: dict[str, str]) -> None:
    lost = set(before) - set(after)
    assert not lost, f"queue items vanished: {sorted(lost)}"
    assert set(after.values()) <= QUEUE_STATES, Counter(after.values())
    for queue_id, status in before.items():  # a finished item never goes back
        if status in ("completed", "dead_letter"):
            assert after[queue_id] == status, (queue_id, status, after[queue_id])


# -- stale runs ---------------------------------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _insert_running(dbs: Databases, job: str, started: dt.datetime, host: str, pid: int) -> int:
    with dbs.begin("genims_console_db") as conn:
        return conn.execute(insert(JobRuns).values(job_name=job, started_at=started, outcome="running",
                                                   rows_touched=0, host=host, pid=pid)
                            .returning(JobRuns.run_id)).scalar_one()


def _row(dbs: Databases, run_id: int):
    with dbs.connect("genims_console_db") as conn:
        return conn.execute(select(JobRuns).where(JobRuns.run_id == run_id)).one()


def test_runs_of_stopped_processes_are_marked_interrupted_and_live_ones_are_not(sqlite_dbs, temp_job):
    sqlite_dbs.create(["genims_console_db"])
    now = _now()
    here = socket.gethostname()
    job = "invoice_match"  # a real job: its interval (300 s) sets the age limit of 25 min
    dead_here = _insert_running(sqlite_dbs, job, now - dt.timedelta(minutes=1), here, _dead_pid())
    young_elsewhere = _insert_running(sqlite_dbs, job, now - dt.timedelta(minutes=1), "other-host", 4242)
    old_elsewhere = _insert_running(sqlite_dbs, "pm_generation", now - dt.timedelta(minutes=101), "other-host", 4242)
    alive_here = _insert_running(sqlite_dbs, "pm_generation", now - dt.timedelta(minutes=5), here, os.getppid())

    # a run going on in this very process (a job blocked in a worker thread) is never touched
    release, started = threading.Event(), threading.Event()
    temp_job("slow_probe", lambda ctx: (started.set(), release.wait(30), {"waited": 1})[-1])
    worker = threading.Thread(target=lambda: results.append(run_job(sqlite_dbs, "slow_probe")))
    results: list = []
    worker.start()
    assert started.wait(10)
    # another process holds invoice_match's lock: the young run elsewhere may be going on
    fd = os.open(lock_path(sqlite_dbs, job), os.O_RDWR | os.O_CREAT)
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        marked = recover_stale_runs(sqlite_dbs, now)
    finally:
        os.close(fd)
    # pm_generation's lock is free, so its run "alive here" (our parent's pid) is not going on either
    assert marked == 3
    for run_id, why in ((dead_here, "it is no longer running"), (old_elsewhere, "no end recorded 100 min"),
                        (alive_here, "no longer holds the job's lock")):
        row = _row(sqlite_dbs, run_id)
        assert row.outcome == "failed" and row.finished_at == now, run_id
        assert row.error.startswith("interrupted: the process ") and why in row.error, row.error
    assert _row(sqlite_dbs, young_elsewhere).outcome == "running"
    with sqlite_dbs.connect("genims_console_db") as conn:
        live = conn.execute(select(JobRuns).where(JobRuns.job_name == "slow_probe")).one()
    assert live.outcome == "running"

    # the lock is free now: nobody is running invoice_match, so that run is over too
    assert recover_stale_runs(sqlite_dbs, now) == 1
    assert _row(sqlite_dbs, young_elsewhere).error.endswith("(it no longer holds the job's lock)")
    release.set()
    worker.join(30)
    assert results[0].outcome == "success" and _row(sqlite_dbs, live.run_id).outcome == "success"
    assert recover_stale_runs(sqlite_dbs, now) == 0


def test_a_run_that_finished_while_the_console_was_away_is_recorded_later_not_interrupted(sqlite_dbs, temp_job):
    sqlite_dbs.create(["genims_console_db"])
    console = sqlite_dbs.data_dir / "genims_console_db.sqlite"

    def console_goes_away(ctx):
        console.rename(console.with_suffix(".away"))
        return {"done": 1}

    temp_job("console_goes_away", console_goes_away)
    try:
        result = run_job(sqlite_dbs, "console_goes_away")
    finally:
        console.with_suffix(".away").rename(console)
    assert result.outcome == "success" and "run record not saved yet" in result.error
    assert _row(sqlite_dbs, result.run_id).outcome == "running"  # what a crash would have left too
    assert recover_stale_runs(sqlite_dbs) == 0  # it writes the kept record instead of calling it interrupted
    row = _row(sqlite_dbs, result.run_id)
    assert row.outcome == "success" and row.counts == {"done": 1} and row.error is None


def test_jobs_list_marks_and_shows_interrupted_runs(estate_env):
    dbs = Databases(load_settings(environ=estate_env))
    try:
        run_id = _insert_running(dbs, "invoice_match", _now(), socket.gethostname(), _dead_pid())
    finally:
        dbs.dispose()
    result = run_cli("jobs", "list", "--json", env=estate_env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert doc["interrupted_runs_marked"] == 1
    row = {r["job_name"]: r for r in doc["jobs"]}["invoice_match"]
    assert row["last_run_id"] == run_id and row["last_outcome"] == "failed"
    assert row["last_error"].startswith("interrupted: the process")
    table = run_cli("jobs", "list", env=estate_env)
    assert table.returncode == 0 and "interrupted" in table.stdout, describe(table)
    assert "Traceback" not in table.stderr


# -- a database that goes away ---------------------------------------------------------------------------------


def _reads(database: str):
    def probe(ctx):
        with ctx.read(database) as conn:
            conn.execute(text("SELECT 1")).scalar()
        return {"probed": 1}

    return probe


def _wait(condition, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _job_rows(dbs: Databases, name: str) -> list:
    with dbs.connect("genims_console_db") as conn:
        return conn.execute(select(JobRuns).where(JobRuns.job_name == name).order_by(JobRuns.run_id)).all()


def test_sqlite_database_moved_away_fails_its_job_others_go_on_and_it_recovers(sqlite_dbs, temp_job):
    """The real BackgroundScheduler, two jobs every second; one database file goes away for a while."""
    sqlite_dbs.create()
    temp_job("probe_supplier", _reads("genims_supplier_db"), interval=1)
    temp_job("probe_cmms", _reads("genims_maintenance_db"), interval=1)
    supplier = sqlite_dbs.data_dir / "genims_supplier_db.sqlite"
    sched = build_scheduler(sqlite_dbs, only="probe_supplier,probe_cmms")
    sched.start()
    try:
        _wait(lambda: any(r.outcome == "success" for r in _job_rows(sqlite_dbs, "probe_supplier")), what="a first run")
        supplier.rename(supplier.with_suffix(".away"))
        away_at = utc_now()
        _wait(lambda: sum(r.outcome == "failed" for r in _job_rows(sqlite_dbs, "probe_supplier")) >= 2,
              what="failed runs")
        supplier.with_suffix(".away").rename(supplier)
        back_at = utc_now()
        _wait(lambda: any(r.outcome == "success" and r.started_at > back_at
                          for r in _job_rows(sqlite_dbs, "probe_supplier")), what="the recovery")
    finally:
        sched.shutdown(wait=True)
        if supplier.with_suffix(".away").exists():
            supplier.with_suffix(".away").rename(supplier)
    failed = [r for r in _job_rows(sqlite_dbs, "probe_supplier") if r.outcome == "failed"]
    assert failed and all(away_at <= r.started_at <= back_at for r in failed)
    for r in failed:
        assert "genims_supplier_db" in r.error and "\n" not in r.error and "Traceback" not in r.error, r.error
        assert r.finished_at is not None
    # the other job kept running, and succeeding, while the supplier database was away
    during = [r for r in _job_rows(sqlite_dbs, "probe_cmms") if away_at <= r.started_at <= back_at]
    assert during and all(r.outcome == "success" for r in during)


def test_sqlite_data_dir_gone_is_reported_once_and_runs_resume(sqlite_dbs, caplog):
    sqlite_dbs.create()
    assert run_job(sqlite_dbs, "capa_escalation").outcome == "success"
    data = sqlite_dbs.data_dir
    caplog.set_level(logging.INFO, logger="genims_tui.backend.scheduler")
    data.rename(data.with_name("data.away"))
    try:
        down = [run_job(sqlite_dbs, name) for name in ("capa_escalation", "pm_generation", "capa_escalation")]
    finally:
        data.with_name("data.away").rename(data)
    assert all(r.outcome == "failed" and r.run_id is None for r in down)
    assert all("\n" not in r.error and str(data) in r.error for r in down), down[0].error
    said = [r for r in caplog.records if r.name == "genims_tui.backend.scheduler" and r.levelno >= logging.WARNING]
    assert len([r for r in said if "cannot be recorded" in r.getMessage()]) == 1, [r.getMessage() for r in said]
    back = run_job(sqlite_dbs, "capa_escalation")
    assert back.outcome == "success" and back.run_id is not None
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def _pg_admin():
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


@contextmanager
def pg_database_away(database_name: str):
    """Refuse new connections to one PostgreSQL database and terminate the ones it has; then allow."""
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{database_name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d "
                              "AND pid <> pg_backend_pid()"), {"d": database_name})
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{database_name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


@pytest.fixture
def pg_databases_dbs(tmp_path):
    """A PostgreSQL estate in the `databases` layout (one PostgreSQL database per logical one)."""
    require_pg()
    tag = uuid.uuid4().hex[:8]
    dbs = Databases(load_settings(environ=pg_env("databases", tag, tmp_path)))
    try:
        yield dbs
    finally:
        dbs.dispose()
        _drop_pg_databases(f"gtest_{tag}%")


@pytest.mark.pg
def test_postgresql_database_away_fails_its_job_others_go_on_and_pools_recover(pg_databases_dbs, caplog, temp_job):
    dbs = pg_databases_dbs
    dbs.create()
    supplier = dbs.target("genims_supplier_db").url.database

    # mid-run: the job's connection is terminated while it works (a test job that waits in SQL)
    def long_query(ctx):
        with ctx.transaction("genims_supplier_db") as conn:
            conn.execute(text("SELECT pg_sleep(20)"))
        return {"slept": 1}

    temp_job("long_query", long_query)

    def terminate_when_busy():
        admin = _pg_admin()
        try:
            with admin.connect() as conn:
                _wait(lambda: conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND "
                                                "query LIKE '%pg_sleep%'"), {"d": supplier}).scalar() > 0)
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d "
                                  "AND pid <> pg_backend_pid()"), {"d": supplier})
        finally:
            admin.dispose()

    killer = threading.Thread(target=terminate_when_busy)
    killer.start()
    started = time.monotonic()
    cut = run_job(dbs, "long_query")
    killer.join(30)
    assert time.monotonic() - started < 15
    assert cut.outcome == "failed" and cut.run_id is not None, cut
    assert cut.error.startswith("Database error (") and "\n" not in cut.error and "pg_sleep" not in cut.error, cut.error
    assert _row(dbs, cut.run_id).outcome == "failed"

    # warm the pools: the connections PostgreSQL is about to terminate sit in them
    assert run_job(dbs, "invoice_match").outcome == "success"
    assert run_job(dbs, "pm_generation").outcome == "success"
    with pg_database_away(supplier):
        down = run_job(dbs, "invoice_match")
        other = run_job(dbs, "pm_generation")
    assert down.outcome == "failed" and down.run_id is not None
    assert "genims_supplier_db" in down.error and "\n" not in down.error, down.error
    assert _row(dbs, down.run_id).error == down.error
    assert other.outcome == "success"
    assert run_job(dbs, "invoice_match").outcome == "success"  # no poisoned connection was kept

    caplog.set_level(logging.INFO, logger="genims_tui.backend.scheduler")
    console = dbs.target("genims_console_db").url.database
    with pg_database_away(console):
        gone = [run_job(dbs, name) for name in ("invoice_match", "pm_generation", "invoice_match")]
    assert all(r.outcome == "failed" and r.run_id is None and "genims_console_db" in r.error for r in gone)
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len([m for m in said if "cannot be recorded" in m]) == 1, said
    back = run_job(dbs, "invoice_match")
    assert back.outcome == "success" and back.run_id is not None
    assert any("reachable again" in r.getMessage() for r in caplog.records)


# -- signals and crashes -------------------------------------------------------------------------------------


def test_sigterm_lets_the_running_job_finish_and_exits_0(estate_env):
    with sqlite_writer_lock(estate_env, "genims_supplier_db", "genims_financial_db"):
        proc = _start_daemons(estate_env, "--only", "invoice_match")
        try:
            run = _wait_for_blocked_run(proc, lambda: _runs_sqlite(estate_env), {"invoice_match"})
            proc.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert proc.poll() is None, "the daemon quit without finishing its running job"
        except BaseException:
            proc.kill()
            raise
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
    assert "Stopped." in err and "Traceback" not in err
    row = next(r for r in _runs_sqlite(estate_env) if r["run_id"] == run["run_id"])
    assert row["outcome"] == "success" and row["finished_at"] is not None, row
    assert json.loads(row["counts"])["posted"] >= 1  # the job did its real work after the signal


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


def _crash_and_restart(env: dict[str, str], dbs: Databases, hold_lock, read_runs) -> None:
    """SIGKILL run-daemons while a job is caught running (blocked behind the finance writer lock), then
    a few more times at random moments, then restart it with --once; check the books and the queue."""
    postings_before, queue_before = _journal_keys(dbs), _queue(dbs)
    with hold_lock():
        proc = _start_daemons(env, "--once")
        try:
            killed = _wait_for_blocked_run(proc, read_runs)
        finally:
            _kill(proc)
    print(f"killed while {killed['job_name']} (run {killed['run_id']}) was blocked writing to the financial database")
    killed_pids = {proc.pid}
    rng = random.Random(6)
    for _ in range(3):  # and at moments nobody chose
        proc = _start_daemons(env, "--once")
        time.sleep(rng.uniform(1.0, 4.0))
        if proc.poll() is None:
            _kill(proc)
            killed_pids.add(proc.pid)
        else:
            proc.communicate()
    final = run_cli("run-daemons", "--once", "--json", env=env)
    assert final.returncode == 0, describe(final)
    assert all(r["outcome"] == "success" for r in json_out(final)["runs"]), describe(final)

    runs = read_runs()
    row = next(r for r in runs if r["run_id"] == killed["run_id"])
    assert row["outcome"] == "failed" and row["error"].startswith("interrupted: the process"), row
    assert not [r for r in runs if r["outcome"] == "running"], "a run is still 'running' after the restart"
    assert all(r["outcome"] != "running" for r in runs if r["pid"] in killed_pids)
    _assert_no_duplicate_postings(postings_before, _journal_keys(dbs))
    _assert_books_balance(dbs)
    _assert_queue_intact(queue_before, _queue(dbs))


def test_killed_mid_cycle_and_restarted_sqlite(estate_env):
    dbs = Databases(load_settings(environ=estate_env))
    try:
        _crash_and_restart(estate_env, dbs, lambda: sqlite_writer_lock(estate_env, "genims_financial_db"),
                           lambda: _runs_sqlite(estate_env))
    finally:
        dbs.dispose()


# -- PostgreSQL: crash, two processes, the advisory lock -----------------------------------------------------


@pytest.fixture(scope="module")
def pg_seeded(tmp_path_factory):
    """One seeded PostgreSQL estate (databases layout) for the module's PostgreSQL process tests."""
    require_pg()
    tag = uuid.uuid4().hex[:8]
    env = pg_env("databases", tag, tmp_path_factory.mktemp("pg"))
    dbs = Databases(load_settings(environ=env))
    try:
        dbs.create()
        run_seed(dbs, scale=0.02, seed=3, as_of=_now())
        dbs.dispose()
        # a pristine copy of the seeded estate, before any test works off its backlog
        _copy_pg_estate(dbs, [f"{t.url.database}_pristine" for t in dbs.targets()])
        _PG_PRISTINE["sources"] = [f"{t.url.database}_pristine" for t in dbs.targets()]
        yield env, dbs
    finally:
        dbs.dispose()
        _drop_pg_databases(f"gtest_{tag}%")


_PG_PRISTINE: dict[str, list[str]] = {}


def _copy_pg_estate(dbs: Databases, names: list[str], sources: list[str] | None = None) -> None:
    """CREATE DATABASE name TEMPLATE source for each of the estate's databases (nobody may be connected
    to a template: the estate's connections are closed first)."""
    dbs.dispose()
    sources = sources or [t.url.database for t in dbs.targets()]
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for source, name in zip(sources, names):
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                             {"d": source})
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    finally:
        admin.dispose()


def _runs_pg(dbs: Databases) -> list[dict]:
    with dbs.connect("genims_console_db") as conn:
        rows = conn.execute(select(JobRuns).order_by(JobRuns.run_id)).all()
    return [dict(r._mapping, counts=json.dumps(r.counts)) for r in rows]


@pytest.mark.pg
def test_two_run_daemons_once_never_run_one_job_at_the_same_time(pg_seeded):
    env, dbs = pg_seeded
    postings_before, queue_before = _journal_keys(dbs), _queue(dbs)
    with dbs.connect("genims_console_db") as conn:
        first_run = (conn.execute(select(func.max(JobRuns.run_id))).scalar() or 0) + 1
    procs = [_start_daemons(env, "--once", "--json") for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, f"exit {p.returncode}\n{out}\n{err}"
        assert "Traceback" not in err
    runs = [r for r in _runs_pg(dbs) if r["run_id"] >= first_run]
    automations = [n for n, j in registry().items() if j.kind == "automation"]
    skipped = 0
    for name in automations:
        mine = [r for r in runs if r["job_name"] == name]
        assert len(mine) == 2 and {r["pid"] for r in mine} == {p.pid for p in procs}, (name, mine)
        executed = sorted((r for r in mine if r["outcome"] != "skipped_locked"), key=lambda r: r["started_at"])
        assert executed and all(r["outcome"] == "success" for r in executed), (name, executed)
        for earlier, later in zip(executed, executed[1:]):  # the lock: one at a time, never overlapping
            assert later["started_at"] >= earlier["finished_at"], (name, earlier, later)
        skipped += len(mine) - len(executed)
    print(f"{skipped} of {len(automations)} jobs met the other process running them (skipped_locked)")
    _assert_no_duplicate_postings(postings_before, _journal_keys(dbs))
    _assert_books_balance(dbs)
    _assert_queue_intact(queue_before, _queue(dbs))


@pytest.mark.pg
def test_a_job_whose_advisory_lock_is_held_elsewhere_is_skipped_by_run_daemons(pg_seeded):
    env, dbs = pg_seeded
    holder = create_engine(dbs.engine("genims_console_db").url)
    try:
        with holder.connect() as conn:
            assert conn.execute(select(func.pg_try_advisory_lock(advisory_key("invoice_match")))).scalar() is True
            conn.commit()
            result = run_cli("run-daemons", "--once", "--only", "invoice_match,capa_escalation", "--json", env=env)
            conn.execute(select(func.pg_advisory_unlock(advisory_key("invoice_match"))))
            conn.commit()
    finally:
        holder.dispose()
    assert result.returncode == 0, describe(result)  # skipped because another process runs it: no failure
    outcomes = {r["job_name"]: r["outcome"] for r in json_out(result)["runs"]}
    assert outcomes == {"invoice_match": "skipped_locked", "capa_escalation": "success"}
    assert run_cli("run-daemons", "--once", "--only", "invoice_match", env=env).returncode == 0


@contextmanager
def pg_table_locked(dbs: Databases, database: str, table: str):
    """Hold an exclusive lock on one table: the job that writes it waits until the lock goes."""
    engine = create_engine(dbs.engine(database).url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                conn.rollback()
    finally:
        engine.dispose()


@pytest.fixture
def pg_fresh_copy(pg_seeded, tmp_path):
    """A private copy of the seeded PostgreSQL estate as it was right after the seed, so the crash test
    finds the seed's backlog whatever the module's other tests have already processed."""
    _env, dbs = pg_seeded
    tag = uuid.uuid4().hex[:8]
    copy_env = pg_env("databases", tag, tmp_path)
    copy = Databases(load_settings(environ=copy_env))
    try:
        _copy_pg_estate(dbs, [t.url.database for t in copy.targets()], sources=_PG_PRISTINE["sources"])
        yield copy_env, copy
    finally:
        copy.dispose()
        _drop_pg_databases(f"gtest_{tag}%")


@pytest.mark.pg
def test_killed_mid_cycle_and_restarted_postgresql(pg_fresh_copy):
    env, dbs = pg_fresh_copy
    _crash_and_restart(env, dbs, lambda: pg_table_locked(dbs, "genims_financial_db", "journal_entry_headers"),
                       lambda: _runs_pg(dbs))


def test_job_lock_is_free_after_a_holder_is_killed(estate_env):
    """The SQLite lock (flock) dies with its process: a SIGKILLed daemon never blocks its jobs."""
    dbs = Databases(load_settings(environ=estate_env))
    try:
        with sqlite_writer_lock(estate_env, "genims_supplier_db"):
            proc = _start_daemons(estate_env, "--once", "--only", "invoice_match")
            try:
                _wait_for_blocked_run(proc, lambda: _runs_sqlite(estate_env), {"invoice_match"})
                with job_lock(dbs, "invoice_match") as held:
                    assert held is False  # the daemon holds it while its run is going on
            finally:
                _kill(proc)
        with job_lock(dbs, "invoice_match") as held:
            assert held is True
    finally:
        dbs.dispose()


def test_run_daemons_without_its_console_database_keeps_going_and_says_so_once(estate_env, tmp_path):
    """Every job fires right after start and none can be recorded: one line on stderr, not one a job;
    the daemon stays up and stops cleanly."""
    console = _console_file(estate_env)
    console.rename(console.with_suffix(".away"))
    err_file = tmp_path / "stderr.txt"
    try:
        with err_file.open("w") as err_out:
            # --debug shows the repeats the daemon keeps quiet about otherwise
            proc = subprocess.Popen([sys.executable, "-m", "genims_tui", "--debug", "run-daemons"], env=cli_env(estate_env),
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err_out, text=True)
            try:
                _wait(lambda: err_file.read_text().count("still cannot be recorded") >= 2 or proc.poll() is not None,
                      timeout=90, what="the firings")
                time.sleep(3)  # every job fires at start: the others fail the same way meanwhile
                alive = proc.poll() is None
                proc.send_signal(signal.SIGTERM)
                out, _ = proc.communicate(timeout=60)
            finally:
                if proc.poll() is None:
                    proc.kill()
    finally:
        console.with_suffix(".away").rename(console)
    err = err_file.read_text()
    assert alive, err
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
    lines = err.splitlines()
    assert len([ln for ln in lines if "ERROR" in ln and "job runs cannot be recorded" in ln]) == 1, err
    assert len([ln for ln in lines if "still cannot be recorded" in ln]) >= 2, err  # more jobs fired
    assert "genims_console_db" in err and "Traceback" not in err
    assert err.count("could not look for interrupted runs") == 1, err
