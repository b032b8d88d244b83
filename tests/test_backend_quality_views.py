"""The quality workspace's read side on a small hand-built estate (SQLite, and PostgreSQL in both layouts
where dates are computed in SQL): NCR pages and filters, what an NCR's next state needs, failed
inspections without an NCR, CAPAs overdue first, SPC flags, calibration states, 8D next discipline,
and read access."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert

from genims_tui.backend import quality_views as qv
from genims_tui.backend.access import role_user
from genims_tui.backend.browse import PageQuery
from genims_tui.backend.errors import NotFound, PermissionDenied
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import (
    AuditFindings,
    CapaActions,
    CapaHeaders,
    EightDReports,
    MeasuringEquipment,
    NcrHeaders,
    QualityAudits,
    SpcControlCharts,
    SpcDataPoints,
)

TODAY = dt.date(2026, 6, 1)
MANAGER = role_user("quality_manager")
INSPECTOR = role_user("quality_inspector")


def add(dbs, database: str, model, rows: list[dict]) -> None:
    keys = {k for row in rows for k in row}
    with dbs.begin(database) as conn:
        conn.execute(insert(model), [{k: row.get(k) for k in keys} for row in rows])


def ncr(ncr_id: str, status: str, **kw) -> dict:
    return {"ncr_id": ncr_id, "ncr_number": ncr_id, "ncr_status": status, "defect_severity": kw.pop("severity", "major"),
            "source_type": kw.pop("source", "manual"), "detected_date": kw.pop("detected", TODAY),
            "quantity_defective": Decimal("5"), "defect_description": f"defect of {ncr_id}", **kw}


def build(dbs):
    dbs.create()
    add(dbs, qv.QMS, NcrHeaders, [
        ncr("NCR-1", "open", supplier_id="SUP-1", detected=TODAY - dt.timedelta(days=1)),
        ncr("NCR-2", "closed", severity="minor", detected=TODAY - dt.timedelta(days=9)),
        ncr("NCR-3", "capa", containment_action="Hold", root_cause_method="5_why", root_cause_description="Tool wear",
            disposition="scrap", disposition_quantity=Decimal("5"), detected=TODAY - dt.timedelta(days=5)),
        ncr("NCR-4", "verification", detected=TODAY - dt.timedelta(days=3)),
        ncr("NCR-5", "open", source="mes_inspection", source_document_id="QI-4", detected=TODAY - dt.timedelta(days=2)),
    ])
    add(dbs, qv.QMS, CapaHeaders, [
        {"capa_id": "CAPA-1", "capa_status": "implementation", "initiated_from": "ncr", "source_document_id": "NCR-3",
         "target_completion_date": TODAY - dt.timedelta(days=4), "effectiveness_verified": False},
        {"capa_id": "CAPA-2", "capa_status": "verification", "initiated_from": "ncr", "source_document_id": "NCR-4",
         "target_completion_date": TODAY + dt.timedelta(days=10), "effectiveness_verified": True},
        {"capa_id": "CAPA-3", "capa_status": "closed", "initiated_from": "audit",
         "target_completion_date": TODAY - dt.timedelta(days=40), "effectiveness_verified": True},
        {"capa_id": "CAPA-4", "capa_status": "open", "initiated_from": "audit",
         "target_completion_date": TODAY + dt.timedelta(days=2), "effectiveness_verified": False},
    ])
    add(dbs, qv.QMS, CapaActions, [
        {"action_id": "A-1", "capa_id": "CAPA-1", "action_sequence": 1, "action_status": "open", "due_date": TODAY},
        {"action_id": "A-2", "capa_id": "CAPA-1", "action_sequence": 2, "action_status": "completed", "due_date": TODAY},
        {"action_id": "A-3", "capa_id": "CAPA-2", "action_sequence": 1, "action_status": "completed", "due_date": TODAY},
    ])
    at = dt.datetime(2026, 5, 31, 8, 0)
    add(dbs, qv.MFG, QualityInspections, [
        {"inspection_id": "QI-1", "inspection_result": "fail", "inspection_date": at, "defects_found": 2},
        {"inspection_id": "QI-2", "inspection_result": "fail", "inspection_date": at, "ncr_number": "NCR-1"},
        {"inspection_id": "QI-3", "inspection_result": "pass", "inspection_date": at},
        {"inspection_id": "QI-4", "inspection_result": "FAIL", "inspection_date": at},
    ])
    values = [10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 14.0, 10.1, 9.9, 10.0]
    add(dbs, qv.QMS, SpcControlCharts, [{"chart_id": "SPC-1", "chart_type": "i_mr", "chart_status": "out_of_control",
                                         "lower_spec_limit": Decimal("8"), "upper_spec_limit": Decimal("12")}])
    add(dbs, qv.QMS, SpcDataPoints, [
        {"data_point_id": f"P-{i:02d}", "chart_id": "SPC-1", "measurement_timestamp": at + dt.timedelta(minutes=i),
         "subgroup_number": i, "measurement_value": Decimal(str(v)), "out_of_control": False}
        for i, v in enumerate(values)])
    add(dbs, qv.QMS, MeasuringEquipment, [
        {"equipment_id": "MEQ-1", "locked_out": True, "equipment_status": "locked_out",
         "next_calibration_due": TODAY - dt.timedelta(days=3), "calibration_frequency_days": 90},
        {"equipment_id": "MEQ-2", "locked_out": False, "equipment_status": "active",
         "next_calibration_due": TODAY - dt.timedelta(days=1), "calibration_frequency_days": 90},
        {"equipment_id": "MEQ-3", "locked_out": False, "equipment_status": "active",
         "next_calibration_due": TODAY + dt.timedelta(days=5), "calibration_frequency_days": 90},
        {"equipment_id": "MEQ-4", "locked_out": False, "equipment_status": "active",
         "next_calibration_due": TODAY + dt.timedelta(days=20), "calibration_frequency_days": 90},
        {"equipment_id": "MEQ-5", "locked_out": False, "equipment_status": "active",
         "next_calibration_due": TODAY + dt.timedelta(days=100), "calibration_frequency_days": 90},
    ])
    add(dbs, qv.QMS, EightDReports, [{"eight_d_id": "8D-1", "eight_d_status": "D2", "source_type": "ncr",
                                      "source_document_id": "NCR-1", "team_members": []}])
    add(dbs, qv.QMS, QualityAudits, [{"audit_id": "AUD-1", "audit_status": "completed", "planned_date": TODAY}])
    add(dbs, qv.QMS, AuditFindings, [{"finding_id": "F-1", "audit_id": "AUD-1", "finding_status": "open"},
                                     {"finding_id": "F-2", "audit_id": "AUD-1", "finding_status": "closed"}])
    return dbs


@pytest.fixture
def estate(sqlite_dbs):
    return build(sqlite_dbs)


def column(page, name: str) -> list:
    return [row[page.columns.index(name)] for row in page.rows]


def test_ncr_pages_capas_overdue_first_and_calibration_states(any_dbs):
    dbs = build(any_dbs)
    page = qv.ncrs_page(dbs, MANAGER, PageQuery())
    assert page.keys == ["NCR-1", "NCR-5", "NCR-4", "NCR-3", "NCR-2"]  # newest detected first
    assert qv.ncrs_page(dbs, MANAGER, PageQuery(filter_text="status=open supplier=SUP-1")).keys == ["NCR-1"]
    assert qv.ncrs_page(dbs, MANAGER, PageQuery(filter_text="severity=minor")).keys == ["NCR-2"]
    assert qv.ncrs_page(dbs, MANAGER, PageQuery(filter_text="source=mes_inspection")).keys == ["NCR-5"]
    assert "NCR-2" not in qv.ncrs_page(dbs, MANAGER, PageQuery(), open_only=True).keys
    assert qv.ncr_counts(dbs, MANAGER) == {"open": 2, "closed": 1, "capa": 1, "verification": 1}

    capas = qv.capas_page(dbs, MANAGER, TODAY, PageQuery())
    assert capas.keys == ["CAPA-1", "CAPA-4", "CAPA-2"]  # closed left out, fewest days left first
    assert column(capas, "days_left") == [-4, 2, 10]
    assert column(capas, "overdue") == ["yes", "no", "no"]
    assert column(capas, "open_actions") == [1, 0, 0] and column(capas, "actions") == [2, 0, 1]
    everything = qv.capas_page(dbs, MANAGER, TODAY, PageQuery(), open_only=False)
    assert set(everything.keys) == {"CAPA-1", "CAPA-2", "CAPA-3", "CAPA-4"}
    assert dict(zip(everything.keys, column(everything, "days_left")))["CAPA-3"] is None

    cal = qv.calibration_page(dbs, MANAGER, TODAY, PageQuery())
    assert cal.keys == ["MEQ-1", "MEQ-2", "MEQ-3", "MEQ-4"]  # earliest due first, ok ones left out
    assert column(cal, "state") == ["locked_out", "overdue", "due_7_days", "due_30_days"]
    assert column(cal, "days_left") == [-3, -1, 5, 20]
    assert len(qv.calibration_page(dbs, MANAGER, TODAY, PageQuery(), attention_only=False).rows) == 5
    assert qv.calibration_summary(dbs, MANAGER, TODAY) == {"locked_out": 1, "overdue": 1, "due_7_days": 1,
                                                           "due_30_days": 1, "ok": 1}


def test_what_an_ncr_needs_next_follows_the_service(estate):
    in_capa = qv.ncr_detail(estate, MANAGER, "NCR-3")
    assert [c["capa_id"] for c in in_capa["capas"]] == ["CAPA-1"] and len(in_capa["capas"][0]["actions"]) == 2
    steps = {s["target"]: s for s in in_capa["steps"]}
    assert set(steps) == {"verification", "cancelled"}
    assert steps["verification"]["needs"] == [("a linked CAPA", True), ("CAPA actions completed (1 open)", False)]
    assert not steps["verification"]["ready"] and qv.forward_step(in_capa["steps"])["target"] == "verification"

    verifying = qv.ncr_detail(estate, MANAGER, "NCR-4")
    steps = {s["target"]: s for s in verifying["steps"]}
    assert steps["closed"]["ready"] and steps["closed"]["permitted"] and steps["closed"]["capability"] == "ncr.close"
    assert qv.forward_step(verifying["steps"])["target"] == "closed"  # capa is the way back, not forward
    as_inspector = {s["target"]: s for s in qv.ncr_detail(estate, INSPECTOR, "NCR-4")["steps"]}
    assert not as_inspector["closed"]["permitted"] and not as_inspector["cancelled"]["permitted"]
    assert not as_inspector["capa"]["permitted"]  # sending back to capa is a disposition (ncr.disposition)

    fresh = {s["target"]: s for s in qv.ncr_detail(estate, MANAGER, "NCR-1")["steps"]}
    assert fresh["containment"]["needs"] == [("containment action", False)] and not fresh["containment"]["ready"]
    assert qv.ncr_detail(estate, MANAGER, "NCR-2")["steps"] == []  # closed: nothing further
    with pytest.raises(NotFound):
        qv.ncr_detail(estate, MANAGER, "NCR-404")


def test_failed_inspections_without_an_ncr(estate):
    # QI-2 is linked by its ncr_number, QI-4 by the NCR's source; QI-3 passed
    assert [r["inspection_id"] for r in qv.failed_inspections_without_ncr(estate, MANAGER)] == ["QI-1"]


def test_capa_detail_and_spc_flags(estate):
    capa = qv.capa_detail(estate, MANAGER, "CAPA-1")
    assert [a["action_id"] for a in capa["open_actions"]] == ["A-1"] and capa["ncr"]["ncr_status"] == "capa"
    chart = qv.spc_chart(estate, MANAGER, "SPC-1")
    assert len(chart["points"]) == 15 and chart["limits"].lcl < chart["limits"].center_line < chart["limits"].ucl
    assert [i for i, f in enumerate(chart["flags"]) if "N1" in f] == [11]  # the 14.0 beyond 3 sigma
    assert chart["rules_broken"][0]["rule"] == "N1" and "3 sigma" in chart["rules_broken"][0]["description"]
    assert chart["capability"].cp is not None
    newest = qv.spc_chart(estate, MANAGER, "SPC-1", points=5)
    assert [p["data_point_id"] for p in newest["points"]] == ["P-10", "P-11", "P-12", "P-13", "P-14"]
    charts = qv.spc_charts_page(estate, MANAGER, PageQuery())
    assert column(charts, "points") == [15]


def test_overview_counts(estate):
    assert qv.quality_overview(estate, MANAGER, TODAY) == {
        "open_ncrs": 4, "open_capas": 3, "overdue_capas": 1, "open_actions": 1, "charts": 1, "charts_out_of_control": 1,
        "locked_out": 1, "open_complaints": 0, "open_eight_d": 1, "open_findings": 1}


def test_eight_d_audits_and_read_access(estate):
    report = qv.eight_d_detail(estate, MANAGER, "8D-1")
    assert report["next_discipline"] == "D3" and report["next_required"] == ("containment_action",)
    assert qv.eight_d_page(estate, MANAGER, PageQuery()).keys == ["8D-1"]
    assert set(qv.findings_page(estate, MANAGER, PageQuery(), audit_id="AUD-1").keys) == {"F-1", "F-2"}
    assert qv.findings_page(estate, MANAGER, PageQuery(), audit_id="AUD-404").keys == []
    assert qv.audits_page(estate, MANAGER, PageQuery()).keys == ["AUD-1"]
    outsider = role_user("warehouse_operator")
    for call in (lambda: qv.ncrs_page(estate, outsider, PageQuery()), lambda: qv.capas_page(estate, outsider, TODAY, PageQuery()),
                 lambda: qv.spc_chart(estate, outsider, "SPC-1"), lambda: qv.calibration_summary(estate, outsider, TODAY),
                 lambda: qv.quality_overview(estate, outsider, TODAY)):
        with pytest.raises(PermissionDenied):
            call()
