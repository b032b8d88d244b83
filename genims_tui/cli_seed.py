"""`genims seed` and the first-run demo seed: progress bars per database, a summary table."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .backend.errors import ConfigError

# The seed generators (and Faker) load only when a seed runs: every other command starts faster.

err = Console(stderr=True)


class RowsPerSecondColumn(TextColumn):
    def __init__(self) -> None:
        super().__init__("")

    def render(self, task):  # type: ignore[override]
        speed = task.finished_speed or task.speed
        return f"{speed:>10,.0f} rows/s" if speed else " " * 17


class ProgressObserver:
    """One bar per logical database: rows loaded and rows/s (the runner's SeedObserver protocol)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def database_started(self, database: str, expected_rows: int) -> None:
        self.tasks[database] = self.progress.add_task(database, total=max(expected_rows, 1))

    def rows_loaded(self, database: str, table: str, rows: int) -> None:
        task = self.tasks[database]
        total = self.progress.tasks[task].total or 0
        self.progress.update(task, completed=rows, total=max(total, rows), description=f"{database} [dim]{table}[/]")

    def database_finished(self, report) -> None:
        self.progress.update(
            self.tasks[report.database], completed=report.rows, total=max(report.rows, 1), description=report.database
        )


def seed_with_progress(dbs, console: Console = err, **kwargs):
    from .seeds.runner import run_seed

    progress = Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        RowsPerSecondColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    with progress:
        return run_seed(dbs, observer=ProgressObserver(progress), **kwargs)


def summary_table(report) -> Table:
    table = Table(title=f"Seeded with --seed {report.seed} --scale {report.scale} (as of {report.as_of:%Y-%m-%d %H:%M} UTC)")
    for col in ("database", "rows", "seconds", "rows/s"):
        table.add_column(col, justify="left" if col == "database" else "right")
    for d in report.databases:
        table.add_row(d.database, f"{d.rows:,}", f"{d.seconds:.2f}", f"{d.rows_per_second:,.0f}")
    rate = report.rows / report.seconds if report.seconds else 0
    table.add_row("[b]total[/]", f"[b]{report.rows:,}[/]", f"[b]{report.seconds:.2f}[/]", f"[b]{rate:,.0f}[/]")
    return table


def parse_as_of(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--as-of {value!r} is not a date or date-time.", "Use e.g. 2026-11-20 or 2026-11-20T08:00.") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    @app.command()
    def seed(
        scale: Annotated[float | None, typer.Option("--scale", help="Volume multiplier (default 1.0).")] = None,
        seed_value: Annotated[int | None, typer.Option("--seed", help="Random seed (default 42).")] = None,
        only: Annotated[str | None, typer.Option("--only", help="Comma-separated databases (default: all 14).")] = None,
        reset: Annotated[bool, typer.Option("--reset", help="Drop and recreate the tables first.")] = False,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="The history's 'now' (UTC; default: the start of this hour).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document (no progress bars).")] = False,
    ) -> None:
        """Fill the logical databases with a coherent, deterministic history."""
        kwargs = dict(scale=scale, seed=seed_value, only=only, reset=reset, as_of=parse_as_of(as_of))
        dbs = open_dbs()
        try:
            if as_json:
                from .seeds.runner import run_seed

                emit_json(run_seed(dbs, **kwargs).as_dict())
            else:
                err.print(summary_table(seed_with_progress(dbs, **kwargs)))
        except KeyboardInterrupt:
            err.print(
                "Interrupted: the databases finished before it are complete and the one being loaded was "
                "rolled back untouched. Run the same `genims seed` again to finish.",
                highlight=False,
            )
            raise typer.Exit(130) from None
        finally:
            dbs.dispose()
