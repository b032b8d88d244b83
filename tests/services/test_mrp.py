"""MRP: the textbook multi-level example period by period, low-level codes, rerun replacement,
permission and input refusals, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.erp import (
    BomComponents,
    MrpElements,
    MrpRuns,
    ProductionOrders,
    PurchaseRequisitionLines,
    PurchaseRequisitions,
)
from genims_tui.backend.services import mrp

from .mrp_estate import PLANT, build, day
from .p2p_estate import context

D = Decimal


def rows(plan):
    """(day, gross, scheduled receipts, projected, net, planned receipt) of every period with an event."""
    return [((p.date - day(0)).days, p.gross, p.scheduled_receipts, p.projected, p.net, p.planned_receipt)
            for p in plan.periods]


def releases(plan):
    return {(d - day(0)).days: q for d, q in plan.releases.items()}


def counts(dbs):
    with dbs.connect("genims_erp_db") as conn:
        return {
            "runs": conn.execute(select(func.count()).select_from(MrpRuns)).scalar(),
            "elements": conn.execute(select(func.count()).select_from(MrpElements)).scalar(),
            "prs": conn.execute(select(func.count()).select_from(PurchaseRequisitions)).scalar(),
            "pr_lines": conn.execute(select(func.count()).select_from(PurchaseRequisitionLines)).scalar(),
            "production_orders": conn.execute(select(func.count()).select_from(ProductionOrders)).scalar(),
        }


def test_textbook_plan_period_by_period(any_dbs):
    build(any_dbs)
    ctx = context(any_dbs, "inventory_manager")
    result = mrp.run_mrp(ctx, 30, PLANT, create_orders=True)
    plans = result.plans
    assert {m: result.low_level_codes[m] for m in ("MAT-A", "MAT-B", "MAT-C", "MAT-D")} == \
        {"MAT-A": 0, "MAT-B": 1, "MAT-C": 2, "MAT-D": 1}

    # A: lot-for-lot, on hand 10, open production order 10 on day 5, demand 30 (day 5) and 45-5 (day 10)
    a = plans[("MAT-A", PLANT)]
    assert rows(a) == [(0, 0, 0, 10, 0, 0), (5, 30, 10, 0, 10, 10), (10, 40, 0, 0, 40, 40)]
    assert releases(a) == {4: 10, 9: 40}
    # B: fixed lot 50, safety stock 5; 2 per A released on days 4 and 9
    b = plans[("MAT-B", PLANT)]
    assert rows(b) == [(0, 0, 0, 20, 0, 0), (4, 20, 0, 50, 5, 50), (9, 80, 0, 20, 35, 50)]
    assert releases(b) == {2: 50, 7: 50}
    # D: min-max, reorder point 20 (not below on day 4), order up to 100 on day 9
    d = plans[("MAT-D", PLANT)]
    assert rows(d) == [(0, 0, 0, 30, 0, 0), (4, 10, 0, 20, 0, 0), (9, 40, 0, 100, 40, 120)]
    assert releases(d) == {7: 120}
    # C: EOQ, both levels: 1.5 per B (3 per base 2) on days 2 and 7, 1 per A + 10 % scrap on days 4 and 9;
    # D = 205 x 365 / 30, S = 50, H = 0.25 x 4: EOQ = ceil(sqrt(2 D S / H)) = 500 (multiple of 10)
    c = plans[("MAT-C", PLANT)]
    assert rows(c) == [(0, 0, 0, 100, 0, 0), (2, 75, 0, 25, 0, 0), (4, D("11.0000"), 0, 14, 0, 0),
                       (7, 75, 0, 439, 61 + 10, 500), (8, 0, 50, 489, 0, 0), (9, D("44.0000"), 0, 445, 0, 0)]
    assert releases(c) == {4: 500}
    assert result.planned_orders == 6

    with any_dbs.connect("genims_erp_db") as conn:
        elems = list(conn.execute(select(MrpElements).where(MrpElements.mrp_run_id == result.mrp_run_id)))
        prods = list(conn.execute(select(ProductionOrders).where(ProductionOrders.mrp_element.is_not(None))
                                  .order_by(ProductionOrders.material_id, ProductionOrders.basic_end_date)))
        reqs = list(conn.execute(select(PurchaseRequisitions)))
        lines = list(conn.execute(select(PurchaseRequisitionLines).order_by(PurchaseRequisitionLines.material_id)))
        run = conn.execute(select(MrpRuns)).one()
    by_type = {}
    for e in elems:
        by_type[e.element_type] = by_type.get(e.element_type, 0) + 1
    assert by_type == {"demand": 2, "scheduled_receipt": 2, "planned_order": 6, "dependent_demand": 8, "exception": 1}
    (exc,) = [e for e in elems if e.element_type == "exception"]
    assert exc.material_id == "MAT-C" and exc.exception_message.startswith("Reschedule in: PO-1")
    assert [(p.material_id, p.order_quantity, p.basic_start_date, p.basic_end_date, p.system_status, p.bom_id) for p in prods] == [
        ("MAT-A", 10, day(4), day(5), "created", "BOM-A"), ("MAT-A", 40, day(9), day(10), "created", "BOM-A"),
        ("MAT-B", 50, day(2), day(4), "created", "BOM-B"), ("MAT-B", 50, day(7), day(9), "created", "BOM-B")]
    assert {p.routing_id for p in prods if p.material_id == "MAT-A"} == {"RT-A"}
    assert len(reqs) == 1 and reqs[0].source_type == "mrp_run" and reqs[0].source_document == result.mrp_run_id
    assert [(ln.material_id, ln.quantity, ln.delivery_date) for ln in lines] == [("MAT-C", 500, day(7)), ("MAT-D", 120, day(9))]
    assert (run.production_orders_created, run.purchase_reqs_created, run.materials_planned) == (4, 1, 4)
    planned = [e for e in elems if e.element_type == "planned_order"]
    assert all(e.source_document for e in planned)


def test_rerun_replaces_open_proposals(any_dbs):
    build(any_dbs)
    ctx = context(any_dbs, "inventory_manager")
    first = mrp.run_mrp(ctx, 30, PLANT, create_orders=True)
    after_one = counts(any_dbs)
    second = mrp.run_mrp(ctx, 30, PLANT, create_orders=True)
    after_two = counts(any_dbs)
    assert after_two == {**after_one, "runs": 2}
    assert after_one["production_orders"] == 5 and after_one["pr_lines"] == 2
    assert second.replaced == {"elements": first.elements, "production_orders": 4, "requisition_lines": 2, "requisitions": 1}
    # a released MRP production order is no longer a proposal: it stays and becomes a scheduled receipt
    with any_dbs.begin("genims_erp_db") as conn:
        from sqlalchemy import update

        conn.execute(update(ProductionOrders).where(ProductionOrders.material_id == "MAT-B",
                                                    ProductionOrders.basic_end_date == day(4))
                     .values(system_status="released", released_at=day(0)))
    third = mrp.run_mrp(ctx, 30, PLANT)
    assert third.replaced["production_orders"] == 3
    b = third.plans[("MAT-B", PLANT)]
    assert b.period(day(4)).scheduled_receipts == 50 and b.period(day(4)).planned_receipt == 0


def test_component_at_two_levels_and_deeper_chain(sqlite_dbs):
    build(sqlite_dbs)
    codes = mrp.low_level_codes({"A": {"B", "C"}, "B": {"C", "E"}, "C": {"E"}, "X": {"E"}}, ["A", "B", "C", "E", "X", "Z"])
    assert codes == {"A": 0, "B": 1, "C": 2, "E": 3, "X": 0, "Z": 0}


def test_bom_cycle_is_refused_naming_it(sqlite_dbs):
    build(sqlite_dbs)
    with sqlite_dbs.begin("genims_erp_db") as conn:  # C's own BOM uses A: A -> C -> ... -> A
        from genims_tui.backend.models.erp import BillOfMaterials

        conn.execute(insert(BillOfMaterials).values(bom_id="BOM-C", parent_material_id="MAT-C", bom_status="active",
                                                    base_quantity=1, bom_usage="production"))
        conn.execute(insert(BomComponents).values(component_id="BC-9", bom_id="BOM-C", material_id="MAT-A",
                                                  component_quantity=1))
    with pytest.raises(DomainError, match=r"cycle: MAT-A -> MAT-C -> MAT-A|cycle: MAT-A -> MAT-B -> MAT-C -> MAT-A"):
        mrp.run_mrp(context(sqlite_dbs, "inventory_manager"), 30, PLANT)
    assert counts(sqlite_dbs)["runs"] == 0


def test_warehouse_operator_cannot_run_mrp(sqlite_dbs):
    build(sqlite_dbs)
    before = counts(sqlite_dbs)
    with pytest.raises(PermissionDenied, match="Running MRP"):
        mrp.run_mrp(context(sqlite_dbs, "warehouse_operator"), 30, PLANT, create_orders=True)
    with pytest.raises(PermissionDenied):  # ERP write without the mrp.run capability
        mrp.run_mrp(context(sqlite_dbs, "sales_manager"), 30, PLANT)
    assert counts(sqlite_dbs) == before


@pytest.mark.parametrize("horizon, plant, message", [
    (-5, PLANT, "horizon must be 1 to"), (0, None, "horizon must be 1 to"), ("soon", None, "whole number"),
    (30, "FAC-999999", "no plant FAC-999999"),
])
def test_bad_input_writes_nothing(sqlite_dbs, horizon, plant, message):
    build(sqlite_dbs)
    before = counts(sqlite_dbs)
    with pytest.raises(DomainError, match=message):
        mrp.run_mrp(context(sqlite_dbs, "inventory_manager"), horizon, plant, create_orders=True)
    assert counts(sqlite_dbs) == before


def test_past_due_release_and_all_plants(sqlite_dbs):
    build(sqlite_dbs)
    ctx = context(sqlite_dbs, "inventory_manager")
    from sqlalchemy import update

    from genims_tui.backend.models.erp import Materials
    with sqlite_dbs.begin("genims_erp_db") as conn:
        conn.execute(update(Materials).where(Materials.material_id == "MAT-D").values(lead_time_days=12))
    result = mrp.run_mrp(ctx, 30)  # every plant
    assert result.plant_id is None and result.materials_planned == 4
    with sqlite_dbs.connect("genims_erp_db") as conn:
        msgs = [m for (m,) in conn.execute(select(MrpElements.exception_message).where(
            MrpElements.element_type == "exception", MrpElements.material_id == "MAT-D"))]
    assert msgs == [f"Past due: planned order for {day(9)} should have been released on {day(-3)}"]
    # a rerun over every plant replaces every element of the last run
    assert mrp.run_mrp(ctx, 30).replaced["elements"] == result.elements


def test_convert_is_bulk_once_and_skips_blocked(sqlite_dbs):
    build(sqlite_dbs)
    ctx = context(sqlite_dbs, "inventory_manager")
    from sqlalchemy import update

    from genims_tui.backend.models.erp import Materials, SalesOrderLines
    with sqlite_dbs.begin("genims_erp_db") as conn:
        conn.execute(update(Materials).where(Materials.material_id == "MAT-D").values(blocked_for_procurement=True))
        # a past-due sales line (due 3 days ago) lands in day 0 with an exception
        conn.execute(update(SalesOrderLines).where(SalesOrderLines.sales_order_line_id == "SOL-1")
                     .values(requested_delivery_date=day(-3)))
    run = mrp.run_mrp(ctx, 30, PLANT)
    a = run.plans[("MAT-A", PLANT)]
    assert rows(a)[0] == (0, 30, 0, 0, 20, 20)  # 10 on hand - 30 past due: 20 planned today
    with pytest.raises(PermissionDenied):
        mrp.convert_planned_orders(context(sqlite_dbs, "warehouse_operator"), run.mrp_run_id)
    with pytest.raises(DomainError, match="no MRP run MRP-999999"):
        mrp.convert_planned_orders(ctx, "MRP-999999")
    first = mrp.convert_planned_orders(ctx, run.mrp_run_id)
    assert first["production_orders"] == 4 and first["requisition_lines"] == 1 and len(first["skipped_blocked"]) == 1
    again = mrp.convert_planned_orders(ctx, run.mrp_run_id)  # only unconverted planned orders: the blocked one
    assert again["production_orders"] == 0 and again["requisitions"] == [] and len(again["skipped_blocked"]) == 1
    with sqlite_dbs.connect("genims_erp_db") as conn:
        msgs = [m for (m,) in conn.execute(select(MrpElements.exception_message).where(
            MrpElements.element_type == "exception").order_by(MrpElements.element_id))]
    assert f"Past-due demand: SO-1 line 10 was due {day(-3)}" in msgs
    assert any(m.startswith("Past due: planned order for") for m in msgs)  # A due today, lead time 1


def test_make_material_without_bom_is_flagged(sqlite_dbs):
    build(sqlite_dbs)
    from sqlalchemy import delete

    from genims_tui.backend.models.erp import BillOfMaterials
    with sqlite_dbs.begin("genims_erp_db") as conn:
        conn.execute(delete(BomComponents).where(BomComponents.bom_id == "BOM-B"))
        conn.execute(delete(BillOfMaterials).where(BillOfMaterials.bom_id == "BOM-B"))
    run = mrp.run_mrp(context(sqlite_dbs, "inventory_manager"), 30, PLANT, create_orders=True)
    assert run.low_level_codes["MAT-C"] == 1
    with sqlite_dbs.connect("genims_erp_db") as conn:
        msgs = [m for (m,) in conn.execute(select(MrpElements.exception_message).where(
            MrpElements.element_type == "exception", MrpElements.material_id == "MAT-B"))]
        b_orders = conn.execute(select(ProductionOrders.bom_id).where(ProductionOrders.material_id == "MAT-B")).all()
    assert msgs == ["No active BOM for make material MAT-B; components not planned"]
    assert b_orders == [(None,), (None,)]
