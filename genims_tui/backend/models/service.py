"""genims_service_db: Customer service: tickets, knowledge base, SLAs, warranties, RMAs, field service, surveys.

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

DATABASE = "genims_service_db"


class Base(DeclarativeBase):
    """Declarative base of genims_service_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class ServiceTickets(Base):
    __tablename__ = "service_tickets"

    ticket_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ticket_number: Mapped[str | None] = mapped_column(String(50))
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    channel: Mapped[str | None] = mapped_column(String(30))
    source_reference: Mapped[str | None] = mapped_column(String(200))
    ticket_type: Mapped[str | None] = mapped_column(String(50))
    category: Mapped[str | None] = mapped_column(String(100))
    subcategory: Mapped[str | None] = mapped_column(String(100))
    product_category: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text())
    priority: Mapped[str | None] = mapped_column(String(20))
    priority_reason: Mapped[str | None] = mapped_column(String(200))
    ticket_status: Mapped[str | None] = mapped_column(String(30), index=True)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    related_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    related_product: Mapped[str | None] = mapped_column(String(200))
    related_serial_number: Mapped[str | None] = mapped_column(String(100))
    sla_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sla_definitions.sla_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    response_due_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    resolution_due_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    first_response_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    resolved_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    closed_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    response_sla_breached: Mapped[bool | None] = mapped_column(Boolean())
    resolution_sla_breached: Mapped[bool | None] = mapped_column(Boolean())
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_agents.agent_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    assigned_team: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_teams.team_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    assigned_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    routed_to_queue: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_queues.queue_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    escalation_level: Mapped[int | None] = mapped_column(Integer())
    escalated_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_agents.agent_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    escalated_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    escalation_reason: Mapped[str | None] = mapped_column(Text())
    resolution_summary: Mapped[str | None] = mapped_column(Text())
    root_cause: Mapped[str | None] = mapped_column(String(200))
    resolution_code: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("resolution_codes.code_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    csat_rating: Mapped[int | None] = mapped_column(Integer())
    csat_comment: Mapped[str | None] = mapped_column(Text())
    csat_survey_sent: Mapped[bool | None] = mapped_column(Boolean())
    csat_survey_sent_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    kb_article_used: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("kb_articles.article_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    first_response_time_minutes: Mapped[int | None] = mapped_column(Integer())
    resolution_time_minutes: Mapped[int | None] = mapped_column(Integer())
    handle_time_minutes: Mapped[int | None] = mapped_column(Integer())
    reopened_count: Mapped[int | None] = mapped_column(Integer())
    tags: Mapped[str | None] = mapped_column(Text())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TicketComments(Base):
    __tablename__ = "ticket_comments"

    comment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    comment_text: Mapped[str | None] = mapped_column(Text())
    comment_type: Mapped[str | None] = mapped_column(String(30))
    is_public: Mapped[bool | None] = mapped_column(Boolean())
    is_internal: Mapped[bool | None] = mapped_column(Boolean())
    attachments: Mapped[str | None] = mapped_column(Text())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_by_type: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TicketAttachments(Base):
    __tablename__ = "ticket_attachments"

    attachment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size_bytes: Mapped[int | None] = mapped_column(BigInteger())
    file_type: Mapped[str | None] = mapped_column(String(50))
    file_url: Mapped[str | None] = mapped_column(String(500))
    uploaded_by: Mapped[str | None] = mapped_column(String(50))
    uploaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class KbCategories(Base):
    __tablename__ = "kb_categories"

    category_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    category_code: Mapped[str | None] = mapped_column(String(50))
    category_name: Mapped[str | None] = mapped_column(String(200))
    parent_category_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("kb_categories.category_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    display_order: Mapped[int | None] = mapped_column(Integer())
    icon_url: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class KbArticles(Base):
    __tablename__ = "kb_articles"

    article_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    article_number: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text())
    content: Mapped[str | None] = mapped_column(Text())
    category_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("kb_categories.category_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    article_type: Mapped[str | None] = mapped_column(String(30))
    products: Mapped[str | None] = mapped_column(Text())
    product_categories: Mapped[str | None] = mapped_column(Text())
    keywords: Mapped[str | None] = mapped_column(Text())
    tags: Mapped[str | None] = mapped_column(Text())
    article_status: Mapped[str | None] = mapped_column(String(30), index=True)
    published_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    published_by: Mapped[str | None] = mapped_column(String(50))
    version: Mapped[str | None] = mapped_column(String(20))
    previous_version_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("kb_articles.article_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    view_count: Mapped[int | None] = mapped_column(Integer())
    helpful_count: Mapped[int | None] = mapped_column(Integer())
    not_helpful_count: Mapped[int | None] = mapped_column(Integer())
    avg_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    times_used_in_tickets: Mapped[int | None] = mapped_column(Integer())
    last_used_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    attachments: Mapped[str | None] = mapped_column(Text())
    meta_description: Mapped[str | None] = mapped_column(Text())
    author_id: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class KbArticleRatings(Base):
    __tablename__ = "kb_article_ratings"

    rating_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    article_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("kb_articles.article_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    rating: Mapped[int | None] = mapped_column(Integer())
    is_helpful: Mapped[bool | None] = mapped_column(Boolean())
    feedback_text: Mapped[str | None] = mapped_column(Text())
    rated_by: Mapped[str | None] = mapped_column(String(50))
    rated_by_type: Mapped[str | None] = mapped_column(String(20))
    rated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SlaDefinitions(Base):
    __tablename__ = "sla_definitions"

    sla_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sla_code: Mapped[str | None] = mapped_column(String(50))
    sla_name: Mapped[str | None] = mapped_column(String(200))
    customer_tier: Mapped[str | None] = mapped_column(String(20))
    priority: Mapped[str | None] = mapped_column(String(20))
    ticket_type: Mapped[str | None] = mapped_column(String(50))
    category: Mapped[str | None] = mapped_column(String(100))
    service_hours: Mapped[str | None] = mapped_column(String(30))
    response_time_minutes: Mapped[int | None] = mapped_column(Integer())
    response_time_unit: Mapped[str | None] = mapped_column(String(20))
    resolution_time_minutes: Mapped[int | None] = mapped_column(Integer())
    resolution_time_unit: Mapped[str | None] = mapped_column(String(20))
    escalation_enabled: Mapped[bool | None] = mapped_column(Boolean())
    escalation_threshold_pct: Mapped[int | None] = mapped_column(Integer())
    notify_customer: Mapped[bool | None] = mapped_column(Boolean())
    notify_manager: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarrantyRegistrations(Base):
    __tablename__ = "warranty_registrations"

    warranty_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    warranty_number: Mapped[str | None] = mapped_column(String(50))
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_name: Mapped[str | None] = mapped_column(String(200))
    product_category: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    model_number: Mapped[str | None] = mapped_column(String(100))
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    purchase_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    invoice_number: Mapped[str | None] = mapped_column(String(100))
    warranty_type: Mapped[str | None] = mapped_column(String(50))
    warranty_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    warranty_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    warranty_duration_months: Mapped[int | None] = mapped_column(Integer())
    coverage_type: Mapped[str | None] = mapped_column(String(50))
    coverage_details: Mapped[str | None] = mapped_column(Text())
    terms_conditions: Mapped[str | None] = mapped_column(Text())
    warranty_status: Mapped[str | None] = mapped_column(String(30), index=True)
    registered_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    registered_by: Mapped[str | None] = mapped_column(String(50))
    transferred_to_account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    transfer_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarrantyClaims(Base):
    __tablename__ = "warranty_claims"

    claim_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    claim_number: Mapped[str | None] = mapped_column(String(50))
    warranty_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warranty_registrations.warranty_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    claim_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    issue_description: Mapped[str | None] = mapped_column(Text())
    failure_type: Mapped[str | None] = mapped_column(String(50))
    failure_category: Mapped[str | None] = mapped_column(String(50))
    claim_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text())
    resolution_type: Mapped[str | None] = mapped_column(String(50))
    labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    parts_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total_claim_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    customer_responsibility: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    warranty_coverage: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    processed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    processed_by: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RmaRequests(Base):
    __tablename__ = "rma_requests"

    rma_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rma_number: Mapped[str | None] = mapped_column(String(50))
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    rma_type: Mapped[str | None] = mapped_column(String(50))
    return_reason: Mapped[str | None] = mapped_column(String(50))
    reason_description: Mapped[str | None] = mapped_column(Text())
    rma_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text())
    return_instructions: Mapped[str | None] = mapped_column(Text())
    return_address: Mapped[str | None] = mapped_column(Text())
    customer_shipment_tracking: Mapped[str | None] = mapped_column(String(100))
    customer_ship_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    received_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    received_by: Mapped[str | None] = mapped_column(String(50))
    inspection_status: Mapped[str | None] = mapped_column(String(30), index=True)
    inspection_notes: Mapped[str | None] = mapped_column(Text())
    condition_on_receipt: Mapped[str | None] = mapped_column(String(50))
    resolution_type: Mapped[str | None] = mapped_column(String(50))
    refund_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    refund_method: Mapped[str | None] = mapped_column(String(50))
    refund_processed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    replacement_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    restocking_fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    restocking_fee_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    warehouse_receipt_id: Mapped[str | None] = mapped_column(String(50), index=True)
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RmaLineItems(Base):
    __tablename__ = "rma_line_items"

    rma_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rma_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("rma_requests.rma_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_name: Mapped[str | None] = mapped_column(String(200))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    quantity_returned: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    original_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    refund_unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    line_total_refund: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    condition_on_return: Mapped[str | None] = mapped_column(String(50))
    disposition: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FieldServiceAppointments(Base):
    __tablename__ = "field_service_appointments"

    appointment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    appointment_number: Mapped[str | None] = mapped_column(String(50))
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    service_type: Mapped[str | None] = mapped_column(String(50))
    appointment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_start_time: Mapped[dt.time | None] = mapped_column(Time())
    scheduled_end_time: Mapped[dt.time | None] = mapped_column(Time())
    estimated_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    appointment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_technician_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("field_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    service_location_address: Mapped[str | None] = mapped_column(Text())
    service_location_city: Mapped[str | None] = mapped_column(String(100))
    service_location_state: Mapped[str | None] = mapped_column(String(100))
    service_location_postal_code: Mapped[str | None] = mapped_column(String(20))
    service_location_gps: Mapped[tuple[float, float] | None] = mapped_column(Point())
    checked_in_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    checked_out_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    actual_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    travel_time_minutes: Mapped[int | None] = mapped_column(Integer())
    travel_distance_km: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    work_performed: Mapped[str | None] = mapped_column(Text())
    parts_used: Mapped[str | None] = mapped_column(Text())
    equipment_serial_number: Mapped[str | None] = mapped_column(String(100))
    asset_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_signature_url: Mapped[str | None] = mapped_column(String(500))
    customer_signature_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    follow_up_required: Mapped[bool | None] = mapped_column(Boolean())
    follow_up_appointment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("field_service_appointments.appointment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    labor_charges: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    parts_charges: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    travel_charges: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total_charges: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FieldTechnicians(Base):
    __tablename__ = "field_technicians"

    technician_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    technician_code: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    mobile: Mapped[str | None] = mapped_column(String(50))
    skill_areas: Mapped[str | None] = mapped_column(Text())
    certifications: Mapped[str | None] = mapped_column(Text())
    certification_expiry: Mapped[Any | None] = mapped_column(PortableJSON)
    service_territory: Mapped[str | None] = mapped_column(String(100))
    home_base_location: Mapped[str | None] = mapped_column(String(200))
    available_for_dispatch: Mapped[bool | None] = mapped_column(Boolean())
    current_location_gps: Mapped[tuple[float, float] | None] = mapped_column(Point())
    last_location_update: Mapped[dt.datetime | None] = mapped_column(DateTime())
    avg_job_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    total_jobs_completed: Mapped[int | None] = mapped_column(Integer())
    technician_status: Mapped[str | None] = mapped_column(String(30), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceParts(Base):
    __tablename__ = "service_parts"

    service_part_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    part_number: Mapped[str | None] = mapped_column(String(100))
    part_name: Mapped[str | None] = mapped_column(String(200))
    part_category: Mapped[str | None] = mapped_column(String(50))
    part_type: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text())
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    manufacturer_part_number: Mapped[str | None] = mapped_column(String(100))
    compatible_products: Mapped[str | None] = mapped_column(Text())
    compatible_models: Mapped[str | None] = mapped_column(Text())
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    current_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    min_stock_level: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    reorder_point: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    warehouse_locations: Mapped[str | None] = mapped_column(Text())
    stock_allocated_to_technicians: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    standard_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    service_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    annual_usage_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    last_used_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_obsolete: Mapped[bool | None] = mapped_column(Boolean())
    replacement_part_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_parts.service_part_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServicePartsUsage(Base):
    __tablename__ = "service_parts_usage"

    usage_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    service_part_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_parts.service_part_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    quantity_used: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    usage_type: Mapped[str | None] = mapped_column(String(30))
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    appointment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("field_service_appointments.appointment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    warranty_claim_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warranty_claims.claim_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    used_by_technician_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("field_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    usage_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CustomerSurveys(Base):
    __tablename__ = "customer_surveys"

    survey_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    survey_code: Mapped[str | None] = mapped_column(String(50))
    survey_name: Mapped[str | None] = mapped_column(String(200))
    survey_type: Mapped[str | None] = mapped_column(String(30))
    trigger_event: Mapped[str | None] = mapped_column(String(50))
    questions: Mapped[str | None] = mapped_column(Text())
    survey_status: Mapped[str | None] = mapped_column(String(30), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SurveyResponses(Base):
    __tablename__ = "survey_responses"

    response_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    survey_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("customer_surveys.survey_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    appointment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("field_service_appointments.appointment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    csat_rating: Mapped[int | None] = mapped_column(Integer())
    nps_score: Mapped[int | None] = mapped_column(Integer())
    ces_score: Mapped[int | None] = mapped_column(Integer())
    responses: Mapped[str | None] = mapped_column(Text())
    general_feedback: Mapped[str | None] = mapped_column(Text())
    sentiment: Mapped[str | None] = mapped_column(String(20))
    sentiment_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CustomerFeedback(Base):
    __tablename__ = "customer_feedback"

    feedback_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    feedback_type: Mapped[str | None] = mapped_column(String(30))
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    product_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(200))
    feedback_text: Mapped[str | None] = mapped_column(Text())
    overall_rating: Mapped[int | None] = mapped_column(Integer())
    feedback_status: Mapped[str | None] = mapped_column(String(30), index=True)
    response_text: Mapped[str | None] = mapped_column(Text())
    responded_by: Mapped[str | None] = mapped_column(String(50))
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    sentiment: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EscalationRules(Base):
    __tablename__ = "escalation_rules"

    rule_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rule_code: Mapped[str | None] = mapped_column(String(50))
    rule_name: Mapped[str | None] = mapped_column(String(200))
    priority: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(100))
    sla_breach_threshold_pct: Mapped[int | None] = mapped_column(Integer())
    level_1_escalate_to: Mapped[str | None] = mapped_column(String(50))
    level_1_threshold_minutes: Mapped[int | None] = mapped_column(Integer())
    level_2_escalate_to: Mapped[str | None] = mapped_column(String(50))
    level_2_threshold_minutes: Mapped[int | None] = mapped_column(Integer())
    level_3_escalate_to: Mapped[str | None] = mapped_column(String(50))
    level_3_threshold_minutes: Mapped[int | None] = mapped_column(Integer())
    notify_customer: Mapped[bool | None] = mapped_column(Boolean())
    notify_management: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TicketEscalations(Base):
    __tablename__ = "ticket_escalations"

    escalation_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_tickets.ticket_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    escalation_level: Mapped[int | None] = mapped_column(Integer())
    escalation_reason: Mapped[str | None] = mapped_column(String(200))
    escalated_from: Mapped[str | None] = mapped_column(String(50))
    escalated_to: Mapped[str | None] = mapped_column(String(50))
    escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    de_escalated: Mapped[bool | None] = mapped_column(Boolean())
    de_escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    de_escalation_reason: Mapped[str | None] = mapped_column(Text())


class ServiceTeams(Base):
    __tablename__ = "service_teams"

    team_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    team_code: Mapped[str | None] = mapped_column(String(50))
    team_name: Mapped[str | None] = mapped_column(String(200))
    team_type: Mapped[str | None] = mapped_column(String(50))
    specialization: Mapped[str | None] = mapped_column(String(100))
    team_lead_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_agents.agent_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    team_members: Mapped[str | None] = mapped_column(Text())
    team_size: Mapped[int | None] = mapped_column(Integer())
    service_hours: Mapped[str | None] = mapped_column(String(30))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceQueues(Base):
    __tablename__ = "service_queues"

    queue_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    queue_code: Mapped[str | None] = mapped_column(String(50))
    queue_name: Mapped[str | None] = mapped_column(String(200))
    queue_type: Mapped[str | None] = mapped_column(String(50))
    assigned_team_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_teams.team_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    auto_assign: Mapped[bool | None] = mapped_column(Boolean())
    assignment_method: Mapped[str | None] = mapped_column(String(30))
    queue_priority: Mapped[int | None] = mapped_column(Integer())
    current_ticket_count: Mapped[int | None] = mapped_column(Integer())
    avg_wait_time_minutes: Mapped[int | None] = mapped_column(Integer())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceAgents(Base):
    __tablename__ = "service_agents"

    agent_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    agent_code: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    team_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_teams.team_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    skill_areas: Mapped[str | None] = mapped_column(Text())
    product_expertise: Mapped[str | None] = mapped_column(Text())
    language_skills: Mapped[str | None] = mapped_column(Text())
    avg_csat_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    total_tickets_resolved: Mapped[int | None] = mapped_column(Integer())
    avg_resolution_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    first_contact_resolution_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    agent_status: Mapped[str | None] = mapped_column(String(30), index=True)
    current_ticket_count: Mapped[int | None] = mapped_column(Integer())
    max_concurrent_tickets: Mapped[int | None] = mapped_column(Integer())
    hire_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ResolutionCodes(Base):
    __tablename__ = "resolution_codes"

    code_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))
    typical_resolution_minutes: Mapped[int | None] = mapped_column(Integer())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceMetricsDaily(Base):
    __tablename__ = "service_metrics_daily"

    metric_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    metric_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    tickets_created: Mapped[int | None] = mapped_column(Integer())
    tickets_resolved: Mapped[int | None] = mapped_column(Integer())
    tickets_closed: Mapped[int | None] = mapped_column(Integer())
    tickets_reopened: Mapped[int | None] = mapped_column(Integer())
    backlog_count: Mapped[int | None] = mapped_column(Integer())
    avg_first_response_time_minutes: Mapped[int | None] = mapped_column(Integer())
    response_sla_met_count: Mapped[int | None] = mapped_column(Integer())
    response_sla_breached_count: Mapped[int | None] = mapped_column(Integer())
    response_sla_compliance_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    avg_resolution_time_minutes: Mapped[int | None] = mapped_column(Integer())
    resolution_sla_met_count: Mapped[int | None] = mapped_column(Integer())
    resolution_sla_breached_count: Mapped[int | None] = mapped_column(Integer())
    resolution_sla_compliance_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    fcr_count: Mapped[int | None] = mapped_column(Integer())
    fcr_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    csat_responses_count: Mapped[int | None] = mapped_column(Integer())
    avg_csat_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    csat_5_count: Mapped[int | None] = mapped_column(Integer())
    csat_1_2_count: Mapped[int | None] = mapped_column(Integer())
    phone_tickets: Mapped[int | None] = mapped_column(Integer())
    email_tickets: Mapped[int | None] = mapped_column(Integer())
    chat_tickets: Mapped[int | None] = mapped_column(Integer())
    portal_tickets: Mapped[int | None] = mapped_column(Integer())
    critical_tickets: Mapped[int | None] = mapped_column(Integer())
    high_tickets: Mapped[int | None] = mapped_column(Integer())
    medium_tickets: Mapped[int | None] = mapped_column(Integer())
    low_tickets: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PortalUsers(Base):
    __tablename__ = "portal_users"

    portal_user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(50), index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_salt: Mapped[str | None] = mapped_column(String(100))
    user_status: Mapped[str | None] = mapped_column(String(30), index=True)
    last_login_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    login_count: Mapped[int | None] = mapped_column(Integer())
    email_verified: Mapped[bool | None] = mapped_column(Boolean())
    verification_token: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceIntegrationLog(Base):
    __tablename__ = "service_integration_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    log_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    integration_direction: Mapped[str | None] = mapped_column(String(30))
    document_type: Mapped[str | None] = mapped_column(String(50))
    document_id: Mapped[str | None] = mapped_column(String(50))
    integration_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    integration_data: Mapped[Any | None] = mapped_column(PortableJSON)
    retry_count: Mapped[int | None] = mapped_column(Integer())
    last_retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
