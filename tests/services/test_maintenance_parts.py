"""Spare part issues: stock is conserved, the cost lands on the work order, refusals change nothing."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genims_tui.backend.errors import DomainError, NotFound
from genims_tui.backend.models.maintenance import MroParts, MroPartsTransactions, WorkOrders
from genims_tui.backend.services.maintenance import issue_part

from .maintenance_data import NOW, asset, audit_actions, create, ctx_for, part, row, rows, snapshot, technician, work_order


def test_issue_conserves_stock_costs_the_work_order_and_refuses_cleanly(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    technician(any_dbs)
    part(any_dbs, "MRO-000001", stock="10", cost="12.50")
    work_order(any_dbs, "MWO-000001", "in_progress", assigned_to="TECH-000001", actual_labor_cost=Decimal("40.00"))
    ctx = ctx_for(any_dbs, "maintenance_tech")

    first = issue_part(ctx, "MWO-000001", "MRO-000001", "3")
    second = issue_part(ctx, "MWO-000001", "MRO-000001", Decimal("2.5"))
    assert (first["stock_before"], first["stock_after"], second["stock_after"]) == (
        Decimal("10"), Decimal("7"), Decimal("4.5"))
    stored = row(any_dbs, MroParts, "MRO-000001")
    issued = Decimal("3") + Decimal("2.5")
    assert Decimal("10") == stored["current_stock"] + issued
    assert stored["total_stock_value"] == Decimal("56.25") and stored["last_issue_date"] == NOW.date()
    txns = rows(any_dbs, MroPartsTransactions, mro_part_id="MRO-000001")
    assert sorted(t["quantity"] for t in txns) == [Decimal("-3"), Decimal("-2.5")]
    assert -sum(t["quantity"] for t in txns) == issued
    assert {(t["transaction_type"], t["work_order_id"], t["asset_id"], t["issued_to"], t["issued_by"]) for t in txns} == {
        ("issue", "MWO-000001", "ASSET-000001", "TECH-000001", "USR-maintenance_tech")}
    assert sorted(t["total_cost"] for t in txns) == [Decimal("31.25"), Decimal("37.50")]
    assert first["transaction_id"].startswith("MROT-") and len(first["transaction_id"]) == 12
    wo = row(any_dbs, WorkOrders, "MWO-000001")
    assert (wo["actual_parts_cost"], wo["actual_total_cost"]) == (Decimal("68.75"), Decimal("108.75"))
    audit = [a for a in audit_actions(any_dbs) if a[0] == "maintenance.part.issue"]
    assert len(audit) == 2 and audit[0][1:] == ("MRO-000001", "USR-maintenance_tech")

    # Refusals say why and change nothing (4.5 EA of MRO-000001 are left).
    technician(any_dbs, "TECH-000002", is_active=False)
    part(any_dbs, "MRO-000002", stock="100", is_active=False, part_status="obsolete")
    work_order(any_dbs, "MWO-000002", "closed")
    work_order(any_dbs, "MWO-000003", "cancelled")
    before = snapshot(any_dbs)
    cases = [
        ("MWO-000001", "MRO-000001", "5", DomainError, "Only 4.5 EA of MRO-000001"),
        ("MWO-000001", "MRO-000001", "0", DomainError, "more than 0"),
        ("MWO-000001", "MRO-000001", "-1", DomainError, "more than 0"),
        ("MWO-000001", "MRO-000001", "lots", DomainError, "must be a number"),
        ("MWO-000001", "MRO-999999", "1", NotFound, "no MRO part MRO-999999"),
        ("MWO-999999", "MRO-000001", "1", NotFound, "no maintenance work order MWO-999999"),
        ("MWO-000002", "MRO-000001", "1", DomainError, "MWO-000002 is closed"),
        ("MWO-000003", "MRO-000001", "1", DomainError, "MWO-000003 is cancelled"),
        ("MWO-000001", "MRO-000002", "1", DomainError, "obsolete"),
    ]
    for wo, p, qty, error, message in cases:
        with pytest.raises(error, match=message):
            issue_part(ctx, wo, p, qty)
    with pytest.raises(DomainError, match="not active"):
        issue_part(ctx, "MWO-000001", "MRO-000001", "1", technician_id="TECH-000002")
    assert snapshot(any_dbs) == before
    # The whole stock can go, and then nothing more.
    assert issue_part(ctx, "MWO-000001", "MRO-000001", "4.5")["stock_after"] == Decimal("0")
    with pytest.raises(DomainError, match="Only 0 EA"):
        issue_part(ctx, "MWO-000001", "MRO-000001", "0.0001")


@pytest.fixture
def parts_estate(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    work_order(any_dbs, "MWO-000001", "in_progress")
    return any_dbs


SERIAL = itertools.count(1)
quantities = st.lists(st.decimals(min_value=Decimal("-2"), max_value=Decimal("8"), places=2, allow_nan=False,
                                  allow_infinity=False), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantities=quantities, stock=st.decimals(min_value=Decimal("0"), max_value=Decimal("20"), places=1))
def test_stock_before_equals_stock_after_plus_issued(parts_estate, quantities, stock):
    dbs = parts_estate
    part_id = f"MRO-P{next(SERIAL):06d}"
    part(dbs, part_id, stock=str(stock), cost="3.00")
    ctx = ctx_for(dbs)
    accepted = Decimal(0)
    for qty in quantities:
        try:
            issue_part(ctx, "MWO-000001", part_id, qty)
            accepted += qty
        except DomainError:
            assert qty <= 0 or qty > stock - accepted
    after = row(dbs, MroParts, part_id)["current_stock"]
    assert after >= 0
    assert stock == after + accepted
    assert -sum((t["quantity"] for t in rows(dbs, MroPartsTransactions, mro_part_id=part_id)), Decimal(0)) == accepted
