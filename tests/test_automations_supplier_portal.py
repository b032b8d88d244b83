"""The supplier portal daemon's rules as scheduler jobs on a seeded estate (scale 0.02, clock frozen
just after the seed's as_of): RFQ deadline reminders and closing, monthly scorecards (once per
supplier and period, caught up when the 1st was missed), document expiry notifications at 60/30 days
and expiry, contract expiry with pricing off and renewal reminders. Each job does real work the
first time and nothing on a rerun. One PostgreSQL case runs every rule on a few rows inserted here.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from genims_tui.backend.databases import Databases
from genims_tui.backend.models.erp import GoodsReceipts, PurchaseOrderLines, PurchaseOrders, Suppliers
from genims_tui.backend.models.supplier import (
    ContractPricing,
    RfqHeaders,
    RfqSuppliers,
    SupplierContracts,
    SupplierDocuments,
    SupplierNotifications,
    SupplierPerformanceMetrics,
    SupplierScorecards,
)
from genims_tui.backend.scheduler import run_job
from genims_tui.backend.services.supplier_portal import count_document_expiry_alerts, count_rfq_overdue_suppliers
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)
SUP, ERP = "genims_supplier_db", "genims_erp_db"
RATINGS = {"Excellent", "Good", "Acceptable", "Poor"}


def at(when: dt.datetime):
    return lambda: when


CLOCK = AS_OF + dt.timedelta(minutes=30)


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal_template")
    dbs = Databases(load_settings(environ=sqlite_env(root)))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    dbs.dispose()
    return root


@pytest.fixture
def estate(seeded_template, tmp_path):
    """A private copy of the seeded estate: each test changes it freely."""
    shutil.copytree(seeded_template / "data", tmp_path / "data")
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    yield dbs
    dbs.dispose()


def run(dbs, name, when=CLOCK) -> dict:
    result = run_job(dbs, name, clock=at(when))
    assert result.outcome == "success", result.error
    return result.counts


def notifications(dbs, ntype=None) -> list[dict]:
    query = select(SupplierNotifications.__table__)
    if ntype:
        query = query.where(SupplierNotifications.notification_type == ntype)
    with dbs.connect(SUP) as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def rows(dbs, db, model, *where) -> list[dict]:
    with dbs.connect(db) as conn:
        return [dict(r._mapping) for r in conn.execute(select(model.__table__).where(*where))]


# -- RFQ deadlines ---------------------------------------------------------------------------------------


def test_rfq_deadlines_remind_pending_suppliers_once_and_close_overdue_rfqs(estate):
    today = CLOCK.date()
    overdue_before = rows(estate, SUP, RfqHeaders, RfqHeaders.rfq_status == "published", RfqHeaders.response_deadline < today)
    assert overdue_before, "the seed leaves RFQs past their deadline still published"
    first = run(estate, "rfq_deadlines")
    assert first["reminders_sent"] > 0 and first["rfqs_closed"] == len(overdue_before) and first["suppliers_no_response"] > 0

    reminders = notifications(estate, "rfq_deadline_reminder")
    assert len(reminders) == first["reminders_sent"]
    assert max(Counter((n["reference_id"], n["supplier_id"]) for n in reminders).values()) == 1
    rfqs = {r["rfq_id"]: r for r in rows(estate, SUP, RfqHeaders)}
    invites = {(i["rfq_id"], i["supplier_id"]): i for i in rows(estate, SUP, RfqSuppliers)}
    for n in reminders:
        rfq = rfqs[n["reference_id"]]
        assert rfq["rfq_status"] == "published" and 0 <= (rfq["response_deadline"] - today).days <= 3
        assert invites[(n["reference_id"], n["supplier_id"])]["response_status"] in ("pending", "viewed")
        assert n["notification_status"] == "sent" and n["created_at"] == CLOCK
    # every pending supplier of an RFQ due within 3 days got one
    due = {rid for rid, r in rfqs.items() if r["rfq_status"] == "published" and 0 <= (r["response_deadline"] - today).days <= 3}
    pending = {k for k, i in invites.items() if k[0] in due and i["response_status"] in ("pending", "viewed")}
    assert pending == {(n["reference_id"], n["supplier_id"]) for n in reminders}

    for r in overdue_before:
        assert rfqs[r["rfq_id"]]["rfq_status"] == "evaluation"
        statuses = {i["response_status"] for k, i in invites.items() if k[0] == r["rfq_id"]}
        assert not statuses & {"pending", "viewed"}
    assert not [r for r in rfqs.values() if r["rfq_status"] == "published" and r["response_deadline"] < today]
    with estate.connect(SUP) as conn:
        overdue_suppliers = count_rfq_overdue_suppliers(conn, today)
    assert overdue_suppliers == sum(1 for i in invites.values() if i["response_status"] == "no_response")
    assert overdue_suppliers >= first["suppliers_no_response"]

    second = run(estate, "rfq_deadlines", CLOCK + dt.timedelta(minutes=5))
    assert second == {"reminders_sent": 0, "rfqs_closed": 0, "suppliers_no_response": 0}
    assert len(notifications(estate, "rfq_deadline_reminder")) == len(reminders)


# -- monthly performance -----------------------------------------------------------------------------------


def _receipts(dbs, supplier_id: str, day: dt.date, tag: str, late: bool = False) -> None:
    """A PO, its line and a goods receipt for `supplier_id` on `day` (late: after the delivery date)."""
    po, line, gr = f"T-PO-{tag}", f"T-POL-{tag}", f"T-GR-{tag}"
    with dbs.begin(ERP) as conn:
        conn.execute(insert(PurchaseOrders.__table__).values(
            purchase_order_id=po, supplier_id=supplier_id, po_date=day - dt.timedelta(days=1), total_value=Decimal("500"),
            po_status="released"))
        conn.execute(insert(PurchaseOrderLines.__table__).values(
            po_line_id=line, purchase_order_id=po, delivery_date=day - dt.timedelta(days=1 if late else -3),
            order_quantity=Decimal("100")))
        conn.execute(insert(GoodsReceipts.__table__).values(
            goods_receipt_id=gr, supplier_id=supplier_id, purchase_order_id=po, po_line_id=line, gr_date=day,
            quantity_received=Decimal("100"), quality_status="released", cancelled=False))


def _suppliers(dbs, n: int) -> list[str]:
    with dbs.connect(SUP) as conn:
        return sorted(set(conn.execute(select(SupplierPerformanceMetrics.supplier_id)).scalars()))[:n]


def _counts(dbs) -> tuple[int, int, int]:
    with dbs.connect(SUP) as conn:
        return (conn.execute(select(func.count()).select_from(SupplierPerformanceMetrics.__table__)).scalar(),
                conn.execute(select(func.count()).select_from(SupplierScorecards.__table__)).scalar(),
                conn.execute(select(func.count()).select_from(SupplierNotifications.__table__)).scalar())


def test_supplier_performance_runs_once_a_month_and_catches_up_a_missed_first(estate):
    # the seed leaves May, its last complete month, to the automation (seeds README): the June 1st run
    # scores and publishes it, and the period is marked done, so the next run has nothing left
    may = run(estate, "supplier_performance")
    assert may["suppliers_scored"] > 0 and may["scorecards_published"] == may["suppliers_scored"]
    assert len(rows(estate, SUP, SupplierScorecards, SupplierScorecards.scorecard_period == "2026-05")) == may["suppliers_scored"]
    assert run(estate, "supplier_performance") == {"suppliers_scored": 0, "scorecards_published": 0}

    a, b = _suppliers(estate, 2)
    _receipts(estate, a, dt.date(2026, 6, 10), "A6")
    _receipts(estate, b, dt.date(2026, 6, 12), "B6", late=True)
    before = _counts(estate)
    first = run(estate, "supplier_performance", dt.datetime(2026, 7, 1, 0, 5))
    assert first["suppliers_scored"] >= 2 and first["scorecards_published"] == first["suppliers_scored"]
    cards = {c["supplier_id"]: c for c in rows(estate, SUP, SupplierScorecards, SupplierScorecards.scorecard_period == "2026-06")}
    metrics = {m["supplier_id"]: m for m in rows(estate, SUP, SupplierPerformanceMetrics,
                                                  SupplierPerformanceMetrics.metric_period == "2026-06")}
    assert {a, b} <= set(cards) and set(cards) == set(metrics) and len(cards) == first["suppliers_scored"]
    assert metrics[a]["ontime_delivery_pct"] == Decimal("100.00") and metrics[b]["ontime_delivery_pct"] == Decimal("0.00")
    for sid, card in cards.items():
        assert card["supplier_rating"] in RATINGS and card["supplier_rating"] == metrics[sid]["performance_rating"]
        assert card["published_to_supplier"] is True and card["published_date"] == dt.date(2026, 7, 1)
    notes = [n for n in notifications(estate, "scorecard_published") if n["reference_id"] in {c["scorecard_id"] for c in cards.values()}]
    assert sorted(n["supplier_id"] for n in notes) == sorted(cards)
    assert all(n["priority"] == ("high" if cards[n["supplier_id"]]["supplier_rating"] == "Poor" else "normal") for n in notes)
    after_first = _counts(estate)
    assert after_first == (before[0] + len(cards), before[1] + len(cards), before[2] + len(cards))

    # later runs that month do nothing, even with new June activity
    _receipts(estate, a, dt.date(2026, 6, 20), "A6b")
    for when in (dt.datetime(2026, 7, 1, 0, 10), dt.datetime(2026, 7, 2, 9, 0), dt.datetime(2026, 7, 28, 9, 0)):
        assert run(estate, "supplier_performance", when) == {"suppliers_scored": 0, "scorecards_published": 0}
    assert _counts(estate) == after_first

    # August 1st missed: the first run on a later day scores July, once
    _receipts(estate, a, dt.date(2026, 7, 15), "A7")
    caught_up = run(estate, "supplier_performance", dt.datetime(2026, 8, 5, 14, 0))
    assert caught_up["suppliers_scored"] >= 1 and caught_up["scorecards_published"] == caught_up["suppliers_scored"]
    assert rows(estate, SUP, SupplierScorecards, SupplierScorecards.scorecard_period == "2026-07",
                SupplierScorecards.supplier_id == a)
    after_catch_up = _counts(estate)
    assert run(estate, "supplier_performance", dt.datetime(2026, 8, 5, 14, 5)) == {"suppliers_scored": 0, "scorecards_published": 0}
    assert run(estate, "supplier_performance", dt.datetime(2026, 8, 6, 9, 0)) == {"suppliers_scored": 0, "scorecards_published": 0}
    assert _counts(estate) == after_catch_up


# -- documents ------------------------------------------------------------------------------------------


def test_document_expiry_notifies_at_60_and_30_days_once_and_marks_expired(estate):
    today = CLOCK.date()
    first = run(estate, "document_expiry")
    assert first["alerts_60_days"] > 0 and first["alerts_30_days"] > 0
    docs = {d["document_id"]: d for d in rows(estate, SUP, SupplierDocuments)}
    notes = [n for n in notifications(estate) if n["notification_type"].startswith("document_expir")]
    assert len(notes) == sum(first[k] for k in ("alerts_60_days", "alerts_30_days", "expired_alerts"))
    for n in notes:
        doc = docs[n["reference_id"]]
        days = (doc["expiry_date"] - today).days
        assert n["reference_type"] == "supplier_document" and n["supplier_id"] == doc["supplier_id"]
        assert doc["expiry_alert_sent"] is True and doc["days_to_expiry"] == days
        if n["notification_type"] == "document_expiry_30":
            assert 0 <= days <= 30 and n["priority"] == "urgent"
        else:
            assert n["notification_type"] == "document_expiry_60" and 30 < days <= 60 and n["priority"] == "high"
    in_window = {k for k, d in docs.items() if d["document_status"] == "active" and (d["expiry_date"] - today).days <= 60}
    assert in_window == {n["reference_id"] for n in notes}
    with estate.connect(SUP) as conn:
        assert count_document_expiry_alerts(conn) == len(notes)
        assert count_document_expiry_alerts(conn, since=CLOCK + dt.timedelta(seconds=1)) == 0
    assert run(estate, "document_expiry", CLOCK + dt.timedelta(minutes=5)) == {
        "alerts_60_days": 0, "alerts_30_days": 0, "expired_alerts": 0, "documents_expired": 0}

    # 40 days on: the 60-day ones cross 30 days (urgent, once more), the urgent ones have expired
    later = CLOCK + dt.timedelta(days=40)
    second = run(estate, "document_expiry", later)
    crossed = [k for k, d in docs.items() if k in in_window and 0 <= (d["expiry_date"] - later.date()).days <= 30]
    gone = [k for k, d in docs.items() if k in in_window and d["expiry_date"] < later.date()]
    assert second["alerts_30_days"] >= len([k for k in crossed if docs[k]["days_to_expiry"] > 30]) > 0
    assert second["documents_expired"] == len(gone) > 0 and second["expired_alerts"] == len(gone)
    after = {d["document_id"]: d for d in rows(estate, SUP, SupplierDocuments)}
    assert all(after[k]["document_status"] == "expired" for k in gone)
    per_threshold = Counter((n["reference_id"], n["notification_type"]) for n in notifications(estate)
                            if n["notification_type"].startswith("document_expir"))
    assert max(per_threshold.values()) == 1
    assert run(estate, "document_expiry", later + dt.timedelta(minutes=5)) == {
        "alerts_60_days": 0, "alerts_30_days": 0, "expired_alerts": 0, "documents_expired": 0}


# -- contracts -------------------------------------------------------------------------------------------


def test_contract_status_expires_contracts_turns_pricing_off_and_reminds_once(estate):
    today = CLOCK.date()
    first = run(estate, "contract_status")
    assert first["contracts_expired"] > 0 and first["pricing_deactivated"] > 0 and first["renewal_reminders"] > 0
    contracts = {c["contract_id"]: c for c in rows(estate, SUP, SupplierContracts)}
    pricing = rows(estate, SUP, ContractPricing)
    for cid, c in contracts.items():
        mine = [p for p in pricing if p["contract_id"] == cid]
        if c["end_date"] < today:
            assert c["contract_status"] == "expired" and mine and not any(p["is_active"] for p in mine)
        else:
            assert c["contract_status"] == "active" and all(p["is_active"] for p in mine)
    reminders = notifications(estate, "contract_renewal")
    assert len(reminders) == first["renewal_reminders"]
    assert {n["reference_id"] for n in reminders} == {
        cid for cid, c in contracts.items() if c["contract_status"] == "active" and (c["end_date"] - today).days <= 60}
    assert len(notifications(estate, "contract_expired")) == first["contracts_expired"]
    assert run(estate, "contract_status", CLOCK + dt.timedelta(minutes=5)) == {
        "contracts_expired": 0, "pricing_deactivated": 0, "renewal_reminders": 0}
    assert len(notifications(estate, "contract_renewal")) == len(reminders)


# -- PostgreSQL -----------------------------------------------------------------------------------------


@pytest.mark.pg
def test_every_portal_rule_on_postgresql(pg_dbs):
    pg_dbs.create([SUP, ERP, "genims_quality_db", "genims_console_db"])
    today = dt.date(2026, 10, 1)
    now = dt.datetime(2026, 10, 1, 8, 0)
    with pg_dbs.begin(SUP) as conn:
        conn.execute(insert(RfqHeaders.__table__), [
            {"rfq_id": "RFQ-1", "rfq_number": "RFQ-1", "rfq_title": "Bolts", "rfq_status": "published",
             "response_deadline": today + dt.timedelta(days=2)},
            {"rfq_id": "RFQ-2", "rfq_number": "RFQ-2", "rfq_title": "Nuts", "rfq_status": "published",
             "response_deadline": today - dt.timedelta(days=1)},
        ])
        conn.execute(insert(RfqSuppliers.__table__), [
            {"rfq_supplier_id": "RS-1", "rfq_id": "RFQ-1", "supplier_id": "SUP-A", "response_status": "pending"},
            {"rfq_supplier_id": "RS-2", "rfq_id": "RFQ-1", "supplier_id": "SUP-B", "response_status": "responded"},
            {"rfq_supplier_id": "RS-3", "rfq_id": "RFQ-2", "supplier_id": "SUP-A", "response_status": "viewed"},
        ])
        conn.execute(insert(SupplierDocuments.__table__), [
            {"document_id": "DOC-1", "supplier_id": "SUP-A", "document_name": "ISO 9001", "document_status": "active",
             "expiry_date": today + dt.timedelta(days=45), "expiry_alert_sent": False},
            {"document_id": "DOC-2", "supplier_id": "SUP-B", "document_name": "Insurance", "document_status": "active",
             "expiry_date": today - dt.timedelta(days=2), "expiry_alert_sent": False},
        ])
        conn.execute(insert(SupplierContracts.__table__), [
            {"contract_id": "SC-1", "contract_number": "SC-1", "supplier_id": "SUP-A", "contract_status": "active",
             "end_date": today - dt.timedelta(days=1)},
            {"contract_id": "SC-2", "contract_number": "SC-2", "supplier_id": "SUP-B", "contract_status": "active",
             "end_date": today + dt.timedelta(days=20), "auto_renew": True},
        ])
        conn.execute(insert(ContractPricing.__table__), [
            {"pricing_id": "CP-1", "contract_id": "SC-1", "unit_price": Decimal("1.5"), "is_active": True},
            {"pricing_id": "CP-2", "contract_id": "SC-2", "unit_price": Decimal("2.5"), "is_active": True},
        ])
    with pg_dbs.begin(ERP) as conn:
        conn.execute(insert(Suppliers.__table__).values(supplier_id="SUP-A", supplier_name="Supplier A"))
        conn.execute(insert(PurchaseOrders.__table__).values(purchase_order_id="PO-1", supplier_id="SUP-A", po_date=dt.date(2026, 9, 1),
                                                             total_value=Decimal("100"), po_status="released"))
        conn.execute(insert(GoodsReceipts.__table__).values(goods_receipt_id="GR-1", purchase_order_id="PO-1", supplier_id="SUP-A",
                                                            gr_date=dt.date(2026, 9, 10), quantity_received=Decimal("10"),
                                                            quality_status="released", cancelled=False))
    expected = {
        "rfq_deadlines": {"reminders_sent": 1, "rfqs_closed": 1, "suppliers_no_response": 1},
        "document_expiry": {"alerts_60_days": 1, "alerts_30_days": 0, "expired_alerts": 1, "documents_expired": 1},
        "contract_status": {"contracts_expired": 1, "pricing_deactivated": 1, "renewal_reminders": 1},
        "supplier_performance": {"suppliers_scored": 1, "scorecards_published": 1},
    }
    for name, counts in expected.items():
        assert run(pg_dbs, name, now) == counts, name
        assert all(v == 0 for v in run(pg_dbs, name, now + dt.timedelta(minutes=5)).values()), name
    with pg_dbs.connect(SUP) as conn:
        assert conn.execute(select(RfqHeaders.rfq_status).where(RfqHeaders.rfq_id == "RFQ-2")).scalar() == "evaluation"
        assert conn.execute(select(RfqSuppliers.response_status).where(RfqSuppliers.rfq_supplier_id == "RS-3")).scalar() == "no_response"
        assert count_rfq_overdue_suppliers(conn, today) == 1 and count_document_expiry_alerts(conn) == 2
        assert conn.execute(select(SupplierDocuments.document_status).where(SupplierDocuments.document_id == "DOC-2")).scalar() == "expired"
        assert dict(conn.execute(select(ContractPricing.pricing_id, ContractPricing.is_active)).all()) == {"CP-1": False, "CP-2": True}
        assert dict(conn.execute(select(SupplierContracts.contract_id, SupplierContracts.contract_status)).all()) == {
            "SC-1": "expired", "SC-2": "active"}
        card = conn.execute(select(SupplierScorecards).where(SupplierScorecards.scorecard_period == "2026-09")).one()
        assert card.supplier_id == "SUP-A" and card.supplier_rating in RATINGS and card.published_to_supplier is True
