"""The service and CRM daemon's rules as scheduler jobs on a seeded estate (scale 0.02, clock frozen
just after the seed's as_of, then moved on): ticket SLA breach flags and escalations per SLA
definition (once per ticket and level), CRM case SLA violations escalated once, and expiry of open
quotations. Each job does real work and creates nothing twice; one case runs on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter

import pytest
from sqlalchemy import func, insert, select, update

from genims_tui.backend.databases import Databases
from genims_tui.backend.models.crm import Accounts, CaseComments, Cases, Quotations
from genims_tui.backend.models.service import ServiceTeams, ServiceTickets, SlaDefinitions, TicketEscalations
from genims_tui.backend.scheduler import registry, run_job
from genims_tui.config import load_settings
from genims_tui.seeds.runner import run_seed

from conftest import sqlite_env

AS_OF = dt.datetime(2026, 6, 1, 12, 0)
CLOCK = AS_OF + dt.timedelta(minutes=30)
SERVICE, CRM = "genims_service_db", "genims_crm_db"


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("service_template")
    dbs = Databases(load_settings(environ=sqlite_env(root)))
    run_seed(dbs, scale=0.02, seed=3, as_of=AS_OF)
    dbs.dispose()
    return root


@pytest.fixture
def estate(seeded_template, tmp_path):
    shutil.copytree(seeded_template / "data", tmp_path / "data")
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    yield dbs
    dbs.dispose()


def run(dbs, name, when=CLOCK) -> dict:
    result = run_job(dbs, name, clock=lambda: when)
    assert result.outcome == "success", result.error
    return result.counts


def rows(dbs, db, model, *where) -> list[dict]:
    with dbs.connect(db) as conn:
        return [dict(r._mapping) for r in conn.execute(select(model.__table__).where(*where))]


def test_the_jobs_are_registered_every_30_minutes_under_service_crm():
    jobs = registry()
    for name in ("service_sla", "crm_case_sla", "quote_expiry"):
        assert jobs[name].interval_seconds == 1800 and jobs[name].daemon == "service_crm" and jobs[name].kind == "automation"


def test_service_sla_flags_breaches_and_escalates_once_per_ticket_and_level(estate):
    slas = {s["sla_id"]: s for s in rows(estate, SERVICE, SlaDefinitions)}
    leads = {t["team_id"]: t["team_lead_id"] for t in rows(estate, SERVICE, ServiceTeams)}
    before = {e["escalation_id"] for e in rows(estate, SERVICE, TicketEscalations)}

    # just after the seed: the tickets close to breach are at risk (past 80 % of their resolution window):
    # level 1 to the team lead; tickets the seed left breached (and at level 1) go to level 2
    first = run(estate, "service_sla")
    assert first["escalations_created"] > 0
    new = [e for e in rows(estate, SERVICE, TicketEscalations) if e["escalation_id"] not in before]
    assert len(new) == first["escalations_created"]
    tickets = {t["ticket_id"]: t for t in rows(estate, SERVICE, ServiceTickets)}
    assert {e["escalation_level"] for e in new} == {1, 2}
    for e in new:
        t, sla = tickets[e["ticket_id"]], slas[tickets[e["ticket_id"]]["sla_id"]]
        assert t["ticket_status"] not in ("resolved", "closed") and sla["escalation_enabled"]
        window = t["resolution_due_datetime"] - t["created_at"]
        assert (CLOCK - t["created_at"]) * 100 >= window * sla["escalation_threshold_pct"]
        assert e["escalated_at"] == CLOCK and t["escalated_datetime"] == CLOCK and t["escalation_level"] == e["escalation_level"]
        if t["resolution_due_datetime"] < CLOCK:
            assert e["escalation_level"] == 2 and e["escalation_reason"] == "Resolution SLA breached"
            assert e["escalated_to"] == "service_manager" and t["resolution_sla_breached"] is True
        else:
            assert e["escalation_level"] == 1 and e["escalation_reason"] == "Resolution SLA at risk"
            assert e["escalated_to"] == leads[t["assigned_team"]]
    assert run(estate, "service_sla", CLOCK + dt.timedelta(minutes=30)) == {
        "response_breached": 0, "resolution_breached": 0, "escalations_created": 0}

    # three days on, those tickets have breached: flags and level 2; an SLA without escalation only flags
    later = CLOCK + dt.timedelta(days=3)
    quiet_sla = next(s for s in slas.values() if s["priority"] == "low")
    with estate.begin(SERVICE) as conn:
        conn.execute(update(SlaDefinitions.__table__).where(SlaDefinitions.sla_id == quiet_sla["sla_id"])
                     .values(escalation_enabled=False))
    quiet_levels = {t["ticket_id"]: t["escalation_level"] for t in tickets.values() if t["sla_id"] == quiet_sla["sla_id"]}
    second = run(estate, "service_sla", later)
    assert second["resolution_breached"] > 0 and second["escalations_created"] > 0
    tickets = {t["ticket_id"]: t for t in rows(estate, SERVICE, ServiceTickets)}
    escalations = rows(estate, SERVICE, TicketEscalations)
    assert max(Counter((e["ticket_id"], e["escalation_level"]) for e in escalations).values()) == 1
    for t in tickets.values():
        if t["ticket_status"] in ("resolved", "closed"):
            continue
        if t["resolved_datetime"] is None and t["resolution_due_datetime"] < later:
            assert t["resolution_sla_breached"] is True, t["ticket_id"]
        if t["first_response_datetime"] is None and t["response_due_datetime"] < later:
            assert t["response_sla_breached"] is True, t["ticket_id"]
        mine = [e for e in escalations if e["ticket_id"] == t["ticket_id"]]
        if t["sla_id"] == quiet_sla["sla_id"]:
            assert t["escalation_level"] == quiet_levels[t["ticket_id"]]
        elif t["resolution_sla_breached"] and t["resolved_datetime"] is None:
            assert t["escalation_level"] == 2 and {e["escalation_level"] for e in mine} >= {2}
    assert run(estate, "service_sla", later + dt.timedelta(minutes=30)) == {
        "response_breached": 0, "resolution_breached": 0, "escalations_created": 0}


def test_crm_case_sla_flags_and_escalates_open_overdue_cases_once(estate):
    later = CLOCK + dt.timedelta(days=10)
    comments_before = len(rows(estate, CRM, CaseComments))
    first = run(estate, "crm_case_sla", later)
    assert first["cases_flagged"] > 0 and first["cases_escalated"] > 0
    managers = {a["account_id"]: a["account_manager"] for a in rows(estate, CRM, Accounts)}
    open_cases = rows(estate, CRM, Cases, Cases.case_status.notin_(("resolved", "closed")))
    overdue = [c for c in open_cases if (c["first_response_date"] is None and c["response_due_date"] < later)
               or (c["resolved_date"] is None and c["resolution_due_date"] < later)]
    assert overdue
    for c in overdue:
        assert c["sla_violated"] is True and c["escalated"] is True, c["case_id"]
    newly = [c for c in overdue if c["escalated_at"] == later]
    assert len(newly) == first["cases_escalated"]
    assert all(c["escalated_to"] == managers[c["account_id"]] for c in newly)
    comments = rows(estate, CRM, CaseComments)
    assert len(comments) == comments_before + len(newly)
    assert {c["case_id"] for c in comments if c["created_at"] == later and c["is_public"] is False} == {c["case_id"] for c in newly}
    assert run(estate, "crm_case_sla", later + dt.timedelta(hours=1)) == {"cases_flagged": 0, "cases_escalated": 0}


def test_quote_expiry_expires_open_quotes_past_valid_until(estate):
    later = CLOCK + dt.timedelta(days=40)
    quotes = {q["quotation_id"]: q for q in rows(estate, CRM, Quotations)}
    due = {k for k, q in quotes.items() if q["quotation_status"] in ("draft", "sent") and q["valid_until_date"] < later.date()
           and not q["converted"]}
    assert due
    assert run(estate, "quote_expiry", later) == {"quotes_expired": len(due)}
    after = {q["quotation_id"]: q for q in rows(estate, CRM, Quotations)}
    for k, q in after.items():
        if k in due:
            assert q["quotation_status"] == "expired" and q["updated_at"] == later
        else:
            assert q["quotation_status"] == quotes[k]["quotation_status"]
    assert run(estate, "quote_expiry", later + dt.timedelta(hours=1)) == {"quotes_expired": 0}


@pytest.mark.pg
def test_service_and_crm_rules_on_postgresql(pg_dbs):
    pg_dbs.create([SERVICE, CRM, "genims_console_db"])
    now = dt.datetime(2026, 10, 1, 12, 0)
    created = now - dt.timedelta(hours=10)
    with pg_dbs.begin(SERVICE) as conn:
        conn.execute(insert(SlaDefinitions.__table__), [
            {"sla_id": "SLA-1", "priority": "high", "response_time_minutes": 60, "resolution_time_minutes": 480,
             "escalation_enabled": True, "escalation_threshold_pct": 80, "is_active": True},
            {"sla_id": "SLA-2", "priority": "low", "response_time_minutes": 60, "resolution_time_minutes": 480,
             "escalation_enabled": False, "escalation_threshold_pct": 80, "is_active": True},
        ])
        ticket = dict(ticket_status="in_progress", created_at=created, response_due_datetime=created + dt.timedelta(hours=1),
                      first_response_datetime=created + dt.timedelta(minutes=30), response_sla_breached=False,
                      resolution_sla_breached=False, escalation_level=0)
        conn.execute(insert(ServiceTickets.__table__), [
            {"ticket_id": "TKT-1", "sla_id": "SLA-1", "resolution_due_datetime": created + dt.timedelta(hours=8), **ticket},
            {"ticket_id": "TKT-2", "sla_id": "SLA-1", "resolution_due_datetime": created + dt.timedelta(hours=12), **ticket},
            {"ticket_id": "TKT-3", "sla_id": "SLA-2", "resolution_due_datetime": created + dt.timedelta(hours=8), **ticket},
            {"ticket_id": "TKT-4", "sla_id": "SLA-1", "resolution_due_datetime": created + dt.timedelta(hours=8),
             **dict(ticket, ticket_status="resolved")},
        ])
    with pg_dbs.begin(CRM) as conn:
        conn.execute(insert(Accounts.__table__).values(account_id="ACC-1", account_name="Acme"))
        conn.execute(insert(Cases.__table__), [
            {"case_id": "CASE-1", "account_id": "ACC-1", "case_status": "open", "response_due_date": now - dt.timedelta(hours=2),
             "resolution_due_date": now + dt.timedelta(days=1), "sla_violated": False, "escalated": False},
            {"case_id": "CASE-2", "account_id": "ACC-1", "case_status": "open", "response_due_date": now + dt.timedelta(hours=2),
             "resolution_due_date": now + dt.timedelta(days=1), "sla_violated": False, "escalated": False},
        ])
        conn.execute(insert(Quotations.__table__), [
            {"quotation_id": "QUO-1", "account_id": "ACC-1", "quotation_status": "sent", "valid_until_date": now.date() - dt.timedelta(days=1),
             "converted": False},
            {"quotation_id": "QUO-2", "account_id": "ACC-1", "quotation_status": "accepted", "valid_until_date": now.date() - dt.timedelta(days=1),
             "converted": True},
        ])
    # TKT-1 breached (level 1 and 2), TKT-2 at risk (10 of 12 hours: level 1), TKT-3 breached but its SLA never escalates
    assert run(pg_dbs, "service_sla", now) == {"response_breached": 0, "resolution_breached": 2, "escalations_created": 3}
    assert run(pg_dbs, "crm_case_sla", now) == {"cases_flagged": 1, "cases_escalated": 1}
    assert run(pg_dbs, "quote_expiry", now) == {"quotes_expired": 1}
    for name in ("service_sla", "crm_case_sla", "quote_expiry"):
        assert all(v == 0 for v in run(pg_dbs, name, now + dt.timedelta(minutes=30)).values()), name
    with pg_dbs.connect(SERVICE) as conn:
        levels = sorted(conn.execute(select(TicketEscalations.ticket_id, TicketEscalations.escalation_level)).all())
        assert levels == [("TKT-1", 1), ("TKT-1", 2), ("TKT-2", 1)]
        assert dict(conn.execute(select(ServiceTickets.ticket_id, ServiceTickets.escalation_level)).all()) == {
            "TKT-1": 2, "TKT-2": 1, "TKT-3": 0, "TKT-4": 0}
        assert conn.execute(select(func.count()).where(ServiceTickets.resolution_sla_breached.is_(True))).scalar() == 2
    with pg_dbs.connect(CRM) as conn:
        assert dict(conn.execute(select(Cases.case_id, Cases.escalated)).all()) == {"CASE-1": True, "CASE-2": False}
        assert dict(conn.execute(select(Quotations.quotation_id, Quotations.quotation_status)).all()) == {
            "QUO-1": "expired", "QUO-2": "accepted"}
