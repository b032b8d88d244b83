"""Material requirements planning: a time-phased, multi-level, regenerative MRP run.

How a run plans (`run_mrp`):

- Buckets: DAILY. Bucket 0 is the planning date (the context's today), the last bucket is
  today + horizon - 1. Anything dated before today (past-due demand, overdue receipts) falls into
  bucket 0; anything dated on or after today + horizon is outside the run and ignored.
- Scope: one plant (`plant_id`) or every plant. A material is planned at a plant where it has
  stock, demand or supply (or dependent demand from a parent planned there). Plants are netted
  independently.
- Low-level codes come from the BOM graph (the BOM chosen for each parent, see `_pick_boms`): a
  material's code is its deepest position in any structure; a cycle is refused, naming it.
  Materials are planned level by level, so a component used at two levels is netted once, after
  all its parents.
- Gross requirements: open sales order lines (order_quantity - delivered_quantity, on the
  confirmed, else requested, delivery date) plus dependent demand: each planned order of a
  parent explodes at its release date to component_quantity / base_quantity x order quantity,
  grossed up by the component scrap % and the BOM (assembly) scrap %.
- Scheduled receipts: open purchase order lines (order - received, on their delivery date) and
  open production orders (order - delivered, on their scheduled, else basic, end date).
- Projected on hand starts from the unrestricted stock in inventory_balances. Netting, per day
  with an event: projected = previous + receipts - gross; when it falls below the trigger level
  (the safety stock; for min-max the higher of safety stock and reorder point) the net
  requirement is trigger - projected and a planned order is due that day, released
  materials.lead_time_days calendar days earlier.
- Lot sizing (materials.lot_sizing_procedure; SAP codes EX/FX/HB accepted, anything else is
  lot-for-lot):
    lot-for-lot  the net requirement;
    fixed        multiples of the fixed lot: minimum_order_quantity (else order_multiple);
    EOQ          max(net, sqrt(2 D S / H)) rounded up to a whole unit, where D is the annualised
                 gross requirement of the horizon (sum x 365 / horizon days), S = ORDER_COST per
                 order and H = HOLDING_RATE x standard cost (else moving average cost, else last
                 purchase price, else 1) per unit and year;
    min-max      triggered below the reorder point, orders up to maximum_stock (at least the net).
  Then every rule but fixed is raised to minimum_order_quantity, and every rule is rounded up to
  a multiple of order_multiple.
- Make or buy: materials.procurement_type 'make' (or E / in_house) plans production orders
  exploded through the BOM, 'buy' (or F / external / empty) plans purchase requisitions, anything
  else (SAP's X) is made when the material has a BOM and bought otherwise.
- Exceptions (element_type 'exception'): past-due release (a planned order whose release date is
  before today), overdue scheduled receipt, reschedule-in (a net requirement on a day before an
  open scheduled receipt of the same material), past-due demand, make material without a BOM.
- Output: one mrp_runs row and its mrp_elements: 'demand' (sales lines), 'dependent_demand'
  (per material, plant and day), 'scheduled_receipt', 'planned_order' (receipt date, quantity) and
  'exception'. Element ids are `<run id>-NNNNNN`.
- Replacement: a run replaces the open proposals of earlier runs in its scope: their mrp_elements,
  the production orders MRP created that are still 'created' (unreleased), and the unconverted
  (unassigned, open) lines of the requisitions MRP created (and those requisitions when no line is
  left). Earlier mrp_runs rows stay, as history.
- Not planned: planning time fences, component demand of already released production orders
  (their reservations), open requisitions as supply, capacity.

`convert_planned_orders` turns a run's planned orders into purchase requisitions (buy: one
requisition per plant through procurement.create_requisition, tagged as MRP's) and production
orders (make: status 'created', with BOM and routing) in bulk, and writes the document back
onto each planned-order element (source_document / source_line).

Everything works in sets: bulk loads, in-memory planning by low-level code, executemany writes.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update

from ..errors import DomainError, NotFound
from ..models.erp import (
    BillOfMaterials,
    BomComponents,
    InventoryBalances,
    Materials,
    MrpElements,
    MrpRuns,
    ProductionOrders,
    PurchaseOrderLines,
    PurchaseOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
    Routing,
    SalesOrderLines,
)
from .base import ServiceContext

log = logging.getLogger(__name__)

ERP = "genims_erp_db"
D0 = Decimal("0")
Q4 = Decimal("0.0001")
ONE = Decimal("1")
HUNDRED = Decimal("100")
MAX_HORIZON = 730
ORDER_COST = Decimal("50")  # S of the EOQ: cost of placing one order, in money
HOLDING_RATE = Decimal("0.25")  # H of the EOQ = this x unit cost, per unit and year

CLOSED_PO = ("closed", "cancelled", "canceled", "completed", "deleted", "received")
CLOSED_SO = ("closed", "cancelled", "canceled", "rejected", "completed", "delivered", "invoiced")
CLOSED_PROD = ("completed", "closed", "cancelled", "canceled", "technically_completed", "deleted")
INACTIVE_BOM = ("inactive", "obsolete", "blocked", "deleted", "draft")
LOT_RULES = {"lot-for-lot": "lfl", "lfl": "lfl", "ex": "lfl", "l4l": "lfl", "fixed": "fixed", "fx": "fixed",
             "foq": "fixed", "eoq": "eoq", "min-max": "minmax", "minmax": "minmax", "hb": "minmax"}


BUY = frozenset({"buy", "f", "external", "purchase", ""})
MAKE = frozenset({"make", "e", "in_house", "inhouse", "production"})


def _kind(procurement_type: str | None) -> str:
    """'buy', 'make' or 'either' (SAP's X: made when it has a BOM, else bought)."""
    value = (procurement_type or "").strip().lower()
    return "buy" if value in BUY else "make" if value in MAKE else "either"


def _d(value: Any) -> Decimal:
    return D0 if value is None else (value if isinstance(value, Decimal) else Decimal(str(value)))


def _up(value: Decimal) -> Decimal:
    return value.quantize(Q4, rounding=ROUND_CEILING)


# -- results ---------------------------------------------------------------------------------------


@dataclass
class Period:
    """One day with an event in a material's plan (the MRP record of textbooks)."""

    day: int
    date: dt.date
    gross: Decimal = D0
    scheduled_receipts: Decimal = D0
    projected: Decimal = D0  # on hand at the end of the day, after planned receipts
    net: Decimal = D0
    planned_receipt: Decimal = D0


@dataclass
class MaterialPlan:
    material_id: str
    plant_id: str
    low_level_code: int
    on_hand: Decimal
    periods: list[Period] = field(default_factory=list)
    releases: dict[dt.date, Decimal] = field(default_factory=dict)  # planned order releases by date

    def period(self, date: dt.date) -> Period | None:
        return next((p for p in self.periods if p.date == date), None)


@dataclass
class MrpResult:
    mrp_run_id: str
    planning_date: dt.date
    horizon_days: int
    plant_id: str | None
    materials_planned: int
    planned_orders: int
    exceptions: int
    elements: int
    replaced: dict[str, int]
    low_level_codes: dict[str, int]
    plans: dict[tuple[str, str], MaterialPlan]
    conversion: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "mrp_run_id": self.mrp_run_id, "planning_date": self.planning_date.isoformat(),
            "horizon_days": self.horizon_days, "plant_id": self.plant_id,
            "materials_planned": self.materials_planned, "planned_orders": self.planned_orders,
            "exceptions": self.exceptions, "elements": self.elements, "replaced": self.replaced,
            "conversion": self.conversion,
        }


# -- bulk key allocation -----------------------------------------------------------------------------


def _next_keys(ctx: ServiceContext, prefix: str, table, column: str, database: str, count: int,
               width: int = 6) -> list[str]:
    """`count` consecutive business keys in one counter update (the same counter as ctx.next_key)."""
    if count <= 0:
        return []
    from ..access import allocate_number
    from ..databases import CONSOLE_DATABASE
    from ..models.console import IdCounters

    counter = f"{database}.{table.name}.{column}"
    with ctx.dbs.begin(CONSOLE_DATABASE) as console:
        exists = console.execute(select(IdCounters.next_value).where(IdCounters.counter_name == counter)).first()
        start_after = 0 if exists else ctx._highest(database, table, column, prefix)
        first = allocate_number(console, counter, start_after=start_after)
        if count > 1:
            console.execute(update(IdCounters).where(IdCounters.counter_name == counter)
                            .values(next_value=IdCounters.next_value + (count - 1)))
    return [f"{prefix}-{n:0{width}d}" for n in range(first, first + count)]


# -- loading -------------------------------------------------------------------------------------------


def _valid(row_from, row_to, today: dt.date) -> bool:
    return (row_from is None or row_from <= today) and (row_to is None or row_to >= today)


def _pick_boms(conn, today: dt.date, plant_id: str | None, parents: list[str] | None = None):
    """The BOM each parent uses at each plant: active, valid today, plant-specific before general,
    the current revision, the lowest alternative. Returns ({(parent, plant|None): bom}, {bom_id: [components]})."""
    b = BillOfMaterials
    q = select(b.bom_id, b.parent_material_id, b.plant_id, b.bom_status, b.bom_usage, b.alternative_bom, b.valid_from,
               b.valid_to, b.base_quantity, b.scrap_percentage, b.is_current_revision)
    if plant_id is not None:
        q = q.where(or_(b.plant_id.is_(None), b.plant_id == plant_id))
    if parents is not None:
        q = q.where(b.parent_material_id.in_(parents))
    candidates = defaultdict(list)
    for r in conn.execute(q):
        if (r.bom_status or "").lower() in INACTIVE_BOM or not _valid(r.valid_from, r.valid_to, today):
            continue
        if r.bom_usage and r.bom_usage.lower() not in ("production", "1", "pp", "manufacturing"):
            continue
        candidates[(r.parent_material_id, r.plant_id)].append(r)
    chosen = {}
    for key, rows in candidates.items():
        rows.sort(key=lambda r: (not r.is_current_revision if r.is_current_revision is not None else False,
                                 r.alternative_bom or 1, r.bom_id))
        chosen[key] = rows[0]
    comps = defaultdict(list)
    if chosen:
        ids = {r.bom_id for r in chosen.values()}
        c = BomComponents
        cq = select(c.bom_id, c.material_id, c.component_quantity, c.component_scrap_percentage, c.valid_from, c.valid_to)
        if parents is not None:
            cq = cq.where(c.bom_id.in_(ids))
        for r in conn.execute(cq):
            if r.bom_id in ids and r.material_id and _valid(r.valid_from, r.valid_to, today):
                comps[r.bom_id].append(r)
    return chosen, comps


def _bom_for(chosen, material_id: str, plant: str):
    return chosen.get((material_id, plant)) or chosen.get((material_id, None))


def low_level_codes(edges: dict[str, set[str]], materials) -> dict[str, int]:
    """Low-level codes of a BOM graph {parent: {components}}; a cycle is a DomainError naming it."""
    codes = {m: 0 for m in materials}
    for p, kids in edges.items():
        codes.setdefault(p, 0)
        for k in kids:
            codes.setdefault(k, 0)
    indegree = defaultdict(int)
    for kids in edges.values():
        for k in kids:
            indegree[k] += 1
    ready = [m for m in codes if indegree[m] == 0]
    seen = 0
    while ready:
        m = ready.pop()
        seen += 1
        for k in edges.get(m, ()):
            if codes[m] + 1 > codes[k]:
                codes[k] = codes[m] + 1
            indegree[k] -= 1
            if indegree[k] == 0:
                ready.append(k)
    if seen < len(codes):
        raise DomainError(f"The bills of materials contain a cycle: {' -> '.join(_find_cycle(edges, indegree))}.",
                          "Correct the BOM so that no material is its own component.")
    return codes


def _find_cycle(edges, indegree) -> list[str]:
    left = {m for m, n in indegree.items() if n > 0}
    start = min(left)
    path, index, node = [], {}, start
    while node not in index:  # every node left has a parent left, so walk the graph backwards
        index[node] = len(path)
        path.append(node)
        node = min(p for p, kids in edges.items() if node in kids and p in left | {start})
    cycle = path[index[node]:] + [node]
    return list(reversed(cycle))


def _known_plants(ctx: ServiceContext, conn) -> set[str]:
    plants: set[str] = set()
    for col in (InventoryBalances.plant_id, SalesOrderLines.plant_id, PurchaseOrderLines.plant_id,
                ProductionOrders.plant_id, BillOfMaterials.plant_id, Routing.plant_id, MrpRuns.plant_id):
        plants.update(p for (p,) in conn.execute(select(col).distinct()) if p)
    try:
        from ..models.master import Factories

        with ctx.read("genims_master_db") as mconn:
            plants.update(p for (p,) in mconn.execute(select(Factories.factory_id)))
    except Exception:  # the master database may not exist in a partial estate; ERP's own plants count
        log.debug("master factories unavailable", exc_info=True)
    return plants


@dataclass
class _Proposals:
    production_orders: list[str]
    requisition_lines: list[str]
    requisitions: list[str]


def _open_proposals(conn, plant_id: str | None) -> _Proposals:
    po = ProductionOrders
    q = select(po.production_order_id).where(po.system_status == "created", po.mrp_element.like("MRP-%"),
                                             po.released_at.is_(None))
    if plant_id is not None:
        q = q.where(po.plant_id == plant_id)
    prods = [r for (r,) in conn.execute(q)]
    pr, prl = PurchaseRequisitions, PurchaseRequisitionLines
    rq = select(pr.requisition_id).where(pr.source_type == "mrp_run", pr.source_document.in_(select(MrpRuns.mrp_run_id)),
                                         pr.overall_status == "open")
    if plant_id is not None:
        rq = rq.where(pr.plant_id == plant_id)
    reqs = [r for (r,) in conn.execute(rq)]
    lines = []
    if reqs:
        lines = [r for (r,) in conn.execute(select(prl.requisition_line_id).where(
            prl.requisition_id.in_(reqs), prl.assigned_to_po.is_(None), prl.line_status == "open"))]
    return _Proposals(prods, lines, reqs)


# -- the run ---------------------------------------------------------------------------------------------


def _check_input(horizon_days: Any) -> int:
    try:
        horizon = int(horizon_days)
    except (TypeError, ValueError):
        raise DomainError(f"The horizon must be a whole number of days; {horizon_days!r} is not.") from None
    if horizon < 1 or horizon > MAX_HORIZON:
        raise DomainError(f"The horizon must be 1 to {MAX_HORIZON} days (got {horizon}).")
    return horizon


def run_mrp(ctx: ServiceContext, horizon_days: int = 90, plant_id: str | None = None, *,
            create_orders: bool = False) -> MrpResult:
    """Plan every material (of one plant or all) over `horizon_days` daily buckets, replace the
    open proposals of earlier runs, write the run and its elements; with `create_orders`, turn the
    planned orders into requisitions and production orders."""
    ctx.require(ERP, "write", "Running MRP")
    ctx.require_capability("mrp.run", "Running MRP")
    horizon = _check_input(horizon_days)
    plant_id = (str(plant_id).strip() or None) if plant_id is not None else None
    today = ctx.today()
    end = today + dt.timedelta(days=horizon)

    with ctx.read(ERP) as conn:
        if plant_id is not None and plant_id not in _known_plants(ctx, conn):
            raise NotFound(f"There is no plant {plant_id}.", "Give a factory id such as FAC-000001, or no --plant.")
        old = _open_proposals(conn, plant_id)
        mats = {r.material_id: r for r in conn.execute(select(
            Materials.material_id, Materials.procurement_type, Materials.lead_time_days, Materials.safety_stock,
            Materials.reorder_point, Materials.maximum_stock, Materials.minimum_order_quantity, Materials.order_multiple,
            Materials.lot_sizing_procedure, Materials.standard_cost, Materials.moving_average_cost,
            Materials.last_purchase_price, Materials.mrp_type, Materials.material_status))}
        chosen, comps = _pick_boms(conn, today, plant_id)

        # demand: open sales order lines
        sol = SalesOrderLines
        q = select(sol.sales_order_id, sol.line_number, sol.material_id, sol.plant_id, sol.order_quantity,
                   sol.delivered_quantity, sol.requested_delivery_date, sol.confirmed_delivery_date, sol.line_status
                   ).where(or_(sol.deletion_indicator.is_(None), sol.deletion_indicator.is_(False)),
                           func.coalesce(sol.order_quantity, 0) > func.coalesce(sol.delivered_quantity, 0),
                           sol.plant_id.is_not(None), sol.material_id.is_not(None))
        if plant_id is not None:
            q = q.where(sol.plant_id == plant_id)
        demand = [r for r in conn.execute(q) if (r.line_status or "").lower() not in CLOSED_SO]

        # supply: open purchase order lines and production orders
        pol, poh = PurchaseOrderLines, PurchaseOrders
        q = (select(pol.purchase_order_id, pol.line_number, pol.material_id, pol.plant_id, pol.order_quantity,
                    pol.received_quantity, pol.delivery_date, pol.line_status, poh.po_status)
             .join(poh, poh.purchase_order_id == pol.purchase_order_id, isouter=True)
             .where(or_(pol.deletion_indicator.is_(None), pol.deletion_indicator.is_(False)),
                    func.coalesce(pol.order_quantity, 0) > func.coalesce(pol.received_quantity, 0),
                    pol.plant_id.is_not(None), pol.material_id.is_not(None)))
        if plant_id is not None:
            q = q.where(pol.plant_id == plant_id)
        po_supply = [r for r in conn.execute(q) if (r.line_status or "").lower() not in CLOSED_PO
                     and (r.po_status or "").lower() not in CLOSED_PO]
        pro = ProductionOrders
        q = select(pro.production_order_id, pro.material_id, pro.plant_id, pro.order_quantity, pro.delivered_quantity,
                   pro.scheduled_end_date, pro.basic_end_date, pro.system_status).where(
            func.coalesce(pro.order_quantity, 0) > func.coalesce(pro.delivered_quantity, 0),
            pro.plant_id.is_not(None), pro.material_id.is_not(None))
        if plant_id is not None:
            q = q.where(pro.plant_id == plant_id)
        replaced_prods = set(old.production_orders)
        prod_supply = [r for r in conn.execute(q) if (r.system_status or "").lower() not in CLOSED_PROD
                       and r.production_order_id not in replaced_prods]

        ib = InventoryBalances
        q = select(ib.material_id, ib.plant_id, func.sum(ib.unrestricted_stock)).where(ib.plant_id.is_not(None)) \
            .group_by(ib.material_id, ib.plant_id)
        if plant_id is not None:
            q = q.where(ib.plant_id == plant_id)
        stock = {(m, p): _d(s) for m, p, s in conn.execute(q)}

    # low-level codes over the chosen BOMs (all plants in scope together)
    edges: dict[str, set[str]] = defaultdict(set)
    for (parent, _plant), bom in chosen.items():
        for c in comps.get(bom.bom_id, ()):
            edges[parent].add(c.material_id)
    llc = low_level_codes(edges, mats)

    def day_of(date: dt.date | None) -> int | None:
        if date is None:
            return None
        if date >= end:
            return None
        return max(0, (date - today).days)

    gross: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    receipts: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    receipt_docs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    elements: list[dict[str, Any]] = []

    def element(etype, mid, plant, date, req=D0, rec=D0, doc=None, line=None, message=None):
        elements.append({"material_id": mid, "plant_id": plant, "element_type": etype, "element_date": date,
                         "requirement_quantity": _up(req), "receipt_quantity": _up(rec), "source_document": doc,
                         "source_line": line, "exception_message": message[:200] if message else None})

    for r in demand:
        if r.material_id not in mats:
            continue
        date = r.confirmed_delivery_date or r.requested_delivery_date or today
        d = day_of(date)
        if d is None:
            continue
        qty = _d(r.order_quantity) - _d(r.delivered_quantity)
        key = (r.material_id, r.plant_id)
        gross[key][d] += qty
        element("demand", r.material_id, r.plant_id, date, req=qty, doc=r.sales_order_id, line=r.line_number)
        if date < today:
            element("exception", r.material_id, r.plant_id, date, req=qty, doc=r.sales_order_id, line=r.line_number,
                    message=f"Past-due demand: {r.sales_order_id} line {r.line_number} was due {date}")
    supplies = [(r.material_id, r.plant_id, r.delivery_date, _d(r.order_quantity) - _d(r.received_quantity),
                 r.purchase_order_id, r.line_number) for r in po_supply]
    supplies += [(r.material_id, r.plant_id, r.scheduled_end_date or r.basic_end_date,
                  _d(r.order_quantity) - _d(r.delivered_quantity), r.production_order_id, None) for r in prod_supply]
    for mid, plant, date, qty, doc, line in supplies:
        if mid not in mats:
            continue
        date = date or today
        d = day_of(date)
        if d is None:
            continue
        key = (mid, plant)
        receipts[key][d] += qty
        receipt_docs[key].append((d, doc))
        element("scheduled_receipt", mid, plant, date, rec=qty, doc=doc, line=line)
        if date < today:
            element("exception", mid, plant, date, rec=qty, doc=doc, line=line,
                    message=f"Reschedule: receipt {doc} is overdue (was due {date})")

    # the pairs to plan, level by level; dependent demand adds pairs at lower levels as it goes
    by_level: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for key in set(gross) | set(receipts) | set(stock):
        if key[0] in mats:
            by_level[llc.get(key[0], 0)].add(key)
    plans: dict[tuple[str, str], MaterialPlan] = {}
    planned_orders = 0
    level = 0
    max_level = max(llc.values(), default=0)
    while level <= max_level:
        for key in sorted(by_level.get(level, ())):
            mid, plant = key
            m = mats[mid]
            if (m.mrp_type or "").upper() == "ND":
                continue
            plan = _net(m, key, llc.get(mid, 0), stock.get(key, D0), gross.get(key, {}), receipts.get(key, {}),
                        today, horizon)
            plans[key] = plan
            lt = int(m.lead_time_days or 0)
            first_receipt = {}
            for d, doc in receipt_docs.get(key, ()):
                first_receipt.setdefault(d, doc)
            warned = False
            kind = _kind(m.procurement_type)
            bom = _bom_for(chosen, mid, plant) if kind != "buy" else None
            if kind == "make" and bom is None and any(p.planned_receipt for p in plan.periods):
                element("exception", mid, plant, today, message=f"No active BOM for make material {mid}; components not planned")
            for p in plan.periods:
                if not p.planned_receipt:
                    continue
                planned_orders += 1
                release = p.date - dt.timedelta(days=lt)
                element("planned_order", mid, plant, p.date, rec=p.planned_receipt)
                if release < today:
                    element("exception", mid, plant, release, rec=p.planned_receipt,
                            message=f"Past due: planned order for {p.date} should have been released on {release}")
                later = [d for d in first_receipt if d > p.day]
                if later and not warned:
                    warned = True
                    d2 = min(later)
                    element("exception", mid, plant, p.date,
                            message=f"Reschedule in: {first_receipt[d2]} from {today + dt.timedelta(days=d2)} to {p.date}")
                if bom is None:
                    continue
                base = _d(bom.base_quantity) or ONE
                assembly = ONE + _d(bom.scrap_percentage) / HUNDRED
                rday = max(0, (release - today).days)
                for c in comps.get(bom.bom_id, ()):
                    if c.material_id not in mats:
                        continue
                    need = _up(p.planned_receipt * _d(c.component_quantity) / base
                               * (ONE + _d(c.component_scrap_percentage) / HUNDRED) * assembly)
                    if need <= 0:
                        continue
                    ckey = (c.material_id, plant)
                    gross[ckey][rday] += need
                    by_level[llc.get(c.material_id, 0)].add(ckey)
        level += 1

    # dependent demand elements, per material, plant and day
    dep: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    indep: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for e in elements:
        if e["element_type"] == "demand":
            d = day_of(e["element_date"])
            indep[(e["material_id"], e["plant_id"])][d] += e["requirement_quantity"]
    for key, days in gross.items():
        for d, q in days.items():
            extra = q - indep.get(key, {}).get(d, D0)
            if extra > 0:
                dep[(key[0], key[1], d)] += extra
    for (mid, plant, d), q in sorted(dep.items()):
        element("dependent_demand", mid, plant, today + dt.timedelta(days=d), req=q)

    # write: replace earlier proposals, then the run and its elements, in one transaction
    run_id = _next_keys(ctx, "MRP", MrpRuns.__table__, "mrp_run_id", ERP, 1)[0]
    now = ctx.now()
    for n, e in enumerate(elements, 1):
        e["element_id"] = f"{run_id}-{n:06d}"
        e["mrp_run_id"] = run_id
        e["created_at"] = now
    exceptions = sum(1 for e in elements if e["element_type"] == "exception")
    replaced = {"production_orders": 0, "requisition_lines": 0, "requisitions": 0, "elements": 0}
    with ctx.transaction(ERP) as conn:
        replaced.update(_replace(conn, old, plant_id))
        conn.execute(insert(MrpRuns).values(
            mrp_run_id=run_id, run_number=f"MRP{today:%Y%m%d}-{run_id[-6:]}", planning_date=today,
            planning_horizon_days=horizon, plant_id=plant_id, mrp_controller=ctx.user.user_id[:50],
            planning_mode="regenerative", create_purchase_requisitions=create_orders,
            create_production_orders=create_orders, reschedule_open_orders=False, materials_planned=len(plans),
            purchase_reqs_created=0, production_orders_created=0, run_status="completed", started_at=now,
            completed_at=ctx.now(), created_by=ctx.user.user_id[:50], created_at=now))
        if elements:
            conn.execute(insert(MrpElements), elements)
        ctx.audit("mrp.run", ERP, "mrp_run", run_id,
                  after={"plant_id": plant_id, "horizon_days": horizon, "materials_planned": len(plans),
                         "planned_orders": planned_orders, "exceptions": exceptions, "replaced": replaced})
    result = MrpResult(run_id, today, horizon, plant_id, len(plans), planned_orders, exceptions, len(elements),
                       replaced, llc, plans)
    if create_orders:
        result.conversion = convert_planned_orders(ctx, run_id)
    return result


def _delete_in(conn, model, column, keys, *conditions) -> int:
    """DELETE many keys in chunks (parameter limits); the number of rows deleted."""
    total = 0
    keys = list(keys)
    for i in range(0, len(keys), 500):
        total += conn.execute(delete(model).where(column.in_(keys[i:i + 500]), *conditions)).rowcount or 0
    return total


def _replace(conn, old: _Proposals, plant_id: str | None) -> dict[str, int]:
    """Remove the open proposals of earlier runs in scope (see the module docstring)."""
    me, po, prl, pr = MrpElements, ProductionOrders, PurchaseRequisitionLines, PurchaseRequisitions
    q = delete(me).where(me.element_id.like("MRP-%"))  # elements of runs of this service, not seeded history
    if plant_id is not None:
        q = q.where(me.plant_id == plant_id)
    counts = {"elements": conn.execute(q).rowcount or 0}
    counts["production_orders"] = _delete_in(conn, po, po.production_order_id, old.production_orders,
                                             po.system_status == "created", po.released_at.is_(None))
    counts["requisition_lines"] = _delete_in(conn, prl, prl.requisition_line_id, old.requisition_lines,
                                             prl.assigned_to_po.is_(None))
    counts["requisitions"] = 0
    if old.requisitions:
        left = {r for (r,) in conn.execute(select(prl.requisition_id).where(prl.requisition_id.in_(old.requisitions)).distinct())}
        counts["requisitions"] = _delete_in(conn, pr, pr.requisition_id, [r for r in old.requisitions if r not in left])
    return counts


def _net(m, key, code: int, on_hand: Decimal, gross: dict[int, Decimal], receipts: dict[int, Decimal],
         today: dt.date, horizon: int) -> MaterialPlan:
    """Net one material at one plant: projected on hand, net requirements, lot-sized planned
    receipts and their releases (see the module docstring)."""
    rule = LOT_RULES.get((m.lot_sizing_procedure or "").strip().lower(), "lfl")
    ss = _d(m.safety_stock)
    rop = _d(m.reorder_point)
    trigger = max(ss, rop) if rule == "minmax" else ss
    moq = _d(m.minimum_order_quantity)
    mult = _d(m.order_multiple)
    lt = int(m.lead_time_days or 0)
    plan = MaterialPlan(key[0], key[1], code, on_hand)
    eoq = None
    if rule == "eoq":
        annual = sum(gross.values(), D0) * Decimal(365) / Decimal(horizon)
        cost = _d(m.standard_cost) or _d(m.moving_average_cost) or _d(m.last_purchase_price) or ONE
        holding = HOLDING_RATE * cost
        eoq = Decimal(math.ceil(math.sqrt(float(2 * annual * ORDER_COST / holding)))) if annual > 0 else D0
    projected = on_hand
    for d in sorted(set(gross) | set(receipts) | {0}):
        g = gross.get(d, D0)
        r = receipts.get(d, D0)
        projected = projected + r - g
        p = Period(d, today + dt.timedelta(days=d), g, r)
        if projected < trigger:
            net = trigger - projected
            if rule == "fixed":
                lot = moq if moq > 0 else (mult if mult > 0 else net)
                qty = (net / lot).to_integral_value(rounding=ROUND_CEILING) * lot
            else:
                if rule == "eoq":
                    qty = max(net, eoq)
                elif rule == "minmax" and _d(m.maximum_stock) > 0:
                    qty = max(net, _d(m.maximum_stock) - projected)
                else:
                    qty = net
                qty = max(qty, moq)
            if mult > 0:
                qty = (qty / mult).to_integral_value(rounding=ROUND_CEILING) * mult
            qty = _up(qty)
            p.net = net
            p.planned_receipt = qty
            projected += qty
            release = p.date - dt.timedelta(days=lt)
            plan.releases[release] = plan.releases.get(release, D0) + qty
        p.projected = projected
        if g or r or p.planned_receipt or d == 0:
            plan.periods.append(p)
    return plan


# -- conversion -------------------------------------------------------------------------------------------


def convert_planned_orders(ctx: ServiceContext, run_id: str) -> dict[str, Any]:
    """Turn the unconverted planned orders of run `run_id` into purchase requisitions (buy, one per
    plant) and production orders (make, 'created', with BOM and routing), in bulk."""
    ctx.require(ERP, "write", "Converting MRP planned orders")
    ctx.require_capability("mrp.run", "Converting MRP planned orders")
    today = ctx.today()
    me = MrpElements
    with ctx.read(ERP) as conn:
        run = conn.execute(select(MrpRuns).where(MrpRuns.mrp_run_id == run_id)).first()
        if run is None:
            raise NotFound(f"There is no MRP run {run_id}.")
        planned = list(conn.execute(select(me.element_id, me.material_id, me.plant_id, me.element_date, me.receipt_quantity)
                                    .where(me.mrp_run_id == run_id, me.element_type == "planned_order",
                                           me.source_document.is_(None)).order_by(me.element_id)))
        mids = sorted({p.material_id for p in planned})
        mats = {}
        for i in range(0, len(mids), 500):
            mats.update({r.material_id: r for r in conn.execute(select(
                Materials.material_id, Materials.procurement_type, Materials.lead_time_days, Materials.standard_cost,
                Materials.blocked_for_procurement, Materials.blocked_for_production).where(
                Materials.material_id.in_(mids[i:i + 500])))})
        make_ids = [m for m in mids if _kind(mats[m].procurement_type) != "buy"]
        chosen, _comps = _pick_boms(conn, today, None, make_ids) if make_ids else ({}, {})
        routings = defaultdict(list)
        for i in range(0, len(make_ids), 500):
            for r in conn.execute(select(Routing.routing_id, Routing.material_id, Routing.plant_id, Routing.routing_status,
                                         Routing.valid_from, Routing.valid_to)
                                  .where(Routing.material_id.in_(make_ids[i:i + 500]))):
                if (r.routing_status or "").lower() not in INACTIVE_BOM and _valid(r.valid_from, r.valid_to, today):
                    routings[(r.material_id, r.plant_id)].append(r.routing_id)
    skipped: list[str] = []
    buy = defaultdict(list)
    make = []
    for p in planned:
        m = mats[p.material_id]
        kind = _kind(m.procurement_type)
        bom = _bom_for(chosen, p.material_id, p.plant_id) if kind != "buy" else None
        if kind == "buy" or (kind != "make" and bom is None):
            if m.blocked_for_procurement:
                skipped.append(p.element_id)
            else:
                buy[p.plant_id].append(p)
        elif m.blocked_for_production:
            skipped.append(p.element_id)
        else:
            make.append((p, m, bom))
    links: list[dict[str, Any]] = []
    now = ctx.now()
    prod_ids = _next_keys(ctx, "PRD", ProductionOrders.__table__, "production_order_id", ERP, len(make))
    rows = []
    for pid, (p, m, bom) in zip(prod_ids, make, strict=True):
        release = p.element_date - dt.timedelta(days=int(m.lead_time_days or 0))
        rids = sorted(routings.get((p.material_id, p.plant_id)) or routings.get((p.material_id, None)) or [None],
                      key=lambda x: x or "")
        qty = _d(p.receipt_quantity)
        rows.append({
            "production_order_id": pid, "production_order_number": pid, "material_id": p.material_id,
            "plant_id": p.plant_id, "sales_order_id": None, "sales_order_line": None, "mrp_element": p.element_id,
            "order_type": "PP02", "production_version": 1, "order_quantity": qty, "delivered_quantity": D0,
            "scrap_quantity": D0, "basic_start_date": release, "basic_end_date": p.element_date,
            "scheduled_start_date": release, "scheduled_end_date": p.element_date, "system_status": "created",
            "user_status": "CRTD", "priority": 3, "scheduling_type": "backward",
            "bom_id": bom.bom_id if bom is not None else None, "routing_id": rids[0],
            "planned_costs": (qty * _d(m.standard_cost)).quantize(Decimal("0.01")),
            "created_by": ctx.user.user_id[:50], "created_at": now, "updated_at": now,
        })
        links.append({"eid": p.element_id, "doc": pid, "line": None})
    requisitions = []
    if buy:
        from . import procurement

        for plant, items in sorted(buy.items()):
            req_id = procurement.create_requisition(
                ctx, plant, [{"material_id": p.material_id, "quantity": p.receipt_quantity, "delivery_date": p.element_date}
                             for p in items], remarks=f"MRP run {run_id}")
            requisitions.append(req_id)
            links.extend({"eid": p.element_id, "doc": req_id, "line": n * 10} for n, p in enumerate(items, 1))
    with ctx.transaction(ERP) as conn:
        if rows:
            conn.execute(insert(ProductionOrders), rows)
        if requisitions:
            conn.execute(update(PurchaseRequisitions).where(PurchaseRequisitions.requisition_id.in_(requisitions)).values(
                requisition_type="mrp", source_type="mrp_run", source_document=run_id, updated_at=now))
        if links:
            conn.execute(update(me).where(me.element_id == bindparam("eid")).values(
                source_document=bindparam("doc"), source_line=bindparam("line")).execution_options(synchronize_session=False),
                links)
        conn.execute(update(MrpRuns).where(MrpRuns.mrp_run_id == run_id).values(
            purchase_reqs_created=func.coalesce(MrpRuns.purchase_reqs_created, 0) + len(requisitions),
            production_orders_created=func.coalesce(MrpRuns.production_orders_created, 0) + len(rows),
            create_purchase_requisitions=True, create_production_orders=True))
        ctx.audit("mrp.convert", ERP, "mrp_run", run_id,
                  after={"production_orders": len(rows), "requisitions": requisitions, "skipped": len(skipped)})
    return {"mrp_run_id": run_id, "production_orders": len(rows), "requisitions": requisitions,
            "requisition_lines": sum(len(v) for v in buy.values()), "skipped_blocked": skipped}


def run_of_day(ctx: ServiceContext, day: dt.date | None = None) -> str | None:
    """The latest all-plant run of this service planned on `day` (default today), or None: the
    daily cycle plans once a day and, rerun, converts that run's planned orders instead of planning
    again."""
    ctx.require(ERP, "read", "Looking up MRP runs")
    day = day or ctx.today()
    with ctx.read(ERP) as conn:
        return conn.execute(select(MrpRuns.mrp_run_id).where(
            MrpRuns.planning_date == day, MrpRuns.plant_id.is_(None), MrpRuns.mrp_run_id.like("MRP-%"),
            MrpRuns.run_status == "completed").order_by(MrpRuns.mrp_run_id.desc()).limit(1)).scalar()
