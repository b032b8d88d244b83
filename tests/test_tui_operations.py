"""The Operations workspace: the backend read side (`backend.monitoring`) on SQLite and PostgreSQL, and
the five views driven by keys on a seeded estate (run a job now, its run and log lines appear; requeue a
dead letter; read-only roles; log filters; a crossed health threshold in red; acknowledge an alert),
pinned by snapshots at 120x40."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import shutil
from decimal import Decimal

import pytest
from conftest import sqlite_env
from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from rich.text import Text
from sqlalchemy import func, or_, select, update
from textual.widgets import DataTable

from genims_tui.backend import monitoring
from genims_tui.backend.access import SYSTEM_USER, role_user
from genims_tui.backend.databases import CONSOLE_DATABASE, Databases
from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.console import Alerts, DaemonLog, JobRuns, SyncRecords
from genims_tui.backend.models.erp_wms_sync import InventorySyncQueue
from genims_tui.backend.models.quality import MeasuringEquipment
from genims_tui.backend.scheduler import DaemonLogHandler, run_job
from genims_tui.backend.services import inventory_sync
from genims_tui.backend.services.base import ServiceContext
from genims_tui.config import load_settings
from genims_tui.screens.operations import DaemonMonitor, DeadLettersScreen, HealthPane, JobRunsScreen
from genims_tui.widgets.dataview import StatusLine
from genims_tui.widgets.live_log import LiveLog

SYNC = "genims_erp_wms_sync_db"
T0 = dt.datetime(2026, 6, 1, 9, 0)


# -- helpers -----------------------------------------------------------------------------------------


def write_log(dbs: Databases, job: str, lines: list[tuple[int, str]], clock=lambda: T0) -> None:
    """Log lines through the real daemon-log handler (what a running job writes)."""
    handler = DaemonLogHandler(dbs, job, None, clock)
    logger = logging.getLogger(f"genims.tests.ops.{job}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for level, message in lines:
            logger.log(level, message)
    finally:
        logger.removeHandler(handler)


def make_dead_letter(dbs: Databases, transaction_id: str, start: dt.datetime) -> str:
    """A WMS movement of a material the ERP does not know: three failed attempts (60 s, 120 s backoff)
    make it a dead letter, exactly as the daemon would."""
    ctx = ServiceContext(dbs, SYSTEM_USER, lambda: start)
    queue_id, _ = inventory_sync.enqueue(
        ctx, sync_direction="WMS_TO_ERP", transaction_type="wms_putaway", transaction_id=transaction_id,
        material_id="MAT-NOT-THERE", quantity=Decimal("7"), from_location="WH-NOWHERE", to_location="FAC-NOWHERE")
    when = start
    for step in (0, 60, 120):
        when += dt.timedelta(seconds=step)
        inventory_sync.process_sync_queue(ServiceContext(dbs, SYSTEM_USER, lambda w=when: w))
    with dbs.connect(SYNC) as conn:
        status = conn.execute(select(InventorySyncQueue.sync_status)
                              .where(InventorySyncQueue.queue_id == queue_id)).scalar()
    assert status == "dead_letter"
    return queue_id


def queue_status(dbs: Databases, queue_id: str) -> tuple[str, int]:
    with dbs.connect(SYNC) as conn:
        row = conn.execute(select(InventorySyncQueue.sync_status, InventorySyncQueue.retry_count)
                           .where(InventorySyncQueue.queue_id == queue_id)).one()
    return row.sync_status, row.retry_count


def run_count(dbs: Databases, job: str) -> int:
    with dbs.connect(CONSOLE_DATABASE) as conn:
        return conn.execute(select(func.count()).select_from(JobRuns).where(JobRuns.job_name == job)).scalar()


def plain(value) -> str:
    return value.plain if isinstance(value, Text) else str(value)


def table_rows(table: DataTable) -> dict[str, list[str]]:
    return {str(key.value): [plain(c) for c in table.get_row(key)] for key in table.rows}


def column(table: DataTable, key: str) -> int:
    return [str(k.value) for k in table.columns].index(key)


async def open_view(pilot, name: str) -> None:
    await pilot.press(":", *name, "enter")
    await settle(pilot)


async def cursor_to(pilot, table: DataTable, key: str) -> None:
    """Move the cursor to the row `key` with the arrow keys."""
    target = table.get_row_index(key)
    table.focus()
    await pilot.pause()
    while table.cursor_row != target:
        await pilot.press("down" if table.cursor_row < target else "up")
    await settle(pilot)


def run(coro) -> None:
    asyncio.run(coro)


# -- backend: the daemon log ---------------------------------------------------------------------------


def test_tail_daemon_log_reads_newest_lines_after_an_id_by_job_level_and_text(sqlite_dbs):
    sqlite_dbs.create([CONSOLE_DATABASE])
    write_log(sqlite_dbs, "gl_posting", [(logging.INFO, f"posted batch {i}") for i in range(5)])
    write_log(sqlite_dbs, "inventory_sync", [(logging.WARNING, "item SQ-1 failed: 100% odd_value"),
                                             (logging.ERROR, "queue unreachable"),
                                             (logging.INFO, "nothing to do")])
    everything = monitoring.tail_daemon_log(sqlite_dbs, limit=100)
    assert [r["message"] for r in everything][:2] == ["posted batch 0", "posted batch 1"]
    assert [r["log_id"] for r in everything] == sorted(r["log_id"] for r in everything)
    # the newest `limit`, oldest first
    newest = monitoring.tail_daemon_log(sqlite_dbs, limit=2)
    assert [r["message"] for r in newest] == ["queue unreachable", "nothing to do"]
    # only what came after the last id seen
    after = monitoring.tail_daemon_log(sqlite_dbs, after_id=everything[5]["log_id"], limit=100)
    assert [r["message"] for r in after] == ["queue unreachable", "nothing to do"]
    assert monitoring.tail_daemon_log(sqlite_dbs, after_id=everything[-1]["log_id"]) == []
    assert {r["job_name"] for r in monitoring.tail_daemon_log(sqlite_dbs, job="inventory_sync")} == {"inventory_sync"}
    assert [r["level"] for r in monitoring.tail_daemon_log(sqlite_dbs, min_level="warning")] == ["WARNING", "ERROR"]
    assert [r["level"] for r in monitoring.tail_daemon_log(sqlite_dbs, min_level="error")] == ["ERROR"]
    assert len(monitoring.tail_daemon_log(sqlite_dbs, min_level="all")) == 8
    # text is matched literally and case-insensitively: % is not a wildcard
    assert [r["message"] for r in monitoring.tail_daemon_log(sqlite_dbs, text="100%")] == [
        "item SQ-1 failed: 100% odd_value"]
    assert monitoring.tail_daemon_log(sqlite_dbs, text="0%o") == []
    assert len(monitoring.tail_daemon_log(sqlite_dbs, text="BATCH")) == 5
    assert monitoring.last_log_id(sqlite_dbs) == everything[-1]["log_id"]
    with pytest.raises(DomainError, match="Unknown log level"):
        monitoring.tail_daemon_log(sqlite_dbs, min_level="chatty")


def test_tail_is_bounded(sqlite_dbs):
    sqlite_dbs.create([CONSOLE_DATABASE])
    with sqlite_dbs.begin(CONSOLE_DATABASE) as conn:
        conn.execute(DaemonLog.__table__.insert(), [
            {"logged_at": T0, "level": "INFO", "job_name": "gl_posting", "message": f"line {i}"} for i in range(1500)])
    rows = monitoring.tail_daemon_log(sqlite_dbs, limit=5000)
    assert len(rows) == monitoring.TAIL_MAX
    assert rows[-1]["message"] == "line 1499"


def test_recent_runs_lists_a_jobs_runs_newest_first_with_counts(sqlite_dbs):
    sqlite_dbs.create()
    for minute in (0, 5, 10):
        run_job(sqlite_dbs, "calibration_check", clock=lambda m=minute: T0 + dt.timedelta(minutes=m))
    runs = monitoring.recent_runs(sqlite_dbs, "calibration_check", limit=2)
    assert runs["total"] == 3 and runs["counts"] == {"success": 3}
    assert len(runs["runs"]) == 2
    assert runs["runs"][0]["started_at"] == T0 + dt.timedelta(minutes=10)
    assert runs["runs"][0]["run_id"] > runs["runs"][1]["run_id"]
    assert runs["runs"][0]["duration_seconds"] == 0.0
    assert monitoring.recent_runs(sqlite_dbs, "gl_posting") == {"job_name": "gl_posting", "runs": [], "counts": {},
                                                                "total": 0}


# -- backend: sync status ------------------------------------------------------------------------------


def test_sync_overview_counts_queue_retries_dead_letters_and_latency(any_dbs):
    any_dbs.create([CONSOLE_DATABASE, SYNC, "genims_erp_db", "genims_wms_db", "genims_supplier_db",
                    "genims_manufacturing_db", "genims_quality_db"])
    dead = make_dead_letter(any_dbs, "MOV-DEAD-1", T0)
    ctx = ServiceContext(any_dbs, SYSTEM_USER, lambda: T0)
    waiting, _ = inventory_sync.enqueue(ctx, sync_direction="ERP_TO_WMS", transaction_type="101",
                                        transaction_id="ITX-WAIT-1", material_id="MAT-NOT-THERE",
                                        quantity=Decimal("1"), from_location="FAC-NOWHERE", to_location=None)
    # a release that went through and one that died, in the console's sync records
    with any_dbs.begin(CONSOLE_DATABASE) as conn:
        conn.execute(SyncRecords.__table__.insert(), [
            dict(integration="erp_mes_release", source_database="genims_erp_db", source_ref="PRD-1",
                 target_database="genims_manufacturing_db", target_ref="WO-1", status="done", attempts=0,
                 last_error=None,
                 created_at=T0, updated_at=T0 + dt.timedelta(seconds=4)),
            dict(integration="erp_mes_release", source_database="genims_erp_db", source_ref="PRD-2",
                 target_database="genims_manufacturing_db", target_ref="WO-2", status="done", attempts=1,
                 last_error=None,
                 created_at=T0, updated_at=T0 + dt.timedelta(seconds=10)),
            dict(integration="erp_mes_release", source_database="genims_erp_db", source_ref="PRD-3",
                 target_database="genims_manufacturing_db", target_ref="WO-3", status="dead_letter", attempts=5,
                 last_error="KeyError: routing", created_at=T0, updated_at=T0 + dt.timedelta(minutes=30)),
            dict(integration="erp_mes_release", source_database="genims_erp_db", source_ref="PRD-4",
                 target_database="genims_manufacturing_db", target_ref="WO-4", status="failed", attempts=2,
                 last_error="timeout",
                 created_at=T0 - dt.timedelta(hours=2), updated_at=T0),
        ])
    now = T0 + dt.timedelta(hours=1)
    rows = {r["integration"]: r for r in monitoring.sync_overview(any_dbs, now)}
    assert list(rows) == ["erp_mes", "mes_erp", "erp_wms", "supplier", "qms"]
    wms = rows["erp_wms"]
    assert (wms["queue_depth"], wms["dead_letters"], wms["retries"], wms["error"]) == (1, 1, 0, None)
    assert wms["oldest_pending_at"] == T0 and wms["oldest_pending_age_seconds"] == 3600
    assert wms["requeueable"] is True
    mes = rows["erp_mes"]
    assert (mes["queue_depth"], mes["retries"], mes["dead_letters"]) == (1, 2, 1)
    assert mes["oldest_pending_age_seconds"] == 3 * 3600
    assert mes["last_success_at"] == T0 + dt.timedelta(seconds=10)
    assert (mes["latency_avg_seconds"], mes["latency_max_seconds"]) == (7.0, 10.0)
    assert rows["mes_erp"]["queue_depth"] == 0 and rows["mes_erp"]["last_success_at"] is None
    assert rows["supplier"]["queue_depth"] == 0 and rows["qms"]["queue_depth"] == 0
    # the dead letters, their detail, and a requeue as a user who may write the sync database
    [letter] = monitoring.dead_letters(any_dbs, "erp_wms")
    assert (letter["key"], letter["reference"], letter["attempts"]) == (dead, "MOV-DEAD-1", 3)
    assert "MAT-NOT-THERE" in letter["error"]
    detail = monitoring.dead_letter_detail(any_dbs, "erp_wms", dead)
    assert detail["status"] == "dead_letter" and detail["history"][0]["error_type"] == "unknown_material"
    [release] = monitoring.dead_letters(any_dbs, "erp_mes")
    assert release["reference"] == "PRD-3" and release["error"] == "KeyError: routing"
    assert monitoring.dead_letter_detail(any_dbs, "erp_mes", release["key"])["requeueable"] is False
    with pytest.raises(DomainError, match="not requeued from here"):
        monitoring.requeue_dead_letter(ServiceContext(any_dbs, SYSTEM_USER, lambda: now), "erp_mes", release["key"])
    with pytest.raises(PermissionDenied):
        monitoring.requeue_dead_letter(ServiceContext(any_dbs, role_user("auditor"), lambda: now), "erp_wms", dead)
    manager = ServiceContext(any_dbs, role_user("warehouse_manager"), lambda: now)
    monitoring.requeue_dead_letter(manager, "erp_wms", dead)
    assert queue_status(any_dbs, dead) == ("pending", 0)
    assert monitoring.dead_letters(any_dbs, "erp_wms") == []
    assert monitoring.sync_overview(any_dbs, now)[2]["queue_depth"] == 2


def test_sync_overview_says_which_database_it_cannot_read(sqlite_dbs):
    sqlite_dbs.create([CONSOLE_DATABASE, SYNC])
    rows = {r["integration"]: r for r in monitoring.sync_overview(sqlite_dbs, T0)}
    assert rows["erp_wms"]["error"] is None and rows["erp_mes"]["error"] is None
    assert "genims_supplier_db has not been created" in rows["supplier"]["error"]
    assert rows["supplier"]["queue_depth"] is None
    assert rows["qms"]["error"]


def test_sync_overview_on_the_seeded_estate(console_estate):
    rows = {r["integration"]: r for r in monitoring.sync_overview(console_estate, console_clock())}
    assert all(r["error"] is None for r in rows.values())
    assert rows["erp_wms"]["dead_letters"] > 0 and rows["erp_wms"]["queue_depth"] > 0
    assert rows["erp_wms"]["latency_avg_seconds"] is not None
    assert len(monitoring.dead_letters(console_estate, "erp_wms", limit=2)) == 2


# -- the console: daemons and the log ------------------------------------------------------------------


def test_run_now_shows_the_new_run_and_its_log_lines_stream_into_the_log(console_estate_copy):
    dbs = console_estate_copy
    job = "calibration_check"
    before = run_count(dbs, job)
    app = console_app(dbs, role="admin")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.log")
            pane = app.screen.query_one(LiveLog)
            assert not any(f"{job} started" in line for line in pane.text_lines())
            lines_before = len(pane.rows)

            await open_view(pilot, "ops.daemons")
            table = app.screen.query_one("#jobs", DataTable)
            assert table_rows(table)[job][column(table, "outcome")] == "never"
            await cursor_to(pilot, table, job)
            assert "r" in app.screen.active_bindings
            await pilot.press("r")
            await settle(pilot)
            row = table_rows(table)[job]
            assert row[column(table, "outcome")] == "success"
            assert row[column(table, "runs")] == str(before + 1)
            assert row[column(table, "last")] == "just now"
            assert row[column(table, "rate")] == "100 %"
            assert run_count(dbs, job) == before + 1

            # Enter: the job's recent runs
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, JobRunsScreen)
            runs = app.screen.query_one("#runs", DataTable)
            assert runs.row_count == 1
            assert plain(runs.get_row_at(0)[4]) == "success"
            await pilot.press("escape")
            await settle(pilot)

            # the log pane reads only the new lines: the run's lines arrive after what it showed
            await open_view(pilot, "ops.log")
            await asyncio.sleep(1.2)  # the follow timer
            await settle(pilot)
            new = pane.text_lines()[lines_before:]
            assert any(f"{job} started" in line for line in new), new
            assert any(f"{job} finished" in line for line in new), new
            assert len(pane.rows) == lines_before + len(new)

    run(drive())


def test_pause_and_resume_need_the_embedded_scheduler(console_estate_copy):
    dbs = console_estate_copy
    job = "technician_assignment"

    async def drive(app, with_scheduler: bool) -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.daemons")
            table = app.screen.query_one("#jobs", DataTable)
            status = app.screen.query_one(DaemonMonitor).query_one(StatusLine)
            await cursor_to(pilot, table, job)
            await pilot.press("p")
            await settle(pilot)
            if not with_scheduler:
                assert "not running in this console" in str(status.render())
                assert table_rows(table)[job][column(table, "state")] == "—"
                return
            assert app.daemons.is_paused(job)
            assert table_rows(table)[job][column(table, "state")] == "paused"
            await pilot.press("u")
            await settle(pilot)
            assert not app.daemons.is_paused(job)
            assert table_rows(table)[job][column(table, "state")] == "scheduled"
            assert f"{job} resumed" in str(status.render())

    run(drive(console_app(dbs, role="admin"), False))
    run(drive(console_app(dbs, role="admin", daemons=True), True))  # the app stops its scheduler on exit


def test_log_filters_by_level_text_and_job_and_follow_pauses(console_estate_copy):
    dbs = console_estate_copy
    write_log(dbs, "spc_monitoring", [(logging.INFO, "chart SPC-1 recomputed"),
                                      (logging.WARNING, "chart SPC-2 has 3 points out of control"),
                                      (logging.ERROR, "chart SPC-3 could not be read")])
    write_log(dbs, "gl_posting", [(logging.INFO, "posted JE-77 for SO-1"), (logging.WARNING, "JE-78 unbalanced")])
    app = console_app(dbs, role="auditor")

    def shown() -> list[str]:
        return [line.split(maxsplit=4)[4] for line in app.screen.query_one(LiveLog).text_lines()]

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.log")
            assert len(shown()) == 5
            await pilot.press("l")  # warning and worse
            await settle(pilot)
            assert shown() == ["chart SPC-2 has 3 points out of control", "chart SPC-3 could not be read",
                               "JE-78 unbalanced"]
            await pilot.press("l")  # errors
            await settle(pilot)
            assert shown() == ["chart SPC-3 could not be read"]
            await pilot.press("l")  # all again
            await settle(pilot)
            assert len(shown()) == 5
            await pilot.press("slash", *"je-7", "enter")
            await settle(pilot)
            assert shown() == ["posted JE-77 for SO-1", "JE-78 unbalanced"]
            await pilot.press("slash", *"zzz", "escape")  # Esc closes the box and keeps the filter
            await settle(pilot)
            assert not app.screen.query_one("#log-input").display
            assert shown() == ["posted JE-77 for SO-1", "JE-78 unbalanced"]
            await pilot.press("slash", "ctrl+u", "enter")  # an empty text clears the filter
            await settle(pilot)
            assert len(shown()) == 5
            await pilot.press("j", *"spc_monitoring", "enter")
            await settle(pilot)
            assert len(shown()) == 3
            assert "job: spc_monitoring" in str(app.screen.query_one("#log-filters").render())
            await pilot.press("j", *"no_such_job", "enter")
            await settle(pilot)
            assert len(shown()) == 3  # refused, the filter stays
            # follow off: new lines wait until follow is on again
            await pilot.press("f")
            write_log(dbs, "spc_monitoring", [(logging.INFO, "chart SPC-4 recomputed")])
            await asyncio.sleep(1.2)
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert len(shown()) == 3
            await pilot.press("l")  # a new filter while paused reads once
            await settle(pilot)
            assert shown() == ["chart SPC-2 has 3 points out of control", "chart SPC-3 could not be read"]
            await pilot.press("l", "l")
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            assert shown()[-1] == "chart SPC-4 recomputed"

    run(drive())


def test_the_log_pane_keeps_at_most_1000_lines(console_estate_copy):
    dbs = console_estate_copy
    with dbs.begin(CONSOLE_DATABASE) as conn:
        conn.execute(DaemonLog.__table__.insert(), [
            {"logged_at": T0, "level": "INFO", "job_name": "gl_posting", "message": f"line {i}"} for i in range(1300)])
    app = console_app(dbs, role="admin")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.log")
            pane = app.screen.query_one(LiveLog)
            with dbs.begin(CONSOLE_DATABASE) as conn:
                conn.execute(DaemonLog.__table__.insert(), [
                    {"logged_at": T0, "level": "INFO", "job_name": "gl_posting", "message": f"more {i}"}
                    for i in range(900)])
            for _ in range(3):
                await pilot.press("ctrl+r")
                await settle(pilot)
            assert len(pane.rows) == 1000
            assert len(pane.lines) <= 1000
            assert pane.text_lines()[-1].endswith("more 899")

    run(drive())


# -- the console: roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "data_analyst"])
def test_a_role_without_jobs_control_sees_the_monitor_read_only(console_estate_copy, role):
    dbs = console_estate_copy
    app = console_app(dbs, role=role)

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.daemons")
            table = app.screen.query_one("#jobs", DataTable)
            assert table.row_count > 20
            await cursor_to(pilot, table, "calibration_check")
            keys = app.screen.active_bindings
            assert not {"r", "p", "u"} & set(keys)
            await pilot.press("r")
            await settle(pilot)
            assert run_count(dbs, "calibration_check") == 0
            assert "read-only" in str(app.screen.query_one(DaemonMonitor).query_one(StatusLine).render())
            await open_view(pilot, "ops.alerts")
            assert "a" not in app.screen.active_bindings
            # the dead letters are listed, but R (requeue) is not offered without write access
            await open_view(pilot, "ops.sync")
            await cursor_to(pilot, app.screen.query_one("#sync", DataTable), "erp_wms")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DeadLettersScreen)
            assert app.screen.query_one("#letters", DataTable).row_count > 0
            assert "R" not in app.screen.active_bindings

    run(drive())


def test_a_role_without_the_operations_workspace_does_not_get_it(console_estate_copy):
    app = console_app(console_estate_copy, role="quality_inspector")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert "operations" not in app.command_names()
            assert not [n for n in app.command_names() if n.startswith("ops.")]
            await open_view(pilot, "ops.daemons")
            assert app.current_mode != "operations"
            assert not app.screen.query("#jobs")
            await pilot.press("f8")
            await settle(pilot)
            assert app.current_mode != "operations"

    run(drive())


# -- the console: sync status and the dead-letter requeue -----------------------------------------------


def test_a_dead_letter_is_requeued_by_keys_after_a_confirmation(console_estate_copy):
    dbs = console_estate_copy
    dead = make_dead_letter(dbs, "MOV-OPS-DEAD", console_clock())
    app = console_app(dbs, role="admin")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.sync")
            sync = app.screen.query_one("#sync", DataTable)
            dead_before = int(table_rows(sync)["erp_wms"][4])
            await cursor_to(pilot, sync, "erp_wms")
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, DeadLettersScreen)
            letters = screen.query_one("#letters", DataTable)
            assert dead in table_rows(letters)
            await cursor_to(pilot, letters, dead)
            await pilot.press("enter")  # its error
            await settle(pilot)
            detail = str(screen.query_one("#dl-detail").render())
            assert "MAT-NOT-THERE is not in the ERP material master" in detail
            assert "unknown_material" in detail
            # no: nothing changes
            await pilot.press("R")
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert queue_status(dbs, dead) == ("dead_letter", 3)
            # yes: pending again, and it leaves the list
            await pilot.press("R")
            await settle(pilot)
            assert "Requeue" in str(app.screen.query_one("#question").render())
            await pilot.press("y")
            await settle(pilot)
            assert app.screen is screen
            assert queue_status(dbs, dead) == ("pending", 0)
            assert dead not in table_rows(letters)
            await pilot.press("escape")
            await settle(pilot)
            assert int(table_rows(sync)["erp_wms"][4]) == dead_before - 1

    run(drive())


# -- the console: health and alerts -----------------------------------------------------------------------


def test_health_shows_a_crossed_threshold_in_red(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="admin")
    today = console_clock().date()

    async def health_row(pilot) -> tuple[list, list[str]]:
        await open_view(pilot, "ops.health")
        table = app.screen.query_one("#health", DataTable)
        cells = list(table.get_row("overdue_calibrations"))
        return cells, [plain(c) for c in cells]

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            cells, texts = await health_row(pilot)
            assert texts[4] == "OK" and "red" not in str(cells[1].style)
            overdue = int(texts[2].split()[0])
            # push overdue calibrations over seed 002's threshold (> 3)
            me = MeasuringEquipment
            with dbs.begin("genims_quality_db") as conn:
                in_service = or_(me.equipment_status.is_(None),
                                 me.equipment_status.not_in(("retired", "scrapped", "out_of_service", "lost")))
                ids = conn.execute(select(me.equipment_id).where(me.next_calibration_due >= today, in_service)
                                   .order_by(me.equipment_id).limit(4 - overdue)).scalars().all()
                conn.execute(update(me).where(me.equipment_id.in_(ids))
                             .values(next_calibration_due=today - dt.timedelta(days=3)))
            await pilot.press("ctrl+r")
            await settle(pilot)
            cells, texts = await health_row(pilot)
            assert texts[4] == "CROSSED"
            assert int(texts[2].split()[0]) == 4
            assert "red" in str(cells[1].style) and "red" in str(cells[4].style)
            assert "overdue_calibrations" in str(app.screen.query_one(HealthPane).query_one(StatusLine).render())

    run(drive())


def test_an_alert_is_acknowledged_by_keys(console_estate_copy):
    dbs = console_estate_copy
    assert run_job(dbs, "health_check", clock=console_clock).outcome == "success"
    app = console_app(dbs, role="admin")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await open_view(pilot, "ops.alerts")
            table = app.screen.query_one("#alerts", DataTable)
            rows = table_rows(table)
            assert rows and all(r[3] == "no" for r in rows.values())
            first = next(iter(rows))
            await cursor_to(pilot, table, first)
            await pilot.press("a")
            await settle(pilot)
            assert table_rows(table)[first][3] == "yes"
            with dbs.connect(CONSOLE_DATABASE) as conn:
                assert conn.execute(select(Alerts.acknowledged).where(Alerts.alert_id == int(first))).scalar() is True

    run(drive())


# -- snapshots ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ops_estate(console_estate, tmp_path_factory):
    """The seeded estate after a few daemon runs at the frozen clock: job runs, log lines, alerts."""
    console_estate.dispose()
    root = tmp_path_factory.mktemp("ops-estate")
    shutil.copytree(console_estate.data_dir, root / "data")
    dbs = Databases(load_settings(environ=sqlite_env(root)))
    for job in ("calibration_check", "technician_assignment", "health_check"):
        assert run_job(dbs, job, clock=console_clock).outcome == "success"
    yield dbs
    dbs.dispose()


def snapshot_of(view: str, *keys: str):
    async def before(pilot) -> None:
        await settle(pilot)
        await open_view(pilot, view)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)

    return before


@pytest.mark.parametrize("view,keys", [
    ("ops.daemons", ()),
    ("ops.log", ("l",)),  # warnings: the INFO lines carry run times that differ from run to run
    ("ops.sync", ()),
    ("ops.health", ()),
    ("ops.alerts", ()),
], ids=["daemons", "log", "sync", "health", "alerts"])
def test_operations_snapshots(snap_compare, ops_estate, view, keys):
    app = console_app(ops_estate, role="admin")
    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=snapshot_of(view, *keys))


def test_dead_letters_snapshot(snap_compare, ops_estate):
    app = console_app(ops_estate, role="admin")

    async def before(pilot) -> None:
        await settle(pilot)
        await open_view(pilot, "ops.sync")
        await cursor_to(pilot, app.screen.query_one("#sync", DataTable), "erp_wms")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=before)
