"""What the simulators share: their cadences and a random stream that is deterministic given the job
name and the clock (a rerun at the same instant makes the same choices, so tests are reproducible)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from ..services.base import ServiceContext

IOT = 10  # sensor readings every 10 seconds (seed 002: real-time sensor feeds)
SCADA = 60  # machine telemetry every minute
HOURLY = 3600  # MES production progress, warehouse, service and CRM activity
DAILY = 86400  # new sales orders, HR attendance and leave

DAEMON = "simulator"


def rng_for(name: str, ctx: ServiceContext, salt: str = "") -> random.Random:
    """A random stream seeded from the job name, the clock (to the second) and an optional salt."""
    when = ctx.now().replace(microsecond=0).isoformat()
    digest = hashlib.blake2b(f"{name}|{when}|{salt}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def day_rng(name: str, ctx: ServiceContext) -> random.Random:
    """A random stream fixed for the job and the day: a daily simulator run twice on one day makes the
    same choices (and its natural keys then find the first run's records)."""
    digest = hashlib.blake2b(f"{name}|{ctx.today().isoformat()}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def stable_fraction(*parts: object) -> float:
    """A number in [0, 1) fixed by its parts (not Python's salted hash), for per-record decisions that
    must come out the same on every run (e.g. how long a simulated fault lasts)."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def ran_at_this_instant(ctx: ServiceContext, job_name: str) -> bool:
    """True when `job_name` already finished successfully at this clock instant: a rerun at the same
    instant (a frozen clock, a retried cron tick) creates nothing twice."""
    from sqlalchemy import select

    from ..databases import CONSOLE_DATABASE
    from ..models.console import JobRuns

    with ctx.read(CONSOLE_DATABASE) as conn:
        return conn.execute(select(JobRuns.run_id).where(
            JobRuns.job_name == job_name, JobRuns.started_at == ctx.now(), JobRuns.outcome == "success").limit(1)
        ).first() is not None
