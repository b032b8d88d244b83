"""The daemons' health checks: seed 002's "Health Check Dashboard", computed from the data.

`evaluate_health(dbs, now)` returns one `HealthCheck` per row of the seed's table. Every check is one
or two aggregate queries bounded to a window (or a small current-state count), so the console can
poll it. A check whose database cannot be read gives value None, ok False, available False and says
why in `detail`; it never raises. A rate with nothing to measure in its window gives value None and
ok True ("nothing to measure").

How each metric is defined (now = the clock; today = now's date):

financial_sync
  gl_posting_success     % of the documents that should be in the GL and are. Expected: sales
                         orders billed (overall_billing_status invoiced / partially_invoiced / paid)
                         and changed in the last 7 days, at least 10 minutes ago (the posting
                         job's grace); production orders completed (completed, closed, teco, cnf,
                         dlv) with an actual finish date in the last 7 days. Posted: a journal entry
                         of source_type sales_invoice whose source document or reference is the
                         order; for a production order one of source_type production_completion,
                         goods_issue or production_absorption for it. Fails below 95 %.
  inventory_sync_success % of the ERP <-> WMS sync queue items last attempted in the last 24 h
                         (processed_at) that are completed: completed / (completed + failed +
                         dead_letter). Fails below 99 %.
  major_variances        lines classed 'major' (> 2 %) in the newest reconciliation of each location
                         run in the last 7 days. Fails above 5.
supplier_portal
  invoice_match_rate     % of the supplier invoices 3-way matched in the last 7 days (three_way_match_log
                         rows with result matched / within_tolerance / exception) whose every log row
                         is within tolerance. Fails below 90 %.
  document_expiry_alerts supplier documents in force expiring in the next 0..59 days (in the 60-day
                         alert window since at least a day) are the expected alerts; the value is how
                         many of them were alerted (expiry_alert_sent, or a supplier notification that
                         names the document). Fails when some are expected and none was sent.
  rfq_overdue_suppliers  invitations to RFQs (not draft / cancelled) whose response deadline passed in
                         the last 90 days and that have no answer (not responded, submitted, declined,
                         no_response or not_sent). Fails above 10.
qms
  overdue_calibrations   measuring equipment in service whose calibration is overdue (due date before
                         today, or never calibrated). Fails above 3.
  overdue_capas          CAPAs open, in implementation or overdue whose target date has passed. Fails
                         above 5.
  ncr_auto_creation      NCRs raised from MES inspections (source_type mes_inspection) created in the
                         last 24 h, against the failed MES inspections of the last 24 h up to 15
                         minutes ago (three daemon cycles' grace). Fails when some inspections failed
                         and no NCR was created.
  spc_out_of_control     SPC charts in force whose status is 'out_of_control'. Fails above 5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from .databases import Databases
from .errors import GenimsError
from .models.erp import ProductionOrders, SalesOrders
from .models.erp_wms_sync import InventoryReconciliationHeaders, InventoryReconciliationLines, InventorySyncQueue
from .models.financial import JournalEntryHeaders
from .models.manufacturing import QualityInspections
from .models.quality import CapaHeaders, MeasuringEquipment, NcrHeaders, SpcControlCharts
from .models.supplier import RfqHeaders, RfqSuppliers, SupplierDocuments, SupplierNotifications, ThreeWayMatchLog

ERP, FIN, SYNC = "genims_erp_db", "genims_financial_db", "genims_erp_wms_sync_db"
SUP, QMS, MFG = "genims_supplier_db", "genims_quality_db", "genims_manufacturing_db"

BILLED = ("invoiced", "partially_invoiced", "paid")
PRODUCTION_DONE = ("completed", "closed", "teco", "cnf", "dlv")
PRODUCTION_POSTINGS = ("production_completion", "goods_issue", "production_absorption")
MATCH_RESULTS = ("matched", "within_tolerance", "exception")
RFQ_ANSWERED = ("responded", "submitted", "declined", "no_response", "not_sent", "withdrawn")
RFQ_NOT_LIVE = ("draft", "cancelled")
DOCUMENT_GONE = ("expired", "superseded", "revoked", "archived", "inactive")
EQUIPMENT_OUT_OF_SERVICE = ("retired", "scrapped", "out_of_service", "lost")
CAPA_LIVE = ("open", "implementation", "overdue")
FAILED_INSPECTION = ("fail", "failed", "rejected", "reject", "nok")
CHARTS_RETIRED = ("retired", "inactive")
CHUNK = 500


@dataclass
class HealthCheck:
    key: str
    daemon: str
    metric: str
    value: Decimal | int | None
    threshold: Decimal | int
    unit: str
    ok: bool
    detail: str
    rule: str = ""  # when it fails, e.g. "< 95 %"
    available: bool = True  # False: its data could not be read

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values: rates and thresholds as numbers."""
        doc = asdict(self)
        for name in ("value", "threshold"):
            if isinstance(doc[name], Decimal):
                doc[name] = float(doc[name])
        return doc


@dataclass(frozen=True)
class _Spec:
    key: str
    daemon: str
    metric: str
    threshold: Decimal | int
    unit: str
    rule: str
    compute: Callable[[Databases, dt.datetime], HealthCheck]


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _chunks(items: list[str]):
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


# -- the checks ------------------------------------------------------------------------------------------
# Each returns (value, ok, detail); `_run` wraps it into a HealthCheck and catches database errors.


def _gl_posting(dbs: Databases, now: dt.datetime):
    since, today = now - dt.timedelta(days=7), now.date()
    so, po, je = SalesOrders, ProductionOrders, JournalEntryHeaders
    with dbs.connect(ERP) as conn:
        sales = list(conn.execute(select(so.sales_order_id).where(
            so.overall_billing_status.in_(BILLED), so.updated_at >= since,
            so.updated_at <= now - dt.timedelta(minutes=10))).scalars())
        prods = list(conn.execute(select(po.production_order_id).where(
            func.lower(po.system_status).in_(PRODUCTION_DONE), po.actual_finish_date >= today - dt.timedelta(days=7),
            po.actual_finish_date <= today)).scalars())
    posted_sales: set[str] = set()
    posted_prods: set[str] = set()
    with dbs.connect(FIN) as conn:
        for part in _chunks(sales):
            for src, ref in conn.execute(select(je.source_document_id, je.reference).where(
                    je.source_type == "sales_invoice", or_(je.source_document_id.in_(part), je.reference.in_(part)))):
                posted_sales.update(x for x in (src, ref) if x)
        for part in _chunks(prods):
            posted_prods.update(conn.execute(select(je.source_document_id).where(
                je.source_type.in_(PRODUCTION_POSTINGS), je.source_document_id.in_(part))).scalars())
    expected = len(sales) + len(prods)
    posted = len(posted_sales & set(sales)) + len(posted_prods & set(prods))
    if not expected:
        return None, True, "No billed sales order or completed production order in the last 7 days: nothing to measure."
    value = _pct(posted, expected)
    return value, value >= 95, (f"{posted} of {expected} documents of the last 7 days are posted to the GL "
                                f"({len(sales)} billed sales orders, {len(prods)} completed production orders).")


def _inventory_sync(dbs: Databases, now: dt.datetime):
    q = InventorySyncQueue
    with dbs.connect(SYNC) as conn:
        rows = dict(conn.execute(select(q.sync_status, func.count()).where(
            q.processed_at >= now - dt.timedelta(hours=24), q.processed_at <= now,
            q.sync_status.in_(("completed", "failed", "dead_letter"))).group_by(q.sync_status)).all())
    done, failed, dead = rows.get("completed", 0), rows.get("failed", 0), rows.get("dead_letter", 0)
    total = done + failed + dead
    if not total:
        return None, True, "No sync queue item was processed in the last 24 h: nothing to measure."
    value = _pct(done, total)
    return value, value >= 99, (f"{done} of {total} queue items processed in the last 24 h completed "
                                f"({failed} failed and waiting for a retry, {dead} dead letters).")


def _major_variances(dbs: Databases, now: dt.datetime):
    h, ln = InventoryReconciliationHeaders, InventoryReconciliationLines
    since = now.date() - dt.timedelta(days=7)
    with dbs.connect(SYNC) as conn:
        newest = (select(h.location_id, func.max(h.started_at).label("started_at"))
                  .where(h.reconciliation_date >= since).group_by(h.location_id).subquery())
        heads = select(h.reconciliation_id).join(newest, and_(
            or_(h.location_id == newest.c.location_id, and_(h.location_id.is_(None), newest.c.location_id.is_(None))),
            h.started_at == newest.c.started_at)).where(h.reconciliation_date >= since)
        ids = list(conn.execute(heads).scalars())
        major = 0
        for part in _chunks(ids):
            major += conn.execute(select(func.count()).select_from(ln).where(
                ln.reconciliation_id.in_(part), ln.variance_status == "major")).scalar_one()
    if not ids:
        return 0, True, "No reconciliation in the last 7 days: no variance to count."
    return major, major <= 5, f"{major} major variance line(s) in the newest reconciliation of {len(ids)} location(s)."


def _invoice_match(dbs: Databases, now: dt.datetime):
    m = ThreeWayMatchLog
    with dbs.connect(SUP) as conn:
        per_invoice = (select(m.invoice_id, func.min(case((m.within_tolerance.is_(True), 1), else_=0)).label("clean"))
                       .where(m.match_timestamp >= now - dt.timedelta(days=7), m.match_timestamp <= now,
                              m.match_result.in_(MATCH_RESULTS)).group_by(m.invoice_id).subquery())
        total, clean = conn.execute(select(func.count(), func.coalesce(func.sum(per_invoice.c.clean), 0))).one()
    total, clean = int(total), int(clean)
    if not total:
        return None, True, "No invoice was 3-way matched in the last 7 days: nothing to measure."
    value = _pct(clean, total)
    return value, value >= 90, f"{clean} of {total} invoices matched in the last 7 days were within tolerance."


def _document_expiry(dbs: Databases, now: dt.datetime):
    d, n = SupplierDocuments, SupplierNotifications
    today = now.date()
    with dbs.connect(SUP) as conn:
        docs = conn.execute(select(d.document_id, d.expiry_alert_sent).where(
            d.expiry_date >= today, d.expiry_date <= today + dt.timedelta(days=59),
            or_(d.document_status.is_(None), d.document_status.notin_(DOCUMENT_GONE)))).all()
        sent = {doc_id for doc_id, flag in docs if flag}
        rest = [doc_id for doc_id, flag in docs if not flag]
        for part in _chunks(rest):
            sent.update(conn.execute(select(n.reference_id).where(n.reference_id.in_(part))).scalars())
    expected = len(docs)
    value = len(sent)
    if not expected:
        return value, True, "No supplier document expires within 60 days: no alert expected."
    return value, value > 0, f"{value} of {expected} supplier documents expiring within 60 days were alerted."


def _rfq_overdue(dbs: Databases, now: dt.datetime):
    r, s = RfqHeaders, RfqSuppliers
    today = now.date()
    with dbs.connect(SUP) as conn:
        count, rfqs = conn.execute(select(func.count(), func.count(func.distinct(s.rfq_id))).select_from(s)
                                   .join(r, r.rfq_id == s.rfq_id).where(
            r.response_deadline < today, r.response_deadline >= today - dt.timedelta(days=90),
            or_(r.rfq_status.is_(None), r.rfq_status.notin_(RFQ_NOT_LIVE)),
            or_(s.response_status.is_(None), s.response_status.notin_(RFQ_ANSWERED)))).one()
    return int(count), count <= 10, f"{count} supplier invitation(s) on {rfqs} RFQ(s) past their deadline without an answer."


def _calibrations(dbs: Databases, now: dt.datetime):
    e = MeasuringEquipment
    with dbs.connect(QMS) as conn:
        total, overdue = conn.execute(select(func.count(), _count_if(or_(
            e.next_calibration_due.is_(None), e.next_calibration_due < now.date())))
            .where(or_(e.equipment_status.is_(None), e.equipment_status.notin_(EQUIPMENT_OUT_OF_SERVICE)))).one()
    overdue = int(overdue or 0)
    return overdue, overdue <= 3, f"{overdue} of {total} measuring instruments in service are overdue for calibration."


def _capas(dbs: Databases, now: dt.datetime):
    c = CapaHeaders
    with dbs.connect(QMS) as conn:
        overdue = conn.execute(select(func.count()).where(
            c.capa_status.in_(CAPA_LIVE), c.target_completion_date < now.date())).scalar_one()
    return int(overdue), overdue <= 5, f"{overdue} CAPA(s) still open past their target completion date."


def _ncr_auto(dbs: Databases, now: dt.datetime):
    qi, n = QualityInspections, NcrHeaders
    since = now - dt.timedelta(hours=24)
    with dbs.connect(MFG) as conn:
        failed = conn.execute(select(func.count()).where(
            func.lower(qi.inspection_result).in_(FAILED_INSPECTION), qi.inspection_date >= since,
            qi.inspection_date <= now - dt.timedelta(minutes=15))).scalar_one()
    with dbs.connect(QMS) as conn:
        created = conn.execute(select(func.count()).where(
            n.source_type == "mes_inspection", n.created_at >= since, n.created_at <= now)).scalar_one()
    ok = failed == 0 or created > 0
    return int(created), ok, (f"{created} NCR(s) raised from MES inspections in the last 24 h; "
                              f"{failed} inspection(s) failed in that time (up to 15 minutes ago).")


def _spc(dbs: Databases, now: dt.datetime):
    c = SpcControlCharts
    with dbs.connect(QMS) as conn:
        total, ooc = conn.execute(select(func.count(), _count_if(c.chart_status == "out_of_control")).where(
            or_(c.chart_status.is_(None), c.chart_status.notin_(CHARTS_RETIRED)))).one()
    ooc = int(ooc or 0)
    return ooc, ooc <= 5, f"{ooc} of {total} SPC charts in use are out of control."


CHECKS: tuple[_Spec, ...] = (
    _Spec("gl_posting_success", "financial_sync", "GL posting success rate", Decimal(95), "%", "< 95 %", _gl_posting),
    _Spec("inventory_sync_success", "financial_sync", "Inventory sync success rate", Decimal(99), "%", "< 99 %",
          _inventory_sync),
    _Spec("major_variances", "financial_sync", "Variance count (major)", 5, "lines", "> 5", _major_variances),
    _Spec("invoice_match_rate", "supplier_portal", "Invoice match success rate", Decimal(90), "%", "< 90 %",
          _invoice_match),
    _Spec("document_expiry_alerts", "supplier_portal", "Document expiry alerts sent", 0, "documents",
          "0 if expected", _document_expiry),
    _Spec("rfq_overdue_suppliers", "supplier_portal", "RFQ overdue suppliers", 10, "suppliers", "> 10", _rfq_overdue),
    _Spec("overdue_calibrations", "qms", "Equipment overdue calibration", 3, "instruments", "> 3", _calibrations),
    _Spec("overdue_capas", "qms", "CAPA overdue count", 5, "CAPAs", "> 5", _capas),
    _Spec("ncr_auto_creation", "qms", "NCR auto-creation", 0, "NCRs",
          "0 if failures", _ncr_auto),
    _Spec("spc_out_of_control", "qms", "SPC out-of-control charts", 5, "charts", "> 5", _spc),
)


def _run(spec: _Spec, dbs: Databases, now: dt.datetime) -> HealthCheck:
    base = dict(key=spec.key, daemon=spec.daemon, metric=spec.metric, threshold=spec.threshold, unit=spec.unit,
                rule=spec.rule)
    try:
        value, ok, detail = spec.compute(dbs, now)
    except GenimsError as exc:
        return HealthCheck(value=None, ok=False, available=False, detail=f"Could not be computed: {exc}", **base)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
        return HealthCheck(value=None, ok=False, available=False,
                           detail=f"Could not be computed: the database query failed ({reason}).", **base)
    return HealthCheck(value=value, ok=bool(ok), detail=detail, **base)


def evaluate_health(dbs: Databases, now: dt.datetime) -> list[HealthCheck]:
    """Every health check of seed 002's dashboard, in the seed's order (never raises for a database)."""
    return [_run(spec, dbs, now) for spec in CHECKS]
