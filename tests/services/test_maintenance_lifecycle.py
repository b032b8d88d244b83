"""The maintenance work order lifecycle: every step's fields, history, costs, refusals and a property
test that no sequence of attempts reaches an illegal state."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from genims_tui.backend.access import AccessStore
from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.maintenance import MaintenanceTechnicians, WorkOrders
from genims_tui.backend.services.maintenance import (
    STATES,
    TRANSITION_RULES,
    TRANSITIONS,
    issue_part,
    list_work_orders,
    transition_work_order,
)

from .maintenance_data import (
    NOW,
    asset,
    audit_actions,
    create,
    ctx_for,
    labor,
    part,
    row,
    snapshot,
    technician,
    work_order,
)


def test_full_lifecycle_sets_fields_history_costs_and_audit(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    technician(any_dbs)
    part(any_dbs, stock="5", cost="12.50")
    wo = work_order(any_dbs, "MWO-000001")
    mgr = ctx_for(any_dbs, "maintenance_manager")
    tech = ctx_for(any_dbs, "maintenance_tech")

    assert transition_work_order(tech, wo, "planned", {"estimated_duration_hours": "3.5"})["wo_status"] == "planned"
    transition_work_order(tech, wo, "scheduled", {"scheduled_start_date": "2026-11-20", "scheduled_end_date": "2026-11-21"})
    transition_work_order(tech, wo, "assigned", {"technician": "TECH-000001"})
    assert row(any_dbs, WorkOrders, wo)["assigned_to"] == "TECH-000001"
    transition_work_order(tech, wo, "in-progress", {"actual_start_date": "2026-11-20T06:00"})
    busy = row(any_dbs, MaintenanceTechnicians, "TECH-000001")
    assert (busy["technician_status"], busy["current_wo_id"]) == ("busy", wo)

    labor(any_dbs, "LTE-0000001", wo, "2.00")            # 80.00
    labor(any_dbs, "LTE-0000002", wo, "1.50", "50.00")   # 75.00
    issue_part(tech, wo, "MRO-000001", "2")              # 25.00
    done = transition_work_order(tech, wo, "completed", {"work_performed": "Replaced bearing",
                                                         "actual_end_date": "2026-11-20T09:15"})
    assert done["wo_status"] == "completed"
    assert (done["actual_labor_cost"], done["actual_parts_cost"], done["actual_total_cost"]) == (
        Decimal("155.00"), Decimal("25.00"), Decimal("180.00"))
    assert done["actual_duration_hours"] == Decimal("3.25")
    freed = row(any_dbs, MaintenanceTechnicians, "TECH-000001")
    assert (freed["technician_status"], freed["current_wo_id"], freed["total_wos_completed"]) == ("available", None, 1)

    with pytest.raises(PermissionDenied, match="Maintenance Manager"):
        transition_work_order(tech, wo, "closed")
    closed = transition_work_order(mgr, wo, "closed", {"verification_notes": "Runs to spec"})
    assert closed["wo_status"] == "closed"
    final = row(any_dbs, WorkOrders, wo)
    assert final["approved_by"] == "USR-maintenance_manager" and final["approved_at"] == NOW
    assert [h["status"] for h in final["status_history"]] == [
        "created", "planned", "scheduled", "assigned", "in_progress", "completed", "closed"]
    assert final["status_history"][-1] == {"status": "closed", "from": "completed", "at": NOW.isoformat(),
                                           "by": "USR-maintenance_manager"}
    actions = [a for a, _, _ in audit_actions(any_dbs)]
    assert actions == ["maintenance.wo.planned", "maintenance.wo.scheduled", "maintenance.wo.assigned",
                       "maintenance.wo.in_progress", "maintenance.part.issue", "maintenance.wo.completed",
                       "maintenance.wo.closed"]
    planned = [r for r in AccessStore(any_dbs).audit_trail() if r["action"] == "maintenance.wo.planned"][0]
    assert (planned["entity_id"], planned["database_name"], planned["user_id"]) == (
        wo, "genims_maintenance_db", "USR-maintenance_tech")
    assert planned["before"] == {"estimated_duration_hours": None, "wo_status": "created"}
    assert planned["after"] == {"estimated_duration_hours": "3.5", "wo_status": "planned"}
    listed = list_work_orders(mgr, status="closed")
    assert [w["work_order_id"] for w in listed] == [wo] and listed[0]["allowed_next"] == []


def test_each_step_refuses_missing_or_bad_fields_and_changes_nothing(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    technician(any_dbs)
    technician(any_dbs, "TECH-000002", is_active=False)
    mgr = ctx_for(any_dbs)
    work_order(any_dbs, "MWO-000001")
    work_order(any_dbs, "MWO-000002", "planned", estimated_duration_hours=Decimal("2"))
    work_order(any_dbs, "MWO-000003", "scheduled", scheduled_start_date=dt.date(2026, 11, 20),
               scheduled_end_date=dt.date(2026, 11, 20))
    work_order(any_dbs, "MWO-000004", "assigned", assigned_to="TECH-000001")
    work_order(any_dbs, "MWO-000005", "in_progress", assigned_to="TECH-000001",
               actual_start_date=dt.datetime(2026, 11, 20, 7, 0))
    before = snapshot(any_dbs)
    refusals = [
        ("MWO-000001", "planned", {}, "needs estimated_duration_hours"),
        ("MWO-000001", "planned", {"estimated_duration_hours": "0"}, "more than 0"),
        ("MWO-000001", "planned", {"estimated_duration_hours": "abc"}, "must be a number"),
        ("MWO-000001", "planned", {"assigned_to": "TECH-000001"}, "cannot be set when moving"),
        ("MWO-000001", "completed", {}, "Allowed next: planned, cancelled"),
        ("MWO-000001", "cancelled", {}, "needs reason"),
        ("MWO-000002", "scheduled", {"scheduled_start_date": "2026-11-22"}, "needs scheduled_end_date"),
        ("MWO-000002", "scheduled", {"scheduled_start_date": "2026-11-22", "scheduled_end_date": "2026-11-21"},
         "before its scheduled start"),
        ("MWO-000002", "scheduled", {"scheduled_start_date": "22/11/2026", "scheduled_end_date": "2026-11-21"},
         "must be a date"),
        ("MWO-000003", "assigned", {}, "needs assigned_to"),
        ("MWO-000003", "assigned", {"technician": "TECH-999999"}, "no maintenance technician TECH-999999"),
        ("MWO-000003", "assigned", {"technician": "TECH-000002"}, "not active"),
        ("MWO-000004", "in_progress", {}, "needs actual_start_date"),
        ("MWO-000004", "in_progress", {"actual_start_date": "2026-11-21T08:00"}, "in the future"),
        ("MWO-000005", "completed", {"actual_end_date": "2026-11-20T08:00"}, "needs work_performed"),
        ("MWO-000005", "completed", {"work_performed": "x", "actual_end_date": "2026-11-20T06:00"},
         "before its actual start"),
        ("MWO-000005", "closed", {}, "Allowed next: completed, cancelled"),
        ("MWO-000005", "created", {}, "starts as created"),
        ("MWO-000005", "done", {}, "not a work order state"),
        ("MWO-999999", "planned", {"estimated_duration_hours": "1"}, "no maintenance work order MWO-999999"),
    ]
    for wo, state, fields, message in refusals:
        with pytest.raises(DomainError, match=message):
            transition_work_order(mgr, wo, state, fields)
    assert snapshot(any_dbs) == before

    # A work order already carrying its fields moves on without any; cancelling needs a reason, and a
    # cancelled (or closed) one is final.
    assert transition_work_order(mgr, "MWO-000002", "scheduled", {"start": "2026-11-22", "end": "2026-11-22"})
    assert transition_work_order(mgr, "MWO-000003", "cancelled", {"reason": "Asset replaced"})["wo_status"] == "cancelled"
    with pytest.raises(DomainError, match="final state"):
        transition_work_order(mgr, "MWO-000003", "planned", {"estimated_duration_hours": "1"})
    history = row(any_dbs, WorkOrders, "MWO-000003")["status_history"]
    assert history[-1]["reason"] == "Asset replaced" and history[-1]["from"] == "scheduled"
    with pytest.raises(NotFound):
        transition_work_order(mgr, "nope", "planned", {"estimated_duration_hours": "1"})
    with pytest.raises(DomainError, match="not a work order state"):
        list_work_orders(mgr, status="nonsense")


# -- property: no sequence of attempts reaches an illegal state ---------------------------------------

FIELD_CHOICES = {
    "planned": [{}, {"estimated_duration_hours": "4"}, {"estimated_duration_hours": "-1"}],
    "scheduled": [{}, {"scheduled_start_date": "2026-11-20", "scheduled_end_date": "2026-11-21"},
                  {"scheduled_start_date": "2026-11-21", "scheduled_end_date": "2026-11-20"}],
    "assigned": [{}, {"assigned_to": "TECH-000001"}, {"assigned_to": "TECH-000002"}, {"assigned_to": "TECH-404"}],
    "in_progress": [{}, {"actual_start_date": "2026-11-20T07:00"}, {"actual_start_date": "2026-11-21T07:00"}],
    "completed": [{}, {"work_performed": "Fixed", "actual_end_date": "2026-11-20T09:00"},
                  {"work_performed": "Fixed", "actual_end_date": "2026-11-19T09:00"}],
    "closed": [{}, {"verification_notes": "ok"}],
    "cancelled": [{}, {"reason": "No longer needed"}],
    "created": [{}],
}
ROLE_CHOICES = ["maintenance_manager", "maintenance_tech", "plant_manager", "data_analyst", "shift_supervisor"]
SERIAL = itertools.count(1)
DEEPEST: list[str] = []  # final states reached, to check the strategy explores the whole lifecycle
# Each attempt: a target ("next" = the lifecycle's next state, so runs get deep; or any state), which
# of the target's field sets to give (1 = a valid one), and who tries.
attempts = st.lists(
    st.tuples(st.sampled_from(["next", "next", "any"]), st.sampled_from(STATES), st.sampled_from([0, 1, 1, 1, 2, 3]),
              st.sampled_from(ROLE_CHOICES)),
    min_size=1, max_size=14)


@pytest.fixture
def lifecycle_estate(any_dbs):
    create(any_dbs)
    asset(any_dbs)
    technician(any_dbs)
    technician(any_dbs, "TECH-000002", is_active=False)
    return any_dbs


# derandomize: the same examples on every run and machine, so the companion check below is stable;
# the explicit examples always walk the whole way to `closed` and to `cancelled`.
@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=attempts, start=st.sampled_from(["created", "planned"]))
@example(steps=[("next", "created", 1, "maintenance_manager")] * 6, start="planned")
@example(steps=[("any", "cancelled", 1, "maintenance_manager")], start="created")
def test_no_sequence_of_attempts_reaches_an_illegal_state(lifecycle_estate, steps, start):
    dbs = lifecycle_estate
    wo = f"MWO-P{next(SERIAL):06d}"
    work_order(dbs, wo, start, estimated_duration_hours=Decimal("2") if start == "planned" else None)
    status, reached = start, [start]
    for kind, target, choice, role in steps:
        if kind == "next" and TRANSITIONS[status]:
            target = TRANSITIONS[status][0]
        options = FIELD_CHOICES[target]
        fields = options[choice % len(options)]
        try:
            result = transition_work_order(ctx_for(dbs, role), wo, target, fields)
        except DomainError:
            assert row(dbs, WorkOrders, wo)["wo_status"] == status  # a refusal changes nothing
            continue
        assert target in TRANSITIONS[status], f"{status} -> {target} was accepted"
        rule = TRANSITION_RULES[target]
        user = ctx_for(dbs, role).user
        assert user.can("genims_maintenance_db", rule.level) and (rule.capability is None or user.has(rule.capability))
        status = result["wo_status"]
        assert status == target
        reached.append(status)
    DEEPEST.append(status)
    final = row(dbs, WorkOrders, wo)
    assert final["wo_status"] == status and status in STATES
    assert [h["status"] for h in final["status_history"]] == reached
    # Every state reached left its required fields set.
    for state in reached[1:]:
        for f in TRANSITION_RULES[state].required:
            if f != "reason":
                assert final[f] not in (None, ""), f"{state} reached without {f}"
    if status in ("completed", "closed"):
        assert final["actual_total_cost"] is not None and final["actual_end_date"] >= final["actual_start_date"]
    if status == "closed":
        assert final["approved_by"] == "USR-maintenance_manager"
    if status == "cancelled":
        assert final["status_history"][-1]["reason"]


def test_the_property_test_explored_the_whole_lifecycle():
    """Runs after the property test (same module): its sequences reached the deep and final states."""
    if not DEEPEST:
        pytest.skip("run together with test_no_sequence_of_attempts_reaches_an_illegal_state")
    assert {"closed", "cancelled"} <= set(DEEPEST) and len(set(DEEPEST)) >= 4
