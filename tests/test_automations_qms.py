"""The QMS daemon's remaining rules as scheduler jobs on a seeded SQLite estate (scale 0.02, frozen
clock): quality service tickets -> customer complaints, the daily quality KPI row, and periodic
document review dates. Each job does real work the first time and nothing twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, insert, select, update

from genims_tui.backend.alerts import open_alerts, resolve_alert
from genims_tui.backend.databases import Databases
from genims_tui.backend.models.console import Alerts
from genims_tui.backend.models.crm import Accounts
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import (
    CapaHeaders,
    CustomerComplaints,
    MeasuringEquipment,
    NcrHeaders,
    QmsIntegrationLog,
    QualityDocuments,
    QualityKpis,
    SpcControlCharts,
)
from genims_tui.backend.models.service import ServiceTickets
from genims_tui.backend.scheduler import run_job
from genims_tui.backend.services.complaints import QUALITY_TICKET_CATEGORIES
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)
QMS, SERVICE, CRM = "genims_quality_db", "genims_service_db", "genims_crm_db"


def clock() -> dt.datetime:
    return AS_OF + dt.timedelta(minutes=30)


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path_factory.mktemp("qms_jobs"))))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    yield dbs
    dbs.dispose()


def run(dbs: Databases, job: str, at=clock) -> dict[str, int]:
    result = run_job(dbs, job, clock=at)
    assert result.outcome == "success", result.error
    return result.counts


def _quality_tickets(dbs: Databases) -> list[str]:
    t = ServiceTickets
    with dbs.connect(SERVICE) as conn:
        return list(conn.execute(select(t.ticket_id).where(
            t.category.in_(QUALITY_TICKET_CATEGORIES) | (t.ticket_type == "complaint"))).scalars())


def _complaints_by_ticket(dbs: Databases) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with dbs.connect(QMS) as conn:
        for cid, tid in conn.execute(select(CustomerComplaints.complaint_id, CustomerComplaints.service_ticket_id)
                                     .where(CustomerComplaints.service_ticket_id.isnot(None))):
            out.setdefault(tid, []).append(cid)
    return out


def _new_ticket(dbs: Databases, n: int, *, account_id: str, category: str = "product_quality",
                priority: str = "high", ticket_type: str = "complaint") -> str:
    tid = f"TKT-T{n:05d}"
    created = AS_OF - dt.timedelta(hours=1, minutes=n)
    with dbs.begin(SERVICE) as conn:
        conn.execute(insert(ServiceTickets).values(
            ticket_id=tid, ticket_number=f"TKT{n:07d}", account_id=account_id, ticket_type=ticket_type,
            category=category, subcategory="dimensional", subject=f"Parts out of tolerance #{n}",
            description="Bore diameter above the drawing limit", priority=priority, ticket_status="open",
            related_serial_number="SN12345678", created_at=created, updated_at=created))
    return tid


def test_quality_tickets_become_complaints_once_linked_to_their_ticket(estate):
    before = _complaints_by_ticket(estate)
    pending = [t for t in _quality_tickets(estate) if t not in before]
    assert pending, "the seed leaves a few recent quality tickets for the automation"

    first = run(estate, "service_tickets_to_complaints")
    assert first == {"complaints_created": min(10, len(pending))}
    after = _complaints_by_ticket(estate)
    assert all(len(ids) == 1 for ids in after.values()), "never two complaints for one ticket"
    new = {t: ids[0] for t, ids in after.items() if t not in before}
    assert set(new) <= set(pending) and len(new) == first["complaints_created"]

    # the complaint carries the ticket's customer (through its CRM account), severity and order
    tid, cid = next(iter(new.items()))
    with estate.connect(SERVICE) as conn:
        ticket = conn.execute(select(ServiceTickets).where(ServiceTickets.ticket_id == tid)).one()
    with estate.connect(CRM) as conn:
        customer = conn.execute(select(Accounts.customer_id).where(Accounts.account_id == ticket.account_id)).scalar()
    with estate.connect(QMS) as conn:
        comp = conn.execute(select(CustomerComplaints).where(CustomerComplaints.complaint_id == cid)).one()
        logged = conn.execute(select(QmsIntegrationLog.source_document_id).where(
            QmsIntegrationLog.integration_type == "complaint_creation", QmsIntegrationLog.target_document_id == cid)).all()
    assert comp.customer_id == customer and comp.complaint_status == "open"
    assert comp.sales_order_id == ticket.related_order_id and comp.complaint_date == ticket.created_at.date()
    assert comp.severity == {"critical": "critical", "high": "major"}.get(ticket.priority, "minor")
    assert logged == [(tid,)]

    assert run(estate, "service_tickets_to_complaints") == {"complaints_created": max(0, len(pending) - 10)}
    assert run(estate, "service_tickets_to_complaints") == {"complaints_created": 0}
    assert all(len(ids) == 1 for ids in _complaints_by_ticket(estate).values())


def test_ten_tickets_a_cycle_and_a_ticket_without_a_customer_is_skipped(estate):
    run(estate, "service_tickets_to_complaints")  # whatever the seed left is done
    with estate.connect(CRM) as conn:
        account = conn.execute(select(Accounts.account_id).where(Accounts.customer_id.isnot(None)).limit(1)).scalar()
    with estate.begin(CRM) as conn:
        conn.execute(insert(Accounts).values(account_id="ACC-NOCUST", account_name="Prospect without ERP customer"))
    orphan = _new_ticket(estate, 99, account_id="ACC-NOCUST")
    made = [_new_ticket(estate, n, account_id=account, category="warranty" if n % 2 else "product_quality",
                        ticket_type="request" if n % 2 else "complaint") for n in range(1, 13)]
    not_quality = _new_ticket(estate, 50, account_id=account, category="billing", ticket_type="inquiry")

    assert run(estate, "service_tickets_to_complaints") == {"complaints_created": 10}
    assert run(estate, "service_tickets_to_complaints") == {"complaints_created": 2}
    assert run(estate, "service_tickets_to_complaints") == {"complaints_created": 0}
    linked = _complaints_by_ticket(estate)
    assert all(len(linked.get(t, [])) == 1 for t in made)
    assert orphan not in linked and not_quality not in linked


def test_quality_kpis_are_written_once_for_yesterday(estate):
    # the seed leaves yesterday's row to the automation (seeds README): its first cycle writes it, the
    # next has nothing to do on the seed's own day
    assert run(estate, "quality_kpis") == {"kpi_days_recorded": 1}
    with estate.connect(QMS) as conn:
        assert conn.execute(select(func.count()).where(QualityKpis.kpi_date == AS_OF.date() - dt.timedelta(days=1))).scalar() == 1
    assert run(estate, "quality_kpis") == {"kpi_days_recorded": 0}

    day = AS_OF.date()
    with estate.begin(QMS) as conn:  # a few facts of the day with known effects
        conn.execute(insert(NcrHeaders), [
            dict(ncr_id=f"NCR-K{i}", ncr_number=f"NCR-K{i}", source_type="manual", detected_date=day,
                 ncr_status="closed" if i == 0 else "open", closed_date=day if i == 0 else None,
                 total_cost=Decimal("100.50"), created_at=AS_OF) for i in range(3)])
        conn.execute(insert(CapaHeaders).values(
            capa_id="CAPA-K1", capa_number="CAPA-K1", capa_status="implementation",
            target_completion_date=day - dt.timedelta(days=3), created_at=AS_OF - dt.timedelta(days=20)))

    next_noon = AS_OF + dt.timedelta(days=1)  # no run at midnight: the next cycle catches up
    assert run(estate, "quality_kpis", at=lambda: next_noon) == {"kpi_days_recorded": 1}
    assert run(estate, "quality_kpis", at=lambda: next_noon) == {"kpi_days_recorded": 0}

    with estate.connect(QMS) as conn:
        rows = conn.execute(select(QualityKpis).where(QualityKpis.kpi_date == day)).all()
        ncrs = conn.execute(select(NcrHeaders.detected_date, NcrHeaders.closed_date, NcrHeaders.ncr_status,
                                   NcrHeaders.total_cost, NcrHeaders.source_type)).all()
        capas = conn.execute(select(CapaHeaders.capa_status, CapaHeaders.target_completion_date,
                                    CapaHeaders.actual_completion_date, CapaHeaders.closed_date,
                                    CapaHeaders.created_at)).all()
        complaints = conn.execute(select(func.count()).where(CustomerComplaints.complaint_date == day)).scalar()
        charts = conn.execute(select(SpcControlCharts.chart_status)).scalars().all()
        equipment = conn.execute(select(MeasuringEquipment.next_calibration_due, MeasuringEquipment.equipment_status)).all()
    with estate.connect("genims_manufacturing_db") as conn:
        inspections = conn.execute(select(QualityInspections.inspection_result).where(
            QualityInspections.inspection_date >= dt.datetime.combine(day, dt.time()),
            QualityInspections.inspection_date < dt.datetime.combine(day, dt.time()) + dt.timedelta(days=1))).scalars().all()
    assert len(rows) == 1
    kpi = rows[0]
    assert kpi.kpi_id == "QKPI-D20260601"
    assert kpi.ncr_opened == sum(1 for n in ncrs if n.detected_date == day) >= 3
    assert kpi.ncr_closed == sum(1 for n in ncrs if n.ncr_status == "closed" and n.closed_date == day) >= 1
    assert kpi.ncr_open_count == sum(1 for n in ncrs if n.detected_date <= day and n.ncr_status != "cancelled"
                                     and not (n.ncr_status == "closed" and (n.closed_date is None or n.closed_date <= day)))
    assert kpi.capa_overdue == sum(
        1 for c in capas if c.created_at < AS_OF.replace(hour=0) + dt.timedelta(days=1)
        and c.target_completion_date and c.target_completion_date < day and c.capa_status != "cancelled"
        and (c.actual_completion_date is None or c.actual_completion_date > day)
        and (c.closed_date is None or c.closed_date > day)) >= 1
    assert kpi.customer_complaints == complaints
    assert kpi.internal_failure_cost == sum((n.total_cost or 0 for n in ncrs if n.detected_date == day
                                             and n.source_type != "customer_complaint"), Decimal(0))
    assert (kpi.processes_total, kpi.processes_in_control) == (len(charts), charts.count("in_control"))
    overdue = sum(1 for due, _ in equipment if due is None or due < day)
    assert kpi.equipment_overdue == overdue
    assert kpi.equipment_calibrated_pct == round(Decimal(100 * (len(equipment) - overdue)) / len(equipment), 2)
    if inspections:
        assert kpi.first_time_quality_pct == round(Decimal(100 * sum(1 for r in inspections if r == "pass")) / len(inspections), 2)
    # no honest source: left empty
    assert kpi.customer_returns_ppm is None and kpi.prevention_cost is None and kpi.total_coq is None


def _insert_document(dbs: Databases, doc_id: str, next_review: dt.date, status: str = "effective") -> None:
    with dbs.begin(QMS) as conn:
        conn.execute(insert(QualityDocuments).values(
            document_id=doc_id, document_number=doc_id.replace("QDOC", "QD"), document_title=f"Procedure {doc_id}",
            document_type="procedure", document_owner="EMP-000001", document_status=status,
            periodic_review_required=True, review_frequency_months=12, next_review_date=next_review,
            created_at=AS_OF - dt.timedelta(days=400), updated_at=AS_OF - dt.timedelta(days=400)))


def _document_alerts(dbs: Databases) -> dict[str, dt.datetime | None]:
    with dbs.connect("genims_console_db") as conn:
        return dict(conn.execute(select(Alerts.alert_key, Alerts.resolved_at).where(
            Alerts.source == "qms.document_review")).all())


def test_documents_due_for_review_alert_once_and_overdue_ones_go_under_review(estate):
    today = clock().date()
    _insert_document(estate, "QDOC-T1", today - dt.timedelta(days=5))  # overdue
    _insert_document(estate, "QDOC-T2", today + dt.timedelta(days=12))  # due within 30 days
    _insert_document(estate, "QDOC-T3", today + dt.timedelta(days=90))  # not yet
    _insert_document(estate, "QDOC-T4", today - dt.timedelta(days=40), status="obsolete")  # withdrawn: ignored
    with estate.connect(QMS) as conn:
        d = QualityDocuments
        due = conn.execute(select(d.document_id, d.next_review_date, d.document_status).where(
            d.periodic_review_required.is_(True), d.next_review_date <= today + dt.timedelta(days=30),
            d.document_status != "obsolete")).all()
    overdue_before = [r.document_id for r in due if r.next_review_date < today and r.document_status != "under_review"]

    first = run(estate, "document_reviews")
    assert first == {"alerts_raised": len(due), "marked_under_review": len(overdue_before), "alerts_resolved": 0}
    alerts = _document_alerts(estate)
    assert set(alerts) == {f"qms.document_review:{r.document_id}:{r.next_review_date}" for r in due}
    assert "QDOC-T1" in overdue_before and not any("QDOC-T3" in k or "QDOC-T4" in k for k in alerts)
    with estate.connect(QMS) as conn:
        status = dict(conn.execute(select(QualityDocuments.document_id, QualityDocuments.document_status).where(
            QualityDocuments.document_id.like("QDOC-T%"))).all())
    assert status == {"QDOC-T1": "under_review", "QDOC-T2": "effective", "QDOC-T3": "effective", "QDOC-T4": "obsolete"}

    assert run(estate, "document_reviews") == {"alerts_raised": 0, "marked_under_review": 0, "alerts_resolved": 0}
    # a person resolved one: it is not raised again for the same review date
    key_t2 = f"qms.document_review:QDOC-T2:{today + dt.timedelta(days=12)}"
    assert resolve_alert(estate, key_t2, clock())
    assert run(estate, "document_reviews")["alerts_raised"] == 0
    # the overdue document was reviewed (next review in a year): its alert is resolved
    with estate.begin(QMS) as conn:
        conn.execute(update(QualityDocuments).where(QualityDocuments.document_id == "QDOC-T1").values(
            document_status="effective", next_review_date=today + dt.timedelta(days=365)))
    assert run(estate, "document_reviews") == {"alerts_raised": 0, "marked_under_review": 0, "alerts_resolved": 1}
    assert not any("QDOC-T1" in a["alert_key"] for a in open_alerts(estate, source="qms.document_review"))
    with estate.begin(QMS) as conn:  # leave the module's estate as the other tests expect it
        conn.execute(delete(QualityDocuments).where(QualityDocuments.document_id.like("QDOC-T%")))
