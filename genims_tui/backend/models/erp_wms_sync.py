"""genims_erp_wms_sync_db: ERP <-> WMS inventory sync: mappings, sync queue, allocations, reconciliation, snapshots.

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

DATABASE = "genims_erp_wms_sync_db"


class Base(DeclarativeBase):
    """Declarative base of genims_erp_wms_sync_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class InventorySyncMappings(Base):
    __tablename__ = "inventory_sync_mappings"

    mapping_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    erp_location_id: Mapped[str | None] = mapped_column(String(50), index=True)
    erp_location_type: Mapped[str | None] = mapped_column(String(30))
    wms_warehouse_id: Mapped[str | None] = mapped_column(String(50), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    sync_enabled: Mapped[bool | None] = mapped_column(Boolean())
    sync_mode: Mapped[str | None] = mapped_column(String(30))
    last_sync_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    last_sync_status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventorySyncQueue(Base):
    __tablename__ = "inventory_sync_queue"

    queue_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sync_direction: Mapped[str | None] = mapped_column(String(30))
    transaction_type: Mapped[str | None] = mapped_column(String(50))
    transaction_id: Mapped[str | None] = mapped_column(String(50))
    transaction_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    from_location: Mapped[str | None] = mapped_column(String(50))
    to_location: Mapped[str | None] = mapped_column(String(50))
    from_bin_location: Mapped[str | None] = mapped_column(String(50))
    to_bin_location: Mapped[str | None] = mapped_column(String(50))
    sync_status: Mapped[str | None] = mapped_column(String(30), index=True)
    processed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    retry_count: Mapped[int | None] = mapped_column(Integer())
    max_retries: Mapped[int | None] = mapped_column(Integer())
    error_message: Mapped[str | None] = mapped_column(Text())
    acknowledged: Mapped[bool | None] = mapped_column(Boolean())
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    sync_data: Mapped[Any | None] = mapped_column(PortableJSON)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventoryAllocations(Base):
    __tablename__ = "inventory_allocations"

    allocation_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    source_type: Mapped[str | None] = mapped_column(String(30))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    source_line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(String(50))
    allocated_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    location_id: Mapped[str | None] = mapped_column(String(50), index=True)
    wms_reservation_id: Mapped[str | None] = mapped_column(String(50), index=True)
    bin_location: Mapped[str | None] = mapped_column(String(50))
    allocation_status: Mapped[str | None] = mapped_column(String(30), index=True)
    allocation_date: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    required_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    picked_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    shipped_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    synced_to_wms: Mapped[bool | None] = mapped_column(Boolean())
    wms_sync_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventoryReconciliationHeaders(Base):
    __tablename__ = "inventory_reconciliation_headers"

    reconciliation_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    reconciliation_number: Mapped[str | None] = mapped_column(String(50))
    reconciliation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    fiscal_period: Mapped[int | None] = mapped_column(Integer())
    location_id: Mapped[str | None] = mapped_column(String(50))
    reconciliation_status: Mapped[str | None] = mapped_column(String(30), index=True)
    total_items_compared: Mapped[int | None] = mapped_column(Integer())
    items_matched: Mapped[int | None] = mapped_column(Integer())
    items_with_variance: Mapped[int | None] = mapped_column(Integer())
    total_variance_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    started_by: Mapped[str | None] = mapped_column(String(50))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())


class InventoryReconciliationLines(Base):
    __tablename__ = "inventory_reconciliation_lines"

    line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    reconciliation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("inventory_reconciliation_headers.reconciliation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(String(50))
    location_id: Mapped[str | None] = mapped_column(String(50))
    erp_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    erp_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    wms_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    wms_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    variance_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    wms_bin_details: Mapped[Any | None] = mapped_column(PortableJSON)
    variance_reason: Mapped[str | None] = mapped_column(String(200))
    variance_status: Mapped[str | None] = mapped_column(String(30), index=True)
    adjustment_posted: Mapped[bool | None] = mapped_column(Boolean())
    adjustment_journal_id: Mapped[str | None] = mapped_column(String(50), index=True)
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventoryAdjustmentsSync(Base):
    __tablename__ = "inventory_adjustments_sync"

    sync_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    source_system: Mapped[str | None] = mapped_column(String(10))
    adjustment_type: Mapped[str | None] = mapped_column(String(30))
    adjustment_document_id: Mapped[str | None] = mapped_column(String(50))
    adjustment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50))
    location_id: Mapped[str | None] = mapped_column(String(50))
    bin_location: Mapped[str | None] = mapped_column(String(50))
    quantity_before: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_after: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    adjustment_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    value_before: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    value_after: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    adjustment_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    adjustment_reason: Mapped[str | None] = mapped_column(String(200))
    sync_status: Mapped[str | None] = mapped_column(String(30), index=True)
    synced_to_system: Mapped[str | None] = mapped_column(String(10))
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    target_transaction_id: Mapped[str | None] = mapped_column(String(50))
    error_message: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CycleCountIntegration(Base):
    __tablename__ = "cycle_count_integration"

    integration_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    wms_cycle_count_id: Mapped[str | None] = mapped_column(String(50))
    erp_reconciliation_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("inventory_reconciliation_headers.reconciliation_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    integration_status: Mapped[str | None] = mapped_column(String(30), index=True)
    items_counted: Mapped[int | None] = mapped_column(Integer())
    items_with_variance: Mapped[int | None] = mapped_column(Integer())
    total_variance_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    processed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventorySnapshot(Base):
    __tablename__ = "inventory_snapshot"

    snapshot_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    material_id: Mapped[str | None] = mapped_column(String(50))
    location_id: Mapped[str | None] = mapped_column(String(50))
    erp_on_hand: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    erp_allocated: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    erp_available: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    wms_on_hand: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    wms_allocated: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    wms_available: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    variance_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    sync_status: Mapped[str | None] = mapped_column(String(30), index=True)
    last_erp_update: Mapped[dt.datetime | None] = mapped_column(DateTime())
    last_wms_update: Mapped[dt.datetime | None] = mapped_column(DateTime())
    last_sync_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)


class InventoryTransactionLog(Base):
    __tablename__ = "inventory_transaction_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    log_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    transaction_type: Mapped[str | None] = mapped_column(String(50))
    transaction_id: Mapped[str | None] = mapped_column(String(50))
    source_system: Mapped[str | None] = mapped_column(String(10))
    material_id: Mapped[str | None] = mapped_column(String(50))
    location_id: Mapped[str | None] = mapped_column(String(50))
    bin_location: Mapped[str | None] = mapped_column(String(50))
    quantity_change: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    balance_before: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    balance_after: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    sync_required: Mapped[bool | None] = mapped_column(Boolean())
    synced: Mapped[bool | None] = mapped_column(Boolean())
    sync_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    transaction_data: Mapped[Any | None] = mapped_column(PortableJSON)


class InventorySyncErrors(Base):
    __tablename__ = "inventory_sync_errors"

    error_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    error_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    error_type: Mapped[str | None] = mapped_column(String(50))
    error_message: Mapped[str | None] = mapped_column(Text())
    error_details: Mapped[Any | None] = mapped_column(PortableJSON)
    queue_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("inventory_sync_queue.queue_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_id: Mapped[str | None] = mapped_column(String(50))
    location_id: Mapped[str | None] = mapped_column(String(50))
    error_status: Mapped[str | None] = mapped_column(String(30), index=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(50))
    resolution_notes: Mapped[str | None] = mapped_column(Text())
    retry_attempted: Mapped[bool | None] = mapped_column(Boolean())
    retry_count: Mapped[int | None] = mapped_column(Integer())


class InventorySyncMetrics(Base):
    __tablename__ = "inventory_sync_metrics"

    metric_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    metric_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    total_sync_transactions: Mapped[int | None] = mapped_column(Integer())
    erp_to_wms_transactions: Mapped[int | None] = mapped_column(Integer())
    wms_to_erp_transactions: Mapped[int | None] = mapped_column(Integer())
    successful_syncs: Mapped[int | None] = mapped_column(Integer())
    failed_syncs: Mapped[int | None] = mapped_column(Integer())
    success_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    avg_sync_time_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    max_sync_time_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    total_errors: Mapped[int | None] = mapped_column(Integer())
    unresolved_errors: Mapped[int | None] = mapped_column(Integer())
    reconciliations_completed: Mapped[int | None] = mapped_column(Integer())
    total_variance_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
