"""MES -> ERP confirmation: stock, cost, variance and GL exactly once, resumable after a crash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.erp import ErpMesSyncLog, InventoryTransactions, ProductionOrders
from genims_tui.backend.models.financial import JournalEntryHeaders
from genims_tui.backend.models.manufacturing import WorkOrderOperations, WorkOrders
from genims_tui.backend.services import finance, production

from .production_estate import COMP_A, COMP_B, FG, account_balance, add_order, build, context, journal, ledger, stock


def released(dbs, **kw):
    ctx = build(dbs, **kw)
    wo = production.release_production_order(ctx, "PRD-000001")["work_order_id"]
    return ctx, wo


def snapshot(dbs):
    with dbs.connect("genims_erp_db") as conn:
        itx = conn.execute(select(func.count()).select_from(InventoryTransactions)).scalar()
        logs = conn.execute(select(func.count()).select_from(ErpMesSyncLog)).scalar()
        po = tuple(conn.execute(select(ProductionOrders.system_status, ProductionOrders.delivered_quantity,
                                       ProductionOrders.actual_costs)).one())
    with dbs.connect("genims_financial_db") as conn:
        jes = conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar()
    with dbs.connect("genims_manufacturing_db") as conn:
        wo = tuple(conn.execute(select(WorkOrders.status, WorkOrders.good_quantity)).one())
    return itx, logs, po, jes, wo, stock(dbs, FG), stock(dbs, COMP_A), stock(dbs, COMP_B)


def test_confirmation_hand_computed_example(any_dbs):
    ctx, wo = released(any_dbs)
    res = production.confirm_work_order(context(any_dbs, "production_manager"), wo, good=9, scrap=1, labour_hours="2.5")
    assert (res["materials"], res["labour"], res["actual"], res["standard"], res["variance"]) == (
        "104.00", "100.00", "204.00", "180.00", "24.00")
    # stock: FG +9, A -20, B -5.5; balances equal their ledgers
    assert (stock(any_dbs, FG), stock(any_dbs, COMP_A), stock(any_dbs, COMP_B)) == (9, 80, Decimal("34.5"))
    for m in (FG, COMP_A, COMP_B):
        assert stock(any_dbs, m) == ledger(any_dbs, m)
    with any_dbs.connect("genims_erp_db") as conn:
        po = conn.execute(select(ProductionOrders)).one()
        moves = conn.execute(select(InventoryTransactions.movement_type, InventoryTransactions.amount)
                             .where(InventoryTransactions.work_order_id == wo)
                             .order_by(InventoryTransactions.movement_type, InventoryTransactions.material_id)).all()
        log = conn.execute(select(ErpMesSyncLog).where(ErpMesSyncLog.sync_direction == "MES_TO_ERP")).one()
    assert po.system_status == "completed" and po.delivered_quantity == 9 and po.scrap_quantity == 1
    assert po.actual_costs == Decimal("204.00") and po.variance_amount == Decimal("24.00")
    assert [(m, Decimal(str(a))) for m, a in moves] == [("101", Decimal("180.00")), ("261", Decimal("-60.00")),
                                                        ("261", Decimal("-44.00"))]
    assert log.document_id == wo and log.sync_data["good_quantity"] == 9
    with any_dbs.connect("genims_manufacturing_db") as conn:
        w = conn.execute(select(WorkOrders)).one()
        ops = conn.execute(select(WorkOrderOperations.status, WorkOrderOperations.labor_hours)).all()
    assert (w.status, w.produced_quantity, w.good_quantity, w.scrapped_quantity) == ("completed", 10, 9, 1)
    assert w.actual_end_time is not None and {o.status for o in ops} == {"completed"}
    # GL: balanced entries, WIP cleared, variance on 5100, trial balance 0
    lines = journal(any_dbs)
    assert sum(d for *_, d, _c in lines) == sum(c for *_, c in lines) == Decimal("408.00")
    assert account_balance(any_dbs, "1310") == 0
    assert account_balance(any_dbs, "5100") == Decimal("24.00") and account_balance(any_dbs, "1320") == Decimal("180.00")
    assert account_balance(any_dbs, "1300") == Decimal("-104.00") and account_balance(any_dbs, "5200") == Decimal("-100.00")
    assert finance.trial_balance(ctx)["total_balance"] == 0

    before = snapshot(any_dbs)
    again = production.confirm_work_order(ctx, wo, good=9, scrap=1, labour_hours="2.5")
    assert again["applied"] is False and again["variance"] == "24.00"
    assert snapshot(any_dbs) == before
    with pytest.raises(DomainError, match=f"{wo} is confirmed already"):
        production.confirm_work_order(ctx, wo, good=8, scrap=2)
    assert snapshot(any_dbs) == before


def test_explicit_materials_and_refusal_naming_the_component(sqlite_dbs):
    ctx, wo = released(sqlite_dbs, stock_b=Decimal("2"))
    before = snapshot(sqlite_dbs)
    with pytest.raises(DomainError, match=f"Not enough stock of component {COMP_B} at FAC-000001: 2 there, 5.5 needed"):
        production.confirm_work_order(ctx, wo, good=10)
    assert snapshot(sqlite_dbs) == before
    assert production.sync_status(ctx, production.CONFIRM, wo) is None
    res = production.confirm_work_order(ctx, wo, good=10, materials=[{"material_id": COMP_A, "quantity": "21"},
                                                                     {"material_id": COMP_B, "quantity": "2", "batch": "B0"}])
    assert res["materials"] == "79.00" and res["labour"] == "0.00" and res["variance"] == "-121.00"
    assert stock(sqlite_dbs, COMP_B) == 0 and stock(sqlite_dbs, COMP_A) == 79 and stock(sqlite_dbs, FG) == 10


def test_crash_after_mes_part_is_resumed_once(any_dbs, monkeypatch):
    ctx, wo = released(any_dbs)
    real = production.post_movement
    state = {"failed": False}

    def dies_once(*a, **k):
        if not state["failed"]:
            state["failed"] = True
            raise RuntimeError("process killed before the ERP part")
        return real(*a, **k)

    monkeypatch.setattr(production, "post_movement", dies_once)
    with pytest.raises(RuntimeError):
        production.confirm_work_order(ctx, wo, good=9, scrap=1, labour_hours="2.5")
    rec = production.sync_status(ctx, production.CONFIRM, wo)
    assert rec["status"] == "failed" and rec["attempts"] == 1
    with any_dbs.connect("genims_manufacturing_db") as conn:
        assert conn.execute(select(WorkOrders.status)).scalar() == "completed"  # MES part done
    assert stock(any_dbs, FG) == 0 and journal(any_dbs) == []  # ERP part rolled back entirely

    res = production.confirm_work_order(ctx, wo, good=9, scrap=1, labour_hours="2.5")
    assert res["resumed"] and res["variance"] == "24.00"
    assert production.sync_status(ctx, production.CONFIRM, wo)["status"] == "done"
    assert stock(any_dbs, FG) == 9 and stock(any_dbs, COMP_A) == 80
    with any_dbs.connect("genims_financial_db") as conn:
        assert conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar() == 3
    assert finance.trial_balance(ctx)["total_balance"] == 0


def test_crash_after_erp_part_posts_gl_once(sqlite_dbs, monkeypatch):
    ctx, wo = released(sqlite_dbs)
    real = finance.post_for_source
    state = {"n": 0}

    def dies_on_second(*a, **k):
        state["n"] += 1
        if state["n"] == 2:
            raise RuntimeError("finance database went away")
        return real(*a, **k)

    monkeypatch.setattr(finance, "post_for_source", dies_on_second)
    with pytest.raises(RuntimeError):
        production.confirm_work_order(ctx, wo, good=9, scrap=1, labour_hours="2.5")
    assert production.sync_status(ctx, production.CONFIRM, wo)["status"] == "failed"
    assert stock(sqlite_dbs, FG) == 9 and len({s for s, *_ in journal(sqlite_dbs)}) == 1
    production.confirm_work_order(ctx, wo, good=9, scrap=1, labour_hours="2.5")
    with sqlite_dbs.connect("genims_financial_db") as conn:
        assert conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar() == 3
    assert stock(sqlite_dbs, FG) == 9 and account_balance(sqlite_dbs, "1310") == 0


def test_roles_and_bad_input(sqlite_dbs):
    ctx, wo = released(sqlite_dbs)
    before = snapshot(sqlite_dbs)
    for role in ("warehouse_operator", "planner", "viewer"):
        with pytest.raises(PermissionDenied):
            production.confirm_work_order(context(sqlite_dbs, role), wo, good=9)
    cases = [
        (dict(good=-1), "Good quantity must be at least 0"),
        (dict(good=5, scrap="x"), "Scrap quantity must be a number"),
        (dict(good="2.5"), "whole number"),
        (dict(good=0), "needs a quantity"),
        (dict(good=10, rejected=2), r"more than the planned 10 plus 10 % tolerance"),
        (dict(good=5, rework=6), "Rework quantity 6 is more than the good quantity 5"),
        (dict(good=5, labour_hours=-1), "Labour hours must be at least 0"),
        (dict(good=5, materials=[{"material_id": COMP_A, "quantity": 0}]), "must be more than 0"),
        (dict(good=5, materials=[{"quantity": 1}]), "has no material_id"),
    ]
    for kwargs, message in cases:
        with pytest.raises(DomainError, match=message):
            production.confirm_work_order(ctx, wo, **kwargs)
    with pytest.raises(NotFound, match="no work order WO-999999"):
        production.confirm_work_order(ctx, "WO-999999", good=1)
    assert snapshot(sqlite_dbs) == before
    # 11 of 10 is inside the tolerance
    assert production.confirm_work_order(ctx, wo, good=11)["standard"] == "220.00"


def test_a_completed_work_order_without_sync_record_is_refused(sqlite_dbs):
    ctx, wo = released(sqlite_dbs)
    from sqlalchemy import update

    with sqlite_dbs.begin("genims_manufacturing_db") as conn:
        conn.execute(update(WorkOrders).values(status="completed"))
    with pytest.raises(DomainError, match=f"{wo} is completed already"):
        production.confirm_work_order(ctx, wo, good=1)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(confirmations=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 3), st.integers(0, 3),
                                        st.decimals(0, 8, places=2)), min_size=1, max_size=4))
def test_any_confirmations_balance_and_conserve_stock(tmp_path_factory, confirmations):
    from genims_tui.backend.databases import Databases
    from genims_tui.config import load_settings

    from conftest import sqlite_env

    dbs = Databases(load_settings(environ=sqlite_env(tmp_path_factory.mktemp("prop"))))
    try:
        ctx = build(dbs, orders=len(confirmations), stock_a=Decimal("50"), stock_b=Decimal("12"))
        initial = {m: stock(dbs, m) for m in (COMP_A, COMP_B)}
        for n, (good, rej, scrap, hours) in enumerate(confirmations, 1):
            wo = production.release_production_order(ctx, f"PRD-{n:06d}")["work_order_id"]
            try:
                production.confirm_work_order(ctx, wo, good=good, rejected=rej, scrap=scrap, labour_hours=hours)
            except DomainError:
                continue
        for m in (FG, COMP_A, COMP_B):
            assert stock(dbs, m) == ledger(dbs, m) >= 0
        with dbs.connect("genims_erp_db") as conn:
            issued = {m: -Decimal(str(q)) for m, q in conn.execute(
                select(InventoryTransactions.material_id, func.sum(InventoryTransactions.quantity))
                .where(InventoryTransactions.movement_type == "261").group_by(InventoryTransactions.material_id))}
            delivered = conn.execute(select(func.coalesce(func.sum(ProductionOrders.delivered_quantity), 0))).scalar()
        for m in (COMP_A, COMP_B):
            assert stock(dbs, m) + issued.get(m, 0) == initial[m]
        assert stock(dbs, FG) == Decimal(str(delivered))
        lines = journal(dbs)
        assert sum(d for *_, d, _c in lines) == sum(c for *_, c in lines)
        assert account_balance(dbs, "1310") == 0
        assert finance.trial_balance(ctx)["total_balance"] == 0
    finally:
        dbs.dispose()


def test_confirming_needs_a_released_production_order(sqlite_dbs):
    ctx = build(sqlite_dbs)
    add_order(sqlite_dbs, "PRD-000002")
    wo = production.release_production_order(ctx, "PRD-000002")["work_order_id"]
    from sqlalchemy import update

    with sqlite_dbs.begin("genims_erp_db") as conn:
        conn.execute(update(ProductionOrders).where(ProductionOrders.production_order_id == "PRD-000002")
                     .values(system_status="closed"))
    with pytest.raises(DomainError, match="Production order PRD-000002 is closed"):
        production.confirm_work_order(ctx, wo, good=1)


def test_concurrent_release_and_confirmation_apply_once(any_dbs):
    from concurrent.futures import ThreadPoolExecutor

    ctx = build(any_dbs)

    def attempt(call):
        try:
            return call()
        except DomainError as exc:  # "released already" for the losers of the race is fine
            return exc

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: attempt(lambda: production.release_production_order(ctx, "PRD-000001")), range(4)))
    wos = {r["work_order_id"] for r in results if isinstance(r, dict)}
    assert len(wos) == 1
    wo = wos.pop()
    with any_dbs.connect("genims_manufacturing_db") as conn:
        assert conn.execute(select(func.count()).select_from(WorkOrders)).scalar() == 1
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: attempt(lambda: production.confirm_work_order(ctx, wo, good=9, scrap=1, labour_hours="2.5")),
                      range(4)))
    assert production.sync_status(ctx, production.CONFIRM, wo)["status"] == "done"
    assert stock(any_dbs, FG) == 9 and stock(any_dbs, COMP_A) == 80 and stock(any_dbs, COMP_B) == Decimal("34.5")
    with any_dbs.connect("genims_financial_db") as conn:
        assert conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar() == 3
    assert account_balance(any_dbs, "1310") == 0 and finance.trial_balance(ctx)["total_balance"] == 0
