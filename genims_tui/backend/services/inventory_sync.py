"""ERP <-> WMS inventory sync (seeds 002 and 004): the queue, its daemon step, dead letters and reconciliation.

Queue (`inventory_sync_queue`)
  Every WMS movement is queued by `enqueue` (direction WMS_TO_ERP, transaction_id = the movement id);
  every ERP movement (inventory_transactions) by `sweep_erp_movements` (direction ERP_TO_WMS), an
  outbox sweep that runs before each processing pass. transaction_id is the source reference:
  queuing the same movement again returns the row already there and writes nothing.

Processing (`process_sync_queue`)
  Items that are due are taken in order (created_at, queue_id). An item is due when it is 'pending',
  or 'failed' and its next attempt time has come. Each item is applied in ONE transaction of
  genims_erp_wms_sync_db that also flips its status, guarded by `WHERE sync_status = <what we read>`:
  an item is applied to `inventory_snapshot` exactly once, however often (or concurrently) the queue
  is processed. A WMS_TO_ERP item changes the snapshot's `wms_on_hand` of (material, ERP plant); an
  ERP_TO_WMS item its `erp_on_hand`; variance and sync_status are recomputed.

  A failing item (unknown material, a warehouse/plant without a mapping, a missing quantity) gets
  retry_count + 1 and status 'failed'; its next attempt is stored in `sync_data["next_attempt_at"]`
  (ISO time) = now + BACKOFF_SECONDS * 2 ** (retry_count - 1): 60 s, 120 s, 240 s ... `processed_at`
  is the time of the last attempt. At retry_count == max_retries (default 3) the item becomes
  'dead_letter' with its error_message, and an `inventory_sync_errors` row (error_status 'open'). Other
  items go on. `requeue` puts a dead letter back to 'pending' with retry_count 0 and marks its error
  rows 'requeued'.

Metrics
  One `inventory_sync_metrics` row per day (`SYM-YYYYMMDD`), recomputed from the queue items attempted
  that day (and the day's reconciliations) after each processing run and each reconciliation.

  A run reads the ids of all pending/failed items to pick the due ones (the backoff time lives in
  sync_data); the queue is kept short by the daemon, so this stays cheap. Uniqueness of transaction_id
  is enforced by the service (checked again inside the inserting transaction), not by a constraint.

Reconciliation (`reconcile`)
  ERP stock (inventory_balances: unrestricted + quality inspection + blocked, summed per material and
  plant) against WMS stock (warehouse_inventory summed per material and the warehouse's plant): two
  grouped queries, compared in memory, lines bulk-inserted, one header per plant. variance_pct =
  |wms - erp| / erp * 100 (exact for banding; stored rounded to 2 places): matched < 0.1 %, minor
  0.1 % .. 2 % (both ends included), major > 2 %. A key on one side only (erp 0, wms > 0 or the
  reverse) is major.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from ..errors import DatabaseUnavailable, DomainError, NotFound
from ..models.erp import InventoryBalances, InventoryTransactions, Materials
from ..models.erp_wms_sync import (
    InventoryReconciliationHeaders,
    InventoryReconciliationLines,
    InventorySnapshot,
    InventorySyncErrors,
    InventorySyncMappings,
    InventorySyncMetrics,
    InventorySyncQueue,
)
from ..models.wms import WarehouseInventory, Warehouses
from .base import ServiceContext
from .finance import serialize

SYNC = "genims_erp_wms_sync_db"
ERP = "genims_erp_db"
WMS = "genims_wms_db"
D0 = Decimal("0")
Q4 = Decimal("0.0001")
C2 = Decimal("0.01")
MAX_RETRIES = 3
BACKOFF_SECONDS = 60
MATCHED_BELOW = Decimal("0.1")
MINOR_UP_TO = Decimal("2")
DUE_STATUSES = ("pending", "failed")
C0 = Decimal("0.00")
CAP = Decimal("999.99")


def _dec(v: Any) -> Decimal:
    return D0 if v is None else (v if isinstance(v, Decimal) else Decimal(str(v)))


# -- queue --------------------------------------------------------------------------------------------


def enqueue(ctx: ServiceContext, *, sync_direction: str, transaction_type: str, transaction_id: str,
            material_id: str, quantity: Decimal, from_location: str | None, to_location: str | None,
            from_bin_location: str | None = None, to_bin_location: str | None = None,
            unit_of_measure: str | None = None, data: dict[str, Any] | None = None,
            max_retries: int = MAX_RETRIES) -> tuple[str, bool]:
    """Queue one movement for the other side; (queue_id, created). Idempotent by transaction_id.

    Called by the services after their own permission check (queuing is the automatic consequence of
    a movement), so it checks no permission itself."""
    q = InventorySyncQueue
    with ctx.read(SYNC) as conn:
        found = conn.execute(select(q.queue_id).where(q.transaction_id == transaction_id)).scalar()
    if found:
        return found, False
    queue_id = ctx.next_key("SQ", q.__table__, "queue_id", SYNC, width=7)
    now = ctx.now()
    with ctx.transaction(SYNC) as conn:
        found = conn.execute(select(q.queue_id).where(q.transaction_id == transaction_id)).scalar()
        if found:
            return found, False
        conn.execute(insert(q).values(
            queue_id=queue_id, sync_direction=sync_direction, transaction_type=transaction_type[:50],
            transaction_id=transaction_id, transaction_date=now, material_id=material_id,
            quantity=quantity.quantize(Q4), unit_of_measure=unit_of_measure, from_location=from_location,
            to_location=to_location, from_bin_location=(from_bin_location or None) and from_bin_location[:50],
            to_bin_location=(to_bin_location or None) and to_bin_location[:50], sync_status="pending",
            processed_at=None, retry_count=0, max_retries=max_retries, error_message=None, acknowledged=False,
            acknowledged_at=None, sync_data=dict(data or {}), created_at=now))
    return queue_id, True


ERP_SWEEP_LOOKBACK = dt.timedelta(days=7)


def sweep_erp_movements(ctx: ServiceContext, limit: int = 500, lookback: dt.timedelta = ERP_SWEEP_LOOKBACK) -> int:
    """Queue ERP stock movements for the WMS side (ERP_TO_WMS): every inventory_transactions row of
    the lookback window that is not on the queue yet. The ERP movement commits first and this sweep
    finds it afterwards (an outbox): a crash between the two databases delays an item, never loses
    it, and the transaction id as the queue's source reference means nothing is queued twice.
    Returns how many items it queued."""
    ctx.require(SYNC, "write", "Queueing ERP movements for the WMS")
    since = ctx.now() - lookback
    t = InventoryTransactions
    with ctx.read(ERP) as conn:
        moves = conn.execute(
            select(t.transaction_id, t.transaction_type, t.material_id, t.quantity, t.plant_id, t.storage_location,
                   t.unit_of_measure)
            .where(t.created_at >= since, t.cancelled.is_not(True))
            .order_by(t.created_at, t.transaction_id)
        ).all()
    if not moves:
        return 0
    q = InventorySyncQueue
    with ctx.read(SYNC) as conn:
        queued = {r for (r,) in conn.execute(
            select(q.transaction_id).where(q.sync_direction == "ERP_TO_WMS", q.created_at >= since))}
    queued_now = 0
    for m in moves:
        if m.transaction_id in queued or queued_now >= limit:
            continue
        _queue_id, created = enqueue(
            ctx, sync_direction="ERP_TO_WMS", transaction_type=m.transaction_type or "movement",
            transaction_id=m.transaction_id, material_id=m.material_id, quantity=_dec(m.quantity),
            from_location=m.plant_id, to_location=None, from_bin_location=m.storage_location,
            unit_of_measure=m.unit_of_measure)
        queued_now += created
    return queued_now


@dataclass(frozen=True)
class SyncRun:
    processed: int
    completed: int
    failed: int
    dead_lettered: int
    skipped: int  # claimed by someone else meanwhile

    def as_dict(self) -> dict[str, int]:
        return dict(processed=self.processed, completed=self.completed, failed=self.failed,
                    dead_lettered=self.dead_lettered, skipped=self.skipped)


class _ItemError(Exception):
    def __init__(self, error_type: str, message: str):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def _next_attempt(item) -> dt.datetime | None:
    data = item.sync_data or {}
    text = data.get("next_attempt_at") if isinstance(data, dict) else None
    return dt.datetime.fromisoformat(text) if text else None


def _plants(ctx: ServiceContext) -> tuple[dict[str, str], set[str]]:
    """warehouse -> plant (active mappings first, else the WMS warehouse's plant), and the plants known."""
    wh_plant: dict[str, str] = {}
    try:
        with ctx.read(WMS) as conn:
            for wid, plant in conn.execute(select(Warehouses.warehouse_id, Warehouses.plant_id)):
                if plant:
                    wh_plant[wid] = plant
    except DatabaseUnavailable:  # no WMS database here: the sync mappings alone say where stock lives
        pass
    with ctx.read(SYNC) as conn:
        m = InventorySyncMappings
        for wid, plant in conn.execute(select(m.wms_warehouse_id, m.erp_location_id).where(m.is_active.is_not(False))):
            if wid and plant:
                wh_plant[wid] = plant
    return wh_plant, set(wh_plant.values())


def _known_materials(ctx: ServiceContext, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    with ctx.read(ERP) as conn:
        return set(conn.execute(select(Materials.material_id).where(Materials.material_id.in_(sorted(ids)))).scalars())


def _resolve(item, materials: set[str], wh_plant: dict[str, str], plants: set[str]) -> tuple[str, str]:
    """(side column, plant) the item changes, or an _ItemError."""
    if item.material_id not in materials:
        raise _ItemError("unknown_material", f"Material {item.material_id} is not in the ERP material master.")
    if item.quantity is None:
        raise _ItemError("invalid_data", f"Queue item {item.queue_id} has no quantity.")
    if item.sync_direction == "WMS_TO_ERP":
        wid = item.from_location if item.from_location in wh_plant else item.to_location
        plant = wh_plant.get(wid or "") or (item.to_location if item.to_location in plants else None)
        if not plant:
            raise _ItemError("location_not_found",
                             f"Warehouse {item.from_location} has no ERP plant mapping (inventory_sync_mappings).")
        return "wms_on_hand", plant
    if item.sync_direction == "ERP_TO_WMS":
        plant = item.from_location if item.from_location in plants else item.to_location
        if plant not in plants:
            raise _ItemError("location_not_found", f"Plant {item.from_location} has no WMS warehouse mapping.")
        return "erp_on_hand", plant
    raise _ItemError("invalid_data", f"Unknown sync direction {item.sync_direction!r}.")


def _apply(ctx: ServiceContext, conn: Connection, item, side: str, plant: str) -> None:
    s = InventorySnapshot
    # one snapshot row per (material, plant) even when two runs apply items of a new key at once
    serialize(conn, f"sync:snapshot:{item.material_id}:{plant}", s.__table__)
    row = conn.execute(select(s).where(s.material_id == item.material_id, s.location_id == plant)).first()
    now = ctx.now()
    q = _dec(item.quantity)
    if row is None:
        erp = q if side == "erp_on_hand" else D0
        wms = q if side == "wms_on_hand" else D0
        snap_id = f"SNAP-{item.queue_id}"[:50]
        conn.execute(insert(s).values(
            snapshot_id=snap_id, material_id=item.material_id, location_id=plant, erp_on_hand=erp, erp_allocated=D0,
            erp_available=erp, wms_on_hand=wms, wms_allocated=D0, wms_available=wms, variance_quantity=wms - erp,
            sync_status="in_sync" if wms == erp else "variance",
            last_erp_update=now if side == "erp_on_hand" else None,
            last_wms_update=now if side == "wms_on_hand" else None, last_sync_timestamp=now))
        return
    erp, wms = _dec(row.erp_on_hand), _dec(row.wms_on_hand)
    if side == "erp_on_hand":
        erp += q
        stamps = {"last_erp_update": now, "erp_available": erp - _dec(row.erp_allocated)}
    else:
        wms += q
        stamps = {"last_wms_update": now, "wms_available": wms - _dec(row.wms_allocated)}
    conn.execute(update(s).where(s.snapshot_id == row.snapshot_id).values(
        erp_on_hand=erp, wms_on_hand=wms, variance_quantity=wms - erp,
        sync_status="in_sync" if wms == erp else "variance", last_sync_timestamp=now, **stamps))


def process_sync_queue(ctx: ServiceContext, limit: int = 500) -> SyncRun:
    """Process up to `limit` due queue items in order; see the module docstring."""
    ctx.require(SYNC, "write", "Processing the inventory sync queue")
    if limit < 1:
        raise DomainError(f"--limit must be at least 1 (got {limit}).")
    now = ctx.now()
    q = InventorySyncQueue
    due = []
    with ctx.read(SYNC) as conn:
        rows = conn.execute(select(q).where(q.sync_status.in_(DUE_STATUSES)).order_by(q.created_at, q.queue_id)).all()
    for r in rows:
        nxt = _next_attempt(r) if r.sync_status == "failed" else None
        if nxt is None or nxt <= now:
            due.append(r)
        if len(due) >= limit:
            break
    materials = _known_materials(ctx, {r.material_id for r in due if r.material_id})
    wh_plant, plants = _plants(ctx) if due else ({}, set())
    completed = failed = dead = skipped = 0
    for item in due:
        try:
            side, plant = _resolve(item, materials, wh_plant, plants)
        except _ItemError as exc:
            outcome = _fail(ctx, item, exc)
            if outcome == "dead_letter":
                dead += 1
            elif outcome == "failed":
                failed += 1
            else:
                skipped += 1
            continue
        with ctx.transaction(SYNC) as conn:
            claimed = conn.execute(update(q).where(q.queue_id == item.queue_id, q.sync_status == item.sync_status,
                                                   q.retry_count == item.retry_count).values(
                sync_status="completed", processed_at=now, acknowledged=True, acknowledged_at=now,
                error_message=None)).rowcount
            if claimed != 1:
                skipped += 1
                continue
            _apply(ctx, conn, item, side, plant)
        completed += 1
    if due:
        update_metrics(ctx, now.date())
    if completed or failed or dead:
        ctx.audit("inventory.sync.process", SYNC, "inventory_sync_queue", None,
                  after=dict(completed=completed, failed=failed, dead_lettered=dead))
        ctx.flush_audit()
    return SyncRun(len(due), completed, failed, dead, skipped)


def _fail(ctx: ServiceContext, item, exc: _ItemError) -> str:
    q = InventorySyncQueue
    now = ctx.now()
    retries = (item.retry_count or 0) + 1
    limit = item.max_retries if item.max_retries is not None else MAX_RETRIES
    data = dict(item.sync_data or {}) if isinstance(item.sync_data, dict) else {}
    status = "dead_letter" if retries >= limit else "failed"
    if status == "failed":
        data["next_attempt_at"] = (now + dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** (retries - 1))).isoformat()
    else:
        data.pop("next_attempt_at", None)
    data["last_error_type"] = exc.error_type
    with ctx.transaction(SYNC) as conn:
        claimed = conn.execute(update(q).where(q.queue_id == item.queue_id, q.sync_status == item.sync_status,
                                               q.retry_count == item.retry_count).values(
            sync_status=status, retry_count=retries, processed_at=now, error_message=exc.message,
            sync_data=data)).rowcount
        if claimed != 1:
            return "skipped"
        if status == "dead_letter":
            e = InventorySyncErrors
            conn.execute(insert(e).values(
                error_id=f"SE-{item.queue_id}-{retries}"[:50], error_timestamp=now, error_type=exc.error_type,
                error_message=exc.message, error_details={"queue_id": item.queue_id,
                                                          "transaction_id": item.transaction_id,
                                                          "direction": item.sync_direction, "attempt": retries},
                queue_id=item.queue_id, material_id=item.material_id,
                location_id=item.to_location if item.sync_direction == "WMS_TO_ERP" else item.from_location,
                error_status="open", retry_attempted=retries > 1, retry_count=retries))
    return status


def dead_letters(ctx: ServiceContext, limit: int = 200) -> list[dict[str, Any]]:
    ctx.require(SYNC, "read", "Listing dead letters")
    q = InventorySyncQueue
    with ctx.read(SYNC) as conn:
        rows = conn.execute(select(q.queue_id, q.sync_direction, q.transaction_type, q.transaction_id, q.material_id,
                                   q.quantity, q.from_location, q.to_location, q.retry_count, q.processed_at,
                                   q.error_message).where(q.sync_status == "dead_letter")
                            .order_by(q.created_at, q.queue_id).limit(limit)).mappings().all()
    return [dict(r) for r in rows]


def requeue(ctx: ServiceContext, queue_id: str) -> dict[str, Any]:
    """Put a dead letter back in the queue: status 'pending', retry_count 0, error cleared."""
    ctx.require(SYNC, "write", "Requeuing a dead letter")
    q = InventorySyncQueue
    with ctx.transaction(SYNC) as conn:
        row = conn.execute(select(q).where(q.queue_id == queue_id)).first()
        if row is None:
            raise NotFound(f"Queue item {queue_id} does not exist.", "List them with: genims inventory dead-letters")
        if row.sync_status != "dead_letter":
            raise DomainError(f"Queue item {queue_id} is {row.sync_status}; only a dead letter can be requeued.")
        data = dict(row.sync_data or {}) if isinstance(row.sync_data, dict) else {}
        data.pop("next_attempt_at", None)
        data["requeued_at"] = ctx.now().isoformat()
        conn.execute(update(q).where(q.queue_id == queue_id, q.sync_status == "dead_letter").values(
            sync_status="pending", retry_count=0, error_message=None, sync_data=data))
        e = InventorySyncErrors
        conn.execute(update(e).where(e.queue_id == queue_id, e.error_status == "open").values(
            error_status="requeued", resolution_notes=f"Requeued by {ctx.user.user_id}"[:2000]))
        ctx.audit("inventory.sync.requeue", SYNC, "inventory_sync_queue", queue_id,
                  before={"sync_status": "dead_letter", "retry_count": row.retry_count},
                  after={"sync_status": "pending", "retry_count": 0})
    return {"queue_id": queue_id, "sync_status": "pending", "retry_count": 0}


def update_metrics(ctx: ServiceContext, day: dt.date) -> dict[str, Any]:
    """(Re)compute the day's inventory_sync_metrics row from the queue items attempted that day."""
    q = InventorySyncQueue
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    with ctx.transaction(SYNC) as conn:
        serialize(conn, f"sync:metrics:{day}", InventorySyncMetrics.__table__)  # one row per day, even when runs overlap
        rows = conn.execute(select(q.sync_direction, q.sync_status, func.count()).where(
            q.processed_at >= start, q.processed_at < end).group_by(q.sync_direction, q.sync_status)).all()
        total = sum(n for _, _, n in rows)
        ok = sum(n for _, s, n in rows if s == "completed")
        bad = sum(n for _, s, n in rows if s in ("failed", "dead_letter"))
        e = InventorySyncErrors
        unresolved = conn.execute(select(func.count()).select_from(e).where(e.error_status == "open")).scalar() or 0
        rh = InventoryReconciliationHeaders
        recs, rec_value = conn.execute(select(func.count(), func.coalesce(func.sum(rh.total_variance_value), 0))
                                       .where(rh.reconciliation_date == day)).one()
        values = dict(
            metric_date=day, total_sync_transactions=total, reconciliations_completed=recs,
            total_variance_value=Decimal(str(rec_value)).quantize(C2),
            erp_to_wms_transactions=sum(n for d, _, n in rows if d == "ERP_TO_WMS"),
            wms_to_erp_transactions=sum(n for d, _, n in rows if d == "WMS_TO_ERP"),
            successful_syncs=ok, failed_syncs=bad,
            success_rate_pct=(Decimal(ok * 100) / total).quantize(C2) if total else Decimal("100.00"),
            total_errors=bad, unresolved_errors=unresolved, created_at=ctx.now())
        metric_id = f"SYM-{day:%Y%m%d}"
        m = InventorySyncMetrics
        if conn.execute(select(m.metric_id).where(m.metric_id == metric_id)).first():
            conn.execute(update(m).where(m.metric_id == metric_id).values(**values))
        else:
            conn.execute(insert(m).values(metric_id=metric_id, avg_sync_time_seconds=None, max_sync_time_seconds=None,
                                          **values))
    return {"metric_id": metric_id, **values}


# -- reconciliation -----------------------------------------------------------------------------------


def band(erp: Decimal, wms: Decimal) -> tuple[str, Decimal]:
    """(variance_status, exact variance %) of one key."""
    if erp == wms:
        return "matched", D0
    if erp == 0:
        return "major", Decimal("999.99")
    pct = abs(wms - erp) / abs(erp) * 100
    if pct < MATCHED_BELOW:
        return "matched", pct
    return ("minor" if pct <= MINOR_UP_TO else "major"), pct


def _fetch(conn: Connection, stmt) -> list[tuple]:
    """All rows of a grouped query. On SQLite straight from the driver (no per-row result processing;
    numbers are then REALs, turned into Decimals at the column scale by the callers): the reconciliation
    reads 100,000 keys per side."""
    if conn.dialect.name == "sqlite":
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        return conn.exec_driver_sql(sql).fetchall()
    return [tuple(r) for r in conn.execute(stmt)]


def _num(value: Any, fmt: str) -> Decimal:
    """A driver number as a Decimal at a fixed scale (REAL noise on SQLite rounded away; exact elsewhere)."""
    if value is None:
        return Decimal(fmt % 0)
    return Decimal(fmt % value) if isinstance(value, (float, int)) else _dec(value).quantize(Decimal(fmt % 0))


def erp_stock(ctx: ServiceContext) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """ERP stock (unrestricted + quality inspection + blocked) and its value per (material, plant)."""
    ib = InventoryBalances
    total = (func.coalesce(func.sum(ib.unrestricted_stock), 0) + func.coalesce(func.sum(ib.quality_inspection_stock), 0)
             + func.coalesce(func.sum(ib.blocked_stock), 0))
    stmt = (select(ib.material_id, ib.plant_id, total, func.coalesce(func.sum(ib.stock_value), 0))
            .group_by(ib.material_id, ib.plant_id))
    with ctx.read(ERP) as conn:
        rows = _fetch(conn, stmt)
    if conn.dialect.name == "sqlite" and all(isinstance(r[2], (int, float)) and isinstance(r[3], (int, float))
                                             for r in rows):
        return {(m, p): (Decimal("%.4f" % q), Decimal("%.2f" % v)) for m, p, q, v in rows}  # the fast path
    return {(m, p): (_num(q, "%.4f"), _num(v, "%.2f")) for m, p, q, v in rows}


def wms_stock(ctx: ServiceContext) -> dict[tuple[str, str], Decimal]:
    """WMS stock per (material, plant of the warehouse)."""
    wi, w = WarehouseInventory, Warehouses
    stmt = (select(wi.material_id, w.plant_id, func.sum(wi.quantity_on_hand))
            .join(w, w.warehouse_id == wi.warehouse_id).group_by(wi.material_id, w.plant_id))
    with ctx.read(WMS) as conn:
        rows = _fetch(conn, stmt)
    if conn.dialect.name == "sqlite" and all(isinstance(r[2], (int, float)) for r in rows):
        return {(m, p): Decimal("%.4f" % q) for m, p, q in rows}  # the fast path
    return {(m, p): _num(q, "%.4f") for m, p, q in rows}


LINE_COLUMNS = ("line_id", "reconciliation_id", "line_number", "material_id", "location_id", "erp_quantity",
                "erp_value", "wms_quantity", "wms_value", "variance_quantity", "variance_value", "variance_pct",
                "variance_status", "adjustment_posted", "notes", "created_at")


def _insert_lines(conn: Connection, lines: list[tuple], created_at: dt.datetime) -> None:
    """Bulk insert of reconciliation lines (tuples in LINE_COLUMNS order, created_at left out). On SQLite
    straight through the driver, values converted the way SQLAlchemy's SQLite types store them
    (Decimal as REAL, datetime as text, bool as 0/1): three times faster than the generic path for
    100,000 lines. Elsewhere the generic executemany."""
    table = InventoryReconciliationLines.__table__
    if not lines:
        return
    if conn.dialect.name != "sqlite":
        for i in range(0, len(lines), 20000):
            conn.execute(insert(table), [dict(zip(LINE_COLUMNS, (*ln, created_at), strict=True))
                                         for ln in lines[i:i + 20000]])
        return
    stmt = insert(table).values({n: bindparam(n) for n in LINE_COLUMNS}).compile(dialect=conn.dialect)
    assert list(stmt.positiontup) == list(LINE_COLUMNS)
    to_text = table.c.created_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    when = to_text(created_at) if to_text else created_at.isoformat(" ")
    conn.exec_driver_sql(stmt.string, [
        (a, b, c, d, e, float(f), float(g), float(h), float(i), float(j), float(k), float(m), n, int(o), p, when)
        for a, b, c, d, e, f, g, h, i, j, k, m, n, o, p in lines])


def reconcile(ctx: ServiceContext) -> dict[str, Any]:
    """Compare ERP and WMS stock per (material, plant); one header per plant, one line per key."""
    ctx.require_capability("inventory.reconcile", "Reconciling ERP and WMS inventory")
    ctx.require(SYNC, "write", "Reconciling ERP and WMS inventory")
    erp, wms = erp_stock(ctx), wms_stock(ctx)
    now, today = ctx.now(), ctx.today()
    by_plant: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in set(erp) | set(wms):
        by_plant[key[1]].append(key)
    counts = {"matched": 0, "minor": 0, "major": 0}
    headers, lines = [], []
    h = InventoryReconciliationHeaders
    first = ctx.next_key("REC", h.__table__, "reconciliation_id", SYNC) if by_plant else None
    # one key per run: the next plants get suffixes of the same run number (REC-000007-02 ...)
    for n, plant in enumerate(sorted(by_plant, key=str), start=1):
        rid = first if n == 1 else f"{first}-{n:02d}"
        matched = variance = 0
        total_value = D0
        for ln, key in enumerate(sorted(by_plant[plant]), start=1):
            e, ev = erp.get(key, (D0, C0))
            w = wms.get(key, D0)
            if e == w:  # the common case, cheaply
                status, pct, wv = "matched", C0, ev
            else:
                status, pct = band(e, w)
                wv = (w * ev / e).quantize(C2, rounding=ROUND_HALF_UP) if e else C0
                pct = min(pct, CAP).quantize(C2, rounding=ROUND_HALF_UP)
            counts[status] += 1
            if status == "matched":
                matched += 1
            else:
                variance += 1
                total_value += abs(wv - ev)
            lines.append((f"{rid}-{ln:06d}", rid, ln, key[0], plant, e, ev, w, wv, w - e, wv - ev, pct, status, False,
                          "ALERT: major variance" if status == "major" else None))
        headers.append({
            "reconciliation_id": rid, "reconciliation_number": rid, "reconciliation_date": today,
            "fiscal_year": today.year, "fiscal_period": today.month, "location_id": plant,
            "reconciliation_status": "completed", "total_items_compared": matched + variance, "items_matched": matched,
            "items_with_variance": variance, "total_variance_value": total_value, "started_by": ctx.user.user_id[:50],
            "started_at": now, "completed_at": now, "notes": None})
    with ctx.transaction(SYNC) as conn:
        if headers:
            conn.execute(insert(h), headers)
            _insert_lines(conn, lines, now)
        ctx.audit("inventory.reconcile", SYNC, "inventory_reconciliation", first, after=counts)
    update_metrics(ctx, today)
    return {"reconciliation_ids": [x["reconciliation_id"] for x in headers], "compared": sum(counts.values()),
            **counts}


def major_variances(ctx: ServiceContext, reconciliation_ids: list[str]) -> list[dict[str, Any]]:
    """The major-variance lines of the given reconciliations (one run's): plant, material, ERP and WMS
    quantities and the variance %, by plant and material."""
    ln = InventoryReconciliationLines
    found: list[dict[str, Any]] = []
    ids = list(reconciliation_ids)
    with ctx.read(SYNC) as conn:
        for i in range(0, len(ids), 500):
            found.extend({"plant_id": r.location_id, "material_id": r.material_id, "erp_quantity": _dec(r.erp_quantity),
                          "wms_quantity": _dec(r.wms_quantity), "variance_pct": _dec(r.variance_pct)}
                         for r in conn.execute(select(ln.location_id, ln.material_id, ln.erp_quantity, ln.wms_quantity,
                                                      ln.variance_pct)
                                               .where(ln.reconciliation_id.in_(ids[i:i + 500]), ln.variance_status == "major")))
    found.sort(key=lambda v: (str(v["plant_id"]), str(v["material_id"])))
    return found
