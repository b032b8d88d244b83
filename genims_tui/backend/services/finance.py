"""Finance: table-driven GL posting, fiscal periods, trial balance, account balances, period close.

Posting is driven by `gl_posting_rules`: a business transaction (`goods_receipt`, `sales_invoice`,
`production_completion`, `supplier_invoice`, `goods_issue`, `inventory_adjustment` ...) hands over
named amounts (`{"amount": ...}`, `{"net_amount": ..., "tax_amount": ...}`); each amount is posted
with the active rule of that transaction type and `amount_field` (Dr `debit_account_id`, Cr
`credit_account_id`; a negative amount swaps the sides). The entry nets per account and always
balances, or nothing is written.

Every posting names its source (`source_type`, `source_document_id`): posting the same source again
returns the entry already there and writes nothing, so a retried or concurrent caller never
double-posts (the check runs under a per-source lock: a PostgreSQL advisory lock, SQLite's writer
lock). Postings into a closed fiscal period are refused with the period's name.

Balances are `debit - credit` throughout: a positive balance is a debit balance.

Services of other business areas post through `post_for_source` after they checked their own
permission: the journal entry is the automatic consequence of an action the user may take (a buyer
receiving goods needs no finance write access). `post_transaction` is the entry point for people
and jobs posting on their own and needs write access to genims_financial_db.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, text, update

from ..errors import DomainError, NotFound
from ..models.financial import (
    AccountBalances,
    ChartOfAccounts,
    FiscalPeriods,
    FiscalYears,
    GlAuditTrail,
    GlPostingRules,
    JournalEntryHeaders,
    JournalEntryLines,
    PeriodCloseTasks,
)
from .base import ServiceContext, require_text, to_decimal

log = logging.getLogger(__name__)

FIN = "genims_financial_db"
D0 = Decimal("0.00")
CENT = Decimal("0.01")
CURRENCY = "USD"
CLOSED_STATUSES = frozenset({"closed", "locked", "hard_closed", "permanently_closed"})
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def account_id_for(code: str) -> str:
    """The account id of an account code in the standard chart (the seeds' `GLA-001300`)."""
    return f"GLA-{int(code):06d}"


# The standard chart of a manufacturer: (code, name, type, subtype, statement, normal balance, parent).
# The seeds install exactly this chart (genims_tui/seeds/financial.py), so the two never drift.
STANDARD_CHART: tuple[tuple[str, str, str, str, str, str, str | None], ...] = (
    ("1000", "Assets", "asset", "header", "balance_sheet", "debit", None),
    ("1100", "Cash and Bank", "asset", "cash", "balance_sheet", "debit", "1000"),
    ("1200", "Accounts Receivable", "asset", "receivable", "balance_sheet", "debit", "1000"),
    ("1250", "Input VAT Recoverable", "asset", "tax", "balance_sheet", "debit", "1000"),
    ("1300", "Raw Material Inventory", "asset", "inventory", "balance_sheet", "debit", "1000"),
    ("1310", "Work in Process", "asset", "inventory", "balance_sheet", "debit", "1000"),
    ("1320", "Finished Goods Inventory", "asset", "inventory", "balance_sheet", "debit", "1000"),
    ("1500", "Property, Plant and Equipment", "asset", "fixed_asset", "balance_sheet", "debit", "1000"),
    ("1510", "Accumulated Depreciation", "asset", "contra_asset", "balance_sheet", "credit", "1000"),
    ("1900", "Intercompany Receivable", "asset", "intercompany", "balance_sheet", "debit", "1000"),
    ("2000", "Liabilities", "liability", "header", "balance_sheet", "credit", None),
    ("2100", "Accounts Payable", "liability", "payable", "balance_sheet", "credit", "2000"),
    ("2150", "GR/IR Clearing", "liability", "clearing", "balance_sheet", "credit", "2000"),
    ("2200", "Sales Tax Payable", "liability", "tax", "balance_sheet", "credit", "2000"),
    ("2300", "Accrued Payroll", "liability", "accrual", "balance_sheet", "credit", "2000"),
    ("2400", "Accrued Expenses", "liability", "accrual", "balance_sheet", "credit", "2000"),
    ("2900", "Intercompany Payable", "liability", "intercompany", "balance_sheet", "credit", "2000"),
    ("3000", "Equity", "equity", "header", "balance_sheet", "credit", None),
    ("3100", "Share Capital", "equity", "capital", "balance_sheet", "credit", "3000"),
    ("3200", "Retained Earnings", "equity", "retained_earnings", "balance_sheet", "credit", "3000"),
    ("4000", "Revenue", "revenue", "header", "income_statement", "credit", None),
    ("4100", "Product Sales Revenue", "revenue", "sales", "income_statement", "credit", "4000"),
    ("4200", "Service Revenue", "revenue", "sales", "income_statement", "credit", "4000"),
    ("5000", "Cost of Goods Sold", "expense", "cogs", "income_statement", "debit", None),
    ("5100", "Manufacturing Variance", "expense", "variance", "income_statement", "debit", "5000"),
    ("5200", "Applied Labor and Overhead", "expense", "absorption", "income_statement", "debit", "5000"),
    ("5300", "Inventory Adjustments", "expense", "inventory_adjustment", "income_statement", "debit", "5000"),
    ("5400", "Purchase Price Variance", "expense", "variance", "income_statement", "debit", "5000"),
    ("6000", "Operating Expenses", "expense", "header", "income_statement", "debit", None),
    ("6100", "Salaries and Wages", "expense", "payroll", "income_statement", "debit", "6000"),
    ("6200", "Depreciation Expense", "expense", "depreciation", "income_statement", "debit", "6000"),
    ("6300", "Utilities", "expense", "utilities", "income_statement", "debit", "6000"),
    ("6400", "Maintenance and Repairs", "expense", "maintenance", "income_statement", "debit", "6000"),
    ("6500", "Freight and Logistics", "expense", "logistics", "income_statement", "debit", "6000"),
    ("6600", "Quality Costs", "expense", "quality", "income_statement", "debit", "6000"),
)
HEADER_CODES = frozenset({"1000", "2000", "3000", "4000", "6000"})

# (rule code, transaction type, amount field, debit code, credit code, name)
STANDARD_RULES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("GR-INV", "goods_receipt", "amount", "1300", "2150", "Goods receipt: raw material inventory against GR/IR"),
    ("GI-WIP", "goods_issue", "amount", "1310", "1300", "Goods issue to production: WIP against raw material"),
    ("PC-FG", "production_completion", "amount", "1320", "1310", "Production completion: finished goods against WIP"),
    ("PC-VAR", "production_completion", "variance", "5100", "1310", "Production variance against WIP"),
    ("SI-REV", "sales_invoice", "net_amount", "1200", "4100", "Customer invoice: receivable against revenue"),
    ("SI-TAX", "sales_invoice", "tax_amount", "1200", "2200", "Customer invoice: receivable against sales tax"),
    ("DLV-COGS", "goods_delivery", "amount", "5000", "1320", "Delivery: cost of goods sold against finished goods"),
    ("AP-GRIR", "supplier_invoice", "receipt_value", "2150", "2100", "Supplier invoice: clear GR/IR against payable"),
    ("AP-PPV", "supplier_invoice", "price_variance", "5400", "2100", "Supplier invoice: price variance"),
    ("AP-TAX", "supplier_invoice", "tax_amount", "1250", "2100", "Supplier invoice: input tax"),
    ("AP-FRT", "supplier_invoice", "other_charges", "6500", "2100", "Supplier invoice: freight and other charges"),
    ("ADJ-INV", "inventory_adjustment", "amount", "1300", "5300", "Inventory adjustment (gain +, loss -)"),
    ("PAY-AP", "supplier_payment", "amount", "2100", "1100", "Payment to a supplier"),
    ("PAY-AR", "customer_payment", "amount", "1100", "1200", "Payment from a customer"),
    ("PROD-ABS", "production_absorption", "amount", "1310", "5200", "Labor and overhead absorbed by a production order"),
    ("PAYROLL", "payroll", "amount", "6100", "2300", "Monthly payroll accrual"),
    ("DEPR", "depreciation", "amount", "6200", "1510", "Monthly depreciation"),
)

STANDARD_CLOSE_TASKS: tuple[tuple[str, str], ...] = (
    ("Every journal entry balances", "Sum of debits equals sum of credits for every entry of the period."),
    ("No unposted entries", "Draft or pending entries of the period are posted or deleted."),
    ("Account balances recomputed", "account_balances of the period are recomputed from the journal lines."),
    ("Trial balance is zero", "Total debits equal total credits over all accounts for the period."),
    ("Period locked", "Postings into the period are refused from now on."),
)


# -- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalLine:
    account_id: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Posting:
    journal_entry_id: str
    created: bool  # False: the source had been posted already; this is that entry
    source_type: str
    source_document_id: str
    posting_date: dt.date
    fiscal_year: int
    fiscal_period: int
    total_debit: Decimal
    total_credit: Decimal
    lines: tuple[JournalLine, ...] = field(default=())


@dataclass(frozen=True)
class Period:
    period_id: str
    fiscal_year: int
    period_number: int
    name: str
    start_date: dt.date
    end_date: dt.date
    status: str
    allow_posting: bool

    @property
    def label(self) -> str:
        return f"{self.fiscal_year}-{self.period_number:02d} ({self.name})"

    @property
    def is_closed(self) -> bool:
        return (self.status or "").lower() in CLOSED_STATUSES or self.allow_posting is False


# -- helpers ----------------------------------------------------------------------------------------


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def serialize(conn: Connection, key: str, lock_table) -> None:
    """Serialize writers of `key` until the transaction ends: a PostgreSQL advisory transaction
    lock, or on SQLite the database's writer lock (taken by a no-op write on `lock_table`)."""
    if conn.dialect.name == "postgresql":
        number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})
    else:
        pk = list(lock_table.primary_key.columns)[0]
        conn.execute(update(lock_table).where(pk.is_(None), pk.is_not(None)).values({pk.name: pk}))


def _period_of(row) -> Period:
    return Period(row.period_id, row.fiscal_year, row.period_number, row.period_name or "", row.start_date,
                  row.end_date, row.period_status or "open", row.allow_posting)


def _posted_filter():
    return or_(JournalEntryHeaders.posted.is_(True), JournalEntryHeaders.entry_status == "posted")


# -- chart of accounts, rules, fiscal calendar ------------------------------------------------------


def ensure_chart_of_accounts(ctx: ServiceContext) -> dict[str, int]:
    """Install the standard manufacturing chart and posting rules where missing (idempotent: an
    account whose id or code exists is kept, a rule is added only where no active rule of its
    transaction type and amount field exists). Returns what was added."""
    ctx.require(FIN, "write", "Installing the chart of accounts")
    now = ctx.now()
    with ctx.transaction(FIN) as conn:
        serialize(conn, "fin:chart", ChartOfAccounts.__table__)
        existing = {r.account_code: r.account_id for r in conn.execute(select(ChartOfAccounts.account_code, ChartOfAccounts.account_id))}
        ids = set(existing.values())
        new_accounts = []
        for code, name, typ, sub, stmt, normal, parent in STANDARD_CHART:
            aid = account_id_for(code)
            if code in existing or aid in ids:
                continue
            existing[code] = aid
            new_accounts.append({
                "account_id": aid, "account_code": code, "account_name": name,
                "parent_account_id": existing.get(parent) if parent else None,
                "account_level": 1 if parent is None else 2, "account_type": typ, "account_subtype": sub,
                "financial_statement": stmt, "normal_balance": normal, "is_control_account": sub in ("payable", "receivable", "clearing"),
                "allow_posting": code not in HEADER_CODES, "currency_code": CURRENCY, "allow_multi_currency": False,
                "requires_cost_center": False, "description": name, "is_active": True,
                "effective_date": dt.date(now.year, 1, 1), "inactive_date": None, "created_at": now, "updated_at": now,
            })
        # parents first (a parent added in this call must exist before its children)
        new_accounts.sort(key=lambda a: a["account_level"])
        if new_accounts:
            conn.execute(insert(ChartOfAccounts), new_accounts)
        have_rules = {
            (r.transaction_type, r.amount_field or "amount")
            for r in conn.execute(select(GlPostingRules.transaction_type, GlPostingRules.amount_field)
                                  .where(GlPostingRules.is_active.is_not(False)))
        }
        rule_ids = {r for (r,) in conn.execute(select(GlPostingRules.rule_id))}
        new_rules = []
        for code, ttype, field_name, dr, cr, name in STANDARD_RULES:
            rid = f"GLR-{code}"
            if (ttype, field_name) in have_rules or rid in rule_ids:
                continue
            new_rules.append({
                "rule_id": rid, "rule_code": code, "rule_name": name, "transaction_type": ttype,
                "transaction_subtype": None, "condition_rules": None, "debit_account_id": existing[dr],
                "credit_account_id": existing[cr], "amount_field": field_name,
                "description_template": f"{name}: {{source}}", "effective_from": None, "effective_to": None,
                "rule_priority": 100, "is_active": True, "created_at": now,
            })
        if new_rules:
            conn.execute(insert(GlPostingRules), new_rules)
        if new_accounts or new_rules:
            ctx.audit("finance.chart.install", FIN, "chart_of_accounts", None,
                      after={"accounts": [a["account_code"] for a in new_accounts], "rules": [r["rule_code"] for r in new_rules]})
    return {"accounts_added": len(new_accounts), "rules_added": len(new_rules)}


def _create_calendar_year(conn: Connection, year: int, now: dt.datetime, user_id: str) -> None:
    if not conn.execute(select(FiscalYears.fiscal_year_id).where(FiscalYears.fiscal_year == year)).first():
        conn.execute(insert(FiscalYears).values(
            fiscal_year_id=f"FY-{year}", fiscal_year=year, start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31),
            year_status="open", created_at=now))
    have = {n for (n,) in conn.execute(select(FiscalPeriods.period_number).where(FiscalPeriods.fiscal_year == year))}
    rows = []
    for month in range(1, 13):
        if month in have:
            continue
        start = dt.date(year, month, 1)
        end = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
        rows.append({"period_id": f"FP-{year}-{month:02d}", "fiscal_year": year, "period_number": month,
                     "period_name": f"{MONTHS[month - 1]} {year}", "start_date": start, "end_date": end,
                     "period_status": "open", "closed_date": None, "closed_by": None, "allow_posting": True,
                     "created_at": now})
    if rows:
        conn.execute(insert(FiscalPeriods), rows)
    log.info("opened calendar fiscal year %s for %s", year, user_id)


def ensure_fiscal_year(ctx: ServiceContext, year: int) -> None:
    """Open calendar fiscal year `year` (12 monthly periods) where missing; idempotent."""
    ctx.require(FIN, "write", "Opening a fiscal year")
    if not 1900 < int(year) < 3000:
        raise DomainError(f"{year} is not a fiscal year.")
    with ctx.transaction(FIN) as conn:
        serialize(conn, "fin:calendar", FiscalPeriods.__table__)
        _create_calendar_year(conn, int(year), ctx.now(), ctx.user.user_id)
        ctx.audit("finance.fiscal_year.open", FIN, "fiscal_year", str(year))


def _find_period(conn: Connection, day: dt.date, *, for_update: bool = False) -> Period | None:
    q = (select(FiscalPeriods).where(FiscalPeriods.start_date <= day, FiscalPeriods.end_date >= day)
         .order_by(FiscalPeriods.period_number))
    if for_update:
        q = q.with_for_update(read=True)
    row = conn.execute(q).first()
    return _period_of(row) if row else None


def _period_for_posting(conn: Connection, day: dt.date, now: dt.datetime, user_id: str, create: bool) -> Period | None:
    """The period `day` posts into: refused when closed or missing. A calendar year nobody opened at
    all (no fiscal year row, no period in it) is opened on the fly when `create` (a dry run returns
    None for it)."""
    period = _find_period(conn, day, for_update=create)
    if period is None:
        year_known = conn.execute(select(FiscalYears.fiscal_year_id).where(
            or_(FiscalYears.fiscal_year == day.year, and_(FiscalYears.start_date <= day, FiscalYears.end_date >= day)))).first()
        year_known = year_known or conn.execute(select(FiscalPeriods.period_id).where(FiscalPeriods.fiscal_year == day.year)).first()
        if year_known:
            raise DomainError(f"No fiscal period covers {day.isoformat()}.",
                              "Ask a finance manager to open the fiscal period, or post with a date inside an open one.")
        if not create:
            return None
        serialize(conn, "fin:calendar", FiscalPeriods.__table__)
        _create_calendar_year(conn, day.year, now, user_id)
        period = _find_period(conn, day, for_update=True)
        assert period is not None
    if period.is_closed:
        raise DomainError(
            f"Fiscal period {period.label} is closed; nothing can be posted into it.",
            f"Post with a date in an open period, or ask a finance manager to reopen {period.label}.",
        )
    return period


def fiscal_period_for(ctx: ServiceContext, day: dt.date) -> Period | None:
    ctx.require(FIN, "read", "Looking up a fiscal period")
    with ctx.read(FIN) as conn:
        return _find_period(conn, day)


# -- posting ----------------------------------------------------------------------------------------


def _clean_amounts(amounts: Mapping[str, Any] | Decimal | int | str) -> dict[str, Decimal]:
    if not isinstance(amounts, Mapping):
        amounts = {"amount": amounts}
    if not amounts:
        raise DomainError("A posting needs at least one amount.")
    clean = {}
    for name, value in amounts.items():
        clean[str(name)] = to_decimal(value, f"Amount {name!r}", places=2, minimum=Decimal("-9999999999999.99"),
                                      maximum=Decimal("9999999999999.99"))
    return clean


def _rules_for(conn: Connection, transaction_type: str, day: dt.date, subtype: str | None) -> dict[str, Any]:
    rows = conn.execute(
        select(GlPostingRules).where(
            GlPostingRules.transaction_type == transaction_type,
            GlPostingRules.is_active.is_not(False),
            or_(GlPostingRules.effective_from.is_(None), GlPostingRules.effective_from <= day),
            or_(GlPostingRules.effective_to.is_(None), GlPostingRules.effective_to >= day),
        )
    ).all()
    best: dict[str, Any] = {}
    for r in rows:
        if r.transaction_subtype not in (None, "", subtype):
            continue
        key = r.amount_field or "amount"
        # a rule of the exact subtype wins over a generic one; then the lower priority number
        rank = (0 if subtype and r.transaction_subtype == subtype else 1, r.rule_priority if r.rule_priority is not None else 999, r.rule_id)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, r)
    return {k: v[1] for k, v in best.items()}


def _build_lines(conn: Connection, transaction_type: str, amounts: dict[str, Decimal], day: dt.date,
                 subtype: str | None) -> list[JournalLine]:
    rules = _rules_for(conn, transaction_type, day, subtype)
    if not rules:
        raise DomainError(
            f"There is no active GL posting rule for {transaction_type!r}.",
            "Install the standard chart and rules (finance.ensure_chart_of_accounts) or add a rule in gl_posting_rules.",
        )
    net: dict[str, Decimal] = defaultdict(lambda: D0)
    order: list[str] = []
    for name, amount in amounts.items():
        if amount == 0:
            continue
        rule = rules.get(name)
        if rule is None:
            raise DomainError(
                f"There is no GL posting rule for amount {name!r} of {transaction_type!r} "
                f"(rules exist for: {', '.join(sorted(rules))}).",
                "Add a rule for it in gl_posting_rules or post the amount under a field that has one.",
            )
        if not rule.debit_account_id or not rule.credit_account_id:
            raise DomainError(f"GL posting rule {rule.rule_id} lacks a debit or credit account; fix the rule.")
        for acct, signed in ((rule.debit_account_id, amount), (rule.credit_account_id, -amount)):
            if acct not in net:
                order.append(acct)
            net[acct] += signed
    lines = [JournalLine(a, net[a] if net[a] > 0 else D0, -net[a] if net[a] < 0 else D0) for a in order if net[a] != 0]
    if not lines:
        raise DomainError(f"Nothing to post for {transaction_type!r}: every amount is zero or they cancel out.")
    debit = sum((ln.debit for ln in lines), D0)
    credit = sum((ln.credit for ln in lines), D0)
    if debit != credit:  # cannot happen with paired rules; refuse rather than write an unbalanced entry
        raise DomainError(f"The entry for {transaction_type!r} does not balance (debit {debit}, credit {credit}); nothing was posted.")
    accounts = {r.account_id: r for r in conn.execute(
        select(ChartOfAccounts.account_id, ChartOfAccounts.account_code, ChartOfAccounts.is_active, ChartOfAccounts.allow_posting)
        .where(ChartOfAccounts.account_id.in_([ln.account_id for ln in lines])))}
    for ln in lines:
        acct = accounts.get(ln.account_id)
        if acct is None:
            raise DomainError(f"GL posting rule for {transaction_type!r} names account {ln.account_id}, which is not in the chart of accounts.",
                              "Fix the rule or add the account.")
        if acct.is_active is False or acct.allow_posting is False:
            raise DomainError(f"Account {acct.account_code or ln.account_id} does not allow posting (inactive or a header account).",
                              "Point the posting rule at a posting account.")
    return lines


def _existing(conn: Connection, source_type: str, source_document_id: str) -> Posting | None:
    head = conn.execute(select(JournalEntryHeaders).where(
        JournalEntryHeaders.source_type == source_type, JournalEntryHeaders.source_document_id == source_document_id)
        .order_by(JournalEntryHeaders.created_at, JournalEntryHeaders.journal_entry_id)).first()
    if head is None:
        return None
    lines = conn.execute(select(JournalEntryLines.account_id, JournalEntryLines.debit_amount, JournalEntryLines.credit_amount)
                         .where(JournalEntryLines.journal_entry_id == head.journal_entry_id).order_by(JournalEntryLines.line_number)).all()
    return Posting(head.journal_entry_id, False, source_type, source_document_id, head.posting_date, head.fiscal_year,
                   head.fiscal_period, head.total_debit, head.total_credit,
                   tuple(JournalLine(a, d or D0, c or D0) for a, d, c in lines))


def check_postable(ctx: ServiceContext, transaction_type: str, amounts: Mapping[str, Any] | Decimal,
                   posting_date: dt.date | None = None, subtype: str | None = None) -> None:
    """Would this posting be accepted (rules, accounts, an open period)? Raises the DomainError it
    would raise; writes nothing. Cross-database callers check before they change their own data."""
    day = posting_date or ctx.today()
    clean = _clean_amounts(amounts)
    with ctx.read(FIN) as conn:
        _build_lines(conn, transaction_type, clean, day, subtype)
        _period_for_posting(conn, day, ctx.now(), ctx.user.user_id, create=False)


def find_posting(ctx: ServiceContext, source_type: str, source_document_id: str) -> Posting | None:
    with ctx.read(FIN) as conn:
        return _existing(conn, source_type, source_document_id)


def post_transaction(ctx: ServiceContext, transaction_type: str, amounts: Mapping[str, Any] | Decimal, *,
                     source_document_id: str, source_type: str | None = None, posting_date: dt.date | None = None,
                     description: str | None = None, reference: str | None = None, subtype: str | None = None,
                     factory_id: str | None = None) -> Posting:
    """Post a business transaction to the GL by its rules (needs write access to finance)."""
    ctx.require(FIN, "write", f"Posting a {transaction_type} journal entry")
    return post_for_source(ctx, transaction_type, amounts, source_document_id=source_document_id, source_type=source_type,
                           posting_date=posting_date, description=description, reference=reference, subtype=subtype,
                           factory_id=factory_id)


def post_for_source(ctx: ServiceContext, transaction_type: str, amounts: Mapping[str, Any] | Decimal, *,
                    source_document_id: str, source_type: str | None = None, posting_date: dt.date | None = None,
                    description: str | None = None, reference: str | None = None, subtype: str | None = None,
                    factory_id: str | None = None) -> Posting:
    """The posting itself, for services that checked the acting user's permission for the business
    action that causes it. Idempotent per (source_type, source_document_id)."""
    transaction_type = require_text(transaction_type, "Transaction type", 50)
    source_type = require_text(source_type or transaction_type, "Source type", 30)
    source_document_id = require_text(source_document_id, "Source document", 50)
    day = posting_date or ctx.today()
    clean = _clean_amounts(amounts)
    with ctx.read(FIN) as conn:
        found = _existing(conn, source_type, source_document_id)
    if found:
        return found
    entry_id = ctx.next_key("JE", JournalEntryHeaders.__table__, "journal_entry_id", FIN)
    now = ctx.now()
    with ctx.transaction(FIN) as conn:
        serialize(conn, f"fin:source:{source_type}:{source_document_id}", JournalEntryHeaders.__table__)
        found = _existing(conn, source_type, source_document_id)
        if found:  # a concurrent caller posted it meanwhile; the key we drew stays unused
            return found
        lines = _build_lines(conn, transaction_type, clean, day, subtype)
        period = _period_for_posting(conn, day, now, ctx.user.user_id, create=True)
        assert period is not None
        total = sum((ln.debit for ln in lines), D0)
        text_ = description or f"{transaction_type.replace('_', ' ')} {source_document_id}"
        conn.execute(insert(JournalEntryHeaders).values(
            journal_entry_id=entry_id, journal_number=entry_id, entry_type="automatic", source_type=source_type,
            source_document_id=source_document_id, posting_date=day, fiscal_year=period.fiscal_year,
            fiscal_period=period.period_number, description=text_, reference=reference or source_document_id,
            total_debit=total, total_credit=total, currency_code=CURRENCY, exchange_rate=Decimal("1"),
            functional_currency_code=CURRENCY, entry_status="posted", posted=True, posted_by=ctx.user.user_id,
            posted_at=now, reversed=False, requires_approval=False, approved=None, created_by=ctx.user.user_id,
            created_at=now, updated_at=now))
        conn.execute(insert(JournalEntryLines), [
            {"line_id": f"{entry_id}-{n:03d}", "journal_entry_id": entry_id, "line_number": n, "account_id": ln.account_id,
             "debit_amount": ln.debit, "credit_amount": ln.credit, "currency_code": CURRENCY, "exchange_rate": Decimal("1"),
             "functional_debit": ln.debit, "functional_credit": ln.credit, "cost_center_id": None,
             "department_id": None, "factory_id": factory_id, "line_description": text_, "created_at": now}
            for n, ln in enumerate(lines, 1)])
        after = {"source": f"{source_type}:{source_document_id}", "transaction_type": transaction_type,
                 "posting_date": day, "period": period.label, "total": total,
                 "lines": [[ln.account_id, ln.debit, ln.credit] for ln in lines]}
        _gl_audit(conn, ctx, "post", "journal_entry", entry_id, None, after)
        ctx.audit("finance.journal.post", FIN, "journal_entry", entry_id, after=after)
    return Posting(entry_id, True, source_type, source_document_id, day, period.fiscal_year, period.period_number,
                   total, total, tuple(lines))


def _gl_audit(conn: Connection, ctx: ServiceContext, action: str, entity_type: str, entity_id: str, old: Any, new: Any) -> None:
    from .base import jsonable

    conn.execute(insert(GlAuditTrail).values(
        audit_id=f"GLAT-{uuid.uuid4().hex}", audit_timestamp=ctx.now(),
        action_type=action, entity_type=entity_type, entity_id=entity_id, old_values=jsonable(old),
        new_values=jsonable(new), user_id=ctx.user.user_id[:50], user_name=ctx.user.display_name[:200],
        ip_address=None, session_id=None))


# -- reports ----------------------------------------------------------------------------------------


def parse_period(value: str) -> tuple[int, int]:
    """'2026-11' -> (2026, 11)."""
    text_ = (value or "").strip()
    try:
        year_s, month_s = text_.split("-")
        year, month = int(year_s), int(month_s)
        if not (1900 < year < 3000 and 1 <= month <= 13):
            raise ValueError
    except ValueError:
        raise DomainError(f"{value!r} is not a period; use YYYY-MM, e.g. 2026-11.") from None
    return year, month


def trial_balance(ctx: ServiceContext, fiscal_year: int | None = None, fiscal_period: int | None = None,
                  cumulative: bool = False) -> dict[str, Any]:
    """Debits, credits and balance (debit - credit) per account from posted journal lines: of one
    period, through the end of one period (`cumulative`), or of everything. Totals balance to 0."""
    ctx.require(FIN, "read", "Reading the trial balance")
    h, ln, coa = JournalEntryHeaders, JournalEntryLines, ChartOfAccounts
    conds = [_posted_filter()]
    if fiscal_year is not None and fiscal_period is not None:
        if cumulative:
            conds.append(or_(h.fiscal_year < fiscal_year, and_(h.fiscal_year == fiscal_year, h.fiscal_period <= fiscal_period)))
        else:
            conds += [h.fiscal_year == fiscal_year, h.fiscal_period == fiscal_period]
    elif fiscal_year is not None:
        conds.append(h.fiscal_year <= fiscal_year if cumulative else h.fiscal_year == fiscal_year)
    q = (select(ln.account_id, func.sum(ln.debit_amount), func.sum(ln.credit_amount))
         .join(h, h.journal_entry_id == ln.journal_entry_id).where(*conds).group_by(ln.account_id))
    with ctx.read(FIN) as conn:
        sums = conn.execute(q).all()
        names = {r.account_id: r for r in conn.execute(
            select(coa.account_id, coa.account_code, coa.account_name, coa.account_type)
            .where(coa.account_id.in_([s[0] for s in sums])))}
    rows = []
    for account, debit, credit in sums:
        debit, credit = money(Decimal(debit or 0)), money(Decimal(credit or 0))
        meta = names.get(account)
        rows.append({"account_id": account, "account_code": meta.account_code if meta else None,
                     "account_name": meta.account_name if meta else None, "account_type": meta.account_type if meta else None,
                     "debit": debit, "credit": credit, "balance": debit - credit})
    rows.sort(key=lambda r: (r["account_code"] or "", r["account_id"]))
    total_d = sum((r["debit"] for r in rows), D0)
    total_c = sum((r["credit"] for r in rows), D0)
    scope = ("all periods" if fiscal_year is None else
             f"{fiscal_year}" + (f"-{fiscal_period:02d}" if fiscal_period is not None else "") + (" cumulative" if cumulative else ""))
    return {"scope": scope, "fiscal_year": fiscal_year, "fiscal_period": fiscal_period, "cumulative": cumulative,
            "accounts": rows, "total_debit": total_d, "total_credit": total_c, "total_balance": total_d - total_c}


def update_account_balances(ctx: ServiceContext, fiscal_year: int | None = None) -> dict[str, int]:
    """Recompute account_balances (per account and period, no cost center) from the posted journal
    lines: period debit/credit, year-to-date debit/credit, beginning and ending balance (balance
    sheet accounts carry forward across years, income statement accounts restart each year).
    Idempotent: a rerun over unchanged lines changes nothing; budgets already there are kept."""
    ctx.require(FIN, "write", "Updating account balances")
    h, ln = JournalEntryHeaders, JournalEntryLines
    now = ctx.now()
    with ctx.transaction(FIN) as conn:
        serialize(conn, "fin:balances", AccountBalances.__table__)
        sums = conn.execute(
            select(ln.account_id, h.fiscal_year, h.fiscal_period, func.sum(ln.debit_amount), func.sum(ln.credit_amount))
            .join(h, h.journal_entry_id == ln.journal_entry_id).where(_posted_filter())
            .group_by(ln.account_id, h.fiscal_year, h.fiscal_period)).all()
        stmt_of = {a: s for a, s in conn.execute(select(ChartOfAccounts.account_id, ChartOfAccounts.financial_statement))}
        by_account: dict[str, dict[tuple[int, int], tuple[Decimal, Decimal]]] = defaultdict(dict)
        for account, year, period, debit, credit in sums:
            if year is None or period is None:
                continue
            by_account[account][(int(year), int(period))] = (money(Decimal(debit or 0)), money(Decimal(credit or 0)))
        periods = sorted({(int(y), int(p)) for y, p in conn.execute(select(FiscalPeriods.fiscal_year, FiscalPeriods.period_number))
                          if y is not None and p is not None} | {k for acc in by_account.values() for k in acc})
        wanted: dict[tuple[str, int, int], dict[str, Any]] = {}
        for account, activity in by_account.items():
            carries = stmt_of.get(account) != "income_statement"
            first = min(activity)
            running = D0
            ytd_d = ytd_c = D0
            year_seen = None
            for key in periods:
                if key < first:
                    continue
                year, period = key
                if year != year_seen:
                    ytd_d = ytd_c = D0
                    if not carries:
                        running = D0
                    year_seen = year
                debit, credit = activity.get(key, (D0, D0))
                ytd_d += debit
                ytd_c += credit
                begin = running
                running = begin + debit - credit
                if fiscal_year is not None and year != fiscal_year:
                    continue
                wanted[(account, year, period)] = {
                    "beginning_balance": begin, "period_debit": debit, "period_credit": credit,
                    "ending_balance": running, "ytd_debit": ytd_d, "ytd_credit": ytd_c}
        existing = {}
        for r in conn.execute(select(AccountBalances).where(AccountBalances.cost_center_id.is_(None))):
            existing[(r.account_id, r.fiscal_year, r.fiscal_period)] = r
        inserts, updates = [], []
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                inserts.append({"balance_id": f"AB-{key[0]}-{key[1]}-{key[2]:02d}"[:50], "account_id": key[0],
                                "fiscal_year": key[1], "fiscal_period": key[2], "cost_center_id": None,
                                "period_budget": None, "ytd_budget": None, "last_updated": now, **values})
            elif any(getattr(row, k) is None or Decimal(getattr(row, k)) != v for k, v in values.items()):
                updates.append({"b_id": row.balance_id, **values, "last_updated": now})
        # rows of accounts/periods that no longer have activity (none, unless lines were removed) are zeroed
        for key, row in existing.items():
            if key not in wanted and (fiscal_year is None or key[1] == fiscal_year) and key[0] not in by_account:
                if any(getattr(row, k) not in (None, D0) for k in ("period_debit", "period_credit", "ending_balance")):
                    updates.append({"b_id": row.balance_id, "beginning_balance": D0, "period_debit": D0, "period_credit": D0,
                                    "ending_balance": D0, "ytd_debit": D0, "ytd_credit": D0, "last_updated": now})
        if inserts:
            conn.execute(insert(AccountBalances), inserts)
        if updates:
            from sqlalchemy import bindparam

            tbl = AccountBalances.__table__
            cols = ["beginning_balance", "period_debit", "period_credit", "ending_balance", "ytd_debit", "ytd_credit", "last_updated"]
            conn.execute(update(tbl).where(tbl.c.balance_id == bindparam("b_id")).values({c: bindparam(c) for c in cols}), updates)
        if inserts or updates:
            ctx.audit("finance.balances.update", FIN, "account_balances", str(fiscal_year or "all"),
                      after={"inserted": len(inserts), "updated": len(updates)})
    return {"inserted": len(inserts), "updated": len(updates), "rows": len(wanted)}


# -- period close -----------------------------------------------------------------------------------


def _load_period(conn: Connection, year: int, number: int, for_update: bool = False):
    q = select(FiscalPeriods).where(FiscalPeriods.fiscal_year == year, FiscalPeriods.period_number == number)
    if for_update:
        q = q.with_for_update()
    row = conn.execute(q).first()
    if row is None:
        raise NotFound(f"There is no fiscal period {year}-{number:02d}.", "Open the fiscal year first (finance.ensure_fiscal_year).")
    return row


def close_period(ctx: ServiceContext, fiscal_year: int, fiscal_period: int) -> dict[str, Any]:
    """Close a fiscal period: run its period_close_tasks (the standard list when it has none) and
    lock it. Any failing task refuses the close and changes nothing; afterwards postings into the
    period are refused."""
    ctx.require_capability("period.close", "Closing a fiscal period")
    ctx.require(FIN, "write", "Closing a fiscal period")
    now = ctx.now()
    with ctx.transaction(FIN) as conn:
        serialize(conn, "fin:calendar", FiscalPeriods.__table__)
        row = _load_period(conn, fiscal_year, fiscal_period, for_update=True)
        period = _period_of(row)
        if period.is_closed:
            raise DomainError(f"Fiscal period {period.label} is closed already.", "Nothing to do.")
        h, ln = JournalEntryHeaders, JournalEntryLines
        in_period = and_(h.fiscal_year == fiscal_year, h.fiscal_period == fiscal_period)
        unbalanced = conn.execute(
            select(h.journal_entry_id).join(ln, ln.journal_entry_id == h.journal_entry_id).where(in_period, _posted_filter())
            .group_by(h.journal_entry_id)
            .having(func.abs(func.coalesce(func.sum(ln.debit_amount), 0) - func.coalesce(func.sum(ln.credit_amount), 0)) >= Decimal("0.005"))
            .limit(5)).scalars().all()
        drafts = conn.execute(select(h.journal_entry_id).where(in_period, ~_posted_filter()).limit(5)).scalars().all()
        count = conn.execute(select(func.count()).select_from(h).where(in_period, _posted_filter())).scalar_one()
        results: list[tuple[str, bool, str]] = []
        tasks = conn.execute(select(PeriodCloseTasks).where(PeriodCloseTasks.fiscal_year == fiscal_year,
                                                            PeriodCloseTasks.fiscal_period == fiscal_period)
                             .order_by(PeriodCloseTasks.task_sequence)).all()
        if not tasks:
            conn.execute(insert(PeriodCloseTasks), [
                {"task_id": f"PCT-{fiscal_year}-{fiscal_period:02d}-{n:02d}", "fiscal_year": fiscal_year,
                 "fiscal_period": fiscal_period, "task_sequence": n, "task_name": name, "task_description": desc,
                 "task_status": "pending", "created_at": now}
                for n, (name, desc) in enumerate(STANDARD_CLOSE_TASKS, 1)])
            tasks = conn.execute(select(PeriodCloseTasks).where(PeriodCloseTasks.fiscal_year == fiscal_year,
                                                                PeriodCloseTasks.fiscal_period == fiscal_period)
                                 .order_by(PeriodCloseTasks.task_sequence)).all()
        for task in tasks:
            name = (task.task_name or "").lower()
            if task.task_status in ("completed", "skipped") and "lock" not in name:
                results.append((task.task_id, True, task.result_message or "done earlier"))
            elif "balance" in name and "trial" not in name and "account" not in name:
                ok = not unbalanced
                results.append((task.task_id, ok, f"{count} entries balance" if ok else f"unbalanced: {', '.join(unbalanced)}"))
            elif "unposted" in name or "draft" in name:
                ok = not drafts
                results.append((task.task_id, ok, "none" if ok else f"unposted: {', '.join(drafts)}"))
            else:
                results.append((task.task_id, True, "done"))
        failed = [(tid, msg) for tid, ok, msg in results if not ok]
        if failed:
            raise DomainError(
                f"Fiscal period {period.label} cannot be closed: {'; '.join(f'{t} {m}' for t, m in failed)}.",
                "Correct or post those journal entries, then close again.",
            )
        # trial balance of the period (the same lines, summed)
        totals = conn.execute(select(func.coalesce(func.sum(ln.debit_amount), 0), func.coalesce(func.sum(ln.credit_amount), 0))
                              .join(h, h.journal_entry_id == ln.journal_entry_id).where(in_period, _posted_filter())).one()
        if money(Decimal(totals[0])) != money(Decimal(totals[1])):
            raise DomainError(f"Fiscal period {period.label} cannot be closed: the trial balance is not zero "
                              f"(debits {money(Decimal(totals[0]))}, credits {money(Decimal(totals[1]))}).",
                              "Find the unbalanced entries and correct them, then close again.")
        for tid, _ok, msg in results:
            conn.execute(update(PeriodCloseTasks).where(PeriodCloseTasks.task_id == tid).values(
                task_status="completed", started_at=now, completed_at=now, completed_by=ctx.user.user_id[:50],
                result_message=msg))
        conn.execute(update(FiscalPeriods).where(FiscalPeriods.period_id == period.period_id).values(
            period_status="closed", allow_posting=False, closed_date=ctx.today(), closed_by=ctx.user.user_id[:50]))
        before = {"status": period.status, "allow_posting": period.allow_posting}
        after = {"status": "closed", "allow_posting": False, "entries": count, "tasks": len(results)}
        _gl_audit(conn, ctx, "close", "fiscal_period", period.period_id, before, after)
        ctx.audit("finance.period.close", FIN, "fiscal_period", period.period_id, before=before, after=after)
    # balances of the closed period, recomputed from the lines now frozen
    update_account_balances(ctx, fiscal_year)
    return {"period_id": period.period_id, "period": period.label, "entries": count, "tasks": len(results)}


def reopen_period(ctx: ServiceContext, fiscal_year: int, fiscal_period: int, reason: str) -> None:
    """Reopen a closed period (capability period.close), with a reason for the audit trail."""
    ctx.require_capability("period.close", "Reopening a fiscal period")
    ctx.require(FIN, "write", "Reopening a fiscal period")
    reason = require_text(reason, "Reason", 500)
    with ctx.transaction(FIN) as conn:
        serialize(conn, "fin:calendar", FiscalPeriods.__table__)
        row = _load_period(conn, fiscal_year, fiscal_period, for_update=True)
        period = _period_of(row)
        if not period.is_closed:
            raise DomainError(f"Fiscal period {period.label} is open already.")
        conn.execute(update(FiscalPeriods).where(FiscalPeriods.period_id == period.period_id).values(
            period_status="open", allow_posting=True, closed_date=None, closed_by=None))
        _gl_audit(conn, ctx, "reopen", "fiscal_period", period.period_id, {"status": period.status}, {"status": "open", "reason": reason})
        ctx.audit("finance.period.reopen", FIN, "fiscal_period", period.period_id, before={"status": period.status},
                  after={"status": "open"}, detail=reason)


def posted_sources(ctx: ServiceContext, source_type: str, source_document_ids: list[str] | set[str]) -> set[str]:
    """Which of `source_document_ids` have a journal entry under `source_type` (for the posting
    sweeps: one bulk look-up, in chunks that stay under the drivers' parameter limits)."""
    ids = sorted(set(source_document_ids))
    found: set[str] = set()
    h = JournalEntryHeaders
    with ctx.read(FIN) as conn:
        for i in range(0, len(ids), 500):
            found.update(conn.execute(select(h.source_document_id).where(
                h.source_type == source_type, h.source_document_id.in_(ids[i:i + 500]))).scalars())
    return found
