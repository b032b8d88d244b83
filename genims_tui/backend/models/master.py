"""genims_master_db: Master data hub: factories -> lines -> machines -> sensors, employees, shifts, products, customers.

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

DATABASE = "genims_master_db"


class Base(DeclarativeBase):
    """Declarative base of genims_master_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class Factories(Base):
    __tablename__ = "factories"

    factory_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    factory_name: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str | None] = mapped_column(String(50))
    total_area_sqm: Mapped[int | None] = mapped_column(Integer())
    operational_since: Mapped[dt.date | None] = mapped_column(Date())
    factory_type: Mapped[str | None] = mapped_column(String(50))
    certification: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ProductionLines(Base):
    __tablename__ = "production_lines"

    line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    factory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("factories.factory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_name: Mapped[str | None] = mapped_column(String(200))
    line_number: Mapped[int | None] = mapped_column(Integer())
    product_category: Mapped[str | None] = mapped_column(String(100))
    line_type: Mapped[str | None] = mapped_column(String(50))
    design_capacity_units_per_hour: Mapped[int | None] = mapped_column(Integer())
    installed_capacity_units_per_hour: Mapped[int | None] = mapped_column(Integer())
    line_length_meters: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    num_stations: Mapped[int | None] = mapped_column(Integer())
    automation_level: Mapped[str | None] = mapped_column(String(50))
    commissioning_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Machines(Base):
    __tablename__ = "machines"

    machine_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("production_lines.line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    factory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("factories.factory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    machine_name: Mapped[str | None] = mapped_column(String(200))
    machine_code: Mapped[str | None] = mapped_column(String(50))
    machine_type: Mapped[str | None] = mapped_column(String(100))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    model_number: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    installation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    last_major_overhaul: Mapped[dt.date | None] = mapped_column(Date())
    design_capacity_units_per_hour: Mapped[int | None] = mapped_column(Integer())
    power_rating_kw: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    maintenance_schedule: Mapped[str | None] = mapped_column(String(50))
    criticality: Mapped[str | None] = mapped_column(String(20))
    asset_value_usd: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    expected_life_years: Mapped[int | None] = mapped_column(Integer())
    current_age_years: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Sensors(Base):
    __tablename__ = "sensors"

    sensor_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    machine_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("machines.machine_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("production_lines.line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    factory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("factories.factory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sensor_name: Mapped[str | None] = mapped_column(String(200))
    sensor_code: Mapped[str | None] = mapped_column(String(50))
    sensor_type: Mapped[str | None] = mapped_column(String(100))
    measurement_unit: Mapped[str | None] = mapped_column(String(50))
    measurement_range_min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    measurement_range_max: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    normal_operating_min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    normal_operating_max: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    warning_threshold_min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    warning_threshold_max: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    critical_threshold_min: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    critical_threshold_max: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    sampling_frequency_hz: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    data_protocol: Mapped[str | None] = mapped_column(String(50))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    model_number: Mapped[str | None] = mapped_column(String(100))
    calibration_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    calibration_frequency_days: Mapped[int | None] = mapped_column(Integer())
    accuracy_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Employees(Base):
    __tablename__ = "employees"

    employee_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    factory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("factories.factory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("production_lines.line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    employee_code: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    role: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    skill_level: Mapped[str | None] = mapped_column(String(50))
    shift: Mapped[str | None] = mapped_column(String(20))
    hire_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    experience_years: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    certifications: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Shifts(Base):
    __tablename__ = "shifts"

    shift_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    factory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("factories.factory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    shift_name: Mapped[str | None] = mapped_column(String(50))
    shift_code: Mapped[str | None] = mapped_column(String(20))
    start_time: Mapped[dt.time | None] = mapped_column(Time())
    end_time: Mapped[dt.time | None] = mapped_column(Time())
    duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    shift_type: Mapped[str | None] = mapped_column(String(50))
    break_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    days_of_week: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Products(Base):
    __tablename__ = "products"

    product_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    product_code: Mapped[str | None] = mapped_column(String(50))
    product_name: Mapped[str | None] = mapped_column(String(200))
    product_category: Mapped[str | None] = mapped_column(String(100))
    product_type: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text())
    bill_of_material_complexity: Mapped[str | None] = mapped_column(String(50))
    number_of_components: Mapped[int | None] = mapped_column(Integer())
    standard_cycle_time_seconds: Mapped[int | None] = mapped_column(Integer())
    target_quality_ppm: Mapped[int | None] = mapped_column(Integer())
    unit_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    material_type: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Customers(Base):
    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    customer_code: Mapped[str | None] = mapped_column(String(50))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_type: Mapped[str | None] = mapped_column(String(50))
    country: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    industry_segment: Mapped[str | None] = mapped_column(String(100))
    annual_volume_estimate: Mapped[int | None] = mapped_column(Integer())
    quality_rating: Mapped[str | None] = mapped_column(String(20))
    payment_terms_days: Mapped[int | None] = mapped_column(Integer())
    sla_on_time_delivery_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    sla_quality_ppm_max: Mapped[int | None] = mapped_column(Integer())
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class LineProductMapping(Base):
    __tablename__ = "line_product_mapping"

    mapping_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("production_lines.line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    product_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("products.product_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    factory_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("factories.factory_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    is_primary_line: Mapped[bool | None] = mapped_column(Boolean())
    standard_cycle_time_seconds: Mapped[int | None] = mapped_column(Integer())
    setup_time_minutes: Mapped[int | None] = mapped_column(Integer())
    changeover_time_minutes: Mapped[int | None] = mapped_column(Integer())
    yield_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CustomerProductMapping(Base):
    __tablename__ = "customer_product_mapping"

    mapping_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("customers.customer_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    product_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("products.product_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    annual_volume: Mapped[int | None] = mapped_column(Integer())
    unit_price_usd: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    lead_time_days: Mapped[int | None] = mapped_column(Integer())
    quality_requirement_ppm: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
