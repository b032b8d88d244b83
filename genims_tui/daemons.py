"""The automations inside the console: the same job registry and guarded runs as `genims run-daemons`,
on an APScheduler BackgroundScheduler whose jobs run in worker threads.

`EmbeddedDaemons` wraps the scheduler for the console: start/stop, run a job now (blocking: the
console calls it from a worker), pause and resume a job, its next run time. Textual-free.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from .backend.databases import Databases
from .backend.errors import DomainError
from .backend.scheduler import RunResult, build_scheduler, get_job, run_job
from .backend.services.base import utc_now

log = logging.getLogger(__name__)


class EmbeddedDaemons:
    def __init__(self, dbs: Databases, clock: Callable[[], dt.datetime] = utc_now, simulate: bool = False) -> None:
        self.dbs, self.clock, self.simulate = dbs, clock, simulate
        self._scheduler = None
        self._paused: set[str] = set()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def start(self) -> None:
        with self._lock:
            if self.running:
                return
            self._scheduler = build_scheduler(self.dbs, clock=self.clock, simulate=self.simulate)
            self._scheduler.start()
            log.info("embedded scheduler started with %d jobs", len(self._scheduler.get_jobs()))

    def stop(self, wait: bool = False) -> None:
        """Stop firing jobs; with `wait`, also wait for a running job to finish."""
        with self._lock:
            if self._scheduler is not None and self._scheduler.running:
                self._scheduler.shutdown(wait=wait)
            self._scheduler = None

    def job_names(self) -> list[str]:
        return [j.id for j in self._scheduler.get_jobs()] if self._scheduler else []

    def run_now(self, name: str) -> RunResult:
        """Run the job now in the calling thread (the job's lock still guards it)."""
        get_job(name)
        return run_job(self.dbs, name, clock=self.clock)

    def _require_scheduled(self, name: str):
        get_job(name)
        if not self.running:
            raise DomainError("The automations are not running in this console.",
                              "Start it without --no-daemons, or pause the job where `genims run-daemons` runs.")
        job = self._scheduler.get_job(name)
        if job is None:
            raise DomainError(f"{name} is not scheduled in this console.", "Simulators run only with --simulate.")
        return job

    def pause(self, name: str) -> None:
        self._require_scheduled(name)
        self._scheduler.pause_job(name)
        self._paused.add(name)
        log.info("job %s paused", name)

    def resume(self, name: str) -> None:
        self._require_scheduled(name)
        self._scheduler.resume_job(name)
        self._paused.discard(name)
        log.info("job %s resumed", name)

    def is_paused(self, name: str) -> bool:
        return name in self._paused

    def next_run_time(self, name: str) -> dt.datetime | None:
        if not self.running:
            return None
        job = self._scheduler.get_job(name)
        if job is None or job.next_run_time is None:
            return None
        return job.next_run_time.astimezone(dt.UTC).replace(tzinfo=None)
