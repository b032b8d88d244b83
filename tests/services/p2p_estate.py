"""A small procure-to-pay estate for the finance and procurement service tests.

Arranged through the models (suppliers, materials, a contract) and the services themselves; users
are built from the real role catalogue, so a permission test exercises the real role grants.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, insert, select

from genims_tui.backend.access import ROLE_BY_ID, ActingUser
from genims_tui.backend.models.erp import InventoryBalances, InventoryTransactions, Materials, Suppliers
from genims_tui.backend.models.supplier import ContractPricing, SupplierContracts
from genims_tui.backend.services import finance
from genims_tui.backend.services.base import ServiceContext

FROZEN = dt.datetime(2026, 11, 20, 9, 30)
DATABASES = ["genims_erp_db", "genims_supplier_db", "genims_financial_db", "genims_console_db"]


def user(role_id: str) -> ActingUser:
    role = ROLE_BY_ID[role_id]
    return ActingUser(user_id=f"USR-{role_id}"[:50], email=role.email or f"{role_id}@x", display_name=role.name,
                      roles=frozenset({role_id}), permissions=dict(role.permissions), capabilities=role.capabilities)


def context(dbs, role_id: str | None = None, when: dt.datetime = FROZEN) -> ServiceContext:
    ctx = ServiceContext(dbs, clock=lambda: when)
    return ctx.as_user(user(role_id)) if role_id else ctx


def build(dbs) -> ServiceContext:
    """Databases, the chart of accounts, two suppliers and three materials (one needs inspection,
    one has a contract price). Returns a system context."""
    dbs.create(DATABASES)
    ctx = context(dbs)
    finance.ensure_chart_of_accounts(ctx)
    now = FROZEN
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Suppliers), [
            {"supplier_id": "SUP-000001", "supplier_code": "S1", "supplier_name": "Acme Steel", "currency": "USD",
             "payment_terms": "NET30", "supplier_status": "active", "blocked_for_orders": False, "created_at": now},
            {"supplier_id": "SUP-000002", "supplier_code": "S2", "supplier_name": "Blocked Bolts", "currency": "USD",
             "payment_terms": "NET30", "supplier_status": "blocked", "blocked_for_orders": True, "created_at": now},
        ])
        conn.execute(insert(Materials), [
            {"material_id": "MAT-000001", "material_code": "STEEL", "material_name": "Steel sheet", "material_type": "raw",
             "base_unit_of_measure": "KG", "default_supplier_id": "SUP-000001", "lead_time_days": 7,
             "standard_cost": Decimal("10.0000"), "last_purchase_price": Decimal("9.5000"), "inspection_required": False,
             "material_status": "active", "blocked_for_procurement": False, "created_at": now},
            {"material_id": "MAT-000002", "material_code": "BOLT", "material_name": "Bolt M8", "material_type": "raw",
             "base_unit_of_measure": "EA", "default_supplier_id": "SUP-000001", "lead_time_days": 5,
             "standard_cost": Decimal("0.2500"), "last_purchase_price": None, "inspection_required": True,
             "material_status": "active", "blocked_for_procurement": False, "created_at": now},
            {"material_id": "MAT-000003", "material_code": "PAINT", "material_name": "Paint", "material_type": "raw",
             "base_unit_of_measure": "L", "default_supplier_id": "SUP-000001", "lead_time_days": 3,
             "standard_cost": Decimal("4.0000"), "last_purchase_price": Decimal("4.2000"), "inspection_required": False,
             "material_status": "active", "blocked_for_procurement": False, "created_at": now},
        ])
    with dbs.begin("genims_supplier_db") as conn:
        conn.execute(insert(SupplierContracts), [
            {"contract_id": "CTR-000001", "contract_number": "C-1", "supplier_id": "SUP-000001", "contract_status": "active",
             "start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 12, 31), "created_at": now},
            {"contract_id": "CTR-000002", "contract_number": "C-2", "supplier_id": "SUP-000001", "contract_status": "expired",
             "start_date": dt.date(2025, 1, 1), "end_date": dt.date(2025, 12, 31), "created_at": now},
        ])
        conn.execute(insert(ContractPricing), [
            {"pricing_id": "CP-000001", "contract_id": "CTR-000001", "material_id": "MAT-000003",
             "unit_price": Decimal("3.8000"), "is_active": True, "effective_from": dt.date(2026, 1, 1), "created_at": now},
            {"pricing_id": "CP-000002", "contract_id": "CTR-000002", "material_id": "MAT-000001",
             "unit_price": Decimal("1.0000"), "is_active": True, "effective_from": None, "created_at": now},
        ])
    return ctx


def released_po(ctx, lines) -> str:
    from genims_tui.backend.services import procurement

    po = procurement.create_purchase_order(ctx, "SUP-000001", lines, plant_id="FAC-000001")
    procurement.approve_purchase_order(ctx, po.purchase_order_id)
    procurement.release_purchase_order(ctx, po.purchase_order_id)
    return po.purchase_order_id


def stock_is_conserved(dbs) -> None:
    """For every material/plant/location/batch: unrestricted + inspection + blocked = the sum of
    its inventory transactions."""
    ib, it = InventoryBalances, InventoryTransactions
    with dbs.connect("genims_erp_db") as conn:
        moved = {(m, p, s, b): Decimal(q) for m, p, s, b, q in conn.execute(
            select(it.material_id, it.plant_id, it.storage_location, it.batch_number, func.sum(it.quantity))
            .group_by(it.material_id, it.plant_id, it.storage_location, it.batch_number))}
        held = {(r.material_id, r.plant_id, r.storage_location, r.batch_number):
                (r.unrestricted_stock or 0) + (r.quality_inspection_stock or 0) + (r.blocked_stock or 0)
                for r in conn.execute(select(ib))}
    assert set(moved) == set(held)
    for key, qty in moved.items():
        assert Decimal(held[key]).quantize(Decimal("0.0001")) == qty.quantize(Decimal("0.0001")), key
