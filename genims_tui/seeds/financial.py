"""genims_financial_db: chart of accounts, table-driven posting rules, fiscal calendar (2 years,
24 periods), cost centers, exchange rates, budget, and the journal: an opening balance, the
pre-ERP months as summaries, monthly accruals, one entry per ERP document (goods receipts,
goods issues, production receipts, customer invoices), deliveries (COGS), production absorption
and variances, customer and supplier payments, matched supplier invoices (ids pre-allocated by
supplier.py), inter-company pairs and the 2025 year-end close. Every entry balances; account
balances, statements, period close tasks and the audit trail are derived from the lines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from ..backend.services.finance import STANDARD_RULES

from ._bizutil import CHART, D0, HEADER_CODES, account_id, as_dt, clamp, dec, money
from .framework import SeedContext

DATABASE = "genims_financial_db"
DEPENDS = ("genims_master_db", "genims_hr_db", "genims_erp_db", "genims_supplier_db")

# (rule code, transaction type, debit code, credit code, amount field, description): the finance
# service's own STANDARD_RULES, so installing its rules over a seeded estate adds nothing.
POSTING_RULES = [(code, ttype, dr, cr, field, desc) for code, ttype, field, dr, cr, desc in STANDARD_RULES]
# the posting logic reads its accounts from the rules table: (transaction type, amount field) -> account
DR = {(ttype, f): dr for _c, ttype, dr, _cr, f, _d in POSTING_RULES}
CR = {(ttype, f): cr for _c, ttype, _dr, cr, f, _d in POSTING_RULES}
# ERP general-ledger document type -> the source type the finance service posts that transaction under
ERP_DOC_SOURCE = {"WE": "goods_receipt", "WA": "goods_issue", "WF": "production_completion", "RV": "sales_invoice"}
FX = [("EUR", 0.92), ("GBP", 0.79), ("INR", 83.2), ("CNY", 7.18), ("JPY", 149.5), ("MXN", 17.1), ("BRL", 4.95),
      ("CAD", 1.36), ("KRW", 1320.0), ("CHF", 0.88)]
CLOSE_TASKS = ["Post recurring accruals", "Reconcile GR/IR clearing", "Reconcile accounts receivable", "Reconcile accounts payable",
               "Run depreciation", "Review manufacturing variances", "Generate financial statements", "Close period"]


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


class _Book:
    def __init__(self) -> None:
        self.entries: list[dict] = []

    def post(self, when: dt.datetime, entry_type: str, source_type: str, source_id: str | None, description: str,
             lines: list[tuple[str, str, Decimal, str | None, str | None]], je_id: str | None = None,
             reference: str | None = None, created_by: str = "GL-AUTO") -> dict | None:
        """lines: (account code, 'D'|'C', amount, cost_center_id, factory_id); negative amounts flip side."""
        clean = []
        for code, side, amount, cc, fac in lines:
            amount = money(amount)
            if amount < 0:
                side, amount = ("C" if side == "D" else "D"), -amount
            if amount:
                clean.append((code, side, amount, cc, fac))
        if not clean:
            return None
        dr = sum((a for _, s, a, _, _ in clean if s == "D"), D0)
        cr = sum((a for _, s, a, _, _ in clean if s == "C"), D0)
        if dr != cr:
            raise ValueError(f"unbalanced entry {source_type} {source_id}: {dr} != {cr}")
        entry = {"when": when, "entry_type": entry_type, "source_type": source_type, "source_id": source_id,
                 "description": description, "lines": clean, "je_id": je_id, "reference": reference,
                 "created_by": created_by, "total": dr}
        self.entries.append(entry)
        return entry


# The GL posting automation's most recent cycles have not run yet (README, "The last cycle is left
# undone"): the documents stamped in the last day before as_of - and at least the newest few of each
# kind - have no journal entry, so the first `gl_posting` run finds work.
UNPOSTED_WINDOW = dt.timedelta(days=1)
UNPOSTED_AT_LEAST = 2
DONE_STATUSES = ("completed", "closed", "teco", "cnf", "dlv")  # the production service's completed statuses
INVOICED = ("invoiced", "billed", "fully_invoiced")  # invoiced, not paid: a paid order's payment needs its invoice posted


def _newest(stamped: list[tuple[dt.datetime, str]], now: dt.datetime) -> list[str]:
    """The ids stamped within UNPOSTED_WINDOW before `now`, or the UNPOSTED_AT_LEAST newest if fewer."""
    stamped = sorted(stamped, reverse=True)
    recent = [i for t, i in stamped if t > now - UNPOSTED_WINDOW]
    return recent if len(recent) >= UNPOSTED_AT_LEAST else [i for _t, i in stamped[:UNPOSTED_AT_LEAST]]


def unposted_tail(ctx: SeedContext) -> dict[str, list[str]]:
    """Per source type (goods_receipt, sales_invoice, production_completion), the ERP documents the seed
    leaves without a journal entry: what the finance services' posting sweeps find (a receipt with a
    value; a fully invoiced, unpaid order with a value; a completed order with a cost)."""
    now = ctx.as_of
    erp = ctx.data["genims_erp_db"]
    invoice_day = {i["sales_order_id"]: as_dt(i["invoice_date"]) for i in ctx.shared.get("erp_sales_invoices", [])}
    receipts = [(clamp(as_dt(g.get("created_at")) or as_dt(g["gr_date"]), now), g["goods_receipt_id"])
                for g in erp.get("goods_receipts", []) if not g.get("cancelled") and dec(g.get("total_value")) > 0]
    invoices = [(clamp(invoice_day.get(so["sales_order_id"]) or as_dt(so.get("updated_at")) or as_dt(so["order_date"]), now),
                 so["sales_order_id"])
                for so in erp.get("sales_orders", []) if (so.get("overall_billing_status") or "") in INVOICED
                and (dec(so.get("total_net_value")) or dec(so.get("freight_charges")) or dec(so.get("tax_amount")))]
    completions = [(clamp(as_dt(p.get("actual_finish_date")) or as_dt(p.get("updated_at")) or now, now), p["production_order_id"])
                   for p in erp.get("production_orders", []) if (p.get("system_status") or "").lower() in DONE_STATUSES
                   and (dec(p.get("actual_costs")) or dec(p.get("planned_costs")))]
    return {"goods_receipt": _newest(receipts, now), "sales_invoice": _newest(invoices, now),
            "production_completion": _newest(completions, now)}


def generate(ctx: SeedContext) -> dict[str, list[dict]]:
    rng = ctx.rng("financial")
    now = ctx.as_of
    today = ctx.today
    employees = ctx.rows("genims_master_db", "employees")
    factories = ctx.rows("genims_master_db", "factories")
    departments = ctx.rows("genims_hr_db", "departments")
    erp = ctx.data["genims_erp_db"]
    materials = erp.get("materials", [])
    erp_ccs = erp.get("cost_centers", [])
    gl = erp.get("general_ledger", [])
    grs = [g for g in erp.get("goods_receipts", []) if not g.get("cancelled")]
    prods = erp.get("production_orders", [])
    sales_orders = erp.get("sales_orders", [])
    itx = erp.get("inventory_transactions", [])
    invoices = ctx.rows("genims_supplier_db", "supplier_invoices")
    inv_lines = ctx.rows("genims_supplier_db", "supplier_invoice_lines")
    accountants = [e["employee_id"] for e in employees if e.get("role") == "accountant"][:10] or [e["employee_id"] for e in employees[:5]]
    mgr = [e["employee_id"] for e in employees if e.get("role") == "manager"][:5] or accountants
    setup = dt.datetime(2024, 10, 1, 9, 0)

    # -- chart of accounts + posting rules --------------------------------------------------------
    coa = []
    for code, name, atype, subtype, stmt, normal, parent in CHART:
        coa.append({
            "account_id": account_id(code), "account_code": code, "account_name": name,
            "parent_account_id": account_id(parent) if parent else None, "account_level": 1 if parent is None else 2,
            "account_type": atype, "account_subtype": subtype, "financial_statement": stmt, "normal_balance": normal,
            "is_control_account": code in ("1200", "2100", "2150", "1300", "1320"), "allow_posting": code not in HEADER_CODES,
            "currency_code": "USD", "allow_multi_currency": code in ("1100", "1200", "2100"),
            "requires_cost_center": atype == "expense" and code.startswith("6"), "description": f"{name} ({atype})",
            "is_active": True, "effective_date": dt.date(2024, 10, 1), "inactive_date": None, "created_at": setup, "updated_at": setup,
        })
    normal_of = {account_id(c[0]): c[5] for c in CHART}
    type_of = {account_id(c[0]): c[2] for c in CHART}
    rules = [{
        "rule_id": f"GLR-{code}", "rule_code": code, "rule_name": desc[:200],
        "transaction_type": ttype, "transaction_subtype": None, "condition_rules": None,
        "debit_account_id": account_id(dr), "credit_account_id": account_id(cr), "amount_field": field,
        "description_template": f"{desc}: {{source}}", "effective_from": dt.date(2024, 10, 1), "effective_to": None, "rule_priority": i + 1,
        "is_active": True, "created_at": setup,
    } for i, (code, ttype, dr, cr, field, desc) in enumerate(POSTING_RULES)]

    # -- fiscal calendar ----------------------------------------------------------------------------
    years = [today.year - 1, today.year]
    fiscal_years = [{
        "fiscal_year_id": f"FY-{y}", "fiscal_year": y, "start_date": dt.date(y, 1, 1), "end_date": dt.date(y, 12, 31),
        "year_status": "closed" if y < today.year else "open", "closed_date": dt.date(y + 1, 1, 20) if y < today.year else None,
        "closed_by": mgr[0] if y < today.year else None, "created_at": setup,
    } for y in years]
    cur = (today.year, today.month)
    prev = (today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1)
    periods, period_status = [], {}
    for y in years:
        for m in range(1, 13):
            end = _month_end(y, m)
            if (y, m) in (cur, prev):
                st = "open"
            elif (y, m) > cur:
                st = "future"
            else:
                st = "closed"
            closed_day = min(end + dt.timedelta(days=rng.randint(4, 9)), today - dt.timedelta(days=1)) if st == "closed" else None
            period_status[(y, m)] = (st, closed_day)
            periods.append({
                "period_id": f"FP-{y}-{m:02d}", "fiscal_year": y, "period_number": m,
                "period_name": dt.date(y, m, 1).strftime("%b %Y"), "start_date": dt.date(y, m, 1), "end_date": end,
                "period_status": st, "closed_date": closed_day, "closed_by": rng.choice(accountants) if closed_day else None,
                "allow_posting": st == "open", "created_at": setup,
            })

    # -- cost centers (the financial view of the ERP cost centers) --------------------------------
    dept_by_kw = {}
    for d in departments:
        name = (d.get("department_name") or "").lower()
        for kw in ("production", "maintenance", "quality", "supply", "finance", "sales", "executive", "human"):
            if kw in name:
                dept_by_kw.setdefault((kw, d.get("factory_id")), d["department_id"])
                dept_by_kw.setdefault((kw, None), d["department_id"])
    cat_kw = {"production": "production", "maintenance": "maintenance", "quality": "quality", "logistics": "supply",
              "warehouse": "supply", "procurement": "supply", "sales": "sales", "administration": "executive", "finance": "finance"}
    ccs, erp_to_fin = [], {}
    for i, c in enumerate(erp_ccs):
        fid = ctx.key("FCC", i + 1)
        erp_to_fin[c["cost_center_id"]] = fid
    for i, c in enumerate(erp_ccs):
        cat = (c.get("cost_center_category") or "").lower()
        kw = next((v for k, v in cat_kw.items() if k in cat or k in (c.get("cost_center_name") or "").lower()), None)
        ccs.append({
            "cost_center_id": erp_to_fin[c["cost_center_id"]], "cost_center_code": c.get("cost_center_code"),
            "cost_center_name": c.get("cost_center_name"), "parent_cost_center_id": erp_to_fin.get(c.get("parent_cost_center_id")),
            "cost_center_type": cat or "overhead", "responsible_employee_id": c.get("responsible_person"),
            "factory_id": c.get("plant_id"), "department_id": dept_by_kw.get((kw, c.get("plant_id"))) or dept_by_kw.get((kw, None)) if kw else None,
            "is_active": True, "created_at": setup,
        })
    base_types = ["production", "maintenance", "quality", "logistics", "sales", "administration"]
    have = {c["cost_center_type"] for c in ccs}
    for t in base_types:  # at least the six functions, whatever ERP has
        if t not in have:
            fid = ctx.key("FCC", len(ccs) + 1)
            kw = cat_kw.get(t)
            ccs.append({
                "cost_center_id": fid, "cost_center_code": f"F{len(ccs) + 1:03d}", "cost_center_name": t.title(),
                "parent_cost_center_id": None, "cost_center_type": t, "responsible_employee_id": rng.choice(mgr),
                "factory_id": factories[0]["factory_id"] if factories else None, "department_id": dept_by_kw.get((kw, None)),
                "is_active": True, "created_at": setup,
            })
    cc_by_type: dict[str, list[str]] = defaultdict(list)
    for c in ccs:
        for t in base_types:
            if t in c["cost_center_type"] or (t == "logistics" and any(k in c["cost_center_type"] for k in ("warehouse", "procurement"))):
                cc_by_type[t].append(c["cost_center_id"])
    for t in base_types:
        cc_by_type[t] = cc_by_type[t] or [ccs[0]["cost_center_id"]]
    cc_factory = {c["cost_center_id"]: c["factory_id"] for c in ccs}
    cc_dept = {c["cost_center_id"]: c["department_id"] for c in ccs}

    # -- exchange rates --------------------------------------------------------------------------
    rates = []
    for cur_code, base in FX:
        for k in range(5):
            day = dt.date(today.year, today.month, 1) - dt.timedelta(days=30 * (4 - k))
            day = day.replace(day=1)
            r = Decimal(str(base * rng.uniform(0.97, 1.03))).quantize(Decimal("0.000001"))
            rates.append({
                "rate_id": ctx.key("FXR", len(rates) + 1), "from_currency": "USD", "to_currency": cur_code, "effective_date": day,
                "exchange_rate": r, "inverse_rate": (Decimal(1) / r).quantize(Decimal("0.000001")), "rate_type": "monthly_average",
                "created_at": as_dt(day),
            })

    # -- the journal -----------------------------------------------------------------------------
    book = _Book()
    mat_type = {m["material_id"]: (m.get("material_type") or "").lower() for m in materials}
    t_first = min([as_dt(r["posting_date"]) for r in gl] + [as_dt(g["gr_date"]) for g in grs] + [now - dt.timedelta(days=90)])
    erp_start = (t_first.year, t_first.month)
    # opening balance at the start of the first fiscal year
    inv_rm = sum((dec(r["amount"]) for r in itx if r.get("transaction_type") == "initial_stock" and "finished" not in mat_type.get(r["material_id"], "")), D0)
    inv_fg = sum((dec(r["amount"]) for r in itx if r.get("transaction_type") == "initial_stock" and "finished" in mat_type.get(r["material_id"], "")), D0)
    inv_rm = money(inv_rm) or money(1_800_000)
    inv_fg = money(inv_fg) or money(900_000)
    opening = [("1100", "D", money(6_500_000), None, None), ("1200", "D", money(2_400_000), None, None),
               ("1300", "D", inv_rm, None, None), ("1320", "D", inv_fg, None, None), ("1500", "D", money(24_000_000), None, None), ("1510", "C", money(7_200_000), None, None),
               ("2100", "C", money(1_900_000), None, None), ("2150", "C", money(350_000), None, None),
               ("3100", "C", money(10_000_000), None, None)]
    re_plug = sum((a if s == "D" else -a for _, s, a, _, _ in opening), D0)
    opening.append(("3200", "C", re_plug, None, None))
    book.post(dt.datetime(years[0], 1, 1, 0, 0), "opening", "opening_balance", f"OB-{years[0]}", "Opening balances", opening,
              created_by=accountants[0])

    # months before the ERP history: summarised postings of the legacy system
    y, m = years[0], 1
    while (y, m) < erp_start:
        end = as_dt(_month_end(y, m)).replace(hour=18)
        x = money(rng.uniform(1_600_000, 2_600_000))
        tag = f"LEG-{y}{m:02d}"
        tax, cogs, mat, conv = money(x * Decimal("0.08")), money(x * Decimal("0.68")), money(x * Decimal("0.50")), money(x * Decimal("0.18"))
        inp = money(mat * Decimal("0.08"))
        book.post(end, "summary", "legacy_sales", tag, "Legacy system: customer invoices of the month",
                  [("1200", "D", x + tax, None, None), ("4100", "C", x, cc_by_type["sales"][0], None), ("2200", "C", tax, None, None)])
        book.post(end, "summary", "legacy_production", tag, "Legacy system: production of the month",
                  [("1310", "D", mat, None, None), ("1300", "C", mat, None, None), ("1310", "D", conv, None, None),
                   ("5200", "C", conv, cc_by_type["production"][0], None), ("1320", "D", cogs, None, None), ("1310", "C", cogs, None, None)])
        book.post(end, "summary", "legacy_cogs", tag, "Legacy system: cost of goods sold",
                  [("5000", "D", cogs, None, None), ("1320", "C", cogs, None, None)])
        book.post(end, "summary", "legacy_purchasing", tag, "Legacy system: receipts and supplier invoices",
                  [("1300", "D", mat, None, None), ("2150", "C", mat, None, None), ("2150", "D", mat, None, None),
                   ("1250", "D", inp, None, None), ("2100", "C", mat + inp, None, None)])
        book.post(end, "summary", "legacy_cash", tag, "Legacy system: collections, payments and tax remittance",
                  [("1100", "D", x + tax, None, None), ("1200", "C", x + tax, None, None), ("2100", "D", mat + inp, None, None),
                   ("1100", "C", mat + inp, None, None), ("2200", "D", tax, None, None), ("1250", "C", inp, None, None),
                   ("1100", "C", tax - inp, None, None)])
        y, m = (y + (m == 12), m % 12 + 1)

    # monthly accruals for every month up to now
    y, m = years[0], 1
    prev_accrued = D0
    while (y, m) <= cur:
        mid = as_dt(dt.date(y, m, 15)).replace(hour=17)
        end_d = _month_end(y, m)
        end = as_dt(end_d).replace(hour=20)
        tag = f"{y}-{m:02d}"
        if mid <= now:
            pay = []
            total = D0
            for t, lo, hi in (("production", 180_000, 260_000), ("maintenance", 40_000, 60_000), ("quality", 30_000, 45_000),
                              ("logistics", 35_000, 50_000), ("sales", 45_000, 70_000), ("administration", 60_000, 90_000)):
                for cc in cc_by_type[t][:4]:
                    amt = money(rng.uniform(lo, hi) / min(4, len(cc_by_type[t])))
                    total += amt
                    pay.append((DR[("payroll", "amount")], "D", amt, cc, cc_factory.get(cc)))
            pay.append((CR[("payroll", "amount")], "C", total, None, None))
            book.post(mid, "recurring", "payroll", f"PAY-{tag}", f"Payroll {tag}", pay, created_by=accountants[0])
            book.post(mid + dt.timedelta(hours=1), "standard", "payroll_payment", f"PAY-{tag}", f"Payroll payment {tag}",
                      [("2300", "D", total, None, None), ("1100", "C", total, None, None)], created_by=accountants[0])
            if prev_accrued:
                book.post(mid, "standard", "accrual_payment", f"ACC-{tag}", "Payment of last month's accrued expenses",
                          [("2400", "D", prev_accrued, None, None), ("1100", "C", prev_accrued, None, None)], created_by=accountants[0])
                prev_accrued = D0
        if end <= now:
            dep = []
            total = D0
            for cc in cc_by_type["production"][:4] + cc_by_type["maintenance"][:2]:
                amt = money(rng.uniform(40_000, 70_000))
                total += amt
                dep.append((DR[("depreciation", "amount")], "D", amt, cc, cc_factory.get(cc)))
            dep.append((CR[("depreciation", "amount")], "C", total, None, None))
            book.post(end, "recurring", "depreciation", f"DEP-{tag}", f"Depreciation {tag}", dep, created_by=accountants[0])
            acc = []
            total = D0
            for code, t, lo, hi in (("6300", "production", 60_000, 90_000), ("6400", "maintenance", 25_000, 50_000),
                                    ("6500", "logistics", 30_000, 55_000), ("6600", "quality", 12_000, 25_000)):
                for cc in cc_by_type[t][:3]:
                    amt = money(rng.uniform(lo, hi) / min(3, len(cc_by_type[t])))
                    total += amt
                    acc.append((code, "D", amt, cc, cc_factory.get(cc)))
            acc.append(("2400", "C", total, None, None))
            book.post(end, "recurring", "accrual", f"ACC-{tag}", f"Accrued operating expenses {tag}", acc, created_by=accountants[0])
            prev_accrued = total
        y, m = (y + (m == 12), m % 12 + 1)

    # one entry per ERP general-ledger document, under the source type and document id the finance
    # service posts that transaction with (goods_receipt: GR id; goods_issue and production_completion:
    # production order id; sales_invoice: sales order id), so automations find it and never post twice
    fin_cc = lambda c: erp_to_fin.get(c) if c else None  # noqa: E731
    docs: dict[str, list[dict]] = defaultdict(list)
    for r in gl:
        docs[r["document_number"]].append(r)
    posted: dict[tuple[str, str], dict] = {}
    wip = defaultdict(lambda: D0)  # production order -> WIP from its goods issues, absorption and completion
    prod_by_id = {p["production_order_id"]: p for p in prods}
    done_ids = {p["production_order_id"] for p in prods
                if (p.get("system_status") or "").lower() in ("completed", "closed", "teco", "cnf", "dlv")}
    sales_invoices = {i["sales_order_id"]: i for i in ctx.shared.get("erp_sales_invoices", [])}
    tail = unposted_tail(ctx)
    ctx.shared["gl_unposted"] = tail
    unposted = {(src, i) for src, ids in tail.items() for i in ids}
    for doc, rows in docs.items():
        r0 = rows[0]
        src = ERP_DOC_SOURCE.get(r0.get("document_type"), "erp_gl")
        src_id = r0.get("reference_document") or r0.get("source_document_id") or doc
        if (src, src_id) in posted:  # a second document of the same source keeps its own ERP number
            src_id = doc
        lines = [(r["gl_account"], "D" if dec(r["debit_amount"]) else "C", dec(r["debit_amount"]) or dec(r["credit_amount"]),
                  fin_cc(r.get("cost_center_id")), cc_factory.get(fin_cc(r.get("cost_center_id")))) for r in rows]
        when = clamp(as_dt(r0.get("created_at")) or as_dt(r0["posting_date"]), now)
        reference = doc
        if src == "sales_invoice" and src_id in sales_invoices:
            reference = sales_invoices[src_id]["invoice_number"]
        if src == "production_completion" and src_id in done_ids:
            # labor and overhead reach WIP first; the completion clears what is left as the variance
            p = prod_by_id[src_id]
            fg = sum((a for c, sd, a, _, _ in lines if sd == "D"), D0)
            plant = p.get("plant_id")
            ccp = next((c for c in cc_by_type["production"] if cc_factory.get(c) == plant), cc_by_type["production"][0])
            absorbed = money(fg * Decimal("0.22"))
            book.post(when - dt.timedelta(minutes=1), "auto", "production_absorption", src_id,
                      f"Labor and overhead absorbed by {p.get('production_order_number')}",
                      [(DR[("production_absorption", "amount")], "D", absorbed, ccp, plant),
                       (CR[("production_absorption", "amount")], "C", absorbed, ccp, plant)])
            wip[src_id] += absorbed
            for code, sd, amt, _, _ in lines:
                if code == "1310":
                    wip[src_id] += amt if sd == "D" else -amt
            variance = wip[src_id]
            lines = lines + [(DR[("production_completion", "variance")], "D", variance, ccp, plant),
                             (CR[("production_completion", "variance")], "C", variance, ccp, plant)]
            wip[src_id] = D0
        elif src in ("goods_issue", "production_completion"):
            for code, sd, amt, _, _ in lines:
                if code == "1310":
                    wip[src_id] += amt if sd == "D" else -amt
        if (src, src_id) in unposted:  # left for the gl_posting automation (its absorption is posted)
            continue
        entry = book.post(when, "auto", src, src_id, (r0.get("text") or src)[:500], lines, reference=reference,
                          created_by=r0.get("created_by") or "ERP")
        if entry:
            posted[(src, src_id)] = entry
    # fallbacks when ERP has no general-ledger document for a transaction (a stand-in or a gap)
    for g in grs:
        if ("goods_receipt", g["goods_receipt_id"]) not in posted and ("goods_receipt", g["goods_receipt_id"]) not in unposted:
            v = dec(g.get("total_value"))
            key = ("goods_receipt", "amount")
            e = book.post(clamp(as_dt(g.get("created_at")) or as_dt(g["gr_date"]), now), "auto", "goods_receipt", g["goods_receipt_id"],
                          f"Goods receipt {g.get('gr_number')}", [(DR[key], "D", v, None, g.get("plant_id")), (CR[key], "C", v, None, None)],
                          reference=g.get("purchase_order_id"))
            posted[("goods_receipt", g["goods_receipt_id"])] = e
    for so in sales_orders:
        billed = (so.get("overall_billing_status") or "") in ("invoiced", "paid", "billed", "fully_invoiced")
        if billed and ("sales_invoice", so["sales_order_id"]) not in posted and ("sales_invoice", so["sales_order_id"]) not in unposted:
            inv = sales_invoices.get(so["sales_order_id"])
            net = dec(inv["net"]) + dec(inv.get("freight")) if inv else dec(so.get("total_net_value")) + dec(so.get("freight_charges"))
            tax = dec(inv["tax"]) if inv else dec(so.get("tax_amount"))
            when = as_dt(inv["invoice_date"]) if inv else clamp(as_dt(so.get("updated_at")) or as_dt(so["order_date"]), now)
            e = book.post(clamp(when, now), "auto", "sales_invoice", so["sales_order_id"], f"Customer invoice {so.get('sales_order_number')}",
                          [(DR[("sales_invoice", "net_amount")], "D", net, None, None),
                           (CR[("sales_invoice", "net_amount")], "C", net, cc_by_type["sales"][0], None),
                           (DR[("sales_invoice", "tax_amount")], "D", tax, None, None),
                           (CR[("sales_invoice", "tax_amount")], "C", tax, None, None)],
                          reference=inv["invoice_number"] if inv else None)
            posted[("sales_invoice", so["sales_order_id"])] = e
    for pid in sorted(done_ids):
        p = prod_by_id[pid]
        if ("production_completion", pid) not in posted and ("production_completion", pid) not in unposted:
            v = dec(p.get("actual_costs")) or dec(p.get("planned_costs"))
            if v:
                when = clamp(as_dt(p.get("actual_finish_date")) or as_dt(p.get("updated_at")) or now, now)
                key = ("production_completion", "amount")
                variance = wip[pid] - v
                e = book.post(when, "auto", "production_completion", pid, f"Production completion {p.get('production_order_number')}",
                              [(DR[key], "D", v, None, p.get("plant_id")), (CR[key], "C", v, None, p.get("plant_id")),
                               (DR[("production_completion", "variance")], "D", variance, None, p.get("plant_id")),
                               (CR[("production_completion", "variance")], "C", variance, None, p.get("plant_id"))])
                posted[("production_completion", pid)] = e
    # cost of goods delivered: one entry per ERP delivery document
    so_num = {s["sales_order_id"]: s.get("sales_order_number") for s in sales_orders}
    dl: dict[str, list[dict]] = defaultdict(list)
    for r in itx:
        if r.get("transaction_type") == "delivery":
            dl[r["material_document"]].append(r)
    key = ("goods_delivery", "amount")
    for doc, rows in dl.items():
        amt = -sum((dec(r["amount"]) for r in rows), D0)
        so_id = rows[0].get("sales_order_id")
        book.post(clamp(as_dt(rows[0].get("created_at")) or as_dt(rows[0]["posting_date"]), now), "auto", "goods_delivery", doc,
                  f"Cost of goods delivered for {so_num.get(so_id, so_id)}",
                  [(DR[key], "D", amt, cc_by_type["sales"][0], rows[0].get("plant_id")), (CR[key], "C", amt, None, rows[0].get("plant_id"))],
                  reference=so_id)
    # customer payments for paid sales orders
    key = ("customer_payment", "amount")
    for so in sales_orders:
        if (so.get("overall_billing_status") or "") == "paid":
            inv = sales_invoices.get(so["sales_order_id"])
            amt = dec(inv["total"]) if inv else dec(so.get("total_value"))
            when = clamp(as_dt(so.get("updated_at")) or now, now)
            if inv and when < as_dt(inv["invoice_date"]):
                when = as_dt(inv["invoice_date"]) + dt.timedelta(hours=1)
            book.post(clamp(when, now), "auto", "customer_payment", so["sales_order_id"], f"Customer payment for {so.get('sales_order_number')}",
                      [(DR[key], "D", amt, None, None), (CR[key], "C", amt, None, None)],
                      reference=inv["invoice_number"] if inv else None)
    # matched supplier invoices (journal ids pre-allocated by supplier.py) and their payments
    lines_by_inv: dict[str, list[dict]] = defaultdict(list)
    for ln in inv_lines:
        lines_by_inv[ln["invoice_id"]].append(ln)
    for inv in invoices:
        if not inv.get("gl_journal_entry_id"):
            continue
        expected = sum((money(dec(ln["invoiced_quantity"]) * dec(ln["po_unit_price"])) for ln in lines_by_inv[inv["invoice_id"]]), D0)
        variance = inv["subtotal"] - expected
        other = inv["freight_charges"] + (inv.get("other_charges") or D0) - (inv.get("discount_amount") or D0)
        when = max(inv["submitted_at"], as_dt(inv["approved_date"]) if inv.get("approved_date") else inv["submitted_at"])
        when = clamp(when, now)
        book.post(when, "auto", "supplier_invoice", inv["invoice_id"], f"Supplier invoice {inv['invoice_number']}",
                  [(DR[("supplier_invoice", "receipt_value")], "D", expected, None, None),
                   (DR[("supplier_invoice", "price_variance")], "D", variance, None, None),
                   (DR[("supplier_invoice", "tax_amount")], "D", inv["tax_amount"], None, None),
                   (DR[("supplier_invoice", "other_charges")], "D", other, cc_by_type["logistics"][0], None),
                   (CR[("supplier_invoice", "receipt_value")], "C", inv["total_amount"], None, None)],
                  je_id=inv["gl_journal_entry_id"], reference=inv["supplier_invoice_number"])
        if inv.get("paid_date") and inv.get("paid_amount"):
            pw = clamp(max(as_dt(inv["paid_date"]) + dt.timedelta(hours=11), when + dt.timedelta(minutes=5)), now)
            book.post(pw, "standard", "supplier_payment", inv["invoice_id"], f"Payment of supplier invoice {inv['invoice_number']}",
                      [(DR[("supplier_payment", "amount")], "D", inv["paid_amount"], None, None),
                       (CR[("supplier_payment", "amount")], "C", inv["paid_amount"], None, None)])

    # inter-company: services charged by company 1000 to company 2000, booked on both sides
    ic_rows = []
    for i in range(max(6, ctx.scaled(24, 6))):
        day = today - dt.timedelta(days=rng.randint(3, 300))
        when = as_dt(day).replace(hour=15)
        amt = money(rng.randint(20, 400) * 250)
        a = book.post(when, "intercompany", "intercompany", f"{ctx.key('ICT', i + 1)}/1000", f"Intercompany service charge ICT-{i + 1:06d} (1000)",
                      [("1900", "D", amt, None, None), ("4200", "C", amt, cc_by_type["administration"][0], None)])
        b = book.post(when, "intercompany", "intercompany", f"{ctx.key('ICT', i + 1)}/2000", f"Intercompany service charge ICT-{i + 1:06d} (2000)",
                      [("6400", "D", amt, cc_by_type["maintenance"][0], None), ("2900", "C", amt, None, None)])
        ic_rows.append((i, day, amt, a, b))

    # year-end close of every closed fiscal year: P&L into retained earnings
    for fy in fiscal_years:
        if fy["year_status"] != "closed":
            continue
        yy = fy["fiscal_year"]
        bal = defaultdict(lambda: D0)
        for e in book.entries:
            if e["when"].year == yy:
                for code, side, amt, _, _ in e["lines"]:
                    if type_of[account_id(code)] in ("revenue", "expense"):
                        bal[code] += amt if side == "D" else -amt
        lines, net = [], D0
        for code in sorted(bal):
            if bal[code]:
                lines.append((code, "C", bal[code], None, None))
                net += bal[code]
        lines.append(("3200", "D", net, None, None))
        book.post(dt.datetime(yy, 12, 31, 23, 0), "closing", "year_end_close", f"YE-{yy}", f"Year-end close {yy}", lines,
                  created_by=mgr[0])

    # -- headers and lines, ids in posting order -----------------------------------------------------
    book.entries.sort(key=lambda e: (e["when"], e["source_type"], str(e["source_id"])))
    headers, jlines = [], []
    n = 0
    for e in book.entries:
        if e["je_id"] is None:
            n += 1
            e["je_id"] = ctx.key("JE", n)
    for seq, e in enumerate(book.entries, 1):
        when = e["when"]
        approver = rng.choice(mgr) if e["entry_type"] in ("closing", "opening", "intercompany") else None
        headers.append({
            "journal_entry_id": e["je_id"], "journal_number": f"JV{when.year}-{seq:07d}", "entry_type": e["entry_type"],
            "source_type": e["source_type"], "source_document_id": e["source_id"], "posting_date": when.date(),
            "fiscal_year": when.year, "fiscal_period": when.month, "description": e["description"], "reference": e["reference"],
            "total_debit": e["total"], "total_credit": e["total"], "currency_code": "USD", "exchange_rate": Decimal("1.000000"),
            "functional_currency_code": "USD", "entry_status": "posted", "posted": True, "posted_by": e["created_by"],
            "posted_at": when, "reversed": False, "reversal_entry_id": None, "reversed_date": None,
            "requires_approval": approver is not None, "approved": True if approver else None, "approved_by": approver,
            "approved_at": when if approver else None, "created_by": e["created_by"], "created_at": when, "updated_at": when,
        })
        for k, (code, side, amt, cc, fac) in enumerate(e["lines"], 1):
            jlines.append({
                "line_id": ctx.key("JEL", len(jlines) + 1, 7), "journal_entry_id": e["je_id"], "line_number": k,
                "account_id": account_id(code), "debit_amount": amt if side == "D" else D0, "credit_amount": amt if side == "C" else D0,
                "currency_code": "USD", "exchange_rate": Decimal("1.000000"), "functional_debit": amt if side == "D" else D0,
                "functional_credit": amt if side == "C" else D0, "cost_center_id": cc, "department_id": cc_dept.get(cc), "factory_id": fac,
                "line_description": e["description"][:500], "created_at": when,
            })

    # -- budget ------------------------------------------------------------------------------------
    budget_id = ctx.key("BUD", today.year)
    budgets = [{
        "budget_id": budget_id, "budget_code": f"BUD-{today.year}", "budget_name": f"Operating budget {today.year}",
        "fiscal_year": today.year, "budget_type": "operating", "budget_version": 1, "is_approved": True, "budget_status": "approved",
        "approved_by": mgr[0], "approved_date": dt.date(today.year - 1, 12, 15), "created_at": dt.datetime(today.year - 1, 11, 20, 9, 0),
    }]
    budget_lines = []
    by_acc_cc_month = defaultdict(lambda: D0)  # last year's actuals drive the budget
    for e in book.entries:
        if e["when"].year == today.year - 1 and e["entry_type"] != "closing":
            for code, side, amt, cc, _ in e["lines"]:
                if type_of[account_id(code)] in ("revenue", "expense"):
                    by_acc_cc_month[(code, cc, e["when"].month)] += amt if side == "D" else -amt
    keys = sorted({(c, cc) for (c, cc, _m) in by_acc_cc_month}, key=lambda k: (k[0], k[1] or ""))
    budget_by_acc_month = defaultdict(lambda: D0)
    for code, cc in keys:
        vals = []
        for mm in range(1, 13):
            v = by_acc_cc_month.get((code, cc, mm), D0)
            if normal_of[account_id(code)] == "credit":
                v = -v
            vals.append(money(v * Decimal("1.04")))
            budget_by_acc_month[(code, mm)] += vals[-1]
        budget_lines.append({
            "budget_line_id": ctx.key("BUDL", len(budget_lines) + 1), "budget_id": budget_id, "account_id": account_id(code),
            "cost_center_id": cc, **{f"period_{mm:02d}": vals[mm - 1] for mm in range(1, 13)}, "annual_total": sum(vals, D0),
            "notes": "Prior-year actuals + 4%", "created_at": budgets[0]["created_at"],
        })

    # -- account balances --------------------------------------------------------------------------
    mov = defaultdict(lambda: [D0, D0])
    mov_pl = defaultdict(lambda: [D0, D0])  # without the year-end close, for the income statement
    for e in book.entries:
        for code, side, amt, _, _ in e["lines"]:
            key = (account_id(code), e["when"].year, e["when"].month)
            mov[key][0 if side == "D" else 1] += amt
            if e["entry_type"] != "closing":
                mov_pl[key][0 if side == "D" else 1] += amt
    # The finance service's convention (update_account_balances): balances are debit - credit for every
    # account; balance sheet accounts carry forward, income statement accounts restart each year; one
    # row per account from its first period with activity through the last fiscal period.
    balances = []
    all_periods = [(y, m) for y in years for m in range(1, 13)]
    month_list = [(y, m) for (y, m) in all_periods if (y, m) <= cur]
    ending_of: dict[tuple[str, int, int], Decimal] = {}
    for acc in coa:
        aid = acc["account_id"]
        active = [k for k in all_periods if (aid, k[0], k[1]) in mov]
        if not active:
            continue
        carries = acc["financial_statement"] != "income_statement"
        running = ytd_d = ytd_c = ytd_b = D0
        year_seen = None
        for (yy, mm) in all_periods:
            if (yy, mm) < active[0]:
                continue
            if yy != year_seen:
                ytd_d = ytd_c = ytd_b = D0
                if not carries:
                    running = D0
                year_seen = yy
            d, c = mov.get((aid, yy, mm), (D0, D0))
            begin = running
            running = begin + d - c
            ytd_d += d
            ytd_c += c
            pb = budget_by_acc_month.get((acc["account_code"], mm)) if yy == today.year else None
            if pb is not None:
                ytd_b += pb
            ending_of[(aid, yy, mm)] = running
            balances.append({
                "balance_id": f"AB-{aid}-{yy}-{mm:02d}", "account_id": aid, "fiscal_year": yy, "fiscal_period": mm,
                "cost_center_id": None, "beginning_balance": money(begin), "period_debit": money(d), "period_credit": money(c),
                "ending_balance": money(running), "ytd_debit": money(ytd_d), "ytd_credit": money(ytd_c),
                "period_budget": money(pb) if pb is not None else None, "ytd_budget": money(ytd_b) if pb is not None else None,
                "last_updated": clamp(as_dt(_month_end(yy, mm)).replace(hour=23), now),
            })

    # -- statements -------------------------------------------------------------------------------
    statements = []
    for (yy, mm) in month_list:
        st, closed_day = period_status[(yy, mm)]
        gen = clamp(as_dt(closed_day) if closed_day else now - dt.timedelta(hours=1), now)
        pl = {}
        for acc in coa:
            if acc["account_type"] in ("revenue", "expense") and acc["allow_posting"]:
                d, c = mov_pl.get((acc["account_id"], yy, mm), (D0, D0))
                pl[acc["account_code"]] = str(money((c - d) if acc["normal_balance"] == "credit" else (d - c)))
        revenue = sum((Decimal(v) for k, v in pl.items() if type_of[account_id(k)] == "revenue"), D0)
        expense = sum((Decimal(v) for k, v in pl.items() if type_of[account_id(k)] == "expense"), D0)
        bs = {acc["account_code"]: str(money(ending_of.get((acc["account_id"], yy, mm), D0))) for acc in coa
              if acc["financial_statement"] == "balance_sheet" and acc["allow_posting"]}  # debit - credit
        tb_d = tb_c = D0
        for acc in coa:
            signed = ending_of.get((acc["account_id"], yy, mm), D0)
            if signed >= 0:
                tb_d += signed
            else:
                tb_c -= signed
        start_d, end_d = dt.date(yy, mm, 1), _month_end(yy, mm)
        for stype, data in (("income_statement", {"accounts": pl, "total_revenue": str(revenue), "total_expenses": str(expense),
                                                  "net_income": str(revenue - expense)}),
                            ("balance_sheet", {"accounts": bs, "sign": "debit_minus_credit"}),
                            ("trial_balance", {"total_debit": str(money(tb_d)), "total_credit": str(money(tb_c)),
                                               "difference": str(money(tb_d - tb_c))})):
            statements.append({
                "statement_id": ctx.key("FST", len(statements) + 1), "statement_type": stype, "fiscal_year": yy, "fiscal_period": mm,
                "start_date": start_d, "end_date": end_d, "generated_at": gen, "generated_by": rng.choice(accountants),
                "statement_status": "final" if st == "closed" else "draft", "statement_data": data, "created_at": gen,
            })

    # -- inter-company rows ---------------------------------------------------------------------
    ic = []
    for i, day, amt, a, b in ic_rows:
        rec = day < today - dt.timedelta(days=20)
        ic.append({
            "transaction_id": ctx.key("ICT", i + 1), "transaction_number": f"IC-{i + 1:06d}", "from_company_id": "1000",
            "to_company_id": "2000", "transaction_type": "service_charge", "transaction_date": day, "amount": amt, "currency_code": "USD",
            "from_company_journal_id": a["je_id"], "to_company_journal_id": b["je_id"], "reconciled": rec,
            "reconciled_date": day + dt.timedelta(days=rng.randint(5, 20)) if rec else None,
            "description": "Shared engineering services", "created_at": as_dt(day).replace(hour=15),
        })

    # -- period close tasks ---------------------------------------------------------------------
    tasks = []
    for (yy, mm) in month_list:
        st, closed_day = period_status[(yy, mm)]
        end_d = _month_end(yy, mm)
        for k, name in enumerate(CLOSE_TASKS, 1):
            if st == "closed":
                done = min(end_d + dt.timedelta(days=min(k, max(1, (closed_day - end_d).days))), closed_day)
                status, started, completed = "completed", as_dt(done).replace(hour=9), as_dt(done).replace(hour=10 + k)
            elif (yy, mm) == prev and k <= 4 and end_d + dt.timedelta(days=k) < today:
                done = end_d + dt.timedelta(days=k)
                status, started, completed = "completed", as_dt(done).replace(hour=9), as_dt(done).replace(hour=10 + k)
            elif (yy, mm) == prev and k == 5:
                status, started, completed = "in_progress", clamp(as_dt(end_d + dt.timedelta(days=5)).replace(hour=9), now), None
            else:
                status, started, completed = "pending", None, None
            started = clamp(started, now) if started else None
            completed = clamp(completed, now) if completed else None
            tasks.append({
                "task_id": ctx.key("PCT", len(tasks) + 1), "fiscal_year": yy, "fiscal_period": mm, "task_sequence": k, "task_name": name,
                "task_description": f"{name} for {dt.date(yy, mm, 1):%b %Y}", "task_status": status, "started_at": started,
                "completed_at": completed, "completed_by": rng.choice(accountants) if completed else None,
                "result_message": "OK" if completed else None, "created_at": clamp(as_dt(end_d).replace(hour=8), now),
            })

    # -- audit trail --------------------------------------------------------------------------------
    audit = []
    names = {e["employee_id"]: f"{e.get('first_name', '')} {e.get('last_name', '')}".strip() for e in employees if e["employee_id"] in set(accountants + mgr)}
    for h in headers:
        for action, t in (("create", h["created_at"]), ("post", h["posted_at"])):
            audit.append({
                "audit_id": ctx.key("GLAUD", len(audit) + 1, 7), "audit_timestamp": t, "action_type": action, "entity_type": "journal_entry",
                "entity_id": h["journal_entry_id"], "old_values": {"entry_status": "draft"} if action == "post" else None,
                "new_values": {"entry_status": "posted" if action == "post" else "draft", "total_debit": str(h["total_debit"])},
                "user_id": h["created_by"], "user_name": names.get(h["created_by"], h["created_by"]), "ip_address": "10.10.1.20",
                "session_id": f"gl-{h['posting_date']:%Y%m%d}",
            })
    for p in periods:
        if p["closed_date"]:
            t = as_dt(p["closed_date"]).replace(hour=18)
            audit.append({
                "audit_id": ctx.key("GLAUD", len(audit) + 1, 7), "audit_timestamp": clamp(t, now), "action_type": "close_period",
                "entity_type": "fiscal_period", "entity_id": p["period_id"], "old_values": {"period_status": "open"},
                "new_values": {"period_status": "closed"}, "user_id": p["closed_by"], "user_name": names.get(p["closed_by"], p["closed_by"]),
                "ip_address": "10.10.1.21", "session_id": f"close-{p['fiscal_year']}{p['period_number']:02d}",
            })

    return {
        "chart_of_accounts": coa, "gl_posting_rules": rules, "fiscal_years": fiscal_years, "fiscal_periods": periods,
        "cost_centers": ccs, "exchange_rates": rates, "budget_headers": budgets, "budget_lines": budget_lines,
        "journal_entry_headers": headers, "journal_entry_lines": jlines, "account_balances": balances,
        "financial_statements": statements, "inter_company_transactions": ic, "period_close_tasks": tasks,
        "gl_audit_trail": audit,
    }
