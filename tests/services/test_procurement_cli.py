"""`genims invoices match` and `genims gl trial-balance` in a subprocess, the way a person runs them."""

from __future__ import annotations

from decimal import Decimal

from clitools import assert_usage_error, describe, json_out, run_cli
from conftest import sqlite_env
from sqlalchemy import select

from genims_tui.backend.access import AccessStore
from genims_tui.backend.databases import Databases
from genims_tui.backend.models.erp import PurchaseOrderLines
from genims_tui.backend.services import procurement
from genims_tui.config import load_settings

from .p2p_estate import build, released_po


def arrange(tmp_path) -> dict[str, str]:
    env = sqlite_env(tmp_path)
    dbs = Databases(load_settings(environ=env))
    try:
        ctx = build(dbs)
        po_id = released_po(ctx, [{"material_id": "MAT-000001", "quantity": "100"}])
        with dbs.connect("genims_erp_db") as conn:
            line = conn.execute(select(PurchaseOrderLines.po_line_id)).scalar_one()
        procurement.receive_goods(ctx, po_id, [{"po_line_id": line, "quantity": "100"}])
        for number, price in (("OK-1", "9.50"), ("HIGH-1", "9.80")):
            procurement.submit_invoice(ctx, "SUP-000001", po_id, [{"po_line_id": line, "quantity": "10", "unit_price": price}],
                                       supplier_invoice_number=number)
    finally:
        dbs.dispose()
    return env


def test_invoices_match_and_trial_balance_json(tmp_path):
    env = arrange(tmp_path)
    result = run_cli("invoices", "match", "--limit", "5", "--json", env=env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert (doc["checked"], doc["matched"], doc["exception"]) == (2, 1, 1), doc
    assert [r["reasons"] for r in doc["invoices"]] == [[], ["PRICE_VARIANCE"]]
    assert len(doc["posting"]["posted"]) == 1

    tb = run_cli("gl", "trial-balance", "--json", env=env)
    assert tb.returncode == 0, describe(tb)
    tb_doc = json_out(tb)
    assert Decimal(tb_doc["total_balance"]) == 0 and Decimal(tb_doc["total_debit"]) == Decimal("1045.00")
    by_code = {r["account_code"]: Decimal(r["balance"]) for r in tb_doc["accounts"]}
    assert by_code == {"1300": Decimal("950.00"), "2150": Decimal("-855.00"), "2100": Decimal("-95.00")}

    table = run_cli("gl", "trial-balance", "--period", "2026-11", env=env)  # the receipt, dated by the frozen clock
    assert table.returncode == 0 and "GR/IR Clearing" in table.stdout and "2026-11" in table.stdout, describe(table)
    # the command line acts as cli:<login>, recorded in the audit trail
    dbs = Databases(load_settings(environ=env))
    try:
        actors = {r["user_id"] for r in AccessStore(dbs).audit_trail() if r["action"] == "procurement.invoice.match"}
    finally:
        dbs.dispose()
    assert len(actors) == 1 and next(iter(actors)).startswith("cli:")


def test_errors_are_one_line_and_exit_2(tmp_path):
    env = sqlite_env(tmp_path)  # refused before any database is opened
    assert_usage_error(run_cli("gl", "trial-balance", "--period", "11/2026", env=env), "'11/2026' is not a period", "YYYY-MM")
    assert_usage_error(run_cli("invoices", "match", "--limit", "0", "--json", env=env), "limit must be at least 1")
