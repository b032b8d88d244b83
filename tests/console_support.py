"""Helpers for console tests: an app on an estate as a given role with a frozen clock, and waiting
until the workers have loaded what the screen shows."""

from __future__ import annotations

import asyncio
import datetime as dt

from pytest_textual_snapshot import SVGImageExtension

from genims_tui.app import GenimsApp
from genims_tui.backend.access import role_user
from genims_tui.backend.databases import Databases

from conftest import CONSOLE_AS_OF

# pytest-textual-snapshot 1.0 names its extension in `_file_extension`, which syrupy 5+ renamed to
# `file_extension`: without this, baselines are written as .raw instead of .svg.
if getattr(SVGImageExtension, "file_extension", None) != "svg":
    SVGImageExtension.file_extension = "svg"

SNAPSHOT_SIZE = (120, 40)


def console_clock() -> dt.datetime:
    return CONSOLE_AS_OF + dt.timedelta(minutes=30)


def console_app(dbs: Databases, role: str | None = "admin", **kwargs) -> GenimsApp:
    """The real console, logged in as a seed user of `role` (None: at the login screen), no daemons,
    the clock frozen just after the estate's as_of."""
    kwargs.setdefault("daemons", False)
    kwargs.setdefault("clock", console_clock)
    user = role_user(role) if role else None
    return GenimsApp(dbs=dbs, user=user, **kwargs)


async def settle(pilot, timeout: float = 30.0) -> None:
    """Until no worker is running and the screen has caught up (workers may start workers)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return
        assert loop.time() < deadline, "workers still running"
        await asyncio.sleep(0.02)
