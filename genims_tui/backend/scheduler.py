"""The daemons' machinery: the job registry, one guarded run of a job, and the APScheduler wiring.

- A job is a name, a description, an interval and a function `(ServiceContext) -> dict of counts`.
  The automations register themselves (`genims_tui.backend.automations`); `registry()` loads them.
- `run_job(dbs, name)` runs one job once, as the system user: it takes the job's lock (PostgreSQL:
  an advisory lock on a genims_console_db connection, keyed by a stable hash of the job name;
  SQLite: an flock'ed lock file in the data directory), so exactly one process runs a job at a time;
  a run that finds the lock held is recorded as 'skipped_locked' and does nothing. Every run leaves a
  job_runs record (start, end, outcome, counts, error, host, pid); the job's log lines (logger
  `genims.jobs.<name>`) are copied into daemon_log with the run id. A job that raises is recorded as
  'failed' with its error and never takes the caller down. While a job runs its record says 'running'.
- `build_scheduler(dbs)` gives a BackgroundScheduler with one interval job per registry entry.
- Crash safety: `recover_stale_runs(dbs)` (run by `build_scheduler`, `genims run-daemons` and `genims
  jobs list`) marks 'failed' (error "interrupted: ...") the runs left 'running' by a process that
  stopped: its pid is gone on this host, or nobody holds the job's lock any more, or (any host) it
  started more than 3 intervals + 10 min ago. A run that finished while genims_console_db was away keeps
  its final record in memory and writes it at the next chance, so it is not taken for interrupted.
- A database that goes away: the run is recorded 'failed' with one line saying which and why; the
  engines' pools are dropped after such a failure, so nothing stale is reused when it is back. When
  genims_console_db itself is unreachable, the runs cannot be recorded: that is logged once (and once
  again when it is back), not at every firing.

Never imports textual: the CLI daemon, the console and tests share it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError

from .access import SYSTEM_USER
from .databases import CONSOLE_DATABASE, Databases
from .errors import DatabaseUnavailable, GenimsError
from .models.console import DaemonLog, JobRuns
from .services.base import ServiceContext, utc_now

try:  # POSIX; the embedded (SQLite) lock needs it
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

JOB_LOGGER_PREFIX = "genims.jobs"
OUTCOMES = ("running", "success", "failed", "skipped_locked")
ERROR_MAX = 4000
INTERRUPTED = "interrupted"  # the error of a run whose process stopped before it finished starts so
STALE_AFTER_INTERVALS = 3  # a run still 'running' after 3 intervals + 10 min is taken for dead (any host)
STALE_GRACE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    interval_seconds: int
    function: Callable[[ServiceContext], dict[str, Any]]
    daemon: str = ""  # which of seed 002's daemons the rule belongs to
    kind: str = "automation"  # or "simulator": synthetic activity, selected only when asked for

    @property
    def logger(self) -> logging.Logger:
        return job_logger(self.name)


_REGISTRY: dict[str, Job] = {}


def job_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"{JOB_LOGGER_PREFIX}.{name}")


JOB_KINDS = ("automation", "system", "simulator")  # system: the product's own upkeep, runs with the automations


def register_job(name: str, description: str, interval_seconds: int, daemon: str = "",
                 kind: str = "automation") -> Callable:
    """Decorator: register `function(ctx) -> counts` as the job `name`."""

    def wrap(function: Callable[[ServiceContext], dict[str, Any]]):
        if interval_seconds < 1:
            raise ValueError(f"job {name}: the interval must be at least 1 second")
        if kind not in JOB_KINDS:
            raise ValueError(f"job {name}: unknown kind {kind!r}")
        _REGISTRY[name] = Job(name, description, interval_seconds, function, daemon, kind)
        return function

    return wrap


def registry() -> dict[str, Job]:
    """Every registered job by name, in registration order (automations first, then simulators)."""
    from . import automations, simulators  # noqa: F401  (importing them registers the jobs)

    # Kind first (the packages may be imported in either order); within a kind, the order each
    # package's __init__ imports its modules (seed 002's order for the automations).
    return dict(sorted(_REGISTRY.items(), key=lambda item: JOB_KINDS.index(item[1].kind)
                       if item[1].kind in JOB_KINDS else len(JOB_KINDS)))


def get_job(name: str) -> Job:
    jobs = registry()
    if name not in jobs:
        raise GenimsError(f"There is no job called {name!r}.", f"Jobs: {', '.join(jobs)}.")
    return jobs[name]


def select_jobs(only: Iterable[str] | str | None = None, simulate: bool = False) -> list[Job]:
    """The jobs named in `only` (a list or a comma-separated string); without `only`, every automation,
    plus every simulator when `simulate`. A simulator named in `only` is selected either way."""
    jobs = registry()
    if only is None:
        return [j for j in jobs.values() if j.kind != "simulator" or simulate]
    names = [n.strip() for n in (only.split(",") if isinstance(only, str) else only) if n and n.strip()]
    unknown = [n for n in names if n not in jobs]
    if unknown or not names:
        raise GenimsError(f"Unknown job: {', '.join(unknown) or '(none given)'}.", f"Jobs: {', '.join(jobs)}.")
    return [jobs[n] for n in dict.fromkeys(names)]


# -- the lock ---------------------------------------------------------------------------------------


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for the job's PostgreSQL advisory lock (not Python's salted hash)."""
    digest = hashlib.blake2b(f"genims.job:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_path(dbs: Databases, name: str):
    return dbs.data_dir / f"genims-job-{name}.lock"


@contextmanager
def job_lock(dbs: Databases, name: str) -> Iterator[bool]:
    """Yields True with the job's lock held, False when another process (or thread) holds it."""
    if dbs.target(CONSOLE_DATABASE).backend == "postgresql":
        with _pg_lock(dbs, name) as held:
            yield held
    else:
        with _file_lock(dbs, name) as held:
            yield held


@contextmanager
def _pg_lock(dbs: Databases, name: str) -> Iterator[bool]:
    key = advisory_key(name)
    with dbs.connect(CONSOLE_DATABASE) as conn:
        held = bool(conn.execute(select(func.pg_try_advisory_lock(key))).scalar())
        conn.commit()  # a session lock: no transaction is left open while the job runs
        try:
            yield held
        finally:
            if held:
                try:
                    conn.execute(select(func.pg_advisory_unlock(key)))
                    conn.commit()
                except Exception:  # the session is gone or broken: never hand it back to the pool
                    log.warning("could not release the advisory lock of job %s; dropping the connection", name)
                    conn.invalidate()


@contextmanager
def _file_lock(dbs: Databases, name: str) -> Iterator[bool]:
    path = lock_path(dbs, name)
    if not path.parent.is_dir():
        from .errors import DatabaseUnavailable

        raise DatabaseUnavailable(f"The data directory {path.parent} does not exist.", "Run `genims init`.")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# -- run records and the log --------------------------------------------------------------------------


@dataclass
class RunResult:
    job_name: str
    outcome: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    run_id: int | None = None  # None when not even the run record could be written

    @property
    def rows_touched(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        kind = _REGISTRY[self.job_name].kind if self.job_name in _REGISTRY else None
        return {"run_id": self.run_id, "job_name": self.job_name, "kind": kind, "outcome": self.outcome,
                "started_at": self.started_at, "finished_at": self.finished_at, "rows_touched": self.rows_touched,
                "counts": self.counts, "error": self.error}


class DaemonLogHandler(logging.Handler):
    """Copies a job's log lines into daemon_log, tagged with the run id. Never raises."""

    def __init__(self, dbs: Databases, job_name: str, run_id: int | None, clock: Callable[[], dt.datetime]):
        super().__init__(logging.INFO)
        self.dbs, self.job_name, self.run_id, self.clock = dbs, job_name, run_id, clock

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                message += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
            with self.dbs.begin(CONSOLE_DATABASE) as conn:
                conn.execute(insert(DaemonLog).values(
                    logged_at=self.clock(), level=record.levelname[:10], job_name=self.job_name[:100],
                    run_id=self.run_id, logger_name=record.name[:200], message=message))
        except Exception:  # the log must never break the job
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's API
        pass  # no traceback on stderr for a log line that could not be stored


def _normalize_counts(raw: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, value in (raw or {}).items():
        if isinstance(value, bool):
            counts[str(key)] = int(value)
        elif isinstance(value, int):
            counts[str(key)] = value
        elif isinstance(value, (list, tuple, set, dict)):
            counts[str(key)] = len(value)
    return counts


def describe_error(exc: BaseException) -> str:
    """One line a person can act on: no SQL, no traceback (a driver error gives its first line)."""
    if isinstance(exc, GenimsError):
        text = exc.message + (f" {exc.hint}" if exc.hint else "")
    elif isinstance(exc, DBAPIError) and exc.orig is not None:
        text = f"Database error ({type(exc.orig).__name__}): {_first_line(str(exc.orig)) or 'no detail'}"
        if exc.connection_invalidated:
            text += " (the connection was lost)"
    else:
        text = f"{type(exc).__name__}: {_first_line(str(exc))}".rstrip(": ")
    return " ".join(text.split())[:ERROR_MAX]


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _database_trouble(exc: BaseException) -> bool:
    """A failure of the database itself (gone, unreachable, connection lost), not of the job's logic."""
    return isinstance(exc, DatabaseUnavailable) or (
        isinstance(exc, DBAPIError) and (exc.connection_invalidated or type(exc.orig).__name__ in (
            "OperationalError", "InterfaceError")))


# -- what this process knows about its runs ----------------------------------------------------------------

_STATE_LOCK = threading.Lock()
_ACTIVE_RUNS: set[tuple[str, int]] = set()  # (console location, run_id) of the runs going on in this process
_UNSAVED: dict[tuple[str, int], dict[str, Any]] = {}  # final records not written yet (console was away)
_CONSOLE_PROBLEM: dict[str, str] = {}  # console location -> the error last reported about it


def _console_key(dbs: Databases) -> str:
    return dbs.target(CONSOLE_DATABASE).location


def _note_console_problem(dbs: Databases, error: str | None) -> None:
    """Log genims_console_db trouble once when it starts (or changes) and once when it ends."""
    key = _console_key(dbs)
    with _STATE_LOCK:
        before = _CONSOLE_PROBLEM.get(key)
        if error is None:
            _CONSOLE_PROBLEM.pop(key, None)
        else:
            _CONSOLE_PROBLEM[key] = error
    if error is not None and error != before:
        log.error("job runs cannot be recorded: %s Jobs are tried on schedule and not run until it is back "
                  "(said once).", error)
    elif error is not None:
        log.debug("job runs still cannot be recorded: %s", error)
    elif before is not None:
        log.warning("genims_console_db is reachable again: job runs are recorded again.")


def _flush_unsaved(dbs: Databases) -> None:
    """Write the final records of runs that finished while genims_console_db was away."""
    key = _console_key(dbs)
    with _STATE_LOCK:
        pending = [(k, v) for k, v in _UNSAVED.items() if k[0] == key]
    for k, values in pending:
        with dbs.begin(CONSOLE_DATABASE) as conn:
            conn.execute(update(JobRuns).where(JobRuns.run_id == k[1]).values(**values))
        with _STATE_LOCK:
            _UNSAVED.pop(k, None)


def _insert_run(dbs: Databases, values: dict[str, Any]) -> int:
    with dbs.begin(CONSOLE_DATABASE) as conn:
        return int(conn.execute(insert(JobRuns).values(**values).returning(JobRuns.run_id)).scalar_one())


def run_job(dbs: Databases, name: str, clock: Callable[[], dt.datetime] = utc_now) -> RunResult:
    """Run the job `name` once (see the module notes). Never raises for the job's own failures or an
    unreachable database: the outcome says what happened."""
    job = get_job(name)
    logger = job.logger
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    started = clock()
    ident = {"job_name": name, "host": socket.gethostname()[:200], "pid": os.getpid()}
    result: RunResult | None = None
    active: tuple[str, int] | None = None
    try:
        _flush_unsaved(dbs)
        with job_lock(dbs, name) as held:
            if not held:
                result = RunResult(name, "skipped_locked", started, clock())
                result.run_id = _insert_run(dbs, dict(ident, started_at=started, finished_at=result.finished_at,
                                                      outcome="skipped_locked", rows_touched=0, counts={}))
                _note_console_problem(dbs, None)
                log.info("job %s skipped: another process is running it", name)
                return result
            result = RunResult(name, "running", started, None)
            result.run_id = _insert_run(dbs, dict(ident, started_at=started, outcome="running", rows_touched=0))
            _note_console_problem(dbs, None)
            active = (_console_key(dbs), result.run_id)
            with _STATE_LOCK:
                _ACTIVE_RUNS.add(active)
            handler = DaemonLogHandler(dbs, name, result.run_id, clock)
            logger.addHandler(handler)
            tick = time.perf_counter()
            try:
                logger.info("%s started", name)
                try:
                    result.counts = _normalize_counts(job.function(ServiceContext(dbs, SYSTEM_USER, clock)))
                    result.outcome = "success"
                    logger.info("%s finished in %.2f s: %s", name, time.perf_counter() - tick,
                                ", ".join(f"{k} {v}" for k, v in result.counts.items()) or "nothing to do")
                except Exception as exc:
                    result.outcome, result.error = "failed", describe_error(exc)
                    logger.error("%s failed: %s", name, result.error)
                    if _database_trouble(exc):
                        dbs.dispose()  # no pooled connection of a database that went away is reused
            finally:
                logger.removeHandler(handler)
            result.finished_at = clock()
            final = dict(finished_at=result.finished_at, outcome=result.outcome, rows_touched=result.rows_touched,
                         counts=result.counts, error=result.error)
            try:
                with dbs.begin(CONSOLE_DATABASE) as conn:
                    conn.execute(update(JobRuns).where(JobRuns.run_id == result.run_id).values(**final))
            except Exception:
                with _STATE_LOCK:  # kept for later: this run is over, never to be taken for interrupted
                    _UNSAVED[active] = final
                raise
            return result
    except Exception as exc:  # the lock or the run record could not be had: the database is not there
        error = describe_error(exc)
        if _database_trouble(exc):
            dbs.dispose()
        _note_console_problem(dbs, error)
        if result is not None and result.outcome != "running":
            # the job ran but its record could not be finished (it is written at the next chance)
            result.error = ((result.error or "") + f" (run record not saved yet: {error})").strip()
            return result
        return RunResult(name, "failed", started, clock(), error=error,
                         run_id=result.run_id if result is not None else None)
    finally:
        if active is not None:
            with _STATE_LOCK:
                _ACTIVE_RUNS.discard(active)


def run_all_once(dbs: Databases, only: Iterable[str] | str | None = None,
                 clock: Callable[[], dt.datetime] = utc_now, simulate: bool = False) -> list[RunResult]:
    """Each selected job once, in registry order; one failing job does not stop the others."""
    return [run_job(dbs, job.name, clock=clock) for job in select_jobs(only, simulate)]


# -- runs left behind by a process that stopped ------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def _interrupted(row, why: str) -> str:
    return f"{INTERRUPTED}: the process {row.pid} on {row.host} stopped before the run finished ({why})"


def recover_stale_runs(dbs: Databases, now: dt.datetime | None = None) -> int:
    """Mark 'failed' (error "interrupted: ...") every run left 'running' by a process that stopped, and
    return how many. A run is taken for interrupted when its process is gone from this host, or when
    nobody holds its job's lock (a running job always does), or, whatever the host, when it started
    more than 3 intervals + 10 min before `now`. Runs going on in this process are left alone."""
    now = now or utc_now()
    jobs = registry()
    here, me, console = socket.gethostname()[:200], os.getpid(), _console_key(dbs)
    _flush_unsaved(dbs)
    with dbs.connect(CONSOLE_DATABASE) as conn:
        rows = conn.execute(select(JobRuns.run_id, JobRuns.job_name, JobRuns.started_at, JobRuns.host, JobRuns.pid)
                            .where(JobRuns.outcome == "running")).all()
    with _STATE_LOCK:
        rows = [r for r in rows if (console, r.run_id) not in _ACTIVE_RUNS and (console, r.run_id) not in _UNSAVED]
    stale: dict[int, str] = {}
    undecided: dict[str, list] = {}
    for r in rows:
        job = jobs.get(r.job_name)
        limit = dt.timedelta(seconds=STALE_AFTER_INTERVALS * (job.interval_seconds if job else 300)) + STALE_GRACE
        if r.host == here and r.pid is not None and (r.pid == me or not _pid_alive(r.pid)):
            stale[r.run_id] = _interrupted(r, "it is no longer running")
        elif r.started_at is not None and now - r.started_at > limit:
            stale[r.run_id] = _interrupted(r, f"no end recorded {int(limit.total_seconds() // 60)} min after it started")
        elif job is not None:
            undecided.setdefault(r.job_name, []).append(r)
    marked = 0
    for name, job_rows in undecided.items():
        with job_lock(dbs, name) as held:
            if held:  # nobody is running the job, so none of these runs is going on; marked under the lock
                marked += _mark_interrupted(dbs, {r.run_id: _interrupted(r, "it no longer holds the job's lock")
                                                  for r in job_rows}, now)
    return marked + (_mark_interrupted(dbs, stale, now) if stale else 0)


def _mark_interrupted(dbs: Databases, errors: dict[int, str], now: dt.datetime) -> int:
    marked = 0
    with dbs.begin(CONSOLE_DATABASE) as conn:
        for run_id, error in errors.items():
            marked += conn.execute(update(JobRuns).where(JobRuns.run_id == run_id, JobRuns.outcome == "running")
                                   .values(outcome="failed", finished_at=now, error=error[:ERROR_MAX])).rowcount
    for run_id, error in errors.items():
        log.info("run %s: %s", run_id, error)
    return marked


# -- job history ---------------------------------------------------------------------------------------


STATS_WINDOW = dt.timedelta(days=7)


def job_overview(dbs: Databases, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """One row per job: schedule, last run, its outcome, when it is next due, and the success rate of
    its finished runs in the last 7 days (skipped runs do not count). Bounded whatever the history:
    one indexed lookup per job for its last run, one aggregate over the window."""
    now = now or utc_now()
    jobs = registry()
    last: dict[str, Any] = {}
    stats: dict[str, dict[str, int]] = {n: {} for n in jobs}
    with dbs.connect(CONSOLE_DATABASE) as conn:
        for name in jobs:
            row = conn.execute(select(JobRuns).where(JobRuns.job_name == name, JobRuns.outcome != "skipped_locked")
                               .order_by(JobRuns.started_at.desc(), JobRuns.run_id.desc()).limit(1)).first()
            if row is not None:
                last[name] = row
        for job_name, outcome, n in conn.execute(
                select(JobRuns.job_name, JobRuns.outcome, func.count())
                .where(JobRuns.started_at >= now - STATS_WINDOW)
                .group_by(JobRuns.job_name, JobRuns.outcome)):
            stats.setdefault(job_name, {})[outcome] = n
    rows = []
    for job in jobs.values():
        r = last.get(job.name)
        s = stats.get(job.name, {})
        done = s.get("success", 0) + s.get("failed", 0)
        next_due = (r.started_at + dt.timedelta(seconds=job.interval_seconds)) if r else None
        rows.append({
            "job_name": job.name, "daemon": job.daemon, "kind": job.kind, "description": job.description,
            "interval_seconds": job.interval_seconds,
            "last_run_id": r.run_id if r else None, "last_started_at": r.started_at if r else None,
            "last_finished_at": r.finished_at if r else None, "last_outcome": r.outcome if r else None,
            "last_error": r.error if r else None, "last_counts": r.counts if r else None,
            "next_due_at": (max(next_due, now) if next_due else now),
            "runs": sum(s.values()), "successes": s.get("success", 0), "failures": s.get("failed", 0),
            "skipped_locked": s.get("skipped_locked", 0),
            "success_rate_pct": round(100.0 * s.get("success", 0) / done, 1) if done else None,
        })
    return rows


def purge_history(dbs: Databases, now: dt.datetime, log_days: int, run_days: int,
                  batch: int = 20_000) -> dict[str, int]:
    """Delete daemon_log lines older than `log_days` and finished job runs older than `run_days`, at most
    `batch` rows of each per call (a long backlog goes over several calls)."""
    from sqlalchemy import delete

    counts = {}
    with dbs.begin(CONSOLE_DATABASE) as conn:
        old_logs = select(DaemonLog.log_id).where(DaemonLog.logged_at < now - dt.timedelta(days=log_days)) \
            .order_by(DaemonLog.log_id).limit(batch)
        ids = [i for (i,) in conn.execute(old_logs)]
        counts["log_lines_deleted"] = conn.execute(delete(DaemonLog).where(DaemonLog.log_id.in_(ids))).rowcount if ids else 0
        old_runs = select(JobRuns.run_id).where(JobRuns.started_at < now - dt.timedelta(days=run_days),
                                                JobRuns.outcome != "running").order_by(JobRuns.run_id).limit(batch)
        ids = [i for (i,) in conn.execute(old_runs)]
        counts["runs_deleted"] = conn.execute(delete(JobRuns).where(JobRuns.run_id.in_(ids))).rowcount if ids else 0
    return counts


# -- APScheduler ----------------------------------------------------------------------------------------


def build_scheduler(dbs: Databases, only: Iterable[str] | str | None = None,
                    clock: Callable[[], dt.datetime] = utc_now, simulate: bool = False, recover: bool = True):
    """A BackgroundScheduler (not started) with one interval job per selected registry entry; each
    fires first right after start, then every interval. At most one instance of a job runs in this
    process (max_instances=1) and missed firings are run once (coalesce). Runs left 'running' by a
    process that stopped are marked interrupted first (`recover_stale_runs`), unless `recover` is False."""
    from apscheduler.schedulers.background import BackgroundScheduler

    if recover:  # the caller may have done it already (run-daemons does, to say how many)
        try:
            recover_stale_runs(dbs)
        except Exception as exc:  # genims_console_db is not there (yet): the runs will say so
            log.warning("could not look for interrupted runs: %s", describe_error(exc))
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    first = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    for job in select_jobs(only, simulate):
        scheduler.add_job(run_job, "interval", seconds=job.interval_seconds, args=(dbs, job.name),
                          kwargs={"clock": clock}, id=job.name, name=job.description, max_instances=1,
                          coalesce=True, next_run_time=first, misfire_grace_time=job.interval_seconds)
    return scheduler
