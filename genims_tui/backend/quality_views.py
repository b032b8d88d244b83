"""The quality workspace's read side: NCRs with what each still needs for its next state, CAPAs with
due dates (overdue first), SPC charts with limits, capability and run-rule flags, calibration due /
overdue / locked-out equipment, customer complaints, 8D reports, audits and findings.

Every function reads (never writes), checks the user's read access to the database it touches and
returns plain data. Lists are pages (`browse.page_select`: filtered, sorted and bounded in SQL, the
`/` grammar on the page's column names); details and charts read a bounded number of rows. The NCR
and 8D "what is needed next" follows the services' own state machines (`services/ncr.py`,
`services/complaints.py`), so the screen says exactly what the service will check. Never imports
textual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, literal, or_, select

from .access import ActingUser, require
from .browse import Page, PageQuery, page_select
from .databases import Databases
from .errors import DomainError, NotFound
from .models.manufacturing import QualityInspections
from .models.quality import (
    AuditFindings,
    CapaActions,
    CapaHeaders,
    CustomerComplaints,
    EightDReports,
    MeasuringEquipment,
    NcrHeaders,
    QualityAudits,
    SpcControlCharts,
    SpcDataPoints,
)
from .services import ncr as ncr_rules
from .services.complaints import D_FIELDS, D_REQUIRED, next_discipline
from .services.spc import analyse
from .services.spc_math import describe as describe_rule

QMS = "genims_quality_db"
MFG = "genims_manufacturing_db"

CLOSED_NCR = ncr_rules.TERMINAL
CLOSED_CAPA = ("closed", "cancelled")
DONE_ACTION = ("completed", "cancelled")
CHART_POINTS = 200  # points drawn on an SPC chart (the newest)
FAILED_INSPECTIONS = 50  # failed inspections offered for an NCR
DETAIL_ACTIONS = 100  # CAPA actions shown with a CAPA
DUE_SOON_DAYS = 30


def _sorted(pq: PageQuery, column: str, descending: bool = True) -> PageQuery:
    """The page query sorted by `column` unless the user chose a sort."""
    return pq if pq.sort_column else replace(pq, sort_column=column, descending=descending)


def _row(conn, query) -> dict[str, Any] | None:
    found = conn.execute(query).first()
    return None if found is None else dict(found._mapping)


def _days_until(column, today: dt.date, dialect: str):
    """Whole days from `today` to the date in `column` (negative: past), in SQL on either engine."""
    if dialect == "sqlite":
        return cast(func.julianday(column) - func.julianday(today.isoformat()), Integer)
    return column - literal(today)


# -- the workspace at a glance --------------------------------------------------------------------------

def quality_overview(dbs: Databases, user: ActingUser, today: dt.date) -> dict[str, int]:
    """A handful of counts for the views' summary lines (one COUNT each, over indexed states)."""
    require(user, QMS, "read", "Reading the quality overview")
    n, c, a, s, e, cc, r, f = (NcrHeaders, CapaHeaders, CapaActions, SpcControlCharts, MeasuringEquipment,
                               CustomerComplaints, EightDReports, AuditFindings)
    live_capa = or_(c.capa_status.is_(None), c.capa_status.not_in(CLOSED_CAPA))
    queries = {
        "open_ncrs": select(func.count()).select_from(n).where(or_(n.ncr_status.is_(None), n.ncr_status.not_in(CLOSED_NCR))),
        "open_capas": select(func.count()).select_from(c).where(live_capa),
        "overdue_capas": select(func.count()).select_from(c).where(
            live_capa, or_(c.capa_status == "overdue", c.target_completion_date < today)),
        "open_actions": select(func.count()).select_from(a).where(
            or_(a.action_status.is_(None), a.action_status.not_in(DONE_ACTION))),
        "charts": select(func.count()).select_from(s),
        "charts_out_of_control": select(func.count()).select_from(s).where(s.chart_status == "out_of_control"),
        "locked_out": select(func.count()).select_from(e).where(or_(e.locked_out.is_(True), e.equipment_status == "locked_out")),
        "open_complaints": select(func.count()).select_from(cc).where(
            or_(cc.complaint_status.is_(None), cc.complaint_status.not_in(("closed", "cancelled")))),
        "open_eight_d": select(func.count()).select_from(r).where(
            or_(r.eight_d_status.is_(None), r.eight_d_status.not_in(("closed", "cancelled")))),
        "open_findings": select(func.count()).select_from(f).where(
            or_(f.finding_status.is_(None), f.finding_status.not_in(("closed", "cancelled")))),
    }
    with dbs.connect(QMS) as conn:
        return {name: int(conn.execute(query).scalar_one()) for name, query in queries.items()}


# -- NCRs --------------------------------------------------------------------------------------------

def ncrs_page(dbs: Databases, user: ActingUser, pq: PageQuery, open_only: bool = False) -> Page:
    """NCRs, newest detected first unless sorted; `open_only` leaves out closed and cancelled ones.
    Filter by status, severity, source, supplier ... with the `/` grammar (e.g. `status=open`)."""
    require(user, QMS, "read", "Reading NCRs")
    n = NcrHeaders
    query = select(
        n.ncr_id.label("ncr"), n.ncr_status.label("status"), n.defect_severity.label("severity"),
        n.priority, n.source_type.label("source"), n.source_document_id.label("source_doc"),
        n.detected_date.label("detected"), n.defect_type.label("defect"), n.quantity_defective.label("qty"),
        n.supplier_id.label("supplier"), n.product_id.label("product"), n.material_id.label("material"),
        n.total_cost.label("cost"), cast(n.defect_description, String).label("description"),
    )
    if open_only:
        query = query.where(or_(n.ncr_status.is_(None), n.ncr_status.not_in(CLOSED_NCR)))
    with dbs.connect(QMS) as conn:
        return page_select(conn, query, _sorted(pq, "detected"), key_column="ncr")


def ncr_counts(dbs: Databases, user: ActingUser) -> dict[str, int]:
    """NCRs by state (a GROUP BY over a handful of states)."""
    require(user, QMS, "read", "Reading NCRs")
    with dbs.connect(QMS) as conn:
        rows = conn.execute(select(NcrHeaders.ncr_status, func.count()).group_by(NcrHeaders.ncr_status)).all()
    return {str(state or "none"): int(count) for state, count in rows}


STEP_TEXT = {
    "containment": "Containment: record the containment action (what was done to stop the defect spreading).",
    "investigation": "Investigation: containment done (recorded as completed today).",
    "disposition": "Disposition: the root cause is known (method and description).",
    "capa": "CAPA: the disposition with its quantity; a CAPA is raised from the NCR (needs ncr.disposition).",
    "verification": "Verification: every action of the linked CAPA completed.",
    "closed": "Close: verified effective (the linked CAPA's effectiveness verified; needs ncr.close).",
    "cancelled": "Cancel: a reason (needs ncr.close).",
}


def ncr_next_steps(user: ActingUser, ncr: dict[str, Any], capas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each state the NCR may move to next (the service's transitions): what it needs, each need
    with whether it is met now, and whether this user holds the capability the move takes."""
    state = ncr.get("ncr_status")
    live = [c for c in capas if c.get("capa_status") != "cancelled"]
    open_actions = [a for c in live for a in c.get("actions", []) if (a.get("action_status") or "open") not in DONE_ACTION]
    steps = []
    for target in ncr_rules.allowed_next(state):
        needs: list[tuple[str, bool | None]] = []
        if target == "containment":
            needs.append(("containment action", bool((ncr.get("containment_action") or "").strip())))
        elif target == "investigation":
            needs.append(("containment action recorded", bool((ncr.get("containment_action") or "").strip())))
        elif target == "disposition":
            needs.append(("root cause method", bool(ncr.get("root_cause_method"))))
            needs.append(("root cause description", bool(ncr.get("root_cause_description"))))
        elif target == "capa" and state == "verification":
            needs.append(("a reason: the fix did not work", None))
        elif target == "capa":
            needs.append((f"disposition ({', '.join(ncr_rules.DISPOSITIONS)})", bool(ncr.get("disposition"))))
            needs.append((f"disposition quantity (at most {ncr.get('quantity_defective')})",
                           ncr.get("disposition_quantity") is not None))
            needs.append(("a CAPA: linked " + ", ".join(c["capa_id"] for c in live) if live
                          else "a CAPA: raised from this NCR (owner, due date, actions planned)", bool(live) or None))
        elif target == "verification":
            needs.append(("a linked CAPA", bool(live)))
            needs.append((f"CAPA actions completed ({len(open_actions)} open)" if live else "CAPA actions completed",
                           bool(live) and not open_actions))
        elif target == "closed":
            verified = bool(live) and all(c.get("effectiveness_verified") for c in live)
            needs.append(("the CAPA verified effective", verified))
        elif target == "cancelled":
            needs.append(("a reason for cancelling", None))
        capability = ncr_rules.CAPABILITY_FOR.get(target)
        steps.append({
            "target": target, "text": STEP_TEXT[target] if not (target == "capa" and state == "verification")
            else "Back to CAPA: verification found the fix did not work (a reason).",
            "needs": needs, "ready": all(met is not False for _, met in needs), "capability": capability,
            "permitted": capability is None or user.has(capability), "fields": ncr_rules.FIELDS_FOR[target],
        })
    return steps


def forward_step(steps: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The step that moves the NCR on (not cancelling it, not sending it back)."""
    for step in steps:
        if step["target"] == "cancelled":
            continue
        if step["target"] == "capa" and any(s["target"] == "closed" for s in steps):
            continue  # from verification, capa is the way back
        return step
    return None


def ncr_detail(dbs: Databases, user: ActingUser, ncr_id: str) -> dict[str, Any]:
    """An NCR with its linked CAPAs (and their actions), allowed next states and what each needs."""
    require(user, QMS, "read", "Reading an NCR")
    with dbs.connect(QMS) as conn:
        ncr = _row(conn, select(NcrHeaders.__table__).where(NcrHeaders.ncr_id == ncr_id))
        if ncr is None:
            raise NotFound(f"There is no NCR {ncr_id}.")
        capas = [dict(r._mapping) for r in conn.execute(
            select(CapaHeaders.__table__).where(CapaHeaders.source_document_id == ncr_id, CapaHeaders.initiated_from == "ncr")
            .order_by(CapaHeaders.capa_id).limit(20))]
        for capa in capas:
            capa["actions"] = _actions(conn, capa["capa_id"])
    ncr["capas"] = capas
    ncr["steps"] = ncr_next_steps(user, ncr, capas)
    ncr["allowed_next"] = list(ncr_rules.allowed_next(ncr["ncr_status"]))
    return ncr


def _actions(conn, capa_id: str) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(
        select(CapaActions.__table__).where(CapaActions.capa_id == capa_id)
        .order_by(CapaActions.action_sequence, CapaActions.action_id).limit(DETAIL_ACTIONS))]


def failed_inspections_without_ncr(dbs: Databases, user: ActingUser, limit: int = FAILED_INSPECTIONS) -> list[dict[str, Any]]:
    """Failed MES inspections that no NCR deals with yet (newest first, at most `limit`)."""
    require(user, MFG, "read", "Reading MES inspections")
    require(user, QMS, "read", "Reading NCRs")
    q = QualityInspections
    with dbs.connect(MFG) as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(q.inspection_id, q.inspection_type, q.inspection_date, q.product_id, q.work_order_id,
                   q.defects_found, q.critical_defects, q.major_defects, q.ncr_number, q.notes)
            .where(func.lower(q.inspection_result).in_(ncr_rules.FAILED_RESULTS))
            .order_by(q.inspection_date.desc(), q.inspection_id.desc()).limit(limit * 4))]
    if not rows:
        return []
    with dbs.connect(QMS) as conn:
        ids = [r["inspection_id"] for r in rows]
        linked = set(conn.execute(select(NcrHeaders.source_document_id).where(
            NcrHeaders.source_type == "mes_inspection", NcrHeaders.source_document_id.in_(ids))).scalars())
        numbers = [r["ncr_number"] for r in rows if r["ncr_number"]]
        existing = set(conn.execute(select(NcrHeaders.ncr_id).where(NcrHeaders.ncr_id.in_(numbers))).scalars()) if numbers else set()
    return [r for r in rows if r["inspection_id"] not in linked and not (r["ncr_number"] and r["ncr_number"] in existing)][:limit]


# -- CAPAs -------------------------------------------------------------------------------------------

def capas_page(dbs: Databases, user: ActingUser, today: dt.date, pq: PageQuery, open_only: bool = True) -> Page:
    """CAPAs with their due dates; `days_left` < 0 is overdue. Unless sorted, fewest days left first
    (so the overdue ones lead). `open_only` leaves out closed and cancelled CAPAs."""
    require(user, QMS, "read", "Reading CAPAs")
    c = CapaHeaders
    with dbs.connect(QMS) as conn:
        days = _days_until(c.target_completion_date, today, conn.dialect.name)
        live = or_(c.capa_status.is_(None), c.capa_status.not_in(CLOSED_CAPA))
        overdue = and_(live, or_(c.capa_status == "overdue", c.target_completion_date < today))
        actions = (select(func.count()).select_from(CapaActions).where(CapaActions.capa_id == c.capa_id)
                   .scalar_subquery())
        open_actions = (select(func.count()).select_from(CapaActions)
                        .where(CapaActions.capa_id == c.capa_id,
                               or_(CapaActions.action_status.is_(None), CapaActions.action_status.not_in(DONE_ACTION)))
                        .scalar_subquery())
        query = select(
            c.capa_id.label("capa"), c.capa_status.label("status"), case((overdue, "yes"), else_="no").label("overdue"),
            c.target_completion_date.label("due"), case((live, days), else_=None).label("days_left"),
            c.initiated_from.label("source"), c.source_document_id.label("source_doc"),
            c.responsible_person.label("owner"), c.problem_severity.label("severity"),
            actions.label("actions"), open_actions.label("open_actions"),
            c.effectiveness_verified.label("effective"), cast(c.problem_description, String).label("problem"),
        )
        if open_only:
            query = query.where(live)
        return page_select(conn, query, _sorted(pq, "days_left", descending=False), key_column="capa")


def capa_detail(dbs: Databases, user: ActingUser, capa_id: str) -> dict[str, Any]:
    """A CAPA with its actions and the NCR it was raised for (when it was)."""
    require(user, QMS, "read", "Reading a CAPA")
    with dbs.connect(QMS) as conn:
        capa = _row(conn, select(CapaHeaders.__table__).where(CapaHeaders.capa_id == capa_id))
        if capa is None:
            raise NotFound(f"There is no CAPA {capa_id}.")
        capa["actions"] = _actions(conn, capa_id)
        capa["ncr"] = None
        if capa["initiated_from"] == "ncr" and capa["source_document_id"]:
            capa["ncr"] = _row(conn, select(NcrHeaders.ncr_id, NcrHeaders.ncr_status, NcrHeaders.defect_severity)
                               .where(NcrHeaders.ncr_id == capa["source_document_id"]))
    capa["open_actions"] = [a for a in capa["actions"] if (a["action_status"] or "open") not in DONE_ACTION]
    return capa


# -- SPC ---------------------------------------------------------------------------------------------

def spc_charts_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """SPC charts with their status and capability; out of control first unless sorted."""
    require(user, QMS, "read", "Reading SPC charts")
    s = SpcControlCharts
    flagged = (select(func.count()).select_from(SpcDataPoints)
               .where(SpcDataPoints.chart_id == s.chart_id, SpcDataPoints.out_of_control.is_(True)).scalar_subquery())
    points = select(func.count()).select_from(SpcDataPoints).where(SpcDataPoints.chart_id == s.chart_id).scalar_subquery()
    query = select(
        s.chart_id.label("chart"), s.chart_status.label("status"), s.process_name.label("process"),
        s.characteristic_name.label("characteristic"), s.chart_type.label("type"), s.cp, s.cpk,
        points.label("points"), flagged.label("flagged"), s.last_data_point_date.label("last_point"),
    )
    with dbs.connect(QMS) as conn:
        return page_select(conn, query, _sorted(pq, "status", descending=True), key_column="chart")


def spc_chart(dbs: Databases, user: ActingUser, chart_id: str, points: int = CHART_POINTS,
              rule_set: str = "nelson") -> dict[str, Any]:
    """A chart's newest `points` points with the limits, capability and run-rule flags the SPC
    service computes from them (`services.spc.analyse`); the chart's stored values alongside."""
    require(user, QMS, "read", "Reading an SPC chart")
    with dbs.connect(QMS) as conn:
        chart = _row(conn, select(SpcControlCharts.__table__).where(SpcControlCharts.chart_id == chart_id))
        if chart is None:
            raise NotFound(f"There is no SPC chart {chart_id}.")
        newest = [dict(r._mapping) for r in conn.execute(
            select(SpcDataPoints.__table__).where(SpcDataPoints.chart_id == chart_id)
            .order_by(SpcDataPoints.measurement_timestamp.desc(), SpcDataPoints.subgroup_number.desc(),
                      SpcDataPoints.data_point_id.desc()).limit(points))]
    rows = list(reversed(newest))
    result: dict[str, Any] = {"chart": chart, "points": rows, "flags": [[] for _ in rows], "limits": None,
                              "capability": None, "problem": None}
    if len(rows) >= 2:
        try:
            analysis = analyse(chart, rows, rule_set)
        except DomainError as exc:
            result["problem"] = exc.message
        else:
            result.update(limits=analysis["limits"], capability=analysis["capability"], flags=analysis["flags"])
    else:
        result["problem"] = f"{len(rows)} data point(s): control limits need at least 2."
    broken = sorted({r for f in result["flags"] for r in f}, key=lambda r: (len(r), r))
    result["rules_broken"] = [{"rule": r, "description": describe_rule(r),
                               "points": sum(1 for f in result["flags"] if r in f)} for r in broken]
    result["flagged"] = sum(1 for f in result["flags"] if f)
    return result


# -- calibration -------------------------------------------------------------------------------------

def _calibration_state(today: dt.date):
    e = MeasuringEquipment
    due = e.next_calibration_due
    return case(
        (or_(e.locked_out.is_(True), e.equipment_status == "locked_out"), "locked_out"),
        (or_(due.is_(None), due < today), "overdue"),
        (due <= today + dt.timedelta(days=7), "due_7_days"),
        (due <= today + dt.timedelta(days=DUE_SOON_DAYS), "due_30_days"),
        else_="ok",
    )


def calibration_page(dbs: Databases, user: ActingUser, today: dt.date, pq: PageQuery, attention_only: bool = True) -> Page:
    """Measuring equipment with its calibration state (locked_out, overdue, due_7_days, due_30_days,
    ok); earliest due first unless sorted. `attention_only` lists only what is not ok."""
    require(user, QMS, "read", "Reading measuring equipment")
    e = MeasuringEquipment
    state = _calibration_state(today)
    with dbs.connect(QMS) as conn:
        days = _days_until(e.next_calibration_due, today, conn.dialect.name)
        query = select(
            e.equipment_id.label("equipment"), state.label("state"), e.next_calibration_due.label("due"),
            days.label("days_left"), e.equipment_name.label("name"), e.equipment_type.label("type"),
            e.location, e.last_calibration_date.label("last_calibrated"),
            e.calibration_frequency_days.label("every_days"), e.equipment_status.label("status"),
            e.lockout_reason.label("lockout_reason"),
        )
        if attention_only:
            query = query.where(state != "ok")
        return page_select(conn, query, _sorted(pq, "due", descending=False), key_column="equipment")


def calibration_summary(dbs: Databases, user: ActingUser, today: dt.date) -> dict[str, int]:
    """How many pieces of equipment are in each calibration state."""
    require(user, QMS, "read", "Reading measuring equipment")
    state = _calibration_state(today)
    with dbs.connect(QMS) as conn:
        rows = conn.execute(select(state.label("state"), func.count()).group_by(state)).all()
    return {str(s): int(n) for s, n in rows}


def equipment(dbs: Databases, user: ActingUser, equipment_id: str) -> dict[str, Any]:
    require(user, QMS, "read", "Reading measuring equipment")
    with dbs.connect(QMS) as conn:
        row = _row(conn, select(MeasuringEquipment.__table__).where(MeasuringEquipment.equipment_id == equipment_id))
    if row is None:
        raise NotFound(f"There is no measuring equipment {equipment_id}.")
    return row


# -- complaints, 8D, audits ----------------------------------------------------------------------------

def complaints_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Customer complaints, newest first unless sorted."""
    require(user, QMS, "read", "Reading customer complaints")
    c = CustomerComplaints
    query = select(
        c.complaint_id.label("complaint"), c.complaint_status.label("status"), c.severity,
        c.complaint_date.label("date"), c.customer_id.label("customer"), c.complaint_type.label("type"),
        c.product_id.label("product"), c.linked_ncr_id.label("ncr"), c.linked_capa_id.label("capa"),
        c.total_cost.label("cost"), cast(c.complaint_description, String).label("description"),
    )
    with dbs.connect(QMS) as conn:
        return page_select(conn, query, _sorted(pq, "date"), key_column="complaint")


def eight_d_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """8D reports with the last discipline done; open ones first unless sorted."""
    require(user, QMS, "read", "Reading 8D reports")
    r = EightDReports
    query = select(
        r.eight_d_id.label("report"), r.eight_d_status.label("status"),
        case((r.eight_d_status.in_(("closed", "cancelled")), "done"), else_="open").label("state"),
        r.source_type.label("source"), r.source_document_id.label("source_doc"), r.team_leader.label("leader"),
        r.created_at.label("opened"), r.closed_date.label("closed"), cast(r.problem_description, String).label("problem"),
    )
    with dbs.connect(QMS) as conn:
        return page_select(conn, query, _sorted(pq, "state", descending=True), key_column="report")


def eight_d_detail(dbs: Databases, user: ActingUser, eight_d_id: str) -> dict[str, Any]:
    """An 8D report, the discipline to record next and the fields it takes (required ones first)."""
    require(user, QMS, "read", "Reading an 8D report")
    with dbs.connect(QMS) as conn:
        report = _row(conn, select(EightDReports.__table__).where(EightDReports.eight_d_id == eight_d_id))
    if report is None:
        raise NotFound(f"There is no 8D report {eight_d_id}.")
    nxt = next_discipline(report["eight_d_status"])
    report["next_discipline"] = nxt
    report["next_fields"] = dict(D_FIELDS[nxt]) if nxt else {}
    report["next_required"] = tuple(D_REQUIRED[nxt]) if nxt else ()
    return report


def audits_page(dbs: Databases, user: ActingUser, pq: PageQuery) -> Page:
    """Quality audits, latest planned first unless sorted."""
    require(user, QMS, "read", "Reading quality audits")
    a = QualityAudits
    query = select(
        a.audit_id.label("audit"), a.audit_status.label("status"), a.audit_type.label("type"),
        a.audit_standard.label("standard"), a.planned_date.label("planned"), a.auditee_department.label("department"),
        a.auditee_supplier_id.label("supplier"), a.audit_score.label("score"), a.audit_rating.label("rating"),
        a.total_findings.label("findings"), a.major_findings.label("major"), a.minor_findings.label("minor"),
    )
    with dbs.connect(QMS) as conn:
        return page_select(conn, query, _sorted(pq, "planned"), key_column="audit")


def findings_page(dbs: Databases, user: ActingUser, pq: PageQuery, audit_id: str | None = None) -> Page:
    """Audit findings (of one audit, or all), open ones first unless sorted."""
    require(user, QMS, "read", "Reading audit findings")
    f = AuditFindings
    query = select(
        f.finding_id.label("finding"), f.audit_id.label("audit"), f.finding_type.label("type"),
        f.finding_status.label("status"), f.risk_level.label("risk"), f.target_closure_date.label("target"),
        f.linked_capa_id.label("capa"), f.responsible_person.label("owner"),
        cast(f.finding_description, String).label("description"),
    )
    if audit_id:
        query = query.where(f.audit_id == audit_id)
    with dbs.connect(QMS) as conn:
        return page_select(conn, query, _sorted(pq, "target", descending=False), key_column="finding")


__all__ = [
    "quality_overview", "ncrs_page", "ncr_counts", "ncr_detail", "ncr_next_steps", "forward_step", "failed_inspections_without_ncr",
    "capas_page", "capa_detail", "spc_charts_page", "spc_chart", "calibration_page", "calibration_summary", "equipment",
    "complaints_page", "eight_d_page", "eight_d_detail", "audits_page", "findings_page",
]
