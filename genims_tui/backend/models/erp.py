"""genims_erp_db: ERP: materials, BOMs, routings, production, procurement, inventory, sales, MRP, GL, ERP-MES sync log.

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

DATABASE = "genims_erp_db"


class Base(DeclarativeBase):
    """Declarative base of genims_erp_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class Materials(Base):
    __tablename__ = "materials"

    material_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    material_code: Mapped[str | None] = mapped_column(String(50))
    material_name: Mapped[str | None] = mapped_column(String(200))
    material_type: Mapped[str | None] = mapped_column(String(50))
    material_group: Mapped[str | None] = mapped_column(String(50))
    commodity_code: Mapped[str | None] = mapped_column(String(50))
    product_family: Mapped[str | None] = mapped_column(String(50))
    base_unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(10, 6))
    dimensions: Mapped[str | None] = mapped_column(String(100))
    procurement_type: Mapped[str | None] = mapped_column(String(30))
    default_supplier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("suppliers.supplier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    lead_time_days: Mapped[int | None] = mapped_column(Integer())
    minimum_order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    order_multiple: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    abc_classification: Mapped[str | None] = mapped_column(String(1))
    reorder_point: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    safety_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    maximum_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    valuation_class: Mapped[str | None] = mapped_column(String(50))
    standard_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    moving_average_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    last_purchase_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    inspection_required: Mapped[bool | None] = mapped_column(Boolean())
    shelf_life_days: Mapped[int | None] = mapped_column(Integer())
    mrp_type: Mapped[str | None] = mapped_column(String(30))
    lot_sizing_procedure: Mapped[str | None] = mapped_column(String(30))
    planning_time_fence_days: Mapped[int | None] = mapped_column(Integer())
    material_status: Mapped[str | None] = mapped_column(String(30), index=True)
    blocked_for_procurement: Mapped[bool | None] = mapped_column(Boolean())
    blocked_for_production: Mapped[bool | None] = mapped_column(Boolean())
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class BillOfMaterials(Base):
    __tablename__ = "bill_of_materials"

    bom_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    bom_number: Mapped[str | None] = mapped_column(String(50))
    parent_material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    parent_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    bom_usage: Mapped[str | None] = mapped_column(String(30))
    bom_status: Mapped[str | None] = mapped_column(String(30), index=True)
    alternative_bom: Mapped[int | None] = mapped_column(Integer())
    valid_from: Mapped[dt.date | None] = mapped_column(Date())
    valid_to: Mapped[dt.date | None] = mapped_column(Date())
    base_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    base_unit: Mapped[str | None] = mapped_column(String(20))
    lot_size: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    scrap_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    engineering_change_number: Mapped[str | None] = mapped_column(String(50))
    revision: Mapped[str | None] = mapped_column(String(20))
    is_current_revision: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class BomComponents(Base):
    __tablename__ = "bom_components"

    component_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    bom_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("bill_of_materials.bom_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    item_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    component_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    component_unit: Mapped[str | None] = mapped_column(String(20))
    component_scrap_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    operation_number: Mapped[int | None] = mapped_column(Integer())
    backflush: Mapped[bool | None] = mapped_column(Boolean())
    procurement_indicator: Mapped[str | None] = mapped_column(String(30))
    cost_relevance: Mapped[bool | None] = mapped_column(Boolean())
    has_substitute: Mapped[bool | None] = mapped_column(Boolean())
    substitute_material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    valid_from: Mapped[dt.date | None] = mapped_column(Date())
    valid_to: Mapped[dt.date | None] = mapped_column(Date())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Routing(Base):
    __tablename__ = "routing"

    routing_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    routing_number: Mapped[str | None] = mapped_column(String(50))
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    routing_usage: Mapped[str | None] = mapped_column(String(30))
    routing_status: Mapped[str | None] = mapped_column(String(30), index=True)
    base_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    lot_size_from: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    lot_size_to: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    valid_from: Mapped[dt.date | None] = mapped_column(Date())
    valid_to: Mapped[dt.date | None] = mapped_column(Date())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RoutingOperations(Base):
    __tablename__ = "routing_operations"

    operation_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    routing_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("routing.routing_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    operation_number: Mapped[int | None] = mapped_column(Integer())
    operation_short_text: Mapped[str | None] = mapped_column(String(200))
    operation_description: Mapped[str | None] = mapped_column(Text())
    work_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("work_centers.work_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    control_key: Mapped[str | None] = mapped_column(String(10))
    setup_time: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    machine_time: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    labor_time: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    base_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    standard_value_unit: Mapped[str | None] = mapped_column(String(20))
    activity_type: Mapped[str | None] = mapped_column(String(50))
    price_per_unit: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    earliest_start_offset: Mapped[int | None] = mapped_column(Integer())
    latest_start_offset: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WorkCenters(Base):
    __tablename__ = "work_centers"

    work_center_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    work_center_code: Mapped[str | None] = mapped_column(String(50))
    work_center_name: Mapped[str | None] = mapped_column(String(200))
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    work_center_category: Mapped[str | None] = mapped_column(String(50))
    capacity_category: Mapped[str | None] = mapped_column(String(50))
    available_capacity: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    utilization_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    queue_time_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    setup_time_minutes: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    machine_id: Mapped[str | None] = mapped_column(String(50), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ProductionOrders(Base):
    __tablename__ = "production_orders"

    production_order_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    production_order_number: Mapped[str | None] = mapped_column(String(50))
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_orders.sales_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_order_line: Mapped[int | None] = mapped_column(Integer())
    mrp_element: Mapped[str | None] = mapped_column(String(50))
    order_type: Mapped[str | None] = mapped_column(String(30))
    production_version: Mapped[int | None] = mapped_column(Integer())
    order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    delivered_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    scrap_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    basic_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    basic_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_finish_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    system_status: Mapped[str | None] = mapped_column(String(30), index=True)
    user_status: Mapped[str | None] = mapped_column(String(30), index=True)
    priority: Mapped[int | None] = mapped_column(Integer())
    scheduling_type: Mapped[str | None] = mapped_column(String(30))
    bom_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("bill_of_materials.bom_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    routing_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("routing.routing_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    work_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    planned_costs: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    actual_costs: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    settlement_rule: Mapped[str | None] = mapped_column(String(50))
    settlement_receiver: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    released_by: Mapped[str | None] = mapped_column(String(50))
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Suppliers(Base):
    __tablename__ = "suppliers"

    supplier_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    supplier_code: Mapped[str | None] = mapped_column(String(50))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(50))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    tax_id: Mapped[str | None] = mapped_column(String(50))
    currency: Mapped[str | None] = mapped_column(String(3))
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    on_time_delivery_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    quality_rating: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    total_orders_count: Mapped[int | None] = mapped_column(Integer())
    total_purchase_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    supplier_type: Mapped[str | None] = mapped_column(String(50))
    certification_status: Mapped[str | None] = mapped_column(String(100), index=True)
    supplier_status: Mapped[str | None] = mapped_column(String(30), index=True)
    blocked_for_orders: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PurchaseRequisitions(Base):
    __tablename__ = "purchase_requisitions"

    requisition_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    requisition_number: Mapped[str | None] = mapped_column(String(50))
    requisition_type: Mapped[str | None] = mapped_column(String(30))
    requisition_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    required_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    requester_id: Mapped[str | None] = mapped_column(String(50), index=True)
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    priority: Mapped[str | None] = mapped_column(String(30))
    approval_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(50), index=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    source_type: Mapped[str | None] = mapped_column(String(50))
    source_document: Mapped[str | None] = mapped_column(String(50))
    overall_status: Mapped[str | None] = mapped_column(String(30), index=True)
    remarks: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PurchaseRequisitionLines(Base):
    __tablename__ = "purchase_requisition_lines"

    requisition_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    requisition_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_requisitions.requisition_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_description: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    delivery_location: Mapped[str | None] = mapped_column(String(100))
    estimated_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    estimated_total: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    assigned_to_po: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_orders.purchase_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    assigned_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    gl_account: Mapped[str | None] = mapped_column(String(20))
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PurchaseOrders(Base):
    __tablename__ = "purchase_orders"

    purchase_order_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    po_number: Mapped[str | None] = mapped_column(String(50))
    supplier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("suppliers.supplier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    po_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    po_type: Mapped[str | None] = mapped_column(String(30))
    company_code: Mapped[str | None] = mapped_column(String(10))
    purchasing_organization: Mapped[str | None] = mapped_column(String(10))
    purchasing_group: Mapped[str | None] = mapped_column(String(10))
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    incoterms: Mapped[str | None] = mapped_column(String(20))
    currency: Mapped[str | None] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 6))
    total_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    freight_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    po_status: Mapped[str | None] = mapped_column(String(30), index=True)
    release_indicator: Mapped[bool | None] = mapped_column(Boolean())
    delivery_address_id: Mapped[str | None] = mapped_column(String(50))
    contract_number: Mapped[str | None] = mapped_column(String(50))
    quotation_number: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    released_by: Mapped[str | None] = mapped_column(String(50))
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PurchaseOrderLines(Base):
    __tablename__ = "purchase_order_lines"

    po_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    purchase_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_orders.purchase_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_description: Mapped[str | None] = mapped_column(String(200))
    order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    received_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    invoiced_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    net_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    tax_code: Mapped[str | None] = mapped_column(String(20))
    tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    storage_location: Mapped[str | None] = mapped_column(String(50))
    gl_account: Mapped[str | None] = mapped_column(String(20))
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    goods_receipt_required: Mapped[bool | None] = mapped_column(Boolean())
    invoice_receipt_required: Mapped[bool | None] = mapped_column(Boolean())
    quality_inspection_required: Mapped[bool | None] = mapped_column(Boolean())
    requisition_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_requisitions.requisition_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    requisition_line: Mapped[int | None] = mapped_column(Integer())
    line_status: Mapped[str | None] = mapped_column(String(30), index=True)
    deletion_indicator: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class GoodsReceipts(Base):
    __tablename__ = "goods_receipts"

    goods_receipt_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    gr_number: Mapped[str | None] = mapped_column(String(50))
    gr_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    posting_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    purchase_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_orders.purchase_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    po_line_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_order_lines.po_line_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    supplier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("suppliers.supplier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    quantity_received: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    storage_location: Mapped[str | None] = mapped_column(String(50))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    inspection_lot: Mapped[str | None] = mapped_column(String(50))
    quality_status: Mapped[str | None] = mapped_column(String(30), index=True)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    total_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    delivery_note: Mapped[str | None] = mapped_column(String(50))
    bill_of_lading: Mapped[str | None] = mapped_column(String(50))
    gr_status: Mapped[str | None] = mapped_column(String(30), index=True)
    cancelled: Mapped[bool | None] = mapped_column(Boolean())
    reversal_gr: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventoryBalances(Base):
    __tablename__ = "inventory_balances"

    balance_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    storage_location: Mapped[str | None] = mapped_column(String(50))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    unrestricted_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quality_inspection_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    blocked_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    consignment_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    in_transit_stock: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    stock_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    moving_average_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    last_goods_receipt_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    last_goods_issue_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    last_count_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    cycle_count_indicator: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InventoryTransactions(Base):
    __tablename__ = "inventory_transactions"

    transaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    material_document: Mapped[str | None] = mapped_column(String(50))
    document_item: Mapped[int | None] = mapped_column(Integer())
    transaction_type: Mapped[str | None] = mapped_column(String(50))
    movement_type: Mapped[str | None] = mapped_column(String(10))
    posting_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    document_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    storage_location: Mapped[str | None] = mapped_column(String(50))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    purchase_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("purchase_orders.purchase_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_orders.sales_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    production_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("production_orders.production_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    work_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    goods_receipt_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("goods_receipts.goods_receipt_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    receiving_plant: Mapped[str | None] = mapped_column(String(50))
    receiving_storage_location: Mapped[str | None] = mapped_column(String(50))
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason_text: Mapped[str | None] = mapped_column(Text())
    cancelled: Mapped[bool | None] = mapped_column(Boolean())
    reversal_indicator: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SalesOrders(Base):
    __tablename__ = "sales_orders"

    sales_order_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sales_order_number: Mapped[str | None] = mapped_column(String(50))
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    order_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    order_type: Mapped[str | None] = mapped_column(String(30))
    sales_organization: Mapped[str | None] = mapped_column(String(10))
    distribution_channel: Mapped[str | None] = mapped_column(String(10))
    division: Mapped[str | None] = mapped_column(String(10))
    currency: Mapped[str | None] = mapped_column(String(3))
    total_net_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    freight_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    payment_method: Mapped[str | None] = mapped_column(String(30))
    delivery_priority: Mapped[str | None] = mapped_column(String(30))
    requested_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    confirmed_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    incoterms: Mapped[str | None] = mapped_column(String(20))
    ship_to_party: Mapped[str | None] = mapped_column(String(50))
    shipping_address_id: Mapped[str | None] = mapped_column(String(50))
    shipping_instructions: Mapped[str | None] = mapped_column(Text())
    order_status: Mapped[str | None] = mapped_column(String(30), index=True)
    overall_delivery_status: Mapped[str | None] = mapped_column(String(30), index=True)
    overall_billing_status: Mapped[str | None] = mapped_column(String(30), index=True)
    credit_check_status: Mapped[str | None] = mapped_column(String(30), index=True)
    credit_limit_used: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    customer_po_number: Mapped[str | None] = mapped_column(String(50))
    quotation_number: Mapped[str | None] = mapped_column(String(50))
    contract_number: Mapped[str | None] = mapped_column(String(50))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SalesOrderLines(Base):
    __tablename__ = "sales_order_lines"

    sales_order_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sales_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("sales_orders.sales_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    product_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_description: Mapped[str | None] = mapped_column(String(200))
    order_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    delivered_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    invoiced_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    discount_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    net_price: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    tax_code: Mapped[str | None] = mapped_column(String(20))
    tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    requested_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    confirmed_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    atp_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    atp_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    make_to_order: Mapped[bool | None] = mapped_column(Boolean())
    production_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("production_orders.production_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    item_category: Mapped[str | None] = mapped_column(String(10))
    line_status: Mapped[str | None] = mapped_column(String(30), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(String(100))
    deletion_indicator: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MrpRuns(Base):
    __tablename__ = "mrp_runs"

    mrp_run_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    run_number: Mapped[str | None] = mapped_column(String(50))
    planning_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    planning_horizon_days: Mapped[int | None] = mapped_column(Integer())
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    mrp_controller: Mapped[str | None] = mapped_column(String(50))
    planning_mode: Mapped[str | None] = mapped_column(String(30))
    create_purchase_requisitions: Mapped[bool | None] = mapped_column(Boolean())
    create_production_orders: Mapped[bool | None] = mapped_column(Boolean())
    reschedule_open_orders: Mapped[bool | None] = mapped_column(Boolean())
    materials_planned: Mapped[int | None] = mapped_column(Integer())
    purchase_reqs_created: Mapped[int | None] = mapped_column(Integer())
    production_orders_created: Mapped[int | None] = mapped_column(Integer())
    run_status: Mapped[str | None] = mapped_column(String(30), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class MrpElements(Base):
    __tablename__ = "mrp_elements"

    element_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    mrp_run_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("mrp_runs.mrp_run_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    element_type: Mapped[str | None] = mapped_column(String(30))
    element_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    requirement_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    receipt_quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    source_document: Mapped[str | None] = mapped_column(String(50))
    source_line: Mapped[int | None] = mapped_column(Integer())
    exception_message: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CostCenters(Base):
    __tablename__ = "cost_centers"

    cost_center_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    cost_center_code: Mapped[str | None] = mapped_column(String(50))
    cost_center_name: Mapped[str | None] = mapped_column(String(200))
    controlling_area: Mapped[str | None] = mapped_column(String(10))
    cost_center_group: Mapped[str | None] = mapped_column(String(50))
    parent_cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    company_code: Mapped[str | None] = mapped_column(String(10))
    business_area: Mapped[str | None] = mapped_column(String(10))
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    responsible_person: Mapped[str | None] = mapped_column(String(50), index=True)
    cost_center_category: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    valid_from: Mapped[dt.date | None] = mapped_column(Date())
    valid_to: Mapped[dt.date | None] = mapped_column(Date())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class GeneralLedger(Base):
    __tablename__ = "general_ledger"

    gl_transaction_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    document_number: Mapped[str | None] = mapped_column(String(50))
    document_type: Mapped[str | None] = mapped_column(String(10))
    posting_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    document_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    gl_account: Mapped[str | None] = mapped_column(String(20))
    company_code: Mapped[str | None] = mapped_column(String(10))
    debit_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    credit_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    cost_center_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("cost_centers.cost_center_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    profit_center: Mapped[str | None] = mapped_column(String(50))
    reference_document: Mapped[str | None] = mapped_column(String(50))
    assignment: Mapped[str | None] = mapped_column(String(50))
    text: Mapped[str | None] = mapped_column(Text())
    posting_key: Mapped[str | None] = mapped_column(String(2))
    transaction_code: Mapped[str | None] = mapped_column(String(10))
    source_system: Mapped[str | None] = mapped_column(String(50))
    source_document_id: Mapped[str | None] = mapped_column(String(50))
    fiscal_year: Mapped[int | None] = mapped_column(Integer())
    fiscal_period: Mapped[int | None] = mapped_column(Integer())
    cleared: Mapped[bool | None] = mapped_column(Boolean())
    clearing_document: Mapped[str | None] = mapped_column(String(50))
    clearing_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InspectionPlans(Base):
    __tablename__ = "inspection_plans"

    inspection_plan_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    plan_number: Mapped[str | None] = mapped_column(String(50))
    material_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("materials.material_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    plant_id: Mapped[str | None] = mapped_column(String(50), index=True)
    plan_usage: Mapped[str | None] = mapped_column(String(30))
    inspection_type: Mapped[str | None] = mapped_column(String(30))
    sample_size: Mapped[int | None] = mapped_column(Integer())
    sample_unit: Mapped[str | None] = mapped_column(String(20))
    sampling_procedure: Mapped[str | None] = mapped_column(String(50))
    inspection_interval_days: Mapped[int | None] = mapped_column(Integer())
    next_inspection_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class InspectionCharacteristics(Base):
    __tablename__ = "inspection_characteristics"

    characteristic_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    inspection_plan_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("inspection_plans.inspection_plan_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    characteristic_name: Mapped[str | None] = mapped_column(String(200))
    characteristic_type: Mapped[str | None] = mapped_column(String(30))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    lower_spec_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    upper_spec_limit: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    inspection_method: Mapped[str | None] = mapped_column(String(100))
    measurement_device: Mapped[str | None] = mapped_column(String(100))
    sample_size: Mapped[int | None] = mapped_column(Integer())
    characteristic_class: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ErpMesSyncLog(Base):
    __tablename__ = "erp_mes_sync_log"

    sync_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sync_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    sync_direction: Mapped[str | None] = mapped_column(String(10))
    document_type: Mapped[str | None] = mapped_column(String(50))
    document_id: Mapped[str | None] = mapped_column(String(50))
    sync_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    sync_data: Mapped[Any | None] = mapped_column(PortableJSON)
    retry_count: Mapped[int | None] = mapped_column(Integer())
    last_retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
