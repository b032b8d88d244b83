"""PM generation, corrective work orders from machine faults, technician assignment and MTBF / MTTR."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from genims_tui.backend.errors import DomainError
from genims_tui.backend.models.maintenance import (
    AssetReliabilityMetrics,
    CmmsIntegrationLog,
    PmGenerationLog,
    PmSchedules,
    WorkOrders,
)
from genims_tui.backend.services.maintenance import assign_technicians
from genims_tui.backend.services.maintenance_planning import (
    add_months,
    compute_reliability,
    create_corrective_work_orders,
    generate_pm_work_orders,
)

from .maintenance_data import (
    TODAY,
    add,
    asset,
    create,
    ctx_for,
    fault,
    row,
    rows,
    schedule,
    snapshot,
    technician,
    work_order,
)

D = dt.timedelta


def test_pm_generation_creates_one_work_order_per_due_occurrence_once_and_advances_next_due(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    schedule(any_dbs, "PMS-000001", TODAY + D(days=3))                        # within the 7-day lead time
    schedule(any_dbs, "PMS-000002", TODAY + D(days=10))                       # not yet
    schedule(any_dbs, "PMS-000003", TODAY - D(days=65))                       # overdue: -65, -35, -5
    schedule(any_dbs, "PMS-000004", TODAY, is_active=False)
    schedule(any_dbs, "PMS-000005", TODAY, auto_generate_wo=False)
    schedule(any_dbs, "PMS-000006", TODAY, frequency_type="meter", frequency_value=None, frequency_unit=None,
             schedule_type="meter", meter_frequency=500)
    schedule(any_dbs, "PMS-000007", TODAY, frequency_value=1, frequency_unit="months", lead_time_days=0)
    schedule(any_dbs, "PMS-000008", TODAY + D(days=1))                        # this occurrence was generated already
    add(any_dbs, PmGenerationLog, {"log_id": "PMGL-000001", "pm_schedule_id": "PMS-000008", "trigger_date": TODAY + D(days=1),
                                   "generation_status": "success", "work_order_id": None})
    ctx = ctx_for(any_dbs, "maintenance_tech")

    result = generate_pm_work_orders(ctx)
    made = sorted((c["pm_schedule_id"], c["due"]) for c in result["created"])
    assert made == [
        ("PMS-000001", TODAY + D(days=3)),
        ("PMS-000003", TODAY - D(days=65)), ("PMS-000003", TODAY - D(days=35)), ("PMS-000003", TODAY - D(days=5)),
        ("PMS-000007", TODAY),
    ]
    assert [s["pm_schedule_id"] for s in result["skipped"]] == ["PMS-000006"]
    due = {s["pm_schedule_id"]: s["next_due_date"] for s in rows(any_dbs, PmSchedules)}
    assert due == {
        "PMS-000001": TODAY + D(days=33), "PMS-000002": TODAY + D(days=10), "PMS-000003": TODAY + D(days=25),
        "PMS-000004": TODAY, "PMS-000005": TODAY, "PMS-000006": TODAY, "PMS-000007": dt.date(2026, 12, 20),
        "PMS-000008": TODAY + D(days=31),
    }
    wo = row(any_dbs, WorkOrders, [c for c in result["created"] if c["pm_schedule_id"] == "PMS-000001"][0]["work_order_id"])
    assert (wo["wo_type"], wo["wo_status"], wo["source_type"], wo["source_document_id"], wo["scheduled_start_date"],
            wo["estimated_duration_hours"], wo["priority"]) == (
        "preventive", "created", "pm_schedule", "PMS-000001", TODAY + D(days=3), Decimal("2.50"), "high")
    assert wo["work_order_id"].startswith("MWO-") and wo["status_history"][0]["status"] == "created"
    assert row(any_dbs, PmSchedules, "PMS-000001")["last_wo_id"] == wo["work_order_id"]
    logs = rows(any_dbs, PmGenerationLog, pm_schedule_id="PMS-000003")
    assert sorted((r["trigger_date"], r["generation_reason"]) for r in logs) == [
        (TODAY - D(days=65), "overdue"), (TODAY - D(days=35), "overdue"), (TODAY - D(days=5), "overdue")]

    before = snapshot(any_dbs)
    again = generate_pm_work_orders(ctx)
    assert again["created"] == [] and again["schedules_advanced"] == 0
    assert snapshot(any_dbs) == before

    # A month on, the next occurrences come due: one more each, never a repeat.
    later = generate_pm_work_orders(ctx, today=TODAY + D(days=30))
    assert sorted(c["pm_schedule_id"] for c in later["created"]) == ["PMS-000001", "PMS-000002", "PMS-000003",
                                                                      "PMS-000007", "PMS-000008"]
    pairs = [(w["source_document_id"], w["scheduled_start_date"]) for w in rows(any_dbs, WorkOrders)]
    assert len(pairs) == len(set(pairs)) == 10


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 12) == dt.date(2027, 12, 15)


def test_corrective_work_orders_once_per_unresolved_critical_or_major_fault(any_dbs):
    create(any_dbs, operations=True)
    asset(any_dbs, "ASSET-000001", "MACH-000001")
    asset(any_dbs, "ASSET-000002", "MACH-000002")
    asset(any_dbs, "ASSET-000003", "MACH-000002", parent_asset_id="ASSET-000002")  # a component: not chosen
    critical = fault(any_dbs, "critical", "MACH-000001")
    major = fault(any_dbs, "major", "MACH-000002")
    fault(any_dbs, "minor", "MACH-000001")
    fault(any_dbs, "critical", "MACH-000001", resolved=True)
    orphan = fault(any_dbs, "critical", "MACH-000099")
    covered = fault(any_dbs, "major", "MACH-000001")
    work_order(any_dbs, "MWO-000900", machine_fault_id=str(covered), source_type="machine_fault")
    ctx = ctx_for(any_dbs, "maintenance_manager")

    result = create_corrective_work_orders(ctx)
    got = {c["fault_id"]: c for c in result["created"]}
    assert set(got) == {critical, major}
    assert [s["fault_id"] for s in result["skipped"]] == [orphan]
    wo_c = row(any_dbs, WorkOrders, got[critical]["work_order_id"])
    assert (wo_c["asset_id"], wo_c["machine_fault_id"], wo_c["source_type"], wo_c["source_document_id"],
            wo_c["priority"], wo_c["wo_type"], wo_c["wo_status"]) == (
        "ASSET-000001", str(critical), "machine_fault", str(critical), "critical", "breakdown", "created")
    wo_m = row(any_dbs, WorkOrders, got[major]["work_order_id"])
    assert (wo_m["asset_id"], wo_m["priority"], wo_m["wo_type"]) == ("ASSET-000002", "high", "corrective")
    assert len(rows(any_dbs, CmmsIntegrationLog)) == 2

    before = snapshot(any_dbs)
    assert create_corrective_work_orders(ctx)["created"] == []
    assert snapshot(any_dbs) == before

    newer = fault(any_dbs, "major", "MACH-000002")
    assert [c["fault_id"] for c in create_corrective_work_orders(ctx)["created"]] == [newer]
    per_fault = [w["machine_fault_id"] for w in rows(any_dbs, WorkOrders) if w["machine_fault_id"]]
    assert sorted(per_fault) == sorted({str(critical), str(major), str(covered), str(newer)})


def test_assignment_balances_scheduled_unassigned_work_orders(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    technician(any_dbs, "TECH-000003", available_for_callout=False)
    technician(any_dbs, "TECH-000004", is_active=False)
    technician(any_dbs, "TECH-000006", technician_status="on_leave")
    work_order(any_dbs, "MWO-000200", "scheduled", scheduled_start_date=TODAY, scheduled_end_date=TODAY)
    ctx = ctx_for(any_dbs, "maintenance_manager")
    before = snapshot(any_dbs)
    with pytest.raises(DomainError, match="No technician is available"):
        assign_technicians(ctx)
    assert snapshot(any_dbs) == before

    for t in ("TECH-000001", "TECH-000002", "TECH-000005"):
        technician(any_dbs, t)
    for n in (1, 2):
        work_order(any_dbs, f"MWO-00010{n}", "in_progress", assigned_to="TECH-000001",
                   actual_start_date=dt.datetime(2026, 11, 20, 6))
    work_order(any_dbs, "MWO-000103", "assigned", assigned_to="TECH-000005")
    work_order(any_dbs, "MWO-000104", "closed", assigned_to="TECH-000002")  # closed: not open work
    sched = dict(scheduled_start_date=TODAY, scheduled_end_date=TODAY)
    work_order(any_dbs, "MWO-000201", "scheduled", priority="high", **sched)
    work_order(any_dbs, "MWO-000202", "scheduled", priority="critical", **sched)
    work_order(any_dbs, "MWO-000203", "scheduled", priority="low", **sched)
    work_order(any_dbs, "MWO-000204", "scheduled", assigned_to="TECH-000001", **sched)  # assigned already
    work_order(any_dbs, "MWO-000205", "planned")                                        # not schedulable yet

    before = snapshot(any_dbs)
    with pytest.raises(DomainError, match="MWO-000205 is planned"):
        assign_technicians(ctx, ["MWO-000201", "MWO-000205"])
    assert snapshot(any_dbs) == before

    result = assign_technicians(ctx)
    assert [(a["work_order_id"], a["technician_id"]) for a in result["assigned"]] == [
        ("MWO-000202", "TECH-000002"), ("MWO-000200", "TECH-000002"), ("MWO-000201", "TECH-000005"),
        ("MWO-000203", "TECH-000002")]  # open work before: TECH-000001 3, TECH-000002 0, TECH-000005 1
    for wo_id, tech in (("MWO-000202", "TECH-000002"), ("MWO-000201", "TECH-000005")):
        wo = row(any_dbs, WorkOrders, wo_id)
        assert (wo["wo_status"], wo["assigned_to"], wo["status_history"][-1]["technician"]) == ("assigned", tech, tech)
    assert row(any_dbs, WorkOrders, "MWO-000204")["wo_status"] == "scheduled"
    assert assign_technicians(ctx)["assigned"] == []


def test_mtbf_and_mttr_on_a_hand_computed_example(any_dbs):
    create(any_dbs)
    asset(any_dbs, "ASSET-000001")
    asset(any_dbs, "ASSET-000002", "MACH-000002")
    t = dt.datetime
    done = dict(asset_id="ASSET-000001")
    work_order(any_dbs, "MWO-000001", "closed", actual_start_date=t(2026, 10, 5, 8), actual_end_date=t(2026, 10, 5, 10),
               actual_labor_cost=Decimal("80.00"), actual_parts_cost=Decimal("20.00"), **done)            # 2 h
    work_order(any_dbs, "MWO-000002", "completed", wo_type="breakdown", actual_start_date=t(2026, 10, 12, 14),
               actual_end_date=t(2026, 10, 12, 18), actual_duration_hours=Decimal("4.00"), **done)          # 4 h
    work_order(any_dbs, "MWO-000003", "completed", actual_start_date=t(2026, 10, 20, 0),
               actual_end_date=t(2026, 10, 20, 6), **done)                                                 # 6 h
    work_order(any_dbs, "MWO-000004", "in_progress", actual_start_date=t(2026, 10, 25, 0), **done)         # open
    work_order(any_dbs, "MWO-000005", "closed", actual_start_date=t(2026, 9, 28, 0),
               actual_end_date=t(2026, 9, 28, 5), **done)                                                  # September
    work_order(any_dbs, "MWO-000006", "closed", wo_type="preventive", downtime_minutes=120,
               actual_start_date=t(2026, 10, 15, 6), actual_end_date=t(2026, 10, 15, 8), **done)           # planned 2 h
    add(any_dbs, AssetReliabilityMetrics, {"metric_id": "ARM-0000001", "asset_id": "ASSET-000002",
                                           "period_start_date": dt.date(2026, 10, 1),
                                           "period_end_date": dt.date(2026, 10, 31), "number_of_failures": 9,
                                           "mtbf_hours": Decimal("1.00")})
    ctx = ctx_for(any_dbs, "maintenance_manager")

    # October: 31 days = 744 h; failures 2 + 4 + 6 = 12 h over 3; planned 2 h; operating 744 - 14 = 730 h.
    metrics = {m["asset_id"]: m for m in compute_reliability(ctx)}  # default: the previous month (October)
    a = metrics["ASSET-000001"]
    assert (a["period_start"], a["period_end"], a["period_type"]) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), "monthly")
    assert a["number_of_failures"] == 3
    assert a["mttr_hours"] == Decimal("4.00")
    assert a["mtbf_hours"] == Decimal("243.33")
    assert (a["operating_hours"], a["unplanned_downtime_hours"], a["planned_downtime_hours"]) == (
        Decimal("730.00"), Decimal("12.00"), Decimal("2.00"))
    assert a["availability_pct"] == Decimal("98.12")
    assert (a["labor_cost"], a["parts_cost"], a["pm_work_orders"], a["breakdown_work_orders"]) == (
        Decimal("80.00"), Decimal("20.00"), 1, 1)
    b = metrics["ASSET-000002"]
    assert (b["number_of_failures"], b["mtbf_hours"], b["mttr_hours"], b["operating_hours"]) == (
        0, None, None, Decimal("744.00"))
    assert b["metric_id"] == "ARM-0000001" and not b["created"]  # the existing row is updated, not repeated
    stored = {r["asset_id"]: r for r in rows(any_dbs, AssetReliabilityMetrics)}
    assert len(stored) == 2 and stored["ASSET-000001"]["mtbf_hours"] == Decimal("243.33")
    assert stored["ASSET-000002"]["number_of_failures"] == 0

    before = snapshot(any_dbs)
    again = compute_reliability(ctx, "2026-10-01", "2026-10-31", asset_id="ASSET-000001")
    assert [(m["metric_id"], m["mtbf_hours"], m["created"]) for m in again] == [
        (a["metric_id"], Decimal("243.33"), False)]
    assert snapshot(any_dbs) == before
    with pytest.raises(DomainError, match="before it starts"):
        compute_reliability(ctx, "2026-10-31", "2026-10-01")
