"""Finance: table-driven posting that always balances, idempotent per source, closed periods refused,
trial balance, account balances, period close with its permission."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select, update

from genims_tui.backend.access import AccessStore
from genims_tui.backend.errors import DomainError, PermissionDenied
from genims_tui.backend.models.financial import (
    AccountBalances,
    ChartOfAccounts,
    FiscalPeriods,
    GlPostingRules,
    JournalEntryHeaders,
    JournalEntryLines,
    PeriodCloseTasks,
)
from genims_tui.backend.services import finance

from .p2p_estate import FROZEN, context

FIN = "genims_financial_db"


def fin_estate(dbs):
    dbs.create([FIN, "genims_console_db"])
    ctx = context(dbs)
    finance.ensure_chart_of_accounts(ctx)
    return ctx


def counts(dbs) -> tuple[int, int]:
    with dbs.connect(FIN) as conn:
        return (conn.execute(select(func.count()).select_from(JournalEntryHeaders)).scalar_one(),
                conn.execute(select(func.count()).select_from(JournalEntryLines)).scalar_one())


def entry_sums(dbs, entry_id: str) -> tuple[Decimal, Decimal]:
    with dbs.connect(FIN) as conn:
        d, c = conn.execute(select(func.sum(JournalEntryLines.debit_amount), func.sum(JournalEntryLines.credit_amount))
                            .where(JournalEntryLines.journal_entry_id == entry_id)).one()
    return Decimal(d).quantize(Decimal("0.01")), Decimal(c).quantize(Decimal("0.01"))


def test_standard_chart_is_installed_once_and_keeps_existing_accounts(sqlite_dbs):
    sqlite_dbs.create([FIN, "genims_console_db"])
    with sqlite_dbs.begin(FIN) as conn:  # a seeded account with the same code under another id is kept
        conn.execute(insert(ChartOfAccounts).values(account_id="ACC-AR", account_code="1200", account_name="Debtors",
                                                    allow_posting=True, is_active=True))
    ctx = context(sqlite_dbs)
    first = finance.ensure_chart_of_accounts(ctx)
    second = finance.ensure_chart_of_accounts(ctx)
    assert first["accounts_added"] == len(finance.STANDARD_CHART) - 1
    assert first["rules_added"] == len(finance.STANDARD_RULES)
    assert second == {"accounts_added": 0, "rules_added": 0}
    with sqlite_dbs.connect(FIN) as conn:
        ar_rule = conn.execute(select(GlPostingRules.debit_account_id).where(GlPostingRules.rule_code == "SI-REV")).scalar_one()
        codes = conn.execute(select(ChartOfAccounts.account_code)).scalars().all()
    assert ar_rule == "ACC-AR"  # rules point at the account of the code, whatever its id
    assert sorted(codes) == sorted(set(codes))
    for needed in ("1200", "2100", "2150", "1300", "1310", "1320", "4100", "2200", "5000", "5300", "5400", "5100"):
        assert needed in codes


def test_goods_receipt_posts_inventory_against_grir_once_per_source(any_dbs):
    ctx = fin_estate(any_dbs)
    first = finance.post_transaction(ctx, "goods_receipt", Decimal("1234.56"), source_document_id="GR-000777")
    again = finance.post_transaction(ctx, "goods_receipt", Decimal("1234.56"), source_document_id="GR-000777")
    assert first.created and not again.created
    assert again.journal_entry_id == first.journal_entry_id
    assert counts(any_dbs) == (1, 2)
    assert [(ln.account_id, ln.debit, ln.credit) for ln in first.lines] == [
        ("GLA-001300", Decimal("1234.56"), Decimal("0")), ("GLA-002150", Decimal("0"), Decimal("1234.56"))]
    assert entry_sums(any_dbs, first.journal_entry_id) == (Decimal("1234.56"), Decimal("1234.56"))
    assert (first.fiscal_year, first.fiscal_period) == (2026, 11)
    with any_dbs.connect(FIN) as conn:
        head = conn.execute(select(JournalEntryHeaders)).one()
    assert (head.source_type, head.source_document_id, head.entry_status, head.posted) == ("goods_receipt", "GR-000777", "posted", True)
    assert head.total_debit == head.total_credit == Decimal("1234.56")
    trail = [r for r in AccessStore(any_dbs).audit_trail() if r["action"] == "finance.journal.post"]
    assert len(trail) == 1 and trail[0]["entity_id"] == first.journal_entry_id


def test_multi_amount_posting_nets_per_account_and_negative_amounts_swap_sides(sqlite_dbs):
    ctx = fin_estate(sqlite_dbs)
    p = finance.post_transaction(ctx, "supplier_invoice",
                                 {"receipt_value": "500.00", "price_variance": "-12.50", "tax_amount": "48.75"},
                                 source_document_id="SINV-000001")
    by_account = {ln.account_id: (ln.debit, ln.credit) for ln in p.lines}
    assert by_account == {
        "GLA-002150": (Decimal("500.00"), Decimal("0")),  # GR/IR cleared
        "GLA-002100": (Decimal("0"), Decimal("536.25")),  # one AP credit: 500 - 12.50 + 48.75
        "GLA-005400": (Decimal("0"), Decimal("12.50")),  # favourable price variance is a credit
        "GLA-001250": (Decimal("48.75"), Decimal("0")),
    }
    assert p.total_debit == p.total_credit == Decimal("548.75")


@pytest.mark.parametrize(("ttype", "amounts", "message"), [
    ("goods_receipt", {"freight": "10.00"}, "no GL posting rule for amount 'freight'"),
    ("teleportation", {"amount": "10.00"}, "no active GL posting rule for 'teleportation'"),
    ("goods_receipt", {"amount": "0.00"}, "Nothing to post"),
    ("goods_receipt", {"amount": "10.001"}, "too many decimal places"),
    ("goods_receipt", {"amount": "ten"}, "must be a number"),
])
def test_postings_that_cannot_be_made_are_refused_and_write_nothing(sqlite_dbs, ttype, amounts, message):
    ctx = fin_estate(sqlite_dbs)
    with pytest.raises(DomainError, match=message):
        finance.post_transaction(ctx, ttype, amounts, source_document_id="X-1")
    assert counts(sqlite_dbs) == (0, 0)


def test_a_rule_pointing_at_a_header_account_is_refused(sqlite_dbs):
    ctx = fin_estate(sqlite_dbs)
    with sqlite_dbs.begin(FIN) as conn:
        conn.execute(update(GlPostingRules).where(GlPostingRules.rule_code == "GR-INV").values(debit_account_id="GLA-001000"))
    with pytest.raises(DomainError, match="does not allow posting"):
        finance.post_transaction(ctx, "goods_receipt", "5.00", source_document_id="GR-1")
    assert counts(sqlite_dbs) == (0, 0)


def test_posting_into_a_closed_period_is_refused_naming_the_period(any_dbs):
    ctx = fin_estate(any_dbs)
    october = dt.date(2026, 10, 15)
    finance.post_transaction(ctx, "goods_receipt", "100.00", source_document_id="GR-1", posting_date=october)
    manager = context(any_dbs, "finance_manager")
    closed = finance.close_period(manager, 2026, 10)
    assert closed["entries"] == 1
    with pytest.raises(DomainError) as refused:
        finance.post_transaction(ctx, "goods_receipt", "50.00", source_document_id="GR-2", posting_date=october)
    assert "2026-10 (Oct 2026) is closed" in str(refused.value)
    assert "reopen" in str(refused.value)
    assert counts(any_dbs) == (1, 2)
    # the source posted before the close is still answered idempotently, not refused
    assert not finance.post_transaction(ctx, "goods_receipt", "100.00", source_document_id="GR-1", posting_date=october).created
    # November is open
    assert finance.post_transaction(ctx, "goods_receipt", "50.00", source_document_id="GR-2").fiscal_period == 11
    with any_dbs.connect(FIN) as conn:
        period = conn.execute(select(FiscalPeriods).where(FiscalPeriods.period_id == "FP-2026-10")).one()
        tasks = conn.execute(select(PeriodCloseTasks.task_status).where(PeriodCloseTasks.fiscal_period == 10)).scalars().all()
    assert (period.period_status, period.allow_posting, period.closed_by) == ("closed", False, "USR-finance_manager")
    assert tasks and set(tasks) == {"completed"}


def test_an_accountant_cannot_close_a_period_and_nothing_changes(sqlite_dbs):
    ctx = fin_estate(sqlite_dbs)
    finance.post_transaction(ctx, "goods_receipt", "100.00", source_document_id="GR-1")
    with pytest.raises(PermissionDenied, match="Closing a fiscal period"):
        finance.close_period(context(sqlite_dbs, "accountant"), 2026, 11)
    with sqlite_dbs.connect(FIN) as conn:
        period = conn.execute(select(FiscalPeriods).where(FiscalPeriods.period_id == "FP-2026-11")).one()
        tasks = conn.execute(select(func.count()).select_from(PeriodCloseTasks)).scalar_one()
    assert (period.period_status, period.allow_posting, tasks) == ("open", True, 0)
    # an accountant still posts: write access to finance
    assert finance.post_transaction(context(sqlite_dbs, "accountant"), "goods_receipt", "1.00", source_document_id="GR-2").created
    # a buyer only reads finance: a direct posting is refused
    with pytest.raises(PermissionDenied):
        finance.post_transaction(context(sqlite_dbs, "procurement_manager"), "goods_receipt", "1.00", source_document_id="GR-3")


def test_close_refuses_an_unbalanced_entry_and_reopen_needs_a_reason(sqlite_dbs):
    ctx = fin_estate(sqlite_dbs)
    p = finance.post_transaction(ctx, "goods_receipt", "100.00", source_document_id="GR-1")
    with sqlite_dbs.begin(FIN) as conn:  # damage made outside the services
        conn.execute(update(JournalEntryLines).where(JournalEntryLines.journal_entry_id == p.journal_entry_id,
                                                     JournalEntryLines.line_number == 1).values(debit_amount=Decimal("99.00")))
    manager = context(sqlite_dbs, "finance_manager")
    with pytest.raises(DomainError, match=f"cannot be closed: .*unbalanced: {p.journal_entry_id}"):
        finance.close_period(manager, 2026, 11)
    with sqlite_dbs.connect(FIN) as conn:
        assert conn.execute(select(FiscalPeriods.period_status).where(FiscalPeriods.period_id == "FP-2026-11")).scalar_one() == "open"
    with sqlite_dbs.begin(FIN) as conn:
        conn.execute(update(JournalEntryLines).where(JournalEntryLines.journal_entry_id == p.journal_entry_id,
                                                     JournalEntryLines.line_number == 1).values(debit_amount=Decimal("100.00")))
    finance.close_period(manager, 2026, 11)
    with pytest.raises(DomainError, match="closed already"):
        finance.close_period(manager, 2026, 11)
    with pytest.raises(DomainError, match="Reason is required"):
        finance.reopen_period(manager, 2026, 11, " ")
    finance.reopen_period(manager, 2026, 11, "late supplier invoice")
    assert finance.post_transaction(ctx, "goods_receipt", "1.00", source_document_id="GR-9").created


def test_a_date_in_a_known_year_without_a_period_is_refused(sqlite_dbs):
    ctx = fin_estate(sqlite_dbs)
    finance.post_transaction(ctx, "goods_receipt", "1.00", source_document_id="GR-1")  # opens 2026
    with sqlite_dbs.begin(FIN) as conn:
        conn.execute(FiscalPeriods.__table__.delete().where(FiscalPeriods.period_number == 12))
    with pytest.raises(DomainError, match="No fiscal period covers 2026-12-05"):
        finance.post_transaction(ctx, "goods_receipt", "1.00", source_document_id="GR-2", posting_date=dt.date(2026, 12, 5))
    assert counts(sqlite_dbs) == (1, 2)


def test_trial_balance_and_account_balances(any_dbs):
    ctx = fin_estate(any_dbs)
    finance.post_transaction(ctx, "goods_receipt", "1000.00", source_document_id="GR-1", posting_date=dt.date(2026, 10, 3))
    finance.post_transaction(ctx, "goods_issue", "400.00", source_document_id="GI-1", posting_date=dt.date(2026, 10, 9))
    finance.post_transaction(ctx, "production_completion", {"amount": "380.00", "variance": "20.00"},
                             source_document_id="PRD-1", posting_date=dt.date(2026, 11, 2))
    finance.post_transaction(ctx, "sales_invoice", {"net_amount": "900.00", "tax_amount": "72.00"}, source_document_id="INV-1")
    tb = finance.trial_balance(ctx)
    assert tb["total_debit"] == tb["total_credit"] == Decimal("2772.00") and tb["total_balance"] == 0
    bal = {r["account_code"]: r["balance"] for r in tb["accounts"]}
    assert bal == {"1200": Decimal("972.00"), "1300": Decimal("600.00"), "1310": Decimal("0.00"), "1320": Decimal("380.00"),
                   "2150": Decimal("-1000.00"), "2200": Decimal("-72.00"), "4100": Decimal("-900.00"), "5100": Decimal("20.00")}
    october = finance.trial_balance(ctx, 2026, 10)
    assert {r["account_code"]: r["balance"] for r in october["accounts"]} == {
        "1300": Decimal("600.00"), "1310": Decimal("400.00"), "2150": Decimal("-1000.00")}
    assert finance.trial_balance(ctx, 2026, 11, cumulative=True)["accounts"] == tb["accounts"]

    manager = context(any_dbs, "finance_manager")
    first = finance.update_account_balances(manager)
    assert first["inserted"] > 0
    assert finance.update_account_balances(manager) == {"inserted": 0, "updated": 0, "rows": first["rows"]}
    with any_dbs.connect(FIN) as conn:
        rows = {(r.account_id, r.fiscal_period): r for r in conn.execute(select(AccountBalances))}
    wip_nov = rows[("GLA-001310", 11)]
    assert (wip_nov.beginning_balance, wip_nov.period_debit, wip_nov.period_credit, wip_nov.ending_balance) == (
        Decimal("400.00"), Decimal("0.00"), Decimal("400.00"), Decimal("0.00"))
    assert rows[("GLA-001300", 11)].ending_balance == Decimal("600.00")  # carried forward without activity
    assert rows[("GLA-001300", 11)].ytd_debit == Decimal("1000.00")
    # a new posting changes only what it touches on the next recompute
    finance.post_transaction(ctx, "goods_receipt", "10.00", source_document_id="GR-2")
    assert finance.update_account_balances(manager)["updated"] == 4  # 1300 and 2150, November and December
    with pytest.raises(PermissionDenied):
        finance.update_account_balances(context(any_dbs, "procurement_manager"))


def test_parse_period():
    assert finance.parse_period("2026-11") == (2026, 11)
    for bad in ("2026/11", "11-2026", "2026-14", "x", ""):
        with pytest.raises(DomainError, match="YYYY-MM"):
            finance.parse_period(bad)


POSTABLE = {
    "goods_receipt": ["amount"],
    "goods_issue": ["amount"],
    "production_completion": ["amount", "variance"],
    "sales_invoice": ["net_amount", "tax_amount"],
    "supplier_invoice": ["receipt_value", "price_variance", "tax_amount", "other_charges"],
    "inventory_adjustment": ["amount"],
    "goods_delivery": ["amount"],
}
CENTS = st.decimals(min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def postings(draw):
    ttype = draw(st.sampled_from(sorted(POSTABLE)))
    fields = POSTABLE[ttype]
    amounts = {f: draw(CENTS) for f in draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))}
    return ttype, amounts


SOURCES = itertools.count(1)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(postings(), min_size=1, max_size=4))
def test_property_every_posting_balances_and_the_trial_balance_stays_zero(sqlite_dbs, batch):
    if not sqlite_dbs.exists(FIN):
        fin_estate(sqlite_dbs)
    ctx = context(sqlite_dbs)
    for ttype, amounts in batch:
        source = f"P-{next(SOURCES)}"
        try:
            p = finance.post_transaction(ctx, ttype, amounts, source_document_id=source)
        except DomainError as exc:  # every amount zero, or they cancel out: refused, nothing written
            assert "Nothing to post" in str(exc)
            assert finance.find_posting(ctx, ttype, source) is None
            continue
        assert p.created
        assert p.total_debit == p.total_credit > 0
        assert sum(ln.debit for ln in p.lines) == sum(ln.credit for ln in p.lines) == p.total_debit
        assert all((ln.debit == 0) != (ln.credit == 0) for ln in p.lines)  # one side per line, never both or none
        assert entry_sums(sqlite_dbs, p.journal_entry_id) == (p.total_debit, p.total_credit)
        assert not finance.post_transaction(ctx, ttype, amounts, source_document_id=source).created
    assert finance.trial_balance(ctx)["total_balance"] == 0


def test_frozen_clock_dates_the_entry(sqlite_dbs):
    ctx = fin_estate(sqlite_dbs)
    p = finance.post_transaction(ctx, "goods_receipt", "1.00", source_document_id="GR-1")
    assert p.posting_date == FROZEN.date()


def test_concurrent_postings_of_one_source_make_one_entry(any_dbs):
    import threading

    ctx = fin_estate(any_dbs)
    finance.post_transaction(ctx, "goods_receipt", "1.00", source_document_id="WARM-UP")  # opens the calendar
    got, errors = [], []

    def post():
        try:
            got.append(finance.post_transaction(context(any_dbs), "goods_receipt", "5.00", source_document_id="GR-RACE"))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({p.journal_entry_id for p in got}) == 1
    assert sum(p.created for p in got) == 1
    assert counts(any_dbs) == (2, 4)
