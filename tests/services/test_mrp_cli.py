"""`genims mrp run` in a subprocess, the way a person runs it."""

from __future__ import annotations

from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env

from genims_tui.backend.databases import Databases
from genims_tui.config import load_settings

from .mrp_estate import PLANT, build


def test_mrp_run_cli_and_errors(tmp_path):
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    try:
        build(dbs)
    finally:
        dbs.dispose()
    result = run_cli("mrp", "run", "--horizon", "30", "--plant", PLANT, "--create-orders", "--json", env=env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert doc["materials_planned"] == 4 and doc["planned_orders"] == 6 and doc["plant_id"] == PLANT
    assert doc["conversion"]["production_orders"] == 4 and doc["conversion"]["requisition_lines"] == 2

    again = run_cli("mrp", "run", "--horizon", "30", "--plant", PLANT, env=env)
    assert again.returncode == 0 and "planned orders" in again.stdout, describe(again)

    assert_usage_error(run_cli("mrp", "run", "--plant", "FAC-NOPE", env=env), "no plant FAC-NOPE")
    assert_usage_error(run_cli("mrp", "run", "--horizon", "-5", "--json", env=env), "horizon must be 1 to")
