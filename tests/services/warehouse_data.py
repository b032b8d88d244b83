"""A small warehouse estate: one plant with ERP stock, its warehouse (storage + receiving zones, bins),
a sales order, two carriers, the chart of accounts and the plant <-> warehouse sync mapping.

ERP stock is posted through inventory.post_movement and WMS stock put away through the warehouse
service, so the two agree at the start (as the seeds guarantee)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, insert, select

from genims_tui.backend.access import ROLE_BY_ID, ActingUser
from genims_tui.backend.models.erp import InventoryBalances, Materials, SalesOrderLines, SalesOrders
from genims_tui.backend.models.erp_wms_sync import InventorySyncMappings
from genims_tui.backend.models.tms import Carriers
from genims_tui.backend.models.wms import StorageBins, WarehouseInventory, Warehouses, WarehouseZones
from genims_tui.backend.services import finance, warehouse
from genims_tui.backend.services.base import ServiceContext
from genims_tui.backend.services.inventory import post_movement

FROZEN = dt.datetime(2026, 11, 20, 9, 30)
PLANT, WH = "FAC-000001", "WH-000001"
DATABASES = ["genims_erp_db", "genims_wms_db", "genims_tms_db", "genims_erp_wms_sync_db", "genims_financial_db",
             "genims_console_db"]


def user(role_id: str) -> ActingUser:
    role = ROLE_BY_ID[role_id]
    return ActingUser(user_id=f"USR-{role_id}"[:50], email=role.email or f"{role_id}@x", display_name=role.name,
                      roles=frozenset({role_id}), permissions=dict(role.permissions), capabilities=role.capabilities)


def context(dbs, role_id: str | None = None, when: dt.datetime = FROZEN) -> ServiceContext:
    ctx = ServiceContext(dbs, clock=lambda: when)
    return ctx.as_user(user(role_id)) if role_id else ctx


def build(dbs, *, bins: int = 4, capacity: str = "100", stock: dict[str, str] | None = None) -> ServiceContext:
    """Materials MAT-000001 (1 kg), MAT-000002 (5 kg); ERP stock per `stock` (default 40 / 10), the
    same quantities put away in the WMS. Returns a system context."""
    dbs.create(DATABASES)
    ctx = context(dbs)
    finance.ensure_chart_of_accounts(ctx)
    now = FROZEN
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(Materials), [
            {"material_id": "MAT-000001", "material_name": "Bolt", "base_unit_of_measure": "EA",
             "weight_kg": Decimal("1"), "standard_cost": Decimal("2.0000"), "material_status": "active",
             "created_at": now},
            {"material_id": "MAT-000002", "material_name": "Plate", "base_unit_of_measure": "EA",
             "weight_kg": Decimal("5"), "standard_cost": Decimal("10.0000"), "material_status": "active",
             "created_at": now},
        ])
        conn.execute(insert(SalesOrders).values(sales_order_id="SO-000001", customer_id="CUS-000001",
                                                order_status="released", created_at=now))
        conn.execute(insert(SalesOrderLines), [
            {"sales_order_line_id": "SOL-000001", "sales_order_id": "SO-000001", "line_number": 1,
             "material_id": "MAT-000001", "order_quantity": Decimal("25"), "delivered_quantity": Decimal("0"),
             "unit_of_measure": "EA", "plant_id": PLANT, "line_status": "open", "created_at": now},
            {"sales_order_line_id": "SOL-000002", "sales_order_id": "SO-000001", "line_number": 2,
             "material_id": "MAT-000002", "order_quantity": Decimal("4"), "delivered_quantity": Decimal("0"),
             "unit_of_measure": "EA", "plant_id": PLANT, "line_status": "open", "created_at": now},
        ])
    with dbs.begin("genims_wms_db") as conn:
        conn.execute(insert(Warehouses).values(warehouse_id=WH, warehouse_code="W1", warehouse_name="Main",
                                               plant_id=PLANT, is_active=True, created_at=now))
        conn.execute(insert(WarehouseZones), [
            {"zone_id": "ZON-000001", "warehouse_id": WH, "zone_code": "RCV", "zone_type": "receiving", "is_active": True},
            {"zone_id": "ZON-000002", "warehouse_id": WH, "zone_code": "RSV", "zone_type": "reserve", "is_active": True},
        ])
        conn.execute(insert(StorageBins), [
            {"bin_id": f"BIN-{n:06d}", "warehouse_id": WH, "zone_id": "ZON-000002", "bin_code": f"R-{n:02d}",
             "full_location": f"W1-R-{n:02d}", "weight_capacity_kg": Decimal(capacity), "bin_status": "active",
             "current_occupancy_pct": Decimal("0"), "mixed_storage": True, "created_at": now}
            for n in range(1, bins + 1)])
    with dbs.begin("genims_tms_db") as conn:
        conn.execute(insert(Carriers), [
            {"carrier_id": "CAR-000001", "carrier_name": "Slow", "carrier_status": "active",
             "approved_for_shipments": True, "carrier_rating": Decimal("3.10")},
            {"carrier_id": "CAR-000002", "carrier_name": "Fast", "carrier_status": "active",
             "approved_for_shipments": True, "carrier_rating": Decimal("4.80")},
            {"carrier_id": "CAR-000003", "carrier_name": "Gone", "carrier_status": "inactive",
             "approved_for_shipments": False, "carrier_rating": Decimal("5.00")},
        ])
    with dbs.begin("genims_erp_wms_sync_db") as conn:
        conn.execute(insert(InventorySyncMappings).values(mapping_id="MAP-000001", erp_location_id=PLANT,
                                                          erp_location_type="plant", wms_warehouse_id=WH,
                                                          is_active=True, sync_enabled=True, created_at=now))
    stock = {"MAT-000001": "40", "MAT-000002": "10"} if stock is None else stock
    for mat, qty in stock.items():
        add_erp_stock(ctx, mat, Decimal(qty))
        task = warehouse.receive(ctx, warehouse_id=WH, material_id=mat, quantity=qty)
        warehouse.putaway(ctx, task)
    return ctx


def add_erp_stock(ctx, material_id: str, qty: Decimal, location: str = "0001") -> None:
    with ctx.transaction("genims_erp_db") as conn:
        post_movement(ctx, conn, material_id=material_id, plant_id=PLANT, storage_location=location,
                      batch_number=None, quantity=qty, amount=(qty * 2).quantize(Decimal("0.01")),
                      transaction_type="goods_receipt", movement_type="101", posting_date=FROZEN.date())


def wms_total(dbs, material_id: str | None = None) -> Decimal:
    wi = WarehouseInventory
    q = select(func.coalesce(func.sum(wi.quantity_on_hand), 0))
    if material_id:
        q = q.where(wi.material_id == material_id)
    with dbs.connect("genims_wms_db") as conn:
        return Decimal(str(conn.execute(q).scalar()))


def erp_total(dbs, material_id: str) -> Decimal:
    ib = InventoryBalances
    with dbs.connect("genims_erp_db") as conn:
        rows = conn.execute(select(ib).where(ib.material_id == material_id, ib.plant_id == PLANT)).all()
    return sum((Decimal(str(r.unrestricted_stock or 0)) + Decimal(str(r.quality_inspection_stock or 0))
                + Decimal(str(r.blocked_stock or 0)) for r in rows), Decimal(0))


def rows(dbs, database: str, model, *where) -> list[dict]:
    with dbs.connect(database) as conn:
        return [dict(r) for r in conn.execute(select(model).where(*where)).mappings()]
