"""The home screen: driven by keys with Pilot, and pinned by a snapshot at 80x24."""

from __future__ import annotations

import asyncio
import fcntl
import shutil
from pathlib import Path

from conftest import sqlite_env
from pytest_textual_snapshot import SVGImageExtension
from sqlalchemy import insert
from textual.widgets import DataTable, Static

from genims_tui.app import GenimsApp
from genims_tui.backend.access import role_user
from genims_tui.backend.databases import ALL_DATABASES, Databases
from genims_tui.backend.models import BASES
from genims_tui.config import load_settings

# pytest-textual-snapshot 1.0 names its extension in `_file_extension`, which syrupy 5+ renamed to
# `file_extension`: without this, baselines are written as .raw instead of .svg.
if getattr(SVGImageExtension, "file_extension", None) != "svg":
    SVGImageExtension.file_extension = "svg"

ADMIN = role_user("admin")
SNAPSHOT_DIR = Path("/tmp/genims-snapshot-home")  # fixed: the locations on screen are part of the picture


def add_factories(dbs: Databases, *factory_ids: str) -> None:
    table = BASES["genims_master_db"].metadata.tables["factories"]
    with dbs.begin("genims_master_db") as conn:
        conn.execute(insert(table), [{"factory_id": f} for f in factory_ids])


async def wait_for_rows(pilot, count: int = len(ALL_DATABASES), timeout: float = 30) -> DataTable:
    """Until the worker has filled the table (it reads the databases in a thread)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        if table.row_count == count:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            return table
        assert loop.time() < deadline, f"the home table has {table.row_count} rows, expected {count}"
        await asyncio.sleep(0.05)


def test_home_lists_the_databases_with_row_counts_and_q_quits(sqlite_dbs):
    sqlite_dbs.create()
    add_factories(sqlite_dbs, "F-1", "F-2", "F-3")
    app = GenimsApp(dbs=sqlite_dbs, daemons=False, user=ADMIN)

    async def drive() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            table = await wait_for_rows(pilot)
            rows = {str(key.value): table.get_row(key) for key in table.rows}
            assert list(rows) == list(ALL_DATABASES)
            master = rows["genims_master_db"]
            assert master[:4] == ["genims_master_db", "sqlite", "10/10", "3"]
            assert master[4] == str(sqlite_dbs.data_dir / "genims_master_db.sqlite")
            for db, row in rows.items():
                n = len(BASES[db].metadata.tables)
                assert row[2] == f"{n}/{n}"
            status = str(app.screen.query_one("#status", Static).render())
            assert status.startswith("15 databases")
            assert app.is_running
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running

    asyncio.run(drive())


def test_home_refresh_shows_new_rows(sqlite_dbs):
    sqlite_dbs.create()
    app = GenimsApp(dbs=sqlite_dbs, daemons=False, user=ADMIN)

    async def drive() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            table = await wait_for_rows(pilot)
            assert table.get_row("genims_master_db")[3] == "0"
            add_factories(sqlite_dbs, "F-9")
            await pilot.press("r")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert table.get_row("genims_master_db")[3] == "1"

    asyncio.run(drive())


def test_home_before_init_says_run_init(tmp_path):
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    app = GenimsApp(dbs=dbs, daemons=False, user=ADMIN)

    async def drive() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            table = await wait_for_rows(pilot)
            row = table.get_row("genims_erp_db")
            assert row[2] == f"0/{len(BASES['genims_erp_db'].metadata.tables)}"
            assert "genims init" in row[4]

    try:
        asyncio.run(drive())
    finally:
        dbs.dispose()
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def test_home_shows_an_unreachable_server_in_the_status_line(tmp_path):
    env = {"GENIMS_CONFIG": str(tmp_path / "c.toml"), "GENIMS_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:5999/"}
    dbs = Databases(load_settings(environ=env))
    app = GenimsApp(dbs=dbs, daemons=False, user=ADMIN)

    async def drive() -> None:
        async with app.run_test(size=(200, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#status", Static).render())
            assert status.startswith("Cannot reach PostgreSQL at 127.0.0.1:5999"), status
            assert app.screen.query_one(DataTable).row_count == 0
            await pilot.press("q")

    try:
        asyncio.run(drive())
    finally:
        dbs.dispose()


def test_home_snapshot(snap_compare, monkeypatch):
    # The path is fixed, so two runs at once would share it: take a lock for the whole test.
    with open(f"{SNAPSHOT_DIR}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
        SNAPSHOT_DIR.mkdir()
        env = {"GENIMS_DATA_DIR": str(SNAPSHOT_DIR / "data"), "GENIMS_CONFIG": str(SNAPSHOT_DIR / "config.toml")}
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        dbs = Databases(load_settings(environ=env))
        try:
            dbs.create()
            add_factories(dbs, "F-1", "F-2")
        finally:
            dbs.dispose()

        async def loaded(pilot) -> None:
            await wait_for_rows(pilot)

        try:
            assert snap_compare("snapshot_apps/home_app.py", terminal_size=(80, 24), run_before=loaded)
        finally:
            shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
