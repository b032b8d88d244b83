"""Monthly supplier performance and scorecards (the supplier portal daemon's 1st-of-month rule).

For each supplier with activity in the month (metric_period 'YYYY-MM'):

- delivery: on-time share of the month's goods receipts (received on or before the PO line's
  delivery date), POs issued, POs whose receipts were all on time, average lead time;
- quality: quantity received and rejected (receipts with a rejecting quality status, plus the
  defective quantity of the supplier's NCRs detected in the month that are not about one of those
  receipts), defect PPM; quality score = 100 - PPM / 200 (floor 0);
- responsiveness: RFQ invitations of the month answered (rfq_suppliers);
- commercial: invoice accuracy, the share of the month's supplier invoices without a matching
  exception.

The overall score weighs delivery 35 %, quality 35 %, responsiveness 15 %, commercial 15 % over
the dimensions that have data. Ratings: Excellent >= 90, Good >= 75, Acceptable >= 60, else Poor.
Results go to supplier_performance_metrics and supplier_scorecards, one row per supplier and
month (a rerun updates them), and a supplier_rating_history row when the rating changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import insert, select, update

from ..errors import DomainError
from ..models.erp import GoodsReceipts, PurchaseOrderLines, PurchaseOrders
from ..models.quality import NcrHeaders
from ..models.supplier import RfqSuppliers, SupplierInvoices, SupplierPerformanceMetrics, SupplierRatingHistory, SupplierScorecards
from ._quality_common import ERP, QMS, SUP
from .base import ServiceContext

WEIGHTS = {"delivery": Decimal("0.35"), "quality": Decimal("0.35"), "responsiveness": Decimal("0.15"), "commercial": Decimal("0.15")}
REJECTED = ("rejected", "blocked", "failed", "quarantine")
EXCEPTIONS = ("exception", "disputed")
RESPONDED = ("responded", "submitted", "quoted", "awarded")


def rating_for(score: Decimal) -> str:
    if score >= 90:
        return "Excellent"
    if score >= 75:
        return "Good"
    if score >= 60:
        return "Acceptable"
    return "Poor"


def _pct(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First day of the month and first day of the next."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(period).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise DomainError(f"The period must look like 2026-10; {period!r} does not.")
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y, mo, 1), dt.date(y + (mo == 12), mo % 12 + 1, 1)


def previous_period(period: str) -> str:
    start, _ = period_bounds(period)
    prev = start - dt.timedelta(days=1)
    return f"{prev.year}-{prev.month:02d}"


def _as_date(v) -> dt.date | None:
    if v is None:
        return None
    return v.date() if isinstance(v, dt.datetime) else v


def score_supplier(pos, receipts, lines, ncrs, invites, invoices, po_dates) -> dict[str, Any] | None:
    """The metrics of one supplier and month from its rows (pure)."""
    if not (pos or receipts or ncrs or invites or invoices):
        return None
    ontime = [r for r in receipts if (lines.get(r["po_line_id"]) is None or _as_date(r["gr_date"]) <= lines[r["po_line_id"]])]
    by_po: dict[str, list[bool]] = defaultdict(list)
    for r in receipts:
        by_po[r["purchase_order_id"]].append(r in ontime)
    leads = [(_as_date(r["gr_date"]) - po_dates[r["purchase_order_id"]]).days for r in receipts if po_dates.get(r["purchase_order_id"])]
    qty = sum((Decimal(r["quantity_received"] or 0) for r in receipts), Decimal(0))
    rejected_ids = {r["goods_receipt_id"] for r in receipts if (r["quality_status"] or "").lower() in REJECTED}
    rejected = sum((Decimal(r["quantity_received"] or 0) for r in receipts if r["goods_receipt_id"] in rejected_ids), Decimal(0))
    rejected += sum((Decimal(n["quantity_defective"] or 0) for n in ncrs if n["source_document_id"] not in rejected_ids), Decimal(0))
    rejected = min(rejected, qty)
    ppm = int(rejected / qty * 1_000_000) if qty else 0
    responded = [i for i in invites if (i["response_status"] or "").lower() in RESPONDED or i["responded_date"]]
    hours = [(i["responded_date"] - i["invited_date"]).total_seconds() / 3600 for i in responded
             if i["responded_date"] and i["invited_date"]]
    exceptions = [i for i in invoices if (i["matching_status"] or "").lower() in EXCEPTIONS]
    scores = {
        "delivery": _pct(len(ontime), len(receipts)),
        "quality": _q2(max(Decimal(0), Decimal(100) - Decimal(ppm) / 200)) if qty else None,
        "responsiveness": _pct(len(responded), len(invites)),
        "commercial": _pct(len(invoices) - len(exceptions), len(invoices)),
    }
    weight = sum((WEIGHTS[k] for k, v in scores.items() if v is not None), Decimal(0))
    if not weight:
        return None
    overall = _q2(sum((WEIGHTS[k] * v for k, v in scores.items() if v is not None), Decimal(0)) / weight)
    return dict(
        total_pos_issued=len(pos), pos_delivered_ontime=sum(1 for v in by_po.values() if all(v)),
        ontime_delivery_pct=scores["delivery"],
        average_lead_time_days=(Decimal(sum(leads)) / len(leads)).quantize(Decimal("0.1")) if leads else None,
        total_quantity_received=qty, quantity_accepted=qty - rejected, quantity_rejected=rejected, defect_ppm=ppm,
        quality_acceptance_pct=_pct(qty - rejected, qty), rfqs_sent=len(invites), rfqs_responded=len(responded),
        response_rate_pct=scores["responsiveness"],
        avg_response_time_hours=_q2(Decimal(repr(sum(hours) / len(hours)))) if hours else None,
        total_spend=_q2(sum((Decimal(p["total_value"] or 0) for p in pos), Decimal(0))),
        invoice_accuracy_pct=scores["commercial"], payment_disputes=len(exceptions),
        overall_score=overall, performance_rating=rating_for(overall), scores=scores,
    )


def calculate_supplier_performance(ctx: ServiceContext, period: str | None = None,
                                   supplier_ids: list[str] | None = None, skip_existing: bool = False) -> dict[str, Any]:
    """Compute and store one month's supplier performance and scorecards (default: last month).
    With `skip_existing`, suppliers that already have the period's metrics are left untouched (the
    daemon's once-per-supplier-and-period run); otherwise they are recomputed."""
    ctx.require(SUP, "write", "Calculating supplier performance")
    ctx.require(ERP, "read", "Calculating supplier performance")
    ctx.require(QMS, "read", "Calculating supplier performance")
    today = ctx.today()
    if period is None:
        period = previous_period(f"{today.year}-{today.month:02d}")
    start, end = period_bounds(period)
    if start > today:
        raise DomainError(f"The period {period} has not started yet.")
    only = set(supplier_ids) if supplier_ids else None

    def wanted(s):
        return s is not None and (only is None or s in only)

    with ctx.read(ERP) as conn:
        pos = [dict(r._mapping) for r in conn.execute(select(
            PurchaseOrders.purchase_order_id, PurchaseOrders.supplier_id, PurchaseOrders.po_date, PurchaseOrders.total_value)
            .where(PurchaseOrders.po_date >= start, PurchaseOrders.po_date < end,
                   (PurchaseOrders.po_status.is_(None)) | (PurchaseOrders.po_status != "cancelled")))]
        receipts = [dict(r._mapping) for r in conn.execute(select(
            GoodsReceipts.goods_receipt_id, GoodsReceipts.supplier_id, GoodsReceipts.purchase_order_id, GoodsReceipts.po_line_id,
            GoodsReceipts.gr_date, GoodsReceipts.quantity_received, GoodsReceipts.quality_status)
            .where(GoodsReceipts.gr_date >= start, GoodsReceipts.gr_date < end, GoodsReceipts.cancelled.isnot(True)))]
        line_ids = {r["po_line_id"] for r in receipts if r["po_line_id"]}
        po_ids = {r["purchase_order_id"] for r in receipts if r["purchase_order_id"]}
        lines, po_dates = {}, {}
        for chunk in _chunks(sorted(line_ids)):
            lines.update({i: _as_date(d) for i, d in conn.execute(select(PurchaseOrderLines.po_line_id, PurchaseOrderLines.delivery_date)
                                                                   .where(PurchaseOrderLines.po_line_id.in_(chunk))) if d})
        for chunk in _chunks(sorted(po_ids)):
            po_dates.update({i: _as_date(d) for i, d in conn.execute(select(PurchaseOrders.purchase_order_id, PurchaseOrders.po_date)
                                                                      .where(PurchaseOrders.purchase_order_id.in_(chunk))) if d})
    with ctx.read(QMS) as conn:
        ncrs = [dict(r._mapping) for r in conn.execute(select(
            NcrHeaders.ncr_id, NcrHeaders.supplier_id, NcrHeaders.quantity_defective, NcrHeaders.source_document_id)
            .where(NcrHeaders.supplier_id.isnot(None), NcrHeaders.detected_date >= start, NcrHeaders.detected_date < end,
                   (NcrHeaders.ncr_status.is_(None)) | (NcrHeaders.ncr_status != "cancelled")))]
    start_ts, end_ts = dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time())
    with ctx.read(SUP) as conn:
        invites = [dict(r._mapping) for r in conn.execute(select(
            RfqSuppliers.supplier_id, RfqSuppliers.invited_date, RfqSuppliers.responded_date, RfqSuppliers.response_status)
            .where(RfqSuppliers.invited_date >= start_ts, RfqSuppliers.invited_date < end_ts))]
        invoices = [dict(r._mapping) for r in conn.execute(select(
            SupplierInvoices.supplier_id, SupplierInvoices.matching_status)
            .where(SupplierInvoices.invoice_date >= start, SupplierInvoices.invoice_date < end))]
        prev = previous_period(period)
        prev_scores = {s: (sc, rt) for s, sc, rt in conn.execute(select(
            SupplierPerformanceMetrics.supplier_id, SupplierPerformanceMetrics.overall_score, SupplierPerformanceMetrics.performance_rating)
            .where(SupplierPerformanceMetrics.metric_period == prev))}
        existing_metrics = {s: m for s, m in conn.execute(select(SupplierPerformanceMetrics.supplier_id, SupplierPerformanceMetrics.metric_id)
                                                           .where(SupplierPerformanceMetrics.metric_period == period))}
        existing_cards = {s: c for s, c in conn.execute(select(SupplierScorecards.supplier_id, SupplierScorecards.scorecard_id)
                                                         .where(SupplierScorecards.scorecard_period == period,
                                                                SupplierScorecards.scorecard_type == "monthly"))}
        history_done = {s for (s,) in conn.execute(select(SupplierRatingHistory.supplier_id).where(
            SupplierRatingHistory.change_reason.like(f"Monthly scorecard {period}:%")))}

    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for name, rows in (("pos", pos), ("receipts", receipts), ("ncrs", ncrs), ("invites", invites), ("invoices", invoices)):
        for r in rows:
            if wanted(r["supplier_id"]) and not (skip_existing and r["supplier_id"] in existing_metrics):
                groups[r["supplier_id"]][name].append(r)
    results = {}
    for sid in sorted(groups):
        g = groups[sid]
        m = score_supplier(g["pos"], g["receipts"], lines, g["ncrs"], g["invites"], g["invoices"], po_dates)
        if m:
            results[sid] = m
    now = ctx.now()
    new_metric_ids = {s: ctx.next_key("SPM", SupplierPerformanceMetrics.__table__, "metric_id", SUP)
                      for s in results if s not in existing_metrics}
    new_card_ids = {s: ctx.next_key("SSC", SupplierScorecards.__table__, "scorecard_id", SUP)
                    for s in results if s not in existing_cards}
    summary = []
    with ctx.transaction(SUP) as conn:
        for sid, m in results.items():
            scores = m.pop("scores")
            prev_score, prev_rating = prev_scores.get(sid, (None, None))
            change = _q2(m["overall_score"] - prev_score) if prev_score is not None else None
            metric = dict(m, previous_period_score=prev_score, score_change=change,
                          trend=None if change is None else ("improving" if change > 0 else "declining" if change < 0 else "stable"))
            rating = m["performance_rating"]
            card = dict(delivery_score=scores["delivery"], quality_score=scores["quality"], responsiveness_score=scores["responsiveness"],
                        commercial_score=scores["commercial"], overall_score=m["overall_score"], supplier_rating=rating,
                        action_required=rating == "Poor",
                        action_plan="Supplier improvement plan requested" if rating == "Poor" else None,
                        improvement_plan_due_date=end + dt.timedelta(days=29) if rating == "Poor" else None)
            if sid in existing_metrics:
                conn.execute(update(SupplierPerformanceMetrics.__table__)
                             .where(SupplierPerformanceMetrics.metric_id == existing_metrics[sid]).values(**metric))
            else:
                conn.execute(insert(SupplierPerformanceMetrics.__table__).values(
                    metric_id=new_metric_ids[sid], supplier_id=sid, metric_period=period, created_at=now, **metric))
            if sid in existing_cards:
                conn.execute(update(SupplierScorecards.__table__)
                             .where(SupplierScorecards.scorecard_id == existing_cards[sid]).values(**card))
            else:
                conn.execute(insert(SupplierScorecards.__table__).values(
                    scorecard_id=new_card_ids[sid], supplier_id=sid, scorecard_period=period, scorecard_type="monthly",
                    published_to_supplier=False, created_at=now, **card))
            if prev_rating and prev_rating != rating and sid not in history_done:
                conn.execute(insert(SupplierRatingHistory.__table__).values(
                    history_id=ctx.next_key("SRH", SupplierRatingHistory.__table__, "history_id", SUP), supplier_id=sid,
                    rating_date=end - dt.timedelta(days=1), previous_rating=prev_rating, new_rating=rating,
                    change_reason=f"Monthly scorecard {period}: score {m['overall_score']}", changed_by=ctx.user.user_id,
                    created_at=now))
            ctx.audit("supplier.performance", SUP, "supplier", sid,
                      before={"period": period, "overall_score": None} if sid not in existing_metrics else {"period": period, "updated": True},
                      after={"period": period, "overall_score": m["overall_score"], "rating": rating})
            summary.append({"supplier_id": sid, "overall_score": m["overall_score"], "rating": rating,
                            "ontime_delivery_pct": m["ontime_delivery_pct"], "defect_ppm": m["defect_ppm"],
                            "response_rate_pct": m["response_rate_pct"], "invoice_accuracy_pct": m["invoice_accuracy_pct"]})
    return {"period": period, "suppliers": summary,
            "created": len(new_metric_ids), "updated": len(results) - len(new_metric_ids)}


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


__all__ = ["calculate_supplier_performance", "score_supplier", "rating_for", "period_bounds"]
