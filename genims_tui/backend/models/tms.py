"""genims_tms_db: TMS: carriers, rates, shipments, tracking, routes, deliveries, proof of delivery, returns, freight.

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

DATABASE = "genims_tms_db"


class Base(DeclarativeBase):
    """Declarative base of genims_tms_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class Carriers(Base):
    __tablename__ = "carriers"

    carrier_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    carrier_code: Mapped[str | None] = mapped_column(String(50))
    carrier_name: Mapped[str | None] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(200))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(50))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    tax_id: Mapped[str | None] = mapped_column(String(50))
    carrier_type: Mapped[str | None] = mapped_column(String(50))
    api_integration: Mapped[bool | None] = mapped_column(Boolean())
    tracking_url_template: Mapped[str | None] = mapped_column(String(500))
    on_time_delivery_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    damage_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    total_shipments: Mapped[int | None] = mapped_column(Integer())
    total_freight_spend: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    cargo_insurance_available: Mapped[bool | None] = mapped_column(Boolean())
    max_insurance_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    carrier_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_for_shipments: Mapped[bool | None] = mapped_column(Boolean())
    carrier_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CarrierServices(Base):
    __tablename__ = "carrier_services"

    service_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    carrier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carriers.carrier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    service_code: Mapped[str | None] = mapped_column(String(50))
    service_name: Mapped[str | None] = mapped_column(String(200))
    service_type: Mapped[str | None] = mapped_column(String(50))
    transit_days_min: Mapped[int | None] = mapped_column(Integer())
    transit_days_max: Mapped[int | None] = mapped_column(Integer())
    signature_required: Mapped[bool | None] = mapped_column(Boolean())
    saturday_delivery: Mapped[bool | None] = mapped_column(Boolean())
    sunday_delivery: Mapped[bool | None] = mapped_column(Boolean())
    hazmat_capable: Mapped[bool | None] = mapped_column(Boolean())
    temperature_controlled: Mapped[bool | None] = mapped_column(Boolean())
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    max_length_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    max_width_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    max_height_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    domestic: Mapped[bool | None] = mapped_column(Boolean())
    international: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CarrierRates(Base):
    __tablename__ = "carrier_rates"

    rate_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    carrier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carriers.carrier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    service_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carrier_services.service_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    origin_country: Mapped[str | None] = mapped_column(String(50))
    origin_state: Mapped[str | None] = mapped_column(String(100))
    origin_postal_code: Mapped[str | None] = mapped_column(String(20))
    destination_country: Mapped[str | None] = mapped_column(String(50))
    destination_state: Mapped[str | None] = mapped_column(String(100))
    destination_postal_code: Mapped[str | None] = mapped_column(String(20))
    zone: Mapped[str | None] = mapped_column(String(20))
    min_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    base_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    per_kg_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    fuel_surcharge_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    residential_delivery_charge: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    signature_charge: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    insurance_rate_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Shipments(Base):
    __tablename__ = "shipments"

    shipment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    shipment_number: Mapped[str | None] = mapped_column(String(50))
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    shipping_task_id: Mapped[str | None] = mapped_column(String(50), index=True)
    warehouse_id: Mapped[str | None] = mapped_column(String(50), index=True)
    carrier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carriers.carrier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    service_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carrier_services.service_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    carrier_service_name: Mapped[str | None] = mapped_column(String(200))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    master_tracking_number: Mapped[str | None] = mapped_column(String(100))
    bol_number: Mapped[str | None] = mapped_column(String(100))
    pro_number: Mapped[str | None] = mapped_column(String(100))
    origin_warehouse_id: Mapped[str | None] = mapped_column(String(50), index=True)
    origin_name: Mapped[str | None] = mapped_column(String(200))
    origin_address_line1: Mapped[str | None] = mapped_column(String(200))
    origin_city: Mapped[str | None] = mapped_column(String(100))
    origin_state: Mapped[str | None] = mapped_column(String(100))
    origin_country: Mapped[str | None] = mapped_column(String(50))
    origin_postal_code: Mapped[str | None] = mapped_column(String(20))
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    destination_name: Mapped[str | None] = mapped_column(String(200))
    destination_contact: Mapped[str | None] = mapped_column(String(100))
    destination_phone: Mapped[str | None] = mapped_column(String(50))
    destination_email: Mapped[str | None] = mapped_column(String(100))
    destination_address_line1: Mapped[str | None] = mapped_column(String(200))
    destination_address_line2: Mapped[str | None] = mapped_column(String(200))
    destination_city: Mapped[str | None] = mapped_column(String(100))
    destination_state: Mapped[str | None] = mapped_column(String(100))
    destination_country: Mapped[str | None] = mapped_column(String(50))
    destination_postal_code: Mapped[str | None] = mapped_column(String(20))
    shipment_type: Mapped[str | None] = mapped_column(String(50))
    incoterms: Mapped[str | None] = mapped_column(String(20))
    number_of_packages: Mapped[int | None] = mapped_column(Integer())
    total_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    total_volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    declared_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    signature_required: Mapped[bool | None] = mapped_column(Boolean())
    insurance_required: Mapped[bool | None] = mapped_column(Boolean())
    insurance_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    temperature_controlled: Mapped[bool | None] = mapped_column(Boolean())
    hazmat: Mapped[bool | None] = mapped_column(Boolean())
    fragile: Mapped[bool | None] = mapped_column(Boolean())
    ship_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_pickup_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_pickup_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    estimated_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    transit_days: Mapped[int | None] = mapped_column(Integer())
    shipment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    freight_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    fuel_surcharge: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    accessorial_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    insurance_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    freight_invoice_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("freight_invoices.invoice_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    invoiced: Mapped[bool | None] = mapped_column(Boolean())
    invoice_approved: Mapped[bool | None] = mapped_column(Boolean())
    delivered_to_name: Mapped[str | None] = mapped_column(String(200))
    delivery_signature: Mapped[str | None] = mapped_column(String(200))
    delivery_notes: Mapped[str | None] = mapped_column(Text())
    bol_document_url: Mapped[str | None] = mapped_column(String(500))
    pod_document_url: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ShipmentLines(Base):
    __tablename__ = "shipment_lines"

    shipment_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    sales_order_line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_description: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    package_number: Mapped[int | None] = mapped_column(Integer())
    serial_numbers: Mapped[str | None] = mapped_column(Text())
    batch_numbers: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ShipmentPackages(Base):
    __tablename__ = "shipment_packages"

    package_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    package_number: Mapped[int | None] = mapped_column(Integer())
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    package_type: Mapped[str | None] = mapped_column(String(50))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    length_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    width_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    height_cm: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    description: Mapped[str | None] = mapped_column(Text())
    declared_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    package_status: Mapped[str | None] = mapped_column(String(30), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TrackingEvents(Base):
    __tablename__ = "tracking_events"

    event_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    event_type: Mapped[str | None] = mapped_column(String(50))
    event_code: Mapped[str | None] = mapped_column(String(20))
    event_description: Mapped[str | None] = mapped_column(Text())
    location_city: Mapped[str | None] = mapped_column(String(100))
    location_state: Mapped[str | None] = mapped_column(String(100))
    location_country: Mapped[str | None] = mapped_column(String(50))
    facility_name: Mapped[str | None] = mapped_column(String(200))
    event_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    exception_reason: Mapped[str | None] = mapped_column(Text())
    data_source: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Routes(Base):
    __tablename__ = "routes"

    route_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    route_number: Mapped[str | None] = mapped_column(String(50))
    route_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    planned_start_time: Mapped[dt.time | None] = mapped_column(Time())
    planned_end_time: Mapped[dt.time | None] = mapped_column(Time())
    actual_start_time: Mapped[dt.time | None] = mapped_column(Time())
    actual_end_time: Mapped[dt.time | None] = mapped_column(Time())
    carrier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carriers.carrier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    vehicle_id: Mapped[str | None] = mapped_column(String(50))
    driver_id: Mapped[str | None] = mapped_column(String(50), index=True)
    origin_warehouse_id: Mapped[str | None] = mapped_column(String(50), index=True)
    route_type: Mapped[str | None] = mapped_column(String(50))
    optimization_type: Mapped[str | None] = mapped_column(String(50))
    total_distance_km: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    total_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    number_of_stops: Mapped[int | None] = mapped_column(Integer())
    completed_stops: Mapped[int | None] = mapped_column(Integer())
    total_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    total_volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    vehicle_capacity_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    vehicle_capacity_m3: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    route_status: Mapped[str | None] = mapped_column(String(30), index=True)
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    actual_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RouteStops(Base):
    __tablename__ = "route_stops"

    stop_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    route_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("routes.route_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    stop_sequence: Mapped[int | None] = mapped_column(Integer())
    stop_type: Mapped[str | None] = mapped_column(String(30))
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    stop_name: Mapped[str | None] = mapped_column(String(200))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(10, 7))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(10, 7))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    planned_arrival_time: Mapped[dt.time | None] = mapped_column(Time())
    planned_departure_time: Mapped[dt.time | None] = mapped_column(Time())
    actual_arrival_time: Mapped[dt.time | None] = mapped_column(Time())
    actual_departure_time: Mapped[dt.time | None] = mapped_column(Time())
    service_time_minutes: Mapped[int | None] = mapped_column(Integer())
    packages_to_deliver: Mapped[int | None] = mapped_column(Integer())
    packages_delivered: Mapped[int | None] = mapped_column(Integer())
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    stop_status: Mapped[str | None] = mapped_column(String(30), index=True)
    signature: Mapped[str | None] = mapped_column(String(200))
    delivered_to: Mapped[str | None] = mapped_column(String(200))
    photo_url: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text())
    geofence_radius_m: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Deliveries(Base):
    __tablename__ = "deliveries"

    delivery_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    delivery_number: Mapped[str | None] = mapped_column(String(50))
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    route_stop_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("route_stops.stop_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    delivery_contact: Mapped[str | None] = mapped_column(String(100))
    delivery_address_line1: Mapped[str | None] = mapped_column(String(200))
    delivery_address_line2: Mapped[str | None] = mapped_column(String(200))
    delivery_city: Mapped[str | None] = mapped_column(String(100))
    delivery_state: Mapped[str | None] = mapped_column(String(100))
    delivery_postal_code: Mapped[str | None] = mapped_column(String(20))
    scheduled_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    scheduled_time_window_start: Mapped[dt.time | None] = mapped_column(Time())
    scheduled_time_window_end: Mapped[dt.time | None] = mapped_column(Time())
    actual_delivery_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    actual_delivery_time: Mapped[dt.time | None] = mapped_column(Time())
    delivery_type: Mapped[str | None] = mapped_column(String(50))
    delivery_status: Mapped[str | None] = mapped_column(String(30), index=True)
    delivery_attempt_count: Mapped[int | None] = mapped_column(Integer())
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    rescheduled_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    delivered_to_name: Mapped[str | None] = mapped_column(String(200))
    relationship_to_recipient: Mapped[str | None] = mapped_column(String(50))
    delivery_instructions: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ProofOfDelivery(Base):
    __tablename__ = "proof_of_delivery"

    pod_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    delivery_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("deliveries.delivery_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    received_by_name: Mapped[str | None] = mapped_column(String(200))
    signature: Mapped[str | None] = mapped_column(Text())
    signature_url: Mapped[str | None] = mapped_column(String(500))
    photo1_url: Mapped[str | None] = mapped_column(String(500))
    photo2_url: Mapped[str | None] = mapped_column(String(500))
    photo3_url: Mapped[str | None] = mapped_column(String(500))
    packages_delivered: Mapped[int | None] = mapped_column(Integer())
    packages_condition: Mapped[str | None] = mapped_column(String(50))
    delivery_latitude: Mapped[Decimal | None] = mapped_column(Numeric(10, 7))
    delivery_longitude: Mapped[Decimal | None] = mapped_column(Numeric(10, 7))
    geo_verified: Mapped[bool | None] = mapped_column(Boolean())
    delivery_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    delivery_notes: Mapped[str | None] = mapped_column(Text())
    pod_document_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ReturnOrders(Base):
    __tablename__ = "return_orders"

    return_order_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    return_number: Mapped[str | None] = mapped_column(String(50))
    rma_number: Mapped[str | None] = mapped_column(String(50))
    sales_order_id: Mapped[str | None] = mapped_column(String(50), index=True)
    original_shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    customer_id: Mapped[str | None] = mapped_column(String(50), index=True)
    return_reason: Mapped[str | None] = mapped_column(String(50))
    return_reason_details: Mapped[str | None] = mapped_column(Text())
    return_type: Mapped[str | None] = mapped_column(String(50))
    authorized_by: Mapped[str | None] = mapped_column(String(50))
    authorization_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    return_to_warehouse_id: Mapped[str | None] = mapped_column(String(50), index=True)
    return_status: Mapped[str | None] = mapped_column(String(30), index=True)
    refund_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    restocking_fee: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    refund_processed: Mapped[bool | None] = mapped_column(Boolean())
    disposition: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ReturnOrderLines(Base):
    __tablename__ = "return_order_lines"

    return_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    return_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("return_orders.return_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    sales_order_line_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_id: Mapped[str | None] = mapped_column(String(50), index=True)
    material_description: Mapped[str | None] = mapped_column(String(200))
    quantity_to_return: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    quantity_received: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    unit_of_measure: Mapped[str | None] = mapped_column(String(20))
    condition_on_receipt: Mapped[str | None] = mapped_column(String(50))
    serial_number: Mapped[str | None] = mapped_column(String(50))
    batch_number: Mapped[str | None] = mapped_column(String(50))
    disposition: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ReturnShipments(Base):
    __tablename__ = "return_shipments"

    return_shipment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    return_order_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("return_orders.return_order_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    carrier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carriers.carrier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    service_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carrier_services.service_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    return_label_url: Mapped[str | None] = mapped_column(String(500))
    label_cost: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    pickup_scheduled: Mapped[bool | None] = mapped_column(Boolean())
    pickup_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    shipment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    shipped_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    received_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FreightInvoices(Base):
    __tablename__ = "freight_invoices"

    invoice_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    invoice_number: Mapped[str | None] = mapped_column(String(50))
    carrier_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("carriers.carrier_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    invoice_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    freight_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    fuel_surcharge: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    accessorial_charges: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    invoice_status: Mapped[str | None] = mapped_column(String(30), index=True)
    audit_status: Mapped[str | None] = mapped_column(String(30), index=True)
    variance_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    dispute_reason: Mapped[str | None] = mapped_column(Text())
    payment_terms: Mapped[str | None] = mapped_column(String(50))
    paid: Mapped[bool | None] = mapped_column(Boolean())
    payment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    reconciled: Mapped[bool | None] = mapped_column(Boolean())
    reconciliation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class FreightInvoiceLines(Base):
    __tablename__ = "freight_invoice_lines"

    invoice_line_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    invoice_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("freight_invoices.invoice_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    line_number: Mapped[int | None] = mapped_column(Integer())
    shipment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shipments.shipment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    shipment_number: Mapped[str | None] = mapped_column(String(50))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    charge_type: Mapped[str | None] = mapped_column(String(50))
    charge_description: Mapped[str | None] = mapped_column(String(200))
    charge_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    expected_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    variance_amount: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    approved: Mapped[bool | None] = mapped_column(Boolean())
    disputed: Mapped[bool | None] = mapped_column(Boolean())
    dispute_reason: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class WmsTmsSyncLog(Base):
    __tablename__ = "wms_tms_sync_log"

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
