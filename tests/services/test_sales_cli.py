"""`genims so ...` in a subprocess, the way a person runs it: create, show, deliver, invoice, errors."""

from __future__ import annotations

import json
from decimal import Decimal

from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env

from genims_tui.backend.databases import Databases
from genims_tui.config import load_settings

from .sales_estate import FG, LIMITED, build


def arrange(tmp_path) -> dict[str, str]:
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    try:
        build(dbs)
    finally:
        dbs.dispose()
    return env


def test_order_to_cash_from_the_command_line(tmp_path):
    env = arrange(tmp_path)
    created = run_cli("so", "create", "--customer", LIMITED, "--line", f"{FG}:10", "--json", env=env)
    assert created.returncode == 0, describe(created)
    doc = json_out(created)
    so = doc["sales_order_id"]
    assert doc["order_status"] == "confirmed" and Decimal(doc["total_value"]) == Decimal("864.00")
    assert doc["lines"][0]["price_source"] == "customer_product_mapping"

    delivered = run_cli("so", "deliver", so, "--json", env=env)
    assert delivered.returncode == 0, describe(delivered)
    assert Decimal(json_out(delivered)["cogs"]) == Decimal("500.00")
    invoiced = run_cli("so", "invoice", so, env=env)
    assert invoiced.returncode == 0 and "864.00" in invoiced.stderr, describe(invoiced)
    shown = run_cli("so", "show", so, "--json", env=env)
    assert json_out(shown)["overall_billing_status"] == "invoiced", describe(shown)

    # a second invoice: one line, exit 2, nothing on stdout
    assert_usage_error(run_cli("so", "invoice", so, env=env), "fully invoiced already")


def test_order_file_and_errors(tmp_path):
    env = arrange(tmp_path)
    order = tmp_path / "order.json"
    order.write_text(json.dumps({"customer_id": LIMITED, "lines": [{"material_id": FG, "quantity": 200}]}))
    held = run_cli("so", "create", "--file", str(order), "--json", env=env)
    assert held.returncode == 0, describe(held)
    assert json_out(held)["order_status"] == "on_hold"

    assert_usage_error(run_cli("so", "create", "--customer", "CUST-999999", "--line", f"{FG}:1", env=env), "CUST-999999")
    assert_usage_error(run_cli("so", "create", "--customer", LIMITED, "--line", "MAT-000001", env=env), "MATERIAL:QTY")
    assert_usage_error(run_cli("so", "create", "--customer", LIMITED, "--line", f"{FG}:-3", env=env), "more than 0")
    assert_usage_error(run_cli("so", "deliver", json_out(held)["sales_order_id"], env=env), "credit hold")
    assert_usage_error(run_cli("so", "show", "SO-999999", env=env), "no sales order SO-999999")
