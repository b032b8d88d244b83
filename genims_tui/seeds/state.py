"""What has been seeded: light enough for the console's start-up (no generators, no Faker)."""

from __future__ import annotations

from sqlalchemy import select

from ..backend.databases import Databases
from ..backend.models.console import SeedState
from ..backend.models.master import Factories


def seed_states(dbs: Databases) -> dict[str, dict]:
    """The last complete seed of each logical database."""
    with dbs.connect("genims_console_db") as conn:
        return {r.database_name: dict(r._mapping) for r in conn.execute(select(SeedState)) if r.status == "complete"}


def estate_is_empty(dbs: Databases) -> bool:
    """True when nothing was ever seeded and master data is empty (a fresh estate)."""
    if seed_states(dbs):
        return False
    with dbs.connect("genims_master_db") as conn:
        return conn.execute(select(Factories.factory_id).limit(1)).first() is None
