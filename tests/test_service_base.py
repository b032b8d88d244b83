"""The service foundation: keys continue after seeded data and never repeat; audit follows commits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert

from genims_tui.backend.access import AccessStore
from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.erp import PurchaseOrders
from genims_tui.backend.services.base import ServiceContext, require_text, to_decimal

FROZEN = dt.datetime(2026, 11, 20, 9, 30)


def test_next_key_continues_after_existing_keys(any_dbs):
    any_dbs.create(["genims_erp_db", "genims_console_db"])
    with any_dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(PurchaseOrders), [{"purchase_order_id": f"PO-{n:06d}"} for n in (1, 2, 326)])
    ctx = ServiceContext(any_dbs, clock=lambda: FROZEN)
    keys = [ctx.next_key("PO", PurchaseOrders.__table__, "purchase_order_id", "genims_erp_db") for _ in range(3)]
    assert keys == ["PO-000327", "PO-000328", "PO-000329"]


def test_audit_is_written_only_when_the_transaction_commits(sqlite_dbs):
    sqlite_dbs.create(["genims_erp_db", "genims_console_db"])
    ctx = ServiceContext(sqlite_dbs, clock=lambda: FROZEN)
    with pytest.raises(RuntimeError):
        with ctx.transaction("genims_erp_db") as conn:
            conn.execute(insert(PurchaseOrders).values(purchase_order_id="PO-000001"))
            ctx.audit("po.create", "genims_erp_db", "purchase_order", "PO-000001")
            raise RuntimeError("boom")
    with ctx.transaction("genims_erp_db") as conn:
        conn.execute(insert(PurchaseOrders).values(purchase_order_id="PO-000002"))
        ctx.audit("po.create", "genims_erp_db", "purchase_order", "PO-000002", after={"total": Decimal("1.50")})
    trail = AccessStore(sqlite_dbs).audit_trail()
    assert [(r["entity_id"], r["occurred_at"], r["after"]) for r in trail] == [("PO-000002", FROZEN, {"total": "1.50"})]


@pytest.mark.parametrize("raw", ["abc", "", "NaN", "Infinity", "1.23456"])
def test_to_decimal_rejects_bad_input(raw):
    with pytest.raises(DomainError, match="Quantity"):
        to_decimal(raw, "Quantity")


def test_to_decimal_and_text_rules():
    assert to_decimal(" 12.5 ", "Quantity", positive=True) == Decimal("12.5")
    with pytest.raises(DomainError, match="more than 0"):
        to_decimal("-1", "Quantity", positive=True)
    with pytest.raises(DomainError, match="too long"):
        require_text("x" * 51, "Material", 50)
    with pytest.raises(DomainError, match="required"):
        require_text("  ", "Material", 50)
