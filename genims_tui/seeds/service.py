"""genims_service_db: SLAs, teams, queues, agents, knowledge base, service tickets (CRM accounts and
contacts, ERP sales orders; some breached, some open close to breach), comments, attachments,
escalations, warranties, RMAs, field service, parts, surveys, feedback, daily metrics, portal users
and the service integration log. Publishes ctx.shared["quality_tickets"]."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from ._bizutil import D0, as_date, as_dt, between, clamp, dec, money, q, scrypt_hashes, token
from .framework import SeedContext

DATABASE = "genims_service_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_crm_db", "genims_maintenance_db")

# (code, name, tier, priority, response minutes, resolution minutes)
SLAS = [
    ("SLA-STD-CRIT", "Standard - Severity 1", "standard", "critical", 240, 1440),
    ("SLA-STD-HIGH", "Standard - Severity 2", "standard", "high", 480, 2880),
    ("SLA-STD-MED", "Standard - Severity 3", "standard", "medium", 1440, 5760),
    ("SLA-STD-LOW", "Standard - Severity 4", "standard", "low", 2880, 10080),
    ("SLA-PRM-CRIT", "Premium - Severity 1", "premium", "critical", 120, 720),
    ("SLA-PRM-HIGH", "Premium - Severity 2", "premium", "high", 240, 1440),
]
CATEGORIES = {  # category -> (ticket_type, subcategories, quality related)
    "product_quality": ("complaint", ["dimensional", "surface_finish", "functional_failure", "contamination"], True),
    "delivery": ("inquiry", ["late_delivery", "wrong_quantity", "damaged_in_transit"], False),
    "technical_support": ("incident", ["installation", "configuration", "performance"], False),
    "billing": ("inquiry", ["invoice_error", "credit_request"], False),
    "warranty": ("request", ["warranty_claim", "replacement"], True),
    "documentation": ("request", ["certificate", "drawing", "manual"], False),
}
RES_CODES = [
    ("RC-REPLACE", "Replaced defective part", "product_quality", 240), ("RC-REWORK", "Reworked at customer site", "product_quality", 480),
    ("RC-CREDIT", "Credit note issued", "billing", 60), ("RC-INFO", "Information provided", "documentation", 30),
    ("RC-CONFIG", "Configuration corrected", "technical_support", 120), ("RC-RESHIP", "Goods reshipped", "delivery", 180),
    ("RC-WARRANTY", "Covered under warranty", "warranty", 300), ("RC-NOFAULT", "No fault found", "technical_support", 90),
    ("RC-TRAINING", "User training delivered", "technical_support", 120), ("RC-DOC", "Document supplied", "documentation", 45),
]
KB_CATS = [("KB-INST", "Installation"), ("KB-TRBL", "Troubleshooting"), ("KB-MAINT", "Maintenance"),
           ("KB-QUAL", "Quality and Certificates"), ("KB-ORD", "Orders and Delivery")]


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    rng = ctx.rng("service")
    fake = ctx.faker("service")
    now = ctx.as_of
    today = ctx.today
    employees = ctx.rows("genims_master_db", "employees")
    products = ctx.rows("genims_master_db", "products")
    materials = ctx.rows("genims_erp_db", "materials")
    sales_orders = ctx.rows("genims_erp_db", "sales_orders")
    so_lines = ctx.rows("genims_erp_db", "sales_order_lines")
    accounts = ctx.rows("genims_crm_db", "accounts")
    contacts = ctx.rows("genims_crm_db", "contacts")
    assets = ctx.rows("genims_maintenance_db", "maintenance_assets")

    contacts_by_acc: dict[str, list[dict]] = defaultdict(list)
    for c in contacts:
        contacts_by_acc[c["account_id"]].append(c)
    acc_by_customer = {a["customer_id"]: a for a in accounts}
    lines_by_so: dict[str, list[dict]] = defaultdict(list)
    for ln in so_lines:
        lines_by_so[ln["sales_order_id"]].append(ln)
    orders_by_acc: dict[str, list[dict]] = defaultdict(list)
    for so in sales_orders:
        acc = acc_by_customer.get(so["customer_id"])
        if acc and as_date(so.get("order_date")):
            orders_by_acc[acc["account_id"]].append(so)
    mat_by_id = {m["material_id"]: m for m in materials}
    setup = now - dt.timedelta(days=900)

    # -- configuration ---------------------------------------------------------------------------
    slas = [{
        "sla_id": ctx.key("SLA", i + 1), "sla_code": code, "sla_name": name, "customer_tier": tier, "priority": prio,
        "ticket_type": None, "category": None, "service_hours": "24x7" if tier == "premium" or prio == "critical" else "business_hours",
        "response_time_minutes": resp, "response_time_unit": "minutes", "resolution_time_minutes": res,
        "resolution_time_unit": "minutes", "escalation_enabled": True, "escalation_threshold_pct": 80,
        "notify_customer": True, "notify_manager": prio in ("critical", "high"), "is_active": True,
        "effective_date": as_date(setup), "created_at": setup,
    } for i, (code, name, tier, prio, resp, res) in enumerate(SLAS)]
    sla_for = {(s["customer_tier"], s["priority"]): s for s in slas}

    agent_emps = [e for e in employees if e.get("role") == "service_agent"][:14]
    teams_def = [("TEAM-L1", "Level 1 Support", "frontline", "general"), ("TEAM-L2", "Technical Support", "technical", "technical_support"),
                 ("TEAM-QA", "Quality Response", "specialist", "product_quality"), ("TEAM-LOG", "Order and Delivery Desk", "frontline", "delivery")]
    teams = [{
        "team_id": ctx.key("STEAM", i + 1), "team_code": code, "team_name": name, "team_type": ttype, "specialization": spec,
        "team_lead_id": None, "team_members": None, "team_size": 0, "service_hours": "business_hours",
        "is_active": True, "created_at": setup,
    } for i, (code, name, ttype, spec) in enumerate(teams_def)]
    agents = []
    for i, e in enumerate(agent_emps):
        team = teams[i % len(teams)]
        hire = as_date(e.get("hire_date")) or as_date(setup)
        agents.append({
            "agent_id": ctx.key("AGT", i + 1), "employee_id": e["employee_id"], "agent_code": f"AG{i + 1:03d}",
            "first_name": e.get("first_name"), "last_name": e.get("last_name"), "email": e.get("email"), "phone": e.get("phone"),
            "team_id": team["team_id"], "skill_areas": team["specialization"], "product_expertise": None,
            "language_skills": rng.choice(["en", "en,es", "en,de", "en,fr"]), "avg_csat_rating": None,
            "total_tickets_resolved": 0, "avg_resolution_time_hours": None, "first_contact_resolution_rate": None,
            "agent_status": "available", "current_ticket_count": 0, "max_concurrent_tickets": rng.choice([8, 10, 12]),
            "hire_date": hire, "is_active": True, "created_at": max(setup, as_dt(hire)), "updated_at": now - dt.timedelta(hours=rng.randint(1, 48)),
        })
    agents_by_team: dict[str, list[dict]] = defaultdict(list)
    for a in agents:
        agents_by_team[a["team_id"]].append(a)
    for t in teams:
        members = agents_by_team[t["team_id"]]
        t["team_lead_id"] = members[0]["agent_id"] if members else None
        t["team_members"] = ",".join(a["agent_id"] for a in members) or None
        t["team_size"] = len(members)
    queues = [{
        "queue_id": ctx.key("SQ", i + 1), "queue_code": f"Q-{t['team_code'][5:]}", "queue_name": f"{t['team_name']} queue",
        "queue_type": t["team_type"], "assigned_team_id": t["team_id"], "auto_assign": True,
        "assignment_method": rng.choice(["round_robin", "least_loaded"]), "queue_priority": i + 1,
        "current_ticket_count": 0, "avg_wait_time_minutes": rng.randint(5, 90), "is_active": True, "created_at": setup,
    } for i, t in enumerate(teams)]
    team_for_cat = {"product_quality": 2, "warranty": 2, "technical_support": 1, "delivery": 3, "billing": 0, "documentation": 0}
    res_codes = [{
        "code_id": ctx.key("RES", i + 1), "code": code, "description": desc, "category": cat,
        "typical_resolution_minutes": minutes, "is_active": True, "created_at": setup,
    } for i, (code, desc, cat, minutes) in enumerate(RES_CODES)]
    codes_by_cat: dict[str, list[dict]] = defaultdict(list)
    for c in res_codes:
        codes_by_cat[c["category"]].append(c)
    escalation_rules = [{
        "rule_id": ctx.key("ESR", i + 1), "rule_code": f"ESC-{p.upper()}", "rule_name": f"Escalate {p} tickets before SLA breach",
        "priority": p, "category": None, "sla_breach_threshold_pct": 80,
        "level_1_escalate_to": "team_lead", "level_1_threshold_minutes": th,
        "level_2_escalate_to": "service_manager", "level_2_threshold_minutes": th * 2,
        "level_3_escalate_to": "director", "level_3_threshold_minutes": th * 4,
        "notify_customer": p == "critical", "notify_management": True, "is_active": True, "created_at": setup,
    } for i, (p, th) in enumerate([("critical", 60), ("high", 240), ("medium", 1440)])]

    # -- knowledge base --------------------------------------------------------------------------
    kb_cats = [{
        "category_id": ctx.key("KBC", i + 1), "category_code": code, "category_name": name, "parent_category_id": None,
        "display_order": i + 1, "icon_url": None, "description": f"{name} articles", "is_active": True, "created_at": setup,
    } for i, (code, name) in enumerate(KB_CATS)]
    articles = []
    for i in range(50):
        cat = kb_cats[i % len(kb_cats)]
        created = between(rng, setup, now - dt.timedelta(days=30))
        prod = rng.choice(products) if products else None
        status = "published" if rng.random() < 0.9 else "draft"
        articles.append({
            "article_id": ctx.key("KB", i + 1), "article_number": f"KB{i + 1:05d}",
            "title": f"{cat['category_name']}: {fake.sentence(nb_words=6).rstrip('.')}"[:200],
            "summary": fake.sentence(nb_words=14), "content": fake.paragraph(nb_sentences=8), "category_id": cat["category_id"],
            "article_type": rng.choice(["how_to", "troubleshooting", "faq", "reference"]),
            "products": prod["product_id"] if prod else None, "product_categories": prod["product_category"] if prod else None,
            "keywords": ",".join(fake.words(4)), "tags": cat["category_code"].lower(), "article_status": status,
            "published_date": as_date(created) + dt.timedelta(days=2) if status == "published" else None,
            "published_by": rng.choice(agents)["agent_id"] if status == "published" and agents else None,
            "version": "1.0", "previous_version_id": None, "view_count": 0, "helpful_count": 0, "not_helpful_count": 0,
            "avg_rating": None, "times_used_in_tickets": 0, "last_used_date": None, "attachments": None,
            "meta_description": None, "author_id": rng.choice(agents)["agent_id"] if agents else None, "is_active": status == "published",
            "created_at": created, "updated_at": created + dt.timedelta(days=2),
        })
    published = [a for a in articles if a["article_status"] == "published"]
    ratings = []
    for i in range(ctx.scaled(1200, 20)):
        art = rng.choice(published)
        r = rng.choices([1, 2, 3, 4, 5], [1, 1, 3, 6, 6])[0]
        when = between(rng, as_dt(art["published_date"]), now)
        ratings.append({
            "rating_id": ctx.key("KBR", i + 1), "article_id": art["article_id"], "rating": r, "is_helpful": r >= 4,
            "feedback_text": None if rng.random() < 0.7 else rng.choice(["Clear steps", "Missing a diagram", "Solved my problem", "Out of date"]),
            "rated_by": rng.choice(contacts)["contact_id"] if contacts else None, "rated_by_type": "customer", "rated_at": when,
        })
        art["helpful_count"] += r >= 4
        art["not_helpful_count"] += r < 4
    by_art: dict[str, list[int]] = defaultdict(list)
    for r in ratings:
        by_art[r["article_id"]].append(r["rating"])
    for a in articles:
        vals = by_art.get(a["article_id"])
        a["avg_rating"] = money(Decimal(sum(vals)) / len(vals)) if vals else None
        a["view_count"] = len(vals or []) * rng.randint(5, 20) + rng.randint(0, 50)

    # -- tickets ---------------------------------------------------------------------------------
    tickets, comments, attachments, escalations = [], [], [], []
    quality_tickets: list[str] = []
    n_tickets = ctx.scaled(500, 30)
    tier_of = {a["account_id"]: ("premium" if a.get("account_tier") in ("strategic", "key") else "standard") for a in accounts}
    channels = ["phone", "email", "chat", "portal"]
    for i in range(n_tickets):
        tid = ctx.key("TKT", i + 1)
        acc = rng.choice(accounts)
        contact = rng.choice(contacts_by_acc[acc["account_id"]]) if contacts_by_acc[acc["account_id"]] else None
        category = rng.choices(list(CATEGORIES), [30, 20, 18, 10, 12, 10])[0]
        ttype, subs, is_quality = CATEGORIES[category]
        prio = rng.choices(["critical", "high", "medium", "low"], [1, 3, 5, 3])[0]
        tier = tier_of[acc["account_id"]]
        sla = sla_for.get((tier, prio)) or sla_for[("standard", prio)]
        resp_min, res_min = sla["response_time_minutes"], sla["resolution_time_minutes"]
        # the last tickets: open and close to breach (SLA automation), a few recent quality ones untouched
        near_breach = i >= n_tickets - max(3, n_tickets // 25)
        if near_breach:
            created = now - dt.timedelta(minutes=int(res_min * rng.uniform(0.82, 0.95)))
        else:
            created = between(rng, now - dt.timedelta(days=180), now - dt.timedelta(hours=2))
        orders = [so for so in orders_by_acc.get(acc["account_id"], []) if as_dt(so["order_date"]) < created]
        order = rng.choice(orders) if orders and rng.random() < 0.75 else None
        so_ln = rng.choice(lines_by_so[order["sales_order_id"]]) if order and lines_by_so.get(order["sales_order_id"]) else None
        mat = mat_by_id.get(so_ln["material_id"]) if so_ln else None
        resp_due = created + dt.timedelta(minutes=resp_min)
        res_due = created + dt.timedelta(minutes=res_min)
        breach_resp = rng.random() < 0.12
        first_resp = created + dt.timedelta(minutes=int(resp_min * (rng.uniform(1.05, 1.8) if breach_resp else rng.uniform(0.05, 0.9))))
        if near_breach:
            first_resp = created + dt.timedelta(minutes=int(resp_min * rng.uniform(0.1, 0.6)))
            breach_resp = False
        if first_resp > now:
            first_resp = None
            breach_resp = now > resp_due
        age_min = (now - created).total_seconds() / 60
        open_ticket = near_breach or rng.random() < (0.5 if age_min < res_min * 2 else 0.06)
        resolved = closed = None
        breach_res = False
        if not open_ticket and first_resp:
            late = rng.random() < 0.12
            resolved = created + dt.timedelta(minutes=int(res_min * (rng.uniform(1.05, 2.0) if late else rng.uniform(0.15, 0.95))))
            if resolved > now - dt.timedelta(minutes=30) or resolved <= first_resp:
                resolved = None
            else:
                breach_res = late
                c = resolved + dt.timedelta(hours=rng.randint(4, 96))
                closed = c if c < now else None
        if resolved is None:
            breach_res = now > res_due
            status = "open" if first_resp is None else rng.choice(["in_progress", "pending_customer", "in_progress"])
            if near_breach:
                status = "in_progress"
        else:
            status = "closed" if closed else "resolved"
        team = teams[team_for_cat[category]]
        team_agents = agents_by_team[team["team_id"]] or agents
        agent = rng.choice(team_agents) if team_agents and first_resp else None
        escalated = (breach_res or prio == "critical") and agent is not None and rng.random() < 0.6 and first_resp
        esc_time = None
        if escalated:
            esc_time = clamp(created + dt.timedelta(minutes=int(res_min * 0.8)), now)
            if esc_time <= first_resp:
                esc_time = clamp(first_resp + dt.timedelta(minutes=10), now)
        code = rng.choice(codes_by_cat.get(category) or res_codes) if resolved else None
        kb = rng.choice(published) if resolved and rng.random() < 0.3 else None
        csat = rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 5, 6])[0] if closed and rng.random() < 0.6 else None
        subject = {
            "product_quality": f"Nonconforming parts received - {rng.choice(subs).replace('_', ' ')}",
            "warranty": "Warranty claim for failed unit", "delivery": "Delivery issue on order",
            "technical_support": "Technical assistance required", "billing": "Question about invoice",
            "documentation": "Certificate of conformance request",
        }[category]
        ticket = {
            "ticket_id": tid, "ticket_number": f"TK{i + 1:07d}", "account_id": acc["account_id"],
            "contact_id": contact["contact_id"] if contact else None, "channel": rng.choice(channels),
            "source_reference": None, "ticket_type": ttype, "category": category, "subcategory": rng.choice(subs),
            "product_category": (rng.choice(products)["product_category"] if products else None),
            "subject": subject, "description": fake.paragraph(nb_sentences=3), "priority": prio,
            "priority_reason": "Line stoppage at customer" if prio == "critical" else None, "ticket_status": status,
            "status_reason": None, "related_order_id": order["sales_order_id"] if order else None,
            "related_product": (mat.get("material_name") if mat else None), "related_serial_number": f"SN{rng.randint(10**7, 10**8 - 1)}" if mat else None,
            "sla_id": sla["sla_id"], "response_due_datetime": resp_due, "resolution_due_datetime": res_due,
            "first_response_datetime": first_resp, "resolved_datetime": resolved, "closed_datetime": closed,
            "response_sla_breached": bool(breach_resp), "resolution_sla_breached": bool(breach_res),
            "assigned_to": agent["agent_id"] if agent else None, "assigned_team": team["team_id"],
            "assigned_datetime": first_resp if agent else None, "routed_to_queue": queues[team_for_cat[category]]["queue_id"],
            "escalation_level": 1 if escalated else 0,
            "escalated_to": team["team_lead_id"] if escalated else None, "escalated_datetime": esc_time,
            "escalation_reason": "Resolution SLA at risk" if escalated else None,
            "resolution_summary": code["description"] if code else None, "root_cause": rng.choice(["process", "material", "handling", "user_error"]) if resolved else None,
            "resolution_code": code["code_id"] if code else None, "csat_rating": csat, "csat_comment": None,
            "csat_survey_sent": closed is not None, "csat_survey_sent_datetime": clamp(closed + dt.timedelta(hours=1), now) if closed else None,
            "kb_article_used": kb["article_id"] if kb else None,
            "first_response_time_minutes": int((first_resp - created).total_seconds() // 60) if first_resp else None,
            "resolution_time_minutes": int((resolved - created).total_seconds() // 60) if resolved else None,
            "handle_time_minutes": rng.randint(10, 240) if first_resp else None, "reopened_count": 0,
            "tags": category, "created_by": contact["contact_id"] if contact else "system",
            "created_at": created, "updated_at": closed or resolved or esc_time or first_resp or created,
        }
        if kb:
            kb["times_used_in_tickets"] += 1
            kb["last_used_date"] = max(kb["last_used_date"] or resolved, resolved)
        tickets.append(ticket)
        if is_quality:
            quality_tickets.append(tid)
        if escalated:
            escalations.append({
                "escalation_id": ctx.key("TESC", len(escalations) + 1), "ticket_id": tid, "escalation_level": 1,
                "escalation_reason": "Resolution SLA at risk", "escalated_from": agent["agent_id"],
                "escalated_to": team["team_lead_id"], "escalated_at": esc_time,
                "de_escalated": resolved is not None and resolved > esc_time,
                "de_escalated_at": resolved if resolved is not None and resolved > esc_time else None,
                "de_escalation_reason": "Resolved" if resolved is not None and resolved > esc_time else None,
            })
        # comments / attachments along the ticket's life
        end = ticket["updated_at"]
        moments = sorted(between(rng, created, end) for _ in range(rng.randint(1, 4)))
        for k, when in enumerate(moments):
            by_agent = k > 0 and agent is not None and (first_resp is None or when >= first_resp)
            comments.append({
                "comment_id": ctx.key("TCOM", len(comments) + 1), "ticket_id": tid,
                "comment_text": rng.choice(["Customer provided photos of the issue.", "Requested lot and batch numbers.", "Shared interim containment plan.",
                                             "Replacement shipment arranged.", "Waiting for customer confirmation.", "Root cause investigation ongoing."]) if by_agent else ticket["description"],
                "comment_type": "agent_note" if by_agent else "customer_message", "is_public": not by_agent or rng.random() < 0.6,
                "is_internal": by_agent and rng.random() < 0.4, "attachments": None,
                "created_by": agent["agent_id"] if by_agent else ticket["created_by"], "created_by_type": "agent" if by_agent else "customer",
                "created_at": when,
            })
        if rng.random() < 0.35:
            when = between(rng, created, end)
            ext = rng.choice(["jpg", "pdf", "png", "xlsx"])
            attachments.append({
                "attachment_id": ctx.key("TATT", len(attachments) + 1), "ticket_id": tid,
                "file_name": f"{rng.choice(['photo', 'report', 'packing_list', 'measurement'])}_{len(attachments) + 1}.{ext}",
                "file_size_bytes": rng.randint(20_000, 6_000_000), "file_type": ext,
                "file_url": f"https://files.genims.local/service/{tid}/{len(attachments) + 1}.{ext}",
                "uploaded_by": ticket["created_by"], "uploaded_at": when,
            })
    # agent statistics
    for a in agents:
        mine = [t for t in tickets if t["assigned_to"] == a["agent_id"]]
        done = [t for t in mine if t["resolution_time_minutes"] is not None]
        cs = [t["csat_rating"] for t in mine if t["csat_rating"]]
        a["total_tickets_resolved"] = len(done)
        a["current_ticket_count"] = len(mine) - len(done)
        a["avg_resolution_time_hours"] = money(Decimal(sum(t["resolution_time_minutes"] for t in done)) / len(done) / 60) if done else None
        a["avg_csat_rating"] = money(Decimal(sum(cs)) / len(cs)) if cs else None
        a["first_contact_resolution_rate"] = money(Decimal(rng.uniform(55, 85)))
    for qrow in queues:
        qrow["current_ticket_count"] = sum(1 for t in tickets if t["routed_to_queue"] == qrow["queue_id"] and t["resolved_datetime"] is None)

    # -- warranty registrations + claims ----------------------------------------------------------
    warranties, claims = [], []
    wr_orders = [so for so in sales_orders if so["customer_id"] in acc_by_customer]
    for i in range(ctx.scaled(150, 8)):
        # half from the ERP orders of the last 90 days, half from the installed base sold before them
        so = rng.choice(wr_orders) if wr_orders and rng.random() < 0.5 else None
        acc = acc_by_customer[so["customer_id"]] if so else rng.choice(accounts)
        ln = rng.choice(lines_by_so[so["sales_order_id"]]) if so and lines_by_so.get(so["sales_order_id"]) else None
        mat = mat_by_id.get(ln["material_id"]) if ln else None
        purchase = as_date(so["order_date"]) if so else today - dt.timedelta(days=rng.randint(30, 700))
        start = purchase + dt.timedelta(days=rng.randint(0, 10))
        start = min(start, today)
        months = rng.choice([12, 24, 36])
        end = start + dt.timedelta(days=months * 30)
        reg = min(start + dt.timedelta(days=rng.randint(0, 5)), today)
        cl = contacts_by_acc[acc["account_id"]]
        warranties.append({
            "warranty_id": ctx.key("WAR", i + 1), "warranty_number": f"W{i + 1:07d}", "account_id": acc["account_id"],
            "contact_id": rng.choice(cl)["contact_id"] if cl else None,
            "product_name": (mat.get("material_name") if mat else "Assembly")[:200], "product_category": rng.choice(products)["product_category"] if products else None,
            "serial_number": f"SN{rng.randint(10**7, 10**8 - 1)}", "model_number": mat.get("material_code") if mat else None,
            "sales_order_id": so["sales_order_id"] if so else None, "purchase_date": purchase,
            "invoice_number": f"INV-{so['sales_order_number']}" if so and so.get("sales_order_number") else None,
            "warranty_type": rng.choice(["standard", "extended"]), "warranty_start_date": start, "warranty_end_date": end,
            "warranty_duration_months": months, "coverage_type": rng.choice(["parts_and_labor", "parts_only"]),
            "coverage_details": "Manufacturing defects", "terms_conditions": "Standard GenIMS warranty terms",
            "warranty_status": "active" if end >= today else "expired", "registered_date": reg, "registered_by": "portal",
            "transferred_to_account_id": None, "transfer_date": None, "is_active": end >= today,
            "created_at": as_dt(reg) if as_dt(reg) <= now else now, "updated_at": min(now, as_dt(reg) + dt.timedelta(days=1)),
        })
    warranty_tickets = [t for t in tickets if t["category"] in ("warranty", "product_quality")]
    for t in warranty_tickets:
        if len(claims) >= ctx.scaled(30, 4):
            break
        # a claim needs a warranty of the same account in force when the ticket came in
        ws = [w for w in warranties if w["account_id"] == t["account_id"] and as_dt(w["warranty_start_date"]) <= t["created_at"]
              and as_dt(w["warranty_end_date"]) >= t["created_at"] and w["created_at"] <= t["created_at"]]
        if not ws:
            continue
        w = rng.choice(ws)
        cdate = as_date(t["created_at"])
        decided = t["resolved_datetime"] is not None
        approved = decided and rng.random() < 0.8
        labor, parts = money(rng.randint(100, 2000)), money(rng.randint(50, 5000))
        total = labor + parts
        claims.append({
            "claim_id": ctx.key("WCL", len(claims) + 1), "claim_number": f"WC{len(claims) + 1:07d}", "warranty_id": w["warranty_id"],
            "ticket_id": t["ticket_id"], "claim_date": cdate, "issue_description": t["description"],
            "failure_type": rng.choice(["mechanical", "electrical", "cosmetic"]), "failure_category": rng.choice(["manufacturing", "design", "handling"]),
            "claim_status": ("approved" if approved else "rejected") if decided else "under_review", "approved": approved if decided else None,
            "approved_by": t["escalated_to"] or t["assigned_to"] if approved else None,
            "approved_date": as_date(t["resolved_datetime"]) if approved else None,
            "rejection_reason": "Damage caused by misuse" if decided and not approved else None,
            "resolution_type": rng.choice(["replace", "repair", "credit"]) if approved else None,
            "labor_cost": labor, "parts_cost": parts, "total_claim_amount": total,
            "customer_responsibility": D0 if approved else total, "warranty_coverage": total if approved else D0,
            "processed_date": as_date(t["resolved_datetime"]) if decided else None, "processed_by": t["assigned_to"] if decided else None,
            "notes": None, "created_at": t["created_at"], "updated_at": t["resolved_datetime"] or t["created_at"],
        })

    # -- RMAs ------------------------------------------------------------------------------------
    rmas, rma_lines = [], []
    rma_tickets = [t for t in tickets if t["related_order_id"] and t["category"] in ("product_quality", "delivery", "warranty")]
    so_by_id = {so["sales_order_id"]: so for so in sales_orders}
    for i, t in enumerate(rma_tickets[: ctx.scaled(25, 4)]):
        so = so_by_id[t["related_order_id"]]
        created = between(rng, t["created_at"], min(now, t["created_at"] + dt.timedelta(days=3)))
        approved = rng.random() < 0.85
        appr_date = as_date(created + dt.timedelta(days=1)) if approved and created + dt.timedelta(days=1) < now else None
        ship = appr_date + dt.timedelta(days=rng.randint(1, 5)) if appr_date and appr_date + dt.timedelta(days=5) < today else None
        recv = ship + dt.timedelta(days=rng.randint(2, 6)) if ship and ship + dt.timedelta(days=6) < today else None
        refund_date = recv + dt.timedelta(days=rng.randint(1, 5)) if recv and recv + dt.timedelta(days=5) < today else None
        status = "closed" if refund_date else "received" if recv else "in_transit" if ship else "approved" if appr_date else ("rejected" if not approved else "pending")
        rid = ctx.key("RMA", i + 1)
        lines = lines_by_so.get(so["sales_order_id"]) or []
        total_refund = D0
        for k, ln in enumerate(lines[: rng.randint(1, 3)], 1):
            qty = q(min(dec(ln.get("order_quantity"), "1"), Decimal(rng.randint(1, 20))))
            price = q(dec(ln.get("unit_price"), "100"))
            refund = money(qty * price)
            total_refund += refund
            mat = mat_by_id.get(ln["material_id"], {})
            rma_lines.append({
                "rma_line_id": ctx.key("RMAL", len(rma_lines) + 1), "rma_id": rid, "line_number": k, "material_id": ln["material_id"],
                "product_name": (mat.get("material_name") or ln["material_id"])[:200], "serial_number": None, "quantity_returned": qty,
                "unit_of_measure": mat.get("base_unit_of_measure") or "EA", "original_unit_price": price, "refund_unit_price": price,
                "line_total_refund": refund, "condition_on_return": rng.choice(["defective", "damaged", "unused"]) if recv else None,
                "disposition": rng.choice(["scrap", "rework", "return_to_stock"]) if recv else None, "created_at": created,
            })
        rmas.append({
            "rma_id": rid, "rma_number": f"RMA{i + 1:07d}", "account_id": t["account_id"], "contact_id": t["contact_id"],
            "sales_order_id": so["sales_order_id"], "ticket_id": t["ticket_id"], "rma_type": rng.choice(["return_for_credit", "replacement", "repair"]),
            "return_reason": t["category"], "reason_description": t["subject"], "rma_status": status, "approved": approved,
            "approved_by": t["assigned_to"] if approved and appr_date else None, "approved_date": appr_date,
            "rejection_reason": None if approved else "Outside return window", "return_instructions": "Ship with RMA number on the label",
            "return_address": "GenIMS Returns Center", "customer_shipment_tracking": f"1Z{rng.randint(10**9, 10**10 - 1)}" if ship else None,
            "customer_ship_date": ship, "received_date": recv, "received_by": "WMS" if recv else None,
            "inspection_status": "completed" if recv else None, "inspection_notes": None,
            "condition_on_receipt": rng.choice(["defective", "damaged", "good"]) if recv else None,
            "resolution_type": rng.choice(["refund", "replacement"]) if refund_date else None,
            "refund_amount": total_refund if refund_date else None, "refund_method": "credit_note" if refund_date else None,
            "refund_processed_date": refund_date, "replacement_order_id": None, "restocking_fee": D0, "restocking_fee_pct": D0,
            "warehouse_receipt_id": None, "notes": None, "created_at": created,
            "updated_at": clamp(as_dt(refund_date or recv or ship or appr_date or as_date(created)) or created, now) if (refund_date or recv or ship or appr_date) else created,
        })
        if rmas[-1]["updated_at"] < created:
            rmas[-1]["updated_at"] = created

    # -- field service ---------------------------------------------------------------------------
    tech_emps = [e for e in employees if e.get("role") in ("technician", "maintenance_technician")][:10]
    techs = []
    for i, e in enumerate(tech_emps):
        lat, lon = float(fake.latitude()), float(fake.longitude())
        techs.append({
            "technician_id": ctx.key("FTECH", i + 1), "employee_id": e["employee_id"], "technician_code": f"FT{i + 1:03d}",
            "first_name": e.get("first_name"), "last_name": e.get("last_name"), "email": e.get("email"), "phone": e.get("phone"),
            "mobile": fake.phone_number()[:50], "skill_areas": rng.choice(["hydraulics,pneumatics", "electrical,controls", "mechanical,assembly"]),
            "certifications": "OSHA 30,NFPA 70E", "certification_expiry": {"OSHA 30": str(today + dt.timedelta(days=rng.randint(30, 700))), "NFPA 70E": str(today + dt.timedelta(days=rng.randint(30, 700)))},
            "service_territory": rng.choice(["North", "South", "East", "West"]), "home_base_location": fake.city(),
            "available_for_dispatch": rng.random() < 0.8, "current_location_gps": (lon, lat),
            "last_location_update": now - dt.timedelta(minutes=rng.randint(5, 600)), "avg_job_rating": None,
            "total_jobs_completed": 0, "technician_status": "active", "is_active": True,
            "created_at": setup, "updated_at": now - dt.timedelta(hours=rng.randint(1, 24)),
        })
    appts = []
    tech_tickets = [t for t in tickets if t["category"] in ("technical_support", "product_quality", "warranty") and t["first_response_datetime"]]
    for i in range(min(ctx.scaled(50, 4), len(tech_tickets))):
        t = tech_tickets[i]
        tech = rng.choice(techs) if techs else None
        day = as_date(t["first_response_datetime"]) + dt.timedelta(days=rng.randint(1, 6))
        start_h = rng.randint(7, 14)
        dur = rng.choice([60, 90, 120, 180, 240])
        done = day < today
        checkin = dt.datetime.combine(day, dt.time(start_h, rng.randint(0, 30))) if done else None
        actual = dur + rng.randint(-20, 60) if done else None
        checkout = checkin + dt.timedelta(minutes=actual) if done else None
        acc = next(a for a in accounts if a["account_id"] == t["account_id"])
        asset = rng.choice(assets) if assets else None
        labor = money(Decimal(actual or dur) / 60 * 95)
        parts_c = money(rng.randint(0, 800))
        travel = money(rng.randint(40, 300))
        appts.append({
            "appointment_id": ctx.key("FSA", i + 1), "appointment_number": f"FS{i + 1:07d}", "account_id": t["account_id"],
            "contact_id": t["contact_id"], "ticket_id": t["ticket_id"], "service_type": rng.choice(["repair", "inspection", "installation", "preventive"]),
            "appointment_date": day, "scheduled_start_time": dt.time(start_h, 0), "scheduled_end_time": dt.time(min(23, start_h + dur // 60 + 1), 0),
            "estimated_duration_minutes": dur, "appointment_status": "completed" if done else "scheduled",
            "assigned_technician_id": tech["technician_id"] if tech else None,
            "service_location_address": acc.get("shipping_address_line1"), "service_location_city": acc.get("shipping_city"),
            "service_location_state": acc.get("shipping_state"), "service_location_postal_code": acc.get("shipping_postal_code"),
            "service_location_gps": (float(fake.longitude()), float(fake.latitude())),
            "checked_in_datetime": checkin, "checked_out_datetime": checkout, "actual_duration_minutes": actual,
            "travel_time_minutes": rng.randint(15, 120) if done else None, "travel_distance_km": money(rng.uniform(5, 150)) if done else None,
            "work_performed": "Diagnosed and repaired the reported issue" if done else None, "parts_used": None,
            "equipment_serial_number": asset.get("serial_number") if asset else None, "asset_id": asset["asset_id"] if asset else None,
            "customer_signature_url": f"https://files.genims.local/service/signatures/FS{i + 1:07d}.png" if done else None,
            "customer_signature_datetime": checkout, "follow_up_required": False, "follow_up_appointment_id": None,
            "labor_charges": labor if done else None, "parts_charges": parts_c if done else None, "travel_charges": travel if done else None,
            "total_charges": labor + parts_c + travel if done else None, "notes": None,
            "created_at": t["first_response_datetime"], "updated_at": checkout or t["first_response_datetime"],
        })
        if checkout and checkout > now:  # never after as_of
            appts[-1]["appointment_status"] = "scheduled"
            for col in ("checked_in_datetime", "checked_out_datetime", "actual_duration_minutes", "customer_signature_datetime",
                        "customer_signature_url", "work_performed", "labor_charges", "parts_charges", "travel_charges", "total_charges",
                        "travel_time_minutes", "travel_distance_km"):
                appts[-1][col] = None
            appts[-1]["updated_at"] = t["first_response_datetime"]
    for tch in techs:
        tch["total_jobs_completed"] = sum(1 for a in appts if a["assigned_technician_id"] == tch["technician_id"] and a["appointment_status"] == "completed")
        tch["avg_job_rating"] = money(Decimal(rng.uniform(3.8, 4.9))) if tch["total_jobs_completed"] else None

    # -- service parts + usage -------------------------------------------------------------------
    parts = []
    part_mats = [m for m in materials if (m.get("material_type") or "").upper() not in ("FERT", "FINISHED", "FG")] or materials
    for i in range(100):
        m = part_mats[i % len(part_mats)] if part_mats else {}
        cost = q(dec(m.get("standard_cost"), str(rng.randint(5, 400))))
        stock = Decimal(rng.randint(0, 300))
        parts.append({
            "service_part_id": ctx.key("SPART", i + 1), "part_number": f"SP-{i + 1:05d}", "part_name": (m.get("material_name") or f"Service part {i + 1}")[:200],
            "part_category": rng.choice(["mechanical", "electrical", "consumable", "kit"]), "part_type": rng.choice(["spare", "consumable"]),
            "description": None, "manufacturer": "GenIMS", "manufacturer_part_number": m.get("material_code"),
            "compatible_products": None, "compatible_models": None, "unit_of_measure": m.get("base_unit_of_measure") or "EA",
            "current_stock": q(stock), "min_stock_level": q(10), "reorder_point": q(25), "warehouse_locations": "SVC-01",
            "stock_allocated_to_technicians": q(rng.randint(0, 10)), "standard_cost": cost, "service_price": q(cost * Decimal("1.6")),
            "annual_usage_quantity": q(rng.randint(5, 400)), "last_used_date": None, "is_obsolete": False,
            "replacement_part_id": None, "is_active": True, "created_at": setup, "updated_at": setup,
        })
    usage = []
    done_appts = [a for a in appts if a["appointment_status"] == "completed"]
    claim_by_ticket = {c["ticket_id"]: c for c in claims}
    for a in done_appts:
        for _ in range(rng.randint(1, 3)):
            p = rng.choice(parts)
            qty = Decimal(rng.randint(1, 4))
            when = as_date(a["checked_out_datetime"])
            claim = claim_by_ticket.get(a["ticket_id"])
            usage.append({
                "usage_id": ctx.key("SPU", len(usage) + 1), "service_part_id": p["service_part_id"], "quantity_used": q(qty),
                "unit_of_measure": p["unit_of_measure"], "unit_cost": p["standard_cost"], "total_cost": money(qty * p["standard_cost"]),
                "usage_type": "warranty" if claim else "billable", "ticket_id": a["ticket_id"], "appointment_id": a["appointment_id"],
                "warranty_claim_id": claim["claim_id"] if claim else None, "used_by_technician_id": a["assigned_technician_id"],
                "usage_date": when, "created_at": a["checked_out_datetime"],
            })
            p["last_used_date"] = max(p["last_used_date"] or when, when)
            p["updated_at"] = max(p["updated_at"], a["checked_out_datetime"])

    # -- surveys, responses, feedback ------------------------------------------------------------
    surveys = [{
        "survey_id": ctx.key("SRV", i + 1), "survey_code": code, "survey_name": name, "survey_type": stype, "trigger_event": trig,
        "questions": "How satisfied are you?;How likely are you to recommend us?;How easy was it?", "survey_status": "active",
        "is_active": True, "created_at": setup,
    } for i, (code, name, stype, trig) in enumerate([
        ("CSAT-TKT", "Ticket satisfaction", "csat", "ticket_closed"), ("NPS-Q", "Quarterly NPS", "nps", "quarterly"),
        ("CSAT-FS", "Field service satisfaction", "csat", "appointment_completed")])]
    responses = []
    for t in tickets:
        if t["csat_rating"] and t["csat_survey_sent_datetime"]:
            when = clamp(t["csat_survey_sent_datetime"] + dt.timedelta(hours=rng.randint(1, 72)), now)
            c = t["csat_rating"]
            responses.append({
                "response_id": ctx.key("SRESP", len(responses) + 1), "survey_id": surveys[0]["survey_id"], "account_id": t["account_id"],
                "contact_id": t["contact_id"], "ticket_id": t["ticket_id"], "appointment_id": None, "csat_rating": c,
                "nps_score": min(10, c * 2 + rng.randint(-1, 0)), "ces_score": rng.randint(1, 7), "responses": None,
                "general_feedback": None, "sentiment": "positive" if c >= 4 else "neutral" if c == 3 else "negative",
                "sentiment_score": money(Decimal(c - 3) / 2), "responded_at": when, "created_at": when,
            })
    for a in done_appts:
        if rng.random() < 0.5:
            when = clamp(a["checked_out_datetime"] + dt.timedelta(hours=rng.randint(2, 48)), now)
            c = rng.choices([2, 3, 4, 5], [1, 2, 5, 6])[0]
            responses.append({
                "response_id": ctx.key("SRESP", len(responses) + 1), "survey_id": surveys[2]["survey_id"], "account_id": a["account_id"],
                "contact_id": a["contact_id"], "ticket_id": a["ticket_id"], "appointment_id": a["appointment_id"], "csat_rating": c,
                "nps_score": None, "ces_score": None, "responses": None, "general_feedback": None,
                "sentiment": "positive" if c >= 4 else "neutral" if c == 3 else "negative", "sentiment_score": money(Decimal(c - 3) / 2),
                "responded_at": when, "created_at": when,
            })
    for _ in range(ctx.scaled(60, 3)):
        acc = rng.choice(accounts)
        cl = contacts_by_acc[acc["account_id"]]
        when = between(rng, now - dt.timedelta(days=90), now - dt.timedelta(hours=1))
        n = rng.randint(0, 10)
        responses.append({
            "response_id": ctx.key("SRESP", len(responses) + 1), "survey_id": surveys[1]["survey_id"], "account_id": acc["account_id"],
            "contact_id": rng.choice(cl)["contact_id"] if cl else None, "ticket_id": None, "appointment_id": None, "csat_rating": None,
            "nps_score": n, "ces_score": None, "responses": None, "general_feedback": None,
            "sentiment": "positive" if n >= 9 else "neutral" if n >= 7 else "negative", "sentiment_score": money(Decimal(n - 5) / 5),
            "responded_at": when, "created_at": when,
        })
    feedback = []
    for i in range(ctx.scaled(120, 5)):
        t = rng.choice(tickets)
        when = between(rng, t["created_at"], now)
        rating = rng.randint(1, 5)
        answered = rng.random() < 0.7 and when < now - dt.timedelta(hours=6)
        feedback.append({
            "feedback_id": ctx.key("FDBK", i + 1), "account_id": t["account_id"], "contact_id": t["contact_id"],
            "feedback_type": rng.choice(["compliment", "complaint", "suggestion"]), "ticket_id": t["ticket_id"],
            "product_name": t["related_product"], "subject": rng.choice(["Support experience", "Product quality", "Delivery performance"]),
            "feedback_text": fake.sentence(nb_words=16), "overall_rating": rating, "feedback_status": "responded" if answered else "new",
            "response_text": "Thank you for the feedback." if answered else None,
            "responded_by": rng.choice(agents)["agent_id"] if answered and agents else None,
            "responded_at": clamp(when + dt.timedelta(hours=rng.randint(1, 6)), now) if answered else None,
            "sentiment": "positive" if rating >= 4 else "neutral" if rating == 3 else "negative", "created_at": when,
        })

    # -- daily metrics (from the tickets) -------------------------------------------------------
    metrics = []
    for back in range(90, 0, -1):
        day = today - dt.timedelta(days=back)
        d0, d1 = as_dt(day).replace(hour=0), as_dt(day).replace(hour=0) + dt.timedelta(days=1)
        created = [t for t in tickets if d0 <= t["created_at"] < d1]
        resolved = [t for t in tickets if t["resolved_datetime"] and d0 <= t["resolved_datetime"] < d1]
        closed = [t for t in tickets if t["closed_datetime"] and d0 <= t["closed_datetime"] < d1]
        backlog = sum(1 for t in tickets if t["created_at"] < d1 and (t["resolved_datetime"] is None or t["resolved_datetime"] >= d1))
        resp = [t for t in created if t["first_response_time_minutes"] is not None]
        rb = sum(1 for t in created if t["response_sla_breached"])
        sb = sum(1 for t in resolved if t["resolution_sla_breached"])
        cs = [t["csat_rating"] for t in closed if t["csat_rating"]]
        fcr = sum(1 for t in resolved if t["escalation_level"] == 0)
        metrics.append({
            "metric_id": ctx.key("SMD", len(metrics) + 1), "metric_date": day, "tickets_created": len(created),
            "tickets_resolved": len(resolved), "tickets_closed": len(closed), "tickets_reopened": 0, "backlog_count": backlog,
            "avg_first_response_time_minutes": int(sum(t["first_response_time_minutes"] for t in resp) / len(resp)) if resp else None,
            "response_sla_met_count": len(created) - rb, "response_sla_breached_count": rb,
            "response_sla_compliance_pct": money(Decimal(100 * (len(created) - rb)) / len(created)) if created else None,
            "avg_resolution_time_minutes": int(sum(t["resolution_time_minutes"] for t in resolved) / len(resolved)) if resolved else None,
            "resolution_sla_met_count": len(resolved) - sb, "resolution_sla_breached_count": sb,
            "resolution_sla_compliance_pct": money(Decimal(100 * (len(resolved) - sb)) / len(resolved)) if resolved else None,
            "fcr_count": fcr, "fcr_rate_pct": money(Decimal(100 * fcr) / len(resolved)) if resolved else None,
            "csat_responses_count": len(cs), "avg_csat_rating": money(Decimal(sum(cs)) / len(cs)) if cs else None,
            "csat_5_count": sum(1 for c in cs if c == 5), "csat_1_2_count": sum(1 for c in cs if c <= 2),
            "phone_tickets": sum(1 for t in created if t["channel"] == "phone"), "email_tickets": sum(1 for t in created if t["channel"] == "email"),
            "chat_tickets": sum(1 for t in created if t["channel"] == "chat"), "portal_tickets": sum(1 for t in created if t["channel"] == "portal"),
            "critical_tickets": sum(1 for t in created if t["priority"] == "critical"), "high_tickets": sum(1 for t in created if t["priority"] == "high"),
            "medium_tickets": sum(1 for t in created if t["priority"] == "medium"), "low_tickets": sum(1 for t in created if t["priority"] == "low"),
            "created_at": d1 if d1 <= now else now,
        })

    # -- portal users (real scrypt hashes of random passwords) ----------------------------------
    portal_contacts = contacts[:60]
    hashes = scrypt_hashes(ctx.rng("service:passwords"), len(portal_contacts))
    portal_users = []
    for i, (c, (pw_hash, salt)) in enumerate(zip(portal_contacts, hashes, strict=True)):
        created = max(c["created_at"], now - dt.timedelta(days=400))
        logins = rng.randint(0, 80)
        verified = logins > 0 or rng.random() < 0.5
        portal_users.append({
            "portal_user_id": ctx.key("PUSR", i + 1), "account_id": c["account_id"], "contact_id": c["contact_id"],
            "username": (c["email"] or f"user{i + 1}").split("@")[0][:100], "email": c["email"], "password_hash": pw_hash,
            "password_salt": salt, "user_status": "active" if verified else "pending_verification",
            "last_login_datetime": between(rng, created, now) if logins else None, "login_count": logins,
            "email_verified": verified, "verification_token": None if verified else token(rng),
            "created_at": created, "updated_at": created,
        })

    # -- integration log -------------------------------------------------------------------------
    events = []
    for t in tickets:
        events.append(("inbound", "service_ticket", t["ticket_id"], t["created_at"], {"channel": t["channel"], "account_id": t["account_id"]}))
        if t["ticket_id"] in quality_tickets and t["first_response_datetime"]:
            events.append(("outbound", "quality_issue", t["ticket_id"], t["first_response_datetime"], {"category": t["category"]}))
        if t["closed_datetime"]:
            events.append(("outbound", "crm_case_update", t["ticket_id"], t["closed_datetime"], {"status": "closed"}))
    for r in rmas:
        events.append(("outbound", "rma", r["rma_id"], r["created_at"], {"sales_order_id": r["sales_order_id"]}))
    for w in warranties:
        events.append(("inbound", "warranty_registration", w["warranty_id"], w["created_at"], {"sales_order_id": w["sales_order_id"]}))
    events.sort(key=lambda e: e[3])
    log = []
    for i, (direction, doc_type, doc_id, when, data) in enumerate(events):
        failed = rng.random() < 0.02
        log.append({
            "log_id": ctx.key("SVCLOG", i + 1), "log_timestamp": when, "integration_direction": direction,
            "document_type": doc_type, "document_id": doc_id, "integration_status": "failed" if failed else "success",
            "error_message": "Downstream timeout" if failed else None, "integration_data": data,
            "retry_count": 1 if failed else 0, "last_retry_at": clamp(when + dt.timedelta(minutes=5), now) if failed else None,
        })

    ctx.shared["quality_tickets"] = quality_tickets
    return {
        "sla_definitions": slas, "service_teams": teams, "service_agents": agents, "service_queues": queues,
        "resolution_codes": res_codes, "escalation_rules": escalation_rules, "kb_categories": kb_cats,
        "kb_articles": articles, "kb_article_ratings": ratings, "service_tickets": tickets, "ticket_comments": comments,
        "ticket_attachments": attachments, "ticket_escalations": escalations, "warranty_registrations": warranties,
        "warranty_claims": claims, "rma_requests": rmas, "rma_line_items": rma_lines, "field_technicians": techs,
        "field_service_appointments": appts, "service_parts": parts, "service_parts_usage": usage,
        "customer_surveys": surveys, "survey_responses": responses, "customer_feedback": feedback,
        "service_metrics_daily": metrics, "portal_users": portal_users, "service_integration_log": log,
    }
