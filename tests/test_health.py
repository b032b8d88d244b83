"""The daemons' health checks (seed 002's dashboard): values computed from the data on a seeded
SQLite estate and on a hand-built estate (SQLite and PostgreSQL in both layouts), a check that
crosses its threshold raising its alert once and resolving it, a missing database reported rather
than raised, and `genims health` exit codes and JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from clitools import assert_usage_error, describe, json_out, run_cli
from sqlalchemy import insert, select, update

from genims_tui.backend.databases import ALL_DATABASES, Databases
from genims_tui.backend.health import CHECKS, evaluate_health
from genims_tui.backend.models.console import Alerts
from genims_tui.backend.models.erp import ProductionOrders, SalesOrders
from genims_tui.backend.models.erp_wms_sync import (
    InventoryReconciliationHeaders,
    InventoryReconciliationLines,
    InventorySyncQueue,
)
from genims_tui.backend.models.financial import JournalEntryHeaders
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import CapaHeaders, MeasuringEquipment, SpcControlCharts
from genims_tui.backend.models.supplier import (
    RfqHeaders,
    RfqSuppliers,
    SupplierDocuments,
    SupplierInvoices,
    ThreeWayMatchLog,
)
from genims_tui.backend.scheduler import run_job
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)
NOW = AS_OF + dt.timedelta(minutes=30)
KEYS = ["gl_posting_success", "inventory_sync_success", "major_variances", "invoice_match_rate",
        "document_expiry_alerts", "rfq_overdue_suppliers", "overdue_calibrations", "overdue_capas",
        "ncr_auto_creation", "spc_out_of_control"]


def clock() -> dt.datetime:
    return NOW


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    env = sqlite_env(tmp_path_factory.mktemp("health"))
    dbs = Databases(load_settings(environ=env))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    yield dbs, env
    dbs.dispose()


def by_key(checks) -> dict:
    return {c.key: c for c in checks}


def test_the_checks_follow_seed_002_and_agree_with_the_data(seeded):
    dbs, _ = seeded
    checks = evaluate_health(dbs, NOW)
    assert [c.key for c in checks] == KEYS == [s.key for s in CHECKS]
    assert all(c.available and c.detail for c in checks)
    got = by_key(checks)
    today = NOW.date()
    with dbs.connect("genims_quality_db") as conn:
        equipment = conn.execute(select(MeasuringEquipment.next_calibration_due, MeasuringEquipment.equipment_status)).all()
        charts = conn.execute(select(SpcControlCharts.chart_status)).scalars().all()
        capas = conn.execute(select(CapaHeaders.capa_status, CapaHeaders.target_completion_date)).all()
    overdue_eq = sum(1 for due, status in equipment if (due is None or due < today) and status not in ("retired", "scrapped"))
    assert got["overdue_calibrations"].value == overdue_eq
    assert got["spc_out_of_control"].value == charts.count("out_of_control")
    assert got["overdue_capas"].value == sum(1 for s, due in capas if s in ("open", "implementation", "overdue")
                                             and due and due < today)
    with dbs.connect("genims_erp_wms_sync_db") as conn:
        statuses = conn.execute(select(InventorySyncQueue.sync_status).where(
            InventorySyncQueue.processed_at >= NOW - dt.timedelta(hours=24), InventorySyncQueue.processed_at <= NOW)).scalars().all()
    done = statuses.count("completed")
    attempted = done + statuses.count("failed") + statuses.count("dead_letter")
    sync = got["inventory_sync_success"]
    assert sync.value == (round(Decimal(100 * done) / attempted, 2) if attempted else None)
    # every verdict follows its threshold
    for key in ("major_variances", "rfq_overdue_suppliers", "overdue_calibrations", "overdue_capas", "spc_out_of_control"):
        assert got[key].ok == (got[key].value <= got[key].threshold), key
    for key in ("gl_posting_success", "inventory_sync_success", "invoice_match_rate"):
        assert got[key].ok == (got[key].value is None or got[key].value >= got[key].threshold), key


def _overdue_capas(dbs: Databases, n: int, start: int = 1) -> list[str]:
    ids = [f"CAPA-H{start + i:03d}" for i in range(n)]
    with dbs.begin("genims_quality_db") as conn:
        conn.execute(insert(CapaHeaders), [dict(
            capa_id=i, capa_number=i, capa_status="open", target_completion_date=NOW.date() - dt.timedelta(days=10),
            created_at=NOW - dt.timedelta(days=40)) for i in ids])
    return ids


def _health_alert(dbs: Databases, key: str):
    with dbs.connect("genims_console_db") as conn:
        return conn.execute(select(Alerts).where(Alerts.alert_key == f"health:{key}")).all()


def test_a_check_crossing_its_threshold_raises_its_alert_once_and_resolves(seeded):
    dbs, _ = seeded
    before = by_key(evaluate_health(dbs, NOW))["overdue_capas"]
    assert before.ok and before.value <= 5
    added = _overdue_capas(dbs, 6 - before.value)
    now_failing = by_key(evaluate_health(dbs, NOW))["overdue_capas"]
    assert now_failing.value == 6 and not now_failing.ok

    first = run_job(dbs, "health_check", clock=clock)
    assert first.outcome == "success", first.error
    assert first.counts["alerts_raised"] >= 1 and first.counts["checks_failing"] >= 1
    alert = _health_alert(dbs, "overdue_capas")
    assert len(alert) == 1 and alert[0].resolved_at is None and alert[0].source == "health"
    assert "CAPA overdue count" in alert[0].message and "> 5" in alert[0].message

    second = run_job(dbs, "health_check", clock=clock)
    assert second.counts["alerts_raised"] == 0 and second.counts["alerts_resolved"] == 0
    assert len(_health_alert(dbs, "overdue_capas")) == 1

    with dbs.begin("genims_quality_db") as conn:
        conn.execute(update(CapaHeaders).where(CapaHeaders.capa_id.in_(added)).values(capa_status="closed"))
    third = run_job(dbs, "health_check", clock=clock)
    assert third.counts["alerts_resolved"] == 1
    assert _health_alert(dbs, "overdue_capas")[0].resolved_at == NOW
    # a check that still fails keeps its one open alert
    failing = [c.key for c in evaluate_health(dbs, NOW) if not c.ok]
    assert failing and all(len(_health_alert(dbs, k)) == 1 and _health_alert(dbs, k)[0].resolved_at is None
                           for k in failing)


def _build_estate(dbs: Databases) -> None:
    """A hand-made estate where every check has a known value."""
    dbs.create()
    today, day = NOW.date(), dt.timedelta(days=1)
    with dbs.begin("genims_erp_db") as conn:
        conn.execute(insert(SalesOrders), [
            dict(sales_order_id="SO-H1", overall_billing_status="invoiced", updated_at=NOW - day),
            dict(sales_order_id="SO-H2", overall_billing_status="not_invoiced", updated_at=NOW - day)])
        conn.execute(insert(ProductionOrders), [
            dict(production_order_id="PRD-H1", system_status="completed", actual_finish_date=today - day)])
    with dbs.begin("genims_financial_db") as conn:
        conn.execute(insert(JournalEntryHeaders).values(journal_entry_id="JE-H1", source_type="sales_invoice",
                                                        source_document_id="SO-H1", posting_date=today - day))
    with dbs.begin("genims_erp_wms_sync_db") as conn:
        conn.execute(insert(InventorySyncQueue), [
            dict(queue_id=f"SQ-H{i}", sync_status=s, processed_at=NOW - dt.timedelta(hours=h), created_at=NOW - day * 3)
            for i, (s, h) in enumerate([("completed", 1), ("completed", 2), ("completed", 3), ("failed", 4),
                                        ("completed", 49), ("pending", 1)])])
        conn.execute(insert(InventoryReconciliationHeaders), [
            dict(reconciliation_id="REC-OLD", reconciliation_date=today - day * 2, location_id="P1",
                 started_at=NOW - day * 2),
            dict(reconciliation_id="REC-NEW", reconciliation_date=today, location_id="P1", started_at=NOW - dt.timedelta(hours=1))])
        conn.execute(insert(InventoryReconciliationLines), [
            dict(line_id=f"RL-{rec}-{i}", reconciliation_id=rec, line_number=i, variance_status="major")
            for rec, n in (("REC-OLD", 10), ("REC-NEW", 6)) for i in range(n)])
    with dbs.begin("genims_supplier_db") as conn:
        conn.execute(insert(SupplierInvoices), [dict(invoice_id=i) for i in ("INV-HA", "INV-HB")])
        conn.execute(insert(ThreeWayMatchLog), [
            dict(log_id="TWM-1", invoice_id="INV-HA", match_timestamp=NOW - day, match_result="matched", within_tolerance=True),
            dict(log_id="TWM-2", invoice_id="INV-HA", match_timestamp=NOW - day, match_result="within_tolerance",
                 within_tolerance=True),
            dict(log_id="TWM-3", invoice_id="INV-HB", match_timestamp=NOW - day, match_result="exception",
                 within_tolerance=False)])
        conn.execute(insert(SupplierDocuments).values(document_id="SDOC-H1", expiry_date=today + day * 20,
                                                      document_status="active", expiry_alert_sent=False))
        conn.execute(insert(RfqHeaders).values(rfq_id="RFQ-H1", rfq_status="published", response_deadline=today - day * 2))
        conn.execute(insert(RfqSuppliers), [dict(rfq_supplier_id=f"RFQS-H{i}", rfq_id="RFQ-H1", supplier_id=f"SUP-{i}",
                                                 response_status="pending") for i in range(11)])
    with dbs.begin("genims_quality_db") as conn:
        conn.execute(insert(MeasuringEquipment), [
            dict(equipment_id=f"EQ-H{i}", equipment_status=status, next_calibration_due=due)
            for i, (status, due) in enumerate([("active", today - day)] * 3 + [("locked_out", None),
                                              ("active", today + day * 60), ("retired", today - day * 99)])])
        conn.execute(insert(CapaHeaders), [dict(capa_id=f"CAPA-H{i}", capa_status=s, target_completion_date=today - day)
                                           for i, s in enumerate(["open", "overdue", "closed", "verification"])])
        conn.execute(insert(SpcControlCharts), [dict(chart_id=f"SPC-H{i}", chart_status=s) for i, s in
                                                enumerate(["out_of_control", "out_of_control", "in_control", "retired"])])
    with dbs.begin("genims_manufacturing_db") as conn:
        conn.execute(insert(QualityInspections).values(inspection_id="QI-H1", inspection_result="fail",
                                                       inspection_date=NOW - dt.timedelta(hours=2)))


EXPECTED = {  # key: (value, ok) on the hand-made estate
    "gl_posting_success": (Decimal("50.00"), False), "inventory_sync_success": (Decimal("75.00"), False),
    "major_variances": (6, False), "invoice_match_rate": (Decimal("50.00"), False),
    "document_expiry_alerts": (0, False), "rfq_overdue_suppliers": (11, False), "overdue_calibrations": (4, False),
    "overdue_capas": (2, True), "ncr_auto_creation": (0, False), "spc_out_of_control": (2, True),
}


def test_each_check_on_a_known_estate(any_dbs):
    _build_estate(any_dbs)
    got = {c.key: (c.value, c.ok) for c in evaluate_health(any_dbs, NOW)}
    assert got == EXPECTED


def test_a_missing_database_is_reported_not_raised(sqlite_dbs):
    checks = evaluate_health(sqlite_dbs, NOW)  # nothing created
    assert [c.key for c in checks] == KEYS
    assert all(c.value is None and not c.ok and not c.available and "genims init" in c.detail for c in checks)

    sqlite_dbs.create([db for db in ALL_DATABASES if db != "genims_supplier_db"])
    partial = by_key(evaluate_health(sqlite_dbs, NOW))
    unavailable = {k for k, c in partial.items() if not c.available}
    assert unavailable == {"invoice_match_rate", "document_expiry_alerts", "rfq_overdue_suppliers"}
    assert all(partial[k].ok for k in set(KEYS) - unavailable)  # an empty estate is healthy


def test_cli_reports_the_checks_and_exits_1_when_one_fails(seeded):
    dbs, env = seeded
    expected = evaluate_health(dbs, NOW)
    result = run_cli("health", "--json", "--at", NOW.isoformat(), env=env)
    assert result.returncode == (0 if all(c.ok for c in expected) else 1), describe(result)
    doc = json_out(result)
    assert doc["ok"] is all(c.ok for c in expected) is False
    assert [c["key"] for c in doc["checks"]] == KEYS
    for c, e in zip(doc["checks"], expected, strict=True):
        assert c["ok"] == e.ok and c["daemon"] == e.daemon and c["detail"] == e.detail
        assert c["value"] == (None if e.value is None else float(e.value))
        assert set(c) == {"key", "daemon", "metric", "value", "threshold", "unit", "ok", "detail", "rule", "available"}

    table = run_cli("health", "--at", NOW.isoformat(), env=env)
    assert table.returncode == 1, describe(table)
    assert "GL posting success rate" in table.stdout and "FAIL" in table.stdout
    assert "checks pass; failing:" in table.stderr


def test_cli_exits_0_on_a_healthy_estate_and_2_without_databases(tmp_path):
    env = sqlite_env(tmp_path / "empty")
    assert_usage_error(run_cli("health", "--json", env=env), "genims init")
    dbs = Databases(load_settings(environ=env))
    try:
        dbs.create()
    finally:
        dbs.dispose()
    result = run_cli("health", "--json", env=env)
    assert result.returncode == 0, describe(result)
    doc = json_out(result)
    assert doc["ok"] is True and len(doc["checks"]) == len(KEYS) and all(c["ok"] for c in doc["checks"])
    assert_usage_error(run_cli("health", "--at", "yesterday", env=env), "--at", "yesterday")
