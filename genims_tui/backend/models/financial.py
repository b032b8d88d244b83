"""genims_financial_db: Finance: chart of accounts, posting rules, journal entries, fiscal periods, budgets, balances.

Every table and column of the catalog, with its primary key, real foreign keys for references
inside this logical database (references to other logical databases are logical only, checked
by `genims check`), and indexes on reference, status and date columns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import NAMING_CONVENTION, BigSerial, PortableJSON, Point, TextArray

DATABASE = "genims_financial_db"


class Base(DeclarativeBase):
    """Declarative base of genims_financial_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class ChartOfAccounts(Base):
    __tablename__ = "chart_of_accounts"

    account_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    account_code: Mapped[str | None] = mapped_column(String(50))
    account_name: Mapped[str | None] = mapped_column(String(200))
    parent_account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("chart_of_accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    account_level: Mapped[int | None] = mapped_column(Integer())
    account_type: Mapped[str | None] = mapped_column(String(30))
    account_subtype: Mapped[str | None] = mapped_column(String(50))
    financial_statement: Mapped[str | None] = mapped_column(String(30))
    normal_balance: Mapped[str | None] = mapped_column(String(10))
    is_control_account: Mapped[bool | None] = mapped_column(Boolean())
    allow_posting: Mapped[bool | None] = mapped_column(Boolean())
    currency_code: Mapped[str | None] = mapped_column(String(3))
    allow_multi_currency: Mapped[bool | None] = mapped_column(Boolean())
    requires_cost_center: Mapped[bool | None] = mapped_column(Boolean())
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    inactive_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class GlPostingRules(Base):
    __tablename__ = "gl_posting_rules"

    rule_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rule_code: Mapped[str | None] = mapped_column(String(50))
    rule_name: Mapped[str | None] = mapped_column(String(200))
    transaction_type: Mapped[str | None] = mapped_column(String(50))
    transaction_subtype: Mapped[str | None] = mapped_column(String(50))
    condition_rules: Mapped[str | None] = mapped_column(Text())
    debit_account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("chart_of_accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    credit_account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("chart_of_accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    amount_field: Mapped[str | None] = mapped_column(String(100))
    description_template: Mapped[str | None] = mapped_column(Text())
    effective_from: Mapped[dt.date | None] = mapped_column(Date())
    effective_to: Mapped[dt.date | None] = mapped_column(Date())
    rule_priority: Mapped[int | None] = mapped_column(Integer())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class JournalEntryHeaders(Base):
    __tablename__ = "journal_entry_headers"

    journal_entry_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    journal_number: Mapped[str | None] = mapped_column(String(50))
    entry_type: Mapped[str | None] = mapped_column(String(30))
    source_type: Mapped[str | None] = mapped_column(String(30))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    posting_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    fiscal_period: Mapped[int | None] = mapped_column(Integer())
    description: Mapped[str | None] = mapped_column(Text())
    reference: Mapped[str | None] = mapped_column(String(100))
    total_debit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_credit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    functional_currency_code: Mapped[str | None] = mapped_column(String(3))
    entry_status: Mapped[str | None] = mapped_column(String(30), index=True)
    posted: Mapped[bool | None] = mapped_column(Boolean())
    posted_by: Mapped[str | None] = mapped_column(String(50))
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    reversed: Mapped[bool | None] = mapped_column(Boolean())
    reversal_entry_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("journal_entry_headers.journal_entry_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    reversed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    requires_approval: Mapped[bool | None] = mapped_column(Boolean())
    approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class JournalEntryLines(Base):
    __tablename__ = "journal_entry_lines"

    line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    journal_entry_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("journal_entry_headers.journal_entry_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("chart_of_accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    debit_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    credit_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    functional_debit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    functional_credit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    department_id: Mapped[str | None] = mapped_column(String(50))
    factory_id: Mapped[str | None] = mapped_column(String(50))
    line_description: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CostCenters(Base):
    __tablename__ = "cost_centers"

    cost_center_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    cost_center_code: Mapped[str | None] = mapped_column(String(50))
    cost_center_name: Mapped[str | None] = mapped_column(String(200))
    parent_cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    cost_center_type: Mapped[str | None] = mapped_column(String(30))
    responsible_employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(String(50), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FiscalYears(Base):
    __tablename__ = "fiscal_years"

    fiscal_year_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    year_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closed_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FiscalPeriods(Base):
    __tablename__ = "fiscal_periods"

    period_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    period_number: Mapped[int | None] = mapped_column(Integer())
    period_name: Mapped[str | None] = mapped_column(String(50))
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    period_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closed_by: Mapped[str | None] = mapped_column(String(50))
    allow_posting: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class BudgetHeaders(Base):
    __tablename__ = "budget_headers"

    budget_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    budget_code: Mapped[str | None] = mapped_column(String(50))
    budget_name: Mapped[str | None] = mapped_column(String(200))
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    budget_type: Mapped[str | None] = mapped_column(String(30))
    budget_version: Mapped[int | None] = mapped_column(Integer())
    is_approved: Mapped[bool | None] = mapped_column(Boolean())
    budget_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class BudgetLines(Base):
    __tablename__ = "budget_lines"

    budget_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    budget_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("budget_headers.budget_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("chart_of_accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    period_01: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_02: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_03: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_04: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_05: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_06: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_07: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_08: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_09: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_10: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_11: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_12: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    annual_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class AccountBalances(Base):
    __tablename__ = "account_balances"

    balance_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("chart_of_accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    fiscal_period: Mapped[int | None] = mapped_column(Integer())
    cost_center_id: Mapped[str | None] = mapped_column(String(50))
    beginning_balance: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_debit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_credit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    ending_balance: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    ytd_debit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    ytd_credit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    period_budget: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    ytd_budget: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    last_updated: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FinancialStatements(Base):
    __tablename__ = "financial_statements"

    statement_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    statement_type: Mapped[str | None] = mapped_column(String(30))
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    fiscal_period: Mapped[int | None] = mapped_column(Integer())
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    generated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    generated_by: Mapped[str | None] = mapped_column(String(50))
    statement_status: Mapped[str | None] = mapped_column(String(30), index=True)
    statement_data: Mapped[Any | None] = mapped_column(PortableJSON)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ExchangeRates(Base):
    __tablename__ = "exchange_rates"

    rate_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    from_currency: Mapped[str | None] = mapped_column(String(3))
    to_currency: Mapped[str | None] = mapped_column(String(3))
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    inverse_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    rate_type: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InterCompanyTransactions(Base):
    __tablename__ = "inter_company_transactions"

    transaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    transaction_number: Mapped[str | None] = mapped_column(String(50))
    from_company_id: Mapped[str | None] = mapped_column(String(50))
    to_company_id: Mapped[str | None] = mapped_column(String(50))
    transaction_type: Mapped[str | None] = mapped_column(String(50))
    transaction_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    from_company_journal_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("journal_entry_headers.journal_entry_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    to_company_journal_id: Mapped[str | None] = mapped_column(String(50))
    reconciled: Mapped[bool | None] = mapped_column(Boolean())
    reconciled_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    description: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PeriodCloseTasks(Base):
    __tablename__ = "period_close_tasks"

    task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    fiscal_period: Mapped[int | None] = mapped_column(Integer())
    task_sequence: Mapped[int | None] = mapped_column(Integer())
    task_name: Mapped[str | None] = mapped_column(String(200))
    task_description: Mapped[str | None] = mapped_column(Text())
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_by: Mapped[str | None] = mapped_column(String(50))
    result_message: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class GlAuditTrail(Base):
    __tablename__ = "gl_audit_trail"

    audit_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    audit_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    action_type: Mapped[str | None] = mapped_column(String(30))
    entity_type: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(50))
    old_values: Mapped[Any | None] = mapped_column(PortableJSON)
    new_values: Mapped[Any | None] = mapped_column(PortableJSON)
    user_id: Mapped[str | None] = mapped_column(String(50))
    user_name: Mapped[str | None] = mapped_column(String(200))
    ip_address: Mapped[str | None] = mapped_column(String(50))
    session_id: Mapped[str | None] = mapped_column(String(100))
