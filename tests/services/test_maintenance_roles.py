"""Role x action: every maintenance action is allowed exactly for the roles whose access levels and
capabilities give it, and a refusal changes nothing (not even the audit trail)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from genims_tui.backend.access import LEVELS, ROLES, RoleSpec
from genims_tui.backend.errors import PermissionDenied
from genims_tui.backend.models.maintenance import WorkOrders
from genims_tui.backend.services import maintenance as mnt
from genims_tui.backend.services import maintenance_planning as planning

from .maintenance_data import MNT, OPS, TODAY, asset, create, ctx_for, fault, part, row, schedule, snapshot, technician, work_order


def gives(role: RoleSpec, database: str, level: str, capability: str | None = None) -> bool:
    ok = LEVELS.get(role.permissions.get(database, ""), 0) >= LEVELS[level]
    return ok and (capability is None or "*" in role.capabilities or capability in role.capabilities)


T = dt.datetime(2026, 11, 20, 7, 0)
SCHED = dict(scheduled_start_date=TODAY, scheduled_end_date=TODAY)


def arrange(dbs, key: str) -> dict[str, tuple[Callable[[], object], Callable[[RoleSpec], bool], Callable[[object], bool]]]:
    """For one role (`key`): fresh objects for every action, and each action's expected permission."""
    w = f"MWO-{key}"
    work_order(dbs, f"{w}-plan")
    work_order(dbs, f"{w}-sched", "planned", estimated_duration_hours=2)
    work_order(dbs, f"{w}-assign", "scheduled", **SCHED)
    work_order(dbs, f"{w}-start", "assigned", assigned_to="TECH-000001", **SCHED)
    work_order(dbs, f"{w}-done", "in_progress", assigned_to="TECH-000001", actual_start_date=T)
    work_order(dbs, f"{w}-close", "completed", assigned_to="TECH-000001", actual_start_date=T,
               actual_end_date=T, work_performed="x")
    work_order(dbs, f"{w}-cancel", "planned")
    work_order(dbs, f"{w}-batch", "scheduled", **SCHED)
    schedule(dbs, f"PMS-{key}", TODAY)
    fault_id = fault(dbs, "critical")
    tr = mnt.transition_work_order
    return {
        "list": (lambda c: mnt.list_work_orders(c), lambda r: gives(r, MNT, "read"), lambda res: len(res) > 0),
        "plan": (lambda c: tr(c, f"{w}-plan", "planned", {"estimated_duration_hours": "1"}),
                 lambda r: gives(r, MNT, "write"), lambda res: res["wo_status"] == "planned"),
        "schedule": (lambda c: tr(c, f"{w}-sched", "scheduled", {"start": "2026-11-21", "end": "2026-11-21"}),
                     lambda r: gives(r, MNT, "write"), lambda res: res["wo_status"] == "scheduled"),
        "assign": (lambda c: tr(c, f"{w}-assign", "assigned", {"technician": "TECH-000001"}),
                   lambda r: gives(r, MNT, "write"), lambda res: res["assigned_to"] == "TECH-000001"),
        "start": (lambda c: tr(c, f"{w}-start", "in_progress", {"actual_start": "2026-11-20T08:00"}),
                  lambda r: gives(r, MNT, "write"), lambda res: res["wo_status"] == "in_progress"),
        "complete": (lambda c: tr(c, f"{w}-done", "completed", {"work_performed": "ok", "actual_end": "2026-11-20T09:00"}),
                     lambda r: gives(r, MNT, "write"), lambda res: res["wo_status"] == "completed"),
        "close": (lambda c: tr(c, f"{w}-close", "closed"),
                  lambda r: gives(r, MNT, "write", "maintenance.approve"), lambda res: res["wo_status"] == "closed"),
        "cancel": (lambda c: tr(c, f"{w}-cancel", "cancelled", {"reason": "duplicate"}),
                   lambda r: gives(r, MNT, "full"), lambda res: res["wo_status"] == "cancelled"),
        "assign_batch": (lambda c: mnt.assign_technicians(c, [f"{w}-batch"]), lambda r: gives(r, MNT, "write"),
                         lambda res: len(res["assigned"]) == 1),
        "issue_part": (lambda c: mnt.issue_part(c, f"{w}-done", "MRO-000001", "1"), lambda r: gives(r, MNT, "write"),
                       lambda res: res["quantity"] == 1),
        "pm_generate": (lambda c: planning.generate_pm_work_orders(c), lambda r: gives(r, MNT, "write"),
                        lambda res: f"PMS-{key}" in [x["pm_schedule_id"] for x in res["created"]]),
        "faults_to_wo": (lambda c: planning.create_corrective_work_orders(c),
                         lambda r: gives(r, MNT, "write") and gives(r, OPS, "read"),
                         lambda res: fault_id in [x["fault_id"] for x in res["created"]]),
        "reliability": (lambda c: planning.compute_reliability(c, "2026-10-01", "2026-10-31", "ASSET-000001"),
                        lambda r: gives(r, MNT, "write"), lambda res: res[0]["asset_id"] == "ASSET-000001"),
    }


def test_every_role_may_do_exactly_what_its_permissions_give(any_dbs):
    create(any_dbs, operations=True)
    asset(any_dbs)
    technician(any_dbs)
    part(any_dbs, stock="1000")
    allowed_by_role: dict[str, set[str]] = {}
    for n, role in enumerate(ROLES):
        actions = arrange(any_dbs, f"{n:02d}")
        ctx = ctx_for(any_dbs, role.role_id)
        refused = [a for a, (_, expect, _) in actions.items() if not expect(role)]
        before = snapshot(any_dbs)
        for action in refused:
            call = actions[action][0]
            try:
                call(ctx)
            except PermissionDenied:
                continue
            raise AssertionError(f"{role.role_id} may not {action}, but it was allowed")
        assert snapshot(any_dbs) == before, f"a refusal for {role.role_id} changed something"
        for action, (call, expect, check) in actions.items():
            if expect(role):
                assert check(call(ctx)), f"{role.role_id}: {action} did not do its work"
        allowed_by_role[role.role_id] = {a for a, (_, expect, _) in actions.items() if expect(role)}
        # The batch work orders of refused roles stay where they were, untouched.
        if "assign_batch" not in allowed_by_role[role.role_id]:
            assert row(any_dbs, WorkOrders, f"MWO-{n:02d}-batch")["wo_status"] == "scheduled"
    # The expectations themselves: the seeds' maintenance roles, spelled out.
    everything = {"list", "plan", "schedule", "assign", "start", "complete", "close", "cancel", "assign_batch",
                  "issue_part", "pm_generate", "faults_to_wo", "reliability"}
    assert allowed_by_role["admin"] == everything
    assert allowed_by_role["maintenance_manager"] == everything
    assert allowed_by_role["maintenance_tech"] == everything - {"close", "cancel"}
    assert allowed_by_role["plant_manager"] == everything - {"close", "cancel"}
    assert allowed_by_role["shift_supervisor"] == allowed_by_role["service_tech"] == {"list"}
    assert allowed_by_role["sales_rep"] == set()
