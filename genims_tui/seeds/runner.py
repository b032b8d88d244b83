"""`genims seed`: generate every logical database's history in dependency order and load it.

Each selected database is loaded in its own transaction (complete or untouched); databases that are
only needed as inputs (e.g. master for `--only erp`) are generated in memory with the same seed and
scale, so their keys line up with what is already loaded, and are not written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType

from sqlalchemy import delete, insert

from ..backend.databases import Databases, resolve_name
from ..backend.errors import ConfigError
from ..backend.models.console import SeedState
from .framework import SeedContext, TableStream
from .loader import LoadResult, expected_rows, load_database
from .state import estate_is_empty, seed_states

__all__ = ["ORDER", "estate_is_empty", "run_seed", "seed_states"]

# Generation order: a generator reads only databases before it.
ORDER: tuple[str, ...] = (
    "genims_master_db",
    "genims_hr_db",
    "genims_erp_db",
    "genims_operations_db",
    "genims_manufacturing_db",
    "genims_wms_db",
    "genims_maintenance_db",
    "genims_erp_wms_sync_db",
    "genims_tms_db",
    "genims_crm_db",
    "genims_service_db",
    "genims_quality_db",
    "genims_supplier_db",
    "genims_financial_db",
)
MODULES = {db: db.removeprefix("genims_").removesuffix("_db") for db in ORDER}


@dataclass
class DatabaseSeedReport:
    database: str
    rows: int
    seconds: float
    generate_seconds: float
    checksum: str
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class SeedReport:
    seed: int
    scale: float
    as_of: dt.datetime
    databases: list[DatabaseSeedReport]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(d.rows for d in self.databases)

    @property
    def checksum(self) -> str:
        h = hashlib.sha256()
        for d in sorted(self.databases, key=lambda d: d.database):
            h.update(f"{d.database}:{d.checksum}".encode())
        return h.hexdigest()

    def as_dict(self) -> dict:
        return {
            "seed": self.seed,
            "scale": self.scale,
            "as_of": self.as_of.isoformat(),
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows / self.seconds) if self.seconds else None,
            "checksum": self.checksum,
            "databases": [
                {
                    "database": d.database,
                    "rows": d.rows,
                    "seconds": round(d.seconds, 3),
                    "generate_seconds": round(d.generate_seconds, 3),
                    "rows_per_second": round(d.rows_per_second),
                    "checksum": d.checksum,
                    "tables": d.tables,
                }
                for d in self.databases
            ],
        }


class SeedObserver:
    """Progress callbacks; the CLI draws bars, tests ignore them."""

    def database_started(self, database: str, expected_rows: int) -> None: ...
    def rows_loaded(self, database: str, table: str, rows: int) -> None: ...
    def database_finished(self, report: DatabaseSeedReport) -> None: ...


def default_as_of(now: dt.datetime | None = None) -> dt.datetime:
    """The seed's "now": the start of the current UTC hour (same seed within the hour, same data)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return now.replace(minute=0, second=0, microsecond=0)


def generator(database: str) -> ModuleType:
    return importlib.import_module(f"genims_tui.seeds.{MODULES[database]}")


def needed(selected: Iterable[str]) -> list[str]:
    """The selected databases plus every database they read from, in ORDER."""
    want = set(selected)
    changed = True
    while changed:
        changed = False
        for db in list(want):
            for dep in getattr(generator(db), "DEPENDS", ()):
                if dep not in want:
                    want.add(dep)
                    changed = True
    return [db for db in ORDER if db in want]


def parse_only(only: str | Iterable[str] | None) -> list[str]:
    if not only:
        return list(ORDER)
    names = only.split(",") if isinstance(only, str) else list(only)
    chosen = {resolve_name(n) for n in names if n.strip()}
    if "genims_console_db" in chosen:
        raise ConfigError("genims_console_db holds the product's own tables; it is not seeded.")
    return [db for db in ORDER if db in chosen]


DEFAULT_SEED = 42
DEFAULT_SCALE = 1.0


def run_seed(
    dbs: Databases,
    scale: float | None = None,
    seed: int | None = None,
    only: str | Iterable[str] | None = None,
    reset: bool = False,
    as_of: dt.datetime | None = None,
    observer: SeedObserver | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SeedReport:
    """Seed the selected databases. Unset seed/scale/as_of default to 42 / 1.0 / this hour, except
    in a partial run (`only`), where they follow what the input databases were seeded with."""
    observer = observer or SeedObserver()
    selected = parse_only(only)
    started = clock()
    dbs.create([*selected, "genims_console_db"])
    inputs = [db for db in needed(selected) if db not in selected]
    seed, scale, as_of = _settle_parameters(dbs, inputs, seed, scale, as_of)
    if scale <= 0:
        raise ConfigError(f"--scale must be above 0 (got {scale}).")
    if reset:
        dbs.drop(selected)
        dbs.create(selected)
    ctx = SeedContext(seed=seed, scale=scale, as_of=as_of)
    reports: list[DatabaseSeedReport] = []
    for database in needed(selected):
        gen_started = clock()
        wall_started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        tables = generator(database).generate(ctx)
        ctx.data[database] = {name: rows for name, rows in tables.items() if not isinstance(rows, TableStream)}
        generate_seconds = clock() - gen_started
        if database not in selected:
            continue
        observer.database_started(database, expected_rows(tables))
        result: LoadResult = load_database(
            dbs, database, tables, progress=lambda table, n, db=database: observer.rows_loaded(db, table, n)
        )
        report = DatabaseSeedReport(
            database=database,
            rows=result.rows,
            seconds=clock() - gen_started,
            generate_seconds=generate_seconds,
            checksum=result.checksum,
            tables=result.tables,
        )
        _mark(
            dbs, database, "complete", seed, scale, as_of,
            rows=result.rows, checksum=result.checksum, started_at=wall_started,
        )
        observer.database_finished(report)
        reports.append(report)
    return SeedReport(seed=seed, scale=scale, as_of=as_of, databases=reports, seconds=clock() - started)


def _settle_parameters(
    dbs: Databases, inputs: list[str], seed: int | None, scale: float | None, as_of: dt.datetime | None
) -> tuple[int, float, dt.datetime]:
    """Make a partial run line up with the databases it reads but does not rewrite."""
    states = seed_states(dbs) if inputs else {}
    loaded = {(s["seed"], s["scale"], s["as_of"]) for db, s in states.items() if db in inputs}
    if len(loaded) == 1:
        prev_seed, prev_scale, prev_as_of = next(iter(loaded))
        seed = prev_seed if seed is None else seed
        scale = float(prev_scale) if scale is None else scale
        as_of = prev_as_of if as_of is None else as_of
        if (seed, float(scale), as_of) != (prev_seed, float(prev_scale), prev_as_of):
            raise ConfigError(
                f"{', '.join(inputs)} were seeded with --seed {prev_seed} --scale {prev_scale} "
                f"--as-of {prev_as_of:%Y-%m-%dT%H:%M}; a partial seed with other values would not line up with them.",
                "Leave those options out, or seed all databases together.",
            )
    elif len(loaded) > 1:
        raise ConfigError(
            f"The databases this run reads ({', '.join(inputs)}) were seeded with different parameters.",
            "Seed them all together: genims seed (without --only).",
        )
    seed = DEFAULT_SEED if seed is None else seed
    scale = DEFAULT_SCALE if scale is None else scale
    return seed, scale, as_of or default_as_of()


def _mark(
    dbs: Databases,
    database: str,
    status: str,
    seed: int,
    scale: float,
    as_of: dt.datetime,
    rows: int | None = None,
    checksum: str | None = None,
    started_at: dt.datetime | None = None,
) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with dbs.begin("genims_console_db") as conn:
        conn.execute(delete(SeedState).where(SeedState.database_name == database))
        conn.execute(
            insert(SeedState).values(
                database_name=database,
                status=status,
                seed=seed,
                scale=repr(scale),
                as_of=as_of,
                row_count=rows,
                checksum=checksum,
                started_at=started_at,
                finished_at=now,
            )
        )
