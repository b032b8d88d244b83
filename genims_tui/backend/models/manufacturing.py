"""genims_manufacturing_db: MES: work orders, operations, material and labour transactions, inspections, defects, downtime.

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

DATABASE = "genims_manufacturing_db"


class Base(DeclarativeBase):
    """Declarative base of genims_manufacturing_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class WorkOrders(Base):
    __tablename__ = "work_orders"

    work_order_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_order_number: Mapped[str | None] = mapped_column(String(50))
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_number: Mapped[str | None] = mapped_column(String(50))
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    planned_quantity: Mapped[int | None] = mapped_column(Integer())
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    priority: Mapped[int | None] = mapped_column(Integer())
    planned_start_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    planned_end_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    scheduled_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    scheduled_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    produced_quantity: Mapped[int | None] = mapped_column(Integer())
    good_quantity: Mapped[int | None] = mapped_column(Integer())
    rejected_quantity: Mapped[int | None] = mapped_column(Integer())
    scrapped_quantity: Mapped[int | None] = mapped_column(Integer())
    rework_quantity: Mapped[int | None] = mapped_column(Integer())
    status: Mapped[str | None] = mapped_column(String(30), index=True)
    quality_status: Mapped[str | None] = mapped_column(String(30), index=True)
    quality_hold: Mapped[bool | None] = mapped_column(Boolean())
    planned_cycle_time_seconds: Mapped[int | None] = mapped_column(Integer())
    actual_cycle_time_seconds: Mapped[int | None] = mapped_column(Integer())
    setup_time_minutes: Mapped[int | None] = mapped_column(Integer())
    run_time_minutes: Mapped[int | None] = mapped_column(Integer())
    downtime_minutes: Mapped[int | None] = mapped_column(Integer())
    yield_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    first_pass_yield_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    standard_cost_per_unit: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    actual_cost_per_unit: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total_material_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_overhead_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    lot_number: Mapped[str | None] = mapped_column(String(50))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    electronic_batch_record_id: Mapped[str | None] = mapped_column(String(50))
    requires_validation: Mapped[bool | None] = mapped_column(Boolean())
    validation_status: Mapped[str | None] = mapped_column(String(30), index=True)
    parent_work_order_id: Mapped[str | None] = mapped_column(String(50))
    erp_order_id: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_by: Mapped[str | None] = mapped_column(String(50), index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WorkOrderOperations(Base):
    __tablename__ = "work_order_operations"

    operation_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_sequence: Mapped[int | None] = mapped_column(Integer())
    operation_code: Mapped[str | None] = mapped_column(String(50))
    operation_name: Mapped[str | None] = mapped_column(String(200))
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    work_center_code: Mapped[str | None] = mapped_column(String(50))
    planned_quantity: Mapped[int | None] = mapped_column(Integer())
    planned_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    planned_setup_time_minutes: Mapped[int | None] = mapped_column(Integer())
    standard_time_per_unit_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    planned_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    planned_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_quantity: Mapped[int | None] = mapped_column(Integer())
    rejected_quantity: Mapped[int | None] = mapped_column(Integer())
    actual_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    actual_setup_time_minutes: Mapped[int | None] = mapped_column(Integer())
    status: Mapped[str | None] = mapped_column(String(30), index=True)
    operator_id: Mapped[str | None] = mapped_column(String(50), index=True)
    shift_id: Mapped[str | None] = mapped_column(String(50), index=True)
    labor_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    requires_inspection: Mapped[bool | None] = mapped_column(Boolean())
    inspection_status: Mapped[str | None] = mapped_column(String(30), index=True)
    inspection_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    inspector_id: Mapped[str | None] = mapped_column(String(50), index=True)
    efficiency_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    scrap_rate_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    work_instructions: Mapped[str | None] = mapped_column(Text())
    safety_notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaterialTransactions(Base):
    __tablename__ = "material_transactions"

    transaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    transaction_type: Mapped[str | None] = mapped_column(String(30))
    transaction_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_order_operations.operation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_code: Mapped[str | None] = mapped_column(String(50))
    material_name: Mapped[str | None] = mapped_column(String(200))
    material_type: Mapped[str | None] = mapped_column(String(50))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    lot_number: Mapped[str | None] = mapped_column(String(50))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    serial_number: Mapped[str | None] = mapped_column(String(50))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    supplier_lot_number: Mapped[str | None] = mapped_column(String(50))
    from_location: Mapped[str | None] = mapped_column(String(100))
    to_location: Mapped[str | None] = mapped_column(String(100))
    warehouse_location: Mapped[str | None] = mapped_column(String(100))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    quality_status: Mapped[str | None] = mapped_column(String(30), index=True)
    inspection_required: Mapped[bool | None] = mapped_column(Boolean())
    certificate_of_analysis: Mapped[str | None] = mapped_column(String(100))
    parent_lot_number: Mapped[str | None] = mapped_column(String(50))
    consumed_by_lot_number: Mapped[str | None] = mapped_column(String(50))
    performed_by: Mapped[str | None] = mapped_column(String(50), index=True)
    requires_documentation: Mapped[bool | None] = mapped_column(Boolean())
    documentation_complete: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class QualityInspections(Base):
    __tablename__ = "quality_inspections"

    inspection_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    inspection_type: Mapped[str | None] = mapped_column(String(50))
    inspection_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_order_operations.operation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sample_size: Mapped[int | None] = mapped_column(Integer())
    lot_number: Mapped[str | None] = mapped_column(String(50))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    serial_number: Mapped[str | None] = mapped_column(String(50))
    inspector_id: Mapped[str | None] = mapped_column(String(50), index=True)
    shift_id: Mapped[str | None] = mapped_column(String(50), index=True)
    inspection_result: Mapped[str | None] = mapped_column(String(30))
    defects_found: Mapped[int | None] = mapped_column(Integer())
    critical_defects: Mapped[int | None] = mapped_column(Integer())
    major_defects: Mapped[int | None] = mapped_column(Integer())
    minor_defects: Mapped[int | None] = mapped_column(Integer())
    measured_values: Mapped[Any | None] = mapped_column(PortableJSON)
    specification_values: Mapped[Any | None] = mapped_column(PortableJSON)
    disposition: Mapped[str | None] = mapped_column(String(50))
    disposition_reason: Mapped[str | None] = mapped_column(Text())
    disposition_by: Mapped[str | None] = mapped_column(String(50), index=True)
    ncr_number: Mapped[str | None] = mapped_column(String(50))
    corrective_action_required: Mapped[bool | None] = mapped_column(Boolean())
    inspection_plan_id: Mapped[str | None] = mapped_column(String(50))
    inspection_checklist_id: Mapped[str | None] = mapped_column(String(50))
    photos_attached: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50), index=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Defects(Base):
    __tablename__ = "defects"

    defect_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    defect_code: Mapped[str | None] = mapped_column(String(50))
    defect_category: Mapped[str | None] = mapped_column(String(50))
    defect_description: Mapped[str | None] = mapped_column(Text())
    defect_severity: Mapped[str | None] = mapped_column(String(20))
    detected_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_order_operations.operation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    inspection_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("quality_inspections.inspection_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    lot_number: Mapped[str | None] = mapped_column(String(50))
    quantity_affected: Mapped[int | None] = mapped_column(Integer())
    detected_by: Mapped[str | None] = mapped_column(String(50), index=True)
    detection_method: Mapped[str | None] = mapped_column(String(50))
    root_cause_category: Mapped[str | None] = mapped_column(String(100))
    root_cause_description: Mapped[str | None] = mapped_column(Text())
    root_cause_analysis_complete: Mapped[bool | None] = mapped_column(Boolean())
    corrective_action: Mapped[str | None] = mapped_column(Text())
    preventive_action: Mapped[str | None] = mapped_column(Text())
    action_owner: Mapped[str | None] = mapped_column(String(50), index=True)
    action_due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    action_completed: Mapped[bool | None] = mapped_column(Boolean())
    scrap_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    rework_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class LaborTransactions(Base):
    __tablename__ = "labor_transactions"

    labor_transaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    transaction_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    shift_id: Mapped[str | None] = mapped_column(String(50), index=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_order_operations.operation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    activity_code: Mapped[str | None] = mapped_column(String(50))
    activity_type: Mapped[str | None] = mapped_column(String(50))
    clock_in_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    clock_out_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    duration_minutes: Mapped[int | None] = mapped_column(Integer())
    break_time_minutes: Mapped[int | None] = mapped_column(Integer())
    quantity_produced: Mapped[int | None] = mapped_column(Integer())
    quantity_rejected: Mapped[int | None] = mapped_column(Integer())
    standard_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    actual_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    efficiency_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    overtime_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    overtime_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50), index=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class DowntimeEvents(Base):
    __tablename__ = "downtime_events"

    downtime_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    downtime_start: Mapped[dt.datetime | None] = mapped_column(DateTime())
    downtime_end: Mapped[dt.datetime | None] = mapped_column(DateTime())
    duration_minutes: Mapped[int | None] = mapped_column(Integer())
    downtime_category: Mapped[str | None] = mapped_column(String(50))
    downtime_reason_code: Mapped[str | None] = mapped_column(String(50))
    downtime_reason_description: Mapped[str | None] = mapped_column(Text())
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_order_operations.operation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    production_loss_units: Mapped[int | None] = mapped_column(Integer())
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    reported_by: Mapped[str | None] = mapped_column(String(50), index=True)
    responded_by: Mapped[str | None] = mapped_column(String(50), index=True)
    response_time_minutes: Mapped[int | None] = mapped_column(Integer())
    resolution_action: Mapped[str | None] = mapped_column(Text())
    root_cause: Mapped[str | None] = mapped_column(Text())
    preventive_action: Mapped[str | None] = mapped_column(Text())
    maintenance_work_order: Mapped[str | None] = mapped_column(String(50))
    spare_parts_used: Mapped[str | None] = mapped_column(Text())
    status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ChangeoverEvents(Base):
    __tablename__ = "changeover_events"

    changeover_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    changeover_type: Mapped[str | None] = mapped_column(String(50))
    from_product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    to_product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    from_work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    to_work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    changeover_start: Mapped[dt.datetime | None] = mapped_column(DateTime())
    changeover_end: Mapped[dt.datetime | None] = mapped_column(DateTime())
    planned_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    actual_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    teardown_time_minutes: Mapped[int | None] = mapped_column(Integer())
    setup_time_minutes: Mapped[int | None] = mapped_column(Integer())
    adjustment_time_minutes: Mapped[int | None] = mapped_column(Integer())
    trial_run_time_minutes: Mapped[int | None] = mapped_column(Integer())
    first_good_part_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    parts_produced_during_setup: Mapped[int | None] = mapped_column(Integer())
    parts_scrapped_during_setup: Mapped[int | None] = mapped_column(Integer())
    supervisor_id: Mapped[str | None] = mapped_column(String(50), index=True)
    operator_ids: Mapped[str | None] = mapped_column(Text())
    first_piece_inspection_passed: Mapped[bool | None] = mapped_column(Boolean())
    quality_approval_by: Mapped[str | None] = mapped_column(String(50), index=True)
    target_changeover_time_minutes: Mapped[int | None] = mapped_column(Integer())
    improvement_opportunity: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ElectronicBatchRecords(Base):
    __tablename__ = "electronic_batch_records"

    ebr_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    batch_number: Mapped[str | None] = mapped_column(String(50))
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    batch_size: Mapped[int | None] = mapped_column(Integer())
    formula_id: Mapped[str | None] = mapped_column(String(50))
    formula_version: Mapped[str | None] = mapped_column(String(20))
    manufacturing_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    expiration_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    retest_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    manufacturing_area: Mapped[str | None] = mapped_column(String(100))
    record_status: Mapped[str | None] = mapped_column(String(30), index=True)
    prepared_by: Mapped[str | None] = mapped_column(String(50), index=True)
    prepared_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(50), index=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    approved_by: Mapped[str | None] = mapped_column(String(50), index=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    release_status: Mapped[str | None] = mapped_column(String(30), index=True)
    released_by: Mapped[str | None] = mapped_column(String(50), index=True)
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    has_deviations: Mapped[bool | None] = mapped_column(Boolean())
    deviation_count: Mapped[int | None] = mapped_column(Integer())
    temperature_min_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    temperature_max_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    humidity_min_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    humidity_max_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    regulatory_requirement: Mapped[str | None] = mapped_column(String(100))
    audit_trail: Mapped[Any | None] = mapped_column(PortableJSON)
    electronic_signature_applied: Mapped[bool | None] = mapped_column(Boolean())
    signature_metadata: Mapped[Any | None] = mapped_column(PortableJSON)
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ProductionSchedule(Base):
    __tablename__ = "production_schedule"

    schedule_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    schedule_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    schedule_week: Mapped[int | None] = mapped_column(Integer())
    shift_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_order_operations.operation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sequence_number: Mapped[int | None] = mapped_column(Integer())
    planned_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    planned_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    planned_quantity: Mapped[int | None] = mapped_column(Integer())
    priority: Mapped[int | None] = mapped_column(Integer())
    customer_due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    material_available: Mapped[bool | None] = mapped_column(Boolean())
    operator_available: Mapped[bool | None] = mapped_column(Boolean())
    equipment_available: Mapped[bool | None] = mapped_column(Boolean())
    schedule_status: Mapped[str | None] = mapped_column(String(30), index=True)
    actual_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_quantity: Mapped[int | None] = mapped_column(Integer())
    on_time_start: Mapped[bool | None] = mapped_column(Boolean())
    on_time_completion: Mapped[bool | None] = mapped_column(Boolean())
    schedule_adherence_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    planner_id: Mapped[str | None] = mapped_column(String(50), index=True)
    planning_notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
