"""The 14 logical databases (plus genims_console_db): where each lives, engines, create and drop.

Embedded default: one SQLite file per logical database in the data directory (WAL, foreign keys on,
a busy timeout). PostgreSQL: GENIMS_DATABASE_URL with the layout `databases` (one PostgreSQL
database each) or `schemas` (one database, one schema each, so cross-database joins work in SQL).
GENIMS_<NAME>_URL moves one logical database anywhere else.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event, func, inspect, literal, select, text, union_all
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..config import SHORT_NAMES, Settings, load_settings, mask_secrets
from .errors import ConfigError, DatabaseUnavailable, UnknownDatabase
from .models import BASES

log = logging.getLogger(__name__)

CONSOLE_DATABASE = "genims_console_db"
# The 14 logical databases of the catalog, in the seeds' order.
LOGICAL_DATABASES: tuple[str, ...] = tuple(name for name in SHORT_NAMES.values() if name != CONSOLE_DATABASE)
ALL_DATABASES: tuple[str, ...] = (*LOGICAL_DATABASES, CONSOLE_DATABASE)
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10  # an unreachable host fails in seconds, not after the OS gives up


def resolve_name(name: str) -> str:
    """'erp', 'ERP', 'genims_erp_db' -> 'genims_erp_db'; anything else is an UnknownDatabase."""
    key = name.strip().lower()
    if key in ALL_DATABASES:
        return key
    if key in SHORT_NAMES:
        return SHORT_NAMES[key]
    if key.startswith("genims_") and key.endswith("_db") and key[7:-3] in SHORT_NAMES:
        return SHORT_NAMES[key[7:-3]]
    raise UnknownDatabase(
        f"There is no logical database called {name!r}.",
        f"Use one of: {', '.join(SHORT_NAMES)} (or the full names, e.g. genims_erp_db).",
    )


def short_name(database: str) -> str:
    return database.removeprefix("genims_").removesuffix("_db")


@dataclass(frozen=True)
class Target:
    """Where one logical database lives."""

    database: str
    backend: str  # "sqlite" or "postgresql"
    url: URL
    schema: str | None = None  # set in the PostgreSQL `schemas` layout

    @property
    def location(self) -> str:
        """The location for people: file path or URL, never with a password."""
        if self.backend == "sqlite":
            return self.url.database or ":memory:"
        shown = mask_secrets(self.url.render_as_string(hide_password=False))
        return f"{shown} schema {self.schema}" if self.schema else shown


def _parse_url(raw: str, setting: str) -> URL:
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise ConfigError(
            f"{setting} is not a database URL: {mask_secrets(raw)!r}.",
            "Use postgresql+psycopg://user@host:5432/ (or sqlite:///path/file.sqlite for one database).",
        ) from exc
    if url.get_backend_name() == "postgres":  # the libpq spelling; SQLAlchemy only knows postgresql
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        raise ConfigError(
            f"{setting} uses {url.get_backend_name()!r}; GenIMS runs on PostgreSQL or SQLite.",
            "Use postgresql+psycopg://user@host:5432/.",
        )
    if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def explain_connection_error(target: Target, exc: BaseException) -> DatabaseUnavailable:
    """Turn a driver error into one line a person can act on."""
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    if target.backend == "sqlite":
        folder = Path(target.url.database or ".").parent
        return DatabaseUnavailable(
            f"Cannot open {target.database} at {target.location}: {detail}.",
            f"Check that {folder} exists and is writable, or set GENIMS_DATA_DIR to a writable directory.",
        )
    host = f"{target.url.host or 'localhost'}:{target.url.port or 5432}"
    lowered = detail.lower()
    if "does not exist" in lowered and "database" in lowered:
        hint = "Run `genims init` to create it."
    elif "password" in lowered or "authentication" in lowered:
        hint = "Check the user and password in GENIMS_DATABASE_URL."
    else:
        hint = "Is PostgreSQL running there? Check GENIMS_DATABASE_URL (or unset it to use the embedded SQLite)."
    return DatabaseUnavailable(f"Cannot reach PostgreSQL at {host} for {target.database}: {detail}.", hint)


def expected_table_names(database: str) -> set[str]:
    """The tables a logical database must have: from the catalog for the 14 (cheap: no models are
    mapped, which keeps start-up fast), from the console models for genims_console_db."""
    if database == CONSOLE_DATABASE:
        return set(BASES[database].metadata.tables)
    from .catalog import load_catalog

    return set(load_catalog()[database])


class Databases:
    """Resolves, opens and creates the logical databases of one configuration.

    Engines are created lazily and cached; `dispose()` closes them all.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()
        self._base_url: URL | None = None
        if self.settings.database_url:
            self._base_url = _parse_url(self.settings.database_url, "GENIMS_DATABASE_URL")
            if self._base_url.get_backend_name() != "postgresql":
                raise ConfigError(
                    "GENIMS_DATABASE_URL must be a PostgreSQL URL; SQLite is the default when it is unset.",
                    "Use postgresql+psycopg://user@host:5432/ or unset it.",
                )
        self._overrides = {
            db: _parse_url(raw, f"GENIMS_{short_name(db).upper()}_URL")
            for db, raw in self.settings.database_urls.items()
        }

    # -- where things live -------------------------------------------------------------------

    @property
    def default_backend(self) -> str:
        return "postgresql" if self._base_url is not None else "sqlite"

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def target(self, database: str) -> Target:
        database = resolve_name(database)
        if database in self._overrides:
            url = self._overrides[database]
            return Target(database, url.get_backend_name(), url)
        if self._base_url is None:
            path = self.data_dir / f"{database}.sqlite"
            return Target(database, "sqlite", URL.create("sqlite", database=str(path)))
        if self.settings.pg_layout == "schemas":
            return Target(database, "postgresql", self._schemas_url(), schema=database)
        prefix = self.settings.get("pg_database_prefix")
        return Target(database, "postgresql", self._base_url.set(database=f"{prefix}{database}"))

    def _schemas_url(self) -> URL:
        assert self._base_url is not None
        return self._base_url if self._base_url.database else self._base_url.set(database="genims")

    def targets(self, databases: Iterable[str] | None = None) -> list[Target]:
        return [self.target(db) for db in (databases or ALL_DATABASES)]

    # -- engines ------------------------------------------------------------------------------

    def engine(self, database: str) -> Engine:
        database = resolve_name(database)
        with self._lock:
            if database not in self._engines:
                self._engines[database] = self._make_engine(self.target(database))
            return self._engines[database]

    def _make_engine(self, target: Target) -> Engine:
        if target.backend == "sqlite":
            engine = create_engine(
                target.url,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        pg_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        if target.schema is None:
            return create_engine(
                target.url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=pg_args
            )
        # `schemas` layout: the logical database's schema comes first on the search path, so plain
        # table names (ORM, Core and hand-written SQL alike) resolve to it, while schema-qualified
        # names still reach the other logical databases for cross-database joins.
        return create_engine(
            target.url,
            pool_pre_ping=True,
            pool_size=2,
            max_overflow=6,
            connect_args={**pg_args, "options": f"-c search_path={target.schema},public"},
        )

    @contextmanager
    def connect(self, database: str) -> Iterator:
        """A connection, with driver errors turned into DatabaseUnavailable.

        An embedded database that was never created is refused rather than opened: opening it would
        leave an empty SQLite file behind that looks like a database.
        """
        target = self.target(database)
        if target.backend == "sqlite" and not self._sqlite_file_exists(target):
            raise DatabaseUnavailable(
                f"{target.database} has not been created yet (no file at {target.location}).",
                "Run `genims init`.",
            )
        try:
            conn = self.engine(database).connect()
        except (OperationalError, OSError) as exc:
            raise explain_connection_error(target, exc) from exc
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def begin(self, database: str) -> Iterator:
        """A connection inside one transaction: committed on success, rolled back on error."""
        with self.connect(database) as conn:
            with conn.begin():
                yield conn

    def session(self, database: str) -> Session:
        return sessionmaker(bind=self.engine(database), expire_on_commit=False)()

    def dispose(self) -> None:
        with self._lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    # -- create / drop -----------------------------------------------------------------------

    def _ensure_data_dir(self) -> None:
        folder = self.data_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Cannot create the data directory {folder}: {exc.strerror}.",
                "Set GENIMS_DATA_DIR to a writable directory.",
            ) from exc
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DatabaseUnavailable(
                f"The data directory {folder} is not writable.",
                "Fix its permissions or set GENIMS_DATA_DIR to a writable directory.",
            )

    def _admin_engine(self, url: URL) -> Engine:
        return create_engine(
            url.set(database="postgres"),
            isolation_level="AUTOCOMMIT",
            pool_pre_ping=False,
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
        )

    def _ensure_pg_database(self, target: Target) -> bool:
        """Create the PostgreSQL database of `target` if missing; True when created."""
        name = target.url.database
        admin = self._admin_engine(target.url)
        try:
            with admin.connect() as conn:
                exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
                if exists:
                    return False
                quoted = conn.dialect.identifier_preparer.quote(name)
                conn.execute(text(f"CREATE DATABASE {quoted}"))
                return True
        except (OperationalError, OSError) as exc:
            raise explain_connection_error(target, exc) from exc
        except SQLAlchemyError as exc:
            if "already exists" in str(exc):  # created by a concurrent init
                return False
            raise
        finally:
            admin.dispose()

    def create(self, databases: Iterable[str] | None = None) -> list[dict]:
        """Create every missing database, schema and table. Safe to run twice: returns what it made."""
        report = []
        for target in self.targets(databases):
            created_db = False
            if target.backend == "sqlite":
                folder = Path(target.url.database).parent
                if target.database not in self._overrides:
                    self._ensure_data_dir()
                elif not folder.exists():
                    raise DatabaseUnavailable(f"The folder {folder} of {target.database} does not exist.")
                created_db = not Path(target.url.database).exists()
            else:
                created_db = self._ensure_pg_database(target)
            metadata: MetaData = BASES[target.database].metadata
            try:
                with self.engine(target.database).begin() as conn:
                    created_schema = False
                    if target.schema:
                        quoted = conn.dialect.identifier_preparer.quote(target.schema)
                        if not conn.dialect.has_schema(conn, target.schema):
                            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {quoted}"))
                            created_schema = True
                    present = set(inspect(conn).get_table_names(schema=target.schema))
                    missing = [t for t in metadata.sorted_tables if t.name not in present]
                    metadata.create_all(conn, tables=missing, checkfirst=True)
            except (OperationalError, OSError) as exc:
                raise explain_connection_error(target, exc) from exc
            report.append(
                {
                    "database": target.database,
                    "backend": target.backend,
                    "location": target.location,
                    "created_database": created_db,
                    "created_schema": created_schema,
                    "tables_created": len(missing),
                }
            )
        return report

    def drop(self, databases: Iterable[str] | None = None) -> None:
        """Drop every table of the given logical databases (their files, databases and schemas stay)."""
        for target in self.targets(databases):
            if target.backend == "sqlite" and not Path(target.url.database).exists():
                continue
            if target.backend == "postgresql" and not self._pg_database_exists(target):
                continue
            metadata = BASES[target.database].metadata
            try:
                with self.engine(target.database).begin() as conn:
                    if target.backend == "sqlite":
                        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    if target.schema and not conn.dialect.has_schema(conn, target.schema):
                        continue
                    metadata.drop_all(conn, checkfirst=True)
            except (OperationalError, OSError) as exc:
                raise explain_connection_error(target, exc) from exc

    def _pg_database_exists(self, target: Target) -> bool:
        admin = self._admin_engine(target.url)
        try:
            with admin.connect() as conn:
                return bool(
                    conn.execute(
                        text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.url.database}
                    ).first()
                )
        except (OperationalError, OSError) as exc:
            raise explain_connection_error(target, exc) from exc
        finally:
            admin.dispose()

    @staticmethod
    def _sqlite_file_exists(target: Target) -> bool:
        path = target.url.database
        return not path or path == ":memory:" or Path(path).exists()

    def is_created(self, database: str) -> bool:
        """True when the database's file, PostgreSQL database or schema exists (tables or not)."""
        target = self.target(database)
        if target.backend == "sqlite":
            return self._sqlite_file_exists(target)
        if not self._pg_database_exists(target):
            return False
        if target.schema is None:
            return True
        with self.connect(database) as conn:
            return bool(conn.dialect.has_schema(conn, target.schema))

    def exists(self, database: str) -> bool:
        """True when the database (file, PostgreSQL database or schema) is there with its tables."""
        target = self.target(database)
        if target.backend == "sqlite" and not Path(target.url.database).exists():
            return False
        if target.backend == "postgresql" and not self._pg_database_exists(target):
            return False
        with self.connect(database) as conn:
            present = set(inspect(conn).get_table_names(schema=target.schema))
        return expected_table_names(target.database) <= present

    # -- status ---------------------------------------------------------------------------------

    def status(self, databases: Iterable[str] | None = None) -> list[dict]:
        """One row per logical database: backend, location, tables present/expected, rows."""
        rows = []
        for target in self.targets(databases):
            expected = BASES[target.database].metadata.tables
            row = {
                "database": target.database,
                "backend": target.backend,
                "location": target.location,
                "tables_present": 0,
                "tables_expected": len(expected),
                "rows": 0,
                "error": None,
            }
            # A server that cannot be reached at all is raised, not reported per database.
            if not self.is_created(target.database):  # no file, database or (schemas layout) schema
                row["error"] = "not created (run `genims init`)"
            else:
                with self.connect(target.database) as conn:
                    present = set(inspect(conn).get_table_names(schema=target.schema))
                    tables = [t for t in expected.values() if t.name in present]
                    row["tables_present"] = len(tables)
                    row["rows"] = count_rows(conn, tables)
            rows.append(row)
        return rows


def table_row_counts(conn, tables) -> dict[str, int]:
    """Rows per table, a few round trips (compiled statements, so the schemas layout maps names)."""
    tables = list(tables)
    counts: dict[str, int] = {}
    # Chunks keep statements small; SQLite caps compound SELECTs at 500 terms.
    for start in range(0, len(tables), 100):
        chunk = tables[start : start + 100]
        selects = [
            select(literal(t.name).label("t"), func.count().label("n")).select_from(t) for t in chunk
        ]
        for name, n in conn.execute(union_all(*selects)):
            counts[name] = n
    return counts


def count_rows(conn, tables) -> int:
    """Total rows of `tables`."""
    return sum(table_row_counts(conn, tables).values())


def open_databases(settings: Settings | None = None) -> Databases:
    """A Databases for the current configuration (explicit settings win)."""
    return Databases(settings)


__all__ = [
    "ALL_DATABASES",
    "CONSOLE_DATABASE",
    "LOGICAL_DATABASES",
    "Databases",
    "Target",
    "count_rows",
    "open_databases",
    "resolve_name",
    "short_name",
]
