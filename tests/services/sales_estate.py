"""A small order-to-cash estate for the sales service tests: a customer with a CRM credit limit, one
without, finished goods with stock, the chart of accounts. Users come from the real role catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert

from genims_tui.backend.models.crm import Accounts
from genims_tui.backend.models.erp import Materials, ProductionOrders
from genims_tui.backend.models.master import CustomerProductMapping, Customers, Products
from genims_tui.backend.services import finance
from genims_tui.backend.services.inventory import post_movement

from .p2p_estate import context

FROZEN = dt.datetime(2026, 11, 20, 9, 30)
TODAY = FROZEN.date()
DATABASES = ["genims_master_db", "genims_erp_db", "genims_crm_db", "genims_financial_db", "genims_console_db"]
LIMITED = "CUST-000001"  # credit limit 10,000.00
UNLIMITED = "CUST-000002"  # no CRM account -> no limit
FG = "MAT-000001"  # finished good, 100 in stock at 50.00 moving average
FG2 = "MAT-000002"  # finished good, no stock
RAW = "MAT-000003"  # raw material: not sellable


def build(dbs):
    dbs.create(DATABASES)
    ctx = context(dbs, when=FROZEN)
    finance.ensure_chart_of_accounts(ctx)
    now = FROZEN
    with dbs.begin("genims_master_db") as conn:
        conn.execute(insert(Customers), [
            {"customer_id": LIMITED, "customer_code": "C1", "customer_name": "Acme Motors", "payment_terms_days": 30,
             "status": "active", "created_at": now},
            {"customer_id": UNLIMITED, "customer_code": "C2", "customer_name": "Globex", "payment_terms_days": 45,
             "status": "active", "created_at": now},
        ])
        conn.execute(insert(Products), [{"product_id": "PRD-000001", "product_name": "Pump", "status": "active"},
                                        {"product_id": "PRD-000002", "product_name": "Valve", "status": "active"}])
        conn.execute(insert(CustomerProductMapping), [
            {"mapping_id": "CPM-000001", "customer_id": LIMITED, "product_id": "PRD-000001", "is_active": True,
             "unit_price_usd": Decimal("80.00"), "created_at": now}])
    with dbs.begin("genims_crm_db") as conn:
        conn.execute(insert(Accounts), [{"account_id": "ACC-000001", "customer_id": LIMITED, "account_name": "Acme",
                                         "credit_limit": Decimal("10000.00"), "created_at": now}])
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Materials), [
            {"material_id": FG, "material_code": "PUMP", "material_name": "Pump", "material_type": "finished_good",
             "base_unit_of_measure": "EA", "standard_cost": Decimal("50.0000"), "material_status": "active",
             "product_id": "PRD-000001", "created_at": now},
            {"material_id": FG2, "material_code": "VALVE", "material_name": "Valve", "material_type": "finished_good",
             "base_unit_of_measure": "EA", "standard_cost": Decimal("20.0000"), "material_status": "active",
             "product_id": "PRD-000002", "created_at": now},
            {"material_id": RAW, "material_code": "STEEL", "material_name": "Steel", "material_type": "raw",
             "base_unit_of_measure": "KG", "standard_cost": Decimal("2.0000"), "material_status": "active", "product_id": None, "created_at": now},
        ])
    with ctx.transaction("genims_erp_db") as conn:
        post_movement(ctx, conn, material_id=FG, plant_id="FAC-000001", storage_location="FG01", batch_number=None,
                      quantity=Decimal("100"), amount=Decimal("5000.00"), transaction_type="initial_stock",
                      movement_type="561", posting_date=TODAY)
    return ctx


def production_order(dbs, material_id: str, quantity: str, end: dt.date, po_id: str = "PRD-000001") -> None:
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(ProductionOrders).values(
            production_order_id=po_id, material_id=material_id, plant_id="FAC-000001", order_quantity=Decimal(quantity),
            delivered_quantity=Decimal("0"), scheduled_end_date=end, basic_end_date=end, system_status="released",
            created_at=FROZEN))
