"""Delivery (goods issue 601 + COGS) and invoicing (AR / revenue / tax) of sales orders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.erp import InventoryBalances, InventoryTransactions, SalesOrderLines, SalesOrders
from genims_tui.backend.models.financial import JournalEntryHeaders, JournalEntryLines
from genims_tui.backend.services import finance, sales
from genims_tui.backend.services.inventory import total_stock

from .p2p_estate import context
from .sales_estate import FG, FG2, FROZEN, LIMITED, UNLIMITED, build


def stock(dbs, material=FG) -> Decimal:
    with dbs.connect("genims_erp_db") as conn:
        return sum((total_stock(r) for r in conn.execute(select(InventoryBalances).where(InventoryBalances.material_id == material))),
                   Decimal(0))


def ledger(dbs, material=FG) -> Decimal:
    with dbs.connect("genims_erp_db") as conn:
        return Decimal(str(conn.execute(select(func.coalesce(func.sum(InventoryTransactions.quantity), 0))
                                        .where(InventoryTransactions.material_id == material)).scalar_one()))


def entries(dbs, source_type):
    with dbs.connect("genims_financial_db") as conn:
        return conn.execute(select(JournalEntryHeaders).where(JournalEntryHeaders.source_type == source_type)).all()


def balances_by_code(ctx) -> dict[str, Decimal]:
    tb = finance.trial_balance(ctx)
    assert tb["total_balance"] == 0 and tb["total_debit"] == tb["total_credit"]
    return {r["account_code"]: r["balance"] for r in tb["accounts"]}


def test_deliver_and_invoice_post_once_and_balance(any_dbs):
    ctx = build(any_dbs)
    rep = context(any_dbs, "sales_rep", FROZEN)
    so = sales.create_sales_order(rep, LIMITED, [{"material_id": FG, "quantity": "10"}]).sales_order_id
    d = sales.deliver_sales_order(rep, so)
    assert stock(any_dbs) == Decimal("90") == ledger(any_dbs)
    assert d.cogs == Decimal("500.00") and d.order_status == "delivered" and d.journal_entry_id
    with any_dbs.connect("genims_erp_db") as conn:
        mv = conn.execute(select(InventoryTransactions).where(InventoryTransactions.sales_order_id == so)).all()
    assert [(m.movement_type, m.quantity, m.material_document) for m in mv] == [("601", Decimal("-10"), d.delivery_document)]
    # the same delivery document again: no stock moves, COGS stays posted once
    again = sales.deliver_sales_order(rep, so, delivery_document=d.delivery_document)
    assert not again.created and again.journal_entry_id == d.journal_entry_id and stock(any_dbs) == Decimal("90")
    assert len(entries(any_dbs, "goods_delivery")) == 1
    with pytest.raises(DomainError, match="fully delivered"):
        sales.deliver_sales_order(rep, so)
    other = sales.create_sales_order(rep, LIMITED, [{"material_id": FG, "quantity": "1"}]).sales_order_id
    with pytest.raises(DomainError, match=f"belongs to {so}"):  # a document of another order is refused
        sales.deliver_sales_order(rep, other, delivery_document=d.delivery_document)

    inv = sales.invoice_sales_order(rep, so)
    assert (inv.net_amount, inv.tax_amount, inv.total, inv.source_document_id) == (
        Decimal("800.00"), Decimal("64.00"), Decimal("864.00"), so)
    assert balances_by_code(ctx) == {"1200": Decimal("864.00"), "4100": Decimal("-800.00"), "2200": Decimal("-64.00"),
                                     "5000": Decimal("500.00"), "1320": Decimal("-500.00")}
    with pytest.raises(DomainError, match="fully invoiced already"):
        sales.invoice_sales_order(rep, so)
    assert len(entries(any_dbs, "sales_invoice")) == 1
    shown = sales.get_sales_order(ctx, so)
    assert shown["order_status"] == "invoiced" and shown["overall_billing_status"] == "invoiced"
    assert shown["lines"][0]["invoiced_quantity"] == Decimal("10")


def test_partial_delivery_and_invoices_add_up(sqlite_dbs):
    ctx = build(sqlite_dbs)
    so = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "3", "unit_price": "10.01"}]).sales_order_id
    with pytest.raises(DomainError, match="no delivered quantity"):
        sales.invoice_sales_order(ctx, so)
    sales.deliver_sales_order(ctx, so, [{"line_number": 10, "quantity": "1"}])
    first = sales.invoice_sales_order(ctx, so)
    assert first.source_document_id == so and first.billing_status == "partially_invoiced"
    with pytest.raises(DomainError, match="no delivered quantity"):
        sales.invoice_sales_order(ctx, so)
    with pytest.raises(DomainError, match="3 to deliver but only 2"):
        sales.deliver_sales_order(ctx, so, [{"line_number": 10, "quantity": "3"}])
    sales.deliver_sales_order(ctx, so)
    second = sales.invoice_sales_order(ctx, so)
    assert second.source_document_id == f"{so}/1" and second.billing_status == "invoiced"
    # the pieces add up to the line exactly: 30.03 net, 2.40 tax
    assert first.net_amount + second.net_amount == Decimal("30.03")
    assert first.tax_amount + second.tax_amount == Decimal("2.40")
    assert balances_by_code(ctx)["1200"] == Decimal("32.43")


def test_not_enough_stock_names_material_and_quantities(sqlite_dbs):
    ctx = build(sqlite_dbs)
    so = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "5"},
                                                   {"material_id": FG2, "quantity": "4"}]).sales_order_id
    with pytest.raises(DomainError, match="4 of MAT-000002 needed, 0 unrestricted in stock"):
        sales.deliver_sales_order(ctx, so)
    assert stock(sqlite_dbs) == Decimal("100") and entries(sqlite_dbs, "goods_delivery") == []
    with sqlite_dbs.connect("genims_erp_db") as conn:
        assert conn.execute(select(SalesOrders.order_status).where(SalesOrders.sales_order_id == so)).scalar() == "confirmed"


def test_warehouse_operator_cannot_deliver_or_invoice(sqlite_dbs):
    ctx = build(sqlite_dbs)
    so = sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": "5"}]).sales_order_id
    op = context(sqlite_dbs, "warehouse_operator", FROZEN)
    with pytest.raises(PermissionDenied, match="Delivering a sales order"):
        sales.deliver_sales_order(op, so)
    with pytest.raises(PermissionDenied, match="Invoicing a sales order"):
        sales.invoice_sales_order(op, so)
    assert stock(sqlite_dbs) == Decimal("100")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["order", "deliver", "invoice"]),
                                st.integers(min_value=1, max_value=60),
                                st.decimals(min_value=1, max_value=500, places=2, allow_nan=False, allow_infinity=False)),
                      min_size=1, max_size=8))
def test_every_posting_balances_and_every_delivery_conserves_stock(sqlite_dbs, steps):
    dbs = sqlite_dbs
    if not getattr(dbs, "_sales_built", False):
        build(dbs)
        dbs._sales_built = True
    ctx = context(dbs, when=FROZEN)
    with dbs.begin("genims_erp_db") as conn:  # back to the opening stock of 100 at 50.00
        conn.execute(delete(InventoryTransactions).where(InventoryTransactions.sales_order_id.is_not(None)))
        conn.execute(delete(SalesOrderLines))
        conn.execute(delete(SalesOrders))
        conn.execute(update(InventoryBalances).where(InventoryBalances.material_id == FG).values(
            unrestricted_stock=Decimal(100), stock_value=Decimal("5000.00"), moving_average_price=Decimal("50.0000")))
    with dbs.begin("genims_financial_db") as conn:
        conn.execute(delete(JournalEntryLines))
        conn.execute(delete(JournalEntryHeaders))
    orders: list[str] = []
    for action, qty, price in steps:
        before = stock(dbs)
        try:
            if action == "order":
                orders.append(sales.create_sales_order(ctx, UNLIMITED, [{"material_id": FG, "quantity": qty,
                                                                         "unit_price": price}]).sales_order_id)
            elif orders and action == "deliver":
                so = orders[qty % len(orders)]
                with dbs.connect("genims_erp_db") as conn:
                    line = conn.execute(select(SalesOrderLines).where(SalesOrderLines.sales_order_id == so)).first()
                part = max(Decimal(1), (Decimal(line.order_quantity) - Decimal(line.delivered_quantity)) // 2)
                d = sales.deliver_sales_order(ctx, so, [{"line_number": 10, "quantity": part}])
                moved = sum((m["quantity"] for m in d.movements), Decimal(0))
                assert moved == part and stock(dbs) == before - part
                event("delivered")
            elif orders and action == "invoice":
                sales.invoice_sales_order(ctx, orders[qty % len(orders)])
                event("invoiced")
        except DomainError:
            assert stock(dbs) == before  # a refusal moves nothing
        assert stock(dbs) == ledger(dbs) >= 0
    with dbs.connect("genims_financial_db") as conn:
        for head in conn.execute(select(JournalEntryHeaders)).all():
            d, c = conn.execute(select(func.sum(JournalEntryLines.debit_amount), func.sum(JournalEntryLines.credit_amount))
                                .where(JournalEntryLines.journal_entry_id == head.journal_entry_id)).one()
            assert Decimal(d) == Decimal(c) == Decimal(head.total_debit)
    assert finance.trial_balance(ctx)["total_balance"] == 0
