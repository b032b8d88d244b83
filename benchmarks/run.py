"""GenIMS benchmarks: one JSON document of figures on stdout, progress on stderr.

    uv run python benchmarks/run.py                      # every benchmark
    uv run python benchmarks/run.py --only init_seconds_sqlite,init_seconds_pg
    uv run python benchmarks/run.py --list               # the names, one a line

Each benchmark is a function registered under the name of the figure it produces. It returns a
number (the figure) or a dict with "value" and any detail worth keeping ("note", "runs", ...).
A benchmark that cannot run here (no PostgreSQL) gives a null figure with a note: never a crash.

PostgreSQL comes from GENIMS_BENCH_PG_URL, else GENIMS_TEST_PG_URL, else
postgresql+psycopg://postgres@127.0.0.1:5432/postgres. Benchmarks make their own uniquely named
databases and drop them afterwards; they never touch a configured estate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from genims_tui import __version__  # noqa: E402
from genims_tui.backend.databases import ALL_DATABASES, Databases  # noqa: E402
from genims_tui.config import load_settings, mask_secrets  # noqa: E402

PG_URL = os.environ.get(
    "GENIMS_BENCH_PG_URL",
    os.environ.get("GENIMS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)

Figure = float | int | dict[str, Any] | None
BENCHMARKS: dict[str, Callable[[], Figure]] = {}


def benchmark(name: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a benchmark under the name of its figure. Later issues add theirs the same way."""

    def register(fn: Callable[[], Figure]) -> Callable[[], Figure]:
        if name in BENCHMARKS:
            raise ValueError(f"benchmark {name!r} is registered twice")
        BENCHMARKS[name] = fn
        return fn

    return register


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Unavailable(Exception):
    """The benchmark cannot run here; the figure is null and the message becomes its note."""


# -- estates to measure on ---------------------------------------------------------------------------


@contextmanager
def sqlite_estate() -> Iterator[Databases]:
    """A fresh, empty SQLite data dir, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="genims-bench-"))
    env = {"GENIMS_DATA_DIR": str(folder / "data"), "GENIMS_CONFIG": str(folder / "config.toml")}
    dbs = Databases(load_settings(environ=env))
    try:
        yield dbs
    finally:
        dbs.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def pg_problem() -> str | None:
    """None when the benchmark PostgreSQL answers, else why not."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
        return None
    except Exception as exc:  # any failure means "no PostgreSQL here"
        return f"PostgreSQL unreachable at {mask_secrets(PG_URL)}: {str(exc).splitlines()[0] if str(exc) else exc}"


def _drop_pg_databases(like: str) -> None:
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                                {"p": like})]
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def pg_estate(layout: str) -> Iterator[Databases]:
    """Fresh, uniquely named PostgreSQL databases in `layout`, dropped afterwards."""
    problem = pg_problem()
    if problem:
        raise Unavailable(problem)
    tag = f"gbench_{uuid.uuid4().hex[:8]}"
    base = make_url(PG_URL)
    env = {"GENIMS_CONFIG": os.devnull, "GENIMS_PG_LAYOUT": layout}
    if layout == "schemas":
        env["GENIMS_DATABASE_URL"] = base.set(database=tag).render_as_string(hide_password=False)
    else:
        env["GENIMS_DATABASE_URL"] = base.set(database=None).render_as_string(hide_password=False)
        env["GENIMS_PG_DATABASE_PREFIX"] = f"{tag}_"
    dbs = Databases(load_settings(environ=env))
    try:
        yield dbs
    finally:
        dbs.dispose()
        _drop_pg_databases(f"{tag}%")


def timed_create(dbs: Databases) -> dict[str, Any]:
    started = time.perf_counter()
    report = dbs.create()
    seconds = time.perf_counter() - started
    return {
        "value": round(seconds, 3),
        "databases": len(report),
        "tables_created": sum(r["tables_created"] for r in report),
    }


# -- the benchmarks ----------------------------------------------------------------------------------


@benchmark("init_seconds_sqlite")
def init_seconds_sqlite() -> Figure:
    """Databases.create() of all 15 logical databases on a fresh SQLite data dir."""
    with sqlite_estate() as dbs:
        return timed_create(dbs)


@benchmark("init_seconds_pg")
def init_seconds_pg() -> Figure:
    """Databases.create() of all 15 in the PostgreSQL `databases` layout (15 CREATE DATABASE included)."""
    with pg_estate("databases") as dbs:
        return timed_create(dbs)


@benchmark("init_seconds_pg_schemas")
def init_seconds_pg_schemas() -> Figure:
    """Databases.create() of all 15 in the PostgreSQL `schemas` layout (one database, 15 schemas)."""
    with pg_estate("schemas") as dbs:
        return timed_create(dbs)


# -- seeding (genims seed) ---------------------------------------------------------------------------

SEED_AS_OF = "2026-11-20T08:00"
BIG_SCALE = float(os.environ.get("GENIMS_BENCH_BIG_SCALE", "5.25"))
_seed_runs: dict[tuple[str, float], dict[str, Any]] = {}


def seed_run(backend: str, scale: float) -> dict[str, Any]:
    """One full `genims seed` of all 14 databases on a fresh estate (cached: several figures share it)."""
    import datetime as dt

    from genims_tui.seeds.runner import run_seed

    key = (backend, scale)
    if key not in _seed_runs:
        estate = sqlite_estate() if backend == "sqlite" else pg_estate(backend.removeprefix("pg-"))
        with estate as dbs:
            dbs.create()
            started = time.perf_counter()
            report = run_seed(dbs, scale=scale, seed=42, as_of=dt.datetime.fromisoformat(SEED_AS_OF))
            seconds = time.perf_counter() - started
        _seed_runs[key] = {
            "seconds": round(seconds, 2),
            "rows": report.rows,
            "rows_per_s": round(report.rows / seconds),
            "per_database": {d.database: {"rows": d.rows, "seconds": round(d.seconds, 2)} for d in report.databases},
        }
    return _seed_runs[key]


@benchmark("seed_seconds_sqlite")
def seed_seconds_sqlite() -> Figure:
    """genims seed --scale 1 into a fresh SQLite estate (target: 30 s or less)."""
    run = seed_run("sqlite", 1.0)
    return {"value": run["seconds"], "rows": run["rows"], "per_database": run["per_database"]}


@benchmark("seed_rows")
def seed_rows() -> Figure:
    """Rows written by genims seed --scale 1 (target: at least 700,000)."""
    return seed_run("sqlite", 1.0)["rows"]


@benchmark("seed_rows_per_s")
def seed_rows_per_s() -> Figure:
    """Rows per second of genims seed --scale 1 on SQLite, generation included."""
    return seed_run("sqlite", 1.0)["rows_per_s"]


@benchmark("seed_seconds_pg")
def seed_seconds_pg() -> Figure:
    """genims seed --scale 1 into fresh PostgreSQL databases, COPY (target: 30 s or less)."""
    run = seed_run("pg-databases", 1.0)
    return {"value": run["seconds"], "rows": run["rows"], "rows_per_s": run["rows_per_s"]}


@benchmark("seed_big_seconds")
def seed_big_seconds() -> Figure:
    """genims seed at a scale that yields 3.6 million rows or more, on SQLite (target: 150 s or less)."""
    run = seed_run("sqlite", BIG_SCALE)
    return {"value": run["seconds"], "scale": BIG_SCALE, "rows": run["rows"], "rows_per_s": run["rows_per_s"]}


@benchmark("seed_big_rows")
def seed_big_rows() -> Figure:
    """Rows of the big seed (target: 3.6 million or more)."""
    return {"value": seed_run("sqlite", BIG_SCALE)["rows"], "scale": BIG_SCALE}


# -- running them --------------------------------------------------------------------------------------


def run(names: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    details: dict[str, Any] = {}
    for name in names:
        progress(f"{name} ...")
        started = time.perf_counter()
        try:
            result = BENCHMARKS[name]()
        except Unavailable as exc:
            figures[name], notes[name] = None, str(exc)
            progress(f"{name}: skipped ({exc})")
            continue
        except Exception as exc:  # one failing benchmark must not lose the others' figures
            figures[name], notes[name] = None, f"failed: {type(exc).__name__}: {exc}"
            progress(f"{name}: FAILED ({type(exc).__name__}: {exc})")
            continue
        if isinstance(result, dict):
            figures[name] = result.get("value")
            extra = {k: v for k, v in result.items() if k not in ("value", "note")}
            if extra:
                details[name] = extra
            if result.get("note"):
                notes[name] = result["note"]
        else:
            figures[name] = result
        progress(f"{name}: {figures[name]} ({time.perf_counter() - started:.1f}s)")
    return {
        "genims_version": __version__,
        "python": platform.python_version(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "figures": figures,
        "details": details,
        "notes": notes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--list", action="store_true", help="print the benchmark names and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name in BENCHMARKS:
            print(name)
        return 0
    names = list(BENCHMARKS)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            print(f"error: unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(BENCHMARKS)}.",
                  file=sys.stderr)
            return 2
    document = run(names)
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
