"""Child process for the console benchmarks (run by benchmarks/run.py, not by hand).

    python benchmarks/tui_probe.py start T0     the console as `genims` opens it (first-run check,
                                                 embedded scheduler configured), headless; prints the
                                                 seconds from T0 (the parent's clock just before it
                                                 started this process) to the login screen ready
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def start(t0: float) -> None:
    from genims_tui.backend.databases import Databases
    from genims_tui.cli import first_run_setup
    from genims_tui.config import load_settings

    dbs = Databases(load_settings())
    first_run_setup(dbs)
    from genims_tui.app import GenimsApp

    app = GenimsApp(dbs=dbs, daemons=True)

    async def until_ready() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            while type(app.screen).__name__ != "LoginScreen" or not app.screen.query("#email"):
                await pilot.pause()
            print(f"{time.time() - t0:.4f}", flush=True)

    asyncio.run(until_ready())


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start(float(sys.argv[2]))
