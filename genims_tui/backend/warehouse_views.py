"""The warehouse workspace's read side: stock by warehouse / zone / bin, receiving tasks awaiting
putaway, pick waves with their picks, packing and shipping, cycle counts, and the latest ERP <-> WMS
reconciliation with a drill-down into one material.

Every list is one page through `browse.page_select` (filtered and sorted in SQL); every detail list
has a LIMIT. Reads only; the writes are the services' (services.warehouse, services.inventory_sync).
Never imports textual.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .access import ActingUser, require
from .browse import Page, PageQuery, page_select
from .databases import Databases
from .errors import NotFound
from .models.erp import InventoryBalances, InventoryTransactions, Materials
from .models.erp_wms_sync import InventoryReconciliationHeaders, InventoryReconciliationLines, InventorySnapshot
from .models.wms import (
    CycleCountTasks,
    PackingTasks,
    PickingTasks,
    PickWaves,
    PutawayTasks,
    ReceivingTasks,
    ShippingTasks,
    StorageBins,
    WarehouseInventory,
    WarehouseMovements,
    Warehouses,
    WarehouseZones,
)

WMS = "genims_wms_db"
ERP = "genims_erp_db"
SYNC = "genims_erp_wms_sync_db"
DETAIL_LIMIT = 200
RECENT_MOVEMENTS = 15

# stock drill-down levels: what each level lists and the key of its rows
STOCK_LEVELS = ("warehouses", "zones", "bins", "stock")


def _sorted(pq: PageQuery, column: str, descending: bool = False) -> PageQuery:
    """The default order of a list when the person has not chosen one."""
    if pq.sort_column:
        return pq
    return PageQuery(pq.offset, pq.limit, pq.filter_text, column, descending)


# -- stock ---------------------------------------------------------------------------------------------


def stock_page(dbs: Databases, user: ActingUser, pq: PageQuery, level: str = "warehouses",
               parent: str | None = None) -> Page:
    """One page of stock at a level: warehouses; the zones of a warehouse; the bins of a zone; the stock
    rows (material, batch) of a bin. Quantities are sums of warehouse_inventory."""
    require(user, WMS, "read", "Reading warehouse stock")
    wi, w, z, b = WarehouseInventory, Warehouses, WarehouseZones, StorageBins
    if level == "warehouses":
        stock = (select(wi.warehouse_id, func.count(func.distinct(wi.bin_id)).label("bins_used"),
                        func.count(func.distinct(wi.material_id)).label("materials"),
                        func.sum(wi.quantity_on_hand).label("on_hand"), func.sum(wi.reserved_quantity).label("reserved"),
                        func.sum(wi.available_quantity).label("available"))
                 .group_by(wi.warehouse_id).subquery())
        query = (select(w.warehouse_id.label("warehouse"), w.warehouse_name.label("name"), w.plant_id.label("plant"),
                        func.coalesce(stock.c.bins_used, 0).label("bins_used"),
                        func.coalesce(stock.c.materials, 0).label("materials"),
                        func.coalesce(stock.c.on_hand, 0).label("on_hand"),
                        func.coalesce(stock.c.reserved, 0).label("reserved"),
                        func.coalesce(stock.c.available, 0).label("available"))
                 .outerjoin(stock, stock.c.warehouse_id == w.warehouse_id))
        key = "warehouse"
    elif level == "zones":
        bins = select(b.zone_id, func.count().label("bins")).group_by(b.zone_id).subquery()
        stock = (select(b.zone_id, func.count(func.distinct(wi.bin_id)).label("bins_used"),
                        func.sum(wi.quantity_on_hand).label("on_hand"), func.sum(wi.available_quantity).label("available"))
                 .join(b, b.bin_id == wi.bin_id).group_by(b.zone_id).subquery())
        query = (select(z.zone_id.label("zone"), z.zone_code.label("code"), z.zone_name.label("name"),
                        z.zone_type.label("type"), func.coalesce(bins.c.bins, 0).label("bins"),
                        func.coalesce(stock.c.bins_used, 0).label("bins_used"),
                        func.coalesce(stock.c.on_hand, 0).label("on_hand"),
                        func.coalesce(stock.c.available, 0).label("available"))
                 .outerjoin(bins, bins.c.zone_id == z.zone_id).outerjoin(stock, stock.c.zone_id == z.zone_id)
                 .where(z.warehouse_id == parent))
        key = "zone"
    elif level == "bins":
        stock = (select(wi.bin_id, func.count(func.distinct(wi.material_id)).label("materials"),
                        func.sum(wi.quantity_on_hand).label("on_hand"), func.sum(wi.reserved_quantity).label("reserved"))
                 .group_by(wi.bin_id).subquery())
        query = (select(b.bin_id.label("bin"), b.full_location.label("location"), b.bin_type.label("type"),
                        b.weight_capacity_kg.label("capacity_kg"), b.current_occupancy_pct.label("occupancy_pct"),
                        b.bin_status.label("status"), b.dedicated_material_id.label("dedicated"),
                        func.coalesce(stock.c.materials, 0).label("materials"),
                        func.coalesce(stock.c.on_hand, 0).label("on_hand"),
                        func.coalesce(stock.c.reserved, 0).label("reserved"))
                 .outerjoin(stock, stock.c.bin_id == b.bin_id).where(b.zone_id == parent))
        key = "bin"
    elif level == "stock":
        query = (select(wi.inventory_id.label("inventory"), wi.material_id.label("material"),
                        wi.batch_number.label("batch"), wi.quantity_on_hand.label("on_hand"),
                        wi.reserved_quantity.label("reserved"), wi.available_quantity.label("available"),
                        wi.unit_of_measure.label("uom"), wi.stock_status.label("status"),
                        wi.last_movement_date.label("last_movement"), wi.last_cycle_count_date.label("last_count"))
                 .where(wi.bin_id == parent))
        key = "inventory"
    else:
        raise ValueError(f"unknown stock level {level!r}")
    with dbs.connect(WMS) as conn:
        return page_select(conn, query, pq, key_column=key)


def warehouse_choices(dbs: Databases, user: ActingUser) -> list[tuple[str, str]]:
    """(label, warehouse_id) of the active warehouses, for choice fields."""
    require(user, WMS, "read", "Listing warehouses")
    w = Warehouses
    with dbs.connect(WMS) as conn:
        rows = conn.execute(select(w.warehouse_id, w.warehouse_name).where(w.is_active.is_not(False))
                            .order_by(w.warehouse_id).limit(DETAIL_LIMIT)).all()
    return [(f"{r.warehouse_id} {r.warehouse_name or ''}".strip(), r.warehouse_id) for r in rows]


def material_ids(dbs: Databases, user: ActingUser, limit: int = 1000) -> list[str]:
    """Material ids for completion (bounded)."""
    require(user, ERP, "read", "Listing materials")
    with dbs.connect(ERP) as conn:
        return list(conn.execute(select(Materials.material_id).order_by(Materials.material_id).limit(limit)).scalars())


# -- receiving -> putaway ------------------------------------------------------------------------------


def _put_away_sum():
    p = PutawayTasks
    return (select(p.receiving_task_id, func.sum(p.quantity).label("put_away")).where(p.task_status == "completed")
            .group_by(p.receiving_task_id).subquery())


def receiving_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Receiving tasks with what is still to put away (`open` = received - put away); the newest first."""
    require(user, WMS, "read", "Reading receiving tasks")
    r = ReceivingTasks
    done = _put_away_sum()
    put = func.coalesce(done.c.put_away, 0)
    query = (select(r.receiving_task_id.label("task"), r.warehouse_id.label("warehouse"), r.material_id.label("material"),
                    r.received_quantity.label("received"), put.label("put_away"),
                    (func.coalesce(r.received_quantity, 0) - put).label("open"), r.unit_of_measure.label("uom"),
                    r.batch_number.label("batch"), r.purchase_order_id.label("po"), r.task_status.label("status"),
                    r.completed_at.label("received_at"))
             .outerjoin(done, done.c.receiving_task_id == r.receiving_task_id))
    with dbs.connect(WMS) as conn:
        return page_select(conn, query, _sorted(pq, "task", descending=True), key_column="task")


def receiving_task(dbs: Databases, user: ActingUser, receiving_task_id: str) -> dict[str, Any]:
    """One receiving task with its open quantity (what a putaway form starts from)."""
    require(user, WMS, "read", "Reading a receiving task")
    r = ReceivingTasks
    done = _put_away_sum()
    with dbs.connect(WMS) as conn:
        row = conn.execute(select(r, func.coalesce(done.c.put_away, 0).label("put_away"))
                           .outerjoin(done, done.c.receiving_task_id == r.receiving_task_id)
                           .where(r.receiving_task_id == receiving_task_id)).first()
    if row is None:
        raise NotFound(f"Receiving task {receiving_task_id} does not exist.")
    data = dict(row._mapping)
    data["open"] = (data["received_quantity"] or 0) - (data["put_away"] or 0)
    return data


def bin_ids(dbs: Databases, user: ActingUser, warehouse_id: str, limit: int = 1000) -> list[str]:
    require(user, WMS, "read", "Listing bins")
    with dbs.connect(WMS) as conn:
        return list(conn.execute(select(StorageBins.bin_id).where(StorageBins.warehouse_id == warehouse_id)
                                 .order_by(StorageBins.bin_id).limit(limit)).scalars())


# -- outbound: waves, picks, packing, shipping ----------------------------------------------------------


def waves_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    require(user, WMS, "read", "Reading pick waves")
    v = PickWaves
    query = select(v.wave_id.label("wave"), v.warehouse_id.label("warehouse"), v.wave_status.label("status"),
                   v.total_orders.label("orders"), v.total_lines.label("lines"), v.total_units.label("units"),
                   v.picked_units.label("picked"), v.planned_ship_date.label("ship_date"), v.created_at.label("created"))
    with dbs.connect(WMS) as conn:
        return page_select(conn, query, _sorted(pq, "wave", descending=True), key_column="wave")


def wave_detail(dbs: Databases, user: ActingUser, wave_id: str) -> dict[str, Any]:
    """A wave's picks (open ones first) and, per sales order, its packing and shipping state."""
    require(user, WMS, "read", "Reading a pick wave")
    pt, pk, sh = PickingTasks, PackingTasks, ShippingTasks
    with dbs.connect(WMS) as conn:
        wave = conn.execute(select(PickWaves).where(PickWaves.wave_id == wave_id)).first()
        if wave is None:
            raise NotFound(f"Pick wave {wave_id} does not exist.")
        picks = [dict(r._mapping) for r in conn.execute(
            select(pt.picking_task_id, pt.sales_order_id, pt.material_id, pt.pick_from_bin_id, pt.pick_from_location,
                   pt.quantity_to_pick, pt.quantity_picked, pt.task_status)
            .where(pt.wave_id == wave_id).order_by(pt.pick_sequence, pt.picking_task_id).limit(DETAIL_LIMIT))]
        packs = {r.sales_order_id: r for r in conn.execute(
            select(pk.packing_task_id, pk.sales_order_id, pk.shipment_id, pk.package_weight_kg).where(pk.wave_id == wave_id))}
        shipped = {r.shipment_id: r for r in conn.execute(
            select(sh.shipping_task_id, sh.shipment_id, sh.carrier_id, sh.task_status)
            .where(sh.shipment_id.in_([p.shipment_id for p in packs.values() if p.shipment_id])))} if packs else {}
    orders = []
    for so in sorted({p["sales_order_id"] for p in picks}):
        mine = [p for p in picks if p["sales_order_id"] == so]
        pack = packs.get(so)
        ship = shipped.get(pack.shipment_id) if pack is not None and pack.shipment_id else None
        open_picks = sum(1 for p in mine if p["task_status"] in ("pending", "assigned", "in_progress"))
        stage = ("shipped" if ship else "packed" if pack else "picking" if open_picks else "ready to pack")
        orders.append({"sales_order_id": so, "picks": len(mine), "open_picks": open_picks,
                       "picked": sum((p["quantity_picked"] or 0 for p in mine), 0), "stage": stage,
                       "packing_task_id": pack.packing_task_id if pack else None,
                       "shipment_id": pack.shipment_id if pack else None,
                       "shipping_task_id": ship.shipping_task_id if ship else None,
                       "carrier_id": ship.carrier_id if ship else None})
    return {"wave": dict(wave._mapping), "picks": picks, "orders": orders}


def open_sales_orders(dbs: Databases, user: ActingUser, limit: int = 500) -> list[str]:
    """Sales order ids that may go into a wave (confirmed or partly delivered), for completion."""
    require(user, ERP, "read", "Listing sales orders")
    from .models.erp import SalesOrders

    so = SalesOrders
    with dbs.connect(ERP) as conn:
        return list(conn.execute(select(so.sales_order_id).where(
            so.order_status.in_(("confirmed", "released", "in_production", "partially_delivered")))
            .order_by(so.sales_order_id.desc()).limit(limit)).scalars())


# -- cycle counts ---------------------------------------------------------------------------------------


def counts_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Cycle count tasks: expected, counted, variance (quantity and %), recount flag, status. The ones
    that still need a count or a posting first (by status), then the newest."""
    require(user, WMS, "read", "Reading cycle counts")
    c, b = CycleCountTasks, StorageBins
    query = (select(c.cycle_count_id.label("count"), c.warehouse_id.label("warehouse"), c.bin_id.label("bin"),
                    b.full_location.label("location"), c.material_id.label("material"),
                    c.expected_quantity.label("expected"), c.counted_quantity.label("counted"),
                    c.variance_quantity.label("variance"), c.variance_percentage.label("variance_pct"),
                    c.recount_required.label("recount"), c.task_status.label("status"),
                    c.scheduled_date.label("scheduled"), c.count_date.label("counted_on"))
             .outerjoin(b, b.bin_id == c.bin_id))
    with dbs.connect(WMS) as conn:
        return page_select(conn, query, _sorted(pq, "count", descending=True), key_column="count")


def cycle_count(dbs: Databases, user: ActingUser, cycle_count_id: str) -> dict[str, Any]:
    require(user, WMS, "read", "Reading a cycle count")
    with dbs.connect(WMS) as conn:
        row = conn.execute(select(CycleCountTasks).where(CycleCountTasks.cycle_count_id == cycle_count_id)).first()
    if row is None:
        raise NotFound(f"Cycle count {cycle_count_id} does not exist.")
    return dict(row._mapping)


# -- ERP <-> WMS reconciliation -------------------------------------------------------------------------


def latest_reconciliation(dbs: Databases, user: ActingUser) -> dict[str, Any] | None:
    """The latest reconciliation run (its headers, one per plant, share the run's start time) with
    matched / minor / major counts; None when none has run."""
    require(user, SYNC, "read", "Reading reconciliations")
    h, ln = InventoryReconciliationHeaders, InventoryReconciliationLines
    with dbs.connect(SYNC) as conn:
        last = conn.execute(select(h.started_at, h.reconciliation_id).order_by(h.started_at.desc(), h.reconciliation_id.desc())
                            .limit(1)).first()
        if last is None:
            return None
        headers = conn.execute(select(h).where(h.started_at == last.started_at).order_by(h.reconciliation_id)
                               .limit(DETAIL_LIMIT)).all()
        ids = [x.reconciliation_id for x in headers]
        counts = dict(conn.execute(select(ln.variance_status, func.count()).where(ln.reconciliation_id.in_(ids))
                                   .group_by(ln.variance_status)).all())
    return {"reconciliation_ids": ids, "started_at": last.started_at, "date": headers[0].reconciliation_date,
            "plants": [x.location_id for x in headers], "started_by": headers[0].started_by,
            "matched": counts.get("matched", 0), "minor": counts.get("minor", 0), "major": counts.get("major", 0),
            "variance_value": sum((x.total_variance_value or 0 for x in headers), 0)}


_STATUS_ORDER = {"major": 0, "minor": 1, "matched": 2}


def reconciliation_lines_page(dbs: Databases, user: ActingUser, reconciliation_ids: list[str], pq: PageQuery) -> Page:
    """The lines of one reconciliation run; the largest variance % first unless sorted otherwise."""
    require(user, SYNC, "read", "Reading reconciliations")
    ln = InventoryReconciliationLines
    query = (select(ln.line_id.label("line"), ln.material_id.label("material"), ln.location_id.label("plant"),
                    ln.erp_quantity.label("erp_qty"), ln.wms_quantity.label("wms_qty"),
                    ln.variance_quantity.label("variance"), ln.variance_pct.label("variance_pct"),
                    ln.variance_value.label("variance_value"), ln.variance_status.label("status"))
             .where(ln.reconciliation_id.in_(list(reconciliation_ids) or ["-"])))
    with dbs.connect(SYNC) as conn:
        return page_select(conn, query, _sorted(pq, "variance_pct", descending=True), key_column="line")


def material_detail(dbs: Databases, user: ActingUser, material_id: str) -> dict[str, Any]:
    """ERP vs WMS for one material: ERP balances per plant / storage location, WMS stock per warehouse /
    bin, the sync snapshot per plant, and the recent movements on each side."""
    require(user, ERP, "read", "Reading a material's stock")
    require(user, WMS, "read", "Reading a material's stock")
    ib, it = InventoryBalances, InventoryTransactions
    wi, wm, w = WarehouseInventory, WarehouseMovements, Warehouses
    with dbs.connect(ERP) as conn:
        mat = conn.execute(select(Materials.material_id, Materials.material_name, Materials.base_unit_of_measure)
                           .where(Materials.material_id == material_id)).first()
        if mat is None:
            raise NotFound(f"There is no material {material_id}.")
        erp = [dict(r._mapping) for r in conn.execute(
            select(ib.plant_id, ib.storage_location, ib.batch_number, ib.unrestricted_stock, ib.quality_inspection_stock,
                   ib.blocked_stock).where(ib.material_id == material_id)
            .order_by(ib.plant_id, ib.storage_location, ib.batch_number).limit(DETAIL_LIMIT))]
        erp_moves = [dict(r._mapping) for r in conn.execute(
            select(it.transaction_id, it.posting_date, it.movement_type, it.transaction_type, it.plant_id, it.quantity,
                   it.material_document).where(it.material_id == material_id)
            .order_by(it.created_at.desc(), it.transaction_id.desc()).limit(RECENT_MOVEMENTS))]
    with dbs.connect(WMS) as conn:
        plants = dict(conn.execute(select(w.warehouse_id, w.plant_id)).all())
        wms = [dict(r._mapping) for r in conn.execute(
            select(wi.warehouse_id, wi.bin_id, wi.batch_number, wi.quantity_on_hand, wi.reserved_quantity,
                   wi.available_quantity).where(wi.material_id == material_id)
            .order_by(wi.warehouse_id, wi.bin_id).limit(DETAIL_LIMIT))]
        wms_moves = [dict(r._mapping) for r in conn.execute(
            select(wm.movement_id, wm.movement_timestamp, wm.movement_type, wm.warehouse_id, wm.from_bin_id, wm.to_bin_id,
                   wm.quantity, wm.reference_document_id).where(wm.material_id == material_id)
            .order_by(wm.movement_timestamp.desc(), wm.movement_id.desc()).limit(RECENT_MOVEMENTS))]
    for row in wms:
        row["plant_id"] = plants.get(row["warehouse_id"])
    per_plant: dict[str, dict[str, Any]] = {}
    for row in erp:
        p = per_plant.setdefault(row["plant_id"], {"plant_id": row["plant_id"], "erp": 0, "wms": 0})
        p["erp"] += (row["unrestricted_stock"] or 0) + (row["quality_inspection_stock"] or 0) + (row["blocked_stock"] or 0)
    for row in wms:
        p = per_plant.setdefault(row["plant_id"], {"plant_id": row["plant_id"], "erp": 0, "wms": 0})
        p["wms"] += row["quantity_on_hand"] or 0
    snapshot = {}
    if user.can(SYNC, "read"):
        with dbs.connect(SYNC) as conn:
            snapshot = {r.location_id: r for r in conn.execute(
                select(InventorySnapshot.location_id, InventorySnapshot.sync_status, InventorySnapshot.last_sync_timestamp)
                .where(InventorySnapshot.material_id == material_id).limit(DETAIL_LIMIT))}
    plants_rows = []
    for key in sorted(per_plant, key=lambda k: str(k)):
        p = per_plant[key]
        p["variance"] = p["wms"] - p["erp"]
        snap = snapshot.get(key)
        p["sync_status"] = snap.sync_status if snap else None
        plants_rows.append(p)
    return {"material": dict(mat._mapping), "plants": plants_rows, "erp": erp, "wms": wms,
            "erp_movements": erp_moves, "wms_movements": wms_moves}


# -- one-line summaries (each view's status line; also what shows a dead database at once) ---------------


def workload(dbs: Databases, user: ActingUser) -> dict[str, Any]:
    """What waits in the warehouse: receiving tasks with quantity left to put away, open pick waves,
    counts to enter and variances to post, and the stock totals."""
    require(user, WMS, "read", "Reading the warehouse workload")
    r, done = ReceivingTasks, _put_away_sum()
    wi, c, v = WarehouseInventory, CycleCountTasks, PickWaves
    with dbs.connect(WMS) as conn:
        to_put_away = conn.execute(select(func.count()).select_from(r).outerjoin(done, done.c.receiving_task_id == r.receiving_task_id)
                                   .where(func.coalesce(r.received_quantity, 0) - func.coalesce(done.c.put_away, 0) > 0)).scalar()
        open_waves = conn.execute(select(func.count()).where(v.wave_status.in_(("released", "in_progress", "planned")))).scalar()
        counts = dict(conn.execute(select(c.task_status, func.count()).where(
            c.task_status.in_(("scheduled", "recount", "variance_review"))).group_by(c.task_status)).all())
        on_hand, available = conn.execute(select(func.coalesce(func.sum(wi.quantity_on_hand), 0),
                                                 func.coalesce(func.sum(wi.available_quantity), 0))).one()
        warehouses = conn.execute(select(func.count()).select_from(Warehouses)).scalar()
    return {"to_put_away": int(to_put_away or 0), "open_waves": int(open_waves or 0),
            "to_count": int(counts.get("scheduled", 0) + counts.get("recount", 0)),
            "to_post": int(counts.get("variance_review", 0)), "on_hand": on_hand, "available": available,
            "warehouses": int(warehouses or 0)}
