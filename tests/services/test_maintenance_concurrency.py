"""Concurrent callers: stock is never oversold, a PM occurrence or a fault never gets two work orders,
and two people moving one work order cannot both win."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.maintenance import MroParts, MroPartsTransactions, WorkOrders
from genims_tui.backend.services.maintenance import issue_part, transition_work_order
from genims_tui.backend.services.maintenance_planning import create_corrective_work_orders, generate_pm_work_orders

from .maintenance_data import TODAY, asset, create, ctx_for, fault, part, row, rows, schedule, work_order


def attempt(call):
    try:
        return call()
    except DomainError as exc:
        return exc


def test_concurrent_callers_never_double_apply(any_dbs):
    create(any_dbs, operations=True)
    asset(any_dbs)
    part(any_dbs, "MRO-000001", stock="10")
    work_order(any_dbs, "MWO-000001", "in_progress")
    work_order(any_dbs, "MWO-000002", "created")
    for n in range(1, 4):
        schedule(any_dbs, f"PMS-00000{n}", TODAY)
    faults = [fault(any_dbs, "critical") for _ in range(3)]

    def ctx():  # one context per caller, as each request or job has its own
        return ctx_for(any_dbs)

    with ThreadPoolExecutor(max_workers=4) as pool:
        issues = list(pool.map(lambda _: attempt(lambda: issue_part(ctx(), "MWO-000001", "MRO-000001", "3")), range(4)))
        pm_runs = list(pool.map(lambda _: generate_pm_work_orders(ctx()), range(3)))
        fault_runs = list(pool.map(lambda _: create_corrective_work_orders(ctx()), range(3)))
        moves = list(pool.map(lambda h: attempt(lambda: transition_work_order(
            ctx(), "MWO-000002", "planned", {"estimated_duration_hours": h})), ["1", "2", "3"]))

    assert sum(isinstance(r, dict) for r in issues) == 3
    assert [str(r) for r in issues if isinstance(r, DomainError)][0].startswith("Only 1 EA of MRO-000001")
    assert row(any_dbs, MroParts, "MRO-000001")["current_stock"] == Decimal("1")
    assert -sum(t["quantity"] for t in rows(any_dbs, MroPartsTransactions)) == Decimal("9")

    assert sum(len(r["created"]) for r in pm_runs) == 3
    assert sorted(w["source_document_id"] for w in rows(any_dbs, WorkOrders, source_type="pm_schedule")) == [
        "PMS-000001", "PMS-000002", "PMS-000003"]
    assert sum(len(r["created"]) for r in fault_runs) == 3
    assert sorted(w["machine_fault_id"] for w in rows(any_dbs, WorkOrders, source_type="machine_fault")) == sorted(
        str(f) for f in faults)

    assert sum(isinstance(r, dict) for r in moves) == 1
    history = row(any_dbs, WorkOrders, "MWO-000002")["status_history"]
    assert [h["status"] for h in history] == ["created", "planned"]
