"""Shared fixtures: real SQLite files in a temp dir, and a real PostgreSQL when one is reachable.

PostgreSQL comes from GENIMS_TEST_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
Tests marked `pg` skip when it is unreachable, unless GENIMS_REQUIRE_PG=1 (CI), which makes them fail.
Each PostgreSQL fixture gets its own database names (a unique prefix, or a unique database for the
`schemas` layout) and drops them afterwards, so test runs never touch a developer's estate.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from genims_tui.backend.databases import Databases
from genims_tui.config import load_settings

# CI runs every property test on the same, fixed examples (no flaky red from a lucky draw, and no
# example database carried between runs); locally hypothesis explores new examples each run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

PG_URL = os.environ.get("GENIMS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("GENIMS_REQUIRE_PG") == "1"


def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means "not reachable" for the purpose of skipping
        return str(exc).splitlines()[0]


_PG_PROBLEM: str | None | bool = False  # False: not probed yet


def require_pg() -> None:
    global _PG_PROBLEM
    if _PG_PROBLEM is False:
        _PG_PROBLEM = _pg_reachable()
    if _PG_PROBLEM:
        if REQUIRE_PG:
            pytest.fail(f"GENIMS_REQUIRE_PG=1 but PostgreSQL is unreachable at {PG_URL}: {_PG_PROBLEM}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {_PG_PROBLEM}")


def _admin_engine():
    return create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _drop_pg_databases(like: str) -> None:
    admin = _admin_engine()
    with admin.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": like})]
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def sqlite_env(tmp_path) -> dict[str, str]:
    return {"GENIMS_DATA_DIR": str(tmp_path / "data"), "GENIMS_CONFIG": str(tmp_path / "config.toml")}


def pg_env(layout: str, tag: str, tmp_path) -> dict[str, str]:
    base = make_url(PG_URL)
    env = {"GENIMS_CONFIG": str(tmp_path / "config.toml"), "GENIMS_PG_LAYOUT": layout}
    if layout == "schemas":
        env["GENIMS_DATABASE_URL"] = base.set(database=f"gtest_{tag}").render_as_string(hide_password=False)
    else:
        env["GENIMS_DATABASE_URL"] = base.set(database=None).render_as_string(hide_password=False)
        env["GENIMS_PG_DATABASE_PREFIX"] = f"gtest_{tag}_"
    return env


@pytest.fixture
def sqlite_dbs(tmp_path) -> Iterator[Databases]:
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    yield dbs
    dbs.dispose()


@pytest.fixture(params=["databases", "schemas"])
def pg_dbs(request, tmp_path) -> Iterator[Databases]:
    """A PostgreSQL estate in each layout, dropped afterwards."""
    require_pg()
    tag = uuid.uuid4().hex[:8]
    dbs = Databases(load_settings(environ=pg_env(request.param, tag, tmp_path)))
    try:
        yield dbs
    finally:
        dbs.dispose()
        _drop_pg_databases(f"gtest_{tag}%")


@pytest.fixture(params=["sqlite", "pg-databases", "pg-schemas"])
def any_dbs(request, tmp_path) -> Iterator[Databases]:
    """The same test on SQLite and on PostgreSQL in both layouts."""
    if request.param == "sqlite":
        dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
        yield dbs
        dbs.dispose()
        return
    require_pg()
    tag = uuid.uuid4().hex[:8]
    dbs = Databases(load_settings(environ=pg_env(request.param.removeprefix("pg-"), tag, tmp_path)))
    try:
        yield dbs
    finally:
        dbs.dispose()
        _drop_pg_databases(f"gtest_{tag}%")


# -- the console on a seeded estate ------------------------------------------------------------------

CONSOLE_AS_OF = __import__("datetime").datetime(2026, 6, 1, 12, 0)


@pytest.fixture(scope="session")
def console_estate(tmp_path_factory) -> Iterator[Databases]:
    """A small seeded SQLite estate shared by the console tests that only read (snapshots, navigation).
    Tests that write use `console_estate_copy`."""
    from genims_tui.backend.access import AccessStore
    from genims_tui.seeds.runner import run_seed

    root = tmp_path_factory.mktemp("console-estate")
    dbs = Databases(load_settings(environ=sqlite_env(root)))
    run_seed(dbs, scale=0.02, seed=3, as_of=CONSOLE_AS_OF)
    AccessStore(dbs).ensure_seed_users("genims-first-run")
    dbs.dispose()
    yield Databases(load_settings(environ=sqlite_env(root)))


@pytest.fixture
def console_estate_copy(console_estate, tmp_path) -> Iterator[Databases]:
    """A private copy of the seeded console estate (SQLite files copied), for tests that write."""
    import shutil

    console_estate.dispose()
    shutil.copytree(console_estate.data_dir, tmp_path / "data")
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    yield dbs
    dbs.dispose()
