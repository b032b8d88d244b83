"""Issue #6 acceptance: on a freshly seeded estate `genims run-daemons --once` runs every automation
without error and each one does real work (its counts in the run records); a second `--once` posts
and creates nothing twice, and the books still balance.

The seed leaves each automation's most recent cycle undone (seeds README, "The last cycle is left
undone"). The CLI runs on the real clock, so the estate is seeded as of the start of the current
hour (what `genims seed` does by default): the first run is then "the daemons catching up".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from clitools import describe, json_out, run_cli
from conftest import _drop_pg_databases, pg_env, require_pg, sqlite_env
from sqlalchemy import func, select

from genims_tui.backend.databases import Databases
from genims_tui.backend.models import console, crm, erp, erp_wms_sync, financial, maintenance, quality, service, supplier
from genims_tui.backend.scheduler import registry
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

# what the first run of these must have done, beyond rows_touched > 0 (the seed's undone last cycle)
FIRST_RUN_WORK = {
    "gl_posting": ("sales_posted", "production_posted", "receipts_posted"),
    "supplier_performance": ("suppliers_scored", "scorecards_published"),
    "capa_escalation": ("capas_overdue",),
    "quality_kpis": ("kpi_days_recorded",),
    "quote_expiry": ("quotes_expired",),
}
GL_SWEEP_SOURCES = ("goods_receipt", "sales_invoice", "production_completion")


def _as_of() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, minute=0, second=0, microsecond=0)


def _automations() -> set[str]:
    return {name for name, job in registry().items() if job.kind == "automation"}


def _keys(dbs: Databases, database: str, *columns, where=None) -> Counter:
    """How many rows each combination of `columns` has (a row created twice counts 2)."""
    query = select(*columns)
    if where is not None:
        query = query.where(where)
    with dbs.connect(database) as conn:
        return Counter(tuple(row) for row in conn.execute(query))


# the business rows the automations create or post, each by its natural key
SNAPSHOT: dict[str, Callable[[Databases], Counter]] = {
    "journal entries by source": lambda d: _keys(d, "genims_financial_db", financial.JournalEntryHeaders.source_type,
                                                 financial.JournalEntryHeaders.source_document_id),
    "journal lines": lambda d: _keys(d, "genims_financial_db", financial.JournalEntryLines.line_id),
    "NCRs by source": lambda d: _keys(d, "genims_quality_db", quality.NcrHeaders.source_type, quality.NcrHeaders.source_document_id),
    "complaints by ticket": lambda d: _keys(d, "genims_quality_db", quality.CustomerComplaints.service_ticket_id),
    "quality KPIs by date": lambda d: _keys(d, "genims_quality_db", quality.QualityKpis.kpi_date),
    "calibration alerts": lambda d: _keys(d, "genims_quality_db", quality.CalibrationAlerts.equipment_id,
                                          quality.CalibrationAlerts.alert_type),
    "overdue CAPAs": lambda d: _keys(d, "genims_quality_db", quality.CapaHeaders.capa_id,
                                     where=quality.CapaHeaders.capa_status == "overdue"),
    "maintenance work orders by source": lambda d: _keys(d, "genims_maintenance_db", maintenance.WorkOrders.source_type,
                                                         maintenance.WorkOrders.source_document_id,
                                                         maintenance.WorkOrders.machine_fault_id, maintenance.WorkOrders.asset_id,
                                                         maintenance.WorkOrders.wo_type, maintenance.WorkOrders.scheduled_start_date),
    "console alerts by key": lambda d: _keys(d, "genims_console_db", console.Alerts.alert_key),
    "scorecards by supplier and period": lambda d: _keys(d, "genims_supplier_db", supplier.SupplierScorecards.supplier_id,
                                                         supplier.SupplierScorecards.scorecard_period,
                                                         supplier.SupplierScorecards.scorecard_type),
    "performance metrics by supplier and period": lambda d: _keys(d, "genims_supplier_db",
                                                                  supplier.SupplierPerformanceMetrics.supplier_id,
                                                                  supplier.SupplierPerformanceMetrics.metric_period),
    "supplier notifications": lambda d: _keys(d, "genims_supplier_db", supplier.SupplierNotifications.supplier_id,
                                              supplier.SupplierNotifications.notification_type,
                                              supplier.SupplierNotifications.reference_id),
    "ticket escalations": lambda d: _keys(d, "genims_service_db", service.TicketEscalations.ticket_id,
                                          service.TicketEscalations.escalation_level),
    "escalated CRM cases": lambda d: _keys(d, "genims_crm_db", crm.Cases.case_id, where=crm.Cases.escalated.is_(True)),
    "expired quotes": lambda d: _keys(d, "genims_crm_db", crm.Quotations.quotation_id,
                                      where=crm.Quotations.quotation_status == "expired"),
    "sync queue items": lambda d: _keys(d, "genims_erp_wms_sync_db", erp_wms_sync.InventorySyncQueue.sync_direction,
                                        erp_wms_sync.InventorySyncQueue.transaction_type,
                                        erp_wms_sync.InventorySyncQueue.transaction_id),
    "purchase orders": lambda d: _keys(d, "genims_erp_db", erp.PurchaseOrders.purchase_order_id),
    "production orders": lambda d: _keys(d, "genims_erp_db", erp.ProductionOrders.production_order_id),
    "goods receipts": lambda d: _keys(d, "genims_erp_db", erp.GoodsReceipts.goods_receipt_id),
}


def _snapshot(dbs: Databases) -> dict[str, Counter]:
    return {name: take(dbs) for name, take in SNAPSHOT.items()}


def _trial_balance(dbs: Databases) -> Decimal:
    lines = financial.JournalEntryLines
    with dbs.connect("genims_financial_db") as conn:
        debit, credit = conn.execute(select(func.coalesce(func.sum(lines.debit_amount), 0),
                                            func.coalesce(func.sum(lines.credit_amount), 0))).one()
    return Decimal(str(debit)) - Decimal(str(credit))


def _run_once(env: dict[str, str]) -> dict[str, dict]:
    result = run_cli("run-daemons", "--once", "--json", env=env, timeout=600)
    assert result.returncode == 0, describe(result)
    out = json_out(result)
    assert out["ok"] is True, describe(result)
    return {run["job_name"]: run for run in out["runs"]}


def _acceptance(env: dict[str, str], scale: float) -> None:
    dbs = Databases(load_settings(environ=env))
    try:
        run_seed(dbs, scale=scale, seed=3, as_of=_as_of())
        assert _trial_balance(dbs) == 0
        before = _snapshot(dbs)

        first = _run_once(env)
        automations = _automations()
        assert automations <= set(first), sorted(automations - set(first))
        idle = {name: first[name]["counts"] for name in sorted(automations)
                if first[name]["outcome"] != "success" or first[name]["rows_touched"] <= 0}
        assert not idle, f"automations that failed or did no work on the first run: {idle}"
        for name, counts in FIRST_RUN_WORK.items():
            assert all(first[name]["counts"][c] > 0 for c in counts), (name, first[name]["counts"])

        after_first = _snapshot(dbs)
        assert after_first != before
        posted = after_first["journal entries by source"]
        assert all(n == 1 for (source, _doc), n in posted.items() if source in GL_SWEEP_SOURCES), \
            [k for k, n in posted.items() if n > 1]
        assert _trial_balance(dbs) == 0

        second = _run_once(env)
        assert all(second[name]["outcome"] == "success" for name in automations), \
            {n: second[n]["error"] for n in automations if second[n]["outcome"] != "success"}
        assert all(second["gl_posting"]["counts"][c] == 0 for c in FIRST_RUN_WORK["gl_posting"]), second["gl_posting"]
        after_second = _snapshot(dbs)
        changed = {name: sorted((after_second[name] - after_first[name]).elements())[:10]
                   for name in SNAPSHOT if after_second[name] != after_first[name]}
        assert not changed, f"the second run posted or created again: {changed}"
        assert _trial_balance(dbs) == 0
    finally:
        dbs.dispose()

    check = run_cli("check", "--json", env=env)
    assert check.returncode == 0, describe(check)


def test_seeded_sqlite_estate_every_automation_works_once(tmp_path):
    _acceptance(sqlite_env(tmp_path), scale=0.02)


@pytest.mark.pg
def test_seeded_postgres_estate_every_automation_works_once(tmp_path):
    require_pg()
    tag = uuid.uuid4().hex[:8]
    try:
        _acceptance(pg_env("databases", tag, tmp_path), scale=0.02)
    finally:
        _drop_pg_databases(f"gtest_{tag}%")
