"""genims_crm_db: CRM: leads, accounts, contacts, opportunities, quotations, campaigns, cases, contracts, sales reps.

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

DATABASE = "genims_crm_db"


class Base(DeclarativeBase):
    """Declarative base of genims_crm_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class Leads(Base):
    __tablename__ = "leads"

    lead_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    lead_number: Mapped[str | None] = mapped_column(String(50))
    company_name: Mapped[str | None] = mapped_column(String(200))
    lead_source: Mapped[str | None] = mapped_column(String(50))
    source_campaign_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("campaigns.campaign_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contact_first_name: Mapped[str | None] = mapped_column(String(100))
    contact_last_name: Mapped[str | None] = mapped_column(String(100))
    contact_title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    mobile: Mapped[str | None] = mapped_column(String(50))
    industry: Mapped[str | None] = mapped_column(String(100))
    company_size: Mapped[str | None] = mapped_column(String(30))
    annual_revenue_range: Mapped[str | None] = mapped_column(String(50))
    number_of_employees: Mapped[int | None] = mapped_column(Integer())
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(50))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    lead_score: Mapped[int | None] = mapped_column(Integer())
    lead_grade: Mapped[str | None] = mapped_column(String(1))
    lead_status: Mapped[str | None] = mapped_column(String(30), index=True)
    qualification_status: Mapped[str | None] = mapped_column(String(30), index=True)
    has_budget: Mapped[bool | None] = mapped_column(Boolean())
    is_decision_maker: Mapped[bool | None] = mapped_column(Boolean())
    has_identified_need: Mapped[bool | None] = mapped_column(Boolean())
    has_timeline: Mapped[bool | None] = mapped_column(Boolean())
    product_interest: Mapped[str | None] = mapped_column(String(200))
    estimated_deal_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    expected_close_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    assigned_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    converted: Mapped[bool | None] = mapped_column(Boolean())
    converted_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    converted_to_account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    converted_to_opportunity_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("opportunities.opportunity_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    first_contact_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    last_contact_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    contact_attempts: Mapped[int | None] = mapped_column(Integer())
    description: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class LeadActivities(Base):
    __tablename__ = "lead_activities"

    activity_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    lead_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("leads.lead_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    activity_type: Mapped[str | None] = mapped_column(String(30))
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text())
    activity_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer())
    outcome: Mapped[str | None] = mapped_column(String(30))
    next_action: Mapped[str | None] = mapped_column(String(200))
    next_action_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    performed_by: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Accounts(Base):
    __tablename__ = "accounts"

    account_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    account_number: Mapped[str | None] = mapped_column(String(50))
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    account_name: Mapped[str | None] = mapped_column(String(200))
    account_type: Mapped[str | None] = mapped_column(String(50))
    industry: Mapped[str | None] = mapped_column(String(100))
    industry_segment: Mapped[str | None] = mapped_column(String(100))
    account_tier: Mapped[str | None] = mapped_column(String(20))
    company_size: Mapped[str | None] = mapped_column(String(30))
    annual_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    employee_count: Mapped[int | None] = mapped_column(Integer())
    credit_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    parent_account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    billing_address_line1: Mapped[str | None] = mapped_column(String(200))
    billing_address_line2: Mapped[str | None] = mapped_column(String(200))
    billing_city: Mapped[str | None] = mapped_column(String(100))
    billing_state: Mapped[str | None] = mapped_column(String(100))
    billing_country: Mapped[str | None] = mapped_column(String(50))
    billing_postal_code: Mapped[str | None] = mapped_column(String(20))
    shipping_address_line1: Mapped[str | None] = mapped_column(String(200))
    shipping_address_line2: Mapped[str | None] = mapped_column(String(200))
    shipping_city: Mapped[str | None] = mapped_column(String(100))
    shipping_state: Mapped[str | None] = mapped_column(String(100))
    shipping_country: Mapped[str | None] = mapped_column(String(50))
    shipping_postal_code: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(50))
    fax: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(200))
    account_owner: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    account_manager: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    relationship_status: Mapped[str | None] = mapped_column(String(30), index=True)
    customer_since: Mapped[dt.date | None] = mapped_column(Date())
    last_purchase_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    lifetime_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    ytd_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    last_year_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    health_score: Mapped[int | None] = mapped_column(Integer())
    churn_risk: Mapped[str | None] = mapped_column(String(20))
    preferred_contact_method: Mapped[str | None] = mapped_column(String(30))
    communication_frequency: Mapped[str | None] = mapped_column(String(30))
    linkedin_url: Mapped[str | None] = mapped_column(String(200))
    twitter_handle: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Contacts(Base):
    __tablename__ = "contacts"

    contact_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    contact_number: Mapped[str | None] = mapped_column(String(50))
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    salutation: Mapped[str | None] = mapped_column(String(10))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    job_title: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    contact_role: Mapped[str | None] = mapped_column(String(50))
    decision_authority: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(100))
    email_opted_out: Mapped[bool | None] = mapped_column(Boolean())
    phone: Mapped[str | None] = mapped_column(String(50))
    mobile: Mapped[str | None] = mapped_column(String(50))
    reports_to_contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    mailing_address_line1: Mapped[str | None] = mapped_column(String(200))
    mailing_city: Mapped[str | None] = mapped_column(String(100))
    mailing_state: Mapped[str | None] = mapped_column(String(100))
    mailing_country: Mapped[str | None] = mapped_column(String(50))
    mailing_postal_code: Mapped[str | None] = mapped_column(String(20))
    linkedin_url: Mapped[str | None] = mapped_column(String(200))
    twitter_handle: Mapped[str | None] = mapped_column(String(100))
    relationship_strength: Mapped[str | None] = mapped_column(String(30))
    last_contact_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    contact_frequency: Mapped[int | None] = mapped_column(Integer())
    preferred_contact_method: Mapped[str | None] = mapped_column(String(30))
    best_time_to_contact: Mapped[str | None] = mapped_column(String(50))
    birthday: Mapped[dt.date | None] = mapped_column(Date())
    interests: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    contact_status: Mapped[str | None] = mapped_column(String(30), index=True)
    is_primary: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Opportunities(Base):
    __tablename__ = "opportunities"

    opportunity_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    opportunity_number: Mapped[str | None] = mapped_column(String(50))
    opportunity_name: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    primary_contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    lead_source: Mapped[str | None] = mapped_column(String(50))
    source_lead_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("leads.lead_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    source_campaign_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("campaigns.campaign_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    opportunity_type: Mapped[str | None] = mapped_column(String(50))
    product_category: Mapped[str | None] = mapped_column(String(100))
    solution_description: Mapped[str | None] = mapped_column(Text())
    amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    expected_revenue: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    cost_estimate: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    margin_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    stage: Mapped[str | None] = mapped_column(String(50))
    probability_pct: Mapped[int | None] = mapped_column(Integer())
    close_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    expected_close_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_close_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    forecast_category: Mapped[str | None] = mapped_column(String(30))
    opportunity_owner: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_team: Mapped[str | None] = mapped_column(Text())
    competitors: Mapped[str | None] = mapped_column(Text())
    competitive_position: Mapped[str | None] = mapped_column(String(30))
    decision_criteria: Mapped[str | None] = mapped_column(Text())
    key_success_factors: Mapped[str | None] = mapped_column(Text())
    customer_requirements: Mapped[str | None] = mapped_column(Text())
    technical_requirements: Mapped[str | None] = mapped_column(Text())
    budget_confirmed: Mapped[bool | None] = mapped_column(Boolean())
    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    decision_maker_identified: Mapped[bool | None] = mapped_column(Boolean())
    customer_timeline: Mapped[str | None] = mapped_column(String(100))
    next_step: Mapped[str | None] = mapped_column(String(200))
    next_step_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    win_loss_status: Mapped[str | None] = mapped_column(String(20), index=True)
    win_loss_reason: Mapped[str | None] = mapped_column(String(200))
    win_loss_notes: Mapped[str | None] = mapped_column(Text())
    lost_to_competitor: Mapped[str | None] = mapped_column(String(200))
    converted_to_quote_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quotations.quotation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    converted_to_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    description: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    is_closed: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    closed_by: Mapped[str | None] = mapped_column(String(50))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class OpportunityStageHistory(Base):
    __tablename__ = "opportunity_stage_history"

    history_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    opportunity_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("opportunities.opportunity_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    from_stage: Mapped[str | None] = mapped_column(String(50))
    to_stage: Mapped[str | None] = mapped_column(String(50))
    from_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    to_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    from_probability: Mapped[int | None] = mapped_column(Integer())
    to_probability: Mapped[int | None] = mapped_column(Integer())
    from_close_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    to_close_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    change_reason: Mapped[str | None] = mapped_column(Text())
    stage_duration_days: Mapped[int | None] = mapped_column(Integer())
    changed_by: Mapped[str | None] = mapped_column(String(50))
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class OpportunityProducts(Base):
    __tablename__ = "opportunity_products"

    opp_product_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    opportunity_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("opportunities.opportunity_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_name: Mapped[str | None] = mapped_column(String(200))
    product_description: Mapped[str | None] = mapped_column(Text())
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    list_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    discount_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    line_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    required_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Activities(Base):
    __tablename__ = "activities"

    activity_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    activity_number: Mapped[str | None] = mapped_column(String(50))
    activity_type: Mapped[str | None] = mapped_column(String(30))
    related_to_type: Mapped[str | None] = mapped_column(String(30))
    related_to_id: Mapped[str | None] = mapped_column(String(50))
    lead_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("leads.lead_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    opportunity_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("opportunities.opportunity_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text())
    activity_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer())
    location: Mapped[str | None] = mapped_column(String(200))
    activity_status: Mapped[str | None] = mapped_column(String(30), index=True)
    priority: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_notes: Mapped[str | None] = mapped_column(Text())
    follow_up_required: Mapped[bool | None] = mapped_column(Boolean())
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    attendees: Mapped[str | None] = mapped_column(Text())
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    reminder_enabled: Mapped[bool | None] = mapped_column(Boolean())
    reminder_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Tasks(Base):
    __tablename__ = "tasks"

    task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text())
    related_to_type: Mapped[str | None] = mapped_column(String(30))
    related_to_id: Mapped[str | None] = mapped_column(String(50))
    task_type: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[str | None] = mapped_column(String(20))
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    completed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    reminder_enabled: Mapped[bool | None] = mapped_column(Boolean())
    reminder_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    completion_notes: Mapped[str | None] = mapped_column(Text())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Quotations(Base):
    __tablename__ = "quotations"

    quotation_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    quotation_number: Mapped[str | None] = mapped_column(String(50))
    quotation_name: Mapped[str | None] = mapped_column(String(200))
    opportunity_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("opportunities.opportunity_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    quotation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    valid_until_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    quotation_status: Mapped[str | None] = mapped_column(String(30), index=True)
    subtotal: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    discount_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    shipping_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    delivery_terms: Mapped[str | None] = mapped_column(String(100))
    warranty_terms: Mapped[str | None] = mapped_column(Text())
    requires_approval: Mapped[bool | None] = mapped_column(Boolean())
    approval_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    converted: Mapped[bool | None] = mapped_column(Boolean())
    converted_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    converted_to_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    revision_number: Mapped[int | None] = mapped_column(Integer())
    parent_quotation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quotations.quotation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    special_terms: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    document_url: Mapped[str | None] = mapped_column(String(500))
    prepared_by: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QuotationLines(Base):
    __tablename__ = "quotation_lines"

    quote_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    quotation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quotations.quotation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_name: Mapped[str | None] = mapped_column(String(200))
    product_description: Mapped[str | None] = mapped_column(Text())
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    list_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    discount_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    line_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    delivery_lead_time_days: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Campaigns(Base):
    __tablename__ = "campaigns"

    campaign_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    campaign_code: Mapped[str | None] = mapped_column(String(50))
    campaign_name: Mapped[str | None] = mapped_column(String(200))
    campaign_type: Mapped[str | None] = mapped_column(String(50))
    campaign_status: Mapped[str | None] = mapped_column(String(30), index=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    target_audience: Mapped[str | None] = mapped_column(String(200))
    target_industry: Mapped[str | None] = mapped_column(String(100))
    target_company_size: Mapped[str | None] = mapped_column(String(50))
    expected_response_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    budgeted_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    actual_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_leads: Mapped[int | None] = mapped_column(Integer())
    qualified_leads: Mapped[int | None] = mapped_column(Integer())
    opportunities_created: Mapped[int | None] = mapped_column(Integer())
    deals_won: Mapped[int | None] = mapped_column(Integer())
    total_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    roi_pct: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    cost_per_lead: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    conversion_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    description: Mapped[str | None] = mapped_column(Text())
    objectives: Mapped[str | None] = mapped_column(Text())
    campaign_owner: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CampaignMembers(Base):
    __tablename__ = "campaign_members"

    member_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    campaign_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("campaigns.campaign_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    member_type: Mapped[str | None] = mapped_column(String(30))
    lead_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("leads.lead_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    member_status: Mapped[str | None] = mapped_column(String(30), index=True)
    has_responded: Mapped[bool | None] = mapped_column(Boolean())
    response_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    lead_created: Mapped[bool | None] = mapped_column(Boolean())
    opportunity_created: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Cases(Base):
    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    case_number: Mapped[str | None] = mapped_column(String(50))
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text())
    case_type: Mapped[str | None] = mapped_column(String(50))
    case_category: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[str | None] = mapped_column(String(20))
    case_status: Mapped[str | None] = mapped_column(String(30), index=True)
    sla_response_hours: Mapped[int | None] = mapped_column(Integer())
    sla_resolution_hours: Mapped[int | None] = mapped_column(Integer())
    response_due_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    resolution_due_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    first_response_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    resolved_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    closed_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    sla_violated: Mapped[bool | None] = mapped_column(Boolean())
    assigned_to: Mapped[str | None] = mapped_column(String(50), index=True)
    assigned_team: Mapped[str | None] = mapped_column(String(50))
    escalated: Mapped[bool | None] = mapped_column(Boolean())
    escalated_to: Mapped[str | None] = mapped_column(String(50))
    escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    resolution: Mapped[str | None] = mapped_column(Text())
    root_cause: Mapped[str | None] = mapped_column(String(200))
    related_product: Mapped[str | None] = mapped_column(String(200))
    related_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    satisfaction_rating: Mapped[int | None] = mapped_column(Integer())
    customer_feedback: Mapped[str | None] = mapped_column(Text())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CaseComments(Base):
    __tablename__ = "case_comments"

    comment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cases.case_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    comment_text: Mapped[str | None] = mapped_column(Text())
    is_public: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Contracts(Base):
    __tablename__ = "contracts"

    contract_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    contract_number: Mapped[str | None] = mapped_column(String(50))
    contract_name: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contract_type: Mapped[str | None] = mapped_column(String(50))
    contract_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    contract_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    contract_term_months: Mapped[int | None] = mapped_column(Integer())
    contract_status: Mapped[str | None] = mapped_column(String(30), index=True)
    signed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    contract_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    billing_frequency: Mapped[str | None] = mapped_column(String(30))
    auto_renewal: Mapped[bool | None] = mapped_column(Boolean())
    renewal_term_months: Mapped[int | None] = mapped_column(Integer())
    renewal_notice_days: Mapped[int | None] = mapped_column(Integer())
    renewal_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    termination_notice_days: Mapped[int | None] = mapped_column(Integer())
    early_termination_penalty: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    service_level_agreement: Mapped[str | None] = mapped_column(Text())
    special_terms: Mapped[str | None] = mapped_column(Text())
    contract_owner: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contract_document_url: Mapped[str | None] = mapped_column(String(500))
    parent_contract_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contracts.contract_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SalesReps(Base):
    __tablename__ = "sales_reps"

    sales_rep_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    rep_code: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    mobile: Mapped[str | None] = mapped_column(String(50))
    sales_role: Mapped[str | None] = mapped_column(String(50))
    job_title: Mapped[str | None] = mapped_column(String(100))
    territory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_territories.territory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    manager_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    annual_quota: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    quarterly_quota: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    ytd_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    ytd_deals_closed: Mapped[int | None] = mapped_column(Integer())
    win_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    avg_deal_size: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    rep_status: Mapped[str | None] = mapped_column(String(30), index=True)
    hire_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SalesTerritories(Base):
    __tablename__ = "sales_territories"

    territory_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    territory_code: Mapped[str | None] = mapped_column(String(50))
    territory_name: Mapped[str | None] = mapped_column(String(200))
    countries: Mapped[str | None] = mapped_column(Text())
    states: Mapped[str | None] = mapped_column(Text())
    cities: Mapped[str | None] = mapped_column(Text())
    industries: Mapped[str | None] = mapped_column(Text())
    account_tiers: Mapped[str | None] = mapped_column(Text())
    company_size: Mapped[str | None] = mapped_column(Text())
    territory_quota: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    territory_manager: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SalesForecasts(Base):
    __tablename__ = "sales_forecasts"

    forecast_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    forecast_period: Mapped[str | None] = mapped_column(String(20))
    forecast_year: Mapped[int | None] = mapped_column(Integer())
    forecast_quarter: Mapped[int | None] = mapped_column(Integer())
    forecast_month: Mapped[int | None] = mapped_column(Integer())
    territory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_territories.territory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_rep_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_reps.sales_rep_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    pipeline_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    best_case_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    commit_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    closed_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    total_forecast: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    quota_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    quota_attainment_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    actual_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    forecast_accuracy_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    snapshot_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CustomerInteractions(Base):
    __tablename__ = "customer_interactions"

    interaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("accounts.account_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    contact_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("contacts.contact_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    opportunity_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("opportunities.opportunity_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    case_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cases.case_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    interaction_type: Mapped[str | None] = mapped_column(String(50))
    interaction_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text())
    direction: Mapped[str | None] = mapped_column(String(20))
    duration_minutes: Mapped[int | None] = mapped_column(Integer())
    sentiment: Mapped[str | None] = mapped_column(String(20))
    performed_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Notes(Base):
    __tablename__ = "notes"

    note_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    related_to_type: Mapped[str | None] = mapped_column(String(30))
    related_to_id: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(200))
    note_text: Mapped[str | None] = mapped_column(Text())
    is_private: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CrmIntegrationLog(Base):
    __tablename__ = "crm_integration_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    log_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    integration_direction: Mapped[str | None] = mapped_column(String(20))
    document_type: Mapped[str | None] = mapped_column(String(50))
    document_id: Mapped[str | None] = mapped_column(String(50))
    integration_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    integration_data: Mapped[Any | None] = mapped_column(PortableJSON)
    retry_count: Mapped[int | None] = mapped_column(Integer())
    last_retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
