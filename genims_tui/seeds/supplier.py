"""genims_supplier_db: RFQs (some due within 3 days, some past deadline and still open), responses,
comparisons, contracts and pricing, monthly performance and scorecards, supplier invoices against
real ERP purchase orders and goods receipts (matched, within the 2 % tolerance, exceptions and
pending), three-way match log, qualification, documents, audits, portal users, communications,
notifications, supplier-side requisitions and the supplier portal integration log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from ._bizutil import D0, account_id, as_date, as_dt, at as _at, between, clamp, dec, money, q, scrypt_hashes
from .framework import SeedContext

DATABASE = "genims_supplier_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_hr_db", "genims_wms_db")

TOLERANCE_PCT = Decimal("2.00")
TAX_RATE = Decimal("0.08")


def rating_for(score: Decimal) -> str:
    """Scorecard rating by overall score (0-100), the thresholds of the supplier performance service."""
    if score >= 90:
        return "Excellent"
    if score >= 75:
        return "Good"
    if score >= 60:
        return "Acceptable"
    return "Poor"


def match_class(expected: Decimal, actual: Decimal) -> tuple[str, Decimal]:
    """('matched' | 'within_tolerance' | 'exception', variance %) of an invoice amount against the
    PO price x received quantity it should equal; the tolerance is +/- 2 %."""
    if expected == 0:
        return ("matched" if actual == 0 else "exception"), D0
    pct = ((actual - expected) / expected * 100).quantize(Decimal("0.01"))
    if actual == expected:
        return "matched", D0
    return ("within_tolerance" if abs(pct) <= TOLERANCE_PCT else "exception"), pct


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    rng = ctx.rng("supplier")
    fake = ctx.faker("supplier")
    now = ctx.as_of

    def at(day, r, *hours):  # a working-hours moment on `day`, never after as_of
        return clamp(_at(day, r, *hours), now)

    today = ctx.today
    employees = ctx.rows("genims_master_db", "employees")
    factories = ctx.rows("genims_master_db", "factories")
    suppliers = ctx.rows("genims_erp_db", "suppliers")
    materials = ctx.rows("genims_erp_db", "materials")
    pos = ctx.rows("genims_erp_db", "purchase_orders")
    pols = ctx.rows("genims_erp_db", "purchase_order_lines")
    grs = [g for g in ctx.rows("genims_erp_db", "goods_receipts") if not g.get("cancelled")]
    erp_ccs = ctx.data.get("genims_erp_db", {}).get("cost_centers", [])
    departments = ctx.rows("genims_hr_db", "departments")

    buyers = [e["employee_id"] for e in employees if e.get("role") == "buyer"][:20] or [e["employee_id"] for e in employees[:10]]
    managers = [e["employee_id"] for e in employees if e.get("role") == "manager"][:10] or buyers
    auditors = [e["employee_id"] for e in employees if e.get("role") in ("quality_engineer", "quality_inspector")][:20] or buyers
    proc_dept = [d["department_id"] for d in departments if any(k in (d.get("department_name") or "").lower() for k in ("procure", "purchas", "supply"))]
    dept_ids = proc_dept or [d["department_id"] for d in departments]
    fac_ids = [f["factory_id"] for f in factories]
    sup_ids = [s["supplier_id"] for s in suppliers]
    sup_by_id = {s["supplier_id"]: s for s in suppliers}
    raw = [m for m in materials if m.get("default_supplier_id") or (m.get("procurement_type") or "").lower() in ("external", "purchased", "f")] or materials
    mat_by_id = {m["material_id"]: m for m in materials}
    po_by_id = {p["purchase_order_id"]: p for p in pos}
    lines_by_po: dict[str, list[dict]] = defaultdict(list)
    for ln in pols:
        lines_by_po[ln["purchase_order_id"]].append(ln)
    grs_by_line: dict[str, list[dict]] = defaultdict(list)
    for g in grs:
        if (g.get("quality_status") or "") != "rejected":  # rejected receipts are never invoiced
            grs_by_line[g["po_line_id"]].append(g)
    setup = now - dt.timedelta(days=730)
    out: dict[str, list[dict]] = {}

    # -- RFQs ---------------------------------------------------------------------------------
    rfqs, rfq_lines, invites, responses, resp_lines, comparisons = [], [], [], [], [], []
    n_rfq = max(20, ctx.scaled(20))
    for i in range(n_rfq):
        rid = ctx.key("RFQ", i + 1)
        kind = ["awarded"] * 8 + ["evaluation"] * 3 + ["due_soon"] * 4 + ["overdue_open"] * 3 + ["published"] * 1 + ["draft"] * 1
        kind = kind[i % len(kind)]
        if kind == "due_soon":
            deadline = today + dt.timedelta(days=rng.randint(0, 3))
        elif kind == "overdue_open":
            deadline = today - dt.timedelta(days=rng.randint(1, 6))
        elif kind in ("published", "draft"):
            deadline = today + dt.timedelta(days=rng.randint(8, 25))
        else:
            deadline = today - dt.timedelta(days=rng.randint(10, 160))
        rdate = deadline - dt.timedelta(days=rng.randint(10, 21))
        rdate = min(rdate, today)
        published = rdate + dt.timedelta(days=1) if kind != "draft" else None
        published = min(published, today) if published else None
        status = {"awarded": "awarded", "evaluation": "evaluation", "due_soon": "published", "overdue_open": "published",
                  "published": "published", "draft": "draft"}[kind]
        n_lines = rng.randint(2, 3)
        chosen = rng.sample(raw, min(n_lines, len(raw)))
        est_total = D0
        lines = []
        for k, m in enumerate(chosen, 1):
            qty = Decimal(rng.choice([100, 250, 500, 1000, 2500]))
            target = money(dec(m.get("standard_cost"), "20") * Decimal("0.95"))
            est = money(qty * target)
            est_total += est
            lines.append({
                "line_id": ctx.key("RFQL", len(rfq_lines) + len(lines) + 1), "rfq_id": rid, "line_number": k, "item_type": "material",
                "material_id": m["material_id"], "item_description": m.get("material_name"), "quantity": q(qty),
                "unit_of_measure": m.get("base_unit_of_measure") or "EA", "target_price": target, "estimated_total": est,
                "technical_specs": "Per drawing, latest revision", "quality_requirements": "PPAP level 3, CoC with each lot",
                "required_by_date": deadline + dt.timedelta(days=rng.randint(30, 60)), "delivery_schedule": "Monthly call-offs",
                "created_at": at(rdate, rng),
            })
        rfq_lines.extend(lines)
        invited = rng.sample(sup_ids, min(len(sup_ids), rng.randint(2, 4)))
        created = at(rdate, rng)
        rfq = {
            "rfq_id": rid, "rfq_number": f"RFQ-{today.year if rdate.year == today.year else rdate.year}-{i + 1:04d}",
            "rfq_title": f"Supply of {chosen[0].get('material_name') or 'components'}"[:200], "rfq_description": "Annual supply quotation request",
            "rfq_type": rng.choice(["standard", "spot_buy", "annual_contract"]), "requested_by": rng.choice(buyers),
            "department_id": rng.choice(dept_ids) if dept_ids else None, "rfq_date": rdate, "response_deadline": deadline,
            "expected_delivery_date": deadline + dt.timedelta(days=45), "total_estimated_value": money(est_total), "currency_code": "USD",
            "quality_requirements": "ISO 9001 certified supplier", "technical_specifications": "See attached drawings",
            "delivery_location": rng.choice(fac_ids) if fac_ids else None, "payment_terms": rng.choice(["Net 30", "Net 60"]),
            "incoterms": rng.choice(["FCA", "DAP", "DDP"]), "rfq_status": status, "published_date": published,
            "published_by": rng.choice(buyers) if published else None, "awarded_date": None, "awarded_to": None, "award_notes": None,
            "attachment_urls": [f"https://files.genims.local/supplier/rfq/{rid}/drawing.pdf"], "created_at": created, "updated_at": created,
        }
        rfqs.append(rfq)
        rfq_responses = []
        for s in invited:
            inv_t = at(published or rdate, rng) if published else created
            inv_t = max(inv_t, created)
            if kind == "draft":
                rstatus = "not_sent"
            elif kind in ("awarded", "evaluation"):
                rstatus = rng.choices(["responded", "declined", "no_response"], [7, 1, 1])[0]
            elif kind == "overdue_open":
                rstatus = rng.choice(["responded", "pending", "pending"])  # pending ones: the automation marks no_response
            else:
                rstatus = rng.choice(["responded", "pending", "viewed"])
            resp_t = None
            if rstatus == "responded":
                hi = min(as_dt(deadline) + dt.timedelta(hours=17), now - dt.timedelta(minutes=10))
                resp_t = between(rng, inv_t + dt.timedelta(hours=2), hi) if hi > inv_t + dt.timedelta(hours=2) else None
                if resp_t is None:
                    rstatus = "pending"
            invites.append({
                "rfq_supplier_id": ctx.key("RFQS", len(invites) + 1), "rfq_id": rid, "supplier_id": s, "invited_date": inv_t if kind != "draft" else None,
                "invited_by": rfq["published_by"] if kind != "draft" else None, "invitation_method": "portal",
                "response_status": rstatus, "viewed_date": between(rng, inv_t, resp_t or now) if rstatus in ("responded", "viewed", "declined") else None,
                "responded_date": resp_t, "decline_reason": "Capacity constraints" if rstatus == "declined" else None,
                "is_shortlisted": False, "shortlist_notes": None, "created_at": inv_t if kind != "draft" else created,
            })
            if resp_t:
                resp_id = ctx.key("RFQR", len(responses) + 1)
                total = D0
                for ln in lines:
                    price = q(ln["target_price"] * Decimal(str(rng.uniform(0.9, 1.15))))
                    tp = money(price * ln["quantity"])
                    total += tp
                    lead = rng.randint(14, 60)
                    resp_lines.append({
                        "response_line_id": ctx.key("RFQRL", len(resp_lines) + 1), "response_id": resp_id, "rfq_line_id": ln["line_id"],
                        "line_number": ln["line_number"], "unit_price": price, "total_price": tp, "lead_time_days": lead,
                        "delivery_date": as_date(resp_t) + dt.timedelta(days=lead), "meets_specifications": rng.random() < 0.9,
                        "deviation_notes": None, "alternate_material_id": None, "alternate_description": None,
                        "alternate_unit_price": None, "created_at": resp_t,
                    })
                responses.append({
                    "response_id": resp_id, "response_number": f"QR-{len(responses) + 1:05d}", "rfq_id": rid, "supplier_id": s,
                    "response_date": resp_t, "valid_until_date": as_date(resp_t) + dt.timedelta(days=60), "currency_code": "USD",
                    "payment_terms": rfq["payment_terms"], "delivery_terms": rfq["incoterms"], "total_quoted_value": money(total),
                    "remarks": None, "alternate_proposal": None, "attachment_urls": [f"https://files.genims.local/supplier/quotes/{resp_id}.pdf"],
                    "response_status": "submitted", "created_at": resp_t,
                })
                rfq_responses.append(responses[-1])
        if kind in ("awarded", "evaluation") and rfq_responses:
            best = min(rfq_responses, key=lambda r: r["total_quoted_value"])
            cdate = min(deadline + dt.timedelta(days=rng.randint(1, 5)), today)
            for inv in invites:
                if inv["rfq_id"] == rid and inv["supplier_id"] in {r["supplier_id"] for r in rfq_responses}:
                    inv["is_shortlisted"] = True
            if len(rfq_responses) >= 2 or kind == "awarded":
                comparisons.append({
                    "comparison_id": ctx.key("QCMP", len(comparisons) + 1), "rfq_id": rid, "comparison_date": cdate,
                    "compared_by": rfq["requested_by"], "price_weight": Decimal("40.00"), "quality_weight": Decimal("30.00"),
                    "delivery_weight": Decimal("20.00"), "service_weight": Decimal("10.00"), "recommended_supplier_id": best["supplier_id"],
                    "recommendation_notes": "Lowest total cost with acceptable quality history",
                    "approved_by": rng.choice(managers) if kind == "awarded" else None,
                    "approved_date": cdate if kind == "awarded" else None,
                    "comparison_data": {r["supplier_id"]: {"total": str(r["total_quoted_value"])} for r in rfq_responses},
                    "created_at": clamp(at(cdate, rng), now),
                })
            if kind == "awarded":
                rfq["awarded_date"] = cdate
                rfq["awarded_to"] = best["supplier_id"]
                rfq["award_notes"] = "Awarded on total cost of ownership"
            rfq["updated_at"] = max(rfq["updated_at"], clamp(at(cdate, rng), now))
        elif kind == "evaluation":
            rfq["updated_at"] = max(rfq["updated_at"], clamp(as_dt(deadline) + dt.timedelta(days=1), now))

    # -- contracts + pricing ------------------------------------------------------------------
    contracts, pricing = [], []
    mats_by_sup: dict[str, list[str]] = defaultdict(list)
    for ln in pols:
        po = po_by_id.get(ln["purchase_order_id"])
        if po and ln["material_id"] not in mats_by_sup[po["supplier_id"]]:
            mats_by_sup[po["supplier_id"]].append(ln["material_id"])
    for m in materials:
        s = m.get("default_supplier_id")
        if s and m["material_id"] not in mats_by_sup[s]:
            mats_by_sup[s].append(m["material_id"])
    contract_sups = [s for s in sup_ids if mats_by_sup.get(s)] or sup_ids
    for i, s in enumerate(rng.sample(contract_sups, min(10, len(contract_sups)))):
        if i < 3:
            end = today + dt.timedelta(days=rng.randint(5, 60))  # expiring within 60 days
        elif i == 3:
            end = today - dt.timedelta(days=rng.randint(1, 20))  # just past end date, still active for the automation
        else:
            end = today + dt.timedelta(days=rng.randint(90, 600))
        start = min(end - dt.timedelta(days=rng.choice([365, 730])), today - dt.timedelta(days=rng.randint(40, 300)))
        cid = ctx.key("SCON", i + 1)
        committed = money(rng.randint(100, 2000) * 1000)
        sp = sum((dec(p.get("total_value")) for p in pos if p["supplier_id"] == s), D0)
        contracts.append({
            "contract_id": cid, "contract_number": f"SC-{i + 1:05d}", "supplier_id": s,
            "contract_name": f"{sup_by_id[s].get('supplier_name', s)} supply agreement"[:200],
            "contract_type": rng.choice(["blanket", "framework", "fixed_price"]), "start_date": start, "end_date": end,
            "currency_code": "USD", "payment_terms": rng.choice(["Net 30", "Net 60"]), "minimum_order_quantity": q(100),
            "maximum_order_quantity": q(50000), "committed_annual_value": committed, "delivery_terms": "DAP plant",
            "quality_terms": "Max 500 ppm; PPAP required", "warranty_terms": "24 months", "return_policy": "Defects returned at supplier cost",
            "penalty_for_delay": money(rng.randint(1, 5) * 100), "incentive_for_early": D0, "auto_renew": rng.random() < 0.4,
            "renewal_notice_days": 60, "contract_status": "active", "approved_by": rng.choice(managers),
            "approved_date": start - dt.timedelta(days=7), "contract_document_url": f"https://files.genims.local/supplier/contracts/{cid}.pdf",
            "actual_spend_to_date": money(sp), "orders_placed": sum(1 for p in pos if p["supplier_id"] == s),
            "created_at": as_dt(start) - dt.timedelta(days=10), "updated_at": clamp(as_dt(min(start + dt.timedelta(days=30), today)), now),
        })
        for m_id in mats_by_sup[s][:3]:
            m = mat_by_id.get(m_id, {})
            base = dec(m.get("last_purchase_price") or m.get("standard_cost"), "20")
            prev = q(base * Decimal("1.03"))
            price = q(base)
            pricing.append({
                "pricing_id": ctx.key("CPR", len(pricing) + 1), "contract_id": cid, "material_id": m_id, "unit_price": price,
                "currency_code": "USD", "effective_from": start, "effective_to": end, "min_order_quantity": q(100),
                "max_order_quantity": q(20000), "standard_lead_time_days": m.get("lead_time_days") or rng.randint(10, 40),
                "price_revision_date": start, "previous_unit_price": prev,
                "price_change_pct": money((price - prev) / prev * 100) if prev else D0, "is_active": True,
                "created_at": as_dt(start) - dt.timedelta(days=10),
            })

    # -- supplier invoices against ERP POs and receipts ---------------------------------------------
    invoices, inv_lines, match_log = [], [], []
    # What ERP says was invoiced (purchase_order_lines.invoiced_quantity) is what the processed invoices
    # bill; receipts ERP has not invoiced yet become the pending invoices the daemon still has to match.
    erp_tracks = any(dec(ln.get("invoiced_quantity")) > 0 for ln in pols)
    for ln_grs in grs_by_line.values():
        ln_grs.sort(key=lambda g: (as_dt(g.get("created_at")) or as_dt(g["gr_date"]), g["goods_receipt_id"]))

    def gr_time(g: dict) -> dt.datetime:
        return as_dt(g.get("created_at")) or as_dt(g["gr_date"])

    def covered_at(ln: dict, qty: Decimal) -> dt.datetime:
        """When the receipts of a PO line first reached `qty`."""
        got = D0
        for g in grs_by_line[ln["po_line_id"]]:
            got += dec(g["quantity_received"])
            if got >= qty:
                return gr_time(g)
        return gr_time(grs_by_line[ln["po_line_id"]][-1])

    plans = []
    for po in pos:
        lines = [ln for ln in lines_by_po.get(po["purchase_order_id"], []) if grs_by_line.get(ln["po_line_id"])]
        if not lines:
            continue
        rec_of = {ln["po_line_id"]: sum((dec(g["quantity_received"]) for g in grs_by_line[ln["po_line_id"]]), D0) for ln in lines}
        items = [(ln, min(dec(ln.get("invoiced_quantity")), rec_of[ln["po_line_id"]])) for ln in lines
                 if erp_tracks and dec(ln.get("invoiced_quantity")) > 0]
        uninvoiced = not items
        if uninvoiced:
            items = [(ln, rec_of[ln["po_line_id"]]) for ln in lines]
        cover = max(covered_at(ln, qty) for ln, qty in items)
        plans.append((cover, po, items, uninvoiced))
    plans.sort(key=lambda x: (x[0], x[1]["purchase_order_id"]))
    n_plans = len(plans)
    if erp_tracks:
        pending_ids = {p[1]["purchase_order_id"] for p in plans if p[3]}
    else:  # no invoicing state upstream: the newest receipts are the pending ones
        pending_ids = {p[1]["purchase_order_id"] for p in plans[n_plans - max(2, n_plans // 12):]}
    jev = 0
    for cover, po, items, uninvoiced in plans:
        pending = po["purchase_order_id"] in pending_ids
        if pending and rng.random() < 0.3:
            continue  # received, not invoiced yet (open GR/IR)
        if not pending and not erp_tracks and rng.random() < 0.06:
            continue
        # a fixed rotation keeps every class present at any scale: 70 % matched, 20 % within, 10 % exceptions
        slot = len(invoices) % 10
        klass = "pending" if pending else ("exception" if slot == 3 else "within_tolerance" if slot in (1, 6) else "matched")
        if pending:  # submitted recently, after the receipts it bills
            submitted = max(cover + dt.timedelta(minutes=30), now - dt.timedelta(hours=rng.uniform(1, 48)))
        else:
            submitted = cover + dt.timedelta(hours=rng.uniform(4, 24 * 5))
        submitted = clamp(submitted, now - dt.timedelta(minutes=1))
        if submitted < cover:
            submitted = cover
        inv_date = submitted.date()
        inv_id = ctx.key("SINV", len(invoices) + 1)
        pct_for_class = {"within_tolerance": Decimal(str(round(rng.uniform(0.3, 1.8), 2))),
                         "exception": Decimal(str(round(rng.uniform(2.6, 7.5), 2))),
                         "pending": Decimal(str(round(rng.choice([0, 0, 0, 1.2, 4.0]), 2)))}.get(klass, D0)
        expected = actual = D0
        rows = []
        lines = [ln for ln, _ in items]
        for ln, inv_qty in items:
            rec = sum((dec(g["quantity_received"]) for g in grs_by_line[ln["po_line_id"]] if gr_time(g) <= submitted), D0)
            po_price = q(dec(ln.get("unit_price")))
            price = q(po_price * (1 + pct_for_class / 100)) if pct_for_class else po_price
            exp_line = money(inv_qty * po_price)
            total = money(inv_qty * price)
            expected += exp_line
            actual += total
            rows.append([ln, rec, inv_qty, po_price, price, exp_line, total])
        klass_calc, var_pct = match_class(expected, actual)
        if klass != "pending" and klass != klass_calc:
            # rounding moved a tiny variance to zero (or vice versa): classify by the numbers
            klass = klass_calc
        subtotal = money(actual)
        tax = money(subtotal * TAX_RATE)
        freight = money(rng.choice([0, 0, 0, 50, 75, 120]))
        total_amount = subtotal + tax + freight
        processed = klass != "pending"
        approved = klass in ("matched", "within_tolerance")
        terms = po.get("payment_terms") or sup_by_id.get(po["supplier_id"], {}).get("payment_terms") or "NET30"
        days = 60 if "60" in str(terms) else 45 if "45" in str(terms) else 30
        due = inv_date + dt.timedelta(days=days)
        match_t = clamp(submitted + dt.timedelta(minutes=rng.randint(5, 600)), now) if processed else None
        paid = approved and due <= today + dt.timedelta(days=rng.randint(0, 10)) and rng.random() < 0.85
        paid_date = min(due, today) if paid else None
        if paid and paid_date < inv_date:
            paid_date = inv_date
        gl_id = None
        if approved:
            jev += 1
            gl_id = ctx.key("JEV", jev)
        invoices.append({
            "invoice_id": inv_id, "invoice_number": f"SI-{len(invoices) + 1:06d}",
            "supplier_invoice_number": f"{(sup_by_id.get(po['supplier_id'], {}).get('supplier_code') or 'SUP')}-{rng.randint(10000, 99999)}",
            "supplier_id": po["supplier_id"], "purchase_order_id": po["purchase_order_id"], "invoice_date": inv_date, "due_date": due,
            "subtotal": subtotal, "tax_amount": tax, "freight_charges": freight, "other_charges": D0, "discount_amount": D0,
            "total_amount": total_amount, "currency_code": po.get("currency") or "USD", "exchange_rate": Decimal("1.000000"),
            "payment_terms": str(terms)[:100], "matching_status": klass,
            "po_match": True if processed else None, "receipt_match": True if processed else None,
            "price_match": (klass == "matched") if processed else None, "quantity_match": True if processed else None,
            "quantity_variance": q(0) if processed else None, "price_variance": money(actual - expected) if processed else None,
            "total_variance": money(actual - expected) if processed else None,
            "variance_reason": ("Price above PO price" if klass == "exception" else "Rounding / minor price difference" if klass == "within_tolerance" else None),
            "variance_approved_by": rng.choice(buyers) if klass == "within_tolerance" else None,
            "variance_approved_date": as_date(match_t) if klass == "within_tolerance" else None,
            "invoice_status": {"matched": "approved", "within_tolerance": "approved", "exception": "on_hold", "pending": "submitted"}[klass],
            "approved_by": "AUTO-3WAY" if approved else None, "approved_date": as_date(match_t) if approved else None,
            "approval_notes": ("Auto-approved by 3-way match" if approved else "Variance exceeds 2% tolerance - review" if klass == "exception" else None),
            "payment_status": "paid" if paid else ("scheduled" if approved else "unpaid"), "payment_id": None,
            "paid_date": paid_date, "paid_amount": total_amount if paid else None, "gl_journal_entry_id": gl_id, "gl_posted": gl_id is not None,
            "invoice_document_url": f"https://files.genims.local/supplier/invoices/{inv_id}.pdf", "submitted_via": "portal",
            "submitted_by": None, "submitted_at": submitted, "created_at": submitted,
            "updated_at": max(submitted, clamp(as_dt(paid_date) + dt.timedelta(hours=10), now) if paid else (match_t or submitted)),
        })
        for k, (ln, rec, inv_qty, po_price, price, exp_line, total) in enumerate(rows, 1):
            lk, _ = match_class(exp_line, total)
            inv_lines.append({
                "line_id": ctx.key("SINVL", len(inv_lines) + 1), "invoice_id": inv_id, "line_number": k, "po_line_id": ln["po_line_id"],
                "receipt_line_id": None, "material_id": ln["material_id"], "line_description": ln.get("material_description"),
                "invoiced_quantity": q(inv_qty), "unit_of_measure": ln.get("unit_of_measure") or "EA", "unit_price": price,
                "line_total": total, "po_quantity": q(dec(ln.get("order_quantity"))), "received_quantity": q(rec),
                "po_unit_price": po_price, "quantity_variance": q(inv_qty - rec), "price_variance": money(total - exp_line),
                "match_status": lk if processed else "pending", "expense_account_id": account_id("2150"), "created_at": submitted,
            })
        if processed:
            gr_ids = [g["goods_receipt_id"] for ln in lines for g in grs_by_line[ln["po_line_id"]] if gr_time(g) <= submitted]
            match_log.append({
                "log_id": ctx.key("TWM", len(match_log) + 1), "invoice_id": inv_id, "match_timestamp": match_t, "match_type": "three_way",
                "po_id": po["purchase_order_id"], "receipt_id": gr_ids[0], "match_result": klass,
                "expected_amount": money(expected), "actual_amount": subtotal, "variance_amount": money(actual - expected),
                "variance_pct": var_pct, "within_tolerance": klass != "exception", "tolerance_pct": TOLERANCE_PCT,
                "action_taken": "auto_approved" if approved else "flagged_for_review",
                "notes": f"Receipts: {', '.join(gr_ids)}"[:1000],
            })

    # -- performance metrics, scorecards, rating history --------------------------------------------
    # six months of scorecards, ending the month before last: the last complete month is the monthly
    # supplier_performance automation's to calculate (README, "The last cycle is left undone")
    months = []
    y, mth = today.year, today.month
    for _ in range(7):
        mth -= 1
        if mth == 0:
            y, mth = y - 1, 12
        months.append((y, mth))
    months = months[1:]
    months.reverse()
    po_month = defaultdict(list)
    for p in pos:
        d = as_date(p.get("po_date"))
        if d:
            po_month[(p["supplier_id"], d.year, d.month)].append(p)
    gr_month = defaultdict(list)
    for g in grs:
        d = as_date(g["gr_date"])
        gr_month[(g["supplier_id"], d.year, d.month)].append(g)
    line_by_id = {ln["po_line_id"]: ln for ln in pols}
    inv_month = defaultdict(list)
    for inv in invoices:
        inv_month[(inv["supplier_id"], inv["invoice_date"].year, inv["invoice_date"].month)].append(inv)
    rfq_inv = defaultdict(lambda: [0, 0])
    for inv in invites:
        if inv["invited_date"]:
            rfq_inv[inv["supplier_id"]][0] += 1
            rfq_inv[inv["supplier_id"]][1] += inv["response_status"] == "responded"
    metrics, cards, history = [], [], []
    base_quality = {s: rng.uniform(82, 99) for s in sup_ids}
    for s in sup_ids:
        prev_score, prev_rating = None, None
        for (yy, mm) in months:
            period = f"{yy}-{mm:02d}"
            month_end = dt.date(yy + (mm == 12), mm % 12 + 1, 1)
            ps = po_month.get((s, yy, mm), [])
            gs = gr_month.get((s, yy, mm), [])
            if gs:
                ontime = sum(1 for g in gs if as_date(g["gr_date"]) <= (as_date(line_by_id.get(g["po_line_id"], {}).get("delivery_date")) or as_date(g["gr_date"])))
                otd = Decimal(100 * ontime) / len(gs)
                qty = sum((dec(g["quantity_received"]) for g in gs), D0)
                rej = sum((dec(g["quantity_received"]) for g in gs if g.get("quality_status") == "rejected"), D0)
            else:  # before the ERP history: the monthly snapshot kept by the portal
                otd = Decimal(str(round(rng.uniform(80, 99), 2)))
                qty = Decimal(rng.randint(500, 20000))
                rej = q(qty * Decimal(str(round(rng.uniform(0, 0.02), 4))))
            ppm = int(rej / qty * 1_000_000) if qty else 0
            qual = money(max(Decimal(0), Decimal(100) - Decimal(ppm) / 200)) if gs else money(base_quality[s])
            sent, resp = rfq_inv[s]
            resp_rate = money(Decimal(100 * resp) / sent) if sent else Decimal("100.00")
            invs = inv_month.get((s, yy, mm), [])
            acc = money(Decimal(100 * sum(1 for i in invs if i["matching_status"] != "exception")) / len(invs)) if invs else Decimal("100.00")
            score = money(otd * Decimal("0.35") + qual * Decimal("0.35") + resp_rate * Decimal("0.15") + acc * Decimal("0.15"))
            rating = rating_for(score)
            spend = sum((dec(p.get("total_value")) for p in ps), D0)
            created = dt.datetime.combine(month_end, dt.time(1, 0))
            metrics.append({
                "metric_id": ctx.key("SPM", len(metrics) + 1), "supplier_id": s, "metric_period": period,
                "total_pos_issued": len(ps), "pos_delivered_ontime": int(round(float(otd) * len(gs) / 100)) if gs else 0,
                "ontime_delivery_pct": money(otd), "average_lead_time_days": Decimal(str(round(rng.uniform(8, 35), 1))),
                "total_quantity_received": q(qty), "quantity_accepted": q(qty - rej), "quantity_rejected": q(rej), "defect_ppm": ppm,
                "quality_acceptance_pct": money((qty - rej) / qty * 100) if qty else Decimal("100.00"), "rfqs_sent": sent,
                "rfqs_responded": resp, "response_rate_pct": resp_rate, "avg_response_time_hours": money(rng.uniform(6, 72)),
                "total_spend": money(spend), "invoice_accuracy_pct": acc, "payment_disputes": sum(1 for i in invs if i["matching_status"] == "exception"),
                "certifications_valid": True, "documentation_complete": rng.random() < 0.9, "audit_score": None,
                "overall_score": score, "performance_rating": rating, "previous_period_score": prev_score,
                "score_change": money(score - prev_score) if prev_score is not None else None,
                "trend": None if prev_score is None else ("improving" if score > prev_score else "declining" if score < prev_score else "stable"),
                "created_at": created,
            })
            resp_score = money(resp_rate)
            commercial = money(rng.uniform(70, 98))
            sustain = money(rng.uniform(60, 95))
            cards.append({
                "scorecard_id": ctx.key("SSC", len(cards) + 1), "supplier_id": s, "scorecard_period": period, "scorecard_type": "monthly",
                "delivery_score": money(otd), "quality_score": qual, "responsiveness_score": resp_score, "commercial_score": commercial,
                "sustainability_score": sustain, "overall_score": score, "supplier_rating": rating, "action_required": rating == "Poor",
                "action_plan": "Supplier improvement plan requested" if rating == "Poor" else None,
                "improvement_plan_due_date": month_end + dt.timedelta(days=30) if rating == "Poor" else None,
                "reviewed_by": rng.choice(buyers), "review_date": month_end + dt.timedelta(days=2) if month_end + dt.timedelta(days=2) <= today else month_end,
                "review_notes": None, "published_to_supplier": True, "published_date": month_end, "created_at": created,
            })
            if prev_rating is not None and prev_rating != rating:
                history.append({
                    "history_id": ctx.key("SRH", len(history) + 1), "supplier_id": s, "rating_date": month_end,
                    "previous_rating": prev_rating, "new_rating": rating, "change_reason": f"Monthly scorecard {period}: score {score}",
                    "changed_by": "supplier_portal_daemon", "created_at": created,
                })
            prev_score, prev_rating = score, rating

    # -- qualification, documents, audits ---------------------------------------------------------
    quals = []
    for i, s in enumerate(sup_ids[:10]):
        sched = today - dt.timedelta(days=rng.randint(60, 600))
        done = i < 8
        first_po = next((p["purchase_order_id"] for p in pos if p["supplier_id"] == s), None)
        quals.append({
            "qualification_id": ctx.key("SQUAL", i + 1), "supplier_id": s, "qualification_status": "approved" if done else "in_progress",
            "business_license_verified": True, "tax_registration_verified": True, "bank_details_verified": True,
            "iso_certificate_verified": done, "financial_health_score": money(rng.uniform(60, 95)), "credit_rating": rng.choice(["A", "A-", "BBB+", "BBB"]),
            "payment_capacity_assessment": "Adequate", "production_capacity_verified": done, "quality_system_verified": done,
            "technical_capability_score": money(rng.uniform(65, 95)), "audit_scheduled_date": sched,
            "audit_completed_date": sched + dt.timedelta(days=1) if done else None, "audit_score": money(rng.uniform(75, 96)) if done else None,
            "audit_report_url": None, "sample_submitted": True, "sample_approved": done, "sample_test_results": "Dimensional and material OK" if done else None,
            "trial_order_placed": done and first_po is not None, "trial_order_id": first_po if done else None, "trial_order_success": True if done and first_po else None,
            "approved_by": rng.choice(managers) if done else None, "approved_date": sched + dt.timedelta(days=14) if done else None,
            "rejection_reason": None, "approval_valid_until": sched + dt.timedelta(days=14 + 3 * 365) if done else None,
            "created_at": as_dt(sched) - dt.timedelta(days=30), "updated_at": as_dt(sched + dt.timedelta(days=14 if done else 0)),
        })
    docs = []
    dtypes = [("ISO 9001 certificate", "iso_certificate"), ("Insurance certificate", "insurance"), ("Quality agreement", "quality_agreement"),
              ("Conflict minerals declaration", "compliance"), ("REACH declaration", "compliance"), ("Technical data sheet", "technical")]
    n_docs = max(20, len(sup_ids))
    for i in range(n_docs):
        s = sup_ids[i % len(sup_ids)]
        name, dtype = dtypes[i % len(dtypes)]
        if i < 4:
            left = rng.randint(1, 30)  # urgent (30 days)
        elif i < 8:
            left = rng.randint(31, 60)  # high (60 days)
        elif i < 10:
            left = -rng.randint(1, 30)  # expired
        else:
            left = rng.randint(61, 900)
        expiry = today + dt.timedelta(days=left)
        validity = max(rng.choice([365, 730, 1095]), left + rng.randint(30, 300))
        issue = expiry - dt.timedelta(days=validity)
        docs.append({
            "document_id": ctx.key("SDOC", i + 1), "supplier_id": s, "document_type": dtype, "document_name": name,
            "document_number": f"DOC-{rng.randint(100000, 999999)}", "issue_date": issue, "expiry_date": expiry, "verified": True,
            "verified_by": rng.choice(buyers), "verified_date": issue + dt.timedelta(days=5) if issue + dt.timedelta(days=5) <= today else issue,
            "document_status": "expired" if left < 0 else "active", "expiry_alert_sent": left < 0,
            "days_to_expiry": left, "document_url": f"https://files.genims.local/supplier/docs/SDOC-{i + 1:06d}.pdf",
            "file_size_kb": rng.randint(80, 4000), "notes": None, "created_at": as_dt(issue), "updated_at": as_dt(issue),
        })
    audits, findings = [], []
    for i in range(7):
        s = rng.choice(sup_ids)
        planned = today - dt.timedelta(days=rng.randint(-30, 300))
        done = planned < today - dt.timedelta(days=2)
        team = rng.sample(auditors, min(3, len(auditors)))
        aid = ctx.key("SAUD", i + 1)
        fnd = []
        if done:
            for k in range(1, rng.randint(2, 6) + 1):
                ftype = rng.choices(["major", "minor", "observation"], [1, 4, 3])[0]
                target = planned + dt.timedelta(days=45)
                closed = target if target < today and rng.random() < 0.7 else None
                fnd.append({
                    "finding_id": ctx.key("SAF", len(findings) + len(fnd) + 1), "audit_id": aid, "finding_number": k, "finding_type": ftype,
                    "finding_category": rng.choice(["process_control", "documentation", "calibration", "training", "traceability"]),
                    "finding_description": rng.choice(["Incoming inspection records incomplete", "Gauge R&R not performed", "FIFO not enforced in stores",
                                                       "Training matrix out of date", "Control plan not updated after change"]),
                    "evidence": "Observed on site", "requirement_reference": rng.choice(["IATF 16949 8.5.2", "ISO 9001 7.1.5", "ISO 9001 7.2"]),
                    "corrective_action_required": ftype != "observation", "corrective_action": "CAR issued" if ftype != "observation" else None,
                    "responsible_person": fake.name(), "target_date": target, "finding_status": "closed" if closed else "open",
                    "closed_date": closed, "closure_verified_by": team[0] if closed else None, "created_at": as_dt(planned),
                })
        findings.extend(fnd)
        score = money(max(55, 97 - sum(8 if f["finding_type"] == "major" else 2 for f in fnd))) if done else None
        audits.append({
            "audit_id": aid, "audit_number": f"SA-{i + 1:05d}", "supplier_id": s, "audit_type": rng.choice(["qualification", "surveillance", "process"]),
            "audit_scope": "Quality management system", "planned_date": planned, "actual_date": planned if done else None,
            "audit_duration_hours": Decimal(rng.choice(["8.0", "12.0", "16.0"])) if done else None, "lead_auditor": team[0], "audit_team": team,
            "audit_location": sup_by_id[s].get("city") or "Supplier site", "audit_score": score,
            "audit_rating": (rating_for(score) if score is not None else None),
            "major_findings": sum(1 for f in fnd if f["finding_type"] == "major"), "minor_findings": sum(1 for f in fnd if f["finding_type"] == "minor"),
            "observations": sum(1 for f in fnd if f["finding_type"] == "observation"), "followup_required": any(f["finding_status"] == "open" for f in fnd),
            "followup_date": planned + dt.timedelta(days=60) if any(f["finding_status"] == "open" for f in fnd) else None,
            "audit_report_url": f"https://files.genims.local/supplier/audits/{aid}.pdf" if done else None,
            "audit_status": "completed" if done else "scheduled", "created_at": clamp(as_dt(planned) - dt.timedelta(days=20), now),
            "updated_at": clamp(as_dt(planned) if done else as_dt(planned) - dt.timedelta(days=20), now),
        })

    # -- portal users (real scrypt hashes of random passwords) -----------------------------------
    portal = []
    pw = scrypt_hashes(ctx.rng("supplier:passwords"), min(30, max(len(sup_ids), 1) * 2))
    for i, (h, _salt) in enumerate(pw):
        s = sup_ids[i % len(sup_ids)]
        first, last = fake.first_name(), fake.last_name()
        created = between(rng, setup, now - dt.timedelta(days=5))
        logins = rng.randint(0, 120)
        portal.append({
            "portal_user_id": ctx.key("SPU", i + 1), "supplier_id": s,
            "user_email": f"{first.lower()}.{last.lower()}@{(sup_by_id[s].get('supplier_code') or 'supplier').lower()}.example.com"[:200],
            "user_name": f"{first} {last}", "user_phone": fake.phone_number()[:50], "user_role": "admin" if i < len(sup_ids) else rng.choice(["sales", "finance", "quality"]),
            "can_view_rfqs": True, "can_submit_quotes": True, "can_view_pos": True, "can_submit_invoices": True, "can_view_payments": True,
            "can_view_performance": True, "is_active": True, "last_login": between(rng, created, now) if logins else None, "login_count": logins,
            "password_hash": h, "password_reset_required": logins == 0, "created_at": created, "updated_at": created,
        })

    # -- communications + notifications -----------------------------------------------------------
    comms = []
    for i in range(max(20, ctx.scaled(200))):
        s = rng.choice(sup_ids)
        when = between(rng, now - dt.timedelta(days=120), now - dt.timedelta(minutes=30))
        from_party = rng.choice(["buyer", "supplier"])
        ref = rng.choice([("purchase_order", next((p["purchase_order_id"] for p in pos if p["supplier_id"] == s), None)), ("rfq", rng.choice(rfqs)["rfq_id"]), (None, None)])
        parent = None
        if comms and rng.random() < 0.3:
            cand = [c for c in comms if c["supplier_id"] == s and c["created_at"] < when]
            parent = cand[-1]["communication_id"] if cand else None
        comms.append({
            "communication_id": ctx.key("SCOM", i + 1), "supplier_id": s, "from_party": from_party,
            "subject": rng.choice(["Delivery schedule update", "Price revision request", "Quality concern on last lot", "Capacity confirmation", "Invoice query"]),
            "message_body": fake.paragraph(nb_sentences=3), "reference_type": ref[0] if ref[1] else None, "reference_id": ref[1],
            "message_status": "read" if when < now - dt.timedelta(days=1) else "sent",
            "read_at": clamp(when + dt.timedelta(hours=rng.randint(1, 20)), now) if when < now - dt.timedelta(days=1) else None,
            "attachment_urls": [], "parent_message_id": parent, "created_at": when,
        })
    comms.sort(key=lambda c: c["created_at"])
    notes = []

    def notify(s, ntype, title, msg, rtype, rid, prio, when):
        read = when < now - dt.timedelta(days=2) and rng.random() < 0.7
        notes.append({
            "notification_id": ctx.key("SNOT", len(notes) + 1), "supplier_id": s, "notification_type": ntype, "notification_title": title[:200],
            "notification_message": msg, "reference_type": rtype, "reference_id": rid, "priority": prio,
            "notification_status": "read" if read else "sent", "read_at": clamp(when + dt.timedelta(hours=6), now) if read else None,
            "sent_via_email": True, "sent_via_portal": True, "created_at": when,
        })
    for rfq in rfqs:
        if rfq["published_date"]:
            for inv in invites:
                if inv["rfq_id"] == rfq["rfq_id"] and inv["invited_date"]:
                    notify(inv["supplier_id"], "rfq_invitation", f"New RFQ {rfq['rfq_number']}", "You are invited to quote.", "rfq", rfq["rfq_id"], "normal", inv["invited_date"])
    for c in cards:
        if c["supplier_rating"] == "Poor":
            notify(c["supplier_id"], "scorecard_published", f"Scorecard {c['scorecard_period']}: {c['supplier_rating']}", "An improvement plan is required.",
                   "scorecard", c["scorecard_id"], "high", c["created_at"])
    for inv in invoices:
        if inv["matching_status"] == "exception":
            notify(inv["supplier_id"], "invoice_on_hold", f"Invoice {inv['invoice_number']} on hold", "Price variance above tolerance.",
                   "invoice", inv["invoice_id"], "high", clamp(inv["updated_at"], now))
    notes.sort(key=lambda n: n["created_at"])
    for i, n in enumerate(notes, 1):
        n["notification_id"] = ctx.key("SNOT", i)

    # -- supplier-side requisitions -----------------------------------------------------------------
    reqs, req_lines = [], []
    erp_cc_ids = [c["cost_center_id"] for c in erp_ccs]
    rfq_by_status = [r for r in rfqs if r["rfq_status"] != "draft"]
    for i in range(max(20, ctx.scaled(30))):
        rdate = today - dt.timedelta(days=rng.randint(0, 120))
        status = rng.choices(["approved", "converted_to_rfq", "converted_to_po", "submitted", "rejected"], [3, 3, 3, 2, 1])[0]
        rfq = None
        po = None
        if status == "converted_to_rfq":
            cand = [r for r in rfq_by_status if r["rfq_date"] >= rdate]
            rfq = rng.choice(cand) if cand else None
            status = status if rfq else "approved"
        if status == "converted_to_po":
            cand = [p for p in pos if as_date(p["po_date"]) >= rdate]
            po = rng.choice(cand) if cand else None
            status = status if po else "approved"
        approved = status not in ("submitted", "rejected")
        rid = ctx.key("SPR", i + 1)
        total = D0
        for k in range(1, rng.randint(2, 3) + 1):
            m = rng.choice(raw)
            qty = Decimal(rng.choice([50, 100, 200, 500]))
            price = q(dec(m.get("standard_cost"), "20"))
            est = money(qty * price)
            total += est
            req_lines.append({
                "line_id": ctx.key("SPRL", len(req_lines) + 1), "requisition_id": rid, "line_number": k, "material_id": m["material_id"],
                "item_description": m.get("material_name"), "quantity": q(qty), "unit_of_measure": m.get("base_unit_of_measure") or "EA",
                "estimated_unit_price": price, "estimated_total": est, "preferred_supplier_id": m.get("default_supplier_id") if m.get("default_supplier_id") in sup_by_id else None,
                "delivery_location": rng.choice(fac_ids) if fac_ids else None, "required_by_date": rdate + dt.timedelta(days=30),
                "created_at": at(rdate, rng, 8, 10),
            })
        created = clamp(at(rdate, rng, 8, 10), now)
        appr_date = min(rdate + dt.timedelta(days=rng.randint(0, 3)), today) if approved else None
        if rfq and appr_date > rfq["rfq_date"]:
            appr_date = rfq["rfq_date"]
        if po and appr_date > as_date(po["po_date"]):
            appr_date = as_date(po["po_date"])
        reqs.append({
            "requisition_id": rid, "requisition_number": f"SPR-{i + 1:05d}", "requested_by": rng.choice(buyers),
            "department_id": rng.choice(dept_ids) if dept_ids else None, "cost_center_id": rng.choice(erp_cc_ids) if erp_cc_ids else None,
            "requisition_date": rdate, "required_by_date": rdate + dt.timedelta(days=30), "requisition_type": rng.choice(["standard", "urgent", "blanket"]),
            "purpose": "Replenishment for production", "justification": "MRP shortage", "budget_code": f"BUD-{rdate.year}-OPS",
            "estimated_total": money(total), "requisition_status": status, "approval_level": 1 if total < 25000 else 2,
            "approved_by": rng.choice(managers) if approved else None, "approved_date": appr_date,
            "rejection_reason": "Budget not available" if status == "rejected" else None,
            "converted_to_rfq_id": rfq["rfq_id"] if rfq else None, "converted_to_po_id": po["purchase_order_id"] if po else None,
            "created_at": created, "updated_at": max(created, clamp(as_dt(appr_date), now)) if appr_date else created,
        })

    # -- integration log ----------------------------------------------------------------------------
    events = []
    for inv in invoices:
        events.append((inv["submitted_at"], "invoice_submission", "SUPPLIER_PORTAL", "ERP", "supplier_invoice", inv["invoice_id"], "purchase_order", inv["purchase_order_id"], "success"))
        if inv["gl_journal_entry_id"]:
            t = clamp(inv["submitted_at"] + dt.timedelta(hours=1), now)
            events.append((t, "gl_posting", "SUPPLIER_PORTAL", "FINANCIAL", "supplier_invoice", inv["invoice_id"], "journal_entry", inv["gl_journal_entry_id"], "success"))
    for r in reqs:
        if r["converted_to_po_id"]:
            events.append((r["updated_at"], "requisition_to_po", "SUPPLIER_PORTAL", "ERP", "purchase_requisition", r["requisition_id"], "purchase_order", r["converted_to_po_id"], "success"))
    for p in pos:
        events.append((clamp(as_dt(p.get("created_at")) or as_dt(p["po_date"]), now), "po_publication", "ERP", "SUPPLIER_PORTAL", "purchase_order", p["purchase_order_id"], None, None,
                       "failed" if rng.random() < 0.02 else "success"))
    events.sort(key=lambda e: (e[0], e[5]))
    ilog = [{
        "log_id": ctx.key("SPLOG", i + 1), "log_timestamp": t, "integration_type": it, "source_system": ss, "target_system": ts,
        "source_document_type": sdt, "source_document_id": sd, "target_document_type": tdt, "target_document_id": td,
        "integration_status": st, "error_message": "Portal API timeout" if st == "failed" else None, "integration_data": {"source": sd},
    } for i, (t, it, ss, ts, sdt, sd, tdt, td, st) in enumerate(events)]

    out.update({
        "rfq_headers": rfqs, "rfq_lines": rfq_lines, "rfq_suppliers": invites, "rfq_responses": responses,
        "rfq_response_lines": resp_lines, "quote_comparison": comparisons, "supplier_contracts": contracts,
        "contract_pricing": pricing, "supplier_performance_metrics": metrics, "supplier_scorecards": cards,
        "supplier_rating_history": history, "supplier_invoices": invoices, "supplier_invoice_lines": inv_lines,
        "three_way_match_log": match_log, "supplier_qualification": quals, "supplier_documents": docs,
        "supplier_audits": audits, "audit_findings": findings, "supplier_portal_users": portal,
        "supplier_communications": comms, "supplier_notifications": notes, "purchase_requisitions": reqs,
        "purchase_requisition_lines": req_lines, "supplier_portal_integration_log": ilog,
    })
    return out
