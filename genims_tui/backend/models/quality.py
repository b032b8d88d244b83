"""genims_quality_db: QMS: NCRs, CAPA, audits, control plans, SPC, calibration, documents, complaints, 8D, PPAP.

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

DATABASE = "genims_quality_db"


class Base(DeclarativeBase):
    """Declarative base of genims_quality_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class NcrHeaders(Base):
    __tablename__ = "ncr_headers"

    ncr_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ncr_number: Mapped[str | None] = mapped_column(String(50))
    source_type: Mapped[str | None] = mapped_column(String(30))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    detected_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    detected_by: Mapped[str | None] = mapped_column(String(50), index=True)
    detection_location: Mapped[str | None] = mapped_column(String(50))
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    batch_number: Mapped[str | None] = mapped_column(String(50))
    lot_number: Mapped[str | None] = mapped_column(String(50))
    serial_numbers: Mapped[str | None] = mapped_column(Text())
    quantity_inspected: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_defective: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    defect_type: Mapped[str | None] = mapped_column(String(50))
    defect_description: Mapped[str | None] = mapped_column(Text())
    defect_severity: Mapped[str | None] = mapped_column(String(30))
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    purchase_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    containment_action: Mapped[str | None] = mapped_column(Text())
    containment_completed: Mapped[bool | None] = mapped_column(Boolean())
    containment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    disposition: Mapped[str | None] = mapped_column(String(30))
    disposition_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    disposition_notes: Mapped[str | None] = mapped_column(Text())
    scrap_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    rework_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    sorting_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    root_cause_method: Mapped[str | None] = mapped_column(String(30))
    root_cause_description: Mapped[str | None] = mapped_column(Text())
    root_cause_verified: Mapped[bool | None] = mapped_column(Boolean())
    ncr_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closed_by: Mapped[str | None] = mapped_column(String(50))
    verified_effective: Mapped[bool | None] = mapped_column(Boolean())
    verification_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    verified_by: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[str | None] = mapped_column(String(20))
    attachment_urls: Mapped[list[str] | None] = mapped_column(TextArray)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class NcrDefectDetails(Base):
    __tablename__ = "ncr_defect_details"

    defect_detail_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ncr_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("ncr_headers.ncr_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    characteristic_name: Mapped[str | None] = mapped_column(String(200))
    specification: Mapped[str | None] = mapped_column(String(200))
    actual_value: Mapped[str | None] = mapped_column(String(200))
    measurement_method: Mapped[str | None] = mapped_column(String(100))
    measuring_equipment: Mapped[str | None] = mapped_column(String(100))
    defect_location: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CapaHeaders(Base):
    __tablename__ = "capa_headers"

    capa_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    capa_number: Mapped[str | None] = mapped_column(String(50))
    action_type: Mapped[str | None] = mapped_column(String(30))
    initiated_from: Mapped[str | None] = mapped_column(String(30))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    problem_description: Mapped[str | None] = mapped_column(Text())
    problem_severity: Mapped[str | None] = mapped_column(String(30))
    immediate_actions: Mapped[str | None] = mapped_column(Text())
    immediate_actions_completed: Mapped[bool | None] = mapped_column(Boolean())
    root_cause_analysis: Mapped[str | None] = mapped_column(Text())
    root_cause_method: Mapped[str | None] = mapped_column(String(30))
    root_cause_identified: Mapped[bool | None] = mapped_column(Boolean())
    actions_planned: Mapped[str | None] = mapped_column(Text())
    implementation_plan: Mapped[str | None] = mapped_column(Text())
    responsible_person: Mapped[str | None] = mapped_column(String(50), index=True)
    responsible_department: Mapped[str | None] = mapped_column(String(50), index=True)
    target_completion_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_completion_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    verification_plan: Mapped[str | None] = mapped_column(Text())
    verification_completed: Mapped[bool | None] = mapped_column(Boolean())
    verification_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    verified_by: Mapped[str | None] = mapped_column(String(50))
    verification_result: Mapped[str | None] = mapped_column(Text())
    effectiveness_review_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    effectiveness_verified: Mapped[bool | None] = mapped_column(Boolean())
    effectiveness_notes: Mapped[str | None] = mapped_column(Text())
    capa_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closed_by: Mapped[str | None] = mapped_column(String(50))
    implementation_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CapaActions(Base):
    __tablename__ = "capa_actions"

    action_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    capa_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("capa_headers.capa_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    action_sequence: Mapped[int | None] = mapped_column(Integer())
    action_description: Mapped[str | None] = mapped_column(Text())
    action_type: Mapped[str | None] = mapped_column(String(30))
    assigned_to: Mapped[str | None] = mapped_column(String(50), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    completion_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    action_status: Mapped[str | None] = mapped_column(String(30), index=True)
    completion_evidence: Mapped[str | None] = mapped_column(Text())
    attachment_urls: Mapped[list[str] | None] = mapped_column(TextArray)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QualityAudits(Base):
    __tablename__ = "quality_audits"

    audit_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    audit_number: Mapped[str | None] = mapped_column(String(50))
    audit_type: Mapped[str | None] = mapped_column(String(30))
    audit_standard: Mapped[str | None] = mapped_column(String(50))
    audit_scope: Mapped[str | None] = mapped_column(Text())
    auditee_department: Mapped[str | None] = mapped_column(String(50), index=True)
    auditee_supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    planned_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    audit_duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    lead_auditor: Mapped[str | None] = mapped_column(String(50), index=True)
    audit_team: Mapped[list[str] | None] = mapped_column(TextArray)
    audit_location: Mapped[str | None] = mapped_column(String(200))
    audit_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    audit_rating: Mapped[str | None] = mapped_column(String(30))
    total_findings: Mapped[int | None] = mapped_column(Integer())
    major_findings: Mapped[int | None] = mapped_column(Integer())
    minor_findings: Mapped[int | None] = mapped_column(Integer())
    observations: Mapped[int | None] = mapped_column(Integer())
    positive_findings: Mapped[int | None] = mapped_column(Integer())
    followup_required: Mapped[bool | None] = mapped_column(Boolean())
    followup_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    audit_status: Mapped[str | None] = mapped_column(String(30), index=True)
    audit_report_url: Mapped[str | None] = mapped_column(Text())
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class AuditFindings(Base):
    __tablename__ = "audit_findings"

    finding_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    audit_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quality_audits.audit_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    finding_number: Mapped[int | None] = mapped_column(Integer())
    finding_type: Mapped[str | None] = mapped_column(String(30))
    finding_category: Mapped[str | None] = mapped_column(String(50))
    finding_description: Mapped[str | None] = mapped_column(Text())
    requirement_reference: Mapped[str | None] = mapped_column(String(200))
    objective_evidence: Mapped[str | None] = mapped_column(Text())
    impact_assessment: Mapped[str | None] = mapped_column(Text())
    risk_level: Mapped[str | None] = mapped_column(String(20))
    corrective_action_required: Mapped[bool | None] = mapped_column(Boolean())
    linked_capa_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("capa_headers.capa_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    responsible_person: Mapped[str | None] = mapped_column(String(50), index=True)
    target_closure_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    finding_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closure_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closure_verified_by: Mapped[str | None] = mapped_column(String(50))
    closure_notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ControlPlans(Base):
    __tablename__ = "control_plans"

    control_plan_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    control_plan_number: Mapped[str | None] = mapped_column(String(50))
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    process_name: Mapped[str | None] = mapped_column(String(200))
    control_plan_title: Mapped[str | None] = mapped_column(String(200))
    control_plan_type: Mapped[str | None] = mapped_column(String(30))
    version: Mapped[str | None] = mapped_column(String(20))
    revision_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    supersedes_plan_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("control_plans.control_plan_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    prepared_by: Mapped[str | None] = mapped_column(String(50), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approval_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    obsolete_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    plan_status: Mapped[str | None] = mapped_column(String(30), index=True)
    document_url: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ControlPlanCharacteristics(Base):
    __tablename__ = "control_plan_characteristics"

    characteristic_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    control_plan_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("control_plans.control_plan_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sequence_number: Mapped[int | None] = mapped_column(Integer())
    process_step: Mapped[str | None] = mapped_column(String(200))
    characteristic_name: Mapped[str | None] = mapped_column(String(200))
    characteristic_type: Mapped[str | None] = mapped_column(String(30))
    specification: Mapped[str | None] = mapped_column(String(200))
    lower_spec_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    upper_spec_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    measurement_technique: Mapped[str | None] = mapped_column(String(200))
    measuring_equipment: Mapped[str | None] = mapped_column(String(200))
    sample_size: Mapped[str | None] = mapped_column(String(50))
    sample_frequency: Mapped[str | None] = mapped_column(String(100))
    control_method: Mapped[str | None] = mapped_column(String(30))
    reaction_plan: Mapped[str | None] = mapped_column(Text())
    responsible_person: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SpcControlCharts(Base):
    __tablename__ = "spc_control_charts"

    chart_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    chart_number: Mapped[str | None] = mapped_column(String(50))
    process_name: Mapped[str | None] = mapped_column(String(200))
    characteristic_name: Mapped[str | None] = mapped_column(String(200))
    chart_type: Mapped[str | None] = mapped_column(String(30))
    specification: Mapped[str | None] = mapped_column(String(200))
    lower_spec_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    upper_spec_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    upper_control_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    center_line: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    lower_control_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    cpk: Mapped[Decimal | None] = mapped_column(Numeric(5, 3))
    cp: Mapped[Decimal | None] = mapped_column(Numeric(5, 3))
    ppk: Mapped[Decimal | None] = mapped_column(Numeric(5, 3))
    pp: Mapped[Decimal | None] = mapped_column(Numeric(5, 3))
    subgroup_size: Mapped[int | None] = mapped_column(Integer())
    subgroup_frequency: Mapped[str | None] = mapped_column(String(100))
    chart_status: Mapped[str | None] = mapped_column(String(30), index=True)
    last_data_point_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    last_calculation_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SpcDataPoints(Base):
    __tablename__ = "spc_data_points"

    data_point_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    chart_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("spc_control_charts.chart_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    measurement_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    subgroup_number: Mapped[int | None] = mapped_column(Integer())
    measurement_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    range_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 6))
    measured_by: Mapped[str | None] = mapped_column(String(50), index=True)
    out_of_control: Mapped[bool | None] = mapped_column(Boolean())
    violation_type: Mapped[str | None] = mapped_column(String(50))
    action_taken: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MeasuringEquipment(Base):
    __tablename__ = "measuring_equipment"

    equipment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    equipment_number: Mapped[str | None] = mapped_column(String(50))
    equipment_name: Mapped[str | None] = mapped_column(String(200))
    equipment_type: Mapped[str | None] = mapped_column(String(50))
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    model_number: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(50), index=True)
    responsible_person: Mapped[str | None] = mapped_column(String(50), index=True)
    measurement_range: Mapped[str | None] = mapped_column(String(100))
    accuracy: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(String(50))
    calibration_frequency_days: Mapped[int | None] = mapped_column(Integer())
    last_calibration_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    next_calibration_due: Mapped[dt.date | None] = mapped_column(Date())
    calibration_method: Mapped[str | None] = mapped_column(String(100))
    calibration_standard: Mapped[str | None] = mapped_column(String(200))
    equipment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    locked_out: Mapped[bool | None] = mapped_column(Boolean())
    lockout_reason: Mapped[str | None] = mapped_column(Text())
    purchase_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    purchase_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CalibrationRecords(Base):
    __tablename__ = "calibration_records"

    calibration_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    calibration_number: Mapped[str | None] = mapped_column(String(50))
    equipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("measuring_equipment.equipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    calibration_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    next_due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    calibrated_by: Mapped[str | None] = mapped_column(String(50), index=True)
    calibration_lab: Mapped[str | None] = mapped_column(String(200))
    calibration_result: Mapped[str | None] = mapped_column(String(30))
    as_found_condition: Mapped[str | None] = mapped_column(Text())
    as_left_condition: Mapped[str | None] = mapped_column(Text())
    measurement_results: Mapped[Any | None] = mapped_column(PortableJSON)
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    certificate_url: Mapped[str | None] = mapped_column(Text())
    standard_equipment: Mapped[str | None] = mapped_column(Text())
    standard_traceability: Mapped[str | None] = mapped_column(Text())
    calibration_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CalibrationAlerts(Base):
    __tablename__ = "calibration_alerts"

    alert_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    equipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("measuring_equipment.equipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    alert_type: Mapped[str | None] = mapped_column(String(30))
    alert_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    days_until_due: Mapped[int | None] = mapped_column(Integer())
    notification_sent: Mapped[bool | None] = mapped_column(Boolean())
    notification_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    notified_users: Mapped[list[str] | None] = mapped_column(TextArray)
    resolved: Mapped[bool | None] = mapped_column(Boolean())
    resolved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QualityDocuments(Base):
    __tablename__ = "quality_documents"

    document_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    document_number: Mapped[str | None] = mapped_column(String(50))
    document_title: Mapped[str | None] = mapped_column(String(200))
    document_type: Mapped[str | None] = mapped_column(String(50))
    version: Mapped[str | None] = mapped_column(String(20))
    revision_number: Mapped[int | None] = mapped_column(Integer())
    revision_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    supersedes_document_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quality_documents.document_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    document_description: Mapped[str | None] = mapped_column(Text())
    document_url: Mapped[str | None] = mapped_column(Text())
    document_owner: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(String(50), index=True)
    prepared_by: Mapped[str | None] = mapped_column(String(50))
    reviewed_by: Mapped[str | None] = mapped_column(String(50))
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approval_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    obsolete_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    document_status: Mapped[str | None] = mapped_column(String(30), index=True)
    distribution_list: Mapped[list[str] | None] = mapped_column(TextArray)
    periodic_review_required: Mapped[bool | None] = mapped_column(Boolean())
    review_frequency_months: Mapped[int | None] = mapped_column(Integer())
    next_review_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    change_reason: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class DocumentRevisions(Base):
    __tablename__ = "document_revisions"

    revision_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    document_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quality_documents.document_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    revision_number: Mapped[int | None] = mapped_column(Integer())
    revision_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    changes_summary: Mapped[str | None] = mapped_column(Text())
    sections_affected: Mapped[str | None] = mapped_column(Text())
    revised_by: Mapped[str | None] = mapped_column(String(50), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    document_url: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CustomerComplaints(Base):
    __tablename__ = "customer_complaints"

    complaint_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    complaint_number: Mapped[str | None] = mapped_column(String(50))
    service_ticket_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_contact: Mapped[str | None] = mapped_column(String(200))
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    batch_number: Mapped[str | None] = mapped_column(String(50))
    serial_number: Mapped[str | None] = mapped_column(String(50))
    complaint_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    complaint_description: Mapped[str | None] = mapped_column(Text())
    complaint_type: Mapped[str | None] = mapped_column(String(50))
    severity: Mapped[str | None] = mapped_column(String(30))
    safety_issue: Mapped[bool | None] = mapped_column(Boolean())
    quantity_affected: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_returned: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    immediate_action: Mapped[str | None] = mapped_column(Text())
    customer_response: Mapped[str | None] = mapped_column(Text())
    root_cause: Mapped[str | None] = mapped_column(Text())
    investigation_method: Mapped[str | None] = mapped_column(String(30))
    linked_ncr_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("ncr_headers.ncr_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    linked_capa_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("capa_headers.capa_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    resolution: Mapped[str | None] = mapped_column(Text())
    resolution_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    replacement_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    credit_issued: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    customer_satisfied: Mapped[bool | None] = mapped_column(Boolean())
    customer_feedback: Mapped[str | None] = mapped_column(Text())
    complaint_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    closed_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EightDReports(Base):
    __tablename__ = "eight_d_reports"

    eight_d_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    eight_d_number: Mapped[str | None] = mapped_column(String(50))
    source_type: Mapped[str | None] = mapped_column(String(30))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    team_leader: Mapped[str | None] = mapped_column(String(50), index=True)
    team_members: Mapped[list[str] | None] = mapped_column(TextArray)
    problem_preparation: Mapped[str | None] = mapped_column(Text())
    team_established_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    problem_description: Mapped[str | None] = mapped_column(Text())
    is_statement: Mapped[str | None] = mapped_column(Text())
    is_not_statement: Mapped[str | None] = mapped_column(Text())
    containment_action: Mapped[str | None] = mapped_column(Text())
    containment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    containment_verified: Mapped[bool | None] = mapped_column(Boolean())
    root_cause_analysis: Mapped[str | None] = mapped_column(Text())
    root_cause_method: Mapped[str | None] = mapped_column(String(30))
    root_cause_identified: Mapped[dt.date | None] = mapped_column(Date())
    root_cause_verified: Mapped[bool | None] = mapped_column(Boolean())
    permanent_actions: Mapped[str | None] = mapped_column(Text())
    pca_implementation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    verification_plan: Mapped[str | None] = mapped_column(Text())
    verification_completed: Mapped[bool | None] = mapped_column(Boolean())
    verification_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    preventive_actions: Mapped[str | None] = mapped_column(Text())
    systems_updated: Mapped[str | None] = mapped_column(Text())
    prevention_completed: Mapped[bool | None] = mapped_column(Boolean())
    team_recognition: Mapped[str | None] = mapped_column(Text())
    lessons_learned: Mapped[str | None] = mapped_column(Text())
    eight_d_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PpapSubmissions(Base):
    __tablename__ = "ppap_submissions"

    ppap_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    ppap_number: Mapped[str | None] = mapped_column(String(50))
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    part_number: Mapped[str | None] = mapped_column(String(100))
    part_name: Mapped[str | None] = mapped_column(String(200))
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    ppap_level: Mapped[int | None] = mapped_column(Integer())
    submission_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    submission_reason: Mapped[str | None] = mapped_column(String(50))
    design_records: Mapped[bool | None] = mapped_column(Boolean())
    engineering_change_docs: Mapped[bool | None] = mapped_column(Boolean())
    customer_approval: Mapped[bool | None] = mapped_column(Boolean())
    dfmea_completed: Mapped[bool | None] = mapped_column(Boolean())
    pfmea_completed: Mapped[bool | None] = mapped_column(Boolean())
    control_plan: Mapped[bool | None] = mapped_column(Boolean())
    msa_study: Mapped[bool | None] = mapped_column(Boolean())
    dimensional_results: Mapped[bool | None] = mapped_column(Boolean())
    material_test_results: Mapped[bool | None] = mapped_column(Boolean())
    initial_process_study: Mapped[bool | None] = mapped_column(Boolean())
    qualified_lab_docs: Mapped[bool | None] = mapped_column(Boolean())
    appearance_approval: Mapped[bool | None] = mapped_column(Boolean())
    sample_products: Mapped[bool | None] = mapped_column(Boolean())
    master_sample: Mapped[bool | None] = mapped_column(Boolean())
    checking_aids: Mapped[bool | None] = mapped_column(Boolean())
    psw_signed: Mapped[bool | None] = mapped_column(Boolean())
    psw_signed_by: Mapped[str | None] = mapped_column(String(50))
    psw_signed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    ppap_status: Mapped[str | None] = mapped_column(String(30), index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(50), index=True)
    review_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    review_comments: Mapped[str | None] = mapped_column(Text())
    approval_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approval_expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    submission_package_url: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SupplierQualityMetrics(Base):
    __tablename__ = "supplier_quality_metrics"

    metric_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    metric_period: Mapped[str | None] = mapped_column(String(7))
    total_receipts: Mapped[int | None] = mapped_column(Integer())
    receipts_inspected: Mapped[int | None] = mapped_column(Integer())
    receipts_accepted: Mapped[int | None] = mapped_column(Integer())
    receipts_rejected: Mapped[int | None] = mapped_column(Integer())
    total_quantity_received: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_accepted: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_rejected: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    total_defects: Mapped[int | None] = mapped_column(Integer())
    defect_ppm: Mapped[int | None] = mapped_column(Integer())
    critical_defects: Mapped[int | None] = mapped_column(Integer())
    major_defects: Mapped[int | None] = mapped_column(Integer())
    minor_defects: Mapped[int | None] = mapped_column(Integer())
    acceptance_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    quality_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    ncr_count: Mapped[int | None] = mapped_column(Integer())
    capa_count: Mapped[int | None] = mapped_column(Integer())
    capa_effectiveness_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rejection_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    rework_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    sorting_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_copq: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QualityKpis(Base):
    __tablename__ = "quality_kpis"

    kpi_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    kpi_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    internal_defect_ppm: Mapped[int | None] = mapped_column(Integer())
    first_time_quality_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    customer_complaints: Mapped[int | None] = mapped_column(Integer())
    customer_returns_ppm: Mapped[int | None] = mapped_column(Integer())
    incoming_rejection_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    supplier_defect_ppm: Mapped[int | None] = mapped_column(Integer())
    processes_in_control: Mapped[int | None] = mapped_column(Integer())
    processes_total: Mapped[int | None] = mapped_column(Integer())
    process_capability_avg: Mapped[Decimal | None] = mapped_column(Numeric(5, 3))
    ncr_opened: Mapped[int | None] = mapped_column(Integer())
    ncr_closed: Mapped[int | None] = mapped_column(Integer())
    ncr_open_count: Mapped[int | None] = mapped_column(Integer())
    capa_overdue: Mapped[int | None] = mapped_column(Integer())
    prevention_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    appraisal_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    internal_failure_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    external_failure_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_coq: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    equipment_calibrated_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    equipment_overdue: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QmsIntegrationLog(Base):
    __tablename__ = "qms_integration_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    log_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    integration_type: Mapped[str | None] = mapped_column(String(50))
    source_system: Mapped[str | None] = mapped_column(String(30))
    target_system: Mapped[str | None] = mapped_column(String(30))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    target_document_id: Mapped[str | None] = mapped_column(String(50))
    integration_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    integration_data: Mapped[Any | None] = mapped_column(PortableJSON)
