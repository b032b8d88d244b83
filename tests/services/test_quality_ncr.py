"""The NCR workflow: the state machine, required fields, costs, CAPA links, closing from a verified
CAPA, and NCRs raised once from failed MES inspections."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from genims_tui.backend.access import AccessStore
from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import CapaHeaders, NcrHeaders, QmsIntegrationLog
from genims_tui.backend.services import capa as capa_svc
from genims_tui.backend.services import ncr as ncr_svc

from . import quality_data as qd
from .quality_data import estate  # noqa: F401 -- the module-scoped estate fixture (SQLite and PostgreSQL)


def test_full_workflow_records_fields_costs_capa_and_audit(estate):
    ctx = qd.ctx_for(estate)
    new = ncr_svc.create_ncr(ctx, defect_description="Burr on flange", quantity_defective="8", quantity_inspected="100",
                             defect_severity="critical")
    nid = new["ncr_id"]
    assert nid.startswith("NCR-") and new["ncr_status"] == "open" and new["priority"] == "high"
    ncr_svc.transition_ncr(ctx, nid, "containment", {"containment_action": "Quarantine lot 42", "sorting_cost": "90"})
    ncr_svc.transition_ncr(ctx, nid, "investigation")
    ncr_svc.transition_ncr(ctx, nid, "disposition", {"root_cause_method": "fishbone", "root_cause_description": "Worn die"})
    moved = ncr_svc.transition_ncr(ctx, nid, "capa", {"disposition": "scrap", "disposition_quantity": "8",
                                                      "scrap_cost": "400.50", "capa_owner": "EMP-000009"})
    capa_id = moved["capa_id"]
    ncr_svc.transition_ncr(ctx, nid, "verification")
    ncr_svc.transition_ncr(ctx, nid, "closed", {"verified_effective": "true"})
    row = qd.row(estate, NcrHeaders, nid)
    assert row["ncr_status"] == "closed" and row["containment_completed"] and row["containment_date"] == qd.TODAY
    assert row["disposition"] == "scrap" and row["disposition_quantity"] == Decimal("8")
    assert row["total_cost"] == Decimal("490.50") and row["sorting_cost"] == Decimal("90.00")
    assert row["closed_by"] == ctx.user.user_id and row["verified_effective"] and row["closed_date"] == qd.TODAY
    capa = qd.row(estate, CapaHeaders, capa_id)
    assert (capa["source_document_id"], capa["initiated_from"], capa["responsible_person"]) == (nid, "ncr", "EMP-000009")
    trail = [r for r in AccessStore(estate).audit_trail() if r["entity_id"] == nid and r["action"] == "ncr.transition"]
    assert len(trail) == 6
    assert trail[0]["before"]["ncr_status"] == "verification" and trail[0]["after"]["ncr_status"] == "closed"


def test_illegal_transition_names_allowed_states_and_changes_nothing(estate):
    ctx = qd.ctx_for(estate)
    qd.ncr(estate, "NCR-020001", "containment")
    before = qd.snapshot(estate)
    with pytest.raises(DomainError) as exc:
        ncr_svc.transition_ncr(ctx, "NCR-020001", "closed", {"verified_effective": "true"})
    assert "investigation" in str(exc.value) and "cancelled" in str(exc.value)
    with pytest.raises(DomainError, match="not an NCR state"):
        ncr_svc.transition_ncr(ctx, "NCR-020001", "done")
    with pytest.raises(NotFound):
        ncr_svc.transition_ncr(ctx, "NCR-999999", "investigation")
    assert qd.snapshot(estate) == before


TRANSITION_REFUSALS = [
    ("open", "containment", {}, "containment action"),
    ("investigation", "disposition", {"root_cause_method": "5_why"}, "root_cause_description"),
    ("investigation", "disposition", {"root_cause_method": "guess", "root_cause_description": "x"}, "Root cause method"),
    ("disposition", "capa", {"disposition_quantity": "1"}, "Disposition must be one of"),
    ("disposition", "capa", {"disposition": "scrap"}, "disposition quantity"),
    ("disposition", "capa", {"disposition": "scrap", "disposition_quantity": "6"}, "more than the 5"),
    ("disposition", "capa", {"disposition": "return_to_supplier", "disposition_quantity": "2"}, "no supplier"),
    ("disposition", "capa", {"disposition": "scrap", "disposition_quantity": "2", "scrap_cost": "-1"}, "at least 0"),
    ("open", "containment", {"containment_action": "x", "disposition": "scrap"}, "cannot be set"),
    ("verification", "closed", {}, "verified effective"),
    ("open", "cancelled", {}, "Reason"),
]


def test_each_transition_checks_its_fields_and_changes_nothing(estate):
    for n, (state, target, fields, message) in enumerate(TRANSITION_REFUSALS):
        nid = qd.ncr(estate, f"NCR-03{n:04d}", state)
        before = qd.snapshot(estate)
        with pytest.raises(DomainError, match=message):
            ncr_svc.transition_ncr(qd.ctx_for(estate), nid, target, fields)
        assert qd.snapshot(estate) == before, (state, target, fields)


def test_verification_waits_for_capa_actions(estate):
    qd.ncr(estate, "NCR-040001", "capa", capa_actions_open=1)
    before = qd.snapshot(estate)
    with pytest.raises(DomainError, match="CAPA actions are open"):
        ncr_svc.transition_ncr(qd.ctx_for(estate), "NCR-040001", "verification")
    assert qd.snapshot(estate) == before


def test_capabilities_for_disposition_and_close(estate):
    qd.ncr(estate, "NCR-050001", "disposition")
    qd.ncr(estate, "NCR-050002", "verification")
    inspector = qd.ctx_for(estate, "quality_inspector")
    before = qd.snapshot(estate)
    with pytest.raises(PermissionDenied, match="Quality Manager"):
        ncr_svc.transition_ncr(inspector, "NCR-050001", "capa", {"disposition": "scrap", "disposition_quantity": "1"})
    with pytest.raises(PermissionDenied):
        ncr_svc.transition_ncr(inspector, "NCR-050002", "closed", {"verified_effective": "true"})
    assert qd.snapshot(estate) == before
    ncr_svc.transition_ncr(qd.ctx_for(estate), "NCR-050001", "capa", {"disposition": "mrb", "disposition_quantity": "1"})


def test_costs_roll_up_into_total(estate):
    qd.ncr(estate, "NCR-060001", "investigation", scrap_cost=Decimal("10.00"), total_cost=Decimal("10.00"))
    ncr_svc.record_ncr_costs(qd.ctx_for(estate), "NCR-060001", rework_cost="25.5", sorting_cost="4.5")
    assert qd.row(estate, NcrHeaders, "NCR-060001")["total_cost"] == Decimal("40.00")


def test_capa_verified_effective_closes_its_ncr(estate):
    ctx = qd.ctx_for(estate)
    qd.ncr(estate, "NCR-070001", "capa")  # linked CAPA-070001 in implementation, no actions
    action = capa_svc.add_capa_action(ctx, "CAPA-070001", description="Replace die", assigned_to="EMP-000004",
                                      due_date=qd.TODAY.replace(day=28))
    with pytest.raises(DomainError, match="open actions"):
        capa_svc.verify_capa_effectiveness(ctx, "CAPA-070001", True, "No recurrence")
    done = capa_svc.complete_capa_action(ctx, action["action_id"], "Photo of new die")
    assert done["capa_status"] == "verification"
    with pytest.raises(DomainError, match="not verified effective"):
        capa_svc.close_capa(ctx, "CAPA-070001")
    capa_svc.verify_capa_effectiveness(ctx, "CAPA-070001", "yes", "No recurrence in 30 days")
    result = capa_svc.close_capa(ctx, "CAPA-070001")
    assert result["closed_ncrs"] == ["NCR-070001"]
    ncr = qd.row(estate, NcrHeaders, "NCR-070001")
    assert ncr["ncr_status"] == "closed" and ncr["verified_effective"] and ncr["closed_date"] == qd.TODAY
    assert qd.row(estate, CapaHeaders, "CAPA-070001")["capa_status"] == "closed"
    # the daemon sweep finds nothing more to do
    assert "NCR-070001" not in capa_svc.close_ncrs_from_verified_capas(ctx)["closed"]


def test_daemon_sweep_closes_ncrs_of_closed_verified_capas(estate):
    qd.ncr(estate, "NCR-080001", "verification")
    with estate.begin(qd.QMS) as conn:
        conn.execute(CapaHeaders.__table__.update().where(CapaHeaders.capa_id == "CAPA-080001")
                     .values(capa_status="closed", effectiveness_verified=True))
    ctx = qd.ctx_for(estate)
    assert "NCR-080001" in capa_svc.close_ncrs_from_verified_capas(ctx)["closed"]
    assert "NCR-080001" not in capa_svc.close_ncrs_from_verified_capas(ctx)["closed"]
    assert qd.row(estate, NcrHeaders, "NCR-080001")["ncr_status"] == "closed"


def test_ncr_from_failed_inspection_is_created_once(estate):
    qd.inspection(estate, "QI-0900001")
    ctx = qd.ctx_for(estate)
    first = ncr_svc.create_ncr_from_inspection(ctx, "QI-0900001")
    second = ncr_svc.create_ncr_from_inspection(ctx, "QI-0900001")
    assert first["created"] and not second["created"] and first["ncr_id"] == second["ncr_id"]
    with estate.connect(qd.QMS) as conn:
        ncrs = conn.execute(select(NcrHeaders.ncr_id, NcrHeaders.source_type, NcrHeaders.defect_severity)
                            .where(NcrHeaders.source_document_id == "QI-0900001")).all()
        logs = conn.execute(select(QmsIntegrationLog.target_document_id)).scalars().all()
    assert ncrs == [(first["ncr_id"], "mes_inspection", "major")] and logs == [first["ncr_id"]]
    assert qd.row(estate, QualityInspections, "QI-0900001", qd.MFG)["ncr_number"] == first["ncr_id"]
    # the daemon's sweep sees it is done
    assert ncr_svc.integrate_failed_inspections(ctx)["created"] == []  # no failed inspection without an NCR


def test_ncr_writeback_is_repaired_and_passed_inspections_refused(estate):
    qd.inspection(estate, "QI-1000001")
    qd.inspection(estate, "QI-1000002", result="pass")
    ctx = qd.ctx_for(estate)
    first = ncr_svc.create_ncr_from_inspection(ctx, "QI-1000001")
    with estate.begin(qd.MFG) as conn:  # a crash between the two databases lost the write-back
        conn.execute(QualityInspections.__table__.update()
                     .where(QualityInspections.inspection_id == "QI-1000001").values(ncr_number=None))
    again = ncr_svc.create_ncr_from_inspection(ctx, "QI-1000001")
    assert again["ncr_id"] == first["ncr_id"] and not again["created"]
    assert qd.row(estate, QualityInspections, "QI-1000001", qd.MFG)["ncr_number"] == first["ncr_id"]
    before = qd.snapshot(estate)
    with pytest.raises(DomainError, match="only a failed inspection"):
        ncr_svc.create_ncr_from_inspection(ctx, "QI-1000002")
    assert qd.snapshot(estate) == before


def test_list_and_show(estate):
    qd.ncr(estate, "NCR-110001", "open")
    qd.ncr(estate, "NCR-110002", "capa")
    ctx = qd.ctx_for(estate, "auditor")
    listed = [r["ncr_id"] for r in ncr_svc.list_ncrs(ctx, status="capa", limit=5000)]
    assert "NCR-110002" in listed and "NCR-110001" not in listed
    shown = ncr_svc.get_ncr(ctx, "NCR-110002")
    assert shown["allowed_next"] == ["verification", "cancelled"] and shown["capas"][0]["capa_id"] == "CAPA-110002"
    with pytest.raises(PermissionDenied):
        ncr_svc.list_ncrs(qd.ctx_for(estate, "driver"))


# -- property: no sequence of attempts reaches an illegal state -----------------------------------

FIELD_CHOICES = [
    {},
    {"containment_action": "Quarantine"},
    {"root_cause_method": "5_why", "root_cause_description": "Tool wear"},
    {"root_cause_method": "bogus", "root_cause_description": "x"},
    {"disposition": "scrap", "disposition_quantity": "2", "scrap_cost": "100"},
    {"disposition": "rework", "disposition_quantity": "999"},
    {"disposition": "return_to_supplier", "disposition_quantity": "1"},
    {"verified_effective": "true"},
    {"verified_effective": "false"},
    {"reason": "Duplicate of another NCR"},
    {"sorting_cost": "12.5"},
    {"sorting_cost": "-3"},
]
# The fields that make a forward move legal: "next" steps use them (or drop them), so random
# sequences get deep into the workflow instead of failing at the first state.
FORWARD_FIELDS = {
    "containment": {"containment_action": "Quarantine"},
    "investigation": {},
    "disposition": {"root_cause_method": "fishbone", "root_cause_description": "Worn die"},
    "capa": {"disposition": "rework", "disposition_quantity": "3", "rework_cost": "40"},
    "verification": {},
    "closed": {"verified_effective": "true"},
    "cancelled": {"reason": "Raised twice"},
}
ROLES = ["quality_manager", "quality_manager", "quality_manager", "quality_inspector", "data_analyst"]
NEXT = st.tuples(st.just("next"), st.integers(0, 19), st.sampled_from([True, True, True, False]), st.sampled_from(ROLES))
STEP = st.one_of(
    NEXT, NEXT, NEXT,
    st.tuples(st.just("any"), st.sampled_from(ncr_svc.STATES + ("reopened",)), st.integers(0, len(FIELD_CHOICES) - 1),
              st.sampled_from(ROLES)),
)
LATER = {s: i for i, s in enumerate(qd.ORDER)}


def _invariants(dbs, nid: str) -> str:
    row = qd.row(dbs, NcrHeaders, nid)
    status = row["ncr_status"]
    assert status in ncr_svc.STATES
    if status == "cancelled":
        assert row["closed_date"] and "Cancelled:" in (row["disposition_notes"] or "")
        return status
    i = LATER[status]
    assert i < 1 or row["containment_action"]
    assert i < 2 or (row["containment_completed"] and row["containment_date"])
    assert i < 3 or (row["root_cause_method"] in ncr_svc.ROOT_CAUSE_METHODS and row["root_cause_description"])
    if i >= 4:
        assert row["disposition"] in ncr_svc.DISPOSITIONS and Decimal(0) < row["disposition_quantity"] <= row["quantity_defective"]
        with dbs.connect(qd.QMS) as conn:
            assert conn.execute(select(CapaHeaders.capa_id).where(CapaHeaders.source_document_id == nid,
                                                                  CapaHeaders.initiated_from == "ncr")).first()
    assert status != "closed" or (row["verified_effective"] and row["closed_date"])
    costs = sum((row[c] or Decimal(0) for c in ("scrap_cost", "rework_cost", "sorting_cost")), Decimal(0))
    assert row["total_cost"] == costs
    return status


@settings(max_examples=50, deadline=None)
@given(steps=st.lists(STEP, min_size=3, max_size=12))
def test_no_sequence_of_attempts_reaches_an_illegal_state(estate, steps):
    dbs = estate
    nid = ncr_svc.create_ncr(qd.ctx_for(dbs), defect_description="Scratch", quantity_defective="5")["ncr_id"]
    for mode, pick, fields_pick, role in steps:
        before = qd.snapshot(dbs, models=(NcrHeaders, CapaHeaders), also_mfg=False)
        status = qd.row(dbs, NcrHeaders, nid)["ncr_status"]
        if mode == "next":
            options = ncr_svc.TRANSITIONS[status] or ("closed",)
            target = options[0] if pick < 18 else options[1 % len(options)] if pick == 18 else options[-1]
            fields = dict(FORWARD_FIELDS[target]) if fields_pick else {}
        else:
            target, fields = pick, dict(FIELD_CHOICES[fields_pick])
        try:
            ncr_svc.transition_ncr(qd.ctx_for(dbs, role), nid, target, fields)
        except DomainError:
            assert qd.snapshot(dbs, models=(NcrHeaders, CapaHeaders), also_mfg=False) == before
            event(f"refused {target}")
            continue
        assert target in ncr_svc.TRANSITIONS[status], f"{status} -> {target} was accepted"
        assert _invariants(dbs, nid) == target
        event(f"reached {target}")


def test_overdue_capas_and_actions_are_escalated_once(estate):
    import datetime as dt

    from genims_tui.backend.models.quality import CapaActions

    qd.capa(estate, "CAPA-E00001", None, status="implementation", open_actions=1)
    with estate.begin(qd.QMS) as conn:
        conn.execute(CapaHeaders.__table__.update().where(CapaHeaders.capa_id == "CAPA-E00001")
                     .values(target_completion_date=qd.TODAY - dt.timedelta(days=3)))
        conn.execute(CapaActions.__table__.update().where(CapaActions.capa_id == "CAPA-E00001")
                     .values(due_date=qd.TODAY - dt.timedelta(days=1)))
    ctx = qd.ctx_for(estate)
    result = capa_svc.escalate_overdue_capas(ctx)
    assert "CAPA-E00001" in result["capas_overdue"]
    assert qd.row(estate, CapaHeaders, "CAPA-E00001")["capa_status"] == "overdue"
    assert qd.row(estate, CapaActions, "CAPA-E00001-A1")["action_status"] == "overdue"
    assert "CAPA-E00001" not in capa_svc.escalate_overdue_capas(ctx)["capas_overdue"]
    # an overdue CAPA can still be completed and verified
    capa_svc.complete_capa_action(ctx, "CAPA-E00001-A1", "Done late")
    assert qd.row(estate, CapaHeaders, "CAPA-E00001")["capa_status"] == "verification"


def test_a_hand_typed_ncr_must_name_real_codes(tmp_path):
    from genims_tui.backend.databases import Databases
    from genims_tui.backend.errors import DomainError
    from genims_tui.backend.services.base import ServiceContext
    from genims_tui.backend.services.ncr import create_ncr
    from genims_tui.config import load_settings

    from conftest import sqlite_env

    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    dbs.create()
    ctx = ServiceContext(dbs)
    try:
        for field_name, code in (("supplier_id", "SUP-999999"), ("material_id", "MAT-NOPE"),
                                 ("product_id", "PRD-NOPE"), ("customer_id", "CUST-NOPE")):
            try:
                create_ncr(ctx, defect_description="scratch", quantity_defective=1, **{field_name: code})
            except DomainError as exc:
                assert exc.field == field_name and code in exc.message
            else:
                raise AssertionError(f"{field_name}={code} was accepted")
        with dbs.connect("genims_quality_db") as conn:
            from sqlalchemy import func, select

            from genims_tui.backend.models.quality import NcrHeaders

            assert conn.execute(select(func.count()).select_from(NcrHeaders)).scalar() == 0
        # without codes it is created
        assert create_ncr(ctx, defect_description="scratch", quantity_defective=1)["ncr_status"] == "open"
    finally:
        dbs.dispose()
