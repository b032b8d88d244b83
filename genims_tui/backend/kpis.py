"""Seed 000's ERP metrics, computed from genims_erp_db: procurement, inventory, production and sales.

`compute_kpis(dbs, now, window_days=90)` returns one `Kpi` per metric: its value over the last
`window_days` (or a stock figure as of now), the unit, the formula in words and, where a month-by-month
history makes sense, a trend of the last six calendar months. Each metric is one aggregate query
(grouped by month at most, so never more than a handful of rows) and stands alone: a metric whose data
is missing or whose database cannot be read has `value None` and says why, the others still show.

Never imports textual.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Date, and_, case, cast, extract, func, literal, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from .databases import Databases
from .errors import GenimsError

log = logging.getLogger(__name__)

ERP = "genims_erp_db"
TREND_MONTHS = 6
ZERO = Decimal(0)


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    area: str  # procurement, inventory, production, sales
    value: Decimal | None
    unit: str  # "%", "days", "USD", "turns/yr"
    definition: str  # the formula in words
    trend: list[tuple[str, Decimal]] | None = None  # (YYYY-MM, value), oldest first
    reason: str | None = None  # why value is None
    better: str = "higher"  # which way is good: "higher" or "lower"

    def display(self) -> str:
        if self.value is None:
            return "n/a"
        if self.unit == "USD":
            return f"{self.value:,.2f} USD"
        if self.unit == "%":
            return f"{self.value:.1f} %"
        return f"{self.value:,.1f} {self.unit}"


@dataclass(frozen=True)
class _Window:
    now: dt.datetime
    window_days: int

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def window_start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.window_days)

    @property
    def trend_start(self) -> dt.date:
        year, month = self.today.year, self.today.month - (TREND_MONTHS - 1)
        while month < 1:
            year, month = year - 1, month + 12
        return dt.date(year, month, 1)

    @property
    def since(self) -> dt.date:
        return min(self.window_start, self.trend_start)

    def months(self) -> list[str]:
        start = self.trend_start
        out = []
        year, month = start.year, start.month
        for _ in range(TREND_MONTHS):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _dec(value) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _days_between(dialect: str, start, end) -> ColumnElement:
    """Days from `start` to `end` (dates or timestamps) as a number, portably."""
    if dialect == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return extract("epoch", cast(end, _timestamp()) - cast(start, _timestamp())) / 86400


def _timestamp():
    from sqlalchemy import DateTime

    return DateTime()


def _monthly_ratio(conn, w: _Window, day, numerator, denominator, source, where=(), scale: Decimal = Decimal(1)):
    """(value over the window, monthly trend) of sum(numerator) / sum(denominator) for rows dated `day`.

    One query grouped by calendar month since the earlier of the window start and the trend start;
    a conditional sum gives the window's own totals from the same rows."""
    is_timestamp = not isinstance(day.type, Date)
    lower = dt.datetime.combine(w.since, dt.time()) if is_timestamp else w.since
    upper = w.now if is_timestamp else w.today
    window_lower = dt.datetime.combine(w.window_start, dt.time()) if is_timestamp else w.window_start
    in_window = day >= window_lower
    year, month = extract("year", day).label("y"), extract("month", day).label("m")
    stmt = (select(year, month, func.sum(numerator), func.sum(denominator),
                   func.sum(case((in_window, numerator), else_=literal(0))),
                   func.sum(case((in_window, denominator), else_=literal(0))))
            .select_from(source).where(day >= lower, day <= upper, *where).group_by(year, month))
    rows = conn.execute(stmt).all()
    by_month = {}
    window_num = window_den = ZERO
    for y, m, num, den, wnum, wden in rows:
        if y is None:
            continue
        label = f"{int(y):04d}-{int(m):02d}"
        if _dec(den):
            by_month[label] = _round(_dec(num) / _dec(den) * scale)
        window_num += _dec(wnum)
        window_den += _dec(wden)
    value = _round(window_num / window_den * scale) if window_den else None
    trend = [(label, by_month[label]) for label in w.months() if label in by_month]
    return value, trend


# -- the metrics --------------------------------------------------------------------------------------

def _tables():
    from .models import BASES

    return BASES[ERP].metadata.tables


HUNDRED = Decimal(100)


def _on_time_delivery(conn, w: _Window):
    t = _tables()
    gr, pol = t["goods_receipts"], t["purchase_order_lines"]
    on_time = case((gr.c.gr_date <= pol.c.delivery_date, 1), else_=0)
    value, trend = _monthly_ratio(conn, w, gr.c.gr_date, on_time, literal(1),
                                  gr.join(pol, gr.c.po_line_id == pol.c.po_line_id),
                                  [or_(gr.c.cancelled.is_(None), not_(gr.c.cancelled))], HUNDRED)
    return value, trend, "no goods receipts against PO lines in the window"


def _supplier_quality(conn, w: _Window):
    gr = _tables()["goods_receipts"]
    defective = case((gr.c.quality_status.in_(("rejected", "blocked", "failed", "returned")), gr.c.quantity_received),
                     else_=0)
    value, trend = _monthly_ratio(conn, w, gr.c.gr_date, defective, gr.c.quantity_received, gr,
                                  [or_(gr.c.cancelled.is_(None), not_(gr.c.cancelled))], HUNDRED)
    return value, trend, "no goods received in the window"


def _purchase_price_variance(conn, w: _Window):
    t = _tables()
    gr, mat = t["goods_receipts"], t["materials"]
    actual = gr.c.unit_price * gr.c.quantity_received
    standard = mat.c.standard_cost * gr.c.quantity_received
    value, trend = _monthly_ratio(conn, w, gr.c.gr_date, actual - standard, standard,
                                  gr.join(mat, gr.c.material_id == mat.c.material_id),
                                  [or_(gr.c.cancelled.is_(None), not_(gr.c.cancelled)), mat.c.standard_cost > 0],
                                  HUNDRED)
    return value, trend, "no goods received at a material with a standard cost in the window"


def _lead_time(conn, w: _Window):
    t = _tables()
    gr, po = t["goods_receipts"], t["purchase_orders"]
    days = _days_between(conn.dialect.name, po.c.po_date, gr.c.gr_date)
    value, trend = _monthly_ratio(conn, w, gr.c.gr_date, days, literal(1),
                                  gr.join(po, gr.c.purchase_order_id == po.c.purchase_order_id),
                                  [or_(gr.c.cancelled.is_(None), not_(gr.c.cancelled))])
    return value, trend, "no goods receipts against purchase orders in the window"


def _stock_value_subquery():
    ib = _tables()["inventory_balances"]
    return select(func.coalesce(func.sum(ib.c.stock_value), 0)).scalar_subquery()


def _issued_value_subquery(w: _Window, types: tuple[str, ...]):
    it = _tables()["inventory_transactions"]
    return (select(func.coalesce(func.sum(-it.c.amount), 0))
            .where(it.c.transaction_type.in_(types), it.c.posting_date > w.window_start, it.c.posting_date <= w.today,
                   or_(it.c.cancelled.is_(None), not_(it.c.cancelled)))
            .scalar_subquery())


def _inventory_turnover(conn, w: _Window):
    cogs, stock = conn.execute(select(_issued_value_subquery(w, ("delivery",)), _stock_value_subquery())).one()
    cogs, stock = _dec(cogs), _dec(stock)
    if not stock:
        return None, None, "no inventory value on hand"
    if not cogs:
        return None, None, "nothing was delivered to customers in the window (no cost of goods sold)"
    return _round(cogs * Decimal(365) / Decimal(w.window_days) / stock), None, ""


def _days_of_supply(conn, w: _Window):
    used, stock = conn.execute(select(_issued_value_subquery(w, ("delivery", "goods_issue")), _stock_value_subquery())).one()
    used, stock = _dec(used), _dec(stock)
    if not used:
        return None, None, "no stock was issued in the window, so there is no daily usage"
    return _round(stock / (used / Decimal(w.window_days))), None, ""


def _stock_out_rate(conn, w: _Window):
    t = _tables()
    mat, ib = t["materials"], t["inventory_balances"]
    on_hand = (select(ib.c.material_id, func.sum(ib.c.unrestricted_stock).label("qty"))
               .group_by(ib.c.material_id).subquery())
    out = case((func.coalesce(on_hand.c.qty, 0) <= 0, 1), else_=0)
    active = or_(mat.c.material_status.is_(None), mat.c.material_status == "active")
    total, outs = conn.execute(select(func.count(), func.sum(out))
                               .select_from(mat.outerjoin(on_hand, on_hand.c.material_id == mat.c.material_id))
                               .where(active)).one()
    if not total:
        return None, None, "no active materials"
    return _round(_dec(outs) / Decimal(total) * HUNDRED), None, ""


def _excess_stock_value(conn, w: _Window):
    t = _tables()
    mat, ib = t["materials"], t["inventory_balances"]
    on_hand = (select(ib.c.material_id, func.sum(ib.c.unrestricted_stock).label("qty"))
               .group_by(ib.c.material_id).subquery())
    price = func.coalesce(mat.c.moving_average_cost, mat.c.standard_cost, 0)
    excess = case((on_hand.c.qty > mat.c.maximum_stock, (on_hand.c.qty - mat.c.maximum_stock) * price), else_=0)
    planned, value = conn.execute(select(func.count(), func.sum(excess))
                                  .select_from(mat.join(on_hand, on_hand.c.material_id == mat.c.material_id))
                                  .where(mat.c.maximum_stock > 0)).one()
    if not planned:
        return None, None, "no material with stock has a maximum stock level"
    return _round(_dec(value)), None, ""


_FINISHED = ("completed", "closed", "teco", "cnf", "dlv")


def _production_cycle_time(conn, w: _Window):
    po = _tables()["production_orders"]
    days = _days_between(conn.dialect.name, po.c.actual_start_date, po.c.actual_finish_date)
    value, trend = _monthly_ratio(conn, w, po.c.actual_finish_date, days, literal(1), po,
                                  [po.c.actual_start_date.is_not(None)])
    return value, trend, "no production order finished in the window"


def _cost_variance(conn, w: _Window):
    po = _tables()["production_orders"]
    value, trend = _monthly_ratio(conn, w, po.c.actual_finish_date, po.c.actual_costs - po.c.planned_costs,
                                  po.c.planned_costs, po,
                                  [po.c.actual_costs.is_not(None), po.c.planned_costs > 0,
                                   func.lower(po.c.system_status).in_(_FINISHED)], HUNDRED)
    return value, trend, "no finished production order with planned costs in the window"


def _material_yield(conn, w: _Window):
    po = _tables()["production_orders"]
    good = func.coalesce(po.c.delivered_quantity, 0)
    value, trend = _monthly_ratio(conn, w, po.c.actual_finish_date, good, good + func.coalesce(po.c.scrap_quantity, 0),
                                  po, [func.lower(po.c.system_status).in_(_FINISHED)], HUNDRED)
    return value, trend, "no production order finished in the window"


def _capacity_utilisation(conn, w: _Window):
    wc = _tables()["work_centers"]
    used, available = conn.execute(
        select(func.sum(wc.c.available_capacity * wc.c.utilization_percentage), func.sum(wc.c.available_capacity))
        .where(or_(wc.c.is_active.is_(None), wc.c.is_active), wc.c.available_capacity > 0)).one()
    if not _dec(available):
        return None, None, "no active work centre has an available capacity"
    return _round(_dec(used) / _dec(available)), None, ""


_NOT_AN_ORDER = ("cancelled", "rejected")


def _fill_rate(conn, w: _Window):
    so = _tables()["sales_orders"]
    full = case((so.c.overall_delivery_status == "fully_delivered", 1), else_=0)
    value, trend = _monthly_ratio(conn, w, so.c.requested_delivery_date, full, literal(1), so,
                                  [so.c.order_status.not_in(_NOT_AN_ORDER)], HUNDRED)
    return value, trend, "no sales order fell due in the window"


def _sales_on_time_delivery(conn, w: _Window):
    t = _tables()
    so, it = t["sales_orders"], t["inventory_transactions"]
    delivered = (select(it.c.sales_order_id, func.max(it.c.posting_date).label("delivered"))
                 .where(it.c.transaction_type == "delivery", it.c.sales_order_id.is_not(None),
                        or_(it.c.cancelled.is_(None), not_(it.c.cancelled)))
                 .group_by(it.c.sales_order_id).subquery())
    promised = func.coalesce(so.c.confirmed_delivery_date, so.c.requested_delivery_date)
    on_time = case((delivered.c.delivered <= promised, 1), else_=0)
    value, trend = _monthly_ratio(conn, w, delivered.c.delivered, on_time, literal(1),
                                  so.join(delivered, delivered.c.sales_order_id == so.c.sales_order_id),
                                  [so.c.overall_delivery_status == "fully_delivered", promised.is_not(None)], HUNDRED)
    return value, trend, "no sales order was fully delivered in the window"


def _average_order_value(conn, w: _Window):
    so = _tables()["sales_orders"]
    value, trend = _monthly_ratio(conn, w, so.c.order_date, so.c.total_net_value, literal(1), so,
                                  [so.c.order_status.not_in(_NOT_AN_ORDER)])
    return value, trend, "no sales order was placed in the window"


def _order_to_cash(conn, w: _Window):
    so = _tables()["sales_orders"]
    days = _days_between(conn.dialect.name, so.c.order_date, so.c.updated_at)
    value, trend = _monthly_ratio(conn, w, so.c.updated_at, days, literal(1), so,
                                  [so.c.overall_billing_status == "paid"])
    return value, trend, "no sales order was paid in the window"


@dataclass(frozen=True)
class _Metric:
    key: str
    name: str
    area: str
    unit: str
    definition: str
    compute: Callable
    better: str = "higher"


METRICS: tuple[_Metric, ...] = (
    _Metric("on_time_delivery", "On-time delivery (suppliers)", "procurement", "%",
            "Goods receipts in the window that arrived on or before their PO line's delivery date, "
            "as a share of all goods receipts against PO lines (cancelled receipts excluded).", _on_time_delivery),
    _Metric("supplier_quality", "Supplier defect rate", "procurement", "%",
            "Quantity received in the window whose quality status is rejected, blocked, failed or returned, "
            "as a share of all quantity received.", _supplier_quality, "lower"),
    _Metric("purchase_price_variance", "Purchase price variance", "procurement", "%",
            "Sum over goods receipts of (unit price paid - material standard cost) x quantity, as a share of the "
            "standard value of the same receipts. Positive: paid more than standard.", _purchase_price_variance, "lower"),
    _Metric("lead_time", "Purchasing lead time", "procurement", "days",
            "Average days from the purchase order date to the goods receipt date, over receipts in the window.",
            _lead_time, "lower"),
    _Metric("inventory_turnover", "Inventory turnover", "inventory", "turns/yr",
            "Cost of goods sold (value of deliveries to customers at cost in the window, scaled to a year) "
            "divided by the inventory value on hand now (the stock value of all balances).", _inventory_turnover),
    _Metric("days_of_supply", "Days of supply", "inventory", "days",
            "Inventory value on hand now divided by the daily usage: the value issued to production and "
            "delivered to customers in the window, per day.", _days_of_supply, "lower"),
    _Metric("stock_out_rate", "Stock-out rate", "inventory", "%",
            "Active materials with no unrestricted stock in any plant, as a share of all active materials.",
            _stock_out_rate, "lower"),
    _Metric("excess_stock_value", "Excess stock value", "inventory", "USD",
            "Sum over materials with a maximum stock level of the unrestricted stock above that maximum, valued "
            "at the moving average cost (else the standard cost), as of now.", _excess_stock_value, "lower"),
    _Metric("production_cycle_time", "Production order cycle time", "production", "days",
            "Average days from a production order's actual start to its actual finish, over orders finished in "
            "the window.", _production_cycle_time, "lower"),
    _Metric("cost_variance", "Manufacturing cost variance", "production", "%",
            "Sum of (actual costs - planned costs) of production orders finished in the window, as a share of "
            "their planned costs. Positive: cost more than planned.", _cost_variance, "lower"),
    _Metric("material_yield", "Material yield", "production", "%",
            "Good output (delivered quantity) of production orders finished in the window divided by their "
            "input (delivered + scrapped quantity).", _material_yield),
    _Metric("capacity_utilisation", "Capacity utilisation", "production", "%",
            "Actual over available capacity of the active work centres: their utilisation weighted by available "
            "capacity (a snapshot of now, no history).", _capacity_utilisation),
    _Metric("fill_rate", "Order fill rate", "sales", "%",
            "Sales orders due (requested delivery date) in the window that are fully delivered, as a share of all "
            "sales orders due in the window (cancelled and rejected orders excluded).", _fill_rate),
    _Metric("sales_on_time_delivery", "On-time delivery (customers)", "sales", "%",
            "Sales orders fully delivered in the window whose last delivery (goods issue) was on or before the "
            "promised date (confirmed delivery date, else the requested one), as a share of all of them.",
            _sales_on_time_delivery),
    _Metric("average_order_value", "Average order value", "sales", "USD",
            "Net value of the sales orders placed in the window divided by their number (cancelled and rejected "
            "orders excluded).", _average_order_value),
    _Metric("order_to_cash_days", "Order-to-cash cycle", "sales", "days",
            "Average days from the order date to payment (the day a sales order was marked paid), over orders "
            "paid in the window.", _order_to_cash, "lower"),
)


def compute_kpis(dbs: Databases, now: dt.datetime, window_days: int = 90) -> list[Kpi]:
    """Every metric of seed 000 as of `now` (see the module notes). Never raises for one metric's data."""
    if window_days < 1:
        from .errors import DomainError

        raise DomainError("The KPI window must be at least one day.")
    w = _Window(now, int(window_days))
    out: list[Kpi] = []
    try:
        conn_cm = dbs.connect(ERP)
        conn = conn_cm.__enter__()
    except GenimsError as exc:
        reason = exc.message
        return [Kpi(m.key, m.name, m.area, None, m.unit, m.definition, None, reason, m.better) for m in METRICS]
    try:
        for m in METRICS:
            try:
                value, trend, reason = m.compute(conn, w)
            except GenimsError as exc:
                value, trend, reason = None, None, exc.message
            except Exception as exc:  # one broken metric must not hide the others
                log.exception("KPI %s failed", m.key)
                conn.rollback()
                value, trend, reason = None, None, f"could not be computed ({type(exc).__name__})"
            out.append(Kpi(m.key, m.name, m.area, value, m.unit, m.definition, trend or None,
                           None if value is not None else reason, m.better))
    finally:
        conn_cm.__exit__(None, None, None)
    return out
