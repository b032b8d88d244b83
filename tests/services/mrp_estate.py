"""A textbook MRP estate: one plant, a product with a two-level BOM and every lot-sizing rule.

    A (make, LT 1, lot-for-lot, on hand 10)      BOM A (base 1): 2 B, 1 C (+10 % scrap), 1 D
    B (make, LT 2, fixed lot 50, SS 5, on hand 20) BOM B (base 2): 3 C
    C (buy, LT 3, EOQ, cost 4, SS 10, multiple 10, on hand 100, open PO 50 due day 8)
    D (buy, LT 2, min-max: reorder point 20, maximum 100, on hand 30)

C is used at level 1 (under A) and level 2 (under B): its low-level code is 2.
Demand: sales order lines for A, 30 on day 5 and 40 on day 10; an open production order of A
delivers 10 on day 5. Day 0 is the frozen planning date 2026-11-20.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import insert

from genims_tui.backend.models.erp import (
    BillOfMaterials,
    BomComponents,
    InventoryBalances,
    Materials,
    ProductionOrders,
    PurchaseOrderLines,
    PurchaseOrders,
    Routing,
    SalesOrderLines,
    SalesOrders,
)

from .p2p_estate import FROZEN, context

PLANT = "FAC-000001"
TODAY = FROZEN.date()
DATABASES = ["genims_erp_db", "genims_console_db"]


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def _mat(mid, proc, lt, rule, *, ss=0, rop=None, mx=None, moq=0, mult=0, cost="10"):
    return {"material_id": mid, "material_code": mid, "material_name": f"Material {mid}", "material_type": "x",
            "base_unit_of_measure": "EA", "procurement_type": proc, "lead_time_days": lt, "lot_sizing_procedure": rule,
            "safety_stock": Decimal(ss), "reorder_point": None if rop is None else Decimal(rop),
            "maximum_stock": None if mx is None else Decimal(mx), "minimum_order_quantity": Decimal(moq),
            "order_multiple": Decimal(mult), "standard_cost": Decimal(cost), "mrp_type": "PD", "material_status": "active",
            "blocked_for_procurement": False, "blocked_for_production": False, "inspection_required": False,
            "created_at": FROZEN}


def build(dbs):
    dbs.create(DATABASES)
    now = FROZEN
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Materials), [
            _mat("MAT-A", "make", 1, "lot-for-lot"),
            _mat("MAT-B", "make", 2, "fixed", ss=5, moq=50),
            _mat("MAT-C", "buy", 3, "EOQ", ss=10, mult=10, cost="4"),
            _mat("MAT-D", "buy", 2, "min-max", rop=20, mx=100),
        ])
        conn.execute(insert(BillOfMaterials), [
            {"bom_id": "BOM-A", "bom_number": "BA", "parent_material_id": "MAT-A", "bom_usage": "production",
             "bom_status": "active", "alternative_bom": 1, "base_quantity": Decimal(1), "scrap_percentage": Decimal(0),
             "plant_id": None, "is_current_revision": True, "created_at": now},
            {"bom_id": "BOM-B", "bom_number": "BB", "parent_material_id": "MAT-B", "bom_usage": "production",
             "bom_status": "active", "alternative_bom": 1, "base_quantity": Decimal(2), "scrap_percentage": Decimal(0),
             "plant_id": None, "is_current_revision": True, "created_at": now},
        ])
        conn.execute(insert(BomComponents), [
            {"component_id": "BC-1", "bom_id": "BOM-A", "item_number": 10, "material_id": "MAT-B",
             "component_quantity": Decimal(2), "component_scrap_percentage": Decimal(0), "created_at": now},
            {"component_id": "BC-2", "bom_id": "BOM-A", "item_number": 20, "material_id": "MAT-C",
             "component_quantity": Decimal(1), "component_scrap_percentage": Decimal(10), "created_at": now},
            {"component_id": "BC-3", "bom_id": "BOM-A", "item_number": 30, "material_id": "MAT-D",
             "component_quantity": Decimal(1), "component_scrap_percentage": Decimal(0), "created_at": now},
            {"component_id": "BC-4", "bom_id": "BOM-B", "item_number": 10, "material_id": "MAT-C",
             "component_quantity": Decimal(3), "component_scrap_percentage": Decimal(0), "created_at": now},
        ])
        conn.execute(insert(Routing), [
            {"routing_id": "RT-A", "routing_number": "RA", "material_id": "MAT-A", "plant_id": PLANT,
             "routing_status": "active", "created_at": now},
        ])
        conn.execute(insert(InventoryBalances), [
            {"balance_id": f"IB-{m}", "material_id": f"MAT-{m}", "plant_id": PLANT, "storage_location": "0001",
             "unrestricted_stock": Decimal(q), "quality_inspection_stock": Decimal(0), "blocked_stock": Decimal(0)}
            for m, q in (("A", 10), ("B", 20), ("C", 100), ("D", 30))
        ])
        conn.execute(insert(SalesOrders), [{"sales_order_id": "SO-1", "sales_order_number": "SO-1", "order_date": TODAY}])
        conn.execute(insert(SalesOrderLines), [
            {"sales_order_line_id": "SOL-1", "sales_order_id": "SO-1", "line_number": 10, "material_id": "MAT-A",
             "order_quantity": Decimal(30), "delivered_quantity": Decimal(0), "requested_delivery_date": day(5),
             "confirmed_delivery_date": None, "plant_id": PLANT, "line_status": "open", "created_at": now},
            {"sales_order_line_id": "SOL-2", "sales_order_id": "SO-1", "line_number": 20, "material_id": "MAT-A",
             "order_quantity": Decimal(45), "delivered_quantity": Decimal(5), "requested_delivery_date": day(12),
             "confirmed_delivery_date": day(10), "plant_id": PLANT, "line_status": "open", "created_at": now},
            {"sales_order_line_id": "SOL-3", "sales_order_id": "SO-1", "line_number": 30, "material_id": "MAT-A",
             "order_quantity": Decimal(99), "delivered_quantity": Decimal(99), "requested_delivery_date": day(6),
             "confirmed_delivery_date": None, "plant_id": PLANT, "line_status": "delivered", "created_at": now},
        ])
        conn.execute(insert(PurchaseOrders), [{"purchase_order_id": "PO-1", "po_number": "PO-1", "po_status": "released"}])
        conn.execute(insert(PurchaseOrderLines), [
            {"po_line_id": "POL-1", "purchase_order_id": "PO-1", "line_number": 10, "material_id": "MAT-C",
             "order_quantity": Decimal(60), "received_quantity": Decimal(10), "delivery_date": day(8),
             "plant_id": PLANT, "line_status": "open", "created_at": now},
        ])
        conn.execute(insert(ProductionOrders), [
            {"production_order_id": "PRD-000001", "production_order_number": "1", "material_id": "MAT-A",
             "plant_id": PLANT, "order_quantity": Decimal(10), "delivered_quantity": Decimal(0),
             "basic_end_date": day(6), "scheduled_end_date": day(5), "system_status": "released",
             "released_at": now, "created_at": now},
        ])
    return context(dbs)
