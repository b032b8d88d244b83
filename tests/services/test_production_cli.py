"""`genims production ...` run as a person runs it: a subprocess on a real estate."""

from __future__ import annotations

from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env
from genims_tui.backend.databases import Databases
from genims_tui.config import load_settings

from .production_estate import FG, build, stock


def test_release_confirm_and_error_paths(tmp_path):
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    try:
        build(dbs)
    finally:
        dbs.dispose()
    rel = run_cli("production", "release", "PRD-000001", "--json", env=env)
    assert rel.returncode == 0, describe(rel)
    wo = json_out(rel)["work_order_id"]
    assert_usage_error(run_cli("production", "release", "PRD-000001", env=env), "PRD-000001 is released already")

    conf = run_cli("production", "confirm", wo, "--good", "9", "--scrap", "1", "--labour-hours", "2.5", "--json", env=env)
    assert conf.returncode == 0, describe(conf)
    doc = json_out(conf)
    assert (doc["actual"], doc["standard"], doc["variance"], doc["applied"]) == ("204.00", "180.00", "24.00", True)

    assert_usage_error(run_cli("production", "confirm", wo, "--good", "-3", env=env), "Good quantity must be at least 0")
    assert_usage_error(run_cli("production", "confirm", "WO-999999", "--good", "1", env=env), "no work order WO-999999")
    assert_usage_error(run_cli("production", "confirm", wo, "--good", "1", "--material", "oops", env=env),
                       "is not MATERIAL=QUANTITY")
    again = run_cli("production", "confirm", wo, "--good", "9", "--scrap", "1", "--labour-hours", "2.5", env=env)
    assert again.returncode == 0 and "confirmed already; nothing changed" in again.stderr, describe(again)

    dbs = Databases(load_settings(environ=env))
    try:
        assert stock(dbs, FG) == 9
    finally:
        dbs.dispose()
