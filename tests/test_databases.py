"""Databases and read-only SQL in-process: names, URLs, create/drop/status, and the query guards."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from genims_tui.backend.databases import ALL_DATABASES, LOGICAL_DATABASES, Databases, resolve_name
from genims_tui.backend.errors import ConfigError, DatabaseUnavailable, ReadOnlyViolation, UnknownDatabase
from genims_tui.backend.models import BASES
from genims_tui.backend.readonly_sql import QueryError, referenced_databases, run_query, validate_read_only
from genims_tui.config import load_settings


def test_fifteen_databases():
    assert len(LOGICAL_DATABASES) == 14
    assert ALL_DATABASES[-1] == "genims_console_db" and len(ALL_DATABASES) == 15
    assert set(BASES) == set(ALL_DATABASES)
    assert sum(len(BASES[db].metadata.tables) for db in LOGICAL_DATABASES) == 257


@pytest.mark.parametrize("name", ["erp", "ERP", " genims_erp_db ", "GENIMS_ERP_DB"])
def test_resolve_name(name):
    assert resolve_name(name) == "genims_erp_db"


@pytest.mark.parametrize("name", ["nosuch", "genims_nosuch_db", "", "erp_db"])
def test_resolve_unknown_name(name):
    with pytest.raises(UnknownDatabase):
        resolve_name(name)


def dbs_with(tmp_path, **env) -> Databases:
    return Databases(load_settings(environ={"GENIMS_CONFIG": str(tmp_path / "c.toml"), **env}))


@pytest.mark.parametrize(
    "url", ["postgres://u@h/", "postgresql://u@h/", "postgresql+psycopg2://u@h/", "postgresql+psycopg://u@h/"]
)
def test_postgresql_urls_use_psycopg3(tmp_path, url):
    dbs = dbs_with(tmp_path, GENIMS_DATABASE_URL=url)
    assert dbs.default_backend == "postgresql"
    assert dbs.target("erp").url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nonsense", "not a database URL"),
        ("postgresql://u@h:port/", "not a database URL"),
        ("mysql://u@h/", "'mysql'"),
        ("sqlite:///x.sqlite", "must be a PostgreSQL URL"),
    ],
)
def test_bad_database_url(tmp_path, url, fragment):
    with pytest.raises(ConfigError) as info:
        dbs_with(tmp_path, GENIMS_DATABASE_URL=url)
    assert fragment in info.value.message


def test_layouts_and_locations(tmp_path):
    dbs = dbs_with(tmp_path, GENIMS_DATABASE_URL="postgresql://u:pw@h:5433/", GENIMS_PG_DATABASE_PREFIX="t_")
    target = dbs.target("wms")
    assert (target.url.database, target.schema) == ("t_genims_wms_db", None)
    assert target.location == "postgresql+psycopg://u:***@h:5433/t_genims_wms_db"
    schemas = dbs_with(tmp_path, GENIMS_DATABASE_URL="postgresql://u@h/", GENIMS_PG_LAYOUT="schemas")
    t = schemas.target("wms")
    assert (t.url.database, t.schema) == ("genims", "genims_wms_db")
    assert t.location.endswith("/genims schema genims_wms_db")
    # A per-database URL moves one database elsewhere.
    moved = dbs_with(tmp_path, GENIMS_DATA_DIR=str(tmp_path), GENIMS_HR_URL=f"sqlite:///{tmp_path}/hr.sqlite")
    assert moved.target("hr").location == f"{tmp_path}/hr.sqlite"
    assert moved.target("erp").location == f"{tmp_path}/genims_erp_db.sqlite"


def test_a_never_created_sqlite_database_is_not_opened(sqlite_dbs):
    with pytest.raises(DatabaseUnavailable, match="genims init"):
        with sqlite_dbs.connect("erp"):
            pass
    assert not sqlite_dbs.is_created("erp")
    assert not (sqlite_dbs.data_dir / "genims_erp_db.sqlite").exists()


def test_create_drop_status(any_dbs):
    rows = {r["database"]: r for r in any_dbs.status()}
    assert all(r["error"] == "not created (run `genims init`)" for r in rows.values())
    # With one database created, the others still say so (in the schemas layout: the database
    # exists now, their schemas do not).
    any_dbs.create(["master"])
    erp = any_dbs.status(["erp"])[0]
    assert (erp["error"], erp["tables_present"]) == ("not created (run `genims init`)", 0)
    assert not any_dbs.is_created("erp") and any_dbs.is_created("master")

    report = any_dbs.create()
    assert [r["database"] for r in report] == list(ALL_DATABASES)
    assert all(any_dbs.exists(db) and any_dbs.is_created(db) for db in ALL_DATABASES)
    factories = BASES["genims_master_db"].metadata.tables["factories"]
    with any_dbs.begin("master") as conn:
        conn.execute(insert(factories), [{"factory_id": "F-1"}])
    rows = {r["database"]: r for r in any_dbs.status()}
    assert rows["genims_master_db"]["rows"] == 1
    assert all(r["tables_present"] == r["tables_expected"] and r["error"] is None for r in rows.values())

    any_dbs.drop(["master"])
    assert not any_dbs.exists("master") and any_dbs.is_created("master")
    assert any_dbs.exists("erp")
    again = {r["database"]: r for r in any_dbs.create(["master"])}
    assert again["genims_master_db"]["tables_created"] == 10
    assert {r["database"]: r for r in any_dbs.status(["master"])}["genims_master_db"]["rows"] == 0


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO t VALUES (1)",
        "update t set a = 1",
        "DELETE FROM t",
        "DROP TABLE t",
        "CREATE TABLE x (a int)",
        "ALTER TABLE t ADD COLUMN b int",
        "TRUNCATE t",
        "GRANT ALL ON t TO x",
        "ATTACH DATABASE 'x' AS y",
        "PRAGMA writable_schema = 1",
        "COPY t FROM '/etc/passwd'",
        "SELECT 1; DROP TABLE t",
        "select 1;;select 2",
        "EXPLAIN ANALYZE DELETE FROM t",
        "/* a comment */",
        "   ",
    ],
)
def test_validate_refuses(sql):
    with pytest.raises(ReadOnlyViolation):
        validate_read_only(sql)


@pytest.mark.parametrize(
    ("sql", "kept"),
    [
        ("SELECT 1;", "SELECT 1"),
        ("  with x as (select 1) select * from x ; ", "with x as (select 1) select * from x"),
        ("VALUES (1), (2)", "VALUES (1), (2)"),
        ("EXPLAIN SELECT 1", "EXPLAIN SELECT 1"),
        ("SELECT ';DROP TABLE t' AS s", "SELECT ';DROP TABLE t' AS s"),
        ("-- note\nSELECT 1", "-- note\nSELECT 1"),
    ],
)
def test_validate_accepts(sql, kept):
    assert validate_read_only(sql) == kept


def test_referenced_databases():
    sql = "SELECT * FROM genims_master_db.factories f JOIN genims_operations_db.scada_machine_data s USING (x)"
    assert referenced_databases(sql) == ["genims_master_db", "genims_operations_db"]
    assert referenced_databases("SELECT 'genims_erp_db.x'") == []


def test_data_modifying_cte_is_refused_everywhere(any_dbs):
    any_dbs.create(["master"])
    factories = BASES["genims_master_db"].metadata.tables["factories"]
    with any_dbs.begin("master") as conn:
        conn.execute(insert(factories), [{"factory_id": "F-1"}])
    # PostgreSQL runs the CTE inside a read-only transaction and stops it; SQLite has no DML in a
    # CTE and rejects the syntax. Either way nothing is deleted.
    with pytest.raises((ReadOnlyViolation, QueryError)) as info:
        run_query(any_dbs, "WITH d AS (DELETE FROM factories RETURNING *) SELECT * FROM d", database="master")
    if any_dbs.default_backend == "postgresql":
        assert isinstance(info.value, ReadOnlyViolation)
    assert run_query(any_dbs, "SELECT count(*) FROM factories", database="master").rows == [(1,)]
    # And the connection that refused it still answers normally.
    assert run_query(any_dbs, "SELECT factory_id FROM factories", database="master").rows == [("F-1",)]


def test_with_then_insert_is_stopped_by_the_read_only_guard(any_dbs):
    """`WITH ... INSERT` starts like a query; the database's read-only mode stops it."""
    any_dbs.create(["master"])
    with pytest.raises(ReadOnlyViolation, match="tried to change data"):
        run_query(
            any_dbs,
            "WITH v AS (SELECT 'F-X' AS id) INSERT INTO factories (factory_id) SELECT id FROM v",
            database="master",
        )
    assert run_query(any_dbs, "SELECT count(*) FROM factories", database="master").rows == [(0,)]


def test_limit_and_truncation(sqlite_dbs):
    sqlite_dbs.create(["master"])
    result = run_query(sqlite_dbs, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
                                   "SELECT i FROM n", limit=10)
    assert (len(result.rows), result.truncated, result.columns) == (10, True, ["i"])
    everything = run_query(sqlite_dbs, "SELECT 1 AS a UNION ALL SELECT 2", limit=None)
    assert (everything.rows, everything.truncated) == ([(1,), (2,)], False)
