"""Customer complaints linked to NCRs and CAPAs, and 8D reports worked D0..D8 in order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.quality import CustomerComplaints, EightDReports
from genims_tui.backend.services import capa as capa_svc
from genims_tui.backend.services import complaints

from . import quality_data as qd
from .quality_data import estate  # noqa: F401 -- the module-scoped estate fixture (SQLite and PostgreSQL)

STEPS = [
    ("D0", {"problem_preparation": "Emergency response: stop shipments"}),
    ("D1", {"team_leader": "EMP-000001", "team_members": "EMP-000001, EMP-000002"}),
    ("D2", {"problem_description": "Cracked housings", "is_statement": "Lot 42 only", "is_not_statement": "Other lots"}),
    ("D3", {"containment_action": "Sort all stock", "containment_verified": "true"}),
    ("D4", {"root_cause_analysis": "Mould temperature too low", "root_cause_method": "fishbone", "root_cause_verified": "yes"}),
    ("D5", {"permanent_actions": "Temperature interlock"}),
    ("D6", {"pca_implementation_date": "2026-11-19", "verification_plan": "30 days of audits", "verification_completed": "true"}),
    ("D7", {"preventive_actions": "Update PFMEA", "systems_updated": "PFMEA, control plan", "prevention_completed": "true"}),
    ("D8", {"lessons_learned": "Interlocks on all moulds", "team_recognition": "Thanks"}),
]


def test_complaint_links_ncr_and_capa_and_rolls_up_costs(estate):
    ctx = qd.ctx_for(estate, "quality_inspector")
    comp = complaints.create_complaint(ctx, customer_id="CUST-000001", complaint_description="Cracked housings",
                                       severity="critical", quantity_affected="12", service_ticket_id="TKT-1")
    cid = comp["complaint_id"]
    with pytest.raises(DomainError, match="already has complaint"):
        complaints.create_complaint(ctx, customer_id="CUST-000001", complaint_description="x", service_ticket_id="TKT-1")
    nid = qd.ncr(estate, "NCR-C00001", "investigation", source_type="customer_complaint", source_document_id=cid)
    capa = capa_svc.create_capa(ctx, initiated_from="customer_complaint", source_document_id=cid,
                                problem_description="Cracked housings")
    linked = complaints.link_complaint(ctx, cid, ncr_id=nid, capa_id=capa["capa_id"])
    assert linked["complaint_status"] == "investigation"
    with pytest.raises(NotFound):
        complaints.link_complaint(ctx, cid, ncr_id="NCR-NOPE")
    with pytest.raises(DomainError, match="allowed next: resolved, cancelled"):
        complaints.update_complaint(ctx, cid, "closed")
    complaints.update_complaint(ctx, cid, "resolved", resolution="Replaced 12 housings", replacement_cost="300",
                                credit_issued="50.5")
    complaints.update_complaint(ctx, cid, "closed", customer_satisfied="yes")
    row = qd.row(estate, CustomerComplaints, cid)
    assert (row["linked_ncr_id"], row["linked_capa_id"], row["complaint_status"]) == (nid, capa["capa_id"], "closed")
    assert row["total_cost"] == Decimal("350.50") and row["customer_satisfied"] and row["closed_by"] == ctx.user.user_id
    with pytest.raises(PermissionDenied):
        complaints.create_complaint(qd.ctx_for(estate, "support_manager"), customer_id="C", complaint_description="x")


def test_eight_d_runs_d0_to_d8_in_order(estate):
    ctx = qd.ctx_for(estate)
    comp = complaints.create_complaint(ctx, customer_id="CUST-000002", complaint_description="Noise")
    report = complaints.create_eight_d(ctx, source_type="customer_complaint", source_document_id=comp["complaint_id"])
    eid = report["eight_d_id"]
    with pytest.raises(DomainError, match="already has 8D"):
        complaints.create_eight_d(ctx, source_type="customer_complaint", source_document_id=comp["complaint_id"])
    before = qd.snapshot(estate)
    with pytest.raises(DomainError, match="record D0 next, not D3"):
        complaints.record_eight_d_step(ctx, eid, "D3", STEPS[3][1])
    with pytest.raises(DomainError, match="needs problem_preparation"):
        complaints.record_eight_d_step(ctx, eid, "D0", {})
    with pytest.raises(DomainError, match="do not belong to D0"):
        complaints.record_eight_d_step(ctx, eid, "D0", {"lessons_learned": "x"})
    assert qd.snapshot(estate) == before
    for discipline, fields in STEPS:
        complaints.record_eight_d_step(ctx, eid, discipline, fields)
    row = qd.row(estate, EightDReports, eid)
    assert row["eight_d_status"] == "closed" and row["closed_date"] == qd.TODAY
    assert row["team_members"] == ["EMP-000001", "EMP-000002"] and row["root_cause_method"] == "fishbone"
    assert row["containment_verified"] and row["verification_completed"] and row["root_cause_identified"] == qd.TODAY
    with pytest.raises(DomainError, match="nothing more"):
        complaints.record_eight_d_step(ctx, eid, "D8", STEPS[8][1])
