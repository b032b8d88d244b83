"""`genims jobs ...` and `genims run-daemons`: the automations from the command line.

    genims jobs list [--json]                  every job: schedule, last run, outcome, next due, success rate
    genims jobs run NAME [--json]              run one job now (exit 0 on success, 1 otherwise)
    genims run-daemons [--once] [--simulate] [--only J,...]
                                               run the automations (and with --simulate the simulators):
                                               each selected job once (--once), or on their schedules
                                               until SIGINT / SIGTERM

Jobs act as the system user; each run leaves a job_runs record and its log lines in daemon_log.
`jobs list` and `run-daemons` first mark the runs left 'running' by a process that stopped (killed,
crashed, host rebooted) as failed, "interrupted: ..."; `jobs list` shows them as "interrupted".
An unknown job name is a usage error (exit 2, one line naming the jobs).
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

out = Console(markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)

jobs_app = typer.Typer(help="The automations (daemon jobs): schedules, history, run one now.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _when(value: dt.datetime | None) -> str:
    return f"{value:%m-%d %H:%M}" if value else ""


def _every(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def _outcome(outcome: str | None, error: str | None) -> str:
    from .backend.scheduler import INTERRUPTED

    if outcome == "failed" and (error or "").startswith(INTERRUPTED):
        return INTERRUPTED
    return outcome or "never"


def _recover(dbs) -> int | None:
    """Mark the runs a stopped process left 'running'; say so on stderr. None when it could not look."""
    from .backend.scheduler import describe_error, recover_stale_runs

    try:
        marked = recover_stale_runs(dbs)
    except Exception as exc:  # genims_console_db is not there: the runs themselves report it too
        err.print(f"warning: could not look for interrupted runs: {describe_error(exc)}")
        return None
    if marked:
        err.print(f"Marked {marked} run(s) left 'running' by a process that stopped as failed (interrupted).")
    return marked


def _print_runs(results) -> None:
    table = Table(title="Job runs")
    for col in ("job", "run", "outcome", "rows touched", "counts / error"):
        table.add_column(col, justify="right" if col in ("run", "rows touched") else "left")
    for r in results:
        detail = r.error or ", ".join(f"{k} {v}" for k, v in r.counts.items())
        table.add_row(r.job_name, str(r.run_id or ""), r.outcome, str(r.rows_touched), detail)
    out.print(table)


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(jobs_app, name="jobs")

    @jobs_app.command("list")
    def jobs_list(as_json: JsonOpt = False) -> None:
        """Every job with its schedule, last run and outcome, when it is next due and its success rate."""
        from .backend.scheduler import job_overview

        dbs = open_dbs()
        try:
            dbs.create(["genims_console_db"])
            recovered = _recover(dbs)
            rows = job_overview(dbs)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"jobs": rows, "interrupted_runs_marked": recovered})
            return
        table = Table(title="Jobs (times UTC)", box=box.SIMPLE)
        table.add_column("job", no_wrap=True)
        for col in ("every", "last run", "outcome", "next due", "ok %", "runs"):
            table.add_column(col, justify="right" if col in ("ok %", "runs") else "left",
                             min_width=len("skipped_locked") if col == "outcome" else None)
        for r in rows:
            rate = f"{r['success_rate_pct']:.1f}" if r["success_rate_pct"] is not None else ""
            table.add_row(r["job_name"], _every(r["interval_seconds"]), _when(r["last_started_at"]),
                          _outcome(r["last_outcome"], r["last_error"]), _when(r["next_due_at"]), rate, str(r["runs"]))
        out.print(table)

    @jobs_app.command("run")
    def jobs_run(name: Annotated[str, typer.Argument(help="The job's name (see `genims jobs list`).")],
                 as_json: JsonOpt = False) -> None:
        """Run one job now, whatever its schedule (exit 0 when it succeeded, 1 otherwise)."""
        from .backend.scheduler import get_job, run_job

        get_job(name)  # an unknown name is a usage error before anything is opened
        dbs = open_dbs()
        try:
            result = run_job(dbs, name)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"run": result.as_dict()})
        else:
            _print_runs([result])
        raise typer.Exit(0 if result.outcome == "success" else 1)

    @app.command("run-daemons")
    def run_daemons(
        once: Annotated[bool, typer.Option("--once", help="Run each selected job once and exit.")] = False,
        only: Annotated[str | None, typer.Option("--only", help="Comma-separated job names (default: all automations).")] = None,
        simulate: Annotated[bool, typer.Option("--simulate", help="Also run the simulators (synthetic plant and market activity).")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="With --once: print one JSON document.")] = False,
    ) -> None:
        """Run the automations on their schedules until SIGINT / SIGTERM (a running job finishes first);
        with --once, each selected job once (exit 0 when none failed, 1 otherwise)."""
        from .backend.scheduler import build_scheduler, run_all_once, select_jobs

        jobs = select_jobs(only, simulate)  # unknown names: a usage error
        dbs = open_dbs()
        try:
            _recover(dbs)
            if once:
                results = run_all_once(dbs, [j.name for j in jobs])
                # another process running a job (skipped_locked) is how two daemons share work, not a failure
                ok = all(r.outcome in ("success", "skipped_locked") for r in results)
                if as_json:
                    emit_json({"runs": [r.as_dict() for r in results], "ok": ok})
                else:
                    _print_runs(results)
                raise typer.Exit(0 if ok else 1)
            stop = threading.Event()

            def on_signal(signum, _frame) -> None:
                stop.set()

            previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
            scheduler = build_scheduler(dbs, [j.name for j in jobs], recover=False)
            scheduler.start()
            err.print(f"Running {len(jobs)} job(s): {', '.join(j.name for j in jobs)}. Stop with Ctrl-C.")
            try:
                while not stop.wait(0.5):
                    pass
            finally:
                err.print("Stopping: waiting for running jobs to finish ...")
                scheduler.shutdown(wait=True)
                for s, handler in previous.items():
                    signal.signal(s, handler)
            err.print("Stopped.")
        finally:
            dbs.dispose()
