"""`genims health`: the daemons' health checks (seed 002's "Health Check Dashboard").

    genims health [--json] [--at TIME]

One row per check: its daemon, metric, value, the threshold it fails at, and its status. Exit 0 when
every check passes, 1 when any fails (a check whose database could not be read fails too), 2 when
no database could be read at all (nothing is printed on stdout then). `--at` evaluates the checks
as of another moment (UTC), e.g. the `--as-of` of a seeded estate.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

out = Console(markup=False)


def _value(check) -> str:
    if check.value is None:
        return "n/a"
    return f"{check.value} %" if check.unit == "%" else str(check.value)


def _status(check) -> Text:
    if not check.available:
        return Text("UNKNOWN", style="bold yellow")
    return Text("ok", style="green") if check.ok else Text("FAIL", style="bold red")


def _parse_at(value: str | None) -> dt.datetime | None:
    from .backend.errors import ConfigError

    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--at {value!r} is not a date or date-time.", "Use e.g. 2026-11-20T08:00 (UTC).") from None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    @app.command()
    def health(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
        at: Annotated[str | None, typer.Option("--at", help="Evaluate as of this UTC time (default: now).")] = None,
        details: Annotated[bool, typer.Option("--details", help="Add how each value was computed.")] = False,
    ) -> None:
        """The daemons' health checks: exit 0 when all pass, 1 when any fails, 2 when no database can be read."""
        from .backend.errors import DatabaseUnavailable
        from .backend.health import evaluate_health
        from .backend.services.base import utc_now
        now = _parse_at(at) or utc_now()
        dbs = open_dbs()
        try:
            checks = evaluate_health(dbs, now)
        finally:
            dbs.dispose()
        if checks and not any(c.available for c in checks):
            raise DatabaseUnavailable(f"No health check could be computed: {checks[0].detail.removeprefix('Could not be computed: ')}")
        ok = all(c.ok for c in checks)
        if as_json:
            emit_json({"at": now, "checks": [c.as_dict() for c in checks], "ok": ok})
        else:
            table = Table(title=f"Daemon health at {now:%Y-%m-%d %H:%M} UTC", box=box.SIMPLE, pad_edge=False, collapse_padding=True, show_edge=False)
            for col in ("daemon", "check", "value", "fails at", "status"):
                table.add_column(col, justify="right" if col == "value" else "left", no_wrap=True)
            for c in checks:
                table.add_row(c.daemon, c.metric, _value(c), c.rule, _status(c))
            out.print(table)
            if details:
                for c in checks:
                    out.print(f"{c.key}: {c.detail}", highlight=False)
            failing = [c.key for c in checks if not c.ok]
            typer.echo(f"{len(checks) - len(failing)} of {len(checks)} checks pass"
                       + (f"; failing: {', '.join(failing)}." if failing else "."), err=True)
        raise typer.Exit(0 if ok else 1)
