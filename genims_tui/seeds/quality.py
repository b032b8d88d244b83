"""genims_quality_db: NCRs (one per pre-allocated failed MES inspection, plus supplier and customer
NCRs), CAPAs with actions, audits, control plans, SPC charts with rule-checked data points,
calibration (due, due soon, overdue and locked out), documents, customer complaints from service
tickets, 8D, PPAP, supplier quality metrics, daily KPIs and the QMS integration log."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

from ._bizutil import D0, as_date, as_dt, at as _at, clamp, dec, money, q
from ..backend.services import spc_math
from .framework import SeedContext

DATABASE = "genims_quality_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_manufacturing_db", "genims_service_db", "genims_hr_db", "genims_crm_db")

NCR_STATES = ["open", "containment", "investigation", "disposition", "capa", "verification", "closed"]
DEFECTS = [("dimensional", "Dimension out of tolerance"), ("surface", "Surface scratches and dents"),
           ("porosity", "Porosity in casting"), ("assembly", "Missing or wrong component"),
           ("functional", "Functional test failure"), ("contamination", "Foreign material contamination"),
           ("labeling", "Wrong or missing label")]
RC_METHODS = ["5_why", "fishbone", "fault_tree", "8d", "is_is_not"]
# SPC exactly as the QMS service computes it (genims_tui.backend.services.spc_math): limits from the
# first SPC_BASELINE subgroups, Western Electric rules (WE1..WE4), so recompute_chart(chart,
# rule_set="western_electric", baseline=SPC_BASELINE) over a seeded chart changes nothing.
OVERDUE_CAPAS_LEFT = 2  # open CAPAs past their target date that capa_escalation has not reached yet
SPC_RULE_SET = "western_electric"
SPC_BASELINE = 20
SPC_SUBGROUP = 5
RUN_LENGTH = 8  # WE4: 8 points in a row on one side of the center line


def _cap(value: float | None, places: int = 3, cap: float = 99.999):
    return None if value is None else q(max(-cap, min(cap, value)), places)


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    rng = ctx.rng("quality")
    fake = ctx.faker("quality")
    now = ctx.as_of

    def at(day, r, *hours):  # a working-hours moment on `day`, never after as_of
        return clamp(_at(day, r, *hours), now)

    today = ctx.today
    employees = ctx.rows("genims_master_db", "employees")
    products = ctx.rows("genims_master_db", "products")
    customers = ctx.rows("genims_master_db", "customers")
    factories = ctx.rows("genims_master_db", "factories")
    materials = ctx.rows("genims_erp_db", "materials")
    suppliers = ctx.rows("genims_erp_db", "suppliers")
    receipts = ctx.rows("genims_erp_db", "goods_receipts")
    sales_orders = ctx.rows("genims_erp_db", "sales_orders")
    so_lines = ctx.rows("genims_erp_db", "sales_order_lines")
    departments = ctx.rows("genims_hr_db", "departments")
    tickets = ctx.rows("genims_service_db", "service_tickets")
    accounts = ctx.rows("genims_crm_db", "accounts")
    failed = ctx.shared.get("failed_inspections", [])
    ncr_next = int(ctx.shared.get("ncr_next", 1))

    qe = [e["employee_id"] for e in employees if e.get("role") == "quality_engineer"][:40] or [e["employee_id"] for e in employees[:20]]
    qi = [e["employee_id"] for e in employees if e.get("role") == "quality_inspector"][:40] or qe
    mgr = [e["employee_id"] for e in employees if e.get("role") == "manager"][:10] or qe
    qdept = [d["department_id"] for d in departments if "qual" in (d.get("department_name") or d.get("department_code") or "").lower()]
    dept_ids = [d["department_id"] for d in departments]
    qdept = qdept or dept_ids
    mat_for_product: dict[str, str] = {}
    for m in materials:
        if m.get("product_id") and m["product_id"] not in mat_for_product:
            mat_for_product[m["product_id"]] = m["material_id"]
    mat_by_id = {m["material_id"]: m for m in materials}
    customer_of_account = {a["account_id"]: a["customer_id"] for a in accounts}
    so_by_id = {s["sales_order_id"]: s for s in sales_orders}
    lines_by_so: dict[str, list[dict]] = defaultdict(list)
    for ln in so_lines:
        lines_by_so[ln["sales_order_id"]].append(ln)
    setup = now - dt.timedelta(days=1000)

    ncrs, defect_rows, capas, actions = [], [], [], []

    def state_for(age_days: float) -> str:
        if age_days < 2:
            return "open"
        if age_days < 4:
            return rng.choice(["open", "containment"])
        if age_days < 8:
            return rng.choice(["containment", "investigation"])
        if age_days < 14:
            return rng.choice(["investigation", "disposition", "capa"])
        if age_days < 22:
            return rng.choice(["disposition", "capa", "verification", "closed"])
        if age_days < 45:
            return rng.choices(["capa", "verification", "closed"], [3, 2, 5])[0]
        return rng.choices(["capa", "verification", "closed"], [1, 1, 8])[0]

    def add_actions(cid: str, start: dt.datetime, done_day: dt.date | None, finished: bool) -> None:
        s_day = as_date(start)
        closed = verifying = finished
        for k in range(1, rng.randint(2, 4) + 1):
            due = as_date(start) + dt.timedelta(days=rng.randint(5, 30))
            if closed or verifying:
                comp = min(done_day, max(as_date(start), due - dt.timedelta(days=rng.randint(0, 4))))
                astatus = "completed"
            else:
                comp = None
                if due < today:
                    astatus = "overdue" if rng.random() < 0.5 else "in_progress"  # some left for the automation
                else:
                    astatus = rng.choice(["open", "in_progress"])
                if k == 1 and s_day < today - dt.timedelta(days=2):  # the first action is already past due
                    due = today - dt.timedelta(days=rng.randint(1, (today - s_day).days - 1))
                    astatus = "overdue" if rng.random() < 0.5 else "in_progress"
                elif due < today and rng.random() < 0.3:
                    comp = max(as_date(start), min(due, today - dt.timedelta(days=1)))
                    astatus = "completed"
            actions.append({
                "action_id": ctx.key("CAPAA", len(actions) + 1), "capa_id": cid, "action_sequence": k,
                "action_description": rng.choice(["Revise work instruction", "Adjust machine parameters", "Add poka-yoke fixture",
                                                  "Retrain operators", "Update control plan", "Supplier corrective action request",
                                                  "Increase inspection frequency"]),
                "action_type": rng.choice(["corrective", "preventive"]), "assigned_to": rng.choice(qe + qi),
                "due_date": due, "completion_date": comp, "action_status": astatus,
                "completion_evidence": "Evidence attached" if comp else None,
                "attachment_urls": [f"https://files.genims.local/qms/{cid}/action{k}.pdf"] if comp else [], "created_at": start,
            })

    def add_capa(ncr: dict, state: str, start: dt.datetime) -> dict:
        n = len(capas) + 1
        cid = ctx.key("CAPA", n)
        owner = rng.choice(qe)
        target = as_date(start) + dt.timedelta(days=rng.randint(14, 35))
        closed = state == "closed"
        verifying = state == "verification"
        done_day = ver_day = None
        s_day = as_date(start)
        if closed:  # implemented, then verified effective on the day the NCR closed
            ver_day = max(ncr["closed_date"], s_day + dt.timedelta(days=1))
            done_day = s_day + dt.timedelta(days=rng.randint(1, max(1, (ver_day - s_day).days)))
            done_day = min(done_day, ver_day)
        elif verifying:
            done_day = s_day + dt.timedelta(days=rng.randint(1, max(1, (today - s_day).days - 1)))
            done_day = min(done_day, today)
        status = "closed" if closed else ("verification" if verifying else ("overdue" if target < today and rng.random() < 0.4 else "implementation"))
        capa = {
            "capa_id": cid, "capa_number": f"CAPA-{n:05d}", "action_type": "corrective", "initiated_from": "ncr",
            "source_document_id": ncr["ncr_id"], "problem_description": ncr["defect_description"],
            "problem_severity": ncr["defect_severity"], "immediate_actions": ncr["containment_action"],
            "immediate_actions_completed": True, "root_cause_analysis": ncr["root_cause_description"],
            "root_cause_method": ncr["root_cause_method"], "root_cause_identified": True,
            "actions_planned": "Update process parameters, revise work instruction, retrain operators",
            "implementation_plan": "Phased implementation on the affected line", "responsible_person": owner,
            "responsible_department": rng.choice(qdept) if qdept else None, "target_completion_date": target,
            "actual_completion_date": done_day, "verification_plan": "Monitor defect rate for 30 days",
            "verification_completed": closed, "verification_date": ver_day, "verified_by": rng.choice(mgr) if closed else None,
            "verification_result": "Defect rate reduced below target" if closed else None,
            "effectiveness_review_date": ver_day if closed else target + dt.timedelta(days=30),
            "effectiveness_verified": closed, "effectiveness_notes": "No recurrence observed" if closed else None,
            "capa_status": status, "closed_date": ver_day if closed else None, "closed_by": rng.choice(mgr) if closed else None,
            "implementation_cost": money(rng.randint(500, 25000)), "created_at": start,
            "updated_at": clamp(as_dt(ver_day or done_day) or start, now) if (ver_day or done_day) else start,
        }
        if capa["updated_at"] < start:
            capa["updated_at"] = start
        capas.append(capa)
        add_actions(cid, start, done_day, closed or verifying)
        return capa

    def fill_ncr(ncr: dict, state: str, detected: dt.datetime) -> None:
        idx = NCR_STATES.index(state)
        qty_def = ncr["quantity_defective"]
        ncr["ncr_status"] = state
        if idx >= 1:
            ncr["containment_action"] = rng.choice(["Quarantined affected lot", "100% sort of stock on hand", "Stopped shipments pending review"])
            ncr["containment_completed"] = idx >= 2
            ncr["containment_date"] = as_date(detected) + dt.timedelta(days=1) if idx >= 2 else None
        if idx >= 2:
            ncr["root_cause_method"] = rng.choice(RC_METHODS)
            ncr["root_cause_description"] = rng.choice(["Tool wear beyond limit", "Incorrect machine setup after changeover",
                                                       "Supplier material out of spec", "Operator skipped inspection step",
                                                       "Fixture misalignment"])
            ncr["root_cause_verified"] = idx >= 4
        if idx >= 4:  # the MRB decides the disposition when the NCR moves on to CAPA (the NCR service's rule)
            disp = rng.choice(["scrap", "rework", "use_as_is", "return_to_supplier"] if ncr["supplier_id"] else ["scrap", "rework", "use_as_is"])
            ncr["disposition"] = disp
            ncr["disposition_quantity"] = qty_def
            ncr["disposition_notes"] = f"MRB decision: {disp.replace('_', ' ')}"
            unit = dec(mat_by_id.get(ncr["material_id"] or "", {}).get("standard_cost"), "25")
            scrap = money(qty_def * unit) if disp == "scrap" else D0
            rework = money(qty_def * unit * Decimal("0.3")) if disp == "rework" else D0
            sorting = money(Decimal(rng.randint(2, 16)) * Decimal("45"))
            ncr["scrap_cost"], ncr["rework_cost"], ncr["sorting_cost"] = scrap, rework, sorting
            ncr["total_cost"] = scrap + rework + sorting
        if state == "closed":
            close_day = min(as_date(detected) + dt.timedelta(days=rng.randint(12, 28)), today - dt.timedelta(days=1))
            ncr["closed_date"] = close_day
            ncr["closed_by"] = rng.choice(mgr)
            ncr["verified_effective"] = True
            ncr["verification_date"] = close_day
            ncr["verified_by"] = ncr["closed_by"]
        if idx >= 4:
            capa_start = as_dt(as_date(detected) + dt.timedelta(days=min(7, max(1, (today - as_date(detected)).days // 3)))) + dt.timedelta(hours=10)
            capa_start = clamp(capa_start, now - dt.timedelta(hours=1))
            add_capa(ncr, state, capa_start)
        ncr["updated_at"] = clamp(as_dt(ncr["closed_date"]) if ncr["closed_date"] else detected + dt.timedelta(days=idx), now)

    def base_ncr(ncr_id: str, source_type: str, source_doc: str, detected: dt.datetime, **kw) -> dict:
        defect_type, desc = rng.choice(DEFECTS)
        row = {
            "ncr_id": ncr_id, "ncr_number": ncr_id, "source_type": source_type, "source_document_id": source_doc,
            "detected_date": as_date(detected), "detected_by": rng.choice(qi), "detection_location": "production",
            "material_id": None, "product_id": None, "batch_number": None, "lot_number": None, "serial_numbers": None,
            "quantity_inspected": None, "quantity_defective": q(1), "unit_of_measure": "EA", "defect_type": defect_type,
            "defect_description": desc, "defect_severity": rng.choices(["critical", "major", "minor"], [1, 4, 5])[0],
            "supplier_id": None, "purchase_order_id": None, "customer_id": None, "sales_order_id": None,
            "containment_action": None, "containment_completed": False, "containment_date": None, "disposition": None,
            "disposition_quantity": None, "disposition_notes": None, "scrap_cost": D0, "rework_cost": D0, "sorting_cost": D0,
            "total_cost": D0, "root_cause_method": None, "root_cause_description": None, "root_cause_verified": False,
            "ncr_status": "open", "closed_date": None, "closed_by": None, "verified_effective": False, "verification_date": None,
            "verified_by": None, "priority": "medium", "attachment_urls": [], "created_at": detected, "updated_at": detected,
        }
        row.update(kw)
        row["priority"] = {"critical": "high", "major": "medium", "minor": "low"}[row["defect_severity"]]
        return row

    # -- NCRs from pre-allocated failed MES inspections -----------------------------------------
    for insp in failed:
        if not insp.get("ncr_number"):
            continue
        detected = as_dt(insp["inspection_date"]) or now
        defects = int(insp.get("defects_found") or 1)
        ncr = base_ncr(
            insp["ncr_number"], "mes_inspection", insp["inspection_id"], detected,
            detected_by=insp.get("inspector_id") or rng.choice(qi), detection_location="in_process",
            product_id=insp.get("product_id"), material_id=mat_for_product.get(insp.get("product_id")),
            batch_number=insp.get("batch_number"), lot_number=insp.get("lot_number"),
            quantity_inspected=q(max(defects * rng.randint(5, 20), 10)), quantity_defective=q(max(defects, 1)),
        )
        fill_ncr(ncr, state_for((now - detected).total_seconds() / 86400), detected)
        ncrs.append(ncr)
    n_next = ncr_next

    # -- supplier NCRs from goods receipts ---------------------------------------------------
    bad_receipts = [g for g in receipts if (g.get("quality_status") or "").lower() in ("rejected", "blocked", "failed", "quarantine")]
    pool = bad_receipts + [g for g in receipts if g not in bad_receipts]
    for g in pool[: min(len(pool), ctx.scaled(120, 4))]:
        detected = clamp(at(as_date(g.get("gr_date")) or today, rng), now - dt.timedelta(minutes=5))
        rq = dec(g.get("quantity_received"), "10")
        ncr = base_ncr(
            ctx.key("NCR", n_next), "incoming_inspection", g["goods_receipt_id"], detected, detection_location="receiving",
            material_id=g.get("material_id"), batch_number=g.get("batch_number"), supplier_id=g.get("supplier_id"),
            purchase_order_id=g.get("purchase_order_id"), quantity_inspected=q(rq),
            quantity_defective=q(max(Decimal(1), (rq * Decimal(str(rng.uniform(0.01, 0.1)))).to_integral_value())),
            unit_of_measure=g.get("unit_of_measure") or "EA",
        )
        n_next += 1
        fill_ncr(ncr, state_for((now - detected).total_seconds() / 86400), detected)
        ncrs.append(ncr)

    # -- customer complaints from quality tickets (a few recent left for the automation) ---------
    ticket_by_id = {t["ticket_id"]: t for t in tickets}
    qt = [ticket_by_id[t] for t in ctx.shared.get("quality_tickets", []) if t in ticket_by_id]
    qt.sort(key=lambda t: t["created_at"])
    keep_for_automation = max(2, len(qt) // 10)
    complaint_tickets = [t for t in qt[:-keep_for_automation] if t["created_at"] < now - dt.timedelta(hours=6)] if len(qt) > keep_for_automation else []
    complaints, eight_ds = [], []
    for i, t in enumerate(complaint_tickets):
        cdate = as_date(t["created_at"]) + dt.timedelta(days=rng.randint(0, 1))
        cdate = min(cdate, today)
        created = max(t["created_at"], clamp(at(cdate, rng), now))
        so = so_by_id.get(t.get("related_order_id") or "")
        ln = rng.choice(lines_by_so[so["sales_order_id"]]) if so and lines_by_so.get(so["sales_order_id"]) else None
        product_id = (ln.get("product_id") if ln else None) or (mat_by_id.get(ln["material_id"], {}).get("product_id") if ln else None)
        severity = {"critical": "critical", "high": "major"}.get(t["priority"], "minor")
        age = (now - created).days
        comp_id = ctx.key("CC", i + 1)
        ncr = None
        if age >= 3 and rng.random() < 0.7:
            detected = clamp(created + dt.timedelta(days=1), now - dt.timedelta(minutes=5))
            ncr = base_ncr(
                ctx.key("NCR", n_next), "customer_complaint", comp_id, detected, detection_location="customer",
                product_id=product_id, material_id=ln["material_id"] if ln else None,
                customer_id=customer_of_account.get(t["account_id"]), sales_order_id=so["sales_order_id"] if so else None,
                quantity_defective=q(rng.randint(1, 50)),
            )
            n_next += 1
            fill_ncr(ncr, state_for((now - detected).total_seconds() / 86400), detected)
            ncrs.append(ncr)
        capa = next((c for c in capas if ncr and c["source_document_id"] == ncr["ncr_id"]), None)
        closed = ncr is not None and ncr["ncr_status"] == "closed"
        res_day = ncr["closed_date"] if closed else None
        replacement = money(rng.randint(0, 8000)) if closed else D0
        credit = money(rng.randint(0, 5000)) if closed else D0
        complaints.append({
            "complaint_id": comp_id, "complaint_number": f"CC-{i + 1:05d}", "service_ticket_id": t["ticket_id"],
            "customer_id": customer_of_account.get(t["account_id"]), "customer_contact": t.get("contact_id"),
            "product_id": product_id, "sales_order_id": so["sales_order_id"] if so else None,
            "batch_number": None, "serial_number": t.get("related_serial_number"), "complaint_date": cdate,
            "complaint_description": t.get("description") or t["subject"], "complaint_type": t.get("subcategory") or "quality",
            "severity": severity, "safety_issue": severity == "critical" and rng.random() < 0.3,
            "quantity_affected": q(rng.randint(1, 200)), "quantity_returned": q(rng.randint(0, 50)),
            "immediate_action": "Replacement parts shipped, stock quarantined", "customer_response": None,
            "root_cause": ncr["root_cause_description"] if ncr else None,
            "investigation_method": ncr["root_cause_method"] if ncr else None,
            "linked_ncr_id": ncr["ncr_id"] if ncr else None, "linked_capa_id": capa["capa_id"] if capa else None,
            "resolution": "Corrective action implemented and verified" if closed else None, "resolution_date": res_day,
            "replacement_cost": replacement, "credit_issued": credit, "total_cost": replacement + credit,
            "customer_satisfied": True if closed else None, "customer_feedback": None,
            "complaint_status": "closed" if closed else ("investigation" if ncr else "open"),
            "closed_date": res_day, "closed_by": ncr["closed_by"] if closed else None,
            "created_at": created, "updated_at": max(created, ncr["updated_at"]) if ncr else created,
        })
        if ncr and len(eight_ds) < max(3, ctx.scaled(15, 3)) and NCR_STATES.index(ncr["ncr_status"]) >= 2:
            team = rng.sample(qe, min(4, len(qe)))
            st = NCR_STATES.index(ncr["ncr_status"])
            d0 = as_date(created)
            eight_ds.append({
                "eight_d_id": ctx.key("8D", len(eight_ds) + 1), "eight_d_number": f"8D-{len(eight_ds) + 1:05d}",
                "source_type": "customer_complaint", "source_document_id": comp_id, "team_leader": team[0], "team_members": team,
                "problem_preparation": "Team formed, data collected", "team_established_date": d0,
                "problem_description": complaints[-1]["complaint_description"], "is_statement": "Defect on affected lot",
                "is_not_statement": "Other lots and lines not affected", "containment_action": ncr["containment_action"],
                "containment_date": ncr["containment_date"], "containment_verified": ncr["containment_completed"],
                "root_cause_analysis": ncr["root_cause_description"], "root_cause_method": ncr["root_cause_method"],
                "root_cause_identified": ncr["containment_date"] if st >= 2 else None, "root_cause_verified": ncr["root_cause_verified"],
                "permanent_actions": capa["actions_planned"] if capa else None,
                "pca_implementation_date": capa["actual_completion_date"] if capa else None,
                "verification_plan": "30-day monitoring", "verification_completed": closed,
                "verification_date": ncr["verification_date"], "preventive_actions": "Control plan and PFMEA updated" if closed else None,
                "systems_updated": "PFMEA, control plan" if closed else None, "prevention_completed": closed,
                "team_recognition": "Team recognised" if closed else None, "lessons_learned": "Shared across plants" if closed else None,
                "eight_d_status": "closed" if closed else f"D{min(7, st + 2)}", "closed_date": ncr["closed_date"],
                "created_at": created, "updated_at": ncr["updated_at"] if ncr["updated_at"] > created else created,
            })

    # -- defect details ---------------------------------------------------------------------------
    for ncr in ncrs:
        for _ in range(rng.randint(1, 2)):
            nominal = rng.choice([10.0, 25.0, 42.5, 80.0, 120.0])
            tol = nominal * 0.01
            actual = nominal + tol * rng.choice([-1, 1]) * rng.uniform(1.2, 3.0)
            defect_rows.append({
                "defect_detail_id": ctx.key("NCRD", len(defect_rows) + 1), "ncr_id": ncr["ncr_id"],
                "characteristic_name": rng.choice(["Outer diameter", "Length", "Bore depth", "Flatness", "Torque", "Surface roughness"]),
                "specification": f"{nominal:.2f} +/- {tol:.3f} mm", "actual_value": f"{actual:.3f} mm",
                "measurement_method": rng.choice(["CMM", "caliper", "micrometer", "visual"]),
                "measuring_equipment": None, "defect_location": rng.choice(["Feature A", "Edge", "Bore", "Face"]),
                "created_at": ncr["created_at"],
            })

    # -- audits + findings ------------------------------------------------------------------------
    audits, findings = [], []
    for i in range(max(9, ctx.scaled(20, 9))):
        planned = today - dt.timedelta(days=rng.randint(-20, 330))
        done = planned < today - dt.timedelta(days=3)
        supplier = rng.choice(suppliers) if rng.random() < 0.35 and suppliers else None
        end = planned + dt.timedelta(days=rng.randint(0, 2)) if done else None
        end = min(end, today - dt.timedelta(days=1)) if end else None
        aid = ctx.key("QAUD", i + 1)
        nf = rng.randint(0, 4) if done else 0
        team = rng.sample(qe, min(3, len(qe)))
        audit_f = []
        for k in range(1, nf + 1):
            ftype = rng.choices(["major", "minor", "observation", "positive"], [1, 4, 3, 2])[0]
            closed = end + dt.timedelta(days=rng.randint(5, 40)) if end and rng.random() < 0.6 else None
            closed = closed if closed and closed < today else None
            audit_f.append({
                "finding_id": ctx.key("QAF", len(findings) + len(audit_f) + 1), "audit_id": aid, "finding_number": k,
                "finding_type": ftype, "finding_category": rng.choice(["documentation", "process", "training", "calibration", "traceability"]),
                "finding_description": rng.choice(["Work instruction revision not at point of use", "Calibration label missing on gauge",
                                                   "Training record incomplete", "Lot traceability gap at rework station",
                                                   "Good practice: visual management boards"]),
                "requirement_reference": rng.choice(["ISO 9001:2015 7.1.5", "IATF 16949 8.5.2", "ISO 9001:2015 7.2", "ISO 9001:2015 8.5.1"]),
                "objective_evidence": "Observed during the audit walk", "impact_assessment": None,
                "risk_level": {"major": "high", "minor": "medium"}.get(ftype, "low"),
                "corrective_action_required": ftype in ("major", "minor"), "linked_capa_id": None,
                "responsible_person": rng.choice(qe), "target_closure_date": end + dt.timedelta(days=30),
                "finding_status": "closed" if closed else ("open" if ftype in ("major", "minor") else "closed"),
                "closure_date": closed if closed else (end if ftype not in ("major", "minor") else None),
                "closure_verified_by": rng.choice(mgr) if closed else None, "closure_notes": None,
                "created_at": clamp(at(end, rng), now),
            })
        findings.extend(audit_f)
        counts = {t: sum(1 for f in audit_f if f["finding_type"] == t) for t in ("major", "minor", "observation", "positive")}
        score = money(max(60, 98 - counts["major"] * 10 - counts["minor"] * 3 - rng.randint(0, 5))) if done else None
        audits.append({
            "audit_id": aid, "audit_number": f"QA-{i + 1:05d}", "audit_type": "supplier" if supplier else rng.choice(["internal", "process", "product", "customer"]),
            "audit_standard": rng.choice(["ISO 9001:2015", "IATF 16949", "VDA 6.3"]), "audit_scope": "Production and quality system",
            "auditee_department": None if supplier else (rng.choice(dept_ids) if dept_ids else None),
            "auditee_supplier_id": supplier["supplier_id"] if supplier else None, "planned_date": planned,
            "actual_start_date": planned if done else None, "actual_end_date": end,
            "audit_duration_hours": money(rng.choice([4, 8, 12, 16])) if done else None, "lead_auditor": team[0], "audit_team": team,
            "audit_location": (supplier["supplier_name"] if supplier else rng.choice(factories)["factory_name"]) if (supplier or factories) else None,
            "audit_score": score, "audit_rating": (("excellent" if score >= 90 else "satisfactory" if score >= 75 else "needs_improvement") if score else None),
            "total_findings": nf, "major_findings": counts["major"], "minor_findings": counts["minor"],
            "observations": counts["observation"], "positive_findings": counts["positive"],
            "followup_required": counts["major"] + counts["minor"] > 0, "followup_date": end + dt.timedelta(days=30) if end and counts["major"] + counts["minor"] else None,
            "audit_status": "completed" if done else ("planned" if planned > today else "in_progress"),
            "audit_report_url": f"https://files.genims.local/qms/audits/{aid}.pdf" if done else None,
            "closed_date": end if done and not any(f["finding_status"] == "open" for f in audit_f) else None,
            "created_at": clamp(as_dt(planned) - dt.timedelta(days=30), now), "updated_at": clamp(as_dt(end) if end else as_dt(planned) - dt.timedelta(days=30), now),
        })
    # major/minor open findings from completed audits get CAPAs
    for f in findings:
        if f["finding_type"] == "major" or (f["finding_type"] == "minor" and rng.random() < 0.3):
            n = len(capas) + 1
            start = f["created_at"] + dt.timedelta(days=1) if f["created_at"] + dt.timedelta(days=1) < now else f["created_at"]
            target = as_date(start) + dt.timedelta(days=30)
            closed = f["finding_status"] == "closed" and f["closure_date"]
            capas.append({
                "capa_id": ctx.key("CAPA", n), "capa_number": f"CAPA-{n:05d}", "action_type": "corrective", "initiated_from": "audit",
                "source_document_id": f["finding_id"], "problem_description": f["finding_description"], "problem_severity": f["risk_level"],
                "immediate_actions": "Interim control in place", "immediate_actions_completed": True, "root_cause_analysis": "System gap",
                "root_cause_method": "5_why", "root_cause_identified": True, "actions_planned": "Update procedure and train",
                "implementation_plan": None, "responsible_person": f["responsible_person"],
                "responsible_department": rng.choice(qdept) if qdept else None, "target_completion_date": target,
                "actual_completion_date": f["closure_date"] if closed else None, "verification_plan": "Follow-up audit",
                "verification_completed": bool(closed), "verification_date": f["closure_date"] if closed else None,
                "verified_by": f["closure_verified_by"] if closed else None, "verification_result": "Effective" if closed else None,
                "effectiveness_review_date": f["closure_date"] if closed else target + dt.timedelta(days=30),
                "effectiveness_verified": bool(closed), "effectiveness_notes": None,
                "capa_status": "closed" if closed else ("overdue" if target < today else "implementation"),
                "closed_date": f["closure_date"] if closed else None, "closed_by": f["closure_verified_by"] if closed else None,
                "implementation_cost": money(rng.randint(200, 5000)), "created_at": start,
                "updated_at": max(start, clamp(as_dt(f["closure_date"]), now)) if closed else start,
            })
            f["linked_capa_id"] = capas[-1]["capa_id"]
            add_actions(capas[-1]["capa_id"], start, capas[-1]["actual_completion_date"], bool(closed))

    # the newest open CAPAs old enough to be late are past their target date and not yet escalated:
    # the capa_escalation automation's next cycle (README, "The last cycle is left undone")
    late_enough = [c for c in capas if c["capa_status"] in ("implementation", "overdue") and as_date(c["created_at"]) <= today - dt.timedelta(days=2)]
    for c in sorted(late_enough, key=lambda c: (c["created_at"], c["capa_id"]), reverse=True)[:OVERDUE_CAPAS_LEFT]:
        if c["target_completion_date"] >= today:
            c["target_completion_date"] = today - dt.timedelta(days=1)
            c["effectiveness_review_date"] = c["target_completion_date"] + dt.timedelta(days=30)
        c["capa_status"] = "implementation"

    # -- control plans + characteristics ---------------------------------------------------------
    plans, chars = [], []
    for i in range(20):
        prod = products[i % len(products)] if products else None
        eff = today - dt.timedelta(days=rng.randint(60, 700))
        pid = ctx.key("CP", i + 1)
        plans.append({
            "control_plan_id": pid, "control_plan_number": f"CP-{i + 1:05d}", "product_id": prod["product_id"] if prod else None,
            "material_id": mat_for_product.get(prod["product_id"]) if prod else None,
            "process_name": rng.choice(["Machining", "Assembly", "Welding", "Molding", "Painting"]),
            "control_plan_title": f"Control plan {prod['product_name'] if prod else i + 1}"[:200],
            "control_plan_type": rng.choice(["production", "pre_launch"]), "version": f"{rng.randint(1, 4)}.0", "revision_date": eff,
            "supersedes_plan_id": None, "prepared_by": rng.choice(qe), "approved_by": rng.choice(mgr), "approval_date": eff,
            "effective_date": eff, "obsolete_date": None, "plan_status": "active",
            "document_url": f"https://files.genims.local/qms/control_plans/{pid}.pdf",
            "created_at": as_dt(eff) - dt.timedelta(days=10), "updated_at": as_dt(eff),
        })
        for k in range(1, rng.randint(2, 4) + 1):
            nominal = Decimal(rng.choice([10, 25, 40, 60, 100]))
            tol = nominal * Decimal("0.01")
            chars.append({
                "characteristic_id": ctx.key("CPC", len(chars) + 1), "control_plan_id": pid, "sequence_number": k * 10,
                "process_step": f"OP{k * 10}", "characteristic_name": rng.choice(["Outer diameter", "Length", "Bore depth", "Flatness", "Torque"]),
                "characteristic_type": rng.choice(["product", "process"]), "specification": f"{nominal} +/- {tol}",
                "lower_spec_limit": q(nominal - tol, 6), "target_value": q(nominal, 6), "upper_spec_limit": q(nominal + tol, 6),
                "unit_of_measure": "mm", "measurement_technique": rng.choice(["CMM", "Caliper", "Air gauge"]),
                "measuring_equipment": None, "sample_size": "5 pcs", "sample_frequency": rng.choice(["every hour", "every shift", "every lot"]),
                "control_method": rng.choice(["spc", "checklist", "poka_yoke"]), "reaction_plan": "Stop, contain, notify quality",
                "responsible_person": rng.choice(qi), "created_at": as_dt(eff) - dt.timedelta(days=10),
            })

    # -- SPC charts + data points -------------------------------------------------------------
    charts, points = [], []
    ooc_plan = set(rng.sample(range(15), 5))
    for i in range(15):
        cid = ctx.key("SPC", i + 1)
        ctype = "xbar_r" if i % 3 == 0 else "i_mr"
        target = rng.choice([10.0, 25.0, 40.0, 60.0, 100.0])
        sigma = target * rng.uniform(0.0008, 0.0015)
        tol = sigma * rng.uniform(4.0, 6.0)
        n_pts = rng.randint(30, 40)
        baseline = SPC_BASELINE
        step = dt.timedelta(hours=rng.choice([4, 6, 8]))
        first = now - step * n_pts
        values, ranges = [], []
        for k in range(n_pts):
            if ctype == "xbar_r":
                sub = [rng.gauss(target, sigma) for _ in range(SPC_SUBGROUP)]
                values.append(statistics.fmean(sub))
                ranges.append(max(sub) - min(sub))
            else:
                values.append(rng.gauss(target, sigma))
                ranges.append(0.0)
        # limits from the baseline (phase I) data, on the values as stored
        values = [float(q(v, 6)) for v in values]
        ranges = [float(q(r, 6)) for r in ranges]
        if ctype == "xbar_r":
            limits = spc_math.xbar_r_limits_from_stats(values[:baseline], ranges[:baseline], SPC_SUBGROUP)
        else:
            limits = spc_math.individuals_limits(values[:baseline])
        cl, half = limits.center_line, limits.ucl - limits.center_line
        if i in ooc_plan:
            if rng.random() < 0.5:  # a spike beyond the limits near the end
                pos = n_pts - rng.randint(1, 4)
                values[pos] = float(q(cl + rng.choice([-1, 1]) * half * rng.uniform(1.3, 1.8), 6))
            else:  # a sustained shift: the last points all above the center line
                for k in range(n_pts - RUN_LENGTH - rng.randint(0, 2), n_pts):
                    values[k] = float(q(cl + half * rng.uniform(0.1, 0.6), 6))
        if ctype == "i_mr":
            ranges = [0.0] + [float(q(abs(b - a), 6)) for a, b in zip(values, values[1:])]
            overall = None
        else:
            overall = spc_math.overall_sigma_from_subgroups(values, limits.sigma_within, SPC_SUBGROUP)
        flags = [",".join(f) or None for f in spc_math.check_rules(values, cl, limits.sigma, SPC_RULE_SET).flags]
        usl, lsl = target + tol, target - tol
        cap = spc_math.capability(values, lsl, usl, limits.sigma_within, overall)
        any_ooc = any(flags)
        char = rng.choice(chars)
        for k, (v, r, flag) in enumerate(zip(values, ranges, flags)):
            ts = first + step * (k + 1) - dt.timedelta(minutes=rng.randint(1, 50))
            points.append({
                "data_point_id": ctx.key("SPCD", len(points) + 1), "chart_id": cid, "measurement_timestamp": ts,
                "subgroup_number": k + 1, "measurement_value": q(v, 6), "range_value": q(r, 6),
                "measured_by": rng.choice(qi), "out_of_control": flag is not None, "violation_type": flag,
                "action_taken": "Process stopped, setup verified, NCR review" if flag else None, "created_at": ts,
            })
        last_ts = points[-1]["measurement_timestamp"]
        charts.append({
            "chart_id": cid, "chart_number": f"SPC-{i + 1:04d}", "process_name": rng.choice(["CNC turning", "Injection molding", "Press fit", "Grinding", "Welding"]),
            "characteristic_name": char["characteristic_name"], "chart_type": ctype,
            "specification": f"{target:.3f} +/- {tol:.4f}", "lower_spec_limit": q(lsl, 6), "target_value": q(target, 6),
            "upper_spec_limit": q(usl, 6), "unit_of_measure": "mm", "upper_control_limit": q(limits.ucl, 6), "center_line": q(cl, 6),
            "lower_control_limit": q(limits.lcl, 6), "cp": _cap(cap.cp), "cpk": _cap(cap.cpk), "pp": _cap(cap.pp), "ppk": _cap(cap.ppk),
            "subgroup_size": SPC_SUBGROUP if ctype == "xbar_r" else 1, "subgroup_frequency": f"every {int(step.total_seconds() // 3600)} hours",
            "chart_status": "out_of_control" if any_ooc else "in_control", "last_data_point_date": last_ts,
            "last_calculation_date": first + step * baseline, "created_at": first - dt.timedelta(days=1), "updated_at": last_ts,
        })

    # -- measuring equipment + calibration ----------------------------------------------------------
    equipment, cal_records, cal_alerts = [], [], []
    kinds = [("caliper", "Digital caliper", "0-150 mm", "0.02 mm", "0.01 mm"), ("micrometer", "Outside micrometer", "0-25 mm", "0.002 mm", "0.001 mm"),
             ("cmm", "Coordinate measuring machine", "1000x700x600 mm", "1.8 um", "0.1 um"), ("gauge", "Plug gauge set", "5-50 mm", "0.001 mm", "n/a"),
             ("torque_wrench", "Torque wrench", "5-60 Nm", "4%", "0.1 Nm"), ("height_gauge", "Height gauge", "0-600 mm", "0.01 mm", "0.005 mm")]
    # 30 instruments: status by index -> due in 8-30 days (6), due within 7 days (4), overdue and locked (3), rest fine
    for i in range(30):
        kind, name, mrange, acc, res = kinds[i % len(kinds)]
        freq = rng.choice([90, 180, 365])
        if i < 6:
            until_due = rng.randint(8, 30)
        elif i < 10:
            until_due = rng.randint(1, 7)
        elif i < 13:
            until_due = -rng.randint(2, 25)
        else:
            until_due = rng.randint(31, freq - 1)
        due = today + dt.timedelta(days=until_due)
        last = due - dt.timedelta(days=freq)
        eid = ctx.key("MEQ", i + 1)
        overdue = until_due < 0
        purchase = last - dt.timedelta(days=freq * 3 + rng.randint(10, 400))
        equipment.append({
            "equipment_id": eid, "equipment_number": f"GAUGE-{i + 1:04d}", "equipment_name": name, "equipment_type": kind,
            "manufacturer": rng.choice(["Mitutoyo", "Zeiss", "Hexagon", "Starrett", "Tesa"]), "model_number": f"M{rng.randint(100, 999)}",
            "serial_number": f"SN{rng.randint(10**6, 10**7 - 1)}", "location": rng.choice(factories)["factory_id"] if factories else None,
            "responsible_person": rng.choice(qi), "measurement_range": mrange, "accuracy": acc, "resolution": res,
            "calibration_frequency_days": freq, "last_calibration_date": last, "next_calibration_due": due,
            "calibration_method": "Comparison against reference standard", "calibration_standard": "ISO/IEC 17025 traceable",
            "equipment_status": "locked_out" if overdue else "active", "locked_out": overdue,
            "lockout_reason": f"Calibration overdue since {due.isoformat()}" if overdue else None,
            "purchase_date": purchase, "purchase_cost": money(rng.randint(200, 150000) if kind == "cmm" else rng.randint(150, 4000)),
            "created_at": as_dt(purchase), "updated_at": clamp(as_dt(due) + dt.timedelta(hours=1), now) if overdue else as_dt(last),
        })
        for k in range(3):
            cdate = last - dt.timedelta(days=freq * k)
            result = "pass" if k or rng.random() < 0.9 else "pass_with_adjustment"
            cal_records.append({
                "calibration_id": ctx.key("CAL", len(cal_records) + 1), "calibration_number": f"CAL-{len(cal_records) + 1:06d}",
                "equipment_id": eid, "calibration_date": cdate, "next_due_date": cdate + dt.timedelta(days=freq),
                "calibrated_by": rng.choice(qi), "calibration_lab": rng.choice(["In-house metrology lab", "Accredited external lab"]),
                "calibration_result": result, "as_found_condition": "Within tolerance" if result == "pass" else "Slightly out, adjusted",
                "as_left_condition": "Within tolerance",
                "measurement_results": {"points_checked": 5, "max_error": round(rng.uniform(0.0001, 0.002), 5)},
                "certificate_number": f"CERT-{rng.randint(10**5, 10**6 - 1)}", "certificate_url": None,
                "standard_equipment": "Gauge block set grade 0", "standard_traceability": "NIST traceable",
                "calibration_cost": money(rng.randint(40, 900)), "notes": None, "created_at": as_dt(cdate),
            })
        if until_due <= 30 and i >= 2:  # the first two due soon have no alert yet: the QMS automation raises them
            alert_type = "overdue" if overdue else ("due_7_days" if until_due <= 7 else "due_30_days")
            alert_day = due - dt.timedelta(days=30) if not overdue else due
            alert_day = max(alert_day, today - dt.timedelta(days=29))
            alert_day = min(alert_day, today)
            cal_alerts.append({
                "alert_id": ctx.key("CALA", len(cal_alerts) + 1), "equipment_id": eid, "alert_type": alert_type,
                "alert_date": alert_day, "days_until_due": (due - alert_day).days, "notification_sent": True,
                "notification_date": clamp(at(alert_day, rng), now), "notified_users": [equipment[-1]["responsible_person"]],
                "resolved": False, "resolved_date": None, "created_at": clamp(at(alert_day, rng), now),
            })

    # -- documents + revisions ------------------------------------------------------------------
    documents, revisions = [], []
    dtypes = ["procedure", "work_instruction", "test_method", "form", "quality_manual", "specification"]
    for i in range(20):
        freq_m = rng.choice([12, 24])
        revs = rng.randint(1, 4)
        eff = today - dt.timedelta(days=rng.randint(30, 700))
        if i < 4:  # due for periodic review within 30 days, or already overdue
            next_review = today + dt.timedelta(days=rng.randint(-10, 30))
            eff = min(eff, next_review - dt.timedelta(days=60))
        else:
            next_review = eff + dt.timedelta(days=freq_m * 30)
            if next_review <= today + dt.timedelta(days=30):
                next_review = today + dt.timedelta(days=rng.randint(45, 300))
        did = ctx.key("QDOC", i + 1)
        owner = rng.choice(qe)
        documents.append({
            "document_id": did, "document_number": f"QD-{i + 1:04d}", "document_title": f"{dtypes[i % len(dtypes)].replace('_', ' ').title()} {fake.catch_phrase()}"[:200],
            "document_type": dtypes[i % len(dtypes)], "version": f"{revs}.0", "revision_number": revs, "revision_date": eff,
            "supersedes_document_id": None, "document_description": None, "document_url": f"https://files.genims.local/qms/docs/{did}.pdf",
            "document_owner": owner, "department_id": rng.choice(qdept) if qdept else None, "prepared_by": owner,
            "reviewed_by": rng.choice(qe), "approved_by": rng.choice(mgr), "approval_date": eff, "effective_date": eff,
            "obsolete_date": None, "document_status": "effective", "distribution_list": rng.sample(qe, min(3, len(qe))),
            "periodic_review_required": True, "review_frequency_months": freq_m, "next_review_date": next_review,
            "change_reason": "Periodic update", "created_at": as_dt(eff) - dt.timedelta(days=(revs - 1) * 200 + 14), "updated_at": as_dt(eff),
        })
        for r in range(1, revs + 1):
            rdate = eff - dt.timedelta(days=(revs - r) * 200)
            revisions.append({
                "revision_id": ctx.key("QDREV", len(revisions) + 1), "document_id": did, "revision_number": r, "revision_date": rdate,
                "changes_summary": "Initial release" if r == 1 else rng.choice(["Updated inspection frequency", "Clarified acceptance criteria", "New form layout"]),
                "sections_affected": "All" if r == 1 else rng.choice(["3.2", "4.1, 4.2", "Appendix A"]), "revised_by": owner,
                "approved_by": rng.choice(mgr), "document_url": f"https://files.genims.local/qms/docs/{did}_r{r}.pdf", "created_at": as_dt(rdate),
            })

    # -- PPAP -------------------------------------------------------------------------------------
    ppaps = []
    raw = [m for m in materials if m.get("default_supplier_id")] or materials
    for i in range(10):
        m = raw[i % len(raw)] if raw else {}
        sub = today - dt.timedelta(days=rng.randint(10, 400))
        status = rng.choices(["approved", "interim_approval", "submitted", "rejected"], [6, 1, 2, 1])[0]
        approved = status in ("approved", "interim_approval")
        review = sub + dt.timedelta(days=rng.randint(3, 9)) if status != "submitted" else None
        review = min(review, today) if review else None
        prod = rng.choice(products) if products else None
        ppaps.append({
            "ppap_id": ctx.key("PPAP", i + 1), "ppap_number": f"PPAP-{i + 1:04d}", "product_id": prod["product_id"] if prod else None,
            "material_id": m.get("material_id"), "part_number": m.get("material_code") or f"PN{i}", "part_name": (m.get("material_name") or "Part")[:200],
            "supplier_id": m.get("default_supplier_id") or (rng.choice(suppliers)["supplier_id"] if suppliers else None),
            "customer_id": rng.choice(customers)["customer_id"] if customers else None, "ppap_level": rng.choice([2, 3, 3, 4]),
            "submission_date": sub, "submission_reason": rng.choice(["new_part", "engineering_change", "tooling_change", "new_supplier"]),
            **{k: True for k in ("design_records", "engineering_change_docs", "dfmea_completed", "pfmea_completed", "control_plan", "msa_study",
                                 "dimensional_results", "material_test_results", "initial_process_study", "qualified_lab_docs", "sample_products", "psw_signed")},
            "customer_approval": approved, "appearance_approval": rng.random() < 0.7, "master_sample": True, "checking_aids": rng.random() < 0.6,
            "psw_signed_by": rng.choice(qe), "psw_signed_date": sub, "ppap_status": status, "reviewed_by": rng.choice(qe) if review else None,
            "review_date": review, "review_comments": "Dimensional report incomplete" if status == "rejected" else None,
            "approval_date": review if approved else None, "approved_by": rng.choice(mgr) if approved else None,
            "approval_expiry_date": review + dt.timedelta(days=365 if status == "approved" else 90) if approved else None,
            "submission_package_url": f"https://files.genims.local/qms/ppap/PPAP-{i + 1:04d}.zip",
            "created_at": as_dt(sub), "updated_at": as_dt(review or sub),
        })

    # -- supplier quality metrics (6 months x suppliers, from goods receipts and NCRs) ---------------
    sqm = []
    months = []
    y, mth = today.year, today.month
    for _ in range(6):
        mth -= 1
        if mth == 0:
            y, mth = y - 1, 12
        months.append((y, mth))
    months.reverse()
    gr_by = defaultdict(list)
    for g in receipts:
        d = as_date(g.get("gr_date"))
        if d:
            gr_by[(g.get("supplier_id"), d.year, d.month)].append(g)
    ncr_by = defaultdict(list)
    for n in ncrs:
        if n["supplier_id"]:
            ncr_by[(n["supplier_id"], n["detected_date"].year, n["detected_date"].month)].append(n)
    for s in suppliers:
        for (yy, mm) in months:
            grs = gr_by.get((s["supplier_id"], yy, mm), [])
            ns = ncr_by.get((s["supplier_id"], yy, mm), [])
            qty = sum((dec(g.get("quantity_received")) for g in grs), D0)
            rejected = sum((n["quantity_defective"] for n in ns), D0)
            rejected = min(rejected, qty)
            ppm = int(rejected / qty * 1_000_000) if qty else 0
            sorting = sum((n["sorting_cost"] for n in ns), D0)
            rework = sum((n["rework_cost"] for n in ns), D0)
            scrap = sum((n["scrap_cost"] for n in ns), D0)
            rej_receipts = len({n["source_document_id"] for n in ns})
            sqm.append({
                "metric_id": ctx.key("SQM", len(sqm) + 1), "supplier_id": s["supplier_id"], "metric_period": f"{yy}-{mm:02d}",
                "total_receipts": len(grs), "receipts_inspected": len(grs), "receipts_accepted": max(0, len(grs) - rej_receipts),
                "receipts_rejected": min(rej_receipts, len(grs)), "total_quantity_received": q(qty), "quantity_accepted": q(qty - rejected),
                "quantity_rejected": q(rejected), "total_defects": len(ns), "defect_ppm": ppm,
                "critical_defects": sum(1 for n in ns if n["defect_severity"] == "critical"),
                "major_defects": sum(1 for n in ns if n["defect_severity"] == "major"),
                "minor_defects": sum(1 for n in ns if n["defect_severity"] == "minor"),
                "acceptance_rate_pct": money((qty - rejected) / qty * 100) if qty else Decimal("100.00"),
                "quality_score": money(max(Decimal(50), Decimal(100) - Decimal(ppm) / 500)), "ncr_count": len(ns),
                "capa_count": sum(1 for c in capas if c["source_document_id"] in {n["ncr_id"] for n in ns}),
                "capa_effectiveness_pct": None, "rejection_cost": scrap, "rework_cost": rework, "sorting_cost": sorting,
                "total_copq": scrap + rework + sorting,
                "created_at": dt.datetime(yy + (mm == 12), mm % 12 + 1, 1, 2, 0),
            })

    # -- daily KPIs (30 days up to the day before yesterday: yesterday's row is the quality_kpis
    # automation's first cycle, README "The last cycle is left undone") --------------------------
    kpis = []
    in_control = sum(1 for c in charts if c["chart_status"] == "in_control")
    cpk_avg = q(statistics.fmean(float(c["cpk"] or 0) for c in charts), 3)
    for back in range(31, 1, -1):
        day = today - dt.timedelta(days=back)
        opened = sum(1 for n in ncrs if n["detected_date"] == day)
        closed_n = sum(1 for n in ncrs if n["closed_date"] == day)
        open_count = sum(1 for n in ncrs if n["detected_date"] <= day and (n["closed_date"] is None or n["closed_date"] > day))
        overdue = sum(1 for c in capas if c["target_completion_date"] < day and (c["actual_completion_date"] is None or c["actual_completion_date"] > day)
                      and as_date(c["created_at"]) <= day)
        cc = sum(1 for c in complaints if c["complaint_date"] == day)
        eq_over = sum(1 for e in equipment if e["next_calibration_due"] < day)
        internal = sum((n["total_cost"] for n in ncrs if n["detected_date"] == day and n["source_type"] != "customer_complaint"), D0)
        external = sum((c["total_cost"] for c in complaints if c["complaint_date"] == day), D0)
        prevention, appraisal = money(rng.randint(800, 2000)), money(rng.randint(1500, 4000))
        kpis.append({
            "kpi_id": ctx.key("QKPI", len(kpis) + 1), "kpi_date": day, "internal_defect_ppm": rng.randint(150, 900),
            "first_time_quality_pct": money(rng.uniform(96.5, 99.5)), "customer_complaints": cc,
            "customer_returns_ppm": rng.randint(5, 120), "incoming_rejection_pct": money(rng.uniform(0.2, 2.5)),
            "supplier_defect_ppm": rng.randint(100, 2500), "processes_in_control": in_control, "processes_total": len(charts),
            "process_capability_avg": cpk_avg, "ncr_opened": opened, "ncr_closed": closed_n, "ncr_open_count": open_count,
            "capa_overdue": overdue, "prevention_cost": prevention, "appraisal_cost": appraisal,
            "internal_failure_cost": money(internal), "external_failure_cost": money(external),
            "total_coq": money(prevention + appraisal + internal + external),
            "equipment_calibrated_pct": money(Decimal(100 * (len(equipment) - eq_over)) / len(equipment)), "equipment_overdue": eq_over,
            "created_at": clamp(as_dt(day + dt.timedelta(days=1)).replace(hour=0, minute=5), now),
        })

    # -- integration log --------------------------------------------------------------------------
    events = []
    for n in ncrs:
        src = {"mes_inspection": "MES", "incoming_inspection": "ERP", "customer_complaint": "SERVICE"}[n["source_type"]]
        events.append(("ncr_creation", src, "QMS", n["source_document_id"], n["ncr_id"], n["created_at"]))
        for k, state in enumerate(NCR_STATES[1: NCR_STATES.index(n["ncr_status"]) + 1], 1):
            t = clamp(n["created_at"] + (n["updated_at"] - n["created_at"]) * k / max(1, NCR_STATES.index(n["ncr_status"])), now)
            events.append(("ncr_status_update", "QMS", "QMS", n["ncr_id"], state, t))
    for c in capas:
        events.append(("capa_creation", "QMS", "QMS", c["source_document_id"], c["capa_id"], c["created_at"]))
        if c["closed_date"]:
            events.append(("capa_closure", "QMS", "QMS", c["capa_id"], c["source_document_id"], clamp(as_dt(c["closed_date"]), now)))
    for c in complaints:
        events.append(("complaint_creation", "SERVICE", "QMS", c["service_ticket_id"], c["complaint_id"], c["created_at"]))
    for s in sqm:
        events.append(("supplier_quality_metrics", "QMS", "SUPPLIER", s["supplier_id"], s["metric_id"], s["created_at"]))
    for k in kpis:
        events.append(("daily_kpi", "QMS", "QMS", None, k["kpi_id"], k["created_at"]))
    events = [e for e in events if e[5] <= now]
    events.sort(key=lambda e: e[5])
    qlog = [{
        "log_id": ctx.key("QMSLOG", i + 1), "log_timestamp": t, "integration_type": it, "source_system": src, "target_system": tgt,
        "source_document_id": sd, "target_document_id": td, "integration_status": "success", "error_message": None,
        "integration_data": {"source": sd, "target": td},
    } for i, (it, src, tgt, sd, td, t) in enumerate(events)]

    ctx.shared["ncr_next"] = n_next
    return {
        "ncr_headers": ncrs, "ncr_defect_details": defect_rows, "capa_headers": capas, "capa_actions": actions,
        "quality_audits": audits, "audit_findings": findings, "control_plans": plans, "control_plan_characteristics": chars,
        "spc_control_charts": charts, "spc_data_points": points, "measuring_equipment": equipment,
        "calibration_records": cal_records, "calibration_alerts": cal_alerts, "quality_documents": documents,
        "document_revisions": revisions, "customer_complaints": complaints, "eight_d_reports": eight_ds,
        "ppap_submissions": ppaps, "supplier_quality_metrics": sqm, "quality_kpis": kpis, "qms_integration_log": qlog,
    }
