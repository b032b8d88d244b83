"""Every CLI error path: one clear line on stderr, exit code 2, no traceback (unless --debug)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clitools import assert_usage_error, describe, run_cli
from conftest import sqlite_env

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:5999/"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return sqlite_env(tmp_path)


# -- PostgreSQL that is not there, URLs that are not URLs ------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("init",), ("check",), ("db", "status"), ("db", "status", "--json"), ("sql", "SELECT 1"), ("check", "--json")],
)
def test_unreachable_postgresql(env, args):
    env = {**env, "GENIMS_DATABASE_URL": UNREACHABLE}
    assert_usage_error(run_cli(*args, env=env), "Cannot reach PostgreSQL at 127.0.0.1:5999", "GENIMS_DATABASE_URL")


def test_unreachable_postgresql_schemas_layout(env):
    env = {**env, "GENIMS_DATABASE_URL": UNREACHABLE + "genims", "GENIMS_PG_LAYOUT": "schemas"}
    assert_usage_error(run_cli("init", env=env), "Cannot reach PostgreSQL at 127.0.0.1:5999")


def test_unreachable_postgresql_never_shows_the_password(env):
    env = {**env, "GENIMS_DATABASE_URL": "postgresql+psycopg://postgres:hunter2@127.0.0.1:5999/"}
    result = run_cli("init", env=env)
    assert_usage_error(result, "127.0.0.1:5999")
    assert "hunter2" not in result.stderr


def test_debug_shows_the_traceback(env):
    env = {**env, "GENIMS_DATABASE_URL": UNREACHABLE}
    result = run_cli("--debug", "init", env=env)
    assert result.returncode == 2, describe(result)
    assert "Traceback (most recent call last)" in result.stderr
    assert "DatabaseUnavailable" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("error: Cannot reach PostgreSQL")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "is not a database URL"),
        ("postgresql+psycopg://postgres:pw@127.0.0.1:notaport/", "is not a database URL"),
    ],
)
def test_bad_url(env, url, fragment):
    result = run_cli("init", env={**env, "GENIMS_DATABASE_URL": url})
    line = assert_usage_error(result, fragment, "GENIMS_DATABASE_URL")
    assert ":pw@" not in line


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@127.0.0.1:3306/genims", "'mysql'"),
        ("mssql+pyodbc://sa@host/genims", "'mssql'"),
        ("sqlite:////tmp/genims.sqlite", "must be a PostgreSQL URL"),
    ],
)
def test_non_postgresql_url(env, url, fragment):
    assert_usage_error(run_cli("db", "status", env={**env, "GENIMS_DATABASE_URL": url}), fragment)


def test_bad_per_database_url(env):
    env = {**env, "GENIMS_ERP_URL": "oracle://scott@tiger/erp"}
    assert_usage_error(run_cli("init", env=env), "GENIMS_ERP_URL", "'oracle'")


def test_per_database_url_to_an_unreachable_server(env):
    env = {**env, "GENIMS_ERP_URL": "postgresql+psycopg://postgres@127.0.0.1:5999/erp"}
    assert_usage_error(run_cli("init", "--only", "erp", env=env), "Cannot reach PostgreSQL at 127.0.0.1:5999")


# -- a data directory that cannot be written ----------------------------------------------------------


def test_data_dir_under_a_regular_file(env, tmp_path):
    """mkdir fails whoever runs the test, root included."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file, not a directory")
    env = {**env, "GENIMS_DATA_DIR": str(blocker / "data")}
    assert_usage_error(run_cli("init", env=env), "Cannot create the data directory", "GENIMS_DATA_DIR")
    assert_usage_error(run_cli("sql", "SELECT 1", env=env), "genims init")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions; see the test above")
def test_read_only_data_dir(env):
    data = Path(env["GENIMS_DATA_DIR"])
    data.mkdir()
    data.chmod(0o500)
    try:
        assert_usage_error(run_cli("init", env=env), "not writable", str(data))
    finally:
        data.chmod(0o700)


# -- names and statements the CLI refuses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("sql", "SELECT 1", "--db", "nosuch"),
        ("init", "--only", "nosuch"),
        ("init", "--only", "master,nosuch"),
    ],
)
def test_unknown_database_name(env, args):
    result = run_cli(*args, env=env)
    assert_usage_error(result, "There is no logical database called 'nosuch'", "genims_erp_db")
    assert not Path(env["GENIMS_DATA_DIR"]).exists() or not any(Path(env["GENIMS_DATA_DIR"]).iterdir())


def test_reset_without_yes_refuses_before_touching_anything(env):
    result = run_cli("init", "--reset", env=env)
    assert_usage_error(result, "--reset", "--yes")
    assert not Path(env["GENIMS_DATA_DIR"]).exists() or not any(Path(env["GENIMS_DATA_DIR"]).iterdir())


# -- settings that are wrong ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "env_extra", "fragment"),
    [
        ("this is = = not toml", {}, "is not valid TOML"),
        ('colour = "blue"\n', {}, "Unknown setting(s)"),
        ('[console]\ndaemons = "maybe"\n', {}, "console.daemons"),
        ("", {"GENIMS_PG_LAYOUT": "tables"}, "pg_layout"),
        ("", {"GENIMS_CONSOLE_REFRESH_SECONDS": "soon"}, "GENIMS_CONSOLE_REFRESH_SECONDS"),
        # Square brackets in a message are text, not markup.
        ('[urls]\nnosuch = "postgresql://x@y/z"\n', {}, "[urls] in"),
    ],
)
def test_bad_settings(env, text, env_extra, fragment):
    Path(env["GENIMS_CONFIG"]).write_text(text)
    assert_usage_error(run_cli("db", "status", env={**env, **env_extra}), fragment)


def test_bad_settings_fail_config_show_too(env):
    Path(env["GENIMS_CONFIG"]).write_text('colour = "blue"\n')
    assert_usage_error(run_cli("config", "show", env=env), "colour")


def test_usage_errors_exit_2_without_a_traceback(env):
    for args in (("nosuch-command",), ("init", "--no-such-option"), ("sql",)):
        result = run_cli(*args, env=env)
        assert result.returncode == 2, describe(result)
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
