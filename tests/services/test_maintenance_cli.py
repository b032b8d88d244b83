"""`genims maintenance ...` run as a person runs it: a subprocess on a real estate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env
from genims_tui.backend.databases import Databases
from genims_tui.backend.models.maintenance import PmSchedules, WorkOrders
from genims_tui.config import load_settings

from .maintenance_data import asset, create, row, rows, schedule, work_order

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def estate(tmp_path):
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    create(dbs)
    asset(dbs)
    work_order(dbs, "MWO-000001")
    work_order(dbs, "MWO-000002", "closed")
    schedule(dbs, "PMS-000001", TODAY + dt.timedelta(days=2))
    yield dbs, env
    dbs.dispose()


def test_list_transition_and_an_illegal_transition(estate):
    dbs, env = estate
    listed = run_cli("maintenance", "wo", "list", "--status", "created", "--json", env=env)
    assert listed.returncode == 0, describe(listed)
    assert [(w["work_order_id"], w["allowed_next"]) for w in json_out(listed)["work_orders"]] == [
        ("MWO-000001", ["planned", "cancelled"])]

    moved = run_cli("maintenance", "wo", "transition", "MWO-000001", "planned",
                    "--field", "estimated_duration_hours=2.5", "--json", env=env)
    assert moved.returncode == 0, describe(moved)
    assert json_out(moved)["work_order"]["wo_status"] == "planned"
    stored = row(dbs, WorkOrders, "MWO-000001")
    assert (stored["wo_status"], stored["estimated_duration_hours"]) == ("planned", Decimal("2.50"))
    assert stored["status_history"][-1]["by"].startswith("cli:")

    # Illegal: one line on stderr naming the allowed next states, exit 2, no traceback, nothing changed.
    result = run_cli("maintenance", "wo", "transition", "MWO-000001", "closed", env=env)
    assert_usage_error(result, "MWO-000001 is planned; it cannot move to closed", "Allowed next: scheduled, cancelled")
    assert row(dbs, WorkOrders, "MWO-000001") == stored


def test_pm_generate_and_reliability(estate):
    dbs, env = estate
    first = run_cli("maintenance", "pm-generate", "--today", TODAY.isoformat(), "--json", env=env)
    assert first.returncode == 0, describe(first)
    assert [c["pm_schedule_id"] for c in json_out(first)["created"]] == ["PMS-000001"]
    assert rows(dbs, PmSchedules)[0]["next_due_date"] == TODAY + dt.timedelta(days=32)

    report = run_cli("maintenance", "reliability", "--asset", "ASSET-000001", "--from", "2026-10-01",
                     "--to", "2026-10-31", "--json", env=env)
    assert report.returncode == 0, describe(report)
    metrics = json_out(report)["metrics"]
    assert [(m["asset_id"], m["number_of_failures"], m["total_hours"], m["mtbf_hours"]) for m in metrics] == [
        ("ASSET-000001", 0, "744.00", None)]
