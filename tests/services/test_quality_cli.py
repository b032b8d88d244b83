"""`genims ncr list/show/transition` and `genims spc check`, run as a person runs them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env

from genims_tui.backend.databases import Databases
from genims_tui.backend.models.quality import NcrHeaders
from genims_tui.config import load_settings

from . import quality_data as qd


@pytest.fixture
def cli_estate(tmp_path):
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    qd.create(dbs)
    qd.ncr(dbs, "NCR-000001", "open")
    qd.ncr(dbs, "NCR-000002", "capa")
    qd.chart(dbs, "SPC-0001", [0.5, -0.4, 1.3, 0.2, -1.2, -0.3, 0.6, 0.9, -0.7] * 2)
    qd.chart(dbs, "SPC-0002", [0.5, -0.4, 1.3, 0.2, -1.2, -0.3, 0.6, 0.9, -0.7, 9.0])
    dbs.dispose()
    yield env, load_settings(environ=env)


def _row(settings, ncr_id):
    dbs = Databases(settings)
    try:
        return qd.row(dbs, NcrHeaders, ncr_id)
    finally:
        dbs.dispose()


def test_ncr_list_show_and_spc_check(cli_estate):
    """Independent reads and checks, run side by side (each CLI start costs seconds)."""
    env, _ = cli_estate
    runs = {
        "list": ("ncr", "list", "--json"),
        "list_capa": ("ncr", "list", "--status", "capa", "--json"),
        "show": ("ncr", "show", "NCR-000002", "--json"),
        "spc_ok": ("spc", "check", "SPC-0001", "--json"),
        "spc_bad": ("spc", "check", "SPC-0002", "--rules", "both", "--baseline", "9", "--json"),
    }
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = {name: pool.submit(run_cli, *args, env=env) for name, args in runs.items()}
        res = {name: f.result() for name, f in futures.items()}

    assert res["list"].returncode == 0, describe(res["list"])
    assert sorted(r["ncr_id"] for r in json_out(res["list"])["ncrs"]) == ["NCR-000001", "NCR-000002"]
    assert [r["ncr_id"] for r in json_out(res["list_capa"])["ncrs"]] == ["NCR-000002"]
    assert res["show"].returncode == 0, describe(res["show"])
    doc = json_out(res["show"])["ncr"]
    assert doc["ncr_status"] == "capa" and doc["allowed_next"] == ["verification", "cancelled"]
    assert doc["capas"][0]["capa_id"] == "CAPA-000002"

    ok = res["spc_ok"]
    assert ok.returncode == 0, describe(ok)
    doc = json_out(ok)["chart"]
    assert doc["chart_status"] == "in_control" and doc["violations"] == [] and doc["points"] == 18
    bad = res["spc_bad"]
    assert bad.returncode == 1, describe(bad)
    doc = json_out(bad)["chart"]
    assert doc["chart_status"] == "out_of_control" and doc["rules_broken"] == ["N1", "WE1"]
    assert doc["violations"][0]["data_point_id"] == "SPC-0002-P009"


def test_ncr_transition_and_refusals(cli_estate):
    env, settings = cli_estate
    moved = run_cli("ncr", "transition", "NCR-000001", "containment", "--field", "containment_action=Hold lot 42",
                    "--field", "sorting_cost=15", "--json", env=env)
    assert moved.returncode == 0, describe(moved)
    assert json_out(moved)["ncr"]["ncr_status"] == "containment"
    row = _row(settings, "NCR-000001")
    assert row["containment_action"] == "Hold lot 42" and str(row["total_cost"]) == "15.00"
    text = run_cli("ncr", "transition", "NCR-000001", "investigation", env=env)
    assert text.returncode == 0 and "now investigation" in text.stderr and text.stdout == "", describe(text)

    line = assert_usage_error(run_cli("ncr", "transition", "NCR-000001", "closed", env=env),
                              "NCR-000001 is investigation", "allowed next: disposition, cancelled")
    assert "closed" in line
    assert _row(settings, "NCR-000001")["ncr_status"] == "investigation"
