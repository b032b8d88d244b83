"""Warehouse (WMS) services: receiving -> putaway, pick waves -> picking -> packing -> shipping, cycle counts.

Stock in a bin is `warehouse_inventory` (one row per bin, material and batch); every change of it
writes a `warehouse_movements` row in the same WMS transaction, and is then queued for the ERP
(`inventory_sync.enqueue`, transaction_id = the movement id, so queuing twice does nothing). Signed
quantities on the queue: putaway +, pick -, count adjustment + (gain) / - (loss).

- Putaway: `receive` records a receiving task; `putaway` puts (part of) it into a bin, the suggested
  one by default (`suggest_bin`: a bin already holding the material with room, else an empty bin of
  a zone of the same type as the material's bins, else of any storage zone). A bin's load is
  sum(quantity * material weight_kg); a putaway over `weight_capacity_kg` is refused, naming both.
- Outbound: `create_pick_wave` allocates open sales order lines FIFO (oldest manufacture date, then
  oldest movement) from bins with available stock, reserving it, one picking task per bin;
  `confirm_pick` takes the picked quantity (may be less: short pick, the rest is released) out of the
  bin; `pack` makes the packing task of an order once its picks are done; `ship` makes the shipping
  task and the TMS shipment (+ lines of what was picked) with the best-rated active carrier. Creating
  the TMS shipment is the automatic consequence of shipping, so it needs WMS write access only.
  The ERP goods issue is sales.deliver_sales_order (601 + COGS): `ship(goods_issue=True)` or
  `post_goods_issue` call it with the shipped quantities, delivery document = the shipment id.
- Cycle counts: `create_cycle_counts`, `enter_count` (variance quantity / %, recount flag over the
  task's threshold, default 2 %), `post_count_adjustment` (capability inventory.adjust): ERP stock is
  changed through inventory.post_movement (701 gain / 702 loss), the GL through finance
  `inventory_adjustment` (source cycle_count/<id>, idempotent), then the WMS bin is set to the counted
  quantity. Each step is idempotent, so a retry after a failure in between finishes the job.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from ..errors import DomainError, NotFound
from ..models.erp import InventoryBalances, InventoryTransactions, Materials, SalesOrderLines, SalesOrders
from ..models.tms import Carriers, Shipments, ShipmentLines
from ..models.wms import (
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
    WaveLines,
)
from . import inventory_sync
from .base import ServiceContext, to_decimal
from .finance import serialize

WMS = "genims_wms_db"
ERP = "genims_erp_db"
TMS = "genims_tms_db"
D0 = Decimal("0")
Q4 = Decimal("0.0001")
C2 = Decimal("0.01")
STORAGE_ZONE_TYPES = ("forward_pick", "reserve", "bulk", "hazmat")
OPEN_TASK = ("pending", "assigned", "in_progress")
CLOSED_SO_LINE = ("closed", "cancelled", "delivered", "rejected", "completed", "shipped")


def _dec(v: Any) -> Decimal:
    return D0 if v is None else (v if isinstance(v, Decimal) else Decimal(str(v)))


@contextmanager
def _at_field(name: str) -> Iterator[None]:
    """A DomainError raised inside names the input `name` (so a form shows it there)."""
    try:
        yield
    except DomainError as exc:
        if exc.field is None:
            exc.field = name
        raise


# -- shared helpers -----------------------------------------------------------------------------------


def _warehouse(conn: Connection, warehouse_id: str):
    row = conn.execute(select(Warehouses).where(Warehouses.warehouse_id == warehouse_id)).first()
    if row is None:
        raise NotFound(f"Warehouse {warehouse_id} does not exist.")
    if row.is_active is False:
        raise DomainError(f"Warehouse {warehouse_id} is not active.")
    return row


def _materials(ctx: ServiceContext, ids) -> dict[str, Any]:
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    with ctx.read(ERP) as conn:
        return {r.material_id: r for r in conn.execute(select(Materials).where(Materials.material_id.in_(ids)))}


def _weights(ctx: ServiceContext, ids) -> dict[str, Decimal]:
    return {k: _dec(v.weight_kg) for k, v in _materials(ctx, ids).items()}


def _bin_load(ctx: ServiceContext, conn: Connection, bin_ids) -> dict[str, Decimal]:
    """Load in kg per bin: sum(quantity * material weight)."""
    wi = WarehouseInventory
    rows = conn.execute(select(wi.bin_id, wi.material_id, wi.quantity_on_hand).where(wi.bin_id.in_(list(bin_ids)))).all()
    weights = _weights(ctx, {r.material_id for r in rows})
    load: dict[str, Decimal] = defaultdict(lambda: D0)
    for r in rows:
        load[r.bin_id] += _dec(r.quantity_on_hand) * weights.get(r.material_id, D0)
    return load


def _refresh_bin(ctx: ServiceContext, conn: Connection, bin_row, *, putaway: bool = False, pick: bool = False) -> None:
    load = _bin_load(ctx, conn, [bin_row.bin_id]).get(bin_row.bin_id, D0)
    cap = _dec(bin_row.weight_capacity_kg)
    pct = min((load / cap * 100).quantize(C2), Decimal("999.99")) if cap else D0
    status = "active" if load == 0 else ("full" if cap and load >= cap * Decimal("0.98") else "occupied")
    values: dict[str, Any] = {"current_occupancy_pct": pct, "bin_status": status}
    if putaway:
        values["last_putaway_date"] = ctx.now()
    if pick:
        values["last_pick_date"] = ctx.now()
    conn.execute(update(StorageBins).where(StorageBins.bin_id == bin_row.bin_id).values(**values))


def _move(ctx: ServiceContext, conn: Connection, *, movement_type: str, material_id: str, quantity: Decimal,
          warehouse_id: str, from_bin: str | None, to_bin: str | None, ref_type: str, ref_id: str,
          batch_number: str | None = None, uom: str | None = None, notes: str | None = None) -> str:
    mid = ctx.next_key("MOV", WarehouseMovements.__table__, "movement_id", WMS, width=7)
    conn.execute(insert(WarehouseMovements).values(
        movement_id=mid, movement_number=mid, material_id=material_id, quantity=quantity, unit_of_measure=uom,
        batch_number=batch_number, lpn=None, movement_type=movement_type, warehouse_id=warehouse_id,
        from_bin_id=from_bin, to_bin_id=to_bin, reference_document_type=ref_type, reference_document_id=ref_id,
        performed_by=None, movement_timestamp=ctx.now(), equipment_used=None, notes=notes))
    return mid


def _queue(ctx: ServiceContext, movements: list[dict[str, Any]]) -> list[str]:
    """Queue committed WMS movements for the ERP (idempotent by movement id)."""
    ids = []
    for m in movements:
        qid, _ = inventory_sync.enqueue(
            ctx, sync_direction="WMS_TO_ERP", transaction_type=f"wms_{m['movement_type']}",
            transaction_id=m["movement_id"], material_id=m["material_id"], quantity=m["signed"],
            from_location=m["warehouse_id"], to_location=m.get("plant_id"), from_bin_location=m.get("from_bin"),
            to_bin_location=m.get("to_bin"), unit_of_measure=m.get("uom"),
            data={"reference_document_type": m.get("ref_type"), "reference_document_id": m.get("ref_id")})
        ids.append(qid)
    return ids


def _add_stock(ctx: ServiceContext, conn: Connection, *, warehouse_id: str, bin_id: str, material_id: str,
               batch_number: str | None, quantity: Decimal, uom: str | None) -> None:
    wi = WarehouseInventory
    batch = wi.batch_number.is_(None) if batch_number is None else wi.batch_number == batch_number
    row = conn.execute(select(wi).where(wi.bin_id == bin_id, wi.material_id == material_id, batch)).first()
    now = ctx.now()
    if row is None:
        iid = ctx.next_key("INV", wi.__table__, "inventory_id", WMS)
        conn.execute(insert(wi).values(
            inventory_id=iid, warehouse_id=warehouse_id, bin_id=bin_id, material_id=material_id,
            batch_number=batch_number, quantity_on_hand=quantity, unit_of_measure=uom, stock_status="available",
            lot_number=batch_number, manufacture_date=now.date(), damaged=False, reserved_quantity=D0,
            available_quantity=quantity, last_movement_date=now, updated_at=now))
    else:
        qoh = _dec(row.quantity_on_hand) + quantity
        conn.execute(update(wi).where(wi.inventory_id == row.inventory_id).values(
            quantity_on_hand=qoh, available_quantity=qoh - _dec(row.reserved_quantity), last_movement_date=now,
            updated_at=now))


# -- receiving and putaway ----------------------------------------------------------------------------


def receive(ctx: ServiceContext, *, warehouse_id: str, material_id: str, quantity: Any,
            batch_number: str | None = None, purchase_order_id: str | None = None,
            goods_receipt_id: str | None = None) -> str:
    """Record goods received at the dock (a completed receiving task awaiting putaway)."""
    ctx.require(WMS, "write", "Receiving goods")
    with _at_field("quantity"):
        qty = to_decimal(quantity, "Quantity", positive=True)
    mat = _materials(ctx, [material_id]).get(material_id)
    if mat is None:
        raise NotFound(f"Material {material_id} does not exist.", field="material_id")
    if batch_number is not None and len(str(batch_number)) > 50:
        raise DomainError(f"Batch number is too long: at most 50 characters (got {len(str(batch_number))}).",
                          field="batch_number")
    task_id = ctx.next_key("RCV", ReceivingTasks.__table__, "receiving_task_id", WMS)
    now = ctx.now()
    with ctx.transaction(WMS) as conn:
        with _at_field("warehouse_id"):
            _warehouse(conn, warehouse_id)
        conn.execute(insert(ReceivingTasks).values(
            receiving_task_id=task_id, task_number=task_id, purchase_order_id=purchase_order_id,
            goods_receipt_id=goods_receipt_id, warehouse_id=warehouse_id, receiving_dock="DOCK-1",
            material_id=material_id, expected_quantity=qty, received_quantity=qty,
            unit_of_measure=mat.base_unit_of_measure, batch_number=batch_number,
            quality_inspection_required=bool(mat.inspection_required), inspection_status="not_required",
            task_status="completed", scheduled_date=now, started_at=now, completed_at=now, created_at=now))
        ctx.audit("warehouse.receive", WMS, "receiving_task", task_id,
                  after={"material_id": material_id, "quantity": qty, "warehouse_id": warehouse_id})
    return task_id


def _put_away_already(conn: Connection, receiving_task_id: str) -> Decimal:
    from sqlalchemy import func

    p = PutawayTasks
    return _dec(conn.execute(select(func.sum(p.quantity)).where(p.receiving_task_id == receiving_task_id,
                                                               p.task_status == "completed")).scalar())


def suggest_bin(ctx: ServiceContext, warehouse_id: str, material_id: str, quantity: Any) -> str | None:
    """The bin a putaway goes to: same material with room first, then an empty bin of a matching zone."""
    ctx.require(WMS, "read", "Suggesting a bin")
    qty = to_decimal(quantity, "Quantity", positive=True)
    weight = _weights(ctx, [material_id]).get(material_id, D0)
    need = qty * weight
    b, z, wi = StorageBins, WarehouseZones, WarehouseInventory
    with ctx.read(WMS) as conn:
        bins = conn.execute(select(b.bin_id, b.weight_capacity_kg, b.bin_status, b.dedicated_material_id, z.zone_type,
                                   b.full_location)
                            .join(z, z.zone_id == b.zone_id)
                            .where(b.warehouse_id == warehouse_id, z.zone_type.in_(STORAGE_ZONE_TYPES),
                                   b.bin_status.not_in(("blocked", "inactive", "maintenance")))
                            .order_by(b.bin_id)).all()
        holding = set(conn.execute(select(wi.bin_id).where(wi.warehouse_id == warehouse_id,
                                                           wi.material_id == material_id)).scalars())
        occupied = set(conn.execute(select(wi.bin_id).where(wi.warehouse_id == warehouse_id,
                                                            wi.quantity_on_hand > 0)).scalars())
        load = _bin_load(ctx, conn, [x.bin_id for x in bins if x.bin_id in occupied]) if occupied else {}

    def fits(x) -> bool:
        return need <= _dec(x.weight_capacity_kg) - load.get(x.bin_id, D0)

    allowed = [x for x in bins if x.dedicated_material_id in (None, material_id)]
    for x in allowed:
        if x.bin_id in holding and fits(x):
            return x.bin_id
    zone_types = {x.zone_type for x in allowed if x.bin_id in holding}
    empty = [x for x in allowed if x.bin_id not in occupied and fits(x)]
    for x in empty:
        if x.zone_type in zone_types:
            return x.bin_id
    for x in empty:
        if x.zone_type != "hazmat":
            return x.bin_id
    return None


def putaway(ctx: ServiceContext, receiving_task_id: str, *, bin_id: str | None = None,
            quantity: Any = None) -> dict[str, Any]:
    """Put (the rest of) a receiving task into a bin; refused when the bin's weight capacity would be exceeded."""
    ctx.require(WMS, "write", "Putting goods away")
    with ctx.read(WMS) as conn:
        task = conn.execute(select(ReceivingTasks).where(ReceivingTasks.receiving_task_id == receiving_task_id)).first()
        if task is None:
            raise NotFound(f"Receiving task {receiving_task_id} does not exist.")
        open_qty = _dec(task.received_quantity) - _put_away_already(conn, receiving_task_id)
    if open_qty <= 0:
        raise DomainError(f"Receiving task {receiving_task_id} is put away completely.")
    with _at_field("quantity"):
        qty = open_qty if quantity is None else to_decimal(quantity, "Quantity", positive=True)
    if qty > open_qty:
        raise DomainError(f"Only {open_qty.normalize():f} of receiving task {receiving_task_id} is left to put away "
                          f"({qty.normalize():f} asked).", field="quantity")
    strategy = "manual"
    if bin_id is None:
        strategy = "suggested"
        bin_id = suggest_bin(ctx, task.warehouse_id, task.material_id, qty)
        if bin_id is None:
            raise DomainError(f"No bin in {task.warehouse_id} has room for {qty.normalize():f} of {task.material_id}.",
                              "Put away a smaller quantity or free a bin.", field="bin_id")
    weight = _weights(ctx, [task.material_id]).get(task.material_id, D0)
    pid = ctx.next_key("PUT", PutawayTasks.__table__, "putaway_task_id", WMS)
    now = ctx.now()
    with ctx.transaction(WMS) as conn:
        # concurrent putaways of one receiving task or into one bin queue up here (capacity and the open
        # quantity are checked again under the lock)
        serialize(conn, f"wms:putaway:{task.warehouse_id}", StorageBins.__table__)
        if qty > _dec(task.received_quantity) - _put_away_already(conn, receiving_task_id):
            raise DomainError(f"Receiving task {receiving_task_id} was put away meanwhile; look again.")
        wh = _warehouse(conn, task.warehouse_id)
        plant = wh.plant_id
        bn = conn.execute(select(StorageBins).where(StorageBins.bin_id == bin_id)).first()
        if bn is None or bn.warehouse_id != task.warehouse_id:
            raise NotFound(f"Bin {bin_id} is not a bin of warehouse {task.warehouse_id}.", field="bin_id")
        if bn.dedicated_material_id and bn.dedicated_material_id != task.material_id:
            raise DomainError(f"Bin {bin_id} is dedicated to {bn.dedicated_material_id}.", field="bin_id")
        load = _bin_load(ctx, conn, [bin_id]).get(bin_id, D0)
        cap = _dec(bn.weight_capacity_kg)
        if cap and load + qty * weight > cap:
            raise DomainError(
                f"Bin {bn.full_location or bin_id} cannot take {qty.normalize():f} of {task.material_id}: "
                f"{(qty * weight).normalize():f} kg on top of {load.normalize():f} kg exceeds its capacity of "
                f"{cap.normalize():f} kg.", "Choose another bin or put away a smaller quantity.", field="bin_id")
        conn.execute(insert(PutawayTasks).values(
            putaway_task_id=pid, task_number=pid, receiving_task_id=receiving_task_id, material_id=task.material_id,
            quantity=qty, unit_of_measure=task.unit_of_measure, batch_number=task.batch_number,
            warehouse_id=task.warehouse_id, from_location=task.receiving_dock, to_bin_id=bin_id,
            putaway_strategy=strategy, task_status="completed", priority=5, created_at=now, assigned_at=now,
            started_at=now, completed_at=now))
        _add_stock(ctx, conn, warehouse_id=task.warehouse_id, bin_id=bin_id, material_id=task.material_id,
                   batch_number=task.batch_number, quantity=qty, uom=task.unit_of_measure)
        mov = _move(ctx, conn, movement_type="putaway", material_id=task.material_id, quantity=qty,
                    warehouse_id=task.warehouse_id, from_bin=None, to_bin=bin_id, ref_type="putaway_task", ref_id=pid,
                    batch_number=task.batch_number, uom=task.unit_of_measure)
        _refresh_bin(ctx, conn, bn, putaway=True)
        ctx.audit("warehouse.putaway", WMS, "putaway_task", pid,
                  after={"receiving_task_id": receiving_task_id, "bin_id": bin_id, "quantity": qty})
    _queue(ctx, [dict(movement_id=mov, movement_type="putaway", material_id=task.material_id, signed=qty,
                      warehouse_id=task.warehouse_id, plant_id=plant, to_bin=bn.full_location, uom=task.unit_of_measure,
                      ref_type="putaway_task", ref_id=pid)])
    return {"putaway_task_id": pid, "bin_id": bin_id, "quantity": qty, "movement_id": mov}


# -- outbound: waves, picks, packing, shipping ----------------------------------------------------------


def create_pick_wave(ctx: ServiceContext, warehouse_id: str, sales_order_ids: list[str], *,
                     planned_ship_date: dt.date | None = None) -> dict[str, Any]:
    """A released pick wave for the open lines of these sales orders, allocated FIFO from bins."""
    ctx.require(WMS, "write", "Creating a pick wave")
    if not sales_order_ids:
        raise DomainError("A pick wave needs at least one sales order.", field="sales_order_ids")
    with ctx.read(WMS) as conn, _at_field("warehouse_id"):
        wh = _warehouse(conn, warehouse_id)
    sl, so = SalesOrderLines, SalesOrders
    with ctx.read(ERP) as conn:
        orders = {r.sales_order_id: r for r in conn.execute(select(so).where(so.sales_order_id.in_(sales_order_ids)))}
        missing = sorted(set(sales_order_ids) - set(orders))
        if missing:
            raise NotFound(f"Sales order {', '.join(missing)} does not exist.", field="sales_order_ids")
        lines = conn.execute(select(sl).where(sl.sales_order_id.in_(sales_order_ids))
                             .order_by(sl.sales_order_id, sl.line_number)).all()
    lines = [ln for ln in lines if (ln.line_status or "open") not in CLOSED_SO_LINE and not ln.deletion_indicator
             and (ln.plant_id in (None, wh.plant_id))
             and _dec(ln.order_quantity) - _dec(ln.delivered_quantity) > 0]
    if not lines:
        raise DomainError(f"The sales orders have no open lines to pick at {warehouse_id} (plant {wh.plant_id}).",
                          field="sales_order_ids")
    wave_id = ctx.next_key("WAVE", PickWaves.__table__, "wave_id", WMS)
    now = ctx.now()
    wi = WarehouseInventory
    tasks = 0
    with ctx.transaction(WMS) as conn:
        stock = conn.execute(select(wi).where(wi.warehouse_id == warehouse_id, wi.available_quantity > 0,
                                              wi.stock_status == "available",
                                              wi.material_id.in_(sorted({ln.material_id for ln in lines})))).all()
        pool: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in sorted(stock, key=lambda r: (r.manufacture_date or dt.date.max, r.last_movement_date or dt.datetime.max,
                                              r.inventory_id)):
            pool[r.material_id].append({"row": r, "free": _dec(r.available_quantity)})
        bins = {b.bin_id: b for b in conn.execute(select(StorageBins).where(
            StorageBins.bin_id.in_(sorted({r.bin_id for r in stock}))))}
        total_units = D0
        wave_lines, pick_rows, reserve = [], [], defaultdict(lambda: D0)
        for n, ln in enumerate(lines, start=1):
            need = _dec(ln.order_quantity) - _dec(ln.delivered_quantity)
            wl_id = f"{wave_id}-L{n:03d}"
            allocated = D0
            for slot in pool[ln.material_id]:
                if need - allocated <= 0:
                    break
                take = min(slot["free"], need - allocated)
                if take <= 0:
                    continue
                slot["free"] -= take
                allocated += take
                r = slot["row"]
                reserve[r.inventory_id] += take
                tasks += 1
                pick_rows.append(dict(
                    picking_task_id=f"{wave_id}-P{tasks:03d}", task_number=f"{wave_id}-P{tasks:03d}", wave_id=wave_id,
                    wave_line_id=wl_id, sales_order_id=ln.sales_order_id, material_id=ln.material_id,
                    quantity_to_pick=take, quantity_picked=D0, unit_of_measure=ln.unit_of_measure,
                    warehouse_id=warehouse_id, pick_from_bin_id=r.bin_id,
                    pick_from_location=bins[r.bin_id].full_location if r.bin_id in bins else None,
                    stage_to_location="SHIPPING", batch_number=r.batch_number, task_type="discrete",
                    pick_sequence=tasks, task_status="pending", created_at=now, requires_verification=False,
                    notes=f"inventory:{r.inventory_id}"))
            total_units += need
            wave_lines.append(dict(
                wave_line_id=wl_id, wave_id=wave_id, line_number=n, sales_order_id=ln.sales_order_id,
                sales_order_line_id=ln.sales_order_line_id, material_id=ln.material_id, ordered_quantity=need,
                allocated_quantity=allocated, picked_quantity=D0, unit_of_measure=ln.unit_of_measure,
                line_status="allocated" if allocated == need else ("short" if allocated == 0 else "partially_allocated"),
                created_at=now))
        conn.execute(insert(PickWaves).values(
            wave_id=wave_id, wave_number=wave_id, warehouse_id=warehouse_id, wave_type="order",
            planned_pick_date=now.date(), planned_ship_date=planned_ship_date or now.date(), priority="normal",
            wave_status="released", total_orders=len({ln.sales_order_id for ln in lines}), total_lines=len(lines),
            total_units=total_units, picked_orders=0, picked_lines=0, picked_units=D0, created_at=now, released_at=now,
            created_by=ctx.user.user_id[:50], released_by=ctx.user.user_id[:50]))
        conn.execute(insert(WaveLines), wave_lines)
        if pick_rows:
            conn.execute(insert(PickingTasks), pick_rows)
        for iid, q in reserve.items():
            r = conn.execute(select(wi).where(wi.inventory_id == iid)).first()
            conn.execute(update(wi).where(wi.inventory_id == iid).values(
                reserved_quantity=_dec(r.reserved_quantity) + q, available_quantity=_dec(r.available_quantity) - q))
        ctx.audit("warehouse.wave.create", WMS, "pick_wave", wave_id,
                  after={"sales_orders": sorted(sales_order_ids), "lines": len(wave_lines), "tasks": len(pick_rows)})
    return {"wave_id": wave_id, "picking_task_ids": [p["picking_task_id"] for p in pick_rows],
            "lines": [{k: w[k] for k in ("wave_line_id", "material_id", "ordered_quantity", "allocated_quantity",
                                          "line_status")} for w in wave_lines]}


def confirm_pick(ctx: ServiceContext, picking_task_id: str, quantity_picked: Any) -> dict[str, Any]:
    """Confirm a pick (all or part of it): the picked quantity leaves the bin, the rest is released."""
    ctx.require(WMS, "write", "Confirming a pick")
    with _at_field("quantity_picked"):
        picked = to_decimal(quantity_picked, "Picked quantity", minimum=D0)
    wi, pt = WarehouseInventory, PickingTasks
    now = ctx.now()
    with ctx.transaction(WMS) as conn:
        serialize(conn, f"wms:pick:{picking_task_id}", PickingTasks.__table__)
        task = conn.execute(select(pt).where(pt.picking_task_id == picking_task_id)).first()
        if task is None:
            raise NotFound(f"Picking task {picking_task_id} does not exist.")
        if task.task_status not in OPEN_TASK:
            raise DomainError(f"Picking task {picking_task_id} is {task.task_status}; only an open pick can be confirmed.")
        to_pick = _dec(task.quantity_to_pick)
        if picked > to_pick:
            raise DomainError(f"Picking task {picking_task_id} asks for {to_pick.normalize():f}; "
                              f"{picked.normalize():f} cannot be picked.", field="quantity_picked")
        iid = (task.notes or "").removeprefix("inventory:")
        row = conn.execute(select(wi).where(wi.inventory_id == iid)).first()
        if row is None or _dec(row.quantity_on_hand) < picked:
            have = _dec(row.quantity_on_hand) if row else D0
            raise DomainError(f"Bin {task.pick_from_location or task.pick_from_bin_id} holds {have.normalize():f} of "
                              f"{task.material_id}; {picked.normalize():f} cannot be picked.", field="quantity_picked")
        qoh = _dec(row.quantity_on_hand) - picked
        reserved = max(_dec(row.reserved_quantity) - to_pick, D0)
        if qoh == 0 and reserved == 0:
            conn.execute(delete(wi).where(wi.inventory_id == iid))
        else:
            conn.execute(update(wi).where(wi.inventory_id == iid).values(
                quantity_on_hand=qoh, reserved_quantity=reserved, available_quantity=qoh - reserved,
                last_movement_date=now, updated_at=now))
        status = "completed" if picked == to_pick else "short_picked"
        conn.execute(update(pt).where(pt.picking_task_id == picking_task_id).values(
            quantity_picked=picked, task_status=status, started_at=task.started_at or now, completed_at=now))
        wl = conn.execute(select(WaveLines).where(WaveLines.wave_line_id == task.wave_line_id)).first()
        open_left = conn.execute(select(pt.picking_task_id).where(pt.wave_line_id == task.wave_line_id,
                                                                  pt.task_status.in_(OPEN_TASK))).first()
        conn.execute(update(WaveLines).where(WaveLines.wave_line_id == task.wave_line_id).values(
            picked_quantity=_dec(wl.picked_quantity) + picked, line_status=wl.line_status if open_left else "picked"))
        _wave_progress(conn, task.wave_id, now)
        mov = None
        wh = _warehouse(conn, task.warehouse_id)
        bn = conn.execute(select(StorageBins).where(StorageBins.bin_id == task.pick_from_bin_id)).first()
        if picked > 0:
            mov = _move(ctx, conn, movement_type="pick", material_id=task.material_id, quantity=picked,
                        warehouse_id=task.warehouse_id, from_bin=task.pick_from_bin_id, to_bin=None,
                        ref_type="picking_task", ref_id=picking_task_id, batch_number=task.batch_number,
                        uom=task.unit_of_measure)
        if bn is not None:
            _refresh_bin(ctx, conn, bn, pick=True)
        ctx.audit("warehouse.pick.confirm", WMS, "picking_task", picking_task_id,
                  after={"picked": picked, "to_pick": to_pick, "status": status})
    if mov:
        _queue(ctx, [dict(movement_id=mov, movement_type="pick", material_id=task.material_id, signed=-picked,
                          warehouse_id=task.warehouse_id, plant_id=wh.plant_id,
                          from_bin=bn.full_location if bn else None, uom=task.unit_of_measure,
                          ref_type="picking_task", ref_id=picking_task_id)])
    return {"picking_task_id": picking_task_id, "quantity_picked": picked, "task_status": status, "movement_id": mov}


def _wave_progress(conn: Connection, wave_id: str, now: dt.datetime) -> None:
    pt = PickingTasks
    rows = conn.execute(select(pt.sales_order_id, pt.wave_line_id, pt.task_status, pt.quantity_picked)
                        .where(pt.wave_id == wave_id)).all()
    done = all(r.task_status not in OPEN_TASK for r in rows)
    open_orders = {r.sales_order_id for r in rows if r.task_status in OPEN_TASK}
    open_lines = {r.wave_line_id for r in rows if r.task_status in OPEN_TASK}
    conn.execute(update(PickWaves).where(PickWaves.wave_id == wave_id).values(
        picked_units=sum((_dec(r.quantity_picked) for r in rows), D0),
        picked_orders=len({r.sales_order_id for r in rows} - open_orders),
        picked_lines=len({r.wave_line_id for r in rows} - open_lines),
        wave_status="completed" if done else "in_progress", completed_at=now if done else None))


def pack(ctx: ServiceContext, wave_id: str, sales_order_id: str, *, packing_station: str = "PACK-1") -> dict[str, Any]:
    """The packing task of one order of a wave, once all its picks are confirmed."""
    ctx.require(WMS, "write", "Packing an order")
    pt = PickingTasks
    with ctx.read(WMS) as conn:
        tasks = conn.execute(select(pt).where(pt.wave_id == wave_id, pt.sales_order_id == sales_order_id)).all()
        existing = conn.execute(select(PackingTasks.packing_task_id).where(
            PackingTasks.wave_id == wave_id, PackingTasks.sales_order_id == sales_order_id)).scalar()
    if not tasks:
        raise NotFound(f"Wave {wave_id} has no picks for sales order {sales_order_id}.")
    if existing:
        raise DomainError(f"Sales order {sales_order_id} of wave {wave_id} is packed already ({existing}).")
    waiting = [t.picking_task_id for t in tasks if t.task_status in OPEN_TASK]
    if waiting:
        raise DomainError(f"Sales order {sales_order_id} still has open picks: {', '.join(waiting)}.",
                          "Confirm them first (a short pick with 0 releases the stock).")
    picked = sum((_dec(t.quantity_picked) for t in tasks), D0)
    if picked <= 0:
        raise DomainError(f"Nothing was picked for sales order {sales_order_id}; there is nothing to pack.")
    weights = _weights(ctx, {t.material_id for t in tasks})
    kg = sum((_dec(t.quantity_picked) * weights.get(t.material_id, D0) for t in tasks), D0)
    pid = ctx.next_key("PACK", PackingTasks.__table__, "packing_task_id", WMS)
    now = ctx.now()
    with ctx.transaction(WMS) as conn:
        conn.execute(insert(PackingTasks).values(
            packing_task_id=pid, task_number=pid, sales_order_id=sales_order_id, wave_id=wave_id,
            warehouse_id=tasks[0].warehouse_id, packing_station=packing_station, package_type="carton",
            package_weight_kg=kg.quantize(C2, rounding=ROUND_HALF_UP), task_status="completed", created_at=now,
            started_at=now, completed_at=now))
        ctx.audit("warehouse.pack", WMS, "packing_task", pid, after={"sales_order_id": sales_order_id, "units": picked})
    return {"packing_task_id": pid, "units": picked, "weight_kg": kg.quantize(C2, rounding=ROUND_HALF_UP)}


def choose_carrier(ctx: ServiceContext) -> str:
    c = Carriers
    with ctx.read(TMS) as conn:
        row = conn.execute(select(c.carrier_id).where(c.carrier_status == "active", c.approved_for_shipments.is_not(False))
                           .order_by(c.carrier_rating.desc(), c.carrier_id).limit(1)).scalar()
    if row is None:
        raise DomainError("No active carrier is approved for shipments.", "Approve a carrier in the TMS first.")
    return row


def ship(ctx: ServiceContext, packing_task_id: str, *, carrier_id: str | None = None,
         goods_issue: bool = False) -> dict[str, Any]:
    """Shipping task + TMS shipment (with one line per picked sales order line) for a packed order.

    goods_issue=True also posts the ERP side through sales.deliver_sales_order (601 + COGS, delivery
    document = the shipment id, so a retry never issues twice); that needs ERP write access, checked
    before anything is written. Without it the delivery is left to the sales service (`post_goods_issue`)."""
    ctx.require(WMS, "write", "Shipping an order")
    if goods_issue:
        ctx.require(ERP, "write", "Posting the goods issue of a shipment")
    pk, pt = PackingTasks, PickingTasks
    with ctx.read(WMS) as conn:
        pack_row = conn.execute(select(pk).where(pk.packing_task_id == packing_task_id)).first()
        if pack_row is None:
            raise NotFound(f"Packing task {packing_task_id} does not exist.")
        if pack_row.shipment_id:
            raise DomainError(f"Packing task {packing_task_id} is shipped already ({pack_row.shipment_id}).")
        picks = conn.execute(select(pt.wave_line_id, pt.material_id, pt.quantity_picked, pt.unit_of_measure,
                                    pt.batch_number)
                             .where(pt.wave_id == pack_row.wave_id, pt.sales_order_id == pack_row.sales_order_id)).all()
        wl_so = dict(conn.execute(select(WaveLines.wave_line_id, WaveLines.sales_order_line_id)
                                  .where(WaveLines.wave_id == pack_row.wave_id)).all())
        wh = _warehouse(conn, pack_row.warehouse_id)
    if carrier_id is None:
        carrier_id = choose_carrier(ctx)
    else:
        with ctx.read(TMS) as conn:
            c = conn.execute(select(Carriers).where(Carriers.carrier_id == carrier_id)).first()
        if c is None or c.carrier_status != "active":
            raise DomainError(f"Carrier {carrier_id} is not an active carrier.")
    per_line: dict[tuple[str, str], Decimal] = defaultdict(lambda: D0)
    uoms = {}
    for p in picks:
        if _dec(p.quantity_picked) > 0:
            per_line[(wl_so.get(p.wave_line_id), p.material_id)] += _dec(p.quantity_picked)
            uoms[p.material_id] = p.unit_of_measure
    shipment_id = ctx.next_key("SHP", Shipments.__table__, "shipment_id", TMS)
    task_id = ctx.next_key("SHT", ShippingTasks.__table__, "shipping_task_id", WMS)
    now = ctx.now()
    customer = None
    with ctx.read(ERP) as conn:
        customer = conn.execute(select(SalesOrders.customer_id).where(
            SalesOrders.sales_order_id == pack_row.sales_order_id)).scalar()
    with ctx.transaction(TMS) as conn:
        conn.execute(insert(Shipments).values(
            shipment_id=shipment_id, shipment_number=shipment_id, sales_order_id=pack_row.sales_order_id,
            shipping_task_id=task_id, warehouse_id=pack_row.warehouse_id, carrier_id=carrier_id,
            tracking_number=f"TRK{shipment_id.replace('-', '')}", origin_warehouse_id=pack_row.warehouse_id,
            origin_name=wh.warehouse_name, customer_id=customer, shipment_type="outbound", number_of_packages=1,
            total_weight_kg=pack_row.package_weight_kg, ship_date=now.date(), scheduled_pickup_date=now.date(),
            shipment_status="label_created", currency="USD", invoiced=False, created_by=ctx.user.user_id[:50],
            created_at=now, updated_at=now))
        conn.execute(insert(ShipmentLines), [
            dict(shipment_line_id=f"{shipment_id}-{n:03d}", shipment_id=shipment_id, line_number=n,
                 sales_order_id=pack_row.sales_order_id, sales_order_line_id=sol, material_id=mat, quantity=q,
                 unit_of_measure=uoms.get(mat), package_number=1, created_at=now)
            for n, ((sol, mat), q) in enumerate(sorted(per_line.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])), 1)])
    with ctx.transaction(WMS) as conn:
        conn.execute(insert(ShippingTasks).values(
            shipping_task_id=task_id, task_number=task_id, sales_order_id=pack_row.sales_order_id,
            warehouse_id=pack_row.warehouse_id, shipping_dock="DOCK-S1", shipment_id=shipment_id, carrier_id=carrier_id,
            number_of_packages=1, total_weight_kg=pack_row.package_weight_kg, task_status="shipped",
            scheduled_ship_date=now.date(), actual_ship_date=now.date(), actual_ship_time=now.time(),
            bol_number=f"BOL-{shipment_id}", bol_generated=True, carrier_pickup_confirmed=False, created_at=now,
            completed_at=now))
        conn.execute(update(pk).where(pk.packing_task_id == packing_task_id).values(
            shipment_id=shipment_id, tracking_number=f"TRK{shipment_id.replace('-', '')}"))
        ctx.audit("warehouse.ship", WMS, "shipping_task", task_id,
                  after={"shipment_id": shipment_id, "carrier_id": carrier_id, "sales_order_id": pack_row.sales_order_id})
    result = {"shipping_task_id": task_id, "shipment_id": shipment_id, "carrier_id": carrier_id,
              "lines": [{"sales_order_line_id": k[0], "material_id": k[1], "quantity": v} for k, v in per_line.items()],
              "goods_issue": None}
    if goods_issue:
        result["goods_issue"] = post_goods_issue(ctx, task_id)
    return result


def post_goods_issue(ctx: ServiceContext, shipping_task_id: str) -> dict[str, Any]:
    """The ERP goods issue of a shipped order: sales.deliver_sales_order of the shipped quantities per
    sales order line, delivery document = the shipment id (idempotent there)."""
    ctx.require(ERP, "write", "Posting the goods issue of a shipment")
    from . import sales

    with ctx.read(WMS) as conn:
        task = conn.execute(select(ShippingTasks).where(ShippingTasks.shipping_task_id == shipping_task_id)).first()
    if task is None or not task.shipment_id:
        raise NotFound(f"Shipping task {shipping_task_id} does not exist or has no shipment.")
    with ctx.read(TMS) as conn:
        lines = conn.execute(select(ShipmentLines.sales_order_line_id, ShipmentLines.quantity)
                             .where(ShipmentLines.shipment_id == task.shipment_id)).all()
    wanted = [{"sales_order_line_id": sol, "quantity": q} for sol, q in lines if sol and _dec(q) > 0]
    if not wanted:
        raise DomainError(f"Shipment {task.shipment_id} has no sales order lines to deliver.")
    done = sales.deliver_sales_order(ctx, task.sales_order_id, wanted, delivery_document=task.shipment_id)
    return {"delivery_document": done.delivery_document, "created": done.created, "cogs": done.cogs,
            "order_status": done.order_status, "journal_entry_id": done.journal_entry_id}


# -- cycle counts ---------------------------------------------------------------------------------------


def create_cycle_counts(ctx: ServiceContext, warehouse_id: str, *, bin_ids: list[str] | None = None,
                        material_id: str | None = None, threshold_pct: Any = "2.00",
                        count_type: str = "random") -> list[str]:
    """One scheduled count task per (bin, material) with stock in the warehouse (optionally filtered)."""
    ctx.require(WMS, "write", "Creating cycle counts")
    with _at_field("threshold_pct"):
        threshold = to_decimal(threshold_pct, "Recount threshold %", minimum=D0, places=2)
    wi = WarehouseInventory
    with ctx.read(WMS) as conn:
        with _at_field("warehouse_id"):
            _warehouse(conn, warehouse_id)
        q = select(wi.bin_id, wi.material_id, wi.quantity_on_hand).where(wi.warehouse_id == warehouse_id)
        if bin_ids:
            q = q.where(wi.bin_id.in_(bin_ids))
        if material_id:
            q = q.where(wi.material_id == material_id)
        rows = conn.execute(q).all()
    expected: dict[tuple[str, str], Decimal] = defaultdict(lambda: D0)
    for r in rows:
        expected[(r.bin_id, r.material_id)] += _dec(r.quantity_on_hand)
    if not expected:
        raise DomainError(f"Nothing to count in {warehouse_id} with these filters.")
    now = ctx.now()
    ids = []
    for key in sorted(expected):
        ids.append(ctx.next_key("CC", CycleCountTasks.__table__, "cycle_count_id", WMS))
    with ctx.transaction(WMS) as conn:
        conn.execute(insert(CycleCountTasks), [dict(
            cycle_count_id=cid, task_number=cid, warehouse_id=warehouse_id, bin_id=k[0], count_type=count_type,
            material_id=k[1], expected_quantity=expected[k], task_status="scheduled", scheduled_date=now.date(),
            recount_required=False, recount_threshold_pct=threshold, variance_approved=False, created_at=now)
            for cid, k in zip(ids, sorted(expected), strict=True)])
        ctx.audit("warehouse.count.create", WMS, "cycle_count_task", None, after={"ids": ids})
    return ids


def enter_count(ctx: ServiceContext, cycle_count_id: str, counted_quantity: Any) -> dict[str, Any]:
    """Record a count (or a recount): variance, variance %, recount flag when |variance %| > threshold."""
    ctx.require(WMS, "write", "Entering a count")
    with _at_field("counted_quantity"):
        counted = to_decimal(counted_quantity, "Counted quantity", minimum=D0)
    cc = CycleCountTasks
    now = ctx.now()
    with ctx.transaction(WMS) as conn:
        task = conn.execute(select(cc).where(cc.cycle_count_id == cycle_count_id)).first()
        if task is None:
            raise NotFound(f"Cycle count {cycle_count_id} does not exist.")
        if task.task_status not in ("scheduled", "variance_review", "recount"):
            raise DomainError(f"Cycle count {cycle_count_id} is {task.task_status}; it takes no more counts.")
        expected = _dec(task.expected_quantity)
        variance = counted - expected
        pct = (variance / expected * 100) if expected else (Decimal(100) if counted else D0)
        pct = max(min(pct, Decimal("999.99")), Decimal("-999.99")).quantize(C2, rounding=ROUND_HALF_UP)
        threshold = _dec(task.recount_threshold_pct) if task.recount_threshold_pct is not None else Decimal("2.00")
        recount = abs(pct) > threshold
        status = "completed" if variance == 0 else "variance_review"
        conn.execute(update(cc).where(cc.cycle_count_id == cycle_count_id).values(
            counted_quantity=counted, variance_quantity=variance, variance_percentage=pct, recount_required=recount,
            task_status=status, count_date=now.date(), count_time=now, variance_approved=variance == 0))
        ctx.audit("warehouse.count.enter", WMS, "cycle_count_task", cycle_count_id,
                  after={"counted": counted, "variance": variance, "pct": pct, "recount_required": recount})
    return {"cycle_count_id": cycle_count_id, "counted_quantity": counted, "variance_quantity": variance,
            "variance_percentage": pct, "recount_required": recount, "task_status": status}


def post_count_adjustment(ctx: ServiceContext, cycle_count_id: str) -> dict[str, Any]:
    """Post a count variance: ERP stock (701/702) and GL (inventory_adjustment), WMS bin = counted."""
    ctx.require_capability("inventory.adjust", "Posting a cycle count adjustment")
    ctx.require(WMS, "write", "Posting a cycle count adjustment")
    from . import finance
    from .inventory import post_movement

    cc, wi = CycleCountTasks, WarehouseInventory
    with ctx.read(WMS) as conn:
        task = conn.execute(select(cc).where(cc.cycle_count_id == cycle_count_id)).first()
        if task is None:
            raise NotFound(f"Cycle count {cycle_count_id} does not exist.")
        if task.task_status == "adjusted":
            return {"cycle_count_id": cycle_count_id, "already_posted": True}
        if task.task_status != "variance_review":
            raise DomainError(f"Cycle count {cycle_count_id} is {task.task_status}; only a counted variance "
                              "(variance_review) can be posted.")
        wh = _warehouse(conn, task.warehouse_id)
        rows = conn.execute(select(wi).where(wi.bin_id == task.bin_id, wi.material_id == task.material_id)
                            .order_by(wi.inventory_id)).all()
    counted = _dec(task.counted_quantity)
    current = sum((_dec(r.quantity_on_hand) for r in rows), D0)
    reserved = sum((_dec(r.reserved_quantity) for r in rows), D0)
    if counted < reserved:
        raise DomainError(f"{reserved.normalize():f} of {task.material_id} in this bin is reserved for picks; "
                          f"a count of {counted.normalize():f} cannot be posted before they are confirmed.")
    delta = counted - current
    plant = wh.plant_id
    mat = _materials(ctx, [task.material_id]).get(task.material_id)
    prefix = f"ADJ-{cycle_count_id}-"
    amount_total = D0
    # 1. ERP stock, idempotent by the transaction ids derived from the count
    it, ib = InventoryTransactions, InventoryBalances
    with ctx.read(ERP) as conn:
        done = conn.execute(select(it.amount).where(it.transaction_id.like(f"{prefix}%"))).scalars().all()
    if done:
        amount_total = sum((_dec(a) for a in done), D0)
    elif delta != 0:
        with ctx.transaction(ERP) as conn:
            bals = conn.execute(select(ib).where(ib.material_id == task.material_id, ib.plant_id == plant)
                                .order_by(ib.unrestricted_stock.desc(), ib.balance_id)).all()
            common = dict(material_id=task.material_id, plant_id=plant, transaction_type="inventory_adjustment",
                          posting_date=ctx.today(), unit_of_measure=mat.base_unit_of_measure if mat else None,
                          material_document=f"CC-{cycle_count_id}"[:50], reason_code="CYCLE_COUNT",
                          reason_text=f"Cycle count {cycle_count_id}")
            if delta > 0:
                b = bals[0] if bals else None
                price = _dec(b.moving_average_price) if b is not None else D0
                if price == 0 and mat is not None:
                    price = _dec(mat.standard_cost)
                m = post_movement(ctx, conn, storage_location=b.storage_location if b else "0001",
                                  batch_number=b.batch_number if b else None, quantity=delta, movement_type="701",
                                  amount=(delta * price).quantize(C2, rounding=ROUND_HALF_UP),
                                  transaction_id=f"{prefix}1", **common)
                amount_total = m.amount
            else:
                left = -delta
                n = 0
                for b in bals:
                    have = _dec(b.unrestricted_stock)
                    if left <= 0 or have <= 0:
                        continue
                    take = min(have, left)
                    n += 1
                    m = post_movement(ctx, conn, storage_location=b.storage_location, batch_number=b.batch_number,
                                      quantity=-take, movement_type="702", transaction_id=f"{prefix}{n}", **common)
                    amount_total += m.amount
                    left -= take
                if left > 0:
                    raise DomainError(
                        f"ERP holds {(-delta - left).normalize():f} unrestricted {task.material_id} at {plant}; the count "
                        f"loss of {(-delta).normalize():f} cannot be posted.", "Reconcile ERP and WMS first.")
    # 2. GL, idempotent by source cycle_count/<id>
    journal = None
    if amount_total != 0:
        journal = finance.post_for_source(ctx, "inventory_adjustment", {"amount": amount_total},
                                          source_type="cycle_count", source_document_id=cycle_count_id,
                                          description=f"Cycle count {cycle_count_id} {task.material_id}",
                                          factory_id=plant).journal_entry_id
    # 3. WMS bin = counted, guarded by the task's status
    now = ctx.now()
    mov = None
    with ctx.transaction(WMS) as conn:
        flipped = conn.execute(update(cc).where(cc.cycle_count_id == cycle_count_id,
                                                cc.task_status == "variance_review").values(
            task_status="adjusted", variance_approved=True, approved_by=ctx.user.user_id[:50], approved_at=now)).rowcount
        if flipped != 1:
            return {"cycle_count_id": cycle_count_id, "already_posted": True}
        rows = conn.execute(select(wi).where(wi.bin_id == task.bin_id, wi.material_id == task.material_id)
                            .order_by(wi.inventory_id)).all()
        current = sum((_dec(r.quantity_on_hand) for r in rows), D0)
        delta = counted - current
        if delta > 0:
            r = rows[0] if rows else None
            _add_stock(ctx, conn, warehouse_id=task.warehouse_id, bin_id=task.bin_id, material_id=task.material_id,
                       batch_number=r.batch_number if r else None, quantity=delta, uom=r.unit_of_measure if r else None)
        elif delta < 0:
            left = -delta
            for r in rows:
                take = min(left, _dec(r.quantity_on_hand) - _dec(r.reserved_quantity))
                if take <= 0:
                    continue
                qoh = _dec(r.quantity_on_hand) - take
                conn.execute(update(wi).where(wi.inventory_id == r.inventory_id).values(
                    quantity_on_hand=qoh, available_quantity=qoh - _dec(r.reserved_quantity), last_movement_date=now,
                    updated_at=now))
                left -= take
        conn.execute(update(wi).where(wi.bin_id == task.bin_id, wi.material_id == task.material_id).values(
            last_cycle_count_date=now))
        if delta != 0:
            mov = _move(ctx, conn, movement_type="cycle_count_adjustment", material_id=task.material_id,
                        quantity=abs(delta), warehouse_id=task.warehouse_id,
                        from_bin=task.bin_id if delta < 0 else None, to_bin=task.bin_id if delta > 0 else None,
                        ref_type="cycle_count", ref_id=cycle_count_id)
        bn = conn.execute(select(StorageBins).where(StorageBins.bin_id == task.bin_id)).first()
        if bn is not None:
            _refresh_bin(ctx, conn, bn)
        ctx.audit("warehouse.count.adjust", WMS, "cycle_count_task", cycle_count_id,
                  before={"quantity": current}, after={"quantity": counted, "journal_entry_id": journal,
                                                       "amount": amount_total})
    if mov:
        _queue(ctx, [dict(movement_id=mov, movement_type="cycle_count_adjustment", material_id=task.material_id,
                          signed=delta, warehouse_id=task.warehouse_id, plant_id=plant, ref_type="cycle_count",
                          ref_id=cycle_count_id)])
    return {"cycle_count_id": cycle_count_id, "adjustment_quantity": delta, "amount": amount_total,
            "journal_entry_id": journal, "movement_id": mov, "already_posted": False}


def bin_stock(ctx: ServiceContext, warehouse_id: str | None = None) -> list[dict[str, Any]]:
    ctx.require(WMS, "read", "Listing bin stock")
    wi = WarehouseInventory
    q = select(wi.warehouse_id, wi.bin_id, wi.material_id, wi.batch_number, wi.quantity_on_hand, wi.reserved_quantity,
               wi.available_quantity).order_by(wi.warehouse_id, wi.bin_id, wi.material_id)
    if warehouse_id:
        q = q.where(wi.warehouse_id == warehouse_id)
    with ctx.read(WMS) as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def pending_goods_issues(ctx: ServiceContext, sales_order_id: str) -> list[str]:
    """Shipping tasks of a sales order whose ERP goods issue is not posted yet (no ERP stock movement
    under the shipment id, the delivery document `post_goods_issue` uses), oldest first."""
    ctx.require(WMS, "read", "Looking for shipments awaiting their goods issue")
    st = ShippingTasks
    with ctx.read(WMS) as conn:
        rows = conn.execute(select(st.shipping_task_id, st.shipment_id).where(
            st.sales_order_id == sales_order_id, st.shipment_id.is_not(None)).order_by(st.shipping_task_id)).all()
    if not rows:
        return []
    with ctx.read(ERP) as conn:
        issued = set(conn.execute(select(InventoryTransactions.material_document).where(
            InventoryTransactions.material_document.in_([r.shipment_id for r in rows]))).scalars())
    return [r.shipping_task_id for r in rows if r.shipment_id not in issued]
