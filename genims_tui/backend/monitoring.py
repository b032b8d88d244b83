"""The operations console's read side: the daemon log tail, a job's recent runs, and the state of
every cross-database integration (queue depth, oldest pending, retries, dead letters, last success,
latency). Every query is bounded (a LIMIT or an aggregate); never imports textual.

Integrations and where their work waits:
- `erp_mes` ERP -> MES production release: genims_console_db.sync_records `erp_mes_release`;
- `mes_erp` MES -> ERP confirmations: sync_records `mes_erp_confirmation`;
- `erp_wms` ERP <-> WMS stock: genims_erp_wms_sync_db.inventory_sync_queue (pending / failed with
  retries / dead_letter), the only one whose dead letters are requeued from here (`requeue_dead_letter`,
  through `services.inventory_sync.requeue`, which checks the acting user's permission);
- `supplier` invoice 3-way match: supplier_invoices waiting for a match; an `exception` waits for a
  person (variance approval), so it counts as a dead letter;
- `qms` failed MES inspections -> NCRs: failed inspections without an NCR.
A database that is missing or unreachable makes its integration's row say so (`error`) instead of
failing the whole overview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import and_, func, or_, select

from .databases import CONSOLE_DATABASE, Databases
from .errors import DomainError, GenimsError, NotFound
from .models.console import DaemonLog, JobRuns, SyncRecords
from .models.erp_wms_sync import InventorySyncErrors, InventorySyncQueue
from .models.manufacturing import QualityInspections
from .models.quality import NcrHeaders
from .models.supplier import SupplierInvoices, ThreeWayMatchLog

SYNC = "genims_erp_wms_sync_db"
MFG = "genims_manufacturing_db"
QMS = "genims_quality_db"
SUP = "genims_supplier_db"

LOG_LEVELS = ("all", "warning", "error")  # the log pane's level filter, in the order `l` cycles them
_LEVELS_AT_LEAST = {
    "warning": ("WARNING", "ERROR", "CRITICAL"),
    "error": ("ERROR", "CRITICAL"),
}
TAIL_MAX = 1000
RUNS_MAX = 200
DEAD_LETTERS_MAX = 200
LATENCY_SAMPLE = 100  # latency is measured over the most recent completed items
INSPECTION_SCAN_MAX = 2000  # failed inspections scanned for the oldest one without an NCR

# the same vocabulary the services use (kept here as data: importing the services would be heavy)
FAILED_RESULTS = ("fail", "failed", "rejected", "reject", "nok")
PENDING_MATCH = ("pending", "unmatched", "not_matched", "submitted", "")
CLOSED_INVOICE = ("rejected", "cancelled")
ACCEPTED_INVOICE = ("approved", "paid", "scheduled", "posted", "partially_paid")


# -- the daemon log ---------------------------------------------------------------------------------


def _level_filter(min_level: str | None):
    if not min_level or min_level.lower() == "all":
        return None
    key = min_level.lower().rstrip("+")
    if key not in _LEVELS_AT_LEAST:
        raise DomainError(f"Unknown log level {min_level!r}; use one of: {', '.join(LOG_LEVELS)}.")
    return func.upper(DaemonLog.level).in_(_LEVELS_AT_LEAST[key])


def tail_daemon_log(dbs: Databases, after_id: int | None = None, limit: int = 200, job: str | None = None,
                    min_level: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
    """Daemon log lines, oldest first: the newest `limit` lines (after `after_id` when given, so a
    follower reads only what is new), of one job, at least `min_level` ('warning', 'error'; None or
    'all' for every level), whose message contains `text` (case-insensitive)."""
    limit = max(1, min(int(limit), TAIL_MAX))
    d = DaemonLog
    conditions = []
    if after_id:
        conditions.append(d.log_id > after_id)
    if job:
        conditions.append(d.job_name == job)
    level = _level_filter(min_level)
    if level is not None:
        conditions.append(level)
    if text and text.strip():
        conditions.append(d.message.icontains(text.strip(), autoescape=True))
    query = (select(d.log_id, d.logged_at, d.level, d.job_name, d.run_id, d.message).where(*conditions)
             .order_by(d.log_id.desc()).limit(limit))
    with dbs.connect(CONSOLE_DATABASE) as conn:
        rows = conn.execute(query).mappings().all()
    return [dict(r) for r in reversed(rows)]


def last_log_id(dbs: Databases) -> int:
    with dbs.connect(CONSOLE_DATABASE) as conn:
        return int(conn.execute(select(func.max(DaemonLog.log_id))).scalar() or 0)


# -- job runs ---------------------------------------------------------------------------------------


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def recent_runs(dbs: Databases, job: str, limit: int = 50) -> dict[str, Any]:
    """The job's newest `limit` runs (newest first, each with its duration and error) and its run
    counts by outcome over all time."""
    limit = max(1, min(int(limit), RUNS_MAX))
    r = JobRuns
    with dbs.connect(CONSOLE_DATABASE) as conn:
        rows = conn.execute(select(r.run_id, r.started_at, r.finished_at, r.outcome, r.rows_touched, r.counts, r.error,
                                   r.host, r.pid).where(r.job_name == job)
                            .order_by(r.run_id.desc()).limit(limit)).mappings().all()
        counts = {outcome: n for outcome, n in conn.execute(
            select(r.outcome, func.count()).where(r.job_name == job).group_by(r.outcome))}
    runs = [dict(row, duration_seconds=_seconds(row["started_at"], row["finished_at"])) for row in rows]
    return {"job_name": job, "runs": runs, "counts": counts, "total": sum(counts.values())}


# -- integrations -------------------------------------------------------------------------------------


INTEGRATIONS: dict[str, dict[str, str]] = {
    "erp_mes": {"title": "ERP -> MES", "what": "production order releases",
                "source": "genims_erp_db", "target": MFG},
    "mes_erp": {"title": "MES -> ERP", "what": "work order confirmations",
                "source": MFG, "target": "genims_erp_db"},
    "erp_wms": {"title": "ERP <-> WMS", "what": "stock movements (sync queue)",
                "source": "genims_erp_db", "target": "genims_wms_db"},
    "supplier": {"title": "Supplier", "what": "invoices to 3-way match",
                 "source": SUP, "target": "genims_financial_db"},
    "qms": {"title": "QMS", "what": "failed inspections, no NCR",
            "source": MFG, "target": QMS},
}
SYNC_RECORD_INTEGRATION = {"erp_mes": "erp_mes_release", "mes_erp": "mes_erp_confirmation"}
REQUEUEABLE = ("erp_wms",)
NOT_REQUEUEABLE_HINT = {
    "erp_mes": "Release the production order again (its sync record resumes at the failed step).",
    "mes_erp": "Confirm the work order again (its sync record resumes at the failed step).",
    "supplier": "An invoice exception needs a variance approval or a rejection in the Buyer workspace.",
    "qms": "This integration has no dead letters: the next cycle retries every failed inspection.",
}


def _latency(pairs: Iterable[tuple[dt.datetime | None, dt.datetime | None]]) -> tuple[float | None, float | None]:
    values = [s for s in (_seconds(a, b) for a, b in pairs) if s is not None and s >= 0]
    if not values:
        return None, None
    return round(sum(values) / len(values), 1), round(max(values), 1)


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return None


def _row(key: str, now: dt.datetime, depth: int, oldest: Any, retries: int | None, dead: int | None,
         last_success: Any, latency: tuple[float | None, float | None]) -> dict[str, Any]:
    oldest = _as_datetime(oldest)
    return {
        "integration": key, **INTEGRATIONS[key],
        "queue_depth": int(depth or 0),
        "oldest_pending_at": oldest,
        "oldest_pending_age_seconds": max(0.0, (now - oldest).total_seconds()) if oldest else None,
        "retries": retries, "dead_letters": dead,
        "last_success_at": _as_datetime(last_success),
        "latency_avg_seconds": latency[0], "latency_max_seconds": latency[1],
        "requeueable": key in REQUEUEABLE, "error": None,
    }


def _sync_records_row(dbs: Databases, key: str, now: dt.datetime) -> dict[str, Any]:
    s = SyncRecords
    mine = s.integration == SYNC_RECORD_INTEGRATION[key]
    open_ = and_(mine, s.status.not_in(("done", "dead_letter")))
    with dbs.connect(CONSOLE_DATABASE) as conn:
        depth, oldest, retries = conn.execute(
            select(func.count(), func.min(s.created_at), func.coalesce(func.sum(s.attempts), 0)).where(open_)).one()
        dead = conn.execute(select(func.count()).where(mine, s.status == "dead_letter")).scalar()
        last = conn.execute(select(func.max(s.updated_at)).where(mine, s.status == "done")).scalar()
        recent = conn.execute(select(s.created_at, s.updated_at).where(mine, s.status == "done")
                              .order_by(s.updated_at.desc()).limit(LATENCY_SAMPLE)).all()
    return _row(key, now, depth, oldest, int(retries or 0), int(dead or 0), last, _latency(recent))


def _erp_wms_row(dbs: Databases, now: dt.datetime) -> dict[str, Any]:
    q = InventorySyncQueue
    waiting = q.sync_status.in_(("pending", "failed"))
    with dbs.connect(SYNC) as conn:
        depth, oldest, retries = conn.execute(
            select(func.count(), func.min(q.created_at), func.coalesce(func.sum(q.retry_count), 0))
            .where(waiting)).one()
        dead = conn.execute(select(func.count()).where(q.sync_status == "dead_letter")).scalar()
        last = conn.execute(select(func.max(q.processed_at)).where(q.sync_status == "completed")).scalar()
        recent = conn.execute(select(q.created_at, q.processed_at).where(q.sync_status == "completed",
                                                                         q.processed_at.is_not(None))
                              .order_by(q.processed_at.desc()).limit(LATENCY_SAMPLE)).all()
    return _row("erp_wms", now, depth, oldest, int(retries or 0), int(dead or 0), last, _latency(recent))


def _invoice_open():
    si = SupplierInvoices
    return or_(si.invoice_status.is_(None), si.invoice_status.not_in(CLOSED_INVOICE))


def _supplier_row(dbs: Databases, now: dt.datetime) -> dict[str, Any]:
    si, log = SupplierInvoices, ThreeWayMatchLog
    pending = and_(or_(si.matching_status.is_(None), si.matching_status.in_(PENDING_MATCH)), _invoice_open())
    exception = and_(si.matching_status == "exception", _invoice_open(),
                     or_(si.invoice_status.is_(None), si.invoice_status.not_in(ACCEPTED_INVOICE)))
    with dbs.connect(SUP) as conn:
        depth, oldest_created, oldest_dated = conn.execute(
            select(func.count(), func.min(si.created_at), func.min(si.invoice_date)).where(pending)).one()
        dead = conn.execute(select(func.count()).where(exception)).scalar()
        last = conn.execute(select(func.max(log.match_timestamp))).scalar()
        newest = (select(log.invoice_id, func.max(log.match_timestamp).label("matched_at"))
                  .group_by(log.invoice_id).order_by(func.max(log.match_timestamp).desc())
                  .limit(LATENCY_SAMPLE).subquery())
        recent = conn.execute(select(si.created_at, newest.c.matched_at)
                              .join(newest, newest.c.invoice_id == si.invoice_id)).all()
    oldest = oldest_created or oldest_dated
    return _row("supplier", now, depth, oldest, None, int(dead or 0), last, _latency(recent))


def _failed_inspections():
    qi = QualityInspections
    return func.lower(qi.inspection_result).in_(FAILED_RESULTS)


def _linked_inspections(dbs: Databases, inspection_ids: list[str]) -> set[str]:
    if not inspection_ids:
        return set()
    n = NcrHeaders
    with dbs.connect(QMS) as conn:
        return set(conn.execute(select(n.source_document_id).where(
            n.source_type == "mes_inspection", n.source_document_id.in_(inspection_ids))).scalars())


def _qms_row(dbs: Databases, now: dt.datetime) -> dict[str, Any]:
    qi, n = QualityInspections, NcrHeaders
    # The two sides live in different databases: count both, then find the oldest failed inspection
    # without an NCR by scanning the failed ones oldest first, a page at a time (bounded).
    with dbs.connect(MFG) as conn:
        failed = conn.execute(select(func.count()).where(_failed_inspections())).scalar() or 0
    with dbs.connect(QMS) as conn:
        linked = conn.execute(select(func.count(func.distinct(n.source_document_id)))
                              .where(n.source_type == "mes_inspection")).scalar() or 0
        last = conn.execute(select(func.max(n.created_at)).where(n.source_type == "mes_inspection")).scalar()
        recent_ncrs = conn.execute(select(n.source_document_id, n.created_at).where(n.source_type == "mes_inspection")
                                   .order_by(n.created_at.desc()).limit(LATENCY_SAMPLE)).all()
    oldest = None
    page, scanned = 200, 0
    with dbs.connect(MFG) as conn:
        while scanned < INSPECTION_SCAN_MAX and failed > linked:
            rows = conn.execute(select(qi.inspection_id, qi.inspection_date).where(_failed_inspections())
                                .order_by(qi.inspection_date, qi.inspection_id).offset(scanned).limit(page)).all()
            if not rows:
                break
            done = _linked_inspections(dbs, [r.inspection_id for r in rows])
            unlinked = [r for r in rows if r.inspection_id not in done]
            if unlinked:
                oldest = unlinked[0].inspection_date
                break
            scanned += len(rows)
        dates = dict(conn.execute(select(qi.inspection_id, qi.inspection_date).where(
            qi.inspection_id.in_([r.source_document_id for r in recent_ncrs if r.source_document_id]))).all()
        ) if recent_ncrs else {}
    latency = _latency((dates.get(r.source_document_id), r.created_at) for r in recent_ncrs)
    return _row("qms", now, max(0, failed - linked), oldest, None, None, last, latency)


def _unavailable(key: str, exc: GenimsError) -> dict[str, Any]:
    row = _row(key, dt.datetime.min, 0, None, None, None, None, (None, None))
    row.update(queue_depth=None, error=exc.message)
    return row


_READERS: dict[str, Callable[[Databases, dt.datetime], dict[str, Any]]] = {
    "erp_mes": lambda dbs, now: _sync_records_row(dbs, "erp_mes", now),
    "mes_erp": lambda dbs, now: _sync_records_row(dbs, "mes_erp", now),
    "erp_wms": _erp_wms_row,
    "supplier": _supplier_row,
    "qms": _qms_row,
}


def sync_overview(dbs: Databases, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per integration (see the module notes), in a fixed order. Ages are relative to `now`;
    latencies are seconds from an item's creation to its completion over the recent completed items."""
    rows = []
    for key, read in _READERS.items():
        try:
            rows.append(read(dbs, now))
        except GenimsError as exc:  # one missing database must not hide the other integrations
            rows.append(_unavailable(key, exc))
    return rows


def _integration(key: str) -> str:
    if key not in INTEGRATIONS:
        raise NotFound(f"There is no integration called {key!r}.", f"Integrations: {', '.join(INTEGRATIONS)}.")
    return key


def dead_letters(dbs: Databases, integration: str, limit: int = 100) -> list[dict[str, Any]]:
    """The integration's dead letters, oldest first (bounded): key, reference, what, attempts, when,
    error. The key is what `dead_letter_detail` and `requeue_dead_letter` take."""
    key = _integration(integration)
    limit = max(1, min(int(limit), DEAD_LETTERS_MAX))
    if key in SYNC_RECORD_INTEGRATION:
        s = SyncRecords
        with dbs.connect(CONSOLE_DATABASE) as conn:
            rows = conn.execute(select(s.sync_id, s.source_ref, s.target_ref, s.attempts, s.updated_at, s.last_error)
                                .where(s.integration == SYNC_RECORD_INTEGRATION[key], s.status == "dead_letter")
                                .order_by(s.updated_at, s.sync_id).limit(limit)).all()
        return [{"key": str(r.sync_id), "reference": r.source_ref, "what": f"-> {r.target_ref or '?'}",
                 "attempts": r.attempts, "at": r.updated_at, "error": r.last_error} for r in rows]
    if key == "erp_wms":
        q = InventorySyncQueue
        with dbs.connect(SYNC) as conn:
            rows = conn.execute(select(q.queue_id, q.transaction_id, q.sync_direction, q.material_id, q.quantity,
                                       q.retry_count, q.processed_at, q.error_message)
                                .where(q.sync_status == "dead_letter")
                                .order_by(q.created_at, q.queue_id).limit(limit)).all()
        return [{"key": r.queue_id, "reference": r.transaction_id,
                 "what": f"{r.sync_direction or '?'} {r.material_id or '?'} x {_plain(r.quantity)}",
                 "attempts": r.retry_count, "at": r.processed_at, "error": r.error_message} for r in rows]
    if key == "supplier":
        si = SupplierInvoices
        with dbs.connect(SUP) as conn:
            rows = conn.execute(select(si.invoice_id, si.supplier_invoice_number, si.supplier_id, si.total_amount,
                                       si.updated_at, si.invoice_date, si.variance_reason)
                                .where(si.matching_status == "exception", _invoice_open(),
                                       or_(si.invoice_status.is_(None), si.invoice_status.not_in(ACCEPTED_INVOICE)))
                                .order_by(si.invoice_date, si.invoice_id).limit(limit)).all()
        return [{"key": r.invoice_id, "reference": r.supplier_invoice_number or r.invoice_id,
                 "what": f"{r.supplier_id or '?'} {_plain(r.total_amount)}", "attempts": None,
                 "at": r.updated_at or _as_datetime(r.invoice_date),
                 "error": r.variance_reason or "3-way match exception"} for r in rows]
    return []


def _plain(value: Any) -> str:
    if value is None:
        return "?"
    text = format(value, "f") if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text


def dead_letter_detail(dbs: Databases, integration: str, key: str) -> dict[str, Any]:
    """One dead letter with its whole error, and (ERP <-> WMS) its error records, newest first."""
    integration = _integration(integration)
    found = None
    if integration in SYNC_RECORD_INTEGRATION:
        s = SyncRecords
        r = None
        if str(key).isdigit():
            with dbs.connect(CONSOLE_DATABASE) as conn:
                r = conn.execute(select(s).where(s.integration == SYNC_RECORD_INTEGRATION[integration],
                                                 s.sync_id == int(key))).first()
        if r is not None:
            found = {"key": key, "status": r.status, "reference": r.source_ref, "attempts": r.attempts,
                     "at": r.updated_at, "error": r.last_error, "history": []}
    elif integration == "erp_wms":
        q, e = InventorySyncQueue, InventorySyncErrors
        with dbs.connect(SYNC) as conn:
            r = conn.execute(select(q).where(q.queue_id == key)).first()
            history = conn.execute(select(e.error_id, e.error_timestamp, e.error_type, e.error_message, e.error_status)
                                   .where(e.queue_id == key).order_by(e.error_timestamp.desc()).limit(20)
                                   ).mappings().all()
        if r is not None:
            found = {"key": key, "status": r.sync_status, "reference": r.transaction_id, "attempts": r.retry_count,
                     "at": r.processed_at, "error": r.error_message, "direction": r.sync_direction,
                     "material_id": r.material_id, "quantity": r.quantity, "from_location": r.from_location,
                     "to_location": r.to_location, "history": [dict(h) for h in history]}
    else:
        for row in dead_letters(dbs, integration, DEAD_LETTERS_MAX):
            if row["key"] == key:
                found = dict(row, status="dead_letter", history=[])
    if found is None:
        raise NotFound(f"{INTEGRATIONS[integration]['title']}: there is no dead letter {key}.")
    found["integration"] = integration
    found["requeueable"] = integration in REQUEUEABLE
    found["hint"] = NOT_REQUEUEABLE_HINT.get(integration)
    return found


def requeue_dead_letter(ctx, integration: str, key: str) -> dict[str, Any]:
    """Put one dead letter back on its queue, as `ctx.user` (the service checks the permission)."""
    integration = _integration(integration)
    if integration not in REQUEUEABLE:
        raise DomainError(f"{INTEGRATIONS[integration]['title']} dead letters are not requeued from here.",
                          NOT_REQUEUEABLE_HINT.get(integration))
    from .services.inventory_sync import requeue

    return requeue(ctx, key)
