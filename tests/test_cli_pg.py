"""The `genims` CLI on a real PostgreSQL, in both layouts, run as a subprocess."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import _drop_pg_databases, pg_env, require_pg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from genims_tui.backend.databases import ALL_DATABASES, Databases
from genims_tui.backend.models import BASES
from genims_tui.config import load_settings

pytestmark = pytest.mark.pg

ALL_TABLES = sum(len(base.metadata.tables) for base in BASES.values())


@pytest.fixture(params=["databases", "schemas"])
def env(request, tmp_path) -> Iterator[dict[str, str]]:
    """The env of a PostgreSQL estate of its own, with a password in the URL (the server trusts, so any
    password is accepted: it is there to prove it never shows)."""
    require_pg()
    tag = uuid.uuid4().hex[:8]
    env = pg_env(request.param, tag, tmp_path)
    url = make_url(env["GENIMS_DATABASE_URL"]).set(password="s3cr3t")
    env["GENIMS_DATABASE_URL"] = url.render_as_string(hide_password=False)
    try:
        yield env
    finally:
        _drop_pg_databases(f"gtest_{tag}%")


def open_dbs(env: dict[str, str]) -> Databases:
    return Databases(load_settings(environ=env))


def test_init_check_status_reset(env):
    layout = env["GENIMS_PG_LAYOUT"]
    first = run_cli("init", env=env)
    assert first.returncode == 0, describe(first)
    assert f"Created {ALL_TABLES} table(s)" in first.stderr
    assert "s3cr3t" not in first.stderr

    second = run_cli("init", "--json", env=env)
    assert second.returncode == 0, describe(second)
    report = json_out(second)["databases"]
    assert sum(r["tables_created"] for r in report) == 0
    assert not any(r["created_database"] or r["created_schema"] for r in report)

    check = run_cli("check", "--json", env=env)
    assert check.returncode == 0, describe(check)
    doc = json_out(check)
    assert (doc["ok"], doc["tables_checked"], doc["columns_checked"], doc["problems"]) == (True, 257, 5124, [])

    dbs = open_dbs(env)
    try:
        factories = BASES["genims_master_db"].metadata.tables["factories"]
        with dbs.begin("genims_master_db") as conn:
            conn.execute(insert(factories), [{"factory_id": "F-1"}, {"factory_id": "F-2"}])
    finally:
        dbs.dispose()

    status = run_cli("db", "status", "--json", env=env)
    assert status.returncode == 0, describe(status)
    assert "s3cr3t" not in status.stdout
    rows = {r["database"]: r for r in json_out(status)["databases"]}
    assert list(rows) == list(ALL_DATABASES)
    assert rows["genims_master_db"]["rows"] == 2
    for db, r in rows.items():
        assert r["backend"] == "postgresql"
        assert r["tables_present"] == r["tables_expected"]
        assert "postgres:***@127.0.0.1" in r["location"]
        if layout == "schemas":
            assert r["location"].endswith(f"schema {db}")
        else:
            assert r["location"].endswith(f"_{db}")

    # A data-modifying CTE passes the first guard (it starts with WITH) and is stopped by the
    # read-only transaction.
    cte = run_cli(
        "sql", "WITH gone AS (DELETE FROM factories RETURNING factory_id) SELECT * FROM gone", "--db", "master", env=env
    )
    assert_usage_error(cte, "Refused", "read-only transaction")
    assert_usage_error(run_cli("sql", "DELETE FROM factories", env=env), "DELETE is refused")
    assert_usage_error(run_cli("sql", "SELECT 1; SELECT 2", env=env), "one statement")
    still = run_cli("sql", "SELECT count(*) AS n FROM factories", "-f", "json", env=env)
    assert still.returncode == 0, describe(still)
    assert json_out(still)["rows"] == [[2]]

    refused = run_cli("init", "--reset", env=env)
    assert_usage_error(refused, "--yes")
    reset = run_cli("init", "--reset", "--yes", env=env)
    assert reset.returncode == 0, describe(reset)
    after = run_cli("sql", "SELECT count(*) FROM factories", "-f", "json", env=env)
    assert json_out(after)["rows"] == [[0]], describe(after)


def test_check_lists_a_missing_column_and_table(env):
    assert run_cli("init", "--only", "master,quality", env=env).returncode == 0
    dbs = open_dbs(env)
    try:
        with dbs.begin("genims_master_db") as conn:
            conn.execute(text("ALTER TABLE factories DROP COLUMN certification"))
        with dbs.begin("genims_quality_db") as conn:
            conn.execute(text("DROP TABLE spc_control_charts CASCADE"))
    finally:
        dbs.dispose()
    result = run_cli("check", "--json", env=env)
    assert result.returncode == 1, describe(result)
    problems = json_out(result)["problems"]
    assert {"database": "genims_master_db", "table": "factories", "column": "certification",
            "problem": "column missing"} in problems
    assert {"database": "genims_quality_db", "table": "spc_control_charts", "column": None,
            "problem": "table missing"} in problems
    # The 12 databases never created are reported, once each.
    assert sum(p["problem"].startswith("database not created") for p in problems) == 12

    listing = run_cli("check", env=env)
    assert listing.returncode == 1
    assert "genims_master_db.factories.certification: column missing" in listing.stdout.splitlines()


def test_sql_joins_two_logical_databases_in_the_schemas_layout(env):
    if env["GENIMS_PG_LAYOUT"] != "schemas":
        result = run_cli("init", "--only", "master", env=env)
        assert result.returncode == 0, describe(result)
        # In the `databases` layout the same join cannot work; the message says which layout can.
        joined = run_cli("sql", "SELECT * FROM genims_master_db.factories", env=env)
        assert_usage_error(joined, "GENIMS_PG_LAYOUT=schemas")
        return
    assert run_cli("init", "--only", "master,operations", env=env).returncode == 0
    dbs = open_dbs(env)
    at = dt.datetime(2026, 1, 5, 8, 0)
    try:
        factories = BASES["genims_master_db"].metadata.tables["factories"]
        scada = BASES["genims_operations_db"].metadata.tables["scada_machine_data"]
        with dbs.begin("genims_master_db") as conn:
            conn.execute(
                insert(factories),
                [{"factory_id": "F-1", "factory_name": "Pune"}, {"factory_id": "F-2", "factory_name": "Ohio"}],
            )
        with dbs.begin("genims_operations_db") as conn:
            conn.execute(
                insert(scada),
                [
                    {"machine_id": "M-1", "factory_id": "F-1", "timestamp": at, "machine_state": "running"},
                    {"machine_id": "M-2", "factory_id": "F-1", "timestamp": at, "machine_state": "faulted"},
                    {"machine_id": "M-3", "factory_id": "F-2", "timestamp": at, "machine_state": "running"},
                    {"machine_id": "M-4", "factory_id": "F-9", "timestamp": at, "machine_state": "idle"},
                ],
            )
    finally:
        dbs.dispose()
    query = (
        "SELECT f.factory_name, count(*) AS readings, "
        "sum(CASE WHEN s.machine_state = 'running' THEN 1 ELSE 0 END) AS running "
        "FROM genims_master_db.factories f "
        "JOIN genims_operations_db.scada_machine_data s ON s.factory_id = f.factory_id "
        "GROUP BY f.factory_name ORDER BY f.factory_name"
    )
    result = run_cli("sql", query, "-f", "json", env=env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert doc["columns"] == ["factory_name", "readings", "running"]
    assert doc["rows"] == [["Ohio", 1, 1], ["Pune", 2, 1]]
    # The home database is the first one named; unqualified names resolve there.
    home = run_cli("sql", "SELECT count(*) FROM scada_machine_data", "--db", "operations", "-f", "json", env=env)
    assert json_out(home)["rows"] == [[4]], describe(home)
