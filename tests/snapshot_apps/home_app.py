"""The console on the estate in GENIMS_DATA_DIR, for the home screen's snapshot test.

pytest-textual-snapshot loads this file by path and runs `app`; the test prepares the data dir.
"""

from __future__ import annotations

import os

from genims_tui.app import GenimsApp
from genims_tui.backend.access import role_user
from genims_tui.backend.databases import Databases
from genims_tui.config import load_settings

settings = load_settings(
    environ={"GENIMS_DATA_DIR": os.environ["GENIMS_DATA_DIR"], "GENIMS_CONFIG": os.environ["GENIMS_CONFIG"]}
)
app = GenimsApp(dbs=Databases(settings), daemons=False, user=role_user("admin"))
