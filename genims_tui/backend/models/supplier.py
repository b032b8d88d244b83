"""genims_supplier_db: Supplier portal: RFQs, quotes, contracts, performance, scorecards, invoices, 3-way match.

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

DATABASE = "genims_supplier_db"


class Base(DeclarativeBase):
    """Declarative base of genims_supplier_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class RfqHeaders(Base):
    __tablename__ = "rfq_headers"

    rfq_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rfq_number: Mapped[str | None] = mapped_column(String(50))
    rfq_title: Mapped[str | None] = mapped_column(String(200))
    rfq_description: Mapped[str | None] = mapped_column(Text())
    rfq_type: Mapped[str | None] = mapped_column(String(30))
    requested_by: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(String(50), index=True)
    rfq_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    response_deadline: Mapped[dt.date | None] = mapped_column(Date())
    expected_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    total_estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    quality_requirements: Mapped[str | None] = mapped_column(Text())
    technical_specifications: Mapped[str | None] = mapped_column(Text())
    delivery_location: Mapped[str | None] = mapped_column(String(50), index=True)
    payment_terms: Mapped[str | None] = mapped_column(String(100))
    incoterms: Mapped[str | None] = mapped_column(String(20))
    rfq_status: Mapped[str | None] = mapped_column(String(30), index=True)
    published_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    published_by: Mapped[str | None] = mapped_column(String(50))
    awarded_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    awarded_to: Mapped[str | None] = mapped_column(String(50), index=True)
    award_notes: Mapped[str | None] = mapped_column(Text())
    attachment_urls: Mapped[list[str] | None] = mapped_column(TextArray)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RfqLines(Base):
    __tablename__ = "rfq_lines"

    line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rfq_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_headers.rfq_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    item_type: Mapped[str | None] = mapped_column(String(20))
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    item_description: Mapped[str | None] = mapped_column(Text())
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    target_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    estimated_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    technical_specs: Mapped[str | None] = mapped_column(Text())
    quality_requirements: Mapped[str | None] = mapped_column(Text())
    required_by_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    delivery_schedule: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RfqSuppliers(Base):
    __tablename__ = "rfq_suppliers"

    rfq_supplier_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rfq_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_headers.rfq_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    invited_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    invited_by: Mapped[str | None] = mapped_column(String(50))
    invitation_method: Mapped[str | None] = mapped_column(String(30))
    response_status: Mapped[str | None] = mapped_column(String(30), index=True)
    viewed_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    responded_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text())
    is_shortlisted: Mapped[bool | None] = mapped_column(Boolean())
    shortlist_notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RfqResponses(Base):
    __tablename__ = "rfq_responses"

    response_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    response_number: Mapped[str | None] = mapped_column(String(50))
    rfq_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_headers.rfq_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    response_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    valid_until_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    currency_code: Mapped[str | None] = mapped_column(String(3))
    payment_terms: Mapped[str | None] = mapped_column(String(100))
    delivery_terms: Mapped[str | None] = mapped_column(Text())
    total_quoted_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    remarks: Mapped[str | None] = mapped_column(Text())
    alternate_proposal: Mapped[str | None] = mapped_column(Text())
    attachment_urls: Mapped[list[str] | None] = mapped_column(TextArray)
    response_status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RfqResponseLines(Base):
    __tablename__ = "rfq_response_lines"

    response_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    response_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_responses.response_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    rfq_line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_lines.line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    total_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    lead_time_days: Mapped[int | None] = mapped_column(Integer())
    delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    meets_specifications: Mapped[bool | None] = mapped_column(Boolean())
    deviation_notes: Mapped[str | None] = mapped_column(Text())
    alternate_material_id: Mapped[str | None] = mapped_column(String(50))
    alternate_description: Mapped[str | None] = mapped_column(Text())
    alternate_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QuoteComparison(Base):
    __tablename__ = "quote_comparison"

    comparison_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rfq_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_headers.rfq_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    comparison_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    compared_by: Mapped[str | None] = mapped_column(String(50), index=True)
    price_weight: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    quality_weight: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    delivery_weight: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    service_weight: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    recommended_supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    recommendation_notes: Mapped[str | None] = mapped_column(Text())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    comparison_data: Mapped[Any | None] = mapped_column(PortableJSON)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierContracts(Base):
    __tablename__ = "supplier_contracts"

    contract_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    contract_number: Mapped[str | None] = mapped_column(String(50))
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contract_name: Mapped[str | None] = mapped_column(String(200))
    contract_type: Mapped[str | None] = mapped_column(String(30))
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    currency_code: Mapped[str | None] = mapped_column(String(3))
    payment_terms: Mapped[str | None] = mapped_column(String(100))
    minimum_order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    maximum_order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    committed_annual_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    delivery_terms: Mapped[str | None] = mapped_column(Text())
    quality_terms: Mapped[str | None] = mapped_column(Text())
    warranty_terms: Mapped[str | None] = mapped_column(Text())
    return_policy: Mapped[str | None] = mapped_column(Text())
    penalty_for_delay: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    incentive_for_early: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    auto_renew: Mapped[bool | None] = mapped_column(Boolean())
    renewal_notice_days: Mapped[int | None] = mapped_column(Integer())
    contract_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    contract_document_url: Mapped[str | None] = mapped_column(Text())
    actual_spend_to_date: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    orders_placed: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ContractPricing(Base):
    __tablename__ = "contract_pricing"

    pricing_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    contract_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("supplier_contracts.contract_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    effective_from: Mapped[dt.date | None] = mapped_column(Date())
    effective_to: Mapped[dt.date | None] = mapped_column(Date())
    min_order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    max_order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    standard_lead_time_days: Mapped[int | None] = mapped_column(Integer())
    price_revision_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    previous_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    price_change_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierPerformanceMetrics(Base):
    __tablename__ = "supplier_performance_metrics"

    metric_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    metric_period: Mapped[str | None] = mapped_column(String(7))
    total_pos_issued: Mapped[int | None] = mapped_column(Integer())
    pos_delivered_ontime: Mapped[int | None] = mapped_column(Integer())
    ontime_delivery_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    average_lead_time_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    total_quantity_received: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_accepted: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_rejected: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    defect_ppm: Mapped[int | None] = mapped_column(Integer())
    quality_acceptance_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rfqs_sent: Mapped[int | None] = mapped_column(Integer())
    rfqs_responded: Mapped[int | None] = mapped_column(Integer())
    response_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    avg_response_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    total_spend: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    invoice_accuracy_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    payment_disputes: Mapped[int | None] = mapped_column(Integer())
    certifications_valid: Mapped[bool | None] = mapped_column(Boolean())
    documentation_complete: Mapped[bool | None] = mapped_column(Boolean())
    audit_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    overall_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    performance_rating: Mapped[str | None] = mapped_column(String(20))
    previous_period_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    score_change: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    trend: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierScorecards(Base):
    __tablename__ = "supplier_scorecards"

    scorecard_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    scorecard_period: Mapped[str | None] = mapped_column(String(7))
    scorecard_type: Mapped[str | None] = mapped_column(String(30))
    delivery_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    quality_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    responsiveness_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    commercial_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    sustainability_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    overall_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    supplier_rating: Mapped[str | None] = mapped_column(String(20))
    action_required: Mapped[bool | None] = mapped_column(Boolean())
    action_plan: Mapped[str | None] = mapped_column(Text())
    improvement_plan_due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(50))
    review_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    review_notes: Mapped[str | None] = mapped_column(Text())
    published_to_supplier: Mapped[bool | None] = mapped_column(Boolean())
    published_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierRatingHistory(Base):
    __tablename__ = "supplier_rating_history"

    history_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    rating_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    previous_rating: Mapped[str | None] = mapped_column(String(20))
    new_rating: Mapped[str | None] = mapped_column(String(20))
    change_reason: Mapped[str | None] = mapped_column(Text())
    changed_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierInvoices(Base):
    __tablename__ = "supplier_invoices"

    invoice_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    invoice_number: Mapped[str | None] = mapped_column(String(50))
    supplier_invoice_number: Mapped[str | None] = mapped_column(String(50))
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    purchase_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    invoice_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    subtotal: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    freight_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    other_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    discount_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    payment_terms: Mapped[str | None] = mapped_column(String(100))
    matching_status: Mapped[str | None] = mapped_column(String(30), index=True)
    po_match: Mapped[bool | None] = mapped_column(Boolean())
    receipt_match: Mapped[bool | None] = mapped_column(Boolean())
    price_match: Mapped[bool | None] = mapped_column(Boolean())
    quantity_match: Mapped[bool | None] = mapped_column(Boolean())
    quantity_variance: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    price_variance: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_variance: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_reason: Mapped[str | None] = mapped_column(Text())
    variance_approved_by: Mapped[str | None] = mapped_column(String(50))
    variance_approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    invoice_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    approval_notes: Mapped[str | None] = mapped_column(Text())
    payment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    payment_id: Mapped[str | None] = mapped_column(String(50), index=True)
    paid_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    gl_journal_entry_id: Mapped[str | None] = mapped_column(String(50), index=True)
    gl_posted: Mapped[bool | None] = mapped_column(Boolean())
    invoice_document_url: Mapped[str | None] = mapped_column(Text())
    submitted_via: Mapped[str | None] = mapped_column(String(30))
    submitted_by: Mapped[str | None] = mapped_column(String(50))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierInvoiceLines(Base):
    __tablename__ = "supplier_invoice_lines"

    line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    invoice_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("supplier_invoices.invoice_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    po_line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    receipt_line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_description: Mapped[str | None] = mapped_column(Text())
    invoiced_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    line_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    po_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    received_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    po_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_variance: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    price_variance: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    match_status: Mapped[str | None] = mapped_column(String(30), index=True)
    expense_account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ThreeWayMatchLog(Base):
    __tablename__ = "three_way_match_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    invoice_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("supplier_invoices.invoice_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    match_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    match_type: Mapped[str | None] = mapped_column(String(30))
    po_id: Mapped[str | None] = mapped_column(String(50))
    receipt_id: Mapped[str | None] = mapped_column(String(50))
    match_result: Mapped[str | None] = mapped_column(String(30))
    expected_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    actual_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    within_tolerance: Mapped[bool | None] = mapped_column(Boolean())
    tolerance_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    action_taken: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text())


class SupplierQualification(Base):
    __tablename__ = "supplier_qualification"

    qualification_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    qualification_status: Mapped[str | None] = mapped_column(String(30), index=True)
    business_license_verified: Mapped[bool | None] = mapped_column(Boolean())
    tax_registration_verified: Mapped[bool | None] = mapped_column(Boolean())
    bank_details_verified: Mapped[bool | None] = mapped_column(Boolean())
    iso_certificate_verified: Mapped[bool | None] = mapped_column(Boolean())
    financial_health_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    credit_rating: Mapped[str | None] = mapped_column(String(20))
    payment_capacity_assessment: Mapped[str | None] = mapped_column(Text())
    production_capacity_verified: Mapped[bool | None] = mapped_column(Boolean())
    quality_system_verified: Mapped[bool | None] = mapped_column(Boolean())
    technical_capability_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    audit_scheduled_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    audit_completed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    audit_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    audit_report_url: Mapped[str | None] = mapped_column(Text())
    sample_submitted: Mapped[bool | None] = mapped_column(Boolean())
    sample_approved: Mapped[bool | None] = mapped_column(Boolean())
    sample_test_results: Mapped[str | None] = mapped_column(Text())
    trial_order_placed: Mapped[bool | None] = mapped_column(Boolean())
    trial_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    trial_order_success: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text())
    approval_valid_until: Mapped[dt.date | None] = mapped_column(Date())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierDocuments(Base):
    __tablename__ = "supplier_documents"

    document_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    document_type: Mapped[str | None] = mapped_column(String(50))
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_number: Mapped[str | None] = mapped_column(String(100))
    issue_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    verified: Mapped[bool | None] = mapped_column(Boolean())
    verified_by: Mapped[str | None] = mapped_column(String(50))
    verified_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    document_status: Mapped[str | None] = mapped_column(String(30), index=True)
    expiry_alert_sent: Mapped[bool | None] = mapped_column(Boolean())
    days_to_expiry: Mapped[int | None] = mapped_column(Integer())
    document_url: Mapped[str | None] = mapped_column(Text())
    file_size_kb: Mapped[int | None] = mapped_column(Integer())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierAudits(Base):
    __tablename__ = "supplier_audits"

    audit_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    audit_number: Mapped[str | None] = mapped_column(String(50))
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    audit_type: Mapped[str | None] = mapped_column(String(30))
    audit_scope: Mapped[str | None] = mapped_column(String(50))
    planned_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    audit_duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    lead_auditor: Mapped[str | None] = mapped_column(String(50), index=True)
    audit_team: Mapped[list[str] | None] = mapped_column(TextArray)
    audit_location: Mapped[str | None] = mapped_column(String(200))
    audit_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    audit_rating: Mapped[str | None] = mapped_column(String(20))
    major_findings: Mapped[int | None] = mapped_column(Integer())
    minor_findings: Mapped[int | None] = mapped_column(Integer())
    observations: Mapped[int | None] = mapped_column(Integer())
    followup_required: Mapped[bool | None] = mapped_column(Boolean())
    followup_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    audit_report_url: Mapped[str | None] = mapped_column(Text())
    audit_status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class AuditFindings(Base):
    __tablename__ = "audit_findings"

    finding_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    audit_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("supplier_audits.audit_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    finding_number: Mapped[int | None] = mapped_column(Integer())
    finding_type: Mapped[str | None] = mapped_column(String(30))
    finding_category: Mapped[str | None] = mapped_column(String(50))
    finding_description: Mapped[str | None] = mapped_column(Text())
    evidence: Mapped[str | None] = mapped_column(Text())
    requirement_reference: Mapped[str | None] = mapped_column(String(100))
    corrective_action_required: Mapped[bool | None] = mapped_column(Boolean())
    corrective_action: Mapped[str | None] = mapped_column(Text())
    responsible_person: Mapped[str | None] = mapped_column(String(200))
    target_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    finding_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closure_verified_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierPortalUsers(Base):
    __tablename__ = "supplier_portal_users"

    portal_user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    user_email: Mapped[str | None] = mapped_column(String(200))
    user_name: Mapped[str | None] = mapped_column(String(200))
    user_phone: Mapped[str | None] = mapped_column(String(50))
    user_role: Mapped[str | None] = mapped_column(String(30))
    can_view_rfqs: Mapped[bool | None] = mapped_column(Boolean())
    can_submit_quotes: Mapped[bool | None] = mapped_column(Boolean())
    can_view_pos: Mapped[bool | None] = mapped_column(Boolean())
    can_submit_invoices: Mapped[bool | None] = mapped_column(Boolean())
    can_view_payments: Mapped[bool | None] = mapped_column(Boolean())
    can_view_performance: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    last_login: Mapped[dt.datetime | None] = mapped_column(DateTime())
    login_count: Mapped[int | None] = mapped_column(Integer())
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_reset_required: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierCommunications(Base):
    __tablename__ = "supplier_communications"

    communication_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    from_party: Mapped[str | None] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(200))
    message_body: Mapped[str | None] = mapped_column(Text())
    reference_type: Mapped[str | None] = mapped_column(String(30))
    reference_id: Mapped[str | None] = mapped_column(String(50))
    message_status: Mapped[str | None] = mapped_column(String(30), index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    attachment_urls: Mapped[list[str] | None] = mapped_column(TextArray)
    parent_message_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("supplier_communications.communication_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierNotifications(Base):
    __tablename__ = "supplier_notifications"

    notification_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    notification_type: Mapped[str | None] = mapped_column(String(50))
    notification_title: Mapped[str | None] = mapped_column(String(200))
    notification_message: Mapped[str | None] = mapped_column(Text())
    reference_type: Mapped[str | None] = mapped_column(String(30))
    reference_id: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[str | None] = mapped_column(String(20))
    notification_status: Mapped[str | None] = mapped_column(String(30), index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    sent_via_email: Mapped[bool | None] = mapped_column(Boolean())
    sent_via_portal: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PurchaseRequisitions(Base):
    __tablename__ = "purchase_requisitions"

    requisition_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    requisition_number: Mapped[str | None] = mapped_column(String(50))
    requested_by: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(String(50), index=True)
    cost_center_id: Mapped[str | None] = mapped_column(String(50), index=True)
    requisition_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    required_by_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    requisition_type: Mapped[str | None] = mapped_column(String(30))
    purpose: Mapped[str | None] = mapped_column(Text())
    justification: Mapped[str | None] = mapped_column(Text())
    budget_code: Mapped[str | None] = mapped_column(String(50))
    estimated_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    requisition_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approval_level: Mapped[int | None] = mapped_column(Integer())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text())
    converted_to_rfq_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rfq_headers.rfq_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    converted_to_po_id: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PurchaseRequisitionLines(Base):
    __tablename__ = "purchase_requisition_lines"

    line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    requisition_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_requisitions.requisition_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    item_description: Mapped[str | None] = mapped_column(Text())
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    estimated_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    estimated_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    preferred_supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    delivery_location: Mapped[str | None] = mapped_column(String(50), index=True)
    required_by_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierPortalIntegrationLog(Base):
    __tablename__ = "supplier_portal_integration_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    log_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    integration_type: Mapped[str | None] = mapped_column(String(50))
    source_system: Mapped[str | None] = mapped_column(String(30))
    target_system: Mapped[str | None] = mapped_column(String(30))
    source_document_type: Mapped[str | None] = mapped_column(String(50))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    target_document_type: Mapped[str | None] = mapped_column(String(50))
    target_document_id: Mapped[str | None] = mapped_column(String(50))
    integration_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    integration_data: Mapped[Any | None] = mapped_column(PortableJSON)
