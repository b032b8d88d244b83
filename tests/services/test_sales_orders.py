"""Sales orders: validation, pricing, ATP by date, the credit check and its release, roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.erp import SalesOrderLines, SalesOrders
from genims_tui.backend.services import sales

from .p2p_estate import context
from .sales_estate import FG, FG2, FROZEN, LIMITED, RAW, TODAY, UNLIMITED, build, production_order


def counts(dbs):
    with dbs.connect("genims_erp_db") as conn:
        return (conn.execute(select(func.count()).select_from(SalesOrders)).scalar_one(),
                conn.execute(select(func.count()).select_from(SalesOrderLines)).scalar_one())


def test_create_prices_taxes_and_confirms(any_dbs):
    ctx = build(any_dbs)
    op = context(any_dbs, "warehouse_operator", FROZEN)  # the role refusal, on every database
    with pytest.raises(PermissionDenied, match="needs write access to genims_erp_db"):
        sales.create_sales_order(op, LIMITED, [{"material_id": FG, "quantity": "1"}])
    assert counts(any_dbs) == (0, 0)
    r = sales.create_sales_order(ctx.as_user(context(any_dbs, "sales_rep").user), LIMITED, [
        {"material_id": FG, "quantity": "10", "requested_date": "2026-11-25"},  # customer price 80.00
        {"material_id": FG, "quantity": "2", "unit_price": "99.5"},  # given price
    ], customer_po_number="CPO-1")
    assert r.order_status == "confirmed" and r.credit_check_status == "passed"
    l1, l2 = r.lines
    assert (l1.unit_price, l1.price_source, l1.net_price, l1.tax_amount) == (Decimal("80.0000"), "customer_product_mapping",
                                                                             Decimal("800.00"), Decimal("64.00"))
    assert (l2.price_source, l2.net_price, l2.requested_date) == ("given", Decimal("199.00"), TODAY)
    assert l1.atp_date == TODAY and l1.confirmed_date == dt.date(2026, 11, 25) and l1.line_status == "confirmed"
    assert r.total_value == Decimal("999.00") + Decimal("79.92")
    so = sales.get_sales_order(ctx, r.sales_order_id)
    assert so["credit_check_status"] == "passed" and so["total_value"] == r.total_value
    assert [ln["line_status"] for ln in so["lines"]] == ["confirmed", "confirmed"]


def test_price_from_standard_cost_markup(sqlite_dbs):
    ctx = build(sqlite_dbs)
    r = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG2, "quantity": "1"}])
    assert r.lines[0].unit_price == Decimal("20") * sales.STANDARD_MARKUP and r.lines[0].price_source == "standard_cost_markup"


def test_atp_by_date_uses_a_later_scheduled_receipt(any_dbs):
    ctx = build(any_dbs)
    receipt_day = dt.date(2026, 12, 4)
    production_order(any_dbs, FG, "50", receipt_day)
    # 100 in stock, 50 more on 4 Dec: 130 can only be promised from 4 Dec
    r = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "130", "requested_date": "2026-11-23"}])
    line = r.lines[0]
    assert line.atp_date == receipt_day and line.confirmed_date == receipt_day
    assert line.atp_quantity == Decimal("100")
    # that order is committed for 4 Dec, when 150 are there: the 20 left over can be promised today
    r2 = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "20"}])
    assert r2.lines[0].atp_date == TODAY and r2.lines[0].atp_quantity == Decimal("20")
    # and nothing more with the known supply; a second line of one order counts the first as demand
    r3 = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "1"}, {"material_id": FG, "quantity": "1"}])
    assert r3.lines[0].atp_date is None and r3.lines[0].confirmed_date is None and r3.lines[0].atp_quantity == 0


def test_atp_later_commitment_is_not_robbed(sqlite_dbs):
    ctx = build(sqlite_dbs)
    # 100 in stock, 100 committed for 10 Dec: nothing is free today
    sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "100", "requested_date": "2026-12-10"}])
    production_order(sqlite_dbs, FG, "30", dt.date(2026, 12, 15))  # after the commitment
    r = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "30"}])
    assert r.lines[0].atp_quantity == 0 and r.lines[0].atp_date == dt.date(2026, 12, 15)


@pytest.mark.parametrize("quantity, passes", [("116", False), ("115", True), ("115.7407", True)])
def test_credit_limit_boundary(sqlite_dbs, quantity, passes):
    ctx = build(sqlite_dbs)
    # 80.00 x 115 = 9200.00 + 8 % = 9936.00; x 115.7407 = 9259.26 + 740.74 = 10000.00; x 116 = 10022.40
    r = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG, "quantity": quantity}])
    assert (r.credit_check_status == "passed") is passes


def test_exactly_at_the_limit_passes_one_cent_over_is_held(any_dbs):
    ctx = build(any_dbs)
    # net 9259.26 + tax 740.74 = 10000.00 exactly
    at = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG, "quantity": "1", "unit_price": "9259.26"}])
    assert at.total_value == Decimal("10000.00") and at.credit_check_status == "passed" and at.order_status == "confirmed"
    # an order not invoiced is no receivable; a second order one cent over the limit on its own is held
    over = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG, "quantity": "1", "unit_price": "9259.27"}])
    assert over.total_value == Decimal("10000.01")
    assert (over.order_status, over.credit_check_status) == ("on_hold", "failed")
    assert "10000.01 > limit 10000.00" in over.hold_reason
    so = sales.get_sales_order(ctx, over.sales_order_id)
    assert so["order_status"] == "on_hold" and so["lines"][0]["line_status"] == "open"
    assert so["lines"][0]["confirmed_delivery_date"] is None and "credit hold" in so["lines"][0]["rejection_reason"]


def test_open_receivables_count_against_the_limit(sqlite_dbs):
    ctx = build(sqlite_dbs)
    first = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG, "quantity": "50"}])  # 4320.00
    sales.deliver_sales_order(ctx, first.sales_order_id)
    sales.invoice_sales_order(ctx, first.sales_order_id)
    # 4320.00 open + 5680.00 = 10000.00 passes; 5680.01 would not
    ok = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG2, "quantity": "1", "unit_price": "5259.26"}])
    assert ok.exposure == Decimal("10000.00") and ok.credit_check_status == "passed"
    held = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG2, "quantity": "1", "unit_price": "5259.27"}])
    assert held.credit_check_status == "failed"


def test_release_hold_needs_the_capability(sqlite_dbs):
    any_dbs = sqlite_dbs
    ctx = build(any_dbs)
    held = sales.create_sales_order(ctx, LIMITED, [{"material_id": FG, "quantity": "200"}])
    assert held.order_status == "on_hold"
    with pytest.raises(DomainError, match="on credit hold"):
        sales.deliver_sales_order(ctx, held.sales_order_id)
    rep = context(any_dbs, "sales_rep", FROZEN)
    with pytest.raises(PermissionDenied, match="Releasing a credit hold"):
        sales.release_credit_hold(rep, held.sales_order_id)
    assert sales.get_sales_order(ctx, held.sales_order_id)["order_status"] == "on_hold"
    manager = context(any_dbs, "sales_manager", FROZEN)
    out = sales.release_credit_hold(manager, held.sales_order_id, "paid in advance")
    assert out["credit_check_status"] == "released"
    so = sales.get_sales_order(ctx, held.sales_order_id)
    assert so["order_status"] == "confirmed" and so["credit_check_status"] == "released"
    assert so["lines"][0]["line_status"] == "confirmed" and so["lines"][0]["rejection_reason"] is None
    assert so["lines"][0]["atp_date"] is None  # 200 wanted, 100 known supply
    with pytest.raises(DomainError, match="not on credit hold"):
        sales.release_credit_hold(manager, held.sales_order_id)


def test_warehouse_operator_cannot_create_a_sales_order(sqlite_dbs):
    any_dbs = sqlite_dbs
    build(any_dbs)
    op = context(any_dbs, "warehouse_operator", FROZEN)
    with pytest.raises(PermissionDenied, match="Creating a sales order needs write access to genims_erp_db"):
        sales.create_sales_order(op, LIMITED, [{"material_id": FG, "quantity": "1"}])
    assert counts(any_dbs) == (0, 0)


@pytest.mark.parametrize("customer, lines, error, message", [
    ("CUST-999999", [{"material_id": FG, "quantity": "1"}], NotFound, "no customer CUST-999999"),
    (LIMITED, [{"material_id": "MAT-999999", "quantity": "1"}], NotFound, "no material MAT-999999"),
    (LIMITED, [{"material_id": RAW, "quantity": "1"}], DomainError, "not a sellable finished good"),
    (LIMITED, [{"material_id": FG, "quantity": "-5"}], DomainError, "quantity .*must be more than 0"),
    (LIMITED, [{"material_id": FG, "quantity": "0"}], DomainError, "must be more than 0"),
    (LIMITED, [{"material_id": FG, "quantity": "abc"}], DomainError, "must be a number"),
    (LIMITED, [{"material_id": FG, "quantity": "1", "requested_date": "2026-11-19"}], DomainError, "2026-11-19 is in the past"),
    (LIMITED, [{"material_id": FG, "quantity": "1", "requested_date": "next week"}], DomainError, "must be a date"),
    (LIMITED, [], DomainError, "at least one line"),
])
def test_bad_input_is_refused_and_nothing_written(sqlite_dbs, customer, lines, error, message):
    ctx = build(sqlite_dbs)
    with pytest.raises(error, match=message):
        sales.create_sales_order(ctx, customer, lines)
    assert counts(sqlite_dbs) == (0, 0)
