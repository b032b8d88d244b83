"""genims_tms_db: carriers, services, rates, shipments (one per delivered ERP sales order, read back from
the WMS shipping tasks that already carry their shipment and carrier ids), lines, packages, tracking,
routes and stops (the private fleet), deliveries and proof of delivery, returns, freight invoices (matching
the shipments' costs, a few over-billed) and the WMS-TMS sync log.

Carrier, service and shipment identifiers come from the helpers in wms.py, so both sides agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from .framework import Row, SeedContext
from .wms import CARRIERS, COUNTRY_CITIES, at, carrier_id, carrier_services, dec

DATABASE = "genims_tms_db"
DEPENDS = ("genims_master_db", "genims_erp_db", "genims_wms_db")

MASTER, ERP, WMS = "genims_master_db", "genims_erp_db", "genims_wms_db"
C2 = Decimal("0.01")
Q4 = Decimal("0.0001")
ZERO = Decimal("0.00")
WEIGHT_BANDS = [(Decimal("0"), Decimal("70")), (Decimal("70"), Decimal("500")), (Decimal("500"), Decimal("30000"))]
HUBS = ["Memphis", "Louisville", "Indianapolis", "Chicago", "Dallas", "Atlanta", "Columbus", "Kansas City", "Leipzig",
        "Cologne", "Mumbai", "Monterrey", "Laredo", "Rotterdam"]


def generate(ctx: SeedContext) -> dict[str, list[Row]]:
    as_of, today = ctx.as_of, ctx.today
    t: dict[str, list[Row]] = {n: [] for n in (
        "carriers", "carrier_services", "carrier_rates", "freight_invoices", "shipments", "shipment_lines",
        "shipment_packages", "tracking_events", "routes", "route_stops", "deliveries", "proof_of_delivery",
        "return_orders", "return_order_lines", "return_shipments", "freight_invoice_lines", "wms_tms_sync_log")}
    rng = ctx.rng("tms.main")
    fake = ctx.faker("tms.addresses")
    setup = as_of - dt.timedelta(days=390)

    # -- carriers, services, rates ----------------------------------------------------------------
    for i, (code, name, ctype, url, _pfx) in enumerate(CARRIERS, start=1):
        t["carriers"].append({
            "carrier_id": carrier_id(i), "carrier_code": code, "carrier_name": name, "contact_person": fake.name(),
            "email": f"logistics@{code.lower()}.example", "phone": fake.phone_number()[:50],
            "website": f"https://www.{code.lower()}.example", "address_line1": fake.street_address(), "city": fake.city(),
            "state": fake.state(), "country": "USA", "postal_code": fake.postcode(), "tax_id": f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}",
            "carrier_type": ctype, "api_integration": ctype in ("parcel", "express", "ltl"), "tracking_url_template": url,
            "on_time_delivery_pct": None, "damage_rate_pct": ctx.money(rng.uniform(0.05, 0.8)), "total_shipments": 0,
            "total_freight_spend": ZERO, "cargo_insurance_available": True, "max_insurance_value": ctx.money(rng.choice([100000, 250000, 500000])),
            "carrier_status": "active", "approved_for_shipments": True, "carrier_rating": ctx.money(rng.uniform(3.4, 4.9)),
            "created_at": setup, "updated_at": setup})
    services = carrier_services()
    svc_by_code = {s["service_code"]: s for s in services}
    for s in services:
        t["carrier_services"].append({
            "service_id": s["service_id"], "carrier_id": s["carrier_id"], "service_code": s["service_code"],
            "service_name": s["service_name"], "service_type": s["service_type"], "transit_days_min": s["transit_days_min"],
            "transit_days_max": s["transit_days_max"], "signature_required": s["service_type"] in ("air", "international"),
            "saturday_delivery": s["service_type"] == "air", "sunday_delivery": False, "hazmat_capable": s["service_type"] in ("ltl", "ftl"),
            "temperature_controlled": "Temperature" in s["service_name"], "max_weight_kg": ctx.money(70 if s["service_type"] in ("air",) else 20000),
            "max_length_cm": ctx.money(270 if s["service_type"] == "air" else 1360), "max_width_cm": ctx.money(250),
            "max_height_cm": ctx.money(270), "domestic": s["service_type"] != "international",
            "international": s["service_type"] in ("international", "air") or s["carrier_id"] == carrier_id(3),
            "is_active": True, "created_at": setup})
    rates_by_service: dict[str, list[Row]] = defaultdict(list)
    n = 0
    effective = (as_of - dt.timedelta(days=300)).date()
    while n < 90:
        s = services[n % len(services)]
        band = WEIGHT_BANDS[(n // len(services)) % len(WEIGHT_BANDS)]
        n += 1
        fast = s["transit_days_max"] <= 2
        base = rng.uniform(8, 25) * (2.5 if fast else 1) * (1 + float(band[0]) / 200)
        per_kg = rng.uniform(0.35, 1.4) * (2.2 if fast else 1) / (1 + float(band[0]) / 500)
        r = {"rate_id": ctx.key("RATE", n), "carrier_id": s["carrier_id"], "service_id": s["service_id"], "origin_country": "USA",
             "origin_state": None, "origin_postal_code": None, "destination_country": None, "destination_state": None,
             "destination_postal_code": None, "zone": f"Z{(n % 8) + 1}", "min_weight_kg": band[0].quantize(C2),
             "max_weight_kg": band[1].quantize(C2), "base_rate": ctx.qty(base, 4), "per_kg_rate": ctx.qty(per_kg, 4),
             "fuel_surcharge_pct": ctx.money(rng.uniform(8, 18)), "currency": "USD", "residential_delivery_charge": ctx.money(5.5),
             "signature_charge": ctx.money(6.25), "insurance_rate_pct": ctx.money(0.35), "effective_date": effective,
             "expiry_date": effective + dt.timedelta(days=730), "is_active": True, "created_at": setup}
        t["carrier_rates"].append(r)
        rates_by_service[s["service_id"]].append(r)

    def rate_for(service_id: str, weight: Decimal) -> Row:
        rs = rates_by_service.get(service_id) or t["carrier_rates"]
        for r in rs:
            if r["min_weight_kg"] <= weight < r["max_weight_kg"]:
                return r
        return max(rs, key=lambda r: r["max_weight_kg"])

    # -- inputs ------------------------------------------------------------------------------------
    whs = {w["warehouse_id"]: w for w in ctx.rows(WMS, "warehouses")}
    sos = {s["sales_order_id"]: s for s in ctx.rows(ERP, "sales_orders")}
    so_lines: dict[str, list[Row]] = defaultdict(list)
    for ln in ctx.rows(ERP, "sales_order_lines"):
        so_lines[ln["sales_order_id"]].append(ln)
    mats = {m["material_id"]: m for m in ctx.rows(ERP, "materials")}
    custs = {c["customer_id"]: c for c in ctx.rows(MASTER, "customers")}
    packing = {p["shipment_id"]: p for p in ctx.rows(WMS, "packing_tasks") if p.get("shipment_id")}
    drivers = sorted(e["employee_id"] for e in ctx.rows(MASTER, "employees") if e.get("role") == "driver" and e.get("status", "active") == "active")
    cust_addr: dict[str, dict] = {}
    for cid in sorted(custs):
        c = custs[cid]
        country = (c.get("country") or "USA")[:50]
        city, state, lat, lon = rng.choice(COUNTRY_CITIES.get(country, COUNTRY_CITIES["USA"]))
        cust_addr[cid] = {"name": c.get("customer_name") or cid, "contact": fake.name(), "phone": fake.phone_number()[:50],
                          "email": f"receiving@{cid.lower()}.example", "line1": fake.street_address(), "city": city,
                          "state": state, "country": country, "postal": fake.postcode(),
                          "lat": Decimal(str(round(lat + rng.uniform(-0.05, 0.05), 7))).quantize(Decimal("0.0000001")),
                          "lon": Decimal(str(round(lon + rng.uniform(-0.05, 0.05), 7))).quantize(Decimal("0.0000001"))}
    signers = [fake.name() for _ in range(60)]

    # -- shipments ---------------------------------------------------------------------------------
    tasks = sorted(ctx.rows(WMS, "shipping_tasks"), key=lambda r: r["shipment_id"])
    n_line = n_pkg = n_ev = n_del = n_pod = n_sync = 0
    ships: list[Row] = []
    meta: dict[str, dict] = {}

    def event(ship: Row, etype: str, code: str, desc: str, ts: dt.datetime, city: str | None, state: str | None,
              country: str | None, facility: str | None = None, signed: str | None = None, exc: str | None = None) -> None:
        nonlocal n_ev
        n_ev += 1
        t["tracking_events"].append({
            "event_id": ctx.key("TEV", n_ev, 7), "shipment_id": ship["shipment_id"], "tracking_number": ship["tracking_number"],
            "event_type": etype, "event_code": code, "event_description": desc, "location_city": city, "location_state": state,
            "location_country": country, "facility_name": facility, "event_timestamp": ts, "signed_by": signed,
            "exception_reason": exc, "data_source": "carrier_api" if ship["carrier_id"] != carrier_id(10) else "driver_app",
            "created_at": ts})

    def sync(ts: dt.datetime, direction: str, doc_type: str, doc_id: str, data: dict, fail: bool = False) -> None:
        nonlocal n_sync
        n_sync += 1
        t["wms_tms_sync_log"].append({
            "sync_id": ctx.key("WTS", n_sync, 7), "sync_timestamp": ts, "sync_direction": direction, "document_type": doc_type,
            "document_id": doc_id, "sync_status": "failed" if fail else "success",
            "error_message": "TMS endpoint timeout; retried" if fail else None, "sync_data": data,
            "retry_count": 1 if fail else 0, "last_retry_at": min(as_of, ts + dt.timedelta(minutes=5)) if fail else None})

    for task in tasks:
        so = sos.get(task["sales_order_id"])
        if so is None:
            continue
        sid = task["shipment_id"]
        ci = int(task["carrier_id"].split("-")[1])
        svc = svc_by_code[task["carrier_service"]]
        wh = whs[task["warehouse_id"]]
        pk = packing.get(sid, {})
        trk = pk.get("tracking_number") or f"TRK{sid}"
        ship_ts = task["carrier_pickup_time"] or at(task["actual_ship_date"], 15)
        ship_date = ship_ts.date()
        transit = rng.randint(svc["transit_days_min"], svc["transit_days_max"])
        est = ship_date + dt.timedelta(days=transit)
        late = rng.random() < 0.08
        deliver_ts = at(est + dt.timedelta(days=rng.randint(1, 2) if late else 0), rng.uniform(8.5, 17.5))
        delivered = deliver_ts <= as_of and deliver_ts.date() > ship_date
        addr = cust_addr.get(so.get("customer_id"), next(iter(cust_addr.values())))
        weight = dec(task["total_weight_kg"]) or Decimal("1.00")
        rate = rate_for(svc["service_id"], weight)
        freight = (rate["base_rate"] + rate["per_kg_rate"] * weight).quantize(C2)
        fuel = (freight * rate["fuel_surcharge_pct"] / 100).quantize(C2)
        sig = svc["service_type"] in ("air", "international")
        value = dec(so.get("total_net_value")).quantize(C2)
        insured = value > 20000
        access = (rate["signature_charge"] if sig else ZERO) + (rate["residential_delivery_charge"] if rng.random() < 0.1 else ZERO)
        ins_cost = (value * rate["insurance_rate_pct"] / 100).quantize(C2) if insured else ZERO
        total = freight + fuel + access + ins_cost
        if delivered:
            status = "delivered"
        elif ship_ts <= as_of:
            status = "in_transit" if as_of - ship_ts > dt.timedelta(hours=3) else "picked_up"
        else:
            status = "booked"
        signer = signers[rng.randrange(len(signers))]
        ship = {
            "shipment_id": sid, "shipment_number": f"SHN-{sid[-6:]}", "sales_order_id": so["sales_order_id"],
            "shipping_task_id": task["shipping_task_id"], "warehouse_id": wh["warehouse_id"], "carrier_id": task["carrier_id"],
            "service_id": svc["service_id"], "carrier_service_name": svc["service_name"], "tracking_number": trk,
            "master_tracking_number": trk if task["number_of_packages"] > 1 else None, "bol_number": task.get("bol_number"),
            "pro_number": f"PRO{rng.randint(10000000, 99999999)}" if svc["service_type"] in ("ltl", "ftl") else None,
            "origin_warehouse_id": wh["warehouse_id"], "origin_name": wh["warehouse_name"], "origin_address_line1": wh["address_line1"],
            "origin_city": wh["city"], "origin_state": wh["state"], "origin_country": wh["country"], "origin_postal_code": wh["postal_code"],
            "customer_id": so.get("customer_id"), "destination_name": addr["name"], "destination_contact": addr["contact"],
            "destination_phone": addr["phone"], "destination_email": addr["email"], "destination_address_line1": addr["line1"],
            "destination_address_line2": None, "destination_city": addr["city"], "destination_state": addr["state"],
            "destination_country": addr["country"], "destination_postal_code": addr["postal"],
            "shipment_type": "international" if addr["country"] != wh["country"] else "domestic", "incoterms": so.get("incoterms"),
            "number_of_packages": task["number_of_packages"], "total_weight_kg": weight.quantize(C2),
            "total_volume_m3": task.get("total_volume_m3"), "declared_value": value, "signature_required": sig,
            "insurance_required": insured, "insurance_value": value if insured else None,
            "temperature_controlled": "Temperature" in svc["service_name"], "hazmat": False, "fragile": rng.random() < 0.15,
            "ship_date": ship_date, "scheduled_pickup_date": task.get("scheduled_ship_date"), "actual_pickup_date": ship_date,
            "estimated_delivery_date": est, "actual_delivery_date": deliver_ts.date() if delivered else None,
            "transit_days": (deliver_ts.date() - ship_date).days if delivered else transit, "shipment_status": status,
            "freight_cost": freight, "fuel_surcharge": fuel, "accessorial_charges": access.quantize(C2), "insurance_cost": ins_cost,
            "total_cost": total.quantize(C2), "currency": "USD", "freight_invoice_id": None, "invoiced": False,
            "invoice_approved": False, "delivered_to_name": signer if delivered else None,
            "delivery_signature": signer if delivered and sig else None, "delivery_notes": None,
            "bol_document_url": f"https://docs.genims.example/bol/{task.get('bol_number')}.pdf",
            "pod_document_url": f"https://docs.genims.example/pod/{sid}.pdf" if delivered else None,
            "created_by": "WMS_INTEGRATION", "created_at": min(pk.get("completed_at") or ship_ts, ship_ts),
            "updated_at": deliver_ts if delivered else min(as_of, ship_ts + dt.timedelta(hours=6))}
        t["shipments"].append(ship)
        ships.append(ship)
        meta[sid] = {"deliver_ts": deliver_ts if delivered else None, "ship_ts": ship_ts, "late": late, "addr": addr,
                     "signer": signer, "ci": ci, "lines": [], "delivered": delivered}
        # lines
        pkgs = max(1, task["number_of_packages"])
        for ln in sorted(so_lines.get(so["sales_order_id"], []), key=lambda r: r.get("line_number") or 0):
            qty = dec(ln.get("delivered_quantity")) or dec(ln.get("order_quantity"))
            if qty <= 0:
                continue
            n_line += 1
            row = {"shipment_line_id": ctx.key("SHL", n_line, 7), "shipment_id": sid, "line_number": len(meta[sid]["lines"]) + 1,
                   "sales_order_id": so["sales_order_id"], "sales_order_line_id": ln["sales_order_line_id"],
                   "material_id": ln.get("material_id"), "material_description": (ln.get("material_description") or mats.get(ln.get("material_id"), {}).get("material_name")),
                   "quantity": qty.quantize(Q4), "unit_of_measure": ln.get("unit_of_measure") or "EA",
                   "package_number": len(meta[sid]["lines"]) % pkgs + 1, "serial_numbers": None, "batch_numbers": None,
                   "created_at": ship["created_at"]}
            t["shipment_lines"].append(row)
            meta[sid]["lines"].append(row)
        # packages
        each = (weight / pkgs).quantize(C2)
        for p in range(1, pkgs + 1):
            n_pkg += 1
            w = each if p < pkgs else (weight - each * (pkgs - 1)).quantize(C2)
            pallet = w > 150
            ln_cm, wd_cm, ht_cm = (Decimal("120"), Decimal("100"), Decimal("140")) if pallet else (Decimal("60"), Decimal("40"), Decimal("40"))
            t["shipment_packages"].append({
                "package_id": ctx.key("PKG", n_pkg, 7), "shipment_id": sid, "package_number": p,
                "tracking_number": trk if p == 1 else f"{trk}{p:02d}", "package_type": "pallet" if pallet else "carton",
                "weight_kg": max(w, Decimal("0.01")), "length_cm": ln_cm.quantize(C2), "width_cm": wd_cm.quantize(C2),
                "height_cm": ht_cm.quantize(C2), "volume_m3": (ln_cm * wd_cm * ht_cm / 1000000).quantize(Q4), "description": None,
                "declared_value": (value / pkgs).quantize(C2), "package_status": "delivered" if delivered else "in_transit",
                "created_at": ship["created_at"]})
        # tracking
        o_city, d_city = wh["city"], addr["city"]
        label_ts = ship["created_at"]
        event(ship, "label_created", "LC", "Shipping label created", label_ts, o_city, wh["state"], wh["country"], wh["warehouse_name"])
        if ship_ts <= as_of:
            event(ship, "picked_up", "PU", "Picked up by carrier", ship_ts, o_city, wh["state"], wh["country"], wh["warehouse_name"])
            end = deliver_ts if delivered else as_of
            hub_ts = ship_ts + dt.timedelta(hours=rng.uniform(3, 10))
            day = 0
            while hub_ts < end - dt.timedelta(hours=2) and day < 6:
                hub = HUBS[rng.randrange(len(HUBS))]
                event(ship, "in_transit", "IT", f"Arrived at {hub} hub", hub_ts, hub, None, None, f"{hub} Hub")
                if late and day == 0:
                    event(ship, "exception", "EX", "Delayed: weather / capacity", hub_ts + dt.timedelta(hours=1), hub, None, None,
                          f"{hub} Hub", exc="Weather delay")
                day += 1
                hub_ts += dt.timedelta(hours=rng.uniform(16, 30))
            if delivered:
                ofd = deliver_ts - dt.timedelta(hours=rng.uniform(1, 5))
                if ofd > ship_ts:
                    event(ship, "out_for_delivery", "OD", "Out for delivery", ofd, d_city, addr["state"], addr["country"])
                event(ship, "delivered", "DL", "Delivered", deliver_ts, d_city, addr["state"], addr["country"],
                      signed=ship["delivered_to_name"])
        # sync log
        sync(label_ts, "WMS_TMS", "shipment_request", sid, {"shipping_task_id": task["shipping_task_id"], "packages": pkgs},
             fail=rng.random() < 0.03)
        if ship_ts <= as_of:
            sync(ship_ts, "TMS_WMS", "pickup_confirmation", sid, {"carrier_id": task["carrier_id"], "tracking_number": trk})
        if delivered:
            sync(deliver_ts, "TMS_WMS", "delivery_confirmation", sid, {"delivered_at": deliver_ts.isoformat()})

    # -- routes (private fleet): one per (warehouse, ship date) ---------------------------------------
    fleet = [s for s in ships if s["carrier_id"] == carrier_id(10)]
    by_route: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
    for s in fleet:  # a delivery run per warehouse and delivery day
        by_route[(s["warehouse_id"], s["actual_delivery_date"] or s["estimated_delivery_date"])].append(s)
    stop_of: dict[str, str] = {}
    n_route = n_stop = 0
    for (wid, day), group in sorted(by_route.items()):
        n_route += 1
        rid = ctx.key("RTE", n_route)
        done = all(meta[s["shipment_id"]]["delivered"] for s in group)
        ends = sorted(meta[s["shipment_id"]]["deliver_ts"] for s in group if meta[s["shipment_id"]]["deliver_ts"])
        end = ends[-1] if ends else None
        start = (ends[0] - dt.timedelta(hours=rng.uniform(0.5, 2))) if ends else None
        weight = sum((s["total_weight_kg"] for s in group), Decimal(0))
        dist = ctx.money(rng.uniform(40, 90) * len(group))
        t["routes"].append({
            "route_id": rid, "route_number": f"R-{day:%Y%m%d}-{n_route:03d}", "route_date": day, "planned_start_time": dt.time(6, 0),
            "planned_end_time": dt.time(14, 0), "actual_start_time": start.time().replace(microsecond=0) if start else None,
            "actual_end_time": end.time().replace(microsecond=0) if done and end else None, "carrier_id": carrier_id(10),
            "vehicle_id": f"TRK-{(n_route % 12) + 1:03d}", "driver_id": drivers[n_route % len(drivers)] if drivers else None,
            "origin_warehouse_id": wid, "route_type": "delivery", "optimization_type": "shortest_distance",
            "total_distance_km": dist, "total_duration_minutes": int(dist) * 2 + 20 * len(group), "number_of_stops": len(group) + 1,
            "completed_stops": 1 + sum(1 for s in group if meta[s["shipment_id"]]["delivered"]),
            "total_weight_kg": weight.quantize(C2), "total_volume_m3": sum((s["total_volume_m3"] or Decimal(0) for s in group), Decimal(0)).quantize(Q4),
            "vehicle_capacity_kg": ctx.money(max(Decimal(12000), weight * 2)), "vehicle_capacity_m3": Decimal("60.0000"),
            "route_status": "completed" if done else ("in_progress" if start else "planned"), "estimated_cost": ctx.money(dist * Decimal("1.8")),
            "actual_cost": ctx.money(dist * Decimal("1.9")) if done else None,
            "created_at": min(as_of, min(meta[s["shipment_id"]]["ship_ts"] for s in group)),
            "updated_at": min(as_of, end or min(meta[s["shipment_id"]]["ship_ts"] for s in group))})
        n_stop += 1
        wh = whs[wid]
        t["route_stops"].append({
            "stop_id": ctx.key("STP", n_stop), "route_id": rid, "stop_sequence": 1, "stop_type": "pickup", "shipment_id": None,
            "sales_order_id": None, "stop_name": wh["warehouse_name"], "address_line1": wh["address_line1"], "address_line2": None,
            "city": wh["city"], "state": wh["state"], "postal_code": wh["postal_code"], "latitude": None, "longitude": None,
            "contact_name": None, "contact_phone": None, "planned_arrival_time": dt.time(5, 30), "planned_departure_time": dt.time(6, 0),
            "actual_arrival_time": None, "actual_departure_time": start.time().replace(microsecond=0) if start else None,
            "service_time_minutes": 30, "packages_to_deliver": 0, "packages_delivered": 0, "weight_kg": ZERO,
            "stop_status": "completed" if start else "pending", "signature": None, "delivered_to": None, "photo_url": None,
            "notes": None, "geofence_radius_m": 150, "created_at": t["routes"][-1]["created_at"]})
        for seq, s in enumerate(sorted(group, key=lambda s: s["shipment_id"]), start=2):
            m = meta[s["shipment_id"]]
            n_stop += 1
            sid_ = ctx.key("STP", n_stop)
            stop_of[s["shipment_id"]] = sid_
            a = m["addr"]
            dts = m["deliver_ts"]
            t["route_stops"].append({
                "stop_id": sid_, "route_id": rid, "stop_sequence": seq, "stop_type": "delivery", "shipment_id": s["shipment_id"],
                "sales_order_id": s["sales_order_id"], "stop_name": a["name"], "address_line1": a["line1"], "address_line2": None,
                "city": a["city"], "state": a["state"], "postal_code": a["postal"], "latitude": a["lat"], "longitude": a["lon"],
                "contact_name": a["contact"], "contact_phone": a["phone"], "planned_arrival_time": dt.time(min(23, 5 + seq), 0),
                "planned_departure_time": dt.time(min(23, 5 + seq), 20),
                "actual_arrival_time": (dts - dt.timedelta(minutes=10)).time().replace(microsecond=0) if dts else None,
                "actual_departure_time": dts.time().replace(microsecond=0) if dts else None, "service_time_minutes": 15,
                "packages_to_deliver": s["number_of_packages"], "packages_delivered": s["number_of_packages"] if dts else 0,
                "weight_kg": s["total_weight_kg"], "stop_status": "completed" if dts else "pending",
                "signature": m["signer"] if dts else None, "delivered_to": m["signer"] if dts else None,
                "photo_url": None, "notes": None, "geofence_radius_m": 100, "created_at": t["routes"][-1]["created_at"]})

    # -- deliveries and proof of delivery ---------------------------------------------------------------
    for s in ships:
        m = meta[s["shipment_id"]]
        a = m["addr"]
        n_del += 1
        did = ctx.key("DLV", n_del)
        dts = m["deliver_ts"]
        attempts = 1
        failure = resched = None
        if dts and rng.random() < 0.04 and (dts.date() - s["ship_date"]).days >= 2:
            attempts, failure, resched = 2, "Recipient closed", dts.date()
        if dts:
            dstatus = "delivered"
        elif s["shipment_status"] == "in_transit" and s["estimated_delivery_date"] <= today:
            dstatus = "out_for_delivery"
        else:
            dstatus = "scheduled"
        t["deliveries"].append({
            "delivery_id": did, "delivery_number": f"DN-{n_del:07d}", "shipment_id": s["shipment_id"],
            "route_stop_id": stop_of.get(s["shipment_id"]), "sales_order_id": s["sales_order_id"], "customer_id": s["customer_id"],
            "delivery_contact": a["contact"], "delivery_address_line1": a["line1"], "delivery_address_line2": None,
            "delivery_city": a["city"], "delivery_state": a["state"], "delivery_postal_code": a["postal"],
            "scheduled_delivery_date": s["estimated_delivery_date"], "scheduled_time_window_start": dt.time(8, 0),
            "scheduled_time_window_end": dt.time(18, 0), "actual_delivery_date": dts.date() if dts else None,
            "actual_delivery_time": dts.time().replace(microsecond=0) if dts else None,
            "delivery_type": "standard" if s["carrier_id"] != carrier_id(10) else "own_fleet", "delivery_status": dstatus,
            "delivery_attempt_count": attempts if dts else 0, "failure_reason": failure, "rescheduled_date": resched,
            "delivered_to_name": m["signer"] if dts else None, "relationship_to_recipient": "receiving clerk" if dts else None,
            "delivery_instructions": sos.get(s["sales_order_id"], {}).get("shipping_instructions"),
            "created_at": s["created_at"], "updated_at": dts or s["updated_at"]})
        if dts:
            n_pod += 1
            t["proof_of_delivery"].append({
                "pod_id": ctx.key("POD", n_pod), "delivery_id": did, "shipment_id": s["shipment_id"], "received_by_name": m["signer"],
                "signature": f"sig:{s['shipment_id']}", "signature_url": f"https://docs.genims.example/sig/{s['shipment_id']}.png",
                "photo1_url": f"https://docs.genims.example/pod/{s['shipment_id']}-1.jpg", "photo2_url": None, "photo3_url": None,
                "packages_delivered": s["number_of_packages"], "packages_condition": "good" if rng.random() < 0.97 else "damaged",
                "delivery_latitude": a["lat"], "delivery_longitude": a["lon"], "geo_verified": True, "delivery_timestamp": dts,
                "delivery_notes": None, "pod_document_url": s["pod_document_url"], "created_at": dts})

    # -- returns ---------------------------------------------------------------------------------------
    eligible = [s for s in ships if meta[s["shipment_id"]]["deliver_ts"] and meta[s["shipment_id"]]["deliver_ts"] < as_of - dt.timedelta(days=4)
                and meta[s["shipment_id"]]["lines"]]
    rrng = ctx.rng("tms.returns")
    chosen = rrng.sample(eligible, min(len(eligible), ctx.scaled(20, minimum=2)))
    chosen.sort(key=lambda s: s["shipment_id"])
    n_rl = 0
    return_svc = {s["carrier_id"]: s for s in reversed(services)}
    for i, s in enumerate(chosen, start=1):
        m = meta[s["shipment_id"]]
        auth = m["deliver_ts"] + dt.timedelta(days=rrng.uniform(1, 3))
        rid = ctx.key("RET", i)
        age = (as_of - auth).days
        status = "completed" if age > 8 else ("received" if age > 5 else ("in_transit" if age > 1 else "authorized"))
        reason = rrng.choice(["damaged", "wrong_item", "quality_issue", "excess_quantity", "customer_changed_mind"])
        lines = rrng.sample(m["lines"], min(len(m["lines"]), rrng.randint(1, 2)))
        refund = ZERO
        for k, ln in enumerate(lines, start=1):
            n_rl += 1
            qty = max(Decimal(1), (ln["quantity"] * Decimal(str(rrng.uniform(0.1, 0.6)))).to_integral_value())
            qty = min(qty, ln["quantity"])
            sol = next((x for x in so_lines[s["sales_order_id"]] if x["sales_order_line_id"] == ln["sales_order_line_id"]), {})
            refund += (qty * dec(sol.get("unit_price"))).quantize(C2)
            received = status in ("received", "completed")
            t["return_order_lines"].append({
                "return_line_id": ctx.key("RTL", n_rl), "return_order_id": rid, "line_number": k,
                "sales_order_line_id": ln["sales_order_line_id"], "material_id": ln["material_id"],
                "material_description": ln["material_description"], "quantity_to_return": qty.quantize(Q4),
                "quantity_received": qty.quantize(Q4) if received else Decimal("0.0000"), "unit_of_measure": ln["unit_of_measure"],
                "condition_on_receipt": (rrng.choice(["good", "damaged", "opened"]) if received else None), "serial_number": None,
                "batch_number": None, "disposition": (rrng.choice(["restock", "repair", "scrap"]) if received else None),
                "created_at": auth})
        fee = (refund * Decimal("0.15")).quantize(C2) if reason == "customer_changed_mind" else ZERO
        t["return_orders"].append({
            "return_order_id": rid, "return_number": f"RTN-{i:06d}", "rma_number": f"RMA-{auth:%y%m}-{i:04d}",
            "sales_order_id": s["sales_order_id"], "original_shipment_id": s["shipment_id"], "customer_id": s["customer_id"],
            "return_reason": reason, "return_reason_details": f"Customer reported: {reason.replace('_', ' ')}",
            "return_type": "refund" if reason != "quality_issue" else "replacement", "authorized_by": "CS-RETURNS",
            "authorization_date": auth.date(), "return_to_warehouse_id": s["warehouse_id"], "return_status": status,
            "refund_amount": refund - fee, "restocking_fee": fee, "refund_processed": status == "completed",
            "disposition": "restock" if status == "completed" else None, "created_at": auth, "updated_at": auth})
        svc = return_svc.get(s["carrier_id"])
        shipped = auth + dt.timedelta(days=1)
        received_d = auth + dt.timedelta(days=5)
        t["return_shipments"].append({
            "return_shipment_id": ctx.key("RSH", i), "return_order_id": rid, "carrier_id": s["carrier_id"],
            "service_id": svc["service_id"] if svc else None, "tracking_number": f"R{s['tracking_number']}",
            "return_label_url": f"https://labels.genims.example/{rid}.pdf", "label_cost": ctx.money(rrng.uniform(8, 45)),
            "pickup_scheduled": True, "pickup_date": shipped.date(),
            "shipment_status": "delivered" if status in ("received", "completed") else ("in_transit" if status == "in_transit" else "label_created"),
            "shipped_date": shipped.date() if shipped <= as_of and status != "authorized" else None,
            "received_date": received_d.date() if status in ("received", "completed") else None, "created_at": auth})

    # -- freight invoices: per carrier and half month, for shipments of closed periods ---------------------
    irng = ctx.rng("tms.invoices")
    periods: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
    for s in ships:
        d = s["ship_date"]
        p_end = dt.date(d.year, d.month, 15) if d.day <= 15 else (dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1) - dt.timedelta(days=1))
        if p_end + dt.timedelta(days=3) <= today and s["shipment_status"] == "delivered":
            periods[(s["carrier_id"], p_end)].append(s)
    n_inv = n_il = 0
    for (cid, p_end), group in sorted(periods.items()):
        n_inv += 1
        iid = ctx.key("FIN", n_inv)
        inv_date = min(today - dt.timedelta(days=1), p_end + dt.timedelta(days=irng.randint(2, 6)))
        disputed_any = False
        sums = defaultdict(Decimal)
        var_total = ZERO
        for s in sorted(group, key=lambda s: s["shipment_id"]):
            over = irng.random() < 0.06
            k = 0
            for ctype, desc, amount, key in (("freight", "Line haul", s["freight_cost"], "freight"),
                                             ("fuel_surcharge", "Fuel surcharge", s["fuel_surcharge"], "fuel"),
                                             ("accessorial", "Accessorials", s["accessorial_charges"], "acc"),
                                             ("insurance", "Cargo insurance", s["insurance_cost"], "acc")):
                if amount <= 0:
                    continue
                k += 1
                charged = amount
                if over and ctype == "freight":
                    charged = (amount * Decimal(str(irng.uniform(1.04, 1.18)))).quantize(C2)
                var = charged - amount
                n_il += 1
                t["freight_invoice_lines"].append({
                    "invoice_line_id": ctx.key("FIL", n_il, 7), "invoice_id": iid, "line_number": n_il, "shipment_id": s["shipment_id"],
                    "shipment_number": s["shipment_number"], "tracking_number": s["tracking_number"], "charge_type": ctype,
                    "charge_description": desc, "charge_amount": charged, "expected_amount": amount, "variance_amount": var,
                    "approved": var == 0, "disputed": var != 0, "dispute_reason": "Billed above contracted rate" if var else None,
                    "created_at": at(inv_date, 9)})
                sums[key] += charged
                var_total += var
                disputed_any = disputed_any or var != 0
            s["freight_invoice_id"] = iid
            s["invoiced"] = True
        age = (today - inv_date).days
        if disputed_any:
            status, audit, paid = "disputed", "variance", False
        elif age > 30:
            status, audit, paid = "paid", "approved", True
        elif age > 5:
            status, audit, paid = "approved", "approved", False
        else:
            status, audit, paid = "received", "pending", False
        for s in group:
            s["invoice_approved"] = status in ("approved", "paid")
        # renumber lines within the invoice
        total = (sums["freight"] + sums["fuel"] + sums["acc"]).quantize(C2)
        t["freight_invoices"].append({
            "invoice_id": iid, "invoice_number": f"{CARRIERS[int(cid.split('-')[1]) - 1][0]}-{p_end:%Y%m%d}-{n_inv:04d}",
            "carrier_id": cid, "invoice_date": inv_date, "due_date": inv_date + dt.timedelta(days=30), "freight_charges": sums["freight"].quantize(C2),
            "fuel_surcharge": sums["fuel"].quantize(C2), "accessorial_charges": sums["acc"].quantize(C2), "total_amount": total,
            "currency": "USD", "invoice_status": status, "audit_status": audit, "variance_amount": var_total.quantize(C2),
            "dispute_reason": "Line haul billed above contracted rate" if disputed_any else None, "payment_terms": "Net 30",
            "paid": paid, "payment_date": (inv_date + dt.timedelta(days=irng.randint(20, 30))) if paid else None,
            "payment_reference": f"PAY-{n_inv:06d}" if paid else None, "reconciled": paid,
            "reconciliation_date": (inv_date + dt.timedelta(days=31)) if paid and inv_date + dt.timedelta(days=31) <= today else None,
            "created_at": at(inv_date, 9)})
    line_no: dict[str, int] = defaultdict(int)
    for ln in t["freight_invoice_lines"]:
        line_no[ln["invoice_id"]] += 1
        ln["line_number"] = line_no[ln["invoice_id"]]
    for inv in t["freight_invoices"]:
        if inv["payment_date"] and inv["payment_date"] > today:
            inv["payment_date"] = today

    # -- carrier statistics ------------------------------------------------------------------------------
    per: dict[str, list[Row]] = defaultdict(list)
    for s in ships:
        per[s["carrier_id"]].append(s)
    for c in t["carriers"]:
        ss = per.get(c["carrier_id"], [])
        c["total_shipments"] = len(ss)
        c["total_freight_spend"] = sum((s["total_cost"] for s in ss), ZERO).quantize(C2)
        done = [s for s in ss if s["actual_delivery_date"]]
        if done:
            on_time = sum(1 for s in done if s["actual_delivery_date"] <= s["estimated_delivery_date"])
            c["on_time_delivery_pct"] = (Decimal(on_time) / Decimal(len(done)) * 100).quantize(C2)
        c["updated_at"] = as_of - dt.timedelta(days=1)
    return t
