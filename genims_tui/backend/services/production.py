"""Production: ERP -> MES release of production orders and MES -> ERP confirmation of work orders.

Both cross two (or three) logical databases, so neither can be one transaction. Each goes through
a sync record in genims_console_db.sync_records (unique per integration and source), whose status
says how far it got; every step is idempotent and checks whether it already happened, so a process
that dies anywhere is finished by simply running the same call again, and never applies anything twice.

Release (integration `erp_mes_release`, source_ref = production order id):
  1. console: the sync record is created (status `pending`) holding the work order id drawn for it;
  2. MES: the work order and its operations (from the routing) are inserted, unless that work order
     already exists  -> status `mes_done`;
  3. ERP: the production order becomes `released` with work_order_id, released_by/at, and an
     ERP_TO_MES row in erp_mes_sync_log, unless it already carries the work order -> status `done`.

Confirmation (integration `mes_erp_confirmation`, source_ref = work order id):
  1. console: the sync record holds the confirmation (quantities, materials, labour hours);
  2. MES: quantities, status `completed`, actual times, operations completed (skipped when the work
     order is completed already) -> `mes_done`;
  3. ERP, one transaction: component issues (261) from the plant's stock, finished-goods receipt of the
     good quantity at standard cost (101), actual cost / variance / delivered and scrap quantities and
     status `completed` on the production order, a MES_TO_ERP row in erp_mes_sync_log (skipped when
     the production order is completed with this work order already) -> `erp_done`;
  4. finance: goods_issue (materials), production_absorption (labour), production_completion
     (standard value + variance), each idempotent by source (the production order id); the amounts
     are read back from the ERP ledger, so a rerun posts exactly what the ERP step wrote -> `done`.

A failed step leaves the record `failed` (attempts + 1, last error, next attempt with backoff; after
MAX_ATTEMPTS it is `dead_letter`) and raises; rerunning the call resumes at the failed step.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError, NotFound
from ..models.console import SyncRecords
from ..models.erp import (
    BillOfMaterials,
    BomComponents,
    ErpMesSyncLog,
    InventoryBalances,
    InventoryTransactions,
    Materials,
    ProductionOrders,
    RoutingOperations,
    WorkCenters,
)
from ..models.manufacturing import WorkOrderOperations, WorkOrders
from ..models.master import LineProductMapping
from . import finance
from .base import ServiceContext, jsonable, to_decimal
from .inventory import post_movement

ERP = "genims_erp_db"
MFG = "genims_manufacturing_db"
MASTER = "genims_master_db"
CONSOLE = "genims_console_db"
FIN = finance.FIN
RELEASE = "erp_mes_release"
CONFIRM = "mes_erp_confirmation"
MAX_ATTEMPTS = 5
TOLERANCE = Decimal("0.10")  # good + rejected + scrap may exceed the planned quantity by 10 %
D0 = Decimal("0")
CENT = Decimal("0.01")


def _dec(v: Any) -> Decimal:
    return D0 if v is None else (v if isinstance(v, Decimal) else Decimal(str(v)))


def _money(v: Decimal) -> Decimal:
    return v.quantize(CENT, rounding=ROUND_HALF_UP)


def _q4(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# -- sync records -----------------------------------------------------------------------------------


def _sync_record(ctx: ServiceContext, integration: str, source_ref: str):
    with ctx.read(CONSOLE) as conn:
        return conn.execute(select(SyncRecords).where(SyncRecords.integration == integration,
                                                      SyncRecords.source_ref == source_ref)).first()


def _create_sync(ctx: ServiceContext, integration: str, source_db: str, source_ref: str, target_db: str,
                 target_ref: str | None, payload: dict[str, Any]):
    """Insert the record; when a concurrent caller inserted it first, return theirs."""
    now = ctx.now()
    try:
        with ctx.dbs.begin(CONSOLE) as conn:
            conn.execute(insert(SyncRecords).values(
                integration=integration, source_database=source_db, source_ref=source_ref, target_database=target_db,
                target_ref=target_ref, status="pending", attempts=0, next_attempt_at=None, last_error=None,
                payload=jsonable(payload), created_at=now, updated_at=now))
    except IntegrityError:
        pass
    return _sync_record(ctx, integration, source_ref)


def _set_status(ctx: ServiceContext, sync_id: int, status: str, **values: Any) -> None:
    with ctx.dbs.begin(CONSOLE) as conn:
        conn.execute(update(SyncRecords).where(SyncRecords.sync_id == sync_id)
                     .values(status=status, updated_at=ctx.now(), **values))


def _record_failure(ctx: ServiceContext, record, exc: BaseException) -> None:
    attempts = (record.attempts or 0) + 1
    dead = attempts >= MAX_ATTEMPTS
    backoff = dt.timedelta(seconds=min(3600, 30 * 2 ** (attempts - 1)))
    try:
        _set_status(ctx, record.sync_id, "dead_letter" if dead else "failed", attempts=attempts,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    next_attempt_at=None if dead else ctx.now() + backoff)
    except Exception:  # the console database itself failing must not hide the original error
        pass


def _run_steps(ctx: ServiceContext, record, steps: list[tuple[str, Any]]) -> None:
    """Run the steps after the record's current status; each step's name is the status it reaches."""
    order = ["pending"] + [name for name, _ in steps]
    status = record.status
    if status in ("failed", "dead_letter"):
        reached = (record.payload or {}).get("_reached", "pending")
    else:
        reached = status
    start = order.index(reached) if reached in order else 0
    for name, step in steps[start:]:
        try:
            step()
        except BaseException as exc:
            _record_failure(ctx, record, exc)
            raise
        record = _sync_record(ctx, record.integration, record.source_ref)
        payload = dict(record.payload or {}, _reached=name)
        _set_status(ctx, record.sync_id, name, payload=jsonable(payload), last_error=None, next_attempt_at=None)


# -- release ----------------------------------------------------------------------------------------


def _release_plan(ctx: ServiceContext, po) -> dict[str, Any]:
    """Everything the MES work order needs, read and checked before anything is written."""
    if po.routing_id is None:
        raise DomainError(f"{po.production_order_id} has no routing; a work order needs its operations.")
    if po.bom_id is None:
        raise DomainError(f"{po.production_order_id} has no bill of materials.")
    qty = _dec(po.order_quantity)
    if qty <= 0:
        raise DomainError(f"{po.production_order_id} has no quantity to produce.")
    with ctx.read(ERP) as conn:
        mat = conn.execute(select(Materials).where(Materials.material_id == po.material_id)).first()
        ops = conn.execute(
            select(RoutingOperations.__table__, WorkCenters.work_center_code.label("wc_code"),
                   WorkCenters.line_id.label("wc_line"), WorkCenters.machine_id.label("wc_machine"))
            .outerjoin(WorkCenters, WorkCenters.work_center_id == RoutingOperations.work_center_id)
            .where(RoutingOperations.routing_id == po.routing_id).order_by(RoutingOperations.operation_number)).all()
    if not ops:
        raise DomainError(f"Routing {po.routing_id} of {po.production_order_id} has no operations.")
    product_id = mat.product_id if mat is not None else None
    line_id = None
    if product_id:
        with ctx.read(MASTER) as conn:
            lpm = conn.execute(
                select(LineProductMapping.line_id).where(
                    LineProductMapping.product_id == product_id, LineProductMapping.factory_id == po.plant_id,
                    func.coalesce(LineProductMapping.status, "active") == "active")
                .order_by(LineProductMapping.is_primary_line.desc(), LineProductMapping.line_id)).first()
        line_id = lpm.line_id if lpm else None
    if line_id is None:
        line_id = next((o.wc_line for o in ops if o.wc_line), None)
    if line_id is None:
        raise DomainError(f"No production line makes {po.material_id} at {po.plant_id}: "
                          f"line_product_mapping has no active line for product {product_id or '(none)'}.",
                          "Map the product to a line of the plant first.")
    start = dt.datetime.combine(po.basic_start_date or ctx.today(), dt.time(6, 0))
    end = dt.datetime.combine(po.basic_end_date or start.date(), dt.time(22, 0))
    if end <= start:
        end = start + dt.timedelta(hours=16)
    planned = int(qty.to_integral_value(rounding=ROUND_CEILING))
    # Each operation's share of the window follows its standard minutes (setup + run for the quantity).
    minutes = []
    for o in ops:
        base = _dec(o.base_quantity) or Decimal(1)
        run = (_dec(o.machine_time) + _dec(o.labor_time)) * qty / base
        minutes.append(_dec(o.setup_time) + run)
    total = sum(minutes, D0)
    window = (end - start).total_seconds()
    cursor = start
    op_rows = []
    for i, (o, m) in enumerate(zip(ops, minutes, strict=True), 1):
        share = (m / total) if total > 0 else Decimal(1) / len(ops)
        op_end = end if i == len(ops) else cursor + dt.timedelta(seconds=int(window * float(share)))
        ro = o
        op_rows.append({
            "operation_sequence": ro.operation_number or i * 10,
            "operation_code": f"{o.wc_code or ro.work_center_id}-{(ro.operation_number or i * 10):04d}",
            "operation_name": ro.operation_short_text, "line_id": o.wc_line or line_id, "machine_id": o.wc_machine,
            "work_center_code": o.wc_code, "planned_quantity": planned,
            "planned_duration_minutes": int(math.ceil(m)) if total > 0 else None,
            "planned_setup_time_minutes": int(_dec(ro.setup_time)),
            "standard_time_per_unit_seconds": _money(_dec(ro.machine_time) * 60),
            "planned_start_time": cursor, "planned_end_time": op_end,
        })
        cursor = op_end
    return {"product_id": product_id, "line_id": line_id, "planned_quantity": planned, "start": start, "end": end,
            "unit": mat.base_unit_of_measure if mat is not None else None,
            "standard_cost": _dec(mat.standard_cost) if mat is not None else D0, "operations": op_rows}


def release_production_order(ctx: ServiceContext, production_order_id: str) -> dict[str, Any]:
    """Release a created production order to the MES: one work order with its operations, once.

    Rerunning after a crash finishes the release; releasing a released order is refused."""
    ctx.require_capability("production.release", "Releasing a production order")
    ctx.require(MFG, "write", "Releasing a production order (creating its MES work order)")
    po_id = (production_order_id or "").strip()
    if not po_id:
        raise DomainError("Production order is required.")
    with ctx.read(ERP) as conn:
        po = conn.execute(select(ProductionOrders).where(ProductionOrders.production_order_id == po_id)).first()
    if po is None:
        raise NotFound(f"There is no production order {po_id}.")
    record = _sync_record(ctx, RELEASE, po_id)
    plan: dict[str, Any] | None = None
    if record is not None and record.status == "done":
        raise DomainError(f"{po_id} is released already (work order {record.target_ref}).")
    if record is None:
        if po.system_status != "created":
            raise DomainError(f"{po_id} is {po.system_status or 'in no state'} already; only created orders can be released.")
        plan = _release_plan(ctx, po)
        wo_id = ctx.next_key("WO", WorkOrders.__table__, "work_order_id", MFG)
        record = _create_sync(ctx, RELEASE, ERP, po_id, MFG, wo_id, {"work_order_id": wo_id})
    wo_id = record.target_ref
    resumed = record.status != "pending" or (record.attempts or 0) > 0

    def mes_step() -> None:
        nonlocal plan
        plan = plan or _release_plan(ctx, po)
        now = ctx.now()
        with ctx.transaction(MFG) as conn:
            finance.serialize(conn, f"mes:work_order:{wo_id}", WorkOrders.__table__)
            if conn.execute(select(WorkOrders.work_order_id).where(WorkOrders.work_order_id == wo_id)).first():
                return
            conn.execute(insert(WorkOrders).values(
                work_order_id=wo_id, work_order_number=f"WO{700000 + int(wo_id.rsplit('-', 1)[-1])}"
                if wo_id.rsplit("-", 1)[-1].isdigit() else wo_id,
                product_id=plan["product_id"], customer_id=None, sales_order_number=po.sales_order_id,
                factory_id=po.plant_id, line_id=plan["line_id"], planned_quantity=plan["planned_quantity"],
                unit_of_measure=plan["unit"] or "EA", priority=po.priority, planned_start_date=plan["start"],
                planned_end_date=plan["end"], scheduled_start_time=plan["start"], scheduled_end_time=plan["end"],
                produced_quantity=0, good_quantity=0, rejected_quantity=0, scrapped_quantity=0, rework_quantity=0,
                status="released", quality_status="pending", quality_hold=False,
                standard_cost_per_unit=_money(plan["standard_cost"]), erp_order_id=po_id, created_at=now,
                updated_at=now))
            conn.execute(insert(WorkOrderOperations), [
                dict(op, operation_id=f"{wo_id}-OP{n:03d}", work_order_id=wo_id, status="pending",
                     completed_quantity=0, rejected_quantity=0, requires_inspection=(n == len(plan["operations"])),
                     inspection_status="pending" if n == len(plan["operations"]) else "not_required",
                     created_at=now, updated_at=now)
                for n, op in enumerate(plan["operations"], 1)])
            ctx.audit("production.work_order.create", MFG, "work_order", wo_id,
                      after={"production_order_id": po_id, "planned_quantity": plan["planned_quantity"],
                             "line_id": plan["line_id"], "operations": len(plan["operations"])})

    def erp_step() -> None:
        now = ctx.now()
        sync_key = ctx.next_key("SYNC", ErpMesSyncLog.__table__, "sync_id", ERP)
        with ctx.transaction(ERP) as conn:
            finance.serialize(conn, f"erp:production_order:{po_id}", ProductionOrders.__table__)  # one writer at a time
            cur = conn.execute(select(ProductionOrders).where(ProductionOrders.production_order_id == po_id)).first()
            if cur.work_order_id == wo_id and cur.system_status != "created":
                return
            if cur.system_status != "created":
                raise DomainError(f"{po_id} became {cur.system_status} meanwhile; work order {wo_id} is not linked.")
            conn.execute(update(ProductionOrders).where(ProductionOrders.production_order_id == po_id).values(
                system_status="released", user_status="REL", work_order_id=wo_id, released_by=ctx.user.user_id[:50],
                released_at=now, updated_at=now))
            conn.execute(insert(ErpMesSyncLog).values(
                sync_id=sync_key, sync_timestamp=now, sync_direction="ERP_TO_MES", document_type="production_order",
                document_id=po_id, sync_status="success", error_message=None,
                sync_data={"work_order_id": wo_id, "material_id": po.material_id, "bom_id": po.bom_id,
                           "routing_id": po.routing_id,
                           "quantity": int(_dec(po.order_quantity)), "plant_id": po.plant_id,
                           "basic_start_date": po.basic_start_date.isoformat() if po.basic_start_date else None,
                           "basic_end_date": po.basic_end_date.isoformat() if po.basic_end_date else None},
                retry_count=record.attempts or 0, last_retry_at=now if record.attempts else None, created_at=now))
            ctx.audit("production.order.release", ERP, "production_order", po_id,
                      before={"system_status": cur.system_status}, after={"system_status": "released", "work_order_id": wo_id})

    _run_steps(ctx, record, [("mes_done", mes_step), ("done", erp_step)])
    return {"production_order_id": po_id, "work_order_id": wo_id, "status": "released", "resumed": resumed}


# -- confirmation -----------------------------------------------------------------------------------


def _whole(value: Any, name: str) -> int:
    number = to_decimal(value if value is not None else 0, name, minimum=D0, places=4)
    if number != number.to_integral_value():
        raise DomainError(f"{name} must be a whole number of units (got {number}).")
    return int(number)


def _backflush(conn, po, produced: int) -> list[dict[str, Any]]:
    bom = conn.execute(select(BillOfMaterials).where(BillOfMaterials.bom_id == po.bom_id)).first()
    base = _dec(bom.base_quantity) if bom is not None and bom.base_quantity else Decimal(1)
    comps = conn.execute(select(BomComponents).where(BomComponents.bom_id == po.bom_id)
                         .order_by(BomComponents.item_number, BomComponents.component_id)).all()
    need: dict[str, Decimal] = {}
    for c in comps:
        q = _q4(_dec(c.component_quantity) * produced / base * (1 + _dec(c.component_scrap_percentage) / 100))
        if q > 0:
            need[c.material_id] = need.get(c.material_id, D0) + q
    return [{"material_id": m, "quantity": q, "batch": None} for m, q in need.items()]


def _clean_materials(materials: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if materials is None:
        return None
    clean = []
    for i, m in enumerate(materials, 1):
        mid = str(m.get("material_id") or "").strip()
        if not mid:
            raise DomainError(f"Material {i} has no material_id.")
        qty = to_decimal(m.get("quantity"), f"Quantity of {mid}", positive=True)
        batch = (str(m["batch"]).strip() or None) if m.get("batch") else None
        clean.append({"material_id": mid, "quantity": qty, "batch": batch})
    return clean


def _stock_plan(conn, plant: str, materials: list[dict[str, Any]]) -> list[tuple[Any, Decimal]]:
    """Which balances each component is issued from (oldest first), or a DomainError naming it."""
    plan = []
    for m in materials:
        ib = InventoryBalances
        conds = [ib.material_id == m["material_id"], ib.plant_id == plant, ib.unrestricted_stock > 0]
        if m["batch"]:
            conds.append(ib.batch_number == m["batch"])
        rows = conn.execute(select(ib).where(*conds).order_by(ib.last_goods_receipt_date, ib.balance_id)).all()
        have = sum((_dec(r.unrestricted_stock) for r in rows), D0)
        if have < m["quantity"]:
            where = f"{m['material_id']}" + (f" batch {m['batch']}" if m["batch"] else "")
            raise DomainError(f"Not enough stock of component {where} at {plant}: {have.normalize()} there, "
                              f"{m['quantity'].normalize()} needed.", "Receive or transfer the component first.")
        left = m["quantity"]
        for r in rows:
            if left <= 0:
                break
            take = min(left, _dec(r.unrestricted_stock))
            plan.append((r, take))
            left -= take
    return plan


def _labour_rate(conn, routing_id: str | None) -> Decimal:
    """The work centres' hourly rate, weighted by each operation's standard labour time."""
    rows = conn.execute(select(RoutingOperations.labor_time, WorkCenters.hourly_rate)
                        .join(WorkCenters, WorkCenters.work_center_id == RoutingOperations.work_center_id)
                        .where(RoutingOperations.routing_id == routing_id)).all()
    if not rows:
        return D0
    weights = [(_dec(t), _dec(r)) for t, r in rows]
    total = sum((w for w, _ in weights), D0)
    if total <= 0:
        return sum((r for _, r in weights), D0) / len(weights)
    return sum((w * r for w, r in weights), D0) / total


def _ledger_amounts(conn, po_id: str, wo_id: str) -> dict[str, Decimal]:
    it = InventoryTransactions
    issued = conn.execute(select(func.coalesce(func.sum(it.amount), 0)).where(
        it.production_order_id == po_id, it.work_order_id == wo_id, it.movement_type == "261")).scalar()
    received = conn.execute(select(func.coalesce(func.sum(it.amount), 0)).where(
        it.production_order_id == po_id, it.work_order_id == wo_id, it.movement_type == "101")).scalar()
    po = conn.execute(select(ProductionOrders.actual_costs, ProductionOrders.variance_amount)
                      .where(ProductionOrders.production_order_id == po_id)).first()
    materials = _money(-_dec(issued))
    actual = _money(_dec(po.actual_costs))
    return {"materials": materials, "labour": actual - materials, "standard": _money(_dec(received)),
            "variance": _money(_dec(po.variance_amount)), "actual": actual}


def confirm_work_order(ctx: ServiceContext, work_order_id: str, good: Any, rejected: Any = 0, scrap: Any = 0,
                       rework: Any = 0, materials: list[dict[str, Any]] | None = None,
                       labour_hours: Any = 0) -> dict[str, Any]:
    """Confirm a released work order's production to the ERP, exactly once (see the module doc)."""
    ctx.require_capability("production.release", "Confirming a work order")
    ctx.require(MFG, "write", "Confirming a work order")
    wo_id = (work_order_id or "").strip()
    if not wo_id:
        raise DomainError("Work order is required.")
    g, r, s, rw = (_whole(good, "Good quantity"), _whole(rejected, "Rejected quantity"),
                   _whole(scrap, "Scrap quantity"), _whole(rework, "Rework quantity"))
    hours = to_decimal(labour_hours if labour_hours is not None else 0, "Labour hours", minimum=D0, places=2)
    clean_mats = _clean_materials(materials)
    with ctx.read(MFG) as conn:
        wo = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == wo_id)).first()
    if wo is None:
        raise NotFound(f"There is no work order {wo_id}.")
    request = {"good": g, "rejected": r, "scrap": s, "rework": rw, "labour_hours": str(hours),
               "materials": None if clean_mats is None else [
                   {"material_id": m["material_id"], "quantity": str(m["quantity"]), "batch": m["batch"]} for m in clean_mats]}
    record = _sync_record(ctx, CONFIRM, wo_id)
    if record is not None:
        stored = {k: (record.payload or {}).get(k) for k in request}
        if stored != request:
            raise DomainError(f"{wo_id} is confirmed already ({record.status}) with other quantities "
                              f"(good {stored['good']}, rejected {stored['rejected']}, scrap {stored['scrap']}).")
        if record.status == "done":
            return dict(record.payload.get("result") or {}, work_order_id=wo_id, applied=False)
    else:
        if wo.status not in ("released", "in_progress"):
            raise DomainError(f"{wo_id} is {wo.status} already; only released or in-progress work orders can be confirmed.")
        produced = g + r + s
        if produced <= 0:
            raise DomainError("A confirmation needs a quantity: good, rejected or scrap above 0.")
        limit = Decimal(wo.planned_quantity or 0) * (1 + TOLERANCE)
        if produced > limit:
            raise DomainError(f"good + rejected + scrap = {produced} is more than the planned {wo.planned_quantity} "
                              f"plus {int(TOLERANCE * 100)} % tolerance.")
        if rw > g:
            raise DomainError(f"Rework quantity {rw} is more than the good quantity {g} (rework counts among the good units).")
    with ctx.read(ERP) as conn:
        po = conn.execute(select(ProductionOrders).where(
            ProductionOrders.production_order_id == (wo.erp_order_id or ""))).first()
        if po is None:
            po = conn.execute(select(ProductionOrders).where(ProductionOrders.work_order_id == wo_id)).first()
        if po is None:
            raise DomainError(f"{wo_id} belongs to no production order; nothing to confirm in the ERP.")
        if record is None:
            if po.system_status not in ("released", "in_progress"):
                raise DomainError(f"Production order {po.production_order_id} is {po.system_status}; "
                                  "only released or in-progress orders take confirmations.")
            mats = clean_mats if clean_mats is not None else _backflush(conn, po, g + r + s)
            _stock_plan(conn, po.plant_id, mats)  # refuse up front, before anything is written
            finance.check_postable(ctx, "production_completion", {"amount": Decimal(1), "variance": Decimal(1)})
    if record is None:
        record = _create_sync(ctx, CONFIRM, MFG, wo_id, ERP, po.production_order_id, dict(request))
    po_id = po.production_order_id
    resumed = record.status != "pending" or (record.attempts or 0) > 0
    day = ctx.today()

    def mes_step() -> None:
        now = ctx.now()
        with ctx.transaction(MFG) as conn:
            finance.serialize(conn, f"mes:work_order:{wo_id}", WorkOrders.__table__)
            cur = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == wo_id)).first()
            if cur.status == "completed":
                return
            start = cur.actual_start_time or min(now, cur.scheduled_start_time or now)
            produced = g + r + s
            conn.execute(update(WorkOrders).where(WorkOrders.work_order_id == wo_id).values(
                produced_quantity=produced, good_quantity=g, rejected_quantity=r, scrapped_quantity=s,
                rework_quantity=rw, status="completed", actual_start_time=start, actual_end_time=now,
                yield_percentage=_money(Decimal(100 * g) / produced),
                first_pass_yield_percentage=_money(Decimal(100 * (g - rw)) / produced),
                completed_by=None, updated_at=now))
            ops = conn.execute(select(WorkOrderOperations.operation_id).where(WorkOrderOperations.work_order_id == wo_id)
                               .order_by(WorkOrderOperations.operation_sequence)).all()
            for i, (op_id,) in enumerate(ops):
                last = i == len(ops) - 1
                conn.execute(update(WorkOrderOperations).where(WorkOrderOperations.operation_id == op_id).values(
                    status="completed", completed_quantity=g if last else g + r, rejected_quantity=r if last else 0,
                    actual_start_time=func.coalesce(WorkOrderOperations.actual_start_time, start),
                    actual_end_time=now, labor_hours=_money(hours / len(ops)), updated_at=now))
            ctx.audit("production.work_order.confirm", MFG, "work_order", wo_id,
                      before={"status": cur.status}, after={"status": "completed", "good": g, "rejected": r, "scrap": s, "rework": rw})

    def erp_step() -> None:
        now = ctx.now()
        with ctx.transaction(ERP) as conn:
            finance.serialize(conn, f"erp:production_order:{po_id}", ProductionOrders.__table__)  # one writer at a time
            cur = conn.execute(select(ProductionOrders).where(ProductionOrders.production_order_id == po_id)).first()
            if cur.system_status == "completed" and cur.work_order_id == wo_id:
                done = conn.execute(select(func.count()).select_from(ErpMesSyncLog).where(
                    ErpMesSyncLog.document_id == wo_id, ErpMesSyncLog.sync_direction == "MES_TO_ERP")).scalar()
                if done:
                    return
            mats = clean_mats if clean_mats is not None else _backflush(conn, cur, g + r + s)
            plan = _stock_plan(conn, cur.plant_id, mats)
            refs = {"production_order_id": po_id, "work_order_id": wo_id}
            material_cost = D0
            for bal, qty in plan:
                mv = post_movement(ctx, conn, material_id=bal.material_id, plant_id=bal.plant_id,
                                   storage_location=bal.storage_location, batch_number=bal.batch_number, quantity=-qty,
                                   transaction_type="goods_issue", movement_type="261", posting_date=day,
                                   references=refs, reason_text=f"Issue to production order {po_id}")
                material_cost += -mv.amount
            mat = conn.execute(select(Materials).where(Materials.material_id == cur.material_id)).first()
            std_unit = _dec(mat.standard_cost) if mat is not None else D0
            standard = _money(std_unit * g)
            if g > 0:
                sloc = conn.execute(select(InventoryBalances.storage_location).where(
                    InventoryBalances.material_id == cur.material_id, InventoryBalances.plant_id == cur.plant_id)
                    .order_by(InventoryBalances.balance_id)).scalar() or "FG01"
                post_movement(ctx, conn, material_id=cur.material_id, plant_id=cur.plant_id, storage_location=sloc,
                              batch_number=f"PB{po_id[-6:]}", quantity=Decimal(g), amount=standard,
                              transaction_type="production_receipt", movement_type="101", posting_date=day,
                              unit_of_measure=mat.base_unit_of_measure if mat is not None else None, references=refs,
                              reason_text=f"Receipt from production order {po_id}")
            labour = _money(hours * _labour_rate(conn, cur.routing_id))
            actual = _money(material_cost) + labour
            variance = actual - standard
            conn.execute(update(ProductionOrders).where(ProductionOrders.production_order_id == po_id).values(
                delivered_quantity=_dec(cur.delivered_quantity) + g, scrap_quantity=_dec(cur.scrap_quantity) + s + r,
                system_status="completed", user_status="CNF", actual_costs=actual, variance_amount=variance,
                actual_start_date=cur.actual_start_date or day, actual_finish_date=day, updated_at=now))
            sync_key = ctx.next_key("SYNC", ErpMesSyncLog.__table__, "sync_id", ERP)
            conn.execute(insert(ErpMesSyncLog).values(
                sync_id=sync_key, sync_timestamp=now, sync_direction="MES_TO_ERP", document_type="work_order_confirmation",
                document_id=wo_id, sync_status="success", error_message=None,
                sync_data=jsonable({"production_order_id": po_id, "good_quantity": g, "rejected_quantity": r,
                                    "scrap_quantity": s, "rework_quantity": rw, "labour_hours": hours,
                                    "material_cost": material_cost, "actual_cost": actual, "variance": variance}),
                retry_count=record.attempts or 0, last_retry_at=now if record.attempts else None, created_at=now))
            ctx.audit("production.order.confirm", ERP, "production_order", po_id,
                      before={"system_status": cur.system_status},
                      after={"system_status": "completed", "good": g, "actual_costs": actual, "variance": variance})

    result: dict[str, Any] = {}

    def finance_step() -> None:
        with ctx.read(ERP) as conn:
            amounts = _ledger_amounts(conn, po_id, wo_id)
        entries = _post_confirmation(ctx, po_id, amounts, day)
        result.update({k: str(v) for k, v in amounts.items()})
        result["journal_entries"] = [e.journal_entry_id for e in entries]
        payload = dict(record.payload or {}, result=dict(result, production_order_id=po_id))
        with ctx.dbs.begin(CONSOLE) as conn:
            conn.execute(update(SyncRecords).where(SyncRecords.sync_id == record.sync_id).values(payload=jsonable(payload)))

    _run_steps(ctx, record, [("mes_done", mes_step), ("erp_done", erp_step), ("done", finance_step)])
    return dict(result, work_order_id=wo_id, production_order_id=po_id, good=g, rejected=r, scrap=s, rework=rw,
                applied=True, resumed=resumed)


def sync_status(ctx: ServiceContext, integration: str, source_ref: str) -> dict[str, Any] | None:
    """The sync record of one release or confirmation (status, attempts, last error)."""
    rec = _sync_record(ctx, integration, source_ref)
    if rec is None:
        return None
    return {"integration": rec.integration, "source_ref": rec.source_ref, "target_ref": rec.target_ref,
            "status": rec.status, "attempts": rec.attempts, "last_error": rec.last_error}


__all__ = ["release_production_order", "confirm_work_order", "sync_status", "RELEASE", "CONFIRM"]


# -- GL sweep of completed production orders and MES completions (the daemons) ---------------------

# System statuses of a production order whose production is finished (the seeds' and this service's).
DONE_STATUSES = ("completed", "closed", "teco", "cnf", "dlv")


def unposted_completions(ctx: ServiceContext, limit: int = 200) -> list[str]:
    """Completed production orders with a cost whose completion has no journal entry under
    (`production_completion`, order id) - the source `confirm_work_order` posts it under, so an order
    confirmed through this service is never picked up. Oldest ids first, at most `limit`."""
    ctx.require(ERP, "read", "Looking for unposted production completions")
    p = ProductionOrders
    with ctx.read(ERP) as conn:
        ids = list(conn.execute(select(p.production_order_id).where(
            func.lower(p.system_status).in_(DONE_STATUSES),
            (func.coalesce(p.actual_costs, 0) != 0) | (func.coalesce(p.planned_costs, 0) != 0))
            .order_by(p.production_order_id)).scalars())
    posted = finance.posted_sources(ctx, "production_completion", ids)
    return [i for i in ids if i not in posted][:max(0, int(limit))]


def post_completion_to_gl(ctx: ServiceContext, production_order_id: str) -> list[finance.Posting]:
    """Post a completed production order that has no completion entry yet. An order confirmed
    through `confirm_work_order` (its confirmation record exists) gets exactly the entries the
    confirmation's finance step posts, from the ERP ledger: goods issue, absorbed labour, completion
    with variance. Any other (completed outside this service) gets Dr finished goods / Cr WIP of its
    actual, else planned, cost. Dated today, each idempotent by (transaction type, order id)."""
    ctx.require(FIN, "write", "Posting a production completion")
    po_id = (production_order_id or "").strip()
    if not po_id:
        raise DomainError("Production order is required.")
    with ctx.read(ERP) as conn:
        po = conn.execute(select(ProductionOrders).where(ProductionOrders.production_order_id == po_id)).first()
        if po is None:
            raise NotFound(f"There is no production order {po_id}.")
        if (po.system_status or "").lower() not in DONE_STATUSES:
            raise DomainError(f"{po_id} is {po.system_status or 'in no state'}; only a completed order is posted.")
        record = _sync_record(ctx, CONFIRM, po.work_order_id) if po.work_order_id else None
        amounts = _ledger_amounts(conn, po_id, po.work_order_id) if record is not None else None
    day = ctx.today()
    if amounts is None:
        value = _money(_dec(po.actual_costs) or _dec(po.planned_costs))
        return [finance.post_for_source(ctx, "production_completion", {"amount": value}, source_document_id=po_id,
                                        posting_date=day, reference=po_id,
                                        description=f"Production completion {po.production_order_number or po_id}")]
    return _post_confirmation(ctx, po_id, amounts, day)


def _post_confirmation(ctx: ServiceContext, po_id: str, amounts: dict[str, Decimal], day: dt.date) -> list:
    """The GL entries of a confirmed production order (materials issued, labour absorbed, the receipt
    at standard with its variance), each idempotent by its source."""
    entries = []
    if amounts["materials"] != 0:
        entries.append(finance.post_for_source(ctx, "goods_issue", {"amount": amounts["materials"]},
                                               source_document_id=po_id, posting_date=day,
                                               description=f"Goods issue to production order {po_id}"))
    if amounts["labour"] != 0:
        entries.append(finance.post_for_source(ctx, "production_absorption", {"amount": amounts["labour"]},
                                               source_document_id=po_id, posting_date=day,
                                               description=f"Labour absorbed by production order {po_id}"))
    if amounts["standard"] != 0 or amounts["variance"] != 0:
        entries.append(finance.post_for_source(
            ctx, "production_completion", {"amount": amounts["standard"], "variance": amounts["variance"]},
            source_document_id=po_id, posting_date=day, description=f"Receipt from production order {po_id}"))
    return entries


def releasable_orders(ctx: ServiceContext, horizon_days: int, limit: int = 100) -> list[str]:
    """Created production orders due to start within `horizon_days` of today (past-due ones
    included), earliest start first, at most `limit`."""
    ctx.require(ERP, "read", "Looking for production orders to release")
    p = ProductionOrders
    until = ctx.today() + dt.timedelta(days=int(horizon_days))
    with ctx.read(ERP) as conn:
        return list(conn.execute(select(p.production_order_id).where(
            p.system_status == "created", func.coalesce(p.basic_start_date, p.scheduled_start_date) <= until,
            # an order without routing or BOM cannot become a work order: it waits for its planner
            p.routing_id.is_not(None), p.bom_id.is_not(None))
            .order_by(func.coalesce(p.basic_start_date, p.scheduled_start_date), p.production_order_id)
            .limit(max(0, int(limit)))).scalars())


def pending_confirmations(ctx: ServiceContext, limit: int = 100) -> list[str]:
    """Work orders whose production the ERP has not taken in yet: confirmations that stopped part way
    (status pending/mes_done/erp_done/failed, next attempt due; dead letters wait for a person), and
    work orders the MES completed on its own while their production order is still released or in
    progress. At most `limit`, in work order order."""
    ctx.require(MFG, "read", "Looking for MES confirmations")
    now = ctx.now()
    s = SyncRecords
    with ctx.read(CONSOLE) as conn:
        stalled = list(conn.execute(select(s.source_ref).where(
            s.integration == CONFIRM, s.status.in_(("pending", "mes_done", "erp_done", "failed")),
            (s.next_attempt_at.is_(None)) | (s.next_attempt_at <= now)).order_by(s.source_ref)).scalars())
        known = set(conn.execute(select(s.source_ref).where(s.integration == CONFIRM)).scalars())
    with ctx.read(ERP) as conn:
        open_orders = dict(conn.execute(select(ProductionOrders.work_order_id, ProductionOrders.production_order_id).where(
            ProductionOrders.system_status.in_(("released", "in_progress")),
            ProductionOrders.work_order_id.is_not(None))).all())
    completed: list[str] = []
    wo_ids = sorted(open_orders)
    with ctx.read(MFG) as conn:
        for i in range(0, len(wo_ids), 500):
            completed.extend(conn.execute(select(WorkOrders.work_order_id).where(
                WorkOrders.work_order_id.in_(wo_ids[i:i + 500]), WorkOrders.status == "completed")).scalars())
    fresh = [w for w in completed if w not in known]
    return sorted(dict.fromkeys(stalled + fresh))[:max(0, int(limit))]


def receive_mes_confirmation(ctx: ServiceContext, work_order_id: str) -> dict[str, Any]:
    """Take a work order's production into the ERP: resume a confirmation that stopped part way
    (with the quantities it was given), or confirm a work order the MES completed on its own with
    the MES's quantities and labour hours (backflushed materials). Idempotent like
    `confirm_work_order`, which does the work."""
    wo_id = (work_order_id or "").strip()
    if not wo_id:
        raise DomainError("Work order is required.")
    record = _sync_record(ctx, CONFIRM, wo_id)
    if record is None:
        with ctx.read(MFG) as conn:
            wo = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == wo_id)).first()
            if wo is None:
                raise NotFound(f"There is no work order {wo_id}.")
            hours = conn.execute(select(func.coalesce(func.sum(WorkOrderOperations.labor_hours), 0))
                                 .where(WorkOrderOperations.work_order_id == wo_id)).scalar()
        if wo.status != "completed":
            raise DomainError(f"{wo_id} is {wo.status}; the MES has not completed it.",
                              "Confirm it with its quantities (`confirm_work_order`).")
        request = {"good": int(wo.good_quantity or 0), "rejected": int(wo.rejected_quantity or 0),
                   "scrap": int(wo.scrapped_quantity or 0), "rework": int(wo.rework_quantity or 0),
                   "labour_hours": str(to_decimal(hours or 0, "Labour hours", minimum=D0, places=2)), "materials": None}
        if request["good"] + request["rejected"] + request["scrap"] <= 0:
            raise DomainError(f"{wo_id} was completed by the MES without any quantity; nothing to confirm.")
        with ctx.read(ERP) as conn:
            po = conn.execute(select(ProductionOrders).where(
                ProductionOrders.production_order_id == (wo.erp_order_id or ""))).first()
            if po is None:
                po = conn.execute(select(ProductionOrders).where(ProductionOrders.work_order_id == wo_id)).first()
        if po is None:
            raise DomainError(f"{wo_id} belongs to no production order; nothing to confirm in the ERP.")
        if po.system_status not in ("released", "in_progress"):
            raise DomainError(f"Production order {po.production_order_id} is {po.system_status}; "
                              "only released or in-progress orders take confirmations.")
        # the record first: confirm_work_order then resumes it (its MES step sees the work order done)
        record = _create_sync(ctx, CONFIRM, MFG, wo_id, ERP, po.production_order_id, request)
    payload = record.payload or {}
    return confirm_work_order(ctx, wo_id, payload.get("good"), payload.get("rejected") or 0, payload.get("scrap") or 0,
                              payload.get("rework") or 0, materials=payload.get("materials"),
                              labour_hours=payload.get("labour_hours") or 0)
