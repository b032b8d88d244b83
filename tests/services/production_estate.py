"""A small make-to-stock estate for the production tests: one plant, one line mapped to the product,
a finished good with a two-component BOM and a one-operation routing, component stock received
through post_movement, and production orders in state 'created'.

Hand-computed example (order of 10, confirm good 9 + scrap 1, 2.5 labour hours, backflush):
  component A: 2 per unit x 10 = 20 at 3.00 = 60.00
  component B: 0.5 per unit x 10 x 1.10 (10 % component scrap) = 5.5 at 8.00 = 44.00
  labour: 2.5 h x 40.00 = 100.00             actual = 204.00
  standard: 9 good x 20.00 = 180.00          variance = actual - standard = 24.00
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, insert, select

from genims_tui.backend.access import ROLE_BY_ID, ActingUser
from genims_tui.backend.models.erp import (
    BillOfMaterials,
    BomComponents,
    InventoryBalances,
    InventoryTransactions,
    Materials,
    ProductionOrders,
    Routing,
    RoutingOperations,
    WorkCenters,
)
from genims_tui.backend.models.financial import JournalEntryHeaders, JournalEntryLines
from genims_tui.backend.models.master import Factories, LineProductMapping, ProductionLines, Products
from genims_tui.backend.services import finance
from genims_tui.backend.services.base import ServiceContext
from genims_tui.backend.services.inventory import post_movement

FROZEN = dt.datetime(2026, 11, 20, 9, 30)
DAY = FROZEN.date()
DATABASES = ["genims_master_db", "genims_erp_db", "genims_manufacturing_db", "genims_financial_db", "genims_console_db"]
PLANT = "FAC-000001"
FG, COMP_A, COMP_B = "MAT-000010", "MAT-000001", "MAT-000002"


def user(role_id: str) -> ActingUser:
    role = ROLE_BY_ID[role_id]
    return ActingUser(user_id=f"USR-{role_id}"[:50], email=role.email or f"{role_id}@x", display_name=role.name,
                      roles=frozenset({role_id}), permissions=dict(role.permissions), capabilities=role.capabilities)


def context(dbs, role_id: str | None = None) -> ServiceContext:
    ctx = ServiceContext(dbs, clock=lambda: FROZEN)
    return ctx.as_user(user(role_id)) if role_id else ctx


def build(dbs, orders: int = 1, stock_a: Decimal = Decimal("100"), stock_b: Decimal = Decimal("40")) -> ServiceContext:
    dbs.create(DATABASES)
    ctx = context(dbs)
    finance.ensure_chart_of_accounts(ctx)
    now = FROZEN
    with dbs.begin("genims_master_db") as conn:
        conn.execute(insert(Factories).values(factory_id=PLANT, factory_name="Plant 1", status="active", created_at=now))
        conn.execute(insert(ProductionLines), [
            {"line_id": "LINE-000001", "factory_id": PLANT, "line_name": "Assembly 1", "status": "active"},
            {"line_id": "LINE-000002", "factory_id": PLANT, "line_name": "Assembly 2", "status": "active"}])
        conn.execute(insert(Products).values(product_id="PROD-000001", product_name="Widget", status="active"))
        conn.execute(insert(LineProductMapping), [
            {"mapping_id": "LPM-000001", "line_id": "LINE-000001", "product_id": "PROD-000001", "factory_id": PLANT,
             "is_primary_line": False, "status": "active"},
            {"mapping_id": "LPM-000002", "line_id": "LINE-000002", "product_id": "PROD-000001", "factory_id": PLANT,
             "is_primary_line": True, "status": "active"}])
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Materials), [
            {"material_id": COMP_A, "material_code": "A", "material_name": "Bracket", "material_type": "raw_material",
             "base_unit_of_measure": "EA", "standard_cost": Decimal("3.0000"), "product_id": None},
            {"material_id": COMP_B, "material_code": "B", "material_name": "Resin", "material_type": "raw_material",
             "base_unit_of_measure": "KG", "standard_cost": Decimal("8.0000"), "product_id": None},
            {"material_id": FG, "material_code": "W", "material_name": "Widget", "material_type": "finished_good",
             "base_unit_of_measure": "EA", "standard_cost": Decimal("20.0000"), "product_id": "PROD-000001"}])
        conn.execute(insert(BillOfMaterials).values(
            bom_id="BOM-000001", bom_number="BOM1", parent_material_id=FG, parent_quantity=1, bom_status="active",
            base_quantity=Decimal("1"), plant_id=PLANT, product_id="PROD-000001"))
        conn.execute(insert(BomComponents), [
            {"component_id": "BOMC-000001", "bom_id": "BOM-000001", "item_number": 10, "material_id": COMP_A,
             "component_quantity": Decimal("2"), "component_scrap_percentage": Decimal("0"), "backflush": True},
            {"component_id": "BOMC-000002", "bom_id": "BOM-000001", "item_number": 20, "material_id": COMP_B,
             "component_quantity": Decimal("0.5"), "component_scrap_percentage": Decimal("10"), "backflush": True}])
        conn.execute(insert(WorkCenters).values(
            work_center_id="WC-000001", work_center_code="ASM1", work_center_name="Assembly", plant_id=PLANT,
            hourly_rate=Decimal("40.00"), line_id="LINE-000001", is_active=True))
        conn.execute(insert(Routing).values(routing_id="RTG-000001", routing_number="RT1", material_id=FG, plant_id=PLANT,
                                            routing_status="released", base_quantity=Decimal("1")))
        conn.execute(insert(RoutingOperations), [
            {"operation_id": "RTOP-000001", "routing_id": "RTG-000001", "operation_number": 10,
             "operation_short_text": "Assemble", "work_center_id": "WC-000001", "setup_time": Decimal("15"),
             "machine_time": Decimal("3"), "labor_time": Decimal("6"), "base_quantity": Decimal("1"),
             "standard_value_unit": "MIN"},
            {"operation_id": "RTOP-000002", "routing_id": "RTG-000001", "operation_number": 20,
             "operation_short_text": "Test", "work_center_id": "WC-000001", "setup_time": Decimal("5"),
             "machine_time": Decimal("1"), "labor_time": Decimal("2"), "base_quantity": Decimal("1"),
             "standard_value_unit": "MIN"}])
    for n in range(1, orders + 1):
        add_order(dbs, f"PRD-{n:06d}")
    with ctx.transaction("genims_erp_db") as conn:
        for mid, qty, price, sloc in ((COMP_A, stock_a, Decimal("3"), "RM01"), (COMP_B, stock_b, Decimal("8"), "RM01")):
            if qty > 0:
                post_movement(ctx, conn, material_id=mid, plant_id=PLANT, storage_location=sloc, batch_number="B0",
                              quantity=qty, amount=qty * price, transaction_type="goods_receipt", movement_type="101",
                              posting_date=DAY)
    return ctx


def add_order(dbs, po_id: str, qty: int = 10, status: str = "created") -> None:
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(ProductionOrders).values(
            production_order_id=po_id, production_order_number=po_id[-7:], material_id=FG, plant_id=PLANT,
            order_type="PP02", order_quantity=Decimal(qty), delivered_quantity=Decimal(0), scrap_quantity=Decimal(0),
            basic_start_date=dt.date(2026, 11, 23), basic_end_date=dt.date(2026, 11, 25), system_status=status,
            priority=3, bom_id="BOM-000001", routing_id="RTG-000001", planned_costs=Decimal(qty * 20),
            created_at=FROZEN))


def stock(dbs, material_id: str) -> Decimal:
    with dbs.connect("genims_erp_db") as conn:
        rows = conn.execute(select(InventoryBalances).where(InventoryBalances.material_id == material_id)).all()
    return sum((Decimal(str(r.unrestricted_stock)) + Decimal(str(r.quality_inspection_stock or 0))
                + Decimal(str(r.blocked_stock or 0)) for r in rows), Decimal(0))


def ledger(dbs, material_id: str) -> Decimal:
    with dbs.connect("genims_erp_db") as conn:
        v = conn.execute(select(func.coalesce(func.sum(InventoryTransactions.quantity), 0))
                         .where(InventoryTransactions.material_id == material_id)).scalar()
    return Decimal(str(v))


def journal(dbs) -> list[tuple[str, str, Decimal, Decimal]]:
    """(source type, account, debit, credit) of every journal line."""
    h, ln = JournalEntryHeaders, JournalEntryLines
    with dbs.connect("genims_financial_db") as conn:
        rows = conn.execute(select(h.source_type, ln.account_id, ln.debit_amount, ln.credit_amount)
                            .join(h, h.journal_entry_id == ln.journal_entry_id)).all()
    return [(s, a, Decimal(str(d or 0)), Decimal(str(c or 0))) for s, a, d, c in rows]


def account_balance(dbs, code: str) -> Decimal:
    acct = finance.account_id_for(code)
    return sum((d - c for _, a, d, c in journal(dbs) if a == acct), Decimal(0))
