"""The simulators: synthetic plant and market activity (seed 000/002 cadences), off unless asked for
(`genims run-daemons --simulate`). Each is a scheduler job of kind "simulator" that creates activity
through the services, so the automations have work.

Importing this package registers every simulator with `genims_tui.backend.scheduler`.
"""

from __future__ import annotations

from . import plant, production, market, site  # noqa: F401, E402  (each module registers its simulators)
