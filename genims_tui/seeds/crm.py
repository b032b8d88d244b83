"""genims_crm_db: territories, reps, accounts (one per master customer), contacts, leads, campaigns,
opportunities (the won ones converted into real ERP sales orders), quotations, activities, tasks,
cases, contracts, forecasts, interactions, notes and the CRM integration log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from ._bizutil import D0, as_date, as_dt, at as _at, between, clamp, dec, money, q
from .framework import SeedContext

DATABASE = "genims_crm_db"
DEPENDS = ("genims_master_db", "genims_erp_db")
LAPSED_QUOTES_LEFT = 2  # open quotes past their validity that quote_expiry has not reached yet

TERRITORIES = [
    ("NA-EAST", "North America East", "USA,Canada", "NY,NJ,MA,PA,ON"),
    ("NA-WEST", "North America West", "USA,Mexico", "CA,WA,OR,TX"),
    ("EMEA", "Europe, Middle East and Africa", "Germany,France,UK,Italy,UAE", ""),
    ("APAC", "Asia Pacific", "India,China,Japan,Singapore,Australia", ""),
    ("LATAM", "Latin America", "Brazil,Argentina,Chile,Colombia", ""),
]
STAGES = [  # (stage, probability, forecast category)
    ("prospecting", 10, "pipeline"),
    ("qualification", 20, "pipeline"),
    ("needs_analysis", 35, "pipeline"),
    ("proposal", 55, "best_case"),
    ("negotiation", 75, "commit"),
]
INDUSTRIES = ["Automotive", "Aerospace", "Industrial Equipment", "Electronics", "Energy", "Medical Devices"]
LEAD_SOURCES = ["website", "trade_show", "referral", "cold_call", "email_campaign", "webinar", "partner"]
COMPETITORS = ["Bosch", "Continental", "Denso", "Magna", "ZF", "Valeo", "Aptiv"]


def _territory_for(country: str | None, i: int) -> int:
    c = (country or "").lower()
    if c in ("usa", "united states", "us", "canada"):
        return i % 2
    if c in ("mexico",):
        return 1
    if c in ("germany", "france", "uk", "united kingdom", "italy", "spain", "uae", "netherlands", "poland"):
        return 2
    if c in ("india", "china", "japan", "singapore", "australia", "korea", "south korea", "thailand"):
        return 3
    if c in ("brazil", "argentina", "chile", "colombia"):
        return 4
    return i % 5


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    rng = ctx.rng("crm")
    fake = ctx.faker("crm")
    now = ctx.as_of

    def at(day, r, *hours):  # a working-hours moment on `day`, never after as_of
        return clamp(_at(day, r, *hours), now)

    today = ctx.today
    customers = ctx.rows("genims_master_db", "customers")
    employees = ctx.rows("genims_master_db", "employees")
    products = ctx.rows("genims_master_db", "products")
    materials = ctx.rows("genims_erp_db", "materials")
    sales_orders = ctx.rows("genims_erp_db", "sales_orders")
    so_lines = ctx.rows("genims_erp_db", "sales_order_lines")

    sellable = [m for m in materials if (m.get("material_type") or "").upper() in ("FERT", "FINISHED", "FINISHED_GOOD", "FINISHED_GOODS", "FG", "PRODUCT")]
    if not sellable:
        sellable = [m for m in materials if m.get("product_id")] or materials
    lines_by_so: dict[str, list[dict]] = defaultdict(list)
    for ln in so_lines:
        lines_by_so[ln["sales_order_id"]].append(ln)

    out: dict[str, list[dict]] = {}
    start = now - dt.timedelta(days=365)

    # -- territories and reps --------------------------------------------------------------------
    rep_emps = [e for e in employees if e.get("role") == "sales_rep"]
    extra = [e for e in employees if e.get("role") == "manager" and e not in rep_emps]
    rep_emps = (rep_emps + extra + [e for e in employees if e not in rep_emps and e not in extra])[:15]
    territories = []
    for i, (code, name, countries, states) in enumerate(TERRITORIES):
        territories.append({
            "territory_id": ctx.key("TER", i + 1), "territory_code": code, "territory_name": name,
            "countries": countries, "states": states or None, "cities": None,
            "industries": ",".join(rng.sample(INDUSTRIES, 3)), "account_tiers": "strategic,key,standard",
            "company_size": "enterprise,mid_market", "territory_quota": money(rng.randint(8, 20) * 500_000),
            "territory_manager": None, "is_active": True, "created_at": start - dt.timedelta(days=400),
        })
    reps = []
    for i, e in enumerate(rep_emps):
        t = i % len(territories)
        manager = i < len(territories)
        quota = money(rng.randint(18, 40) * 50_000 * (2 if manager else 1))
        hire = as_date(e.get("hire_date")) or (today - dt.timedelta(days=rng.randint(400, 3000)))
        reps.append({
            "sales_rep_id": ctx.key("REP", i + 1), "employee_id": e["employee_id"],
            "rep_code": f"SR{i + 1:03d}", "first_name": e.get("first_name"), "last_name": e.get("last_name"),
            "email": e.get("email"), "phone": e.get("phone"), "mobile": fake.phone_number()[:50],
            "sales_role": "regional_manager" if manager else rng.choice(["account_executive", "inside_sales", "key_account_manager"]),
            "job_title": "Regional Sales Manager" if manager else "Account Executive",
            "territory_id": territories[t]["territory_id"],
            "manager_id": None if manager else ctx.key("REP", t + 1),
            "annual_quota": quota, "quarterly_quota": money(quota / 4), "ytd_revenue": D0, "ytd_deals_closed": 0,
            "win_rate_pct": D0, "avg_deal_size": D0, "rep_status": "active", "hire_date": hire,
            "is_active": True, "created_at": as_dt(hire), "updated_at": now - dt.timedelta(days=1),
        })
        if manager:
            territories[t]["territory_manager"] = reps[-1]["sales_rep_id"]
    rep_ids = [r["sales_rep_id"] for r in reps]
    reps_by_territory: dict[str, list[str]] = defaultdict(list)
    for r in reps:
        reps_by_territory[r["territory_id"]].append(r["sales_rep_id"])

    # -- accounts --------------------------------------------------------------------------------
    accounts = []
    acc_by_customer: dict[str, dict] = {}
    last_order: dict[str, dt.date] = {}
    revenue_by_customer: dict[str, Decimal] = defaultdict(lambda: D0)
    for so in sales_orders:
        d = as_date(so.get("order_date"))
        if d and (so["customer_id"] not in last_order or d > last_order[so["customer_id"]]):
            last_order[so["customer_id"]] = d
        revenue_by_customer[so["customer_id"]] += dec(so.get("total_value"))
    for i, c in enumerate(customers):
        t = territories[_territory_for(c.get("country"), i)]
        owner = rng.choice(reps_by_territory[t["territory_id"]] or rep_ids)
        since = as_date(c.get("created_at")) or (today - dt.timedelta(days=rng.randint(400, 3000)))
        since = min(since, today - dt.timedelta(days=30))
        vol = int(c.get("annual_volume_estimate") or rng.randint(10_000, 500_000))
        ytd = money(revenue_by_customer[c["customer_id"]])
        tier = "strategic" if vol > 300_000 else ("key" if vol > 100_000 else "standard")
        city, state = fake.city(), fake.state_abbr()
        street = fake.street_address()
        health = rng.randint(45, 98)
        acc = {
            "account_id": ctx.key("ACC", i + 1), "account_number": f"A{i + 1:06d}", "customer_id": c["customer_id"],
            "account_name": c.get("customer_name") or fake.company(), "account_type": "customer",
            "industry": rng.choice(INDUSTRIES), "industry_segment": c.get("industry_segment"),
            "account_tier": tier, "company_size": rng.choice(["enterprise", "mid_market", "large_enterprise"]),
            "annual_revenue": money(rng.randint(50, 5000) * 1_000_000), "employee_count": rng.randint(200, 60_000),
            "credit_limit": money(rng.randint(5, 100) * 50_000), "payment_terms": f"NET{c.get('payment_terms_days') or 30}",
            "parent_account_id": None,
            "billing_address_line1": street, "billing_address_line2": None, "billing_city": city, "billing_state": state,
            "billing_country": c.get("country") or "USA", "billing_postal_code": fake.postcode(),
            "shipping_address_line1": street, "shipping_address_line2": None, "shipping_city": city,
            "shipping_state": state, "shipping_country": c.get("country") or "USA", "shipping_postal_code": fake.postcode(),
            "phone": fake.phone_number()[:50], "fax": None, "website": f"https://www.{fake.domain_name()}",
            "account_owner": owner, "account_manager": rng.choice(reps_by_territory[t["territory_id"]] or rep_ids),
            "relationship_status": "active" if (c.get("status") or "active") == "active" else "inactive",
            "customer_since": since, "last_purchase_date": last_order.get(c["customer_id"]),
            "lifetime_value": money(ytd * rng.randint(3, 12) + rng.randint(100_000, 2_000_000)),
            "ytd_revenue": ytd, "last_year_revenue": money(rng.randint(200_000, 5_000_000)),
            "health_score": health, "churn_risk": "low" if health > 75 else ("medium" if health > 55 else "high"),
            "preferred_contact_method": rng.choice(["email", "phone", "meeting"]),
            "communication_frequency": rng.choice(["weekly", "biweekly", "monthly"]),
            "linkedin_url": None, "twitter_handle": None, "description": f"{tier.title()} account in {t['territory_name']}",
            "notes": None, "is_active": True, "created_by": "crm_sync", "created_at": as_dt(since),
            "updated_at": now - dt.timedelta(days=rng.randint(0, 20)),
        }
        accounts.append(acc)
        acc_by_customer[c["customer_id"]] = acc
    for acc in accounts[3:]:
        if rng.random() < 0.12:
            parent = rng.choice(accounts[:3])
            if parent is not acc:
                acc["parent_account_id"] = parent["account_id"]

    # -- contacts --------------------------------------------------------------------------------
    contacts = []
    contacts_by_acc: dict[str, list[dict]] = defaultdict(list)
    per = 4 if len(accounts) <= 12 else (2 if len(accounts) <= 40 else 1)
    roles = [("purchasing", "Purchasing Manager", "decision_maker"), ("engineering", "Engineering Lead", "influencer"),
             ("quality", "Quality Manager", "influencer"), ("finance", "Finance Controller", "approver"),
             ("operations", "Operations Director", "decision_maker")]
    n = 0
    for acc in accounts:
        for k in range(rng.randint(max(1, per - 1), per + 1)):
            n += 1
            dept, title, authority = roles[k % len(roles)]
            first, last = fake.first_name(), fake.last_name()
            created = between(rng, acc["created_at"], now - dt.timedelta(days=20))
            ct = {
                "contact_id": ctx.key("CON", n), "contact_number": f"C{n:06d}", "account_id": acc["account_id"],
                "salutation": rng.choice(["Mr.", "Ms.", "Dr."]), "first_name": first, "last_name": last,
                "middle_name": None, "job_title": title, "department": dept, "contact_role": dept,
                "decision_authority": authority,
                "email": f"{first.lower()}.{last.lower()}@{acc['website'].split('www.')[-1]}"[:100],
                "email_opted_out": rng.random() < 0.05, "phone": fake.phone_number()[:50], "mobile": fake.phone_number()[:50],
                "reports_to_contact_id": contacts_by_acc[acc["account_id"]][0]["contact_id"] if k else None,
                "mailing_address_line1": acc["billing_address_line1"], "mailing_city": acc["billing_city"],
                "mailing_state": acc["billing_state"], "mailing_country": acc["billing_country"],
                "mailing_postal_code": acc["billing_postal_code"], "linkedin_url": None, "twitter_handle": None,
                "relationship_strength": rng.choice(["strong", "moderate", "weak"]),
                "last_contact_date": between(rng, now - dt.timedelta(days=60), now - dt.timedelta(hours=2)),
                "contact_frequency": rng.randint(1, 8), "preferred_contact_method": rng.choice(["email", "phone"]),
                "best_time_to_contact": rng.choice(["morning", "afternoon"]),
                "birthday": dt.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                "interests": None, "notes": None, "contact_status": "active", "is_primary": k == 0,
                "created_by": "crm_sync", "created_at": created, "updated_at": created + dt.timedelta(days=rng.randint(0, 15)),
            }
            contacts.append(ct)
            contacts_by_acc[acc["account_id"]].append(ct)
    acc_by_id = {a["account_id"]: a for a in accounts}

    def contact_of(acc_id: str) -> dict:
        return rng.choice(contacts_by_acc[acc_id])

    # -- campaigns -------------------------------------------------------------------------------
    campaigns = []
    ctypes = ["trade_show", "webinar", "email", "content", "event", "digital"]
    for i in range(6):
        s = today - dt.timedelta(days=330 - i * 55)
        e = s + dt.timedelta(days=rng.randint(30, 90))
        status = "completed" if e < today else "active"
        budget = money(rng.randint(10, 80) * 1000)
        campaigns.append({
            "campaign_id": ctx.key("CMP", i + 1), "campaign_code": f"CMP{2026 if s.year == 2026 else 2025}-{i + 1:02d}",
            "campaign_name": f"{rng.choice(INDUSTRIES)} {ctypes[i].replace('_', ' ').title()} {s.year}",
            "campaign_type": ctypes[i], "campaign_status": status, "start_date": s, "end_date": e,
            "target_audience": "Manufacturing decision makers", "target_industry": rng.choice(INDUSTRIES),
            "target_company_size": "enterprise", "expected_response_pct": money(rng.uniform(2, 12)),
            "budgeted_cost": budget, "actual_cost": money(budget * Decimal(str(rng.uniform(0.6, 1.05))) if status == "completed" else budget * Decimal("0.5")),
            "total_leads": 0, "qualified_leads": 0, "opportunities_created": 0, "deals_won": 0, "total_revenue": D0,
            "roi_pct": D0, "cost_per_lead": D0, "conversion_rate_pct": D0,
            "description": "Demand generation campaign", "objectives": "Generate qualified pipeline",
            "campaign_owner": rng.choice(rep_ids), "is_active": status == "active",
            "created_at": as_dt(s) - dt.timedelta(days=14), "updated_at": min(now, as_dt(e)),
        })

    # -- leads + activities ---------------------------------------------------------------------
    leads, lead_acts = [], []
    n_leads = ctx.scaled(100, 8)
    for i in range(n_leads):
        created = between(rng, start, now - dt.timedelta(days=1))
        camp = rng.choice(campaigns) if rng.random() < 0.6 else None
        if camp and as_dt(camp["start_date"]) > created:
            camp = None
        score = rng.randint(5, 98)
        status = rng.choices(["new", "contacted", "qualified", "unqualified", "converted"], [15, 25, 25, 15, 20])[0]
        if created > now - dt.timedelta(days=5):
            status = "new"
        first, last = fake.first_name(), fake.last_name()
        company = fake.company()
        rep = rng.choice(rep_ids)
        n_act = {"new": 0, "contacted": rng.randint(1, 3), "qualified": rng.randint(2, 4), "unqualified": rng.randint(1, 3), "converted": rng.randint(3, 5)}[status]
        acts_at = sorted(between(rng, created, now) for _ in range(n_act))
        lead = {
            "lead_id": ctx.key("LEAD", i + 1), "lead_number": f"L{i + 1:06d}", "company_name": company[:200],
            "lead_source": "campaign" if camp else rng.choice(LEAD_SOURCES),
            "source_campaign_id": camp["campaign_id"] if camp else None,
            "contact_first_name": first, "contact_last_name": last, "contact_title": fake.job()[:100],
            "email": f"{first.lower()}.{last.lower()}@example.com", "phone": fake.phone_number()[:50], "mobile": None,
            "industry": rng.choice(INDUSTRIES), "company_size": rng.choice(["small", "mid_market", "enterprise"]),
            "annual_revenue_range": rng.choice(["1M-10M", "10M-100M", "100M-1B", "1B+"]),
            "number_of_employees": rng.randint(20, 20000), "address_line1": fake.street_address(), "address_line2": None,
            "city": fake.city(), "state": fake.state_abbr(), "country": "USA", "postal_code": fake.postcode(),
            "lead_score": score, "lead_grade": "A" if score > 80 else "B" if score > 60 else "C" if score > 40 else "D",
            "lead_status": status, "qualification_status": {"qualified": "qualified", "converted": "qualified", "unqualified": "disqualified"}.get(status, "pending"),
            "has_budget": rng.random() < 0.6, "is_decision_maker": rng.random() < 0.5,
            "has_identified_need": rng.random() < 0.7, "has_timeline": rng.random() < 0.5,
            "product_interest": rng.choice(products)["product_name"] if products else "Assemblies",
            "estimated_deal_value": money(rng.randint(20, 800) * 1000),
            "expected_close_date": as_date(created) + dt.timedelta(days=rng.randint(60, 200)),
            "assigned_to": rep, "assigned_date": created + dt.timedelta(hours=rng.randint(1, 48)) if created + dt.timedelta(hours=48) < now else created,
            "converted": False, "converted_date": None, "converted_to_account_id": None, "converted_to_opportunity_id": None,
            "first_contact_date": acts_at[0] if acts_at else None, "last_contact_date": acts_at[-1] if acts_at else None,
            "contact_attempts": n_act, "description": f"Inbound interest from {company}"[:500], "notes": None,
            "is_active": status not in ("unqualified", "converted"), "created_by": rep, "created_at": created,
            "updated_at": acts_at[-1] if acts_at else created,
        }
        leads.append(lead)
        for k, when in enumerate(acts_at):
            atype = rng.choice(["call", "email", "meeting", "demo"])
            lead_acts.append({
                "activity_id": ctx.key("LACT", len(lead_acts) + 1), "lead_id": lead["lead_id"], "activity_type": atype,
                "subject": f"{atype.title()} with {first} {last}", "description": "Discussed requirements and timeline",
                "activity_date": when, "duration_minutes": rng.choice([10, 15, 30, 45, 60]),
                "outcome": rng.choice(["positive", "neutral", "no_answer", "follow_up"]),
                "next_action": "Follow up" if k < n_act - 1 else None,
                "next_action_date": as_date(when) + dt.timedelta(days=7) if k < n_act - 1 else None,
                "performed_by": rep, "created_at": when,
            })

    # -- opportunities ---------------------------------------------------------------------------
    opps, stage_hist, opp_products, quotes, quote_lines = [], [], [], [], []
    n_opps = ctx.scaled(100, 8)
    # sales orders available for won opportunities (one opportunity per order)
    so_pool = [so for so in sales_orders if as_date(so.get("order_date")) and so["customer_id"] in acc_by_customer]
    rng.shuffle(so_pool)
    n_won = min(len(so_pool), int(n_opps * 0.3))
    n_lost = int(n_opps * 0.15)
    converted_leads = [ld for ld in leads if ld["lead_status"] == "converted"]
    q_n = 0
    open_quotes = 0
    for i in range(n_opps):
        oid = ctx.key("OPP", i + 1)
        so = so_pool[i] if i < n_won else None
        kind = "won" if so else ("lost" if i < n_won + n_lost else "open")
        if so:
            acc = acc_by_customer[so["customer_id"]]
            close = as_date(so["order_date"])
            created = max(acc["created_at"], as_dt(close) - dt.timedelta(days=rng.randint(20, 120)))
            created = min(created, as_dt(close) - dt.timedelta(days=2))
        else:
            acc = rng.choice(accounts)
            created = between(rng, max(start, acc["created_at"]), now - dt.timedelta(days=3))
            close = None
        contact = contact_of(acc["account_id"])
        lead = None
        if converted_leads and rng.random() < 0.4:
            cand = [ld for ld in converted_leads if ld["created_at"] < created and not ld["converted"]]
            if cand:
                lead = rng.choice(cand)
                lead["converted"] = True
                lead["converted_date"] = created
                lead["converted_to_account_id"] = acc["account_id"]
                lead["converted_to_opportunity_id"] = oid
                lead["updated_at"] = max(lead["updated_at"], created)
        # products / amount
        if so and lines_by_so.get(so["sales_order_id"]):
            src_lines = [(ln["material_id"], dec(ln.get("order_quantity"), "1"), dec(ln.get("unit_price"), "100")) for ln in lines_by_so[so["sales_order_id"]]]
        else:
            src_lines = []
            for _ in range(rng.randint(1, 3)):
                m = rng.choice(sellable)
                price = dec(m.get("standard_cost"), "50") * Decimal("1.35") or Decimal("100")
                src_lines.append((m["material_id"], Decimal(rng.randint(50, 2000)), q(price)))
        mats = {m["material_id"]: m for m in materials}
        amount = D0
        for ln_no, (mid, qty, price) in enumerate(src_lines, 1):
            disc = Decimal(rng.choice([0, 0, 2, 5, 8]))
            list_price = q(price / (1 - disc / 100)) if disc else q(price)
            total = money(qty * price)
            amount += total
            m = mats.get(mid, {})
            opp_products.append({
                "opp_product_id": ctx.key("OPPL", len(opp_products) + 1), "opportunity_id": oid, "line_number": ln_no,
                "material_id": mid, "product_name": (m.get("material_name") or mid)[:200], "product_description": None,
                "quantity": q(qty), "unit_of_measure": m.get("base_unit_of_measure") or "EA", "list_price": list_price,
                "discount_pct": money(disc), "unit_price": q(price), "line_total": total,
                "required_date": (close or as_date(created) + dt.timedelta(days=90)) + dt.timedelta(days=30),
                "created_at": created,
            })
        amount = money(amount) if amount > 0 else money(rng.randint(20, 500) * 1000)
        # stage path
        if kind == "open":
            reach = rng.randint(3, len(STAGES) - 1) if i % 2 == 0 else rng.randint(0, len(STAGES) - 1)
            final_stage, prob, fc = STAGES[reach]
        elif kind == "won":
            reach = len(STAGES) - 1
            final_stage, prob, fc = "closed_won", 100, "closed"
        else:
            reach = rng.randint(1, len(STAGES) - 1)
            final_stage, prob, fc = "closed_lost", 0, "omitted"
        end_time = as_dt(close) + dt.timedelta(hours=10) if close else (now if kind == "open" else between(rng, created + dt.timedelta(days=10), now))
        end_time = clamp(end_time, now)
        path = [s for s, _, _ in STAGES[: reach + 1]] + ([final_stage] if kind != "open" else [])
        moments = sorted(between(rng, created, end_time) for _ in range(len(path) - 1))
        prev_t, prev_stage, prev_p = created, None, None
        for k, stage in enumerate(path):
            t = created if k == 0 else moments[k - 1]
            p = dict((s, pp) for s, pp, _ in STAGES).get(stage, 100 if stage == "closed_won" else 0)
            stage_hist.append({
                "history_id": ctx.key("OSH", len(stage_hist) + 1), "opportunity_id": oid, "from_stage": prev_stage,
                "to_stage": stage, "from_amount": amount if prev_stage else None, "to_amount": amount,
                "from_probability": prev_p, "to_probability": p, "from_close_date": None, "to_close_date": None,
                "change_reason": "Created" if k == 0 else "Stage advanced",
                "stage_duration_days": (t - prev_t).days if k else 0, "changed_by": acc["account_owner"], "changed_at": t,
            })
            prev_t, prev_stage, prev_p = t, stage, p
        closed_at = moments[-1] if kind != "open" and moments else None
        exp_close = close or (as_date(now) + dt.timedelta(days=rng.randint(5, 120)) if kind == "open" else as_date(closed_at))
        opp = {
            "opportunity_id": oid, "opportunity_number": f"OP{i + 1:06d}",
            "opportunity_name": f"{acc['account_name']} - {rng.choice(['Annual supply', 'New program', 'Expansion', 'Retooling', 'Spare parts'])}"[:200],
            "account_id": acc["account_id"], "primary_contact_id": contact["contact_id"],
            "lead_source": lead["lead_source"] if lead else rng.choice(LEAD_SOURCES),
            "source_lead_id": lead["lead_id"] if lead else None,
            "source_campaign_id": lead["source_campaign_id"] if lead else None,
            "opportunity_type": rng.choice(["new_business", "existing_business", "renewal"]),
            "product_category": rng.choice(products)["product_category"] if products else "Assemblies",
            "solution_description": "Supply of manufactured assemblies", "amount": amount,
            "expected_revenue": money(amount * prob / 100), "cost_estimate": money(amount * Decimal("0.68")),
            "margin_pct": Decimal("32.00"), "stage": final_stage, "probability_pct": prob,
            "close_date": as_date(closed_at) if closed_at else None, "expected_close_date": exp_close,
            "actual_close_date": as_date(closed_at) if closed_at else None, "forecast_category": fc,
            "opportunity_owner": acc["account_owner"], "sales_team": acc["account_manager"],
            "competitors": ",".join(rng.sample(COMPETITORS, 2)), "competitive_position": rng.choice(["leader", "contender", "challenger"]),
            "decision_criteria": "Price, quality, delivery", "key_success_factors": "PPAP approval, capacity",
            "customer_requirements": None, "technical_requirements": None, "budget_confirmed": prob >= 55,
            "budget_amount": amount if prob >= 55 else None, "decision_maker_identified": prob >= 35,
            "customer_timeline": rng.choice(["this quarter", "next quarter", "6 months"]),
            "next_step": None if kind != "open" else rng.choice(["Send proposal", "Technical review", "Negotiate terms", "Site visit"]),
            "next_step_date": None if kind != "open" else today + dt.timedelta(days=rng.randint(1, 21)),
            "win_loss_status": {"won": "won", "lost": "lost"}.get(kind), "win_loss_reason": {"won": "Best total cost", "lost": rng.choice(["Price", "Lead time", "Incumbent supplier"])}.get(kind),
            "win_loss_notes": None, "lost_to_competitor": rng.choice(COMPETITORS) if kind == "lost" else None,
            "converted_to_quote_id": None, "converted_to_order_id": so["sales_order_id"] if so else None,
            "description": None, "notes": None, "is_active": kind == "open", "is_closed": kind != "open",
            "created_by": acc["account_owner"], "created_at": created, "updated_at": closed_at or prev_t,
            "closed_by": acc["account_owner"] if closed_at else None, "closed_at": closed_at,
        }
        opps.append(opp)
        # quotation for proposal+ opportunities
        if reach >= 3 or kind != "open":
            q_n += 1
            qdate = as_date(moments[min(3, len(moments) - 1)] if moments else created)
            if kind == "won":
                qdate = min(qdate, close - dt.timedelta(days=1))
                qdate = max(qdate, as_date(created))
            validity = 30
            status = {"won": "accepted", "lost": "rejected"}.get(kind, "sent")
            if kind == "open":
                # keep some quotes expiring soon (quote-expiry automation) and a few already expired
                open_quotes += 1
                r = rng.random() if open_quotes > 3 else (0.0 if open_quotes <= 2 else 0.4)
                if r < 0.35:
                    qdate = today - dt.timedelta(days=validity - rng.randint(1, 7))
                elif r < 0.5:
                    qdate = today - dt.timedelta(days=validity + rng.randint(1, 10))
                    status = "expired" if rng.random() < 0.5 else "sent"
                qdate = max(qdate, as_date(created))
            subtotal = amount
            disc = money(subtotal * Decimal("0.02")) if rng.random() < 0.3 else D0
            tax = money((subtotal - disc) * Decimal("0.08"))
            ship = money(rng.randint(2, 20) * 100)
            qid = ctx.key("QUO", q_n)
            qdt = at(qdate, rng)
            quotes.append({
                "quotation_id": qid, "quotation_number": f"Q{q_n:06d}", "quotation_name": f"Quote for {opp['opportunity_name']}"[:200],
                "opportunity_id": oid, "account_id": acc["account_id"], "contact_id": contact["contact_id"],
                "quotation_date": qdate, "valid_until_date": qdate + dt.timedelta(days=validity), "quotation_status": status,
                "subtotal": subtotal, "discount_amount": disc, "tax_amount": tax, "shipping_cost": ship,
                "total_amount": subtotal - disc + tax + ship, "currency": "USD", "payment_terms": acc["payment_terms"],
                "delivery_terms": "FCA factory", "warranty_terms": "12 months from delivery",
                "requires_approval": subtotal > 250_000, "approval_status": "approved",
                "approved_by": reps[0]["sales_rep_id"] if reps else None, "approved_at": qdt,
                "converted": kind == "won", "converted_date": close if kind == "won" else None,
                "converted_to_order_id": so["sales_order_id"] if so else None, "revision_number": 1,
                "parent_quotation_id": None, "special_terms": None, "notes": None,
                "document_url": f"https://docs.genims.local/crm/quotes/{qid}.pdf", "prepared_by": acc["account_owner"],
                "created_at": qdt, "updated_at": qdt if kind == "open" else max(qdt, closed_at or qdt),
            })
            opp["converted_to_quote_id"] = qid
            for op in [p for p in opp_products if p["opportunity_id"] == oid]:
                quote_lines.append({
                    "quote_line_id": ctx.key("QUOL", len(quote_lines) + 1), "quotation_id": qid,
                    "line_number": op["line_number"], "material_id": op["material_id"], "product_name": op["product_name"],
                    "product_description": None, "quantity": op["quantity"], "unit_of_measure": op["unit_of_measure"],
                    "list_price": op["list_price"], "discount_pct": op["discount_pct"], "unit_price": op["unit_price"],
                    "line_total": op["line_total"], "delivery_lead_time_days": rng.choice([14, 21, 28, 42]), "created_at": qdt,
                })
    # a few open quotes are past their validity and still 'sent': the quote_expiry automation's next
    # cycle (README, "The last cycle is left undone"). The oldest open ones lapse, a day or more ago,
    # those expiring within the week last (one of them stays, expiring soon).
    lapsed = [qt for qt in quotes if qt["quotation_status"] in ("draft", "sent") and not qt["converted"]
              and qt["valid_until_date"] < today]
    current = sorted((qt for qt in quotes if qt["quotation_status"] in ("draft", "sent") and not qt["converted"]
                      and qt["valid_until_date"] >= today and qt["quotation_date"] <= today - dt.timedelta(days=2)),
                     key=lambda qt: (qt["quotation_date"], qt["quotation_id"]))
    soon = [qt for qt in current if qt["valid_until_date"] <= today + dt.timedelta(days=7)]
    current = [qt for qt in current if qt not in soon] + soon[1:]
    for k, qt in enumerate(current[:max(0, LAPSED_QUOTES_LEFT - len(lapsed))]):
        qt["valid_until_date"] = max(qt["quotation_date"] + dt.timedelta(days=1), today - dt.timedelta(days=1 + k))
    # converted leads that no opportunity took stay qualified, in the pipeline
    for ld in leads:
        if ld["lead_status"] == "converted" and not ld["converted"]:
            ld["lead_status"], ld["is_active"] = "qualified", True
    # rep statistics
    for r in reps:
        mine = [o for o in opps if o["opportunity_owner"] == r["sales_rep_id"]]
        won = [o for o in mine if o["stage"] == "closed_won"]
        closed = [o for o in mine if o["is_closed"]]
        r["ytd_deals_closed"] = len(won)
        r["ytd_revenue"] = money(sum((o["amount"] for o in won if o["close_date"].year == today.year), D0))
        r["win_rate_pct"] = money(Decimal(100 * len(won)) / len(closed)) if closed else D0
        r["avg_deal_size"] = money(sum((o["amount"] for o in won), D0) / len(won)) if won else D0

    # -- campaign members + campaign stats -------------------------------------------------------
    members = []
    for camp in campaigns:
        camp_leads = [ld for ld in leads if ld["source_campaign_id"] == camp["campaign_id"]]
        for ld in camp_leads:
            members.append((camp, "lead", ld, None, ld["created_at"]))
        pool = rng.sample(contacts, min(len(contacts), max(1, ctx.scaled(30, 3))))
        for ct in pool:
            members.append((camp, "contact", None, ct, max(ct["created_at"], as_dt(camp["start_date"]))))
    member_rows = []
    for camp, mtype, ld, ct, added in members:
        added = clamp(added, now)
        responded = rng.random() < 0.35 or mtype == "lead"
        member_rows.append({
            "member_id": ctx.key("CMM", len(member_rows) + 1), "campaign_id": camp["campaign_id"], "member_type": mtype,
            "lead_id": ld["lead_id"] if ld else None, "contact_id": ct["contact_id"] if ct else None,
            "member_status": "responded" if responded else rng.choice(["sent", "opened"]), "has_responded": responded,
            "response_date": clamp(added + dt.timedelta(days=rng.randint(0, 10)), now) if responded else None,
            "lead_created": mtype == "lead", "opportunity_created": bool(ld and ld["converted_to_opportunity_id"]),
            "created_at": added,
        })
    for camp in campaigns:
        cl = [ld for ld in leads if ld["source_campaign_id"] == camp["campaign_id"]]
        camp["total_leads"] = len(cl)
        camp["qualified_leads"] = sum(1 for ld in cl if ld["lead_status"] in ("qualified", "converted"))
        co = [o for o in opps if o["source_campaign_id"] == camp["campaign_id"]]
        camp["opportunities_created"] = len(co)
        camp["deals_won"] = sum(1 for o in co if o["stage"] == "closed_won")
        camp["total_revenue"] = money(sum((o["amount"] for o in co if o["stage"] == "closed_won"), D0))
        cost = camp["actual_cost"] or Decimal(1)
        camp["roi_pct"] = money(min(Decimal("999999"), (camp["total_revenue"] - cost) / cost * 100))
        camp["cost_per_lead"] = money(cost / len(cl)) if cl else D0
        camp["conversion_rate_pct"] = money(Decimal(100 * camp["opportunities_created"]) / len(cl)) if cl else D0

    # -- cases + comments ------------------------------------------------------------------------
    cases, case_comments = [], []
    so_by_customer: dict[str, list[dict]] = defaultdict(list)
    for so in sales_orders:
        so_by_customer[so["customer_id"]].append(so)
    sla = {"critical": (2, 24), "high": (4, 48), "medium": (8, 72), "low": (24, 120)}
    for i in range(ctx.scaled(50, 5)):
        acc = rng.choice(accounts)
        created = between(rng, now - dt.timedelta(days=120), now - dt.timedelta(hours=3))
        prio = rng.choices(list(sla), [1, 3, 5, 3])[0]
        rh, sh = sla[prio]
        resolved = created + dt.timedelta(hours=rng.uniform(1, sh * 1.4))
        is_resolved = resolved < now - dt.timedelta(hours=1) and rng.random() < 0.8
        first_resp = created + dt.timedelta(hours=rng.uniform(0.2, rh * 1.3))
        first_resp = first_resp if first_resp < now else None
        orders = [so for so in so_by_customer.get(acc["customer_id"], []) if as_dt(so["order_date"]) < created]
        closed = resolved + dt.timedelta(days=rng.randint(1, 5)) if is_resolved else None
        closed = closed if closed and closed < now else None
        status = "closed" if closed else ("resolved" if is_resolved else rng.choice(["open", "in_progress", "waiting_customer"]))
        violated = bool((first_resp and first_resp > created + dt.timedelta(hours=rh)) or (is_resolved and resolved > created + dt.timedelta(hours=sh)))
        cid = ctx.key("CASE", i + 1)
        escalated = prio in ("critical", "high") and rng.random() < 0.3
        cases.append({
            "case_id": cid, "case_number": f"CS{i + 1:06d}", "account_id": acc["account_id"],
            "contact_id": contact_of(acc["account_id"])["contact_id"],
            "subject": rng.choice(["Delivery delay", "Invoice discrepancy", "Product defect reported", "Request for certificate of conformance", "Packaging damage", "Order change request"]),
            "description": "Customer reported an issue via account manager.", "case_type": rng.choice(["question", "problem", "request"]),
            "case_category": rng.choice(["delivery", "billing", "quality", "documentation"]), "priority": prio, "case_status": status,
            "sla_response_hours": rh, "sla_resolution_hours": sh, "response_due_date": created + dt.timedelta(hours=rh),
            "resolution_due_date": created + dt.timedelta(hours=sh), "first_response_date": first_resp,
            "resolved_date": resolved if is_resolved else None, "closed_date": closed, "sla_violated": violated,
            "assigned_to": None, "assigned_team": rng.choice(["Customer Care", "Key Accounts"]), "escalated": escalated,
            "escalated_to": acc["account_manager"] if escalated else None,
            "escalated_at": clamp(created + dt.timedelta(hours=rh), now) if escalated else None,
            "resolution": "Issue resolved with customer" if is_resolved else None, "root_cause": "Process gap" if is_resolved else None,
            "related_product": None, "related_order_id": rng.choice(orders)["sales_order_id"] if orders else None,
            "satisfaction_rating": rng.randint(2, 5) if closed else None, "customer_feedback": None,
            "created_by": acc["account_owner"], "created_at": created, "updated_at": closed or (resolved if is_resolved else created),
        })
        for k in range(rng.randint(0, 2)):
            t = between(rng, created, cases[-1]["updated_at"])
            case_comments.append({
                "comment_id": ctx.key("CCOM", len(case_comments) + 1), "case_id": cid,
                "comment_text": rng.choice(["Called customer to confirm details.", "Waiting for logistics update.", "Sent corrective documentation.", "Customer confirmed the fix."]),
                "is_public": rng.random() < 0.5, "created_by": acc["account_owner"], "created_at": t,
            })

    # -- contracts -------------------------------------------------------------------------------
    contracts = []
    for i, acc in enumerate(rng.sample(accounts, min(10, len(accounts)))):
        s = today - dt.timedelta(days=rng.randint(60, 700))
        term = rng.choice([12, 24, 36])
        e = s + dt.timedelta(days=term * 30)
        status = "active" if e >= today else "expired"
        contracts.append({
            "contract_id": ctx.key("CTR", i + 1), "contract_number": f"CT{i + 1:06d}",
            "contract_name": f"{acc['account_name']} supply agreement"[:200], "account_id": acc["account_id"],
            "contract_type": rng.choice(["supply_agreement", "framework", "service"]), "contract_start_date": s,
            "contract_end_date": e, "contract_term_months": term, "contract_status": status, "signed_date": s - dt.timedelta(days=rng.randint(5, 30)),
            "contract_value": money(rng.randint(2, 50) * 100_000), "billing_frequency": rng.choice(["monthly", "quarterly"]),
            "auto_renewal": rng.random() < 0.5, "renewal_term_months": 12, "renewal_notice_days": 60,
            "renewal_date": e - dt.timedelta(days=60), "termination_notice_days": 90,
            "early_termination_penalty": money(rng.randint(5, 50) * 1000), "payment_terms": acc["payment_terms"],
            "service_level_agreement": "98% on-time delivery, <= 100 ppm", "special_terms": None,
            "contract_owner": acc["account_owner"], "contract_document_url": f"https://docs.genims.local/crm/contracts/CT{i + 1:06d}.pdf",
            "parent_contract_id": None, "created_by": acc["account_owner"],
            "created_at": as_dt(s) - dt.timedelta(days=40), "updated_at": min(now, as_dt(s) + dt.timedelta(days=30)),
        })

    # -- activities + tasks + interactions + notes ------------------------------------------------
    activities, tasks, interactions, notes = [], [], [], []
    for i in range(ctx.scaled(1200, 10)):
        opp = rng.choice(opps)
        acc = acc_by_id[opp["account_id"]]
        when = between(rng, opp["created_at"], opp["closed_at"] or now)
        future = rng.random() < 0.08 and opp["is_active"]
        atype = rng.choice(["call", "meeting", "email", "demo", "site_visit"])
        activities.append({
            "activity_id": ctx.key("ACT", i + 1), "activity_number": f"AC{i + 1:06d}", "activity_type": atype,
            "related_to_type": "opportunity", "related_to_id": opp["opportunity_id"], "lead_id": opp["source_lead_id"],
            "account_id": acc["account_id"], "contact_id": opp["primary_contact_id"], "opportunity_id": opp["opportunity_id"],
            "subject": f"{atype.replace('_', ' ').title()}: {opp['opportunity_name']}"[:200], "description": None,
            "activity_date": when, "duration_minutes": rng.choice([15, 30, 45, 60, 90]),
            "location": acc["billing_city"] if atype in ("meeting", "site_visit") else None,
            "activity_status": "planned" if future else "completed", "priority": rng.choice(["low", "normal", "high"]),
            "outcome": None if future else rng.choice(["positive", "neutral", "negative"]), "outcome_notes": None,
            "follow_up_required": rng.random() < 0.3, "follow_up_date": as_date(when) + dt.timedelta(days=7),
            "attendees": None, "assigned_to": opp["opportunity_owner"], "reminder_enabled": future,
            "reminder_datetime": None, "created_by": opp["opportunity_owner"], "created_at": when, "updated_at": when,
        })
    for i in range(ctx.scaled(400, 8)):
        opp = rng.choice(opps)
        created = between(rng, opp["created_at"], now)
        due = as_date(created) + dt.timedelta(days=rng.randint(1, 20))
        done = due < today and rng.random() < 0.8
        completed = min(due, today) if done else None
        tasks.append({
            "task_id": ctx.key("TSK", i + 1), "task_number": f"T{i + 1:06d}",
            "subject": rng.choice(["Prepare proposal", "Send samples", "Follow up on quote", "Schedule plant visit", "Update pricing"]),
            "description": None, "related_to_type": "opportunity", "related_to_id": opp["opportunity_id"],
            "task_type": rng.choice(["call", "email", "todo"]), "priority": rng.choice(["low", "normal", "high"]),
            "task_status": "completed" if done else ("overdue" if due < today else "open"), "due_date": due,
            "completed_date": max(completed, as_date(created)) if completed else None, "assigned_to": opp["opportunity_owner"],
            "reminder_enabled": not done, "reminder_date": due - dt.timedelta(days=1) if not done else None,
            "completion_notes": "Done" if done else None, "created_by": opp["opportunity_owner"], "created_at": created,
            "updated_at": created,
        })
    for i in range(ctx.scaled(1700, 10)):
        if cases and rng.random() < 0.25:
            case = rng.choice(cases)
            acc_id, ct_id, opp_id, case_id = case["account_id"], case["contact_id"], None, case["case_id"]
            when = between(rng, case["created_at"], case["updated_at"])
        else:
            opp = rng.choice(opps)
            acc_id, ct_id, opp_id, case_id = opp["account_id"], opp["primary_contact_id"], opp["opportunity_id"], None
            when = between(rng, opp["created_at"], opp["closed_at"] or now)
        itype = rng.choice(["email", "phone", "meeting", "portal", "chat"])
        interactions.append({
            "interaction_id": ctx.key("INT", i + 1), "account_id": acc_id, "contact_id": ct_id, "opportunity_id": opp_id,
            "case_id": case_id, "interaction_type": itype, "interaction_date": when,
            "subject": rng.choice(["Pricing discussion", "Order status", "Technical question", "Quality follow-up", "Forecast update"]),
            "description": None, "direction": rng.choice(["inbound", "outbound"]), "duration_minutes": rng.randint(3, 60),
            "sentiment": rng.choices(["positive", "neutral", "negative"], [4, 5, 1])[0],
            "performed_by": acc_by_id[acc_id]["account_owner"], "created_at": when,
        })
    for i in range(ctx.scaled(300, 5)):
        if rng.random() < 0.5:
            acc = rng.choice(accounts)
            rtype, rid, t0 = "account", acc["account_id"], acc["created_at"]
        else:
            opp = rng.choice(opps)
            rtype, rid, t0 = "opportunity", opp["opportunity_id"], opp["created_at"]
        when = between(rng, t0, now)
        notes.append({
            "note_id": ctx.key("NOTE", i + 1), "related_to_type": rtype, "related_to_id": rid,
            "title": rng.choice(["Meeting notes", "Buying process", "Key stakeholders", "Pricing sensitivity", "Quality expectations"]),
            "note_text": fake.paragraph(nb_sentences=3), "is_private": rng.random() < 0.2,
            "created_by": rng.choice(rep_ids), "created_at": when, "updated_at": when,
        })

    # -- forecasts (15 reps x 4 quarters of the current year) -----------------------------------
    forecasts = []
    for r in reps:
        for qtr in range(1, 5):
            q_start = dt.date(today.year, 3 * qtr - 2, 1)
            if q_start > today:
                continue
            q_end = (dt.date(today.year + (qtr == 4), (3 * qtr) % 12 + 1, 1) - dt.timedelta(days=1))
            snap = min(q_end, today)
            mine = [o for o in opps if o["opportunity_owner"] == r["sales_rep_id"]]
            closed_amt = money(sum((o["amount"] for o in mine if o["stage"] == "closed_won" and q_start <= o["close_date"] <= q_end), D0))
            pipe = money(sum((o["amount"] for o in mine if o["is_active"]), D0))
            commit = money(sum((o["amount"] for o in mine if o["is_active"] and o["forecast_category"] == "commit"), D0))
            best = money(commit + sum((o["amount"] for o in mine if o["is_active"] and o["forecast_category"] == "best_case"), D0))
            quota = r["quarterly_quota"]
            total = money(closed_amt + commit)
            done = q_end < today
            forecasts.append({
                "forecast_id": ctx.key("FC", len(forecasts) + 1), "forecast_period": f"{today.year}-Q{qtr}",
                "forecast_year": today.year, "forecast_quarter": qtr, "forecast_month": None,
                "territory_id": r["territory_id"], "sales_rep_id": r["sales_rep_id"], "pipeline_amount": pipe,
                "best_case_amount": best, "commit_amount": commit, "closed_amount": closed_amt, "total_forecast": total,
                "quota_amount": quota, "quota_attainment_pct": money(min(Decimal("999"), closed_amt / quota * 100)) if quota else D0,
                "actual_revenue": closed_amt if done else None,
                "forecast_accuracy_pct": money(Decimal(rng.uniform(70, 98))) if done else None,
                "snapshot_date": snap, "created_at": clamp(as_dt(snap), now),
            })

    # -- integration log -------------------------------------------------------------------------
    log = []
    for o in opps:
        if o["converted_to_order_id"]:
            t = o["closed_at"] or o["updated_at"]
            log.append(("outbound", "sales_order", o["converted_to_order_id"], t, {"opportunity_id": o["opportunity_id"], "amount": str(o["amount"])}))
    for acc in accounts:
        log.append(("inbound", "customer", acc["customer_id"], acc["created_at"], {"account_id": acc["account_id"]}))
    for qt in quotes:
        log.append(("outbound", "quotation", qt["quotation_id"], qt["created_at"], {"total": str(qt["total_amount"])}))
    for i in range(ctx.scaled(400, 5)):
        so = rng.choice(sales_orders) if sales_orders else None
        if so:
            log.append(("inbound", "order_status", so["sales_order_id"], clamp(as_dt(so["order_date"]) + dt.timedelta(days=rng.randint(0, 20)), now), {"status": so.get("order_status")}))
    log.sort(key=lambda x: x[3])
    crm_log = []
    for i, (direction, doc_type, doc_id, t, data) in enumerate(log):
        failed = rng.random() < 0.03
        crm_log.append({
            "log_id": ctx.key("CRMLOG", i + 1), "log_timestamp": t, "integration_direction": direction,
            "document_type": doc_type, "document_id": doc_id, "integration_status": "failed" if failed else "success",
            "error_message": "ERP endpoint timeout" if failed else None, "integration_data": data,
            "retry_count": 1 if failed else 0, "last_retry_at": clamp(t + dt.timedelta(minutes=5), now) if failed else None,
        })

    out.update({
        "sales_territories": territories, "sales_reps": reps, "accounts": accounts, "contacts": contacts,
        "campaigns": campaigns, "leads": leads, "lead_activities": lead_acts, "campaign_members": member_rows,
        "opportunities": opps, "opportunity_stage_history": stage_hist, "opportunity_products": opp_products,
        "quotations": quotes, "quotation_lines": quote_lines, "activities": activities, "tasks": tasks,
        "cases": cases, "case_comments": case_comments, "contracts": contracts, "sales_forecasts": forecasts,
        "customer_interactions": interactions, "notes": notes, "crm_integration_log": crm_log,
    })
    return out
