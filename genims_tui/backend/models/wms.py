"""genims_wms_db: WMS: warehouses, zones, bins, stock, receiving, putaway, waves, picking, packing, shipping, counts.

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

DATABASE = "genims_wms_db"


class Base(DeclarativeBase):
    """Declarative base of genims_wms_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class Warehouses(Base):
    __tablename__ = "warehouses"

    warehouse_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    warehouse_code: Mapped[str | None] = mapped_column(String(50))
    warehouse_name: Mapped[str | None] = mapped_column(String(200))
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    address_line1: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(50))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    warehouse_type: Mapped[str | None] = mapped_column(String(50))
    total_area_sqm: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    storage_capacity_pallets: Mapped[int | None] = mapped_column(Integer())
    dock_doors: Mapped[int | None] = mapped_column(Integer())
    operates_24x7: Mapped[bool | None] = mapped_column(Boolean())
    operating_hours: Mapped[str | None] = mapped_column(String(100))
    temperature_controlled: Mapped[bool | None] = mapped_column(Boolean())
    min_temperature_celsius: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    max_temperature_celsius: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarehouseZones(Base):
    __tablename__ = "warehouse_zones"

    zone_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    zone_code: Mapped[str | None] = mapped_column(String(50))
    zone_name: Mapped[str | None] = mapped_column(String(200))
    zone_type: Mapped[str | None] = mapped_column(String(50))
    area_sqm: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    capacity_pallets: Mapped[int | None] = mapped_column(Integer())
    temperature_zone: Mapped[str | None] = mapped_column(String(30))
    restricted_access: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarehouseAisles(Base):
    __tablename__ = "warehouse_aisles"

    aisle_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    zone_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_zones.zone_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    aisle_code: Mapped[str | None] = mapped_column(String(50))
    aisle_length_m: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    aisle_width_m: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    single_deep: Mapped[bool | None] = mapped_column(Boolean())
    double_deep: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class StorageBins(Base):
    __tablename__ = "storage_bins"

    bin_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    zone_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_zones.zone_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    aisle_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_aisles.aisle_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    bin_code: Mapped[str | None] = mapped_column(String(50))
    level: Mapped[int | None] = mapped_column(Integer())
    position: Mapped[int | None] = mapped_column(Integer())
    full_location: Mapped[str | None] = mapped_column(String(100))
    bin_type: Mapped[str | None] = mapped_column(String(50))
    length_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    width_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    height_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    weight_capacity_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    dedicated_material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    mixed_storage: Mapped[bool | None] = mapped_column(Boolean())
    velocity_class: Mapped[str | None] = mapped_column(String(1))
    hazmat_approved: Mapped[bool | None] = mapped_column(Boolean())
    temperature_controlled: Mapped[bool | None] = mapped_column(Boolean())
    bin_status: Mapped[str | None] = mapped_column(String(30), index=True)
    current_occupancy_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    last_putaway_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    last_pick_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarehouseInventory(Base):
    __tablename__ = "warehouse_inventory"

    inventory_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    bin_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("storage_bins.bin_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    batch_number: Mapped[str | None] = mapped_column(String(50))
    serial_number: Mapped[str | None] = mapped_column(String(50))
    quantity_on_hand: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    stock_status: Mapped[str | None] = mapped_column(String(30), index=True)
    lot_number: Mapped[str | None] = mapped_column(String(50))
    manufacture_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    retest_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    pallet_id: Mapped[str | None] = mapped_column(String(50))
    lpn: Mapped[str | None] = mapped_column(String(50))
    damaged: Mapped[bool | None] = mapped_column(Boolean())
    reserved_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    available_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    last_movement_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    last_cycle_count_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ReceivingTasks(Base):
    __tablename__ = "receiving_tasks"

    receiving_task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    purchase_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    po_line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    goods_receipt_id: Mapped[str | None] = mapped_column(String(50), index=True)
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    receiving_dock: Mapped[str | None] = mapped_column(String(50))
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    expected_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    received_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    supplier_lot_number: Mapped[str | None] = mapped_column(String(50))
    quality_inspection_required: Mapped[bool | None] = mapped_column(Boolean())
    inspection_status: Mapped[str | None] = mapped_column(String(30), index=True)
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    scheduled_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PutawayTasks(Base):
    __tablename__ = "putaway_tasks"

    putaway_task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    receiving_task_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("receiving_tasks.receiving_task_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    lpn: Mapped[str | None] = mapped_column(String(50))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    from_location: Mapped[str | None] = mapped_column(String(50))
    to_bin_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("storage_bins.bin_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    putaway_strategy: Mapped[str | None] = mapped_column(String(50))
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    priority: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    equipment_used: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text())


class PickWaves(Base):
    __tablename__ = "pick_waves"

    wave_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    wave_number: Mapped[str | None] = mapped_column(String(50))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    wave_type: Mapped[str | None] = mapped_column(String(50))
    planned_pick_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    planned_ship_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    priority: Mapped[str | None] = mapped_column(String(30))
    wave_status: Mapped[str | None] = mapped_column(String(30), index=True)
    total_orders: Mapped[int | None] = mapped_column(Integer())
    total_lines: Mapped[int | None] = mapped_column(Integer())
    total_units: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    picked_orders: Mapped[int | None] = mapped_column(Integer())
    picked_lines: Mapped[int | None] = mapped_column(Integer())
    picked_units: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_by: Mapped[str | None] = mapped_column(String(50))
    released_by: Mapped[str | None] = mapped_column(String(50))


class WaveLines(Base):
    __tablename__ = "wave_lines"

    wave_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    wave_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("pick_waves.wave_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    ordered_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    allocated_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    picked_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    line_status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PickingTasks(Base):
    __tablename__ = "picking_tasks"

    picking_task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    wave_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("pick_waves.wave_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    wave_line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("wave_lines.wave_line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    quantity_to_pick: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_picked: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    pick_from_bin_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("storage_bins.bin_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    pick_from_location: Mapped[str | None] = mapped_column(String(100))
    stage_to_location: Mapped[str | None] = mapped_column(String(100))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    serial_numbers: Mapped[str | None] = mapped_column(Text())
    task_type: Mapped[str | None] = mapped_column(String(30))
    pick_sequence: Mapped[int | None] = mapped_column(Integer())
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    requires_verification: Mapped[bool | None] = mapped_column(Boolean())
    verified_by: Mapped[str | None] = mapped_column(String(50))
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())


class PackingTasks(Base):
    __tablename__ = "packing_tasks"

    packing_task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    wave_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("pick_waves.wave_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    packing_station: Mapped[str | None] = mapped_column(String(50))
    package_type: Mapped[str | None] = mapped_column(String(50))
    package_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    package_length_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    package_width_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    package_height_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipment_id: Mapped[str | None] = mapped_column(String(50), index=True)
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    box_id: Mapped[str | None] = mapped_column(String(50))
    packing_materials: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())


class ShippingTasks(Base):
    __tablename__ = "shipping_tasks"

    shipping_task_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    shipping_dock: Mapped[str | None] = mapped_column(String(50))
    shipment_id: Mapped[str | None] = mapped_column(String(50), index=True)
    carrier_id: Mapped[str | None] = mapped_column(String(50), index=True)
    carrier_service: Mapped[str | None] = mapped_column(String(50))
    number_of_packages: Mapped[int | None] = mapped_column(Integer())
    total_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    total_volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    scheduled_ship_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_ship_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_ship_time: Mapped[dt.time | None] = mapped_column(Time())
    actual_ship_time: Mapped[dt.time | None] = mapped_column(Time())
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    bol_number: Mapped[str | None] = mapped_column(String(100))
    bol_generated: Mapped[bool | None] = mapped_column(Boolean())
    carrier_pickup_confirmed: Mapped[bool | None] = mapped_column(Boolean())
    carrier_pickup_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())


class CycleCountTasks(Base):
    __tablename__ = "cycle_count_tasks"

    cycle_count_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    task_number: Mapped[str | None] = mapped_column(String(50))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    bin_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("storage_bins.bin_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    count_type: Mapped[str | None] = mapped_column(String(30))
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    expected_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    counted_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    variance_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    variance_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    task_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    scheduled_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    count_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    count_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    recount_required: Mapped[bool | None] = mapped_column(Boolean())
    recount_threshold_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    variance_approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())


class WarehouseEquipment(Base):
    __tablename__ = "warehouse_equipment"

    equipment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    equipment_code: Mapped[str | None] = mapped_column(String(50))
    equipment_name: Mapped[str | None] = mapped_column(String(200))
    equipment_type: Mapped[str | None] = mapped_column(String(50))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    capacity_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    max_lift_height_m: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    equipment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    assigned_to: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    last_maintenance_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    next_maintenance_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    maintenance_hours: Mapped[int | None] = mapped_column(Integer())
    total_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarehouseWorkers(Base):
    __tablename__ = "warehouse_workers"

    worker_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    worker_code: Mapped[str | None] = mapped_column(String(50))
    employee_id: Mapped[str | None] = mapped_column(String(50), index=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    primary_zone_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_zones.zone_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    worker_role: Mapped[str | None] = mapped_column(String(50))
    forklift_certified: Mapped[bool | None] = mapped_column(Boolean())
    hazmat_certified: Mapped[bool | None] = mapped_column(Boolean())
    pick_rate_units_per_hour: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    accuracy_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    current_shift: Mapped[str | None] = mapped_column(String(20))
    worker_status: Mapped[str | None] = mapped_column(String(30), index=True)
    current_task_id: Mapped[str | None] = mapped_column(String(50))
    current_task_type: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WarehouseMovements(Base):
    __tablename__ = "warehouse_movements"

    movement_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    movement_number: Mapped[str | None] = mapped_column(String(50))
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    lpn: Mapped[str | None] = mapped_column(String(50))
    movement_type: Mapped[str | None] = mapped_column(String(50))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    from_bin_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("storage_bins.bin_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    to_bin_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("storage_bins.bin_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    reference_document_type: Mapped[str | None] = mapped_column(String(50))
    reference_document_id: Mapped[str | None] = mapped_column(String(50))
    performed_by: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_workers.worker_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    movement_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    equipment_used: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_equipment.equipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    notes: Mapped[str | None] = mapped_column(Text())


class SlottingRules(Base):
    __tablename__ = "slotting_rules"

    rule_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    rule_name: Mapped[str | None] = mapped_column(String(200))
    warehouse_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouses.warehouse_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_type: Mapped[str | None] = mapped_column(String(50))
    velocity_class: Mapped[str | None] = mapped_column(String(1))
    product_family: Mapped[str | None] = mapped_column(String(50))
    zone_type: Mapped[str | None] = mapped_column(String(50))
    zone_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("warehouse_zones.zone_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    strategy_type: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[int | None] = mapped_column(Integer())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
