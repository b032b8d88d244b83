"""The financial + ERP-WMS sync daemon's jobs on a seeded estate (scale 0.02, frozen clock): the GL
posting sweep (invoiced sales orders, completed production orders, goods receipts), the day's sync
metrics, and an alert per major reconciliation variance. Each does real work once and nothing twice;
the trial balance stays 0; a failing document is left for the next cycle while the others post."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, update

from genims_tui.backend.databases import Databases
from genims_tui.backend.models.console import Alerts, DaemonLog
from genims_tui.backend.models.erp import GoodsReceipts, InventoryBalances, ProductionOrders, SalesOrders
from genims_tui.backend.models.erp_wms_sync import InventorySyncMetrics
from genims_tui.backend.models.financial import JournalEntryHeaders, JournalEntryLines
from genims_tui.backend.scheduler import run_job
from genims_tui.backend.services import finance, inventory_sync
from genims_tui.backend.services.base import ServiceContext
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)
ERP, FIN, SYNC, CONSOLE = "genims_erp_db", "genims_financial_db", "genims_erp_wms_sync_db", "genims_console_db"
TOO_BIG = Decimal("9999999999999.00")  # net + freight beyond what a journal amount may hold


def clock() -> dt.datetime:
    return AS_OF + dt.timedelta(minutes=30)


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path_factory.mktemp("fin_jobs"))))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    yield dbs
    dbs.dispose()


def run(dbs: Databases, job: str) -> dict[str, int]:
    result = run_job(dbs, job, clock=clock)
    assert result.outcome == "success", result.error
    return result.counts


def entries_of(dbs: Databases, source_type: str, ids) -> dict[str, int]:
    h = JournalEntryHeaders
    with dbs.connect(FIN) as conn:
        return dict(conn.execute(select(h.source_document_id, func.count()).where(
            h.source_type == source_type, h.source_document_id.in_(list(ids))).group_by(h.source_document_id)).all())


def duplicated_sources(dbs: Databases) -> list:
    h = JournalEntryHeaders
    with dbs.connect(FIN) as conn:
        return conn.execute(select(h.source_type, h.source_document_id).where(h.source_document_id.is_not(None))
                            .group_by(h.source_type, h.source_document_id).having(func.count() > 1)).all()


def unpost(dbs: Databases, source_type: str, ids) -> None:
    """Lose the journal entries of these documents, as if they had been invoiced, completed or received
    while finance was not reachable (or outside the console)."""
    h, ln = JournalEntryHeaders, JournalEntryLines
    with dbs.begin(FIN) as conn:
        entry_ids = conn.execute(select(h.journal_entry_id).where(
            h.source_type == source_type, h.source_document_id.in_(list(ids)))).scalars().all()
        assert entry_ids
        conn.execute(delete(ln).where(ln.journal_entry_id.in_(entry_ids)))
        conn.execute(delete(h).where(h.journal_entry_id.in_(entry_ids)))


def trial_balance_total(dbs: Databases) -> Decimal:
    return finance.trial_balance(ServiceContext(dbs, clock=clock))["total_balance"]


def catch_up_the_seed(dbs: Databases) -> None:
    """The seed leaves the GL sweep's last cycle undone (its newest receipts, invoices and completions
    have no entry: seeds README); the first cycle posts them, so the books start fully posted."""
    counts = run(dbs, "gl_posting")
    assert counts["failed"] == 0 and all(counts[k] > 0 for k in ("sales_posted", "production_posted", "receipts_posted")), counts
    assert duplicated_sources(dbs) == []


def unposted_documents(dbs: Databases) -> dict[str, list[str]]:
    """Lose the postings of two invoiced orders, two completed production orders and one goods
    receipt; and have the two orders the seed left uninvoiced invoiced outside the console."""
    catch_up_the_seed(dbs)
    with dbs.connect(ERP) as conn:
        invoiced = conn.execute(select(SalesOrders.sales_order_id).where(SalesOrders.overall_billing_status == "invoiced")
                                .order_by(SalesOrders.sales_order_id)).scalars().all()
        open_orders = conn.execute(select(SalesOrders.sales_order_id).where(SalesOrders.overall_billing_status == "not_invoiced")
                                   .order_by(SalesOrders.sales_order_id)).scalars().all()
        done = conn.execute(select(ProductionOrders.production_order_id).where(
            ProductionOrders.system_status.in_(("completed", "closed"))).order_by(ProductionOrders.production_order_id)
        ).scalars().all()
        receipt = conn.execute(select(GoodsReceipts.goods_receipt_id).where(GoodsReceipts.total_value > 0)
                               .order_by(GoodsReceipts.goods_receipt_id)).scalars().first()
    assert len(invoiced) >= 2 and len(open_orders) >= 2 and len(done) >= 2 and receipt
    unpost(dbs, "sales_invoice", invoiced[:2])
    unpost(dbs, "production_completion", done[:2])
    unpost(dbs, "goods_receipt", [receipt])
    with dbs.begin(ERP) as conn:
        conn.execute(update(SalesOrders).where(SalesOrders.sales_order_id.in_(open_orders[:2]))
                     .values(overall_billing_status="invoiced", order_status="invoiced"))
    return {"sales": invoiced[:2] + open_orders[:2], "production": done[:2], "receipts": [receipt],
            "already_posted": invoiced[2:]}


def test_gl_posting_posts_what_has_no_entry_once_and_keeps_the_books_balanced(estate):
    docs = unposted_documents(estate)
    assert entries_of(estate, "sales_invoice", docs["sales"]) == {}
    already = entries_of(estate, "sales_invoice", docs["already_posted"])
    assert already and set(already.values()) == {1}
    # one of them carries an amount no journal can hold: it fails, the others post
    bad = docs["sales"][-1]
    with estate.begin(ERP) as conn:
        conn.execute(update(SalesOrders).where(SalesOrders.sales_order_id == bad)
                     .values(total_net_value=TOO_BIG, freight_charges=Decimal("10.00")))

    first = run(estate, "gl_posting")
    assert first == {"sales_posted": 3, "production_posted": 2, "receipts_posted": 1, "failed": 1}
    assert entries_of(estate, "sales_invoice", docs["sales"]) == {so: 1 for so in docs["sales"] if so != bad}
    assert entries_of(estate, "production_completion", docs["production"]) == {p: 1 for p in docs["production"]}
    assert entries_of(estate, "goods_receipt", docs["receipts"]) == {docs["receipts"][0]: 1}
    assert entries_of(estate, "sales_invoice", docs["already_posted"]) == already  # never posted again
    with estate.connect(CONSOLE) as conn:
        warnings = conn.execute(select(DaemonLog.message).where(DaemonLog.job_name == "gl_posting",
                                                                DaemonLog.level == "WARNING")).scalars().all()
    assert any(bad in w and "not posted" in w for w in warnings)
    # a posting of the sweep: today, Dr receivables / Cr revenue and tax, balanced
    h = JournalEntryHeaders
    with estate.connect(FIN) as conn:
        head = conn.execute(select(h).where(h.source_type == "sales_invoice", h.source_document_id == docs["sales"][0])).one()
    assert head.posting_date == clock().date() and head.total_debit == head.total_credit > 0

    # the next cycle: nothing posts twice; the failing order is tried again and still fails
    assert run(estate, "gl_posting") == {"sales_posted": 0, "production_posted": 0, "receipts_posted": 0, "failed": 1}
    # once its amount is corrected, it posts
    with estate.begin(ERP) as conn:
        conn.execute(update(SalesOrders).where(SalesOrders.sales_order_id == bad)
                     .values(total_net_value=Decimal("1234.50"), freight_charges=Decimal("0")))
    assert run(estate, "gl_posting") == {"sales_posted": 1, "production_posted": 0, "receipts_posted": 0, "failed": 0}
    assert run(estate, "gl_posting") == {"sales_posted": 0, "production_posted": 0, "receipts_posted": 0, "failed": 0}
    assert duplicated_sources(estate) == []
    assert trial_balance_total(estate) == 0


def test_sync_metrics_keeps_one_row_for_the_day(estate):
    assert run(estate, "sync_metrics")["metrics_updated"] == 1
    assert run(estate, "sync_metrics")["metrics_updated"] == 1
    m = InventorySyncMetrics
    with estate.connect(SYNC) as conn:
        rows = conn.execute(select(m.metric_id, m.success_rate_pct).where(m.metric_date == clock().date())).all()
    assert [r.metric_id for r in rows] == [f"SYM-{clock():%Y%m%d}"]
    assert rows[0].success_rate_pct is not None


def _variance_alerts(dbs: Databases, open_only: bool = True) -> dict[str, Alerts]:
    q = select(Alerts).where(Alerts.alert_key.like("reconcile.major:%"))
    if open_only:
        q = q.where(Alerts.resolved_at.is_(None))
    with dbs.connect(CONSOLE) as conn:
        return {a.alert_key: a for a in conn.execute(q).all()}


def test_major_variances_raise_one_alert_each_and_resolve_when_gone(estate):
    ctx = ServiceContext(estate, clock=clock)
    first = run(estate, "inventory_reconcile")
    assert first["major"] > 0 and first["alerts_raised"] == first["major"]
    alerts = _variance_alerts(estate)
    assert len(alerts) == first["major"]
    assert all(a.source == "inventory_reconcile" and a.severity == "warning" for a in alerts.values())

    second = run(estate, "inventory_reconcile")  # still major: raised once only
    assert second["alerts_raised"] == 0 and second["alerts_resolved"] == 0
    assert _variance_alerts(estate).keys() == alerts.keys()

    # a stock correction brings the ERP in line with the WMS for one of them
    key = sorted(alerts)[0]
    plant, material = key.removeprefix("reconcile.major:").split(":")
    wms = inventory_sync.wms_stock(ctx).get((material, plant), Decimal(0))
    ib = InventoryBalances
    with estate.begin(ERP) as conn:
        ids = conn.execute(select(ib.balance_id).where(ib.material_id == material, ib.plant_id == plant)
                           .order_by(ib.balance_id)).scalars().all()
        assert ids
        conn.execute(update(ib).where(ib.balance_id.in_(ids)).values(
            unrestricted_stock=0, quality_inspection_stock=0, blocked_stock=0))
        conn.execute(update(ib).where(ib.balance_id == ids[0]).values(unrestricted_stock=wms))

    third = run(estate, "inventory_reconcile")
    assert third["major"] == first["major"] - 1
    assert third["alerts_resolved"] == 1 and third["alerts_raised"] == 0
    assert key not in _variance_alerts(estate)
    assert _variance_alerts(estate, open_only=False)[key].resolved_at == clock()
    assert run(estate, "inventory_reconcile")["alerts_resolved"] == 0


@pytest.mark.pg
@pytest.mark.parametrize("pg_dbs", ["databases"], indirect=True)  # one layout: seeding PostgreSQL is slow
def test_gl_posting_on_postgresql(pg_dbs):
    run_seed(pg_dbs, scale=0.02, seed=3, as_of=AS_OF)
    docs = unposted_documents(pg_dbs)
    first = run(pg_dbs, "gl_posting")
    assert first == {"sales_posted": 4, "production_posted": 2, "receipts_posted": 1, "failed": 0}
    assert run(pg_dbs, "gl_posting") == {"sales_posted": 0, "production_posted": 0, "receipts_posted": 0, "failed": 0}
    assert entries_of(pg_dbs, "sales_invoice", docs["sales"]) == {so: 1 for so in docs["sales"]}
    assert entries_of(pg_dbs, "production_completion", docs["production"]) == {p: 1 for p in docs["production"]}
    assert duplicated_sources(pg_dbs) == []
    assert trial_balance_total(pg_dbs) == 0
