"""genims_operations_db: IoT and SCADA operations: sensor readings, machine telemetry, faults, sensor health, runs.

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

DATABASE = "genims_operations_db"


class Base(DeclarativeBase):
    """Declarative base of genims_operations_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class ScadaMachineData(Base):
    __tablename__ = "scada_machine_data"
    __table_args__ = (
        Index("ix_scada_machine_data_machine_id_timestamp", "machine_id", "timestamp"),
        Index("ix_scada_machine_data_line_id_timestamp", "line_id", "timestamp"),
        Index("ix_scada_machine_data_timestamp", "timestamp"),
    )

    scada_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    machine_id: Mapped[str | None] = mapped_column(String(50))
    line_id: Mapped[str | None] = mapped_column(String(50))
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime())
    machine_state: Mapped[str | None] = mapped_column(String(50))
    operation_mode: Mapped[str | None] = mapped_column(String(50))
    fault_code: Mapped[str | None] = mapped_column(String(50))
    fault_description: Mapped[str | None] = mapped_column(Text())
    parts_produced_cumulative: Mapped[int | None] = mapped_column(BigInteger())
    parts_produced_shift: Mapped[int | None] = mapped_column(Integer())
    parts_rejected_shift: Mapped[int | None] = mapped_column(Integer())
    target_cycle_time_seconds: Mapped[int | None] = mapped_column(Integer())
    actual_cycle_time_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    availability_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    performance_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    quality_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    oee_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    spindle_speed_rpm: Mapped[int | None] = mapped_column(Integer())
    feed_rate_mm_min: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    tool_number: Mapped[int | None] = mapped_column(Integer())
    program_number: Mapped[str | None] = mapped_column(String(50))
    power_consumption_kw: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    energy_consumed_kwh: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    temperature_setpoint_c: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    temperature_actual_c: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    pressure_setpoint_bar: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    pressure_actual_bar: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    downtime_seconds_shift: Mapped[int | None] = mapped_column(Integer())
    last_fault_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime())
    uptime_seconds_shift: Mapped[int | None] = mapped_column(Integer())
    active_alarms: Mapped[int | None] = mapped_column(Integer())
    alarm_codes: Mapped[str | None] = mapped_column(String(500))
    warning_codes: Mapped[str | None] = mapped_column(String(500))
    shift_id: Mapped[str | None] = mapped_column(String(50), index=True)
    operator_id: Mapped[str | None] = mapped_column(String(50), index=True)
    data_source: Mapped[str | None] = mapped_column(String(50))
    data_quality: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SensorData(Base):
    """Raw readings: the largest, fastest-growing table, so every index is one its readers need and
    each costs ingest speed (benchmark iot_ingest_rows_per_s). Readers: the plant views' latest readings
    and history of a sensor -> (sensor_id, timestamp); the data browser pages by the key; the IoT
    simulator's "already stored at this instant" check -> timestamp. Nothing
    filters on machine_id, line_id or factory_id alone (a machine's readings go through its sensors), so
    they carry no index. The timestamp index stays a b-tree, not BRIN: readings arrive in time order, so
    it only ever appends at its right edge (cheap), while with BRIN the planner answers the simulator's
    `timestamp = now LIMIT 1` by a sequential scan of the whole table. Existing estates keep their older
    indexes (`genims init` adds, never drops); they only slow ingest: drop
    ix_sensor_data_machine_id_timestamp, ix_sensor_data_line_id and ix_sensor_data_factory_id by hand."""

    __tablename__ = "sensor_data"
    __table_args__ = (
        Index("ix_sensor_data_sensor_id_timestamp", "sensor_id", "timestamp"),
        Index("ix_sensor_data_timestamp", "timestamp"),
    )

    sensor_data_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    sensor_id: Mapped[str | None] = mapped_column(String(50))
    machine_id: Mapped[str | None] = mapped_column(String(50))
    line_id: Mapped[str | None] = mapped_column(String(50))
    factory_id: Mapped[str | None] = mapped_column(String(50))
    timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime())
    measurement_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    measurement_unit: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str | None] = mapped_column(String(20))
    quality: Mapped[str | None] = mapped_column(String(20))
    is_below_warning: Mapped[bool | None] = mapped_column(Boolean())
    is_above_warning: Mapped[bool | None] = mapped_column(Boolean())
    is_below_critical: Mapped[bool | None] = mapped_column(Boolean())
    is_above_critical: Mapped[bool | None] = mapped_column(Boolean())
    min_value_1min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    max_value_1min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    avg_value_1min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    std_dev_1min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    anomaly_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    is_anomaly: Mapped[bool | None] = mapped_column(Boolean())
    data_source: Mapped[str | None] = mapped_column(String(50))
    protocol: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MachineFaults(Base):
    __tablename__ = "machine_faults"

    fault_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    fault_code: Mapped[str | None] = mapped_column(String(50))
    fault_category: Mapped[str | None] = mapped_column(String(50))
    fault_severity: Mapped[str | None] = mapped_column(String(20))
    fault_description: Mapped[str | None] = mapped_column(Text())
    fault_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    fault_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    fault_duration_seconds: Mapped[int | None] = mapped_column(Integer())
    production_loss_units: Mapped[int | None] = mapped_column(Integer())
    downtime_minutes: Mapped[int | None] = mapped_column(Integer())
    estimated_cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    root_cause_category: Mapped[str | None] = mapped_column(String(100))
    root_cause_description: Mapped[str | None] = mapped_column(Text())
    contributing_sensors: Mapped[str | None] = mapped_column(String(500))
    resolution_action: Mapped[str | None] = mapped_column(Text())
    maintenance_ticket_id: Mapped[str | None] = mapped_column(String(50))
    resolved_by: Mapped[str | None] = mapped_column(String(50), index=True)
    detection_method: Mapped[str | None] = mapped_column(String(50))
    predicted_in_advance: Mapped[bool | None] = mapped_column(Boolean())
    advance_warning_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SensorHealth(Base):
    __tablename__ = "sensor_health"

    health_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    sensor_id: Mapped[str | None] = mapped_column(String(50), index=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    health_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    drift_percentage: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    noise_level: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    days_since_calibration: Mapped[int | None] = mapped_column(Integer())
    is_calibration_due: Mapped[bool | None] = mapped_column(Boolean())
    calibration_drift_detected: Mapped[bool | None] = mapped_column(Boolean())
    packet_loss_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    average_latency_ms: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    last_communication: Mapped[dt.datetime | None] = mapped_column(DateTime())
    communication_failures_24h: Mapped[int | None] = mapped_column(Integer())
    battery_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    is_low_battery: Mapped[bool | None] = mapped_column(Boolean())
    stuck_value_detected: Mapped[bool | None] = mapped_column(Boolean())
    erratic_readings_detected: Mapped[bool | None] = mapped_column(Boolean())
    out_of_range_readings_24h: Mapped[int | None] = mapped_column(Integer())
    overall_status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ProductionRuns(Base):
    __tablename__ = "production_runs"

    run_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    run_number: Mapped[int | None] = mapped_column(Integer())
    batch_number: Mapped[str | None] = mapped_column(String(50))
    work_order_number: Mapped[str | None] = mapped_column(String(50))
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    run_start_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    run_end_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    planned_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    actual_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    target_quantity: Mapped[int | None] = mapped_column(Integer())
    actual_quantity: Mapped[int | None] = mapped_column(Integer())
    rejected_quantity: Mapped[int | None] = mapped_column(Integer())
    scrapped_quantity: Mapped[int | None] = mapped_column(Integer())
    rework_quantity: Mapped[int | None] = mapped_column(Integer())
    first_pass_yield_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    defect_rate_ppm: Mapped[int | None] = mapped_column(Integer())
    quality_grade: Mapped[str | None] = mapped_column(String(20))
    oee_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    availability_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    performance_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    quality_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    previous_product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    changeover_time_minutes: Mapped[int | None] = mapped_column(Integer())
    shift_id: Mapped[str | None] = mapped_column(String(50), index=True)
    supervisor_id: Mapped[str | None] = mapped_column(String(50), index=True)
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MaintenanceEvents(Base):
    __tablename__ = "maintenance_events"

    maintenance_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    maintenance_type: Mapped[str | None] = mapped_column(String(50))
    maintenance_category: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[str | None] = mapped_column(String(20))
    scheduled_start: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_start: Mapped[dt.datetime | None] = mapped_column(DateTime())
    actual_end: Mapped[dt.datetime | None] = mapped_column(DateTime())
    duration_minutes: Mapped[int | None] = mapped_column(Integer())
    work_description: Mapped[str | None] = mapped_column(Text())
    parts_replaced: Mapped[str | None] = mapped_column(String(500))
    parts_cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    labor_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    labor_cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    total_cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    technician_id: Mapped[str | None] = mapped_column(String(50), index=True)
    supervisor_id: Mapped[str | None] = mapped_column(String(50), index=True)
    related_fault_id: Mapped[int | None] = mapped_column(
        BigInteger(),
        ForeignKey("machine_faults.fault_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    completion_status: Mapped[str | None] = mapped_column(String(20), index=True)
    notes: Mapped[str | None] = mapped_column(Text())
    follow_up_required: Mapped[bool | None] = mapped_column(Boolean())
    next_maintenance_due: Mapped[dt.date | None] = mapped_column(Date())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
