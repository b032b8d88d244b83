"""Seed 000's ERP KPIs: exact values on a tiny hand-made ERP (SQLite and PostgreSQL, both layouts),
and on the seeded estate every KPI has a value or says why not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert

from genims_tui.backend.errors import DomainError
from genims_tui.backend.kpis import METRICS, compute_kpis
from genims_tui.backend.models import BASES

ERP = "genims_erp_db"
NOW = dt.datetime(2026, 6, 1, 12, 0)
D = dt.date


def rows(conn, table, *records):
    for record in records:  # one by one: the records name different columns
        conn.execute(insert(BASES[ERP].metadata.tables[table]), record)


def tiny_erp(dbs) -> None:
    dbs.create([ERP])
    with dbs.begin(ERP) as conn:
        rows(conn, "suppliers", {"supplier_id": "SUP-1"})
        rows(conn, "materials",
             {"material_id": "M1", "standard_cost": Decimal(10), "material_status": "active",
              "maximum_stock": Decimal(2), "moving_average_cost": Decimal(12)},
             {"material_id": "M2", "standard_cost": Decimal(20), "material_status": "active"})
        rows(conn, "purchase_orders",
             {"purchase_order_id": "PO-1", "supplier_id": "SUP-1", "po_date": D(2026, 5, 1)},
             {"purchase_order_id": "PO-2", "supplier_id": "SUP-1", "po_date": D(2026, 4, 1)},
             {"purchase_order_id": "PO-0", "supplier_id": "SUP-1", "po_date": D(2026, 1, 20)})
        rows(conn, "purchase_order_lines",
             {"po_line_id": "L1", "purchase_order_id": "PO-1", "material_id": "M1", "delivery_date": D(2026, 5, 10)},
             {"po_line_id": "L2", "purchase_order_id": "PO-1", "material_id": "M2", "delivery_date": D(2026, 5, 10)},
             {"po_line_id": "L3", "purchase_order_id": "PO-2", "material_id": "M1", "delivery_date": D(2026, 4, 10)},
             {"po_line_id": "L4", "purchase_order_id": "PO-2", "material_id": "M2", "delivery_date": D(2026, 4, 5)},
             {"po_line_id": "L0", "purchase_order_id": "PO-0", "material_id": "M2", "delivery_date": D(2026, 2, 5)})

        def gr(key, line, po, material, day, qty, price, cancelled=False):
            return {"goods_receipt_id": key, "po_line_id": line, "purchase_order_id": po, "material_id": material,
                    "supplier_id": "SUP-1", "gr_date": day, "quantity_received": Decimal(qty),
                    "unit_price": Decimal(price), "quality_status": "accepted", "cancelled": cancelled}

        rows(conn, "goods_receipts",
             gr("G1", "L1", "PO-1", "M1", D(2026, 5, 8), 10, 11),  # on time, 7 days
             gr("G2", "L2", "PO-1", "M2", D(2026, 5, 12), 5, 20),  # late, 11 days
             gr("G3", "L3", "PO-2", "M1", D(2026, 4, 10), 10, 9),  # on time (the day itself), 9 days
             gr("G4", "L4", "PO-2", "M2", D(2026, 4, 9), 10, 20, cancelled=True),  # cancelled: not counted
             gr("G5", "L4", "PO-2", "M2", D(2026, 4, 4), 10, 22),  # on time, 3 days
             gr("G0", "L0", "PO-0", "M2", D(2026, 2, 1), 1, 20))  # before the 90-day window: trend only
        rows(conn, "inventory_balances", {"balance_id": "B1", "material_id": "M1", "unrestricted_stock": Decimal(5),
                                          "stock_value": Decimal(50)})
        rows(conn, "sales_orders",
             {"sales_order_id": "SO1", "order_date": D(2026, 5, 1), "total_net_value": Decimal(100),
              "order_status": "closed", "overall_billing_status": "paid", "updated_at": dt.datetime(2026, 5, 31),
              "overall_delivery_status": "fully_delivered", "confirmed_delivery_date": D(2026, 5, 10)},
             {"sales_order_id": "SO4", "order_date": D(2026, 4, 1), "total_net_value": Decimal(200),
              "order_status": "invoiced", "overall_billing_status": "invoiced", "updated_at": dt.datetime(2026, 4, 20),
              "overall_delivery_status": "fully_delivered", "requested_delivery_date": D(2026, 4, 10)},
             {"sales_order_id": "SO2", "order_date": D(2026, 5, 20), "total_net_value": Decimal(300),
              "order_status": "confirmed", "overall_billing_status": "not_invoiced",
              "updated_at": dt.datetime(2026, 5, 20)},
             {"sales_order_id": "SO3", "order_date": D(2026, 5, 2), "total_net_value": Decimal(1000),
              "order_status": "cancelled", "overall_billing_status": "not_invoiced",
              "updated_at": dt.datetime(2026, 5, 3)})
        rows(conn, "inventory_transactions",  # SO1 delivered in two goods issues, the last on time; SO4 late
             {"transaction_id": "T1", "transaction_type": "delivery", "sales_order_id": "SO1",
              "posting_date": D(2026, 5, 6), "material_id": "M1", "quantity": Decimal(-1), "amount": Decimal(-10)},
             {"transaction_id": "T2", "transaction_type": "delivery", "sales_order_id": "SO1",
              "posting_date": D(2026, 5, 10), "material_id": "M1", "quantity": Decimal(-1), "amount": Decimal(-10)},
             {"transaction_id": "T3", "transaction_type": "delivery", "sales_order_id": "SO4",
              "posting_date": D(2026, 4, 12), "material_id": "M1", "quantity": Decimal(-2), "amount": Decimal(-20)})

def test_kpis_exactly_on_a_hand_made_case(any_dbs):
    tiny_erp(any_dbs)
    kpis = {k.key: k for k in compute_kpis(any_dbs, NOW, window_days=90)}
    assert list(kpis) == [m.key for m in METRICS]
    otd = kpis["on_time_delivery"]
    assert otd.value == Decimal("75.00")  # G1, G3, G5 of G1, G2, G3, G5 (G4 cancelled, G0 before the window)
    assert otd.trend == [("2026-02", Decimal("100.00")), ("2026-04", Decimal("100.00")), ("2026-05", Decimal("50.00"))]
    assert kpis["lead_time"].value == Decimal("7.50")  # (7 + 11 + 9 + 3) / 4
    assert kpis["purchase_price_variance"].value == Decimal("4.00")  # (10 + 0 - 10 + 20) / (100 + 100 + 100 + 200)
    assert kpis["supplier_quality"].value == Decimal("0.00")
    assert kpis["stock_out_rate"].value == Decimal("50.00")  # M2 has no stock
    assert kpis["average_order_value"].value == Decimal("200.00")  # (100 + 300 + 200) / 3: SO3 is cancelled
    assert kpis["sales_on_time_delivery"].value == Decimal("50.00")  # SO1 on its promised day, SO4 two days late
    assert kpis["sales_on_time_delivery"].trend == [("2026-04", Decimal("0.00")), ("2026-05", Decimal("100.00"))]
    assert kpis["excess_stock_value"].value == Decimal("36.00")  # M1: (5 - 2) x 12; M2 has no maximum
    assert kpis["inventory_turnover"].value == Decimal("3.24")  # 40 delivered at cost x 365 / 90 / 50 on hand
    assert kpis["order_to_cash_days"].value == Decimal("30.00")
    assert kpis["fill_rate"].value == Decimal("100.00")  # SO4, the one order with a requested date, is complete
    assert kpis["material_yield"].value is None and "no production order finished" in kpis["material_yield"].reason
    for k in kpis.values():
        assert (k.value is not None) != bool(k.reason), k.key  # a value, or the reason there is none
        assert k.definition and k.unit


def test_a_shorter_window_moves_the_value_not_the_trend(sqlite_dbs):
    tiny_erp(sqlite_dbs)
    kpis = {k.key: k for k in compute_kpis(sqlite_dbs, NOW, window_days=30)}  # only May's receipts
    assert kpis["on_time_delivery"].value == Decimal("50.00")
    assert kpis["on_time_delivery"].trend[-1] == ("2026-05", Decimal("50.00"))
    with pytest.raises(DomainError):
        compute_kpis(sqlite_dbs, NOW, window_days=0)


def test_without_an_erp_database_every_kpi_says_why(sqlite_dbs):
    kpis = compute_kpis(sqlite_dbs, NOW)
    assert len(kpis) == len(METRICS)
    assert all(k.value is None and "has not been created" in k.reason for k in kpis)


def test_every_kpi_has_a_value_or_a_reason_on_the_seeded_estate(console_estate):
    from conftest import CONSOLE_AS_OF

    kpis = compute_kpis(console_estate, CONSOLE_AS_OF)
    assert [k.key for k in kpis] == [m.key for m in METRICS] and len(kpis) == 16
    for k in kpis:
        assert k.value is not None or k.reason, k.key
        if k.trend:
            assert [p for p, _v in k.trend] == sorted(p for p, _v in k.trend)
    with_values = {k.key for k in kpis if k.value is not None}
    assert {"on_time_delivery", "lead_time", "inventory_turnover", "production_cycle_time",
            "average_order_value", "capacity_utilisation"} <= with_values
    by_key = {k.key: k for k in kpis}
    assert Decimal(0) <= by_key["on_time_delivery"].value <= Decimal(100)
    assert Decimal(0) < by_key["material_yield"].value <= Decimal(100)
