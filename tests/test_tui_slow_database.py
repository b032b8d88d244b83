"""Issue #7: a slow database shows a status message, never a frozen screen.

On PostgreSQL another connection holds an exclusive lock on the console's job_runs table, so the
daemon monitor's read waits for as long as the lock is held. Meanwhile the view says "Loading ...",
and the keys keep working (the command bar, `?`, switching workspaces). When the lock goes, the
monitor shows its jobs. (The dead-database case is tests/test_tui_shell.py.)
"""

from __future__ import annotations

import asyncio

import pytest
from console_support import SNAPSHOT_SIZE, console_app, settle
from sqlalchemy import text
from textual.widgets import DataTable

from genims_tui.backend.databases import CONSOLE_DATABASE
from genims_tui.backend.models.console import JobRuns
from genims_tui.screens.operations import DaemonMonitor
from genims_tui.widgets.dataview import StatusLine


@pytest.mark.parametrize("pg_dbs", ["databases"], indirect=True)  # one layout: the lock works alike in both
def test_a_locked_table_shows_loading_and_the_keys_keep_working(pg_dbs):
    dbs = pg_dbs
    dbs.create()
    app = console_app(dbs, role="admin")
    locker = dbs.engine(CONSOLE_DATABASE).connect()

    async def a_few_frames(pilot, seconds: float = 0.5) -> None:
        # not settle(): the monitor's worker is meant to be stuck behind the lock
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            await pilot.pause()
            await asyncio.sleep(0.05)

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert app.current_mode == "home"
            locker.execute(text(f"LOCK TABLE {JobRuns.__table__.name} IN ACCESS EXCLUSIVE MODE"))
            try:
                await pilot.press("f8")
                await a_few_frames(pilot)
                assert app.current_mode == "operations"
                monitor = app.screen.query_one(DaemonMonitor)
                status = str(monitor.query(StatusLine).first().render())
                assert "Loading" in status, status
                assert not monitor.loaded_once
                assert any(w.is_running for w in app.workers), "the read should be waiting on the lock"

                # the screen answers keys while the read waits
                await pilot.press("colon")
                await a_few_frames(pilot, 0.3)
                assert type(app.screen).__name__ == "CommandScreen"
                await pilot.press("escape")
                await a_few_frames(pilot, 0.3)
                await pilot.press("question_mark")
                await a_few_frames(pilot, 0.3)
                assert type(app.screen).__name__ == "HelpScreen"
                await pilot.press("escape")
                await pilot.press("f7")
                await a_few_frames(pilot, 0.3)
                assert app.current_mode == "maintenance"
                await pilot.press("f8")
                await a_few_frames(pilot, 0.3)
                assert app.current_mode == "operations"
                assert not monitor.loaded_once
            finally:
                locker.rollback()  # the lock goes
            await settle(pilot)
            assert monitor.loaded_once and monitor.last_error is None
            assert app.screen.query_one("#jobs", DataTable).row_count > 0
            assert "Loading" not in str(monitor.query(StatusLine).first().render())

    try:
        asyncio.run(drive())
    finally:
        locker.close()
