"""The `genims` command line: the console by default, and the commands that set up, check and query.

Conventions: every reporting command takes --json (one JSON document on stdout, nothing else there);
exit 0 when all is well, 1 when a check finds a problem, 2 for a usage or environment error.
Messages go to stderr, never a traceback unless --debug.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import logging
import os
import sys
import traceback
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__
from .backend.errors import GenimsError

app = typer.Typer(
    name="genims",
    help="GenIMS Console: the manufacturing estate's operations console and its tools.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The logical databases: status.", no_args_is_help=True)
config_app = typer.Typer(help="Settings: where they come from and what they are.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")

# No markup: what these print is data (paths, names, values, messages) and a `[...]` in it is text.
out = Console(markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)  # messages are one line each, never wrapped


class State:
    debug = False


def _json_default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, default=_json_default, indent=2) + "\n")


def print_error(message: str) -> None:
    """One line on stderr: `error: <message>`."""
    err.print(Text.assemble(("error:", "bold red"), " ", message), highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    print_error(message)
    return typer.Exit(code)


def open_dbs():
    from .backend.databases import Databases

    return Databases()


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"genims {__version__}", highlight=False)
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    user: Annotated[str | None, typer.Option("--user", help="Pre-fill the login e-mail.")] = None,
    no_daemons: Annotated[bool, typer.Option("--no-daemons", help="Do not run the automations in-process.")] = False,
) -> None:
    """Opens the console when no command is given."""
    State.debug = debug or State.debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr)
    if ctx.invoked_subcommand is None:
        run_console(user=user, no_daemons=no_daemons)


@app.command("tui")
def tui(
    user: Annotated[str | None, typer.Option("--user", help="Pre-fill the login e-mail.")] = None,
    no_daemons: Annotated[bool, typer.Option("--no-daemons", help="Do not run the automations in-process.")] = False,
) -> None:
    """Open the console (the same as plain `genims`)."""
    run_console(user=user, no_daemons=no_daemons)


def run_console(user: str | None = None, no_daemons: bool = False) -> None:
    dbs = open_dbs()
    first_run_setup(dbs)
    log_console_to_file(dbs.data_dir)
    from .app import GenimsApp  # textual is imported only when the console opens

    daemons = not no_daemons and bool(dbs.settings.get("console.daemons"))
    GenimsApp(dbs=dbs, user_email=user, daemons=daemons).run()
    dbs.dispose()


def log_console_to_file(data_dir) -> None:
    """While the console owns the terminal, log lines go to a file in the data directory, never to
    stderr (they would scribble over the screen). The jobs' lines also land in daemon_log."""
    from logging.handlers import RotatingFileHandler

    root_logger = logging.getLogger()
    for handler in list(root_logger.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            root_logger.removeHandler(handler)
    try:
        handler = RotatingFileHandler(data_dir / "genims-console.log", maxBytes=2_000_000, backupCount=2)
    except OSError:
        root_logger.addHandler(logging.NullHandler())
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if State.debug else logging.WARNING)
    root_logger.addHandler(handler)


def first_run_setup(dbs) -> None:
    """Create whatever databases are missing, so `genims` on an empty data dir just works."""
    from .backend.databases import ALL_DATABASES

    missing = [db for db in ALL_DATABASES if not dbs.exists(db)]
    if missing:
        err.print(f"First run: creating {len(missing)} database(s) in {_where(dbs)} ...", highlight=False)
        dbs.create(missing)
    ensure_seed_users(dbs)
    from .seeds.state import estate_is_empty

    if estate_is_empty(dbs):
        from .cli_seed import seed_with_progress

        scale = dbs.settings.get("console.first_run_seed_scale")
        err.print(f"First run: seeding a demo dataset (scale {scale}) ...", highlight=False)
        seed_with_progress(dbs, scale=scale, seed=dbs.settings.get("seed.seed"))


def _where(dbs) -> str:
    return str(dbs.data_dir) if dbs.default_backend == "sqlite" else "PostgreSQL"


@app.command()
def init(
    reset: Annotated[bool, typer.Option("--reset", help="Drop every table first (asks unless --yes).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before dropping.")] = False,
    only: Annotated[str | None, typer.Option("--only", help="Comma-separated databases (default: all 15).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    admin_password_stdin: Annotated[
        bool, typer.Option("--admin-password-stdin", help="Read the administrator's password from stdin.")
    ] = False,
    admin_password: Annotated[
        str | None,
        typer.Option("--admin-password", help="The administrator's password (prefer --admin-password-stdin)."),
    ] = None,
) -> None:
    """Create every missing database, schema and table and the seed users. Running it twice changes nothing."""
    from .backend.databases import ALL_DATABASES, resolve_name

    dbs = open_dbs()
    names = [resolve_name(n) for n in only.split(",") if n.strip()] if only else list(ALL_DATABASES)
    if reset:
        if not yes:
            if not sys.stdin.isatty():
                raise fail("--reset drops every table and its data; add --yes to confirm without a prompt.")
            typer.confirm(
                f"Drop every table of {len(names)} database(s) in {_where(dbs)}? All their data is lost.", abort=True
            )
        dbs.drop(names)
    report = dbs.create(names)
    if admin_password_stdin:
        admin_password = sys.stdin.readline().rstrip("\n")
    users_created = ensure_seed_users(dbs, admin_password) if "genims_console_db" in names else []
    if as_json:
        emit_json({"databases": report, "reset": reset, "users_created": users_created})
    else:
        created = sum(r["tables_created"] for r in report)
        for r in report:
            if r["tables_created"] or r["created_database"] or r["created_schema"]:
                err.print(f"  {r['database']}: {r['tables_created']} table(s) created at {r['location']}", highlight=False)
        err.print(
            f"{'Reset and created' if reset else 'Created'} {created} table(s); "
            f"{len(report)} database(s) ready in {_where(dbs)}." if created else
            f"Nothing to do: all {len(report)} database(s) are complete in {_where(dbs)}.",
            highlight=False,
        )
        if users_created:
            err.print(
                f"Created {len(users_created)} seed user(s) (e.g. plant_manager@genims.com). Their first-run password "
                "is the setting access.first_run_password (see README); each must change it at first login.",
                highlight=False,
            )
    dbs.dispose()


def ensure_seed_users(dbs, admin_password: str | None = None) -> list[str]:
    from .backend.access import AccessStore

    return AccessStore(dbs).ensure_seed_users(dbs.settings.get("access.first_run_password"), admin_password)


# Each command group lives in its own module and imports its services only when a command runs,
# so `genims --version` and the console start fast.
from . import (  # noqa: E402
    cli_access,
    cli_business,
    cli_health,
    cli_jobs,
    cli_maintenance,
    cli_planning,
    cli_production,
    cli_quality,
    cli_sales,
    cli_seed,
    cli_warehouse,
)

for _group in (cli_seed, cli_access, cli_business, cli_quality, cli_maintenance, cli_sales, cli_warehouse,
               cli_production, cli_planning, cli_jobs, cli_health):
    _group.register(app, lambda: open_dbs(), emit_json)


@db_app.command("status")
def db_status(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """One row per logical database: backend, location, tables present / expected, rows."""
    dbs = open_dbs()
    rows = dbs.status()
    dbs.dispose()
    problem = any(r["error"] or r["tables_present"] != r["tables_expected"] for r in rows)
    if as_json:
        emit_json({"databases": rows, "ok": not problem})
    else:
        table = Table(title="GenIMS logical databases")
        for col in ("database", "backend", "location", "tables", "rows", "note"):
            table.add_column(col, justify="right" if col in ("tables", "rows") else "left")
        for r in rows:
            table.add_row(
                r["database"],
                r["backend"],
                r["location"],
                f"{r['tables_present']}/{r['tables_expected']}",
                f"{r['rows']:,}",
                r["error"] or "",
            )
        out.print(table)
    raise typer.Exit(1 if problem else 0)


@app.command()
def check(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Catalog conformance (every table and column, compatible types) and dangling references."""
    from .backend.check import check_conformance, check_references

    dbs = open_dbs()
    try:
        report = check_conformance(dbs)
        # References are only meaningful on a conforming schema.
        refs = check_references(dbs) if report.ok else None
    finally:
        dbs.dispose()
    ok = report.ok and refs is not None and not refs.dangling
    if as_json:
        emit_json(
            {
                "ok": ok,
                "tables_checked": report.tables_checked,
                "columns_checked": report.columns_checked,
                "problems": [p.as_dict() for p in report.problems],
                "references_checked": refs.references_checked if refs else 0,
                "dangling_references": refs.dangling_values if refs else None,
                "dangling": [d.as_dict() for d in refs.dangling] if refs else [],
            }
        )
    else:
        for p in report.problems:
            where = ".".join(part for part in (p.database, p.table, p.column) if part)
            out.print(f"{where}: {p.problem}", highlight=False)
        verdict = "conforms to the catalog" if report.ok else f"has {len(report.problems)} problem(s)"
        err.print(
            f"Checked {report.tables_checked} tables and {report.columns_checked:,} columns: the estate {verdict}.",
            highlight=False,
        )
        if refs is not None:
            for d in refs.dangling:
                out.print(
                    f"{d.database}.{d.table}.{d.column} -> {d.references}: {d.dangling_values} dangling "
                    f"value(s), e.g. {', '.join(d.examples)}",
                    highlight=False,
                )
            err.print(
                f"Dangling references: {refs.dangling_values} (checked {refs.references_checked} references).",
                highlight=False,
            )
    raise typer.Exit(0 if ok else 1)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One read-only query (SELECT, WITH, VALUES, EXPLAIN).")],
    db: Annotated[str | None, typer.Option("--db", help="Logical database to run it in.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="Most rows to print (0: no limit).")] = 1000,
) -> None:
    """Run a read-only query; anything but a query is refused."""
    from .backend.readonly_sql import run_query

    if fmt not in ("table", "json", "csv"):
        raise fail(f"--format is {fmt!r}; use table, json or csv.")
    if limit < 0:
        raise fail("--limit must be 0 (no limit) or more.")
    dbs = open_dbs()
    try:
        result = run_query(dbs, query, database=db, limit=limit or None)
    finally:
        dbs.dispose()
    if fmt == "json":
        emit_json({"columns": result.columns, "rows": [list(r) for r in result.rows], "truncated": result.truncated})
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")  # Unix lines, not RFC 4180 CRLF
        writer.writerow(result.columns)
        writer.writerows([_json_default(v) if v is not None and not isinstance(v, (int, float, str)) else v for v in r]
                         for r in result.rows)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(show_lines=False)
        for c in result.columns:
            table.add_column(c)
        for r in result.rows:
            table.add_row(*["" if v is None else str(v) for v in r])
        out.print(table)
        err.print(f"{len(result.rows)} row(s)", highlight=False)
    if result.truncated:
        err.print(f"(stopped at {limit} rows; use --limit 0 for all)", highlight=False)


@config_app.command("show")
def config_show(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Every setting, its effective value (secrets masked) and where it came from."""
    from .config import config_path, describe, load_settings

    settings = load_settings()
    rows = describe(settings)
    if as_json:
        emit_json({"config_file": str(config_path()), "settings": rows})
        return
    table = Table(title=f"Settings (file: {config_path()})")
    for col in ("key", "value", "source", "env"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["key"], str(r["value"]), r["source"], r["env"])
    out.print(table)


@config_app.command("path")
def config_path_cmd() -> None:
    """Print the config file's path (it need not exist)."""
    from .config import config_path

    sys.stdout.write(f"{config_path()}\n")


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and turns every known error into one line and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    State.debug = "--debug" in args or os.environ.get("GENIMS_DEBUG") == "1"
    try:
        app(args=args, prog_name="genims", standalone_mode=True)
    except GenimsError as exc:
        if State.debug:
            traceback.print_exc()
        print_error(exc.message + (f" {exc.hint}" if exc.hint else ""))
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # the last guard: no traceback reaches a user without --debug
        if State.debug:
            traceback.print_exc()
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        print_error(f"unexpected {type(exc).__name__}: {first_line} (run with --debug for details)")
        sys.exit(2)


if __name__ == "__main__":
    main()
