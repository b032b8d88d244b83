"""Issue #7: dashboards refresh on a timer without blocking input, and the timer can be paused.

The refresh interval comes from the settings (`console.refresh_seconds`, here its environment
variable). A job run by someone else (the test, outside the console) appears in the daemon monitor
with no key pressed; the keys keep working between and during reloads; ctrl+t pauses (nothing is
reloaded, the new run stays unseen), ctrl+r still refreshes on demand, ctrl+t again resumes.
"""

from __future__ import annotations

import asyncio

from conftest import sqlite_env
from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from rich.text import Text
from sqlalchemy import func, select
from textual.widgets import DataTable

from genims_tui.backend.databases import CONSOLE_DATABASE, Databases
from genims_tui.backend.models.console import JobRuns
from genims_tui.backend.scheduler import run_job
from genims_tui.config import load_settings
from genims_tui.screens.operations import DaemonMonitor

JOB = "calibration_check"


def plain(value) -> str:
    return value.plain if isinstance(value, Text) else str(value)


def cell(table: DataTable, row_key: str, column_key: str) -> str:
    columns = [str(k.value) for k in table.columns]
    return plain(table.get_row(row_key)[columns.index(column_key)])


def runs_of(dbs: Databases, job: str) -> int:
    with dbs.connect(CONSOLE_DATABASE) as conn:
        return conn.execute(select(func.count()).select_from(JobRuns).where(JobRuns.job_name == job)).scalar()


def test_the_monitor_refreshes_on_its_own_keys_keep_working_and_ctrl_t_pauses(console_estate_copy, tmp_path):
    console_estate_copy.dispose()
    dbs = Databases(load_settings(environ={**sqlite_env(tmp_path), "GENIMS_CONSOLE_REFRESH_SECONDS": "1"}))
    app = console_app(dbs, role="admin")
    assert app.refresh_seconds == 1.0
    before = runs_of(dbs, JOB)

    async def until(pilot, condition, seconds: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            await asyncio.sleep(0.1)
            await pilot.pause()
            if condition():
                return True
        return False

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press(":", *"ops.daemons", "enter")
            await settle(pilot)
            monitor = app.screen.query_one(DaemonMonitor)
            table = app.screen.query_one("#jobs", DataTable)
            assert cell(table, JOB, "runs") == str(before)
            loads = []
            fetch = monitor.fetch
            monitor.fetch = lambda: (loads.append(1), fetch())[1]

            # someone else runs the job: the monitor shows it with no key pressed
            await asyncio.to_thread(run_job, dbs, JOB, console_clock)
            assert await until(pilot, lambda: cell(table, JOB, "runs") == str(before + 1), 5.0), \
                "the monitor did not refresh on its own"
            assert cell(table, JOB, "outcome") == "success"

            # keys work while the timer keeps reloading: the cursor moves and stays where it was put
            table.focus()
            start = table.cursor_row
            for _ in range(3):
                await pilot.press("down")
            assert table.cursor_row == start + 3
            reloads = len(loads)
            assert await until(pilot, lambda: len(loads) >= reloads + 2, 5.0)
            assert table.cursor_row == start + 3, "a refresh moved the cursor"
            await pilot.press("colon")
            await pilot.pause()
            assert type(app.screen).__name__ == "CommandScreen"
            await pilot.press("escape")
            await settle(pilot)

            # ctrl+t pauses: no reload, a new run stays unseen
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert app.screen.auto_reload is False
            paused_at = len(loads)
            await asyncio.to_thread(run_job, dbs, JOB, console_clock)
            await asyncio.sleep(2.5)
            await settle(pilot)
            assert len(loads) == paused_at, "reloaded while paused"
            assert cell(table, JOB, "runs") == str(before + 1)

            # ctrl+r refreshes once on demand, still paused
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert cell(table, JOB, "runs") == str(before + 2)
            assert len(loads) == paused_at + 1
            await asyncio.sleep(1.5)
            await settle(pilot)
            assert len(loads) == paused_at + 1

            # ctrl+t resumes the timer
            await pilot.press("ctrl+t")
            assert await until(pilot, lambda: len(loads) >= paused_at + 2, 5.0), "the timer did not resume"

    try:
        asyncio.run(drive())
    finally:
        dbs.dispose()
