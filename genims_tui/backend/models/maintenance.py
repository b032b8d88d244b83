"""genims_maintenance_db: CMMS: assets, maintenance work orders, PM schedules, MRO parts, technicians, reliability.

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

DATABASE = "genims_maintenance_db"


class Base(DeclarativeBase):
    """Declarative base of genims_maintenance_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class MaintenanceAssets(Base):
    __tablename__ = "maintenance_assets"

    asset_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    asset_number: Mapped[str | None] = mapped_column(String(50))
    asset_name: Mapped[str | None] = mapped_column(String(200))
    asset_type: Mapped[str | None] = mapped_column(String(50))
    asset_category: Mapped[str | None] = mapped_column(String(50))
    asset_class: Mapped[str | None] = mapped_column(String(50))
    parent_asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    location_hierarchy: Mapped[str | None] = mapped_column(String(500))
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    department: Mapped[str | None] = mapped_column(String(100))
    location_description: Mapped[str | None] = mapped_column(Text())
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    model_number: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    year_manufactured: Mapped[int | None] = mapped_column(Integer())
    installation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    commissioning_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    warranty_expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    rated_capacity: Mapped[str | None] = mapped_column(String(100))
    power_rating: Mapped[str | None] = mapped_column(String(100))
    operating_voltage: Mapped[str | None] = mapped_column(String(50))
    operating_pressure: Mapped[str | None] = mapped_column(String(50))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    dimensions: Mapped[str | None] = mapped_column(String(200))
    criticality_rating: Mapped[str | None] = mapped_column(String(20))
    safety_critical: Mapped[bool | None] = mapped_column(Boolean())
    production_critical: Mapped[bool | None] = mapped_column(Boolean())
    environmental_critical: Mapped[bool | None] = mapped_column(Boolean())
    downtime_cost_per_hour: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    replacement_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    maintenance_strategy: Mapped[str | None] = mapped_column(String(50))
    pm_frequency_type: Mapped[str | None] = mapped_column(String(30))
    has_meter: Mapped[bool | None] = mapped_column(Boolean())
    meter_unit: Mapped[str | None] = mapped_column(String(20))
    current_meter_reading: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    meter_reading_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    asset_condition: Mapped[str | None] = mapped_column(String(30))
    asset_status: Mapped[str | None] = mapped_column(String(30), index=True)
    owned_leased: Mapped[str | None] = mapped_column(String(20))
    purchase_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    purchase_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    technical_manual_url: Mapped[str | None] = mapped_column(String(500))
    drawings_url: Mapped[str | None] = mapped_column(String(500))
    photo_url: Mapped[str | None] = mapped_column(String(500))
    expected_life_years: Mapped[int | None] = mapped_column(Integer())
    remaining_life_years: Mapped[int | None] = mapped_column(Integer())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())


class WorkOrders(Base):
    __tablename__ = "work_orders"

    work_order_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_order_number: Mapped[str | None] = mapped_column(String(50))
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    wo_type: Mapped[str | None] = mapped_column(String(30))
    priority: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text())
    problem_description: Mapped[str | None] = mapped_column(Text())
    failure_code: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("failure_codes.failure_code_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    failure_class: Mapped[str | None] = mapped_column(String(50))
    failure_mode: Mapped[str | None] = mapped_column(String(100))
    downtime_category: Mapped[str | None] = mapped_column(String(50))
    requested_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    estimated_duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    actual_start_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    actual_end_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    actual_duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    wo_status: Mapped[str | None] = mapped_column(String(30), index=True)
    status_history: Mapped[Any | None] = mapped_column(PortableJSON)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    assigned_team: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_teams.team_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    source_type: Mapped[str | None] = mapped_column(String(50))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    downtime_event_id: Mapped[str | None] = mapped_column(String(50), index=True)
    machine_fault_id: Mapped[str | None] = mapped_column(String(50), index=True)
    safety_permit_required: Mapped[bool | None] = mapped_column(Boolean())
    lockout_tagout_required: Mapped[bool | None] = mapped_column(Boolean())
    confined_space: Mapped[bool | None] = mapped_column(Boolean())
    hot_work_permit: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    work_performed: Mapped[str | None] = mapped_column(Text())
    root_cause: Mapped[str | None] = mapped_column(Text())
    corrective_action: Mapped[str | None] = mapped_column(Text())
    completed_by: Mapped[str | None] = mapped_column(String(50))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    verified_by: Mapped[str | None] = mapped_column(String(50))
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    verification_notes: Mapped[str | None] = mapped_column(Text())
    follow_up_required: Mapped[bool | None] = mapped_column(Boolean())
    follow_up_wo_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    actual_labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    actual_parts_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    actual_total_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    downtime_minutes: Mapped[int | None] = mapped_column(Integer())
    production_loss_units: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WorkOrderTasks(Base):
    __tablename__ = "work_order_tasks"

    task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    task_sequence: Mapped[int | None] = mapped_column(Integer())
    task_description: Mapped[str | None] = mapped_column(Text())
    task_type: Mapped[str | None] = mapped_column(String(50))
    procedure_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_procedures.procedure_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    special_instructions: Mapped[str | None] = mapped_column(Text())
    tools_required: Mapped[str | None] = mapped_column(Text())
    special_equipment_required: Mapped[str | None] = mapped_column(Text())
    safety_precautions: Mapped[str | None] = mapped_column(Text())
    ppe_required: Mapped[str | None] = mapped_column(Text())
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    estimated_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    actual_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_by: Mapped[str | None] = mapped_column(String(50))
    requires_verification: Mapped[bool | None] = mapped_column(Boolean())
    verified: Mapped[bool | None] = mapped_column(Boolean())
    verified_by: Mapped[str | None] = mapped_column(String(50))
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    task_result: Mapped[str | None] = mapped_column(String(30))
    measurements: Mapped[str | None] = mapped_column(Text())
    observations: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PmSchedules(Base):
    __tablename__ = "pm_schedules"

    pm_schedule_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    schedule_code: Mapped[str | None] = mapped_column(String(50))
    schedule_name: Mapped[str | None] = mapped_column(String(200))
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    schedule_type: Mapped[str | None] = mapped_column(String(30))
    frequency_type: Mapped[str | None] = mapped_column(String(30))
    frequency_value: Mapped[int | None] = mapped_column(Integer())
    frequency_unit: Mapped[str | None] = mapped_column(String(20))
    meter_frequency: Mapped[int | None] = mapped_column(Integer())
    meter_unit: Mapped[str | None] = mapped_column(String(20))
    meter_tolerance: Mapped[int | None] = mapped_column(Integer())
    condition_parameter: Mapped[str | None] = mapped_column(String(100))
    condition_threshold: Mapped[str | None] = mapped_column(String(100))
    pm_type: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text())
    estimated_duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    procedure_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_procedures.procedure_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    standard_tasks: Mapped[str | None] = mapped_column(Text())
    required_skills: Mapped[str | None] = mapped_column(Text())
    required_tools: Mapped[str | None] = mapped_column(Text())
    required_parts: Mapped[str | None] = mapped_column(Text())
    lead_time_days: Mapped[int | None] = mapped_column(Integer())
    scheduling_priority: Mapped[str | None] = mapped_column(String(20))
    last_wo_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    last_completed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    last_meter_reading: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    next_due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    next_due_meter_reading: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    auto_generate_wo: Mapped[bool | None] = mapped_column(Boolean())
    schedule_status: Mapped[str | None] = mapped_column(String(30), index=True)
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PmGenerationLog(Base):
    __tablename__ = "pm_generation_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    pm_schedule_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("pm_schedules.pm_schedule_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    generation_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    generation_reason: Mapped[str | None] = mapped_column(String(50))
    trigger_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    trigger_meter_reading: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    work_order_number: Mapped[str | None] = mapped_column(String(50))
    generation_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WorkProcedures(Base):
    __tablename__ = "work_procedures"

    procedure_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    procedure_code: Mapped[str | None] = mapped_column(String(50))
    procedure_name: Mapped[str | None] = mapped_column(String(200))
    procedure_type: Mapped[str | None] = mapped_column(String(50))
    asset_type: Mapped[str | None] = mapped_column(String(50))
    asset_category: Mapped[str | None] = mapped_column(String(50))
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    model_number: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text())
    objective: Mapped[str | None] = mapped_column(Text())
    safety_precautions: Mapped[str | None] = mapped_column(Text())
    ppe_required: Mapped[str | None] = mapped_column(Text())
    permits_required: Mapped[str | None] = mapped_column(Text())
    tools_required: Mapped[str | None] = mapped_column(Text())
    parts_required: Mapped[str | None] = mapped_column(Text())
    consumables_required: Mapped[str | None] = mapped_column(Text())
    procedure_steps: Mapped[str | None] = mapped_column(Text())
    estimated_duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    required_skill_level: Mapped[str | None] = mapped_column(String(50))
    required_certifications: Mapped[str | None] = mapped_column(Text())
    document_url: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    diagram_url: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(20))
    revision_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MroParts(Base):
    __tablename__ = "mro_parts"

    mro_part_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    part_number: Mapped[str | None] = mapped_column(String(100))
    part_name: Mapped[str | None] = mapped_column(String(200))
    part_category: Mapped[str | None] = mapped_column(String(50))
    part_type: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text())
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    manufacturer_part_number: Mapped[str | None] = mapped_column(String(100))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    current_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    min_stock_level: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    max_stock_level: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    reorder_point: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    reorder_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    warehouse_id: Mapped[str | None] = mapped_column(String(50), index=True)
    bin_location: Mapped[str | None] = mapped_column(String(100))
    criticality: Mapped[str | None] = mapped_column(String(20))
    lead_time_days: Mapped[int | None] = mapped_column(Integer())
    standard_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    last_purchase_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    last_purchase_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    average_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    total_stock_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    primary_supplier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    alternate_suppliers: Mapped[str | None] = mapped_column(Text())
    annual_usage_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    last_issue_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    last_receipt_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    used_on_assets: Mapped[str | None] = mapped_column(Text())
    interchangeable_parts: Mapped[str | None] = mapped_column(Text())
    has_shelf_life: Mapped[bool | None] = mapped_column(Boolean())
    shelf_life_months: Mapped[int | None] = mapped_column(Integer())
    part_status: Mapped[str | None] = mapped_column(String(30), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MroPartsTransactions(Base):
    __tablename__ = "mro_parts_transactions"

    transaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    transaction_number: Mapped[str | None] = mapped_column(String(50))
    mro_part_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("mro_parts.mro_part_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    transaction_type: Mapped[str | None] = mapped_column(String(30))
    transaction_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    from_location: Mapped[str | None] = mapped_column(String(100))
    to_location: Mapped[str | None] = mapped_column(String(100))
    issued_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    issued_by: Mapped[str | None] = mapped_column(String(50))
    purchase_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    reason_code: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaintenanceTechnicians(Base):
    __tablename__ = "maintenance_technicians"

    technician_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    technician_code: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    hire_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    department: Mapped[str | None] = mapped_column(String(100))
    job_title: Mapped[str | None] = mapped_column(String(100))
    skill_level: Mapped[str | None] = mapped_column(String(30))
    trade: Mapped[str | None] = mapped_column(String(50))
    certifications: Mapped[str | None] = mapped_column(Text())
    certifications_expiry: Mapped[Any | None] = mapped_column(PortableJSON)
    specializations: Mapped[str | None] = mapped_column(Text())
    primary_shift: Mapped[str | None] = mapped_column(String(20))
    available_for_callout: Mapped[bool | None] = mapped_column(Boolean())
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    overtime_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    total_wos_completed: Mapped[int | None] = mapped_column(Integer())
    avg_completion_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    quality_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    technician_status: Mapped[str | None] = mapped_column(String(30), index=True)
    current_wo_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaintenanceTeams(Base):
    __tablename__ = "maintenance_teams"

    team_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    team_code: Mapped[str | None] = mapped_column(String(50))
    team_name: Mapped[str | None] = mapped_column(String(200))
    team_type: Mapped[str | None] = mapped_column(String(50))
    supervisor_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    team_members: Mapped[str | None] = mapped_column(Text())
    team_size: Mapped[int | None] = mapped_column(Integer())
    shift: Mapped[str | None] = mapped_column(String(20))
    specialization: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class LaborTimeEntries(Base):
    __tablename__ = "labor_time_entries"

    entry_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    technician_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_technicians.technician_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    labor_type: Mapped[str | None] = mapped_column(String(30))
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    activity_description: Mapped[str | None] = mapped_column(Text())
    approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EquipmentMeterReadings(Base):
    __tablename__ = "equipment_meter_readings"

    reading_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    reading_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    meter_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    meter_unit: Mapped[str | None] = mapped_column(String(20))
    previous_reading: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    delta_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    days_since_last_reading: Mapped[int | None] = mapped_column(Integer())
    reading_source: Mapped[str | None] = mapped_column(String(30))
    recorded_by: Mapped[str | None] = mapped_column(String(50))
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FailureCodes(Base):
    __tablename__ = "failure_codes"

    failure_code_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    failure_code: Mapped[str | None] = mapped_column(String(50))
    failure_description: Mapped[str | None] = mapped_column(String(200))
    failure_class: Mapped[str | None] = mapped_column(String(50))
    failure_type: Mapped[str | None] = mapped_column(String(50))
    severity: Mapped[str | None] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("failure_codes.failure_code_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    recommended_action: Mapped[str | None] = mapped_column(Text())
    typical_repair_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaintenanceCostCenters(Base):
    __tablename__ = "maintenance_cost_centers"

    cost_center_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    cost_center_code: Mapped[str | None] = mapped_column(String(50))
    cost_center_name: Mapped[str | None] = mapped_column(String(200))
    parent_cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    annual_budget: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    current_period_budget: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    ytd_actual_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    current_period_actual: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    manager_id: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaintenanceCosts(Base):
    __tablename__ = "maintenance_costs"

    cost_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    cost_type: Mapped[str | None] = mapped_column(String(30))
    cost_description: Mapped[str | None] = mapped_column(Text())
    cost_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    cost_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    gl_account: Mapped[str | None] = mapped_column(String(50), index=True)
    vendor_id: Mapped[str | None] = mapped_column(String(50), index=True)
    invoice_number: Mapped[str | None] = mapped_column(String(100))
    invoice_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaintenanceHistory(Base):
    __tablename__ = "maintenance_history"

    history_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    event_type: Mapped[str | None] = mapped_column(String(50))
    event_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    event_description: Mapped[str | None] = mapped_column(Text())
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    pm_schedule_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("pm_schedules.pm_schedule_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    failure_code: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("failure_codes.failure_code_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    root_cause: Mapped[str | None] = mapped_column(Text())
    corrective_action: Mapped[str | None] = mapped_column(Text())
    downtime_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    production_loss: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    parts_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    performed_by: Mapped[str | None] = mapped_column(String(50))
    attachment_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceContracts(Base):
    __tablename__ = "service_contracts"

    contract_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    contract_number: Mapped[str | None] = mapped_column(String(50))
    contract_name: Mapped[str | None] = mapped_column(String(200))
    vendor_id: Mapped[str | None] = mapped_column(String(50), index=True)
    vendor_name: Mapped[str | None] = mapped_column(String(200))
    contract_type: Mapped[str | None] = mapped_column(String(50))
    coverage_description: Mapped[str | None] = mapped_column(Text())
    covered_assets: Mapped[str | None] = mapped_column(Text())
    contract_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    contract_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    contract_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    payment_terms: Mapped[str | None] = mapped_column(String(100))
    response_time_hours: Mapped[int | None] = mapped_column(Integer())
    resolution_time_hours: Mapped[int | None] = mapped_column(Integer())
    uptime_guarantee_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    penalty_clause: Mapped[str | None] = mapped_column(Text())
    billing_frequency: Mapped[str | None] = mapped_column(String(30))
    next_billing_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    auto_renewal: Mapped[bool | None] = mapped_column(Boolean())
    renewal_notice_days: Mapped[int | None] = mapped_column(Integer())
    contract_status: Mapped[str | None] = mapped_column(String(30), index=True)
    total_service_calls: Mapped[int | None] = mapped_column(Integer())
    avg_response_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    customer_satisfaction_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    contract_document_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ServiceCallLogs(Base):
    __tablename__ = "service_call_logs"

    call_log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    call_number: Mapped[str | None] = mapped_column(String(50))
    contract_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("service_contracts.contract_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    call_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    problem_description: Mapped[str | None] = mapped_column(Text())
    priority: Mapped[str | None] = mapped_column(String(20))
    response_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    resolution_time_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    service_performed: Mapped[str | None] = mapped_column(Text())
    parts_used: Mapped[str | None] = mapped_column(Text())
    service_engineer_name: Mapped[str | None] = mapped_column(String(200))
    service_engineer_contact: Mapped[str | None] = mapped_column(String(100))
    call_status: Mapped[str | None] = mapped_column(String(30), index=True)
    customer_rating: Mapped[int | None] = mapped_column(Integer())
    customer_feedback: Mapped[str | None] = mapped_column(Text())
    work_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_orders.work_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class AssetReliabilityMetrics(Base):
    __tablename__ = "asset_reliability_metrics"

    metric_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    asset_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("maintenance_assets.asset_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    period_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    period_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    period_type: Mapped[str | None] = mapped_column(String(20))
    total_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    operating_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    downtime_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    planned_downtime_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    unplanned_downtime_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    availability_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    number_of_failures: Mapped[int | None] = mapped_column(Integer())
    mtbf_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    mttr_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    oee_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    pm_work_orders: Mapped[int | None] = mapped_column(Integer())
    cm_work_orders: Mapped[int | None] = mapped_column(Integer())
    breakdown_work_orders: Mapped[int | None] = mapped_column(Integer())
    total_maintenance_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    labor_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    parts_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    contractor_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    maintenance_cost_per_operating_hour: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    production_units: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    production_loss_units: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CmmsIntegrationLog(Base):
    __tablename__ = "cmms_integration_log"

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
