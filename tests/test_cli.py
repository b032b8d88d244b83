"""The `genims` CLI on the embedded SQLite, run as a real subprocess: what works, and what it reports."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env
from sqlalchemy import insert

from genims_tui import __version__
from genims_tui.backend.databases import ALL_DATABASES, Databases
from genims_tui.backend.models import BASES
from genims_tui.config import load_settings


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return sqlite_env(tmp_path)


def initialised(env: dict[str, str]) -> dict[str, str]:
    result = run_cli("init", env=env)
    assert result.returncode == 0, describe(result)
    return env


def add_factories(env: dict[str, str], *factory_ids: str) -> None:
    dbs = Databases(load_settings(environ=env))
    try:
        table = BASES["genims_master_db"].metadata.tables["factories"]
        with dbs.begin("genims_master_db") as conn:
            conn.execute(insert(table), [{"factory_id": f, "factory_name": f"Plant {f}"} for f in factory_ids])
    finally:
        dbs.dispose()


ALL_TABLES = sum(len(base.metadata.tables) for base in BASES.values())  # 257 of the catalog + the console's


def sqlite_file(env: dict[str, str], database: str) -> Path:
    return Path(env["GENIMS_DATA_DIR"]) / f"{database}.sqlite"


# -- version ---------------------------------------------------------------------------------------


def test_python_m_version(env):
    result = run_cli("--version", env=env)
    assert result.returncode == 0, describe(result)
    assert result.stdout.strip() == f"genims {__version__}"


def test_console_script_version(env):
    script = Path(sys.executable).parent / "genims"
    assert script.exists(), "the `genims` console script is installed with the project"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, describe(result)
    assert result.stdout.strip() == f"genims {__version__}"


# -- init and check --------------------------------------------------------------------------------


def test_init_twice_then_check_passes(env):
    first = run_cli("init", env=env)
    assert first.returncode == 0, describe(first)
    assert f"Created {ALL_TABLES} table(s)" in first.stderr, describe(first)
    assert all(sqlite_file(env, db).exists() for db in ALL_DATABASES)

    second = run_cli("init", env=env)
    assert second.returncode == 0, describe(second)
    assert "Nothing to do" in second.stderr, describe(second)
    assert "created at" not in second.stderr

    as_json = run_cli("init", "--json", env=env)
    assert as_json.returncode == 0, describe(as_json)
    report = json_out(as_json)["databases"]
    assert [r["database"] for r in report] == list(ALL_DATABASES)
    assert sum(r["tables_created"] for r in report) == 0
    assert not any(r["created_database"] or r["created_schema"] for r in report)

    check = run_cli("check", env=env)
    assert check.returncode == 0, describe(check)
    assert "Checked 257 tables and 5,124 columns" in check.stderr
    assert "conforms to the catalog" in check.stderr
    assert check.stdout == ""

    check_json = run_cli("check", "--json", env=env)
    assert check_json.returncode == 0, describe(check_json)
    doc = json_out(check_json)
    assert (doc["ok"], doc["tables_checked"], doc["columns_checked"], doc["problems"]) == (True, 257, 5124, [])


def test_init_only_some_databases(env):
    result = run_cli("init", "--only", "master,genims_erp_db", "--json", env=env)
    assert result.returncode == 0, describe(result)
    assert [r["database"] for r in json_out(result)["databases"]] == ["genims_master_db", "genims_erp_db"]
    assert sqlite_file(env, "genims_erp_db").exists()
    assert not sqlite_file(env, "genims_wms_db").exists()


def test_check_lists_a_missing_column_and_a_missing_table(env):
    initialised(env)
    with sqlite3.connect(sqlite_file(env, "genims_master_db")) as conn:
        conn.execute("ALTER TABLE factories DROP COLUMN certification")
    with sqlite3.connect(sqlite_file(env, "genims_quality_db")) as conn:
        dropped = _drop_any_leaf_table(conn)

    result = run_cli("check", env=env)
    assert result.returncode == 1, describe(result)
    lines = result.stdout.splitlines()
    assert "genims_master_db.factories.certification: column missing" in lines
    assert f"genims_quality_db.{dropped}: table missing" in lines
    assert "problem(s)" in result.stderr

    as_json = run_cli("check", "--json", env=env)
    assert as_json.returncode == 1, describe(as_json)
    doc = json_out(as_json)
    assert doc["ok"] is False
    assert {"database": "genims_master_db", "table": "factories", "column": "certification",
            "problem": "column missing"} in doc["problems"]
    assert {"database": "genims_quality_db", "table": dropped, "column": None,
            "problem": "table missing"} in doc["problems"]


def _has_table(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def _drop_any_leaf_table(conn) -> str:
    """Drop a quality table that no other table references (so SQLite's foreign keys allow it)."""
    referenced = {
        row[2]
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        for row in conn.execute(f'PRAGMA foreign_key_list("{name}")')
    }
    names = sorted(
        n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'") if n not in referenced
    )
    conn.execute(f'DROP TABLE "{names[0]}"')
    return names[0]


def test_check_before_init_reports_and_creates_nothing(env):
    Path(env["GENIMS_DATA_DIR"]).mkdir()
    result = run_cli("check", "--json", env=env)
    assert result.returncode == 1, describe(result)
    problems = json_out(result)["problems"]
    assert len(problems) == 14
    assert all(p["problem"].startswith("database not created") for p in problems)
    assert list(Path(env["GENIMS_DATA_DIR"]).iterdir()) == [], "check must not leave empty database files"


# -- reset -----------------------------------------------------------------------------------------


def test_reset_without_yes_and_no_tty_refuses(env):
    initialised(env)
    add_factories(env, "F-KEEP")
    result = run_cli("init", "--reset", env=env)
    assert_usage_error(result, "--yes")
    with sqlite3.connect(sqlite_file(env, "genims_master_db")) as conn:
        assert conn.execute("SELECT factory_id FROM factories").fetchall() == [("F-KEEP",)]


def test_reset_yes_drops_and_recreates(env):
    initialised(env)
    add_factories(env, "F-GONE")
    result = run_cli("init", "--reset", "--yes", env=env)
    assert result.returncode == 0, describe(result)
    assert f"Reset and created {ALL_TABLES} table(s)" in result.stderr, describe(result)
    with sqlite3.connect(sqlite_file(env, "genims_master_db")) as conn:
        assert conn.execute("SELECT count(*) FROM factories").fetchone() == (0,)
    assert run_cli("check", env=env).returncode == 0


# -- db status ---------------------------------------------------------------------------------------


def test_db_status_json(env):
    initialised(env)
    add_factories(env, "F-1", "F-2", "F-3")
    result = run_cli("db", "status", "--json", env=env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert doc["ok"] is True
    rows = {r["database"]: r for r in doc["databases"]}
    assert list(rows) == list(ALL_DATABASES)
    assert rows["genims_master_db"]["rows"] == 3
    # Nothing else in the 14 catalog databases (genims_console_db holds the seed users and roles).
    assert sum(r["rows"] for db, r in rows.items() if db != "genims_console_db") == 3
    for db, r in rows.items():
        assert r["backend"] == "sqlite"
        assert r["tables_present"] == r["tables_expected"] == len(BASES[db].metadata.tables)
        assert r["location"] == str(sqlite_file(env, db))
        assert r["error"] is None
    assert sum(r["tables_expected"] for r in rows.values() if r["database"] != "genims_console_db") == 257


def test_db_status_before_init_exits_1(env):
    result = run_cli("db", "status", "--json", env=env)
    assert result.returncode == 1, describe(result)
    doc = json_out(result)
    assert doc["ok"] is False
    assert all(r["error"] and "genims init" in r["error"] for r in doc["databases"])


def test_db_status_table(env):
    initialised(env)
    result = run_cli("db", "status", env=env)
    assert result.returncode == 0, describe(result)
    assert "genims_master_db" in result.stdout and "10/10" in result.stdout


# -- sql ---------------------------------------------------------------------------------------------


def test_sql_query_formats(env):
    initialised(env)
    add_factories(env, "F-1", "F-2")
    q = "SELECT factory_id, factory_name FROM factories ORDER BY factory_id"
    as_json = run_cli("sql", q, "--format", "json", env=env)
    assert as_json.returncode == 0, describe(as_json)
    assert json_out(as_json) == {
        "columns": ["factory_id", "factory_name"],
        "rows": [["F-1", "Plant F-1"], ["F-2", "Plant F-2"]],
        "truncated": False,
    }
    as_csv = run_cli("sql", q, "-f", "csv", "--limit", "1", env=env)
    assert as_csv.returncode == 0, describe(as_csv)
    assert as_csv.stdout.splitlines() == ["factory_id,factory_name", "F-1,Plant F-1"]
    assert "stopped at 1 rows" in as_csv.stderr
    table = run_cli("sql", q, env=env)
    assert table.returncode == 0 and "Plant F-2" in table.stdout, describe(table)
    assert "2 row(s)" in table.stderr


def test_sql_joins_two_logical_databases_on_sqlite(env):
    initialised(env)
    add_factories(env, "F-1")
    dbs = Databases(load_settings(environ=env))
    try:
        scada = BASES["genims_operations_db"].metadata.tables["scada_machine_data"]
        with dbs.begin("genims_operations_db") as conn:
            conn.execute(insert(scada), [{"machine_id": "M-1", "factory_id": "F-1"}, {"machine_id": "M-2",
                                                                                       "factory_id": "F-9"}])
    finally:
        dbs.dispose()
    result = run_cli(
        "sql",
        "SELECT f.factory_name, s.machine_id FROM genims_master_db.factories f "
        "JOIN genims_operations_db.scada_machine_data s ON s.factory_id = f.factory_id",
        "-f",
        "json",
        env=env,
    )
    assert result.returncode == 0, describe(result)
    assert json_out(result)["rows"] == [["Plant F-1", "M-1"]]


@pytest.mark.parametrize(
    ("statement", "word"),
    [
        ("INSERT INTO factories (factory_id) VALUES ('F-X')", "INSERT"),
        ("DELETE FROM factories", "DELETE"),
        ("UPDATE factories SET factory_name = 'x'", "UPDATE"),
        ("DROP TABLE factories", "DROP"),
        ("  -- a comment first\n delete from factories", "DELETE"),
        ("SELECT 1; DELETE FROM factories", "one statement at a time"),
        ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE"),
        ("", "empty"),
    ],
)
def test_sql_refuses_anything_but_a_query(env, statement, word):
    initialised(env)
    add_factories(env, "F-1")
    assert_usage_error(run_cli("sql", statement, env=env), word)
    with sqlite3.connect(sqlite_file(env, "genims_master_db")) as conn:
        assert conn.execute("SELECT factory_id, factory_name FROM factories").fetchall() == [("F-1", "Plant F-1")]
        assert _has_table(conn, "factories")


def test_sql_a_semicolon_inside_a_literal_is_one_statement(env):
    initialised(env)
    result = run_cli("sql", "SELECT 'a;b' AS v;", "-f", "json", env=env)
    assert result.returncode == 0, describe(result)
    assert json_out(result)["rows"] == [["a;b"]]


def test_sql_prints_square_brackets_as_text(env):
    initialised(env)
    result = run_cli("sql", "SELECT '[red]x[/] [urls]' AS a", env=env)
    assert result.returncode == 0, describe(result)
    assert "[red]x[/] [urls]" in result.stdout


def test_sql_rejected_query_is_one_line(env):
    initialised(env)
    assert_usage_error(run_cli("sql", "SELECT nosuch FROM factories", env=env), "rejected the query", "nosuch")


def test_sql_before_init_says_run_init(env):
    Path(env["GENIMS_DATA_DIR"]).mkdir()
    assert_usage_error(run_cli("sql", "SELECT 1", env=env), "genims init")
    assert list(Path(env["GENIMS_DATA_DIR"]).iterdir()) == []


@pytest.mark.parametrize("bad", [["--format", "xml"], ["--limit", "-1"]])
def test_sql_bad_options(env, bad):
    initialised(env)
    assert_usage_error(run_cli("sql", "SELECT 1", *bad, env=env))


# -- config ------------------------------------------------------------------------------------------


def test_config_path(env):
    result = run_cli("config", "path", env=env)
    assert result.returncode == 0, describe(result)
    assert result.stdout == env["GENIMS_CONFIG"] + "\n"


def test_config_show_masks_secrets(env):
    env = {**env, "GENIMS_DATABASE_URL": "postgresql+psycopg://postgres:s3cr3t-pw@db.example:5432/"}
    Path(env["GENIMS_CONFIG"]).write_text('[urls]\nerp = "postgresql+psycopg://erp:erp-pw@erp.example/erp"\n')
    as_json = run_cli("config", "show", "--json", env=env)
    assert as_json.returncode == 0, describe(as_json)
    assert "s3cr3t-pw" not in as_json.stdout and "erp-pw" not in as_json.stdout
    doc = json_out(as_json)
    assert doc["config_file"] == env["GENIMS_CONFIG"]
    settings = {s["key"]: s for s in doc["settings"]}
    assert settings["database_url"]["value"] == "postgresql+psycopg://postgres:***@db.example:5432/"
    assert settings["database_url"]["source"] == "GENIMS_DATABASE_URL"
    assert settings["urls.erp"]["value"] == "postgresql+psycopg://erp:***@erp.example/erp"
    assert settings["urls.erp"]["source"] == env["GENIMS_CONFIG"]
    assert settings["data_dir"] == {
        "key": "data_dir", "value": env["GENIMS_DATA_DIR"], "source": "GENIMS_DATA_DIR", "env": "GENIMS_DATA_DIR"
    }
    assert settings["pg_layout"]["source"] == "default"

    table = run_cli("config", "show", env=env)
    assert table.returncode == 0, describe(table)
    assert "s3cr3t-pw" not in table.stdout and "***" in table.stdout


def test_config_file_and_env_precedence_through_the_cli(env):
    Path(env["GENIMS_CONFIG"]).write_text('pg_layout = "schemas"\n[console]\nrefresh_seconds = 2\n')
    env = {**env, "GENIMS_CONSOLE_REFRESH_SECONDS": "7.5"}
    result = run_cli("config", "show", "--json", env=env)
    assert result.returncode == 0, describe(result)
    settings = {s["key"]: s for s in json_out(result)["settings"]}
    assert (settings["pg_layout"]["value"], settings["pg_layout"]["source"]) == ("schemas", env["GENIMS_CONFIG"])
    assert settings["console.refresh_seconds"]["value"] == 7.5
    assert settings["console.refresh_seconds"]["source"] == "GENIMS_CONSOLE_REFRESH_SECONDS"
    assert settings["seed.seed"]["value"] == 42 and settings["seed.seed"]["source"] == "default"
